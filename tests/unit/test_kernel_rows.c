// SPDX-License-Identifier: GPL-2.0-or-later
// Every row of the kernel behaviour table (rules/data/kernel_behaviours.csv) that a rule reads: a
// must-fire and a must-not-fire case on an edited kernel known-answer capture, run through the binary.
#include "testutil.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/kernel_behaviour.h"

#define KKA IA_SHARED_DIR "/fixtures/kernel-known-answers"

/*
 * One case: capture @capture (a run-<kernel> folder) unpacked, proc/version's release set to
 * @release (a plain upstream "X.Y.Z": the stable level is the third number, no distribution
 * suffix; or a distribution's ABI release such as "6.12.0-27-amd64", which hides it), then @edit run in the tree's root (sh; NULL for none), then the text report read:
 * @want must be in it and @unwanted (NULL: nothing) must not. @fire: the row holds on @release.
 * Each pair is chosen at the row's release boundary, so moving the row's release in the CSV fails
 * one of the pair.
 */
struct row_case {
	enum ia_kb row;
	bool fire;
	const char *capture, *release, *edit, *want, *unwanted;
	const char *kernel_line; /* the kernel code the expected words follow */
	const char *pasid;       /* a function given a PASID capability (row_add_pasid()), or NULL */
};

/* 06:00.0 (pcie-pci-bridge) is bound to shpchp in every arm case after vfio_bind_all */
#define ITS612 "arm-acpi-its-smmuv3/run-6.12"
#define DTOFF73 "arm-dt-its-smmuv3-iommu-off/run-7.3"
/* one function (03:00.0) routed to a GICv2m frame instead of the ITS; the other groups stay on the ITS */
#define MSI_EDIT "sed -i 's/ITS-PCI-MSI-0000:03:00.0/GICv2m-PCI-MSI-0000:03:00.0/' proc/interrupts"
/* x86 with interrupt remapping enabled: 0000:01:00.0 (group 8, vfio-pci) gains an MSI whose chip has
 * no "IR-" parent, so it bypasses the remapping unit */
#define X86ACS612 "x86-intel-acs/run-6.12"
#define IR_BYPASS_EDIT "printf ' 40:          0          0  PCI-MSI-0000:01:00.0    0-edge      vfio-msi[0](0000:01:00.0)\\n' >> proc/interrupts"
/* a firmware 1:1 region in group 9 (0000:01:00.0 on vfio-pci, assignable on 6.12) */
#define NOIOMMU_ON "mkdir -p sys/module/vfio/parameters && echo Y > sys/module/vfio/parameters/enable_unsafe_noiommu_mode"
#define X86OFF612 "x86-intel-acs-iommu-off/run-6.12"
/* a no-IOMMU group in use: its /dev/vfio/noiommu-0 node */
#define NOIOMMU_NODE "touch dev/vfio/noiommu-0"
/* the same with iommufd serving /dev/vfio/vfio (CONFIG_IOMMUFD_VFIO_CONTAINER, no vfio_iommu_type1) */
#define NOIOMMU_IOMMUFD_NODE NOIOMMU_NODE " && printf 'CONFIG_VFIO=m\\nCONFIG_IOMMUFD=m\\n" \
	"CONFIG_IOMMUFD_VFIO_CONTAINER=y\\nCONFIG_VFIO_NOIOMMU=y\\n' | gzip > proc/config.gz"
/* group 2 of x86-intel-noacs-mf holds 15 functions; 0000:01:00.0 (e1000e) gains a PASID capability */
#define MF612 "x86-intel-noacs-mf/run-6.12"
#define AMD612 "x86-amd-iommu/run-6.12"
#define SVA_DEV "0000:01:00.0"
/* 0000:02:00.0 (group 9, under root port 00:02.1) moved into group 8 (0000:01:00.0, under 00:02.0) */
#define MERGE_EDIT "mv sys/kernel/iommu_groups/9/devices/0000:02:00.0 sys/kernel/iommu_groups/8/devices/ && " \
	"ln -sfn ../../../../kernel/iommu_groups/8 sys/devices/pci0000:00/0000:00:02.1/0000:02:00.0/iommu_group && " \
	"rm -rf sys/kernel/iommu_groups/9"
/* the device-tree board's 08:00.0/08:00.1 moved out of group 0 into a group 7 of their own: one
 * isolation domain (root ports with ACS left off) across two kernel groups */
#define DT_SPLIT_EDIT "mkdir -p sys/kernel/iommu_groups/7/devices && cp sys/kernel/iommu_groups/0/type " \
	"sys/kernel/iommu_groups/0/reserved_regions sys/kernel/iommu_groups/7/ && for f in 0000:08:00.0 0000:08:00.1; do " \
	"mv sys/kernel/iommu_groups/0/devices/$f sys/kernel/iommu_groups/7/devices/ && ln -sfn " \
	"../../../../../../kernel/iommu_groups/7 sys/devices/platform/4010000000.pcie/pci0000:00/0000:00:02.3/$f/iommu_group; done"
