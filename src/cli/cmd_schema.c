// SPDX-License-Identifier: GPL-2.0-or-later
// `iommu-audit schema`: the fact database's schema, with a comment per column.
#include <stdio.h>

#include "cli/cli.h"
#include "core/db.h"

int cli_cmd_schema(const struct cli_opts *o)
{
	fputs(ia_db_schema_sql(), stdout);
	return EXIT_OK;
}
