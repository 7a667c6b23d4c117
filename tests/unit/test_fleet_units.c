// SPDX-License-Identifier: GPL-2.0-or-later
// The fleet outputs on models built in memory (tests/unit/model_build.h): the Prometheus metrics'
// words (reports/prometheus.c) and the verdict tables written into the database (src/cli/verdicts_db.c).
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/ia_err.h"
#include "cli/verdicts_db.h"
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
	assert_line(t, "iommu_audit_info{version=\"" IA_VERSION "\",kernel=\"6.12-\\\"x\\\\y\\nz\\\\xff\"} 1\n");
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

/* One row of @sql's result as "a|b|c" (NULL as "NULL"), rows joined by newlines: malloc'd. */
static char *rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *out = calloc(1, 1 << 16);
	size_t at = 0;

	assert_non_null(out);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const unsigned char *v = sqlite3_column_text(st, c);
			at += (size_t)snprintf(out + at, (1 << 16) - at, "%s%s", c ? "|" : "", v ? (const char *)v : "NULL");
		}
		at += (size_t)snprintf(out + at, (1 << 16) - at, "\n");
		assert_true(at < (1 << 16));
	}
	sqlite3_finalize(st);
	return out;
}

static void assert_rows(sqlite3 *db, const char *sql, const char *want)
{
	char *got = rows(db, sql);

	if (strcmp(got, want))
		fail_msg("%s:\n got:\n%s want:\n%s", sql, got, want);
	free(got);
}

/*
 * The verdict rows (src/cli/verdicts_db.c): the run (command, time in UTC, policy, verdict,
 * states, counts), each finding with its fix, evidence, waiver and whether it fails, each group's
 * verdicts with NULL for unknown, and its blockers, exceptions and notes in that order, each
 * naming its finding by position. A second audit into the same file fails and leaves the first
 * one's rows as they were (one savepoint).
 */
