// SPDX-License-Identifier: GPL-2.0-or-later
// Kernel-state statements of issue 13 (items 1, 2, 9, 14), from a model built in memory through the rules to the report words.
#include "testutil.h"
#include "model_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"
#include "rules/policy.h"
#include "rules/rules.h"

static void run(struct ia_audit *a)
{
	mb_finish(a);
	assert_int_equal(mb_run(a, NULL), 0);
}

/* The report @fn renders for @a's result, NUL-terminated and malloc'd. */
static char *render(int (*fn)(const struct ia_audit *, const struct ia_result *, const struct ia_report_opts *, FILE *),
		    const struct ia_audit *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct ia_report_opts o = { 0 };

	assert_non_null(m);
	assert_int_equal(fn(a, mb_result(a), &o, m), 0);
	assert_int_equal(fclose(m), 0);
	return buf;
}

/* @text holds @line (a whole line, or a line start when @line ends without '\n'); else fail showing @text. */
static void has_line(const char *text, const char *line)
{
	const char *p = text;

	while ((p = strstr(p, line)))
		if (p == text || p[-1] == '\n')
			return;
		else
			p++;
	fail_msg("no line \"%s\" in:\n%s", line, text);
}

static void lacks(const char *text, const char *words)
{
	if (strstr(text, words))
		fail_msg("\"%s\" should not appear in:\n%s", words, text);
}

/* Is there a predicted group holding both @x and @y? */
static bool predicted_together(const struct ia_audit *a, const char *x, const char *y)
{
	for (size_t g = 0; g < a->n_predicted; g++) {
		bool hx = false, hy = false;
		for (size_t k = 0; k < a->predicted[g].n; k++) {
			const char *b = a->devs[a->predicted[g].members[k]].bdf;
			hx |= !strcmp(b, x);
			hy |= !strcmp(b, y);
		}
		if (hx && hy)
			return true;
	}
	return false;
}

/* A host without an IOMMU in VFIO no-IOMMU mode: 0000:00:02.0 bound to vfio-pci in no-IOMMU group 0,
 * a multifunction device 0000:00:1f.{0,3} without ACS, whose MSI has no remapping. */
static struct ia_audit *noiommu_host(void)
{
	struct ia_audit *a = mb_new();

	mb_dev(a, "0000:00:02.0", NULL)->driver = strdup("vfio-pci");
	mb_dev(a, "0000:00:1f.0", NULL)->multifunction = IA_YES;
	mb_dev(a, "0000:00:1f.3", NULL)->multifunction = IA_YES;
	mb_group(a, 0, NULL, "0000:00:02.0", NULL)->noiommu = true;
	mb_vfio_noiommu(a, 0);
	mb_module_param(a, "vfio", "enable_unsafe_noiommu_mode", "Y");
	mb_cmdline(a, "vfio.enable_unsafe_noiommu_mode=1");
	mb_irq(a, "PCI-MSI-0000:00:1f.3", NULL, "0000:00:1f.3"); /* outside the no-IOMMU group */
	return a;
}

/* Item 2: a vfio-noiommu group is not an IOMMU group, in any count. */
static void test_noiommu_group_not_an_iommu_group(void **state)
{
	(void)state;
	struct ia_audit *a = noiommu_host();

	run(a);
	/* the interrupt rule counts the MSIs of every function when no IOMMU group exists */
	assert_int_equal(mb_irq_isolated(a), IA_NO);
	assert_false(mb_not_evaluated(a, "platform.msi-not-isolated"));
	/* host.iommu-inactive names the no-IOMMU group instead of calling iommu_groups empty */
	const struct ia_finding *f = mb_find_finding(a, "host.iommu-inactive", "host");
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "sys/kernel/iommu_groups holds only VFIO no-IOMMU groups (group 0)"));
	assert_null(strstr(f->evidence, "is empty"));
	/* the prediction covers the functions outside the no-IOMMU group: 1f.0 and 1f.3 together */
	assert_true(predicted_together(a, "0000:00:1f.0", "0000:00:1f.3"));
	/* group id 0, never read as a count */
	assert_string_equal(mb_noiommu_state(a), "enabled");
	assert_non_null(strstr(mb_result(a)->noiommu_reason, "no-IOMMU group 0 in use"));
	f = mb_find_finding(a, "host.noiommu", "host");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "group 0 is driven through VFIO no-IOMMU mode"));
	char *t = render(ia_report_text, a);
	has_line(t, "  kernel 6.12.0 (x86_64); IOMMU active: no (0 units, 0 groups, and 1 VFIO no-IOMMU group); "
		    "3 PCI functions\n");
	has_line(t, "  0 of 0 IOMMU groups can be");
	has_line(t, "  VFIO no-IOMMU mode: enabled: no-IOMMU group 0 in use (");
	lacks(t, "in use: 0");
	has_line(t, "VFIO no-IOMMU group 0: NOT assignable to userspace");
	char *gr = NULL;
	size_t grl = 0;
	FILE *m = open_memstream(&gr, &grl);
	assert_non_null(m);
	assert_int_equal(ia_report_groups(a, mb_result(a), &(struct ia_report_opts){ 0 }, IA_GROUPS_KERNEL, m), 0);
	assert_int_equal(fclose(m), 0);
	has_line(gr, "VFIO no-IOMMU group 0:\n"); /* `iommu-audit groups` */
	free(gr);
	lacks(t, "IOMMU group 0:\n");
	lacks(t, "\nIOMMU group 0: ");
	/* no IOMMU: VFIO's interrupt check applies only to IOMMU groups, once an IOMMU is active */
	f = mb_find_finding(a, "platform.msi-not-isolated", "host");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "(VFIO refuses an IOMMU group once an IOMMU is active, unless "
				       "allow_unsafe_interrupts is set)"));
	free(t);
	mb_free(a);
}

