// SPDX-License-Identifier: GPL-2.0-or-later
// Unpack capture archives safely (libarchive), and capture a host's audit inputs into a tree or archive.
#define _XOPEN_SOURCE 700
#include "capture/snapshot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/archive_lib.h"
#include "core/ia_err.h"
#include "core/memtree.h"
#include "core/outfile.h"
#include "decode/identity.h"

/* True when @name (a relative member path) has no absolute start and no ".." component. */
static bool snap_name_safe(const char *name)
{
	if (name[0] == '/')
		return false;
	for (const char *p = name; *p;) {
		size_t l = strcspn(p, "/");
		if (l == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p += l;
		while (*p == '/')
			p++;
	}
	return true;
}

/*
 * True when link @target, placed at member @name, stays inside the tree. The check is lexical, so
 * ".." is allowed only as a prefix (sysfs writes "../../devices/..."): after a named component,
 * which may itself be a link ("x -> ." makes "x/x/../.." climb twice), ".." is refused.
 */
static bool snap_link_safe(const char *name, const char *target)
{
	int depth = 0;
	bool named = false;

	if (target[0] == '/')
		return false;
	for (const char *p = name; *p;) { /* depth of the link's directory */
		size_t l = strcspn(p, "/");
		if (p[l] == '\0')
			break;
		if (!(l == 1 && p[0] == '.') && l)
			depth++;
		p += l + 1;
	}
	for (const char *p = target; *p;) {
		size_t l = strcspn(p, "/");
		if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (named)
				return false;
			depth--;
		} else if (l && !(l == 1 && p[0] == '.')) {
			depth++;
			named = true;
		}
		if (depth < 0)
			return false;
		p += l;
		while (*p == '/')
			p++;
	}
	return true;
}

static int snap_rm_cb(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(p);
}

void ia_snapshot_remove(const char *dir)
{
	if (dir && strstr(dir, "/iommu-audit-"))
		nftw(dir, snap_rm_cb, 32, FTW_DEPTH | FTW_PHYS);
}

/* libarchive's messages may be NULL; "%s" must never see one. */
static const char *snap_str(const char *s)
{
	return s ? s : "(no detail)";
}

int ia_snapshot_unpack(const char *archive, char **dir_out, struct ia_diags *diags)
{
	static const struct ia_snapshot_limits lim = { IA_SNAPSHOT_MAX_BYTES, IA_SNAPSHOT_MAX_ENTRIES };

	return ia_snapshot_unpack_limited(archive, &lim, dir_out, diags);
}

int ia_snapshot_unpack_limited(const char *archive, const struct ia_snapshot_limits *lim, char **dir_out,
			       struct ia_diags *diags)
{
	return ia_snapshot_unpack_stoppable(archive, lim, NULL, dir_out, diags);
}

/* True (with a diagnostic) once *@stop says a signal asked the unpacking to end. */
static bool snap_stopped(const volatile sig_atomic_t *stop, const char *archive, struct ia_diags *diags)
{
	if (!stop || !*stop)
		return false;
	ia_diag_add(diags, -EINTR, archive, -1, "unpacking interrupted by signal %d; nothing is left unpacked",
		    (int)*stop);
	return true;
}

/* libarchive, loaded on first use (core/archive_lib.h); when missing, a diagnostic on @file says so. */
static int snap_archive_load(const char *file, struct ia_diags *diags)
{
	const char *err;
	int rc = ia_archive_load(&err);

	if (rc < 0)
		ia_diag_add(diags, -IA_E_ARCHIVE, file, -1, "%s", err);
	return rc;
}

#define SNAP_NAME_MAX 4096

/*
 * The checks every member passes before it is unpacked or loaded, in archive order: the member
 * and byte limits (counted in *@entries and *@total), a safe name (copied into @name, of
 * SNAP_NAME_MAX bytes), a regular file, directory or symlink (no hard link, device or FIFO), and
 * a link that stays inside the tree. Return: 0; -IA_E_TOOBIG or -IA_E_ARCHIVE with a diagnostic.
 */
static int snap_member_check(const char *archive, struct archive_entry *e, const struct ia_snapshot_limits *lim,
			     size_t *entries, unsigned long long *total, char *name, struct ia_diags *diags)
{
	mode_t type = ia_archive_entry_filetype(e);
	const char *ename = ia_archive_entry_pathname(e);

	if (++*entries > lim->max_entries) {
		ia_diag_add(diags, -IA_E_TOOBIG, archive, -1, "more than %zu members (the limit)",
			    lim->max_entries);
		return -IA_E_TOOBIG;
	}
	snprintf(name, SNAP_NAME_MAX, "%s", ename ? ename : "");
	if (!ename || strlen(ename) >= SNAP_NAME_MAX || !snap_name_safe(name)) {
		ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1,
			    "member \"%s\" has an absolute name or a \"..\" component", name);
		return -IA_E_ARCHIVE;
	}
	if (ia_archive_entry_hardlink(e) || (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)) {
		ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1,
			    "member \"%s\" is a hard link, device or FIFO", name);
		return -IA_E_ARCHIVE;
	}
	if (type == AE_IFLNK && !snap_link_safe(name, ia_archive_entry_symlink(e) ? ia_archive_entry_symlink(e) : "/")) {
		ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1,
			    "link \"%s\" -> \"%s\" leads outside the capture", name,
			    snap_str(ia_archive_entry_symlink(e)));
		return -IA_E_ARCHIVE;
	}
	la_int64_t size = ia_archive_entry_size(e);
	*total += size > 0 ? (unsigned long long)size : 0;
	if (size < 0 || *total > lim->max_bytes) {
		ia_diag_add(diags, -IA_E_TOOBIG, archive, -1,
			    "member \"%s\": the capture unpacks to more than %llu bytes (the limit)", name,
			    lim->max_bytes);
		return -IA_E_TOOBIG;
	}
	return 0;
}

/*
 * Reader @a set up for the capture formats and opened on @archive: tar (ustar, pax, GNU), plain,
 * gzip- or zstd-compressed. No other libarchive parser sees a hostile file, and no filter that
 * would run an external program (filter_all would start lrzip, grzip or lzop for such archives)
 * is enabled; both filters run in-process (libz, libzstd). Return: 0, or -IA_E_ARCHIVE (said).
 */
