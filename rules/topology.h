/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The PCI topology model: ACS, DMA aliases and the kernel's pci_device_group() prediction. */
#ifndef IA_TOPOLOGY_H
#define IA_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bdf.h"
#include "core/diag.h"

/* Tri-state for facts that may be unreadable (IA_NO, IA_YES, IA_UNKNOWN). */
#include "core/tri.h"
#include "rules/kernel_behaviour.h"

/* ACS Capability/Control bits (include/uapi/linux/pci_regs.h, PCIe Base Spec ACS Extended Cap). */
#define IA_ACS_SV 0x0001u /* Source Validation */
#define IA_ACS_TB 0x0002u /* Translation Blocking */
#define IA_ACS_RR 0x0004u /* P2P Request Redirect */
#define IA_ACS_CR 0x0008u /* P2P Completion Redirect */
#define IA_ACS_UF 0x0010u /* Upstream Forwarding */
#define IA_ACS_EC 0x0020u /* P2P Egress Control */
#define IA_ACS_DT 0x0040u /* Direct Translated P2P */
/* REQ_ACS_FLAGS of drivers/iommu/iommu.c: what pci_device_group() asks of every port. */
#define IA_ACS_REQ (IA_ACS_SV | IA_ACS_RR | IA_ACS_CR | IA_ACS_UF)

/* PCIe Capability +2 bits 7:4, Device/Port Type (PCI_EXP_TYPE_*). */
enum ia_pcie_type {
	IA_PCIE_ENDPOINT = 0x0, IA_PCIE_LEG_END = 0x1, IA_PCIE_ROOT_PORT = 0x4,
	IA_PCIE_UPSTREAM = 0x5, IA_PCIE_DOWNSTREAM = 0x6, IA_PCIE_PCI_BRIDGE = 0x7,
	IA_PCIE_PCIE_BRIDGE = 0x8, IA_PCIE_RC_END = 0x9, IA_PCIE_RC_EC = 0xa,
};

/* Upper bound on functions in one model (a large host has ~16k); more is -IA_E_TOOBIG. */
#define IA_TOPO_MAX_FNS (1u << 20)
/* Upper bound on bus nesting depth (bus numbers are 8-bit, so 256 per domain). */
#define IA_TOPO_MAX_DEPTH 256

/** One PCI bus (struct pci_bus). */
struct ia_topo_bus {
	uint32_t domain; uint8_t number;   /* domain >= 0x10000: an Intel VMD domain */
	int self;        /* index in fns[] of the bridge whose secondary bus this is (bus->self); -1 for a root bus AND for an SR-IOV virtual bus */
	int parent;      /* index in buses[] of the parent bus; -1 for a root bus */
	bool is_root;    /* pci_is_root_bus() */
};

/** One PCI function (struct pci_dev), as the PCI collector or a test fills it. */
struct ia_topo_fn {
	uint32_t domain; uint8_t bus_nr; uint8_t devfn;     /* BDF */
	int bus;                                            /* index in buses[] */
	uint16_t vendor, device, subsys_vendor, subsys_device; uint32_t class_code; /* 24-bit */ uint8_t revision;
	uint8_t hdr_type;           /* config 0x0E bits 6:0 */
	bool multifunction;         /* the kernel's view: hdr bit 7 OR found at fn>0 (pci_scan_slot); false for VFs */
	bool is_vf; int pf;         /* pf: index of the PF in fns[] when is_vf, else -1 */
	enum ia_tri is_pcie;        /* PCIe capability present; UNKNOWN when config bytes past 0x40 were unreadable */
	uint8_t pcie_type;          /* PCIe cap +2 bits 7:4, valid when is_pcie == IA_YES */
	enum ia_tri has_acs;        /* ACS extended capability present; UNKNOWN when extended config (>= 0x100) was unreadable */
	uint16_t acs_cap, acs_ctrl; /* ACS cap+4 and cap+6 (16-bit), valid when has_acs == IA_YES */
	uint32_t acs_cap_dw, acs_ctrl_dw; /* cap+4 and cap+8 as dwords (Intel SPT PCH quirk layout), valid when has_acs == IA_YES */
	uint8_t secondary, subordinate; /* bridges only */
	bool bridge_xlate_root;     /* PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT: the model ORs in quirk_bridge_cavm_thrx2_pcie_root */
	uint32_t extra_alias_devfn[8]; /* caller-supplied extra DMA aliases (e.g. AMD IVRS aliases on the same bus), 256-bit mask */
	bool has_real_dma; size_t real_dma; /* pci_real_dma_dev() when not the function itself: index of the Intel VMD endpoint (arch/x86/pci/common.c) */
};

