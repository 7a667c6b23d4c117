// SPDX-License-Identifier: GPL-2.0-or-later
// The groups once the IOMMU is on (rules/when_enabled.c, issue 19), on models built in memory:
// ACS the kernel enables by platform and release, the command-line overrides it leaves alone, the
// firmware's coverage, arm-smmu-v3's StreamID refusals. The known-answer pairs are checked end to
// end by test_known_answers (test_groups_when_enabled).
#include "testutil.h"
#include "model_build.h"

#include <stdlib.h>
#include <string.h>

#include "model/firmware_model.h"
#include "reports/report.h"
#include "rules/result.h"

/* Root port 00:02.0 (ACS capability SV TB RR CR UF, control all off, as an IOMMU-off boot leaves
 * it) above endpoint 01:00.0; root port 00:03.0 without ACS above 02:00.0; every function listed
 * by firmware unit @source/@kind. No IOMMU unit in sysfs, no group: the IOMMU is off. */
static struct ia_audit *off_host(const char *source, const char *kind, const char *cmdline)
{
	struct ia_audit *a = mb_new();
	struct ia_dev *rp = mb_root_port(a, "0000:00:02.0", 1, true);

	rp->acs_ctrl = rp->acs_ctrl_dw = 0;
	mb_dev(a, "0000:01:00.0", "0000:00:02.0");
	mb_root_port(a, "0000:00:03.0", 2, false);
	mb_dev(a, "0000:02:00.0", "0000:00:03.0");
	if (source) {
		size_t u = mb_fw_unit(a, source, kind, "unit0");
		for (size_t i = 0; i < a->n_devs; i++)
			mb_fw_unit_dev(a, u, a->devs[i].bdf);
	}
	mb_cmdline(a, cmdline);
	return a;
}

static void run(struct ia_audit *a)
{
	mb_finish(a);
	assert_int_equal(mb_run(a, NULL), 0);
}

/* The index of the group holding @bdf once the IOMMU is on, or -1. */
static int we_group_of(const struct ia_audit *a, const char *bdf)
{
	const struct ia_when_enabled_result *we = &mb_result(a)->when_enabled;

	for (size_t g = 0; g < we->n_groups; g++)
		for (size_t k = 0; k < we->groups[g].n; k++)
			if (!strcmp(a->devs[we->groups[g].members[k]].bdf, bdf))
				return (int)g;
	return -1;
}

/* The current prediction's group of @bdf (a->predicted), or -1. */
static int cur_group_of(const struct ia_audit *a, const char *bdf)
{
	const struct ia_dev *d = ia_audit_find_dev(a, bdf);

	return d ? d->predicted_group : -1;
}

/* VT-d turned off with intel_iommu=off: the kernel enables ACS once it is on, so the endpoint
 * behind the ACS port gets a group of its own, unlike the current state; behind the port without
 * ACS it stays with the port. */
static void test_intel_enables_acs(void **state)
{
	(void)state;
	struct ia_audit *a = off_host("DMAR", "vt-d", "quiet intel_iommu=off");

	run(a);
	const struct ia_when_enabled_result *we = &mb_result(a)->when_enabled;
	assert_true(we->iommu_off);
	assert_true(we->evaluated);
	assert_string_equal(we->iommu, "Intel VT-d (DMAR)");
	assert_string_equal(we->how, "boot with intel_iommu=on instead of intel_iommu=off");
	assert_non_null(strstr(we->acs_note, "pci_request_acs()"));
	assert_int_equal(cur_group_of(a, "0000:00:02.0"), cur_group_of(a, "0000:01:00.0"));
	assert_int_not_equal(we_group_of(a, "0000:00:02.0"), we_group_of(a, "0000:01:00.0"));
	assert_int_equal(we_group_of(a, "0000:00:03.0"), we_group_of(a, "0000:02:00.0"));
	assert_int_equal(we->n_groups, 3);
	assert_int_equal(we->n_bindable, 2); /* 01:00.0's and 02:00.0's; the port alone is header type 1 */
	for (size_t g = 0; g < we->n_groups; g++)
		assert_false(we->groups[g].uncertain);
	mb_free(a);
}

/* Row acs_enabled_after_groups: inside a stable window x86 forms the groups with the firmware's
 * ACS control (the port without it keeps its endpoint, as now); a stable level or backports that
 * do not tell, or arm64 with IORT (the probe order decides), make every group uncertain. */
