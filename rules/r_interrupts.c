// SPDX-License-Identifier: GPL-2.0-or-later
// Rule platform.msi-not-isolated: MSIs are not isolated (no x86 interrupt remapping, GICv2m/MBI on Arm),
// for the host and, from Linux 6.3, for each group.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/firmware_model.h"
#include "model/kernel_model.h"
#include "rules/kernel_audit.h"
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

/* What one function's MSI domain is, as far as the facts tell (per index of ia_audit.devs). */
struct r_dev_msi {
	enum ia_tri isolated;    /* IA_UNKNOWN: nothing names its domain */
	const char *example;     /* an open chip name or firmware controller kind (borrowed), for the reason */
	bool from_chip;          /* example is a proc/interrupts chip (else a firmware controller kind) */
};

/*
 * Each function's MSI domain as msi_device_has_isolated_msi() (kernel/irq/msi.c, Linux 6.3+) walks
 * it: the chips of its own MSIs in proc/interrupts (the domain they were allocated from: isolated
 * when the parent is x86 interrupt remapping "IR" or a GICv3 ITS, whose domains carry
 * IRQ_DOMAIN_FLAG_ISOLATED_MSI); else the controller its firmware route names (IORT or DT msi-map:
 * the domain pci_set_msi_domain() gives it at enumeration, before any MSI is enabled). A route to a
 * controller that does not isolate counts whatever the chips say (as for the host: fail closed).
 * @out: a->n_devs entries, filled. Cost: one pass over the chips and one over the routes.
 */
static void r_dev_msi_fill(const struct ia_audit *a, struct r_dev_msi *out)
{
	const struct ia_kernel_facts *k = a->kernel;
	const struct ia_firmware *fw = a->firmware;

	for (size_t i = 0; i < a->n_devs; i++)
		out[i] = (struct r_dev_msi){ .isolated = IA_UNKNOWN };
	for (size_t i = 0; k && i < k->n_irqs; i++) {
		const struct ia_irq_chip *c = &k->irqs[i];
		const struct ia_dev *d = c->pci_msi && c->msi_bdf ? ia_audit_find_dev(a, c->msi_bdf) : NULL;
		if (!d)
			continue;
		struct r_dev_msi *m = &out[d - a->devs];
		const char *par = c->isolating_parent;
		if (par && (!strcmp(par, "IR") || !strcmp(par, "ITS"))) {
			if (m->isolated == IA_UNKNOWN)
				m->isolated = IA_YES;
		} else if (m->isolated != IA_NO) {
			m->isolated = IA_NO;
			m->example = c->chip;
			m->from_chip = true;
		}
	}
	for (size_t i = 0; fw && i < fw->n_msi_routes; i++) {
		const struct ia_fw_msi_route *r = &fw->msi_routes[i];
		const struct ia_dev *d = ia_audit_find_dev(a, r->bdf);
		enum ia_tri c = fw->msi[r->controller].isolating;
		if (!d || out[d - a->devs].isolated == IA_NO || (out[d - a->devs].isolated == IA_YES && c != IA_NO))
			continue; /* its own MSIs already tell (a route to an open controller still counts) */
		out[d - a->devs].isolated = c;
		out[d - a->devs].example = fw->msi[r->controller].kind;
		out[d - a->devs].from_chip = false;
	}
}

/*
 * Group @g's MSI isolation as iommu_group_has_isolated_msi() (drivers/iommu/iommu.c, Linux 6.3+)
 * decides it: msi_device_has_isolated_msi() ANDed over the group's devices. A member nothing names
 * a domain for takes @fallback (the host's evidence when it is uniform). @why receives the first
 * member that is not isolated ("0000:01:00.0 (chip GICv2m-PCI-MSIX-0000:01:00.0)"), else the first
 * whose domain is not known, with why; *@bad the first not isolated one's BDF (borrowed from @g;
 * NULL when every member is isolated or unknown).
 */
static enum ia_tri r_group_msi(const struct ia_audit *a, const struct ia_group *g, const struct r_dev_msi *dm,
			       enum ia_tri fallback, char *why, size_t cap, const char **bad)
{
	enum ia_tri t = IA_YES;

