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

#include "rules/rules.h"

/* Per PCI function: the SMMU translating it per firmware, and whether the firmware calls it coherent. */
static const char coherency_sql[] =
	"SELECT d.bdf, u.name, u.source, u.kind,"
	" CASE WHEN u.source = 'IORT' AND u.kind = 'smmu-v3' THEN u.flags & 1"
	"      WHEN u.source = 'DT' THEN u.dma_coherent END"
	" FROM fw_unit_device d JOIN fw_unit u ON u.id = d.unit_id"
	" WHERE u.kind = 'smmu-v3' ORDER BY d.bdf";

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	struct ia_audit *a = ev->a;
	sqlite3_stmt *st;
	size_t n_smmu = 0;
	int rc = 0;

	if (!a->n_groups) {
		*why = "the kernel formed no IOMMU groups";
		return -ENODATA;
	}
	if (a->has_kernel_version && (a->kernel_major < 5 || (a->kernel_major == 5 && a->kernel_minor < 19)))
		return 0; /* VFIO did not check coherency before 5.19 */
	if (sqlite3_prepare_v2(ev->db, coherency_sql, -1, &st, NULL) != SQLITE_OK) {
		*why = "the firmware IOMMU facts are missing from the database";
		return -ENODATA;
	}
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *bdf = (const char *)sqlite3_column_text(st, 0);
		const char *unit = (const char *)sqlite3_column_text(st, 1);
		const char *src = (const char *)sqlite3_column_text(st, 2);
		const char *kind = (const char *)sqlite3_column_text(st, 3);
		n_smmu++;
		if (sqlite3_column_type(st, 4) == SQLITE_NULL || sqlite3_column_int(st, 4))
			continue;
		const struct ia_dev *d = ia_audit_find_dev(a, bdf);
		if (!d || !d->has_group)
			continue;
		struct ia_group *g = ia_audit_find_group(a, d->group);
		if (!g)
			continue;
		char evd[512], subject[32];
		snprintf(evd, sizeof(evd), "%s %s %s: %s", src, kind, unit,
			 !strcmp(src, "DT") ? "no dma-coherent property" : "SMMUv3 node flags bit 0 (COHACC override) clear");
		ia_group_note(&g->blockers, &g->n_blockers, bdf, self->id,
			      "its SMMU is not cache coherent per firmware: VFIO refuses the device (-EINVAL), "
			      "since it always maps with IOMMU_CACHE");
		snprintf(subject, sizeof(subject), "group %d", g->id);
		rc = ia_rule_finding(ev, self, self->level, bdf, NULL, evd,
				     "%s (%s) sits behind %s, which the firmware does not declare cache coherent: VFIO "
				     "will not accept it (IOMMU_CAP_CACHE_COHERENCY)", bdf, subject, unit);
	}
	sqlite3_finalize(st);
	if (rc == 0 && !n_smmu) {
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
};
