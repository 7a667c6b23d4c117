/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decoder of the ACPI IVRS table (AMD-Vi): IVinfo, IVHD blocks and device entries, IVMD blocks. */
#ifndef IA_DECODE_IVRS_H
#define IA_DECODE_IVRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/acpi.h"
#include "core/diag.h"

/*
 * Sources: AMD I/O Virtualization Technology (IOMMU) Specification (48882), section
 * "IVRS"; ACPICA include/acpi/actbl2.h (struct acpi_table_ivrs, acpi_ivrs_hardware_10/11/40,
 * acpi_ivrs_de_header, acpi_ivrs_device4/8a/8b/8c/hid, acpi_ivrs_memory); Linux
 * drivers/iommu/amd/init.c (struct ivhd_header, ivhd_entry, ivmd_header,
 * get_highest_supported_ivhd_type(), ivhd_entry_length(), init_iommu_from_acpi(),
 * init_unity_map_range()). Where ACPICA and the kernel differ, the kernel's reading is used.
 * Offsets below are byte offsets from the start of the IVRS table.
 */

#define IA_IVRS_HDR_LEN 48u          /* ACPI header (36) + IVinfo (4) + reserved (8) */

/* IVinfo (table offset 36) bits. */
#define IA_IVINFO_EFRSUP     (1u << 0)  /* IVHD EFR images are valid (IOMMU_IVINFO_EFRSUP) */
#define IA_IVINFO_DMA_REMAP  (1u << 1)  /* pre-boot DMA protection opt-in (IOMMU_IVINFO_DMA_REMAP) */
#define IA_IVINFO_HTATSRESV  (1u << 22) /* HyperTransport ATS address range reserved */

/* IVDB (I/O virtualization definition block) types. */
#define IA_IVHD_TYPE_10 0x10  /* IVHD, 24-byte header */
#define IA_IVHD_TYPE_11 0x11  /* IVHD, 40-byte header with EFR image */
#define IA_IVHD_TYPE_40 0x40  /* IVHD, 40-byte header, mixed format (ACPI HID entries) */
#define IA_IVMD_TYPE_ALL   0x20  /* IVMD for all devices */
#define IA_IVMD_TYPE_ONE   0x21  /* IVMD for one DeviceID */
#define IA_IVMD_TYPE_RANGE 0x22  /* IVMD for DeviceID range [DeviceID, aux] */

/* IVHD flags (IVHD offset 1). Bits 5-7 are from the AMD spec; the kernel does not use them. */
#define IA_IVHD_F_HTTUNEN   (1u << 0)
#define IA_IVHD_F_PASSPW    (1u << 1)
#define IA_IVHD_F_RESPASSPW (1u << 2)
#define IA_IVHD_F_ISOC      (1u << 3)
#define IA_IVHD_F_IOTLBSUP  (1u << 4)
#define IA_IVHD_F_COHERENT  (1u << 5)
#define IA_IVHD_F_PREFSUP   (1u << 6)
#define IA_IVHD_F_PPRSUP    (1u << 7)

/* IVHD device entry types (entry offset 0). */
#define IA_IVHD_DEV_PAD4          0x00
#define IA_IVHD_DEV_ALL           0x01
#define IA_IVHD_DEV_SELECT        0x02
#define IA_IVHD_DEV_RANGE_START   0x03
#define IA_IVHD_DEV_RANGE_END     0x04
#define IA_IVHD_DEV_PAD8          0x40
#define IA_IVHD_DEV_ALIAS_SELECT  0x42
#define IA_IVHD_DEV_ALIAS_RANGE   0x43
#define IA_IVHD_DEV_EXT_SELECT    0x46
#define IA_IVHD_DEV_EXT_RANGE     0x47
#define IA_IVHD_DEV_SPECIAL       0x48
#define IA_IVHD_DEV_ACPI_HID      0xF0

/* DTE setting byte (device entry offset 3). */
#define IA_IVHD_DTE_INITPASS (1u << 0)
#define IA_IVHD_DTE_EINTPASS (1u << 1)
#define IA_IVHD_DTE_NMIPASS  (1u << 2)
#define IA_IVHD_DTE_SYSMGT_SHIFT 4     /* bits 5:4 */
#define IA_IVHD_DTE_LINT0PASS (1u << 6)
#define IA_IVHD_DTE_LINT1PASS (1u << 7)

