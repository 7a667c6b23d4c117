// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of the IORT and MADT decoders: real tables against their iasl disassembly, RID resolution, malformed input.
#include "testutil.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/iort.h"
#include "decode/madt.h"
#include "core/ia_err.h"

/* ------------------------------------------------------------------------------------------ */
/* A minimal reader of iasl -d output: "[OFFh DEC LENh]   Field Name : value" lines.          */

struct dsl_field {
	uint32_t off;
	char name[64];
	char val[160];
};

struct dsl {
	struct dsl_field *f;
	size_t n;
};

static void dsl_load(const char *rel, struct dsl *d)
{
	size_t len, cap = 0;
	char *text = (char *)ia_slurp(ia_fixture(rel), &len);
	char *line, *save = NULL;

	assert_non_null(text);
	memset(d, 0, sizeof(*d));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned int off, sz;
		char *rb, *sep, *name, *end;
		struct dsl_field *x;

		if (strncmp(line, "Raw Table Data", 14) == 0)
			break;
		if (line[0] != '[' || sscanf(line, "[%xh %*u %xh]", &off, &sz) != 2)
			continue;
		rb = strchr(line, ']');
		sep = rb ? strstr(rb, " : ") : NULL;
		if (!sep)
			continue;
		for (name = rb + 1; *name == ' '; name++)
			;
		for (end = sep; end > name && end[-1] == ' '; end--)
			;
		if (d->n == cap) {
			cap = cap ? cap * 2 : 1024;
			d->f = realloc(d->f, cap * sizeof(*d->f));
			assert_non_null(d->f);
		}
		x = &d->f[d->n++];
		x->off = off;
		snprintf(x->name, sizeof(x->name), "%.*s", (int)(end - name), name);
		snprintf(x->val, sizeof(x->val), "%s", sep + 3);
	}
	free(text);
}

static void dsl_free(struct dsl *d)
{
	free(d->f);
	memset(d, 0, sizeof(*d));
}

static uint64_t dsl_hex(const struct dsl_field *f)
{
	char *end;
	unsigned long long v = strtoull(f->val, &end, 16);

	assert_true(end != f->val);
	return v;
}

/* Index of the @nth field called @name in [from, to), or -1. */
static long dsl_find(const struct dsl *d, size_t from, size_t to, const char *name, int nth)
{
	for (size_t i = from; i < to; i++)
		if (strcmp(d->f[i].name, name) == 0 && nth-- == 0)
			return (long)i;
	return -1;
}

/* Value of the first field @name in [from, to); the field must exist. */
static uint64_t dsl_get(const struct dsl *d, size_t from, size_t to, const char *name)
{
	long i = dsl_find(d, from, to, name, 0);

	if (i < 0)
		fail_msg("field \"%s\" not found in disassembly lines %zu..%zu", name, from, to);
	return dsl_hex(&d->f[i]);
}

static uint8_t *load(const char *rel, size_t *len)
{
	uint8_t *b = ia_slurp(ia_fixture(rel), len);

	assert_non_null(b);
	return b;
}

/* ------------------------------------------------------------------------------------------ */
/* The four real Arm laptops.                                                                  */

struct rid_case {
	bool by_rid;          /* ia_iort_map_rid(segment, id); else ia_iort_map_id(RC of segment) */
	uint32_t segment;
	uint32_t id;
	int ret;              /* expected return */
	uint32_t smmu_off;    /* expected SMMU node offset (when ret == 0) */
	uint32_t stream_id;
	uint32_t its_off;     /* 0: no ITS group reached */
	uint32_t device_id;
};

struct fw_case {
	const char *dir;
	size_t nodes, rcs, smmu_v3, smmu_v2, its_groups;
	size_t gicc, madt_its, madt_msi;
	uint64_t madt_its_base;  /* GIC ITS base the IORT ITS group's identifier 0 must resolve to */
	const struct rid_case *rids;
	size_t n_rids;
};

