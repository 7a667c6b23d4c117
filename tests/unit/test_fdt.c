// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of the device-tree decoder: each dts-* fixture compiled by dtc, hand-built and malformed blobs.
#include "testutil.h"

#include <errno.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode/fdt.h"
#include "core/ia_err.h"

/* ---- fixture cases --------------------------------------------------------------------- */

/* One expected host bridge. iommu_target NULL: the bridge must have no iommu-map. */
struct bridge_expect {
	const char *path;
	const char *compat0;
	bool enabled;
	bool has_msi;
	enum ia_fdt_msi_kind msi_kind;
	bool isolating;
	bool msi_self;
	const char *msi_path;       /* the first MSI controller's path (when has_msi) */
	const char *iommu_target;   /* the first iommu-map entry's IOMMU */
	enum ia_fdt_iommu_kind iommu_kind;
	size_t n_iommu_map;
	uint32_t bus_first, bus_last;
	bool has_domain;
	uint32_t domain;
	size_t n_children;
};

/* One RID mapped through a bridge; target NULL when rc is an error. */
struct rid_expect {
	const char *bridge;
	enum ia_fdt_map_kind which;
	uint32_t rid;
	int rc;
	const char *target;
	uint32_t out;
};

struct dts_case {
	const char *name;           /* fixture folder */
	const char *dts;            /* the flattened .dts inside it */
	size_t n_bridges, n_enabled, n_msi_ctrls, n_its, n_v2m, n_mbi, n_iommus;
	struct bridge_expect b[3];
	struct rid_expect r[7];
};

#define MSI IA_FDT_MAP_MSI
#define IOMMU IA_FDT_MAP_IOMMU

