// SPDX-License-Identifier: GPL-2.0-or-later
// `plan` on the kernel known-answer captures: the devices that go together and the drivers that must go
// are what the kernel's groups (iommu_groups.txt), drivers (drivers.txt) and vfio-status.txt imply.
#include "testutil.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ia_err.h"
#include "cli/plan.h"
#include "model/firmware_model.h"

#define KKA IA_SOURCE_DIR "/tests/fixtures/kernel-known-answers"

struct plan_case {
	const char *name, *run, *bdf;
	const char *groups;     /* kernel group ids the plan takes, space-separated */
	const char *actions;    /* "BB:DD.F=action ..." for every device of the plan, ascending */
	bool feasible;
	const char *blocker;    /* the rule of the only blocker, or NULL */
};

static const struct plan_case cases[] = {
	{ "multifunction, sibling on pci-stub stays", "x86-intel-scn-d-mf-vfio-stub/run-6.12", "0000:08:00.0", "13",
	  "08:00.0=already-vfio 08:00.1=keep", true, NULL },
	{ "multifunction, sibling on virtio-pci goes", "x86-intel-scn-a-nvme-vfio/run-6.12", "08:00.1", "13",
	  "08:00.0=bind-vfio-pci 08:00.1=bind-vfio-pci", true, NULL },
	{ "PCIe-to-PCI bridge, 8139cp must go", "x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12", "0000:07:01.0", "12",
	  "06:00.0=keep 07:01.0=already-vfio 07:02.0=bind-vfio-pci", true, NULL },
	{ "PCIe-to-PCI bridge, rtl8139 unbound", "x86-intel-scn-c-e1000-vfio-rtl-unbound/run-6.1", "0000:07:01.0", "12",
	  "06:00.0=keep 07:01.0=already-vfio 07:02.0=keep", true, NULL },
	/* 07:02.0, refused the StreamID 07:01.0 holds, goes along unbound and pinned (group.shared-streamid) */
	{ "PCIe-to-PCI bridge on shpchp (arm64, ITS)", "arm-acpi-its-smmuv3/run-6.12", "0000:07:01.0", "7",
	  "06:00.0=unbind 07:01.0=already-vfio 07:02.0=keep", true, NULL },
	{ "PCIe-to-PCI bridge on shpchp (arm64, GICv2m)", "arm-acpi-v2m-smmuv3/run-6.1", "0000:07:01.0", "7",
	  "06:00.0=unbind 07:01.0=already-vfio 07:02.0=keep", false, "platform.msi-not-isolated" },
	{ "switch without ACS: the isolation domain takes the sibling port's group", "x86-intel-scn-a-nvme-vfio/run-6.12",
	  "0000:04:00.0", "10 11", "03:00.0=keep 03:01.0=keep 04:00.0=already-vfio 05:00.0=bind-vfio-pci", true, NULL },
	{ "switch below a root port without ACS: one kernel group", "x86-intel-noacs-slots/run-6.12", "0000:05:00.0", "3",
	  "00:03.0=keep 02:00.0=keep 03:00.0=keep 03:01.0=keep 04:00.0=already-vfio 05:00.0=already-vfio", true, NULL },
	/* 07:02.0 sits on the conventional bus of 07:01.0, below root port 00:02.2 of the ACS-less slot
	 * 00:02, and has no group (the SMMUv3 refused it the StreamID 07:01.0 holds): its DMA is group
	 * 0's, so it goes with the plan, kept unbound and pinned (group.shared-streamid would block the
	 * group were a host driver bound to it) */
	{ "switch on a device-tree host: one group with the shpchp bridge", "arm-dt-its-smmuv3/run-6.12", "0000:04:00.0", "0",
	  "00:02.0=keep 00:02.1=keep 00:02.2=keep 00:02.3=keep 01:00.0=already-vfio 02:00.0=keep 03:00.0=keep 03:01.0=keep "
	  "04:00.0=already-vfio 05:00.0=already-vfio 06:00.0=unbind 07:01.0=already-vfio 07:02.0=keep 08:00.0=already-vfio "
	  "08:00.1=already-vfio", true, NULL },
	/* arm64 before 6.15: a driverless function's group forms when vfio-pci binds it (7.3 gave the
	 * host bridge group 0 alone); the GICv2m host still refuses it for its MSIs */
	{ "arm64 6.12: the host bridge's group forms when vfio-pci binds it", "arm-acpi-its-smmuv3/run-6.12", "0000:00:00.0",
	  "", "00:00.0=bind-vfio-pci", true, NULL },
	{ "arm64 6.12, GICv2m: the group would form, the MSIs refuse it", "arm-acpi-v2m-smmuv3/run-6.12", "0000:00:00.0",
	  "", "00:00.0=bind-vfio-pci", false, "platform.msi-not-isolated" },
};

