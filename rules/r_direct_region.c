// SPDX-License-Identifier: GPL-2.0-or-later
// Rule group.firmware-direct-region: a non-relaxable 1:1 (RMRR/IVMD/RMR) region forbids userspace ownership.
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model/firmware_model.h"
#include "rules/kernel_audit.h"
#include "rules/rules.h"

/* Is a 1:1 region relaxable for @d? ia_fw_region_relaxable_for() (device_rmrr_is_relaxable(), RMR flags). */
static enum ia_tri direct_relaxable(const struct ia_fw_region *r, const struct ia_dev *d)
{
	return ia_fw_region_relaxable_for(r, d->has_class, d->class_code);
}

/*
 * The IOMMU is off (no groups): the regions still say which devices will be unassignable once it is
 * on. A pre-deployment warning per region that names collected devices (users.md ask 5).
 */
static int direct_predeploy(struct ia_eval *ev, const struct ia_rule *self)
{
	const struct ia_firmware *fw = ev->a->firmware;
	int rc = 0;

	for (size_t i = 0; fw && i < fw->n_regions && rc == 0; i++) {
		const struct ia_fw_region *r = &fw->regions[i];
		char blocked[512] = "", relaxed[256] = "", evd[256];
		size_t nb = 0;
		if (!r->kernel_applies)
			continue;
		for (size_t t = 0; t < r->n_targets; t++) {
			const struct ia_dev *d = r->resolved[t] ? ia_audit_find_dev(ev->a, r->targets[t]) : NULL;
			if (!d)
				continue;
			enum ia_tri rx = direct_relaxable(r, d);
			char *buf = rx == IA_YES ? relaxed : blocked;
			size_t cap = rx == IA_YES ? sizeof(relaxed) : sizeof(blocked);
			snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s%s", buf[0] ? ", " : "", d->bdf,
				 rx == IA_UNKNOWN ? " (class unknown)" : "");
			nb += rx != IA_YES;
		}
		if (!nb)
			continue;
		if (r->has_end)
			snprintf(evd, sizeof(evd), "%s %s [0x%" PRIx64 "-0x%" PRIx64 "]%s%s", r->source, r->kind, r->base,
				 r->end, relaxed[0] ? "; relaxable for " : "", relaxed);
		else
			snprintf(evd, sizeof(evd), "%s %s at 0x%" PRIx64 "%s%s", r->source, r->kind, r->base,
				 relaxed[0] ? "; relaxable for " : "", relaxed);
		rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, blocked, NULL, evd,
				     "no IOMMU is active now, but once it is, the firmware's 1:1 %s will make the group%s "
				     "of %s unassignable to userspace", r->kind, nb == 1 ? "" : "s", blocked);
	}
	return rc;
}

/* The kernel's 0-16 MiB region for an ISA bridge (intel_iommu_get_resv_regions() under
 * CONFIG_INTEL_IOMMU_FLOPPY_WA: IOMMU_RESV_DIRECT_RELAXABLE [0, 1 << 24) for PCI class 0x0601). */
#define DIRECT_FLOPPY_END 0xffffffu

/* A VT-d unit is active (the floppy workaround is intel_iommu's). */
static bool direct_vtd_active(const struct ia_audit *a)
{
	for (size_t i = 0; i < a->n_units; i++)
		if (!strcmp(a->units[i].kind, "vt-d"))
			return true;
	return false;
}

/* A member of group @g of base and sub-class @cls (class code >> 8), or NULL. */
static const struct ia_dev *direct_member_of_class(const struct ia_audit *a, const struct ia_group *g, uint32_t cls)
{
	for (size_t k = 0; k < g->n_devices; k++) {
		const struct ia_dev *d = ia_audit_find_dev(a, g->devices[k]);
		if (d && d->has_class && (d->class_code >> 8) == cls)
			return d;
	}
	return NULL;
}

/* The firmware region of [@start, @end] that names a member of @g for which it is relaxable
 * (the member in *@who), or NULL. */
static const struct ia_fw_region *direct_fw_origin(const struct ia_audit *a, const struct ia_group *g,
						   uint64_t start, uint64_t end, const struct ia_dev **who)
{
	const struct ia_firmware *fw = a->firmware;

	for (size_t i = 0; fw && i < fw->n_regions; i++) {
		const struct ia_fw_region *r = &fw->regions[i];
		if (!r->kernel_applies || r->base != start || !r->has_end || r->end != end)
			continue;
		for (size_t t = 0; t < r->n_targets; t++) {
			const struct ia_dev *d = r->resolved[t] ? ia_audit_find_dev(a, r->targets[t]) : NULL;
			if (!d || !d->has_group || d->group != g->id || direct_relaxable(r, d) != IA_YES)
				continue;
			*who = d;
			return r;
		}
	}
	return NULL;
}

