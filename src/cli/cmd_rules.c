// SPDX-License-Identifier: GPL-2.0-or-later
// `iommu-audit rules`: every rule with its level, summary, advice and kernel source; `--format json`
// the same as JSON, `--format man` writes iommu-audit-rules(7).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/ia_err.h"
#include "reports/report.h"
#include "rules/rules.h"

/* `rules --format man`: the iommu-audit-rules(7) page, dated by SOURCE_DATE_EPOCH when set (reproducible builds). */
static int cmd_rules_man(const struct cli_opts *o)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char date[16], *end;
	time_t t = time(NULL);
	struct tm tm;
	FILE *out;
	int rc;

	if (sde && *sde) {
		errno = 0;
		unsigned long long v = strtoull(sde, &end, 10);
		if (errno || *end) {
			fprintf(stderr, "iommu-audit: SOURCE_DATE_EPOCH=%s: expected seconds since 1970\n", sde);
			return EXIT_USAGE;
		}
		t = (time_t)v;
	}
	strftime(date, sizeof(date), "%Y-%m-%d", gmtime_r(&t, &tm));
	if (!(out = cli_open_output(o)))
		return EXIT_USAGE;
	rc = ia_report_rules_man(date, out);
	return cli_finish_output(o, out, rc, "rules page") < 0 ? EXIT_UNREADABLE : EXIT_OK;
}

int cli_cmd_rules(const struct cli_opts *o)
{
	FILE *out;

	if (o->format == FMT_MAN)
		return cmd_rules_man(o);
	if (!(out = cli_open_output(o)))
		return EXIT_USAGE;
	if (o->format == FMT_JSON)
		return cli_finish_output(o, out, ia_report_rules_json(out), "rule list") < 0 ? EXIT_UNREADABLE : EXIT_OK;
	/* through the text reports' filter: escaped and wrapped as every text renderer */
	FILE *f = ia_report_safe_open(out);
	if (!f)
		return cli_finish_output(o, out, -ENOMEM, "rule list") < 0 ? EXIT_UNREADABLE : EXIT_OK;
	for (size_t i = 0; i < ia_n_rules; i++) {
		fprintf(f, "%-30s %-7s %s\n    advice: %s\n    source: %s\n", ia_rules[i]->id,
			ia_level_name(ia_rules[i]->level), ia_rules[i]->summary, ia_rules[i]->advice,
			ia_rules[i]->refs);
		/* the kernel behaviour table's rows it follows, with their releases */
		for (size_t k = 0; k < ia_rules[i]->n_kernel; k++) {
			char rel[400];
			fprintf(f, "    kernel: %s\n", ia_kb_releases(ia_rules[i]->kernel[k], rel, sizeof(rel)));
		}
	}
	int rc = ia_report_safe_close(f, out);
	return cli_finish_output(o, out, rc, "rule list") < 0 ? EXIT_UNREADABLE : EXIT_OK;
}
