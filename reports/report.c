// SPDX-License-Identifier: GPL-2.0-or-later
// What every renderer shares: the rule table's advice, the when-enabled headline, the unprivileged-read line.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bdf.h"
#include "core/ia_err.h"
#include "core/text.h"
#include "report.h"
#include "rules/rules.h"

const char *ia_report_rule_advice(const char *id)
{
	for (size_t r = 0; r < ia_n_rules; r++)
		if (!strcmp(ia_rules[r]->id, id))
			return ia_rules[r]->advice;
	return NULL;
}

char *ia_report_selection_line(const struct ia_audit *a)
{
	const struct ia_audit_selection *s = a->selection;
	char *t = NULL, unk[96] = "";

	if (!s)
		return NULL;
	if (s->n_unknown)
		snprintf(unk, sizeof(unk), " (%zu more with unreadable IDs or class cannot be matched)", s->n_unknown);
	if (asprintf(&t, "selection (%s): %zu of the host's %zu PCI function%s matched%s; shown: the %zu IOMMU group%s "
		     "holding them, whole (%zu function%s), and the host-wide findings; the verdict and the counts are "
		     "those of what is shown", s->expr, s->n_matched, s->host_devs, s->host_devs == 1 ? "" : "s", unk,
		     a->n_iommu_groups, a->n_iommu_groups == 1 ? "" : "s", a->n_devs, a->n_devs == 1 ? "" : "s") < 0)
		return NULL;
	return t;
}

char *ia_report_when_enabled_headline(const struct ia_audit *a, const struct ia_result *r)
{
	const struct ia_when_enabled_result *we = &r->when_enabled;
	char *t = NULL;
	int n;

	if (we->iommu_off && !we->iommu)
		n = asprintf(&t, "%s: %s", we->firmware_unread ? "the groups once an IOMMU is on are unknown" :
			     "no IOMMU to enable", we->how ? we->how : "");
	else if (!we->evaluated)
		n = asprintf(&t, "the groups once the IOMMU is on cannot be predicted: the PCI topology could not be modelled");
	else if (we->iommu_off)
		n = asprintf(&t, "once the IOMMU is on (%s: %s): %zu group%s", we->iommu, we->how ? we->how : "",
			     we->n_groups, we->n_groups == 1 ? "" : "s");
	else
		n = asprintf(&t, "the IOMMU is on: the groups are the current prediction's (%zu)", a->n_predicted);
	return n < 0 ? NULL : t;
}

/* What pci_read_config() (drivers/pci/pci-sysfs.c) serves a reader without CAP_SYS_ADMIN: 64 bytes,
 * 128 for a CardBus bridge (header type 2). */
static bool report_unpriv_size(int64_t n)
{
	return n == 64 || n == 128;
}

bool ia_report_unpriv_error(const struct ia_collect_error *e)
{
	struct ia_bdf b;

	return e && e->collector && !strcmp(e->collector, "pci") && e->subject &&
	       ia_bdf_parse(e->subject, 0, &b) == 0 && (e->code == -EACCES || e->code == -IA_E_TRUNCATED) &&
	       e->has_offset && report_unpriv_size(e->offset);
}

/* Order collection errors by subject, then message (qsort() and bsearch() over pointers). */
static int report_unpriv_cmp(const void *x, const void *y)
{
	const struct ia_collect_error *a = *(const struct ia_collect_error *const *)x;
	const struct ia_collect_error *b = *(const struct ia_collect_error *const *)y;
	int c = strcmp(a->subject, b->subject);

	return c ? c : strcmp(a->message ? a->message : "", b->message ? b->message : "");
}

int ia_report_unpriv_init(struct ia_report_unpriv *u, const struct ia_audit *a)
{
	int64_t lo = 0, hi = 0;
	const char *hides = NULL;

	*u = (struct ia_report_unpriv){ 0 };
	for (size_t i = 0; a && i < a->n_collection_errors; i++)
		u->n_errors += ia_report_unpriv_error(&a->collect_errors[i]);
	if (!u->n_errors)
		return 0;
	if (!(u->v = malloc(u->n_errors * sizeof(*u->v))))
		return -ENOMEM;
	u->n_errors = 0;
	for (size_t i = 0; i < a->n_collection_errors; i++) {
		const struct ia_collect_error *e = &a->collect_errors[i];
		if (!ia_report_unpriv_error(e))
			continue;
		u->v[u->n_errors++] = e;
		lo = !lo || e->offset < lo ? e->offset : lo;
		hi = e->offset > hi ? e->offset : hi;
		if (e->code == -EACCES && e->hides)
			hides = e->hides;
	}
	qsort(u->v, u->n_errors, sizeof(*u->v), report_unpriv_cmp);
	for (size_t i = 0; i < u->n_errors; i++)
		u->n_functions += !i || strcmp(u->v[i - 1]->subject, u->v[i]->subject);
	struct ia_sb b;
	ia_sb_init(&b);
	ia_sb_printf(&b, "run as root to read the PCI config space past byte %lld", (long long)lo);
	if (hi != lo)
		ia_sb_printf(&b, " (%lld for CardBus bridges)", (long long)hi);
	if (hides)
		ia_sb_printf(&b, ", where %s are", hides);
	ia_sb_printf(&b, " (%zu function%s)", u->n_functions, u->n_functions == 1 ? "" : "s");
	if (!(u->line = ia_sb_take(&b))) {
		ia_report_unpriv_free(u);
		return -ENOMEM;
	}
	return 0;
}

bool ia_report_unpriv_finding(const struct ia_report_unpriv *u, const struct ia_finding *f)
{
	if (!u->n_errors || !f->subject || !f->message || strcmp(f->rule, "collect.unreadable"))
		return false;
	/* engine_collect_findings() gives one finding per collection error, with its subject and message */
	struct ia_collect_error key = { .subject = f->subject, .message = f->message };
	const struct ia_collect_error *kp = &key;
	return bsearch(&kp, u->v, u->n_errors, sizeof(*u->v), report_unpriv_cmp) != NULL;
}

void ia_report_unpriv_free(struct ia_report_unpriv *u)
{
	if (!u)
		return;
	free(u->v);
	free(u->line);
	*u = (struct ia_report_unpriv){ 0 };
}