static char work[64];

/* The case's capture unpacked once under work/ (tar is faster than a replay of the archive each run). */
static const char *case_root(const struct plan_case *c)
{
	static char root[sizeof(cases) / sizeof(cases[0])][128];
	size_t i = (size_t)(c - cases);

	if (!root[i][0]) {
		char cmd[1024];
		int st;
		snprintf(root[i], sizeof(root[i]), "%s/%zu", work, i);
		snprintf(cmd, sizeof(cmd), "mkdir -p %s && tar -xzf %s/%s/snapshot.tar.gz -C %s", root[i], KKA, c->run, root[i]);
		free(ia_run_capture(cmd, &st));
		assert_int_equal(st, 0);
	}
	return root[i];
}

static json_t *run_plan(const struct plan_case *c, int *status)
{
	char cmd[2048];
	json_error_t je;

	snprintf(cmd, sizeof(cmd), "%s plan %s --root %s --format json 2>/dev/null", IA_BIN, c->bdf, case_root(c));
	char *out = ia_run_capture(cmd, status);
	assert_non_null(out);
	json_t *j = json_loads(out, 0, &je);
	if (!j)
		fail_msg("%s: not JSON: %s", c->name, je.text);
	free(out);
	return j;
}

/* The line of @file under the run dir whose first token is @key (e.g. "12:" or "0000:07:01.0"); malloc'd. */
static char *kernel_line(const struct plan_case *c, const char *file, const char *key)
{
	char path[1024], line[4096];
	FILE *f;
	char *hit = NULL;

	snprintf(path, sizeof(path), "%s/%s/%s", KKA, c->run, file);
	assert_non_null(f = fopen(path, "r"));
	while (!hit && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && (line[strlen(key)] == ' ' || line[strlen(key)] == '\n'))
			hit = strdup(line);
	fclose(f);
	return hit;
}

static json_t *plan_dev(json_t *plan, const char *bdf)
{
	size_t i;
	json_t *d;

	json_array_foreach(json_object_get(plan, "devices"), i, d)
		if (!strcmp(json_string_value(json_object_get(d, "bdf")) + 5, bdf))
			return d;
	return NULL;
}

/* What the kernel decided must agree with the plan. */
static void check_against_kernel(const struct plan_case *c, json_t *plan)
{
	size_t i;
	json_t *g, *d;

	json_array_foreach(json_object_get(plan, "groups"), i, g) {
		char key[16], *line;
		long id = (long)json_integer_value(json_object_get(g, "id"));
		snprintf(key, sizeof(key), "%ld:", id);
		if (!(line = kernel_line(c, "iommu_groups.txt", key)))
			fail_msg("%s: group %ld is not a kernel group", c->name, id);
		/* The plan's members of the group are exactly the kernel's. */
		size_t n = 0, k;
		json_t *m;
		for (char *tok = strtok(line + strlen(key), " \n"); tok; tok = strtok(NULL, " \n"), n++) {
			bool found = false;
			json_array_foreach(json_object_get(g, "devices"), k, m)
				found |= !strcmp(json_string_value(m), tok);
			if (!found)
				fail_msg("%s: the plan's group %ld lacks %s", c->name, id, tok);
		}
		assert_int_equal(n, json_array_size(json_object_get(g, "devices")));
		free(line);
		/* vfio-status: viable=1 exactly when no member of the group has a driver to unbind; an
		 * EPERM at VFIO_SET_IOMMU exactly when MSIs are not isolated. */
		snprintf(key, sizeof(key), "group=%ld", id);
		if ((line = kernel_line(c, "vfio-status.txt", key))) {
			bool unbind = false;
			json_array_foreach(json_object_get(g, "devices"), k, m) {
				json_t *pd = plan_dev(plan, json_string_value(m) + 5);
				const char *act = json_string_value(json_object_get(pd, "action"));
				unbind |= !strcmp(act, "unbind") ||
					  (!strcmp(act, "bind-vfio-pci") && json_is_string(json_object_get(pd, "driver")));
			}
			if (unbind != (strstr(line, "viable=0") != NULL))
				fail_msg("%s: kernel says \"%.40s\", the plan %s drivers to unbind", c->name, line,
					 unbind ? "has" : "has no");
			bool msi = false;
			json_array_foreach(json_object_get(plan, "blockers"), k, m)
				msi |= !strcmp(json_string_value(json_object_get(m, "rule")), "platform.msi-not-isolated");
			if (strstr(line, "viable=1"))
				assert_int_equal(msi, strstr(line, "stage=set_iommu") != NULL);
			free(line);
		}
	}
	/* Every driver is the one bound after the scenario. */
	json_array_foreach(json_object_get(plan, "devices"), i, d) {
		const char *bdf = json_string_value(json_object_get(d, "bdf"));
		char *line = kernel_line(c, "drivers.txt", bdf), drv[64];
		assert_non_null(line);
		assert_int_equal(sscanf(line + strlen(bdf), "%63s", drv), 1);
		json_t *jd = json_object_get(d, "driver");
		if (strcmp(drv, "none") ? !json_is_string(jd) || strcmp(json_string_value(jd), drv) : !json_is_null(jd))
			fail_msg("%s: %s has driver %s in the plan, %s in drivers.txt", c->name, bdf,
				 json_is_string(jd) ? json_string_value(jd) : "null", drv);
		free(line);
	}
}

