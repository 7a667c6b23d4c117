/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every filesystem read of an audit, resolved inside one root directory (the live "/" or a captured tree). */
#ifndef IA_FSROOT_H
#define IA_FSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct ia_memtree;

/**
 * An open root. Paths given to the functions below are relative to it ("sys/bus/pci").
 * Two backends: a directory on disk (@fd), or a tree held in memory (@mem: a capture archive read
 * by ia_snapshot_load(), src/capture/snapshot.h), served with the same confinement and the same
 * error codes. Directory and file handles (the int the functions below return) are descriptors
 * on disk and node indexes in memory: read them only with ia_fsfile_pread(), release them only
 * with ia_fsroot_handle_close().
 */
struct ia_fsroot {
	int fd;              /* O_PATH descriptor of the root directory; -1 in memory */
	char *path;          /* the root as given (for messages) */
	bool live;           /* the root is "/" */
	bool have_openat2;   /* the kernel resolves RESOLVE_IN_ROOT itself */
	struct ia_memtree *mem; /* the in-memory backend's tree (owned), or NULL on disk */
};

/* Largest file read whole (config spaces are 4 KiB; ACPI tables are checked separately). */
#define IA_FSROOT_MAX_FILE (64u * 1024u * 1024u)

/**
 * ia_fsroot_open() - open @path as the root of all reads.
 * Return: 0; -errno from open(2) (-ENOENT, -EACCES, -ENOTDIR).
 */
int ia_fsroot_open(struct ia_fsroot *r, const char *path);

/**
 * ia_fsroot_open_mem() - serve root @tree (sealed; the root takes it over and frees it on
 * ia_fsroot_close(), also when this fails) under the name @label (for messages). Never live.
 * Symlinks resolve as on disk with openat2(RESOLVE_IN_ROOT); every file is a regular file with
 * one link. Return: 0; -ENOMEM.
 */
int ia_fsroot_open_mem(struct ia_fsroot *r, struct ia_memtree *tree, const char *label);

/** ia_fsroot_close() - release the root (accepts a zeroed or already closed root). */
void ia_fsroot_close(struct ia_fsroot *r);

/**
 * ia_fsroot_openat() - open @rel read-only with every symlink resolved inside the root: ".."
 * never climbs above it and absolute links restart at it (openat2 RESOLVE_IN_ROOT semantics,
 * emulated by a component walk where openat2 is unavailable). O_CLOEXEC is always added and
 * write flags are refused.
 * Return: a handle (a descriptor on disk, a node in memory: ia_fsroot_handle_close() it);
 * -EINVAL for write flags; -ELOOP after 40 links; -errno from open.
 */
int ia_fsroot_openat(const struct ia_fsroot *r, const char *rel, int flags);

/*
 * Every reader below opens a file with O_NONBLOCK | O_NOCTTY (O_NOFOLLOW for the last component
 * of a directory handle's entry), then checks the open descriptor with ia_fsroot_check_fd()
 * before reading a byte: a character or block device, a FIFO or a socket planted where an
 * attribute is expected is refused (-IA_E_NOTREG_CHR, -IA_E_NOTREG_BLK, -IA_E_NOTREG_FIFO,
 * -IA_E_NOTREG_SOCK, -IA_E_NOTREG for any other type), and so is a regular file with a link count
 * above one outside the live root (-IA_E_HARDLINK). Issue 17, items 4 and 5.
 */

/**
 * ia_fsroot_mode_error() - 0 when @mode (struct stat st_mode) is a regular file, else why not:
 * -EISDIR, -IA_E_NOTREG_CHR, -IA_E_NOTREG_BLK, -IA_E_NOTREG_FIFO, -IA_E_NOTREG_SOCK, -IA_E_NOTREG.
 */
int ia_fsroot_mode_error(mode_t mode);

/**
 * ia_fsroot_check_fd() - may open descriptor @fd (a file of root @r) be read as an attribute?
 * One fstat(2) of the descriptor (not of a path, so nothing can be swapped in between): it must
 * be a regular file, and outside the live root have a link count of one. The size is not
 * checked: live sysfs attributes say 4096 and procfs files 0 whatever they hold.
 * @st: out, the descriptor's stat (may be NULL).
 * Return: 0; the codes of ia_fsroot_mode_error(); -IA_E_HARDLINK; -errno from fstat(2).
 */
int ia_fsroot_check_fd(const struct ia_fsroot *r, int fd, struct stat *st);

/**
 * ia_fsroot_read() - read a whole file (at most @max bytes, at most IA_FSROOT_MAX_FILE).
 * @buf: malloc'd, NUL-terminated (free() it); @len: bytes read. Untouched on failure.
 * Outside the live root a file whose size is past @max is refused before any byte is read, and
 * the buffer is allocated once at the file's size (memory: the file's size plus two bytes).
 * Return: 0; -ENOENT when absent; -IA_E_TOOBIG past @max; the codes of ia_fsroot_check_fd();
 * other -errno (-EACCES, -EIO, and -ENODEV for a device that vanished while read).
 */
int ia_fsroot_read(const struct ia_fsroot *r, const char *rel, size_t max, char **buf, size_t *len);