static const struct rid_case x13s_rids[] = {
	{ true, 0, 0x0000, 0, 0x182c, 0x00000, 0x1884, 0x80000 },
	{ true, 3, 0x0100, 0, 0x182c, 0x30100, 0x1884, 0xb0100 },
	/* last ID of both ranges: the kernel's end-of-range match with nothing superseding it */
	{ true, 6, 0xffff, 0, 0x182c, 0x6ffff, 0x1884, 0xeffff },
	{ true, 7, 0x0000, -ENOENT, 0, 0, 0, 0 },
};
static const struct rid_case xps_rids[] = {
	{ true, 0, 0x0000, 0, 0x1486, 0x00000, 0x14de, 0x80000 },
	{ true, 7, 0x0208, 0, 0x1486, 0x70208, 0x14de, 0xf0208 },
	{ true, 8, 0x0000, -ENOENT, 0, 0, 0, 0 },
};
/* Qualcomm Windows firmware feeds 0x8703xxxx input IDs; no 16-bit RID can match them. */
static const struct rid_case yoga_rids[] = {
	{ true, 0, 0x0000, -ENXIO, 0, 0, 0, 0 },
	{ true, 0, 0x0010, -ENXIO, 0, 0, 0, 0 },
	{ false, 0, 0x87030000, 0, 0x30, 0x1c00, 0, 0 },
	{ false, 0, 0x87030013, 0, 0x30, 0x1c13, 0, 0 },
	{ false, 0, 0x8703000f, 0, 0x30, 0x1c0f, 0, 0 },
	{ false, 0, 0x87030020, -ENXIO, 0, 0, 0, 0 },
};
static const struct rid_case spx_rids[] = {
	{ true, 0, 0x0000, -ENXIO, 0, 0, 0, 0 },
	{ false, 0, 0x87030000, 0, 0x30, 0x1c80, 0, 0 },
	{ false, 0, 0x87030085, 0, 0x30, 0x1d05, 0, 0 },
	{ false, 0, 0x870301ff, 0, 0x30, 0x1e7f, 0, 0 },
	{ false, 0, 0x87030200, -ENXIO, 0, 0, 0, 0 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
static const struct fw_case cases[] = {
	{ "iort-lenovo-thinkpad-x13s", 23, 7, 1, 2, 1, 8, 1, 0, 0x17a40000, x13s_rids, N(x13s_rids) },
	{ "iort-dell-xps-13-9345", 30, 8, 1, 2, 1, 12, 1, 0, 0x17040000, xps_rids, N(xps_rids) },
	{ "iort-lenovo-yoga-c630", 22, 1, 0, 2, 0, 8, 0, 1, 0, yoga_rids, N(yoga_rids) },
	{ "iort-microsoft-surface-pro-x", 27, 1, 0, 2, 0, 8, 0, 1, 0, spx_rids, N(spx_rids) },
};

static void decode_case(const struct fw_case *c, struct ia_iort *t, struct ia_diags *d)
{
	char rel[256];
	size_t len;
	uint8_t *b;

	snprintf(rel, sizeof(rel), "%s/iort.dat", c->dir);
	b = load(rel, &len);
	assert_int_equal(ia_iort_decode(b, len, t, d), (int)c->nodes);
	free(b);
}

/* Compare one decoded node with its disassembly lines [from, to). */
static void check_node(const struct ia_iort *t, const struct ia_iort_node *n,
		       const struct dsl *s, size_t from, size_t to)
{
	long first_map = dsl_find(s, from, to, "Input base", 0);
	size_t data_to = first_map < 0 ? to : (size_t)first_map;
	size_t nmaps = 0;

	assert_int_equal(n->offset, s->f[from].off);
	assert_int_equal(n->type, dsl_hex(&s->f[from]));
	assert_int_equal(n->length, dsl_get(s, from, to, "Length"));
	assert_int_equal(n->revision, dsl_get(s, from, to, "Revision"));
	assert_int_equal(n->mapping_count, dsl_get(s, from, to, "Mapping Count"));
	assert_int_equal(n->mapping_offset, dsl_get(s, from, to, "Mapping Offset"));
	assert_true(n->known);
	assert_true(n->data_ok);

	/* every ID mapping, in order */
	for (long i; (i = dsl_find(s, from, to, "Input base", (int)nmaps)) >= 0; nmaps++) {
		const struct ia_iort_id_mapping *m;

		assert_true(nmaps < n->n_mappings);
		m = &t->mappings[n->first_mapping + nmaps];
		assert_int_equal(m->offset, s->f[i].off);
		assert_int_equal(m->input_base, dsl_hex(&s->f[i]));
		assert_string_equal(s->f[i + 1].name, "ID Count");
		assert_int_equal(m->id_count, dsl_hex(&s->f[i + 1]));
		assert_int_equal(m->output_base, dsl_hex(&s->f[i + 2]));
		assert_int_equal(m->output_ref, dsl_hex(&s->f[i + 3]));
		assert_int_equal(m->flags, dsl_hex(&s->f[i + 4]));
		assert_true(m->output_valid);
		assert_int_equal(t->nodes[m->output_node].offset, m->output_ref);
	}
	assert_int_equal(nmaps, n->n_mappings);
	assert_int_equal(n->n_mappings, n->mapping_count);

	switch (n->type) {
	case IA_IORT_NODE_ITS_GROUP: {
		uint32_t id;

		assert_int_equal(n->u.its.its_count, dsl_get(s, from, data_to, "ItsCount"));
		assert_int_equal(n->u.its.n_its_ids, n->u.its.its_count);
		for (size_t k = 0; k < n->u.its.n_its_ids; k++) {
			long i = dsl_find(s, from, data_to, "Identifiers", (int)k);

			assert_true(i >= 0);
			assert_int_equal(ia_iort_its_id(t, (size_t)(n - t->nodes), k, &id), 0);
			assert_int_equal(id, dsl_hex(&s->f[i]));
		}
		break;
	}
	case IA_IORT_NODE_NAMED_COMPONENT: {
		const struct ia_iort_named_component *c = &n->u.nc;
		long i = dsl_find(s, from, data_to, "Device Name", 0);
		char want[IA_IORT_NAME_MAX];

		assert_int_equal(c->node_flags, dsl_get(s, from, data_to, "Node Flags"));
		assert_int_equal(c->mem.cache_coherency, dsl_get(s, from, data_to, "Cache Coherency"));
		assert_int_equal(c->mem.memory_flags,
				 dsl_get(s, from, data_to, "Memory Flags (decoded below)"));
		assert_int_equal(c->mem_addr_limit, dsl_get(s, from, data_to, "Memory Size Limit"));
		assert_true(i >= 0);
		assert_true(sscanf(s->f[i].val, "\"%127[^\"]\"", want) == 1);
		assert_string_equal(c->device_name, want);
		assert_true(c->name_terminated);
		break;
	}
	case IA_IORT_NODE_PCI_ROOT_COMPLEX: {
		const struct ia_iort_root_complex *r = &n->u.rc;

		assert_int_equal(r->mem.cache_coherency, dsl_get(s, from, data_to, "Cache Coherency"));
		assert_int_equal(r->mem.memory_flags,
				 dsl_get(s, from, data_to, "Memory Flags (decoded below)"));
		assert_int_equal(r->ats_attribute, dsl_get(s, from, data_to, "ATS Attribute"));
		assert_int_equal(r->ats_supported, r->ats_attribute & 1);
		assert_int_equal(r->pci_segment, dsl_get(s, from, data_to, "PCI Segment Number"));
		/* iasl prints the size limit even where the mapping array already starts (Yoga
		 * C630, mapping offset 0x20): only a limit inside the node data is real. */
		assert_int_equal(r->has_mem_addr_limit, n->mapping_offset >= 33);
		if (r->has_mem_addr_limit)
			assert_int_equal(r->mem_addr_limit,
					 dsl_get(s, from, data_to, "Memory Size Limit"));
		assert_false(r->linux_uses_mem_addr_limit); /* all four are node revision 0 */
		assert_false(r->has_pasid_caps);
		break;
	}
	case IA_IORT_NODE_SMMU: {
		const struct ia_iort_smmu *m = &n->u.smmu;

		assert_int_equal(m->base, dsl_get(s, from, data_to, "Base Address"));
		assert_int_equal(m->span, dsl_get(s, from, data_to, "Span"));
		assert_int_equal(m->model, dsl_get(s, from, data_to, "Model"));
		assert_int_equal(m->flags, dsl_get(s, from, data_to, "Flags (decoded below)"));
		assert_int_equal(m->global_irq_offset,
				 dsl_get(s, from, data_to, "Global Interrupt Offset"));
		assert_int_equal(m->context_irq_count,
				 dsl_get(s, from, data_to, "Context Interrupt Count"));
		assert_int_equal(m->context_irq_offset,
				 dsl_get(s, from, data_to, "Context Interrupt Offset"));
		assert_int_equal(m->pmu_irq_count, dsl_get(s, from, data_to, "PMU Interrupt Count"));
		break;
	}
	case IA_IORT_NODE_SMMU_V3: {
		const struct ia_iort_smmu_v3 *m = &n->u.smmu3;

		assert_int_equal(m->base, dsl_get(s, from, data_to, "Base Address"));
		assert_int_equal(m->flags, dsl_get(s, from, data_to, "Flags (decoded below)"));
		assert_int_equal(m->cohacc_override, m->flags & 1);
		assert_int_equal(m->model, dsl_get(s, from, data_to, "Model"));
		assert_int_equal(m->event_gsiv, dsl_get(s, from, data_to, "Event GSIV"));
		assert_int_equal(m->pri_gsiv, dsl_get(s, from, data_to, "PRI GSIV"));
		assert_int_equal(m->gerr_gsiv, dsl_get(s, from, data_to, "GERR GSIV"));
		assert_int_equal(m->sync_gsiv, dsl_get(s, from, data_to, "Sync GSIV"));
		assert_true(m->has_pxm);
		assert_int_equal(m->pxm, dsl_get(s, from, data_to, "Proximity Domain"));
		assert_true(m->has_id_mapping_index_field);
		assert_int_equal(m->id_mapping_index,
				 dsl_get(s, from, data_to, "Device ID Mapping Index"));
		/* node revision 0: the kernel ignores the DeviceID mapping index */
		assert_int_equal(n->revision, 0);
		assert_false(n->has_deviceid_index);
		break;
	}
	default:
		fail_msg("unexpected node type %u in a real table", n->type);
	}
}

static void test_iort_vs_dsl(void **state)
{
	const struct fw_case *c = *state;
	struct ia_iort t;
	struct ia_diags d = {0};
	struct dsl s;
	char rel[256];
	size_t count[8] = {0}, k = 0;

	decode_case(c, &t, &d);
	assert_int_equal(d.n, 0);             /* the real tables are clean */
	assert_string_equal(t.hdr.signature, "IORT");
	assert_false(t.linux_honours_rmr);    /* all are table revision 0 */

	snprintf(rel, sizeof(rel), "%s/iort.dsl", c->dir);
	dsl_load(rel, &s);
	assert_int_equal(t.node_count, dsl_get(&s, 0, s.n, "Node Count"));
	assert_int_equal(t.node_array_offset, dsl_get(&s, 0, s.n, "Node Offset"));
	assert_int_equal(t.hdr.revision, dsl_get(&s, 0, 5, "Revision"));

	for (long i = dsl_find(&s, 0, s.n, "Type", 0); i >= 0; k++) {
		long next = dsl_find(&s, (size_t)i + 1, s.n, "Type", 0);

		assert_true(k < t.n_nodes);
		check_node(&t, &t.nodes[k], &s, (size_t)i, next < 0 ? s.n : (size_t)next);
		count[t.nodes[k].type]++;
		i = next;
	}
	assert_int_equal(k, t.n_nodes);
	assert_int_equal(k, c->nodes);
	assert_int_equal(count[IA_IORT_NODE_PCI_ROOT_COMPLEX], c->rcs);
	assert_int_equal(count[IA_IORT_NODE_SMMU_V3], c->smmu_v3);
	assert_int_equal(count[IA_IORT_NODE_SMMU], c->smmu_v2);
	assert_int_equal(count[IA_IORT_NODE_ITS_GROUP], c->its_groups);
	dsl_free(&s);
	ia_iort_free(&t);
	ia_diags_free(&d);
}

static void decode_madt_case(const struct fw_case *c, struct ia_madt *m)
{
	char rel[256];
	size_t len;
	uint8_t *b;
	struct ia_diags d = {0};
	int n;

	snprintf(rel, sizeof(rel), "%s/apic.dat", c->dir);
	b = load(rel, &len);
	n = ia_madt_decode(b, len, m, &d);
	assert_true(n > 0);
	assert_int_equal((size_t)n, m->n_entries);
	assert_int_equal(d.n, 0);
	ia_diags_free(&d);
	free(b);
}

static void test_madt_vs_dsl(void **state)
{
	const struct fw_case *c = *state;
	struct ia_madt m;
	struct dsl s;
	char rel[256];
	size_t k = 0, its = 0, msi = 0, gicc = 0;

	decode_madt_case(c, &m);
	snprintf(rel, sizeof(rel), "%s/apic.dsl", c->dir);
	dsl_load(rel, &s);
	for (long i = dsl_find(&s, 0, s.n, "Subtable Type", 0); i >= 0; k++) {
		long next = dsl_find(&s, (size_t)i + 1, s.n, "Subtable Type", 0);
		size_t to = next < 0 ? s.n : (size_t)next, from = (size_t)i;
		const struct ia_madt_entry *e;

		assert_true(k < m.n_entries);
		e = &m.entries[k];
		assert_int_equal(e->offset, s.f[i].off);
		assert_int_equal(e->type, dsl_hex(&s.f[i]));
		assert_int_equal(e->length, dsl_get(&s, from, to, "Length"));
		if (e->type == IA_MADT_GIC_ITS) {
			const struct ia_madt_gic_its *x = &m.its[its++];

			assert_int_equal(x->offset, e->offset);
			assert_int_equal(x->its_id, dsl_get(&s, from, to, "Translation ID"));
			assert_int_equal(x->base, dsl_get(&s, from, to, "Base Address"));
			assert_false(x->non_coherent);
		} else if (e->type == IA_MADT_GIC_MSI_FRAME) {
			const struct ia_madt_gic_msi_frame *x = &m.msi_frames[msi++];

			assert_int_equal(x->offset, e->offset);
			assert_int_equal(x->frame_id, dsl_get(&s, from, to, "MSI Frame ID"));
			assert_int_equal(x->base, dsl_get(&s, from, to, "Base Address"));
			assert_int_equal(x->flags, dsl_get(&s, from, to, "Flags (decoded below)"));
			assert_true(x->spi_select);
			assert_int_equal(x->spi_count, dsl_get(&s, from, to, "SPI Count"));
			assert_int_equal(x->spi_base, dsl_get(&s, from, to, "SPI Base"));
		} else if (e->type == IA_MADT_GICC) {
			gicc++;
		}
		i = next;
	}
	assert_int_equal(k, m.n_entries);
	assert_int_equal(its, m.n_its);
	assert_int_equal(msi, m.n_msi_frames);
	assert_int_equal(gicc, m.n_gicc);
	assert_int_equal(m.n_gicc, c->gicc);
	assert_int_equal(m.n_its, c->madt_its);
	assert_int_equal(m.n_msi_frames, c->madt_msi);
	assert_int_equal(m.n_gicds, 1);
	assert_int_equal(m.n_ioapics, 0);
	dsl_free(&s);
	ia_madt_free(&m);
}

static void test_resolve(void **state)
{
	const struct fw_case *c = *state;
	struct ia_iort t;
	struct ia_madt m;
	struct ia_diags d = {0};

	decode_case(c, &t, &d);
	decode_madt_case(c, &m);
	for (size_t i = 0; i < c->n_rids; i++) {
		const struct rid_case *r = &c->rids[i];
		struct ia_iort_map_result res;
		int ret;

		if (r->by_rid) {
			ret = ia_iort_map_rid(&t, r->segment, (uint16_t)r->id, &res);
		} else {
			size_t rc;

			assert_int_equal(ia_iort_find_rc(&t, r->segment, &rc), 0);
			ret = ia_iort_map_id(&t, rc, r->id, &res);
		}
		if (ret != r->ret)
			fail_msg("%s: id 0x%x on segment %u: got %d, want %d", c->dir, r->id,
				 r->segment, ret, r->ret);
		if (ret)
			continue;
		assert_true(res.has_smmu);
		assert_int_equal(t.nodes[res.smmu_node].offset, r->smmu_off);
		assert_int_equal(res.stream_id, r->stream_id);
		if (r->its_off) {
			uint32_t its_id;
			size_t mi;

			assert_true(res.has_its);
			assert_int_equal(res.msi_status, 0);
			assert_int_equal(t.nodes[res.its_node].offset, r->its_off);
			assert_int_equal(res.device_id, r->device_id);
			assert_int_equal(res.hops, 2);
			/* the ITS group names a GIC ITS the MADT describes */
			assert_int_equal(ia_iort_its_id(&t, res.its_node, 0, &its_id), 0);
			assert_int_equal(ia_madt_find_its(&m, its_id, &mi), 0);
			assert_int_equal(m.its[mi].base, c->madt_its_base);
			assert_int_equal(ia_iort_its_id(&t, res.its_node, 1, &its_id), -ERANGE);
		} else {
			/* SMMUv2 without ID mappings: MSIs go to the GICv2m frame, not isolated */
			assert_false(res.has_its);
			assert_int_equal(res.msi_status, -ENXIO);
			assert_int_equal(t.nodes[res.smmu_node].type, IA_IORT_NODE_SMMU);
			assert_int_equal(res.hops, 1);
			assert_int_equal(m.n_its, 0);
			assert_int_equal(m.n_msi_frames, 1);
		}
	}
	ia_madt_free(&m);
	ia_iort_free(&t);
	ia_diags_free(&d);
}

/* ------------------------------------------------------------------------------------------ */
/* Hand-built tables.                                                                          */

struct tb {
	uint8_t b[4096];
	size_t len;
};

static void p8(struct tb *t, size_t o, uint8_t v) { t->b[o] = v; }
static void p16(struct tb *t, size_t o, uint16_t v) { t->b[o] = (uint8_t)v; t->b[o + 1] = (uint8_t)(v >> 8); }
static void p32(struct tb *t, size_t o, uint32_t v)
{
	p16(t, o, (uint16_t)v);
	p16(t, o + 2, (uint16_t)(v >> 16));
}
static void p64(struct tb *t, size_t o, uint64_t v)
{
	p32(t, o, (uint32_t)v);
	p32(t, o + 4, (uint32_t)(v >> 32));
}

/* Start an IORT (revision @rev) with @nodes nodes from offset 48. */
static void iort_begin(struct tb *t, uint8_t rev, uint32_t nodes)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, "IORT", 4);
	p8(t, 8, rev);
	memcpy(t->b + 10, "IATEST", 6);
	p32(t, 36, nodes);
	p32(t, 40, 48);
	t->len = 48;
}

