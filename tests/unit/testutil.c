// SPDX-License-Identifier: GPL-2.0-or-later
// Helpers shared by the cmocka tests (fixture paths, file loading, command capture).
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *ia_fixture(const char *rel)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/fixtures/%s", IA_SHARED_DIR, rel);
	return buf;
}

int ia_have_fixtures(void)
{
	struct stat st;

	return stat(ia_fixture(""), &st) == 0 && S_ISDIR(st.st_mode);
}

void ia_require_fixtures(void)
{
	if (!ia_have_fixtures()) {
		fprintf(stderr, "skipped: %s is absent\n", ia_fixture(""));
		exit(IA_SKIP_EXIT);
	}
}

uint8_t *ia_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

char *ia_run_capture(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	char *out = NULL;
	size_t cap = 0, n = 0;

	if (!p)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 65536;
			char *no = realloc(out, cap);
			if (!no)
				break;
			out = no;
		}
		size_t r = fread(out + n, 1, cap - n - 1, p);
		n += r;
		if (r == 0)
			break;
	}
	if (out)
		out[n] = 0;
	int st = pclose(p);
	if (status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return out;
}

const char *ia_scratch_base(void)
{
	const char *t = getenv("TMPDIR");

	if (access("/dev/shm", W_OK | X_OK) == 0)
		return "/dev/shm";
	return t && *t ? t : "/tmp";
}
