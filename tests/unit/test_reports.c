// SPDX-License-Identifier: GPL-2.0-or-later
// The renderers (JUnit, NFD, text, rules page) on hand-built audits, and the exit status of every contract case end to end.
#include "testutil.h"

#include <jansson.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <errno.h>
#include <limits.h>
#include <pty.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports/report.h"
#include "rules/rules.h"

#define KKA IA_SOURCE_DIR "/tests/fixtures/kernel-known-answers"
#define CAP_PASS KKA "/x86-intel-noacs-mf/run-6.12/snapshot.tar.gz"          /* no finding at all */
#define CAP_FAIL KKA "/x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12/snapshot.tar.gz" /* 2 errors */

/* The two captures unpacked once (group setup), so most runs use --root and skip the unpacking. */
static char root_pass[256], root_fail[256];

static int unpack(const char *capture, char *dir, size_t cap)
{
	char cmd[1024];
	int st;

	snprintf(dir, cap, "%s/ia-test-reports-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd), "tar xzf %s -C %s", capture, dir);
	free(ia_run_capture(cmd, &st));
	return st == 0 ? 0 : -1;
}

static int setup_roots(void **state)
{
	(void)state;
	/* unpacking is much cheaper on a tmpfs: use /dev/shm (also for the tool's own, via TMPDIR) */
	if (access("/dev/shm", W_OK) == 0)
		setenv("TMPDIR", "/dev/shm", 1);
	return unpack(CAP_PASS, root_pass, sizeof(root_pass)) || unpack(CAP_FAIL, root_fail, sizeof(root_fail));
}

static int teardown_roots(void **state)
{
	char cmd[600];
	int st;

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", root_pass[0] ? root_pass : "", root_fail[0] ? root_fail : "");
	free(ia_run_capture(cmd, &st));
	return 0;
}

/* ---- helpers ---------------------------------------------------------------------------- */

/* The engine's result of the hand-built audit under test (groups parallel to its groups), and the
 * --fail-on the verdict is decided under when it is rendered. */
static struct ia_result R;
static enum ia_fail_on ON = IA_FAIL_ON_ERROR;

/* Release the hand-built audit and its result, for the next test. */
static void reset(struct ia_audit *a)
{
	ia_audit_free(a);
	ia_result_free(&R);
	ON = IA_FAIL_ON_ERROR;
}

/* Decide the verdict of R under ON (the engine's last step), then render with @fn into a
 * NUL-terminated malloc'd buffer; asserts the renderer returned 0. */
static char *render(int (*fn)(const struct ia_audit *, const struct ia_result *, const struct ia_report_opts *, FILE *),
		    const struct ia_audit *a, const struct ia_report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	ia_result_decide(&R, ON);
	assert_int_equal(fn(a, &R, o, m), 0);
	assert_int_equal(fclose(m), 0);
	return buf;
}

/* A group with @id, one device @bdf and verdict @assignable, appended to @a. */
static void add_group(struct ia_audit *a, int id, const char *bdf, enum ia_tri assignable)
{
	a->groups = realloc(a->groups, (a->n_groups + 1) * sizeof(*a->groups));
	assert_non_null(a->groups);
	struct ia_group *g = &a->groups[a->n_groups++];
	a->n_iommu_groups++; /* as ia_audit_load() counts a translated group */
	memset(g, 0, sizeof(*g));
	g->id = id;
	g->devices = calloc(1, sizeof(char *));
	g->devices[0] = strdup(bdf);
	g->n_devices = 1;
	R.groups = realloc(R.groups, (R.n_groups + 1) * sizeof(*R.groups));
	assert_non_null(R.groups);
	R.groups[R.n_groups++] = (struct ia_group_verdict){ .userspace_assignable = assignable,
							    .dma_ownership_viable = assignable };
}

/* A PCI function @bdf [@vendor:@device] with header type @hdr, in group @group (or none when < 0). */
static void add_dev(struct ia_audit *a, const char *bdf, uint16_t vendor, uint16_t device, uint8_t hdr, int group)
{
	a->devs = realloc(a->devs, (a->n_devs + 1) * sizeof(*a->devs));
	assert_non_null(a->devs);
	struct ia_dev *d = &a->devs[a->n_devs++];
	memset(d, 0, sizeof(*d));
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
	d->has_ids = true;
	d->vendor = vendor;
	d->device = device;
	d->has_hdr = true;
	d->hdr_type = hdr;
	d->has_group = group >= 0;
	d->group = group;
	d->predicted_group = -1;
	d->has_acs = d->has_ats = d->has_pri = d->has_pasid = d->has_sriov = IA_UNKNOWN;
}

static void add_not_evaluated(struct ia_audit *a, const char *id, const char *why)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s: not evaluated: %s", id, why);
	(void)a;
	R.not_evaluated = realloc(R.not_evaluated, (R.n_not_evaluated + 1) * sizeof(char *));
	assert_non_null(R.not_evaluated);
	R.not_evaluated[R.n_not_evaluated++] = strdup(msg);
	assert_int_equal(ia_result_add_finding(&R, "rule.not-evaluated", IA_LEVEL_INFO, id, msg, NULL, NULL), 0);
}

static void waive(struct ia_finding *f, const char *reason, const char *expires)
{
	f->waived = true;
	f->waiver_reason = strdup(reason);
	f->waiver_expires = expires ? strdup(expires) : NULL;
}

/* Parse @xml (must be well-formed) and count the nodes @xpath selects; optionally return the first's text. */
static int xpath_count(const char *xml, const char *xpath, char **first)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, XML_PARSE_NONET);
	if (!doc)
		fail_msg("JUnit output is not well-formed XML:\n%s", xml);
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
	assert_non_null(r);
	int n = r->nodesetval ? r->nodesetval->nodeNr : 0;
	if (first) {
		*first = NULL;
		if (n) {
			xmlChar *c = xmlNodeGetContent(r->nodesetval->nodeTab[0]);
			*first = strdup((const char *)c);
			xmlFree(c);
		}
	}
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return n;
}

/* Run the tool through the shell with printf-style arguments; returns stdout (malloc'd), sets the exit status. */
static char *run(int *status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *run(int *status, const char *fmt, ...)
{
	char cmd[4096], args[3000];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s %s 2>/dev/null", IA_BIN, args);
	char *out = ia_run_capture(cmd, status);
	assert_non_null(out);
	return out;
}

/* Like run() but with stderr captured instead of stdout (usage errors say what was wrong). */
static char *run_stderr(const char *args, int *status)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1 >/dev/null", IA_BIN, args);
	char *out = ia_run_capture(cmd, status);
	assert_non_null(out);
	return out;
}

/* ---- --fail-on and waivers ------------------------------------------------------------- */