/* Append a node header; returns its offset. Mappings follow at +@map_off when @nmap. */
static size_t node_add(struct tb *t, uint8_t type, uint16_t len, uint8_t rev, uint32_t nmap,
		       uint32_t map_off)
{
	size_t o = t->len;

	p8(t, o, type);
	p16(t, o + 1, len);
	p8(t, o + 3, rev);
	p32(t, o + 8, nmap);
	p32(t, o + 12, nmap ? map_off : 0);
	t->len += len;
	return o;
}

static void map_put(struct tb *t, size_t at, uint32_t in, uint32_t cnt, uint32_t out,
		    uint32_t ref, uint32_t flags)
{
	p32(t, at, in);
	p32(t, at + 4, cnt);
	p32(t, at + 8, out);
	p32(t, at + 12, ref);
	p32(t, at + 16, flags);
}

/* ITS group with one identifier (24 bytes). */
static size_t its_add(struct tb *t, uint32_t id)
{
	size_t o = node_add(t, IA_IORT_NODE_ITS_GROUP, 24, 0, 0, 0);

	p32(t, o + 16, 1);
	p32(t, o + 20, id);
	return o;
}

/* Root complex (segment @seg) with @nmap mappings at +36 (node revision 1). */
static size_t rc_add(struct tb *t, uint32_t seg, uint32_t nmap)
{
	size_t o = node_add(t, IA_IORT_NODE_PCI_ROOT_COMPLEX, (uint16_t)(36 + 20 * nmap), 1, nmap, 36);

	p32(t, o + 16, 1);         /* cache coherent */
	p32(t, o + 24, 0x7);       /* ATS, PRI, PASID forwarding */
	p32(t, o + 28, seg);
	p8(t, o + 32, 48);
	return o;
}