static int snap_reader_open(struct archive *a, const char *archive, struct ia_diags *diags)
{
	if (ia_archive_read_support_format_tar(a) != ARCHIVE_OK || ia_archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    ia_archive_read_support_filter_zstd(a) != ARCHIVE_OK) {
		ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1, "libarchive cannot read gzip'd or zstd'd tar in-process");
		return -IA_E_ARCHIVE;
	}
	if (ia_archive_read_open_filename(a, archive, 65536) != ARCHIVE_OK) {
		ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1, "%s", snap_str(ia_archive_error_string(a)));
		return -IA_E_ARCHIVE;
	}
	return 0;
}

/* Where one member's bytes go: @fn gets each block at its offset; 0, or a negative code it has
 * said (ia_diag_add()) itself. */
typedef int (*snap_block_fn)(void *ctx, const char *name, const void *buf, size_t len, int64_t off);

/*
 * The bytes of the current member @name of @a, block by block to @fn (libarchive's blocks: the
 * member's data without headers or padding, at their offsets; a sparse member's holes are not
 * given). A stop request ends it (a member up to the size limit takes long).
 * Return: 0; -EINTR (stopped, said); -IA_E_ARCHIVE (the member is cut short, said); @fn's code.
 */
static int snap_member_data(struct archive *a, const char *archive, const char *name,
			    const volatile sig_atomic_t *stop, snap_block_fn fn, void *ctx, struct ia_diags *diags)
{
	const void *buf;
	size_t len;
	int64_t off;
	int r, rc;

	while ((r = ia_archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
		if (stop && *stop)
			break;
		if ((rc = fn(ctx, name, buf, len, off)) < 0)
			return rc;
	}
	if (snap_stopped(stop, archive, diags))
		return -EINTR;
	if (r != ARCHIVE_EOF) {
		ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1, "member \"%s\" is truncated: %s", name,
			    snap_str(ia_archive_error_string(a)));
		return -IA_E_ARCHIVE;
	}
	return 0;
}

/* The end of the member loop: @rc as it stands, else -EINTR when stopped, else -IA_E_ARCHIVE when
 * the last ia_archive_read_next_header() @r was not the archive's end (each said). */
static int snap_reader_end(struct archive *a, const char *archive, int rc, int r, const volatile sig_atomic_t *stop,
			   struct ia_diags *diags)
{
	if (rc == 0 && snap_stopped(stop, archive, diags))
		return -EINTR;
	if (rc == 0 && r != ARCHIVE_EOF) {
		ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1, "%s", snap_str(ia_archive_error_string(a)));
		return -IA_E_ARCHIVE;
	}
	return rc;
}

/* The unpacker's sink: libarchive's disk writer, and where to say a failed write. */
struct snap_disk {
	struct archive *w;
	const char *archive;
	struct ia_diags *diags;
};

/* snap_block_fn of the unpacker: the block written to disk (a failure: $TMPDIR is full, say). */
static int snap_block_to_disk(void *ctx, const char *name, const void *buf, size_t len, int64_t off)
{
	struct snap_disk *d = ctx;

	if (ia_archive_write_data_block(d->w, buf, len, off) == ARCHIVE_OK)
		return 0;
	ia_diag_add(d->diags, -IA_E_ARCHIVE, d->archive, -1, "cannot unpack \"%s\": %s", name,
		    snap_str(ia_archive_error_string(d->w)));
	return -IA_E_ARCHIVE;
}

static int snap_unpack(const char *archive, const struct ia_snapshot_limits *lim,
		       const volatile sig_atomic_t *stop, char **dir_out, struct ia_diags *diags)
{
	struct archive *a, *w;
	struct archive_entry *e;
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	unsigned long long total = 0;
	size_t entries = 0;
	int rc = 0, r;

	*dir_out = NULL;
	if (snap_archive_load(archive, diags) < 0)
		return -IA_E_ARCHIVE;
	a = ia_archive_read_new();
	w = ia_archive_write_disk_new();
	snprintf(dir, sizeof(dir), "%s/iommu-audit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!a || !w || !mkdtemp(dir)) {
		ia_archive_read_free(a);
		ia_archive_write_free(w);
		return -errno ? -errno : -ENOMEM;
	}
	/* libarchive refuses to extract through any symlink of the path, $TMPDIR's own included. */
	char real[PATH_MAX];
	if (realpath(dir, real) && strlen(real) < sizeof(dir))
		memcpy(dir, real, strlen(real) + 1);
	/* Member names are checked (snap_member_check()) and joined to our own (absolute) directory;
	 * libarchive still refuses to write through a symlink or over an existing file. */
	ia_archive_write_disk_set_options(w, ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
				       ARCHIVE_EXTRACT_NO_OVERWRITE);
	if ((rc = snap_reader_open(a, archive, diags)) < 0)
		goto out;
	while ((r = ia_archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		/* A copy: ia_archive_entry_set_pathname() below frees the entry's own string. */
		char name[4096];
		mode_t type = ia_archive_entry_filetype(e);
		char full[8192];

		if (snap_stopped(stop, archive, diags)) {
			rc = -EINTR;
			break;
		}
		if ((rc = snap_member_check(archive, e, lim, &entries, &total, name, diags)) < 0)
			break;
		snprintf(full, sizeof(full), "%s/%s", dir, name);
		ia_archive_entry_set_pathname(e, full);
		ia_archive_entry_set_perm(e, type == AE_IFDIR ? 0700 : 0600);
		if (ia_archive_write_header(w, e) != ARCHIVE_OK) {
			ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1, "cannot unpack \"%s\": %s", name,
				    snap_str(ia_archive_error_string(w)));
			rc = -IA_E_ARCHIVE;
			break;
		}
		struct snap_disk disk = { w, archive, diags };
		if (type == AE_IFREG && (rc = snap_member_data(a, archive, name, stop, snap_block_to_disk, &disk, diags)) < 0)
			break;
		if (ia_archive_write_finish_entry(w) != ARCHIVE_OK) {
			ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1, "cannot unpack \"%s\": %s", name,
				    snap_str(ia_archive_error_string(w)));
			rc = -IA_E_ARCHIVE;
			break;
		}
	}
	rc = snap_reader_end(a, archive, rc, r, stop, diags);
out:
	ia_archive_read_free(a);
	ia_archive_write_free(w);
	if (rc < 0) {
		ia_snapshot_remove(dir);
		return rc;
	}
	*dir_out = strdup(dir);
	return *dir_out ? 0 : -ENOMEM;
}

