// SPDX-License-Identifier: GPL-2.0-or-later
// `diff OLD NEW`: a capture against itself changes nothing; an edited copy (driver changed, device removed)
// gives exactly the expected lines, from trees, snapshots and fact databases alike; groups are matched
// by their members (renumbered, split, merged); the summary comes first and the exit status is 1 only
// when something got worse (issue 14 point 8).
#include "testutil.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/diff.h"

#define KKA IA_SOURCE_DIR "/tests/fixtures/kernel-known-answers"
#define SCN_A KKA "/x86-intel-scn-a-nvme-vfio/run-6.12/snapshot.tar.gz"

static char work[64];

/* The summary of scn-a (and of its edited copies, which change none of these). */
#define SCN_A_SUMMARY \
	"assignable IOMMU groups: 2 of 14 -> 2 of 14\n" \
	"isolation domains of several functions: 4 -> 4\n" \
	"MSI isolation: isolated -> isolated\n" \
	"VFIO no-IOMMU mode: unavailable -> unavailable\n" \
	"IOMMU active: yes -> yes\n" \
	"verdict: fail -> fail\n"

/* nvme 04:00.0 moved from vfio-pci to nvme, rtl8139 07:02.0 gone (device, bus link, group link, IOMMU link):
 * nothing that was assignable stops being so, no finding fails anew. */
static const char expected_edit[] =
	"result: changed, neither worse nor improved\n"
	SCN_A_SUMMARY
	"\n"
	"device 0000:04:00.0 driver: vfio-pci -> nvme\n"
	"device 0000:07:02.0 removed: 10ec:8139 driver 8139cp group 12\n"
	"group 10 dma_ownership_viable: true -> false\n"
	"group 12 devices: 0000:06:00.0 0000:07:01.0 0000:07:02.0 -> 0000:06:00.0 0000:07:01.0\n"
	"finding [group.not-viable] group 10 appeared: info: group 10 is owned by the kernel: for VFIO to take "
	"it, unbind 0000:04:00.0 (nvme)\n";

static char *run(const char *args, int *status)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "%s %s", IA_BIN, args);
	char *out = ia_run_capture(cmd, status);
	assert_non_null(out);
	return out;
}

static int setup(void **state)
{
	char cmd[2048];
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
		 " sys/kernel/iommu_groups/12/devices/0000:07:02.0 sys/devices/virtual/iommu/dmar0/devices/0000:07:02.0;"
		 /* renum: group 12 renumbered 20, as another boot's probe order would (same members) */
		 " cd ..; cp -a old renum; cd renum; mv sys/kernel/iommu_groups/12 sys/kernel/iommu_groups/20;"
		 " for d in 0000:06:00.0 0000:07:01.0 0000:07:02.0; do l=sys/bus/pci/devices/$d/iommu_group;"
		 " t=$(readlink $l); ln -sfn \"${t%%/12}/20\" $l; done;"
		 /* bound: the VGA function 00:01.0, alone in assignable group 1, bound to a kernel driver */
		 " cd ..; cp -a old bound; ln -sfn ../../../bus/pci/drivers/virtio-pci bound/sys/devices/pci0000:00/0000:00:01.0/driver",
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
	assert_string_equal(out, "result: unchanged\n" SCN_A_SUMMARY);
	free(out);
	/* The snapshot against its unpacked tree, and as JSON. */
	snprintf(args, sizeof(args), "diff %s %s/old --format json", SCN_A, work);
	out = run(args, &st);
	assert_int_equal(st, 0);
	json_t *j = json_loads(out, 0, NULL);
	assert_non_null(j);
	assert_true(json_is_false(json_object_get(j, "changed")));
	assert_true(json_is_false(json_object_get(j, "worse")));
	assert_true(json_is_false(json_object_get(j, "improved")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "summary"), "result")), "unchanged");
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
	assert_int_equal(st, 0);   /* changed, nothing worse: 0 (it was 1, as diff(1), for any change) */
	assert_string_equal(out, expected_edit);
	free(out);

	/* Reversed: the device is added, the driver goes back. */
	snprintf(args, sizeof(args), "diff %s/new %s/old 2>&1", work, work);
	out = run(args, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "device 0000:04:00.0 driver: nvme -> vfio-pci\n"));
	assert_non_null(strstr(out, "device 0000:07:02.0 added: 10ec:8139 driver 8139cp group 12\n"));
	assert_non_null(strstr(out, "finding [group.not-viable] group 10 resolved: info: "));
	free(out);

	snprintf(args, sizeof(args), "diff %s/old %s/new --format json", work, work);
	out = run(args, &st);
	assert_int_equal(st, 0);
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
	/* a yes/no fact keeps its string and adds JSON booleans */
	c = json_array_get(json_object_get(j, "changes"), 2);
	assert_string_equal(json_string_value(json_object_get(c, "field")), "dma_ownership_viable");
	assert_string_equal(json_string_value(json_object_get(c, "old")), "true");
	assert_true(json_is_true(json_object_get(c, "old_value")));
	assert_true(json_is_false(json_object_get(c, "new_value")));
	assert_string_equal(json_string_value(json_object_get(c, "effect")), "neutral");
	/* group 12 lost a member: the same group (1:1), its members changed */
	json_t *g = json_array_get(json_object_get(j, "groups"), 12);
	assert_string_equal(json_string_value(json_object_get(g, "match")), "members");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(g, "new"), 0), "id")), 12);
	assert_int_equal(json_array_size(json_object_get(json_array_get(json_object_get(g, "old"), 0), "devices")), 3);
	assert_int_equal(json_array_size(json_object_get(json_array_get(json_object_get(g, "new"), 0), "devices")), 2);
	assert_true(json_is_false(json_object_get(json_array_get(json_object_get(g, "new"), 0), "userspace_assignable")));
	assert_true(json_is_false(json_object_get(j, "worse")));
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
	assert_string_equal(out, "result: unchanged\n" SCN_A_SUMMARY);
	free(out);
	snprintf(args, sizeof(args), "diff %s/old.db %s/new 2>&1", work, work);
	out = run(args, &st);
	assert_int_equal(st, 0);
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
	/* a FIFO (nobody writing) or a device is refused at once, never opened for a blocking read */
	snprintf(path, sizeof(path), "%s/fifo", work);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(ia_diff_input_kind(path, &k), -EINVAL);
	assert_int_equal(ia_diff_input_kind("/dev/zero", &k), -EINVAL);
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

