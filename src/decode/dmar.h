/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decode the ACPI DMAR table (Intel VT-d) into remapping structures and device scopes, and resolve a scope's path to a BDF. */
#ifndef IA_DECODE_DMAR_H
#define IA_DECODE_DMAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/acpi.h"
#include "core/diag.h"

/* DMAR header (offset 37) flags; VT-d spec §8.1, ACPICA actbl1.h ACPI_DMAR_*. */
#define IA_DMAR_FLAG_INTR_REMAP               0x01u
#define IA_DMAR_FLAG_X2APIC_OPT_OUT           0x02u
#define IA_DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN 0x04u /* kernel DMAR_PLATFORM_OPT_IN; ACPICA ACPI_DMAR_X2APIC_MODE */

/* Per-structure flag bits (VT-d §8.3, §8.5, §8.8). */
#define IA_DMAR_DRHD_INCLUDE_PCI_ALL 0x01u
#define IA_DMAR_ATSR_ALL_PORTS       0x01u
#define IA_DMAR_SATC_ATC_REQUIRED    0x01u

/* Byte offset of the first remapping structure (36-byte ACPI header + HAW, flags, 10 reserved). */
#define IA_DMAR_STRUCT_START 48u

/*
 * Memory bounds (issue 17, item 8): a 16 MiB table (IA_ACPI_MAX_TABLE) could hold 524,000 RMRRs
 * or 4 million 4-byte structures. Real tables hold tens. Past these limits the walk stops with
 * -IA_E_TOOBIG (walk_complete false), so what the rest describes is reported as unread. At the
 * limits the decoded table takes about 8 MiB (IA_DMAR_MAX_SCOPES * sizeof(struct ia_dmar_scope)
 * plus the structures).
 */
#define IA_DMAR_MAX_STRUCTS 16384u  /* remapping structures, decoded or skipped */
#define IA_DMAR_MAX_SCOPES  32768u  /* device scopes over the whole table */

/* Most (Device, Function) path elements one device scope can hold: (255 - 6) / 2. */
#define IA_DMAR_PATH_MAX 124u

/** Remapping structure types (VT-d §8.2; ACPICA enum acpi_dmar_type). */
enum ia_dmar_type {
	IA_DMAR_DRHD = 0, /* DMA Remapping Hardware Unit Definition */
	IA_DMAR_RMRR = 1, /* Reserved Memory Region Reporting */
	IA_DMAR_ATSR = 2, /* Root Port ATS Capability Reporting */
	IA_DMAR_RHSA = 3, /* Remapping Hardware Static Affinity */
	IA_DMAR_ANDD = 4, /* ACPI Name-space Device Declaration */
	IA_DMAR_SATC = 5, /* SoC Integrated Address Translation Cache */
	IA_DMAR_SIDP = 6, /* SoC Integrated Device Property (VT-d 4.1) */
};

/** Device scope entry types (VT-d §8.3.1; ACPICA enum acpi_dmar_scope_type). */
enum ia_dmar_scope_type {
	IA_DMAR_SCOPE_ENDPOINT = 1,  /* PCI endpoint device */
	IA_DMAR_SCOPE_BRIDGE = 2,    /* PCI sub-hierarchy: the bridge and everything below it */
	IA_DMAR_SCOPE_IOAPIC = 3,    /* I/O APIC; enumeration ID = I/O APIC ID */
	IA_DMAR_SCOPE_HPET = 4,      /* MSI-capable HPET; enumeration ID = HPET number */
	IA_DMAR_SCOPE_NAMESPACE = 5, /* ACPI namespace device; enumeration ID = ANDD device number */
};

/** One element of a device scope path: a device and function on the current bus. */
struct ia_dmar_path {
	uint8_t device;   /* 0..31 in a well-formed table (not enforced) */
	uint8_t function; /* 0..7 in a well-formed table (not enforced) */
};

/** One device scope entry (ACPICA struct acpi_dmar_device_scope + struct acpi_dmar_pci_path[]). */
struct ia_dmar_scope {
	uint32_t offset;         /* byte offset of this entry from the start of the table */
	uint8_t type;            /* enum ia_dmar_scope_type (other values kept as read) */
	uint8_t length;          /* entry length, bytes, as read (6 + 2 * n_path, +1 if odd) */
	uint8_t flags;           /* byte 2: Flags in VT-d 4.x / ACPICA (SIDP uses it); reserved before */
	uint8_t reserved;        /* byte 3 */
	uint8_t enumeration_id;  /* IOAPIC ID, HPET number or ANDD device number */
	uint8_t start_bus;       /* bus of the first path element */
	uint8_t n_path;          /* path elements in @path, 0..IA_DMAR_PATH_MAX */
	struct ia_dmar_path path[IA_DMAR_PATH_MAX]; /* walked from @start_bus through bridges */
};