static void test_fail_threshold(void **state)
{
	struct ia_finding f = { .rule = "x.y", .subject = "host", .message = "m" };
	static const struct { enum ia_level l; bool waived; enum ia_fail_on on; bool fails; } cases[] = {
		{ IA_LEVEL_ERROR, false, IA_FAIL_ON_ERROR, true },    { IA_LEVEL_ERROR, false, IA_FAIL_ON_WARNING, true },
		{ IA_LEVEL_ERROR, false, IA_FAIL_ON_NEVER, false },   { IA_LEVEL_WARNING, false, IA_FAIL_ON_ERROR, false },
		{ IA_LEVEL_WARNING, false, IA_FAIL_ON_WARNING, true }, { IA_LEVEL_WARNING, false, IA_FAIL_ON_NEVER, false },
		{ IA_LEVEL_INFO, false, IA_FAIL_ON_WARNING, false },  { IA_LEVEL_ERROR, true, IA_FAIL_ON_ERROR, false },
		{ IA_LEVEL_WARNING, true, IA_FAIL_ON_WARNING, false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f.level = cases[i].l;
		f.waived = cases[i].waived;
		if (ia_finding_fails(&f, cases[i].on) != cases[i].fails)
			fail_msg("case %zu: level %s waived %d fail-on %d: expected %d", i, ia_level_name(f.level),
				 f.waived, cases[i].on, cases[i].fails);
	}
}

/* ---- JUnit ---------------------------------------------------------------------------- */

/* One suite per table rule; failures, passes with system-out, waivers, skipped, and a rule outside the table. */
static void test_junit_structure(void **state)
{
	struct ia_audit a = { 0 };
	struct ia_report_opts o = { 0 };
	const char *r0 = ia_rules[0]->id, *r1 = ia_rules[1]->id;
	char *txt, xp[512];
	(void)state;

	assert_true(ia_n_rules >= 3);
	assert_int_equal(ia_result_add_finding(&R, r0, IA_LEVEL_ERROR, "group 10", "bad ten", "fix ten", "ev ten"), 0);
	assert_int_equal(ia_result_add_finding(&R, r0, IA_LEVEL_ERROR, "group 9", "bad nine", NULL, NULL), 0);
	assert_int_equal(ia_result_add_finding(&R, r0, IA_LEVEL_WARNING, "group 9", "meh nine", NULL, NULL), 0);
	assert_int_equal(ia_result_add_finding(&R, r0, IA_LEVEL_ERROR, "0000:00:01.0", "waived one", NULL, NULL), 0);
	waive(&R.findings[3], "known lab quirk", "2031-01-31");
	assert_int_equal(ia_result_add_finding(&R, "collect.unreadable", IA_LEVEL_WARNING, "proc/interrupts",
					      "unreadable", NULL, NULL), 0);
	add_not_evaluated(&a, r1, "no groups <here> & \"there\"");

	char *x = render(ia_report_junit, &a, &o);
	/* every table rule has its suite, in table order, then the other ids */
	assert_int_equal(xpath_count(x, "/testsuites/testsuite", NULL), (int)ia_n_rules + 1);
	snprintf(xp, sizeof(xp), "/testsuites/testsuite[1][@name='%s']", r0);
	assert_int_equal(xpath_count(x, xp, NULL), 1);
	assert_int_equal(xpath_count(x, "/testsuites/testsuite[last()][@name='collect.unreadable'][@failures='0']", NULL), 1);
	/* r0: three subjects; "group 9" before "group 10"; two fail, the waived one passes */
	snprintf(xp, sizeof(xp), "/testsuites/testsuite[@name='%s'][@tests='3'][@failures='2'][@skipped='0']", r0);
	assert_int_equal(xpath_count(x, xp, NULL), 1);
	snprintf(xp, sizeof(xp), "//testsuite[@name='%s']/testcase[1]/@name", r0);
	xpath_count(x, xp, &txt);
	assert_string_equal(txt, "0000:00:01.0");
	free(txt);
	snprintf(xp, sizeof(xp), "//testsuite[@name='%s']/testcase[2]/@name", r0);
	xpath_count(x, xp, &txt);
	assert_string_equal(txt, "group 9");
	free(txt);
	/* one testcase per rule and subject: group 9's error fails, its warning is told in the failure text */
	assert_int_equal(xpath_count(x, "//testcase[@name='group 9']/failure[@type='error'][@message='bad nine']", NULL), 1);
	assert_int_equal(xpath_count(x, "//testcase[@name='group 9']/system-out", NULL), 1);
	assert_int_equal(xpath_count(x, "//testcase[@name='group 10']/failure[contains(., 'advice: fix ten')]", NULL), 1);
	/* waived: passes, the waiver in system-out */
	assert_int_equal(xpath_count(x, "//testcase[@name='0000:00:01.0']/failure", NULL), 0);
	assert_int_equal(xpath_count(x, "//testcase[@name='0000:00:01.0']/system-out"
					"[contains(., 'waived by policy: known lab quirk (until 2031-01-31)')]", NULL), 1);
	/* r1 not evaluated: skipped with the reason, escaped and read back intact */
	snprintf(xp, sizeof(xp), "//testsuite[@name='%s'][@skipped='1']/testcase[@name='host']/skipped/@message", r1);
	assert_int_equal(xpath_count(x, xp, &txt), 1);
	assert_string_equal(txt, "no groups <here> & \"there\"");
	free(txt);
	/* the engine's rule.not-evaluated finding is the skipped case, not a suite of its own */
	assert_int_equal(xpath_count(x, "//testsuite[@name='rule.not-evaluated']", NULL), 0);
	/* other table rules: evaluated, nothing found: one passing "host" case */
	snprintf(xp, sizeof(xp), "//testsuite[@name='%s'][@tests='1'][@failures='0']/testcase[@name='host'][not(*)]",
		 ia_rules[2]->id);
	assert_int_equal(xpath_count(x, xp, NULL), 1);
	assert_int_equal(xpath_count(x, "/testsuites[@failures='2'][@errors='0']", NULL), 1);
	free(x);

	/* --fail-on warning: group 9 still one failing case; collect.unreadable fails now */
	ON = IA_FAIL_ON_WARNING;
	x = render(ia_report_junit, &a, &o);
	assert_int_equal(xpath_count(x, "//testsuite[@name='collect.unreadable'][@failures='1']", NULL), 1);
	assert_int_equal(xpath_count(x, "/testsuites[@failures='3']", NULL), 1);
	free(x);
	/* --fail-on never: nothing fails */
	ON = IA_FAIL_ON_NEVER;
	x = render(ia_report_junit, &a, &o);
	assert_int_equal(xpath_count(x, "//failure", NULL), 0);
	free(x);
	reset(&a);
}

/* XML specials round-trip; controls, malformed UTF-8 and U+FFFE are escaped as every renderer
 * escapes them (ia_text_sanitize(): "\xNN", "\uNNNN"), so the XML is well-formed. */
static void test_junit_escaping(void **state)
{
	struct ia_audit a = { 0 };
	struct ia_report_opts o = { 0 };
	char *txt;
	(void)state;

	assert_int_equal(ia_result_add_finding(&R, "x.hostile", IA_LEVEL_ERROR, "a<b>&\"c'\x01\xff",
					      "]]> \x1b[31mred\x7f caf\xc3\xa9 \xef\xbf\xbe", NULL, NULL), 0);
	char *x = render(ia_report_junit, &a, &o);
	assert_int_equal(xpath_count(x, "//testsuite[@name='x.hostile']/testcase/@name", &txt), 1);
	assert_string_equal(txt, "a<b>&\"c'\\x01\\xff");
	free(txt);
	assert_int_equal(xpath_count(x, "//testsuite[@name='x.hostile']//failure/@message", &txt), 1);
	/* ESC, DEL and U+FFFE escaped; é stays */
	assert_string_equal(txt, "]]> \\x1b[31mred\\x7f caf\xc3\xa9 \\ufffe");
	free(txt);
	assert_null(strchr(x, '\x1b'));
	free(x);
	reset(&a);
}

/* Host-derived text that is not UTF-8 keeps its field in the JSON, bad bytes escaped "\xNN" as
 * every renderer escapes them (jansson refuses invalid UTF-8, which used to drop the member silently). */
static void test_json_invalid_utf8(void **state)
{
	struct ia_audit a = { 0 };
	(void)state;

	add_dev(&a, "0000:01:00.0", 0x8086, 0x10d3, 0, 1);
	a.devs[0].driver = strdup("e1000\xff" "e");
	add_group(&a, 1, "0000:01:00.0", IA_NO);
	assert_int_equal(ia_contrib_add(&R.groups[0].blockers, &R.groups[0].n_blockers, IA_CONTRIB_BLOCKER, NULL, "0000:01:00.0",
				       "group.not-viable", "bound to e1000\xff" "e \xed\xa0\x80 \xc3\xa9", IA_NO_FINDING), 0);
	assert_int_equal(ia_result_add_finding(&R, "group.not-viable", IA_LEVEL_ERROR, "group 1",
					      "driver e1000\xff" "e \xf0\x9f\x98\x80 ok", NULL, NULL), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	assert_int_equal((ia_result_decide(&R, ON), ia_report_json(&a, &R, NULL, m)), 0);
	assert_int_equal(fclose(m), 0);
	json_error_t err;
	json_t *j = json_loads(buf, 0, &err);
	if (!j)
		fail_msg("not JSON: %s", err.text);
	json_t *d = json_array_get(json_object_get(j, "devices"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "driver")), "e1000\\xffe");
	json_t *b = json_array_get(json_object_get(json_array_get(json_object_get(j, "groups"), 0), "blockers"), 0);
	/* a UTF-16 surrogate (ED A0 80) is not UTF-8 either: three escapes; é stays */
	assert_string_equal(json_string_value(json_object_get(b, "reason")),
			    "bound to e1000\\xffe \\xed\\xa0\\x80 \xc3\xa9");
	json_t *f = json_array_get(json_object_get(j, "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "message")), "driver e1000\\xffe \xf0\x9f\x98\x80 ok");
	json_decref(j);
	free(buf);
	reset(&a);
}

/* Parse the JSON report of @a (must be JSON) into a new jansson reference. */
static json_t *render_json(const struct ia_audit *a)
{
	char *txt = render(ia_report_json, a, NULL);
	json_error_t err;
	json_t *j = json_loads(txt, 0, &err);

	if (!j)
		fail_msg("not JSON: %s\n%s", err.text, txt);
	free(txt);
	return j;
}

/* A sysfs IOMMU unit @name, appended to @a. */
static void add_unit(struct ia_audit *a, const char *name)
{
	a->units = realloc(a->units, (a->n_units + 1) * sizeof(*a->units));
	assert_non_null(a->units);
	struct ia_unit *u = &a->units[a->n_units++];
	memset(u, 0, sizeof(*u));
	u->name = strdup(name);
	u->kind = strdup("vt-d");
}

/* platform.iommu.units[i].devices: the functions whose iommu link names unit i, in device order,
 * for units in any name order; links to no listed unit are in no list. */
static void test_json_unit_devices(void **state)
{
	struct ia_audit a = { 0 };
	static const char *const link[] = { "dmar0", "dmar1", NULL, "dmar0", "dmar7", "dmar1", "dmar0" };
	(void)state;

	add_unit(&a, "dmar1");
	add_unit(&a, "dmar0");
	add_unit(&a, "ivhd9");
	for (size_t i = 0; i < sizeof(link) / sizeof(link[0]); i++) {
		char bdf[16];
		snprintf(bdf, sizeof(bdf), "0000:00:%02zx.0", 0x10 - i); /* BDFs descending: order is the audit's */
		add_dev(&a, bdf, 0x8086, 0x10d3, 0, -1);
		a.devs[i].iommu_unit = link[i] ? strdup(link[i]) : NULL;
	}
	char *txt = render(ia_report_json, &a, NULL);
	/* pretty-printed with 2-space indentation */
	assert_non_null(strstr(txt, "{\n  \"schema\": \"iommu-audit/1\",\n  \"tool\": {\n    \"name\": \"iommu-audit\""));
	free(txt);
	json_t *j = render_json(&a);
	json_t *units = json_object_get(json_object_get(json_object_get(j, "platform"), "iommu"), "units");
	assert_int_equal(json_array_size(units), 3);
	static const char *const want[3][4] = {
		{ "dmar1", "0000:00:0f.0", "0000:00:0b.0" },
		{ "dmar0", "0000:00:10.0", "0000:00:0d.0", "0000:00:0a.0" },
		{ "ivhd9" },
	};
	for (size_t u = 0; u < 3; u++) {
		json_t *ju = json_array_get(units, u), *devs = json_object_get(ju, "devices");
		assert_string_equal(json_string_value(json_object_get(ju, "name")), want[u][0]);
		assert_true(json_is_array(devs));
		size_t n = 0;
		while (n < 3 && want[u][n + 1])
			n++;
		assert_int_equal(json_array_size(devs), n);
		for (size_t k = 0; k < n; k++)
			assert_string_equal(json_string_value(json_array_get(devs, k)), want[u][k + 1]);
	}
	json_decref(j);
	reset(&a);
}

/* host.kernel_upstream: the upstream release the behaviour table is read with, where its stable
 * level came from, and what the verdicts assume when the release does not tell. */
static void test_json_kernel_upstream(void **state)
{
	struct ia_audit a = { 0 };
	(void)state;

	a.kernel_release = strdup("6.1.0-56-amd64");
	a.has_kernel_version = true;
	a.kernel_major = 6;
	a.kernel_minor = 1;
	a.has_kernel_patch = true;
	a.kernel_patch = 192;
	a.kernel_stable_source = strdup("debian");
	json_t *j = render_json(&a), *h = json_object_get(json_object_get(j, "host"), "kernel_upstream");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "host"), "kernel")), "6.1.0-56-amd64");
	assert_string_equal(json_string_value(json_object_get(h, "version")), "6.1");
	assert_int_equal(json_integer_value(json_object_get(h, "stable")), 192);
	assert_string_equal(json_string_value(json_object_get(h, "derived_from")), "debian");
	assert_true(json_is_false(json_object_get(h, "backports")));
	assert_true(json_is_null(json_object_get(h, "assumed")));
	json_decref(j);
	/* Debian without its package version: the stable level unknown, and said */
	a.has_kernel_patch = false;
	j = render_json(&a);
	h = json_object_get(json_object_get(j, "host"), "kernel_upstream");
	assert_true(json_is_null(json_object_get(h, "stable")));
	assert_true(json_is_null(json_object_get(h, "derived_from")));
	assert_string_equal(json_string_value(json_object_get(h, "assumed")),
			    "the upstream stable level of Linux 6.1 is not known (the distribution's release hides it): "
			    "a behaviour that came in a 6.1 stable release is taken as unknown");
	json_decref(j);
	/* RHEL 9 */
	a.kernel_major = 5;
	a.kernel_minor = 14;
	a.kernel_backports = true;
	j = render_json(&a);
	h = json_object_get(json_object_get(j, "host"), "kernel_upstream");
	assert_string_equal(json_string_value(json_object_get(h, "version")), "5.14");
	assert_true(json_is_true(json_object_get(h, "backports")));
	assert_non_null(strstr(json_string_value(json_object_get(h, "assumed")),
			       "a distribution kernel that backports onto Linux 5.14: a behaviour that came upstream "
			       "after 5.14 is taken as unknown"));
	json_decref(j);
	/* no release at all */
	a.has_kernel_version = false;
	j = render_json(&a);
	h = json_object_get(json_object_get(j, "host"), "kernel_upstream");
	assert_true(json_is_null(json_object_get(h, "version")));
	assert_true(json_is_false(json_object_get(h, "backports")));
	assert_string_equal(json_string_value(json_object_get(h, "assumed")),
			    "the kernel release is unknown: every behaviour that changed between releases is taken as unknown");
	json_decref(j);
	reset(&a);
}

