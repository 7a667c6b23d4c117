/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the cmocka tests: fixture paths, file loading, skipping when input is absent. */
#ifndef IA_TESTUTIL_H
#define IA_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#define IA_SKIP_EXIT 77

/* Path of a file under ../shared/fixtures (static buffer, overwritten per call). Call it only from
 * inside a cmocka test: when the folder is absent, the calling test is skipped (cmocka skip()) and
 * the file's other tests still run. */
const char *ia_fixture(const char *rel);
/* True when ../shared/fixtures exists. */
int ia_have_fixtures(void);
/* Skip the calling cmocka test (skip(), with a reason on stderr) when the shared fixtures are absent. */
void ia_require_fixtures(void);
/* Read a whole file; returns malloc'd bytes and sets *len, or NULL. */
uint8_t *ia_slurp(const char *path, size_t *len);

/* Whether the man page's source @man shows @text, each '-' spelled as roff's "\-" (an example
 * command line or an output line of man/iommu-audit.8). */
bool ia_man_shows(const char *man, const char *text);
/* Directory for scratch trees: /dev/shm when writable (unpacking captures there is ~10x faster than
 * on a loaded disk), else $TMPDIR, else /tmp. */
const char *ia_scratch_base(void);
/* A scratch directory for one test: ia_scratch_make() creates ia_scratch_base()/ia-TAG-XXXXXX
 * into ia_scratch (0, or -1 with errno); ia_scratch_remove() deletes it, even with files made
 * unreadable (chmod u+rwX first). */
extern char ia_scratch[256];
int ia_scratch_make(const char *tag);
int ia_scratch_remove(void);
/* The cmocka setup and teardown around them: the tag is the test program's name without "test_"
 * (test_core: ia-core-XXXXXX). 0 or -1. */
int ia_scratch_setup(void **state);
int ia_scratch_teardown(void **state);
/* The same, with $TMPDIR pointed at ia_scratch/tmp for the test (and unset after it). */
int ia_scratch_setup_tmpdir(void **state);
int ia_scratch_teardown_tmpdir(void **state);
/* ia_scratch/@rel (one of four rotating static buffers). */
const char *ia_sp(const char *rel);
/* mkdir -p of ia_scratch/@rel's parents (of @rel itself when it ends in '/'); fails the test on error. */
void ia_mk_parents(const char *rel);
/* ia_scratch/@rel with @len bytes of @data, or @text; its parents created. */
void ia_mk_file(const char *rel, const void *data, size_t len);
void ia_mk_text(const char *rel, const char *text);
/* the directory ia_scratch/@rel, and its parents */
void ia_mk_dir(const char *rel);
/* the symbolic link ia_scratch/@rel -> @target */
void ia_mk_link(const char *rel, const char *target);
/* Run a shell command and capture stdout (malloc'd, NUL-terminated) and exit status. */
char *ia_run_capture(const char *cmd, int *status);
/* "iommu-audit @args" (IA_BIN) run in ia_scratch with NO_COLOR set, a 120 s limit and no standard
 * input: stdout and stderr in one malloc'd string (fails the test when it cannot run); its exit
 * status in *@status (-1 when it did not exit). */
char *ia_run_tool(const char *args, int *status);

#endif
