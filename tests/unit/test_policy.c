// SPDX-License-Identifier: GPL-2.0-or-later
// Policy files: every malformed policy fails with its exact error; waive, re-level, disable and require work,
// on hand-built audits and end to end on a kernel known-answer capture.
#include "testutil.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ia_err.h"
#include "rules/policy.h"
#include "rules/rules.h"

#define KKA IA_SOURCE_DIR "/tests/fixtures/kernel-known-answers"
/* nvme 04:00.0 on vfio-pci behind a switch whose downstream ports lack ACS: one error finding,
 * isolation.p2p-domain on 0000:03:00.0; MSIs isolated (VT-d IR). */
#define SCN_A KKA "/x86-intel-scn-a-nvme-vfio/run-6.12/snapshot.tar.gz"
#define HDR "{\"policy\": \"iommu-audit-policy/1\", "

/* ---- parsing: one named case per malformed policy, with the exact message ---------------- */

struct bad_case {
	const char *name, *text, *error;
};

static const struct bad_case bad_cases[] = {
	{ "syntax", "{\"policy\": ", "line 1, column 11: unexpected token near end of file" },
	{ "duplicate key", "{\"policy\": \"iommu-audit-policy/1\", \"policy\": \"x\"}",
	  "line 1, column 43: duplicate object key near '\"policy\"'" },
	{ "not an object", "[1]", "$: expected an object, got an array" },
	{ "no version", "{}", "$.policy: missing (expected \"iommu-audit-policy/1\")" },
	{ "other version", "{\"policy\": \"iommu-audit-policy/2\"}",
	  "$.policy: expected \"iommu-audit-policy/1\", got \"iommu-audit-policy/2\"" },
	{ "unknown top key", HDR "\"waiver\": []}",
	  "$.waiver: unknown key (expected policy, description, rules, waivers, require)" },
	{ "rules not an object", HDR "\"rules\": []}", "$.rules: expected an object keyed by rule id, got an array" },
	{ "unknown rule id", HDR "\"rules\": {\"group.not-viabel\": {\"level\": \"info\"}}}",
	  "$.rules[\"group.not-viabel\"]: unknown rule id \"group.not-viabel\" (`iommu-audit rules` lists them)" },
	{ "policy finding is no rule", HDR "\"rules\": {\"policy.requirement-unmet\": {\"enabled\": false}}}",
	  "$.rules[\"policy.requirement-unmet\"]: unknown rule id \"policy.requirement-unmet\" (`iommu-audit rules` lists them)" },
	{ "bad level", HDR "\"rules\": {\"group.not-viable\": {\"level\": \"fatal\"}}}",
	  "$.rules[\"group.not-viable\"].level: expected \"error\", \"warning\" or \"info\", got \"fatal\"" },
	{ "level of wrong type", HDR "\"rules\": {\"group.not-viable\": {\"level\": 2}}}",
	  "$.rules[\"group.not-viable\"].level: expected \"error\", \"warning\" or \"info\", got a number" },
	{ "unknown rule key", HDR "\"rules\": {\"group.not-viable\": {\"severity\": \"info\"}}}",
	  "$.rules[\"group.not-viable\"].severity: unknown key (expected level, enabled)" },
	{ "enabled not boolean", HDR "\"rules\": {\"group.not-viable\": {\"enabled\": \"no\"}}}",
	  "$.rules[\"group.not-viable\"].enabled: expected true or false, got a string" },
	{ "disabled with level", HDR "\"rules\": {\"group.not-viable\": {\"enabled\": false, \"level\": \"info\"}}}",
	  "$.rules[\"group.not-viable\"]: a disabled rule cannot also have a level" },
	{ "empty rule", HDR "\"rules\": {\"group.not-viable\": {}}}",
	  "$.rules[\"group.not-viable\"]: empty (give \"level\" or \"enabled\")" },
	{ "waivers not an array", HDR "\"waivers\": {}}", "$.waivers: expected an array, got an object" },
	{ "waiver without reason", HDR "\"waivers\": [{\"rule\": \"group.not-viable\", \"subject\": \"group 3\"}]}",
	  "$.waivers[0].reason: missing (every waiver needs a reason)" },
	{ "waiver with empty reason", HDR "\"waivers\": [{\"rule\": \"group.not-viable\", \"subject\": \"group 3\", \"reason\": \"\"}]}",
	  "$.waivers[0].reason: empty (every waiver needs a reason)" },
	{ "waiver without subject", HDR "\"waivers\": [{\"rule\": \"group.not-viable\", \"reason\": \"r\"}]}",
	  "$.waivers[0].subject: missing (the finding's subject: a BDF, \"group N\" or \"host\")" },
	{ "waiver unknown key", HDR "\"waivers\": [{\"rule\": \"group.not-viable\", \"subject\": \"group 3\", \"reason\": \"r\", \"until\": \"2030-01-01\"}]}",
	  "$.waivers[0].until: unknown key (expected rule, subject, reason, expires)" },
	{ "waiver unknown rule", HDR "\"waivers\": [{\"rule\": \"nope\", \"subject\": \"host\", \"reason\": \"r\"}]}",
	  "$.waivers[0].rule: unknown rule id \"nope\" (`iommu-audit rules` lists them)" },
	{ "not a leap day", HDR "\"waivers\": [{\"rule\": \"group.not-viable\", \"subject\": \"group 3\", \"reason\": \"r\", \"expires\": \"2025-02-29\"}]}",
	  "$.waivers[0].expires: \"2025-02-29\" is not a date YYYY-MM-DD" },
	{ "date with time", HDR "\"waivers\": [{\"rule\": \"group.not-viable\", \"subject\": \"group 3\", \"reason\": \"r\", \"expires\": \"2025-01-01T00:00\"}]}",
	  "$.waivers[0].expires: \"2025-01-01T00:00\" is not a date YYYY-MM-DD" },
	{ "date as number", HDR "\"waivers\": [{\"rule\": \"group.not-viable\", \"subject\": \"group 3\", \"reason\": \"r\", \"expires\": 20250101}]}",
	  "$.waivers[0].expires: expected a date \"YYYY-MM-DD\", got a number" },
	{ "duplicate waiver", HDR "\"waivers\": [{\"rule\": \"group.not-viable\", \"subject\": \"group 3\", \"reason\": \"a\"},"
	  " {\"rule\": \"host.noiommu\", \"subject\": \"host\", \"reason\": \"b\"},"
	  " {\"rule\": \"group.not-viable\", \"subject\": \"group 3\", \"reason\": \"c\"}]}",
	  "$.waivers[2]: waives the same rule and subject as $.waivers[0]" },
	{ "require not an array", HDR "\"require\": {\"iommu_active\": true}}", "$.require: expected an array, got an object" },
	{ "unknown requirement", HDR "\"require\": [{\"iommu_active\": true}, {\"acs\": \"on\"}]}",
	  "$.require[1].acs: unknown requirement (expected assignable, dma_ownership_viable, interrupt_isolation, "
	  "iommu_active or max_level)" },
	{ "two requirements in one", HDR "\"require\": [{\"iommu_active\": true, \"max_level\": \"error\"}]}",
	  "$.require[0]: expected an object with exactly one requirement, got several keys" },
	{ "short BDF", HDR "\"require\": [{\"assignable\": \"3b:00.0\"}]}",
	  "$.require[0].assignable: expected a PCI address \"DDDD:BB:DD.F\", got \"3b:00.0\"" },
	{ "function 8", HDR "\"require\": [{\"dma_ownership_viable\": \"0000:3b:00.8\"}]}",
	  "$.require[0].dma_ownership_viable: expected a PCI address \"DDDD:BB:DD.F\", got \"0000:3b:00.8\"" },
	{ "bad isolation state", HDR "\"require\": [{\"interrupt_isolation\": \"remapped\"}]}",
	  "$.require[0].interrupt_isolation: expected \"isolated\", \"not_isolated\" or \"unknown\", got \"remapped\"" },
	{ "iommu_active not boolean", HDR "\"require\": [{\"iommu_active\": \"yes\"}]}",
	  "$.require[0].iommu_active: expected true or false, got a string" },
	{ "bad max level", HDR "\"require\": [{\"max_level\": \"none\"}]}",
	  "$.require[0].max_level: expected \"error\", \"warning\" or \"info\", got \"none\"" },
	{ "repeated requirement", HDR "\"require\": [{\"assignable\": \"0000:3b:00.0\"}, {\"assignable\": \"0000:3b:00.0\"}]}",
	  "$.require[1]: repeats $.require[0]" },
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct ia_policy *p = (struct ia_policy *)(uintptr_t)0x1;
		char err[512];
		int rc = ia_policy_parse(c->text, strlen(c->text), &p, err, sizeof(err));
		if (rc != -IA_E_FORMAT)
			fail_msg("%s: returned %d, expected -IA_E_FORMAT", c->name, rc);
		if (strcmp(err, c->error))
			fail_msg("%s:\n got      %s\n expected %s", c->name, err, c->error);
		assert_ptr_equal(p, (struct ia_policy *)(uintptr_t)0x1); /* untouched on failure */
	}
}

