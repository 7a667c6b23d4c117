// SPDX-License-Identifier: GPL-2.0-or-later
// Start-up cost (issue 18 item 2): the kernel configuration an audit keeps, and what it loads.
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "collectors/collect.h"
#include "core/db.h"
#include "core/dlib.h"
#include "testutil.h"

extern const struct ia_collector ia_collector_kernel;

/* Every whole "CONFIG_..." string literal in the C files of IA_SOURCE_DIR/@dir is an option
 * the collector keeps for the rules (a literal inside a longer message is not an option read). */
static void check_literals_listed(const char *dir, size_t *found)
{
	char path[4096];
	regex_t re;
	regmatch_t m[2];
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s/%s", IA_SOURCE_DIR, dir);
	assert_non_null(d = opendir(path));
	assert_int_equal(regcomp(&re, "\"(CONFIG_[A-Z0-9_]+)\"", REG_EXTENDED), 0);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name), len;
		if (l < 3 || strcmp(e->d_name + l - 2, ".c"))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", IA_SOURCE_DIR, dir, e->d_name);
		char *src = (char *)ia_slurp(path, &len);
		assert_non_null(src);
		for (const char *p = src; !regexec(&re, p, 2, m, 0); p += m[0].rm_eo) {
			char opt[128];
			snprintf(opt, sizeof(opt), "%.*s", (int)(m[1].rm_eo - m[1].rm_so), p + m[1].rm_so);
			bool listed = false;
			for (size_t i = 0; i < ia_kernel_config_n_read; i++)
				listed |= !strcmp(opt, ia_kernel_config_read[i]);
			if (!listed)
				fail_msg("%s/%s reads %s, which collectors/kernel.c's ia_kernel_config_read does not list",
					 dir, e->d_name, opt);
			(*found)++;
		}
		free(src);
	}
	closedir(d);
	regfree(&re);
}

/* The options the collector keeps for an audit are those the rules read, and sorted (bsearch). */
static void test_kconfig_read_covers_rules(void **state)
{
	(void)state;
	size_t found = 0;

	check_literals_listed("rules", &found);
	check_literals_listed("src/model", &found);
	check_literals_listed("reports", &found);
	check_literals_listed("src/cli", &found);
	assert_true(found >= ia_kernel_config_n_read);   /* the scan saw the rules' options */
	for (size_t i = 1; i < ia_kernel_config_n_read; i++)
		assert_true(strcmp(ia_kernel_config_read[i - 1], ia_kernel_config_read[i]) < 0);
	for (size_t i = 0; i < ia_kernel_config_n_read; i++)   /* kernel_config_wanted()'s first-letter filter */
		assert_non_null(strchr("AIV", ia_kernel_config_read[i][7]));
}

/* A configuration text: the options the rules read first (set, or "is not set"), then @filler other
 * options of about 40 bytes each, in the layout scripts/kconfig/confdata.c writes. malloc'd. */
static char *make_config(size_t filler, const char *tail)
{
	size_t cap = 4096 + filler * 96 + strlen(tail), n = 0;
	char *t = malloc(cap);

	assert_non_null(t);
	n += (size_t)snprintf(t + n, cap - n, "#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_X86=y\n");
	for (size_t i = 0; i < ia_kernel_config_n_read; i++)
		n += (size_t)snprintf(t + n, cap - n, i % 3 == 2 ? "# %s is not set\n" : "%s=%s\n",
				      ia_kernel_config_read[i], i % 3 == 1 ? "m" : "y");
	for (size_t i = 0; i < filler; i++)
		n += (size_t)snprintf(t + n, cap - n, "CONFIG_FILLER_%06zu=\"%08zx\"\n# CONFIG_OFF_%06zu is not set\n", i,
				      i * 2654435761u, i);
	n += (size_t)snprintf(t + n, cap - n, "%s", tail);
	assert_true(n < cap);
	return t;
}

