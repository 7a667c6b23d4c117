// SPDX-License-Identifier: GPL-2.0-or-later
// The fleet outputs of one audit run (issue 15): `--also FORMAT=FILE` writes the same report in
// several formats, each atomically; `audit --db FILE --force` replaces a database atomically;
// `--format prometheus` is dated by SOURCE_DATE_EPOCH when set; `audit --db FILE` stores the verdicts.
#include "testutil.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#define KKA IA_SOURCE_DIR "/tests/fixtures/kernel-known-answers"
#define CAPTURE KKA "/x86-intel-acs/run-6.12/snapshot.tar.gz"
#define CAPTURE_B KKA "/x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12/snapshot.tar.gz"
#define HELP "; see `iommu-audit --help`\n"

/* The whole of scratch file @rel as a NUL-terminated string (fails the test when absent). */
static char *slurp_text(const char *rel)
{
	size_t n;
	uint8_t *b = ia_slurp(ia_sp(rel), &n);

	if (!b)
		fail_msg("%s: not written", rel);
	char *s = malloc(n + 1);
	assert_non_null(s);
	memcpy(s, b, n);
	s[n] = '\0';
	free(b);
	return s;
}

/* No temporary file (".NAME.XXXXXX") is left in the scratch directory. */
static void assert_no_temporaries(void)
{
	int st;
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -c '^\\.' || true", ia_scratch);
	char *out = ia_run_capture(cmd, &st);
	assert_non_null(out);
	assert_string_equal(out, "0\n");
	free(out);
}

/* One run, several outputs: each --also FILE holds exactly what a run with --format FORMAT prints;
 * a FILE that existed is replaced by a new file (a hard link to the old one keeps the old bytes),
 * not written in place; nothing is left beside the files. */
static void test_also_outputs(void **state)
{
	static const char *const fmts[] = { "text", "json", "junit", "nfd" };
	int st;

	(void)state;
	/* one time for every run here: the JSON, JUnit and NFD outputs carry it (host.audited_at, the
	 * audited_at property, NFD's expiry) */
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	ia_mk_text("r.text", "the previous report\n");
	assert_int_equal(link(ia_sp("r.text"), ia_sp("old.text")), 0);
	char *out = ia_run_tool("--snapshot " CAPTURE " --fail-on never --format json --output main.json"
			" --also text=r.text --also json=r.json --also junit=r.junit --also nfd=r.nfd", &st);
	assert_string_equal(out, "");
	assert_int_equal(st, 0);
	free(out);
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char args[1024], rel[64];
		snprintf(args, sizeof(args), "--snapshot " CAPTURE " --fail-on never --format %s", fmts[i]);
		char *want = ia_run_tool(args, &st);
		assert_int_equal(st, 0);
		snprintf(rel, sizeof(rel), "r.%s", fmts[i]);
		char *got = slurp_text(rel);
		if (strcmp(got, want))
			fail_msg("--also %s=%s differs from --format %s", fmts[i], rel, fmts[i]);
		free(got);
		free(want);
	}
	char *main_json = slurp_text("main.json"), *also_json = slurp_text("r.json");
	assert_string_equal(main_json, also_json);
	assert_non_null(strstr(main_json, "\"schema\": \"iommu-audit/1\""));
	free(main_json);
	free(also_json);
	char *old = slurp_text("old.text");
	assert_string_equal(old, "the previous report\n");
	free(old);
	assert_no_temporaries();
	/* the exit status is the verdict's, as without --also */
	out = ia_run_tool("--snapshot " CAPTURE " --fail-on warning --also nfd=r.nfd --output /dev/null", &st);
	assert_int_equal(st, 1);
	free(out);
	char *nfd = slurp_text("r.nfd");
	assert_non_null(strstr(nfd, "iommu-audit.io/verdict=fail\n"));
	free(nfd);
	unsetenv("SOURCE_DATE_EPOCH");
}

/* A link in an --also FILE's place is refused and not followed (its target is not made); the
 * other outputs are still written, and the exit status says an output failed (2). */
