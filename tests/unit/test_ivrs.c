// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of the IVRS decoder: every real table against its iasl disassembly, and each malformed class.
#include "testutil.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/ivrs.h"
#include "core/ia_err.h"

/* ---------------------------------------------------------------------------------------------
 * A small parser for the lines of an ACPICA `iasl -d` IVRS disassembly this test needs:
 *   [OFFh DDDD LENh]  Field Name : value
 * Every "Subtable Type" line opens an item (an IVDB or a device entry); the lines before the
 * first one belong to the table header. "**** Unknown IVRS subtable type 0xNN" ends the walk.
 * ------------------------------------------------------------------------------------------- */

struct dsl_field {
	unsigned off;
	char name[48];
	char val[96];
	size_t item;            /* index into dsl.items; meaningless when in_header */
	bool in_header;
};

struct dsl_item {
	unsigned off;
	unsigned type;
	bool block;             /* an IVDB ("... Definition Block"), else a device entry */
};

struct dsl {
	struct dsl_field *f;
	size_t nf;
	struct dsl_item *it;
	size_t ni;
	bool has_unknown;       /* iasl stopped at an unknown IVDB type */
	unsigned unknown_type;
};

static void dsl_trim(char *s)
{
	size_t n = strlen(s);
	char *p = s;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	while (*p == ' ')
		p++;
	memmove(s, p, strlen(p) + 1);
}

static void dsl_parse(const char *path, struct dsl *d)
{
	size_t len;
	char *text = (char *)ia_slurp(path, &len);
	char *save = NULL;

	memset(d, 0, sizeof(*d));
	assert_non_null(text);
	d->f = calloc(len / 8 + 1, sizeof(*d->f));
	d->it = calloc(len / 8 + 1, sizeof(*d->it));
	assert_non_null(d->f);
	assert_non_null(d->it);
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned off, dec, flen;
		char *rb, *sep;
		struct dsl_field *f;

		if (strncmp(line, "**** Unknown IVRS subtable type 0x", 34) == 0) {
			d->has_unknown = true;
			d->unknown_type = (unsigned)strtoul(line + 34, NULL, 16);
			continue;
		}
		if (strncmp(line, "Raw Table Data", 14) == 0)
			break;
		if (line[0] != '[' || sscanf(line, "[%xh %u %xh]", &off, &dec, &flen) != 3)
			continue;
		rb = strchr(line, ']');
		sep = rb ? strstr(rb, " : ") : NULL;
		if (!sep)
			continue;
		f = &d->f[d->nf++];
		f->off = off;
		snprintf(f->name, sizeof(f->name), "%.*s", (int)(sep - rb - 1), rb + 1);
		snprintf(f->val, sizeof(f->val), "%s", sep + 3);
		dsl_trim(f->name);
		dsl_trim(f->val);
		if (strcmp(f->name, "Subtable Type") == 0) {
			struct dsl_item *it = &d->it[d->ni++];

			it->off = off;
			it->type = (unsigned)strtoul(f->val, NULL, 16);
			it->block = strstr(f->val, "Definition Block") != NULL;
		}
		f->in_header = d->ni == 0;
		f->item = d->ni ? d->ni - 1 : 0;
	}
	free(text);
}

static void dsl_free(struct dsl *d)
{
	free(d->f);
	free(d->it);
}

/* The value of field @name in item @item (or the header when @header), or NULL. */
static const char *dsl_get(const struct dsl *d, bool header, size_t item, const char *name)
{
	for (size_t i = 0; i < d->nf; i++)
		if (d->f[i].in_header == header && (header || d->f[i].item == item) &&
		    strcmp(d->f[i].name, name) == 0)
			return d->f[i].val;
	return NULL;
}

/* Fail, naming the case, the offset and the field, when a numeric field differs. */
static void dsl_expect_num(const char *tag, const struct dsl *d, bool header, size_t item,
			   const char *name, uint64_t actual)
{
	const char *v = dsl_get(d, header, item, name);
	unsigned off = header ? 0 : d->it[item].off;

	if (!v) {
		print_error("%s: item at 0x%x has no \"%s\" line\n", tag, off, name);
		fail();
	}
	if (strtoull(v, NULL, 16) != actual) {
		print_error("%s: item at 0x%x field \"%s\": iasl says %s, decoder 0x%" PRIx64 "\n",
			    tag, off, name, v, actual);
		fail();
	}
}

/* A quoted iasl string value (e.g. "AMDI0020") against @actual; hex values against @raw. */
static void dsl_expect_name(const char *tag, const struct dsl *d, size_t item, const char *name,
			    const char *actual, uint64_t raw)
{
	const char *v = dsl_get(d, false, item, name);
	char want[96];

	assert_non_null(v);
	if (v[0] != '"') {
		dsl_expect_num(tag, d, false, item, name, raw);
		return;
	}
	snprintf(want, sizeof(want), "%s", v + 1);
	if (strrchr(want, '"'))
		*strrchr(want, '"') = '\0';
	if (strcmp(want, actual) != 0) {
		print_error("%s: item at 0x%x field \"%s\": iasl says %s, decoder \"%s\"\n", tag,
			    d->it[item].off, name, v, actual);
		fail();
	}
}

/* Compare one device entry with the iasl item describing it. */
static void check_entry(const char *tag, const struct dsl *d, size_t item, const struct ia_ivrs *t,
			const struct ia_ivhd_entry *e)
{
	assert_int_equal(e->offset, d->it[item].off);
	assert_int_equal(e->type, d->it[item].type);
	dsl_expect_num(tag, d, false, item, "Device ID", e->devid);
	dsl_expect_num(tag, d, false, item, "Data Setting (decoded below)", e->dte);
	switch (e->type) {
	case IA_IVHD_DEV_ALIAS_SELECT:
	case IA_IVHD_DEV_ALIAS_RANGE:
		assert_true(e->has_alias);
		dsl_expect_num(tag, d, false, item, "Source Used Device ID", e->alias_devid);
		break;
	case IA_IVHD_DEV_SPECIAL:
		assert_true(e->has_special);
		dsl_expect_num(tag, d, false, item, "Handle", e->handle);
		dsl_expect_num(tag, d, false, item, "Source Used Device ID", e->source_devid);
		dsl_expect_num(tag, d, false, item, "Variety", e->variety);
		break;
	case IA_IVHD_DEV_ACPI_HID: {
		const struct ia_ivhd_acpi_hid *h = &t->hids[e->hid];

		assert_true(e->has_acpi_hid);
		dsl_expect_name(tag, d, item, "ACPI HID", h->hid, h->hid_raw);
		dsl_expect_name(tag, d, item, "ACPI CID", h->cid, h->cid_raw);
		dsl_expect_num(tag, d, false, item, "UID Format", h->uid_format);
		dsl_expect_num(tag, d, false, item, "UID Length", h->uid_len);
		dsl_expect_name(tag, d, item, "UID", h->uid, h->uid_int);
		assert_int_equal(e->length, 22 + h->uid_len);
		break;
	}
	default:
		assert_int_equal(e->length, 4u << (e->type >> 6));
		break;
	}
}

/*
 * Compare a decoded table with its iasl disassembly: header, the sequence of IVDBs (offset,
 * type, flags, length), every IVHD and IVMD field iasl prints, and every device entry in order.
 * Returns the number of IVDBs iasl listed.
 */
