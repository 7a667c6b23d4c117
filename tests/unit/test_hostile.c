// SPDX-License-Identifier: GPL-2.0-or-later
// Hostile inputs end to end: a captured tree whose links lead outside, archives that try to escape or
// to reach other parsers, archive limits, and firmware tables built to make decoders quadratic.
#include "testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <errno.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "decode/fdt.h"
#include "decode/ivrs.h"
#include "core/fsroot.h"
#include "core/ia_err.h"
#include "core/text.h"
#include "capture/snapshot.h"
#include "core/memtree.h"

/* Each test runs in its own scratch directory with $TMPDIR inside it (ia_scratch_setup_tmpdir()). */

/* True when the file at @path (or any file below it, for a directory) contains @needle. */
static bool tree_contains(const char *path, const char *needle)
{
	char cmd[2048];
	int status = -1;

	snprintf(cmd, sizeof(cmd), "grep -rqF -- '%s' '%s' 2>/dev/null && echo found", needle, path);
	char *out = ia_run_capture(cmd, &status);
	bool found = out && strstr(out, "found");
	free(out);
	return found;
}

static bool dir_is_empty(const char *dir)
{
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), "ls -A '%s'", dir);
	char *out = ia_run_capture(cmd, NULL);
	bool empty = out && out[0] == '\0';
	free(out);
	return empty;
}

/* ---- a captured tree whose links all lead out of it ------------------------------------------ */

/*
 * ia_scratch/outside/ holds a complete, valid-looking PCI device (vendor 0xbeef) and firmware table
 * that must never be read; ia_scratch/root/ is the captured tree, one real device plus links to
 * outside by ".." chains, absolute links and links to /etc and /proc/self.
 */
#define REAL_DEV "sys/devices/pci0000:00/0000:00:01.0"

static void build_escaping_root(void)
{
	static uint8_t cfg[64], evil[64];

	cfg[0] = 0x86; cfg[1] = 0x80; cfg[2] = 0x10; cfg[3] = 0x9d; cfg[0x0a] = 0x00; cfg[0x0b] = 0x02;
	evil[0] = 0xef; evil[1] = 0xbe; evil[2] = 0xad; evil[3] = 0xde;
	ia_mk_file("outside/dev/config", evil, sizeof(evil));
	ia_mk_text("outside/dev/vendor", "0xbeef\n");
	ia_mk_text("outside/dev/device", "0xdead\n");
	ia_mk_text("outside/dev/class", "0x020000\n");
	ia_mk_text("outside/cmdline", "OUTSIDE_SENTINEL_CMDLINE\n");
	ia_mk_text("outside/DMAR", "DMAR-OUTSIDE-SENTINEL");

	ia_mk_text("root/proc/cmdline", "BOOT_IMAGE=/vmlinuz quiet\n");
	ia_mk_text("root/proc/version", "Linux version 6.1.0-hostile (gcc) #1 SMP\n");
	ia_mk_file("root/" REAL_DEV "/config", cfg, sizeof(cfg));
	ia_mk_text("root/" REAL_DEV "/vendor", "0x8086\n");
	ia_mk_text("root/" REAL_DEV "/device", "0x9d10\n");
	ia_mk_text("root/" REAL_DEV "/class", "0x020000\n");
	ia_mk_link("root/sys/bus/pci/devices/0000:00:01.0", "../../../devices/pci0000:00/0000:00:01.0");
	/* Escapes: a device that is the outside directory by a ".." chain, one by an absolute link
	 * to the ia_scratch copy, one to /etc, one to /proc/self; a group type and firmware table that
	 * are links out; and the real device's iommu_group climbing far above the root. */
	ia_mk_link("root/sys/bus/pci/devices/0000:00:02.0", "../../../../../../../../../../outside/dev");
	char abs[600];
	snprintf(abs, sizeof(abs), "%s/outside/dev", ia_scratch);
	ia_mk_link("root/sys/bus/pci/devices/0000:00:03.0", abs);
	ia_mk_link("root/sys/bus/pci/devices/0000:00:04.0", "/etc");
	ia_mk_link("root/sys/bus/pci/devices/0000:00:05.0", "/proc/self");
	ia_mk_link("root/" REAL_DEV "/iommu_group", "../../../../../../../../outside");
	ia_mk_link("root/sys/firmware/acpi/tables/DMAR", "../../../../../outside/DMAR");
	ia_mk_link("root/sys/kernel/iommu_groups/1/type", "/etc/passwd");
	ia_mk_link("root/sys/kernel/iommu_groups/1/devices/0000:00:01.0", "../../../../../../outside/dev");
}

/* The audit of the tree sees its one real device and nothing from outside it. */
static void test_audit_of_escaping_tree(void **state)
{
	char cmd[1400];
	int status = -1;
	(void)state;

	build_escaping_root();
	snprintf(cmd, sizeof(cmd), "%s --root %s --format json --no-names --fail-on never --output %s 2>%s",
		 IA_BIN, ia_sp("root"), ia_sp("report.json"), ia_sp("stderr.txt"));
	free(ia_run_capture(cmd, &status));
	if (status != 0)
		fail_msg("audit of the hostile tree: exit %d (want 0)", status);
	size_t len = 0;
	char *json = (char *)ia_slurp(ia_sp("report.json"), &len);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"0000:00:01.0\""));
	assert_non_null(strstr(json, "\"8086\"") ? strstr(json, "\"8086\"") : strstr(json, "0x8086"));
	static const char *const never[] = { "beef", "dead", "OUTSIDE_SENTINEL", "root:x:0:0" };
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (strstr(json, never[i]))
			fail_msg("the report holds \"%s\" from outside the root", never[i]);
	free(json);
}

/* A capture of the same tree copies nothing from outside and writes only under its output. */
static void test_capture_of_escaping_tree(void **state)
{
	struct ia_fsroot r;
	struct ia_diags d = {0};
	(void)state;

	build_escaping_root();
	assert_int_equal(ia_fsroot_open(&r, ia_sp("root")), 0);
	assert_int_equal(ia_snapshot_capture(&r, ia_sp("cap"), &d), 0);
	assert_int_equal(ia_snapshot_capture(&r, ia_sp("cap.tar.gz"), &d), 0);
	ia_fsroot_close(&r);
	assert_true(tree_contains(ia_sp("cap"), "BOOT_IMAGE")); /* the capture did copy the tree */
	assert_false(tree_contains(ia_sp("cap"), "OUTSIDE_SENTINEL"));
	assert_false(tree_contains(ia_sp("cap"), "DMAR-OUTSIDE"));
	assert_false(tree_contains(ia_sp("cap"), "root:x:0:0"));
	/* Every escaping link was left out with a diagnostic, none copied as a link. */
	struct stat st;
	assert_int_not_equal(lstat(ia_sp("cap/sys/bus/pci/devices/0000:00:02.0"), &st), 0);
	assert_int_not_equal(lstat(ia_sp("cap/sys/bus/pci/devices/0000:00:04.0"), &st), 0);
	assert_non_null(ia_diags_find(&d, -IA_E_ESCAPE));
	/* The archive unpacks (the unpacker refuses escaping links: there are none) and holds no
	 * outside bytes either. */
	char *dir = NULL;
	struct ia_diags ud = {0};
	assert_int_equal(ia_snapshot_unpack(ia_sp("cap.tar.gz"), &dir, &ud), 0);
	assert_false(tree_contains(dir, "OUTSIDE_SENTINEL"));
	ia_snapshot_remove(dir);
	free(dir);
	/* Nothing beside the outputs: ia_scratch holds only what the test made. */
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | tr '\\n' ' '", ia_scratch);
	char *ls = ia_run_capture(cmd, NULL);
	assert_non_null(ls);
	assert_string_equal(ls, "cap cap.tar.gz outside root tmp ");
	free(ls);
	assert_true(dir_is_empty(ia_sp("tmp")));
	ia_diags_free(&d);
	ia_diags_free(&ud);
}

