// SPDX-License-Identifier: GPL-2.0-or-later
// Device-tree collector: PCIe host bridges, IOMMUs and MSI controllers of the flattened DT, tied to PCI functions.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "core/array.h"
#include "core/db.h"
#include "core/facts.h"
#include "decode/fdt.h"
#include "core/ia_err.h"
#include "core/text.h"

/* One PCI function as the pci collector stored it. */
struct dt_pci {
	char bdf[16];
	uint32_t domain;
	uint8_t bus, dev, fn;
};

/* Read a user-given blob whole with plain stdio (not under the root). 0 or -errno / -IA_E_TOOBIG. */
static int dt_read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	size_t n;

	if (!f)
		return -errno;
	b = malloc(IA_FDT_MAX_BLOB + 1);
	if (!b) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(b, 1, IA_FDT_MAX_BLOB + 1, f);
	int err = ferror(f);
	fclose(f);
	if (err || n > IA_FDT_MAX_BLOB) {
		free(b);
		return err ? -EIO : -IA_E_TOOBIG;
	}
	*buf = b;
	*len = n;
	return 0;
}

static void dt_compat_join(const struct ia_fdt_compat *c, char *out, size_t cap)
{
	struct ia_sb b;

	ia_sb_init_fixed(&b, out, cap);
	for (size_t i = 0; i < c->n && !b.truncated; i++)
		ia_sb_printf(&b, "%s%s", i ? ", " : "", c->s[i]);
}