#define DIRECT_EDIT "echo '0x00000000fee00000 0x00000000feefffff direct' >> sys/kernel/iommu_groups/9/reserved_regions"

static const struct row_case cases[] = {
	{ IA_KB_DMA_OWNERSHIP, true, ITS612, "5.19.0", NULL,
	  "bound to shpchp, a kernel driver without driver_managed_dma: it owns the group's DMA",
	  "before v5.19, vfio_dev_viable() allows any driver",
	  "drivers/iommu/iommu.c iommu_device_use_default_domain(): owner_cnt counts shpchp (no driver_managed_dma)", NULL },
	{ IA_KB_DMA_OWNERSHIP, false, ITS612, "5.18.19", NULL,
	  "a bridge bound to shpchp (before v5.19, vfio_dev_viable() allows any driver on a function whose "
	  "header type is not 0)", "without driver_managed_dma",
	  "drivers/vfio/vfio.c vfio_dev_viable() (5.18): vfio_dev_driver_allowed() takes any non-type-0 header", NULL },
	/* the BUG_ON hazard goes with the allow-list (dma_ownership's row): every group on vfio-pci warns,
	 * naming the endpoints only (group 7's bridge 06:00.0 may take any driver) */
	{ IA_KB_DMA_OWNERSHIP, false, ITS612, "5.18.19", NULL,
	  "this kernel predates DMA ownership (v5.19): while VFIO uses group 7, a kernel driver other than pci-stub "
	  "or a VFIO driver binding to 0000:07:01.0 crashes the host (BUG_ON in vfio_iommu_group_notifier(): vfio_dev_viable() "
	  "refuses the driver)", NULL,
	  "drivers/vfio/vfio.c vfio_iommu_group_notifier() (5.18): BUG_ON(vfio_group_nb_verify(group, dev))", NULL },
	{ IA_KB_DMA_OWNERSHIP, true, ITS612, "5.19.0", NULL, "  kernel 5.19.0 (", "BUG_ON in vfio_iommu_group_notifier",
	  "drivers/vfio/vfio.c (5.19): the group notifier is gone (\"vfio: Remove iommu group notifier\")", NULL },
	{ IA_KB_VFIO_ALLOWLIST, true, ITS612, "3.6.0", NULL,
	  "bound to shpchp, a driver vfio_dev_viable() does not allow before v5.19", "predates VFIO (",
	  "drivers/vfio/vfio.c vfio_dev_viable() (3.6): vfio_whitelist[] = { \"pci-stub\" }", NULL },
	{ IA_KB_VFIO_ALLOWLIST, false, ITS612, "3.5.7", NULL,
	  "Linux 3.5 predates VFIO (vfio_allowlist: Linux 3.6 and later): no group can be handed to userspace",
	  "bound to shpchp, a driver vfio_dev_viable() does not allow", "drivers/vfio/ does not exist in 3.5", NULL },
	{ IA_KB_VFIO_BRIDGE_ALLOWED, true, ITS612, "4.13.0", NULL,
	  "a bridge bound to shpchp (before v5.19, vfio_dev_viable() allows any driver", "does not allow before v5.19",
	  "drivers/vfio/vfio.c vfio_dev_whitelisted(): pdev->hdr_type != PCI_HEADER_TYPE_NORMAL", NULL },
	{ IA_KB_VFIO_BRIDGE_ALLOWED, false, ITS612, "4.12.14", NULL,
	  "bound to shpchp, a driver vfio_dev_viable() does not allow before v5.19", "allows any driver",
	  "drivers/vfio/vfio.c vfio_dev_viable() (4.12): only pci-stub and VFIO drivers", NULL },
	{ IA_KB_MSI_ISOLATION_PER_GROUP, true, ITS612, "6.3.0", MSI_EDIT,
	  "Linux 6.3 and later test each group (iommu_group_has_isolated_msi()): 1 group refused, 10 isolated",
	  "0 of 11 IOMMU groups can be safely handed",
	  "drivers/vfio/vfio_iommu_type1.c vfio_iommu_type1_attach_group(): !iommu_group_has_isolated_msi(iommu_group)", NULL },
	{ IA_KB_MSI_ISOLATION_PER_GROUP, false, ITS612, "6.2.16", MSI_EDIT,
	  "0 of 11 IOMMU groups can be safely handed", "test each group",
	  "drivers/vfio/vfio_iommu_type1.c (6.2): msi_remap = irq_domain_check_msi_remap() || IOMMU_CAP_INTR_REMAP", NULL },
	{ IA_KB_MSI_ISOLATION_PER_GROUP, true, X86ACS612, "6.3.0", IR_BYPASS_EDIT,
	  "Linux 6.3 and later test each group (iommu_group_has_isolated_msi()): 1 group refused, 13 isolated",
	  "Linux before 6.3 accepts every group anyway",
	  "drivers/iommu/intel/irq_remapping.c (6.3, f188bdb5f1df): IRQ_DOMAIN_FLAG_ISOLATED_MSI on the IR domain only; "
	  "kernel/irq/msi.c msi_device_has_isolated_msi()", NULL },
	{ IA_KB_MSI_ISOLATION_PER_GROUP, false, X86ACS612, "6.2.16", IR_BYPASS_EDIT,
	  "before Linux 6.3 VFIO takes every group while interrupt remapping is enabled, even one whose device's "
	  "MSIs bypass it", "test each group",
	  "drivers/vfio/vfio_iommu_type1.c (6.2): irq_domain_check_msi_remap() || vfio_iommu_device_capable(); "
	  "drivers/iommu/intel/iommu.c intel_iommu_capable(): IOMMU_CAP_INTR_REMAP is irq_remapping_enabled == 1", NULL },
	{ IA_KB_REQUIRE_DIRECT, true, ITS612, "6.6.0", DIRECT_EDIT,
	  "group 9 has a firmware 1:1 region (RMRR/IVMD/RMR): userspace can never own it", "does not refuse",
	  "drivers/iommu/iommu.c __iommu_device_set_domain(): dev->iommu->require_direct -EINVAL", NULL },
	{ IA_KB_REQUIRE_DIRECT, false, ITS612, "6.5.13", DIRECT_EDIT,
	  "group 9 has a firmware 1:1 region (IVMD/RMR): Linux 6.5 on smmu-v3 does not refuse userspace ownership",
	  "userspace can never own it",
	  "drivers/iommu/intel/iommu.c intel_iommu_attach_device() (6.5): only VT-d refuses an RMRR", NULL },
	{ IA_KB_IOMMUFD, true, ITS612, "6.2.0", NULL,
	  "Other VFIO path: iommufd (/dev/iommu, the VFIO device cdev), whether this kernel has it is unknown: no "
	  "kernel configuration was read",
	  "has no iommufd", "drivers/iommu/iommufd/main.c (new in 6.2): /dev/iommu", NULL },
	{ IA_KB_IOMMUFD, false, ITS612, "6.1.192", NULL,
	  "Other VFIO path: iommufd (/dev/iommu, the VFIO device cdev), not in this kernel: Linux 6.1 has no iommufd",
	  NULL, "drivers/iommu/iommufd/ does not exist in 6.1", NULL },
	{ IA_KB_ARM64_DT_ACS_AT_ENUMERATION, true, DTOFF73, "7.3.4", NULL,
	  "ACS: Linux 7.3 enables ACS at enumeration on a device-tree boot", "leaves ACS as the firmware set it",
	  "known answer arm-dt-its-smmuv3/run-7.3 (ACSCtl SV+ RR+ CR+ UF+ with the SMMU off): pci_enable_acs()", NULL },
	{ IA_KB_ARM64_DT_ACS_AT_ENUMERATION, false, DTOFF73, "6.12.117", NULL,
	  "ACS: Linux 6.12 on a device-tree boot leaves ACS as the firmware set it", "enables ACS at enumeration",
	  "drivers/iommu/of_iommu.c of_iommu_configure() (6.12): pci_request_acs() from a driver's probe only", NULL },
	{ IA_KB_ARM64_GROUPS_AT_ENUMERATION, true, DTOFF73, "7.3.4", NULL,
	  "the kernel would form 12 IOMMU groups;", "forms a function's group when a driver probes it",
	  "known answer arm-dt-its-smmuv3/run-7.3: the driverless host bridge 00:00.0 has a group", NULL },
	{ IA_KB_ARM64_GROUPS_AT_ENUMERATION, false, DTOFF73, "6.12.117", NULL,
	  "Groups: Linux 6.12 on arm64 forms a function's group when a driver probes it", "would form 12 IOMMU groups;",
	  "drivers/base/dd.c really_probe() -> of_dma_configure() -> iommu_probe_device() (6.12)", NULL },
	/* the SVA rows: device.sva's evidence on a PASID-capable function in a 15-function group */
	{ IA_KB_SVA_ANY_GROUP_SIZE, true, MF612, "6.2.0", NULL,
	  "the group has 15 devices: a PASID DMA can reach a group peer's MMIO by address (the kernel allows it "
	  "since 6.2", "bind SVA only in single-device groups",
	  "drivers/iommu/iommu-sva.c iommu_sva_bind_device() (6.2): no group-size test", SVA_DEV },
	{ IA_KB_SVA_ANY_GROUP_SIZE, false, MF612, "6.1.162", NULL,
	  "the group has 15 devices: kernels before 6.2 bind SVA only in single-device groups", "the kernel allows it since 6.2",
	  "drivers/iommu/iommu.c iommu_sva_bind_device() (6.1): if (iommu_group_device_count(group) != 1) -EINVAL", SVA_DEV },
	{ IA_KB_PASID_ACS_PATH, true, MF612, "6.2.0", NULL,
	  "ACS Request Redirect and Upstream Forwarding are not enabled at 0000:00:02.0: pci_enable_pasid() refuses "
	  "(needed since 6.2)", "enables PASID without that check",
	  "drivers/pci/ats.c pci_enable_pasid() (6.2): if (!pci_acs_path_enabled(pdev, NULL, PCI_ACS_RR | PCI_ACS_UF)) -EINVAL",
	  SVA_DEV },
	{ IA_KB_PASID_ACS_PATH, false, MF612, "6.1.162", NULL,
	  "ACS Request Redirect and Upstream Forwarding are not enabled at 0000:00:02.0, and this kernel (before 6.2) "
	  "enables PASID without that check", "(needed since 6.2)", "drivers/pci/ats.c pci_enable_pasid() (6.1): no ACS test",
	  SVA_DEV },
	{ IA_KB_SVA_X86_DISABLED, true, MF612, "6.1.163", NULL,
	  "Linux 6.1.163 on x86: 6.1.163 and later stable releases disable SVA on x86 (\"iommu: disable SVA when "
	  "CONFIG_X86 is set\")", NULL,
	  "drivers/iommu/iommu.c iommu_sva_bind_device() (6.1.163): if (IS_ENABLED(CONFIG_X86)) return ERR_PTR(-EOPNOTSUPP)",
	  SVA_DEV },
	{ IA_KB_SVA_X86_DISABLED, false, MF612, "6.1.162", NULL,
	  "0000:01:00.0 has a PASID capability but shared virtual addressing is not viable", "disable SVA on x86",
	  "drivers/iommu/iommu.c iommu_sva_bind_device() (6.1.162): no architecture test", SVA_DEV },
	{ IA_KB_VFIO_NOIOMMU, true, ITS612, "4.5.0", NULL,
	  "VFIO no-IOMMU mode: unavailable: vfio is loaded (proc/modules) without an enable_unsafe_noiommu_mode "
	  "parameter", "predates VFIO no-IOMMU mode",
	  "drivers/vfio/Kconfig (4.5): config VFIO_NOIOMMU; drivers/vfio/vfio.c module_param_named(enable_unsafe_noiommu_mode)", NULL },
	{ IA_KB_VFIO_NOIOMMU, false, ITS612, "4.4.0", NULL,
	  "VFIO no-IOMMU mode: unavailable: Linux 4.4 predates VFIO no-IOMMU mode (vfio_noiommu: Linux 4.5 and later)",
	  NULL, "drivers/vfio/vfio.c (4.4): no CONFIG_VFIO_NOIOMMU, no enable_unsafe_noiommu_mode", NULL },
	{ IA_KB_NOIOMMU_GROUPLESS_DEVICE, true, ITS612, "5.19.0", NOIOMMU_ON,
	  "with the IOMMU active, 2 functions without an IOMMU group (0000:00:00.0, ...) would get a no-IOMMU group "
	  "once bound to vfio-pci", "iommu_present()",
	  "drivers/vfio/vfio.c vfio_group_find_or_alloc() (5.19): if (!iommu_group && noiommu) vfio_noiommu_group_alloc()", NULL },
	{ IA_KB_NOIOMMU_GROUPLESS_DEVICE, false, ITS612, "5.18.19", NOIOMMU_ON,
	  "but Linux 5.18 gives a no-IOMMU group only to a device whose bus has no IOMMU (vfio_iommu_group_get(): "
	  "iommu_present()), and the IOMMU is active on PCI: none of the 2 functions", "would get a no-IOMMU group",
	  "drivers/vfio/vfio.c (5.18): if (!iommu_group && noiommu && !iommu_present(dev->bus))", NULL },
	/* the cdev rows: a no-IOMMU group in use on an x86 host whose IOMMU is off */
	{ IA_KB_VFIO_DEVICE_CDEV, true, X86OFF612, "6.6.0", NOIOMMU_NODE,
	  "group 0 is driven through VFIO no-IOMMU mode (Linux 6.6 creates no /dev/vfio/devices/vfioN for a no-IOMMU "
	  "device: only its group's /dev/vfio/noiommu-N serves it)", NULL,
	  "drivers/vfio/vfio.h vfio_device_add() (6.6): /* cdev does not support noiommu device */", NULL },
	{ IA_KB_VFIO_DEVICE_CDEV, false, X86OFF612, "6.5.13", NOIOMMU_NODE,
	  "group 0 is driven through VFIO no-IOMMU mode: no-IOMMU mode gives", "/dev/vfio/devices/vfioN",
	  "drivers/vfio/ (6.5): no device_cdev.c, no /dev/vfio/devices", NULL },
	/* x86-amd-iommu's captures have no removable attributes and its IVRS does not opt in */
	/* (from 5.14 no attribute anywhere means no removable function: the rule is evaluated, quietly) */
	{ IA_KB_PCI_REMOVABLE_ATTR, true, AMD612, "5.14.0", NULL,
	  "  kernel 5.14.0 (", "host.external-dma [rule.not-evaluated]",
	  "drivers/pci/probe.c pci_set_removable() (5.14): dev_set_removable(DEVICE_REMOVABLE) only for a "
	  "function below an external-facing port or a removable bridge; the others keep no attribute", NULL },
	{ IA_KB_PCI_REMOVABLE_ATTR, false, AMD612, "5.13.19", NULL,
	  "the audited kernel predates it (from Linux 5.14 each PCI function the kernel deems removable has one)",
	  NULL, "drivers/pci/ (5.13): no pci_set_removable(), no removable attribute for PCI functions", NULL },
	{ IA_KB_NOIOMMU_IOMMUFD_COMPAT, true, X86OFF612, "6.3.0", NOIOMMU_IOMMUFD_NODE,
	  "/dev/vfio/vfio is iommufd's compat container, which takes a no-IOMMU group from Linux 6.3 on "
	  "(iommufd_vfio_compat_set_no_iommu())", "do not fit",
	  "drivers/iommu/iommufd/vfio_compat.c iommufd_vfio_set_iommu() (6.3): type == VFIO_NOIOMMU_IOMMU && "
	  "ictx->no_iommu_mode", NULL },
	{ IA_KB_NOIOMMU_IOMMUFD_COMPAT, false, X86OFF612, "6.2.16", NOIOMMU_IOMMUFD_NODE,
	  "only from Linux 6.3 on (before it, no-IOMMU mode needs the legacy container): these facts do not fit "
	  "Linux 6.2 as released (a backport?)", "from Linux 6.3 on (iommufd",
	  "drivers/iommu/iommufd/vfio_compat.c iommufd_vfio_set_iommu() (6.2): only VFIO_TYPE1_IOMMU and "
	  "VFIO_TYPE1v2_IOMMU", NULL },
	/* pci_config_acs (6.11): the device-tree boot's isolation domain (root ports with ACS left off,
	 * split across two groups by DT_SPLIT_EDIT) is fixed by a 7.0 kernel, or from 6.11 by pci=config_acs= */
	{ IA_KB_PCI_CONFIG_ACS, true, "arm-dt-its-smmuv3/run-6.12", "6.11.0", DT_SPLIT_EDIT,
	  "leaves off on a device-tree boot (enabled at enumeration in Linux 7.0 and later): boot such a kernel, or set "
	  "SV, RR, CR and UF on them with pci=config_acs=", "came in 6.11",
	  "drivers/pci/pci.c pci_configure_acs() (6.11, 47c8846a49ba)", NULL },
	{ IA_KB_PCI_CONFIG_ACS, false, "arm-dt-its-smmuv3/run-6.12", "6.10.14", DT_SPLIT_EDIT,
	  "boot such a kernel (pci=config_acs=, which sets them at boot, came in 6.11)", "set SV, RR, CR and UF on them",
	  "drivers/pci/pci.c (6.10): config_acs= does not exist", NULL },
	/* acs_enabled_after_groups ("6.12.75-82" on 6.12): the kernel's group 8 given 0000:02:00.0 of
	 * group 9 (a merge the topology does not make) is explained by the release inside the window,
	 * and is an unmodelled alias or quirk at both its ends; with the IOMMU off, the groups once it
	 * is on follow the firmware's ACS control inside the window */
	{ IA_KB_ACS_ENABLED_AFTER_GROUPS, true, X86ACS612, "6.12.75", MERGE_EDIT,
	  "Linux 6.12.75 forms IOMMU groups before it enables ACS (a stable backport of c41e2fb67e26, since "
	  "reverted), so its groups follow the ACS control the firmware left", "this version does not model",
	  "drivers/pci/pci-driver.c pci_dma_configure() (6.12.75): pci_enable_acs() after the driver's probe, "
	  "before 6.15 after iommu_init_device()", NULL },
	{ IA_KB_ACS_ENABLED_AFTER_GROUPS, false, X86ACS612, "6.12.83", MERGE_EDIT,
	  "(a DMA alias or quirk this version does not model)", "before it enables ACS",
	  "drivers/pci/probe.c pci_init_capabilities() pci_acs_init() (6.12.83, the backport reverted)", NULL },
	{ IA_KB_ACS_ENABLED_AFTER_GROUPS, false, X86ACS612, "6.12.74", MERGE_EDIT,
	  "(a DMA alias or quirk this version does not model)", "before it enables ACS",
	  "drivers/pci/probe.c pci_init_capabilities() pci_acs_init() (6.12.74, before the backport)", NULL },
	{ IA_KB_ACS_ENABLED_AFTER_GROUPS, false, X86ACS612, "6.12.0-27-amd64", MERGE_EDIT,
	  "(a DMA alias or quirk this version does not model, or forming groups before enabling ACS as some stable "
	  "releases do: this kernel's stable level is not known)", "forms IOMMU groups before it enables ACS (a stable",
	  "the stable level hidden (Debian's ABI release alone): inside or outside 6.12.75-82 is not known", NULL },
	{ IA_KB_ACS_ENABLED_AFTER_GROUPS, true, X86OFF612, "6.12.82", NULL,
	  "Linux 6.12.82 forms IOMMU groups before it enables ACS (a stable backport of c41e2fb67e26, since "
	  "reverted: acs_enabled_after_groups:", "sets SV, RR, CR and UF wherever",
	  "drivers/iommu/intel/iommu.c intel_iommu_init() forms the groups at boot, before pcieport's probe "
	  "enables ACS (6.12.82)", NULL },
	{ IA_KB_ACS_ENABLED_AFTER_GROUPS, false, X86OFF612, "6.12.83", NULL,
	  "so pci_enable_acs() sets SV, RR, CR and UF wherever the ACS capability has them", "before it enables ACS",
	  "drivers/pci/pci.c pci_acs_init() at enumeration (6.12.83)", NULL },
	/* noiommu_cdev is 7.3: before it no cdev for a no-IOMMU device, from it one (noiommu-vfioN) */
	{ IA_KB_NOIOMMU_CDEV, false, X86OFF612, "6.12.117", NOIOMMU_NODE,
	  "(Linux 6.12 creates no /dev/vfio/devices/vfioN for a no-IOMMU device", NULL,
	  "drivers/vfio/vfio.h vfio_device_add() (6.12): if (vfio_device_is_noiommu(device)) return device_add()", NULL },
	{ IA_KB_NOIOMMU_CDEV, true, X86OFF612, "7.3.0", NOIOMMU_NODE,
	  "(Linux 7.3 also gives each device a cdev, /dev/vfio/devices/noiommu-vfioN, bound through iommufd",
	  "creates no /dev/vfio/devices/vfioN",
	  "drivers/vfio/vfio.h vfio_device_add() (7.3, e8efdf02d3a9): a no-IOMMU device gets its cdev", NULL },
	{ IA_KB_NOIOMMU_CDEV, true, X86OFF612, "7.3.0", NOIOMMU_IOMMUFD_NODE,
	  "driven through VFIO no-IOMMU mode", "noiommu-vfioN",
	  "a configuration without CONFIG_VFIO_DEVICE_CDEV: vfio_device_add() makes no cdev for any device", NULL },
	{ IA_KB_NOIOMMU_CDEV, false, X86OFF612, "7.2.9", NOIOMMU_NODE,
	  "(Linux 7.2 creates no /dev/vfio/devices/vfioN for a no-IOMMU device", "noiommu-vfioN",
	  "drivers/vfio/vfio.h vfio_device_add() (7.2): if (vfio_device_is_noiommu(device)) return device_add()", NULL },
};

