// SPDX-License-Identifier: GPL-2.0-or-later
// Root-confined reads: openat2(RESOLVE_IN_ROOT) where the kernel has it, an equivalent walk otherwise.
#include "core/array.h"
#include "core/fsroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/ia_err.h"
#include "core/memtree.h"

#define FSROOT_MAX_LINKS 40
#define FSROOT_PATH_MAX 4096

/*
 * openat2(2) of @path below @dirfd. RESOLVE_IN_ROOT fails with EAGAIN when any rename or mount
 * anywhere on the system raced a lookup that crossed ".." (fs/namei.c follow_dotdot(): the global
 * rename_lock and mount_lock seqcounts; the man page tells the caller to retry). Sysfs links are
 * full of "..", so on a busy machine (a build renaming object files) a read failed now and then
 * and a report said a file could not be read. Retried a few times here; a caller that still sees
 * EAGAIN uses the component walk, which never fails so.
 * Return: a descriptor, or -1 with errno set.
 */
#define FSROOT_OPENAT2_TRIES 8
static int fsroot_openat2(int dirfd, const char *path, struct open_how *how)
{
	int fd = -1;

	for (int i = 0; i < FSROOT_OPENAT2_TRIES; i++) {
		fd = (int)syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

/* ---- the in-memory backend: the same answers as the disk's below, from an ia_memtree ---- */

/* The stat(2) an unpacked member would have: mode 0700/0600/0777, one link, inode = node + 1. */
static void fsm_stat(const struct ia_memnode *nd, long i, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = (ino_t)i + 1;
	st->st_nlink = nd->type == IA_MEM_DIR ? 2 : 1;
	st->st_mode = nd->type == IA_MEM_DIR ? S_IFDIR | 0700 : nd->type == IA_MEM_REG ? S_IFREG | 0600 : S_IFLNK | 0777;
	st->st_size = nd->type == IA_MEM_DIR ? 4096 : (off_t)nd->size;
	st->st_blksize = 4096;
}

/* ia_fsroot_openat() in memory: resolve @rel from the root (the last link followed unless
 * O_NOFOLLOW, which then fails with ELOOP as open(2) does; O_PATH opens the link itself). */
static int fsm_openat(const struct ia_fsroot *r, const char *rel, int flags)
{
	if (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND))
		return -EINVAL;
	long i = ia_memtree_resolve(r->mem, 0, rel, !(flags & O_NOFOLLOW));
	if (i < 0)
		return (int)i;
	const struct ia_memnode *nd = ia_memtree_node(r->mem, i);
	if (nd->type == IA_MEM_LNK && !(flags & O_PATH))
		return -ELOOP;
	if ((flags & O_DIRECTORY) && nd->type != IA_MEM_DIR)
		return -ENOTDIR;
	return (int)i;
}

/* Directory handle @h of the memory root, checked: the node, or NULL. */
static const struct ia_memnode *fsm_dir(const struct ia_fsroot *r, int h)
{
	const struct ia_memnode *nd = ia_memtree_node(r->mem, h);

	return nd && nd->type == IA_MEM_DIR ? nd : NULL;
}

/* Entry @name of directory handle @dirfd, not followed: its node index, or -errno. */
static long fsm_entry(const struct ia_fsroot *r, int dirfd, const char *name)
{
	if (strchr(name, '/'))
		return -EINVAL;
	if (!fsm_dir(r, dirfd))
		return ia_memtree_node(r->mem, dirfd) ? -ENOTDIR : -EBADF;
	if (!name[0])
		return -ENOENT;
	return ia_memtree_lookup(r->mem, (uint32_t)dirfd, name, strlen(name));
}

/* A regular file's node from a node index (or an error passed through): as ia_fsroot_check_fd(). */
static const struct ia_memnode *fsm_reg(const struct ia_fsroot *r, long i, int *rc)
{
	if (i < 0) {
		*rc = (int)i;
		return NULL;
	}
	const struct ia_memnode *nd = ia_memtree_node(r->mem, i);
	if (!nd) {
		*rc = -EBADF;
		return NULL;
	}
	if (nd->type == IA_MEM_LNK) {
		*rc = -ELOOP;
		return NULL;
	}
	if (nd->type != IA_MEM_REG) {
		*rc = -EISDIR;
		return NULL;
	}
	*rc = 0;
	return nd;
}

/* As fsroot_read_fd_small(): a file past @cap - 1 bytes is -IA_E_TOOBIG. */
static long fsm_read_small(const struct ia_memnode *nd, char *buf, size_t cap)
{
	if (nd->size > cap - 1)
		return -IA_E_TOOBIG;
	ia_memnode_copy(nd, 0, buf, (size_t)nd->size);
	buf[nd->size] = '\0';
	return (long)nd->size;
}

/* The names of directory node @i, sorted (the tree keeps them so), as fsroot_list_fd() gives them. */
static int fsm_list(const struct ia_fsroot *r, long i, char ***names, size_t *count)
{
	if (i < 0)
		return (int)i;
	const struct ia_memnode *nd = ia_memtree_node(r->mem, i);
	if (nd->type != IA_MEM_DIR)
		return -ENOTDIR;
	char **v = NULL;
	if (nd->nkids) {
		v = calloc(nd->nkids, sizeof(*v));
		if (!v)
			return -ENOMEM;
		for (uint32_t k = 0; k < nd->nkids; k++) {
			v[k] = strdup(ia_memtree_node(r->mem, ia_memtree_kid(r->mem, (uint32_t)i, k))->name);
			if (!v[k]) {
				ia_fsroot_list_free(v, k);
				return -ENOMEM;
			}
		}
	}
	*names = v;
	*count = nd->nkids;
	return 0;
}

/* The basename of link text @t (NUL-terminated; trailing slashes dropped) into @out (@cap bytes):
 * its length, or -ENAMETOOLONG. ia_fsroot_link_basename() and ia_fsdir_readlink_base() on disk and
 * in memory. */
static long fsroot_link_base(const char *t, char *out, size_t cap)
{
	size_t n = strlen(t);

	while (n > 1 && t[n - 1] == '/')
		n--;
	const char *b = t;
	for (size_t k = 0; k < n; k++)
		if (t[k] == '/')
			b = t + k + 1;
	size_t bl = n - (size_t)(b - t);
	if (bl >= cap)
		return -ENAMETOOLONG;
	memcpy(out, b, bl);
	out[bl] = '\0';
	return (long)bl;
}

int ia_fsroot_open_mem(struct ia_fsroot *r, struct ia_memtree *tree, const char *label)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->path = strdup(label);
	if (!r->path) {
		ia_memtree_free(tree);
		return -ENOMEM;
	}
	r->mem = tree;
	return 0;
}

