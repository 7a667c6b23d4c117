// SPDX-License-Identifier: GPL-2.0-or-later
// PCI collector: enumerate functions and read config space with libpci, sysfs attributes through the root.
#include <errno.h>
#include <pci/pci.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "db.h"
#include "decode/pcicfg.h"
#include "decode/sysfs_attr.h"
#include "ia_err.h"

/* libpci's handlers take no user pointer: the running collection is kept here. */
static _Thread_local struct pci_run {
	struct ia_ctx *ctx;
	jmp_buf jb;
	char msg[256];
	bool in_libpci;
} *pci_run_cur;

static _Noreturn void pci_libpci_error(char *msg, ...)
{
	va_list ap;
	struct pci_run *r = pci_run_cur;

	va_start(ap, msg);
	vsnprintf(r->msg, sizeof(r->msg), msg, ap);
	va_end(ap);
	longjmp(r->jb, 1); /* libpci's error handler must not return; never exit the process */
}

static void pci_libpci_warning(char *msg, ...)
{
	va_list ap;
	struct pci_run *r = pci_run_cur;

	va_start(ap, msg);
	vsnprintf(r->msg, sizeof(r->msg), msg, ap);
	va_end(ap);
}

static void pci_libpci_debug(char *msg, ...)
{
	(void)msg;
}

/* The columns of pci_function, in bind order. */
enum pcol {
	C_BDF = 1, C_DOMAIN, C_BUS, C_DEV, C_FN, C_SYSFS_PATH, C_PARENT, C_VENDOR, C_DEVICE,
	C_SVENDOR, C_SDEVICE, C_CLASS, C_REVISION, C_HDR, C_MF, C_IS_PCIE, C_PCIE_TYPE, C_SEC,
	C_SUB, C_CFG_BYTES, C_CFG_SIZE, C_CAPS_COMPLETE, C_DEVCAP2, C_EETLP, C_HAS_ACS, C_ACS_OFF,
	C_ACS_CAP, C_ACS_CTRL, C_ACS_CAP_DW, C_ACS_CTRL_DW, C_HAS_ATS, C_ATS_CAP, C_ATS_CTRL,
	C_HAS_PRI, C_PRI_CTRL, C_PRI_STATUS, C_HAS_PASID, C_PASID_CAP, C_PASID_CTRL, C_HAS_ARI,
	C_HAS_SRIOV, C_SRIOV_CTRL, C_SRIOV_TOTAL, C_SRIOV_NUM, C_SRIOV_OFF, C_SRIOV_STRIDE,
	C_SRIOV_VFDEV, C_IS_VF, C_PHYSFN, C_NUMVFS, C_TOTALVFS, C_DRIVER, C_DRIVER_OVERRIDE,
	C_GROUP, C_UNIT, C_NUMA, C_IRQ, C_ENABLED, C_REMOVABLE, C_FWNODE, C_NCOLS = C_FWNODE
};

static const char pci_insert_sql[] =
	"INSERT INTO pci_function(bdf, domain, bus, dev, fn, sysfs_path, parent_bdf, vendor, device,"
	" subsys_vendor, subsys_device, class, revision, header_type, multifunction, is_pcie,"
	" pcie_type, secondary_bus, subordinate_bus, config_bytes, config_size, caps_complete,"
	" devcap2, eetlp_prefix, has_acs, acs_offset, acs_cap, acs_ctrl, acs_cap_dw, acs_ctrl_dw,"
	" has_ats, ats_cap, ats_ctrl, has_pri, pri_ctrl, pri_status, has_pasid, pasid_cap,"
	" pasid_ctrl, has_ari, has_sriov, sriov_ctrl, sriov_total_vfs, sriov_num_vfs,"
	" sriov_vf_offset, sriov_vf_stride, sriov_vf_device, is_vf, physfn_bdf, sysfs_numvfs,"
	" sysfs_totalvfs, driver, driver_override, iommu_group, iommu_unit, numa_node, irq, enabled,"
	" removable, firmware_node) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
	"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

struct pci_stmts {
	sqlite3_stmt *fn, *cap, *bar;
};

