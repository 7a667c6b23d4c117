// SPDX-License-Identifier: GPL-2.0-or-later
// Decode the IORT (ARM DEN 0049E.e) into nodes and ID mappings, and walk RID -> StreamID -> DeviceID.
#include "decode/iort.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decode/bytes.h"
#include "core/array.h"
#include "core/ia_err.h"

#define IORT_WHERE "IORT"
#define IORT_HDR_LEN 48u          /* ACPI header + node count, node offset, reserved */
#define IORT_NODE_HDR_LEN 16u
#define IORT_MAP_LEN 20u
#define IORT_RMR_DESC_LEN 20u

/* Bytes from the node start up to the end of each type's mandatory node data. */
static const uint16_t iort_fixed_len[] = {
	[IA_IORT_NODE_ITS_GROUP] = 20,          /* ITS count */
	[IA_IORT_NODE_NAMED_COMPONENT] = 29,    /* through the memory address size limit */
	[IA_IORT_NODE_PCI_ROOT_COMPLEX] = 32,   /* through the PCI segment number */
	[IA_IORT_NODE_SMMU] = 60,               /* through the PMU interrupt offset */
	[IA_IORT_NODE_SMMU_V3] = 60,            /* through the Sync GSIV */
	[IA_IORT_NODE_PMCG] = 32,               /* through the node reference */
	[IA_IORT_NODE_RMR] = 28,                /* through the descriptor array offset */
};
#define IORT_N_KNOWN (sizeof(iort_fixed_len) / sizeof(iort_fixed_len[0]))

const char *ia_iort_node_type_name(uint8_t type)
{
	switch (type) {
	case IA_IORT_NODE_ITS_GROUP: return "ITS group";
	case IA_IORT_NODE_NAMED_COMPONENT: return "named component";
	case IA_IORT_NODE_PCI_ROOT_COMPLEX: return "PCI root complex";
	case IA_IORT_NODE_SMMU: return "SMMUv1/v2";
	case IA_IORT_NODE_SMMU_V3: return "SMMUv3";
	case IA_IORT_NODE_PMCG: return "PMCG";
	case IA_IORT_NODE_RMR: return "RMR";
	default: return "unknown";
	}
}

/* Growth state kept only while decoding. */
struct iort_caps {
	size_t nodes, mappings, its_ids, rmr_descs;
};

static void iort_mem_access(const uint8_t *p, struct ia_iort_mem_access *m)
{
	m->cache_coherency = ia_le32(p, 0);
	m->hints = p[4];
	m->memory_flags = p[7];
}

/* Decode the ITS identifiers of an ITS group node at @nb (node bytes, @dend usable bytes). */
static int iort_its_group(struct ia_iort *t, struct iort_caps *caps, struct ia_iort_node *n,
			  const uint8_t *nb, size_t dend, struct ia_diags *d)
{
	struct ia_iort_its_group *g = &n->u.its;
	size_t fit;

	g->its_count = ia_le32(nb, 16);
	fit = (dend - 20) / 4;
	g->first_its_id = t->n_its_ids;
	g->n_its_ids = g->its_count < fit ? g->its_count : fit;
	if (g->n_its_ids < g->its_count)
		ia_diag_add(d, -IA_E_TRUNCATED, IORT_WHERE, (int64_t)n->offset + 20,
			    "ITS group node at 0x%x states %u ITS identifiers, only %zu fit in the node",
			    n->offset, g->its_count, g->n_its_ids);
	if (g->its_count == 0)
		ia_diag_add(d, -IA_E_BADLEN, IORT_WHERE, (int64_t)n->offset + 16,
			    "ITS group node at 0x%x has no ITS identifiers", n->offset);
	if (ia_array_reserve((void **)&t->its_ids, &caps->its_ids, t->n_its_ids + g->n_its_ids,
			 sizeof(*t->its_ids)))
		return -ENOMEM;
	for (size_t i = 0; i < g->n_its_ids; i++)
		t->its_ids[t->n_its_ids++] = ia_le32(nb, 20 + 4 * i);
	return 0;
}

