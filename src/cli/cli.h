/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command line's shared pieces: parsed options, the stages every command runs through
 * (collect, evaluate), output files, and one entry point per command (src/cli/cmd_*.c). */
#ifndef IA_CLI_H
#define IA_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <sqlite3.h>

#include "cli/select.h"
#include "collectors/collect.h"
#include "model/audit.h"
#include "rules/result.h"

/* Exit statuses of ../shared/docs/contract.md. */
enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_UNREADABLE = 3 };

enum cli_fmt { FMT_TEXT, FMT_JSON, FMT_JUNIT, FMT_NFD, FMT_MAN, FMT_PROMETHEUS };
enum cli_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
enum cli_failon { FAIL_ERROR, FAIL_WARNING, FAIL_NEVER };

/** One `--also FORMAT=FILE` of audit: the same report also written to @file in @format. */
struct cli_also {
	const char *arg;                    /* "FORMAT=FILE" as given */
	enum cli_fmt format;
	const char *file;                   /* points into @arg, after the '=' */
};

/** The parsed command line (src/cli/main.c parse_args()). */
struct cli_opts {
	const char *cmd;                    /* "audit", "plan", "diff", ..., "help", "version" */
	const char *root, *snapshot, *output, *db, *from_db, *policy;
	enum cli_fmt format;
	enum cli_failon fail_on;
	enum cli_color color;
	bool predicted, names;
	bool when_enabled;           /* groups --when-enabled: the groups once the IOMMU is on */
	bool force;                         /* snapshot, collect --force: replace an existing archive, database;
					       plan --force: print the commands although the host uses a device */
	bool quiet;                         /* audit --quiet: the verdict and what fails it (text) */
	bool vfio_path_named;               /* --vfio-path given */
	int vfio_path;                      /* its enum ia_vfio_path */
	char **args; int n_args;            /* operands: plan BDF..., diff OLD NEW */
	struct cli_also *also; int n_also;  /* audit --also FORMAT=FILE..., in the order given */
	struct ia_collect_opts collect;
	struct ia_select select;            /* -s/--slot, -d/--device (audit, groups, plan) */
};

/**
 * cli_collect() - collect the facts of the root @o names (--root DIR, --snapshot FILE unpacked to a
 * temporary directory and removed again, else "/") into a new database (@o->db, or memory).
 * @dbp: receives the open database; on a returned status it may be set and must be closed.
 * Return: -1 to go on, or an exit status (EXIT_UNREADABLE: the root or nothing in it could be read;
 * EXIT_USAGE: the database could not be created), with a message on stderr.
 */
int cli_collect(const struct cli_opts *o, sqlite3 **dbp);

/**
 * cli_dumps_alone() - the command line gives dumps (--lspci-dump, --acpidump, --dtb) and no root
 * (--root, --snapshot, --from-db): the dumps are analysed as a host of their own, and cli_collect()
 * reads them over an empty root with only their collectors (nothing of the running machine).
 */
bool cli_dumps_alone(const struct cli_opts *o);

/**
 * cli_facts() - the facts the command audits: --from-db FILE opened read-only, else cli_collect().
 * @dbp: receives the open database when -1 is returned (the caller closes it).
 * Return: -1 to go on, or an exit status after a message on stderr (nothing left open).
 */
int cli_facts(const struct cli_opts *o, sqlite3 **dbp);

/**
 * cli_evaluate() - load the model from @db and run the rules (ia_rules_run()), which apply the
 * --policy loaded by cli_load_policy() (if any) and decide the host verdict and the exit status
 * under @o->fail_on (r->verdict). @a, @r: zeroed by the caller; freed by the caller
 * (ia_audit_free(), ia_result_free()) whatever the result. @what: prefix of the error message
 * ("iommu-audit", "iommu-audit diff: PATH").
 * Return: 0, or -1 after a message on stderr (the caller exits EXIT_UNREADABLE).
 */
int cli_evaluate(sqlite3 *db, const struct cli_opts *o, struct ia_audit *a, struct ia_result *r, const char *what);

/**
 * cli_audit() - cli_facts() then cli_evaluate(), the database closed after: the audited model in
 * @a and the engine's result in @r (zeroed by the caller, freed by the caller whatever happens).
 * Return: -1 to go on, or an exit status after a message on stderr.
 */
