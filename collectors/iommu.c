// SPDX-License-Identifier: GPL-2.0-or-later
// IOMMU collector: groups and reserved regions, IOMMU units, VFIO/iommufd parameters, /dev/vfio, PCI drivers.
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "core/db.h"
#include "core/facts.h"
#include "decode/sysfs_attr.h"
#include "core/ia_err.h"

/* One group directory, read by iommu_group_read() (possibly on a worker thread). */
struct grp_item {
	const char *name;
	bool id_ok, opened, rr_ok, members_ok;
	uint64_t id;
	char *type, *gname;                 /* malloc'd; NULL when absent */
	struct ia_resv_region *rv;
	size_t nr;
	char **devs;
	size_t nd;
	struct ia_deferred errs;
};

struct grp_batch {
	const struct ia_fsroot *root;
	int groups_fd;
	const char *groups_canon;
	struct grp_item *items;
	struct ia_ctx *ctx;               /* iommu_group_store() only: the database side */
	sqlite3_stmt *g, *gd, *rr;        /* INSERT INTO iommu_group, iommu_group_device, reserved_region */
};

static char *iommu_dup_line(const struct ia_fsroot *r, int dfd, const char *name, int *err)
{
	char buf[256];
	long l = ia_fsdir_read_small(r, dfd, name, buf, sizeof(buf));

	*err = l < 0 ? (int)l : 0;
	if (l < 0)
		return NULL;
	buf[strcspn(buf, "\n")] = '\0';
	return strdup(buf);
}

static void iommu_group_read(void *arg, size_t idx)
{
	struct grp_batch *b = arg;
	struct grp_item *it = &b->items[idx];
	char rel[512], canon[1024], rrel[600], drel[600], small[4096];
	int err;

	snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%s", it->name);
	if (ia_parse_u64(it->name, strlen(it->name), 10, &it->id) < 0 || it->id > INT32_MAX) {
		ia_defer_error(&it->errs, rel, -IA_E_FORMAT, -1, NULL, "group directory name is not a number");
		return;
	}
	it->id_ok = true;
	int dfd = ia_fsroot_open_link_dir(b->root, b->groups_fd, b->groups_canon, it->name, false, canon, sizeof(canon));
	if (dfd < 0) {
		ia_defer_error(&it->errs, rel, dfd, -1, "this group's type, devices and reserved regions",
			       "cannot open group: %s", ia_strerror(dfd));
		return;
	}
	it->opened = true;
	it->type = iommu_dup_line(b->root, dfd, "type", &err);
	if (err < 0 && err != -ENOENT)
		ia_defer_error(&it->errs, rel, err, -1, "the group's default domain type",
			       "cannot read type: %s", ia_strerror(err));
	it->gname = iommu_dup_line(b->root, dfd, "name", &err);
	if (err < 0 && err != -ENOENT)
		ia_defer_error(&it->errs, rel, err, -1, "the group's name", "cannot read name: %s", ia_strerror(err));
	snprintf(rrel, sizeof(rrel), "%s/reserved_regions", rel);
	/* Small files are read through the group directory; a large or linked one through the root. */
	char *txt = NULL;
	size_t len = 0;
	long l = ia_fsdir_read_small(b->root, dfd, "reserved_regions", small, sizeof(small));
	int rrc = 0;
	if (l >= 0) {
		txt = small;
		len = (size_t)l;
	} else if (l == -IA_E_TOOBIG || l == -ELOOP) {
		rrc = ia_fsroot_read(b->root, rrel, 1u << 20, &txt, &len);
	} else {
		rrc = (int)l;
	}
	if (rrc < 0) {
		ia_defer_error(&it->errs, rrel, rrc, -1,
			       "firmware 1:1 (direct) regions of this group: its verdict stays unknown",
			       "cannot read reserved_regions: %s", ia_strerror(rrc));
	} else {
		struct ia_diags dg = {0};
		it->rr_ok = ia_parse_reserved_regions(txt, len, &it->rv, &it->nr, &dg) == 0;
		for (size_t k = 0; k < dg.n; k++)
			ia_defer_error(&it->errs, rrel, dg.v[k].code, dg.v[k].offset,
				       "firmware 1:1 (direct) regions of this group", "%s", dg.v[k].msg);
		ia_diags_free(&dg);
		if (txt != small)
			free(txt);
	}
	snprintf(drel, sizeof(drel), "%s/devices", rel);
	int rc = ia_fsdir_list(b->root, dfd, "devices", &it->devs, &it->nd);
	if (rc == -ELOOP || rc == -ENOTDIR)
		rc = ia_fsroot_list(b->root, drel, &it->devs, &it->nd); /* a link: resolve inside the root */
	it->members_ok = rc >= 0;
	if (rc < 0)
		ia_defer_error(&it->errs, drel, rc, -1, "this group's members", "cannot list group devices: %s",
			       ia_strerror(rc));
	ia_fsroot_handle_close(b->root, dfd);
}

