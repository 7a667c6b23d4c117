// SPDX-License-Identifier: GPL-2.0-or-later
// A main() for the fuzz harnesses outside libFuzzer: run each input file (or every file of each directory) once.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/array.h"
#include "fuzz.h"

/* Defined by the harnesses that need set-up (weak: absent in the others). */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static size_t replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;
	size_t n;

	if (!f || fstat(fileno(f), &st) < 0) {
		perror(path);
		exit(1);
	}
	/* An exact-size copy, so that ASan sees a read one past the input. */
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		perror(path);
		exit(1);
	}
	n = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	if (n != (size_t)st.st_size) {
		fprintf(stderr, "%s: short read\n", path);
		exit(1);
	}
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 1;
}

static int replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, done = 0;

	if (!d) {
		perror(dir);
		exit(1);
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char **nv = ia_array_grow(names, &cap, n + 1, sizeof(*names));
		if (!nv || !(nv[n] = strdup(e->d_name)))
			exit(1);
		names = nv;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), replay_cmp);
	for (size_t i = 0; i < n; i++) {
		char p[4096];
		struct stat st;
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			done += replay_file(p);
		free(names[i]);
	}
	free(names);
	return done;
}

int main(int argc, char **argv)
{
	size_t done = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			return 1;
		}
		done += S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]);
	}
	if (done == 0) {
		fprintf(stderr, "replay: no inputs given\n");
		return 1;
	}
	fprintf(stderr, "replay: %zu inputs ran cleanly\n", done);
	return 0;
}
