// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel behaviour table (rules/data/kernel_behaviours.csv, rules/kernel_behaviour.c): every
// row parses, and each row the code reads answers yes, no and unknown on the releases it names.
#include "testutil.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "rules/kernel_behaviour.h"

/* Every row's first release and stable list parse; every id is distinct. (An id the code uses
 * that the CSV lacks does not compile: enum ia_kb is generated from the CSV.) */
static void test_rows_parse(void **state)
{
	(void)state;
	assert_true(IA_KB_COUNT >= 12);
	for (size_t i = 0; i < IA_KB_COUNT; i++) {
		if (ia_kb_check_row(i))
			fail_msg("row %s: first '%s' or stable '%s' does not parse", ia_kb_rows[i].id,
				 ia_kb_rows[i].first, ia_kb_rows[i].stable);
		assert_true(ia_kb_rows[i].commit[0] && ia_kb_rows[i].function[0] && ia_kb_rows[i].change[0]);
		/* the columns are split at commas (cmake/kernel_behaviours.cmake): a comma inside the
		 * commit column shifts the function column, which always starts with a kernel path */
		static const char *const roots[] = { "drivers/", "kernel/", "arch/", "include/", "mm/" };
		bool path = false;
		for (size_t k = 0; k < sizeof(roots) / sizeof(*roots); k++)
			path |= !strncmp(ia_kb_rows[i].function, roots[k], strlen(roots[k]));
		if (!path)
			fail_msg("row %s: function '%s' is not a kernel path (a comma in the commit column?)",
				 ia_kb_rows[i].id, ia_kb_rows[i].function);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(ia_kb_rows[i].id, ia_kb_rows[j].id);
	}
	assert_int_equal(ia_kb_check_row(IA_KB_COUNT), -EINVAL);
	assert_string_equal(ia_kb_id(IA_KB_DMA_OWNERSHIP), "dma_ownership");
	assert_string_equal(ia_kb_id(IA_KB_COUNT), "?");
}

struct kb_case {
	enum ia_kb id;
	int major, minor;
	bool has_stable; int stable;
	bool backports;
	enum ia_tri expect;
};

#define K(id, ma, mi, hs, st, bp, ex) { IA_KB_##id, ma, mi, hs, st, bp, IA_##ex }

/* Per row the code reads: a release that has it (must fire), one that does not (must not), and
 * where the table is uncertain, unknown. */
