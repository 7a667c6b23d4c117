// SPDX-License-Identifier: GPL-2.0-or-later
// `iommu-audit collect --db FILE [--force]`: the facts only, into a portable SQLite file.
#include <stdio.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/db.h"

/*
 * Every collection writes its database under a temporary name beside FILE and renames it into
 * place once the facts are whole (cli_collect(), ia_db_create_file()), so a failed collection
 * leaves FILE as it was; here only the command's own rule: an existing FILE is replaced with
 * --force alone, and never when it is a link, a directory or a special file.
 */
int cli_cmd_collect(const struct cli_opts *o)
{
	struct stat st;
	sqlite3 *db = NULL;

	if (!o->db) {
		fprintf(stderr, "iommu-audit collect: --db FILE is required\n");
		return EXIT_USAGE;
	}
	if (lstat(o->db, &st) == 0 && !o->force) {
		fprintf(stderr, "iommu-audit collect: %s exists; give --force to replace it\n", o->db);
		return EXIT_USAGE;
	}
	if (lstat(o->db, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "iommu-audit collect: %s: --force replaces a regular file only, not %s\n", o->db,
			S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISDIR(st.st_mode) ? "a directory" : "a special file");
		return EXIT_USAGE;
	}
	int status = cli_collect(o, &db);
	ia_db_close(db);
	return status >= 0 ? status : EXIT_OK;
}
