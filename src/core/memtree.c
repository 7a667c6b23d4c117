// SPDX-License-Identifier: GPL-2.0-or-later
// A read-only in-memory file tree: arena-held nodes, a (directory, name) hash, RESOLVE_IN_ROOT walks.
/* qsort_r() is GNU: _GNU_SOURCE comes from the build */
#include "core/memtree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define MT_PAGE_SHIFT 12u                  /* nodes per page: 4096 (192 KiB, from the arena) */
#define MT_PAGE (1u << MT_PAGE_SHIFT)
#define MT_CHUNK (256u * 1024u)            /* arena chunk; larger pieces get their own block */
#define MT_HUGE (2u * 1024u * 1024u)       /* a transparent huge page (x86-64, arm64 with 4 KiB pages) */
#define MT_NAME_MAX 255u                   /* a component longer than NAME_MAX exists on no disk */
#define MT_MAX_NODES (1u << 31)

/* A hash slot: node index + 1 (0: empty), and the key's hash, compared before the node is read. */
struct mt_slot {
	uint32_t node;
	uint32_t hash;
};

/* An arena block: the header, then its bytes. */
struct mt_block {
	struct mt_block *next;
};

struct ia_memtree {
	size_t budget, used;
	struct ia_memnode **pages;
	size_t npages, pages_cap;
	uint32_t n;                /* nodes */
	struct mt_slot *slots;     /* hash of (parent, name) */
	size_t nslots;             /* a power of two, at least twice n */
	size_t slots_bytes;        /* what slots counts against the budget */
	uint32_t *kids;            /* sealed: the children of every directory, each range sorted */
	struct mt_block *blocks;   /* every arena block, freed together */
	char *chunk;               /* the current chunk's free space */
	size_t chunk_left;
	bool sealed;
	/* the file the last ia_memtree_add_file() made (for ia_memtree_file_filled()), and the
	 * bytes its data took from the current chunk (0: none, or a block of its own) */
	uint32_t last_file;
	size_t last_file_room;
	/* the directory part of the last path mt_add() walked whole (up to its last '/') and the
	 * directory it resolved to: archive members come in tree order, so most share it. A
	 * directory on it is never replaced (mt_over() replaces links only), so the same bytes
	 * resolve to the same node. */
	uint32_t last_dir_node;
	size_t last_dir_len;       /* 0: none */
	char last_dir[IA_MEMTREE_PATH_MAX];
};

/* malloc() counted against the budget: NULL when past it (*@over set) or out of memory. */
static void *mt_alloc(struct ia_memtree *t, size_t n, bool *over)
{
	if (n > t->budget || t->used > t->budget - n) {
		*over = true;
		return NULL;
	}
	void *p = malloc(n);
	if (p)
		t->used += n;
	return p;
}

/*
 * mt_alloc() of @n bytes, where a large tree gets them on transparent huge pages: once the tree
 * holds 2 MiB, @n rounded up to 2 MiB, aligned to 2 MiB and advised MADV_HUGEPAGE, so its bytes
 * cost one page fault per 2 MiB instead of one per 4 KiB. A fault costs microseconds, more in a
 * VM: at 16,384 functions the 4 KiB pages of the tree (file bytes, nodes, the hash) were about
 * 28,000 faults, a sixth of the replay. Where the kernel has no transparent huge pages madvise()
 * fails and the memory is ordinary; so is a piece that fits the budget only unrounded. *@got
 * receives the bytes counted against the budget (what the caller may use). NULL as mt_alloc().
 * Freed with free().
 */
static void *mt_alloc_big(struct ia_memtree *t, size_t n, size_t *got, bool *over)
{
	if (t->used >= (size_t)MT_HUGE && n <= SIZE_MAX - MT_HUGE) {
		size_t r = (n + MT_HUGE - 1) & ~((size_t)MT_HUGE - 1);
		/* what fits the budget only unrounded is taken unrounded (below) */
		void *p = r <= t->budget && t->used <= t->budget - r ? aligned_alloc(MT_HUGE, r) : NULL;
		if (p) {
			(void)madvise(p, r, MADV_HUGEPAGE);
			t->used += r;
			*got = r;
			return p;
		}
	}
	*got = n;
	return mt_alloc(t, n, over);
}