static void test_valid_and_bdf(void **state)
{
	static const char ok[] = HDR "\"description\": \"d\", \"rules\": {\"collect.unreadable\": {\"level\": \"info\"},"
		" \"rule.not-evaluated\": {\"enabled\": true}}, \"waivers\": [], \"require\": [{\"max_level\": \"warning\"},"
		" {\"assignable\": \"0000:3b:00.0\"}, {\"dma_ownership_viable\": \"0000:3b:00.0\"}]}";
	struct ia_policy *p = NULL;
	char err[256];

	(void)state;
	assert_int_equal(ia_policy_parse(ok, strlen(ok), &p, err, sizeof(err)), 0);
	assert_non_null(p);
	ia_policy_free(p);
	ia_policy_free(NULL);
	assert_true(ia_policy_bdf_ok("0000:3b:1f.7"));
	assert_false(ia_policy_bdf_ok("0000:3B:00.0"));
	assert_false(ia_policy_bdf_ok("0000:3b:20.0"));
	assert_false(ia_policy_bdf_ok("0000-3b:00.0"));
	/* Intel VMD domains (5 digits) up to 8 digits, as pci_name() prints them; not 3:00.0 or 9 digits */
	assert_true(ia_policy_bdf_ok("10000:e0:06.0"));
	assert_true(ia_policy_bdf_ok("ffffffff:00:00.0"));
	assert_false(ia_policy_bdf_ok("3b:00.0"));
	assert_false(ia_policy_bdf_ok("100000000:00:00.0"));
	assert_false(ia_policy_bdf_ok("00000:00:00.0"));
	assert_int_equal(ia_policy_parse(NULL, 0, &p, err, sizeof(err)), -EINVAL);
	/* Embedded NUL: the length, not the string, decides. */
	assert_int_equal(ia_policy_parse("{}\0{}", 5, &p, err, sizeof(err)), -IA_E_FORMAT);
	assert_int_equal(ia_policy_load("/nonexistent/policy.json", &p, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "/nonexistent/policy.json: No such file or directory");
}

/* ---- applying, on a hand-built audit --------------------------------------------------------- */

struct mini {
	struct ia_audit a;
	struct ia_result r;
	struct ia_dev devs[2];
	struct ia_group groups[2];
	char *g1[1], *g2[1];
};

static const struct ia_rule *rule_by_id(const char *id)
{
	for (size_t i = 0; i < ia_n_rules; i++)
		if (!strcmp(ia_rules[i]->id, id))
			return ia_rules[i];
	fail_msg("no rule %s", id);
	return NULL;
}

/* Two devices: 0000:01:00.0 in assignable group 1; 0000:02:00.0 in group 2, not viable (blocker). */
static void mini_init(struct mini *m)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->devs[0].bdf, 16, "0000:01:00.0");
	m->devs[0].has_group = true, m->devs[0].group = 1;
	snprintf(m->devs[1].bdf, 16, "0000:02:00.0");
	m->devs[1].has_group = true, m->devs[1].group = 2;
	m->g1[0] = m->devs[0].bdf;
	m->g2[0] = m->devs[1].bdf;
	m->groups[0] = (struct ia_group){ .id = 1, .devices = m->g1, .n_devices = 1 };
	m->groups[1] = (struct ia_group){ .id = 2, .devices = m->g2, .n_devices = 1 };
	m->a.devs = m->devs, m->a.n_devs = 2;
	m->a.groups = m->groups, m->a.n_groups = 2, m->a.n_iommu_groups = 2;
	m->a.n_units = 1;
	m->r.groups = calloc(2, sizeof(*m->r.groups));
	assert_non_null(m->r.groups);
	m->r.n_groups = 2;
	m->r.groups[0].dma_ownership_viable = m->r.groups[0].userspace_assignable = IA_YES;
	m->r.groups[1].dma_ownership_viable = m->r.groups[1].userspace_assignable = IA_NO;
	assert_int_equal(ia_contrib_add(&m->r.groups[1].blockers, &m->r.groups[1].n_blockers, IA_CONTRIB_BLOCKER,
					rule_by_id("group.not-viable"), m->devs[1].bdf, "group.not-viable",
					"bound to e1000e", 0), 0);
	m->r.irq_isolated = IA_YES;
	m->r.irq_finding = IA_NO_FINDING;
	assert_int_equal(ia_result_add_finding(&m->r, "group.not-viable", IA_LEVEL_ERROR, "group 2",
					       "group 2 is not viable", NULL, NULL), 0);
	assert_int_equal(ia_result_add_finding(&m->r, "isolation.p2p-domain", IA_LEVEL_ERROR, "0000:01:00.0",
					       "domain", NULL, NULL), 0);
	assert_int_equal(ia_result_add_finding(&m->r, "collect.unreadable", IA_LEVEL_WARNING, "sys/x",
					       "unreadable", NULL, NULL), 0);
}

