// SPDX-License-Identifier: GPL-2.0-or-later
// ia-schema-image OUT.c: the build's generator of the empty in-memory fact database's image (src/core/db.h ia_db_use_image()).
#include <errno.h>
#include <stdio.h>

#include "core/db.h"
#include "core/ia_err.h"

int main(int argc, char **argv)
{
	sqlite3 *db;
	const char *err;
	FILE *out;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: ia-schema-image OUT.c\n");
		return 2;
	}
	/* no image registered: the database is made by the schema's statements */
	if ((rc = ia_db_open(&db, NULL, true, &err)) < 0) {
		fprintf(stderr, "ia-schema-image: %s\n", err ? err : ia_strerror(rc));
		return 1;
	}
	if (!(out = fopen(argv[1], "w"))) {
		perror(argv[1]);
		return 1;
	}
	rc = ia_db_image_write(db, out);
	ia_db_close(db);
	if (fclose(out) != 0 || rc < 0) {
		fprintf(stderr, "ia-schema-image: %s: %s\n", argv[1], ia_strerror(rc < 0 ? rc : -EIO));
		remove(argv[1]);
		return 1;
	}
	return 0;
}
