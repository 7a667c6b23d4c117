// SPDX-License-Identifier: GPL-2.0-or-later
// The rule engine: build the group model from the audit's facts once, then evaluate every rule in order.
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ia_err.h"
#include "decode/cmdline.h"
#include "model/firmware_model.h"
#include "model/kernel_model.h"
#include "rules/rules.h"

int ia_rule_finding(struct ia_eval *ev, const struct ia_rule *r, enum ia_level level,
		    const char *subject, const char *advice, const char *evidence, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ia_audit_add_finding(ev->a, r->id, level, subject, msg, advice ? advice : r->advice, evidence);
}

/* The parsed command line, or NULL when proc/cmdline was not readable (every answer is unknown). */
static const struct ia_kernel_facts *engine_cmdline(const struct ia_eval *ev)
{
	return ev->a->cmdline && ev->a->kernel ? ev->a->kernel : NULL;
}

int ia_eval_cmdline(const struct ia_eval *ev, const char *key, char *val, size_t cap)
{
	const struct ia_kernel_facts *k = engine_cmdline(ev);

	if (!k)
		return -1;
	for (size_t i = k->n_params; i-- > 0;) { /* the last occurrence wins */
		const struct ia_cmdline_param *p = &k->params[i];
		if (!ia_cmdline_key_eq(p->key, key))
			continue;
		if (cap)
			snprintf(val, cap, "%s", p->value ? p->value : "");
		return 1;
	}
	return 0;
}

/* Call @fn for each comma-separated option of every occurrence of @key, in order; stops when @fn
 * returns non-zero. Return: @fn's value, 0, or -1 when the command line is unknown. */
static int engine_cmdline_tokens(const struct ia_eval *ev, const char *key,
				 int (*fn)(const char *tok, size_t len, void *ctx), void *ctx)
{
	const struct ia_kernel_facts *k = engine_cmdline(ev);
	int rc = 0;

	if (!k)
		return -1;
	for (size_t i = 0; i < k->n_params && rc == 0; i++) {
		const struct ia_cmdline_param *p = &k->params[i];
		size_t pos = 0, off, len;
		if (!ia_cmdline_key_eq(p->key, key))
			continue;
		while (rc == 0 && ia_cmdline_option_next(p->value, &pos, &off, &len))
			rc = fn(p->value + off, len, ctx);
	}
	return rc;
}

/* An option (@tok, @len bytes) equals the NUL-terminated @want. */
static bool engine_option_is(const char *tok, size_t len, const char *want)
{
	return strlen(want) == len && !memcmp(tok, want, len);
}

static int engine_token_eq(const char *tok, size_t len, void *ctx)
{
	return engine_option_is(tok, len, (const char *)ctx);
}

int ia_eval_cmdline_token(const struct ia_eval *ev, const char *key, const char *token)
{
	return engine_cmdline_tokens(ev, key, engine_token_eq, (void *)token);
}

struct engine_last_of {
	const char *const *tokens;
	int last;
};

static int engine_token_last(const char *tok, size_t len, void *ctx)
{
	struct engine_last_of *l = ctx;

	for (int i = 0; l->tokens[i]; i++)
		if (engine_option_is(tok, len, l->tokens[i]))
			l->last = i;
	return 0;
}

int ia_eval_cmdline_last_of(const struct ia_eval *ev, const char *key, const char *const *tokens)
{
	struct engine_last_of l = { tokens, -ENOENT };

	if (engine_cmdline_tokens(ev, key, engine_token_last, &l) < 0)
		return -1;
	return l.last;
}

int ia_eval_kconfig(const struct ia_eval *ev, const char *option, char *val, size_t cap)
{
	const struct ia_kernel_facts *k = ev->a->kernel;

	if (!k || !k->kconfig_source)
		return -1; /* no configuration was available */
	const char *v = ia_kernel_kconfig(k, option);
	if (cap)
		snprintf(val, cap, "%s", v ? v : "");
	return v != NULL;
}

struct ia_dev *ia_eval_dev_of_fn(struct ia_eval *ev, size_t fn)
{
	return fn < ev->a->n_devs ? &ev->a->devs[fn] : NULL;
}

/*
 * pcie_acs_override= on the command line (the out-of-tree patch): its first occurrence with a
 * value. It is only detected: the prediction stays that of the unpatched kernel, which is what the
 * hardware isolates, so a kernel group finer than the prediction shows the isolation the override
 * fakes.
 */
