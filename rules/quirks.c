// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel's PCI quirk tables as C data (one entry per rules/data/*.csv row) and the ACS quirk logic.
#include "quirks.h"

#include <string.h>

/* The SV|RR|CR|UF set most quirks assert (REQ_ACS_FLAGS / later PCI_ACS_ISOLATED). */
#define QUIRKS_ISO (IA_ACS_SV | IA_ACS_RR | IA_ACS_CR | IA_ACS_UF)

static enum ia_tri quirks_and(enum ia_tri a, enum ia_tri b)
{
	if (a == IA_NO || b == IA_NO)
		return IA_NO;
	if (a == IA_UNKNOWN || b == IA_UNKNOWN)
		return IA_UNKNOWN;
	return IA_YES;
}

/* pci_acs_ctrl_enabled(): 1 iff every requested bit is in @ena. */
static unsigned quirks_ctrl_enabled(struct ia_acs_quirk_ctx *c, uint16_t req, uint32_t ena)
{
	uint16_t miss = (uint16_t)(req & ~ena);

	c->missing = miss;
	return miss ? IA_QO_DISABLED : IA_QO_ENABLED;
}

/* pci_pcie_type(dev) == @t, where a conventional device reads as type 0 (pcie_flags_reg is 0). */
static enum ia_tri quirks_type_is(const struct ia_topo_fn *f, uint8_t t)
{
	if (f->is_pcie == IA_UNKNOWN)
		return IA_UNKNOWN;
	if (f->is_pcie == IA_NO)
		return t == 0 ? IA_YES : IA_NO;
	return f->pcie_type == t ? IA_YES : IA_NO;
}

/* pci_is_pcie(dev) && pci_pcie_type(dev) == @t. */
static enum ia_tri quirks_pcie_type_is(const struct ia_topo_fn *f, uint8_t t)
{
	if (f->is_pcie == IA_NO)
		return IA_NO;
	return quirks_type_is(f, t);
}

/* Combine "does the quirk apply" (@scope) with what it answers when it does. */
static unsigned quirks_scoped(struct ia_acs_quirk_ctx *c, enum ia_tri scope, unsigned result,
			      const char *why)
{
	if (scope == IA_NO)
		return IA_QO_NONE;
	if (scope == IA_YES)
		return result;
	c->unknown_reason = why;
	return IA_QO_NONE | result;
}

static const char quirks_why_pcie[] = "PCIe capability unreadable (config space past 0x40)";
static const char quirks_why_acs[] = "ACS capability unreadable (extended config space)";

/* pci_quirk_amd_sb_acs(): multifunction SB devices on the root bus, only with an IVRS table. */
static unsigned quirks_pci_quirk_amd_sb_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	enum ia_tri scope = IA_NO;

	if (c->fn->multifunction && c->on_root_bus)
		scope = c->env->ivrs_present;
	flags &= IA_ACS_RR | IA_ACS_CR | IA_ACS_EC | IA_ACS_DT;
	return quirks_scoped(c, scope, quirks_ctrl_enabled(c, flags, IA_ACS_RR | IA_ACS_CR),
			     "presence of an ACPI IVRS table unknown");
}

/* pci_quirk_mf_endpoint_acs(): vendor-verified multifunction devices without internal P2P. */
static unsigned quirks_pci_quirk_mf_endpoint_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	return quirks_ctrl_enabled(c, flags, IA_ACS_SV | IA_ACS_TB | IA_ACS_RR | IA_ACS_CR |
				   IA_ACS_UF | IA_ACS_DT);
}

/* pci_quirk_rciep_acs(): Intel RCiEPs (VT-d 3.1 sec 3.16). */
static unsigned quirks_pci_quirk_rciep_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	return quirks_scoped(c, quirks_type_is(c->fn, IA_PCIE_RC_END),
			     quirks_ctrl_enabled(c, flags, QUIRKS_ISO), quirks_why_pcie);
}

/* pci_quirk_qcom_rp_acs(), _xgene_, _brcm_, _loongson_, _nxp_rp_: unconditional SV|RR|CR|UF. */
static unsigned quirks_pci_quirk_qcom_rp_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	return quirks_ctrl_enabled(c, flags, QUIRKS_ISO);
}

static unsigned quirks_pci_quirk_xgene_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	return quirks_ctrl_enabled(c, flags, QUIRKS_ISO);
}

static unsigned quirks_pci_quirk_brcm_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	return quirks_ctrl_enabled(c, flags, QUIRKS_ISO);
}

static unsigned quirks_pci_quirk_loongson_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	return quirks_ctrl_enabled(c, flags, QUIRKS_ISO);
}

static unsigned quirks_pci_quirk_nxp_rp_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	return quirks_ctrl_enabled(c, flags, QUIRKS_ISO);
}

/* pci_quirk_intel_pch_acs_ids[] (drivers/pci/quirks.c). */
static bool quirks_intel_pch_id(uint16_t d)
{
	static const uint16_t single[] = {
		0x1d10, 0x1d12, 0x1d14, 0x1d16, 0x1d18, 0x1d1a, 0x1d1c, 0x1d1e, /* Patsburg */
		0x8c90, 0x8c92, 0x8c94, 0x8c96, 0x8c98, 0x8c9a, 0x8c9c, 0x8c9e, /* 9 series */
	};
	static const uint16_t range[][2] = {
		{ 0x3b42, 0x3b51 }, /* Ibexpeak */
		{ 0x1c10, 0x1c1f }, /* Cougarpoint */
		{ 0x1e10, 0x1e1f }, /* Pantherpoint */
		{ 0x8c10, 0x8c1f }, /* Lynxpoint-H */
		{ 0x9c10, 0x9c1b }, /* Lynxpoint-LP */
		{ 0x9c90, 0x9c9b }, /* Wildcat */
		{ 0x8d10, 0x8d1e }, /* Wellsburg */
	};
	size_t i;

	for (i = 0; i < sizeof(single) / sizeof(single[0]); i++)
		if (single[i] == d)
			return true;
	for (i = 0; i < sizeof(range) / sizeof(range[0]); i++)
		if (d >= range[i][0] && d <= range[i][1])
			return true;
	return false;
}

