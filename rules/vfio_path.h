/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VFIO paths to userspace the audited kernel offers, and each path's allow_unsafe_interrupts. */
#ifndef IA_VFIO_PATH_H
#define IA_VFIO_PATH_H

#include "model/audit.h"
#include "rules/result.h"

/** ia_vfio_path_name() - "container" or "iommufd" (the JSON and --vfio-path word); NULL out of range. */
const char *ia_vfio_path_name(enum ia_vfio_path p);

/**
 * ia_vfio_path_missing() - the blocker's reason, for each group, when the kernel lacks path @p
 * (rule host.vfio-path; the reports print it beside the group's own blockers, as the engine keeps
 * it out of them: the group stands on the other path). A static string; NULL out of range.
 */
const char *ia_vfio_path_missing(enum ia_vfio_path p);

/**
 * ia_vfio_path_parse() - the path named @word ("container", "iommufd").
 * Return: 0 with *@out set; -EINVAL for any other word.
 */
int ia_vfio_path_parse(const char *word, enum ia_vfio_path *out);

/**
 * ia_vfio_paths_decide() - fill @res->paths[] from the kernel facts of @a: whether each path is
 * offered, and the allow_unsafe_interrupts parameter it reads and its value.
 * @a:   the audit (kernel configuration, sys/module, module parameters, command line).
 * @res: its result; only ->paths is written (strings static or malloc'd into ->paths[].why, freed
 *       by ia_result_free()).
 *
 * The kernel's Kconfig (drivers/vfio/Kconfig, drivers/iommu/iommufd/Kconfig, Linux 6.2 to 7.x):
 * - The container, /dev/vfio/vfio: with CONFIG_VFIO_CONTAINER its backend is vfio_iommu_type1
 *   (selected by it: CONFIG_VFIO_IOMMU_TYPE1), whose vfio_iommu_type1_attach_group() refuses a
 *   group without MSI isolation unless vfio_iommu_type1.allow_unsafe_interrupts is set; with
 *   CONFIG_IOMMUFD_VFIO_CONTAINER (VFIO_CONTAINER off) iommufd serves it and
 *   iommufd.allow_unsafe_interrupts decides (iommufd_group_setup_msi(), iommufd/device.c). Before
 *   6.2 there is no iommufd: CONFIG_VFIO_IOMMU_TYPE1 is the container.
 * - iommufd, /dev/iommu: CONFIG_IOMMUFD (6.2+); devices reach it through the VFIO device cdev
 *   /dev/vfio/devices/vfioN (CONFIG_VFIO_DEVICE_CDEV, 6.6+) or a group fd bound to an iommufd.
 *   iommufd.allow_unsafe_interrupts decides.
 * Without the configuration: sys/module/vfio_iommu_type1 or sys/module/iommufd shows the module.
 * A parameter is YES when its file says Y/1, NO when N/0 (or the module is there without the
 * parameter), else the command line's MODULE.allow_unsafe_interrupts= (modprobe passes it at
 * load), else UNKNOWN (a module not loaded: modprobe.d may set it).
 */
void ia_vfio_paths_decide(const struct ia_audit *a, struct ia_result *res);

#endif