/** Platform facts the quirks need. */
struct ia_topo_env {
	struct ia_kernel_id kernel;       /* the kernel the host runs, read through the behaviour table
					   * (rules/kernel_behaviour.h); has_version false = unknown */
	enum ia_tri ivrs_present;         /* pci_quirk_amd_sb_acs needs an IVRS table */
	enum ia_tri intel_pch_acs_quirk_enabled; /* PCI_DEV_FLAGS_ACS_ENABLED_QUIRK could be set (boot log / IOMMU requested ACS) */
	bool acs_override_downstream, acs_override_multifunction; uint16_t acs_override_ids[16][2]; int n_acs_override_ids; /* pcie_acs_override= tokens, out-of-tree patch */
};

/** The caller's input: buses, functions and platform facts (the model copies all of it). */
struct ia_topo {
	const struct ia_topo_bus *buses; size_t n_buses;
	const struct ia_topo_fn *fns; size_t n_fns;
	struct ia_topo_env env;
};

/** A validated, indexed copy of a struct ia_topo with quirk-derived data; opaque. */
struct ia_topo_model;

/**
 * ia_topo_model_new() - validate a topology, index it and apply the DMA-alias header quirks.
 * @in:  the caller's topology (not retained; buses and functions are copied).
 * @out: receives the model; release it with ia_topo_model_free(). Untouched on failure.
 * @d:   diagnostics (may be NULL); every problem found is recorded, naming the BDF or bus.
 *
 * Validation keeps going after the first problem so that all of them are reported.
 * Mirrors the state pci_scan_child_bus() + the header fixups of drivers/pci/quirks.c leave behind.
 *
 * Return: 0; -EINVAL for NULL @in/@out or NULL arrays with non-zero counts; -IA_E_TOOBIG for more
 * than IA_TOPO_MAX_FNS functions or buses; -IA_E_RANGE for an index (bus, parent, self, pf) out of
 * range or an enum field out of range; -IA_E_FORMAT for inconsistent data (BDF not matching its bus,
 * two functions with one BDF, two buses with one number, a root bus with a parent, a VF whose pf is
 * not a PF); -IA_E_LOOP for a bus parent chain that loops or nests deeper than IA_TOPO_MAX_DEPTH;
 * -ENOMEM. The first error found is returned.
 */
int ia_topo_model_new(const struct ia_topo *in, struct ia_topo_model **out, struct ia_diags *d);

/** ia_topo_model_free() - release a model (accepts NULL). */
void ia_topo_model_free(struct ia_topo_model *m);

/** ia_topo_n_fns() - number of functions in the model (same indices as the input fns[]). */
size_t ia_topo_n_fns(const struct ia_topo_model *m);

/**
 * ia_topo_fn_get() - the model's copy of function @fn, with bridge_xlate_root computed.
 * Return: a pointer valid until ia_topo_model_free(), or NULL when @fn is out of range.
 */
const struct ia_topo_fn *ia_topo_fn_get(const struct ia_topo_model *m, size_t fn);

/** ia_topo_bdf() - a function's address as pci_name() writes it, "DDDD:BB:DD.F" (ia_bdf_format()), in @buf. */
const char *ia_topo_bdf(const struct ia_topo_fn *f, char buf[IA_BDF_BUFSZ]);

