// SPDX-License-Identifier: GPL-2.0-or-later
// Rule group.iommu-not-coherent: VFIO refuses a device whose IOMMU cannot enforce cache-coherent
// DMA (IOMMU_CAP_CACHE_COHERENCY), as Arm SMMUs do when the firmware does not declare them coherent.
// Mirrors drivers/vfio/vfio_main.c __vfio_register_dev() ("VFIO always sets IOMMU_CACHE"; the check
// came with v5.19, e8ae0e140c05, first in vfio_group_find_or_alloc()); drivers/iommu/arm/arm-smmu-v3
// arm_smmu_capable() / arm_smmu_device_hw_probe() (the firmware's COHACC override is used in preference
// to IDR0.COHACC); drivers/iommu/arm/arm-smmu arm_smmu_capable() (SMMUv1/v2: a coherent table walk,
// IORT SMMU flags bit 1 or dma-coherent on its node, or a DMA-coherent device); kernel-rules.md §4.4
// item 1, §11 item 6. VT-d, AMD-Vi and virtio-iommu always report the capability.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/firmware_model.h"
#include "rules/coherency.h"
#include "rules/kernel_audit.h"
#include "rules/rules.h"

/* The firmware unit with register base @base, or NULL. */
static const struct ia_fw_unit *coh_fw_unit_at(const struct ia_firmware *fw, uint64_t base)
{
	for (size_t i = 0; fw && i < fw->n_units; i++)
		if (fw->units[i].has_base && fw->units[i].base == base)
			return &fw->units[i];
	return NULL;
}

/* The coherency Arm SMMU unit @u of the firmware gives its devices on the audited release. */
static void coh_of_fw_unit(const struct ia_audit *a, const struct ia_fw_unit *u, struct ia_coherency *c)
{
	c->unit = u->name;
	c->source = u->source;
	c->kind = !strcmp(u->kind, "smmu-v3") ? "smmu-v3" : "smmu";
	/* before df198b37e72c (6.1) both drivers answered true whatever the hardware */
	enum ia_tri reports = ia_kernel_has(a, IA_KB_ARM_SMMU_REPORTS_COHERENCY);
	if (reports == IA_NO) {
		c->coherent = IA_YES;
		return;
	}
	if (!strcmp(c->kind, "smmu-v3")) {
		c->coherent = ia_fw_unit_coherent(u);
		c->evidence = c->coherent == IA_UNKNOWN ? (!strcmp(u->source, "IORT") ? "SMMUv3 node flags not read" :
							   !strcmp(u->source, "DT") ? "dma-coherent not read" :
							   "no firmware description of its coherency")
			    : !strcmp(u->source, "DT") ? "no dma-coherent property"
			    : "SMMUv3 node flags bit 0 (COHACC override) clear";
	} else {
		/* SMMUv1/v2: a coherent table walk (ARM_SMMU_FEAT_COHERENT_WALK: IORT flags bit 1, the
		 * node's dma-coherent) accepts every device; without it, from ac9c5e92dd15, a device
		 * whose own firmware node says DMA-coherent (device_get_dma_attr()), which is not read */
		enum ia_tri walk = !strcmp(u->source, "IORT") ? (u->has_flags ? ((u->flags & 2) ? IA_YES : IA_NO) : IA_UNKNOWN)
				 : !strcmp(u->source, "DT") ? u->dma_coherent : IA_UNKNOWN;
		enum ia_tri dev = ia_kernel_has(a, IA_KB_ARM_SMMU_V2_DEVICE_COHERENT);
		c->coherent = walk == IA_YES ? IA_YES : walk == IA_NO && dev == IA_NO ? IA_NO : IA_UNKNOWN;
		c->evidence = walk == IA_UNKNOWN ? "its coherent-walk flag not read"
			    : dev == IA_NO ? (!strcmp(u->source, "IORT") ? "SMMU node flags bit 1 (coherent walk) clear"
								 : "no dma-coherent property (no coherent walk)")
			    : !strcmp(u->source, "IORT") ? "SMMU node flags bit 1 (coherent walk) clear, and the function's "
							   "own DMA coherency (device_get_dma_attr()) not read"
			    : "no dma-coherent property (no coherent walk), and the function's own DMA coherency "
			      "(device_get_dma_attr()) not read";
	}
	/* a release the behaviour table cannot place (a backporting distribution kernel, a release
	 * not read): before 6.1 the driver answered yes, so "not coherent" is not proven */
	if (c->coherent == IA_NO && reports == IA_UNKNOWN) {
		c->coherent = IA_UNKNOWN;
		c->evidence = !strcmp(c->kind, "smmu-v3")
			? "the firmware declares no COHACC, but whether this release's SMMUv3 driver reports it "
			  "(6.1 and later: df198b37e72c) is unknown"
			: "the firmware declares no coherent walk, but whether this release's SMMU driver reports it "
			  "(6.1 and later: df198b37e72c) is unknown";
	}
}

