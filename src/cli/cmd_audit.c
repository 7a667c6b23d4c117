// SPDX-License-Identifier: GPL-2.0-or-later
// `iommu-audit [audit]` and `iommu-audit groups`: evaluate the root's facts and render the report
// (text, JSON, JUnit, NFD) or the group listing (text or JSON); the exit status follows --fail-on.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/db.h"
#include "core/ia_err.h"
#include "reports/report.h"

int cli_cmd_audit(const struct cli_opts *o)
{
	struct ia_audit a = {0};
	struct ia_result r = {0};
	int status, rc;

	if ((status = cli_audit(o, &a, &r)) >= 0) {
		ia_result_free(&r);
		ia_audit_free(&a);
		return status;
	}

	FILE *out = cli_open_output(o);
	if (!out) {
		ia_result_free(&r);
		ia_audit_free(&a);
		return EXIT_USAGE;
	}
	/* Colour: --color always/never, else only on a terminal and never with NO_COLOR set (no-color.org). */
	struct ia_report_opts ro = { .names = o->names, .pci_ids = o->collect.pci_ids, .quiet = o->quiet,
				     .color = o->color == COLOR_ALWAYS || (o->color == COLOR_AUTO && isatty(fileno(out)) &&
									  !(getenv("NO_COLOR") && *getenv("NO_COLOR"))) };
	enum ia_groups_view view = o->when_enabled ? IA_GROUPS_WHEN_ENABLED : o->predicted ? IA_GROUPS_PREDICTED :
				   IA_GROUPS_KERNEL;
	if (!strcmp(o->cmd, "groups") && o->format == FMT_JSON)
		rc = ia_report_groups_json(&a, &r, view, out);
	else if (!strcmp(o->cmd, "groups"))
		rc = ia_report_groups(&a, &r, &ro, view, out);
	else if (o->format == FMT_JSON)
		rc = ia_report_json(&a, &r, &ro, out);
	else if (o->format == FMT_JUNIT)
		rc = ia_report_junit(&a, &r, &ro, out);
	else if (o->format == FMT_NFD)
		rc = ia_report_nfd(&a, &r, &ro, out);
	else
		rc = ia_report_text(&a, &r, &ro, out);
	if (cli_finish_output(o, out, rc, "report") < 0) {
		ia_result_free(&r);
		ia_audit_free(&a);
		return EXIT_UNREADABLE;
	}
	status = r.verdict.exit_status ? EXIT_FINDINGS : EXIT_OK;   /* decided once, ia_result_decide() */
	ia_result_free(&r);
	ia_audit_free(&a);
	return status;
}
