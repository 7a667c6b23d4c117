/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ACPI common table header (ACPI 6.5 §5.2.6) and table checksums, shared by every table decoder. */
#ifndef IA_DECODE_ACPI_H
#define IA_DECODE_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

#define IA_ACPI_HDR_LEN 36u
/* Largest table any decoder accepts (a bigger "table" is refused with -IA_E_TOOBIG). */
#define IA_ACPI_MAX_TABLE (16u * 1024u * 1024u)

/** The 36-byte common header of every ACPI table (ACPICA struct acpi_table_header). */
struct ia_acpi_hdr {
	char signature[5];      /* e.g. "DMAR", NUL-terminated */
	uint32_t length;        /* whole table, bytes, as the header states */
	uint8_t revision;
	uint8_t checksum;
	char oem_id[7];
	char oem_table_id[9];
	uint32_t oem_revision;
	char creator_id[5];
	uint32_t creator_revision;
	bool checksum_ok;       /* all @length bytes sum to 0 mod 256 (only if @length <= buffer) */
};

/**
 * ia_acpi_hdr_decode() - decode and check an ACPI table header.
 * @buf, @len: the table bytes as read (len may differ from the header's length field).
 * @sig: the expected 4-character signature, or NULL to accept any.
 * @h: filled on success (and on -IA_E_CHECKSUM, which is a warning: decoding may continue).
 * @diags: receives one diagnostic per problem (may be NULL).
 *
 * Source: ACPI 6.5 §5.2.6 "System Description Table Header".
 *
 * Return: the number of table bytes a decoder may use (min(len, header length)) on success;
 * -IA_E_TRUNCATED when @len < 36; -IA_E_SIGNATURE when the signature differs from @sig;
 * -IA_E_BADLEN when the header length is < 36; -IA_E_TOOBIG above IA_ACPI_MAX_TABLE.
 * A header length above @len is reported (-IA_E_TRUNCATED diagnostic) and decoding continues
 * over the @len bytes present. A checksum mismatch is reported (-IA_E_CHECKSUM) and
 * h->checksum_ok is false; the return is still the usable length.
 */
long ia_acpi_hdr_decode(const uint8_t *buf, size_t len, const char *sig,
			struct ia_acpi_hdr *h, struct ia_diags *diags);

/** ia_acpi_checksum() - the byte sum of @buf mod 256 (0 for a valid table). */
uint8_t ia_acpi_checksum(const uint8_t *buf, size_t len);

#endif