/* Integers and hex strings as the old printf formats gave them: "0x%0*llx" with the field's width,
 * "%lld" including negative values and the extremes. */
static void test_json_numbers(void **state)
{
	struct ia_audit a = { 0 };
	static const int noiommu[] = { 0, -7, INT_MAX, INT_MIN };
	(void)state;

	add_dev(&a, "0000:00:00.0", 0x00ab, 0xffff, 0, 0);
	a.devs[0].has_class = true;
	a.devs[0].class_code = 0x010802;
	a.devs[0].config_bytes = 4096;
	add_dev(&a, "0000:00:01.0", 0, 0x1, 0, -1);
	a.devs[1].has_group = true;
	a.devs[1].group = INT_MIN;
	a.devs[1].predicted_group = INT_MAX;
	add_unit(&a, "dmar0");
	a.units[0].has_address = true;
	a.units[0].address = UINT64_MAX;
	add_unit(&a, "dmar1");
	a.units[1].has_address = true;
	a.units[1].address = 0;
	R.noiommu_groups = malloc(sizeof(noiommu));
	assert_non_null(R.noiommu_groups);
	memcpy(R.noiommu_groups, noiommu, sizeof(noiommu));
	R.n_noiommu_groups = 4;
	json_t *j = render_json(&a), *devs = json_object_get(j, "devices");
	json_t *d0 = json_array_get(devs, 0), *d1 = json_array_get(devs, 1);
	assert_string_equal(json_string_value(json_object_get(d0, "vendor")), "0x00ab");
	assert_string_equal(json_string_value(json_object_get(d0, "device")), "0xffff");
	assert_string_equal(json_string_value(json_object_get(d0, "class")), "0x010802");
	assert_int_equal(json_integer_value(json_object_get(d0, "config_bytes")), 4096);
	assert_true(json_is_null(json_object_get(d0, "config_size")));
	assert_int_equal(json_integer_value(json_object_get(d0, "iommu_group")), 0);
	assert_true(json_is_null(json_object_get(d0, "predicted_group")));
	assert_string_equal(json_string_value(json_object_get(d1, "vendor")), "0x0000");
	assert_string_equal(json_string_value(json_object_get(d1, "device")), "0x0001");
	assert_true(json_is_null(json_object_get(d1, "class")));
	assert_int_equal(json_integer_value(json_object_get(d1, "iommu_group")), INT_MIN);
	assert_int_equal(json_integer_value(json_object_get(d1, "predicted_group")), INT_MAX);
	json_t *p = json_object_get(j, "platform"), *units = json_object_get(json_object_get(p, "iommu"), "units");
	assert_string_equal(json_string_value(json_object_get(json_array_get(units, 0), "base")), "0xffffffffffffffff");
	assert_string_equal(json_string_value(json_object_get(json_array_get(units, 1), "base")), "0x0");
	json_t *ng = json_object_get(json_object_get(p, "noiommu"), "groups");
	assert_int_equal(json_array_size(ng), 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(json_integer_value(json_array_get(ng, i)), noiommu[i]);
	json_decref(j);
	reset(&a);
}

/* Text longer than the writer's 64 KiB buffer (written around it) keeps every byte; a long text
 * with a malformed byte still gets its U+FFFD. */
static void test_json_long_text(void **state)
{
	struct ia_audit a = { 0 };
	const size_t n = 200000;
	char *msg = malloc(n + 1), *want = malloc(n + 4);
	(void)state;

	assert_non_null(msg);
	assert_non_null(want);
	for (size_t i = 0; i < n; i++)
		msg[i] = (char)('a' + i % 26);
	msg[n] = '\0';
	assert_int_equal(ia_result_add_finding(&R, "x.long", IA_LEVEL_INFO, "host", msg, NULL, NULL), 0);
	msg[n / 2] = '\xff';
	memcpy(want, msg, n / 2);
	memcpy(want + n / 2, "\\xff", 4);   /* the one escaping (ia_text_sanitize()) */
	memcpy(want + n / 2 + 4, msg + n / 2 + 1, n - n / 2); /* with the NUL */
	assert_int_equal(ia_result_add_finding(&R, "x.long", IA_LEVEL_INFO, "host", msg, NULL, NULL), 0);
	msg[n / 2] = (char)('a' + (n / 2) % 26);
	json_t *j = render_json(&a), *f = json_object_get(j, "findings");
	assert_int_equal(json_array_size(f), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(f, 0), "message")), msg);
	assert_string_equal(json_string_value(json_object_get(json_array_get(f, 1), "message")), want);
	json_decref(j);
	free(msg);
	free(want);
	reset(&a);
}

