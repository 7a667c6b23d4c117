// SPDX-License-Identifier: GPL-2.0-or-later
// Rule group.not-viable: VFIO's DMA-ownership test (v5.19+; the allow-list from v3.6, with bridges from
// v4.13, and the BUG_ON hazard before), with its exceptions.
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/kernel_audit.h"
#include "core/text.h"
#include "rules/quirks.h"
#include "rules/rules.h"

static bool r_dmd(const char *drv)
{
	const struct ia_dmd_driver *d = ia_dmd_lookup(drv);

	return d && d->mainline != IA_DMD_NOT_MAINLINE;
}

/* A VFIO bus driver per rules/data/driver_managed_dma.csv (not any name containing "vfio": an
 * unknown driver is taken to claim DMA ownership, the fail-closed reading). */
static bool r_is_vfio_driver(const char *drv)
{
	const struct ia_dmd_driver *m = drv ? ia_dmd_lookup(drv) : NULL;

	return m && m->vfio_bus_driver;
}

/*
 * One member's VFIO viability without a topology model (the PCI topology was inconsistent): the
 * rule of ia_topo_group_viable() from the member's own facts. v5.19+: unbound or a
 * driver_managed_dma driver (unknown for one listed as not mainline); before v5.19
 * (vfio_dev_viable()): unbound, pci-stub, a VFIO bus driver, or any driver on a function whose
 * header type is not 0 (unknown when the header type was unreadable).
 */
static enum ia_tri r_viable_no_model(const struct ia_dev *d, bool pre519)
{
	const struct ia_dmd_driver *m = d->driver ? ia_dmd_lookup(d->driver) : NULL;

	if (!d->driver)
		return IA_YES;
	if (pre519) {
		if (!strcmp(d->driver, "pci-stub") || (m && m->vfio_bus_driver && m->mainline != IA_DMD_NOT_MAINLINE) ||
		    (d->has_hdr && d->hdr_type != 0))
			return IA_YES;
		return d->has_hdr ? IA_NO : IA_UNKNOWN;
	}
	if (m && m->mainline == IA_DMD_NOT_MAINLINE)
		return IA_UNKNOWN;
	return m ? IA_YES : IA_NO;
}

/* Whether @bdf's memory BARs are known: its resource attribute was read and parsed (the PCI
 * collector records a collection error hiding its "BAR sizes" otherwise). */
static bool r_bars_known(const struct ia_audit *a, const char *bdf)
{
	for (size_t i = 0; i < a->n_collection_errors; i++) {
		const struct ia_collect_error *e = &a->collect_errors[i];
		if (e->subject && e->hides && !strcmp(e->subject, bdf) && strstr(e->hides, "BAR sizes"))
			return false;
	}
	return true;
}

/*
 * Exceptions: members that may stay in a user-owned group, named with their cost. Each one states
 * only what was checked: @ok is the member's viability verdict (ia_topo_group_viable(), or the
 * fallback without a model) and @pre519 whether the kernel predates DMA ownership (v5.19), whose
 * rule was vfio_dev_viable()'s allow-list instead of driver_managed_dma. A member that blocks or
 * whose driver is unknown gets no ownership exception (its blocker, or the unknown verdict, says
 * why). 0 or -ENOMEM.
 */
static int r_exceptions(struct ia_eval *ev, const struct ia_rule *self, size_t gi, const struct ia_dev *d,
			enum ia_tri ok, bool pre519)
{
	char why[256];
	int rc = 0;