static size_t check_against_dsl(const char *tag, const struct dsl *d, const struct ia_ivrs *t)
{
	size_t bi = 0, i = 0;

	dsl_expect_num(tag, d, true, 0, "Table Length", t->hdr.length);
	dsl_expect_num(tag, d, true, 0, "Revision", t->hdr.revision);
	dsl_expect_num(tag, d, true, 0, "Checksum", t->hdr.checksum);
	dsl_expect_num(tag, d, true, 0, "Virtualization Info", t->ivinfo);
	while (i < d->ni) {
		const struct ia_ivrs_block *b;

		assert_true(d->it[i].block);
		assert_true(bi < t->n_blocks);
		b = &t->blocks[bi];
		assert_int_equal(b->offset, d->it[i].off);
		assert_int_equal(b->type, d->it[i].type);
		dsl_expect_num(tag, d, false, i, "Flags (decoded below)", b->flags);
		dsl_expect_num(tag, d, false, i, "Length", b->length);
		if (b->kind == IA_IVDB_IVHD) {
			const struct ia_ivhd *h = &t->ivhd[b->index];
			size_t n = 0;

			dsl_expect_num(tag, d, false, i, "DeviceId", h->devid);
			dsl_expect_num(tag, d, false, i, "Capability Offset", h->cap_offset);
			dsl_expect_num(tag, d, false, i, "Base Address", h->base);
			dsl_expect_num(tag, d, false, i, "PCI Segment Group", h->segment);
			dsl_expect_num(tag, d, false, i, "Virtualization Info", h->info);
			if (h->type == IA_IVHD_TYPE_10) {
				dsl_expect_num(tag, d, false, i, "Feature Reporting", h->attr);
				assert_false(h->has_efr);
			} else {
				dsl_expect_num(tag, d, false, i, "Attributes", h->attr);
				dsl_expect_num(tag, d, false, i, "EFR Image", h->efr);
				assert_true(h->has_efr);
			}
			for (i++; i < d->ni && !d->it[i].block; i++, n++) {
				assert_true(n < h->n_entries);
				check_entry(tag, d, i, t, &t->entries[h->first_entry + n]);
			}
			assert_int_equal(n, h->n_entries);
			assert_true(h->entries_complete);
		} else {
			const struct ia_ivmd *m;

			assert_int_equal(b->kind, IA_IVDB_IVMD);
			m = &t->ivmd[b->index];
			dsl_expect_num(tag, d, false, i, "DeviceId", m->devid);
			dsl_expect_num(tag, d, false, i, "Auxiliary Data", m->aux);
			dsl_expect_num(tag, d, false, i, "Start Address", m->start);
			dsl_expect_num(tag, d, false, i, "Memory Length", m->mem_length);
			i++;
		}
		bi++;
	}
	return bi;
}

/* ---------------------------------------------------------------------------------------------
 * One named case per fixture.
 * ------------------------------------------------------------------------------------------- */

struct ivrs_probe {
	uint16_t devid;         /* segment 0 */
	int ret;                /* 0 or -ENOENT */
	uint8_t ivhd_type;      /* when covered: the type and base of the covering IVHD */
	uint64_t base;
	bool has_alias;
	uint16_t alias;
	bool is_iommu;
	uint8_t dte;
	size_t claims;          /* distinct IVHDs claiming it */
};

struct ivrs_case {
	const char *dir;
	uint8_t revision;
	uint32_t ivinfo;
	bool efr_sup;
	uint8_t pa_size;
	size_t n_ivhd;
	size_t n_ivmd;
	uint8_t kernel_type;    /* get_highest_supported_ivhd_type() */
	size_t n_diags;         /* all real tables decode cleanly except the T14's type 0x51 */
	struct ivrs_probe probes[4];
	size_t n_probes;
};

static const struct ivrs_case ivrs_cases[] = {
	{ "ivrs-asus-prime-b550-plus", 2, 0x00203041, true, 48, 2, 0, 0x11, 0,
	  { { 0x0100, 0, 0x11, 0xFD400000, false, 0, false, 0, 1 },
	    { 0xFF10, 0, 0x11, 0xFD400000, true, 0x00A5, false, 0, 1 },
	    { 0x0002, -ENOENT, 0, 0, false, 0, false, 0, 0 } }, 3 },
	{ "ivrs-asus-prime-x399-a", 2, 0x00203041, true, 48, 4, 0, 0x11, 0,
	  { { 0x4100, 0, 0x11, 0xB7B00000, false, 0, false, 0, 1 },
	    { 0x3FFF, -ENOENT, 0, 0, false, 0, false, 0, 0 },
	    /* FF00-FFFE is claimed by both IOMMUs: 00:00.2's alias range (alias 00A4) and
	     * 40:00.2's 4008-FFFE range; the later IVHD wins the rlookup, the alias stays. */
	    { 0xFF10, 0, 0x11, 0xB7B00000, true, 0x00A4, false, 0, 2 } }, 3 },
	{ "ivrs-asus-strix-x570-e", 2, 0x00203041, true, 48, 2, 0, 0x11, 0,
	  { { 0x0100, 0, 0x11, 0xFEB80000, false, 0, false, 0, 1 },
	    { 0xFF10, 0, 0x11, 0xFEB80000, true, 0x00A4, false, 0, 1 } }, 2 },
	{ "ivrs-asus-strix-x670e-f", 2, 0x00203041, true, 48, 2, 0, 0x11, 0,
	  { { 0x0003, 0, 0x11, 0xFD500000, false, 0, false, 0, 1 },
	    { 0x0002, -ENOENT, 0, 0, false, 0, false, 0, 0 } }, 2 },
	{ "ivrs-asus-zenith-ii-extreme-alpha", 2, 0x00203041, true, 48, 8, 0, 0x11, 0,
	  { { 0x6100, 0, 0x11, 0xB3180000, false, 0, false, 0, 1 },
	    { 0x2100, 0, 0x11, 0xFA600000, false, 0, false, 0, 1 },
	    { 0x0100, 0, 0x11, 0xE2200000, false, 0, false, 0, 1 },
	    { 0x1FFF, -ENOENT, 0, 0, false, 0, false, 0, 0 } }, 4 },
	{ "ivrs-lenovo-thinkpad-t14-gen3-amd", 2, 0x00203043, true, 48, 3, 1, 0x40, 1,
	  { { 0x0300, 0, 0x40, 0xFE000000, false, 0, false, 0, 1 },
	    { 0x00A5, 0, 0x40, 0xFE000000, false, 0, false, 0x40, 1 } }, 2 },
	{ "ivrs-mechrevo-wujie14", 2, 0x00203043, true, 48, 3, 5, 0x40, 0,
	  { { 0x0100, 0, 0x40, 0xFD200000, false, 0, false, 0, 1 },
	    { 0xFFFF, 0, 0x40, 0xFD200000, true, 0x00A5, false, 0, 1 } }, 2 },
	{ "ivrs-supermicro-h8dgu", 1, 0x00203400, false, 52, 1, 0, 0x10, 0,
	  { { 0x0002, 0, 0x10, 0xF6000000, false, 0, true, 0, 1 },
	    { 0x0150, 0, 0x10, 0xF6000000, true, 0x00A4, false, 0, 1 },
	    { 0x0300, -ENOENT, 0, 0, false, 0, false, 0, 0 },
	    { 0x00A0, 0, 0x10, 0xF6000000, false, 0, false, 0xD7, 1 } }, 4 },
};

static uint8_t *load_case(const char *dir, size_t *len)
{
	char rel[256];
	uint8_t *b;

	snprintf(rel, sizeof(rel), "%s/ivrs.dat", dir);
	b = ia_slurp(ia_fixture(rel), len);
	assert_non_null(b);
	return b;
}

