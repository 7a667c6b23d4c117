// SPDX-License-Identifier: GPL-2.0-or-later
// Policy files: parse a strict JSON policy with jansson and apply it to an evaluated audit.
#include "rules/policy.h"
#include "rules/no_group.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bdf.h"
#include "core/ia_err.h"
#include "rules/rules.h"

/** How a policy treats one rule. */
struct policy_rule {
	char *id;
	bool has_level; enum ia_level level;
	bool disabled;
};

/** One waiver: the findings of @rule about @subject do not count until @expires (inclusive). */
struct policy_waiver {
	char *rule, *subject, *reason;
	char *expires; int expires_ymd;     /* NULL/0 when the waiver never expires */
	size_t index;                       /* position in the file's "waivers" array */
};

enum policy_req_kind {
	POLICY_REQ_ASSIGNABLE, POLICY_REQ_VIABLE, POLICY_REQ_IRQ, POLICY_REQ_IOMMU_ACTIVE, POLICY_REQ_MAX_LEVEL,
};

/** The requirement keys, indexed by enum policy_req_kind. */
static const char *const policy_req_names[] = {
	"assignable", "dma_ownership_viable", "interrupt_isolation", "iommu_active", "max_level",
};

/** One required outcome. */
struct policy_req {
	enum policy_req_kind kind;
	char *bdf;                          /* assignable, dma_ownership_viable */
	char *state;                        /* interrupt_isolation: isolated / not_isolated / unknown */
	bool active;                        /* iommu_active */
	enum ia_level level;                /* max_level */
};

struct ia_policy {
	struct policy_rule *rules; size_t n_rules;        /* sorted by id */
	struct policy_waiver *waivers; size_t n_waivers;  /* sorted by (rule, subject) */
	struct policy_req *reqs; size_t n_reqs;           /* in file order */
};

/* The parser's state: the error buffer and whether an error has been written. */
struct policy_parse {
	char *err; size_t errlen;
};

static int policy_fail(struct policy_parse *pp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int policy_fail(struct policy_parse *pp, const char *fmt, ...)
{
	va_list ap;

	if (pp->errlen) {
		va_start(ap, fmt);
		vsnprintf(pp->err, pp->errlen, fmt, ap);
		va_end(ap);
	}
	return -IA_E_FORMAT;
}

static const char *policy_type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static bool policy_level_parse(const char *s, enum ia_level *l)
{
	if (!strcmp(s, "error")) *l = IA_LEVEL_ERROR;
	else if (!strcmp(s, "warning")) *l = IA_LEVEL_WARNING;
	else if (!strcmp(s, "info")) *l = IA_LEVEL_INFO;
	else return false;
	return true;
}

bool ia_policy_bdf_ok(const char *s)
{
	struct ia_bdf b;

	return ia_bdf_parse(s, IA_BDF_CANONICAL, &b) == 0;
}

/* A real calendar day "YYYY-MM-DD" as YYYYMMDD, or 0. */
static int policy_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8); /* digits checked above */
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return 0;
	return y * 10000 + m * 100 + d;
}

/* Rule ids a policy may name: the rule table plus the findings the engine and collection make. */
static bool policy_rule_known(const char *id)
{
	if (!strcmp(id, "collect.unreadable") || !strcmp(id, "rule.not-evaluated"))
		return true;
	for (size_t i = 0; i < ia_n_rules; i++)
		if (!strcmp(ia_rules[i]->id, id))
			return true;
	return false;
}

static int policy_cmp_rule(const void *x, const void *y)
{
	return strcmp(((const struct policy_rule *)x)->id, ((const struct policy_rule *)y)->id);
}

static int policy_cmp_waiver(const void *x, const void *y)
{
	const struct policy_waiver *p = x, *q = y;
	int c = strcmp(p->rule, q->rule);

	return c ? c : strcmp(p->subject, q->subject);
}