/* Named component "\_SB.X" with @nmap mappings at +36. */
static size_t nc_add(struct tb *t, uint32_t nmap)
{
	size_t o = node_add(t, IA_IORT_NODE_NAMED_COMPONENT, (uint16_t)(36 + 20 * nmap), 0, nmap, 36);

	memcpy(t->b + o + 29, "\\_SB.X", 7);
	return o;
}

static void tb_finish(struct tb *t)
{
	uint8_t s = 0;

	p32(t, 4, (uint32_t)t->len);
	t->b[9] = 0;
	for (size_t i = 0; i < t->len; i++)
		s = (uint8_t)(s + t->b[i]);
	t->b[9] = (uint8_t)(0x100 - s);
}

static const struct ia_diag *diag_at(const struct ia_diags *d, int code, int64_t off)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].code == code && d->v[i].offset == off)
			return &d->v[i];
	fail_msg("no diagnostic %d (%s) at offset 0x%llx", code, ia_strerror(code),
		 (unsigned long long)off);
	return NULL;
}

/* RC -> SMMUv3 -> ITS, plus RMR and PMCG, table revision @rev. Offsets are fixed by layout. */
static void build_full(struct tb *t, uint8_t rev)
{
	size_t rc, smmu, its, pmcg, rmr, nc;

	iort_begin(t, rev, 6);
	its = its_add(t, 7);                                        /* 0x30 */
	smmu = node_add(t, IA_IORT_NODE_SMMU_V3, 68 + 40, 5, 2, 68); /* 0x48 */
	p64(t, smmu + 16, 0x9000000);
	p32(t, smmu + 24, 0x1 | 0x8 | 0x10);  /* COHACC, PXM valid, DeviceID valid */
	p32(t, smmu + 44, 100);               /* event GSIV; the rest are MSIs */
	p32(t, smmu + 60, 1);                 /* proximity domain */
	p32(t, smmu + 64, 0);                 /* DeviceID mapping index 0 */
	/* mapping 0 is the SMMU's own MSI mapping: the walk must skip it */
	map_put(t, smmu + 68, 0, 0xffff, 0x900000, (uint32_t)its, 0);
	map_put(t, smmu + 88, 0, 0xffff, 0x10000, (uint32_t)its, 0);
	rc = node_add(t, IA_IORT_NODE_PCI_ROOT_COMPLEX, 40 + 20, 4, 1, 40); /* rev 4: PASID caps */
	p32(t, rc + 24, 0x1);
	p32(t, rc + 28, 2);
	p8(t, rc + 32, 44);
	p16(t, rc + 33, 20);
	map_put(t, rc + 40, 0, 0xffff, 0, (uint32_t)smmu, 0);
	pmcg = node_add(t, IA_IORT_NODE_PMCG, 40, 1, 0, 0);
	p64(t, pmcg + 16, 0x9100000);
	p32(t, pmcg + 24, 55);
	p32(t, pmcg + 28, (uint32_t)smmu);
	p64(t, pmcg + 32, 0x9110000);
	rmr = node_add(t, IA_IORT_NODE_RMR, 28 + 40 + 40, 3, 2, 28);
	p32(t, rmr + 16, 0x1 | (5u << 2));    /* remap permitted, Normal IWB/OWB */
	p32(t, rmr + 20, 2);
	p32(t, rmr + 24, 68);
	map_put(t, rmr + 28, 0x40, 0, 0x40, (uint32_t)smmu, 0);
	map_put(t, rmr + 48, 0x80, 3, 0x80, (uint32_t)smmu, 0);
	p64(t, rmr + 68, 0xfe000000);
	p64(t, rmr + 76, 0x10000);
	p64(t, rmr + 88, 0xfe100000);
	p64(t, rmr + 96, 0x20000);
	nc = nc_add(t, 1);
	map_put(t, nc + 36, 0, 0, 0x33, (uint32_t)smmu, 1);   /* single mapping */
	tb_finish(t);
}

