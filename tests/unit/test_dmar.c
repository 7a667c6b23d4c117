// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of the DMAR decoder and scope resolver: every real DMAR fixture against its iasl disassembly, pinned HP/Framework/Dell facts, every malformed class.
#include "testutil.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dmar.h"
#include "core/ia_err.h"

/* ---------------------------------------------------------------------------------------- */
/* A small reader for the iasl .dsl lines this test needs: "[XXXh DDDD LLLh]  Name : Value". */

#define DSL_MAX_STRUCTS 32
#define DSL_MAX_SCOPES 32
#define DSL_MAX_PATH 8

struct dsl_scope {
	unsigned off, type, len, flags, enum_id, bus, n_path;
	unsigned path[DSL_MAX_PATH][2];
};

struct dsl_struct {
	unsigned off, type, len;
	int has_flags, has_seg, has_base, has_limit, has_prox, has_devnum, has_size;
	unsigned flags, seg, prox, devnum, size;
	uint64_t base, limit;
	char name[128];
	size_t n_scopes;
	struct dsl_scope scopes[DSL_MAX_SCOPES];
};

struct dsl_table {
	unsigned length, revision, haw, flags;
	size_t n_structs;
	struct dsl_struct s[DSL_MAX_STRUCTS];
};

static uint64_t dsl_hex(const char *v)
{
	return strtoull(v, NULL, 16);
}

/* Parse the .dsl text into @t; fails the test on anything it cannot hold. */
static void dsl_parse(char *text, struct dsl_table *t)
{
	struct dsl_struct *cs = NULL;
	struct dsl_scope *sc = NULL;

	memset(t, 0, sizeof(*t));
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned off;
		char *name, *colon, *val, *end;

		while (*line == ' ')
			line++;
		if (line[0] != '[' || sscanf(line, "[%*xh %u", &off) != 1)
			continue;
		name = strchr(line, ']');
		colon = strstr(line, " : ");
		if (!name || !colon)
			continue;
		name++;
		while (*name == ' ')
			name++;
		end = colon;
		*end = '\0';
		val = colon + 3;

		if (!strcmp(name, "Table Length"))
			t->length = (unsigned)dsl_hex(val);
		else if (!strcmp(name, "Revision"))
			t->revision = (unsigned)dsl_hex(val);
		else if (!strcmp(name, "Host Address Width"))
			t->haw = (unsigned)dsl_hex(val);
		else if (!strcmp(name, "Subtable Type")) {
			assert_true(t->n_structs < DSL_MAX_STRUCTS);
			cs = &t->s[t->n_structs++];
			sc = NULL;
			cs->off = off;
			cs->type = (unsigned)dsl_hex(val);
		} else if (!strcmp(name, "Flags")) {
			if (sc)
				sc->flags = (unsigned)dsl_hex(val);
			else if (cs) {
				cs->has_flags = 1;
				cs->flags = (unsigned)dsl_hex(val);
			} else
				t->flags = (unsigned)dsl_hex(val);
		} else if (!strcmp(name, "Length")) {
			assert_non_null(cs);
			cs->len = (unsigned)dsl_hex(val);
		} else if (!strcmp(name, "Size (decoded below)")) {
			cs->has_size = 1;
			cs->size = (unsigned)dsl_hex(val);
		} else if (!strcmp(name, "PCI Segment Number")) {
			cs->has_seg = 1;
			cs->seg = (unsigned)dsl_hex(val);
		} else if (!strcmp(name, "Register Base Address") || !strcmp(name, "Base Address")) {
			cs->has_base = 1;
			cs->base = dsl_hex(val);
		} else if (!strcmp(name, "End Address (limit)")) {
			cs->has_limit = 1;
			cs->limit = dsl_hex(val);
		} else if (!strcmp(name, "Proximity Domain")) {
			cs->has_prox = 1;
			cs->prox = (unsigned)dsl_hex(val);
		} else if (!strcmp(name, "Device Number")) {
			cs->has_devnum = 1;
			cs->devnum = (unsigned)dsl_hex(val);
		} else if (!strcmp(name, "Device Name")) {
			char *q = strchr(val, '"'), *q2 = q ? strrchr(q + 1, '"') : NULL;

			assert_non_null(q2);
			snprintf(cs->name, sizeof(cs->name), "%.*s", (int)(q2 - q - 1), q + 1);
		} else if (!strcmp(name, "Device Scope Type")) {
			assert_non_null(cs);
			assert_true(cs->n_scopes < DSL_MAX_SCOPES);
			sc = &cs->scopes[cs->n_scopes++];
			sc->off = off;
			sc->type = (unsigned)dsl_hex(val);
		} else if (!strcmp(name, "Entry Length")) {
			sc->len = (unsigned)dsl_hex(val);
		} else if (!strcmp(name, "Enumeration ID")) {
			sc->enum_id = (unsigned)dsl_hex(val);
		} else if (!strcmp(name, "PCI Bus Number")) {
			sc->bus = (unsigned)dsl_hex(val);
		} else if (!strcmp(name, "PCI Path")) {
			unsigned dv, fn;

			assert_non_null(sc);
			assert_int_equal(sscanf(val, "%x,%x", &dv, &fn), 2);
			assert_true(sc->n_path < DSL_MAX_PATH);
			sc->path[sc->n_path][0] = dv;
			sc->path[sc->n_path][1] = fn;
			sc->n_path++;
		}
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Helpers shared by the cases. */

struct loaded {
	uint8_t *buf;
	size_t len;
	struct ia_dmar d;
	struct ia_diags diags;
	int rc;
};

static void load_case(const char *name, struct loaded *L)
{
	char rel[256];

	memset(L, 0, sizeof(*L));
	snprintf(rel, sizeof(rel), "%s/dmar.dat", name);
	L->buf = ia_slurp(ia_fixture(rel), &L->len);
	if (!L->buf)
		fail_msg("cannot read %s", ia_fixture(rel));
	L->rc = ia_dmar_decode(L->buf, L->len, &L->d, &L->diags);
}

static void unload(struct loaded *L)
{
	ia_dmar_free(&L->d);
	ia_diags_free(&L->diags);
	free(L->buf);
}

/* "ep:00:1c.4/00.0", "bridge:40:01.0", "ioapic:40:05.4#id2", "hpet:00:1f.0#id0", "acpi:00:15.0#id1" */
static const char *scope_str(const struct ia_dmar_scope *sc, char *b, size_t n)
{
	static const char *const names[] = { "?", "ep", "bridge", "ioapic", "hpet", "acpi" };
	size_t o;

	o = (size_t)snprintf(b, n, "%s:%02x:", sc->type < 6 ? names[sc->type] : "?", sc->start_bus);
	for (unsigned i = 0; i < sc->n_path && o < n; i++)
		o += (size_t)snprintf(b + o, n - o, "%s%02x.%x", i ? "/" : "", sc->path[i].device,
				      sc->path[i].function);
	if ((sc->type == IA_DMAR_SCOPE_IOAPIC || sc->type == IA_DMAR_SCOPE_HPET ||
	     sc->type == IA_DMAR_SCOPE_NAMESPACE) && o < n)
		snprintf(b + o, n - o, "#id%u", sc->enumeration_id);
	return b;
}

static void assert_scopes(const struct ia_dmar_struct *s, const char *const *want, size_t n)
{
	char b[128];

	assert_int_equal(s->n_scopes, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(scope_str(&s->scopes[i], b, sizeof(b)), want[i]);
}

/* The @k-th structure of @type (0-based), or NULL. */
static const struct ia_dmar_struct *nth(const struct ia_dmar *d, unsigned type, size_t k)
{
	for (size_t i = 0; i < d->n_structs; i++)
		if (d->structs[i].type == type && k-- == 0)
			return &d->structs[i];
	return NULL;
}

static size_t count_type(const struct ia_dmar *d, unsigned type)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_structs; i++)
		n += d->structs[i].type == type;
	return n;
}

