// SPDX-License-Identifier: GPL-2.0-or-later
// The JSON report of ../shared/docs/contract.md, streamed by the JSON writer (reports/jsonw.h).
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "decode/kversion.h"
#include "decode/pcicfg.h"
#include "model/firmware_model.h"
#include "report.h"
#include "reports/jsonw.h"
#include "reports/pcinames.h"
#include "rules/kernel_audit.h"
#include "rules/vfio_path.h"

/* host.kernel_upstream: the upstream release the behaviour table reads (src/decode/kversion.c). */
static void json_kernel_upstream(struct jw *w, const struct ia_audit *a)
{
	const struct ia_kver k = {
		.has_version = a->has_kernel_version, .major = a->kernel_major, .minor = a->kernel_minor,
		.has_stable = a->has_kernel_patch, .stable = a->kernel_patch,
		.backports = a->has_kernel_version && a->kernel_backports, .el_major = -1, .el_minor = -1,
	};
	char buf[400];

	jm_map(w, "kernel_upstream");
	if (k.has_version) {
		snprintf(buf, sizeof(buf), "%d.%d", k.major, k.minor);
		jm_text(w, "version", buf);
	} else {
		jm_null(w, "version");
	}
	if (k.has_stable)
		jm_int(w, "stable", k.stable);
	else
		jm_null(w, "stable");
	jm_text(w, "derived_from", k.has_stable ? a->kernel_stable_source : NULL);
	jm_bool(w, "backports", k.backports);
	ia_kver_assumed(&k, buf, sizeof(buf));
	jm_text(w, "assumed", buf[0] ? buf : NULL);
	jw_map_end(w);
}

/* "selection": what `-s`/`-d` selected (only when they did: the whole host's reports are unchanged). */
static void json_selection(struct jw *w, const struct ia_audit *a)
{
	const struct ia_audit_selection *s = a->selection;

	if (!s)
		return;
	char *note = ia_report_selection_line(a);
	if (!note)
		jw_fail(w, -ENOMEM, ENOMEM);
	jm_map(w, "selection");
	jm_text(w, "selector", s->expr);
	jm_int(w, "matched_functions", (long long)s->n_matched);
	jm_int(w, "unmatchable_functions", (long long)s->n_unknown);
	jm_int(w, "host_functions", (long long)s->host_devs);
	jm_int(w, "host_iommu_groups", (long long)s->host_iommu_groups);
	jm_int(w, "shown_functions", (long long)a->n_devs);
	jm_int(w, "shown_iommu_groups", (long long)a->n_iommu_groups);
	jm_text(w, "note", note);
	jw_map_end(w);
	free(note);
}

static void json_host(struct jw *w, const struct ia_audit *a)
{
	jm_map(w, "host");
	jm_text(w, "root", a->dumps_alone ? NULL : a->root);
	if (a->dumps_alone)   /* dumps analysed alone: what they are (the whole host's reports unchanged) */
		jm_text(w, "inputs", a->inputs);
	jm_bool(w, "live", a->live);
	jm_text(w, "kernel", a->kernel_release);
	jm_text(w, "cmdline", a->cmdline);
	jm_text(w, "arch", a->arch);
	json_kernel_upstream(w, a);
	json_selection(w, a);
	/* who the audited host is (collectors/identity.c): the captured host's, never the analysing one's */
	const struct ia_identity *id = &a->identity;
	jm_text(w, "hostname", id->hostname);
	jm_text(w, "machine_id", id->machine_id);
	jm_map(w, "dmi");
	jm_bool(w, "present", id->dmi_present);
	for (size_t i = 0; i < IA_IDENTITY_N_DMI; i++)
		jm_text(w, ia_identity_dmi_attrs[i], id->dmi[i]);
	jw_map_end(w);
	jm_text(w, "cpu_model", id->cpu_model);
	jm_text(w, "audited_at", id->audited_at[0] ? id->audited_at : NULL);
	jw_map_end(w);
}

