/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one JSON writer of every JSON document the tool prints (reports/json.c's report, src/cli's
 * plan and diff): yajl's streaming generator with a fixed output buffer, laid out byte for byte as
 * jansson's JSON_INDENT(2) | JSON_PRESERVE_ORDER wrote it (empty arrays and objects as [] and {}).
 *
 *   struct jw *w = jw_new(out);  jw_map(w); jm_text(w, "schema", "x/1"); jw_map_end(w);
 *   int rc = jw_finish(w);
 *
 * Every call after the first failure does nothing; jw_finish() reports that failure. */
#ifndef IA_REPORTS_JSONW_H
#define IA_REPORTS_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "core/tri.h"

struct jw {
	yajl_gen g;
	FILE *out;
	int err;                   /* the first failure: -ENOMEM, -EIO */
	int werrno;                /* errno of the write (or allocation) that failed */
	char *scratch;             /* host text with malformed UTF-8 replaced */
	size_t scratch_cap;
	size_t len;                /* bytes waiting in buf */
	size_t flushes;            /* times buf was written out */
	bool just_opened;          /* the last generator call opened an array or object ... */
	size_t open_len, open_flushes; /* ... leaving len and flushes so: see jw_close() */
	const void *user;          /* the renderer's own context (NULL from jw_new()) */
	char buf[1 << 16];
};

/** jw_new() - a writer onto @out. NULL with errno ENOMEM when it cannot be allocated. */
struct jw *jw_new(FILE *out);

/**
 * jw_finish() - write what is buffered and free @w (yajl ends a document with a newline).
 * Return: 0; the first failure: -ENOMEM (a text could not be sanitised), -EIO (a write failed,
 * or the generator refused a call: a bug), with errno set to the failed write's reason (ENOSPC,
 * EFBIG, EIO).
 */
int jw_finish(struct jw *w);

/** jw_fail() - record a failure (the first one is kept). @err: -errno; @eno: errno for the caller. */
void jw_fail(struct jw *w, int err, int eno);

/* Values: objects and arrays, null, booleans, bytes known to be UTF-8 (keys, fixed words) */
void jw_map(struct jw *w);
void jw_map_end(struct jw *w);
void jw_arr(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_null(struct jw *w);
void jw_bool(struct jw *w, bool b);
void jw_raw(struct jw *w, const char *s, size_t n);
/** jw_text() - host text: null for NULL, else escaped as every renderer escapes it (ia_text_sanitize()). */
void jw_text(struct jw *w, const char *s);
/** jw_tri() - true, false, or null for IA_UNKNOWN. */
void jw_tri(struct jw *w, enum ia_tri t);
void jw_int(struct jw *w, long long v);
/** jw_hex() - the string "0x" and @v in lower-case hex, at least @width digits (at most 16). */
void jw_hex(struct jw *w, unsigned long long v, int width);

/* A key: inline, so that a literal's length is a constant (a report writes about 40 keys per
 * device: a strlen() and two calls each were a twentieth of the JSON report's time). */
static inline void jw_key(struct jw *w, const char *k) { jw_raw(w, k, strlen(k)); }
/* Object members: "key": value. The _if forms write null unless @has. */
static inline void jm_text(struct jw *w, const char *k, const char *s) { jw_key(w, k); jw_text(w, s); }
static inline void jm_tri(struct jw *w, const char *k, enum ia_tri t)  { jw_key(w, k); jw_tri(w, t); }
static inline void jm_bool(struct jw *w, const char *k, bool b)        { jw_key(w, k); jw_bool(w, b); }
static inline void jm_int(struct jw *w, const char *k, long long v)    { jw_key(w, k); jw_int(w, v); }
static inline void jm_null(struct jw *w, const char *k)                { jw_key(w, k); jw_null(w); }
static inline void jm_map(struct jw *w, const char *k)                 { jw_key(w, k); jw_map(w); }
static inline void jm_arr(struct jw *w, const char *k)                 { jw_key(w, k); jw_arr(w); }
static inline void jm_int_if(struct jw *w, const char *k, bool has, long long v)
{
	jw_key(w, k);
	if (has)
		jw_int(w, v);
	else
		jw_null(w);
}
static inline void jm_hex_if(struct jw *w, const char *k, bool has, unsigned long long v, int width)
{
	jw_key(w, k);
	if (has)
		jw_hex(w, v, width);
	else
		jw_null(w);
}
#endif