/* ---------------------------------------------------------------------------------------- */
/* Every DMAR fixture: decode dmar.dat, compare with dmar.dsl field by field. */

struct dmar_case {
	const char *name;
	size_t n_structs;  /* structures in the table (counted from the .dsl by hand) */
	size_t n_scopes;   /* device scopes in the whole table */
	unsigned haw;      /* Host Address Width field */
	unsigned flags;    /* DMAR flags byte */
};

static const struct dmar_case dmar_cases[] = {
	{ "dmar-asus-z690-hero",              1,   2, 0x26, 0x05 },
	{ "dmar-dell-latitude-9420",          6,   7, 0x26, 0x05 },
	{ "dmar-dell-poweredge-r820",         8,  26, 0x2d, 0x03 },
	{ "dmar-dell-precision-t7500",        5,  19, 0x27, 0x01 },
	{ "dmar-framework-13-mtl",            4,   7, 0x29, 0x05 },
	{ "dmar-fujitsu-primergy",            2,  11, 0x23, 0x01 },
	{ "dmar-gigabyte-x299-ud4-pro",       6,   9, 0x2d, 0x03 },
	{ "dmar-hp-compaq-dc7800",           12,  13, 0x23, 0x00 },
	{ "dmar-hp-proliant-dl360-g7",        5,  24, 0x26, 0x02 },
	{ "dmar-hpe-proliant-dl380e-gen8",   13, 107, 0x2d, 0x03 },
	{ "dmar-ms-surface-pro",              9,  10, 0x26, 0x01 },
	{ "dmar-quanta-x10e-9n",              2,   3, 0x26, 0x01 },
	{ "dmar-supermicro-x10dai",           7,  22, 0x2d, 0x01 },
	{ "dmar-supermicro-x8dtt",            4,  21, 0x27, 0x01 },
};

static void check_scope_vs_dsl(const struct ia_dmar_scope *sc, const struct dsl_scope *w)
{
	assert_int_equal(sc->offset, w->off);
	assert_int_equal(sc->type, w->type);
	assert_int_equal(sc->length, w->len);
	assert_int_equal(sc->flags, w->flags);
	assert_int_equal(sc->enumeration_id, w->enum_id);
	assert_int_equal(sc->start_bus, w->bus);
	assert_int_equal(sc->n_path, w->n_path);
	for (unsigned k = 0; k < w->n_path; k++) {
		assert_int_equal(sc->path[k].device, w->path[k][0]);
		assert_int_equal(sc->path[k].function, w->path[k][1]);
	}
}

static void check_struct_vs_dsl(const struct ia_dmar_struct *s, const struct dsl_struct *w)
{
	assert_int_equal(s->offset, w->off);
	assert_int_equal(s->type, w->type);
	assert_int_equal(s->length, w->len);
	assert_int_equal(s->has_segment, w->has_seg);
	if (w->has_seg)
		assert_int_equal(s->segment, w->seg);
	switch (s->type) {
	case IA_DMAR_DRHD:
		assert_true(w->has_flags && w->has_base && w->has_size);
		assert_int_equal(s->u.drhd.flags, w->flags);
		assert_int_equal(s->u.drhd.size, w->size);
		assert_int_equal(s->u.drhd.register_base, w->base);
		break;
	case IA_DMAR_RMRR:
		assert_true(w->has_base && w->has_limit);
		assert_int_equal(s->u.rmrr.base, w->base);
		assert_int_equal(s->u.rmrr.limit, w->limit);
		break;
	case IA_DMAR_ATSR:
		assert_true(w->has_flags);
		assert_int_equal(s->u.atsr.flags, w->flags);
		break;
	case IA_DMAR_RHSA:
		assert_true(w->has_base && w->has_prox);
		assert_int_equal(s->u.rhsa.register_base, w->base);
		assert_int_equal(s->u.rhsa.proximity_domain, w->prox);
		break;
	case IA_DMAR_ANDD:
		assert_true(w->has_devnum);
		assert_int_equal(s->u.andd.device_number, w->devnum);
		assert_string_equal(s->u.andd.object_name, w->name);
		break;
	case IA_DMAR_SATC:
		assert_true(w->has_flags);
		assert_int_equal(s->u.satc.flags, w->flags);
		break;
	case IA_DMAR_SIDP:
		assert_false(w->has_flags);
		break;
	default:
		fail_msg("unexpected structure type %u at 0x%x", s->type, s->offset);
	}
	assert_int_equal(s->n_scopes, w->n_scopes);
	for (size_t j = 0; j < w->n_scopes; j++)
		check_scope_vs_dsl(&s->scopes[j], &w->scopes[j]);
}