static int dt_load_pci(struct ia_ctx *ctx, struct dt_pci **out, size_t *n_out)
{
	struct ia_fact_cursor cur;
	struct ia_fact_pci_function f = {0};
	struct dt_pci *v = NULL;
	size_t n = 0, cap = 0;

	if (ia_fact_select(ctx->db, IA_FACT_pci_function, "bdf, domain, bus, dev, fn", "ORDER BY bdf", &cur))
		return -IA_E_SQLITE;
	int step;
	while ((step = ia_fact_next(&cur, &f)) > 0) {
		if (n == cap) {
			struct dt_pci *nv = ia_array_grow(v, &cap, n + 1, sizeof(*nv));
			if (!nv) {
				ia_fact_cursor_close(&cur);
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		snprintf(v[n].bdf, sizeof(v[n].bdf), "%s", f.bdf);
		v[n].domain = (uint32_t)f.domain.v;
		v[n].bus = (uint8_t)f.bus.v;
		v[n].dev = (uint8_t)f.dev.v;
		v[n].fn = (uint8_t)f.fn.v;
		n++;
	}
	ia_fact_cursor_close(&cur);
	if (step < 0) { /* a failed step is no end of the functions: fail closed */
		free(v);
		return step;
	}
	*out = v;
	*n_out = n;
	return 0;
}

/*
 * The host bridge a PCI function sits behind: one whose linux,pci-domain equals the function's
 * domain or, without that property, the n-th enabled bridge without one for domain n (the
 * kernel hands out dynamic domains in probe order); its bus-range must hold the bus.
 * Return: index into f->bridges, or -1.
 */
static long dt_bridge_of(const struct ia_fdt *f, const struct dt_pci *p)
{
	size_t dynamic = 0;

	for (size_t i = 0; i < f->n_bridges; i++) {
		const struct ia_fdt_host_bridge *b = &f->bridges[i];
		if (!b->enabled)
			continue;
		bool dom_ok = b->has_domain ? b->domain == p->domain : dynamic++ == p->domain;
		if (dom_ok && (!b->has_bus_range || (p->bus >= b->bus_first && p->bus <= b->bus_last)))
			return (long)i;
	}
	return -1;
}

static int dt_msi_isolating(const struct ia_fdt_msi_ctrl *c)
{
	switch (c->kind) {
	case IA_FDT_MSI_ITS: return c->isolating;  /* off only with the SynQuacer pre-ITS quirk */
	case IA_FDT_MSI_GICV2M:
	case IA_FDT_MSI_MBI: return 0;             /* SPI doorbells: the writer is not identified */
	default: return -1;                         /* unknown controller: cannot be judged from the DT */
	}
}

static const char *dt_msi_kind(enum ia_fdt_msi_kind k)
{
	return k == IA_FDT_MSI_ITS ? "gic-v3-its" : k == IA_FDT_MSI_GICV2M ? "gic-v2m" :
	       k == IA_FDT_MSI_MBI ? "mbi" : "other";
}

/* Store the decoded tree: host bridges, IOMMU units, MSI controllers, and the per-function links. */
static int dt_store(struct ia_ctx *ctx, const struct ia_fdt *f)
{
	sqlite3_stmt *hb = NULL, *port = NULL, *unit = NULL, *udev = NULL, *msi = NULL, *route = NULL;
	int64_t *unit_of = NULL, *ctrl_of = NULL;
	struct dt_pci *pci = NULL;
	size_t n_pci = 0;
	char compat[IA_FDT_COMPAT_MAX * IA_FDT_COMPAT_LEN + 32];
	int rc;

	if ((rc = dt_load_pci(ctx, &pci, &n_pci)) < 0)
		return rc;
	rc = -IA_E_SQLITE;
	if (ia_fact_prepare_insert(ctx->db, IA_FACT_dt_host_bridge, "OR IGNORE", &hb) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_dt_port, "OR IGNORE", &port) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_fw_unit, NULL, &unit) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_fw_unit_device, "OR IGNORE", &udev) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_msi_controller, NULL, &msi) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_pci_msi_route, "OR IGNORE", &route))
		goto out;
	rc = -ENOMEM;
	unit_of = calloc(f->n_iommus + 1, sizeof(*unit_of));
	ctrl_of = calloc(f->n_msi_ctrls + 1, sizeof(*ctrl_of));
	if (!unit_of || !ctrl_of)
		goto out;
	rc = 0;
	for (size_t i = 0; i < f->n_bridges; i++) {
		const struct ia_fdt_host_bridge *b = &f->bridges[i];
		dt_compat_join(&b->compat, compat, sizeof(compat));
		const struct ia_fact_dt_host_bridge hrow = {
			.path = b->path,
			.compatible = compat[0] ? compat : NULL,
			.enabled = ia_fact_i(true, b->enabled),
			.domain = ia_fact_i(b->has_domain, b->domain),
			.bus_first = ia_fact_i(b->has_bus_range, b->bus_first),
			.bus_last = ia_fact_i(b->has_bus_range, b->bus_last),
			.has_iommu_map = ia_fact_i(true, b->iommu_map.present),
			.iommu_map_mask = ia_fact_i(b->iommu_map.has_mask, b->iommu_map.mask),
			.has_msi_map = ia_fact_i(true, b->msi_map.present),
			.msi_map_mask = ia_fact_i(b->msi_map.has_mask, b->msi_map.mask),
			.n_msi_parent = ia_fact_i(true, (int64_t)b->n_msi_parent),
			.n_iommus = ia_fact_i(true, (int64_t)b->n_iommus),
		};
		ia_fact_bind(hb, IA_FACT_dt_host_bridge, &hrow);
		if (ia_db_step_done(hb) == 0)
			ctx->facts++;
		for (size_t c = 0; c < b->n_children; c++) {
			const struct ia_fact_dt_port prow = { .path = b->children[c].path, .host_bridge = b->path,
							      .external_facing = ia_fact_i(true, b->children[c].external_facing) };
			ia_fact_bind(port, IA_FACT_dt_port, &prow);
			ia_db_step_done(port);
		}
	}
	for (size_t i = 0; i < f->n_iommus; i++) {
		const struct ia_fdt_iommu *u = &f->iommus[i];
		unit_of[i] = -1;
		if (!u->enabled)
			continue; /* the kernel probes no driver for a disabled node */
		dt_compat_join(&u->compat, compat, sizeof(compat));
		const struct ia_fact_fw_unit urow = { /* id: NULL, the next row number */
			.source = "DT",
			.kind = ia_fdt_iommu_kind_name(u->kind),
			.name = u->path,
			.location = ia_fact_i(true, u->node_offset),
			.compatible = compat[0] ? compat : NULL,
			.dma_coherent = ia_fact_i(true, u->dma_coherent),
			.base = ia_fact_i(u->has_base, (int64_t)u->base),
		};
		ia_fact_bind(unit, IA_FACT_fw_unit, &urow);
		if (ia_db_step_done(unit) == 0) {
			unit_of[i] = sqlite3_last_insert_rowid(ctx->db);
			ctx->facts++;
		}
	}
	for (size_t i = 0; i < f->n_msi_ctrls; i++) {
		const struct ia_fdt_msi_ctrl *c = &f->msi_ctrls[i];
		ctrl_of[i] = -1;
		dt_compat_join(&c->compat, compat, sizeof(compat));
		int iso = dt_msi_isolating(c);
		const struct ia_fact_msi_controller mrow = { /* id: NULL, the next row number */
			.kind = dt_msi_kind(c->kind),
			.source = "DT",
			.name = c->path,
			.compatible = compat[0] ? compat : NULL,
			.isolating = ia_fact_i(iso >= 0, iso),
		};
		ia_fact_bind(msi, IA_FACT_msi_controller, &mrow);
		if (ia_db_step_done(msi) == 0) {
			ctrl_of[i] = sqlite3_last_insert_rowid(ctx->db);
			ctx->facts++;
		}
	}
	/* Per function: the IOMMU and StreamID from iommu-map (or iommus), the MSI controller and
	 * DeviceID from msi-map (or msi-parent) of its host bridge (of_map_id(), of_msi_map_id()). */
	for (size_t i = 0; i < n_pci; i++) {
		long b = dt_bridge_of(f, &pci[i]);
		struct ia_fdt_map_result m;
		uint32_t rid = (uint32_t)(pci[i].bus << 8 | pci[i].dev << 3 | pci[i].fn);
		if (b < 0)
			continue;
		const struct ia_fdt_host_bridge *hbr = &f->bridges[b];
		if (hbr->iommu_map.present) {
			if (ia_fdt_map_rid(f, (size_t)b, IA_FDT_MAP_IOMMU, rid, &m) == 0 && m.target < f->n_iommus &&
			    unit_of[m.target] >= 0) {
				const struct ia_fact_fw_unit_device drow = { ia_fact_i(true, unit_of[m.target]), pci[i].bdf,
									     "dt-iommu-map", ia_fact_i(true, m.out_id) };
				ia_fact_bind(udev, IA_FACT_fw_unit_device, &drow);
				if (ia_db_step_done(udev) == 0)
					ctx->facts++;
			}
		} else if (hbr->n_iommus && hbr->iommus[0].state == IA_FDT_TARGET_OK &&
			   hbr->iommus[0].target < f->n_iommus && unit_of[hbr->iommus[0].target] >= 0) {
			const struct ia_fdt_ref *ref = &hbr->iommus[0];
			const struct ia_fact_fw_unit_device drow = { ia_fact_i(true, unit_of[ref->target]), pci[i].bdf,
								     "dt-iommus", ia_fact_i(ref->n_args > 0, ref->args[0]) };
			ia_fact_bind(udev, IA_FACT_fw_unit_device, &drow);
			if (ia_db_step_done(udev) == 0)
				ctx->facts++;
		}
		if (ia_fdt_map_rid(f, (size_t)b, IA_FDT_MAP_MSI, rid, &m) == 0 && m.target < f->n_msi_ctrls &&
		    ctrl_of[m.target] >= 0) {
			const struct ia_fact_pci_msi_route rrow = { pci[i].bdf, ia_fact_i(true, ctrl_of[m.target]),
								    ia_fact_i(true, m.out_id),
								    m.via_msi_parent ? "dt-msi-parent" : "dt-msi-map" };
			ia_fact_bind(route, IA_FACT_pci_msi_route, &rrow);
			if (ia_db_step_done(route) == 0)
				ctx->facts++;
		}
	}
