// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of the config-space decoder on hand-built config spaces: walks, malformed lists, partial reads.
#include "testutil.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/pcicfg.h"
#include "core/ia_err.h"

/* ---------------------------------------------------------------------------------------------
 * Builders: a 4096-byte config space, filled field by field at the offsets of PCI Local Bus 3.0
 * §6.1 (header), §6.7 (capability list) and PCIe Base 6.0 §7.6 (extended capabilities).
 * ------------------------------------------------------------------------------------------- */

static uint8_t cfg[IA_PCI_CFG_EXT];

static void put16(size_t off, uint16_t v)
{
	cfg[off] = (uint8_t)v;
	cfg[off + 1] = (uint8_t)(v >> 8);
}

static void put32(size_t off, uint32_t v)
{
	put16(off, (uint16_t)v);
	put16(off + 2, (uint16_t)(v >> 16));
}

/* A type-0 header (8086:1234, class 02 00 00); @cap_ptr 0 leaves Status.CapList clear. */
static void build_header(uint8_t hdr_type, uint8_t cap_ptr)
{
	memset(cfg, 0, sizeof(cfg));
	put16(0x00, 0x8086);
	put16(0x02, 0x1234);
	put16(0x04, 0x0406);
	put16(0x06, cap_ptr ? 0x0010 : 0x0000);
	cfg[0x08] = 0x03;                       /* revision */
	cfg[0x09] = 0x00;                       /* prog-if */
	cfg[0x0a] = 0x00;                       /* subclass */
	cfg[0x0b] = 0x02;                       /* base class: network */
	cfg[0x0e] = hdr_type;
	cfg[hdr_type == 2 ? 0x14 : 0x34] = cap_ptr;
}

/* A standard capability: ID at +0, next pointer at +1. */
static void std_cap(uint8_t off, uint8_t id, uint8_t next)
{
	cfg[off] = id;
	cfg[off + 1] = next;
}

/* The PCI Express capability (ID 0x10): Flags version/type, DevCap and DevCap2. */
static void pcie_cap(uint8_t off, uint8_t next, uint8_t version, uint8_t type, uint32_t devcap2)
{
	std_cap(off, IA_PCI_CAP_ID_EXP, next);
	put16(off + 2, (uint16_t)((version & 0xf) | (type & 0xf) << 4));
	put32(off + 4, 0x00008fc0);            /* DevCap: FLR, RBE, 256-byte MPS */
	put32(off + 0x24, devcap2);
}

/* An extended capability header: ID 15:0, version 19:16, next 31:20. */
static void ext_cap(uint16_t off, uint16_t id, uint8_t ver, uint16_t next)
{
	put32(off, (uint32_t)id | (uint32_t)(ver & 0xf) << 16 | (uint32_t)next << 20);
}

/* The standard layout used by most tests: PM at 0x40 -> MSI at 0x50 -> PCIe v2 endpoint at 0x60. */
static void build_pcie_endpoint(uint32_t devcap2)
{
	build_header(0x00, 0x40);
	std_cap(0x40, 0x01, 0x50);
	std_cap(0x50, 0x05, 0x60);
	pcie_cap(0x60, 0x00, 2, IA_PCIE_ENDPOINT, devcap2);
}

static size_t count_diags(const struct ia_diags *d, int code)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += d->v[i].code == code;
	return n;
}

/* ---------------------------------------------------------------------------------------------
 * Well-formed walks
 * ------------------------------------------------------------------------------------------- */

