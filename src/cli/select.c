// SPDX-License-Identifier: GPL-2.0-or-later
// Selectors as lspci has them (-s, -d through pciutils' filter) and the view of an audit they select.
#include "cli/select.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bdf.h"

int ia_select_parse(struct ia_select *s, char opt, const char *arg, char *err, size_t errlen)
{
	char buf[128];
	char *msg;

	if (!s->active) {
		/* libpci's filter ignores its pci_access argument (lib/filter.c) */
		pci_filter_init(NULL, &s->f);
		s->expr[0] = '\0';
	}
	if ((opt == 's' && s->has_slot) || (opt == 'd' && s->has_id)) {
		snprintf(err, errlen, "given twice");
		return -EINVAL;
	}
	if (strlen(arg) >= sizeof(buf)) {
		snprintf(err, errlen, "Expression too long");
		return -EINVAL;
	}
	memcpy(buf, arg, strlen(arg) + 1);     /* libpci writes NULs into the text it parses */
	struct pci_filter f = s->f;
	msg = opt == 's' ? pci_filter_parse_slot(&f, buf) : pci_filter_parse_id(&f, buf);
	if (msg) {
		snprintf(err, errlen, "%s", msg);
		return -EINVAL;
	}
	s->f = f;
	s->active = true;
	if (opt == 's')
		s->has_slot = true;
	else
		s->has_id = true;
	size_t l = strlen(s->expr);
	snprintf(s->expr + l, sizeof(s->expr) - l, "%s-%c %s", l ? " " : "", opt, arg);
	return 0;
}

int ia_select_match(const struct ia_select *s, const struct ia_dev *d)
{
	struct pci_filter f = s->f;
	/* a device as libpci would have filled it, every field pci_filter_match() asks for already
	 * known, so it reads nothing (pci_fill_info() fetches only fields not in known_fields) */
	struct pci_dev pd;

	if ((f.vendor >= 0 || f.device >= 0) && !d->has_ids)
		return -1;
	if ((f.device_class >= 0 || f.prog_if >= 0) && !d->has_class)
		return -1;
	memset(&pd, 0, sizeof(pd));
	pd.domain = (int)d->domain;
	pd.domain_16 = d->domain > 0xffff ? 0xffff : (u16)d->domain;
	pd.bus = d->bus;
	pd.dev = d->dev;
	pd.func = d->fn;
	pd.vendor_id = d->vendor;
	pd.device_id = d->device;
	pd.device_class = (u16)(d->class_code >> 8);
	pd.prog_if = (u8)(d->class_code & 0xff);
	pd.known_fields = PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT;
	return pci_filter_match(&f, &pd) ? 1 : 0;
}

/* ---- the view ---------------------------------------------------------------------------- */

struct view_build {
	const struct ia_audit *a;
	const struct ia_result *r;
	bool *dev_keep;       /* per a->devs */
	bool *grp_keep;       /* per a->groups */
	bool *pg_keep;        /* per a->predicted */
	bool *we_keep;        /* per r->when_enabled.groups */
	size_t *dev_map;      /* a->devs index -> view index, SIZE_MAX when left out */
	size_t *fnd_map;      /* r->findings index -> view index, IA_NO_FINDING when left out */
};

static size_t view_dev_index(const struct ia_audit *a, const char *bdf)
{
	const struct ia_dev *d = bdf ? ia_audit_find_dev(a, bdf) : NULL;

	return d ? (size_t)(d - a->devs) : SIZE_MAX;
}

/* A group of a kind the view is about: kept when a member matched (@matched), then with all its
 * members. A group of another kind (@whole_only): kept only when every member is already kept. */
static void view_keep_group(struct view_build *b, const bool *matched, const size_t *members, size_t n,
			    bool whole_only, bool *keep)
{
	bool any = false, all = n > 0;

	for (size_t k = 0; k < n; k++) {
		bool in = members[k] < b->a->n_devs;
		any |= in && matched[members[k]];
		all &= in && b->dev_keep[members[k]];
	}
	if (whole_only ? !all : !any)
		return;
	*keep = true;
	for (size_t k = 0; k < n; k++)
		if (members[k] < b->a->n_devs)
			b->dev_keep[members[k]] = true;
}

/* The kept functions: the matched ones and every member of a group of @kinds that holds one (one
 * step, not a closure: groupings differ, and the current-state prediction of a host whose IOMMU
 * is off may be one group of everything); then the groups of the other kinds that lie wholly
 * inside, so each group shown is whole. */
