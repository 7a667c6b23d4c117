// SPDX-License-Identifier: GPL-2.0-or-later
// The host_use collector (collectors/host_use.c) on scratch trees: each kind of use the host makes of
// a PCI function (root disk through dm over NVMe, a partition mounted, swap, dm holders, a
// multipath NVMe namespace, default-route and addressed interfaces, the console on a PCI UART and on
// a framebuffer, the boot VGA), an unreadable mountinfo recorded as unchecked, never as "free", and
// a snapshot of the tree giving the same uses.
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/snapshot.h"
#include "collectors/collect.h"
#include "core/db.h"
#include "core/fsroot.h"
#include "core/ia_err.h"

extern const struct ia_collector ia_collector_kernel, ia_collector_pci, ia_collector_host_use;

#define PCI "sys/devices/pci0000:00"

/* One PCI function at @dir (under root/) named @bdf, of class @base_class. */
static void mk_function(const char *dir, const char *bdf, uint8_t base_class)
{
	uint8_t cfg[256] = { 0x86, 0x80, 0x1d, 0x20 };
	char rel[512], target[512];

	cfg[0x0b] = base_class;
	snprintf(rel, sizeof(rel), "root/%s/config", dir);
	ia_mk_file(rel, cfg, sizeof(cfg));
	snprintf(rel, sizeof(rel), "root/sys/bus/pci/devices/%s", bdf);
	snprintf(target, sizeof(target), "../../../../%s", dir);
	ia_mk_link(rel, target);
}

/* root/@link -> @target (relative to the link's directory, as sysfs makes them) */
static void mk_link(const char *link, const char *target)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "root/%s", link);
	ia_mk_link(rel, target);
}

static void mk_text(const char *file, const char *text)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "root/%s", file);
	ia_mk_text(rel, text);
}