/** What decided an ACS answer, for findings. */
enum ia_acs_basis {
	IA_ACS_BY_QUIRK,          /* a pci_dev_acs_enabled[] row decided (quirk_row) */
	IA_ACS_BY_OVERRIDE,       /* the out-of-tree pcie_acs_override emulation decided */
	IA_ACS_BY_NOT_PCIE,       /* conventional PCI: false */
	IA_ACS_BY_BRIDGE_TYPE,    /* PCIe-to-PCI, PCI-to-PCIe bridge or RC Event Collector: false */
	IA_ACS_BY_CAPABILITY,     /* pci_acs_flags_enabled() on the ACS capability (missing = flags not enabled) */
	IA_ACS_BY_NO_CAPABILITY,  /* a port (or multifunction device) without ACS capability: false */
	IA_ACS_BY_SINGLE_FUNCTION,/* a single-function Endpoint/USP/RCiEP or other type: true */
	IA_ACS_BY_UNREADABLE,     /* the answer depends on config space that could not be read */
};

/** Explanation of one pci_acs_enabled() answer. */
struct ia_acs_why {
	enum ia_acs_basis basis;
	bool has_quirk; size_t quirk_row;  /* row of ia_acs_quirk_table[] that decided (or might have, when UNKNOWN) */
	const char *quirk_fn;              /* that row's kernel function name (static), NULL without has_quirk */
	bool by_override;                  /* the pcie_acs_override emulation decided */
	uint16_t missing;                  /* requested flags found not enabled (BY_CAPABILITY, quirk-asserted sets) */
	const char *unknown_reason;        /* static text when the answer is IA_UNKNOWN, else NULL */
};

/**
 * ia_topo_acs_enabled() - pci_acs_enabled(@fn, @flags) of drivers/pci/pci.c (Linux 6.12).
 * @m:     the model.
 * @fn:    index of the function in fns[].
 * @flags: requested ACS bits (IA_ACS_*), e.g. IA_ACS_REQ.
 * @why:   optional; receives what decided (quirk row and name, override, port-type rule, missing bits).
 *
 * Quirks first (pci_dev_specific_acs_enabled(): the table in order, first row with an opinion wins,
 * -ENOTTY/-ENODEV = no opinion, the out-of-tree override row last when any pcie_acs_override token is
 * set), then conventional PCI = false, then the PCIe port-type table with pci_acs_flags_enabled()
 * (bits the Capability register lacks count as enabled, except EC).
 *
 * Return: IA_YES, IA_NO, or IA_UNKNOWN when the answer depends on unreadable config space or on an
 * unknown platform fact (IVRS, Intel PCH enable quirk, unconfirmed post-6.12 rows); also IA_UNKNOWN
 * for @fn out of range (why->basis = IA_ACS_BY_UNREADABLE).
 */
enum ia_tri ia_topo_acs_enabled(struct ia_topo_model *m, size_t fn, uint16_t flags,
				struct ia_acs_why *why);

/**
 * ia_topo_acs_path_enabled() - pci_acs_path_enabled(@start, NULL, @flags) of drivers/pci/pci.c.
 * @start:     index of the first device tested (normally a bridge, bus->self).
 * @has_fail:  optional; set when some device on the path is not (or maybe not) enabled.
 * @first_fail:optional; index of the first such device walking up (valid with *has_fail).
 *
 * Tests @start, then the bridge above it (bus->self), up to and including the device on the root bus.
 * SR-IOV virtual buses (self = -1) are stepped over to their parent (the kernel never reaches them).
 * Return: IA_NO when any device on the path is not enabled, else IA_UNKNOWN when any is unknown,
 * else IA_YES. IA_UNKNOWN for @start out of range.
 */
enum ia_tri ia_topo_acs_path_enabled(struct ia_topo_model *m, size_t start, uint16_t flags,
				     bool *has_fail, size_t *first_fail);