/*
 * The unpacking runs in the C.UTF-8 locale (this thread only, uselocale()): a pax archive names
 * its members in UTF-8, and libarchive converts them to the current locale's charset, which in
 * the C locale a tool started by cron or systemd runs in is ASCII, so any other name failed the
 * whole archive ("Pathname can't be converted from UTF-8 to current locale"). UTF-8 to UTF-8 is a
 * copy: the bytes on disk are the header's. Names marked hdrcharset=BINARY (ours) are never
 * converted. Without a C.UTF-8 locale the current one is kept.
 */
int ia_snapshot_unpack_stoppable(const char *archive, const struct ia_snapshot_limits *lim,
				 const volatile sig_atomic_t *stop, char **dir_out, struct ia_diags *diags)
{
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t prev = utf8 ? uselocale(utf8) : (locale_t)0;
	int rc = snap_unpack(archive, lim, stop, dir_out, diags);

	if (utf8) {
		uselocale(prev);
		freelocale(utf8);
	}
	return rc;
}

/* ---- replay from memory ---- */

/* What ia_memtree_add_*() said, in the words the unpacker's refusal would have used. */
static int snap_load_error(const char *archive, const char *name, int rc, unsigned long long budget,
			   struct ia_diags *diags)
{
	switch (rc) {
	case -E2BIG:
		ia_diag_add(diags, -E2BIG, archive, -1,
			    "member \"%s\": the capture holds more than the %llu MiB the in-memory replay keeps", name,
			    budget >> 20);
		return -E2BIG;
	case -ENOMEM:
		ia_diag_add(diags, -ENOMEM, archive, -1, "member \"%s\": out of memory", name);
		return -ENOMEM;
	case -ELOOP:
		ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1, "cannot unpack \"%s\": a component before it is a symlink",
			    name);
		return -IA_E_ARCHIVE;
	case -ENOTDIR:
		ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1, "cannot unpack \"%s\": a component before it is a file",
			    name);
		return -IA_E_ARCHIVE;
	case -EEXIST:
		ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1, "cannot unpack \"%s\": the name is already taken", name);
		return -IA_E_ARCHIVE;
	default:
		ia_diag_add(diags, -IA_E_ARCHIVE, archive, -1, "cannot unpack \"%s\": %s", name, strerror(-rc));
		return -IA_E_ARCHIVE;
	}
}

/* The loader's sink: a member's bytes in the tree, [0, filled) written so far. */
struct snap_mem {
	char *data;
	uint64_t size, filled;
	const char *archive;
	struct ia_diags *diags;
};

/* snap_block_fn of the loader: the block copied at its offset (a hole before it zeroed); a block
 * past the member's stated size is refused (a hostile header). */
static int snap_block_to_mem(void *ctx, const char *name, const void *buf, size_t len, int64_t off)
{
	struct snap_mem *m = ctx;

	if (off < 0 || (uint64_t)off > m->size || len > m->size - (uint64_t)off || (!m->data && len)) {
		ia_diag_add(m->diags, -IA_E_ARCHIVE, m->archive, -1, "member \"%s\" holds more than its stated %llu bytes",
			    name, (unsigned long long)m->size);
		return -IA_E_ARCHIVE;
	}
	if (!m->data) /* a skipped member: an empty block, nothing to keep */
		return 0;
	if ((uint64_t)off > m->filled)
		memset(m->data + m->filled, 0, (size_t)((uint64_t)off - m->filled));
	memcpy(m->data + off, buf, len);
	if ((uint64_t)off + len > m->filled)
		m->filled = (uint64_t)off + len;
	return 0;
}

