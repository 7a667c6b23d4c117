// SPDX-License-Identifier: GPL-2.0-or-later
// Every rule has a case where it must fire and one where it must not, on edited kernel captures.
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KKA IA_SOURCE_DIR "/tests/fixtures/kernel-known-answers"

/* Unpack a capture into a new temp dir, run @edit (a shell snippet; $T is the tree), audit it. */
static json_t *audit_edited(const char *capture, const char *edit, int *status)
{
	char tmpl[] = "/tmp/ia-rules-XXXXXX", cmd[4096];
	json_error_t err;

	assert_non_null(mkdtemp(tmpl));
	snprintf(cmd, sizeof(cmd), "T=%s; tar xzf %s/%s/snapshot.tar.gz -C $T && %s", tmpl, KKA, capture,
		 edit ? edit : "true");
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s --root %s --format json --no-names 2>/dev/null", IA_BIN, tmpl);
	char *out = ia_run_capture(cmd, status);
	assert_non_null(out);
	json_t *j = json_loads(out, 0, &err);
	if (!j)
		fail_msg("not JSON: %s", err.text);
	free(out);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpl);
	assert_int_equal(system(cmd), 0);
	return j;
}

static size_t count(json_t *rep, const char *rule, const char *level)
{
	json_t *f;
	size_t i, n = 0;

	json_array_foreach(json_object_get(rep, "findings"), i, f)
		n += !strcmp(json_string_value(json_object_get(f, "rule")), rule) &&
		     (!level || !strcmp(json_string_value(json_object_get(f, "level")), level));
	return n;
}

static json_t *group(json_t *rep, int id)
{
	json_t *g;
	size_t i;

	json_array_foreach(json_object_get(rep, "groups"), i, g)
		if (json_integer_value(json_object_get(g, "id")) == id)
			return g;
	fail_msg("group %d missing", id);
	return NULL;
}

static void test_iommu_inactive(void **state)
{
	int st;
	json_t *r = audit_edited("x86-intel-noacs-slots/run-6.12", "rm -rf $T/sys/kernel/iommu_groups $T/sys/class/iommu"
				 " && find $T/sys/devices -name iommu_group -delete", &st);
	assert_int_equal(count(r, "host.iommu-inactive", "warning"), 1);
	assert_int_equal(json_array_size(json_object_get(r, "groups")), 0);
	/* Prediction still runs: the groups the kernel would form once the IOMMU is on. */
	assert_int_equal(json_array_size(json_object_get(r, "predicted_groups")), 8);
	json_decref(r);
	r = audit_edited("x86-intel-noacs-slots/run-6.12", NULL, &st);
	assert_int_equal(count(r, "host.iommu-inactive", NULL), 0);
	json_decref(r);
}

static void test_acs_override_and_split_groups(void **state)
{
	int st;
	/* A kernel whose groups are finer than the topology allows: 01:00.0 moved out of group 2. */
	const char *split = "mkdir -p $T/sys/kernel/iommu_groups/99/devices && "
			    "mv $T/sys/kernel/iommu_groups/2/devices/0000:01:00.0 $T/sys/kernel/iommu_groups/99/devices/ && "
			    "cp $T/sys/kernel/iommu_groups/2/type $T/sys/kernel/iommu_groups/2/reserved_regions $T/sys/kernel/iommu_groups/99/ && "
			    "ln -sfn ../../../../kernel/iommu_groups/99 $T/sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0/iommu_group";
	json_t *r = audit_edited("x86-intel-noacs-slots/run-6.12", split, &st);
	assert_int_equal(count(r, "group.prediction-differs", "warning"), 1);
	assert_int_equal(count(r, "host.acs-override", NULL), 0);
	json_decref(r);
	char both[2048];
	snprintf(both, sizeof(both), "%s && echo 'console=ttyS0 intel_iommu=on pcie_acs_override=downstream,multifunction' > $T/proc/cmdline", split);
	r = audit_edited("x86-intel-noacs-slots/run-6.12", both, &st);
	assert_int_equal(count(r, "host.acs-override", "error"), 1);
	assert_int_equal(count(r, "group.prediction-differs", "error"), 1);
	assert_int_equal(st, 1);
	json_decref(r);
	r = audit_edited("x86-intel-noacs-slots/run-6.12", NULL, &st);
	assert_int_equal(count(r, "group.prediction-differs", NULL), 0);
	assert_int_equal(count(r, "host.acs-override", NULL), 0);
	assert_int_equal(st, 0);
	json_decref(r);
}

static void test_direct_region(void **state)
{
	int st;
	json_t *r = audit_edited("x86-intel-noacs-slots/run-6.12",
				 "echo '0x00000000bf000000 0x00000000bf7fffff direct' >> $T/sys/kernel/iommu_groups/2/reserved_regions", &st);
	assert_int_equal(count(r, "group.firmware-direct-region", "error"), 1);
	assert_true(json_is_false(json_object_get(group(r, 2), "userspace_assignable")));
	assert_true(json_is_true(json_object_get(group(r, 5), "userspace_assignable")));
	json_decref(r);
	/* direct-relaxable (USB/GPU RMRR) is an exception, not a blocker. */
	r = audit_edited("x86-intel-noacs-slots/run-6.12", NULL, &st);
	assert_int_equal(count(r, "group.firmware-direct-region", NULL), 0);
	json_t *ex = json_object_get(group(r, 7), "exceptions"), *e;
	size_t i, relax = 0;
	json_array_foreach(ex, i, e)
		relax += !strcmp(json_string_value(json_object_get(e, "kind")), "relaxable-rmrr");
	assert_int_equal(relax, 1);
	json_decref(r);
}

