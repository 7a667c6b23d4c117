// SPDX-License-Identifier: GPL-2.0-or-later
// Rule group.verdict: the whole per-group verdict (ownership, 1:1 regions, MSI isolation, isolation domains).
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	struct ia_audit *a = ev->a;

	if (!a->n_groups) {
		*why = "the kernel formed no IOMMU groups";
		return -ENODATA;
	}
	for (size_t gi = 0; gi < a->n_groups; gi++) {
		struct ia_group *g = &a->groups[gi];
		bool endpoint = false, blocked = false, hdr_unknown = false;
		for (size_t k = 0; k < g->n_devices; k++) {
			const struct ia_dev *d = ia_audit_find_dev(a, g->devices[k]);
			endpoint |= d && d->has_hdr && d->hdr_type == 0;
			hdr_unknown |= !d || !d->has_hdr; /* a non-PCI member, or an unreadable header */
		}
		for (size_t b = 0; b < g->n_blockers; b++)
			blocked |= strcmp(g->blockers[b].what, "group.not-viable") != 0;
		if (!endpoint && hdr_unknown) {
			g->userspace_assignable = IA_UNKNOWN; /* cannot tell whether it holds an endpoint */
			continue;
		}
		if (!endpoint) {
			g->userspace_assignable = IA_NO;
			ia_group_note(&g->blockers, &g->n_blockers, NULL, self->id,
				      "no assignable function: the group holds only bridges or host bridges");
			continue;
		}
		if (blocked || g->dma_ownership_viable == IA_NO)
			g->userspace_assignable = IA_NO;
		else if (a->irq_isolated == IA_NO) {
			g->userspace_assignable = IA_NO;
			ia_group_note(&g->blockers, &g->n_blockers, NULL, "platform.msi-not-isolated",
				      a->irq_reason ? a->irq_reason : "MSIs are not isolated");
		} else if (g->dma_ownership_viable == IA_UNKNOWN || a->irq_isolated == IA_UNKNOWN || !g->resv_read ||
			   !ev->domains || g->isolation_unknown)
			/* Fail closed: without every input (isolation domains need the topology model), no
			 * verdict, never "assignable". */
			g->userspace_assignable = IA_UNKNOWN;
		else
			g->userspace_assignable = IA_YES;
	}
	return 0;
}

const struct ia_rule ia_rule_assignable = {
	.id = "group.verdict",
	.level = IA_LEVEL_INFO,
	.summary = "Whole verdict per group: DMA ownership, 1:1 regions, MSI isolation and isolation domains",
	.advice = "Resolve the blockers listed for the group.",
	.refs = "kernel-rules.md §11",
	.eval = r_eval,
};
