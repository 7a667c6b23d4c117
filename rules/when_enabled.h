/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Groups before the IOMMU is on (issue 19): on a host whose IOMMU the kernel does not run (turned
 * off on the command line, a driver that never probed, a dump taken without one), what the kernel
 * would set up once it does: the ACS control pci_enable_acs() writes when an IOMMU driver has
 * called pci_request_acs(), which firmware-described unit takes each function, and the groups
 * pci_device_group() would then form. Evidence: the known answers' IOMMU-off pairs
 * (kernel-known-answers/<case>-iommu-off against <case>, same kernels).
 */
#ifndef IA_RULES_WHEN_ENABLED_H
#define IA_RULES_WHEN_ENABLED_H
#include <stdbool.h>
#include <stddef.h>

#include "core/tri.h"
#include "rules/rules.h"
#include "rules/topology.h"

/** Which IOMMU the firmware describes, the one a kernel would enable. */
enum ia_enable_iommu {
	IA_ENABLE_NONE,     /* no DMAR DRHD, IVRS IVHD, IORT SMMU node or device-tree IOMMU */
	IA_ENABLE_VTD,      /* Intel VT-d from the DMAR */
	IA_ENABLE_AMDVI,    /* AMD-Vi from the IVRS */
	IA_ENABLE_IORT,     /* Arm SMMU from the IORT (ACPI boot) */
	IA_ENABLE_DT,       /* Arm SMMU from the device tree */
};

/** What enabling the IOMMU would change, and the groups then (ia_when_enabled_predict()). */
struct ia_when_enabled {
	enum ia_enable_iommu iommu;
	const char *iommu_name;     /* "Intel VT-d (DMAR)", ... or NULL for IA_ENABLE_NONE (static) */
	bool firmware_unread;       /* IA_ENABLE_NONE because no ACPI table nor device tree was read:
				       which IOMMU the firmware describes is unknown, not "none" */
	char how[320];              /* what the operator changes: the boot line, the driver, the firmware */
	/* pci_enable_acs() with pci_acs_enable set: IA_YES the standard enable (SV, RR, CR, UF where the
	 * capability has them) runs at enumeration, IA_NO it does not (arm64 device-tree boots before
	 * 7.x request ACS only when a driver probes, after enumeration), IA_UNKNOWN not known for this
	 * release (the captured control is kept and every group is uncertain) */
	enum ia_tri acs_enable;
	char acs_note[768];         /* how the ACS state was derived (always set when iommu != NONE) */
	char probe_note[320];       /* arm64: when the kernel forms a group (row arm64_groups_at_enumeration), or "" */
	char uncertain[768];        /* why every group is uncertain, or "" */
	size_t n_uncovered;         /* functions no firmware unit covers (they get no group) */
	bool *refused;              /* per function: arm-smmu-v3 refuses it, a StreamID already taken
				       (NULL unless the IOMMU is an Arm SMMU) */
	size_t n_refused;
	struct ia_topo_groups *pred;/* the groups (NULL for IA_ENABLE_NONE or when the model failed) */
	struct ia_topo_model *model;/* the model they were formed on (owned, freed with the groups) */
};

/**
 * ia_when_enabled_predict() - the groups the kernel would form on this host once its IOMMU runs.
 * @ev:  the evaluation (its audit: firmware facts, command line, kernel release).
 * @cur: the topology input of the current state (engine_build_model()); its functions are copied,
 *       then each function's ACS control is set as pci_enable_acs() would set it (drivers/pci/pci.c
 *       pci_std_enable_acs(); the Intel SPT PCH dword layout, pci_quirk_enable_intel_spt_pch_acs();
 *       kernel-rules.md §2.3), except where pci=disable_acs_redir= or pci=config_acs= is on the
 *       command line (the kernel applies them over the firmware value with or without an IOMMU, so
 *       the captured control already is the result: kept, and the groups are marked uncertain).
 *       Coverage: a function (a VF through its PF) that no firmware unit lists gets no group
 *       (device_to_iommu(), rlookup_amd_iommu(), iort_iommu_configure_id(), of_iommu_configure()).
 * @out: filled; release with ia_when_enabled_free(). out->pred is NULL when the firmware describes
 *       no IOMMU (out->how then names the firmware switch) or the model could not be built.
 * Return: 0; -ENOMEM; the topology's error for an inconsistent input (ia_topo_model_new()).
 */
int ia_when_enabled_predict(const struct ia_eval *ev, const struct ia_topo *cur, struct ia_when_enabled *out);

/** ia_when_enabled_free() - release what ia_when_enabled_predict() allocated (accepts a zeroed struct). */
void ia_when_enabled_free(struct ia_when_enabled *w);

#endif