/* The text of @d (malloc'd). */
static char *diff_text(const struct ia_diff *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(ia_diff_text(d, f), 0);
	fclose(f);
	return buf;
}

/* Hand-built audits: group added, finding re-levelled and waived, platform verdicts, MSI isolation lost. */
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
	orr.noiommu_state = "available";
	assert_int_equal(ia_result_add_finding(&orr, "group.not-viable", IA_LEVEL_INFO, "group 1", "m", NULL, NULL), 0);
	assert_int_equal(ia_result_add_finding(&nr, "group.not-viable", IA_LEVEL_ERROR, "group 1", "m", NULL, NULL), 0);
	nr.findings[0].waived = true;
	ia_result_decide(&orr, IA_FAIL_ON_ERROR);
	ia_result_decide(&nr, IA_FAIL_ON_ERROR);
	assert_int_equal(ia_diff_audits(&o, &orr, &n, &nr, &d), 0);
	char *buf = diff_text(d);
	/* the interrupt isolation change is a summary line, not repeated below it; a waived error fails nothing */
	assert_string_equal(buf,
			    "result: worse: MSI isolation lost\n"
			    "assignable IOMMU groups: 1 of 1 -> 1 of 2\n"
			    "isolation domains of several functions: unknown -> unknown\n"
			    "MSI isolation: isolated -> NOT isolated\n"
			    "VFIO no-IOMMU mode: available -> unknown\n"
			    "IOMMU active: yes -> yes\n"
			    "verdict: pass -> pass\n"
			    "\n"
			    "device 0000:02:00.0 added: unknown driver none group 2\n"
			    "group 2 added: 0000:02:00.0\n"
			    "finding [group.not-viable] group 1 level: info -> error\n"
			    "finding [group.not-viable] group 1 waived: false -> true\n");
	free(buf);
	assert_int_equal(d->n_worse, 1);
	assert_int_equal(d->n_findings_failing, 0);
	ia_diff_free(d);
	/* the host verdict is the result's: an unwaived error in the new audit fails it, and fails anew */
	nr.findings[0].waived = false;
	ia_result_decide(&nr, IA_FAIL_ON_ERROR);
	assert_int_equal(ia_diff_audits(&o, &orr, &n, &nr, &d), 0);
	bool verdict = false;
	for (size_t i = 0; i < d->n; i++)
		verdict |= d->v[i].field && !strcmp(d->v[i].field, "verdict") && !strcmp(d->v[i].new, "fail");
	assert_true(verdict);
	buf = diff_text(d);
	assert_non_null(strstr(buf, "result: worse: MSI isolation lost; 1 finding newly failing --fail-on error\n"));
	assert_non_null(strstr(buf, "\nverdict: pass -> fail\n"));
	assert_null(strstr(buf, "host verdict"));
	free(buf);
	assert_int_equal(d->n_worse, 2);
	ia_diff_free(d);
	/* --fail-on never: no finding fails, so only the lost MSI isolation is worse */
	ia_result_decide(&nr, IA_FAIL_ON_NEVER);
	assert_int_equal(ia_diff_audits(&o, &orr, &n, &nr, &d), 0);
	assert_int_equal(d->n_worse, 1);
	buf = diff_text(d);
	assert_non_null(strstr(buf, "result: worse: MSI isolation lost\n"));
	free(buf);
	ia_diff_free(d);
	/* a result that is not of its audit is refused */
	assert_int_equal(ia_diff_audits(&o, &nr, &n, &nr, &d), -EINVAL);
	orr.groups = NULL, orr.n_groups = 0;
	nr.groups = NULL, nr.n_groups = 0;
	ia_result_free(&orr);
	ia_result_free(&nr);
}