static void test_known_answers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct plan_case *c = &cases[i];
		int st;
		json_t *p = run_plan(c, &st), *x;
		size_t k;
		char got[1024] = "";

		assert_int_equal(st, c->feasible ? 0 : 1);
		assert_int_equal(json_is_true(json_object_get(p, "feasible")), c->feasible);
		json_array_foreach(json_object_get(p, "groups"), k, x)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%lld", k ? " " : "",
				 (long long)json_integer_value(json_object_get(x, "id")));
		if (strcmp(got, c->groups))
			fail_msg("%s: groups \"%s\", expected \"%s\"", c->name, got, c->groups);
		got[0] = '\0';
		json_array_foreach(json_object_get(p, "devices"), k, x)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s=%s", k ? " " : "",
				 json_string_value(json_object_get(x, "bdf")) + 5,
				 json_string_value(json_object_get(x, "action")));
		if (strcmp(got, c->actions))
			fail_msg("%s: devices \"%s\", expected \"%s\"", c->name, got, c->actions);
		json_t *bl = json_object_get(p, "blockers");
		assert_int_equal(json_array_size(bl), c->blocker ? 1 : 0);
		if (c->blocker)
			assert_string_equal(json_string_value(json_object_get(json_array_get(bl, 0), "rule")), c->blocker);
		check_against_kernel(c, p);
		json_decref(p);
	}
}

/* The commands for the bridge case, and the text report's lines for it. */
static void test_commands_and_text(void **state)
{
	char cmd[1024];
	int st;

	(void)state;
	json_t *p = run_plan(&cases[2], &st);
	json_t *cmds = json_object_get(p, "commands");
	assert_int_equal(json_array_size(json_object_get(cmds, "driverctl")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(cmds, "driverctl"), 0)),
			    "driverctl set-override 0000:07:02.0 vfio-pci");
	static const char *const sysfs[] = {
		"modprobe vfio-pci",
		"echo vfio-pci > /sys/bus/pci/devices/0000:07:02.0/driver_override",
		"echo 0000:07:02.0 > /sys/bus/pci/devices/0000:07:02.0/driver/unbind",
		"echo 0000:07:02.0 > /sys/bus/pci/drivers_probe",
	};
	json_t *sf = json_object_get(cmds, "sysfs");
	assert_int_equal(json_array_size(sf), 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(json_string_value(json_array_get(sf, i)), sysfs[i]);
	json_t *mu = json_object_get(p, "must_unbind");
	assert_int_equal(json_array_size(mu), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(mu, 0), "driver")), "8139cp");
	json_decref(p);

	/* The bridge on shpchp is unbound, never given to vfio-pci. */
	p = run_plan(&cases[4], &st);
	cmds = json_object_get(p, "commands");
	assert_string_equal(json_string_value(json_array_get(json_object_get(cmds, "driverctl"), 0)),
			    "driverctl set-override 0000:06:00.0 none");
	assert_string_equal(json_string_value(json_array_get(json_object_get(cmds, "sysfs"), 0)),
			    "echo none > /sys/bus/pci/devices/0000:06:00.0/driver_override");
	json_decref(p);

	snprintf(cmd, sizeof(cmd), "%s plan 07:01.0 --snapshot %s/%s/snapshot.tar.gz", IA_BIN, KKA, cases[2].run);
	char *out = ia_run_capture(cmd, &st);
	assert_int_equal(st, 0);
	static const char *const lines[] = {
		"Plan to give userspace (vfio-pci): 0000:07:01.0\n",
		/* a capture without the host-use files: the verdict says the use was not checked */
		"Verdict: feasible unless the host uses them, which could not be checked (see \"Host use\"): after the "
		"commands below the devices can be assigned\n",
		"  group 12: 0000:06:00.0 0000:07:01.0 0000:07:02.0\n",
		"  0000:07:02.0  8139cp       -> vfio-pci  bound to 8139cp, which does not set driver_managed_dma",
		"Drivers to unbind: 0000:07:02.0 (8139cp)\n",
		"May stay: 0000:06:00.0 (no driver) 0000:07:01.0 (vfio-pci)\n",
		"  driverctl set-override 0000:07:02.0 vfio-pci\n",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (!strstr(out, lines[i]))
			fail_msg("text plan lacks \"%s\":\n%s", lines[i], out);
	free(out);
}