/* Check that every key of object @o is one of @allowed (NULL-terminated). */
static int policy_keys(struct policy_parse *pp, json_t *o, const char *path, const char *const *allowed,
		       const char *expected)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v) {
		bool ok = false;
		for (size_t i = 0; allowed[i] && !ok; i++)
			ok = !strcmp(k, allowed[i]);
		if (!ok)
			return policy_fail(pp, "%s.%s: unknown key (expected %s)", path, k, expected);
	}
	return 0;
}

static int policy_parse_rules(struct policy_parse *pp, json_t *rules, struct ia_policy *p)
{
	static const char *const keys[] = { "level", "enabled", NULL };
	const char *id;
	json_t *v;

	if (!json_is_object(rules))
		return policy_fail(pp, "$.rules: expected an object keyed by rule id, got %s", policy_type_name(rules));
	p->rules = calloc(json_object_size(rules) + 1, sizeof(*p->rules));
	if (!p->rules)
		return -ENOMEM;
	json_object_foreach(rules, id, v) {
		char path[300];
		snprintf(path, sizeof(path), "$.rules[\"%.200s\"]", id);
		if (!policy_rule_known(id))
			return policy_fail(pp, "%s: unknown rule id \"%s\" (`iommu-audit rules` lists them)", path, id);
		if (!json_is_object(v))
			return policy_fail(pp, "%s: expected an object with \"level\" or \"enabled\", got %s", path,
					   policy_type_name(v));
		int rc = policy_keys(pp, v, path, keys, "level, enabled");
		if (rc)
			return rc;
		struct policy_rule *r = &p->rules[p->n_rules];
		json_t *lv = json_object_get(v, "level"), *en = json_object_get(v, "enabled");
		if (!lv && !en)
			return policy_fail(pp, "%s: empty (give \"level\" or \"enabled\")", path);
		if (lv) {
			if (!json_is_string(lv) || !policy_level_parse(json_string_value(lv), &r->level))
				return policy_fail(pp, "%s.level: expected \"error\", \"warning\" or \"info\", got %s%s%s",
						   path, json_is_string(lv) ? "\"" : "",
						   json_is_string(lv) ? json_string_value(lv) : policy_type_name(lv),
						   json_is_string(lv) ? "\"" : "");
			r->has_level = true;
		}
		if (en) {
			if (!json_is_boolean(en))
				return policy_fail(pp, "%s.enabled: expected true or false, got %s", path, policy_type_name(en));
			r->disabled = json_is_false(en);
			if (r->disabled && lv)
				return policy_fail(pp, "%s: a disabled rule cannot also have a level", path);
		}
		if (!(r->id = strdup(id)))
			return -ENOMEM;
		p->n_rules++;
	}
	qsort(p->rules, p->n_rules, sizeof(*p->rules), policy_cmp_rule);
	return 0;
}

/* A required string member of a waiver. */
static int policy_waiver_str(struct policy_parse *pp, json_t *w, const char *path, const char *key,
			     const char *why, char **out)
{
	json_t *v = json_object_get(w, key);

	if (!v)
		return policy_fail(pp, "%s.%s: missing (%s)", path, key, why);
	if (!json_is_string(v))
		return policy_fail(pp, "%s.%s: expected a string, got %s", path, key, policy_type_name(v));
	if (!json_string_value(v)[0])
		return policy_fail(pp, "%s.%s: empty (%s)", path, key, why);
	return (*out = strdup(json_string_value(v))) ? 0 : -ENOMEM;
}