/*
 * Groups matched by their members, not their numbers: 3 {A} became 7 {A} (renumbered, its finding
 * follows it); 4 {B C} split into 4 {B} and 9 {C}, and C's new group is not assignable (worse); 5 {D}
 * and 6 {E} merged into 5 {D E}, assignable where neither was (improved); 8 {G} went with its device
 * (it was assignable: worse); 10 {H} is new. Group 4's finding is not group 4's any more: another group
 * carries that number now.
 */
static void test_groups_by_members(void **state)
{
	static const char *bdfs[] = { "0000:01:00.0", "0000:02:00.0", "0000:02:00.1", "0000:03:00.0", "0000:04:00.0",
				      "0000:06:00.0", "0000:07:00.0" };   /* A B C D E G H */
	struct ia_audit o = {0}, n = {0};
	struct ia_result orr = {0}, nr = {0};
	struct ia_dev od[6] = {0}, nd[6] = {0};
	char *oA[] = { "0000:01:00.0" }, *oBC[] = { "0000:02:00.0", "0000:02:00.1" }, *oD[] = { "0000:03:00.0" },
	     *oE[] = { "0000:04:00.0" }, *oG[] = { "0000:06:00.0" };
	char *nB[] = { "0000:02:00.0" }, *nDE[] = { "0000:03:00.0", "0000:04:00.0" }, *nA[] = { "0000:01:00.0" },
	     *nC[] = { "0000:02:00.1" }, *nH[] = { "0000:07:00.0" };
	struct ia_group og[5] = { { .id = 3, .devices = oA, .n_devices = 1 }, { .id = 4, .devices = oBC, .n_devices = 2 },
				  { .id = 5, .devices = oD, .n_devices = 1 }, { .id = 6, .devices = oE, .n_devices = 1 },
				  { .id = 8, .devices = oG, .n_devices = 1 } };
	struct ia_group ng[5] = { { .id = 4, .devices = nB, .n_devices = 1 }, { .id = 5, .devices = nDE, .n_devices = 2 },
				  { .id = 7, .devices = nA, .n_devices = 1 }, { .id = 9, .devices = nC, .n_devices = 1 },
				  { .id = 10, .devices = nH, .n_devices = 1 } };
	struct ia_group_verdict ov[5] = { { .userspace_assignable = IA_YES }, { .userspace_assignable = IA_YES },
					  { .userspace_assignable = IA_NO }, { .userspace_assignable = IA_NO },
					  { .userspace_assignable = IA_YES } };
	struct ia_group_verdict nv[5] = { { .userspace_assignable = IA_YES }, { .userspace_assignable = IA_YES },
					  { .userspace_assignable = IA_YES }, { .userspace_assignable = IA_NO },
					  { .userspace_assignable = IA_NO } };
	struct ia_diff *d = NULL;
	(void)state;

	for (size_t i = 0; i < 6; i++) {
		snprintf(od[i].bdf, sizeof(od[i].bdf), "%s", bdfs[i]);                 /* A..G */
		snprintf(nd[i].bdf, sizeof(nd[i].bdf), "%s", bdfs[i == 5 ? 6 : i]);    /* A..E, H */
	}
	o.devs = od, o.n_devs = 6, o.groups = og, o.n_groups = 5, o.n_iommu_groups = 5;
	n.devs = nd, n.n_devs = 6, n.groups = ng, n.n_groups = 5, n.n_iommu_groups = 5;
	orr.groups = ov, orr.n_groups = 5, orr.irq_isolated = nr.irq_isolated = IA_YES;
	nr.groups = nv, nr.n_groups = 5;
	assert_int_equal(ia_result_add_finding(&orr, "r", IA_LEVEL_INFO, "group 3", "about group 3", NULL, NULL), 0);
	assert_int_equal(ia_result_add_finding(&nr, "r", IA_LEVEL_ERROR, "group 7", "about group 7", NULL, NULL), 0);
	assert_int_equal(ia_result_add_finding(&orr, "r", IA_LEVEL_INFO, "group 4", "m", NULL, NULL), 0);
	assert_int_equal(ia_result_add_finding(&nr, "r", IA_LEVEL_INFO, "group 4", "m", NULL, NULL), 0);
	ia_result_decide(&orr, IA_FAIL_ON_ERROR);
	ia_result_decide(&nr, IA_FAIL_ON_ERROR);
	assert_int_equal(ia_diff_audits(&o, &orr, &n, &nr, &d), 0);
	char *buf = diff_text(d);
	assert_string_equal(buf,
			    "result: worse: 2 groups no longer assignable; 1 finding newly failing --fail-on error "
			    "(improved: 1 group newly assignable)\n"
			    "assignable IOMMU groups: 3 of 5 -> 3 of 5\n"
			    "isolation domains of several functions: unknown -> unknown\n"
			    "MSI isolation: isolated -> isolated\n"
			    "VFIO no-IOMMU mode: unknown -> unknown\n"
			    "IOMMU active: yes -> yes\n"
			    "verdict: pass -> fail\n"
			    "\n"
			    "device 0000:06:00.0 removed: unknown driver none group none\n"
			    "device 0000:07:00.0 added: unknown driver none group none\n"
			    "group 7 number: 3 -> 7\n"
			    "group 4 split: group 4: 0000:02:00.0 0000:02:00.1 (assignable: yes) -> group 4: 0000:02:00.0 "
			    "(assignable: yes); group 9: 0000:02:00.1 (assignable: no)\n"
			    "group 5 merged: group 5: 0000:03:00.0 (assignable: no); group 6: 0000:04:00.0 (assignable: no) "
			    "-> group 5: 0000:03:00.0 0000:04:00.0 (assignable: yes)\n"
			    "group 8 removed: 0000:06:00.0\n"
			    "group 10 added: 0000:07:00.0\n"
			    "finding [r] group 7 level: info -> error\n"
			    "finding [r] group 4 resolved: info: m\n"
			    "finding [r] group 4 appeared: info: m\n");
	free(buf);
	assert_int_equal(d->n_groups, 5);
	static const char *const match[] = { "renumbered", "split", "merged", "removed", "added" };
	static const enum ia_diff_effect effect[] = { IA_DIFF_NEUTRAL, IA_DIFF_WORSE, IA_DIFF_BETTER, IA_DIFF_WORSE,
						      IA_DIFF_NEUTRAL };
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(d->groups[i].match, match[i]);
		assert_int_equal(d->groups[i].effect, effect[i]);
	}
	assert_int_equal(d->n_groups_lost, 2);
	assert_int_equal(d->n_groups_gained, 1);
	assert_int_equal(d->n_findings_failing, 1);
	assert_int_equal(d->n_worse, 3);

	/* JSON: the matches with their groups, booleans as booleans */
	char *js = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&js, &len);
	assert_int_equal(ia_diff_json(d, "o", "n", f), 0);
	fclose(f);
	json_t *j = json_loads(js, 0, NULL), *g;
	assert_non_null(j);
	assert_true(json_is_true(json_object_get(j, "worse")));
	assert_true(json_is_true(json_object_get(j, "improved")));
	assert_true(json_is_true(json_object_get(json_object_get(json_object_get(j, "summary"), "msi_isolated"), "new")));
	assert_true(json_is_null(json_object_get(json_object_get(json_object_get(j, "summary"), "isolation_domains"), "old")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "summary"), "groups_no_longer_assignable")), 2);
	g = json_array_get(json_object_get(j, "groups"), 1);
	assert_string_equal(json_string_value(json_object_get(g, "match")), "split");
	assert_string_equal(json_string_value(json_object_get(g, "effect")), "worse");
	assert_int_equal(json_array_size(json_object_get(g, "new")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(g, "new"), 1), "id")), 9);
	assert_true(json_is_false(json_object_get(json_array_get(json_object_get(g, "new"), 1), "userspace_assignable")));
	g = json_array_get(json_object_get(j, "groups"), 0);
	assert_string_equal(json_string_value(json_object_get(g, "match")), "renumbered");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(g, "old"), 0), "id")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(g, "new"), 0), "id")), 7);
	json_decref(j);
	free(js);
	ia_diff_free(d);
	orr.groups = NULL, orr.n_groups = 0;
	nr.groups = NULL, nr.n_groups = 0;
	ia_result_free(&orr);
	ia_result_free(&nr);
}

