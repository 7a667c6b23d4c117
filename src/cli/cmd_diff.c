// SPDX-License-Identifier: GPL-2.0-or-later
// `iommu-audit diff OLD NEW`: what changed between two audits (src/cli/diff.c).
#include <errno.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/diff.h"
#include "core/db.h"
#include "core/ia_err.h"

/* Audit one `diff` operand (captured tree, snapshot archive or fact database) into @a.
 * Returns an exit status, or -1 to go on. */
static int audit_operand(const struct cli_opts *base, const char *path, struct ia_audit *a, struct ia_result *r)
{
	struct cli_opts o = *base;
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
	} else if ((status = cli_collect(&o, &db)) >= 0) {
		ia_db_close(db);
		return status;
	}
	char what[4200];
	snprintf(what, sizeof(what), "iommu-audit diff: %s", path);
	if (cli_evaluate(db, base, a, r, what) < 0) {
		ia_db_close(db);
		return EXIT_UNREADABLE;
	}
	ia_db_close(db);
	return -1;
}

/* `diff OLD NEW`: exit 1 when something got worse (struct ia_diff.n_worse: a finding newly failing
 * --fail-on, a group no longer assignable, MSI isolation lost, the IOMMU no longer active), 0
 * otherwise (nothing changed, or nothing got worse), 2 usage, 3 unreadable. */
int cli_cmd_diff(const struct cli_opts *o)
{
	struct ia_audit old = {0}, new = {0};
	struct ia_result old_r = {0}, new_r = {0};
	struct ia_diff *d = NULL;
	int status;

	if (o->n_args != 2 || o->root || o->snapshot || o->from_db || o->db ||
	    (o->format != FMT_TEXT && o->format != FMT_JSON)) {
		fprintf(stderr, "iommu-audit diff: give two inputs, OLD and NEW (each a captured tree, a .tar.gz "
				"snapshot or a .db), --format text or json, and no --root, --snapshot, --from-db or --db\n");
		return EXIT_USAGE;
	}
	if ((status = audit_operand(o, o->args[0], &old, &old_r)) < 0 &&
	    (status = audit_operand(o, o->args[1], &new, &new_r)) < 0) {
		FILE *out = NULL;
		int rc = ia_diff_audits(&old, &old_r, &new, &new_r, &d);
		if (rc < 0) {
			fprintf(stderr, "iommu-audit diff: %s\n", ia_strerror(rc));
			status = EXIT_UNREADABLE;
		} else if (!(out = cli_open_output(o))) {
			status = EXIT_USAGE;
		} else {
			rc = o->format == FMT_JSON ? ia_diff_json(d, o->args[0], o->args[1], out) : ia_diff_text(d, out);
			rc = cli_finish_output(o, out, rc, "diff");
			status = rc < 0 ? EXIT_UNREADABLE : d->n_worse ? EXIT_FINDINGS : EXIT_OK;
		}
	}
	ia_diff_free(d);
	ia_result_free(&old_r);
	ia_result_free(&new_r);
	ia_audit_free(&old);
	ia_audit_free(&new);
	return status;
}