/* A host that uses its functions every way the collector knows. */
static void mk_host(void)
{
	mk_text("proc/version", "Linux version 6.12.0 (x86_64) #1 SMP\n");
	mk_function(PCI "/0000:00:01.0", "0000:00:01.0", 0x06);
	mk_function(PCI "/0000:00:01.0/0000:01:00.0", "0000:01:00.0", 0x01);   /* NVMe: root on LVM */
	mk_function(PCI "/0000:00:02.0", "0000:00:02.0", 0x01);                /* virtio-blk: /boot, swap */
	mk_function(PCI "/0000:00:03.0", "0000:00:03.0", 0x02);                /* eth0: default route */
	mk_function(PCI "/0000:00:04.0", "0000:00:04.0", 0x02);                /* eth1: a connected route */
	mk_function(PCI "/0000:00:05.0", "0000:00:05.0", 0x02);                /* eth2: unused */
	mk_function(PCI "/0000:00:06.0", "0000:00:06.0", 0x03);                /* the boot display, fb0 */
	mk_function(PCI "/0000:00:07.0", "0000:00:07.0", 0x01);                /* multipath NVMe: /srv */
	mk_function(PCI "/0000:00:16.3", "0000:00:16.3", 0x07);                /* PCI UART: ttyS4 */

	/* NVMe partition 3 under dm-0 (vg0-root), mounted on / */
	mk_text(PCI "/0000:00:01.0/0000:01:00.0/nvme/nvme0/nvme0n1/dev", "259:0\n");
	mk_text(PCI "/0000:00:01.0/0000:01:00.0/nvme/nvme0/nvme0n1/nvme0n1p3/partition", "3\n");
	mk_link(PCI "/0000:00:01.0/0000:01:00.0/nvme/nvme0/nvme0n1/nvme0n1p3/holders/dm-0",
		"../../../../../../../../virtual/block/dm-0");
	mk_text("sys/devices/virtual/block/dm-0/dm/name", "vg0-root\n");
	mk_link("sys/devices/virtual/block/dm-0/slaves/nvme0n1p3",
		"../../../../pci0000:00/0000:00:01.0/0000:01:00.0/nvme/nvme0/nvme0n1/nvme0n1p3");
	mk_link("sys/dev/block/253:0", "../../devices/virtual/block/dm-0");
	mk_link("sys/class/block/dm-0", "../../devices/virtual/block/dm-0");
	mk_link("sys/class/block/nvme0n1", "../../devices/pci0000:00/0000:00:01.0/0000:01:00.0/nvme/nvme0/nvme0n1");
	mk_link("sys/class/block/nvme0n1p3",
		"../../devices/pci0000:00/0000:00:01.0/0000:01:00.0/nvme/nvme0/nvme0n1/nvme0n1p3");
	/* virtio-blk vda: vda1 on /boot (twice: a bind mount), vda2 swap */
	mk_text(PCI "/0000:00:02.0/virtio1/block/vda/vda1/partition", "1\n");
	mk_text(PCI "/0000:00:02.0/virtio1/block/vda/vda2/partition", "2\n");
	mk_link("sys/dev/block/254:1", "../../devices/pci0000:00/0000:00:02.0/virtio1/block/vda/vda1");
	mk_link("sys/class/block/vda", "../../devices/pci0000:00/0000:00:02.0/virtio1/block/vda");
	mk_link("sys/class/block/vda1", "../../devices/pci0000:00/0000:00:02.0/virtio1/block/vda/vda1");
	mk_link("sys/class/block/vda2", "../../devices/pci0000:00/0000:00:02.0/virtio1/block/vda/vda2");
	/* a multipath NVMe namespace: its controller is linked in the subsystem */
	mk_text(PCI "/0000:00:07.0/nvme/nvme1/dev", "238:1\n");
	mk_text("sys/devices/virtual/nvme-subsystem/nvme-subsys1/nvme1n1/dev", "259:5\n");
	mk_link("sys/devices/virtual/nvme-subsystem/nvme-subsys1/nvme1", "../../../pci0000:00/0000:00:07.0/nvme/nvme1");
	mk_link("sys/dev/block/259:5", "../../devices/virtual/nvme-subsystem/nvme-subsys1/nvme1n1");
	mk_text("proc/self/mountinfo",
		"21 26 0:20 / /proc rw,relatime - proc proc rw\n"
		"26 1 253:0 / / rw,relatime - ext4 /dev/mapper/vg0-root rw\n"
		"27 26 254:1 / /boot rw,relatime - ext4 /dev/vda1 rw\n"
		"28 26 254:1 / /boot rw,relatime - ext4 /dev/vda1 rw\n"
		"29 26 259:5 / /srv rw,relatime - xfs /dev/nvme1n1 rw\n"
		"30 26 7:0 / /snap/x rw,relatime - squashfs /dev/loop0 ro\n");
	mk_text("proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
			      "/dev/vda2                               partition\t1048572\t\t0\t\t-2\n"
			      "/swapfile                               file\t\t1048572\t\t0\t\t-3\n");
	/* eth0 has the default route; eth1 a connected route; eth2 nothing */
	mk_text(PCI "/0000:00:03.0/virtio0/net/eth0/ifindex", "2\n");
	mk_text(PCI "/0000:00:04.0/net/eth1/ifindex", "3\n");
	mk_text(PCI "/0000:00:05.0/net/eth2/ifindex", "4\n");
	mk_link("sys/class/net/eth0", "../../devices/pci0000:00/0000:00:03.0/virtio0/net/eth0");
	mk_link("sys/class/net/eth1", "../../devices/pci0000:00/0000:00:04.0/net/eth1");
	mk_link("sys/class/net/eth2", "../../devices/pci0000:00/0000:00:05.0/net/eth2");
	mk_text("proc/net/route",
		"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
		"eth0\t00000000\t0202000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
		"eth0\t0002000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n"
		"eth1\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
		"eth2\t0000FEA9\t00000000\t0001\t0\t0\t1000\t0000FFFF\t0\t0\t0\n");
	mk_text("proc/net/ipv6_route",
		"fe800000000000000000000000000000 40 00000000000000000000000000000000 00 "
		"00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth2\n"
		"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		"00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n");
	mk_text("proc/net/if_inet6",
		"fe80000000000000505400fffe123456 04 40 20 80     eth2\n"
		"00000000000000000000000000000001 01 80 10 80       lo\n");
	/* the console: tty0 (drawn on fb0 of the boot display) and a PCI UART */
	mk_text("sys/class/tty/console/active", "tty0 ttyS4\n");
	mk_text("proc/consoles", "tty0                 -WU (EC p  )    4:1\nttyS4                -W- (E  p a)    4:68\n");
	mk_text(PCI "/0000:00:16.3/tty/ttyS4/dev", "4:68\n");
	mk_link("sys/class/tty/ttyS4", "../../devices/pci0000:00/0000:00:16.3/tty/ttyS4");
	mk_text(PCI "/0000:00:06.0/boot_vga", "1\n");
	mk_text(PCI "/0000:00:06.0/graphics/fb0/dev", "29:0\n");
	mk_text(PCI "/0000:00:06.0/drm/card0/dev", "226:0\n");
	mk_text(PCI "/0000:00:06.0/drm/card0-HDMI-A-1/status", "connected\n");
	mk_link("sys/class/graphics/fb0", "../../devices/pci0000:00/0000:00:06.0/graphics/fb0");
	mk_link("sys/class/drm/card0", "../../devices/pci0000:00/0000:00:06.0/drm/card0");
}

/* Collect scratch/@dir into an in-memory database; the caller closes it. */
static sqlite3 *collect_dir(const char *dir)
{
	struct ia_fsroot root;
	sqlite3 *db;
	const char *err;
	struct ia_collect_opts opts = {0};
	const struct ia_collector *const list[] = { &ia_collector_kernel, &ia_collector_pci, &ia_collector_host_use };

	assert_int_equal(ia_fsroot_open(&root, ia_sp(dir)), 0);
	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	struct ia_ctx ctx = { .root = &root, .db = db, .opts = &opts };
	assert_int_equal(ia_collect_run(&ctx, list, 3), 0);
	ia_fsroot_close(&root);
	return db;
}

static sqlite3 *collect(void)
{
	return collect_dir("root");
}

/* Every host_use row as "bdf use name: detail [source]" lines, ordered. */
static char *rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	size_t cap = 8192, at = 0;
	char *out = calloc(1, cap);

	assert_non_null(out);
	assert_int_equal(ia_db_prepare(db, sql, &st), 0);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int nc = sqlite3_column_count(st);
		for (int c = 0; c < nc; c++) {
			const char *t = (const char *)sqlite3_column_text(st, c);
			at += (size_t)snprintf(out + at, cap - at, "%s%s", c ? "|" : "", t ? t : "NULL");
		}
		at += (size_t)snprintf(out + at, cap - at, "\n");
		assert_true(at < cap);
	}
	sqlite3_finalize(st);
	return out;
}

