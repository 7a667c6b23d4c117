// SPDX-License-Identifier: GPL-2.0-or-later
// `plan` refuses to break the host (issue 14 point 2): a known-answer capture copied to a scratch
// directory with the files that show the host's use of its devices added (a root filesystem on the
// NVMe, the default route on the e1000e) is planned with the refusal's exact words and exit status
// 4, printed with --force, and a function the host does not use is planned as before; an
// unreadable mountinfo is "could not check", an old capture "not checked"; unbound members kept
// unbound are pinned with driver_override; `snapshot` keeps those files, and the README's and the
// man page's example runs on such a snapshot as shown.
#include "testutil.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "cli/plan.h"

#define KKA IA_SOURCE_DIR "/tests/fixtures/kernel-known-answers"
#define SCN_B KKA "/x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12/snapshot.tar.gz"
#define SCN_C KKA "/x86-intel-scn-c-e1000-vfio-rtl-unbound/run-6.12/snapshot.tar.gz"
#define NVME "sys/devices/pci0000:00/0000:00:02.1/0000:02:00.0/0000:03:00.0/0000:04:00.0"
#define E1000E "sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0"

static int setup(void **state)
{
	(void)state;
	return ia_scratch_make("plan-host");
}

static int teardown(void **state)
{
	(void)state;
	return ia_scratch_remove();
}

/* @cmd run in the scratch directory; stdout only (stderr into *@err when not NULL). */
static char *sh(const char *cmd, int *status, char **err)
{
	char full[4096];

	snprintf(full, sizeof(full), "cd '%s' && %s 2>%s", ia_scratch, cmd, err ? "stderr.txt" : "/dev/null");
	char *out = ia_run_capture(full, status);
	assert_non_null(out);
	if (err) {
		size_t len;
		*err = (char *)ia_slurp(ia_sp("stderr.txt"), &len);
		assert_non_null(*err);
	}
	return out;
}

/* Unpack @archive into scratch/@dir. */
static void unpack(const char *archive, const char *dir)
{
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd), "mkdir -p %s && tar -xzf %s -C %s", dir, archive, dir);
	free(sh(cmd, &st, NULL));
	assert_int_equal(st, 0);
}

static void mk(const char *dir, const char *rel, const char *text)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	ia_mk_text(p, text);
}

static void mk_link(const char *dir, const char *rel, const char *target)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	ia_mk_link(p, target);
}

/* scn-b's capture with the host's use added: / on nvme0n1p2 (0000:04:00.0), the default route on
 * eth0 (e1000e, 0000:01:00.0), a serial console on the platform's ttyS0 (no PCI function). */