static void test_acs_after_groups_window(void **state)
{
	(void)state;
	static const struct {
		const char *source, *kind; int patch; bool has_patch, backports, uncertain; const char *note;
		const char *cmdline; bool optin;
	} cases[] = {
		{ "DMAR", "vt-d", 80, true, false, false, "Linux 6.12.80 forms IOMMU groups before it enables ACS (a "
		  "stable backport of c41e2fb67e26, since reverted: acs_enabled_after_groups: in no upstream release; "
		  "stable 5.10.252 only", NULL, false },
		{ "IVRS", "amd-vi", 75, true, false, false, "Linux 6.12.75 forms IOMMU groups before it enables ACS", NULL, false },
		{ "DMAR", "vt-d", 0, false, false, true, "this kernel's stable level is not known, and some stable "
		  "releases form IOMMU groups before they enable ACS (acs_enabled_after_groups:", NULL, false },
		{ "DMAR", "vt-d", 117, true, true, true, "this kernel's distribution backports changes onto its base "
		  "release, and some stable releases form IOMMU groups before they enable ACS", NULL, false },
		{ "IORT", "smmu-v3", 80, true, false, true, "this stable release enables ACS when a driver probes a "
		  "function, after the IOMMU code has formed its group, and on arm64 with IORT the order of the "
		  "probes decides", NULL, false },
		{ "DMAR", "vt-d", 83, true, false, false, "pci_request_acs()", NULL, false },
		/* what changed the control after the groups formed: the capture does not show the firmware's */
		{ "DMAR", "vt-d", 80, true, false, true, "pci=config_acs= or pci=disable_acs_redir= changed the control "
		  "after the groups formed, so the capture does not show what the groups would see",
		  "intel_iommu=off pci=config_acs=xxx11@00:03.0", false },
		{ "DMAR", "vt-d", 80, true, false, true, "the DMAR's platform opt-in makes the kernel request ACS even "
		  "with intel_iommu=off, so the capture does not show the firmware's control", NULL, true },
		{ "DT", "smmu-v3", 80, true, false, true, "this stable release enables ACS when a driver probes a "
		  "function, after a device-tree boot formed its group (acs_enabled_after_groups:",
		  "initcall_blacklist=arm_smmu_driver_init", false },
		{ "DT", "smmu-v3", 0, false, false, true, "some stable releases enable ACS when a driver probes a "
		  "function, after a device-tree boot formed its group, and this kernel cannot be placed among them",
		  "initcall_blacklist=arm_smmu_driver_init", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ia_audit *a = off_host(cases[i].source, cases[i].kind,
					      cases[i].cmdline ? cases[i].cmdline : "quiet intel_iommu=off");
		a->firmware->dma_ctrl_platform_opt_in = cases[i].optin;
		a->kernel_patch = cases[i].patch;
		a->has_kernel_patch = cases[i].has_patch;
		a->kernel_backports = cases[i].backports;
		run(a);
		const struct ia_when_enabled_result *we = &mb_result(a)->when_enabled;
		assert_true(we->evaluated);
		if (!strstr(we->acs_note, cases[i].note))
			fail_msg("case %zu: \"%s\" not in \"%s\"", i, cases[i].note, we->acs_note);
		bool inside = (cases[i].patch == 80 || cases[i].patch == 75) && !cases[i].uncertain;
		/* inside the window the port without ACS control keeps 01:00.0, as the firmware left it */
		assert_int_equal(we_group_of(a, "0000:00:02.0") == we_group_of(a, "0000:01:00.0"),
				 inside || cases[i].uncertain);
		for (size_t g = 0; g < we->n_groups; g++)
			assert_int_equal(we->groups[g].uncertain, cases[i].uncertain);
		mb_free(a);
	}
}

/* pci=config_acs= is applied over the firmware value with or without an IOMMU: the captured
 * control is what the kernel keeps for the ports it names, so nothing is enabled and every group
 * says why it is uncertain. */
static void test_config_acs_keeps_captured(void **state)
{
	(void)state;
	struct ia_audit *a = off_host("DMAR", "vt-d", "intel_iommu=off pci=noats,config_acs=xxx11@00:03.0");

	run(a);
	const struct ia_when_enabled_result *we = &mb_result(a)->when_enabled;
	assert_true(we->evaluated);
	assert_int_equal(we->n_groups, 2); /* 00:02.0 with 01:00.0, 00:03.0 with 02:00.0 */
	assert_true(we_group_of(a, "0000:00:02.0") >= 0);
	assert_int_equal(we_group_of(a, "0000:00:02.0"), we_group_of(a, "0000:01:00.0"));
	for (size_t g = 0; g < we->n_groups; g++) {
		assert_true(we->groups[g].uncertain);
		assert_non_null(strstr(we->groups[g].basis, "pci=disable_acs_redir= or pci=config_acs="));
	}
	mb_free(a);
}

/* arm64 device-tree boots, by release (row arm64_dt_acs_at_enumeration, 7.0: c41e2fb67e26): 6.19
 * and before keep the firmware's ACS (and 6.12 forms groups at driver probe), 7.0 and 7.3 enable
 * it; with the release unknown: captured control, every group uncertain. */
static void test_dt_by_release(void **state)
{
	(void)state;
	static const struct { int major, minor; bool known, apart, uncertain; const char *note; } cases[] = {
		{ 6, 12, true, false, false, "Linux 6.12 on a device-tree boot leaves ACS as the firmware set it" },
		{ 6, 19, true, false, false, "Linux 6.19 on a device-tree boot leaves ACS as the firmware set it" },
		{ 7, 0, true, true, false, "Linux 7.0 enables ACS at enumeration" },
		{ 7, 3, true, true, false, "Linux 7.3 enables ACS at enumeration" },
		{ 7, 0, false, false, true, "the kernel release is unknown, and whether a device-tree boot enables ACS at "
		  "enumeration depends on it (arm64_dt_acs_at_enumeration: Linux 7.0 and later)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ia_audit *a = off_host("DT", "smmu-v3", "initcall_blacklist=arm_smmu_driver_init");
		a->has_kernel_version = cases[i].known;
		a->kernel_major = cases[i].major;
		a->kernel_minor = cases[i].minor;
		run(a);
		const struct ia_when_enabled_result *we = &mb_result(a)->when_enabled;
		assert_string_equal(we->iommu, "Arm SMMU (device tree)");
		assert_non_null(strstr(we->how, "boot without initcall_blacklist=arm_smmu_driver_init"));
		assert_non_null(strstr(we->acs_note, cases[i].note));
		assert_int_equal(we->n_groups, cases[i].apart ? 3 : 2);
		assert_true(we_group_of(a, "0000:00:02.0") >= 0 && we_group_of(a, "0000:01:00.0") >= 0);
		assert_int_equal(we_group_of(a, "0000:00:02.0") != we_group_of(a, "0000:01:00.0"), cases[i].apart);
		for (size_t g = 0; g < we->n_groups; g++)
			assert_int_equal(we->groups[g].uncertain, cases[i].uncertain);
		if (cases[i].minor == 12)
			assert_non_null(strstr(we->probe_note, "when a driver probes it"));
		mb_free(a);
	}
}

/* No firmware IOMMU: no group, and the answer names the firmware switch; no firmware read: the
 * answer is unknown. A function no unit lists gets no group either. */
static void test_coverage(void **state)
{
	(void)state;
	struct ia_audit *a = off_host(NULL, NULL, "quiet");

	mb_fw_table(a, "APIC"); /* the ACPI tables were read: none describes an IOMMU */
	run(a);
	const struct ia_when_enabled_result *we = &mb_result(a)->when_enabled;
	assert_true(we->iommu_off);
	assert_null(we->iommu);
	assert_false(we->firmware_unread);
	assert_true(we->evaluated);
	assert_int_equal(we->n_groups, 0);
	assert_non_null(strstr(we->how, "the firmware describes no IOMMU"));
	mb_free(a);

	/* no firmware table read at all (unprivileged, or a dump alone): unknown, never "none" */
	a = off_host(NULL, NULL, "quiet");
	run(a);
	we = &mb_result(a)->when_enabled;
	assert_null(we->iommu);
	assert_true(we->firmware_unread);
	assert_false(we->evaluated);
	assert_non_null(strstr(we->how, "no firmware table was read"));
	assert_null(strstr(we->how, "describes no IOMMU"));
	/* `groups --when-enabled`, text and JSON, say unknown too (the JSON said "no IOMMU to enable") */
	for (int json = 0; json < 2; json++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		struct ia_report_opts o = { .names = false };
		assert_non_null(m);
		assert_int_equal(json ? ia_report_groups_json(a, mb_result(a), IA_GROUPS_WHEN_ENABLED, m) :
			       ia_report_groups(a, mb_result(a), &o, IA_GROUPS_WHEN_ENABLED, m), 0);
		assert_int_equal(fclose(m), 0);
		assert_non_null(strstr(buf, "the groups once an IOMMU is on are unknown: no firmware table was read"));
		assert_null(strstr(buf, "no IOMMU to enable"));
		free(buf);
	}
	mb_free(a);

	a = mb_new();
	mb_dev(a, "0000:00:02.0", NULL);
	mb_dev(a, "0000:00:03.0", NULL);
	mb_fw_unit_dev(a, mb_fw_unit(a, "IVRS", "amd-vi", "IVHD0"), "0000:00:03.0");
	mb_cmdline(a, "amd_iommu=off");
	run(a);
	we = &mb_result(a)->when_enabled;
	assert_string_equal(we->how, "boot without amd_iommu=off");
	assert_int_equal(we->n_uncovered, 1);
	assert_int_equal(we_group_of(a, "0000:00:02.0"), -1);
	assert_int_equal(we_group_of(a, "0000:00:03.0"), 0);
	mb_free(a);
}

/* Every function of @a behind one IOMMU unit of @kind (from firmware table @table), a 6.12
 * kernel with a plain command line; run, and the prediction once the IOMMU is on. */
static const struct ia_when_enabled_result *run_one_unit(struct ia_audit *a, const char *table, const char *kind)
{
	size_t u = mb_fw_unit(a, table, kind, "unit0");

	for (size_t i = 0; i < a->n_devs; i++)
		mb_fw_unit_dev(a, u, a->devs[i].bdf);
	a->has_kernel_version = true;
	a->kernel_major = 6;
	a->kernel_minor = 12;
	mb_cmdline(a, "quiet");
	run(a);
	return &mb_result(a)->when_enabled;
}

/* arm-smmu-v3 refuses the second function behind one PCIe-to-PCI bridge (the bridge's alias is a
 * StreamID already in its tree): that function gets no group; VT-d takes both. */
static void test_smmuv3_refuses_shared_streamid(void **state)
{
	(void)state;
	for (int smmu = 0; smmu < 2; smmu++) {
		struct ia_audit *a = mb_new();
		struct ia_dev *br = mb_root_port(a, "0000:00:04.0", 5, false);
		br->pcie_type = 0x7; /* PCIe-to-PCI bridge */
		for (int k = 0; k < 2; k++) {
			struct ia_dev *d = mb_dev(a, k ? "0000:05:02.0" : "0000:05:01.0", "0000:00:04.0");
			d->is_pcie = IA_NO;
		}
		const struct ia_when_enabled_result *we = run_one_unit(a, smmu ? "IORT" : "DMAR", smmu ? "smmu-v3" : "vt-d");
		assert_int_equal(we->n_refused, smmu ? 1 : 0);
		if (smmu)
			assert_string_equal(a->devs[we->refused[0]].bdf, "0000:05:02.0");
		assert_int_equal(we_group_of(a, "0000:05:02.0") < 0, smmu);
		assert_true(we_group_of(a, "0000:05:01.0") >= 0);
		mb_free(a);
	}
}

/* An Intel VCA bridge (8086:2954, quirk_pex_vca_alias()) carries 160 requester IDs, functions 0-4
 * of every slot of its bus, each a StreamID on the SMMUv3: a function probed later whose RID is one
 * of them is refused, one whose RID is not (function 5) is not. More IDs than the set of StreamIDs
 * was first sized for: it grows. */
static void test_smmuv3_many_streamids(void **state)
{
	(void)state;
	struct ia_audit *a = mb_new();
	mb_root_port(a, "0000:00:04.0", 5, false);
	struct ia_dev *vca = mb_dev(a, "0000:05:00.0", "0000:00:04.0");
	vca->vendor = 0x8086;
	vca->device = 0x2954;
	mb_dev(a, "0000:05:01.0", "0000:00:04.0");   /* devfn 0x08: function 0 of slot 1, an alias */
	mb_dev(a, "0000:05:01.5", "0000:00:04.0");   /* devfn 0x0d: function 5, not one */
	const struct ia_when_enabled_result *we = run_one_unit(a, "IORT", "smmu-v3");
	assert_int_equal(we->n_refused, 1);
	assert_string_equal(a->devs[we->refused[0]].bdf, "0000:05:01.0");
	assert_true(we_group_of(a, "0000:05:00.0") >= 0);
	assert_true(we_group_of(a, "0000:05:01.0") < 0);
	assert_true(we_group_of(a, "0000:05:01.5") >= 0);
	mb_free(a);
}

/* While the IOMMU is active the groups once it is on are the current prediction's (not copied),
 * and nothing else is said. */
static void test_active_is_current(void **state)
{
	(void)state;
	struct ia_audit *a = off_host("DMAR", "vt-d", "intel_iommu=on");

	mb_unit(a, "dmar0", "vt-d");
	mb_group(a, 0, "DMA", "0000:00:02.0", "0000:01:00.0", NULL);
	mb_group(a, 1, "DMA", "0000:00:03.0", "0000:02:00.0", NULL);
	run(a);
	const struct ia_when_enabled_result *we = &mb_result(a)->when_enabled;
	assert_false(we->iommu_off);
	assert_true(we->evaluated);
	assert_true(we->current); /* the reports print a->predicted for them */
	assert_null(we->how);
	assert_int_equal(we->n_groups, 0);
	assert_int_equal(a->n_predicted, 2);
	mb_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intel_enables_acs),
		cmocka_unit_test(test_config_acs_keeps_captured),
		cmocka_unit_test(test_dt_by_release),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_smmuv3_refuses_shared_streamid),
		cmocka_unit_test(test_smmuv3_many_streamids),
		cmocka_unit_test(test_acs_after_groups_window),
		cmocka_unit_test(test_active_is_current),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
