// SPDX-License-Identifier: GPL-2.0-or-later
// The iommu-audit command line: parse options, run the stages, pick a renderer, set the exit status.
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/audit.h"
#include "collectors/collect.h"
#include "core/db.h"
#include "core/ia_err.h"
#include "cli/diff.h"
#include "cli/plan.h"
#include "rules/policy.h"
#include "reports/report.h"
#include "rules/rules.h"
#include "capture/snapshot.h"

/* Exit statuses of ../shared/docs/contract.md. */
enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_UNREADABLE = 3 };

enum fmt { FMT_TEXT, FMT_JSON, FMT_JUNIT, FMT_NFD, FMT_MAN };
enum color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
enum failon { FAIL_ERROR, FAIL_WARNING, FAIL_NEVER };

struct opts {
	const char *cmd;
	const char *root, *snapshot, *output, *db, *from_db, *policy;
	enum fmt format;
	enum failon fail_on;
	enum color color;
	bool predicted, names;
	char **args; int n_args;   /* operands: plan BDF..., diff OLD NEW */
	struct ia_collect_opts collect;
};

static void usage(FILE *f)
{
	fputs("usage:\n"
	      "  iommu-audit [audit] [--root DIR|--snapshot FILE.tar.gz|--from-db FILE]\n"
	      "                      [--format text|json|junit|nfd] [--output FILE] [--db FILE]\n"
	      "                      [--fail-on error|warning|never] [--color auto|always|never]\n"
	      "                      [--policy FILE]   (docs/policy.md)\n"
	      "  iommu-audit plan BDF... [--root DIR|--snapshot FILE|--from-db FILE] [--format text|json]\n"
	      "  iommu-audit diff OLD NEW [--format text|json]   OLD, NEW: captured tree, .tar.gz or .db\n"
	      "  iommu-audit snapshot [--root DIR] --output FILE.tar.gz|DIR\n"
	      "  iommu-audit collect  [--root DIR|--snapshot FILE] --db FILE\n"
	      "  iommu-audit groups   [--root DIR|--snapshot FILE] [--predicted]\n"
	      "  iommu-audit rules [--format man]   list rule ids, levels, summaries, advice and sources\n"
	      "  iommu-audit schema                 print the fact database schema\n"
	      "  iommu-audit --version | --help\n"
	      "options that replace parts of the root:\n"
	      "  --lspci-dump FILE   read PCI config spaces from an `lspci -xxxx` dump (libpci dump method)\n"
	      "  --acpidump FILE     read ACPI tables from acpidump text output\n"
	      "  --dtb FILE          read the device tree from a flattened blob\n"
	      "  --pci-ids FILE      pci.ids for device names; --no-names to skip names\n"
	      "exit status: 0 nothing reached --fail-on; 1 findings reached it; 2 usage; 3 nothing readable\n", f);
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	enum { O_SNAPSHOT = 256, O_FAILON, O_FROMDB, O_POLICY, O_PREDICTED, O_LSPCI, O_ACPIDUMP, O_DTB,
	       O_PCIIDS, O_NONAMES, O_VERSION, O_COLOR };
	static const struct option lo[] = {
		{ "root", required_argument, NULL, 'r' }, { "snapshot", required_argument, NULL, O_SNAPSHOT },
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, 'd' }, { "from-db", required_argument, NULL, O_FROMDB },
		{ "policy", required_argument, NULL, O_POLICY }, { "fail-on", required_argument, NULL, O_FAILON },
		{ "predicted", no_argument, NULL, O_PREDICTED }, { "lspci-dump", required_argument, NULL, O_LSPCI },
		{ "acpidump", required_argument, NULL, O_ACPIDUMP }, { "dtb", required_argument, NULL, O_DTB },
		{ "pci-ids", required_argument, NULL, O_PCIIDS }, { "no-names", no_argument, NULL, O_NONAMES },
		{ "version", no_argument, NULL, O_VERSION }, { "help", no_argument, NULL, 'h' },
		{ "color", required_argument, NULL, O_COLOR },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->cmd = "audit";
	o->names = true;
	if (argc > 1 && argv[1][0] != '-') {
		o->cmd = argv[1];
		argv++;
		argc--;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:f:o:d:h", lo, NULL)) != -1) {
		switch (c) {
		case 'r': o->root = optarg; break;
		case O_SNAPSHOT: o->snapshot = optarg; break;
		case 'f':
			if (!strcmp(optarg, "text")) o->format = FMT_TEXT;
			else if (!strcmp(optarg, "json")) o->format = FMT_JSON;
			else if (!strcmp(optarg, "junit")) o->format = FMT_JUNIT;
			else if (!strcmp(optarg, "nfd")) o->format = FMT_NFD;
			else if (!strcmp(optarg, "man")) o->format = FMT_MAN;
			else {
				fprintf(stderr, "iommu-audit: --format %s: expected text, json, junit or nfd\n", optarg);
				return -1;
			}
			break;
		case O_COLOR:
			if (!strcmp(optarg, "auto")) o->color = COLOR_AUTO;
			else if (!strcmp(optarg, "always")) o->color = COLOR_ALWAYS;
			else if (!strcmp(optarg, "never")) o->color = COLOR_NEVER;
			else {
				fprintf(stderr, "iommu-audit: --color %s: expected auto, always or never\n", optarg);
				return -1;
			}
			break;
		case 'o': o->output = optarg; break;
		case 'd': o->db = optarg; break;
		case O_FROMDB: o->from_db = optarg; break;
		case O_POLICY: o->policy = optarg; break;
		case O_FAILON:
			if (!strcmp(optarg, "error")) o->fail_on = FAIL_ERROR;
			else if (!strcmp(optarg, "warning")) o->fail_on = FAIL_WARNING;
			else if (!strcmp(optarg, "never")) o->fail_on = FAIL_NEVER;
			else {
				fprintf(stderr, "iommu-audit: --fail-on %s: expected error, warning or never\n", optarg);
				return -1;
			}
			break;
		case O_PREDICTED: o->predicted = true; break;
		case O_LSPCI: o->collect.pci_dump = optarg; break;
		case O_ACPIDUMP: o->collect.acpidump = optarg; break;
		case O_DTB: o->collect.dtb = optarg; break;
		case O_PCIIDS: o->collect.pci_ids = optarg; break;
		case O_NONAMES: o->names = false; break;
		case O_VERSION: o->cmd = "version"; break;
		case 'h': o->cmd = "help"; break;
		default: return -1;
		}
	}
	o->args = argv + optind;
	o->n_args = argc - optind;
	if (o->n_args && strcmp(o->cmd, "plan") && strcmp(o->cmd, "diff")) {
		fprintf(stderr, "iommu-audit: unexpected argument \"%s\"\n", argv[optind]);
		return -1;
	}
	if ((o->root != NULL) + (o->snapshot != NULL) + (o->from_db != NULL) > 1) {
		fprintf(stderr, "iommu-audit: give at most one of --root, --snapshot and --from-db\n");
		return -1;
	}
	return 0;
}

