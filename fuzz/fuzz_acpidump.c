// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz the acpidump text reader, with the default limits and with small ones, and decode the tables it keeps.
#include <string.h>

#include "decode/acpi.h"
#include "decode/acpidump.h"
#include "decode/dmar.h"
#include "decode/iort.h"
#include "decode/ivrs.h"
#include "decode/madt.h"
#include "fuzz.h"

/* The firmware collector's next step: every kept table of a known signature goes to its decoder. */
static void fz_decode_table(const struct ia_acpidump_table *t)
{
	struct ia_diags d = {0};
	struct ia_acpi_hdr h;

	if (!strcmp(t->signature, "DMAR")) {
		struct ia_dmar x;
		ia_dmar_decode(t->bytes, t->len, &x, &d);
		ia_dmar_free(&x);
	} else if (!strcmp(t->signature, "IVRS")) {
		struct ia_ivrs x;
		ia_ivrs_decode(t->bytes, t->len, &x, &d);
		ia_ivrs_free(&x);
	} else if (!strcmp(t->signature, "IORT")) {
		struct ia_iort x;
		ia_iort_decode(t->bytes, t->len, &x, &d);
		ia_iort_free(&x);
	} else if (!strcmp(t->signature, "APIC")) {
		struct ia_madt x;
		ia_madt_decode(t->bytes, t->len, &x, &d);
		ia_madt_free(&x);
	} else {
		ia_acpi_hdr_decode(t->bytes, t->len, NULL, &h, &d);
	}
	ia_diags_free(&d);
}

static void fz_parse(const uint8_t *data, size_t size, const struct ia_acpidump_limits *lim,
		     bool decode)
{
	struct ia_acpidump a;
	struct ia_diags d = {0};
	long n = ia_acpidump_parse(data, size, lim, &a, &d);
	size_t total = 0;

	FZ_CHECK(n < 0 ? a.n == 0 : (size_t)n == a.n);
	for (size_t i = 0; i < a.n; i++) {
		const struct ia_acpidump_table *t = &a.v[i];
		FZ_CHECK(t->len > 0 && t->bytes && strlen(t->signature) <= 4);
		FZ_CHECK(t->line >= 1);
		if (strcmp(t->signature, "RSDP") != 0) {
			FZ_CHECK(t->len >= 8 && !memcmp(t->bytes, t->signature, 4));
			FZ_CHECK((uint32_t)(t->bytes[4] | t->bytes[5] << 8 | t->bytes[6] << 16 |
					    (uint32_t)t->bytes[7] << 24) == t->len);
		}
		if (lim)
			FZ_CHECK(t->len <= lim->max_table);
		total += t->len;
		FZ_CHECK(ia_acpidump_find(&a, t->signature, 0) != NULL);
		if (decode)
			fz_decode_table(t);
	}
	FZ_CHECK(total == a.total);
	if (lim)
		FZ_CHECK(a.total <= lim->max_total);
	ia_acpidump_free(&a);
	ia_acpidump_free(&a); /* left empty by the first call */
	ia_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ia_acpidump_limits small = { .max_table = 256, .max_total = 1024 };

	fz_parse(data, size, NULL, true);
	fz_parse(data, size, &small, false);
	return 0;
}