static void test_usage(void **state)
{
	char cmd[1024];
	int st;
	char *out;

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s plan 0000:3b:00.0 --root %s 2>&1 >/dev/null", IA_BIN, case_root(&cases[0]));
	out = ia_run_capture(cmd, &st);
	assert_int_equal(st, 2);
	assert_string_equal(out, "iommu-audit plan: 0000:3b:00.0 is not a PCI function of this host\n");
	free(out);
	snprintf(cmd, sizeof(cmd), "%s plan 3b:00 --snapshot %s/%s/snapshot.tar.gz 2>&1 >/dev/null", IA_BIN, KKA,
		 cases[0].run);
	out = ia_run_capture(cmd, &st);
	assert_int_equal(st, 2);
	assert_string_equal(out, "iommu-audit plan: \"3b:00\" is not a PCI address (DDDD:BB:DD.F or BB:DD.F)\n");
	free(out);
	snprintf(cmd, sizeof(cmd), "%s plan --snapshot %s/%s/snapshot.tar.gz >/dev/null 2>&1", IA_BIN, KKA, cases[0].run);
	free(ia_run_capture(cmd, &st));
	assert_int_equal(st, 2);

	char b[IA_BDF_BUFSZ] = "unchanged";
	assert_int_equal(ia_plan_normalize_bdf("3B:1f.7", b), 0);
	assert_string_equal(b, "0000:3b:1f.7");
	assert_int_equal(ia_plan_normalize_bdf("0001:00:00.0", b), 0);
	assert_string_equal(b, "0001:00:00.0");
	assert_int_equal(ia_plan_normalize_bdf("00:20.0", b), -IA_E_FORMAT);
	assert_int_equal(ia_plan_normalize_bdf("00:00.8", b), -IA_E_FORMAT);
	assert_int_equal(ia_plan_normalize_bdf("0000:00:00.0x", b), -IA_E_FORMAT);
	assert_int_equal(ia_plan_normalize_bdf("+0:00:00.0000", b), -IA_E_FORMAT);
	assert_string_equal(b, "0001:00:00.0");
	/* an Intel VMD domain (5 digits) and a short domain are PCI addresses too (ia_bdf_parse()) */
	assert_int_equal(ia_plan_normalize_bdf("10000:E0:06.0", b), 0);
	assert_string_equal(b, "10000:e0:06.0");
	assert_int_equal(ia_plan_normalize_bdf("1:00:00.0", b), 0);
	assert_string_equal(b, "0001:00:00.0");
	/* 8 digits are the widest domain; 9 digits are no PCI address */
	assert_int_equal(ia_plan_normalize_bdf("ffffffff:00:00.0", b), 0);
	assert_string_equal(b, "ffffffff:00:00.0");
	assert_int_equal(ia_plan_normalize_bdf("100000000:00:00.0", b), -IA_E_FORMAT);
	assert_string_equal(b, "ffffffff:00:00.0");
}

