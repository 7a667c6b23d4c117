/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Outputs written whole or not at all: a temporary file beside the target, renamed into place. */
#ifndef IA_OUTFILE_H
#define IA_OUTFILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Every output (the report, the fact database, a capture archive or directory) is written under a
 * temporary name in the target's own directory, so that rename(2) puts it in place at once, and a
 * failed or killed run leaves nothing that looks whole and the previous file untouched (issue 17
 * item 1). The callers own the rest: what they refuse (links, special files), the sync, the
 * rename and its RENAME_NOREPLACE or RENAME_EXCHANGE, and the unlink of a failed one.
 */

/**
 * ia_out_tmpname() - the temporary sibling of @path: "DIR/.BASE.XXXXXX" (a bare "BASE" gives
 * ".BASE.XXXXXX"), a template for mkostemp(3) or mkdtemp(3), into @tmp (@cap bytes).
 * @path: the output's path, without a trailing slash.
 * Return: 0; -ENAMETOOLONG when it does not fit @cap (@tmp is then "").
 */
int ia_out_tmpname(const char *path, char *tmp, size_t cap);

/**
 * ia_out_tmpfile() - create the temporary sibling of @path (ia_out_tmpname(), then mkostemp(3)
 * with O_CLOEXEC: a new file, O_EXCL, never through a link) with permissions @mode less the
 * process's umask, what open(O_CREAT, @mode) would have made (mkostemp() makes 0600).
 * @tmp: receives its name (@cap bytes); "" on failure.
 * Return: the open file descriptor (read-write); -ENAMETOOLONG; -errno of mkostemp().
 */
int ia_out_tmpfile(const char *path, mode_t mode, char *tmp, size_t cap);

/**
 * ia_out_umask() - the process's umask, read without changing it: the "Umask:" line of
 * /proc/self/status (Linux 4.7 and later), else umask(2) twice (which sets 0 for a moment: a file
 * another thread creates then gets the full mode).
 */
mode_t ia_out_umask(void);

#endif
