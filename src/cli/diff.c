// SPDX-License-Identifier: GPL-2.0-or-later
// `diff`: compare two audits of a host and list what changed, for drift detection in fleets.
#include "cli/diff.h"
#include "reports/jsonw.h"
#include "reports/report.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
	/* one descriptor, opened without blocking (a FIFO swapped in after cli_check_input()) and
	 * checked before any read: a directory is a tree, a regular file is read, anything else refused */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0)
		return -errno;
	int err = fstat(fd, &st) < 0 ? -errno : !S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) ? -EINVAL : 0;
	if (err) {
		close(fd);
		return err;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		*kind = IA_DIFF_TREE;
		return 0;
	}
	ssize_t n = read(fd, head, sizeof(head));
	err = n < 0 ? -errno : 0;
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
	*c = (struct ia_diff_change){ .area = area, .change = change, .old_tri = IA_UNKNOWN, .new_tri = IA_UNKNOWN };
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

/* The changes added since @n0 get @effect (and @summarised). */
static void diff_mark(struct ia_diff *d, size_t n0, enum ia_diff_effect effect, bool summarised)
{
	for (size_t i = n0; i < d->n; i++) {
		d->v[i].effect = effect;
		d->v[i].summarised = summarised;
	}
}

/* Compare a yes/no fact named by @name ("true"/"false"/"unknown" or the field's own words). */
static int diff_tri_value(struct ia_diff *d, const char *area, const char *subject, const char *field, enum ia_tri o,
			  enum ia_tri n, const char *(*name)(enum ia_tri), enum ia_diff_effect effect, bool summarised)
{
	size_t n0 = d->n;
	int rc = diff_value(d, area, subject, field, name(o), name(n));

	if (rc == 0 && d->n > n0) {
		d->v[n0].is_tri = true;
		d->v[n0].old_tri = o;
		d->v[n0].new_tri = n;
		diff_mark(d, n0, effect, summarised);
	}
	return rc;
}

static const char *diff_tri(enum ia_tri t)
{
	return t == IA_YES ? "true" : t == IA_NO ? "false" : "unknown";
}

static const char *diff_irq(enum ia_tri t)
{
	return t == IA_YES ? "isolated" : t == IA_NO ? "not_isolated" : "unknown";
}

/* @was and @is are "good" (assignable, isolated, active): losing it is worse, gaining it better. */
static enum ia_diff_effect diff_effect(bool was, bool is)
{
	return was && !is ? IA_DIFF_WORSE : !was && is ? IA_DIFF_BETTER : IA_DIFF_NEUTRAL;
}

static void diff_side(struct ia_diff_side *s, const struct ia_audit *a, const struct ia_result *r)
{
	s->n_iommu_groups = a->n_iommu_groups;
	for (size_t i = 0; i < a->n_groups; i++)
		s->n_assignable += !a->groups[i].noiommu && r->groups[i].userspace_assignable == IA_YES;
	s->has_domains = a->domains != NULL;   /* published by the engine with a topology model only */
	s->n_domains = a->n_domains;
	s->irq_isolated = r->irq_isolated;
	s->noiommu_state = r->noiommu_state ? r->noiommu_state : "unknown";
	s->iommu_active = ia_audit_iommu_active(a);
	s->fails = r->verdict.fails;
}

/* The host's identity (host_identity): a new board, BIOS, CPU or name is neither worse nor better,
 * but a qualification filed by board and BIOS no longer holds, so each is a change of its own.
 * audited_at is not compared: it is each run's own time. */
static int diff_identity(struct ia_diff *d, const struct ia_audit *o, const struct ia_audit *n)
{
	const struct ia_identity *x = &o->identity, *y = &n->identity;
	int rc;

	if ((rc = diff_value(d, "host", "host", "hostname", x->hostname, y->hostname)) ||
	    (rc = diff_value(d, "host", "host", "machine_id", x->machine_id, y->machine_id)))
		return rc;
	for (size_t i = 0; i < IA_IDENTITY_N_DMI; i++)
		if ((rc = diff_value(d, "host", "host", ia_identity_dmi_attrs[i], x->dmi[i], y->dmi[i])))
			return rc;
	if ((rc = diff_value(d, "host", "host", "cpu_model", x->cpu_model, y->cpu_model)) ||
	    (rc = diff_value(d, "host", "host", "arch", o->arch, n->arch)))
		return rc;
	return 0;
}

