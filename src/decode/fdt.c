// SPDX-License-Identifier: GPL-2.0-or-later
// Decode a flattened device tree (libfdt) into PCIe host bridges, MSI controllers, IOMMUs, RID maps.
#include "decode/fdt.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/bytes.h"
#include "core/array.h"
#include "core/ia_err.h"

/* Decoder state for one blob. */
struct fdtdec_ctx {
	const void *fdt;
	struct ia_fdt *out;
	struct ia_diags *d;
	size_t cap_bridges, cap_msi, cap_iommus;
	int err;                 /* first fatal error (-ENOMEM), 0 otherwise */
	/* Lookups that would otherwise scan (a hostile blob with many bridges made them quadratic):
	 * every node with a phandle, sorted by phandle then offset; and, per 4-byte structure
	 * offset, the index + 1 of the MSI controller / IOMMU at that node (0: none). */
	struct fdtdec_ph *ph;
	size_t n_ph;
	uint32_t *msi_at, *iommu_at;
	uint32_t *parent_at;     /* per slot: the parent node's offset + 1 (0: the root, or none) */
	size_t n_slots;
};

struct fdtdec_ph {
	uint32_t phandle;
	int off;
};

/* The index recorded for the node at @off in @slots, if any (the caller checks the node). */
static bool fdtdec_slot_find(const uint32_t *slots, size_t n_slots, int off, size_t n, size_t *idx)
{
	size_t s = (size_t)off / 4;

	if (!slots || off < 0 || s >= n_slots || slots[s] == 0 || slots[s] - 1 >= n)
		return false;
	*idx = slots[s] - 1;
	return true;
}

/* True when @slots answers for @off exactly (an empty slot then means "none"). */
static bool fdtdec_slot_exact(const uint32_t *slots, int off)
{
	return slots && off >= 0 && off % 4 == 0;
}

static void fdtdec_slot_set(uint32_t *slots, size_t n_slots, int off, size_t idx)
{
	size_t s = (size_t)off / 4;

	if (slots && off >= 0 && s < n_slots && slots[s] == 0 && idx < UINT32_MAX)
		slots[s] = (uint32_t)idx + 1;
}

static int fdtdec_ph_cmp(const void *a, const void *b)
{
	const struct fdtdec_ph *x = a, *y = b;

	if (x->phandle != y->phandle)
		return x->phandle < y->phandle ? -1 : 1;
	return (x->off > y->off) - (x->off < y->off);
}

/* Build the phandle and slot indexes: one walk over every node (at any depth, as libfdt's
 * fdt_node_offset_by_phandle() scans). Sets c->err to -ENOMEM on failure. */
static void fdtdec_index(struct fdtdec_ctx *c, size_t len)
{
	size_t cap = 0;

	c->n_slots = len / 4 + 1;
	int *stack = NULL;       /* the open node at each depth */
	size_t stack_cap = 0;
	int depth = 0;

	c->msi_at = calloc(c->n_slots, sizeof(*c->msi_at));
	c->iommu_at = calloc(c->n_slots, sizeof(*c->iommu_at));
	c->parent_at = calloc(c->n_slots, sizeof(*c->parent_at));
	if (!c->msi_at || !c->iommu_at || !c->parent_at) {
		c->err = -ENOMEM;
		return;
	}
	for (int off = 0; off >= 0 && depth >= 0; off = fdt_next_node(c->fdt, off, &depth)) {
		uint32_t v = fdt_get_phandle(c->fdt, off);

		if (ia_array_reserve((void **)&stack, &stack_cap, (size_t)depth + 1, sizeof(*stack))) {
			c->err = -ENOMEM;
			break;
		}
		stack[depth] = off;
		if (depth > 0 && fdtdec_slot_exact(c->parent_at, off) && (size_t)off / 4 < c->n_slots)
			c->parent_at[off / 4] = (uint32_t)stack[depth - 1] + 1;
		if (v == 0 || v == (uint32_t)-1)
			continue;
		if (ia_array_reserve((void **)&c->ph, &cap, c->n_ph + 1, sizeof(*c->ph))) {
			c->err = -ENOMEM;
			break;
		}
		c->ph[c->n_ph++] = (struct fdtdec_ph){ v, off };
	}
	free(stack);
	if (c->n_ph)
		qsort(c->ph, c->n_ph, sizeof(*c->ph), fdtdec_ph_cmp);
}