	if (ok == IA_YES && d->driver && !strcmp(d->driver, "pci-stub"))
		rc = ia_rule_except(ev, self, gi, d->bdf, "pci-stub",
				    pre519 ? "held by pci-stub (on vfio_dev_viable()'s allow-list before v5.19): allowed "
					     "in a user-owned group, but userspace can reach the stubbed device "
					     "peer-to-peer and through the shared IOMMU domain"
					   : "held by pci-stub (driver_managed_dma): allowed in a user-owned group, but "
					     "userspace can reach the stubbed device peer-to-peer and through the shared "
					     "IOMMU domain");
	else if (ok == IA_YES && d->has_hdr && d->hdr_type != 0) {
		if (!d->driver)
			snprintf(why, sizeof(why), "an unbound bridge: it stays with the host; vfio-pci never binds "
				 "bridges");
		else if (pre519)
			snprintf(why, sizeof(why), "a bridge bound to %s (before v5.19, vfio_dev_viable() allows any "
				 "driver on a function whose header type is not 0): it stays with the host; vfio-pci "
				 "never binds bridges", d->driver);
		else
			snprintf(why, sizeof(why), "a bridge bound to %s (driver_managed_dma): it stays with the "
				 "host; vfio-pci never binds bridges", d->driver);
		rc = ia_rule_except(ev, self, gi, d->bdf, "bridge", why);
	} else if (ok == IA_YES && !pre519 && d->driver && !r_is_vfio_driver(d->driver) && r_dmd(d->driver)) {
		snprintf(why, sizeof(why), "bound to %s, which sets driver_managed_dma: it does not claim the "
			 "group's DMA ownership", d->driver);
		rc = ia_rule_except(ev, self, gi, d->bdf, "driver-managed-dma", why);
	}
	/* a host bridge (class 0600) has header type 0, so vfio-pci binds it: nothing of it serves a
	 * guest, and vfio-pci passes config writes it does not virtualize to the device (chipset
	 * registers on real hardware: drivers/vfio/pci/vfio_pci_config.c, unassigned_perms) */
	if (rc == 0 && d->has_hdr && d->hdr_type == 0 && d->has_class && (d->class_code >> 8) == 0x0600)
		rc = ia_rule_except(ev, self, gi, d->bdf, "host-bridge",
				    "the host bridge: vfio-pci binds it (header type 0), but nothing of it serves userspace, "
				    "and the configuration writes vfio-pci does not virtualize reach its registers: assigning "
				    "it gains nothing");
	if (rc == 0 && d->has_hdr && d->hdr_type == 0 && d->n_mem_bars == 0 && !d->is_vf && r_bars_known(ev->a, d->bdf))
		rc = ia_rule_except(ev, self, gi, d->bdf, "no-mmio",
				    "has no memory BAR: nothing of it can be mapped to userspace, but it can still DMA "
				    "in the group's IOMMU domain");
	return rc;
}

/*
 * Append to @fix the commands that hand function @bdf, now bound to kernel driver @drv, to
 * vfio-pci: driverctl(8)'s persistent override, or the sysfs unbind (drivers/pci/pci-driver.c
 * unbind_store()) until the next boot. A @bridge stays driverless (vfio_pci_probe() refuses a
 * header type other than 0). Each command is `quoted` so the text report's wrapping keeps
 * it whole. The first call starts the sentence; a failure is the builder's sticky error.
 */
