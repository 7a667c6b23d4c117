// SPDX-License-Identifier: GPL-2.0-or-later
// The PCI topology model: pci_acs_enabled(), DMA aliases and the kernel's pci_device_group() prediction.
#include "topology.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/bdf.h"
#include "core/ia_err.h"
#include "core/text.h"
#include "quirks.h"

/* One memoised pci_acs_enabled(fn, REQ_ACS_FLAGS) answer. */
struct topo_acs_memo {
	bool done;
	enum ia_tri v;
	struct ia_acs_why why;
};

/* One memoised pci_acs_path_enabled(fn, NULL, REQ_ACS_FLAGS) answer. */
struct topo_path_memo {
	bool done;
	enum ia_tri v;
	bool has_fail;
	size_t fail;
};

struct ia_topo_model {
	struct ia_topo_bus *buses;
	size_t n_buses;
	struct ia_topo_fn *fns;
	size_t n_fns;
	struct ia_topo_env env;

	struct ia_topo_alias_info *alias; /* per function */
	uint32_t (*quirk_mask)[8];        /* per function: the alias bits that came from quirks */
	bool *bus_has_alias;              /* per bus: some function on it has a dma_alias_mask */
	size_t *order;                    /* probe order: function indices */
	size_t *rank;                     /* per function: position in order[] */
	size_t *bus_order;                /* buses in depth-first (probe) order */
	size_t *bus_first, *bus_count;    /* per bus: its range in bus_members[] */
	size_t *bus_members;              /* functions grouped by bus, each bus in probe order */
	size_t *slot_first, *slot_count;  /* per function: its slot's range in slot_members[] */
	size_t *slot_members;             /* functions sorted by (bus, slot, probe rank) */
	struct topo_acs_memo *acs_memo;
	struct topo_path_memo *path_memo;
};

/* ---------------------------------------------------------------- helpers */

const char *ia_topo_bdf(const struct ia_topo_fn *f, char buf[IA_BDF_BUFSZ])
{
	return ia_bdf_format(ia_bdf_from_devfn(f->domain, f->bus_nr, f->devfn), buf);
}

static bool topo_mask_test(const uint32_t mask[8], unsigned devfn)
{
	return (mask[(devfn >> 5) & 7] >> (devfn & 31)) & 1u;
}

static void topo_mask_set(uint32_t mask[8], unsigned devfn)
{
	mask[(devfn >> 5) & 7] |= 1u << (devfn & 31);
}

static bool topo_mask_any(const uint32_t mask[8])
{
	for (int i = 0; i < 8; i++)
		if (mask[i])
			return true;
	return false;
}

static bool topo_on_root_bus(const struct ia_topo_model *m, size_t fn)
{
	return m->buses[m->fns[fn].bus].is_root;
}

/* The bridge above function @fn (bus->self, stepping over SR-IOV virtual buses); false at the root. */
static bool topo_upstream_bridge(const struct ia_topo_model *m, size_t fn, size_t *out)
{
	int b = m->fns[fn].bus;

	for (unsigned guard = 0; guard <= IA_TOPO_MAX_DEPTH; guard++) {
		const struct ia_topo_bus *bus = &m->buses[b];

		if (bus->is_root)
			return false;
		if (bus->self >= 0) {
			*out = (size_t)bus->self;
			return true;
		}
		b = bus->parent;
	}
	return false;
}

static const char *topo_kind(const struct ia_topo_fn *f)
{
	if (f->is_pcie == IA_YES) {
		switch (f->pcie_type) {
		case IA_PCIE_ROOT_PORT: return "root port";
		case IA_PCIE_DOWNSTREAM: return "downstream port";
		case IA_PCIE_UPSTREAM: return "upstream port";
		case IA_PCIE_PCI_BRIDGE: return "PCIe-to-PCI bridge";
		case IA_PCIE_PCIE_BRIDGE: return "PCI/PCI-X-to-PCIe bridge";
		case IA_PCIE_RC_END: return "RCiEP";
		case IA_PCIE_RC_EC: return "RC event collector";
		default: return f->hdr_type == 1 ? "bridge" : "endpoint";
		}
	}
	if (f->hdr_type == 1)
		return f->is_pcie == IA_NO ? "conventional PCI bridge" : "bridge";
	return f->is_pcie == IA_NO ? "conventional PCI device" : "device";
}

/* Comma-separated names of ACS bits, e.g. "RR,CR". */
static const char *topo_acs_names(uint16_t bits, char buf[40])
{
	static const char *const names[] = { "SV", "TB", "RR", "CR", "UF", "EC", "DT" };
	struct ia_sb b;

	ia_sb_init_fixed(&b, buf, 40);
	for (unsigned i = 0; i < 7; i++)
		if (bits & (1u << i))
			ia_sb_printf(&b, "%s%s", b.len ? "," : "", names[i]);
	return buf;
}

/* ---------------------------------------------------------------- validation and indexing */

/* The subject of a validation diagnostic: a bus (@fn NULL) or a function. */
static const char *topo_where(const struct ia_topo_bus *b, const struct ia_topo_fn *fn, char buf[64])
{
	if (fn)
		return ia_topo_bdf(fn, buf);
	snprintf(buf, 64, "bus %04x:%02x", b->domain, b->number);
	return buf;
}