/* Store group idx, read by iommu_group_read() (ia_collect_ordered()'s store step). */
static void iommu_group_store(void *arg, size_t idx)
{
	struct grp_batch *b = arg;
	struct grp_item *it = &b->items[idx];
	struct ia_ctx *ctx = b->ctx;

	ia_deferred_flush(ctx, &it->errs);
	if (!it->id_ok)
		return;
	if (it->opened) {
		const struct ia_fact_iommu_group g = {
			.id = ia_fact_i(true, (int64_t)it->id),
			.type = it->type,
			.name = it->gname,
			.reserved_regions_read = ia_fact_i(true, it->rr_ok),
			.members_read = ia_fact_i(true, it->members_ok),
		};
		ia_fact_bind(b->g, IA_FACT_iommu_group, &g);
		if (ia_db_step_done(b->g) == 0)
			ctx->facts++;
		for (size_t k = 0; k < it->nr; k++) {
			const struct ia_fact_reserved_region r = {
				.group_id = ia_fact_i(true, (int64_t)it->id),
				.start = ia_fact_i(true, (int64_t)it->rv[k].start),
				.end = ia_fact_i(true, (int64_t)it->rv[k].end),
				.type = ia_resv_type_name(it->rv[k].type),
			};
			ia_fact_bind(b->rr, IA_FACT_reserved_region, &r);
			ia_db_step_done(b->rr);
		}
	}
	for (size_t k = 0; k < it->nd; k++) {
		const struct ia_fact_iommu_group_device d = { ia_fact_i(true, (int64_t)it->id), it->devs[k] };
		ia_fact_bind(b->gd, IA_FACT_iommu_group_device, &d);
		ia_db_step_done(b->gd);
	}
}

static void iommu_groups(struct ia_ctx *ctx)
{
	char **names = NULL, canon[1024];
	size_t n = 0;
	sqlite3_stmt *g = NULL, *gd = NULL, *rr = NULL;
	struct grp_item *items = NULL;
	int gfd = -1;
	int rc = ia_fsroot_list(ctx->root, "sys/kernel/iommu_groups", &names, &n);

	if (rc < 0) {
		/* Absent when no IOMMU driver registered: a fact, not an error. */
		if (rc != -ENOENT)
			ia_ctx_error(ctx, "sys/kernel/iommu_groups", rc, -1, "the kernel's IOMMU groups",
				     "cannot list IOMMU groups: %s", ia_strerror(rc));
		return;
	}
	long cl = ia_fsroot_canonical(ctx->root, "sys/kernel/iommu_groups", canon, sizeof(canon));
	gfd = cl < 0 ? (int)cl : ia_fsroot_opendir(ctx->root, canon);
	if (gfd < 0) {
		ia_ctx_error(ctx, "sys/kernel/iommu_groups", gfd, -1, "the kernel's IOMMU groups",
			     "cannot open the IOMMU group directory: %s", ia_strerror(gfd));
		goto out;
	}
	if (ia_fact_prepare_insert(ctx->db, IA_FACT_iommu_group, NULL, &g) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_iommu_group_device, "OR IGNORE", &gd) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_reserved_region, "OR IGNORE", &rr))
		goto out;
	items = calloc(n ? n : 1, sizeof(*items));
	if (!items)
		goto out;
	for (size_t i = 0; i < n; i++)
		items[i].name = names[i];
	/* read on all CPUs while this thread stores, in directory order */
	struct grp_batch batch = { ctx->root, gfd, canon, items, ctx, g, gd, rr };
	ia_collect_ordered(n, n, iommu_group_read, iommu_group_store, &batch);
out:
	for (size_t i = 0; items && i < n; i++) {
		free(items[i].type);
		free(items[i].gname);
		free(items[i].rv);
		ia_fsroot_list_free(items[i].devs, items[i].nd);
	}
	free(items);
	ia_fsroot_handle_close(ctx->root, gfd);
	sqlite3_finalize(g);
	sqlite3_finalize(gd);
	sqlite3_finalize(rr);
	ia_fsroot_list_free(names, n);
}