/* Without an IOMMU nothing can be planned: one blocker, exit 1. */
static void test_no_iommu(void **state)
{
	struct ia_audit a = {0};
	struct ia_result r = { .paths = { { .offered = IA_YES }, { .offered = IA_YES } } }; /* both VFIO paths in the kernel */
	struct ia_dev d = {0};
	struct ia_plan *p = NULL;
	const char *bdf = "0000:00:01.0";
	char err[128];

	(void)state;
	snprintf(d.bdf, sizeof(d.bdf), "%s", bdf);
	d.driver = "virtio-pci";
	d.has_hdr = true;
	a.devs = &d, a.n_devs = 1;
	assert_int_equal(ia_plan_build(&a, &r, &bdf, 1, &p, err, sizeof(err)), 0);
	assert_false(ia_plan_feasible(p));
	assert_int_equal(p->n_blockers, 1);
	assert_string_equal(p->blockers[0].rule, "host.iommu-inactive");
	assert_int_equal(p->n_devs, 1);
	assert_int_equal(p->devs[0].action, IA_PLAN_BIND_VFIO);
	ia_plan_free(p);
	/* MSIs the IOMMU would not isolate either (the rule's error: a GICv2m frame) block the plan too;
	 * its warning (amd_iommu=off, which turning the IOMMU on lifts) does not */
	struct ia_finding f = { .rule = "platform.msi-not-isolated", .level = IA_LEVEL_ERROR };
	/* the warning's case: amd_iommu=off took AMD remapping (ia_firmware_apply_cmdline()) */
	struct ia_fw_msi amd_ir = { .kind = "amd-ir", .turned_off_by = "amd_iommu=off" };
	struct ia_firmware fw = { .msi = &amd_ir, .n_msi = 1 };
	r.findings = &f, r.n_findings = 1, r.irq_finding = 0, r.irq_isolated = IA_NO;
	r.irq_reason = "7 MSI interrupts use a non-isolating parent";
	for (int lvl = 0; lvl < 2; lvl++) {
		f.level = lvl ? IA_LEVEL_WARNING : IA_LEVEL_ERROR;
		a.firmware = lvl ? &fw : NULL;
		p = NULL;
		assert_int_equal(ia_plan_build(&a, &r, &bdf, 1, &p, err, sizeof(err)), 0);
		assert_int_equal(p->n_blockers, lvl ? 1 : 2);
		/* the warning's case (amd_iommu=off): remapping must come back with the IOMMU */
		assert_int_equal(strstr(p->blockers[0].reason, "; VFIO then also needs interrupt remapping, which "
					"amd_iommu=off turned off with the IOMMU") != NULL, lvl == 1);
		/* the commands are said to do nothing until the IOMMU is on */
		char *txt = NULL;
		size_t tl = 0;
		FILE *mf = open_memstream(&txt, &tl);
		assert_non_null(mf);
		assert_int_equal(ia_plan_text(p, mf), 0);
		fclose(mf);
		assert_non_null(strstr(txt, "(with the IOMMU off vfio-pci's probe fails, as the function has no IOMMU group"));
		free(txt);
		if (!lvl) {
			assert_string_equal(p->blockers[1].rule, "platform.msi-not-isolated");
			assert_string_equal(p->blockers[1].reason, "7 MSI interrupts use a non-isolating parent: turning the "
					    "IOMMU on does not change it, so VFIO would refuse the groups (VFIO_SET_IOMMU "
					    "fails with EPERM)");
		}
		ia_plan_free(p);
	}
	r = (struct ia_result){0};
	a.firmware = NULL;
	const char *missing = "0000:00:02.0";
	p = NULL;
	assert_int_equal(ia_plan_build(&a, &r, &missing, 1, &p, err, sizeof(err)), -ENOENT);
	assert_null(p);
	assert_string_equal(err, "0000:00:02.0 is not a PCI function of this host");
}

/* A PF whose VFs are enabled cannot go to vfio-pci (-EBUSY): the plan says so instead of printing a
 * bind command that would fail (a hand-built audit: one group, the PF alone, IOMMU and IR on). */
static void test_pf_with_vfs(void **state)
{
	struct ia_audit a = {0};
	struct ia_result r = { .paths = { { .offered = IA_YES }, { .offered = IA_YES } } }; /* both VFIO paths in the kernel */
	struct ia_group_verdict gv = {0};
	struct ia_dev d = {0};
	struct ia_group g = {0};
	struct ia_plan *p = NULL;
	const char *bdf = "0000:01:00.0";
	char *member = (char *)bdf, err[128];

	(void)state;
	snprintf(d.bdf, sizeof(d.bdf), "%s", bdf);
	d.driver = "ixgbe";
	d.has_hdr = true;
	d.has_group = true;
	d.group = 5;
	d.has_numvfs = true;
	d.numvfs = 4;
	g.id = 5;
	g.devices = &member;
	g.n_devices = 1;
	g.resv_read = g.members_read = true;
	gv.dma_ownership_viable = IA_NO;
	a.devs = &d, a.n_devs = 1;
	a.groups = &g, a.n_groups = 1, a.n_iommu_groups = 1;
	r.groups = &gv, r.n_groups = 1;
	r.irq_isolated = gv.irq_isolated = IA_YES; /* the host's and the group's (issue 12) */
	assert_int_equal(ia_plan_build(&a, &r, &bdf, 1, &p, err, sizeof(err)), 0);
	assert_int_equal(p->devs[0].action, IA_PLAN_BIND_VFIO);
	assert_false(ia_plan_feasible(p));
	bool found = false;
	for (size_t i = 0; i < p->n_blockers; i++)
		found |= !strcmp(p->blockers[i].rule, "device.vfio-pci-refuses") && strstr(p->blockers[i].reason, "4 VFs");
	assert_true(found);
	assert_int_equal(p->n_blockers, 2); /* and the unknown isolation domain (no topology model here) */
	ia_plan_free(p);
	/* the same PF with SR-IOV off: nothing in the way */
	d.numvfs = 0;
	p = NULL;
	assert_int_equal(ia_plan_build(&a, &r, &bdf, 1, &p, err, sizeof(err)), 0);
	for (size_t i = 0; i < p->n_blockers; i++)
		assert_string_not_equal(p->blockers[i].rule, "device.vfio-pci-refuses");
	/* what remains is the unknown isolation domain of a hand-built audit without a topology model */
	assert_int_equal(p->n_blockers, 1);
	assert_string_equal(p->blockers[0].rule, "isolation.p2p-domain");
	assert_true(p->blockers[0].unknown);
	ia_plan_free(p);
}

