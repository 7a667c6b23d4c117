// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of the pure decoders of kernel text fields: parameter names, option lists, MSI chip names, hwirq.
#include "testutil.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "decode/cmdline.h"
#include "decode/interrupts.h"

/* parameq(): '-' and '_' are the same character; everything else compares exactly. */
static void test_key_eq(void **state)
{
	(void)state;
	assert_true(ia_cmdline_key_eq("vfio_pci.ids", "vfio-pci.ids"));
	assert_true(ia_cmdline_key_eq("a-b_c", "a_b-c"));
	assert_true(ia_cmdline_key_eq("", ""));
	assert_false(ia_cmdline_key_eq("iommu", "iommu.passthrough"));
	assert_false(ia_cmdline_key_eq("iommu.passthrough", "iommu"));
	assert_false(ia_cmdline_key_eq("Iommu", "iommu"));
	assert_false(ia_cmdline_key_eq("pci", "pcie"));
}

/* All options of @value joined with '|', as ia_cmdline_option_next() gives them. */
static const char *options(const char *value)
{
	static char out[256];
	size_t pos = 0, off = 0, len = 0, o = 0;

	out[0] = '\0';
	while (ia_cmdline_option_next(value, &pos, &off, &len)) {
		assert_true(len > 0);
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%.*s", o ? "|" : "", (int)len, value + off);
	}
	return out;
}

static void test_option_next(void **state)
{
	(void)state;
	assert_string_equal(options("sm_on,pt"), "sm_on|pt");
	assert_string_equal(options("on"), "on");
	assert_string_equal(options(",,a,,b,"), "a|b");
	assert_string_equal(options(""), "");
	assert_string_equal(options(","), "");
	assert_string_equal(options(NULL), "");
	assert_string_equal(options("noats=1,x"), "noats=1|x");
	/* at the end the outputs stay untouched */
	size_t pos = 0, off = 7, len = 9;
	assert_false(ia_cmdline_option_next(",,", &pos, &off, &len));
	assert_int_equal(off, 7);
	assert_int_equal(len, 9);
}

/* kstrtobool(): the first character decides, "on"/"off" by the second; a bare flag is true. */
static void test_kstrtobool(void **state)
{
	(void)state;
	static const char *const yes[] = { "", "y", "Y", "1", "yes", "on", "ON", "oN" };
	static const char *const no[] = { "n", "N", "0", "no", "off", "OFF", "oF" };
	static const char *const bad[] = { "2", "true", "o", "ox", " y", "-1" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		assert_int_equal(ia_kstrtobool(yes[i]), IA_YES);
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		assert_int_equal(ia_kstrtobool(no[i]), IA_NO);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(ia_kstrtobool(bad[i]), IA_UNKNOWN);
	assert_int_equal(ia_kstrtobool(NULL), IA_UNKNOWN);
}

struct chip_case {
	const char *name, *chip;
	bool pci_msi, has_bdf, rid_in_hwirq;
	const char *bdf;
};

static const struct chip_case chip_cases[] = {
	{ "x86-6.2-msix", "IR-PCI-MSIX-0000:00:01.0", true, true, false, "0000:00:01.0" },
	{ "x86-6.2-msi-noir", "PCI-MSI-0000:03:00.0", true, true, false, "0000:03:00.0" },
	{ "arm-6.2-its", "ITS-PCI-MSIX-0002:01:00.0", true, true, false, "0002:01:00.0" },
	{ "x86-legacy-ir", "IR-PCI-MSI", true, false, true, NULL },
	{ "x86-legacy-msix", "PCI-MSIX", true, false, true, NULL },
	{ "arm-6.1-its", "ITS-MSI", true, false, false, NULL },
	{ "arm-6.1-v2m", "MSI", true, false, false, NULL },
	{ "iommu-own", "DMAR-MSI", false, false, false, NULL },
	{ "ioapic", "IR-IO-APIC", false, false, false, NULL },
	{ "empty", "", false, false, false, NULL },
	{ "null", NULL, false, false, false, NULL },
	/* the suffix is taken as written: whatever follows the first '-' after "PCI-MSI" */
	{ "suffix-empty", "PCI-MSIX-", true, true, false, "" },
	{ "suffix-long", "PCI-MSI-ffffffff:00:00.0", true, true, false, "ffffffff:00:00.0" },
};

static void test_msi_chip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(chip_cases) / sizeof(*chip_cases); i++) {
		const struct chip_case *c = &chip_cases[i];
		struct ia_msi_chip m;
		memset(&m, 0xa5, sizeof(m));
		ia_msi_chip_decode(c->chip, &m);
		if (m.pci_msi != c->pci_msi || m.has_bdf != c->has_bdf || m.rid_in_hwirq != c->rid_in_hwirq)
			fail_msg("%s: pci_msi %d has_bdf %d rid_in_hwirq %d", c->name, m.pci_msi, m.has_bdf, m.rid_in_hwirq);
		if (c->bdf) {
			assert_int_equal(m.bdf_len, strlen(c->bdf));
			assert_memory_equal(c->chip + m.bdf_off, c->bdf, m.bdf_len);
		}
	}
}

static void test_hwirq(void **state)
{
	(void)state;
	uint64_t v = 42;

	assert_int_equal(ia_irq_hwirq_decode("524288", &v), 0);
	assert_int_equal(v, 524288);
	assert_int_equal(ia_irq_hwirq_decode("0-edge", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ia_irq_hwirq_decode("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	/* must fail, output untouched */
	v = 42;
	assert_int_equal(ia_irq_hwirq_decode("18446744073709551616", &v), -ERANGE);
	assert_int_equal(ia_irq_hwirq_decode("", &v), -EINVAL);
	assert_int_equal(ia_irq_hwirq_decode("edge", &v), -EINVAL);
	assert_int_equal(ia_irq_hwirq_decode("-1", &v), -EINVAL);
	assert_int_equal(ia_irq_hwirq_decode(" 1", &v), -EINVAL);
	assert_int_equal(ia_irq_hwirq_decode("0x10", &v), 0); /* decimal: the 'x' ends it */
	assert_int_equal(v, 0);
	v = 42;
	assert_int_equal(ia_irq_hwirq_decode(NULL, &v), -EINVAL);
	assert_int_equal(v, 42);
}

/* pci_msi_domain_calc_hwirq(): domain << 27 | bus << 19 | devfn << 11 | index. */
static void test_x86_hwirq_bdf(void **state)
{
	(void)state;
	char bdf[IA_BDF_BUFSZ];

	ia_x86_msi_hwirq_bdf((uint64_t)3 << 19 | (uint64_t)(0x1f << 3 | 7) << 11 | 5, bdf);
	assert_string_equal(bdf, "0000:03:1f.7");
	ia_x86_msi_hwirq_bdf((uint64_t)0x12 << 27 | (uint64_t)0xab << 19 | (uint64_t)(2 << 3) << 11, bdf);
	assert_string_equal(bdf, "0012:ab:02.0");
	ia_x86_msi_hwirq_bdf(0, bdf);
	assert_string_equal(bdf, "0000:00:00.0");
	ia_x86_msi_hwirq_bdf(UINT64_MAX, bdf); /* domain: 16 bits of the hwirq */
	assert_string_equal(bdf, "ffff:ff:1f.7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_eq),
		cmocka_unit_test(test_option_next),
		cmocka_unit_test(test_kstrtobool),
		cmocka_unit_test(test_msi_chip),
		cmocka_unit_test(test_hwirq),
		cmocka_unit_test(test_x86_hwirq_bdf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
