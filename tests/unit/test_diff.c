// SPDX-License-Identifier: GPL-2.0-or-later
// `diff OLD NEW`: a capture against itself changes nothing; an edited copy (driver changed, device removed)
// gives exactly the expected lines, from trees, snapshots and fact databases alike.
#include "testutil.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/diff.h"

#define KKA IA_SOURCE_DIR "/tests/fixtures/kernel-known-answers"
#define SCN_A KKA "/x86-intel-scn-a-nvme-vfio/run-6.12/snapshot.tar.gz"

static char work[64];

/* nvme 04:00.0 moved from vfio-pci to nvme, rtl8139 07:02.0 gone (device, bus link, group link, IOMMU link). */
static const char expected_edit[] =
	"device 0000:04:00.0 driver: vfio-pci -> nvme\n"
	"device 0000:07:02.0 removed: 10ec:8139 driver 8139cp group 12\n"
	"group 10 dma_ownership_viable: true -> false\n"
	"group 12 devices: 0000:06:00.0 0000:07:01.0 0000:07:02.0 -> 0000:06:00.0 0000:07:01.0\n"
	"finding [group.not-viable] group 10 appeared: info: group 10 is owned by the kernel: to hand it to "
	"userspace, unbind 0000:04:00.0 (nvme)\n";

static char *run(const char *args, int *status)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "%s %s", IA_BIN, args);
	char *out = ia_run_capture(cmd, status);
	assert_non_null(out);
	return out;
}

static int setup(void **state)
{
	char cmd[1024];
	int st;
	(void)state;

	snprintf(work, sizeof(work), "/tmp/ia-diff-XXXXXX");
	if (!mkdtemp(work))
		return -1;
	/* Two unpacked copies; the second edited as a host would drift. */
	snprintf(cmd, sizeof(cmd),
		 "set -e; cd %s; mkdir old new; tar -xzf %s -C old; tar -xzf %s -C new; cd new;"
		 " ln -sfn ../../../../../../bus/pci/drivers/nvme sys/devices/pci0000:00/0000:00:02.1/0000:02:00.0/0000:03:00.0/0000:04:00.0/driver;"
		 " rm -r sys/devices/pci0000:00/0000:00:02.2/0000:06:00.0/0000:07:02.0 sys/bus/pci/devices/0000:07:02.0"
		 " sys/kernel/iommu_groups/12/devices/0000:07:02.0 sys/devices/virtual/iommu/dmar0/devices/0000:07:02.0",
		 work, SCN_A, SCN_A);
	free(ia_run_capture(cmd, &st));
	return st == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	int st;
	(void)state;

	snprintf(cmd, sizeof(cmd), "rm -rf %s", work);
	free(ia_run_capture(cmd, &st));
	return 0;
}

static void test_itself(void **state)
{
	char args[1024];
	int st;
	(void)state;

	snprintf(args, sizeof(args), "diff %s %s 2>&1", SCN_A, SCN_A);
	char *out = run(args, &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "");
	free(out);
	/* The snapshot against its unpacked tree, and as JSON. */
	snprintf(args, sizeof(args), "diff %s %s/old --format json", SCN_A, work);
	out = run(args, &st);
	assert_int_equal(st, 0);
	json_t *j = json_loads(out, 0, NULL);
	assert_non_null(j);
	assert_true(json_is_false(json_object_get(j, "changed")));
	assert_int_equal(json_array_size(json_object_get(j, "changes")), 0);
	assert_string_equal(json_string_value(json_object_get(j, "schema")), "iommu-audit-diff/1");
	json_decref(j);
	free(out);
}