static void mini_free(struct mini *m)
{
	ia_result_free(&m->r);
}

static const struct ia_finding *mini_find(const struct mini *m, const char *rule, const char *subject)
{
	for (size_t i = 0; i < m->r.n_findings; i++)
		if (!strcmp(m->r.findings[i].rule, rule) && !strcmp(m->r.findings[i].subject, subject))
			return &m->r.findings[i];
	return NULL;
}

static void mini_apply(struct mini *m, const char *text, const char *today)
{
	struct ia_policy *p = NULL;
	char err[256];
	struct tm tm = {0};

	if (ia_policy_parse(text, strlen(text), &p, err, sizeof(err)))
		fail_msg("policy rejected: %s", err);
	assert_non_null(strptime(today, "%Y-%m-%d", &tm));
	assert_int_equal(ia_policy_apply(p, &m->a, &m->r, timegm(&tm) + 12 * 3600), 0);
	ia_policy_free(p);
}

static void test_apply_waivers(void **state)
{
	struct mini m;
	const struct ia_finding *f;

	(void)state;
	mini_init(&m);
	mini_apply(&m, HDR "\"waivers\": ["
		   "{\"rule\": \"group.not-viable\", \"subject\": \"group 2\", \"reason\": \"NIC stays with the host\", \"expires\": \"2030-06-30\"},"
		   "{\"rule\": \"isolation.p2p-domain\", \"subject\": \"0000:01:00.0\", \"reason\": \"old\", \"expires\": \"2030-06-29\"},"
		   "{\"rule\": \"collect.unreadable\", \"subject\": \"sys/y\", \"reason\": \"typo\"}]}", "2030-06-30");
	/* Valid through its expiry day: waived, kept, not counted. */
	assert_non_null(f = mini_find(&m, "group.not-viable", "group 2"));
	assert_true(f->waived);
	assert_string_equal(f->waiver_reason, "NIC stays with the host");
	assert_string_equal(f->waiver_expires, "2030-06-30");
	/* Expired the day before: not waived, and a warning says so. */
	assert_non_null(f = mini_find(&m, "isolation.p2p-domain", "0000:01:00.0"));
	assert_false(f->waived);
	assert_non_null(f = mini_find(&m, "policy.waiver-expired", "0000:01:00.0"));
	assert_int_equal(f->level, IA_LEVEL_WARNING);
	assert_string_equal(f->message, "the waiver of isolation.p2p-domain for 0000:01:00.0 expired on 2030-06-29 "
			    "(reason given: old): its findings count again");
	assert_string_equal(f->evidence, "policy $.waivers[1]");
	/* Matching nothing: info. */
	assert_non_null(f = mini_find(&m, "policy.waiver-unused", "sys/y"));
	assert_int_equal(f->level, IA_LEVEL_INFO);
	assert_string_equal(f->message, "the waiver of collect.unreadable for sys/y matched no finding");
	assert_int_equal(ia_result_count(&m.r, IA_LEVEL_ERROR), 1);   /* the p2p one */
	assert_int_equal(ia_result_count(&m.r, IA_LEVEL_WARNING), 2); /* unreadable + expired */
	mini_free(&m);
}