/* Give the function whose config file is @path a PASID extended capability (PCIe Base 7.8.8, ID
 * 0x001b, Max PASID Width 20) at offset 0xf00, linked after the last capability of the chain. */
static void row_add_pasid(const char *path)
{
	size_t len = 0;
	uint8_t *b = ia_slurp(path, &len);

	assert_non_null(b);
	assert_true(len >= 0x1000);
	uint32_t off = 0x100, h = 0;
	for (int guard = 0; guard < 64; guard++) {
		h = (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 | (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 3] << 24;
		uint32_t next = (h >> 20) & 0xffc;
		if (!next || next >= 0xf00)
			break;
		off = next;
	}
	h = (h & 0x000fffffu) | 0xf00u << 20;
	const uint8_t link[4] = { (uint8_t)h, (uint8_t)(h >> 8), (uint8_t)(h >> 16), (uint8_t)(h >> 24) };
	const uint8_t pasid[8] = { 0x1b, 0x00, 0x01, 0x00, 0x00, 0x14, 0x00, 0x00 };
	memcpy(b + off, link, 4);
	memcpy(b + 0xf00, pasid, 8);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(b);
}

/* Unpack, edit, audit; the text report (malloc'd). */
static char *row_report(const struct row_case *c)
{
	char cmd[2048];
	int status;

	assert_int_equal(ia_scratch_make("kbrow"), 0);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir root && tar xzf %s/%s/snapshot.tar.gz -C root && cd root && "
		 "sed -i '1s/^Linux version [^ ]*/Linux version %s/; 1s/ Debian [0-9][^ ]* / /' proc/version%s%s",
		 ia_scratch, KKA, c->capture, c->release, c->edit ? " && " : "", c->edit ? c->edit : "");
	char *out = ia_run_capture(cmd, &status);
	assert_non_null(out);
	if (status != 0)
		fail_msg("%s: preparing the tree failed (%d): %s", c->capture, status, out);
	free(out);
	if (c->pasid) {
		snprintf(cmd, sizeof(cmd), "%s/root/sys/bus/pci/devices/%s/config", ia_scratch, c->pasid);
		row_add_pasid(cmd);
	}
	snprintf(cmd, sizeof(cmd), "--root %s/root --no-names --fail-on never", ia_scratch);
	out = ia_run_tool(cmd, &status);
	if (status != 0)
		fail_msg("%s at %s: exit status %d:\n%s", c->capture, c->release, status, out);
	/* the release is the one the table was read with */
	char line[64];
	snprintf(line, sizeof(line), "  kernel %s (", c->release);
	if (!strstr(out, line))
		fail_msg("%s: the report does not say it audited %s:\n%.600s", c->capture, c->release, out);
	ia_scratch_remove();
	return out;
}

