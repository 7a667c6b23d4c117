/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fact database: open, schema and version, transactions, prepared statements, collection errors. */
#ifndef IA_DB_H
#define IA_DB_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "core/tri.h"

/* Room for the longest canonical BDF with its NUL: "ffffffff:ff:1f.7", PCI domains up to 8 hex
 * digits (Intel VMD's start at 0x10000); IA_BDF_BUFSZ of core/bdf.h. struct ia_dev and the
 * topology model hold BDFs in buffers of this size. */
#define IA_BDF_MAX 17

/* Schema version, stored in PRAGMA user_version; bump on any incompatible change of the tables (src/core/facts.h). */
#define IA_DB_SCHEMA_VERSION 6

/* The SQL work allowed on a database opened read-only (virtual-machine instructions, see
 * sqlite3_progress_handler()): a query past it fails with SQLITE_INTERRUPT. Loading the facts of a
 * 16,384-function host takes well under a hundredth of it. */
#define IA_DB_WORK_BUDGET (1ull << 28)

/* The page size of an in-memory fact database, in bytes (PRAGMA page_size). Its 40-odd tables and
 * indexes each take a root page from the start: at SQLite's 4,096 bytes an empty database is 57
 * pages of heap, about 45 of the 270 page faults of an empty tree's audit; at 1,024 bytes, 15
 * pages, and a 16,384-function audit is as fast (docs/benchmark.md, session 9). A file database
 * keeps SQLite's default. */
#define IA_DB_MEMORY_PAGE_SIZE 1024

/**
 * ia_db_open() - open or create a fact database.
 * @path: a file, or NULL for a private in-memory database.
 * @create: true to create the schema in an empty database (a file that already holds facts or
 *          any other table is refused with -EEXIST so no audit silently mixes two hosts or
 *          writes into a foreign database; a path that is a symbolic link is refused with
 *          -IA_E_SQLITE, SQLITE_OPEN_NOFOLLOW); false to open an existing database read-only,
 *          immutable (no journal, no -wal/-shm files, no lock: the audit writes nothing beside
 *          it) with a budget of IA_DB_WORK_BUDGET instructions of SQL work (a hostile file's
 *          endless recursive view fails instead of hanging), and check its schema version.
 * @err: on failure, the reason: a static string or a per-thread copy of SQLite's message, valid
 *       until the next ia_db_open() in the same thread (never the closed connection's own text).
 * Return: 0; -EEXIST; -IA_E_SQLITE; -IA_E_UNSUPPORTED when the version differs from
 * IA_DB_SCHEMA_VERSION.
 */
int ia_db_open(sqlite3 **db, const char *path, bool create, const char **err);

/**
 * An image of the empty in-memory database (its schema created, user_version set), made at build
 * time by ia-schema-image (src/core/schema_image.c, ia_db_image_write()) from this very schema:
 * @n_pages pages of @page_size bytes at @bytes (read-only data of the executable: its pages are
 * mapped from the file as SQLite reads them, never copied into the heap first).
 */
struct ia_db_image {
	size_t page_size, n_pages;
	const unsigned char *bytes;
};

/** The image generated into the executable (db_schema_image.c in the build directory). */
extern const struct ia_db_image ia_db_schema_image;

/**
 * ia_db_use_image() - create later in-memory databases (ia_db_open(path NULL, create)) by
 * copying @img (sqlite3_deserialize() into a scratch connection, sqlite3_backup into the new
 * ":memory:" one) instead of executing the schema's CREATE statements: SQLite parses every CREATE
 * twice and scans sqlite_master once per table (OP_ParseSchema), about 8M instructions per audit,
 * two fifths of an empty tree's. The database is the same ":memory:" one either way (pages,
 * pager, speed); an image that does not load, or whose user_version is not
 * IA_DB_SCHEMA_VERSION, is ignored (the statements run). @img NULL: the statements again.
 * Call it before any thread opens a database.
 */
void ia_db_use_image(const struct ia_db_image *img);

/**
 * ia_db_image_write() - write @db (an empty in-memory database ia_db_open() made) as the C source
 * of `const struct ia_db_image ia_db_schema_image` onto @out (the build's ia-schema-image).
 * Return: 0; -IA_E_SQLITE when @db cannot be serialized; -EIO when writing @out failed.
 */
int ia_db_image_write(sqlite3 *db, FILE *out);

/** A database being written under a temporary name beside its file (ia_db_create_file()). */
struct ia_db_pending {
	char tmp[PATH_MAX];     /* "DIR/.NAME.XXXXXX", or "" when nothing is pending */
	char path[PATH_MAX];    /* the file it becomes */
	bool replace;           /* the file existed (empty) when the run began: renamed over it */
};

