// SPDX-License-Identifier: GPL-2.0-or-later
// Open and create the fact database (the tables of src/core/facts.h), with typed bind helpers and the collection-error table.
#include "core/db.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/facts.h"
#include "core/outfile.h"
#include "core/ia_err.h"

const char *ia_db_schema_sql(void)
{
	return ia_fact_schema_sql();
}

int ia_db_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -IA_E_SQLITE;
}

int ia_db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	return sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK ? 0 : -IA_E_SQLITE;
}

int ia_db_step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -IA_E_SQLITE;
}

void ia_db_bind_opt_int(sqlite3_stmt *st, int idx, bool has, int64_t v)
{
	if (has)
		sqlite3_bind_int64(st, idx, v);
	else
		sqlite3_bind_null(st, idx);
}

void ia_db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, idx);
}

char *ia_db_col_strdup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? strdup((const char *)t) : NULL;
}

bool ia_db_col_int(sqlite3_stmt *st, int col, int64_t *v)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		*v = 0;
		return false;
	}
	*v = sqlite3_column_int64(st, col);
	return true;
}

enum ia_tri ia_db_col_tri(sqlite3_stmt *st, int col)
{
	int64_t v;

	return ia_db_col_int(st, col, &v) ? (v ? IA_YES : IA_NO) : IA_UNKNOWN;
}

static int db_user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt *st;
	int rc = -IA_E_SQLITE;

	if (ia_db_prepare(db, "PRAGMA user_version", &st))
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* The message of a failed open, copied before the connection that owns sqlite3_errmsg()'s text is
 * closed (that text is freed with it); one per thread, valid until the next ia_db_open() there. */
static _Thread_local char db_open_err[256];

static const char *db_errmsg_copy(sqlite3 *db)
{
	snprintf(db_open_err, sizeof(db_open_err), "%s", db ? sqlite3_errmsg(db) : "out of memory");
	return db_open_err;
}

/* Schema objects already in the file (tables, views, indexes, triggers), or -1 when unreadable. */
static int db_n_tables(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n = -1;

	if (ia_db_prepare(db, "SELECT count(*) FROM sqlite_master", &st))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The SQL work a read-only database may cost: SQLite virtual-machine instructions, counted by a
 * progress handler every IA_DB_PROGRESS_STEP of them. A hostile --from-db file can hold a view
 * whose recursion never ends under a table's name; without a budget the audit would hang. */
#define IA_DB_PROGRESS_STEP 1000

struct db_budget {
	uint64_t steps;                     /* progress callbacks so far */
};

static int db_progress(void *arg)
{
	struct db_budget *b = arg;

	return ++b->steps > IA_DB_WORK_BUDGET / IA_DB_PROGRESS_STEP;
}

static void db_budget_unused(sqlite3_context *c, int n, sqlite3_value **v)
{
	sqlite3_result_null(c);
}

/* Attach a work budget to @db: the counter is owned by a connection-private SQL function whose
 * destructor frees it when the connection closes. 0 or -IA_E_SQLITE. */
static int db_set_budget(sqlite3 *db)
{
	struct db_budget *b = calloc(1, sizeof(*b));

	if (!b)
		return -IA_E_SQLITE;
	if (sqlite3_create_function_v2(db, "ia_work_budget", 0, SQLITE_UTF8, b, db_budget_unused, NULL, NULL,
				       free) != SQLITE_OK)
		return -IA_E_SQLITE;   /* SQLite called the destructor (free) on failure */
	sqlite3_progress_handler(db, IA_DB_PROGRESS_STEP, db_progress, b);
	return 0;
}

/* "file:" URI of @path with immutable=1 (https://www.sqlite.org/uri.html): every byte but the
 * unreserved ones and '/' percent-encoded. NULL when it does not fit @cap. */
static const char *db_immutable_uri(const char *path, char *uri, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	if (cap < 32)
		return NULL;
	memcpy(uri, "file:", 5);
	n = 5;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (n + 4 >= cap)
			return NULL;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/') {
			uri[n++] = (char)*p;
		} else {
			uri[n++] = '%';
			uri[n++] = hex[*p >> 4];
			uri[n++] = hex[*p & 15];
		}
	}
	if (n + sizeof("?immutable=1") > cap)
		return NULL;
	memcpy(uri + n, "?immutable=1", sizeof("?immutable=1"));
	return uri;
}

