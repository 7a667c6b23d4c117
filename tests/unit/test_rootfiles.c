// SPDX-License-Identifier: GPL-2.0-or-later
// Special and hard-linked files in an audited root (issue 17, items 4 and 5): refused by the root
// reader without being read, named in a collect.unreadable finding, never in a report or snapshot.
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "capture/snapshot.h"
#include "core/diag.h"
#include "core/fsroot.h"
#include "core/ia_err.h"

/* ---- the tree: one PCI function in IOMMU group 1 ---------------------------------------------- */

#define DEV "sys/devices/pci0000:00/0000:00:01.0"
#define GRP "sys/kernel/iommu_groups/1"

/* Bytes no report or capture may ever hold: what a FIFO's writer sends, what a hard-linked
 * file from outside the tree says. */
#define FIFO_SENTINEL "FIFO_WRITER_SENTINEL"
#define LINK_SENTINEL "HARDLINK_OUTSIDE_SENTINEL"

static void build_root(void)
{
	static uint8_t cfg[256];

	cfg[0] = 0x86; cfg[1] = 0x80; cfg[2] = 0x10; cfg[3] = 0x9d; cfg[0x0b] = 0x02;
	ia_mk_text("root/proc/cmdline", "BOOT_IMAGE=/vmlinuz intel_iommu=on\n");
	ia_mk_text("root/proc/version", "Linux version 6.12.0-rootfiles (gcc) #1 SMP\n");
	ia_mk_file("root/" DEV "/config", cfg, sizeof(cfg));
	ia_mk_text("root/" DEV "/modalias", "pci:v00008086d00009D10sv00000000sd00000000bc02sc00i00\n");
	ia_mk_text("root/" DEV "/resource", "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
	ia_mk_text("root/" DEV "/driver_override", "(null)\n");
	ia_mk_link("root/" DEV "/iommu_group", "../../../kernel/iommu_groups/1");
	ia_mk_link("root/sys/bus/pci/devices/0000:00:01.0", "../../../devices/pci0000:00/0000:00:01.0");
	ia_mk_text("root/" GRP "/type", "DMA\n");
	ia_mk_text("root/" GRP "/reserved_regions", "0x00000000fee00000 0x00000000feefffff msi\n");
	ia_mk_link("root/" GRP "/devices/0000:00:01.0", "../../../../devices/pci0000:00/0000:00:01.0");
	ia_mk_text("outside/secret", LINK_SENTINEL "\n");
}

/* Replace ia_scratch/@rel by a FIFO whose pipe already holds FIFO_SENTINEL (opened read-write, so
 * neither this open nor a reader's blocks): any reader of it would get the sentinel. The
 * descriptor stays open until the test ends (returned, to close). */
static int mk_fifo_with_data(const char *rel)
{
	unlink(ia_sp(rel));
	assert_int_equal(mkfifo(ia_sp(rel), 0644), 0);
	int fd = open(ia_sp(rel), O_RDWR | O_NONBLOCK | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, FIFO_SENTINEL "\n", sizeof(FIFO_SENTINEL)), (ssize_t)sizeof(FIFO_SENTINEL));
	return fd;
}

/* Replace ia_scratch/@rel by a bound Unix socket (bound from its directory: sun_path is short). */
static int mk_socket(const char *rel)
{
	char dir[600], cwd[600];
	const char *slash = strrchr(rel, '/');
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	unlink(ia_sp(rel));
	snprintf(dir, sizeof(dir), "%s/%.*s", ia_scratch, (int)(slash - rel), rel);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", slash + 1);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(chdir(cwd), 0);
	return s;
}

/* Replace ia_scratch/@rel by a hard link to ia_scratch/outside/secret. */
static void mk_hardlink(const char *rel)
{
	unlink(ia_sp(rel));
	assert_int_equal(link(ia_sp("outside/secret"), ia_sp(rel)), 0);
}

/* Replace ia_scratch/@rel by a device node (root only): false when it cannot be made. */
static bool mk_node(const char *rel, mode_t type, unsigned maj, unsigned min)
{
	unlink(ia_sp(rel));
	return mknod(ia_sp(rel), type | 0644, makedev(maj, min)) == 0;
}

static bool file_contains(const char *path, const char *needle)
{
	size_t len = 0;
	char *s = (char *)ia_slurp(path, &len);
	bool found = s && memmem(s, len, needle, strlen(needle));
	free(s);
	return found;
}