/* ---- archives --------------------------------------------------------------------------------- */

enum mkind { MF, MD, ML };
struct mem {
	enum mkind kind;
	const char *name;
	const char *data;       /* file bytes or link target */
};

typedef int (*set_format_fn)(struct archive *);

/* Write @m as an archive in the format @set_format selects, gzip'd when @gz. */
static void write_arc(const char *path, set_format_fn set_format, bool gz, const struct mem *m, size_t n)
{
	struct archive *a = archive_write_new();

	assert_non_null(a);
	if (gz)
		archive_write_add_filter_gzip(a);
	assert_int_equal(set_format(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_mtime(e, 1700000000, 0);
		archive_entry_set_filetype(e, m[i].kind == MF ? AE_IFREG : m[i].kind == MD ? AE_IFDIR : AE_IFLNK);
		archive_entry_set_perm(e, m[i].kind == ML ? 0777 : 0755);
		if (m[i].kind == ML)
			archive_entry_set_symlink(e, m[i].data);
		archive_entry_set_size(e, m[i].kind == MF ? (la_int64_t)strlen(m[i].data) : 0);
		if (archive_write_header(a, e) != ARCHIVE_OK)
			fail_msg("%s: member %s: %s", path, m[i].name, archive_error_string(a));
		if (m[i].kind == MF && m[i].data[0])
			archive_write_data(a, m[i].data, strlen(m[i].data));
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}


/* Trees @a and @b hold the same entries below @rel: names, kinds, link texts and bytes. */
static void same_tree(const struct ia_fsroot *a, const struct ia_fsroot *b, const char *rel)
{
	char **na = NULL, **nb = NULL;
	size_t ca = 0, cb = 0;
	int ra = ia_fsroot_list(a, rel, &na, &ca), rb = ia_fsroot_list(b, rel, &nb, &cb);

	if (ra != rb || ca != cb)
		fail_msg("\"%s\": disk lists %d (%zu names), memory %d (%zu)", rel, ra, ca, rb, cb);
	for (size_t i = 0; i < ca; i++) {
		char p[4200], ta[4096], tb[4096];
		assert_string_equal(na[i], nb[i]);
		snprintf(p, sizeof(p), "%s%s%s", rel, *rel ? "/" : "", na[i]);
		long la = ia_fsroot_readlink(a, p, ta, sizeof(ta)), lb = ia_fsroot_readlink(b, p, tb, sizeof(tb));
		if (la != lb || (la >= 0 && strcmp(ta, tb)))
			fail_msg("\"%s\": disk readlink %ld, memory %ld", p, la, lb);
		if (la >= 0)
			continue;
		char *ba = NULL, *bb = NULL;
		size_t za = 0, zb = 0;
		ra = ia_fsroot_read(a, p, 1u << 20, &ba, &za);
		rb = ia_fsroot_read(b, p, 1u << 20, &bb, &zb);
		if (ra != rb || za != zb || (ra == 0 && memcmp(ba, bb, za)))
			fail_msg("\"%s\": disk read %d (%zu bytes), memory %d (%zu)", p, ra, za, rb, zb);
		free(ba);
		free(bb);
		if (ra == -EISDIR)
			same_tree(a, b, p);
	}
	ia_fsroot_list_free(na, ca);
	ia_fsroot_list_free(nb, cb);
}

/*
 * Archive @arc unpacked to disk (ia_snapshot_unpack_limited()) and loaded into memory
 * (ia_snapshot_load(), issue 18 item 3): the same return, the same diagnostic code and, when
 * accepted, the same tree. Returns the return code; nothing is left unpacked.
 */
static int load_both(const char *arc, const struct ia_snapshot_limits *lim)
{
	static const struct ia_snapshot_limits deflim = { IA_SNAPSHOT_MAX_BYTES, IA_SNAPSHOT_MAX_ENTRIES };
	char *dir = NULL;
	struct ia_memtree *t = NULL;
	struct ia_diags dd = {0}, dm = {0};

	if (!lim)
		lim = &deflim;
	int rd = ia_snapshot_unpack_limited(arc, lim, &dir, &dd);
	int rm = ia_snapshot_load(arc, lim, IA_SNAPSHOT_MEM_BUDGET, NULL, &t, &dm);
	if (rd != rm)
		fail_msg("%s: unpacked %d (%s), loaded %d (%s: %s)", arc, rd, dd.n ? dd.v[0].msg : "", rm,
			 ia_strerror(rm), dm.n ? dm.v[0].msg : "");
	if (rd < 0) {
		assert_null(dir);
		assert_null(t);
		assert_int_equal(dd.n, dm.n);
		assert_int_equal(dd.v[0].code, dm.v[0].code);
	} else {
		struct ia_fsroot a, b;
		assert_int_equal(ia_fsroot_open(&a, dir), 0);
		assert_int_equal(ia_fsroot_open_mem(&b, t, arc), 0);
		same_tree(&a, &b, "");
		ia_fsroot_close(&a);
		ia_fsroot_close(&b);
		ia_snapshot_remove(dir);
		free(dir);
	}
	ia_diags_free(&dd);
	ia_diags_free(&dm);
	return rd;
}

/* A member whose bytes stop short (the archive cut inside it): unpacking and loading both refuse
 * the archive and name the member, nothing is left behind (snap_member_data()). */
static void test_archive_truncated_member(void **state)
{
	static const struct ia_snapshot_limits lim = { IA_SNAPSHOT_MAX_BYTES, IA_SNAPSHOT_MAX_ENTRIES };
	char big[3000];
	(void)state;

	memset(big, 'x', sizeof(big));
	struct archive *a = archive_write_new();
	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, ia_sp("cut.tar")), ARCHIVE_OK);
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, "proc/cmdline");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, sizeof(big));
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	assert_int_equal(archive_write_data(a, big, sizeof(big)), (la_ssize_t)sizeof(big));
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
	assert_int_equal(truncate(ia_sp("cut.tar"), 512 + 1000), 0); /* the header, then 1,000 of 3,000 bytes */

	char *dir = NULL;
	struct ia_memtree *t = NULL;
	struct ia_diags dd = {0}, dm = {0};
	assert_int_equal(ia_snapshot_unpack_limited(ia_sp("cut.tar"), &lim, &dir, &dd), -IA_E_ARCHIVE);
	assert_int_equal(ia_snapshot_load(ia_sp("cut.tar"), &lim, IA_SNAPSHOT_MEM_BUDGET, NULL, &t, &dm), -IA_E_ARCHIVE);
	assert_null(dir);
	assert_null(t);
	assert_int_equal(dd.n, 1);
	assert_int_equal(dm.n, 1);
	assert_non_null(strstr(dd.v[0].msg, "member \"proc/cmdline\" is truncated"));
	assert_string_equal(dm.v[0].msg, dd.v[0].msg);
	ia_diags_free(&dd);
	ia_diags_free(&dm);
}

