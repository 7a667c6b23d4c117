// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of the acpidump text reader: real dumps equal the acpixtract binaries; malformed text fails exactly.
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decode/acpi.h"
#include "decode/acpidump.h"
#include "core/ia_err.h"

/* ---- every fixture with acpidump.txt and a dmar/ivrs/iort .dat ------------------------- */

struct dump_case {
	const char *name;        /* fixture folder */
	const char *sig;         /* the IOMMU table in it */
	const char *dat;         /* its acpixtract binary */
	size_t n_tables;         /* tables in acpidump.txt */
	size_t n_mcfg;           /* MCFG tables: 1 -> mcfg.dat, 2 -> mcfg1.dat + mcfg2.dat */
};

static const struct dump_case dump_cases[] = {
	{ "dmar-asus-z690-hero", "DMAR", "dmar.dat", 3, 2 },
	{ "dmar-dell-latitude-9420", "DMAR", "dmar.dat", 2, 1 },
	{ "dmar-dell-poweredge-r820", "DMAR", "dmar.dat", 2, 1 },
	{ "dmar-dell-precision-t7500", "DMAR", "dmar.dat", 2, 1 },
	{ "dmar-framework-13-mtl", "DMAR", "dmar.dat", 2, 1 },
	{ "dmar-fujitsu-primergy", "DMAR", "dmar.dat", 2, 1 },
	{ "dmar-gigabyte-x299-ud4-pro", "DMAR", "dmar.dat", 3, 2 },
	{ "dmar-hp-compaq-dc7800", "DMAR", "dmar.dat", 2, 1 },
	{ "dmar-hp-proliant-dl360-g7", "DMAR", "dmar.dat", 2, 1 },
	{ "dmar-ms-surface-pro", "DMAR", "dmar.dat", 2, 1 },
	{ "dmar-quanta-x10e-9n", "DMAR", "dmar.dat", 2, 1 },
	{ "dmar-supermicro-x10dai", "DMAR", "dmar.dat", 2, 1 },
	{ "dmar-supermicro-x8dtt", "DMAR", "dmar.dat", 2, 1 },
	{ "ivrs-asus-prime-b550-plus", "IVRS", "ivrs.dat", 2, 1 },
	{ "ivrs-asus-prime-x399-a", "IVRS", "ivrs.dat", 2, 1 },
	{ "ivrs-asus-strix-x570-e", "IVRS", "ivrs.dat", 2, 1 },
	{ "ivrs-asus-strix-x670e-f", "IVRS", "ivrs.dat", 2, 1 },
	{ "ivrs-asus-zenith-ii-extreme-alpha", "IVRS", "ivrs.dat", 2, 1 },
	{ "ivrs-lenovo-thinkpad-t14-gen3-amd", "IVRS", "ivrs.dat", 2, 1 },
	{ "ivrs-mechrevo-wujie14", "IVRS", "ivrs.dat", 2, 1 },
	{ "ivrs-supermicro-h8dgu", "IVRS", "ivrs.dat", 2, 1 },
};

#define N_DUMP_CASES (sizeof(dump_cases) / sizeof(dump_cases[0]))

static uint8_t *slurp_case(const char *dir, const char *file, size_t *len)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "%s/%s", dir, file);
	return ia_slurp(ia_fixture(rel), len);
}

/* The table extracted from the text equals the .dat byte for byte, and its ACPI header checks. */
static void expect_same(const struct ia_acpidump_table *t, const char *dir, const char *dat)
{
	size_t len = 0;
	uint8_t *want = slurp_case(dir, dat, &len);
	struct ia_acpi_hdr h;
	struct ia_diags d = {0};

	if (!want)
		print_error("cannot read %s/%s\n", dir, dat);
	assert_non_null(want);
	assert_non_null(t);
	assert_int_equal(t->len, len);
	assert_memory_equal(t->bytes, want, len);
	assert_int_equal(ia_acpi_hdr_decode(t->bytes, t->len, t->signature, &h, &d), (long)len);
	assert_true(h.checksum_ok);
	ia_diags_free(&d);
	free(want);
}