/*
 * The layout is jansson's JSON_INDENT(2) (what the report was written with before yajl), empty
 * arrays and objects as "[]" / "{}": checked by re-dumping the parsed report with jansson, with a
 * host text of every length around the writer's 64 KiB buffer, so the buffer is written out at
 * every point of the empty arrays that follow (platform.iommu.firmware, units, regions, groups).
 */
static void test_json_layout_is_jansson(void **state)
{
	(void)state;
	for (size_t len = 65536 - 400; len < 65536 + 40; len++) {
		struct ia_audit a = { 0 };
		char *cmd = malloc(len + 1);
		assert_non_null(cmd);
		memset(cmd, 'c', len);
		cmd[len] = '\0';
		a.cmdline = cmd;
		char *txt = render(ia_report_json, &a, NULL);
		json_error_t err;
		json_t *j = json_loads(txt, JSON_DECODE_ANY, &err);
		if (!j)
			fail_msg("not JSON at %zu: %s", len, err.text);
		char *again = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		assert_non_null(again);
		size_t n = strlen(txt);
		if (n < 1 || txt[n - 1] != '\n' || strlen(again) != n - 1 || memcmp(txt, again, n - 1))
			fail_msg("cmdline of %zu bytes: the report is not laid out as JSON_INDENT(2)", len);
		assert_non_null(strstr(txt, "\"devices\": [],"));
		free(again);
		json_decref(j);
		free(txt);
		a.cmdline = NULL;
		free(cmd);
		reset(&a);
	}
}

/* A write that fails is -EIO with errno still the write's (main names it: "No space left on
 * device"); the report is larger than the writer's 64 KiB buffer, so the write happens inside. */
static void test_json_write_error(void **state)
{
	struct ia_audit a = { 0 };
	(void)state;

	FILE *full = fopen("/dev/full", "w");
	if (!full)
		skip();
	for (int i = 0; i < 512; i++) {
		char bdf[16];
		snprintf(bdf, sizeof(bdf), "0000:%02x:%02x.0", i >> 5, i & 31);
		add_dev(&a, bdf, 0x8086, 0x10d3, 0, -1);
	}
	errno = 0;
	assert_int_equal(ia_report_json(&a, &R, NULL, full), -EIO);
	assert_int_equal(errno, ENOSPC);
	fclose(full);
	reset(&a);
}

