// SPDX-License-Identifier: GPL-2.0-or-later
// One option grammar (issue 14 item 3, src/cli/main.c): each command takes only its own options,
// and any other is a usage error of one line naming the option and the command, never silence;
// the command may stand anywhere among the options; `groups` and `rules` print JSON; `collect
// --db` refuses an existing file unless --force, which replaces it whole; failed writes say so;
// the documented examples of the README and the man page run as written.
#include "testutil.h"

#include <jansson.h>
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

/* Usage errors: exit 2 and exactly one line (no usage text), naming the program "iommu-audit"
 * although it runs as an absolute path; the option and the command named. */
static void test_usage_errors_one_line(void **state)
{
	static const struct { const char *args, *line; } c[] = {
		/* an option the command does not take (they were silently ignored) */
		{ "groups --force", "iommu-audit: `groups` does not take --force" HELP },
		{ "rules --output r.txt --root /", "iommu-audit: `rules` does not take --root" HELP },
		{ "rules --snapshot " CAPTURE, "iommu-audit: `rules` does not take --snapshot" HELP },
		{ "snapshot --format json --output x.tar", "iommu-audit: `snapshot` does not take --format" HELP },
		{ "snapshot --lspci-dump /dev/null --output x.tar", "iommu-audit: `snapshot` does not take --lspci-dump" HELP },
		{ "schema --no-names", "iommu-audit: `schema` does not take --no-names" HELP },
		{ "collect --db c.db --policy p.json", "iommu-audit: `collect` does not take --policy" HELP },
		{ "collect --db c.db --from-db x.db", "iommu-audit: `collect` does not take --from-db" HELP },
		{ "diff a b --root /", "iommu-audit: `diff` does not take --root" HELP },
		{ "plan 00:01.0 --color never", "iommu-audit: `plan` does not take --color" HELP },
		{ "plan 00:01.0 --pci-ids /dev/null", "iommu-audit: `plan` does not take --pci-ids" HELP },
		{ "--predicted", "iommu-audit: `audit` does not take --predicted" HELP },
		{ "--when-enabled --snapshot " CAPTURE, "iommu-audit: `audit` does not take --when-enabled" HELP },
		{ "-r / rules", "iommu-audit: `rules` does not take --root" HELP },
		/* a --format the command does not print */
		{ "groups --format junit", "iommu-audit: --format junit: expected text or json for `groups`" HELP },
		{ "rules --format nfd", "iommu-audit: --format nfd: expected text, json or man for `rules`" HELP },
		{ "--format man", "iommu-audit: --format man: expected text, json, junit, nfd or prometheus for `audit`" HELP },
		{ "plan 00:01.0 --format xml", "iommu-audit: --format xml: expected text or json for `plan`" HELP },
		/* getopt's own complaints, which named argv[0]'s full path */
		{ "--frobnicate", "iommu-audit: unrecognized option --frobnicate" HELP },
		{ "-x", "iommu-audit: unrecognized option -x" HELP },
		{ "--root", "iommu-audit: --root requires an argument" HELP },
		{ "snapshot --force=yes --output x.tar", "iommu-audit: --force takes no argument" HELP },
		{ "plan --snapshot " CAPTURE, "iommu-audit plan: name one or more devices (BDF, or -s/-d)" HELP },
		{ "--fail-on fatal", "iommu-audit: --fail-on fatal: expected error, warning or never" HELP },
		{ "frobnicate", "iommu-audit: unknown or unsupported command \"frobnicate\"" HELP },
		{ "groups extra", "iommu-audit: unexpected argument \"extra\" for `groups`" HELP },
		{ "--root / --from-db x.db", "iommu-audit: give at most one of --root, --snapshot and --from-db" HELP },
		{ "--from-db x.db --acpidump a.txt", "iommu-audit: --from-db audits the facts already collected: --acpidump is "
		  "not read into them (give it to `collect --db` instead)" HELP },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int st;
		char *out = ia_run_tool(c[i].args, &st);
		if (st != 2 || strcmp(out, c[i].line))
			fail_msg("iommu-audit %s: exit %d (want 2), said:\n%s\nwant:\n%s", c[i].args, st, out, c[i].line);
		free(out);
	}
}

