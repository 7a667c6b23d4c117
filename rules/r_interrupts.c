// SPDX-License-Identifier: GPL-2.0-or-later
// Rule platform.msi-not-isolated: MSIs are not isolated (no x86 interrupt remapping, GICv2m/MBI on Arm).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

/* The vfio_iommu_type1 / iommufd allow_unsafe_interrupts module parameters (Y/N). */
static enum ia_tri r_unsafe_allowed(sqlite3 *db, char *which, size_t cap)
{
	sqlite3_stmt *st;
	enum ia_tri t = IA_UNKNOWN;
	bool seen = false;

	which[0] = '\0';
	if (!db || sqlite3_prepare_v2(db, "SELECT module, value FROM module_param WHERE name = 'allow_unsafe_interrupts'"
				      " AND module IN ('vfio_iommu_type1', 'iommufd')", -1, &st, NULL) != SQLITE_OK)
		return IA_UNKNOWN;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0), *v = (const char *)sqlite3_column_text(st, 1);
		seen = true;
		if (v && (v[0] == 'Y' || v[0] == '1')) {
			t = IA_YES;
			snprintf(which + strlen(which), cap - strlen(which), "%s%s.allow_unsafe_interrupts=Y",
				 which[0] ? ", " : "", m);
		} else if (t != IA_YES && v) {
			t = IA_NO;
		}
	}
	sqlite3_finalize(st);
	return seen ? t : IA_UNKNOWN;
}

/*
 * A PCI device MSI chip: "[IR-|ITS-|GICv2m-|MBI-]PCI-MSI[X]-<BDF>" (6.2+ per-device domains),
 * "IR-PCI-MSI"/"PCI-MSI" (x86 before), "ITS-MSI" and plain "MSI" (Arm GICv2m/MBI) in 6.1.
 * An IOMMU's own fault interrupt (DMAR-MSI) is not one.
 */
static bool r_is_pci_msi(const char *chip)
{
	return strstr(chip, "PCI-MSI") || !strcmp(chip, "ITS-MSI") || !strcmp(chip, "MSI");
}