/* ---- NFD ------------------------------------------------------------------------------ */

static void test_nfd_labels(void **state)
{
	struct ia_audit a = { 0 };
	struct ia_report_opts o = { 0 };
	regex_t re;
	(void)state;

	/* groups sorted by id, as ia_audit_load() leaves them */
	add_group(&a, 1, "0000:01:00.0", IA_YES);
	add_group(&a, 2, "0000:02:00.0", IA_NO);
	add_group(&a, 3, "0000:03:00.0", IA_UNKNOWN);
	add_group(&a, 4, "0000:04:00.0", IA_YES);
	add_dev(&a, "0000:01:00.0", 0x10de, 0x2230, 0, 1);  /* assignable */
	add_dev(&a, "0000:02:00.0", 0x10de, 0x2230, 0, 2);  /* same id, not assignable: false */
	add_dev(&a, "0000:03:00.0", 0x1af4, 0x1041, 0, 3);  /* unknown */
	add_dev(&a, "0000:04:00.0", 0x8086, 0x10d3, 0, 4);  /* true */
	add_dev(&a, "0000:05:00.0", 0x8086, 0x10d3, 0, 4);
	add_dev(&a, "0000:00:02.0", 0x1b36, 0x000c, 1, 4);  /* a bridge: vfio-pci never binds it, no label */
	add_dev(&a, "0000:00:1f.0", 0x8086, 0x2918, 0, -1); /* in no group: false */
	R.irq_isolated = IA_NO;
	R.noiommu_state = "unavailable";
	assert_int_equal(ia_result_add_finding(&R, "x.y", IA_LEVEL_WARNING, "host", "w", NULL, NULL), 0);

	char *x = render(ia_report_nfd, &a, &o);
	const char *expect =
		"iommu-audit.io/iommu-active=true\n"
		"iommu-audit.io/interrupt-isolation=not_isolated\n"
		"iommu-audit.io/noiommu=unavailable\n"
		"iommu-audit.io/groups=4\n"
		"iommu-audit.io/assignable-groups=2\n"
		"iommu-audit.io/verdict=pass\n"
		"iommu-audit.io/assignable-10de-2230=false\n"
		"iommu-audit.io/assignable-1af4-1041=unknown\n"
		"iommu-audit.io/assignable-8086-10d3=true\n"
		"iommu-audit.io/assignable-8086-2918=false\n";
	const char *body = strchr(x, '\n');
	assert_true(x[0] == '#' && body);
	assert_string_equal(body + 1, expect);
	/* every line is a comment or a valid prefixed label (NFD local source; Kubernetes label syntax) */
	assert_int_equal(regcomp(&re, "^(#.*|iommu-audit\\.io/[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?="
				      "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?)$", REG_EXTENDED | REG_NEWLINE), 0);
	for (char *line = x; *line;) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = 0;
		if (regexec(&re, line, 0, NULL, 0))
			fail_msg("not an NFD label line: \"%s\"", line);
		line = nl + 1;
	}
	regfree(&re);
	free(x);
	/* the verdict follows --fail-on */
	ON = IA_FAIL_ON_WARNING;
	x = render(ia_report_nfd, &a, &o);
	assert_non_null(strstr(x, "\niommu-audit.io/verdict=fail\n"));
	free(x);
	R.noiommu_state = NULL;   /* not evaluated: unknown, never a guess */
	x = render(ia_report_nfd, &a, &o);
	assert_non_null(strstr(x, "\niommu-audit.io/noiommu=unknown\n"));
	free(x);
	reset(&a);
}

/* ---- text ----------------------------------------------------------------------------- */

static void test_text_verdict_first_and_color(void **state)
{
	struct ia_audit a = { 0 };
	struct ia_report_opts o = { .color = false };
	(void)state;

	add_group(&a, 7, "0000:07:00.0", IA_NO);
	add_dev(&a, "0000:07:00.0", 0x8086, 0x10d3, 0, 7);
	assert_int_equal(ia_contrib_add(&R.groups[0].blockers, &R.groups[0].n_blockers, IA_CONTRIB_BLOCKER, NULL, "0000:07:00.0",
				       "group.not-viable", "bound to e1000e", 0 /* the finding below */), 0);
	assert_int_equal(ia_result_add_finding(&R, "group.not-viable", IA_LEVEL_ERROR, "group 7", "not viable",
					      "unbind e1000e from 0000:07:00.0", NULL), 0);
	assert_int_equal(ia_result_add_finding(&R, "x.hostile", IA_LEVEL_INFO, "host", "evil \x1b]0;title\x07 \xc2\x9b" "2J",
					      NULL, NULL), 0);
	char *x = render(ia_report_text, &a, &o);
	char *verdict = strstr(x, "VERDICT: FAIL"), *fixes = strstr(x, "Fix these first"), *group = strstr(x, "IOMMU group 7: NOT");
	assert_non_null(verdict);
	assert_non_null(fixes);
	assert_non_null(group);
	assert_true(verdict < fixes && fixes < group);
	/* the group's blocker carries the fix of the finding behind it */
	assert_non_null(strstr(group, "blocker 0000:07:00.0 [group.not-viable]: bound to e1000e\n"
				      "        fix: unbind e1000e from 0000:07:00.0\n"));
	/* no escape sequence without colour, even one planted in the data (ESC, BEL, C1 CSI) */
	assert_null(strchr(x, '\x1b'));
	assert_null(strchr(x, '\x07'));
	assert_null(strstr(x, "\xc2\x9b"));
	assert_non_null(strstr(x, "evil \\x1b]0;title\\x07 \\u009b2J"));
	free(x);

	o.color = true;
	x = render(ia_report_text, &a, &o);
	assert_non_null(strstr(x, "\033[1;31mVERDICT: FAIL\033[0m"));
	assert_non_null(strstr(x, "\033[1;31mNOT assignable to userspace\033[0m"));
	assert_non_null(strstr(x, "evil \\x1b]0;title\\x07 \\u009b2J"));  /* data is filtered with colour on too */
	free(x);

	R.findings[0].level = IA_LEVEL_WARNING;
	o.color = false;
	x = render(ia_report_text, &a, &o);
	assert_non_null(strstr(x, "VERDICT: PASS: no finding reaches --fail-on error"));
	assert_null(strstr(x, "Fix these first"));
	free(x);
	reset(&a);
}

/* The text filter (ia_report_safe_open()) decodes UTF-8 strictly, also across writes: overlong
 * forms, surrogates and code points above U+10FFFF are bytes to replace, never passed through
 * (the filter before src/core/text.c passed any lead byte C2..F4 with its continuation bytes). */
static void test_text_filter_strict(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	(void)state;

	assert_non_null(mem);
	FILE *f = ia_report_safe_open(mem);
	assert_non_null(f);
	fputs("a\xe0\x80\x80" "b\xed\xa0\x80" "c\xf4\x90\x80\x80" "d\xc0\xaf" "e\xe2\x82", f);
	fflush(f);
	fputs("\xac" "f\xf0\x9f\x98", f);   /* a euro sign split between writes; a truncated end */
	assert_int_equal(ia_report_safe_close(f, mem), 0);
	assert_int_equal(fclose(mem), 0);
	assert_string_equal(buf, "a\\xe0\\x80\\x80b\\xed\\xa0\\x80c\\xf4\\x90\\x80\\x80d\\xc0\\xafe\xe2\x82\xac"
			    "f\\xf0\\x9f\\x98");
	free(buf);
}