static void test_each_use(void **state)
{
	(void)state;
	assert_int_equal(ia_scratch_make("host-use"), 0);
	mk_host();
	sqlite3 *db = collect();
	char *got = rows(db, "SELECT bdf, use, name, detail, source FROM host_use ORDER BY bdf, use, name");
	assert_string_equal(got,
		"0000:00:02.0|mounted|vda|mounted on /boot|proc/self/mountinfo\n"
		"0000:00:02.0|swap|vda|swap on /dev/vda2|proc/swaps\n"
		"0000:00:03.0|addressed-nic|eth0|route to 10.0.2.0/24|proc/net/route\n"
		"0000:00:03.0|default-route-nic|eth0|default route via 10.0.2.2|proc/net/route\n"
		"0000:00:04.0|addressed-nic|eth1|route to 192.168.1.0/24|proc/net/route\n"
		"0000:00:06.0|boot-vga|card0|the firmware's boot display (boot_vga)|sys/bus/pci/devices/*/boot_vga\n"
		"0000:00:06.0|console|tty0|virtual terminal console drawn on fb0|sys/class/graphics\n"
		"0000:00:07.0|mounted|nvme1n1|mounted on /srv|proc/self/mountinfo\n"
		"0000:00:16.3|console|ttyS4|active console|sys/class/tty/console/active\n"
		"0000:01:00.0|dm-md-member|nvme0n1|nvme0n1p3 held by dm-0|sys/class/block\n"
		"0000:01:00.0|root-disk|nvme0n1|mounted on / (under dm-0 vg0-root)|proc/self/mountinfo\n");
	free(got);
	/* every file was read; none is a collection error */
	got = rows(db, "SELECT path, status FROM host_use_source WHERE status != 0 UNION ALL "
		       "SELECT subject, code FROM collection_error WHERE collector = 'host_use'");
	assert_string_equal(got, "");
	free(got);
	ia_db_close(db);
	assert_int_equal(ia_scratch_remove(), 0);
}