/* A new arena chunk (its header first): a 2 MiB one past 2 MiB of tree while the budget has room
 * for it, else 256 KiB; *@size receives the bytes after the header. NULL as mt_alloc(). */
static struct mt_block *mt_chunk_new(struct ia_memtree *t, size_t *size, bool *over)
{
	size_t got = 0;
	bool big_over = false;
	struct mt_block *b = t->used >= (size_t)MT_HUGE ? mt_alloc_big(t, MT_HUGE, &got, &big_over) : NULL;

	if (!b) {
		got = sizeof(*b) + MT_CHUNK;
		b = mt_alloc(t, got, over);
	}
	*size = b ? got - sizeof(*b) : 0;
	return b;
}

/*
 * @n bytes of the arena, aligned to 8 (zeroed when @zero). A piece larger than an eighth of a
 * chunk (32 KiB, or 256 KiB once chunks are huge: a page of nodes fits) that the current chunk
 * cannot hold gets a block of its own, so no chunk space is thrown away for it. NULL as mt_alloc().
 */
static char *mt_arena(struct ia_memtree *t, size_t n, bool zero, bool *over)
{
	size_t need = (n + 7u) & ~(size_t)7u;

	if (need < n)
		return NULL;
	size_t piece_max = t->used >= (size_t)MT_HUGE ? MT_HUGE / 8 : MT_CHUNK / 8;
	if (need > t->chunk_left && need > piece_max) { /* a large file: a block of its own */
		if (need > SIZE_MAX - sizeof(struct mt_block))
			return NULL;
		struct mt_block *b = mt_alloc(t, sizeof(*b) + need, over);
		if (!b)
			return NULL;
		b->next = t->blocks;
		t->blocks = b;
		char *p = (char *)(b + 1);
		if (zero)
			memset(p, 0, n);
		return p;
	}
	if (need > t->chunk_left) {
		size_t csize;
		struct mt_block *b = mt_chunk_new(t, &csize, over);
		if (!b)
			return NULL;
		b->next = t->blocks;
		t->blocks = b;
		t->chunk = (char *)(b + 1);
		t->chunk_left = csize;
	}
	char *p = t->chunk;
	t->chunk += need;
	t->chunk_left -= need;
	if (zero)
		memset(p, 0, n);
	return p;
}

static struct ia_memnode *mt_node(const struct ia_memtree *t, uint32_t i)
{
	return &t->pages[i >> MT_PAGE_SHIFT][i & (MT_PAGE - 1)];
}

/* FNV-1a of (@parent, @name). */
static uint32_t mt_hash(uint32_t parent, const char *name, size_t len)
{
	uint32_t h = 2166136261u ^ parent;

	h *= 16777619u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 16777619u;
	}
	return h;
}

/* The slot of (@parent, @name), whose hash is @h: holding its node, or the empty one where it would go. */
static size_t mt_find(const struct ia_memtree *t, uint32_t parent, const char *name, size_t len, uint32_t h)
{
	size_t mask = t->nslots - 1;

	for (size_t s = h & mask;; s = (s + 1) & mask) {
		const struct mt_slot *sl = &t->slots[s];
		if (!sl->node)
			return s;
		if (sl->hash != h)
			continue;
		const struct ia_memnode *nd = mt_node(t, sl->node - 1);
		if (nd->parent == parent && nd->name_len == len && !memcmp(nd->name, name, len))
			return s;
	}
}

/* Double the hash table (rehashing every node): 0, -ENOMEM or -E2BIG. */
static int mt_rehash(struct ia_memtree *t)
{
	size_t ns = t->nslots ? t->nslots * 2 : 1024, got;
	bool over = false;
	struct mt_slot *slots = mt_alloc_big(t, ns * sizeof(*slots), &got, &over);

	if (!slots)
		return over ? -E2BIG : -ENOMEM;
	memset(slots, 0, ns * sizeof(*slots));
	struct mt_slot *old = t->slots;
	size_t olds = t->nslots;
	t->slots = slots;
	t->nslots = ns;
	/* every live entry once, where it hashes (a dead node's key is its replacement's) */
	for (size_t i = 0; i < olds; i++) {
		if (!old[i].node)
			continue;
		for (size_t s = old[i].hash & (ns - 1);; s = (s + 1) & (ns - 1))
			if (!slots[s].node) {
				slots[s] = old[i];
				break;
			}
	}
	free(old);
	t->used -= t->slots_bytes;
	t->slots_bytes = got;
	return 0;
}

