// SPDX-License-Identifier: GPL-2.0-or-later
// The stages every command runs through: collect the root's facts, load the model, run the rules,
// apply the policy; and output files.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "capture/snapshot.h"
#include "core/db.h"
#include "core/ia_err.h"
#include "rules/policy.h"
#include "rules/rules.h"

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

/* cli_collect(): see cli.h. */
int cli_collect(const struct cli_opts *o, sqlite3 **dbp)
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

int cli_facts(const struct cli_opts *o, sqlite3 **dbp)
{
	const char *err;

	if (o->from_db) {
		if (ia_db_open(dbp, o->from_db, false, &err) < 0) {
			fprintf(stderr, "iommu-audit: %s: %s\n", o->from_db, err);
			return EXIT_UNREADABLE;
		}
		return -1;
	}
	int status = cli_collect(o, dbp);
	if (status >= 0) {
		ia_db_close(*dbp);
		*dbp = NULL;
	}
	return status;
}

/* The policy of --policy, loaded before any collection so a malformed file fails fast (exit 2). */
static struct ia_policy *cli_policy;

static void cli_policy_free(void)
{
	ia_policy_free(cli_policy);
}

int cli_load_policy(const struct cli_opts *o)
{
	char err[600];

	if (!o->policy || cli_policy)
		return EXIT_OK;
	if (ia_policy_load(o->policy, &cli_policy, err, sizeof(err)) < 0) {
		fprintf(stderr, "iommu-audit: --policy %s\n", err);
		return EXIT_USAGE;
	}
	atexit(cli_policy_free);
	return EXIT_OK;
}

int cli_evaluate(sqlite3 *db, struct ia_audit *a, const char *what)
{
	if (ia_audit_load(db, a) < 0 || ia_rules_run(a, db) < 0) {
		fprintf(stderr, "%s: cannot evaluate the facts: %s\n", what, sqlite3_errmsg(db));
		return -1;
	}
	if (cli_policy && ia_policy_apply(cli_policy, a, time(NULL)) < 0) {
		fprintf(stderr, "%s: applying the policy: %s\n", what, ia_strerror(-ENOMEM));
		return -1;
	}
	return 0;
}

FILE *cli_open_output(const struct cli_opts *o)
{
	FILE *out = o->output ? fopen(o->output, "w") : stdout;

	if (!out)
		fprintf(stderr, "iommu-audit: %s: %s\n", o->output, strerror(errno));
	return out;
}