static void test_also_refuses_links(void **state)
{
	int st;
	struct stat sb;

	(void)state;
	ia_mk_link("l.json", ia_sp("target.json"));
	char *out = ia_run_tool("--snapshot " CAPTURE " --fail-on never --output main.txt --also json=l.json --also nfd=r.nfd", &st);
	assert_string_equal(out, "iommu-audit: l.json: a symbolic link; refusing to write through it\n");
	assert_int_equal(st, 2);
	free(out);
	assert_int_equal(lstat(ia_sp("target.json"), &sb), -1);
	char *nfd = slurp_text("r.nfd"), *txt = slurp_text("main.txt");
	assert_non_null(strstr(nfd, "iommu-audit.io/verdict="));
	assert_non_null(strstr(txt, "verdict"));
	free(nfd);
	free(txt);
	/* a directory that does not exist: said, exit 2 */
	out = ia_run_tool("--snapshot " CAPTURE " --fail-on never --output main.txt --also json=no/such/dir/r.json", &st);
	assert_int_equal(st, 2);
	assert_string_equal(out, "iommu-audit: no/such/dir/r.json: No such file or directory\n");
	free(out);
	assert_no_temporaries();
}

/* --also's usage errors: one line each, exit 2, naming the argument and what is wrong. */
static void test_also_usage(void **state)
{
	static const struct { const char *args, *msg; } cases[] = {
		{ "--also yaml=r", "--also yaml=r: expected FORMAT=FILE with FORMAT text, json, junit, nfd or prometheus" },
		{ "--also json", "--also json: expected FORMAT=FILE with FORMAT text, json, junit, nfd or prometheus" },
		{ "--also man=r", "--also man=r: expected FORMAT=FILE with FORMAT text, json, junit, nfd or prometheus" },
		{ "--also json=", "--also json=: no FILE after the '='" },
		{ "--also json=a --also text=a", "--also text=a: a is named by another --also already" },
		{ "--output a --also json=a", "--also json=a: a is the --output already" },
		{ "--db a --also json=a", "--also json=a: a is the --db already" },
		/* one file under two spellings (./a and a) */
		{ "--output ./a --also nfd=a", "--also nfd=a: a is the --output already" },
		{ "--also json=a --also text=./a", "--also text=./a: ./a is named by another --also already" },
		{ "--output a --db ./a", "--db ./a: ./a is the --output already" },
		{ "groups --also json=a", "`groups` does not take --also" },
		{ "plan 00:00.0 --also json=a", "`plan` does not take --also" },
		{ "--force", "--force replaces an existing --db FILE; give --db" },
		{ "groups --format prometheus", "--format prometheus: expected text or json for `groups`" },
	};
	int st;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[512];
		char *out = ia_run_tool(cases[i].args, &st);
		snprintf(want, sizeof(want), "iommu-audit: %s" HELP, cases[i].msg);
		assert_string_equal(out, want);
		assert_int_equal(st, 2);
		free(out);
	}
}

/* `audit --db FILE`: an existing database is refused; with --force it is replaced by a new file
 * renamed into place (a hard link to the old one keeps the old facts), never through a link. */
static void test_audit_db_force(void **state)
{
	int st;
	struct stat sb;

	(void)state;
	char *out = ia_run_tool("--snapshot " CAPTURE " --fail-on never --db h.db --output /dev/null", &st);
	assert_int_equal(st, 0);
	free(out);
	assert_int_equal(link(ia_sp("h.db"), ia_sp("old.db")), 0);
	out = ia_run_tool("--snapshot " CAPTURE_B " --fail-on never --db h.db --output /dev/null", &st);
	assert_string_equal(out, "iommu-audit: database h.db: the database already holds facts; give a new file\n");
	assert_int_equal(st, 2);
	free(out);
	out = ia_run_tool("--snapshot " CAPTURE_B " --fail-on never --db h.db --force --output /dev/null", &st);
	assert_string_equal(out, "");
	assert_int_equal(st, 0);
	free(out);
	out = ia_run_tool("--from-db h.db --fail-on never --format json --output h.json", &st);
	assert_int_equal(st, 0);
	free(out);
	out = ia_run_tool("--from-db old.db --fail-on never --format json --output old.json", &st);
	assert_int_equal(st, 0);
	free(out);
	char *h = slurp_text("h.json"), *o = slurp_text("old.json");
	assert_non_null(strstr(h, "\"root\": \"" CAPTURE_B "\""));
	assert_non_null(strstr(o, "\"root\": \"" CAPTURE "\""));
	free(h);
	free(o);
	unlink(ia_sp("h.json"));
	unlink(ia_sp("old.json"));
	assert_no_temporaries();
	/* a link in the database's place: refused, its target never made */
	ia_mk_link("l.db", ia_sp("made-through-link.db"));
	out = ia_run_tool("--snapshot " CAPTURE " --fail-on never --db l.db --force --output /dev/null", &st);
	assert_string_equal(out, "iommu-audit: database l.db: a symbolic link; refusing to write through it\n");
	assert_int_equal(st, 2);
	free(out);
	assert_int_equal(lstat(ia_sp("made-through-link.db"), &sb), -1);
}