static bool iommu_read_hex(struct ia_ctx *ctx, const char *rel, uint64_t *v)
{
	char buf[128];
	long l = ia_fsroot_read_small(ctx->root, rel, buf, sizeof(buf));

	if (l < 0) {
		if (l != -ENOENT)
			ia_ctx_error(ctx, rel, (int)l, -1, NULL, "cannot read: %s", ia_strerror((int)l));
		return false;
	}
	if (ia_parse_u64(buf, (size_t)l, 16, v) < 0) {
		ia_ctx_error(ctx, rel, -IA_E_FORMAT, -1, NULL, "\"%.40s\" is not a hex number", buf);
		return false;
	}
	return true;
}

/* The register base an Arm SMMU driver writes into its unit's name after "smmu3." or "smmu."
 * (iommu_device_sysfs_add(..., "smmu3.%pa", &ioaddr): "0x" and 16 hex digits). */
static bool iommu_name_base(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = 0;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return false;
	for (s += 2; n < 17 && isxdigit((unsigned char)s[n]); n++)
		v = v << 4 | (uint64_t)(isdigit((unsigned char)s[n]) ? s[n] - '0' : (tolower((unsigned char)s[n]) - 'a' + 10));
	if (!n || n > 16 || s[n])
		return false;
	*out = v;
	return true;
}

/* One sys/class/iommu unit: kind from its name and attribute directories; VT-d/AMD registers decoded
 * with the bit positions of kernel-rules.md Appendix B.2/B.3. */
static void iommu_unit(struct ia_ctx *ctx, sqlite3_stmt *u, sqlite3_stmt *ud, const char *name)
{
	char rel[512], buf[128];
	uint64_t cap = 0, ecap = 0, addr = 0, efr = 0, efr2 = 0;
	bool has_cap = false, has_ecap = false, has_addr = false, has_efr = false, has_efr2 = false;
	const char *kind = "other", *version = NULL;

	snprintf(rel, sizeof(rel), "sys/class/iommu/%s/intel-iommu", name);
	if (ia_fsroot_exists(ctx->root, rel)) {
		kind = "vt-d";
		snprintf(rel, sizeof(rel), "sys/class/iommu/%s/intel-iommu/cap", name);
		has_cap = iommu_read_hex(ctx, rel, &cap);
		snprintf(rel, sizeof(rel), "sys/class/iommu/%s/intel-iommu/ecap", name);
		has_ecap = iommu_read_hex(ctx, rel, &ecap);
		snprintf(rel, sizeof(rel), "sys/class/iommu/%s/intel-iommu/address", name);
		has_addr = iommu_read_hex(ctx, rel, &addr);
		snprintf(rel, sizeof(rel), "sys/class/iommu/%s/intel-iommu/version", name);
		if (ia_fsroot_read_small(ctx->root, rel, buf, sizeof(buf)) > 0) {
			buf[strcspn(buf, "\n")] = '\0';
			version = buf;
		}
	} else {
		snprintf(rel, sizeof(rel), "sys/class/iommu/%s/amd-iommu", name);
		if (ia_fsroot_exists(ctx->root, rel)) {
			kind = "amd-vi";
			snprintf(rel, sizeof(rel), "sys/class/iommu/%s/amd-iommu/cap", name);
			has_cap = iommu_read_hex(ctx, rel, &cap);
			snprintf(rel, sizeof(rel), "sys/class/iommu/%s/amd-iommu/features", name);
			long l = ia_fsroot_read_small(ctx->root, rel, buf, sizeof(buf));
			if (l > 0) {
				if (ia_parse_pair_u64(buf, (size_t)l, ':', 16, true, &efr, &efr2, &has_efr2) == 0)
					has_efr = true;
				else
					ia_ctx_error(ctx, rel, -IA_E_FORMAT, -1, "AMD IOMMU features (PPR, GT, XT)",
						     "\"%.40s\" is not EFR[:EFR2] in hex", buf);
			}
		} else if (!strncmp(name, "smmu3.", 6)) {
			kind = "smmu-v3";
			has_addr = iommu_name_base(name + 6, &addr);
		} else if (!strncmp(name, "smmu.", 5)) {
			kind = "smmu";
			has_addr = iommu_name_base(name + 5, &addr);
		}
	}
	bool vtd_cap = has_cap && !strcmp(kind, "vt-d");
	/* the register bits of kernel-rules.md Appendix B.2 (VT-d cap/ecap) and B.3 (AMD EFR) */
#define IOMMU_BIT(has, reg, bit) ia_fact_i(has, (int64_t)(((reg) >> (bit)) & 1))
	const struct ia_fact_iommu_unit row = {
		.name = name,
		.kind = kind,
		.address = ia_fact_i(has_addr, (int64_t)addr),
		.version = version,
		.cap = ia_fact_i(has_cap, (int64_t)cap),
		.ecap = ia_fact_i(has_ecap, (int64_t)ecap),
		.efr = ia_fact_i(has_efr, (int64_t)efr),
		.efr2 = ia_fact_i(has_efr2, (int64_t)efr2),
		.ecap_ir = IOMMU_BIT(has_ecap, ecap, 3),
		.ecap_eim = IOMMU_BIT(has_ecap, ecap, 4),
		.ecap_pt = IOMMU_BIT(has_ecap, ecap, 6),
		.ecap_dt = IOMMU_BIT(has_ecap, ecap, 2),
		.ecap_prs = IOMMU_BIT(has_ecap, ecap, 29),
		.ecap_pasid = IOMMU_BIT(has_ecap, ecap, 40),
		.ecap_smts = IOMMU_BIT(has_ecap, ecap, 43),
		.ecap_smpwc = IOMMU_BIT(has_ecap, ecap, 48),
		.cap_cm = IOMMU_BIT(vtd_cap, cap, 7),
		.efr_ppr = IOMMU_BIT(has_efr, efr, 1),
		.efr_gt = IOMMU_BIT(has_efr, efr, 4),
		.efr_xt = IOMMU_BIT(has_efr, efr, 2),
		.efr_ga = IOMMU_BIT(has_efr, efr, 7),
		.efr_pasmax = ia_fact_i(has_efr, (int64_t)((efr >> 32) & 0x1f)),
		.efr_eph = IOMMU_BIT(has_efr, efr, 50),
		.efr_snp = IOMMU_BIT(has_efr, efr, 63),
	};
#undef IOMMU_BIT
	ia_fact_bind(u, IA_FACT_iommu_unit, &row);
	if (ia_db_step_done(u) == 0)
		ctx->facts++;

	char **devs = NULL;
	size_t nd = 0;
	snprintf(rel, sizeof(rel), "sys/class/iommu/%s/devices", name);
	if (ia_fsroot_list(ctx->root, rel, &devs, &nd) == 0)
		for (size_t k = 0; k < nd; k++) {
			const struct ia_fact_iommu_unit_device d = { name, devs[k] };
			ia_fact_bind(ud, IA_FACT_iommu_unit_device, &d);
			ia_db_step_done(ud);
		}
	ia_fsroot_list_free(devs, nd);
}