static int policy_parse_waivers(struct policy_parse *pp, json_t *arr, struct ia_policy *p)
{
	static const char *const keys[] = { "rule", "subject", "reason", "expires", NULL };
	size_t i;
	json_t *w;
	int rc;

	if (!json_is_array(arr))
		return policy_fail(pp, "$.waivers: expected an array, got %s", policy_type_name(arr));
	p->waivers = calloc(json_array_size(arr) + 1, sizeof(*p->waivers));
	if (!p->waivers)
		return -ENOMEM;
	json_array_foreach(arr, i, w) {
		char path[64];
		snprintf(path, sizeof(path), "$.waivers[%zu]", i);
		if (!json_is_object(w))
			return policy_fail(pp, "%s: expected an object, got %s", path, policy_type_name(w));
		if ((rc = policy_keys(pp, w, path, keys, "rule, subject, reason, expires")))
			return rc;
		struct policy_waiver *x = &p->waivers[p->n_waivers++];
		x->index = i;
		if ((rc = policy_waiver_str(pp, w, path, "rule", "the rule id whose finding is waived", &x->rule)) ||
		    (rc = policy_waiver_str(pp, w, path, "subject", "the finding's subject: a BDF, \"group N\" or \"host\"",
					    &x->subject)) ||
		    (rc = policy_waiver_str(pp, w, path, "reason", "every waiver needs a reason", &x->reason)))
			return rc;
		if (!policy_rule_known(x->rule))
			return policy_fail(pp, "%s.rule: unknown rule id \"%s\" (`iommu-audit rules` lists them)", path, x->rule);
		json_t *ex = json_object_get(w, "expires");
		if (ex) {
			if (!json_is_string(ex))
				return policy_fail(pp, "%s.expires: expected a date \"YYYY-MM-DD\", got %s", path,
						   policy_type_name(ex));
			if (!(x->expires_ymd = policy_date(json_string_value(ex))))
				return policy_fail(pp, "%s.expires: \"%s\" is not a date YYYY-MM-DD", path, json_string_value(ex));
			if (!(x->expires = strdup(json_string_value(ex))))
				return -ENOMEM;
		}
	}
	qsort(p->waivers, p->n_waivers, sizeof(*p->waivers), policy_cmp_waiver);
	for (size_t k = 1; k < p->n_waivers; k++)
		if (!policy_cmp_waiver(&p->waivers[k - 1], &p->waivers[k])) {
			size_t a = p->waivers[k - 1].index, b = p->waivers[k].index;
			return policy_fail(pp, "$.waivers[%zu]: waives the same rule and subject as $.waivers[%zu]",
					   a > b ? a : b, a > b ? b : a);
		}
	return 0;
}

static int policy_parse_req(struct policy_parse *pp, json_t *o, const char *path, struct policy_req *r)
{
	const char *k;
	json_t *v;

	if (!json_is_object(o) || json_object_size(o) != 1)
		return policy_fail(pp, "%s: expected an object with exactly one requirement, got %s%s", path,
				   json_is_object(o) ? "" : policy_type_name(o),
				   json_is_object(o) ? (json_object_size(o) ? "several keys" : "an empty object") : "");
	json_object_foreach(o, k, v) {
		size_t kind;
		for (kind = 0; kind < sizeof(policy_req_names) / sizeof(policy_req_names[0]); kind++)
			if (!strcmp(k, policy_req_names[kind]))
				break;
		if (kind == sizeof(policy_req_names) / sizeof(policy_req_names[0]))
			return policy_fail(pp, "%s.%s: unknown requirement (expected assignable, dma_ownership_viable, "
					   "interrupt_isolation, iommu_active or max_level)", path, k);
		r->kind = (enum policy_req_kind)kind;
		switch (r->kind) {
		case POLICY_REQ_ASSIGNABLE:
		case POLICY_REQ_VIABLE:
			if (!json_is_string(v) || !ia_policy_bdf_ok(json_string_value(v)))
				return policy_fail(pp, "%s.%s: expected a PCI address \"DDDD:BB:DD.F\", got %s%s%s", path, k,
						   json_is_string(v) ? "\"" : "",
						   json_is_string(v) ? json_string_value(v) : policy_type_name(v),
						   json_is_string(v) ? "\"" : "");
			if (!(r->bdf = strdup(json_string_value(v))))
				return -ENOMEM;
			break;
		case POLICY_REQ_IRQ: {
			const char *s = json_is_string(v) ? json_string_value(v) : NULL;
			if (!s || (strcmp(s, "isolated") && strcmp(s, "not_isolated") && strcmp(s, "unknown")))
				return policy_fail(pp, "%s.%s: expected \"isolated\", \"not_isolated\" or \"unknown\", got %s%s%s",
						   path, k, s ? "\"" : "", s ? s : policy_type_name(v), s ? "\"" : "");
			if (!(r->state = strdup(s)))
				return -ENOMEM;
			break;
		}
		case POLICY_REQ_IOMMU_ACTIVE:
			if (!json_is_boolean(v))
				return policy_fail(pp, "%s.%s: expected true or false, got %s", path, k, policy_type_name(v));
			r->active = json_is_true(v);
			break;
		case POLICY_REQ_MAX_LEVEL:
			if (!json_is_string(v) || !policy_level_parse(json_string_value(v), &r->level))
				return policy_fail(pp, "%s.%s: expected \"error\", \"warning\" or \"info\", got %s%s%s", path, k,
						   json_is_string(v) ? "\"" : "",
						   json_is_string(v) ? json_string_value(v) : policy_type_name(v),
						   json_is_string(v) ? "\"" : "");
			break;
		}
	}
	return 0;
}