static void iort_named_component(struct ia_iort_node *n, const uint8_t *nb, size_t dend,
				 struct ia_diags *d)
{
	struct ia_iort_named_component *c = &n->u.nc;
	size_t i, k = 0;

	c->node_flags = ia_le32(nb, 16);
	c->stall_supported = c->node_flags & 1u;
	c->pasid_bits = (uint8_t)((c->node_flags >> 1) & 0x1f);
	iort_mem_access(nb + 20, &c->mem);
	c->mem_addr_limit = nb[28];
	for (i = 29; i < dend && nb[i]; i++) {
		if (k + 1 < IA_IORT_NAME_MAX)
			c->device_name[k++] = (char)nb[i];
		else
			c->name_truncated = true;
	}
	c->device_name[k] = '\0';
	c->name_terminated = i < dend;
	if (!c->name_terminated)
		ia_diag_add(d, -IA_E_TRUNCATED, IORT_WHERE, (int64_t)n->offset + 29,
			    "named component node at 0x%x: device object name is not NUL-terminated "
			    "inside the node data", n->offset);
}

static void iort_root_complex(struct ia_iort_node *n, const uint8_t *nb, size_t dend)
{
	struct ia_iort_root_complex *r = &n->u.rc;

	iort_mem_access(nb + 16, &r->mem);
	r->ats_attribute = ia_le32(nb, 24);
	r->ats_supported = r->ats_attribute & 1u;
	r->pri_supported = r->ats_attribute & 2u;
	r->pasid_fwd_supported = r->ats_attribute & 4u;
	r->pci_segment = ia_le32(nb, 28);
	/* DEN 0049D added the size limit (node revision 1); the kernel reads it from revision 1. */
	r->has_mem_addr_limit = dend >= 33;
	if (r->has_mem_addr_limit)
		r->mem_addr_limit = nb[32];
	r->linux_uses_mem_addr_limit = r->has_mem_addr_limit && n->revision >= 1;
	/* DEN 0049E.d added PASID capabilities (root complex node revision 4). */
	r->has_pasid_caps = n->revision >= 4 && dend >= 35;
	if (r->has_pasid_caps) {
		r->pasid_caps = ia_le16(nb, 33);
		r->max_pasid_width = (uint8_t)(r->pasid_caps & 0x1f);
	}
}

static void iort_smmu(struct ia_iort_node *n, const uint8_t *nb)
{
	struct ia_iort_smmu *s = &n->u.smmu;

	s->base = ia_le64(nb, 16);
	s->span = ia_le64(nb, 24);
	s->model = ia_le32(nb, 32);
	s->flags = ia_le32(nb, 36);
	s->dvm_supported = s->flags & 1u;
	s->coherent_walk = s->flags & 2u;
	s->global_irq_offset = ia_le32(nb, 40);
	s->context_irq_count = ia_le32(nb, 44);
	s->context_irq_offset = ia_le32(nb, 48);
	s->pmu_irq_count = ia_le32(nb, 52);
	s->pmu_irq_offset = ia_le32(nb, 56);
}

static void iort_smmu_v3(struct ia_iort_node *n, const uint8_t *nb, size_t dend)
{
	struct ia_iort_smmu_v3 *s = &n->u.smmu3;

	s->base = ia_le64(nb, 16);
	s->flags = ia_le32(nb, 24);
	s->cohacc_override = s->flags & 1u;
	s->httu_override = (uint8_t)((s->flags >> 1) & 3u);
	s->pxm_valid = s->flags & 8u;
	s->deviceid_valid_flag = s->flags & 16u;
	s->vatos_address = ia_le64(nb, 32);
	s->model = ia_le32(nb, 40);
	s->event_gsiv = ia_le32(nb, 44);
	s->pri_gsiv = ia_le32(nb, 48);
	s->gerr_gsiv = ia_le32(nb, 52);
	s->sync_gsiv = ia_le32(nb, 56);
	s->has_pxm = dend >= 64;
	if (s->has_pxm)
		s->pxm = ia_le32(nb, 60);
	s->has_id_mapping_index_field = dend >= 68;
	if (s->has_id_mapping_index_field)
		s->id_mapping_index = ia_le32(nb, 64);
}