/**
 * ia_db_create_file() - create a new fact database that becomes @path only when the caller says
 * it is whole (ia_db_publish()): it is written to a temporary file beside @path (".NAME.XXXXXX",
 * mode 0644 less the umask), so a failed, interrupted or concurrent run never leaves a cut
 * database under @path, and a previous @path stays as it was until the rename.
 * @path: the file; absent, or an empty regular file or schema-less SQLite file (replaced). A
 *        symbolic link in its place (dangling or not) is refused with -IA_E_SQLITE, anything
 *        but a regular file with -EEXIST, a database holding facts or another's tables with -EEXIST
 *        (the messages of ia_db_open()) unless @replace.
 * @replace: any existing regular file is replaced (collect --force).
 * @p: receives the pending state for ia_db_publish() or ia_db_discard().
 * @err: as ia_db_open().
 * Return: as ia_db_open(create); nothing is left beside @path on failure.
 */
int ia_db_create_file(sqlite3 **db, const char *path, bool replace, struct ia_db_pending *p, const char **err);

/**
 * ia_db_publish() - fsync the database of @p (its writes were committed) and rename it onto its
 * file: with RENAME_NOREPLACE when the file was absent at the start (a file another run made
 * meanwhile is kept), over it otherwise. The connection may stay open (it reads the same inode).
 * Return: 0 (also when nothing is pending); -IA_E_SQLITE with *@err ("cannot put the database
 * in place: <strerror>"), the temporary file removed.
 */
int ia_db_publish(struct ia_db_pending *p, const char **err);

/** ia_db_discard() - remove the temporary file of @p (nothing when none is pending). */
void ia_db_discard(struct ia_db_pending *p);

/** ia_db_close() - close (accepts NULL). */
void ia_db_close(sqlite3 *db);

/** ia_db_exec() - run SQL without results. 0 or -IA_E_SQLITE. */
int ia_db_exec(sqlite3 *db, const char *sql);

/** ia_db_prepare() - prepare one statement. 0 or -IA_E_SQLITE. */
int ia_db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st);

/** ia_db_step_done() - step a write statement to completion and reset it. 0 or -IA_E_SQLITE. */
int ia_db_step_done(sqlite3_stmt *st);

/* Bind helpers: the _opt forms bind NULL when @has is false. */
void ia_db_bind_opt_int(sqlite3_stmt *st, int idx, bool has, int64_t v);
void ia_db_bind_text(sqlite3_stmt *st, int idx, const char *s); /* NULL binds NULL */

/* Column readers for result rows: NULL stays distinguishable from a value. */
/** ia_db_col_strdup() - a malloc'd copy of text column @col, or NULL for SQL NULL (or no memory). */
char *ia_db_col_strdup(sqlite3_stmt *st, int col);
/** ia_db_col_int() - integer column @col into *@v; false (and *@v = 0) for SQL NULL. */
bool ia_db_col_int(sqlite3_stmt *st, int col, int64_t *v);
/** ia_db_col_tri() - a 0/1 column as IA_NO/IA_YES, SQL NULL as IA_UNKNOWN. */
enum ia_tri ia_db_col_tri(sqlite3_stmt *st, int col);

/**
 * ia_db_error() - record one collection error (table collection_error).
 * @collector: "pci", "iommu", ...; @subject: path, BDF or table; @code: -errno or -IA_E_*;
 * @offset: byte offset or -1; @hides: what the missing data hides from the audit (or NULL).
 * Return: 0 or -IA_E_SQLITE.
 */
int ia_db_error(sqlite3 *db, const char *collector, const char *subject, int code,
		int64_t offset, const char *message, const char *hides);

/**
 * ia_db_check_references() - check the REFERENCES clauses of child table @table (NULL: of every
 * table) over the rows written (PRAGMA foreign_key_check; the connection does not enforce them
 * row by row, see db.c) and record each row that names a parent row no table holds as a
 * collection error (collector "facts", subject the child table, code -ENOENT, offset the child's
 * rowid or -1 for a WITHOUT ROWID table, hides what the dangling reference hides). Each child row
 * costs one lookup in its parent's key index.
 * @n: out, the violations recorded.
 * Return: 0 (also when violations were found); -ENOMEM; -IA_E_SQLITE when the check (an unknown
 * @table among them) or a record failed.
 */
int ia_db_check_references(sqlite3 *db, const char *table, size_t *n);

/**
 * ia_db_step() - sqlite3_step(), remembering the first step of this thread that failed (anything
 * but SQLITE_ROW and SQLITE_DONE: a corrupt file, an I/O error, SQLITE_INTERRUPT when the work
 * budget ran out) until ia_db_step_reset(). A reader whose loop ends at the first non-ROW code
 * would otherwise take the failure for the end of the rows and go on with part of them; the
 * model's loader asks ia_db_step_failed() once at the end and fails closed.
 * Return: what sqlite3_step() returned.
 */
int ia_db_step(sqlite3_stmt *st);

/** ia_db_step_reset() - forget this thread's failed step. */
void ia_db_step_reset(void);

/**
 * ia_db_step_failed() - the SQLite code of this thread's first failed ia_db_step() since the last
 * reset (0: none) and, in *@msg when not NULL, its message (a per-thread copy; NULL when none).
 */
int ia_db_step_failed(const char **msg);

/** ia_db_schema_sql() - the schema text (ia_fact_schema_sql()), for documentation and `iommu-audit schema`. */
const char *ia_db_schema_sql(void);

#endif
