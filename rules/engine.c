// SPDX-License-Identifier: GPL-2.0-or-later
// The rule engine: build the group model from the audit's facts once, evaluate every rule in declared
// order into one engine-owned result, apply the policy, compose the group and host verdicts once.
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/ia_err.h"
#include "core/text.h"
#include "decode/cmdline.h"
#include "model/firmware_model.h"
#include "model/kernel_model.h"
#include "rules/kernel_audit.h"
#include "rules/no_group.h"
#include "rules/policy.h"
#include "rules/rules.h"
#include "rules/vfio_path.h"
#include "rules/when_enabled.h"

/* ---- the result ---------------------------------------------------------------------------- */

const char *ia_level_name(enum ia_level l)
{
	return l == IA_LEVEL_ERROR ? "error" : l == IA_LEVEL_WARNING ? "warning" : "info";
}

int ia_result_add_finding(struct ia_result *r, const char *rule, enum ia_level level, const char *subject,
			  const char *message, const char *advice, const char *evidence)
{
	struct ia_finding *f;

	if (r->n_findings == r->cap_findings) {
		size_t nc = r->cap_findings ? r->cap_findings * 2 : 32;
		struct ia_finding *nv = realloc(r->findings, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		r->findings = nv;
		r->cap_findings = nc;
	}
	f = &r->findings[r->n_findings];
	memset(f, 0, sizeof(*f));
	f->rule = strdup(rule);
	f->level = level;
	f->subject = strdup(subject ? subject : "host");
	f->message = strdup(message);
	f->advice = advice ? strdup(advice) : NULL;
	f->evidence = evidence ? strdup(evidence) : NULL;
	if (!f->rule || !f->subject || !f->message || (advice && !f->advice) || (evidence && !f->evidence)) {
		free(f->rule); free(f->subject); free(f->message); free(f->advice); free(f->evidence);
		return -ENOMEM;
	}
	r->n_findings++;
	return 0;
}

int ia_contrib_add(struct ia_contrib **list, size_t *n, enum ia_contrib_kind kind, const struct ia_rule *rule,
		   const char *bdf, const char *what, const char *reason, size_t finding)
{
	struct ia_contrib *nv = realloc(*list, (*n + 1) * sizeof(**list));

	if (!nv)
		return -ENOMEM;
	*list = nv;
	struct ia_contrib *c = &nv[*n];
	*c = (struct ia_contrib){ .kind = kind, .rule = rule, .finding = finding };
	c->bdf = strdup(bdf ? bdf : "");
	c->what = strdup(what);
	c->reason = strdup(reason);
	if (!c->bdf || !c->what || !c->reason) {
		free(c->bdf); free(c->what); free(c->reason);
		return -ENOMEM;
	}
	(*n)++;
	return 0;
}

static void engine_contribs_free(struct ia_contrib *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].bdf); free(v[i].what); free(v[i].reason);
	}
	free(v);
}

void ia_result_free(struct ia_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_findings; i++) {
		struct ia_finding *f = &r->findings[i];
		free(f->rule); free(f->subject); free(f->message); free(f->advice); free(f->evidence);
		free(f->waiver_reason); free(f->waiver_expires);
	}
	free(r->findings);
	for (size_t i = 0; i < r->n_groups; i++) {
		struct ia_group_verdict *g = &r->groups[i];
		engine_contribs_free(g->pending, g->n_pending);
		engine_contribs_free(g->blockers, g->n_blockers);
		engine_contribs_free(g->exceptions, g->n_exceptions);
		engine_contribs_free(g->notes, g->n_notes);
		for (size_t k = 0; k < g->n_sva; k++) {
			for (size_t q = 0; q < g->sva[k].n_reasons; q++)
				free(g->sva[k].reasons[q]);
			free(g->sva[k].reasons); free(g->sva[k].bdf);
		}
		free(g->sva);
		free(g->irq_reason);
	}
	free(r->groups);
	for (size_t i = 0; i < IA_N_PATHS; i++)
		free(r->paths[i].why);
	free(r->irq_reason);
	free(r->noiommu_reason);
	free(r->noiommu_groups);
	for (size_t i = 0; i < r->when_enabled.n_groups; i++) {
		free(r->when_enabled.groups[i].members);
		free(r->when_enabled.groups[i].basis);
	}
	free(r->when_enabled.groups);
	free(r->when_enabled.refused);
	free(r->when_enabled.how);
	free(r->when_enabled.acs_note);
	free(r->when_enabled.probe_note);
	for (size_t i = 0; i < r->n_not_evaluated; i++)
		free(r->not_evaluated[i]);
	free(r->not_evaluated);
	memset(r, 0, sizeof(*r));
}

size_t ia_result_count(const struct ia_result *r, enum ia_level level)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_findings; i++)
		n += r->findings[i].level == level && !r->findings[i].waived;
	return n;
}

bool ia_finding_fails(const struct ia_finding *f, enum ia_fail_on fail_on)
{
	if (f->waived || fail_on == IA_FAIL_ON_NEVER)
		return false;
	return f->level == IA_LEVEL_ERROR || (fail_on == IA_FAIL_ON_WARNING && f->level == IA_LEVEL_WARNING);
}

void ia_result_decide(struct ia_result *r, enum ia_fail_on fail_on)
{
	struct ia_verdict *v = &r->verdict;
	enum ia_fail_on judge = fail_on == IA_FAIL_ON_NEVER ? IA_FAIL_ON_ERROR : fail_on;
	size_t at_threshold = 0;

	v->fail_on = fail_on;
	v->threshold = judge == IA_FAIL_ON_WARNING ? IA_LEVEL_WARNING : IA_LEVEL_ERROR;
	v->n_failing = 0;
	for (size_t i = 0; i < r->n_findings; i++) {
		at_threshold += ia_finding_fails(&r->findings[i], judge);
		v->n_failing += ia_finding_fails(&r->findings[i], fail_on);
	}
	v->n_at_threshold = at_threshold;
	v->fails = at_threshold > 0;
	v->exit_status = v->n_failing ? 1 : 0;
}