static void mk_used_host(const char *dir)
{
	unpack(SCN_B, dir);
	mk(dir, NVME "/nvme/nvme0/nvme0n1/dev", "259:0\n");
	mk(dir, NVME "/nvme/nvme0/nvme0n1/nvme0n1p2/partition", "2\n");
	mk_link(dir, "sys/dev/block/259:2", "../../devices/pci0000:00/0000:00:02.1/0000:02:00.0/0000:03:00.0/0000:04:00.0"
					    "/nvme/nvme0/nvme0n1/nvme0n1p2");
	mk_link(dir, "sys/class/block/nvme0n1", "../../devices/pci0000:00/0000:00:02.1/0000:02:00.0/0000:03:00.0"
						"/0000:04:00.0/nvme/nvme0/nvme0n1");
	mk(dir, "proc/self/mountinfo", "22 1 259:2 / / rw,relatime - ext4 /dev/nvme0n1p2 rw\n"
				       "23 22 0:21 / /proc rw,relatime - proc proc rw\n");
	mk(dir, "proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	mk(dir, E1000E "/net/eth0/ifindex", "2\n");
	mk_link(dir, "sys/class/net/eth0", "../../devices/pci0000:00/0000:00:02.0/0000:01:00.0/net/eth0");
	mk(dir, "proc/net/route", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
				  "eth0\t00000000\t0202000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
				  "eth0\t0002000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n");
	mk(dir, "sys/devices/pci0000:00/0000:00:01.0/boot_vga", "1\n");   /* q35's VGA */
	mk(dir, "proc/consoles", "ttyS0                -W- (EC p a)    4:64\n");
	mk(dir, "sys/devices/pnp0/00:04/tty/ttyS0/dev", "4:64\n");
	mk_link(dir, "sys/class/tty/ttyS0", "../../devices/pnp0/00:04/tty/ttyS0");
}

/* The text from "Host use:" to the next blank line, removed from @s (in place). */
static void cut_host_use(char *s)
{
	char *h = strstr(s, "\nHost use:\n");
	assert_non_null(h);
	char *e = strstr(h + 1, "\n\n");
	assert_non_null(e);
	memmove(h, e, strlen(e) + 1);
}

static void test_refused_and_forced(void **state)
{
	int st;
	char *err;

	(void)state;
	mk_used_host("used");
	/* the NVMe holds / : refused, exit 4, no commands, one line on stderr */
	char *out = sh(IA_BIN " plan 0000:04:00.0 --root used", &st, &err);
	assert_int_equal(st, 4);
	assert_non_null(strstr(out, "\nVerdict: REFUSED: the devices could be assigned, but the host uses them "
				    "(see \"Host use\")\n"));
	assert_non_null(strstr(out, "\nHost use:\n"
				    "  0000:04:00.0 would take the host's root disk (nvme0n1, mounted on /)\n"
				    "  REFUSED: no commands are printed; make sure the host can do without them, then "
				    "--force prints the commands\n\n"));
	assert_non_null(strstr(out, "\nCommands: none printed: they would take what the host uses (see \"Host use\"); "
				    "--force prints them\n"));
	assert_null(strstr(out, "driverctl"));
	assert_null(strstr(out, "echo "));
	assert_string_equal(err, "iommu-audit plan: refused: it would take devices the host uses (see \"Host use\"); "
				 "--force prints the commands\n");
	free(out);
	free(err);
	/* --force: the warning, then the commands; the status is the plan's own */
	out = sh(IA_BIN " plan 0000:04:00.0 --root used --force", &st, &err);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "\nVerdict: feasible: after the commands below the devices can be assigned\n"));
	assert_non_null(strstr(out, "\nHost use:\n"
				    "  0000:04:00.0 would take the host's root disk (nvme0n1, mounted on /)\n"
				    "  --force: the commands below take them anyway\n\n"));
	assert_non_null(strstr(out, "\n  driverctl set-override 0000:04:00.0 vfio-pci\n"));
	assert_non_null(strstr(out, "\n  echo 0000:04:00.0 > /sys/bus/pci/devices/0000:04:00.0/driver/unbind\n"));
	assert_string_equal(err, "");
	free(out);
	free(err);
	/* the default-route interface, in JSON: refused, the use on the device, no commands */
	out = sh(IA_BIN " plan 01:00.0 --root used --format json", &st, NULL);
	assert_int_equal(st, 4);
	json_error_t je;
	json_t *j = json_loads(out, 0, &je), *d = NULL, *x;
	size_t i;
	assert_non_null(j);
	assert_true(json_is_true(json_object_get(j, "refused")));
	assert_true(json_is_false(json_object_get(j, "forced")));
	assert_true(json_is_true(json_object_get(j, "host_use_checked")));
	assert_int_equal(json_array_size(json_object_get(j, "host_use_unchecked")), 0);
	json_array_foreach(json_object_get(j, "devices"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "bdf")), "0000:01:00.0"))
			d = x;
	assert_non_null(d);
	json_t *u = json_object_get(d, "host_use");
	assert_int_equal(json_array_size(u), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(u, 0), "use")), "addressed-nic");
	assert_string_equal(json_string_value(json_object_get(json_array_get(u, 0), "detail")), "route to 10.0.2.0/24");
	assert_string_equal(json_string_value(json_object_get(json_array_get(u, 1), "use")), "default-route-nic");
	assert_string_equal(json_string_value(json_object_get(json_array_get(u, 1), "name")), "eth0");
	assert_string_equal(json_string_value(json_object_get(json_array_get(u, 1), "detail")), "default route via 10.0.2.2");
	assert_int_equal(json_array_size(json_object_get(json_object_get(j, "commands"), "driverctl")), 0);
	assert_int_equal(json_array_size(json_object_get(json_object_get(j, "commands"), "sysfs")), 0);
	json_decref(j);
	free(out);
	out = sh(IA_BIN " plan 01:00.0 --root used", &st, NULL);
	assert_int_equal(st, 4);
	assert_non_null(strstr(out, "\nHost use:\n"
				    "  0000:01:00.0 would take an interface the host has routes or addresses on "
				    "(eth0, route to 10.0.2.0/24)\n"
				    "  0000:01:00.0 would take the host's default-route interface (eth0, default route via 10.0.2.2)\n"
				    "  REFUSED: "));
	free(out);
}