/* fdt_node_offset_by_phandle() by binary search: the first node in tree order with @ph. */
static int fdtdec_node_by_phandle(const struct fdtdec_ctx *c, uint32_t ph)
{
	size_t lo = 0, hi = c->n_ph;

	if (ph == 0 || ph == (uint32_t)-1)
		return -FDT_ERR_BADPHANDLE;
	while (lo < hi) { /* the lowest index whose phandle is >= @ph */
		size_t mid = lo + (hi - lo) / 2;

		if (c->ph[mid].phandle < ph)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n_ph && c->ph[lo].phandle == ph ? c->ph[lo].off : -FDT_ERR_NOTFOUND;
}

/*
 * fdt_get_path() from the parent index: the node's ancestors, then their names joined from the
 * root. libfdt's own walks the tree from its start for every call, which a hostile blob with
 * many bridges made quadratic. Returns 0 or -FDT_ERR_NOSPACE when the path does not fit.
 */
static int fdtdec_get_path(const struct fdtdec_ctx *c, int off, char *dst)
{
	int chain[IA_FDT_PATH_MAX / 2 + 1]; /* each component takes at least 2 bytes ("/x") */
	size_t n = 0, len = 0;

	if (!fdtdec_slot_exact(c->parent_at, off) || (size_t)off / 4 >= c->n_slots)
		return fdt_get_path(c->fdt, off, dst, (int)IA_FDT_PATH_MAX);
	for (int o = off; o > 0; o = (int)c->parent_at[o / 4] - 1) {
		if (n == sizeof(chain) / sizeof(chain[0]) || o % 4 || (size_t)o / 4 >= c->n_slots)
			return -FDT_ERR_NOSPACE;
		chain[n++] = o;
	}
	dst[0] = '/';
	dst[1] = '\0';
	len = 1;
	while (n > 0) {
		int nl;
		const char *name = fdt_get_name(c->fdt, chain[--n], &nl);

		if (!name || nl < 0)
			return nl < 0 ? nl : -FDT_ERR_BADSTRUCTURE;
		if (len > 1)
			dst[len++] = '/';
		if (len + (size_t)nl >= IA_FDT_PATH_MAX)
			return -FDT_ERR_NOSPACE;
		memcpy(dst + len, name, (size_t)nl);
		len += (size_t)nl;
		dst[len] = '\0';
	}
	return 0;
}

/* The DT path of @off into @dst (IA_FDT_PATH_MAX bytes); an over-long path is cut and diagnosed. */
static void fdtdec_path(struct fdtdec_ctx *c, int off, char *dst)
{
	int err = fdtdec_get_path(c, off, dst);

	if (err == 0)
		return;
	const char *name = fdt_get_name(c->fdt, off, NULL);

	snprintf(dst, IA_FDT_PATH_MAX, ".../%s", name ? name : "?");
	ia_diag_add(c->d, -IA_E_RANGE, dst, off, "DT path longer than %u bytes (%s); kept the node name",
		    IA_FDT_PATH_MAX - 1, fdt_strerror(err));
}

/* Fill @cp from the node's "compatible" string list. */
static void fdtdec_compat(struct fdtdec_ctx *c, int off, struct ia_fdt_compat *cp)
{
	int n = fdt_stringlist_count(c->fdt, off, "compatible");

	memset(cp, 0, sizeof(*cp));
	if (n <= 0)
		return;
	for (int i = 0; i < n; i++) {
		int slen;
		const char *s = fdt_stringlist_get(c->fdt, off, "compatible", i, &slen);

		if (!s)
			break;
		if (cp->n == IA_FDT_COMPAT_MAX) {
			cp->truncated = true;
			break;
		}
		if ((size_t)slen >= IA_FDT_COMPAT_LEN)
			cp->truncated = true;
		snprintf(cp->s[cp->n++], IA_FDT_COMPAT_LEN, "%.*s", slen, s);
	}
}

static bool fdtdec_has_prop(struct fdtdec_ctx *c, int off, const char *name)
{
	return fdt_getprop(c->fdt, off, name, NULL) != NULL;
}

/* The parent of @off from the index (libfdt's fdt_parent_offset() walks the tree from its start:
 * once per bridge, that is quadratic in a hostile blob). */
static int fdtdec_parent(const struct fdtdec_ctx *c, int off)
{
	if (fdtdec_slot_exact(c->parent_at, off) && (size_t)off / 4 < c->n_slots && c->parent_at[off / 4])
		return (int)c->parent_at[off / 4] - 1;
	return fdt_parent_offset(c->fdt, off);
}

/*
 * of_dma_is_coherent() (drivers/of/address.c): the first node from @off up through its parents with
 * "dma-coherent" (coherent) or "dma-noncoherent" (not) decides; none means the architecture default,
 * which is non-coherent on arm64. (The kernel's DMA parent is an "interconnects" "dma-mem" path when
 * one is given; the tree parent is used here.)
 */
static bool fdtdec_dma_coherent(struct fdtdec_ctx *c, int off)
{
	for (int depth = 0; off >= 0 && depth < 64; depth++) {
		if (fdtdec_has_prop(c, off, "dma-coherent"))
			return true;
		if (fdtdec_has_prop(c, off, "dma-noncoherent"))
			return false;
		if (off == 0)
			break;
		off = fdtdec_parent(c, off);
	}
	return false;
}

static bool fdtdec_is_compatible(struct fdtdec_ctx *c, int off, const char *compat)
{
	return fdt_node_check_compatible(c->fdt, off, compat) == 0;
}

/* "status" absent, "okay" or "ok" (of_device_is_available()). */
static bool fdtdec_enabled(struct fdtdec_ctx *c, int off)
{
	int len;
	const char *s = fdt_getprop(c->fdt, off, "status", &len);

	if (!s)
		return true;
	if (len <= 0 || s[len - 1] != '\0')
		return false;
	return strcmp(s, "okay") == 0 || strcmp(s, "ok") == 0;
}

/* A one-cell property; true and *v set when present and at least 4 bytes (of_property_read_u32). */
static bool fdtdec_u32(struct fdtdec_ctx *c, int off, const char *where, const char *name, uint32_t *v)
{
	int len;
	const uint8_t *p = fdt_getprop(c->fdt, off, name, &len);

	if (!p)
		return false;
	if (len < 4) {
		ia_diag_add(c->d, -IA_E_BADLEN, where, off, "%s is %d bytes, not one cell", name, len);
		return false;
	}
	if (len != 4)
		ia_diag_add(c->d, -IA_E_BADLEN, where, off,
			    "%s is %d bytes, not one cell; using the first cell", name, len);
	*v = ia_be32(p, 0);
	return true;
}

static void fdtdec_phandle(struct fdtdec_ctx *c, int off, bool *has, uint32_t *ph)
{
	uint32_t v = fdt_get_phandle(c->fdt, off);

	*has = v != 0 && v != (uint32_t)-1;
	*ph = *has ? v : 0;
}

/* Classify an MSI controller (kernel-rules.md §5.2: only the ITS sets IRQ_DOMAIN_FLAG_ISOLATED_MSI). */
static void fdtdec_msi_classify(struct fdtdec_ctx *c, int off, struct ia_fdt_msi_ctrl *m)
{
	m->synquacer_pre_its = fdtdec_has_prop(c, off, "socionext,synquacer-pre-its");
	if (fdtdec_is_compatible(c, off, "arm,gic-v3-its")) {
		m->kind = IA_FDT_MSI_ITS;
		m->isolating = !m->synquacer_pre_its;
	} else if (fdtdec_is_compatible(c, off, "arm,gic-v2m-frame")) {
		m->kind = IA_FDT_MSI_GICV2M;
	} else if (fdtdec_is_compatible(c, off, "arm,gic-v3") && fdtdec_has_prop(c, off, "mbi-ranges")) {
		m->kind = IA_FDT_MSI_MBI;
	} else {
		m->kind = IA_FDT_MSI_OTHER;
	}
}

/* Index of the MSI controller at node @off, adding it when new; false on -ENOMEM. */
static bool fdtdec_msi_get(struct fdtdec_ctx *c, int off, size_t *idx)
{
	struct ia_fdt *o = c->out;
	struct ia_fdt_msi_ctrl *m;

	if (fdtdec_slot_find(c->msi_at, c->n_slots, off, o->n_msi_ctrls, idx) &&
	    o->msi_ctrls[*idx].node_offset == off)
		return true;
	/* The slots record every node added at a 4-byte-aligned offset (all of a valid blob's). */
	for (size_t i = 0; !fdtdec_slot_exact(c->msi_at, off) && i < o->n_msi_ctrls; i++) {
		if (o->msi_ctrls[i].node_offset == off) {
			*idx = i;
			return true;
		}
	}
	if (ia_array_reserve((void **)&o->msi_ctrls, &c->cap_msi, o->n_msi_ctrls + 1, sizeof(*m))) {
		c->err = -ENOMEM;
		return false;
	}
	m = &o->msi_ctrls[o->n_msi_ctrls];
	memset(m, 0, sizeof(*m));
	m->node_offset = off;
	fdtdec_path(c, off, m->path);
	fdtdec_compat(c, off, &m->compat);
	fdtdec_msi_classify(c, off, m);
	m->msi_controller = fdtdec_has_prop(c, off, "msi-controller");
	m->has_msi_cells = fdtdec_u32(c, off, m->path, "#msi-cells", &m->msi_cells);
	fdtdec_phandle(c, off, &m->has_phandle, &m->phandle);
	m->enabled = fdtdec_enabled(c, off);
	*idx = o->n_msi_ctrls++;
	fdtdec_slot_set(c->msi_at, c->n_slots, off, *idx);
	return true;
}

static bool fdtdec_iommu_find(const struct fdtdec_ctx *c, int off, size_t *idx)
{
	const struct ia_fdt *o = c->out;

	if (fdtdec_slot_find(c->iommu_at, c->n_slots, off, o->n_iommus, idx) &&
	    o->iommus[*idx].node_offset == off)
		return true;
	for (size_t i = 0; !fdtdec_slot_exact(c->iommu_at, off) && i < o->n_iommus; i++) {
		if (o->iommus[i].node_offset == off) {
			*idx = i;
			return true;
		}
	}
	return false;
}

static enum ia_fdt_iommu_kind fdtdec_iommu_classify(struct fdtdec_ctx *c, int off,
						 const struct ia_fdt_compat *cp)
{
	static const char *const smmu[] = {
		"arm,mmu-500", "arm,smmu-v2", "arm,mmu-401", "arm,mmu-400", "arm,smmu-v1",
		"nvidia,smmu-500", "cavium,smmu-v2",
	};

	if (fdtdec_is_compatible(c, off, "arm,smmu-v3"))
		return IA_FDT_IOMMU_SMMU_V3;
	for (size_t i = 0; i < sizeof(smmu) / sizeof(smmu[0]); i++)
		if (fdtdec_is_compatible(c, off, smmu[i]))
			return IA_FDT_IOMMU_SMMU;
	for (size_t i = 0; i < cp->n; i++)
		if (strncmp(cp->s[i], "qcom,", 5) == 0 && strstr(cp->s[i], "smmu"))
			return IA_FDT_IOMMU_SMMU;
	return IA_FDT_IOMMU_OTHER;
}

/* The "#address-cells" (@size false) or "#size-cells" of the addresses on bus node @bus: its own,
 * else the nearest ancestor's, else 1 at the root (of_n_addr_cells(), of_n_size_cells():
 * OF_ROOT_NODE_ADDR_CELLS_DEFAULT and _SIZE_CELLS_DEFAULT). -1 where the kernel's OF_CHECK_COUNTS()
 * refuses (no address cells, no size cells) or past the two cells (64 bits) decoded here. */
static int fdtdec_cells(const struct fdtdec_ctx *c, int bus, bool size)
{
	uint32_t v = 1;

	for (int n = bus, depth = 0; n >= 0 && depth < 64; depth++) {
		int len;
		const uint8_t *p = fdt_getprop(c->fdt, n, size ? "#size-cells" : "#address-cells", &len);
		if (p && len >= 4) {
			v = ia_be32(p, 0);
			break;
		}
		if (n == 0)
			break;
		n = fdtdec_parent(c, n);
	}
	return v >= 1 && v <= 2 ? (int)v : -1;
}

static uint64_t fdtdec_cells_value(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | ia_be32(p, (size_t)i * 4);
	return v;
}

/*
 * Node @off's first "reg" address as a CPU physical address (of_translate_address(),
 * drivers/of/address.c): read with its parent's #address-cells, then through each ancestor bus's
 * "ranges" up to the root (empty: 1:1; absent: not translatable, as the kernel's
 * OF_BAD_ADDR). Cells above two (PCI's three) are not translated. Bounded by the tree's depth;
 * every read stays inside its property.
 */
static bool fdtdec_reg_base(const struct fdtdec_ctx *c, int off, uint64_t *out)
{
	int len, bus = fdtdec_parent(c, off);
	const uint8_t *reg = bus >= 0 ? fdt_getprop(c->fdt, off, "reg", &len) : NULL;
	int na = bus >= 0 ? fdtdec_cells(c, bus, false) : -1;

	if (!reg || na < 0 || len < na * 4)
		return false;
	uint64_t addr = fdtdec_cells_value(reg, na);
	for (int depth = 0; bus > 0 && depth < 64; depth++) {
		int up = fdtdec_parent(c, bus), rlen;
		if (up < 0)
			return false;
		const uint8_t *r = fdt_getprop(c->fdt, bus, "ranges", &rlen);
		if (!r)
			return false;
		int cna = fdtdec_cells(c, bus, false), cns = fdtdec_cells(c, bus, true), pna = fdtdec_cells(c, up, false);
		if (cna < 0 || cns < 0 || pna < 0)
			return false;
		if (rlen > 0) {
			int one = (cna + pna + cns) * 4;
			bool hit = false;
			for (int at = 0; one > 0 && at + one <= rlen && !hit; at += one) {
				uint64_t child = fdtdec_cells_value(r + at, cna);
				uint64_t parent = fdtdec_cells_value(r + at + cna * 4, pna);
				uint64_t size = fdtdec_cells_value(r + at + (cna + pna) * 4, cns);
				if (addr >= child && addr - child < size) {
					addr = parent + (addr - child);
					hit = true;
				}
			}
			if (!hit)
				return false;
		}
		bus = up;
	}
	*out = addr;
	return true;
}

static void fdtdec_add_iommu(struct fdtdec_ctx *c, int off)
{
	struct ia_fdt *o = c->out;
	struct ia_fdt_iommu *u;

	if (ia_array_reserve((void **)&o->iommus, &c->cap_iommus, o->n_iommus + 1, sizeof(*u))) {
		c->err = -ENOMEM;
		return;
	}
	u = &o->iommus[o->n_iommus];
	memset(u, 0, sizeof(*u));
	u->node_offset = off;
	fdtdec_path(c, off, u->path);
	fdtdec_compat(c, off, &u->compat);
	u->kind = fdtdec_iommu_classify(c, off, &u->compat);
	fdtdec_u32(c, off, u->path, "#iommu-cells", &u->iommu_cells);
	u->dma_coherent = fdtdec_dma_coherent(c, off);
	fdtdec_phandle(c, off, &u->has_phandle, &u->phandle);
	u->enabled = fdtdec_enabled(c, off);
	u->has_base = fdtdec_reg_base(c, off, &u->base);
	fdtdec_slot_set(c->iommu_at, c->n_slots, off, o->n_iommus);
	o->n_iommus++;
}

/*
 * Resolve @ph to an MSI controller (@iommu false) or IOMMU (@iommu true) for a reference or map
 * entry; returns the state and sets *target when OK. @what names the property for diagnostics.
 */
static enum ia_fdt_target_state fdtdec_resolve(struct fdtdec_ctx *c, int off, const char *where,
					    const char *what, size_t entry, uint32_t ph, bool iommu,
					    size_t *target, int *toff)
{
	int t = fdtdec_node_by_phandle(c, ph);

	*target = 0;
	*toff = t;
	if (t < 0) {
		ia_diag_add(c->d, -ENODEV, where, off, "%s entry %zu: phandle 0x%x names no node (%s)",
			    what, entry, ph, fdt_strerror(t));
		return IA_FDT_TARGET_DANGLING;
	}
	if (iommu) {
		if (!fdtdec_iommu_find(c, t, target)) {
			char p[IA_FDT_PATH_MAX];

			fdtdec_path(c, t, p);
			ia_diag_add(c->d, -IA_E_FORMAT, where, off,
				    "%s entry %zu: phandle 0x%x names %s, which has no #iommu-cells",
				    what, entry, ph, p);
			return IA_FDT_TARGET_NOT_IOMMU;
		}
		return IA_FDT_TARGET_OK;
	}
	if (!fdtdec_msi_get(c, t, target))
		return IA_FDT_TARGET_DANGLING;
	return IA_FDT_TARGET_OK;
}

/*
 * Parse a phandle-with-arguments list ("msi-parent" with #msi-cells, "iommus" with #iommu-cells),
 * like of_parse_phandle_with_args(). The walk stops at the first entry it cannot size.
 */
static void fdtdec_parse_refs(struct fdtdec_ctx *c, int off, const char *where, const char *name,
			   bool iommu, struct ia_fdt_ref **out, size_t *nout)
{
	const char *cells_name = iommu ? "#iommu-cells" : "#msi-cells";
	int len;
	const uint8_t *p = fdt_getprop(c->fdt, off, name, &len);
	size_t ncell, i = 0, cap = 0;

	*out = NULL;
	*nout = 0;
	if (!p)
		return;
	if (len <= 0 || len % 4) {
		ia_diag_add(c->d, -IA_E_BADLEN, where, off, "%s is %d bytes, not a whole number of cells",
			    name, len);
		return;
	}
	ncell = (size_t)len / 4;
	while (i < ncell) {
		struct ia_fdt_ref r;
		int toff;
		size_t entry = *nout;

		memset(&r, 0, sizeof(r));
		r.phandle = ia_be32(p, i * 4);
		r.state = fdtdec_resolve(c, off, where, name, entry, r.phandle, iommu, &r.target, &toff);
		if (c->err)
			return;
		bool stop = r.state != IA_FDT_TARGET_OK;
		if (!stop) {
			int clen;
			const uint8_t *cp = fdt_getprop(c->fdt, toff, cells_name, &clen);
			uint32_t nargs = 0;

			if (cp && clen == 4) {
				nargs = ia_be32(cp, 0);
			} else if (cp) {
				ia_diag_add(c->d, -IA_E_BADLEN, where, off,
					    "%s entry %zu: target's %s is %d bytes, not one cell", name,
					    entry, cells_name, clen);
				r.state = IA_FDT_TARGET_BADLEN;
				stop = true;
			}
			if (!stop && nargs > ncell - i - 1) {
				ia_diag_add(c->d, -IA_E_BADLEN, where, off,
					    "%s entry %zu: target has %s = %u but only %zu cells follow the phandle",
					    name, entry, cells_name, nargs, ncell - i - 1);
				r.state = IA_FDT_TARGET_BADLEN;
				stop = true;
			}
			if (!stop) {
				if (nargs > IA_FDT_MAX_ARGS)
					ia_diag_add(c->d, -IA_E_RANGE, where, off,
						    "%s entry %zu: %u specifier cells, keeping %u", name,
						    entry, nargs, IA_FDT_MAX_ARGS);
				r.n_args = nargs > IA_FDT_MAX_ARGS ? IA_FDT_MAX_ARGS : nargs;
				for (uint32_t k = 0; k < r.n_args; k++)
					r.args[k] = ia_be32(p, (i + 1 + k) * 4);
				i += 1 + (size_t)nargs;
			}
		}
		if (ia_array_reserve((void **)out, &cap, *nout + 1, sizeof(r))) {
			c->err = -ENOMEM;
			return;
		}
		(*out)[(*nout)++] = r;
		if (stop)
			return;
	}
}

/* Parse "msi-map"/"iommu-map" (4 cells per entry, of_map_id()) and its "-mask". */
static void fdtdec_parse_map(struct fdtdec_ctx *c, int off, const char *where, const char *name,
			  const char *mask_name, bool iommu, struct ia_fdt_map *m)
{
	int len;
	const uint8_t *p = fdt_getprop(c->fdt, off, name, &len);

	memset(m, 0, sizeof(*m));
	m->mask = 0xffffffffu;
	m->has_mask = fdtdec_u32(c, off, where, mask_name, &m->mask);
	if (!p)
		return;
	m->present = true;
	if (len <= 0 || len % 16) {
		ia_diag_add(c->d, -IA_E_BADLEN, where, off,
			    "%s is %d bytes, not a non-zero multiple of 16 (4 cells per entry)", name, len);
		return;
	}
	m->n = (size_t)len / 16;
	m->v = calloc(m->n, sizeof(*m->v));
	if (!m->v) {
		m->n = 0;
		c->err = -ENOMEM;
		return;
	}
	m->valid = true;
	for (size_t i = 0; i < m->n; i++) {
		struct ia_fdt_map_entry *e = &m->v[i];
		int toff;

		e->rid_base = ia_be32(p, i * 16);
		e->phandle = ia_be32(p, i * 16 + 4);
		e->out_base = ia_be32(p, i * 16 + 8);
		e->length = ia_be32(p, i * 16 + 12);
		e->state = fdtdec_resolve(c, off, where, name, i, e->phandle, iommu, &e->target, &toff);
		if (c->err)
			return;
		if (e->rid_base & ~m->mask)
			ia_diag_add(c->d, -IA_E_FORMAT, where, off,
				    "%s entry %zu: rid-base 0x%x has bits outside %s 0x%x", name, i,
				    e->rid_base, mask_name, m->mask);
		if (e->length == 0)
			ia_diag_add(c->d, -IA_E_BADLEN, where, off, "%s entry %zu: length 0 matches no RID",
				    name, i);
	}
}

/* Summarise which MSI controllers a bridge's RIDs reach and whether all of them isolate. */
static void fdtdec_bridge_msi_summary(struct fdtdec_ctx *c, struct ia_fdt_host_bridge *b)
{
	bool any = false, all_iso = true;

	if (b->msi_map.present) {
		if (!b->msi_map.valid)
			all_iso = false;
		for (size_t i = 0; i < b->msi_map.n; i++) {
			const struct ia_fdt_map_entry *e = &b->msi_map.v[i];

			if (e->state != IA_FDT_TARGET_OK) {
				all_iso = false;
				continue;
			}
			if (!any)
				b->msi_ctrl = e->target;
			any = true;
			all_iso = all_iso && c->out->msi_ctrls[e->target].isolating;
		}
	} else {
		for (size_t i = 0; i < b->n_msi_parent; i++) {
			const struct ia_fdt_ref *r = &b->msi_parent[i];

			if (r->state != IA_FDT_TARGET_OK) {
				all_iso = false;
				continue;
			}
			if (!any)
				b->msi_ctrl = r->target;
			any = true;
			all_iso = all_iso && c->out->msi_ctrls[r->target].isolating;
		}
	}
	b->has_msi_ctrl = any;
	b->msi_isolating = any && all_iso;
	b->msi_self = any && c->out->msi_ctrls[b->msi_ctrl].node_offset == b->node_offset;
}

static void fdtdec_add_bridge(struct fdtdec_ctx *c, int off, size_t *idx)
{
	struct ia_fdt *o = c->out;
	struct ia_fdt_host_bridge *b;
	int len;
	const uint8_t *p;

	if (ia_array_reserve((void **)&o->bridges, &c->cap_bridges, o->n_bridges + 1, sizeof(*b))) {
		c->err = -ENOMEM;
		return;
	}
	*idx = o->n_bridges++;
	b = &o->bridges[*idx];
	memset(b, 0, sizeof(*b));
	b->node_offset = off;
	fdtdec_path(c, off, b->path);
	fdtdec_compat(c, off, &b->compat);
	b->enabled = fdtdec_enabled(c, off);
	p = fdt_getprop(c->fdt, off, "bus-range", &len);
	if (p && len == 8) {
		b->has_bus_range = true;
		b->bus_first = ia_be32(p, 0);
		b->bus_last = ia_be32(p, 4);
	} else if (p) {
		ia_diag_add(c->d, -IA_E_BADLEN, b->path, off, "bus-range is %d bytes, not 2 cells", len);
	}
	b->has_domain = fdtdec_u32(c, off, b->path, "linux,pci-domain", &b->domain);
	b->dma_coherent = fdtdec_dma_coherent(c, off);
	fdtdec_parse_refs(c, off, b->path, "msi-parent", false, &b->msi_parent, &b->n_msi_parent);
	if (c->err)
		return;
	fdtdec_parse_map(c, off, b->path, "msi-map", "msi-map-mask", false, &b->msi_map);
	if (c->err)
		return;
	fdtdec_parse_map(c, off, b->path, "iommu-map", "iommu-map-mask", true, &b->iommu_map);
	if (c->err)
		return;
	fdtdec_parse_refs(c, off, b->path, "iommus", true, &b->iommus, &b->n_iommus);
	if (c->err)
		return;
	fdtdec_bridge_msi_summary(c, b);
}

static void fdtdec_add_child(struct fdtdec_ctx *c, size_t host, int off)
{
	struct ia_fdt_host_bridge *b = &c->out->bridges[host];
	struct ia_fdt_child_bridge *ch;
	size_t cap = b->n_children; /* exact-size growth: children are few */

	ch = realloc(b->children, (cap + 1) * sizeof(*ch));
	if (!ch) {
		c->err = -ENOMEM;
		return;
	}
	b->children = ch;
	ch = &b->children[b->n_children++];
	memset(ch, 0, sizeof(*ch));
	fdtdec_path(c, off, ch->path);
	ch->external_facing = fdtdec_has_prop(c, off, "external-facing");
}

/* device_type = "pci", or a generic host-bridge compatible without device_type. */
static bool fdtdec_is_pci_node(struct fdtdec_ctx *c, int off)
{
	int len;
	const char *t = fdt_getprop(c->fdt, off, "device_type", &len);

	if (t && len == 4 && memcmp(t, "pci", 4) == 0)
		return true;
	return fdtdec_is_compatible(c, off, "pci-host-ecam-generic") ||
	       fdtdec_is_compatible(c, off, "pci-host-cam-generic");
}

/* Pass 1: every "msi-controller" node and every "#iommu-cells" node. */
static void fdtdec_pass_providers(struct fdtdec_ctx *c)
{
	int depth = 0;
	bool warned = false;

	for (int off = 0; off >= 0 && depth >= 0 && !c->err; off = fdt_next_node(c->fdt, off, &depth)) {
		size_t idx;

		if (depth >= IA_FDT_MAX_DEPTH) {
			if (!warned)
				ia_diag_add(c->d, -IA_E_LOOP, "fdt", off,
					    "nodes nested deeper than %d levels are skipped",
					    IA_FDT_MAX_DEPTH);
			warned = true;
			continue;
		}
		if (fdtdec_has_prop(c, off, "msi-controller"))
			fdtdec_msi_get(c, off, &idx);
		if (fdtdec_has_prop(c, off, "#iommu-cells"))
			fdtdec_add_iommu(c, off);
	}
}

/* Pass 2: host bridges (no PCI ancestor) and the PCI bridge nodes below them. */
static void fdtdec_pass_bridges(struct fdtdec_ctx *c)
{
	bool in_host[IA_FDT_MAX_DEPTH];
	size_t host[IA_FDT_MAX_DEPTH];
	int depth = 0;

	for (int off = 0; off >= 0 && depth >= 0 && !c->err; off = fdt_next_node(c->fdt, off, &depth)) {
		if (depth >= IA_FDT_MAX_DEPTH)
			continue;
		in_host[depth] = depth > 0 && in_host[depth - 1];
		host[depth] = depth > 0 ? host[depth - 1] : 0;
		if (!fdtdec_is_pci_node(c, off))
			continue;
		if (in_host[depth]) {
			fdtdec_add_child(c, host[depth], off);
		} else {
			fdtdec_add_bridge(c, off, &host[depth]);
			in_host[depth] = !c->err;
		}
	}
}

/*
 * libfdt 1.6.1 (Debian 12) fdt_check_full() dereferences fdt_get_name()'s result for a node at
 * depth 1 without checking it (fixed upstream in dtc by "libfdt: Handle failed get_name() on
 * BEGIN_NODE"): a blob of a version before 0x10, whose node names are paths, with a root name
 * holding no '/' makes it NULL and the audit crashed (found by fuzz_fdt, input
 * fuzz/regressions/fdt/libfdt-check-full-null-name). The same walk as fdt_check_full()'s, refusing
 * that blob first. @fdt holds at least @len bytes and sizeof(struct fdt_header).
 * Return: 0, or a negative libfdt error (-FDT_ERR_TRUNCATED, -FDT_ERR_BADSTRUCTURE, ...).
 */
static int fdtdec_node_names_ok(const void *fdt, size_t len)
{
	int err, next = 0;
	unsigned depth = 0;

	if (len < FDT_V1_SIZE)
		return -FDT_ERR_TRUNCATED;
	if ((err = fdt_check_header(fdt)) != 0)
		return err;
	if (len < fdt_totalsize(fdt))
		return -FDT_ERR_TRUNCATED;
	for (;;) {
		int off = next;
		uint32_t tag = fdt_next_tag(fdt, off, &next);
		if (next < 0)
			return next;
		switch (tag) {
		case FDT_END:
			return 0;
		case FDT_BEGIN_NODE:
			if (++depth == 1) {
				int l = 0;
				if (!fdt_get_name(fdt, off, &l))
					return l < 0 ? l : -FDT_ERR_BADSTRUCTURE;
			}
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return -FDT_ERR_BADSTRUCTURE;
			depth--;
			break;
		case FDT_PROP:
		case FDT_NOP:
			break;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
	}
}

int ia_fdt_decode(const uint8_t *buf, size_t len, struct ia_fdt *out, struct ia_diags *diags)
{
	struct fdtdec_ctx c;
	void *blob;
	int err;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!buf)
		return -EINVAL;
	if (len > IA_FDT_MAX_BLOB) {
		ia_diag_add(diags, -IA_E_TOOBIG, "fdt", 0, "blob is %zu bytes, above the %u-byte limit",
			    len, IA_FDT_MAX_BLOB);
		return -IA_E_TOOBIG;
	}
	/* libfdt expects an 8-byte-aligned blob; calloc() gives that. At least a whole header, zeroed
	 * past @len: fdt_check_header() reads the version's header fields before anything compares
	 * the blob's size with the buffer's, and libfdt is not instrumented, so a sanitizer would not
	 * see it read past a short input. */
	blob = calloc(1, len > sizeof(struct fdt_header) ? len : sizeof(struct fdt_header));
	if (!blob)
		return -ENOMEM;
	memcpy(blob, buf, len);
	err = fdtdec_node_names_ok(blob, len);
	if (!err)
		err = fdt_check_full(blob, len);
	if (err) {
		ia_diag_add(diags, -IA_E_FDT, "fdt", 0, "fdt_check_full: %s", fdt_strerror(err));
		free(blob);
		return -IA_E_FDT;
	}
	memset(&c, 0, sizeof(c));
	c.fdt = blob;
	c.out = out;
	c.d = diags;
	fdtdec_index(&c, len);
	if (!c.err)
		fdtdec_pass_providers(&c);
	if (!c.err)
		fdtdec_pass_bridges(&c);
	free(c.ph);
	free(c.parent_at);
	free(c.msi_at);
	free(c.iommu_at);
	free(blob);
	if (c.err) {
		ia_fdt_free(out);
		return c.err;
	}
	return 0;
}

void ia_fdt_free(struct ia_fdt *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_bridges; i++) {
		struct ia_fdt_host_bridge *b = &f->bridges[i];

		free(b->msi_parent);
		free(b->msi_map.v);
		free(b->iommu_map.v);
		free(b->iommus);
		free(b->children);
	}
	free(f->bridges);
	free(f->msi_ctrls);
	free(f->iommus);
	memset(f, 0, sizeof(*f));
}

