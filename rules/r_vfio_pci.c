// SPDX-License-Identifier: GPL-2.0-or-later
// Rule device.vfio-pci-refuses: functions vfio-pci will not bind whatever the group looks like: a PF
// whose VFs are enabled, and the IDs on vfio-pci's denylist. A refusal is a blocker of the group
// holding the function when no other member is one vfio-pci binds (the kernel refuses: the blocker
// stands whatever a policy says).
// Mirrors drivers/vfio/pci/vfio_pci_core.c vfio_pci_core_register_device() (pci_num_vf(pdev) != 0:
// "Cannot bind to PF with SR-IOV enabled", -EBUSY; the check is in the core, so it holds for every
// vfio-pci-core variant driver too) and drivers/vfio/pci/vfio_pci.c vfio_pci_dev_in_denylist() /
// disable_denylist (Linux 6.12); kernel-rules.md §4.4 item 2.
#include <stdio.h>
#include <string.h>

#include "model/kernel_model.h"
#include "rules/quirks.h"
#include "rules/rules.h"

/* vfio_pci_dev_in_denylist(): Intel QAT (DH895xCC, C3xxx, C62x and their VFs), DSA, IAX. */
static const uint16_t vfio_denylist_intel[] = { 0x0435, 0x0443, 0x19e2, 0x19e3, 0x37c8, 0x37c9, 0x0b25, 0x0cfe };

static bool vfio_denylisted(const struct ia_dev *d)
{
	if (!d->has_ids || d->vendor != 0x8086)
		return false;
	for (size_t i = 0; i < sizeof(vfio_denylist_intel) / sizeof(*vfio_denylist_intel); i++)
		if (d->device == vfio_denylist_intel[i])
			return true;
	return false;
}

/* What vfio-pci refuses about @d (header type 0): a PF with VFs enabled, its ID on the denylist
 * (unless @denylist_off). A function already on a VFIO bus driver is refused nothing: a PF there
 * created its VFs itself (vfio-pci enable_sriov=1), and a denylisted ID there is on a variant
 * driver, or on vfio-pci bound while the denylist was off (disable_denylist is read-only). */
static void r_refusals(const struct ia_dev *d, bool denylist_off, bool *pf_busy, bool *denied)
{
	const struct ia_dmd_driver *m = d->driver ? ia_dmd_lookup(d->driver) : NULL;
	bool on_vfio = m && m->vfio_bus_driver;

	*pf_busy = d->has_hdr && d->hdr_type == 0 && d->has_numvfs && d->numvfs > 0 && !d->is_vf && !on_vfio;
	*denied = d->has_hdr && d->hdr_type == 0 && vfio_denylisted(d) && !denylist_off && !on_vfio;
}

/*
 * The refusal of @d blocks its kernel group when no other member is a function vfio-pci binds
 * (known header type 0 and refused nothing): then nothing of the group can be handed over
 * through vfio-pci. With such a member the refused function may stay unbound (or on a
 * driver_managed_dma driver) and the group goes without it; the finding still says what is
 * refused. @reason names the refusal; the finding just added explains it. 0 or -ENOMEM.
 */