/* The command may stand anywhere among the options: the same output and status either way;
 * operands of plan and diff keep their order around it. */
static void test_command_anywhere(void **state)
{
	static const struct { const char *a, *b; } c[] = {
		{ "groups --snapshot " CAPTURE " --fail-on never", "--snapshot " CAPTURE " --fail-on never groups" },
		{ "groups --predicted --snapshot " CAPTURE, "--predicted --snapshot " CAPTURE " groups" },
		{ "plan 00:01.0 --snapshot " CAPTURE, "--snapshot " CAPTURE " plan 00:01.0" },
		{ "plan 00:01.0 --snapshot " CAPTURE, "--snapshot " CAPTURE " 00:01.0 plan" },
		{ "diff " CAPTURE " " CAPTURE_B " --format json", "--format json diff " CAPTURE " " CAPTURE_B },
		{ "rules --format json", "--format json rules" },
		{ "audit --snapshot " CAPTURE " --fail-on never", "--snapshot " CAPTURE " --fail-on never" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int sa, sb;
		char *a = ia_run_tool(c[i].a, &sa), *b = ia_run_tool(c[i].b, &sb);
		if (sa != sb || strcmp(a, b) || sa == 2)
			fail_msg("`%s` (exit %d) and `%s` (exit %d) differ:\n%s\n----\n%s", c[i].a, sa, c[i].b, sb, a, b);
		free(a);
		free(b);
	}
	/* "groups" really is the command there: the group listing, not the report */
	int st;
	char *out = ia_run_tool("--snapshot " CAPTURE " --fail-on never groups", &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "IOMMU group 0:\n"));
	assert_null(strstr(out, "iommu-audit 0.1.0: captured host"));
	free(out);
}

/* --help and --version are taken anywhere; the usage lists each command's options. */
static void test_help(void **state)
{
	int st;
	char *out = ia_run_tool("groups --help", &st);

	(void)state;
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "\n  iommu-audit groups   [--root DIR|--snapshot FILE|--from-db FILE] [--predicted] [--when-enabled]\n"
				    "                      (--when-enabled: the groups once the IOMMU is on; implies --predicted)\n"
				    "                      [--format text|json]"));
	assert_non_null(strstr(out, "\nshort forms: -r DIR (--root), -f FORMAT (--format), -o FILE (--output), -q (--quiet), "
				    "-h (--help)\n"));
	assert_non_null(strstr(out, "\n  iommu-audit rules [--format text|json|man] [--output FILE]"));
	assert_non_null(strstr(out, "--db FILE [--force]"));
	free(out);
	out = ia_run_tool("--version rules", &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "iommu-audit 0.1.0\n");
	free(out);
	out = ia_run_capture(IA_BIN " --version 2>&1 >/dev/full", &st);
	assert_int_equal(st, 3);
	assert_string_equal(out, "iommu-audit: standard output: cannot write the version: No space left on device\n");
	free(out);
}

/* collect --db FILE: an existing FILE is refused (one line, exit 2, FILE untouched); --force
 * replaces it through a temporary file renamed into place, so a failed collection leaves it as it
 * was; a link or a directory is never replaced. */