static const struct dts_case dts_cases[] = {
	{
		.name = "dts-rockchip-rk3588-rock-5b", .dts = "rk3588-rock-5b.dts",
		.n_bridges = 5, .n_enabled = 3, .n_msi_ctrls = 3, .n_its = 2, .n_mbi = 1, .n_iommus = 13,
		.b = {
			{ "/pcie@fe150000", "rockchip,rk3588-pcie", true, true, IA_FDT_MSI_ITS, true, false,
			  "/interrupt-controller@fe600000/msi-controller@fe660000", "/iommu@fc900000",
			  IA_FDT_IOMMU_SMMU_V3, 1, 0x00, 0x0f, true, 0, 0 },
			{ "/pcie@fe190000", "rockchip,rk3588-pcie", true, true, IA_FDT_MSI_ITS, true, false,
			  "/interrupt-controller@fe600000/msi-controller@fe640000", "/iommu@fc900000",
			  IA_FDT_IOMMU_SMMU_V3, 1, 0x40, 0x4f, true, 4, 0 },
			{ "/pcie@fe160000", "rockchip,rk3588-pcie", false, true, IA_FDT_MSI_ITS, true, false,
			  "/interrupt-controller@fe600000/msi-controller@fe660000", "/iommu@fc900000",
			  IA_FDT_IOMMU_SMMU_V3, 1, 0x10, 0x1f, true, 1, 0 },
		},
		.r = {
			{ "/pcie@fe150000", MSI, 0x0100, 0, "/interrupt-controller@fe600000/msi-controller@fe660000", 0x0100 },
			{ "/pcie@fe150000", IOMMU, 0x0100, 0, "/iommu@fc900000", 0x0100 },
			{ "/pcie@fe190000", MSI, 0x4100, 0, "/interrupt-controller@fe600000/msi-controller@fe640000", 0x4100 },
			{ "/pcie@fe190000", IOMMU, 0x5000, -IA_E_RANGE, NULL, 0 },
			{ "/pcie@fe170000", IOMMU, 0x2008, 0, "/iommu@fc900000", 0x2008 },
		},
	},
	{
		.name = "dts-nxp-lx2160a-rdb", .dts = "fsl-lx2160a-rdb.dts",
		.n_bridges = 6, .n_enabled = 0, .n_msi_ctrls = 1, .n_its = 1, .n_iommus = 1,
		.b = {
			{ "/soc/pcie@3400000", "fsl,lx2160ar2-pcie", false, true, IA_FDT_MSI_ITS, true, false,
			  "/interrupt-controller@6000000/msi-controller@6020000", "/soc/iommu@5000000",
			  IA_FDT_IOMMU_SMMU, 1, 0x00, 0xff, false, 0, 0 },
			{ "/soc/pcie@3900000", "fsl,lx2160ar2-pcie", false, true, IA_FDT_MSI_ITS, true, false,
			  "/interrupt-controller@6000000/msi-controller@6020000", "/soc/iommu@5000000",
			  IA_FDT_IOMMU_SMMU, 1, 0x00, 0xff, false, 0, 0 },
		},
		.r = {
			/* msi-parent = <&its 0>: no msi-map, the DeviceID is the RID */
			{ "/soc/pcie@3400000", MSI, 0x0100, 0, "/interrupt-controller@6000000/msi-controller@6020000", 0x0100 },
			/* the "fixed up by bootloader" placeholder: only RID 0 -> StreamID 0 */
			{ "/soc/pcie@3400000", IOMMU, 0x0000, 0, "/soc/iommu@5000000", 0 },
			{ "/soc/pcie@3400000", IOMMU, 0x0100, -IA_E_RANGE, NULL, 0 },
		},
	},
	{
		.name = "dts-marvell-armada-8040-mcbin", .dts = "armada-8040-mcbin.dts",
		.n_bridges = 6, .n_enabled = 1, .n_msi_ctrls = 7, .n_v2m = 4, .n_iommus = 1,
		.b = {
			{ "/cp0-bus/pcie@f2600000", "marvell,armada8k-pcie", true, true, IA_FDT_MSI_GICV2M, false,
			  false, "/soc/bus@f0000000/interrupt-controller@210000/v2m@280000",
			  "/soc/bus@f0000000/iommu@100000", IA_FDT_IOMMU_SMMU, 3, 0x00, 0xff, false, 0, 0 },
			{ "/cp1-bus/pcie@f4600000", "marvell,armada8k-pcie", false, true, IA_FDT_MSI_GICV2M, false,
			  false, "/soc/bus@f0000000/interrupt-controller@210000/v2m@280000", NULL,
			  IA_FDT_IOMMU_OTHER, 0, 0x00, 0xff, false, 0, 0 },
		},
		.r = {
			{ "/cp0-bus/pcie@f2600000", IOMMU, 0x0108, 0, "/soc/bus@f0000000/iommu@100000", 0x4a8 },
			/* iommu-map-mask 0x31f folds bus 4 onto bus 0 */
			{ "/cp0-bus/pcie@f2600000", IOMMU, 0x0420, 0, "/soc/bus@f0000000/iommu@100000", 0x480 },
			{ "/cp0-bus/pcie@f2600000", IOMMU, 0x0300, -IA_E_RANGE, NULL, 0 },
			{ "/cp0-bus/pcie@f2620000", IOMMU, 0x0000, -ENOENT, NULL, 0 },
			{ "/cp0-bus/pcie@f2600000", MSI, 0x0100, 0, "/soc/bus@f0000000/interrupt-controller@210000/v2m@280000", 0x0100 },
		},
	},
	{
		.name = "dts-arm-juno-r2", .dts = "juno-r2.dts",
		.n_bridges = 1, .n_enabled = 1, .n_msi_ctrls = 4, .n_v2m = 4, .n_iommus = 7,
		.b = {
			{ "/pcie@40000000", "arm,juno-r1-pcie", true, true, IA_FDT_MSI_GICV2M, false, false,
			  "/interrupt-controller@2c010000/v2m@0", "/iommu@2b500000", IA_FDT_IOMMU_SMMU, 1,
			  0x00, 0xff, true, 0, 0 },
		},
		.r = {
			/* iommu-map-mask = <0>: every RID is StreamID 0 */
			{ "/pcie@40000000", IOMMU, 0x0000, 0, "/iommu@2b500000", 0 },
			{ "/pcie@40000000", IOMMU, 0x0300, 0, "/iommu@2b500000", 0 },
			{ "/pcie@40000000", IOMMU, 0xffff, 0, "/iommu@2b500000", 0 },
			{ "/pcie@40000000", MSI, 0x0300, 0, "/interrupt-controller@2c010000/v2m@0", 0x0300 },
		},
	},
	{
		/* No GIC MSI at all: the DWC controllers terminate MSIs internally (no DT MSI parent). */
		.name = "dts-nvidia-jetson-agx-orin", .dts = "tegra234-p3737-0000+p3701-0000.dts",
		.n_bridges = 11, .n_enabled = 3, .n_msi_ctrls = 0, .n_iommus = 3,
		.b = {
			{ "/bus@0/pcie@14100000", "nvidia,tegra234-pcie", true, false, IA_FDT_MSI_OTHER, false,
			  false, NULL, "/bus@0/iommu@8000000", IA_FDT_IOMMU_SMMU, 1, 0x00, 0xff, true, 1, 0 },
			{ "/bus@0/pcie@14160000", "nvidia,tegra234-pcie", true, false, IA_FDT_MSI_OTHER, false,
			  false, NULL, "/bus@0/iommu@12000000", IA_FDT_IOMMU_SMMU, 1, 0x00, 0xff, true, 4, 0 },
		},
		.r = {
			{ "/bus@0/pcie@14100000", IOMMU, 0x0100, 0, "/bus@0/iommu@8000000", 0x05 },
			{ "/bus@0/pcie@14100000", IOMMU, 0xff08, 0, "/bus@0/iommu@8000000", 0x05 },
			{ "/bus@0/pcie@14160000", IOMMU, 0x0200, 0, "/bus@0/iommu@12000000", 0x13 },
			{ "/bus@0/pcie@14100000", MSI, 0x0100, -ENOENT, NULL, 0 },
		},
	},
	{
		.name = "dts-qcom-sm8450-hdk", .dts = "sm8450-hdk.dts",
		.n_bridges = 2, .n_enabled = 2, .n_msi_ctrls = 1, .n_its = 1, .n_iommus = 2,
		.b = {
			{ "/soc@0/pcie@1c00000", "qcom,pcie-sm8450-pcie0", true, true, IA_FDT_MSI_ITS, true, false,
			  "/soc@0/interrupt-controller@17100000/msi-controller@17140000",
			  "/soc@0/iommu@15000000", IA_FDT_IOMMU_SMMU, 2, 0x00, 0xff, true, 0, 1 },
			{ "/soc@0/pcie@1c08000", "qcom,pcie-sm8450-pcie1", true, true, IA_FDT_MSI_ITS, true, false,
			  "/soc@0/interrupt-controller@17100000/msi-controller@17140000",
			  "/soc@0/iommu@15000000", IA_FDT_IOMMU_SMMU, 2, 0x00, 0xff, true, 1, 1 },
		},
		.r = {
			{ "/soc@0/pcie@1c00000", MSI, 0x0000, 0, "/soc@0/interrupt-controller@17100000/msi-controller@17140000", 0x5980 },
			/* msi-map-mask 0xff00: every function on bus 1 shares DeviceID 0x5981 */
			{ "/soc@0/pcie@1c00000", MSI, 0x0108, 0, "/soc@0/interrupt-controller@17100000/msi-controller@17140000", 0x5981 },
			{ "/soc@0/pcie@1c00000", MSI, 0x0200, -IA_E_RANGE, NULL, 0 },
			{ "/soc@0/pcie@1c00000", IOMMU, 0x0100, 0, "/soc@0/iommu@15000000", 0x1c01 },
			/* no iommu-map-mask: only RIDs 0x0000 and 0x0100 have a StreamID */
			{ "/soc@0/pcie@1c00000", IOMMU, 0x0108, -IA_E_RANGE, NULL, 0 },
			{ "/soc@0/pcie@1c08000", MSI, 0x0100, 0, "/soc@0/interrupt-controller@17100000/msi-controller@17140000", 0x5a01 },
		},
	},
	{
		/* No GIC: the PCIe node is its own MSI controller (AIC-backed), not isolating. */
		.name = "dts-apple-m1-mac-mini-t8103-j274", .dts = "t8103-j274.dts",
		.n_bridges = 1, .n_enabled = 1, .n_msi_ctrls = 1, .n_iommus = 9,
		.b = {
			{ "/soc/pcie@690000000", "apple,t8103-pcie", true, true, IA_FDT_MSI_OTHER, false, true,
			  "/soc/pcie@690000000", "/soc/iommu@681008000", IA_FDT_IOMMU_OTHER, 3, 0x00, 0x03,
			  false, 0, 3 },
		},
		.r = {
			{ "/soc/pcie@690000000", IOMMU, 0x0100, 0, "/soc/iommu@681008000", 1 },
			{ "/soc/pcie@690000000", IOMMU, 0x0208, 0, "/soc/iommu@682008000", 1 },
			{ "/soc/pcie@690000000", IOMMU, 0x0000, -IA_E_RANGE, NULL, 0 },
			{ "/soc/pcie@690000000", MSI, 0x0100, 0, "/soc/pcie@690000000", 0x0100 },
		},
	},
	{
		.name = "dts-hisilicon-hip07-d05", .dts = "hip07-d05.dts",
		.n_bridges = 1, .n_enabled = 1, .n_msi_ctrls = 8, .n_its = 8, .n_iommus = 5,
		.b = {
			{ "/soc/pcie@af800000", "hisilicon,hip07-pcie-ecam", true, true, IA_FDT_MSI_ITS, true, false,
			  "/interrupt-controller@4d000000/msi-controller@c6000000", NULL, IA_FDT_IOMMU_OTHER, 0,
			  0xf8, 0xff, false, 0, 0 },
		},
		.r = {
			{ "/soc/pcie@af800000", MSI, 0xf800, 0, "/interrupt-controller@4d000000/msi-controller@c6000000", 0xf800 },
			{ "/soc/pcie@af800000", MSI, 0xfa10, 0, "/interrupt-controller@4d000000/msi-controller@c6000000", 0xfa10 },
			{ "/soc/pcie@af800000", MSI, 0x0100, -IA_E_RANGE, NULL, 0 },
			{ "/soc/pcie@af800000", IOMMU, 0xf800, -ENOENT, NULL, 0 },
		},
	},
};