static int topo_fail(struct ia_diags *d, int *first, int code, const struct ia_topo_bus *b,
		     const struct ia_topo_fn *fn, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int topo_fail(struct ia_diags *d, int *first, int code, const struct ia_topo_bus *b,
		     const struct ia_topo_fn *fn, const char *fmt, ...)
{
	char msg[192], where[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d)
		ia_diag_add(d, code, topo_where(b, fn, where), -1, "%s", msg);
	if (!*first)
		*first = code;
	return code;
}

static int topo_cmp_bdf(const void *a, const void *b, void *ctx)
{
	const struct ia_topo_model *sm = ctx;

	const struct ia_topo_fn *x = &sm->fns[*(const size_t *)a];
	const struct ia_topo_fn *y = &sm->fns[*(const size_t *)b];

	if (x->domain != y->domain)
		return x->domain < y->domain ? -1 : 1;
	if (x->bus_nr != y->bus_nr)
		return x->bus_nr < y->bus_nr ? -1 : 1;
	if (x->devfn != y->devfn)
		return x->devfn < y->devfn ? -1 : 1;
	return 0;
}

static int topo_cmp_busnr(const void *a, const void *b, void *ctx)
{
	const struct ia_topo_model *sm = ctx;

	const struct ia_topo_bus *x = &sm->buses[*(const size_t *)a];
	const struct ia_topo_bus *y = &sm->buses[*(const size_t *)b];

	if (x->domain != y->domain)
		return x->domain < y->domain ? -1 : 1;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return 0;
}

/* Child buses of one parent: by the devfn of their bridge; virtual buses (no bridge) after, by number. */
static unsigned topo_child_key(const struct ia_topo_model *m, size_t b)
{
	const struct ia_topo_bus *bus = &m->buses[b];

	return bus->self >= 0 ? m->fns[bus->self].devfn : 256u + bus->number;
}

static int topo_cmp_child(const void *a, const void *b, void *ctx)
{
	const struct ia_topo_model *sm = ctx;

	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int px = sm->buses[x].parent, py = sm->buses[y].parent;
	unsigned kx, ky;

	if (px != py)
		return px < py ? -1 : 1;
	kx = topo_child_key(sm, x);
	ky = topo_child_key(sm, y);
	if (kx != ky)
		return kx < ky ? -1 : 1;
	return 0;
}

/* Physical functions by (bus, devfn); the caller leaves VFs out. */
static int topo_cmp_bus_devfn(const void *a, const void *b, void *ctx)
{
	const struct ia_topo_model *sm = ctx;

	const struct ia_topo_fn *x = &sm->fns[*(const size_t *)a];
	const struct ia_topo_fn *y = &sm->fns[*(const size_t *)b];

	if (x->bus != y->bus)
		return x->bus < y->bus ? -1 : 1;
	if (x->devfn != y->devfn)
		return x->devfn < y->devfn ? -1 : 1;
	return 0;
}

/* SR-IOV VFs: after every PF, by their PF's probe rank, then BDF. */
static int topo_cmp_vf(const void *a, const void *b, void *ctx)
{
	const struct ia_topo_model *sm = ctx;

	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t rx = sm->rank[sm->fns[x].pf];
	size_t ry = sm->rank[sm->fns[y].pf];

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return topo_cmp_bdf(a, b, ctx);
}

static int topo_cmp_slot(const void *a, const void *b, void *ctx)
{
	const struct ia_topo_model *sm = ctx;

	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct ia_topo_fn *fx = &sm->fns[x], *fy = &sm->fns[y];

	if (fx->bus != fy->bus)
		return fx->bus < fy->bus ? -1 : 1;
	if ((fx->devfn >> 3) != (fy->devfn >> 3))
		return (fx->devfn >> 3) < (fy->devfn >> 3) ? -1 : 1;
	if (sm->rank[x] != sm->rank[y])
		return sm->rank[x] < sm->rank[y] ? -1 : 1;
	return 0;
}

static int topo_validate(const struct ia_topo_model *m, struct ia_diags *d)
{
	char bdf[IA_BDF_BUFSZ];
	int first = 0;
	size_t i;

	/* Phase 1: every index in range and the root/parent structure, so phase 2 may follow them. */
	for (i = 0; i < m->n_buses; i++) {
		const struct ia_topo_bus *b = &m->buses[i];

		if (b->parent < -1 || (b->parent >= 0 && (size_t)b->parent >= m->n_buses))
			topo_fail(d, &first, -IA_E_RANGE, b, NULL, "parent index %d out of range", b->parent);
		if (b->self < -1 || (b->self >= 0 && (size_t)b->self >= m->n_fns))
			topo_fail(d, &first, -IA_E_RANGE, b, NULL, "self index %d out of range", b->self);
		if (b->is_root && (b->parent != -1 || b->self != -1))
			topo_fail(d, &first, -IA_E_FORMAT, b, NULL, "root bus with a parent or a bridge");
		if (!b->is_root && b->parent == -1)
			topo_fail(d, &first, -IA_E_FORMAT, b, NULL, "non-root bus without a parent");
	}
	for (i = 0; i < m->n_fns; i++) {
		const struct ia_topo_fn *f = &m->fns[i];

		if (f->bus < 0 || (size_t)f->bus >= m->n_buses)
			topo_fail(d, &first, -IA_E_RANGE, NULL, f, "bus index %d out of range", f->bus);
		if ((unsigned)f->is_pcie > IA_UNKNOWN || (unsigned)f->has_acs > IA_UNKNOWN)
			topo_fail(d, &first, -IA_E_RANGE, NULL, f, "is_pcie/has_acs not a tri-state value");
		if (f->is_pcie == IA_YES && f->pcie_type > 0xf)
			topo_fail(d, &first, -IA_E_RANGE, NULL, f, "PCIe type 0x%x exceeds 4 bits", f->pcie_type);
		if (f->is_vf && (f->pf < 0 || (size_t)f->pf >= m->n_fns))
			topo_fail(d, &first, -IA_E_RANGE, NULL, f, "VF with PF index %d out of range", f->pf);
		if (f->has_real_dma && (f->real_dma >= m->n_fns || m->fns[f->real_dma].has_real_dma))
			topo_fail(d, &first, -IA_E_RANGE, NULL, f, "DMA device index %zu out of range or itself redirected",
				  f->real_dma);
	}
	if (first)
		return first;
	/* Phase 2: loops and consistency. */
	for (i = 0; i < m->n_buses; i++) {
		const struct ia_topo_bus *b = &m->buses[i];
		int p = b->parent;
		unsigned depth = 0;

		while (p >= 0 && depth <= IA_TOPO_MAX_DEPTH) {
			p = m->buses[p].parent;
			depth++;
		}
		if (p >= 0) {
			topo_fail(d, &first, -IA_E_LOOP, b, NULL, "parent chain loops or nests deeper than %d",
				  IA_TOPO_MAX_DEPTH);
			continue;
		}
		if (b->parent >= 0 && m->buses[b->parent].domain != b->domain)
			topo_fail(d, &first, -IA_E_FORMAT, b, NULL, "parent bus is in another domain");
		if (b->self >= 0 && m->fns[b->self].bus != b->parent)
			topo_fail(d, &first, -IA_E_FORMAT, b, NULL, "bridge %s is not on the parent bus",
				  ia_topo_bdf(&m->fns[b->self], bdf));
	}
	for (i = 0; i < m->n_fns; i++) {
		const struct ia_topo_fn *f = &m->fns[i];

		if (m->buses[f->bus].domain != f->domain || m->buses[f->bus].number != f->bus_nr)
			topo_fail(d, &first, -IA_E_FORMAT, NULL, f, "BDF does not match bus %04x:%02x",
				  m->buses[f->bus].domain, m->buses[f->bus].number);
		if (f->is_vf && m->fns[f->pf].is_vf)
			topo_fail(d, &first, -IA_E_FORMAT, NULL, f, "VF whose PF is itself a VF");
		if (!f->is_vf && f->pf != -1)
			topo_fail(d, &first, -IA_E_FORMAT, NULL, f, "pf index %d set on a non-VF", f->pf);
	}
	if (first)
		return first;
	/* Phase 3: duplicate BDFs and duplicate bus numbers, by sorting. */
	size_t *idx = malloc(sizeof(*idx) * (m->n_fns > m->n_buses ? m->n_fns : m->n_buses) + 1);

	if (!idx)
		return -ENOMEM;
	for (i = 0; i < m->n_fns; i++)
		idx[i] = i;
	qsort_r(idx, m->n_fns, sizeof(*idx), topo_cmp_bdf, (void *)m);
	for (i = 1; i < m->n_fns; i++)
		if (topo_cmp_bdf(&idx[i - 1], &idx[i], (void *)m) == 0)
			topo_fail(d, &first, -IA_E_FORMAT, NULL, &m->fns[idx[i]],
				  "two functions with this BDF (indices %zu and %zu)", idx[i - 1], idx[i]);
	for (i = 0; i < m->n_buses; i++)
		idx[i] = i;
	qsort_r(idx, m->n_buses, sizeof(*idx), topo_cmp_busnr, (void *)m);
	for (i = 1; i < m->n_buses; i++)
		if (topo_cmp_busnr(&idx[i - 1], &idx[i], (void *)m) == 0)
			topo_fail(d, &first, -IA_E_FORMAT, &m->buses[idx[i]], NULL,
				  "two buses with this number");
	free(idx);
	return first;
}

/* Header fixups of drivers/pci/quirks.c that set dma_alias_mask and alias flags. */
static void topo_apply_alias_quirks(struct ia_topo_model *m, size_t i)
{
	struct ia_topo_fn *f = &m->fns[i];
	struct ia_topo_alias_info *a = &m->alias[i];
	uint32_t *qm = m->quirk_mask[i];
	unsigned slot = f->devfn >> 3, fnno = f->devfn & 7, s;
	size_t q, up;

	for (q = 0; q < ia_dma_alias_quirk_count; q++) {
		const struct ia_dma_alias_quirk *r = &ia_dma_alias_quirk_table[q];

		if ((!r->any_vendor && r->vendor != f->vendor) || !ia_dma_alias_quirk_matches(r, f))
			continue;
		switch (r->kind) {
		case IA_ALK_FUNC0:
			if (fnno != 0)
				topo_mask_set(qm, slot << 3);
			break;
		case IA_ALK_FUNC1:
			if (fnno != 1)
				topo_mask_set(qm, (slot << 3) | 1);
			break;
		case IA_ALK_FIXED: /* fixed_dma_alias_tbl[]: Adaptec 3405 / 3805 */
			if (f->subsys_vendor != 0x9005 ||
			    (f->subsys_device != 0x02bb && f->subsys_device != 0x02bc))
				continue;
			topo_mask_set(qm, 1u << 3);
			break;
		case IA_ALK_PCIE_BRIDGE:
			if (m->buses[f->bus].is_root || f->hdr_type != 1 || f->is_pcie != IA_NO ||
			    !topo_upstream_bridge(m, i, &up) || m->fns[up].is_pcie != IA_YES ||
			    m->fns[up].pcie_type == IA_PCIE_PCI_BRIDGE)
				continue;
			a->pcie_bridge_alias = true;
			break;
		case IA_ALK_MIC_X200:
			topo_mask_set(qm, 0x10u << 3);
			topo_mask_set(qm, 0x11u << 3);
			topo_mask_set(qm, (0x12u << 3) | 3);
			break;
		case IA_ALK_PEX_VCA:
			for (s = 0; s < 0x20; s++)
				for (unsigned fn = 0; fn < 5; fn++)
					topo_mask_set(qm, (s << 3) | fn);
			break;
		case IA_ALK_XLATE_ROOT:
			f->bridge_xlate_root = true;
			break;
		case IA_ALK_SWITCHTEC:
			a->alias_unpredictable = true;
			break;
		case IA_ALK_PLX_NTB:
			for (s = 0; s < 8; s++)
				qm[s] = 0xffffffffu;
			break;
		case IA_ALK_IVRS:
		case IA_ALK_VMD:
			continue;
		}
		if (!a->has_quirk) {
			a->has_quirk = true;
			a->quirk_row = q;
		}
	}
	for (s = 0; s < 8; s++)
		a->devfn_mask[s] = qm[s] | f->extra_alias_devfn[s];
	a->has_extra = topo_mask_any(f->extra_alias_devfn);
	a->bridge_xlate_root = f->bridge_xlate_root;
}

/* Probe order (pci_scan_child_bus() depth first, then VFs) and the per-bus and per-slot indices. */
static int topo_index(struct ia_topo_model *m)
{
	size_t nf = m->n_fns, nb = m->n_buses, i, n = 0, nroots = 0, top = 0;
	size_t *byb = malloc(sizeof(size_t) * (nf + 1));
	size_t *child = malloc(sizeof(size_t) * (nb + 1));
	size_t *cfirst = calloc(nb + 1, sizeof(size_t)), *ccount = calloc(nb + 1, sizeof(size_t));
	size_t *pfirst = calloc(nb + 1, sizeof(size_t)), *pcount = calloc(nb + 1, sizeof(size_t));
	size_t *stack = malloc(sizeof(size_t) * (nb + 1));
	size_t nbo = 0, nvf = 0, np;
	int ret = -ENOMEM;

	m->order = malloc(sizeof(size_t) * (nf + 1));
	m->rank = malloc(sizeof(size_t) * (nf + 1));
	m->bus_order = malloc(sizeof(size_t) * (nb + 1));
	m->bus_first = calloc(nb + 1, sizeof(size_t));
	m->bus_count = calloc(nb + 1, sizeof(size_t));
	m->bus_members = malloc(sizeof(size_t) * (nf + 1));
	m->slot_first = malloc(sizeof(size_t) * (nf + 1));
	m->slot_count = malloc(sizeof(size_t) * (nf + 1));
	m->slot_members = malloc(sizeof(size_t) * (nf + 1));
	if (!byb || !child || !cfirst || !ccount || !pfirst || !pcount || !stack || !m->order ||
	    !m->rank || !m->bus_order || !m->bus_first || !m->bus_count || !m->bus_members ||
	    !m->slot_first || !m->slot_count || !m->slot_members)
		goto out;

	/* Physical functions by (bus, devfn). */
	for (i = 0; i < nf; i++)
		if (!m->fns[i].is_vf)
			byb[n++] = i;
	np = n;
	qsort_r(byb, np, sizeof(size_t), topo_cmp_bus_devfn, (void *)m);
	for (i = 0; i < np; i++) {
		int b = m->fns[byb[i]].bus;

		if (pcount[b]++ == 0)
			pfirst[b] = i;
	}
	/* Child buses of each bus, in bridge devfn order; root buses by (domain, number). */
	for (i = 0; i < nb; i++)
		child[i] = i;
	qsort_r(child, nb, sizeof(size_t), topo_cmp_child, (void *)m);
	for (i = 0; i < nb; i++) {
		int p = m->buses[child[i]].parent;

		if (p < 0) {
			nroots++;
			continue;
		}
		if (ccount[p]++ == 0)
			cfirst[p] = i;
	}
	/* Roots sort first (parent -1); order them by (domain, number). */
	qsort_r(child, nroots, sizeof(size_t), topo_cmp_busnr, (void *)m);
	for (i = nroots; i-- > 0;)
		stack[top++] = child[i];
	n = 0;
	while (top) {
		size_t b = stack[--top];

		m->bus_order[nbo++] = b;
		for (i = 0; i < pcount[b]; i++)
			m->order[n++] = byb[pfirst[b] + i];
		for (i = ccount[b]; i-- > 0;)
			stack[top++] = child[cfirst[b] + i];
	}
	for (i = 0; i < n; i++)
		m->rank[m->order[i]] = i;
	/* VFs last, by PF rank then BDF. */
	for (i = 0; i < nf; i++)
		if (m->fns[i].is_vf)
			byb[nvf++] = i;
	qsort_r(byb, nvf, sizeof(size_t), topo_cmp_vf, (void *)m);
	for (i = 0; i < nvf; i++) {
		m->rank[byb[i]] = n;
		m->order[n++] = byb[i];
	}
	/* Per-bus member lists in probe order (a stable counting sort of order[]). */
	for (i = 0; i < nf; i++)
		m->bus_count[m->fns[i].bus]++;
	for (i = 0, n = 0; i < nb; i++) {
		m->bus_first[i] = n;
		n += m->bus_count[i];
		m->bus_count[i] = 0;
	}
	for (i = 0; i < nf; i++) {
		size_t f = m->order[i];
		int b = m->fns[f].bus;

		m->bus_members[m->bus_first[b] + m->bus_count[b]++] = f;
	}
	/* Slot lists: functions sorted by (bus, slot, rank); each function knows its slot's range. */
	for (i = 0; i < nf; i++)
		m->slot_members[i] = i;
	qsort_r(m->slot_members, nf, sizeof(size_t), topo_cmp_slot, (void *)m);
	for (i = 0; i < nf;) {
		size_t j = i;
		const struct ia_topo_fn *a = &m->fns[m->slot_members[i]];

		while (j < nf && m->fns[m->slot_members[j]].bus == a->bus &&
		       (m->fns[m->slot_members[j]].devfn >> 3) == (a->devfn >> 3))
			j++;
		for (size_t k = i; k < j; k++) {
			m->slot_first[m->slot_members[k]] = i;
			m->slot_count[m->slot_members[k]] = j - i;
		}
		i = j;
	}
	ret = 0;
out:
	free(byb);
	free(child);
	free(cfirst);
	free(ccount);
	free(pfirst);
	free(pcount);
	free(stack);
	return ret;
}

void ia_topo_model_free(struct ia_topo_model *m)
{
	if (!m)
		return;
	free(m->buses);
	free(m->fns);
	free(m->alias);
	free(m->quirk_mask);
	free(m->bus_has_alias);
	free(m->order);
	free(m->rank);
	free(m->bus_order);
	free(m->bus_first);
	free(m->bus_count);
	free(m->bus_members);
	free(m->slot_first);
	free(m->slot_count);
	free(m->slot_members);
	free(m->acs_memo);
	free(m->path_memo);
	free(m);
}

int ia_topo_model_new(const struct ia_topo *in, struct ia_topo_model **out, struct ia_diags *d)
{
	struct ia_topo_model *m;
	size_t i;
	int ret;

	if (!in || !out || (in->n_fns && !in->fns) || (in->n_buses && !in->buses))
		return -EINVAL;
	if (in->n_fns > IA_TOPO_MAX_FNS || in->n_buses > IA_TOPO_MAX_FNS) {
		if (d)
			ia_diag_add(d, -IA_E_TOOBIG, "topology", -1, "%zu functions / %zu buses exceed %u",
				    in->n_fns, in->n_buses, IA_TOPO_MAX_FNS);
		return -IA_E_TOOBIG;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->n_fns = in->n_fns;
	m->n_buses = in->n_buses;
	m->env = in->env;
	m->buses = malloc(sizeof(*m->buses) * (in->n_buses + 1));
	m->fns = malloc(sizeof(*m->fns) * (in->n_fns + 1));
	m->alias = calloc(in->n_fns + 1, sizeof(*m->alias));
	m->quirk_mask = calloc(in->n_fns + 1, sizeof(*m->quirk_mask));
	m->bus_has_alias = calloc(in->n_buses + 1, sizeof(bool));
	m->acs_memo = calloc(in->n_fns + 1, sizeof(*m->acs_memo));
	m->path_memo = calloc(in->n_fns + 1, sizeof(*m->path_memo));
	if (!m->buses || !m->fns || !m->alias || !m->quirk_mask || !m->bus_has_alias ||
	    !m->acs_memo || !m->path_memo) {
		ia_topo_model_free(m);
		return -ENOMEM;
	}
	if (in->n_buses)
		memcpy(m->buses, in->buses, sizeof(*m->buses) * in->n_buses);
	if (in->n_fns)
		memcpy(m->fns, in->fns, sizeof(*m->fns) * in->n_fns);
	ret = topo_validate(m, d);
	if (!ret)
		ret = topo_index(m);
	if (ret) {
		ia_topo_model_free(m);
		return ret;
	}
	for (i = 0; i < m->n_fns; i++) {
		topo_apply_alias_quirks(m, i);
		if (topo_mask_any(m->alias[i].devfn_mask))
			m->bus_has_alias[m->fns[i].bus] = true;
	}
	*out = m;
	return 0;
}

size_t ia_topo_n_fns(const struct ia_topo_model *m)
{
	return m ? m->n_fns : 0;
}

const struct ia_topo_fn *ia_topo_fn_get(const struct ia_topo_model *m, size_t fn)
{
	return m && fn < m->n_fns ? &m->fns[fn] : NULL;
}

/* ---------------------------------------------------------------- ACS */

static const char topo_why_pcie[] = "PCIe capability unreadable (config space past 0x40)";
static const char topo_why_acs[] = "ACS capability unreadable (extended config space)";

/* pci_acs_flags_enabled(): outcome set; the v7.0 IDT SV fixup (unconfirmed) widens it. */
static unsigned topo_flags_enabled(const struct ia_topo_model *m, const struct ia_topo_fn *f,
				   uint16_t flags, struct ia_acs_why *why)
{
	uint16_t req, miss;
	unsigned r;

	if (f->has_acs == IA_NO) {
		why->basis = IA_ACS_BY_NO_CAPABILITY;
		why->missing = flags;
		return flags ? IA_QO_DISABLED : IA_QO_ENABLED;
	}
	if (f->has_acs == IA_UNKNOWN) {
		why->basis = IA_ACS_BY_UNREADABLE;
		why->unknown_reason = topo_why_acs;
		return IA_QO_ENABLED | IA_QO_DISABLED;
	}
	why->basis = IA_ACS_BY_CAPABILITY;
	req = (uint16_t)(flags & (f->acs_cap | IA_ACS_EC));
	miss = (uint16_t)(req & ~f->acs_ctrl);
	why->missing = miss;
	r = miss ? IA_QO_DISABLED : IA_QO_ENABLED;
	if (ia_kb_has(&m->env.kernel, IA_KB_ACS_SV_CAP_FIXUP) != IA_NO) {
		for (size_t q = 0; q < ia_acs_quirk_count; q++) {
			const struct ia_acs_quirk *row = &ia_acs_quirk_table[q];
			uint16_t req2;

			if (row->status != IA_QS_CAP_FIXUP ||
			    !ia_acs_quirk_matches(row, f->vendor, f->device))
				continue;
			req2 = (uint16_t)(flags & ((f->acs_cap & ~IA_ACS_SV) | IA_ACS_EC));
			r |= (req2 & ~f->acs_ctrl) ? IA_QO_DISABLED : IA_QO_ENABLED;
			if (r == (IA_QO_ENABLED | IA_QO_DISABLED))
				why->unknown_reason = "v7.0 ACS SV capability fixup for this IDT switch (effect unconfirmed)";
			why->has_quirk = true;
			why->quirk_row = q;
			why->quirk_fn = row->fn_name;
			break;
		}
	}
	return r;
}

/* pci_acs_enabled() after the quirks: conventional PCI, then the PCIe port-type table. */
static unsigned topo_acs_standard(const struct ia_topo_model *m, const struct ia_topo_fn *f,
				  uint16_t flags, struct ia_acs_why *why)
{
	if (f->is_pcie == IA_UNKNOWN) {
		why->basis = IA_ACS_BY_UNREADABLE;
		why->unknown_reason = topo_why_pcie;
		return IA_QO_ENABLED | IA_QO_DISABLED;
	}
	if (f->is_pcie == IA_NO) {
		why->basis = IA_ACS_BY_NOT_PCIE;
		why->missing = flags;
		return IA_QO_DISABLED;
	}
	switch (f->pcie_type) {
	case IA_PCIE_PCIE_BRIDGE:
	case IA_PCIE_PCI_BRIDGE:
	case IA_PCIE_RC_EC:
		why->basis = IA_ACS_BY_BRIDGE_TYPE;
		why->missing = flags;
		return IA_QO_DISABLED;
	case IA_PCIE_DOWNSTREAM:
	case IA_PCIE_ROOT_PORT:
		return topo_flags_enabled(m, f, flags, why);
	case IA_PCIE_ENDPOINT:
	case IA_PCIE_UPSTREAM:
	case IA_PCIE_LEG_END:
	case IA_PCIE_RC_END:
		if (!f->multifunction)
			break;
		return topo_flags_enabled(m, f, flags, why);
	default:
		break;
	}
	why->basis = IA_ACS_BY_SINGLE_FUNCTION;
	return IA_QO_ENABLED;
}

static enum ia_tri topo_tri(unsigned outcomes)
{
	if (outcomes == IA_QO_ENABLED)
		return IA_YES;
	if (outcomes == IA_QO_DISABLED)
		return IA_NO;
	return IA_UNKNOWN;
}

/* pci_acs_enabled(): pci_dev_specific_acs_enabled() in table order, then the standard rule. */
static enum ia_tri topo_acs_eval(const struct ia_topo_model *m, size_t i, uint16_t flags,
				 bool skip_override, struct ia_acs_why *why)
{
	const struct ia_topo_fn *f = &m->fns[i];
	struct ia_acs_quirk_ctx c = { .fn = f, .on_root_bus = topo_on_root_bus(m, i), .env = &m->env };
	unsigned res = 0;
	bool pending = true;
	enum ia_tri t;

	memset(why, 0, sizeof(*why));
	for (size_t q = 0; q < ia_acs_quirk_count; q++) {
		const struct ia_acs_quirk *row = &ia_acs_quirk_table[q];
		unsigned o;

		if (!row->eval || (!row->any_vendor && row->vendor != f->vendor) ||
		    !ia_acs_quirk_matches(row, f->vendor, f->device) ||
		    (skip_override && row->status == IA_QS_OUT_OF_TREE))
			continue;
		c.unknown_reason = NULL;
		c.missing = 0;
		o = row->eval(&c, flags);
		if (o & (IA_QO_ENABLED | IA_QO_DISABLED)) {
			if (!why->has_quirk) {
				why->has_quirk = true;
				why->quirk_row = q;
				why->quirk_fn = row->fn_name;
				why->by_override = row->status == IA_QS_OUT_OF_TREE;
				why->basis = why->by_override ? IA_ACS_BY_OVERRIDE : IA_ACS_BY_QUIRK;
				why->missing = c.missing;
			}
			if (c.unknown_reason && !why->unknown_reason)
				why->unknown_reason = c.unknown_reason;
			res |= o & (IA_QO_ENABLED | IA_QO_DISABLED);
		}
		if (!(o & IA_QO_NONE)) {
			pending = false;
			break;
		}
	}
	if (pending) {
		struct ia_acs_why std;

		memset(&std, 0, sizeof(std));
		res |= topo_acs_standard(m, f, flags, &std);
		if (!why->has_quirk) {
			*why = std;
		} else if (topo_tri(res) != IA_UNKNOWN) {
			/* a quirk might have answered, but the same way: the standard rule explains it */
			why->basis = std.basis;
			why->missing = std.missing;
		} else if (!why->unknown_reason) {
			why->unknown_reason = std.unknown_reason;
		}
	}
	t = topo_tri(res);
	if (t == IA_UNKNOWN) {
		why->basis = IA_ACS_BY_UNREADABLE;
		if (!why->unknown_reason)
			why->unknown_reason = "unknown";
	} else {
		why->unknown_reason = NULL;
	}
	return t;
}

/* Memoised pci_acs_enabled(fn, REQ_ACS_FLAGS). */
static const struct topo_acs_memo *topo_acs_req(struct ia_topo_model *m, size_t i)
{
	struct topo_acs_memo *c = &m->acs_memo[i];

	if (!c->done) {
		c->v = topo_acs_eval(m, i, IA_ACS_REQ, false, &c->why);
		c->done = true;
	}
	return c;
}

/* REQ_ACS_FLAGS as the hardware behaves: the pcie_acs_override emulation is ignored. */
static struct topo_acs_memo topo_acs_hw(struct ia_topo_model *m, size_t i)
{
	struct topo_acs_memo r = { .done = true };

	if (!m->env.acs_override_downstream && !m->env.acs_override_multifunction &&
	    m->env.n_acs_override_ids <= 0)
		return *topo_acs_req(m, i);
	r.v = topo_acs_eval(m, i, IA_ACS_REQ, true, &r.why);
	return r;
}

enum ia_tri ia_topo_acs_enabled(struct ia_topo_model *m, size_t fn, uint16_t flags,
				struct ia_acs_why *why)
{
	struct ia_acs_why tmp;

	if (!why)
		why = &tmp;
	if (!m || fn >= m->n_fns) {
		memset(why, 0, sizeof(*why));
		why->basis = IA_ACS_BY_UNREADABLE;
		why->unknown_reason = "no such function";
		return IA_UNKNOWN;
	}
	if (flags == IA_ACS_REQ) {
		*why = topo_acs_req(m, fn)->why;
		return m->acs_memo[fn].v;
	}
	return topo_acs_eval(m, fn, flags, false, why);
}

/* pci_acs_path_enabled(start, NULL, flags), memoised for REQ_ACS_FLAGS. */
static struct topo_path_memo topo_path(struct ia_topo_model *m, size_t start, uint16_t flags,
				       unsigned depth)
{
	struct topo_path_memo r = { .done = true, .v = IA_YES };
	struct ia_acs_why why;
	enum ia_tri self;
	size_t up;

	if (flags == IA_ACS_REQ && m->path_memo[start].done)
		return m->path_memo[start];
	self = flags == IA_ACS_REQ ? topo_acs_req(m, start)->v : topo_acs_eval(m, start, flags, false, &why);
	if (self == IA_NO) {
		r.v = IA_NO;
		r.has_fail = true;
		r.fail = start;
	} else if (depth <= IA_TOPO_MAX_DEPTH && topo_upstream_bridge(m, start, &up)) {
		struct topo_path_memo above = topo_path(m, up, flags, depth + 1);

		if (above.v == IA_NO) {
			r = above;
		} else if (self == IA_UNKNOWN) {
			r.v = IA_UNKNOWN;
			r.has_fail = true;
			r.fail = start;
		} else {
			r = above;
		}
	} else if (self == IA_UNKNOWN) {
		r.v = IA_UNKNOWN;
		r.has_fail = true;
		r.fail = start;
	}
	r.done = true;
	if (flags == IA_ACS_REQ)
		m->path_memo[start] = r;
	return r;
}

enum ia_tri ia_topo_acs_path_enabled(struct ia_topo_model *m, size_t start, uint16_t flags,
				     bool *has_fail, size_t *first_fail)
{
	struct topo_path_memo r;

	if (!m || start >= m->n_fns) {
		if (has_fail)
			*has_fail = false;
		return IA_UNKNOWN;
	}
	r = topo_path(m, start, flags, 0);
	if (has_fail)
		*has_fail = r.has_fail;
	if (first_fail && r.has_fail)
		*first_fail = r.fail;
	return r.v;
}

/* ---------------------------------------------------------------- DMA aliases */

int ia_topo_dma_alias_info(const struct ia_topo_model *m, size_t fn, struct ia_topo_alias_info *out)
{
	if (!m || !out)
		return -EINVAL;
	if (fn >= m->n_fns)
		return -IA_E_RANGE;
	*out = m->alias[fn];
	return 0;
}

int ia_topo_for_each_dma_alias(const struct ia_topo_model *m, size_t fn, ia_topo_alias_cb cb,
			       void *ctx)
{
	const struct ia_topo_fn *f;
	int ret, b;

	if (!m || !cb)
		return -EINVAL;
	if (fn >= m->n_fns)
		return -IA_E_RANGE;
	f = &m->fns[fn];
	if (f->has_real_dma) { /* pdev = pci_real_dma_dev(pdev): the walk is the VMD endpoint's */
		fn = f->real_dma;
		f = &m->fns[fn];
	}
	ret = cb(m, fn, f->domain, (uint16_t)(f->bus_nr << 8 | f->devfn), false, ctx);
	if (ret)
		return ret;
	for (unsigned w = 0; w < 8; w++) {
		uint32_t bits = m->alias[fn].devfn_mask[w];

		for (unsigned bit = 0; bits; bit++, bits >>= 1) {
			if (!(bits & 1u))
				continue;
			ret = cb(m, fn, f->domain, (uint16_t)(f->bus_nr << 8 | (w << 5 | bit)), false, ctx);
			if (ret)
				return ret;
		}
	}
	b = f->bus;
	for (unsigned guard = 0; guard <= IA_TOPO_MAX_DEPTH && !m->buses[b].is_root;
	     guard++, b = m->buses[b].parent) {
		const struct ia_topo_bus *bus = &m->buses[b];
		const struct ia_topo_fn *br;
		uint16_t own, sec;

		if (bus->self < 0)
			continue; /* SR-IOV virtual bus */
		br = &m->fns[bus->self];
		if (br->bridge_xlate_root)
			return 0;
		own = (uint16_t)(br->bus_nr << 8 | br->devfn);
		sec = (uint16_t)(bus->number << 8); /* tmp->subordinate->number, devfn 00.0 */
		if (br->is_pcie == IA_YES) {
			switch (br->pcie_type) {
			case IA_PCIE_PCI_BRIDGE:
				ret = cb(m, (size_t)bus->self, br->domain, sec, false, ctx);
				break;
			case IA_PCIE_PCIE_BRIDGE:
				ret = cb(m, (size_t)bus->self, br->domain, own, false, ctx);
				break;
			default: /* Root, Upstream, Downstream ports and others: RID preserved */
				ret = 0;
				break;
			}
		} else if (m->alias[bus->self].pcie_bridge_alias) {
			ret = cb(m, (size_t)bus->self, br->domain, sec, br->is_pcie == IA_UNKNOWN, ctx);
		} else {
			ret = cb(m, (size_t)bus->self, br->domain, own, br->is_pcie == IA_UNKNOWN, ctx);
		}
		if (ret)
			return ret;
	}
	return 0;
}

struct topo_rids {
	struct ia_topo_rid *out;
	size_t cap, n;
	bool more;
};

static int topo_rid_cb(const struct ia_topo_model *m, size_t dev, uint32_t domain, uint16_t rid, bool uncertain,
		       void *ctx)
{
	struct topo_rids *r = ctx;

	(void)m; (void)dev; (void)uncertain;
	for (size_t i = 0; i < r->n; i++)
		if (r->out[i].domain == domain && r->out[i].rid == rid)
			return 0;
	if (r->n == r->cap) {
		r->more = true;
		return 1;
	}
	r->out[r->n++] = (struct ia_topo_rid){ domain, rid };
	return 0;
}

int ia_topo_dma_alias_rids(const struct ia_topo_model *m, size_t fn, struct ia_topo_rid *out, size_t cap)
{
	struct topo_rids r = { out, cap, 0, false };
	int rc;

	if (!out)
		return -EINVAL;
	if ((rc = ia_topo_for_each_dma_alias(m, fn, topo_rid_cb, &r)) < 0)
		return rc;
	return r.more ? -E2BIG : (int)r.n;
}

/* pci_devs_are_dma_aliases() (drivers/pci/pci.c, 6.12). */
static bool topo_are_aliases(const struct ia_topo_model *m, size_t a, size_t b)
{
	return topo_mask_test(m->alias[a].devfn_mask, m->fns[b].devfn) ||
	       topo_mask_test(m->alias[b].devfn_mask, m->fns[a].devfn) ||
	       (m->fns[a].has_real_dma && m->fns[a].real_dma == b) ||
	       (m->fns[b].has_real_dma && m->fns[b].real_dma == a);
}

/* ---------------------------------------------------------------- group prediction */

/* Clauses explaining one group, de-duplicated. */
struct topo_clauses {
	char **v;
	size_t n, cap, dropped;
};

#define TOPO_MAX_CLAUSES 12

struct topo_pred {
	struct ia_topo_model *m;
	struct ia_topo_groups *g;
	size_t cap_groups;
	struct topo_clauses *cl;   /* per group */
	uint32_t visited[8];       /* devfns, shared by steps 3 and 4 (pci_device_group()'s devfns[]) */
	bool uncertain;            /* of the device being grouped */
	char reason[192];
	/* step 1 state */
	size_t last;
	bool found;
	size_t found_dev;
	int err;
};

static void topo_uncertain(struct topo_pred *P, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void topo_uncertain(struct topo_pred *P, const char *fmt, ...)
{
	va_list ap;

	if (P->uncertain)
		return;
	P->uncertain = true;
	va_start(ap, fmt);
	vsnprintf(P->reason, sizeof(P->reason), fmt, ap);
	va_end(ap);
}

static void topo_clause(struct topo_pred *P, size_t g, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void topo_clause(struct topo_pred *P, size_t g, const char *fmt, ...)
{
	struct topo_clauses *c = &P->cl[g];
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i], buf) == 0)
			return;
	if (c->n >= TOPO_MAX_CLAUSES) {
		c->dropped++;
		return;
	}
	char **nv = ia_array_grow(c->v, &c->cap, c->n + 1, sizeof(*nv));

	if (!nv) {
		P->err = -ENOMEM;
		return;
	}
	c->v = nv;
	c->v[c->n] = strdup(buf);
	if (!c->v[c->n]) {
		P->err = -ENOMEM;
		return;
	}
	c->n++;
}

/* Why @f fails REQ_ACS_FLAGS, for messages: "has no ACS", "has ACS but RR,CR not enabled", ... */
static const char *topo_acs_text(const struct topo_acs_memo *a, char buf[128])
{
	char names[40];

	if (a->v == IA_UNKNOWN) {
		snprintf(buf, 128, "ACS state unknown (%s)", a->why.unknown_reason);
		return buf;
	}
	switch (a->why.basis) {
	case IA_ACS_BY_NO_CAPABILITY:
		return "has no ACS";
	case IA_ACS_BY_CAPABILITY:
		snprintf(buf, 128, "has ACS but %s not enabled", topo_acs_names(a->why.missing, names));
		return buf;
	case IA_ACS_BY_QUIRK:
		snprintf(buf, 128, "is not isolated per ACS quirk %s", a->why.quirk_fn);
		return buf;
	case IA_ACS_BY_OVERRIDE:
		return "is not isolated (pcie_acs_override)";
	case IA_ACS_BY_NOT_PCIE:
		return "is conventional PCI (no ACS)";
	case IA_ACS_BY_BRIDGE_TYPE:
		return "is a bridge type that never has ACS";
	default:
		return "is not ACS-isolated";
	}
}

static void topo_note_acs(struct topo_pred *P, size_t fn, const struct topo_acs_memo *a)
{
	char bdf[IA_BDF_BUFSZ];

	if (a->v == IA_UNKNOWN)
		topo_uncertain(P, "ACS of %s unknown: %s (treated as not enabled)",
			       ia_topo_bdf(&P->m->fns[fn], bdf), a->why.unknown_reason);
}

static void topo_alias_clause(struct topo_pred *P, size_t g, size_t p, size_t t)
{
	const struct ia_topo_model *m = P->m;
	size_t src = topo_mask_test(m->alias[p].devfn_mask, m->fns[t].devfn) ? p : t;
	size_t dst = src == p ? t : p;
	const struct ia_topo_fn *f = &m->fns[src];
	const struct ia_topo_alias_info *a = &m->alias[src];
	char bdf[IA_BDF_BUFSZ], bdf2[IA_BDF_BUFSZ];

	if (topo_mask_test(m->quirk_mask[src], m->fns[dst].devfn) && a->has_quirk) {
		const struct ia_dma_alias_quirk *q = &ia_dma_alias_quirk_table[a->quirk_row];
		const char *what = q->kind == IA_ALK_FUNC0 ? "func0" :
				   q->kind == IA_ALK_FUNC1 ? "func1" :
				   q->kind == IA_ALK_FIXED ? "fixed alias 01.0" :
				   q->kind == IA_ALK_MIC_X200 ? "MIC x200 aliases" :
				   q->kind == IA_ALK_PEX_VCA ? "VCA aliases" :
				   q->kind == IA_ALK_PLX_NTB ? "PLX NTB all devfns" : q->fn_name;

		topo_clause(P, g, "DMA alias quirk %s %04x:%04x %s (%s)", q->vendor_name, f->vendor,
			    f->device, what, ia_topo_bdf(f, bdf));
	} else {
		topo_clause(P, g, "caller-supplied DMA alias %s -> %s", ia_topo_bdf(f, bdf),
			    ia_topo_bdf(&m->fns[dst], bdf2));
	}
}

static bool topo_function_alias_group(struct topo_pred *P, size_t p, size_t *g, size_t *via,
				      unsigned depth);

/* get_pci_alias_group() */
static bool topo_alias_group(struct topo_pred *P, size_t p, size_t *g, size_t *via, unsigned depth)
{
	struct ia_topo_model *m = P->m;
	const struct ia_topo_fn *f = &m->fns[p];
	size_t b, i;

	if (topo_mask_test(P->visited, f->devfn))
		return false;
	topo_mask_set(P->visited, f->devfn);
	if (P->g->fn[p].has_group) {
		*g = P->g->fn[p].group;
		*via = p;
		return true;
	}
	b = (size_t)f->bus;
	if (!m->bus_has_alias[b] || depth > 2 * 256)
		return false;
	for (i = 0; i < m->bus_count[b]; i++) {
		size_t t = m->bus_members[m->bus_first[b] + i];

		if (t == p || !topo_are_aliases(m, p, t))
			continue;
		if (topo_alias_group(P, t, g, via, depth + 1) ||
		    topo_function_alias_group(P, t, g, via, depth + 1)) {
			topo_alias_clause(P, *g, p, t);
			return true;
		}
	}
	return false;
}

/* get_pci_function_alias_group() */
static bool topo_function_alias_group(struct topo_pred *P, size_t p, size_t *g, size_t *via,
				      unsigned depth)
{
	struct ia_topo_model *m = P->m;
	const struct ia_topo_fn *f = &m->fns[p];
	const struct topo_acs_memo *a;

	if (!f->multifunction)
		return false;
	a = topo_acs_req(m, p);
	topo_note_acs(P, p, a);
	if (a->v == IA_YES)
		return false;
	for (size_t i = 0; i < m->slot_count[p]; i++) {
		size_t t = m->slot_members[m->slot_first[p] + i];
		const struct topo_acs_memo *at;

		if (t == p)
			continue;
		at = topo_acs_req(m, t);
		topo_note_acs(P, t, at);
		if (at->v == IA_YES)
			continue;
		if (topo_alias_group(P, t, g, via, depth + 1)) {
			topo_clause(P, *g, "multifunction slot %04x:%02x:%02x without ACS", f->domain,
				    f->bus_nr, f->devfn >> 3);
			return true;
		}
	}
	return false;
}

/* get_pci_alias_or_group(): the step-1 callback. */
static int topo_step1_cb(const struct ia_topo_model *m, size_t dev, uint32_t domain, uint16_t rid,
			 bool uncertain, void *ctx)
{
	struct topo_pred *P = ctx;
	char bdf[IA_BDF_BUFSZ];

	(void)domain;
	(void)rid;
	if (uncertain)
		topo_uncertain(P, "PCIe capability of bridge %s unreadable: treated as a conventional "
			       "bridge (aliases its subtree)", ia_topo_bdf(&m->fns[dev], bdf));
	P->last = dev;
	if (P->g->fn[dev].has_group) {
		P->found = true;
		P->found_dev = dev;
		return 1;
	}
	return 0;
}

static void topo_bridge_clause(struct topo_pred *P, size_t g, size_t br)
{
	const struct ia_topo_fn *f = &P->m->fns[br];
	char bdf[IA_BDF_BUFSZ];

	ia_topo_bdf(f, bdf);
	if (f->hdr_type == 0) /* not a bridge: the alias walk began at pci_real_dma_dev() */
		topo_clause(P, g, "behind Intel VMD %s (pci_real_dma_dev(): DMA carries its requester ID)", bdf);
	else if (f->is_pcie == IA_YES && f->pcie_type == IA_PCIE_PCI_BRIDGE)
		topo_clause(P, g, "behind PCIe-to-PCI bridge %s", bdf);
	else if (f->is_pcie == IA_YES)
		topo_clause(P, g, "behind PCI/PCI-X-to-PCIe bridge %s", bdf);
	else if (P->m->alias[br].pcie_bridge_alias)
		topo_clause(P, g, "behind PCIe-to-PCI bridge %s (no PCIe capability; "
			    "quirk_use_pcie_bridge_dma_alias)", bdf);
	else if (f->is_pcie == IA_NO)
		topo_clause(P, g, "behind conventional PCI bridge %s", bdf);
	else
		topo_clause(P, g, "behind bridge %s (PCIe capability unreadable)", bdf);
}

static void topo_path_clause(struct topo_pred *P, size_t g, size_t br)
{
	struct ia_topo_model *m = P->m;
	const struct topo_path_memo *pm = &m->path_memo[br];
	size_t fail = pm->has_fail ? pm->fail : br;
	char bdf[IA_BDF_BUFSZ], fbdf[IA_BDF_BUFSZ], txt[128];

	ia_topo_bdf(&m->fns[br], bdf);
	if (fail == br)
		topo_clause(P, g, "%s (%s) %s: its subtree shares a group", bdf,
			    topo_kind(&m->fns[br]), topo_acs_text(topo_acs_req(m, br), txt));
	else
		topo_clause(P, g, "%s (%s) above %s %s: the subtree of %s shares a group",
			    ia_topo_bdf(&m->fns[fail], fbdf), topo_kind(&m->fns[fail]), bdf,
			    topo_acs_text(topo_acs_req(m, fail), txt), bdf);
}

static int topo_new_group(struct topo_pred *P, size_t *g)
{
	/* two parallel arrays of one capacity: each grows the same way, new slots zeroed */
	size_t need = P->g->n_groups + 1, ccl = P->cap_groups, cg = P->cap_groups;
	struct topo_clauses *ncl = ia_array_grow(P->cl, &ccl, need, sizeof(*ncl));

	if (!ncl)
		return -ENOMEM;
	P->cl = ncl;
	struct ia_topo_group *ng = ia_array_grow(P->g->groups, &cg, need, sizeof(*ng));

	if (!ng)
		return -ENOMEM;
	P->g->groups = ng;
	P->cap_groups = ccl < cg ? ccl : cg;
	*g = P->g->n_groups++;
	return 0;
}

static void topo_join(struct topo_pred *P, size_t dev, size_t g, enum ia_grp_rule rule, bool has_via,
		      size_t via)
{
	struct ia_topo_fn_group *r = &P->g->fn[dev];
	struct ia_topo_group *grp = &P->g->groups[g];
	char bdf[IA_BDF_BUFSZ];

	if (P->m->alias[dev].alias_unpredictable)
		topo_uncertain(P, "Switchtec NTB %s: its DMA aliases are read from device MMIO at boot "
			       "and cannot be predicted", ia_topo_bdf(&P->m->fns[dev], bdf));
	r->has_group = true;
	r->group = g;
	r->rule = rule;
	r->has_via = has_via;
	r->via = via;
	r->uncertain = P->uncertain;
	if (P->uncertain && !grp->uncertain) {
		grp->uncertain = true;
		grp->uncertain_reason = strdup(P->reason);
		if (!grp->uncertain_reason)
			P->err = -ENOMEM;
	}
}

/* pci_device_group() for one device. */
static int topo_device_group(struct topo_pred *P, size_t dev)
{
	struct ia_topo_model *m = P->m;
	size_t p, g, via, up;
	int b;

	P->uncertain = false;
	P->reason[0] = 0;
	memset(P->visited, 0, sizeof(P->visited));

	/* Step 1: the topological DMA alias walk. */
	P->found = false;
	P->last = dev;
	ia_topo_for_each_dma_alias(m, dev, topo_step1_cb, P);
	if (P->found) {
		topo_bridge_clause(P, P->g->fn[P->found_dev].group, P->found_dev);
		topo_join(P, dev, P->g->fn[P->found_dev].group, IA_GRP_ALIAS_BRIDGE, true, P->found_dev);
		return P->err;
	}
	p = P->last;

	/* Step 2: upstream until the path above is ACS-isolated. */
	b = m->fns[p].bus;
	for (unsigned guard = 0; guard <= IA_TOPO_MAX_DEPTH && !m->buses[b].is_root;
	     guard++, b = m->buses[b].parent) {
		struct topo_path_memo pm;
		char bdf[IA_BDF_BUFSZ];

		if (m->buses[b].self < 0)
			continue;
		up = (size_t)m->buses[b].self;
		pm = topo_path(m, up, IA_ACS_REQ, 0);
		if (pm.v == IA_UNKNOWN)
			topo_uncertain(P, "ACS of %s on the path to the root unknown: %s (treated as not "
				       "enabled)", ia_topo_bdf(&m->fns[pm.fail], bdf),
				       topo_acs_req(m, pm.fail)->why.unknown_reason);
		if (pm.v == IA_YES)
			break;
		p = up;
		if (P->g->fn[p].has_group) {
			topo_path_clause(P, P->g->fn[p].group, p);
			topo_join(P, dev, P->g->fn[p].group, IA_GRP_ACS_PATH, true, p);
			return P->err;
		}
	}

	/* Step 3: DMA alias relationships on p's bus. */
	if (topo_alias_group(P, p, &g, &via, 0)) {
		topo_join(P, dev, g, IA_GRP_DMA_ALIAS, true, via);
		return P->err;
	}
	/* Step 4: non-isolated functions of p's slot. */
	if (topo_function_alias_group(P, p, &g, &via, 0)) {
		topo_join(P, dev, g, IA_GRP_FUNCTION_ALIAS, true, via);
		return P->err;
	}
	if (topo_new_group(P, &g))
		return -ENOMEM;
	if (p != dev) {
		/* p is a bridge without a group (not covered by an IOMMU, or probed later). */
		if (m->fns[p].hdr_type == 1 && P->last == p)
			topo_bridge_clause(P, g, p);
		else
			topo_path_clause(P, g, p);
	}
	topo_join(P, dev, g, IA_GRP_NEW, false, 0);
	return P->err;
}

void ia_topo_groups_free(struct ia_topo_groups *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_groups; i++) {
		free(g->groups[i].members);
		free(g->groups[i].basis);
		free(g->groups[i].uncertain_reason);
	}
	free(g->groups);
	free(g->fn);
	free(g->probe_order);
	free(g);
}