/* platform.iommu.firmware: which firmware descriptions describe an IOMMU. */
static void json_fw_describes(struct jw *w, const struct ia_firmware *fw)
{
	jm_arr(w, "firmware");
	if (fw && fw->describes_dmar)
		jw_text(w, "DMAR");
	if (fw && fw->describes_ivrs)
		jw_text(w, "IVRS");
	if (fw && fw->describes_iort)
		jw_text(w, "IORT");
	if (fw && fw->describes_dt)
		jw_text(w, "DT");
	jw_arr_end(w);
}

/* The firmware-described units (DRHD, IVHD, IORT SMMU, DT IOMMU), elements of platform.iommu.units. */
static void json_fw_units(struct jw *w, const struct ia_firmware *fw)
{
	for (size_t i = 0; fw && i < fw->n_units; i++) {
		const struct ia_fw_unit *u = &fw->units[i];
		jw_map(w);
		jm_text(w, "name", u->name);
		jm_text(w, "kind", u->kind);
		jm_text(w, "source", u->source);
		jm_int_if(w, "segment", u->has_segment, u->segment);
		jm_hex_if(w, "base", u->has_base, u->base, 1);
		jm_tri(w, "include_pci_all", u->include_pci_all);
		jm_arr(w, "devices");
		for (size_t k = 0; k < u->n_devices; k++)
			jw_text(w, u->devices[k]);
		jw_arr_end(w);
		if (u->compatible)
			jm_text(w, "compatible", u->compatible);
		jw_map_end(w);
	}
}

/* platform.firmware_regions: RMRR, IVMD and RMR ranges with the devices (or raw scopes) they name. */
static void json_fw_regions(struct jw *w, const struct ia_firmware *fw)
{
	jm_arr(w, "firmware_regions");
	for (size_t i = 0; fw && i < fw->n_regions; i++) {
		const struct ia_fw_region *g = &fw->regions[i];
		jw_map(w);
		jm_text(w, "source", g->source);
		jm_text(w, "kind", g->kind);
		jm_int_if(w, "segment", g->has_segment, g->segment);
		jm_hex_if(w, "base", true, g->base, 1);
		jm_hex_if(w, "end", g->has_end, g->end, 1);
		jm_arr(w, "devices");
		for (size_t k = 0; k < g->n_targets; k++)
			jw_text(w, g->targets[k]);
		jw_arr_end(w);
		jm_arr(w, "unresolved");
		for (size_t k = 0; k < g->n_targets; k++)
			if (!g->resolved[k])
				jw_text(w, g->targets[k]);
		jw_arr_end(w);
		jm_bool(w, "kernel_applies", g->kernel_applies);
		jm_tri(w, "relaxable", g->relaxable);
		jw_map_end(w);
	}
	jw_arr_end(w);
}

/* platform.msi_controllers: ITS, GICv2m, MBI, IR and other controllers, and whether they isolate. */
static void json_fw_msi(struct jw *w, const struct ia_firmware *fw)
{
	jm_arr(w, "msi_controllers");
	for (size_t i = 0; fw && i < fw->n_msi; i++) {
		const struct ia_fw_msi *m = &fw->msi[i];
		jw_map(w);
		jm_text(w, "kind", m->kind);
		jm_text(w, "source", m->source);
		jm_tri(w, "isolating", m->isolating);
		jm_text(w, "name", m->name);
		jm_hex_if(w, "base", m->has_base, m->base, 1);
		jm_text(w, "compatible", m->compatible);
		jm_int(w, "devices", (long long)m->n_devices);
		jw_map_end(w);
	}
	jw_arr_end(w);
}

/* A name and the index of the unit or device that carries it, ordered by name, then index. */
struct json_named {
	const char *name;
	size_t i;
};

static int json_named_cmp(const void *x, const void *y)
{
	const struct json_named *p = x, *q = y;
	int c = strcmp(p->name, q->name);

	return c ? c : (p->i > q->i) - (p->i < q->i);
}

/*
 * The devices whose iommu link names each sysfs unit, in device order, without comparing every
 * device with every unit: units and devices sorted by name and merged. On success *@by_name holds
 * the devices sorted by (unit name, index) and (*@span)[u] = { first, count } the run of them that
 * names unit u. Return: 0 or -ENOMEM.
 */
