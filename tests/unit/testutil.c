// SPDX-License-Identifier: GPL-2.0-or-later
// Helpers shared by the cmocka tests (fixture paths, file loading, command capture).
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *ia_fixture(const char *rel)
{
	static char buf[4096];

	ia_require_fixtures();
	snprintf(buf, sizeof(buf), "%s/fixtures/%s", IA_SHARED_DIR, rel);
	return buf;
}

int ia_have_fixtures(void)
{
	struct stat st;

	return stat(IA_SHARED_DIR "/fixtures", &st) == 0 && S_ISDIR(st.st_mode);
}

void ia_require_fixtures(void)
{
	if (!ia_have_fixtures()) {
		fprintf(stderr, "skipped: %s/fixtures is absent\n", IA_SHARED_DIR);
		skip();
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

char ia_scratch[256];

int ia_scratch_make(const char *tag)
{
	snprintf(ia_scratch, sizeof(ia_scratch), "%s/ia-%s-XXXXXX", ia_scratch_base(), tag);
	return mkdtemp(ia_scratch) ? 0 : -1;
}

int ia_scratch_setup(void **state)
{
	const char *name = program_invocation_short_name;

	(void)state;
	return ia_scratch_make(strncmp(name, "test_", 5) ? name : name + 5) < 0 ? -1 : 0;
}

int ia_scratch_teardown(void **state)
{
	(void)state;
	return ia_scratch_remove();
}

int ia_scratch_setup_tmpdir(void **state)
{
	char tmp[300];

	if (ia_scratch_setup(state) < 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s/tmp", ia_scratch);
	return mkdir(tmp, 0700) == 0 && setenv("TMPDIR", tmp, 1) == 0 ? 0 : -1;
}

int ia_scratch_teardown_tmpdir(void **state)
{
	unsetenv("TMPDIR");
	return ia_scratch_teardown(state);
}

int ia_scratch_remove(void)
{
	char cmd[640];

	if (!ia_scratch[0])
		return 0;
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwX '%s' 2>/dev/null; rm -rf '%s'", ia_scratch, ia_scratch);
	int rc = system(cmd) == 0 ? 0 : -1;
	ia_scratch[0] = '\0';
	return rc;
}

const char *ia_sp(const char *rel)
{
	static char buf[4][1024];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", ia_scratch, rel);
	return buf[k];
}

void ia_mk_parents(const char *rel)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s", ia_sp(rel));
	for (char *q = strchr(p + strlen(ia_scratch) + 1, '/'); q; q = strchr(q + 1, '/')) {
		*q = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", p, strerror(errno));
		*q = '/';
	}
}

void ia_mk_file(const char *rel, const void *data, size_t len)
{
	ia_mk_parents(rel);
	FILE *f = fopen(ia_sp(rel), "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

void ia_mk_text(const char *rel, const char *text)
{
	ia_mk_file(rel, text, strlen(text));
}

void ia_mk_dir(const char *rel)
{
	char r[1024];

	snprintf(r, sizeof(r), "%s/", rel);
	ia_mk_parents(r);
}

void ia_mk_link(const char *rel, const char *target)
{
	ia_mk_parents(rel);
	if (symlink(target, ia_sp(rel)) < 0)
		fail_msg("symlink %s: %s", rel, strerror(errno));
}

char *ia_run_tool(const char *args, int *status)
{
	size_t n = strlen(ia_scratch) + strlen(IA_BIN) + strlen(args) + 64;
	char *cmd = malloc(n);

	assert_non_null(cmd);
	snprintf(cmd, n, "cd '%s' && NO_COLOR=1 timeout 120 %s %s 2>&1 </dev/null", ia_scratch, IA_BIN, args);
	*status = -1;
	char *out = ia_run_capture(cmd, status);
	free(cmd);
	assert_non_null(out);
	return out;
}

bool ia_man_shows(const char *man, const char *text)
{
	char esc[2048];
	size_t at = 0;

	for (; *text && at + 3 < sizeof(esc); text++) {
		if (*text == '-')
			esc[at++] = '\\';
		esc[at++] = *text;
	}
	esc[at] = '\0';
	return !*text && strstr(man, esc) != NULL;
}