static bool policy_req_same(const struct policy_req *x, const struct policy_req *y)
{
	if (x->kind != y->kind)
		return false;
	switch (x->kind) {
	case POLICY_REQ_ASSIGNABLE: case POLICY_REQ_VIABLE: return !strcmp(x->bdf, y->bdf);
	default: return true; /* one of each platform requirement is enough; two would contradict or repeat */
	}
}

static int policy_parse_require(struct policy_parse *pp, json_t *arr, struct ia_policy *p)
{
	size_t i;
	json_t *o;

	if (!json_is_array(arr))
		return policy_fail(pp, "$.require: expected an array, got %s", policy_type_name(arr));
	p->reqs = calloc(json_array_size(arr) + 1, sizeof(*p->reqs));
	if (!p->reqs)
		return -ENOMEM;
	json_array_foreach(arr, i, o) {
		char path[64];
		snprintf(path, sizeof(path), "$.require[%zu]", i);
		int rc = policy_parse_req(pp, o, path, &p->reqs[p->n_reqs]);
		if (rc)
			return rc;
		p->n_reqs++;
		/* Requirements are few (a handful per file): a linear duplicate check per entry is enough. */
		for (size_t k = 0; k + 1 < p->n_reqs; k++)
			if (policy_req_same(&p->reqs[k], &p->reqs[p->n_reqs - 1]))
				return policy_fail(pp, "%s: repeats $.require[%zu]", path, k);
	}
	return 0;
}