/* @text gzip-compressed into root/proc/config.gz, its last @cut bytes dropped. */
static void write_config_gz(const char *text, size_t cut)
{
	z_stream z = {0};
	size_t len = strlen(text), cap = compressBound((uLong)len) + 64;
	unsigned char *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)text;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	assert_true(z.total_out > cut);
	ia_mk_file("root/proc/config.gz", out, z.total_out - cut);
	deflateEnd(&z);
	free(out);
}

/* The kernel collector over ia_scratch/root into a database in memory (@file NULL) or the file
 * @file; its kernel_config as "OPTION=VALUE\n" lines in option order, the source and the errors. */
static char *collect_config(const char *file, char **source, int *errors)
{
	struct ia_fsroot root;
	struct ia_collect_opts opts = {0};
	const struct ia_collector *const list[] = { &ia_collector_kernel };
	sqlite3 *db;
	sqlite3_stmt *st;
	const char *err;
	size_t cap = 1u << 20, n = 0;
	char *out = malloc(cap);

	assert_non_null(out);
	out[0] = '\0';
	assert_int_equal(ia_fsroot_open(&root, ia_sp("root")), 0);
	assert_int_equal(ia_db_open(&db, file, true, &err), 0);
	struct ia_ctx ctx = { .root = &root, .db = db, .opts = &opts };
	ia_collect_run(&ctx, list, 1);
	assert_int_equal(ia_db_prepare(db, "SELECT option, value FROM kernel_config ORDER BY option", &st), 0);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *o = (const char *)sqlite3_column_text(st, 0), *v = (const char *)sqlite3_column_text(st, 1);
		size_t need = strlen(o) + strlen(v) + 3;
		if (n + need > cap) {
			assert_non_null(out = realloc(out, cap = (cap + need) * 2));
		}
		n += (size_t)snprintf(out + n, cap - n, "%s=%s\n", o, v);
	}
	sqlite3_finalize(st);
	assert_int_equal(ia_db_prepare(db, "SELECT kernel_config_source, (SELECT count(*) FROM collection_error"
				       " WHERE subject = 'proc/config.gz' AND message = 'proc/config.gz does not inflate')"
				       " FROM host", &st), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	*source = sqlite3_column_text(st, 0) ? strdup((const char *)sqlite3_column_text(st, 0)) : NULL;
	*errors = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	ia_db_close(db);
	ia_fsroot_close(&root);
	return out;
}

/* "OPTION=VALUE" lines in the order of OPTION (SQLite's BINARY collation: "CONFIG_X" before "CONFIG_X0"). */
static int cmp_str(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t lx = strcspn(x, "="), ly = strcspn(y, "=");
	int c = memcmp(x, y, lx < ly ? lx : ly);

	return c ? c : (lx > ly) - (lx < ly);
}

/* What the collector stored before issue 18: every "CONFIG_X=V" line (empty lines skipped), the
 * last of a repeated option winning (INSERT OR REPLACE), as "OPTION=VALUE\n" lines in option order. */
static char *reference_rows(const char *text)
{
	char *t = strdup(text), *save = NULL, **v = NULL;
	size_t n = 0, cap = 0, len = 0;

	assert_non_null(t);
	for (char *l = strtok_r(t, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, "CONFIG_", 7) || !strchr(l, '='))
			continue;
		if (n == cap)
			assert_non_null(v = realloc(v, (cap = cap ? cap * 2 : 256) * sizeof(*v)));
		v[n++] = l;
		len += strlen(l) + 1;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	char *out = malloc(len + 1), *p = out;
	assert_non_null(out);
	*p = '\0';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s\n", v[i]);
	free(v);
	free(t);
	return out;
}

/* The options the rules read, as the rows make_config() gives them. */
static char *read_rows(void)
{
	char *out = calloc(1, 4096);
	size_t n = 0;

	assert_non_null(out);
	for (size_t i = 0; i < ia_kernel_config_n_read; i++)
		if (i % 3 != 2)
			n += (size_t)snprintf(out + n, 4096 - n, "%s=%s\n", ia_kernel_config_read[i], i % 3 == 1 ? "m" : "y");
	return out;
}

