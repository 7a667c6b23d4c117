// SPDX-License-Identifier: GPL-2.0-or-later
// What every renderer shares: the rule table's advice.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