int ia_policy_parse(const char *buf, size_t len, struct ia_policy **out, char *err, size_t errlen)
{
	static const char *const keys[] = { "policy", "description", "rules", "waivers", "require", NULL };
	struct policy_parse pp = { err, errlen };
	json_error_t je;
	json_t *root, *v;
	struct ia_policy *p;
	int rc;

	if (errlen)
		err[0] = '\0';
	if (!buf || !out)
		return -EINVAL;
	if (len > IA_POLICY_MAX_BYTES)
		return policy_fail(&pp, "larger than %u bytes", IA_POLICY_MAX_BYTES), -IA_E_TOOBIG;
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return policy_fail(&pp, "line %d, column %d: %s", je.line, je.column, je.text);
	if (!(p = calloc(1, sizeof(*p)))) {
		json_decref(root);
		return -ENOMEM;
	}
	if (!json_is_object(root)) {
		rc = policy_fail(&pp, "$: expected an object, got %s", policy_type_name(root));
		goto out;
	}
	if ((rc = policy_keys(&pp, root, "$", keys, "policy, description, rules, waivers, require")))
		goto out;
	v = json_object_get(root, "policy");
	if (!v) {
		rc = policy_fail(&pp, "$.policy: missing (expected \"%s\")", IA_POLICY_VERSION);
		goto out;
	}
	if (!json_is_string(v) || strcmp(json_string_value(v), IA_POLICY_VERSION)) {
		rc = policy_fail(&pp, "$.policy: expected \"%s\", got %s%s%s", IA_POLICY_VERSION,
				 json_is_string(v) ? "\"" : "", json_is_string(v) ? json_string_value(v) : policy_type_name(v),
				 json_is_string(v) ? "\"" : "");
		goto out;
	}
	if ((v = json_object_get(root, "description")) && !json_is_string(v)) {
		rc = policy_fail(&pp, "$.description: expected a string, got %s", policy_type_name(v));
		goto out;
	}
	if ((v = json_object_get(root, "rules")) && (rc = policy_parse_rules(&pp, v, p)))
		goto out;
	if ((v = json_object_get(root, "waivers")) && (rc = policy_parse_waivers(&pp, v, p)))
		goto out;
	if ((v = json_object_get(root, "require")) && (rc = policy_parse_require(&pp, v, p)))
		goto out;
	rc = 0;
out:
	json_decref(root);
	if (rc) {
		ia_policy_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int ia_policy_load(const char *path, struct ia_policy **out, char *err, size_t errlen)
{
	FILE *f;
	char *buf;
	size_t n;
	int rc;

	if (errlen)
		err[0] = '\0';
	if (!path || !out)
		return -EINVAL;
	if (!(f = fopen(path, "rb"))) {
		rc = -errno;
		if (errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	if (!(buf = malloc(IA_POLICY_MAX_BYTES + 1))) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, IA_POLICY_MAX_BYTES + 1, f);
	rc = ferror(f) ? -EIO : 0;
	fclose(f);
	if (rc == 0 && n > IA_POLICY_MAX_BYTES)
		rc = -IA_E_TOOBIG;
	if (rc < 0) {
		if (errlen)
			snprintf(err, errlen, "%s: %s", path, rc == -IA_E_TOOBIG ? "larger than 1 MiB" : strerror(EIO));
		free(buf);
		return rc;
	}
	char msg[512];
	rc = ia_policy_parse(buf, n, out, msg, sizeof(msg));
	free(buf);
	if (rc < 0 && errlen)
		snprintf(err, errlen, "%s: %s", path, msg[0] ? msg : ia_strerror(rc));
	return rc;
}

void ia_policy_free(struct ia_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_rules; i++)
		free(p->rules[i].id);
	free(p->rules);
	for (size_t i = 0; i < p->n_waivers; i++) {
		free(p->waivers[i].rule); free(p->waivers[i].subject);
		free(p->waivers[i].reason); free(p->waivers[i].expires);
	}
	free(p->waivers);
	for (size_t i = 0; i < p->n_reqs; i++) {
		free(p->reqs[i].bdf); free(p->reqs[i].state);
	}
	free(p->reqs);
	free(p);
}

/* ---- applying ---------------------------------------------------------------------------- */

static const struct policy_rule *policy_find_rule(const struct ia_policy *p, const char *id)
{
	struct policy_rule key = { .id = (char *)id };

	return p->n_rules ? bsearch(&key, p->rules, p->n_rules, sizeof(*p->rules), policy_cmp_rule) : NULL;
}

bool ia_policy_rule_disabled(const struct ia_policy *p, const char *id)
{
	const struct policy_rule *r = p ? policy_find_rule(p, id) : NULL;

	return r && r->disabled;
}

bool ia_policy_rule_level(const struct ia_policy *p, const char *id, enum ia_level *level)
{
	const struct policy_rule *r = p ? policy_find_rule(p, id) : NULL;

	if (!r || !r->has_level)
		return false;
	*level = r->level;
	return true;
}

static void policy_finding_free(struct ia_finding *f)
{
	free(f->rule); free(f->subject); free(f->message); free(f->advice); free(f->evidence);
	free(f->waiver_reason); free(f->waiver_expires);
}

/* The new index of finding @i after step 1 dropped some (remap[i] == IA_NO_FINDING: dropped). */
static size_t policy_remap(const size_t *remap, size_t n, size_t i)
{
	return i == IA_NO_FINDING || i >= n ? IA_NO_FINDING : remap[i];
}

int ia_policy_apply_rules(const struct ia_policy *p, struct ia_result *a)
{
	size_t w = 0, n = a->n_findings;
	size_t *remap = malloc((n + 1) * sizeof(*remap));

	if (!p || !a)
		return free(remap), -EINVAL;
	if (!remap)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct ia_finding *f = &a->findings[i];
		const struct policy_rule *r = policy_find_rule(p, f->rule);
		const struct policy_rule *ne = !strcmp(f->rule, "rule.not-evaluated") ? policy_find_rule(p, f->subject) : NULL;
		if ((r && r->disabled) || (ne && ne->disabled)) {
			policy_finding_free(f);
			remap[i] = IA_NO_FINDING;
			continue;
		}
		if (r && r->has_level) {
			f->level = r->level;
			f->relevelled = true;
		}
		remap[i] = w;
		a->findings[w++] = *f;
	}
	a->n_findings = w;
	/* the links of contributions and of the interrupt verdict follow their findings */
	for (size_t g = 0; g < a->n_groups; g++)
		for (size_t k = 0; k < a->groups[g].n_pending; k++)
			a->groups[g].pending[k].finding = policy_remap(remap, n, a->groups[g].pending[k].finding);
	a->irq_finding = policy_remap(remap, n, a->irq_finding);
	free(remap);
	for (size_t i = 0; i < p->n_rules; i++) {
		if (!p->rules[i].disabled)
			continue;
		char msg[300];
		snprintf(msg, sizeof(msg), "%s: not evaluated: disabled by the policy", p->rules[i].id);
		char **nv = realloc(a->not_evaluated, (a->n_not_evaluated + 1) * sizeof(*nv));
		if (!nv || !(nv[a->n_not_evaluated] = strdup(msg))) {
			if (nv)
				a->not_evaluated = nv;
			return -ENOMEM;
		}
		a->not_evaluated = nv;
		a->n_not_evaluated++;
		const struct policy_rule *ne = policy_find_rule(p, "rule.not-evaluated");
		if (ne && ne->disabled)
			continue;
		int rc = ia_result_add_finding(a, "rule.not-evaluated", ne && ne->has_level ? ne->level : IA_LEVEL_INFO,
					       p->rules[i].id, msg, NULL, NULL);
		if (rc)
			return rc;
	}
	return 0;
}

/* Step 2: waivers. */
int ia_policy_apply_waivers(const struct ia_policy *p, struct ia_result *a, time_t now)
{
	struct tm tm;

	if (!p || !a || !gmtime_r(&now, &tm))
		return -EINVAL;
	int today = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
	bool *used = calloc(p->n_waivers + 1, sizeof(*used));
	int rc = 0;

	if (!used)
		return -ENOMEM;
	for (size_t i = 0; i < a->n_findings; i++) {
		struct ia_finding *f = &a->findings[i];
		struct policy_waiver key = { .rule = f->rule, .subject = f->subject };
		const struct policy_waiver *w = p->n_waivers ?
			bsearch(&key, p->waivers, p->n_waivers, sizeof(*p->waivers), policy_cmp_waiver) : NULL;
		if (!w || (w->expires_ymd && w->expires_ymd < today) || f->waived)
			continue;
		f->waived = true;
		f->waiver_reason = strdup(w->reason);
		f->waiver_expires = w->expires ? strdup(w->expires) : NULL;
		if (!f->waiver_reason || (w->expires && !f->waiver_expires)) {
			rc = -ENOMEM;
			goto out;
		}
		used[w - p->waivers] = true;
	}
	for (size_t k = 0; k < p->n_waivers && rc == 0; k++) {
		const struct policy_waiver *w = &p->waivers[k];
		char msg[1200], ev[64];
		snprintf(ev, sizeof(ev), "policy $.waivers[%zu]", w->index);
		if (w->expires_ymd && w->expires_ymd < today) {
			snprintf(msg, sizeof(msg), "the waiver of %s for %s expired on %s (reason given: %s): "
				 "its findings count again", w->rule, w->subject, w->expires, w->reason);
			rc = ia_result_add_finding(a, "policy.waiver-expired", IA_LEVEL_WARNING, w->subject, msg,
						  "Fix what the waiver covered, or renew it with a new expiry date.", ev);
		} else if (!used[k]) {
			snprintf(msg, sizeof(msg), "the waiver of %s for %s matched no finding", w->rule, w->subject);
			rc = ia_result_add_finding(a, "policy.waiver-unused", IA_LEVEL_INFO, w->subject, msg,
						  "Remove the waiver, or check the rule id and the subject's spelling "
						  "(a BDF \"DDDD:BB:DD.F\", \"group N\", \"host\").", ev);
		}
	}
out:
	free(used);
	return rc;
}

static const char *policy_tri(enum ia_tri t)
{
	return t == IA_YES ? "true" : t == IA_NO ? "false" : "unknown";
}

/* assignable / dma_ownership_viable: the kernel group holding @r->bdf. */
static int policy_req_group(const struct policy_req *r, const struct ia_audit *a, struct ia_result *res, size_t idx)
{
	const char *what = policy_req_names[r->kind];
	const struct ia_dev *d = ia_audit_find_dev(a, r->bdf);
	const struct ia_group *g = d && d->has_group ? ia_audit_find_group(a, d->group) : NULL;
	const struct ia_group_verdict *gv = g && (size_t)(g - a->groups) < res->n_groups ? &res->groups[g - a->groups] : NULL;
	char msg[IA_NO_GROUP_REASON_MAX + 256], ev[1400] = "";
	size_t n = 0;

	if (!d)
		snprintf(msg, sizeof(msg), "policy requires %s %s: unmet: it is not a PCI function of this host",
			 what, r->bdf);
	else if (!g || !gv) {
		char why[IA_NO_GROUP_REASON_MAX] = "no IOMMU is active";
		if (ia_audit_iommu_active(a) && !ia_no_group_reason(a, d, why, sizeof(why)))
			snprintf(why, sizeof(why), "not behind an IOMMU");
		snprintf(msg, sizeof(msg), "policy requires %s %s: unmet: it is in no IOMMU group (%s)", what, r->bdf, why);
	}
	else {
		enum ia_tri t = r->kind == POLICY_REQ_ASSIGNABLE ? gv->userspace_assignable : gv->dma_ownership_viable;
		if (t == IA_YES)
			return 0;
		snprintf(msg, sizeof(msg), "policy requires %s %s: unmet: its group %d has %s = %s%s", what, r->bdf,
			 g->id, r->kind == POLICY_REQ_ASSIGNABLE ? "userspace_assignable" : what, policy_tri(t),
			 t == IA_UNKNOWN ? " (an input not known; fail closed)" : "");
		/* the group's blockers; for dma_ownership_viable, those of the rule that gives ownership
		 * (whether or not the policy lifted them: viability is the kernel's test) */
		for (int pass = 0; pass < 2; pass++) {
			const struct ia_contrib *v = pass ? gv->notes : gv->blockers;
			size_t nv = pass ? gv->n_notes : gv->n_blockers;
			if (pass && r->kind != POLICY_REQ_VIABLE)
				break;
			for (size_t b = 0; b < nv && n < sizeof(ev) - 1; b++) {
				if (r->kind == POLICY_REQ_VIABLE && !(v[b].rule && (v[b].rule->gives & IA_GIVES_OWNERSHIP)))
					continue;
				n += (size_t)snprintf(ev + n, sizeof(ev) - n, "%s%s%s[%s] %s", n ? "; " : "blockers: ",
						      v[b].bdf, v[b].bdf[0] ? " " : "", v[b].what, v[b].reason);
			}
		}
	}
	if (n >= sizeof(ev))
		n = sizeof(ev) - 1;
	snprintf(ev + n, sizeof(ev) - n, "%spolicy $.require[%zu]", n ? "; " : "", idx);
	/* the fix names the function required (issue 14 point 7: no placeholder) */
	char fix[160];
	snprintf(fix, sizeof(fix), "Resolve the group's blockers (`iommu-audit plan %s` shows what assignment "
		 "needs), or change the requirement.", r->bdf);
	return ia_result_add_finding(res, "policy.requirement-unmet", IA_LEVEL_ERROR, r->bdf, msg, fix, ev);
}

int ia_policy_apply_requirements(const struct ia_policy *p, const struct ia_audit *au, struct ia_result *a)
{
	int rc = 0;

	if (!p || !au || !a)
		return -EINVAL;
	for (int pass = 0; pass < 2 && rc == 0; pass++)
		for (size_t i = 0; i < p->n_reqs && rc == 0; i++) {
			const struct policy_req *r = &p->reqs[i];
			char msg[600], ev[600];
			if ((r->kind == POLICY_REQ_MAX_LEVEL) != (pass == 1))
				continue;
			snprintf(ev, sizeof(ev), "policy $.require[%zu]", i);
			switch (r->kind) {
			case POLICY_REQ_ASSIGNABLE:
			case POLICY_REQ_VIABLE:
				rc = policy_req_group(r, au, a, i);
				break;
			case POLICY_REQ_IRQ: {
				const char *st = a->irq_isolated == IA_YES ? "isolated" : a->irq_isolated == IA_NO ?
						 "not_isolated" : "unknown";
				if (!strcmp(st, r->state))
					break;
				snprintf(msg, sizeof(msg), "policy requires interrupt_isolation %s, but it is %s: %s", r->state,
					 st, a->irq_reason ? a->irq_reason : "interrupt isolation could not be determined");
				rc = ia_result_add_finding(a, "policy.requirement-unmet", IA_LEVEL_ERROR, "host", msg,
							  "See platform.msi-not-isolated for the fix.", ev);
				break;
			}
			case POLICY_REQ_IOMMU_ACTIVE: {
				bool active = ia_audit_iommu_active(au);
				if (active == r->active)
					break;
				/* IOMMU groups only: a VFIO no-IOMMU group is none (issue 13 item 2) */
				snprintf(msg, sizeof(msg), "policy requires iommu_active %s, but it is %s (%zu unit%s, %zu "
					 "group%s)", r->active ? "true" : "false", active ? "true" : "false", au->n_units,
					 au->n_units == 1 ? "" : "s", au->n_iommu_groups, au->n_iommu_groups == 1 ? "" : "s");
				rc = ia_result_add_finding(a, "policy.requirement-unmet", IA_LEVEL_ERROR, "host", msg,
							  "See host.iommu-inactive for the fix.", ev);
				break;
			}
			case POLICY_REQ_MAX_LEVEL: {
				size_t n = 0, el = 0;
				char list[400] = "";
				for (size_t k = 0; k < a->n_findings; k++) {
					const struct ia_finding *f = &a->findings[k];
					if (f->waived || f->level <= r->level || !strcmp(f->rule, "policy.requirement-unmet"))
						continue;
					if (n++ < 5)
						el += (size_t)snprintf(list + el, el < sizeof(list) ? sizeof(list) - el : 0, "%s%s %s (%s)",
								       el ? "; " : "", f->rule, f->subject, ia_level_name(f->level));
					if (el >= sizeof(list))
						el = sizeof(list) - 1;
				}
				if (!n)
					break;
				snprintf(msg, sizeof(msg), "policy requires no unwaived finding above %s, but %zu remain%s",
					 ia_level_name(r->level), n, n == 1 ? "s" : "");
				snprintf(ev, sizeof(ev), "%s%s; policy $.require[%zu]", list, n > 5 ? "; ..." : "", i);
				rc = ia_result_add_finding(a, "policy.requirement-unmet", IA_LEVEL_ERROR, "host", msg,
							  "Fix or waive (with a reason) the findings listed.", ev);
				break;
			}
			}
		}
	return rc;
}

int ia_policy_apply(const struct ia_policy *p, const struct ia_audit *a, struct ia_result *r, time_t today)
{
	int rc;

	if (!p || !a || !r)
		return -EINVAL;
	if ((rc = ia_policy_apply_rules(p, r)) || (rc = ia_policy_apply_waivers(p, r, today)))
		return rc;
	return ia_policy_apply_requirements(p, a, r);
}