static int view_close(struct view_build *b, unsigned kinds)
{
	const struct ia_audit *a = b->a;
	const struct ia_when_enabled_result *we = &b->r->when_enabled;
	size_t cap = 1;
	size_t *m = NULL;
	bool *matched = malloc((a->n_devs + 1) * sizeof(bool));

	for (size_t i = 0; i < a->n_groups; i++)
		cap = a->groups[i].n_devices > cap ? a->groups[i].n_devices : cap;
	if (!matched || !(m = malloc(cap * sizeof(*m)))) {
		free(matched);
		return -ENOMEM;
	}
	memcpy(matched, b->dev_keep, a->n_devs * sizeof(bool));
	for (int pass = 0; pass < 2; pass++) {   /* 0: the view's kinds, 1: the others, whole only */
		for (size_t i = 0; i < a->n_groups; i++) {
			for (size_t k = 0; k < a->groups[i].n_devices; k++)
				m[k] = view_dev_index(a, a->groups[i].devices[k]);
			if (!!(kinds & IA_SELECT_KERNEL) == !pass)
				view_keep_group(b, matched, m, a->groups[i].n_devices, pass, &b->grp_keep[i]);
		}
		for (size_t i = 0; i < a->n_predicted; i++)
			if (!!(kinds & IA_SELECT_PREDICTED) == !pass)
				view_keep_group(b, matched, a->predicted[i].members, a->predicted[i].n, pass, &b->pg_keep[i]);
		for (size_t i = 0; !we->current && i < we->n_groups; i++)
			if (!!(kinds & IA_SELECT_WHEN_ENABLED) == !pass)
				view_keep_group(b, matched, we->groups[i].members, we->groups[i].n, pass, &b->we_keep[i]);
	}
	free(m);
	free(matched);
	return 0;
}

/* Whether a finding's subject is about something outside the view: a function left out (its BDF,
 * or a path through its sysfs directory) or a kernel group left out ("group N"). */
static bool view_subject_out(const struct view_build *b, const char *subject)
{
	const struct ia_audit *a = b->a;
	struct ia_bdf bdf;
	int id;
	char tail;

	if (!subject)
		return false;
	if (sscanf(subject, "group %d%c", &id, &tail) == 1) {
		const struct ia_group *g = ia_audit_find_group(a, id);
		return g && !b->grp_keep[g - a->groups];
	}
	/* every '/'-separated part that is a canonical BDF (pci_name()) of a known function */
	const char *p = subject;
	while (*p) {
		size_t n = strcspn(p, "/ ");
		char part[IA_BDF_BUFSZ];
		if (n < sizeof(part)) {
			memcpy(part, p, n);
			part[n] = '\0';
			if (ia_bdf_parse(part, IA_BDF_CANONICAL, &bdf) == 0) {
				size_t i = view_dev_index(a, part);
				if (i != SIZE_MAX && !b->dev_keep[i])
					return true;
			}
		}
		p += n;
		p += strspn(p, "/ ");
	}
	return false;
}

/* A copy of @n contributions with their finding indexes mapped into the view. */
static struct ia_contrib *view_contribs(const struct view_build *b, const struct ia_contrib *v, size_t n)
{
	struct ia_contrib *c = malloc((n ? n : 1) * sizeof(*c));

	if (!c)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		c[i] = v[i];
		if (c[i].finding != IA_NO_FINDING)
			c[i].finding = c[i].finding < b->r->n_findings ? b->fnd_map[c[i].finding] : IA_NO_FINDING;
	}
	return c;
}

/* A copy of @n member indexes mapped into the view (members left out are dropped). */
static size_t *view_members(const struct view_build *b, const size_t *v, size_t n, size_t *out_n)
{
	size_t *m = malloc((n ? n : 1) * sizeof(*m));

	*out_n = 0;
	if (!m)
		return NULL;
	for (size_t k = 0; k < n; k++)
		if (v[k] < b->a->n_devs && b->dev_map[v[k]] != SIZE_MAX)
			m[(*out_n)++] = b->dev_map[v[k]];
	return m;
}

void ia_select_view_free(struct ia_audit *va, struct ia_result *vr)
{
	if (va) {
		for (size_t i = 0; va->predicted && i < va->n_predicted; i++)
			free(va->predicted[i].members);
		free(va->predicted);
		free(va->devs);
		free(va->groups);
		*va = (struct ia_audit){0};
	}
	if (vr) {
		for (size_t i = 0; vr->groups && i < vr->n_groups; i++) {
			free(vr->groups[i].pending);
			free(vr->groups[i].blockers);
			free(vr->groups[i].exceptions);
			free(vr->groups[i].notes);
		}
		free(vr->groups);
		free(vr->findings);
		free(vr->noiommu_groups);
		for (size_t i = 0; vr->when_enabled.groups && i < vr->when_enabled.n_groups; i++)
			free(vr->when_enabled.groups[i].members);
		if (!vr->when_enabled.current)
			free(vr->when_enabled.groups);
		free(vr->when_enabled.refused);
		*vr = (struct ia_result){0};
	}
}

