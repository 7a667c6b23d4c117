// SPDX-License-Identifier: GPL-2.0-or-later
// The audit's verdicts as rows of the database's audit_* tables (src/core/facts.h), beside the facts they rest
// on: written here, above the renderers, since rules and reports never touch SQL (tests/layers.py).
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/db.h"
#include "core/facts.h"
#include "core/ia_err.h"
#include "cli/verdicts_db.h"
#include "rules/vfio_path.h"

/* An INTEGER column from a tri-state: NULL for unknown. */
static struct ia_fact_int vdb_tri(enum ia_tri t)
{
	return ia_fact_i(t != IA_UNKNOWN, t == IA_YES);
}

static int vdb_run(sqlite3 *db, const struct ia_audit *a, const struct ia_result *r, const struct cli_db_run *run)
{
	static const char *const fail_on[] = { [IA_FAIL_ON_ERROR] = "error", [IA_FAIL_ON_WARNING] = "warning",
					       [IA_FAIL_ON_NEVER] = "never" };
	static const char *const noiommu[] = { "available", "enabled", "unavailable", "unknown" };
	char when[32];
	struct tm tm;
	time_t t = run->audited_at;
	size_t assignable = 0;
	const char *ns = "unknown";
	sqlite3_stmt *st;
	int rc;

	for (size_t i = 0; i < r->n_groups; i++)
		assignable += r->groups[i].userspace_assignable == IA_YES;
	for (size_t i = 0; r->noiommu_state && i < sizeof(noiommu) / sizeof(noiommu[0]); i++)
		if (!strcmp(r->noiommu_state, noiommu[i]))
			ns = noiommu[i];
	if (!gmtime_r(&t, &tm) || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return -EINVAL;
	struct ia_fact_audit_run row = {
		.id = ia_fact_i(true, 1),
		.command = run->command,
		.tool_version = IA_VERSION,
		.audited_at = when,
		.policy = run->policy,
		.fail_on = r->verdict.fail_on <= IA_FAIL_ON_NEVER ? fail_on[r->verdict.fail_on] : "error",
		.verdict = r->verdict.fails ? "fail" : "pass",
		.exit_status = ia_fact_i(true, r->verdict.exit_status),
		.iommu_active = ia_fact_i(true, ia_audit_iommu_active(a)),
		.interrupt_isolation = r->irq_isolated == IA_YES ? "isolated" : r->irq_isolated == IA_NO ? "not_isolated"
												  : "unknown",
		.noiommu = ns,
		.iommu_groups = ia_fact_i(true, (int64_t)a->n_groups),
		.assignable_groups = ia_fact_i(true, (int64_t)assignable),
		.rules_not_evaluated = ia_fact_i(true, (int64_t)r->n_not_evaluated),
		.vfio_path = ia_vfio_path_name(r->path),
	};
	if ((rc = ia_fact_prepare_insert(db, IA_FACT_audit_run, NULL, &st)) < 0)
		return rc;
	ia_fact_bind(st, IA_FACT_audit_run, &row);
	rc = ia_db_step_done(st);
	sqlite3_finalize(st);
	return rc;
}

static int vdb_findings(sqlite3 *db, const struct ia_result *r)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = ia_fact_prepare_insert(db, IA_FACT_audit_finding, NULL, &st)) < 0)
		return rc;
	for (size_t i = 0; i < r->n_findings && !rc; i++) {
		const struct ia_finding *f = &r->findings[i];
		struct ia_fact_audit_finding row = {
			.seq = ia_fact_i(true, (int64_t)i),
			.rule = f->rule,
			.level = ia_level_name(f->level),
			.subject = f->subject ? f->subject : "host",
			.message = f->message ? f->message : "",
			.evidence = f->evidence,
			.fix = f->advice,
			.waived = ia_fact_i(true, f->waived),
			.waiver_reason = f->waived ? f->waiver_reason : NULL,
			.waiver_expires = f->waived ? f->waiver_expires : NULL,
			.fails = ia_fact_i(true, ia_finding_fails(f, r->verdict.fail_on)),
		};
		ia_fact_bind(st, IA_FACT_audit_finding, &row);
		rc = ia_db_step_done(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* One group's blockers, exceptions and notes, numbered from *@seq on. */
static int vdb_items(sqlite3_stmt *st, int group, const char *kind, const struct ia_contrib *c, size_t n,
		     size_t n_findings, int64_t *seq)
{
	int rc = 0;

	for (size_t k = 0; k < n && !rc; k++) {
		struct ia_fact_audit_group_item row = {
			.group_id = ia_fact_i(true, group),
			.seq = ia_fact_i(true, (*seq)++),
			.kind = kind,
			.bdf = c[k].bdf && c[k].bdf[0] ? c[k].bdf : NULL,
			.what = c[k].what ? c[k].what : "",
			.reason = c[k].reason ? c[k].reason : "",
			.lifted = c[k].kind == IA_CONTRIB_NOTE ? c[k].lifted : NULL,
			.finding_seq = ia_fact_i(c[k].finding < n_findings, (int64_t)c[k].finding),
		};
		ia_fact_bind(st, IA_FACT_audit_group_item, &row);
		rc = ia_db_step_done(st);
	}
	return rc;
}

static int vdb_groups(sqlite3 *db, const struct ia_audit *a, const struct ia_result *r)
{
	sqlite3_stmt *gs, *is = NULL;
	size_t n = a->n_groups < r->n_groups ? a->n_groups : r->n_groups;
	int rc;

	if ((rc = ia_fact_prepare_insert(db, IA_FACT_audit_group, NULL, &gs)) < 0)
		return rc;
	if ((rc = ia_fact_prepare_insert(db, IA_FACT_audit_group_item, NULL, &is)) < 0) {
		sqlite3_finalize(gs);
		return rc;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		const struct ia_group *g = &a->groups[i];
		const struct ia_group_verdict *v = &r->groups[i];
		struct ia_fact_audit_group row = {
			.group_id = ia_fact_i(true, g->id),
			.first_bdf = g->n_devices ? g->devices[0] : NULL,
			.members = ia_fact_i(true, (int64_t)g->n_devices),
			.userspace_assignable = vdb_tri(v->userspace_assignable),
			.dma_ownership_viable = vdb_tri(v->dma_ownership_viable),
			.kernel_hands_over = vdb_tri(v->kernel_hands_over),
			.container_assignable = vdb_tri(v->paths[IA_PATH_CONTAINER].userspace_assignable),
			.container_hands_over = vdb_tri(v->paths[IA_PATH_CONTAINER].kernel_hands_over),
			.iommufd_assignable = vdb_tri(v->paths[IA_PATH_IOMMUFD].userspace_assignable),
			.iommufd_hands_over = vdb_tri(v->paths[IA_PATH_IOMMUFD].kernel_hands_over),
			.endpoint = vdb_tri(v->endpoint),
			.isolation_unknown = ia_fact_i(true, v->isolation_unknown),
			.blockers = ia_fact_i(true, (int64_t)v->n_blockers),
		};
		int64_t seq = 0;
		ia_fact_bind(gs, IA_FACT_audit_group, &row);
		if (!(rc = ia_db_step_done(gs)) &&
		    !(rc = vdb_items(is, g->id, "blocker", v->blockers, v->n_blockers, r->n_findings, &seq)) &&
		    !(rc = vdb_items(is, g->id, "exception", v->exceptions, v->n_exceptions, r->n_findings, &seq)))
			rc = vdb_items(is, g->id, "note", v->notes, v->n_notes, r->n_findings, &seq);
	}
	sqlite3_finalize(gs);
	sqlite3_finalize(is);
	return rc;
}

int cli_store_verdicts(sqlite3 *db, const struct ia_audit *a, const struct ia_result *r, const struct cli_db_run *run)
{
	int rc;

	if (ia_db_exec(db, "SAVEPOINT ia_verdicts"))
		return -IA_E_SQLITE;
	if (!(rc = vdb_run(db, a, r, run)) && !(rc = vdb_findings(db, r)))
		rc = vdb_groups(db, a, r);
	if (rc) {
		ia_db_exec(db, "ROLLBACK TO ia_verdicts");
		ia_db_exec(db, "RELEASE ia_verdicts");
		return rc;
	}
	return ia_db_exec(db, "RELEASE ia_verdicts");
}