/* True when any file below @dir (or @dir itself) contains @needle. */
static bool tree_contains(const char *dir, const char *needle)
{
	char cmd[1400];
	snprintf(cmd, sizeof(cmd), "grep -rqaF -- '%s' '%s' 2>/dev/null && echo found", needle, dir);
	char *out = ia_run_capture(cmd, NULL);
	bool found = out && strstr(out, "found");
	free(out);
	return found;
}

/* Audit ia_scratch/root into ia_scratch/report.<fmt> for JSON and text; exit status of the JSON run. */
static int audit(void)
{
	static const char *const fmts[] = { "json", "text" };
	int status = -1;

	for (size_t i = 0; i < 2; i++) {
		char cmd[1400];
		snprintf(cmd, sizeof(cmd), "timeout 60 %s --root %s --format %s --no-names --fail-on never --output %s.%s 2>%s",
			 IA_BIN, ia_sp("root"), fmts[i], ia_sp("report"), fmts[i], ia_sp("stderr.txt"));
		int st = -1;
		free(ia_run_capture(cmd, &st));
		if (i == 0)
			status = st;
	}
	return status;
}

/* The JSON report holds a collect.unreadable finding on @subject whose message holds @words. */
static void expect_finding(const char *subject, const char *words)
{
	size_t len = 0;
	char *j = (char *)ia_slurp(ia_sp("report.json"), &len);
	assert_non_null(j);
	/* one finding object: its rule, subject and message, in the writer's key order */
	char *f = j;
	bool found = false;
	while ((f = strstr(f, "\"rule\": \"collect.unreadable\""))) {
		char *end = strstr(f, "\n    }");
		size_t n = end ? (size_t)(end - f) : strlen(f);
		char subj[300];
		snprintf(subj, sizeof(subj), "\"subject\": \"%s\"", subject);
		if (memmem(f, n, subj, strlen(subj)) && memmem(f, n, words, strlen(words))) {
			found = true;
			break;
		}
		f += 10;
	}
	if (!found)
		fail_msg("no collect.unreadable finding on %s saying \"%s\"", subject, words);
	free(j);
	/* the text report says it too */
	assert_true(file_contains(ia_sp("report.text"), words));
}

static void expect_no_sentinel(void)
{
	static const char *const files[] = { "report.json", "report.text", "stderr.txt" };
	for (size_t i = 0; i < 3; i++) {
		if (file_contains(ia_sp(files[i]), FIFO_SENTINEL))
			fail_msg("%s holds the FIFO writer's bytes", files[i]);
		if (file_contains(ia_sp(files[i]), LINK_SENTINEL))
			fail_msg("%s holds the hard-linked file's bytes", files[i]);
	}
}

/* ---- the root reader itself ----------------------------------------------------------------------- */

/* Each kind of special file, read every way the root reader offers: refused with its own code,
 * nothing read into the caller's buffer. */
