// SPDX-License-Identifier: GPL-2.0-or-later
// Rule group.members-unseen: the kernel's IOMMU groups list PCI devices that the PCI collector did
// not see, so the audit holds no facts about them and cannot judge their groups.
#include <stdio.h>
#include <string.h>

#include "core/bdf.h"
#include "rules/rules.h"

/*
 * A member of sys/kernel/iommu_groups/N/devices is named as the device's sysfs directory: a PCI
 * device by pci_name() ("%04x:%02x:%02x.%d", drivers/pci/probe.c pci_setup_device()), a platform
 * device by its own name (an Arm SMMU client such as "ff100000.dma"). Only the PCI names are
 * this audit's business: each should be a function of sys/bus/pci/devices. One that is not was
 * removed during the scan, or the capture lost its sys/bus/pci/devices entry; either way nothing
 * about it was read, and a verdict of "no finding" over it would fail open.
 */
static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	size_t unseen = 0, groups = 0;
	char names[256] = "", ids[160] = "";
	size_t ln = 0, li = 0;

	(void)why;
	for (size_t i = 0; i < a->n_groups; i++) {
		const struct ia_group *g = &a->groups[i];
		size_t here = 0;
		for (size_t k = 0; k < g->n_devices; k++) {
			struct ia_bdf b;
			if (ia_bdf_parse(g->devices[k], IA_BDF_CANONICAL, &b) || ia_audit_find_dev(a, g->devices[k]))
				continue;
			if (unseen < 4 && ln < sizeof(names) - 1)
				ln += (size_t)snprintf(names + ln, sizeof(names) - ln, "%s%s", unseen ? ", " : "",
						       g->devices[k]);
			unseen++;
			here++;
		}
		if (!here)
			continue;
		if (groups < 8 && li < sizeof(ids) - 1)
			li += (size_t)snprintf(ids + li, sizeof(ids) - li, "%s%d", groups ? ", " : "", g->id);
		groups++;
	}
	if (!unseen)
		return 0;
	char evd[512];
	snprintf(evd, sizeof(evd), "sys/bus/pci/devices gave %zu PCI function%s; sys/kernel/iommu_groups/*/devices "
		 "names %zu that are not among them: %s%s", a->n_devs, a->n_devs == 1 ? "" : "s", unseen, names, unseen > 4 ? ", ..." : "");
	return ia_rule_finding(ev, self, self->level, "host", NULL, evd,
			       "the kernel's IOMMU groups list %zu PCI device%s that the PCI collector did not see "
			       "(%s%s), in %zu group%s (%s%s): nothing about %s was read, so %s verdict%s unknown",
			       unseen, unseen == 1 ? "" : "s", names, unseen > 4 ? ", ..." : "", groups,
			       groups == 1 ? "" : "s", ids, groups > 8 ? ", ..." : "", unseen == 1 ? "it" : "them",
			       groups == 1 ? "that group's" : "those groups'", groups == 1 ? " is" : "s are");
}

const struct ia_rule ia_rule_members_unseen = {
	.id = "group.members-unseen",
	.level = IA_LEVEL_ERROR,
	.summary = "An IOMMU group lists PCI devices that the audit could not read",
	.advice = "Re-run the audit: a device removed during the scan leaves its group entry behind for a "
		  "moment. For a capture, capture the host again (`iommu-audit snapshot`, as root): its "
		  "sys/bus/pci/devices was incomplete.",
	.refs = "drivers/iommu/iommu.c iommu_group_add_device() (the devices/ links); drivers/pci/probe.c "
		"pci_setup_device() (pci_name())",
	.eval = r_eval,
};