/* An "ID: not evaluated: WHY" entry; 0 or -ENOMEM. */
static int engine_not_evaluated(struct ia_result *r, const char *msg)
{
	char **nv = realloc(r->not_evaluated, (r->n_not_evaluated + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	r->not_evaluated = nv;
	if (!(nv[r->n_not_evaluated] = strdup(msg)))
		return -ENOMEM;
	r->n_not_evaluated++;
	return 0;
}

/* ---- what rules call ------------------------------------------------------------------------ */

int ia_rule_finding(struct ia_eval *ev, const struct ia_rule *r, enum ia_level level,
		    const char *subject, const char *advice, const char *evidence, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ia_result_add_finding(ev->res, r->id, level, subject, msg, advice ? advice : r->advice, evidence);
}

int ia_rule_block(struct ia_eval *ev, const struct ia_rule *r, size_t group, const char *bdf, const char *reason,
		  size_t finding)
{
	struct ia_group_verdict *g = &ev->res->groups[group];

	return ia_contrib_add(&g->pending, &g->n_pending, IA_CONTRIB_BLOCKER, r, bdf, r->id, reason, finding);
}

int ia_rule_except(struct ia_eval *ev, const struct ia_rule *r, size_t group, const char *bdf, const char *kind,
		   const char *reason)
{
	struct ia_group_verdict *g = &ev->res->groups[group];

	return ia_contrib_add(&g->pending, &g->n_pending, IA_CONTRIB_EXCEPTION, r, bdf, kind, reason, IA_NO_FINDING);
}

void ia_rule_link(struct ia_eval *ev, const struct ia_rule *r, size_t group, size_t from, size_t finding)
{
	struct ia_group_verdict *g = &ev->res->groups[group];

	for (size_t i = from; i < g->n_pending; i++)
		if (g->pending[i].finding == IA_NO_FINDING && g->pending[i].kind == IA_CONTRIB_BLOCKER &&
		    g->pending[i].rule == r)
			g->pending[i].finding = finding;
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

static int engine_token_prefix(const char *tok, size_t len, void *ctx)
{
	size_t pl = strlen((const char *)ctx);

	return len >= pl && !memcmp(tok, ctx, pl);
}

int ia_eval_cmdline_token_prefix(const struct ia_eval *ev, const char *key, const char *prefix)
{
	return engine_cmdline_tokens(ev, key, engine_token_prefix, (void *)prefix);
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

const struct ia_dev *ia_eval_dev_of_fn(const struct ia_eval *ev, size_t fn)
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

/*
 * The IVRS aliases the AMD IOMMU driver adds to the PCI DMA aliases (drivers/iommu/amd/iommu.c
 * setup_aliases(), run for every device the driver probes, so before its group is formed): when
 * the IVRS alias table gives a function a DeviceID other than its own and that DeviceID is on the
 * function's own bus, pci_add_dma_alias(pdev, alias & 0xff, 1). An alias on another bus is only
 * cloned into the device table (clone_aliases()) and never reaches pci_device_group(). The
 * firmware collector records the DeviceID each function's requests carry as fw_unit_device's
 * stream_id (collectors/firmware.c, ia_ivrs_lookup() over the alias entries 42h and 43h). Applied
 * when an AMD-Vi unit is active, or when no IOMMU is and only an IVRS describes one (the groups an
 * enabled AMD IOMMU would form). @fns: one per a->devs, in the same order.
 */
static void engine_ivrs_aliases(const struct ia_audit *a, struct ia_topo_fn *fns)
{
	const struct ia_firmware *fw = a->firmware;
	bool amd = false;

	if (!fw)
		return;
	for (size_t i = 0; i < a->n_units; i++)
		amd |= !strcmp(a->units[i].kind, "amd-vi");
	if (!amd && (a->n_units || !fw->describes_ivrs || fw->describes_dmar || fw->describes_iort || fw->describes_dt))
		return;
	for (size_t k = 0; k < fw->n_unit_devs; k++) {
		const struct ia_fw_unit_dev *ud = &fw->unit_devs[k];
		const struct ia_fw_unit *u = &fw->units[ud->unit];
		const struct ia_dev *d = ud->has_stream_id && !strcmp(u->kind, "amd-vi") ? ia_audit_find_dev(a, ud->bdf) : NULL;
		if (!d || !u->has_segment || d->domain != u->segment || ud->stream_id > 0xffff)
			continue;
		uint16_t own = (uint16_t)(d->bus << 8 | d->dev << 3 | d->fn), alias = (uint16_t)ud->stream_id;
		if (alias == own || alias >> 8 != d->bus)
			continue; /* no alias, or one on another bus (not a PCI DMA alias) */
		struct ia_topo_fn *f = &fns[d - a->devs];
		f->extra_alias_devfn[(alias & 0xff) / 32] |= 1u << (alias & 31);
	}
}

bool ia_no_group_until_probe(const struct ia_audit *a, const struct ia_dev *d)
{
	const struct ia_firmware *fw = a->firmware;
	const struct ia_fw_unit_dev *ud = d->has_group ? NULL : ia_fw_unit_dev_first(fw, d->bdf);

	if (!ud || d->driver || d->driver_unknown || (d->stream_shared_with && d->stream_shared_with->has_group))
		return false;
	const struct ia_fw_unit *u = &fw->units[ud->unit];
	return (!strcmp(u->kind, "smmu-v3") || !strcmp(u->kind, "smmu")) &&
	       ia_kernel_has(a, IA_KB_ARM64_GROUPS_AT_ENUMERATION) == IA_NO;
}

bool ia_no_group_reason(const struct ia_audit *a, const struct ia_dev *d, char *buf, size_t cap)
{
	const struct ia_firmware *fw = a->firmware;
	const struct ia_fw_unit_dev *ud = ia_fw_unit_dev_first(fw, d->bdf);

	if (!ud && d->has_class && (d->class_code >> 8) == 0x0806) {
		/* an AMD-Vi IVHD names its own function (the IOMMU's requester ID) outside its devices */
		snprintf(buf, cap, "the IOMMU's own PCI function (class 0806): an IOMMU does not translate its own "
			 "requests, so the kernel gives it no group");
		return true;
	}
	if (!ud) {
		snprintf(buf, cap, "not behind an IOMMU (only the unsafe no-IOMMU mode could give it to userspace)");
		return false;
	}
	const struct ia_fw_unit *u = &fw->units[ud->unit];
	bool smmu = !strcmp(u->kind, "smmu-v3") || !strcmp(u->kind, "smmu");
	/* a grouped function on the same SMMUv3 with a requester ID (so a StreamID) in common */
	const struct ia_dev *od = d->stream_shared_with;
	if (od && od->has_group) {
		char seg[8] = "";
		snprintf(seg, sizeof(seg), "%.4s", d->bdf);
		snprintf(buf, cap, "the firmware (%s) maps it to %s, but its DMA requester ID %s:%02x:%02x.%x (a DMA "
			 "alias: pci_for_each_dma_alias()) is also one of %s's (group %d), so both would use one "
			 "StreamID: the SMMUv3 driver refuses the second device (arm_smmu_insert_master(); the kernel "
			 "log says \"stream N already in tree\", or in later releases such as 7.3 \"Aliasing StreamID "
			 "0xN ... unsupported\"), so it gets no group: vfio-pci cannot bind it, a host driver can, and "
			 "its DMA then carries that StreamID, which group %d's IOMMU domain translates", u->source,
			 u->name, seg, d->stream_shared_rid >> 8, (d->stream_shared_rid >> 3) & 0x1f,
			 d->stream_shared_rid & 7, od->bdf, od->group, od->group);
		return true;
	}
	/* row arm64_groups_at_enumeration of the behaviour table */
	enum ia_tri at_enum = smmu && !d->driver && !d->driver_unknown ?
			      ia_kernel_has(a, IA_KB_ARM64_GROUPS_AT_ENUMERATION) : IA_YES;
	if (at_enum == IA_NO) {
		snprintf(buf, cap, "no group yet: the firmware (%s) maps it to %s, but this kernel sets a device's IOMMU "
			 "up only when a driver probes it (of_dma_configure() or acpi_dma_configure() from "
			 "really_probe()) and none is bound; binding vfio-pci would give it a group", u->source, u->name);
		return true;
	}
	if (at_enum == IA_UNKNOWN) {
		char rel[160];
		snprintf(buf, cap, "no group yet: the firmware (%s) maps it to %s; whether this kernel sets a device's "
			 "IOMMU up at enumeration or only when a driver probes it (none is bound) is not known (%s): "
			 "binding vfio-pci may give it a group, or its IOMMU probe failed (see the kernel log)",
			 u->source, u->name, ia_kb_releases(IA_KB_ARM64_GROUPS_AT_ENUMERATION, rel, sizeof(rel)));
		return true;
	}
	snprintf(buf, cap, "the firmware (%s) puts it behind %s, yet the kernel gave it no group (its IOMMU probe "
		 "failed or never ran: see the kernel log)", u->source, u->name);
	return true;
}

/* Buses and functions from the audit's devices (sorted by BDF): the sysfs parent gives bus->self;
 * without it (a hex dump), the bridge whose secondary bus number matches. */
/* The groups of @pred as the result's groups once the IOMMU is on; @all_uncertain (or "") is
 * why every group is uncertain. */
static int engine_publish_when_enabled(struct ia_eval *ev, const struct ia_topo_groups *pred, const char *all_uncertain)
{
	const struct ia_audit *a = ev->a;
	struct ia_when_enabled_result *we = &ev->res->when_enabled;

	we->evaluated = true;
	we->groups = calloc(pred->n_groups ? pred->n_groups : 1, sizeof(*we->groups));
	if (!we->groups)
		return -ENOMEM;
	we->n_groups = pred->n_groups;
	for (size_t g = 0; g < pred->n_groups; g++) {
		const struct ia_topo_group *tg = &pred->groups[g];
		struct ia_enabled_group *eg = &we->groups[g];
		eg->members = malloc((tg->n_members ? tg->n_members : 1) * sizeof(size_t));
		if (!eg->members)
			return -ENOMEM;
		memcpy(eg->members, tg->members, tg->n_members * sizeof(size_t));
		eg->n = tg->n_members;
		eg->uncertain = tg->uncertain || all_uncertain[0];
		struct ia_sb sb;
		ia_sb_init(&sb);
		ia_sb_puts(&sb, tg->basis ? tg->basis : "");
		if (tg->uncertain)
			ia_sb_printf(&sb, "; uncertain: %s", tg->uncertain_reason ? tg->uncertain_reason : "");
		if (all_uncertain[0])
			ia_sb_printf(&sb, "; uncertain: %s", all_uncertain);
		if (!(eg->basis = ia_sb_take(&sb)))
			return -ENOMEM;
		for (size_t k = 0; k < eg->n; k++)
			eg->bindable |= a->devs[eg->members[k]].has_hdr && a->devs[eg->members[k]].hdr_type == 0;
		we->n_bindable += eg->bindable;
	}
	return 0;
}

/* Where the IOMMU is off: what enabling it gives (rules/when_enabled.h). */
static int engine_when_enabled(struct ia_eval *ev, const struct ia_topo *cur)
{
	struct ia_when_enabled w;
	struct ia_when_enabled_result *we = &ev->res->when_enabled;
	int rc = ia_when_enabled_predict(ev, cur, &w);

	if (rc == 0) {
		we->iommu_off = true;
		we->iommu = w.iommu_name;
		we->firmware_unread = w.firmware_unread;
		we->n_uncovered = w.n_uncovered;
		if (w.n_refused && !(we->refused = malloc(w.n_refused * sizeof(*we->refused))))
			rc = -ENOMEM;
		for (size_t i = 0; rc == 0 && w.refused && i < ev->a->n_devs; i++)
			if (w.refused[i])
				we->refused[we->n_refused++] = i;
		if (rc == 0 && (!(we->how = strdup(w.how)) || (w.acs_note[0] && !(we->acs_note = strdup(w.acs_note))) ||
				(w.probe_note[0] && !(we->probe_note = strdup(w.probe_note)))))
			rc = -ENOMEM;
		else if (w.pred)
			rc = engine_publish_when_enabled(ev, w.pred, w.uncertain);
		else
			we->evaluated = w.iommu == IA_ENABLE_NONE && !w.firmware_unread; /* none described: no group, known */
	} else if (rc != -ENOMEM) {
		rc = 0; /* the current model was built from the same input: not reached in practice */
	}
	ia_when_enabled_free(&w);
	return rc;
}

static int engine_build_model(struct ia_eval *ev)
{
	const struct ia_audit *a = ev->a;
	size_t n = a->n_devs, nb = 0;
	struct ia_topo_bus *buses = NULL;
	struct ia_topo_fn *fns = NULL;
	size_t *bus_of = NULL;
	struct engine_sec *sec = NULL;
	size_t n_sec = 0;
	struct ia_diags dg = {0};
	int rc = -ENOMEM;

	if (!n)
		return (ev->model_error = strdup("no PCI functions were collected")) ? 0 : -ENOMEM;
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
	engine_ivrs_aliases(a, fns);
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
	in.env.kernel = ia_kernel_id_of(a);
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
		rc = ev->model_error ? 0 : -ENOMEM;
		goto out;
	}
	bool *no_iommu = calloc(n, sizeof(*no_iommu));
	if (!no_iommu) {
		rc = -ENOMEM;
		goto out;
	}
	/* A function the kernel left out of every IOMMU group while IOMMU groups exist gets no
	 * predicted group and takes no ID: not behind an IOMMU (the AMD IOMMU's own function), in a
	 * VFIO no-IOMMU group, refused (an SMMUv3 StreamID another function holds), or on an Arm 6.x
	 * kernel not probed by any driver yet (ia_no_group_reason() says which; the prediction is of
	 * the groups as they stand). */
	for (size_t i = 0; a->n_iommu_groups && i < n; i++)
		no_iommu[i] = !ia_audit_dev_translated(a, &a->devs[i]);
	rc = ia_topo_predict_groups(ev->model, no_iommu, &ev->pred);
	free(no_iommu);
	if (rc == 0)
		rc = ia_topo_isolation_domains(ev->model, ev->pred, &ev->domains);
	if (rc == 0)
	{
		if (ia_audit_iommu_active(a))
			ev->res->when_enabled.evaluated = ev->res->when_enabled.current = true; /* a->predicted */
		else
			rc = engine_when_enabled(ev, &in);
	}
out:
	ia_diags_free(&dg);
	free(buses);
	free(fns);
	free(bus_of);
	free(sec);
	return rc;
}

/* One StreamID a grouped function holds: its key (ia_topo_rid_key()), the unit_devs row, the function. */
struct eng_sid {
	uint64_t key;
	size_t row;
	const struct ia_dev *dev;
};

static int eng_sid_cmp(const void *x, const void *y)
{
	const struct eng_sid *p = x, *q = y;

	return p->key != q->key ? (p->key > q->key) - (p->key < q->key) : (p->row > q->row) - (p->row < q->row);
}

/* The requester IDs of firmware row @ud's function on an SMMUv3 into @rids (IA_TOPO_MAX_RIDS);
 * its device into *@dev. The count, or 0 for none (not an SMMUv3, no such function). */
static int eng_smmuv3_rids(const struct ia_eval *ev, struct ia_audit *a, const struct ia_fw_unit_dev *ud,
			   struct ia_topo_rid *rids, struct ia_dev **dev)
{
	*dev = ia_audit_find_dev(a, ud->bdf);
	if (!*dev || strcmp(a->firmware->units[ud->unit].kind, "smmu-v3"))
		return 0;
	int n = ia_topo_dma_alias_rids(ev->model, (size_t)(*dev - a->devs), rids, IA_TOPO_MAX_RIDS);
	return n > 0 ? n : 0;
}

/*
 * For each function the kernel left without a group while groups exist and the firmware maps to
 * an SMMUv3: a grouped function on the same SMMUv3 and segment whose DMA aliases
 * (pci_for_each_dma_alias(), which of_iommu_configure() and iort_iommu_configure_id() both walk to
 * add a StreamID per alias) share a requester ID with its own, so both map to one StreamID and
 * arm_smmu_insert_master() refuses whichever probes second ("stream ... already in tree"). Sets
 * struct ia_dev.stream_shared_with (ia_no_group_reason() says it). 0 or -ENOMEM.
 */
static int engine_publish_stream_sharing(struct ia_eval *ev, struct ia_audit *a)
{
	const struct ia_firmware *fw = a->firmware;
	struct ia_topo_rid *rids = NULL;
	struct eng_sid *held = NULL;
	size_t n_held = 0, cap = 0;
	struct ia_dev *d;
	int rc = 0;

	if (!fw || !ev->model || !a->n_groups)
		return 0;
	if (!(rids = calloc(IA_TOPO_MAX_RIDS, sizeof(*rids))))
		return -ENOMEM;
	/* every StreamID a grouped function holds, sorted by key, then by firmware row */
	for (size_t j = 0; j < fw->n_unit_devs && rc == 0; j++) {
		int n = eng_smmuv3_rids(ev, a, &fw->unit_devs[j], rids, &d);
		if (!n || !d->has_group)
			continue;
		if ((rc = ia_array_reserve((void **)&held, &cap, n_held + (size_t)n, sizeof(*held))) < 0)
			break;
		for (int x = 0; x < n; x++)
			held[n_held++] = (struct eng_sid){ ia_topo_rid_key(fw->unit_devs[j].unit, &rids[x]), j, d };
	}
	if (n_held)
		qsort(held, n_held, sizeof(*held), eng_sid_cmp);
	/* each ungrouped function: the grouped one of the lowest firmware row holding one of its IDs */
	for (size_t k = 0; k < fw->n_unit_devs && rc == 0 && n_held; k++) {
		int n = eng_smmuv3_rids(ev, a, &fw->unit_devs[k], rids, &d);
		if (!n || d->has_group)
			continue;
		const struct eng_sid *best = NULL;
		uint16_t best_rid = 0;
		for (int x = 0; x < n; x++) {
			uint64_t key = ia_topo_rid_key(fw->unit_devs[k].unit, &rids[x]);
			size_t lo = 0, hi = n_held; /* the first entry with the key */
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (held[mid].key < key)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < n_held && held[lo].key == key && (!best || held[lo].row < best->row)) {
				best = &held[lo];
				best_rid = rids[x].rid;
			}
		}
		if (best && !d->stream_shared_with) { /* a function listed on two units: its first row's */
			d->stream_shared_with = best->dev;
			d->stream_shared_rid = best_rid;
		}
	}
	free(held);
	free(rids);
	return rc;
}

/*
 * For each function with no group only because no driver has probed it (ia_no_group_until_probe():
 * an arm64 kernel before 6.15), the group binding vfio-pci would form: the groups predicted with
 * those functions in (a->predicted leaves them out: it is of the groups as they stand). Sets
 * struct ia_dev.probe_group and a->probe_groups (for `plan`). 0 or -ENOMEM.
 */
static int engine_publish_probe_groups(struct ia_eval *ev, struct ia_audit *a)
{
	size_t n = a->n_devs;
	bool any = false;
	int rc;

	if (!ev->model || !a->n_iommu_groups)
		return 0;
	bool *no_iommu = calloc(n ? n : 1, sizeof(*no_iommu)), *probe = calloc(n ? n : 1, sizeof(*probe));
	if (!no_iommu || !probe) {
		free(no_iommu);
		free(probe);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		probe[i] = !a->devs[i].has_group && ia_no_group_until_probe(a, &a->devs[i]);
		no_iommu[i] = !probe[i] && !ia_audit_dev_translated(a, &a->devs[i]);
		any |= probe[i];
	}
	struct ia_topo_groups *pg = NULL;
	rc = any ? ia_topo_predict_groups(ev->model, no_iommu, &pg) : 0;
	for (size_t g = 0; rc == 0 && pg && g < pg->n_groups; g++) {
		const struct ia_topo_group *tg = &pg->groups[g];
		bool mine = false;
		for (size_t k = 0; k < tg->n_members; k++)
			mine |= tg->members[k] < n && probe[tg->members[k]];
		if (!mine)
			continue;
		struct ia_pgroup *nv = realloc(a->probe_groups, (a->n_probe_groups + 1) * sizeof(*nv));
		if (!nv) {
			rc = -ENOMEM;
			break;
		}
		a->probe_groups = nv;
		struct ia_pgroup *out = &a->probe_groups[a->n_probe_groups];
		memset(out, 0, sizeof(*out));
		out->members = malloc((tg->n_members ? tg->n_members : 1) * sizeof(size_t));
		out->basis = strdup(tg->uncertain && tg->uncertain_reason ? tg->uncertain_reason : tg->basis ? tg->basis : "");
		a->n_probe_groups++;
		if (!out->members || !out->basis) {
			rc = -ENOMEM;
			break;
		}
		memcpy(out->members, tg->members, tg->n_members * sizeof(size_t));
		out->n = tg->n_members;
		out->uncertain = tg->uncertain;
		for (size_t k = 0; k < tg->n_members; k++)
			if (tg->members[k] < n && probe[tg->members[k]])
				a->devs[tg->members[k]].probe_group = a->n_probe_groups;
	}
	ia_topo_groups_free(pg);
	free(no_iommu);
	free(probe);
	return rc;
}

/* Copy the prediction into the audit for the reports. */
static int engine_publish_prediction(struct ia_eval *ev, struct ia_audit *a)
{

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
		if (!pg->basis)
			return -ENOMEM;
	}
	for (size_t i = 0; i < ev->pred->n_fns; i++)
		if (ev->pred->fn[i].has_group)
			a->devs[i].predicted_group = (int)ev->pred->fn[i].group;
	return 0;
}

/* Copy the isolation domains of more than one function into the audit (for `plan`). */
static int engine_publish_domains(struct ia_eval *ev, struct ia_audit *a)
{

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
		if (!(pd->basis = strdup(blame)))
			return -ENOMEM;
	}
	return 0;
}