static int write_run_row(sqlite3 *db, const char *root, bool live, const char *source)
{
	sqlite3_stmt *st;
	char when[32];
	time_t t = time(NULL);
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	if (ia_db_prepare(db, "INSERT INTO run VALUES (1,?,?,?,?,?)", &st))
		return -IA_E_SQLITE;
	sqlite3_bind_text(st, 1, IA_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, root, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, live);
	sqlite3_bind_text(st, 4, when, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, source, -1, SQLITE_TRANSIENT);
	int rc = ia_db_step_done(st);
	sqlite3_finalize(st);
	return rc;
}

/* Collect the facts of the chosen root into @db (a new database). Returns an exit status or -1 to go on. */
static int collect_into(const struct opts *o, sqlite3 **dbp)
{
	struct ia_fsroot root;
	struct ia_diags dg = {0};
	char *unpacked = NULL;
	const char *path = o->root ? o->root : "/";
	const char *err;
	int rc, status = -1;

	if (o->snapshot) {
		rc = ia_snapshot_unpack(o->snapshot, &unpacked, &dg);
		if (rc < 0) {
			fprintf(stderr, "iommu-audit: %s: %s\n", o->snapshot, ia_strerror(rc));
			for (size_t i = 0; i < dg.n; i++)
				fprintf(stderr, "  %s\n", dg.v[i].msg);
			ia_diags_free(&dg);
			return EXIT_UNREADABLE;
		}
		path = unpacked;
	}
	rc = ia_fsroot_open(&root, path);
	if (rc < 0) {
		fprintf(stderr, "iommu-audit: cannot open root %s: %s\n", path, ia_strerror(rc));
		status = EXIT_UNREADABLE;
		goto out;
	}
	rc = ia_db_open(dbp, o->db, true, &err);
	if (rc < 0) {
		fprintf(stderr, "iommu-audit: database %s: %s\n", o->db ? o->db : "(memory)", err ? err : ia_strerror(rc));
		status = EXIT_USAGE;
		ia_fsroot_close(&root);
		goto out;
	}
	char source[4200];
	snprintf(source, sizeof(source), "%s%s", o->collect.pci_dump ? "dump:" : "sysfs",
		 o->collect.pci_dump ? o->collect.pci_dump : "");
	write_run_row(*dbp, o->snapshot ? o->snapshot : path, root.live, source);
	struct ia_ctx ctx = { .root = &root, .db = *dbp, .opts = &o->collect };
	rc = ia_collect_all(&ctx);
	ia_fsroot_close(&root);
	if (rc == -ENODATA) {
		fprintf(stderr, "iommu-audit: nothing could be read under %s\n", o->snapshot ? o->snapshot : path);
		status = EXIT_UNREADABLE;
	} else if (rc < 0) {
		fprintf(stderr, "iommu-audit: %s\n", ia_strerror(rc));
		status = EXIT_UNREADABLE;
	}
out:
	ia_diags_free(&dg);
	if (unpacked) {
		ia_snapshot_remove(unpacked);
		free(unpacked);
	}
	return status;
}