/* `snapshot` keeps what the collector reads: the same uses from the capture as from the tree. */
static void test_snapshot_keeps_uses(void **state)
{
	static const char q[] = "SELECT bdf, use, name, detail, source FROM host_use ORDER BY bdf, use, name";
	struct ia_fsroot root;
	struct ia_diags diags = {0};

	(void)state;
	assert_int_equal(ia_scratch_make("host-use"), 0);
	mk_host();
	assert_int_equal(ia_fsroot_open(&root, ia_sp("root")), 0);
	assert_int_equal(ia_snapshot_capture(&root, ia_sp("snap"), &diags), 0);
	ia_fsroot_close(&root);
	ia_diags_free(&diags);
	sqlite3 *db = collect(), *sdb = collect_dir("snap");
	char *want = rows(db, q), *got = rows(sdb, q);
	assert_int_equal(strlen(want) > 0, 1);
	assert_string_equal(got, want);
	free(want);
	free(got);
	got = rows(sdb, "SELECT path, status FROM host_use_source WHERE status != 0");
	assert_string_equal(got, "");
	free(got);
	ia_db_close(db);
	ia_db_close(sdb);
	assert_int_equal(ia_scratch_remove(), 0);
}

/* Virtual devices through what they are built on: md0 over two disks (its via named), a bond over
 * two interfaces (the route named with the bond), a VLAN on a port of it. */
