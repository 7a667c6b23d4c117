// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of the strict sysfs/procfs text parsers: every accepted form and every refused one, by exact code.
#include "testutil.h"
#include <ctype.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/sysfs_attr.h"
#include "core/ia_err.h"

/* A text with an explicit length, so embedded NUL bytes can be tested. */
#define T(s) s, sizeof(s) - 1

/* ---------------------------------------------------------------------------------------------
 * Numbers
 * ------------------------------------------------------------------------------------------- */

struct u64_case {
	const char *name;
	const char *s;
	size_t len;
	int base;
	int rc;
	uint64_t v;
};

static const struct u64_case u64_cases[] = {
	/* must pass: the kernel's "%#x\n", "0x%04x\n", "%d\n" and "%u" outputs */
	{ "hex-0x-newline", T("0x8086\n"), 16, 0, 0x8086 },
	{ "hex-0x", T("0x8086"), 16, 0, 0x8086 },
	{ "hex-bare", T("10de"), 16, 0, 0x10de },
	{ "hex-bare-newline", T("10de\n"), 16, 0, 0x10de },
	{ "hex-upper-0X", T("0XABCDEF"), 16, 0, 0xabcdef },
	{ "hex-class", T("0x020000\n"), 16, 0, 0x020000 },
	{ "hex-max", T("0xffffffffffffffff"), 16, 0, UINT64_MAX },
	{ "hex-zero", T("0"), 16, 0, 0 },
	{ "dec", T("42\n"), 10, 0, 42 },
	{ "dec-max", T("18446744073709551615"), 10, 0, UINT64_MAX },
	{ "dec-leading-zero", T("007"), 10, 0, 7 },
	{ "base0-hex", T("0x1f"), 0, 0, 0x1f },
	{ "base0-octal", T("017"), 0, 0, 15 },
	{ "base0-dec", T("17\n"), 0, 0, 17 },
	/* must fail: overflow */
	{ "hex-overflow", T("0x10000000000000000"), 16, -IA_E_RANGE, 0 },
	{ "hex-overflow-bare", T("1ffffffffffffffff\n"), 16, -IA_E_RANGE, 0 },
	{ "dec-overflow", T("18446744073709551616"), 10, -IA_E_RANGE, 0 },
	/* must fail: sign, spaces, trailing junk, empty */
	{ "empty", T(""), 16, -IA_E_FORMAT, 0 },
	{ "newline-only", T("\n"), 16, -IA_E_FORMAT, 0 },
	{ "two-newlines", T("5\n\n"), 10, -IA_E_FORMAT, 0 },
	{ "minus", T("-1"), 10, -IA_E_FORMAT, 0 },
	{ "minus-hex", T("-0x1"), 16, -IA_E_FORMAT, 0 },
	{ "plus", T("+1"), 10, -IA_E_FORMAT, 0 },
	{ "leading-space", T(" 1"), 10, -IA_E_FORMAT, 0 },
	{ "leading-tab", T("\t1"), 10, -IA_E_FORMAT, 0 },
	{ "trailing-space", T("1 "), 10, -IA_E_FORMAT, 0 },
	{ "trailing-space-newline", T("1 \n"), 10, -IA_E_FORMAT, 0 },
	{ "trailing-junk", T("12ab"), 10, -IA_E_FORMAT, 0 },
	{ "hex-trailing-junk", T("0x12g"), 16, -IA_E_FORMAT, 0 },
	{ "hex-prefix-only", T("0x"), 16, -IA_E_FORMAT, 0 },
	{ "hex-in-dec", T("0x10"), 10, -IA_E_FORMAT, 0 },
	{ "letter-in-dec", T("a"), 10, -IA_E_FORMAT, 0 },
	{ "embedded-nul", T("12\0" "34"), 10, -IA_E_FORMAT, 0 },
	{ "embedded-nul-end", T("12\0"), 10, -IA_E_FORMAT, 0 },
	{ "negative-in-hex-after-0x", T("0x-5"), 16, -IA_E_FORMAT, 0 },
};

