// SPDX-License-Identifier: GPL-2.0-or-later
// Rule isolation.p2p-domain: devices in different kernel groups can still reach each other peer-to-peer.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "model/firmware_model.h"
#include "rules/kernel_audit.h"
#include "rules/rules.h"

/* Append @item to the list in @buf (length *@len, capacity @cap) after @sep; when it does not fit
 * with room for the tail, append " and @left more" instead and return false (stop listing). */
static bool r_list_add(char *buf, size_t cap, size_t *len, const char *sep, const char *item, size_t left)
{
	size_t need = (*len ? strlen(sep) : 0) + strlen(item);

	if (*len + need + 24 >= cap) {
		*len += (size_t)snprintf(buf + *len, cap - *len, "%sand %zu more", *len ? " " : "", left);
		return false;
	}
	*len += (size_t)snprintf(buf + *len, cap - *len, "%s%s", *len ? sep : "", item);
	return true;
}

/* A function in no group that could be in one: not the IOMMU's own function (class 0806, the AMD
 * IOMMU's PCI function), which no IOMMU translates by design and which shares a slot with the
 * root complex on AMD hosts; not one the SMMUv3 refused for a StreamID a grouped function holds
 * (its DMA is translated in that group's domain: r_kgroup() puts it there, and
 * group.shared-streamid says what it costs). */
static bool r_groupless(const struct ia_dev *d)
{
	return !d->has_group && !(d->has_class && (d->class_code >> 8) == 0x0806) &&
	       !(d->stream_shared_with && d->stream_shared_with->has_group);
}

/* The kernel group (index) whose IOMMU domain translates function @fn's DMA: its own, or for a
 * function the SMMUv3 refused, the group of the function holding its StreamID; SIZE_MAX for none. */
static size_t r_kgroup(const struct ia_eval *ev, size_t fn)
{
	const struct ia_dev *d = &ev->a->devs[fn], *o = d->stream_shared_with;

	if (ev->kgroup_of_fn[fn] == SIZE_MAX && !d->has_group && o && o->has_group)
		return ev->kgroup_of_fn[o - ev->a->devs];
	return ev->kgroup_of_fn[fn];
}

/*
 * The fix for one domain, from what its blamed ports lack: a port without an ACS capability cannot
 * isolate at all; one with the capability but the redirects off is the kernel's doing, not the
 * firmware's (pci_enable_acs() once an IOMMU driver requested ACS, kernel-rules.md §2.3): on an
 * arm64 device-tree boot before 7.0 the kernel leaves it as the firmware set it (row
 * arm64_dt_acs_at_enumeration), pci=config_acs= sets it from 6.11 (row pci_config_acs), and
 * pci=disable_acs_redir= clears it. Written into @buf (@cap bytes).
 */