/* pci_quirk_intel_pch_acs(): only after pci_quirk_enable_intel_pch_acs() set ACS_ENABLED_QUIRK. */
static unsigned quirks_pci_quirk_intel_pch_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	enum ia_tri scope, on;
	unsigned r;

	if (!quirks_intel_pch_id(c->fn->device))
		return IA_QO_NONE;
	scope = quirks_pcie_type_is(c->fn, IA_PCIE_ROOT_PORT);
	on = c->env->intel_pch_acs_quirk_enabled;
	if (on == IA_YES) {
		r = quirks_ctrl_enabled(c, flags, QUIRKS_ISO);
	} else if (on == IA_NO) {
		r = quirks_ctrl_enabled(c, flags, 0);
	} else {
		r = quirks_ctrl_enabled(c, flags, 0);
		r |= quirks_ctrl_enabled(c, flags, QUIRKS_ISO);
		if (scope != IA_NO)
			c->unknown_reason = "Intel PCH root port: whether the ACS enable quirk ran is unknown";
	}
	return quirks_scoped(c, scope, r, quirks_why_pcie);
}

/* pci_quirk_intel_spt_pch_acs_match(): Sunrise/Union Point and 7th/8th gen mobile root ports. */
static bool quirks_intel_spt_id(uint16_t d)
{
	return (d >= 0xa110 && d <= 0xa11f) || (d >= 0xa167 && d <= 0xa16a) ||
	       (d >= 0xa290 && d <= 0xa29f) || (d >= 0xa2e7 && d <= 0xa2ee) ||
	       (d >= 0x9d10 && d <= 0x9d1b);
}

bool ia_quirk_intel_spt_pch(uint16_t device)
{
	return quirks_intel_spt_id(device);
}

/* pci_quirk_intel_spt_pch_acs(): pci_acs_flags_enabled() on dword registers, control at cap + 8. */
static unsigned quirks_pci_quirk_intel_spt_pch_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	const struct ia_topo_fn *f = c->fn;
	enum ia_tri scope;
	unsigned r;

	if (!quirks_intel_spt_id(f->device))
		return IA_QO_NONE;
	scope = quirks_and(quirks_pcie_type_is(f, IA_PCIE_ROOT_PORT), f->has_acs);
	if (f->has_acs == IA_YES) {
		uint16_t req = (uint16_t)(flags & (f->acs_cap_dw | IA_ACS_EC));

		r = quirks_ctrl_enabled(c, req, f->acs_ctrl_dw);
	} else {
		r = IA_QO_ENABLED | IA_QO_DISABLED;
	}
	return quirks_scoped(c, scope, r, f->is_pcie == IA_UNKNOWN ? quirks_why_pcie : quirks_why_acs);
}

/* pci_quirk_cavium_acs(): ThunderX1/2/3 root ports. */
static unsigned quirks_pci_quirk_cavium_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	uint16_t d = c->fn->device;

	if (!((d >= 0xa000 && d <= 0xa7ff) || d == 0xaf84 || d == 0xb884))
		return IA_QO_NONE;
	return quirks_scoped(c, quirks_pcie_type_is(c->fn, IA_PCIE_ROOT_PORT),
			     quirks_ctrl_enabled(c, flags, QUIRKS_ISO), quirks_why_pcie);
}

/* pci_quirk_al_acs(): Annapurna Labs root ports (pci_pcie_type() only, no pci_is_pcie()). */
static unsigned quirks_pci_quirk_al_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	return quirks_scoped(c, quirks_type_is(c->fn, IA_PCIE_ROOT_PORT),
			     quirks_ctrl_enabled(c, flags, QUIRKS_ISO), quirks_why_pcie);
}

/* pci_quirk_zhaoxin_pcie_ports_acs(): listed Root/Downstream Ports isolated, every other port false. */
static unsigned quirks_pci_quirk_zhaoxin_pcie_ports_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	uint16_t d = c->fn->device;
	enum ia_tri rp = quirks_pcie_type_is(c->fn, IA_PCIE_ROOT_PORT);
	enum ia_tri dsp = quirks_pcie_type_is(c->fn, IA_PCIE_DOWNSTREAM);
	enum ia_tri scope = (rp == IA_YES || dsp == IA_YES) ? IA_YES :
			    (rp == IA_UNKNOWN || dsp == IA_UNKNOWN) ? IA_UNKNOWN : IA_NO;
	unsigned r;

	if ((d >= 0x0710 && d <= 0x071e) || d == 0x0721 || (d >= 0x0723 && d <= 0x0752)) {
		r = quirks_ctrl_enabled(c, flags, QUIRKS_ISO);
	} else {
		c->missing = flags;
		r = IA_QO_DISABLED;
	}
	return quirks_scoped(c, scope, r, quirks_why_pcie);
}

/* pci_quirk_wangxun_nic_acs(): listed NICs isolated, every other Wangxun device false. */
static unsigned quirks_pci_quirk_wangxun_nic_acs(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	uint16_t d = c->fn->device;

	if ((d >= 0x0100 && d <= 0x010f) || d == 0x1001 || d == 0x2001 || d == 0x5010 ||
	    d == 0x5025 || d == 0x5040 || d == 0x5110 || d == 0x5125 || d == 0x5140)
		return quirks_ctrl_enabled(c, flags, QUIRKS_ISO);
	c->missing = flags;
	return IA_QO_DISABLED;
}

/* Post-6.12 rows whose function is not confirmed: only on a kernel that may have them (row
 * acs_quirks_7_0 of the behaviour table), then anything goes. */