static void test_parse_u64(void **state)
{
	(void)state;

	for (size_t i = 0; i < sizeof(u64_cases) / sizeof(u64_cases[0]); i++) {
		const struct u64_case *t = &u64_cases[i];
		uint64_t v = 0x5a5a5a5a;
		int rc = ia_parse_u64(t->s, t->len, t->base, &v);

		if (rc != t->rc)
			fail_msg("case %s: rc %d (%s), want %d", t->name, rc, ia_strerror(rc), t->rc);
		if (rc == 0 && v != t->v)
			fail_msg("case %s: value %#llx, want %#llx", t->name, (unsigned long long)v,
				 (unsigned long long)t->v);
		if (rc != 0 && v != 0x5a5a5a5a)
			fail_msg("case %s: output touched on failure", t->name);
	}
}

/* The text need not be NUL-terminated: only @len bytes are read. */
static void test_parse_u64_unterminated(void **state)
{
	const char buf[] = { '1', '2', '3', '4' };
	uint64_t v = 0;
	(void)state;

	assert_int_equal(ia_parse_u64(buf, 2, 10, &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(ia_parse_u64(buf, 4, 16, &v), 0);
	assert_int_equal(v, 0x1234);
}

/* ---------------------------------------------------------------------------------------------
 * Booleans (param_get_bool prints "Y\n" or "N\n")
 * ------------------------------------------------------------------------------------------- */

/* The old strtoull() implementation of ia_parse_u64(), as the reference for the fast path. */
static int ref_parse_u64(const char *s, size_t len, int base, uint64_t *out)
{
	char tmp[64], *end;
	unsigned long long v;

	if (len && s[len - 1] == '\n')
		len--;
	if (len == 0 || len >= sizeof(tmp))
		return -IA_E_FORMAT;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (!isxdigit((unsigned char)tmp[0]))
		return -IA_E_FORMAT;
	errno = 0;
	v = strtoull(tmp, &end, base);
	if (errno == ERANGE)
		return -IA_E_RANGE;
	if (end != tmp + len)
		return -IA_E_FORMAT;
	*out = v;
	return 0;
}

/* Bases 10 and 16 agree with strtoull() on edge cases and on 200,000 random texts. */
static void test_parse_u64_matches_strtoull(void **state)
{
	static const char *const edge[] = {
		"0", "0x", "0x0", "0X1F", "0xg", "0x 1", "00x1", "x1", "ffffffffffffffff", "10000000000000000",
		"0xffffffffffffffff", "0x10000000000000000", "18446744073709551615", "18446744073709551616",
		"99999999999999999999z", "fffffffffffffffffz", "0x0000000000000000000000000001", "1\n", "1\n\n",
		"1 ", " 1", "+1", "-1", "1a", "a1", "0x1\n", "0x\n", "ABCDEF", "abcdef0123456789",
		"0000000000000000000000000000000000000000000000000000000000000001",
	};
	static const char alpha[] = "0123456789abcdefABCDEFxX +-z\n\0";
	static const int bases[] = { 10, 16 };
	uint64_t a, b;
	unsigned seed = 12345;

	(void)state;
	for (size_t e = 0; e < sizeof(edge) / sizeof(*edge); e++)
		for (size_t k = 0; k < 2; k++) {
			a = b = 0xdead;
			int ra = ia_parse_u64(edge[e], strlen(edge[e]), bases[k], &a);
			int rb = ref_parse_u64(edge[e], strlen(edge[e]), bases[k], &b);
			if (ra != rb || a != b)
				fail_msg("\"%s\" base %d: %d/%llu, strtoull %d/%llu", edge[e], bases[k], ra,
					 (unsigned long long)a, rb, (unsigned long long)b);
		}
	for (int t = 0; t < 200000; t++) {
		char s[32];
		size_t len = (size_t)(rand_r(&seed) % 24);
		bool hexy = rand_r(&seed) % 2;
		for (size_t i = 0; i < len; i++)
			s[i] = hexy && i < 22 && rand_r(&seed) % 4 ? "0123456789abcdef"[rand_r(&seed) % 16]
								  : alpha[rand_r(&seed) % (sizeof(alpha) - 1)];
		if (len > 2 && rand_r(&seed) % 3 == 0)
			s[0] = '0', s[1] = 'x';
		for (size_t k = 0; k < 2; k++) {
			a = b = 0xdead;
			int ra = ia_parse_u64(s, len, bases[k], &a);
			int rb = ref_parse_u64(s, len, bases[k], &b);
			if (ra != rb || a != b)
				fail_msg("random text %d (len %zu) base %d: %d/%llu, strtoull %d/%llu", t, len, bases[k],
					 ra, (unsigned long long)a, rb, (unsigned long long)b);
		}
	}
}

static void test_parse_bool(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		int rc;
		bool v;
	} cases[] = {
		{ T("Y\n"), 0, true }, { T("N\n"), 0, false }, { T("Y"), 0, true }, { T("y"), 0, true },
		{ T("n"), 0, false }, { T("1\n"), 0, true }, { T("0"), 0, false },
		{ T(""), -IA_E_FORMAT, false }, { T("\n"), -IA_E_FORMAT, false },
		{ T("YES"), -IA_E_FORMAT, false }, { T("2"), -IA_E_FORMAT, false },
		{ T(" Y"), -IA_E_FORMAT, false }, { T("Y\n\n"), -IA_E_FORMAT, false },
		{ T("on"), -IA_E_FORMAT, false },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool v = !cases[i].v;
		int rc = ia_parse_bool(cases[i].s, cases[i].len, &v);

		if (rc != cases[i].rc || (rc == 0 && v != cases[i].v))
			fail_msg("case %zu \"%.*s\": rc %d value %d", i, (int)cases[i].len, cases[i].s, rc, v);
	}
}

/* ---------------------------------------------------------------------------------------------
 * Pairs: amd-iommu "features" EFR:EFR2 (6.x) or EFR alone, intel-iommu "version" %d:%d
 * ------------------------------------------------------------------------------------------- */

static void test_parse_pair(void **state)
{
	static const struct {
		const char *name;
		const char *s;
		size_t len;
		char sep;
		int base;
		bool optional;
		int rc;
		uint64_t a, b;
		bool has_b;
	} cases[] = {
		{ "efr-efr2", T("25bf732fa2295afe:53\n"), ':', 16, true, 0, 0x25bf732fa2295afeull, 0x53, true },
		{ "efr-only", T("58f77ef22294a5a\n"), ':', 16, true, 0, 0x58f77ef22294a5aull, 0, false },
		{ "efr-efr2-zero", T("0:0"), ':', 16, true, 0, 0, 0, true },
		{ "vtd-version", T("1:0\n"), ':', 10, false, 0, 1, 0, true },
		{ "vtd-version-missing", T("1\n"), ':', 10, false, -IA_E_FORMAT, 0, 0, false },
		{ "empty-first", T(":53"), ':', 16, true, -IA_E_FORMAT, 0, 0, false },
		{ "empty-second", T("25bf:"), ':', 16, true, -IA_E_FORMAT, 0, 0, false },
		{ "two-seps", T("1:2:3"), ':', 16, true, -IA_E_FORMAT, 0, 0, false },
		{ "space-after-sep", T("1: 2"), ':', 16, true, -IA_E_FORMAT, 0, 0, false },
		{ "newline-before-sep", T("1\n:2"), ':', 16, true, -IA_E_FORMAT, 0, 0, false },
		{ "two-newlines", T("1:2\n\n"), ':', 16, true, -IA_E_FORMAT, 0, 0, false },
		{ "overflow-second", T("1:10000000000000000"), ':', 16, true, -IA_E_RANGE, 0, 0, false },
		{ "overflow-only", T("10000000000000000\n"), ':', 16, true, -IA_E_RANGE, 0, 0, false },
		{ "junk-only", T("zz"), ':', 16, true, -IA_E_FORMAT, 0, 0, false },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t a = 77, b = 77;
		bool has = !cases[i].has_b;
		int rc = ia_parse_pair_u64(cases[i].s, cases[i].len, cases[i].sep, cases[i].base,
					   cases[i].optional, &a, &b, &has);

		if (rc != cases[i].rc)
			fail_msg("case %s: rc %d, want %d", cases[i].name, rc, cases[i].rc);
		if (rc == 0 && (a != cases[i].a || has != cases[i].has_b ||
				(cases[i].has_b && b != cases[i].b)))
			fail_msg("case %s: %#llx:%#llx has_second %d", cases[i].name,
				 (unsigned long long)a, (unsigned long long)b, has);
		if (rc != 0 && (a != 77 || b != 77))
			fail_msg("case %s: outputs touched on failure", cases[i].name);
	}
	/* @second and @has_second may be NULL. */
	uint64_t a = 0;
	assert_int_equal(ia_parse_pair_u64(T("3:4"), ':', 10, false, &a, NULL, NULL), 0);
	assert_int_equal(a, 3);
}

/* ---------------------------------------------------------------------------------------------
 * resource (pci-sysfs.c resource_show: "0x%016llx 0x%016llx 0x%016llx\n" per resource)
 * ------------------------------------------------------------------------------------------- */

/* @n lines: line 0 is a 64-bit prefetchable BAR, line 2 an I/O BAR, the rest unset. */
static char *resource_text(size_t n)
{
	char *s = malloc(n * 58 + 1), *p = s;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		unsigned long long st = 0, en = 0, fl = 0;
		if (i == 0) {
			st = 0x6000000000ull;
			en = 0x60000fffffull;
			fl = 0x14220c;
		} else if (i == 2) {
			st = 0xe000;
			en = 0xe01f;
			fl = 0x40101;
		}
		p += sprintf(p, "0x%016llx 0x%016llx 0x%016llx\n", st, en, fl);
	}
	return s;
}