static const struct kb_case kb_cases[] = {
	K(DMA_OWNERSHIP, 5, 19, true, 0, false, YES), K(DMA_OWNERSHIP, 6, 1, false, 0, false, YES),
	K(DMA_OWNERSHIP, 5, 18, true, 19, false, NO), K(DMA_OWNERSHIP, 5, 10, true, 223, false, NO),
	/* RHEL 9 (5.14 base, backports): the behaviour may be there */
	K(DMA_OWNERSHIP, 5, 14, false, 0, true, UNKNOWN), K(DMA_OWNERSHIP, 6, 12, false, 0, true, YES),
	K(VFIO_BRIDGE_ALLOWED, 5, 4, true, 0, false, YES), K(VFIO_BRIDGE_ALLOWED, 4, 12, true, 0, false, NO),
	K(VFIO_REQUIRES_COHERENCY, 5, 19, true, 0, false, YES), K(VFIO_REQUIRES_COHERENCY, 5, 15, true, 131, false, NO),
	K(PASID_ACS_PATH, 6, 2, true, 0, false, YES), K(PASID_ACS_PATH, 6, 1, true, 192, false, NO),
	K(SVA_ANY_GROUP_SIZE, 6, 12, true, 117, false, YES), K(SVA_ANY_GROUP_SIZE, 5, 15, true, 0, false, NO),
	K(MSI_ISOLATION_PER_GROUP, 6, 3, true, 0, false, YES), K(MSI_ISOLATION_PER_GROUP, 6, 1, true, 192, false, NO),
	K(REQUIRE_DIRECT, 6, 6, true, 0, false, YES), K(REQUIRE_DIRECT, 6, 5, true, 13, false, NO),
	K(IOMMUFD, 6, 2, true, 0, false, YES), K(IOMMUFD, 6, 1, true, 192, false, NO),
	K(VFIO_DEVICE_CDEV, 6, 6, true, 0, false, YES), K(VFIO_DEVICE_CDEV, 6, 5, true, 0, false, NO),
	K(ACS_QUIRKS_7_0, 7, 0, true, 0, false, YES), K(ACS_QUIRKS_7_0, 6, 12, true, 117, false, NO),
	K(ACS_SV_CAP_FIXUP, 7, 3, true, 4, false, YES), K(ACS_SV_CAP_FIXUP, 6, 19, true, 0, false, NO),
	/* "6.12..7.3": 6.12 and before no, 7.3 and after yes, between unknown */
	K(ARM64_DT_ACS_AT_ENUMERATION, 6, 12, true, 117, false, NO), K(ARM64_DT_ACS_AT_ENUMERATION, 7, 3, true, 4, false, YES),
	K(ARM64_DT_ACS_AT_ENUMERATION, 7, 0, true, 0, false, YES), K(ARM64_DT_ACS_AT_ENUMERATION, 6, 19, true, 0, false, NO), K(ARM64_DT_ACS_AT_ENUMERATION, 6, 1, true, 0, false, NO),
	K(ARM64_GROUPS_AT_ENUMERATION, 6, 12, true, 117, false, NO), K(ARM64_GROUPS_AT_ENUMERATION, 7, 4, true, 0, false, YES),
	K(ARM64_GROUPS_AT_ENUMERATION, 6, 13, true, 0, false, NO),
	K(ARM64_GROUPS_AT_ENUMERATION, 6, 14, true, 11, false, NO), K(ARM64_GROUPS_AT_ENUMERATION, 6, 15, true, 0, false, YES),
	/* SVA on x86: stable lines from a level, 6.18 a window, 5.10 not confirmed; no mainline release */
	K(SVA_X86_DISABLED, 6, 1, true, 163, false, YES), K(SVA_X86_DISABLED, 6, 1, true, 162, false, NO),
	K(SVA_X86_DISABLED, 6, 1, false, 0, false, UNKNOWN),
	K(SVA_X86_DISABLED, 6, 12, true, 64, false, YES), K(SVA_X86_DISABLED, 6, 12, true, 117, false, YES),
	K(SVA_X86_DISABLED, 6, 12, true, 63, false, NO),
	K(SVA_X86_DISABLED, 5, 15, true, 200, false, YES), K(SVA_X86_DISABLED, 5, 15, true, 199, false, NO),
	K(SVA_X86_DISABLED, 6, 6, true, 120, false, YES), K(SVA_X86_DISABLED, 6, 6, true, 119, false, NO),
	K(SVA_X86_DISABLED, 5, 10, true, 223, false, NO), K(SVA_X86_DISABLED, 5, 10, true, 253, false, NO),
	K(SVA_X86_DISABLED, 5, 10, true, 254, false, UNKNOWN),
	K(SVA_X86_DISABLED, 6, 18, true, 3, false, NO), K(SVA_X86_DISABLED, 6, 18, true, 4, false, YES),
	K(SVA_X86_DISABLED, 6, 18, true, 6, false, YES), K(SVA_X86_DISABLED, 6, 18, true, 7, false, NO),
	K(SVA_X86_DISABLED, 6, 11, true, 4, false, NO), K(SVA_X86_DISABLED, 7, 3, true, 4, false, NO),
	K(SVA_X86_DISABLED, 6, 19, true, 0, false, NO),
	/* the no-IOMMU and allow-list rows (issue 12 items 2 and 3) */
	K(VFIO_NOIOMMU, 4, 5, true, 0, false, YES), K(VFIO_NOIOMMU, 4, 4, true, 302, false, NO),
	K(NOIOMMU_GROUPLESS_DEVICE, 5, 19, true, 0, false, YES), K(NOIOMMU_GROUPLESS_DEVICE, 5, 18, true, 19, false, NO),
	K(NOIOMMU_GROUPLESS_DEVICE, 5, 14, false, 0, true, UNKNOWN),
	K(NOIOMMU_CDEV, 6, 12, true, 117, false, NO), K(NOIOMMU_CDEV, 6, 13, true, 0, false, NO),
	K(NOIOMMU_CDEV, 7, 2, true, 9, false, NO), K(NOIOMMU_CDEV, 7, 3, true, 4, false, YES),
	K(NOIOMMU_IOMMUFD_COMPAT, 6, 3, true, 0, false, YES), K(NOIOMMU_IOMMUFD_COMPAT, 6, 2, true, 16, false, NO),
	K(VFIO_ALLOWLIST, 3, 6, true, 0, false, YES), K(VFIO_ALLOWLIST, 3, 5, true, 7, false, NO),
	K(VFIO_ALLOWLIST, 5, 4, true, 0, false, YES),
	/* a window on stable lines ("X.Y.Z-L"): from Z to L, not after; no upstream release */
	K(ACS_ENABLED_AFTER_GROUPS, 6, 12, true, 74, false, NO), K(ACS_ENABLED_AFTER_GROUPS, 6, 12, true, 75, false, YES),
	K(ACS_ENABLED_AFTER_GROUPS, 6, 12, true, 82, false, YES), K(ACS_ENABLED_AFTER_GROUPS, 6, 12, true, 83, false, NO),
	K(ACS_ENABLED_AFTER_GROUPS, 6, 12, true, 117, false, NO), K(ACS_ENABLED_AFTER_GROUPS, 6, 12, false, 0, false, UNKNOWN),
	K(ACS_ENABLED_AFTER_GROUPS, 5, 15, true, 202, false, YES), K(ACS_ENABLED_AFTER_GROUPS, 5, 15, true, 203, false, NO),
	K(ACS_ENABLED_AFTER_GROUPS, 6, 1, true, 168, false, YES), K(ACS_ENABLED_AFTER_GROUPS, 6, 1, true, 169, false, NO),
	K(ACS_ENABLED_AFTER_GROUPS, 6, 18, true, 16, false, NO), K(ACS_ENABLED_AFTER_GROUPS, 7, 3, true, 4, false, NO),
	K(ACS_ENABLED_AFTER_GROUPS, 6, 12, true, 117, true, UNKNOWN),
	K(ACS_ENABLED_AFTER_GROUPS, 6, 12, true, 80, true, UNKNOWN), /* inside, but it may carry the revert */
	K(ACS_ENABLED_AFTER_GROUPS, 5, 10, true, 252, false, YES), K(ACS_ENABLED_AFTER_GROUPS, 5, 10, true, 253, false, NO),
	K(ACS_ENABLED_AFTER_GROUPS, 5, 10, true, 251, false, NO), K(ACS_ENABLED_AFTER_GROUPS, 6, 6, true, 127, false, NO),
	K(ACS_ENABLED_AFTER_GROUPS, 6, 6, true, 128, false, YES), K(ACS_ENABLED_AFTER_GROUPS, 6, 6, true, 134, false, YES),
	K(ACS_ENABLED_AFTER_GROUPS, 6, 6, true, 135, false, NO),
	/* a row in no upstream release: a backporting kernel on a line it does not name cannot have it */
	K(ACS_ENABLED_AFTER_GROUPS, 5, 14, true, 0, true, NO), K(ACS_ENABLED_AFTER_GROUPS, 4, 18, true, 0, true, NO),
	/* a backporting kernel on a line the row names, below the level: may have been backported */
	K(SVA_X86_DISABLED, 6, 1, true, 100, true, UNKNOWN),
};