static void test_collect_force(void **state)
{
	char db[512], args[2048];
	size_t len0, len1;
	int st;

	(void)state;
	snprintf(db, sizeof(db), "%s", ia_sp("c.db"));
	snprintf(args, sizeof(args), "collect --snapshot " CAPTURE " --db '%s'", db);
	char *out = ia_run_tool(args, &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "");
	free(out);
	uint8_t *before = ia_slurp(db, &len0);
	assert_non_null(before);
	/* again, without --force: refused */
	out = ia_run_tool(args, &st);
	char want[1024];
	snprintf(want, sizeof(want), "iommu-audit collect: %s exists; give --force to replace it\n", db);
	assert_int_equal(st, 2);
	assert_string_equal(out, want);
	free(out);
	/* a file that is not a database is refused just the same */
	ia_mk_text("junk.db", "not a database\n");
	snprintf(args, sizeof(args), "collect --snapshot " CAPTURE " --db junk.db");
	out = ia_run_tool(args, &st);
	assert_int_equal(st, 2);
	assert_string_equal(out, "iommu-audit collect: junk.db exists; give --force to replace it\n");
	free(out);
	/* --force: replaced by another host's facts, which an audit then reads */
	snprintf(args, sizeof(args), "collect --snapshot " CAPTURE_B " --db '%s' --force", db);
	out = ia_run_tool(args, &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "");
	free(out);
	snprintf(args, sizeof(args), "--from-db '%s' --fail-on never", db);
	out = ia_run_tool(args, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "x86-intel-scn-b-e1000-vfio-rtl-native"));
	free(out);
	/* a failed --force collection leaves the file as it was and nothing beside it */
	uint8_t *now = ia_slurp(db, &len1);
	assert_non_null(now);
	snprintf(args, sizeof(args), "collect --root '%s' --db '%s' --force", ia_sp("no-such-root"), db);
	out = ia_run_tool(args, &st);
	assert_int_equal(st, 3);
	free(out);
	uint8_t *after = ia_slurp(db, &len0);
	assert_non_null(after);
	assert_int_equal(len0, len1);
	assert_memory_equal(after, now, len1);
	free(before);
	free(now);
	free(after);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -c '^\\.c\\.db\\.' || true", ia_scratch);
	out = ia_run_capture(cmd, &st);
	assert_string_equal(out, "0\n");
	free(out);
	/* a link or a directory in the database's place: never replaced */
	ia_mk_link("l.db", ia_sp("made-through-link.db"));
	out = ia_run_tool("collect --snapshot " CAPTURE " --db l.db --force", &st);
	assert_int_equal(st, 2);
	assert_string_equal(out, "iommu-audit collect: l.db: --force replaces a regular file only, not a symbolic link\n");
	free(out);
	struct stat sb;
	assert_int_equal(lstat(ia_sp("made-through-link.db"), &sb), -1);
	ia_mk_dir("d.db");
	out = ia_run_tool("collect --snapshot " CAPTURE " --db d.db --force", &st);
	assert_int_equal(st, 2);
	assert_string_equal(out, "iommu-audit collect: d.db: --force replaces a regular file only, not a directory\n");
	free(out);
}

/* Only stdout (stderr dropped), parsed as JSON; its exit status into *@status. */
static json_t *run_json(const char *args, int *status)
{
	char cmd[4096];
	json_error_t err;

	snprintf(cmd, sizeof(cmd), "cd '%s' && timeout 120 %s %s 2>/dev/null </dev/null", ia_scratch, IA_BIN, args);
	*status = -1;
	char *out = ia_run_capture(cmd, status);
	assert_non_null(out);
	json_t *j = json_loads(out, 0, &err);
	if (!j)
		fail_msg("iommu-audit %s: not JSON (%s):\n%.2000s", args, err.text, out);
	free(out);
	return j;
}

/* The BDFs of every group's functions of `groups --format json`, one group per line ("A B\n"). */
static char *groups_json_members(json_t *j)
{
	size_t cap = 1 << 16, at = 0, i, k;
	char *s = calloc(1, cap);
	json_t *g, *d;

	assert_non_null(s);
	json_array_foreach(json_object_get(j, "groups"), i, g) {
		json_array_foreach(json_object_get(g, "devices"), k, d)
			at += (size_t)snprintf(s + at, cap - at, "%s%s", k ? " " : "",
					       json_string_value(json_object_get(d, "bdf")));
		at += (size_t)snprintf(s + at, cap - at, "\n");
		assert_true(at < cap);
	}
	return s;
}

/* The same from the text listing: the device lines under each group line. */
static char *groups_text_members(const char *text)
{
	size_t cap = 1 << 16, at = 0;
	char *s = calloc(1, cap);
	bool first = true;

	assert_non_null(s);
	for (const char *l = text; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		if (!strncmp(l, "    ", 4)) {
			at += (size_t)snprintf(s + at, cap - at, "%s%.12s", first ? "" : " ", l + 4);
			first = false;
		} else if (strstr(l, "group ") && !first) {
			at += (size_t)snprintf(s + at, cap - at, "\n");
			first = true;
		}
		assert_true(at < cap);
	}
	if (!first)
		snprintf(s + at, cap - at, "\n");
	return s;
}

