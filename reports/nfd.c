// SPDX-License-Identifier: GPL-2.0-or-later
// The node-feature-discovery feature file (local source, features.d): the audit's verdicts as node labels.
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"

/* Every label name is this prefix plus a name; NFD's local source takes "<namespace>/<name>=<value>". */
#define NFD_PREFIX "iommu-audit.io/"

/* How long the labels stay valid after the audit (the "# +expiry-time" directive): two days. */
#define NFD_EXPIRY_S (2 * 24 * 3600)

/*
 * A Kubernetes label name (after the prefix) or value: at most 63 characters of [A-Za-z0-9._-],
 * beginning and ending with an alphanumeric (k8s.io/apimachinery validation.IsValidLabelValue,
 * IsQualifiedName). An empty value is valid; an empty name is not.
 */
static bool nfd_label_ok(const char *s, bool allow_empty)
{
	size_t n = strlen(s);

	if (n == 0)
		return allow_empty;
	if (n > 63 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

/* One label line; a name or value that is not a valid label is a bug here, reported as -EINVAL. */
static int nfd_label(FILE *out, const char *name, const char *value)
{
	if (!nfd_label_ok(name, false) || !nfd_label_ok(value, true))
		return -EINVAL;
	fprintf(out, NFD_PREFIX "%s=%s\n", name, value);
	return 0;
}

static int nfd_label_n(FILE *out, const char *name, size_t v)
{
	char b[32];

	snprintf(b, sizeof(b), "%zu", v);
	return nfd_label(out, name, b);
}

/* Whether userspace could own @d's group: no group means no IOMMU translates it (not assignable). */
static enum ia_tri nfd_dev_assignable(const struct ia_audit *a, const struct ia_result *r, const struct ia_dev *d)
{
	const struct ia_group *g;

	if (!d->has_group)
		return IA_NO;
	g = ia_audit_find_group(a, d->group);
	return g && (size_t)(g - a->groups) < r->n_groups ? r->groups[g - a->groups].userspace_assignable : IA_UNKNOWN;
}

static int nfd_cmp_ids(const void *x, const void *y, void *audit)
{
	const struct ia_audit *a = audit;
	const struct ia_dev *p = &a->devs[*(const size_t *)x], *q = &a->devs[*(const size_t *)y];
	uint32_t u = (uint32_t)p->vendor << 16 | p->device, v = (uint32_t)q->vendor << 16 | q->device;

	return (u > v) - (u < v);
}

int ia_report_nfd(const struct ia_audit *a, const struct ia_result *r, const struct ia_report_opts *o, FILE *out)
{
	size_t *idx = malloc((a->n_devs + 1) * sizeof(*idx)), n = 0, assignable = 0;
	const char *noiommu = r->noiommu_state && nfd_label_ok(r->noiommu_state, false) ? r->noiommu_state : "unknown";
	int rc = 0;

	if (!idx)
		return -ENOMEM;
	fprintf(out, "# iommu-audit %s: node-feature-discovery local feature file (features.d)\n", IA_VERSION);
	/* NFD's local source drops the labels after this time (its "# +expiry-time=" directive, RFC 3339):
	 * two days after the audit, so a daily timer that misses one run keeps them and a host whose
	 * audits stopped loses them instead of advertising stale verdicts */
	if (o && o->has_timing) {
		time_t t = (time_t)(o->audited_at + NFD_EXPIRY_S);
		struct tm tm;
		char when[32];
		if (gmtime_r(&t, &tm) && strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
			fprintf(out, "# +expiry-time=%s\n", when);
	}
	for (size_t i = 0; i < r->n_groups; i++)
		assignable += r->groups[i].userspace_assignable == IA_YES;
	rc = nfd_label(out, "iommu-active", a->dumps_alone ? "unknown" : ia_audit_iommu_active(a) ? "true" : "false");
	if (!rc)
		rc = nfd_label(out, "interrupt-isolation", r->irq_isolated == IA_YES ? "isolated" :
			       r->irq_isolated == IA_NO ? "not_isolated" : "unknown");
	if (!rc)
		rc = nfd_label(out, "noiommu", noiommu);
	if (!rc)
		rc = nfd_label_n(out, "groups", a->n_groups);
	if (!rc)
		rc = nfd_label_n(out, "assignable-groups", assignable);
	if (!rc)
		rc = nfd_label(out, "verdict", r->verdict.fails ? "fail" : "pass");

	/* Per vendor:device, over the functions vfio-pci could bind (vfio_pci_probe() takes header type 0 only). */
	for (size_t i = 0; i < a->n_devs; i++)
		if (a->devs[i].has_ids && !(a->devs[i].has_hdr && a->devs[i].hdr_type != 0))
			idx[n++] = i;
	qsort_r(idx, n, sizeof(*idx), nfd_cmp_ids, (void *)a);
	for (size_t k = 0; k < n && !rc;) {
		const struct ia_dev *d = &a->devs[idx[k]];
		bool any_no = false, any_unknown = false;
		size_t e = k;
		for (; e < n && a->devs[idx[e]].vendor == d->vendor && a->devs[idx[e]].device == d->device; e++) {
			enum ia_tri t = nfd_dev_assignable(a, r, &a->devs[idx[e]]);
			any_no |= t == IA_NO;
			any_unknown |= t == IA_UNKNOWN;
		}
		char name[64];
		snprintf(name, sizeof(name), "assignable-%04x-%04x", d->vendor, d->device);
		rc = nfd_label(out, name, any_no ? "false" : any_unknown ? "unknown" : "true");
		k = e;
	}
	free(idx);
	if (rc)
		return rc;
	return ferror(out) ? -EIO : 0;
}