static void test_hand_built_full(void **state)
{
	struct tb t;
	struct ia_iort io;
	struct ia_diags d = {0};
	struct ia_iort_map_result r;
	struct ia_iort_rmrs rl;
	const struct ia_iort_node *n;
	size_t nc;

	build_full(&t, 5);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), 6);
	assert_int_equal(d.n, 0);
	assert_true(io.linux_honours_rmr);

	n = &io.nodes[1];
	assert_int_equal(n->type, IA_IORT_NODE_SMMU_V3);
	assert_true(n->u.smmu3.cohacc_override && n->u.smmu3.pxm_valid && n->u.smmu3.deviceid_valid_flag);
	assert_true(n->has_deviceid_index);
	assert_int_equal(n->deviceid_index, 0);
	n = &io.nodes[2];
	assert_true(n->u.rc.has_pasid_caps);
	assert_int_equal(n->u.rc.max_pasid_width, 20);
	assert_true(n->u.rc.linux_uses_mem_addr_limit);
	assert_int_equal(n->u.rc.mem_addr_limit, 44);
	assert_true(n->u.rc.ats_supported);
	assert_false(n->u.rc.pri_supported);
	n = &io.nodes[3];
	assert_true(n->u.pmcg.has_page1);
	assert_int_equal(n->u.pmcg.page1_base, 0x9110000);
	assert_true(n->u.pmcg.node_ref_valid);
	assert_int_equal(n->u.pmcg.ref_node, 1);
	assert_false(n->has_deviceid_index);   /* overflow GSIV wired */

	/* RID 0x0123 on segment 2: StreamID 0x123, DeviceID via mapping 1 (mapping 0 skipped) */
	assert_int_equal(ia_iort_map_rid(&io, 2, 0x0123, &r), 0);
	assert_true(r.has_smmu && r.has_its);
	assert_int_equal(r.smmu_node, 1);
	assert_int_equal(r.stream_id, 0x123);
	assert_int_equal(r.its_node, 0);
	assert_int_equal(r.device_id, 0x10123);
	assert_int_equal(r.msi_status, 0);
	/* single mapping: any input ID of the named component gives output base 0x33 */
	assert_int_equal(ia_iort_node_at(&io, (uint32_t)io.nodes[5].offset, &nc), 0);
	assert_int_equal(ia_iort_map_id(&io, nc, 0xdead, &r), 0);
	assert_int_equal(r.stream_id, 0x33);
	assert_int_equal(r.device_id, 0x10033);

	assert_int_equal(ia_iort_rmrs(&io, &rl), 2);
	assert_int_equal(rl.regions[0].base, 0xfe000000);
	assert_int_equal(rl.regions[0].length, 0x10000);
	assert_int_equal(rl.regions[1].base, 0xfe100000);
	assert_int_equal(rl.regions[1].length, 0x20000);
	assert_true(rl.regions[0].relaxable);
	assert_false(rl.regions[0].access_privileged);
	assert_int_equal(rl.regions[0].access_attributes, 5);
	assert_true(rl.regions[0].linux_honours);
	assert_int_equal(rl.regions[1].n_sids, 2);
	assert_int_equal(rl.sids[rl.regions[1].first_sids].first_sid, 0x40);
	assert_int_equal(rl.sids[rl.regions[1].first_sids].sid_count, 1);
	assert_int_equal(rl.sids[rl.regions[1].first_sids + 1].first_sid, 0x80);
	assert_int_equal(rl.sids[rl.regions[1].first_sids + 1].sid_count, 4);
	assert_true(rl.sids[0].smmu_valid);
	assert_int_equal(rl.sids[0].smmu_node, 1);
	ia_iort_rmrs_free(&rl);
	ia_iort_free(&io);
	ia_diags_free(&d);

	/* the same RMR in a revision-3 table: decoded, but Linux would not honour it */
	build_full(&t, 3);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), 6);
	assert_false(io.linux_honours_rmr);
	assert_int_equal(ia_iort_rmrs(&io, &rl), 2);
	assert_false(rl.regions[0].linux_honours);
	assert_false(rl.regions[1].linux_honours);
	ia_iort_rmrs_free(&rl);
	ia_iort_free(&io);
	ia_diags_free(&d);
	ia_iort_rmrs_free(NULL);
	ia_iort_free(NULL);
}

static void test_node_length_zero(void **state)
{
	struct tb t;
	struct ia_iort io;
	struct ia_diags d = {0};
	size_t bad;

	iort_begin(&t, 0, 3);
	its_add(&t, 1);
	bad = node_add(&t, IA_IORT_NODE_NAMED_COMPONENT, 40, 0, 0, 0);
	p16(&t, bad + 1, 0);
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), -IA_E_BADLEN);
	diag_at(&d, -IA_E_BADLEN, (int64_t)bad + 1);
	assert_int_equal(io.n_nodes, 1);      /* the node before the failure is kept */
	assert_int_equal(io.nodes[0].type, IA_IORT_NODE_ITS_GROUP);
	ia_iort_free(&io);
	ia_diags_free(&d);
}