void ia_fsroot_handle_close(const struct ia_fsroot *r, int h)
{
	if (h >= 0 && !r->mem)
		close(h);
}

long ia_fsfile_pread(const struct ia_fsroot *r, int h, void *buf, size_t len, off_t off)
{
	if (r->mem) {
		int rc;
		const struct ia_memnode *nd = fsm_reg(r, h, &rc);
		if (!nd)
			return rc == -ELOOP || rc == -EISDIR ? -EISDIR : rc;
		if (off < 0)
			return -EINVAL;
		if ((uint64_t)off >= nd->size)
			return 0;
		size_t n = nd->size - (uint64_t)off < len ? (size_t)(nd->size - (uint64_t)off) : len;
		ia_memnode_copy(nd, (uint64_t)off, buf, n);
		return (long)n;
	}
	ssize_t k = pread(h, buf, len, off);
	return k < 0 ? -errno : (long)k;
}

int ia_fsroot_open(struct ia_fsroot *r, const char *path)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	int fd;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r->path = strdup(path);
	if (!r->path) {
		close(fd);
		return -ENOMEM;
	}
	r->fd = fd;
	char rp[FSROOT_PATH_MAX];
	r->live = realpath(path, rp) && !strcmp(rp, "/");
	int t = (int)syscall(SYS_openat2, fd, ".", &how, sizeof(how));
	if (t >= 0) {
		r->have_openat2 = true;
		close(t);
	}
	return 0;
}