static void test_fixture(void **state)
{
	const struct ivrs_case *k = *state;
	char rel[256];
	struct dsl d;
	struct ia_ivrs t;
	struct ia_diags dg = {0};
	size_t len, n_dsl_blocks;
	uint8_t *b = load_case(k->dir, &len);

	snprintf(rel, sizeof(rel), "%s/ivrs.dsl", k->dir);
	dsl_parse(ia_fixture(rel), &d);
	assert_int_equal(ia_ivrs_decode(b, len, &t, &dg), 0);
	assert_true(t.walk_complete);
	assert_true(t.hdr.checksum_ok);
	assert_int_equal(dg.n, k->n_diags);

	n_dsl_blocks = check_against_dsl(k->dir, &d, &t);
	if (d.has_unknown) {
		assert_int_equal(t.n_blocks, n_dsl_blocks + 1);
		assert_int_equal(t.blocks[n_dsl_blocks].kind, IA_IVDB_UNKNOWN);
		assert_int_equal(t.blocks[n_dsl_blocks].type, d.unknown_type);
	} else {
		assert_int_equal(t.n_blocks, n_dsl_blocks);
	}

	assert_int_equal(t.hdr.revision, k->revision);
	assert_int_equal(t.ivinfo, k->ivinfo);
	assert_int_equal(t.efr_sup, k->efr_sup);
	assert_int_equal(t.pa_size, k->pa_size);
	assert_int_equal(t.va_size, 64);
	assert_int_equal(t.n_ivhd, k->n_ivhd);
	assert_int_equal(t.n_ivmd, k->n_ivmd);
	assert_true(t.has_kernel_type);
	assert_int_equal(t.kernel_type, k->kernel_type);
	/* On these tables the kernel's rule and "highest type per IOMMU" agree. */
	for (size_t i = 0; i < t.n_ivhd; i++)
		assert_int_equal(t.ivhd[i].linux_uses, t.ivhd[i].highest_for_iommu);

	for (size_t i = 0; i < k->n_probes; i++) {
		const struct ivrs_probe *p = &k->probes[i];
		struct ia_ivrs_match m;
		int r = ia_ivrs_lookup(&t, 0, p->devid, &m);

		if (r != p->ret)
			print_error("%s: lookup 0x%04x returned %d\n", k->dir, p->devid, r);
		assert_int_equal(r, p->ret);
		if (r != 0)
			continue;
		assert_int_equal(t.ivhd[m.ivhd].type, p->ivhd_type);
		assert_int_equal(t.ivhd[m.ivhd].base, p->base);
		assert_int_equal(m.has_alias, p->has_alias);
		if (p->has_alias)
			assert_int_equal(m.alias_devid, p->alias);
		assert_int_equal(m.is_iommu, p->is_iommu);
		assert_int_equal(m.dte, p->dte);
		assert_int_equal(m.n_ivhd_claims, p->claims);
		assert_false(m.ats_disabled);
	}
	dsl_free(&d);
	ia_ivrs_free(&t);
	ia_diags_free(&dg);
	free(b);
}

/* The ThinkPad's undefined IVDB type 0x51 after IVHD 40h: iasl stops; we record it, skip it by
 * its length (as Linux does) and keep everything before it. */
static void test_t14_unknown_type_0x51(void **state)
{
	size_t len;
	uint8_t *b = load_case("ivrs-lenovo-thinkpad-t14-gen3-amd", &len);
	struct ia_ivrs t;
	struct ia_diags dg = {0};
	const struct ia_ivhd *h40;
	const struct ia_ivmd *m;
	struct ia_ivrs_match mt;

	assert_int_equal(len, 0x1E4);
	assert_int_equal(ia_ivrs_decode(b, len, &t, &dg), 0);
	assert_int_equal(t.n_blocks, 5);
	assert_int_equal(t.blocks[0].type, 0x10);
	assert_int_equal(t.blocks[1].type, 0x11);
	assert_int_equal(t.blocks[2].type, 0x21);
	assert_int_equal(t.blocks[3].type, 0x40);
	assert_int_equal(t.blocks[4].kind, IA_IVDB_UNKNOWN);
	assert_int_equal(t.blocks[4].type, 0x51);
	assert_int_equal(t.blocks[4].offset, 0x1C4);
	assert_int_equal(t.blocks[4].length, 32);
	assert_int_equal(t.blocks[4].flags, 0x08);
	assert_int_equal(t.blocks[4].devid, 0x0300);
	assert_true(t.walk_complete);
	/* Exactly one diagnostic: the unknown IVDB, at its own offset. */
	assert_int_equal(dg.n, 1);
	assert_int_equal(dg.v[0].code, -IA_E_UNSUPPORTED);
	assert_int_equal(dg.v[0].offset, 0x1C4);
	assert_string_equal(dg.v[0].where, "IVRS");
	assert_non_null(strstr(dg.v[0].msg, "unknown IVDB type 0x51"));

	h40 = &t.ivhd[2];
	assert_int_equal(h40->type, 0x40);
	assert_int_equal(h40->offset, 0xF0);
	assert_int_equal(h40->length, 0xD4);
	assert_int_equal(h40->efr, 0x246577EFA2254AFAull);
	assert_int_equal(h40->attr, 0x00040200);
	assert_true(h40->linux_uses);
	assert_false(t.ivhd[0].linux_uses);
	assert_false(t.ivhd[1].linux_uses);
	assert_true(h40->entries_complete);
	assert_int_equal(h40->n_entries, 12);
	assert_int_equal(t.entries[h40->first_entry + 11].type, IA_IVHD_DEV_ACPI_HID);
	assert_int_equal(t.entries[h40->first_entry + 11].offset, 0x1A5);
	assert_string_equal(t.hids[t.entries[h40->first_entry + 11].hid].uid, "\\_SB.FUR3");

	/* IVMD 21h: exclusion range for 03:00.0 */
	m = &t.ivmd[0];
	assert_int_equal(m->type, 0x21);
	assert_int_equal(m->offset, 0xD0);
	assert_int_equal(m->flags, IA_IVMD_F_EXCLUSION);
	assert_int_equal(m->first, 0x0300);
	assert_int_equal(m->last, 0x0300);
	assert_int_equal(m->start, 0x7132F000);
	assert_int_equal(m->mem_length, 0x26000);
	assert_true(m->has_end);
	assert_int_equal(m->end, 0x71354FFF);
	assert_true(m->linux_applies);
	assert_int_equal(m->linux_start, 0x7132F000);
	assert_int_equal(m->linux_end, 0x71355000);
	assert_int_equal(ia_ivrs_next_ivmd(&t, 0, 0x0300, 0), 0);
	assert_int_equal(ia_ivrs_next_ivmd(&t, 0, 0x0300, 1), -ENOENT);
	assert_int_equal(ia_ivrs_next_ivmd(&t, 0, 0x0301, 0), -ENOENT);
	assert_int_equal(ia_ivrs_next_ivmd(&t, 1, 0x0300, 0), -ENOENT);
	assert_int_equal(ia_ivrs_lookup(&t, 0, 0x0300, &mt), 0);
	assert_int_equal(t.ivhd[mt.ivhd].type, 0x40);
	ia_ivrs_free(&t);
	ia_diags_free(&dg);
	free(b);
}