static int json_unit_devices(const struct ia_audit *a, struct json_named **by_name, size_t (**span)[2])
{
	struct json_named *un = malloc((a->n_units ? a->n_units : 1) * sizeof(*un));
	struct json_named *dn = malloc((a->n_devs ? a->n_devs : 1) * sizeof(*dn));
	size_t (*sp)[2] = calloc(a->n_units ? a->n_units : 1, sizeof(*sp));
	size_t nu = 0, nd = 0;

	if (!un || !dn || !sp) {
		free(un);
		free(dn);
		free(sp);
		return -ENOMEM;
	}
	for (size_t i = 0; i < a->n_units; i++)
		if (a->units[i].name)
			un[nu++] = (struct json_named){ a->units[i].name, i };
	for (size_t d = 0; d < a->n_devs; d++)
		if (a->devs[d].iommu_unit)
			dn[nd++] = (struct json_named){ a->devs[d].iommu_unit, d };
	qsort(un, nu, sizeof(*un), json_named_cmp);
	qsort(dn, nd, sizeof(*dn), json_named_cmp);
	for (size_t ui = 0, di = 0; ui < nu;) {
		const char *name = un[ui].name;
		while (di < nd && strcmp(dn[di].name, name) < 0)
			di++;
		size_t end = di;
		while (end < nd && !strcmp(dn[end].name, name))
			end++;
		for (; ui < nu && !strcmp(un[ui].name, name); ui++) { /* units of the same name share the devices */
			sp[un[ui].i][0] = di;
			sp[un[ui].i][1] = end - di;
		}
		di = end;
	}
	free(un);
	*by_name = dn;
	*span = sp;
	return 0;
}

static void json_platform(struct jw *w, const struct ia_audit *a)
{
	const struct ia_result *r = w->user;
	struct json_named *by_name;
	size_t (*span)[2];

	if (json_unit_devices(a, &by_name, &span) < 0) {
		jw_fail(w, -ENOMEM, ENOMEM);
		return;
	}
	jm_map(w, "platform");
	jm_map(w, "iommu");
	json_fw_describes(w, a->firmware);
	/* The kernel activated an IOMMU when it registered units or formed groups. */
	if (a->dumps_alone)   /* no kernel among the inputs: unknown */
		jm_null(w, "kernel_active");
	else
		jm_bool(w, "kernel_active", ia_audit_iommu_active(a));
	jm_arr(w, "units");
	for (size_t i = 0; i < a->n_units; i++) {
		const struct ia_unit *u = &a->units[i];
		jw_map(w);
		jm_text(w, "name", u->name);
		jm_text(w, "kind", u->kind);
		jm_text(w, "source", "sysfs");
		jm_null(w, "segment");
		jm_hex_if(w, "base", u->has_address, u->address, 1);
		jm_null(w, "include_pci_all");
		/* the unit's translated devices, from the devices' iommu links */
		jm_arr(w, "devices");
		for (size_t k = span[i][0]; k < span[i][0] + span[i][1]; k++)
			jw_text(w, a->devs[by_name[k].i].bdf);
		jw_arr_end(w);
		jw_map_end(w);
	}
	free(by_name);
	free(span);
	json_fw_units(w, a->firmware);
	jw_arr_end(w);
	/* what enabling the IOMMU gives, where it is off (predicted_groups_when_enabled lists them) */
	const struct ia_when_enabled_result *we = &r->when_enabled;
	if (we->iommu_off) {
		jm_map(w, "when_enabled");
		jm_text(w, "iommu", we->iommu);
		jm_bool(w, "firmware_read", !we->firmware_unread);
		jm_text(w, "how", we->how);
		jm_text(w, "acs", we->acs_note);
		jm_text(w, "group_creation", we->probe_note);
		jm_int_if(w, "groups", we->evaluated, (long long)we->n_groups);
		jm_int_if(w, "bindable_groups", we->evaluated, (long long)we->n_bindable);
		jm_int(w, "uncovered_functions", (long long)we->n_uncovered);
		jm_arr(w, "refused_functions");
		for (size_t i = 0; i < we->n_refused; i++)
			jw_text(w, a->devs[we->refused[i]].bdf);
		jw_arr_end(w);
		jw_map_end(w);
	} else {
		jm_null(w, "when_enabled");
	}
	jw_map_end(w); /* iommu */
	json_fw_regions(w, a->firmware);
	json_fw_msi(w, a->firmware);
	jm_map(w, "interrupt_isolation");
	jm_text(w, "state", r->irq_isolated == IA_YES ? "isolated" :
			    r->irq_isolated == IA_NO ? "not_isolated" : "unknown");
	jm_text(w, "reason", r->irq_reason ? r->irq_reason : "interrupt isolation could not be determined");
	jm_tri(w, "unsafe_interrupts_allowed", r->unsafe_interrupts_allowed);
	jw_map_end(w);
	/* the VFIO paths the kernel offers, each with the allow_unsafe_interrupts it reads (issue 12) */
	jm_text(w, "vfio_path", ia_vfio_path_name(r->path));
	jm_bool(w, "vfio_path_named", r->path_named);
	jm_arr(w, "vfio_paths");
	for (size_t q = 0; q < IA_N_PATHS; q++) {
		const struct ia_path_state *ps = &r->paths[q];
		jw_map(w);
		jm_text(w, "path", ia_vfio_path_name((enum ia_vfio_path)q));
		jm_tri(w, "offered", ps->offered);
		jm_text(w, "reason", ps->why);
		jm_text(w, "unsafe_interrupts_parameter", ps->param);
		jm_tri(w, "unsafe_interrupts_allowed", ps->unsafe_interrupts_allowed);
		jw_map_end(w);
	}
	jw_arr_end(w);
	jm_map(w, "noiommu");
	jm_text(w, "state", r->noiommu_state ? r->noiommu_state : "unknown");
	jm_text(w, "reason", r->noiommu_reason ? r->noiommu_reason : "no-IOMMU mode could not be evaluated");
	jm_tri(w, "compiled", r->noiommu_compiled);
	jm_tri(w, "enabled", r->noiommu_enabled);
	jm_arr(w, "groups");
	for (size_t i = 0; i < r->n_noiommu_groups; i++)
		jw_int(w, r->noiommu_groups[i]);
	jw_arr_end(w);
	jw_map_end(w); /* noiommu */
	jw_map_end(w); /* platform */
}