int ia_fdt_map_rid(const struct ia_fdt *f, size_t bridge, enum ia_fdt_map_kind which,
		   uint32_t rid, struct ia_fdt_map_result *res)
{
	const struct ia_fdt_host_bridge *b;
	const struct ia_fdt_map *m;
	uint32_t masked;

	if (!f || !res || bridge >= f->n_bridges)
		return -EINVAL;
	b = &f->bridges[bridge];
	m = which == IA_FDT_MAP_MSI ? &b->msi_map : &b->iommu_map;
	if (!m->present) {
		if (which != IA_FDT_MAP_MSI || b->n_msi_parent == 0)
			return -ENOENT;
		/* of_msi_map_id() without msi-map: the msi-parent domain, DeviceID = RID. */
		const struct ia_fdt_ref *r = &b->msi_parent[0];

		if (r->state == IA_FDT_TARGET_BADLEN)
			return -IA_E_BADLEN;
		if (r->state != IA_FDT_TARGET_OK)
			return -ENODEV;
		res->target = r->target;
		res->out_id = rid;
		res->via_msi_parent = true;
		res->entry = NULL;
		return 0;
	}
	if (!m->valid)
		return -IA_E_BADLEN;
	masked = rid & m->mask;
	for (size_t i = 0; i < m->n; i++) {
		const struct ia_fdt_map_entry *e = &m->v[i];

		if (e->rid_base & ~m->mask)
			return -IA_E_FORMAT;
		if (masked < e->rid_base || (uint64_t)masked >= (uint64_t)e->rid_base + e->length)
			continue;
		if (e->state == IA_FDT_TARGET_DANGLING)
			return -ENODEV;
		if (e->state != IA_FDT_TARGET_OK)
			return -IA_E_FORMAT;
		res->target = e->target;
		res->out_id = masked - e->rid_base + e->out_base;
		res->via_msi_parent = false;
		res->entry = e;
		return 0;
	}
	return -IA_E_RANGE;
}

const char *ia_fdt_msi_kind_name(enum ia_fdt_msi_kind k)
{
	switch (k) {
	case IA_FDT_MSI_ITS:
		return "ITS";
	case IA_FDT_MSI_GICV2M:
		return "GICv2m";
	case IA_FDT_MSI_MBI:
		return "MBI";
	case IA_FDT_MSI_OTHER:
		break;
	}
	return "other";
}

const char *ia_fdt_iommu_kind_name(enum ia_fdt_iommu_kind k)
{
	switch (k) {
	case IA_FDT_IOMMU_SMMU_V3:
		return "smmu-v3";
	case IA_FDT_IOMMU_SMMU:
		return "smmu";
	case IA_FDT_IOMMU_OTHER:
		break;
	}
	return "other";
}

long ia_fdt_find_bridge(const struct ia_fdt *f, const char *path)
{
	for (size_t i = 0; f && path && i < f->n_bridges; i++)
		if (strcmp(f->bridges[i].path, path) == 0)
			return (long)i;
	return -ENOENT;
}