/* The MECHREVO's four ACPI HID (F0) entries in IVHD 40h and five IVMD 22h ranges. */
static void test_mechrevo_acpi_hid_and_ivmd(void **state)
{
	static const uint64_t starts[5] = { 0x9618E000, 0x97D9D000, 0x97D9C000, 0x97B98000,
					    0x97B97000 };
	static const uint32_t hid_offsets[4] = { 0x1BC, 0x1DB, 0x1FA, 0x219 };
	size_t len, nh = 0;
	uint8_t *b = load_case("ivrs-mechrevo-wujie14", &len);
	struct ia_ivrs t;
	struct ia_diags dg = {0};
	struct ia_ivrs_match mt;
	long k;

	assert_int_equal(ia_ivrs_decode(b, len, &t, &dg), 0);
	assert_int_equal(dg.n, 0);
	assert_int_equal(t.n_hids, 4);
	for (size_t i = 0; i < t.n_entries; i++) {
		const struct ia_ivhd_entry *e = &t.entries[i];
		const struct ia_ivhd_acpi_hid *h;
		char uid[16];

		if (e->type != IA_IVHD_DEV_ACPI_HID)
			continue;
		h = &t.hids[e->hid];
		assert_int_equal(t.ivhd[e->ivhd].type, 0x40);
		assert_int_equal(e->offset, hid_offsets[nh]);
		assert_int_equal(e->devid, 0x00A5);
		assert_int_equal(e->dte, IA_IVHD_DTE_LINT0PASS);
		assert_int_equal(e->length, 31);
		assert_string_equal(h->hid, "AMDI0020");
		assert_int_equal(h->cid_raw, 0);
		assert_int_equal(h->uid_format, IA_IVHD_UID_STRING);
		assert_int_equal(h->uid_len, 9);
		snprintf(uid, sizeof(uid), "\\_SB.FUR%zu", nh);
		assert_string_equal(h->uid, uid);
		assert_string_equal(h->linux_uid, uid);
		assert_false(h->has_uid_int);
		nh++;
	}
	assert_int_equal(nh, 4);
	/* 00:14.5 (0x00A5) is covered by IVHD 40h (its own alias target and the ACPI HID ID). */
	assert_int_equal(ia_ivrs_lookup(&t, 0, 0x00A5, &mt), 0);
	assert_int_equal(t.ivhd[mt.ivhd].type, 0x40);
	assert_int_equal(mt.dte, IA_IVHD_DTE_LINT0PASS);

	assert_int_equal(t.n_ivmd, 5);
	for (size_t i = 0; i < 5; i++) {
		const struct ia_ivmd *m = &t.ivmd[i];

		assert_int_equal(m->type, IA_IVMD_TYPE_RANGE);
		assert_int_equal(m->offset, 0xC8 + 0x20 * i);
		assert_int_equal(m->flags, IA_IVMD_F_EXCLUSION);
		assert_int_equal(m->devid, 0x0000);
		assert_int_equal(m->aux, 0x0FFF);
		assert_int_equal(m->first, 0x0000);
		assert_int_equal(m->last, 0x0FFF);
		assert_int_equal(m->segment, 0);
		assert_int_equal(m->start, starts[i]);
		assert_int_equal(m->mem_length, 1);
		assert_true(m->has_end);
		assert_int_equal(m->end, starts[i]);
		assert_false(m->zero_length);
		assert_true(m->linux_applies);
		/* the kernel page-aligns the 1-byte length to a whole page */
		assert_int_equal(m->linux_start, starts[i]);
		assert_int_equal(m->linux_end, starts[i] + 0x1000);
	}
	/* Every device on buses 00-0F is named by all five; bus 10 by none. */
	k = -1;
	for (size_t i = 0; i < 5; i++) {
		k = ia_ivrs_next_ivmd(&t, 0, 0x0100, (size_t)(k + 1));
		assert_int_equal(k, (long)i);
	}
	assert_int_equal(ia_ivrs_next_ivmd(&t, 0, 0x0100, (size_t)k + 1), -ENOENT);
	assert_int_equal(ia_ivrs_next_ivmd(&t, 0, 0x1000, 0), -ENOENT);
	ia_ivrs_free(&t);
	ia_diags_free(&dg);
	free(b);
}

/* ---------------------------------------------------------------------------------------------
 * Hand-built tables for the malformed-input classes and the entry kinds no fixture has.
 * ------------------------------------------------------------------------------------------- */

struct tb {
	uint8_t b[1024];
	size_t n;
};

static void tb_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void tb_put32(uint8_t *p, uint32_t v)
{
	tb_put16(p, (uint16_t)v);
	tb_put16(p + 2, (uint16_t)(v >> 16));
}
static void tb_put64(uint8_t *p, uint64_t v)
{
	tb_put32(p, (uint32_t)v);
	tb_put32(p + 4, (uint32_t)(v >> 32));
}

static void tb_start(struct tb *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, "IVRS", 4);
	t->b[8] = 2;
	memcpy(t->b + 10, "IATEST", 6);
	memcpy(t->b + 16, "IVRSTEST", 8);
	tb_put32(t->b + 36, 0x00203041);
	t->n = IA_IVRS_HDR_LEN;
}

/* Start an IVHD; its length is set by tb_close(). Returns its offset. */
static size_t tb_ivhd(struct tb *t, uint8_t type, uint16_t devid, uint64_t base)
{
	size_t off = t->n;

	t->b[off] = type;
	t->b[off + 1] = 0xB0;
	tb_put16(t->b + off + 4, devid);
	tb_put16(t->b + off + 6, 0x40);
	tb_put64(t->b + off + 8, base);
	t->n += type == IA_IVHD_TYPE_10 ? 24 : 40;
	return off;
}

static void tb_close(struct tb *t, size_t off)
{
	tb_put16(t->b + off + 2, (uint16_t)(t->n - off));
}

static size_t tb_e4(struct tb *t, uint8_t type, uint16_t devid, uint8_t dte)
{
	size_t off = t->n;

	t->b[off] = type;
	tb_put16(t->b + off + 1, devid);
	t->b[off + 3] = dte;
	t->n += 4;
	return off;
}

/* An 8-byte entry whose bytes 4..7 are @ext (alias: ext = devid << 8; special:
 * handle | source << 8 | variety << 24). */
static size_t tb_e8(struct tb *t, uint8_t type, uint16_t devid, uint8_t dte, uint32_t ext)
{
	size_t off = tb_e4(t, type, devid, dte);

	tb_put32(t->b + off + 4, ext);
	t->n += 4;
	return off;
}

static size_t tb_hid(struct tb *t, uint16_t devid, const char *hid, uint8_t uidf, const char *uid)
{
	size_t off = t->n, ul = strlen(uid);

	t->b[off] = IA_IVHD_DEV_ACPI_HID;
	tb_put16(t->b + off + 1, devid);
	memcpy(t->b + off + 4, hid, strlen(hid));
	t->b[off + 20] = uidf;
	t->b[off + 21] = (uint8_t)ul;
	memcpy(t->b + off + 22, uid, ul);
	t->n += 22 + ul;
	return off;
}

static size_t tb_ivmd(struct tb *t, uint8_t type, uint8_t flags, uint16_t devid, uint16_t aux,
		      uint64_t start, uint64_t len)
{
	size_t off = t->n;

	t->b[off] = type;
	t->b[off + 1] = flags;
	tb_put16(t->b + off + 2, 32);
	tb_put16(t->b + off + 4, devid);
	tb_put16(t->b + off + 6, aux);
	tb_put64(t->b + off + 16, start);
	tb_put64(t->b + off + 24, len);
	t->n += 32;
	return off;
}

/* Set the table length and a valid checksum. */
static void tb_finish(struct tb *t)
{
	uint8_t s = 0;

	tb_put32(t->b + 4, (uint32_t)t->n);
	t->b[9] = 0;
	for (size_t i = 0; i < t->n; i++)
		s = (uint8_t)(s + t->b[i]);
	t->b[9] = (uint8_t)(0x100 - s);
}

/* The first diagnostic with @code, asserting it exists at @offset. */
static const struct ia_diag *expect_diag(const struct ia_diags *d, int code, int64_t offset)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].code == code && d->v[i].offset == offset)
			return &d->v[i];
	for (size_t i = 0; i < d->n; i++)
		print_error("  diag %d (%s) at %" PRId64 ": %s\n", d->v[i].code,
			    ia_strerror(d->v[i].code), d->v[i].offset, d->v[i].msg);
	print_error("expected diagnostic %d (%s) at offset %" PRId64 "\n", code, ia_strerror(code),
		    offset);
	fail();
	return NULL;
}

/* A well-formed table with one IVHD 10h (a Select) and one IVMD 21h: the baseline. */
static void test_built_wellformed(void **state)
{
	struct tb t;
	struct ia_ivrs r;
	struct ia_diags d = {0};
	size_t h;

	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x0002, 0xFEE00000);
	tb_e4(&t, IA_IVHD_DEV_SELECT, 0x0008, 0x00);
	tb_close(&t, h);
	tb_ivmd(&t, IA_IVMD_TYPE_ONE, IA_IVMD_F_UNITY | IA_IVMD_F_IR | IA_IVMD_F_IW, 0x0008, 0,
		0x1000, 0x2000);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	assert_int_equal(d.n, 0);
	assert_true(r.walk_complete);
	assert_int_equal(r.n_ivhd, 1);
	assert_int_equal(r.n_ivmd, 1);
	assert_int_equal(r.ivmd[0].end, 0x2FFF);
	assert_int_equal(r.kernel_type, 0x10);
	ia_ivrs_free(&r);
	ia_diags_free(&d);
}

