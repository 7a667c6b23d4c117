// SPDX-License-Identifier: GPL-2.0-or-later
// The Prometheus metrics of one audit, in the text exposition format node_exporter's textfile collector reads.
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "report.h"
#include "rules/rules.h"

/*
 * The format: https://prometheus.io/docs/instrumenting/exposition_formats/ (text format 0.0.4):
 * per metric family one "# HELP" and one "# TYPE" line, then its samples, no timestamps (the
 * textfile collector refuses them). Names follow https://prometheus.io/docs/practices/naming/:
 * the "iommu_audit_" prefix, base units in the name (_seconds, _timestamp_seconds), _info for
 * metadata. A state of several values is a label with one sample per value, 1 for the current
 * one ("state set"), so an alert compares with == 1 and no value is a magic number.
 */

/* Per-group series at most: the groups past it are counted in iommu_audit_group_series_omitted. */
#define PROM_MAX_GROUP_SERIES 1024
#define PROM_STR_(x) #x
#define PROM_STR(x) PROM_STR_(x)

/* "# HELP" and "# TYPE NAME gauge" of one family. */
static void prom_family(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/*
 * One label value, quoted: host text escaped first as every renderer escapes it (ia_text_sanitize():
 * "\xNN" for a byte that is not UTF-8 or a control, so the exposition format stays UTF-8, and one
 * bad byte cannot make the collector drop the whole file), then '\\', '"' and newline escaped as the
 * format requires.
 * Return: 0 or -ENOMEM.
 */
static int prom_value(FILE *out, const char *v)
{
	char *s = ia_text_sanitize_dup(v ? v : "");

	if (!s)
		return -ENOMEM;
	fputc('"', out);
	for (const char *p = s; *p; p++) {
		if (*p == '\\' || *p == '"')
			fputc('\\', out);
		if (*p == '\n')
			fputs("\\n", out);
		else
			fputc(*p, out);
	}
	fputc('"', out);
	free(s);
	return 0;
}

/* A state set: NAME{LABEL="s"} 1 for the current state, 0 for each other of @states. */
static void prom_states(FILE *out, const char *name, const char *label, const char *const *states, size_t n,
			const char *current)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s{%s=\"%s\"} %d\n", name, label, states[i], !strcmp(states[i], current));
}

/* One (rule, level) of iommu_audit_findings and its count. */
struct prom_count {
	const char *rule;
	enum ia_level level;
	size_t n;
};

static int prom_count_cmp(const void *x, const void *y)
{
	const struct prom_count *p = x, *q = y;
	int c = strcmp(p->rule, q->rule);

	return c ? c : (int)p->level - (int)q->level;
}

/*
 * iommu_audit_findings{rule,level}: the unwaived findings per rule and level, and 0 at its
 * catalogue level for each rule of the catalogue (ia_rules[]) with none, so a rule that finds
 * nothing still has a series. Return: 0 or -ENOMEM.
 */
static int prom_findings(FILE *out, const struct ia_result *r)
{
	struct prom_count *c = malloc((r->n_findings + ia_n_rules + 1) * sizeof(*c));
	size_t n = 0, waived = 0;
	int rc = 0;

	if (!c)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_findings; i++) {
		if (r->findings[i].waived)
			waived++;
		else
			c[n++] = (struct prom_count){ r->findings[i].rule, r->findings[i].level, 1 };
	}
	qsort(c, n, sizeof(*c), prom_count_cmp);
	size_t k = 0;
	for (size_t i = 0; i < n; k++) { /* runs of one (rule, level) into one count */
		size_t e = i + 1;
		while (e < n && !prom_count_cmp(&c[i], &c[e]))
			e++;
		c[k] = c[i];
		c[k].n = e - i;
		i = e;
	}
	n = k;
	for (size_t j = 0; j < ia_n_rules; j++) {
		bool seen = false;
		for (size_t i = 0; i < k && !seen; i++) /* k: the counted ones only */
			seen = !strcmp(c[i].rule, ia_rules[j]->id);
		if (!seen)
			c[n++] = (struct prom_count){ ia_rules[j]->id, ia_rules[j]->level, 0 };
	}
	qsort(c, n, sizeof(*c), prom_count_cmp);
	prom_family(out, "iommu_audit_findings", "Findings not waived by the policy, by rule id and level; 0 at its "
		    "catalogue level for a rule that found nothing (iommu-audit-rules(7)).");
	for (size_t i = 0; i < n && !rc; i++) {
		fputs("iommu_audit_findings{rule=", out);
		rc = prom_value(out, c[i].rule);
		fprintf(out, ",level=\"%s\"} %zu\n", ia_level_name(c[i].level), c[i].n);
	}
	free(c);
	prom_family(out, "iommu_audit_waived_findings", "Findings a --policy waiver took out of the verdict.");
	fprintf(out, "iommu_audit_waived_findings %zu\n", waived);
	prom_family(out, "iommu_audit_rules_not_evaluated", "Rules whose inputs were missing, so they were not "
		    "evaluated (the report says why); their verdicts are unknown, never safe.");
	fprintf(out, "iommu_audit_rules_not_evaluated %zu\n", r->n_not_evaluated);
	return rc;
}

