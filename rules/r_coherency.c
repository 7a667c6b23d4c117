// SPDX-License-Identifier: GPL-2.0-or-later
// Rule group.iommu-not-coherent: VFIO refuses a device whose IOMMU cannot enforce cache-coherent
// DMA (IOMMU_CAP_CACHE_COHERENCY), as Arm SMMUs do when the firmware does not declare them coherent.
// Mirrors drivers/vfio/vfio_main.c __vfio_register_dev() ("VFIO always sets IOMMU_CACHE"; the check
// came with v5.19, e8ae0e140c05, first in vfio_group_find_or_alloc()), and drivers/iommu/arm/arm-smmu-v3
// arm_smmu_capable() / arm_smmu_device_hw_probe() (the firmware's COHACC override is used in preference
// to IDR0.COHACC); kernel-rules.md §4.4 item 1, §11 item 6. SMMUv1/v2 are not judged: their
// arm_smmu_capable() also accepts a DMA-coherent device, which this rule does not model.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/firmware_model.h"
#include "rules/kernel_audit.h"
#include "rules/rules.h"

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	const struct ia_firmware *fw = a->firmware;
	size_t n_smmu = 0;
	int rc = 0;

	if (!a->n_groups) {
		*why = "the kernel formed no IOMMU groups";
		return -ENODATA;
	}
	/* row vfio_requires_coherency (v5.19): VFIO did not check coherency before; a kernel the table
	 * cannot place is taken to check (the stricter verdict) */
	if (ia_kernel_has(a, IA_KB_VFIO_REQUIRES_COHERENCY) == IA_NO)
		return 0;
	if (!fw) {
		*why = "the firmware IOMMU facts are missing from the database";
		return -ENODATA;
	}
	/* per PCI function (in BDF order), the SMMUv3 translating it per firmware */
	for (size_t i = 0; rc == 0 && i < fw->n_unit_devs; i++) {
		const struct ia_fw_unit *u = &fw->units[fw->unit_devs[i].unit];
		if (strcmp(u->kind, "smmu-v3"))
			continue;
		const char *bdf = fw->unit_devs[i].bdf, *unit = u->name, *src = u->source, *kind = u->kind;
		n_smmu++;
		enum ia_tri coherent = ia_fw_unit_coherent(u);
		if (coherent == IA_YES)
			continue;
		const struct ia_dev *d = ia_audit_find_dev(a, bdf);
		if (!d || !d->has_group)
			continue;
		const struct ia_group *g = ia_audit_find_group(a, d->group);
		if (!g)
			continue;
		char evd[512], subject[32];
		snprintf(subject, sizeof(subject), "group %d", g->id);
		if (coherent == IA_UNKNOWN) {
			/* Fail closed: what arm_smmu_capable() answers depends on flags the audit could not
			 * read, so the group's verdict is unknown (engine_compose()), never assignable. */
			snprintf(evd, sizeof(evd), "%s %s %s: %s", src, kind, unit,
				 !strcmp(src, "IORT") ? "SMMUv3 node flags not read" :
				 !strcmp(src, "DT") ? "dma-coherent not read" : "no firmware description of its coherency");
			rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, bdf, NULL, evd,
					     "%s (%s) sits behind %s, whose cache coherency the firmware's description "
					     "could not tell: VFIO will not accept it if the SMMU is not coherent "
					     "(IOMMU_CAP_CACHE_COHERENCY), so whether it can be assigned is unknown",
					     bdf, subject, unit);
			ev->res->groups[g - a->groups].coherency_unknown = true;
			continue;
		}
		snprintf(evd, sizeof(evd), "%s %s %s: %s", src, kind, unit,
			 !strcmp(src, "DT") ? "no dma-coherent property" : "SMMUv3 node flags bit 0 (COHACC override) clear");
		rc = ia_rule_finding(ev, self, self->level, bdf, NULL, evd,
				     "%s (%s) sits behind %s, which the firmware does not declare cache coherent: VFIO "
				     "will not accept it (IOMMU_CAP_CACHE_COHERENCY)", bdf, subject, unit);
		if (rc == 0)
			rc = ia_rule_block(ev, self, (size_t)(g - a->groups), bdf,
					   "its SMMU is not cache coherent per firmware: VFIO refuses the device (-EINVAL), "
					   "since it always maps with IOMMU_CACHE", ia_rule_last_finding(ev));
	}
	if (rc == 0 && !n_smmu) {
		/* intel_iommu_capable() and amd_iommu_capable() report IOMMU_CAP_CACHE_COHERENCY for every
		 * device: with only VT-d and AMD-Vi units active, VFIO's check holds (kernel-rules.md §4.4) */
		bool x86_only = a->n_units > 0;
		for (size_t i = 0; i < a->n_units; i++)
			x86_only &= a->units[i].kind && (!strcmp(a->units[i].kind, "vt-d") || !strcmp(a->units[i].kind, "amd-vi"));
		if (x86_only)
			return 0;
		*why = "no PCI function is mapped to an Arm SMMUv3 by the firmware (IORT or device tree)";
		return -ENODATA;
	}
	return rc;
}

const struct ia_rule ia_rule_iommu_not_coherent = {
	.id = "group.iommu-not-coherent",
	.level = IA_LEVEL_ERROR,
	.summary = "A device's Arm SMMUv3 is not cache coherent per firmware, so VFIO refuses the device",
	.advice = "If the SMMU's table walks are coherent, fix the firmware (IORT SMMUv3 COHACC override flag, "
		  "or dma-coherent on the SMMU's device-tree node); otherwise the device cannot be assigned.",
	.refs = "drivers/vfio/vfio_main.c __vfio_register_dev() (v5.19, e8ae0e140c05); drivers/iommu/arm/"
		"arm-smmu-v3/arm-smmu-v3.c arm_smmu_capable(), arm_smmu_device_hw_probe(); kernel-rules.md §11 item 6, "
		"Appendix A.4",
	.eval = r_eval,
	.gives = IA_GIVES_COHERENCY,
	.kernel = (const enum ia_kb[]){ IA_KB_VFIO_REQUIRES_COHERENCY },
	.n_kernel = 1,
};
