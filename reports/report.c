// SPDX-License-Identifier: GPL-2.0-or-later
// What every renderer shares: which findings fail the audit under --fail-on, and the rule table's advice.
#include <string.h>

#include "report.h"
#include "rules/rules.h"

bool ia_finding_fails(const struct ia_finding *f, enum ia_fail_on fail_on)
{
	if (f->waived || fail_on == IA_FAIL_ON_NEVER)
		return false;
	return f->level == IA_LEVEL_ERROR || (fail_on == IA_FAIL_ON_WARNING && f->level == IA_LEVEL_WARNING);
}

size_t ia_report_failing(const struct ia_audit *a, enum ia_fail_on fail_on)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n_findings; i++)
		n += ia_finding_fails(&a->findings[i], fail_on);
	return n;
}

bool ia_report_verdict_fails(const struct ia_audit *a, enum ia_fail_on fail_on)
{
	return ia_report_failing(a, fail_on == IA_FAIL_ON_NEVER ? IA_FAIL_ON_ERROR : fail_on) > 0;
}

const char *ia_report_rule_advice(const char *id)
{
	for (size_t r = 0; r < ia_n_rules; r++)
		if (!strcmp(ia_rules[r]->id, id))
			return ia_rules[r]->advice;
	return NULL;
}