static void test_dump_case(void **state)
{
	const struct dump_case *c = *state;
	size_t len = 0;
	uint8_t *text = slurp_case(c->name, "acpidump.txt", &len);
	struct ia_acpidump dump;
	struct ia_diags d = {0};

	assert_non_null(text);
	assert_int_equal(ia_acpidump_parse(text, len, NULL, &dump, &d), (long)c->n_tables);
	assert_int_equal(d.n, 0);
	assert_int_equal(dump.n, c->n_tables);
	expect_same(ia_acpidump_find(&dump, c->sig, 0), c->name, c->dat);
	assert_null(ia_acpidump_find(&dump, c->sig, 1));
	if (c->n_mcfg == 1) {
		expect_same(ia_acpidump_find(&dump, "MCFG", 0), c->name, "mcfg.dat");
	} else {
		expect_same(ia_acpidump_find(&dump, "MCFG", 0), c->name, "mcfg1.dat");
		expect_same(ia_acpidump_find(&dump, "MCFG", 1), c->name, "mcfg2.dat");
	}
	assert_null(ia_acpidump_find(&dump, "MCFG", c->n_mcfg));
	size_t total = 0;

	for (size_t i = 0; i < dump.n; i++)
		total += dump.v[i].len;
	assert_int_equal(dump.total, total);
	assert_int_equal(dump.v[0].line, 1);   /* every fixture starts with its first header */
	ia_acpidump_free(&dump);
	ia_acpidump_free(&dump);               /* idempotent */
	ia_diags_free(&d);
	free(text);
}

/* No fixture with acpidump.txt and a dmar/ivrs/iort .dat goes untested. */
static void test_every_fixture_listed(void **state)
{
	DIR *dir = opendir(ia_fixture(""));
	struct dirent *e;
	size_t seen = 0;

	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		static const char *const dats[] = { "dmar.dat", "ivrs.dat", "iort.dat" };
		char rel[512];
		struct stat st;
		bool has_dump, has_dat = false;

		if (e->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "%s/acpidump.txt", e->d_name);
		has_dump = stat(ia_fixture(rel), &st) == 0;
		for (size_t k = 0; k < 3; k++) {
			snprintf(rel, sizeof(rel), "%s/%s", e->d_name, dats[k]);
			has_dat = has_dat || stat(ia_fixture(rel), &st) == 0;
		}
		if (!has_dump || !has_dat)
			continue;
		bool listed = false;

		for (size_t i = 0; i < N_DUMP_CASES; i++)
			listed = listed || strcmp(dump_cases[i].name, e->d_name) == 0;
		if (!listed)
			print_error("fixture %s has acpidump.txt and a .dat but no case\n", e->d_name);
		assert_true(listed);
		seen++;
	}
	closedir(dir);
	assert_int_equal(seen, N_DUMP_CASES);
}

/* ---- hand-built text --------------------------------------------------------------------- */

/* A valid ACPI table of @len bytes with signature @sig (checksum fixed), malloc'd. */
static uint8_t *make_table(const char *sig, size_t len, uint8_t fill)
{
	uint8_t *t = malloc(len);

	assert_non_null(t);
	for (size_t i = 0; i < len; i++)
		t[i] = (uint8_t)(fill + i);
	memcpy(t, sig, 4);
	t[4] = (uint8_t)len;
	t[5] = (uint8_t)(len >> 8);
	t[6] = (uint8_t)(len >> 16);
	t[7] = (uint8_t)(len >> 24);
	t[9] = 0;
	t[9] = (uint8_t)(0x100 - ia_acpi_checksum(t, len));
	return t;
}

struct textbuf {
	char *s;
	size_t n, cap;
};