static int diff_host(struct ia_diff *d, const struct ia_audit *o, const struct ia_result *or,
		     const struct ia_audit *n, const struct ia_result *nr)
{
	int rc;
	bool oa = d->old.iommu_active, na = d->new.iommu_active;
	const char *ov = or->verdict.fails ? "fail" : "pass";   /* the host verdict of each side */
	const char *nv = nr->verdict.fails ? "fail" : "pass";
	size_t n0;

	if ((rc = diff_identity(d, o, n)) ||
	    (rc = diff_value(d, "host", "host", "kernel", o->kernel_release, n->kernel_release)) ||
	    (rc = diff_tri_value(d, "host", "host", "iommu_active", oa ? IA_YES : IA_NO, na ? IA_YES : IA_NO, diff_tri,
				 diff_effect(oa, na), true)) ||
	    (rc = diff_tri_value(d, "host", "host", "interrupt_isolation", or->irq_isolated, nr->irq_isolated, diff_irq,
				 diff_effect(or->irq_isolated == IA_YES, nr->irq_isolated == IA_YES), true)) ||
	    (rc = diff_tri_value(d, "host", "host", "unsafe_interrupts_allowed", or->unsafe_interrupts_allowed,
				 nr->unsafe_interrupts_allowed, diff_tri, IA_DIFF_NEUTRAL, false)))
		return rc;
	n0 = d->n;
	rc = diff_value(d, "host", "host", "verdict", ov, nv);
	diff_mark(d, n0, IA_DIFF_NEUTRAL, true);
	return rc;
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

/* Devices by BDF. A device's group number is not compared: groups are matched by their members
 * (diff_groups()), so a renumbered group is no change, and a device that joins or leaves a group
 * changes that group's members. */
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
			if ((rc = diff_value(d, "device", x->bdf, "class", x->has_class ? a : NULL, y->has_class ? b : NULL)))
				break;
			rc = diff_value(d, "device", x->bdf, "driver", x->driver, y->driver);
		}
	}
	return rc;
}

/* ---- groups matched by their members ------------------------------------------------------- */

/* The members of a group as one space-separated string (malloc'd). */
static char *diff_members(const struct ia_diff_group *g)
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

/* "group N: A B (assignable: yes); group M: C (assignable: no)" for one side of a split or merge (malloc'd). */
static char *diff_group_list(const struct ia_diff_group *v, size_t n)
{
	size_t len = 1;

	for (size_t i = 0; i < n; i++) {
		len += 64;
		for (size_t k = 0; k < v[i].n_devices; k++)
			len += strlen(v[i].devices[k]) + 1;
	}
	char *s = malloc(len), *p = s;
	if (!s)
		return NULL;
	*p = '\0';
	for (size_t i = 0; i < n; i++) {
		p += sprintf(p, "%sgroup %d:", i ? "; " : "", v[i].id);
		for (size_t k = 0; k < v[i].n_devices; k++)
			p += sprintf(p, " %s", v[i].devices[k]);
		p += sprintf(p, " (assignable: %s)", ia_tri_str(v[i].userspace_assignable));
	}
	return s;
}

static void diff_group_free(struct ia_diff_group *g)
{
	for (size_t k = 0; k < g->n_devices; k++)
		free(g->devices[k]);
	free(g->devices);
	free(g->type);
}

static int diff_group_copy(struct ia_diff_group *g, const struct ia_group *x, const struct ia_group_verdict *v)
{
	*g = (struct ia_diff_group){ .id = x->id, .noiommu = x->noiommu, .dma_ownership_viable = v->dma_ownership_viable,
				     .userspace_assignable = v->userspace_assignable };
	if ((x->type && !(g->type = strdup(x->type))) ||
	    !(g->devices = calloc(x->n_devices ? x->n_devices : 1, sizeof(*g->devices))))
		return -ENOMEM;
	for (size_t k = 0; k < x->n_devices; k++, g->n_devices++)
		if (!(g->devices[k] = strdup(x->devices[k])))
			return -ENOMEM;
	return 0;
}

/* One BDF in one group: node is the old group's index, or n_old + the new group's index. */
struct diff_link {
	const char *bdf;
	size_t node;
};

static int diff_cmp_link(const void *x, const void *y)
{
	const struct diff_link *p = x, *q = y;
	int c = strcmp(p->bdf, q->bdf);

	return c ? c : p->node < q->node ? -1 : p->node > q->node;
}

static size_t diff_root(size_t *up, size_t x)
{
	while (up[x] != x)
		x = up[x] = up[up[x]];
	return x;
}

/* The state of the group matching, shared by diff_groups() and diff_findings(). */
struct diff_gmap {
	size_t n_old, n_new;
	size_t *match_of;           /* per node (old groups, then new): index into d->groups */
	int *old_id_of_new;         /* per new group: the old group's id when matched 1:1, else unused */
	bool *one_to_one;           /* per new group */
};

