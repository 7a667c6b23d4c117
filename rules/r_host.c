// SPDX-License-Identifier: GPL-2.0-or-later
// Host-wide rules: host.identity-domain (groups whose default domain is passthrough) and
// host.external-dma (external-facing/removable devices, the firmware's DMA-protection opt-in).
// Mirrors drivers/iommu/iommu.c iommu_get_default_domain_type(), iommu_group_show_type();
// drivers/pci/probe.c set_pcie_untrusted(); drivers/iommu/intel/iommu.c platform_optin_force_iommu();
// kernel-rules.md §7.2 and §9.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/firmware_model.h"
#include "rules/kernel_audit.h"
#include "rules/rules.h"

static bool host_is_removable(const struct ia_dev *d)
{
	return d->removable && !strcmp(d->removable, "removable");
}

/* Why the default domain is identity, from the command line and configuration (first match). */
static void host_identity_cause(const struct ia_eval *ev, char *buf, size_t cap)
{
	char v[128], k[16];

	if (ia_eval_cmdline(ev, "iommu.passthrough", v, sizeof(v)) == 1 && ia_kstrtobool(v) == IA_YES)
		snprintf(buf, cap, "iommu.passthrough=%s on the command line", v);
	else if (ia_eval_cmdline_token(ev, "iommu", "pt") == 1) /* x86 iommu_setup(): "pt" among the options */
		snprintf(buf, cap, "iommu=pt on the command line");
	else if (ia_eval_kconfig(ev, "CONFIG_IOMMU_DEFAULT_PASSTHROUGH", k, sizeof(k)) == 1)
		snprintf(buf, cap, "CONFIG_IOMMU_DEFAULT_PASSTHROUGH=y");
	else
		snprintf(buf, cap, "a per-device choice of the IOMMU driver (AMD: PASID-capable devices; Intel: "
			 "integrated graphics/Azalia quirks; forced when the firmware opted in to DMA protection)");
}

static int r_eval_identity(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	size_t n_id = 0, n_typed = 0;
	char list[512] = "";
	int rc = 0;

	if (!a->n_groups) {
		*why = "the kernel formed no IOMMU groups";
		return -ENODATA;
	}
	for (size_t gi = 0; gi < a->n_groups; gi++) {
		const struct ia_group *g = &a->groups[gi];
		if (!g->type)
			continue;
		n_typed++;
		if (strcmp(g->type, "identity"))
			continue;
		if (n_id++ < 24)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%d", n_id > 1 ? ", " : "", g->id);
		/* An untrusted device in a passthrough group: the kernel should have refused (§9 effect 1). */
		for (size_t k = 0; k < g->n_devices && rc == 0; k++) {
			const struct ia_dev *d = ia_audit_find_dev(a, g->devices[k]);
			if (d && host_is_removable(d))
				rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, d->bdf, NULL,
						     "removable = removable; group type = identity",
						     "removable device %s is in passthrough group %d: its DMA reaches all of "
						     "memory untranslated", d->bdf, g->id);
		}
	}
	if (!n_typed) {
		*why = "no group's type attribute was readable";
		return -ENODATA;
	}
	if (rc || !n_id)
		return rc;
	char cause[256], evd[768];
	host_identity_cause(ev, cause, sizeof(cause));
	snprintf(evd, sizeof(evd), "sys/kernel/iommu_groups/{%s%s}/type = identity; cause: %s", list,
		 n_id > 24 ? ", ..." : "", cause);
	return ia_rule_finding(ev, self, self->level, "host", NULL, evd,
			       "%zu of %zu IOMMU groups use a passthrough (identity) default domain: their devices' "
			       "DMA under kernel drivers is not translated, so the IOMMU protects memory from them only "
			       "once they are assigned to userspace (VFIO replaces the domain)", n_id, n_typed);
}

const struct ia_rule ia_rule_identity_domain = {
	.id = "host.identity-domain",
	.level = IA_LEVEL_INFO,
	.summary = "IOMMU groups with a passthrough (identity) default domain: kernel-driver DMA is untranslated",
	.advice = "For DMA protection of the host, drop iommu=pt / iommu.passthrough=1 (or set the group's type "
		  "to DMA or DMA-FQ while no driver is bound). Userspace assignment is not affected.",
	.refs = "drivers/iommu/iommu.c iommu_get_default_domain_type(), iommu_group_show_type(); kernel-rules.md §7.2",
	.eval = r_eval_identity,
};

