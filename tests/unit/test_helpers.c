// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of the src/core helpers every stage shares: BDF parsing and formatting, strict UTF-8
// decoding and sanitising, the overflow-checked growable array, and the string builder.
#include "testutil.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/bdf.h"
#include "core/db.h"
#include "core/ia_err.h"
#include "core/text.h"

/* The out-of-memory cases ask realloc() for sizes no allocator grants; under AddressSanitizer
 * (IA_SANITIZE) that must return NULL as it does in libc, not abort the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

/* ---- BDF ---------------------------------------------------------------------------------- */

struct bdf_case {
	const char *in;
	unsigned flags;
	int rc;
	uint32_t domain;
	unsigned bus, dev, fn;
};

static void test_bdf_grammar(void **state)
{
	static const struct bdf_case cases[] = {
		{ "0000:00:00.0", 0, 0, 0, 0, 0, 0 },
		{ "0000:3b:1f.7", 0, 0, 0, 0x3b, 0x1f, 7 },
		{ "3b:1f.7", 0, 0, 0, 0x3b, 0x1f, 7 },                 /* no domain: domain 0 */
		{ "3B:1F.7", 0, 0, 0, 0x3b, 0x1f, 7 },                 /* upper case accepted ... */
		{ "3B:1F.7", IA_BDF_CANONICAL, -IA_E_FORMAT, 0, 0, 0, 0 },         /* ... but not canonical */
		{ "0000:3B:00.0", IA_BDF_CANONICAL, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "ABCD:00:00.0", IA_BDF_CANONICAL, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "3b:1f.7", IA_BDF_CANONICAL, -IA_E_FORMAT, 0, 0, 0, 0 },         /* canonical has a domain */
		{ "1:00:00.0", 0, 0, 1, 0, 0, 0 },                     /* 1-digit domain */
		{ "1:00:00.0", IA_BDF_CANONICAL, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "10000:e0:06.0", IA_BDF_CANONICAL, 0, 0x10000, 0xe0, 6, 0 }, /* Intel VMD */
		{ "ffffffff:ff:1f.7", IA_BDF_CANONICAL, 0, 0xffffffffu, 0xff, 0x1f, 7 },
		{ "FFFFFFFF:FF:1F.7", 0, 0, 0xffffffffu, 0xff, 0x1f, 7 },
		{ "00000:00:00.0", 0, 0, 0, 0, 0, 0 },
		{ "00000:00:00.0", IA_BDF_CANONICAL, -IA_E_FORMAT, 0, 0, 0, 0 },   /* %04x never writes 5 zeros */
		{ "0ffff:00:00.0", IA_BDF_CANONICAL, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "100000000:00:00.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },              /* 9-digit domain */
		{ "000000000:00:00.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "0000:00:20.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },                   /* device 0x20 */
		{ "0000:00:ff.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "0000:00:00.8", 0, -IA_E_FORMAT, 0, 0, 0, 0 },                   /* function 8 */
		{ "0000:00:00.a", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "0000:00:00.0x", 0, -IA_E_FORMAT, 0, 0, 0, 0 },                  /* trailing junk */
		{ "0000:00:00.0\n", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "0000:00:00.00", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ " 0000:00:00.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "+0:00:00.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "0x0:00:00.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ ":00:00.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },                       /* empty domain */
		{ "0000:0:00.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },                    /* one-digit bus */
		{ "0000:000:00.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "0000:00:0.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "0000.00:00.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "0000:00.00:0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "0000:0g:00.0", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
		{ "00:00.", 0, -IA_E_FORMAT, 0, 0, 0, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bdf_case *c = &cases[i];
		struct ia_bdf b = { 0xdead, 0xaa, 0xbb, 0xcc };
		int rc = ia_bdf_parse(c->in, c->flags, &b);
		if (rc != c->rc)
			fail_msg("case %zu \"%s\" flags %u: %d, want %d", i, c->in, c->flags, rc, c->rc);
		if (rc) {   /* untouched on failure */
			assert_int_equal(b.domain, 0xdead);
			assert_int_equal(b.bus, 0xaa);
			assert_int_equal(b.dev, 0xbb);
			assert_int_equal(b.fn, 0xcc);
			continue;
		}
		if (b.domain != c->domain || b.bus != c->bus || b.dev != c->dev || b.fn != c->fn)
			fail_msg("case %zu \"%s\": %x:%x:%x.%x", i, c->in, b.domain, b.bus, b.dev, b.fn);
	}
	assert_int_equal(ia_bdf_parse(NULL, 0, &(struct ia_bdf){ 0 }), -IA_E_FORMAT);
}

static void test_bdf_format(void **state)
{
	char buf[IA_BDF_BUFSZ];
	(void)state;

	assert_string_equal(ia_bdf_format((struct ia_bdf){ 0, 0, 0, 0 }, buf), "0000:00:00.0");
	assert_string_equal(ia_bdf_format((struct ia_bdf){ 0x10000, 0xe0, 6, 0 }, buf), "10000:e0:06.0");
	assert_string_equal(ia_bdf_format((struct ia_bdf){ 0xffffffffu, 0xff, 0x1f, 7 }, buf), "ffffffff:ff:1f.7");
	assert_int_equal(strlen(buf), IA_BDF_STRLEN);
	/* the longest canonical BDF fits the audit's BDF buffers */
	assert_true(IA_BDF_MAX >= IA_BDF_BUFSZ);
	assert_string_equal(ia_bdf_format(ia_bdf_from_devfn(1, 0x3b, 0xff), buf), "0001:3b:1f.7");

	/* every formatted address parses back canonically to itself */
	static const struct ia_bdf rt[] = { { 0, 0, 0, 0 }, { 0xabcd, 0x12, 0x1e, 3 }, { 0x10000, 0xe0, 6, 0 },
					    { 0x1234567, 1, 2, 3 }, { 0xffffffffu, 0xff, 0x1f, 7 } };
	for (size_t i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
		struct ia_bdf b;
		assert_int_equal(ia_bdf_parse(ia_bdf_format(rt[i], buf), IA_BDF_CANONICAL, &b), 0);
		assert_int_equal(ia_bdf_cmp(b, rt[i]), 0);
	}
	assert_true(ia_bdf_cmp((struct ia_bdf){ 0x10000, 0, 0, 0 }, (struct ia_bdf){ 0xffff, 0xff, 0x1f, 7 }) > 0);
	assert_true(ia_bdf_cmp((struct ia_bdf){ 0, 1, 0, 0 }, (struct ia_bdf){ 0, 0, 0x1f, 7 }) > 0);
	assert_true(ia_bdf_cmp((struct ia_bdf){ 0, 0, 1, 0 }, (struct ia_bdf){ 0, 0, 1, 1 }) < 0);
}

/* ---- UTF-8 -------------------------------------------------------------------------------- */

struct utf8_case {
	const char *name;
	const char *in;
	size_t n;
	size_t len;          /* ia_utf8_decode() of the whole input */
	uint32_t cp;
};

#define U(name, s, len, cp) { name, s, sizeof(s) - 1, len, cp }

static void test_utf8_decode(void **state)
{
	static const struct utf8_case cases[] = {
		U("ascii", "A", 1, 'A'),
		U("nul", "\0", 1, 0),
		U("2-byte min", "\xc2\x80", 2, 0x80),
		U("2-byte max", "\xdf\xbf", 2, 0x7ff),
		U("overlong 2-byte C0", "\xc0\xaf", 0, 0),
		U("overlong 2-byte C1", "\xc1\xbf", 0, 0),
		U("3-byte min", "\xe0\xa0\x80", 3, 0x800),
		U("overlong 3-byte", "\xe0\x9f\xbf", 0, 0),
		U("overlong 3-byte NUL", "\xe0\x80\x80", 0, 0),
		U("before surrogates", "\xed\x9f\xbf", 3, 0xd7ff),
		U("surrogate D800", "\xed\xa0\x80", 0, 0),
		U("surrogate DFFF", "\xed\xbf\xbf", 0, 0),
		U("after surrogates", "\xee\x80\x80", 3, 0xe000),
		U("U+FFFF", "\xef\xbf\xbf", 3, 0xffff),
		U("4-byte min", "\xf0\x90\x80\x80", 4, 0x10000),
		U("overlong 4-byte", "\xf0\x8f\xbf\xbf", 0, 0),
		U("4-byte max U+10FFFF", "\xf4\x8f\xbf\xbf", 4, 0x10ffff),
		U("above U+10FFFF", "\xf4\x90\x80\x80", 0, 0),
		U("F5 lead", "\xf5\x80\x80\x80", 0, 0),
		U("FF", "\xff", 0, 0),
		U("lone continuation", "\x80", 0, 0),
		U("truncated 2-byte", "\xc3", IA_UTF8_SHORT, 0),
		U("truncated 3-byte", "\xe2\x82", IA_UTF8_SHORT, 0),
		U("truncated 4-byte", "\xf0\x9f\x98", IA_UTF8_SHORT, 0),
		U("bad second byte", "\xc3\x41", 0, 0),
		U("bad third byte", "\xe2\x82\x41", 0, 0),
		U("bad fourth byte", "\xf0\x9f\x98\xc0", 0, 0),
		U("euro", "\xe2\x82\xac", 3, 0x20ac),
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t cp = 0xdeadbeef;
		size_t l = ia_utf8_decode((const unsigned char *)cases[i].in, cases[i].n, &cp);
		if (l != cases[i].len)
			fail_msg("%s: length %zu, want %zu", cases[i].name, l, cases[i].len);
		if (l >= 1 && l <= 4 && cp != cases[i].cp)
			fail_msg("%s: U+%04X, want U+%04X", cases[i].name, cp, cases[i].cp);
	}
	assert_int_equal(ia_utf8_valid("ab\xe2\x82\xac", 5), 5);
	assert_int_equal(ia_utf8_valid("ab\xed\xa0\x80", 5), 2);
	assert_int_equal(ia_utf8_valid("ab\xe2\x82", 4), 2);    /* truncated at the end */
	assert_int_equal(ia_utf8_valid("", 0), 0);
}

static void sanitize_is(const char *in, size_t n, const char *want)
{
	char out[128];
	size_t w = ia_text_sanitize(in, n, out);

	assert_true(w <= IA_TEXT_SANITIZED_MAX(n));
	out[w] = '\0';
	assert_string_equal(out, want);
	if (strlen(want) != w)
		fail_msg("length %zu, want %zu", w, strlen(want));
	/* ia_text_clean(): the prefix left as it is */
	size_t c = ia_text_clean(in, n);
	assert_true(c <= n);
	assert_memory_equal(in, out, c);
	if (c < n)
		assert_true(w != n || memcmp(in, out, n));
}

/* ia_utf8_valid() skips ASCII eight bytes at a time: a bad byte, or a valid multi-byte sequence,
 * at every position of a longer text, and texts whose length is not a multiple of eight. */
static void test_utf8_valid_long(void **state)
{
	(void)state;
	char b[40];

	for (size_t at = 0; at < 30; at++) {
		memset(b, 'a', sizeof(b));
		b[at] = (char)0xff;
		assert_int_equal(ia_utf8_valid(b, 33), at < 33 ? at : 33);
		memset(b, 'a', sizeof(b));
		memcpy(b + at, "\xe2\x82\xac", 3);  /* U+20AC */
		assert_int_equal(ia_utf8_valid(b, 37), 37);
		assert_int_equal(ia_utf8_valid(b, at + 2), at); /* cut inside the sequence */
	}
	for (size_t n = 0; n < 20; n++) {
		memset(b, 'z', sizeof(b));
		assert_int_equal(ia_utf8_valid(b, n), n);
	}
}

/* The one escaping (issue 17 item 6): malformed bytes "\xNN", C0/DEL "\xNN", C1, separators,
 * bidi controls and U+FFFE/U+FFFF "\uNNNN"; tab, LF and every other character kept. */
static void test_utf8_sanitize(void **state)
{
	(void)state;
	/* each byte that starts no well-formed sequence: one escape, decoding goes on */
	sanitize_is("a\xed\xa0\x80" "b", 5, "a\\xed\\xa0\\x80b");
	sanitize_is("\xc0\xaf", 2, "\\xc0\\xaf");
	sanitize_is("\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80");
	sanitize_is("\xe2\x82" "A", 3, "\\xe2\\x82A");
	sanitize_is("x\xe2\x82", 3, "x\\xe2\\x82");     /* truncated by the end */
	sanitize_is("\xc3\xa9\xf4\x8f\xbf\xbf", 6, "\xc3\xa9\xf4\x8f\xbf\xbf");
	/* controls: LF stays; tab, CR, ESC, DEL do not */
	sanitize_is("a\x01\t\n\r\x7f" "b", 7, "a\\x01\\x09\n\\x0d\\x7fb");
	sanitize_is("\x1b[2J", 4, "\\x1b[2J");
	/* C1 (U+009B is CSI) as a character; raw 0x9b is malformed */
	sanitize_is("\xc2\x9b" "1m\x9b", 5, "\\u009b1m\\x9b");
	sanitize_is("\xc2\xa0", 2, "\xc2\xa0");
	/* line/paragraph separators, bidi override and isolate, U+FFFE/U+FFFF; U+FFFD stays */
	sanitize_is("a\xe2\x80\xa8" "b\xe2\x80\xa9", 8, "a\\u2028b\\u2029");
	sanitize_is("\xe2\x80\xae\xe2\x81\xa6", 6, "\\u202e\\u2066");
	sanitize_is("\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbd", 9, "\\ufffe\\uffff\xef\xbf\xbd");
	sanitize_is("", 0, "");
	/* the worst case: every byte a "\xNN" */
	sanitize_is("\xff\xff\xff", 3, "\\xff\\xff\\xff");
	assert_int_equal(ia_text_clean("ok\xc3\xa9\x1b", 5), 4);
	assert_int_equal(ia_text_clean("ok\n\t", 4), 3);

	char *d = ia_text_sanitize_dup("\xff" "ok");
	assert_non_null(d);
	assert_string_equal(d, "\\xffok");
	free(d);
	assert_null(ia_text_sanitize_dup(NULL));
}

/* ia_text_wrap(@in) at @width, compared with @want. */
static void wrap_is(const char *in, unsigned width, const char *want)
{
	struct ia_sb b;

	ia_sb_init(&b);
	assert_int_equal(ia_text_wrap(in, strlen(in), width, &b), 0);
	assert_string_equal(ia_sb_str(&b), want);
	ia_sb_free(&b);
}

/* Wrapping (issue 14 point 7): at spaces only, hanging indent, `commands` whole, SGR zero-width. */
static void test_text_wrap(void **state)
{
	(void)state;
	/* fits (or no width): as it is, double spaces kept */
	wrap_is("  a  b c", 8, "  a  b c\n");
	wrap_is("  a b c d e f g h", 0, "  a b c d e f g h\n");
	/* hanging indent: 2 + 4; the spaces at a break are dropped */
	wrap_is("  blocker 0000:00:1f.3 bound to e1000e", 24,
		"  blocker 0000:00:1f.3\n      bound to e1000e\n");
	/* a path wider than the line stays whole on its own line */
	wrap_is("see /sys/bus/pci/devices/0000:00:1f.3/driver_override now", 20,
		"see\n    /sys/bus/pci/devices/0000:00:1f.3/driver_override\n    now\n");
	/* a `command` is one unit: moved whole to the next line */
	wrap_is("  fix: run `driverctl set-override 0000:3b:00.0 vfio-pci` first", 40,
		"  fix: run\n      `driverctl set-override 0000:3b:00.0 vfio-pci`\n      first\n");
	/* SGR sequences take no column; multi-byte characters one each */
	wrap_is("\033[1;31mVERDICT:\033[0m FAIL caf\xc3\xa9", 18, "\033[1;31mVERDICT:\033[0m FAIL caf\xc3\xa9\n");
	wrap_is("\033[1;31mVERDICT:\033[0m FAIL caf\xc3\xa9", 17, "\033[1;31mVERDICT:\033[0m FAIL\n    caf\xc3\xa9\n");
	/* a deep indent hangs at most half the width */
	wrap_is("            aaaa bbbb", 20, "            aaaa\n          bbbb\n");
	/* COLUMNS: a number from 20 to 10000, else 80 (descriptor -1 is no terminal) */
	setenv("COLUMNS", "120", 1);
	assert_int_equal(ia_text_columns(-1), 120);
	setenv("COLUMNS", "12x", 1);
	assert_int_equal(ia_text_columns(-1), 80);
	setenv("COLUMNS", "5", 1);
	assert_int_equal(ia_text_columns(-1), 80);
	unsetenv("COLUMNS");
	assert_int_equal(ia_text_columns(-1), 80);
}

/* A stream gives what one ia_text_sanitize() over the whole input gives, wherever it is split. */
static void test_utf8_stream(void **state)
{
	static const char in[] = "a\xe2\x82\xac\xf0\x9f\x98\x80\xc2\x9b\xe2\x82" "b\xed\xa0\x80\xc3";
	const size_t n = sizeof(in) - 1;
	(void)state;

	char whole[128], part[128];
	size_t wl = ia_text_sanitize(in, n, whole);
	for (size_t cut1 = 0; cut1 <= n; cut1++)
		for (size_t cut2 = cut1; cut2 <= n; cut2++) {
			struct ia_text_stream t = { .npend = 0 };
			size_t pl = ia_text_stream_put(&t, in, cut1, part);
			pl += ia_text_stream_put(&t, in + cut1, cut2 - cut1, part + pl);
			pl += ia_text_stream_put(&t, in + cut2, n - cut2, part + pl);
			pl += ia_text_stream_end(&t, part + pl);
			if (pl != wl || memcmp(part, whole, wl))
				fail_msg("cut %zu/%zu differs", cut1, cut2);
		}
	/* byte by byte */
	struct ia_text_stream t = { .npend = 0 };
	char out[128];
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		o += ia_text_stream_put(&t, in + i, 1, out + o);
	o += ia_text_stream_end(&t, out + o);
	out[o] = '\0';
	assert_string_equal(out, "a\xe2\x82\xac\xf0\x9f\x98\x80\\u009b\\xe2\\x82b\\xed\\xa0\\x80\\xc3");
}

/* ---- growable arrays ---------------------------------------------------------------------- */

static void test_array_grow(void **state)
{
	int *v = NULL;
	size_t cap = 0;
	(void)state;

	for (size_t n = 0; n < 1000; n++) {
		int *nv = ia_array_grow(v, &cap, n + 1, sizeof(*v));
		assert_non_null(nv);
		v = nv;
		assert_true(cap >= n + 1);
		assert_int_equal(v[n], 0);   /* new slots are zeroed */
		v[n] = (int)n;
	}
	assert_int_equal(cap, 1024);    /* 8, doubling */
	for (size_t n = 0; n < 1000; n++)
		assert_int_equal(v[n], (int)n);
	/* room already there: same array, same capacity */
	assert_ptr_equal(ia_array_grow(v, &cap, 10, sizeof(*v)), v);
	assert_int_equal(cap, 1024);
	/* a jump past double */
	v = ia_array_grow(v, &cap, 5000, sizeof(*v));
	assert_non_null(v);
	assert_int_equal(cap, 5000);
	free(v);

	/* ia_array_reserve(): the pointer-in-place form */
	struct big { char b[24]; } *bv = NULL;
	cap = 0;
	assert_int_equal(ia_array_reserve((void **)&bv, &cap, 3, sizeof(*bv)), 0);
	assert_non_null(bv);
	assert_int_equal(cap, IA_ARRAY_MIN);
	assert_int_equal(ia_array_reserve((void **)&bv, &cap, 0, sizeof(*bv)), 0);
	free(bv);
}

static void test_array_overflow(void **state)
{
	const size_t elem = 24;
	const size_t max = SIZE_MAX / elem;   /* the most elements whose byte size fits */
	char *v = malloc(elem), *keep = v;
	size_t cap = 1;
	(void)state;

	assert_non_null(v);
	/* one past the boundary: refused before realloc, nothing changes */
	assert_null(ia_array_grow(v, &cap, max + 1, elem));
	assert_int_equal(cap, 1);
	assert_null(ia_array_grow(v, &cap, SIZE_MAX, elem));
	assert_int_equal(cap, 1);
	/* at the boundary the size fits size_t but no allocator gives it: NULL, unchanged */
	assert_null(ia_array_grow(v, &cap, max, elem));
	assert_int_equal(cap, 1);
	/* doubling past the boundary is clamped instead of wrapping: a capacity of max/2 + 1 would
	 * double to more than max; asking for max/2 + 2 must not compute a wrapped size */
	size_t big = max / 2 + 1;
	assert_null(ia_array_grow(v, &big, big + 1, elem));
	assert_int_equal(big, max / 2 + 1);
	assert_null(ia_array_grow(v, &cap, 2, 0));               /* element size 0 */
	void **p = (void **)&v;
	assert_int_equal(ia_array_reserve(p, &cap, max + 1, elem), -ENOMEM);
	assert_ptr_equal(v, keep);
	assert_int_equal(cap, 1);
	free(v);
}

/* ---- string builder ----------------------------------------------------------------------- */

static void test_sb_heap(void **state)
{
	struct ia_sb b;
	(void)state;

	ia_sb_init(&b);
	assert_string_equal(ia_sb_str(&b), "");
	for (int i = 0; i < 1000; i++)
		assert_int_equal(ia_sb_printf(&b, "%s%d", i ? "," : "", i), 0);
	assert_int_equal(b.len, strlen(ia_sb_str(&b)));
	assert_int_equal(strncmp(ia_sb_str(&b), "0,1,2,3,", 8), 0);
	assert_string_equal(ia_sb_str(&b) + b.len - 8, ",998,999");
	assert_int_equal(ia_sb_puts(&b, "!"), 0);
	assert_int_equal(ia_sb_append(&b, "xyz", 2), 0);
	assert_string_equal(ia_sb_str(&b) + b.len - 3, "!xy");
	char *s = ia_sb_take(&b);
	assert_non_null(s);
	assert_int_equal(b.len, 0);
	assert_null(b.s);
	free(s);
	s = ia_sb_take(&b);                 /* empty: "" */
	assert_string_equal(s, "");
	free(s);
	ia_sb_free(&b);
	ia_sb_free(NULL);
}

static void test_sb_fixed(void **state)
{
	char buf[8];
	struct ia_sb b;
	(void)state;

	ia_sb_init_fixed(&b, buf, sizeof(buf));
	assert_int_equal(ia_sb_printf(&b, "%s", "abc"), 0);
	assert_int_equal(ia_sb_printf(&b, "%d", 1234), 0);          /* 7 characters: fits */
	assert_string_equal(buf, "abc1234");
	assert_false(b.truncated);
	/* the same bytes snprintf() chains with a guard would leave */
	assert_int_equal(ia_sb_printf(&b, "%s", "zz"), -E2BIG);
	assert_true(b.truncated);
	assert_string_equal(buf, "abc1234");
	assert_int_equal(b.len, 7);
	/* after truncation further appends write nothing and do not overrun */
	assert_int_equal(ia_sb_printf(&b, "%s", "more"), -E2BIG);
	assert_int_equal(ia_sb_puts(&b, "x"), -E2BIG);
	assert_string_equal(buf, "abc1234");
	assert_int_equal(b.err, 0);                                   /* truncation is no error */

	ia_sb_init_fixed(&b, buf, sizeof(buf));
	assert_int_equal(ia_sb_printf(&b, "%s", "0123456789"), -E2BIG);
	assert_string_equal(buf, "0123456");
	ia_sb_init_fixed(&b, buf, sizeof(buf));
	assert_int_equal(ia_sb_append(&b, "0123456789", 10), -E2BIG);
	assert_string_equal(buf, "0123456");
	char *c = ia_sb_take(&b);                                     /* a heap copy */
	assert_string_equal(c, "0123456");
	free(c);
	ia_sb_free(&b);                                               /* the array is the caller's */

	ia_sb_init_fixed(&b, buf, 0);
	assert_int_equal(b.err, -EINVAL);
	assert_int_equal(ia_sb_puts(&b, "x"), -EINVAL);
	assert_string_equal(ia_sb_str(&b), "");
}

/* Out of memory: the first failure is sticky and the text is dropped. */
static void test_sb_enomem(void **state)
{
	struct ia_sb b;
	(void)state;

	ia_sb_init(&b);
	assert_int_equal(ia_sb_puts(&b, "abc"), 0);
	/* an append that would need more than SIZE_MAX bytes fails before allocating */
	assert_int_equal(ia_sb_append(&b, "x", SIZE_MAX - 2), -EOVERFLOW);
	assert_int_equal(b.err, -EOVERFLOW);
	assert_int_equal(ia_sb_puts(&b, "def"), -EOVERFLOW);          /* sticky */
	assert_string_equal(ia_sb_str(&b), "abc");
	assert_null(ia_sb_take(&b));
	assert_null(b.s);

	/* an allocation no allocator grants: -ENOMEM, sticky */
	ia_sb_init(&b);
	assert_int_equal(ia_sb_puts(&b, "abc"), 0);
	assert_int_equal(ia_sb_append(&b, "x", SIZE_MAX / 2), -ENOMEM);
	assert_int_equal(ia_sb_printf(&b, "%d", 1), -ENOMEM);
	assert_string_equal(ia_sb_str(&b), "abc");
	ia_sb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bdf_grammar),
		cmocka_unit_test(test_bdf_format),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_utf8_valid_long),
		cmocka_unit_test(test_utf8_sanitize),
		cmocka_unit_test(test_utf8_stream),
		cmocka_unit_test(test_text_wrap),
		cmocka_unit_test(test_array_grow),
		cmocka_unit_test(test_array_overflow),
		cmocka_unit_test(test_sb_heap),
		cmocka_unit_test(test_sb_fixed),
		cmocka_unit_test(test_sb_enomem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