static void diff_gmap_free(struct diff_gmap *m)
{
	free(m->match_of);
	free(m->old_id_of_new);
	free(m->one_to_one);
}

/* A connected set of groups and the number it is ordered by. */
struct diff_rootkey {
	int id;          /* its lowest old group's number, or its lowest new group's when it has no old one */
	bool new_only;
	size_t root;
};

static int diff_cmp_rootkey(const void *x, const void *y)
{
	const struct diff_rootkey *p = x, *q = y;

	if (p->id != q->id)
		return p->id < q->id ? -1 : 1;
	return (int)p->new_only - (int)q->new_only;
}

/*
 * Link the groups of both sides that share a BDF (union-find over the sorted (BDF, group) links)
 * and fill d->groups with one match per connected set, its effect from the members' groups:
 * an old assignable group is lost when one of its members now sits in a group that is not
 * assignable, or none of them in any group; a new assignable group is gained when one of its
 * members sat in a group that was not, or none of them in any group.
 */
static int diff_match_groups(struct ia_diff *d, const struct ia_audit *o, const struct ia_result *or,
			     const struct ia_audit *n, const struct ia_result *nr, struct diff_gmap *m)
{
	size_t no = o->n_groups, nn = n->n_groups, nodes = no + nn, n_links = 0;
	struct diff_link *links = NULL;
	size_t *up = NULL, *first = NULL;
	bool *bad = NULL, *met = NULL;   /* per node: a member's other side is not assignable / exists */
	struct diff_rootkey *keys = NULL;
	int rc = -ENOMEM;

	m->n_old = no, m->n_new = nn;
	for (size_t i = 0; i < no; i++)
		n_links += o->groups[i].n_devices;
	for (size_t j = 0; j < nn; j++)
		n_links += n->groups[j].n_devices;
	links = malloc((n_links ? n_links : 1) * sizeof(*links));
	up = malloc((nodes ? nodes : 1) * sizeof(*up));
	first = malloc((nodes ? nodes : 1) * sizeof(*first));
	bad = calloc(nodes ? nodes : 1, sizeof(*bad));
	met = calloc(nodes ? nodes : 1, sizeof(*met));
	keys = malloc((nodes ? nodes : 1) * sizeof(*keys));
	m->match_of = malloc((nodes ? nodes : 1) * sizeof(*m->match_of));
	m->old_id_of_new = calloc(nn ? nn : 1, sizeof(*m->old_id_of_new));
	m->one_to_one = calloc(nn ? nn : 1, sizeof(*m->one_to_one));
	if (!links || !up || !first || !bad || !met || !keys || !m->match_of || !m->old_id_of_new || !m->one_to_one)
		goto out;
	n_links = 0;
	for (size_t x = 0; x < nodes; x++) {
		const struct ia_group *g = x < no ? &o->groups[x] : &n->groups[x - no];
		up[x] = x;
		for (size_t k = 0; k < g->n_devices; k++)
			links[n_links++] = (struct diff_link){ g->devices[k], x };
	}
	qsort(links, n_links, sizeof(*links), diff_cmp_link);
	for (size_t s = 0, e; s < n_links; s = e) {
		bool old_yes = false, old_no = false, new_yes = false, new_no = false;
		for (e = s; e < n_links && !strcmp(links[e].bdf, links[s].bdf); e++) {
			size_t x = links[e].node;
			bool yes = x < no ? or->groups[x].userspace_assignable == IA_YES :
				   nr->groups[x - no].userspace_assignable == IA_YES;
			*(x < no ? (yes ? &old_yes : &old_no) : (yes ? &new_yes : &new_no)) = true;
			size_t a = diff_root(up, links[s].node), b = diff_root(up, x);
			up[a > b ? a : b] = a < b ? a : b;
		}
		for (size_t k = s; k < e; k++) {
			size_t x = links[k].node;
			met[x] |= x < no ? new_yes || new_no : old_yes || old_no;
			bad[x] |= x < no ? new_no : old_no;
		}
	}
	/* one match per root, ordered by its lowest old number (new-only sets by their lowest new
	 * number, after an old set of the same number): the first node of a root in node order is its
	 * lowest old group, or its lowest new group when it has no old one (groups are sorted by id) */
	size_t n_roots = 0;
	for (size_t x = 0; x < nodes; x++)
		first[x] = SIZE_MAX;
	for (size_t x = 0; x < nodes; x++) {
		size_t r = diff_root(up, x);
		if (first[r] == SIZE_MAX) {
			first[r] = n_roots;
			keys[n_roots++] = (struct diff_rootkey){ x < no ? o->groups[x].id : n->groups[x - no].id, x >= no, r };
		}
	}
	qsort(keys, n_roots, sizeof(*keys), diff_cmp_rootkey);
	for (size_t k = 0; k < n_roots; k++)
		first[keys[k].root] = k;
	if (n_roots && !(d->groups = calloc(n_roots, sizeof(*d->groups))))
		goto out;
	d->n_groups = d->cap_groups = n_roots;
	for (size_t x = 0; x < nodes; x++) {
		struct ia_diff_match *t = &d->groups[m->match_of[x] = first[diff_root(up, x)]];
		t->n_old += x < no;
		t->n_new += x >= no;
	}
	for (size_t i = 0; i < d->n_groups; i++) {
		struct ia_diff_match *t = &d->groups[i];
		t->old = calloc(t->n_old ? t->n_old : 1, sizeof(*t->old));
		t->new = calloc(t->n_new ? t->n_new : 1, sizeof(*t->new));
		if (!t->old || !t->new)
			goto out;
		t->n_old = t->n_new = 0;
	}
	for (size_t x = 0; x < nodes; x++) {
		struct ia_diff_match *t = &d->groups[m->match_of[x]];
		bool yes = x < no ? or->groups[x].userspace_assignable == IA_YES : nr->groups[x - no].userspace_assignable == IA_YES;
		if (yes && (bad[x] || !met[x])) {
			if (x < no)
				d->n_groups_lost++, t->effect = IA_DIFF_WORSE;
			else if (d->n_groups_gained++, t->effect != IA_DIFF_WORSE)
				t->effect = IA_DIFF_BETTER;
		}
		if ((rc = x < no ? diff_group_copy(&t->old[t->n_old++], &o->groups[x], &or->groups[x])
				 : diff_group_copy(&t->new[t->n_new++], &n->groups[x - no], &nr->groups[x - no])) < 0)
			goto out;
	}
	for (size_t j = 0; j < nn; j++) {
		const struct ia_diff_match *t = &d->groups[m->match_of[no + j]];
		m->one_to_one[j] = t->n_old == 1 && t->n_new == 1;
		m->old_id_of_new[j] = t->n_old ? t->old[0].id : 0;
	}
	for (size_t i = 0; i < d->n_groups; i++) {
		struct ia_diff_match *t = &d->groups[i];
		bool same = t->n_old == 1 && t->n_new == 1 && t->old[0].n_devices == t->new[0].n_devices;
		for (size_t k = 0; same && k < t->old[0].n_devices; k++)
			same = !strcmp(t->old[0].devices[k], t->new[0].devices[k]);
		t->match = !t->n_new ? "removed" : !t->n_old ? "added" : t->n_old > 1 && t->n_new > 1 ? "regrouped" :
			   t->n_old > 1 ? "merged" : t->n_new > 1 ? "split" : !same ? "members" :
			   t->old[0].id != t->new[0].id ? "renumbered" : "same";
	}
	rc = 0;
out:
	free(links);
	free(up);
	free(first);
	free(bad);
	free(met);
	free(keys);
	return rc;
}