static void test_edited(void **state)
{
	char args[1024];
	int st;
	(void)state;

	snprintf(args, sizeof(args), "diff %s/old %s/new 2>&1", work, work);
	char *out = run(args, &st);
	assert_int_equal(st, 1);
	assert_string_equal(out, expected_edit);
	free(out);

	/* Reversed: the device is added, the driver goes back. */
	snprintf(args, sizeof(args), "diff %s/new %s/old 2>&1", work, work);
	out = run(args, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "device 0000:04:00.0 driver: nvme -> vfio-pci\n"));
	assert_non_null(strstr(out, "device 0000:07:02.0 added: 10ec:8139 driver 8139cp group 12\n"));
	assert_non_null(strstr(out, "finding [group.not-viable] group 10 resolved: info: "));
	free(out);

	snprintf(args, sizeof(args), "diff %s/old %s/new --format json", work, work);
	out = run(args, &st);
	assert_int_equal(st, 1);
	json_t *j = json_loads(out, 0, NULL), *c;
	assert_non_null(j);
	assert_true(json_is_true(json_object_get(j, "changed")));
	assert_int_equal(json_array_size(json_object_get(j, "changes")), 5);
	c = json_array_get(json_object_get(j, "changes"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "area")), "device");
	assert_string_equal(json_string_value(json_object_get(c, "subject")), "0000:04:00.0");
	assert_string_equal(json_string_value(json_object_get(c, "change")), "changed");
	assert_string_equal(json_string_value(json_object_get(c, "field")), "driver");
	assert_string_equal(json_string_value(json_object_get(c, "old")), "vfio-pci");
	assert_string_equal(json_string_value(json_object_get(c, "new")), "nvme");
	c = json_array_get(json_object_get(j, "changes"), 1);
	assert_string_equal(json_string_value(json_object_get(c, "change")), "removed");
	assert_true(json_is_null(json_object_get(c, "new")));
	json_decref(j);
	free(out);
}

static void test_databases(void **state)
{
	char args[1024];
	int st;
	(void)state;

	snprintf(args, sizeof(args), "collect --root %s/old --db %s/old.db 2>&1", work, work);
	free(run(args, &st));
	assert_int_equal(st, 0);
	snprintf(args, sizeof(args), "diff %s/old.db %s/old 2>&1", work, work);
	char *out = run(args, &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "");
	free(out);
	snprintf(args, sizeof(args), "diff %s/old.db %s/new 2>&1", work, work);
	out = run(args, &st);
	assert_int_equal(st, 1);
	assert_string_equal(out, expected_edit);
	free(out);

	char path[128];
	enum ia_diff_input k = IA_DIFF_TREE;
	snprintf(path, sizeof(path), "%s/old.db", work);
	assert_int_equal(ia_diff_input_kind(path, &k), 0);
	assert_int_equal(k, IA_DIFF_DB);
	assert_int_equal(ia_diff_input_kind(SCN_A, &k), 0);
	assert_int_equal(k, IA_DIFF_ARCHIVE);
	assert_int_equal(ia_diff_input_kind(work, &k), 0);
	assert_int_equal(k, IA_DIFF_TREE);
	snprintf(path, sizeof(path), "%s/none", work);
	assert_int_equal(ia_diff_input_kind(path, &k), -ENOENT);
}

static void test_usage(void **state)
{
	char args[1024];
	int st;
	(void)state;

	snprintf(args, sizeof(args), "diff %s >/dev/null 2>&1", SCN_A);
	free(run(args, &st));
	assert_int_equal(st, 2);
	snprintf(args, sizeof(args), "diff %s %s --root / >/dev/null 2>&1", SCN_A, SCN_A);
	free(run(args, &st));
	assert_int_equal(st, 2);
	snprintf(args, sizeof(args), "diff %s/old %s/none 2>&1 >/dev/null", work, work);
	char *out = run(args, &st);
	assert_int_equal(st, 3);
	char want[256];
	snprintf(want, sizeof(want), "iommu-audit diff: %s/none: No such file or directory\n", work);
	assert_string_equal(out, want);
	free(out);
	/* A file that is neither a database nor an archive is unreadable, not a usage error. */
	snprintf(args, sizeof(args), "diff %s/old %s/old/proc/cmdline >/dev/null 2>&1", work, work);
	free(run(args, &st));
	assert_int_equal(st, 3);
}