static void test_fixture_vs_dsl(void **state)
{
	const struct dmar_case *c = *state;
	struct loaded L;
	struct dsl_table *t = calloc(1, sizeof(*t));
	char rel[256];
	size_t dlen, n_scopes = 0;
	char *dsl;

	assert_non_null(t);
	load_case(c->name, &L);
	snprintf(rel, sizeof(rel), "%s/dmar.dsl", c->name);
	dsl = (char *)ia_slurp(ia_fixture(rel), &dlen);
	assert_non_null(dsl);
	dsl_parse(dsl, t);

	/* Every real table decodes cleanly: no error, no diagnostic, nothing skipped. */
	if (L.rc != 0 || L.diags.n != 0)
		fail_msg("%s: rc %d (%s), %zu diagnostic(s), first: %s", c->name, L.rc,
			 ia_strerror(L.rc), L.diags.n, L.diags.n ? L.diags.v[0].msg : "");
	assert_true(L.d.walk_complete);
	assert_int_equal(L.d.n_skipped, 0);
	assert_true(L.d.hdr.checksum_ok);

	/* Hand-counted facts, so an empty .dsl parse cannot pass. */
	assert_int_equal(L.d.n_structs, c->n_structs);
	assert_int_equal(t->n_structs, c->n_structs);
	assert_int_equal(L.d.haw, c->haw);
	assert_int_equal(L.d.address_bits, c->haw + 1);
	assert_int_equal(L.d.flags, c->flags);
	for (size_t i = 0; i < L.d.n_structs; i++)
		n_scopes += L.d.structs[i].n_scopes;
	assert_int_equal(n_scopes, c->n_scopes);

	/* The .dsl, field by field. */
	assert_int_equal(L.d.hdr.length, t->length);
	assert_int_equal(L.d.hdr.length, L.len);
	assert_int_equal(L.d.hdr.revision, t->revision);
	assert_int_equal(L.d.haw, t->haw);
	assert_int_equal(L.d.flags, t->flags);
	assert_int_equal(L.d.intr_remap, !!(t->flags & 1));
	assert_int_equal(L.d.x2apic_opt_out, !!(t->flags & 2));
	assert_int_equal(L.d.dma_ctrl_platform_opt_in, !!(t->flags & 4));
	for (size_t i = 0; i < t->n_structs; i++)
		check_struct_vs_dsl(&L.d.structs[i], &t->s[i]);

	free(dsl);
	free(t);
	unload(&L);
}

/* ---------------------------------------------------------------------------------------- */
/* Pinned facts. */

static const char *const g7_rmrr1[] = { "ep:00:1d.7" };
static const char *const g7_rmrr2[] = { "ep:00:1d.0", "ep:00:1d.1", "ep:00:1d.2", "ep:00:1d.3",
					"ep:00:1c.4/00.0", "ep:00:1c.4/00.2", "ep:00:1c.4/00.4" };
static const char *const g7_rmrr3[] = { "ep:00:01.0/00.0", "ep:00:1c.4/00.0", "ep:00:1c.4/00.2",
					"ep:00:09.0/00.0", "ep:00:09.0/00.1", "ep:00:03.0/00.0",
					"ep:00:03.0/00.1" };

static void test_hp_dl360_g7_rmrrs(void **state)
{
	struct loaded L;
	const struct ia_dmar_struct *s;

	load_case("dmar-hp-proliant-dl360-g7", &L);
	assert_int_equal(L.rc, 0);
	assert_false(L.d.intr_remap); /* flags 0x02: no interrupt remapping advertised */
	assert_true(L.d.x2apic_opt_out);
	assert_int_equal(count_type(&L.d, IA_DMAR_RMRR), 3);

	s = nth(&L.d, IA_DMAR_RMRR, 0);
	assert_int_equal(s->offset, 0x50);
	assert_int_equal(s->u.rmrr.base, 0xdf7e6000);
	assert_int_equal(s->u.rmrr.limit, 0xdf7e7fff);
	assert_true(s->u.rmrr.range_ok);
	assert_scopes(s, g7_rmrr1, 1);
	s = nth(&L.d, IA_DMAR_RMRR, 1);
	assert_int_equal(s->offset, 0x70);
	assert_int_equal(s->u.rmrr.base, 0xdf7df000);
	assert_int_equal(s->u.rmrr.limit, 0xdf7e4fff);
	assert_scopes(s, g7_rmrr2, 7);
	assert_int_equal(s->scopes[4].offset, 0xa8); /* first two-element path */
	s = nth(&L.d, IA_DMAR_RMRR, 2);
	assert_int_equal(s->offset, 0xc6);           /* not 8-aligned: offsets come from lengths */
	assert_int_equal(s->u.rmrr.base, 0xdf61e000);
	assert_int_equal(s->u.rmrr.limit, 0xdf61ffff);
	assert_scopes(s, g7_rmrr3, 7);

	s = nth(&L.d, IA_DMAR_DRHD, 0);
	assert_int_equal(s->u.drhd.flags, IA_DMAR_DRHD_INCLUDE_PCI_ALL);
	s = nth(&L.d, IA_DMAR_ATSR, 0);
	assert_int_equal(s->n_scopes, 7);
	unload(&L);
}

static const char *const gen8_rmrr1[] = { "ep:00:1d.0", "ep:00:1a.0" };
static const char *const gen8_rmrr2[] = { "ep:00:1c.7/00.0", "ep:00:1c.7/00.2", "ep:00:1c.7/00.4" };
static const char *const gen8_shared[] = { "ep:00:01.1/00.0", "ep:00:1c.7/00.0", "ep:00:1c.7/00.2",
					   "ep:00:01.0/00.0", "ep:00:1f.2", "ep:00:1f.5",
					   "ep:00:1c.4/00.0", "ep:00:1c.4/00.1", "ep:00:1c.4/00.2",
					   "ep:00:1c.4/00.3" };

static void test_hpe_dl380e_gen8_rmrrs(void **state)
{
	static const uint64_t ranges[9][2] = {
		{ 0x7dffd000, 0x7dffffff }, { 0x7dff6000, 0x7dffcfff }, { 0x7df83000, 0x7df84fff },
		{ 0x7df7f000, 0x7df82fff }, { 0x7df6f000, 0x7df7efff }, { 0x79f6f000, 0x7df6efff },
		{ 0x75f6f000, 0x79f6efff }, { 0xf4000, 0xf4fff },       { 0xe8000, 0xe8fff },
	};
	struct loaded L;

	load_case("dmar-hpe-proliant-dl380e-gen8", &L);
	assert_int_equal(L.rc, 0);
	assert_int_equal(count_type(&L.d, IA_DMAR_DRHD), 2);
	assert_int_equal(count_type(&L.d, IA_DMAR_RMRR), 9);
	assert_int_equal(count_type(&L.d, IA_DMAR_ATSR), 2);
	for (size_t i = 0; i < 9; i++) {
		const struct ia_dmar_struct *s = nth(&L.d, IA_DMAR_RMRR, i);

		assert_int_equal(s->segment, 0);
		assert_int_equal(s->u.rmrr.base, ranges[i][0]);
		assert_int_equal(s->u.rmrr.limit, ranges[i][1]);
		assert_true(s->u.rmrr.range_ok);
		if (i == 0)
			assert_scopes(s, gen8_rmrr1, 2);
		else if (i == 1)
			assert_scopes(s, gen8_rmrr2, 3);
		else
			assert_scopes(s, gen8_shared, 10);
	}
	/* Socket 1's DRHD lists its IIO explicitly; socket 0's is INCLUDE_PCI_ALL. */
	assert_int_equal(nth(&L.d, IA_DMAR_DRHD, 0)->u.drhd.flags, 0);
	assert_int_equal(nth(&L.d, IA_DMAR_DRHD, 0)->n_scopes, 16);
	assert_int_equal(nth(&L.d, IA_DMAR_DRHD, 1)->u.drhd.flags, IA_DMAR_DRHD_INCLUDE_PCI_ALL);
	unload(&L);
}

