/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every filesystem read of an audit, resolved inside one root directory (the live "/" or a captured tree). */
#ifndef IA_FSROOT_H
#define IA_FSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/** An open root. Paths given to the functions below are relative to it ("sys/bus/pci"). */
struct ia_fsroot {
	int fd;              /* O_PATH descriptor of the root directory */
	char *path;          /* the root as given (for messages and for libpci's sysfs.path) */
	bool live;           /* the root is "/" */
	bool have_openat2;   /* the kernel resolves RESOLVE_IN_ROOT itself */
};

/* Largest file read whole (config spaces are 4 KiB; ACPI tables are checked separately). */
#define IA_FSROOT_MAX_FILE (64u * 1024u * 1024u)

/**
 * ia_fsroot_open() - open @path as the root of all reads.
 * Return: 0; -errno from open(2) (-ENOENT, -EACCES, -ENOTDIR).
 */
int ia_fsroot_open(struct ia_fsroot *r, const char *path);

/** ia_fsroot_close() - release the root (accepts a zeroed or already closed root). */
void ia_fsroot_close(struct ia_fsroot *r);

/**
 * ia_fsroot_openat() - open @rel read-only with every symlink resolved inside the root: ".."
 * never climbs above it and absolute links restart at it (openat2 RESOLVE_IN_ROOT semantics,
 * emulated by a component walk where openat2 is unavailable). O_CLOEXEC is always added and
 * write flags are refused.
 * Return: a descriptor; -EINVAL for write flags; -ELOOP after 40 links; -errno from open.
 */
int ia_fsroot_openat(const struct ia_fsroot *r, const char *rel, int flags);

/**
 * ia_fsroot_read() - read a whole file (at most @max bytes, at most IA_FSROOT_MAX_FILE).
 * @buf: malloc'd, NUL-terminated (free() it); @len: bytes read. Untouched on failure.
 * Return: 0; -ENOENT when absent; -IA_E_TOOBIG past @max; other -errno (-EACCES, -EIO, and
 * -ENODEV for a device that vanished while read).
 */
int ia_fsroot_read(const struct ia_fsroot *r, const char *rel, size_t max, char **buf, size_t *len);

/**
 * ia_fsroot_read_small() - read a small attribute into @buf (capacity @cap, NUL-terminated).
 * Return: bytes read (>= 0); -ENOENT; -IA_E_TOOBIG when the file does not fit; other -errno.
 */
long ia_fsroot_read_small(const struct ia_fsroot *r, const char *rel, char *buf, size_t cap);

/**
 * ia_fsroot_read_prefix() - read up to @cap bytes of a file from offset 0, stopping at the
 * first short read (a non-root config read stops at 64 bytes; a truncated capture ends early).
 * @size: when not NULL, the file's st_size (the size the kernel exposes for sysfs `config`).
 * Return: bytes read (>= 0); -errno on open failure.
 */
long ia_fsroot_read_prefix(const struct ia_fsroot *r, const char *rel, void *buf, size_t cap,
			   size_t *size);

/**
 * ia_fsroot_readlink() - the target text of symlink @rel (not resolved), NUL-terminated.
 * Return: its length; -EINVAL when @rel is not a link; -ENAMETOOLONG; -errno.
 */
long ia_fsroot_readlink(const struct ia_fsroot *r, const char *rel, char *out, size_t cap);

/** ia_fsroot_link_basename() - the last component of symlink @rel's target ("iommu_group" -> "7"). */
long ia_fsroot_link_basename(const struct ia_fsroot *r, const char *rel, char *out, size_t cap);

/**
 * ia_fsroot_canonical() - the path of @rel with every symlink resolved inside the root,
 * relative to the root, without a leading slash ("" for the root itself).
 * Return: its length; -ENOENT for a dangling component; -ELOOP; -ENAMETOOLONG; -errno.
 */
long ia_fsroot_canonical(const struct ia_fsroot *r, const char *rel, char *out, size_t cap);

/**
 * ia_fsroot_list() - the names in directory @rel, sorted (strcmp), without "." and "..".
 * @names: malloc'd array of malloc'd strings, released with ia_fsroot_list_free().
 * Return: 0; -ENOENT; -ENOTDIR; -ENOMEM; other -errno.
 */
int ia_fsroot_list(const struct ia_fsroot *r, const char *rel, char ***names, size_t *n);
void ia_fsroot_list_free(char **names, size_t n);

/** ia_fsroot_stat() - stat(2) of @rel, following links inside the root. 0 or -errno. */
int ia_fsroot_stat(const struct ia_fsroot *r, const char *rel, struct stat *st);

/** ia_fsroot_exists() - true when @rel exists (after links) inside the root. */
bool ia_fsroot_exists(const struct ia_fsroot *r, const char *rel);

#endif

/*
 * Directory handles: open a directory once (confined) and read its entries by plain name.
 * Names must not contain '/'; attributes are opened with O_NOFOLLOW so a link planted in a
 * captured tree is never followed out of the directory.
 */

/** ia_fsroot_opendir() - an O_PATH descriptor of directory @rel (close() it). fd or -errno. */
int ia_fsroot_opendir(const struct ia_fsroot *r, const char *rel);

/**
 * ia_fsroot_open_link_dir() - open the directory that entry @name of @dirfd leads to (a link
 * such as sys/bus/pci/devices/<BDF>, or a plain directory), confined to the root.
 * @dirfd: an open directory of the root whose canonical root-relative path is @dir_canon.
 * @canon: receives the target's canonical root-relative path (@cap bytes).
 * A plain directory costs one openat(O_NOFOLLOW) below @dirfd. A link: one readlinkat() and one
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS) of the lexical
 * target: when that succeeds no link was crossed, so the lexical path is the resolved one. When a
 * link is crossed (or openat2 is missing) it falls back to ia_fsroot_canonical() and
 * ia_fsroot_openat(), with the same result.
 * Return: an O_PATH descriptor (close() it); -ENOENT; -EINVAL for a name with '/'; -ENOTDIR;
 * -ELOOP; -ENAMETOOLONG; other -errno.
 */
int ia_fsroot_open_link_dir(const struct ia_fsroot *r, int dirfd, const char *dir_canon,
			    const char *name, char *canon, size_t cap);

/**
 * ia_fsdir_list() - as ia_fsroot_list() for the directory entry @name of @dirfd (not followed
 * when it is a link: -ELOOP or -ENOTDIR then). 0; -ENOENT; -ENOMEM; other -errno.
 */
int ia_fsdir_list(int dirfd, const char *name, char ***names, size_t *n);

/** ia_fsdir_read_small() - as ia_fsroot_read_small() for entry @name of @dirfd. */
long ia_fsdir_read_small(int dirfd, const char *name, char *buf, size_t cap);

/** ia_fsdir_readlink_base() - basename of the target of link @name of @dirfd. len or -errno (-ENOENT when absent). */
long ia_fsdir_readlink_base(int dirfd, const char *name, char *out, size_t cap);