static void tx_add(struct textbuf *b, const char *s)
{
	size_t k = strlen(s);

	if (b->n + k + 1 > b->cap) {
		b->cap = (b->n + k + 1) * 2;
		b->s = realloc(b->s, b->cap);
		assert_non_null(b->s);
	}
	memcpy(b->s + b->n, s, k + 1);
	b->n += k;
}

/* Append @t as acpidump prints it (ACPICA acpi_ut_dump_buffer_to_file layout). */
static void tx_table(struct textbuf *b, const char *sig, const uint8_t *t, size_t len,
		     const char *eol)
{
	char line[128];

	snprintf(line, sizeof(line), "%s @ 0x00000000DEADB000%s", sig, eol);
	tx_add(b, line);
	for (size_t off = 0; off < len; off += 16) {
		size_t p = (size_t)snprintf(line, sizeof(line), "    %04zX: ", off);

		for (size_t j = 0; j < 16; j++)
			p += (size_t)(off + j < len ? snprintf(line + p, sizeof(line) - p, "%02X ", t[off + j])
						   : snprintf(line + p, sizeof(line) - p, "   "));
		p += (size_t)snprintf(line + p, sizeof(line) - p, " ");
		for (size_t j = 0; j < 16 && off + j < len; j++) {
			uint8_t c = t[off + j];

			line[p++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
		}
		snprintf(line + p, sizeof(line) - p, "%s", eol);
		tx_add(b, line);
	}
	tx_add(b, eol);
}

static void test_crlf_blank_lines_ssdts_junk(void **state)
{
	uint8_t *a = make_table("SSDT", 100, 0x10);
	uint8_t *b2 = make_table("SSDT", 45, 0x40);
	uint8_t *c = make_table("FACP", 16, 0x70);
	struct textbuf b = {0};
	struct ia_acpidump dump;
	struct ia_diags d = {0};

	tx_add(&b, "hw-probe banner: not a table\r\n\r\n");
	tx_table(&b, "SSDT", a, 100, "\r\n");
	tx_add(&b, "\r\n\r\n");
	tx_table(&b, "SSDT", b2, 45, "\r\n");
	tx_table(&b, "FACP", c, 16, "\r\n");
	tx_add(&b, "trailing junk 0000: 44 4D\r\nmore junk\r\n    0000: 12 34\r\n");
	assert_int_equal(ia_acpidump_parse((const uint8_t *)b.s, b.n, NULL, &dump, &d), 3);
	assert_int_equal(d.n, 0);
	assert_string_equal(dump.v[0].signature, "SSDT");
	assert_int_equal(dump.v[0].address, 0xDEADB000u);
	assert_int_equal(dump.v[0].line, 3);
	assert_int_equal(dump.v[0].len, 100);
	assert_memory_equal(dump.v[0].bytes, a, 100);
	assert_ptr_equal(ia_acpidump_find(&dump, "SSDT", 1), &dump.v[1]);
	assert_int_equal(dump.v[1].len, 45);
	assert_memory_equal(dump.v[1].bytes, b2, 45);
	assert_int_equal(dump.v[2].len, 16);
	assert_memory_equal(dump.v[2].bytes, c, 16);
	assert_int_equal(dump.total, 161);
	assert_null(ia_acpidump_find(&dump, "SSDT", 2));
	assert_null(ia_acpidump_find(&dump, "DSDT", 0));
	ia_acpidump_free(&dump);

	/* A blank line inside a table (the next line continues its offsets) is tolerated. */
	free(b.s);
	memset(&b, 0, sizeof(b));
	tx_table(&b, "SSDT", a, 100, "\n");
	char *cut = strstr(b.s, "    0030:");
	assert_non_null(cut);
	memmove(cut + 1, cut, strlen(cut) + 1);
	*cut = '\n';
	b.n++;
	assert_int_equal(ia_acpidump_parse((const uint8_t *)b.s, b.n, NULL, &dump, &d), 1);
	assert_int_equal(d.n, 0);
	assert_int_equal(dump.v[0].len, 100);
	assert_memory_equal(dump.v[0].bytes, a, 100);
	ia_acpidump_free(&dump);

	/* No newline at the very end, no blank line after the last table. */
	b.n = strlen(b.s) - 2;
	assert_int_equal(ia_acpidump_parse((const uint8_t *)b.s, b.n, NULL, &dump, &d), 1);
	ia_acpidump_free(&dump);
	ia_diags_free(&d);
	free(b.s);
	free(a);
	free(b2);
	free(c);
}

/* Three tables, the middle one damaged by @damage; the first and last must survive. */
static void run_damaged(void (*damage)(struct textbuf *b), int code, const char *msg)
{
	uint8_t *a = make_table("APIC", 40, 0x01);
	uint8_t *m = make_table("DMAR", 80, 0x21);
	uint8_t *z = make_table("MCFG", 60, 0x41);
	struct textbuf b = {0};
	struct ia_acpidump dump;
	struct ia_diags d = {0};

	tx_table(&b, "APIC", a, 40, "\n");    /* lines 1-4 */
	tx_table(&b, "DMAR", m, 80, "\n");    /* header on line 6, hex lines 7-11 */
	damage(&b);
	b.n = strlen(b.s);
	tx_table(&b, "MCFG", z, 60, "\n");
	assert_int_equal(ia_acpidump_parse((const uint8_t *)b.s, b.n, NULL, &dump, &d), 2);
	assert_string_equal(dump.v[0].signature, "APIC");
	assert_memory_equal(dump.v[0].bytes, a, 40);
	assert_string_equal(dump.v[1].signature, "MCFG");
	assert_memory_equal(dump.v[1].bytes, z, 60);
	assert_null(ia_acpidump_find(&dump, "DMAR", 0));
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].code, code);
	assert_string_equal(d.v[0].where, "DMAR");
	if (strcmp(d.v[0].msg, msg) != 0)
		print_error("message: %s\n", d.v[0].msg);
	assert_string_equal(d.v[0].msg, msg);
	ia_acpidump_free(&dump);
	ia_diags_free(&d);
	free(b.s);
	free(a);
	free(m);
	free(z);
}