static void test_framework13_satc_sidp(void **state)
{
	static const char *const satc[] = { "ep:00:02.0", "ep:00:0b.0" };
	struct loaded L;
	const struct ia_dmar_struct *s;

	load_case("dmar-framework-13-mtl", &L);
	assert_int_equal(L.rc, 0);
	assert_true(L.d.dma_ctrl_platform_opt_in);
	assert_true(L.d.intr_remap);
	assert_false(L.d.x2apic_opt_out);
	assert_int_equal(L.d.address_bits, 42);

	s = nth(&L.d, IA_DMAR_SATC, 0);
	assert_non_null(s);
	assert_int_equal(s->offset, 0x68);
	assert_int_equal(s->u.satc.flags, IA_DMAR_SATC_ATC_REQUIRED);
	assert_true(s->has_segment);
	assert_int_equal(s->segment, 0);
	assert_scopes(s, satc, 2);

	s = nth(&L.d, IA_DMAR_SIDP, 0);
	assert_non_null(s);
	assert_int_equal(s->offset, 0x80);
	assert_int_equal(s->length, 24);
	assert_scopes(s, satc, 2);
	assert_int_equal(s->scopes[0].flags, 0x1f); /* scope byte 2 is a Flags byte in SIDP */
	assert_int_equal(s->scopes[1].flags, 0x1c);
	assert_string_equal(ia_dmar_type_name(s->type), "SIDP");
	unload(&L);
}

static void test_dell_r820_drhds(void **state)
{
	static const uint64_t bases[4] = { 0xcf000000, 0xc8000000, 0xc4000000, 0xdf100000 };
	static const char *const d0[] = { "ioapic:40:05.4#id2", "bridge:40:01.0", "bridge:40:02.0",
					  "bridge:40:02.2", "bridge:40:03.0", "ep:40:05.0",
					  "ep:40:05.2" };
	static const char *const d3[] = { "ioapic:00:1e.1#id0", "ioapic:00:05.4#id1",
					  "hpet:00:0f.0#id0" };
	struct loaded L;

	load_case("dmar-dell-poweredge-r820", &L);
	assert_int_equal(L.rc, 0);
	assert_int_equal(count_type(&L.d, IA_DMAR_DRHD), 4);
	for (size_t i = 0; i < 4; i++) {
		const struct ia_dmar_struct *s = nth(&L.d, IA_DMAR_DRHD, i);

		assert_int_equal(s->u.drhd.register_base, bases[i]);
		assert_int_equal(s->u.drhd.flags, i == 3 ? IA_DMAR_DRHD_INCLUDE_PCI_ALL : 0);
	}
	assert_scopes(nth(&L.d, IA_DMAR_DRHD, 0), d0, 7);
	assert_scopes(nth(&L.d, IA_DMAR_DRHD, 3), d3, 3);
	assert_int_equal(count_type(&L.d, IA_DMAR_RMRR), 3);
	unload(&L);
}

static void test_surface_andd(void **state)
{
	struct loaded L;
	const struct ia_dmar_struct *s;

	load_case("dmar-ms-surface-pro", &L);
	assert_int_equal(L.rc, 0);
	assert_int_equal(count_type(&L.d, IA_DMAR_ANDD), 5);
	s = nth(&L.d, IA_DMAR_ANDD, 0);
	assert_int_equal(s->offset, 0xd0);
	assert_int_equal(s->u.andd.device_number, 1);
	assert_string_equal(s->u.andd.object_name, "\\_SB.PCI0.I2C0");
	assert_false(s->has_segment);
	s = nth(&L.d, IA_DMAR_ANDD, 4);
	assert_int_equal(s->u.andd.device_number, 9);
	assert_string_equal(s->u.andd.object_name, "\\_SB.PCI0.UA00");
	unload(&L);
}

static void test_x10dai_rhsa(void **state)
{
	struct loaded L;

	load_case("dmar-supermicro-x10dai", &L);
	assert_int_equal(L.rc, 0);
	assert_int_equal(count_type(&L.d, IA_DMAR_RHSA), 2);
	assert_int_equal(nth(&L.d, IA_DMAR_RHSA, 0)->u.rhsa.register_base, 0xf3ffc000);
	assert_int_equal(nth(&L.d, IA_DMAR_RHSA, 0)->u.rhsa.proximity_domain, 0);
	assert_int_equal(nth(&L.d, IA_DMAR_RHSA, 1)->u.rhsa.register_base, 0xfbffc000);
	assert_int_equal(nth(&L.d, IA_DMAR_RHSA, 1)->u.rhsa.proximity_domain, 1);
	unload(&L);
}

/* ---------------------------------------------------------------------------------------- */
/* Malformed input, built by hand. */

struct tb {
	uint8_t b[512];
	size_t n;
};

static void tb_init(struct tb *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, "DMAR", 4);
	t->b[8] = 1;
	memcpy(t->b + 10, "IATEST", 6);
	t->b[36] = 38;   /* 39-bit host address width */
	t->b[37] = 0x01; /* INTR_REMAP */
	t->n = 48;
}

static void tb_put16(struct tb *t, size_t off, unsigned v)
{
	t->b[off] = (uint8_t)v;
	t->b[off + 1] = (uint8_t)(v >> 8);
}