static void test_every_row_case(void **state)
{
	(void)state;
	size_t failed = 0;

	ia_require_fixtures();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct row_case *c = &cases[i];
		char *t = row_report(c);
		print_message("%s %s: %s at %s (%s)\n", ia_kb_id(c->row), c->fire ? "fires" : "does not fire",
			      c->capture, c->release, c->kernel_line);
		if (!strstr(t, c->want)) {
			print_error("FAILED %s (%s at %s): no \"%s\" in the report\n", ia_kb_id(c->row), c->capture,
				    c->release, c->want);
			failed++;
		}
		if (c->unwanted && strstr(t, c->unwanted)) {
			print_error("FAILED %s (%s at %s): \"%s\" in the report\n", ia_kb_id(c->row), c->capture,
				    c->release, c->unwanted);
			failed++;
		}
		free(t);
	}
	assert_int_equal(failed, 0);
}

/* Every row some code reads has both cases here; the rows nothing reads are named, so a row that
 * gains a reader without a case fails this test. */
static void test_every_row_covered(void **state)
{
	(void)state;
	static const enum ia_kb unread_or_in_memory[] = {
		/* read by no rule: documentation of what changed */
		IA_KB_RESV_DIRECT_RELAXABLE,
		/* need an SMMU without COHACC or a coherent walk, a virtio-iommu, or a quirked switch's
		 * IDs, which no capture has: tested on in-memory models (test_rule_units, test_topology) */
		IA_KB_VFIO_REQUIRES_COHERENCY, IA_KB_ACS_QUIRKS_7_0, IA_KB_ACS_SV_CAP_FIXUP,
		IA_KB_ARM_SMMU_REPORTS_COHERENCY, IA_KB_ARM_SMMU_V2_DEVICE_COHERENT, IA_KB_VIRTIO_IOMMU_CAPABLE,
	};
	for (size_t r = 0; r < IA_KB_COUNT; r++) {
		bool fire = false, quiet = false, exempt = false;
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			if (cases[i].row == (enum ia_kb)r) {
				fire |= cases[i].fire;
				quiet |= !cases[i].fire;
			}
		for (size_t i = 0; i < sizeof(unread_or_in_memory) / sizeof(*unread_or_in_memory); i++)
			exempt |= unread_or_in_memory[i] == (enum ia_kb)r;
		if (!exempt && !(fire && quiet))
			fail_msg("row %s has no %s case on a capture", ia_kb_id((enum ia_kb)r), fire ? "must-not-fire" : "must-fire");
	}
}

