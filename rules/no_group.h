/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Why a PCI function has no IOMMU group: the one explanation the reports, plan and policy print. */
#ifndef IA_RULES_NO_GROUP_H
#define IA_RULES_NO_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "model/audit.h"

/**
 * ia_no_group_reason() - why function @d has no kernel IOMMU group while an IOMMU is active
 * (ia_audit_iommu_active()), from the firmware's mapping of it (struct ia_firmware.unit_devs):
 * - an IOMMU's own function (class 0806) that no unit lists: an IOMMU does not translate itself;
 * - an Arm SMMUv3 StreamID another function already holds in a group: the SMMUv3 driver refuses
 *   the second master (arm_smmu_insert_master(): "stream ... already in tree", in later releases
 *   "Aliasing StreamID ... unsupported"): vfio-pci cannot bind it, a host driver can, and that
 *   group's domain translates its DMA;
 * - mapped to an SMMU (IORT or device tree), no driver bound, kernel before 6.15
 *   (arm64_groups_at_enumeration): the kernel configures a device's IOMMU when a driver probes
 *   it (of_dma_configure() or acpi_dma_configure() from really_probe()), so it has no group yet
 *   and binding vfio-pci would give it one;
 * - mapped to any other firmware unit: it is behind an IOMMU, yet the kernel gave it no group;
 * - mapped to none: not behind an IOMMU.
 * @a: the audit (firmware facts loaded); @d: one of a->devs without a group.
 * @buf, @cap: receive one sentence without a trailing period (truncated to @cap bytes; the longest
 *        fits in IA_NO_GROUP_REASON_MAX).
 * Return: true when the sentence is @d's own (every case but the last); false for "not behind an
 * IOMMU" (the generic sentence is written).
 */
#define IA_NO_GROUP_REASON_MAX 1024

/**
 * ia_no_group_until_probe() - whether function @d (no kernel group, IOMMU active) has none only
 * because no driver has probed it: the firmware maps it to an Arm SMMU, it shares no StreamID with
 * a grouped function, it is unbound, and the kernel forms a group at a driver's probe (row
 * arm64_groups_at_enumeration: before 6.15; of_dma_configure()/acpi_dma_configure() from
 * really_probe()). Binding vfio-pci then forms its group, as pci_device_group() would
 * (struct ia_dev.predicted_group). The case of ia_no_group_reason() that says "no group yet ...
 * binding vfio-pci would give it a group".
 */
bool ia_no_group_until_probe(const struct ia_audit *a, const struct ia_dev *d);

bool ia_no_group_reason(const struct ia_audit *a, const struct ia_dev *d, char *buf, size_t cap);

#endif