/* Join a group's clauses into its basis string. */
static char *topo_basis(const struct topo_clauses *c, size_t n_members)
{
	size_t len = 1, i;
	char *s, *w;

	if (c->n == 0)
		return strdup(n_members > 1 ? "grouped" : "isolated");
	for (i = 0; i < c->n; i++)
		len += strlen(c->v[i]) + 2;
	len += 32;
	s = malloc(len);
	if (!s)
		return NULL;
	w = s;
	for (i = 0; i < c->n; i++)
		w += sprintf(w, "%s%s", i ? "; " : "", c->v[i]);
	if (c->dropped)
		sprintf(w, "; and %zu more", c->dropped);
	return s;
}

int ia_topo_predict_groups(struct ia_topo_model *m, const bool *no_iommu,
			   struct ia_topo_groups **out)
{
	struct topo_pred P;
	struct ia_topo_groups *g;
	size_t i, k;
	int ret = 0;

	if (!m || !out)
		return -EINVAL;
	memset(&P, 0, sizeof(P));
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->n_fns = m->n_fns;
	g->fn = calloc(m->n_fns + 1, sizeof(*g->fn));
	g->probe_order = malloc(sizeof(size_t) * (m->n_fns + 1));
	if (!g->fn || !g->probe_order) {
		ia_topo_groups_free(g);
		return -ENOMEM;
	}
	memcpy(g->probe_order, m->order, sizeof(size_t) * m->n_fns);
	P.m = m;
	P.g = g;
	for (i = 0; i < m->n_fns && !ret; i++) {
		size_t dev = m->order[i];

		g->fn[dev].probe_rank = i;
		if (no_iommu && no_iommu[dev])
			continue;
		ret = topo_device_group(&P, dev);
	}
	/* Members in probe order, then each group's basis. */
	for (i = 0; i < m->n_fns && !ret; i++) {
		size_t dev = m->order[i];

		if (g->fn[dev].has_group)
			g->groups[g->fn[dev].group].n_members++;
	}
	for (k = 0; k < g->n_groups && !ret; k++) {
		g->groups[k].members = malloc(sizeof(size_t) * (g->groups[k].n_members + 1));
		g->groups[k].n_members = 0;
		if (!g->groups[k].members)
			ret = -ENOMEM;
	}
	for (i = 0; i < m->n_fns && !ret; i++) {
		size_t dev = m->order[i];
		struct ia_topo_group *grp;

		if (!g->fn[dev].has_group)
			continue;
		grp = &g->groups[g->fn[dev].group];
		grp->members[grp->n_members++] = dev;
	}
	for (k = 0; k < g->n_groups && !ret; k++) {
		g->groups[k].basis = topo_basis(&P.cl[k], g->groups[k].n_members);
		if (!g->groups[k].basis)
			ret = -ENOMEM;
	}
	for (k = 0; k < P.cap_groups; k++) {
		for (i = 0; i < P.cl[k].n; i++)
			free(P.cl[k].v[i]);
		free(P.cl[k].v);
	}
	free(P.cl);
	if (ret) {
		ia_topo_groups_free(g);
		return ret;
	}
	*out = g;
	return 0;
}