/* Member names that reach outside by spelling ".." differently, links that leave by a detour. */
static void test_archive_escape_spellings(void **state)
{
	static const struct { const char *name; struct mem m[3]; size_t n; } cases[] = {
		{ "dot-then-dotdot", { { MF, "./../x", "pwned" } }, 1 },
		{ "dotdot-mid-path", { { MD, "a/", "" }, { MF, "a/./../../x", "pwned" } }, 2 },
		{ "double-slashes", { { MF, "a//..//..//x", "pwned" } }, 1 },
		{ "trailing-dotdot", { { MD, "a/..", "" } }, 1 },
		{ "absolute-dir", { { MD, "/tmp/ia-hostile-abs/", "" } }, 1 },
		{ "link-to-dotdot", { { ML, "up", ".." } }, 1 },
		{ "link-to-proc", { { ML, "self", "/proc/self/root" } }, 1 },
		{ "link-down-then-up", { { MD, "a/", "" }, { ML, "a/l", "b/../../../x" } }, 2 },
		{ "write-through-dotdot-link", { { ML, "l", "." }, { MF, "l/../x", "pwned" } }, 2 },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char arc[600], *dir = NULL;
		struct ia_diags d = {0};

		snprintf(arc, sizeof(arc), "%s/%s.tar.gz", ia_scratch, cases[i].name);
		write_arc(arc, archive_write_set_format_pax_restricted, true, cases[i].m, cases[i].n);
		int rc = ia_snapshot_unpack(arc, &dir, &d);
		if (rc != -IA_E_ARCHIVE || dir)
			fail_msg("case %s: rc %d (%s), want -IA_E_ARCHIVE", cases[i].name, rc, ia_strerror(rc));
		assert_non_null(ia_diags_find(&d, -IA_E_ARCHIVE));
		assert_true(dir_is_empty(ia_sp("tmp")));
		struct stat st;
		assert_int_not_equal(lstat(ia_sp("x"), &st), 0);
		assert_int_not_equal(lstat("/tmp/ia-hostile-abs", &st), 0);
		ia_diags_free(&d);
		assert_int_equal(load_both(arc, NULL), -IA_E_ARCHIVE); /* refused from memory alike */
	}
}

/*
 * Names given twice, members below a link or a file, implicit and repeated directories, "./"
 * spellings: the in-memory loader takes or refuses each archive exactly as the unpacker does, and
 * what it takes is the same tree (issue 18 item 3: the same refusal of unsafe members).
 */
static void test_archive_memory_same_as_disk(void **state)
{
	static const struct { const char *name; struct mem m[4]; size_t n; int rc; } cases[] = {
		{ "file-twice", { { MF, "a", "one" }, { MF, "a", "two" } }, 2, -IA_E_ARCHIVE },
		{ "dir-twice", { { MD, "d/", "" }, { MF, "d/f", "x" }, { MD, "d/", "" } }, 3, 0 },
		{ "dir-over-file", { { MF, "a", "one" }, { MD, "a/", "" } }, 2, 0 },
		{ "file-over-dir", { { MD, "a/", "" }, { MF, "a", "one" } }, 2, -IA_E_ARCHIVE },
		{ "file-over-implicit-dir", { { MF, "a/b", "x" }, { MF, "a", "one" } }, 2, -IA_E_ARCHIVE },
		{ "below-a-file", { { MF, "a", "one" }, { MF, "a/b", "two" } }, 2, -IA_E_ARCHIVE },
		{ "link-over-file", { { MF, "a", "one" }, { ML, "a", "b" } }, 2, 0 },
		{ "file-over-link", { { ML, "a", "b" }, { MF, "a", "one" } }, 2, 0 },
		{ "link-twice", { { ML, "a", "b" }, { ML, "a", "c" } }, 2, 0 },
		{ "through-a-link", { { MD, "d/", "" }, { ML, "l", "d" }, { MF, "l/f", "x" } }, 3, -IA_E_ARCHIVE },
		{ "through-a-dangling-link", { { ML, "l", "d" }, { MF, "l/f", "x" } }, 2, -IA_E_ARCHIVE },
		{ "dir-over-link-to-dir", { { MD, "d/", "" }, { ML, "l", "d" }, { MD, "l/", "" } }, 3, 0 },
		{ "dot-slash-names", { { MD, "./", "" }, { MF, "./a", "x" }, { MF, "b/./c", "y" }, { MF, "e//f", "z" } }, 4, 0 },
		{ "same-file-two-spellings", { { MF, "a/b", "x" }, { MF, "./a//b", "y" } }, 2, -IA_E_ARCHIVE },
		{ "empty-file-and-dirs", { { MF, "e", "" }, { MD, "x/y/z/", "" }, { ML, "x/l", "../e" } }, 3, 0 },
		{ "empty-file-twice", { { MF, "a", "one" }, { MF, "a", "" } }, 2, 0 },
		{ "empty-file-over-dir", { { MD, "a/", "" }, { MF, "a", "" }, { MF, "a/b", "x" } }, 3, 0 },
		{ "link-over-dir", { { MD, "a/", "" }, { ML, "a", "b" }, { MF, "a/c", "x" } }, 3, 0 },
		{ "file-then-below-replaced-link", { { ML, "a", "b" }, { MD, "a/", "" }, { MF, "a/c", "x" } }, 3, 0 },
		{ "link-replaced-by-link", { { ML, "a", "b" }, { ML, "a", "c" }, { ML, "a", "d" }, { MF, "c", "x" } }, 4, 0 },
		{ "long-name", { { MF, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "x" } }, 1, -IA_E_ARCHIVE },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char arc[600];
		snprintf(arc, sizeof(arc), "%s/%s.tar.gz", ia_scratch, cases[i].name);
		write_arc(arc, archive_write_set_format_pax_restricted, true, cases[i].m, cases[i].n);
		int rc = load_both(arc, NULL);
		if (rc != cases[i].rc)
			fail_msg("case %s: %d (%s), want %d", cases[i].name, rc, ia_strerror(rc), cases[i].rc);
		assert_true(dir_is_empty(ia_sp("tmp")));
	}
}

/* Only tar, plain or gzip'd: zip and cpio archives of a good tree never reach their parsers. */
static void test_archive_formats(void **state)
{
	static const struct mem good[] = { { MD, "proc/", "" }, { MF, "proc/cmdline", "quiet\n" },
					   { ML, "proc/l", "cmdline" } };
	static const struct { const char *file; set_format_fn format; bool gz; int rc; } cases[] = {
		{ "good.tar.gz", archive_write_set_format_pax_restricted, true, 0 },
		{ "good.tar", archive_write_set_format_ustar, false, 0 },
		{ "gnu.tar.gz", archive_write_set_format_gnutar, true, 0 },
		{ "good.zip", archive_write_set_format_zip, false, -IA_E_ARCHIVE },
		{ "good.cpio.gz", archive_write_set_format_cpio_newc, true, -IA_E_ARCHIVE },
		{ "good.7z", archive_write_set_format_7zip, false, -IA_E_ARCHIVE },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = NULL;
		struct ia_diags d = {0};

		write_arc(ia_sp(cases[i].file), cases[i].format, cases[i].gz, good, 3);
		assert_int_equal(load_both(ia_sp(cases[i].file), NULL), cases[i].rc);
		int rc = ia_snapshot_unpack(ia_sp(cases[i].file), &dir, &d);
		if (rc != cases[i].rc)
			fail_msg("%s: rc %d (%s), want %d", cases[i].file, rc, ia_strerror(rc), cases[i].rc);
		if (rc == 0) {
			char p[4200];
			snprintf(p, sizeof(p), "%s/proc/l", dir);
			size_t len = 0;
			char *b = (char *)ia_slurp(p, &len);
			assert_non_null(b);
			assert_string_equal(b, "quiet\n");
			free(b);
			ia_snapshot_remove(dir);
			free(dir);
		} else {
			assert_null(dir);
			assert_non_null(ia_diags_find(&d, -IA_E_ARCHIVE));
		}
		assert_true(dir_is_empty(ia_sp("tmp")));
		ia_diags_free(&d);
	}
}

