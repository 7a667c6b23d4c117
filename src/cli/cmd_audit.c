// SPDX-License-Identifier: GPL-2.0-or-later
// `iommu-audit [audit]` and `iommu-audit groups`: evaluate the root's facts and render the report
// (text, JSON, JUnit, NFD, Prometheus) or the group listing (text or JSON), on standard output or --output and
// into each --also FILE; the exit status follows --fail-on.
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/db.h"
#include "core/ia_err.h"
#include "reports/report.h"
#include "reports/xml_lib.h"

/* One report of the run in @fmt onto @out; @ro without its colour, which depends on @out. */
static int audit_render(const struct cli_opts *o, enum cli_fmt fmt, const struct ia_audit *a,
			const struct ia_result *r, struct ia_report_opts ro, FILE *out)
{
	/* Colour: --color always/never, else only on a terminal and never with NO_COLOR set (no-color.org). */
	ro.color = o->color == COLOR_ALWAYS || (o->color == COLOR_AUTO && isatty(fileno(out)) &&
						!(getenv("NO_COLOR") && *getenv("NO_COLOR")));
	enum ia_groups_view view = o->when_enabled ? IA_GROUPS_WHEN_ENABLED : o->predicted ? IA_GROUPS_PREDICTED :
				   IA_GROUPS_KERNEL;
	if (!strcmp(o->cmd, "groups") && fmt == FMT_JSON)
		return ia_report_groups_json(a, r, view, out);
	if (!strcmp(o->cmd, "groups"))
		return ia_report_groups(a, r, &ro, view, out);
	if (fmt == FMT_JSON)
		return ia_report_json(a, r, &ro, out);
	if (fmt == FMT_JUNIT) {
		const char *err;   /* libxml2 is loaded on first use: say which library is missing */
		if (ia_xml_load(&err) < 0) {
			fprintf(stderr, "iommu-audit: %s\n", err);
			return -ENOENT;
		}
		return ia_report_junit(a, r, &ro, out);
	}
	if (fmt == FMT_NFD)
		return ia_report_nfd(a, r, &ro, out);
	if (fmt == FMT_PROMETHEUS)
		return ia_report_prometheus(a, r, &ro, out);
	return ia_report_text(a, r, &ro, out);
}

/*
 * The report in --format onto standard output or --output, then into each --also FILE in its
 * format, each one written whole under a temporary name and renamed into place
 * (cli_open_output()). An output that fails does not stop the others.
 * Return: EXIT_OK; else the first failure's status: EXIT_USAGE (an output could not be opened: a
 * link in its place, no such directory), EXIT_UNREADABLE (a write failed).
 */
static int audit_outputs(const struct cli_opts *o, const struct ia_audit *a, const struct ia_result *r,
			 time_t when, double duration)
{
	struct ia_report_opts ro = { .names = o->names, .pci_ids = o->collect.pci_ids, .quiet = o->quiet,
				     .has_timing = true, .audited_at = (int64_t)when, .duration_s = duration };
	int status = EXIT_OK;

	for (int i = -1; i < o->n_also; i++) {
		struct cli_opts oo = *o;
		if (i >= 0) {
			oo.output = o->also[i].file;
			oo.format = o->also[i].format;
		}
		FILE *out = cli_open_output(&oo);
		if (!out) {
			status = status ? status : EXIT_USAGE;
			continue;
		}
		int rc = audit_render(&oo, oo.format, a, r, ro, out);
		if (cli_finish_output(&oo, out, rc, "report") < 0)
			status = status ? status : EXIT_UNREADABLE;
	}
	return status;
}

int cli_cmd_audit(const struct cli_opts *o)
{
	struct ia_audit a = {0};
	struct ia_result r = {0};
	struct timespec t0, t1;
	time_t when = 0;
	int status;

	/* a run that writes its time (Prometheus, NFD's expiry, the verdict tables of --db) fails fast on a
	 * malformed SOURCE_DATE_EPOCH, before collecting */
	bool timed = o->format == FMT_PROMETHEUS || o->format == FMT_NFD || (o->db && !o->from_db);
	for (int i = 0; i < o->n_also; i++)
		timed |= o->also[i].format == FMT_PROMETHEUS || o->also[i].format == FMT_NFD;
	if (timed && (status = cli_epoch(&when)) != 0)
		return status;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((status = cli_audit(o, &a, &r)) < 0) {
		/* An unprivileged run: one line on stderr for every function whose config space was cut
		 * (issue 14 point 7), not one per function; the JSON keeps each function's finding. */
		struct ia_report_unpriv up;
		if (ia_report_unpriv_init(&up, &a) == 0 && up.line)
			fprintf(stderr, "iommu-audit: %s\n", up.line);
		ia_report_unpriv_free(&up);
		enum ia_groups_view view = o->when_enabled ? IA_GROUPS_WHEN_ENABLED : o->predicted ? IA_GROUPS_PREDICTED :
					   IA_GROUPS_KERNEL;
		/* -s/-d: the report of the selected groups only, its verdict theirs (src/cli/select.c); the
		 * groupings the output lists: the report shows the kernel's groups and, where the IOMMU
		 * is off, those once it is on */
		struct ia_audit va = {0};
		struct ia_result vr = {0};
		struct ia_audit_selection sel;
		unsigned kinds = !strcmp(o->cmd, "groups") ? (view == IA_GROUPS_KERNEL ? IA_SELECT_KERNEL :
				 view == IA_GROUPS_PREDICTED ? IA_SELECT_PREDICTED : IA_SELECT_WHEN_ENABLED) :
				 IA_SELECT_KERNEL | IA_SELECT_WHEN_ENABLED;
		int rc = o->select.active ? ia_select_view(&a, &r, &o->select, kinds, &va, &vr, &sel) : 0;
		if (rc < 0) {
			if (rc == -ENOENT)
				fprintf(stderr, "iommu-audit: %s matches none of the %zu PCI functions%s%s\n", o->select.expr,
					a.n_devs, sel.n_unknown ? " (some IDs or classes were unreadable: " : "",
					sel.n_unknown ? "those functions cannot be matched)" : "");
			else
				fprintf(stderr, "iommu-audit: %s\n", ia_strerror(rc));
			status = rc == -ENOENT ? EXIT_USAGE : EXIT_UNREADABLE;
		} else {
			const struct ia_audit *ra = o->select.active ? &va : &a;
			const struct ia_result *rr = o->select.active ? &vr : &r;
			clock_gettime(CLOCK_MONOTONIC, &t1);
			double duration = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
			status = audit_outputs(o, ra, rr, when, duration);
			if (status == EXIT_OK) /* decided once, ia_result_decide(): over the selected groups with -s/-d */
				status = rr->verdict.exit_status ? EXIT_FINDINGS : EXIT_OK;
		}
		if (o->select.active)
			ia_select_view_free(&va, &vr);
	}
	ia_result_free(&r);
	ia_audit_free(&a);
	return status;
}