static void test_parse_resource_ok(void **state)
{
	static const size_t lines[] = { 13, 17 }; /* an endpoint with IOV BARs; a bridge */
	(void)state;

	for (size_t k = 0; k < 2; k++) {
		struct ia_pci_resource r[IA_PCI_MAX_RESOURCES];
		struct ia_diags d = {0};
		size_t n = 99;
		char *s = resource_text(lines[k]);

		assert_int_equal(ia_parse_resource(s, strlen(s), r, &n, &d), 0);
		assert_int_equal(n, lines[k]);
		assert_int_equal(d.n, 0);
		assert_int_equal(r[0].start, 0x6000000000ull);
		assert_int_equal(r[0].end, 0x60000fffffull);
		assert_int_equal(r[0].flags, 0x14220c);
		assert_true(r[0].flags & IA_IORESOURCE_MEM);
		assert_true(r[0].flags & IA_IORESOURCE_PREFETCH);
		assert_true(r[0].flags & IA_IORESOURCE_MEM_64);
		assert_int_equal(r[2].start, 0xe000);
		assert_int_equal(r[2].end, 0xe01f);
		assert_true(r[2].flags & IA_IORESOURCE_IO);
		assert_int_equal(r[lines[k] - 1].flags, 0);
		/* the same values in another layout (short hex, tabs, no "0x") take the general parser
		 * and give the same result as the kernel's fixed layout */
		struct ia_pci_resource r2[IA_PCI_MAX_RESOURCES];
		size_t n2 = 0;
		char *t = malloc(lines[k] * 64 + 1), *o = t;
		assert_non_null(t);
		for (size_t i = 0; i < n; i++)
			o += sprintf(o, "%llx\t 0x%llX  %#llx\n", (unsigned long long)r[i].start,
				     (unsigned long long)r[i].end, (unsigned long long)r[i].flags);
		assert_int_equal(ia_parse_resource(t, strlen(t), r2, &n2, &d), 0);
		assert_int_equal(n2, n);
		assert_memory_equal(r, r2, n * sizeof(*r));
		free(t);
		free(s);
		ia_diags_free(&d);
	}
}