/* Past the member-count or byte limit: -IA_E_TOOBIG, a message naming the limit, nothing left. */
static void test_archive_limits(void **state)
{
	static const struct mem m[] = { { MD, "a/", "" }, { MF, "a/one", "0123456789" },
					{ MF, "a/two", "0123456789" }, { MF, "a/three", "0123456789" } };
	static const struct { struct ia_snapshot_limits lim; int rc; const char *msg; } cases[] = {
		{ { 1000, 10 }, 0, NULL },
		{ { 30, 10 }, 0, NULL },                     /* exactly at the byte limit */
		{ { 29, 10 }, -IA_E_TOOBIG, "\"a/three\": the capture unpacks to more than 29 bytes" },
		{ { 1000, 4 }, 0, NULL },                    /* exactly at the member limit */
		{ { 1000, 3 }, -IA_E_TOOBIG, "more than 3 members" },
	};
	(void)state;

	write_arc(ia_sp("four.tar.gz"), archive_write_set_format_pax_restricted, true, m, 4);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = NULL;
		struct ia_diags d = {0};
		int rc = ia_snapshot_unpack_limited(ia_sp("four.tar.gz"), &cases[i].lim, &dir, &d);
		assert_int_equal(load_both(ia_sp("four.tar.gz"), &cases[i].lim), cases[i].rc);

		if (rc != cases[i].rc)
			fail_msg("case %zu: rc %d (%s), want %d", i, rc, ia_strerror(rc), cases[i].rc);
		if (rc == 0) {
			ia_snapshot_remove(dir);
			free(dir);
		} else {
			const struct ia_diag *g = ia_diags_find(&d, -IA_E_TOOBIG);
			assert_non_null(g);
			if (!strstr(g->msg, cases[i].msg))
				fail_msg("case %zu: \"%s\" does not say \"%s\"", i, g->msg, cases[i].msg);
			assert_null(dir);
		}
		assert_true(dir_is_empty(ia_sp("tmp")));
		ia_diags_free(&d);
	}
}

/* A member whose header states 8 GiB is refused before any byte is written (the default limit). */
static void test_archive_huge_member(void **state)
{
	uint8_t hdr[1024] = {0};
	unsigned sum = 0;
	(void)state;

	/* One ustar header, size 077777777777 (8 GiB - 1), no data: the declared size alone. */
	strcpy((char *)hdr, "huge");
	memcpy(hdr + 100, "0000644", 8);
	memcpy(hdr + 108, "0000000", 8);
	memcpy(hdr + 116, "0000000", 8);
	memcpy(hdr + 124, "77777777777", 12);
	memcpy(hdr + 136, "14521526000", 12);
	memset(hdr + 148, ' ', 8);
	hdr[156] = '0';
	memcpy(hdr + 257, "ustar", 6);
	memcpy(hdr + 263, "00", 2);
	for (size_t i = 0; i < 512; i++)
		sum += hdr[i];
	snprintf((char *)hdr + 148, 8, "%06o", sum);
	ia_mk_file("huge.tar", hdr, sizeof(hdr));

	char *dir = NULL;
	struct ia_diags d = {0};
	assert_int_equal(ia_snapshot_unpack(ia_sp("huge.tar"), &dir, &d), -IA_E_TOOBIG);
	assert_int_equal(load_both(ia_sp("huge.tar"), NULL), -IA_E_TOOBIG);
	assert_null(dir);
	const struct ia_diag *g = ia_diags_find(&d, -IA_E_TOOBIG);
	assert_non_null(g);
	assert_non_null(strstr(g->msg, "\"huge\""));
	assert_true(dir_is_empty(ia_sp("tmp")));
	ia_diags_free(&d);
}

/* ---- firmware built to make decoders quadratic ------------------------------------------------- */

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Generous: the quadratic versions took minutes; the fixed ones take well under a second. */
#define DOS_SECONDS 20.0

/* 65536 IVHDs each claiming DeviceID 1 (found by fuzzing's review: pairwise type ranking and the
 * lookup's rescan were quadratic). */
static void test_ivrs_many_ivhds(void **state)
{
	const size_t n = IA_IVRS_MAX_BLOCKS;
	const size_t blen = 28, len = IA_IVRS_HDR_LEN + n * blen;
	uint8_t *t = calloc(1, len);
	(void)state;

	assert_non_null(t);
	memcpy(t, "IVRS", 4);
	t[4] = (uint8_t)len; t[5] = (uint8_t)(len >> 8); t[6] = (uint8_t)(len >> 16); t[7] = (uint8_t)(len >> 24);
	t[8] = 2;
	t[36] = 0x03; t[37] = 0x30; /* IVinfo: EFRSup, DMA remap, 48-bit PA */
	for (size_t i = 0; i < n; i++) {
		uint8_t *b = t + IA_IVRS_HDR_LEN + i * blen;
		b[0] = IA_IVHD_TYPE_10;
		b[2] = (uint8_t)blen;
		b[4] = (uint8_t)(2 + i % 0xfff0); b[5] = (uint8_t)((2 + i % 0xfff0) >> 8); /* IOMMU DeviceID */
		b[6] = 0x40;
		b[24] = IA_IVHD_DEV_SELECT; b[25] = 0x01; /* DeviceID 0x0001 */
	}
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)-sum;

	struct ia_ivrs v;
	struct ia_diags d = {0};
	struct ia_ivrs_match m;
	double t0 = now_s();
	ia_ivrs_decode(t, len, &v, &d);
	assert_int_equal(v.n_ivhd, n);
	for (int k = 0; k < 8; k++)
		assert_int_equal(ia_ivrs_lookup(&v, 0, 1, &m), 0);
	double dt = now_s() - t0;
	assert_int_equal(m.n_ivhd_claims, n);     /* every IVHD claims it; the last wins */
	assert_int_equal(m.ivhd, n - 1);
	assert_true(v.ivhd[0].highest_for_iommu);
	if (dt > DOS_SECONDS)
		fail_msg("decoding and 8 lookups took %.1f s", dt);
	ia_ivrs_free(&v);
	ia_diags_free(&d);
	free(t);
}

/* 20000 host bridges, each with an msi-parent and an iommu-map naming the same ITS (libfdt's
 * phandle lookup and fdt_get_path() scan the tree per call: quadratic, minutes at 16 MiB). */
