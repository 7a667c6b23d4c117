// SPDX-License-Identifier: GPL-2.0-or-later
// `plan`: which devices go together, which drivers must go, what blocks, and the commands (never run).
#include "cli/plan.h"
#include "rules/vfio_path.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/text.h"
#include "core/bdf.h"
#include "core/ia_err.h"
#include "model/firmware_model.h"
#include "reports/jsonw.h"
#include "reports/report.h"
#include "rules/quirks.h"
#include "rules/kernel_audit.h"
#include "rules/coherency.h"
#include "rules/no_group.h"
#include "rules/rules.h"

int ia_plan_normalize_bdf(const char *in, char out[IA_BDF_BUFSZ])
{
	struct ia_bdf b;
	int rc = ia_bdf_parse(in, 0, &b);

	if (rc)
		return rc;
	ia_bdf_format(b, out);
	return 0;
}

/* ---- building --------------------------------------------------------------------------- */

struct plan_build {
	const struct ia_audit *a;
	const struct ia_result *r;      /* the engine's verdicts on @a */
	struct ia_plan *p;
	bool *in_plan;          /* per a->groups index */
	size_t *queue; size_t qh, qt;
	bool *dom_seen;         /* per a->domains index */
	size_t *dom_of;         /* per a->devs index: a->domains index or SIZE_MAX */
	size_t cap_devs, cap_blockers, cap_notes;
};

static const struct ia_group *plan_group_of(const struct ia_audit *a, const struct ia_dev *d)
{
	return d && d->has_group ? ia_audit_find_group(a, d->group) : NULL;
}