/* The kernel's fixed layout, decoded eight digits at a time: every value with digits of both
 * cases equals strtoull()'s, and every byte next to a digit range (/ : @ G ` g), a byte >= 0x80 or
 * NUL in every digit position makes the line fail, as the general parser fails it. */
static void test_parse_resource_hex_swar(void **state)
{
	static const unsigned char bad[] = { '/', ':', '@', 'G', '`', 'g', 0x80, 0xc3, 0xff, 0 };
	char line[64];
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	(void)state;

	for (int k = 0; k < 2000; k++) {
		uint64_t v[3];
		for (int i = 0; i < 3; i++) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			v[i] = k < 16 ? (k & 1 ? ~0ull : 0) ^ ((uint64_t)1 << (4 * k)) : seed;
		}
		snprintf(line, sizeof(line), k & 1 ? "0x%016llx 0x%016llX 0x%016llx" : "0x%016llX 0x%016llx 0x%016llX",
			 (unsigned long long)v[0], (unsigned long long)v[1], (unsigned long long)v[2]);
		struct ia_pci_resource r;
		size_t n = 0;
		assert_int_equal(ia_parse_resource(line, strlen(line), &r, &n, NULL), 0);
		assert_int_equal(n, 1);
		assert_true(r.start == v[0] && r.end == v[1] && r.flags == v[2]);
	}
	for (size_t pos = 0; pos < 56; pos++) {
		if (pos % 19 < 2 || pos % 19 == 18)
			continue; /* "0x" and the separators */
		for (size_t b = 0; b < sizeof(bad); b++) {
			struct ia_pci_resource r;
			size_t n = 0;
			snprintf(line, sizeof(line), "0x%016llx 0x%016llx 0x%016llx", 0x123456789abcdefull,
				 0xfedcba9876543210ull, 0x14220cull);
			line[pos] = (char)bad[b];
			if (ia_parse_resource(line, 56, &r, &n, NULL) != -IA_E_FORMAT)
				fail_msg("byte 0x%02x at %zu was taken for a digit", bad[b], pos);
		}
	}
}