static int engine_acs_override(struct ia_eval *ev)
{
	const struct ia_kernel_facts *k = engine_cmdline(ev);

	for (size_t i = 0; k && i < k->n_params; i++) {
		const struct ia_cmdline_param *p = &k->params[i];
		if (!ia_cmdline_key_eq(p->key, "pcie_acs_override") || !p->value) /* do_early_param(): parameq() */
			continue;
		ev->acs_override = true;
		return (ev->acs_override_value = strdup(p->value)) ? 0 : -ENOMEM;
	}
	return 0;
}

/* Whether the ACPI table @sig was read; unknown when no table was read at all (unprivileged, or
 * tables absent from a capture), which says nothing. */
static enum ia_tri engine_table_present(const struct ia_firmware *fw, const char *sig)
{
	if (!fw || !fw->n_tables)
		return IA_UNKNOWN;
	for (size_t i = 0; i < fw->n_tables; i++)
		if (!strcmp(fw->tables[i].signature, sig))
			return IA_YES;
	return IA_NO;
}

/* A bridge keyed by (domain << 8 | secondary bus); the first of equal keys wins after sorting. */
struct engine_sec {
	uint32_t key;
	size_t fn;
};

static int engine_cmp_sec(const void *x, const void *y)
{
	const struct engine_sec *p = x, *q = y;

	if (p->key != q->key)
		return p->key < q->key ? -1 : 1;
	return p->fn < q->fn ? -1 : p->fn > q->fn;
}

static int engine_cmp_sec_key(const void *k, const void *e)
{
	uint32_t key = *(const uint32_t *)k, ek = ((const struct engine_sec *)e)->key;

	return key < ek ? -1 : key > ek;
}

/* Buses and functions from the audit's devices (sorted by BDF): the sysfs parent gives bus->self;
 * without it (a hex dump), the bridge whose secondary bus number matches. */