/* `rules --format man`: the iommu-audit-rules(7) page, dated by SOURCE_DATE_EPOCH when set (reproducible builds). */
static int cmd_rules_man(const struct opts *o)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char date[16], *end;
	time_t t = time(NULL);
	struct tm tm;
	FILE *out = stdout;
	int rc;

	if (sde && *sde) {
		errno = 0;
		unsigned long long v = strtoull(sde, &end, 10);
		if (errno || *end) {
			fprintf(stderr, "iommu-audit: SOURCE_DATE_EPOCH=%s: expected seconds since 1970\n", sde);
			return EXIT_USAGE;
		}
		t = (time_t)v;
	}
	strftime(date, sizeof(date), "%Y-%m-%d", gmtime_r(&t, &tm));
	if (o->output && !(out = fopen(o->output, "w"))) {
		fprintf(stderr, "iommu-audit: %s: %s\n", o->output, strerror(errno));
		return EXIT_USAGE;
	}
	rc = ia_report_rules_man(date, out);
	if (out != stdout && fclose(out) != 0)
		rc = -EIO;
	if (rc < 0) {
		fprintf(stderr, "iommu-audit: writing the rules page failed: %s\n", ia_strerror(rc));
		return EXIT_UNREADABLE;
	}
	return EXIT_OK;
}

static int cmd_snapshot(const struct opts *o)
{
	struct ia_fsroot root;
	struct ia_diags dg = {0};
	int rc;

	if (!o->output) {
		fprintf(stderr, "iommu-audit snapshot: --output FILE.tar.gz|DIR is required\n");
		return EXIT_USAGE;
	}
	if ((rc = ia_fsroot_open(&root, o->root ? o->root : "/")) < 0) {
		fprintf(stderr, "iommu-audit: cannot open root: %s\n", ia_strerror(rc));
		return EXIT_UNREADABLE;
	}
	rc = ia_snapshot_capture(&root, o->output, &dg);
	ia_fsroot_close(&root);
	for (size_t i = 0; i < dg.n; i++)
		fprintf(stderr, "iommu-audit: %s: %s\n", dg.v[i].where, dg.v[i].msg);
	ia_diags_free(&dg);
	if (rc < 0) {
		fprintf(stderr, "iommu-audit snapshot: %s: %s\n", o->output, ia_strerror(rc));
		return rc == -EEXIST ? EXIT_USAGE : EXIT_UNREADABLE;
	}
	return EXIT_OK;
}

