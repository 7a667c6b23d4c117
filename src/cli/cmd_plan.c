// SPDX-License-Identifier: GPL-2.0-or-later
// `iommu-audit plan BDF...`: what assigning the devices takes (src/cli/plan.c), printed, never done.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/plan.h"
#include "core/db.h"
#include "core/ia_err.h"

/* `plan BDF...` over the evaluated audit: exit 0 feasible, 1 blocked, 2 unknown BDF, 4
 * (IA_PLAN_EXIT_REFUSED) refused: a device it takes is used by the host, and no --force. The devices
 * are the operands, then each function -s/-d match (src/cli/select.c) that no operand names. */
static int plan_run(const struct cli_opts *o, const struct ia_audit *a, const struct ia_result *r)
{
	size_t cap = (size_t)o->n_args + (o->select.active ? a->n_devs : 0), n = 0, unknown = 0, matched = 0;
	char (*bdf)[IA_BDF_BUFSZ] = calloc(cap + 1, sizeof(*bdf));
	const char **v = calloc(cap + 1, sizeof(*v));
	struct ia_plan *p = NULL;
	char err[256];
	int rc = bdf && v ? 0 : -ENOMEM, status = EXIT_UNREADABLE;

	for (int i = 0; i < o->n_args && rc == 0; i++) {
		rc = ia_plan_normalize_bdf(o->args[i], bdf[n]);
		v[n] = bdf[n];
		n++;
	}
	size_t named = n;
	for (size_t i = 0; rc == 0 && o->select.active && i < a->n_devs; i++) {
		int m = ia_select_match(&o->select, &a->devs[i]);
		unknown += m < 0;
		matched += m == 1;
		bool dup = false;
		for (size_t k = 0; m == 1 && k < named && !dup; k++)
			dup = !strcmp(v[k], a->devs[i].bdf);
		if (m == 1 && !dup) {
			snprintf(bdf[n], IA_BDF_BUFSZ, "%s", a->devs[i].bdf);
			v[n] = bdf[n];
			n++;
		}
	}
	if (rc == 0 && o->select.active && !matched) {
		fprintf(stderr, "iommu-audit plan: %s matches none of the %zu PCI functions%s\n", o->select.expr,
			a->n_devs, unknown ? " (some IDs or classes were unreadable: those functions cannot be matched)" : "");
		free(bdf);
		free(v);
		return EXIT_USAGE;
	}
	if (rc == 0)
		rc = ia_plan_build(a, r, v, n, &p, err, sizeof(err));
	if (rc == -ENOENT) {
		fprintf(stderr, "iommu-audit plan: %s\n", err);
		status = EXIT_USAGE;
	} else if (rc < 0) {
		fprintf(stderr, "iommu-audit plan: %s\n", ia_strerror(rc));
	} else {
		FILE *out = cli_open_output(o);
		p->forced = o->force;
		if (!out) {
			status = EXIT_USAGE;
		} else {
			rc = o->format == FMT_JSON ? ia_plan_json(p, out) : ia_plan_text(p, out);
			rc = cli_finish_output(o, out, rc, "plan");
			status = rc < 0 ? EXIT_UNREADABLE : p->refused && !p->forced ? IA_PLAN_EXIT_REFUSED :
				 ia_plan_feasible(p) ? EXIT_OK : EXIT_FINDINGS;
			if (rc == 0 && status == IA_PLAN_EXIT_REFUSED)
				fprintf(stderr, "iommu-audit plan: refused: it would take devices the host uses (see "
					"\"Host use\"); --force prints the commands\n");
		}
	}
	ia_plan_free(p);
	free(bdf);
	free(v);
	return status;
}

int cli_cmd_plan(const struct cli_opts *o)
{
	struct ia_audit a = {0};
	struct ia_result r = {0};
	char bdf[IA_BDF_BUFSZ];
	int status;

	if (!o->n_args && !o->select.active) { /* --format: text or json, checked with the other options (main.c) */
		fprintf(stderr, "iommu-audit plan: name one or more devices (BDF, or -s/-d); see `iommu-audit --help`\n");
		return EXIT_USAGE;
	}
	for (int i = 0; i < o->n_args; i++)
		if (ia_plan_normalize_bdf(o->args[i], bdf) < 0) {
			fprintf(stderr, "iommu-audit plan: \"%s\" is not a PCI address (DDDD:BB:DD.F or BB:DD.F)\n",
				o->args[i]);
			return EXIT_USAGE;
		}
	status = cli_audit(o, &a, &r);
	if (status < 0)
		status = plan_run(o, &a, &r);
	ia_result_free(&r);
	ia_audit_free(&a);
	return status;
}