static void test_parse_resource_bad(void **state)
{
	static const struct {
		const char *name;
		const char *bad;        /* replaces line 3 of a 13-line file */
	} cases[] = {
		{ "two-fields", "0x0000000000000000 0x0000000000000000" },
		{ "four-fields", "0x0 0x0 0x0 0x0" },
		{ "not-hex", "0x0000000000000000 0xzz00000000000000 0x0000000000000000" },
		{ "not-hex-last", "0x0000000000000000 0x0000000000000000 0x000000000000000g" },
		{ "negative", "-0x1 0x0 0x0" },
		{ "overflow", "0x10000000000000000 0x0 0x0" },
	};
	(void)state;

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct ia_pci_resource r[IA_PCI_MAX_RESOURCES];
		struct ia_diags d = {0};
		size_t n = 99;
		char *good = resource_text(13), text[2048];
		/* the first three lines, the bad one, then the rest */
		size_t cut = 3 * 57;
		snprintf(text, sizeof(text), "%.*s%s\n%s", (int)cut, good, cases[k].bad, good + cut + 57);
		free(good);

		int rc = ia_parse_resource(text, strlen(text), r, &n, &d);
		if (rc != -IA_E_FORMAT || n != 3)
			fail_msg("case %s: rc %d n %zu", cases[k].name, rc, n);
		const struct ia_diag *g = ia_diags_find(&d, -IA_E_FORMAT);
		assert_non_null(g);
		assert_string_equal(g->where, "resource");
		assert_int_equal(g->offset, (int64_t)cut);
		assert_non_null(strstr(g->msg, "line 4"));
		/* the lines before it are kept */
		assert_int_equal(r[0].start, 0x6000000000ull);
		assert_int_equal(r[2].end, 0xe01f);
		ia_diags_free(&d);
	}

	/* 18 lines: -IA_E_RANGE, the first 17 kept. */
	struct ia_pci_resource r[IA_PCI_MAX_RESOURCES];
	struct ia_diags d = {0};
	size_t n = 0;
	char *s = resource_text(18);
	assert_int_equal(ia_parse_resource(s, strlen(s), r, &n, &d), -IA_E_RANGE);
	assert_int_equal(n, IA_PCI_MAX_RESOURCES);
	assert_non_null(ia_diags_find(&d, -IA_E_RANGE));
	assert_int_equal(ia_diags_find(&d, -IA_E_RANGE)->offset, 17 * 57);
	free(s);
	ia_diags_free(&d);

	/* An empty file has no resources and is not an error. */
	n = 5;
	assert_int_equal(ia_parse_resource("", 0, r, &n, NULL), 0);
	assert_int_equal(n, 0);
}

/* ---------------------------------------------------------------------------------------------
 * reserved_regions (iommu_group_show_resv_regions: "0x%016llx 0x%016llx %s\n")
 * ------------------------------------------------------------------------------------------- */