/* The policy of --policy, loaded before any collection so a malformed file fails fast (exit 2). */
static struct ia_policy *main_policy;

static void main_policy_free(void)
{
	ia_policy_free(main_policy);
}

/* --output FILE or stdout; NULL (and a message) when the file cannot be created. */
static FILE *open_output(const struct opts *o)
{
	FILE *out = o->output ? fopen(o->output, "w") : stdout;

	if (!out)
		fprintf(stderr, "iommu-audit: %s: %s\n", o->output, strerror(errno));
	return out;
}

/* `plan BDF...` over the evaluated audit: exit 0 feasible, 1 blocked, 2 unknown BDF. */
static int cmd_plan(const struct opts *o, const struct ia_audit *a)
{
	char (*bdf)[16] = calloc((size_t)o->n_args, sizeof(*bdf));
	const char **v = calloc((size_t)o->n_args, sizeof(*v));
	struct ia_plan *p = NULL;
	char err[256];
	int rc = bdf && v ? 0 : -ENOMEM, status = EXIT_UNREADABLE;

	for (int i = 0; i < o->n_args && rc == 0; i++) {
		rc = ia_plan_normalize_bdf(o->args[i], bdf[i]);
		v[i] = bdf[i];
	}
	if (rc == 0)
		rc = ia_plan_build(a, v, (size_t)o->n_args, &p, err, sizeof(err));
	if (rc == -ENOENT) {
		fprintf(stderr, "iommu-audit plan: %s\n", err);
		status = EXIT_USAGE;
	} else if (rc < 0) {
		fprintf(stderr, "iommu-audit plan: %s\n", ia_strerror(rc));
	} else {
		FILE *out = open_output(o);
		if (!out) {
			status = EXIT_USAGE;
		} else {
			rc = o->format == FMT_JSON ? ia_plan_json(p, out) : ia_plan_text(p, out);
			if (out != stdout && fclose(out) != 0)
				rc = -EIO;
			status = rc < 0 ? EXIT_UNREADABLE : ia_plan_feasible(p) ? EXIT_OK : EXIT_FINDINGS;
		}
	}
	ia_plan_free(p);
	free(bdf);
	free(v);
	return status;
}

/* Audit one `diff` operand (captured tree, snapshot archive or fact database) into @a.
 * Returns an exit status, or -1 to go on. */
static int audit_operand(const struct opts *base, const char *path, struct ia_audit *a)
{
	struct opts o = *base;
	enum ia_diff_input kind;
	sqlite3 *db = NULL;
	const char *err;
	int rc = ia_diff_input_kind(path, &kind), status;

	if (rc < 0) {
		fprintf(stderr, "iommu-audit diff: %s: %s\n", path, ia_strerror(rc));
		return EXIT_UNREADABLE;
	}
	o.root = kind == IA_DIFF_TREE ? path : NULL;
	o.snapshot = kind == IA_DIFF_ARCHIVE ? path : NULL;
	if (kind == IA_DIFF_DB) {
		if (ia_db_open(&db, path, false, &err) < 0) {
			fprintf(stderr, "iommu-audit diff: %s: %s\n", path, err);
			return EXIT_UNREADABLE;
		}
	} else if ((status = collect_into(&o, &db)) >= 0) {
		ia_db_close(db);
		return status;
	}
	if (ia_audit_load(db, a) < 0 || ia_rules_run(a, db) < 0 ||
	    (main_policy && ia_policy_apply(main_policy, a, time(NULL)) < 0)) {
		fprintf(stderr, "iommu-audit diff: %s: cannot evaluate the facts: %s\n", path, sqlite3_errmsg(db));
		ia_db_close(db);
		return EXIT_UNREADABLE;
	}
	ia_db_close(db);
	return -1;
}