static char tmpdir[] = "/tmp/ia-test-fdt-XXXXXX";

/* The case's DTB: a shipped .dtb beside the .dts if present, else dtc output (malloc'd). */
static uint8_t *load_dtb(const struct dts_case *c, size_t *len)
{
	char dts[4096], dtb[4096], out[4096], cmd[3 * 4096];
	struct stat st;
	int status = -1;
	char *log;
	size_t n;

	snprintf(dts, sizeof(dts), "%s/%s", c->name, c->dts);
	snprintf(dts, sizeof(dts), "%s", ia_fixture(dts));
	n = strlen(dts);
	snprintf(dtb, sizeof(dtb), "%.*s.dtb", (int)(n - 4), dts);
	if (stat(dtb, &st) == 0)
		return ia_slurp(dtb, len);
	snprintf(out, sizeof(out), "%s/%s.dtb", tmpdir, c->name);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o '%s' '%s' 2>&1", out, dts);
	log = ia_run_capture(cmd, &status);
	if (status != 0)
		print_error("dtc failed (%d) for %s: %s\n", status, dts, log ? log : "");
	free(log);
	assert_int_equal(status, 0);
	return ia_slurp(out, len);
}

static void check_rid(const struct ia_fdt *f, const struct rid_expect *r)
{
	struct ia_fdt_map_result res;
	long bi = ia_fdt_find_bridge(f, r->bridge);
	int rc;

	if (bi < 0)
		print_error("bridge %s not found\n", r->bridge);
	assert_true(bi >= 0);
	memset(&res, 0, sizeof(res));
	rc = ia_fdt_map_rid(f, (size_t)bi, r->which, r->rid, &res);
	if (rc != r->rc)
		print_error("%s %s RID 0x%04x: rc %d (%s), expected %d\n", r->bridge,
			    r->which == MSI ? "MSI" : "IOMMU", r->rid, rc, ia_strerror(rc), r->rc);
	assert_int_equal(rc, r->rc);
	if (rc)
		return;
	if (r->which == MSI) {
		assert_true(res.target < f->n_msi_ctrls);
		assert_string_equal(f->msi_ctrls[res.target].path, r->target);
	} else {
		assert_true(res.target < f->n_iommus);
		assert_string_equal(f->iommus[res.target].path, r->target);
	}
	assert_int_equal(res.out_id, r->out);
}

static void check_bridge(const struct ia_fdt *f, const struct bridge_expect *e)
{
	long bi = ia_fdt_find_bridge(f, e->path);

	if (bi < 0)
		print_error("bridge %s not found\n", e->path);
	assert_true(bi >= 0);
	const struct ia_fdt_host_bridge *b = &f->bridges[bi];

	assert_true(b->compat.n >= 1);
	assert_string_equal(b->compat.s[0], e->compat0);
	assert_int_equal(b->enabled, e->enabled);
	assert_int_equal(b->has_msi_ctrl, e->has_msi);
	assert_int_equal(b->msi_isolating, e->isolating);
	assert_int_equal(b->msi_self, e->msi_self);
	if (e->has_msi) {
		const struct ia_fdt_msi_ctrl *m = &f->msi_ctrls[b->msi_ctrl];

		assert_int_equal(m->kind, e->msi_kind);
		assert_int_equal(m->isolating, e->isolating);
		assert_string_equal(m->path, e->msi_path);
	} else {
		assert_false(b->msi_map.present);
		assert_int_equal(b->n_msi_parent, 0);
	}
	if (e->iommu_target) {
		assert_true(b->iommu_map.present && b->iommu_map.valid);
		assert_int_equal(b->iommu_map.n, e->n_iommu_map);
		assert_int_equal(b->iommu_map.v[0].state, IA_FDT_TARGET_OK);
		const struct ia_fdt_iommu *u = &f->iommus[b->iommu_map.v[0].target];

		assert_string_equal(u->path, e->iommu_target);
		assert_int_equal(u->kind, e->iommu_kind);
	} else {
		assert_false(b->iommu_map.present);
	}
	assert_true(b->has_bus_range);
	assert_int_equal(b->bus_first, e->bus_first);
	assert_int_equal(b->bus_last, e->bus_last);
	assert_int_equal(b->has_domain, e->has_domain);
	if (e->has_domain)
		assert_int_equal(b->domain, e->domain);
	assert_int_equal(b->n_children, e->n_children);
	for (size_t k = 0; k < b->n_children; k++)
		assert_false(b->children[k].external_facing); /* no fixture marks a port external */
}

static void test_dts_case(void **state)
{
	const struct dts_case *c = *state;
	size_t len = 0, enabled = 0, its = 0, v2m = 0, mbi = 0;
	uint8_t *blob = load_dtb(c, &len);
	struct ia_fdt f;
	struct ia_diags d = {0};

	assert_non_null(blob);
	assert_int_equal(ia_fdt_decode(blob, len, &f, &d), 0);
	for (size_t i = 0; i < d.n; i++)
		print_error("unexpected diagnostic %d %s: %s\n", d.v[i].code, d.v[i].where, d.v[i].msg);
	assert_int_equal(d.n, 0);
	assert_int_equal(f.n_bridges, c->n_bridges);
	assert_int_equal(f.n_msi_ctrls, c->n_msi_ctrls);
	assert_int_equal(f.n_iommus, c->n_iommus);
	for (size_t i = 0; i < f.n_bridges; i++)
		enabled += f.bridges[i].enabled;
	for (size_t i = 0; i < f.n_msi_ctrls; i++) {
		its += f.msi_ctrls[i].kind == IA_FDT_MSI_ITS;
		v2m += f.msi_ctrls[i].kind == IA_FDT_MSI_GICV2M;
		mbi += f.msi_ctrls[i].kind == IA_FDT_MSI_MBI;
		/* the kernel rule: isolating exactly when an ITS without the SynQuacer quirk */
		assert_int_equal(f.msi_ctrls[i].isolating, f.msi_ctrls[i].kind == IA_FDT_MSI_ITS);
	}
	assert_int_equal(enabled, c->n_enabled);
	assert_int_equal(its, c->n_its);
	assert_int_equal(v2m, c->n_v2m);
	assert_int_equal(mbi, c->n_mbi);
	for (size_t i = 0; i < sizeof(c->b) / sizeof(c->b[0]) && c->b[i].path; i++)
		check_bridge(&f, &c->b[i]);
	for (size_t i = 0; i < sizeof(c->r) / sizeof(c->r[0]) && c->r[i].bridge; i++)
		check_rid(&f, &c->r[i]);
	ia_fdt_free(&f);
	ia_fdt_free(&f); /* idempotent */
	ia_diags_free(&d);
	free(blob);
}

/* ---- hand-built blobs (libfdt sequential-write API) ------------------------------------- */

#define BLOB_SIZE 16384

struct tb {
	void *fdt;
};

static void tb_begin(struct tb *t)
{
	t->fdt = calloc(1, BLOB_SIZE);
	assert_non_null(t->fdt);
	assert_int_equal(fdt_create(t->fdt, BLOB_SIZE), 0);
	assert_int_equal(fdt_finish_reservemap(t->fdt), 0);
	assert_int_equal(fdt_begin_node(t->fdt, ""), 0);
}