static void tb_put64(struct tb *t, size_t off, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		t->b[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

/* Append a structure header and return its offset. */
static size_t tb_struct(struct tb *t, unsigned type, unsigned len)
{
	size_t off = t->n;

	tb_put16(t, off, type);
	tb_put16(t, off + 2, len);
	t->n += len;
	return off;
}

/* Write a scope at @off: type, length, bus, then path pairs. */
static void tb_scope(struct tb *t, size_t off, uint8_t type, uint8_t len, uint8_t bus,
		     const uint8_t *path, size_t npath_bytes)
{
	t->b[off] = type;
	t->b[off + 1] = len;
	t->b[off + 5] = bus;
	memcpy(t->b + off + 6, path, npath_bytes);
}

/* Set the header length to the bytes written and fix the checksum. */
static void tb_finish(struct tb *t)
{
	t->b[4] = (uint8_t)t->n;
	t->b[5] = (uint8_t)(t->n >> 8);
	t->b[9] = 0;
	t->b[9] = (uint8_t)(0x100 - ia_acpi_checksum(t->b, t->n));
}

/*
 * A well-formed base: DRHD @48 (INCLUDE_PCI_ALL, one endpoint scope 00:1f.0, one bridge
 * scope 00:1c.0), RMRR @80 (one endpoint scope 00:14.0), ATSR @112 (one bridge scope).
 */
static void tb_base(struct tb *t)
{
	static const uint8_t p1f[] = { 0x1f, 0 }, p1c[] = { 0x1c, 0 }, p14[] = { 0x14, 0 };
	size_t o;

	tb_init(t);
	o = tb_struct(t, IA_DMAR_DRHD, 32);
	t->b[o + 4] = IA_DMAR_DRHD_INCLUDE_PCI_ALL;
	tb_put64(t, o + 8, 0xfed90000);
	tb_scope(t, o + 16, IA_DMAR_SCOPE_ENDPOINT, 8, 0, p1f, 2);
	tb_scope(t, o + 24, IA_DMAR_SCOPE_BRIDGE, 8, 0, p1c, 2);
	o = tb_struct(t, IA_DMAR_RMRR, 32);
	tb_put64(t, o + 8, 0x7d000000);
	tb_put64(t, o + 16, 0x7d01ffff);
	tb_scope(t, o + 24, IA_DMAR_SCOPE_ENDPOINT, 8, 0, p14, 2);
	o = tb_struct(t, IA_DMAR_ATSR, 16);
	tb_scope(t, o + 8, IA_DMAR_SCOPE_BRIDGE, 8, 0, p1c, 2);
	tb_finish(t);
}

static int decode_tb(struct tb *t, struct ia_dmar *d, struct ia_diags *g)
{
	memset(g, 0, sizeof(*g));
	return ia_dmar_decode(t->b, t->n, d, g);
}

static void test_synthetic_base_ok(void **state)
{
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;

	tb_base(&t);
	assert_int_equal(decode_tb(&t, &d, &g), 0);
	assert_int_equal(g.n, 0);
	assert_true(d.walk_complete);
	assert_int_equal(d.n_structs, 3);
	assert_int_equal(d.address_bits, 39);
	assert_true(d.intr_remap);
	assert_int_equal(d.structs[0].n_scopes, 2);
	assert_int_equal(d.structs[1].u.rmrr.limit, 0x7d01ffff);
	assert_int_equal(d.structs[2].type, IA_DMAR_ATSR);
	ia_dmar_free(&d);
	ia_dmar_free(&d); /* idempotent, and NULL is accepted */
	ia_dmar_free(NULL);
	ia_diags_free(&g);
}

static void test_bad_short_table(void **state)
{
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;

	tb_base(&t);
	/* Shorter than the 36-byte ACPI header. */
	memset(&g, 0, sizeof(g));
	assert_int_equal(ia_dmar_decode(t.b, 20, &d, &g), -IA_E_TRUNCATED);
	assert_int_equal(d.n_structs, 0);
	assert_non_null(ia_diags_find(&g, -IA_E_TRUNCATED));
	ia_dmar_free(&d);
	ia_diags_free(&g);

	/* A consistent 40-byte table: ACPI header fine, DMAR header cut. */
	t.n = 40;
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_TRUNCATED);
	assert_int_equal(d.n_structs, 0);
	assert_false(d.walk_complete);
	assert_int_equal(ia_diags_find(&g, -IA_E_TRUNCATED)->offset, 40);
	ia_dmar_free(&d);
	ia_diags_free(&g);

	/* Header claims more bytes than were read: the bytes present still decode. */
	tb_base(&t);
	t.n = 80; /* cut right after the DRHD, header still says 128 */
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_TRUNCATED);
	assert_int_equal(d.n_structs, 1);
	assert_int_equal(d.structs[0].n_scopes, 2);
	ia_dmar_free(&d);
	ia_diags_free(&g);

	/* Wrong signature and NULL inputs. */
	tb_base(&t);
	memcpy(t.b, "IVRS", 4);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_SIGNATURE);
	ia_diags_free(&g);
	assert_int_equal(ia_dmar_decode(NULL, 10, &d, NULL), -EINVAL);
	assert_int_equal(ia_dmar_decode(t.b, t.n, NULL, NULL), -EINVAL);
}

static void test_bad_checksum_is_warning(void **state)
{
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;

	tb_base(&t);
	t.b[9] ^= 0x5a;
	assert_int_equal(decode_tb(&t, &d, &g), 0);
	assert_false(d.hdr.checksum_ok);
	assert_int_equal(ia_diags_find(&g, -IA_E_CHECKSUM)->offset, 9);
	assert_int_equal(d.n_structs, 3);
	assert_true(d.walk_complete);
	ia_dmar_free(&d);
	ia_diags_free(&g);
}

static void test_bad_struct_len_zero(void **state)
{
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;

	tb_base(&t);
	tb_put16(&t, 80 + 2, 0); /* RMRR length 0 */
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_BADLEN);
	assert_int_equal(d.n_structs, 1); /* the DRHD before the fault */
	assert_int_equal(d.structs[0].type, IA_DMAR_DRHD);
	assert_int_equal(d.structs[0].n_scopes, 2);
	assert_false(d.walk_complete);
	assert_int_equal(ia_diags_find(&g, -IA_E_BADLEN)->offset, 82);
	ia_dmar_free(&d);
	ia_diags_free(&g);

	/* Length 2: below the 4-byte structure header, also stops the walk. */
	tb_base(&t);
	tb_put16(&t, 80 + 2, 2);
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_BADLEN);
	assert_int_equal(d.n_structs, 1);
	ia_dmar_free(&d);
	ia_diags_free(&g);
}

static void test_bad_struct_past_end(void **state)
{
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;

	tb_base(&t);
	tb_put16(&t, 112 + 2, 40); /* ATSR claims 40 bytes, 16 remain */
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_TRUNCATED);
	assert_int_equal(d.n_structs, 2);
	assert_int_equal(d.structs[1].type, IA_DMAR_RMRR);
	assert_int_equal(d.structs[1].n_scopes, 1);
	assert_false(d.walk_complete);
	assert_int_equal(ia_diags_find(&g, -IA_E_TRUNCATED)->offset, 114);
	ia_dmar_free(&d);
	ia_diags_free(&g);

	/* Three stray bytes after the last structure: too few for a structure header. */
	tb_base(&t);
	t.n += 3;
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_TRUNCATED);
	assert_int_equal(d.n_structs, 3);
	assert_int_equal(ia_diags_find(&g, -IA_E_TRUNCATED)->offset, 128);
	ia_dmar_free(&d);
	ia_diags_free(&g);
}

