// SPDX-License-Identifier: GPL-2.0-or-later
// The fleet outputs of one audit run (issue 15): `--also FORMAT=FILE` writes the same report in
// several formats, each atomically; `audit --db FILE --force` replaces a database atomically;
// `--format prometheus` is dated by SOURCE_DATE_EPOCH when set.
#include "testutil.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KKA IA_SOURCE_DIR "/tests/fixtures/kernel-known-answers"
#define CAPTURE KKA "/x86-intel-acs/run-6.12/snapshot.tar.gz"
#define CAPTURE_B KKA "/x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12/snapshot.tar.gz"
#define HELP "; see `iommu-audit --help`\n"

static int scratch_setup(void **state)
{
	(void)state;
	return ia_scratch_make("fleet");
}

static int scratch_teardown(void **state)
{
	(void)state;
	return ia_scratch_remove();
}

/* "iommu-audit @args" in the scratch directory, stdout and stderr into one string; its exit status. */
static char *run(const char *args, int *status)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "cd '%s' && NO_COLOR=1 timeout 120 %s %s 2>&1 </dev/null", ia_scratch, IA_BIN, args);
	*status = -1;
	char *out = ia_run_capture(cmd, status);
	assert_non_null(out);
	return out;
}

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
	ia_mk_text("r.text", "the previous report\n");
	assert_int_equal(link(ia_sp("r.text"), ia_sp("old.text")), 0);
	char *out = run("--snapshot " CAPTURE " --fail-on never --format json --output main.json"
			" --also text=r.text --also json=r.json --also junit=r.junit --also nfd=r.nfd", &st);
	assert_string_equal(out, "");
	assert_int_equal(st, 0);
	free(out);
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char args[1024], rel[64];
		snprintf(args, sizeof(args), "--snapshot " CAPTURE " --fail-on never --format %s", fmts[i]);
		char *want = run(args, &st);
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
	out = run("--snapshot " CAPTURE " --fail-on warning --also nfd=r.nfd --output /dev/null", &st);
	assert_int_equal(st, 1);
	free(out);
	char *nfd = slurp_text("r.nfd");
	assert_non_null(strstr(nfd, "iommu-audit.io/verdict=fail\n"));
	free(nfd);
}

/* A link in an --also FILE's place is refused and not followed (its target is not made); the
 * other outputs are still written, and the exit status says an output failed (2). */
static void test_also_refuses_links(void **state)
{
	int st;
	struct stat sb;

	(void)state;
	ia_mk_link("l.json", ia_sp("target.json"));
	char *out = run("--snapshot " CAPTURE " --fail-on never --output main.txt --also json=l.json --also nfd=r.nfd", &st);
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
	out = run("--snapshot " CAPTURE " --fail-on never --output main.txt --also json=no/such/dir/r.json", &st);
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
		{ "groups --also json=a", "`groups` does not take --also" },
		{ "plan 00:00.0 --also json=a", "`plan` does not take --also" },
		{ "--force", "--force replaces an existing --db FILE; give --db" },
		{ "groups --format prometheus", "--format prometheus: expected text or json for `groups`" },
	};
	int st;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[512];
		char *out = run(cases[i].args, &st);
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
	char *out = run("--snapshot " CAPTURE " --fail-on never --db h.db --output /dev/null", &st);
	assert_int_equal(st, 0);
	free(out);
	assert_int_equal(link(ia_sp("h.db"), ia_sp("old.db")), 0);
	out = run("--snapshot " CAPTURE_B " --fail-on never --db h.db --output /dev/null", &st);
	assert_string_equal(out, "iommu-audit: database h.db: the database already holds facts; give a new file\n");
	assert_int_equal(st, 2);
	free(out);
	out = run("--snapshot " CAPTURE_B " --fail-on never --db h.db --force --output /dev/null", &st);
	assert_string_equal(out, "");
	assert_int_equal(st, 0);
	free(out);
	out = run("--from-db h.db --fail-on never --format json --output h.json", &st);
	assert_int_equal(st, 0);
	free(out);
	out = run("--from-db old.db --fail-on never --format json --output old.json", &st);
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
	out = run("--snapshot " CAPTURE " --fail-on never --db l.db --force --output /dev/null", &st);
	assert_string_equal(out, "iommu-audit: database l.db: a symbolic link; refusing to write through it\n");
	assert_int_equal(st, 2);
	free(out);
	assert_int_equal(lstat(ia_sp("made-through-link.db"), &sb), -1);
}

/* --format prometheus: the run's time is SOURCE_DATE_EPOCH when set (reproducible outputs), and a
 * SOURCE_DATE_EPOCH that is not a number of seconds is a usage error, before anything is collected. */
static void test_prometheus_epoch(void **state)
{
	int st;

	(void)state;
	char *out = run("--snapshot " CAPTURE " --fail-on never --format prometheus --output m.prom", &st);
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_also_outputs, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_also_refuses_links, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_also_usage, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_audit_db_force, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_prometheus_epoch, scratch_setup, scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
