// SPDX-License-Identifier: GPL-2.0-or-later
// The fleet renderers on models built in memory (tests/unit/model_build.h): the Prometheus metrics'
// words (reports/prometheus.c) and the verdict tables written into the database.
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_build.h"
#include "reports/report.h"

/* The rendering of @a's result into a malloc'd string; @o may be NULL. */
static char *render_prom(const struct ia_audit *a, const struct ia_report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(ia_report_prometheus(a, mb_result(a), o, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* @line (with its newline) is one whole line of @text. */
static void assert_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = strstr(text, line); p; p = strstr(p + 1, line))
		if ((p == text || p[-1] == '\n') && p[n - 1] == '\n')
			return;
	fail_msg("no line %s in:\n%s", line, text);
}

/* Two endpoints in groups 1 and 2 on an active VT-d unit. */
static struct ia_audit *two_groups(void)
{
	struct ia_audit *a = mb_new();

	mb_dev(a, "0000:00:01.0", NULL);
	mb_dev(a, "0000:00:02.0", NULL);
	mb_group(a, 1, "DMA", "0000:00:01.0", NULL);
	mb_group(a, 2, "DMA", "0000:00:02.0", NULL);
	mb_unit(a, "dmar0", "vt-d");
	return a;
}

/*
 * The words of the metrics: the kernel label escaped (quote, backslash, newline) and made valid
 * UTF-8 (a stray byte becomes U+FFFD); each group's assignability 1, 0 or NaN (unknown) with its
 * number and first function; findings counted per rule and level without the waived ones (which
 * have their own count), a catalogue rule with none at 0, a rule outside the catalogue counted;
 * the time and duration exactly as given, and left out without them.
 */
static void test_prom_words(void **state)
{
	(void)state;
	struct ia_audit *a = two_groups();
	free(a->kernel_release);
	a->kernel_release = strdup("6.12-\"x\\y\nz\xff");
	assert_non_null(a->kernel_release);
	mb_finish(a);
	assert_int_equal(mb_run(a, NULL), 0);
	struct ia_result *r = mb_result(a);
	assert_int_equal(r->n_groups, 2);
	r->groups[0].userspace_assignable = IA_UNKNOWN;
	r->groups[1].userspace_assignable = IA_YES;
	assert_int_equal(ia_result_add_finding(r, "host.noiommu", IA_LEVEL_ERROR, NULL, "m", NULL, NULL), 0);
	assert_int_equal(ia_result_add_finding(r, "host.noiommu", IA_LEVEL_ERROR, NULL, "m", NULL, NULL), 0);
	r->findings[r->n_findings - 1].waived = true;
	assert_int_equal(ia_result_add_finding(r, "collect.unreadable", IA_LEVEL_WARNING, "sys/x", "m", NULL, NULL), 0);
	assert_int_equal(ia_result_add_finding(r, "collect.unreadable", IA_LEVEL_WARNING, "sys/y", "m", NULL, NULL), 0);
	size_t waived = 0;
	for (size_t i = 0; i < r->n_findings; i++)
		waived += r->findings[i].waived;

	struct ia_report_opts o = { .has_timing = true, .audited_at = 1700000000, .duration_s = 0.25 };
	char *t = render_prom(a, &o);
	assert_line(t, "iommu_audit_info{version=\"" IA_VERSION "\",kernel=\"6.12-\\\"x\\\\y\\nz\xef\xbf\xbd\"} 1\n");
	assert_line(t, "iommu_audit_group_assignable{group=\"1\",bdf=\"0000:00:01.0\"} NaN\n");
	assert_line(t, "iommu_audit_group_assignable{group=\"2\",bdf=\"0000:00:02.0\"} 1\n");
	assert_line(t, "iommu_audit_groups 2\n");
	assert_line(t, "iommu_audit_assignable_groups 1\n");
	assert_line(t, "iommu_audit_group_series_omitted 0\n");
	assert_line(t, "iommu_audit_findings{rule=\"host.noiommu\",level=\"error\"} 1\n");
	assert_null(strstr(t, "iommu_audit_findings{rule=\"host.noiommu\",level=\"error\"} 0"));
	assert_line(t, "iommu_audit_findings{rule=\"collect.unreadable\",level=\"warning\"} 2\n");
	assert_line(t, "iommu_audit_findings{rule=\"platform.msi-not-isolated\",level=\"error\"} 0\n");
	char w[64];
	snprintf(w, sizeof(w), "iommu_audit_waived_findings %zu\n", waived);
	assert_line(t, w);
	assert_true(waived >= 1);
	assert_line(t, "iommu_audit_iommu_active 1\n");
	assert_line(t, "# TYPE iommu_audit_group_assignable gauge\n");
	assert_line(t, "iommu_audit_last_audit_timestamp_seconds 1700000000\n");
	assert_line(t, "iommu_audit_duration_seconds 0.250000\n");
	/* one HELP and one TYPE per family, before its samples */
	const char *type = strstr(t, "# TYPE iommu_audit_findings gauge\n");
	assert_non_null(type);
	assert_null(strstr(type + 1, "# TYPE iommu_audit_findings "));
	assert_true(strstr(t, "# HELP iommu_audit_findings ") < type);
	assert_true(type < strstr(t, "\niommu_audit_findings{"));
	free(t);

	r->groups[0].userspace_assignable = IA_NO;
	t = render_prom(a, NULL);
	assert_line(t, "iommu_audit_group_assignable{group=\"1\",bdf=\"0000:00:01.0\"} 0\n");
	assert_null(strstr(t, "timestamp"));
	assert_null(strstr(t, "iommu_audit_duration_seconds"));
	free(t);
	mb_free(a);
}

/* The state sets: exactly one sample of each is 1, the current state's. */
static void test_prom_states(void **state)
{
	(void)state;
	struct ia_audit *a = two_groups();
	mb_finish(a);
	assert_int_equal(mb_run(a, NULL), 0);
	struct ia_result *r = mb_result(a);
	r->irq_isolated = IA_NO;
	r->noiommu_state = "enabled";
	r->verdict.fails = true;
	char *t = render_prom(a, NULL);
	assert_line(t, "iommu_audit_interrupt_isolation{state=\"isolated\"} 0\n");
	assert_line(t, "iommu_audit_interrupt_isolation{state=\"not_isolated\"} 1\n");
	assert_line(t, "iommu_audit_interrupt_isolation{state=\"unknown\"} 0\n");
	assert_line(t, "iommu_audit_noiommu{state=\"enabled\"} 1\n");
	assert_line(t, "iommu_audit_noiommu{state=\"unknown\"} 0\n");
	assert_line(t, "iommu_audit_verdict{verdict=\"pass\"} 0\n");
	assert_line(t, "iommu_audit_verdict{verdict=\"fail\"} 1\n");
	free(t);
	r->irq_isolated = IA_UNKNOWN;
	r->noiommu_state = NULL; /* not evaluated: unknown, never "unavailable" */
	r->verdict.fails = false;
	t = render_prom(a, NULL);
	assert_line(t, "iommu_audit_interrupt_isolation{state=\"unknown\"} 1\n");
	assert_line(t, "iommu_audit_noiommu{state=\"unknown\"} 1\n");
	assert_line(t, "iommu_audit_noiommu{state=\"unavailable\"} 0\n");
	assert_line(t, "iommu_audit_verdict{verdict=\"pass\"} 1\n");
	free(t);
	mb_free(a);
}

/* Bounded cardinality: 1,030 groups give 1,024 per-group series and say 6 were left out. */
static void test_prom_group_cap(void **state)
{
	(void)state;
	struct ia_audit *a = mb_new();
	char bdf[32];

	for (int i = 0; i < 1030; i++) {
		snprintf(bdf, sizeof(bdf), "0000:%02x:%02x.%d", 1 + i / 256, (i / 8) % 32, i % 8);
		mb_dev(a, bdf, NULL);
		mb_group(a, i, "DMA", bdf, NULL);
	}
	mb_unit(a, "dmar0", "vt-d");
	mb_finish(a);
	assert_int_equal(mb_run(a, NULL), 0);
	char *t = render_prom(a, NULL);
	size_t n = 0;
	for (const char *p = strstr(t, "\niommu_audit_group_assignable{"); p; p = strstr(p + 1, "\niommu_audit_group_assignable{"))
		n++;
	assert_int_equal(n, 1024);
	assert_line(t, "iommu_audit_groups 1030\n");
	assert_line(t, "iommu_audit_group_series_omitted 6\n");
	free(t);
	mb_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prom_words),
		cmocka_unit_test(test_prom_states),
		cmocka_unit_test(test_prom_group_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