static void test_bad_struct_shorter_than_fixed(void **state)
{
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;
	size_t o;

	/* DRHD @48, then an RMRR of length 16 (< 24), then an ATSR: the RMRR is skipped. */
	tb_init(&t);
	o = tb_struct(&t, IA_DMAR_DRHD, 16);
	tb_put64(&t, o + 8, 0xfed90000);
	o = tb_struct(&t, IA_DMAR_RMRR, 16);
	o = tb_struct(&t, IA_DMAR_ATSR, 8);
	t.b[o + 4] = IA_DMAR_ATSR_ALL_PORTS;
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_BADLEN);
	assert_int_equal(d.n_structs, 2);
	assert_int_equal(d.structs[0].type, IA_DMAR_DRHD);
	assert_int_equal(d.structs[1].type, IA_DMAR_ATSR);  /* the walk went on */
	assert_int_equal(d.structs[1].u.atsr.flags, IA_DMAR_ATSR_ALL_PORTS);
	assert_int_equal(d.n_skipped, 1);
	assert_int_equal(d.skipped[0].offset, 64);
	assert_int_equal(d.skipped[0].type, IA_DMAR_RMRR);
	assert_int_equal(d.skipped[0].length, 16);
	assert_int_equal(d.skipped[0].reason, -IA_E_BADLEN);
	assert_true(d.walk_complete);
	assert_int_equal(ia_diags_find(&g, -IA_E_BADLEN)->offset, 66);
	ia_dmar_free(&d);
	ia_diags_free(&g);
}

static void test_bad_scope_len_below_6(void **state)
{
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;

	tb_base(&t);
	t.b[48 + 24 + 1] = 4; /* DRHD's second scope: length 4 */
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_BADLEN);
	assert_int_equal(d.n_structs, 3);          /* the structure walk continued */
	assert_int_equal(d.structs[0].n_scopes, 1); /* the scope before the fault */
	assert_int_equal(d.structs[0].scopes[0].path[0].device, 0x1f);
	assert_int_equal(d.structs[1].n_scopes, 1);
	assert_true(d.walk_complete);
	assert_int_equal(ia_diags_find(&g, -IA_E_BADLEN)->offset, 72);
	ia_dmar_free(&d);
	ia_diags_free(&g);

	/* Length 0 must not loop. */
	tb_base(&t);
	t.b[48 + 16 + 1] = 0;
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_BADLEN);
	assert_int_equal(d.structs[0].n_scopes, 0);
	assert_int_equal(d.n_structs, 3);
	ia_dmar_free(&d);
	ia_diags_free(&g);
}

static void test_bad_scope_odd_len(void **state)
{
	static const uint8_t p[] = { 0x1c, 0x04, 0x00 };
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;
	size_t o;

	/* RMRR with one odd 9-byte scope, then a normal 8-byte scope. */
	tb_init(&t);
	o = tb_struct(&t, IA_DMAR_RMRR, 24 + 9 + 8);
	tb_put64(&t, o + 8, 0x7d000000);
	tb_put64(&t, o + 16, 0x7d000fff);
	tb_scope(&t, o + 24, IA_DMAR_SCOPE_ENDPOINT, 9, 0, p, 3);
	tb_scope(&t, o + 33, IA_DMAR_SCOPE_ENDPOINT, 8, 0, p, 2);
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_BADLEN);
	assert_int_equal(d.n_structs, 1);
	assert_int_equal(d.structs[0].n_scopes, 2);
	assert_int_equal(d.structs[0].scopes[0].length, 9);
	assert_int_equal(d.structs[0].scopes[0].n_path, 1); /* (9 - 6) / 2, as the kernel reads it */
	assert_int_equal(d.structs[0].scopes[1].offset, 48 + 33);
	assert_int_equal(d.structs[0].scopes[1].path[0].device, 0x1c);
	assert_int_equal(ia_diags_find(&g, -IA_E_BADLEN)->offset, 72);
	assert_true(d.walk_complete);
	ia_dmar_free(&d);
	ia_diags_free(&g);
}

static void test_bad_scope_past_struct(void **state)
{
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;

	tb_base(&t);
	t.b[48 + 24 + 1] = 10; /* DRHD's second scope claims 10 bytes, 8 remain in the DRHD */
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_TRUNCATED);
	assert_int_equal(d.structs[0].n_scopes, 1);
	assert_int_equal(d.n_structs, 3); /* the next structures still decode */
	assert_int_equal(d.structs[1].n_scopes, 1);
	assert_int_equal(ia_diags_find(&g, -IA_E_TRUNCATED)->offset, 72);
	ia_dmar_free(&d);
	ia_diags_free(&g);

	/* One stray byte at the end of a structure: too few for a scope header. */
	tb_init(&t);
	tb_struct(&t, IA_DMAR_ATSR, 9);
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_TRUNCATED);
	assert_int_equal(d.n_structs, 1);
	assert_int_equal(d.structs[0].n_scopes, 0);
	ia_dmar_free(&d);
	ia_diags_free(&g);
}

static void test_unknown_type_skipped(void **state)
{
	static const uint8_t p[] = { 0x02, 0x00 };
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;
	size_t o;

	tb_init(&t);
	o = tb_struct(&t, 7, 12);          /* first reserved type */
	o = tb_struct(&t, 0x1234, 4);      /* header only */
	o = tb_struct(&t, IA_DMAR_SATC, 16);
	t.b[o + 4] = IA_DMAR_SATC_ATC_REQUIRED;
	tb_scope(&t, o + 8, IA_DMAR_SCOPE_ENDPOINT, 8, 0, p, 2);
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), 0);
	assert_int_equal(d.n_skipped, 2);
	assert_int_equal(d.skipped[0].type, 7);
	assert_int_equal(d.skipped[0].offset, 48);
	assert_int_equal(d.skipped[0].length, 12);
	assert_int_equal(d.skipped[0].reason, -IA_E_UNSUPPORTED);
	assert_int_equal(d.skipped[1].type, 0x1234);
	assert_int_equal(d.skipped[1].offset, 60);
	assert_int_equal(d.n_structs, 1);
	assert_int_equal(d.structs[0].type, IA_DMAR_SATC);
	assert_int_equal(d.structs[0].offset, 64);
	assert_int_equal(d.structs[0].n_scopes, 1);
	assert_true(d.walk_complete);
	assert_int_equal(ia_diags_find(&g, -IA_E_UNSUPPORTED)->offset, 48);
	ia_dmar_free(&d);
	ia_diags_free(&g);
}