/* A new node (its fields zeroed but @type, @parent and the name): its index, or a negative code.
 * @nm: room for the name (@len + 1 bytes) the caller took from the arena, or NULL to take it here. */
static long mt_new_node(struct ia_memtree *t, uint8_t type, uint32_t parent, const char *name, size_t len,
			char *nm)
{
	bool over = false;

	if (t->n >= MT_MAX_NODES - 1)
		return -EINVAL;
	if ((size_t)t->n + 1 > t->nslots / 2) {
		int rc = mt_rehash(t);
		if (rc < 0)
			return rc;
	}
	if ((t->n >> MT_PAGE_SHIFT) >= t->npages) {
		if (t->npages == t->pages_cap) {
			size_t nc = t->pages_cap ? t->pages_cap * 2 : 16;
			struct ia_memnode **np = mt_alloc(t, nc * sizeof(*np), &over);
			if (!np)
				return over ? -E2BIG : -ENOMEM;
			if (t->npages)
				memcpy(np, t->pages, t->npages * sizeof(*np));
			free(t->pages);
			t->used -= t->pages_cap * sizeof(*np);
			t->pages = np;
			t->pages_cap = nc;
		}
		/* from the arena (freed with it): on a large tree, on its huge pages */
		struct ia_memnode *pg = (struct ia_memnode *)mt_arena(t, MT_PAGE * sizeof(*pg), false, &over);
		if (!pg)
			return over ? -E2BIG : -ENOMEM;
		t->pages[t->npages++] = pg;
	}
	if (!nm && !(nm = mt_arena(t, len + 1, false, &over)))
		return over ? -E2BIG : -ENOMEM;
	memcpy(nm, name, len);
	nm[len] = '\0';
	uint32_t i = t->n++;
	struct ia_memnode *nd = mt_node(t, i);
	memset(nd, 0, sizeof(*nd));
	nd->type = type;
	nd->parent = parent;
	nd->name = nm;
	nd->name_len = (uint32_t)len;
	if (i) {
		uint32_t h = mt_hash(parent, nm, len);
		t->slots[mt_find(t, parent, nm, len, h)] = (struct mt_slot){ i + 1, h };
	}
	return i;
}

struct ia_memtree *ia_memtree_new(size_t budget)
{
	struct ia_memtree *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->budget = budget;
	if (mt_new_node(t, IA_MEM_DIR, 0, "", 0, NULL) != 0) {
		ia_memtree_free(t);
		return NULL;
	}
	return t;
}

void ia_memtree_free(struct ia_memtree *t)
{
	if (!t)
		return;
	free(t->pages); /* the node pages are the arena's */
	free(t->slots);
	free(t->kids);
	for (struct mt_block *b = t->blocks, *nx; b; b = nx) {
		nx = b->next;
		free(b);
	}
	free(t);
}

size_t ia_memtree_used(const struct ia_memtree *t)
{
	return t->used;
}

size_t ia_memtree_count(const struct ia_memtree *t)
{
	return t->n;
}

const struct ia_memnode *ia_memtree_node(const struct ia_memtree *t, long i)
{
	return i >= 0 && (unsigned long)i < t->n ? mt_node(t, (uint32_t)i) : NULL;
}

uint32_t ia_memtree_kid(const struct ia_memtree *t, uint32_t dir, uint32_t k)
{
	return t->kids[mt_node(t, dir)->kid0 + k];
}

long ia_memtree_lookup(const struct ia_memtree *t, uint32_t dir, const char *name, size_t len)
{
	const struct ia_memnode *d = mt_node(t, dir);

	if (d->type != IA_MEM_DIR)
		return -ENOTDIR;
	if (len == 1 && name[0] == '.')
		return dir;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return d->parent;
	if (len > MT_NAME_MAX)
		return -ENAMETOOLONG;
	uint32_t v = t->slots[mt_find(t, dir, name, len, mt_hash(dir, name, len))].node;
	return v ? (long)v - 1 : -ENOENT;
}

