// SPDX-License-Identifier: GPL-2.0-or-later
// Rule group.firmware-direct-region: a non-relaxable 1:1 (RMRR/IVMD/RMR) region forbids userspace ownership.
#include <stdio.h>

#include "rules/rules.h"

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	struct ia_audit *a = ev->a;
	int rc = 0;

	if (!a->n_groups) {
		*why = "the kernel formed no IOMMU groups (firmware regions are checked from the tables)";
		return -ENODATA;
	}
	for (size_t gi = 0; gi < a->n_groups && rc == 0; gi++) {
		struct ia_group *g = &a->groups[gi];
		char subject[32], ev_txt[128];
		snprintf(subject, sizeof(subject), "group %d", g->id);
		if (!g->resv_read)
			continue; /* unknown: the verdict stays null (collect.unreadable says why) */
		if (g->n_direct) {
			snprintf(ev_txt, sizeof(ev_txt), "sys/kernel/iommu_groups/%d/reserved_regions has %zu direct region%s",
				 g->id, g->n_direct, g->n_direct == 1 ? "" : "s");
			ia_group_note(&g->blockers, &g->n_blockers, NULL, self->id,
				      "firmware requires a 1:1 (direct) mapping for a member: VFIO and iommufd can never "
				      "attach a blocking domain, so the group cannot be owned by userspace");
			rc = ia_rule_finding(ev, self, self->level, subject, NULL, ev_txt,
					     "group %d has a firmware 1:1 region (RMRR/IVMD/RMR): userspace can never own it "
					     "(\"Firmware has requested this device have a 1:1 IOMMU mapping\")", g->id);
		} else if (g->n_relaxable) {
			ia_group_note(&g->exceptions, &g->n_exceptions, NULL, "relaxable-rmrr",
				      "a relaxable 1:1 region (USB or graphics RMRR, or an IORT RMR with remapping "
				      "permitted) is not mapped for the user: assignment works, the firmware's use of "
				      "that memory stops");
		}
	}
	return rc;
}

const struct ia_rule ia_rule_direct_region = {
	.id = "group.firmware-direct-region",
	.level = IA_LEVEL_ERROR,
	.summary = "A firmware 1:1 region (RMRR, IVMD, IORT RMR) makes a group unassignable",
	.advice = "Change the firmware setting that reserves the region (HP: disable the device's shared "
		  "memory/iLO features per HPE advisory), or use a device/slot not named by the region.",
	.refs = "drivers/iommu/iommu.c iommu_create_device_direct_mappings(), __iommu_device_set_domain(); "
		"kernel-rules.md §4.5, §7.1",
	.eval = r_eval,
};