static void tb_node(struct tb *t, const char *name)
{
	assert_int_equal(fdt_begin_node(t->fdt, name), 0);
}

static void tb_end(struct tb *t)
{
	assert_int_equal(fdt_end_node(t->fdt), 0);
}

static void tb_str(struct tb *t, const char *name, const char *s)
{
	assert_int_equal(fdt_property_string(t->fdt, name, s), 0);
}

static void tb_flag(struct tb *t, const char *name)
{
	assert_int_equal(fdt_property(t->fdt, name, NULL, 0), 0);
}

static void tb_cells(struct tb *t, const char *name, const uint32_t *v, size_t n)
{
	fdt32_t be[32];

	assert_true(n <= 32);
	for (size_t i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	assert_int_equal(fdt_property(t->fdt, name, be, (int)(n * 4)), 0);
}

#define TB_CELLS(t, name, ...)                                                                    \
	do {                                                                                      \
		const uint32_t v_[] = { __VA_ARGS__ };                                            \
		tb_cells((t), (name), v_, sizeof(v_) / sizeof(v_[0]));                            \
	} while (0)

/* Finish: close the root node and the blob; returns its size. */
static size_t tb_finish(struct tb *t)
{
	tb_end(t);
	assert_int_equal(fdt_finish(t->fdt), 0);
	return fdt_totalsize(t->fdt);
}

/*
 * A tree with one of each MSI kind and a mix of bridges:
 *   phandle 1 ITS, 2 ITS with the SynQuacer pre-ITS quirk, 3 GICv3 with mbi-ranges, 4 SMMUv3,
 *   5 a plain node (not an IOMMU), 6 GICv2m frame.
 */
static void tb_providers(struct tb *t)
{
	tb_node(t, "its@1");
	tb_str(t, "compatible", "arm,gic-v3-its");
	tb_flag(t, "msi-controller");
	TB_CELLS(t, "#msi-cells", 1);
	TB_CELLS(t, "phandle", 1);
	tb_end(t);
	tb_node(t, "its@2");
	tb_str(t, "compatible", "arm,gic-v3-its");
	tb_flag(t, "msi-controller");
	tb_flag(t, "socionext,synquacer-pre-its");
	TB_CELLS(t, "#msi-cells", 1);
	TB_CELLS(t, "phandle", 2);
	tb_end(t);
	tb_node(t, "interrupt-controller@3");
	tb_str(t, "compatible", "arm,gic-v3");
	tb_flag(t, "msi-controller");
	TB_CELLS(t, "mbi-ranges", 64, 32);
	TB_CELLS(t, "phandle", 3);
	tb_end(t);
	tb_node(t, "iommu@4");
	tb_str(t, "compatible", "arm,smmu-v3");
	TB_CELLS(t, "#iommu-cells", 1);
	tb_flag(t, "dma-coherent");
	TB_CELLS(t, "phandle", 4);
	tb_end(t);
	tb_node(t, "clock@5");
	TB_CELLS(t, "phandle", 5);
	tb_end(t);
	tb_node(t, "v2m@6");
	tb_str(t, "compatible", "arm,gic-v2m-frame");
	tb_flag(t, "msi-controller");
	TB_CELLS(t, "phandle", 6);
	tb_end(t);
}

/* An SMMU's register base (the JSON unit's base): its reg through the parents' ranges, as
 * of_translate_address() does: a node at the root (QEMU virt's /smmuv3@9050000), one on a bus whose
 * ranges move it (0x1000 on the bus is 0x40001000), one whose bus has no ranges (not translatable),
 * one on an empty ranges (1:1), and one without reg. */
static void test_iommu_base(void **state)
{
	struct tb t;
	struct ia_fdt f;
	struct ia_diags d = {0};
	(void)state;

	tb_begin(&t);
	TB_CELLS(&t, "#address-cells", 2);
	TB_CELLS(&t, "#size-cells", 2);
	tb_node(&t, "smmuv3@9050000");
	tb_str(&t, "compatible", "arm,smmu-v3");
	TB_CELLS(&t, "#iommu-cells", 1);
	TB_CELLS(&t, "reg", 0, 0x9050000, 0, 0x20000);
	tb_end(&t);
	tb_node(&t, "soc");
	TB_CELLS(&t, "#address-cells", 1);
	TB_CELLS(&t, "#size-cells", 1);
	TB_CELLS(&t, "ranges", 0x0, 0x0, 0x40000000, 0x100000);
	tb_node(&t, "iommu@1000");
	tb_str(&t, "compatible", "arm,mmu-500");
	TB_CELLS(&t, "#iommu-cells", 1);
	TB_CELLS(&t, "reg", 0x1000, 0x1000);
	tb_end(&t);
	tb_node(&t, "iommu@200000");
	tb_str(&t, "compatible", "arm,mmu-500");
	TB_CELLS(&t, "#iommu-cells", 1);
	TB_CELLS(&t, "reg", 0x200000, 0x1000); /* past the range: OF_BAD_ADDR */
	tb_end(&t);
	tb_end(&t);
	tb_node(&t, "bus-flat");
	TB_CELLS(&t, "#address-cells", 2);
	TB_CELLS(&t, "#size-cells", 2);
	tb_flag(&t, "ranges");
	tb_node(&t, "iommu@8000");
	tb_str(&t, "compatible", "arm,smmu-v3");
	TB_CELLS(&t, "#iommu-cells", 1);
	TB_CELLS(&t, "reg", 0x1, 0x8000, 0, 0x1000);
	tb_end(&t);
	tb_end(&t);
	tb_node(&t, "bus-closed");
	TB_CELLS(&t, "#address-cells", 1);
	TB_CELLS(&t, "#size-cells", 1);
	tb_node(&t, "iommu@9000");
	tb_str(&t, "compatible", "arm,smmu-v3");
	TB_CELLS(&t, "#iommu-cells", 1);
	TB_CELLS(&t, "reg", 0x9000, 0x1000);
	tb_end(&t);
	tb_end(&t);
	/* two levels of ranges: 0x10 on the inner bus is 0x2010 on the outer, 0x80002010 at the root */
	tb_node(&t, "outer");
	TB_CELLS(&t, "#address-cells", 1);
	TB_CELLS(&t, "#size-cells", 1);
	TB_CELLS(&t, "ranges", 0x0, 0x0, 0x80000000, 0x10000);
	tb_node(&t, "inner");
	TB_CELLS(&t, "#address-cells", 1);
	TB_CELLS(&t, "#size-cells", 1);
	TB_CELLS(&t, "ranges", 0x0, 0x2000, 0x1000);
	tb_node(&t, "iommu@10");
	tb_str(&t, "compatible", "arm,smmu-v3");
	TB_CELLS(&t, "#iommu-cells", 1);
	TB_CELLS(&t, "reg", 0x10, 0x10);
	tb_end(&t);
	tb_end(&t);
	/* no cell counts of its own: the outer bus's (one and one) are inherited */
	tb_node(&t, "plain");
	TB_CELLS(&t, "ranges", 0x0, 0x3000, 0x1000);
	tb_node(&t, "iommu@20");
	tb_str(&t, "compatible", "arm,smmu-v3");
	TB_CELLS(&t, "#iommu-cells", 1);
	TB_CELLS(&t, "reg", 0x20, 0x10);
	tb_end(&t);
	tb_end(&t);
	tb_end(&t);
	/* #size-cells 0: OF_CHECK_COUNTS() refuses it */
	tb_node(&t, "sizeless");
	TB_CELLS(&t, "#address-cells", 1);
	TB_CELLS(&t, "#size-cells", 0);
	tb_flag(&t, "ranges");
	tb_node(&t, "iommu@30");
	tb_str(&t, "compatible", "arm,smmu-v3");
	TB_CELLS(&t, "#iommu-cells", 1);
	TB_CELLS(&t, "reg", 0x30);
	tb_end(&t);
	tb_end(&t);
	/* a reg shorter than one address */
	tb_node(&t, "iommu-short");
	tb_str(&t, "compatible", "arm,smmu-v3");
	TB_CELLS(&t, "#iommu-cells", 1);
	TB_CELLS(&t, "reg", 0x1);
	tb_end(&t);
	tb_node(&t, "iommu-noreg");
	tb_str(&t, "compatible", "arm,smmu-v3");
	TB_CELLS(&t, "#iommu-cells", 1);
	tb_end(&t);
	size_t len = tb_finish(&t);
	assert_int_equal(ia_fdt_decode(t.fdt, len, &f, &d), 0);
	static const struct { const char *path; bool has; uint64_t base; } want[] = {
		{ "/smmuv3@9050000", true, 0x9050000 }, { "/soc/iommu@1000", true, 0x40001000 },
		{ "/soc/iommu@200000", false, 0 }, { "/bus-flat/iommu@8000", true, 0x100008000ull },
		{ "/bus-closed/iommu@9000", false, 0 }, { "/iommu-noreg", false, 0 },
		{ "/outer/inner/iommu@10", true, 0x80002010 }, { "/outer/plain/iommu@20", true, 0x80003020 },
		{ "/sizeless/iommu@30", false, 0 }, { "/iommu-short", false, 0 },
	};
	assert_int_equal(f.n_iommus, sizeof(want) / sizeof(*want));
	for (size_t i = 0; i < f.n_iommus; i++) {
		size_t k = 0;
		while (k < sizeof(want) / sizeof(*want) && strcmp(want[k].path, f.iommus[i].path))
			k++;
		if (k == sizeof(want) / sizeof(*want))
			fail_msg("unexpected IOMMU %s", f.iommus[i].path);
		if (f.iommus[i].has_base != want[k].has || (want[k].has && f.iommus[i].base != want[k].base))
			fail_msg("%s: base %s0x%llx, expected %s0x%llx", want[k].path, f.iommus[i].has_base ? "" : "none ",
				 (unsigned long long)f.iommus[i].base, want[k].has ? "" : "none ",
				 (unsigned long long)want[k].base);
	}
	ia_fdt_free(&f);
	ia_diags_free(&d);
	free(t.fdt);
}

static void test_handbuilt_kinds(void **state)
{
	struct tb t;
	struct ia_fdt f;
	struct ia_diags d = {0};
	struct ia_fdt_map_result res;
	long bi;

	tb_begin(&t);
	tb_providers(&t);
	tb_node(&t, "pcie@a");                 /* ITS + SMMUv3, one external-facing root port */
	tb_str(&t, "device_type", "pci");
	TB_CELLS(&t, "msi-map", 0x0, 1, 0x10000, 0x10000);
	TB_CELLS(&t, "iommu-map", 0x0, 4, 0x0, 0x10000);
	TB_CELLS(&t, "bus-range", 0, 0x7f);
	TB_CELLS(&t, "linux,pci-domain", 7);
	tb_flag(&t, "dma-coherent");
	TB_CELLS(&t, "iommus", 4, 0x99);
	tb_node(&t, "pci@0,0");
	tb_str(&t, "device_type", "pci");
	tb_flag(&t, "external-facing");
	tb_node(&t, "pci@0,0");                /* a switch port below it: still a child, not a host */
	tb_str(&t, "device_type", "pci");
	tb_end(&t);
	tb_end(&t);
	tb_node(&t, "pci@1,0");
	tb_str(&t, "device_type", "pci");
	tb_end(&t);
	tb_end(&t);
	tb_node(&t, "pcie@b");                 /* SynQuacer pre-ITS: an ITS that does not isolate */
	tb_str(&t, "device_type", "pci");
	tb_str(&t, "status", "disabled");
	TB_CELLS(&t, "msi-parent", 2, 0x55);
	tb_end(&t);
	tb_node(&t, "pcie@c");                 /* GICv3 MBI */
	tb_str(&t, "device_type", "pci");
	TB_CELLS(&t, "msi-parent", 3);
	tb_end(&t);
	tb_node(&t, "pcie@d");                 /* generic host without device_type, mixed ITS + v2m */
	tb_str(&t, "compatible", "pci-host-ecam-generic");
	TB_CELLS(&t, "msi-map", 0x000, 1, 0x0, 0x100, 0x100, 6, 0x0, 0x100);
	tb_end(&t);
	size_t len = tb_finish(&t);

	assert_int_equal(ia_fdt_decode(t.fdt, len, &f, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(f.n_bridges, 4);
	assert_int_equal(f.n_msi_ctrls, 4);
	assert_int_equal(f.n_iommus, 1);
	assert_int_equal(f.msi_ctrls[0].kind, IA_FDT_MSI_ITS);
	assert_true(f.msi_ctrls[0].isolating);
	assert_true(f.msi_ctrls[0].has_msi_cells);
	assert_int_equal(f.msi_ctrls[0].msi_cells, 1);
	assert_int_equal(f.msi_ctrls[0].phandle, 1);
	assert_int_equal(f.msi_ctrls[1].kind, IA_FDT_MSI_ITS);
	assert_true(f.msi_ctrls[1].synquacer_pre_its);
	assert_false(f.msi_ctrls[1].isolating);
	assert_int_equal(f.msi_ctrls[2].kind, IA_FDT_MSI_MBI);
	assert_false(f.msi_ctrls[2].isolating);
	assert_int_equal(f.msi_ctrls[3].kind, IA_FDT_MSI_GICV2M);
	assert_false(f.msi_ctrls[3].isolating);
	assert_string_equal(ia_fdt_msi_kind_name(f.msi_ctrls[2].kind), "MBI");
	assert_int_equal(f.iommus[0].kind, IA_FDT_IOMMU_SMMU_V3);
	assert_true(f.iommus[0].dma_coherent);
	assert_string_equal(ia_fdt_iommu_kind_name(f.iommus[0].kind), "smmu-v3");

	bi = ia_fdt_find_bridge(&f, "/pcie@a");
	assert_int_equal(bi, 0);
	const struct ia_fdt_host_bridge *a = &f.bridges[bi];
	assert_true(a->msi_isolating);
	assert_true(a->dma_coherent);
	assert_true(a->has_domain);
	assert_int_equal(a->domain, 7);
	assert_int_equal(a->bus_last, 0x7f);
	assert_int_equal(a->n_iommus, 1);
	assert_int_equal(a->iommus[0].n_args, 1);
	assert_int_equal(a->iommus[0].args[0], 0x99);
	assert_int_equal(a->n_children, 3);
	assert_string_equal(a->children[0].path, "/pcie@a/pci@0,0");
	assert_true(a->children[0].external_facing);
	assert_string_equal(a->children[1].path, "/pcie@a/pci@0,0/pci@0,0");
	assert_false(a->children[1].external_facing);
	assert_false(a->children[2].external_facing);
	assert_int_equal(ia_fdt_map_rid(&f, 0, MSI, 0x0210, &res), 0);
	assert_int_equal(res.out_id, 0x10210);
	assert_ptr_equal(res.entry, &a->msi_map.v[0]);
	assert_false(res.via_msi_parent);

	bi = ia_fdt_find_bridge(&f, "/pcie@b");
	assert_int_equal(bi, 1);
	assert_false(f.bridges[1].enabled);
	assert_true(f.bridges[1].has_msi_ctrl);
	assert_false(f.bridges[1].msi_isolating);
	assert_int_equal(f.bridges[1].msi_parent[0].n_args, 1);
	assert_int_equal(f.bridges[1].msi_parent[0].args[0], 0x55);
	assert_int_equal(ia_fdt_map_rid(&f, 1, MSI, 0x0008, &res), 0);
	assert_true(res.via_msi_parent);
	assert_null(res.entry);
	assert_int_equal(res.out_id, 0x0008);
	assert_int_equal(ia_fdt_map_rid(&f, 1, IOMMU, 0x0008, &res), -ENOENT);

	assert_int_equal(f.msi_ctrls[f.bridges[2].msi_ctrl].kind, IA_FDT_MSI_MBI);
	assert_false(f.bridges[2].msi_isolating);
	assert_int_equal(f.bridges[2].msi_parent[0].n_args, 0);

	/* one ITS window, one GICv2m window: the bridge as a whole does not isolate */
	assert_string_equal(f.bridges[3].path, "/pcie@d");
	assert_false(f.bridges[3].msi_isolating);
	assert_int_equal(ia_fdt_map_rid(&f, 3, MSI, 0x0080, &res), 0);
	assert_int_equal(f.msi_ctrls[res.target].kind, IA_FDT_MSI_ITS);
	assert_int_equal(ia_fdt_map_rid(&f, 3, MSI, 0x0180, &res), 0);
	assert_int_equal(f.msi_ctrls[res.target].kind, IA_FDT_MSI_GICV2M);
	assert_int_equal(res.out_id, 0x80);
	assert_int_equal(ia_fdt_map_rid(&f, 3, MSI, 0x0200, &res), -IA_E_RANGE);
	assert_int_equal(ia_fdt_map_rid(&f, 4, MSI, 0x0200, &res), -EINVAL);
	assert_int_equal(ia_fdt_find_bridge(&f, "/nope"), -ENOENT);

	ia_fdt_free(&f);
	ia_diags_free(&d);
	free(t.fdt);
}

/* ---- malformed input ------------------------------------------------------------------- */

/* A small valid blob: providers plus one ITS/SMMUv3 bridge. */
static size_t tb_small(struct tb *t)
{
	tb_begin(t);
	tb_providers(t);
	tb_node(t, "pcie@a");
	tb_str(t, "device_type", "pci");
	TB_CELLS(t, "msi-map", 0x0, 1, 0x0, 0x100);
	TB_CELLS(t, "iommu-map", 0x0, 4, 0x0, 0x100);
	tb_end(t);
	return tb_finish(t);
}

static void expect_fdt_error(const void *blob, size_t len, int fdt_err)
{
	struct ia_fdt f;
	struct ia_diags d = {0};
	char msg[192];

	assert_int_equal(ia_fdt_decode(blob, len, &f, &d), -IA_E_FDT);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].code, -IA_E_FDT);
	snprintf(msg, sizeof(msg), "fdt_check_full: %s", fdt_strerror(fdt_err));
	assert_string_equal(d.v[0].msg, msg);
	/* nothing decoded */
	assert_int_equal(f.n_bridges, 0);
	assert_int_equal(f.n_msi_ctrls, 0);
	assert_int_equal(f.n_iommus, 0);
	assert_null(f.bridges);
	ia_fdt_free(&f);
	ia_diags_free(&d);
}

static void test_malformed_truncated(void **state)
{
	struct tb t;
	size_t len = tb_small(&t);

	expect_fdt_error(t.fdt, len - 16, -FDT_ERR_TRUNCATED);
	expect_fdt_error(t.fdt, 20, -FDT_ERR_TRUNCATED);   /* not even a whole header */
	expect_fdt_error(t.fdt, 0, -FDT_ERR_TRUNCATED);
	free(t.fdt);
}

static void test_malformed_header(void **state)
{
	struct tb t;
	size_t len = tb_small(&t);
	uint8_t *b = t.fdt;

	b[0] ^= 0xff;                              /* magic */
	expect_fdt_error(b, len, -FDT_ERR_BADMAGIC);
	b[0] ^= 0xff;
	fdt_set_version(b, 99);                    /* a version libfdt does not read */
	fdt_set_last_comp_version(b, 99);
	expect_fdt_error(b, len, -FDT_ERR_BADVERSION);
	fdt_set_version(b, 17);
	fdt_set_last_comp_version(b, 16);
	fdt_set_off_dt_struct(b, (uint32_t)len - 4); /* structure block past the end */
	expect_fdt_error(b, len, -FDT_ERR_TRUNCATED);
	free(t.fdt);
}

static void test_malformed_args(void **state)
{
	struct ia_fdt f;
	struct ia_diags d = {0};
	uint8_t b[64] = {0};

	assert_int_equal(ia_fdt_decode(NULL, 10, &f, &d), -EINVAL);
	assert_int_equal(ia_fdt_decode(b, sizeof(b), NULL, &d), -EINVAL);
	assert_int_equal(ia_fdt_decode(b, (size_t)IA_FDT_MAX_BLOB + 1, &f, &d), -IA_E_TOOBIG);
	assert_non_null(ia_diags_find(&d, -IA_E_TOOBIG));
	ia_fdt_free(NULL);
	ia_diags_free(&d);
}

static void test_malformed_dangling_phandle(void **state)
{
	struct tb t;
	struct ia_fdt f;
	struct ia_diags d = {0};
	struct ia_fdt_map_result res;

	tb_begin(&t);
	tb_providers(&t);
	tb_node(&t, "pcie@a");                 /* msi-map entry 1 names phandle 0x77: nothing */
	tb_str(&t, "device_type", "pci");
	TB_CELLS(&t, "msi-map", 0x000, 1, 0x0, 0x100, 0x100, 0x77, 0x0, 0x100);
	TB_CELLS(&t, "iommu-map", 0x0, 5, 0x0, 0x100);   /* names a node without #iommu-cells */
	tb_end(&t);
	tb_node(&t, "pcie@b");                 /* msi-parent to nothing */
	tb_str(&t, "device_type", "pci");
	TB_CELLS(&t, "msi-parent", 0x78);
	tb_end(&t);
	tb_node(&t, "pcie@c");                 /* decoding continues: a good bridge after them */
	tb_str(&t, "device_type", "pci");
	TB_CELLS(&t, "msi-map", 0x0, 1, 0x0, 0x100);
	TB_CELLS(&t, "iommu-map", 0x0, 4, 0x0, 0x100);
	tb_end(&t);
	size_t len = tb_finish(&t);

	assert_int_equal(ia_fdt_decode(t.fdt, len, &f, &d), 0);
	assert_int_equal(f.n_bridges, 3);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].code, -ENODEV);
	assert_string_equal(d.v[0].where, "/pcie@a");
	assert_string_equal(d.v[0].msg,
			    "msi-map entry 1: phandle 0x77 names no node (FDT_ERR_NOTFOUND)");
	assert_int_equal(d.v[1].code, -IA_E_FORMAT);
	assert_string_equal(d.v[1].msg,
			    "iommu-map entry 0: phandle 0x5 names /clock@5, which has no #iommu-cells");
	assert_int_equal(d.v[2].code, -ENODEV);
	assert_string_equal(d.v[2].where, "/pcie@b");
	assert_int_equal(f.bridges[0].msi_map.v[1].state, IA_FDT_TARGET_DANGLING);
	assert_false(f.bridges[0].msi_isolating);  /* one window leads nowhere: not proven isolated */
	assert_int_equal(ia_fdt_map_rid(&f, 0, MSI, 0x0010, &res), 0);
	assert_int_equal(ia_fdt_map_rid(&f, 0, MSI, 0x0110, &res), -ENODEV);
	assert_int_equal(ia_fdt_map_rid(&f, 0, IOMMU, 0x0010, &res), -IA_E_FORMAT);
	assert_false(f.bridges[1].has_msi_ctrl);
	assert_int_equal(f.bridges[1].n_msi_parent, 1);
	assert_int_equal(f.bridges[1].msi_parent[0].state, IA_FDT_TARGET_DANGLING);
	assert_int_equal(ia_fdt_map_rid(&f, 1, MSI, 0x0010, &res), -ENODEV);
	assert_true(f.bridges[2].msi_isolating);
	assert_int_equal(ia_fdt_map_rid(&f, 2, IOMMU, 0x0042, &res), 0);
	assert_int_equal(res.out_id, 0x42);
	ia_fdt_free(&f);
	ia_diags_free(&d);
	free(t.fdt);
}

