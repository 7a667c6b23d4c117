// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz the policy reader (--policy JSON), then apply what parses to a small audit.
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rules/policy.h"
#include "rules/rules.h"

/* One device in one group, interrupts isolated, and one finding per rule on the group and device:
 * enough for waivers, re-levels and every kind of requirement to find something to act on. */
static void fz_audit(struct ia_audit *a, struct ia_result *r)
{
	struct ia_dev *d = calloc(1, sizeof(*d));
	struct ia_group *g = calloc(1, sizeof(*g));
	char **members = calloc(1, sizeof(*members));

	FZ_CHECK(d && g && members && (members[0] = strdup("0000:04:00.0")));
	memset(a, 0, sizeof(*a));
	strcpy(d->bdf, "0000:04:00.0");
	d->bus = 4;
	d->has_group = true;
	d->group = 11;
	d->predicted_group = -1;
	g->id = 11;
	g->devices = members;
	g->n_devices = 1;
	a->devs = d;
	a->n_devs = 1;
	a->groups = g;
	a->n_groups = 1;
	memset(r, 0, sizeof(*r));
	FZ_CHECK((r->groups = calloc(1, sizeof(*r->groups))) != NULL);
	r->n_groups = 1;
	r->groups[0].dma_ownership_viable = IA_YES;
	r->groups[0].userspace_assignable = IA_YES;
	r->irq_isolated = IA_YES;
	r->irq_finding = IA_NO_FINDING;
	for (size_t i = 0; i < ia_n_rules; i++)
		FZ_CHECK(ia_result_add_finding(r, ia_rules[i]->id, ia_rules[i]->level,
					       i % 2 ? "group 11" : "0000:04:00.0", "m", NULL, NULL) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ia_policy *p = (struct ia_policy *)&size; /* must stay untouched on failure */
	char err[256] = "";
	int rc = ia_policy_parse((const char *)data, size, &p, err, sizeof(err));

	if (rc != 0) {
		FZ_CHECK(p == (struct ia_policy *)&size);
		FZ_CHECK(err[0] != '\0' && memchr(err, 0, sizeof(err)));
		return 0;
	}
	struct ia_audit a;
	struct ia_result r;
	fz_audit(&a, &r);
	FZ_CHECK(ia_policy_apply(p, &a, &r, (time_t)1700000000) == 0);
	for (size_t i = 0; i < r.n_findings; i++) {
		const struct ia_finding *f = &r.findings[i];
		FZ_CHECK(f->rule && f->subject && f->message);
		FZ_CHECK(!f->waived || f->waiver_reason); /* a waiver always says why */
	}
	ia_result_free(&r);
	ia_audit_free(&a);
	ia_policy_free(p);
	return 0;
}