/** The DMA-alias facts of one function, from the quirk table plus caller extras. */
struct ia_topo_alias_info {
	uint32_t devfn_mask[8];    /* dma_alias_mask: 256 devfns on the same bus (quirks | extra_alias_devfn) */
	bool pcie_bridge_alias;    /* PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS (quirk_use_pcie_bridge_dma_alias) */
	bool bridge_xlate_root;    /* PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT (quirk_bridge_cavm_thrx2_pcie_root) */
	bool alias_unpredictable;  /* Switchtec NTB: proxy-ID aliases are read from BAR0 MMIO at boot */
	bool has_quirk; size_t quirk_row; /* first ia_dma_alias_quirk_table[] row that matched */
	bool has_extra;            /* the caller supplied extra_alias_devfn bits */
};

/**
 * ia_topo_dma_alias_info() - copy function @fn's alias facts into @out.
 * Return: 0, or -IA_E_RANGE for @fn out of range (@out untouched), -EINVAL for NULL pointers.
 */
int ia_topo_dma_alias_info(const struct ia_topo_model *m, size_t fn, struct ia_topo_alias_info *out);

/**
 * Callback of ia_topo_for_each_dma_alias(): @dev is the function reported (the device itself for its
 * own RID and its dma_alias_mask entries, else the bridge crossed), @rid = bus << 8 | devfn of the
 * alias in @domain. @uncertain is set when the step depends on an unknown fact (a bridge whose PCIe
 * capability was unreadable is treated as a conventional bridge). Non-zero stops the walk.
 */
typedef int (*ia_topo_alias_cb)(const struct ia_topo_model *m, size_t dev, uint32_t domain,
				uint16_t rid, bool uncertain, void *ctx);

/**
 * ia_topo_for_each_dma_alias() - pci_for_each_dma_alias() of drivers/pci/search.c (6.12).
 * Yields @fn's RID, each dma_alias_mask devfn, then walks to the root: virtual buses skipped, stop at
 * a BRIDGE_XLATE_ROOT bridge, PCIe Root/Upstream/Downstream ports preserve the RID, a PCIe-to-PCI
 * bridge yields (secondary bus, 00.0), a PCI-to-PCIe bridge yields its own RID, a conventional bridge
 * yields (secondary, 00.0) with PCIE_BRIDGE_ALIAS and its own RID otherwise. The walk starts at
 * pci_real_dma_dev(@fn): the Intel VMD endpoint when has_real_dma is set.
 * Return: the callback's non-zero value if it stopped the walk, else 0; -IA_E_RANGE for @fn out of
 * range; -EINVAL for a NULL @cb.
 */
int ia_topo_for_each_dma_alias(const struct ia_topo_model *m, size_t fn, ia_topo_alias_cb cb,
			       void *ctx);

/** One requester ID a function's DMA carries: bus << 8 | devfn in PCI domain @domain. */
struct ia_topo_rid {
	uint32_t domain;
	uint16_t rid;
};

/* Room for every requester ID one function can carry: its own, the 256 devfns of its
 * dma_alias_mask, one per bridge on its path (at most IA_TOPO_MAX_DEPTH). */
#define IA_TOPO_MAX_RIDS (1 + 256 + IA_TOPO_MAX_DEPTH + 1)

/**
 * ia_topo_dma_alias_rids() - the requester IDs ia_topo_for_each_dma_alias() yields for @fn, in
 * its order, each (domain, RID) once: what an IOMMU driver that maps a master by its IDs (the
 * SMMUv3 adds one StreamID per alias: iort_pci_iommu_init(), of_pci_iommu_init()) sees.
 * @out: room for @cap entries (IA_TOPO_MAX_RIDS holds any function's).
 * Return: the number written; -E2BIG when @fn carries more than @cap (the first @cap are
 * written); -IA_E_RANGE for @fn out of range; -EINVAL for NULL pointers.
 */
int ia_topo_dma_alias_rids(const struct ia_topo_model *m, size_t fn, struct ia_topo_rid *out, size_t cap);