/* ---- declared order ------------------------------------------------------------------------- */

/* What the engine itself gives before any rule runs. */
#define ENGINE_GIVES IA_GIVES_TOPOLOGY

static const char *const engine_product_names[] = {
	"topology", "ownership", "irq-isolation", "isolation", "direct-regions", "noiommu", "sva", "endpoint",
	"coherency",
};
#define ENGINE_N_PRODUCTS (sizeof(engine_product_names) / sizeof(engine_product_names[0]))

static const char *engine_product_name(unsigned bits)
{
	for (size_t b = 0; b < ENGINE_N_PRODUCTS; b++)
		if (bits & (1u << b))
			return engine_product_names[b];
	return "an unnamed product";
}

int ia_rules_order(const struct ia_rule *const *rules, size_t n, size_t *order, char *err, size_t errlen)
{
	unsigned all = ENGINE_GIVES;
	bool *placed = calloc(n + 1, sizeof(*placed));

	if (errlen)
		err[0] = '\0';
	if (!placed)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		all |= rules[i]->gives;
	for (size_t i = 0; i < n; i++) {
		unsigned missing = rules[i]->needs & ~all;
		if (missing || (rules[i]->needs & rules[i]->gives)) {
			if (errlen && missing)
				snprintf(err, errlen, "%s needs %s, which no rule gives", rules[i]->id, engine_product_name(missing));
			else if (errlen)
				snprintf(err, errlen, "%s needs %s, which it gives itself", rules[i]->id,
					 engine_product_name(rules[i]->needs & rules[i]->gives));
			free(placed);
			return -EINVAL;
		}
	}
	/* Stable Kahn: each step takes the first rule in table order none of whose needs an unplaced
	 * rule still gives. O(n^3) on a table of a few dozen rules. */
	for (size_t k = 0; k < n; k++) {
		size_t pick = n;
		for (size_t i = 0; i < n && pick == n; i++) {
			if (placed[i])
				continue;
			bool ready = true;
			for (size_t j = 0; j < n && ready; j++)
				ready = j == i || placed[j] || !(rules[j]->gives & rules[i]->needs);
			if (ready)
				pick = i;
		}
		if (pick == n) {
			size_t l = 0;
			if (errlen)
				l = (size_t)snprintf(err, errlen, "rules form a cycle:");
			for (size_t i = 0; i < n && l < errlen; i++)
				if (!placed[i])
					l += (size_t)snprintf(err + l, errlen - l, " %s", rules[i]->id);
			free(placed);
			return -EINVAL;
		}
		placed[pick] = true;
		order[k] = pick;
	}
	free(placed);
	return 0;
}

