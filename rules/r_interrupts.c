// SPDX-License-Identifier: GPL-2.0-or-later
// Rule platform.msi-not-isolated: MSIs are not isolated (no x86 interrupt remapping, GICv2m/MBI on Arm).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/firmware_model.h"
#include "model/kernel_model.h"
#include "rules/rules.h"

/* The vfio_iommu_type1 / iommufd allow_unsafe_interrupts module parameters (Y/N), by module name. */
static enum ia_tri r_unsafe_allowed(const struct ia_kernel_facts *k, char *which, size_t cap)
{
	static const char *const modules[] = { "iommufd", "vfio_iommu_type1" };
	enum ia_tri t = IA_UNKNOWN;
	bool seen = false;

	which[0] = '\0';
	for (size_t i = 0; i < sizeof(modules) / sizeof(*modules); i++) {
		const struct ia_module_param *p = ia_kernel_module_param(k, modules[i], "allow_unsafe_interrupts");
		if (!p)
			continue;
		const char *m = p->module, *v = p->value;
		seen = true;
		if (v && (v[0] == 'Y' || v[0] == '1')) {
			t = IA_YES;
			snprintf(which + strlen(which), cap - strlen(which), "%s%s.allow_unsafe_interrupts=Y",
				 which[0] ? ", " : "", m);
		} else if (t != IA_YES && v) {
			t = IA_NO;
		}
	}
	return seen ? t : IA_UNKNOWN;
}

/* Effective MSI isolation from the interrupt chips the kernel set up (proc/interrupts). */
static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	const struct ia_kernel_facts *k = a->kernel;
	const struct ia_firmware *fw = a->firmware;
	int isolating = 0, open_msi = 0;
	char example[160] = "";

	if (!k) {
		*why = "no interrupt facts";
		return -ENODATA;
	}
	for (size_t i = 0; i < k->n_irqs; i++) {
		const struct ia_irq_chip *c = &k->irqs[i];
		const char *par = c->isolating_parent;
		if (!c->pci_msi)
			continue;
		/* The IOMMU's own PCI function (AMD-Vi event log) is in no group and never assigned. The
		 * function comes from the chip name (6.2+ per-device domains) or, on x86 before, from the
		 * requester ID in the hwirq (the loader decoded both). */
		const struct ia_dev *d = c->msi_bdf ? ia_audit_find_dev(a, c->msi_bdf) : NULL;
		if (d && a->n_iommu_groups && !ia_audit_dev_translated(a, d))
			continue; /* only IOMMU groups count: a VFIO no-IOMMU group is no IOMMU (§6) */
		if (par && (!strcmp(par, "IR") || !strcmp(par, "ITS")))
			isolating++;
		else {
			open_msi++;
			if (!example[0])
				snprintf(example, sizeof(example), "%s", c->chip);
		}
	}
	/* The firmware's routing (IORT, device tree): a device reaching a non-isolating controller
	 * is exposed even before it enables MSIs; one reaching a GIC ITS is always isolated (an x86
	 * remapping unit's state needs the run-time evidence above). */
	int fw_open = 0, fw_its = 0, fw_devs = 0;
	char fw_example[160] = "";
	for (size_t i = 0; fw && i < fw->n_msi_routes; i++) {
		const struct ia_fw_msi_route *r = &fw->msi_routes[i];
		const struct ia_fw_msi *m = &fw->msi[r->controller];
		const struct ia_dev *d = ia_audit_find_dev(a, r->bdf);
		/* The firmware collector routes collected functions only, so a route whose function
		 * the audit cannot find (a BDF longer than struct ia_dev holds) is still a device's
		 * route: counted, never dropped. */
		if (d && a->n_iommu_groups && !ia_audit_dev_translated(a, d))
			continue; /* not behind the IOMMU: never assigned */
		fw_devs++;
		if (m->isolating == IA_NO) {
			if (!fw_open++)
				snprintf(fw_example, sizeof(fw_example), "%s -> %s", r->bdf, m->kind);
		} else if (!strcmp(m->kind, "gic-v3-its") && m->isolating == IA_YES) {
			fw_its++;
		}
	}
	char which[160];
	struct ia_result *res = ev->res;
	res->unsafe_interrupts_allowed = r_unsafe_allowed(k, which, sizeof(which));
	if (!open_msi && fw_open) {
		open_msi = fw_open;
		snprintf(example, sizeof(example), "firmware routes %s", fw_example);
	}
	if (!isolating && !open_msi && fw_devs && fw_its == fw_devs) {
		res->irq_isolated = IA_YES;
		res->irq_reason = strdup("no MSI is active yet, but the firmware routes every device behind the "
					 "IOMMU to a GICv3 ITS, which always isolates");
		return res->irq_reason ? 0 : -ENOMEM;
	}
	if (!isolating && !open_msi) {
		res->irq_isolated = IA_UNKNOWN;
		res->irq_reason = strdup("no MSI interrupt is set up in proc/interrupts (or it was not readable), "
					 "so the kernel's MSI domains cannot be seen");
		*why = "no MSI chips in proc/interrupts";
		return res->irq_reason ? -ENODATA : -ENOMEM;
	}
	char reason[512];
	if (open_msi) {
		res->irq_isolated = IA_NO;
		snprintf(reason, sizeof(reason), "%d MSI interrupt%s or device route%s use a non-isolating "
			 "parent (e.g. %s): no interrupt remapping / ITS for them", open_msi,
			 open_msi == 1 ? "" : "s", open_msi == 1 ? "" : "s", example);
		if (!(res->irq_reason = strdup(reason)))
			return -ENOMEM;
		char evd[256];
		snprintf(evd, sizeof(evd), "%s%s%s", example, which[0] ? "; " : "", which);
		int rc = ia_rule_finding(ev, self, self->level, "host", NULL, evd,
					 "MSIs are not isolated: a device given to userspace can raise any interrupt "
					 "(VFIO refuses %sunless allow_unsafe_interrupts is set%s)",
					 /* a VFIO no-IOMMU group is handed over without this check (§6) */
					 ia_audit_iommu_active(a) ? "" : "an IOMMU group once an IOMMU is active, ",
					 res->unsafe_interrupts_allowed == IA_YES ? ", and it IS set" : "");
		/* the engine makes it a blocker of every group nothing else blocks, linked to this finding */
		if (rc == 0)
			res->irq_finding = ia_rule_last_finding(ev);
		return rc;
	}
	res->irq_isolated = IA_YES;
	snprintf(reason, sizeof(reason), "all %d MSI interrupts go through an isolating parent (x86 interrupt "
		 "remapping \"IR-\" or Arm GICv3 ITS \"ITS-\" chips)", isolating);
	return (res->irq_reason = strdup(reason)) ? 0 : -ENOMEM;
}

const struct ia_rule ia_rule_interrupts = {
	.id = "platform.msi-not-isolated",
	.level = IA_LEVEL_ERROR,
	.summary = "MSI interrupts are not isolated (no interrupt remapping or ITS)",
	.advice = "x86: enable interrupt remapping (firmware VT-d/AMD-Vi with IR, drop intremap=off/nointremap). "
		  "Arm: use a GICv3 ITS (GICv2m frames cannot isolate). allow_unsafe_interrupts only hides the risk.",
	.refs = "kernel/irq/msi.c msi_device_has_isolated_msi(); drivers/vfio/vfio_iommu_type1.c "
		"vfio_iommu_type1_attach_group(); kernel-rules.md §5",
	.eval = r_eval,
	.gives = IA_GIVES_IRQ,
};