/* Effective MSI isolation from the interrupt chips the kernel set up (proc/interrupts). */
static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	struct ia_audit *a = ev->a;
	sqlite3_stmt *st;
	int isolating = 0, open_msi = 0;
	char example[160] = "";

	if (!ev->db || sqlite3_prepare_v2(ev->db, "SELECT chip, isolating_parent, hwirq FROM interrupt_chip", -1, &st, NULL) != SQLITE_OK) {
		*why = "no interrupt facts";
		return -ENODATA;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *chip = (const char *)sqlite3_column_text(st, 0);
		const char *par = (const char *)sqlite3_column_text(st, 1);
		if (!chip || !r_is_pci_msi(chip))
			continue;
		/* The IOMMU's own PCI function (AMD-Vi event log) is in no group and never assigned. */
		const char *b = strstr(chip, "PCI-MSI"), *dash = b ? strchr(b + 7, '-') : NULL;
		struct ia_dev *d = NULL;
		if (dash)
			d = ia_audit_find_dev(a, dash + 1);
		else if (b && a->arch && !strcmp(a->arch, "x86_64") && sqlite3_column_text(st, 2)) {
			/* Before per-device MSI domains (6.2), x86 encodes the requester ID in the hwirq:
			 * pci_msi_domain_calc_hwirq() = domain << 27 | pci_dev_id << 11 | index. */
			unsigned long long hw = strtoull((const char *)sqlite3_column_text(st, 2), NULL, 10);
			char bdf[16];
			snprintf(bdf, sizeof(bdf), "%04llx:%02llx:%02llx.%llx", (hw >> 27) & 0xffff,
				 (hw >> 19) & 0xff, (hw >> 14) & 0x1f, (hw >> 11) & 7);
			d = ia_audit_find_dev(a, bdf);
		}
		if (d && a->n_groups && !d->has_group)
			continue;
		if (par && (!strcmp(par, "IR") || !strcmp(par, "ITS")))
			isolating++;
		else {
			open_msi++;
			if (!example[0])
				snprintf(example, sizeof(example), "%s", chip);
		}
	}
	sqlite3_finalize(st);
	/* The firmware's routing (IORT, device tree): a device reaching a non-isolating controller
	 * is exposed even before it enables MSIs; one reaching a GIC ITS is always isolated (an x86
	 * remapping unit's state needs the run-time evidence above). */
	int fw_open = 0, fw_its = 0, fw_devs = 0;
	char fw_example[160] = "";
	/* the route's function is looked up in the audit (a join with pci_function per row cost more
	 * than the rest of the rule) */
	if (sqlite3_prepare_v2(ev->db, "SELECT r.bdf, c.kind, c.isolating"
				       " FROM pci_msi_route r JOIN msi_controller c ON c.id = r.controller_id",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *bdf = (const char *)sqlite3_column_text(st, 0);
			const struct ia_dev *d = bdf ? ia_audit_find_dev(a, bdf) : NULL;
			/* The firmware collector routes collected functions only, so a route whose function
			 * the audit cannot find (a BDF longer than struct ia_dev holds) is still a device's
			 * route: counted, never dropped, as the join with pci_function counted it. */
			if (d && a->n_groups && !d->has_group)
				continue; /* not behind the IOMMU: never assigned */
			fw_devs++;
			if (sqlite3_column_type(st, 2) != SQLITE_NULL && !sqlite3_column_int(st, 2)) {
				if (!fw_open++)
					snprintf(fw_example, sizeof(fw_example), "%s -> %s",
						 sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
			} else if (!strcmp((const char *)sqlite3_column_text(st, 1), "gic-v3-its") &&
				   sqlite3_column_int(st, 2)) {
				fw_its++;
			}
		}
		sqlite3_finalize(st);
	}
	char which[160];
	a->unsafe_interrupts_allowed = r_unsafe_allowed(ev->db, which, sizeof(which));
	if (!open_msi && fw_open) {
		open_msi = fw_open;
		snprintf(example, sizeof(example), "firmware routes %s", fw_example);
	}
	if (!isolating && !open_msi && fw_devs && fw_its == fw_devs) {
		a->irq_isolated = IA_YES;
		a->irq_reason = strdup("no MSI is active yet, but the firmware routes every device behind the "
				       "IOMMU to a GICv3 ITS, which always isolates");
		return 0;
	}
	if (!isolating && !open_msi) {
		a->irq_isolated = IA_UNKNOWN;
		a->irq_reason = strdup("no MSI interrupt is set up in proc/interrupts (or it was not readable), "
				       "so the kernel's MSI domains cannot be seen");
		*why = "no MSI chips in proc/interrupts";
		return -ENODATA;
	}
	char reason[512];
	if (open_msi) {
		a->irq_isolated = IA_NO;
		snprintf(reason, sizeof(reason), "%d MSI interrupt%s or device route%s use a non-isolating "
			 "parent (e.g. %s): no interrupt remapping / ITS for them", open_msi,
			 open_msi == 1 ? "" : "s", open_msi == 1 ? "" : "s", example);
		a->irq_reason = strdup(reason);
		char evd[256];
		snprintf(evd, sizeof(evd), "%s%s%s", example, which[0] ? "; " : "", which);
		return ia_rule_finding(ev, self, self->level, "host", NULL, evd,
				       "MSIs are not isolated: a device given to userspace can raise any interrupt "
				       "(VFIO refuses unless allow_unsafe_interrupts is set%s)",
				       a->unsafe_interrupts_allowed == IA_YES ? ", and it IS set" : "");
	}
	a->irq_isolated = IA_YES;
	snprintf(reason, sizeof(reason), "all %d MSI interrupts go through an isolating parent (x86 interrupt "
		 "remapping \"IR-\" or Arm GICv3 ITS \"ITS-\" chips)", isolating);
	a->irq_reason = strdup(reason);
	return 0;
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
};
