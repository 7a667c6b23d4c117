// SPDX-License-Identifier: GPL-2.0-or-later
// The JUnit XML report for CI servers: one testsuite per rule, one testcase per rule and subject (libxml2 xmlwriter).
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "report.h"
#include "rules/rules.h"
#include "xml_lib.h"

/* The finding rule under which the engine repeats a->not_evaluated; folded into <skipped>. */
#define JUNIT_NOT_EVALUATED "rule.not-evaluated"

/* A writer that remembers its first failure, so the renderer reads straight through. */
struct junit_w {
	xmlTextWriterPtr w;
	bool bad;
};

static void jw_start(struct junit_w *j, const char *name)
{
	if (!j->bad && ia_xmlTextWriterStartElement(j->w, BAD_CAST name) < 0)
		j->bad = true;
}

static void jw_end(struct junit_w *j)
{
	if (!j->bad && ia_xmlTextWriterEndElement(j->w) < 0)
		j->bad = true;
}

static void jw_attr(struct junit_w *j, const char *name, const char *value)
{
	char *c;

	if (j->bad)
		return;
	if (!(c = ia_text_sanitize_dup(value)) || ia_xmlTextWriterWriteAttribute(j->w, BAD_CAST name, BAD_CAST c) < 0)
		j->bad = true;
	free(c);
}

static void jw_attr_n(struct junit_w *j, const char *name, size_t v)
{
	char b[32];

	snprintf(b, sizeof(b), "%zu", v);
	jw_attr(j, name, b);
}

static void jw_text(struct junit_w *j, const char *s)
{
	char *c;

	if (j->bad)
		return;
	if (!(c = ia_text_sanitize_dup(s)) || ia_xmlTextWriterWriteString(j->w, BAD_CAST c) < 0)
		j->bad = true;
	free(c);
}

/* Append "LEVEL: message", advice, evidence and the waiver of @f to the current element's text. */
static void jw_finding_text(struct junit_w *j, const struct ia_finding *f)
{
	jw_text(j, ia_level_name(f->level));
	jw_text(j, ": ");
	jw_text(j, f->message);
	jw_text(j, "\n");
	if (f->advice) {
		jw_text(j, "advice: ");
		jw_text(j, f->advice);
		jw_text(j, "\n");
	}
	if (f->evidence) {
		jw_text(j, "evidence: ");
		jw_text(j, f->evidence);
		jw_text(j, "\n");
	}
	if (f->waived) {
		jw_text(j, "waived by policy: ");
		jw_text(j, f->waiver_reason ? f->waiver_reason : "(no reason given)");
		if (f->waiver_expires) {
			jw_text(j, " (until ");
			jw_text(j, f->waiver_expires);
			jw_text(j, ")");
		}
		jw_text(j, "\n");
	}
}

/* Subjects "group N" in numeric order; everything else (BDFs, paths, "host") bytewise. */
static int junit_cmp_subject(const char *x, const char *y)
{
	static const char g[] = "group ";
	char *ex, *ey;

	if (!strncmp(x, g, sizeof(g) - 1) && !strncmp(y, g, sizeof(g) - 1)) {
		long nx = strtol(x + sizeof(g) - 1, &ex, 10), ny = strtol(y + sizeof(g) - 1, &ey, 10);
		if (!*ex && !*ey && nx != ny)
			return (nx > ny) - (nx < ny);
	}
	return strcmp(x, y);
}

/* Findings sorted by rule, then subject, then their order in the audit (qsort_r with the audit). */
static int junit_cmp(const void *x, const void *y, void *audit)
{
	const struct ia_result *au = audit;
	const struct ia_finding *a = &au->findings[*(const size_t *)x];
	const struct ia_finding *b = &au->findings[*(const size_t *)y];
	int c = strcmp(a->rule, b->rule);

	if (!c)
		c = junit_cmp_subject(a->subject, b->subject);
	if (!c)
		c = (*(const size_t *)x > *(const size_t *)y) - (*(const size_t *)x < *(const size_t *)y);
	return c;
}

/* One suite: a rule id, its findings idx[lo..hi) (sorted by subject), and why it was not evaluated. */
struct junit_suite {
	const char *id;
	size_t lo, hi;
	size_t first;                        /* smallest finding index (orders the suites of other ids) */
	const char *skip_reason;             /* NULL when evaluated */
	const struct ia_finding *skip_fail;  /* a failing rule.not-evaluated finding about it, or NULL */
	size_t tests, failures, skipped;
};

static int junit_cmp_first(const void *x, const void *y)
{
	const struct junit_suite *a = x, *b = y;

	return (a->first > b->first) - (a->first < b->first);
}