/*
 * The node @path names, made as the extractor would (see the header): the directories before
 * the last component (made when missing), then the last one by @add(). @add gets the parent
 * directory and the last name, and returns 0 or a code.
 */
static int mt_add(struct ia_memtree *t, const char *path, uint8_t type, uint32_t *parent_out,
		  const char **name_out, size_t *len_out, long *existing)
{
	uint32_t cur = 0;
	const char *p = path;
	size_t plen = strlen(path);

	if (t->sealed || path[0] == '/' || plen >= IA_MEMTREE_PATH_MAX)
		return -EINVAL;
	*existing = -1;
	const char *slash = memrchr(path, '/', plen);
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0; /* "a/b/" of "a/b/c" */
	if (dlen && dlen == t->last_dir_len && !memcmp(path, t->last_dir, dlen)) {
		cur = t->last_dir_node; /* the last component alone is left to walk */
		p = path + dlen;
	}
	for (;;) {
		while (*p == '/')
			p++;
		size_t cl = strcspn(p, "/");
		const char *q = p + cl;
		while (*q == '/')
			q++;
		bool last = *q == '\0';
		if (cl == 1 && p[0] == '.') {
			if (last)
				break; /* "a/." names a */
			p = q;
			continue;
		}
		if (cl == 0) { /* "" or a path of slashes and dots: the root itself */
			break;
		}
		if (cl == 2 && p[0] == '.' && p[1] == '.')
			return -EINVAL;
		if (cl > MT_NAME_MAX)
			return -ENAMETOOLONG;
		long k = ia_memtree_lookup(t, cur, p, cl);
		if (last) {
			*parent_out = cur;
			*name_out = p;
			*len_out = cl;
			*existing = k;
			if (dlen && p == path + dlen) { /* the walk ended at the last '/': remember it */
				memcpy(t->last_dir, path, dlen);
				t->last_dir_len = dlen;
				t->last_dir_node = cur;
			}
			return 0;
		}
		if (k == -ENOENT)
			k = mt_new_node(t, IA_MEM_DIR, cur, p, cl, NULL);
		if (k < 0)
			return (int)k;
		const struct ia_memnode *nd = mt_node(t, (uint32_t)k);
		if (nd->type == IA_MEM_LNK)
			return -ELOOP;
		if (nd->type != IA_MEM_DIR)
			return -ENOTDIR;
		cur = (uint32_t)k;
		p = q;
	}
	/* the path names an existing directory (the root, or "a/." of an existing a) */
	*parent_out = cur;
	*name_out = NULL;
	*len_out = 0;
	*existing = cur;
	(void)type;
	return 0;
}

/*
 * What a member of @type (@size bytes) does to the node @ex already at its name (-1: none), as
 * the unpacker's archive_write_disk(ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_NO_OVERWRITE)
 * does: a symlink there is removed and the member made in its place (1); any other node stays and
 * the member is skipped (0), unless it brings bytes, which cannot be written (-EEXIST).
 * Return: 1 make the member; 0 skip it; -EEXIST.
 */
static int mt_over(struct ia_memtree *t, long ex, uint8_t type, uint64_t size)
{
	if (ex < 0)
		return 1;
	struct ia_memnode *x = mt_node(t, (uint32_t)ex);
	if (x->type == IA_MEM_LNK) {
		x->type = 0; /* dead: its hash slot goes to the new node (same parent and name), no listing shows it */
		return 1;
	}
	return type == IA_MEM_REG && size > 0 ? -EEXIST : 0;
}

int ia_memtree_add_dir(struct ia_memtree *t, const char *path)
{
	uint32_t parent;
	const char *name;
	size_t len;
	long ex;
	int rc = mt_add(t, path, IA_MEM_DIR, &parent, &name, &len, &ex);

	if (rc < 0)
		return rc;
	if (!name || (rc = mt_over(t, ex, IA_MEM_DIR, 0)) <= 0)
		return rc;
	long k = mt_new_node(t, IA_MEM_DIR, parent, name, len, NULL);
	return k < 0 ? (int)k : 0;
}

