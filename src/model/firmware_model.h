/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Firmware facts (IOMMU units, 1:1 regions, MSI controllers) loaded from the database for rules and reports. */
#ifndef IA_FIRMWARE_H
#define IA_FIRMWARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/tri.h"

struct sqlite3;
struct ia_cmdline_param;

/** One ACPI table that was read (table acpi_table). */
struct ia_fw_table {
	char signature[5];       /* "DMAR", "IVRS", "IORT", "APIC" */
	char *source;            /* "sys/firmware/acpi/tables/DMAR" or "acpidump:<file>" */
	bool has_header;         /* the 36-byte header was usable */
	uint8_t revision;        /* header Revision (valid when has_header) */
	char *oem_id;            /* header OEM ID, or NULL */
	enum ia_tri checksum_ok; /* unknown when the header or some bytes are missing */
	int decode_status;       /* 0, or the decoder's negative error (the walk stopped early) */
};

/** A firmware-described IOMMU unit (table fw_unit) with the PCI functions it translates. */
struct ia_fw_unit {
	char *source;            /* "DMAR", "IVRS", "IORT", "DT" */
	char *kind;              /* "vt-d", "amd-vi", "smmu-v3", "smmu", "other" */
	char *name;              /* "DRHD0", "IVHD0", "SMMUv3@0x...", or a DT node path */
	bool has_segment; uint16_t segment;  /* PCI segment (DRHD, IVHD) */
	bool has_base; uint64_t base;        /* register base address */
	enum ia_tri include_pci_all;         /* DRHD INCLUDE_PCI_ALL; unknown for other kinds */
	char *compatible;                    /* DT compatible strings, or NULL */
	char **devices; size_t n_devices;    /* BDFs ("DDDD:BB:DD.F"), sorted */
	bool has_flags; uint32_t flags;      /* DRHD/IVHD/IORT SMMU node flags as read (absent for DT) */
	enum ia_tri dma_coherent;            /* DT dma-coherent on the IOMMU node; unknown for tables */
};

/** One (function, unit) pair of table fw_unit_device: which firmware unit translates a function. */
struct ia_fw_unit_dev {
	const char *bdf;         /* the function (points into the unit's devices[]) */
	size_t unit;             /* index into struct ia_firmware.units */
	bool has_stream_id;      /* stream_id below was recorded (IORT, DT, IVRS; never DMAR) */
	uint32_t stream_id;      /* the ID the unit sees: an SMMU StreamID, or the IVRS DeviceID the
				    function's requests carry (its IVHD alias when an alias entry covers
				    it, else its own bus << 8 | devfn) */
};

/** A PCI function's MSI route (table pci_msi_route): the controller its MSIs reach per firmware. */
struct ia_fw_msi_route {
	char *bdf;               /* the function */
	size_t controller;       /* index into struct ia_firmware.msi */
};

/** A DMAR ATSR or SATC structure (tables dmar_structure, dmar_scope): where VT-d allows ATS. */
struct ia_fw_dmar_ats {
	bool satc;               /* SATC; else ATSR */
	bool has_segment; int64_t segment;   /* PCI segment */
	bool has_flags; uint8_t flags;       /* ATSR ALL_PORTS (bit 0) / SATC ATC_REQUIRED */
	char **bdfs; size_t n_bdfs;          /* device scope entries resolved to a collected function,
						in table order */
};

/** A firmware-requested 1:1 region (table fw_region) with the devices it names. */
struct ia_fw_region {
	char *source;            /* "DMAR", "IVRS", "IORT" */
	char *kind;              /* "RMRR", "IVMD", "RMR" */
	bool has_segment; uint16_t segment;
	uint64_t base;           /* first byte */
	bool has_end; uint64_t end;          /* last byte, inclusive (absent for a zero or overflowing length) */
	bool kernel_applies;     /* Linux honours it (sane RMRR, IVMD unity/exclusion, RMR in IORT rev >= 5) */
	enum ia_tri relaxable;   /* RMR remapping permitted; unknown when the table does not say */
	char **targets;          /* in table order: a BDF when resolved, else the raw scope path,
				    DeviceID range or StreamID range */
	bool *resolved;          /* per target: true when it is a BDF of a collected PCI function */
	size_t n_targets;
};