/* The reason in a not_evaluated entry "ID: not evaluated: WHY" when it names @id, else NULL. */
static const char *junit_skip_reason(const struct ia_result *a, const char *id)
{
	size_t n = strlen(id);
	static const char mid[] = ": not evaluated: ";

	for (size_t i = 0; i < a->n_not_evaluated; i++) {
		const char *e = a->not_evaluated[i];
		if (!strncmp(e, id, n) && !strncmp(e + n, mid, sizeof(mid) - 1))
			return e + n + sizeof(mid) - 1;
	}
	return NULL;
}

/* The testcases of suite @s: fill @s's counts (@write false) or write them (@write true). */
static void junit_cases(struct junit_w *j, const struct ia_result *a, const size_t *idx,
			struct junit_suite *s, enum ia_fail_on fail_on, bool write)
{
	if (!write)
		s->tests = s->failures = s->skipped = 0;
	if (s->skip_reason) {
		s->tests++;
		if (s->skip_fail)
			s->failures++;
		else
			s->skipped++;
		if (write) {
			jw_start(j, "testcase");
			jw_attr(j, "name", "host");
			jw_attr(j, "classname", s->id);
			if (s->skip_fail) {
				jw_start(j, "failure");
				jw_attr(j, "type", ia_level_name(s->skip_fail->level));
				jw_attr(j, "message", s->skip_fail->message);
				jw_finding_text(j, s->skip_fail);
			} else {
				jw_start(j, "skipped");
				jw_attr(j, "message", s->skip_reason);
			}
			jw_end(j);
			jw_end(j);
		}
	} else if (s->lo == s->hi) {
		s->tests++;
		if (write) {
			jw_start(j, "testcase");
			jw_attr(j, "name", "host");
			jw_attr(j, "classname", s->id);
			jw_end(j);
		}
	}
	for (size_t k = s->lo; k < s->hi;) {
		size_t e = k + 1, nfail = 0;
		const struct ia_finding *first_fail = NULL;
		while (e < s->hi && !strcmp(a->findings[idx[e]].subject, a->findings[idx[k]].subject))
			e++;
		for (size_t m = k; m < e; m++)
			if (ia_finding_fails(&a->findings[idx[m]], fail_on) && !nfail++)
				first_fail = &a->findings[idx[m]];
		s->tests += !write;
		s->failures += !write && nfail;
		if (write) {
			jw_start(j, "testcase");
			jw_attr(j, "name", a->findings[idx[k]].subject);
			jw_attr(j, "classname", s->id);
			if (first_fail) {
				enum ia_level worst = first_fail->level;
				for (size_t m = k; m < e; m++)
					if (ia_finding_fails(&a->findings[idx[m]], fail_on) && a->findings[idx[m]].level > worst)
						worst = a->findings[idx[m]].level;
				jw_start(j, "failure");
				jw_attr(j, "type", ia_level_name(worst));
				jw_attr(j, "message", first_fail->message);
				for (size_t m = k; m < e; m++)
					if (ia_finding_fails(&a->findings[idx[m]], fail_on))
						jw_finding_text(j, &a->findings[idx[m]]);
				jw_end(j);
			}
			if (nfail < e - k) {
				jw_start(j, "system-out");
				for (size_t m = k; m < e; m++)
					if (!ia_finding_fails(&a->findings[idx[m]], fail_on))
						jw_finding_text(j, &a->findings[idx[m]]);
				jw_end(j);
			}
			jw_end(j);
		}
		k = e;
	}
}