static int snap_load(const char *archive, const struct ia_snapshot_limits *lim, size_t budget,
		     const volatile sig_atomic_t *stop, struct ia_memtree **out, struct ia_diags *diags)
{
	*out = NULL;
	if (snap_archive_load(archive, diags) < 0)
		return -IA_E_ARCHIVE;
	struct archive *a = ia_archive_read_new();
	struct ia_memtree *t = ia_memtree_new(budget);
	struct archive_entry *e;
	unsigned long long total = 0;
	size_t entries = 0;
	int rc = 0, r = ARCHIVE_EOF;

	if (!a || !t) {
		rc = -ENOMEM;
		goto out;
	}
	if ((rc = snap_reader_open(a, archive, diags)) < 0)
		goto out;
	while ((r = ia_archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		char name[SNAP_NAME_MAX];
		mode_t type = ia_archive_entry_filetype(e);

		if (snap_stopped(stop, archive, diags)) {
			rc = -EINTR;
			break;
		}
		if ((rc = snap_member_check(archive, e, lim, &entries, &total, name, diags)) < 0)
			break;
		if (type == AE_IFDIR) {
			rc = ia_memtree_add_dir(t, name);
		} else if (type == AE_IFLNK) {
			rc = ia_memtree_add_link(t, name, ia_archive_entry_symlink(e));
		} else {
			struct snap_mem m = { .size = (uint64_t)ia_archive_entry_size(e) /* >= 0: checked */,
					      .archive = archive, .diags = diags };
			rc = ia_memtree_add_file(t, name, m.size, &m.data);
			if (rc == 0) { /* a skipped member (no data: size 0) is read too, as the unpacker does */
				rc = snap_member_data(a, archive, name, stop, snap_block_to_mem, &m, diags);
				if (m.data && m.filled < m.size) /* a sparse member's tail, or what a failure left */
					memset(m.data + m.filled, 0, (size_t)(m.size - m.filled));
				if (rc < 0)
					break;
				ia_memtree_file_filled(t); /* its zeros at the end are not kept */
			}
		}
		if (rc < 0) {
			rc = snap_load_error(archive, name, rc, budget, diags);
			break;
		}
	}
	rc = snap_reader_end(a, archive, rc, r, stop, diags);
	if (rc == 0 && (rc = ia_memtree_seal(t)) < 0)
		rc = snap_load_error(archive, "(the index)", rc, budget, diags);
out:
	ia_archive_read_free(a);
	if (rc < 0) {
		ia_memtree_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int ia_snapshot_load(const char *archive, const struct ia_snapshot_limits *lim, size_t budget,
		     const volatile sig_atomic_t *stop, struct ia_memtree **tree, struct ia_diags *diags)
{
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0); /* as ia_snapshot_unpack_stoppable() */
	locale_t prev = utf8 ? uselocale(utf8) : (locale_t)0;
	int rc = snap_load(archive, lim, budget, stop, tree, diags);

	if (utf8) {
		uselocale(prev);
		freelocale(utf8);
	}
	return rc;
}

/* ---- capture ---- */

struct snap_sink {
	struct archive *ar;     /* archive output, or NULL for a directory */
	int dirfd;              /* directory output */
	time_t now;
	struct ia_diags *diags;
	const struct ia_fsroot *root;
	size_t files;
	int write_err;          /* the first failed write (-errno, -IA_E_ARCHIVE): the capture is incomplete */
	const volatile sig_atomic_t *stop; /* non-zero: a signal asked the capture to end (or NULL) */
	char **seen;            /* the names written so far: an open-addressing set of malloc'd strings */
	size_t seen_cap, seen_n;
};

static void snap_write_failed(struct snap_sink *s, const char *rel, int err, const char *why);

/* FNV-1a of @name: the slot of the written-names set to probe first. */
static size_t snap_hash(const char *name)
{
	uint64_t h = 14695981039346656037ull;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)h;
}

/* Insert @name (owned by the set) into @v of @cap slots (a power of two, never full). */
static void snap_seen_put(char **v, size_t cap, char *name)
{
	size_t i = snap_hash(name) & (cap - 1);

	while (v[i])
		i = (i + 1) & (cap - 1);
	v[i] = name;
}

/*
 * True when @rel is written for the first time. Two names of the root can lead to one directory
 * (two links to one device directory), and every device under one host bridge names its
 * firmware_node link: a second copy of a file would be a second member of that name, which the
 * unpacker refuses (it never overwrites a file), or, in a directory output, a file that already
 * exists (EEXIST); a second link is only a larger archive. The path under the root is the same
 * object, so the second copy is skipped.
 * Return: true to write; false when written already, or with the capture failed (-ENOMEM).
 */
static bool snap_claim(struct snap_sink *s, const char *rel)
{
	if (s->stop && *s->stop)
		snap_write_failed(s, rel, -EINTR, "interrupted by a signal");
	if (s->write_err)
		return false;
	if (s->seen_cap) {
		for (size_t i = snap_hash(rel) & (s->seen_cap - 1); s->seen[i]; i = (i + 1) & (s->seen_cap - 1))
			if (!strcmp(s->seen[i], rel))
				return false;
	}
	if (2 * (s->seen_n + 1) > s->seen_cap) { /* at most half full */
		size_t cap = s->seen_cap ? 2 * s->seen_cap : 1024;
		char **v = calloc(cap, sizeof(*v));
		if (!v)
			goto nomem;
		for (size_t i = 0; i < s->seen_cap; i++)
			if (s->seen[i])
				snap_seen_put(v, cap, s->seen[i]);
		free(s->seen);
		s->seen = v;
		s->seen_cap = cap;
	}
	char *copy = strdup(rel);
	if (!copy)
		goto nomem;
	snap_seen_put(s->seen, s->seen_cap, copy);
	s->seen_n++;
	return true;
nomem:
	s->write_err = -ENOMEM;
	ia_diag_add(s->diags, -ENOMEM, rel, -1, "cannot write the capture: %s", strerror(ENOMEM));
	return false;
}

static void snap_seen_free(struct snap_sink *s)
{
	for (size_t i = 0; i < s->seen_cap; i++)
		free(s->seen[i]);
	free(s->seen);
	s->seen = NULL;
	s->seen_cap = s->seen_n = 0;
}

/* Record the first failed write (a full disk, a file-size limit) once. */
static void snap_write_failed(struct snap_sink *s, const char *rel, int err, const char *why)
{
	if (s->write_err)
		return;
	s->write_err = err < 0 ? err : -IA_E_ARCHIVE;
	ia_diag_add(s->diags, s->write_err, rel, -1, "cannot write the capture: %s; %s",
		    why ? why : ia_strerror(s->write_err),
		    s->ar ? "no archive is left under that name (an earlier one stays as it was)"
			  : "no directory is left under that name (an earlier one stays as it was)");
}

/*
 * One archive header; false (recorded) when the archive cannot be written. ARCHIVE_WARN with "Can't
 * translate pathname/linkname" (archive_write_pax_header()) is kept: a name the locale
 * cannot convert to UTF-8 (any non-ASCII byte in the C locale, invalid UTF-8 in any) was written
 * as its bytes with hdrcharset=BINARY in that entry's extended header: the header is whole.
 */
static bool snap_ar_header(struct snap_sink *s, struct archive_entry *e, const char *rel)
{
	int r = ia_archive_write_header(s->ar, e);
	const char *msg = r == ARCHIVE_WARN ? ia_archive_error_string(s->ar) : NULL;

	/* only that warning: another (an ACL or metadata dropped, in another libarchive) fails */
	if (r == ARCHIVE_OK || (msg && !strncmp(msg, "Can't translate ", strlen("Can't translate "))))
		return true;
	snap_write_failed(s, rel, ia_archive_errno(s->ar) > 0 ? -ia_archive_errno(s->ar) : -IA_E_ARCHIVE,
			  ia_archive_error_string(s->ar));
	return false;
}

/*
 * The directory that will hold @rel in a directory output, created as needed, with *leaf set to
 * @rel's last component. Every component is created and opened with O_NOFOLLOW|O_DIRECTORY from
 * the output's descriptor downwards, so a link the capture wrote earlier (a tree may make one path
 * lead through another) is never followed: a write can only land under the output.
 * Return: a directory descriptor to close(), or -errno (-ELOOP/-ENOTDIR when a component is a link).
 */
static int snap_parent_fd(struct snap_sink *s, const char *rel, const char **leaf)
{
	char p[4096];
	int fd = dup(s->dirfd);

	if (fd < 0)
		return -errno;
	if (snprintf(p, sizeof(p), "%s", rel) >= (int)sizeof(p)) {
		close(fd);
		return -ENAMETOOLONG;
	}
	char *comp = p, *slash;
	while ((slash = strchr(comp, '/'))) {
		*slash = '\0';
		if (!*comp || !strcmp(comp, ".") || !strcmp(comp, "..")) {
			close(fd);
			return -EINVAL;
		}
		if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
			int e = -errno;
			close(fd);
			return e;
		}
		int nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = -errno;
		close(fd);
		if (nfd < 0)
			return e;
		fd = nfd;
		comp = slash + 1;
	}
	*leaf = rel + (comp - p);
	return fd;
}