/* The pci.ids names of ia_report_json()'s devices (reports run on one thread). */
static struct ia_pcinames *json_names;

/* devices[i] */
static void json_device(struct jw *w, const struct ia_audit *a, size_t i)
{
	const struct ia_dev *d = &a->devs[i];
	char vn[256], dn[256], cn[256];

	jw_map(w);
	jm_text(w, "bdf", d->bdf);
	jm_hex_if(w, "vendor", d->has_ids, d->vendor, 4);
	jm_hex_if(w, "device", d->has_ids, d->device, 4);
	/* pci.ids names as the text report prints them; null without names (--no-names, no entry) */
	jm_text(w, "vendor_name", d->has_ids ? ia_pcinames_vendor(json_names, d->vendor, vn, sizeof(vn)) : NULL);
	jm_text(w, "device_name", d->has_ids ? ia_pcinames_device(json_names, d->vendor, d->device, dn, sizeof(dn)) : NULL);
	jm_hex_if(w, "class", d->has_class, d->class_code, 6);
	jm_text(w, "class_name", d->has_class ? ia_pcinames_class(json_names, d->class_code, cn, sizeof(cn)) : NULL);
	jm_hex_if(w, "revision", d->has_revision, d->revision, 2);
	jm_text(w, "driver", d->driver);
	jm_int_if(w, "iommu_group", d->has_group, d->group);
	jm_int_if(w, "predicted_group", d->predicted_group >= 0, d->predicted_group);
	jm_int(w, "config_bytes", (long long)d->config_bytes);
	jm_int_if(w, "config_size", d->config_size != 0, (long long)d->config_size);
	jm_tri(w, "is_pcie", d->is_pcie);
	jw_key(w, "pcie_type");
	if (d->is_pcie == IA_YES)
		jw_text(w, ia_pcie_type_name(d->pcie_type));
	else
		jw_null(w);
	jm_map(w, "acs");
	jm_tri(w, "present", d->has_acs);
	jm_hex_if(w, "cap", d->has_acs == IA_YES, d->acs_cap, 4);
	jm_hex_if(w, "ctrl", d->has_acs == IA_YES, d->acs_ctrl, 4);
	jw_map_end(w);
	jm_tri(w, "ats", d->has_ats);
	jm_tri(w, "pri", d->has_pri);
	jm_tri(w, "pasid", d->has_pasid);
	jm_tri(w, "sriov", d->has_sriov);
	jm_text(w, "physfn", d->physfn);
	jm_text(w, "parent", d->parent);
	jw_map_end(w);
}

