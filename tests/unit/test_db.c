// SPDX-License-Identifier: GPL-2.0-or-later
// The fact database's open path (src/core/db.c): refusals and their messages.
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>

#include "core/db.h"
#include "core/ia_err.h"

/* A file of another program's (a `run` table, user_version 0) is refused, not written into; the
 * message outlives the connection (it used to point into the closed connection's memory: the
 * schema's CREATE TABLE run failed, sqlite3_errmsg() was stored, the connection closed). */
static void test_open_refuses_foreign_database(void **state)
{
	sqlite3 *raw, *db = (sqlite3 *)1;
	const char *err = NULL;
	const char *path = ia_sp("foreign.db");

	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "CREATE TABLE run(x); INSERT INTO run VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(ia_db_open(&db, path, true, &err), -EEXIST);
	assert_null(db);
	assert_non_null(err);
	assert_string_equal(err, "the file already holds another database's tables or views; give a new file");

	/* a view alone is another database too */
	const char *path2 = ia_sp("view.db");
	assert_int_equal(sqlite3_open(path2, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "CREATE VIEW host AS SELECT 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(ia_db_open(&db, path2, true, &err), -EEXIST);
}

/* SQLite's own message for a failed open survives the close (ASan catches the old use after free). */
static void test_open_error_message_survives(void **state)
{
	sqlite3 *db = (sqlite3 *)1;
	const char *err = NULL;

	assert_int_equal(ia_db_open(&db, ia_sp("no/such/dir/x.db"), true, &err), -IA_E_SQLITE);
	assert_null(db);
	assert_non_null(err);
	char copy[256];
	snprintf(copy, sizeof(copy), "%s", err);
	assert_string_equal(copy, "unable to open database file");
}

/* A database this tool wrote is refused for a second collection, and opens read-only for an audit. */
static void test_open_own_database(void **state)
{
	sqlite3 *db = NULL;
	const char *err = NULL;
	const char *path = ia_sp("facts.db");

	assert_int_equal(ia_db_open(&db, path, true, &err), 0);
	ia_db_close(db);
	assert_int_equal(ia_db_open(&db, path, true, &err), -EEXIST);
	assert_string_equal(err, "the database already holds facts; give a new file");
	assert_int_equal(ia_db_open(&db, path, false, &err), 0);
	assert_non_null(db);
	ia_db_close(db);
}

/* Opening a WAL-mode database for an audit writes nothing beside it (no -wal, no -shm: issue 17
 * item 3), and a query that never ends is stopped by the work budget (a recursive view). */
static void test_read_only_is_immutable_and_bounded(void **state)
{
	sqlite3 *db = NULL, *raw;
	const char *err = NULL;
	const char *path = ia_sp("wal.db");
	char side[600];
	struct stat st;

	assert_int_equal(ia_db_open(&db, path, true, &err), 0);
	ia_db_close(db);
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);

	assert_int_equal(ia_db_open(&db, path, false, &err), 0);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM pci_function", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	sqlite3_finalize(q);
	/* an endless recursion ends with SQLITE_INTERRUPT once the budget is spent */
	assert_int_equal(sqlite3_prepare_v2(db, "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r)"
					    " SELECT count(*) FROM r", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_INTERRUPT);
	sqlite3_finalize(q);
	ia_db_close(db);
	snprintf(side, sizeof(side), "%s-wal", path);
	assert_int_equal(stat(side, &st), -1);
	snprintf(side, sizeof(side), "%s-shm", path);
	assert_int_equal(stat(side, &st), -1);
}

/* A new database is never made through a symbolic link, a dangling link's target never created
 * (issue 17 item 1: --db followed links); an existing one is read through a link. */
static void test_open_refuses_links(void **state)
{
	sqlite3 *db = (sqlite3 *)1;
	const char *err = NULL;
	struct stat st;

	ia_mk_link("dangling.db", ia_sp("target.db"));
	assert_int_equal(ia_db_open(&db, ia_sp("dangling.db"), true, &err), -IA_E_SQLITE);
	assert_null(db);
	assert_int_equal(stat(ia_sp("target.db"), &st), -1);
	assert_int_equal(ia_db_open(&db, ia_sp("real.db"), true, &err), 0);
	ia_db_close(db);
	ia_mk_link("link.db", ia_sp("real.db"));
	assert_int_equal(ia_db_open(&db, ia_sp("link.db"), true, &err), -IA_E_SQLITE);
	assert_int_equal(ia_db_open(&db, ia_sp("link.db"), false, &err), 0);
	ia_db_close(db);
}

/* ia_db_create_file(): the database is made beside its file and becomes it only at
 * ia_db_publish(); ia_db_discard() leaves nothing; a file holding facts or a link is refused with
 * nothing made beside it; an empty file is replaced. */
static void test_create_file_beside(void **state)
{
	sqlite3 *db = NULL;
	const char *err = NULL;
	struct ia_db_pending p;
	struct stat st;
	const char *path = ia_sp("new.db");

	assert_int_equal(ia_db_create_file(&db, path, false, &p, &err), 0);
	assert_non_null(strstr(p.tmp, "/.new.db."));
	assert_int_equal(stat(p.tmp, &st), 0);
	assert_int_equal(stat(path, &st), -1);          /* not under its name before it is whole */
	assert_int_equal(ia_db_publish(&p, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_string_equal(p.tmp, "");
	ia_db_close(db);
	/* holding facts now: refused, nothing made beside it */
	assert_int_equal(ia_db_create_file(&db, path, false, &p, &err), -EEXIST);
	assert_string_equal(err, "the database already holds facts; give a new file");
	assert_string_equal(p.tmp, "");
	/* replaced when the caller says so (collect --force) */
	assert_int_equal(ia_db_create_file(&db, path, true, &p, &err), 0);
	assert_true(p.replace);
	assert_int_equal(ia_db_publish(&p, &err), 0);
	ia_db_close(db);
	/* discarded: neither name exists */
	assert_int_equal(ia_db_create_file(&db, ia_sp("gone.db"), false, &p, &err), 0);
	char tmp[sizeof(p.tmp)];
	snprintf(tmp, sizeof(tmp), "%s", p.tmp);
	ia_db_discard(&p);
	ia_db_close(db);
	assert_int_equal(stat(tmp, &st), -1);
	assert_int_equal(stat(ia_sp("gone.db"), &st), -1);
	/* a link, dangling or not */
	ia_mk_link("link.db", ia_sp("new.db"));
	assert_int_equal(ia_db_create_file(&db, ia_sp("link.db"), true, &p, &err), -IA_E_SQLITE);
	assert_string_equal(err, "a symbolic link; refusing to write through it");
	/* an empty file is replaced by the whole database */
	ia_mk_text("empty.db", "");
	assert_int_equal(ia_db_create_file(&db, ia_sp("empty.db"), false, &p, &err), 0);
	assert_true(p.replace);
	assert_int_equal(ia_db_publish(&p, &err), 0);
	ia_db_close(db);
	assert_int_equal(stat(ia_sp("empty.db"), &st), 0);
	assert_true(st.st_size > 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ia_scratch_setup, ia_scratch_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_refuses_foreign_database),
		T(test_open_error_message_survives),
		T(test_open_own_database),
		T(test_read_only_is_immutable_and_bounded),
		T(test_open_refuses_links),
		T(test_create_file_beside),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