/**
 * ia_topo_rid_key() - requester ID @r as seen by IOMMU unit @unit (below 65,535), as one 64-bit
 * key: (@unit + 1) << 48 | domain << 16 | RID (the whole 32-bit domain; never 0). Two functions
 * with a key in common share an SMMUv3 StreamID.
 */
static inline uint64_t ia_topo_rid_key(size_t unit, const struct ia_topo_rid *r)
{
	return ((uint64_t)unit + 1) << 48 | (uint64_t)r->domain << 16 | r->rid;
}

/** How a function came to be in its predicted group (the step of pci_device_group() that decided). */
enum ia_grp_rule {
	IA_GRP_NEW,            /* iommu_group_alloc(): it started the group */
	IA_GRP_ALIAS_BRIDGE,   /* step 1: a bridge it aliases to already had the group */
	IA_GRP_ACS_PATH,       /* step 2: the path above was not ACS-isolated; joined the bridge's group */
	IA_GRP_DMA_ALIAS,      /* step 3: get_pci_alias_group() (quirk or caller DMA alias) */
	IA_GRP_FUNCTION_ALIAS, /* step 4: get_pci_function_alias_group() (multifunction slot without ACS) */
};

/** Per-function result of the prediction. */
struct ia_topo_fn_group {
	bool has_group; size_t group;   /* predicted group index, in allocation order (iommu_group IDA) */
	size_t probe_rank;              /* position in the kernel's probe order */
	enum ia_grp_rule rule;          /* valid with has_group */
	bool has_via; size_t via;       /* the function whose existing group it took */
	bool uncertain;                 /* a decision on its way was IA_UNKNOWN (treated as not enabled) */
};

/** One predicted group. */
struct ia_topo_group {
	size_t *members; size_t n_members; /* indices in fns[], in probe order */
	char *basis;                       /* why the members are together ("isolated" when alone) */
	bool uncertain; char *uncertain_reason; /* reason is NULL unless uncertain */
};

/** The whole prediction; release with ia_topo_groups_free(). */
struct ia_topo_groups {
	struct ia_topo_fn_group *fn; size_t n_fns;  /* indexed like fns[] */
	struct ia_topo_group *groups; size_t n_groups;
	size_t *probe_order;                        /* n_fns function indices in probe order */
};

/**
 * ia_topo_predict_groups() - pci_device_group() of drivers/iommu/iommu.c (6.12) for every function.
 * @m:        the model.
 * @no_iommu: optional array of n_fns flags: true = no IOMMU covers this function (it gets no group
 *            and allocates no ID, like the AMD IOMMU's own function); NULL = all covered.
 * @out:      receives the prediction (free with ia_topo_groups_free()); untouched on failure.
 *
 * Functions are processed in the kernel's probe order: root buses by (domain, number); on each bus
 * every physical function in devfn order, then each child bus in the order of its bridge's devfn
 * (depth first, pci_scan_child_bus()/bus_for_each_dev()); SR-IOV VFs last, by PF then BDF. Steps 1-4
 * with the shared visited devfn set and group reuse are reproduced exactly; IA_UNKNOWN ACS answers are
 * treated as "not enabled" (the wider, fail-closed grouping) and mark the function and group uncertain.
 * Switchtec NTB functions (unpredictable aliases) also mark their group uncertain.
 * Cost: O(n log n) plus O(path depth) per function; alias scans touch only buses with aliases.
 *
 * Return: 0, -EINVAL for NULL @m/@out, -ENOMEM.
 */
int ia_topo_predict_groups(struct ia_topo_model *m, const bool *no_iommu,
			   struct ia_topo_groups **out);

/** ia_topo_groups_free() - release a prediction (accepts NULL). */
void ia_topo_groups_free(struct ia_topo_groups *g);

/** A port or function that makes kernel groups share one isolation domain. */
struct ia_topo_blame {
	size_t fn;             /* index in fns[] */
	enum ia_tri acs;       /* IA_NO, or IA_UNKNOWN when its ACS state is unreadable */
	char why[256];         /* e.g. "DSP 0000:03:01.0 lacks ACS P2P redirect (RR,CR not enabled)" */
};