/* groups[i].blockers, .exceptions and .notes: @what under the key @what_key; a note says why it does not block. */
/* One blocker, exception or note: {bdf, WHAT_KEY, reason[, lifted]}. */
static void json_note(struct jw *w, const char *what_key, const struct ia_contrib *n)
{
	jw_map(w);
	jm_text(w, "bdf", n->bdf[0] ? n->bdf : NULL);
	jm_text(w, what_key, n->what);
	jm_text(w, "reason", n->reason);
	if (n->kind == IA_CONTRIB_NOTE)
		jm_text(w, "lifted", n->lifted);
	jw_map_end(w);
}

static void json_notes(struct jw *w, const char *key, const char *what_key, const struct ia_contrib *n, size_t count)
{
	jm_arr(w, key);
	for (size_t k = 0; k < count; k++)
		json_note(w, what_key, &n[k]);
	jw_arr_end(w);
}

/* The blocker of a group on VFIO path @p, which the kernel lacks (rule host.vfio-path). */
static void json_path_missing(struct jw *w, enum ia_vfio_path p)
{
	jw_map(w);
	jm_text(w, "bdf", NULL);
	jm_text(w, "rule", "host.vfio-path");
	jm_text(w, "reason", ia_vfio_path_missing(p));
	jw_map_end(w);
}