static void iort_pmcg(struct ia_iort_node *n, const uint8_t *nb, size_t dend)
{
	struct ia_iort_pmcg *p = &n->u.pmcg;

	p->page0_base = ia_le64(nb, 16);
	p->overflow_gsiv = ia_le32(nb, 24);
	p->node_ref = ia_le32(nb, 28);
	/* Kernel arm_smmu_v3_pmcg_init_resources(): page 1 only from node revision 1. */
	p->has_page1 = n->revision >= 1 && dend >= 40;
	if (p->has_page1)
		p->page1_base = ia_le64(nb, 32);
}

static int iort_rmr(struct ia_iort *t, struct iort_caps *caps, struct ia_iort_node *n,
		    const uint8_t *nb, struct ia_diags *d)
{
	struct ia_iort_rmr *r = &n->u.rmr;
	size_t fit = 0;

	r->flags = ia_le32(nb, 16);
	r->remap_permitted = r->flags & 1u;
	r->access_privileged = r->flags & 2u;
	r->access_attributes = (uint8_t)((r->flags >> 2) & 0xff);
	r->desc_count = ia_le32(nb, 20);
	r->desc_offset = ia_le32(nb, 24);
	r->first_desc = t->n_rmr_descs;
	if (r->desc_count && r->desc_offset < iort_fixed_len[IA_IORT_NODE_RMR]) {
		ia_diag_add(d, -IA_E_RANGE, IORT_WHERE, (int64_t)n->offset + 24,
			    "RMR node at 0x%x: descriptor array offset 0x%x overlaps the node header/data",
			    n->offset, r->desc_offset);
		return 0;
	}
	if (r->desc_offset <= n->length)
		fit = (n->length - r->desc_offset) / IORT_RMR_DESC_LEN;
	r->n_descs = r->desc_count < fit ? r->desc_count : fit;
	if (r->n_descs < r->desc_count)
		ia_diag_add(d, -IA_E_TRUNCATED, IORT_WHERE, (int64_t)n->offset + 20,
			    "RMR node at 0x%x states %u memory range descriptors at +0x%x, only %zu "
			    "fit in the %u-byte node", n->offset, r->desc_count, r->desc_offset,
			    r->n_descs, n->length);
	if (ia_array_reserve((void **)&t->rmr_descs, &caps->rmr_descs, t->n_rmr_descs + r->n_descs,
			 sizeof(*t->rmr_descs)))
		return -ENOMEM;
	for (size_t i = 0; i < r->n_descs; i++) {
		struct ia_iort_rmr_desc *x = &t->rmr_descs[t->n_rmr_descs++];
		size_t o = r->desc_offset + i * IORT_RMR_DESC_LEN;

		x->offset = n->offset + (uint32_t)o;
		x->base = ia_le64(nb, o);
		x->length = ia_le64(nb, o + 8);
		if (!x->length)
			ia_diag_add(d, -IA_E_BADLEN, IORT_WHERE, (int64_t)x->offset + 8,
				    "RMR descriptor at 0x%x has zero length", x->offset);
	}
	return 0;
}

/* Kernel iort_get_id_mapping_index(): which mapping (if any) carries the node's own MSIs. */
static void iort_deviceid_index(struct ia_iort_node *n, struct ia_diags *d)
{
	if (!n->data_ok)
		return;
	if (n->type == IA_IORT_NODE_SMMU_V3) {
		const struct ia_iort_smmu_v3 *s = &n->u.smmu3;

		if (n->revision < 1 || !s->has_id_mapping_index_field)
			return;
		if (n->revision < 5) {
			/* Before E.e the index is valid unless every interrupt is a GSIV. */
			if (s->event_gsiv && s->pri_gsiv && s->gerr_gsiv && s->sync_gsiv)
				return;
		} else if (!s->deviceid_valid_flag) {
			return;
		}
		if (s->id_mapping_index >= n->mapping_count) {
			ia_diag_add(d, -IA_E_RANGE, IORT_WHERE, (int64_t)n->offset + 64,
				    "SMMUv3 node at 0x%x: DeviceID mapping index %u overflows its %u "
				    "mappings", n->offset, s->id_mapping_index, n->mapping_count);
			return;
		}
		n->has_deviceid_index = true;
		n->deviceid_index = s->id_mapping_index;
	} else if (n->type == IA_IORT_NODE_PMCG) {
		if (n->u.pmcg.overflow_gsiv || n->mapping_count == 0)
			return;
		n->has_deviceid_index = true;
		n->deviceid_index = 0;
	}
}