static void test_unreadable_reserved_regions_is_unknown(void **state)
{
	int st;
	json_t *r = audit_edited("x86-intel-noacs-slots/run-6.12", "rm $T/sys/kernel/iommu_groups/5/reserved_regions", &st);
	/* Fail closed: no reserved regions read means no verdict, never "assignable". */
	assert_true(json_is_null(json_object_get(group(r, 5), "userspace_assignable")));
	json_decref(r);
	/* A header that cannot be read: bridge or endpoint is unknown, so is the verdict. */
	r = audit_edited("x86-intel-noacs-slots/run-6.12", "truncate -s 10 $T/sys/devices/pci0000:00/0000:00:01.0/config", &st);
	assert_true(json_is_null(json_object_get(group(r, 1), "userspace_assignable")));
	json_decref(r);
}

static void test_not_viable(void **state)
{
	int st;
	json_t *r = audit_edited("x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12", NULL, &st);
	assert_int_equal(count(r, "group.not-viable", "error"), 1);
	json_t *b = json_array_get(json_object_get(group(r, 12), "blockers"), 0);
	assert_string_equal(json_string_value(json_object_get(b, "bdf")), "0000:07:02.0");
	json_decref(r);
	r = audit_edited("x86-intel-scn-c-e1000-vfio-rtl-unbound/run-6.12", NULL, &st);
	assert_int_equal(count(r, "group.not-viable", "error"), 0);
	json_decref(r);
	/* pci-stub keeps a group viable, at a named cost (kernel-rules.md §3.4). */
	r = audit_edited("x86-intel-scn-d-mf-vfio-stub/run-6.12", NULL, &st);
	assert_int_equal(count(r, "group.not-viable", "error"), 0);
	json_t *g, *e;
	size_t i, k, stub = 0;
	json_array_foreach(json_object_get(r, "groups"), i, g)
		json_array_foreach(json_object_get(g, "exceptions"), k, e)
			stub += !strcmp(json_string_value(json_object_get(e, "kind")), "pci-stub");
	assert_true(stub >= 1);
	json_decref(r);
}

static void test_msi_isolation(void **state)
{
	int st;
	json_t *r = audit_edited("arm-dt-v2m-smmuv3/run-6.12", NULL, &st);
	assert_int_equal(count(r, "platform.msi-not-isolated", "error"), 1);
	json_decref(r);
	r = audit_edited("arm-dt-its-smmuv3/run-6.12", NULL, &st);
	assert_int_equal(count(r, "platform.msi-not-isolated", NULL), 0);
	json_decref(r);
	/* allow_unsafe_interrupts is reported, and does not make MSIs isolated. */
	r = audit_edited("arm-dt-v2m-smmuv3/run-6.12",
			 "echo Y > $T/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", &st);
	json_t *ii = json_object_get(json_object_get(r, "platform"), "interrupt_isolation");
	assert_string_equal(json_string_value(json_object_get(ii, "state")), "not_isolated");
	assert_true(json_is_true(json_object_get(ii, "unsafe_interrupts_allowed")));
	json_decref(r);
	/* No MSI active: the firmware's routing still decides (GICv2m exposed, ITS isolated). */
	r = audit_edited("arm-dt-v2m-smmuv3/run-6.12", "grep -v MSI $T/proc/interrupts > $T/i && mv $T/i $T/proc/interrupts", &st);
	ii = json_object_get(json_object_get(r, "platform"), "interrupt_isolation");
	assert_string_equal(json_string_value(json_object_get(ii, "state")), "not_isolated");
	assert_non_null(strstr(json_string_value(json_object_get(ii, "reason")), "gic-v2m"));
	json_decref(r);
	r = audit_edited("arm-acpi-its-smmuv3/run-6.12", "grep -v MSI $T/proc/interrupts > $T/i && mv $T/i $T/proc/interrupts", &st);
	ii = json_object_get(json_object_get(r, "platform"), "interrupt_isolation");
	assert_string_equal(json_string_value(json_object_get(ii, "state")), "isolated");
	json_decref(r);
	/* No interrupt facts on x86: remapping may be off at run time, so unknown, and every
	 * group's verdict stays null. */
	r = audit_edited("x86-intel-noacs-slots/run-6.12", "rm $T/proc/interrupts", &st);
	ii = json_object_get(json_object_get(r, "platform"), "interrupt_isolation");
	assert_string_equal(json_string_value(json_object_get(ii, "state")), "unknown");
	assert_true(json_is_null(json_object_get(group(r, 5), "userspace_assignable")));
	json_decref(r);
}

static void test_rules_listing(void **state)
{
	char cmd[512];
	int st;

	snprintf(cmd, sizeof(cmd), "%s rules", IA_BIN);
	char *out = ia_run_capture(cmd, &st);
	assert_int_equal(st, 0);
	static const char *const ids[] = { "host.iommu-inactive", "host.acs-override", "group.prediction-differs",
					   "isolation.p2p-domain", "group.not-viable", "group.firmware-direct-region",
					   "platform.msi-not-isolated", "group.verdict" };
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		if (!strstr(out, ids[i]))
			fail_msg("`iommu-audit rules` does not list %s", ids[i]);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iommu_inactive),
		cmocka_unit_test(test_acs_override_and_split_groups),
		cmocka_unit_test(test_direct_region),
		cmocka_unit_test(test_unreadable_reserved_regions_is_unknown),
		cmocka_unit_test(test_not_viable),
		cmocka_unit_test(test_msi_isolation),
		cmocka_unit_test(test_rules_listing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