/* True (with *@err) when @db, of user_version @v, already holds facts or another database's
 * schema objects: a collection never writes into it. */
static bool db_refuse_used(sqlite3 *db, int v, const char **err)
{
	if (v == 0 && db_n_tables(db) == 0)
		return false;
	*err = v != 0 ? "the database already holds facts; give a new file"
		      : "the file already holds another database's tables or views; give a new file";
	return true;
}

/*
 * The schema without its comments and with each run of blanks made one space, for a database in
 * memory: nobody reads its sqlite_master, and SQLite tokenizes every byte of each CREATE twice
 * (creating it, then parsing sqlite_master back): the comments are 26 KB of the 36 KB, and an
 * audit creating the bare schema costs about 1M instructions less (of about 11M). Used where no
 * image is registered (ia_db_use_image(): tests, tools). A file's schema
 * keeps them: they document its columns for whoever opens it. SQL lexing as SQLite's
 * (tokenize.c): "--" to the end of the line and C comments, outside '...', "...", `...` and
 * [...]. Built once; NULL when out of memory (the caller then uses the commented text).
 */
static char *db_bare_schema;
static pthread_once_t db_bare_once = PTHREAD_ONCE_INIT;

static void db_bare_build(void)
{
	const char *s = ia_fact_schema_sql();
	char *o = malloc(strlen(s) + 1), quote = 0;
	size_t n = 0;

	if (!o)
		return;
	for (; *s; s++) {
		if (quote) {
			o[n++] = *s;
			if (*s == quote)
				quote = 0;
		} else if (s[0] == '-' && s[1] == '-') {
			while (s[1] && s[1] != '\n')
				s++;
		} else if (s[0] == '/' && s[1] == '*') {
			for (s += 2; *s && !(s[0] == '*' && s[1] == '/'); s++)
				;
			if (!*s)
				break;
			s++;
		} else if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' || *s == '\f') {
			if (n && o[n - 1] != ' ')
				o[n++] = ' ';
		} else {
			if (*s == '\'' || *s == '"' || *s == '`' || *s == '[')
				quote = *s == '[' ? ']' : *s;
			o[n++] = *s;
		}
	}
	o[n] = '\0';
	db_bare_schema = o;
}

static const char *db_schema_for(const char *path)
{
	if (path)
		return ia_fact_schema_sql();
	pthread_once(&db_bare_once, db_bare_build);
	return db_bare_schema ? db_bare_schema : ia_fact_schema_sql();
}

static const struct ia_db_image *db_image;

void ia_db_use_image(const struct ia_db_image *img)
{
	db_image = img;
}

/* The registered image copied into the new, empty in-memory @db (see ia_db_use_image()). 0, or
 * -IA_E_SQLITE (the caller then starts again from a new connection). */
