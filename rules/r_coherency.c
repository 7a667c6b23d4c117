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
#include "rules/kernel_audit.h"
#include "rules/rules.h"

/* What the rule knows of the IOMMU translating one function. */
struct coh {
	const char *kind;       /* "smmu-v3", "smmu", "x86" (VT-d/AMD-Vi), "other", or NULL: not known */
	const char *unit;       /* its name for the messages */
	const char *source;     /* "IORT", "DT", "sysfs" */
	enum ia_tri coherent;   /* what arm_smmu_capable() answers, as far as the firmware tells */
	const char *evidence;   /* static text for the evidence line */
};

/* The firmware unit with register base @base, or NULL. */
static const struct ia_fw_unit *coh_fw_unit_at(const struct ia_firmware *fw, uint64_t base)
{
	for (size_t i = 0; fw && i < fw->n_units; i++)
		if (fw->units[i].has_base && fw->units[i].base == base)
			return &fw->units[i];
	return NULL;
}

/* The coherency an Arm SMMU unit @u of the firmware gives its devices. */
static void coh_of_fw_unit(const struct ia_fw_unit *u, struct coh *c)
{
	c->unit = u->name;
	c->source = u->source;
	if (!strcmp(u->kind, "smmu-v3")) {
		c->kind = "smmu-v3";
		c->coherent = ia_fw_unit_coherent(u);
		c->evidence = c->coherent == IA_UNKNOWN ? (!strcmp(u->source, "IORT") ? "SMMUv3 node flags not read" :
							   !strcmp(u->source, "DT") ? "dma-coherent not read" :
							   "no firmware description of its coherency")
			    : !strcmp(u->source, "DT") ? "no dma-coherent property"
			    : "SMMUv3 node flags bit 0 (COHACC override) clear";
		return;
	}
	/* SMMUv1/v2: a coherent table walk (ARM_SMMU_FEAT_COHERENT_WALK, from IORT flags bit 1 or the
	 * node's dma-coherent) accepts every device; without it only a DMA-coherent device
	 * (device_get_dma_attr(): the host bridge's _CCA or dma-coherent), which the audit does not read */
	c->kind = "smmu";
	enum ia_tri walk = !strcmp(u->source, "IORT") ? (u->has_flags ? ((u->flags & 2) ? IA_YES : IA_NO) : IA_UNKNOWN)
			 : !strcmp(u->source, "DT") ? u->dma_coherent : IA_UNKNOWN;
	c->coherent = walk == IA_YES ? IA_YES : IA_UNKNOWN;
	c->evidence = walk == IA_NO ? (!strcmp(u->source, "IORT") ? "SMMU node flags bit 1 (coherent walk) clear, "
				       "the device's own DMA coherency (_CCA) not read" : "no dma-coherent property, the "
				       "device's own DMA coherency not read") : "its coherent-walk flag not read";
}

/*
 * The IOMMU translating grouped function @d: the firmware's (function, unit) pairs first, else the
 * unit the kernel links it to (sysfs iommu), matched to a firmware unit by register base.
 */
static struct coh coh_of(const struct ia_audit *a, const struct ia_dev *d)
{
	const struct ia_firmware *fw = a->firmware;
	struct coh c = { .coherent = IA_UNKNOWN };