/* Extended data (0x46/0x47, entry offset 4): ATS disabled, ACPICA ACPI_IVHD_ATS_DISABLED. */
#define IA_IVHD_EXT_ATS_DISABLED (1u << 31)

/* Special entry (0x48) variety. */
#define IA_IVHD_SPECIAL_IOAPIC 1
#define IA_IVHD_SPECIAL_HPET   2

/* ACPI HID entry (0xF0) UID format. */
#define IA_IVHD_UID_NONE    0
#define IA_IVHD_UID_INTEGER 1
#define IA_IVHD_UID_STRING  2

/* IVMD flags (IVMD offset 1). */
#define IA_IVMD_F_UNITY     (1u << 0)
#define IA_IVMD_F_IR        (1u << 1)
#define IA_IVMD_F_IW        (1u << 2)
#define IA_IVMD_F_EXCLUSION (1u << 3)

/* Caps that bound memory on hostile input; a real table has a few hundred entries at most. */
#define IA_IVRS_MAX_BLOCKS  65536u
#define IA_IVRS_MAX_ENTRIES 65536u
#define IA_IVRS_MAX_RANGES  65536u

/** The kind of one IVDB, as recorded in struct ia_ivrs_block. */
enum ia_ivdb_kind {
	IA_IVDB_IVHD,     /* decoded into ia_ivrs.ivhd[index] */
	IA_IVDB_IVMD,     /* decoded into ia_ivrs.ivmd[index] */
	IA_IVDB_UNKNOWN,  /* a type this decoder (and Linux) does not define; skipped by its length */
	IA_IVDB_INVALID,  /* an IVHD/IVMD type whose length is shorter than its fixed layout; skipped */
};

/** One IVDB in table order: every block the walk stepped over. */
struct ia_ivrs_block {
	uint32_t offset;        /* byte offset of the block in the table */
	uint8_t type;           /* IVDB type byte */
	uint8_t flags;          /* IVDB flags byte (offset 1) */
	uint16_t length;        /* IVDB length field (offset 2), bytes */
	bool has_devid;         /* the block is at least 6 bytes long */
	uint16_t devid;         /* the u16 at block offset 4 (IVHD IOMMU DeviceID, IVMD DeviceID) */
	enum ia_ivdb_kind kind;
	size_t index;           /* index into ivhd[] or ivmd[] for IA_IVDB_IVHD / IA_IVDB_IVMD */
};

/** One IVHD (I/O virtualization hardware definition): one IOMMU, as one block type describes it. */
struct ia_ivhd {
	uint32_t offset;        /* byte offset of the block in the table */
	uint8_t type;           /* 0x10, 0x11 or 0x40 */
	uint8_t flags;          /* IA_IVHD_F_* */
	uint16_t length;        /* block length including device entries, bytes */
	uint16_t devid;         /* IOMMU DeviceID: BDF of the IOMMU's PCI function */
	uint16_t cap_offset;    /* offset of the IOMMU capability in its config space */
	uint64_t base;          /* IOMMU MMIO base address */
	uint16_t segment;       /* PCI segment group */
	uint16_t info;          /* IOMMU info: bits 4:0 MSI number, bits 12:8 UnitID */
	uint8_t msi_num;        /* info bits 4:0 */
	uint8_t unit_id;        /* info bits 12:8 */
	uint32_t attr;          /* offset 20: IOMMU Feature Reporting (10h) or IOMMU Attributes (11h/40h) */
	bool has_efr;           /* type 11h/40h: efr and efr2 are present */
	uint64_t efr;           /* offset 24: EFR register image (copy of MMIO 0x30) */
	uint64_t efr2;          /* offset 32: EFR2 image as the kernel reads it (ACPICA: reserved) */
	size_t first_entry;     /* this IVHD's device entries are entries[first_entry .. +n_entries) */
	size_t n_entries;
	size_t first_range;     /* its DeviceID ranges are ranges[first_range .. +n_ranges) */
	size_t n_ranges;
	bool entries_complete;  /* the device-entry walk reached the block end without a fault */
	bool highest_for_iommu; /* no IVHD with the same (segment, DeviceID) has a higher type */
	bool linux_uses;        /* type equals the kernel's target IVHD type (ia_ivrs.kernel_type) */
};