static void test_apply_rules(void **state)
{
	struct mini m;

	(void)state;
	mini_init(&m);
	mini_apply(&m, HDR "\"rules\": {\"group.not-viable\": {\"level\": \"info\"},"
		   " \"isolation.p2p-domain\": {\"enabled\": false}}}", "2025-01-01");
	assert_int_equal(mini_find(&m, "group.not-viable", "group 2")->level, IA_LEVEL_INFO);
	assert_null(mini_find(&m, "isolation.p2p-domain", "0000:01:00.0"));
	const struct ia_finding *f = mini_find(&m, "rule.not-evaluated", "isolation.p2p-domain");
	assert_non_null(f);
	assert_string_equal(f->message, "isolation.p2p-domain: not evaluated: disabled by the policy");
	assert_int_equal(m.r.n_not_evaluated, 1);
	assert_int_equal(ia_result_count(&m.r, IA_LEVEL_ERROR), 0);
	/* ia_policy_apply() composes nothing (the engine does, between steps 2 and 3). */
	assert_int_equal(m.r.groups[1].userspace_assignable, IA_NO);
	mini_free(&m);
}

static void test_apply_requirements(void **state)
{
	struct mini m;
	const struct ia_finding *f;

	(void)state;
	mini_init(&m);
	m.r.groups[0].userspace_assignable = IA_UNKNOWN;
	mini_apply(&m, HDR "\"waivers\": [{\"rule\": \"isolation.p2p-domain\", \"subject\": \"0000:01:00.0\", \"reason\": \"r\"}],"
		   " \"require\": [{\"assignable\": \"0000:01:00.0\"}, {\"dma_ownership_viable\": \"0000:02:00.0\"},"
		   " {\"assignable\": \"0000:09:00.0\"}, {\"interrupt_isolation\": \"isolated\"}, {\"iommu_active\": true},"
		   " {\"max_level\": \"info\"}]}", "2025-01-01");
	/* Unknown is unmet (fail closed). */
	assert_non_null(f = mini_find(&m, "policy.requirement-unmet", "0000:01:00.0"));
	assert_string_equal(f->message, "policy requires assignable 0000:01:00.0: unmet: its group 1 has "
			    "userspace_assignable = unknown (an input not known; fail closed)");
	assert_string_equal(f->evidence, "policy $.require[0]");
	/* the fix names the function, not a placeholder (issue 14 point 7) */
	assert_string_equal(f->advice, "Resolve the group's blockers (`iommu-audit plan 0000:01:00.0` shows what "
			    "assignment needs), or change the requirement.");
	assert_non_null(f = mini_find(&m, "policy.requirement-unmet", "0000:02:00.0"));
	assert_string_equal(f->message, "policy requires dma_ownership_viable 0000:02:00.0: unmet: its group 2 has "
			    "dma_ownership_viable = false");
	assert_string_equal(f->evidence, "blockers: 0000:02:00.0 [group.not-viable] bound to e1000e; policy $.require[1]");
	assert_non_null(f = mini_find(&m, "policy.requirement-unmet", "0000:09:00.0"));
	assert_string_equal(f->message, "policy requires assignable 0000:09:00.0: unmet: it is not a PCI function of this host");
	/* Met platform requirements add nothing; max_level info counts the unwaived error and warning. */
	assert_non_null(f = mini_find(&m, "policy.requirement-unmet", "host"));
	assert_string_equal(f->message, "policy requires no unwaived finding above info, but 2 remain");
	assert_string_equal(f->evidence, "group.not-viable group 2 (error); collect.unreadable sys/x (warning); policy $.require[5]");
	size_t unmet = 0;
	for (size_t i = 0; i < m.r.n_findings; i++)
		unmet += !strcmp(m.r.findings[i].rule, "policy.requirement-unmet");
	assert_int_equal(unmet, 4);
	mini_free(&m);

	/* The platform requirements, unmet. */
	mini_init(&m);
	m.r.irq_isolated = IA_UNKNOWN;
	m.r.irq_reason = NULL;
	m.a.n_units = 0, m.a.n_groups = 0, m.a.n_iommu_groups = 0;
	mini_apply(&m, HDR "\"require\": [{\"interrupt_isolation\": \"isolated\"}, {\"iommu_active\": true}]}", "2025-01-01");
	size_t k = 0;
	for (size_t i = 0; i < m.r.n_findings; i++) {
		f = &m.r.findings[i];
		if (strcmp(f->rule, "policy.requirement-unmet"))
			continue;
		assert_string_equal(f->message, k++ == 0 ?
				    "policy requires interrupt_isolation isolated, but it is unknown: interrupt isolation could not be determined" :
				    "policy requires iommu_active true, but it is false (0 units, 0 groups)");
	}
	assert_int_equal(k, 2);
	mini_free(&m);
}

