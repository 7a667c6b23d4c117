// SPDX-License-Identifier: GPL-2.0-or-later
// Rule host.iommu-inactive: no IOMMU is active in the kernel, so nothing can be assigned with isolation.
#include <stdio.h>
#include <string.h>

#include "model/firmware_model.h"
#include "rules/rules.h"

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;

	if (ia_audit_iommu_active(a)) /* no-IOMMU groups do not count: nothing translates them */
		return 0;
	if (a->dumps_alone) { /* a dump holds no kernel: whether it runs an IOMMU is unknown, not "no" */
		*why = "the inputs are dumps without the kernel's state (--lspci-dump, --acpidump or --dtb without a root)";
		return -ENODATA;
	}
	if (!a->n_devs) {
		*why = "no PCI functions were collected";
		return -ENODATA;
	}
	/* The three answers users conflate (users.md ask 9): firmware describes an IOMMU, the kernel
	 * activated it, the device is translated. Say which firmware tables describe one, and what on the
	 * command line turns it off. */
	const struct ia_firmware *fw = a->firmware;
	char fwdesc[64] = "", off[160] = "", evd[512];
	if (fw) {
		snprintf(fwdesc, sizeof(fwdesc), "%s%s%s%s", fw->describes_dmar ? " DMAR" : "",
			 fw->describes_ivrs ? " IVRS" : "", fw->describes_iort ? " IORT" : "", fw->describes_dt ? " DT" : "");
	}
	static const char *const keys[] = { "intel_iommu", "amd_iommu", "iommu" };
	/* whole "off" tokens only: igfx_off, sm_off and sp_off turn off something else */
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys) && !off[0]; i++)
		if (ia_eval_cmdline_token(ev, keys[i], "off") == 1)
			snprintf(off, sizeof(off), "%s=off", keys[i]);
	if (!off[0] && ia_eval_cmdline_token(ev, "intel_iommu", "on") == 0 && fw && fw->describes_dmar) {
		char k[16];
		if (ia_eval_kconfig(ev, "CONFIG_INTEL_IOMMU_DEFAULT_ON", k, sizeof(k)) == 0)
			snprintf(off, sizeof(off), "CONFIG_INTEL_IOMMU_DEFAULT_ON is not set and intel_iommu=on is absent");
	}
	/* the groups here are VFIO no-IOMMU groups (ia_audit_iommu_active() counts none): name them */
	char groups[160] = "";
	for (size_t i = 0, l = 0; i < a->n_groups && l < sizeof(groups) - 16; i++)
		l += (size_t)snprintf(groups + l, sizeof(groups) - l, "%s%s%d", i ? ", " : "",
				      i ? "" : a->n_groups == 1 ? "group " : "groups ", a->groups[i].id);
	char where[256];
	if (a->n_groups)
		snprintf(where, sizeof(where), "sys/kernel/iommu_groups holds only VFIO no-IOMMU groups (%s) and "
			 "sys/class/iommu lists no unit", groups);
	else
		snprintf(where, sizeof(where), "sys/kernel/iommu_groups is %s and sys/class/iommu lists no unit",
			 a->iommu_groups_dir ? "empty" : "absent");
	snprintf(evd, sizeof(evd), "%s; firmware describing an IOMMU:%s%s%s", where,
		 fwdesc[0] ? fwdesc : fw ? " none found" : " unknown (firmware facts unavailable)",
		 off[0] ? "; disabled by " : "", off);
	/* A DMAR the kernel refuses (issue 13 item 12): no command line enables VT-d from it. */
	if (fw && fw->dmar_refused && !fw->describes_ivrs && !fw->describes_iort && !fw->describes_dt)
		return ia_rule_finding(ev, self, self->level, "host",
				       "Have the firmware fixed (a BIOS update, or the vendor): no kernel parameter enables "
				       "VT-d from this DMAR; then re-run the audit.", evd,
				       "the firmware describes an IOMMU (DMAR) that the kernel cannot enable: %s; none of the "
				       "%zu PCI functions can be assigned to userspace with DMA isolation", fw->dmar_refused,
				       a->n_devs);
	/* the fix: what turns it on here (rules/when_enabled.c, the "If you enable the IOMMU" line) */
	const struct ia_when_enabled_result *we = &ev->res->when_enabled;
	char advice[400];
	if (we->iommu_off && we->iommu && we->how && *we->how)
		snprintf(advice, sizeof(advice), "Turn the %s on: %s; then re-run the audit.", we->iommu, we->how);
	else if (off[0] && fwdesc[0])
		snprintf(advice, sizeof(advice), "Turn the IOMMU the firmware describes on: %s keeps it off; then re-run "
			 "the audit.", off);
	else
		snprintf(advice, sizeof(advice), "%s", self->advice);
	/* IORT maps functions to an SMMU whose driver never registered: the kernel defers each mapped
	 * function's probe (iort_iommu_configure_id() -EPROBE_DEFER while the SMMU has no iommu_ops),
	 * which shows as every mapped function driverless (the 6.12 IOMMU-off capture) */
	size_t mapped = 0, bound = 0;
	for (size_t i = 0; fw && fw->describes_iort && i < fw->n_unit_devs; i++) {
		const struct ia_fw_unit *u = &fw->units[fw->unit_devs[i].unit];
		const struct ia_dev *d = ia_audit_find_dev(a, fw->unit_devs[i].bdf);
		if (!d || strcmp(u->source, "IORT") || (strcmp(u->kind, "smmu-v3") && strcmp(u->kind, "smmu")))
			continue;
		mapped++;
		bound += d->driver || d->driver_unknown;
	}
	char deferred[320] = "";
	if (mapped > 1 && !bound)
		snprintf(deferred, sizeof(deferred), "; and none of the %zu functions the IORT maps to an SMMU has a driver: "
			 "the kernel defers their probes while that SMMU has no driver (iort_iommu_configure_id(): "
			 "-EPROBE_DEFER), so even pcieport stays off them", mapped);
	if (fwdesc[0])
		return ia_rule_finding(ev, self, self->level, "host", advice, evd,
				       "the firmware describes an IOMMU (%s) but the kernel has not activated it%s%s: none "
				       "of the %zu PCI functions can be assigned to userspace with DMA isolation%s",
				       fwdesc + 1, off[0] ? ", because of " : "", off, a->n_devs, deferred);
	return ia_rule_finding(ev, self, self->level, "host", advice, evd,
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
