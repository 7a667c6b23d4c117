// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz the capture-archive readers: unpack into a per-process scratch directory, check confinement,
// and load the same input into memory (the --snapshot replay): the same answer and the same tree.
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "capture/snapshot.h"
#include "core/fsroot.h"
#include "core/memtree.h"

static char fz_scratch[PATH_MAX];     /* per-process: $TMPDIR/ia-fuzz-snapshot-XXXXXX */
static char fz_tmp[PATH_MAX + 8];     /* fz_scratch/tmp: the unpacker's $TMPDIR */
static char fz_input[PATH_MAX + 16];  /* fz_scratch/in.tar.gz */
static const char *fz_unpacked;       /* the tree being checked by fz_entry_inside() */
static size_t fz_unpacked_len;

static int fz_rm(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(p);
}

static void fz_cleanup(void)
{
	if (fz_scratch[0])
		nftw(fz_scratch, fz_rm, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *t = getenv("TMPDIR");
	(void)argc; (void)argv;

	char made[PATH_MAX];

	snprintf(made, sizeof(made), "%s/ia-fuzz-snapshot-XXXXXX", t && *t ? t : "/tmp");
	/* The real path: the unpacker resolves $TMPDIR the same way. */
	if (!mkdtemp(made) || !realpath(made, fz_scratch)) {
		perror("fuzz_snapshot: scratch directory");
		exit(1);
	}
	snprintf(fz_tmp, sizeof(fz_tmp), "%s/tmp", fz_scratch);
	snprintf(fz_input, sizeof(fz_input), "%s/in.tar.gz", fz_scratch);
	if (mkdir(fz_tmp, 0700) < 0 || setenv("TMPDIR", fz_tmp, 1) < 0) {
		perror("fuzz_snapshot: scratch tmp");
		exit(1);
	}
	atexit(fz_cleanup);
	return 0;
}

/* Every member unpacked is a file, directory or link, and whatever it resolves to is inside. */
static int fz_entry_inside(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	char real[PATH_MAX];
	(void)f;

	FZ_CHECK(flag == FTW_F || flag == FTW_D || flag == FTW_DP || flag == FTW_SL || flag == FTW_SLN);
	FZ_CHECK(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode) || S_ISLNK(st->st_mode));
	FZ_CHECK(!S_ISREG(st->st_mode) || st->st_nlink == 1); /* no hard links */
	if (realpath(p, real))
		FZ_CHECK(!strncmp(real, fz_unpacked, fz_unpacked_len) &&
			 (real[fz_unpacked_len] == '\0' || real[fz_unpacked_len] == '/'));
	return 0;
}

/* Names in @dir other than the allowed ones (NULL-terminated list); 0 when none. */
static size_t fz_extra_entries(const char *dir, const char *const *allowed)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t extra = 0;

	FZ_CHECK(d != NULL);
	while ((e = readdir(d))) {
		bool ok = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(e->d_name, *a);
		extra += !ok;
	}
	closedir(d);
	return extra;
}

/* Roots @a (the unpacked tree) and @b (the tree in memory) hold the same entries below @rel. */
static void fz_same_tree(const struct ia_fsroot *a, const struct ia_fsroot *b, const char *rel, int depth)
{
	char **na = NULL, **nb = NULL;
	size_t ca = 0, cb = 0;
	int ra = ia_fsroot_list(a, rel, &na, &ca), rb = ia_fsroot_list(b, rel, &nb, &cb);

	FZ_CHECK(ra == rb && ca == cb);
	for (size_t i = 0; i < ca && depth < 64; i++) {
		char p[8400], ta[4096], tb[4096], *ba = NULL, *bb = NULL;
		size_t za = 0, zb = 0;
		FZ_CHECK(!strcmp(na[i], nb[i]));
		if ((size_t)snprintf(p, sizeof(p), "%s%s%s", rel, *rel ? "/" : "", na[i]) >= 4096)
			continue;
		long la = ia_fsroot_readlink(a, p, ta, sizeof(ta)), lb = ia_fsroot_readlink(b, p, tb, sizeof(tb));
		FZ_CHECK(la == lb && (la < 0 || !strcmp(ta, tb)));
		la = ia_fsroot_canonical(a, p, ta, sizeof(ta));
		lb = ia_fsroot_canonical(b, p, tb, sizeof(tb));
		FZ_CHECK(la == lb && (la < 0 || !strcmp(ta, tb)));
		ra = ia_fsroot_read(a, p, 1u << 20, &ba, &za);
		rb = ia_fsroot_read(b, p, 1u << 20, &bb, &zb);
		FZ_CHECK(ra == rb && za == zb && (ra < 0 || !memcmp(ba, bb, za)));
		free(ba);
		free(bb);
		if (ra == -EISDIR && ia_fsroot_readlink(a, p, ta, sizeof(ta)) == -EINVAL)
			fz_same_tree(a, b, p, depth + 1);
	}
	ia_fsroot_list_free(na, ca);
	ia_fsroot_list_free(nb, cb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const scratch_names[] = { "in.tar.gz", "tmp", NULL };
	static const char *const none[] = { NULL };
	struct ia_diags d = {0};
	char *dir = NULL;
	int fd;

	if (!fz_scratch[0])
		LLVMFuzzerInitialize(NULL, NULL);
	fd = open(fz_input, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FZ_CHECK(fd >= 0);
	FZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size);
	close(fd);

	int rc = ia_snapshot_unpack(fz_input, &dir, &d);
	/* the in-memory replay of the same bytes: the same return and diagnostic code */
	static const struct ia_snapshot_limits lim = { IA_SNAPSHOT_MAX_BYTES, IA_SNAPSHOT_MAX_ENTRIES };
	struct ia_diags dm = {0};
	struct ia_memtree *t = NULL;
	int rm = ia_snapshot_load(fz_input, &lim, IA_SNAPSHOT_MEM_BUDGET, NULL, &t, &dm);
	FZ_CHECK(rm == rc || rm == -E2BIG);
	FZ_CHECK(rc == 0 || rm == -E2BIG || (dm.n > 0 && dm.v[0].code == d.v[0].code));
	if (rc == 0) {
		FZ_CHECK(dir && !strncmp(dir, fz_tmp, strlen(fz_tmp)));
		fz_unpacked = dir;
		fz_unpacked_len = strlen(dir);
		FZ_CHECK(nftw(dir, fz_entry_inside, 16, FTW_PHYS) == 0);
		if (rm == 0) { /* the same tree, through the same fsroot functions */
			struct ia_fsroot a, b;
			FZ_CHECK(ia_fsroot_open(&a, dir) == 0);
			FZ_CHECK(ia_fsroot_open_mem(&b, t, "memory") == 0);
			t = NULL;
			fz_same_tree(&a, &b, "", 0);
			ia_fsroot_close(&a);
			ia_fsroot_close(&b);
		}
		ia_snapshot_remove(dir);
		free(dir);
	} else {
		FZ_CHECK(dir == NULL && d.n > 0);
		FZ_CHECK(t == NULL);
	}
	ia_memtree_free(t);
	ia_diags_free(&dm);
	/* Nothing is left behind, and nothing was written beside the unpack directory. */
	FZ_CHECK(fz_extra_entries(fz_tmp, none) == 0);
	FZ_CHECK(fz_extra_entries(fz_scratch, scratch_names) == 0);
	ia_diags_free(&d);
	return 0;
}