/* groups[i] */
static void json_group(struct jw *w, const struct ia_audit *a, size_t i)
{
	const struct ia_group *g = &a->groups[i];
	const struct ia_group_verdict *v = &((const struct ia_result *)w->user)->groups[i];

	jw_map(w);
	jm_int(w, "id", g->id);
	jm_arr(w, "devices");
	for (size_t k = 0; k < g->n_devices; k++)
		jw_text(w, g->devices[k]);
	jw_arr_end(w);
	jm_text(w, "type", g->type);
	jm_tri(w, "dma_ownership_viable", v->dma_ownership_viable);
	jm_tri(w, "userspace_assignable", v->userspace_assignable);
	const struct ia_result *res0 = w->user;
	if (res0->paths[res0->path].offered == IA_NO) {
		/* the path judged is not in the kernel (rule host.vfio-path): the group's blocker here,
		 * which the engine keeps out of v->blockers (the group stands on the other path) */
		jm_arr(w, "blockers");
		for (size_t k = 0; k < v->n_blockers; k++)
			json_note(w, "rule", &v->blockers[k]);
		json_path_missing(w, res0->path);
		jw_arr_end(w);
	} else {
		json_notes(w, "blockers", "rule", v->blockers, v->n_blockers);
	}
	json_notes(w, "exceptions", "kind", v->exceptions, v->n_exceptions);
	if (v->n_notes) /* blockers a policy lifted (only with --policy) */
		json_notes(w, "notes", "rule", v->notes, v->n_notes);
	const struct ia_result *res = w->user;
	/* MSI isolation: the kernel's test of this group and its members' own domains (issue 12) */
	enum ia_tri per_group = ia_kernel_has(a, IA_KB_MSI_ISOLATION_PER_GROUP);
	jm_map(w, "interrupt_isolation");
	jm_text(w, "state", g->noiommu ? "not_tested" : v->irq_isolated == IA_YES ? "isolated"
			    : v->irq_isolated == IA_NO ? "not_isolated" : "unknown");
	jm_text(w, "test", g->noiommu ? "none" : per_group == IA_YES ? "group" : per_group == IA_NO ? "host" : NULL);
	jm_tri(w, "members_isolated", v->irq_members);
	jm_text(w, "reason", g->noiommu ? "VFIO no-IOMMU mode does not test MSI isolation (nor does anything "
			     "isolate the group's DMA)" : v->irq_reason ? v->irq_reason : res->irq_reason ? res->irq_reason
			     : "interrupt isolation could not be determined");
	jw_map_end(w);
	/* the verdict on each VFIO path: only the MSI blocker depends on the path (its parameter) */
	jm_arr(w, "paths");
	for (size_t q = 0; q < IA_N_PATHS; q++) {
		const struct ia_group_path *gp = &v->paths[q];
		jw_map(w);
		jm_text(w, "path", ia_vfio_path_name((enum ia_vfio_path)q));
		jm_tri(w, "offered", res->paths[q].offered);
		jm_tri(w, "userspace_assignable", gp->userspace_assignable);
		jm_tri(w, "kernel_hands_over", gp->kernel_hands_over);
		jm_arr(w, "blockers");
		for (size_t k = 0; k < v->n_blockers; k++) {
			const struct ia_contrib *c = &v->blockers[k];
			if (!c->bdf[0] && !strcmp(c->what, "platform.msi-not-isolated"))
				continue; /* the host-wide MSI blocker: this path's own answer follows */
			json_note(w, "rule", c);
		}
		if (res->paths[q].offered == IA_NO)
			json_path_missing(w, (enum ia_vfio_path)q);
		if (gp->msi_blocks) {
			jw_map(w);
			jm_text(w, "bdf", NULL);
			jm_text(w, "rule", "platform.msi-not-isolated");
			jm_text(w, "reason", v->irq_reason ? v->irq_reason : res->irq_reason ? res->irq_reason
											   : "MSIs are not isolated");
			jw_map_end(w);
		}
		jw_arr_end(w);
		jw_map_end(w);
	}
	jw_arr_end(w);
	jm_arr(w, "sva");
	for (size_t k = 0; k < v->n_sva; k++) {
		jw_map(w);
		jm_text(w, "bdf", v->sva[k].bdf);
		jm_tri(w, "viable", v->sva[k].viable);
		jm_arr(w, "reasons");
		for (size_t r = 0; r < v->sva[k].n_reasons; r++)
			jw_text(w, v->sva[k].reasons[r]);
		jw_arr_end(w);
		jw_map_end(w);
	}
	jw_arr_end(w);
	jw_map_end(w);
}

/* predicted_groups[i] */
static void json_predicted(struct jw *w, const struct ia_audit *a, size_t i)
{
	const struct ia_pgroup *p = &a->predicted[i];

	jw_map(w);
	jm_arr(w, "devices");
	for (size_t k = 0; k < p->n; k++)
		jw_text(w, a->devs[p->members[k]].bdf);
	jw_arr_end(w);
	jm_text(w, "basis", p->basis);
	jm_bool(w, "uncertain", p->uncertain);
	jw_map_end(w);
}

/* predicted_groups_when_enabled[i]: the shape of predicted_groups[i] */
static void json_predicted_enabled(struct jw *w, const struct ia_audit *a, size_t i)
{
	const struct ia_result *r = w->user;
	const struct ia_enabled_group *p = &r->when_enabled.groups[i];

	jw_map(w);
	jm_arr(w, "devices");
	for (size_t k = 0; k < p->n; k++)
		jw_text(w, a->devs[p->members[k]].bdf);
	jw_arr_end(w);
	jm_text(w, "basis", p->basis);
	jm_bool(w, "uncertain", p->uncertain);
	jw_map_end(w);
}

/* findings[i] */
static void json_finding(struct jw *w, const struct ia_audit *a, size_t i)
{
	const struct ia_finding *f = &((const struct ia_result *)w->user)->findings[i];

	(void)a;
	jw_map(w);
	jm_text(w, "rule", f->rule);
	jm_text(w, "level", ia_level_name(f->level));
	jm_text(w, "subject", f->subject);
	jm_text(w, "message", f->message);
	jm_text(w, "advice", f->advice);
	jm_text(w, "evidence", f->evidence);
	if (f->waived) { /* a policy waiver (docs/policy.md): the finding does not count for --fail-on */
		jm_bool(w, "waived", true);
		jm_map(w, "waiver");
		jm_text(w, "reason", f->waiver_reason);
		jm_text(w, "expires", f->waiver_expires);
		jw_map_end(w);
	}
	jw_map_end(w);
}