/** An MSI controller (table msi_controller). */
struct ia_fw_msi {
	char *kind;              /* "gic-v3-its", "gic-v2m", "mbi", "intel-ir", "amd-ir", "other" */
	char *source;            /* "MADT", "IORT", "DT", "DMAR", "IVRS" */
	char *name;              /* "ITS 0", "MSI frame 0", DT path, "DMAR INTR_REMAP", "IVRS" */
	char *compatible;        /* DT compatible strings, or NULL */
	bool has_base; uint64_t base;        /* MMIO base (MADT) */
	enum ia_tri isolating;   /* IRQ_DOMAIN_FLAG_ISOLATED_MSI would be set; unknown when not judgeable
				    (after ia_firmware_apply_cmdline(): no when the command line keeps
				    the kernel from setting the controller up) */
	size_t n_devices;        /* PCI functions whose MSIs reach it (table pci_msi_route) */
	char *turned_off_by;     /* the command-line parameter, as written ("intremap=off", "nointremap",
				    "amd_iommu=off"), that keeps the kernel from setting this x86
				    interrupt remapping up; NULL when none does (ia_firmware_apply_cmdline()) */
	char *unremapped_chip;   /* an x86 remapping controller the running kernel does not use: a PCI
				    MSI chip of proc/interrupts without remapping ("PCI-MSIX-0000:00:03.0")
				    while none has it (ia_firmware_apply_interrupts()); NULL otherwise */
};

/** Everything the firmware says, as loaded by ia_firmware_load(). Release with ia_firmware_free(). */
struct ia_firmware {
	/* Which firmware descriptions describe an IOMMU (platform.iommu.firmware). */
	bool describes_dmar;     /* a DMAR with a DRHD */
	bool describes_ivrs;     /* an IVRS with an IVHD */
	bool describes_iort;     /* an IORT with an SMMU or SMMUv3 node */
	bool describes_dt;       /* a DT with an IOMMU node (#iommu-cells), iommu-map or iommus */
	struct ia_fw_table *tables; size_t n_tables;
	bool has_dt;             /* a device tree was read */
	int dt_status;           /* its decode status (0 or negative) when has_dt */
	bool has_dmar_info;      /* DMAR header flags below are valid */
	bool intr_remap, x2apic_opt_out, dma_ctrl_platform_opt_in;
	unsigned dmar_address_bits;          /* Host Address Width + 1 */
	bool has_ivrs_info;      /* IVinfo below is valid */
	uint32_t ivinfo;
	bool ivinfo_efr_sup, ivinfo_dma_remap;
	/* why the kernel sets no VT-d DMA remapping up from this DMAR whatever the command line says,
	 * or NULL (ia_firmware_load(), issue 13 item 12): a DRHD with register base 0
	 * (dmar_validate_one_drhd() fails, so detect_intel_iommu() never installs intel_iommu_init():
	 * one invalid DRHD refuses the whole table), or a Host Address Width below 11
	 * (parse_dmar_table() rejects the table) */
	char *dmar_refused;
	struct ia_fw_unit *units; size_t n_units;
	struct ia_fw_region *regions; size_t n_regions;
	struct ia_fw_msi *msi; size_t n_msi;
	/* every (function, unit) pair, sorted by BDF then unit (fw_unit_device's key order); pairs
	 * of units that were not loaded are left out */
	struct ia_fw_unit_dev *unit_devs; size_t n_unit_devs;
	/* MSI routes sorted by BDF; routes to a controller that was not loaded are left out */
	struct ia_fw_msi_route *msi_routes; size_t n_msi_routes;
	/* DMAR ATSR and SATC structures in table order (empty without a decoded DMAR) */
	struct ia_fw_dmar_ats *dmar_ats; size_t n_dmar_ats;
};

/**
 * ia_firmware_load() - read the firmware facts of @db (tables acpi_table, dmar_info, ivrs_info,
 * fw_unit, fw_unit_device, fw_region, fw_region_target, msi_controller, pci_msi_route,
 * dt_blob, dt_host_bridge, dmar_structure, dmar_scope; written by collectors/firmware.c and collectors/dt.c).
 * @db: an open fact database of the current schema.
 * @out: set to a heap-allocated struct (empty arrays when the host had no firmware tables);
 *       untouched on failure.
 * Also judges the DMAR as the kernel would (dmar_refused) and, when a DRHD has register base 0, makes
 * an isolating "intel-ir" controller unknown (whether dmar_table_init() then fails for interrupt
 * remapping too depends on the memory map at address 0); with a Host Address Width below 11 it
 * does NOT isolate (dmar_table_init() fails, so intel_prepare_irq_remapping() sets nothing up).
 * Return: 0; -IA_E_SQLITE when a query fails (a database of another schema); -ENOMEM.
 */
int ia_firmware_load(struct sqlite3 *db, struct ia_firmware **out);

