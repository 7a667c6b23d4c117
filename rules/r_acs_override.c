// SPDX-License-Identifier: GPL-2.0-or-later
// Rule host.acs-override: the out-of-tree pcie_acs_override patch is asked to fake ACS isolation; did it?
#include <stdint.h>
#include <stdio.h>

#include "rules/rules.h"
#include "rules/topology.h"

/* What the kernel's IOMMU groups show of the override: the predicted groups (the unpatched kernel's
 * pci_device_group() on this hardware, engine_acs_override()) split across kernel groups, certain
 * ones counted in *@split with the first one's members in @example, uncertain ones (unreadable ACS
 * state) in *@unsure. */
static void acs_override_splits(const struct ia_eval *ev, size_t *split, size_t *unsure, char *example, size_t cap)
{
	const struct ia_audit *a = ev->a;

	*split = *unsure = 0;
	example[0] = '\0';
	for (size_t p = 0; p < ev->pred->n_groups; p++) {
		const struct ia_topo_group *tg = &ev->pred->groups[p];
		size_t first = SIZE_MAX;
		bool apart = false;
		for (size_t k = 0; k < tg->n_members && !apart; k++) {
			size_t kg = ev->kgroup_of_fn[tg->members[k]];
			if (kg == SIZE_MAX)
				continue;
			if (first == SIZE_MAX)
				first = kg;
			else
				apart = kg != first;
		}
		if (!apart)
			continue;
		if (tg->uncertain) {
			(*unsure)++;
			continue;
		}
		if ((*split)++)
			continue;
		size_t l = 0;
		for (size_t k = 0; k < tg->n_members && l < cap; k++) {
			size_t kg = ev->kgroup_of_fn[tg->members[k]];
			char g[24] = "no IOMMU group";
			if (kg != SIZE_MAX)
				snprintf(g, sizeof(g), "group %d", a->groups[kg].id);
			l += (size_t)snprintf(example + l, cap - l, "%s%s (%s)", k ? ", " : "", a->devs[tg->members[k]].bdf, g);
		}
	}
}

/* Decided from the evidence (issue 13 item 14): the parameter on the command line says what was
 * asked; the kernel's groups against the prediction say whether anything was split. */
static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	const char *v = ev->acs_override_value ? ev->acs_override_value : "";
	char evd[1024], example[640];
	size_t split = 0, unsure = 0;

	if (!a->cmdline) {
		*why = "the kernel command line could not be read";
		return -ENODATA;
	}
	if (!ev->acs_override)
		return 0;
	if (!a->n_iommu_groups || !ev->pred) {
		snprintf(evd, sizeof(evd), "proc/cmdline has pcie_acs_override=%s; %s", v,
			 !a->n_iommu_groups ? "the kernel formed no IOMMU groups"
					    : "no topology model to compare the kernel's groups with");
		return ia_rule_finding(ev, self, IA_LEVEL_WARNING, "host", NULL, evd,
				       "pcie_acs_override=%s is on the command line: a kernel carrying the out-of-tree "
				       "patch treats ports and functions without ACS as isolated, so its groups may be "
				       "split although devices can still reach each other peer-to-peer; %s", v,
				       !a->n_iommu_groups ? "no IOMMU group exists yet to show whether it does"
							  : "whether it does here cannot be told");
	}
	acs_override_splits(ev, &split, &unsure, example, sizeof(example));
	if (split) {
		snprintf(evd, sizeof(evd), "proc/cmdline has pcie_acs_override=%s; split: %s%s", v, example,
			 split > 1 ? " and more" : "");
		return ia_rule_finding(ev, self, IA_LEVEL_ERROR, "host", NULL, evd,
				       "pcie_acs_override=%s makes the kernel treat ports and functions without ACS "
				       "as isolated: %zu group%s the topology implies %s split although %s devices "
				       "can still reach each other peer-to-peer", v, split, split == 1 ? "" : "s",
				       split == 1 ? "is" : "are", split == 1 ? "its" : "their");
	}
	if (unsure) {
		snprintf(evd, sizeof(evd), "proc/cmdline has pcie_acs_override=%s; %zu predicted group%s rest%s on "
			 "unreadable ACS state", v, unsure, unsure == 1 ? "" : "s", unsure == 1 ? "s" : "");
		return ia_rule_finding(ev, self, IA_LEVEL_WARNING, "host",
				       "Run as root (or capture as root) so the ACS capabilities can be read.", evd,
				       "pcie_acs_override=%s is on the command line and the kernel's groups are finer "
				       "than a prediction that rests on unreadable ACS state: whether the override split "
				       "groups cannot be told", v);
	}
	snprintf(evd, sizeof(evd), "proc/cmdline has pcie_acs_override=%s; the kernel's %zu IOMMU group%s split no "
		 "group the topology implies", v, a->n_iommu_groups, a->n_iommu_groups == 1 ? "" : "s");
	return ia_rule_finding(ev, self, IA_LEVEL_INFO, "host",
			       "Remove pcie_acs_override from the kernel command line: it changes nothing here, and on "
			       "a patched kernel it would fake isolation for devices added later.", evd,
			       "pcie_acs_override=%s is on the command line, but no kernel group is finer than the "
			       "topology implies: it split nothing (a kernel without the out-of-tree patch ignores it, "
			       "or no port or function here lacks the isolation it would fake)", v);
}

const struct ia_rule ia_rule_acs_override = {
	.id = "host.acs-override",
	.level = IA_LEVEL_ERROR,
	.summary = "The ACS-override patch fakes isolation",
	.advice = "Remove pcie_acs_override from the kernel command line, and assign whole real groups "
		  "(or move the device to a slot behind an ACS-capable port).",
	.refs = "kernel-rules.md §2.5 (out-of-tree pcie_acs_override patch); drivers/iommu/iommu.c pci_device_group()",
	.eval = r_eval,
};
