// SPDX-License-Identifier: GPL-2.0-or-later
// Rule group.shared-streamid: a function the SMMUv3 driver refused (its StreamID already held by a
// grouped function) has no group of its own, yet its DMA is translated in that group's IOMMU domain.
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"

/*
 * arm_smmu_insert_master() (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c) refuses a master one of
 * whose StreamIDs (one per DMA alias: iort_pci_iommu_init(), of_pci_iommu_init()) is already in
 * the SMMU's tree: the function gets no IOMMU group (struct ia_dev.stream_shared_with, set by the
 * engine). Nothing in the kernel then stops a host driver from binding it: no group means no DMA
 * ownership to claim (iommu_device_use_default_domain() is not reached). Its DMA carries the shared
 * StreamID, and the SMMU translates it with the stream table entry of the group that holds the ID.
 * Given that group, userspace's mappings would steer a host driver's DMA. pci-stub drives no DMA.
 */
static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	int rc = 0;

	(void)why;
	for (size_t i = 0; i < a->n_devs && rc == 0; i++) {
		const struct ia_dev *d = &a->devs[i], *o = d->stream_shared_with;
		if (!o || d->has_group)
			continue;
		size_t g = ev->kgroup_of_fn[o - a->devs];
		if (g == SIZE_MAX)
			continue;
		int gid = a->groups[g].id;
		char rid[16]; /* the requester ID both carry, in @d's segment */
		snprintf(rid, sizeof(rid), "%.4s:%02x:%02x.%x", d->bdf, d->stream_shared_rid >> 8,
			 (d->stream_shared_rid >> 3) & 0x1f, d->stream_shared_rid & 7);
		if (d->driver && !strcmp(d->driver, "pci-stub"))
			continue;
		/* an unreadable driver link may hide a host driver: blocked as if bound (fail closed) */
		if (d->driver || d->driver_unknown) {
			const char *drv = d->driver ? d->driver : "a driver that could not be read";
			char advice[320], reason[256];
			snprintf(advice, sizeof(advice), "Keep host drivers off %s while group %d is in userspace: "
				 "`driverctl set-override %s pci-stub` (pci-stub drives no DMA); or assign another group.",
				 d->bdf, gid, d->bdf);
			rc = ia_rule_finding(ev, self, self->level, d->bdf, advice, NULL,
					     "%s, in no IOMMU group and bound to %s, sends DMA with a StreamID that group %d "
					     "holds (requester ID %s, a DMA alias %s carries too): group %d's IOMMU domain "
					     "translates that DMA, so given to userspace the group would take a host driver's "
					     "DMA into userspace's mappings", d->bdf, drv, gid, rid, o->bdf, gid);
			snprintf(reason, sizeof(reason), "%s (no group, bound to %s) shares its StreamID: the group's "
				 "IOMMU domain translates that host driver's DMA", d->bdf, drv);
			if (rc == 0)
				rc = ia_rule_block(ev, self, g, NULL, reason, ia_rule_last_finding(ev));
		} else {
			char advice[320];
			snprintf(advice, sizeof(advice), "Before group %d goes to userspace, keep host drivers off %s: "
				 "`driverctl set-override %s pci-stub` (pci-stub drives no DMA).", gid, d->bdf, d->bdf);
			rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, d->bdf, advice, NULL,
					     "%s is in no IOMMU group but sends DMA with a StreamID that group %d holds "
					     "(requester ID %s, a DMA alias %s carries too): no driver drives it now, but a "
					     "host driver that binds it while group %d is in userspace would DMA through "
					     "userspace's mappings", d->bdf, gid, rid, o->bdf, gid);
		}
	}
	return rc;
}

const struct ia_rule ia_rule_shared_streamid = {
	.id = "group.shared-streamid",
	.level = IA_LEVEL_ERROR,
	.summary = "A function with no IOMMU group shares a StreamID with a group, whose domain translates its DMA",
	.advice = "Bind the groupless function to pci-stub (it drives no DMA) before the group goes to userspace, "
		  "or assign another group.",
	.refs = "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c arm_smmu_insert_master(); drivers/iommu/of_iommu.c "
		"of_pci_iommu_init(); drivers/acpi/arm64/iort.c iort_pci_iommu_init()",
	.eval = r_eval,
	.needs = IA_GIVES_TOPOLOGY,
};