static void test_truncated_header(void **state)
{
	struct tb t;
	struct ia_ivrs r;
	struct ia_diags d = {0};

	tb_start(&t);
	tb_finish(&t);
	/* shorter than the ACPI header */
	assert_int_equal(ia_ivrs_decode(t.b, 20, &r, &d), -IA_E_TRUNCATED);
	expect_diag(&d, -IA_E_TRUNCATED, 0);
	ia_diags_free(&d);
	ia_ivrs_free(&r);
	/* a valid 40-byte ACPI table that stops inside the IVRS header (IVinfo present,
	 * reserved bytes missing) */
	t.n = 40;
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), -IA_E_TRUNCATED);
	expect_diag(&d, -IA_E_TRUNCATED, 40);
	assert_int_equal(r.n_blocks, 0);
	assert_false(r.walk_complete);
	ia_diags_free(&d);
	ia_ivrs_free(&r);
	/* NULL buffer and NULL output */
	assert_int_equal(ia_ivrs_decode(NULL, 0, &r, NULL), -IA_E_TRUNCATED);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, NULL, NULL), -EINVAL);
	ia_ivrs_free(&r);
	ia_ivrs_free(NULL);
	/* an empty IVRS (header only) is well formed */
	t.n = IA_IVRS_HDR_LEN;
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	assert_int_equal(r.n_blocks, 0);
	assert_false(r.has_kernel_type);
	assert_true(r.walk_complete);
	ia_ivrs_free(&r);
	ia_diags_free(&d);
}

/* A bad checksum is a warning: the whole table still decodes identically. */
static void test_bad_checksum(void **state)
{
	size_t len;
	uint8_t *b = load_case("ivrs-asus-prime-b550-plus", &len);
	struct ia_ivrs good, bad;
	struct ia_diags d = {0};

	assert_int_equal(ia_ivrs_decode(b, len, &good, NULL), 0);
	b[40] ^= 0x5A; /* a reserved byte of the IVRS header */
	assert_int_equal(ia_ivrs_decode(b, len, &bad, &d), 0);
	assert_false(bad.hdr.checksum_ok);
	assert_int_equal(d.n, 1);
	expect_diag(&d, -IA_E_CHECKSUM, 9);
	assert_true(bad.walk_complete);
	assert_int_equal(bad.n_blocks, good.n_blocks);
	assert_int_equal(bad.n_ivhd, 2);
	assert_int_equal(bad.n_entries, good.n_entries);
	assert_int_equal(bad.n_ranges, good.n_ranges);
	assert_memory_equal(bad.ivhd, good.ivhd, good.n_ivhd * sizeof(*good.ivhd));
	assert_memory_equal(bad.entries, good.entries, good.n_entries * sizeof(*good.entries));
	ia_ivrs_free(&good);
	ia_ivrs_free(&bad);
	ia_diags_free(&d);
	free(b);
}

/* An IVDB length of 0 (or below 4) stops the walk; blocks before it survive. */
static void test_ivdb_length_zero(void **state)
{
	static const uint16_t bad_lengths[] = { 0, 3 };

	for (size_t i = 0; i < 2; i++) {
		struct tb t;
		struct ia_ivrs r;
		struct ia_diags d = {0};
		size_t h, z;

		tb_start(&t);
		h = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x0002, 0xFEE00000);
		tb_e4(&t, IA_IVHD_DEV_SELECT, 0x0008, 0);
		tb_close(&t, h);
		z = tb_ivmd(&t, IA_IVMD_TYPE_ALL, 0, 0, 0, 0x1000, 0x1000);
		tb_put16(t.b + z + 2, bad_lengths[i]);
		tb_finish(&t);
		assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), -IA_E_BADLEN);
		expect_diag(&d, -IA_E_BADLEN, (int64_t)z + 2);
		assert_false(r.walk_complete);
		assert_int_equal(r.n_blocks, 1);
		assert_int_equal(r.n_ivhd, 1);
		assert_int_equal(r.n_entries, 1);
		assert_int_equal(r.ivhd[0].devid, 0x0002);
		assert_int_equal(r.n_ivmd, 0);
		ia_ivrs_free(&r);
		ia_diags_free(&d);
	}
}

/* An IVDB whose length runs past the table end stops the walk; blocks before it survive. */
static void test_ivdb_length_past_end(void **state)
{
	struct tb t;
	struct ia_ivrs r;
	struct ia_diags d = {0};
	size_t h, m;

	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_11, 0x0002, 0xFEE00000);
	tb_e4(&t, IA_IVHD_DEV_ALL, 0, 0);
	tb_close(&t, h);
	m = tb_ivmd(&t, IA_IVMD_TYPE_ALL, IA_IVMD_F_UNITY, 0, 0, 0x1000, 0x1000);
	tb_put16(t.b + m + 2, 0x40); /* 64 bytes claimed, 32 present */
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), -IA_E_TRUNCATED);
	expect_diag(&d, -IA_E_TRUNCATED, (int64_t)m + 2);
	assert_int_equal(r.n_ivhd, 1);
	assert_int_equal(r.ivhd[0].type, 0x11);
	assert_int_equal(r.n_ivmd, 0);
	assert_false(r.walk_complete);
	ia_ivrs_free(&r);
	ia_diags_free(&d);

	/* A table whose header claims more bytes than were read: the IVDB that crosses the
	 * end of the buffer stops the walk the same way. */
	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x0002, 0xFEE00000);
	tb_e4(&t, IA_IVHD_DEV_SELECT, 0x0010, 0);
	tb_close(&t, h);
	m = tb_ivmd(&t, IA_IVMD_TYPE_ONE, IA_IVMD_F_UNITY, 0x0010, 0, 0x1000, 0x1000);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n - 8, &r, &d), -IA_E_TRUNCATED);
	expect_diag(&d, -IA_E_TRUNCATED, (int64_t)t.n - 8); /* the ACPI header's warning */
	expect_diag(&d, -IA_E_TRUNCATED, (int64_t)m + 2);
	assert_int_equal(r.n_ivhd, 1);
	assert_int_equal(r.n_ivmd, 0);
	ia_ivrs_free(&r);
	ia_diags_free(&d);

	/* Fewer than 4 bytes left for an IVDB header */
	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x0002, 0xFEE00000);
	tb_close(&t, h);
	t.n += 2;
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), -IA_E_TRUNCATED);
	expect_diag(&d, -IA_E_TRUNCATED, (int64_t)t.n - 2);
	assert_int_equal(r.n_ivhd, 1);
	ia_ivrs_free(&r);
	ia_diags_free(&d);
}

