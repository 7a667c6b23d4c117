// SPDX-License-Identifier: GPL-2.0-or-later
// The stages every command runs through: collect the root's facts, load the model, run the rules,
// apply the policy; and output files.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "capture/snapshot.h"
#include "core/db.h"
#include "core/ia_err.h"
#include "core/outfile.h"
#include "rules/policy.h"
#include "cli/verdicts_db.h"
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

int cli_epoch(time_t *t)
{
	static bool known;          /* one time per run: every output of the run says the same */
	static time_t when;
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;

	if (known) {
		*t = when;
		return 0;
	}
	*t = time(NULL);
	if (!sde || !*sde) {
		known = true;
		when = *t;
		return 0;
	}
	errno = 0;
	unsigned long long v = strtoull(sde, &end, 10);
	if (errno || *end || *sde < '0' || *sde > '9' || v > (unsigned long long)INT64_MAX) {
		fprintf(stderr, "iommu-audit: SOURCE_DATE_EPOCH=%s: expected seconds since 1970\n", sde);
		known = true; /* said once; a caller that goes on has the current time */
		when = *t;
		return EXIT_USAGE;
	}
	*t = when = (time_t)v;
	known = true;
	return 0;
}

/* The signal that asked the run to end while it had something to clean up (0: none): cli.h. */
volatile sig_atomic_t cli_stop_sig;

static void cli_on_stop_signal(int sig)
{
	if (!cli_stop_sig)
		cli_stop_sig = sig;
}

static const int cli_stop_sigs[] = { SIGINT, SIGTERM, SIGHUP };

/* cli_stop_catch(), cli_stop_restore(): see cli.h. */
void cli_stop_catch(struct sigaction old[3])
{
	struct sigaction sa = { .sa_handler = cli_on_stop_signal };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < 3; i++)
		if (sigaction(cli_stop_sigs[i], NULL, &old[i]) == 0 && old[i].sa_handler != SIG_IGN)
			sigaction(cli_stop_sigs[i], &sa, NULL);
}

void cli_stop_restore(const struct sigaction old[3])
{
	for (size_t i = 0; i < 3; i++)
		sigaction(cli_stop_sigs[i], &old[i], NULL);
	if (cli_stop_sig)
		raise(cli_stop_sig); /* ends the process unless the caller handles it */
}

bool cli_dumps_alone(const struct cli_opts *o)
{
	return (o->collect.pci_dump || o->collect.acpidump || o->collect.dtb) && !o->root && !o->snapshot && !o->from_db;
}

/* The collectors of dumps that stand alone: each dump's reader only (the kernel and iommu
 * collectors read the host's kernel state, which a dump does not hold). The pci collector always
 * runs: the firmware collectors resolve their scopes against its functions (none without a dump). */
static size_t cli_dump_collectors(const struct cli_opts *o, const struct ia_collector **list)
{
	size_t n = 0;

	for (size_t i = 0; i < ia_n_collectors; i++) {
		const char *name = ia_collectors[i]->name;
		if (!strcmp(name, "pci") || (!strcmp(name, "acpi") && o->collect.acpidump) ||
		    (!strcmp(name, "dt") && o->collect.dtb))
			list[n++] = ia_collectors[i];
	}
	return n;
}


/*
 * cli_collect() with @then: once the facts are whole, and while a --db FILE is still under its
 * temporary name (signals held), @then(db, @arg) runs on the open database (the audit's
 * evaluation and its verdict rows); the file is then renamed into place whatever @then returned,
 * since the facts are whole either way. Return: as cli_collect(), or @then's exit status when the
 * collection went well and @then returned one (>= 0; -1 goes on).
 */