static void r_domain_advice(const struct ia_eval *ev, const struct ia_topo_domain *dom, char *buf, size_t cap)
{
	const struct ia_audit *a = ev->a;
	const struct ia_firmware *fw = a->firmware;
	char nocap[240] = "", off[240] = "";
	size_t nl = 0, ol = 0, n_no = 0, n_off = 0;

	for (size_t k = 0; k < dom->n_blame; k++) {
		if (dom->blame[k].acs != IA_NO || dom->blame[k].fn >= a->n_devs)
			continue;
		const struct ia_dev *d = &a->devs[dom->blame[k].fn];
		if (d->has_acs == IA_NO)
			r_list_add(nocap, sizeof(nocap), &nl, ", ", d->bdf, 0), n_no++;
		else if (d->has_acs == IA_YES)
			r_list_add(off, sizeof(off), &ol, ", ", d->bdf, 0), n_off++;
	}
	struct ia_sb sb;
	ia_sb_init(&sb);
	ia_sb_puts(&sb, "Assign the whole isolation domain to one owner");
	if (n_no)
		ia_sb_printf(&sb, "; %s ha%s no ACS capability, so nothing turns isolation on there: only other hardware "
			     "(a switch or root port with ACS) separates these devices", nocap, n_no == 1 ? "s" : "ve");
	if (n_off) {
		bool dt = a->arch && (!strcmp(a->arch, "aarch64") || !strcmp(a->arch, "arm64")) && fw &&
			  fw->describes_dt && !fw->describes_iort;
		enum ia_tri cfg = ia_kernel_has(a, IA_KB_PCI_CONFIG_ACS);
		const char *cfg_words = cfg == IA_YES ? ", or set SV, RR, CR and UF on them with pci=config_acs= "
					"(Documentation/admin-guide/kernel-parameters.txt)" :
					cfg == IA_NO ? " (pci=config_acs=, which sets them at boot, came in 6.11)" : "";
		char rel[160];
		const char *when = ia_kb_releases(IA_KB_ARM64_DT_ACS_AT_ENUMERATION, rel, sizeof(rel));
		when = strstr(when, ": ") ? strstr(when, ": ") + 2 : when; /* past the row's id */
		if (dt && ia_kernel_has(a, IA_KB_ARM64_DT_ACS_AT_ENUMERATION) == IA_NO)
			ia_sb_printf(&sb, "; %s ha%s ACS, which Linux %d.%d leaves off on a device-tree boot (enabled at "
				     "enumeration in %s): boot such a kernel%s", off, n_off == 1 ? "s" : "ve",
				     a->kernel_major, a->kernel_minor, when, cfg_words);
		else
			ia_sb_printf(&sb, "; %s ha%s ACS with the redirects off: the kernel, not the firmware, turns them "
				     "on (pci_enable_acs() once the IOMMU driver asks), so look for pci=disable_acs_redir= "
				     "or pci=config_acs= on the command line%s", off, n_off == 1 ? "s" : "ve",
				     cfg == IA_YES ? cfg_words : "");
	}
	ia_sb_puts(&sb, ".");
	snprintf(buf, cap, "%s", sb.err ? "Assign the whole isolation domain to one owner." : ia_sb_str(&sb));
	ia_sb_free(&sb);
}

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	int rc = 0;

	if (!ev->domains) { /* the engine does not run it without IA_GIVES_TOPOLOGY */
		*why = ev->model_error ? ev->model_error : "no topology model";
		return -ENODATA;
	}
	/* no IOMMU on: nothing is in a group to be split, and the groups as they stand predict nothing
	 * (the captured ACS control is not what the kernel sets once the IOMMU is on) */
	if (!a->n_groups && !a->dumps_alone) {
		*why = "the kernel formed no IOMMU groups: the peer-to-peer paths between the groups it would form "
		       "are checked once the IOMMU is on";
		return -ENODATA;
	}
	for (size_t d = 0; d < ev->domains->n && rc == 0; d++) {
		const struct ia_topo_domain *dom = &ev->domains->v[d];
		/* Which kernel groups (or, without an IOMMU, predicted groups) the domain spans. */
		/* A member in no group at all while the kernel formed IOMMU groups (no driver probed it
		 * through the IOMMU, or its ID was taken: "already in tree") cannot go with the group
		 * it can reach, so it splits the domain as a second group does. */
		size_t first = SIZE_MAX, n_groupless = 0, gl = 0, n_gl_total = 0;
		bool spans = false, gl_open = true;
		char groupless[200] = "";
		for (size_t k = 0; a->n_groups && k < dom->n_members; k++)
			n_gl_total += r_kgroup(ev, dom->members[k]) == SIZE_MAX && r_groupless(&a->devs[dom->members[k]]);
		for (size_t k = 0; k < dom->n_members; k++) {
			size_t fn = dom->members[k];
			size_t g = a->n_groups ? r_kgroup(ev, fn)
				 : (ev->pred->fn[fn].has_group ? ev->pred->fn[fn].group : SIZE_MAX);
			if (g == SIZE_MAX) {
				if (a->n_groups && r_groupless(&a->devs[fn])) {
					if (gl_open)
						gl_open = r_list_add(groupless, sizeof(groupless), &gl, " ", a->devs[fn].bdf,
								     n_gl_total - n_groupless);
					n_groupless++;
				}
				continue;
			}
			if (first == SIZE_MAX)
				first = g;
			else if (g != first)
				spans = true;
		}
		bool split = spans || (n_groupless && first != SIZE_MAX);
		if (!split)
			continue;
		/* A domain resting on an uncertain prediction (ACS unreadable, treated as absent) is a
		 * possibility, not a fact: it makes verdicts unknown instead of blocking them. */
		bool uncertain = dom->uncertain, acs_unknown = dom->uncertain, ntb = false;
		for (size_t k = 0; k < dom->n_members; k++) {
			const struct ia_topo_fn_group *fg = &ev->pred->fn[dom->members[k]];
			if (!fg->uncertain)
				continue;
			uncertain = true;
			/* why the prediction is uncertain: unreadable ACS (or PCIe) state, or a Switchtec
			 * NTB whose DMA aliases come from device MMIO (topology.c topo_join()) */
			const char *r = fg->has_group ? ev->pred->groups[fg->group].uncertain_reason : NULL;
			if (r && strstr(r, "Switchtec NTB"))
				ntb = true;
			else
				acs_unknown = true;
		}
		char possibly[128] = "";
		if (uncertain)
			snprintf(possibly, sizeof(possibly), "possibly (%s%s%s): ", acs_unknown ? "ACS state unreadable" : "",
				 acs_unknown && ntb ? "; " : "", ntb ? "Switchtec NTB DMA aliases unpredictable" : "");
		/* lists that do not fit say how many they leave out (the finding's message holds 1023 bytes) */
		char members[600] = "", blame[1400] = "";
		size_t ml = 0, bl = 0;
		for (size_t k = 0; k < dom->n_members; k++)
			if (!r_list_add(members, sizeof(members), &ml, " ", a->devs[dom->members[k]].bdf, dom->n_members - k))
				break;
		for (size_t k = 0; k < dom->n_blame; k++)
			if (!r_list_add(blame, sizeof(blame), &bl, "; ", dom->blame[k].why, dom->n_blame - k))
				break;
		char why_split[300];
		if (a->dumps_alone) /* no groups among the inputs: neither "different groups" nor "no group" */
			snprintf(why_split, sizeof(why_split), "the IOMMU may give them to different owners (the dumps hold "
				 "no IOMMU groups)");
		else if (n_groupless)
			snprintf(why_split, sizeof(why_split), "%s%s %s in no IOMMU group",
				 spans ? "the kernel puts them in different groups, and " : "", groupless,
				 n_groupless == 1 ? "is" : "are");
		else
			snprintf(why_split, sizeof(why_split), "the kernel puts them in different groups");
		char advice[1024];
		r_domain_advice(ev, dom, advice, sizeof(advice));
		rc = ia_rule_finding(ev, self, uncertain ? IA_LEVEL_WARNING : self->level,
				     a->devs[dom->members[0]].bdf, advice, blame,
				     "%s%s can reach each other peer-to-peer without the IOMMU although %s: treat them "
				     "as one isolation domain", possibly, members,
				     why_split);
		/* Every kernel group inside the domain gets the blocker, linked to the finding. */
		size_t finding = ia_rule_last_finding(ev);
		for (size_t k = 0; rc == 0 && a->n_groups && k < dom->n_members; k++) {
			size_t g = ev->kgroup_of_fn[dom->members[k]];
			if (g == SIZE_MAX)
				continue;
			struct ia_group_verdict *gv = &ev->res->groups[g];
			if (uncertain) {
				gv->isolation_unknown = true;
				continue;
			}
			bool have = false;
			for (size_t b = 0; b < gv->n_pending && !have; b++)
				have = gv->pending[b].rule == self && gv->pending[b].kind == IA_CONTRIB_BLOCKER;
			if (!have) {
				char reason[sizeof(members) + sizeof(blame) + 64];
				snprintf(reason, sizeof(reason), "shares an isolation domain with %s (%s)", members, blame);
				rc = ia_rule_block(ev, self, g, a->devs[dom->members[k]].bdf, reason, finding);
			}
		}
	}
	return rc;
}

const struct ia_rule ia_rule_isolation_domain = {
	.id = "isolation.p2p-domain",
	.level = IA_LEVEL_ERROR,
	.summary = "Devices in different kernel groups share one peer-to-peer isolation domain",
	.advice = "Assign the whole isolation domain to one owner; a port without an ACS capability cannot "
		  "isolate (only other hardware can), and one with ACS has its redirects set by the kernel "
		  "(pci_enable_acs(); pci=config_acs= from 6.11), not by the firmware.",
	.refs = "kernel-rules.md §1.5 item 8 and §1.7 (\"Fix incorrect iommu_groups with PCIe ACS\"); PCIe Base §6.12 ACS",
	.eval = r_eval,
	.gives = IA_GIVES_ISOLATION,
	.needs = IA_GIVES_TOPOLOGY,
};