	why[0] = '\0';
	*bad = NULL;
	for (size_t i = 0; i < g->n_devices; i++) {
		const struct ia_dev *d = ia_audit_find_dev(a, g->devices[i]);
		enum ia_tri m = d ? dm[d - a->devs].isolated : IA_UNKNOWN;
		if (m == IA_UNKNOWN)
			m = fallback;
		if (m == IA_NO) {
			const struct r_dev_msi *x = d ? &dm[d - a->devs] : NULL;
			if (t != IA_NO && x && x->example)
				snprintf(why, cap, x->from_chip ? "%s (chip %s, behind neither interrupt remapping nor an ITS)"
								: "%s (firmware route to %s, which does not isolate MSIs here)",
					 g->devices[i], x->example);
			else if (t != IA_NO)
				snprintf(why, cap, "%s (no MSI domain of its own is known; the host's MSIs are not "
					 "isolated)", g->devices[i]);
			if (t != IA_NO)
				*bad = g->devices[i];
			t = IA_NO;
		} else if (m == IA_UNKNOWN && t == IA_YES) {
			/* the first member whose domain is not known, and why (while none is proven open) */
			const struct r_dev_msi *x = d ? &dm[d - a->devs] : NULL;
			if (!d)
				snprintf(why, cap, "%s (not a PCI function the collector saw)", g->devices[i]);
			else if (x->example && !x->from_chip)
				snprintf(why, cap, "%s (its MSIs are not set up; the firmware routes them to %s, whose "
					 "isolation is not known)", g->devices[i], x->example);
			else
				snprintf(why, cap, "%s (its MSIs are not set up, and no firmware route read names its "
					 "MSI controller)", g->devices[i]);
			t = IA_UNKNOWN;
		}
	}
	return t;
}

/*
 * What a firmware description decoded whole says of the Arm MSI controllers (the MADT's GIC ITS
 * and MSI Frame entries, or the device tree's): IA_YES when it names at least one and each one
 * isolates (GICv3 ITS), IA_NO when it names one that does not (a GICv2m frame, an MBI range),
 * IA_UNKNOWN when none was decoded or names any (an ACPI boot's /sys/firmware/fdt is the EFI
 * stub's tree: /chosen only).
 */
static enum ia_tri r_fw_arm_msi_isolating(const struct ia_firmware *fw)
{
	bool madt_ok = false, dt_ok = fw && fw->has_dt && fw->dt_status == 0, named = false, open = false;

	for (size_t i = 0; fw && i < fw->n_tables && !madt_ok; i++)
		madt_ok = !strcmp(fw->tables[i].signature, "APIC") && fw->tables[i].has_header &&
			  fw->tables[i].decode_status == 0;
	for (size_t i = 0; fw && i < fw->n_msi; i++) {
		const struct ia_fw_msi *m = &fw->msi[i];
		if (!(madt_ok && !strcmp(m->source, "MADT")) && !(dt_ok && !strcmp(m->source, "DT")))
			continue;
		named = true;
		open |= m->isolating != IA_YES;
	}
	return !named ? IA_UNKNOWN : open ? IA_NO : IA_YES;
}

/*
 * Before Linux 6.3 the test is the host's: irq_domain_check_msi_remap() (kernel/irq/irqdomain.c)
 * is false when ANY MSI domain does not remap, whether or not a device uses it, unless the IOMMU
 * reports IOMMU_CAP_INTR_REMAP (x86 with interrupt remapping). A GICv2m frame or an MBI range the
 * firmware describes gets a PCI-MSI domain (gicv2m_init(), mbi_init()) that does not remap.
 * Return: the first controller whose isolation is @isolating (IA_NO; IA_UNKNOWN for one the
 * audit cannot judge, such as a device-tree msi-controller of another kind) that no translated
 * device is routed to (the routes of translated devices are counted with the devices; a frame that
 * only functions outside the IOMMU groups use, or none, still has its domain), or NULL.
 */
static const struct ia_fw_msi *r_unrouted_open(const struct ia_audit *a, const struct ia_firmware *fw,
						enum ia_tri isolating)
{
	for (size_t i = 0; fw && i < fw->n_msi; i++) {
		const struct ia_fw_msi *m = &fw->msi[i];
		/* every MSI controller but x86 remapping (which IOMMU_CAP_INTR_REMAP answers for) */
		if (m->isolating != isolating || !strcmp(m->kind, "intel-ir") || !strcmp(m->kind, "amd-ir"))
			continue;
		bool counted = false;
		for (size_t r = 0; r < fw->n_msi_routes && !counted; r++) {
			if (fw->msi_routes[r].controller != i)
				continue;
			const struct ia_dev *d = ia_audit_find_dev(a, fw->msi_routes[r].bdf);
			counted = !d || !a->n_iommu_groups || ia_audit_dev_translated(a, d);
		}
		if (!counted)
			return m;
	}
	return NULL;
}