	for (size_t i = 0; fw && i < fw->n_unit_devs; i++) {
		const struct ia_fw_unit *u = &fw->units[fw->unit_devs[i].unit];
		if (strcmp(fw->unit_devs[i].bdf, d->bdf))
			continue;
		if (!strcmp(u->kind, "smmu-v3") || !strcmp(u->kind, "smmu")) {
			coh_of_fw_unit(u, &c);
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
			coh_of_fw_unit(u, &c);
			return c;
		}
		c.kind = su->kind;
		c.unit = su->name;
		c.source = "sysfs";
		c.evidence = "the kernel's unit, which no firmware unit read describes";
		return c;
	}
	/* every IOMMU on x86 reports the capability (intel_iommu_capable(), amd_iommu_capable(),
	 * viommu_capable()), whether or not the unit is known */
	if ((su && su->kind && (!strcmp(su->kind, "vt-d") || !strcmp(su->kind, "amd-vi"))) ||
	    (a->arch && (!strcmp(a->arch, "x86_64") || !strcmp(a->arch, "i686") || !strcmp(a->arch, "i386")))) {
		c.kind = "x86";
		c.coherent = IA_YES;
		return c;
	}
	if (su) {
		c.kind = "other"; /* virtio-iommu and the rest: not modelled here */
		return c;
	}
	bool x86_units = a->n_units > 0;
	for (size_t i = 0; i < a->n_units; i++)
		x86_units &= a->units[i].kind && (!strcmp(a->units[i].kind, "vt-d") || !strcmp(a->units[i].kind, "amd-vi"));
	if (x86_units) {
		c.kind = "x86";
		c.coherent = IA_YES;
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
	/* row vfio_requires_coherency (v5.19): VFIO did not check coherency before; a kernel the table
	 * cannot place is taken to check (the stricter verdict) */
	if (ia_kernel_has(a, IA_KB_VFIO_REQUIRES_COHERENCY) == IA_NO)
		return 0;
	/* per grouped PCI function (in BDF order) */
	for (size_t i = 0; rc == 0 && i < a->n_devs; i++) {
		const struct ia_dev *d = &a->devs[i];
		const struct ia_group *g = d->has_group ? ia_audit_find_group(a, d->group) : NULL;
		if (!g || g->noiommu) /* VFIO's no-IOMMU mode does not ask (vfio_device_is_noiommu()) */
			continue;
		struct coh c = coh_of(a, d);
		if (c.kind && !strcmp(c.kind, "other"))
			continue;
		judged++;
		if (c.coherent == IA_YES)
			continue;
		char evd[512], subject[32];
		snprintf(subject, sizeof(subject), "group %d", g->id);
		if (c.coherent == IA_UNKNOWN) {
			/* Fail closed: what the IOMMU driver's capable() answers depends on facts the audit
			 * could not read, so the group's verdict is unknown (engine_compose()), never
			 * assignable. */
			if (c.kind)
				snprintf(evd, sizeof(evd), "%s %s %s: %s", c.source, c.kind, c.unit, c.evidence);
			else
				snprintf(evd, sizeof(evd), "no firmware unit maps %s and its iommu link %s", d->bdf,
					 d->iommu_unit ? "names no unit the audit read" : "was not read");
			rc = ia_rule_finding(ev, self, IA_LEVEL_WARNING, d->bdf, NULL, evd,
					     "%s (%s) sits behind %s%s, whose cache coherency the facts read do not tell: "
					     "VFIO will not accept it if the IOMMU does not enforce it "
					     "(IOMMU_CAP_CACHE_COHERENCY), so whether it can be assigned is unknown",
					     d->bdf, subject, c.kind ? "" : "an IOMMU the audit could not identify",
					     c.kind ? c.unit : "");
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
		*why = "no grouped PCI function sits behind an IOMMU whose coherency this rule models (VT-d, "
		       "AMD-Vi, Arm SMMU)";
		return -ENODATA;
	}
	return rc;
}

const struct ia_rule ia_rule_iommu_not_coherent = {
	.id = "group.iommu-not-coherent",
	.level = IA_LEVEL_ERROR,
	.summary = "A device's Arm SMMUv3 is not cache coherent per firmware, so VFIO refuses the device",
	.advice = "If the SMMU's table walks are coherent, fix the firmware (IORT SMMUv3 COHACC override flag, "
		  "or dma-coherent on the SMMU's device-tree node); otherwise the device cannot be assigned.",
	.refs = "drivers/vfio/vfio_main.c __vfio_register_dev() (v5.19, e8ae0e140c05); drivers/iommu/arm/"
		"arm-smmu-v3/arm-smmu-v3.c arm_smmu_capable(), arm_smmu_device_hw_probe(); kernel-rules.md §11 item 6, "
		"Appendix A.4",
	.eval = r_eval,
	.gives = IA_GIVES_COHERENCY,
	.kernel = (const enum ia_kb[]){ IA_KB_VFIO_REQUIRES_COHERENCY },
	.n_kernel = 1,
};