int ia_memtree_add_file(struct ia_memtree *t, const char *path, uint64_t size, char **data)
{
	uint32_t parent;
	const char *name;
	size_t len;
	long ex;
	bool over = false;
	int rc = mt_add(t, path, IA_MEM_REG, &parent, &name, &len, &ex);

	*data = NULL;
	t->last_file = 0;
	if (rc < 0)
		return rc;
	if (!name) /* the root, or "dir/." */
		return size > 0 ? -EEXIST : 0;
	if ((rc = mt_over(t, ex, IA_MEM_REG, size)) <= 0)
		return rc;
	if (size > UINT32_MAX) /* struct ia_memnode.held counts 32 bits; a budget holds less anyway */
		return -E2BIG;
	/* the name, then the bytes, in one piece of the arena, then the node: nothing is made when
	 * the piece is refused, and the bytes are the arena's latest, so what ia_memtree_file_filled()
	 * trims goes back to the chunk */
	size_t name_room = (len + 1 + 7u) & ~(size_t)7u;
	size_t need = name_room + (size ? ((size_t)size + 7u) & ~(size_t)7u : 8u); /* what mt_arena() takes */
	char *nm = mt_arena(t, name_room + (size ? (size_t)size : 1), false, &over);
	if (!nm)
		return over ? -E2BIG : -ENOMEM;
	long k = mt_new_node(t, IA_MEM_REG, parent, name, len, nm);
	if (k < 0)
		return (int)k;
	char *d = nm + name_room; /* the caller writes every byte */
	struct ia_memnode *nd = mt_node(t, (uint32_t)k);
	nd->data = d;
	nd->size = size;
	nd->held = (uint32_t)size;
	t->last_file = (uint32_t)k;
	t->last_file_room = t->chunk == nm + need ? need - name_room : 0; /* else a block of its own */
	*data = d;
	return 0;
}

void ia_memtree_file_filled(struct ia_memtree *t)
{
	if (!t->last_file)
		return;
	struct ia_memnode *nd = mt_node(t, t->last_file);
	uint32_t held = nd->held;
	while (held && !nd->data[held - 1])
		held--;
	nd->held = held;
	/* the room past the held bytes (8-aligned) back to the chunk, when it is its end */
	size_t keep = ((size_t)held + 7u) & ~(size_t)7u;
	if (t->last_file_room > keep && nd->data + t->last_file_room == t->chunk) {
		t->chunk -= t->last_file_room - keep;
		t->chunk_left += t->last_file_room - keep;
	}
	t->last_file = 0;
	t->last_file_room = 0;
}

void ia_memnode_copy(const struct ia_memnode *nd, uint64_t off, void *buf, size_t n)
{
	size_t from = 0;

	if (off < nd->held) {
		from = nd->held - off < n ? (size_t)(nd->held - off) : n;
		memcpy(buf, nd->data + off, from);
	}
	memset((char *)buf + from, 0, n - from);
}

int ia_memtree_add_link(struct ia_memtree *t, const char *path, const char *target)
{
	uint32_t parent;
	const char *name;
	size_t len, tl = strlen(target);
	long ex;
	bool over = false;
	int rc = mt_add(t, path, IA_MEM_LNK, &parent, &name, &len, &ex);

	if (rc < 0)
		return rc;
	if (tl >= IA_MEMTREE_PATH_MAX)
		return -ENAMETOOLONG;
	if (!name || (rc = mt_over(t, ex, IA_MEM_LNK, 0)) <= 0)
		return rc;
	char *d = mt_arena(t, tl + 1, false, &over);
	if (!d)
		return over ? -E2BIG : -ENOMEM;
	memcpy(d, target, tl + 1);
	long k = mt_new_node(t, IA_MEM_LNK, parent, name, len, NULL);
	if (k < 0)
		return (int)k;
	struct ia_memnode *nd = mt_node(t, (uint32_t)k);
	nd->data = d;
	nd->size = tl;
	return 0;
}

static int mt_kid_cmp(const void *a, const void *b, void *arg)
{
	const struct ia_memtree *t = arg;

	return strcmp(mt_node(t, *(const uint32_t *)a)->name, mt_node(t, *(const uint32_t *)b)->name);
}