static void test_fsroot_refuses_special_files(void **state)
{
	struct ia_fsroot r;
	char b[256];
	char *buf = NULL;
	size_t len = 0;
	(void)state;

	build_root();
	int ffd = mk_fifo_with_data("root/" GRP "/type");
	int sfd = mk_socket("root/" GRP "/reserved_regions");
	mk_hardlink("root/" DEV "/modalias");
	bool nodes = mk_node("root/" DEV "/driver_override", S_IFCHR, 1, 5) && /* /dev/zero's numbers */
		     mk_node("root/" DEV "/resource", S_IFBLK, 7, 0);              /* loop0 */
	assert_int_equal(ia_fsroot_open(&r, ia_sp("root")), 0);
	assert_false(r.live);

	static const struct { const char *rel; int code; } cases[] = {
		{ GRP "/type", -IA_E_NOTREG_FIFO },
		{ GRP "/reserved_regions", -IA_E_NOTREG_SOCK },
		{ DEV "/modalias", -IA_E_HARDLINK },
		{ DEV "/driver_override", -IA_E_NOTREG_CHR },
		{ DEV "/resource", -IA_E_NOTREG_BLK },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (i >= 3 && !nodes)
			break;
		const char *rel = cases[i].rel;
		memset(b, 'x', sizeof(b));
		assert_int_equal(ia_fsroot_read_small(&r, rel, b, sizeof(b)), cases[i].code);
		assert_int_equal(b[0], 'x');
		assert_int_equal(ia_fsroot_read(&r, rel, 4096, &buf, &len), cases[i].code);
		assert_null(buf);
		assert_int_equal(ia_fsroot_read_prefix(&r, rel, b, sizeof(b), NULL), cases[i].code);
		assert_int_equal(b[0], 'x');
		/* through a directory handle, as the collectors read */
		char dir[300];
		snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(rel, '/') - rel), rel);
		int dfd = ia_fsroot_opendir(&r, dir);
		assert_true(dfd >= 0);
		assert_int_equal(ia_fsdir_read_small(&r, dfd, strrchr(rel, '/') + 1, b, sizeof(b)), cases[i].code);
		assert_int_equal(b[0], 'x');
		assert_int_equal(ia_fsdir_open_file(&r, dfd, strrchr(rel, '/') + 1, NULL), cases[i].code);
		close(dfd);
	}
	/* The codes' words, as findings and notes show them. */
	assert_string_equal(ia_strerror(-IA_E_NOTREG_CHR), "not a regular file: character device");
	assert_string_equal(ia_strerror(-IA_E_NOTREG_BLK), "not a regular file: block device");
	assert_string_equal(ia_strerror(-IA_E_NOTREG_FIFO), "not a regular file: FIFO");
	assert_string_equal(ia_strerror(-IA_E_NOTREG_SOCK), "not a regular file: socket");
	/* The FIFO's data is still in the pipe: nobody read it. */
	char back[64] = "";
	assert_int_equal(read(ffd, back, sizeof(back) - 1), (ssize_t)sizeof(FIFO_SENTINEL));
	assert_non_null(strstr(back, FIFO_SENTINEL));
	/* A regular file with one link reads as before. */
	assert_int_equal(ia_fsroot_read_small(&r, "proc/cmdline", b, sizeof(b)), (long)strlen("BOOT_IMAGE=/vmlinuz intel_iommu=on\n"));
	ia_fsroot_close(&r);
	close(ffd);
	close(sfd);
	if (!nodes)
		skip(); /* the FIFO, socket and hard-link cases ran; device nodes need root (mknod) */
}

/* The live root is exempt from the link count (sysfs and procfs files cannot be hard-linked; a
 * distribution's kernel configuration may be): the same hard-linked file is read there. */
static void test_fsroot_live_root_reads_hardlinks(void **state)
{
	struct ia_fsroot r;
	char b[256];
	(void)state;

	build_root();
	mk_hardlink("root/" GRP "/type");
	assert_int_equal(ia_fsroot_open(&r, ia_sp("root")), 0);
	assert_int_equal(ia_fsroot_read_small(&r, GRP "/type", b, sizeof(b)), -IA_E_HARDLINK);
	r.live = true; /* as ia_fsroot_open("/") sets it */
	assert_int_equal(ia_fsroot_read_small(&r, GRP "/type", b, sizeof(b)), (long)strlen(LINK_SENTINEL "\n"));
	ia_fsroot_close(&r);
	/* and "/" is live */
	assert_int_equal(ia_fsroot_open(&r, "/"), 0);
	assert_true(r.live);
	ia_fsroot_close(&r);
}

/* ---- end to end: the audit's reports ------------------------------------------------------------ */

/* A group's type that is a FIFO with a writer's bytes waiting: refused, named, never reported. */
static void test_audit_fifo_type(void **state)
{
	(void)state;
	build_root();
	int fd = mk_fifo_with_data("root/" GRP "/type");
	assert_int_equal(audit(), 0);
	close(fd);
	expect_finding(GRP, "cannot read type: not a regular file: FIFO");
	expect_no_sentinel();
}

/* reserved_regions a Unix socket: the group's verdict stays unknown, and the report says why. */
static void test_audit_socket_regions(void **state)
{
	(void)state;
	build_root();
	int s = mk_socket("root/" GRP "/reserved_regions");
	assert_int_equal(audit(), 0);
	close(s);
	expect_finding(GRP "/reserved_regions", "cannot read reserved_regions: not a regular file: socket");
}

/* Hard links from outside the tree: the group's type, the function's modalias and its config. */
static void test_audit_hardlinks(void **state)
{
	(void)state;
	build_root();
	mk_hardlink("root/" GRP "/type");
	mk_hardlink("root/" DEV "/modalias");
	assert_int_equal(audit(), 0);
	expect_finding(GRP, "cannot read type: hard-linked file (link count above one) in a captured tree");
	expect_finding("0000:00:01.0", "cannot read modalias: hard-linked file (link count above one) in a captured tree");
	expect_no_sentinel();
}