/* An audit's database (in memory) keeps the options the rules read, with their values; a file
 * (collect --db) keeps every option, the same rows as before (a line of 200 KiB, past the
 * inflating buffer, and a last line without '\n' included). */
static void test_kconfig_memory_keeps_read_options(void **state)
{
	(void)state;
	char *src, *longline = malloc(200u << 10), *tail;
	int errors;

	assert_non_null(longline);
	memset(longline, 'a', (200u << 10) - 1);
	longline[(200u << 10) - 1] = '\0';
	assert_true(asprintf(&tail, "\nCONFIG_CMDLINE=\"%s\"\nCONFIG_LAST=y", longline) > 0);
	char *text = make_config(4000, tail);
	assert_int_equal(ia_scratch_make("start"), 0);
	write_config_gz(text, 0);

	char *mem = collect_config(NULL, &src, &errors);
	char *want = read_rows();
	assert_string_equal(mem, want);
	assert_string_equal(src, "proc/config.gz");
	assert_int_equal(errors, 0);
	free(src);

	char *file = collect_config(ia_sp("facts.db"), &src, &errors);
	char *ref = reference_rows(text);
	assert_string_equal(file, ref);
	assert_non_null(strstr(file, longline));
	assert_non_null(strstr(file, "CONFIG_LAST=y\n"));
	assert_string_equal(src, "proc/config.gz");
	assert_int_equal(errors, 0);
	free(src);

	free(mem);
	free(want);
	free(file);
	free(ref);
	free(text);
	free(tail);
	free(longline);
	assert_int_equal(ia_scratch_remove(), 0);
}

/* Once every option the rules read is seen, an audit stops inflating: a stream cut short after
 * them still gives their values. A file database reads to the end and, as before, keeps nothing
 * of a stream that does not inflate, with the error. */
static void test_kconfig_stops_once_read(void **state)
{
	(void)state;
	char *src;
	int errors;
	char *text = make_config(20000, "");

	assert_int_equal(ia_scratch_make("start"), 0);
	write_config_gz(text, 64);

	char *mem = collect_config(NULL, &src, &errors);
	char *want = read_rows();
	assert_string_equal(mem, want);
	assert_string_equal(src, "proc/config.gz");
	assert_int_equal(errors, 0);
	free(src);

	char *file = collect_config(ia_sp("facts.db"), &src, &errors);
	assert_string_equal(file, "");
	assert_null(src);
	assert_int_equal(errors, 1);

	free(mem);
	free(want);
	free(file);
	free(text);
	assert_int_equal(ia_scratch_remove(), 0);
}

/* A configuration missing an option the rules read is inflated to its end, and a stream that
 * fails there leaves nothing, with the error, in memory too (nothing stored from its start). */
static void test_kconfig_cut_before_all_read(void **state)
{
	(void)state;
	char *src;
	int errors;
	char *text = make_config(20000, "");
	char *vfio = strstr(text, "CONFIG_VFIO=");

	assert_non_null(vfio);
	memcpy(vfio, "CONFIG_VFIX=", 12);    /* CONFIG_VFIO never appears */
	assert_int_equal(ia_scratch_make("start"), 0);
	write_config_gz(text, 64);
	char *mem = collect_config(NULL, &src, &errors);
	assert_string_equal(mem, "");
	assert_null(src);
	assert_int_equal(errors, 1);

	write_config_gz(text, 0);             /* whole: the options present, CONFIG_VFIX not kept */
	free(mem);
	mem = collect_config(NULL, &src, &errors);
	assert_null(strstr(mem, "CONFIG_VFIX"));
	assert_null(strstr(mem, "CONFIG_VFIO="));
	assert_non_null(strstr(mem, "CONFIG_AMD_IOMMU=y\n"));
	assert_string_equal(src, "proc/config.gz");
	assert_int_equal(errors, 0);
	free(src);
	free(mem);
	free(text);
	assert_int_equal(ia_scratch_remove(), 0);
}