static void test_fdt_many_bridges(void **state)
{
	const int n = 20000;
	const size_t cap = 8u << 20;
	void *fdt = malloc(cap);
	(void)state;

	assert_non_null(fdt);
	assert_int_equal(fdt_create(fdt, (int)cap), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	assert_int_equal(fdt_begin_node(fdt, "its@1000"), 0);
	assert_int_equal(fdt_property_string(fdt, "compatible", "arm,gic-v3-its"), 0);
	assert_int_equal(fdt_property(fdt, "msi-controller", NULL, 0), 0);
	assert_int_equal(fdt_property_u32(fdt, "#msi-cells", 1), 0);
	assert_int_equal(fdt_property_u32(fdt, "phandle", 1), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	for (int i = 0; i < n; i++) {
		char name[32];
		fdt32_t parent[2] = { cpu_to_fdt32(1), cpu_to_fdt32(0) };
		snprintf(name, sizeof(name), "pcie@%x", 0x100000 + i * 16);
		assert_int_equal(fdt_begin_node(fdt, name), 0);
		assert_int_equal(fdt_property_string(fdt, "device_type", "pci"), 0);
		assert_int_equal(fdt_property(fdt, "msi-parent", parent, sizeof(parent)), 0);
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);

	struct ia_fdt f;
	struct ia_diags d = {0};
	double t0 = now_s();
	assert_int_equal(ia_fdt_decode(fdt, fdt_totalsize(fdt), &f, &d), 0);
	double dt = now_s() - t0;
	assert_int_equal(f.n_bridges, (size_t)n);
	assert_int_equal(f.n_msi_ctrls, 1);
	assert_string_equal(f.bridges[n - 1].path, "/pcie@14e1f0");
	assert_true(f.bridges[n - 1].has_msi_ctrl && f.bridges[n - 1].msi_isolating);
	if (dt > DOS_SECONDS)
		fail_msg("decoding took %.1f s", dt);
	ia_fdt_free(&f);
	ia_diags_free(&d);
	free(fdt);
}

/*
 * A tree whose sys/bus/pci/devices is a relative link that climbs out of the root, onto another
 * directory of devices: the functions are listed as the link resolves inside the root (libpci's
 * scan, which followed it outside, is no longer used for sysfs).
 */
static void test_enumeration_link_out_of_root(void **state)
{
	char cmd[2048];
	int status = -1;
	(void)state;

	/* outside/devs: a real device directory outside the root; root/dev/shm/...: its in-root twin,
	 * so that resolution inside the root succeeds too (the kernel would follow it outside) */
	snprintf(cmd, sizeof(cmd),
		 "set -e; R=%s; O=%s; mkdir -p $R/sys/bus/pci $R/proc $O/devs/0000:00:1f.0 && "
		 "head -c 256 /dev/zero > $O/devs/0000:00:1f.0/config && echo 0xdead > $O/devs/0000:00:1f.0/vendor && "
		 "echo 'Linux version 6.12.0 (t) #1' > $R/proc/version && "
		 "mkdir -p $R$O/devs/0000:00:1e.0 && head -c 256 /dev/zero > $R$O/devs/0000:00:1e.0/config && "
		 "ln -s \"$(printf '../%%.0s' $(seq 1 40))$O/devs\" $R/sys/bus/pci/devices",
		 ia_sp("root"), ia_sp("outside"));
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s --root %s --format json --no-names --fail-on never --output %s 2>/dev/null",
		 IA_BIN, ia_sp("root"), ia_sp("report.json"));
	free(ia_run_capture(cmd, &status));
	assert_int_equal(status, 0);
	size_t len = 0;
	char *json = (char *)ia_slurp(ia_sp("report.json"), &len);
	assert_non_null(json);
	assert_null(strstr(json, "\"0000:00:1f.0\""));
	assert_non_null(strstr(json, "\"0000:00:1e.0\""));
	free(json);
}

/*
 * A tree whose links, once written into a directory capture, lead through each other out of the
 * output (a review's reproduction): group "virtfnA" points back up to the capture's top, so
 * writing "virtfnA/devices/esc/..." would follow the capture's own links to a victim directory
 * beside the output. Nothing may be written outside the output.
 */
static void test_capture_link_chain(void **state)
{
	char cmd[2048];
	int status = -1;
	(void)state;

	snprintf(cmd, sizeof(cmd),
		 "set -e; S=%s; mkdir -p $S/devices $S/sys/kernel/iommu_groups $S/sys/bus/pci/devices $S/proc %s && "
		 "ln -s ../../victim $S/devices/esc && "
		 "ln -s ../../../devices/esc $S/sys/kernel/iommu_groups/virtfnB && "
		 "ln -s ../../.. $S/sys/kernel/iommu_groups/virtfnA && "
		 "ln -s ../../../kernel/iommu_groups $S/sys/bus/pci/devices/0000:00:00.0 && "
		 "mkdir -p $S/victim && echo planted > $S/victim/type && echo 'Linux version 6.12.0 (t) #1' > $S/proc/version",
		 ia_sp("src"), ia_sp("victim"));
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s snapshot --root %s --output %s 2>/dev/null", IA_BIN, ia_sp("src"), ia_sp("out"));
	free(ia_run_capture(cmd, &status));
	assert_true(dir_is_empty(ia_sp("victim")));
}

/* One entry of sys/bus/pci/devices that is not a PCI address loses nothing else (libpci's scan
 * used to stop at it, leaving an audit of no functions that passed). */
static void test_junk_device_entry(void **state)
{
	char cmd[2048];
	int status = -1;
	(void)state;

	snprintf(cmd, sizeof(cmd), "mkdir -p %s && tar xzf %s/tests/fixtures/kernel-known-answers/x86-intel-acs/run-6.12/"
		 "snapshot.tar.gz -C %s && touch %s/sys/bus/pci/devices/junk && ln -s x %s/sys/bus/pci/devices/0000:100:08.0",
		 ia_sp("root"), IA_SOURCE_DIR, ia_sp("root"), ia_sp("root"), ia_sp("root"));
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s --root %s --format json --no-names --output %s 2>/dev/null",
		 IA_BIN, ia_sp("root"), ia_sp("report.json"));
	free(ia_run_capture(cmd, &status));
	size_t len = 0;
	char *json = (char *)ia_slurp(ia_sp("report.json"), &len);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"devices\": 21"));
	assert_non_null(strstr(json, "sys/bus/pci/devices/junk"));
	assert_non_null(strstr(json, "sys/bus/pci/devices/0000:100:08.0"));
	free(json);
}

/* A tree with a kernel but no PCI device directory: no verdict about anything, so not a pass. */
static void test_no_pci_is_not_a_pass(void **state)
{
	char cmd[1024];
	int status = -1;
	(void)state;

	snprintf(cmd, sizeof(cmd), "mkdir -p %s/proc && echo 'Linux version 6.12.0 (t) #1' > %s/proc/version",
		 ia_sp("root"), ia_sp("root"));
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s --root %s --format json --no-names --output %s 2>/dev/null",
		 IA_BIN, ia_sp("root"), ia_sp("report.json"));
	free(ia_run_capture(cmd, &status));
	assert_int_equal(status, 1);
	size_t len = 0;
	char *json = (char *)ia_slurp(ia_sp("report.json"), &len);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"verdict\": \"fail\""));
	free(json);
}

/* The known-answer capture unpacked into ia_scratch/@rel (a tree to change and capture again). */
static void unpack_known_capture(const char *rel)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && tar xzf %s/tests/fixtures/kernel-known-answers/x86-intel-acs/run-6.12/"
		 "snapshot.tar.gz -C '%s'", ia_sp(rel), IA_SOURCE_DIR, ia_sp(rel));
	assert_int_equal(system(cmd), 0);
}

/* `iommu-audit groups` of @args: its output (stdout and stderr, malloc'd) and exit status. */
static char *groups_of(const char *args, int *status)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "%s groups --fail-on never %s 2>&1", IA_BIN, args);
	char *out = ia_run_capture(cmd, status);
	assert_non_null(out);
	return out;
}