static void test_node_past_end(void **state)
{
	struct tb t;
	struct ia_iort io;
	struct ia_diags d = {0};
	size_t bad;

	iort_begin(&t, 0, 2);
	its_add(&t, 1);
	bad = node_add(&t, IA_IORT_NODE_NAMED_COMPONENT, 40, 0, 0, 0);
	p16(&t, bad + 1, 400);                 /* runs 360 bytes past the table */
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), -IA_E_TRUNCATED);
	diag_at(&d, -IA_E_TRUNCATED, (int64_t)bad + 1);
	assert_int_equal(io.n_nodes, 1);
	ia_iort_free(&io);
	ia_diags_free(&d);

	/* node count larger than the nodes present: the header of node 2 is past the end */
	iort_begin(&t, 0, 3);
	its_add(&t, 1);
	its_add(&t, 2);
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), -IA_E_TRUNCATED);
	diag_at(&d, -IA_E_TRUNCATED, 96);
	assert_int_equal(io.n_nodes, 2);
	ia_iort_free(&io);
	ia_diags_free(&d);

	/* node array offset inside the IORT header */
	iort_begin(&t, 0, 1);
	its_add(&t, 1);
	p32(&t, 40, 20);
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), -IA_E_RANGE);
	diag_at(&d, -IA_E_RANGE, 40);
	ia_iort_free(&io);
	ia_diags_free(&d);

	/* table shorter than the IORT header */
	iort_begin(&t, 0, 0);
	t.len = 40;
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), -IA_E_TRUNCATED);
	ia_iort_free(&io);
	ia_diags_free(&d);
}

static void test_mapping_past_node(void **state)
{
	struct tb t;
	struct ia_iort io;
	struct ia_diags d = {0};
	struct ia_iort_map_result r;
	size_t its, rc;

	iort_begin(&t, 0, 3);
	its = its_add(&t, 1);
	rc = rc_add(&t, 0, 1);
	p32(&t, rc + 8, 3);                    /* claims 3 mappings, the node holds 1 */
	map_put(&t, rc + 36, 0, 0xff, 0x500, (uint32_t)its, 0);
	its_add(&t, 2);                        /* decoding continues past the bad node */
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), 3);
	diag_at(&d, -IA_E_TRUNCATED, (int64_t)rc + 8);
	assert_int_equal(io.nodes[1].mapping_count, 3);
	assert_int_equal(io.nodes[1].n_mappings, 1);
	assert_int_equal(io.nodes[2].type, IA_IORT_NODE_ITS_GROUP);
	assert_int_equal(io.its_ids[io.nodes[2].u.its.first_its_id], 2);
	/* the mapping that fits still works: RC straight to ITS, no SMMU */
	assert_int_equal(ia_iort_map_rid(&io, 0, 0x10, &r), 0);
	assert_false(r.has_smmu);
	assert_true(r.has_its);
	assert_int_equal(r.device_id, 0x510);
	ia_iort_free(&io);
	ia_diags_free(&d);

	/* mapping array overlapping the RC's node data */
	iort_begin(&t, 0, 2);
	its = its_add(&t, 1);
	rc = rc_add(&t, 0, 1);
	p32(&t, rc + 12, 20);
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), 2);
	diag_at(&d, -IA_E_RANGE, (int64_t)rc + 12);
	ia_iort_free(&io);
	ia_diags_free(&d);
	(void)its;
}

static void test_bad_output_reference(void **state)
{
	struct tb t;
	struct ia_iort io;
	struct ia_diags d = {0};
	struct ia_iort_map_result r;
	size_t its, rc;

	iort_begin(&t, 0, 2);
	its = its_add(&t, 1);
	rc = rc_add(&t, 0, 2);
	map_put(&t, rc + 36, 0, 0xff, 0, (uint32_t)its + 4, 0);   /* inside the ITS node */
	map_put(&t, rc + 56, 0x100, 0xff, 0, 0, 0);             /* NULL reference */
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), 2);
	diag_at(&d, -IA_E_RANGE, (int64_t)rc + 36 + 12);
	diag_at(&d, -IA_E_RANGE, (int64_t)rc + 56 + 12);
	assert_false(io.mappings[io.nodes[1].first_mapping].output_valid);
	assert_int_equal(ia_iort_map_rid(&io, 0, 0x0001, &r), -IA_E_RANGE);
	assert_false(r.has_smmu || r.has_its);
	assert_int_equal(ia_iort_map_rid(&io, 0, 0x0101, &r), -IA_E_RANGE);
	assert_int_equal(ia_iort_map_rid(&io, 0, 0x0300, &r), -ENXIO);   /* unmapped RID */
	assert_int_equal(ia_iort_map_rid(&io, 1, 0x0001, &r), -ENOENT);  /* no RC */
	assert_int_equal(ia_iort_map_id(&io, 9, 0, &r), -EINVAL);
	ia_iort_free(&io);
	ia_diags_free(&d);
}

static void test_mapping_loop(void **state)
{
	struct tb t;
	struct ia_iort io;
	struct ia_diags d = {0};
	struct ia_iort_map_result r;
	size_t a, b, rc;

	/* RC -> NC a <-> NC b */
	iort_begin(&t, 0, 3);
	rc = rc_add(&t, 0, 1);
	a = nc_add(&t, 1);
	b = nc_add(&t, 1);
	map_put(&t, rc + 36, 0, 0xffff, 0, (uint32_t)a, 0);
	map_put(&t, a + 36, 0, 0xffff, 0, (uint32_t)b, 0);
	map_put(&t, b + 36, 0, 0xffff, 0, (uint32_t)a, 0);
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), 3);
	assert_int_equal(d.n, 0);
	assert_int_equal(ia_iort_map_rid(&io, 0, 0x42, &r), -IA_E_LOOP);
	assert_int_equal(r.hops, 3);
	assert_int_equal(ia_iort_map_id(&io, 1, 0x42, &r), -IA_E_LOOP);
	ia_iort_free(&io);
	ia_diags_free(&d);

	/* a chain of 40 named components without a loop: stopped by the 32-hop depth limit */
	iort_begin(&t, 0, 40);
	for (uint32_t i = 0; i < 40; i++) {
		size_t o = nc_add(&t, 1);

		map_put(&t, o + 36, 0, 0xffff, 1, (uint32_t)(o + 56), 0);
	}
	map_put(&t, t.len - 20, 0, 0xffff, 1, 48, 0);   /* last one back to the first */
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), 40);
	assert_int_equal(ia_iort_map_id(&io, 0, 0, &r), -IA_E_LOOP);
	assert_int_equal(r.hops, IA_IORT_MAX_HOPS);
	ia_iort_free(&io);
	ia_diags_free(&d);
}