/* Issue 12 item 5: the text report's path line says what the verdicts assumed about the kernel,
 * as JSON host.kernel_upstream.assumed does (ia_kver_assumed()): nothing for an exact release, the
 * stable level for Debian's ABI release without its package version, all for no release. */
static void test_text_says_assumed(void **state)
{
	static const struct { const char *edit, *want, *unwanted; } tc[] = {
		{ "true", NULL, "the verdicts assume" },
		{ "sed -i '1s/^Linux version [^ ]*/Linux version 6.12.0-27-arm64/; 1s/ Debian [0-9][^ ]* / /' proc/version",
		  "VFIO path judged (the default): the legacy container (/dev/vfio/vfio), in this kernel: sys/module/vfio_iommu_type1 "
		  "exists (no kernel configuration was read); sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts "
		  "reads N; the verdicts assume: the upstream stable level of Linux 6.12 is not known (the distribution's "
		  "release hides it)", NULL },
		{ "rm proc/version", "; the verdicts assume: the kernel release is unknown: every behaviour that changed "
		  "between releases is taken as unknown", NULL },
	};
	char cmd[2048];
	int status;

	(void)state;
	ia_require_fixtures();
	for (size_t i = 0; i < sizeof(tc) / sizeof(*tc); i++) {
		assert_int_equal(ia_scratch_make("kbassume"), 0);
		snprintf(cmd, sizeof(cmd), "cd %s && mkdir root && tar xzf %s/%s/snapshot.tar.gz -C root && cd root && %s",
			 ia_scratch, KKA, ITS612, tc[i].edit);
		char *out = ia_run_capture(cmd, &status);
		assert_int_equal(status, 0);
		free(out);
		snprintf(cmd, sizeof(cmd), "--root %s/root --no-names --fail-on never", ia_scratch);
		out = ia_run_tool(cmd, &status);
		assert_int_equal(status, 0);
		if (tc[i].want && !strstr(out, tc[i].want))
			fail_msg("case %zu: no \"%s\" in:\n%s", i, tc[i].want, out);
		if (tc[i].unwanted && strstr(out, tc[i].unwanted))
			fail_msg("case %zu: \"%s\" in:\n%s", i, tc[i].unwanted, out);
		free(out);
		ia_scratch_remove();
	}
}

