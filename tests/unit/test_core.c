// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of root confinement (fsroot) on hostile trees, with and without openat2, of safe snapshot
// unpack/capture, and of the fact tables' descriptions (schema, INSERT, SELECT, row structs).
#include "testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/array.h"
#include "core/db.h"
#include "core/facts.h"
#include "core/fsroot.h"
#include "core/ia_err.h"
#include "core/memtree.h"
#include "core/outfile.h"
#include "capture/snapshot.h"

/* Each test runs in its own scratch directory (ia_scratch_setup()), removed by the teardown even
 * after a failure. */

static bool exists_nofollow(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* ---------------------------------------------------------------------------------------------
 * fsroot: one hostile tree, every assertion run with openat2 and with the component walk
 * ------------------------------------------------------------------------------------------- */

/*
 * root/
 *   etc/passwd                 "inside\n"  (the root's own /etc: links must land here)
 *   sys/x -> /etc               absolute link: restarts at the root
 *   sys/up -> ../../../../..    climbs far above: stays at the root
 *   sys/deep/a/b/c -> ../../../../../../../../etc/passwd
 *   sys/loop1 -> loop2, sys/loop2 -> loop1
 *   sys/self -> self
 *   sys/noetc -> /nonexistent/passwd
 *   sys/out -> ../../outside/secret   (".." from the root stays at the root: absent)
 *   sys/devices/pci0000:00/0000:00:01.0/{config,vendor,iommu_group -> ../../../kernel/iommu_groups/7}
 *   sys/bus/pci/devices/0000:00:01.0 -> ../../../devices/pci0000:00/0000:00:01.0
 *   sys/kernel/iommu_groups/7/type
 *   list/{b,a,C,aa,_z,.hidden}  for the sorted listing
 *   big (4097 bytes), exact (4096 bytes)
 * and outside the root: ia_scratch/outside/secret.
 */
static void build_hostile_root(void)
{
	static uint8_t big[4097];

	memset(big, 'x', sizeof(big));
	ia_mk_text("root/etc/passwd", "inside\n");
	ia_mk_text("outside/secret", "host secret\n");
	ia_mk_link("root/sys/x", "/etc");
	ia_mk_link("root/sys/up", "../../../../..");
	ia_mk_link("root/sys/deep/a/b/c", "../../../../../../../../etc/passwd");
	ia_mk_link("root/sys/loop1", "loop2");
	ia_mk_link("root/sys/loop2", "loop1");
	ia_mk_link("root/sys/self", "self");
	ia_mk_link("root/sys/noetc", "/nonexistent/passwd");
	ia_mk_link("root/sys/out", "../../outside/secret");      /* outside by ".." from the root */
	ia_mk_file("root/sys/devices/pci0000:00/0000:00:01.0/config", "\x86\x80\x01\x34", 4);
	ia_mk_text("root/sys/devices/pci0000:00/0000:00:01.0/vendor", "0x8086\n");
	ia_mk_link("root/sys/devices/pci0000:00/0000:00:01.0/iommu_group", "../../../kernel/iommu_groups/7");
	ia_mk_link("root/sys/devices/pci0000:00/0000:00:01.0/evil", "/etc/passwd");
	ia_mk_link("root/sys/bus/pci/devices/0000:00:01.0", "../../../devices/pci0000:00/0000:00:01.0");
	ia_mk_text("root/sys/kernel/iommu_groups/7/type", "DMA\n");
	ia_mk_text("root/list/b", "");
	ia_mk_text("root/list/a", "");
	ia_mk_text("root/list/C", "");
	ia_mk_text("root/list/aa", "");
	ia_mk_text("root/list/_z", "");
	ia_mk_text("root/list/.hidden", "");
	ia_mk_file("root/big", big, sizeof(big));
	ia_mk_file("root/exact", big, 4096);
}

/* A read: path, expected return, and on success the expected content. */
struct read_case {
	const char *name, *rel;
	int rc;
	const char *text;
};

static const struct read_case read_cases[] = {
	{ "absolute-link-lands-in-root", "sys/x/passwd", 0, "inside\n" },
	{ "dotdot-chain-stays-at-root", "sys/up/etc/passwd", 0, "inside\n" },
	{ "dotdot-in-path-stays-at-root", "../../../../etc/passwd", 0, "inside\n" },
	{ "absolute-path-is-relative", "/etc/passwd", 0, "inside\n" },
	{ "deep-relative-link", "sys/deep/a/b/c", 0, "inside\n" },
	{ "link-out-by-dotdot", "sys/out", -ENOENT, NULL },
	{ "absolute-link-to-absent", "sys/noetc", -ENOENT, NULL },
	{ "link-loop", "sys/loop1", -ELOOP, NULL },
	{ "self-loop", "sys/self/x", -ELOOP, NULL },
	{ "through-device-link", "sys/bus/pci/devices/0000:00:01.0/vendor", 0, "0x8086\n" },
	{ "through-group-link", "sys/bus/pci/devices/0000:00:01.0/iommu_group/type", 0, "DMA\n" },
	{ "link-in-device-dir", "sys/bus/pci/devices/0000:00:01.0/evil", 0, "inside\n" },
	{ "absent", "sys/nothing", -ENOENT, NULL },
	{ "file-as-dir", "etc/passwd/x", -ENOTDIR, NULL },
	{ "dotdot-after-file", "etc/passwd/../passwd", -ENOTDIR, NULL },
	{ "dot-after-file", "etc/passwd/.", -ENOTDIR, NULL },
	{ "trailing-slash-on-file", "etc/passwd/", -ENOTDIR, NULL },
	{ "trailing-slash-on-file-link", "sys/deep/a/b/c/", -ENOTDIR, NULL },
	{ "exactly-max", "exact", 0, NULL },
	{ "over-max", "big", -IA_E_TOOBIG, NULL },
};

/* The canonical path of a link chain: (rel, rc, canonical). */
static const struct read_case canon_cases[] = {
	{ "root", "", 0, "" },
	{ "dot", ".", 0, "" },
	{ "absolute-link", "sys/x", 0, "etc" },
	{ "absolute-link-file", "sys/x/passwd", 0, "etc/passwd" },
	{ "climb-to-root", "sys/up", 0, "" },
	{ "climb-then-descend", "sys/up/sys/devices", 0, "sys/devices" },
	{ "device", "sys/bus/pci/devices/0000:00:01.0", 0, "sys/devices/pci0000:00/0000:00:01.0" },
	{ "device-group", "sys/bus/pci/devices/0000:00:01.0/iommu_group", 0, "sys/kernel/iommu_groups/7" },
	{ "dotdot-above-root", "../../sys/../etc/./passwd", 0, "etc/passwd" },
	{ "dangling", "sys/noetc", -ENOENT, NULL },
	{ "link-with-trailing-slash", "sys/x/", 0, "etc" },
	{ "link-to-file", "sys/deep/a/b/c", 0, "etc/passwd" },
	{ "dotdot-after-file", "etc/passwd/..", -ENOTDIR, NULL },
	{ "loop", "sys/loop2", -ELOOP, NULL },
};

static void run_fsroot_checks(struct ia_fsroot *r, const char *mode)
{
	/* Reads. */
	for (size_t i = 0; i < sizeof(read_cases) / sizeof(read_cases[0]); i++) {
		const struct read_case *t = &read_cases[i];
		char *buf = (char *)&buf;
		size_t len = 12345;
		int rc = ia_fsroot_read(r, t->rel, 4096, &buf, &len);

		if (rc != t->rc)
			fail_msg("[%s] read %s (%s): %d (%s), want %d", mode, t->name, t->rel, rc,
				 ia_strerror(rc), t->rc);
		if (rc == 0) {
			if (t->text && (len != strlen(t->text) || strcmp(buf, t->text) != 0))
				fail_msg("[%s] read %s: \"%s\"", mode, t->name, buf);
			if (strstr(buf, "host secret"))
				fail_msg("[%s] read %s escaped the root", mode, t->name);
			free(buf);
		} else if (buf != (char *)&buf || len != 12345) {
			fail_msg("[%s] read %s: outputs touched on failure", mode, t->name);
		}
	}
	/* Canonical paths. */
	for (size_t i = 0; i < sizeof(canon_cases) / sizeof(canon_cases[0]); i++) {
		const struct read_case *t = &canon_cases[i];
		char out[4096];
		long n = ia_fsroot_canonical(r, t->rel, out, sizeof(out));

		if ((t->rc == 0 && n < 0) || (t->rc < 0 && n != t->rc))
			fail_msg("[%s] canonical %s (%s): %ld, want %d", mode, t->name, t->rel, n, t->rc);
		if (n >= 0 && ((size_t)n != strlen(t->text) || strcmp(out, t->text) != 0))
			fail_msg("[%s] canonical %s: \"%s\", want \"%s\"", mode, t->name, out, t->text);
	}
	char small[8];
	assert_int_equal(ia_fsroot_canonical(r, "sys/bus/pci/devices/0000:00:01.0", small, sizeof(small)),
			 -ENAMETOOLONG);

	/* Small reads and prefixes. */
	char b[64];
	assert_int_equal(ia_fsroot_read_small(r, "sys/x/passwd", b, sizeof(b)), 7);
	assert_string_equal(b, "inside\n");
	assert_int_equal(ia_fsroot_read_small(r, "sys/x/passwd", b, 7), -IA_E_TOOBIG);
	assert_int_equal(ia_fsroot_read_small(r, "sys/x/passwd", b, 8), 7);
	assert_int_equal(ia_fsroot_read_small(r, "sys/loop1", b, sizeof(b)), -ELOOP);
	assert_int_equal(ia_fsroot_read_small(r, "sys/x/passwd", b, 0), -EINVAL);
	assert_int_equal(ia_fsroot_readlink(r, "sys/x", b, 0), -EINVAL);
	uint8_t cfgb[256];
	size_t size = 0;
	assert_int_equal(ia_fsroot_read_prefix(r, "sys/bus/pci/devices/0000:00:01.0/config", cfgb,
					       sizeof(cfgb), &size), 4);
	assert_int_equal(size, 4);
	assert_int_equal(cfgb[0], 0x86);
	assert_int_equal(ia_fsroot_read_prefix(r, "big", cfgb, sizeof(cfgb), NULL), 256);
	assert_int_equal(ia_fsroot_read_prefix(r, "sys/out", cfgb, sizeof(cfgb), NULL), -ENOENT);

	/* Links read as text, never resolved outside. */
	assert_int_equal(ia_fsroot_readlink(r, "sys/x", b, sizeof(b)), 4);
	assert_string_equal(b, "/etc");
	assert_int_equal(ia_fsroot_readlink(r, "etc/passwd", b, sizeof(b)), -EINVAL);
	assert_int_equal(ia_fsroot_readlink(r, "sys/x", b, 4), -ENAMETOOLONG);
	/* the directory part goes through links, the last component is the link itself */
	assert_int_equal(ia_fsroot_link_basename(r, "sys/bus/pci/devices/0000:00:01.0/iommu_group", b, sizeof(b)), 1);
	assert_string_equal(b, "7");
	assert_int_equal(ia_fsroot_link_basename(r, "sys/up/sys/bus/pci/devices/0000:00:01.0", b, sizeof(b)), 12);
	assert_string_equal(b, "0000:00:01.0");

	/* Listing: sorted by strcmp, "." and ".." left out, hidden names kept. */
	char **names = NULL;
	size_t n = 0;
	static const char *const want_names[] = { ".hidden", "C", "_z", "a", "aa", "b" };
	assert_int_equal(ia_fsroot_list(r, "list", &names, &n), 0);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(names[i], want_names[i]);
	ia_fsroot_list_free(names, n);
	assert_int_equal(ia_fsroot_list(r, "sys/x", &names, &n), 0); /* the root's etc/ */
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "passwd");
	ia_fsroot_list_free(names, n);
	assert_int_equal(ia_fsroot_list(r, "sys/nothing", &names, &n), -ENOENT);
	assert_int_equal(ia_fsroot_list(r, "etc/passwd", &names, &n), -ENOTDIR);
	assert_int_equal(ia_fsroot_list(r, "sys/loop1", &names, &n), -ELOOP);
	ia_fsroot_list_free(NULL, 0);

	/* stat/exists follow links inside the root only. */
	struct stat st;
	assert_int_equal(ia_fsroot_stat(r, "sys/x", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_true(ia_fsroot_exists(r, "sys/up/etc/passwd"));
	assert_false(ia_fsroot_exists(r, "sys/out"));
	assert_false(ia_fsroot_exists(r, "sys/loop1"));

	/* Write flags are refused. */
	assert_int_equal(ia_fsroot_openat(r, "etc/passwd", O_WRONLY), -EINVAL);
	assert_int_equal(ia_fsroot_openat(r, "etc/passwd", O_RDWR), -EINVAL);
	assert_int_equal(ia_fsroot_openat(r, "new", O_RDONLY | O_CREAT), -EINVAL);
	assert_false(exists_nofollow(ia_sp("root/new")));

	/* Directory handles: plain names only, links in the directory are not followed. */
	int dfd = ia_fsroot_opendir(r, "sys/bus/pci/devices/0000:00:01.0");
	assert_true(dfd >= 0);
	assert_int_equal(ia_fsdir_read_small(r, dfd, "vendor", b, sizeof(b)), 7);
	assert_string_equal(b, "0x8086\n");
	assert_int_equal(ia_fsdir_read_small(r, dfd, "evil", b, sizeof(b)), -ELOOP);
	assert_int_equal(ia_fsdir_read_small(r, dfd, "../../../../etc/passwd", b, sizeof(b)), -EINVAL);
	assert_int_equal(ia_fsdir_read_small(r, dfd, "absent", b, sizeof(b)), -ENOENT);
	assert_int_equal(ia_fsdir_read_small(r, dfd, "vendor", b, 0), -EINVAL);
	assert_int_equal(ia_fsdir_read_small(r, dfd, "vendor", b, 4), -IA_E_TOOBIG);
	assert_int_equal(ia_fsdir_readlink_base(r, dfd, "iommu_group", b, sizeof(b)), 1);
	assert_string_equal(b, "7");
	assert_int_equal(ia_fsdir_readlink_base(r, dfd, "driver", b, sizeof(b)), -ENOENT);
	assert_int_equal(ia_fsdir_readlink_base(r, dfd, "vendor", b, sizeof(b)), -EINVAL);
	assert_int_equal(ia_fsdir_readlink_base(r, dfd, "a/b", b, sizeof(b)), -EINVAL);
	assert_int_equal(ia_fsdir_lstat(r, dfd, "iommu_group", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(ia_fsdir_lstat(r, dfd, "vendor", &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 7);
	assert_int_equal(ia_fsdir_lstat(r, dfd, "absent", &st), -ENOENT);
	/* file handles: pread at offsets, the end, and a link refused */
	int ffd = ia_fsdir_open_file(r, dfd, "config", &st);
	assert_true(ffd >= 0);
	assert_int_equal(st.st_size, 4);
	uint8_t pb[8] = {0};
	assert_int_equal(ia_fsfile_pread(r, ffd, pb, sizeof(pb), 1), 3);
	assert_int_equal(pb[0], 0x80);
	assert_int_equal(pb[2], 0x34);
	assert_int_equal(ia_fsfile_pread(r, ffd, pb, sizeof(pb), 4), 0);
	assert_int_equal(ia_fsfile_pread(r, ffd, pb, sizeof(pb), 400), 0);
	ia_fsroot_handle_close(r, ffd);
	assert_int_equal(ia_fsdir_open_file(r, dfd, "evil", NULL), -ELOOP);
	assert_int_equal(ia_fsdir_open_file(r, dfd, "absent", NULL), -ENOENT);
	assert_int_equal(ia_fsdir_list(r, dfd, "iommu_group", &names, &n), -ENOTDIR); /* a link, not followed */
	ia_fsroot_handle_close(r, dfd);
	int xfd = ia_fsroot_opendir(r, "sys/x");
	assert_true(xfd >= 0);
	assert_int_equal(ia_fsdir_read_small(r, xfd, "passwd", b, sizeof(b)), 7); /* the root's */
	ia_fsroot_handle_close(r, xfd);
	/* a device's directory through its bus link, from the directory of the links */
	char canon[256];
	int bfd = ia_fsroot_opendir(r, "sys/bus/pci/devices");
	assert_true(bfd >= 0);
	for (int hint = 0; hint < 2; hint++) {
		int ddfd = ia_fsroot_open_link_dir(r, bfd, "sys/bus/pci/devices", "0000:00:01.0", hint, canon, sizeof(canon));
		assert_true(ddfd >= 0);
		assert_string_equal(canon, "sys/devices/pci0000:00/0000:00:01.0");
		assert_int_equal(ia_fsdir_read_small(r, ddfd, "vendor", b, sizeof(b)), 7);
		ia_fsroot_handle_close(r, ddfd);
		assert_int_equal(ia_fsroot_open_link_dir(r, bfd, "sys/bus/pci/devices", "absent", hint, canon, sizeof(canon)),
				 -ENOENT);
		assert_int_equal(ia_fsroot_open_link_dir(r, bfd, "sys/bus/pci/devices", "..", hint, canon, sizeof(canon)),
				 -EINVAL);
	}
	ia_fsroot_handle_close(r, bfd);
	int sfd = ia_fsroot_opendir(r, "sys");
	assert_true(sfd >= 0);
	assert_int_equal(ia_fsroot_open_link_dir(r, sfd, "sys", "loop1", true, canon, sizeof(canon)), -ELOOP);
	int ufd = ia_fsroot_open_link_dir(r, sfd, "sys", "up", true, canon, sizeof(canon));
	assert_true(ufd >= 0);
	assert_string_equal(canon, "");
	ia_fsroot_handle_close(r, ufd);
	ufd = ia_fsroot_open_link_dir(r, sfd, "sys", "deep", false, canon, sizeof(canon));
	assert_true(ufd >= 0);
	assert_string_equal(canon, "sys/deep");
	ia_fsroot_handle_close(r, ufd);
	assert_int_equal(ia_fsroot_open_link_dir(r, sfd, "sys", "noetc", false, canon, sizeof(canon)), -ENOENT);
	ia_fsroot_handle_close(r, sfd);
	assert_int_equal(ia_fsroot_opendir(r, "sys/noetc"), -ENOENT);
}

static void test_fsroot_openat2(void **state)
{
	struct ia_fsroot r;
	(void)state;

	build_hostile_root();
	assert_int_equal(ia_fsroot_open(&r, ia_sp("root")), 0);
	assert_false(r.live);
	if (!r.have_openat2)
		print_message("openat2 is unavailable here: both runs use the component walk\n");
	run_fsroot_checks(&r, r.have_openat2 ? "openat2" : "walk");
	ia_fsroot_close(&r);
	ia_fsroot_close(&r); /* closing twice is harmless */
}

static void test_fsroot_walk(void **state)
{
	struct ia_fsroot r;
	(void)state;

	build_hostile_root();
	assert_int_equal(ia_fsroot_open(&r, ia_sp("root")), 0);
	r.have_openat2 = false;
	run_fsroot_checks(&r, "walk");
	ia_fsroot_close(&r);
}

/* Copy the tree at ia_scratch/@rel (directories, regular files, symlinks) into memory tree @t. */
static void mem_copy(struct ia_memtree *t, const char *rel, const char *sub)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s%s%s", ia_scratch, rel, *sub ? "/" : "", sub);
	DIR *d = opendir(path);
	assert_non_null(d);
	for (struct dirent *de; (de = readdir(d));) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char full[4400], mrel[4400];
		struct stat st;
		snprintf(full, sizeof(full), "%s/%s", path, de->d_name);
		snprintf(mrel, sizeof(mrel), "%s%s%s", sub, *sub ? "/" : "", de->d_name);
		assert_int_equal(lstat(full, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			assert_int_equal(ia_memtree_add_dir(t, mrel), 0);
			mem_copy(t, rel, mrel);
		} else if (S_ISLNK(st.st_mode)) {
			char tg[4096];
			ssize_t n = readlink(full, tg, sizeof(tg) - 1);
			assert_true(n >= 0);
			tg[n] = '\0';
			assert_int_equal(ia_memtree_add_link(t, mrel, tg), 0);
		} else if (S_ISREG(st.st_mode)) {
			size_t len = 0;
			uint8_t *b = ia_slurp(full, &len);
			char *data = NULL;
			assert_non_null(b);
			assert_int_equal(ia_memtree_add_file(t, mrel, len, &data), 0);
			memcpy(data, b, len);
			ia_memtree_file_filled(t); /* as the capture loader does */
			free(b);
		}
	}
	closedir(d);
}

/* ia_scratch/@rel served from memory. */
static void mem_root_of(const char *rel, struct ia_fsroot *r)
{
	struct ia_memtree *t = ia_memtree_new(64u << 20);
	assert_non_null(t);
	mem_copy(t, rel, "");
	assert_int_equal(ia_memtree_seal(t), 0);
	assert_int_equal(ia_fsroot_open_mem(r, t, "memory"), 0);
}

/*
 * The in-memory tree remembers the directory part of the last member it walked (members come in
 * tree order): members in one directory, interleaved ones, the same directory spelled with "//"
 * or "/./", and a member below a link (refused, -ELOOP, without the remembered directory
 * changing) each land where a whole walk puts them.
 */
static void test_memtree_dir_cache(void **state)
{
	static const char *const paths[] = { "a/b/f1", "a/b/f2", "a/c/f1", "a/b/f3", "a//b/f4", "a/./b/f5",
					     "a/b//f6", "a/c/f2", "a/b/f7" };
	struct ia_memtree *t = ia_memtree_new(1u << 20);
	char *d;
	(void)state;

	assert_non_null(t);
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		assert_int_equal(ia_memtree_add_file(t, paths[i], 1, &d), 0);
		d[0] = (char)('A' + i);
	}
	assert_int_equal(ia_memtree_add_link(t, "a/l", "b"), 0);
	assert_int_equal(ia_memtree_add_file(t, "a/l/f8", 1, &d), -ELOOP);
	assert_int_equal(ia_memtree_add_file(t, "a/l/f9", 1, &d), -ELOOP);
	assert_int_equal(ia_memtree_add_file(t, "a/b/f8", 1, &d), 0);
	d[0] = 'Z';
	assert_int_equal(ia_memtree_seal(t), 0);
	long b = ia_memtree_resolve(t, 0, "a/b", true), c = ia_memtree_resolve(t, 0, "a/c", true);
	assert_true(b > 0 && c > 0 && b != c);
	static const char *const clean[] = { "a/b/f1", "a/b/f2", "a/c/f1", "a/b/f3", "a/b/f4", "a/b/f5", "a/b/f6",
					     "a/c/f2", "a/b/f7" };
	for (size_t i = 0; i < sizeof(clean) / sizeof(*clean); i++) {
		long k = ia_memtree_resolve(t, 0, clean[i], true);
		assert_true(k > 0);
		const struct ia_memnode *n = ia_memtree_node(t, k);
		assert_int_equal(n->data[0], 'A' + (int)i);
		assert_int_equal(n->parent, clean[i][2] == 'b' ? (uint32_t)b : (uint32_t)c);
	}
	assert_int_equal(ia_memtree_node(t, ia_memtree_resolve(t, 0, "a/l/f8", true))->data[0], 'Z');
	assert_int_equal(ia_memtree_node(t, b)->nkids, 8);
	ia_memtree_free(t);
}

/* A file's zeros at its end are not held (a sysfs config file is mostly zeros): the held bytes
 * shrink, the room goes back to the arena for the next file, and every read gives the same bytes
 * as before (zeros past the held ones), in the tree and through a memory root. A file in a block of
 * its own is trimmed too; one of zeros only holds none. */
static void test_memtree_zero_tail(void **state)
{
	struct ia_memtree *t = ia_memtree_new(4u << 20);
	char *a, *b, *z, *big, buf[4096], want[4096];
	struct ia_fsroot r;
	(void)state;

	assert_non_null(t);
	memset(want, 0, sizeof(want));
	memset(want, 'x', 100);
	want[50] = 0; /* a zero inside the held bytes stays */
	assert_int_equal(ia_memtree_add_file(t, "sys/config", sizeof(want), &a), 0);
	memcpy(a, want, sizeof(want));
	ia_memtree_file_filled(t);
	assert_int_equal(ia_memtree_add_file(t, "sys/next", 16, &b), 0);
	/* 100 held bytes (104, 8-aligned): the next name and bytes take the 3,992 after them */
	assert_true(b >= a + 104 && b < a + 4096);
	memset(b, 'y', 16);
	ia_memtree_file_filled(t);
	assert_int_equal(ia_memtree_add_file(t, "sys/zeros", 64, &z), 0);
	memset(z, 0, 64);
	ia_memtree_file_filled(t);
	assert_int_equal(ia_memtree_add_file(t, "sys/big", 300u << 10, &big), 0); /* a block of its own */
	memset(big, 0, 300u << 10);
	memcpy(big + 1000, "end", 3);
	ia_memtree_file_filled(t);
	ia_memtree_file_filled(t); /* again: nothing left to trim */
	/* something else taken from the arena before the file is said filled: its held bytes shrink,
	 * its room stays (the directory's name is after it) */
	char *c2, *n2;
	assert_int_equal(ia_memtree_add_file(t, "sys/c2", 4096, &c2), 0);
	memset(c2, 0, 4096);
	c2[7] = 'q';
	assert_int_equal(ia_memtree_add_dir(t, "sys/d"), 0);
	ia_memtree_file_filled(t);
	assert_int_equal(ia_memtree_add_file(t, "sys/n2", 8, &n2), 0);
	assert_true(n2 < c2 || n2 >= c2 + 4096);
	memset(n2, 'n', 8);
	ia_memtree_file_filled(t);
	/* refused: past 4 GiB, or past the budget; nothing is added */
	assert_int_equal(ia_memtree_add_file(t, "sys/huge", (uint64_t)UINT32_MAX + 1, &z), -E2BIG);
	assert_null(z);
	assert_int_equal(ia_memtree_add_file(t, "sys/over", 8u << 20, &z), -E2BIG);
	assert_null(z);
	assert_int_equal(ia_memtree_seal(t), 0);
	assert_int_equal(ia_memtree_resolve(t, 0, "sys/over", true), -ENOENT);
	assert_int_equal(ia_memtree_resolve(t, 0, "sys/huge", true), -ENOENT);
	const struct ia_memnode *nc2 = ia_memtree_node(t, ia_memtree_resolve(t, 0, "sys/c2", true));
	assert_int_equal(nc2->held, 8);
	assert_int_equal(nc2->size, 4096);

	const struct ia_memnode *n = ia_memtree_node(t, ia_memtree_resolve(t, 0, "sys/config", true));
	assert_int_equal(n->size, 4096);
	assert_int_equal(n->held, 100);
	assert_int_equal(ia_memtree_node(t, ia_memtree_resolve(t, 0, "sys/next", true))->held, 16);
	assert_int_equal(ia_memtree_node(t, ia_memtree_resolve(t, 0, "sys/zeros", true))->held, 0);
	const struct ia_memnode *nb = ia_memtree_node(t, ia_memtree_resolve(t, 0, "sys/big", true));
	assert_int_equal(nb->held, 1003);
	assert_int_equal(nb->size, 300u << 10);
	memset(buf, 0x55, sizeof(buf));
	ia_memnode_copy(n, 96, buf, 8);   /* across the end of the held bytes */
	assert_memory_equal(buf, "xxxx\0\0\0\0", 8);
	memset(buf, 0x55, sizeof(buf));
	ia_memnode_copy(n, 4000, buf, 96); /* past them */
	for (size_t i = 0; i < 96; i++)
		assert_int_equal(buf[i], 0);

	/* through a memory root: the whole file, a pread across the held end, the size */
	assert_int_equal(ia_fsroot_open_mem(&r, t, "memory"), 0);
	char *whole = NULL;
	size_t len = 0;
	assert_int_equal(ia_fsroot_read(&r, "sys/config", 8192, &whole, &len), 0);
	assert_int_equal(len, 4096);
	assert_memory_equal(whole, want, 4096);
	free(whole);
	struct stat st;
	int dir = ia_fsroot_opendir(&r, "sys");
	assert_true(dir >= 0);
	int h = ia_fsdir_open_file(&r, dir, "config", &st);
	assert_true(h >= 0);
	assert_int_equal(st.st_size, 4096);
	memset(buf, 0x55, sizeof(buf));
	assert_int_equal(ia_fsfile_pread(&r, h, buf, 64, 64), 64);
	assert_memory_equal(buf, want + 64, 64);
	assert_int_equal(ia_fsfile_pread(&r, h, buf, 4096, 4090), 6);
	ia_fsroot_handle_close(&r, h);
	ia_fsroot_handle_close(&r, dir);
	size_t size = 0;
	memset(buf, 0x55, sizeof(buf));
	assert_int_equal(ia_fsroot_read_prefix(&r, "sys/config", buf, 256, &size), 256);
	assert_int_equal(size, 4096);
	assert_memory_equal(buf, want, 256);
	char small[8];
	assert_int_equal(ia_fsroot_read_small(&r, "sys/zeros", small, sizeof(small)), -IA_E_TOOBIG);
	ia_fsroot_close(&r); /* frees the tree */
}

/* Past 2 MiB the tree takes huge-page-sized pieces, but a budget that holds the exact bytes and not
 * the rounded ones still holds the tree (a tree just under IA_SNAPSHOT_MEM_BUDGET stays in memory). */
static void test_memtree_budget_edge(void **state)
{
	struct ia_memtree *t = ia_memtree_new((3u << 20) + (512u << 10));
	char name[32], *d;
	(void)state;

	assert_non_null(t);
	for (int i = 0; i < 700; i++) { /* 700 x 4 KiB: 2.7 MiB of bytes, names and nodes aside */
		snprintf(name, sizeof(name), "d%d/config", i);
		assert_int_equal(ia_memtree_add_file(t, name, 4096, &d), 0);
		memset(d, i & 0xff, 4096);
	}
	assert_true(ia_memtree_used(t) <= (3u << 20) + (512u << 10));
	assert_int_equal(ia_memtree_seal(t), 0);
	assert_int_equal(ia_memtree_node(t, ia_memtree_resolve(t, 0, "d699/config", true))->data[4095], (char)(699 & 0xff));
	ia_memtree_free(t);
	/* and what passes the budget is refused, -E2BIG */
	t = ia_memtree_new(3u << 20);
	assert_non_null(t);
	int rc = 0;
	for (int i = 0; i < 1000 && rc == 0; i++) {
		snprintf(name, sizeof(name), "d%d/config", i);
		rc = ia_memtree_add_file(t, name, 4096, &d);
	}
	assert_int_equal(rc, -E2BIG);
	ia_memtree_free(t);
	/* a roomy budget: past 2 MiB the pieces are huge-page sized, the bytes all kept and counted
	 * (3,000 x 4 KiB: 11.7 MiB of bytes; the count rounds each 2 MiB piece, no more) */
	t = ia_memtree_new(64u << 20);
	assert_non_null(t);
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "d%d/config", i);
		assert_int_equal(ia_memtree_add_file(t, name, 4096, &d), 0);
		memset(d, i & 0xff, 4096);
	}
	size_t used = ia_memtree_used(t);
	assert_true(used >= 3000u * 4096u && used <= 3000u * 4096u + (8u << 20));
	assert_int_equal(ia_memtree_seal(t), 0);
	for (int i = 0; i < 3000; i += 997) {
		snprintf(name, sizeof(name), "d%d/config", i);
		const struct ia_memnode *n = ia_memtree_node(t, ia_memtree_resolve(t, 0, name, true));
		assert_non_null(n);
		assert_int_equal(n->size, 4096);
		assert_int_equal((unsigned char)n->data[0], (unsigned)(i & 0xff));
		assert_int_equal((unsigned char)n->data[4095], (unsigned)(i & 0xff));
	}
	ia_memtree_free(t);
}

/* The same hostile tree served from memory (issue 18 item 3): every answer the disk gives. */
static void test_fsroot_memory(void **state)
{
	struct ia_fsroot r;
	(void)state;

	build_hostile_root();
	mem_root_of("root", &r);
	assert_false(r.live);
	assert_int_equal(r.fd, -1);
	run_fsroot_checks(&r, "memory");
	ia_fsroot_close(&r);
	ia_fsroot_close(&r);
}

/* One answer of a root to a question about @rel, as text ("rc=... text"), for comparing backends. */
static void answers_of(const struct ia_fsroot *r, const char *rel, char *out, size_t cap)
{
	char *buf = NULL, t[4096], small[16];
	size_t len = 0, n = 0, used = 0;
	char **names = NULL;
	struct stat st;

#define ANS(...) (used += (size_t)snprintf(out + used, used < cap ? cap - used : 0, __VA_ARGS__))
	int rc = ia_fsroot_read(r, rel, 4096, &buf, &len);
	ANS("read=%d:%s ", rc, rc == 0 ? buf : "");
	free(buf);
	long k = ia_fsroot_read_small(r, rel, small, sizeof(small));
	ANS("small=%ld ", k);
	k = ia_fsroot_canonical(r, rel, t, sizeof(t));
	ANS("canon=%ld:%s ", k, k >= 0 ? t : "");
	k = ia_fsroot_readlink(r, rel, t, sizeof(t));
	ANS("readlink=%ld:%s ", k, k >= 0 ? t : "");
	k = ia_fsroot_link_basename(r, rel, t, sizeof(t));
	ANS("base=%ld:%s ", k, k >= 0 ? t : "");
	rc = ia_fsroot_list(r, rel, &names, &n);
	ANS("list=%d:", rc);
	for (size_t i = 0; rc == 0 && i < n; i++)
		ANS("%s,", names[i]);
	if (rc == 0)
		ia_fsroot_list_free(names, n);
	rc = ia_fsroot_stat(r, rel, &st);
	ANS(" stat=%d:%o ", rc, rc == 0 ? (unsigned)(st.st_mode & S_IFMT) : 0u);
	int d = ia_fsroot_opendir(r, rel);
	ANS("opendir=%d ", d < 0 ? d : 0);
	/* and, when @rel has a directory part that opens, the handle functions on its last name */
	const char *slash = strrchr(rel, '/');
	if (slash && slash[1]) {
		char dir[4096];
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - rel), rel);
		int dfd = ia_fsroot_opendir(r, dir);
		if (dfd >= 0) {
			const char *nm = slash + 1;
			k = ia_fsdir_read_small(r, dfd, nm, t, sizeof(t));
			ANS("dsmall=%ld:%s ", k, k >= 0 ? t : "");
			k = ia_fsdir_readlink_base(r, dfd, nm, t, sizeof(t));
			ANS("dbase=%ld:%s ", k, k >= 0 ? t : "");
			rc = ia_fsdir_lstat(r, dfd, nm, &st);
			ANS("dlstat=%d:%o ", rc, rc == 0 ? (unsigned)(st.st_mode & S_IFMT) : 0u);
			rc = ia_fsdir_list(r, dfd, nm, &names, &n);
			ANS("dlist=%d ", rc);
			if (rc == 0)
				ia_fsroot_list_free(names, n);
			int f = ia_fsdir_open_file(r, dfd, nm, NULL);
			ANS("dopen=%d ", f < 0 ? f : 0);
			ia_fsroot_handle_close(r, f);
			char canon[4096];
			int l = ia_fsroot_open_link_dir(r, dfd, dir, nm, true, canon, sizeof(canon));
			ANS("linkdir=%d:%s", l < 0 ? l : 0, l >= 0 ? canon : "");
			ia_fsroot_handle_close(r, l);
			ia_fsroot_handle_close(r, dfd);
		}
	}
	ia_fsroot_handle_close(r, d);