static void iommu_units(struct ia_ctx *ctx)
{
	char **names = NULL;
	size_t n = 0;
	sqlite3_stmt *u = NULL, *ud = NULL;
	int rc = ia_fsroot_list(ctx->root, "sys/class/iommu", &names, &n);

	if (rc < 0) {
		if (rc != -ENOENT)
			ia_ctx_error(ctx, "sys/class/iommu", rc, -1, "the kernel's IOMMU units",
				     "cannot list IOMMU units: %s", ia_strerror(rc));
		return;
	}
	if (ia_fact_prepare_insert(ctx->db, IA_FACT_iommu_unit, NULL, &u) == 0 &&
	    ia_fact_prepare_insert(ctx->db, IA_FACT_iommu_unit_device, "OR IGNORE", &ud) == 0)
		for (size_t i = 0; i < n; i++)
			iommu_unit(ctx, u, ud, names[i]);
	sqlite3_finalize(u);
	sqlite3_finalize(ud);
	ia_fsroot_list_free(names, n);
}

/* Module parameters that decide VFIO and no-IOMMU behaviour (kernel-rules.md §5.3, §6). */
static void iommu_module_params(struct ia_ctx *ctx)
{
	static const char *const mods[] = { "vfio", "vfio_iommu_type1", "vfio_pci", "iommufd" };
	sqlite3_stmt *st, *md;

	if (ia_fact_prepare_insert(ctx->db, IA_FACT_module_param, "OR REPLACE", &st))
		return;
	if (ia_fact_prepare_insert(ctx->db, IA_FACT_sysfs_module, "OR REPLACE", &md)) {
		sqlite3_finalize(st);
		return;
	}
	for (size_t m = 0; m < sizeof(mods) / sizeof(*mods); m++) {
		char rel[256], **names = NULL;
		size_t n = 0;
		snprintf(rel, sizeof(rel), "sys/module/%s", mods[m]);
		if (!ia_fsroot_exists(ctx->root, rel))
			continue; /* not loaded (or built in without parameters) */
		snprintf(rel, sizeof(rel), "sys/module/%s/parameters", mods[m]);
		int rc = ia_fsroot_list(ctx->root, rel, &names, &n);
		const struct ia_fact_sysfs_module mrow = { .name = mods[m], .has_parameters = ia_fact_i(true, rc >= 0) };
		ia_fact_bind(md, IA_FACT_sysfs_module, &mrow);
		if (ia_db_step_done(md) == 0)
			ctx->facts++;
		if (rc < 0) {
			if (rc != -ENOENT)
				ia_ctx_error(ctx, rel, rc, -1, "VFIO module parameters",
					     "cannot list: %s", ia_strerror(rc));
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			char prel[512], buf[256];
			snprintf(prel, sizeof(prel), "%s/%s", rel, names[i]);
			long l = ia_fsroot_read_small(ctx->root, prel, buf, sizeof(buf));
			if (l >= 0)
				buf[strcspn(buf, "\n")] = '\0';
			else
				ia_ctx_error(ctx, prel, (int)l, -1, NULL, "cannot read: %s", ia_strerror((int)l));
			const struct ia_fact_module_param prow = { .module = mods[m], .name = names[i],
								   .value = l >= 0 ? buf : NULL };
			ia_fact_bind(st, IA_FACT_module_param, &prow);
			if (ia_db_step_done(st) == 0)
				ctx->facts++;
		}
		ia_fsroot_list_free(names, n);
	}
	sqlite3_finalize(md);
	sqlite3_finalize(st);
}

