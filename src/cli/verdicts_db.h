/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The audit's verdicts into the database beside its facts (`audit --db FILE`): the audit_* tables. */
#ifndef IA_CLI_VERDICTS_DB_H
#define IA_CLI_VERDICTS_DB_H

#include <time.h>
#include <sqlite3.h>

#include "model/audit.h"
#include "rules/result.h"

/** What cli_store_verdicts() records of the run itself (table audit_run). */
struct cli_db_run {
	const char *command;     /* the command that audited: "audit", "groups" or "plan" */
	time_t audited_at;       /* seconds since 1970 (SOURCE_DATE_EPOCH when set) */
	const char *policy;      /* the --policy file as given, or NULL */
};

/**
 * cli_store_verdicts() - the audit's verdicts into the tables audit_run (one row: @run, the host verdict
 * of @r->verdict, interrupt isolation, no-IOMMU state, group counts), audit_finding (each finding
 * of @r in report order: rule, level, subject, message, evidence, fix = advice, waiver, whether it
 * fails under @r->verdict.fail_on), audit_group (each of @a's kernel groups: its verdicts, NULL
 * for unknown) and audit_group_item (its blockers, exceptions, notes) of @db, whose schema
 * (ia_db_open() create, src/core/facts.h) holds them empty. The rows are written inside one
 * savepoint: all of them, or on failure none (rolled back). It decides nothing: every value is @r's
 * (or @a's group list).
 * Return: 0; -IA_E_SQLITE (a table already holds a row of another audit, a failed write: the
 * connection's sqlite3_errmsg() says which); -ENOMEM; -EINVAL when @run->audited_at is no date.
 */
int cli_store_verdicts(sqlite3 *db, const struct ia_audit *a, const struct ia_result *r, const struct cli_db_run *run);

#endif
