// SPDX-License-Identifier: GPL-2.0-or-later
// `iommu-audit collect --db FILE [--force]`: the facts only, into a portable SQLite file.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/db.h"

/* Collect into @o->db, which must be new (ia_db_open() refuses one that holds facts). */
static int collect_into(const struct cli_opts *o)
{
	sqlite3 *db = NULL;
	int status = cli_collect(o, &db);

	ia_db_close(db);
	return status >= 0 ? status : EXIT_OK;
}

/*
 * collect --force over an existing regular file: collect into ".FILE.XXXXXX" beside it, fsync it
 * and rename it into place, so a failed collection leaves the old database as it was.
 * Return: the exit status, after a message on stderr when it is not EXIT_OK.
 */
static int collect_replace(const struct cli_opts *o)
{
	char tmp[PATH_MAX];
	const char *slash = strrchr(o->db, '/');
	int n = slash ? snprintf(tmp, sizeof(tmp), "%.*s/.%s.XXXXXX", (int)(slash - o->db), o->db, slash + 1)
		      : snprintf(tmp, sizeof(tmp), ".%s.XXXXXX", o->db);

	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		fprintf(stderr, "iommu-audit collect: %s: %s\n", o->db, strerror(ENAMETOOLONG));
		return EXIT_USAGE;
	}
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "iommu-audit collect: %s: %s\n", o->db, strerror(errno));
		return EXIT_USAGE;
	}
	mode_t um = umask(0);
	umask(um);
	fchmod(fd, 0666 & ~um); /* what SQLite would have made */
	struct cli_opts t = *o;
	t.db = tmp;
	int status = collect_into(&t);
	if (status == EXIT_OK && (fsync(fd) != 0 || rename(tmp, o->db) != 0)) {
		fprintf(stderr, "iommu-audit collect: %s: cannot replace it: %s\n", o->db, strerror(errno));
		status = EXIT_UNREADABLE;
	}
	close(fd);
	if (status != EXIT_OK)
		unlink(tmp);
	return status;
}

int cli_cmd_collect(const struct cli_opts *o)
{
	struct stat st;

	if (!o->db) {
		fprintf(stderr, "iommu-audit collect: --db FILE is required\n");
		return EXIT_USAGE;
	}
	if (lstat(o->db, &st) != 0)
		return collect_into(o);
	if (!o->force) {
		fprintf(stderr, "iommu-audit collect: %s exists; give --force to replace it\n", o->db);
		return EXIT_USAGE;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "iommu-audit collect: %s: --force replaces a regular file only, not %s\n", o->db,
			S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISDIR(st.st_mode) ? "a directory" : "a special file");
		return EXIT_USAGE;
	}
	return collect_replace(o);
}