/* Row msi_isolation_per_group in plan: planning 0000:01:00.0 (group 9, its MSIs on the ITS) on the
 * capture whose 0000:03:00.0 was moved to GICv2m: from 6.3 nothing stops the plan for MSIs
 * (iommu_group_has_isolated_msi() of group 9), before it the host-wide test refuses every group. */
static void test_plan_msi_per_group(void **state)
{
	static const struct { const char *release; bool blocked; } tc[] = { { "6.3.0", false }, { "6.2.16", true } };
	char cmd[2048];
	int status;

	(void)state;
	ia_require_fixtures();
	for (size_t i = 0; i < sizeof(tc) / sizeof(*tc); i++) {
		assert_int_equal(ia_scratch_make("kbplan"), 0);
		snprintf(cmd, sizeof(cmd), "cd %s && mkdir root && tar xzf %s/%s/snapshot.tar.gz -C root && cd root && "
			 "sed -i '1s/^Linux version [^ ]*/Linux version %s/; 1s/ Debian [0-9][^ ]* / /' proc/version && %s",
			 ia_scratch, KKA, ITS612, tc[i].release, MSI_EDIT);
		char *out = ia_run_capture(cmd, &status);
		assert_int_equal(status, 0);
		free(out);
		snprintf(cmd, sizeof(cmd), "plan 0000:01:00.0 --root %s/root", ia_scratch);
		out = ia_run_tool(cmd, &status);
		bool msi = strstr(out, "[platform.msi-not-isolated]") != NULL;
		if (msi != tc[i].blocked)
			fail_msg("plan at %s: the MSI blocker is %s:\n%s", tc[i].release, msi ? "there" : "missing", out);
		if (tc[i].blocked && !strstr(out, "GICv2m-PCI-MSI-0000:03:00.0"))
			fail_msg("plan at %s: the MSI blocker does not name the open chip:\n%s", tc[i].release, out);
		free(out);
		ia_scratch_remove();
	}
}