/**
 * ia_firmware_apply_cmdline() - what the kernel command line does to the firmware's x86 interrupt
 * remapping (msi[] of kind "intel-ir" and "amd-ir"): the DMAR INTR_REMAP flag or an IVRS says the
 * hardware can isolate MSIs, but the kernel sets no remapping up when the command line turns it
 * off, and its MSIs are then not isolated.
 * @fw: firmware facts from ia_firmware_load(); NULL does nothing.
 * @cmdline_read: proc/cmdline was read (struct ia_audit.cmdline is not NULL).
 * @params, @n: its parameters in command-line order (struct ia_kernel_facts.params).
 *
 * Follows drivers/iommu/irq_remapping.c (Linux 6.12): the early parameters run in command-line
 * order (parse_early_param()); "nointremap" sets disable_irq_remap (setup_nointremap()); each
 * comma-separated option of "intremap=" that begins with "on" clears it and one that begins with
 * "off" sets it (setup_irqremap() compares with strncmp(), so "offline" is "off"); with it set,
 * irq_remapping_prepare() sets up neither Intel nor AMD remapping. An AMD controller is also off
 * with an "amd_iommu=" option beginning with "off" (parse_amd_iommu_options(): amd_iommu_disabled
 * stops state_next() at IOMMU_CMDLINE_DISABLED, so amd_iommu_prepare() fails). Not off:
 * "intel_iommu=...,intremap=off" (intel_iommu_setup() ignores an option it does not know),
 * "intel_iommu=off" (VT-d interrupt remapping does not need DMA remapping), "amd_iommu_intr="
 * (it picks the remapping mode only). A controller turned off becomes isolating = IA_NO with
 * turned_off_by set; when the command line was not read, an isolating controller of those kinds
 * becomes IA_UNKNOWN (it may have been turned off: fail closed).
 * Return: 0; -ENOMEM (controllers before the one that failed may have been changed).
 */
int ia_firmware_apply_cmdline(struct ia_firmware *fw, bool cmdline_read, const struct ia_cmdline_param *params,
			      size_t n);

/**
 * ia_firmware_apply_interrupts() - the x86 interrupt remapping controllers (intel-ir, amd-ir) as
 * the running kernel uses them: when proc/interrupts lists PCI MSI chips (@pci_msi_chips of them,
 * @first_plain the name of one) and none is remapped (@remapped == 0: no "IR-" chip), the kernel
 * runs without interrupt remapping whatever the firmware describes (a DMAR or IVRS it refused at
 * boot, AMD's "No southbridge IOAPIC found" on Linux 7.3 with QEMU's IVRS): a controller judged
 * isolating becomes IA_NO with unremapped_chip set. No MSI chip says nothing: unchanged.
 * Return: 0; -ENOMEM.
 */
int ia_firmware_apply_interrupts(struct ia_firmware *fw, size_t pci_msi_chips, size_t remapped,
				 const char *first_plain);

/**
 * ia_fw_region_relaxable_for() - whether the kernel makes 1:1 region @r IOMMU_RESV_DIRECT_RELAXABLE
 * for a PCI function of class code @class_code (24-bit; @has_class false when unreadable):
 * an RMRR for USB (0x0c03xx) or graphics (0x03xxxx) functions (device_rmrr_is_relaxable(),
 * drivers/iommu/intel/iommu.c); an IORT RMR as its table says (r->relaxable); never an IVMD
 * (amd_iommu_get_resv_regions() makes unity ranges IOMMU_RESV_DIRECT in 6.12).
 * Return: IA_YES, IA_NO, or IA_UNKNOWN (an RMRR for a function of unreadable class).
 */
enum ia_tri ia_fw_region_relaxable_for(const struct ia_fw_region *r, bool has_class, uint32_t class_code);

/**
 * ia_fw_unit_dev_first() - the first (function, unit) pair of PCI function @bdf in
 * @fw->unit_devs (sorted by BDF then unit: the others follow it while their bdf is @bdf); binary
 * search, for rules that look each function up.
 * Return: the pair (owned by @fw), or NULL when @fw is NULL or pairs @bdf with no unit.
 */
const struct ia_fw_unit_dev *ia_fw_unit_dev_first(const struct ia_firmware *fw, const char *bdf);

/**
 * ia_fw_msi_of() - the MSI controller the firmware routes PCI function @bdf to (its msi_routes
 * row: IORT ITS group or device-tree msi-map/msi-parent; the last row when there are several).
 * Return: the controller (owned by @fw), or NULL when @fw is NULL or names no route for @bdf.
 */
const struct ia_fw_msi *ia_fw_msi_of(const struct ia_firmware *fw, const char *bdf);

/**
 * ia_fw_unit_coherent() - whether the firmware calls SMMU unit @u cache coherent, as
 * arm_smmu_device_hw_probe() takes it over IDR0.COHACC: an IORT node's COHACC override (flags bit
 * 0), a device-tree node's dma-coherent (of_dma_is_coherent()).
 * Return: IA_YES, IA_NO; IA_UNKNOWN for other descriptions or an IORT node whose flags were not read.
 */
enum ia_tri ia_fw_unit_coherent(const struct ia_fw_unit *u);

/** ia_firmware_free() - release everything ia_firmware_load() allocated (accepts NULL). */
void ia_firmware_free(struct ia_firmware *fw);

#endif