/* ---- rules page ----------------------------------------------------------------------- */

static void test_rules_man(void **state)
{
	char *buf = NULL, ss[256];
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	(void)state;

	assert_int_equal(ia_report_rules_man("2026-01-02", m), 0);
	fclose(m);
	assert_non_null(strstr(buf, ".TH IOMMU\\-AUDIT\\-RULES 7 \"2026-01-02\""));
	for (size_t i = 0; i < ia_n_rules; i++) {
		size_t k = snprintf(ss, sizeof(ss), ".SS \"");
		for (const char *p = ia_rules[i]->id; *p && k < sizeof(ss) - 8; p++)
			k += snprintf(ss + k, sizeof(ss) - k, "%s", *p == '-' ? "\\-" : (char[]){ *p, 0 });
		snprintf(ss + k, sizeof(ss) - k, "\"\n");
		if (!strstr(buf, ss))
			fail_msg("rule %s has no section in the page", ia_rules[i]->id);
	}
	/* the releases each rule's behaviour applies to (rows of the kernel behaviour table) */
	char *own = strstr(buf, ".SS \"group.not\\-viable\"\n");
	assert_non_null(own);
	assert_non_null(strstr(own, ".TP\n.B Kernel releases\ndma_ownership: Linux 5.19 and later\n.br\n"
				    "vfio_bridge_allowed: Linux 4.13 and later\n"));
	char *sva = strstr(buf, ".SS \"device.sva\"\n");
	assert_non_null(sva);
	assert_non_null(strstr(sva, "sva_x86_disabled: in no upstream release; stable 5.10 at a level not confirmed "
				    "(none up to 5.10.253), 5.15.200, 6.1.163, 6.6.120, 6.12.64, 6.18.4 to 6.18.6 (not 6.18.7 "
				    "and later)"));
	free(buf);
	/* and in the JSON catalogue, row by row */
	buf = NULL;
	m = open_memstream(&buf, &len);
	assert_int_equal(ia_report_rules_json(m), 0);
	fclose(m);
	json_error_t err;
	json_t *j = json_loads(buf, 0, &err), *rules = json_object_get(j, "rules");
	assert_non_null(j);
	size_t tagged = 0;
	for (size_t i = 0; i < json_array_size(rules); i++) {
		json_t *r = json_array_get(rules, i), *kb = json_object_get(r, "kernel_behaviours");
		assert_true(json_is_array(kb));
		if (!strcmp(json_string_value(json_object_get(r, "id")), "group.not-viable")) {
			json_t *row = json_array_get(kb, 0);
			assert_string_equal(json_string_value(json_object_get(row, "id")), "dma_ownership");
			assert_string_equal(json_string_value(json_object_get(row, "first")), "5.19");
			assert_string_equal(json_string_value(json_object_get(row, "releases")), "dma_ownership: Linux 5.19 and later");
		}
		tagged += json_array_size(kb) > 0;
	}
	assert_int_equal(tagged, 9); /* platform.msi-not-isolated, host.noiommu (issue 12), host.external-dma (pci_removable_attr) and host.vfio-path (iommufd) joined */
	json_decref(j);
	free(buf);
}

/* ---- exit status, end to end ------------------------------------------------------------ */

static void test_exit_0(void **state)
{
	int st;
	(void)state;

	free(run(&st, "--snapshot %s", CAP_PASS));
	assert_int_equal(st, 0);
	free(run(&st, "--root %s --fail-on never --format junit", root_fail));
	assert_int_equal(st, 0);
	/* a non-root capture (64-byte config files): warnings only, so 0 under the default --fail-on error
	 * and 1 under --fail-on warning */
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "T=$(mktemp -d) && cp -a %s/. $T && find $T/sys/devices -name config "
		 "-exec truncate -s 64 {} + && %s --root $T >/dev/null 2>&1; e=$?; %s --root $T --fail-on warning "
		 ">/dev/null 2>&1; echo $e $?; rm -rf $T", root_pass, IA_BIN, IA_BIN);
	char *out = ia_run_capture(cmd, &st);
	assert_string_equal(out, "0 1\n");
	free(out);
}

/* One verdict for one audit (issue 13 item 15): under every --fail-on the text VERDICT line, JSON
 * summary.verdict and the NFD label say the same; --fail-on never only keeps the exit status 0.
 * The session-start binary printed "VERDICT: PASS" in the text while JSON and NFD said "fail". */
static void test_one_verdict(void **state)
{
	static const char *const fail_on[] = { "error", "warning", "never" };
	int st;
	(void)state;

	for (size_t i = 0; i < 3; i++) {
		char *t = run(&st, "--root %s --fail-on %s --format text --no-names", root_fail, fail_on[i]);
		assert_int_equal(st, i == 2 ? 0 : 1);
		assert_non_null(strstr(t, "\nVERDICT: FAIL"));
		free(t);
		char *j = run(&st, "--root %s --fail-on %s --format json --no-names", root_fail, fail_on[i]);
		assert_non_null(strstr(j, "\"verdict\": \"fail\""));
		free(j);
		char *n = run(&st, "--root %s --fail-on %s --format nfd --no-names", root_fail, fail_on[i]);
		assert_non_null(strstr(n, "\niommu-audit.io/verdict=fail\n"));
		free(n);
	}
	char *t = run(&st, "--root %s --fail-on never --no-names", root_fail);
	assert_non_null(strstr(t, "\nVERDICT: FAIL: 2 findings at or above error (--fail-on never: the exit status stays 0)\n"));
	free(t);
	t = run(&st, "--root %s --fail-on never --no-names", root_pass);
	assert_int_equal(st, 0);
	assert_non_null(strstr(t, "\nVERDICT: PASS: no finding reaches error (--fail-on never: the exit status stays 0)\n"));
	free(t);
	char *j = run(&st, "--root %s --fail-on never --format json --no-names", root_pass);
	assert_non_null(strstr(j, "\"verdict\": \"pass\""));
	free(j);
}

static void test_exit_1(void **state)
{
	int st;
	(void)state;

	free(run(&st, "--snapshot %s", CAP_FAIL));
	assert_int_equal(st, 1);
	free(run(&st, "--root %s --format json", root_fail));
	assert_int_equal(st, 1);
	char *x = run(&st, "--root %s --format junit", root_fail);
	assert_int_equal(st, 1);
	assert_int_equal(xpath_count(x, "//failure", NULL), 2);   /* the two errors, nothing else */
	free(x);
	x = run(&st, "--root %s --format nfd", root_fail);
	assert_int_equal(st, 1);
	assert_non_null(strstr(x, "\niommu-audit.io/verdict=fail\n"));
	free(x);
}