/* `diff OLD NEW`: exit 0 nothing changed, 1 something did (like diff(1)), 2 usage, 3 unreadable. */
static int cmd_diff(const struct opts *o)
{
	struct ia_audit old = {0}, new = {0};
	struct ia_diff *d = NULL;
	int status;

	if (o->n_args != 2 || o->root || o->snapshot || o->from_db || o->db ||
	    (o->format != FMT_TEXT && o->format != FMT_JSON)) {
		fprintf(stderr, "iommu-audit diff: give two inputs, OLD and NEW (each a captured tree, a .tar.gz "
				"snapshot or a .db), --format text or json, and no --root, --snapshot, --from-db or --db\n");
		return EXIT_USAGE;
	}
	if ((status = audit_operand(o, o->args[0], &old)) < 0 && (status = audit_operand(o, o->args[1], &new)) < 0) {
		FILE *out = NULL;
		int rc = ia_diff_audits(&old, &new, &d);
		if (rc == 0 && !(out = open_output(o)))
			status = EXIT_USAGE;
		else {
			if (rc == 0)
				rc = o->format == FMT_JSON ? ia_diff_json(d, o->args[0], o->args[1], out) : ia_diff_text(d, out);
			if (out && out != stdout && fclose(out) != 0)
				rc = -EIO;
			if (rc < 0)
				fprintf(stderr, "iommu-audit diff: %s\n", ia_strerror(rc));
			status = rc < 0 ? EXIT_UNREADABLE : d->n ? EXIT_FINDINGS : EXIT_OK;
		}
	}
	ia_diff_free(d);
	ia_audit_free(&old);
	ia_audit_free(&new);
	return status;
}