static void r_fix_add(struct ia_sb *fix, const char *bdf, const char *drv, bool bridge, bool pre519)
{
	/* before 5.19 a driverless function that a host driver probes again (a modprobe, a rescan)
	 * while VFIO uses the group hits the BUG_ON: the override goes first on that path too */
	if (pre519 && !bridge)
		ia_sb_printf(fix, "%s`driverctl set-override %s vfio-pci` (or, until the next boot, `echo vfio-pci > "
			     "/sys/bus/pci/devices/%s/driver_override`, `echo %s > /sys/bus/pci/drivers/%s/unbind`, `echo "
			     "%s > /sys/bus/pci/drivers_probe`: left driverless, a host driver probing it while VFIO uses "
			     "the group crashes this kernel)", fix->len ? "; " : "Unbind the kernel drivers named: ",
			     bdf, bdf, bdf, drv, bdf);
	else
		ia_sb_printf(fix, "%s`driverctl set-override %s vfio-pci` (or, until the next boot, `echo %s > "
			     "/sys/bus/pci/drivers/%s/unbind`)%s", fix->len ? "; " : "Unbind the kernel drivers named: ",
			     bdf, bdf, drv, bridge ? " (vfio-pci does not bind a bridge: the override keeps it driverless)" : "");
}

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	int rc = 0;

	if (!a->n_groups) {
		*why = "the kernel formed no IOMMU groups";
		return -ENODATA;
	}
	/* row vfio_allowlist (v3.6): before it the kernel has no VFIO at all */
	if (ia_kernel_has(a, IA_KB_VFIO_ALLOWLIST) == IA_NO) {
		char rel[96], reason[192];
		snprintf(reason, sizeof(reason), "Linux %d.%d predates VFIO (%s): no group can be handed to userspace",
			 a->kernel_major, a->kernel_minor, ia_kb_releases(IA_KB_VFIO_ALLOWLIST, rel, sizeof(rel)));
		for (size_t gi = 0; gi < a->n_groups && rc == 0; gi++) {
			ev->res->groups[gi].dma_ownership_viable = IA_NO;
			rc = ia_rule_block(ev, self, gi, NULL, reason, IA_NO_FINDING);
		}
		if (rc == 0 && (rc = ia_rule_finding(ev, self, IA_LEVEL_INFO, "host", "Boot Linux 3.6 or later (VFIO).",
						     NULL, "%s", reason)) == 0)
			for (size_t gi = 0; gi < a->n_groups; gi++)
				ia_rule_link(ev, self, gi, 0, ia_rule_last_finding(ev));
		return rc;
	}
	/* row dma_ownership (v5.19) of the behaviour table */
	struct ia_kernel_id kid = ia_kernel_id_of(a);
	enum ia_tri own = ia_kb_has(&kid, IA_KB_DMA_OWNERSHIP);
	bool pre519 = own == IA_NO;
	for (size_t gi = 0; gi < a->n_groups && rc == 0; gi++) {
		const struct ia_group *g = &a->groups[gi];
		size_t c0 = ev->res->groups[gi].n_pending;
		bool unknown = false, blocked = false, has_vfio = false;
		char blockers[1024] = "";
		size_t bl = 0;
		/* the fix, with each blocking function's address and driver (issue 14 point 7) */
		struct ia_sb fix;
		ia_sb_init(&fix);
		for (size_t k = 0; k < g->n_devices && rc == 0; k++) {
			const struct ia_dev *d = ia_audit_find_dev(a, g->devices[k]);
			if (!d) {
				/* A non-PCI member: its driver is not collected, so viability is unknown. */
				unknown = true;
				continue;
			}
			if (d->driver_unknown) {
				/* its driver link was unreadable: it may be bound to anything */
				unknown = true;
				continue;
			}
			has_vfio |= r_is_vfio_driver(d->driver);
			const char *drv = d->driver;
			size_t fn = (size_t)(d - a->devs);
			struct ia_viab_member v;
			enum ia_tri ok = IA_UNKNOWN;
			if (ev->model && ia_topo_group_viable(ev->model, &fn, &drv, 1, &kid, &v, &ok) == 0)
				ok = v.ok;
			else
				ok = own == IA_UNKNOWN && r_viable_no_model(d, true) != r_viable_no_model(d, false) ?
				     IA_UNKNOWN : r_viable_no_model(d, pre519);
			if (ok == IA_NO) {
				blocked = true;
				char reason[256];
				if (pre519)
					snprintf(reason, sizeof(reason), "bound to %s, a driver vfio_dev_viable() does not "
						 "allow before v5.19: the group is not viable while it is bound", drv);
				else
					snprintf(reason, sizeof(reason), "bound to %s, a kernel driver without "
						 "driver_managed_dma: it owns the group's DMA, so VFIO cannot claim the group "
						 "for userspace", drv);
				rc = ia_rule_block(ev, self, gi, d->bdf, reason, IA_NO_FINDING);
				bl += (size_t)snprintf(blockers + bl, bl < sizeof(blockers) ? sizeof(blockers) - bl : 0,
						       "%s%s (%s)", bl ? ", " : "", d->bdf, drv);
				if (bl >= sizeof(blockers))
					bl = sizeof(blockers) - 1;
				r_fix_add(&fix, d->bdf, drv, d->has_hdr && (d->hdr_type & 0x7f) != 0, pre519);
			} else if (ok == IA_UNKNOWN) {
				unknown = true;
			}
			if (rc == 0)
				rc = r_exceptions(ev, self, gi, d, ok, pre519);
		}
		if (rc) {
			ia_sb_free(&fix);
			break;
		}
		/* a member list that could not be read may miss a member bound to a kernel driver */
		if (!g->members_read)
			unknown = true;
		ev->res->groups[gi].dma_ownership_viable = blocked ? IA_NO : unknown ? IA_UNKNOWN : IA_YES;
		ev->res->groups[gi].vfio_bound = has_vfio;
		char subject[32];
		snprintf(subject, sizeof(subject), "group %d", g->id);
		ia_sb_puts(&fix, "; or assign another group.");
		if (blocked && fix.err) {
			ia_sb_free(&fix);
			rc = -ENOMEM;
			break;
		}
		if (blocked && has_vfio)
			rc = ia_rule_finding(ev, self, IA_LEVEL_ERROR, subject, ia_sb_str(&fix), blockers,
					     "group %d is not viable for VFIO: %s (%s)", g->id, strchr(blockers, ',') ?
					     "members are still bound to kernel drivers" : "a member is still bound to a "
					     "kernel driver", blockers);
		else if (blocked && pre519)
			rc = ia_rule_finding(ev, self, IA_LEVEL_INFO, subject, ia_sb_str(&fix), blockers,
					     "group %d is not viable for VFIO while %s bound to a driver vfio_dev_viable() "
					     "does not allow: for VFIO to take it, unbind %s", g->id,
					     strchr(blockers, ',') ? "members are" : "a member is", blockers);
		else if (blocked)
			rc = ia_rule_finding(ev, self, IA_LEVEL_INFO, subject, ia_sb_str(&fix), blockers,
					     "group %d is owned by the kernel: for VFIO to take it, unbind %s",
					     g->id, blockers);
		ia_sb_free(&fix);
		/* the members' blockers are explained by the group's finding */
		if (rc == 0 && blocked)
			ia_rule_link(ev, self, gi, c0, ia_rule_last_finding(ev));
		if (rc == 0 && own != IA_YES && has_vfio) {
			/* vfio_iommu_group_notifier(): BUG_ON(vfio_group_nb_verify()) on a driver binding while
			 * the group has container users; vfio_dev_viable() lets pci-stub, VFIO drivers and
			 * (from v4.13) any driver of a bridge through, so only the endpoints can crash it */
			bool bridges_ok = ia_kernel_has(a, IA_KB_VFIO_BRIDGE_ALLOWED) == IA_YES;
			char eps[640] = "";
			size_t el = 0, ne = 0;
			for (size_t k = 0; k < g->n_devices; k++) {
				const struct ia_dev *d = ia_audit_find_dev(a, g->devices[k]);
				if (bridges_ok && d && d->has_hdr && d->hdr_type != 0)
					continue;
				ne++;
				if (el < sizeof(eps))
					el += (size_t)snprintf(eps + el, sizeof(eps) - el, "%s%s", el ? ", " : "", g->devices[k]);
			}
			if (el >= sizeof(eps))
				snprintf(eps + sizeof(eps) - 5, 5, "...");
			char who[720];
			if (ne == 1)
				snprintf(who, sizeof(who), "%s", eps);
			else
				snprintf(who, sizeof(who), "any of its %zu %s (%s)", ne, bridges_ok ? "endpoints" : "functions",
					 eps);
			char bug_fix[200];
			snprintf(bug_fix, sizeof(bug_fix), "Upgrade to Linux 5.19 or later, or, while VFIO uses the group, bind no "
				 "kernel driver but pci-stub or a VFIO driver to its %s.", bridges_ok ? "endpoints" : "functions");
			rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, subject, bug_fix, NULL,
					     "this kernel %s DMA ownership (v5.19): while VFIO uses group %d, a kernel driver "
					     "other than pci-stub or a VFIO driver binding to %s crashes %s (BUG_ON in "
					     "vfio_iommu_group_notifier(): vfio_dev_viable() refuses the driver)",
					     pre519 ? "predates" : "may predate (its release does not tell)", g->id, who,
					     pre519 ? "the host" : "a kernel without it");
		}
	}
	return rc;
}

const struct ia_rule ia_rule_ownership = {
	.id = "group.not-viable",
	.level = IA_LEVEL_ERROR,
	.summary = "A group mixes userspace (VFIO) and kernel-driver DMA ownership",
	.advice = "Unbind the kernel drivers named, or assign another group.",
	.refs = "drivers/vfio/group.c vfio_group_ioctl_get_status(); drivers/iommu/iommu.c "
		"iommu_group_claim_dma_owner(), iommu_device_use_default_domain(); kernel-rules.md §4",
	.eval = r_eval,
	.gives = IA_GIVES_OWNERSHIP,
	.kernel_enforced = true,  /* vfio_group_viable(), iommu_device_claim_dma_owner(): -EBUSY */
	.kernel = (const enum ia_kb[]){ IA_KB_DMA_OWNERSHIP, IA_KB_VFIO_BRIDGE_ALLOWED, IA_KB_VFIO_ALLOWLIST },
	.n_kernel = 3,
};