/* ---------------------------------------------------------------- isolation domains */

static size_t topo_find(size_t *uf, size_t x)
{
	while (uf[x] != x) {
		uf[x] = uf[uf[x]];
		x = uf[x];
	}
	return x;
}

/* Union; true when two different sets were merged. */
static bool topo_union(size_t *uf, size_t a, size_t b)
{
	a = topo_find(uf, a);
	b = topo_find(uf, b);
	if (a == b)
		return false;
	if (a < b)
		uf[b] = a;
	else
		uf[a] = b;
	return true;
}

struct topo_blame_rec {
	size_t anchor;           /* a function of the merged set */
	struct ia_topo_blame b;
};

void ia_topo_domains_free(struct ia_topo_domains *d)
{
	if (!d)
		return;
	for (size_t i = 0; d->v && i < d->n; i++) { /* d->v is NULL when its allocation failed */
		free(d->v[i].members);
		free(d->v[i].groups);
		free(d->v[i].blame);
	}
	free(d->v);
	free(d->domain_of);
	free(d);
}

/* Whether @fn, not ACS-isolated, has P2P Request and Completion Redirect enabled all the same
 * (pci_acs_enabled() also wants SV and UF): then it is "not ACS-isolated", not "lacking redirect". */
static bool topo_has_redirect(struct ia_topo_model *m, size_t fn)
{
	const struct topo_acs_memo hw = topo_acs_hw(m, fn);

	return hw.v == IA_NO && hw.why.basis == IA_ACS_BY_CAPABILITY && !(hw.why.missing & (IA_ACS_RR | IA_ACS_CR));
}