/* The shared objects "iommu-audit @args" (run in ia_scratch) maps, as the dynamic loader lists
 * them (LD_DEBUG=files: "file=NAME [0];  needed by" at start, "dynamically loaded by" for a dlopen). */
static char *loaded_by(const char *args)
{
	char cmd[8192];
	int status;

	snprintf(cmd, sizeof(cmd), "cd '%s' && LD_DEBUG=files '%s' %s 2>&1 >/dev/null </dev/null | grep -o 'file=[^ ]*'",
		 ia_scratch, IA_BIN, args);
	char *out = ia_run_capture(cmd, &status);
	assert_non_null(out);
	assert_non_null(strstr(out, "file=libsqlite3.so"));   /* the listing works: a linked library is in it */
	return out;
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define IA_SANITIZER_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define IA_SANITIZER_BUILD 1
#endif
#endif
#ifndef IA_SANITIZER_BUILD
#define IA_SANITIZER_BUILD 0
#endif

/* An audit of a tree maps neither libarchive nor libxml2 (with ICU and libstdc++): they are loaded
 * when an archive is read or written, or a JUnit report written, and only then. */
static void test_tree_audit_loads_no_archive_library(void **state)
{
	(void)state;
	int status;

	assert_int_equal(ia_scratch_make("start"), 0);
	ia_mk_text("root/proc/version", "Linux version 6.12.9-test (gcc) #1 SMP x86_64\n");
	ia_mk_text("root/proc/cmdline", "intel_iommu=on quiet\n");
	char *text = make_config(10, "");
	write_config_gz(text, 0);
	free(text);

	char *l = loaded_by("--root root --format json");
	assert_null(strstr(l, "libarchive"));
	assert_null(strstr(l, "libxml2"));
	assert_null(strstr(l, "libicu"));
	/* the sanitizer runtime (libasan, libubsan) itself needs libstdc++ in a sanitizer build */
	if (!IA_SANITIZER_BUILD)
		assert_null(strstr(l, "libstdc++"));
	free(l);
	l = loaded_by("--root root --format text");
	assert_null(strstr(l, "libarchive"));
	assert_null(strstr(l, "libxml2"));
	free(l);

	/* ... and each is loaded where it is needed, and works */
	l = loaded_by("--root root --format junit");
	assert_non_null(strstr(l, "file=libxml2.so"));
	assert_null(strstr(l, "libarchive"));
	free(l);
	free(ia_run_tool("--root root --format junit --fail-on never --output report.xml", &status));
	assert_int_equal(status, 0);
	size_t len;
	char *xml = (char *)ia_slurp(ia_sp("report.xml"), &len);
	assert_non_null(xml);
	assert_non_null(strstr(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
	assert_non_null(strstr(xml, "<testsuites name=\"iommu-audit\""));
	free(xml);

	l = loaded_by("snapshot --root root --output cap.tar.gz");
	assert_non_null(strstr(l, "file=libarchive.so"));   /* (which brings libxml2: its xar reader) */
	free(l);
	l = loaded_by("--snapshot cap.tar.gz --format json");
	assert_non_null(strstr(l, "file=libarchive.so"));
	free(l);
	char *json = ia_run_tool("--snapshot cap.tar.gz --format json --fail-on never", &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(json, "\"kernel\": \"6.12.9-test\""));
	free(json);
	assert_int_equal(ia_scratch_remove(), 0);
}

/* ia_dlib_load(): a library that is missing, or lacks a function, leaves the table empty and says
 * which library, why, and what to install; a present one fills it, once. */
static void test_dlib_load(void **state)
{
	(void)state;
	struct {
		const char *(*version)(void);
		int (*crc)(int);
	} t = { 0 };
	const char *const names[] = { "zlibVersion", "ia_no_such_function" };
	const char *err;

	struct ia_dlib missing = { .soname = "libia-missing.so.9", .package = "ia-missing9 to test", .names = names,
				   .n = 1, .fns = &t, .lock = PTHREAD_MUTEX_INITIALIZER };
	assert_int_equal(ia_dlib_load(&missing, &err), -ENOENT);
	assert_non_null(err);
	assert_non_null(strstr(err, "libia-missing.so.9 cannot be loaded ("));
	assert_non_null(strstr(err, "); install ia-missing9 to test"));
	assert_null(t.version);
	assert_int_equal(ia_dlib_load(&missing, &err), -ENOENT);   /* kept */

	struct ia_dlib lacks = { .soname = "libz.so.1", .package = "zlib1g", .names = names, .n = 2, .fns = &t,
				 .lock = PTHREAD_MUTEX_INITIALIZER };
	assert_int_equal(ia_dlib_load(&lacks, &err), -ENOENT);
	assert_non_null(strstr(err, "ia_no_such_function"));
	assert_null(t.version);                                    /* not half filled */
	assert_null(t.crc);

	struct ia_dlib zlib = { .soname = "libz.so.1", .package = "zlib1g", .names = names, .n = 1, .fns = &t,
				.lock = PTHREAD_MUTEX_INITIALIZER };
	assert_int_equal(ia_dlib_load(&zlib, &err), 0);
	assert_null(err);
	assert_non_null(t.version);
	assert_string_equal(t.version(), zlibVersion());
	assert_int_equal(ia_dlib_load(&zlib, &err), 0);
}

/* Every table, column (type, NOT NULL, default, key), index and foreign key of @db, one per line. */
static char *schema_shape(sqlite3 *db)
{
	sqlite3_stmt *st;
	size_t cap = 1u << 20, n = 0;
	char *out = malloc(cap);

	assert_non_null(out);
	out[0] = '\0';
	assert_int_equal(ia_db_prepare(db,
		"SELECT m.type || ' ' || m.name || ' ' || m.tbl_name || ' ' || coalesce(("
		"  SELECT group_concat(c.name || ':' || c.type || ':' || c.\"notnull\" || ':' || coalesce(c.dflt_value, '-')"
		"         || ':' || c.pk, ',') FROM pragma_table_info(m.name) c), '') || ' ' || coalesce(("
		"  SELECT group_concat(f.\"table\" || '.' || f.\"from\" || '>' || coalesce(f.\"to\", '-'), ',')"
		"  FROM pragma_foreign_key_list(m.name) f), '') || ' ' || coalesce(("
		"  SELECT group_concat(i.name || ':' || i.\"unique\" || ':' || i.origin, ',') FROM pragma_index_list(m.name) i), '')"
		" || ' ' || coalesce((SELECT group_concat(x.name, ',') FROM pragma_index_info(m.name) x), '')"
		" FROM sqlite_master m ORDER BY m.type, m.name", &st), 0);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *l = (const char *)sqlite3_column_text(st, 0);
		assert_true(n + strlen(l) + 2 < cap);
		n += (size_t)snprintf(out + n, cap - n, "%s\n", l);
	}
	sqlite3_finalize(st);
	return out;
}

/* The database in memory is made from the schema without its comments; it has the same tables,
 * columns, keys and indexes as a file's, which keeps the comments (they document it). */
static void test_memory_schema_bare_same_shape(void **state)
{
	(void)state;
	sqlite3 *mem, *file;
	sqlite3_stmt *st;
	const char *err;

	assert_int_equal(ia_scratch_make("start"), 0);
	assert_int_equal(ia_db_open(&mem, NULL, true, &err), 0);
	assert_int_equal(ia_db_open(&file, ia_sp("facts.db"), true, &err), 0);
	char *a = schema_shape(mem), *b = schema_shape(file);
	assert_true(strlen(a) > 1000);
	assert_string_equal(a, b);
	assert_int_equal(ia_db_prepare(mem, "SELECT count(*), sum(sql LIKE '%--%'), sum(sql LIKE '%  %'), "
				       "(SELECT user_version FROM pragma_user_version) FROM sqlite_master WHERE sql IS NOT NULL", &st), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_column_int(st, 0) >= 40);
	assert_int_equal(sqlite3_column_int(st, 1), 0);   /* no comment */
	assert_int_equal(sqlite3_column_int(st, 2), 0);   /* no run of blanks */
	assert_int_equal(sqlite3_column_int(st, 3), IA_DB_SCHEMA_VERSION);
	sqlite3_finalize(st);
	assert_int_equal(ia_db_prepare(file, "SELECT sum(sql LIKE '%--%') FROM sqlite_master", &st), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_column_int(st, 0) >= 40);     /* the file's schema documents each table */
	sqlite3_finalize(st);
	free(a);
	free(b);
	ia_db_close(mem);
	ia_db_close(file);
	assert_int_equal(ia_scratch_remove(), 0);
}

/* Whether @db has a table named @name. */
static bool has_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	bool yes;

	assert_int_equal(ia_db_prepare(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", &st), 0);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	yes = sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	return yes;
}

/* PRAGMA page_size of @db. */
static int page_size(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n;

	assert_int_equal(ia_db_prepare(db, "PRAGMA page_size", &st), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* An image of a database holding only table "marker", with user_version @version (sqlite3_free() it). */
static unsigned char *marker_image(int version, struct ia_db_image *img)
{
	sqlite3 *db;
	sqlite3_int64 len;
	char sql[128];

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "CREATE TABLE marker(x); PRAGMA user_version=%d", version);
	assert_int_equal(ia_db_exec(db, sql), 0);
	unsigned char *b = sqlite3_serialize(db, "main", &len, 0);
	assert_non_null(b);
	sqlite3_close(db);
	img->page_size = 4096;
	img->n_pages = (size_t)len / 4096;
	assert_int_equal((size_t)len % 4096, 0);
	img->bytes = b;
	return b;
}

/* The in-memory database is copied from the build's image: the same tables, columns, keys and
 * indexes as one made by the statements (and a file's); an image is what is copied (a marker
 * image's table appears), and one of another schema version is ignored for the statements. */
static void test_memory_database_from_image(void **state)
{
	(void)state;
	sqlite3 *img_db, *sql_db, *file;
	const char *err;
	struct ia_db_image marker;

	assert_int_equal(ia_scratch_make("start"), 0);
	ia_db_use_image(NULL);
	assert_int_equal(ia_db_open(&sql_db, NULL, true, &err), 0);
	ia_db_use_image(&ia_db_schema_image);
	assert_int_equal(ia_db_open(&img_db, NULL, true, &err), 0);
	assert_int_equal(ia_db_open(&file, ia_sp("facts.db"), true, &err), 0);   /* a file: statements */
	char *a = schema_shape(img_db), *b = schema_shape(sql_db), *c = schema_shape(file);
	assert_true(strlen(a) > 1000);
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	assert_true(has_table(img_db, "pci_function"));
	/* both in-memory ones have IA_DB_MEMORY_PAGE_SIZE pages (the image was made with them); a
	 * file keeps SQLite's default */
	assert_int_equal(page_size(img_db), IA_DB_MEMORY_PAGE_SIZE);
	assert_int_equal(page_size(sql_db), IA_DB_MEMORY_PAGE_SIZE);
	assert_int_equal(ia_db_schema_image.page_size, IA_DB_MEMORY_PAGE_SIZE);
	sqlite3 *plain;
	assert_int_equal(sqlite3_open(":memory:", &plain), SQLITE_OK);
	assert_int_equal(page_size(file), page_size(plain)); /* the SQLite build's default */
	assert_true(page_size(plain) != IA_DB_MEMORY_PAGE_SIZE);
	sqlite3_close(plain);
	/* it is a database like the other: rows go in */
	assert_int_equal(ia_db_exec(img_db, "INSERT INTO run(id, tool_version, root, live, collected_at, pci_source)"
				    " VALUES (1, 'v', '/', 0, 't', 'sysfs')"), 0);
	free(a);
	free(b);
	free(c);
	ia_db_close(img_db);
	ia_db_close(sql_db);
	ia_db_close(file);

	unsigned char *bytes = marker_image(IA_DB_SCHEMA_VERSION, &marker);
	ia_db_use_image(&marker);
	assert_int_equal(ia_db_open(&img_db, NULL, true, &err), 0);
	assert_true(has_table(img_db, "marker"));
	assert_false(has_table(img_db, "pci_function"));
	ia_db_close(img_db);
	sqlite3_free(bytes);

	bytes = marker_image(IA_DB_SCHEMA_VERSION + 1, &marker);
	assert_int_equal(ia_db_open(&img_db, NULL, true, &err), 0);
	assert_false(has_table(img_db, "marker"));
	assert_true(has_table(img_db, "pci_function"));
	ia_db_close(img_db);
	ia_db_use_image(NULL);
	sqlite3_free(bytes);
	assert_int_equal(ia_scratch_remove(), 0);
}

/* The options of @rows ("OPTION=VALUE\n" lines) that ia_kernel_config_read lists. */
static char *filter_read(const char *rows)
{
	char *out = calloc(1, strlen(rows) + 1), *t = strdup(rows), *save = NULL;
	size_t n = 0;

	assert_non_null(out);
	assert_non_null(t);
	for (char *l = strtok_r(t, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t k = strcspn(l, "=");
		for (size_t i = 0; i < ia_kernel_config_n_read; i++)
			if (strlen(ia_kernel_config_read[i]) == k && !strncmp(l, ia_kernel_config_read[i], k))
				n += (size_t)sprintf(out + n, "%s\n", l);
	}
	free(t);
	return out;
}

/* A real configuration: this machine's /proc/config.gz (skipped where it has none). A file
 * database keeps the rows the old parser stored; the audit's in-memory one those of them the
 * rules read. */
static void test_kconfig_host_config(void **state)
{
	(void)state;
	size_t gzlen, cap = 1u << 20, n = 0;
	uint8_t *gzbytes = ia_slurp("/proc/config.gz", &gzlen);
	char *src;
	int errors, r;

	if (!gzbytes) {
		fprintf(stderr, "skipped: no readable /proc/config.gz on this machine\n");
		skip();
	}
	gzFile g = gzopen("/proc/config.gz", "rb");
	char *text = malloc(cap + 1);
	assert_non_null(g);
	assert_non_null(text);
	while ((r = gzread(g, text + n, (unsigned)(cap - n))) > 0)
		if ((n += (size_t)r) == cap)
			assert_non_null(text = realloc(text, (cap *= 2) + 1));
	assert_int_equal(r, 0);
	gzclose(g);
	text[n] = '\0';
	assert_int_equal(ia_scratch_make("start"), 0);
	ia_mk_file("root/proc/config.gz", gzbytes, gzlen);

	char *file = collect_config(ia_sp("facts.db"), &src, &errors), *ref = reference_rows(text);
	assert_string_equal(file, ref);
	assert_true(strlen(ref) > 100);
	free(src);
	char *mem = collect_config(NULL, &src, &errors), *want = filter_read(ref);
	assert_string_equal(mem, want);
	assert_string_equal(src, "proc/config.gz");
	assert_int_equal(errors, 0);
	free(src);
	free(mem);
	free(want);
	free(file);
	free(ref);
	free(text);
	free(gzbytes);
	assert_int_equal(ia_scratch_remove(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kconfig_read_covers_rules),
		cmocka_unit_test(test_kconfig_memory_keeps_read_options),
		cmocka_unit_test(test_kconfig_stops_once_read),
		cmocka_unit_test(test_kconfig_cut_before_all_read),
		cmocka_unit_test(test_kconfig_host_config),
		cmocka_unit_test(test_tree_audit_loads_no_archive_library),
		cmocka_unit_test(test_dlib_load),
		cmocka_unit_test(test_memory_schema_bare_same_shape),
		cmocka_unit_test(test_memory_database_from_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