#undef ANS
}

/*
 * Every path of the hostile tree, and each with "/", "/.", "/..", "/x" and "/../.." after it,
 * asked of the disk (openat2 and the walk) and of memory: the answers are the same text.
 */
static void test_fsroot_memory_same_answers(void **state)
{
	static const char *const extra[] = { "", ".", "..", "/", "//sys//x//", "sys/up/..", "sys/self",
					     "sys/loop1/", "sys/x/../..", "nothing/..", "sys/deep/a/b/c/..",
					     "sys/out/", "list/./a/", "sys/devices/pci0000:00/0000:00:01.0/evil" };
	struct ia_fsroot disk, walk, mem;
	char **paths = NULL;
	size_t np = 0, cap = 0;
	(void)state;

	build_hostile_root();
	ia_mk_link("root/sys/dangling", "nowhere/at/all");
	ia_mk_link("root/sys/tofile", "../etc/passwd/");
	ia_mk_link("root/sys/abs-dotdot", "/../../etc");
	ia_mk_dir("root/empty/");
	assert_int_equal(ia_fsroot_open(&disk, ia_sp("root")), 0);
	assert_int_equal(ia_fsroot_open(&walk, ia_sp("root")), 0);
	walk.have_openat2 = false;
	mem_root_of("root", &mem);
	/* the paths: every node of the memory tree, then the variants */
	for (size_t i = 0; i < ia_memtree_count(mem.mem); i++) {
		char p[4096];
		assert_true(ia_memtree_path(mem.mem, (uint32_t)i, p, sizeof(p)) >= 0);
		static const char *const suffix[] = { "", "/", "/.", "/..", "/x", "/../.." };
		for (size_t k = 0; k < sizeof(suffix) / sizeof(suffix[0]); k++) {
			char q[4200];
			snprintf(q, sizeof(q), "%s%s", p, suffix[k]);
			char **nv = ia_array_grow(paths, &cap, np + 1, sizeof(*nv));
			assert_non_null(nv);
			paths = nv;
			paths[np++] = strdup(q);
		}
	}
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		char **nv = ia_array_grow(paths, &cap, np + 1, sizeof(*nv));
		assert_non_null(nv);
		paths = nv;
		paths[np++] = strdup(extra[i]);
	}
	static char a[16384], b[16384], c[16384];
	for (size_t i = 0; i < np; i++) {
		answers_of(&disk, paths[i], a, sizeof(a));
		answers_of(&walk, paths[i], b, sizeof(b));
		answers_of(&mem, paths[i], c, sizeof(c));
		if (strcmp(a, b))
			fail_msg("\"%s\": openat2 %s\nwalk %s", paths[i], a, b);
		if (strcmp(a, c))
			fail_msg("\"%s\": disk %s\nmemory %s", paths[i], a, c);
		free(paths[i]);
	}
	free(paths);
	ia_fsroot_close(&disk);
	ia_fsroot_close(&walk);
	ia_fsroot_close(&mem);
}