static void test_db_verdict_rows(void **state)
{
	(void)state;
	struct ia_audit *a = two_groups();
	mb_finish(a);
	struct ia_run_opts ro = { .fail_on = IA_FAIL_ON_WARNING };
	assert_int_equal(mb_run(a, &ro), 0);
	struct ia_result *r = mb_result(a);
	size_t f0 = r->n_findings;
	assert_int_equal(ia_result_add_finding(r, "host.noiommu", IA_LEVEL_ERROR, "0000:00:01.0", "msg one",
					       "do this", "saw that"), 0);
	assert_int_equal(ia_result_add_finding(r, "collect.unreadable", IA_LEVEL_WARNING, NULL, "msg two", NULL, NULL), 0);
	r->findings[f0 + 1].waived = true;
	r->findings[f0 + 1].waiver_reason = strdup("known");
	r->findings[f0 + 1].waiver_expires = strdup("2030-01-01");
	r->groups[0].userspace_assignable = IA_UNKNOWN;
	r->groups[0].dma_ownership_viable = IA_NO;
	r->groups[0].isolation_unknown = true;
	r->groups[1].userspace_assignable = IA_YES;
	assert_int_equal(ia_contrib_add(&r->groups[0].blockers, &r->groups[0].n_blockers, IA_CONTRIB_BLOCKER, NULL,
					"0000:00:01.0", "host.noiommu", "the reason", f0), 0);
	assert_int_equal(ia_contrib_add(&r->groups[0].notes, &r->groups[0].n_notes, IA_CONTRIB_NOTE, NULL, NULL,
					"isolation.p2p-domain", "lifted reason", IA_NO_FINDING), 0);
	r->groups[0].notes[r->groups[0].n_notes - 1].lifted = "waived by the policy";
	ia_result_decide(r, IA_FAIL_ON_WARNING);

	sqlite3 *db;
	const char *err;
	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	struct cli_db_run run = { .command = "audit", .audited_at = 1700000000, .policy = "q.json" };
	assert_int_equal(cli_store_verdicts(db, a, r, &run), 0);
	char want[1024];
	snprintf(want, sizeof(want), "1|audit|%s|2023-11-14T22:13:20Z|q.json|warning|fail|1|1|unknown|unknown|2|1|%zu|container\n",
		 IA_VERSION, r->n_not_evaluated);
	assert_rows(db, "SELECT * FROM audit_run", want);
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT * FROM audit_finding WHERE seq >= %zu ORDER BY seq", f0);
	snprintf(want, sizeof(want),
		 "%zu|host.noiommu|error|0000:00:01.0|msg one|saw that|do this|0|NULL|NULL|1\n"
		 "%zu|collect.unreadable|warning|host|msg two|NULL|NULL|1|known|2030-01-01|0\n", f0, f0 + 1);
	assert_rows(db, sql, want);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_finding");
	snprintf(want, sizeof(want), "%zu\n", r->n_findings);
	assert_rows(db, sql, want);
	snprintf(want, sizeof(want), "1|0000:00:01.0|1|NULL|0|%s|%s|1|1\n2|0000:00:02.0|1|1|",
		 r->groups[0].kernel_hands_over == IA_UNKNOWN ? "NULL" : r->groups[0].kernel_hands_over == IA_YES ? "1" : "0",
		 r->groups[0].endpoint == IA_UNKNOWN ? "NULL" : r->groups[0].endpoint == IA_YES ? "1" : "0");
	char *got = rows(db, "SELECT group_id, first_bdf, members, userspace_assignable, dma_ownership_viable, "
			 "kernel_hands_over, endpoint, isolation_unknown, blockers FROM audit_group ORDER BY group_id");
	if (strncmp(got, want, strlen(want)))
		fail_msg("audit_group:\n%s\nwant to begin with:\n%s", got, want);
	free(got);
	snprintf(want, sizeof(want), "1|0|blocker|0000:00:01.0|host.noiommu|the reason|NULL|%zu\n"
		 "1|1|note|NULL|isolation.p2p-domain|lifted reason|waived by the policy|NULL\n", f0);
	/* the verdicts on each VFIO path (issue 12), as the engine gave them */
	for (size_t g = 0; g < 2; g++) {
		char pw[64], *e = pw;
		for (size_t q = 0; q < IA_N_PATHS; q++)
			for (int k = 0; k < 2; k++) {
				enum ia_tri t = k ? r->groups[g].paths[q].kernel_hands_over : r->groups[g].paths[q].userspace_assignable;
				e += sprintf(e, "%s%s", q || k ? "|" : "", t == IA_UNKNOWN ? "NULL" : t == IA_YES ? "1" : "0");
			}
		strcpy(e, "\n");
		snprintf(sql, sizeof(sql), "SELECT container_assignable, container_hands_over, iommufd_assignable, "
			 "iommufd_hands_over FROM audit_group WHERE group_id = %zu", g + 1);
		assert_rows(db, sql, pw);
	}
	assert_rows(db, "SELECT * FROM audit_group_item WHERE group_id = 1 AND what IN ('host.noiommu', "
		    "'isolation.p2p-domain') ORDER BY seq", want);
	/* every item's group has its row, every finding_seq its finding */
	assert_rows(db, "SELECT count(*) FROM audit_group_item i LEFT JOIN audit_group g USING (group_id) "
		    "LEFT JOIN audit_finding f ON f.seq = i.finding_seq WHERE g.group_id IS NULL OR "
		    "(i.finding_seq IS NOT NULL AND f.seq IS NULL)", "0\n");
	/* again into the same database: refused, nothing of it kept */
	char *before = rows(db, "SELECT (SELECT count(*) FROM audit_run), (SELECT count(*) FROM audit_finding), "
			    "(SELECT count(*) FROM audit_group), (SELECT count(*) FROM audit_group_item)");
	run.command = "plan";
	assert_int_equal(cli_store_verdicts(db, a, r, &run), -IA_E_SQLITE);
	assert_rows(db, "SELECT (SELECT count(*) FROM audit_run), (SELECT count(*) FROM audit_finding), "
		    "(SELECT count(*) FROM audit_group), (SELECT count(*) FROM audit_group_item)", before);
	assert_rows(db, "SELECT command FROM audit_run", "audit\n");
	free(before);
	ia_db_close(db);
	mb_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prom_words),
		cmocka_unit_test(test_prom_states),
		cmocka_unit_test(test_prom_group_cap),
		cmocka_unit_test(test_db_verdict_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