/* Two groups that exchange a member are one "regrouped" match under both old numbers; a member
 * that loses its group leaves a 1:1 match whose members changed. */
static void test_regrouped(void **state)
{
	struct ia_audit o = {0}, n = {0};
	struct ia_result orr = {0}, nr = {0};
	char *o1[] = { "0000:01:00.0", "0000:01:00.1" }, *o2[] = { "0000:02:00.0" }, *o3[] = { "0000:03:00.0", "0000:03:00.1" };
	char *n1[] = { "0000:01:00.0" }, *n2[] = { "0000:01:00.1", "0000:02:00.0" }, *n3[] = { "0000:03:00.0" };
	struct ia_group og[3] = { { .id = 1, .devices = o1, .n_devices = 2 }, { .id = 2, .devices = o2, .n_devices = 1 },
				  { .id = 3, .devices = o3, .n_devices = 2 } };
	struct ia_group ng[3] = { { .id = 1, .devices = n1, .n_devices = 1 }, { .id = 2, .devices = n2, .n_devices = 2 },
				  { .id = 3, .devices = n3, .n_devices = 1 } };
	struct ia_group_verdict v[3] = { { .userspace_assignable = IA_NO }, { .userspace_assignable = IA_NO },
					 { .userspace_assignable = IA_YES } };
	struct ia_diff *d = NULL;
	(void)state;

	o.groups = og, o.n_groups = 3, n.groups = ng, n.n_groups = 3;
	orr.groups = v, orr.n_groups = 3, nr.groups = v, nr.n_groups = 3;
	assert_int_equal(ia_diff_audits(&o, &orr, &n, &nr, &d), 0);
	char *buf = diff_text(d);
	assert_non_null(strstr(buf, "\n\ngroup 1,2 regrouped: group 1: 0000:01:00.0 0000:01:00.1 (assignable: no); group 2: "
				    "0000:02:00.0 (assignable: no) -> group 1: 0000:01:00.0 (assignable: no); group 2: "
				    "0000:01:00.1 0000:02:00.0 (assignable: no)\n"
				    "group 3 devices: 0000:03:00.0 0000:03:00.1 -> 0000:03:00.0\n"));
	assert_non_null(strstr(buf, "result: changed, neither worse nor improved\n"));
	free(buf);
	assert_int_equal(d->n_groups, 2);
	assert_string_equal(d->groups[0].match, "regrouped");
	assert_string_equal(d->groups[1].match, "members");
	assert_int_equal(d->n_worse, 0);
	ia_diff_free(d);
}