/* `groups --format json` (it printed the text): each view, the same groups and functions as the
 * text listing, in the same order, with the functions' ids and drivers. */
static void test_groups_json(void **state)
{
	static const struct { const char *args, *view; } c[] = {
		{ "", "kernel" }, { "--predicted", "predicted" }, { "--when-enabled", "when_enabled" },
	};
	char args[2048];
	int st;

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(args, sizeof(args), "groups %s --snapshot " CAPTURE " --fail-on never --format json", c[i].args);
		json_t *j = run_json(args, &st);
		assert_int_equal(st, 0);
		assert_string_equal(json_string_value(json_object_get(j, "schema")), "iommu-audit-groups/1");
		assert_string_equal(json_string_value(json_object_get(j, "view")), c[i].view);
		assert_true(json_array_size(json_object_get(j, "groups")) > 0);
		snprintf(args, sizeof(args), "groups %s --snapshot " CAPTURE " --fail-on never", c[i].args);
		char *text = ia_run_tool(args, &st);
		assert_int_equal(st, 0);
		char *a = groups_json_members(j), *b = groups_text_members(text);
		assert_string_equal(a, b);
		free(a);
		free(b);
		free(text);
		json_decref(j);
	}
	/* kernel group 1 of this capture: the VGA function 0000:00:01.0, 1234:1111, bound to vfio-pci */
	json_t *j = run_json("groups --snapshot " CAPTURE " --fail-on never --format json", &st);
	json_t *g = json_array_get(json_object_get(j, "groups"), 1);
	assert_int_equal(json_integer_value(json_object_get(g, "id")), 1);
	assert_string_equal(json_string_value(json_object_get(g, "kind")), "iommu");
	json_t *d = json_array_get(json_object_get(g, "devices"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "bdf")), "0000:00:01.0");
	assert_string_equal(json_string_value(json_object_get(d, "vendor")), "0x1234");
	assert_string_equal(json_string_value(json_object_get(d, "device")), "0x1111");
	assert_string_equal(json_string_value(json_object_get(d, "class")), "0x030000");
	assert_string_equal(json_string_value(json_object_get(d, "driver")), "vfio-pci");
	assert_true(json_is_null(json_object_get(j, "note")));
	json_decref(j);
}

/* `rules --format json` (it printed the text): the catalogue, the text's rules in its order, with
 * level, summary, advice, refs and kernel_enforced. */
static void test_rules_json(void **state)
{
	int st;
	json_t *j = run_json("rules --format json", &st), *r;
	char *text = ia_run_tool("rules", &st);
	size_t i, n_enforced = 0;

	(void)state;
	assert_int_equal(st, 0);
	assert_string_equal(json_string_value(json_object_get(j, "schema")), "iommu-audit-rules/1");
	assert_true(json_array_size(json_object_get(j, "rules")) > 10);
	const char *at = text;
	json_array_foreach(json_object_get(j, "rules"), i, r) {
		char line[1024];
		snprintf(line, sizeof(line), "%-30s %-7s %s\n    advice: %s\n    source: %s\n",
			 json_string_value(json_object_get(r, "id")), json_string_value(json_object_get(r, "level")),
			 json_string_value(json_object_get(r, "summary")), json_string_value(json_object_get(r, "advice")),
			 json_string_value(json_object_get(r, "refs")));
		if (strncmp(at, line, strlen(line)))
			fail_msg("rule %zu: JSON gives\n%s\ntext has\n%.400s", i, line, at);
		at += strlen(line);
		/* then one "kernel:" line per row of the behaviour table the rule follows */
		size_t k;
		json_t *kb;
		json_array_foreach(json_object_get(r, "kernel_behaviours"), k, kb) {
			snprintf(line, sizeof(line), "    kernel: %s\n", json_string_value(json_object_get(kb, "releases")));
			if (strncmp(at, line, strlen(line)))
				fail_msg("rule %zu row %zu: JSON gives\n%s\ntext has\n%.400s", i, k, line, at);
			at += strlen(line);
		}
		n_enforced += json_is_true(json_object_get(r, "kernel_enforced"));
		assert_true(json_is_boolean(json_object_get(r, "kernel_enforced")));
	}
	assert_string_equal(at, "");
	assert_true(n_enforced > 0);
	free(text);
	json_decref(j);
	/* --output FILE is written, not stdout */
	char *out = ia_run_tool("rules --format json --output rules.json", &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "");
	free(out);
	json_error_t err;
	j = json_load_file(ia_sp("rules.json"), 0, &err);
	assert_non_null(j);
	json_decref(j);
}