static void test_malformed_cell_counts(void **state)
{
	struct tb t;
	struct ia_fdt f;
	struct ia_diags d = {0};
	struct ia_fdt_map_result res;

	tb_begin(&t);
	tb_providers(&t);
	tb_node(&t, "pcie@a");                 /* msi-map of 5 cells; the iommu-map is fine */
	tb_str(&t, "device_type", "pci");
	TB_CELLS(&t, "msi-map", 0x0, 1, 0x0, 0x100, 0x1);
	TB_CELLS(&t, "iommu-map", 0x0, 4, 0x0, 0x100);
	TB_CELLS(&t, "bus-range", 0);
	tb_end(&t);
	tb_node(&t, "pcie@b");                 /* ITS has #msi-cells = <1> but no argument follows */
	tb_str(&t, "device_type", "pci");
	TB_CELLS(&t, "msi-parent", 1);
	tb_end(&t);
	tb_node(&t, "pcie@c");                 /* rid-base outside the mask; mask of 2 cells */
	tb_str(&t, "device_type", "pci");
	TB_CELLS(&t, "iommu-map", 0x100, 4, 0x0, 0x100);
	TB_CELLS(&t, "iommu-map-mask", 0xff, 0xff);
	tb_end(&t);
	tb_node(&t, "pcie@d");                 /* iommus naming a node without #iommu-cells */
	tb_str(&t, "device_type", "pci");
	TB_CELLS(&t, "iommus", 5, 1);
	tb_end(&t);
	size_t len = tb_finish(&t);

	assert_int_equal(ia_fdt_decode(t.fdt, len, &f, &d), 0);
	assert_int_equal(f.n_bridges, 4);
	assert_int_equal(d.n, 6);
	assert_int_equal(d.v[0].code, -IA_E_BADLEN);
	assert_string_equal(d.v[0].msg, "bus-range is 4 bytes, not 2 cells");
	assert_int_equal(d.v[1].code, -IA_E_BADLEN);
	assert_string_equal(d.v[1].msg,
			    "msi-map is 20 bytes, not a non-zero multiple of 16 (4 cells per entry)");
	assert_int_equal(d.v[2].code, -IA_E_BADLEN);
	assert_string_equal(d.v[2].msg,
			    "msi-parent entry 0: target has #msi-cells = 1 but only 0 cells follow the phandle");
	assert_int_equal(d.v[3].code, -IA_E_BADLEN);
	assert_string_equal(d.v[3].msg, "iommu-map-mask is 8 bytes, not one cell; using the first cell");
	assert_int_equal(d.v[4].code, -IA_E_FORMAT);
	assert_string_equal(d.v[4].msg, "iommu-map entry 0: rid-base 0x100 has bits outside iommu-map-mask 0xff");
	assert_int_equal(d.v[5].code, -IA_E_FORMAT);
	assert_string_equal(d.v[5].where, "/pcie@d");

	assert_true(f.bridges[0].msi_map.present);
	assert_false(f.bridges[0].msi_map.valid);
	assert_int_equal(f.bridges[0].msi_map.n, 0);
	assert_false(f.bridges[0].has_msi_ctrl);
	assert_false(f.bridges[0].has_bus_range);
	assert_int_equal(ia_fdt_map_rid(&f, 0, MSI, 0x10, &res), -IA_E_BADLEN);
	assert_int_equal(ia_fdt_map_rid(&f, 0, IOMMU, 0x10, &res), 0);   /* the rest still decodes */
	assert_int_equal(res.out_id, 0x10);
	assert_false(f.bridges[1].has_msi_ctrl);
	assert_int_equal(f.bridges[1].n_msi_parent, 1);
	assert_int_equal(f.bridges[1].msi_parent[0].state, IA_FDT_TARGET_BADLEN);
	assert_int_equal(ia_fdt_map_rid(&f, 1, MSI, 0x10, &res), -IA_E_BADLEN);
	assert_int_equal(f.bridges[2].iommu_map.mask, 0xff);
	assert_int_equal(ia_fdt_map_rid(&f, 2, IOMMU, 0x0100, &res), -IA_E_FORMAT);
	assert_int_equal(f.bridges[3].iommus[0].state, IA_FDT_TARGET_NOT_IOMMU);
	ia_fdt_free(&f);
	ia_diags_free(&d);
	free(t.fdt);
}