/* A capture whose group 12 is numbered 20 (another boot): the same group, its findings with it; exit 0. */
static void test_renumbered(void **state)
{
	char args[1024];
	int st;
	(void)state;

	snprintf(args, sizeof(args), "diff %s/old %s/renum 2>&1", work, work);
	char *out = run(args, &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "result: changed, neither worse nor improved\n" SCN_A_SUMMARY "\n"
				 "group 20 number: 12 -> 20\n");
	free(out);
}

/* A group that stops being assignable is worse (exit 1), the reverse improved (exit 0). */
static void test_worse(void **state)
{
	char args[1024];
	int st;
	(void)state;

	snprintf(args, sizeof(args), "diff %s/old %s/bound 2>&1", work, work);
	char *out = run(args, &st);
	assert_int_equal(st, 1);
	assert_string_equal(out,
			    "result: worse: 1 group no longer assignable\n"
			    "assignable IOMMU groups: 2 of 14 -> 1 of 14\n"
			    "isolation domains of several functions: 4 -> 4\n"
			    "MSI isolation: isolated -> isolated\n"
			    "VFIO no-IOMMU mode: unavailable -> unavailable\n"
			    "IOMMU active: yes -> yes\n"
			    "verdict: fail -> fail\n"
			    "\n"
			    "device 0000:00:01.0 driver: none -> virtio-pci\n"
			    "group 1 dma_ownership_viable: true -> false\n"
			    "group 1 userspace_assignable: true -> false\n"
			    "finding [group.not-viable] group 1 appeared: info: group 1 is owned by the kernel: for VFIO to "
			    "take it, unbind 0000:00:01.0 (virtio-pci)\n");
	free(out);
	snprintf(args, sizeof(args), "diff %s/bound %s/old --format json", work, work);
	out = run(args, &st);
	assert_int_equal(st, 0);
	json_t *j = json_loads(out, 0, NULL), *c;
	assert_non_null(j);
	assert_true(json_is_false(json_object_get(j, "worse")));
	assert_true(json_is_true(json_object_get(j, "improved")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "summary"), "result")), "improved");
	c = json_array_get(json_object_get(j, "changes"), 2);
	assert_string_equal(json_string_value(json_object_get(c, "field")), "userspace_assignable");
	assert_true(json_is_false(json_object_get(c, "old_value")));
	assert_true(json_is_true(json_object_get(c, "new_value")));
	assert_string_equal(json_string_value(json_object_get(c, "effect")), "improved");
	json_decref(j);
	free(out);
}