/** DRHD fields (type 0; VT-d §8.3). */
struct ia_dmar_drhd {
	uint8_t flags;           /* bit 0 IA_DMAR_DRHD_INCLUDE_PCI_ALL */
	uint8_t size;            /* register set is 2^size 4 KiB pages (kernel: 1 << (size + 12) bytes) */
	uint64_t register_base;  /* physical address of the remapping unit's registers */
};

/** RMRR fields (type 1; VT-d §8.4). */
struct ia_dmar_rmrr {
	uint64_t base;           /* first byte of the region (should be 4 KiB aligned) */
	uint64_t limit;          /* last byte of the region, inclusive */
	bool range_ok;           /* base and limit + 1 4 KiB aligned and limit > base (kernel rmrr_sanity_check) */
};

/** ATSR fields (type 2; VT-d §8.5). */
struct ia_dmar_atsr {
	uint8_t flags;           /* bit 0 IA_DMAR_ATSR_ALL_PORTS */
};

/** RHSA fields (type 3; VT-d §8.6). */
struct ia_dmar_rhsa {
	uint64_t register_base;  /* DRHD register base this affinity applies to */
	uint32_t proximity_domain;
};

/** ANDD fields (type 4; VT-d §8.7). */
struct ia_dmar_andd {
	uint8_t device_number;   /* matches the enumeration ID of type-5 device scopes */
	char *object_name;       /* heap, NUL-terminated ACPI path, non-printable bytes as '?' */
};

/** SATC fields (type 5; VT-d §8.8). */
struct ia_dmar_satc {
	uint8_t flags;           /* bit 0 IA_DMAR_SATC_ATC_REQUIRED */
};

/** One decoded remapping structure, in table order. */
struct ia_dmar_struct {
	uint32_t offset;         /* byte offset of the structure from the start of the table */
	uint16_t type;           /* enum ia_dmar_type: selects the member of @u */
	uint16_t length;         /* structure length, bytes, as read */
	bool has_segment;        /* DRHD, RMRR, ATSR, SATC and SIDP carry a PCI segment */
	uint16_t segment;        /* PCI segment (valid when @has_segment) */
	union {
		struct ia_dmar_drhd drhd;
		struct ia_dmar_rmrr rmrr;
		struct ia_dmar_atsr atsr;
		struct ia_dmar_rhsa rhsa;
		struct ia_dmar_andd andd;
		struct ia_dmar_satc satc;
	} u;                     /* SIDP has no fields beyond the segment */
	size_t n_scopes;
	struct ia_dmar_scope *scopes; /* heap, @n_scopes entries (DRHD, RMRR, ATSR, SATC, SIDP) */
};

/** A structure that was skipped by its length instead of decoded. */
struct ia_dmar_skipped {
	uint32_t offset;         /* byte offset from the start of the table */
	uint16_t type;
	uint16_t length;
	int reason;              /* -IA_E_UNSUPPORTED: unknown type; -IA_E_BADLEN: shorter than its fixed part */
};

/** A decoded DMAR table. Zero-initialise or let ia_dmar_decode() do it; release with ia_dmar_free(). */
struct ia_dmar {
	struct ia_acpi_hdr hdr;
	uint8_t haw;             /* Host Address Width field as read */
	unsigned address_bits;   /* haw + 1: DMA physical address width in bits */
	uint8_t flags;           /* IA_DMAR_FLAG_* as read */
	bool intr_remap;         /* flags bit 0 */
	bool x2apic_opt_out;     /* flags bit 1 */
	bool dma_ctrl_platform_opt_in; /* flags bit 2 */
	size_t n_structs;
	struct ia_dmar_struct *structs; /* heap, table order */
	size_t n_skipped;
	struct ia_dmar_skipped *skipped; /* heap, table order */
	bool walk_complete;      /* the structure walk reached the end of the table */
};