/* A function the host does not use is planned as before: the same plan as on the capture without
 * the host's files, but for the "Host use" lines, which say none was found. */
static void test_unused_planned_as_before(void **state)
{
	int st, st0;

	(void)state;
	mk_used_host("used");
	unpack(SCN_B, "plain");
	char *out = sh(IA_BIN " plan 08:00.0 --root used", &st, NULL);
	char *old = sh(IA_BIN " plan 08:00.0 --root plain", &st0, NULL);
	assert_int_equal(st, 0);
	assert_int_equal(st0, 0);
	assert_non_null(strstr(out, "\nHost use:\n  none: no device the plan takes holds a mounted filesystem, swap or a "
				    "dm/md member, carries a route or an address, or is the console or the boot display\n\n"));
	/* the capture without them: not checked, never "none" */
	assert_non_null(strstr(old, "\nHost use:\n  not checked: the capture holds none of the files that show the "
				    "host's use of its devices (a capture by another tool or an older iommu-audit): whether "
				    "the host uses these devices is unknown\n\n"));
	/* and its verdict says so; the plan is otherwise the same */
	static const char unchecked[] = "Verdict: feasible unless the host uses them, which could not be checked (see "
					"\"Host use\"): after", plain[] = "Verdict: feasible: after";
	char *v = strstr(old, unchecked);
	assert_non_null(v);
	assert_non_null(strstr(out, "\nVerdict: feasible: after the commands below the devices can be assigned\n"));
	memcpy(v, plain, sizeof(plain) - 1);
	memmove(v + sizeof(plain) - 1, v + sizeof(unchecked) - 1, strlen(v + sizeof(unchecked) - 1) + 1);
	cut_host_use(out);
	cut_host_use(old);
	assert_string_equal(out, old);
	assert_non_null(strstr(out, "  driverctl set-override 0000:08:00.0 vfio-pci\n"));
	free(out);
	free(old);
}

/* mountinfo unreadable: the plan says which use it could not check, and does not refuse. */
static void test_unreadable_mountinfo(void **state)
{
	int st;

	(void)state;
	mk_used_host("used");
	assert_int_equal(remove(ia_sp("used/proc/self/mountinfo")), 0);
	ia_mk_dir("used/proc/self/mountinfo/");
	char *out = sh(IA_BIN " plan 04:00.0 --root used", &st, NULL);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "\nHost use:\n  could not check mounted filesystems (proc/self/mountinfo: Is a "
				    "directory): whether the host uses these devices so is unknown\n\n"));
	assert_null(strstr(out, "none: no device"));
	/* the verdict does not call the plan plainly feasible on an unchecked use (fail closed) */
	assert_non_null(strstr(out, "\nVerdict: feasible unless the host uses them, which could not be checked (see "
				    "\"Host use\"): after the commands below the devices can be assigned\n"));
	assert_non_null(strstr(out, "  driverctl set-override 0000:04:00.0 vfio-pci\n"));
	free(out);
	out = sh(IA_BIN " plan 04:00.0 --root used --format json", &st, NULL);
	json_error_t je;
	json_t *j = json_loads(out, 0, &je);
	assert_non_null(j);
	assert_true(json_is_false(json_object_get(j, "refused")));
	assert_true(json_is_false(json_object_get(j, "host_use_checked")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "host_use_unchecked"), 0)),
			    "mounted filesystems (proc/self/mountinfo: Is a directory)");
	json_decref(j);
	free(out);
	/* the audit says so too */
	out = sh(IA_BIN " --root used --fail-on never", &st, NULL);
	assert_non_null(strstr(out, "cannot read proc/self/mountinfo: Is a directory"));
	free(out);
}

/* An lspci dump is a host of its own: the machine running the tool does not use its functions, and
 * the plan says their use was not checked (the live host's root disk is not claimed for it). */