static void test_malformed_depth(void **state)
{
	struct tb t;
	struct ia_fdt f;
	struct ia_diags d = {0};
	char name[16];

	tb_begin(&t);
	for (int i = 0; i < IA_FDT_MAX_DEPTH + 4; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		tb_node(&t, name);
	}
	tb_str(&t, "device_type", "pci");      /* too deep to be looked at */
	for (int i = 0; i < IA_FDT_MAX_DEPTH + 4; i++)
		tb_end(&t);
	tb_node(&t, "pcie@1");
	tb_str(&t, "device_type", "pci");
	tb_end(&t);
	size_t len = tb_finish(&t);

	assert_int_equal(ia_fdt_decode(t.fdt, len, &f, &d), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].code, -IA_E_LOOP);
	assert_int_equal(f.n_bridges, 1);
	assert_string_equal(f.bridges[0].path, "/pcie@1");
	assert_false(f.bridges[0].has_msi_ctrl);
	ia_fdt_free(&f);
	ia_diags_free(&d);
	free(t.fdt);
}

static void test_malformed_odd_cells(void **state)
{
	struct tb t;
	struct ia_fdt f;
	struct ia_diags d = {0};
	struct ia_fdt_map_result res;
	char name[80];

	tb_begin(&t);
	tb_providers(&t);
	tb_node(&t, "its@7");                  /* #msi-cells of two cells */
	tb_str(&t, "compatible", "arm,gic-v3-its");
	tb_flag(&t, "msi-controller");
	TB_CELLS(&t, "#msi-cells", 1, 2);
	TB_CELLS(&t, "phandle", 7);
	tb_end(&t);
	tb_node(&t, "iommu@8");                /* ten specifier cells: more than are kept */
	tb_str(&t, "compatible", "arm,mmu-500");
	TB_CELLS(&t, "#iommu-cells", 10);
	TB_CELLS(&t, "phandle", 8);
	tb_end(&t);
	tb_node(&t, "pcie@a");
	tb_str(&t, "device_type", "pci");
	TB_CELLS(&t, "msi-parent", 7, 0);
	TB_CELLS(&t, "iommus", 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	TB_CELLS(&t, "iommu-map", 0x0, 4, 0x0, 0x0);   /* length 0 */
	tb_end(&t);
	for (int i = 0; i < 5; i++) {          /* a host bridge whose path passes 255 bytes */
		snprintf(name, sizeof(name), "bus-%d-%055d", i, 0);
		tb_node(&t, name);
	}
	tb_node(&t, "pcie@b");
	tb_str(&t, "device_type", "pci");
	tb_end(&t);
	for (int i = 0; i < 5; i++)
		tb_end(&t);
	size_t len = tb_finish(&t);

	assert_int_equal(ia_fdt_decode(t.fdt, len, &f, &d), 0);
	assert_int_equal(d.n, 5);
	assert_int_equal(d.v[0].code, -IA_E_BADLEN);
	assert_string_equal(d.v[0].where, "/its@7");
	assert_string_equal(d.v[0].msg, "#msi-cells is 8 bytes, not one cell; using the first cell");
	assert_int_equal(d.v[1].code, -IA_E_BADLEN);
	assert_string_equal(d.v[1].msg, "msi-parent entry 0: target's #msi-cells is 8 bytes, not one cell");
	assert_int_equal(d.v[2].code, -IA_E_BADLEN);
	assert_string_equal(d.v[2].msg, "iommu-map entry 0: length 0 matches no RID");
	assert_int_equal(d.v[3].code, -IA_E_RANGE);
	assert_string_equal(d.v[3].msg, "iommus entry 0: 10 specifier cells, keeping 8");
	assert_int_equal(d.v[4].code, -IA_E_RANGE);
	assert_string_equal(d.v[4].where, ".../pcie@b");

	assert_int_equal(f.n_bridges, 2);
	assert_int_equal(f.bridges[0].msi_parent[0].state, IA_FDT_TARGET_BADLEN);
	assert_false(f.bridges[0].has_msi_ctrl);
	assert_int_equal(f.bridges[0].n_iommus, 1);
	assert_int_equal(f.bridges[0].iommus[0].n_args, IA_FDT_MAX_ARGS);
	assert_int_equal(f.bridges[0].iommus[0].args[7], 8);
	assert_int_equal(f.iommus[f.bridges[0].iommus[0].target].kind, IA_FDT_IOMMU_SMMU);
	assert_int_equal(ia_fdt_map_rid(&f, 0, IOMMU, 0x0, &res), -IA_E_RANGE);
	assert_string_equal(f.bridges[1].path, ".../pcie@b");
	ia_fdt_free(&f);
	ia_diags_free(&d);
	free(t.fdt);
}

/* Byte flips anywhere in a real blob: never a crash, only 0 or -IA_E_FDT. */
static void test_malformed_corruption_sweep(void **state)
{
	struct tb t;
	size_t len = tb_small(&t);
	uint8_t *copy = malloc(len);
	unsigned seed = 12345;

	assert_non_null(copy);
	for (int iter = 0; iter < 2000; iter++) {
		struct ia_fdt f;
		struct ia_diags d = {0};

		memcpy(copy, t.fdt, len);
		for (int k = 0; k < 1 + iter % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % len] ^= (uint8_t)(1u << ((seed >> 4) % 8));
		}
		int rc = ia_fdt_decode(copy, len, &f, &d);

		assert_true(rc == 0 || rc == -IA_E_FDT);
		if (rc)
			assert_int_equal(f.n_bridges, 0);
		ia_fdt_free(&f);
		ia_diags_free(&d);
	}
	free(copy);
	free(t.fdt);
}