/* Item 2, must-not-fire: on an IOMMU host a function in no group still does not count. */
static void test_iommu_host_counts_unchanged(void **state)
{
	(void)state;
	struct ia_audit *a = mb_new();

	mb_unit(a, "dmar0", "vt-d");
	mb_dev(a, "0000:00:02.0", NULL)->driver = strdup("vfio-pci");
	mb_dev(a, "0000:00:03.0", NULL); /* the IOMMU's own function: in no group */
	mb_group(a, 1, "DMA", "0000:00:02.0", NULL);
	mb_irq(a, "IR-PCI-MSIX-0000:00:02.0", "IR", "0000:00:02.0");
	mb_irq(a, "PCI-MSI-0000:00:03.0", NULL, "0000:00:03.0");
	run(a);
	assert_int_equal(mb_irq_isolated(a), IA_YES);
	assert_null(mb_find_finding(a, "host.iommu-inactive", NULL));
	char *t = render(ia_report_text, a);
	has_line(t, "  kernel 6.12.0 (x86_64); IOMMU active: yes (1 unit, 1 group); 2 PCI functions\n");
	free(t);
	mb_free(a);
}

/* An IOMMU host whose MSIs are not remapped: group 1 = 0000:00:02.0 on vfio-pci; @unsafe is
 * vfio_iommu_type1.allow_unsafe_interrupts ("Y", "N"). */
static struct ia_audit *unremapped_host(const char *unsafe)
{
	struct ia_audit *a = mb_new();

	mb_unit(a, "dmar0", "vt-d");
	mb_dev(a, "0000:00:02.0", NULL)->driver = strdup("vfio-pci");
	mb_group(a, 1, "DMA", "0000:00:02.0", NULL);
	mb_irq(a, "PCI-MSIX-0000:00:02.0", NULL, "0000:00:02.0");
	mb_module_param(a, "vfio_iommu_type1", "allow_unsafe_interrupts", unsafe);
	return a;
}

/* Item 9: with allow_unsafe_interrupts=Y VFIO hands the group over; the audit says "safely" and
 * gives the kernel's count too, in text and JSON. */
static void test_unsafe_interrupts_handover(void **state)
{
	(void)state;
	struct ia_audit *a = unremapped_host("Y");

	run(a);
	assert_int_equal(mb_group_verdict(a, 1), IA_NO);
	assert_int_equal(mb_result(a)->groups[0].kernel_hands_over, IA_YES);
	char *t = render(ia_report_text, a);
	has_line(t, "  0 of 1 IOMMU group can be safely handed to userspace now; 1 cannot; 0 unknown.\n");
	has_line(t, "  VFIO itself would accept 1 of the 1 as the drivers stand (vfio-pci bound where no driver is): allow_unsafe_interrupts is set, so VFIO "
		    "takes groups whose MSIs are not isolated.\n");
	has_line(t, "IOMMU group 1: NOT assignable to userspace (DMA, 1 device; VFIO ownership viable; VFIO would still "
		    "hand it over now)\n");
	free(t);
	char *j = render(ia_report_json, a);
	if (!strstr(j, "\"assignable_groups\": 0,") || !strstr(j, "\"kernel_handover_groups\": 1,") ||
	    !strstr(j, "\"iommu_groups\": 1,"))
		fail_msg("summary counts missing in:\n%s", j);
	free(j);
	mb_free(a);
}