static void test_warnings(void **state)
{
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;
	size_t o;

	/* RMRR base not 4 KiB aligned, limit + 1 not aligned: warnings, range_ok false. */
	tb_init(&t);
	o = tb_struct(&t, IA_DMAR_RMRR, 24);
	tb_put64(&t, o + 8, 0x7d000800);
	tb_put64(&t, o + 16, 0x7d000ffe);
	/* An unknown scope type inside a DRHD. */
	o = tb_struct(&t, IA_DMAR_DRHD, 24);
	tb_put64(&t, o + 8, 0);       /* register base 0 */
	t.b[o + 16] = 9;
	t.b[o + 17] = 8;
	t.b[36] = 5;                  /* HAW 6 bits: the kernel refuses */
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), 0);
	assert_int_equal(d.n_structs, 2);
	assert_false(d.structs[0].u.rmrr.range_ok);
	assert_int_equal(d.structs[1].n_scopes, 1);
	assert_int_equal(d.structs[1].scopes[0].type, 9);
	assert_non_null(ia_diags_find(&g, -IA_E_UNSUPPORTED));
	size_t nrange = 0;

	for (size_t i = 0; i < g.n; i++)
		nrange += g.v[i].code == -IA_E_RANGE;
	assert_int_equal(nrange, 4); /* base, limit + 1, DRHD base 0, HAW */
	ia_dmar_free(&d);
	ia_diags_free(&g);

	/* limit <= base */
	tb_init(&t);
	o = tb_struct(&t, IA_DMAR_RMRR, 24);
	tb_put64(&t, o + 8, 0x2000);
	tb_put64(&t, o + 16, 0x0fff);
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), 0);
	assert_false(d.structs[0].u.rmrr.range_ok);
	assert_int_equal(ia_diags_find(&g, -IA_E_RANGE)->offset, 64);
	ia_dmar_free(&d);
	ia_diags_free(&g);
}

static void test_bad_andd_name(void **state)
{
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;
	size_t o;

	tb_init(&t);
	o = tb_struct(&t, IA_DMAR_ANDD, 12);
	t.b[o + 7] = 3;
	memcpy(t.b + o + 8, "ABCD", 4); /* no NUL inside the structure */
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), -IA_E_FORMAT);
	assert_int_equal(d.n_structs, 1);
	assert_int_equal(d.structs[0].u.andd.device_number, 3);
	assert_string_equal(d.structs[0].u.andd.object_name, "ABCD");
	assert_int_equal(ia_diags_find(&g, -IA_E_FORMAT)->offset, 56);
	ia_dmar_free(&d);
	ia_diags_free(&g);
}

/* Every prefix and many single-byte corruptions of a real table: no crash, no hang, no leak. */
static void test_robust_mutations(void **state)
{
	struct loaded L;
	uint8_t *m;
	unsigned seed = 12345;

	load_case("dmar-hpe-proliant-dl380e-gen8", &L);
	m = malloc(L.len);
	assert_non_null(m);
	for (size_t n = 0; n <= L.len; n++) {
		struct ia_dmar d;
		struct ia_diags g = {0};
		int rc = ia_dmar_decode(L.buf, n, &d, &g);

		assert_true(n == L.len ? rc == 0 : rc == -IA_E_TRUNCATED);
		ia_dmar_free(&d);
		ia_diags_free(&g);
	}
	for (int iter = 0; iter < 3000; iter++) {
		struct ia_dmar d;
		struct ia_diags g = {0};

		memcpy(m, L.buf, L.len);
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = 36 + (seed >> 8) % (L.len - 36);
			seed = seed * 1103515245u + 12345u;
			m[pos] = (uint8_t)(seed >> 16);
		}
		int rc = ia_dmar_decode(m, L.len, &d, &g);

		assert_true(rc <= 0);
		assert_true(d.n_structs + d.n_skipped <= L.len / 4);
		ia_dmar_free(&d);
		ia_diags_free(&g);
	}
	free(m);
	unload(&L);
}

/* ---------------------------------------------------------------------------------------- */
/* The scope resolver with a fake bridge map. */

struct fake_bridge {
	uint16_t seg;
	uint8_t bus, dev, fn;
	int secondary;
};

struct fake_map {
	const struct fake_bridge *b;
	size_t n;
	unsigned calls;
};

static int fake_secondary_bus(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	struct fake_map *m = ctx;

	m->calls++;
	for (size_t i = 0; i < m->n; i++)
		if (m->b[i].seg == seg && m->b[i].bus == bus && m->b[i].dev == dev &&
		    m->b[i].fn == fn)
			return m->b[i].secondary;
	return -ENOENT;
}

static void test_resolve(void **state)
{
	static const struct fake_bridge bridges[] = {
		{ 0, 0x00, 0x01, 0, 0x05 },  /* root port 00:01.0 -> bus 05 */
		{ 0, 0x05, 0x00, 0, 0x07 },  /* switch port 05:00.0 -> bus 07 */
		{ 0, 0x00, 0x1c, 4, 0x02 },  /* 00:1c.4 -> bus 02 */
		{ 1, 0x00, 0x02, 0, 0x40 },  /* segment 1 */
		{ 0, 0x00, 0x03, 0, 300 },   /* broken lookup: out of range */
	};
	struct fake_map map = { bridges, sizeof(bridges) / sizeof(bridges[0]), 0 };
	struct ia_dmar_scope sc;
	struct ia_dmar_bdf bdf;
	size_t bad = 99;

	/* Two bridges: 00:01.0 -> 05:00.0 -> 07:03.1 */
	memset(&sc, 0, sizeof(sc));
	sc.type = IA_DMAR_SCOPE_ENDPOINT;
	sc.start_bus = 0;
	sc.n_path = 3;
	sc.path[0] = (struct ia_dmar_path){ 0x01, 0 };
	sc.path[1] = (struct ia_dmar_path){ 0x00, 0 };
	sc.path[2] = (struct ia_dmar_path){ 0x03, 1 };
	assert_int_equal(ia_dmar_scope_resolve(&sc, 0, fake_secondary_bus, &map, &bdf, &bad), 0);
	assert_int_equal(bdf.segment, 0);
	assert_int_equal(bdf.bus, 0x07);
	assert_int_equal(bdf.device, 0x03);
	assert_int_equal(bdf.function, 1);
	assert_int_equal(map.calls, 2);
	assert_int_equal(bad, 99); /* untouched on success */

	/* The same path on segment 1 finds no 00:01.0: element 0 cannot be followed. */
	memset(&bdf, 0xaa, sizeof(bdf));
	assert_int_equal(ia_dmar_scope_resolve(&sc, 1, fake_secondary_bus, &map, &bdf, &bad),
			 -ENOENT);
	assert_int_equal(bad, 0);
	assert_int_equal(bdf.bus, 0xaa); /* untouched on failure */

	/* Missing second bridge: 00:01.0 -> 05:00.1 (absent) names element 1. */
	sc.path[1] = (struct ia_dmar_path){ 0x00, 1 };
	assert_int_equal(ia_dmar_scope_resolve(&sc, 0, fake_secondary_bus, &map, &bdf, &bad),
			 -ENOENT);
	assert_int_equal(bad, 1);

	/* A lookup returning a bus above 255. */
	sc.n_path = 2;
	sc.path[0] = (struct ia_dmar_path){ 0x03, 0 };
	assert_int_equal(ia_dmar_scope_resolve(&sc, 0, fake_secondary_bus, &map, &bdf, &bad),
			 -IA_E_RANGE);
	assert_int_equal(bad, 0);

	/* One element: no lookup at all, start bus kept. */
	map.calls = 0;
	sc.start_bus = 0x40;
	sc.n_path = 1;
	sc.path[0] = (struct ia_dmar_path){ 0x05, 4 };
	assert_int_equal(ia_dmar_scope_resolve(&sc, 3, fake_secondary_bus, &map, &bdf, NULL), 0);
	assert_int_equal(map.calls, 0);
	assert_int_equal(bdf.segment, 3);
	assert_int_equal(bdf.bus, 0x40);
	assert_int_equal(bdf.device, 0x05);
	assert_int_equal(bdf.function, 4);

	/* Empty path and NULL arguments. */
	sc.n_path = 0;
	assert_int_equal(ia_dmar_scope_resolve(&sc, 0, fake_secondary_bus, &map, &bdf, &bad),
			 -IA_E_BADLEN);
	assert_int_equal(ia_dmar_scope_resolve(NULL, 0, fake_secondary_bus, &map, &bdf, &bad),
			 -EINVAL);
	assert_int_equal(ia_dmar_scope_resolve(&sc, 0, NULL, &map, &bdf, &bad), -EINVAL);
}