out:
	sqlite3_finalize(hb);
	sqlite3_finalize(port);
	sqlite3_finalize(unit);
	sqlite3_finalize(udev);
	sqlite3_finalize(msi);
	sqlite3_finalize(route);
	free(unit_of);
	free(ctrl_of);
	free(pci);
	return rc;
}

static int dt_collect(struct ia_ctx *ctx)
{
	const char *dtb = ctx->opts->dtb;
	char *buf = NULL, source[600];
	size_t len = 0;
	struct ia_fdt f = {0};
	struct ia_diags dg = {0};
	sqlite3_stmt *st;
	int rc;

	if (dtb) {
		rc = dt_read_file(dtb, &buf, &len);
		snprintf(source, sizeof(source), "dtb:%s", dtb);
	} else {
		rc = ia_fsroot_read(ctx->root, "sys/firmware/fdt", IA_FDT_MAX_BLOB, &buf, &len);
		snprintf(source, sizeof(source), "sys/firmware/fdt");
		if (rc == -ENOENT)
			return 0; /* an ACPI-only or x86 host has no device tree: a fact, not an error */
	}
	if (rc < 0) {
		ia_ctx_error(ctx, dtb ? dtb : "sys/firmware/fdt", rc, -1,
			     "the device tree's PCIe host bridges, IOMMUs and MSI controllers",
			     "cannot read the device tree: %s", ia_strerror(rc));
		return 0;
	}
	rc = ia_fdt_decode((const uint8_t *)buf, len, &f, &dg);
	size_t n_diags = dg.n;
	for (size_t i = 0; i < dg.n; i++) {
		char subject[96];
		/* "DT" for the blob, "DT /path" for a node or property inside it. */
		bool node = dg.v[i].where[0] == '/';
		snprintf(subject, sizeof(subject), "DT%s%s", node ? " " : "", node ? dg.v[i].where : "");
		ia_ctx_error(ctx, subject, dg.v[i].code, dg.v[i].offset,
			     rc < 0 ? "everything the device tree describes" : "what this node or property describes",
			     "DT: %s", dg.v[i].msg);
	}
	ia_diags_free(&dg);
	if (rc < 0 && !n_diags)
		ia_ctx_error(ctx, "DT", rc, -1, "everything the device tree describes",
			     "DT: cannot decode %s: %s", source, ia_strerror(rc));
	if (ia_fact_prepare_insert(ctx->db, IA_FACT_dt_blob, NULL, &st) == 0) {
		const struct ia_fact_dt_blob row = {
			.id = ia_fact_i(true, 1),
			.source = source,
			.bytes = { len ? (const void *)buf : "", len }, /* never NULL: an empty blob is 0 bytes */
			.decode_status = ia_fact_i(true, rc < 0 ? rc : 0),
		};
		ia_fact_bind(st, IA_FACT_dt_blob, &row);
		if (ia_db_step_done(st) == 0)
			ctx->facts++;
		sqlite3_finalize(st);
	}
	if (rc == 0)
		rc = dt_store(ctx, &f);
	ia_fdt_free(&f);
	free(buf);
	return rc < 0 && rc != -IA_E_FDT && rc != -IA_E_TOOBIG ? rc : 0;
}

const struct ia_collector ia_collector_dt = {
	.name = "dt",
	.reads = "sys/firmware/fdt, or the blob of --dtb FILE",
	.writes = IA_FACT_BIT(dt_blob) | IA_FACT_BIT(dt_host_bridge) | IA_FACT_BIT(dt_port) | IA_FACT_BIT(fw_unit) |
		  IA_FACT_BIT(fw_unit_device) | IA_FACT_BIT(msi_controller) | IA_FACT_BIT(pci_msi_route),
	.needs = IA_FACT_BIT(pci_function), /* iommu-map, msi-map: each function's RID */
	.collect = dt_collect,
};