static int cli_collect_then(const struct cli_opts *o, sqlite3 **dbp, int (*then)(sqlite3 *db, void *arg), void *arg)
{
	struct ia_fsroot root;
	struct ia_diags dg = {0};
	char *unpacked = NULL;
	const char *path = o->root ? o->root : "/";
	const char *err;
	int rc, status = -1;
	struct ia_db_pending pending = { .tmp = "" };

	static const struct ia_snapshot_limits lim = { IA_SNAPSHOT_MAX_BYTES, IA_SNAPSHOT_MAX_ENTRIES };
	struct sigaction old_sa[3];
	/* dumps without a root: an empty directory of our own is the root, so nothing of the machine
	 * running the tool is read (issue 14 item 4) */
	char empty[64] = "";
	bool alone = cli_dumps_alone(o);

	if (alone) {
		const char *tmp = getenv("TMPDIR");
		snprintf(empty, sizeof(empty), "%s/iommu-audit-dumps.XXXXXX", tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
		if (!mkdtemp(empty)) {
			fprintf(stderr, "iommu-audit: cannot make an empty root for the dumps: %s\n", strerror(errno));
			return EXIT_UNREADABLE;
		}
		path = empty;
	}

	/* the unpacked tree and the --db file's temporary are removed before a signal ends the run */
	bool catching = o->snapshot || o->db;
	if (catching)
		cli_stop_catch(old_sa);
	struct ia_memtree *tree = NULL;
	if (o->snapshot) {
		/* Served from memory: one pass over the archive, nothing written to disk (issue 18
		 * item 3). An archive larger than the in-memory budget is unpacked to $TMPDIR instead. */
		rc = ia_snapshot_load(o->snapshot, &lim, IA_SNAPSHOT_MEM_BUDGET, &cli_stop_sig, &tree, &dg);
		if (rc == -E2BIG) {
			fprintf(stderr, "iommu-audit: %s: larger than the %llu MiB replayed from memory; unpacking it to "
				"$TMPDIR instead (slower)\n", o->snapshot, IA_SNAPSHOT_MEM_BUDGET >> 20);
			ia_diags_free(&dg);
			rc = ia_snapshot_unpack_stoppable(o->snapshot, &lim, &cli_stop_sig, &unpacked, &dg);
		}
		if (rc < 0) {
			fprintf(stderr, "iommu-audit: %s: %s\n", o->snapshot, ia_strerror(rc));
			for (size_t i = 0; i < dg.n; i++)
				fprintf(stderr, "  %s\n", dg.v[i].msg);
			ia_diags_free(&dg);
			cli_stop_restore(old_sa); /* re-raised when a signal stopped the unpacking */
			return EXIT_UNREADABLE;
		}
		path = unpacked ? unpacked : path;
	}
	rc = tree ? ia_fsroot_open_mem(&root, tree, o->snapshot) : ia_fsroot_open(&root, path);
	if (rc < 0) {
		fprintf(stderr, "iommu-audit: cannot open root %s: %s\n", path, ia_strerror(rc));
		status = EXIT_UNREADABLE;
		goto out;
	}
	/* --db FILE: written beside FILE and renamed into place once the facts are whole (below) */
	rc = o->db ? ia_db_create_file(dbp, o->db, o->force, &pending, &err) : ia_db_open(dbp, NULL, true, &err);
	if (rc < 0) {
		fprintf(stderr, "iommu-audit: database %s: %s\n", o->db ? o->db : "(memory)", err ? err : ia_strerror(rc));
		status = EXIT_USAGE;
		ia_fsroot_close(&root);
		goto out;
	}
	char source[4200];
	snprintf(source, sizeof(source), "%s%s", o->collect.pci_dump ? "dump:" : alone ? "none" : "sysfs",
		 o->collect.pci_dump ? o->collect.pci_dump : "");
	/* the root "" says the dumps stood alone (src/core/facts.h run.root) */
	write_run_row(*dbp, alone ? "" : o->snapshot ? o->snapshot : path, root.live, source);
	struct ia_collect_opts copts = o->collect;
	copts.dumps_alone = alone;
	struct ia_ctx ctx = { .root = &root, .db = *dbp, .opts = &copts };
	const struct ia_collector *dump_list[8];
	rc = alone ? ia_collect_run(&ctx, dump_list, cli_dump_collectors(o, dump_list)) : ia_collect_all(&ctx);
	ia_fsroot_close(&root);
	if (rc == -ENODATA) {
		fprintf(stderr, "iommu-audit: nothing could be read %s%s\n", alone ? "from the dumps" : "under ",
			alone ? "" : o->snapshot ? o->snapshot : path);
		status = EXIT_UNREADABLE;
	} else if (rc < 0) {
		fprintf(stderr, "iommu-audit: %s\n", ia_strerror(rc));
		status = EXIT_UNREADABLE;
	}
	int then_status = status < 0 && then && !cli_stop_sig ? then(*dbp, arg) : -1;
	/* a run stopped by a signal while collecting from a --snapshot leaves no database either */
	if (status < 0 && !cli_stop_sig && ia_db_publish(&pending, &err) < 0) {
		fprintf(stderr, "iommu-audit: database %s: %s\n", o->db, err);
		status = EXIT_UNREADABLE;
	}
	if (status < 0 && then_status >= 0)
		status = then_status;
	ia_db_discard(&pending);
out:
	ia_diags_free(&dg);
	if (unpacked) {
		ia_snapshot_remove(unpacked);
		free(unpacked);
	}
	if (empty[0])
		rmdir(empty);
	if (catching)
		cli_stop_restore(old_sa);
	return status;
}

/* cli_collect(): see cli.h. */
int cli_collect(const struct cli_opts *o, sqlite3 **dbp)
{
	return cli_collect_then(o, dbp, NULL, NULL);
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

/* The time of this audit: SOURCE_DATE_EPOCH when set (reproducible reports: the golden tests, a
 * packager's build), else now. A malformed value is said once and the clock used. */
static time_t cli_audit_time(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;

	if (!sde || !*sde)
		return time(NULL);
	errno = 0;
	unsigned long long v = strtoull(sde, &end, 10);
	if (errno || *end || sde[0] == '-' || v > (unsigned long long)INT64_MAX / 2) {
		fprintf(stderr, "iommu-audit: SOURCE_DATE_EPOCH=%s: expected seconds since 1970; the audit is dated now\n", sde);
		return time(NULL);
	}
	return (time_t)v;
}

int cli_evaluate(sqlite3 *db, const struct cli_opts *o, struct ia_audit *a, struct ia_result *r, const char *what)
{
	/* the engine applies the policy and decides the host verdict and the exit status once */
	struct ia_run_opts run = { .policy = cli_policy, .today = time(NULL),
				   .fail_on = o->fail_on == FAIL_NEVER ? IA_FAIL_ON_NEVER :
					      o->fail_on == FAIL_WARNING ? IA_FAIL_ON_WARNING : IA_FAIL_ON_ERROR,
				   .vfio_path_named = o->vfio_path_named, .vfio_path = (enum ia_vfio_path)o->vfio_path };
	int rc = ia_audit_load(db, a);

	if (rc == 0)
		ia_identity_stamp(&a->identity, cli_audit_time()); /* this run's time, not the collection's */
	if (rc == 0)
		rc = ia_rules_run(a, &run, r);
	if (rc < 0) {
		const char *msg = NULL;
		ia_db_step_failed(&msg);
		fprintf(stderr, "%s: cannot evaluate the facts: %s\n", what,
			rc == -IA_E_SQLITE ? (msg ? msg : sqlite3_errmsg(db)) : ia_strerror(rc));
		return -1;
	}
	return 0;
}

/* What cli_audit() hands cli_collect_then() for a --db FILE. */
struct cli_audit_then {
	const struct cli_opts *o;
	struct ia_audit *a;
	struct ia_result *r;
	bool evaluated;
};

/* Evaluate the facts just collected and store the verdicts beside them (cli_store_verdicts()). */
static int cli_audit_into_db(sqlite3 *db, void *arg)
{
	struct cli_audit_then *t = arg;
	time_t when;

	if (cli_evaluate(db, t->o, t->a, t->r, "iommu-audit") < 0)
		return EXIT_UNREADABLE;
	t->evaluated = true;
	/* the time cli_cmd_audit() checked before collecting (groups and plan: a malformed
	 * SOURCE_DATE_EPOCH is said here and the current time stored) */
	cli_epoch(&when);
	struct cli_db_run run = { .command = t->o->cmd, .audited_at = when, .policy = t->o->policy };
	int rc = cli_store_verdicts(db, t->a, t->r, &run);
	if (rc < 0) {
		fprintf(stderr, "iommu-audit: database %s: cannot store the verdicts: %s\n", t->o->db,
			rc == -IA_E_SQLITE ? sqlite3_errmsg(db) : ia_strerror(rc));
		return EXIT_UNREADABLE;
	}
	return -1;
}

int cli_audit(const struct cli_opts *o, struct ia_audit *a, struct ia_result *r)
{
	sqlite3 *db = NULL;
	int status;

	if (o->db && !o->from_db) {
		/* --db FILE: the verdicts go in before the file is renamed into place */
		struct cli_audit_then t = { .o = o, .a = a, .r = r };
		status = cli_collect_then(o, &db, cli_audit_into_db, &t);
		ia_db_close(db);
		return status >= 0 ? status : t.evaluated ? -1 : EXIT_UNREADABLE;
	}
	if ((status = cli_facts(o, &db)) >= 0)
		return status;
	status = cli_evaluate(db, o, a, r, "iommu-audit") < 0 ? EXIT_UNREADABLE : -1;
	ia_db_close(db);
	return status;
}

static const char *cli_file_kind(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device" :
	       S_ISSOCK(m) ? "a socket" : S_ISDIR(m) ? "a directory" : "not a regular file";
}

/* One input: @opt begins the message ("iommu-audit: --policy", "iommu-audit diff:"); @dir_ok: a
 * directory is accepted too; @status: the exit status of a refusal (EXIT_UNREADABLE for the host's own data, contract.md). */
static int cli_check_input(const char *opt, const char *path, bool dir_ok, int status)
{
	struct stat st;
	int fd;

	if (!path)
		return EXIT_OK;
	/* O_NONBLOCK: opening a FIFO without a writer returns at once; O_NOCTTY: a terminal device
	 * never becomes the controlling one. Directories open read-only as well. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "%s %s: %s\n", opt, path, strerror(errno));
		return status;
	}
	int rc = fstat(fd, &st);
	int eno = errno;
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "%s %s: %s\n", opt, path, strerror(eno));
		return status;
	}
	if (S_ISREG(st.st_mode) || (dir_ok && S_ISDIR(st.st_mode)))
		return EXIT_OK;
	fprintf(stderr, "%s %s: %s, not a regular file%s\n", opt, path, cli_file_kind(st.st_mode),
		dir_ok ? " or a directory" : "");
	return status;
}

int cli_check_inputs(const struct cli_opts *o)
{
	const struct { const char *opt, *path; int status; } in[] = {
		{ "iommu-audit: --snapshot", o->snapshot, EXIT_UNREADABLE },
		{ "iommu-audit: --from-db", o->from_db, EXIT_UNREADABLE },
		{ "iommu-audit: --policy", o->policy, EXIT_USAGE },
		{ "iommu-audit: --lspci-dump", o->collect.pci_dump, EXIT_USAGE },
		{ "iommu-audit: --acpidump", o->collect.acpidump, EXIT_USAGE },
		{ "iommu-audit: --dtb", o->collect.dtb, EXIT_USAGE },
		{ "iommu-audit: --pci-ids", o->collect.pci_ids, EXIT_USAGE },
	};
	int status = EXIT_OK;

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]) && status == EXIT_OK; i++)
		status = cli_check_input(in[i].opt, in[i].path, false, in[i].status);
	if (o->cmd && !strcmp(o->cmd, "diff"))
		for (int i = 0; i < o->n_args && status == EXIT_OK; i++)
			status = cli_check_input("iommu-audit diff:", o->args[i], true, EXIT_UNREADABLE);
	return status;
}

/* The temporary file cli_open_output() made beside --output FILE ("" when writing in place). */
static char cli_out_tmp[PATH_MAX];

int cli_finish_output(const struct cli_opts *o, FILE *out, int rc, const char *what)
{
	int werr = rc < 0 ? errno : 0; /* the failing write's reason, when the writer failed first */

	if (ferror(out) && rc >= 0) { /* a writer that does not check: errno is its failed write's */
		werr = errno;
		rc = -EIO;
	}
	if (fflush(out) != 0 || (cli_out_tmp[0] && out != stdout && fsync(fileno(out)) != 0)) {
		if (rc >= 0 || !werr)
			werr = errno;
		rc = -EIO;
	}
	if (out != stdout && fclose(out) != 0) {
		if (rc >= 0 || !werr)
			werr = errno;
		rc = -EIO;
	}
	if (cli_out_tmp[0]) {
		/* into place only when whole: a failed run leaves the previous report untouched */
		if (rc >= 0 && rename(cli_out_tmp, o->output) != 0) {
			werr = errno;
			rc = -EIO;
		}
		if (rc < 0)
			unlink(cli_out_tmp);
		cli_out_tmp[0] = '\0';
	}
	if (rc < 0) {
		fprintf(stderr, "iommu-audit: %s: cannot write the %s: %s\n", o->output ? o->output : "standard output",
			what, werr ? strerror(werr) : ia_strerror(rc));
		return -EIO;
	}
	return 0;
}

FILE *cli_open_output(const struct cli_opts *o)
{
	struct stat st;

	cli_out_tmp[0] = '\0';
	if (!o->output)
		return stdout;
	/* Never through a link (a dangling one in a shared directory would make a root run create
	 * its target). A FIFO, a device or another special file is written in place (renaming over
	 * /dev/null would replace the device); a regular file, or a new one, through a temporary
	 * file beside it that cli_finish_output() renames into place. */
	bool exists = lstat(o->output, &st) == 0;
	if (exists && S_ISLNK(st.st_mode)) {
		fprintf(stderr, "iommu-audit: %s: a symbolic link; refusing to write through it\n", o->output);
		return NULL;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		/* O_NOFOLLOW: a link swapped in after the lstat() is refused, not followed */
		int fd = open(o->output, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
		FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
		if (!f) {
			fprintf(stderr, "iommu-audit: %s: %s\n", o->output, strerror(errno));
			if (fd >= 0)
				close(fd);
		}
		return f;
	}
	int fd = ia_out_tmpfile(o->output, 0666, cli_out_tmp, sizeof(cli_out_tmp)); /* what fopen() makes */
	if (fd < 0) {
		fprintf(stderr, "iommu-audit: %s: %s\n", o->output, strerror(-fd));
		return NULL;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		fprintf(stderr, "iommu-audit: %s: %s\n", o->output, strerror(errno));
		close(fd);
		unlink(cli_out_tmp);
		cli_out_tmp[0] = '\0';
	}
	return f;
}