static char *dmar_line(struct textbuf *b, const char *prefix)
{
	char *p = strstr(strstr(b->s, "DMAR @"), prefix);

	assert_non_null(p);
	return p;
}

static void dmg_bad_digit(struct textbuf *b)
{
	dmar_line(b, "0020: ")[12] = 'G';       /* third byte of line 9 */
}

static void dmg_joined_bytes(struct textbuf *b)
{
	dmar_line(b, "0010: ")[8] = '7';        /* "XX XX" -> "XX7XX": line 8 */
}

static void dmg_offset_gap(struct textbuf *b)
{
	dmar_line(b, "0030: ")[2] = '4';        /* 0030 -> 0040 on line 10 */
}

static void dmg_no_colon(struct textbuf *b)
{
	dmar_line(b, "0000: ")[4] = ';';        /* line 7 */
}

static void dmg_missing_line(struct textbuf *b)
{
	char *l = dmar_line(b, "    0040: ");   /* drop the last hex line (80 bytes -> 64) */
	char *e = strchr(l, '\n');

	memmove(l, e + 1, strlen(e + 1) + 1);
}

static void dmg_length_field(struct textbuf *b)
{
	char *l = dmar_line(b, "0000: ");       /* length byte 0x50 -> 0x40: 16 bytes too many */

	assert_int_equal(l[18], '5');
	l[18] = '4';
}

static void dmg_signature(struct textbuf *b)
{
	dmar_line(b, "0000: ")[6] = '5';        /* 'D' (0x44) -> 'T' (0x54) */
}

static void dmg_no_hex(struct textbuf *b)
{
	char *l = strstr(b->s, "DMAR @");
	char *e = strchr(l, '\n');

	l = e + 1;                              /* remove every hex line, keep the header */
	e = strstr(l, "\n\n");
	memmove(l, e + 1, strlen(e + 1) + 1);
}

