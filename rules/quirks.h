/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's PCI quirk tables as C data: ACS quirks, DMA-alias quirks, driver_managed_dma drivers. */
#ifndef IA_QUIRKS_H
#define IA_QUIRKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topology.h"

/*
 * Every table below holds one entry per row of the matching CSV in rules/data/, in the same order,
 * each carrying that row's source column; tests/unit/test_topology.c checks that the two agree.
 */

/* Possible outcomes of one ACS quirk function, as a bit set (more than one bit = unknown). */
#define IA_QO_NONE     1u /* no opinion: -ENOTTY / -ENODEV, the scan continues */
#define IA_QO_ENABLED  2u /* returns > 0 */
#define IA_QO_DISABLED 4u /* returns 0 */

/** What an ACS quirk function may look at. */
struct ia_acs_quirk_ctx {
	const struct ia_topo_fn *fn;      /* the device asked about */
	bool on_root_bus;                 /* pci_is_root_bus(dev->bus) */
	const struct ia_topo_env *env;    /* IVRS, Intel PCH enable quirk, pcie_acs_override tokens */
	const char *unknown_reason;       /* out: set when more than one outcome is possible */
	uint16_t missing;                 /* out: requested flags the quirk does not assert */
};

/**
 * An ACS quirk function: the set of possible outcomes (IA_QO_*) of the kernel function for @c->fn
 * asked for @flags. One bit when every fact it reads is known.
 */
typedef unsigned (*ia_acs_quirk_eval_fn)(struct ia_acs_quirk_ctx *c, uint16_t flags);

/** Where an ACS row comes from. */
enum ia_quirk_status {
	IA_QS_TABLE,        /* an entry of pci_dev_acs_enabled[] in 6.12.117 */
	IA_QS_OPS,          /* an entry of pci_dev_acs_ops[] (enable side; never answers pci_acs_enabled) */
	IA_QS_UNCONFIRMED,  /* post-6.12 (v7.0) pci_dev_acs_enabled[] entry whose function is unknown */
	IA_QS_CAP_FIXUP,    /* post-6.12 (v7.0) pci_disable_broken_acs_cap(): SV removed from the capability */
	IA_QS_OUT_OF_TREE,  /* the pcie_acs_override patch's last entry */
};

/** One ACS quirk row (drivers/pci/quirks.c pci_dev_acs_enabled[] and neighbours). */
struct ia_acs_quirk {
	bool any_vendor; uint16_t vendor;   /* PCI_ANY_ID when any_vendor */
	bool any_device; uint16_t device;   /* PCI_ANY_ID when any_device */
	const char *fn_name;                /* kernel function, as the CSV quirk column */
	ia_acs_quirk_eval_fn eval;          /* NULL for rows that never answer pci_acs_enabled() */
	enum ia_quirk_status status;
	const char *vendor_name;            /* short vendor name for messages */
	const char *label;                  /* the kernel comment naming the device family, may be "" */
	const char *source;                 /* the CSV source column */
};

extern const struct ia_acs_quirk ia_acs_quirk_table[];
extern const size_t ia_acs_quirk_count;

/** ia_acs_quirk_matches() - vendor/device match of pci_dev_specific_acs_enabled(). */
bool ia_acs_quirk_matches(const struct ia_acs_quirk *q, uint16_t vendor, uint16_t device);

/**
 * ia_quirk_intel_spt_pch() - whether Intel (0x8086) device @device is a Sunrise/Union Point or
 * 7th/8th-generation mobile PCH root port, whose ACS registers are dwords with the control at cap + 8
 * (drivers/pci/quirks.c pci_quirk_intel_spt_pch_acs_match()).
 */
bool ia_quirk_intel_spt_pch(uint16_t device);

/** Which DMA-alias fixup a row runs. */
enum ia_alias_kind {
	IA_ALK_FUNC0,       /* quirk_dma_func0_alias: alias slot.0 unless fn 0 */
	IA_ALK_FUNC1,       /* quirk_dma_func1_alias: alias slot.1 unless fn 1 */
	IA_ALK_FIXED,       /* quirk_fixed_dma_alias: 01.0 when subsystem is 9005:02bb or 9005:02bc */
	IA_ALK_PCIE_BRIDGE, /* quirk_use_pcie_bridge_dma_alias: PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS */
	IA_ALK_MIC_X200,    /* quirk_mic_x200_dma_alias: 10.0, 11.0, 12.3 */
	IA_ALK_PEX_VCA,     /* quirk_pex_vca_alias: functions 0-4 of slots 0x00-0x1f */
	IA_ALK_XLATE_ROOT,  /* quirk_bridge_cavm_thrx2_pcie_root: PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT */
	IA_ALK_SWITCHTEC,   /* quirk_switchtec_ntb_dma_alias: aliases from BAR0 MMIO, unpredictable */
	IA_ALK_PLX_NTB,     /* quirk_plx_ntb_dma_alias: all 256 devfns */
	IA_ALK_IVRS,        /* not a quirk: AMD setup_aliases() (caller supplies extra_alias_devfn) */
	IA_ALK_VMD,         /* not a quirk: Intel VMD pci_real_dma_dev() (not modelled) */
};

/** One DMA-alias row (drivers/pci/quirks.c DECLARE_PCI_FIXUP_HEADER / _CLASS_FINAL). */
struct ia_dma_alias_quirk {
	bool any_vendor; uint16_t vendor;
	bool any_device; uint16_t device;
	uint16_t class_hi;      /* class_code >> 8 the fixup is declared for, 0 = any class */
	const char *fn_name;    /* kernel function, as the CSV quirk column */
	enum ia_alias_kind kind;
	bool is_quirk;          /* false for the two non-quirk rows (never matched by the model) */
	const char *vendor_name;
	const char *label;
	const char *source;     /* the CSV source column */
};

extern const struct ia_dma_alias_quirk ia_dma_alias_quirk_table[];
extern const size_t ia_dma_alias_quirk_count;

/** ia_dma_alias_quirk_matches() - does the fixup of row @q run for @fn (ID and class match)? */
bool ia_dma_alias_quirk_matches(const struct ia_dma_alias_quirk *q, const struct ia_topo_fn *fn);

/** A driver that may set driver_managed_dma (struct pci_driver / platform_driver / ...). */
enum ia_dmd_mainline { IA_DMD_MAINLINE, IA_DMD_POST_612, IA_DMD_NOT_MAINLINE };

/** One row of driver_managed_dma.csv. */
struct ia_dmd_driver {
	const char *name;             /* /sys/bus/<bus>/drivers/<name> */
	const char *bus;
	const char *file;             /* the CSV file column: where the flag is set (the row's source) */
	const char *first_mainline;   /* the CSV first_mainline_with_flag column, verbatim */
	enum ia_dmd_mainline mainline;
	bool vfio_bus_driver;         /* a VFIO bus driver (allowed by vfio_dev_viable() before 5.19) */
};

extern const struct ia_dmd_driver ia_dmd_table[];
extern const size_t ia_dmd_count;

/**
 * ia_dmd_lookup() - the driver_managed_dma row for driver @name (exact, case-sensitive).
 * Return: the row, or NULL when @name is NULL or not listed (= the driver does not set the flag).
 */
const struct ia_dmd_driver *ia_dmd_lookup(const char *name);

#endif