/*
 * One note per direct-relaxable region of group @gi, naming where it comes from: the firmware's
 * RMRR (USB or graphics device: device_rmrr_is_relaxable()) or IORT RMR (remapping permitted),
 * or the kernel's own floppy workaround for an ISA bridge, which no firmware asked for (issue 13
 * item 5: it made every Intel host with an LPC bridge show a "relaxable RMRR"). A relaxable region
 * is not mapped for the user's domain (iommu_create_device_direct_mappings() maps only
 * IOMMU_RESV_DIRECT into a default domain), so it never blocks assignment.
 */
static int direct_relaxable_notes(struct ia_eval *ev, const struct ia_rule *self, size_t gi)
{
	const struct ia_audit *a = ev->a;
	const struct ia_group *g = &a->groups[gi];
	int rc = 0;

	if (!g->relaxable) /* counted, but the ranges are not known */
		return ia_rule_except(ev, self, gi, NULL, "relaxable-direct",
				      "a relaxable 1:1 region of unknown origin is not mapped for the user: assignment "
				      "works");
	for (size_t k = 0; k < g->n_relaxable && rc == 0; k++) {
		uint64_t start = g->relaxable[k].start, end = g->relaxable[k].end;
		const struct ia_dev *who = NULL, *isa = direct_member_of_class(a, g, 0x0601);
		const struct ia_fw_region *r = direct_fw_origin(a, g, start, end, &who);
		char why[512];
		if (r) {
			bool rmr = !strcmp(r->kind, "RMR");
			snprintf(why, sizeof(why), "the firmware's %s %s [0x%" PRIx64 "-0x%" PRIx64 "] for this %s is "
				 "relaxable (%s): it is not mapped for the user, so it does not stand in the way of "
				 "assignment, and the firmware's use of that memory stops", r->source, r->kind, start, end,
				 rmr ? "device" : (who->class_code >> 16) == 0x03 ? "graphics device" : "USB controller",
				 rmr ? "the IORT marks remapping permitted" : "device_rmrr_is_relaxable()");
			rc = ia_rule_except(ev, self, gi, who->bdf, rmr ? "relaxable-rmr" : "relaxable-rmrr", why);
		} else if (start == 0 && end == DIRECT_FLOPPY_END && isa && direct_vtd_active(a)) {
			rc = ia_rule_except(ev, self, gi, isa->bdf, "isa-floppy-wa",
					    "the 0-16 MiB relaxable 1:1 region is the kernel's own, not the firmware's: "
					    "intel_iommu_get_resv_regions() gives it to every ISA bridge for legacy floppy "
					    "DMA (CONFIG_INTEL_IOMMU_FLOPPY_WA); it is not mapped for the user, so it "
					    "does not stand in the way of assignment");
		} else {
			snprintf(why, sizeof(why), "a relaxable 1:1 region [0x%" PRIx64 "-0x%" PRIx64 "] that neither a "
				 "firmware RMRR or IORT RMR naming a member nor the ISA-bridge floppy workaround "
				 "explains: it is not mapped for the user, so it does not stand in the way of assignment", start, end);
			rc = ia_rule_except(ev, self, gi, NULL, "relaxable-direct", why);
		}
	}
	return rc;
}

/* The kind of IOMMU translating group @g ("vt-d", "amd-vi", "smmu-v3", ...): the kind of the unit
 * its members' iommu links name when they agree, else (no link read) the kind every unit of the
 * host has; NULL when it cannot be told. */
static const char *direct_group_kind(const struct ia_audit *a, const struct ia_group *g)
{
	const char *kind = NULL;

	for (size_t k = 0; k < g->n_devices; k++) {
		const struct ia_dev *d = ia_audit_find_dev(a, g->devices[k]);
		for (size_t u = 0; d && d->iommu_unit && u < a->n_units; u++) {
			if (strcmp(a->units[u].name, d->iommu_unit))
				continue;
			if (kind && strcmp(kind, a->units[u].kind))
				return NULL;
			kind = a->units[u].kind;
		}
	}
	for (size_t u = 0; !kind && u < a->n_units; u++)
		if (u && strcmp(a->units[u].kind, a->units[0].kind))
			return NULL;
	return kind ? kind : a->n_units ? a->units[0].kind : NULL;
}