/* The kernel known answers with the IOMMU off against the same machine with it on, both ways. */
static void test_iommu_off_pairs(void **state)
{
	char args[2048], on[512], off[512];
	int st;
	(void)state;

	ia_require_fixtures();
	snprintf(off, sizeof(off), "%s", ia_fixture("kernel-known-answers/x86-intel-noacs-mf-iommu-off/run-6.12/snapshot.tar.gz"));
	snprintf(on, sizeof(on), "%s/x86-intel-noacs-mf/run-6.12/snapshot.tar.gz", KKA);
	snprintf(args, sizeof(args), "diff %s %s 2>&1", on, off);
	char *out = run(args, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "result: worse: the IOMMU is no longer active; 5 groups no longer assignable\n"
				    "assignable IOMMU groups: 5 of "));
	assert_non_null(strstr(out, "\nIOMMU active: yes -> no\n"));
	free(out);
	snprintf(args, sizeof(args), "diff %s %s 2>&1", off, on);
	out = run(args, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "result: improved: the IOMMU is now active; 5 groups newly assignable\n"));
	free(out);

	/* scn-a: turning the IOMMU on also brings its isolation.p2p-domain error (the IOMMU-off audit
	 * does not judge isolation domains), a finding that fails --fail-on error anew: worse, unless
	 * --fail-on never */
	snprintf(off, sizeof(off), "%s", ia_fixture("kernel-known-answers/x86-intel-scn-a-nvme-vfio-iommu-off/run-6.12/snapshot.tar.gz"));
	snprintf(args, sizeof(args), "diff %s %s 2>&1", off, SCN_A);
	out = run(args, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "result: worse: 1 finding newly failing --fail-on error (improved: the IOMMU is "
				    "now active; 2 groups newly assignable)\n"));
	assert_non_null(strstr(out, "finding [isolation.p2p-domain] 0000:03:00.0 appeared: error: "));
	free(out);
	snprintf(args, sizeof(args), "diff %s %s --fail-on never 2>&1", off, SCN_A);
	out = run(args, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "result: improved: the IOMMU is now active; 2 groups newly assignable\n"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_groups_by_members),
		cmocka_unit_test(test_regrouped),
		cmocka_unit_test(test_renumbered),
		cmocka_unit_test(test_worse),
		cmocka_unit_test(test_iommu_off_pairs),
		cmocka_unit_test(test_itself),
		cmocka_unit_test(test_edited),
		cmocka_unit_test(test_databases),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