int main(int argc, char **argv)
{
	/* No glibc fastbins: freeing a large report's many small blocks otherwise spends most of its
	 * time in malloc_consolidate() (measured on 16k functions, docs/benchmark.md). */
	mallopt(M_MXFAST, 0);
	struct opts o = {0};
	sqlite3 *db = NULL;
	struct ia_audit a = {0};
	int status;

	if (parse_args(argc, argv, &o) < 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(o.cmd, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(o.cmd, "version")) {
		printf("iommu-audit %s\n", IA_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(o.cmd, "schema")) {
		fputs(ia_db_schema_sql(), stdout);
		return EXIT_OK;
	}
	if (!strcmp(o.cmd, "snapshot"))
		return cmd_snapshot(&o);
	if (!strcmp(o.cmd, "rules") && o.format == FMT_MAN)
		return cmd_rules_man(&o);
	if (!strcmp(o.cmd, "rules")) {
		for (size_t i = 0; i < ia_n_rules; i++)
			printf("%-30s %-7s %s\n    advice: %s\n    source: %s\n", ia_rules[i]->id,
			       ia_level_name(ia_rules[i]->level), ia_rules[i]->summary, ia_rules[i]->advice,
			       ia_rules[i]->refs);
		return EXIT_OK;
	}
	if (o.format == FMT_MAN) {
		fprintf(stderr, "iommu-audit: --format man is for `iommu-audit rules` only\n");
		return EXIT_USAGE;
	}
	if (o.policy) {
		char err[600];
		if (ia_policy_load(o.policy, &main_policy, err, sizeof(err)) < 0) {
			fprintf(stderr, "iommu-audit: --policy %s\n", err);
			return EXIT_USAGE;
		}
		atexit(main_policy_free);
	}
	if (!strcmp(o.cmd, "diff"))
		return cmd_diff(&o);
	if (!strcmp(o.cmd, "plan")) {
		char bdf[16];
		if (!o.n_args || (o.format != FMT_TEXT && o.format != FMT_JSON)) {
			fprintf(stderr, "iommu-audit plan: name one or more devices (BDF), --format text or json\n");
			return EXIT_USAGE;
		}
		for (int i = 0; i < o.n_args; i++)
			if (ia_plan_normalize_bdf(o.args[i], bdf) < 0) {
				fprintf(stderr, "iommu-audit plan: \"%s\" is not a PCI address (DDDD:BB:DD.F or BB:DD.F)\n",
					o.args[i]);
				return EXIT_USAGE;
			}
	}
	if (strcmp(o.cmd, "audit") && strcmp(o.cmd, "collect") && strcmp(o.cmd, "groups") && strcmp(o.cmd, "plan")) {
		fprintf(stderr, "iommu-audit: unknown or unsupported command \"%s\"\n", o.cmd);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(o.cmd, "collect") && !o.db) {
		fprintf(stderr, "iommu-audit collect: --db FILE is required\n");
		return EXIT_USAGE;
	}
	if (o.from_db) {
		const char *err;
		if (ia_db_open(&db, o.from_db, false, &err) < 0) {
			fprintf(stderr, "iommu-audit: %s: %s\n", o.from_db, err);
			return EXIT_UNREADABLE;
		}
	} else if ((status = collect_into(&o, &db)) >= 0) {
		ia_db_close(db);
		return status;
	}
	if (!strcmp(o.cmd, "collect")) {
		ia_db_close(db);
		return EXIT_OK;
	}
	if (ia_audit_load(db, &a) < 0 || ia_rules_run(&a, db) < 0) {
		fprintf(stderr, "iommu-audit: cannot evaluate the facts: %s\n", sqlite3_errmsg(db));
		ia_db_close(db);
		ia_audit_free(&a);
		return EXIT_UNREADABLE;
	}
	ia_db_close(db);
	if (main_policy && ia_policy_apply(main_policy, &a, time(NULL)) < 0) {
		fprintf(stderr, "iommu-audit: applying the policy: %s\n", ia_strerror(-ENOMEM));
		ia_audit_free(&a);
		return EXIT_UNREADABLE;
	}
	if (!strcmp(o.cmd, "plan")) {
		status = cmd_plan(&o, &a);
		ia_audit_free(&a);
		return status;
	}

	FILE *out = stdout;
	if (o.output && !(out = fopen(o.output, "w"))) {
		fprintf(stderr, "iommu-audit: %s: %s\n", o.output, strerror(errno));
		ia_audit_free(&a);
		return EXIT_USAGE;
	}
	/* Colour: --color always/never, else only on a terminal and never with NO_COLOR set (no-color.org). */
	struct ia_report_opts ro = { .names = o.names, .pci_ids = o.collect.pci_ids,
				     .color = o.color == COLOR_ALWAYS || (o.color == COLOR_AUTO && isatty(fileno(out)) &&
									 !(getenv("NO_COLOR") && *getenv("NO_COLOR"))),
				     .fail_on = o.fail_on == FAIL_NEVER ? IA_FAIL_ON_NEVER :
						o.fail_on == FAIL_WARNING ? IA_FAIL_ON_WARNING : IA_FAIL_ON_ERROR };
	int rc;
	if (!strcmp(o.cmd, "groups"))
		rc = ia_report_groups(&a, &ro, o.predicted, out);
	else if (o.format == FMT_JSON)
		rc = ia_report_json(&a, &ro, out);
	else if (o.format == FMT_JUNIT)
		rc = ia_report_junit(&a, &ro, out);
	else if (o.format == FMT_NFD)
		rc = ia_report_nfd(&a, &ro, out);
	else
		rc = ia_report_text(&a, &ro, out);
	int werr = rc < 0 ? errno : 0; /* the failing write's reason: ENOSPC, EFBIG, EIO */
	if ((out != stdout ? fclose(out) : fflush(out)) != 0) {
		if (rc >= 0 || !werr)
			werr = errno;
		rc = -EIO;
	}
	if (rc < 0) {
		fprintf(stderr, "iommu-audit: %s: cannot write the report: %s\n",
			o.output ? o.output : "standard output", werr ? strerror(werr) : ia_strerror(rc));
		ia_audit_free(&a);
		return EXIT_UNREADABLE;
	}
	size_t errors = ia_audit_count(&a, IA_LEVEL_ERROR), warnings = ia_audit_count(&a, IA_LEVEL_WARNING);
	status = (o.fail_on == FAIL_ERROR && errors) || (o.fail_on == FAIL_WARNING && (errors || warnings))
		 ? EXIT_FINDINGS : EXIT_OK;
	ia_audit_free(&a);
	return status;
}
