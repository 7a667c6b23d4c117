// SPDX-License-Identifier: GPL-2.0-or-later
// Rule host.iommu-inactive: no IOMMU is active in the kernel, so nothing can be assigned with isolation.
#include "rules/rules.h"

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	struct ia_audit *a = ev->a;

	if (a->n_units || a->n_groups)
		return 0;
	if (!a->n_devs) {
		*why = "no PCI functions were collected";
		return -ENODATA;
	}
	return ia_rule_finding(ev, self, self->level, "host", NULL,
			       a->iommu_groups_dir ? "sys/kernel/iommu_groups is empty and sys/class/iommu lists no unit"
						   : "sys/kernel/iommu_groups is absent and sys/class/iommu lists no unit",
			       "no IOMMU is active: none of the %zu PCI functions can be assigned to userspace "
			       "with DMA isolation", a->n_devs);
}

const struct ia_rule ia_rule_iommu_active = {
	.id = "host.iommu-inactive",
	.level = IA_LEVEL_WARNING,
	.summary = "No IOMMU is active in the kernel",
	.advice = "Enable VT-d/AMD-Vi/SMMU in the firmware setup and boot with intel_iommu=on (Intel) "
		  "or the platform default (AMD, Arm); then re-run the audit.",
	.refs = "kernel-rules.md §1.5 item 9; drivers/iommu/iommu.c iommu_group_get_for_dev()",
	.eval = r_eval,
};