/* An IVHD (or IVMD) shorter than its fixed layout is skipped; the walk continues after it. */
static void test_ivhd_shorter_than_header(void **state)
{
	struct tb t;
	struct ia_ivrs r;
	struct ia_diags d = {0};
	size_t h0, h1, m;

	tb_start(&t);
	h0 = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x0002, 0xFEE00000);
	tb_e4(&t, IA_IVHD_DEV_SELECT, 0x0008, 0);
	tb_close(&t, h0);
	h1 = tb_ivhd(&t, IA_IVHD_TYPE_11, 0x0002, 0xFEE00000);
	tb_put16(t.b + h1 + 2, 24);   /* 11h needs 40 */
	t.n = h1 + 24;
	m = tb_ivmd(&t, IA_IVMD_TYPE_ONE, IA_IVMD_F_UNITY, 0x0008, 0, 0x1000, 0x1000);
	tb_put16(t.b + m + 2, 24);    /* IVMD needs 32 */
	t.n = m + 24;
	tb_ivmd(&t, IA_IVMD_TYPE_ONE, IA_IVMD_F_UNITY, 0x0008, 0, 0x5000, 0x1000);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	assert_int_equal(d.n, 2);
	expect_diag(&d, -IA_E_BADLEN, (int64_t)h1 + 2);
	expect_diag(&d, -IA_E_BADLEN, (int64_t)m + 2);
	assert_true(r.walk_complete);
	assert_int_equal(r.n_blocks, 4);
	assert_int_equal(r.blocks[1].kind, IA_IVDB_INVALID);
	assert_int_equal(r.blocks[2].kind, IA_IVDB_INVALID);
	assert_int_equal(r.n_ivhd, 1);
	assert_int_equal(r.n_ivmd, 1);
	assert_int_equal(r.ivmd[0].start, 0x5000);
	/* The kernel would still pick type 0x11 (it looks at type bytes only), so the short
	 * 11h leaves the well-formed 10h unused. */
	assert_int_equal(r.kernel_type, 0x11);
	assert_false(r.ivhd[0].linux_uses);
	assert_true(r.ivhd[0].highest_for_iommu);
	ia_ivrs_free(&r);
	ia_diags_free(&d);
}

/* A device entry running past its IVHD's end: entries before it survive, the next IVDB decodes. */
static void test_entry_past_ivhd_end(void **state)
{
	struct tb t;
	struct ia_ivrs r;
	struct ia_diags d = {0};
	size_t h, e;

	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x0002, 0xFEE00000);
	tb_e4(&t, IA_IVHD_DEV_SELECT, 0x0008, 0);
	e = tb_e8(&t, IA_IVHD_DEV_ALIAS_SELECT, 0x0100, 0, 0x00A400);
	t.n -= 4;                     /* the IVHD ends 4 bytes into the 8-byte entry */
	tb_close(&t, h);
	tb_ivmd(&t, IA_IVMD_TYPE_ONE, IA_IVMD_F_UNITY, 0x0008, 0, 0x1000, 0x1000);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	assert_int_equal(d.n, 1);
	expect_diag(&d, -IA_E_TRUNCATED, (int64_t)e);
	assert_int_equal(r.n_ivhd, 1);
	assert_false(r.ivhd[0].entries_complete);
	assert_int_equal(r.ivhd[0].n_entries, 1);
	assert_int_equal(r.entries[0].devid, 0x0008);
	assert_int_equal(r.n_ivmd, 1);
	assert_true(r.walk_complete);
	ia_ivrs_free(&r);
	ia_diags_free(&d);
}

/* An ACPI HID entry whose UID length runs past the IVHD end (and one cut in its fixed part). */
static void test_acpi_hid_uid_past_end(void **state)
{
	struct tb t;
	struct ia_ivrs r;
	struct ia_diags d = {0};
	size_t h, e;

	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_40, 0x0002, 0xFEE00000);
	tb_e4(&t, IA_IVHD_DEV_SELECT, 0x0008, 0);
	e = tb_hid(&t, 0x00A5, "AMDI0020", IA_IVHD_UID_STRING, "\\_SB.FUR0");
	t.b[e + 21] = 20;             /* claims 20 UID bytes, 9 present */
	tb_close(&t, h);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	assert_int_equal(d.n, 1);
	expect_diag(&d, -IA_E_TRUNCATED, (int64_t)e + 21);
	assert_int_equal(r.ivhd[0].n_entries, 1);
	assert_int_equal(r.n_hids, 0);
	assert_false(r.ivhd[0].entries_complete);
	ia_ivrs_free(&r);
	ia_diags_free(&d);

	/* the IVHD ends inside the 22-byte fixed part */
	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_40, 0x0002, 0xFEE00000);
	e = tb_hid(&t, 0x00A5, "AMDI0020", IA_IVHD_UID_NONE, "");
	t.n -= 4;
	tb_close(&t, h);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	expect_diag(&d, -IA_E_TRUNCATED, (int64_t)e);
	assert_int_equal(r.ivhd[0].n_entries, 0);
	ia_ivrs_free(&r);
	ia_diags_free(&d);
}

/* A range start without an end: the open range is reported at its start and dropped. */
static void test_range_start_without_end(void **state)
{
	struct tb t;
	struct ia_ivrs r;
	struct ia_diags d = {0};
	struct ia_ivrs_match m;
	size_t h, s1, s2;

	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x0002, 0xFEE00000);
	s1 = tb_e4(&t, IA_IVHD_DEV_RANGE_START, 0x0100, 0);
	s2 = tb_e4(&t, IA_IVHD_DEV_RANGE_START, 0x0200, 0);  /* s1 never closed */
	tb_e4(&t, IA_IVHD_DEV_RANGE_END, 0x02FF, 0);         /* closes s2 */
	tb_e4(&t, IA_IVHD_DEV_SELECT, 0x0008, 0);
	s2 = tb_e4(&t, IA_IVHD_DEV_RANGE_START, 0x0400, 0);  /* unterminated at IVHD end */
	tb_close(&t, h);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	assert_int_equal(d.n, 2);
	expect_diag(&d, -IA_E_FORMAT, (int64_t)s1);
	expect_diag(&d, -IA_E_FORMAT, (int64_t)s2);
	assert_true(r.ivhd[0].entries_complete);
	assert_int_equal(r.ivhd[0].n_entries, 5);
	assert_int_equal(r.n_ranges, 2);
	assert_int_equal(r.ranges[0].first, 0x0200);
	assert_int_equal(r.ranges[0].last, 0x02FF);
	assert_int_equal(r.ranges[1].first, 0x0008);
	assert_int_equal(ia_ivrs_lookup(&r, 0, 0x0150, &m), -ENOENT);
	assert_int_equal(ia_ivrs_lookup(&r, 0, 0x0400, &m), -ENOENT);
	assert_int_equal(ia_ivrs_lookup(&r, 0, 0x0250, &m), 0);
	ia_ivrs_free(&r);
	ia_diags_free(&d);
}

/* A range end with no start (the kernel reuses its stale start) and an end below its start. */
static void test_range_end_anomalies(void **state)
{
	struct tb t;
	struct ia_ivrs r;
	struct ia_diags d = {0};
	size_t h, e1, e2;

	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x0002, 0xFEE00000);
	e1 = tb_e4(&t, IA_IVHD_DEV_RANGE_END, 0x0010, 0);    /* no start: kernel start is 0 */
	tb_e4(&t, IA_IVHD_DEV_RANGE_START, 0x0300, 0);
	e2 = tb_e4(&t, IA_IVHD_DEV_RANGE_END, 0x0200, 0);    /* below its start */
	tb_close(&t, h);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	assert_int_equal(d.n, 2);
	expect_diag(&d, -IA_E_FORMAT, (int64_t)e1);
	expect_diag(&d, -IA_E_RANGE, (int64_t)e2);
	assert_int_equal(r.n_ranges, 1);
	assert_int_equal(r.ranges[0].first, 0x0000);
	assert_int_equal(r.ranges[0].last, 0x0010);
	ia_ivrs_free(&r);
	ia_diags_free(&d);
}