/* --format prometheus: the run's time is SOURCE_DATE_EPOCH when set (reproducible outputs), and a
 * SOURCE_DATE_EPOCH that is not a number of seconds is a usage error, before anything is collected. */
/* Issue 15 item 2: the NFD file says when its labels expire (NFD's "# +expiry-time=" directive,
 * RFC 3339), two days after the audit, right after its comment line; the old file had no such line,
 * so a host whose timer stopped kept advertising its last verdicts for ever. */
static void test_nfd_expiry(void **state)
{
	int st;
	char cmd[4096];

	(void)state;
	snprintf(cmd, sizeof(cmd), "cd '%s' && SOURCE_DATE_EPOCH=1700000000 %s --snapshot " CAPTURE
		 " --fail-on never --format nfd 2>&1", ia_scratch, IA_BIN);
	char *m = ia_run_capture(cmd, &st);
	assert_int_equal(st, 0);
	const char *nl = strchr(m, '\n');
	assert_non_null(nl);
	assert_true(!strncmp(nl + 1, "# +expiry-time=2023-11-16T22:13:20Z\n", 36));
	free(m);
	/* also through --also, as the service writes it */
	snprintf(cmd, sizeof(cmd), "cd '%s' && SOURCE_DATE_EPOCH=1700000000 %s --snapshot " CAPTURE
		 " --fail-on never --format json --output r.json --also nfd=labels 2>&1", ia_scratch, IA_BIN);
	m = ia_run_capture(cmd, &st);
	assert_int_equal(st, 0);
	free(m);
	m = slurp_text("labels");
	assert_non_null(strstr(m, "\n# +expiry-time=2023-11-16T22:13:20Z\n"));
	free(m);
}

static void test_prometheus_epoch(void **state)
{
	int st;

	(void)state;
	char *out = ia_run_tool("--snapshot " CAPTURE " --fail-on never --format prometheus --output m.prom", &st);
	assert_int_equal(st, 0);
	free(out);
	char *m = slurp_text("m.prom");
	assert_non_null(strstr(m, "\niommu_audit_last_audit_timestamp_seconds "));
	assert_non_null(strstr(m, "\niommu_audit_duration_seconds "));
	assert_null(strstr(m, "\niommu_audit_last_audit_timestamp_seconds 1700000000\n"));
	free(m);
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "cd '%s' && SOURCE_DATE_EPOCH=1700000000 %s --snapshot " CAPTURE
		 " --fail-on never --format prometheus 2>&1", ia_scratch, IA_BIN);
	m = ia_run_capture(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(m, "\niommu_audit_last_audit_timestamp_seconds 1700000000\n"));
	free(m);
	static const char *const bad[] = { "-1", "12x", " 5", "99999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[256];
		snprintf(cmd, sizeof(cmd), "cd '%s' && SOURCE_DATE_EPOCH='%s' %s --snapshot " CAPTURE
			 " --format prometheus 2>&1", ia_scratch, bad[i], IA_BIN);
		m = ia_run_capture(cmd, &st);
		snprintf(want, sizeof(want), "iommu-audit: SOURCE_DATE_EPOCH=%s: expected seconds since 1970\n", bad[i]);
		assert_string_equal(m, want);
		assert_int_equal(st, 2);
		free(m);
	}
	/* an audit that writes no time is not failed by it: it says so once and dates the audit now
	 * (host.audited_at of the JSON report, cli_evaluate()) */
	snprintf(cmd, sizeof(cmd), "cd '%s' && SOURCE_DATE_EPOCH=x %s --snapshot " CAPTURE " --fail-on never --format text"
		 " 2>&1 >/dev/null", ia_scratch, IA_BIN);
	m = ia_run_capture(cmd, &st);
	assert_string_equal(m, "iommu-audit: SOURCE_DATE_EPOCH=x: expected seconds since 1970; the audit is dated now\n");
	assert_int_equal(st, 0);
	free(m);
}