static void test_parse_reserved_regions_ok(void **state)
{
	static const char text[] =
		"0x0000000000000000 0x0000000000ffffff direct-relaxable\n"
		"0x000000003c000000 0x000000003fffffff direct\n"
		"0x00000000fee00000 0x00000000feefffff msi\n"
		"0x000000fd00000000 0x000000ffffffffff reserved\n";
	struct ia_resv_region *v = NULL;
	struct ia_diags d = {0};
	size_t n = 0;
	(void)state;

	assert_int_equal(ia_parse_reserved_regions(text, sizeof(text) - 1, &v, &n, &d), 0);
	assert_int_equal(n, 4);
	assert_int_equal(d.n, 0);
	assert_int_equal(v[0].type, IA_RESV_DIRECT_RELAXABLE);
	assert_int_equal(v[0].end, 0xffffff);
	assert_int_equal(v[1].type, IA_RESV_DIRECT);
	assert_int_equal(v[1].start, 0x3c000000);
	assert_int_equal(v[2].type, IA_RESV_MSI);
	assert_int_equal(v[2].start, 0xfee00000);
	assert_int_equal(v[2].end, 0xfeefffff);
	assert_int_equal(v[3].type, IA_RESV_RESERVED);
	assert_int_equal(v[3].end, 0xffffffffffull);
	assert_string_equal(ia_resv_type_name(IA_RESV_DIRECT), "direct");
	assert_string_equal(ia_resv_type_name(IA_RESV_DIRECT_RELAXABLE), "direct-relaxable");
	assert_string_equal(ia_resv_type_name(IA_RESV_RESERVED), "reserved");
	assert_string_equal(ia_resv_type_name(IA_RESV_MSI), "msi");
	assert_string_equal(ia_resv_type_name((enum ia_resv_type)9), "unknown");
	free(v);

	/* An empty file (a group with no reserved regions). */
	v = (struct ia_resv_region *)&d;
	n = 3;
	assert_int_equal(ia_parse_reserved_regions("", 0, &v, &n, &d), 0);
	assert_null(v);
	assert_int_equal(n, 0);
	/* A single region equal at both ends, no trailing newline. */
	assert_int_equal(ia_parse_reserved_regions(T("0x10 0x10 msi"), &v, &n, &d), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].start, 0x10);
	free(v);
	ia_diags_free(&d);
}

static void test_parse_reserved_regions_bad(void **state)
{
	static const struct {
		const char *name;
		const char *line2;
		int rc;
	} cases[] = {
		{ "unknown-type", "0x00000000fee00000 0x00000000feefffff sw-msi", -IA_E_FORMAT },
		{ "type-case", "0x00000000fee00000 0x00000000feefffff MSI", -IA_E_FORMAT },
		{ "end-before-start", "0x00000000feefffff 0x00000000fee00000 msi", -IA_E_RANGE },
		{ "missing-type", "0x00000000fee00000 0x00000000feefffff", -IA_E_FORMAT },
		{ "extra-field", "0x0 0x1 msi x", -IA_E_FORMAT },
		{ "bad-number", "0xfee0000g 0x00000000feefffff msi", -IA_E_FORMAT },
	};
	static const char line1[] = "0x000000003c000000 0x000000003fffffff direct\n";
	(void)state;

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char text[512];
		struct ia_resv_region *v = NULL;
		struct ia_diags d = {0};
		size_t n = 0;

		snprintf(text, sizeof(text), "%s%s\n0x0 0x1 reserved\n", line1, cases[k].line2);
		int rc = ia_parse_reserved_regions(text, strlen(text), &v, &n, &d);
		const struct ia_diag *g = ia_diags_find(&d, cases[k].rc);
		if (rc != cases[k].rc || n != 1 || !v || v[0].start != 0x3c000000 || !g ||
		    g->offset != (int64_t)(sizeof(line1) - 1) || !strstr(g->msg, "line 2"))
			fail_msg("case %s: rc %d n %zu", cases[k].name, rc, n);
		assert_string_equal(g->where, "reserved_regions");
		free(v);
		ia_diags_free(&d);
	}
}

/* ---------------------------------------------------------------------------------------------
 * The kernel command line (lib/cmdline.c next_arg(), init/main.c's "--")
 * ------------------------------------------------------------------------------------------- */

struct cmd_tok {
	const char *key, *value;        /* value NULL for a bare flag */
};