/* A root whose own etc/ is absent: the absolute link is absent, never the host's /etc. */
static void test_fsroot_absolute_link_absent(void **state)
{
	static const bool modes[] = { true, false };
	(void)state;

	ia_mk_link("root/sys/x", "/etc");
	ia_mk_link("root/sys/y", "/");
	for (size_t m = 0; m < 2; m++) {
		struct ia_fsroot r;
		char *buf = NULL;
		size_t len = 0;
		char out[256];

		assert_int_equal(ia_fsroot_open(&r, ia_sp("root")), 0);
		if (!modes[m])
			r.have_openat2 = false;
		assert_int_equal(ia_fsroot_read(&r, "sys/x/passwd", 1 << 20, &buf, &len), -ENOENT);
		assert_null(buf);
		assert_int_equal(ia_fsroot_read(&r, "sys/y/etc/passwd", 1 << 20, &buf, &len), -ENOENT);
		assert_int_equal(ia_fsroot_canonical(&r, "sys/x", out, sizeof(out)), -ENOENT);
		assert_int_equal(ia_fsroot_canonical(&r, "sys/y", out, sizeof(out)), 0);
		assert_string_equal(out, "");
		assert_false(ia_fsroot_exists(&r, "sys/x"));
		ia_fsroot_close(&r);
	}
}