static int r_block(struct ia_eval *ev, const struct ia_rule *self, const struct ia_dev *d, bool denylist_off,
		   const char *reason)
{
	const struct ia_audit *a = ev->a;
	const struct ia_group *g = d->has_group ? ia_audit_find_group(a, d->group) : NULL;
	char text[256];

	if (!g)
		return 0; /* no group: nothing to hand over through VFIO anyway */
	for (size_t k = 0; k < g->n_devices; k++) {
		const struct ia_dev *o = ia_audit_find_dev(a, g->devices[k]);
		bool busy, denied;
		if (!o || o == d || !o->has_hdr || o->hdr_type != 0)
			continue;
		r_refusals(o, denylist_off, &busy, &denied);
		if (!busy && !denied)
			return 0;
	}
	snprintf(text, sizeof(text), "%s%s", reason, g->n_devices > 1 ? ", and no other member of the group is a "
		 "function vfio-pci binds" : "");
	return ia_rule_block(ev, self, (size_t)(g - a->groups), d->bdf, text, ia_rule_last_finding(ev));
}

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	char dl[16] = "";
	/* vfio_pci.disable_denylist and vfio-pci.disable_denylist are the same parameter (parameq()) */
	bool denylist_off = ia_eval_cmdline(ev, "vfio_pci.disable_denylist", dl, sizeof(dl)) == 1 &&
			    ia_kstrtobool(dl) == IA_YES;
	const struct ia_module_param *mp = ia_kernel_module_param(a->kernel, "vfio_pci", "disable_denylist");
	int rc = 0;

	/* the module parameter, when vfio_pci is loaded, wins over the command line */
	if (mp && mp->value) {
		enum ia_tri v = ia_kstrtobool(mp->value);
		if (v != IA_UNKNOWN)
			denylist_off = v == IA_YES;
	}
	if (!a->n_devs) {
		*why = "no PCI functions were collected";
		return -ENODATA;
	}
	for (size_t i = 0; i < a->n_devs && rc == 0; i++) {
		const struct ia_dev *d = &a->devs[i];
		bool busy, denied;
		/* bridges (header type != 0) are covered as exceptions: nobody assigns them */
		r_refusals(d, denylist_off, &busy, &denied);
		if (busy) {
			char evd[128], reason[128];
			snprintf(evd, sizeof(evd), "sriov_numvfs = %u", d->numvfs);
			rc = ia_rule_finding(ev, self, self->level, d->bdf,
					     "Assign the VFs instead, or disable them (echo 0 > sriov_numvfs) before binding the "
					     "PF to vfio-pci (with vfio-pci enable_sriov=1 to recreate them under VFIO).",
					     evd, "%s is an SR-IOV PF with %u VF%s enabled: vfio-pci refuses to bind it (-EBUSY)",
					     d->bdf, d->numvfs, d->numvfs == 1 ? "" : "s");
			snprintf(reason, sizeof(reason), "an SR-IOV PF with %u VF%s enabled: vfio-pci refuses to bind it "
				 "(-EBUSY)", d->numvfs, d->numvfs == 1 ? "" : "s");
			if (rc == 0)
				rc = r_block(ev, self, d, denylist_off, reason);
		}
		if (rc == 0 && denied) {
			char evd[128], reason[128];
			snprintf(evd, sizeof(evd), "vendor:device %04x:%04x on vfio-pci's denylist", d->vendor, d->device);
			rc = ia_rule_finding(ev, self, self->level, d->bdf,
					     "Use the device's VFIO variant driver where one exists (qat_vfio_pci for QAT VFs), "
					     "or boot with vfio-pci.disable_denylist=1 if you accept the risk the denylist "
					     "guards against.", evd,
					     "%s (%04x:%04x) is on vfio-pci's denylist: vfio-pci will not bind it",
					     d->bdf, d->vendor, d->device);
			snprintf(reason, sizeof(reason), "%04x:%04x is on vfio-pci's denylist: vfio-pci will not bind it",
				 d->vendor, d->device);
			if (rc == 0)
				rc = r_block(ev, self, d, denylist_off, reason);
		}
	}
	return rc;
}

const struct ia_rule ia_rule_vfio_pci_refuses = {
	.id = "device.vfio-pci-refuses",
	.level = IA_LEVEL_INFO,
	.summary = "vfio-pci will not bind the function (a PF with VFs enabled, or a denylisted ID)",
	.advice = "Assign the VFs, disable SR-IOV first, or use a VFIO variant driver.",
	.refs = "drivers/vfio/pci/vfio_pci_core.c vfio_pci_core_register_device(); drivers/vfio/pci/vfio_pci.c "
		"vfio_pci_dev_in_denylist(); kernel-rules.md §4.4",
	.eval = r_eval,
	.kernel_enforced = true,  /* vfio_pci_probe() fails: no VFIO device for the group */
};