/* A failed write of every JSON the grammar adds: exit 3 and one line. */
static void test_json_write_failures(void **state)
{
	static const struct { const char *args, *what; } c[] = {
		{ "groups --format json --fail-on never --snapshot " CAPTURE, "report" },
		{ "groups --when-enabled --format json --fail-on never --snapshot " CAPTURE, "report" },
		{ "rules --format json", "rule list" },
	};
	char cmd[2048], line[256];

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int st;
		snprintf(cmd, sizeof(cmd), "%s %s 2>&1 >/dev/full </dev/null", IA_BIN, c[i].args);
		char *out = ia_run_capture(cmd, &st);
		assert_non_null(out);
		snprintf(line, sizeof(line), "iommu-audit: standard output: cannot write the %s: No space left on device\n",
			 c[i].what);
		if (st != 3 || strcmp(out, line))
			fail_msg("iommu-audit %s >/dev/full: exit %d (want 3), said:\n%s", c[i].args, st, out);
		free(out);
	}
}

/* The README's and the man page's examples of the new options, run as written (host.tar.gz a
 * capture, host.db an earlier database that --force replaces). */
static void test_documented_examples(void **state)
{
	static const char *const ex[] = {
		"iommu-audit --snapshot host.tar.gz groups --format json",
		"iommu-audit rules --format json",
		"iommu-audit collect --snapshot host.tar.gz --db host.db --force",
		"iommu-audit --snapshot host.tar.gz --quiet",
		"iommu-audit --snapshot host.tar.gz --vfio-path iommufd --format json --fail-on never",
	};
	size_t len;
	char *readme = (char *)ia_slurp(IA_SOURCE_DIR "/README.md", &len);
	char *man = (char *)ia_slurp(IA_SOURCE_DIR "/man/iommu-audit.8", &len);
	char cmd[2048];
	int st;

	(void)state;
	assert_non_null(readme);
	assert_non_null(man);
	ia_mk_link("host.tar.gz", CAPTURE);
	snprintf(cmd, sizeof(cmd), "collect --snapshot " CAPTURE_B " --db host.db");
	free(ia_run_tool(cmd, &st));
	assert_int_equal(st, 0);
	for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		if (!strstr(readme, ex[i]))
			fail_msg("README.md does not show `%s`", ex[i]);
		if (!ia_man_shows(man, ex[i]))
			fail_msg("man/iommu-audit.8 does not show `%s`", ex[i]);
		json_t *j = NULL;
		if (strstr(ex[i], "--format json")) {
			j = run_json(ex[i] + strlen("iommu-audit "), &st);
			assert_non_null(j);
			if (strstr(ex[i], "--vfio-path iommufd")) /* the verdicts are iommufd's */
				assert_string_equal(json_string_value(json_object_get(json_object_get(j, "platform"),
										      "vfio_path")), "iommufd");
		} else {
			char *out = ia_run_tool(ex[i] + strlen("iommu-audit "), &st);
			if (strstr(ex[i], "--quiet"))   /* test_quiet checks the rest */
				assert_true(!strncmp(out, "VERDICT: FAIL: 1 finding at or above --fail-on error\n  error ", 60));
			else
				assert_string_equal(out, "");
			free(out);
		}
		/* groups exits as the audit does: this capture has findings at level error */
		if (st != (strstr(ex[i], " groups ") || strstr(ex[i], "--quiet") ? 1 : 0))
			fail_msg("`%s`: exit %d", ex[i], st);
		json_decref(j);
	}
	/* host.db now holds the capture's facts, not CAPTURE_B's */
	char *out = ia_run_tool("--from-db host.db --fail-on never", &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "captured host host.tar.gz\n"));
	free(out);
	free(readme);
	free(man);
}