static void test_fsroot_open_errors(void **state)
{
	struct ia_fsroot r, z;
	(void)state;

	ia_mk_text("file", "x");
	assert_int_equal(ia_fsroot_open(&r, ia_sp("absent")), -ENOENT);
	assert_int_equal(r.fd, -1);
	assert_null(r.path);
	assert_int_equal(ia_fsroot_open(&r, ia_sp("file")), -ENOTDIR);
	memset(&z, 0, sizeof(z));
	ia_fsroot_close(&z); /* a zeroed root: fd 0 is not closed */
	assert_true(fcntl(0, F_GETFD) >= 0 || errno != EBADF);
	ia_fsroot_close(NULL);
	assert_int_equal(ia_fsroot_open(&r, "/"), 0);
	assert_true(r.live);
	ia_fsroot_close(&r);
}

/* ---------------------------------------------------------------------------------------------
 * Snapshot unpack: hostile archives are refused whole, and nothing lands outside
 * ------------------------------------------------------------------------------------------- */

enum member_kind { M_FILE, M_DIR, M_LINK, M_HARDLINK, M_FIFO, M_CHR };

struct member {
	enum member_kind kind;
	const char *name;
	const char *target;     /* link target, or the data of a file */
};

/* Write a .tar.gz of @m with libarchive's writer. */
static void write_archive(const char *path, const struct member *m, size_t n)
{
	struct archive *a = archive_write_new();

	assert_non_null(a);
	archive_write_add_filter_gzip(a);
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_mtime(e, 1700000000, 0);
		switch (m[i].kind) {
		case M_FILE:
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_size(e, (la_int64_t)strlen(m[i].target));
			break;
		case M_DIR:
			archive_entry_set_filetype(e, AE_IFDIR);
			archive_entry_set_perm(e, 0755);
			break;
		case M_LINK:
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_perm(e, 0777);
			archive_entry_set_symlink(e, m[i].target);
			break;
		case M_HARDLINK:
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_hardlink(e, m[i].target);
			break;
		case M_FIFO:
			archive_entry_set_filetype(e, AE_IFIFO);
			archive_entry_set_perm(e, 0644);
			break;
		case M_CHR:
			archive_entry_set_filetype(e, AE_IFCHR);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_rdevmajor(e, 1);
			archive_entry_set_rdevminor(e, 3);
			break;
		}
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (m[i].kind == M_FILE && m[i].target[0])
			assert_int_equal(archive_write_data(a, m[i].target, strlen(m[i].target)),
					 (la_ssize_t)strlen(m[i].target));
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

/* True when directory @dir holds no entries. */
static bool dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool empty = true;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

struct bad_archive {
	const char *name;
	struct member m[4];
	size_t n;
	const char *member;     /* the member the diagnostic must name */
	const char *outside;    /* a path (under ia_scratch) that must not exist afterwards */
};

/* Absolute names point into ia_scratch/victim so that a failure cannot touch anything else. */
static char abs_name[512], abs_dir[512];

static void test_unpack_refuses_hostile(void **state)
{
	(void)state;
	snprintf(abs_dir, sizeof(abs_dir), "%s/victim", ia_scratch);
	snprintf(abs_name, sizeof(abs_name), "%s/victim/abs", ia_scratch);
	const struct bad_archive cases[] = {
		{ "absolute-name", { { M_DIR, "sys/", "" }, { M_FILE, abs_name, "pwned\n" } }, 2,
		  abs_name, "victim/abs" },
		{ "dotdot-member", { { M_DIR, "sys/", "" }, { M_FILE, "sys/../../evil", "pwned\n" } }, 2,
		  "sys/../../evil", "tmp/evil" },
		{ "dotdot-leading", { { M_FILE, "../evil2", "pwned\n" } }, 1, "../evil2", "tmp/evil2" },
		{ "link-to-etc-passwd", { { M_LINK, "passwd", "/etc/passwd" }, { M_FILE, "passwd", "x" } }, 2,
		  "passwd", NULL },
		{ "link-escaping", { { M_DIR, "a/", "" }, { M_LINK, "a/l", "../../x" } }, 2, "a/l", NULL },
		{ "link-escaping-at-top", { { M_LINK, "l", "../x" } }, 1, "l", NULL },
		{ "link-chain-escaping", { { M_LINK, "x", "." }, { M_LINK, "y", "x/x/x/../../../outside" } }, 2,
		  "y", NULL },
		{ "hard-link", { { M_FILE, "f", "data" }, { M_HARDLINK, "h", "f" } }, 2, "h", NULL },
		{ "hard-link-outside", { { M_HARDLINK, "h", "/etc/passwd" } }, 1, "h", NULL },
		{ "fifo", { { M_FIFO, "dev/fifo", "" } }, 1, "dev/fifo", NULL },
		{ "char-device", { { M_CHR, "dev/null", "" } }, 1, "dev/null", NULL },
		{ "write-through-link", { { M_DIR, "real/", "" }, { M_LINK, "d", "real" }, { M_FILE, "d/f", "x" } },
		  3, "d/f", NULL },
	};

	assert_int_equal(mkdir(ia_sp("tmp"), 0700), 0);
	assert_int_equal(mkdir(abs_dir, 0700), 0);
	assert_int_equal(setenv("TMPDIR", ia_sp("tmp"), 1), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_archive *t = &cases[i];
		char arc[600], *dir = (char *)"untouched";
		struct ia_diags d = {0};

		snprintf(arc, sizeof(arc), "%s/%s.tar.gz", ia_scratch, t->name);
		write_archive(arc, t->m, t->n);
		int rc = ia_snapshot_unpack(arc, &dir, &d);
		if (rc != -IA_E_ARCHIVE)
			fail_msg("case %s: rc %d (%s)", t->name, rc, ia_strerror(rc));
		assert_null(dir);
		const struct ia_diag *g = ia_diags_find(&d, -IA_E_ARCHIVE);
		char quoted[300];
		snprintf(quoted, sizeof(quoted), "\"%s\"", t->member);
		if (!g || !strstr(g->msg, quoted))
			fail_msg("case %s: no diagnostic naming %s (%s)", t->name, quoted, g ? g->msg : "none");
		assert_string_equal(g->where, arc);
		/* The unpack directory is gone and nothing was written beside it. */
		if (!dir_empty(ia_sp("tmp")) || !dir_empty(abs_dir))
			fail_msg("case %s: files left in %s or %s", t->name, ia_sp("tmp"), abs_dir);
		if (t->outside && exists_nofollow(ia_sp(t->outside)))
			fail_msg("case %s: %s was written", t->name, t->outside);
		assert_false(exists_nofollow(ia_sp("evil")));
		assert_false(exists_nofollow(ia_sp("outside")));
		ia_diags_free(&d);
		/* the in-memory replay refuses it alike, naming the same member, and writes nothing */
		static const struct ia_snapshot_limits lim = { IA_SNAPSHOT_MAX_BYTES, IA_SNAPSHOT_MAX_ENTRIES };
		struct ia_memtree *tree = (struct ia_memtree *)&tree;
		rc = ia_snapshot_load(arc, &lim, IA_SNAPSHOT_MEM_BUDGET, NULL, &tree, &d);
		if (rc != -IA_E_ARCHIVE)
			fail_msg("case %s: loaded %d (%s)", t->name, rc, ia_strerror(rc));
		assert_null(tree);
		g = ia_diags_find(&d, -IA_E_ARCHIVE);
		if (!g || !strstr(g->msg, quoted))
			fail_msg("case %s: loading: no diagnostic naming %s (%s)", t->name, quoted, g ? g->msg : "none");
		if (!dir_empty(ia_sp("tmp")) || !dir_empty(abs_dir))
			fail_msg("case %s: loading left files in %s or %s", t->name, ia_sp("tmp"), abs_dir);
		ia_diags_free(&d);
	}
	assert_int_equal(unsetenv("TMPDIR"), 0);
}

/* Not an archive, and an absent file. */
static void test_unpack_unreadable(void **state)
{
	char *dir = NULL;
	struct ia_diags d = {0};
	(void)state;

	assert_int_equal(mkdir(ia_sp("tmp"), 0700), 0);
	assert_int_equal(setenv("TMPDIR", ia_sp("tmp"), 1), 0);
	ia_mk_text("garbage.tar.gz", "this is not an archive\n");
	assert_int_equal(ia_snapshot_unpack(ia_sp("garbage.tar.gz"), &dir, &d), -IA_E_ARCHIVE);
	assert_null(dir);
	assert_non_null(ia_diags_find(&d, -IA_E_ARCHIVE));
	assert_int_equal(ia_snapshot_unpack(ia_sp("absent.tar.gz"), &dir, &d), -IA_E_ARCHIVE);
	assert_true(dir_empty(ia_sp("tmp")));
	ia_diags_free(&d);
	/* the in-memory replay: the same refusals */
	static const struct ia_snapshot_limits lim = { IA_SNAPSHOT_MAX_BYTES, IA_SNAPSHOT_MAX_ENTRIES };
	struct ia_memtree *tree = NULL;
	assert_int_equal(ia_snapshot_load(ia_sp("garbage.tar.gz"), &lim, IA_SNAPSHOT_MEM_BUDGET, NULL, &tree, &d),
			 -IA_E_ARCHIVE);
	assert_null(tree);
	assert_non_null(ia_diags_find(&d, -IA_E_ARCHIVE));
	assert_int_equal(ia_snapshot_load(ia_sp("absent.tar.gz"), &lim, IA_SNAPSHOT_MEM_BUDGET, NULL, &tree, &d),
			 -IA_E_ARCHIVE);
	assert_null(tree);
	/* a stop asked before the first member: -EINTR with a diagnostic naming the signal */
	static const struct member good[] = { { M_FILE, "a", "A\n" } };
	write_archive(ia_sp("good.tar.gz"), good, 1);
	volatile sig_atomic_t stop = SIGINT;
	ia_diags_free(&d);
	assert_int_equal(ia_snapshot_load(ia_sp("good.tar.gz"), &lim, IA_SNAPSHOT_MEM_BUDGET, &stop, &tree, &d), -EINTR);
	assert_null(tree);
	const struct ia_diag *g = ia_diags_find(&d, -EINTR);
	assert_non_null(g);
	assert_non_null(strstr(g->msg, "interrupted by signal 2"));
	assert_true(dir_empty(ia_sp("tmp")));
	ia_diags_free(&d);
	assert_int_equal(unsetenv("TMPDIR"), 0);
}

/* A TMPDIR reached through a symlink (as /tmp is on some systems) still unpacks. */
static void test_unpack_tmpdir_through_link(void **state)
{
	static const struct member good[] = {
		{ M_DIR, "sys/", "" }, { M_FILE, "sys/a", "A\n" }, { M_LINK, "sys/l", "a" },
	};
	char *dir = NULL;
	struct ia_diags d = {0};
	(void)state;

	ia_mk_dir("realtmp");
	ia_mk_link("linktmp", "realtmp");
	write_archive(ia_sp("good.tar.gz"), good, 3);
	assert_int_equal(setenv("TMPDIR", ia_sp("linktmp"), 1), 0);
	int rc = ia_snapshot_unpack(ia_sp("good.tar.gz"), &dir, &d);
	if (rc != 0)
		fail_msg("unpack under a linked TMPDIR: %d (%s)", rc, d.n ? d.v[0].msg : "");
	assert_non_null(dir);
	ia_snapshot_remove(dir);
	free(dir);
	assert_true(dir_empty(ia_sp("realtmp")));
	ia_diags_free(&d);
	assert_int_equal(unsetenv("TMPDIR"), 0);
}

/* ---------------------------------------------------------------------------------------------
 * Snapshot capture: a small fake root into a directory and into a .tar.gz, replayed identically
 * ------------------------------------------------------------------------------------------- */

#define DEV "sys/devices/pci0000:00/0000:00:1c.0"

static const struct member fake_root[] = {
	{ M_FILE, "proc/cmdline", "BOOT_IMAGE=/vmlinuz intel_iommu=on iommu=pt\n" },
	{ M_FILE, "proc/version", "Linux version 6.1.0-test (gcc) #1 SMP\n" },
	{ M_FILE, "boot/config-6.1.0-test", "CONFIG_IOMMU_SUPPORT=y\n" },
	{ M_FILE, DEV "/config", "\x86\x80\x10\x9d\x07\x04\x10\x00" },
	{ M_FILE, DEV "/vendor", "0x8086\n" },
	{ M_FILE, DEV "/device", "0x9d10\n" },
	{ M_FILE, DEV "/class", "0x060400\n" },
	{ M_FILE, DEV "/resource", "0x0000000000000000 0x0000000000000000 0x0000000000000000\n" },
	{ M_LINK, DEV "/iommu_group", "../../../kernel/iommu_groups/4" },
	{ M_LINK, DEV "/driver", "../../../bus/pci/drivers/pcieport" },
	{ M_LINK, "sys/devices/pci0000:00/firmware_node", "../LNXSYSTM:00/LNXSYBUS:00/PNP0A08:00" },
	{ M_LINK, "sys/bus/pci/devices/0000:00:1c.0", "../../../devices/pci0000:00/0000:00:1c.0" },
	{ M_FILE, "sys/kernel/iommu_groups/4/type", "DMA\n" },
	{ M_FILE, "sys/kernel/iommu_groups/4/reserved_regions", "0x00000000fee00000 0x00000000feefffff msi\n" },
	{ M_LINK, "sys/kernel/iommu_groups/4/devices/0000:00:1c.0", "../../../../devices/pci0000:00/0000:00:1c.0" },
	{ M_FILE, "sys/firmware/acpi/tables/DMAR", "DMAR\x50\x00\x00\x00" },
	{ M_FILE, "sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "N\n" },
	{ M_FILE, "dev/vfio/vfio", "" },
};
#define N_FAKE (sizeof(fake_root) / sizeof(fake_root[0]))

static void build_fake_root(const char *under)
{
	char rel[512];

	for (size_t i = 0; i < N_FAKE; i++) {
		snprintf(rel, sizeof(rel), "%s/%s", under, fake_root[i].name);
		if (fake_root[i].kind == M_LINK)
			ia_mk_link(rel, fake_root[i].target);
		else
			ia_mk_text(rel, fake_root[i].target);
	}
	snprintf(rel, sizeof(rel), "%s/sys/bus/pci/drivers/pcieport", under);
	ia_mk_dir(rel);
	/* Hostile bits the capture must survive without writing outside its output. */
	snprintf(rel, sizeof(rel), "%s/sys/bus/pci/devices/0000:00:1f.0", under);
	ia_mk_link(rel, "/x");
	snprintf(rel, sizeof(rel), "%s/sys/class/iommu/dmar0", under);
	ia_mk_link(rel, "/etc");
}

/* Every file of the fake root is in @tree with its bytes, and every link with its text. */
static void compare_tree(const char *tree, const char *what)
{
	for (size_t i = 0; i < N_FAKE; i++) {
		char p[1024], t[512];
		snprintf(p, sizeof(p), "%s/%s", tree, fake_root[i].name);
		if (fake_root[i].kind == M_LINK) {
			ssize_t n = readlink(p, t, sizeof(t) - 1);
			if (n < 0)
				fail_msg("%s: link %s missing", what, fake_root[i].name);
			t[n] = '\0';
			if (strcmp(t, fake_root[i].target) != 0)
				fail_msg("%s: link %s -> %s, want %s", what, fake_root[i].name, t, fake_root[i].target);
		} else {
			size_t len = 0;
			uint8_t *b = ia_slurp(p, &len);
			if (!b)
				fail_msg("%s: file %s missing", what, fake_root[i].name);
			if (len != strlen(fake_root[i].target) || memcmp(b, fake_root[i].target, len) != 0)
				fail_msg("%s: file %s differs", what, fake_root[i].name);
			free(b);
		}
	}
	char p[1024];
	struct stat st;
	snprintf(p, sizeof(p), "%s/sys/bus/pci/drivers/pcieport", tree);
	if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
		fail_msg("%s: driver directory missing", what);
	/* the links leading out of the root are left out, and nothing was followed through them */
	snprintf(p, sizeof(p), "%s/etc", tree);
	assert_false(exists_nofollow(p));
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/0000:00:1f.0", tree);
	assert_false(exists_nofollow(p));
	snprintf(p, sizeof(p), "%s/sys/class/iommu/dmar0", tree);
	assert_false(exists_nofollow(p));
}

static void test_capture_roundtrip(void **state)
{
	struct ia_fsroot r;
	struct ia_diags d = {0};
	char *dir = NULL;
	(void)state;

	build_fake_root("fake");
	assert_int_equal(ia_fsroot_open(&r, ia_sp("fake")), 0);

	/* Into a directory. */
	int rc = ia_snapshot_capture(&r, ia_sp("out"), &d);
	if (rc != 0)
		fail_msg("capture to a directory: %d (%s)", rc, ia_strerror(rc));
	compare_tree(ia_sp("out"), "directory capture");
	const struct ia_diag *g = ia_diags_find(&d, -IA_E_ESCAPE);
	assert_non_null(g);
	assert_string_equal(g->where, "sys/bus/pci/devices/0000:00:1f.0");

	/* Into a .tar.gz, then unpacked. */
	rc = ia_snapshot_capture(&r, ia_sp("out.tar.gz"), &d);
	if (rc != 0)
		fail_msg("capture to a .tar.gz: %d (%s)", rc, ia_strerror(rc));
	assert_int_equal(mkdir(ia_sp("tmp"), 0700), 0);
	assert_int_equal(setenv("TMPDIR", ia_sp("tmp"), 1), 0);
	struct ia_diags ud = {0};
	rc = ia_snapshot_unpack(ia_sp("out.tar.gz"), &dir, &ud);
	if (rc != 0)
		fail_msg("unpack of a capture: %d (%s)", rc, ud.n ? ud.v[0].msg : "");
	assert_non_null(dir);
	compare_tree(dir, "archive capture");

	/* The unpacked tree replays through fsroot like the original. */
	struct ia_fsroot u;
	char canon[256];
	assert_int_equal(ia_fsroot_open(&u, dir), 0);
	assert_int_equal(ia_fsroot_canonical(&u, "sys/bus/pci/devices/0000:00:1c.0/iommu_group", canon,
					     sizeof(canon)), (long)strlen("sys/kernel/iommu_groups/4"));
	assert_string_equal(canon, "sys/kernel/iommu_groups/4");
	ia_fsroot_close(&u);

	ia_snapshot_remove(dir);
	assert_false(exists_nofollow(dir));
	assert_true(dir_empty(ia_sp("tmp")));
	free(dir);
	ia_diags_free(&ud);

	/* An existing output is refused, as a directory, a file or a dangling link. */
	assert_int_equal(ia_snapshot_capture(&r, ia_sp("out"), &d), -EEXIST);
	assert_int_equal(ia_snapshot_capture(&r, ia_sp("out.tar.gz"), &d), -EEXIST);
	ia_mk_link("dangling.tar.gz", ia_sp("victim.tar.gz"));
	assert_int_equal(ia_snapshot_capture(&r, ia_sp("dangling.tar.gz"), &d), -EEXIST);
	assert_false(exists_nofollow(ia_sp("victim.tar.gz")));
	ia_mk_link("dangling-dir", ia_sp("victim-dir"));
	assert_int_equal(ia_snapshot_capture(&r, ia_sp("dangling-dir"), &d), -EEXIST);
	assert_false(exists_nofollow(ia_sp("victim-dir")));

	/* Nothing was written beside the outputs. */
	static const char *const allowed[] = { "fake", "out", "out.tar.gz", "tmp", "dangling.tar.gz", "dangling-dir" };
	DIR *sd = opendir(ia_scratch);
	struct dirent *e;
	assert_non_null(sd);
	while ((e = readdir(sd))) {
		bool ok = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
		for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
			ok |= !strcmp(e->d_name, allowed[i]);
		if (!ok)
			fail_msg("capture wrote %s/%s", ia_scratch, e->d_name);
	}
	closedir(sd);
	ia_fsroot_close(&r);
	ia_diags_free(&d);
	assert_int_equal(unsetenv("TMPDIR"), 0);
}

/* ia_snapshot_remove() deletes only directories it made. */
static void test_snapshot_remove_guard(void **state)
{
	(void)state;

	ia_mk_text("keep/file", "x");
	ia_snapshot_remove(ia_sp("keep"));
	assert_true(exists_nofollow(ia_sp("keep/file")));
	ia_snapshot_remove(NULL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ia_scratch_setup, ia_scratch_teardown)

/* ---------------------------------------------------------------------------------------------
 * The fact tables' descriptions (src/core/facts.h)
 * ------------------------------------------------------------------------------------------- */

/* The created database has each described table with its columns, in order, with their types and
 * NOT NULL; every column has a comment and `iommu-audit schema` prints it; the row struct holds
 * the columns in order. */
static void test_facts_schema_matches_descriptions(void **state)
{
	(void)state;
	sqlite3 *db;
	const char *err;
	const char *schema = ia_db_schema_sql();
	static const char *const types[] = { "INTEGER", "TEXT", "BLOB" };

	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	for (size_t t = 0; t < IA_FACT_N_TABLES; t++) {
		const struct ia_fact_table *ft = &ia_fact_tables[t];
		char sql[128], create[128];
		sqlite3_stmt *st;
		size_t i = 0;
		assert_non_null(ft->name);
		snprintf(create, sizeof(create), "CREATE TABLE %s (\n", ft->name);
		assert_non_null(strstr(schema, create));
		snprintf(sql, sizeof(sql), "SELECT name, type, \"notnull\" FROM pragma_table_info('%s') ORDER BY cid", ft->name);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		for (; sqlite3_step(st) == SQLITE_ROW; i++) {
			assert_true(i < ft->n_columns);
			const struct ia_fact_column *c = &ft->columns[i];
			assert_string_equal((const char *)sqlite3_column_text(st, 0), c->name);
			assert_string_equal((const char *)sqlite3_column_text(st, 1), types[c->type]);
			if (strstr(c->constraint, "NOT NULL")) /* (a WITHOUT ROWID key is NOT NULL unsaid) */
				assert_int_equal(sqlite3_column_int(st, 2), 1);
			assert_true(strlen(c->comment) > 0);
			char line[512];
			snprintf(line, sizeof(line), "-- %s\n", c->comment);
			if (!strstr(schema, line))
				fail_msg("%s.%s: comment not in the schema text", ft->name, c->name);
			if (i)
				assert_true(c->offset > ft->columns[i - 1].offset);
		}
		assert_int_equal(i, ft->n_columns);
		sqlite3_finalize(st);
	}
	ia_db_close(db);
}

/* A pci_function row written through the descriptions reads back field for field, NULLs as NULLs. */
static void test_facts_pci_function_roundtrip(void **state)
{
	(void)state;
	sqlite3 *db;
	sqlite3_stmt *ins, *sel;
	const char *err;
	const struct ia_fact_pci_function in = {
		.bdf = "0000:00:1f.3", .domain = ia_fact_i(true, 0), .bus = ia_fact_i(true, 0),
		.dev = ia_fact_i(true, 0x1f), .fn = ia_fact_i(true, 3), .vendor = ia_fact_i(true, 0x8086),
		.device = ia_fact_i(false, 0x1234), .acs_cap = ia_fact_i(true, 0x5f), .config_bytes = ia_fact_i(true, 4096),
		.is_vf = ia_fact_i(true, 0), .driver = "snd_hda_intel", .real_dma_bdf = NULL,
		.driver_read = ia_fact_i(true, 0),
	};
	struct ia_fact_pci_function out;

	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	assert_int_equal(ia_fact_prepare_insert(db, IA_FACT_pci_function, NULL, &ins), 0);
	ia_fact_bind(ins, IA_FACT_pci_function, &in);
	assert_int_equal(ia_db_step_done(ins), 0);
	ia_fact_bind(ins, IA_FACT_pci_function, &in); /* the same key again: refused */
	assert_int_equal(ia_db_step_done(ins), -IA_E_SQLITE);
	sqlite3_finalize(ins);
	assert_int_equal(ia_fact_prepare_insert(db, IA_FACT_pci_function, "OR IGNORE", &ins), 0);
	ia_fact_bind(ins, IA_FACT_pci_function, &in);
	assert_int_equal(ia_db_step_done(ins), 0);
	sqlite3_finalize(ins);

	assert_int_equal(ia_fact_prepare_select(db, IA_FACT_pci_function, "ORDER BY bdf", &sel), 0);
	assert_int_equal(sqlite3_step(sel), SQLITE_ROW);
	ia_fact_read(sel, IA_FACT_pci_function, &out);
	assert_string_equal(out.bdf, "0000:00:1f.3");
	assert_true(out.dev.has && out.dev.v == 0x1f);
	assert_true(out.fn.has && out.fn.v == 3);
	assert_true(out.vendor.has && out.vendor.v == 0x8086);
	assert_false(out.device.has);                 /* ia_fact_i(false, ...) is SQL NULL */
	assert_int_equal(out.device.v, 0);
	assert_true(out.acs_cap.has && out.acs_cap.v == 0x5f);
	assert_false(out.acs_ctrl.has);               /* not set: NULL */
	assert_null(out.physfn_bdf);
	assert_string_equal(out.driver, "snd_hda_intel");
	assert_true(out.driver_read.has && out.driver_read.v == 0);
	assert_int_equal(sqlite3_step(sel), SQLITE_DONE);
	sqlite3_finalize(sel);
	ia_db_close(db);
}

/* Some columns by name: those are read, the other fields stay; a name the table lacks is refused. */
static void test_facts_select_columns(void **state)
{
	(void)state;
	sqlite3 *db;
	const char *err;
	struct ia_fact_cursor cur;
	struct ia_fact_pci_function f = { .driver = "untouched", .vendor = { true, 7 } };

	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	assert_int_equal(ia_db_exec(db, "INSERT INTO pci_function(bdf, domain, bus, dev, fn, secondary_bus, config_bytes, is_vf)"
					" VALUES ('0000:00:1c.0', 0, 0, 28, 0, NULL, 64, 0), ('0000:00:01.0', 0, 0, 1, 0, 2, 64, 0)"), 0);
	assert_int_equal(ia_fact_select(db, IA_FACT_pci_function, "bdf, dev, secondary_bus", "ORDER BY bdf", &cur), 0);
	assert_int_equal(ia_fact_next(&cur, &f), 1);
	assert_string_equal(f.bdf, "0000:00:01.0");
	assert_true(f.dev.has && f.dev.v == 1);
	assert_true(f.secondary_bus.has && f.secondary_bus.v == 2);
	assert_int_equal(ia_fact_next(&cur, &f), 1);
	assert_string_equal(f.bdf, "0000:00:1c.0");
	assert_int_equal(f.dev.v, 28);
	assert_false(f.secondary_bus.has);
	assert_string_equal(f.driver, "untouched");   /* not selected */
	assert_true(f.vendor.has && f.vendor.v == 7);
	assert_int_equal(ia_fact_next(&cur, &f), 0);
	ia_fact_cursor_close(&cur);
	assert_int_equal(ia_fact_select(db, IA_FACT_pci_function, "bdf, no_such_column", NULL, &cur), -EINVAL);
	ia_fact_cursor_close(&cur);
	assert_int_equal(ia_fact_select(db, IA_FACT_pci_function, NULL, "WHERE dev = 28", &cur), 0);
	assert_int_equal(cur.n, ia_fact_tables[IA_FACT_pci_function].n_columns);
	assert_int_equal(ia_fact_next(&cur, &f), 1);
	assert_null(f.driver);                         /* every column: NULL read as NULL */
	assert_false(f.vendor.has);
	ia_fact_cursor_close(&cur);
	ia_db_close(db);
}

/* The temporary sibling of an output: beside it (same directory, so rename(2) is atomic), hidden,
 * unique, never over an existing file, with the permissions open(O_CREAT) would give under the
 * process's umask; a name that does not fit is refused, not cut. */
static void test_outfile_tmp(void **state)
{
	(void)state;
	char tmp[64], big[PATH_MAX];
	struct stat st;

	assert_int_equal(ia_out_tmpname("dir/sub/report.json", tmp, sizeof(tmp)), 0);
	assert_string_equal(tmp, "dir/sub/.report.json.XXXXXX");
	assert_int_equal(ia_out_tmpname("report.json", tmp, sizeof(tmp)), 0);
	assert_string_equal(tmp, ".report.json.XXXXXX");
	assert_int_equal(ia_out_tmpname("/r", tmp, sizeof(tmp)), 0);
	assert_string_equal(tmp, "/.r.XXXXXX");
	assert_int_equal(ia_out_tmpname("0123456789abcdef", tmp, 24), -ENAMETOOLONG); /* 24 bytes + NUL */
	assert_string_equal(tmp, "");
	assert_int_equal(ia_out_tmpname("0123456789abcdef", tmp, 25), 0);

	mode_t old = umask(027);
	assert_int_equal(ia_out_umask(), 027);
	assert_int_equal(ia_out_umask(), 027); /* reading it leaves it */
	char out[PATH_MAX];
	snprintf(out, sizeof(out), "%s", ia_sp("facts.db"));
	int fd = ia_out_tmpfile(out, 0644, big, sizeof(big));
	assert_true(fd >= 0);
	assert_int_equal(strncmp(big, ia_sp(".facts.db."), strlen(ia_sp(".facts.db."))), 0);
	assert_int_equal(strlen(big), strlen(ia_sp(".facts.db.XXXXXX")));
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	char second[PATH_MAX];
	int fd2 = ia_out_tmpfile(out, 0666, second, sizeof(second));
	assert_true(fd2 >= 0);
	assert_string_not_equal(second, big); /* unique */
	assert_int_equal(fstat(fd2, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(access(out, F_OK), -1); /* the output itself is not made */
	close(fd);
	close(fd2);
	unlink(big);
	unlink(second);
	umask(old);
	/* a directory that does not exist: mkostemp()'s errno, and no name left */
	assert_int_equal(ia_out_tmpfile(ia_sp("no/such/facts.db"), 0644, big, sizeof(big)), -ENOENT);
	assert_string_equal(big, "");
	strcpy(tmp, "x");
	assert_int_equal(ia_out_tmpfile(out, 0644, tmp, 8), -ENAMETOOLONG);
	assert_string_equal(tmp, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fsroot_openat2),
		T(test_fsroot_walk),
		T(test_memtree_dir_cache),
		T(test_memtree_budget_edge),
		T(test_memtree_zero_tail),
		T(test_fsroot_memory),
		T(test_fsroot_memory_same_answers),
		T(test_fsroot_absolute_link_absent),
		T(test_fsroot_open_errors),
		T(test_unpack_refuses_hostile),
		T(test_unpack_unreadable),
		T(test_unpack_tmpdir_through_link),
		T(test_capture_roundtrip),
		T(test_snapshot_remove_guard),
		T(test_outfile_tmp),
		cmocka_unit_test(test_facts_schema_matches_descriptions),
		cmocka_unit_test(test_facts_pci_function_roundtrip),
		cmocka_unit_test(test_facts_select_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