static int engine_build_model(struct ia_eval *ev)
{
	struct ia_audit *a = ev->a;
	size_t n = a->n_devs, nb = 0;
	struct ia_topo_bus *buses = NULL;
	struct ia_topo_fn *fns = NULL;
	size_t *bus_of = NULL;
	struct engine_sec *sec = NULL;
	size_t n_sec = 0;
	struct ia_diags dg = {0};
	int rc = -ENOMEM;

	if (!n) {
		ev->model_error = strdup("no PCI functions were collected");
		return 0;
	}
	buses = calloc(n, sizeof(*buses));
	fns = calloc(n, sizeof(*fns));
	bus_of = calloc(n, sizeof(*bus_of));
	if (!buses || !fns || !bus_of)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct ia_dev *d = &a->devs[i];
		if (i == 0 || d->domain != a->devs[i - 1].domain || d->bus != a->devs[i - 1].bus) {
			buses[nb] = (struct ia_topo_bus){ .domain = d->domain, .number = d->bus, .self = -1, .parent = -1 };
			nb++;
		}
		bus_of[i] = nb - 1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ia_dev *d = &a->devs[i];
		struct ia_topo_fn *f = &fns[i];
		f->domain = d->domain;
		f->bus_nr = d->bus;
		f->devfn = (uint8_t)(d->dev << 3 | d->fn);
		f->bus = (int)bus_of[i];
		f->vendor = d->vendor;
		f->device = d->device;
		f->subsys_vendor = d->subsys_vendor;
		f->subsys_device = d->subsys_device;
		f->class_code = d->class_code;
		f->revision = d->revision;
		f->hdr_type = d->has_hdr ? d->hdr_type : 0;
		/* An unreadable header counts as multifunction: the wider, fail-closed grouping. */
		f->multifunction = !d->is_vf && d->multifunction != IA_NO;
		f->is_vf = d->is_vf;
		f->pf = -1;
		if (d->is_vf && d->physfn) {
			struct ia_dev *pf = ia_audit_find_dev(a, d->physfn);
			if (pf)
				f->pf = (int)(pf - a->devs);
		}
		f->is_pcie = d->is_pcie;
		f->pcie_type = d->pcie_type;
		f->has_acs = d->has_acs;
		f->acs_cap = d->acs_cap;
		f->acs_ctrl = d->acs_ctrl;
		f->acs_cap_dw = d->acs_cap_dw;
		f->acs_ctrl_dw = d->acs_ctrl_dw;
		f->secondary = d->secondary_bus;
		f->subordinate = d->subordinate_bus;
		if (d->real_dma) { /* behind an Intel VMD: its DMA carries the VMD endpoint's RID */
			struct ia_dev *vd = ia_audit_find_dev(a, d->real_dma);
			if (vd && !vd->real_dma) {
				f->has_real_dma = true;
				f->real_dma = (size_t)(vd - a->devs);
			}
		}
	}
	/* Bridges by (domain, secondary bus), for buses the sysfs nesting does not place. */
	sec = malloc(n * sizeof(*sec));
	if (!sec)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (a->devs[i].has_bus_range && (a->devs[i].hdr_type == 1 || a->devs[i].hdr_type == 2))
			sec[n_sec++] = (struct engine_sec){ (uint32_t)a->devs[i].domain << 8 | a->devs[i].secondary_bus, i };
	qsort(sec, n_sec, sizeof(*sec), engine_cmp_sec);
	/* bus->self and bus->parent. */
	for (size_t i = 0, b = SIZE_MAX; i < n; i++) {
		if (bus_of[i] == b)
			continue;
		b = bus_of[i];
		struct ia_topo_bus *bus = &buses[b];
		size_t first_pf = i, k;
		bool all_vf = true;
		for (k = i; k < n && bus_of[k] == b; k++)
			if (!a->devs[k].is_vf) {
				all_vf = false;
				first_pf = k;
				break;
			}
		if (all_vf) {
			/* An SR-IOV virtual bus: no bridge; its parent is the PF's bus. */
			int pf = fns[i].pf;
			if (pf >= 0) {
				bus->parent = (int)bus_of[pf];
				continue;
			}
		}
		const char *parent = a->devs[first_pf].parent;
		struct ia_dev *pd = parent ? ia_audit_find_dev(a, parent) : NULL;
		if (!pd) { /* no sysfs parent: the bridge with this secondary bus */
			uint32_t key = (uint32_t)bus->domain << 8 | bus->number;
			struct engine_sec *hit = n_sec ? bsearch(&key, sec, n_sec, sizeof(*sec), engine_cmp_sec_key) : NULL;
			if (hit && bus_of[hit->fn] != b)
				pd = &a->devs[hit->fn];
		}
		if (pd) {
			bus->self = (int)(pd - a->devs);
			bus->parent = (int)bus_of[bus->self];
		} else {
			bus->is_root = true;
		}
	}
	struct ia_topo in = { .buses = buses, .n_buses = nb, .fns = fns, .n_fns = n };
	in.env.kernel_major = a->has_kernel_version ? a->kernel_major : 0;
	in.env.kernel_minor = a->has_kernel_version ? a->kernel_minor : 0;
	bool amd = false, intel = false;
	for (size_t i = 0; i < a->n_units; i++) {
		amd |= !strcmp(a->units[i].kind, "amd-vi");
		intel |= !strcmp(a->units[i].kind, "vt-d");
	}
	in.env.ivrs_present = engine_table_present(a->firmware, "IVRS");
	if (in.env.ivrs_present == IA_UNKNOWN)
		in.env.ivrs_present = amd ? IA_YES : intel ? IA_NO : IA_UNKNOWN;
	/* The Intel PCH enable quirk runs only when an IOMMU driver requested ACS (pci_request_acs). */
	in.env.intel_pch_acs_quirk_enabled = a->n_units ? IA_UNKNOWN : IA_NO;
	if ((rc = engine_acs_override(ev)) < 0)
		goto out;
	rc = ia_topo_model_new(&in, &ev->model, &dg);
	if (rc < 0) {
		char msg[512];
		snprintf(msg, sizeof(msg), "the PCI topology is inconsistent: %s%s%s", ia_strerror(rc),
			 dg.n ? ": " : "", dg.n ? dg.v[0].msg : "");
		ev->model_error = strdup(msg);
		ev->model = NULL;
		rc = 0;
		goto out;
	}
	bool *no_iommu = calloc(n, sizeof(*no_iommu));
	if (!no_iommu) {
		rc = -ENOMEM;
		goto out;
	}
	/* A function the kernel left out of every group while groups exist is not behind an IOMMU
	 * (for example the AMD IOMMU's own function): it gets no group and takes no ID. */
	for (size_t i = 0; a->n_groups && i < n; i++)
		no_iommu[i] = !a->devs[i].has_group;
	rc = ia_topo_predict_groups(ev->model, no_iommu, &ev->pred);
	free(no_iommu);
	if (rc == 0)
		rc = ia_topo_isolation_domains(ev->model, ev->pred, &ev->domains);
out:
	ia_diags_free(&dg);
	free(buses);
	free(fns);
	free(bus_of);
	free(sec);
	return rc;
}