/** One ACPI HID (0xF0) device entry's names. */
struct ia_ivhd_acpi_hid {
	char hid[9];            /* the 8 HID bytes as text, NUL-terminated (kernel reading) */
	uint64_t hid_raw;       /* the same 8 bytes as a little-endian integer (ACPICA shows this
				   when the HID is not a string) */
	char cid[9];            /* the 8 CID bytes as text, NUL-terminated */
	uint64_t cid_raw;       /* the CID as a little-endian integer */
	uint8_t uid_format;     /* IA_IVHD_UID_* (other values are kept as read) */
	uint8_t uid_len;        /* UID length field, bytes */
	char uid[256];          /* the uid_len UID bytes, NUL-terminated */
	bool has_uid_int;       /* uid_format is integer and 1..8 bytes long */
	uint64_t uid_int;       /* the UID as a little-endian integer of uid_len bytes */
	char linux_uid[256];    /* the UID string Linux matches against _UID: "" for none, the
				   decimal of the FIRST UID byte for integer (as init_iommu_from_acpi
				   does), the string for string format */
};

/** One IVHD device entry, in table order. */
struct ia_ivhd_entry {
	uint32_t offset;        /* byte offset of the entry in the table */
	uint8_t type;           /* IA_IVHD_DEV_* or an unknown type */
	uint16_t length;        /* bytes: 4 (types < 0x40), 8 (0x40..0x7F), 22 + UID length (0xF0) */
	size_t ivhd;            /* index of the IVHD holding it */
	uint16_t devid;         /* DeviceID (BDF) at entry offset 1 */
	uint8_t dte;            /* DTE setting at entry offset 3 (IA_IVHD_DTE_*) */
	bool known;             /* the type is one this decoder defines */
	bool has_alias;         /* 0x42 / 0x43 */
	uint16_t alias_devid;   /* offset 5: the DeviceID (RID) the device's requests use */
	bool has_ext;           /* 0x46 / 0x47 */
	uint32_t ext;           /* offset 4: extended data (IA_IVHD_EXT_ATS_DISABLED) */
	bool has_special;       /* 0x48 */
	uint8_t handle;         /* offset 4: IOAPIC ID or HPET number */
	uint16_t source_devid;  /* offset 5: DeviceID the IOAPIC/HPET interrupts arrive with */
	uint8_t variety;        /* offset 7: IA_IVHD_SPECIAL_IOAPIC / _HPET */
	bool has_acpi_hid;      /* 0xF0 */
	size_t hid;             /* index into ia_ivrs.hids */
};

/**
 * One DeviceID range an IVHD claims, expanded from its entries the way init_iommu_from_acpi()
 * fills the rlookup and alias tables: All -> [0, 0xFFFF]; Select, Extended Select -> one ID;
 * range start (0x03/0x43/0x47) + range end (0x04) -> [start, end]; Alias Select/Range -> the
 * device(s) with alias set, plus a one-ID range for the alias DeviceID itself (alias_target);
 * Special (0x48) -> its source DeviceID; ACPI HID (0xF0, IVHD 40h only) -> its DeviceID.
 */
struct ia_ivhd_range {
	uint16_t first, last;   /* inclusive DeviceIDs */
	size_t ivhd;            /* index of the IVHD */
	size_t entry;           /* index of the entry that opened it (range start or select) */
	uint8_t kind;           /* the opening entry's type */
	uint8_t dte;            /* DTE setting that applies */
	bool has_alias;         /* requests from [first, last] carry alias_devid */
	uint16_t alias_devid;
	bool alias_target;      /* this range is the alias DeviceID itself (kernel maps it too) */
	bool has_ext;
	uint32_t ext;           /* extended data of 0x46/0x47 */
	bool ats_disabled;      /* ext bit 31 (ACPICA ACPI_IVHD_ATS_DISABLED) */
};