/* A driver name from a hostile capture cannot put terminal escapes into the plan's text. */
static void test_text_is_filtered(void **state)
{
	struct ia_audit a = {0};
	struct ia_result r = { .paths = { { .offered = IA_YES }, { .offered = IA_YES } } }; /* both VFIO paths in the kernel */
	struct ia_dev d = {0};
	struct ia_plan *p = NULL;
	const char *bdf = "0000:00:01.0";
	char err[128], *buf = NULL;
	size_t len = 0;

	(void)state;
	snprintf(d.bdf, sizeof(d.bdf), "%s", bdf);
	d.driver = "virtio\x1b]0;pwned\x07\x1b[2J";
	d.has_hdr = true;
	a.devs = &d, a.n_devs = 1;
	assert_int_equal(ia_plan_build(&a, &r, &bdf, 1, &p, err, sizeof(err)), 0);
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	assert_int_equal(ia_plan_text(p, m), 0);
	assert_int_equal(fclose(m), 0);
	assert_null(memchr(buf, 0x1b, len));
	assert_null(memchr(buf, 0x07, len));
	assert_non_null(strstr(buf, "virtio\\x1b]0;pwned\\x07\\x1b[2J"));   /* the one escaping (ia_text_sanitize()) */
	free(buf);
	ia_plan_free(p);
}

/* Issue 12: the plan says which VFIO path it assumes, and when that path is one the kernel lacks
 * (--vfio-path iommufd on a kernel before 6.2) it says so; the old plan named no path. */
static void test_vfio_path_named(void **state)
{
	struct ia_audit a = {0};
	struct ia_result r = { .paths = { { .offered = IA_YES }, { .offered = IA_YES } } }; /* both VFIO paths in the kernel */
	struct ia_dev d = {0};
	struct ia_plan *p = NULL;
	const char *bdf = "0000:00:01.0";
	char err[128], *buf = NULL;
	size_t len = 0;

	(void)state;
	snprintf(d.bdf, sizeof(d.bdf), "%s", bdf);
	d.has_hdr = true;
	a.devs = &d, a.n_devs = 1;
	r.path = IA_PATH_IOMMUFD;
	r.path_named = true;
	r.paths[IA_PATH_IOMMUFD].offered = IA_NO;
	r.paths[IA_PATH_IOMMUFD].why = "Linux 6.1 has no iommufd";
	setenv("COLUMNS", "1000", 1);   /* one line, whatever the caller's terminal */
	assert_int_equal(ia_plan_build(&a, &r, &bdf, 1, &p, err, sizeof(err)), 0);
	assert_string_equal(p->vfio_path, "iommufd");
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	assert_int_equal(ia_plan_text(p, m), 0);
	assert_int_equal(fclose(m), 0);
	assert_non_null(strstr(buf, "VFIO path assumed: iommufd (/dev/iommu, the VFIO device cdev), as --vfio-path "
				    "names; this kernel does NOT have it: Linux 6.1 has no iommufd\n"));
	/* and the plan does not hold: a blocker, not only a caveat (it said "feasible" under it) */
	assert_false(ia_plan_feasible(p));
	size_t k = p->n_blockers;
	for (size_t i = 0; i < p->n_blockers; i++)
		if (!strcmp(p->blockers[i].rule, "host.vfio-path"))
			k = i;
	assert_true(k < p->n_blockers);
	assert_false(p->blockers[k].unknown);
	assert_string_equal(p->blockers[k].reason, "this kernel does not have the VFIO path the plan assumes: Linux 6.1 "
			    "has no iommufd");
	free(buf);
	ia_plan_free(p);
	/* a path the kernel may lack (no configuration read, its module not loaded): an unknown
	 * blocker; a path it has: none */
	static const enum ia_tri offered[] = { IA_UNKNOWN, IA_YES };
	for (size_t t = 0; t < 2; t++) {
		r.paths[IA_PATH_IOMMUFD].offered = offered[t];
		assert_int_equal(ia_plan_build(&a, &r, &bdf, 1, &p, err, sizeof(err)), 0);
		k = p->n_blockers;
		for (size_t i = 0; i < p->n_blockers; i++)
			if (!strcmp(p->blockers[i].rule, "host.vfio-path"))
				k = i;
		if (r.paths[IA_PATH_IOMMUFD].offered == IA_YES) {
			assert_true(k == p->n_blockers);
		} else {
			assert_true(k < p->n_blockers);
			assert_true(p->blockers[k].unknown);
			assert_non_null(strstr(p->blockers[k].reason, "whether this kernel has the VFIO path the plan "
								  "assumes is unknown"));
			/* the verdict line says how many blockers are unknown rather than proven */
			buf = NULL;
			m = open_memstream(&buf, &len);
			assert_non_null(m);
			assert_int_equal(ia_plan_text(p, m), 0);
			assert_int_equal(fclose(m), 0);
			if (!strstr(buf, "that no unbinding lifts (1 of them unknown: it rests on inputs not known)\n"))
				fail_msg("verdict line:\n%s", buf);
			free(buf);
		}
		ia_plan_free(p);
	}
}