/* A top-level array member whose @n elements come from @one(w, a, i); stops at the first failure. */
static void jw_elements(struct jw *w, const char *key, const struct ia_audit *a, size_t n,
			void (*one)(struct jw *, const struct ia_audit *, size_t))
{
	jm_arr(w, key);
	for (size_t i = 0; i < n && !w->err; i++)
		one(w, a, i);
	jw_arr_end(w);
}

int ia_report_json(const struct ia_audit *a, const struct ia_result *r, const struct ia_report_opts *o, FILE *out)
{
	struct jw *w = jw_new(out);

	if (!w)
		return -ENOMEM;
	struct ia_pcinames names;
	ia_pcinames_init(&names, o && o->names, o ? o->pci_ids : NULL);
	json_names = &names;
	w->user = r; /* the engine's result: findings, group and host verdicts */
	jw_map(w);
	jm_text(w, "schema", "iommu-audit/1");
	jm_map(w, "tool");
	jm_text(w, "name", "iommu-audit");
	jm_text(w, "version", IA_VERSION);
	jw_map_end(w);
	json_host(w, a);
	json_platform(w, a);
	jw_elements(w, "devices", a, a->n_devs, json_device);
	jw_elements(w, "groups", a, a->n_groups, json_group);
	jw_elements(w, "predicted_groups", a, a->n_predicted, json_predicted);
	if (r->when_enabled.current) /* the IOMMU is on: the same groups */
		jw_elements(w, "predicted_groups_when_enabled", a, a->n_predicted, json_predicted);
	else
		jw_elements(w, "predicted_groups_when_enabled", a, r->when_enabled.n_groups, json_predicted_enabled);
	jw_elements(w, "findings", a, r->n_findings, json_finding);
	jm_map(w, "summary");
	jm_int(w, "error", (long long)ia_result_count(r, IA_LEVEL_ERROR));
	jm_int(w, "warning", (long long)ia_result_count(r, IA_LEVEL_WARNING));
	jm_int(w, "info", (long long)ia_result_count(r, IA_LEVEL_INFO));
	jm_int(w, "devices", (long long)a->n_devs);
	jm_int(w, "groups", (long long)a->n_groups);
	/* over IOMMU groups (no-IOMMU groups are no IOMMU groups): the audit's "safely now", and what
	 * VFIO itself would hand over now (issue 13 item 9) */
	size_t safe = 0, kernel = 0;
	for (size_t i = 0; i < r->n_groups && i < a->n_groups; i++) {
		safe += !a->groups[i].noiommu && r->groups[i].userspace_assignable == IA_YES;
		kernel += !a->groups[i].noiommu && r->groups[i].kernel_hands_over == IA_YES;
	}
	jm_int(w, "iommu_groups", (long long)a->n_iommu_groups);
	jm_int(w, "assignable_groups", (long long)safe);
	jm_int(w, "kernel_handover_groups", (long long)kernel);
	jm_text(w, "verdict", r->verdict.fails ? "fail" : "pass");
	jw_map_end(w);
	jw_map_end(w);
	json_names = NULL;
	ia_pcinames_free(&names);
	return jw_finish(w);
}

/* groups[i].devices[k] of `groups --format json`: @d, or only @bdf when the facts have no such function */
static void json_groups_member(struct jw *w, const struct ia_dev *d, const char *bdf)
{
	jw_map(w);
	jm_text(w, "bdf", d ? d->bdf : bdf);
	jm_hex_if(w, "vendor", d && d->has_ids, d ? d->vendor : 0, 4);
	jm_hex_if(w, "device", d && d->has_ids, d ? d->device : 0, 4);
	jm_hex_if(w, "class", d && d->has_class, d ? d->class_code : 0, 6);
	jm_text(w, "driver", d ? d->driver : NULL);
	jw_map_end(w);
}