/* The first column of @sql's single row as text ("NULL" for SQL NULL), malloc'd. */
static char *one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = strdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "NULL");
	sqlite3_finalize(st);
	assert_non_null(v);
	return v;
}

static void assert_one(sqlite3 *db, const char *sql, const char *want)
{
	char *got = one(db, sql);

	if (strcmp(got, want))
		fail_msg("%s: got %s, want %s", sql, got, want);
	free(got);
}

/*
 * `audit --db FILE` stores the verdicts beside the facts: the run, every finding of the JSON report
 * in its order with the same words, every group with the same assignability. `--from-db FILE`
 * audits the facts again and ignores the stored verdicts: its report is the same byte for byte,
 * even after the verdict rows were rewritten to say something else. `collect` leaves them empty.
 */
static void test_audit_db_verdicts(void **state)
{
	int st;
	json_error_t jerr;
	sqlite3 *db;

	(void)state;
	/* both reports carry the audit time (host.audited_at): one time for both runs */
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	char *out = ia_run_tool("--snapshot " CAPTURE_B " --fail-on warning --db v.db --format json --output a.json", &st);
	assert_string_equal(out, "");
	assert_int_equal(st, 1);
	free(out);
	json_t *j = json_load_file(ia_sp("a.json"), 0, &jerr);
	assert_non_null(j);
	assert_int_equal(sqlite3_open_v2(ia_sp("v.db"), &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_one(db, "SELECT command || ' ' || fail_on || ' ' || verdict || ' ' || exit_status || ' ' || "
		   "interrupt_isolation || ' ' || iommu_active FROM audit_run", "audit warning fail 1 isolated 1");
	assert_one(db, "SELECT tool_version FROM audit_run", IA_VERSION);
	assert_one(db, "SELECT audited_at GLOB '20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z' "
		   "FROM audit_run", "1");
	json_t *findings = json_object_get(j, "findings"), *f;
	size_t i;
	char sql[256], want[64];
	snprintf(want, sizeof(want), "%zu", json_array_size(findings));
	assert_one(db, "SELECT count(*) FROM audit_finding", want);
	assert_true(json_array_size(findings) > 0);
	json_array_foreach(findings, i, f) {
		static const char *const keys[][2] = { { "rule", "rule" }, { "level", "level" }, { "subject", "subject" },
						       { "message", "message" }, { "advice", "fix" }, { "evidence", "evidence" } };
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			const char *jv = json_string_value(json_object_get(f, keys[k][0]));
			snprintf(sql, sizeof(sql), "SELECT %s FROM audit_finding WHERE seq = %zu", keys[k][1], i);
			assert_one(db, sql, jv ? jv : "NULL");
		}
	}
	json_t *groups = json_object_get(j, "groups"), *g;
	snprintf(want, sizeof(want), "%zu", json_array_size(groups));
	assert_one(db, "SELECT count(*) FROM audit_group", want);
	assert_one(db, "SELECT iommu_groups FROM audit_run", want);
	json_array_foreach(groups, i, g) {
		json_t *u = json_object_get(g, "userspace_assignable");
		snprintf(sql, sizeof(sql), "SELECT userspace_assignable FROM audit_group WHERE group_id = %lld",
			 (long long)json_integer_value(json_object_get(g, "id")));
		assert_one(db, sql, json_is_null(u) ? "NULL" : json_is_true(u) ? "1" : "0");
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_group_item WHERE kind = 'blocker' AND group_id = %lld",
			 (long long)json_integer_value(json_object_get(g, "id")));
		snprintf(want, sizeof(want), "%zu", json_array_size(json_object_get(g, "blockers")));
		assert_one(db, sql, want);
	}
	/* the stored verdicts are outputs: rewritten, they change nothing --from-db reports */
	assert_int_equal(sqlite3_exec(db, "UPDATE audit_group SET userspace_assignable = 1; UPDATE audit_run SET "
				      "verdict = 'pass'; DELETE FROM audit_finding", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	json_decref(j);
	out = ia_run_tool("--from-db v.db --fail-on warning --format json --output b.json", &st);
	assert_string_equal(out, "");
	assert_int_equal(st, 1);
	free(out);
	char *a = slurp_text("a.json"), *b = slurp_text("b.json");
	assert_string_equal(a, b);
	free(a);
	free(b);
	/* collect: the facts only, no verdict rows */
	out = ia_run_tool("collect --snapshot " CAPTURE_B " --db c.db", &st);
	assert_int_equal(st, 0);
	free(out);
	assert_int_equal(sqlite3_open_v2(ia_sp("c.db"), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_one(db, "SELECT (SELECT count(*) FROM audit_run) + (SELECT count(*) FROM audit_finding) + "
		   "(SELECT count(*) FROM audit_group) + (SELECT count(*) FROM audit_group_item)", "0");
	assert_one(db, "SELECT count(*) FROM iommu_group", "14");
	sqlite3_close(db);
	assert_no_temporaries();
	unsetenv("SOURCE_DATE_EPOCH");
}

/* The README's and the man page's example of one run with every output, run as written (host.tar.gz
 * a capture, host.db an earlier database that --force replaces). */
static void test_documented_example(void **state)
{
	static const char ex[] = "iommu-audit --snapshot host.tar.gz --db host.db --force --format json --output host.json"
				 " --also nfd=host.nfd --also prometheus=host.prom";
	char esc[512];
	size_t len, k = 0;
	int st;

	(void)state;
	char *readme = (char *)ia_slurp(IA_SOURCE_DIR "/README.md", &len);
	char *man = (char *)ia_slurp(IA_SOURCE_DIR "/man/iommu-audit.8", &len);
	assert_non_null(readme);
	assert_non_null(man);
	if (!strstr(readme, ex))
		fail_msg("README.md does not show `%s`", ex);
	for (const char *p = ex; *p && k + 3 < sizeof(esc); p++) { /* roff: '-' is written "\-" */
		if (*p == '-')
			esc[k++] = '\\';
		esc[k++] = *p;
	}
	esc[k] = '\0';
	if (!strstr(man, esc))
		fail_msg("man/iommu-audit.8 does not show `%s` (as %s)", ex, esc);
	free(readme);
	free(man);
	ia_mk_link("host.tar.gz", CAPTURE);
	char *out = ia_run_tool("collect --snapshot " CAPTURE_B " --db host.db", &st);
	assert_int_equal(st, 0);
	free(out);
	out = ia_run_tool(ex + strlen("iommu-audit "), &st);
	assert_string_equal(out, "");
	assert_int_equal(st, 1); /* the capture has a finding at level error */
	free(out);
	char *json = slurp_text("host.json"), *nfd = slurp_text("host.nfd"), *prom = slurp_text("host.prom");
	assert_non_null(strstr(json, "\"root\": \"host.tar.gz\""));
	assert_non_null(strstr(nfd, "iommu-audit.io/verdict=fail\n"));
	assert_non_null(strstr(prom, "\niommu_audit_verdict{verdict=\"fail\"} 1\n"));
	free(json);
	free(nfd);
	free(prom);
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(ia_sp("host.db"), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_one(db, "SELECT root || ' ' || verdict FROM run, audit_run", "host.tar.gz fail");
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_also_outputs, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_also_refuses_links, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_also_usage, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_audit_db_force, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_nfd_expiry, ia_scratch_setup, ia_scratch_teardown),
cmocka_unit_test_setup_teardown(test_prometheus_epoch, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_audit_db_verdicts, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_documented_example, ia_scratch_setup, ia_scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
