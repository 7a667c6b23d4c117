// SPDX-License-Identifier: GPL-2.0-or-later
// Rule group.verdict: whether each group holds a function vfio-pci binds; the engine composes the whole
// per-group verdict (ownership, 1:1 regions, MSI isolation, isolation domains) after the policy.
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;

	if (!a->n_groups) {
		*why = "the kernel formed no IOMMU groups";
		return -ENODATA;
	}
	for (size_t gi = 0; gi < a->n_groups; gi++) {
		const struct ia_group *g = &a->groups[gi];
		bool endpoint = false, hdr_unknown = false;
		for (size_t k = 0; k < g->n_devices; k++) {
			const struct ia_dev *d = ia_audit_find_dev(a, g->devices[k]);
			endpoint |= d && d->has_hdr && d->hdr_type == 0;
			hdr_unknown |= !d || !d->has_hdr; /* a non-PCI member, or an unreadable header */
		}
		/* unknown: cannot tell whether it holds an endpoint */
		ev->res->groups[gi].endpoint = endpoint ? IA_YES : hdr_unknown ? IA_UNKNOWN : IA_NO;
		if (!endpoint && !hdr_unknown) {
			/* vfio_pci_probe() takes header type 0 only: a host bridge (class 0600, type 0)
			 * is assignable like any endpoint, a PCI-to-PCI or CardBus bridge is not */
			int rc = ia_rule_block(ev, self, gi, NULL, "no function vfio-pci binds: the group holds only "
					       "PCI-to-PCI or CardBus bridges (header type 1 or 2; vfio-pci takes header "
					       "type 0 only)", IA_NO_FINDING);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

const struct ia_rule ia_rule_assignable = {
	.id = "group.verdict",
	.level = IA_LEVEL_INFO,
	.summary = "Whole verdict per group: DMA ownership, 1:1 regions, MSI isolation and isolation domains",
	.advice = "A group of bridges only stays with the host: assign the groups of the devices below its "
		  "bridges instead.",
	.refs = "kernel-rules.md §11",
	.eval = r_eval,
	.gives = IA_GIVES_ENDPOINT,
	.needs = IA_GIVES_OWNERSHIP,
};