static void test_malformed_bad_digit(void **state)
{
	run_damaged(dmg_bad_digit, -IA_E_FORMAT,
		    "line 9: junk where a hex byte or the padding should be; DMAR dropped");
}

static void test_malformed_joined_bytes(void **state)
{
	run_damaged(dmg_joined_bytes, -IA_E_FORMAT,
		    "line 8: a hex byte is not two digits followed by a space; DMAR dropped");
}

static void test_malformed_offset_gap(void **state)
{
	run_damaged(dmg_offset_gap, -IA_E_FORMAT, "line 10: offset 0x40, expected 0x30; DMAR dropped");
}

static void test_malformed_no_colon(void **state)
{
	run_damaged(dmg_no_colon, -IA_E_FORMAT, "line 7: offset not followed by ':'; DMAR dropped");
}

static void test_malformed_truncated_table(void **state)
{
	run_damaged(dmg_missing_line, -IA_E_TRUNCATED, "line 6: DMAR length field 80 but 64 bytes dumped");
}

static void test_malformed_length_field(void **state)
{
	run_damaged(dmg_length_field, -IA_E_BADLEN, "line 6: DMAR length field 64 but 80 bytes dumped");
}

static void test_malformed_signature(void **state)
{
	run_damaged(dmg_signature, -IA_E_SIGNATURE,
		    "line 6: table bytes start \"TMAR\", header says DMAR");
}

static void test_malformed_header_only(void **state)
{
	run_damaged(dmg_no_hex, -IA_E_FORMAT, "line 6: DMAR header without hex lines");
}

static void test_limits(void **state)
{
	uint8_t *a = make_table("SSDT", 48, 0x10);
	uint8_t *big = make_table("DSDT", 200, 0x20);
	uint8_t *c = make_table("SSDT", 64, 0x30);
	struct textbuf b = {0};
	struct ia_acpidump dump;
	struct ia_diags d = {0};
	struct ia_acpidump_limits lim = { .max_table = 128, .max_total = 0 };

	tx_table(&b, "SSDT", a, 48, "\n");
	tx_table(&b, "DSDT", big, 200, "\n");
	tx_table(&b, "SSDT", c, 64, "\n");
	/* per table: the 200-byte DSDT is dropped, both SSDTs kept */
	assert_int_equal(ia_acpidump_parse((const uint8_t *)b.s, b.n, &lim, &dump, &d), 2);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].code, -IA_E_TOOBIG);
	assert_string_equal(d.v[0].msg, "line 15: DSDT grows past the 128-byte table limit; dropped");
	assert_int_equal(dump.v[1].len, 64);
	ia_acpidump_free(&dump);
	ia_diags_free(&d);
	/* in total: 48 + 200 passes 200, so parsing stops at the DSDT */
	lim.max_table = 0;
	lim.max_total = 200;
	assert_int_equal(ia_acpidump_parse((const uint8_t *)b.s, b.n, &lim, &dump, &d), 1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].code, -IA_E_TOOBIG);
	assert_string_equal(d.v[0].msg,
			    "line 6: DSDT would pass the 200-byte limit for all tables; stopping");
	assert_int_equal(dump.total, 48);
	ia_acpidump_free(&dump);
	ia_diags_free(&d);
	/* defaults: everything */
	assert_int_equal(ia_acpidump_parse((const uint8_t *)b.s, b.n, NULL, &dump, &d), 3);
	assert_int_equal(d.n, 0);
	ia_acpidump_free(&dump);
	free(b.s);
	free(a);
	free(big);
	free(c);
}