int ia_select_view(const struct ia_audit *a, const struct ia_result *r, const struct ia_select *s, unsigned kinds,
		   struct ia_audit *va, struct ia_result *vr, struct ia_audit_selection *sel)
{
	const struct ia_when_enabled_result *we = &r->when_enabled;
	struct view_build b = { .a = a, .r = r };
	int rc = -ENOMEM;

	*va = (struct ia_audit){0};
	*vr = (struct ia_result){0};
	*sel = (struct ia_audit_selection){ .expr = s->expr, .host_devs = a->n_devs,
					    .host_iommu_groups = a->n_iommu_groups };
	b.dev_keep = calloc(a->n_devs + 1, sizeof(bool));
	b.grp_keep = calloc(a->n_groups + 1, sizeof(bool));
	b.pg_keep = calloc(a->n_predicted + 1, sizeof(bool));
	b.we_keep = calloc(we->n_groups + 1, sizeof(bool));
	b.dev_map = malloc((a->n_devs + 1) * sizeof(size_t));
	b.fnd_map = malloc((r->n_findings + 1) * sizeof(size_t));
	if (!b.dev_keep || !b.grp_keep || !b.pg_keep || !b.we_keep || !b.dev_map || !b.fnd_map)
		goto out;
	for (size_t i = 0; i < a->n_devs; i++) {
		int m = ia_select_match(s, &a->devs[i]);
		b.dev_keep[i] = m == 1;
		sel->n_matched += m == 1;
		sel->n_unknown += m < 0;
	}
	if (!sel->n_matched) {
		rc = -ENOENT;
		goto out;
	}
	/* where the current groups are the prediction (the IOMMU is on), "once enabled" is the same */
	if (we->current && (kinds & IA_SELECT_WHEN_ENABLED))
		kinds |= IA_SELECT_PREDICTED;
	if ((rc = view_close(&b, kinds)) < 0)
		goto out;
	rc = -ENOMEM;

	/* the audit: kept functions, groups and predicted groups, indexes renumbered */
	*va = *a;
	va->devs = NULL; va->n_devs = 0; va->bdf_keys = NULL;
	va->groups = NULL; va->n_groups = 0; va->n_iommu_groups = 0;
	va->predicted = NULL; va->n_predicted = 0;
	va->domains = NULL; va->n_domains = 0;   /* for `plan`, which plans over the whole host */
	va->selection = sel;
	if (!(va->devs = malloc((a->n_devs + 1) * sizeof(*va->devs))) ||
	    !(va->groups = malloc((a->n_groups + 1) * sizeof(*va->groups))) ||
	    !(va->predicted = calloc(a->n_predicted + 1, sizeof(*va->predicted))))
		goto out;
	for (size_t i = 0; i < a->n_devs; i++) {
		b.dev_map[i] = SIZE_MAX;
		if (b.dev_keep[i]) {
			b.dev_map[i] = va->n_devs;
			va->devs[va->n_devs++] = a->devs[i];
		}
	}
	/* predicted_group indexes into predicted: renumbered (only kept groups are kept) */
	size_t *pmap = malloc((a->n_predicted + 1) * sizeof(*pmap));
	if (!pmap)
		goto out;
	for (size_t i = 0; i < a->n_predicted; i++) {
		pmap[i] = SIZE_MAX;
		if (!b.pg_keep[i])
			continue;
		struct ia_pgroup *p = &va->predicted[va->n_predicted];
		*p = a->predicted[i];
		if (!(p->members = view_members(&b, a->predicted[i].members, a->predicted[i].n, &p->n))) {
			free(pmap);
			goto out;
		}
		pmap[i] = va->n_predicted++;
	}
	for (size_t i = 0; i < va->n_devs; i++) {
		int pg = va->devs[i].predicted_group;
		va->devs[i].predicted_group = pg >= 0 && (size_t)pg < a->n_predicted && pmap[pg] != SIZE_MAX ?
					      (int)pmap[pg] : -1;
	}
	free(pmap);
	for (size_t i = 0; i < a->n_groups; i++)
		if (b.grp_keep[i]) {
			va->groups[va->n_groups++] = a->groups[i];
			va->n_iommu_groups += !a->groups[i].noiommu;
		}