static int remove_tmpdir(void)
{
	char cmd[256];
	int status;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	free(ia_run_capture(cmd, &status));
	return status;
}

int main(void)
{
	struct CMUnitTest tests[sizeof(dts_cases) / sizeof(dts_cases[0]) + 16];
	size_t n = 0;
	int status = -1, rc;
	char *out;

	out = ia_run_capture("command -v dtc", &status);
	free(out);
	if (status != 0) {
		fprintf(stderr, "skipped: dtc (Debian device-tree-compiler) is not installed\n");
		return IA_SKIP_EXIT;
	}
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	for (size_t i = 0; i < sizeof(dts_cases) / sizeof(dts_cases[0]); i++) {
		memset(&tests[n], 0, sizeof(tests[n]));
		tests[n].name = dts_cases[i].name;
		tests[n].test_func = test_dts_case;
		tests[n].initial_state = (void *)&dts_cases[i];
		n++;
	}
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_handbuilt_kinds),
		cmocka_unit_test(test_iommu_base),
		cmocka_unit_test(test_malformed_truncated),
		cmocka_unit_test(test_malformed_header),
		cmocka_unit_test(test_malformed_args),
		cmocka_unit_test(test_malformed_dangling_phandle),
		cmocka_unit_test(test_malformed_cell_counts),
		cmocka_unit_test(test_malformed_depth),
		cmocka_unit_test(test_malformed_odd_cells),
		cmocka_unit_test(test_malformed_corruption_sweep),
	};
	if (n + sizeof(fixed) / sizeof(fixed[0]) > sizeof(tests) / sizeof(tests[0])) {
		fprintf(stderr, "test table too small\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		tests[n++] = fixed[i];
	rc = _cmocka_run_group_tests("test_fdt", tests, n, NULL, NULL);
	remove_tmpdir();
	return rc;
}