/* ---- end to end -------------------------------------------------------------------------- */

static char policy_path[64];

static void write_policy(const char *text)
{
	FILE *f = fopen(policy_path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Run the audit of SCN_A with the policy; return the exit status and the JSON report. */
static json_t *run_policy(const char *text, const char *extra, int *status)
{
	char cmd[1024];
	json_error_t je;

	write_policy(text);
	snprintf(cmd, sizeof(cmd), "%s --snapshot %s --policy %s --format json --no-names %s 2>/dev/null", IA_BIN,
		 SCN_A, policy_path, extra);
	char *out = ia_run_capture(cmd, status);
	assert_non_null(out);
	json_t *j = json_loads(out, 0, &je);
	if (!j)
		fail_msg("not JSON (%s): %.200s", je.text, out);
	free(out);
	return j;
}

static json_t *report_finding(json_t *rep, const char *rule, const char *subject)
{
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(rep, "findings"), i, f)
		if (!strcmp(json_string_value(json_object_get(f, "rule")), rule) &&
		    !strcmp(json_string_value(json_object_get(f, "subject")), subject))
			return f;
	return NULL;
}

static json_t *report_group(json_t *rep, int id)
{
	size_t i;
	json_t *g;

	json_array_foreach(json_object_get(rep, "groups"), i, g)
		if (json_integer_value(json_object_get(g, "id")) == id)
			return g;
	fail_msg("no group %d in the report", id);
	return NULL;
}

static void test_e2e(void **state)
{
	int st;
	json_t *r, *f;
	char cmd[1024];

	(void)state;
	/* Baseline: the p2p error fails the run. */
	snprintf(cmd, sizeof(cmd), "%s --snapshot %s --no-names >/dev/null 2>&1", IA_BIN, SCN_A);
	free(ia_run_capture(cmd, &st));
	assert_int_equal(st, 1);

	/* Waive: the finding stays, marked, and the run passes. */
	r = run_policy(HDR "\"waivers\": [{\"rule\": \"isolation.p2p-domain\", \"subject\": \"0000:03:00.0\","
		       " \"reason\": \"switch qualified as one domain\", \"expires\": \"2999-01-01\"}]}", "", &st);
	assert_int_equal(st, 0);
	assert_non_null(f = report_finding(r, "isolation.p2p-domain", "0000:03:00.0"));
	assert_true(json_is_true(json_object_get(f, "waived")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(f, "waiver"), "reason")),
			    "switch qualified as one domain");
	assert_string_equal(json_string_value(json_object_get(json_object_get(f, "waiver"), "expires")), "2999-01-01");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "summary"), "verdict")), "pass");
	json_decref(r);

	/* Re-level to warning: passes under --fail-on error, fails under --fail-on warning. */
	static const char relevel[] = HDR "\"rules\": {\"isolation.p2p-domain\": {\"level\": \"warning\"}}}";
	r = run_policy(relevel, "", &st);
	assert_int_equal(st, 0);
	assert_string_equal(json_string_value(json_object_get(report_finding(r, "isolation.p2p-domain", "0000:03:00.0"),
							      "level")), "warning");
	json_decref(r);
	json_decref(run_policy(relevel, "--fail-on warning", &st));
	assert_int_equal(st, 1);

	/* Disable: the finding is gone, the rule is listed as not evaluated. */
	r = run_policy(HDR "\"rules\": {\"isolation.p2p-domain\": {\"enabled\": false}}}", "", &st);
	assert_int_equal(st, 0);
	assert_null(report_finding(r, "isolation.p2p-domain", "0000:03:00.0"));
	assert_non_null(report_finding(r, "rule.not-evaluated", "isolation.p2p-domain"));
	json_decref(r);

	/* Require, no policy on the p2p rule: nvme's group is not assignable (the switch's isolation
	 * domain blocks it), so the requirement is unmet and the run fails; the met requirements add
	 * nothing. */
	r = run_policy(HDR "\"require\": [{\"iommu_active\": true}, {\"interrupt_isolation\": \"isolated\"},"
		       " {\"assignable\": \"0000:04:00.0\"}]}", "", &st);
	assert_int_equal(st, 1);
	assert_non_null(f = report_finding(r, "policy.requirement-unmet", "0000:04:00.0"));
	assert_string_equal(json_string_value(json_object_get(f, "level")), "error");
	assert_string_equal(json_string_value(json_object_get(f, "message")),
			    "policy requires assignable 0000:04:00.0: unmet: its group 10 has userspace_assignable = false");
	assert_null(report_finding(r, "policy.requirement-unmet", "host"));
	json_decref(r);

	/* The p2p finding waived: it no longer blocks (issue 14 point 1); its blocker stays on the group
	 * as a note saying why it does not block, and the requirement is met. (Before the engine
	 * applied the policy, the blocker stood and this failed.) */
	r = run_policy(HDR "\"waivers\": [{\"rule\": \"isolation.p2p-domain\", \"subject\": \"0000:03:00.0\", \"reason\": \"r\"}],"
		       " \"require\": [{\"iommu_active\": true}, {\"interrupt_isolation\": \"isolated\"},"
		       " {\"assignable\": \"0000:04:00.0\"}]}", "", &st);
	assert_int_equal(st, 0);
	assert_null(report_finding(r, "policy.requirement-unmet", "0000:04:00.0"));
	json_t *g10 = report_group(r, 10);
	assert_true(json_is_true(json_object_get(g10, "userspace_assignable")));
	assert_int_equal(json_array_size(json_object_get(g10, "blockers")), 0);
	json_t *note = json_array_get(json_object_get(g10, "notes"), 0);
	assert_string_equal(json_string_value(json_object_get(note, "rule")), "isolation.p2p-domain");
	assert_string_equal(json_string_value(json_object_get(note, "lifted")), "the policy waives its finding");
	json_decref(r);

	/* Re-levelled to warning: the same (the finding stays, at warning). Re-levelled to error: it blocks. */
	r = run_policy(HDR "\"rules\": {\"isolation.p2p-domain\": {\"level\": \"warning\"}},"
		       " \"require\": [{\"assignable\": \"0000:04:00.0\"}]}", "", &st);
	assert_int_equal(st, 0);
	assert_true(json_is_true(json_object_get(report_group(r, 10), "userspace_assignable")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(report_group(r, 10), "notes"), 0),
							      "lifted")), "the policy re-levels the rule to warning");
	json_decref(r);
	/* the text report shows the lifted blocker as a note, with why */
	write_policy(HDR "\"rules\": {\"isolation.p2p-domain\": {\"level\": \"warning\"}}}");
	snprintf(cmd, sizeof(cmd), "%s --snapshot %s --policy %s --no-names 2>/dev/null", IA_BIN, SCN_A, policy_path);
	char *txt = ia_run_capture(cmd, &st);
	assert_non_null(txt);
	assert_non_null(strstr(txt, "\nIOMMU group 10: assignable to userspace"));
	assert_non_null(strstr(txt, "    note 0000:03:00.0 [isolation.p2p-domain] (not blocking: the policy re-levels the "
				    "rule to warning): shares an isolation domain with "));
	free(txt);
	r = run_policy(HDR "\"rules\": {\"isolation.p2p-domain\": {\"level\": \"error\"}},"
		       " \"require\": [{\"assignable\": \"0000:04:00.0\"}]}", "", &st);
	assert_int_equal(st, 1);
	assert_true(json_is_false(json_object_get(report_group(r, 10), "userspace_assignable")));
	json_decref(r);

	/* Disabled: no finding and no blocker, and no note either. */
	r = run_policy(HDR "\"rules\": {\"isolation.p2p-domain\": {\"enabled\": false}},"
		       " \"require\": [{\"assignable\": \"0000:04:00.0\"}]}", "", &st);
	assert_int_equal(st, 0);
	g10 = report_group(r, 10);
	assert_true(json_is_true(json_object_get(g10, "userspace_assignable")));
	assert_int_equal(json_array_size(json_object_get(g10, "blockers")), 0);
	assert_null(json_object_get(g10, "notes"));
	json_decref(r);

	/* The same requirements on a device that is assignable: passes. dma_ownership_viable of the
	 * nvme group holds (vfio-pci + pcieport). */
	r = run_policy(HDR "\"waivers\": [{\"rule\": \"isolation.p2p-domain\", \"subject\": \"0000:03:00.0\", \"reason\": \"r\"}],"
		       " \"require\": [{\"iommu_active\": true}, {\"interrupt_isolation\": \"isolated\"},"
		       " {\"dma_ownership_viable\": \"0000:04:00.0\"}, {\"max_level\": \"warning\"}]}", "", &st);
	assert_int_equal(st, 0);
	json_decref(r);

	/* Malformed: exit 2 with the file, the place and the reason on stderr; nothing on stdout. */
	write_policy(HDR "\"rules\": {\"isolation.p2p-domian\": {\"level\": \"info\"}}}");
	snprintf(cmd, sizeof(cmd), "%s --snapshot %s --policy %s 2>&1 >/dev/null", IA_BIN, SCN_A, policy_path);
	char *err = ia_run_capture(cmd, &st);
	assert_int_equal(st, 2);
	char want[512];
	snprintf(want, sizeof(want), "iommu-audit: --policy %s: $.rules[\"isolation.p2p-domian\"]: unknown rule id "
		 "\"isolation.p2p-domian\" (`iommu-audit rules` lists them)\n", policy_path);
	assert_string_equal(err, want);
	free(err);
	snprintf(cmd, sizeof(cmd), "%s --snapshot %s --policy /nonexistent/p.json 2>&1 >/dev/null", IA_BIN, SCN_A);
	err = ia_run_capture(cmd, &st);
	assert_int_equal(st, 2);
	assert_string_equal(err, "iommu-audit: --policy /nonexistent/p.json: No such file or directory\n");
	free(err);
}

