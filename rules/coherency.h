/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Whether VFIO finds a PCI function's IOMMU cache coherent (IOMMU_CAP_CACHE_COHERENCY), for the
 * rule group.iommu-not-coherent and for plan's check of a group vfio-pci's probe would form. */
#ifndef IA_RULES_COHERENCY_H
#define IA_RULES_COHERENCY_H

#include "core/tri.h"
#include "model/audit.h"

/** What the audit knows of the IOMMU translating one PCI function, and its coherency. */
struct ia_coherency {
	/* "smmu-v3", "smmu" (SMMUv1/v2), "x86" (VT-d, AMD-Vi, or any IOMMU of an x86 host),
	 * "virtio-iommu-or-other" (a unit of another kind on x86), "other" (another kind elsewhere),
	 * or NULL: which IOMMU translates it is unknown */
	const char *kind;
	const char *unit;       /* the unit's name for messages (firmware or sysfs); NULL with kind NULL,
				   and for "x86" when no unit is linked */
	const char *source;     /* "IORT", "DT", "sysfs"; NULL where unit is */
	/* what device_iommu_capable(dev, IOMMU_CAP_CACHE_COHERENCY) answers on the audited release:
	 * IA_NO only where the facts prove it; IA_UNKNOWN where a fact or the release is missing */
	enum ia_tri coherent;
	const char *evidence;   /* static words for a finding's evidence line: why it is not IA_YES */
};

/**
 * ia_coherency_of() - the coherency VFIO's __vfio_register_dev() tests for PCI function @d
 * (drivers/vfio/vfio_main.c; drivers/iommu/arm/arm-smmu-v3 and arm-smmu arm_smmu_capable();
 * kernel-rules.md §4.4 item 1; rows arm_smmu_reports_coherency, arm_smmu_v2_device_coherent and
 * virtio_iommu_capable of rules/data/kernel_behaviours.csv).
 * The IOMMU is the firmware's unit paired with @d (struct ia_firmware.unit_devs), else the unit the
 * kernel links @d to (sysfs iommu), matched to a firmware unit by register base. An Arm SMMUv3 is
 * coherent per its firmware COHACC override (IORT flags bit 0, DT dma-coherent); an SMMUv1/v2 per
 * its coherent table walk (IORT flags bit 1, DT dma-coherent), else per the function's own DMA
 * coherency from 6.2 (6.1.y), which is not read (unknown); before 6.1 every Arm SMMU answers yes.
 * VT-d, AMD-Vi and every IOMMU of an x86 host answer yes (virtio-iommu from 6.0 and 5.19.9).
 * @a: the audit (firmware facts, units, kernel release); @d: one of a->devs (grouped or not).
 * Return: the answer; its strings are static or borrowed from @a.
 */
struct ia_coherency ia_coherency_of(const struct ia_audit *a, const struct ia_dev *d);

#endif
