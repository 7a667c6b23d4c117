/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A read-only file tree held in memory (a capture archive's members), resolved as a root is on disk. */
#ifndef IA_MEMTREE_H
#define IA_MEMTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A tree of directories, regular files and symlinks built once (ia_memtree_add_*), then sealed
 * (ia_memtree_seal()) and only read afterwards, from any number of threads. Node 0 is the root
 * directory. Names, link texts and file contents live in chunks of one arena; every allocation is
 * counted against the budget given to ia_memtree_new(), so a hostile archive cannot make the
 * tree larger than that.
 */
struct ia_memtree;

enum ia_memtype { IA_MEM_DIR = 1, IA_MEM_REG = 2, IA_MEM_LNK = 3 };

/** One node: read with ia_memtree_node(). */
struct ia_memnode {
	const char *name;   /* NUL-terminated; "" for the root */
	const char *data;   /* regular file: its first @held bytes; link: its target text (NUL-terminated) */
	uint64_t size;      /* regular file: bytes; link: strlen(target) */
	uint32_t parent;    /* the directory holding it (the root: 0, itself) */
	uint32_t kid0;      /* directory, once sealed: its first child in the sorted kid list */
	uint32_t nkids;     /* directory, once sealed: its number of children */
	uint32_t name_len;
	uint32_t held;      /* regular file: the bytes kept at @data; the rest, up to @size, are zeros
			     * (ia_memtree_file_filled()); read them with ia_memnode_copy() */
	uint8_t type;       /* enum ia_memtype */
};

/* The longest path the tree resolves (as on disk: PATH_MAX), and the links followed in one walk. */
#define IA_MEMTREE_PATH_MAX 4096
#define IA_MEMTREE_MAX_LINKS 40

/**
 * ia_memtree_new() - an empty tree (the root directory only) that may use at most @budget bytes
 * of heap for its nodes, names, contents and indexes. NULL when out of memory.
 */
struct ia_memtree *ia_memtree_new(size_t budget);

/** ia_memtree_free() - release a tree and every byte it holds (accepts NULL). */
void ia_memtree_free(struct ia_memtree *t);

/** ia_memtree_used() - bytes of heap the tree holds now (what the budget counts). */
size_t ia_memtree_used(const struct ia_memtree *t);

/*
 * Building. @path is a relative member name ("sys/bus/pci/devices/0000:00:01.0"): empty and "."
 * components and repeated or trailing slashes are skipped; ".." and a leading '/' must have been
 * refused by the caller (-EINVAL here). Missing parent directories are made, as an extractor
 * makes them. The rules for a name given twice or a path through a non-directory follow the
 * capture unpacker's (libarchive's archive_write_disk with ARCHIVE_EXTRACT_SECURE_SYMLINKS |
 * ARCHIVE_EXTRACT_NO_OVERWRITE, src/capture/snapshot.c), checked against it in test_hostile:
 *   - a member below a symlink: -ELOOP (the extractor refuses to write through a link);
 *   - a member below a regular file: -ENOTDIR;
 *   - a member whose name holds a symlink: the link is replaced by the member;
 *   - a member whose name holds a directory or a file: that one stays and the member is
 *     skipped (0), unless it is a file with bytes, which cannot be written: -EEXIST.
 * A component longer than 255 bytes (NAME_MAX) is -ENAMETOOLONG, as on disk.
 * Each returns -ENOMEM when the budget or the heap is exhausted (-E2BIG for the budget), and
 * -EINVAL after ia_memtree_seal() or for a path past IA_MEMTREE_PATH_MAX or a node count past
 * 2^31.
 */

/** ia_memtree_add_dir() - add directory @path. 0 or a code above. */
int ia_memtree_add_dir(struct ia_memtree *t, const char *path);

/**
 * ia_memtree_add_file() - add regular file @path of @size bytes; *@data receives the bytes,
 * owned by the tree and not initialised: the caller writes every one of them (zeros for a sparse
 * member's holes), then calls ia_memtree_file_filled(). NULL when an empty member was skipped.
 * 0 or a code above; -E2BIG also for a file past 4 GiB. On failure nothing was added.
 */
int ia_memtree_add_file(struct ia_memtree *t, const char *path, uint64_t size, char **data);

/**
 * ia_memtree_file_filled() - say that every byte of the file the last ia_memtree_add_file() made
 * has been written: the zeros at its end are then not held (struct ia_memnode.held shrinks) and,
 * when its bytes were the arena's latest, their room is given back for the next ones. A sysfs
 * config file is 4,096 bytes of which a few hundred are not zero: a 16,384-function capture's
 * 82 MiB of file bytes are 24 MiB held. Harmless when the last call made no file.
 */
void ia_memtree_file_filled(struct ia_memtree *t);

/**
 * ia_memnode_copy() - copy @n bytes of regular file @nd from byte @off into @buf: the held bytes,
 * zeros past them. @off + @n must not pass @nd->size.
 */
void ia_memnode_copy(const struct ia_memnode *nd, uint64_t off, void *buf, size_t n);

/** ia_memtree_add_link() - add symlink @path with target text @target (not resolved). 0 or a code above. */
int ia_memtree_add_link(struct ia_memtree *t, const char *path, const char *target);

/**
 * ia_memtree_seal() - end building: sort every directory's children by name (strcmp, as
 * ia_fsroot_list() sorts) and drop the building-only memory. 0; -ENOMEM; -E2BIG past the budget.
 */
int ia_memtree_seal(struct ia_memtree *t);

/* Reading (sealed trees only). Node indexes are >= 0; errors are negative errno values. */

/** ia_memtree_count() - the number of nodes (the root included). */
size_t ia_memtree_count(const struct ia_memtree *t);

/** ia_memtree_node() - node @i, or NULL when @i is not a node of @t. */
const struct ia_memnode *ia_memtree_node(const struct ia_memtree *t, long i);

/** ia_memtree_kid() - the @k-th child (sorted by name) of directory @dir. */
uint32_t ia_memtree_kid(const struct ia_memtree *t, uint32_t dir, uint32_t k);

/**
 * ia_memtree_lookup() - the child of directory @dir named @name (@len bytes, no '/'), "." and
 * ".." included ("..", of the root, is the root). Return: its index; -ENOENT; -ENOTDIR when @dir
 * is not a directory.
 */
long ia_memtree_lookup(const struct ia_memtree *t, uint32_t dir, const char *name, size_t len);

/**
 * ia_memtree_resolve() - walk @path from directory @start as openat2(RESOLVE_IN_ROOT) walks it
 * from the root: ".." never climbs above the root, an absolute link restarts at the root, a
 * relative one at its own directory; every component before the last, and the last when @path
 * ends in '/', must lead to a directory. The last component is followed when it is a link and
 * @follow_last is true (or @path ends in '/'). An empty @path is @start.
 * Return: the node index; -ENOENT; -ENOTDIR; -ELOOP after IA_MEMTREE_MAX_LINKS links;
 * -ENAMETOOLONG past IA_MEMTREE_PATH_MAX.
 */
long ia_memtree_resolve(const struct ia_memtree *t, uint32_t start, const char *path, bool follow_last);

/**
 * ia_memtree_path() - node @i's path from the root, without a leading slash ("" for the root),
 * into @out (@cap bytes). Return: its length; -ENAMETOOLONG when it does not fit.
 */
long ia_memtree_path(const struct ia_memtree *t, uint32_t i, char *out, size_t cap);

#endif
