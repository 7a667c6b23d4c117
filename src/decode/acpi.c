// SPDX-License-Identifier: GPL-2.0-or-later
// Decode and verify the ACPI common table header (ACPI 6.5 §5.2.6).
#include "decode/acpi.h"

#include <string.h>

#include "decode/bytes.h"
#include "core/ia_err.h"

uint8_t ia_acpi_checksum(const uint8_t *buf, size_t len)
{
	uint8_t s = 0;

	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + buf[i]);
	return s;
}

static void acpi_copy_text(char *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : (src[i] ? '?' : '\0');
	dst[n] = '\0';
}

long ia_acpi_hdr_decode(const uint8_t *buf, size_t len, const char *sig,
			struct ia_acpi_hdr *h, struct ia_diags *diags)
{
	const char *where = sig ? sig : "ACPI";
	size_t use;

	memset(h, 0, sizeof(*h));
	if (!buf || len < IA_ACPI_HDR_LEN) {
		ia_diag_add(diags, -IA_E_TRUNCATED, where, 0,
			    "table is %zu bytes, shorter than the 36-byte ACPI header", len);
		return -IA_E_TRUNCATED;
	}
	acpi_copy_text(h->signature, buf, 4);
	if (sig && memcmp(buf, sig, 4) != 0) {
		ia_diag_add(diags, -IA_E_SIGNATURE, where, 0, "signature is \"%s\", expected \"%s\"",
			    h->signature, sig);
		return -IA_E_SIGNATURE;
	}
	h->length = ia_le32(buf, 4);
	h->revision = buf[8];
	h->checksum = buf[9];
	acpi_copy_text(h->oem_id, buf + 10, 6);
	acpi_copy_text(h->oem_table_id, buf + 16, 8);
	h->oem_revision = ia_le32(buf, 24);
	acpi_copy_text(h->creator_id, buf + 28, 4);
	h->creator_revision = ia_le32(buf, 32);
	if (h->length < IA_ACPI_HDR_LEN) {
		ia_diag_add(diags, -IA_E_BADLEN, where, 4,
			    "header length %u is shorter than the 36-byte header", h->length);
		return -IA_E_BADLEN;
	}
	if (h->length > IA_ACPI_MAX_TABLE) {
		ia_diag_add(diags, -IA_E_TOOBIG, where, 4,
			    "header length %u exceeds the %u-byte limit", h->length, IA_ACPI_MAX_TABLE);
		return -IA_E_TOOBIG;
	}
	use = h->length;
	if (use > len) {
		ia_diag_add(diags, -IA_E_TRUNCATED, where, (int64_t)len,
			    "header length %u but only %zu bytes present; decoding what is present",
			    h->length, len);
		use = len;
	} else {
		h->checksum_ok = ia_acpi_checksum(buf, use) == 0;
		if (!h->checksum_ok)
			ia_diag_add(diags, -IA_E_CHECKSUM, where, 9,
				    "checksum byte 0x%02x leaves a sum of 0x%02x over %u bytes, not 0",
				    h->checksum, ia_acpi_checksum(buf, use), h->length);
	}
	return (long)use;
}