static int db_from_image(sqlite3 *db, const struct ia_db_image *img)
{
	sqlite3_int64 len = (sqlite3_int64)(img->page_size * img->n_pages);
	sqlite3 *src = NULL;
	int rc = -IA_E_SQLITE;

	/* SQLITE_DESERIALIZE_READONLY: SQLite never writes the buffer (read-only data here), and
	 * without FREEONCLOSE never frees it; the cast only fits the API's non-const parameter */
	if (len > 0 &&
	    sqlite3_open_v2(":memory:", &src, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
	    sqlite3_db_config(src, SQLITE_DBCONFIG_LOOKASIDE, NULL, 0, 0) == SQLITE_OK &&
	    sqlite3_deserialize(src, "main", (unsigned char *)img->bytes, len, len, SQLITE_DESERIALIZE_READONLY) ==
		    SQLITE_OK && ia_db_exec(src, "PRAGMA mmap_size=1048576") == 0) {
		sqlite3_backup *b = sqlite3_backup_init(db, "main", src, "main");
		if (b && sqlite3_backup_step(b, -1) == SQLITE_DONE && sqlite3_backup_finish(b) == SQLITE_OK)
			rc = 0;
		else if (b)
			sqlite3_backup_finish(b);
	}
	sqlite3_close(src);
	return rc;
}

int ia_db_image_write(sqlite3 *db, FILE *out)
{
	sqlite3_int64 len = 0;
	unsigned char *img = sqlite3_serialize(db, "main", &len, 0);
	sqlite3_stmt *st;
	size_t ps = 0, n, col = 0;
	int rc = -IA_E_SQLITE;

	if (!img || ia_db_prepare(db, "PRAGMA page_size", &st))
		goto out;
	if (sqlite3_step(st) == SQLITE_ROW)
		ps = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (!ps || len <= 0 || (size_t)len % ps)
		goto out;
	n = (size_t)len / ps;
	/* each page's bytes up to its last non-zero one, by designated initializers: the rest of the
	 * array is zero (an empty table's root page is 8 bytes of 4 KiB) */
	fprintf(out, "// Generated by ia-schema-image (src/core/schema_image.c) at build time: the empty in-memory\n"
		     "// fact database, schema version %d, as src/core/db.c creates it (%zu pages of %zu bytes).\n"
		     "#include \"core/db.h\"\n\nstatic const unsigned char bytes[%zu] = {",
		IA_DB_SCHEMA_VERSION, n, ps, n * ps);
	for (size_t i = 0; i < n; i++) {
		size_t u = ps;
		while (u && !img[i * ps + u - 1])
			u--;
		if (!u)
			continue;
		fprintf(out, "\n\t[%zu] =", i * ps);
		for (size_t k = 0; k < u; k++, col++)
			fprintf(out, "%s%u,", k % 24 ? "" : "\n\t", img[i * ps + k]);
	}
	fprintf(out, "%s\n};\n\nconst struct ia_db_image ia_db_schema_image = { %zu, %zu, bytes };\n",
		col ? "" : "0", ps, n);
	rc = ferror(out) ? -EIO : 0;
out:
	sqlite3_free(img);
	return rc;
}

int ia_db_open(sqlite3 **out, const char *path, bool create, const char **err)
{
	sqlite3 *db = NULL;
	int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	int v = 0, rc;

	*out = NULL;
	*err = NULL;
	/* Every connection is used by one thread at a time, and nothing reads SQLite's memory
	 * statistics: without the connection mutex and the global allocator's statistics mutex, a
	 * row insert costs about a tenth less. sqlite3_config() only takes effect before SQLite's
	 * first use, and SQLITE_MISUSE after that is harmless (the library's defaults stay). */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* A new database is never made through a symbolic link (collect --db into a dangling link in
	 * a shared directory would make a root run create the link's target): SQLite refuses it with
	 * SQLITE_CANTOPEN. A database read for an audit may be reached through one. */
	flags |= SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_NOFOLLOW : 0);
	/* Read-only opens are immutable: no journal, no -wal/-shm beside the file, no lock taken
	 * (an audit only reads; a WAL-mode file otherwise gains its -wal and -shm). */
	char uri[8192];
	const char *name = path ? path : ":memory:";
	if (!create && path) {
		if (!(name = db_immutable_uri(path, uri, sizeof(uri)))) {
			*err = "the database's path is too long";
			return -IA_E_SQLITE;
		}
		flags |= SQLITE_OPEN_URI;
	}
	if (sqlite3_open_v2(name, &db, flags, NULL) != SQLITE_OK) {
		*err = db_errmsg_copy(db);
		sqlite3_close(db);
		return -IA_E_SQLITE;
	}
	if (db_user_version(db, &v)) {
		*err = "not an SQLite database";
		sqlite3_close(db);
		return -IA_E_SQLITE;
	}
	if (create) {
		if (path && db_refuse_used(db, v, err)) {   /* a new ":memory:" one is empty */
			sqlite3_close(db);
			return -EEXIST;
		}
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", IA_DB_SCHEMA_VERSION);
		bool copied = false;
		if (!path && db_image) {
			copied = db_from_image(db, db_image) == 0 && db_user_version(db, &v) == 0 &&
				 v == IA_DB_SCHEMA_VERSION;
			if (!copied) {   /* not this schema's image: a new empty database, the statements below */
				sqlite3_close(db);
				db = NULL;
				if (sqlite3_open_v2(name, &db, flags, NULL) != SQLITE_OK) {
					*err = db_errmsg_copy(db);
					sqlite3_close(db);
					return -IA_E_SQLITE;
				}
			}
		}
		/* An in-memory database's pages are IA_DB_MEMORY_PAGE_SIZE bytes (set before its first
		 * table; the image, made by these statements, carries it) */
		char page[64];
		snprintf(page, sizeof(page), "PRAGMA page_size=%d", IA_DB_MEMORY_PAGE_SIZE);
		if ((!copied && !path && (rc = ia_db_exec(db, page))) ||
		    (rc = ia_db_exec(db, "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF")) ||
		    (!copied && ((rc = ia_db_exec(db, db_schema_for(path))) || (rc = ia_db_exec(db, pragma))))) {
			*err = db_errmsg_copy(db);
			sqlite3_close(db);
			return rc;
		}
	} else if (v != IA_DB_SCHEMA_VERSION) {
		*err = "the database was written by an incompatible iommu-audit schema version";
		sqlite3_close(db);
		return -IA_E_UNSUPPORTED;
	} else if (db_set_budget(db) < 0) {
		*err = "out of memory";
		sqlite3_close(db);
		return -IA_E_SQLITE;
	}
	*out = db;
	return 0;
}

/* The first failed step of this thread since ia_db_step_reset(): its code and message. */
static _Thread_local int db_step_err;
static _Thread_local char db_step_msg[256];

int ia_db_step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_ROW && rc != SQLITE_DONE && !db_step_err) {
		db_step_err = rc;
		if (rc == SQLITE_INTERRUPT) /* only the progress handler interrupts: the budget ran out */
			snprintf(db_step_msg, sizeof(db_step_msg), "a query of the database exceeded the work budget"
				 " of %llu SQL instructions (a view that never ends?)", (unsigned long long)IA_DB_WORK_BUDGET);
		else
			snprintf(db_step_msg, sizeof(db_step_msg), "%s", sqlite3_errmsg(sqlite3_db_handle(st)));
	}
	return rc;
}