/** One IVMD (I/O virtualization memory definition). */
struct ia_ivmd {
	uint32_t offset;        /* byte offset of the block in the table */
	uint8_t type;           /* 0x20, 0x21 or 0x22 */
	uint8_t flags;          /* IA_IVMD_F_* */
	uint16_t length;        /* block length (32) */
	uint16_t devid;         /* offset 4: DeviceID (start of range for 0x22) */
	uint16_t aux;           /* offset 6: auxiliary data (end DeviceID for 0x22) */
	uint16_t segment;       /* offset 8: PCI segment as the kernel reads it (ACPICA: reserved) */
	uint64_t start;         /* offset 16: start address */
	uint64_t mem_length;    /* offset 24: memory block length, bytes */
	uint16_t first, last;   /* DeviceIDs named: 0x20 all, 0x21 devid, 0x22 [devid, aux] */
	bool has_end;           /* mem_length > 0 and start + mem_length - 1 does not overflow */
	uint64_t end;           /* inclusive end address (valid when has_end) */
	bool zero_length;       /* mem_length == 0 */
	bool overflow;          /* start + mem_length - 1 exceeds 2^64 - 1 */
	bool linux_applies;     /* Unity or Exclusion set: init_memory_definitions() uses it */
	uint64_t linux_start;   /* PAGE_ALIGN(start) as init_unity_map_range() computes (mod 2^64) */
	uint64_t linux_end;     /* linux_start + PAGE_ALIGN(mem_length), exclusive (mod 2^64) */
};

/** A decoded IVRS table. Zero-initialise; release with ia_ivrs_free(). */
struct ia_ivrs {
	struct ia_acpi_hdr hdr;
	uint32_t ivinfo;        /* table offset 36 */
	bool efr_sup;           /* IVinfo bit 0 */
	bool dma_remap;         /* IVinfo bit 1 */
	uint8_t gva_size;       /* IVinfo bits 7:5 */
	uint8_t pa_size;        /* IVinfo bits 14:8, physical address bits */
	uint8_t va_size;        /* IVinfo bits 21:15, virtual address bits */
	bool ht_ats_resv;       /* IVinfo bit 22 */
	bool walk_complete;     /* the IVDB walk reached the end of the table */
	bool has_kernel_type;   /* at least one IVDB was found */
	uint8_t kernel_type;    /* the IVHD type Linux uses for every IOMMU, computed as
				   get_highest_supported_ivhd_type() does */
	struct ia_ivrs_block *blocks;   size_t n_blocks;
	struct ia_ivhd *ivhd;           size_t n_ivhd;
	struct ia_ivhd_entry *entries;  size_t n_entries;
	struct ia_ivhd_acpi_hid *hids;  size_t n_hids;
	struct ia_ivhd_range *ranges;   size_t n_ranges;
	struct ia_ivmd *ivmd;           size_t n_ivmd;
};

/**
 * ia_ivrs_decode() - decode an IVRS table.
 * @buf, @len: the table bytes (the ACPI header's length field decides how many are used).
 * @out: filled with everything decoded (zeroed first; release with ia_ivrs_free() whatever the
 *       return value).
 * @diags: receives one diagnostic per problem, naming "IVRS" and the table byte offset
 *         (may be NULL).
 *
 * Walk: IVDBs from offset 48 to the end of the table, each by its length field (as
 * init_iommu_all() does); IVHD device entries by the kernel's ivhd_entry_length() rule.
 *
 * Return: 0 when the IVDB walk reached the end of the table (problems inside blocks are
 * diagnostics only; see below); otherwise a negative code, with @out holding every block
 * decoded before the fault:
 * -IA_E_TRUNCATED, -IA_E_SIGNATURE, -IA_E_BADLEN, -IA_E_TOOBIG from the ACPI header
 * (ia_acpi_hdr_decode()); -IA_E_TRUNCATED when fewer than 48 bytes are usable;
 * -IA_E_TRUNCATED when fewer than 4 bytes of an IVDB header remain, or an IVDB's length runs
 * past the end of the table; -IA_E_BADLEN when an IVDB length is below 4 (the walk cannot
 * advance); -IA_E_TOOBIG when more than IA_IVRS_MAX_BLOCKS IVDBs would be stored; -ENOMEM.
 *
 * Diagnostics that do not stop the walk: -IA_E_CHECKSUM (bad table checksum);
 * -IA_E_UNSUPPORTED for an unknown IVDB type (recorded, skipped by length, as Linux does),
 * an unknown device-entry type below 0x80 (skipped by the length rule) and an unknown entry
 * type >= 0x80 other than 0xF0 (its length is unknowable: the rest of that IVHD's entries is
 * not decoded); -IA_E_BADLEN for an IVHD/IVMD shorter than its fixed layout (skipped);
 * -IA_E_TRUNCATED for a device entry, or an ACPI HID UID, past the end of its IVHD (the rest
 * of that IVHD's entries is not decoded); -IA_E_FORMAT for a range start without a range end
 * (unterminated, or followed by another start), a range end without a start (the kernel's
 * stale start is used), and an ACPI HID entry Linux ignores (IVHD type other than 40h, empty
 * HID); -IA_E_RANGE for a range end below its start, a Special entry of unknown variety (Linux
 * fails the IOMMU), an IVMD 22h whose end DeviceID is below its start and an IVMD whose
 * start + length overflows; -IA_E_BADLEN for an IVMD with zero memory length; -IA_E_TOOBIG
 * when more than IA_IVRS_MAX_ENTRIES entries or IA_IVRS_MAX_RANGES ranges would be stored.
 */