/*
 * Two names that lead to one device directory (a second sys/bus/pci/devices link to it): the
 * capture wrote that directory's files twice, as two members of one name, and the replay refused
 * the whole archive ("cannot unpack ... config"); a directory output failed at the second copy
 * (EEXIST, exit 3). Each file is now written once: the archive and the directory replay to the
 * report of the tree itself, both names listed (issue 17 item 7).
 */
static void test_capture_two_names_one_device(void **state)
{
	char cmd[2048], *want, *got;
	int status = -1;
	(void)state;

	unpack_known_capture("root");
	snprintf(cmd, sizeof(cmd), "ln -s ../../../devices/pci0000:00/0000:00:01.0 '%s'",
		 ia_sp("root/sys/bus/pci/devices/0000:00:01.7"));
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "--root '%s'", ia_sp("root"));
	want = groups_of(cmd, &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(want, "    0000:00:01.0 [1234:1111] VGA compatible controller"));
	assert_non_null(strstr(want, "    0000:00:01.7 [1234:1111] VGA compatible controller"));

	struct ia_fsroot r;
	struct ia_diags d = {0};
	assert_int_equal(ia_fsroot_open(&r, ia_sp("root")), 0);
	assert_int_equal(ia_snapshot_capture(&r, ia_sp("cap.tar.gz"), &d), 0);
	assert_int_equal(ia_snapshot_capture(&r, ia_sp("cap"), &d), 0);
	ia_fsroot_close(&r);
	assert_int_equal(d.n, 0);
	ia_diags_free(&d);
	snprintf(cmd, sizeof(cmd), "--snapshot '%s'", ia_sp("cap.tar.gz"));
	got = groups_of(cmd, &status);
	assert_int_equal(status, 0);
	assert_string_equal(got, want);
	free(got);
	snprintf(cmd, sizeof(cmd), "--root '%s'", ia_sp("cap"));
	got = groups_of(cmd, &status);
	assert_int_equal(status, 0);
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* the unpacker still refuses an archive with two members of one name */
	struct archive *a = archive_write_new();
	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, ia_sp("dup.tar")), ARCHIVE_OK);
	for (int i = 0; i < 2; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, "proc/cmdline");
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, 2);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, i ? "b\n" : "a\n", 2), 2);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	char *dir = NULL;
	assert_int_equal(ia_snapshot_unpack(ia_sp("dup.tar"), &dir, &d), -IA_E_ARCHIVE);
	assert_null(dir);
	ia_diags_free(&d);
}

/*
 * The members of the tar archive @gz (gzip-compressed, read through gzip -dc): *@n_members headers
 * of files, directories and links, *@n_ext pax extended headers ('x') before them, *@n_binary of
 * those holding hdrcharset=BINARY (POSIX.1-2017 pax: 512-byte ustar blocks, the size in octal at
 * offset 124, the type flag at 156).
 */
static void tar_headers(const char *gz, size_t *n_members, size_t *n_ext, size_t *n_binary)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", gz);
	FILE *f = popen(cmd, "r");
	unsigned char h[512];
	static const unsigned char zero[512];

	assert_non_null(f);
	*n_members = *n_ext = *n_binary = 0;
	while (fread(h, 1, sizeof(h), f) == sizeof(h) && memcmp(h, zero, sizeof(h))) {
		char sz[13] = { 0 };
		memcpy(sz, h + 124, 12);
		unsigned long long size = strtoull(sz, NULL, 8), blocks = (size + 511) / 512;
		bool ext = h[156] == 'x';
		*n_ext += ext;
		*n_members += !ext;
		char *body = ext ? calloc(1, blocks * 512 + 1) : NULL;
		for (unsigned long long b = 0; b < blocks; b++) {
			unsigned char blk[512];
			assert_int_equal(fread(blk, 1, sizeof(blk), f), sizeof(blk));
			if (body)
				memcpy(body + b * 512, blk, sizeof(blk));
		}
		if (body && strstr(body, " hdrcharset=BINARY\n"))
			(*n_binary)++;
		free(body);
	}
	pclose(f);
}

/*
 * Names that are not ASCII, or not UTF-8 at all: the pax writer ran in the C locale and aborted
 * ("Can't translate pathname", exit 3, no archive). Names are stored as bytes (hdrcharset=BINARY)
 * and the unpacker gives the same bytes back: a driver directory "dr\xe9v-\xc3\xa9" (Latin-1 e
 * acute, then UTF-8 e acute) and the device's driver link to it (issue 17 items 6 and 7).
 */
static void test_capture_names_as_bytes(void **state)
{
	static const char drv[] = "dr\xe9v-\xc3\xa9";
	char cmd[2048], path[1024], target[1024], got[1024];
	int status = -1;
	(void)state;

	unpack_known_capture("root");
	snprintf(path, sizeof(path), "%s", ia_sp("root/sys/devices/pci0000:00/0000:00:01.0/driver"));
	snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s", drv);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(target, path), 0);
	snprintf(cmd, sizeof(cmd), "root/sys/bus/pci/drivers/%s/", drv);
	ia_mk_dir(cmd);

	struct ia_fsroot r;
	struct ia_diags d = {0};
	assert_int_equal(ia_fsroot_open(&r, ia_sp("root")), 0);
	int rc = ia_snapshot_capture(&r, ia_sp("cap.tar.gz"), &d);
	ia_fsroot_close(&r);
	if (rc != 0)
		fail_msg("capture: %d %s", rc, d.n ? d.v[0].msg : "");
	/* only the two entries whose names are not ASCII (the driver directory, the link to it) have
	 * an extended header, each with hdrcharset=BINARY; the other members are plain ustar
	 * (a writer-wide hdrcharset=BINARY gave every member a 1 KiB extended header, issue 18) */
	size_t n_members, n_ext, n_binary;
	tar_headers(ia_sp("cap.tar.gz"), &n_members, &n_ext, &n_binary);
	assert_true(n_members > 100);
	assert_int_equal(n_ext, 2);
	assert_int_equal(n_binary, 2);
	char *dir = NULL;
	assert_int_equal(ia_snapshot_unpack(ia_sp("cap.tar.gz"), &dir, &d), 0);
	snprintf(path, sizeof(path), "%s/sys/devices/pci0000:00/0000:00:01.0/driver", dir);
	ssize_t n = readlink(path, got, sizeof(got) - 1);
	assert_true(n > 0);
	got[n] = '\0';
	assert_string_equal(got, target);
	struct stat st;
	snprintf(path, sizeof(path), "%s/sys/bus/pci/drivers/%s", dir, drv);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	ia_snapshot_remove(dir);
	free(dir);
	ia_diags_free(&d);
	/* the replay reports the driver as the tree does */
	snprintf(cmd, sizeof(cmd), "--root '%s'", ia_sp("root"));
	char *want = groups_of(cmd, &status);
	snprintf(cmd, sizeof(cmd), "--snapshot '%s'", ia_sp("cap.tar.gz"));
	char *replay = groups_of(cmd, &status);
	assert_int_equal(status, 0);
	assert_string_equal(replay, want);
	free(replay);
	free(want);
}

/*
 * A pax archive another tool wrote (GNU tar in a UTF-8 locale) names a member "caf\xc3\xa9" in
 * UTF-8 without hdrcharset=BINARY: the unpacker, in the C locale, refused the whole archive
 * ("Pathname can't be converted from UTF-8 to current locale"). It unpacks in C.UTF-8 now and
 * gives the header's bytes back.
 */