/* The lines of one 1:1 match: number, members, type and verdicts, under the group's new number. */
static int diff_group_pair(struct ia_diff *d, const struct ia_diff_match *t)
{
	const struct ia_diff_group *x = &t->old[0], *y = &t->new[0];
	char id[16], was[16];
	char *a = diff_members(x), *b = diff_members(y);
	int rc = -ENOMEM;

	snprintf(id, sizeof(id), "%d", y->id);
	snprintf(was, sizeof(was), "%d", x->id);
	if (a && b && !(rc = diff_value(d, "group", id, "number", was, id)) &&
	    !(rc = diff_value(d, "group", id, "devices", a, b)) &&
	    !(rc = diff_value(d, "group", id, "type", x->type, y->type)) &&
	    !(rc = diff_tri_value(d, "group", id, "dma_ownership_viable", x->dma_ownership_viable,
				  y->dma_ownership_viable, diff_tri, IA_DIFF_NEUTRAL, false)))
		rc = diff_tri_value(d, "group", id, "userspace_assignable", x->userspace_assignable,
				    y->userspace_assignable, diff_tri, t->effect, false);
	free(a);
	free(b);
	return rc;
}

/* One line per match that is not 1:1 (added, removed, split, merged, regrouped), the lines of
 * diff_group_pair() for the others. */