static const struct {
	const char *name;
	const char *s;
	size_t len;
	size_t n;
	struct cmd_tok t[6];
} cmd_cases[] = {
	{ "plain", T("BOOT_IMAGE=/vmlinuz-6.1.0 root=UUID=1234 ro quiet intel_iommu=on iommu=pt\n"), 6,
	  { { "BOOT_IMAGE", "/vmlinuz-6.1.0" }, { "root", "UUID=1234" }, { "ro", NULL },
	    { "quiet", NULL }, { "intel_iommu", "on" }, { "iommu", "pt" } } },
	{ "key-value-equals", T("a=b=c x==y"), 2, { { "a", "b=c" }, { "x", "=y" } } },
	{ "quoted-value", T("dyndbg=\"file vfio.c +p\" ro"), 2,
	  { { "dyndbg", "file vfio.c +p" }, { "ro", NULL } } },
	{ "quoted-token", T("\"acpi_osi=Windows 2020\" nomodeset"), 2,
	  { { "acpi_osi", "Windows 2020" }, { "nomodeset", NULL } } },
	{ "quoted-flag", T("\"flag with space\" x"), 2, { { "flag with space", NULL }, { "x", NULL } } },
	/* next_arg() keeps quotes that neither open the token or value nor close them */
	{ "inner-quotes", T("a\"b c\"d e"), 2, { { "a\"b c\"d", NULL }, { "e", NULL } } },
	{ "quote-in-key", T("\"foo\"=bar"), 1, { { "foo\"", "bar" } } },
	{ "empty-value", T("vfio-pci.ids= x"), 2, { { "vfio-pci.ids", "" }, { "x", NULL } } },
	{ "leading-equals", T("=x"), 1, { { "=x", NULL } } },
	{ "tabs-newlines", T("\t a=1\t\tb\n\nc=\"2\"\n"), 3, { { "a", "1" }, { "b", NULL }, { "c", "2" } } },
	{ "double-dash", T("ro -- single init=/bin/sh"), 1, { { "ro", NULL } } },
	{ "dash-with-value", T("--=x ro"), 2, { { "--", "x" }, { "ro", NULL } } },
	{ "triple-dash", T("--- ro"), 2, { { "---", NULL }, { "ro", NULL } } },
	{ "nul-ends", T("ro\0quiet"), 1, { { "ro", NULL } } },
	{ "empty", T(""), 0, { { NULL, NULL } } },
	{ "spaces-only", T("  \n"), 0, { { NULL, NULL } } },
	{ "unterminated-quote", T("a=\"b c"), 1, { { "a", "b c" } } },
};

static void test_parse_cmdline(void **state)
{
	(void)state;

	for (size_t k = 0; k < sizeof(cmd_cases) / sizeof(cmd_cases[0]); k++) {
		struct ia_cmdline_token *v = NULL;
		size_t n = 99;

		assert_int_equal(ia_parse_cmdline(cmd_cases[k].s, cmd_cases[k].len, &v, &n), 0);
		if (n != cmd_cases[k].n)
			fail_msg("case %s: %zu tokens, want %zu", cmd_cases[k].name, n, cmd_cases[k].n);
		for (size_t i = 0; i < n; i++) {
			const struct cmd_tok *w = &cmd_cases[k].t[i];
			if (strcmp(v[i].key, w->key) != 0 || (!w->value) != (!v[i].value) ||
			    (w->value && strcmp(v[i].value, w->value) != 0))
				fail_msg("case %s token %zu: \"%s\"=\"%s\", want \"%s\"=\"%s\"",
					 cmd_cases[k].name, i, v[i].key, v[i].value ? v[i].value : "(none)",
					 w->key, w->value ? w->value : "(none)");
		}
		ia_cmdline_free(v, n);
	}
	ia_cmdline_free(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_parse_u64_unterminated),
		cmocka_unit_test(test_parse_u64_matches_strtoull),
		cmocka_unit_test(test_parse_bool),
		cmocka_unit_test(test_parse_pair),
		cmocka_unit_test(test_parse_resource_ok),
		cmocka_unit_test(test_parse_resource_hex_swar),
		cmocka_unit_test(test_parse_resource_bad),
		cmocka_unit_test(test_parse_reserved_regions_ok),
		cmocka_unit_test(test_parse_reserved_regions_bad),
		cmocka_unit_test(test_parse_cmdline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