static void topo_blame_text(struct ia_topo_model *m, size_t fn, const char *prefix,
			    const char *suffix, struct ia_topo_blame *bl)
{
	const struct topo_acs_memo hw = topo_acs_hw(m, fn), *a = &hw;
	char bdf[IA_BDF_BUFSZ], names[40];

	bl->fn = fn;
	bl->acs = a->v;
	ia_topo_bdf(&m->fns[fn], bdf);
	if (a->v == IA_UNKNOWN)
		snprintf(bl->why, sizeof(bl->why), "%s %s may lack ACS P2P redirect (ACS state unknown: "
			 "%s)%s", prefix, bdf, a->why.unknown_reason, suffix);
	else if (a->why.basis == IA_ACS_BY_NO_CAPABILITY)
		snprintf(bl->why, sizeof(bl->why), "%s %s lacks ACS P2P redirect (no ACS capability)%s",
			 prefix, bdf, suffix);
	else if (a->why.basis == IA_ACS_BY_CAPABILITY)
		snprintf(bl->why, sizeof(bl->why), "%s %s %s (%s not enabled)%s", prefix, bdf,
			 topo_has_redirect(m, fn) ? "is not ACS-isolated" : "lacks ACS P2P redirect",
			 topo_acs_names(a->why.missing, names), suffix);
	else if (a->why.has_quirk)
		snprintf(bl->why, sizeof(bl->why), "%s %s is not ACS-isolated (ACS quirk %s)%s", prefix, bdf,
			 a->why.quirk_fn, suffix);
	else
		snprintf(bl->why, sizeof(bl->why), "%s %s lacks ACS P2P redirect (%s)%s", prefix, bdf,
			 topo_kind(&m->fns[fn]), suffix);
}