static int diff_groups(struct ia_diff *d)
{
	int rc = 0;

	for (size_t i = 0; i < d->n_groups && rc == 0; i++) {
		const struct ia_diff_match *t = &d->groups[i];
		size_t n0 = d->n;
		if (t->n_old == 1 && t->n_new == 1) {
			rc = diff_group_pair(d, t);
			continue;
		}
		/* added, removed, split: the old number(s); merged: the new one; regrouped: the old ones */
		const struct ia_diff_group *g = t->n_old && (t->n_old == 1 || t->n_new > 1) ? t->old : t->new;
		size_t n = g == t->old ? t->n_old : t->n_new, len = 0;
		char *id = malloc(n * 12 + 1), *a = NULL, *b = NULL;
		if (!id)
			return -ENOMEM;
		id[0] = '\0';
		for (size_t k = 0; k < n; k++)
			len += (size_t)sprintf(id + len, "%s%d", k ? "," : "", g[k].id);
		if (!t->n_old || !t->n_new) {   /* added or removed: the members, as before matching */
			*(t->n_old ? &a : &b) = diff_members(g);
			rc = a || b ? 0 : -ENOMEM;
		} else {
			a = diff_group_list(t->old, t->n_old);
			b = diff_group_list(t->new, t->n_new);
			rc = a && b ? 0 : -ENOMEM;
		}
		if (rc == 0)
			rc = diff_add(d, "group", id, t->match, NULL, a, b);
		diff_mark(d, n0, t->effect, false);
		free(id);
		free(a);
		free(b);
	}
	return rc;
}

/* ---- findings ---------------------------------------------------------------------------------- */

/* A finding and the subject it is matched by: a "group N" of a renumbered group takes the old
 * number; a new group matched to no single old one gets a key no old subject has. */
struct diff_keyed {
	const struct ia_finding *f;
	bool own;            /* the key is kbuf, else f->subject */
	char kbuf[32];
};

static const char *diff_key(const struct diff_keyed *k)
{
	return k->own ? k->kbuf : k->f->subject;
}

static int diff_cmp_keyed(const void *x, const void *y)
{
	const struct diff_keyed *p = x, *q = y;
	int c = strcmp(p->f->rule, q->f->rule);

	if (!c)
		c = strcmp(diff_key(p), diff_key(q));
	if (!c)
		c = (int)q->f->level - (int)p->f->level;
	return c ? c : strcmp(p->f->message, q->f->message);
}

/* The group number of a subject "group N" (a rule's subject for a kernel group), or false. */
static bool diff_group_subject(const char *s, int *id)
{
	char *end;

	if (strncmp(s, "group ", 6) || s[6] < '0' || s[6] > '9')
		return false;
	errno = 0;
	long v = strtol(s + 6, &end, 10);
	if (*end || errno || v > INT_MAX)
		return false;
	*id = (int)v;
	return true;
}

/* The findings of @r sorted by (rule, key, level descending, message); @a, @m given for the new side. */
static struct diff_keyed *diff_sorted(const struct ia_result *r, const struct ia_audit *a, const struct diff_gmap *m)
{
	struct diff_keyed *v = calloc(r->n_findings + 1, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < r->n_findings; i++) {
		int id;
		const struct ia_group *g;
		v[i].f = &r->findings[i];
		if (!a || !diff_group_subject(v[i].f->subject, &id) || !(g = ia_audit_find_group(a, id)))
			continue;
		size_t j = (size_t)(g - a->groups);
		v[i].own = true;
		if (m->one_to_one[j])
			snprintf(v[i].kbuf, sizeof(v[i].kbuf), "group %d", m->old_id_of_new[j]);
		else
			snprintf(v[i].kbuf, sizeof(v[i].kbuf), "group %d\001", id);   /* matches no old subject */
	}
	qsort(v, r->n_findings, sizeof(*v), diff_cmp_keyed);
	return v;
}

/* One finding pair or leftover of a (rule, subject) run; its lines say whether it fails anew. */
static int diff_finding_pair(struct ia_diff *d, const struct ia_finding *f, const struct ia_finding *g)
{
	const struct ia_finding *e = g ? g : f;   /* the new subject of a renumbered group */
	char subject[512], val[1200];
	bool was = f && ia_finding_fails(f, d->fail_on), is = g && ia_finding_fails(g, d->fail_on);
	/* failing is the bad state: failing anew is worse, failing no more better */
	enum ia_diff_effect effect = is && !was ? IA_DIFF_WORSE : was && !is ? IA_DIFF_BETTER : IA_DIFF_NEUTRAL;
	size_t n0 = d->n;
	int rc;

	snprintf(subject, sizeof(subject), "[%s] %s", e->rule, e->subject);
	if (f && g) {
		if ((rc = diff_value(d, "finding", subject, "level", ia_level_name(f->level), ia_level_name(g->level))) ||
		    (rc = diff_tri_value(d, "finding", subject, "waived", f->waived ? IA_YES : IA_NO,
					 g->waived ? IA_YES : IA_NO, diff_tri, IA_DIFF_NEUTRAL, false)))
			return rc;
	} else {
		snprintf(val, sizeof(val), "%s: %s", ia_level_name(e->level), e->message);
		if ((rc = f ? diff_add(d, "finding", subject, "resolved", NULL, val, NULL)
			    : diff_add(d, "finding", subject, "appeared", NULL, NULL, val)))
			return rc;
	}
	diff_mark(d, n0, effect, false);
	d->n_findings_failing += effect == IA_DIFF_WORSE;
	d->n_findings_fixed += effect == IA_DIFF_BETTER;
	return 0;
}