/* Decode the ID mapping array of node @n (whose bytes start at @nb). */
static int iort_mappings(struct ia_iort *t, struct iort_caps *caps, struct ia_iort_node *n,
			 const uint8_t *nb, struct ia_diags *d)
{
	size_t fit = 0, cnt;

	n->first_mapping = t->n_mappings;
	if (!n->mapping_count)
		return 0;
	if (!n->mapping_offset || n->mapping_offset < IORT_NODE_HDR_LEN) {
		ia_diag_add(d, -IA_E_RANGE, IORT_WHERE, (int64_t)n->offset + 12,
			    "%s node at 0x%x: %u ID mappings at offset 0x%x, inside the node header",
			    ia_iort_node_type_name(n->type), n->offset, n->mapping_count,
			    n->mapping_offset);
		return 0;
	}
	if (n->known && n->mapping_offset < iort_fixed_len[n->type])
		ia_diag_add(d, -IA_E_RANGE, IORT_WHERE, (int64_t)n->offset + 12,
			    "%s node at 0x%x: ID mapping array at +0x%x overlaps the node data "
			    "(which runs to +0x%x)", ia_iort_node_type_name(n->type), n->offset,
			    n->mapping_offset, iort_fixed_len[n->type]);
	if (n->mapping_offset <= n->length)
		fit = (n->length - n->mapping_offset) / IORT_MAP_LEN;
	cnt = n->mapping_count < fit ? n->mapping_count : fit;
	if (cnt < n->mapping_count)
		ia_diag_add(d, -IA_E_TRUNCATED, IORT_WHERE, (int64_t)n->offset + 8,
			    "%s node at 0x%x: %u ID mappings at +0x%x run past the %u-byte node; "
			    "%zu decoded", ia_iort_node_type_name(n->type), n->offset,
			    n->mapping_count, n->mapping_offset, n->length, cnt);
	if (ia_array_reserve((void **)&t->mappings, &caps->mappings, t->n_mappings + cnt,
			 sizeof(*t->mappings)))
		return -ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		struct ia_iort_id_mapping *m = &t->mappings[t->n_mappings++];
		size_t o = n->mapping_offset + i * IORT_MAP_LEN;

		memset(m, 0, sizeof(*m));
		m->offset = n->offset + (uint32_t)o;
		m->input_base = ia_le32(nb, o);
		m->id_count = ia_le32(nb, o + 4);
		m->output_base = ia_le32(nb, o + 8);
		m->output_ref = ia_le32(nb, o + 12);
		m->flags = ia_le32(nb, o + 16);
		m->single = m->flags & 1u;
	}
	n->n_mappings = cnt;
	return 0;
}

/* Check the single-mapping rule (kernel iort_id_map() / iort_node_get_id()). */
static void iort_check_single(const struct ia_iort *t, const struct ia_iort_node *n,
			      struct ia_diags *d)
{
	for (size_t i = 0; i < n->n_mappings; i++) {
		const struct ia_iort_id_mapping *m = &t->mappings[n->first_mapping + i];
		bool own_msi = n->has_deviceid_index && i == n->deviceid_index;

		if (!m->single || own_msi || n->type == IA_IORT_NODE_NAMED_COMPONENT ||
		    n->type == IA_IORT_NODE_PCI_ROOT_COMPLEX)
			continue;
		ia_diag_add(d, -IA_E_FORMAT, IORT_WHERE, (int64_t)m->offset + 16,
			    "%s node at 0x%x: single-mapping flag not allowed on this node type; "
			    "Linux skips the mapping", ia_iort_node_type_name(n->type), n->offset);
	}
}