/* One row of @table (pci_driver or vfio_node: a name only) per entry of @dir, named @prefix<entry>. */
static void iommu_list_into(struct ia_ctx *ctx, const char *dir, const char *prefix, enum ia_fact_table_id table)
{
	char **names = NULL;
	size_t n = 0;
	sqlite3_stmt *st;
	int rc = ia_fsroot_list(ctx->root, dir, &names, &n);

	if (rc < 0) {
		if (rc != -ENOENT)
			ia_ctx_error(ctx, dir, rc, -1, NULL, "cannot list: %s", ia_strerror(rc));
		return;
	}
	if (ia_fact_prepare_insert(ctx->db, table, "OR IGNORE", &st) == 0) {
		for (size_t i = 0; i < n; i++) {
			char nm[512];
			snprintf(nm, sizeof(nm), "%s%s", prefix, names[i]);
			if (table == IA_FACT_pci_driver)
				ia_fact_bind(st, table, &(const struct ia_fact_pci_driver){ .name = nm });
			else
				ia_fact_bind(st, table, &(const struct ia_fact_vfio_node){ .name = nm });
			if (ia_db_step_done(st) == 0)
				ctx->facts++;
		}
		sqlite3_finalize(st);
	}
	ia_fsroot_list_free(names, n);
}

static int iommu_collect(struct ia_ctx *ctx)
{
	iommu_groups(ctx);
	iommu_units(ctx);
	iommu_module_params(ctx);
	iommu_list_into(ctx, "sys/bus/pci/drivers", "", IA_FACT_pci_driver);
	iommu_list_into(ctx, "dev/vfio", "", IA_FACT_vfio_node);
	iommu_list_into(ctx, "dev/vfio/devices", "devices/", IA_FACT_vfio_node);
	return 0;
}

const struct ia_collector ia_collector_iommu = {
	.name = "iommu",
	.reads = "sys/kernel/iommu_groups, sys/class/iommu, sys/module/{vfio,vfio_iommu_type1,vfio_pci,iommufd}/parameters, dev/vfio, sys/bus/pci/drivers",
	.writes = IA_FACT_BIT(iommu_group) | IA_FACT_BIT(iommu_group_device) | IA_FACT_BIT(reserved_region) |
		  IA_FACT_BIT(iommu_unit) | IA_FACT_BIT(iommu_unit_device) | IA_FACT_BIT(module_param) |
		  IA_FACT_BIT(sysfs_module) | IA_FACT_BIT(pci_driver) | IA_FACT_BIT(vfio_node),
	.collect = iommu_collect,
};