/* The same in plan, on x86 with interrupt remapping: before 6.3 the kernel passes group 8, whose
 * 0000:01:00.0 has an MSI that bypasses remapping, and the plan still names that blocker; from 6.3
 * the kernel's own test refuses the group, and the plan says so too. */
static void test_plan_msi_ir_bypass(void **state)
{
	static const char *const releases[] = { "6.2.16", "6.3.0" };
	char cmd[2048];
	int status;

	(void)state;
	ia_require_fixtures();
	for (size_t i = 0; i < sizeof(releases) / sizeof(*releases); i++) {
		assert_int_equal(ia_scratch_make("kbplan"), 0);
		snprintf(cmd, sizeof(cmd), "cd %s && mkdir root && tar xzf %s/%s/snapshot.tar.gz -C root && cd root && "
			 "sed -i '1s/^Linux version [^ ]*/Linux version %s/; 1s/ Debian [0-9][^ ]* / /' proc/version && %s",
			 ia_scratch, KKA, X86ACS612, releases[i], IR_BYPASS_EDIT);
		char *out = ia_run_capture(cmd, &status);
		assert_int_equal(status, 0);
		free(out);
		snprintf(cmd, sizeof(cmd), "plan 0000:01:00.0 --root %s/root", ia_scratch);
		out = ia_run_tool(cmd, &status);
		if (!strstr(out, "[platform.msi-not-isolated]") || !strstr(out, "PCI-MSI-0000:01:00.0"))
			fail_msg("plan at %s: no MSI blocker naming the bypassing chip:\n%s", releases[i], out);
		if (i == 0 && !strstr(out, "bypass interrupt remapping; Linux before 6.3 accepts the group anyway"))
			fail_msg("plan at %s: the blocker does not say the kernel passes the group:\n%s", releases[i], out);
		free(out);
		ia_scratch_remove();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_covered),
		cmocka_unit_test(test_every_row_case),
		cmocka_unit_test(test_text_says_assumed),
		cmocka_unit_test(test_plan_msi_per_group),
		cmocka_unit_test(test_plan_msi_ir_bypass),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
