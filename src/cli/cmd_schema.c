// SPDX-License-Identifier: GPL-2.0-or-later
// `iommu-audit schema`: the fact database's schema, with a comment per column.
#include <stdio.h>

#include "cli/cli.h"
#include "core/db.h"

int cli_cmd_schema(const struct cli_opts *o)
{
	FILE *out = cli_open_output(o);

	if (!out)
		return EXIT_USAGE;
	fputs(ia_db_schema_sql(), out);
	return cli_finish_output(o, out, 0, "schema") < 0 ? EXIT_UNREADABLE : EXIT_OK;
}