static int plan_blocker(struct plan_build *b, const char *rule, const char *subject, bool unknown,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static bool plan_has_dev(const struct ia_plan *p, const char *bdf);
static int plan_add_dev(struct plan_build *b, const char *bdf, const struct ia_group *g);

static char *plan_vtext(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* @fmt with @ap into a malloc'd string; NULL without memory. */
static char *plan_vtext(const char *fmt, va_list ap)
{
	struct ia_sb sb;

	ia_sb_init(&sb);
	ia_sb_vprintf(&sb, fmt, ap);
	return ia_sb_take(&sb);
}

static int plan_blocker(struct plan_build *b, const char *rule, const char *subject, bool unknown,
			const char *fmt, ...)
{
	struct ia_plan *p = b->p;
	va_list ap;

	va_start(ap, fmt);
	char *msg = plan_vtext(fmt, ap);
	va_end(ap);
	struct ia_plan_blocker *nv = msg ? ia_array_grow(p->blockers, &b->cap_blockers, p->n_blockers + 1, sizeof(*nv)) : NULL;
	if (!nv) {
		free(msg);
		return -ENOMEM;
	}
	p->blockers = nv;
	struct ia_plan_blocker *x = &p->blockers[p->n_blockers];
	x->rule = strdup(rule);
	x->subject = strdup(subject);
	x->reason = msg;
	x->unknown = unknown;
	p->n_blockers++;
	return x->rule && x->subject && x->reason ? 0 : -ENOMEM;
}

static int plan_note(struct plan_build *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append a note to the plan (what it rests on besides the kernel's groups). 0 or -ENOMEM. */
static int plan_note(struct plan_build *b, const char *fmt, ...)
{
	struct ia_plan *p = b->p;
	va_list ap;

	va_start(ap, fmt);
	char *msg = plan_vtext(fmt, ap);
	va_end(ap);
	char **nv = msg ? ia_array_grow(p->notes, &b->cap_notes, p->n_notes + 1, sizeof(*nv)) : NULL;
	if (!nv) {
		free(msg);
		return -ENOMEM;
	}
	p->notes = nv;
	p->notes[p->n_notes++] = msg;
	return 0;
}

/*
 * Where the IOMMU is off (issue 19): what turns it on, and for each requested device the group the
 * kernel would put it in then (r->when_enabled) with the members that would go with it, appended
 * to @sb (the tail of the host.iommu-inactive blocker).
 */
static void plan_when_enabled(const struct plan_build *b, struct ia_sb *sb)
{
	const struct ia_audit *a = b->a;
	const struct ia_when_enabled_result *we = &b->r->when_enabled;

	if (!we->iommu_off)
		return;
	if (!we->iommu) {
		ia_sb_printf(sb, "; %s", we->how);
		return;
	}
	/* (firmware_unread: how says the firmware was not read, and nothing is predicted) */
	ia_sb_printf(sb, "; once the IOMMU is on (%s: %s)", we->iommu, we->how);
	if (!we->evaluated) {
		ia_sb_printf(sb, ", the groups cannot be predicted (the PCI topology could not be modelled)");
		return;
	}
	for (size_t i = 0; i < b->p->n_requested; i++) {
		const struct ia_dev *d = ia_audit_find_dev(a, b->p->requested[i]);
		size_t di = d ? (size_t)(d - a->devs) : SIZE_MAX, gi = SIZE_MAX;
		for (size_t g = 0; g < we->n_groups && gi == SIZE_MAX; g++)
			for (size_t k = 0; k < we->groups[g].n; k++)
				if (we->groups[g].members[k] == di)
					gi = g;
		if (!d)
			continue;
		ia_sb_printf(sb, "%s", i ? "; " : ", ");
		if (gi == SIZE_MAX) {
			ia_sb_printf(sb, "%s would be in no group (no firmware IOMMU unit takes it, or arm-smmu-v3 refuses "
				     "its StreamID)", d->bdf);
			continue;
		}
		const struct ia_enabled_group *g = &we->groups[gi];
		ia_sb_printf(sb, "%s would be in predicted group %zu%s", d->bdf, gi, g->uncertain ? " (uncertain)" : "");
		size_t others = 0;
		for (size_t k = 0; k < g->n; k++)
			if (g->members[k] != di)
				ia_sb_printf(sb, "%s%s", others++ ? ", " : " with ", a->devs[g->members[k]].bdf);
		ia_sb_printf(sb, "%s (%s)", others ? "" : " alone", g->basis ? g->basis : "");
	}
}

/*
 * With the IOMMU off: whether the MSIs of every member of the groups the requested functions would
 * be in once it is on (r->when_enabled) go to an isolating controller by the firmware's routes
 * (iommu_group_has_isolated_msi(), per group from 6.3). IA_YES all isolating, IA_NO one is not,
 * IA_UNKNOWN a member without a route or with an unknown controller, or no prediction.
 */
static enum ia_tri plan_enabled_msi(const struct plan_build *b)
{
	const struct ia_audit *a = b->a;
	const struct ia_firmware *fw = a->firmware;
	const struct ia_when_enabled_result *we = &b->r->when_enabled;
	enum ia_tri all = IA_YES;

	if (!fw || !we->evaluated || !we->n_groups)
		return IA_UNKNOWN;
	for (size_t i = 0; i < b->p->n_requested && all != IA_NO; i++) {
		const struct ia_dev *d = ia_audit_find_dev(a, b->p->requested[i]);
		size_t di = d ? (size_t)(d - a->devs) : SIZE_MAX;
		const struct ia_enabled_group *g = NULL;
		for (size_t k = 0; k < we->n_groups && !g; k++)
			for (size_t m = 0; m < we->groups[k].n && !g; m++)
				if (we->groups[k].members[m] == di)
					g = &we->groups[k];
		if (!g)
			return IA_UNKNOWN;
		for (size_t m = 0; m < g->n && all != IA_NO; m++) {
			const struct ia_fw_msi *c = ia_fw_msi_of(fw, a->devs[g->members[m]].bdf);
			enum ia_tri iso = c ? c->isolating : IA_UNKNOWN;
			all = iso == IA_NO ? IA_NO : iso == IA_UNKNOWN ? IA_UNKNOWN : all;
		}
	}
	return all;
}

/* Whether the plan has a blocker of @rule about @subject already. */
static bool plan_has_blocker(const struct ia_plan *p, const char *rule, const char *subject)
{
	for (size_t i = 0; i < p->n_blockers; i++)
		if (!strcmp(p->blockers[i].rule, rule) && !strcmp(p->blockers[i].subject, subject))
			return true;
	return false;
}

/* Add kernel group @gi to the plan (once). */
static int plan_take_group(struct plan_build *b, size_t gi, bool via_domain, bool uncertain, const char *basis)
{
	if (b->in_plan[gi])
		return 0;
	b->in_plan[gi] = true;
	b->queue[b->qt++] = gi;
	struct ia_plan_group *g = &b->p->groups[b->p->n_groups++];
	g->id = b->a->groups[gi].id;
	g->via_domain = via_domain;
	g->domain_uncertain = uncertain;
	g->basis = basis ? strdup(basis) : NULL;
	return basis && !g->basis ? -ENOMEM : 0;
}

/* Close the set of groups over isolation domains: a member's domain brings in every group it spans. */
static int plan_close_groups(struct plan_build *b)
{
	const struct ia_audit *a = b->a;
	int rc = 0;

	while (b->qh < b->qt && rc == 0) {
		const struct ia_group *g = &a->groups[b->queue[b->qh++]];
		for (size_t k = 0; k < g->n_devices && rc == 0; k++) {
			const struct ia_dev *d = ia_audit_find_dev(a, g->devices[k]);
			size_t dom = d ? b->dom_of[d - a->devs] : SIZE_MAX;
			if (dom == SIZE_MAX || b->dom_seen[dom])
				continue;
			b->dom_seen[dom] = true;
			const struct ia_pgroup *pd = &a->domains[dom];
			for (size_t m = 0; m < pd->n && rc == 0; m++) {
				const struct ia_dev *md = &a->devs[pd->members[m]];
				const struct ia_group *mg = plan_group_of(a, md);
				if (mg)
					rc = plan_take_group(b, (size_t)(mg - a->groups), true, pd->uncertain, pd->basis);
				else if (md->probe_group && plan_has_dev(b->p, md->bdf))
					continue; /* it joins a group of the plan when vfio-pci binds it (plan_forming_group()) */
				else if ((mg = plan_group_of(a, md->stream_shared_with)) != NULL)
					/* the SMMUv3 refused it a StreamID that group holds: its DMA is that group's
					 * (group.shared-streamid), so it splits nothing: plan_take_refused() adds it */
					rc = plan_take_group(b, (size_t)(mg - a->groups), true, pd->uncertain, pd->basis);
				else
					rc = plan_blocker(b, "isolation.p2p-domain", md->bdf, false,
							  "%s shares an isolation domain with %s but is in no IOMMU group: "
							  "it can reach the assigned devices peer-to-peer and cannot go with them",
							  md->bdf, g->devices[k]);
			}
		}
	}
	return rc;
}

/*
 * Every function the SMMUv3 refused a StreamID that a planned group holds (struct
 * ia_dev.stream_shared_with): its DMA goes through that group's domain, so it goes with the plan
 * (unbound and kept driverless, plan_classify()) whether or not an isolation domain brought it in.
 * 0 or -ENOMEM.
 */
static int plan_take_refused(struct plan_build *b)
{
	const struct ia_audit *a = b->a;
	int rc = 0;

	for (size_t i = 0; i < a->n_devs && rc == 0; i++) {
		const struct ia_dev *d = &a->devs[i];
		const struct ia_group *g = d->has_group ? NULL : plan_group_of(a, d->stream_shared_with);
		if (g && b->in_plan[g - a->groups] && !plan_has_dev(b->p, d->bdf))
			rc = plan_add_dev(b, d->bdf, NULL);
	}
	return rc;
}

static bool plan_is_vfio(const char *drv)
{
	const struct ia_dmd_driver *d = ia_dmd_lookup(drv);

	return drv && d && d->vfio_bus_driver; /* the CSV's VFIO drivers only: an unknown name claims DMA */
}

/* Does @drv keep DMA ownership out of the group (may stay bound)? Mirrors rules/r_ownership.c. */
/* The kernel predates DMA ownership (row dma_ownership, v5.19): vfio_dev_viable()'s allow-list
 * decides instead. */
static bool plan_pre519(const struct ia_audit *a)
{
	return ia_kernel_has(a, IA_KB_DMA_OWNERSHIP) == IA_NO;
}

static bool plan_driver_may_stay(const struct ia_audit *a, const struct ia_dev *d, const char **why)
{
	const char *drv = d->driver;
	const struct ia_dmd_driver *m = ia_dmd_lookup(drv);
	enum ia_tri own = ia_kernel_has(a, IA_KB_DMA_OWNERSHIP);
	/* vfio_dev_viable(): pci-stub, VFIO drivers and, for bridges (row vfio_bridge_allowed), any driver. */
	bool old_ok = !strcmp(drv, "pci-stub") ||
		      (d->has_hdr && d->hdr_type != 0 && ia_kernel_has(a, IA_KB_VFIO_BRIDGE_ALLOWED) == IA_YES);
	if (own == IA_NO) {
		*why = "claims DMA ownership (before v5.19 only pci-stub, VFIO drivers and bridges may stay bound)";
		return old_ok;
	}
	if (m && m->mainline == IA_DMD_NOT_MAINLINE) {
		*why = "sets driver_managed_dma only outside mainline, so it is taken to claim DMA ownership";
		return false;
	}
	if (own == IA_UNKNOWN && m && !old_ok) {
		/* a kernel the table cannot place: only what both rules allow stays */
		*why = "may claim DMA ownership: whether this kernel has DMA ownership (v5.19) is unknown, and before it "
		       "only pci-stub, VFIO drivers and bridges may stay bound";
		return false;
	}
	*why = "does not set driver_managed_dma, so it claims the group's DMA ownership "
	       "(iommu_group_claim_dma_owner() refuses)";
	return m != NULL;
}

static int plan_add_dev(struct plan_build *b, const char *bdf, const struct ia_group *g)
{
	struct ia_plan *p = b->p;

	struct ia_plan_dev *nv = ia_array_grow(p->devs, &b->cap_devs, p->n_devs + 1, sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	p->devs = nv;
	struct ia_plan_dev *x = &p->devs[p->n_devs++];
	memset(x, 0, sizeof(*x));
	snprintf(x->bdf, sizeof(x->bdf), "%s", bdf);
	x->dev = ia_audit_find_dev(b->a, bdf);
	x->has_group = g != NULL;
	x->group = g ? g->id : 0;
	return 0;
}

static int plan_cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int plan_cmp_dev(const void *x, const void *y)
{
	return strcmp(((const struct ia_plan_dev *)x)->bdf, ((const struct ia_plan_dev *)y)->bdf);
}

static int plan_cmp_pgroup(const void *x, const void *y)
{
	int p = ((const struct ia_plan_group *)x)->id, q = ((const struct ia_plan_group *)y)->id;

	return p < q ? -1 : p > q;
}

/* Decide each device's action and reason. */
static int plan_classify(struct plan_build *b, struct ia_plan_dev *x)
{
	const struct ia_dev *d = x->dev;
	char reason[512];
	const char *why = NULL;

	x->requested = x->requested || (b->p->n_requested &&
		bsearch(&(const char *){ x->bdf }, b->p->requested, b->p->n_requested, sizeof(char *), plan_cmp_str));
	if (!d) {
		x->action = IA_PLAN_KEEP;
		snprintf(reason, sizeof(reason), "not a PCI function the collector saw: its driver is unknown");
	} else if (d->has_hdr && d->hdr_type != 0) {
		if (!d->driver) {
			x->action = IA_PLAN_KEEP;
			snprintf(reason, sizeof(reason), "an unbound bridge: it stays with the host (vfio-pci never binds bridges)");
		} else if (plan_driver_may_stay(b->a, d, &why)) {
			x->action = IA_PLAN_KEEP;
			snprintf(reason, sizeof(reason), "a bridge on %s (%s): it stays with the host "
				 "(vfio-pci never binds bridges)", d->driver,
				 plan_pre519(b->a) ? "before v5.19, vfio_dev_viable() allows any driver on a bridge"
						   : "driver_managed_dma");
		} else {
			x->action = IA_PLAN_UNBIND;
			snprintf(reason, sizeof(reason), "a bridge bound to %s, which %s: unbind it and leave it unbound "
				 "(vfio-pci never binds bridges)", d->driver, why);
		}
	} else if (plan_is_vfio(d->driver)) {
		x->action = IA_PLAN_ALREADY_VFIO;
		snprintf(reason, sizeof(reason), "already on %s", d->driver);
	} else if (x->requested) {
		x->action = IA_PLAN_BIND_VFIO;
		snprintf(reason, sizeof(reason), "requested%s%s%s%s", d->driver ? ": leaves " : d->driver_unknown ?
			 " (its driver is unknown)" : " (now unbound)",
			 d->driver ? d->driver : "", d->driver ? " for vfio-pci" : "",
			 d->has_class && (d->class_code >> 8) == 0x0600 ? "; it is the host bridge: nothing of it serves "
			 "userspace, and the configuration writes vfio-pci does not virtualize reach its registers" : "");
	} else if (!x->has_group && d->stream_shared_with && d->stream_shared_with->has_group && d->driver) {
		/* refused by the SMMUv3, bound to a host driver: its DMA goes through the planned group's
		 * domain (group.shared-streamid), so the driver must go and nothing may bind it again */
		x->action = IA_PLAN_UNBIND;
		snprintf(reason, sizeof(reason), "bound to %s and in no group: the SMMUv3 refused it the StreamID %s holds, "
			 "so its DMA would go through the user's mappings: unbind it and keep it driverless (vfio-pci "
			 "cannot bind it without a group)", d->driver, d->stream_shared_with->bdf);
	} else if (!x->has_group && d->stream_shared_with && d->stream_shared_with->has_group && d->driver_unknown) {
		x->action = IA_PLAN_KEEP;
		snprintf(reason, sizeof(reason), "in no group (the SMMUv3 refused it the StreamID %s holds) and its driver "
			 "could not be read: a host driver would DMA through the user's mappings", d->stream_shared_with->bdf);
	} else if (!d->driver && !x->has_group && d->stream_shared_with && d->stream_shared_with->has_group) {
		/* refused by the SMMUv3: its StreamID is a planned group's (group.shared-streamid) */
		x->action = IA_PLAN_KEEP;
		x->pin = !d->driver_unknown;
		snprintf(reason, sizeof(reason), "unbound and in no group: the SMMUv3 refused it the StreamID %s holds, so "
			 "its DMA goes through the user's mappings if a host driver ever drives it; it must stay unbound%s",
			 d->stream_shared_with->bdf, x->pin ? ": the commands pin it to vfio-pci with driver_override (whose "
			 "probe fails without a group, leaving it driverless)" : "");
	} else if (!d->driver && !x->has_group && d->probe_group) {
		/* no group yet: it joins the one vfio-pci forms when a driver probes it (plan_forming_group()) */
		x->action = IA_PLAN_KEEP;
		x->pin = !d->driver_unknown;
		snprintf(reason, sizeof(reason), "unbound and in no group yet: it joins the group when a driver probes it, "
			 "so it must stay unbound (a kernel driver probing it would share the user's IOMMU domain and make "
			 "the group not viable)%s", x->pin ? ": the commands pin it to vfio-pci with driver_override" : "");
	} else if (!d->driver) {
		x->action = IA_PLAN_KEEP;
		x->pin = !d->driver_unknown;
		snprintf(reason, sizeof(reason), "unbound: claims no DMA ownership; it shares the user's IOMMU domain "
			 "and must stay unbound (a kernel driver probing it later makes the group not viable)%s",
			 x->pin ? ": the commands pin it to vfio-pci with driver_override" : "");
	} else if (plan_driver_may_stay(b->a, d, &why)) {
		x->action = IA_PLAN_KEEP;
		snprintf(reason, sizeof(reason), "%s %s: it may stay bound, but it shares the user's IOMMU domain and "
			 "userspace can reach it peer-to-peer", d->driver,
			 plan_pre519(b->a) ? "is on vfio_dev_viable()'s allow-list (before v5.19)" : "sets driver_managed_dma");
	} else {
		x->action = IA_PLAN_BIND_VFIO;
		snprintf(reason, sizeof(reason), "bound to %s, which %s: it must leave %s (to vfio-pci, so no kernel "
			 "driver takes it back)", d->driver, why, d->driver);
	}
	return (x->reason = strdup(reason)) ? 0 : -ENOMEM;
}

/* Blockers of one kernel group that no unbinding lifts. */
static int plan_group_blockers(struct plan_build *b, const struct ia_group *g)
{
	char subject[32];
	int rc = 0;

	snprintf(subject, sizeof(subject), "group %d", g->id);
	if (g->n_direct)
		rc = plan_blocker(b, "group.firmware-direct-region", subject, false,
				  "firmware requires a 1:1 mapping (RMRR/IVMD/RMR) for a member (%zu direct region%s): "
				  "VFIO can never attach a blocking domain to the group", g->n_direct, g->n_direct == 1 ? "" : "s");
	else if (!g->resv_read)
		rc = plan_blocker(b, "collect.unreadable", subject, true,
				  "reserved_regions of group %d was unreadable: a firmware 1:1 region cannot be ruled out", g->id);
	/* a member list that could not be read may miss a member bound to a kernel driver, which
	 * the plan would neither unbind nor see (rule group.not-viable: ownership unknown) */
	if (rc == 0 && !g->members_read)
		rc = plan_blocker(b, "collect.unreadable", subject, true, "the member list of group %d (devices/) "
				  "was unreadable: a member the plan does not see may be bound to a kernel driver that "
				  "owns the group's DMA", g->id);
	for (size_t k = 0; k < g->n_devices && rc == 0; k++)
		if (!ia_audit_find_dev(b->a, g->devices[k]))
			rc = plan_blocker(b, "plan.non-pci-member", subject, true,
					  "member %s is not a PCI function the collector saw: whether its driver claims "
					  "DMA ownership is unknown", g->devices[k]);
	/* Blockers of rules this plan does not resolve or recompute (fail closed on new rules): those
	 * of the rules that give ownership, isolation domains, endpoints, 1:1 regions and interrupt
	 * isolation are handled above and below, by what the rules declare they give. */
	const unsigned handled = IA_GIVES_OWNERSHIP | IA_GIVES_ISOLATION | IA_GIVES_ENDPOINT | IA_GIVES_DIRECT |
				 IA_GIVES_IRQ;
	const struct ia_group_verdict *gv = &b->r->groups[g - b->a->groups];
	for (size_t k = 0; k < gv->n_blockers && rc == 0; k++) {
		const struct ia_contrib *c = &gv->blockers[k];
		/* the interrupt rule's own blocker on a member (its MSIs bypass remapping, which
		 * kernels before 6.3 do not test): the kernel's test is handled below, this is not */
		bool member_irq = c->rule && (c->rule->gives & IA_GIVES_IRQ) && c->bdf[0];
		/* a function the SMMUv3 refused the group's StreamID: the plan takes it along, unbound and
		 * kept driverless (plan_take_refused()), which lifts the rule's blocker; its driver link
		 * unreadable stays a blocker (collect.unreadable, below) */
		if (c->what && !strcmp(c->what, "group.shared-streamid"))
			continue;
		if (!c->rule || !(c->rule->gives & handled) || member_irq)
			rc = plan_blocker(b, c->what, c->bdf[0] ? c->bdf : subject, false, "%s", c->reason);
	}
	/* a member's SMMUv3 whose cache coherency the firmware facts do not tell (engine_compose():
	 * an unknown input; the rule's warning names the unit) */
	if (rc == 0 && gv->coherency_unknown)
		rc = plan_blocker(b, "group.iommu-not-coherent", subject, true, "whether the IOMMU of a member of "
				  "group %d reports cache coherency is unknown (see the audit's group.iommu-not-coherent "
				  "warning): VFIO refuses the device (-EINVAL) if it does not", g->id);
	/* before 6.3 the kernel may pass the group's MSIs host-wide while no member's domain is seen
	 * (engine_compose(): irq_members is an unknown input) */
	if (rc == 0 && gv->irq_isolated == IA_YES && gv->irq_members == IA_UNKNOWN && !g->noiommu)
		rc = plan_blocker(b, "platform.msi-not-isolated", subject, true, "%s",
				  gv->irq_reason ? gv->irq_reason : "whether the members' MSIs are isolated is unknown");
	return rc;
}

static int plan_platform_blockers(struct plan_build *b)
{
	const struct ia_audit *a = b->a;
	const struct ia_result *r = b->r;
	int rc = 0;
	/* MSI isolation of the planned groups (groups[].irq_isolated: per group from Linux 6.3, the
	 * host's before; issue 12), the host's when no group is planned */
	enum ia_tri irq = IA_YES;
	const char *why = NULL;
	int why_group = 0;
	bool any = false;
	for (size_t gi = 0; b->in_plan && gi < a->n_groups && gi < r->n_groups; gi++) {
		if (!b->in_plan[gi])
			continue;
		enum ia_tri t = r->groups[gi].irq_isolated;
		any = true;
		if ((t == IA_NO && irq != IA_NO) || (t == IA_UNKNOWN && irq == IA_YES)) {
			why = r->groups[gi].irq_reason;
			why_group = a->groups[gi].id;
		}
		irq = t == IA_NO || irq == IA_NO ? IA_NO : t == IA_UNKNOWN || irq == IA_UNKNOWN ? IA_UNKNOWN : IA_YES;
	}
	/* no kernel group in the plan, only groups vfio-pci's probe would form (plan_forming_group()):
	 * from 6.3 their own MSIs decide (iommu_group_has_isolated_msi()), by the firmware's routes */
	char forming_why[320] = "", forming_bdf[IA_BDF_BUFSZ] = "";
	if (b->p->n_notes && a->firmware && ia_kernel_has(a, IA_KB_MSI_ISOLATION_PER_GROUP) == IA_YES) {
		const struct ia_firmware *fw = a->firmware;
		any = true;
		for (size_t i = 0; i < b->p->n_devs && irq != IA_NO; i++) {
			const struct ia_plan_dev *x = &b->p->devs[i];
			/* the functions that join a group at their probe (refused ones never do) */
			if (x->has_group || !x->dev || !x->dev->probe_group)
				continue;
			const struct ia_fw_msi *c = ia_fw_msi_of(fw, x->bdf);
			enum ia_tri iso = c ? c->isolating : IA_UNKNOWN;
			const char *kind = c ? c->kind : NULL;
			if (iso == IA_NO || (iso == IA_UNKNOWN && irq == IA_YES)) {
				snprintf(forming_bdf, sizeof(forming_bdf), "%s", x->bdf);
				snprintf(forming_why, sizeof(forming_why), "the MSIs of %s go to %s%s, which %s; Linux %d.%d tests "
					 "the group vfio-pci forms for it on its own (iommu_group_has_isolated_msi())", x->bdf,
					 kind ? kind : "no controller the firmware names", kind ? " (firmware route)" : "",
					 iso == IA_NO ? "does not isolate" : "may not isolate", a->kernel_major, a->kernel_minor);
			}
			irq = iso == IA_NO ? IA_NO : iso == IA_UNKNOWN ? IA_UNKNOWN : irq;
		}
		if (forming_why[0])
			why = forming_why;
	}
	if (!any)
		irq = r->irq_isolated;
	const char *irq_reason = why ? why : r->irq_reason;
	char subject[32] = "host";
	if (why && why == forming_why)
		snprintf(subject, sizeof(subject), "%s", forming_bdf); /* a group vfio-pci's probe would form */
	else if (why)
		snprintf(subject, sizeof(subject), "group %d", why_group); /* the group's own reason */
	if (irq == IA_NO)
		rc = plan_blocker(b, "platform.msi-not-isolated", subject, false, "%s%s",
				  irq_reason ? irq_reason : "MSIs are not isolated",
				  r->unsafe_interrupts_allowed == IA_YES ? " (allow_unsafe_interrupts is set: VFIO would "
				  "proceed without isolation)" : why ? " (VFIO_SET_IOMMU fails with EPERM)"
				  : ": VFIO refuses the groups (VFIO_SET_IOMMU fails with EPERM)");
	else if (irq == IA_UNKNOWN)
		rc = plan_blocker(b, "platform.msi-not-isolated", subject, true, "interrupt isolation is unknown: %s",
				  irq_reason ? irq_reason : "it could not be determined");
	if (rc == 0 && !a->have_predicted)
		rc = plan_blocker(b, "isolation.p2p-domain", "host", true,
				  "the PCI topology model could not be built, so a wider isolation domain cannot be ruled out");
	return rc;
}

/* The plan unbinds @x or hands it to vfio-pci. */
static bool plan_takes(const struct ia_plan_dev *x)
{
	return x->action == IA_PLAN_BIND_VFIO || x->action == IA_PLAN_UNBIND;
}

/*
 * The host's uses of each device (a->host_use, sorted by bdf), the refusal when the plan takes one
 * the host uses, and the uses that could not be checked (a file that shows them unreadable, or
 * absent where every host has it): never "free" for want of the facts.
 */
static int plan_host_use(struct plan_build *b)
{
	const struct ia_audit *a = b->a;
	struct ia_plan *p = b->p;
	size_t n_required = 0, n_required_absent = 0;

	for (size_t i = 0; i < p->n_devs; i++) {
		struct ia_plan_dev *x = &p->devs[i];
		size_t lo = 0, hi = a->n_host_use;
		while (lo < hi) { /* the first use of x->bdf */
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(a->host_use[mid].bdf, x->bdf) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t k = lo; k < a->n_host_use && !strcmp(a->host_use[k].bdf, x->bdf); k++) {
			const struct ia_host_use **nv = realloc(x->uses, (x->n_uses + 1) * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			x->uses = nv;
			x->uses[x->n_uses++] = &a->host_use[k];
		}
		p->refused |= x->n_uses && plan_takes(x);
	}
	p->host_use_read = a->n_host_use_sources > 0;
	for (size_t i = 0; i < a->n_host_use_sources; i++) {
		const struct ia_host_use_source *s = &a->host_use_sources[i];
		n_required += s->required;
		n_required_absent += s->required && s->status == -ENOENT;
		if (s->status == 0 || (s->status == -ENOENT && !s->required))
			continue;
		struct ia_sb sb;
		ia_sb_init(&sb);
		ia_sb_printf(&sb, "%s (%s: %s)", s->shows, s->path, s->status != -ENOENT ? ia_strerror(s->status) :
			     a->live ? "absent" : "not in the capture");
		char *line = ia_sb_take(&sb);
		char **nv = line ? realloc(p->unchecked, (p->n_unchecked + 1) * sizeof(*nv)) : NULL;
		if (!nv) {
			free(line);
			return -ENOMEM;
		}
		p->unchecked = nv;
		p->unchecked[p->n_unchecked++] = line;
	}
	p->unchecked_all = !a->live && n_required && n_required == n_required_absent;
	return 0;
}


static bool plan_has_dev(const struct ia_plan *p, const char *bdf)
{
	for (size_t i = 0; i < p->n_devs; i++)
		if (!strcmp(p->devs[i].bdf, bdf))
			return true;
	return false;
}

/*
 * What the kernel would refuse of function @d once binding vfio-pci forms its group, which the rules
 * (run on the kernel's groups) did not see: its SMMU not cache coherent per firmware
 * (__vfio_register_dev(): IOMMU_CAP_CACHE_COHERENCY, row vfio_requires_coherency), or a firmware
 * 1:1 region naming it that is not relaxable (__iommu_device_set_domain(): require_direct, row
 * require_direct). Unknown inputs are blockers that fail closed. 0 or -ENOMEM.
 */
static int plan_forming_refusals(struct plan_build *b, const struct ia_dev *d)
{
	const struct ia_audit *a = b->a;
	const struct ia_firmware *fw = a->firmware;
	int rc = 0;

	if (!fw)
		return plan_blocker(b, "plan.no-group", d->bdf, true, "the firmware facts are missing, so whether the "
				    "kernel would take the group vfio-pci forms for %s is unknown", d->bdf);
	/* the rule's own answer for the function (rules/coherency.h), on a release whose VFIO asks */
	enum ia_tri coh_checked = ia_kernel_has(a, IA_KB_VFIO_REQUIRES_COHERENCY);
	struct ia_coherency coh = ia_coherency_of(a, d);
	if (coh_checked != IA_NO && coh.coherent == IA_UNKNOWN) /* fail closed: a fact or the release unread */
		rc = plan_blocker(b, "group.iommu-not-coherent", d->bdf, true, "%s sits behind %s, whose cache "
				  "coherency the facts read do not tell (%s): VFIO refuses the device (-EINVAL) once "
				  "its group forms if it is not coherent", d->bdf,
				  coh.unit ? coh.unit : "an IOMMU the audit could not identify",
				  coh.evidence ? coh.evidence : "no unit known");
	else if (coh_checked != IA_NO && coh.coherent == IA_NO)
		rc = plan_blocker(b, "group.iommu-not-coherent", d->bdf, coh_checked == IA_UNKNOWN, "%s sits behind "
				  "%s, which the firmware does not declare cache coherent: VFIO refuses the device "
				  "(-EINVAL) once its group forms", d->bdf, coh.unit ? coh.unit : "its IOMMU");
	enum ia_tri direct = ia_kernel_has(a, IA_KB_REQUIRE_DIRECT);
	for (size_t r = 0; rc == 0 && r < fw->n_regions; r++) {
		const struct ia_fw_region *g = &fw->regions[r];
		bool names = false;
		for (size_t t = 0; t < g->n_targets && !names; t++)
			names = g->resolved[t] && !strcmp(g->targets[t], d->bdf);
		enum ia_tri relax = names && g->kernel_applies ? ia_fw_region_relaxable_for(g, d->has_class, d->class_code) : IA_YES;
		/* before require_direct (6.6) only VT-d refused an RMRR */
		enum ia_tri refuses = relax == IA_YES ? IA_NO : !strcmp(g->kind, "RMRR") ? IA_YES : direct;
		if (refuses != IA_NO)
			rc = plan_blocker(b, "group.firmware-direct-region", d->bdf, refuses == IA_UNKNOWN || relax == IA_UNKNOWN,
					  "the firmware's %s %s 0x%llx names %s: the group vfio-pci forms would need that 1:1 "
					  "mapping, so userspace cannot own it", g->source, g->kind,
					  (unsigned long long)g->base, d->bdf);
	}
	return rc;
}

/*
 * Requested function @d has no group only because no driver has probed it (ia_no_group_until_probe():
 * an arm64 kernel before 6.15 forms a group at a driver's probe), so binding vfio-pci forms it, as
 * pci_device_group() would: its predicted group (struct ia_dev.predicted_group). A predicted member
 * already in a kernel group means @d joins that group (taken whole); the others have no group yet
 * and join at their own probe (named, kept unbound). @d's isolation domain is taken as a group's
 * would be. A prediction missing or uncertain is a blocker that fails closed. 0 or -ENOMEM.
 */
static int plan_forming_group(struct plan_build *b, const struct ia_dev *d)
{
	const struct ia_audit *a = b->a;
	const struct ia_pgroup *pg = d->probe_group && d->probe_group <= a->n_probe_groups ?
				     &a->probe_groups[d->probe_group - 1] : NULL;
	int rc = 0;

	if (!pg) {
		rc = plan_blocker(b, "plan.no-group", d->bdf, true, "%s has no IOMMU group yet (this kernel forms one when "
				  "a driver probes it) and the group binding vfio-pci would form cannot be predicted (no "
				  "topology model)", d->bdf);
		return rc || plan_has_dev(b->p, d->bdf) ? rc : plan_add_dev(b, d->bdf, NULL);
	}
	struct ia_sb members, joins;
	ia_sb_init(&members);
	ia_sb_init(&joins);
	for (size_t m = 0; m < pg->n && rc == 0; m++) {
		const struct ia_dev *md = &a->devs[pg->members[m]];
		const struct ia_group *mg = plan_group_of(a, md);
		if (md != d)
			ia_sb_printf(&members, "%s%s", members.len ? ", " : "", md->bdf);
		if (mg) {
			if (!b->in_plan[mg - a->groups])
				ia_sb_printf(&joins, "%s%d", joins.len ? ", " : "", mg->id);
			rc = plan_take_group(b, (size_t)(mg - a->groups), false, false, NULL);
		} else if (!plan_has_dev(b->p, md->bdf)) {
			rc = plan_add_dev(b, md->bdf, NULL);
		}
	}
	/* its isolation domain: every group it spans goes too (plan_close_groups() for the rest) */
	size_t dom = b->dom_of[d - a->devs];
	if (rc == 0 && dom != SIZE_MAX && !b->dom_seen[dom]) {
		const struct ia_pgroup *pd = &a->domains[dom];
		for (size_t m = 0; m < pd->n && rc == 0; m++) {
			const struct ia_group *mg = plan_group_of(a, &a->devs[pd->members[m]]);
			if (mg)
				rc = plan_take_group(b, (size_t)(mg - a->groups), true, pd->uncertain, pd->basis);
		}
	}
	if (rc == 0 && (members.err || joins.err))
		rc = -ENOMEM;
	char rel[160];
	const char *when = ia_kb_releases(IA_KB_ARM64_GROUPS_AT_ENUMERATION, rel, sizeof(rel));
	when = strstr(when, ": ") ? strstr(when, ": ") + 2 : when; /* past the row's id */
	if (rc == 0)
		rc = plan_note(b, "%s has no IOMMU group yet: this kernel forms a function's group when a driver probes "
			       "it (of_dma_configure() or acpi_dma_configure() from really_probe(); at enumeration in %s), "
			       "so binding vfio-pci forms it, and by the topology pci_device_group() puts it %s%s%s",
			       d->bdf, when, joins.len ? "in group " : members.len ? "with " : "alone",
			       joins.len ? ia_sb_str(&joins) : members.len ? ia_sb_str(&members) : "",
			       joins.len ? ", which the plan takes whole" : members.len ? " (a function without a group "
			       "joins it when a driver probes it)" : "");
	if (rc == 0)
		rc = plan_forming_refusals(b, d);
	if (rc == 0 && pg->uncertain)
		rc = plan_blocker(b, "plan.no-group", d->bdf, true, "the group binding vfio-pci would form for %s is "
				  "uncertain: %s", d->bdf, pg->basis && *pg->basis ? pg->basis : "the topology could not tell");
	ia_sb_free(&members);
	ia_sb_free(&joins);
	return rc;
}

/* What a use takes from the host, for "would take ...". */
static const char *plan_use_phrase(const char *use)
{
	static const struct { const char *use, *phrase; } t[] = {
		{ "root-disk", "the host's root disk" },
		{ "mounted", "a disk the host has mounted" },
		{ "swap", "the host's swap" },
		{ "dm-md-member", "a disk under the host's device-mapper or md devices" },
		{ "default-route-nic", "the host's default-route interface" },
		{ "addressed-nic", "an interface the host has routes or addresses on" },
		{ "console", "the host's console" },
		{ "boot-vga", "the host's boot display" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(use, t[i].use))
			return t[i].phrase;
	return "a device the host uses";
}

static int plan_fill(struct plan_build *b, const char *const *bdfs, size_t n, char *err, size_t errlen)
{
	const struct ia_audit *a = b->a;
	struct ia_plan *p = b->p;
	int rc;

	p->requested = calloc(n, sizeof(char *));
	if (!p->requested)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!ia_audit_find_dev(a, bdfs[i])) {
			if (errlen)
				snprintf(err, errlen, "%s is not a PCI function of this host", bdfs[i]);
			return -ENOENT;
		}
		if (!(p->requested[p->n_requested++] = strdup(bdfs[i])))
			return -ENOMEM;
	}
	qsort(p->requested, p->n_requested, sizeof(char *), plan_cmp_str);
	size_t w = 0;
	for (size_t i = 0; i < p->n_requested; i++) {
		if (w && !strcmp(p->requested[w - 1], p->requested[i]))
			free(p->requested[i]);
		else
			p->requested[w++] = p->requested[i];
	}
	p->n_requested = w;

	if (!ia_audit_iommu_active(a) || !a->n_groups) {
		struct ia_sb sb;
		ia_sb_init(&sb);
		plan_when_enabled(b, &sb);
		/* amd_iommu=off took AMD interrupt remapping with it (the rule's warning): VFIO needs it back */
		bool amd_off = false;
		for (size_t i = 0; a->firmware && i < a->firmware->n_msi; i++)
			amd_off |= !strcmp(a->firmware->msi[i].kind, "amd-ir") && a->firmware->msi[i].turned_off_by &&
				   !strncmp(a->firmware->msi[i].turned_off_by, "amd_iommu", 9);
		if (!a->dumps_alone && b->r->irq_isolated == IA_NO && amd_off)
			ia_sb_puts(&sb, "; VFIO then also needs interrupt remapping, which amd_iommu=off turned off with the "
				   "IOMMU and booting without it turns on, unless the kernel vetoes it (its log: \"No "
				   "southbridge IOAPIC found\"), when VFIO_SET_IOMMU fails with EPERM");
		/* (in no-IOMMU mode vfio-pci does bind: a vfio-noiommu group) */
		p->iommu_off = !a->dumps_alone && !ia_audit_iommu_active(a) && b->r->noiommu_enabled != IA_YES;
		char *tail = ia_sb_take(&sb);
		/* dumps alone: no kernel among the inputs, so whether an IOMMU is active is unknown (fail closed) */
		rc = !tail ? -ENOMEM : a->dumps_alone ?
		     plan_blocker(b, "host.iommu-inactive", "host", true, "the dumps hold no kernel state: whether an IOMMU "
				  "is active and which IOMMU groups it forms are unknown, so nothing can be planned%s", tail) :
		     ia_audit_iommu_active(a) ?
		     plan_blocker(b, "plan.no-group", "host", true, "an IOMMU is active but the kernel formed no IOMMU "
				  "group yet (some kernels form a function's group only when a driver probes it): which "
				  "groups binding vfio-pci would form is not planned from this state%s", tail) :
		     plan_blocker(b, "host.iommu-inactive", "host", false, "no IOMMU is active (no IOMMU groups): "
				  "nothing can be given to userspace with DMA isolation%s", tail);
		free(tail);
		if (rc)
			return rc;
		/* MSIs that stay unisolated once the IOMMU is on (a GICv2m frame; not amd_iommu=off, which the
		 * rule reports as a warning because turning the IOMMU on turns AMD remapping on too) */
		const struct ia_finding *mf = b->r->irq_finding < b->r->n_findings ? &b->r->findings[b->r->irq_finding] : NULL;
		/* from 6.3 each group is tested on its own: the firmware's MSI routes of the requested
		 * functions' groups once the IOMMU is on decide (all isolating: no blocker) */
		if (!a->dumps_alone && b->r->irq_isolated == IA_NO && mf && mf->level == IA_LEVEL_ERROR &&
		    ia_kernel_has(a, IA_KB_MSI_ISOLATION_PER_GROUP) == IA_YES && plan_enabled_msi(b) == IA_YES)
			mf = NULL;
		if (!a->dumps_alone && b->r->irq_isolated == IA_NO && mf && mf->level == IA_LEVEL_ERROR &&
		    (rc = plan_blocker(b, "platform.msi-not-isolated", "host", false, "%s: turning the IOMMU on does not "
				       "change it, so VFIO would refuse the groups (VFIO_SET_IOMMU fails with EPERM)",
				       b->r->irq_reason ? b->r->irq_reason : "MSIs are not isolated")))
			return rc;
		for (size_t i = 0; i < p->n_requested; i++)
			if ((rc = plan_add_dev(b, p->requested[i], NULL)))
				return rc;
	} else {
		b->in_plan = calloc(a->n_groups, sizeof(bool));
		b->queue = malloc(a->n_groups * sizeof(size_t));
		b->dom_seen = calloc(a->n_domains + 1, sizeof(bool));
		b->dom_of = malloc((a->n_devs + 1) * sizeof(size_t));
		p->groups = calloc(a->n_groups, sizeof(*p->groups));
		if (!b->in_plan || !b->queue || !b->dom_seen || !b->dom_of || !p->groups)
			return -ENOMEM;
		for (size_t i = 0; i < a->n_devs; i++)
			b->dom_of[i] = SIZE_MAX;
		for (size_t d = 0; d < a->n_domains; d++)
			for (size_t k = 0; k < a->domains[d].n; k++)
				if (a->domains[d].members[k] < a->n_devs)
					b->dom_of[a->domains[d].members[k]] = d;
		for (size_t i = 0; i < p->n_requested; i++) {
			const struct ia_dev *d = ia_audit_find_dev(a, p->requested[i]);
			const struct ia_group *g = plan_group_of(a, d);
			char why[IA_NO_GROUP_REASON_MAX];
			if (!g && ia_no_group_until_probe(a, d)) {
				if ((rc = plan_forming_group(b, d)))
					return rc;
				continue;
			}
			if (!g && ia_no_group_reason(a, d, why, sizeof(why))) {
				/* the firmware puts it behind an IOMMU: say why it has no group (issue 13 item 11) */
				if ((rc = plan_blocker(b, "plan.no-group", d->bdf, false, "%s is in no IOMMU group: %s",
						       d->bdf, why)) ||
				    (rc = plan_add_dev(b, d->bdf, NULL)))
					return rc;
				continue;
			}
			if (!g) {
				if ((rc = plan_blocker(b, "plan.no-group", d->bdf, false, "%s is in no IOMMU group: it is not "
						       "behind an IOMMU, so it cannot be given to userspace with isolation", d->bdf)) ||
				    (rc = plan_add_dev(b, d->bdf, NULL)))
					return rc;
				continue;
			}
			if ((rc = plan_take_group(b, (size_t)(g - a->groups), false, false, NULL)))
				return rc;
		}
		if ((rc = plan_close_groups(b)) || (rc = plan_take_refused(b)))
			return rc;
		qsort(p->groups, p->n_groups, sizeof(*p->groups), plan_cmp_pgroup);
		for (size_t i = 0; i < p->n_groups; i++) {
			const struct ia_group *g = ia_audit_find_group(a, p->groups[i].id);
			for (size_t k = 0; k < g->n_devices; k++)
				if ((rc = plan_add_dev(b, g->devices[k], g)))
					return rc;
			if ((rc = plan_group_blockers(b, g)))
				return rc;
		}
	}
	qsort(p->devs, p->n_devs, sizeof(*p->devs), plan_cmp_dev);
	for (size_t i = 0; i < p->n_devs; i++) {
		struct ia_plan_dev *x = &p->devs[i];
		if ((rc = plan_classify(b, x)))
			return rc;
		if (x->requested && x->dev && (!x->dev->has_hdr || x->dev->hdr_type != 0) &&
		    (rc = plan_blocker(b, "plan.not-an-endpoint", x->bdf, !x->dev->has_hdr, "%s", x->dev->has_hdr ?
				       "a bridge: vfio-pci binds only endpoints (header type 0); assign the devices below it" :
				       "its header type was unreadable, so whether vfio-pci can bind it is unknown")))
			return rc;
		if (x->dev && x->dev->driver_unknown &&
		    (rc = plan_blocker(b, "collect.unreadable", x->bdf, true, "its driver link could not be read: "
				       "whether a kernel driver owns its DMA is unknown")))
			return rc;
		/* vfio_pci_core_register_device(): "Cannot bind to PF with SR-IOV enabled" (-EBUSY); once
		 * per function (rule device.vfio-pci-refuses may have given the group's blocker already) */
		if (x->action == IA_PLAN_BIND_VFIO && x->dev && !x->dev->is_vf && x->dev->has_numvfs &&
		    x->dev->numvfs > 0 && !plan_has_blocker(p, "device.vfio-pci-refuses", x->bdf) &&
		    (rc = plan_blocker(b, "device.vfio-pci-refuses", x->bdf, false, "an SR-IOV PF with %u VF%s enabled: "
				       "vfio-pci refuses to bind it (-EBUSY); disable the VFs first (echo 0 > "
				       "/sys/bus/pci/devices/%s/sriov_numvfs) or assign the VFs", x->dev->numvfs,
				       x->dev->numvfs == 1 ? "" : "s", x->bdf)))
			return rc;
	}
	if (a->n_groups && (rc = plan_platform_blockers(b)))
		return rc;
	/* the VFIO path the plan is for (rule host.vfio-path): a kernel without it hands nothing
	 * over, and one that may lack it (no kernel configuration read, its module not loaded) is not
	 * a plan that holds (the engine makes every group's verdict no or unknown alike) */
	const struct ia_path_state *ps = &b->r->paths[b->r->path];
	if (ps->offered != IA_YES &&
	    (rc = plan_blocker(b, "host.vfio-path", "host", ps->offered == IA_UNKNOWN, "%s: %s",
			       ps->offered == IA_NO ? "this kernel does not have the VFIO path the plan assumes"
						    : "whether this kernel has the VFIO path the plan assumes is unknown",
			       ps->why ? ps->why : ia_vfio_path_name(b->r->path))))
		return rc;
	return plan_host_use(b);
}

int ia_plan_build(const struct ia_audit *a, const struct ia_result *r, const char *const *bdfs, size_t n,
		  struct ia_plan **out, char *err, size_t errlen)
{
	struct plan_build b = { .a = a, .r = r };
	int rc;

	if (errlen)
		err[0] = '\0';
	if (!a || !r || r->n_groups != a->n_groups || !bdfs || !n || !out)
		return -EINVAL;
	if (!(b.p = calloc(1, sizeof(*b.p))))
		return -ENOMEM;
	b.p->vfio_path = ia_vfio_path_name(r->path);
	b.p->vfio_path_named = r->path_named;
	b.p->vfio_path_offered = r->paths[r->path].offered;
	b.p->vfio_path_why = r->paths[r->path].why;
	b.p->vfio_other_offered = r->paths[r->path == IA_PATH_CONTAINER ? IA_PATH_IOMMUFD : IA_PATH_CONTAINER].offered;
	b.p->vfio_other_why = r->paths[r->path == IA_PATH_CONTAINER ? IA_PATH_IOMMUFD : IA_PATH_CONTAINER].why;
	rc = plan_fill(&b, bdfs, n, err, errlen);
	free(b.in_plan);
	free(b.queue);
	free(b.dom_seen);
	free(b.dom_of);
	if (rc < 0) {
		ia_plan_free(b.p);
		return rc;
	}
	*out = b.p;
	return 0;
}

bool ia_plan_feasible(const struct ia_plan *p)
{
	return p && p->n_blockers == 0;
}

void ia_plan_free(struct ia_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_requested; i++)
		free(p->requested[i]);
	free(p->requested);
	for (size_t i = 0; i < p->n_groups; i++)
		free(p->groups[i].basis);
	free(p->groups);
	for (size_t i = 0; i < p->n_devs; i++) {
		free(p->devs[i].reason);
		free(p->devs[i].uses);
	}
	free(p->devs);
	for (size_t i = 0; i < p->n_unchecked; i++)
		free(p->unchecked[i]);
	free(p->unchecked);
	for (size_t i = 0; i < p->n_notes; i++)
		free(p->notes[i]);
	free(p->notes);
	for (size_t i = 0; i < p->n_blockers; i++) {
		free(p->blockers[i].rule); free(p->blockers[i].subject); free(p->blockers[i].reason);
	}
	free(p->blockers);
	free(p);
}

/* ---- rendering -------------------------------------------------------------------------- */

static const char *plan_action_name(enum ia_plan_action a)
{
	switch (a) {
	case IA_PLAN_KEEP: return "keep";
	case IA_PLAN_ALREADY_VFIO: return "already-vfio";
	case IA_PLAN_BIND_VFIO: return "bind-vfio-pci";
	default: return "unbind";
	}
}

/* Emit the commands through @line (text: print; JSON: append). Two variants: driverctl and sysfs. */
static void plan_commands(const struct ia_plan *p, bool driverctl, void (*line)(void *, const char *), void *ctx)
{
	char buf[256];
	bool any_vfio = false;

	if (p->refused && !p->forced)
		return;   /* it would take what the host uses: nothing to copy and paste */
	for (size_t i = 0; i < p->n_devs; i++)
		any_vfio |= p->devs[i].action == IA_PLAN_BIND_VFIO;
	if (!driverctl && any_vfio)
		line(ctx, "modprobe vfio-pci");
	for (size_t i = 0; i < p->n_devs; i++) {
		const struct ia_plan_dev *x = &p->devs[i];
		const char *to = x->action == IA_PLAN_BIND_VFIO ? "vfio-pci" : x->action == IA_PLAN_UNBIND ? "none" : NULL;
		if (x->pin) {
			/* kept unbound: a later probe (a hotplug rescan, drivers_probe, a module load) binds
			 * vfio-pci, never a driver that claims the group's DMA ownership */
			if (driverctl)
				snprintf(buf, sizeof(buf), "driverctl set-override %s vfio-pci", x->bdf);
			else
				snprintf(buf, sizeof(buf), "echo vfio-pci > /sys/bus/pci/devices/%s/driver_override", x->bdf);
			line(ctx, buf);
			continue;
		}
		if (!to)
			continue;
		if (driverctl) {
			snprintf(buf, sizeof(buf), "driverctl set-override %s %s", x->bdf, to);
			line(ctx, buf);
			continue;
		}
		snprintf(buf, sizeof(buf), "echo %s > /sys/bus/pci/devices/%s/driver_override", to, x->bdf);
		line(ctx, buf);
		if (x->dev && x->dev->driver) {
			snprintf(buf, sizeof(buf), "echo %s > /sys/bus/pci/devices/%s/driver/unbind", x->bdf, x->bdf);
			line(ctx, buf);
		}
		if (x->action == IA_PLAN_BIND_VFIO) {
			snprintf(buf, sizeof(buf), "echo %s > /sys/bus/pci/drivers_probe", x->bdf);
			line(ctx, buf);
		}
	}
}

static void plan_text_line(void *ctx, const char *s)
{
	fprintf((FILE *)ctx, "  %s\n", s);
}

/* "Host use:": what the plan would take from the host, the refusal, what could not be checked. */
static void plan_text_host_use(const struct ia_plan *p, FILE *out)
{
	fprintf(out, "\nHost use:\n");
	for (size_t i = 0; i < p->n_devs; i++) {
		const struct ia_plan_dev *x = &p->devs[i];
		for (size_t k = 0; k < x->n_uses && plan_takes(x); k++)
			fprintf(out, "  %s would take %s (%s, %s)\n", x->bdf, plan_use_phrase(x->uses[k]->use),
				x->uses[k]->name, x->uses[k]->detail);
	}
	if (p->refused)
		fprintf(out, p->forced ? "  --force: the commands below take them anyway\n"
				       : "  REFUSED: no commands are printed; make sure the host can do without them, "
					 "then --force prints the commands\n");
	if (!p->host_use_read)
		fprintf(out, "  not checked: no facts of the host's own use of its devices were collected (an lspci "
			     "dump is a host of its own): whether the host uses these devices is unknown\n");
	else if (p->unchecked_all)
		fprintf(out, "  not checked: the capture holds none of the files that show the host's use of its devices "
			     "(a capture by another tool or an older iommu-audit): whether the host uses these devices "
			     "is unknown\n");
	else
		for (size_t i = 0; i < p->n_unchecked; i++)
			fprintf(out, "  could not check %s: whether the host uses these devices so is unknown\n",
				p->unchecked[i]);
	if (!p->refused && p->host_use_read && !p->unchecked_all && !p->n_unchecked)
		fprintf(out, "  none: no device the plan takes holds a mounted filesystem, swap or a dm/md member, "
			     "carries a route or an address, or is the console or the boot display\n");
}

static int plan_text_raw(const struct ia_plan *p, FILE *out)
{
	size_t n_unbind = 0, n_keep = 0;

	fprintf(out, "Plan to give userspace (vfio-pci):");
	for (size_t i = 0; i < p->n_requested; i++)
		fprintf(out, " %s", p->requested[i]);
	if (ia_plan_feasible(p) && p->refused && !p->forced)
		fprintf(out, "\nVerdict: REFUSED: the devices could be assigned, but the host uses them (see \"Host use\")\n");
	else if (ia_plan_feasible(p) && (!p->host_use_read || p->unchecked_all || p->n_unchecked))
		/* fail closed: a use that could not be checked is not "free" (see "Host use") */
		fprintf(out, "\nVerdict: feasible unless the host uses them, which could not be checked (see "
			"\"Host use\"): after the commands below the devices can be assigned\n");
	else if (ia_plan_feasible(p))
		fprintf(out, "\nVerdict: feasible: after the commands below the devices can be assigned\n");
	else {
		size_t n_unknown = 0;
		for (size_t i = 0; i < p->n_blockers; i++)
			n_unknown += p->blockers[i].unknown;
		/* an unknown blocker is an input not read, not a proven obstacle: the line says how many */
		fprintf(out, "\nVerdict: BLOCKED: %zu blocker%s that no unbinding lifts", p->n_blockers,
			p->n_blockers == 1 ? "" : "s");
		if (n_unknown == p->n_blockers)
			fprintf(out, " (%s: %s)", n_unknown == 1 ? "unknown" : "all unknown",
				n_unknown == 1 ? "it rests on an input not known" : "they rest on inputs not known");
		else if (n_unknown)
			fprintf(out, " (%zu of them unknown: %s on inputs not known)", n_unknown,
				n_unknown == 1 ? "it rests" : "they rest");
		fputc('\n', out);
	}
	bool fd = p->vfio_path && !strcmp(p->vfio_path, "iommufd");
	char other[320];
	if (p->vfio_path_named)
		snprintf(other, sizeof(other), ", as --vfio-path names");
	else if (p->vfio_other_offered == IA_NO)
		snprintf(other, sizeof(other), " (this kernel has no other: %s)",
			 p->vfio_other_why ? p->vfio_other_why : fd ? "no legacy container" : "no iommufd");
	else
		snprintf(other, sizeof(other), " (--vfio-path %s for the other)", fd ? "container" : "iommufd");
	if (p->vfio_path) /* issue 12: the verdict is the kernel's on this path */
		fprintf(out, "VFIO path assumed: %s%s%s%s%s\n", fd ?
			"iommufd (/dev/iommu, the VFIO device cdev)" : "the legacy container (/dev/vfio/vfio)", other,
			p->vfio_path_offered == IA_NO ? "; this kernel does NOT have it" :
			p->vfio_path_offered == IA_UNKNOWN ? "; whether this kernel has it is unknown" : "",
			p->vfio_path_offered != IA_YES && p->vfio_path_why ? ": " : "",
			p->vfio_path_offered != IA_YES && p->vfio_path_why ? p->vfio_path_why : "");
	plan_text_host_use(p, out);
	if (p->n_groups) {
		fprintf(out, "\nDevices that go together (%zu kernel IOMMU group%s):\n", p->n_groups, p->n_groups == 1 ? "" : "s");
		for (size_t i = 0; i < p->n_groups; i++) {
			fprintf(out, "  group %d:", p->groups[i].id);
			for (size_t k = 0; k < p->n_devs; k++)
				if (p->devs[k].has_group && p->devs[k].group == p->groups[i].id)
					fprintf(out, " %s", p->devs[k].bdf);
			if (p->groups[i].via_domain)
				fprintf(out, "  (%sthe same isolation domain: %s)", p->groups[i].domain_uncertain ?
					"possibly, ACS unreadable, " : "", p->groups[i].basis ? p->groups[i].basis : "");
			fputc('\n', out);
		}
	}
	if (p->n_notes) {
		fprintf(out, "\nGroups vfio-pci would form:\n");
		for (size_t i = 0; i < p->n_notes; i++)
			fprintf(out, "  %s\n", p->notes[i]);
	}
	fprintf(out, "\nDevices:\n");
	for (size_t i = 0; i < p->n_devs; i++) {
		const struct ia_plan_dev *x = &p->devs[i];
		const char *drv = x->dev && x->dev->driver ? x->dev->driver : x->dev && x->dev->driver_unknown ? "(unknown)" :
				  "(none)";
		const char *act = x->action == IA_PLAN_BIND_VFIO ? "-> vfio-pci" : x->action == IA_PLAN_UNBIND ?
				  "-> unbind" : "stays";
		fprintf(out, "  %s  %-12s %-12s %s\n", x->bdf, drv, act, x->reason);
		n_unbind += x->dev && x->dev->driver && (x->action == IA_PLAN_BIND_VFIO || x->action == IA_PLAN_UNBIND);
		n_keep += x->action == IA_PLAN_KEEP || x->action == IA_PLAN_ALREADY_VFIO;
	}
	fprintf(out, "\nDrivers to unbind:");
	for (size_t i = 0; i < p->n_devs; i++)
		if (p->devs[i].dev && p->devs[i].dev->driver &&
		    (p->devs[i].action == IA_PLAN_BIND_VFIO || p->devs[i].action == IA_PLAN_UNBIND))
			fprintf(out, " %s (%s)", p->devs[i].bdf, p->devs[i].dev->driver);
	fprintf(out, "%s\nMay stay:", n_unbind ? "" : " none");
	for (size_t i = 0; i < p->n_devs; i++)
		if (p->devs[i].action == IA_PLAN_KEEP || p->devs[i].action == IA_PLAN_ALREADY_VFIO)
			fprintf(out, " %s (%s)", p->devs[i].bdf,
				p->devs[i].dev && p->devs[i].dev->driver ? p->devs[i].dev->driver : "no driver");
	fprintf(out, "%s\n", n_keep ? "" : " none");
	if (p->n_blockers) {
		fprintf(out, "\nBlockers (no unbinding lifts them):\n");
		for (size_t i = 0; i < p->n_blockers; i++)
			fprintf(out, "  %s [%s]%s: %s\n", p->blockers[i].subject, p->blockers[i].rule,
				p->blockers[i].unknown ? " (unknown: fail closed)" : "", p->blockers[i].reason);
	}
	if (p->refused && !p->forced) {
		fprintf(out, "\nCommands: none printed: they would take what the host uses (see \"Host use\"); "
			     "--force prints them\n");
		return ferror(out) ? -EIO : 0;
	}
	fprintf(out, "\nCommands (printed only: iommu-audit never runs them%s):\n",
		ia_plan_feasible(p) ? "" : "; they do not lift the blockers above");

	bool any = false;
	for (size_t i = 0; i < p->n_devs; i++)
		any |= plan_takes(&p->devs[i]) || p->devs[i].pin;
	if (!any) {
		fprintf(out, "  none: every device is already where the plan needs it\n");
	} else {
		if (p->iommu_off)
			fprintf(out, "  (with the IOMMU off vfio-pci's probe fails, as the function has no IOMMU group: the "
				"driverctl override is what carries over to a boot with the IOMMU on)\n");
		ia_report_safe_verbatim(out, true);   /* a command is copied whole: never wrapped */
		fprintf(out, "  # persistent across reboots, with driverctl(8):\n");
		plan_commands(p, true, plan_text_line, out);
		fprintf(out, "  # or until the next boot, through sysfs (as root):\n");
		plan_commands(p, false, plan_text_line, out);
		ia_report_safe_verbatim(out, false);
	}
	return ferror(out) ? -EIO : 0;
}

static void plan_json_line(void *ctx, const char *s)
{
	jw_text((struct jw *)ctx, s);
}

/* A device of the plan as { "bdf", "driver" } (must_unbind, may_stay). */
static void plan_json_bdf_driver(struct jw *w, const struct ia_plan_dev *x)
{
	jw_map(w);
	jm_text(w, "bdf", x->bdf);
	jm_text(w, "driver", x->dev ? x->dev->driver : NULL);
	jw_map_end(w);
}

int ia_plan_json(const struct ia_plan *p, FILE *out)
{
	struct jw *w = jw_new(out);

	if (!w)
		return -ENOMEM;
	jw_map(w);
	jm_text(w, "schema", "iommu-audit-plan/1");
	jm_arr(w, "requested");
	for (size_t i = 0; i < p->n_requested; i++)
		jw_text(w, p->requested[i]);
	jw_arr_end(w);
	jm_bool(w, "feasible", ia_plan_feasible(p));
	jm_text(w, "vfio_path", p->vfio_path);
	jm_tri(w, "vfio_path_offered", p->vfio_path_offered);
	jm_bool(w, "refused", p->refused);
	jm_bool(w, "forced", p->forced);
	jm_bool(w, "host_use_checked", p->host_use_read && !p->unchecked_all && !p->n_unchecked);
	jm_arr(w, "host_use_unchecked");
	if (!p->host_use_read)
		jw_text(w, "no facts of the host's own use of its devices were collected");
	else if (p->unchecked_all)
		jw_text(w, "the capture holds none of the files that show the host's use of its devices");
	else
		for (size_t i = 0; i < p->n_unchecked; i++)
			jw_text(w, p->unchecked[i]);
	jw_arr_end(w);
	jm_arr(w, "groups");
	for (size_t i = 0; i < p->n_groups; i++) {
		jw_map(w);
		jm_int(w, "id", p->groups[i].id);
		jm_arr(w, "devices");
		for (size_t k = 0; k < p->n_devs; k++)
			if (p->devs[k].has_group && p->devs[k].group == p->groups[i].id)
				jw_text(w, p->devs[k].bdf);
		jw_arr_end(w);
		jm_text(w, "via", p->groups[i].via_domain ? "isolation-domain" : "requested");
		jm_bool(w, "domain_uncertain", p->groups[i].domain_uncertain);
		jm_text(w, "basis", p->groups[i].basis);
		jw_map_end(w);
	}
	jw_arr_end(w);
	jm_arr(w, "devices");
	for (size_t i = 0; i < p->n_devs; i++) {
		const struct ia_plan_dev *x = &p->devs[i];
		jw_map(w);
		jm_text(w, "bdf", x->bdf);
		jm_int_if(w, "group", x->has_group, x->group);
		jm_text(w, "driver", x->dev ? x->dev->driver : NULL);
		jm_bool(w, "requested", x->requested);
		jm_text(w, "action", plan_action_name(x->action));
		jm_text(w, "reason", x->reason);
		jm_arr(w, "host_use");
		for (size_t k = 0; k < x->n_uses; k++) {
			jw_map(w);
			jm_text(w, "use", x->uses[k]->use);
			jm_text(w, "name", x->uses[k]->name);
			jm_text(w, "detail", x->uses[k]->detail);
			jm_text(w, "source", x->uses[k]->source);
			jw_map_end(w);
		}
		jw_arr_end(w);
		jm_bool(w, "pinned", x->pin);
		jw_map_end(w);
	}
	jw_arr_end(w);
	jm_arr(w, "must_unbind");
	for (size_t i = 0; i < p->n_devs; i++) {
		const struct ia_plan_dev *x = &p->devs[i];
		if (x->dev && x->dev->driver && (x->action == IA_PLAN_BIND_VFIO || x->action == IA_PLAN_UNBIND))
			plan_json_bdf_driver(w, x);
	}
	jw_arr_end(w);
	jm_arr(w, "may_stay");
	for (size_t i = 0; i < p->n_devs; i++) {
		const struct ia_plan_dev *x = &p->devs[i];
		bool unbinds = x->dev && x->dev->driver && (x->action == IA_PLAN_BIND_VFIO || x->action == IA_PLAN_UNBIND);
		if (!unbinds && (x->action == IA_PLAN_KEEP || x->action == IA_PLAN_ALREADY_VFIO))
			plan_json_bdf_driver(w, x);
	}
	jw_arr_end(w);
	jm_arr(w, "blockers");
	for (size_t i = 0; i < p->n_blockers; i++) {
		jw_map(w);
		jm_text(w, "rule", p->blockers[i].rule);
		jm_text(w, "subject", p->blockers[i].subject);
		jm_text(w, "reason", p->blockers[i].reason);
		jm_bool(w, "unknown", p->blockers[i].unknown);
		jw_map_end(w);
	}
	jw_arr_end(w);
	jm_arr(w, "notes");
	for (size_t i = 0; i < p->n_notes; i++)
		jw_text(w, p->notes[i]);
	jw_arr_end(w);
	jm_map(w, "commands");
	jm_arr(w, "driverctl");
	plan_commands(p, true, plan_json_line, w);
	jw_arr_end(w);
	jm_arr(w, "sysfs");
	plan_commands(p, false, plan_json_line, w);
	jw_arr_end(w);
	jw_map_end(w);
	jw_map_end(w);
	return jw_finish(w);
}

/* Text quoted from the audited host goes through the text reports' control-character filter. */
int ia_plan_text(const struct ia_plan *p, FILE *out)
{
	FILE *f = ia_report_safe_open(out);

	if (!f)
		return -ENOMEM;
	int rc = plan_text_raw(p, f), rc2 = ia_report_safe_close(f, out);
	return rc < 0 ? rc : rc2;
}
