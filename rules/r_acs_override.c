// SPDX-License-Identifier: GPL-2.0-or-later
// Rule host.acs-override: the out-of-tree pcie_acs_override patch is asked to fake ACS isolation.
#include <stdio.h>

#include "rules/rules.h"

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	char evd[256];

	if (!ev->a->cmdline) {
		*why = "the kernel command line could not be read";
		return -ENODATA;
	}
	if (!ev->acs_override)
		return 0;
	snprintf(evd, sizeof(evd), "proc/cmdline has pcie_acs_override=%s", ev->acs_override_value ? ev->acs_override_value : "");
	return ia_rule_finding(ev, self, self->level, "host", NULL, evd,
			       "pcie_acs_override=%s makes the kernel treat ports and functions without ACS "
			       "as isolated: groups are split although devices can still reach each other "
			       "peer-to-peer", ev->acs_override_value ? ev->acs_override_value : "");
}

const struct ia_rule ia_rule_acs_override = {
	.id = "host.acs-override",
	.level = IA_LEVEL_ERROR,
	.summary = "The ACS-override patch fakes isolation",
	.advice = "Remove pcie_acs_override from the kernel command line, and assign whole real groups "
		  "(or move the device to a slot behind an ACS-capable port).",
	.refs = "kernel-rules.md §2.5 (out-of-tree pcie_acs_override patch)",
	.eval = r_eval,
};