static void test_lookup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(kb_cases) / sizeof(kb_cases[0]); i++) {
		const struct kb_case *c = &kb_cases[i];
		const struct ia_kernel_id k = { .has_version = true, .major = c->major, .minor = c->minor,
						.has_stable = c->has_stable, .stable = c->stable, .backports = c->backports };
		enum ia_tri got = ia_kb_has(&k, c->id);
		if (got != c->expect)
			fail_msg("%s on %d.%d.%s%d%s: %s, expected %s", ia_kb_id(c->id), c->major, c->minor,
				 c->has_stable ? "" : "?", c->stable, c->backports ? " (backports)" : "",
				 ia_tri_str(got), ia_tri_str(c->expect));
	}
	/* an unknown release, a NULL kernel or an id out of range: unknown for every row */
	const struct ia_kernel_id none = { 0 };
	for (size_t i = 0; i < IA_KB_COUNT; i++) {
		assert_int_equal(ia_kb_has(&none, (enum ia_kb)i), IA_UNKNOWN);
		assert_int_equal(ia_kb_has(NULL, (enum ia_kb)i), IA_UNKNOWN);
	}
	const struct ia_kernel_id k612 = { .has_version = true, .major = 6, .minor = 12 };
	assert_int_equal(ia_kb_has(&k612, IA_KB_COUNT), IA_UNKNOWN);
}