/* The documented example parses, and run on the host it describes (docs/policy.md: the capture
 * x86-intel-scn-a-nvme-vfio) it passes its own requirements, `assignable` among them (issue 14
 * point 1): the re-levelled p2p rule and the waived not-viable finding no longer block. Before the
 * engine applied the policy this exited 1 with "group 10 has userspace_assignable = false". */
static void test_example(void **state)
{
	struct ia_policy *p = NULL;
	char err[512], cmd[1024];
	json_error_t je;
	int st;

	(void)state;
	assert_int_equal(ia_policy_load(IA_SOURCE_DIR "/docs/examples/qualification-policy.json", &p, err, sizeof(err)), 0);
	ia_policy_free(p);
	snprintf(cmd, sizeof(cmd), "%s --snapshot %s --policy %s --format json --no-names 2>/dev/null", IA_BIN, SCN_A,
		 IA_SOURCE_DIR "/docs/examples/qualification-policy.json");
	char *out = ia_run_capture(cmd, &st);
	assert_non_null(out);
	json_t *r = json_loads(out, 0, &je);
	free(out);
	assert_non_null(r);
	assert_int_equal(st, 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "summary"), "verdict")), "pass");
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(r, "findings"), i, f)
		if (!strcmp(json_string_value(json_object_get(f, "rule")), "policy.requirement-unmet"))
			fail_msg("unmet: %s", json_string_value(json_object_get(f, "message")));
	json_t *g10 = report_group(r, 10);
	assert_true(json_is_true(json_object_get(g10, "userspace_assignable")));
	/* The waiver of group 11's group.not-viable takes its finding out of the gate, but the kernel
	 * still refuses that group (virtio-pci owns its DMA): it stays NOT assignable, its blocker
	 * standing (rules' kernel_enforced), so no line of the report says otherwise. */
	json_t *g11 = report_group(r, 11);
	assert_true(json_is_false(json_object_get(g11, "userspace_assignable")));
	assert_true(json_is_false(json_object_get(g11, "dma_ownership_viable")));
	json_t *b = json_array_get(json_object_get(g11, "blockers"), 0);
	assert_non_null(b);
	assert_string_equal(json_string_value(json_object_get(b, "rule")), "group.not-viable");
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_valid_and_bdf),
		cmocka_unit_test(test_apply_waivers),
		cmocka_unit_test(test_apply_rules),
		cmocka_unit_test(test_apply_requirements),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_e2e),
	};
	int fd;

	snprintf(policy_path, sizeof(policy_path), "/tmp/ia-policy-XXXXXX");
	if ((fd = mkstemp(policy_path)) < 0)
		return 1;
	close(fd);
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(policy_path);
	return rc;
}