int cli_audit(const struct cli_opts *o, struct ia_audit *a, struct ia_result *r);

/**
 * cli_load_policy() - parse --policy FILE once, before any collection, so a malformed file fails
 * fast. Return: 0 (also without --policy), or EXIT_USAGE after a message on stderr.
 */
int cli_load_policy(const struct cli_opts *o);

/**
 * cli_check_inputs() - every file the command line names as input (--policy, --lspci-dump,
 * --acpidump, --dtb, --pci-ids, --snapshot, --from-db, diff's operands) is a regular file (or,
 * for diff's operands, a directory; --root is checked when it is opened, ia_fsroot_open()). Each is opened O_RDONLY | O_NONBLOCK, so a FIFO
 * or a device node is refused at once instead of blocking the audit forever or reading a
 * device's stream (issue 17, items 2 and 4), and fstat(2)ed.
 * Return: EXIT_OK; after one message on stderr naming the option and the reason (absent,
 * unreadable, "a FIFO, not a regular file"): EXIT_UNREADABLE for the host's own data (--snapshot,
 * --from-db, diff's operands: contract.md's "could not be read at all"), EXIT_USAGE for the others.
 */
int cli_check_inputs(const struct cli_opts *o);

/**
 * cli_open_output() - where the command writes: stdout, or --output FILE: a regular file (or a
 * new one) through a temporary file beside it (".FILE.XXXXXX", the mode fopen() would give) that
 * cli_finish_output() fsyncs and renames into place, so a failed or concurrent run never leaves
 * a cut report in FILE's place; a FIFO or device in place; a symbolic link is refused.
 * Return: the stream, or NULL after a message on stderr (exit EXIT_USAGE).
 */
FILE *cli_open_output(const struct cli_opts *o);

/**
 * cli_finish_output() - flush and close @out (from cli_open_output()) after a writer returned
 * @rc: the temporary file is fsync'ed and renamed onto --output FILE when all went well, else
 * removed (FILE stays as it was); say so when anything failed: "iommu-audit: FILE: cannot write
 * the WHAT: reason", the reason being the failed write's errno (ENOSPC, EFBIG, EIO).
 * Return: 0, or -EIO after the message.
 */
int cli_finish_output(const struct cli_opts *o, FILE *out, int rc, const char *what);

/**
 * Signals while a run has temporary files to remove (a --snapshot's unpacked tree, --db FILE's or
 * snapshot's temporary output): cli_stop_catch() makes SIGINT, SIGTERM and SIGHUP only set
 * cli_stop_sig (one a caller ignores stays ignored; @old: receives the three dispositions), the
 * work checks it and stops where it can, and after the cleanup cli_stop_restore() puts @old back
 * and re-raises the signal, so the process ends by it (exit 130, 143 or 129 in a shell).
 */
extern volatile sig_atomic_t cli_stop_sig;
void cli_stop_catch(struct sigaction old[3]);
void cli_stop_restore(const struct sigaction old[3]);

/**
 * cli_epoch() - the time of this run in *@t, seconds since 1970: SOURCE_DATE_EPOCH when set and
 * not empty (reproducible outputs, reproducible-builds.org/specs/source-date-epoch), else time(2).
 * The first call decides; later calls give the same time (every output of a run says one time).
 * Return: 0, or EXIT_USAGE after a message on stderr when SOURCE_DATE_EPOCH is not a decimal number
 * (on the first call only; *@t is then the current time, which later calls give without a word).
 */
int cli_epoch(time_t *t);

/** cli_usage() - the usage text, on @f. */
void cli_usage(FILE *f);

/* One entry point per command; each returns the process's exit status. */
int cli_cmd_audit(const struct cli_opts *o);     /* cmd_audit.c: audit and groups (reports) */
int cli_cmd_collect(const struct cli_opts *o);   /* cmd_collect.c: facts into --db */
int cli_cmd_plan(const struct cli_opts *o);      /* cmd_plan.c */
int cli_cmd_diff(const struct cli_opts *o);      /* cmd_diff.c */
int cli_cmd_snapshot(const struct cli_opts *o);  /* cmd_snapshot.c */
int cli_cmd_rules(const struct cli_opts *o);     /* cmd_rules.c: the rule table, text or man page */
int cli_cmd_schema(const struct cli_opts *o);    /* cmd_schema.c */

#endif