/* Whether x and y (of one side) share rule and key. */
static bool diff_same_run(const struct diff_keyed *x, const struct diff_keyed *y)
{
	return !strcmp(x->f->rule, y->f->rule) && !strcmp(diff_key(x), diff_key(y));
}

/*
 * Findings are matched by (rule, subject); within one such run, first the ones with the same
 * message (the same finding: only its level or waiver may have changed), then the rest in order
 * (a finding whose wording changed), and what is left resolved or appeared. Pairing by position
 * alone called a resolved error beside a surviving warning a level change.
 */
static int diff_findings(struct ia_diff *d, const struct ia_result *o, const struct ia_audit *n_a,
			 const struct ia_result *n, const struct diff_gmap *m)
{
	struct diff_keyed *x = diff_sorted(o, NULL, m), *y = diff_sorted(n, n_a, m);
	size_t i = 0, k = 0;
	int rc = 0;

	if (!x || !y) {
		free(x);
		free(y);
		return -ENOMEM;
	}
	while ((i < o->n_findings || k < n->n_findings) && rc == 0) {
		int c = i == o->n_findings ? 1 : k == n->n_findings ? -1 : strcmp(x[i].f->rule, y[k].f->rule);
		if (c == 0)
			c = strcmp(diff_key(&x[i]), diff_key(&y[k]));
		if (c < 0) {
			rc = diff_finding_pair(d, x[i++].f, NULL);
			continue;
		}
		if (c > 0) {
			rc = diff_finding_pair(d, NULL, y[k++].f);
			continue;
		}
		/* the run [i, i2) x [k, k2) shares rule and subject */
		size_t i2 = i, k2 = k;
		while (i2 < o->n_findings && diff_same_run(&x[i2], &x[i]))
			i2++;
		while (k2 < n->n_findings && diff_same_run(&y[k2], &y[k]))
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
				if (!used_y[q - k] && !strcmp(x[p].f->message, y[q].f->message)) {
					used_x[p - i] = used_y[q - k] = true;
					rc = diff_finding_pair(d, x[p].f, y[q].f);
					break;
				}
		for (size_t p = i, q = k; p < i2 && rc == 0; p++) {
			if (used_x[p - i])
				continue;
			while (q < k2 && used_y[q - k])
				q++;
			if (q < k2) {
				used_x[p - i] = used_y[q - k] = true;
				rc = diff_finding_pair(d, x[p].f, y[q++].f);
			} else {
				rc = diff_finding_pair(d, x[p].f, NULL);
			}
		}
		for (size_t q = k; q < k2 && rc == 0; q++)
			if (!used_y[q - k])
				rc = diff_finding_pair(d, NULL, y[q].f);
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
	struct diff_gmap m = { 0 };
	struct ia_diff *d;
	int rc;

	if (!old || !new || !old_r || !new_r || !out || old_r->n_groups != old->n_groups ||
	    new_r->n_groups != new->n_groups)
		return -EINVAL;
	if (!(d = calloc(1, sizeof(*d))))
		return -ENOMEM;
	d->fail_on = new_r->verdict.fail_on;
	diff_side(&d->old, old, old_r);
	diff_side(&d->new, new, new_r);
	if ((rc = diff_host(d, old, old_r, new, new_r)) || (rc = diff_devices(d, old, new)) ||
	    (rc = diff_match_groups(d, old, old_r, new, new_r, &m)) || (rc = diff_groups(d)) ||
	    (rc = diff_findings(d, old_r, new, new_r, &m))) {
		diff_gmap_free(&m);
		ia_diff_free(d);
		return rc;
	}
	diff_gmap_free(&m);
	bool irq_lost = d->old.irq_isolated == IA_YES && d->new.irq_isolated != IA_YES;
	bool irq_won = d->old.irq_isolated != IA_YES && d->new.irq_isolated == IA_YES;
	d->n_worse = d->n_groups_lost + d->n_findings_failing + irq_lost + (d->old.iommu_active && !d->new.iommu_active);
	d->n_better = d->n_groups_gained + d->n_findings_fixed + irq_won + (!d->old.iommu_active && d->new.iommu_active);
	*out = d;
	return 0;
}

/* ---- rendering ---------------------------------------------------------------------------------- */

static const char *diff_irq_words(enum ia_tri t)
{
	return t == IA_YES ? "isolated" : t == IA_NO ? "NOT isolated" : "unknown";
}

static const char *diff_fail_on_name(enum ia_fail_on f)
{
	return f == IA_FAIL_ON_WARNING ? "warning" : f == IA_FAIL_ON_NEVER ? "never" : "error";
}

/* "the IOMMU is no longer active; 2 groups no longer assignable" (@worse) or its reverse. */
static void diff_reasons(const struct ia_diff *d, bool worse, FILE *out)
{
	const struct ia_diff_side *was = worse ? &d->old : &d->new, *is = worse ? &d->new : &d->old;
	size_t groups = worse ? d->n_groups_lost : d->n_groups_gained;
	size_t findings = worse ? d->n_findings_failing : d->n_findings_fixed;
	const char *sep = "";

	if (was->iommu_active && !is->iommu_active) {
		fprintf(out, "%s%s", sep, worse ? "the IOMMU is no longer active" : "the IOMMU is now active");
		sep = "; ";
	}
	if (was->irq_isolated == IA_YES && is->irq_isolated != IA_YES) {
		fprintf(out, "%sMSI isolation %s", sep, worse ? "lost" : "gained");
		sep = "; ";
	}
	if (groups) {
		fprintf(out, "%s%zu group%s %s assignable", sep, groups, groups == 1 ? "" : "s",
			worse ? "no longer" : "newly");
		sep = "; ";
	}
	if (findings)
		fprintf(out, "%s%zu finding%s %s --fail-on %s", sep, findings, findings == 1 ? "" : "s",
			worse ? "newly failing" : "no longer failing", diff_fail_on_name(d->fail_on));
}

static int diff_text_raw(const struct ia_diff *d, FILE *out)
{
	const struct ia_diff_side *o = &d->old, *n = &d->new;
	char a[32], b[32];
	bool details = false;

	/* the answer first, then the summary, then the details */
	fputs("result: ", out);
	if (d->n_worse) {
		fputs("worse: ", out);
		diff_reasons(d, true, out);
		if (d->n_better) {
			fputs(" (improved: ", out);
			diff_reasons(d, false, out);
			fputc(')', out);
		}
	} else if (d->n_better) {
		fputs("improved: ", out);
		diff_reasons(d, false, out);
	} else {
		fputs(d->n ? "changed, neither worse nor improved" : "unchanged", out);
	}
	fputc('\n', out);
	fprintf(out, "assignable IOMMU groups: %zu of %zu -> %zu of %zu\n", o->n_assignable, o->n_iommu_groups,
		n->n_assignable, n->n_iommu_groups);
	snprintf(a, sizeof(a), "%zu", o->n_domains);
	snprintf(b, sizeof(b), "%zu", n->n_domains);
	fprintf(out, "isolation domains of several functions: %s -> %s\n", o->has_domains ? a : "unknown",
		n->has_domains ? b : "unknown");
	fprintf(out, "MSI isolation: %s -> %s\n", diff_irq_words(o->irq_isolated), diff_irq_words(n->irq_isolated));
	fprintf(out, "VFIO no-IOMMU mode: %s -> %s\n", o->noiommu_state, n->noiommu_state);
	fprintf(out, "IOMMU active: %s -> %s\n", o->iommu_active ? "yes" : "no", n->iommu_active ? "yes" : "no");
	fprintf(out, "verdict: %s -> %s\n", o->fails ? "fail" : "pass", n->fails ? "fail" : "pass");
	for (size_t i = 0; i < d->n; i++) {
		const struct ia_diff_change *c = &d->v[i];
		bool same = !strcmp(c->area, c->subject); /* "host": no separate subject */
		if (c->summarised)
			continue;
		if (!details)
			fputc('\n', out);
		details = true;
		fprintf(out, "%s%s%s ", c->area, same ? "" : " ", same ? "" : c->subject);
		if (c->field && !strcmp(c->change, "changed"))
			fprintf(out, "%s: %s -> %s\n", c->field, c->old, c->new);
		else if (c->old && c->new)
			fprintf(out, "%s: %s -> %s\n", c->change, c->old, c->new);
		else
			fprintf(out, "%s: %s\n", c->change, c->new ? c->new : c->old);
	}
	return ferror(out) ? -EIO : 0;
}

static const char *diff_effect_name(enum ia_diff_effect e)
{
	return e == IA_DIFF_WORSE ? "worse" : e == IA_DIFF_BETTER ? "improved" : "neutral";
}

/* {"old": ..., "new": ...} of two counts, NULL (unknown) when not @has. */
static void diff_json_pair(struct jw *w, const char *key, bool has_o, size_t o, bool has_n, size_t n)
{
	jm_map(w, key);
	if (has_o)
		jm_int(w, "old", (long long)o);
	else
		jm_null(w, "old");
	if (has_n)
		jm_int(w, "new", (long long)n);
	else
		jm_null(w, "new");
	jw_map_end(w);
}

static void diff_json_groups(struct jw *w, const char *key, const struct ia_diff_group *v, size_t n)
{
	jm_arr(w, key);
	for (size_t i = 0; i < n; i++) {
		jw_map(w);
		jm_int(w, "id", v[i].id);
		jm_text(w, "type", v[i].type);
		jm_bool(w, "noiommu", v[i].noiommu);
		jm_arr(w, "devices");
		for (size_t k = 0; k < v[i].n_devices; k++)
			jw_text(w, v[i].devices[k]);
		jw_arr_end(w);
		jm_tri(w, "dma_ownership_viable", v[i].dma_ownership_viable);
		jm_tri(w, "userspace_assignable", v[i].userspace_assignable);
		jw_map_end(w);
	}
	jw_arr_end(w);
}

int ia_diff_json(const struct ia_diff *d, const char *old_name, const char *new_name, FILE *out)
{
	struct jw *w = jw_new(out);
	const struct ia_diff_side *o = &d->old, *n = &d->new;

	if (!w)
		return -ENOMEM;
	jw_map(w);
	jm_text(w, "schema", "iommu-audit-diff/1");
	jm_text(w, "old", old_name);
	jm_text(w, "new", new_name);
	jm_bool(w, "changed", d->n > 0);
	jm_bool(w, "worse", d->n_worse > 0);
	jm_bool(w, "improved", d->n_better > 0);
	jm_map(w, "summary");
	jm_text(w, "result", d->n_worse ? "worse" : d->n_better ? "improved" : d->n ? "changed" : "unchanged");
	jm_text(w, "fail_on", diff_fail_on_name(d->fail_on));
	jm_int(w, "groups_no_longer_assignable", (long long)d->n_groups_lost);
	jm_int(w, "groups_newly_assignable", (long long)d->n_groups_gained);
	jm_int(w, "findings_newly_failing", (long long)d->n_findings_failing);
	jm_int(w, "findings_no_longer_failing", (long long)d->n_findings_fixed);
	diff_json_pair(w, "iommu_groups", true, o->n_iommu_groups, true, n->n_iommu_groups);
	diff_json_pair(w, "assignable_groups", true, o->n_assignable, true, n->n_assignable);
	diff_json_pair(w, "isolation_domains", o->has_domains, o->n_domains, n->has_domains, n->n_domains);
	jm_map(w, "msi_isolated");
	jm_tri(w, "old", o->irq_isolated);
	jm_tri(w, "new", n->irq_isolated);
	jw_map_end(w);
	jm_map(w, "noiommu_mode");
	jm_text(w, "old", o->noiommu_state);
	jm_text(w, "new", n->noiommu_state);
	jw_map_end(w);
	jm_map(w, "iommu_active");
	jm_bool(w, "old", o->iommu_active);
	jm_bool(w, "new", n->iommu_active);
	jw_map_end(w);
	jm_map(w, "verdict");
	jm_text(w, "old", o->fails ? "fail" : "pass");
	jm_text(w, "new", n->fails ? "fail" : "pass");
	jw_map_end(w);
	jw_map_end(w);
	jm_arr(w, "groups");
	for (size_t i = 0; i < d->n_groups; i++) {
		const struct ia_diff_match *t = &d->groups[i];
		jw_map(w);
		jm_text(w, "match", t->match);
		jm_text(w, "effect", diff_effect_name(t->effect));
		diff_json_groups(w, "old", t->old, t->n_old);
		diff_json_groups(w, "new", t->new, t->n_new);
		jw_map_end(w);
	}
	jw_arr_end(w);
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
		if (c->is_tri) {
			jm_tri(w, "old_value", c->old_tri);
			jm_tri(w, "new_value", c->new_tri);
		} else {
			jm_text(w, "old_value", c->old);
			jm_text(w, "new_value", c->new);
		}
		jm_text(w, "effect", diff_effect_name(c->effect));
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
	for (size_t i = 0; i < d->n_groups; i++) {
		struct ia_diff_match *t = &d->groups[i];
		for (size_t k = 0; t->old && k < t->n_old; k++)
			diff_group_free(&t->old[k]);
		for (size_t k = 0; t->new && k < t->n_new; k++)
			diff_group_free(&t->new[k]);
		free(t->old);
		free(t->new);
	}
	free(d->groups);
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