/* A group with a non-relaxable direct region. Row require_direct of the behaviour table: from
 * 6.6 (a48ce36e2786) __iommu_device_set_domain() refuses a blocking or user domain for it on every
 * IOMMU; before, only Intel VT-d refused (intel_iommu_attach_device(): -EPERM for an RMRR device)
 * and an AMD IVMD unity range or an Arm IORT RMR did not stop VFIO. */
static int direct_group(struct ia_eval *ev, const struct ia_rule *self, size_t gi)
{
	const struct ia_audit *a = ev->a;
	const struct ia_group *g = &a->groups[gi];
	char subject[32], ev_txt[128];
	snprintf(subject, sizeof(subject), "group %d", g->id);
	snprintf(ev_txt, sizeof(ev_txt), "sys/kernel/iommu_groups/%d/reserved_regions has %zu direct region%s",
		 g->id, g->n_direct, g->n_direct == 1 ? "" : "s");
	enum ia_tri generic = ia_kernel_has(a, IA_KB_REQUIRE_DIRECT);
	const char *kind = direct_group_kind(a, g);
	bool intel = kind && !strcmp(kind, "vt-d");
	int rc;

	if (generic == IA_NO && !intel && kind) {
		/* the kernel hands the group over; the region is then not mapped for the device */
		return ia_rule_finding(ev, self, IA_LEVEL_WARNING, subject,
				       "Check that the device works without the firmware's 1:1 mapping, or keep it "
				       "with the host.", ev_txt,
				       "group %d has a firmware 1:1 region (IVMD/RMR): Linux %d.%d on %s does not refuse "
				       "userspace ownership (only Intel VT-d did before 6.6), but a user's domain lacks "
				       "the region, so DMA the firmware expects there faults", g->id, a->kernel_major,
				       a->kernel_minor, kind);
	}
	if (generic == IA_YES || intel)
		rc = ia_rule_finding(ev, self, self->level, subject, NULL, ev_txt,
				     "group %d has a firmware 1:1 region (RMRR/IVMD/RMR): userspace can never own it "
				     "(\"Firmware has requested this device have a 1:1 IOMMU mapping\")", g->id);
	else
		rc = ia_rule_finding(ev, self, self->level, subject, NULL, ev_txt,
				     "group %d has a firmware 1:1 region (RMRR/IVMD/RMR): from 6.6 the kernel refuses "
				     "userspace ownership of it, and whether this one does is not known", g->id);
	if (rc)
		return rc;
	const char *reason =
		generic == IA_YES ? "firmware requires a 1:1 (direct) mapping for a member: VFIO and iommufd can "
				    "never attach a blocking domain, so the group cannot be owned by userspace"
		: intel ? "firmware requires a 1:1 (direct) mapping for a member: Intel VT-d refuses to attach a "
			  "device with an RMRR to a user's domain (intel_iommu_attach_device(): -EPERM), so the group "
			  "cannot be owned by userspace"
		: "firmware requires a 1:1 (direct) mapping for a member: from 6.6 the kernel refuses userspace "
		  "ownership of such a group on every IOMMU, before only Intel VT-d did, and neither this kernel's "
		  "release nor its IOMMU tells which applies";
	return ia_rule_block(ev, self, gi, NULL, reason, ia_rule_last_finding(ev));
}

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	int rc = 0;

	if (!a->n_iommu_groups) {
		if (a->firmware && a->firmware->n_regions)
			return direct_predeploy(ev, self);
		*why = "the kernel formed no IOMMU groups and the firmware tables list no 1:1 region";
		return -ENODATA;
	}
	for (size_t gi = 0; gi < a->n_groups && rc == 0; gi++) {
		const struct ia_group *g = &a->groups[gi];
		if (!g->resv_read)
			continue; /* unknown: the verdict stays null (collect.unreadable says why) */
		if (g->n_direct) {
			rc = direct_group(ev, self, gi);
		} else if (g->n_relaxable) {
			rc = direct_relaxable_notes(ev, self, gi);
		}
	}
	return rc;
}

const struct ia_rule ia_rule_direct_region = {
	.id = "group.firmware-direct-region",
	.level = IA_LEVEL_ERROR,
	.summary = "A firmware 1:1 region (RMRR, IVMD, IORT RMR) makes a group unassignable",
	.advice = "Change the firmware setting that reserves the region (HP: disable the device's shared "
		  "memory/iLO features per HPE advisory), or use a device/slot not named by the region.",
	.refs = "drivers/iommu/iommu.c iommu_create_device_direct_mappings(), __iommu_device_set_domain(); "
		"kernel-rules.md §4.5, §7.1",
	.eval = r_eval,
	.gives = IA_GIVES_DIRECT,
	.kernel = (const enum ia_kb[]){ IA_KB_REQUIRE_DIRECT },
	.n_kernel = 1,
};
