// SPDX-License-Identifier: GPL-2.0-or-later
// `diff`: compare two audits of a host and list what changed, for drift detection in fleets.
#include "cli/diff.h"
#include "reports/jsonw.h"
#include "reports/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/array.h"

int ia_diff_input_kind(const char *path, enum ia_diff_input *kind)
{
	static const char magic[16] = "SQLite format 3";   /* 15 characters and the NUL */
	struct stat st;
	char head[16];
	int fd;

	if (!path || !kind)
		return -EINVAL;
	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode)) {
		*kind = IA_DIFF_TREE;
		return 0;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	ssize_t n = read(fd, head, sizeof(head));
	int err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	*kind = n == (ssize_t)sizeof(head) && !memcmp(head, magic, sizeof(magic)) ? IA_DIFF_DB : IA_DIFF_ARCHIVE;
	return 0;
}

static int diff_add(struct ia_diff *d, const char *area, const char *subject, const char *change,
		    const char *field, const char *old, const char *new)
{
	struct ia_diff_change *nv = ia_array_grow(d->v, &d->cap, d->n + 1, sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	d->v = nv;
	struct ia_diff_change *c = &d->v[d->n++];
	c->area = area;
	c->change = change;
	c->subject = strdup(subject);
	c->field = field ? strdup(field) : NULL;
	c->old = old ? strdup(old) : NULL;
	c->new = new ? strdup(new) : NULL;
	if (!c->subject || (field && !c->field) || (old && !c->old) || (new && !c->new))
		return -ENOMEM;
	return 0;
}

/* Compare one value; NULL means "none". */
static int diff_value(struct ia_diff *d, const char *area, const char *subject, const char *field,
		      const char *old, const char *new)
{
	if ((!old && !new) || (old && new && !strcmp(old, new)))
		return 0;
	return diff_add(d, area, subject, "changed", field, old ? old : "none", new ? new : "none");
}

static const char *diff_tri(enum ia_tri t)
{
	return t == IA_YES ? "true" : t == IA_NO ? "false" : "unknown";
}

static const char *diff_irq(enum ia_tri t)
{
	return t == IA_YES ? "isolated" : t == IA_NO ? "not_isolated" : "unknown";
}

static int diff_host(struct ia_diff *d, const struct ia_audit *o, const struct ia_result *or,
		     const struct ia_audit *n, const struct ia_result *nr)
{
	int rc;
	bool oa = ia_audit_iommu_active(o), na = ia_audit_iommu_active(n);
	const char *ov = or->verdict.fails ? "fail" : "pass";   /* the host verdict of each side */
	const char *nv = nr->verdict.fails ? "fail" : "pass";

	if ((rc = diff_value(d, "host", "host", "kernel", o->kernel_release, n->kernel_release)) ||
	    (rc = diff_value(d, "host", "host", "iommu_active", oa ? "true" : "false", na ? "true" : "false")) ||
	    (rc = diff_value(d, "host", "host", "interrupt_isolation", diff_irq(or->irq_isolated),
			     diff_irq(nr->irq_isolated))) ||
	    (rc = diff_value(d, "host", "host", "unsafe_interrupts_allowed",
			     diff_tri(or->unsafe_interrupts_allowed), diff_tri(nr->unsafe_interrupts_allowed))))
		return rc;
	return diff_value(d, "host", "host", "verdict", ov, nv);
}

static void diff_dev_ids(const struct ia_dev *x, char *buf, size_t cap)
{
	if (x->has_ids)
		snprintf(buf, cap, "%04x:%04x", x->vendor, x->device);
	else
		snprintf(buf, cap, "unknown");
}

static void diff_dev_group(const struct ia_dev *x, char *buf, size_t cap)
{
	if (x->has_group)
		snprintf(buf, cap, "%d", x->group);
	else
		snprintf(buf, cap, "none");
}

static void diff_dev_summary(const struct ia_dev *x, char *buf, size_t cap)
{
	char ids[16], grp[16];

	diff_dev_ids(x, ids, sizeof(ids));
	diff_dev_group(x, grp, sizeof(grp));
	snprintf(buf, cap, "%s driver %s group %s", ids, x->driver ? x->driver : "none", grp);
}

static int diff_devices(struct ia_diff *d, const struct ia_audit *o, const struct ia_audit *n)
{
	size_t i = 0, k = 0;
	int rc = 0;
	char a[128], b[128];

	while ((i < o->n_devs || k < n->n_devs) && rc == 0) {
		int c = i == o->n_devs ? 1 : k == n->n_devs ? -1 : strcmp(o->devs[i].bdf, n->devs[k].bdf);
		if (c < 0) {
			diff_dev_summary(&o->devs[i], a, sizeof(a));
			rc = diff_add(d, "device", o->devs[i].bdf, "removed", NULL, a, NULL);
			i++;
		} else if (c > 0) {
			diff_dev_summary(&n->devs[k], b, sizeof(b));
			rc = diff_add(d, "device", n->devs[k].bdf, "added", NULL, NULL, b);
			k++;
		} else {
			const struct ia_dev *x = &o->devs[i++], *y = &n->devs[k++];
			diff_dev_ids(x, a, sizeof(a));
			diff_dev_ids(y, b, sizeof(b));
			if ((rc = diff_value(d, "device", x->bdf, "ids", a, b)))
				break;
			snprintf(a, sizeof(a), "%06x", x->class_code);
			snprintf(b, sizeof(b), "%06x", y->class_code);
			if ((rc = diff_value(d, "device", x->bdf, "class", x->has_class ? a : NULL, y->has_class ? b : NULL)) ||
			    (rc = diff_value(d, "device", x->bdf, "driver", x->driver, y->driver)))
				break;
			diff_dev_group(x, a, sizeof(a));
			diff_dev_group(y, b, sizeof(b));
			rc = diff_value(d, "device", x->bdf, "iommu_group", a, b);
		}
	}
	return rc;
}

/* The members of a group as one space-separated string (malloc'd). */
static char *diff_members(const struct ia_group *g)
{
	size_t len = 1;

	for (size_t k = 0; k < g->n_devices; k++)
		len += strlen(g->devices[k]) + 1;
	char *s = malloc(len), *p = s;
	if (!s)
		return NULL;
	*p = '\0';
	for (size_t k = 0; k < g->n_devices; k++)
		p += sprintf(p, "%s%s", k ? " " : "", g->devices[k]);
	return s;
}

static int diff_group_pair(struct ia_diff *d, const struct ia_group *x, const struct ia_group_verdict *xv,
			   const struct ia_group *y, const struct ia_group_verdict *yv)
{
	char id[16];
	char *a = diff_members(x), *b = diff_members(y);
	int rc = -ENOMEM;

	snprintf(id, sizeof(id), "%d", x->id);
	if (a && b && !(rc = diff_value(d, "group", id, "devices", a, b)) &&
	    !(rc = diff_value(d, "group", id, "type", x->type, y->type)) &&
	    !(rc = diff_value(d, "group", id, "dma_ownership_viable", diff_tri(xv->dma_ownership_viable),
			      diff_tri(yv->dma_ownership_viable))))
		rc = diff_value(d, "group", id, "userspace_assignable", diff_tri(xv->userspace_assignable),
				diff_tri(yv->userspace_assignable));
	free(a);
	free(b);
	return rc;
}

static int diff_groups(struct ia_diff *d, const struct ia_audit *o, const struct ia_result *or,
		       const struct ia_audit *n, const struct ia_result *nr)
{
	size_t i = 0, k = 0;
	int rc = 0;

	while ((i < o->n_groups || k < n->n_groups) && rc == 0) {
		int c = i == o->n_groups ? 1 : k == n->n_groups ? -1 :
			o->groups[i].id < n->groups[k].id ? -1 : o->groups[i].id > n->groups[k].id;
		if (c == 0) {
			rc = diff_group_pair(d, &o->groups[i], &or->groups[i], &n->groups[k], &nr->groups[k]);
			i++, k++;
			continue;
		}
		const struct ia_group *g = c < 0 ? &o->groups[i++] : &n->groups[k++];
		char id[16], *m = diff_members(g);
		if (!m)
			return -ENOMEM;
		snprintf(id, sizeof(id), "%d", g->id);
		rc = diff_add(d, "group", id, c < 0 ? "removed" : "added", NULL, c < 0 ? m : NULL, c < 0 ? NULL : m);
		free(m);
	}
	return rc;
}

static int diff_cmp_finding(const void *x, const void *y)
{
	const struct ia_finding *p = *(const struct ia_finding *const *)x, *q = *(const struct ia_finding *const *)y;
	int c = strcmp(p->rule, q->rule);

	if (!c)
		c = strcmp(p->subject, q->subject);
	if (!c)
		c = (int)q->level - (int)p->level;
	return c ? c : strcmp(p->message, q->message);
}

static const struct ia_finding **diff_sorted(const struct ia_result *a)
{
	const struct ia_finding **v = malloc((a->n_findings + 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < a->n_findings; i++)
		v[i] = &a->findings[i];
	qsort(v, a->n_findings, sizeof(*v), diff_cmp_finding);
	return v;
}

/* One finding pair or leftover of a (rule, subject) run. */
static int diff_finding_pair(struct ia_diff *d, const struct ia_finding *f, const struct ia_finding *g)
{
	const struct ia_finding *e = f ? f : g;
	char subject[512], val[1200];
	int rc;

	snprintf(subject, sizeof(subject), "[%s] %s", e->rule, e->subject);
	if (f && g) {
		if ((rc = diff_value(d, "finding", subject, "level", ia_level_name(f->level), ia_level_name(g->level))))
			return rc;
		return diff_value(d, "finding", subject, "waived", f->waived ? "true" : "false", g->waived ? "true" : "false");
	}
	snprintf(val, sizeof(val), "%s: %s", ia_level_name(e->level), e->message);
	return f ? diff_add(d, "finding", subject, "resolved", NULL, val, NULL)
		 : diff_add(d, "finding", subject, "appeared", NULL, NULL, val);
}

/*
 * Findings are matched by (rule, subject); within one such run, first the ones with the same
 * message (the same finding: only its level or waiver may have changed), then the rest in order
 * (a finding whose wording changed), and what is left resolved or appeared. Pairing by position
 * alone called a resolved error beside a surviving warning a level change.
 */
static int diff_findings(struct ia_diff *d, const struct ia_result *o, const struct ia_result *n)
{
	const struct ia_finding **x = diff_sorted(o), **y = diff_sorted(n);
	size_t i = 0, k = 0;
	int rc = 0;

	if (!x || !y) {
		free(x);
		free(y);
		return -ENOMEM;
	}
	while ((i < o->n_findings || k < n->n_findings) && rc == 0) {
		int c = i == o->n_findings ? 1 : k == n->n_findings ? -1 : strcmp(x[i]->rule, y[k]->rule);
		if (c == 0)
			c = strcmp(x[i]->subject, y[k]->subject);
		if (c < 0) {
			rc = diff_finding_pair(d, x[i++], NULL);
			continue;
		}
		if (c > 0) {
			rc = diff_finding_pair(d, NULL, y[k++]);
			continue;
		}
		/* the run [i, i2) x [k, k2) shares rule and subject */
		size_t i2 = i, k2 = k;
		while (i2 < o->n_findings && !strcmp(x[i2]->rule, x[i]->rule) && !strcmp(x[i2]->subject, x[i]->subject))
			i2++;
		while (k2 < n->n_findings && !strcmp(y[k2]->rule, y[k]->rule) && !strcmp(y[k2]->subject, y[k]->subject))
			k2++;
		bool *used_y = calloc(k2 - k, sizeof(*used_y)), *used_x = calloc(i2 - i, sizeof(*used_x));
		if (!used_x || !used_y) {
			free(used_x);
			free(used_y);
			rc = -ENOMEM;
			break;
		}
		for (size_t p = i; p < i2 && rc == 0; p++)
			for (size_t q = k; q < k2; q++)
				if (!used_y[q - k] && !strcmp(x[p]->message, y[q]->message)) {
					used_x[p - i] = used_y[q - k] = true;
					rc = diff_finding_pair(d, x[p], y[q]);
					break;
				}
		for (size_t p = i, q = k; p < i2 && rc == 0; p++) {
			if (used_x[p - i])
				continue;
			while (q < k2 && used_y[q - k])
				q++;
			if (q < k2) {
				used_x[p - i] = used_y[q - k] = true;
				rc = diff_finding_pair(d, x[p], y[q++]);
			} else {
				rc = diff_finding_pair(d, x[p], NULL);
			}
		}
		for (size_t q = k; q < k2 && rc == 0; q++)
			if (!used_y[q - k])
				rc = diff_finding_pair(d, NULL, y[q]);
		free(used_x);
		free(used_y);
		i = i2;
		k = k2;
	}
	free(x);
	free(y);
	return rc;
}

int ia_diff_audits(const struct ia_audit *old, const struct ia_result *old_r, const struct ia_audit *new,
		   const struct ia_result *new_r, struct ia_diff **out)
{
	struct ia_diff *d;
	int rc;

	if (!old || !new || !old_r || !new_r || !out || old_r->n_groups != old->n_groups ||
	    new_r->n_groups != new->n_groups)
		return -EINVAL;
	if (!(d = calloc(1, sizeof(*d))))
		return -ENOMEM;
	if ((rc = diff_host(d, old, old_r, new, new_r)) || (rc = diff_devices(d, old, new)) ||
	    (rc = diff_groups(d, old, old_r, new, new_r)) || (rc = diff_findings(d, old_r, new_r))) {
		ia_diff_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

static int diff_text_raw(const struct ia_diff *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct ia_diff_change *c = &d->v[i];
		bool same = !strcmp(c->area, c->subject); /* "host": no separate subject */
		if (c->field && !strcmp(c->change, "changed"))
			fprintf(out, "%s%s%s %s: %s -> %s\n", c->area, same ? "" : " ", same ? "" : c->subject, c->field,
				c->old, c->new);
		else
			fprintf(out, "%s%s%s %s: %s\n", c->area, same ? "" : " ", same ? "" : c->subject, c->change,
				c->new ? c->new : c->old);
	}
	return ferror(out) ? -EIO : 0;
}

int ia_diff_json(const struct ia_diff *d, const char *old_name, const char *new_name, FILE *out)
{
	struct jw *w = jw_new(out);

	if (!w)
		return -ENOMEM;
	jw_map(w);
	jm_text(w, "schema", "iommu-audit-diff/1");
	jm_text(w, "old", old_name);
	jm_text(w, "new", new_name);
	jm_bool(w, "changed", d->n > 0);
	jm_arr(w, "changes");
	for (size_t i = 0; i < d->n; i++) {
		const struct ia_diff_change *c = &d->v[i];
		jw_map(w);
		jm_text(w, "area", c->area);
		jm_text(w, "subject", c->subject);
		jm_text(w, "change", c->change);
		jm_text(w, "field", c->field);
		jm_text(w, "old", c->old);
		jm_text(w, "new", c->new);
		jw_map_end(w);
	}
	jw_arr_end(w);
	jw_map_end(w);
	return jw_finish(w);
}

void ia_diff_free(struct ia_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].subject); free(d->v[i].field); free(d->v[i].old); free(d->v[i].new);
	}
	free(d->v);
	free(d);
}

/* Text quoted from the audited host goes through the text reports' control-character filter. */
int ia_diff_text(const struct ia_diff *d, FILE *out)
{
	FILE *f = ia_report_safe_open(out);

	if (!f)
		return -ENOMEM;
	int rc = diff_text_raw(d, f), rc2 = ia_report_safe_close(f, out);
	return rc < 0 ? rc : rc2;
}