struct ia_coherency ia_coherency_of(const struct ia_audit *a, const struct ia_dev *d)
{
	const struct ia_firmware *fw = a->firmware;
	struct ia_coherency c = { .coherent = IA_UNKNOWN };

	/* the function's pairs, found by binary search (a per-function scan of every pair was
	 * quadratic on a large host) */
	const struct ia_fw_unit_dev *ud = ia_fw_unit_dev_first(fw, d->bdf);
	for (; ud && ud < fw->unit_devs + fw->n_unit_devs && !strcmp(ud->bdf, d->bdf); ud++) {
		const struct ia_fw_unit *u = &fw->units[ud->unit];
		if (!strcmp(u->kind, "smmu-v3") || !strcmp(u->kind, "smmu")) {
			coh_of_fw_unit(a, u, &c);
			return c;
		}
		if (!strcmp(u->kind, "vt-d") || !strcmp(u->kind, "amd-vi")) {
			c.kind = "x86";
			c.coherent = IA_YES;
			return c;
		}
	}
	const struct ia_unit *su = NULL;
	for (size_t i = 0; d->iommu_unit && i < a->n_units && !su; i++)
		if (!strcmp(a->units[i].name, d->iommu_unit))
			su = &a->units[i];
	if (su && su->kind && (!strcmp(su->kind, "smmu-v3") || !strcmp(su->kind, "smmu"))) {
		const struct ia_fw_unit *u = su->has_address ? coh_fw_unit_at(fw, su->address) : NULL;
		if (u && !strcmp(u->kind, su->kind)) {
			coh_of_fw_unit(a, u, &c);
			return c;
		}
		c.kind = su->kind;
		c.unit = su->name;
		c.source = "sysfs";
		c.coherent = ia_kernel_has(a, IA_KB_ARM_SMMU_REPORTS_COHERENCY) == IA_NO ? IA_YES : IA_UNKNOWN;
		c.evidence = "the kernel's unit, which no firmware unit read describes";
		return c;
	}
	bool x86_unit = su && su->kind && (!strcmp(su->kind, "vt-d") || !strcmp(su->kind, "amd-vi"));
	bool x86_units = !su && a->n_units > 0;
	for (size_t i = 0; x86_units && i < a->n_units; i++)
		x86_units = a->units[i].kind && (!strcmp(a->units[i].kind, "vt-d") || !strcmp(a->units[i].kind, "amd-vi"));
	if (x86_unit || x86_units) { /* intel_iommu_capable(), amd_iommu_capable(): always */
		c.kind = "x86";
		c.coherent = IA_YES;
		return c;
	}
	if (ia_audit_arch(a) == 'x') {
		/* another IOMMU of an x86 host (virtio-iommu): viommu_capable() answers yes from 6.0
		 * (5.19.9); before, virtio-iommu had no capable() */
		c.kind = "x86";
		c.unit = su ? su->name : NULL;
		c.source = su ? "sysfs" : NULL;
		c.coherent = ia_kernel_has(a, IA_KB_VIRTIO_IOMMU_CAPABLE) == IA_NO ? IA_UNKNOWN
			   : ia_kernel_has(a, IA_KB_VIRTIO_IOMMU_CAPABLE) == IA_YES ? IA_YES : IA_UNKNOWN;
		c.evidence = su ? "an IOMMU that is neither VT-d nor AMD-Vi (virtio-iommu?), on a release before "
				  "viommu_capable() (6.0, 5.19.9) or one the behaviour table cannot place"
				: "an IOMMU not identified (no unit read), on a release before viommu_capable() (6.0, "
				  "5.19.9) or one the behaviour table cannot place";
		return c;
	}
	if (su) {
		/* another kind elsewhere (virtio-iommu, Apple DART, ...): not modelled, so not known */
		c.kind = "other";
		c.unit = su->name;
		c.source = "sysfs";
		c.evidence = "an IOMMU of a kind whose capable() this audit does not model";
		return c;
	}
	return c; /* kind NULL: which IOMMU translates it is unknown */
}

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	size_t judged = 0;
	int rc = 0;

	if (!a->n_groups) {
		*why = "the kernel formed no IOMMU groups";
		return -ENODATA;
	}
	/* row vfio_requires_coherency (v5.19): VFIO did not check coherency before; with a kernel the
	 * table cannot place, a "not coherent" SMMU makes the group unknown (below), never proven */
	enum ia_tri checks = ia_kernel_has(a, IA_KB_VFIO_REQUIRES_COHERENCY);
	if (checks == IA_NO)
		return 0;
	/* per grouped PCI function (in BDF order) */
	for (size_t i = 0; rc == 0 && i < a->n_devs; i++) {
		const struct ia_dev *d = &a->devs[i];
		const struct ia_group *g = d->has_group ? ia_audit_find_group(a, d->group) : NULL;
		if (!g || g->noiommu) /* VFIO's no-IOMMU mode does not ask (vfio_device_is_noiommu()) */
			continue;
		struct ia_coherency c = ia_coherency_of(a, d);
		judged++;
		/* a release the table cannot place may predate VFIO's test: not proven either */
		if (c.coherent == IA_NO && checks != IA_YES) {
			c.coherent = IA_UNKNOWN;
			c.evidence = "the firmware declares the SMMU not coherent, but whether this release's VFIO "
				     "tests coherency (5.19 and later: e8ae0e140c05) is unknown";
		}
		if (c.coherent == IA_YES)
			continue;
		char evd[512], subject[32];
		snprintf(subject, sizeof(subject), "group %d", g->id);
		if (c.coherent == IA_UNKNOWN) {
			/* Fail closed: what the IOMMU driver's capable() answers depends on facts the audit
			 * could not read, so the group's verdict is unknown (engine_compose()), never
			 * assignable. */
			if (c.unit)
				snprintf(evd, sizeof(evd), "%s %s %s: %s", c.source, c.kind, c.unit, c.evidence);
			else if (c.kind)
				snprintf(evd, sizeof(evd), "%s", c.evidence);
			else
				snprintf(evd, sizeof(evd), "no firmware unit maps %s and its iommu link %s", d->bdf,
					 d->iommu_unit ? "names no unit the audit read" : "was not read");
			rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, d->bdf, NULL, evd,
					     "%s (%s) sits behind %s, whose cache coherency the facts read do not tell: "
					     "VFIO will not accept it if the IOMMU does not report it "
					     "(IOMMU_CAP_CACHE_COHERENCY), so whether it can be assigned is unknown",
					     d->bdf, subject, c.unit ? c.unit : "an IOMMU the audit could not identify");
			ev->res->groups[g - a->groups].coherency_unknown = true;
			continue;
		}
		snprintf(evd, sizeof(evd), "%s %s %s: %s", c.source, c.kind, c.unit, c.evidence);
		rc = ia_rule_finding(ev, self, self->level, d->bdf, NULL, evd,
				     "%s (%s) sits behind %s, which the firmware does not declare cache coherent: VFIO "
				     "will not accept it (IOMMU_CAP_CACHE_COHERENCY)", d->bdf, subject, c.unit);
		if (rc == 0)
			rc = ia_rule_block(ev, self, (size_t)(g - a->groups), d->bdf,
					   "its SMMU is not cache coherent per firmware: VFIO refuses the device (-EINVAL), "
					   "since it always maps with IOMMU_CACHE", ia_rule_last_finding(ev));
	}
	if (rc == 0 && !judged) {
		*why = "no PCI function is in an IOMMU group outside VFIO's no-IOMMU mode";
		return -ENODATA;
	}
	return rc;
}