static void test_exit_2(void **state)
{
	static const struct { const char *args, *says; } cases[] = {
		{ "--format xml", "--format xml: expected text, json, junit, nfd or prometheus for `audit`" },
		{ "--fail-on fatal", "--fail-on fatal: expected error, warning or never" },
		{ "--color sometimes", "--color sometimes: expected auto, always or never" },
		{ "--format man", "--format man: expected text, json, junit, nfd or prometheus for `audit`" },
		{ "--no-such-option", "unrecognized option" },
		{ "frobnicate", "unknown or unsupported command \"frobnicate\"" },
		{ "audit extra", "unexpected argument \"extra\"" },
		{ "--root /x --snapshot /y.tar.gz", "give at most one of --root, --snapshot and --from-db" },
		{ "collect", "--db FILE is required" },
		{ "snapshot", "--output FILE.tar.gz|FILE.tar.zst|FILE.tar|DIR is required" },
		{ "--format", "requires an argument" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int st;
		char *err = run_stderr(cases[i].args, &st);
		if (st != 2 || !strstr(err, cases[i].says))
			fail_msg("`iommu-audit %s`: exit %d, stderr \"%s\"; expected 2 and \"%s\"", cases[i].args, st, err,
				 cases[i].says);
		free(err);
	}
}

static void test_exit_3(void **state)
{
	static const char *const cases[] = {
		"--root $T/empty",                 /* a root with nothing in it */
		"--root $T/does-not-exist",
		"--snapshot $T/garbage.tar.gz",    /* not an archive */
		"--snapshot $T/missing.tar.gz",
		"--from-db $T/garbage.tar.gz",     /* not an SQLite file */
		"--snapshot $T/garbage.tar.gz --format junit",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char cmd[2048];
		int st;
		snprintf(cmd, sizeof(cmd), "T=$(mktemp -d) && mkdir $T/empty && head -c 4096 /dev/urandom > "
			 "$T/garbage.tar.gz && %s %s >/dev/null 2>&1; e=$?; rm -rf $T; exit $e", IA_BIN, cases[i]);
		free(ia_run_capture(cmd, &st));
		if (st != 3)
			fail_msg("`iommu-audit %s`: exit %d, expected 3", cases[i], st);
	}
}

/* ---- colour only on a terminal, never with NO_COLOR --------------------------------------- */

/* Run the tool with stdout on a pseudo-terminal; returns what it wrote. @no_color: value of NO_COLOR or NULL. */
static char *run_on_tty(const char *no_color, const char *extra)
{
	int master;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);

	assert_true(pid >= 0);
	if (pid == 0) {
		if (no_color)
			setenv("NO_COLOR", no_color, 1);
		else
			unsetenv("NO_COLOR");
		execl(IA_BIN, IA_BIN, "--root", root_fail, "--no-names", extra, (char *)NULL);
		_exit(127);
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		ssize_t r = read(master, buf + len, cap - len - 1);
		if (r <= 0)
			break;   /* EIO once the child closed the terminal */
		len += (size_t)r;
	}
	buf[len] = 0;
	close(master);
	int st;
	waitpid(pid, &st, 0);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	return buf;
}

static void test_color_tty(void **state)
{
	int st;
	(void)state;

	char *x = run_on_tty(NULL, NULL);
	assert_non_null(strstr(x, "\033[1;31mVERDICT: FAIL\033[0m"));
	free(x);
	x = run_on_tty("1", NULL);                 /* NO_COLOR set: never */
	assert_null(strchr(x, '\033'));
	assert_non_null(strstr(x, "VERDICT: FAIL"));
	free(x);
	x = run_on_tty(NULL, "--color=never");
	assert_null(strchr(x, '\033'));
	free(x);
	x = run(&st, "--root %s", root_fail);      /* not a terminal: no colour */
	assert_null(strchr(x, '\033'));
	assert_non_null(strstr(x, "VERDICT: FAIL"));
	free(x);
	x = run(&st, "--root %s --color always", root_fail);
	assert_non_null(strstr(x, "\033[1;31mVERDICT: FAIL\033[0m"));
	free(x);
}

/* Positions of @n strings in @x, in the order given; fails when one is missing or out of order. */
static void assert_in_order(const char *x, const char *const *v, size_t n)
{
	const char *prev = NULL;

	for (size_t i = 0; i < n; i++) {
		const char *p = strstr(x, v[i]);
		if (!p || (prev && p < prev))
			fail_msg("\"%s\" %s in:\n%s", v[i], p ? "out of order" : "missing", x);
		prev = p;
	}
}

/*
 * "Fix these first" puts the root cause first (issue 14 point 7): no IOMMU before MSI isolation,
 * before the groups' own blockers, with one line saying why; the same order in --quiet. On an
 * IOMMU-on capture with an MSI problem (GICv2m: arm-acpi-v2m-smmuv3) and on its IOMMU-off capture
 * (../shared). The engine gives the findings in rule order: p2p and ownership before MSI.
 */
static void test_text_fix_order(void **state)
{
	static const char *const on[] = { "Fix these first", "In this order: the host-wide cause first",
					   "[platform.msi-not-isolated]", "[isolation.p2p-domain]", "[group.not-viable]" };
	/* with the IOMMU off no group can be split: peer-to-peer paths are judged once it is on */
	static const char *const off[] = { "Fix these first", "In this order: the host-wide cause first",
					   "[host.iommu-inactive]", "[platform.msi-not-isolated]" };
	int st;
	(void)state;

	char *x = run(&st, "--snapshot %s/arm-acpi-v2m-smmuv3/run-6.12/snapshot.tar.gz --no-names --fail-on warning", KKA);
	assert_int_equal(st, 1);
	assert_in_order(x, on, 5);
	free(x);
	x = run(&st, "--snapshot %s/arm-acpi-v2m-smmuv3/run-6.12/snapshot.tar.gz --no-names --fail-on warning --quiet", KKA);
	assert_in_order(x, on + 2, 3);
	free(x);
	if (!ia_have_fixtures())
		skip();
	x = run(&st, "--snapshot %s --no-names --fail-on warning",
		ia_fixture("kernel-known-answers/arm-acpi-v2m-smmuv3-iommu-off/run-6.12/snapshot.tar.gz"));
	assert_int_equal(st, 1);
	assert_in_order(x, off, 4);
	assert_null(strstr(x, "error   0000:00:02.0 [isolation.p2p-domain]"));
	assert_non_null(strstr(x, "isolation.p2p-domain: not evaluated: the kernel formed no IOMMU groups: the "
			       "peer-to-peer paths between the groups it would form are checked once the IOMMU is on"));
	free(x);
}

/*
 * An unprivileged capture (issue 14 point 7): config files cut at 64 bytes, as pci_read_config()
 * serves a reader without CAP_SYS_ADMIN, and five at 256 (a whole legacy config space). The text
 * report and stderr say it once, "run as root to read ... (N functions)" with N the functions cut
 * at 64, instead of two warnings per function; --quiet too; the JSON keeps every function's finding.
 */
