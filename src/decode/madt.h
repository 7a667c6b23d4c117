/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decode the MADT (APIC table): interrupt controllers that decide MSI isolation and IR coverage. */
#ifndef IA_DECODE_MADT_H
#define IA_DECODE_MADT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/acpi.h"
#include "core/diag.h"

/* Interrupt controller structure types (ACPI 6.5 §5.2.12, Table 5.21; ACPICA enum acpi_madt_type). */
enum ia_madt_type {
	IA_MADT_LOCAL_APIC = 0x00,
	IA_MADT_IO_APIC = 0x01,
	IA_MADT_INTERRUPT_OVERRIDE = 0x02,
	IA_MADT_LOCAL_X2APIC = 0x09,
	IA_MADT_GICC = 0x0B,
	IA_MADT_GICD = 0x0C,
	IA_MADT_GIC_MSI_FRAME = 0x0D,
	IA_MADT_GICR = 0x0E,
	IA_MADT_GIC_ITS = 0x0F,
};

/** Every subtable as found: type, offset, length (ACPI 6.5 §5.2.12, Table 5.20). */
struct ia_madt_entry {
	uint8_t type;
	uint8_t length;           /* bytes, as stated */
	uint32_t offset;          /* byte offset from the start of the MADT */
	bool decoded;             /* a type this decoder knows, long enough to decode */
};

/** GIC ITS structure, type 0x0F (§5.2.12.18; ACPICA struct acpi_madt_generic_translator). */
struct ia_madt_gic_its {
	uint32_t offset;
	uint8_t flags;            /* byte 2; bit 0 non-coherent (ACPICA ACPI_MADT_ITS_NON_COHERENT) */
	bool non_coherent;
	uint32_t its_id;          /* GIC ITS (Translation) ID; matches IORT ITS group identifiers */
	uint64_t base;            /* physical base address */
};

/** GIC MSI frame (GICv2m), type 0x0D (§5.2.12.16; ACPICA struct acpi_madt_generic_msi_frame). */
struct ia_madt_gic_msi_frame {
	uint32_t offset;
	uint32_t frame_id;
	uint64_t base;            /* physical base address */
	uint32_t flags;           /* raw; bit 0 SPI count/base select (override the frame's TYPER) */
	bool spi_select;
	uint16_t spi_count;       /* meaningful when spi_select */
	uint16_t spi_base;
};

/** GIC distributor, type 0x0C (§5.2.12.15). */
struct ia_madt_gicd {
	uint32_t offset;
	uint32_t gic_id;
	uint64_t base;
	uint8_t gic_version;      /* 0 not stated (probe hardware), 1..4 GICv1..GICv4 */
};

/** I/O APIC, type 0x01 (§5.2.12.3; ACPICA struct acpi_madt_io_apic). */
struct ia_madt_ioapic {
	uint32_t offset;
	uint8_t ioapic_id;
	uint32_t address;         /* physical MMIO address */
	uint32_t gsi_base;        /* first global system interrupt this IOAPIC serves */
};

/** A decoded MADT. Zero-initialise; release with ia_madt_free(). */
struct ia_madt {
	struct ia_acpi_hdr hdr;
	uint32_t local_ic_address; /* local interrupt controller address (x86 LAPIC) */
	uint32_t flags;            /* bit 0 PCAT_COMPAT */
	struct ia_madt_entry *entries;  size_t n_entries;
	struct ia_madt_gic_its *its;    size_t n_its;
	struct ia_madt_gic_msi_frame *msi_frames; size_t n_msi_frames;
	struct ia_madt_gicd *gicds;     size_t n_gicds;
	struct ia_madt_ioapic *ioapics; size_t n_ioapics;
	size_t n_gicc;            /* GIC CPU interfaces (type 0x0B) */
	size_t n_gicc_enabled;    /* ... with flags bit 0 (enabled) */
	size_t n_gicr;            /* GIC redistributor ranges (type 0x0E) */
	size_t n_local_apic;      /* x86 processor local APIC (type 0x00) */
	size_t n_local_x2apic;    /* x86 processor local x2APIC (type 0x09) */
};

/**
 * ia_madt_decode() - walk every MADT subtable; decode GIC ITS, GIC MSI frame, GICD, IOAPIC and
 * count GICC/GICR/local APIC/x2APIC entries.
 * @buf, @len: the table bytes. @out: filled; always safe to pass to ia_madt_free().
 * @diags: one diagnostic per problem, naming "APIC" and the byte offset (may be NULL).
 *
 * A subtable of a known type that is shorter than its defined layout is diagnosed
 * (-IA_E_BADLEN), kept in entries with decoded = false, and the walk continues.
 *
 * Source: ACPI 6.5 §5.2.12; ACPICA actbl2.h (struct acpi_table_madt, acpi_subtable_header and
 * the acpi_madt_* structures); kernel acpi_parse_entries_array() walk rules.
 *
 * Return: the number of subtables (>= 0) when the walk reached the table end. Negative when it
 * could not, with @out holding the subtables before the failure: any error of
 * ia_acpi_hdr_decode() except the checksum warning; -IA_E_TRUNCATED table shorter than the
 * 44-byte MADT header or a subtable running past the table end; -IA_E_BADLEN a subtable length
 * below 2 (0 included), after which no later subtable can be found; -ENOMEM; -EINVAL when
 * @out is NULL.
 */
int ia_madt_decode(const uint8_t *buf, size_t len, struct ia_madt *out, struct ia_diags *diags);

/** ia_madt_free() - release what ia_madt_decode() allocated; accepts NULL. */
void ia_madt_free(struct ia_madt *madt);

/**
 * ia_madt_find_its() - the GIC ITS entry with a translation ID (as named by an IORT ITS group).
 * Return: 0 with *index set; -ENOENT when the MADT has no GIC ITS with @its_id.
 */
int ia_madt_find_its(const struct ia_madt *madt, uint32_t its_id, size_t *index);

#endif