void ia_fsroot_close(struct ia_fsroot *r)
{
	if (!r)
		return;
	if (r->fd >= 0 && r->path)
		close(r->fd);
	ia_memtree_free(r->mem);
	r->mem = NULL;
	free(r->path);
	r->path = NULL;
	r->fd = -1;
}

int ia_fsroot_mode_error(mode_t mode)
{
	if (S_ISREG(mode))
		return 0;
	if (S_ISDIR(mode))
		return -EISDIR; /* what read(2) of a directory says */
	if (S_ISCHR(mode))
		return -IA_E_NOTREG_CHR;
	if (S_ISBLK(mode))
		return -IA_E_NOTREG_BLK;
	if (S_ISFIFO(mode))
		return -IA_E_NOTREG_FIFO;
	if (S_ISSOCK(mode))
		return -IA_E_NOTREG_SOCK;
	return -IA_E_NOTREG;
}

int ia_fsroot_check_fd(const struct ia_fsroot *r, int fd, struct stat *st)
{
	struct stat own;

	if (!st)
		st = &own;
	if (fstat(fd, st) < 0)
		return -errno;
	int rc = ia_fsroot_mode_error(st->st_mode);
	if (rc < 0)
		return rc;
	/*
	 * A captured tree (or an unpacked archive: the unpacker makes no hard links) has no reason
	 * for a second name of a file, and a hard link made into the tree from outside it is a file
	 * path confinement cannot see. The live root is exempt: what the audit reads there is sysfs,
	 * procfs (kernfs and proc refuse link(2), so their files always have one link) and the
	 * distribution's kernel configuration, which a package may legitimately hard-link.
	 */
	if (!r->live && st->st_nlink > 1)
		return -IA_E_HARDLINK;
	return 0;
}

/*
 * open(2) of a Unix socket fails with ENXIO (as does a device node without a driver), and of a
 * device node on a "nodev" mount with EACCES: name what the entry is (fstatat of it, not
 * followed) so the caller can say so; the error path only.
 */
static int fsroot_open_error(int err, int dirfd, const char *name)
{
	struct stat st;

	if ((err == ENXIO || err == EACCES) && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    ia_fsroot_mode_error(st.st_mode) < 0)
		return ia_fsroot_mode_error(st.st_mode);
	return -err;
}

/*
 * Resolve @rel inside the root into a canonical relative path (no links, no "." or ".."),
 * following links with RESOLVE_IN_ROOT semantics. @out has FSROOT_PATH_MAX bytes.
 */
static int fsroot_walk(const struct ia_fsroot *r, const char *rel, char *out)
{
	char todo[FSROOT_PATH_MAX * 2];
	size_t olen = 0;
	int links = 0;

	if (strlen(rel) >= FSROOT_PATH_MAX)
		return -ENAMETOOLONG;
	strcpy(todo, rel);
	out[0] = '\0';
	char *p = todo;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *e = strchr(p, '/');
		size_t cl = e ? (size_t)(e - p) : strlen(p);
		if (cl == 1 && p[0] == '.') {
			p += cl;
			continue;
		}
		if (cl == 2 && p[0] == '.' && p[1] == '.') {
			char *s = strrchr(out, '/');
			olen = s ? (size_t)(s - out) : 0;
			out[olen] = '\0';
			p += cl;
			continue;
		}
		if (olen + 1 + cl >= FSROOT_PATH_MAX)
			return -ENAMETOOLONG;
		size_t prev = olen;
		if (olen)
			out[olen++] = '/';
		memcpy(out + olen, p, cl);
		olen += cl;
		out[olen] = '\0';
		p += cl;

		char lt[FSROOT_PATH_MAX];
		ssize_t n = readlinkat(r->fd, out, lt, sizeof(lt) - 1);
		if (n < 0) {
			if (errno != EINVAL)
				return -errno;
			/* Not a link. A component followed by '/' (more path, ".", "..", or a trailing
			 * slash) must be a directory, as in the kernel's own walk. */
			if (*p == '/') {
				struct stat st;
				if (fstatat(r->fd, out, &st, AT_SYMLINK_NOFOLLOW) < 0)
					return -errno;
				if (!S_ISDIR(st.st_mode))
					return -ENOTDIR;
			}
			continue;
		}
		if (++links > FSROOT_MAX_LINKS)
			return -ELOOP;
		lt[n] = '\0';
		/* Replace the component by the link text: absolute restarts at the root. */
		olen = lt[0] == '/' ? 0 : prev;
		out[olen] = '\0';
		size_t rest = strlen(p);
		if ((size_t)n + 1 + rest >= sizeof(todo))
			return -ENAMETOOLONG;
		/* The link text, then the rest of the path (which starts with '/' when not empty). */
		char tmp[FSROOT_PATH_MAX * 2];
		memcpy(tmp, lt, (size_t)n);
		memcpy(tmp + n, p, rest + 1);
		memcpy(todo, tmp, (size_t)n + 1 + rest);
		p = todo;
	}
	return (int)olen;
}