/* Every capability a walk visits, in order, against the builder's layout. */
static void test_std_and_ext_walk(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	static const struct ia_pcicap want[] = {
		{ false, 0x01, 0x40, 0 }, { false, 0x05, 0x50, 0 }, { false, 0x10, 0x60, 0 },
		{ true, 0x0001, 0x100, 1 }, { true, IA_PCI_EXT_CAP_ID_ACS, 0x148, 1 },
		{ true, IA_PCI_EXT_CAP_ID_ATS, 0x180, 1 }, { true, IA_PCI_EXT_CAP_ID_PRI, 0x1c0, 1 },
		{ true, IA_PCI_EXT_CAP_ID_PASID, 0x200, 1 }, { true, IA_PCI_EXT_CAP_ID_ARI, 0x240, 1 },
		{ true, IA_PCI_EXT_CAP_ID_SRIOV, 0x280, 1 }, { true, 0x0023, 0xf00, 2 },
	};
	(void)state;

	build_pcie_endpoint(0);
	ext_cap(0x100, 0x0001, 1, 0x148);      /* AER */
	ext_cap(0x148, IA_PCI_EXT_CAP_ID_ACS, 1, 0x180);
	ext_cap(0x180, IA_PCI_EXT_CAP_ID_ATS, 1, 0x1c0);
	ext_cap(0x1c0, IA_PCI_EXT_CAP_ID_PRI, 1, 0x200);
	ext_cap(0x200, IA_PCI_EXT_CAP_ID_PASID, 1, 0x240);
	ext_cap(0x240, IA_PCI_EXT_CAP_ID_ARI, 1, 0x280);
	ext_cap(0x280, IA_PCI_EXT_CAP_ID_SRIOV, 1, 0xf00);
	ext_cap(0xf00, 0x0023, 2, 0x000);      /* DVSEC, last */
	assert_int_equal(ia_pcicfg_decode(cfg, sizeof(cfg), IA_PCI_CFG_EXT, &c, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(c.vendor, 0x8086);
	assert_int_equal(c.device, 0x1234);
	assert_int_equal(c.command, 0x0406);
	assert_int_equal(c.status, 0x0010);
	assert_int_equal(c.class_code, 0x020000);
	assert_int_equal(c.revision, 3);
	assert_int_equal(c.hdr_type, 0);
	assert_false(c.hdr_multifunction);
	assert_int_equal(c.readable, 4096);
	assert_int_equal(c.cfg_size, 4096);
	assert_int_equal(c.n_caps, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < c.n_caps; i++) {
		assert_int_equal(c.caps[i].ext, want[i].ext);
		assert_int_equal(c.caps[i].id, want[i].id);
		assert_int_equal(c.caps[i].offset, want[i].offset);
		assert_int_equal(c.caps[i].version, want[i].version);
	}
	assert_int_equal(c.caps_complete, IA_YES);
	assert_int_equal(c.is_pcie, IA_YES);
	assert_int_equal(c.pcie_off, 0x60);
	assert_int_equal(c.pcie_type, IA_PCIE_ENDPOINT);
	assert_int_equal(c.devcap, 0x00008fc0);
	assert_int_equal(c.has_devcap2, IA_YES);
	assert_int_equal(c.has_acs, IA_YES);
	assert_int_equal(c.acs_off, 0x148);
	assert_int_equal(c.has_ats, IA_YES);
	assert_int_equal(c.ats_off, 0x180);
	assert_int_equal(c.has_pri, IA_YES);
	assert_int_equal(c.pri_off, 0x1c0);
	assert_int_equal(c.has_pasid, IA_YES);
	assert_int_equal(c.pasid_off, 0x200);
	assert_int_equal(c.has_ari, IA_YES);
	assert_int_equal(c.has_sriov, IA_YES);
	assert_int_equal(c.sriov_off, 0x280);
	const struct ia_pcicap *p = ia_pcicfg_find(&c, true, IA_PCI_EXT_CAP_ID_PASID);
	assert_non_null(p);
	assert_int_equal(p->offset, 0x200);
	p = ia_pcicfg_find(&c, false, IA_PCI_CAP_ID_EXP);
	assert_non_null(p);
	assert_int_equal(p->offset, 0x60);
	assert_null(ia_pcicfg_find(&c, false, 0x11)); /* no MSI-X */
	assert_null(ia_pcicfg_find(&c, true, 0x0010 + 0x100));
	ia_diags_free(&d);
}

/* A PCIe function whose extended list is one all-zero header: known absent, list complete. */
static void test_ext_empty_header(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	(void)state;

	build_pcie_endpoint(0);
	assert_int_equal(ia_pcicfg_decode(cfg, sizeof(cfg), IA_PCI_CFG_EXT, &c, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(c.n_caps, 3);
	assert_int_equal(c.caps_complete, IA_YES);
	assert_int_equal(c.has_acs, IA_NO);
	assert_int_equal(c.has_ats, IA_NO);
	assert_int_equal(c.has_pri, IA_NO);
	assert_int_equal(c.has_pasid, IA_NO);
	assert_int_equal(c.has_ari, IA_NO);
	assert_int_equal(c.has_sriov, IA_NO);
	ia_diags_free(&d);
}

/* A type-1 header (a PCIe root port): bus numbers, multifunction bit, port type. */
static void test_type1_root_port(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	(void)state;

	build_header(0x81, 0x40);
	cfg[0x18] = 0x00;
	cfg[0x19] = 0x03;
	cfg[0x1a] = 0x05;
	pcie_cap(0x40, 0x00, 2, IA_PCIE_ROOT_PORT, 0);
	assert_int_equal(ia_pcicfg_decode(cfg, sizeof(cfg), IA_PCI_CFG_EXT, &c, &d), 0);
	assert_int_equal(c.hdr_type, 1);
	assert_true(c.hdr_multifunction);
	assert_int_equal(c.primary_bus, 0);
	assert_int_equal(c.secondary_bus, 3);
	assert_int_equal(c.subordinate_bus, 5);
	assert_int_equal(c.pcie_type, IA_PCIE_ROOT_PORT);
	assert_string_equal(ia_pcie_type_name(c.pcie_type), "root-port");
	assert_string_equal(ia_pcie_type_name(0xf), "reserved");
	ia_diags_free(&d);
}

/* A CardBus bridge (type 2) keeps its capability pointer at 0x14, not 0x34. */
static void test_type2_cap_pointer(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	(void)state;

	build_header(0x02, 0x80);
	cfg[0x34] = 0x44;                       /* would be a wrong pointer for type 2 */
	std_cap(0x80, 0x01, 0x00);
	assert_int_equal(ia_pcicfg_decode(cfg, IA_PCI_CFG_LEGACY, 0, &c, &d), 0);
	assert_int_equal(c.n_caps, 1);
	assert_int_equal(c.caps[0].offset, 0x80);
	assert_int_equal(c.is_pcie, IA_NO);
	assert_int_equal(c.has_acs, IA_NO);
	assert_int_equal(c.caps_complete, IA_YES);
	ia_diags_free(&d);
}

/* ---------------------------------------------------------------------------------------------
 * Register fields
 * ------------------------------------------------------------------------------------------- */

/* ACS Capability/Control words (PCIe §7.7.8) and the dwords at +4/+8 of the Intel SPT PCH layout
 * (drivers/pci/quirks.c INTEL_SPT_ACS_CTRL = cap + 8). */
static void test_acs_fields(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	(void)state;

	build_pcie_endpoint(0);
	ext_cap(0x100, IA_PCI_EXT_CAP_ID_ACS, 1, 0);
	put16(0x104, 0x205f);                   /* SV TB RR CR UF | DT, egress vector 0x20 */
	put16(0x106, 0x001d);                   /* SV RR CR UF enabled */
	put32(0x108, 0x0000001f);               /* SPT: control dword */
	assert_int_equal(ia_pcicfg_decode(cfg, sizeof(cfg), IA_PCI_CFG_EXT, &c, &d), 0);
	assert_int_equal(c.has_acs, IA_YES);
	assert_int_equal(c.acs_off, 0x100);
	assert_int_equal(c.acs_cap, 0x205f);
	assert_int_equal(c.acs_ctrl, 0x001d);
	assert_int_equal(c.acs_cap & IA_ACS_REQ_GROUP, IA_ACS_REQ_GROUP);
	assert_int_equal(c.acs_ctrl & IA_ACS_REQ_GROUP, IA_ACS_REQ_GROUP);
	assert_int_equal(c.acs_ctrl & IA_ACS_TB, 0);
	assert_int_equal(c.acs_cap_dw, 0x001d205fu);
	assert_int_equal(c.acs_ctrl_dw, 0x0000001fu);
	assert_int_equal(c.acs_egress_bits, 0x20);
	ia_diags_free(&d);
}

/* An ACS header in the last dword: the registers are past the end, so ACS is unknown. */
static void test_acs_registers_past_end(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	(void)state;

	build_pcie_endpoint(0);
	ext_cap(0x100, 0x0001, 1, 0xffc);
	ext_cap(0xffc, IA_PCI_EXT_CAP_ID_ACS, 1, 0);
	assert_int_equal(ia_pcicfg_decode(cfg, sizeof(cfg), IA_PCI_CFG_EXT, &c, &d), 0);
	assert_int_equal(c.acs_off, 0xffc);
	assert_int_equal(c.has_acs, IA_UNKNOWN);
	assert_int_equal(c.has_ats, IA_NO);
	ia_diags_free(&d);
}

/* ATS (+4 capability, +6 control), PRI (+4 control, +6 status, +8 capacity), PASID (+4/+6, width
 * in capability bits 12:8) and SR-IOV (PCIe §9.3.3: +8 control, +0e TotalVFs, +10 NumVFs,
 * +14 offset, +16 stride, +1a VF Device ID). */
static void test_ats_pri_pasid_sriov_fields(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	(void)state;

	build_pcie_endpoint(0);
	ext_cap(0x100, IA_PCI_EXT_CAP_ID_ATS, 1, 0x110);
	put16(0x104, 0x0060);                   /* page aligned, IQD 0 */
	put16(0x106, 0x8002);                   /* enabled, STU 2 */
	ext_cap(0x110, IA_PCI_EXT_CAP_ID_PRI, 1, 0x130);
	put16(0x114, 0x0001);                   /* PRI enabled */
	put16(0x116, 0x8100);                   /* Stopped, PRG response PASID required */
	put32(0x118, 0x00000200);               /* 512 outstanding requests */
	ext_cap(0x130, IA_PCI_EXT_CAP_ID_PASID, 1, 0x140);
	put16(0x134, 0x1406);                   /* width 20, Exec, Priv */
	put16(0x136, 0x0001);                   /* enabled */
	ext_cap(0x140, IA_PCI_EXT_CAP_ID_SRIOV, 1, 0);
	put16(0x148, 0x0019);                   /* VF Enable, MSE, ARI hierarchy */
	put16(0x14c, 8);                        /* InitialVFs */
	put16(0x14e, 64);                       /* TotalVFs */
	put16(0x150, 7);                        /* NumVFs */
	put16(0x154, 0x80);                     /* First VF offset */
	put16(0x156, 2);                        /* VF stride */
	put16(0x15a, 0x10ca);                   /* VF Device ID */
	assert_int_equal(ia_pcicfg_decode(cfg, sizeof(cfg), IA_PCI_CFG_EXT, &c, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(c.has_ats, IA_YES);
	assert_int_equal(c.ats_cap, 0x0060);
	assert_int_equal(c.ats_ctrl, 0x8002);
	assert_int_equal(c.has_pri, IA_YES);
	assert_int_equal(c.pri_ctrl, 0x0001);
	assert_int_equal(c.pri_status, 0x8100);
	assert_int_equal(c.pri_capacity, 0x200);
	assert_int_equal(c.has_pasid, IA_YES);
	assert_int_equal(c.pasid_cap, 0x1406);
	assert_int_equal(c.pasid_ctrl, 0x0001);
	assert_int_equal(c.pasid_width, 20);
	assert_int_equal(c.has_sriov, IA_YES);
	assert_int_equal(c.sriov_ctrl, 0x0019);
	assert_int_equal(c.sriov_total_vfs, 64);
	assert_int_equal(c.sriov_num_vfs, 7);
	assert_int_equal(c.sriov_vf_offset, 0x80);
	assert_int_equal(c.sriov_vf_stride, 2);
	assert_int_equal(c.sriov_vf_device, 0x10ca);
	assert_int_equal(c.has_ari, IA_NO);
	assert_int_equal(c.has_acs, IA_NO);
	ia_diags_free(&d);
}

/* DevCap2 bit 21 (End-End TLP Prefix Supported) and bits 23:22 (Max End-End TLP Prefixes). */
static void test_devcap2_eetlp(void **state)
{
	static const struct {
		const char *name;
		uint32_t devcap2;
		bool eetlp;
		uint8_t max;
	} cases[] = {
		{ "none", 0x00000000, false, 0 },
		{ "bit21-max-4", 0x00200000, true, 0 },   /* 00b encodes 4 prefixes */
		{ "bit21-max-1", 0x00600000, true, 1 },
		{ "bit21-max-3", 0x00e00000, true, 3 },
		{ "max-without-bit21", 0x00c00000, false, 3 },
		{ "all-other-bits", 0xffdfffff, false, 3 },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ia_pcicfg c;
		struct ia_diags d = {0};

		build_pcie_endpoint(cases[i].devcap2);
		assert_int_equal(ia_pcicfg_decode(cfg, sizeof(cfg), IA_PCI_CFG_EXT, &c, &d), 0);
		if (c.has_devcap2 != IA_YES || c.devcap2 != cases[i].devcap2 ||
		    c.eetlp_prefix != cases[i].eetlp || c.eetlp_max != cases[i].max)
			fail_msg("case %s: devcap2 %08x eetlp %d max %u", cases[i].name, c.devcap2,
				 c.eetlp_prefix, c.eetlp_max);
		ia_diags_free(&d);
	}
}

/* PCIe capability version 1 has no DevCap2 register (PCIe 1.x), whatever the bytes say. */
static void test_pcie_v1_no_devcap2(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	(void)state;

	build_header(0x00, 0x40);
	pcie_cap(0x40, 0x00, 1, IA_PCIE_LEG_END, 0x00200000);
	assert_int_equal(ia_pcicfg_decode(cfg, sizeof(cfg), IA_PCI_CFG_EXT, &c, &d), 0);
	assert_int_equal(c.is_pcie, IA_YES);
	assert_int_equal(c.pcie_type, IA_PCIE_LEG_END);
	assert_int_equal(c.has_devcap2, IA_NO);
	assert_false(c.eetlp_prefix);
	assert_int_equal(c.devcap2, 0);
	ia_diags_free(&d);
}

/* A conventional PCI device: no PCIe capability, so no extended space and no DevCap2. */
static void test_conventional_pci(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	(void)state;

	build_header(0x00, 0x40);
	std_cap(0x40, 0x01, 0x00);
	put32(0x100, 0x0001000d);               /* garbage past 256 is not read */
	assert_int_equal(ia_pcicfg_decode(cfg, IA_PCI_CFG_LEGACY, IA_PCI_CFG_LEGACY, &c, &d), 0);
	assert_int_equal(c.is_pcie, IA_NO);
	assert_int_equal(c.has_devcap2, IA_NO);
	assert_int_equal(c.has_acs, IA_NO);
	assert_int_equal(c.has_sriov, IA_NO);
	assert_int_equal(c.caps_complete, IA_YES);
	assert_int_equal(c.n_caps, 1);
	ia_diags_free(&d);
}

/* ---------------------------------------------------------------------------------------------
 * Partial reads: what was not read is unknown, never absent
 * ------------------------------------------------------------------------------------------- */

struct partial_case {
	const char *name;
	bool cap_list;          /* Status.CapList set (list at 0x40 with a PCIe capability) */
	bool acs;               /* an ACS capability at 0x100 */
	size_t readable, cfg_size;
	enum ia_tri is_pcie, has_acs, caps_complete;
};

static const struct partial_case partial_cases[] = {
	/* 64 bytes (an unprivileged sysfs read): the list starts past the header. */
	{ "64-readable-caplist-set", true, true, 64, 4096, IA_UNKNOWN, IA_UNKNOWN, IA_UNKNOWN },
	{ "64-readable-caplist-clear", false, false, 64, 4096, IA_NO, IA_NO, IA_YES },
	/* 256 of a 4096-byte device: the extended list was not read. */
	{ "256-of-4096", true, true, 256, 4096, IA_YES, IA_UNKNOWN, IA_UNKNOWN },
	/* A PCIe function the kernel gives 256 bytes (pci_cfg_space_size() said so): none exist. */
	{ "cfg-size-256-pcie", true, true, 256, 256, IA_YES, IA_NO, IA_YES },
	{ "cfg-size-unknown-256-read", true, true, 256, 0, IA_YES, IA_NO, IA_YES },
	/* Readable beyond cfg_size is clamped: the bytes past the size do not exist. */
	{ "readable-past-cfg-size", true, true, 4096, 256, IA_YES, IA_NO, IA_YES },
	{ "full-4096", true, true, 4096, 4096, IA_YES, IA_YES, IA_YES },
	/* The extended header itself is cut: unknown. */
	{ "258-of-4096", true, true, 258, 4096, IA_YES, IA_UNKNOWN, IA_UNKNOWN },
	/* ACS header readable but its registers are not. */
	{ "262-of-4096", true, true, 262, 4096, IA_YES, IA_UNKNOWN, IA_YES },
};

static void test_partial_reads(void **state)
{
	(void)state;

	for (size_t i = 0; i < sizeof(partial_cases) / sizeof(partial_cases[0]); i++) {
		const struct partial_case *t = &partial_cases[i];
		struct ia_pcicfg c;
		struct ia_diags d = {0};

		if (t->cap_list) {
			build_header(0x00, 0x40);
			pcie_cap(0x40, 0x00, 2, IA_PCIE_ENDPOINT, 0);
		} else {
			build_header(0x00, 0x00);
		}
		if (t->acs) {
			ext_cap(0x100, IA_PCI_EXT_CAP_ID_ACS, 1, 0);
			put16(0x104, 0x001f);
		}
		int rc = ia_pcicfg_decode(cfg, t->readable, t->cfg_size, &c, &d);
		if (rc != 0 || c.is_pcie != t->is_pcie || c.has_acs != t->has_acs ||
		    c.caps_complete != t->caps_complete)
			fail_msg("case %s: rc %d is_pcie %s has_acs %s caps_complete %s", t->name, rc,
				 ia_tri_str(c.is_pcie), ia_tri_str(c.has_acs), ia_tri_str(c.caps_complete));
		if (c.readable != (t->readable < t->cfg_size || !t->cfg_size ? t->readable : t->cfg_size))
			fail_msg("case %s: readable %zu", t->name, c.readable);
		ia_diags_free(&d);
	}
}

/* A PCIe capability whose registers lie past the readable bytes stays unknown even though the
 * walk itself ended normally (regression: it used to become IA_NO). */
static void test_pcie_cap_registers_unreadable(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	(void)state;

	build_header(0x00, 0x40);
	pcie_cap(0x40, 0x00, 2, IA_PCIE_ENDPOINT, 0);
	assert_int_equal(ia_pcicfg_decode(cfg, 0x44, 4096, &c, &d), 0);
	assert_int_equal(c.n_caps, 1);
	assert_int_equal(c.pcie_off, 0x40);
	assert_int_equal(c.is_pcie, IA_UNKNOWN);
	assert_int_equal(c.has_devcap2, IA_UNKNOWN);
	assert_int_equal(c.has_acs, IA_UNKNOWN);
	assert_int_equal(c.caps_complete, IA_UNKNOWN);
	ia_diags_free(&d);
}

/* DevCap2 past the readable bytes: unknown, while the rest of the capability is known. */
static void test_devcap2_unreadable(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	(void)state;

	build_header(0x00, 0xe0);
	pcie_cap(0xe0, 0x00, 2, IA_PCIE_ENDPOINT, 0x00200000);
	/* 0xe0 + 0x28 = 0x108: DevCap2 needs bytes up to 0x107. */
	assert_int_equal(ia_pcicfg_decode(cfg, 0x104, 4096, &c, &d), 0);
	assert_int_equal(c.is_pcie, IA_YES);
	assert_int_equal(c.has_devcap2, IA_UNKNOWN);
	assert_false(c.eetlp_prefix);
	assert_int_equal(ia_pcicfg_decode(cfg, 0x108, 4096, &c, &d), 0);
	assert_int_equal(c.has_devcap2, IA_YES);
	assert_true(c.eetlp_prefix);
	ia_diags_free(&d);
}

/* ---------------------------------------------------------------------------------------------
 * Malformed input: each class gives its exact diagnostic and the walk ends with caps_complete NO
 * ------------------------------------------------------------------------------------------- */

struct bad_case {
	const char *name;
	void (*build)(void);
	int code;               /* the diagnostic's code */
	int64_t offset;         /* the diagnostic's offset */
	size_t n_caps;          /* capabilities recorded before the walk stopped */
	enum ia_tri is_pcie, has_acs;
};

static void bad_std_loop(void)
{
	build_header(0x00, 0x40);
	std_cap(0x40, 0x01, 0x50);
	std_cap(0x50, 0x05, 0x40);
}

static void bad_std_self_loop(void)
{
	build_header(0x00, 0x40);
	std_cap(0x40, 0x01, 0x40);
}

static void bad_std_loop_after_pcie(void)
{
	build_header(0x00, 0x40);
	pcie_cap(0x40, 0x80, 2, IA_PCIE_ENDPOINT, 0);
	std_cap(0x80, 0x05, 0x40);
}

static void bad_std_ptr_into_header(void)
{
	build_header(0x00, 0x20);
}

static void bad_std_next_into_header(void)
{
	build_header(0x00, 0x40);
	std_cap(0x40, 0x01, 0x3c);
}

static void bad_ext_loop(void)
{
	build_pcie_endpoint(0);
	ext_cap(0x100, IA_PCI_EXT_CAP_ID_ACS, 1, 0x140);
	put16(0x104, 0x001f);
	ext_cap(0x140, 0x0001, 1, 0x100);
}

static void bad_ext_ptr_below_0x100(void)
{
	build_pcie_endpoint(0);
	ext_cap(0x100, 0x0001, 1, 0x0c0);
}

static void bad_all_ones(void)
{
	memset(cfg, 0xff, sizeof(cfg));
}

static void bad_ext_all_ones_entry(void)
{
	build_pcie_endpoint(0);
	ext_cap(0x100, 0x0001, 1, 0x200);
	put32(0x200, 0xffffffffu);
}

static const struct bad_case bad_cases[] = {
	{ "std-loop", bad_std_loop, -IA_E_LOOP, 0x40, 2, IA_UNKNOWN, IA_UNKNOWN },
	{ "std-self-loop", bad_std_self_loop, -IA_E_LOOP, 0x40, 1, IA_UNKNOWN, IA_UNKNOWN },
	/* The PCIe capability was read before the loop: still PCIe, ext list still walked. */
	{ "std-loop-after-pcie", bad_std_loop_after_pcie, -IA_E_LOOP, 0x40, 2, IA_YES, IA_NO },
	{ "std-ptr-into-header", bad_std_ptr_into_header, -IA_E_FORMAT, 0x20, 0, IA_UNKNOWN, IA_UNKNOWN },
	{ "std-next-into-header", bad_std_next_into_header, -IA_E_FORMAT, 0x3c, 1, IA_UNKNOWN, IA_UNKNOWN },
	/* ACS was read before the loop; what was not reached is unknown. */
	{ "ext-loop", bad_ext_loop, -IA_E_LOOP, 0x100, 5, IA_YES, IA_YES },
	{ "ext-ptr-below-0x100", bad_ext_ptr_below_0x100, -IA_E_FORMAT, 0x0c0, 4, IA_YES, IA_UNKNOWN },
	/* A vanished device reads all-ones: nothing is known. */
	{ "all-ones", bad_all_ones, -ENODEV, 0xfc, 0, IA_UNKNOWN, IA_UNKNOWN },
	{ "ext-all-ones-entry", bad_ext_all_ones_entry, -ENODEV, 0x200, 4, IA_YES, IA_UNKNOWN },
};

static void test_malformed_lists(void **state)
{
	(void)state;

	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *t = &bad_cases[i];
		struct ia_pcicfg c;
		struct ia_diags d = {0};

		t->build();
		int rc = ia_pcicfg_decode(cfg, sizeof(cfg), IA_PCI_CFG_EXT, &c, &d);
		const struct ia_diag *g = ia_diags_find(&d, t->code);
		if (rc != 0 || !g || g->offset != t->offset || strcmp(g->where, "config") != 0)
			fail_msg("case %s: rc %d, diagnostic %d at %lld missing (%zu diagnostics)", t->name,
				 rc, t->code, (long long)t->offset, d.n);
		if (count_diags(&d, t->code) != 1 || d.n != 1)
			fail_msg("case %s: %zu diagnostics, want exactly one", t->name, d.n);
		if (c.caps_complete != IA_NO || c.n_caps != t->n_caps || c.is_pcie != t->is_pcie ||
		    c.has_acs != t->has_acs)
			fail_msg("case %s: caps_complete %s n_caps %zu is_pcie %s has_acs %s", t->name,
				 ia_tri_str(c.caps_complete), c.n_caps, ia_tri_str(c.is_pcie),
				 ia_tri_str(c.has_acs));
		ia_diags_free(&d);
	}
}

/* The all-ones function: the header fields read as all-ones and are reported as such. */
static void test_all_ones_header(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	(void)state;

	memset(cfg, 0xff, sizeof(cfg));
	assert_int_equal(ia_pcicfg_decode(cfg, sizeof(cfg), 0, &c, &d), 0);
	assert_int_equal(c.vendor, 0xffff);
	assert_int_equal(c.device, 0xffff);
	assert_int_equal(c.hdr_type, 0x7f);
	assert_int_equal(c.has_devcap2, IA_UNKNOWN);
	assert_int_equal(c.has_sriov, IA_UNKNOWN);
	ia_diags_free(&d);
}

/* Fewer than 64 bytes: -IA_E_TRUNCATED, a diagnostic at the readable length, only the ID filled. */
static void test_truncated_header(void **state)
{
	static const size_t lens[] = { 0, 2, 4, 32, 63 };
	(void)state;

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct ia_pcicfg c;
		struct ia_diags d = {0};

		build_pcie_endpoint(0);
		assert_int_equal(ia_pcicfg_decode(cfg, lens[i], 4096, &c, &d), -IA_E_TRUNCATED);
		const struct ia_diag *g = ia_diags_find(&d, -IA_E_TRUNCATED);
		assert_non_null(g);
		assert_int_equal(g->offset, (int64_t)lens[i]);
		assert_int_equal(c.readable, lens[i]);
		assert_int_equal(c.vendor, lens[i] >= 4 ? 0x8086 : 0);
		assert_int_equal(c.device, lens[i] >= 4 ? 0x1234 : 0);
		assert_int_equal(c.status, 0);
		assert_int_equal(c.is_pcie, IA_UNKNOWN);
		assert_int_equal(c.has_acs, IA_UNKNOWN);
		assert_int_equal(c.caps_complete, IA_UNKNOWN);
		assert_int_equal(c.n_caps, 0);
		ia_diags_free(&d);
	}
	/* And exactly 64 is enough. */
	struct ia_pcicfg c;
	build_pcie_endpoint(0);
	assert_int_equal(ia_pcicfg_decode(cfg, 64, 64, &c, NULL), 0);
	assert_int_equal(c.class_code, 0x020000);
}

/* More capabilities than IA_PCICFG_MAX_CAPS: one -IA_E_RANGE diagnostic, the walk still ends. */
static void test_too_many_caps(void **state)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};
	(void)state;

	/* 200 extended capabilities packed 4 bytes apart; the last is ACS, its registers after it. */
	build_pcie_endpoint(0);
	for (uint16_t off = 0x100; off < 0x41c; off += 4)
		ext_cap(off, 0x000b, 1, (uint16_t)(off + 4));
	ext_cap(0x41c, IA_PCI_EXT_CAP_ID_ACS, 1, 0);
	put16(0x420, 0x001f);
	assert_int_equal(ia_pcicfg_decode(cfg, sizeof(cfg), IA_PCI_CFG_EXT, &c, &d), 0);
	assert_int_equal(c.n_caps, IA_PCICFG_MAX_CAPS);
	assert_int_equal(count_diags(&d, -IA_E_RANGE), 3 + 200 - IA_PCICFG_MAX_CAPS);
	assert_int_equal(c.caps_complete, IA_YES);
	/* The registers of a capability past the table limit are still decoded. */
	assert_int_equal(c.has_acs, IA_YES);
	assert_int_equal(c.acs_cap, 0x001f);
	ia_diags_free(&d);
}

/* ---------------------------------------------------------------------------------------------
 * ia_pcicfg_fetch(): the live read of only the bytes the decoder looks at.
 * ------------------------------------------------------------------------------------------- */

/* A reader over cfg[] that serves @limit bytes and counts the reads of every dword. */
static size_t fetch_limit;
static unsigned dword_reads[IA_PCI_CFG_EXT / 4];

static long fetch_read(void *ctx, uint8_t *dst, size_t off, size_t len)
{
	(void)ctx;
	assert_int_equal(off % 4, 0);
	if (off >= fetch_limit)
		return 0;
	if (len > fetch_limit - off)
		len = fetch_limit - off;
	memcpy(dst, cfg + off, len);
	for (size_t k = off; k < off + len; k += 4)
		dword_reads[k / 4]++;
	return (long)len;
}

/* Fetch cfg[] as a reader limited to @limit would serve it, decode both ways, and require the same
 * answer; returns the bytes read. */
static size_t fetch_and_compare(size_t cfg_size, size_t limit)
{
	static uint8_t sparse[IA_PCI_CFG_EXT];
	struct ia_pcicfg whole, part;
	struct ia_diags dw = {0}, dp = {0};
	struct ia_pcicfg_fetch_stats st;

	fetch_limit = limit;
	memset(dword_reads, 0, sizeof(dword_reads));
	long rd = ia_pcicfg_fetch(fetch_read, NULL, sparse, cfg_size, limit, &st);
	assert_int_equal(rd, limit < cfg_size ? limit : cfg_size);
	for (size_t i = 0; i < IA_PCI_CFG_EXT / 4; i++)
		assert_true(dword_reads[i] <= 1);     /* each dword read at most once */
	ia_pcicfg_decode(cfg, limit, cfg_size, &whole, &dw);
	ia_pcicfg_decode(sparse, (size_t)rd, cfg_size, &part, &dp);
	assert_int_equal(whole.n_caps, part.n_caps);
	for (size_t i = 0; i < whole.n_caps; i++) {
		assert_int_equal(whole.caps[i].id, part.caps[i].id);
		assert_int_equal(whole.caps[i].offset, part.caps[i].offset);
	}
	assert_int_equal(dw.n, dp.n);
	assert_int_equal(whole.caps_complete, part.caps_complete);
	assert_int_equal(whole.is_pcie, part.is_pcie);
	assert_int_equal(whole.devcap2, part.devcap2);
	assert_int_equal(whole.has_acs, part.has_acs);
	assert_int_equal(whole.acs_cap, part.acs_cap);
	assert_int_equal(whole.acs_ctrl, part.acs_ctrl);
	assert_int_equal(whole.acs_ctrl_dw, part.acs_ctrl_dw);
	assert_int_equal(whole.has_ats, part.has_ats);
	assert_int_equal(whole.ats_ctrl, part.ats_ctrl);
	assert_int_equal(whole.has_pri, part.has_pri);
	assert_int_equal(whole.pri_capacity, part.pri_capacity);
	assert_int_equal(whole.has_pasid, part.has_pasid);
	assert_int_equal(whole.pasid_cap, part.pasid_cap);
	assert_int_equal(whole.has_ari, part.has_ari);
	assert_int_equal(whole.has_sriov, part.has_sriov);
	assert_int_equal(whole.sriov_vf_device, part.sriov_vf_device);
	assert_int_equal(whole.sriov_num_vfs, part.sriov_num_vfs);
	ia_diags_free(&dw);
	ia_diags_free(&dp);
	return st.bytes;
}

/* An endpoint with PM, MSI, PCIe v2 and ATS, PRI, PASID, ARI, SR-IOV: 64 header bytes, the two
 * capability headers, 0x28 of the PCIe capability, and the extended headers and bodies the
 * decoder reads: 280 of 4096 bytes, each dword once (lspci -vvv reads about this much). */
static void test_fetch_reads_only_decoded(void **state)
{
	(void)state;
	build_pcie_endpoint(1u << 21);
	ext_cap(0x100, IA_PCI_EXT_CAP_ID_ATS, 1, 0x110);
	put16(0x106, 0x8002);
	ext_cap(0x110, IA_PCI_EXT_CAP_ID_PRI, 1, 0x130);
	put32(0x118, 0x200);
	ext_cap(0x130, IA_PCI_EXT_CAP_ID_PASID, 1, 0x140);
	put16(0x134, 0x1406);
	ext_cap(0x140, IA_PCI_EXT_CAP_ID_SRIOV, 1, 0x180);
	put16(0x150, 7);
	ext_cap(0x180, IA_PCI_EXT_CAP_ID_ARI, 1, 0x190);
	ext_cap(0x190, IA_PCI_EXT_CAP_ID_ACS, 1, 0);
	put16(0x194, 0x005f);
	put16(0x196, 0x001d);
	put32(0x198, 0x000000ff);               /* past the ACS control: read, as acs_ctrl_dw */
	assert_int_equal(fetch_and_compare(IA_PCI_CFG_EXT, IA_PCI_CFG_EXT),
			 64 + 4 + 4 + 0x28 + 8 + 12 + 8 + 0x1c + 4 + 12);
	/* An unprivileged reader: the kernel serves 64 bytes; nothing past them is asked for. */
	assert_int_equal(fetch_and_compare(IA_PCI_CFG_EXT, 64), 64);
	/* A legacy 256-byte space: no extended walk. */
	assert_int_equal(fetch_and_compare(IA_PCI_CFG_LEGACY, IA_PCI_CFG_LEGACY), 64 + 4 + 4 + 0x28);
	/* A reader that ends inside the PCIe capability: the decode marks the rest unknown alike. */
	fetch_and_compare(IA_PCI_CFG_EXT, 0x70);
	/* Conventional PCI, no capability list: the header alone. */
	build_header(0x00, 0);
	assert_int_equal(fetch_and_compare(IA_PCI_CFG_EXT, IA_PCI_CFG_EXT), 64);
}

/* Malformed lists end the fetch where they end the decode: loops, pointers into the header,
 * all-ones, an extended pointer below 0x100. */
static void test_fetch_malformed(void **state)
{
	(void)state;
	build_header(0x00, 0x40);
	std_cap(0x40, 0x01, 0x50);
	std_cap(0x50, 0x05, 0x40);             /* loop */
	assert_int_equal(fetch_and_compare(IA_PCI_CFG_EXT, IA_PCI_CFG_EXT), 64 + 4 + 4);
	build_pcie_endpoint(0);
	ext_cap(0x100, IA_PCI_EXT_CAP_ID_ATS, 1, 0x110);
	ext_cap(0x110, IA_PCI_EXT_CAP_ID_PASID, 1, 0x100); /* loop back */
	fetch_and_compare(IA_PCI_CFG_EXT, IA_PCI_CFG_EXT);
	ext_cap(0x110, IA_PCI_EXT_CAP_ID_PASID, 1, 0x0f0); /* into the standard space */
	fetch_and_compare(IA_PCI_CFG_EXT, IA_PCI_CFG_EXT);
	put32(0x110, 0xffffffffu);              /* all-ones */
	fetch_and_compare(IA_PCI_CFG_EXT, IA_PCI_CFG_EXT);
	build_header(0x00, 0x08);               /* pointer into the header */
	assert_int_equal(fetch_and_compare(IA_PCI_CFG_EXT, IA_PCI_CFG_EXT), 64);
	build_header(0x02, 0x40);               /* CardBus: the pointer at 0x14 */
	std_cap(0x40, 0x01, 0x00);
	assert_int_equal(fetch_and_compare(IA_PCI_CFG_LEGACY, IA_PCI_CFG_LEGACY), 64 + 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_std_and_ext_walk),
		cmocka_unit_test(test_ext_empty_header),
		cmocka_unit_test(test_type1_root_port),
		cmocka_unit_test(test_type2_cap_pointer),
		cmocka_unit_test(test_acs_fields),
		cmocka_unit_test(test_acs_registers_past_end),
		cmocka_unit_test(test_ats_pri_pasid_sriov_fields),
		cmocka_unit_test(test_devcap2_eetlp),
		cmocka_unit_test(test_pcie_v1_no_devcap2),
		cmocka_unit_test(test_conventional_pci),
		cmocka_unit_test(test_partial_reads),
		cmocka_unit_test(test_pcie_cap_registers_unreadable),
		cmocka_unit_test(test_devcap2_unreadable),
		cmocka_unit_test(test_malformed_lists),
		cmocka_unit_test(test_all_ones_header),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_too_many_caps),
		cmocka_unit_test(test_fetch_reads_only_decoded),
		cmocka_unit_test(test_fetch_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