/* Device nodes (root only): config a character device (/dev/zero's numbers: the old reader took
 * its 4096 zero bytes for a config space), driver_override a block device. */
static void test_audit_device_nodes(void **state)
{
	(void)state;
	build_root();
	if (!mk_node("root/" DEV "/config", S_IFCHR, 1, 5) ||
	    !mk_node("root/" DEV "/driver_override", S_IFBLK, 7, 0) ||
	    !mk_node("root/" GRP "/type", S_IFCHR, 1, 3)) {
		fprintf(stderr, "skipped: mknod needs root\n");
		skip();
	}
	assert_int_equal(audit(), 0);
	expect_finding("0000:00:01.0", "config space unreadable: not a regular file: character device");
	expect_finding("0000:00:01.0", "cannot read driver_override: not a regular file: block device");
	expect_finding(GRP, "cannot read type: not a regular file: character device");
	/* the JSON finding's evidence carries the same code */
	assert_true(file_contains(ia_sp("report.json"), "collector pci, not a regular file: character device"));
}

/* ---- snapshot ---------------------------------------------------------------------------------- */

/* A capture (directory and archive) of the tree holds none of the special or hard-linked files'
 * bytes: each is left out with a note naming why. */
static void test_snapshot_leaves_special_files_out(void **state)
{
	struct ia_fsroot r;
	struct ia_diags d = {0};
	(void)state;

	build_root();
	int ffd = mk_fifo_with_data("root/" GRP "/type");
	int sfd = mk_socket("root/" GRP "/reserved_regions");
	mk_hardlink("root/" DEV "/modalias");
	bool node = mk_node("root/" DEV "/driver_override", S_IFCHR, 1, 5);
	/* dev/vfio/<group> are character devices on a host: recorded by name, as empty files */
	ia_mk_dir("root/dev/vfio");
	int vfd = mk_fifo_with_data("root/dev/vfio/7");
	assert_int_equal(ia_fsroot_open(&r, ia_sp("root")), 0);
	assert_int_equal(ia_snapshot_capture(&r, ia_sp("cap"), &d), 0);
	assert_int_equal(ia_snapshot_capture(&r, ia_sp("cap.tar"), &d), 0);
	ia_fsroot_close(&r);
	close(ffd);
	close(sfd);
	close(vfd);
	assert_true(tree_contains(ia_sp("cap"), "BOOT_IMAGE")); /* the capture did copy the tree */
	assert_false(tree_contains(ia_sp("cap"), FIFO_SENTINEL));
	assert_false(tree_contains(ia_sp("cap"), LINK_SENTINEL));
	assert_false(file_contains(ia_sp("cap.tar"), FIFO_SENTINEL));
	assert_false(file_contains(ia_sp("cap.tar"), LINK_SENTINEL));
	struct stat st;
	assert_int_not_equal(lstat(ia_sp("cap/" GRP "/type"), &st), 0);
	assert_int_not_equal(lstat(ia_sp("cap/" GRP "/reserved_regions"), &st), 0);
	assert_int_not_equal(lstat(ia_sp("cap/" DEV "/modalias"), &st), 0);
	assert_int_equal(lstat(ia_sp("cap/" DEV "/config"), &st), 0);
	assert_int_equal(lstat(ia_sp("cap/dev/vfio/7"), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 0);
	const struct ia_diag *g = ia_diags_find(&d, -IA_E_NOTREG_FIFO);
	assert_non_null(g);
	assert_non_null(strstr(g->msg, "not captured: not a regular file: FIFO"));
	assert_non_null(ia_diags_find(&d, -IA_E_NOTREG_SOCK));
	assert_non_null(ia_diags_find(&d, -IA_E_HARDLINK));
	if (node) {
		assert_int_not_equal(lstat(ia_sp("cap/" DEV "/driver_override"), &st), 0);
		assert_non_null(ia_diags_find(&d, -IA_E_NOTREG_CHR));
	}
	ia_diags_free(&d);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ia_scratch_setup_tmpdir, ia_scratch_teardown_tmpdir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fsroot_refuses_special_files),
		T(test_fsroot_live_root_reads_hardlinks),
		T(test_audit_fifo_type),
		T(test_audit_socket_regions),
		T(test_audit_hardlinks),
		T(test_audit_device_nodes),
		T(test_snapshot_leaves_special_files_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