/*
 * Each group's MSI isolation as the audited kernel tests it (row msi_isolation_per_group):
 * from 6.3 per group (r_group_msi()), before 6.3 the host's @host; a release that cannot be told
 * gets the verdict only where both agree, else unknown (fail closed). Writes
 * res->groups[].irq_isolated, ->irq_members and ->irq_reason; a no-IOMMU group keeps the host's.
 * @ir_on: x86 interrupt remapping is enabled (an "IR-" chip in proc/interrupts). Before 6.3
 * vfio_iommu_type1_attach_group() and iommufd_device_bind() accept a group when
 * irq_domain_check_msi_remap() or IOMMU_CAP_INTR_REMAP holds, and intel_iommu_capable() and
 * amd_iommu_capable() answer that capability with the host-wide irq_remapping_enabled, so every
 * group passes (@host is IA_YES) even where a member's MSIs bypass the remapping unit (its chip
 * has no "IR-" parent). The kernel hands such a group over; the rule blocks it (@self, a blocker
 * on the member, linked to the host finding later: the kernel does not refuse it). *@n_bypass
 * counts the groups a member's MSIs bypass while the kernel's test, before 6.3, passes them.
 * Return: the number of IOMMU groups not isolated; -ENOMEM.
 */
static int r_groups_msi(struct ia_eval *ev, const struct ia_rule *self, enum ia_tri host, enum ia_tri fallback,
			bool ir_on, int *n_isolated, int *n_bypass)
{
	const struct ia_audit *a = ev->a;
	struct ia_result *res = ev->res;
	enum ia_tri per_group = ia_kernel_has(a, IA_KB_MSI_ISOLATION_PER_GROUP);
	struct r_dev_msi *dm = calloc(a->n_devs ? a->n_devs : 1, sizeof(*dm));
	int n_open = 0;

	*n_isolated = *n_bypass = 0;
	if (!dm)
		return -ENOMEM;
	r_dev_msi_fill(a, dm);
	for (size_t gi = 0; gi < res->n_groups; gi++) {
		struct ia_group_verdict *gv = &res->groups[gi];
		const struct ia_group *g = &a->groups[gi];
		char why[320], reason[768] = "";
		const char *bad;
		gv->irq_isolated = host;
		if (g->noiommu)
			continue;
		/* x86 with interrupt remapping before 6.3: the kernel passes the group whatever its
		 * members do, so what the audit says of them rests on their own chips and routes only,
		 * never on the rest of the host (a bypass nobody saw is unknown, not a bypass) */
		bool ir_pass = ir_on && host == IA_YES && per_group != IA_YES;
		enum ia_tri t = r_group_msi(a, g, dm, ir_pass && per_group == IA_NO ? IA_UNKNOWN : fallback, why,
					    sizeof(why), &bad);
		/* what the members' own chips and routes show (a release not known: 6.3+'s test keeps
		 * the host's fallback in t, the bypass never does) */
		enum ia_tri seen = t;
		if (ir_pass && per_group != IA_NO) {
			char why2[320];
			const char *bad2;
			seen = r_group_msi(a, g, dm, IA_UNKNOWN, why2, sizeof(why2), &bad2);
		}
		gv->irq_members = seen;
		bool bypass = ir_pass && seen == IA_NO;
		*n_bypass += bypass;
		if (per_group == IA_NO) {
			int rc = 0;
			if (bypass) {
				snprintf(reason, sizeof(reason), "the MSIs of %s bypass interrupt remapping; Linux "
					 "before 6.3 accepts the group anyway (IOMMU_CAP_INTR_REMAP is host-wide), so "
					 "VFIO would hand it over, but its devices can raise any interrupt", why);
				rc = ia_rule_block(ev, self, gi, bad, reason, IA_NO_FINDING);
			}
			/* the kernel's reason for passing the group, which the host's reason (some MSIs
			 * bypass remapping) does not give; a group none of whose members' MSIs is seen
			 * is unknown to the audit (engine_compose(): irq_members) */
			if (rc == 0 && ir_pass)
				snprintf(reason, sizeof(reason), "interrupt remapping is enabled, and before Linux 6.3 "
					 "VFIO asks IOMMU_CAP_INTR_REMAP, which the x86 IOMMU drivers answer for the "
					 "whole host%s%s%s", bypass ? "; but the MSIs of " : t == IA_UNKNOWN ?
					 "; whether its members' MSIs go through it is unknown, as for " : "",
					 bypass || t == IA_UNKNOWN ? why : "", bypass ? " bypass it" : "");
			if (rc == 0 && reason[0] && !(gv->irq_reason = strdup(reason)))
				rc = -ENOMEM;
			if (rc < 0) {
				free(dm);
				return rc;
			}
			continue;
		}
		if (per_group == IA_YES) {
			gv->irq_isolated = t;
			if (t == IA_NO)
				snprintf(reason, sizeof(reason), "the MSIs of %s are not isolated; Linux %d.%d refuses the "
					 "group for it (iommu_group_has_isolated_msi(), which tests each group from 6.3 on)",
					 why, a->kernel_major, a->kernel_minor);
			else if (t == IA_UNKNOWN)
				snprintf(reason, sizeof(reason), "the MSI domain of %s is not known, so whether the "
					 "group's MSIs are isolated is unknown", why);
			else if (host != IA_YES) /* the host's reason names MSIs that are not isolated */
				snprintf(reason, sizeof(reason), "every member's MSIs go through an isolating parent "
					 "(interrupt remapping or a GICv3 ITS), which Linux 6.3 and later test per group "
					 "(iommu_group_has_isolated_msi())");
		} else if (t != host) {
			gv->irq_isolated = IA_UNKNOWN;
			snprintf(reason, sizeof(reason), "the kernel release is unknown: before 6.3 the host-wide "
				 "test says MSIs are %s, from 6.3 this group's own test says %s (the behaviour "
				 "table's row msi_isolation_per_group)",
				 host == IA_YES ? "isolated" : host == IA_NO ? "not isolated" : "unknown",
				 t == IA_YES ? "isolated" : t == IA_NO ? "not isolated" : "unknown");
		}
		if (reason[0] && !(gv->irq_reason = strdup(reason))) {
			free(dm);
			return -ENOMEM;
		}
	}
	for (size_t gi = 0; gi < res->n_groups; gi++)
		if (!a->groups[gi].noiommu) {
			n_open += res->groups[gi].irq_isolated == IA_NO;
			*n_isolated += res->groups[gi].irq_isolated == IA_YES;
		}
	free(dm);
	return n_open;
}