static unsigned quirks_unconfirmed(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	(void)flags;
	if (ia_kb_has(&c->env->kernel, IA_KB_ACS_QUIRKS_7_0) == IA_NO)
		return IA_QO_NONE;
	c->unknown_reason = "post-6.12 ACS quirk row whose content is unconfirmed";
	return IA_QO_NONE | IA_QO_ENABLED | IA_QO_DISABLED;
}

/* pcie_acs_overrides() of the out-of-tree pcie_acs_override patch (last table entry). */
static unsigned quirks_pcie_acs_overrides(struct ia_acs_quirk_ctx *c, uint16_t flags)
{
	const struct ia_topo_env *e = c->env;
	const struct ia_topo_fn *f = c->fn;
	int n = e->n_acs_override_ids, i;
	enum ia_tri scope;
	unsigned r = IA_QO_NONE;

	(void)flags;
	if (n < 0)
		n = 0;
	if (n > 16)
		n = 16;
	if (!e->acs_override_downstream && !e->acs_override_multifunction && n == 0)
		return IA_QO_NONE;
	/* Never for conventional devices or devices with an ACS capability. */
	scope = quirks_and(f->is_pcie, f->has_acs == IA_YES ? IA_NO :
			   f->has_acs == IA_NO ? IA_YES : IA_UNKNOWN);
	for (i = 0; i < n; i++)
		if (e->acs_override_ids[i][0] == f->vendor && e->acs_override_ids[i][1] == f->device)
			r = IA_QO_ENABLED;
	if (r == IA_QO_NONE && f->is_pcie == IA_YES) {
		switch (f->pcie_type) {
		case IA_PCIE_DOWNSTREAM:
		case IA_PCIE_ROOT_PORT:
			if (e->acs_override_downstream)
				r = IA_QO_ENABLED;
			break;
		case IA_PCIE_ENDPOINT:
		case IA_PCIE_UPSTREAM:
		case IA_PCIE_LEG_END:
		case IA_PCIE_RC_END:
			if (e->acs_override_multifunction && f->multifunction)
				r = IA_QO_ENABLED;
			break;
		default:
			break;
		}
	} else if (r == IA_QO_NONE && f->is_pcie == IA_UNKNOWN) {
		r = IA_QO_NONE | IA_QO_ENABLED;
	}
	c->missing = 0;
	return quirks_scoped(c, scope, r, f->is_pcie == IA_UNKNOWN ? quirks_why_pcie : quirks_why_acs);
}

bool ia_acs_quirk_matches(const struct ia_acs_quirk *q, uint16_t vendor, uint16_t device)
{
	return q && (q->any_vendor || q->vendor == vendor) && (q->any_device || q->device == device);
}

bool ia_dma_alias_quirk_matches(const struct ia_dma_alias_quirk *q, const struct ia_topo_fn *fn)
{
	if (!q || !fn || !q->is_quirk)
		return false;
	if (!(q->any_vendor || q->vendor == fn->vendor) || !(q->any_device || q->device == fn->device))
		return false;
	return q->class_hi == 0 || ((fn->class_code >> 8) & 0xffff) == q->class_hi;
}

const struct ia_dmd_driver *ia_dmd_lookup(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	/* called several times per function: the first byte rules out most entries without a call */
	for (i = 0; i < ia_dmd_count; i++)
		if (ia_dmd_table[i].name[0] == name[0] && strcmp(ia_dmd_table[i].name, name) == 0)
			return &ia_dmd_table[i];
	return NULL;
}

#define SRC_ACS "drivers/pci/quirks.c pci_dev_acs_enabled[] (checked in linux-source-6.12.117)"
#define SRC_ALIAS "drivers/pci/quirks.c (linux-source-6.12.117)"
#define SRC_SWITCHTEC "drivers/pci/quirks.c (linux-source-6.12.117) SWITCHTEC_QUIRK()"
#define SRC_SWITCHTEC100X "drivers/pci/quirks.c (linux-source-6.12.117) SWITCHTEC_PCI100X_QUIRK()"

#define ACSQ(av, v, ad, d, name, fn, st, vn, lbl, src) \
	{ .any_vendor = (av), .vendor = (v), .any_device = (ad), .device = (d), .fn_name = (name), \
	  .eval = (fn), .status = (st), .vendor_name = (vn), .label = (lbl), .source = (src) }