void ia_db_step_reset(void)
{
	db_step_err = 0;
	db_step_msg[0] = '\0';
}

int ia_db_step_failed(const char **msg)
{
	if (msg)
		*msg = db_step_err ? db_step_msg : NULL;
	return db_step_err;
}

void ia_db_close(sqlite3 *db)
{
	sqlite3_close(db);
}

int ia_db_error(sqlite3 *db, const char *collector, const char *subject, int code,
		int64_t offset, const char *message, const char *hides)
{
	sqlite3_stmt *st;
	int rc;

	if (ia_db_prepare(db, "INSERT INTO collection_error(collector, subject, code, offset, message, hides)"
			      " VALUES (?,?,?,?,?,?)", &st))
		return -IA_E_SQLITE;
	ia_db_bind_text(st, 1, collector);
	ia_db_bind_text(st, 2, subject);
	sqlite3_bind_int(st, 3, code);
	ia_db_bind_opt_int(st, 4, offset >= 0, offset);
	ia_db_bind_text(st, 5, message);
	ia_db_bind_text(st, 6, hides);
	rc = ia_db_step_done(st);
	sqlite3_finalize(st);
	return rc;
}

/* The child columns and parent of foreign key @fkid of @table, as "(a, b) -> parent(x, y)". */
static void db_fk_text(sqlite3 *db, const char *table, int fkid, char *out, size_t size)
{
	sqlite3_stmt *st;
	char from[128] = "", to[128] = "", parent[64] = "?";

	snprintf(out, size, "a parent row");
	if (ia_db_prepare(db, "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) WHERE id = ? ORDER BY seq", &st))
		return;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, fkid);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		const char *f = (const char *)sqlite3_column_text(st, 1);
		const char *t = (const char *)sqlite3_column_text(st, 2);
		snprintf(parent, sizeof(parent), "%s", p ? p : "?");
		size_t fl = strlen(from), tl = strlen(to);
		snprintf(from + fl, sizeof(from) - fl, "%s%s", fl ? ", " : "", f ? f : "?");
		snprintf(to + tl, sizeof(to) - tl, "%s%s", tl ? ", " : "", t ? t : "?");
	}
	sqlite3_finalize(st);
	snprintf(out, size, "%s(%s) through its %s", parent, to, from);
}

/*
 * The REFERENCES of the schema are checked once, after collection, rather than enforced with
 * PRAGMA foreign_keys = ON: enforcement would make a violating INSERT fail, and INSERT OR IGNORE
 * does not ignore foreign-key failures, so a collector that steps without checking would drop the
 * row silently; checked afterwards, every row stays and each violation is said.
 */