/* --quiet (issue 14 item 7, as virt-host-validate -q): the full report's verdict line, then exactly
 * its "Fix these first" findings with their fixes, and nothing else; for the text report only. */
/* snapshot's exit statuses agree with the other commands': an output whose directory does not exist
 * is 2 (as --output and --db), a root with nothing to capture 3 (as an audit of it), before either
 * writes anything. */
static void test_snapshot_status(void **state)
{
	int st;
	(void)state;

	char *out = ia_run_tool("snapshot --root . --output no/such/dir/x.tar.gz", &st);
	assert_int_equal(st, 2);
	assert_string_equal(out, "iommu-audit snapshot: no/such/dir/x.tar.gz: No such file or directory\n");
	free(out);
	assert_int_equal(mkdir(ia_sp("empty"), 0755), 0);
	out = ia_run_tool("snapshot --root empty --output x.tar.gz", &st);
	assert_int_equal(st, 3);
	assert_string_equal(out, "iommu-audit snapshot: nothing to capture under empty (no sys/ or proc/)\n");
	free(out);
	assert_int_equal(access(ia_sp("x.tar.gz"), F_OK), -1);
}

static void test_quiet(void **state)
{
	int st, sq;
	char *full = ia_run_tool("--snapshot " CAPTURE, &st), *quiet = ia_run_tool("--snapshot " CAPTURE " --quiet", &sq);

	(void)state;
	assert_int_equal(st, 1);
	assert_int_equal(sq, 1);
	const char *v = strstr(full, "\nVERDICT: ");
	assert_non_null(v);
	v++;
	size_t vlen = (size_t)(strchr(v, '\n') + 1 - v);
	assert_memory_equal(quiet, v, vlen);
	assert_string_equal(quiet, "VERDICT: FAIL: 1 finding at or above --fail-on error\n"
				   "  error   0000:03:00.0 [isolation.p2p-domain]: 0000:03:00.0 0000:03:01.0 0000:04:00.0 "
				   "0000:05:00.0 can reach each other peer-to-peer without the IOMMU although the kernel puts "
				   "them in different groups: treat them as one isolation domain\n"
				   "          fix: Assign the whole isolation domain to one owner; 0000:03:00.0, 0000:03:01.0 have "
				   "no ACS capability, so nothing turns isolation on there: only other hardware (a switch or root "
				   "port with ACS) separates these devices.\n"
				   "          evidence: DSP 0000:03:00.0 lacks ACS P2P redirect (no ACS capability); DSP "
				   "0000:03:01.0 lacks ACS P2P redirect (no ACS capability)\n");
	const char *fix = strstr(full, "\nFix these first (they fail the audit)\n");
	assert_non_null(fix);
	fix = strchr(fix + 1, '\n') + 1;
	size_t flen = (size_t)(strstr(fix, "\n\n") + 1 - fix);
	assert_int_equal(strlen(quiet) - vlen, flen);
	assert_memory_equal(quiet + vlen, fix, flen);
	free(full);
	free(quiet);
	/* nothing fails: the verdict line alone, -q spelled short */
	quiet = ia_run_tool("-q --snapshot " CAPTURE " --fail-on never", &sq);
	assert_int_equal(sq, 0);
	assert_string_equal(quiet, "VERDICT: FAIL: 1 finding at or above error (--fail-on never: the exit status stays 0)\n");
	free(quiet);
	/* text only, audit only */
	quiet = ia_run_tool("--quiet --format json", &sq);
	assert_int_equal(sq, 2);
	assert_string_equal(quiet, "iommu-audit: --quiet shortens the text report only, not --format json" HELP);
	free(quiet);
	quiet = ia_run_tool("groups -q", &sq);
	assert_int_equal(sq, 2);
	assert_string_equal(quiet, "iommu-audit: `groups` does not take --quiet" HELP);
	free(quiet);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_usage_errors_one_line, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_command_anywhere, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_help, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_collect_force, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_groups_json, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_rules_json, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_json_write_failures, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_documented_examples, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_quiet, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_status, ia_scratch_setup, ia_scratch_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
