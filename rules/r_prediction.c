// SPDX-License-Identifier: GPL-2.0-or-later
// Rule group.prediction-differs: the kernel's groups differ from pci_device_group() on this topology.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/firmware_model.h"
#include "rules/kernel_audit.h"
#include "rules/rules.h"

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;

	if (!ev->pred) {
		*why = ev->model_error ? ev->model_error : "no topology model";
		return -ENODATA;
	}
	if (!a->n_iommu_groups) {
		*why = "the kernel formed no IOMMU groups to compare with";
		return -ENODATA;
	}
	/* For each predicted group, the kernel groups its members are in (and vice versa). */
	int rc = 0;
	for (size_t p = 0; p < ev->pred->n_groups && rc == 0; p++) {
		const struct ia_topo_group *tg = &ev->pred->groups[p];
		size_t first = SIZE_MAX;
		bool split = false;
		for (size_t k = 0; k < tg->n_members; k++) {
			size_t kg = ev->kgroup_of_fn[tg->members[k]];
			if (kg == SIZE_MAX)
				continue;
			if (first == SIZE_MAX)
				first = kg;
			else if (kg != first)
				split = true;
		}
		if (!split)
			continue;
		if (tg->uncertain) {
			/* The fail-closed prediction is wider than the kernel's only because some ACS state
			 * was unreadable: that is no evidence of a patched kernel. */
			char subject[32];
			snprintf(subject, sizeof(subject), "group %d", a->groups[first].id);
			rc = ia_rule_finding(ev, self, IA_LEVEL_INFO, subject,
					     "Run as root (or capture as root) so the ACS capabilities can be read.",
					     NULL, "cannot compare the kernel's groups with the topology: %s",
					     tg->uncertain_reason ? tg->uncertain_reason : "the prediction is uncertain");
			continue;
		}
		char members[1024] = "";
		size_t ml = 0;
		for (size_t k = 0; k < tg->n_members; k++) {
			size_t kg = ev->kgroup_of_fn[tg->members[k]];
			ml += (size_t)snprintf(members + ml, ml < sizeof(members) ? sizeof(members) - ml : 0, "%s%s(group %d)",
					       k ? " " : "", a->devs[tg->members[k]].bdf, kg == SIZE_MAX ? -1 : a->groups[kg].id);
			if (ml >= sizeof(members))
				ml = sizeof(members) - 1;
		}
		char subject[32];
		snprintf(subject, sizeof(subject), "group %d", a->groups[first].id);
		if (ev->acs_override)
			rc = ia_rule_finding(ev, self, IA_LEVEL_ERROR, subject,
					     "The kernel's groups here are faked by pcie_acs_override: treat the "
					     "predicted group as the unit of assignment.", members,
					     "the kernel split devices that the topology puts in one group (%s); "
					     "pcie_acs_override is on the command line: isolation is faked", tg->basis ? tg->basis : "");
		else
			rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, subject, NULL, members,
					     "the kernel's groups are finer than pci_device_group() predicts for this "
					     "topology (%s): a patched kernel, an unknown quirk, or a newer kernel's rules",
					     tg->basis ? tg->basis : "");
	}
	/* Kernel groups wider than predicted: an alias or quirk we do not model. One pass over the
	 * devices notes, per kernel group, the first predicted group seen and whether another one was. */
	size_t *first_pred = a->n_groups ? malloc(a->n_groups * sizeof(*first_pred)) : NULL;
	bool *wide = a->n_groups ? calloc(a->n_groups, sizeof(*wide)) : NULL;
	if (a->n_groups && (!first_pred || !wide)) {
		free(first_pred);
		free(wide);
		return rc ? rc : -ENOMEM;
	}
	for (size_t g = 0; g < a->n_groups; g++)
		first_pred[g] = SIZE_MAX;
	for (size_t i = 0; i < a->n_devs; i++) {
		size_t g = ev->kgroup_of_fn[i];
		if (g == SIZE_MAX || g >= a->n_groups || !ev->pred->fn[i].has_group || ev->pred->fn[i].uncertain)
			continue;
		if (first_pred[g] == SIZE_MAX)
			first_pred[g] = ev->pred->fn[i].group;
		else if (ev->pred->fn[i].group != first_pred[g])
			wide[g] = true;
	}
	/* Row acs_enabled_after_groups: stable releases that enable ACS when a driver probes, which
	 * before 6.15 comes after the group forms. On VT-d and AMD-Vi every group forms when the IOMMU
	 * initialises, before any driver probes: the cause for certain. With IORT (a function's group
	 * forms at its own probe, after its bridges' probes may have enabled theirs), a virtio-iommu or
	 * unread firmware, a possible cause. On a device-tree boot the reverts say the backport made no
	 * difference ("doesn't make any difference for OF platforms"). */
	const struct ia_firmware *fw = a->firmware;
	bool dt = fw && fw->describes_dt && !fw->describes_iort;
	bool x86_iommu = fw && (fw->describes_dmar || fw->describes_ivrs) && !fw->describes_iort && !fw->describes_dt;
	enum ia_tri late = dt ? IA_NO : ia_kernel_has(a, IA_KB_ACS_ENABLED_AFTER_GROUPS);
	if (late == IA_YES && !x86_iommu)
		late = IA_UNKNOWN; /* said as a possible cause below */
	char rel[320];
	ia_kb_releases(IA_KB_ACS_ENABLED_AFTER_GROUPS, rel, sizeof(rel));
	for (size_t g = 0; g < a->n_groups && rc == 0; g++) {
		if (!wide[g])
			continue;
		char subject[32];
		snprintf(subject, sizeof(subject), "group %d", a->groups[g].id);
		if (late == IA_YES) {
			int from = 0, sure = 0, last = -1;
			char advice[256];
			if (ia_kb_stable_line(IA_KB_ACS_ENABLED_AFTER_GROUPS, a->kernel_major, a->kernel_minor, &from,
					      &sure, &last) == 0 && last >= 0)
				snprintf(advice, sizeof(advice), "Update the kernel to %d.%d.%d or later (which reverted "
					 "the backport): the hardware isolates these devices, and such a kernel gives "
					 "them their own groups.", a->kernel_major, a->kernel_minor, last + 1);
			else
				snprintf(advice, sizeof(advice), "Update the kernel to a release outside the ones the "
					 "evidence names: the hardware isolates these devices, and such a kernel gives "
					 "them their own groups.");
			rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, subject, advice, rel,
					     "the kernel put devices together that the topology keeps apart: Linux %d.%d.%d "
					     "forms IOMMU groups before it enables ACS (a stable backport of c41e2fb67e26, "
					     "since reverted), so its groups follow the ACS control the firmware left",
					     a->kernel_major, a->kernel_minor, a->kernel_patch);
		} else
			rc = ia_rule_finding(ev, self, IA_LEVEL_INFO, subject,
					     "Report the topology to the iommu-audit developers (a capture with "
					     "`iommu-audit snapshot`).", late == IA_UNKNOWN ? rel : NULL,
					     "the kernel put devices together that the predicted grouping keeps apart "
					     "(a DMA alias or quirk this version does not model%s%s)",
					     late == IA_UNKNOWN ? ", or forming groups before enabling ACS as some stable "
					     "releases do: " : "", late != IA_UNKNOWN ? "" :
					     ia_kernel_has(a, IA_KB_ACS_ENABLED_AFTER_GROUPS) == IA_YES ?
					     "this release enables ACS when a driver probes, which on this platform may "
					     "come after a function's group forms" : ia_kernel_unknown_why(a));
	}
	free(first_pred);
	free(wide);
	return rc;
}

const struct ia_rule ia_rule_prediction = {
	.id = "group.prediction-differs",
	.level = IA_LEVEL_WARNING,
	.summary = "Kernel IOMMU groups differ from the groups the topology implies",
	.advice = "Check for pcie_acs_override or a patched kernel; assign the predicted group as a whole.",
	.refs = "drivers/iommu/iommu.c pci_device_group(); drivers/pci/pci.c pci_acs_enabled(); kernel-rules.md §1.4-1.6, §11 step 1",
	.eval = r_eval,
	.needs = IA_GIVES_TOPOLOGY,
	.kernel = (const enum ia_kb[]){ IA_KB_ACS_QUIRKS_7_0, IA_KB_ACS_SV_CAP_FIXUP, IA_KB_ACS_ENABLED_AFTER_GROUPS },
	.n_kernel = 3,
};