	/* the findings: those about what the view holds, host-wide ones, and those kept groups link */
	bool *fkeep = calloc(r->n_findings + 1, sizeof(bool));
	if (!fkeep)
		goto out;
	for (size_t i = 0; i < r->n_findings; i++)
		fkeep[i] = !view_subject_out(&b, r->findings[i].subject);
	for (size_t i = 0; i < a->n_groups && i < r->n_groups; i++) {
		const struct ia_group_verdict *g = &r->groups[i];
		const struct { const struct ia_contrib *v; size_t n; } lists[] = {
			{ g->pending, g->n_pending }, { g->blockers, g->n_blockers },
			{ g->exceptions, g->n_exceptions }, { g->notes, g->n_notes },
		};
		for (size_t l = 0; b.grp_keep[i] && l < sizeof(lists) / sizeof(lists[0]); l++)
			for (size_t k = 0; k < lists[l].n; k++)
				if (lists[l].v[k].finding < r->n_findings)
					fkeep[lists[l].v[k].finding] = true;
	}
	*vr = *r;
	vr->findings = NULL; vr->n_findings = vr->cap_findings = 0;
	vr->groups = NULL; vr->n_groups = 0;
	vr->noiommu_groups = NULL; vr->n_noiommu_groups = 0;
	vr->when_enabled.groups = NULL; vr->when_enabled.n_groups = 0;
	vr->when_enabled.refused = NULL; vr->when_enabled.n_refused = 0;
	if (!(vr->findings = malloc((r->n_findings + 1) * sizeof(*vr->findings)))) {
		free(fkeep);
		goto out;
	}
	for (size_t i = 0; i < r->n_findings; i++) {
		b.fnd_map[i] = IA_NO_FINDING;
		if (fkeep[i]) {
			b.fnd_map[i] = vr->n_findings;
			vr->findings[vr->n_findings++] = r->findings[i];
		}
	}
	free(fkeep);
	vr->cap_findings = vr->n_findings;
	vr->irq_finding = r->irq_finding < r->n_findings ? b.fnd_map[r->irq_finding] : IA_NO_FINDING;

	/* the kept groups' verdicts, their contributions' findings renumbered */
	if (!(vr->groups = calloc(a->n_groups + 1, sizeof(*vr->groups))))
		goto out;
	for (size_t i = 0; i < a->n_groups && i < r->n_groups; i++) {
		if (!b.grp_keep[i])
			continue;
		const struct ia_group_verdict *g = &r->groups[i];
		struct ia_group_verdict *v = &vr->groups[vr->n_groups++];
		*v = *g;
		v->pending = v->blockers = v->exceptions = v->notes = NULL;
		if (!(v->pending = view_contribs(&b, g->pending, g->n_pending)) ||
		    !(v->blockers = view_contribs(&b, g->blockers, g->n_blockers)) ||
		    !(v->exceptions = view_contribs(&b, g->exceptions, g->n_exceptions)) ||
		    !(v->notes = view_contribs(&b, g->notes, g->n_notes)))
			goto out;
	}
	if (!(vr->noiommu_groups = malloc((r->n_noiommu_groups + 1) * sizeof(int))))
		goto out;
	for (size_t i = 0; i < r->n_noiommu_groups; i++) {
		const struct ia_group *g = ia_audit_find_group(a, r->noiommu_groups[i]);
		if (!g || b.grp_keep[g - a->groups])
			vr->noiommu_groups[vr->n_noiommu_groups++] = r->noiommu_groups[i];
	}

	/* the groups once the IOMMU is on (when they are not the predicted ones, shared above) */
	vr->when_enabled.n_bindable = 0;
	if (!we->current) {
		if (!(vr->when_enabled.groups = calloc(we->n_groups + 1, sizeof(*vr->when_enabled.groups))))
			goto out;
		for (size_t i = 0; i < we->n_groups; i++) {
			if (!b.we_keep[i])
				continue;
			struct ia_enabled_group *e = &vr->when_enabled.groups[vr->when_enabled.n_groups++];
			*e = we->groups[i];
			if (!(e->members = view_members(&b, we->groups[i].members, we->groups[i].n, &e->n)))
				goto out;
			vr->when_enabled.n_bindable += e->bindable;
		}
	} else {
		vr->when_enabled.n_bindable = we->n_bindable;
	}
	if (!(vr->when_enabled.refused = view_members(&b, we->refused, we->n_refused, &vr->when_enabled.n_refused)))
		goto out;
	ia_result_decide(vr, r->verdict.fail_on);
	rc = 0;
out:
	if (rc < 0) {
		ia_select_view_free(va, vr);
		if (rc == -ENOENT)
			va->selection = NULL;
	}
	free(b.dev_keep);
	free(b.grp_keep);
	free(b.pg_keep);
	free(b.we_keep);
	free(b.dev_map);
	free(b.fnd_map);
	return rc;
}
