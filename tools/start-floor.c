// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ia-start-floor: what any audit's start costs before it reads a file (docs/benchmark.md, issue 18
 * item 2), for tools/bench.sh to time beside the audit of an empty tree. It is linked with the same
 * libraries as iommu-audit (the dynamic loader maps and relocates the same objects) and
 *   ia-start-floor        exits at once: the process and its libraries;
 *   ia-start-floor db     first opens the in-memory fact database as every audit does
 *                         (ia_db_open() from the build's image, src/core/db.c), then closes it.
 * Exit status 0; 1 when the database does not open (the message on stderr); 2 for other arguments.
 */
#include <stdio.h>
#include <string.h>

#include "core/db.h"

int main(int argc, char **argv)
{
	sqlite3 *db = NULL;
	const char *err = NULL;

	if (argc == 1)
		return 0;
	if (argc != 2 || strcmp(argv[1], "db")) {
		fprintf(stderr, "usage: ia-start-floor [db]\n");
		return 2;
	}
	ia_db_use_image(&ia_db_schema_image);
	if (ia_db_open(&db, NULL, true, &err) < 0) {
		fprintf(stderr, "ia-start-floor: %s\n", err ? err : "the fact database did not open");
		return 1;
	}
	sqlite3_close(db);
	return 0;
}