/* A real two-element scope from the HP DL360 G7 RMRR (00:1c.4/00.2, the iLO) through the fake map. */
static void test_resolve_real_scope(void **state)
{
	static const struct fake_bridge bridges[] = { { 0, 0x00, 0x1c, 4, 0x02 } };
	struct fake_map map = { bridges, 1, 0 };
	struct loaded L;
	struct ia_dmar_bdf bdf;
	size_t bad = 0;
	const struct ia_dmar_struct *s;

	load_case("dmar-hp-proliant-dl360-g7", &L);
	s = nth(&L.d, IA_DMAR_RMRR, 1);
	assert_non_null(s);
	assert_int_equal(s->scopes[5].n_path, 2);
	assert_int_equal(ia_dmar_scope_resolve(&s->scopes[5], s->segment, fake_secondary_bus, &map,
					       &bdf, &bad), 0);
	assert_int_equal(bdf.bus, 2);
	assert_int_equal(bdf.device, 0);
	assert_int_equal(bdf.function, 2);
	/* 00:01.0/00.0 (embedded NIC) is not in the map: element 0 (bridge 00:01.0) is named. */
	s = nth(&L.d, IA_DMAR_RMRR, 2);
	assert_int_equal(ia_dmar_scope_resolve(&s->scopes[0], s->segment, fake_secondary_bus, &map,
					       &bdf, &bad), -ENOENT);
	assert_int_equal(bad, 0);
	unload(&L);
}

/* Issue 13 item 12: a DRHD with register base 0 is one diagnostic that says the kernel refuses the
 * whole DMAR (dmar_validate_one_drhd() in detect_intel_iommu()), not that one unit is dropped; the
 * table is still decoded to its end with every DRHD. */
static void test_drhd_base_zero_refuses_dmar(void **state)
{
	(void)state;
	struct tb t;
	struct ia_dmar d;
	struct ia_diags g;
	size_t o;

	tb_init(&t);
	o = tb_struct(&t, IA_DMAR_DRHD, 16);
	tb_put64(&t, o + 8, 0xfed90000);
	o = tb_struct(&t, IA_DMAR_DRHD, 16);
	t.b[o + 4] = IA_DMAR_DRHD_INCLUDE_PCI_ALL;
	tb_put64(&t, o + 8, 0);
	tb_finish(&t);
	assert_int_equal(decode_tb(&t, &d, &g), 0);
	assert_true(d.walk_complete);
	assert_int_equal(d.n_structs, 2);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.v[0].code, -IA_E_RANGE);
	assert_string_equal(g.v[0].msg, "DRHD at 0x40: register base address is 0: dmar_validate_one_drhd() "
			    "fails, so the kernel refuses the whole DMAR and enables no VT-d DMA remapping");
	ia_dmar_free(&d);
	ia_diags_free(&g);
}

int main(void)
{
	enum { NCASES = sizeof(dmar_cases) / sizeof(dmar_cases[0]) };
	struct CMUnitTest fixture_tests[NCASES];
	char names[NCASES][96];

	for (size_t i = 0; i < NCASES; i++) {
		snprintf(names[i], sizeof(names[i]), "fixture_vs_dsl/%s", dmar_cases[i].name);
		fixture_tests[i] = (struct CMUnitTest){
			.name = names[i],
			.test_func = test_fixture_vs_dsl,
			.initial_state = (void *)&dmar_cases[i],
		};
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hp_dl360_g7_rmrrs),
		cmocka_unit_test(test_hpe_dl380e_gen8_rmrrs),
		cmocka_unit_test(test_framework13_satc_sidp),
		cmocka_unit_test(test_dell_r820_drhds),
		cmocka_unit_test(test_surface_andd),
		cmocka_unit_test(test_x10dai_rhsa),
		cmocka_unit_test(test_synthetic_base_ok),
		cmocka_unit_test(test_bad_short_table),
		cmocka_unit_test(test_bad_checksum_is_warning),
		cmocka_unit_test(test_bad_struct_len_zero),
		cmocka_unit_test(test_bad_struct_past_end),
		cmocka_unit_test(test_bad_struct_shorter_than_fixed),
		cmocka_unit_test(test_bad_scope_len_below_6),
		cmocka_unit_test(test_bad_scope_odd_len),
		cmocka_unit_test(test_bad_scope_past_struct),
		cmocka_unit_test(test_unknown_type_skipped),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_bad_andd_name),
		cmocka_unit_test(test_robust_mutations),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_resolve_real_scope),
		cmocka_unit_test(test_drhd_base_zero_refuses_dmar),
	};
	int fails = cmocka_run_group_tests_name("dmar_fixtures", fixture_tests, NULL, NULL);

	return fails + cmocka_run_group_tests_name("dmar", tests, NULL, NULL);
}