static void test_off_by_one_and_single(void **state)
{
	struct tb t;
	struct ia_iort io;
	struct ia_diags d = {0};
	struct ia_iort_map_result r;
	size_t its, rc, smmu;

	iort_begin(&t, 0, 3);
	its = its_add(&t, 1);
	smmu = node_add(&t, IA_IORT_NODE_SMMU_V3, 68 + 40, 0, 2, 68);
	/* a single mapping on an SMMUv3 that is not its DeviceID mapping: Linux skips it */
	map_put(&t, smmu + 68, 0, 0, 0x777, (uint32_t)its, 1);
	map_put(&t, smmu + 88, 0, 0xffff, 0x20000, (uint32_t)its, 0);
	rc = rc_add(&t, 0, 2);
	/* firmware states the count, not count - 1: 0x100 overlaps the next range's start */
	map_put(&t, rc + 36, 0x000, 0x100, 0x1000, (uint32_t)smmu, 0);
	map_put(&t, rc + 56, 0x100, 0x0ff, 0x2000, (uint32_t)smmu, 0);
	/* segment 1: a later range overlapping the end-of-range match NOT at its start is
	 * disregarded (kernel: "conflicting mapping", workaround only for a range start) */
	rc = rc_add(&t, 1, 2);
	map_put(&t, rc + 36, 0x000, 0x100, 0x1000, (uint32_t)smmu, 0);
	map_put(&t, rc + 56, 0x080, 0x0ff, 0x3000, (uint32_t)smmu, 0);
	p32(&t, 36, 4);
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), 4);
	assert_int_equal(ia_iort_map_rid(&io, 1, 0x0100, &r), 0);
	assert_int_equal(r.stream_id, 0x1100);
	assert_int_equal(ia_iort_map_rid(&io, 1, 0x0101, &r), 0);
	assert_int_equal(r.stream_id, 0x3081);
	diag_at(&d, -IA_E_FORMAT, (int64_t)smmu + 68 + 16);
	assert_int_equal(d.n, 1);
	assert_int_equal(ia_iort_map_rid(&io, 0, 0x0100, &r), 0);
	assert_int_equal(r.stream_id, 0x2000);  /* the later range supersedes */
	assert_int_equal(r.device_id, 0x22000); /* and the single mapping was skipped */
	assert_int_equal(ia_iort_map_rid(&io, 0, 0x00ff, &r), 0);
	assert_int_equal(r.stream_id, 0x10ff);
	assert_int_equal(ia_iort_map_rid(&io, 0, 0x01ff, &r), 0);
	assert_int_equal(r.stream_id, 0x20ff);  /* last ID, nothing supersedes: kept */
	assert_int_equal(ia_iort_map_rid(&io, 0, 0x0200, &r), -ENXIO);
	ia_iort_free(&io);
	ia_diags_free(&d);
}

static void test_unknown_and_short_nodes(void **state)
{
	struct tb t;
	struct ia_iort io;
	struct ia_diags d = {0};
	size_t unk, smmu;

	iort_begin(&t, 0, 4);
	its_add(&t, 1);
	unk = node_add(&t, 0x7f, 24, 0, 0, 0);
	smmu = node_add(&t, IA_IORT_NODE_SMMU_V3, 40, 0, 0, 0);   /* 20 bytes short */
	its_add(&t, 2);
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), 4);
	diag_at(&d, -IA_E_UNSUPPORTED, (int64_t)unk);
	diag_at(&d, -IA_E_BADLEN, (int64_t)smmu + 1);
	assert_false(io.nodes[1].known);
	assert_int_equal(io.nodes[1].type, 0x7f);
	assert_true(io.nodes[2].known);
	assert_false(io.nodes[2].data_ok);
	assert_true(io.nodes[3].data_ok);
	assert_string_equal(ia_iort_node_type_name(0x7f), "unknown");
	assert_string_equal(ia_iort_node_type_name(IA_IORT_NODE_SMMU_V3), "SMMUv3");
	ia_iort_free(&io);
	ia_diags_free(&d);

	/* ITS count larger than the node; named component name without NUL */
	iort_begin(&t, 0, 2);
	unk = its_add(&t, 1);
	p32(&t, unk + 16, 5);
	smmu = nc_add(&t, 0);
	memset(t.b + smmu + 29, 'A', 7);
	tb_finish(&t);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), 2);
	diag_at(&d, -IA_E_TRUNCATED, (int64_t)unk + 20);
	diag_at(&d, -IA_E_TRUNCATED, (int64_t)smmu + 29);
	assert_int_equal(io.nodes[0].u.its.n_its_ids, 1);
	assert_false(io.nodes[1].u.nc.name_terminated);
	assert_string_equal(io.nodes[1].u.nc.device_name, "AAAAAAA");
	ia_iort_free(&io);
	ia_diags_free(&d);

	/* wrong signature and a bad checksum (a warning: decoding continues) */
	iort_begin(&t, 0, 1);
	its_add(&t, 1);
	tb_finish(&t);
	t.b[20] ^= 1;
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), 1);
	diag_at(&d, -IA_E_CHECKSUM, 9);
	ia_iort_free(&io);
	ia_diags_free(&d);
	memcpy(t.b, "DMAR", 4);
	assert_int_equal(ia_iort_decode(t.b, t.len, &io, &d), -IA_E_SIGNATURE);
	ia_iort_free(&io);
	ia_diags_free(&d);
}

/* MADT: header, then subtables appended with madt_sub(). */
static void madt_begin(struct tb *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, "APIC", 4);
	p8(t, 8, 5);
	p32(t, 36, 0xfee00000);
	p32(t, 40, 1);
	t->len = 44;
}

static size_t madt_sub(struct tb *t, uint8_t type, uint8_t len)
{
	size_t o = t->len;

	p8(t, o, type);
	p8(t, o + 1, len);
	t->len += len;
	return o;
}

static void test_madt_x86(void **state)
{
	struct tb t;
	struct ia_madt m;
	struct ia_diags d = {0};
	size_t o;

	madt_begin(&t);
	o = madt_sub(&t, IA_MADT_LOCAL_APIC, 8);
	p32(&t, o + 4, 1);
	o = madt_sub(&t, IA_MADT_LOCAL_APIC, 8);
	p32(&t, o + 4, 1);
	o = madt_sub(&t, IA_MADT_IO_APIC, 12);
	p8(&t, o + 2, 8);
	p32(&t, o + 4, 0xfec00000);
	p32(&t, o + 8, 0);
	o = madt_sub(&t, IA_MADT_IO_APIC, 12);
	p8(&t, o + 2, 9);
	p32(&t, o + 4, 0xfec01000);
	p32(&t, o + 8, 24);
	madt_sub(&t, IA_MADT_INTERRUPT_OVERRIDE, 10);
	madt_sub(&t, IA_MADT_LOCAL_X2APIC, 16);
	madt_sub(&t, 0x7e, 6);                 /* unknown type: recorded only */
	tb_finish(&t);
	assert_int_equal(ia_madt_decode(t.b, t.len, &m, &d), 7);
	assert_int_equal(d.n, 0);
	assert_int_equal(m.local_ic_address, 0xfee00000);
	assert_int_equal(m.flags, 1);
	assert_int_equal(m.n_local_apic, 2);
	assert_int_equal(m.n_local_x2apic, 1);
	assert_int_equal(m.n_ioapics, 2);
	assert_int_equal(m.ioapics[0].ioapic_id, 8);
	assert_int_equal(m.ioapics[0].address, 0xfec00000);
	assert_int_equal(m.ioapics[1].ioapic_id, 9);
	assert_int_equal(m.ioapics[1].address, 0xfec01000);
	assert_int_equal(m.ioapics[1].gsi_base, 24);
	assert_int_equal(m.ioapics[1].offset, 72);
	assert_int_equal(m.entries[6].type, 0x7e);
	assert_int_equal(m.entries[6].offset, 44 + 8 + 8 + 12 + 12 + 10 + 16);
	assert_false(m.entries[6].decoded);
	assert_true(m.entries[2].decoded);
	ia_madt_free(&m);
	ia_madt_free(NULL);
	ia_diags_free(&d);
}