/* ---- evaluation ----------------------------------------------------------------------------- */

/* Collection errors as findings: what could not be read and what that hides, in table order. */
static int engine_collect_findings(const struct ia_audit *a, struct ia_result *r)
{
	for (size_t i = 0; i < a->n_collection_errors; i++) {
		const struct ia_collect_error *e = &a->collect_errors[i];
		char ev[256], adv[512];

		if (e->has_offset)
			snprintf(ev, sizeof(ev), "collector %s, %s, offset %lld", e->collector, ia_strerror(e->code),
				 (long long)e->offset);
		else
			snprintf(ev, sizeof(ev), "collector %s, %s", e->collector, ia_strerror(e->code));
		snprintf(adv, sizeof(adv), "%s%s%s", e->hides ? "This hides " : "", e->hides ? e->hides : "",
			 e->hides ? "; run as root on the host, or capture it with `iommu-audit snapshot` as root." : "");
		/* Nothing at all about the PCI functions means no verdict about anything: fail closed
		 * (an error, so the audit does not pass on an empty or unreadable device list). */
		bool all_pci = e->hides && !strcmp(e->hides, "every PCI function");
		int rc = ia_result_add_finding(r, "collect.unreadable", all_pci ? IA_LEVEL_ERROR : IA_LEVEL_WARNING,
					       e->subject, e->message ? e->message : "", e->hides ? adv : NULL, ev);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Evaluate the rules in declared order; a rule whose prerequisite was not evaluated is not either. */
static int engine_eval_rules(struct ia_eval *ev)
{
	struct ia_result *r = ev->res;
	size_t order[64];
	const char *why_missing[ENGINE_N_PRODUCTS] = {0};
	unsigned given = ev->model ? IA_GIVES_TOPOLOGY : 0;
	char err[256];
	int rc;

	if (ia_n_rules > sizeof(order) / sizeof(order[0]))
		return -EINVAL;
	if ((rc = ia_rules_order(ia_rules, ia_n_rules, order, err, sizeof(err))) < 0)
		return rc;
	why_missing[0] = ev->model_error ? ev->model_error : "no topology model";
	for (size_t k = 0; k < ia_n_rules; k++) {
		const struct ia_rule *rule = ia_rules[order[k]];
		const char *why = NULL;
		unsigned missing = rule->needs & ~given;
		int er;
		if (missing) {
			for (size_t b = 0; b < ENGINE_N_PRODUCTS && !why; b++)
				if (missing & (1u << b))
					why = why_missing[b];
			er = -ENODATA;
		} else {
			er = rule->eval(ev, rule, &why);
		}
		if (er == -ENODATA) {
			char msg[512];
			/* dumps analysed alone hold no kernel: a reason that speaks of what the kernel did
			 * ("the kernel formed no IOMMU groups") would read as a fact about that host */
			if (ev->a->dumps_alone && why && (strstr(why, "kernel") || strstr(why, "proc/") || strstr(why, "sys/")))
				snprintf(msg, sizeof(msg), "%s: not evaluated: the dumps hold no kernel state (IOMMU groups, "
					 "command line, interrupts, modules), which it needs", rule->id);
			else
				snprintf(msg, sizeof(msg), "%s: not evaluated: %s", rule->id, why ? why : "inputs missing");
			if ((rc = engine_not_evaluated(r, msg)) < 0 ||
			    (rc = ia_result_add_finding(r, "rule.not-evaluated", IA_LEVEL_INFO, rule->id, msg, NULL, NULL)) < 0)
				return rc;
			for (size_t b = 0; b < ENGINE_N_PRODUCTS; b++)
				if ((rule->gives & (1u << b)) && !(given & (1u << b)) && !why_missing[b])
					why_missing[b] = why ? why : "inputs missing";
		} else if (er < 0) {
			return er;
		} else {
			given |= rule->gives;
		}
	}
	return 0;
}

/* The first rule in the table that declares it gives @product, or NULL. */
static const struct ia_rule *engine_giver(unsigned product)
{
	for (size_t i = 0; i < ia_n_rules; i++)
		if (ia_rules[i]->gives & product)
			return ia_rules[i];
	return NULL;
}

/* Why the policy lifts a blocker of @rule linked to @finding, or NULL when it stands. A blocker of
 * what the kernel itself refuses (rule->kernel_enforced) always stands: the policy's re-level or
 * waiver keeps its finding out of --fail-on, but the group is no more assignable for it. */
static const char *engine_lifted(const struct ia_policy *p, const struct ia_result *r, const struct ia_rule *rule,
				 size_t finding)
{
	enum ia_level l;

	if (rule && rule->kernel_enforced)
		return NULL;
	if (p && rule && ia_policy_rule_level(p, rule->id, &l) && l < IA_LEVEL_ERROR)
		return l == IA_LEVEL_WARNING ? "the policy re-levels the rule to warning"
					     : "the policy re-levels the rule to info";
	if (finding != IA_NO_FINDING && finding < r->n_findings && r->findings[finding].waived)
		return "the policy waives its finding";
	return NULL;
}

/* Move one pending contribution to the list its kind and the policy give it (ownership moves). */
static int engine_place(struct ia_group_verdict *g, struct ia_contrib *c)
{
	struct ia_contrib **list = c->kind == IA_CONTRIB_BLOCKER ? &g->blockers :
				   c->kind == IA_CONTRIB_NOTE ? &g->notes : &g->exceptions;
	size_t *n = c->kind == IA_CONTRIB_BLOCKER ? &g->n_blockers :
		    c->kind == IA_CONTRIB_NOTE ? &g->n_notes : &g->n_exceptions;
	struct ia_contrib *nv = realloc(*list, (*n + 1) * sizeof(**list));

	if (!nv)
		return -ENOMEM;
	*list = nv;
	nv[(*n)++] = *c;
	memset(c, 0, sizeof(*c));
	return 0;
}

/* Whether a contribution @c is something VFIO itself refuses: every blocker but the isolation
 * domain's (only the audit sees peer-to-peer paths) and the MSI one (decided apart). */
static bool engine_kernel_refuses(const struct ia_contrib *c, const struct ia_rule *msi)
{
	return !(c->rule && (c->rule == msi || (c->rule->gives & IA_GIVES_ISOLATION)));
}

/*
 * Whether VFIO would hand group @g to userspace now, safe or not (kernel-rules.md §4.4): a function
 * vfio-pci binds, the group viable, no direct-mapped region (§4.5), no other blocker the kernel
 * refuses (a policy's note still counts as the blocker it was), and MSIs isolated or
 * allow_unsafe_interrupts set (vfio_iommu_type1_attach_group(), iommufd: -EPERM otherwise).
 * IA_UNKNOWN when an input is. For the summaries' "the kernel would hand over" count (issue 13 item 9).
 */
static enum ia_tri engine_kernel_hands_over(const struct ia_result *r, const struct ia_group *g,
					     const struct ia_group_verdict *gv, const struct ia_rule *msi,
					     enum ia_vfio_path path)
{
	enum ia_tri unsafe = r->paths[path].unsafe_interrupts_allowed;

	if (r->paths[path].offered == IA_NO)
		return IA_NO; /* the kernel has no such path */
	if (gv->endpoint == IA_NO || gv->dma_ownership_viable == IA_NO || g->n_direct)
		return IA_NO;
	for (size_t k = 0; k < gv->n_blockers; k++)
		if (engine_kernel_refuses(&gv->blockers[k], msi))
			return IA_NO;
	for (size_t k = 0; k < gv->n_notes; k++)
		if (engine_kernel_refuses(&gv->notes[k], msi))
			return IA_NO;
	if (gv->irq_isolated == IA_NO && unsafe == IA_NO)
		return IA_NO;
	if ((gv->irq_isolated != IA_YES && unsafe != IA_YES) || gv->endpoint == IA_UNKNOWN ||
	    gv->dma_ownership_viable == IA_UNKNOWN || !g->resv_read || gv->coherency_unknown ||
	    r->paths[path].offered != IA_YES)
		return IA_UNKNOWN;
	return IA_YES;
}

/*
 * Each group's verdict after the policy (kernel-rules.md §11): no function vfio-pci binds, or a
 * blocker that stands, makes it NO; then MSIs that are not isolated (the host-wide blocker); then
 * any unknown input (ownership, interrupt isolation, reserved regions, the isolation domains, an
 * IOMMU's cache coherency) makes it UNKNOWN, never assignable.
 */
static int engine_compose(struct ia_eval *ev, const struct ia_policy *p)
{
	const struct ia_audit *a = ev->a;
	struct ia_result *r = ev->res;
	const struct ia_rule *msi = engine_giver(IA_GIVES_IRQ); /* the host-wide blocker's rule */
	bool msi_disabled = p && msi && ia_policy_rule_disabled(p, msi->id);
	/* MSIs that are not isolated: the legacy container refuses the group
	 * (vfio_iommu_type1_attach_group(): -EPERM) unless allow_unsafe_interrupts is set, so only
	 * then may a policy accept the risk and lift the blocker */
	enum ia_tri unsafe[IA_N_PATHS];
	const char *lifted[IA_N_PATHS];
	for (size_t q = 0; q < IA_N_PATHS; q++) {
		unsafe[q] = r->paths[q].unsafe_interrupts_allowed; /* each path reads its own parameter */
		lifted[q] = unsafe[q] == IA_YES ? engine_lifted(p, r, msi, r->irq_finding) : NULL;
	}
	const char *msi_lifted = lifted[r->path];
	int rc = 0;

	for (size_t gi = 0; gi < r->n_groups && rc == 0; gi++) {
		struct ia_group_verdict *gv = &r->groups[gi];
		const struct ia_group *g = &a->groups[gi];
		for (size_t k = 0; k < gv->n_pending && rc == 0; k++) {
			struct ia_contrib *c = &gv->pending[k];
			/* a disabled rule says nothing, except a refusal the kernel itself enforces: that
			 * blocker stands (without its finding), as for a re-levelled or waived rule */
			if (p && c->rule && ia_policy_rule_disabled(p, c->rule->id) &&
			    !(c->kind == IA_CONTRIB_BLOCKER && c->rule->kernel_enforced))
				continue; /* freed with the pending list */
			if (c->kind == IA_CONTRIB_BLOCKER && (c->lifted = engine_lifted(p, r, c->rule, c->finding)))
				c->kind = IA_CONTRIB_NOTE;
			rc = engine_place(gv, c);
		}
		engine_contribs_free(gv->pending, gv->n_pending);
		gv->pending = NULL;
		gv->n_pending = 0;
		if (rc)
			break;
		/* Fail closed: without every input (isolation domains need the topology model), no
		 * verdict, never "assignable". */
		/* (before 6.3 the kernel may pass a group's MSIs host-wide while the audit cannot tell
		 * where its members' go: irq_members) */
		bool unknown_input = gv->dma_ownership_viable == IA_UNKNOWN || gv->irq_isolated == IA_UNKNOWN ||
				     (gv->irq_isolated == IA_YES && gv->irq_members == IA_UNKNOWN && !g->noiommu) ||
				     !g->resv_read || !ev->domains || gv->isolation_unknown || gv->coherency_unknown;
		for (size_t q = 0; q < IA_N_PATHS; q++) {
			/* disabling the rule lifts the host-wide blocker only where the kernel would hand
			 * the group over anyway (the path's allow_unsafe_interrupts set), as a re-level or
			 * waiver does (lifted[]) */
			bool msi_blocks = gv->irq_isolated == IA_NO && msi && !(msi_disabled && unsafe[q] == IA_YES) &&
					  !lifted[q];
			enum ia_tri v = gv->endpoint == IA_NO || gv->n_blockers ? IA_NO
				      : gv->endpoint == IA_UNKNOWN ? IA_UNKNOWN
				      : msi_blocks ? IA_NO : unknown_input ? IA_UNKNOWN : IA_YES;
			gv->paths[q].msi_blocks = msi_blocks;
			if (r->paths[q].offered == IA_NO)
				v = IA_NO;
			else if (r->paths[q].offered == IA_UNKNOWN && v == IA_YES)
				v = IA_UNKNOWN;
			gv->paths[q].userspace_assignable = v;
		}
		if (gv->endpoint == IA_UNKNOWN) {
			gv->userspace_assignable = IA_UNKNOWN; /* cannot tell whether it holds an endpoint */
			continue;
		}
		if (gv->endpoint == IA_NO || gv->n_blockers) {
			gv->userspace_assignable = IA_NO;
			continue;
		}
		/* disabling the rule lifts the host-wide blocker only where the kernel would hand the group
		 * over anyway (allow_unsafe_interrupts set), as a re-level or waiver does (msi_lifted) */
		if (gv->irq_isolated == IA_NO && msi && !(msi_disabled && unsafe[r->path] == IA_YES)) {
			/* the MSI blocker, on every group nothing else blocks whose MSIs are not isolated
			 * (every group before Linux 6.3) */
			const char *why = gv->irq_reason ? gv->irq_reason : r->irq_reason ? r->irq_reason
												: "MSIs are not isolated";
			if (!msi_lifted) {
				gv->userspace_assignable = IA_NO;
				rc = ia_contrib_add(&gv->blockers, &gv->n_blockers, IA_CONTRIB_BLOCKER, msi, NULL, msi->id,
						    why, r->irq_finding);
				continue;
			}
			if ((rc = ia_contrib_add(&gv->notes, &gv->n_notes, IA_CONTRIB_NOTE, msi, NULL, msi->id, why,
						 r->irq_finding)) < 0)
				break;
			gv->notes[gv->n_notes - 1].lifted = msi_lifted;
		}
		gv->userspace_assignable = unknown_input ? IA_UNKNOWN : IA_YES;
	}
	/* the path judged (named with --vfio-path, or the default) assigns nothing where the kernel
	 * lacks it, and nothing for certain where it may lack it (fail closed: with the default
	 * unnamed, a kernel without VFIO was "assignable" while VFIO would hand over nothing) */
	for (size_t gi = 0; gi < r->n_groups && rc == 0; gi++) {
		struct ia_group_verdict *gv = &r->groups[gi];
		if (r->paths[r->path].offered == IA_NO)
			gv->userspace_assignable = IA_NO;
		else if (r->paths[r->path].offered == IA_UNKNOWN && gv->userspace_assignable == IA_YES)
			gv->userspace_assignable = IA_UNKNOWN;
	}
	for (size_t gi = 0; gi < r->n_groups && rc == 0; gi++) {
		struct ia_group_verdict *gv = &r->groups[gi];
		for (size_t q = 0; q < IA_N_PATHS; q++)
			gv->paths[q].kernel_hands_over = engine_kernel_hands_over(r, &a->groups[gi], gv, msi,
										 (enum ia_vfio_path)q);
		gv->kernel_hands_over = gv->paths[r->path].kernel_hands_over;
	}
	return rc;
}

int ia_rules_run(struct ia_audit *a, const struct ia_run_opts *o, struct ia_result *res)
{
	struct ia_eval ev = { .a = a, .res = res };
	const struct ia_policy *p = o ? o->policy : NULL;
	int rc;

	res->irq_isolated = res->unsafe_interrupts_allowed = IA_UNKNOWN;
	res->noiommu_compiled = res->noiommu_enabled = IA_UNKNOWN;
	res->irq_finding = IA_NO_FINDING;
	res->groups = calloc(a->n_groups ? a->n_groups : 1, sizeof(*res->groups));
	if (!res->groups)
		return -ENOMEM;
	res->n_groups = a->n_groups;
	for (size_t i = 0; i < a->n_groups; i++)
		res->groups[i] = (struct ia_group_verdict){ .dma_ownership_viable = IA_UNKNOWN,
							    .userspace_assignable = IA_UNKNOWN, .endpoint = IA_UNKNOWN,
							    .kernel_hands_over = IA_UNKNOWN, .irq_isolated = IA_UNKNOWN,
							    .irq_members = IA_UNKNOWN };
	if ((rc = engine_collect_findings(a, res)) < 0 || (rc = engine_build_model(&ev)) < 0)
		goto out;
	if (ev.pred && (rc = engine_publish_prediction(&ev, a)) < 0)
		goto out;
	if (ev.domains && (rc = engine_publish_domains(&ev, a)) < 0)
		goto out;
	if ((rc = engine_publish_stream_sharing(&ev, a)) < 0 || (rc = engine_publish_probe_groups(&ev, a)) < 0)
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
	/* the VFIO paths come from the kernel facts alone; rules read them (host.noiommu: which
	 * container serves a no-IOMMU group) */
	ia_vfio_paths_decide(a, res);
	/* the path judged, before the rules (host.vfio-path reads it) */
	res->path_named = o && o->vfio_path_named;
	if (res->path_named)
		res->path = o->vfio_path;
	else /* the container, which QEMU, libvirt and DPDK open by default, unless the kernel has none */
		res->path = res->paths[IA_PATH_CONTAINER].offered == IA_NO &&
			    res->paths[IA_PATH_IOMMUFD].offered != IA_NO ? IA_PATH_IOMMUFD : IA_PATH_CONTAINER;
	if ((rc = engine_eval_rules(&ev)) < 0)
		goto out;
	/* The policy: disable and re-level, waive; then the verdicts; then the requirements. */
	if (p && ((rc = ia_policy_apply_rules(p, res)) < 0 || (rc = ia_policy_apply_waivers(p, res, o->today)) < 0))
		goto out;
	if ((rc = engine_compose(&ev, p)) < 0)
		goto out;
	if (p && (rc = ia_policy_apply_requirements(p, a, res)) < 0)
		goto out;
	ia_result_decide(res, o ? o->fail_on : IA_FAIL_ON_ERROR);
out:
	ia_topo_domains_free(ev.domains);
	ia_topo_groups_free(ev.pred);
	ia_topo_model_free(ev.model);
	free(ev.model_error);
	free(ev.kgroup_of_fn);
	free(ev.acs_override_value);
	return rc;
}