static void snap_put_file(struct snap_sink *s, const char *rel, const void *data, size_t len)
{
	if (!snap_claim(s, rel))
		return;
	if (s->ar) {
		struct archive_entry *e = ia_archive_entry_new();
		ia_archive_entry_set_pathname(e, rel);
		ia_archive_entry_set_filetype(e, AE_IFREG);
		ia_archive_entry_set_perm(e, 0644);
		ia_archive_entry_set_size(e, (la_int64_t)len);
		ia_archive_entry_set_mtime(e, s->now, 0);
		if (snap_ar_header(s, e, rel) && len && ia_archive_write_data(s->ar, data, len) != (la_ssize_t)len)
			snap_write_failed(s, rel, ia_archive_errno(s->ar) > 0 ? -ia_archive_errno(s->ar) : -IA_E_ARCHIVE,
					  ia_archive_error_string(s->ar));
		ia_archive_entry_free(e);
	} else {
		const char *leaf = NULL;
		int pfd = snap_parent_fd(s, rel, &leaf);
		int fd = pfd < 0 ? -1 : openat(pfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
		int oerr = pfd < 0 ? -pfd : errno;
		size_t done = 0;
		ssize_t w = fd < 0 ? -1 : 0;
		while (fd >= 0 && done < len && (w = write(fd, (const char *)data + done, len - done)) > 0)
			done += (size_t)w; /* a short write is retried: the next one says why (ENOSPC, EFBIG) */
		if (fd < 0)
			snap_write_failed(s, rel, -oerr, strerror(oerr));
		else if (done < len)
			snap_write_failed(s, rel, w < 0 ? -errno : -EIO, w < 0 ? strerror(errno) : NULL);
		if (fd >= 0)
			close(fd);
		if (pfd >= 0)
			close(pfd);
	}
	s->files++;
}

/* An (empty) directory: its existence is the fact (a loaded module under sys/module). */
static void snap_put_dir(struct snap_sink *s, const char *rel)
{
	if (!snap_claim(s, rel))
		return;
	if (s->ar) {
		struct archive_entry *e = ia_archive_entry_new();
		ia_archive_entry_set_pathname(e, rel);
		ia_archive_entry_set_filetype(e, AE_IFDIR);
		ia_archive_entry_set_perm(e, 0755);
		ia_archive_entry_set_mtime(e, s->now, 0);
		snap_ar_header(s, e, rel);
		ia_archive_entry_free(e);
	} else {
		const char *leaf = NULL;
		int pfd = snap_parent_fd(s, rel, &leaf);
		if (pfd < 0)
			snap_write_failed(s, rel, pfd, strerror(-pfd));
		else if (mkdirat(pfd, leaf, 0755) < 0 && errno != EEXIST)
			snap_write_failed(s, rel, -errno, strerror(errno));
		if (pfd >= 0)
			close(pfd);
	}
}

static void snap_put_link(struct snap_sink *s, const char *rel, const char *target)
{
	if (!snap_claim(s, rel))
		return;
	if (s->ar) {
		struct archive_entry *e = ia_archive_entry_new();
		ia_archive_entry_set_pathname(e, rel);
		ia_archive_entry_set_filetype(e, AE_IFLNK);
		ia_archive_entry_set_perm(e, 0777);
		ia_archive_entry_set_symlink(e, target);
		ia_archive_entry_set_mtime(e, s->now, 0);
		snap_ar_header(s, e, rel);
		ia_archive_entry_free(e);
	} else {
		const char *leaf = NULL;
		int pfd = snap_parent_fd(s, rel, &leaf);
		if (pfd < 0)
			snap_write_failed(s, rel, pfd, strerror(-pfd));
		else if (symlinkat(target, pfd, leaf) < 0 && errno != EEXIST)
			snap_write_failed(s, rel, -errno, strerror(errno));
		if (pfd >= 0)
			close(pfd);
	}
}

/* Copy one file of the root if present (absent is fine: captures hold what exists). */
static void snap_copy(struct snap_sink *s, const char *rel, size_t max)
{
	char *buf;
	size_t len;
	int rc = ia_fsroot_read(s->root, rel, max, &buf, &len);

	if (rc == 0) {
		snap_put_file(s, rel, buf, len);
		free(buf);
	} else if (rc != -ENOENT) {
		ia_diag_add(s->diags, rc, rel, -1, "not captured: %s", ia_strerror(rc));
	}
}

/* Copy a symlink of the root as its link text, if it is one. */
static bool snap_copy_link(struct snap_sink *s, const char *rel)
{
	char t[4096];

	if (ia_fsroot_readlink(s->root, rel, t, sizeof(t)) < 0)
		return false;
	if (!snap_link_safe(rel, t)) { /* the unpacker would refuse the whole capture */
		ia_diag_add(s->diags, -IA_E_ESCAPE, rel, -1,
			    "link to \"%s\" leads outside the captured tree; not captured", t);
		return true;
	}
	snap_put_link(s, rel, t);
	return true;
}

static void snap_copy_dir_files(struct snap_sink *s, const char *dir, size_t max)
{
	char **names = NULL;
	size_t n = 0;

	if (ia_fsroot_list(s->root, dir, &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char rel[4096];
		snprintf(rel, sizeof(rel), "%s/%s", dir, names[i]);
		if (!snap_copy_link(s, rel))
			snap_copy(s, rel, max);
	}
	ia_fsroot_list_free(names, n);
}

static const char *const snap_pci_attrs[] = {
	"config", "vendor", "device", "subsystem_vendor", "subsystem_device", "class", "revision",
	"resource", "irq", "numa_node", "enable", "driver_override", "sriov_totalvfs", "sriov_numvfs",
	"removable", "reset_method", "msi_bus", "local_cpulist", "modalias", "boot_vga",
};
static const char *const snap_pci_links[] = { "driver", "iommu_group", "iommu", "physfn", "firmware_node" };

static void snap_pci(struct snap_sink *s)
{
	char **names = NULL;
	size_t n = 0;

	if (ia_fsroot_list(s->root, "sys/bus/pci/devices", &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char rel[512], canon[4096], a[4608];
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", names[i]);
		snap_copy_link(s, rel);
		if (ia_fsroot_canonical(s->root, rel, canon, sizeof(canon)) < 0) {
			ia_diag_add(s->diags, -ENOENT, rel, -1, "device vanished during the capture");
			continue;
		}
		/* The host bridge's firmware_node lets replays see the ACPI companion. */
		char *slash = strncmp(canon, "sys/devices/", strlen("sys/devices/")) ? NULL :
			      strchr(canon + strlen("sys/devices/"), '/');
		if (slash) {
			char hb[4096];
			snprintf(hb, sizeof(hb), "%.*s/firmware_node", (int)(slash - canon), canon);
			snap_copy_link(s, hb);
		}
		for (size_t k = 0; k < sizeof(snap_pci_attrs) / sizeof(*snap_pci_attrs); k++) {
			snprintf(a, sizeof(a), "%s/%s", canon, snap_pci_attrs[k]);
			snap_copy(s, a, 1u << 16);
		}
		for (size_t k = 0; k < sizeof(snap_pci_links) / sizeof(*snap_pci_links); k++) {
			snprintf(a, sizeof(a), "%s/%s", canon, snap_pci_links[k]);
			snap_copy_link(s, a);
		}
		char **ents = NULL;
		size_t ne = 0;
		if (ia_fsroot_list(s->root, canon, &ents, &ne) == 0)
			for (size_t k = 0; k < ne; k++)
				if (!strncmp(ents[k], "virtfn", 6)) {
					snprintf(a, sizeof(a), "%s/%s", canon, ents[k]);
					snap_copy_link(s, a);
				}
		ia_fsroot_list_free(ents, ne);
	}
	ia_fsroot_list_free(names, n);
}

static void snap_groups(struct snap_sink *s)
{
	char **names = NULL;
	size_t n = 0;

	if (ia_fsroot_list(s->root, "sys/kernel/iommu_groups", &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char rel[512];
		static const char *const files[] = { "type", "reserved_regions", "name" };
		for (size_t k = 0; k < 3; k++) {
			snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%s/%s", names[i], files[k]);
			snap_copy(s, rel, 1u << 20);
		}
		snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%s/devices", names[i]);
		snap_copy_dir_files(s, rel, 0);
	}
	ia_fsroot_list_free(names, n);
}

static void snap_iommu_units(struct snap_sink *s)
{
	char **names = NULL;
	size_t n = 0;

	if (ia_fsroot_list(s->root, "sys/class/iommu", &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char rel[512], canon[4096], d[4608];
		snprintf(rel, sizeof(rel), "sys/class/iommu/%s", names[i]);
		snap_copy_link(s, rel);
		if (ia_fsroot_canonical(s->root, rel, canon, sizeof(canon)) < 0)
			continue;
		static const char *const sub[] = { "intel-iommu", "amd-iommu", "devices" };
		for (size_t k = 0; k < 3; k++) {
			snprintf(d, sizeof(d), "%s/%s", canon, sub[k]);
			snap_copy_dir_files(s, d, 1u << 16);
		}
	}
	ia_fsroot_list_free(names, n);
}

static void snap_names_as_empty(struct snap_sink *s, const char *dir, bool as_dirs)
{
	char **names = NULL;
	size_t n = 0;

	if (ia_fsroot_list(s->root, dir, &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char rel[512];
		snprintf(rel, sizeof(rel), "%s/%s%s", dir, names[i], as_dirs ? "/" : "");
		if (as_dirs) {
			rel[strlen(rel) - 1] = '\0'; /* the trailing '/' */
			snap_put_dir(s, rel);
		} else {
			struct stat st;
			if (ia_fsroot_stat(s->root, rel, &st) == 0 && S_ISDIR(st.st_mode))
				continue;
			snap_put_file(s, rel, "", 0);
		}
	}
	ia_fsroot_list_free(names, n);
}

/*
 * The devices of class directory @cls (sys/class/block, net, graphics, drm; sys/dev/block) that the host_use
 * collector maps to PCI functions: each link (whose name starts with @prefix, all when NULL), its
 * target directory made to exist by its "dev" or "ifindex" attribute, and what a virtual one is
 * built on: a block device's partition attribute, dm name, slaves/ and holders/ links and, for a
 * multipath NVMe namespace, its subsystem's controller links; a network interface's lower_* links.
 */
static void snap_host_use_class(struct snap_sink *s, const char *cls, const char *prefix)
{
	static const char *const attrs[] = { "dev", "ifindex", "partition", "dm/name" };
	char **names = NULL;
	size_t n = 0;

	if (ia_fsroot_list(s->root, cls, &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char rel[512], canon[4096], a[4608];
		if (prefix && strncmp(names[i], prefix, strlen(prefix)))
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", cls, names[i]);
		if (!snap_copy_link(s, rel) || ia_fsroot_canonical(s->root, rel, canon, sizeof(canon)) < 0)
			continue;
		for (size_t k = 0; k < sizeof(attrs) / sizeof(attrs[0]); k++) {
			snprintf(a, sizeof(a), "%s/%s", canon, attrs[k]);
			snap_copy(s, a, 4096);
		}
		snprintf(a, sizeof(a), "%s/slaves", canon);
		snap_copy_dir_files(s, a, 0);
		snprintf(a, sizeof(a), "%s/holders", canon);
		snap_copy_dir_files(s, a, 0);
		char **ents = NULL;
		size_t ne = 0;
		if (ia_fsroot_list(s->root, canon, &ents, &ne) == 0)
			for (size_t k = 0; k < ne; k++)
				if (!strncmp(ents[k], "lower_", 6)) {
					snprintf(a, sizeof(a), "%s/%s", canon, ents[k]);
					snap_copy_link(s, a);
				}
		ia_fsroot_list_free(ents, ne);
		/* sys/devices/virtual/nvme-subsystem/nvme-subsysN/<ns>: the controllers nvme<M> beside it */
		char *slash = strrchr(canon, '/');
		if (!slash || !strstr(canon, "/nvme-subsystem/nvme-subsys"))
			continue;
		*slash = '\0';
		if (ia_fsroot_list(s->root, canon, &ents, &ne) == 0)
			for (size_t k = 0; k < ne; k++) {
				char c2[4096];
				if (strncmp(ents[k], "nvme", 4) || !strncmp(ents[k], "nvme-", 5))
					continue;
				snprintf(a, sizeof(a), "%s/%s", canon, ents[k]);
				if (snap_copy_link(s, a) && ia_fsroot_canonical(s->root, a, c2, sizeof(c2)) >= 0) {
					snprintf(a, sizeof(a), "%s/dev", c2);
					snap_copy(s, a, 4096);
				}
			}
		ia_fsroot_list_free(ents, ne);
	}
	ia_fsroot_list_free(names, n);
}

/* What the host_use collector reads (collectors/host_use.c): mounts, swap, routes, addresses, the
 * console's ttys and framebuffers, DRM cards, and the block and network devices they name. */
static void snap_host_use(struct snap_sink *s)
{
	static const char *const files[] = { "proc/self/mountinfo", "proc/swaps", "proc/net/route", "proc/net/ipv6_route",
					     "proc/net/if_inet6", "proc/consoles", "sys/class/tty/console/active" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		snap_copy(s, files[i], 32u << 20);
	snap_host_use_class(s, "sys/dev/block", NULL);
	snap_host_use_class(s, "sys/class/block", NULL);
	snap_host_use_class(s, "sys/class/net", NULL);
	snap_host_use_class(s, "sys/class/graphics", "fb");
	snap_host_use_class(s, "sys/class/drm", "card");
	/* the console's ttys only (a host has dozens of ttys) */
	char *txt = NULL;
	size_t len;
	for (int f = 0; f < 2; f++) {
		if (ia_fsroot_read(s->root, f ? "proc/consoles" : "sys/class/tty/console/active", 65536, &txt, &len) < 0)
			continue;
		char *save = NULL;
		for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char *save2 = NULL;
			for (char *t = strtok_r(l, " ", &save2); t; t = f ? NULL : strtok_r(NULL, " ", &save2)) {
				char rel[128], canon[4096], a[4200];
				if (!t[0] || strchr(t, '/') || !strcmp(t, ".") || !strcmp(t, "..") || strlen(t) > 64)
					continue;
				snprintf(rel, sizeof(rel), "sys/class/tty/%s", t);
				if (snap_copy_link(s, rel) && ia_fsroot_canonical(s->root, rel, canon, sizeof(canon)) >= 0) {
					snprintf(a, sizeof(a), "%s/dev", canon);
					snap_copy(s, a, 4096);
				}
				if (f)
					break;   /* proc/consoles: the first word of each line */
			}
		}
		free(txt);
		txt = NULL;
	}
}

/* The archive kind an output name asks for: its filter, or -1 for a directory. */
enum snap_kind { SNAP_DIR = -1, SNAP_TAR, SNAP_GZIP, SNAP_ZSTD };

static enum snap_kind snap_kind_of(const char *output)
{
	static const struct { const char *suffix; enum snap_kind kind; } k[] = {
		{ ".tar.gz", SNAP_GZIP }, { ".tgz", SNAP_GZIP }, { ".tar.zst", SNAP_ZSTD }, { ".tzst", SNAP_ZSTD },
		{ ".tar", SNAP_TAR },
	};
	size_t ol = strlen(output);

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		size_t sl = strlen(k[i].suffix);
		if (ol > sl && !strcmp(output + ol - sl, k[i].suffix))
			return k[i].kind;
	}
	return SNAP_DIR;
}

int ia_snapshot_capture(const struct ia_fsroot *root, const char *output, struct ia_diags *diags)
{
	return ia_snapshot_capture_opts(root, output, false, NULL, diags);
}

/* Remove the tree at @path without following a link or leaving its filesystem (FTW_PHYS, FTW_MOUNT). */
static void snap_rmtree(const char *path)
{
	nftw(path, snap_rm_cb, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* The top-level names a directory capture writes: an existing directory holding anything else is
 * not a capture, and --force never replaces it (a mistyped --output $HOME would remove it). */
static bool snap_dir_is_capture(const char *dir, struct ia_diags *diags)
{
	static const char *const top[] = { "proc", "sys", "boot", "dev", "etc" };
	DIR *d = opendir(dir);
	struct dirent *de;
	bool ok = d != NULL;

	if (!d) {
		ia_diag_add(diags, -errno, dir, -1, "cannot read the directory to replace: %s", strerror(errno));
		return false;
	}
	while (ok && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		bool known = false;
		for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++)
			known |= !strcmp(de->d_name, top[i]);
		if (!known) {
			ia_diag_add(diags, -EEXIST, dir, -1, "holds \"%s\", which no capture writes; not replaced",
				    de->d_name);
			ok = false;
		}
	}
	closedir(d);
	return ok;
}

/*
 * Put the directory capture @tmp in @output's place: a new name with RENAME_NOREPLACE; over an
 * old capture (@replace) with RENAME_EXCHANGE, so @output is whole at every moment, then the old
 * tree (now under @tmp's name) removed. A filesystem without RENAME_EXCHANGE gets the old tree
 * renamed aside first. Return: 0 or -errno.
 */
static int snap_dir_into_place(const char *tmp, const char *output, bool replace)
{
	if (!replace)
		return renameat2(AT_FDCWD, tmp, AT_FDCWD, output, RENAME_NOREPLACE) < 0 ? -errno : 0;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, output, RENAME_EXCHANGE) == 0) {
		snap_rmtree(tmp);
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	char aside[PATH_MAX];
	int rc = ia_out_tmpname(output, aside, sizeof(aside));
	if (rc < 0)
		return rc;
	if (!mkdtemp(aside))
		return -errno;
	if (rename(output, aside) < 0) { /* over the empty directory just made */
		rc = -errno;
		rmdir(aside);
		return rc;
	}
	if (rename(tmp, output) < 0) {
		rc = -errno;
		rename(aside, output); /* put the old one back */
		return rc;
	}
	snap_rmtree(aside);
	return 0;
}

int ia_snapshot_capture_opts(const struct ia_fsroot *root, const char *output_arg, bool force,
			     const volatile sig_atomic_t *stop, struct ia_diags *diags)
{
	struct snap_sink s = { .dirfd = -1, .now = time(NULL), .diags = diags, .root = root, .stop = stop };
	enum snap_kind kind = snap_kind_of(output_arg);
	bool archive = kind != SNAP_DIR;
	char tmp[PATH_MAX], output[PATH_MAX];
	int rc = 0;

	struct stat ost;
	int ofd = -1;
	bool replace;

	/* "DIR/" names DIR: its temporary sibling is ".DIR.XXXXXX", not "DIR/..XXXXXX" */
	if (snprintf(output, sizeof(output), "%s", output_arg) >= (int)sizeof(output))
		return -ENAMETOOLONG;
	for (size_t l = strlen(output); l > 1 && output[l - 1] == '/'; l--)
		output[l - 1] = '\0';
	/* An existing output is kept unless --force; a link (also a dangling one) or anything but a
	 * regular file (an archive) or a directory holding a capture (a directory) never is:
	 * rename(2) would replace the link itself, but say so instead. */
	replace = lstat(output, &ost) == 0;
	if (replace && (!force || (archive ? !S_ISREG(ost.st_mode) : !S_ISDIR(ost.st_mode))))
		return -EEXIST;
	if (replace && !archive && !snap_dir_is_capture(output, diags))
		return -EEXIST;
	/* Written under a temporary name beside the output (".NAME.XXXXXX"), never through a link,
	 * flushed and renamed into place: a failed capture (a full disk) or a killed one leaves
	 * nothing that looks whole and leaves a previous one as it was. */
	if ((rc = ia_out_tmpname(output, tmp, sizeof(tmp))) < 0)
		return rc;
	if (archive && snap_archive_load(output, diags) < 0)
		return -IA_E_ARCHIVE;
	if (archive) {
		if ((ofd = ia_out_tmpfile(output, 0644, tmp, sizeof(tmp))) < 0)
			return ofd;
		s.ar = ia_archive_write_new();
		int frc = kind == SNAP_GZIP ? ia_archive_write_add_filter_gzip(s.ar) :
			  kind == SNAP_ZSTD ? ia_archive_write_add_filter_zstd(s.ar) : ia_archive_write_add_filter_none(s.ar);
		/* Names are stored as the root's bytes. Restricted pax writes a plain ustar header for a
		 * short ASCII name, and an extended header only where a name needs one: a name the
		 * locale cannot translate to UTF-8 (non-ASCII in the C locale, or not UTF-8 at all) is
		 * written as its bytes with hdrcharset=BINARY in its own entry (snap_ar_header()), and
		 * the unpacker gives the bytes back. The writer-wide hdrcharset=BINARY option would put
		 * a 1 KiB extended header before every member (archive_write_pax_header() adds the
		 * attribute whenever the whole archive is binary): an archive of 16,384 functions
		 * inflated to 843 MB for 86 MB of files. */
		if (frc != ARCHIVE_OK || ia_archive_write_set_format_pax_restricted(s.ar) != ARCHIVE_OK ||
		    ia_archive_write_open_fd(s.ar, ofd) != ARCHIVE_OK) {
			ia_diag_add(diags, -IA_E_ARCHIVE, output, -1, "%s", snap_str(ia_archive_error_string(s.ar)));
			ia_archive_write_free(s.ar);
			close(ofd);
			unlink(tmp);
			return -IA_E_ARCHIVE;
		}
	} else {
		if (!mkdtemp(tmp))
			return -errno;
		s.dirfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (s.dirfd < 0) {
			rc = -errno;
			rmdir(tmp);
			return rc;
		}
	}
	static const char *const proc[] = { "proc/cmdline", "proc/version", "proc/version_signature", "proc/interrupts",
					    "proc/modules", "proc/config.gz", "proc/sys/kernel/tainted", "proc/sys/kernel/arch",
					    "proc/sys/kernel/osrelease" };
	for (size_t i = 0; i < sizeof(proc) / sizeof(*proc); i++)
		snap_copy(&s, proc[i], 32u << 20);
	char *ver = NULL;
	size_t vl;
	if (ia_fsroot_read(root, "proc/version", 4096, &ver, &vl) == 0) {
		char rel[256], cfg[300];
		if (sscanf(ver, "Linux version %255s", rel) == 1) {
			snprintf(cfg, sizeof(cfg), "boot/config-%s", rel);
			snap_copy(&s, cfg, 32u << 20);
		}
		free(ver);
	}
	snap_pci(&s);
	snap_groups(&s);
	snap_iommu_units(&s);
	static const char *const tables[] = { "DMAR", "IVRS", "IORT", "APIC", "MCFG", "VIOT" };
	for (size_t i = 0; i < sizeof(tables) / sizeof(*tables); i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "sys/firmware/acpi/tables/%s", tables[i]);
		snap_copy(&s, rel, 16u << 20);
	}
	snap_copy(&s, "sys/firmware/fdt", 64u << 20);
	static const char *const mods[] = { "vfio", "vfio_iommu_type1", "vfio_pci", "iommufd" };
	for (size_t i = 0; i < sizeof(mods) / sizeof(*mods); i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "sys/module/%s", mods[i]);
		if (ia_fsroot_exists(root, rel))
			snap_put_dir(&s, rel); /* a loaded module without parameters still tells no-IOMMU is compiled out */
		snprintf(rel, sizeof(rel), "sys/module/%s/parameters", mods[i]);
		snap_copy_dir_files(&s, rel, 4096);
	}
	snap_names_as_empty(&s, "sys/bus/pci/drivers", true);
	snap_names_as_empty(&s, "dev/vfio", false);
	snap_names_as_empty(&s, "dev/vfio/devices", false);
	snap_host_use(&s);
	/* the host's identity (collectors/identity.c): name, machine-id, CPU, DMI system, board and BIOS */
	static const char *const ident[] = { "proc/sys/kernel/hostname", "etc/machine-id", "proc/cpuinfo" };
	for (size_t i = 0; i < sizeof(ident) / sizeof(*ident); i++)
		snap_copy(&s, ident[i], 4u << 20);
	for (size_t i = 0; i < IA_IDENTITY_N_DMI; i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "sys/class/dmi/id/%s", ia_identity_dmi_attrs[i]);
		snap_copy(&s, rel, 4096);
	}
	if (s.ar) {
		if (ia_archive_write_close(s.ar) != ARCHIVE_OK)
			snap_write_failed(&s, output, ia_archive_errno(s.ar) > 0 ? -ia_archive_errno(s.ar) : -IA_E_ARCHIVE,
					  ia_archive_error_string(s.ar));
		ia_archive_write_free(s.ar);
		if (!s.write_err && fsync(ofd) < 0)
			snap_write_failed(&s, output, -errno, strerror(errno));
		if (close(ofd) < 0)
			snap_write_failed(&s, output, -errno, strerror(errno));
		/* into place: without --force never over a file made meanwhile (RENAME_NOREPLACE) */
		if (!s.write_err && renameat2(AT_FDCWD, tmp, AT_FDCWD, output, force ? 0 : RENAME_NOREPLACE) < 0)
			snap_write_failed(&s, output, -errno, strerror(errno));
		if (s.write_err)
			unlink(tmp); /* never leave a truncated archive, under either name */
	} else {
		/* the files on disk before the name that says "whole" (one syncfs, not one fsync a file) */
		if (!s.write_err && syncfs(s.dirfd) < 0)
			snap_write_failed(&s, output, -errno, strerror(errno));
		close(s.dirfd);
		if (!s.write_err && chmod(tmp, 0755 & ~ia_out_umask()) < 0) /* what mkdir(2) would have made */
			snap_write_failed(&s, output, -errno, strerror(errno));
		int prc = s.write_err ? 0 : snap_dir_into_place(tmp, output, replace);
		if (prc < 0)
			snap_write_failed(&s, output, prc, strerror(-prc));
		if (s.write_err)
			snap_rmtree(tmp); /* never leave a cut directory, under either name */
	}
	snap_seen_free(&s);
	return rc < 0 ? rc : s.write_err;
}