/* The "now" count says how many of the assignable groups a VFIO driver holds already (a
 * /dev/vfio/N exists) and that the rest need vfio-pci bound (reviewers read "now" as "open now"). */
static void test_now_count_vfio_bound(void **state)
{
	(void)state;
	static const struct { const char *drv[2]; const char *want; } tc[] = {
		{ { "vfio-pci", "vfio-pci" }, "  2 of 2 IOMMU groups can be safely handed to userspace now (all are on "
		  "vfio-pci or another VFIO driver already).\n" },
		{ { "vfio-pci", NULL }, "  1 of 2 IOMMU groups can be safely handed to userspace now (it is on vfio-pci "
		  "or another VFIO driver already); 1 cannot; 0 unknown.\n" },
		{ { NULL, NULL }, "  2 of 2 IOMMU groups can be safely handed to userspace now (none on a VFIO driver "
		  "yet: no host driver to unbind, vfio-pci to bind).\n" },
		{ { "vfio-pci", "" }, "  2 of 2 IOMMU groups can be safely handed to userspace now (1 on a VFIO driver "
		  "already; the other needs vfio-pci bound, with no host driver to unbind).\n" },
	};
	for (size_t i = 0; i < sizeof(tc) / sizeof(*tc); i++) {
		struct ia_audit *a = mb_new();
		mb_unit(a, "dmar0", "vt-d");
		mb_irq(a, "IR-PCI-MSIX-0000:00:02.0", "IR", "0000:00:02.0");
		mb_irq(a, "IR-PCI-MSIX-0000:00:03.0", "IR", "0000:00:03.0");
		static const char *const bdf[2] = { "0000:00:02.0", "0000:00:03.0" };
		for (int k = 0; k < 2; k++) {
			struct ia_dev *d = mb_dev(a, bdf[k], NULL);
			/* case 1's second function is bound to a host driver: its group is not assignable */
			if (i == 1 && k == 1)
				d->driver = strdup("e1000e");
			else if (tc[i].drv[k] && *tc[i].drv[k])
				d->driver = strdup(tc[i].drv[k]);
			mb_group(a, k + 1, "DMA", bdf[k], NULL);
		}
		run(a);
		char *t = render(ia_report_text, a);
		has_line(t, tc[i].want);
		free(t);
		mb_free(a);
	}
}

/* Item 9, must-not-fire: without the override the kernel refuses too; nothing more to say. */
static void test_unsafe_interrupts_refused(void **state)
{
	(void)state;
	struct ia_audit *a = unremapped_host("N");

	run(a);
	assert_int_equal(mb_result(a)->groups[0].kernel_hands_over, IA_NO);
	char *t = render(ia_report_text, a);
	has_line(t, "  0 of 1 IOMMU group can be safely handed to userspace now; 1 cannot; 0 unknown.\n");
	lacks(t, "VFIO itself would accept");
	lacks(t, "would still hand it over");
	free(t);
	char *j = render(ia_report_json, a);
	if (!strstr(j, "\"kernel_handover_groups\": 0,"))
		fail_msg("kernel_handover_groups 0 missing in:\n%s", j);
	free(j);
	mb_free(a);
}

/* Item 2 sibling: the policy's iommu_active requirement counts IOMMU groups, not no-IOMMU ones. */
static void test_policy_iommu_active_counts(void **state)
{
	(void)state;
	static const char pol[] = "{\"policy\": \"iommu-audit-policy/1\", \"require\": [{\"iommu_active\": true}]}";
	struct ia_policy *p = NULL;
	char err[256];
	struct ia_audit *a = noiommu_host();

	assert_int_equal(ia_policy_parse(pol, sizeof(pol) - 1, &p, err, sizeof(err)), 0);
	struct ia_run_opts o = { .policy = p };
	mb_finish(a);
	assert_int_equal(mb_run(a, &o), 0);
	const struct ia_finding *f = mb_find_finding(a, "policy.requirement-unmet", "host");
	assert_non_null(f);
	assert_string_equal(f->message, "policy requires iommu_active true, but it is false (0 units, 0 groups)");
	ia_policy_free(p);
	mb_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_noiommu_group_not_an_iommu_group),
		cmocka_unit_test(test_iommu_host_counts_unchanged),
		cmocka_unit_test(test_unsafe_interrupts_handover),
		cmocka_unit_test(test_unsafe_interrupts_refused),
		cmocka_unit_test(test_now_count_vfio_bound),
		cmocka_unit_test(test_policy_iommu_active_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