/* Lower bound of @id in the sorted findings. */
static size_t junit_lower(const struct ia_result *a, const size_t *idx, size_t n, const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(a->findings[idx[mid]].rule, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool junit_in_table(const char *id)
{
	for (size_t r = 0; r < ia_n_rules; r++)
		if (!strcmp(ia_rules[r]->id, id))
			return true;
	return false;
}

/* One <property>, when @value is known. */
static void junit_property(struct junit_w *j, const char *name, const char *value)
{
	if (!value)
		return;
	jw_start(j, "property");
	jw_attr(j, "name", name);
	jw_attr(j, "value", value);
	jw_end(j);
}

/* <properties>: who the audited host is and when it was audited (CI dashboards file reports by them). */
static void junit_properties(struct junit_w *j, const struct ia_audit *au)
{
	const struct ia_identity *id = &au->identity;

	jw_start(j, "properties");
	junit_property(j, "hostname", id->hostname);
	junit_property(j, "machine_id", id->machine_id);
	for (size_t i = 0; i < IA_IDENTITY_N_DMI; i++) {
		char name[64];
		snprintf(name, sizeof(name), "dmi.%s", ia_identity_dmi_attrs[i]);
		junit_property(j, name, id->dmi[i]);
	}
	junit_property(j, "cpu_model", id->cpu_model);
	junit_property(j, "arch", au->arch);
	junit_property(j, "kernel", au->kernel_release);
	junit_property(j, "audited_at", id->audited_at[0] ? id->audited_at : NULL);
	jw_end(j);
}

int ia_report_junit(const struct ia_audit *au, const struct ia_result *a, const struct ia_report_opts *o, FILE *out)
{
	enum ia_fail_on fail_on = a->verdict.fail_on;
	size_t *idx = malloc((a->n_findings + 1) * sizeof(*idx)), n = 0, ns = 0;
	struct junit_suite *suites = calloc(ia_n_rules + a->n_findings + 1, sizeof(*suites));
	struct junit_w j = { 0 };
	const char *xerr;
	int rc = ia_xml_load(&xerr);   /* libxml2, loaded on first use: -ENOENT when missing */

	if (rc < 0)
		goto out;
	if (!idx || !suites) {
		rc = -ENOMEM;
		goto out;
	}
	/* The rule table's suites, with why a rule was not evaluated. */
	for (size_t r = 0; r < ia_n_rules; r++) {
		suites[ns].id = ia_rules[r]->id;
		suites[ns].skip_reason = junit_skip_reason(a, ia_rules[r]->id);
		ns++;
	}
	/* Findings, except the engine's repetition of a->not_evaluated (rendered as <skipped>). */
	for (size_t i = 0; i < a->n_findings; i++) {
		const struct ia_finding *f = &a->findings[i];
		/* (only for rules of the table: "not evaluated" about collect.unreadable or policy ids has no
		 * suite to fold into and stays a testcase of its own, failing when its level fails) */
		if (!strcmp(f->rule, JUNIT_NOT_EVALUATED) && junit_in_table(f->subject) && junit_skip_reason(a, f->subject)) {
			for (size_t r = 0; r < ia_n_rules; r++)
				if (!strcmp(suites[r].id, f->subject) && ia_finding_fails(f, fail_on) && !suites[r].skip_fail)
					suites[r].skip_fail = f;
			continue;
		}
		idx[n++] = i;
	}
	qsort_r(idx, n, sizeof(*idx), junit_cmp, (void *)a);
	for (size_t r = 0; r < ia_n_rules; r++) {
		suites[r].lo = junit_lower(a, idx, n, suites[r].id);
		suites[r].hi = suites[r].lo;
		while (suites[r].hi < n && !strcmp(a->findings[idx[suites[r].hi]].rule, suites[r].id))
			suites[r].hi++;
	}
	/* Other rule ids (collect.unreadable, policy outcomes, ...): one suite per run, by first appearance. */
	for (size_t k = 0; k < n;) {
		size_t e = k + 1, first = idx[k];
		while (e < n && !strcmp(a->findings[idx[e]].rule, a->findings[idx[k]].rule)) {
			if (idx[e] < first)
				first = idx[e];
			e++;
		}
		if (!junit_in_table(a->findings[idx[k]].rule))
			suites[ns++] = (struct junit_suite){ .id = a->findings[idx[k]].rule, .lo = k, .hi = e, .first = first };
		k = e;
	}
	qsort(suites + ia_n_rules, ns - ia_n_rules, sizeof(*suites), junit_cmp_first);

	size_t tests = 0, failures = 0;
	for (size_t s = 0; s < ns; s++) {
		junit_cases(&j, a, idx, &suites[s], fail_on, false);
		tests += suites[s].tests;
		failures += suites[s].failures;
	}

	xmlOutputBufferPtr buf = ia_xmlOutputBufferCreateFile(out, NULL);
	if (!buf || !(j.w = ia_xmlNewTextWriter(buf))) {
		if (buf)
			ia_xmlOutputBufferClose(buf);
		rc = -ENOMEM;
		goto out;
	}
	ia_xmlTextWriterSetIndent(j.w, 1);
	ia_xmlTextWriterSetIndentString(j.w, BAD_CAST "  ");
	if (ia_xmlTextWriterStartDocument(j.w, "1.0", "UTF-8", NULL) < 0)
		j.bad = true;
	jw_start(&j, "testsuites");
	jw_attr(&j, "name", "iommu-audit");
	jw_attr_n(&j, "tests", tests);
	jw_attr_n(&j, "failures", failures);
	jw_attr_n(&j, "errors", 0);
	for (size_t s = 0; s < ns; s++) {
		jw_start(&j, "testsuite");
		jw_attr(&j, "name", suites[s].id);
		jw_attr_n(&j, "tests", suites[s].tests);
		jw_attr_n(&j, "failures", suites[s].failures);
		jw_attr_n(&j, "errors", 0);
		jw_attr_n(&j, "skipped", suites[s].skipped);
		junit_properties(&j, au);
		junit_cases(&j, a, idx, &suites[s], fail_on, true);
		jw_end(&j);
	}
	jw_end(&j);
	if (!j.bad && ia_xmlTextWriterEndDocument(j.w) < 0)
		j.bad = true;
	ia_xmlFreeTextWriter(j.w);   /* flushes and closes the output buffer (not @out) */
	rc = j.bad || ferror(out) ? -EIO : 0;
out:
	free(idx);
	free(suites);
	return rc;
}