/* The fix where interrupt remapping is on and some MSIs bypass it (the rule's advice is for a host
 * without remapping). */
static const char *const ir_bypass_advice =
	"Find out why these MSIs are not remapped: their chip in proc/interrupts has no \"IR-\" parent "
	"(a device outside every DRHD/IVHD scope of the firmware table, or an MSI domain of a driver's "
	"own). Do not hand the group to userspace until they are: Linux 6.3 and later refuse it.";

/* Effective MSI isolation from the interrupt chips the kernel set up (proc/interrupts). */
extern const struct ia_rule ia_rule_interrupts;


/*
 * The fix for MSIs that are not isolated, for this host's architecture and what disabled remapping:
 * the command-line switch that turned remapping off (@off_by, as ia_firmware_apply_cmdline() found
 * it: intremap=off, nointremap: drivers/iommu/irq_remapping.c setup_irqremap(), setup_nointremap();
 * @amd_off: amd_iommu=off, which takes AMD remapping with it, the IOMMU being off), the AMD
 * kernel's own veto (check_ioapic_information(): the IVRS's IOAPIC entries), or the firmware.
 * Written into @buf (@cap bytes).
 */
static void r_advice(const struct ia_eval *ev, const char *off_by, bool amd_off, char *buf, size_t cap)
{
	const struct ia_audit *a = ev->a;
	static const char tail[] = " allow_unsafe_interrupts only hides the risk.";
	bool amd = false, vtd = false;

	for (size_t i = 0; i < a->n_units; i++) {
		amd |= a->units[i].kind && !strcmp(a->units[i].kind, "amd-vi");
		vtd |= a->units[i].kind && !strcmp(a->units[i].kind, "vt-d");
	}
	switch (ia_audit_arch(a)) {
	case 'a': {
		/* an ITS the firmware describes can take the MSIs; without one the GIC cannot isolate */
		const struct ia_firmware *fw = a->firmware;
		bool its = false;
		for (size_t i = 0; fw && i < fw->n_msi; i++)
			its |= !strcmp(fw->msi[i].kind, "gic-v3-its") && fw->msi[i].isolating == IA_YES;
		if (!fw || (!fw->n_tables && !fw->has_dt))
			snprintf(buf, cap, "Route the PCI MSIs to a GICv3 ITS where the hardware has one (the firmware tables "
				 "were not read, so whether this host has one is unknown): a GICv2m frame or GICv3 MBI cannot "
				 "isolate.%s", tail);
		else if (its)
			snprintf(buf, cap, "Route the PCI MSIs to the GICv3 ITS the firmware describes (%s): a GICv2m frame "
				 "or GICv3 MBI cannot isolate.%s", fw->describes_iort ? "the IORT's ITS group mapping" :
				 "msi-map / msi-parent", tail);
		else
			snprintf(buf, cap, "This host's firmware describes no GICv3 ITS: its GICv2m frames or GICv3 MBI cannot "
				 "isolate MSIs, so no setting here can; isolation needs a GICv3 with an ITS (a QEMU virt "
				 "guest: gic-version=3).%s", tail);
		return;
	}
	case 'x':
		if (off_by && strncmp(off_by, "amd_iommu", 9))
			snprintf(buf, cap, "Remove %s from the kernel command line: it turns interrupt remapping off.%s",
				 off_by, tail);
		else if (amd_off)
			snprintf(buf, cap, "Boot without amd_iommu=off: AMD interrupt remapping comes on with the IOMMU "
				 "(unless the kernel then vetoes it, logging \"No southbridge IOAPIC found\" or "
				 "\"IOAPIC[n] not in IVRS table\": fix the IVRS or name the IOAPIC with ivrs_ioapic=).%s",
				 tail);
		else if (amd)
			snprintf(buf, cap, "AMD-Vi is on but this kernel does not remap interrupts: its log says why "
				 "(\"No southbridge IOAPIC found\" or \"IOAPIC[n] not in IVRS table\" name the IVRS's IOAPIC "
				 "entries, which ivrs_ioapic= on the command line overrides; a kernel release may also refuse a "
				 "table another accepts, so compare the firmware and the release).%s", tail);
		else if (vtd)
			snprintf(buf, cap, "Enable VT-d interrupt remapping: the DMAR table must set INTR_REMAP (a "
				 "firmware setting, often beside x2APIC), and the kernel log says why it stayed off.%s", tail);
		else
			snprintf(buf, cap, "Enable interrupt remapping: VT-d or AMD-Vi with interrupt remapping in the "
				 "firmware setup, and the IOMMU on.%s", tail);
		return;
	default:
		snprintf(buf, cap, "%s", ia_rule_interrupts.advice);
	}
}

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	const struct ia_kernel_facts *k = a->kernel;
	const struct ia_firmware *fw = a->firmware;
	int isolating = 0, open_msi = 0;
	bool ir_on = false; /* x86 irq_remapping_enabled: any chip behind "IR-" (IO-APIC, HPET, MSI) */
	char example[512] = "";

	if (!k) {
		*why = "no interrupt facts";
		return -ENODATA;
	}
	for (size_t i = 0; i < k->n_irqs; i++) {
		const struct ia_irq_chip *c = &k->irqs[i];
		const char *par = c->isolating_parent;
		ir_on |= par && !strcmp(par, "IR");
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
	/* Arm, or an architecture not read on a host without x86 interrupt remapping: the Arm MSI
	 * checks below apply (fail closed where the architecture is unknown) */
	bool arm = ia_audit_arch(a) == 'a' || (ia_audit_arch(a) == 0 && !ir_on);
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
	/* a function nothing names a domain for: the host's evidence where it is uniform */
	enum ia_tri fallback = isolating || open_msi ? (!open_msi ? IA_YES : !isolating ? IA_NO : IA_UNKNOWN)
			     : fw_devs && fw_its == fw_devs ? IA_YES : fw_devs && fw_open == fw_devs ? IA_NO : IA_UNKNOWN;
	/* Arm: every chip seen on an ITS does not place a function that has none: its domain may be a
	 * GICv2m frame, unless the decoded firmware names only controllers that isolate */
	if (arm && fallback == IA_YES && r_fw_arm_msi_isolating(fw) != IA_YES)
		fallback = IA_UNKNOWN;
	if (!open_msi && fw_open) {
		open_msi = fw_open;
		snprintf(example, sizeof(example), "firmware routes %s", fw_example);
	} else if (open_msi && fw_open && example[0] && !strchr(example, ':')) {
		/* a chip name alone ("MSI": a GICv2m frame on 6.1, no BDF in it) tells little: add an
		 * example of the firmware's routes */
		size_t l = strlen(example);
		snprintf(example + l, sizeof(example) - l, "; firmware routes %s", fw_example);
	}
	/* before 6.3: a non-remapping MSI domain no device uses; when the release is unknown it only
	 * makes an isolated host unknown (below) */
	enum ia_tri per_group = ia_kernel_has(a, IA_KB_MSI_ISOLATION_PER_GROUP);
	const struct ia_fw_msi *unrouted = per_group != IA_YES ? r_unrouted_open(a, fw, IA_NO) : NULL;
	const struct ia_fw_msi *maybe = per_group == IA_UNKNOWN ? unrouted : NULL;
	/* a controller before 6.3 whose isolation the audit cannot judge: its domain may fail the test */
	const struct ia_fw_msi *unsure = per_group != IA_YES && !unrouted ? r_unrouted_open(a, fw, IA_UNKNOWN) : NULL;
	if (maybe)
		unrouted = NULL;
	char maybe_why[640] = "";
	if (maybe)
		snprintf(maybe_why, sizeof(maybe_why), "; but the kernel release is unknown, and before Linux 6.3 the %s "
			 "PCI-MSI domain of %s, which %s, fails irq_domain_check_msi_remap() for every group",
			 maybe->kind, maybe->name, maybe->n_devices ? "only functions outside the IOMMU groups use" :
			 "no device uses");
	else if (unsure)
		snprintf(maybe_why, sizeof(maybe_why), "; but the firmware names %s (%s), whose isolation the audit "
			 "cannot judge, and before Linux 6.3 an MSI domain that does not isolate fails "
			 "irq_domain_check_msi_remap() for every group, used or not", unsure->name, unsure->kind);
	/* Arm before 6.3 (or a release unknown): a GICv2m frame's domain fails the host's test even
	 * unused, and only the firmware names the frames (the MADT's GIC MSI Frame entries, the device
	 * tree's "arm,gic-v2m-frame" nodes). They are known only from a firmware description that was
	 * decoded whole and names the host's MSI controllers: an ACPI boot's /sys/firmware/fdt is the
	 * EFI stub's tree (/chosen only), which names none */
	bool frames_unread = arm && per_group != IA_YES && !unrouted && !maybe && !unsure &&
			     r_fw_arm_msi_isolating(fw) == IA_UNKNOWN;
	if (frames_unread)
		snprintf(maybe_why, sizeof(maybe_why), "; but no firmware description decoded whole names the MSI "
			 "controllers (the MADT's GIC entries, or the device tree's), so a GICv2m frame, whose PCI-MSI "
			 "domain fails irq_domain_check_msi_remap() for every group before Linux 6.3 even when no "
			 "device uses it, cannot be ruled out");
	enum ia_tri yes = maybe || unsure || frames_unread ? IA_UNKNOWN : IA_YES;
	bool only_unrouted = !open_msi && unrouted;
	if (only_unrouted) {
		open_msi = 1;
		snprintf(example, sizeof(example), "the %s PCI-MSI domain of %s, which %s: before Linux 6.3 "
			 "irq_domain_check_msi_remap() fails for every group", unrouted->kind, unrouted->name,
			 unrouted->n_devices ? "only functions outside the IOMMU groups use" : "no device uses");
	}
	int n_isolated = 0, n_open, n_bypass = 0;
	char reason[1280];
	if (!isolating && !open_msi && fw_devs && fw_its == fw_devs) {
		res->irq_isolated = yes;
		snprintf(reason, sizeof(reason), "no MSI is active yet, but the firmware routes every device behind the "
			 "IOMMU to a GICv3 ITS, which always isolates%s", maybe_why);
		if (!(res->irq_reason = strdup(reason)))
			return -ENOMEM;
		return (n_open = r_groups_msi(ev, self, yes, fallback, false, &n_isolated, &n_bypass)) < 0 ? n_open : 0;
	}
	if (!isolating && !open_msi && ir_on && per_group == IA_NO) {
		/* before 6.3 the x86 IOMMU drivers answer IOMMU_CAP_INTR_REMAP with irq_remapping_enabled
		 * (intel_iommu_capable(), amd_iommu_capable()): the kernel's test passes with no MSI set up */
		res->irq_isolated = IA_YES;
		res->irq_reason = strdup("no PCI MSI is set up yet, but interrupt remapping is enabled (\"IR-\" chips in "
					 "proc/interrupts), and before Linux 6.3 VFIO asks IOMMU_CAP_INTR_REMAP, which "
					 "the x86 IOMMU drivers answer for the whole host");
		if (!res->irq_reason)
			return -ENOMEM;
		return (n_open = r_groups_msi(ev, self, IA_YES, fallback, true, &n_isolated, &n_bypass)) < 0 ? n_open : 0;
	}
	if (!isolating && !open_msi) {
		res->irq_isolated = IA_UNKNOWN;
		res->irq_reason = strdup("no MSI interrupt is set up in proc/interrupts (or it was not readable), "
					 "so the kernel's MSI domains cannot be seen");
		*why = "no MSI chips in proc/interrupts";
		return res->irq_reason ? -ENODATA : -ENOMEM;
	}
	if (open_msi) {
		res->irq_isolated = IA_NO;
		if (only_unrouted) /* no device's MSIs: the domain alone (its own sentence) */
			snprintf(reason, sizeof(reason), "%s", example);
		else
			snprintf(reason, sizeof(reason), "%d MSI interrupt%s or device route%s use%s a non-isolating "
				 "parent (e.g. %s): no interrupt remapping / ITS for %s", open_msi,
				 open_msi == 1 ? "" : "s", open_msi == 1 ? "" : "s", open_msi == 1 ? "s" : "", example,
				 open_msi == 1 ? "it" : "them");
		if (!(res->irq_reason = strdup(reason)))
			return -ENOMEM;
		/* x86 with interrupt remapping enabled: before 6.3 the kernel's test passes every group
		 * (r_groups_msi()) */
		bool ir_pass = ir_on && per_group != IA_YES;
		if ((n_open = r_groups_msi(ev, self, ir_pass ? IA_YES : IA_NO, fallback, ir_on, &n_isolated,
					   &n_bypass)) < 0)
			return n_open;
		/* Linux 6.3 and later refuse only the groups whose own MSIs are not isolated */
		char scope[160] = "";
		if (per_group == IA_YES && n_isolated)
			snprintf(scope, sizeof(scope), "; Linux 6.3 and later test each group "
				 "(iommu_group_has_isolated_msi()): %d group%s refused, %d isolated", n_open,
				 n_open == 1 ? "" : "s", n_isolated);
		char evd[768];
		snprintf(evd, sizeof(evd), "%s%s%s", example, which[0] ? "; " : "", which);
		/* the x86 remapping switch on the command line (ia_firmware_apply_cmdline(): the last of
		 * intremap=on/off and nointremap wins; amd_iommu=off takes AMD remapping with it) */
		const char *off_by = NULL;
		for (size_t i = 0; fw && i < fw->n_msi && !off_by; i++)
			if (fw->msi[i].turned_off_by && (!strcmp(fw->msi[i].kind, "intel-ir") || !strcmp(fw->msi[i].kind, "amd-ir")))
				off_by = fw->msi[i].turned_off_by;
		/* x86, no IOMMU active, amd_iommu=off alone: booting without it turns both on */
		bool amd_off = ia_audit_arch(a) == 'x' && !ia_audit_iommu_active(a) && off_by && !strncmp(off_by, "amd_iommu", 9);
		char advice[512];
		r_advice(ev, off_by, amd_off, advice, sizeof(advice));
		int rc;
		if (ir_pass && n_bypass)
			rc = ia_rule_finding(ev, self, self->level, "host", ir_bypass_advice, evd,
					     "MSIs bypass interrupt remapping although it is enabled: a device given to "
					     "userspace can raise any interrupt. Linux before 6.3 accepts every group "
					     "anyway (VFIO asks IOMMU_CAP_INTR_REMAP, which intel_iommu_capable() and "
					     "amd_iommu_capable() answer for the whole host)%s; %d group%s hold%s such a "
					     "device%s",
					     per_group == IA_NO ? ", so the kernel's test is weaker than the isolation "
					     "here" : ", and 6.3 and later refuse the groups holding such a device; the "
					     "kernel release is unknown", n_bypass, n_bypass == 1 ? "" : "s",
					     n_bypass == 1 ? "s" : "", per_group != IA_NO ? "" : n_bypass == 1 ?
					     ": the audit blocks it" : ": the audit blocks them");
		else if (ir_pass)
			rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, "host", ir_bypass_advice, evd,
					     "MSIs bypass interrupt remapping although it is enabled, but no IOMMU group "
					     "holds a device they belong to (Linux before 6.3 accepts every group while "
					     "remapping is enabled%s)", per_group == IA_NO ? "" : "; from 6.3 each group "
					     "is tested on its own; the kernel release is unknown");
		else if (amd_off)
			/* nothing is assignable now, and the switch that keeps the IOMMU off keeps remapping off */
			rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, "host", advice, evd,
					     "MSIs are not isolated now: amd_iommu=off turns AMD interrupt remapping off "
					     "with the IOMMU; booting without it turns both on, unless the kernel then finds "
					     "the IVRS's IOAPIC entries wanting (its log says so)");
		else
			rc = ia_rule_finding(ev, self, self->level, "host", advice, evd,
					     "MSIs are not isolated: a device given to userspace can raise any interrupt "
					     "(VFIO refuses %sunless allow_unsafe_interrupts is set%s)%s",
					     /* a VFIO no-IOMMU group is handed over without this check (§6) */
					     ia_audit_iommu_active(a) ? "" : "an IOMMU group once an IOMMU is active, ",
					     res->unsafe_interrupts_allowed == IA_YES ? ", and it IS set" : "", scope);
		if (rc < 0)
			return rc;
		/* the engine makes it a blocker of every group whose MSIs are not isolated, linked to
		 * this finding; the rule's own blockers (a member bypassing remapping) link to it too */
		res->irq_finding = ia_rule_last_finding(ev);
		for (size_t gi = 0; gi < res->n_groups; gi++)
			ia_rule_link(ev, self, gi, 0, res->irq_finding);
		return 0;
	}
	res->irq_isolated = yes;
	snprintf(reason, sizeof(reason), "all %d MSI interrupts go through an isolating parent (%s)%s", isolating,
		 ia_audit_arch(a) == 'x' ? "interrupt remapping: \"IR-\" chips" : ia_audit_arch(a) == 'a' ? "a GICv3 ITS: \"ITS-\" chips"
		 : "x86 interrupt remapping \"IR-\" or Arm GICv3 ITS \"ITS-\" chips", maybe_why);
	if (!(res->irq_reason = strdup(reason)))
		return -ENOMEM;
	return (n_open = r_groups_msi(ev, self, yes, fallback, ir_on, &n_isolated, &n_bypass)) < 0 ? n_open : 0;
}

const struct ia_rule ia_rule_interrupts = {
	.id = "platform.msi-not-isolated",
	.level = IA_LEVEL_ERROR,
	.summary = "MSI interrupts are not isolated (no interrupt remapping or ITS)",
	.advice = "x86: enable interrupt remapping (firmware VT-d/AMD-Vi with IR, drop intremap=off/nointremap). "
		  "Arm: use a GICv3 ITS (GICv2m frames cannot isolate). allow_unsafe_interrupts only hides the risk.",
	.refs = "kernel/irq/msi.c msi_device_has_isolated_msi(); drivers/iommu/iommu.c "
		"iommu_group_has_isolated_msi() (6.3+); kernel/irq/irqdomain.c irq_domain_check_msi_remap() "
		"(before 6.3); drivers/vfio/vfio_iommu_type1.c vfio_iommu_type1_attach_group(); kernel-rules.md §5",
	.eval = r_eval,
	.gives = IA_GIVES_IRQ,
	.kernel = (const enum ia_kb[]){ IA_KB_MSI_ISOLATION_PER_GROUP },
	.n_kernel = 1,
};