/* IVMD with a zero memory length, one that overflows, and a 22h with end below start. */
static void test_ivmd_zero_length(void **state)
{
	struct tb t;
	struct ia_ivrs r;
	struct ia_diags d = {0};
	size_t h, m0, m1, m2;

	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x0002, 0xFEE00000);
	tb_e4(&t, IA_IVHD_DEV_ALL, 0, 0);
	tb_close(&t, h);
	m0 = tb_ivmd(&t, IA_IVMD_TYPE_ONE, IA_IVMD_F_UNITY, 0x0008, 0, 0x1000, 0);
	m1 = tb_ivmd(&t, IA_IVMD_TYPE_ALL, IA_IVMD_F_UNITY, 0, 0, 0xFFFFFFFFFFFFF000ull, 0x2000);
	m2 = tb_ivmd(&t, IA_IVMD_TYPE_RANGE, IA_IVMD_F_IR, 0x0200, 0x0100, 0x1000, 0x1000);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	assert_int_equal(d.n, 3);
	expect_diag(&d, -IA_E_BADLEN, (int64_t)m0 + 24);
	expect_diag(&d, -IA_E_RANGE, (int64_t)m1 + 24);
	expect_diag(&d, -IA_E_RANGE, (int64_t)m2 + 6);
	assert_int_equal(r.n_ivmd, 3);
	assert_true(r.ivmd[0].zero_length);
	assert_false(r.ivmd[0].has_end);
	assert_true(r.ivmd[0].linux_applies);
	assert_int_equal(r.ivmd[0].linux_end, r.ivmd[0].linux_start);
	assert_true(r.ivmd[1].overflow);
	assert_false(r.ivmd[1].has_end);
	assert_int_equal(r.ivmd[1].first, 0);
	assert_int_equal(r.ivmd[1].last, 0xFFFF);
	assert_false(r.ivmd[2].linux_applies);  /* IR alone: neither unity nor exclusion */
	/* 0x0150 is named by the 20h (all) block only; the inverted 22h names nobody */
	assert_int_equal(ia_ivrs_next_ivmd(&r, 0, 0x0150, 0), 1);
	assert_int_equal(ia_ivrs_next_ivmd(&r, 0, 0x0150, 2), -ENOENT);
	assert_int_equal(ia_ivrs_next_ivmd(NULL, 0, 0, 0), -EINVAL);
	/* an IVMD at exactly the top of the address space does not overflow */
	tb_put64(t.b + m1 + 16, 0xFFFFFFFFFFFFF000ull);
	tb_put64(t.b + m1 + 24, 0x1000);
	tb_finish(&t);
	ia_ivrs_free(&r);
	ia_diags_free(&d);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	assert_true(r.ivmd[1].has_end);
	assert_int_equal(r.ivmd[1].end, UINT64_MAX);
	ia_ivrs_free(&r);
	ia_diags_free(&d);
}

/* Entry kinds no fixture carries: All, Alias Select, Extended Select/Range, Pad8, unknown. */
static void test_entry_kinds(void **state)
{
	struct tb t;
	struct ia_ivrs r;
	struct ia_diags d = {0};
	struct ia_ivrs_match m;
	size_t h, unk, hid;

	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_40, 0x0002, 0xFEE00000);
	tb_e4(&t, IA_IVHD_DEV_ALL, 0, IA_IVHD_DTE_INITPASS);
	tb_e8(&t, IA_IVHD_DEV_PAD8, 0, 0, 0);
	tb_e8(&t, IA_IVHD_DEV_ALIAS_SELECT, 0x0300, 0, 0x0210u << 8);
	tb_e8(&t, IA_IVHD_DEV_EXT_SELECT, 0x0400, 0, IA_IVHD_EXT_ATS_DISABLED);
	tb_e8(&t, IA_IVHD_DEV_EXT_RANGE, 0x0500, 0x40, 0x1);
	tb_e4(&t, IA_IVHD_DEV_RANGE_END, 0x05FF, 0);
	unk = tb_e4(&t, 0x05, 0x0600, 0);                    /* unknown 4-byte type */
	tb_e8(&t, 0x41, 0x0700, 0, 0);                       /* unknown 8-byte type */
	tb_e8(&t, IA_IVHD_DEV_SPECIAL, 0, 0xD7, 0x01u << 24 | 0x00A0u << 8 | 0x21);
	hid = tb_hid(&t, 0x0099, "AMDI0040", IA_IVHD_UID_INTEGER, "\x07\x01");
	tb_e4(&t, IA_IVHD_DEV_PAD4, 0, 0);
	tb_close(&t, h);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	assert_int_equal(d.n, 2);
	expect_diag(&d, -IA_E_UNSUPPORTED, (int64_t)unk);
	expect_diag(&d, -IA_E_UNSUPPORTED, (int64_t)unk + 4);
	assert_int_equal(r.ivhd[0].n_entries, 11);
	assert_true(r.ivhd[0].entries_complete);
	assert_false(r.entries[6].known);
	assert_int_equal(r.entries[7].length, 8);
	assert_int_equal(r.entries[2].alias_devid, 0x0210);
	assert_true(r.entries[3].has_ext);
	assert_int_equal(r.entries[8].handle, 0x21);
	assert_int_equal(r.entries[8].source_devid, 0x00A0);
	assert_int_equal(r.entries[8].variety, IA_IVHD_SPECIAL_IOAPIC);
	/* integer UID: Linux prints the first byte only */
	assert_int_equal(r.entries[9].offset, hid);
	assert_true(r.hids[0].has_uid_int);
	assert_int_equal(r.hids[0].uid_int, 0x0107);
	assert_string_equal(r.hids[0].linux_uid, "7");
	assert_string_equal(r.hids[0].hid, "AMDI0040");

	/* All covers everything; later ranges refine it (last writer wins, as rlookup does) */
	assert_int_equal(ia_ivrs_lookup(&r, 0, 0x1234, &m), 0);
	assert_int_equal(m.dte, IA_IVHD_DTE_INITPASS);
	assert_false(m.has_alias);
	assert_int_equal(ia_ivrs_lookup(&r, 0, 0x0300, &m), 0);
	assert_true(m.has_alias);
	assert_int_equal(m.alias_devid, 0x0210);
	assert_int_equal(ia_ivrs_lookup(&r, 0, 0x0210, &m), 0);  /* the alias target itself */
	assert_true(r.ranges[m.range].alias_target);
	assert_int_equal(ia_ivrs_lookup(&r, 0, 0x0400, &m), 0);
	assert_true(m.ats_disabled);
	assert_int_equal(ia_ivrs_lookup(&r, 0, 0x0580, &m), 0);
	assert_false(m.ats_disabled);
	assert_int_equal(m.dte, 0x40);
	assert_int_equal(r.ranges[m.range].ext, 0x1);
	assert_int_equal(ia_ivrs_lookup(&r, 0, 0x0002, &m), 0);
	assert_true(m.is_iommu);
	assert_int_equal(ia_ivrs_lookup(&r, 1, 0x1234, &m), -ENOENT);  /* other segment */
	assert_int_equal(ia_ivrs_lookup(NULL, 0, 0, &m), -EINVAL);
	ia_ivrs_free(&r);
	ia_diags_free(&d);
}

/* Entries Linux refuses or cannot walk: type >= 0x80 other than F0, F0 outside IVHD 40h,
 * an empty HID and a Special of unknown variety. */
static void test_entries_linux_rejects(void **state)
{
	struct tb t;
	struct ia_ivrs r;
	struct ia_diags d = {0};
	size_t h0, h1, bad, hid10, sp;

	tb_start(&t);
	h0 = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x0002, 0xFEE00000);
	tb_e4(&t, IA_IVHD_DEV_SELECT, 0x0008, 0);
	hid10 = tb_hid(&t, 0x00A5, "AMDI0020", IA_IVHD_UID_NONE, "");
	sp = tb_e8(&t, IA_IVHD_DEV_SPECIAL, 0, 0, 0x03u << 24 | 0x00A0u << 8 | 0x01);
	bad = tb_e4(&t, 0x81, 0x0010, 0);
	tb_e4(&t, IA_IVHD_DEV_SELECT, 0x0018, 0);            /* never reached */
	tb_close(&t, h0);
	h1 = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x4002, 0xFEF00000);
	tb_e4(&t, IA_IVHD_DEV_SELECT, 0x4008, 0);
	tb_close(&t, h1);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	assert_int_equal(d.n, 3);
	expect_diag(&d, -IA_E_FORMAT, (int64_t)hid10);
	expect_diag(&d, -IA_E_RANGE, (int64_t)sp + 7);
	expect_diag(&d, -IA_E_UNSUPPORTED, (int64_t)bad);
	assert_false(r.ivhd[0].entries_complete);
	assert_int_equal(r.ivhd[0].n_entries, 3);
	assert_int_equal(r.ivhd[0].n_ranges, 1);          /* only the first Select */
	assert_true(r.ivhd[1].entries_complete);
	assert_int_equal(r.ivhd[1].n_entries, 1);
	assert_true(r.walk_complete);
	ia_ivrs_free(&r);
	ia_diags_free(&d);

	/* an empty HID in IVHD 40h is ignored by Linux too */
	tb_start(&t);
	h0 = tb_ivhd(&t, IA_IVHD_TYPE_40, 0x0002, 0xFEE00000);
	hid10 = tb_hid(&t, 0x00A5, "", IA_IVHD_UID_NONE, "");
	tb_close(&t, h0);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, &d), 0);
	expect_diag(&d, -IA_E_FORMAT, (int64_t)hid10 + 4);
	assert_int_equal(r.n_ranges, 0);
	ia_ivrs_free(&r);
	ia_diags_free(&d);
}