static void test_unpack_utf8_names(void **state)
{
	static const char drv[] = "caf\xc3\xa9";
	char cmd[2048], path[1024], target[1024], got[1024];
	(void)state;

	unpack_known_capture("root");
	snprintf(path, sizeof(path), "%s", ia_sp("root/sys/devices/pci0000:00/0000:00:01.0/driver"));
	snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s", drv);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(target, path), 0);
	snprintf(cmd, sizeof(cmd), "root/sys/bus/pci/drivers/%s/", drv);
	ia_mk_dir(cmd);
	snprintf(cmd, sizeof(cmd), "cd '%s' && LC_ALL=C.UTF-8 tar --format=pax -czf '%s' proc sys 2>&1", ia_sp("root"),
		 ia_sp("utf8.tar.gz"));
	int status = -1;
	free(ia_run_capture(cmd, &status));
	assert_int_equal(status, 0);

	char *dir = NULL;
	struct ia_diags d = {0};
	int rc = ia_snapshot_unpack(ia_sp("utf8.tar.gz"), &dir, &d);
	if (rc != 0)
		fail_msg("unpack: %d %s", rc, d.n ? d.v[0].msg : "");
	snprintf(path, sizeof(path), "%s/sys/devices/pci0000:00/0000:00:01.0/driver", dir);
	ssize_t n = readlink(path, got, sizeof(got) - 1);
	assert_true(n > 0);
	got[n] = '\0';
	assert_string_equal(got, target);
	struct stat st;
	snprintf(path, sizeof(path), "%s/sys/bus/pci/drivers/%s", dir, drv);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	ia_snapshot_remove(dir);
	free(dir);
	ia_diags_free(&d);
}

/* The number of @dir's own entries (not below them), and the first one's path in @sub. */
static size_t tmp_entries(const char *dir, char *sub, size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	sub[0] = '\0';
	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			n++;
			if (!sub[0])
				snprintf(sub, cap, "%s/%s", dir, de->d_name);
		}
	closedir(d);
	return n;
}

/* True when process @pid holds a descriptor of file @path. */
static bool fd_open_to(pid_t pid, const char *path)
{
	char dir[64], p[1100], t[1100];
	bool found = false;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	DIR *d = opendir(dir);
	if (!d)
		return false;
	for (struct dirent *de; !found && (de = readdir(d));) {
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		ssize_t n = readlink(p, t, sizeof(t) - 1);
		if (n > 0) {
			t[n] = '\0';
			found = !strcmp(t, path);
		}
	}
	closedir(d);
	return found;
}

/*
 * SIGINT or SIGTERM while `--snapshot` unpacks a large archive: the temporary directory is
 * removed and the process ends by that signal (a shell says 130 or 143). It left the partly
 * unpacked tree (thousands of entries) in $TMPDIR (issue 17 item 7). SIGTERM during `snapshot`
 * into a directory or an archive: its temporary output beside the output is removed too (it
 * stayed, ".cap.XXXXXX").
 */
static void test_signal_during_unpack(void **state)
{
	static const int sigs[] = { SIGTERM, SIGINT };
	char cmd[4096], tmp[1024], sub[1300];
	int status = -1;
	(void)state;

	snprintf(cmd, sizeof(cmd), "%s/tools/ia-gen-tree --functions 4096 '%s' >/dev/null && %s snapshot --root '%s' --output '%s'",
		 IA_BINARY_DIR, ia_sp("big"), IA_BIN, ia_sp("big"), ia_sp("big.tar.gz"));
	free(ia_run_capture(cmd, &status));
	assert_int_equal(status, 0);
	snprintf(tmp, sizeof(tmp), "%s/tmp", ia_scratch);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			signal(SIGINT, SIG_DFL); /* a test runner may ignore it; the operator's shell does not */
			signal(SIGTERM, SIG_DFL);
			int null = open("/dev/null", O_RDWR);
			dup2(null, 1);
			dup2(null, 2);
			execl(IA_BIN, IA_BIN, "groups", "--fail-on", "never", "--snapshot", ia_sp("big.tar.gz"), (char *)NULL);
			_exit(127);
		}
		/* wait until the replay is under way: the archive open in the child (it is read into
		 * memory now, issue 18 item 3; nothing appears in $TMPDIR any more) */
		struct timespec ms = { 0, 200000 };
		bool under_way = false;
		for (int t = 0; t < 300000 && !under_way; t++) {
			under_way = fd_open_to(pid, ia_sp("big.tar.gz"));
			if (!under_way)
				nanosleep(&ms, NULL);
		}
		assert_true(under_way);
		assert_int_equal(kill(pid, sigs[i]), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFSIGNALED(status) || WTERMSIG(status) != sigs[i])
			fail_msg("signal %d: the run ended with status 0x%x, not by the signal", sigs[i], status);
		if (tmp_entries(tmp, sub, sizeof(sub)) != 0)
			fail_msg("signal %d: %s was left behind", sigs[i], sub);
	}
	/* snapshot into a directory, then an archive: SIGTERM once its temporary output exists */
	static const char *const outs[] = { "out/cap", "out/cap.tar.gz" };
	ia_mk_dir("out/");
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			int null = open("/dev/null", O_RDWR);
			dup2(null, 1);
			dup2(null, 2);
			execl(IA_BIN, IA_BIN, "snapshot", "--root", ia_sp("big"), "--output", ia_sp(outs[i]), (char *)NULL);
			_exit(127);
		}
		struct timespec ms = { 0, 1000000 };
		bool under_way = false;
		for (int t = 0; t < 60000 && !under_way; t++) {
			under_way = tmp_entries(ia_sp("out"), sub, sizeof(sub)) == 1;
			if (!under_way)
				nanosleep(&ms, NULL);
		}
		assert_true(under_way);
		assert_int_equal(kill(pid, SIGTERM), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM)
			fail_msg("snapshot %s: the run ended with status 0x%x, not by the signal", outs[i], status);
		if (tmp_entries(ia_sp("out"), sub, sizeof(sub)) != 0)
			fail_msg("snapshot %s: %s was left behind", outs[i], sub);
	}
}

/* ---- hostile names in every format ------------------------------------------------------------ */

/* ESC sequences (clear screen, set title with BEL), C1 CSI, bytes that are not UTF-8, U+2028, U+202E. */
#define HOSTILE "\x1b[2J\x1b]0;pwn\x07\xc2\x9b" "31m\xff\xfe\xe2\x80\xa8\xe2\x80\xae"
/* What the one escaping (ia_text_sanitize()) makes of it, in every format. */
#define HOSTILE_SHOWN "\\x1b[2J\\x1b]0;pwn\\x07\\u009b31m\\xff\\xfe\\u2028\\u202e"

/* @what (@len bytes) is valid UTF-8 with no C0 control but LF, no DEL, no C1 control, no line or
 * paragraph separator and no bidi control; fails the test naming @what otherwise. */
static void assert_clean_text(const char *what, const char *buf, size_t len)
{
	size_t bad = ia_utf8_valid(buf, len);

	if (bad != len)
		fail_msg("%s: not UTF-8 at byte %zu", what, bad);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t l = ia_utf8_decode((const unsigned char *)buf + i, len - i, &cp);
		if ((cp < 0x20 && cp != '\n') || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x2028 && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			fail_msg("%s: U+%04X at byte %zu", what, cp, i);
		i += l;
	}
}