/* Copy the prediction into the audit for the reports. */
static int engine_publish_prediction(struct ia_eval *ev)
{
	struct ia_audit *a = ev->a;

	a->predicted = calloc(ev->pred->n_groups ? ev->pred->n_groups : 1, sizeof(*a->predicted));
	if (!a->predicted)
		return -ENOMEM;
	a->n_predicted = ev->pred->n_groups;
	a->have_predicted = true;
	for (size_t g = 0; g < ev->pred->n_groups; g++) {
		const struct ia_topo_group *tg = &ev->pred->groups[g];
		struct ia_pgroup *pg = &a->predicted[g];
		pg->members = malloc((tg->n_members ? tg->n_members : 1) * sizeof(size_t));
		if (!pg->members)
			return -ENOMEM;
		memcpy(pg->members, tg->members, tg->n_members * sizeof(size_t));
		pg->n = tg->n_members;
		pg->uncertain = tg->uncertain;
		char basis[1024];
		if (tg->uncertain || !tg->basis || strlen(tg->basis) >= sizeof(basis)) {
			snprintf(basis, sizeof(basis), "%s%s%s", tg->basis ? tg->basis : "", tg->uncertain ? "; uncertain: " : "",
				 tg->uncertain && tg->uncertain_reason ? tg->uncertain_reason : "");
			pg->basis = strdup(basis);
		} else {
			pg->basis = strdup(tg->basis); /* the same text without formatting it */
		}
	}
	for (size_t i = 0; i < ev->pred->n_fns; i++)
		if (ev->pred->fn[i].has_group)
			a->devs[i].predicted_group = (int)ev->pred->fn[i].group;
	return 0;
}

/* Copy the isolation domains of more than one function into the audit (for `plan`). */
static int engine_publish_domains(struct ia_eval *ev)
{
	struct ia_audit *a = ev->a;

	a->domains = calloc(ev->domains->n ? ev->domains->n : 1, sizeof(*a->domains));
	if (!a->domains)
		return -ENOMEM;
	for (size_t d = 0; d < ev->domains->n; d++) {
		const struct ia_topo_domain *td = &ev->domains->v[d];
		if (td->n_members < 2)
			continue;
		struct ia_pgroup *pd = &a->domains[a->n_domains++];
		pd->members = malloc(td->n_members * sizeof(size_t));
		if (!pd->members)
			return -ENOMEM;
		memcpy(pd->members, td->members, td->n_members * sizeof(size_t));
		pd->n = td->n_members;
		pd->uncertain = td->uncertain;
		for (size_t k = 0; k < td->n_members; k++)
			pd->uncertain |= ev->pred->fn[td->members[k]].uncertain;
		char blame[1024] = "";
		for (size_t k = 0, bl = 0; k < td->n_blame && bl < sizeof(blame) - 200; k++)
			bl += (size_t)snprintf(blame + bl, sizeof(blame) - bl, "%s%s", k ? "; " : "", td->blame[k].why);
		pd->basis = strdup(blame);
	}
	return 0;
}

int ia_rules_run(struct ia_audit *a)
{
	struct ia_eval ev = { .a = a };
	int rc = engine_build_model(&ev);

	if (rc < 0)
		goto out;
	if (ev.pred && (rc = engine_publish_prediction(&ev)) < 0)
		goto out;
	if (ev.domains && (rc = engine_publish_domains(&ev)) < 0)
		goto out;
	ev.kgroup_of_fn = malloc((a->n_devs ? a->n_devs : 1) * sizeof(size_t));
	if (!ev.kgroup_of_fn) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < a->n_devs; i++) {
		const struct ia_group *g = a->devs[i].has_group ? ia_audit_find_group(a, a->devs[i].group) : NULL;
		/* a no-IOMMU group is not a kernel IOMMU group for prediction or isolation purposes */
		ev.kgroup_of_fn[i] = g && !g->noiommu ? (size_t)(g - a->groups) : SIZE_MAX;
	}
	for (size_t r = 0; r < ia_n_rules; r++) {
		const char *why = NULL;
		int er = ia_rules[r]->eval(&ev, ia_rules[r], &why);
		if (er == -ENODATA) {
			char msg[512];
			snprintf(msg, sizeof(msg), "%s: not evaluated: %s", ia_rules[r]->id, why ? why : "inputs missing");
			char **nv = realloc(a->not_evaluated, (a->n_not_evaluated + 1) * sizeof(*nv));
			if (nv) {
				a->not_evaluated = nv;
				nv[a->n_not_evaluated++] = strdup(msg);
			}
			ia_audit_add_finding(a, "rule.not-evaluated", IA_LEVEL_INFO, ia_rules[r]->id,
					     msg, NULL, NULL);
		} else if (er < 0) {
			rc = er;
			break;
		}
	}
out:
	ia_topo_domains_free(ev.domains);
	ia_topo_groups_free(ev.pred);
	ia_topo_model_free(ev.model);
	free(ev.model_error);
	free(ev.kgroup_of_fn);
	free(ev.acs_override_value);
	return rc;
}