/** One isolation domain: functions that may reach each other peer-to-peer without the IOMMU. */
struct ia_topo_domain {
	size_t *members; size_t n_members;  /* indices in fns[], ascending */
	size_t *groups; size_t n_groups;    /* kernel group indices inside (ascending) */
	struct ia_topo_blame *blame; size_t n_blame;
	bool uncertain;                     /* some blame is IA_UNKNOWN */
};

/** All domains; release with ia_topo_domains_free(). */
struct ia_topo_domains {
	struct ia_topo_domain *v; size_t n;
	size_t *domain_of; size_t n_fns;    /* domain index per function */
};

/**
 * ia_topo_isolation_domains() - the stricter "spec-correct" grouping (kernel-rules.md 1.5 item 8, 1.7).
 * @g: the kernel prediction from ia_topo_predict_groups() for the same model.
 *
 * Starts from the kernel groups and merges: (a) on a switch-internal bus (one holding Downstream
 * Ports), when any DSP is not ACS-isolated (SV|RR|CR|UF not effective, or unknown), every function on
 * that bus and everything below it, as in pci_bus_isolated() of the unmerged "Fix incorrect
 * iommu_groups with PCIe ACS" series; (b) in a multifunction slot where some non-VF function is not
 * ACS-isolated, all non-VF functions of the slot (asymmetric ACS: the non-isolated function can reach
 * its isolated siblings internally) and every function below those that are bridges (a request
 * reaching a sibling port from inside the slot is routed down its secondary side, whatever that
 * port's ACS, which only redirects requests its own ingress receives). The kernel's groups
 * (get_pci_function_alias_group()) merge only the slot functions that all lack ACS, so with mixed
 * ACS the endpoints below an isolated sibling port keep groups of their own. Each merge records the
 * functions to blame.
 *
 * Return: 0, -EINVAL for NULL pointers or a @g of another size, -ENOMEM.
 */
int ia_topo_isolation_domains(struct ia_topo_model *m, const struct ia_topo_groups *g,
			      struct ia_topo_domains **out);

/** ia_topo_domains_free() - release the domains (accepts NULL). */
void ia_topo_domains_free(struct ia_topo_domains *d);

/** Per-member VFIO viability verdict. */
struct ia_viab_member {
	size_t fn;          /* index in fns[] */
	enum ia_tri ok;     /* IA_YES: does not block; IA_NO: blocks; IA_UNKNOWN: driver not known */
	const char *reason; /* static text naming the rule applied */
};

/**
 * ia_topo_group_viable() - VFIO group viability (kernel-rules.md 4.1 and 4.4).
 * @members: @n function indices of one group.  @drivers: @n bound driver names, NULL = unbound.
 * @kernel: the running kernel (NULL = unknown), read through rows dma_ownership and
 *	vfio_bridge_allowed of the behaviour table.
 * @verdicts: caller array of @n entries, filled per member.  @viable: receives the group verdict.
 *
 * With DMA ownership (v5.19+, vfio_group_ioctl_get_status() / iommu_group_dma_owner_claimed()):
 * every member unbound or on a driver that sets driver_managed_dma. Before (vfio_dev_viable()):
 * unbound, "pci-stub", any function whose header type is not 0 whatever its driver (from v4.13,
 * vfio_dev_whitelisted()), or a VFIO bus driver. A driver listed as not in mainline gives
 * IA_UNKNOWN; so does a member the two rules judge differently on a kernel the table cannot place.
 * Return: 0; -EINVAL for NULL arrays with @n > 0 or NULL @viable; -IA_E_RANGE for a member index
 * out of range.
 */
int ia_topo_group_viable(const struct ia_topo_model *m, const size_t *members,
			 const char *const *drivers, size_t n, const struct ia_kernel_id *kernel,
			 struct ia_viab_member *verdicts, enum ia_tri *viable);

#endif