static void pci_bind_tri(sqlite3_stmt *st, int idx, enum ia_tri t)
{
	ia_db_bind_opt_int(st, idx, t != IA_UNKNOWN, t == IA_YES);
}

/* Read a hexadecimal or decimal attribute of the device directory; true when it parsed. */
static bool pci_attr_u64(struct ia_ctx *ctx, int dfd, const char *bdf, const char *name, int base,
			 bool mandatory, uint64_t *v)
{
	char buf[64];
	long n = ia_fsdir_read_small(dfd, name, buf, sizeof(buf));
	int rc;

	if (n < 0) {
		if (n != -ENOENT || mandatory)
			ia_ctx_error(ctx, bdf, (int)n, -1, NULL, "cannot read %s: %s", name,
				     ia_strerror((int)n));
		return false;
	}
	if ((rc = ia_parse_u64(buf, (size_t)n, base, v)) < 0) {
		ia_ctx_error(ctx, bdf, rc, -1, NULL, "attribute %s holds \"%.40s\", not a number", name,
			     buf);
		return false;
	}
	return true;
}

static void pci_bind_attr(struct ia_ctx *ctx, sqlite3_stmt *st, int col, int dfd, const char *bdf,
			  const char *name, int base, bool mandatory, bool have_cfg, uint64_t cfg_val)
{
	uint64_t v;

	if (dfd >= 0 && pci_attr_u64(ctx, dfd, bdf, name, base, mandatory, &v))
		sqlite3_bind_int64(st, col, (int64_t)v);
	else
		ia_db_bind_opt_int(st, col, have_cfg, (int64_t)cfg_val);
}

/*
 * Read config space through libpci in the chunks the kernel serves (64-byte header, 256-byte
 * legacy space, 4096-byte extended space); when a chunk fails, find the exact end dword by dword.
 */
static size_t pci_read_config(struct pci_dev *d, uint8_t *buf, size_t want)
{
	static const size_t chunks[] = { 64, 256, 4096 };
	size_t got = 0;

	for (size_t i = 0; i < 3 && got < want; i++) {
		size_t end = chunks[i] < want ? chunks[i] : want;
		if (pci_read_block(d, (int)got, buf + got, (int)(end - got))) {
			got = end;
			continue;
		}
		while (got + 4 <= end && pci_read_block(d, (int)got, buf + got, 4))
			got += 4;
		break;
	}
	return got;
}