long ia_fsroot_canonical(const struct ia_fsroot *r, const char *rel, char *out, size_t cap)
{
	if (r->mem) {
		long i = ia_memtree_resolve(r->mem, 0, rel, true);
		return i < 0 ? i : ia_memtree_path(r->mem, (uint32_t)i, out, cap);
	}
	char buf[FSROOT_PATH_MAX];
	int n = fsroot_walk(r, rel, buf);
	struct stat st;

	if (n < 0)
		return n;
	if (n > 0 && fstatat(r->fd, buf, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if ((size_t)n >= cap)
		return -ENAMETOOLONG;
	memcpy(out, buf, (size_t)n + 1);
	return n;
}

int ia_fsroot_openat(const struct ia_fsroot *r, const char *rel, int flags)
{
	if (r->mem)
		return fsm_openat(r, rel, flags);
	if (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND))
		return -EINVAL;
	flags |= O_CLOEXEC;
	/* openat2 refuses O_PATH with other flags. O_NONBLOCK: a FIFO (or a device) planted in a
	 * captured tree must not hang the audit in open() or read(); regular files ignore it. */
	if (!(flags & O_PATH))
		flags |= O_NOCTTY | O_NONBLOCK;
	if (r->have_openat2) {
		struct open_how how = { .flags = (uint64_t)flags, .resolve = RESOLVE_IN_ROOT };
		int fd = fsroot_openat2(r->fd, rel[0] ? rel : ".", &how);
		if (fd >= 0)
			return fd;
		if (errno != ENOSYS && errno != EPERM && errno != ENXIO && errno != EACCES && errno != EAGAIN)
			return -errno;
	}
	char canon[FSROOT_PATH_MAX];
	int n = fsroot_walk(r, rel, canon);
	if (n < 0)
		return n;
	int fd = openat(r->fd, n ? canon : ".", flags | O_NOFOLLOW);
	return fd < 0 ? fsroot_open_error(errno, r->fd, n ? canon : ".") : fd;
}

/* ia_fsroot_openat() of a file to read, checked with ia_fsroot_check_fd(): fd or -errno. */
static int fsroot_open_file(const struct ia_fsroot *r, const char *rel, struct stat *st)
{
	int fd = ia_fsroot_openat(r, rel, O_RDONLY);

	if (fd < 0)
		return fd;
	int rc = ia_fsroot_check_fd(r, fd, st);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int ia_fsdir_open_file(const struct ia_fsroot *r, int dirfd, const char *name, struct stat *st)
{
	if (r->mem) {
		int rc;
		long i = fsm_entry(r, dirfd, name);
		const struct ia_memnode *nd = fsm_reg(r, i, &rc);
		if (nd && st)
			fsm_stat(nd, i, st);
		return nd ? (int)i : rc;
	}
	if (strchr(name, '/'))
		return -EINVAL;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fsroot_open_error(errno, dirfd, name);
	int rc = ia_fsroot_check_fd(r, fd, st);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

long ia_fsroot_read_prefix(const struct ia_fsroot *r, const char *rel, void *buf, size_t cap,
			   size_t *size)
{
	if (r->mem) {
		int rc;
		long i = fsm_openat(r, rel, O_RDONLY);
		const struct ia_memnode *nd = fsm_reg(r, i, &rc);
		if (!nd)
			return rc;
		if (size)
			*size = (size_t)nd->size;
		size_t n = nd->size < cap ? (size_t)nd->size : cap;
		ia_memnode_copy(nd, 0, buf, n);
		return (long)n;
	}
	struct stat st;
	int fd = fsroot_open_file(r, rel, &st);
	size_t got = 0;

	if (fd < 0)
		return fd;
	if (size)
		*size = (size_t)st.st_size;
	while (got < cap) {
		ssize_t n = pread(fd, (char *)buf + got, cap - got, (off_t)got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (got == 0) {
				int e = errno;
				close(fd);
				return -e;
			}
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return (long)got;
}

int ia_fsroot_read(const struct ia_fsroot *r, const char *rel, size_t max, char **out, size_t *len)
{
	if (r->mem) {
		int rc;
		const struct ia_memnode *nd = fsm_reg(r, fsm_openat(r, rel, O_RDONLY), &rc);
		if (!nd)
			return rc;
		if (max > IA_FSROOT_MAX_FILE)
			max = IA_FSROOT_MAX_FILE;
		if (nd->size > max)
			return -IA_E_TOOBIG;
		char *mb = malloc((size_t)nd->size + 1);
		if (!mb)
			return -ENOMEM;
		ia_memnode_copy(nd, 0, mb, (size_t)nd->size);
		mb[nd->size] = '\0';
		*out = mb;
		*len = (size_t)nd->size;
		return 0;
	}
	struct stat st;
	int fd = fsroot_open_file(r, rel, &st);
	size_t cap = 4096, n = 0;
	char *b;

	if (fd < 0)
		return fd;
	if (max > IA_FSROOT_MAX_FILE)
		max = IA_FSROOT_MAX_FILE;
	/* A captured file's size is exact: refuse one past @max before reading it, and size the
	 * buffer once (one byte over, to see the end) instead of doubling it. A live sysfs text
	 * attribute says 4096 and a procfs file 0 whatever they hold, so there the size is only the
	 * first buffer's. */
	if (st.st_size > 0) {
		if (!r->live && (uint64_t)st.st_size > max) {
			close(fd);
			return -IA_E_TOOBIG;
		}
		cap = (uint64_t)st.st_size < max ? (size_t)st.st_size + 1 : max + 1;
	}
	b = malloc(cap + 1);
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= max + 1) {
				free(b);
				close(fd);
				return -IA_E_TOOBIG;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				close(fd);
				return -ENOMEM;
			}
			b = nb;
		}
		ssize_t k = read(fd, b + n, cap - n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(b);
			close(fd);
			return -e;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	if (n > max) {
		free(b);
		return -IA_E_TOOBIG;
	}
	b[n] = '\0';
	*out = b;
	*len = n;
	return 0;
}

/* Read an open file into @buf (capacity @cap >= 1, NUL-terminated) and close it. */
static long fsroot_read_fd_small(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	long rc;

	for (;;) {
		ssize_t k = read(fd, buf + n, cap - 1 - n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		if (k == 0)
			break;
		n += (size_t)k;
		/* A short read of a regular file (a sysfs attribute or a captured copy) is its end:
		 * sysfs returns a whole attribute in one read, so a second read would only see EOF. */
		if (n < cap - 1)
			break;
		if (n == cap - 1) {
			char extra;
			if (read(fd, &extra, 1) > 0) {
				rc = -IA_E_TOOBIG;
				goto out;
			}
			break;
		}
	}
	buf[n] = '\0';
	rc = (long)n;
out:
	close(fd);
	return rc;
}

long ia_fsroot_read_small(const struct ia_fsroot *r, const char *rel, char *buf, size_t cap)
{
	if (r->mem && cap) {
		int rc;
		const struct ia_memnode *nd = fsm_reg(r, fsm_openat(r, rel, O_RDONLY), &rc);
		return nd ? fsm_read_small(nd, buf, cap) : rc;
	}
	if (cap == 0)
		return -EINVAL; /* no room for the NUL */
	int fd = fsroot_open_file(r, rel, NULL);
	return fd < 0 ? fd : fsroot_read_fd_small(fd, buf, cap);
}

long ia_fsroot_readlink(const struct ia_fsroot *r, const char *rel, char *out, size_t cap)
{
	char dir[FSROOT_PATH_MAX], canon[FSROOT_PATH_MAX];
	const char *slash = strrchr(rel, '/');
	const char *base = slash ? slash + 1 : rel;
	size_t dl = slash ? (size_t)(slash - rel) : 0;

	if (cap == 0)
		return -EINVAL;
	if (dl >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, rel, dl);
	dir[dl] = '\0';
	if (r->mem) {
		long d = ia_memtree_resolve(r->mem, 0, dir, true); /* the directory, not the link itself */
		if (d < 0)
			return d;
		/* "dir/" names dir itself; the root's own name is "" (readlinkat(2): ENOENT) */
		long i = *base ? ia_memtree_lookup(r->mem, (uint32_t)d, base, strlen(base)) : d == 0 ? -ENOENT : d;
		if (i < 0)
			return i;
		const struct ia_memnode *nd = ia_memtree_node(r->mem, i);
		if (nd->type != IA_MEM_LNK)
			return *base || nd->type == IA_MEM_DIR ? -EINVAL : -ENOTDIR;
		if (nd->size >= cap - 1)
			return -ENAMETOOLONG;
		memcpy(out, nd->data, (size_t)nd->size + 1);
		return (long)nd->size;
	}
	int n = fsroot_walk(r, dir, canon); /* resolve the directory, not the link itself */
	if (n < 0)
		return n;
	if ((size_t)n + 1 + strlen(base) >= sizeof(canon))
		return -ENAMETOOLONG;
	if (n)
		canon[n++] = '/';
	strcpy(canon + n, base);
	ssize_t k = readlinkat(r->fd, canon, out, cap - 1);
	if (k < 0)
		return -errno;
	if ((size_t)k >= cap - 1)
		return -ENAMETOOLONG;
	out[k] = '\0';
	return (long)k;
}

long ia_fsroot_link_basename(const struct ia_fsroot *r, const char *rel, char *out, size_t cap)
{
	char t[FSROOT_PATH_MAX];
	long n = ia_fsroot_readlink(r, rel, t, sizeof(t));

	return n < 0 ? n : fsroot_link_base(t, out, cap);
}

static int fsroot_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void ia_fsroot_list_free(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

static int fsroot_list_fd(int fd, char ***names, size_t *count);

int ia_fsroot_list(const struct ia_fsroot *r, const char *rel, char ***names, size_t *count)
{
	if (r->mem)
		return fsm_list(r, fsm_openat(r, rel, O_RDONLY | O_DIRECTORY), names, count);
	int fd = ia_fsroot_openat(r, rel, O_RDONLY | O_DIRECTORY);

	return fd < 0 ? fd : fsroot_list_fd(fd, names, count);
}

int ia_fsdir_list(const struct ia_fsroot *r, int dirfd, const char *name, char ***names, size_t *count)
{
	if (strchr(name, '/'))
		return -EINVAL;
	if (r->mem) {
		long i = fsm_entry(r, dirfd, name);
		const struct ia_memnode *nd = ia_memtree_node(r->mem, i);
		if (nd && nd->type == IA_MEM_LNK)
			return -ENOTDIR; /* O_DIRECTORY | O_NOFOLLOW on a link: ENOTDIR */
		return fsm_list(r, i, names, count);
	}
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	return fd < 0 ? -errno : fsroot_list_fd(fd, names, count);
}

/*
 * List and close @fd (a directory opened O_RDONLY | O_DIRECTORY). getdents64(2) directly rather
 * than fdopendir(): glibc's fdopendir() spends an fstat() and an fcntl() checking what
 * O_DIRECTORY already guarantees, two system calls per IOMMU group's devices/ listing.
 */
static int fsroot_list_fd(int fd, char ***names, size_t *count)
{
	enum { LIST_BUF = 32768 };
	char **v = NULL;
	size_t n = 0, cap = 0;
	char *buf;
	int rc = 0;

	if (fd < 0)
		return fd;
	buf = malloc(LIST_BUF);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t got = getdents64(fd, buf, LIST_BUF);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto fail;
		}
		if (got == 0)
			break;
		for (ssize_t pos = 0; pos < got;) {
			const struct dirent64 *e = (const struct dirent64 *)(buf + pos);
			pos += e->d_reclen;
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (n == cap) {
				char **nv = ia_array_grow(v, &cap, n + 1, sizeof(*nv));
				if (!nv) {
					rc = -ENOMEM;
					goto fail;
				}
				v = nv;
			}
			if (!(v[n] = strdup(e->d_name))) {
				rc = -ENOMEM;
				goto fail;
			}
			n++;
		}
	}
	free(buf);
	close(fd);
	if (n)
		qsort(v, n, sizeof(*v), fsroot_cmp);
	*names = v;
	*count = n;
	return 0;
fail:
	free(buf);
	close(fd);
	ia_fsroot_list_free(v, n);
	return rc;
}

int ia_fsroot_stat(const struct ia_fsroot *r, const char *rel, struct stat *st)
{
	if (r->mem) {
		long i = ia_memtree_resolve(r->mem, 0, rel, true);
		if (i < 0)
			return (int)i;
		fsm_stat(ia_memtree_node(r->mem, i), i, st);
		return 0;
	}
	int fd = ia_fsroot_openat(r, rel, O_PATH);

	if (fd < 0)
		return fd;
	int rc = fstat(fd, st) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

bool ia_fsroot_exists(const struct ia_fsroot *r, const char *rel)
{
	struct stat st;

	return ia_fsroot_stat(r, rel, &st) == 0;
}

int ia_fsroot_opendir(const struct ia_fsroot *r, const char *rel)
{
	return ia_fsroot_openat(r, rel, O_PATH | O_DIRECTORY);
}

/* Lexically normalise @in ('.', '..' clamped at the root, repeated slashes) into @out (@cap bytes). */
static int fsroot_lexical(const char *in, char *out, size_t cap)
{
	size_t ol = 0;

	out[0] = '\0';
	for (const char *p = in; *p;) {
		while (*p == '/')
			p++;
		size_t cl = strcspn(p, "/");
		if (!cl)
			break;
		if (cl == 2 && p[0] == '.' && p[1] == '.') {
			char *s = strrchr(out, '/');
			ol = s ? (size_t)(s - out) : 0;
			out[ol] = '\0';
		} else if (!(cl == 1 && p[0] == '.')) {
			if (ol + 1 + cl >= cap)
				return -ENAMETOOLONG;
			if (ol)
				out[ol++] = '/';
			memcpy(out + ol, p, cl);
			ol += cl;
			out[ol] = '\0';
		}
		p += cl;
	}
	return (int)ol;
}

/* @fd, opened at the lexical path @path: its canonical form into @canon, or close it and fail. */
static int fsroot_fd_at(int fd, const char *path, char *canon, size_t cap)
{
	int n = fsroot_lexical(path, canon, cap);

	if (n < 0) {
		close(fd);
		return n;
	}
	return fd;
}

int ia_fsroot_open_link_dir(const struct ia_fsroot *r, int dirfd, const char *dir_canon,
			    const char *name, bool link_expected, char *canon, size_t cap)
{
	char rel[FSROOT_PATH_MAX], lt[FSROOT_PATH_MAX], path[FSROOT_PATH_MAX * 2];

	if (r->mem) {
		if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
			return -EINVAL;
		if ((size_t)snprintf(rel, sizeof(rel), "%s/%s", dir_canon, name) >= sizeof(rel))
			return -ENAMETOOLONG;
		if (!fsm_dir(r, dirfd))
			return ia_memtree_node(r->mem, dirfd) ? -ENOTDIR : -EBADF;
		long i = ia_memtree_resolve(r->mem, (uint32_t)dirfd, name, true);
		if (i < 0)
			return (int)i;
		if (ia_memtree_node(r->mem, i)->type != IA_MEM_DIR)
			return -ENOTDIR;
		long cl = ia_memtree_path(r->mem, (uint32_t)i, canon, cap);
		return cl < 0 ? (int)cl : (int)i;
	}
	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	if ((size_t)snprintf(rel, sizeof(rel), "%s/%s", dir_canon, name) >= sizeof(rel))
		return -ENAMETOOLONG;
	/* A plain directory (an IOMMU group): one component below a confined directory, no link
	 * followed (a link fails with ENOTDIR or ELOOP and takes the way below), so the lexical path
	 * is the canonical one. Skipped when the caller expects a link (a PCI device's entry): the
	 * way below opens a plain directory too, and the failed openat() was one system call per
	 * function. */
	if (!link_expected) {
		int dfd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd >= 0)
			return fsroot_fd_at(dfd, rel, canon, cap);
		if (errno != ENOTDIR && errno != ELOOP)
			return -errno;
	}
	if (r->have_openat2) {
		ssize_t k = readlinkat(dirfd, name, lt, sizeof(lt) - 1);
		if (k >= 0) {
			lt[k] = '\0';
			snprintf(path, sizeof(path), "%s%s%s", lt[0] == '/' ? "" : dir_canon,
				 lt[0] == '/' ? "" : "/", lt);
		} else if (errno == EINVAL) {
			snprintf(path, sizeof(path), "%s", rel); /* a directory, not a link */
		} else {
			return -errno;
		}
		/* With no symlink anywhere on the way (RESOLVE_NO_SYMLINKS also covers the components
		 * before each ".."), the lexical path is the resolved one. */
		struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
					.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS };
		int fd = fsroot_openat2(r->fd, path, &how);
		if (fd >= 0)
			return fsroot_fd_at(fd, path, canon, cap);
		if (errno != ELOOP && errno != EXDEV && errno != ENOSYS && errno != EPERM && errno != EAGAIN)
			return -errno;
	}
	/* Links inside the target, or no openat2: the component-by-component walk. */
	long cl = ia_fsroot_canonical(r, rel, canon, cap);
	if (cl < 0)
		return (int)cl;
	return ia_fsroot_openat(r, canon, O_PATH | O_DIRECTORY);
}

long ia_fsdir_read_small(const struct ia_fsroot *r, int dirfd, const char *name, char *buf, size_t cap)
{
	if (r->mem && cap) {
		int rc;
		const struct ia_memnode *nd = fsm_reg(r, fsm_entry(r, dirfd, name), &rc);
		return nd ? fsm_read_small(nd, buf, cap) : rc;
	}
	if (cap == 0)
		return -EINVAL;
	int fd = ia_fsdir_open_file(r, dirfd, name, NULL);
	return fd < 0 ? fd : fsroot_read_fd_small(fd, buf, cap);
}

long ia_fsdir_readlink_base(const struct ia_fsroot *r, int dirfd, const char *name, char *out, size_t cap)
{
	char t[FSROOT_PATH_MAX];
	ssize_t n;

	if (strchr(name, '/'))
		return -EINVAL;
	if (r->mem) {
		long i = fsm_entry(r, dirfd, name);
		if (i < 0)
			return i;
		const struct ia_memnode *nd = ia_memtree_node(r->mem, i);
		return nd->type == IA_MEM_LNK ? fsroot_link_base(nd->data, out, cap) : -EINVAL;
	}
	n = readlinkat(dirfd, name, t, sizeof(t) - 1);
	if (n < 0)
		return -errno;
	t[n] = '\0';
	return fsroot_link_base(t, out, cap);
}

int ia_fsdir_lstat(const struct ia_fsroot *r, int dirfd, const char *name, struct stat *st)
{
	if (strchr(name, '/'))
		return -EINVAL;
	if (r->mem) {
		long i = fsm_entry(r, dirfd, name);
		if (i < 0)
			return (int)i;
		fsm_stat(ia_memtree_node(r->mem, i), i, st);
		return 0;
	}
	return fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}
