/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Captured host trees: unpack a .tar.gz safely for replay, and capture a root into a directory or .tar.gz. */
#ifndef IA_SNAPSHOT_H
#define IA_SNAPSHOT_H

#include <stddef.h>

#include <signal.h>
#include <stdbool.h>

#include "core/diag.h"
#include "core/fsroot.h"

/* Limits on what an archive may unpack to (issue: hostile captures). */
#define IA_SNAPSHOT_MAX_BYTES (1024ull * 1024 * 1024)
#define IA_SNAPSHOT_MAX_ENTRIES 2000000u

/**
 * ia_snapshot_unpack() - unpack a capture archive (.tar.gz, or a plain tar) into
 * a new private directory under $TMPDIR (or /tmp) for replay with --root.
 * @archive: the file; @dir_out: receives the malloc'd directory path (remove it with
 * ia_snapshot_remove()); @diags: one diagnostic per refused member.
 *
 * Members with absolute names, ".." components, links whose target leaves the tree, hard links,
 * device or FIFO nodes, and a file member over an existing file are refused (the archive is refused as a whole: -IA_E_ARCHIVE).
 * Return: 0; -IA_E_ARCHIVE (unreadable or unsafe); -IA_E_TOOBIG past the limits; -errno.
 */
int ia_snapshot_unpack(const char *archive, char **dir_out, struct ia_diags *diags);

/** Limits on one archive's unpacking (ia_snapshot_unpack() uses the IA_SNAPSHOT_MAX_* values). */
struct ia_snapshot_limits {
	unsigned long long max_bytes;   /* sum of the members' stated sizes, bytes */
	size_t max_entries;             /* members, directories and links included */
};

/**
 * ia_snapshot_unpack_limited() - ia_snapshot_unpack() with explicit @lim. Only tar (ustar, pax,
 * GNU), plain or gzip-compressed, is read: no other libarchive parser, and no filter that would
 * start an external program. Past a limit: -IA_E_TOOBIG, with a diagnostic naming the limit and,
 * for the size, the member that passed it; nothing is left unpacked.
 * Return: as ia_snapshot_unpack().
 */
int ia_snapshot_unpack_limited(const char *archive, const struct ia_snapshot_limits *lim, char **dir_out,
			       struct ia_diags *diags);

/**
 * ia_snapshot_unpack_stoppable() - ia_snapshot_unpack_limited(), ended early once *@stop (when
 * not NULL) is non-zero: the caller's signal handler sets it (SIGINT, SIGTERM), and the unpacking
 * checks it before each member and each data block, so no system call is added per member.
 * Stopped, it removes what it unpacked and returns -EINTR with a diagnostic naming *@stop (the
 * signal number); the caller then re-raises the signal or exits as it documents.
 * Return: as ia_snapshot_unpack(); -EINTR when stopped.
 */
int ia_snapshot_unpack_stoppable(const char *archive, const struct ia_snapshot_limits *lim,
				 const volatile sig_atomic_t *stop, char **dir_out, struct ia_diags *diags);

/*
 * Heap the in-memory replay may hold for one archive's tree (names, contents, index), so an
 * audit of it stays inside 256 MiB (issue 17 item 8). A file's zeros at its end are not held
 * (ia_memtree_file_filled(): a config file is mostly zeros). Measured on ia-gen-tree captures:
 * 16,384 functions audit at 102 MiB peak RSS, 30,000 at 183 MiB, 35,000 at 210 MiB; 40,000 pass the
 * budget. A larger archive, which the limits above still accept, is unpacked to disk instead
 * (slowly: libarchive's secure extraction, about twelve system calls per member).
 */
#define IA_SNAPSHOT_MEM_BUDGET (160ull << 20)

/**
 * ia_snapshot_load() - read a capture archive into a tree in memory, to serve as a root with
 * ia_fsroot_open_mem(): one pass of libarchive, no file written. The same formats, limits
 * (@lim) and refusals as ia_snapshot_unpack_stoppable(): absolute names and ".." components,
 * links leaving the tree, hard links, devices and FIFOs, a member written through a symlink or
 * over an existing name (a directory over a directory excepted), a truncated member; the same
 * handling of *@stop (nothing is left behind: nothing was on disk). File contents are copied
 * without tar headers or padding.
 * @budget: bytes of heap the tree may take (IA_SNAPSHOT_MEM_BUDGET); past it -E2BIG, with a
 * diagnostic, and the caller may unpack the archive to disk instead.
 * @tree: receives the sealed tree (ia_memtree_free(), or hand it to ia_fsroot_open_mem()).
 * Return: 0; -IA_E_ARCHIVE (unreadable or unsafe); -IA_E_TOOBIG past @lim; -E2BIG past @budget;
 * -EINTR when stopped; -ENOMEM.
 */
struct ia_memtree;
int ia_snapshot_load(const char *archive, const struct ia_snapshot_limits *lim, size_t budget,
		     const volatile sig_atomic_t *stop, struct ia_memtree **tree, struct ia_diags *diags);

/** ia_snapshot_remove() - delete an unpacked tree (only a directory made by ia_snapshot_unpack). */
void ia_snapshot_remove(const char *dir);

/**
 * ia_snapshot_capture() - capture the files of the contract's captured-tree layout from @root
 * (../shared/docs/contract.md) into @output: a directory (must not exist) or, by the name's
 * ending, a tar: ".tar.gz"/".tgz" gzip-compressed, ".tar.zst"/".tzst" zstd-compressed, ".tar"
 * plain (pax, names stored as the root's bytes: hdrcharset=BINARY, so any name, UTF-8 or not,
 * is captured and unpacked to the same bytes). Symlinks are kept as the relative links sysfs has
 * (a link leading out of the root is skipped with an -IA_E_ESCAPE diagnostic); /dev/vfio entries
 * become empty files. A path reached twice (two links to one device directory, every device
 * naming its host bridge's firmware_node) is written once.
 * Either output is written under a temporary name beside @output (".NAME.XXXXXX": a file
 * fsync'ed, a directory syncfs'ed) and renamed into place, so a failed or killed capture leaves
 * nothing that looks whole. Nothing outside @output's directory is written, and an @output that
 * is a (dangling) symlink is refused.
 * @diags: one diagnostic per file that could not be read (the capture goes on).
 * Return: 0; -EEXIST when @output exists; -IA_E_ARCHIVE; -errno (-ENOSPC, -EFBIG: the write that
 * failed, with a diagnostic).
 */
int ia_snapshot_capture(const struct ia_fsroot *root, const char *output, struct ia_diags *diags);

/**
 * ia_snapshot_capture_opts() - ia_snapshot_capture(), and with @force an existing @output is
 * replaced: an archive's regular file by rename(2); a directory output's directory by
 * renameat2(RENAME_EXCHANGE) (the old tree then removed, so @output names a whole capture at
 * every moment; a filesystem without it gets the old tree renamed aside first), and only when its
 * top level holds nothing but what a capture writes (proc, sys, boot, dev; anything else is
 * refused with -EEXIST and a diagnostic naming it). A link, or the other kind of file in
 * @output's place, is still refused with -EEXIST. Once *@stop (when not NULL) is non-zero (the
 * caller's signal handler sets it) nothing more is written, the temporary output is removed and
 * -EINTR returned with a diagnostic.
 */
int ia_snapshot_capture_opts(const struct ia_fsroot *root, const char *output, bool force,
			     const volatile sig_atomic_t *stop, struct ia_diags *diags);

#endif