static int topo_add_blame(struct topo_blame_rec **v, size_t *n, size_t *cap,
			  const struct topo_blame_rec *r)
{
	struct topo_blame_rec *nv = ia_array_grow(*v, cap, *n + 1, sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	(*v)[(*n)++] = *r;
	return 0;
}

static bool topo_is_dsp(const struct ia_topo_fn *f)
{
	return !f->is_vf && f->is_pcie == IA_YES && f->pcie_type == IA_PCIE_DOWNSTREAM;
}

int ia_topo_isolation_domains(struct ia_topo_model *m, const struct ia_topo_groups *g,
			      struct ia_topo_domains **out)
{
	size_t nf, nb, i, k, nbl = 0, capbl = 0;
	size_t *uf = NULL, *root_of = NULL, *anchor = NULL, *dom_root = NULL, *sub_anchor = NULL, *sub_root = NULL;
	bool *spoiled = NULL, *merged = NULL, *has_root = NULL, *has_anchor = NULL;
	bool *has_sub = NULL, *has_below = NULL, *has_sub_root = NULL, *slot_did = NULL;
	struct topo_blame_rec *bl = NULL;
	struct ia_topo_domains *d = NULL;
	int ret = -ENOMEM;

	if (!m || !g || !out || g->n_fns != m->n_fns)
		return -EINVAL;
	nf = m->n_fns;
	nb = m->n_buses;
	uf = malloc(sizeof(size_t) * (nf + 1));
	root_of = malloc(sizeof(size_t) * (nb + 1));
	anchor = malloc(sizeof(size_t) * (nb + 1));
	spoiled = calloc(nb + 1, sizeof(bool));
	merged = calloc(nb + 1, sizeof(bool));
	has_root = calloc(nb + 1, sizeof(bool));
	has_anchor = calloc(nb + 1, sizeof(bool));
	if (!uf || !root_of || !anchor || !spoiled || !merged || !has_root || !has_anchor)
		goto out;
	for (i = 0; i < nf; i++)
		uf[i] = i;
	/* Kernel groups first. */
	for (k = 0; k < g->n_groups; k++)
		for (i = 1; i < g->groups[k].n_members; i++)
			topo_union(uf, g->groups[k].members[0], g->groups[k].members[i]);

	/* (a) switch-internal buses with a non-isolating DSP spoil everything below them. */
	for (size_t b = 0; b < nb; b++) {
		for (i = 0; i < m->bus_count[b]; i++) {
			size_t f = m->bus_members[m->bus_first[b] + i];

			if (!has_anchor[b]) {
				has_anchor[b] = true;
				anchor[b] = f;
			}
			if (topo_is_dsp(&m->fns[f]) && topo_acs_hw(m, f).v != IA_YES)
				spoiled[b] = true;
		}
	}
	for (i = 0; i < nb; i++) {
		size_t b = m->bus_order[i];
		int p = m->buses[b].parent;

		if (p >= 0 && has_root[p]) {
			has_root[b] = true;
			root_of[b] = root_of[p];
		} else if (spoiled[b] && has_anchor[b]) {
			has_root[b] = true;
			root_of[b] = b;
		}
	}
	for (i = 0; i < nf; i++) {
		size_t b = (size_t)m->fns[i].bus;

		if (has_root[b] && topo_union(uf, anchor[root_of[b]], i))
			merged[root_of[b]] = true;
	}
	for (size_t b = 0; b < nb; b++) {
		if (!spoiled[b] || !has_root[b] || !merged[root_of[b]])
			continue;
		for (i = 0; i < m->bus_count[b]; i++) {
			size_t f = m->bus_members[m->bus_first[b] + i];
			struct topo_blame_rec r = { .anchor = anchor[root_of[b]] };

			if (!topo_is_dsp(&m->fns[f]) || topo_acs_hw(m, f).v == IA_YES)
				continue;
			topo_blame_text(m, f, "DSP", "", &r.b);
			if (topo_add_blame(&bl, &nbl, &capbl, &r))
				goto out;
		}
	}

	/* (b) asymmetric ACS inside a multifunction slot: the slot's non-VF functions, and everything
	 * below those that are bridges (a request the non-isolated function lets through reaches a
	 * sibling port internally and is routed down its secondary side; ACS at the sibling only
	 * redirects what its own ingress receives from below). */
	sub_anchor = malloc(sizeof(size_t) * (nf + 1));
	has_sub = calloc(nf + 1, sizeof(bool));
	has_below = calloc(nf + 1, sizeof(bool));
	sub_root = malloc(sizeof(size_t) * (nb + 1));
	has_sub_root = calloc(nb + 1, sizeof(bool));
	slot_did = calloc(nf + 1, sizeof(bool));
	if (!sub_anchor || !has_sub || !has_below || !sub_root || !has_sub_root || !slot_did)
		goto out;
	for (i = 0; i < nf;) {
		size_t first = i, n = m->slot_count[m->slot_members[i]];
		bool any_mf = false, any_bad = false;
		size_t a0 = 0;
		bool have_a0 = false;

		for (k = first; k < first + n; k++) {
			const struct ia_topo_fn *f = &m->fns[m->slot_members[k]];

			if (f->is_vf)
				continue;
			any_mf |= f->multifunction;
			if (topo_acs_hw(m, m->slot_members[k]).v != IA_YES)
				any_bad = true;
		}
		if (any_mf && any_bad) {
			for (k = first; k < first + n; k++) {
				size_t f = m->slot_members[k];

				if (m->fns[f].is_vf)
					continue;
				if (!have_a0) {
					have_a0 = true;
					a0 = f;
				} else if (topo_union(uf, a0, f)) {
					slot_did[a0] = true;
				}
				sub_anchor[f] = a0;
				has_sub[f] = true;
			}
		}
		i = first + (n ? n : 1);
	}
	/* The subtrees below the merged slots' bridges: buses in probe order, parents first; each bus
	 * remembers the slot function it hangs below (the nearest one). */
	for (i = 0; i < nb; i++) {
		size_t b = m->bus_order[i];
		int p = m->buses[b].parent, s = m->buses[b].self;

		if (s >= 0 && has_sub[s]) {
			has_sub_root[b] = true;
			sub_root[b] = (size_t)s;
		} else if (p >= 0 && has_sub_root[p]) {
			has_sub_root[b] = true;
			sub_root[b] = sub_root[p];
		}
	}
	for (i = 0; i < nf; i++) {
		size_t b = (size_t)m->fns[i].bus;

		if (!has_sub_root[b])
			continue;
		has_below[sub_root[b]] = true;
		if (topo_union(uf, sub_anchor[sub_root[b]], i))
			slot_did[sub_anchor[sub_root[b]]] = true;
	}
	/* Blame the slot's functions that are not ACS-isolated, for the slots that widened a domain. */
	for (i = 0; i < nf;) {
		size_t first = i, n = m->slot_count[m->slot_members[i]];

		i = first + (n ? n : 1);
		for (k = first; k < first + n; k++) {
			size_t f = m->slot_members[k], a0;
			struct topo_blame_rec r;
			const struct ia_topo_fn *ff = &m->fns[f];
			bool below_others = false;
			char sfx[160];

			if (ff->is_vf || !has_sub[f] || !slot_did[a0 = sub_anchor[f]] || topo_acs_hw(m, f).v == IA_YES)
				continue;
			for (size_t j = first; j < first + n && !below_others; j++)
				below_others = m->slot_members[j] != f && has_below[m->slot_members[j]];
			/* with P2P redirect on (only SV or UF off) the kernel still does not count it
			 * as isolated, but a request to a sibling goes upstream first */
			if (topo_has_redirect(m, f))
				snprintf(sfx, sizeof(sfx), ": the kernel does not count it as isolated from the "
					 "other functions of slot %04x:%02x:%02x%s", ff->domain, ff->bus_nr,
					 ff->devfn >> 3, below_others ? " and the devices below them" : "");
			else
				snprintf(sfx, sizeof(sfx), ": it can reach the other functions of slot "
					 "%04x:%02x:%02x internally%s", ff->domain, ff->bus_nr, ff->devfn >> 3,
					 below_others ? ", and the devices below them" : "");
			r = (struct topo_blame_rec){ .anchor = a0 };
			topo_blame_text(m, f, "function", sfx, &r.b);
			if (topo_add_blame(&bl, &nbl, &capbl, &r))
				goto out;
		}
	}

	/* Collect the domains, numbered by their lowest function index. */
	d = calloc(1, sizeof(*d));
	if (!d)
		goto out;
	d->n_fns = nf;
	d->domain_of = malloc(sizeof(size_t) * (nf + 1));
	dom_root = malloc(sizeof(size_t) * (nf + 1)); /* per set root: domain index + 1, 0 = none yet */
	if (!d->domain_of || !dom_root)
		goto out;
	memset(dom_root, 0, sizeof(size_t) * (nf + 1));
	for (i = 0; i < nf; i++) {
		size_t r = topo_find(uf, i);

		if (!dom_root[r])
			dom_root[r] = ++d->n;
		d->domain_of[i] = dom_root[r] - 1;
	}
	d->v = calloc(d->n + 1, sizeof(*d->v));
	if (!d->v)
		goto out;
	for (i = 0; i < nf; i++)
		d->v[d->domain_of[i]].n_members++;
	for (k = 0; k < d->n; k++) {
		d->v[k].members = malloc(sizeof(size_t) * d->v[k].n_members);
		d->v[k].groups = malloc(sizeof(size_t) * d->v[k].n_members);
		d->v[k].n_members = 0;
		if (!d->v[k].members || !d->v[k].groups)
			goto out;
	}
	for (i = 0; i < nf; i++) {
		struct ia_topo_domain *dm = &d->v[d->domain_of[i]];

		dm->members[dm->n_members++] = i;
	}
	for (k = 0; k < d->n; k++) {
		struct ia_topo_domain *dm = &d->v[k];

		for (i = 0; i < dm->n_members; i++) {
			const struct ia_topo_fn_group *fg = &g->fn[dm->members[i]];
			size_t j;

			if (!fg->has_group)
				continue;
			for (j = 0; j < dm->n_groups && dm->groups[j] != fg->group; j++)
				;
			if (j == dm->n_groups)
				dm->groups[dm->n_groups++] = fg->group;
		}
		/* insertion sort: groups per domain are few */
		for (i = 1; i < dm->n_groups; i++)
			for (size_t j = i; j > 0 && dm->groups[j - 1] > dm->groups[j]; j--) {
				size_t t = dm->groups[j];

				dm->groups[j] = dm->groups[j - 1];
				dm->groups[j - 1] = t;
			}
	}
	for (i = 0; i < nbl; i++) {
		struct ia_topo_domain *dm = &d->v[d->domain_of[bl[i].anchor]];
		struct ia_topo_blame *nv;
		size_t j;

		for (j = 0; j < dm->n_blame && dm->blame[j].fn != bl[i].b.fn; j++)
			;
		if (j < dm->n_blame)
			continue;
		nv = realloc(dm->blame, sizeof(*nv) * (dm->n_blame + 1));
		if (!nv)
			goto out;
		dm->blame = nv;
		dm->blame[dm->n_blame++] = bl[i].b;
		if (bl[i].b.acs == IA_UNKNOWN)
			dm->uncertain = true;
	}
	*out = d;
	d = NULL;
	ret = 0;
out:
	ia_topo_domains_free(d);
	free(uf);
	free(root_of);
	free(anchor);
	free(spoiled);
	free(merged);
	free(has_root);
	free(has_anchor);
	free(dom_root);
	free(sub_anchor);
	free(sub_root);
	free(has_sub);
	free(has_below);
	free(has_sub_root);
	free(slot_did);
	free(bl);
	return ret;
}

/* ---------------------------------------------------------------- VFIO viability */

/* One member's verdict under DMA ownership (@own) or vfio_dev_viable()'s allow-list (!@own). */
static void topo_member_viable(const struct ia_topo_fn *f, const char *drvname, bool own, enum ia_tri bridges,
			       struct ia_viab_member *v)
{
	const struct ia_dmd_driver *drv = ia_dmd_lookup(drvname);

	if (!drvname) {
		v->ok = IA_YES;
		v->reason = "unbound";
	} else if (!own) {
		/* vfio_dev_viable() / vfio_dev_driver_allowed() before v5.19 */
		if (strcmp(drvname, "pci-stub") == 0) {
			v->ok = IA_YES;
			v->reason = "pci-stub is in vfio_driver_allowed[] (before v5.19)";
		} else if (f->hdr_type != 0 && bridges != IA_NO) {
			v->ok = bridges;
			v->reason = bridges == IA_YES ? "header type is not 0: bridges were tolerated whatever their driver (before v5.19)"
				    : "header type is not 0: whether this kernel tolerates a bridge whatever its driver "
				      "(vfio_dev_whitelisted(), v4.13) is unknown";
		} else if (drv && drv->vfio_bus_driver && drv->mainline != IA_DMD_NOT_MAINLINE) {
			v->ok = IA_YES;
			v->reason = "bound to a VFIO bus driver";
		} else {
			v->ok = IA_NO;
			v->reason = "bound to a driver vfio_dev_viable() does not allow (before v5.19)";
		}
	} else if (drv && drv->mainline == IA_DMD_NOT_MAINLINE) {
		v->ok = IA_UNKNOWN;
		v->reason = "driver not in mainline: whether it sets driver_managed_dma is unknown";
	} else if (drv) {
		v->ok = IA_YES;
		v->reason = "driver sets driver_managed_dma (v5.19+)";
	} else {
		v->ok = IA_NO;
		v->reason = "bound to a DMA-API kernel driver (no driver_managed_dma): "
			    "iommu_group_dma_owner_claimed() (v5.19+)";
	}
}

int ia_topo_group_viable(const struct ia_topo_model *m, const size_t *members,
			 const char *const *drivers, size_t n, const struct ia_kernel_id *kernel,
			 struct ia_viab_member *verdicts, enum ia_tri *viable)
{
	bool any_no = false, any_unknown = false;

	if (!m || !viable || (n && (!members || !drivers || !verdicts)))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (members[i] >= m->n_fns)
			return -IA_E_RANGE;
	/* rows dma_ownership (v5.19) and vfio_bridge_allowed (v4.13) of the behaviour table */
	enum ia_tri own = ia_kb_has(kernel, IA_KB_DMA_OWNERSHIP);
	enum ia_tri bridges = ia_kb_has(kernel, IA_KB_VFIO_BRIDGE_ALLOWED);
	for (size_t i = 0; i < n; i++) {
		const struct ia_topo_fn *f = &m->fns[members[i]];
		struct ia_viab_member *v = &verdicts[i];

		v->fn = members[i];
		topo_member_viable(f, drivers[i], own != IA_NO, bridges, v);
		if (own == IA_UNKNOWN) {
			/* a kernel the table cannot place: both rules, and unknown where they differ */
			struct ia_viab_member old = *v;
			topo_member_viable(f, drivers[i], false, bridges, &old);
			if (old.ok != v->ok) {
				v->ok = IA_UNKNOWN;
				v->reason = "whether this kernel has DMA ownership (v5.19) is unknown, and the rule before it "
					    "(vfio_dev_viable()'s allow-list) judges this driver differently";
			}
		}
		any_no |= v->ok == IA_NO;
		any_unknown |= v->ok == IA_UNKNOWN;
	}
	*viable = any_no ? IA_NO : any_unknown ? IA_UNKNOWN : IA_YES;
	return 0;
}