int ia_memtree_seal(struct ia_memtree *t)
{
	bool over = false;
	size_t nk = t->n ? t->n - 1 : 0;

	if (t->sealed)
		return 0;
	t->kids = mt_alloc(t, (nk ? nk : 1) * sizeof(*t->kids), &over);
	if (!t->kids)
		return over ? -E2BIG : -ENOMEM;
	/* counting sort by parent, then each directory's range by name */
	for (uint32_t i = 1; i < t->n; i++)
		if (mt_node(t, i)->type) /* not a link another member replaced */
			mt_node(t, mt_node(t, i)->parent)->nkids++;
	uint32_t pos = 0;
	for (uint32_t i = 0; i < t->n; i++) {
		struct ia_memnode *nd = mt_node(t, i);
		nd->kid0 = pos;
		pos += nd->nkids;
		nd->nkids = 0;
	}
	for (uint32_t i = 1; i < t->n; i++) {
		if (!mt_node(t, i)->type)
			continue;
		struct ia_memnode *p = mt_node(t, mt_node(t, i)->parent);
		t->kids[p->kid0 + p->nkids++] = i;
	}
	for (uint32_t i = 0; i < t->n; i++) {
		struct ia_memnode *nd = mt_node(t, i);
		if (nd->nkids > 1)
			qsort_r(t->kids + nd->kid0, nd->nkids, sizeof(*t->kids), mt_kid_cmp, t);
	}
	t->sealed = true;
	return 0;
}

long ia_memtree_resolve(const struct ia_memtree *t, uint32_t start, const char *path, bool follow_last)
{
	char todo[IA_MEMTREE_PATH_MAX * 2], tmp[IA_MEMTREE_PATH_MAX * 2];
	size_t plen = strlen(path);
	uint32_t cur = start;
	int links = 0;

	if (plen >= IA_MEMTREE_PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(todo, path, plen + 1);
	char *p = todo;
	bool need_dir = false; /* the last component taken was followed by '/' */
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		size_t cl = strcspn(p, "/");
		char *rest = p + cl;
		const char *q = rest;
		while (*q == '/')
			q++;
		bool last = *q == '\0';
		long k = ia_memtree_lookup(t, cur, p, cl);
		if (k < 0)
			return k;
		const struct ia_memnode *nd = mt_node(t, (uint32_t)k);
		if (nd->type == IA_MEM_LNK && (!last || follow_last || *rest == '/')) {
			if (++links > IA_MEMTREE_MAX_LINKS)
				return -ELOOP;
			size_t rl = strlen(rest);
			if (nd->size + 1 + rl >= sizeof(todo))
				return -ENAMETOOLONG;
			/* the link text, then the rest of the path (which starts with '/' when not empty) */
			memcpy(tmp, nd->data, nd->size);
			memcpy(tmp + nd->size, rest, rl + 1);
			memcpy(todo, tmp, nd->size + rl + 1);
			p = todo;
			cur = nd->data[0] == '/' ? 0 : nd->parent;
			need_dir = false;
			continue;
		}
		cur = (uint32_t)k;
		need_dir = *rest == '/';
		p = rest;
	}
	if (need_dir && mt_node(t, cur)->type != IA_MEM_DIR)
		return -ENOTDIR;
	return cur;
}

long ia_memtree_path(const struct ia_memtree *t, uint32_t i, char *out, size_t cap)
{
	size_t len = 0;

	if (cap == 0)
		return -ENAMETOOLONG;
	for (uint32_t k = i; k; k = mt_node(t, k)->parent)
		len += mt_node(t, k)->name_len + (mt_node(t, k)->parent ? 1 : 0);
	if (len >= cap)
		return -ENAMETOOLONG;
	out[len] = '\0';
	size_t end = len;
	for (uint32_t k = i; k; k = mt_node(t, k)->parent) {
		const struct ia_memnode *nd = mt_node(t, k);
		end -= nd->name_len;
		memcpy(out + end, nd->name, nd->name_len);
		if (nd->parent)
			out[--end] = '/';
	}
	return (long)len;
}