static int r_eval_external(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	const struct ia_firmware *fw = a->firmware;
	bool iommu_on = ia_audit_iommu_active(a);
	bool optin_dmar = fw && fw->has_dmar_info && fw->dma_ctrl_platform_opt_in;
	bool optin_ivrs = fw && fw->has_ivrs_info && fw->ivinfo_dma_remap;
	bool optin_known = fw && (fw->has_dmar_info || fw->has_ivrs_info);
	size_t n_rem = 0, n_known = 0;
	char list[512] = "";
	int rc = 0;

	if (a->dumps_alone) { /* whether the kernel keeps the IOMMU on is not in the dumps */
		*why = "the dumps hold no kernel state: whether an IOMMU is active is unknown";
		return -ENODATA;
	}

	for (size_t i = 0; i < a->n_devs; i++) {
		const struct ia_dev *d = &a->devs[i];
		if (!d->removable)
			continue;
		n_known++;
		if (host_is_removable(d) && n_rem++ < 16)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", n_rem > 1 ? ", " : "", d->bdf);
	}
	/* whole "off" tokens only: igfx_off, sm_off and sp_off turn off something else */
	char off[160] = "";
	static const char *const off_keys[] = { "intel_iommu", "amd_iommu", "iommu" };
	for (size_t i = 0; i < sizeof(off_keys) / sizeof(*off_keys) && !off[0]; i++)
		if (ia_eval_cmdline_token(ev, off_keys[i], "off") == 1)
			snprintf(off, sizeof(off), "%s=off", off_keys[i]);

	if ((optin_dmar || optin_ivrs) && !iommu_on) {
		rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, optin_dmar ? "DMAR" : "IVRS", NULL,
				     optin_dmar ? "DMAR Flags bit 2 (DMA_CTRL_PLATFORM_OPT_IN) is set"
						: "IVinfo bit 1 (pre-boot DMA protection) is set",
				     "the firmware asks the OS to keep DMA protection on for external ports, but no IOMMU is "
				     "active%s%s%s", off[0] ? " (" : "", off, off[0] ? " on the command line)" : "");
		if (rc)
			return rc;
	}
	if (n_rem) {
		char evd[768];
		snprintf(evd, sizeof(evd), "removable = removable: %s%s; DMA protection opt-in: %s", list,
			 n_rem > 16 ? ", ..." : "",
			 optin_dmar ? "DMAR flag set" : optin_ivrs ? "IVRS IVinfo bit set" :
			 optin_known ? "not set by the firmware" : "unknown (no DMAR/IVRS decoded)");
		if (!iommu_on)
			rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, "host", NULL, evd,
					     "%zu external (removable) PCI function%s can DMA to all of memory: no IOMMU is "
					     "active", n_rem, n_rem == 1 ? "" : "s");
		else
			rc = ia_rule_finding(ev, self, IA_LEVEL_INFO, "host", NULL, evd,
					     "%zu external (removable) PCI function%s: the kernel treats them as untrusted "
					     "(translated DMA domain, bounce buffers, no ATS)%s", n_rem, n_rem == 1 ? "" : "s",
					     optin_known && !optin_dmar && !optin_ivrs
						     ? "; the firmware does not opt in to DMA protection, so DMA before the "
						       "kernel enables the IOMMU is unprotected" : "");
		return rc;
	}
	if (!n_known && !optin_dmar && !optin_ivrs) {
		/* row pci_removable_attr: from 5.14 the kernel gives the attribute to each PCI function it
		 * deems removable (pci_set_removable(): below an external-facing port or a removable
		 * bridge) and to no other, so none anywhere means none is removable */
		/* ... when there were functions to see and every attribute that exists was read (an
		 * unreadable one is a collection error hiding "removable": fail closed) */
		const char *unread = NULL;
		for (size_t i = 0; i < a->n_collection_errors && !unread; i++) {
			const struct ia_collect_error *e = &a->collect_errors[i];
			if (e->subject && e->hides && strstr(e->hides, "removable"))
				unread = e->subject;
		}
		switch (ia_kernel_has(a, IA_KB_PCI_REMOVABLE_ATTR)) {
		case IA_YES:
			if (!a->n_devs)
				*why = "no PCI function was seen, so whether one is removable (external-facing) is unknown";
			else if (unread)
				*why = "a removable attribute could not be read (see the collect.unreadable finding), so "
				       "whether a PCI function is removable (external-facing) is unknown";
			else
				return 0;
			break;
		case IA_NO:
			*why = "no device has a removable attribute: the audited kernel predates it (from Linux 5.14 "
			       "each PCI function the kernel deems removable has one); and the firmware does not opt "
			       "in to DMA protection";
			break;
		default:
			*why = "no device has a removable attribute, which from Linux 5.14 marks each PCI function the "
			       "kernel deems removable, and the audited kernel's release is unknown; and the firmware "
			       "does not opt in to DMA protection";
			break;
		}
		return -ENODATA;
	}
	return 0;
}

const struct ia_rule ia_rule_external_dma = {
	.id = "host.external-dma",
	.level = IA_LEVEL_WARNING,
	.summary = "External-facing (removable) devices and the firmware's DMA-protection opt-in",
	.advice = "Keep the IOMMU on (do not boot with intel_iommu=off / amd_iommu=off / iommu=off) on hosts "
		  "with Thunderbolt/USB4 or other external PCIe ports; enable the firmware's pre-boot DMA "
		  "protection (Kernel DMA Protection) where offered.",
	.refs = "drivers/pci/probe.c set_pcie_untrusted(); drivers/pci/pci-acpi.c pci_acpi_set_external_facing(); "
		"drivers/iommu/intel/iommu.c platform_optin_force_iommu(); kernel-rules.md §9",
	.eval = r_eval_external,
	.kernel = (const enum ia_kb[]){ IA_KB_PCI_REMOVABLE_ATTR },
	.n_kernel = 1,
};
