// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of the ACPI common header decoder: real tables pass, every malformed class fails exactly.
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "decode/acpi.h"
#include "core/ia_err.h"

static void test_real_dmar_header(void **state)
{
	size_t len;
	uint8_t *b = ia_slurp(ia_fixture("dmar-quanta-x10e-9n/dmar.dat"), &len);
	struct ia_acpi_hdr h;
	struct ia_diags d = {0};

	assert_non_null(b);
	assert_int_equal(ia_acpi_hdr_decode(b, len, "DMAR", &h, &d), (long)len);
	assert_string_equal(h.signature, "DMAR");
	assert_int_equal(h.length, len);
	assert_true(h.checksum_ok);
	assert_int_equal(d.n, 0);
	ia_diags_free(&d);
	free(b);
}

static void test_malformed_headers(void **state)
{
	uint8_t t[64];
	struct ia_acpi_hdr h;
	struct ia_diags d = {0};

	memset(t, 0, sizeof(t));
	memcpy(t, "DMAR", 4);
	assert_int_equal(ia_acpi_hdr_decode(t, 20, "DMAR", &h, &d), -IA_E_TRUNCATED);
	assert_int_equal(ia_acpi_hdr_decode(t, sizeof(t), "IVRS", &h, &d), -IA_E_SIGNATURE);
	t[4] = 10; /* length 10 < 36 */
	assert_int_equal(ia_acpi_hdr_decode(t, sizeof(t), "DMAR", &h, &d), -IA_E_BADLEN);
	t[4] = 0; t[7] = 0x7f; /* absurd length */
	assert_int_equal(ia_acpi_hdr_decode(t, sizeof(t), "DMAR", &h, &d), -IA_E_TOOBIG);
	t[7] = 0; t[4] = 64;  /* valid length, bad checksum: a warning, decoding continues */
	ia_diags_free(&d);
	assert_int_equal(ia_acpi_hdr_decode(t, sizeof(t), "DMAR", &h, &d), 64);
	assert_false(h.checksum_ok);
	assert_non_null(ia_diags_find(&d, -IA_E_CHECKSUM));
	t[9] = (uint8_t)(0x100 - ia_acpi_checksum(t, 64));
	ia_diags_free(&d);
	assert_int_equal(ia_acpi_hdr_decode(t, sizeof(t), "DMAR", &h, &d), 64);
	assert_true(h.checksum_ok);
	assert_int_equal(d.n, 0);
	t[4] = 100; /* claims more than present: usable length is what is present */
	assert_int_equal(ia_acpi_hdr_decode(t, sizeof(t), "DMAR", &h, &d), 64);
	assert_non_null(ia_diags_find(&d, -IA_E_TRUNCATED));
	ia_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_dmar_header),
		cmocka_unit_test(test_malformed_headers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