int ia_iort_node_at(const struct ia_iort *iort, uint32_t offset, size_t *index)
{
	size_t lo = 0, hi;

	if (!iort)
		return -ENOENT;
	hi = iort->n_nodes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (iort->nodes[mid].offset == offset) {
			*index = mid;
			return 0;
		}
		if (iort->nodes[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -ENOENT;
}

/* Resolve every output reference and PMCG node reference to a node index. */
static void iort_link(struct ia_iort *t, struct ia_diags *d)
{
	for (size_t i = 0; i < t->n_nodes; i++) {
		struct ia_iort_node *n = &t->nodes[i];

		for (size_t j = 0; j < n->n_mappings; j++) {
			struct ia_iort_id_mapping *m = &t->mappings[n->first_mapping + j];

			m->output_valid = ia_iort_node_at(t, m->output_ref, &m->output_node) == 0;
			if (!m->output_valid)
				ia_diag_add(d, -IA_E_RANGE, IORT_WHERE, (int64_t)m->offset + 12,
					    "%s node at 0x%x: ID mapping output reference 0x%x is "
					    "not the offset of a node", ia_iort_node_type_name(n->type),
					    n->offset, m->output_ref);
		}
		if (n->type == IA_IORT_NODE_PMCG && n->data_ok) {
			struct ia_iort_pmcg *p = &n->u.pmcg;

			p->node_ref_valid = ia_iort_node_at(t, p->node_ref, &p->ref_node) == 0;
			if (!p->node_ref_valid)
				ia_diag_add(d, -IA_E_RANGE, IORT_WHERE, (int64_t)n->offset + 28,
					    "PMCG node at 0x%x: node reference 0x%x is not the "
					    "offset of a node", n->offset, p->node_ref);
		}
	}
}

/* Decode one node whose header has been bounds-checked; 0 or -ENOMEM. */
static int iort_node(struct ia_iort *t, struct iort_caps *caps, struct ia_iort_node *n,
		     const uint8_t *nb, struct ia_diags *d)
{
	size_t dend = n->length;
	int err = 0;

	/* Node data ends where the mapping array starts (when it lies inside the node). */
	if (n->mapping_count && n->mapping_offset >= IORT_NODE_HDR_LEN &&
	    n->mapping_offset < dend)
		dend = n->mapping_offset;
	n->known = n->type < IORT_N_KNOWN;
	if (!n->known) {
		ia_diag_add(d, -IA_E_UNSUPPORTED, IORT_WHERE, (int64_t)n->offset,
			    "node at 0x%x has unknown type %u; recorded and skipped", n->offset,
			    n->type);
	} else if (n->length < iort_fixed_len[n->type]) {
		ia_diag_add(d, -IA_E_BADLEN, IORT_WHERE, (int64_t)n->offset + 1,
			    "%s node at 0x%x is %u bytes, shorter than its %u-byte mandatory data",
			    ia_iort_node_type_name(n->type), n->offset, n->length,
			    iort_fixed_len[n->type]);
	} else {
		if (dend < iort_fixed_len[n->type])
			dend = iort_fixed_len[n->type]; /* overlap is diagnosed with the mappings */
		n->data_ok = true;
		switch (n->type) {
		case IA_IORT_NODE_ITS_GROUP:
			err = iort_its_group(t, caps, n, nb, dend, d);
			break;
		case IA_IORT_NODE_NAMED_COMPONENT:
			iort_named_component(n, nb, dend, d);
			break;
		case IA_IORT_NODE_PCI_ROOT_COMPLEX:
			iort_root_complex(n, nb, dend);
			break;
		case IA_IORT_NODE_SMMU:
			iort_smmu(n, nb);
			break;
		case IA_IORT_NODE_SMMU_V3:
			iort_smmu_v3(n, nb, dend);
			break;
		case IA_IORT_NODE_PMCG:
			iort_pmcg(n, nb, dend);
			break;
		case IA_IORT_NODE_RMR:
			err = iort_rmr(t, caps, n, nb, d);
			break;
		default:
			break;
		}
	}
	if (err)
		return err;
	err = iort_mappings(t, caps, n, nb, d);
	if (err)
		return err;
	iort_deviceid_index(n, d);
	iort_check_single(t, n, d);
	return 0;
}

int ia_iort_decode(const uint8_t *buf, size_t len, struct ia_iort *out, struct ia_diags *diags)
{
	struct iort_caps caps = {0};
	long use;
	size_t off;
	int ret;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	use = ia_acpi_hdr_decode(buf, len, "IORT", &out->hdr, diags);
	if (use < 0)
		return (int)use;
	if ((size_t)use < IORT_HDR_LEN) {
		ia_diag_add(diags, -IA_E_TRUNCATED, IORT_WHERE, use,
			    "table is %ld bytes, shorter than the 48-byte IORT header", use);
		return -IA_E_TRUNCATED;
	}
	out->node_count = ia_le32(buf, 36);
	out->node_array_offset = ia_le32(buf, 40);
	out->linux_honours_rmr = out->hdr.revision >= 5;
	off = out->node_array_offset;
	if (out->node_count && (off < IORT_HDR_LEN || off >= (size_t)use)) {
		ia_diag_add(diags, -IA_E_RANGE, IORT_WHERE, 40,
			    "node array offset 0x%x lies %s", out->node_array_offset,
			    off < IORT_HDR_LEN ? "inside the IORT header" : "past the table end");
		return -IA_E_RANGE;
	}
	for (uint32_t i = 0; i < out->node_count; i++) {
		struct ia_iort_node *n;

		if (!ia_in_bounds((size_t)use, off, IORT_NODE_HDR_LEN)) {
			ia_diag_add(diags, -IA_E_TRUNCATED, IORT_WHERE, (int64_t)off,
				    "node %u of %u at 0x%zx: node header runs past the %ld-byte table",
				    i, out->node_count, off, use);
			return -IA_E_TRUNCATED;
		}
		if (ia_le16(buf, off + 1) < IORT_NODE_HDR_LEN) {
			ia_diag_add(diags, -IA_E_BADLEN, IORT_WHERE, (int64_t)off + 1,
				    "node %u at 0x%zx has length %u, shorter than the 16-byte node "
				    "header; the walk stops", i, off, ia_le16(buf, off + 1));
			return -IA_E_BADLEN;
		}
		if (!ia_in_bounds((size_t)use, off, ia_le16(buf, off + 1))) {
			ia_diag_add(diags, -IA_E_TRUNCATED, IORT_WHERE, (int64_t)off + 1,
				    "node %u at 0x%zx (%u bytes) runs past the %ld-byte table", i, off,
				    ia_le16(buf, off + 1), use);
			return -IA_E_TRUNCATED;
		}
		if (ia_array_reserve((void **)&out->nodes, &caps.nodes, out->n_nodes + 1,
				 sizeof(*out->nodes)))
			return -ENOMEM;
		n = &out->nodes[out->n_nodes];
		memset(n, 0, sizeof(*n));
		n->offset = (uint32_t)off;
		n->type = buf[off];
		n->length = ia_le16(buf, off + 1);
		n->revision = buf[off + 3];
		n->identifier = ia_le32(buf, off + 4);
		n->mapping_count = ia_le32(buf, off + 8);
		n->mapping_offset = ia_le32(buf, off + 12);
		ret = iort_node(out, &caps, n, buf + off, diags);
		if (ret)
			return ret;
		out->n_nodes++;
		off += n->length;
	}
	iort_link(out, diags);
	return (int)out->n_nodes;
}

void ia_iort_free(struct ia_iort *iort)
{
	if (!iort)
		return;
	free(iort->nodes);
	free(iort->mappings);
	free(iort->its_ids);
	free(iort->rmr_descs);
	iort->nodes = NULL;
	iort->mappings = NULL;
	iort->its_ids = NULL;
	iort->rmr_descs = NULL;
	iort->n_nodes = iort->n_mappings = iort->n_its_ids = iort->n_rmr_descs = 0;
}

int ia_iort_find_rc(const struct ia_iort *iort, uint32_t segment, size_t *index)
{
	for (size_t i = 0; iort && i < iort->n_nodes; i++) {
		const struct ia_iort_node *n = &iort->nodes[i];

		if (n->type == IA_IORT_NODE_PCI_ROOT_COMPLEX && n->data_ok &&
		    n->u.rc.pci_segment == segment) {
			*index = i;
			return 0;
		}
	}
	return -ENOENT;
}

int ia_iort_its_id(const struct ia_iort *iort, size_t its_node, size_t i, uint32_t *its_id)
{
	const struct ia_iort_node *n;

	if (!iort || its_node >= iort->n_nodes)
		return -EINVAL;
	n = &iort->nodes[its_node];
	if (n->type != IA_IORT_NODE_ITS_GROUP || !n->data_ok)
		return -EINVAL;
	if (i >= n->u.its.n_its_ids)
		return -ERANGE;
	*its_id = iort->its_ids[n->u.its.first_its_id + i];
	return 0;
}

/*
 * Kernel iort_id_map(): 0 and *out set on a match; -EAGAIN and *out set on a match of the last
 * ID of a range of more than one ID (the count off-by-one); -ENXIO no match or a disallowed
 * single mapping. @overlap: an earlier range already matched at its last ID.
 */
static int iort_id_map(const struct ia_iort_id_mapping *m, uint8_t type, uint32_t id,
		       uint32_t *out, bool overlap)
{
	if (m->single) {
		if (type == IA_IORT_NODE_NAMED_COMPONENT || type == IA_IORT_NODE_PCI_ROOT_COMPLEX) {
			*out = m->output_base;
			return 0;
		}
		return -ENXIO;
	}
	if (id < m->input_base || (uint64_t)id > (uint64_t)m->input_base + m->id_count)
		return -ENXIO;
	/* A later range starting exactly here supersedes the earlier end-of-range match. */
	if (overlap && id != m->input_base)
		return -ENXIO;
	*out = m->output_base + (id - m->input_base);
	if (m->id_count > 0 && (uint64_t)id == (uint64_t)m->input_base + m->id_count)
		return -EAGAIN;
	return 0;
}

static int iort_walk_stop(struct ia_iort_map_result *res, int err)
{
	res->msi_status = err;
	return res->has_smmu ? 0 : err;
}

int ia_iort_map_id(const struct ia_iort *iort, size_t node, uint32_t input_id,
		   struct ia_iort_map_result *res)
{
	size_t visited[IA_IORT_MAX_HOPS + 1];
	size_t nvis = 0, cur = node;
	uint32_t id = input_id;

	if (!res)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	res->msi_status = -ENXIO;
	if (!iort || node >= iort->n_nodes)
		return -EINVAL;
	for (;;) {
		const struct ia_iort_node *n = &iort->nodes[cur];
		const struct ia_iort_id_mapping *maps, *hit = NULL, *end_hit = NULL;
		uint32_t map_id = id;
		size_t i;
		int rc = -ENXIO;

		for (size_t v = 0; v < nvis; v++)
			if (visited[v] == cur)
				return iort_walk_stop(res, -IA_E_LOOP);
		visited[nvis++] = cur;

		if ((n->type == IA_IORT_NODE_SMMU || n->type == IA_IORT_NODE_SMMU_V3) &&
		    !res->has_smmu) {
			res->has_smmu = true;
			res->smmu_node = cur;
			res->stream_id = id;
		}
		if (n->type == IA_IORT_NODE_ITS_GROUP) {
			res->has_its = true;
			res->its_node = cur;
			res->device_id = id;
			res->msi_status = 0;
			return 0;
		}
		if (!n->mapping_offset || !n->n_mappings)
			return iort_walk_stop(res, -ENXIO);
		maps = &iort->mappings[n->first_mapping];
		if (!maps[0].output_ref)  /* kernel: "ID map has NULL parent reference" */
			return iort_walk_stop(res, -IA_E_RANGE);
		for (i = 0; i < n->n_mappings; i++) {
			if (n->has_deviceid_index && i == n->deviceid_index)
				continue;
			rc = iort_id_map(&maps[i], n->type, map_id, &id, end_hit != NULL);
			if (rc == 0) {
				hit = &maps[i];
				break;
			}
			if (rc == -EAGAIN && maps[i].output_ref)
				end_hit = &maps[i];
		}
		if (!hit)
			hit = end_hit;
		if (!hit)
			return iort_walk_stop(res, -ENXIO);
		if (!hit->output_valid)
			return iort_walk_stop(res, -IA_E_RANGE);
		if (res->hops >= IA_IORT_MAX_HOPS)
			return iort_walk_stop(res, -IA_E_LOOP);
		res->hops++;
		cur = hit->output_node;
	}
}

int ia_iort_map_rid(const struct ia_iort *iort, uint32_t segment, uint16_t rid,
		    struct ia_iort_map_result *res)
{
	size_t rc;
	int err;

	if (!res)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	res->msi_status = -ENXIO;
	err = ia_iort_find_rc(iort, segment, &rc);
	if (err)
		return err;
	return ia_iort_map_id(iort, rc, rid, res);
}

int ia_iort_rmrs(const struct ia_iort *iort, struct ia_iort_rmrs *out)
{
	size_t cap_r = 0, cap_s = 0;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; iort && i < iort->n_nodes; i++) {
		const struct ia_iort_node *n = &iort->nodes[i];
		const struct ia_iort_rmr *r = &n->u.rmr;
		size_t first = out->n_sids;
		bool honours;

		if (n->type != IA_IORT_NODE_RMR || !n->data_ok)
			continue;
		if (ia_array_reserve((void **)&out->sids, &cap_s, out->n_sids + n->n_mappings,
				 sizeof(*out->sids)))
			goto nomem;
		for (size_t j = 0; j < n->n_mappings; j++) {
			const struct ia_iort_id_mapping *m = &iort->mappings[n->first_mapping + j];
			struct ia_iort_rmr_sids *s = &out->sids[out->n_sids++];

			s->smmu_valid = m->output_valid;
			s->smmu_node = m->output_valid ? m->output_node : 0;
			s->first_sid = m->output_base;
			s->sid_count = (uint64_t)m->id_count + 1; /* kernel: id_count + 1 */
		}
		/* Kernel iort_find_rmrs() / iort_node_get_rmr_info() preconditions. */
		honours = iort->linux_honours_rmr && n->mapping_offset && n->mapping_count &&
			  r->desc_offset && r->desc_count;
		if (ia_array_reserve((void **)&out->regions, &cap_r, out->n_regions + r->n_descs,
				 sizeof(*out->regions)))
			goto nomem;
		for (size_t k = 0; k < r->n_descs; k++) {
			const struct ia_iort_rmr_desc *x = &iort->rmr_descs[r->first_desc + k];
			struct ia_iort_rmr_region *g = &out->regions[out->n_regions++];

			g->rmr_node = i;
			g->base = x->base;
			g->length = x->length;
			g->relaxable = r->remap_permitted;
			g->access_privileged = r->access_privileged;
			g->access_attributes = r->access_attributes;
			g->linux_honours = honours;
			g->first_sids = first;
			g->n_sids = n->n_mappings;
		}
	}
	return (int)out->n_regions;
nomem:
	ia_iort_rmrs_free(out);
	return -ENOMEM;
}

void ia_iort_rmrs_free(struct ia_iort_rmrs *rmrs)
{
	if (!rmrs)
		return;
	free(rmrs->regions);
	free(rmrs->sids);
	memset(rmrs, 0, sizeof(*rmrs));
}