/* rules/data/acs_quirks.csv: pci_dev_acs_enabled[] of 6.12.117 in table order, then the rest. */
const struct ia_acs_quirk ia_acs_quirk_table[] = {
	ACSQ(false, 0x1002, false, 0x4385, "pci_quirk_amd_sb_acs", quirks_pci_quirk_amd_sb_acs, IA_QS_TABLE, "ATI", "",
	     SRC_ACS),
	ACSQ(false, 0x1002, false, 0x439c, "pci_quirk_amd_sb_acs", quirks_pci_quirk_amd_sb_acs, IA_QS_TABLE, "ATI", "",
	     SRC_ACS),
	ACSQ(false, 0x1002, false, 0x4383, "pci_quirk_amd_sb_acs", quirks_pci_quirk_amd_sb_acs, IA_QS_TABLE, "ATI", "",
	     SRC_ACS),
	ACSQ(false, 0x1002, false, 0x439d, "pci_quirk_amd_sb_acs", quirks_pci_quirk_amd_sb_acs, IA_QS_TABLE, "ATI", "",
	     SRC_ACS),
	ACSQ(false, 0x1002, false, 0x4384, "pci_quirk_amd_sb_acs", quirks_pci_quirk_amd_sb_acs, IA_QS_TABLE, "ATI", "",
	     SRC_ACS),
	ACSQ(false, 0x1002, false, 0x4399, "pci_quirk_amd_sb_acs", quirks_pci_quirk_amd_sb_acs, IA_QS_TABLE, "ATI", "",
	     SRC_ACS),
	ACSQ(false, 0x1022, false, 0x780f, "pci_quirk_amd_sb_acs", quirks_pci_quirk_amd_sb_acs, IA_QS_TABLE, "AMD", "",
	     SRC_ACS),
	ACSQ(false, 0x1022, false, 0x7809, "pci_quirk_amd_sb_acs", quirks_pci_quirk_amd_sb_acs, IA_QS_TABLE, "AMD", "",
	     SRC_ACS),
	ACSQ(false, 0x1924, false, 0x0903, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Solarflare", "",
	     SRC_ACS),
	ACSQ(false, 0x1924, false, 0x0923, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Solarflare", "",
	     SRC_ACS),
	ACSQ(false, 0x1924, false, 0x0a03, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Solarflare", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10c6, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10db, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10dd, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10e1, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10f1, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10f7, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10f8, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10f9, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10fa, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10fb, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10fc, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1507, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1514, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x151c, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1529, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x152a, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x154d, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x154f, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1551, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1558, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1509, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82580",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x150e, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82580",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x150f, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82580",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1510, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82580",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1511, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82580",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1516, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82580",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1527, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82580",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10c9, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82576",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10e6, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82576",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10e7, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82576",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10e8, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82576",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x150a, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82576",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x150d, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82576",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1518, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82576",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1526, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82576",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10a7, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82575",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10a9, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82575",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10d6, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82575",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1521, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "I350",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1522, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "I350",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1523, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "I350",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1524, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "I350",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x105e, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82571 (Quads omitted due to non-ACS switch)",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x105f, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82571 (Quads omitted due to non-ACS switch)",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x1060, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82571 (Quads omitted due to non-ACS switch)",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x10d9, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "82571 (Quads omitted due to non-ACS switch)",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x15b7, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "I219",
	     SRC_ACS),
	ACSQ(false, 0x8086, false, 0x15b8, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Intel", "I219",
	     SRC_ACS),
	ACSQ(false, 0x8086, true, 0, "pci_quirk_rciep_acs", quirks_pci_quirk_rciep_acs, IA_QS_TABLE, "Intel", "",
	     SRC_ACS),
	ACSQ(false, 0x17cb, false, 0x0400, "pci_quirk_qcom_rp_acs", quirks_pci_quirk_qcom_rp_acs, IA_QS_TABLE, "Qualcomm", "QCOM QDF2xxx root ports",
	     SRC_ACS),
	ACSQ(false, 0x17cb, false, 0x0401, "pci_quirk_qcom_rp_acs", quirks_pci_quirk_qcom_rp_acs, IA_QS_TABLE, "Qualcomm", "QCOM QDF2xxx root ports",
	     SRC_ACS),
	ACSQ(false, 0x17cb, false, 0x0115, "pci_quirk_qcom_rp_acs", quirks_pci_quirk_qcom_rp_acs, IA_QS_TABLE, "Qualcomm", "QCOM SA8775P root port",
	     SRC_ACS),
	ACSQ(false, 0x17cb, false, 0x0111, "pci_quirk_qcom_rp_acs", quirks_pci_quirk_qcom_rp_acs, IA_QS_TABLE, "Qualcomm", "QCOM Hamoa root port",
	     SRC_ACS),
	ACSQ(false, 0x17cb, false, 0x0120, "pci_quirk_qcom_rp_acs", quirks_pci_quirk_qcom_rp_acs, IA_QS_TABLE, "Qualcomm", "QCOM Glymur root port",
	     SRC_ACS),
	ACSQ(false, 0x1dbf, false, 0x0401, "pci_quirk_qcom_rp_acs", quirks_pci_quirk_qcom_rp_acs, IA_QS_TABLE, "HXT", "HXT SD4800 root ports. The ACS design is same as QCOM QDF2xxx",
	     SRC_ACS),
	ACSQ(false, 0x8086, true, 0, "pci_quirk_intel_pch_acs", quirks_pci_quirk_intel_pch_acs, IA_QS_TABLE, "Intel", "Intel PCH root ports",
	     SRC_ACS),
	ACSQ(false, 0x8086, true, 0, "pci_quirk_intel_spt_pch_acs", quirks_pci_quirk_intel_spt_pch_acs, IA_QS_TABLE, "Intel", "Intel PCH root ports",
	     SRC_ACS),
	ACSQ(false, 0x19a2, false, 0x0710, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Emulex", "Emulex BE3-R",
	     SRC_ACS),
	ACSQ(false, 0x10df, false, 0x0720, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Emulex", "Emulex Skyhawk-R",
	     SRC_ACS),
	ACSQ(false, 0x177d, true, 0, "pci_quirk_cavium_acs", quirks_pci_quirk_cavium_acs, IA_QS_TABLE, "Cavium", "Cavium ThunderX",
	     SRC_ACS),
	ACSQ(false, 0x177d, false, 0xa026, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Cavium", "Cavium multi-function devices",
	     SRC_ACS),
	ACSQ(false, 0x177d, false, 0xa059, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Cavium", "Cavium multi-function devices",
	     SRC_ACS),
	ACSQ(false, 0x177d, false, 0xa060, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Cavium", "Cavium multi-function devices",
	     SRC_ACS),
	ACSQ(false, 0x10e8, false, 0xe004, "pci_quirk_xgene_acs", quirks_pci_quirk_xgene_acs, IA_QS_TABLE, "AppliedMicro", "APM X-Gene",
	     SRC_ACS),
	ACSQ(false, 0x1def, false, 0xe005, "pci_quirk_xgene_acs", quirks_pci_quirk_xgene_acs, IA_QS_TABLE, "Ampere", "Ampere Computing",
	     SRC_ACS),
	ACSQ(false, 0x1def, false, 0xe006, "pci_quirk_xgene_acs", quirks_pci_quirk_xgene_acs, IA_QS_TABLE, "Ampere", "Ampere Computing",
	     SRC_ACS),
	ACSQ(false, 0x1def, false, 0xe007, "pci_quirk_xgene_acs", quirks_pci_quirk_xgene_acs, IA_QS_TABLE, "Ampere", "Ampere Computing",
	     SRC_ACS),
	ACSQ(false, 0x1def, false, 0xe008, "pci_quirk_xgene_acs", quirks_pci_quirk_xgene_acs, IA_QS_TABLE, "Ampere", "Ampere Computing",
	     SRC_ACS),
	ACSQ(false, 0x1def, false, 0xe009, "pci_quirk_xgene_acs", quirks_pci_quirk_xgene_acs, IA_QS_TABLE, "Ampere", "Ampere Computing",
	     SRC_ACS),
	ACSQ(false, 0x1def, false, 0xe00a, "pci_quirk_xgene_acs", quirks_pci_quirk_xgene_acs, IA_QS_TABLE, "Ampere", "Ampere Computing",
	     SRC_ACS),
	ACSQ(false, 0x1def, false, 0xe00b, "pci_quirk_xgene_acs", quirks_pci_quirk_xgene_acs, IA_QS_TABLE, "Ampere", "Ampere Computing",
	     SRC_ACS),
	ACSQ(false, 0x1def, false, 0xe00c, "pci_quirk_xgene_acs", quirks_pci_quirk_xgene_acs, IA_QS_TABLE, "Ampere", "Ampere Computing",
	     SRC_ACS),
	ACSQ(false, 0x14e4, false, 0x16d7, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Broadcom", "Broadcom multi-function device",
	     SRC_ACS),
	ACSQ(false, 0x14e4, false, 0x1750, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Broadcom", "Broadcom multi-function device",
	     SRC_ACS),
	ACSQ(false, 0x14e4, false, 0x1751, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Broadcom", "Broadcom multi-function device",
	     SRC_ACS),
	ACSQ(false, 0x14e4, false, 0x1752, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Broadcom", "Broadcom multi-function device",
	     SRC_ACS),
	ACSQ(false, 0x14e4, false, 0x1760, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Broadcom", "Broadcom multi-function device",
	     SRC_ACS),
	ACSQ(false, 0x14e4, false, 0x1761, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Broadcom", "Broadcom multi-function device",
	     SRC_ACS),
	ACSQ(false, 0x14e4, false, 0x1762, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Broadcom", "Broadcom multi-function device",
	     SRC_ACS),
	ACSQ(false, 0x14e4, false, 0x1763, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Broadcom", "Broadcom multi-function device",
	     SRC_ACS),
	ACSQ(false, 0x14e4, false, 0xd714, "pci_quirk_brcm_acs", quirks_pci_quirk_brcm_acs, IA_QS_TABLE, "Broadcom", "iProc PAXB root port",
	     SRC_ACS),
	ACSQ(false, 0x0014, false, 0x3c09, "pci_quirk_loongson_acs", quirks_pci_quirk_loongson_acs, IA_QS_TABLE, "Loongson", "Loongson PCIe Root Ports",
	     SRC_ACS),
	ACSQ(false, 0x0014, false, 0x3c19, "pci_quirk_loongson_acs", quirks_pci_quirk_loongson_acs, IA_QS_TABLE, "Loongson", "Loongson PCIe Root Ports",
	     SRC_ACS),
	ACSQ(false, 0x0014, false, 0x3c29, "pci_quirk_loongson_acs", quirks_pci_quirk_loongson_acs, IA_QS_TABLE, "Loongson", "Loongson PCIe Root Ports",
	     SRC_ACS),
	ACSQ(false, 0x0014, false, 0x7a09, "pci_quirk_loongson_acs", quirks_pci_quirk_loongson_acs, IA_QS_TABLE, "Loongson", "Loongson PCIe Root Ports",
	     SRC_ACS),
	ACSQ(false, 0x0014, false, 0x7a19, "pci_quirk_loongson_acs", quirks_pci_quirk_loongson_acs, IA_QS_TABLE, "Loongson", "Loongson PCIe Root Ports",
	     SRC_ACS),
	ACSQ(false, 0x0014, false, 0x7a29, "pci_quirk_loongson_acs", quirks_pci_quirk_loongson_acs, IA_QS_TABLE, "Loongson", "Loongson PCIe Root Ports",
	     SRC_ACS),
	ACSQ(false, 0x0014, false, 0x7a39, "pci_quirk_loongson_acs", quirks_pci_quirk_loongson_acs, IA_QS_TABLE, "Loongson", "Loongson PCIe Root Ports",
	     SRC_ACS),
	ACSQ(false, 0x0014, false, 0x7a49, "pci_quirk_loongson_acs", quirks_pci_quirk_loongson_acs, IA_QS_TABLE, "Loongson", "Loongson PCIe Root Ports",
	     SRC_ACS),
	ACSQ(false, 0x0014, false, 0x7a59, "pci_quirk_loongson_acs", quirks_pci_quirk_loongson_acs, IA_QS_TABLE, "Loongson", "Loongson PCIe Root Ports",
	     SRC_ACS),
	ACSQ(false, 0x0014, false, 0x7a69, "pci_quirk_loongson_acs", quirks_pci_quirk_loongson_acs, IA_QS_TABLE, "Loongson", "Loongson PCIe Root Ports",
	     SRC_ACS),
	ACSQ(false, 0x1c36, false, 0x0031, "pci_quirk_al_acs", quirks_pci_quirk_al_acs, IA_QS_TABLE, "Amazon Annapurna Labs", "Amazon Annapurna Labs",
	     SRC_ACS),
	ACSQ(false, 0x1d17, false, 0x3038, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Zhaoxin", "Zhaoxin multi-function devices",
	     SRC_ACS),
	ACSQ(false, 0x1d17, false, 0x3104, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Zhaoxin", "Zhaoxin multi-function devices",
	     SRC_ACS),
	ACSQ(false, 0x1d17, false, 0x9083, "pci_quirk_mf_endpoint_acs", quirks_pci_quirk_mf_endpoint_acs, IA_QS_TABLE, "Zhaoxin", "Zhaoxin multi-function devices",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d81, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx0A : without security features + CAN-FD",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8da1, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx0A : without security features + CAN-FD",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d83, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx0A : without security features + CAN-FD",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d80, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx0C : security features + CAN-FD",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8da0, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx0C : security features + CAN-FD",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d82, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx0C : security features + CAN-FD",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d90, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx0E : security features + CAN",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8db0, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx0E : security features + CAN",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d92, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx0E : security features + CAN",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d91, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx0N : without security features + CAN",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8db1, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx0N : without security features + CAN",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d93, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx0N : without security features + CAN",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d89, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx2A : without security features + CAN-FD",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8da9, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx2A : without security features + CAN-FD",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d8b, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx2A : without security features + CAN-FD",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d88, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx2C : security features + CAN-FD",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8da8, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx2C : security features + CAN-FD",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d8a, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx2C : security features + CAN-FD",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d98, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx2E : security features + CAN",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8db8, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx2E : security features + CAN",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d9a, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx2E : security features + CAN",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d99, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx2N : without security features + CAN",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8db9, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx2N : without security features + CAN",
	     SRC_ACS),
	ACSQ(false, 0x1957, false, 0x8d9b, "pci_quirk_nxp_rp_acs", quirks_pci_quirk_nxp_rp_acs, IA_QS_TABLE, "NXP", "LX2xx2N : without security features + CAN",
	     SRC_ACS),
	ACSQ(false, 0x1d17, true, 0, "pci_quirk_zhaoxin_pcie_ports_acs", quirks_pci_quirk_zhaoxin_pcie_ports_acs, IA_QS_TABLE, "Zhaoxin", "Zhaoxin Root/Downstream Ports",
	     SRC_ACS),
	ACSQ(false, 0x8088, true, 0, "pci_quirk_wangxun_nic_acs", quirks_pci_quirk_wangxun_nic_acs, IA_QS_TABLE, "Wangxun", "Wangxun nics",
	     SRC_ACS),
	ACSQ(false, 0x8086, true, 0, "pci_quirk_enable_intel_pch_acs", NULL, IA_QS_OPS, "Intel", "",
	     "drivers/pci/quirks.c pci_dev_acs_ops[] / pci_quirk_enable_intel_pch_acs (6.12.117)"),
	ACSQ(false, 0x8086, true, 0, "pci_quirk_enable_intel_spt_pch_acs", NULL, IA_QS_OPS, "Intel", "",
	     "drivers/pci/quirks.c pci_dev_acs_ops[] (6.12.117)"),
	ACSQ(false, 0x12d8, false, 0xb404, "unconfirmed", quirks_unconfirmed, IA_QS_UNCONFIRMED, "Pericom", "",
	     "PCI tree merge log for v7.0 (commit 5907a90551e9 in pci.git); content unverified"),
	ACSQ(false, 0x12d8, false, 0x2608, "unconfirmed", quirks_unconfirmed, IA_QS_UNCONFIRMED, "Pericom", "",
	     "stable push logs 2026; content unverified"),
	ACSQ(false, 0x111d, false, 0x80b5, "pci_disable_broken_acs_cap", NULL, IA_QS_CAP_FIXUP, "IDT", "",
	     "PCI tree v7.0 merge log + lexplain.net commit analysis b26d7fb4a53e (secondary)"),
	ACSQ(false, 0x111d, false, 0x8090, "pci_disable_broken_acs_cap", NULL, IA_QS_CAP_FIXUP, "IDT", "",
	     "PCI tree v7.0 merge log + lexplain.net commit analysis b5f88a394705 (secondary)"),
	ACSQ(true, 0, true, 0, "pcie_acs_overrides", quirks_pcie_acs_overrides, IA_QS_OUT_OF_TREE, "any", "",
	     "out-of-tree acso.patch (Alex Williamson 2013, maintained by distros/zen/Proxmox); seen in public copies"),
};
const size_t ia_acs_quirk_count = sizeof(ia_acs_quirk_table) / sizeof(ia_acs_quirk_table[0]);