/* Store a function's BARs from the resource attribute. */
static void pci_store_bars(struct ia_ctx *ctx, struct pci_stmts *s, int dfd, const char *bdf)
{
	char text[2048];
	struct ia_pci_resource res[IA_PCI_MAX_RESOURCES];
	struct ia_diags dg = {0};
	size_t n = 0;
	long len = ia_fsdir_read_small(dfd, "resource", text, sizeof(text));

	if (len < 0) {
		if (len != -ENOENT)
			ia_ctx_error(ctx, bdf, (int)len, -1, "BAR sizes (devices with no MMIO)",
				     "cannot read resource: %s", ia_strerror((int)len));
		return;
	}
	if (ia_parse_resource(text, (size_t)len, res, &n, &dg) < 0)
		for (size_t i = 0; i < dg.n; i++)
			ia_ctx_error(ctx, bdf, dg.v[i].code, dg.v[i].offset, "some BAR sizes",
				     "resource: %s", dg.v[i].msg);
	ia_diags_free(&dg);
	for (size_t i = 0; i < n; i++) {
		if (!(res[i].flags & (IA_IORESOURCE_IO | IA_IORESOURCE_MEM)) || res[i].end < res[i].start)
			continue;
		sqlite3_bind_text(s->bar, 1, bdf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(s->bar, 2, (int)i);
		sqlite3_bind_text(s->bar, 3, res[i].flags & IA_IORESOURCE_MEM ? "mem" : "io", -1, SQLITE_STATIC);
		sqlite3_bind_int64(s->bar, 4, (int64_t)res[i].start);
		sqlite3_bind_int64(s->bar, 5, (int64_t)(res[i].end - res[i].start + 1));
		sqlite3_bind_int64(s->bar, 6, (int64_t)res[i].flags);
		sqlite3_bind_int(s->bar, 7, !!(res[i].flags & IA_IORESOURCE_PREFETCH));
		sqlite3_bind_int(s->bar, 8, !!(res[i].flags & IA_IORESOURCE_MEM_64));
		ia_db_step_done(s->bar);
	}
}

/* "DDDD:BB:DD.F", the domain 4 to 8 hex digits (Intel VMD domains start at 0x10000). */
static bool pci_parse_bdf(const char *s, unsigned *dom, unsigned *bus, unsigned *dev, unsigned *fn)
{
	char tail;
	size_t dl = strspn(s, "0123456789abcdef");

	return dl >= 4 && dl <= 8 && s[dl] == ':' && strlen(s) == dl + 8 &&
	       sscanf(s, "%8x:%2x:%2x.%1u%c", dom, bus, dev, fn, &tail) == 4 && *dev < 32 && *fn < 8;
}

/*
 * pci_real_dma_dev() (arch/x86/pci/common.c): a function on a bus that an Intel VMD created issues
 * DMA with the VMD endpoint's requester ID. Such buses are root buses of their own PCI domain
 * (>= 0x10000) whose host-bridge directory sits inside the VMD function's directory:
 * sys/devices/pci0000:00/0000:00:0e.0/pci10000:e0/10000:e0:06.0. Only the vmd driver nests a host
 * bridge in a PCI function, so the pattern identifies it. Sets pci_function.real_dma_bdf.
 */
static void pci_mark_vmd(struct ia_ctx *ctx)
{
	sqlite3_stmt *q, *u;

	if (ia_db_prepare(ctx->db, "SELECT bdf, sysfs_path FROM pci_function WHERE sysfs_path LIKE '%/pci%/pci%'", &q))
		return;
	if (ia_db_prepare(ctx->db, "UPDATE pci_function SET real_dma_bdf = ? WHERE bdf = ?", &u)) {
		sqlite3_finalize(q);
		return;
	}
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *bdf = (const char *)sqlite3_column_text(q, 0);
		const char *path = (const char *)sqlite3_column_text(q, 1);
		char *dup = path ? strdup(path) : NULL;
		if (!dup)
			continue;
		/* the last "pci<domain>:<bus>" component, and the component before it */
		char *hb = NULL, *save = NULL, *prev = NULL, *owner = NULL;
		for (char *t = strtok_r(dup, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
			unsigned dm, bs;
			char tail;
			if (sscanf(t, "pci%x:%x%c", &dm, &bs, &tail) == 2) {
				hb = t;
				owner = prev;
			}
			prev = t;
		}
		unsigned a, b, e, f;
		if (hb && owner && pci_parse_bdf(owner, &a, &b, &e, &f)) {
			sqlite3_bind_text(u, 1, owner, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(u, 2, bdf, -1, SQLITE_TRANSIENT);
			ia_db_step_done(u);
		}
		free(dup);
	}
	sqlite3_finalize(q);
	sqlite3_finalize(u);
}

/* Collect one function; returns true when a row was written. */
static bool pci_collect_fn(struct ia_ctx *ctx, struct pci_stmts *s, struct pci_dev *d, bool sysfs)
{
	char bdf[16], rel[64], canon[1024], parent[16] = "", link[256];
	uint8_t cfg[IA_PCI_CFG_EXT];
	struct ia_pcicfg c;
	struct ia_diags dg = {0};
	size_t cfg_size = 0, readable;
	int dfd = -1;
	sqlite3_stmt *st = s->fn;

	snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%d", d->domain, d->bus, d->dev, d->func);
	sqlite3_bind_text(st, C_BDF, bdf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, C_DOMAIN, d->domain);
	sqlite3_bind_int(st, C_BUS, d->bus);
	sqlite3_bind_int(st, C_DEV, d->dev);
	sqlite3_bind_int(st, C_FN, d->func);

	if (sysfs) {
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", bdf);
		long cl = ia_fsroot_canonical(ctx->root, rel, canon, sizeof(canon));
		if (cl >= 0) {
			sqlite3_bind_text(st, C_SYSFS_PATH, canon, -1, SQLITE_TRANSIENT);
			/* The sysfs parent directory is the upstream bridge, unless it is the host bridge. */
			char *last = strrchr(canon, '/');
			if (last) {
				*last = '\0';
				char *pp = strrchr(canon, '/');
				unsigned a, b, e, f;
				if (pp && pci_parse_bdf(pp + 1, &a, &b, &e, &f))
					snprintf(parent, sizeof(parent), "%s", pp + 1);
				*last = '/';
			}
		}
		dfd = ia_fsroot_opendir(ctx->root, rel);
		if (dfd < 0) {
			ia_ctx_error(ctx, rel, dfd, -1, "every attribute of this function",
				     "device directory vanished or is unreadable: %s", ia_strerror(dfd));
		} else {
			struct stat stt;
			if (fstatat(dfd, "config", &stt, 0) == 0)
				cfg_size = (size_t)stt.st_size;
		}
	}
	if (parent[0])
		sqlite3_bind_text(st, C_PARENT, parent, -1, SQLITE_TRANSIENT);

	/* The kernel's config file is 256 or 4096 bytes; any other size is a truncated capture, and
	 * the device's real size is then unknown: decode as if 4096 so nothing unread counts as absent. */
	size_t decode_size = cfg_size;
	if (cfg_size && cfg_size != IA_PCI_CFG_LEGACY && cfg_size != IA_PCI_CFG_EXT) {
		ia_ctx_error(ctx, bdf, -IA_E_TRUNCATED, (long long)cfg_size, NULL,
			     "config file is %zu bytes; a kernel exposes 256 or 4096 (a truncated capture)",
			     cfg_size);
		decode_size = IA_PCI_CFG_EXT;
	}
	pci_run_cur->msg[0] = '\0';
	readable = pci_read_config(d, cfg, decode_size && decode_size < sizeof(cfg) ? decode_size : sizeof(cfg));
	if (readable == 0) {
		ia_ctx_error(ctx, bdf, -EIO, 0, "the header, ACS, ATS, PRI, PASID and SR-IOV state",
			     "config space unreadable%s%s", pci_run_cur->msg[0] ? ": " : "",
			     pci_run_cur->msg);
	}
	ia_pcicfg_decode(cfg, readable, decode_size, &c, &dg);
	if (readable && readable < decode_size) {
		ia_ctx_error(ctx, bdf, -EACCES, (long long)readable,
			     readable < 256 ? "the PCIe capability, ACS, ATS, PRI, PASID and SR-IOV"
					    : "the extended capabilities: ACS, ATS, PRI, PASID and SR-IOV",
			     "only %zu of %zu config bytes readable (an unprivileged read or a truncated "
			     "capture)", readable, decode_size);
	}
	for (size_t i = 0; i < dg.n; i++)
		if (dg.v[i].code != -IA_E_TRUNCATED)
			ia_ctx_error(ctx, bdf, dg.v[i].code, dg.v[i].offset, NULL, "config: %s", dg.v[i].msg);
	ia_diags_free(&dg);
	bool hdr = readable >= 64;

	pci_bind_attr(ctx, st, C_VENDOR, dfd, bdf, "vendor", 16, true, readable >= 2 && c.vendor != 0xffff, c.vendor);
	pci_bind_attr(ctx, st, C_DEVICE, dfd, bdf, "device", 16, true, readable >= 4 && c.device != 0xffff, c.device);
	pci_bind_attr(ctx, st, C_SVENDOR, dfd, bdf, "subsystem_vendor", 16, false,
		      hdr && c.hdr_type == 0, (uint64_t)(cfg[0x2c] | cfg[0x2d] << 8));
	pci_bind_attr(ctx, st, C_SDEVICE, dfd, bdf, "subsystem_device", 16, false,
		      hdr && c.hdr_type == 0, (uint64_t)(cfg[0x2e] | cfg[0x2f] << 8));
	pci_bind_attr(ctx, st, C_CLASS, dfd, bdf, "class", 16, true, hdr, c.class_code);
	pci_bind_attr(ctx, st, C_REVISION, dfd, bdf, "revision", 16, false, hdr, c.revision);

	/* SR-IOV: a VF has a physfn link, and never counts as multifunction (pci_iov_add_virtfn). */
	bool is_vf = false;
	if (dfd >= 0 && ia_fsdir_readlink_base(dfd, "physfn", link, sizeof(link)) >= 0) {
		is_vf = true;
		sqlite3_bind_text(st, C_PHYSFN, link, -1, SQLITE_TRANSIENT);
	}
	sqlite3_bind_int(st, C_IS_VF, is_vf);
	ia_db_bind_opt_int(st, C_HDR, hdr, c.hdr_type);
	/* pci_setup_device() takes header bit 7; pci_scan_slot() forces fn > 0 (ARI: devfn > 0). */
	bool fn_gt0 = !is_vf && (d->func > 0 || (c.has_ari == IA_YES && d->dev > 0));
	ia_db_bind_opt_int(st, C_MF, hdr || fn_gt0 || is_vf, !is_vf && (fn_gt0 || (hdr && c.hdr_multifunction)));
	pci_bind_tri(st, C_IS_PCIE, c.is_pcie);
	ia_db_bind_opt_int(st, C_PCIE_TYPE, c.is_pcie == IA_YES, c.pcie_type);
	ia_db_bind_opt_int(st, C_SEC, hdr && (c.hdr_type == 1 || c.hdr_type == 2), c.secondary_bus);
	ia_db_bind_opt_int(st, C_SUB, hdr && (c.hdr_type == 1 || c.hdr_type == 2), c.subordinate_bus);
	sqlite3_bind_int64(st, C_CFG_BYTES, (int64_t)readable);
	ia_db_bind_opt_int(st, C_CFG_SIZE, cfg_size > 0, (int64_t)cfg_size);
	pci_bind_tri(st, C_CAPS_COMPLETE, hdr ? c.caps_complete : IA_UNKNOWN);
	ia_db_bind_opt_int(st, C_DEVCAP2, c.has_devcap2 == IA_YES, c.devcap2);
	ia_db_bind_opt_int(st, C_EETLP, c.has_devcap2 != IA_UNKNOWN, c.has_devcap2 == IA_YES && c.eetlp_prefix);
	pci_bind_tri(st, C_HAS_ACS, c.has_acs);
	ia_db_bind_opt_int(st, C_ACS_OFF, c.acs_off != 0, c.acs_off);
	ia_db_bind_opt_int(st, C_ACS_CAP, c.has_acs == IA_YES, c.acs_cap);
	ia_db_bind_opt_int(st, C_ACS_CTRL, c.has_acs == IA_YES, c.acs_ctrl);
	ia_db_bind_opt_int(st, C_ACS_CAP_DW, c.has_acs == IA_YES, c.acs_cap_dw);
	ia_db_bind_opt_int(st, C_ACS_CTRL_DW, c.has_acs == IA_YES, c.acs_ctrl_dw);
	pci_bind_tri(st, C_HAS_ATS, c.has_ats);
	ia_db_bind_opt_int(st, C_ATS_CAP, c.has_ats == IA_YES, c.ats_cap);
	ia_db_bind_opt_int(st, C_ATS_CTRL, c.has_ats == IA_YES, c.ats_ctrl);
	pci_bind_tri(st, C_HAS_PRI, c.has_pri);
	ia_db_bind_opt_int(st, C_PRI_CTRL, c.has_pri == IA_YES, c.pri_ctrl);
	ia_db_bind_opt_int(st, C_PRI_STATUS, c.has_pri == IA_YES, c.pri_status);
	pci_bind_tri(st, C_HAS_PASID, c.has_pasid);
	ia_db_bind_opt_int(st, C_PASID_CAP, c.has_pasid == IA_YES, c.pasid_cap);
	ia_db_bind_opt_int(st, C_PASID_CTRL, c.has_pasid == IA_YES, c.pasid_ctrl);
	pci_bind_tri(st, C_HAS_ARI, c.has_ari);
	pci_bind_tri(st, C_HAS_SRIOV, c.has_sriov);
	ia_db_bind_opt_int(st, C_SRIOV_CTRL, c.has_sriov == IA_YES, c.sriov_ctrl);
	ia_db_bind_opt_int(st, C_SRIOV_TOTAL, c.has_sriov == IA_YES, c.sriov_total_vfs);
	ia_db_bind_opt_int(st, C_SRIOV_NUM, c.has_sriov == IA_YES, c.sriov_num_vfs);
	ia_db_bind_opt_int(st, C_SRIOV_OFF, c.has_sriov == IA_YES, c.sriov_vf_offset);
	ia_db_bind_opt_int(st, C_SRIOV_STRIDE, c.has_sriov == IA_YES, c.sriov_vf_stride);
	ia_db_bind_opt_int(st, C_SRIOV_VFDEV, c.has_sriov == IA_YES, c.sriov_vf_device);

	if (dfd >= 0) {
		uint64_t v;
		char txt[256];
		long n;
		if (pci_attr_u64(ctx, dfd, bdf, "sriov_numvfs", 10, false, &v))
			sqlite3_bind_int64(st, C_NUMVFS, (int64_t)v);
		if (pci_attr_u64(ctx, dfd, bdf, "sriov_totalvfs", 10, false, &v))
			sqlite3_bind_int64(st, C_TOTALVFS, (int64_t)v);
		if (ia_fsdir_readlink_base(dfd, "driver", link, sizeof(link)) >= 0)
			sqlite3_bind_text(st, C_DRIVER, link, -1, SQLITE_TRANSIENT);
		n = ia_fsdir_read_small(dfd, "driver_override", txt, sizeof(txt));
		if (n > 0) {
			txt[strcspn(txt, "\n")] = '\0';
			if (strcmp(txt, "(null)") != 0 && txt[0])
				sqlite3_bind_text(st, C_DRIVER_OVERRIDE, txt, -1, SQLITE_TRANSIENT);
		}
		if (ia_fsdir_readlink_base(dfd, "iommu_group", link, sizeof(link)) >= 0) {
			if (ia_parse_u64(link, strlen(link), 10, &v) == 0 && v <= INT32_MAX)
				sqlite3_bind_int64(st, C_GROUP, (int64_t)v);
			else
				ia_ctx_error(ctx, bdf, -IA_E_FORMAT, -1, "the device's IOMMU group",
					     "iommu_group link names \"%s\", not a group number", link);
		}
		if (ia_fsdir_readlink_base(dfd, "iommu", link, sizeof(link)) >= 0)
			sqlite3_bind_text(st, C_UNIT, link, -1, SQLITE_TRANSIENT);
		n = ia_fsdir_read_small(dfd, "numa_node", txt, sizeof(txt));
		if (n > 0 && txt[0] != '-' && ia_parse_u64(txt, (size_t)n, 10, &v) == 0)
			sqlite3_bind_int64(st, C_NUMA, (int64_t)v);
		if (pci_attr_u64(ctx, dfd, bdf, "irq", 10, false, &v))
			sqlite3_bind_int64(st, C_IRQ, (int64_t)v);
		if (pci_attr_u64(ctx, dfd, bdf, "enable", 10, false, &v))
			sqlite3_bind_int64(st, C_ENABLED, (int64_t)v);
		n = ia_fsdir_read_small(dfd, "removable", txt, sizeof(txt));
		if (n > 0) {
			txt[strcspn(txt, "\n")] = '\0';
			sqlite3_bind_text(st, C_REMOVABLE, txt, -1, SQLITE_TRANSIENT);
		}
		if (ia_fsdir_readlink_base(dfd, "firmware_node", link, sizeof(link)) >= 0)
			sqlite3_bind_text(st, C_FWNODE, link, -1, SQLITE_TRANSIENT);
	}
	int rc = ia_db_step_done(st);
	if (rc == 0) {
		ctx->facts++;
		for (size_t i = 0; i < c.n_caps; i++) {
			sqlite3_bind_text(s->cap, 1, bdf, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(s->cap, 2, c.caps[i].ext);
			sqlite3_bind_int(s->cap, 3, c.caps[i].id);
			sqlite3_bind_int(s->cap, 4, c.caps[i].offset);
			ia_db_bind_opt_int(s->cap, 5, c.caps[i].ext, c.caps[i].version);
			ia_db_step_done(s->cap);
		}
		if (dfd >= 0)
			pci_store_bars(ctx, s, dfd, bdf);
	} else {
		ia_ctx_error(ctx, bdf, rc, -1, NULL, "could not store the function: %s",
			     sqlite3_errmsg(ctx->db));
	}
	if (dfd >= 0)
		close(dfd);
	return rc == 0;
}

static int pci_cmp(const void *a, const void *b)
{
	const struct pci_dev *x = *(struct pci_dev *const *)a, *y = *(struct pci_dev *const *)b;

	if (x->domain != y->domain)
		return x->domain < y->domain ? -1 : 1;
	if (x->bus != y->bus)
		return x->bus - y->bus;
	if (x->dev != y->dev)
		return x->dev - y->dev;
	return x->func - y->func;
}

static int pci_collect(struct ia_ctx *ctx)
{
	struct pci_run run = { .ctx = ctx };
	struct pci_access *volatile pacc = NULL;
	/* Everything the error path needs lives in memory that longjmp cannot clobber. */
	static _Thread_local struct pci_stmts s;
	static _Thread_local struct pci_dev **devs;
	volatile int rc = 0;
	size_t n = 0;
	char path[4096];
	bool sysfs = !ctx->opts->pci_dump;

	memset(&s, 0, sizeof(s));
	devs = NULL;

	if (sysfs && !ia_fsroot_exists(ctx->root, "sys/bus/pci/devices")) {
		ia_ctx_error(ctx, "sys/bus/pci/devices", -ENOENT, -1, "every PCI function",
			     "no PCI device directory under the root");
		return 0;
	}
	pci_run_cur = &run;
	if (setjmp(run.jb)) {
		ia_ctx_error(ctx, sysfs ? "sys/bus/pci" : ctx->opts->pci_dump, -IA_E_LIBPCI, -1,
			     "every PCI function", "libpci: %s", run.msg);
		rc = -IA_E_LIBPCI;
		goto out;
	}
	pacc = pci_alloc();
	pacc->error = pci_libpci_error;
	pacc->warning = pci_libpci_warning;
	pacc->debug = pci_libpci_debug;
	pacc->buscentric = 1; /* enumerate by directory and config only: libpci exits on missing attributes otherwise */
	if (sysfs) {
		pacc->method = PCI_ACCESS_SYS_BUS_PCI;
		snprintf(path, sizeof(path), "%s/sys/bus/pci", ctx->root->path);
		pci_set_param(pacc, "sysfs.path", path);
	} else {
		pacc->method = PCI_ACCESS_DUMP;
		pci_set_param(pacc, "dump.name", (char *)ctx->opts->pci_dump);
	}
	pci_init(pacc);
	pci_scan_bus(pacc);
	for (struct pci_dev *d = pacc->devices; d; d = d->next)
		n++;
	devs = calloc(n ? n : 1, sizeof(*devs));
	if (!devs) {
		rc = -ENOMEM;
		goto out;
	}
	n = 0;
	for (struct pci_dev *d = pacc->devices; d; d = d->next)
		devs[n++] = d;
	qsort(devs, n, sizeof(*devs), pci_cmp);
	if (ia_db_prepare(ctx->db, pci_insert_sql, &s.fn) ||
	    ia_db_prepare(ctx->db, "INSERT OR IGNORE INTO pci_capability VALUES (?,?,?,?,?)", &s.cap) ||
	    ia_db_prepare(ctx->db, "INSERT INTO pci_bar VALUES (?,?,?,?,?,?,?,?)", &s.bar)) {
		rc = -IA_E_SQLITE;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		pci_collect_fn(ctx, &s, devs[i], sysfs);
	if (sysfs)
		pci_mark_vmd(ctx);
out:
	sqlite3_finalize(s.fn);
	sqlite3_finalize(s.cap);
	sqlite3_finalize(s.bar);
	free(devs);
	devs = NULL;
	if (pacc && setjmp(run.jb) == 0)
		pci_cleanup(pacc);
	pci_run_cur = NULL;
	return rc;
}

const struct ia_collector ia_collector_pci = {
	.name = "pci",
	.reads = "sys/bus/pci/devices/*/{config,vendor,device,class,resource,...} through libpci, or a libpci hex dump",
	.collect = pci_collect,
};