/* One predicted group (current prediction, or once the IOMMU is on): the text's "predicted group N" */
static void json_groups_predicted(struct jw *w, const struct ia_audit *a, size_t i, const size_t *members, size_t n,
				  const char *basis, bool uncertain, enum ia_tri bindable)
{
	jw_map(w);
	jm_int(w, "id", (long long)i);
	jm_text(w, "kind", "predicted");
	jm_text(w, "basis", basis);
	jm_bool(w, "uncertain", uncertain);
	jm_tri(w, "bindable", bindable);
	jm_arr(w, "devices");
	for (size_t k = 0; k < n; k++)
		json_groups_member(w, &a->devs[members[k]], NULL);
	jw_arr_end(w);
	jw_map_end(w);
}

int ia_report_groups_json(const struct ia_audit *a, const struct ia_result *r, enum ia_groups_view view, FILE *out)
{
	const struct ia_when_enabled_result *we = &r->when_enabled;
	struct jw *w = jw_new(out);
	char *note = NULL;
	int n = 0;

	if (!w)
		return -ENOMEM;
	/* the text's first line (ia_report_groups()), where it has one */
	if (view == IA_GROUPS_WHEN_ENABLED) {
		n = (note = ia_report_when_enabled_headline(a, r)) ? 0 : -1;
	} else if (view == IA_GROUPS_KERNEL && !a->n_groups) {
		n = asprintf(&note, "no IOMMU groups: %s", a->dumps_alone ? "the dumps hold no kernel state (whether an "
			     "IOMMU is active, and its groups, are unknown)" : a->iommu_groups_dir ? "the kernel formed none"
			     : "sys/kernel/iommu_groups is absent (no IOMMU active)");
	}
	if (n < 0) {
		jw_fail(w, -ENOMEM, ENOMEM);
		note = NULL;
	}
	jw_map(w);
	jm_text(w, "schema", "iommu-audit-groups/1");
	jm_map(w, "tool");
	jm_text(w, "name", "iommu-audit");
	jm_text(w, "version", IA_VERSION);
	jw_map_end(w);
	jm_text(w, "view", view == IA_GROUPS_KERNEL ? "kernel" : view == IA_GROUPS_PREDICTED ? "predicted" : "when_enabled");
	json_selection(w, a);
	jm_text(w, "note", note);
	free(note);
	jm_arr(w, "refused_functions");
	for (size_t i = 0; view == IA_GROUPS_WHEN_ENABLED && i < we->n_refused; i++)
		jw_text(w, a->devs[we->refused[i]].bdf);
	jw_arr_end(w);
	jm_arr(w, "groups");
	if (view == IA_GROUPS_WHEN_ENABLED)
		for (size_t i = 0; i < we->n_groups && !w->err; i++)
			json_groups_predicted(w, a, i, we->groups[i].members, we->groups[i].n, we->groups[i].basis,
					      we->groups[i].uncertain, we->groups[i].bindable ? IA_YES : IA_NO);
	if (view == IA_GROUPS_PREDICTED || (view == IA_GROUPS_WHEN_ENABLED && we->current)) {
		for (size_t i = 0; i < a->n_predicted && !w->err; i++)
			json_groups_predicted(w, a, i, a->predicted[i].members, a->predicted[i].n, a->predicted[i].basis,
					      a->predicted[i].uncertain, IA_UNKNOWN);
	} else if (view == IA_GROUPS_KERNEL) {
		for (size_t i = 0; i < a->n_groups && !w->err; i++) {
			const struct ia_group *g = &a->groups[i];
			jw_map(w);
			jm_int(w, "id", g->id);
			jm_text(w, "kind", g->noiommu ? "noiommu" : "iommu");
			jm_null(w, "basis");
			jm_bool(w, "uncertain", false);
			jm_null(w, "bindable");
			jm_arr(w, "devices");
			for (size_t k = 0; k < g->n_devices; k++)
				json_groups_member(w, ia_audit_find_dev(a, g->devices[k]), g->devices[k]);
			jw_arr_end(w);
			jw_map_end(w);
		}
	}
	jw_arr_end(w);
	jw_map_end(w);
	return jw_finish(w);
}