const struct ia_rule ia_rule_iommu_not_coherent = {
	.id = "group.iommu-not-coherent",
	.level = IA_LEVEL_ERROR,
	.summary = "A device's Arm SMMU is not cache coherent per firmware, so VFIO refuses the device",
	.advice = "If the SMMU's table walks are coherent, fix the firmware (IORT SMMUv3 COHACC override flag or "
		  "SMMUv1/v2 coherent-walk flag, or dma-coherent on the SMMU's device-tree node); otherwise the "
		  "device cannot be assigned.",
	.refs = "drivers/vfio/vfio_main.c __vfio_register_dev() (v5.19, e8ae0e140c05); drivers/iommu/arm/"
		"arm-smmu-v3/arm-smmu-v3.c and drivers/iommu/arm/arm-smmu/arm-smmu.c arm_smmu_capable() "
		"(df198b37e72c, ac9c5e92dd15); kernel-rules.md §4.4 item 1, §11 item 6, Appendix A.4",
	.eval = r_eval,
	.gives = IA_GIVES_COHERENCY,
	.kernel = (const enum ia_kb[]){ IA_KB_VFIO_REQUIRES_COHERENCY, IA_KB_ARM_SMMU_REPORTS_COHERENCY,
					IA_KB_ARM_SMMU_V2_DEVICE_COHERENT, IA_KB_VIRTIO_IOMMU_CAPABLE },
	.n_kernel = 4,
};