static void test_lspci_dump_not_checked(void **state)
{
	int st;

	(void)state;
	ia_mk_text("dump.txt", "00:02.0 SCSI storage controller: a virtio disk\n"
			       "00: f4 1a 01 10 07 05 10 00 00 00 00 01 00 00 00 00\n"
			       "10: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
			       "20: 00 00 00 00 00 00 00 00 00 00 00 00 f4 1a 02 00\n"
			       "30: 00 00 00 00 00 00 00 00 00 00 00 00 0b 01 00 00\n\n");
	char *out = sh(IA_BIN " plan 00:02.0 --lspci-dump dump.txt", &st, NULL);
	assert_int_not_equal(st, 4);
	assert_non_null(strstr(out, "\nHost use:\n  not checked: no facts of the host's own use of its devices were "
				    "collected (an lspci dump is a host of its own): whether the host uses these devices "
				    "is unknown\n\n"));
	free(out);	/* `groups` of the dump alone: no kernel state, so whether an IOMMU is active is unknown (it said
	 * "sys/kernel/iommu_groups is absent (no IOMMU active)") */
	out = sh(IA_BIN " groups --lspci-dump dump.txt", &st, NULL);
	assert_string_equal(out, "no IOMMU groups: the dumps hold no kernel state (whether an IOMMU is active, and its "
			    "groups, are unknown)\n");
	free(out);
	out = sh(IA_BIN " groups --lspci-dump dump.txt --format json", &st, NULL);
	assert_non_null(strstr(out, "\"no IOMMU groups: the dumps hold no kernel state"));
	free(out);
}

/* An unbound member kept unbound is pinned, so a later probe cannot bind a DMA-owning driver. */
static void test_pin_unbound_member(void **state)
{
	int st;

	(void)state;
	char *out = sh(IA_BIN " plan 07:01.0 --snapshot " SCN_C, &st, NULL);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "  0000:07:02.0  (none)       stays        unbound: claims no DMA ownership; it shares "
				    "the user's IOMMU domain and must stay unbound (a kernel driver probing it later makes "
				    "the group not viable): the commands pin it to vfio-pci with driver_override\n"));
	assert_non_null(strstr(out, "  # persistent across reboots, with driverctl(8):\n"
				    "  driverctl set-override 0000:07:02.0 vfio-pci\n"
				    "  # or until the next boot, through sysfs (as root):\n"
				    "  echo vfio-pci > /sys/bus/pci/devices/0000:07:02.0/driver_override\n"));
	/* the unbound bridge is not pinned (vfio-pci never binds bridges; pcieport may) */
	assert_null(strstr(out, "0000:06:00.0/driver_override"));
	free(out);
}

/* An arm64 kernel before 6.15 forms a function's group when a driver probes it: on the IORT capture
 * with 08:00.1 unbound and out of group 8 (its multifunction sibling 08:00.0 stays there, on
 * vfio-pci), binding vfio-pci puts it in group 8 (pci_device_group(): no ACS on the slot), so the
 * plan takes group 8 and is feasible; the host bridge 00:00.0 would form a group of its own. Before,
 * "no group yet" was a blocker "no unbinding lifts" beside the commands that lift it. */
