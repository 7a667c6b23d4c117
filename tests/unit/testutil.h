/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the cmocka tests: fixture paths, file loading, skipping when input is absent. */
#ifndef IA_TESTUTIL_H
#define IA_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define IA_SKIP_EXIT 77

/* Path of a file under ../shared/fixtures (static buffer, overwritten per call). */
const char *ia_fixture(const char *rel);
/* True when ../shared/fixtures exists. */
int ia_have_fixtures(void);
/* Exit 77 (CTest "skipped") with a reason on stderr when the shared fixtures are absent. */
void ia_require_fixtures(void);
/* Read a whole file; returns malloc'd bytes and sets *len, or NULL. */
uint8_t *ia_slurp(const char *path, size_t *len);
/* Directory for scratch trees: /dev/shm when writable (unpacking captures there is ~10x faster than
 * on a loaded disk), else $TMPDIR, else /tmp. */
const char *ia_scratch_base(void);
/* Run a shell command and capture stdout (malloc'd, NUL-terminated) and exit status. */
char *ia_run_capture(const char *cmd, int *status);

#endif