/* Hand-built audits: group added, finding re-levelled and waived, platform verdicts. */
static void test_model(void **state)
{
	struct ia_audit o = {0}, n = {0};
	struct ia_result orr = {0}, nr = {0};
	struct ia_dev dv[2] = {0};
	char *g1[] = { "0000:01:00.0" }, *g2[] = { "0000:02:00.0" };
	struct ia_group og[1] = { { .id = 1, .devices = g1, .n_devices = 1 } };
	struct ia_group ng[2] = { og[0], { .id = 2, .devices = g2, .n_devices = 1 } };
	struct ia_group_verdict ov[1] = { { .dma_ownership_viable = IA_YES, .userspace_assignable = IA_YES } };
	struct ia_group_verdict nv[2] = { ov[0], { .dma_ownership_viable = IA_UNKNOWN, .userspace_assignable = IA_UNKNOWN } };
	struct ia_diff *d = NULL;
	(void)state;

	snprintf(dv[0].bdf, 16, "0000:01:00.0");
	snprintf(dv[1].bdf, 16, "0000:02:00.0");
	dv[0].has_group = dv[1].has_group = true;
	dv[0].group = 1, dv[1].group = 2;
	o.devs = dv, o.n_devs = 1, o.groups = og, o.n_groups = 1, o.n_iommu_groups = 1;
	n.devs = dv, n.n_devs = 2, n.groups = ng, n.n_groups = 2, n.n_iommu_groups = 2;
	orr.groups = ov, orr.n_groups = 1, orr.irq_isolated = IA_YES;
	nr.groups = nv, nr.n_groups = 2, nr.irq_isolated = IA_NO;
	assert_int_equal(ia_result_add_finding(&orr, "group.not-viable", IA_LEVEL_INFO, "group 1", "m", NULL, NULL), 0);
	assert_int_equal(ia_result_add_finding(&nr, "group.not-viable", IA_LEVEL_ERROR, "group 1", "m", NULL, NULL), 0);
	nr.findings[0].waived = true;
	ia_result_decide(&orr, IA_FAIL_ON_ERROR);
	ia_result_decide(&nr, IA_FAIL_ON_ERROR);
	assert_int_equal(ia_diff_audits(&o, &orr, &n, &nr, &d), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(ia_diff_text(d, f), 0);
	fclose(f);
	assert_string_equal(buf,
			    "host interrupt_isolation: isolated -> not_isolated\n"
			    "device 0000:02:00.0 added: unknown driver none group 2\n"
			    "group 2 added: 0000:02:00.0\n"
			    "finding [group.not-viable] group 1 level: info -> error\n"
			    "finding [group.not-viable] group 1 waived: false -> true\n");
	free(buf);
	ia_diff_free(d);
	/* the host verdict is the result's: an unwaived error in the new audit fails it */
	nr.findings[0].waived = false;
	ia_result_decide(&nr, IA_FAIL_ON_ERROR);
	assert_int_equal(ia_diff_audits(&o, &orr, &n, &nr, &d), 0);
	bool verdict = false;
	for (size_t i = 0; i < d->n; i++)
		verdict |= d->v[i].field && !strcmp(d->v[i].field, "verdict") && !strcmp(d->v[i].new, "fail");
	assert_true(verdict);
	ia_diff_free(d);
	/* a result that is not of its audit is refused */
	assert_int_equal(ia_diff_audits(&o, &nr, &n, &nr, &d), -EINVAL);
	orr.groups = NULL, orr.n_groups = 0;
	nr.groups = NULL, nr.n_groups = 0;
	ia_result_free(&orr);
	ia_result_free(&nr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_itself),
		cmocka_unit_test(test_edited),
		cmocka_unit_test(test_databases),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
