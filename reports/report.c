// SPDX-License-Identifier: GPL-2.0-or-later
// What every renderer shares: the rule table's advice.
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