static void test_group_formed_at_probe(void **state)
{
	(void)state;
	int st;
	unpack(KKA "/arm-acpi-its-smmuv3/run-6.12/snapshot.tar.gz", "r");
	free(sh("cd r && D=sys/devices/pci0000:00/0000:00:02.3/0000:08:00.1 && rm -f $D/driver $D/iommu_group "
		"sys/kernel/iommu_groups/8/devices/0000:08:00.1 sys/bus/pci/drivers/vfio-pci/0000:08:00.1", &st, NULL));
	assert_int_equal(st, 0);
	char *out = sh(IA_BIN " plan 08:00.1 --root r --format json", &st, NULL);
	assert_int_equal(st, 0);
	json_error_t je;
	json_t *p = json_loads(out, 0, &je);
	assert_non_null(p);
	assert_true(json_is_true(json_object_get(p, "feasible")));
	json_t *g = json_object_get(p, "groups");
	assert_int_equal(json_array_size(g), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(g, 0), "id")), 8);
	assert_int_equal(json_array_size(json_object_get(p, "blockers")), 0);
	json_t *n = json_object_get(p, "notes");
	assert_int_equal(json_array_size(n), 1);
	assert_non_null(strstr(json_string_value(json_array_get(n, 0)), "0000:08:00.1 has no IOMMU group yet: this kernel "
			       "forms a function's group when a driver probes it"));
	assert_non_null(strstr(json_string_value(json_array_get(n, 0)), "pci_device_group() puts it in group 8, which "
			       "the plan takes whole"));
	json_decref(p);
	free(out);
	out = sh(IA_BIN " plan 00:00.0 --root r", &st, NULL);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "\nGroups vfio-pci would form:\n  0000:00:00.0 has no IOMMU group yet"));
	assert_non_null(strstr(out, "pci_device_group() puts it alone\n"));
	assert_null(strstr(out, "Blockers"));
	free(out);
	/* 7.3 groups at enumeration: a function with no group there has none for another reason */
	free(sh("cd r && sed -i '1s/^Linux version [^ ]*/Linux version 6.15.0/; 1s/ Debian [0-9][^ ]* / /' proc/version",
		&st, NULL));
	assert_int_equal(st, 0);
	out = sh(IA_BIN " plan 08:00.1 --root r", &st, NULL);
	assert_int_equal(st, 1);
	assert_null(strstr(out, "Groups vfio-pci would form"));
	assert_non_null(strstr(out, "[plan.no-group]"));
	free(out);
}

/* The plan of @bdf on a hand-built audit (no IOMMU: only the requested device), as text. */
static char *plan_text(const struct ia_audit *a, const char *bdf, bool force, struct ia_plan **out)
{
	struct ia_result r = { .paths = { { .offered = IA_YES }, { .offered = IA_YES } } }; /* both VFIO paths in the kernel */
	char err[128], *buf = NULL;
	size_t len = 0;

	assert_int_equal(ia_plan_build(a, &r, &bdf, 1, out, err, sizeof(err)), 0);
	(*out)->forced = force;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(ia_plan_text(*out, f), 0);
	fclose(f);
	return buf;
}

/* In memory: only a device the plan takes (unbinds or binds to vfio-pci) is refused; one already
 * on vfio-pci is not; a source unreadable on a live host, or absent where every host has it, is
 * "could not check"; an optional one absent (no IPv6) is not. */
static void test_plan_build_host_use(void **state)
{
	struct ia_audit a = {0};
	struct ia_dev d[2] = {0};
	struct ia_host_use u[2] = {
		{ "0000:00:01.0", "root-disk", "vda", "mounted on /", "proc/self/mountinfo" },
		{ "0000:00:02.0", "default-route-nic", "eth0", "default route via 10.0.2.2", "proc/net/route" },
	};
	struct ia_host_use_source src[3] = {
		{ "proc/net/ipv6_route", "IPv6 default routes", false, -ENOENT },
		{ "proc/net/route", "IPv4 routes", true, -ENOENT },
		{ "proc/self/mountinfo", "mounted filesystems", true, -EACCES },
	};
	struct ia_plan *p = NULL;

	(void)state;
	snprintf(d[0].bdf, sizeof(d[0].bdf), "0000:00:01.0");
	d[0].driver = "virtio-pci";
	d[0].has_hdr = true;
	snprintf(d[1].bdf, sizeof(d[1].bdf), "0000:00:02.0");
	d[1].driver = "vfio-pci";
	d[1].has_hdr = true;
	a.devs = d, a.n_devs = 2;
	a.host_use = u, a.n_host_use = 2;
	a.live = true;
	char *t = plan_text(&a, "0000:00:01.0", false, &p);
	assert_true(p->refused);
	assert_int_equal(p->devs[0].n_uses, 1);
	assert_ptr_equal(p->devs[0].uses[0], &u[0]);
	assert_non_null(strstr(t, "\nHost use:\n  0000:00:01.0 would take the host's root disk (vda, mounted on /)\n"
				  "  REFUSED: "));
	assert_non_null(strstr(t, "  not checked: no facts of the host's own use of its devices were collected"));
	assert_null(strstr(t, "driverctl"));
	ia_plan_free(p);
	free(t);
	t = plan_text(&a, "0000:00:01.0", true, &p);
	assert_non_null(strstr(t, "  --force: the commands below take them anyway\n"));
	assert_non_null(strstr(t, "  driverctl set-override 0000:00:01.0 vfio-pci\n"));
	ia_plan_free(p);
	free(t);
	/* already on vfio-pci: the plan takes nothing from the host */
	a.host_use_sources = src, a.n_host_use_sources = 3;
	t = plan_text(&a, "0000:00:02.0", false, &p);
	assert_false(p->refused);
	assert_int_equal(p->devs[0].n_uses, 1);
	assert_string_equal(strstr(t, "\nHost use:\n"),
			    "\nHost use:\n"
			    "  could not check IPv4 routes (proc/net/route: absent): whether the host uses these devices so is unknown\n"
			    "  could not check mounted filesystems (proc/self/mountinfo: Permission denied): whether the host "
			    "uses these devices so is unknown\n"
			    "\nDevices:\n  0000:00:02.0  vfio-pci     stays        already on vfio-pci\n"
			    "\nDrivers to unbind: none\nMay stay: 0000:00:02.0 (vfio-pci)\n"
			    "\nBlockers (no unbinding lifts them):\n"
			    "  host [host.iommu-inactive]: no IOMMU is active (no IOMMU groups): nothing can be given to "
			    "userspace with DMA isolation\n"
			    "\nCommands (printed only: iommu-audit never runs them; they do not lift the blockers above):\n"
			    "  none: every device is already where the plan needs it\n");
	ia_plan_free(p);
	free(t);
}