static void test_madt_malformed(void **state)
{
	struct tb t;
	struct ia_madt m;
	struct ia_diags d = {0};
	size_t o, bad;
	size_t idx;

	/* subtable length 0: the walk stops, earlier subtables kept */
	madt_begin(&t);
	o = madt_sub(&t, IA_MADT_GIC_ITS, 20);
	p32(&t, o + 4, 3);
	p64(&t, o + 8, 0x8080000);
	p8(&t, o + 2, 1);
	bad = madt_sub(&t, IA_MADT_GICC, 80);
	p8(&t, bad + 1, 0);
	tb_finish(&t);
	assert_int_equal(ia_madt_decode(t.b, t.len, &m, &d), -IA_E_BADLEN);
	diag_at(&d, -IA_E_BADLEN, (int64_t)bad + 1);
	assert_int_equal(m.n_entries, 1);
	assert_int_equal(m.n_its, 1);
	assert_int_equal(m.its[0].its_id, 3);
	assert_int_equal(m.its[0].base, 0x8080000);
	assert_true(m.its[0].non_coherent);
	assert_int_equal(ia_madt_find_its(&m, 3, &idx), 0);
	assert_int_equal(ia_madt_find_its(&m, 4, &idx), -ENOENT);
	ia_madt_free(&m);
	ia_diags_free(&d);

	/* subtable past the end */
	madt_begin(&t);
	madt_sub(&t, IA_MADT_GICD, 24);
	bad = madt_sub(&t, IA_MADT_GIC_MSI_FRAME, 24);
	t.len -= 10;
	tb_finish(&t);
	assert_int_equal(ia_madt_decode(t.b, t.len, &m, &d), -IA_E_TRUNCATED);
	diag_at(&d, -IA_E_TRUNCATED, (int64_t)bad + 1);
	assert_int_equal(m.n_entries, 1);
	assert_int_equal(m.n_gicds, 1);
	ia_madt_free(&m);
	ia_diags_free(&d);

	/* a GIC ITS shorter than its layout: recorded, not decoded, the walk continues */
	madt_begin(&t);
	bad = madt_sub(&t, IA_MADT_GIC_ITS, 12);
	o = madt_sub(&t, IA_MADT_IO_APIC, 12);
	p8(&t, o + 2, 2);
	tb_finish(&t);
	assert_int_equal(ia_madt_decode(t.b, t.len, &m, &d), 2);
	diag_at(&d, -IA_E_BADLEN, (int64_t)bad + 1);
	assert_int_equal(m.n_its, 0);
	assert_false(m.entries[0].decoded);
	assert_int_equal(m.n_ioapics, 1);
	assert_int_equal(m.ioapics[0].ioapic_id, 2);
	ia_madt_free(&m);
	ia_diags_free(&d);

	/* shorter than the MADT header */
	madt_begin(&t);
	t.len = 40;
	tb_finish(&t);
	assert_int_equal(ia_madt_decode(t.b, t.len, &m, &d), -IA_E_TRUNCATED);
	ia_madt_free(&m);
	ia_diags_free(&d);
}

/* Every byte-truncation and every single-byte corruption of a real table decodes without a crash. */
static void test_fuzz_real(void **state)
{
	size_t len;
	uint8_t *b = load("iort-lenovo-thinkpad-x13s/iort.dat", &len);
	uint8_t *c = malloc(len);
	struct ia_iort io;
	struct ia_iort_map_result r;
	struct ia_iort_rmrs rl;

	assert_non_null(c);
	for (size_t cut = 0; cut <= len; cut += 7) {
		int n = ia_iort_decode(b, cut, &io, NULL);

		assert_true(n < 0 || (size_t)n == io.n_nodes);
		ia_iort_free(&io);
	}
	for (size_t i = 36; i < len; i += 3) {
		memcpy(c, b, len);
		c[i] ^= 0xa5;
		if (ia_iort_decode(c, len, &io, NULL) >= 0) {
			for (size_t k = 0; k < io.n_nodes; k++)
				(void)ia_iort_map_id(&io, k, 0x100, &r);
			assert_true(ia_iort_rmrs(&io, &rl) >= 0);
			ia_iort_rmrs_free(&rl);
		}
		ia_iort_free(&io);
	}
	free(c);
	free(b);

	b = load("iort-lenovo-yoga-c630/apic.dat", &len);
	c = malloc(len);
	assert_non_null(c);
	for (size_t i = 36; i < len; i++) {
		struct ia_madt m;
		int n;

		memcpy(c, b, len);
		c[i] ^= 0x5a;
		n = ia_madt_decode(c, len, &m, NULL);
		assert_true(n < 0 || (size_t)n == m.n_entries);
		ia_madt_free(&m);
	}
	free(c);
	free(b);
}

#define FW_TESTS(i)                                                                         \
	{ .name = "iort_vs_dsl", .test_func = test_iort_vs_dsl, .initial_state = (void *)&cases[i] }, \
	{ .name = "madt_vs_dsl", .test_func = test_madt_vs_dsl, .initial_state = (void *)&cases[i] }, \
	{ .name = "resolve", .test_func = test_resolve, .initial_state = (void *)&cases[i] }

int main(void)
{
	struct CMUnitTest tests[] = {
		FW_TESTS(0), FW_TESTS(1), FW_TESTS(2), FW_TESTS(3),
		cmocka_unit_test(test_hand_built_full),
		cmocka_unit_test(test_node_length_zero),
		cmocka_unit_test(test_node_past_end),
		cmocka_unit_test(test_mapping_past_node),
		cmocka_unit_test(test_bad_output_reference),
		cmocka_unit_test(test_mapping_loop),
		cmocka_unit_test(test_off_by_one_and_single),
		cmocka_unit_test(test_unknown_and_short_nodes),
		cmocka_unit_test(test_madt_x86),
		cmocka_unit_test(test_madt_malformed),
		cmocka_unit_test(test_fuzz_real),
	};
	static char names[4][3][96];
	const char *kinds[3] = { "iort_vs_dsl", "madt_vs_dsl", "resolve" };

	/* one named case per fixture: "<check>/<fixture directory>" */
	for (size_t i = 0; i < 4; i++)
		for (size_t j = 0; j < 3; j++) {
			snprintf(names[i][j], sizeof(names[i][j]), "%s/%s", kinds[j], cases[i].dir);
			tests[i * 3 + j].name = names[i][j];
		}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