/* The BLOCKED line counts the unknown blockers (an input not known) apart from the proven ones:
 * none, one of two, two of two, one of one (the reviewer: the test recomputed the line the code's
 * way, so only one count was ever checked). */
static void test_blocked_line_counts(void **state)
{
	(void)state;
	static const struct { size_t n; bool unknown[2]; const char *tail; } tc[] = {
		{ 2, { false, false }, "lifts\n" },
		{ 2, { true, false }, "lifts (1 of them unknown: it rests on inputs not known)\n" },
		{ 2, { true, true }, "lifts (all unknown: they rest on inputs not known)\n" },
		{ 1, { true, false }, "lifts (unknown: it rests on an input not known)\n" },
	};
	for (size_t i = 0; i < sizeof(tc) / sizeof(*tc); i++) {
		struct ia_plan_blocker bl[2] = {
			{ .rule = "a", .subject = "host", .reason = "x", .unknown = tc[i].unknown[0] },
			{ .rule = "b", .subject = "host", .reason = "y", .unknown = tc[i].unknown[1] },
		};
		struct ia_plan p = { .blockers = bl, .n_blockers = tc[i].n };
		char *buf = NULL, want[160];
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		assert_non_null(m);
		assert_int_equal(ia_plan_text(&p, m), 0);
		assert_int_equal(fclose(m), 0);
		snprintf(want, sizeof(want), "\nVerdict: BLOCKED: %zu blocker%s that no unbinding %s", tc[i].n,
			 tc[i].n == 1 ? "" : "s", tc[i].tail);
		if (!strstr(buf, want))
			fail_msg("case %zu: no \"%s\" in:\n%s", i, want, buf);
		free(buf);
	}
}

/* Issue 13: the rule's device.vfio-pci-refuses blocker of the PF's group and the plan's own check
 * of the function to bind say one thing once (a hand-built audit as in test_pf_with_vfs). */
extern const struct ia_rule ia_rule_vfio_pci_refuses;

static void test_i13_pf_refusal_once(void **state)
{
	struct ia_audit a = {0};
	struct ia_result r = { .paths = { { .offered = IA_YES }, { .offered = IA_YES } } }; /* both VFIO paths in the kernel */
	struct ia_group_verdict gv = {0};
	struct ia_contrib c = { .kind = IA_CONTRIB_BLOCKER, .rule = &ia_rule_vfio_pci_refuses,
				.bdf = "0000:01:00.0", .what = "device.vfio-pci-refuses",
				.reason = "an SR-IOV PF with 4 VFs enabled: vfio-pci refuses to bind it (-EBUSY)",
				.finding = IA_NO_FINDING };
	struct ia_dev d = {0};
	struct ia_group g = {0};
	struct ia_plan *p = NULL;
	const char *bdf = "0000:01:00.0";
	char *member = (char *)bdf, err[128];
	size_t n = 0;

	(void)state;
	snprintf(d.bdf, sizeof(d.bdf), "%s", bdf);
	d.driver = "ixgbe";
	d.has_hdr = true;
	d.has_group = true;
	d.group = 5;
	d.has_numvfs = true;
	d.numvfs = 4;
	g.id = 5;
	g.devices = &member;
	g.n_devices = 1;
	g.resv_read = g.members_read = true;
	gv.dma_ownership_viable = IA_NO;
	gv.blockers = &c;
	gv.n_blockers = 1;
	a.devs = &d, a.n_devs = 1;
	a.groups = &g, a.n_groups = 1, a.n_iommu_groups = 1;
	r.groups = &gv, r.n_groups = 1;
	r.irq_isolated = gv.irq_isolated = IA_YES; /* the host's and the group's (issue 12) */
	assert_int_equal(ia_plan_build(&a, &r, &bdf, 1, &p, err, sizeof(err)), 0);
	for (size_t i = 0; i < p->n_blockers; i++)
		n += !strcmp(p->blockers[i].rule, "device.vfio-pci-refuses");
	assert_int_equal(n, 1);
	ia_plan_free(p);
}