int ia_db_check_references(sqlite3 *db, const char *table, size_t *n)
{
	sqlite3_stmt *st;
	int rc = 0, step;

	*n = 0;
	char *sql = table ? sqlite3_mprintf("PRAGMA foreign_key_check(\"%w\")", table) : NULL;
	if (table && !sql)
		return -ENOMEM;
	rc = ia_db_prepare(db, sql ? sql : "PRAGMA foreign_key_check", &st);
	sqlite3_free(sql);
	if (rc)
		return -IA_E_SQLITE;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *child_table = (const char *)sqlite3_column_text(st, 0);
		char *child = strdup(child_table ? child_table : "?");
		bool has_rowid = sqlite3_column_type(st, 1) != SQLITE_NULL;
		int64_t rowid = sqlite3_column_int64(st, 1);
		int fkid = sqlite3_column_int(st, 3);
		char what[320], msg[512];
		if (!child) {
			rc = -ENOMEM;
			break;
		}
		db_fk_text(db, child, fkid, what, sizeof(what));
		snprintf(msg, sizeof(msg), "a row of %s names %s, and no such row was collected", child, what);
		if (ia_db_error(db, "facts", child, -ENOENT, has_rowid ? rowid : -1, msg,
				"what the dangling row says about the device or unit it names"))
			rc = -IA_E_SQLITE;
		else
			(*n)++;
		free(child);
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = -IA_E_SQLITE;
	sqlite3_finalize(st);
	return rc;
}

/* Whether an existing @path may be replaced by a new database: a regular file (never a link,
 * whatever it leads to) and, unless @any, one that is empty or an SQLite database without schema
 * objects, the same files ia_db_open(create) writes into. 0 (*@exists set), or the refusal with *@err. */
static int db_check_target(const char *path, bool any, bool *exists, const char **err)
{
	struct stat st;
	sqlite3 *db = NULL;
	int v = 0;

	*exists = false;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(db_open_err, sizeof(db_open_err), "%s", strerror(errno));
		*err = db_open_err;
		return -IA_E_SQLITE;
	}
	if (S_ISLNK(st.st_mode)) {
		*err = "a symbolic link; refusing to write through it";
		return -IA_E_SQLITE;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = "not a regular file; give a new file";
		return -EEXIST;
	}
	*exists = true;
	if (st.st_size == 0 || any)
		return 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		*err = db_errmsg_copy(db);
		sqlite3_close(db);
		return -IA_E_SQLITE;
	}
	int rc = 0;
	if (db_user_version(db, &v)) {
		*err = "not an SQLite database";
		rc = -IA_E_SQLITE;
	} else if (db_refuse_used(db, v, err)) {
		rc = -EEXIST;
	}
	sqlite3_close(db);
	return rc;
}

int ia_db_create_file(sqlite3 **out, const char *path, bool replace, struct ia_db_pending *p, const char **err)
{
	int fd = -1, rc;

	*out = NULL;
	*err = NULL;
	p->tmp[0] = '\0';
	if ((rc = db_check_target(path, replace, &p->replace, err)) < 0)
		return rc;
	if (snprintf(p->path, sizeof(p->path), "%s", path) >= (int)sizeof(p->path) ||
	    (fd = ia_out_tmpfile(path, 0644, p->tmp, sizeof(p->tmp))) == -ENAMETOOLONG) { /* SQLite's 0644 */
		p->tmp[0] = '\0';
		*err = "the database's path is too long";
		return -IA_E_SQLITE;
	}
	if (fd < 0) {
		snprintf(db_open_err, sizeof(db_open_err), "%s", strerror(-fd));
		*err = db_open_err;
		return -IA_E_SQLITE;
	}
	close(fd);
	if ((rc = ia_db_open(out, p->tmp, true, err)) < 0)
		ia_db_discard(p);
	return rc;
}

int ia_db_publish(struct ia_db_pending *p, const char **err)
{
	int fd, rc = 0;

	*err = NULL;
	if (!p->tmp[0])
		return 0;
	/* SQLite writes with synchronous=OFF: the bytes reach the disk before the name does */
	if ((fd = open(p->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 || fsync(fd) < 0 ||
	    renameat2(AT_FDCWD, p->tmp, AT_FDCWD, p->path, p->replace ? 0 : RENAME_NOREPLACE) < 0) {
		snprintf(db_open_err, sizeof(db_open_err), "cannot put the database in place: %s%s", strerror(errno),
			 errno == EEXIST ? " (another run made the file meanwhile)" : "");
		*err = db_open_err;
		rc = -IA_E_SQLITE;
	}
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		ia_db_discard(p);
	p->tmp[0] = '\0';
	return rc;
}

void ia_db_discard(struct ia_db_pending *p)
{
	if (p->tmp[0])
		unlink(p->tmp);
	p->tmp[0] = '\0';
}