static void test_degenerate_inputs(void **state)
{
	struct ia_acpidump dump;
	struct ia_diags d = {0};
	const char *rsdp = "RSDP @ 0x00000000000F05B0\n"
			   "    0000: 52 53 44 20 50 54 52 20 4E 4C 45 4E 4F 56 4F 02  RSD PTR NLENOVO.\n"
			   "    0010: 00 00 00 00\n";

	assert_int_equal(ia_acpidump_parse(NULL, 5, NULL, &dump, &d), -EINVAL);
	assert_int_equal(ia_acpidump_parse((const uint8_t *)"x", 1, NULL, NULL, &d), -EINVAL);
	assert_int_equal(ia_acpidump_parse(NULL, 0, NULL, &dump, &d), 0);
	assert_int_equal(ia_acpidump_parse((const uint8_t *)"\n\r\n  \n", 6, NULL, &dump, &d), 0);
	assert_int_equal(ia_acpidump_parse((const uint8_t *)"no tables here\n", 15, NULL, &dump, &d), 0);
	/* "SIGN @" with a bad address is not a header; the hex after it belongs to nothing */
	const char *nohdr = "DMAR @ 0xZZ\n    0000: 44 4D 41 52\n";
	assert_int_equal(ia_acpidump_parse((const uint8_t *)nohdr, strlen(nohdr), NULL, &dump, &d), 0);
	assert_int_equal(d.n, 0);
	/* RSDP is exempt from the signature and length checks (its length is not at offset 4) */
	assert_int_equal(ia_acpidump_parse((const uint8_t *)rsdp, strlen(rsdp), NULL, &dump, &d), 1);
	assert_int_equal(dump.v[0].len, 20);
	assert_int_equal(dump.v[0].address, 0xF05B0u);
	assert_int_equal(d.n, 0);
	ia_acpidump_free(&dump);
	ia_acpidump_free(NULL);
	assert_null(ia_acpidump_find(NULL, "DMAR", 0));
	ia_diags_free(&d);
}

/* Random damage to a real dump: never a crash, never more tables than the dump has. */
static void test_corruption_sweep(void **state)
{
	size_t len = 0;
	uint8_t *text = slurp_case("dmar-asus-z690-hero", "acpidump.txt", &len);
	uint8_t *copy;
	unsigned seed = 4242;

	assert_non_null(text);
	copy = malloc(len);
	assert_non_null(copy);
	for (int iter = 0; iter < 3000; iter++) {
		struct ia_acpidump dump;
		struct ia_diags d = {0};

		memcpy(copy, text, len);
		for (int k = 0; k < 1 + iter % 3; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % len] = (uint8_t)(seed >> 16);
		}
		long n = ia_acpidump_parse(copy, len, NULL, &dump, &d);

		assert_true(n >= 0 && n <= 3);
		for (long i = 0; i < n; i++)
			assert_true(dump.v[i].len > 0);
		ia_acpidump_free(&dump);
		ia_diags_free(&d);
	}
	free(copy);
	free(text);
}

int main(void)
{
	struct CMUnitTest tests[N_DUMP_CASES + 16];
	size_t n = 0;

	for (size_t i = 0; i < N_DUMP_CASES; i++) {
		memset(&tests[n], 0, sizeof(tests[n]));
		tests[n].name = dump_cases[i].name;
		tests[n].test_func = test_dump_case;
		tests[n].initial_state = (void *)&dump_cases[i];
		n++;
	}
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_every_fixture_listed),
		cmocka_unit_test(test_crlf_blank_lines_ssdts_junk),
		cmocka_unit_test(test_malformed_bad_digit),
		cmocka_unit_test(test_malformed_joined_bytes),
		cmocka_unit_test(test_malformed_offset_gap),
		cmocka_unit_test(test_malformed_no_colon),
		cmocka_unit_test(test_malformed_truncated_table),
		cmocka_unit_test(test_malformed_length_field),
		cmocka_unit_test(test_malformed_signature),
		cmocka_unit_test(test_malformed_header_only),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_degenerate_inputs),
		cmocka_unit_test(test_corruption_sweep),
	};
	if (n + sizeof(fixed) / sizeof(fixed[0]) > sizeof(tests) / sizeof(tests[0])) {
		fprintf(stderr, "test table too small\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		tests[n++] = fixed[i];
	return _cmocka_run_group_tests("test_acpidump", tests, n, NULL, NULL);
}