static void test_stable_line(void **state)
{
	int from = 0, sure = 0;

	(void)state;
	assert_int_equal(ia_kb_stable_line(IA_KB_SVA_X86_DISABLED, 6, 12, &from, &sure, NULL), 0);
	assert_int_equal(from, 64);
	assert_int_equal(sure, 64);
	assert_int_equal(ia_kb_stable_line(IA_KB_SVA_X86_DISABLED, 6, 1, &from, &sure, NULL), 0);
	assert_int_equal(from, 163);
	assert_int_equal(sure, 163);
	assert_int_equal(ia_kb_stable_line(IA_KB_SVA_X86_DISABLED, 5, 10, &from, &sure, NULL), 0);
	assert_int_equal(from, 254);
	assert_int_equal(sure, -1);
	assert_int_equal(ia_kb_stable_line(IA_KB_SVA_X86_DISABLED, 6, 11, &from, &sure, NULL), -ENOENT);
	assert_int_equal(ia_kb_stable_line(IA_KB_DMA_OWNERSHIP, 6, 1, &from, &sure, NULL), -ENOENT);
	assert_int_equal(ia_kb_stable_line(IA_KB_COUNT, 6, 1, &from, &sure, NULL), -ENOENT);
	/* a window starts where its backport did */
	int last = 0;
	assert_int_equal(ia_kb_stable_line(IA_KB_ACS_ENABLED_AFTER_GROUPS, 6, 12, &from, &sure, &last), 0);
	assert_int_equal(from, 75);
	assert_int_equal(sure, 75);
	assert_int_equal(last, 82);
	assert_int_equal(ia_kb_stable_line(IA_KB_SVA_X86_DISABLED, 6, 1, &from, &sure, &last), 0);
	assert_int_equal(last, -1);
}

/* The formats the columns take, and the malformed ones refused. */
static void test_fields_parse(void **state)
{
	static const struct { const char *first, *stable; int rc; } tc[] = {
		{ "6.2", "", 0 }, { "-", "6.12.75-82", 0 }, { "-", "6.12.75-75", 0 }, { "6.12..6.15", "", 0 },
		{ "6.18..?", "5.10.224..? 6.1.163 6.12.64..69", 0 }, { "-", "5.10.252-252 6.1.165-168", 0 },
		{ "-", "6.12.75-74", -EINVAL },     /* a window that ends before it starts */
		{ "-", "6.12.75-", -EINVAL }, { "-", "6.12.75-82..90", -EINVAL }, { "-", "6.12.75..80-82", -EINVAL },
		{ "-", "6.12.75..75", -EINVAL }, { "-", "6.12", -EINVAL }, { "-", "6.12.75 ", 0 },
		{ "-", "6.12.75,6.1.3", -EINVAL }, { "6.15..6.12", "", -EINVAL }, { "x", "", -EINVAL },
		{ NULL, "", -EINVAL }, { "6.1", NULL, -EINVAL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(tc) / sizeof(tc[0]); i++)
		if (ia_kb_check_fields(tc[i].first, tc[i].stable) != tc[i].rc)
			fail_msg("first '%s' stable '%s': %d, expected %d", tc[i].first ? tc[i].first : "(null)",
				 tc[i].stable ? tc[i].stable : "(null)", ia_kb_check_fields(tc[i].first, tc[i].stable), tc[i].rc);
}

/* The releases in words, windows included: what the reports quote. */
static void test_releases_words(void **state)
{
	char buf[512];

	(void)state;
	assert_string_equal(ia_kb_releases(IA_KB_ACS_ENABLED_AFTER_GROUPS, buf, sizeof(buf)),
			    "acs_enabled_after_groups: in no upstream release; stable 5.10.252 only (not 5.10.253 and "
			    "later), 5.15.202 only (not 5.15.203 and later), 6.1.165 to 6.1.168 (not 6.1.169 and later), "
			    "6.6.128 to 6.6.134 (not 6.6.135 and later), 6.12.75 to 6.12.82 (not 6.12.83 and later)");
	assert_string_equal(ia_kb_releases(IA_KB_SVA_X86_DISABLED, buf, sizeof(buf)),
			    "sva_x86_disabled: in no upstream release; stable 5.10 at a level not confirmed (none up to "
			    "5.10.253), 5.15.200, 6.1.163, 6.6.120, 6.12.64, 6.18.4 to 6.18.6 (not 6.18.7 and later)");
	assert_string_equal(ia_kb_releases(IA_KB_DMA_OWNERSHIP, buf, sizeof(buf)), "dma_ownership: Linux 5.19 and later");
	assert_string_equal(ia_kb_releases(IA_KB_COUNT, buf, sizeof(buf)), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_parse),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_stable_line),
		cmocka_unit_test(test_releases_words),
		cmocka_unit_test(test_fields_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