static void test_md_and_bond(void **state)
{
	(void)state;
	assert_int_equal(ia_scratch_make("host-use"), 0);
	mk_text("proc/version", "Linux version 6.12.0 (x86_64) #1 SMP\n");
	mk_function(PCI "/0000:00:02.0", "0000:00:02.0", 0x01);
	mk_function(PCI "/0000:00:03.0", "0000:00:03.0", 0x01);
	mk_function(PCI "/0000:00:04.0", "0000:00:04.0", 0x02);
	mk_function(PCI "/0000:00:05.0", "0000:00:05.0", 0x02);
	mk_text(PCI "/0000:00:02.0/ata1/host0/target0:0:0/0:0:0:0/block/sda/sda1/partition", "1\n");
	mk_text(PCI "/0000:00:03.0/ata2/host1/target1:0:0/1:0:0:0/block/sdb/sdb1/partition", "1\n");
	mk_text("sys/devices/virtual/block/md0/md/level", "raid1\n");
	mk_link("sys/devices/virtual/block/md0/slaves/sda1",
		"../../../../pci0000:00/0000:00:02.0/ata1/host0/target0:0:0/0:0:0:0/block/sda/sda1");
	mk_link("sys/devices/virtual/block/md0/slaves/sdb1",
		"../../../../pci0000:00/0000:00:03.0/ata2/host1/target1:0:0/1:0:0:0/block/sdb/sdb1");
	mk_link("sys/dev/block/9:0", "../../devices/virtual/block/md0");
	mk_text("proc/self/mountinfo", "26 1 9:0 / /data rw,relatime - ext4 /dev/md0 rw\n");
	mk_text(PCI "/0000:00:04.0/net/eth0/ifindex", "2\n");
	mk_text(PCI "/0000:00:05.0/net/eth1/ifindex", "3\n");
	mk_text("sys/devices/virtual/net/bond0/ifindex", "4\n");
	mk_link("sys/devices/virtual/net/bond0/lower_eth0", "../../../pci0000:00/0000:00:04.0/net/eth0");
	mk_link("sys/devices/virtual/net/bond0/lower_eth1", "../../../pci0000:00/0000:00:05.0/net/eth1");
	mk_text("sys/devices/virtual/net/bond0.7/ifindex", "5\n");
	mk_link("sys/devices/virtual/net/bond0.7/lower_bond0", "../bond0");
	mk_link("sys/class/net/bond0", "../../devices/virtual/net/bond0");
	mk_link("sys/class/net/bond0.7", "../../devices/virtual/net/bond0.7");
	mk_text("proc/net/route", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
				  "bond0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
				  "bond0.7\t00070A0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
	sqlite3 *db = collect();
	char *got = rows(db, "SELECT bdf, use, name, detail FROM host_use ORDER BY bdf, use, name");
	assert_string_equal(got,
		"0000:00:02.0|mounted|sda|mounted on /data (under md0)\n"
		"0000:00:03.0|mounted|sdb|mounted on /data (under md0)\n"
		"0000:00:04.0|addressed-nic|eth0|route to 10.10.7.0/24 (through bond0.7)\n"
		"0000:00:04.0|default-route-nic|eth0|default route via 192.168.1.1 (through bond0)\n"
		"0000:00:05.0|addressed-nic|eth1|route to 10.10.7.0/24 (through bond0.7)\n"
		"0000:00:05.0|default-route-nic|eth1|default route via 192.168.1.1 (through bond0)\n");
	free(got);
	ia_db_close(db);
	assert_int_equal(ia_scratch_remove(), 0);
}

/* Many mount points of one disk: "/" first, four named, the rest counted. */
static void test_many_mounts(void **state)
{
	(void)state;
	assert_int_equal(ia_scratch_make("host-use"), 0);
	mk_text("proc/version", "Linux version 6.12.0 (x86_64) #1 SMP\n");
	mk_function(PCI "/0000:00:02.0", "0000:00:02.0", 0x01);
	mk_text(PCI "/0000:00:02.0/virtio1/block/vda/dev", "254:0\n");
	mk_link("sys/dev/block/254:0", "../../devices/pci0000:00/0000:00:02.0/virtio1/block/vda");
	mk_text("proc/self/mountinfo",
		"1 0 254:0 / /var rw - ext4 /dev/vda rw\n2 1 254:0 / /a rw - ext4 /dev/vda rw\n"
		"3 1 254:0 / /b rw - ext4 /dev/vda rw\n4 1 254:0 / / rw - ext4 /dev/vda rw\n"
		"5 1 254:0 / /c rw - ext4 /dev/vda rw\n6 1 254:0 / /d rw - ext4 /dev/vda rw\n");
	sqlite3 *db = collect();
	char *got = rows(db, "SELECT bdf, use, name, detail FROM host_use");
	assert_string_equal(got, "0000:00:02.0|root-disk|vda|mounted on /, /var, /a, /b and 2 more\n");
	free(got);
	/* this tree has no swap, routes or console files: absent, not errors */
	got = rows(db, "SELECT path, required, status FROM host_use_source WHERE status != 0 ORDER BY path");
	char want[1024];
	snprintf(want, sizeof(want),
		 "proc/consoles|1|%d\nproc/net/if_inet6|0|%d\nproc/net/ipv6_route|0|%d\nproc/net/route|1|%d\n"
		 "proc/swaps|0|%d\nsys/class/block|1|%d\nsys/class/tty/console/active|0|%d\n",
		 -ENOENT, -ENOENT, -ENOENT, -ENOENT, -ENOENT, -ENOENT, -ENOENT);
	assert_string_equal(got, want);
	free(got);
	got = rows(db, "SELECT subject FROM collection_error WHERE collector = 'host_use'");
	assert_string_equal(got, "");
	free(got);
	ia_db_close(db);
	assert_int_equal(ia_scratch_remove(), 0);
}

/* mountinfo that cannot be read: a collection error and an unchecked source, no use claimed. */
static void test_unreadable_mountinfo(void **state)
{
	(void)state;
	assert_int_equal(ia_scratch_make("host-use"), 0);
	mk_host();
	char rel[512];
	snprintf(rel, sizeof(rel), "%s", ia_sp("root/proc/self/mountinfo"));
	assert_int_equal(remove(rel), 0);
	ia_mk_dir("root/proc/self/mountinfo/");   /* read(2) of a directory: EISDIR, even as root */
	sqlite3 *db = collect();
	char *got = rows(db, "SELECT bdf, use FROM host_use WHERE source = 'proc/self/mountinfo'");
	assert_string_equal(got, "");
	free(got);
	got = rows(db, "SELECT path, shows, required, status FROM host_use_source WHERE status != 0");
	char want[256];
	snprintf(want, sizeof(want), "proc/self/mountinfo|mounted filesystems|1|%d\n", -EISDIR);
	assert_string_equal(got, want);
	free(got);
	got = rows(db, "SELECT collector, subject, message, hides FROM collection_error WHERE collector = 'host_use'");
	assert_string_equal(got, "host_use|proc/self/mountinfo|cannot read proc/self/mountinfo: Is a directory|"
				 "which PCI functions the host uses (plan cannot check them)\n");
	free(got);
	/* the other uses are still found */
	got = rows(db, "SELECT count(*) FROM host_use WHERE use IN ('swap', 'default-route-nic', 'boot-vga')");
	assert_string_equal(got, "3\n");
	free(got);
	ia_db_close(db);
	assert_int_equal(ia_scratch_remove(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_use),
		cmocka_unit_test(test_snapshot_keeps_uses),
		cmocka_unit_test(test_md_and_bond),
		cmocka_unit_test(test_many_mounts),
		cmocka_unit_test(test_unreadable_mountinfo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