/**
 * ia_dmar_decode() - decode an ACPI DMAR table.
 * @buf, @len: the table bytes (for example /sys/firmware/acpi/tables/DMAR), @len in bytes.
 * @out: filled on return, also on failure (all-zero when the header itself is unusable).
 *       Any previous contents are overwritten without being freed.
 * @diags: receives one diagnostic per problem, naming "DMAR" and the byte offset (may be NULL).
 *
 * Follows: Intel VT-d spec rev 4.1 ch. 8 (DMAR, DRHD, RMRR, ATSR, RHSA, ANDD, SATC, SIDP,
 * device scope), ACPICA actbl1.h (struct acpi_table_dmar, acpi_dmar_*), and the kernel's
 * walk in drivers/iommu/intel/dmar.c dmar_walk_remapping_entries(), rmrr_sanity_check(),
 * dmar_validate_one_drhd() and parse_dmar_table().
 *
 * Structures are walked from offset 48 by their Length field. A structure whose length is
 * below 4 (0 included) or runs past the table stops the walk (everything before it is kept). A structure of a
 * known type that is shorter than its fixed part, or of an unknown type (7 and above), is
 * recorded in @out->skipped and skipped by its length. Device scopes are walked inside their
 * structure: a scope shorter than 6 bytes or running past its structure ends that structure's
 * scope list (earlier scopes are kept, the structure walk continues); a scope with an odd
 * length is kept with (length - 6) / 2 path elements, as the kernel reads it.
 *
 * Warnings, reported in @diags but not returned: -IA_E_CHECKSUM (bad checksum),
 * -IA_E_UNSUPPORTED (unknown structure type or scope type), -IA_E_RANGE (RMRR not 4 KiB
 * aligned or limit <= base; DRHD register base 0; Host Address Width below 11: the kernel
 * refuses the last two in dmar_validate_one_drhd() and parse_dmar_table()).
 *
 * Return: 0 when every byte of the table was decoded (warnings aside); otherwise the first
 * error met, with @out still holding everything decoded:
 * -EINVAL when @buf or @out is NULL;
 * -IA_E_TRUNCATED, -IA_E_SIGNATURE, -IA_E_BADLEN, -IA_E_TOOBIG from ia_acpi_hdr_decode()
 * (nothing decoded);
 * -IA_E_TRUNCATED when the table is shorter than the 48-byte DMAR header, when the header
 * length exceeds @len, when a structure or its 4-byte type/length header runs past the end
 * of the table, or when a device scope runs past the end of its structure;
 * -IA_E_BADLEN when a structure length is below 4 (0 included) or shorter than its type's
 * fixed part, or a device scope length is below 6 or odd;
 * -IA_E_FORMAT when an ANDD object name has no terminating NUL (the kernel's
 * dmar_parse_one_andd() rejects the table; the name is kept as read);
 * -IA_E_TOOBIG past IA_DMAR_MAX_STRUCTS structures or IA_DMAR_MAX_SCOPES device scopes (the
 * walk stops there: the kernel has no such limit, but no real table comes near it);
 * -ENOMEM when memory runs out (@out holds what was decoded before).
 */
int ia_dmar_decode(const uint8_t *buf, size_t len, struct ia_dmar *out, struct ia_diags *diags);

/** ia_dmar_free() - release everything ia_dmar_decode() allocated and zero @d (accepts NULL). */
void ia_dmar_free(struct ia_dmar *d);

/** ia_dmar_type_name() - "DRHD", "RMRR", "ATSR", "RHSA", "ANDD", "SATC", "SIDP" or "unknown". */
const char *ia_dmar_type_name(unsigned type);

/**
 * ia_dmar_secondary_bus_fn - look up a bridge's secondary bus number.
 * @ctx: the caller's context.
 * @seg, @bus, @dev, @fn: the bridge's PCI segment and BDF.
 *
 * Return: the bridge's secondary bus number (0..255), or a negative error (for example
 * -ENOENT) when no function exists at that BDF or it is not a bridge.
 */
typedef int (*ia_dmar_secondary_bus_fn)(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
					 uint8_t fn);

/** A resolved PCI function: segment and BDF. */
struct ia_dmar_bdf {
	uint16_t segment;
	uint8_t bus;
	uint8_t device;
	uint8_t function;
};

/**
 * ia_dmar_scope_resolve() - follow a device scope path to the BDF it names.
 * @sc: a decoded device scope (any type; the path arithmetic is the same).
 * @segment: the PCI segment of the structure that holds @sc.
 * @secondary_bus: the bridge lookup (see ia_dmar_secondary_bus_fn); called once per path
 *                 element except the last, never when the path has one element.
 * @ctx: passed to @secondary_bus.
 * @bdf: on success, the segment and BDF of the function named by the last path element;
 *       untouched on failure.
 * @bad_element: on failure, when not NULL, the index (0-based) into @sc->path of the
 *               element naming the bridge that could not be followed; 0 for an empty path.
 *
 * Follows: the kernel's walk in drivers/iommu/intel/dmar.c (dmar_parse_one_dev_scope() in
 * older kernels; dmar_find_matched_dev_scope()/dmar_insert_dev_scope() match the same path
 * from the device upwards) and irq_remapping.c ir_parse_one_ioapic_scope(): start at
 * @sc->start_bus; for every element after the first, the bus becomes the secondary bus of
 * the bridge named by the previous element. VT-d spec §8.3.1.
 *
 * Return: 0 on success; -EINVAL when @sc, @secondary_bus or @bdf is NULL; -IA_E_BADLEN when
 * the path is empty; the negative value @secondary_bus returned when a bridge is absent or
 * not a bridge; -IA_E_RANGE when @secondary_bus returned a value above 255.
 */
int ia_dmar_scope_resolve(const struct ia_dmar_scope *sc, uint16_t segment,
			  ia_dmar_secondary_bus_fn secondary_bus, void *ctx,
			  struct ia_dmar_bdf *bdf, size_t *bad_element);

#endif