#define ALIASQ(av, v, ad, d, cls, name, k, q, vn, lbl, src) \
	{ .any_vendor = (av), .vendor = (v), .any_device = (ad), .device = (d), .class_hi = (cls), \
	  .fn_name = (name), .kind = (k), .is_quirk = (q), .vendor_name = (vn), .label = (lbl), \
	  .source = (src) }

/* rules/data/dma_alias_quirks.csv: every DMA-alias fixup of drivers/pci/quirks.c, then two non-quirks. */
const struct ia_dma_alias_quirk ia_dma_alias_quirk_table[] = {
	ALIASQ(false, 0x1180, false, 0xe832, 0, "quirk_dma_func0_alias", IA_ALK_FUNC0, true, "Ricoh", "", SRC_ALIAS),
	ALIASQ(false, 0x1180, false, 0xe476, 0, "quirk_dma_func0_alias", IA_ALK_FUNC0, true, "Ricoh", "", SRC_ALIAS),
	ALIASQ(false, 0x6766, false, 0x3d40, 0, "quirk_dma_func0_alias", IA_ALK_FUNC0, true, "Glenfly", "", SRC_ALIAS),
	ALIASQ(false, 0x6766, false, 0x3d41, 0, "quirk_dma_func0_alias", IA_ALK_FUNC0, true, "Glenfly", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9120, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9123, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9125, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9128, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9130, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9170, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9172, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x917a, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9182, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9183, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x91a0, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9215, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9220, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9230, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1b4b, false, 0x9235, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Marvell", "", SRC_ALIAS),
	ALIASQ(false, 0x1103, false, 0x0642, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "TTI", "", SRC_ALIAS),
	ALIASQ(false, 0x1103, false, 0x0645, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "TTI", "", SRC_ALIAS),
	ALIASQ(false, 0x197b, false, 0x2392, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "JMicron", "", SRC_ALIAS),
	ALIASQ(false, 0x1c28, false, 0x0122, 0, "quirk_dma_func1_alias", IA_ALK_FUNC1, true, "Lite-On", "Plextor M6E (Marvell 88SS9183)", SRC_ALIAS),
	ALIASQ(false, 0x9005, false, 0x0285, 0, "quirk_fixed_dma_alias", IA_ALK_FIXED, true, "Adaptec", "", SRC_ALIAS),
	ALIASQ(false, 0x1b21, false, 0x1080, 0, "quirk_use_pcie_bridge_dma_alias", IA_ALK_PCIE_BRIDGE, true, "ASMedia", "", SRC_ALIAS),
	ALIASQ(false, 0x10e3, false, 0x8113, 0, "quirk_use_pcie_bridge_dma_alias", IA_ALK_PCIE_BRIDGE, true, "Tundra", "", SRC_ALIAS),
	ALIASQ(false, 0x1283, false, 0x8892, 0, "quirk_use_pcie_bridge_dma_alias", IA_ALK_PCIE_BRIDGE, true, "ITE", "", SRC_ALIAS),
	ALIASQ(false, 0x1283, false, 0x8893, 0, "quirk_use_pcie_bridge_dma_alias", IA_ALK_PCIE_BRIDGE, true, "ITE", "", SRC_ALIAS),
	ALIASQ(false, 0x8086, false, 0x244e, 0, "quirk_use_pcie_bridge_dma_alias", IA_ALK_PCIE_BRIDGE, true, "Intel", "", SRC_ALIAS),
	ALIASQ(false, 0x8086, false, 0x2260, 0, "quirk_mic_x200_dma_alias", IA_ALK_MIC_X200, true, "Intel", "", SRC_ALIAS),
	ALIASQ(false, 0x8086, false, 0x2264, 0, "quirk_mic_x200_dma_alias", IA_ALK_MIC_X200, true, "Intel", "", SRC_ALIAS),
	ALIASQ(false, 0x8086, false, 0x2954, 0, "quirk_pex_vca_alias", IA_ALK_PEX_VCA, true, "Intel", "", SRC_ALIAS),
	ALIASQ(false, 0x8086, false, 0x2955, 0, "quirk_pex_vca_alias", IA_ALK_PEX_VCA, true, "Intel", "", SRC_ALIAS),
	ALIASQ(false, 0x8086, false, 0x2956, 0, "quirk_pex_vca_alias", IA_ALK_PEX_VCA, true, "Intel", "", SRC_ALIAS),
	ALIASQ(false, 0x8086, false, 0x2958, 0, "quirk_pex_vca_alias", IA_ALK_PEX_VCA, true, "Intel", "", SRC_ALIAS),
	ALIASQ(false, 0x8086, false, 0x2959, 0, "quirk_pex_vca_alias", IA_ALK_PEX_VCA, true, "Intel", "", SRC_ALIAS),
	ALIASQ(false, 0x8086, false, 0x295a, 0, "quirk_pex_vca_alias", IA_ALK_PEX_VCA, true, "Intel", "", SRC_ALIAS),
	ALIASQ(false, 0x14e4, false, 0x9000, 0, "quirk_bridge_cavm_thrx2_pcie_root", IA_ALK_XLATE_ROOT, true, "Broadcom", "", SRC_ALIAS),
	ALIASQ(false, 0x14e4, false, 0x9084, 0, "quirk_bridge_cavm_thrx2_pcie_root", IA_ALK_XLATE_ROOT, true, "Broadcom", "", SRC_ALIAS),
	ALIASQ(false, 0x10b5, false, 0x87b0, 0, "quirk_plx_ntb_dma_alias", IA_ALK_PLX_NTB, true, "PLX", "", SRC_ALIAS),
	ALIASQ(false, 0x10b5, false, 0x87b1, 0, "quirk_plx_ntb_dma_alias", IA_ALK_PLX_NTB, true, "PLX", "", SRC_ALIAS),
	ALIASQ(false, 0x11f8, false, 0x8531, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 24xG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8532, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 32xG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8533, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 48xG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8534, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 64xG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8535, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 80xG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8536, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 96xG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8541, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 24xG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8542, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 32xG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8543, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 48xG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8544, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 64xG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8545, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 80xG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8546, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 96xG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8551, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 24XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8552, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 32XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8553, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 48XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8554, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 64XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8555, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 80XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8556, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 96XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8561, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXL 24XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8562, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXL 32XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8563, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXL 48XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8564, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXL 64XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8565, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXL 80XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8566, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXL 96XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8571, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXI 24XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8572, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXI 32XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8573, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXI 48XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8574, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXI 64XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8575, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXI 80XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x8576, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXI 96XG3", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4000, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 100XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4084, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 84XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4068, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 68XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4052, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 52XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4036, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 36XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4028, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 28XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4100, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 100XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4184, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 84XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4168, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 68XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4152, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 52XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4136, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 36XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4128, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 28XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4200, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 100XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4284, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 84XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4268, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 68XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4252, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 52XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4236, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 36XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4228, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 28XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4352, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXA 52XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4336, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXA 36XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4328, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXA 28XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4452, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSXA 52XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4436, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSXA 36XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4428, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSXA 28XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4552, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAXA 52XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4536, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAXA 36XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x4528, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAXA 28XG4", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5000, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 100XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5084, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 84XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5068, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 68XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5052, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 52XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5036, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 36XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5028, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFX 28XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5100, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 100XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5184, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 84XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5168, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 68XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5152, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 52XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5136, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 36XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5128, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSX 28XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5200, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 100XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5284, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 84XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5268, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 68XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5252, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 52XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5236, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 36XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5228, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAX 28XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5300, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXA 100XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5384, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXA 84XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5368, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXA 68XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5352, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXA 52XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5336, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXA 36XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5328, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PFXA 28XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5400, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSXA 100XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5484, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSXA 84XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5468, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSXA 68XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5452, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSXA 52XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5436, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSXA 36XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5428, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PSXA 28XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5500, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAXA 100XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5584, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAXA 84XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5568, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAXA 68XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5552, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAXA 52XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5536, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAXA 36XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x11f8, false, 0x5528, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "Microsemi", "PAXA 28XG5", SRC_SWITCHTEC),
	ALIASQ(false, 0x1055, false, 0x1001, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "EFAR", "PCI1001XG4", SRC_SWITCHTEC100X),
	ALIASQ(false, 0x1055, false, 0x1002, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "EFAR", "PCI1002XG4", SRC_SWITCHTEC100X),
	ALIASQ(false, 0x1055, false, 0x1003, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "EFAR", "PCI1003XG4", SRC_SWITCHTEC100X),
	ALIASQ(false, 0x1055, false, 0x1004, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "EFAR", "PCI1004XG4", SRC_SWITCHTEC100X),
	ALIASQ(false, 0x1055, false, 0x1005, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "EFAR", "PCI1005XG4", SRC_SWITCHTEC100X),
	ALIASQ(false, 0x1055, false, 0x1006, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "EFAR", "PCI1006XG4", SRC_SWITCHTEC100X),
	ALIASQ(false, 0x1055, false, 0x1008, 0x0680, "quirk_switchtec_ntb_dma_alias", IA_ALK_SWITCHTEC, true, "EFAR", "PCI1008XG4", SRC_SWITCHTEC100X),
	ALIASQ(true, 0, true, 0, 0, "setup_aliases", IA_ALK_IVRS, false, "AMD", "", "drivers/iommu/amd/iommu.c setup_aliases (6.12.117)"),
	ALIASQ(false, 0x8086, true, 0, 0, "pci_real_dma_dev", IA_ALK_VMD, false, "Intel", "", "arch/x86/pci/common.c pci_real_dma_dev; drivers/pci/pci.c pci_devs_are_dma_aliases (6.12.117)"),
};
const size_t ia_dma_alias_quirk_count =
	sizeof(ia_dma_alias_quirk_table) / sizeof(ia_dma_alias_quirk_table[0]);

#define DMD(n, b, f, since, ml, vfio) \
	{ .name = (n), .bus = (b), .file = (f), .first_mainline = (since), .mainline = (ml), \
	  .vfio_bus_driver = (vfio) }

/* rules/data/driver_managed_dma.csv: drivers that set driver_managed_dma (source: the file column). */
const struct ia_dmd_driver ia_dmd_table[] = {
	DMD("pci-stub", "pci", "drivers/pci/pci-stub.c",
	    "v5.19", IA_DMD_MAINLINE, false),
	DMD("pcieport", "pci", "drivers/pci/pcie/portdrv.c",
	    "v5.19", IA_DMD_MAINLINE, false),
	DMD("vfio-pci", "pci", "drivers/vfio/pci/vfio_pci.c",
	    "v5.19", IA_DMD_MAINLINE, true),
	DMD("mlx5_vfio_pci", "pci", "drivers/vfio/pci/mlx5/main.c",
	    "v5.19 (driver added v5.18)", IA_DMD_MAINLINE, true),
	DMD("hisi_acc_vfio_pci", "pci", "drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c",
	    "v5.19 (driver added v5.18)", IA_DMD_MAINLINE, true),
	DMD("pds_vfio_pci", "pci", "drivers/vfio/pci/pds/pci_drv.c",
	    "v6.5 (with driver)", IA_DMD_MAINLINE, true),
	DMD("virtio_vfio_pci", "pci", "drivers/vfio/pci/virtio/main.c",
	    "v6.8 (with driver; version from memory, not re-verified)", IA_DMD_MAINLINE, true),
	DMD("nvgrace_gpu_vfio_pci", "pci", "drivers/vfio/pci/nvgrace-gpu/main.c",
	    "v6.10 (with driver; version from memory, not re-verified)", IA_DMD_MAINLINE, true),
	DMD("qat_vfio_pci", "pci", "drivers/vfio/pci/qat/main.c",
	    "v6.10 (with driver; version from memory, not re-verified)", IA_DMD_MAINLINE, true),
	DMD("xe-vfio-pci", "pci", "drivers/vfio/pci/xe/main.c",
	    "post-6.12 mainline (believed v6.19; not confirmed)", IA_DMD_POST_612, true),
	DMD("ism_vfio_pci", "pci", "drivers/vfio/pci/ism/main.c",
	    "post-6.12 mainline (2026; release not confirmed)", IA_DMD_POST_612, true),
	DMD("vfio-platform", "platform", "drivers/vfio/platform/vfio_platform.c",
	    "v5.19", IA_DMD_MAINLINE, true),
	DMD("vfio-amba", "amba", "drivers/vfio/platform/vfio_amba.c",
	    "v5.19", IA_DMD_MAINLINE, true),
	DMD("vfio-fsl-mc", "fsl-mc", "drivers/vfio/fsl-mc/vfio_fsl_mc.c",
	    "v5.19", IA_DMD_MAINLINE, true),
	DMD("vfio-cdx", "cdx", "drivers/vfio/cdx/main.c",
	    "v6.6 (with driver; not re-verified)", IA_DMD_MAINLINE, true),
	DMD("fsl-pci", "platform", "arch/powerpc/sysdev/fsl_pci.c",
	    "unknown (present in 6.12)", IA_DMD_MAINLINE, false),
	DMD("nvidia-vgpu-pci", "pci", "(out-of-tree / proposed NVIDIA vGPU driver)",
	    "NOT in mainline as far as verified", IA_DMD_NOT_MAINLINE, false),
};
const size_t ia_dmd_count = sizeof(ia_dmd_table) / sizeof(ia_dmd_table[0]);
