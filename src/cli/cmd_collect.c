// SPDX-License-Identifier: GPL-2.0-or-later
// `iommu-audit collect --db FILE`: the facts only, into a portable SQLite file.
#include <stdio.h>

#include "cli/cli.h"
#include "core/db.h"

int cli_cmd_collect(const struct cli_opts *o)
{
	sqlite3 *db = NULL;
	int status;

	if (!o->db) {
		fprintf(stderr, "iommu-audit collect: --db FILE is required\n");
		return EXIT_USAGE;
	}
	if (o->from_db) {
		fprintf(stderr, "iommu-audit collect: --from-db reads facts already collected; give --root or --snapshot\n");
		return EXIT_USAGE;
	}
	if ((status = cli_collect(o, &db)) >= 0) {
		ia_db_close(db);
		return status;
	}
	ia_db_close(db);
	return EXIT_OK;
}