/* Issue 13 item 7 in the plan: before v5.19 a bridge's driver and pci-stub stay by
 * vfio_dev_viable()'s allow-list, not by driver_managed_dma, which those kernels lack. */
static void test_i13_pre519_texts(void **state)
{
	struct ia_audit a = {0};
	struct ia_result r = { .paths = { { .offered = IA_YES }, { .offered = IA_YES } } }; /* both VFIO paths in the kernel */
	struct ia_group_verdict gv = {0};
	struct ia_dev d[3];
	struct ia_group g = {0};
	struct ia_plan *p = NULL;
	const char *bdf = "0000:00:1f.0";
	char *members[3] = { "0000:00:1c.0", "0000:00:1f.0", "0000:00:1f.3" }, err[128];

	(void)state;
	memset(d, 0, sizeof(d));
	for (int i = 0; i < 3; i++) {
		snprintf(d[i].bdf, sizeof(d[i].bdf), "%s", members[i]);
		d[i].has_hdr = true;
		d[i].has_group = true;
		d[i].group = 5;
	}
	d[0].hdr_type = 1;
	d[0].driver = "shpchp";
	d[1].driver = "vfio-pci";
	d[2].driver = "pci-stub";
	g.id = 5;
	g.devices = members;
	g.n_devices = 3;
	g.resv_read = g.members_read = true;
	gv.dma_ownership_viable = IA_YES;
	a.has_kernel_version = true;
	a.kernel_major = 5;
	a.kernel_minor = 10;
	a.devs = d, a.n_devs = 3;
	a.groups = &g, a.n_groups = 1, a.n_iommu_groups = 1;
	r.groups = &gv, r.n_groups = 1;
	r.irq_isolated = gv.irq_isolated = IA_YES; /* the host's and the group's (issue 12) */
	assert_int_equal(ia_plan_build(&a, &r, &bdf, 1, &p, err, sizeof(err)), 0);
	assert_int_equal(p->n_devs, 3);
	assert_string_equal(p->devs[0].reason, "a bridge on shpchp (before v5.19, vfio_dev_viable() allows any driver "
			    "on a bridge): it stays with the host (vfio-pci never binds bridges)");
	assert_string_equal(p->devs[2].reason, "pci-stub is on vfio_dev_viable()'s allow-list (before v5.19): it may "
			    "stay bound, but it shares the user's IOMMU domain and userspace can reach it peer-to-peer");
	ia_plan_free(p);
	/* a kernel the behaviour table cannot place (RHEL 9: 5.14 with backports): only what both
	 * ownership rules allow stays; the bridge on shpchp (allowed before v5.19, not after) is unbound,
	 * pci-stub (allowed by both) stays */
	a.kernel_minor = 14;
	a.kernel_backports = true;
	p = NULL;
	assert_int_equal(ia_plan_build(&a, &r, &bdf, 1, &p, err, sizeof(err)), 0);
	assert_int_equal(p->devs[0].action, IA_PLAN_UNBIND);
	assert_string_equal(p->devs[0].reason, "a bridge bound to shpchp, which does not set driver_managed_dma, so it "
			    "claims the group's DMA ownership (iommu_group_claim_dma_owner() refuses): unbind it and leave "
			    "it unbound (vfio-pci never binds bridges)");
	assert_int_equal(p->devs[2].action, IA_PLAN_KEEP);
	ia_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_commands_and_text),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_no_iommu),
		cmocka_unit_test(test_pf_with_vfs),
		cmocka_unit_test(test_text_is_filtered),
		cmocka_unit_test(test_vfio_path_named),
		cmocka_unit_test(test_blocked_line_counts),
		cmocka_unit_test(test_i13_pf_refusal_once),
		cmocka_unit_test(test_i13_pre519_texts),
	};

	char cmd[128];
	int st;

	snprintf(work, sizeof(work), "/tmp/ia-plan-XXXXXX");
	if (!mkdtemp(work))
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", work);
	free(ia_run_capture(cmd, &st));
	return rc;
}