/*
 * The kernel picks ONE IVHD type for all IOMMUs, from the first IVDB's DeviceID
 * (get_highest_supported_ivhd_type()): an IOMMU described only by 10h is then ignored when
 * another has 10h + 11h. highest_for_iommu records the per-IOMMU reading; linux_uses the
 * kernel's.
 */
static void test_kernel_ivhd_type_selection(void **state)
{
	struct tb t;
	struct ia_ivrs r;
	struct ia_ivrs_match m;
	size_t h;

	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x0002, 0xFEE00000);
	tb_e4(&t, IA_IVHD_DEV_SELECT, 0x0008, 0);
	tb_close(&t, h);
	h = tb_ivhd(&t, IA_IVHD_TYPE_11, 0x0002, 0xFEE00000);
	tb_e4(&t, IA_IVHD_DEV_SELECT, 0x0008, 0);
	tb_close(&t, h);
	h = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x4002, 0xFEF00000);
	tb_e4(&t, IA_IVHD_DEV_SELECT, 0x4008, 0);
	tb_close(&t, h);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, NULL), 0);
	assert_int_equal(r.kernel_type, 0x11);
	assert_false(r.ivhd[0].linux_uses);
	assert_false(r.ivhd[0].highest_for_iommu);
	assert_true(r.ivhd[1].linux_uses);
	assert_true(r.ivhd[1].highest_for_iommu);
	assert_false(r.ivhd[2].linux_uses);
	assert_true(r.ivhd[2].highest_for_iommu);
	assert_int_equal(ia_ivrs_lookup(&r, 0, 0x0008, &m), 0);
	assert_int_equal(m.ivhd, 1);
	assert_int_equal(ia_ivrs_lookup(&r, 0, 0x4008, &m), -ENOENT);
	ia_ivrs_free(&r);

	/* the kernel's walk stops at the first IVDB typed above 0x40 */
	tb_start(&t);
	h = tb_ivhd(&t, IA_IVHD_TYPE_10, 0x0002, 0xFEE00000);
	tb_close(&t, h);
	h = t.n;
	t.b[h] = 0x51;
	tb_put16(t.b + h + 2, 8);
	t.n += 8;
	h = tb_ivhd(&t, IA_IVHD_TYPE_11, 0x0002, 0xFEE00000);
	tb_close(&t, h);
	tb_finish(&t);
	assert_int_equal(ia_ivrs_decode(t.b, t.n, &r, NULL), 0);
	assert_int_equal(r.kernel_type, 0x10);
	assert_true(r.ivhd[0].linux_uses);
	assert_false(r.ivhd[1].linux_uses);
	ia_ivrs_free(&r);
}

/*
 * Every prefix of every fixture, and seeded byte mutations: no crash, no hang, no leak; a prefix
 * decodes the same leading IVDBs as the whole table and reports that it stopped early; every
 * stored entry lies inside its IVHD and every range is ordered.
 */
static void check_invariants(const struct ia_ivrs *r, size_t len)
{
	for (size_t i = 0; i < r->n_blocks; i++)
		assert_true((size_t)r->blocks[i].offset + r->blocks[i].length <= len);
	for (size_t i = 0; i < r->n_entries; i++) {
		const struct ia_ivhd *h = &r->ivhd[r->entries[i].ivhd];

		assert_true(r->entries[i].offset >= h->offset);
		assert_true(r->entries[i].offset + r->entries[i].length <= h->offset + h->length);
	}
	for (size_t i = 0; i < r->n_ranges; i++)
		assert_true(r->ranges[i].first <= r->ranges[i].last);
}

static void test_robustness(void **state)
{
	unsigned seed = 12345;

	for (size_t c = 0; c < sizeof(ivrs_cases) / sizeof(ivrs_cases[0]); c++) {
		size_t len;
		uint8_t *b = load_case(ivrs_cases[c].dir, &len);
		uint8_t *w = malloc(len);
		struct ia_ivrs full;

		assert_non_null(w);
		assert_int_equal(ia_ivrs_decode(b, len, &full, NULL), 0);
		for (size_t k = 0; k < len; k++) {
			struct ia_ivrs r;
			struct ia_diags d = {0};
			int rc = ia_ivrs_decode(b, k, &r, &d);

			assert_int_equal(rc == 0, r.walk_complete);
			assert_true(d.n > 0);                /* a cut table always says so */
			assert_true(r.n_blocks <= full.n_blocks);
			for (size_t i = 0; i < r.n_blocks; i++)
				assert_int_equal(r.blocks[i].offset, full.blocks[i].offset);
			check_invariants(&r, k);
			ia_ivrs_free(&r);
			ia_diags_free(&d);
		}
		for (int i = 0; i < 300; i++) {
			struct ia_ivrs r;
			struct ia_diags d = {0};

			memcpy(w, b, len);
			for (int j = 0; j < 4; j++) {
				size_t pos;

				seed = seed * 1103515245u + 12345u;
				pos = IA_IVRS_HDR_LEN + (seed >> 8) % (len - IA_IVRS_HDR_LEN);
				seed = seed * 1103515245u + 12345u;
				w[pos] = (uint8_t)(seed >> 16);
			}
			(void)ia_ivrs_decode(w, len, &r, &d);
			check_invariants(&r, len);
			ia_ivrs_free(&r);
			ia_diags_free(&d);
		}
		ia_ivrs_free(&full);
		free(w);
		free(b);
	}
}

#define IVRS_CASE(i) { .name = "fixture", .test_func = test_fixture, \
		       .initial_state = (void *)&ivrs_cases[i] }

int main(void)
{
	struct CMUnitTest tests[] = {
		IVRS_CASE(0), IVRS_CASE(1), IVRS_CASE(2), IVRS_CASE(3),
		IVRS_CASE(4), IVRS_CASE(5), IVRS_CASE(6), IVRS_CASE(7),
		cmocka_unit_test(test_t14_unknown_type_0x51),
		cmocka_unit_test(test_mechrevo_acpi_hid_and_ivmd),
		cmocka_unit_test(test_built_wellformed),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_ivdb_length_zero),
		cmocka_unit_test(test_ivdb_length_past_end),
		cmocka_unit_test(test_ivhd_shorter_than_header),
		cmocka_unit_test(test_entry_past_ivhd_end),
		cmocka_unit_test(test_acpi_hid_uid_past_end),
		cmocka_unit_test(test_range_start_without_end),
		cmocka_unit_test(test_range_end_anomalies),
		cmocka_unit_test(test_ivmd_zero_length),
		cmocka_unit_test(test_entry_kinds),
		cmocka_unit_test(test_entries_linux_rejects),
		cmocka_unit_test(test_kernel_ivhd_type_selection),
		cmocka_unit_test(test_robustness),
	};

	_Static_assert(sizeof(ivrs_cases) / sizeof(ivrs_cases[0]) == 8, "one case per ivrs-* fixture");
	for (size_t i = 0; i < 8; i++)
		tests[i].name = ivrs_cases[i].dir;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