/*
 * Issue 17 item 6: hostile names in a driver, an IOMMU group type (one of 64 KiB too), a kernel
 * IOMMU unit and the pci.ids device names. Every format (text, JSON, JUnit, NFD, groups, plan,
 * diff) is well-formed (JSON by python3's json, XML by its xml parser), the text ones valid UTF-8
 * with no control but LF, each shows the name escaped the one way ("\x1b[2J..."), and stderr too.
 */
static void test_hostile_names_every_format(void **state)
{
	static const struct { const char *name, *args, *check; bool shows; } runs[] = {
		{ "text", "--root R --pci-ids I --fail-on never", NULL, true },
		{ "json", "--root R --pci-ids I --fail-on never --format json", "json", true },
		{ "junit", "--root R --pci-ids I --fail-on never --format junit", "xml", true },
		{ "nfd", "--root R --pci-ids I --fail-on never --format nfd", NULL, false },
		{ "groups", "groups --root R --pci-ids I", NULL, true },
		{ "groups-json", "groups --root R --format json", "json", true },
		{ "predicted", "groups --predicted --root R --pci-ids I", NULL, true },
		{ "plan", "plan 0000:00:01.0 --root R", NULL, true },
		{ "plan-json", "plan 0000:00:01.0 --root R --format json", "json", true },
		{ "diff", "diff O R", NULL, true },
		{ "diff-json", "diff O R --format json", "json", true },
	};
	char cmd[8192], path[1024];
	int st;
	(void)state;

	unpack_known_capture("orig");
	unpack_known_capture("root");
	/* the driver of 0000:00:01.0 */
	snprintf(path, sizeof(path), "%s", ia_sp("root/sys/devices/pci0000:00/0000:00:01.0/driver"));
	assert_int_equal(unlink(path), 0);
	char target[512];
	snprintf(target, sizeof(target), "../../../bus/pci/drivers/vfio" HOSTILE);
	assert_int_equal(symlink(target, path), 0);
	ia_mk_dir("root/sys/bus/pci/drivers/vfio" HOSTILE "/");
	/* group 1's type, and group 2's of 64 KiB */
	ia_mk_text("root/sys/kernel/iommu_groups/1/type", "DMA" HOSTILE "\n");
	size_t big = 64 * 1024;
	char *b = malloc(big + 1);
	assert_non_null(b);
	memset(b, 'x', big);
	memcpy(b + big / 2, HOSTILE, sizeof(HOSTILE) - 1);
	b[big] = '\0';
	ia_mk_text("root/sys/kernel/iommu_groups/2/type", b);
	free(b);
	/* the kernel IOMMU unit's name */
	snprintf(cmd, sizeof(cmd), "mv '%s' '%s'", ia_sp("root/sys/class/iommu/dmar0"),
		 ia_sp("root/sys/class/iommu/dmar" HOSTILE));
	assert_int_equal(system(cmd), 0);
	/* the vendor and device names of 1234:1111 */
	ia_mk_text("pci.ids", "1234  Evil" HOSTILE "\n\t1111  Dev" HOSTILE "\n");

	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		/* R, O, I: the hostile root, the original, the pci.ids */
		char args[1024] = "";
		for (const char *a = runs[i].args; *a; a++) {
			const char *rep = *a == 'R' && (a[1] == ' ' || !a[1]) ? ia_sp("root") :
					  *a == 'O' && a[1] == ' ' ? ia_sp("orig") :
					  *a == 'I' && (a[1] == ' ' || !a[1]) ? ia_sp("pci.ids") : NULL;
			size_t l = strlen(args);
			if (rep)
				snprintf(args + l, sizeof(args) - l, "'%s'", rep);
			else if (l + 1 < sizeof(args))
				args[l] = *a, args[l + 1] = '\0';
		}
		snprintf(cmd, sizeof(cmd), "%s %s >'%s/out.%s' 2>'%s/err.%s'", IA_BIN, args, ia_scratch, runs[i].name,
			 ia_scratch, runs[i].name);
		st = system(cmd);
		if (!WIFEXITED(st) || WEXITSTATUS(st) > 1)
			fail_msg("%s: %s exited 0x%x", runs[i].name, cmd, st);
		char rel[64];
		size_t len;
		snprintf(rel, sizeof(rel), "out.%s", runs[i].name);
		char *out = (char *)ia_slurp(ia_sp(rel), &len);
		assert_non_null(out);
		assert_clean_text(rel, out, len);
		/* the name, escaped the one way (in JSON its backslashes are escaped once more) */
		if (runs[i].shows && !strstr(out, runs[i].check && !strcmp(runs[i].check, "json") ?
					     "\\\\x1b[2J\\\\x1b]0;pwn\\\\x07\\\\u009b31m\\\\xff\\\\xfe\\\\u2028\\\\u202e" :
					     HOSTILE_SHOWN))
			fail_msg("%s: the escaped name is missing:\n%.3000s", rel, out);
		free(out);
		snprintf(rel, sizeof(rel), "err.%s", runs[i].name);
		char *err = (char *)ia_slurp(ia_sp(rel), &len);
		assert_non_null(err);
		assert_clean_text(rel, err, len);
		free(err);
		if (runs[i].check) {
			snprintf(cmd, sizeof(cmd), "python3 -c 'import sys, %s; %s(open(sys.argv[1], encoding=\"utf-8\"))' "
				 "'%s/out.%s'", !strcmp(runs[i].check, "json") ? "json" : "xml.dom.minidom",
				 !strcmp(runs[i].check, "json") ? "json.load" : "xml.dom.minidom.parse", ia_scratch,
				 runs[i].name);
			if (system(cmd) != 0)
				fail_msg("%s: python3 refuses it as %s", runs[i].name, runs[i].check);
		}
	}
	/* the device names from pci.ids, in the text report */
	size_t len;
	char *out = (char *)ia_slurp(ia_sp("out.text"), &len);
	assert_non_null(strstr(out, "Dev" HOSTILE_SHOWN));
	assert_non_null(strstr(out, "kernel IOMMU unit dmar" HOSTILE_SHOWN " (vt-d)"));
	free(out);
	/* stderr quotes a hostile name with the same escaping */
	snprintf(cmd, sizeof(cmd), "%s --root '%s' --policy '%s/p" HOSTILE "' 2>&1 >/dev/null", IA_BIN, ia_sp("root"),
		 ia_scratch);
	char *err = ia_run_capture(cmd, &st);
	assert_non_null(err);
	assert_clean_text("stderr of --policy", err, strlen(err));
	if (!strstr(err, "/p" HOSTILE_SHOWN ": "))
		fail_msg("stderr: %s", err);
	free(err);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ia_scratch_setup_tmpdir, ia_scratch_teardown_tmpdir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_audit_of_escaping_tree),
		T(test_capture_of_escaping_tree),
		T(test_enumeration_link_out_of_root),
		T(test_capture_link_chain),
		T(test_junk_device_entry),
		T(test_no_pci_is_not_a_pass),
		T(test_capture_two_names_one_device),
		T(test_capture_names_as_bytes),
		T(test_unpack_utf8_names),
		T(test_signal_during_unpack),
		T(test_archive_truncated_member),
		T(test_archive_escape_spellings),
		T(test_archive_memory_same_as_disk),
		T(test_archive_formats),
		T(test_archive_limits),
		T(test_archive_huge_member),
		T(test_ivrs_many_ivhds),
		T(test_fdt_many_bridges),
		T(test_hostile_names_every_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