/**
 * ia_fsroot_read_small() - read a small attribute into @buf (capacity @cap, NUL-terminated).
 * Return: bytes read (>= 0); -ENOENT; -IA_E_TOOBIG when the file does not fit; the codes of
 * ia_fsroot_check_fd(); other -errno.
 */
long ia_fsroot_read_small(const struct ia_fsroot *r, const char *rel, char *buf, size_t cap);

/**
 * ia_fsroot_read_prefix() - read up to @cap bytes of a file from offset 0, stopping at the
 * first short read (a non-root config read stops at 64 bytes; a truncated capture ends early).
 * @size: when not NULL, the file's st_size (the size the kernel exposes for sysfs `config`).
 * Return: bytes read (>= 0); -errno on open failure; the codes of ia_fsroot_check_fd().
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


/*
 * Directory handles: open a directory once (confined) and read its entries by plain name.
 * Names must not contain '/'; attributes are opened with O_NOFOLLOW so a link planted in a
 * captured tree is never followed out of the directory.
 */

/**
 * ia_fsroot_handle_close() - release a handle of root @r (a directory from ia_fsroot_opendir()
 * or ia_fsroot_open_link_dir(), a file from ia_fsdir_open_file()); a negative @h is ignored.
 * On disk close(2); in memory nothing.
 */
void ia_fsroot_handle_close(const struct ia_fsroot *r, int h);

/**
 * ia_fsfile_pread() - pread(2) of file handle @h (from ia_fsdir_open_file()): up to @len bytes
 * at offset @off into @buf. Return: bytes read (0 at the end); -errno (-EINTR may be retried).
 */
long ia_fsfile_pread(const struct ia_fsroot *r, int h, void *buf, size_t len, off_t off);

/** ia_fsroot_opendir() - a handle of directory @rel (ia_fsroot_handle_close() it). handle or -errno. */
int ia_fsroot_opendir(const struct ia_fsroot *r, const char *rel);

/**
 * ia_fsroot_open_link_dir() - open the directory that entry @name of @dirfd leads to (a link
 * such as sys/bus/pci/devices/<BDF>, or a plain directory), confined to the root.
 * @dirfd: an open directory of the root whose canonical root-relative path is @dir_canon.
 * @link_expected: the entry is normally a link (sysfs's bus/pci/devices/<BDF>): try the link's
 * way first. Either way a link and a plain directory both open; the hint only saves a call.
 * @canon: receives the target's canonical root-relative path (@cap bytes).
 * A plain directory costs one openat(O_NOFOLLOW) below @dirfd. A link: one readlinkat() and one
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS) of the lexical
 * target: when that succeeds no link was crossed, so the lexical path is the resolved one. When a
 * link is crossed (or openat2 is missing) it falls back to ia_fsroot_canonical() and
 * ia_fsroot_openat(), with the same result.
 * Return: a handle (an O_PATH descriptor on disk; ia_fsroot_handle_close() it); -ENOENT;
 * -EINVAL for a name with '/'; -ENOTDIR;
 * -ELOOP; -ENAMETOOLONG; other -errno.
 */
int ia_fsroot_open_link_dir(const struct ia_fsroot *r, int dirfd, const char *dir_canon,
			    const char *name, bool link_expected, char *canon, size_t cap);

/**
 * ia_fsdir_list() - as ia_fsroot_list() for the directory entry @name of @dirfd (not followed
 * when it is a link: -ELOOP or -ENOTDIR then). 0; -ENOENT; -ENOMEM; other -errno.
 */
int ia_fsdir_list(const struct ia_fsroot *r, int dirfd, const char *name, char ***names, size_t *n);

/**
 * ia_fsdir_lstat() - fstatat(@dirfd, @name, AT_SYMLINK_NOFOLLOW): the entry itself, a link not
 * followed. 0; -EINVAL for a name with '/'; -ENOENT; other -errno.
 */
int ia_fsdir_lstat(const struct ia_fsroot *r, int dirfd, const char *name, struct stat *st);

/**
 * ia_fsdir_open_file() - open entry @name of @dirfd (a directory of root @r) to read it:
 * O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, then ia_fsroot_check_fd().
 * @st: out, the file's stat (may be NULL).
 * Return: a handle (ia_fsroot_handle_close() it); -EINVAL for a name with '/'; -ENOENT; -ELOOP for a link;
 * the codes of ia_fsroot_check_fd() (a socket, which open(2) refuses with ENXIO, is named
 * -IA_E_NOTREG_SOCK); other -errno.
 */
int ia_fsdir_open_file(const struct ia_fsroot *r, int dirfd, const char *name, struct stat *st);

/** ia_fsdir_read_small() - as ia_fsroot_read_small() for entry @name of @dirfd, a directory of @r. */
long ia_fsdir_read_small(const struct ia_fsroot *r, int dirfd, const char *name, char *buf, size_t cap);

/** ia_fsdir_readlink_base() - basename of the target of link @name of @dirfd. len or -errno (-ENOENT when absent). */
long ia_fsdir_readlink_base(const struct ia_fsroot *r, int dirfd, const char *name, char *out, size_t cap);

#endif