int ia_ivrs_decode(const uint8_t *buf, size_t len, struct ia_ivrs *out, struct ia_diags *diags);

/** ia_ivrs_free() - release the arrays of @t and zero it (accepts NULL and a zeroed table). */
void ia_ivrs_free(struct ia_ivrs *t);

/** What the IVRS says about one (segment, DeviceID): see ia_ivrs_lookup(). */
struct ia_ivrs_match {
	size_t ivhd;            /* the IVHD (linux_uses) whose range covers the DeviceID */
	size_t range;           /* the covering range (the last one in table order, as the kernel's
				   rlookup table keeps the last writer) */
	uint8_t dte;            /* that range's DTE setting */
	bool has_alias;         /* an alias range covers the DeviceID (last writer wins) */
	uint16_t alias_devid;   /* the RID its requests use */
	bool ats_disabled;      /* the covering range carries extended data with bit 31 set */
	size_t n_ivhd_claims;   /* how many distinct used IVHDs have a range covering it (more
				   than 1: overlapping firmware claims; the last one wins) */
	bool is_iommu;          /* the DeviceID is a used IVHD's own IOMMU function: Linux
				   removes it from the rlookup table (init_iommu_one_late()), so
				   the IOMMU does not translate it despite the covering range */
};

/**
 * ia_ivrs_lookup() - which IVHD covers (@segment, @devid), as Linux would see it.
 * @t: a table from ia_ivrs_decode().
 * @segment: PCI segment group; @devid: DeviceID (bus << 8 | devfn).
 * @m: filled on success; untouched on failure.
 *
 * Only IVHDs of the kernel's target type (ia_ivhd.linux_uses) are considered, mirroring
 * init_iommu_all() + init_iommu_from_acpi() + amd_iommu_set_rlookup_table(). IVMDs that name
 * the device are listed by ia_ivrs_next_ivmd().
 *
 * Return: 0 when covered; -ENOENT when no used IVHD range covers the DeviceID; -EINVAL for a
 * NULL argument.
 */
int ia_ivrs_lookup(const struct ia_ivrs *t, uint16_t segment, uint16_t devid,
		   struct ia_ivrs_match *m);

/**
 * ia_ivrs_next_ivmd() - the next IVMD that names (@segment, @devid).
 * @t: a decoded table; @from: index in t->ivmd to start searching at (0 for the first).
 *
 * An IVMD names a device when its segment (bytes 8-9, as the kernel reads them) equals
 * @segment and @devid lies in [first, last] (init_unity_map_range(); the kernel bounds type
 * 20h by the segment's last BDF, here by 0xFFFF). Flags are not filtered: check
 * linux_applies.
 *
 * Return: the index (>= @from) of the next such IVMD; -ENOENT when there is none; -EINVAL for
 * a NULL table.
 */
long ia_ivrs_next_ivmd(const struct ia_ivrs *t, uint16_t segment, uint16_t devid, size_t from);

#endif