static void test_text_unprivileged_once(void **state)
{
	char dir[300], cmd[2000], want[400];
	int st;
	(void)state;

	snprintf(dir, sizeof(dir), "%s-unpriv", root_fail);
	snprintf(cmd, sizeof(cmd), "rm -rf %s && cp -a %s %s && cd %s && find sys/devices -name config | sort > list && "
		 "head -n 5 list | xargs truncate -s 256 && tail -n +6 list | xargs truncate -s 64 && "
		 "tail -n +6 list | wc -l", dir, root_fail, dir, dir);
	char *n = ia_run_capture(cmd, &st);
	assert_int_equal(st, 0);
	int cut = atoi(n);
	free(n);
	assert_true(cut > 5);
	snprintf(want, sizeof(want), "run as root to read the PCI config space past byte 64, where the PCIe capability, "
		 "ACS, ATS, PRI, PASID and SR-IOV are (%d functions)", cut);

	char *x = run(&st, "--root %s --no-names --fail-on never", dir);
	/* the line, once, with the words; no per-function "only 64 of 4096" or "config file is 64" */
	const char *p = strstr(x, want);
	assert_non_null(p);
	assert_null(strstr(p + 1, "run as root to read the PCI config space"));
	assert_null(strstr(x, "only 64 of"));
	assert_null(strstr(x, "config file is 64 bytes"));
	free(x);
	x = run(&st, "--root %s --no-names --fail-on warning --quiet", dir);
	assert_non_null(p = strstr(x, want));
	assert_null(strstr(p + 1, "run as root to read the PCI config space"));
	assert_null(strstr(x, "only 64 of"));
	free(x);

	/* stderr: the one line */
	snprintf(cmd, sizeof(cmd), "%s --root %s --no-names --fail-on never 2>&1 >/dev/null", IA_BIN, dir);
	x = ia_run_capture(cmd, &st);
	assert_non_null(x);
	char line[600];
	snprintf(line, sizeof(line), "iommu-audit: %s\n", want);
	assert_string_equal(x, line);
	free(x);

	/* the JSON keeps a finding per function (fleet tools want them) */
	x = run(&st, "--root %s --no-names --fail-on never --format json", dir);
	int per_function = 0;
	for (const char *q = x; (q = strstr(q, "only 64 of ")); q++)
		per_function++;
	assert_int_equal(per_function, cut);
	free(x);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	free(ia_run_capture(cmd, &st));
}

/* Columns of one line (code points; no SGR: the runs below have no colour). */
static size_t line_cols(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/*
 * Every line of @x (lines end in @eol) fits @width columns, or is one unbreakable unit after its
 * indentation (a BDF, a path, a `command`); no `command` is split (each line holds an even number
 * of backticks).
 */
static void assert_wrapped(const char *x, const char *eol, size_t width)
{
	for (const char *l = x; *l;) {
		const char *e = strstr(l, eol);
		size_t n = e ? (size_t)(e - l) : strlen(l), ticks = 0;
		for (size_t i = 0; i < n; i++)
			ticks += l[i] == '`';
		if (ticks % 2)
			fail_msg("a `command` is split at:\n%.*s", (int)n, l);
		if (line_cols(l, n) > width) {
			size_t k = 0;
			while (k < n && l[k] == ' ')
				k++;
			bool quoted = false;
			for (; k < n; k++) {
				quoted ^= l[k] == '`';
				if (l[k] == ' ' && !quoted)
					fail_msg("line of %zu columns (> %zu) that could break:\n%.*s", line_cols(l, n), width,
						 (int)n, l);
			}
		}
		l += n + (e ? strlen(eol) : 0);
	}
}

/* @x with every run of spaces and line ends made one space: the words, whatever the wrapping. */
static char *words(const char *x)
{
	char *w = malloc(strlen(x) + 1), *o = w;

	assert_non_null(w);
	for (const char *p = x; *p; p++) {
		bool sp = *p == ' ' || *p == '\n' || *p == '\r';
		if (sp && o > w && o[-1] == ' ')
			continue;
		*o++ = sp ? ' ' : *p;
	}
	*o = '\0';
	return w;
}

/*
 * The text reports wrap (issue 14 point 7): to $COLUMNS when not a terminal (80 when unset), to
 * the terminal's width (TIOCGWINSZ) on one, whatever $COLUMNS says; breaks only at spaces, so the
 * words (BDFs, paths) are those of the unwrapped report; continuation lines hang deeper; `commands`
 * stay whole; plan's command lines are never wrapped.
 */
static void test_text_wrap_width(void **state)
{
	char cmd[1200];
	int st;
	(void)state;

	snprintf(cmd, sizeof(cmd), "COLUMNS=1000 %s --root %s --no-names 2>/dev/null", IA_BIN, root_fail);
	char *wide = ia_run_capture(cmd, &st);
	snprintf(cmd, sizeof(cmd), "COLUMNS=60 %s --root %s --no-names 2>/dev/null", IA_BIN, root_fail);
	char *x = ia_run_capture(cmd, &st);
	snprintf(cmd, sizeof(cmd), "unset COLUMNS; %s --root %s --no-names 2>/dev/null", IA_BIN, root_fail);
	char *dflt = ia_run_capture(cmd, &st);
	assert_non_null(wide);
	assert_non_null(x);
	assert_non_null(dflt);
	assert_wrapped(x, "\n", 60);
	assert_wrapped(dflt, "\n", 80);
	/* it did wrap, with a hanging indent under a blocker line */
	assert_true(strlen(x) > strlen(wide));
	assert_non_null(strstr(x, "\n        "));
	char *a = words(wide), *b = words(x), *c = words(dflt);
	assert_string_equal(b, a);
	assert_string_equal(c, a);
	free(a), free(b), free(c);
	free(x), free(dflt), free(wide);

	/* plan: the command lines stay whole even at 20 columns */
	snprintf(cmd, sizeof(cmd), "COLUMNS=20 %s plan 0000:00:00.0 --root %s 2>/dev/null", IA_BIN, root_fail);
	x = ia_run_capture(cmd, &st);
	assert_non_null(x);
	assert_non_null(strstr(x, "\n  echo vfio-pci > /sys/bus/pci/devices/0000:00:00.0/driver_override\n"));
	assert_non_null(strstr(x, "\n  driverctl set-override 0000:00:00.0 vfio-pci\n"));
	free(x);

	/* a terminal of 50 columns: its width, not $COLUMNS */
	int master;
	struct winsize ws = { .ws_row = 24, .ws_col = 50 };
	pid_t pid = forkpty(&master, NULL, NULL, &ws);
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("NO_COLOR", "1", 1);
		setenv("COLUMNS", "1000", 1);
		execl(IA_BIN, IA_BIN, "--root", root_fail, "--no-names", (char *)NULL);
		_exit(127);
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		ssize_t r = read(master, buf + len, cap - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	buf[len] = 0;
	close(master);
	waitpid(pid, &st, 0);
	assert_wrapped(buf, "\r\n", 50);
	assert_non_null(strstr(buf, "\r\n        "));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_threshold),
		cmocka_unit_test(test_junit_structure),
		cmocka_unit_test(test_junit_escaping),
		cmocka_unit_test(test_json_invalid_utf8),
		cmocka_unit_test(test_text_filter_strict),
		cmocka_unit_test(test_json_unit_devices),
		cmocka_unit_test(test_json_kernel_upstream),
		cmocka_unit_test(test_json_numbers),
		cmocka_unit_test(test_json_long_text),
		cmocka_unit_test(test_json_layout_is_jansson),
		cmocka_unit_test(test_json_write_error),
		cmocka_unit_test(test_nfd_labels),
		cmocka_unit_test(test_text_verdict_first_and_color),
		cmocka_unit_test(test_rules_man),
		cmocka_unit_test(test_exit_0),
		cmocka_unit_test(test_one_verdict),
		cmocka_unit_test(test_exit_1),
		cmocka_unit_test(test_exit_2),
		cmocka_unit_test(test_exit_3),
		cmocka_unit_test(test_color_tty),
		cmocka_unit_test(test_text_fix_order),
		cmocka_unit_test(test_text_unprivileged_once),
		cmocka_unit_test(test_text_wrap_width),
	};
	return cmocka_run_group_tests(tests, setup_roots, teardown_roots);
}