/*
 * iommu_audit_group_assignable{group,bdf}: per kernel IOMMU group (the first PROM_MAX_GROUP_SERIES
 * in the model's order), labelled by its number and its first function's BDF.
 */
static int prom_groups(FILE *out, const struct ia_audit *a, const struct ia_result *r)
{
	size_t n = a->n_groups < r->n_groups ? a->n_groups : r->n_groups;
	size_t shown = n < PROM_MAX_GROUP_SERIES ? n : PROM_MAX_GROUP_SERIES;
	int rc = 0;

	prom_family(out, "iommu_audit_group_assignable", "Per IOMMU group (group number, first function's BDF): 1 "
		    "when userspace (VFIO) can own it safely now, 0 when not, NaN when the audit could not tell "
		    "(treat as not assignable).");
	for (size_t i = 0; i < shown && !rc; i++) {
		const struct ia_group *g = &a->groups[i];
		enum ia_tri t = r->groups[i].userspace_assignable;
		fprintf(out, "iommu_audit_group_assignable{group=\"%d\",bdf=", g->id);
		rc = prom_value(out, g->n_devices ? g->devices[0] : "");
		fprintf(out, "} %s\n", t == IA_YES ? "1" : t == IA_NO ? "0" : "NaN");
	}
	prom_family(out, "iommu_audit_group_series_omitted", "IOMMU groups past the first "
		    PROM_STR(PROM_MAX_GROUP_SERIES) ", which have no iommu_audit_group_assignable series (bounded cardinality).");
	fprintf(out, "iommu_audit_group_series_omitted %zu\n", n - shown);
	return rc;
}

int ia_report_prometheus(const struct ia_audit *a, const struct ia_result *r, const struct ia_report_opts *o,
			 FILE *out)
{
	static const char *const verdicts[] = { "pass", "fail" };
	static const char *const irq[] = { "isolated", "not_isolated", "unknown" };
	static const char *const noiommu[] = { "available", "enabled", "unavailable", "unknown" };
	size_t assignable = 0;
	int rc;

	for (size_t i = 0; i < r->n_groups; i++)
		assignable += r->groups[i].userspace_assignable == IA_YES;
	prom_family(out, "iommu_audit_info", "The iommu-audit version that audited and the audited kernel's release (always 1).");
	fprintf(out, "iommu_audit_info{version=\"%s\",kernel=", IA_VERSION);
	if ((rc = prom_value(out, a->kernel_release)) < 0)
		return rc;
	fputs("} 1\n", out);
	prom_family(out, "iommu_audit_verdict", "The host verdict: fail when a finding not waived reaches --fail-on "
		    "(error with --fail-on never), as the JSON report's summary.verdict.");
	prom_states(out, "iommu_audit_verdict", "verdict", verdicts, 2, r->verdict.fails ? "fail" : "pass");
	prom_family(out, "iommu_audit_iommu_active", "1 when the kernel runs an IOMMU (units registered or groups formed), else 0.");
	fprintf(out, "iommu_audit_iommu_active %d\n", ia_audit_iommu_active(a));
	prom_family(out, "iommu_audit_interrupt_isolation", "Whether MSIs are isolated (interrupt remapping, "
		    "GICv3 ITS): the current state is 1.");
	prom_states(out, "iommu_audit_interrupt_isolation", "state", irq, 3,
		    r->irq_isolated == IA_YES ? "isolated" : r->irq_isolated == IA_NO ? "not_isolated" : "unknown");
	prom_family(out, "iommu_audit_noiommu", "VFIO's unsafe no-IOMMU mode: the current state is 1.");
	const char *ns = r->noiommu_state ? r->noiommu_state : "unknown";
	bool known = false;
	for (size_t i = 0; i < 4; i++)
		known |= !strcmp(ns, noiommu[i]);
	prom_states(out, "iommu_audit_noiommu", "state", noiommu, 4, known ? ns : "unknown");
	prom_family(out, "iommu_audit_groups", "The kernel's IOMMU groups.");
	fprintf(out, "iommu_audit_groups %zu\n", a->n_groups);
	prom_family(out, "iommu_audit_assignable_groups", "IOMMU groups userspace (VFIO) can own safely now.");
	fprintf(out, "iommu_audit_assignable_groups %zu\n", assignable);
	if ((rc = prom_groups(out, a, r)) < 0 || (rc = prom_findings(out, r)) < 0)
		return rc;
	if (o && o->has_timing) {
		prom_family(out, "iommu_audit_last_audit_timestamp_seconds", "When the audit ran, in seconds since "
			    "1970 (SOURCE_DATE_EPOCH when set).");
		fprintf(out, "iommu_audit_last_audit_timestamp_seconds %" PRId64 "\n", o->audited_at);
		prom_family(out, "iommu_audit_duration_seconds", "How long the audit took: collecting the facts and "
			    "evaluating the rules.");
		fprintf(out, "iommu_audit_duration_seconds %.6f\n", o->duration_s);
	}
	return ferror(out) ? -EIO : 0;
}
