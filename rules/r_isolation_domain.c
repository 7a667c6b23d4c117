// SPDX-License-Identifier: GPL-2.0-or-later
// Rule isolation.p2p-domain: devices in different kernel groups can still reach each other peer-to-peer.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	int rc = 0;

	if (!ev->domains) { /* the engine does not run it without IA_GIVES_TOPOLOGY */
		*why = ev->model_error ? ev->model_error : "no topology model";
		return -ENODATA;
	}
	for (size_t d = 0; d < ev->domains->n && rc == 0; d++) {
		const struct ia_topo_domain *dom = &ev->domains->v[d];
		/* Which kernel groups (or, without an IOMMU, predicted groups) the domain spans. */
		/* A member in no group at all while the kernel formed IOMMU groups (no driver probed it
		 * through the IOMMU, or its ID was taken: "already in tree") cannot go with the group
		 * it can reach, so it splits the domain as a second group does. */
		size_t first = SIZE_MAX, n_groupless = 0;
		bool spans = false;
		char groupless[512] = "";
		for (size_t k = 0; k < dom->n_members; k++) {
			size_t fn = dom->members[k];
			size_t g = a->n_groups ? ev->kgroup_of_fn[fn]
				 : (ev->pred->fn[fn].has_group ? ev->pred->fn[fn].group : SIZE_MAX);
			if (g == SIZE_MAX) {
				if (a->n_groups && !a->devs[fn].has_group && strlen(groupless) < sizeof(groupless) - 40)
					snprintf(groupless + strlen(groupless), sizeof(groupless) - strlen(groupless),
						 "%s%s", n_groupless++ ? " " : "", a->devs[fn].bdf);
				continue;
			}
			if (first == SIZE_MAX)
				first = g;
			else if (g != first)
				spans = true;
		}
		bool split = spans || (n_groupless && first != SIZE_MAX);
		if (!split)
			continue;
		/* A domain resting on an uncertain prediction (ACS unreadable, treated as absent) is a
		 * possibility, not a fact: it makes verdicts unknown instead of blocking them. */
		bool uncertain = dom->uncertain;
		for (size_t k = 0; k < dom->n_members && !uncertain; k++)
			uncertain = ev->pred->fn[dom->members[k]].uncertain;
		char members[1024] = "", blame[1024] = "";
		size_t ml = 0, bl = 0;
		for (size_t k = 0; k < dom->n_members && ml < sizeof(members) - 40; k++)
			ml += (size_t)snprintf(members + ml, sizeof(members) - ml, "%s%s", k ? " " : "",
					       a->devs[dom->members[k]].bdf);
		for (size_t k = 0; k < dom->n_blame && bl < sizeof(blame) - 200; k++)
			bl += (size_t)snprintf(blame + bl, sizeof(blame) - bl, "%s%s", k ? "; " : "", dom->blame[k].why);
		char why_split[700];
		if (n_groupless)
			snprintf(why_split, sizeof(why_split), "%s%s %s in no IOMMU group",
				 spans ? "the kernel puts them in different groups, and " : "", groupless,
				 n_groupless == 1 ? "is" : "are");
		else
			snprintf(why_split, sizeof(why_split), "the kernel puts them in different groups");
		rc = ia_rule_finding(ev, self, uncertain ? IA_LEVEL_WARNING : self->level,
				     a->devs[dom->members[0]].bdf, NULL, blame,
				     "%s%s can reach each other peer-to-peer without the IOMMU although %s: treat them "
				     "as one isolation domain", uncertain ? "possibly (ACS state unreadable): " : "", members,
				     why_split);
		/* Every kernel group inside the domain gets the blocker, linked to the finding. */
		size_t finding = ia_rule_last_finding(ev);
		for (size_t k = 0; rc == 0 && a->n_groups && k < dom->n_members; k++) {
			size_t g = ev->kgroup_of_fn[dom->members[k]];
			if (g == SIZE_MAX)
				continue;
			struct ia_group_verdict *gv = &ev->res->groups[g];
			if (uncertain) {
				gv->isolation_unknown = true;
				continue;
			}
			bool have = false;
			for (size_t b = 0; b < gv->n_pending && !have; b++)
				have = gv->pending[b].rule == self && gv->pending[b].kind == IA_CONTRIB_BLOCKER;
			if (!have) {
				char reason[1200];
				snprintf(reason, sizeof(reason), "shares an isolation domain with %s (%s)", members, blame);
				rc = ia_rule_block(ev, self, g, a->devs[dom->members[k]].bdf, reason, finding);
			}
		}
	}
	return rc;
}

const struct ia_rule ia_rule_isolation_domain = {
	.id = "isolation.p2p-domain",
	.level = IA_LEVEL_ERROR,
	.summary = "Devices in different kernel groups share one peer-to-peer isolation domain",
	.advice = "Assign the whole isolation domain to one owner, or enable ACS P2P Request/Completion "
		  "Redirect on the ports named (firmware setting), or use a switch with ACS.",
	.refs = "kernel-rules.md §1.5 item 8 and §1.7 (\"Fix incorrect iommu_groups with PCIe ACS\"); PCIe Base §6.12 ACS",
	.eval = r_eval,
	.gives = IA_GIVES_ISOLATION,
	.needs = IA_GIVES_TOPOLOGY,
};