/* The README's and the man page's example: the command, the lines it prints, its exit status. */
static void test_documented_example(void **state)
{
	static const char cmd[] = "iommu-audit plan 0000:04:00.0 --snapshot host.tar.gz";
	static const char *const lines[] = {
		"Plan to give userspace (vfio-pci): 0000:04:00.0",
		"Verdict: REFUSED: the devices could be assigned, but the host uses them (see \"Host use\")",
		"Host use:",
		"  0000:04:00.0 would take the host's root disk (nvme0n1, mounted on /)",
		"  REFUSED: no commands are printed; make sure the host can do without them, then --force prints the commands",
		"Commands: none printed: they would take what the host uses (see \"Host use\"); --force prints them",
	};
	size_t len;
	char *readme = (char *)ia_slurp(IA_SOURCE_DIR "/README.md", &len);
	char *man = (char *)ia_slurp(IA_SOURCE_DIR "/man/iommu-audit.8", &len);
	char run[1024];
	int st;

	(void)state;
	assert_non_null(readme);
	assert_non_null(man);
	mk_used_host("host");
	/* captured by snapshot: it keeps the files that show the host's use */
	free(sh(IA_BIN " snapshot --root host --output host.tar.gz", &st, NULL));
	assert_int_equal(st, 0);
	snprintf(run, sizeof(run), "%s%s", IA_BIN, cmd + strlen("iommu-audit"));
	char *out = sh(run, &st, NULL);
	assert_int_equal(st, 4);
	if (!strstr(readme, cmd) || !strstr(readme, "exit status 4"))
		fail_msg("README.md does not show `%s` and its exit status 4", cmd);
	if (!ia_man_shows(man, cmd))
		fail_msg("man/iommu-audit.8 does not show `%s`", cmd);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char want[512];
		snprintf(want, sizeof(want), "%s\n", lines[i]);
		if (!strstr(out, want))
			fail_msg("`%s` does not print \"%s\":\n%s", cmd, lines[i], out);
		snprintf(want, sizeof(want), "    %s\n", lines[i]);
		if (!strstr(readme, want))
			fail_msg("README.md does not show the line \"%s\"", lines[i]);
		if (!ia_man_shows(man, lines[i]))
			fail_msg("man/iommu-audit.8 does not show the line \"%s\"", lines[i]);
	}
	free(out);
	/* and --force prints the commands */
	snprintf(run, sizeof(run), "%s%s --force", IA_BIN, cmd + strlen("iommu-audit"));
	out = sh(run, &st, NULL);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "  driverctl set-override 0000:04:00.0 vfio-pci\n"));
	free(out);
	if (!strstr(readme, "iommu-audit plan 0000:04:00.0 --snapshot host.tar.gz --force"))
		fail_msg("README.md does not show --force");
	free(readme);
	free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_build_host_use),
		cmocka_unit_test_setup_teardown(test_refused_and_forced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unused_planned_as_before, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_mountinfo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pin_unbound_member, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lspci_dump_not_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_documented_example, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_formed_at_probe, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
