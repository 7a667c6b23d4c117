// SPDX-License-Identifier: GPL-2.0-or-later
// Selectors as lspci has them (issue 14 item 6, src/cli/select.c): -s and -d parsed and matched by
// pciutils' own filter, the partial forms; the view that keeps the selected groups whole with
// their verdict; the commands' headers, exit statuses and 5-digit (Intel VMD) domains end to end.
#include "testutil.h"
#include "model_build.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/select.h"
#include "reports/report.h"

#define KKA IA_SOURCE_DIR "/tests/fixtures/kernel-known-answers"
#define CAPTURE KKA "/x86-intel-acs/run-6.12/snapshot.tar.gz"
#define HELP "; see `iommu-audit --help`\n"

/* A function as the collector stores it. */
static struct ia_dev dev(uint32_t dom, uint8_t bus, uint8_t d, uint8_t fn, uint16_t ven, uint16_t id, uint32_t cls)
{
	struct ia_dev x = { .domain = dom, .bus = bus, .dev = d, .fn = fn, .has_ids = true, .vendor = ven,
			    .device = id, .has_class = true, .class_code = cls };
	snprintf(x.bdf, sizeof(x.bdf), "%04x:%02x:%02x.%u", dom, bus, d, fn);
	return x;
}

/* lspci's partial forms, each against functions that must and must not match. */
static void test_match_partial_forms(void **state)
{
	static const struct {
		const char *s, *d;       /* -s, -d (NULL: not given) */
		int want[6];             /* for each function of fns[] below */
	} c[] = {
		{ "3b:", NULL,              { 0, 1, 1, 0, 0, 0 } },   /* bus 3b in any domain */
		{ ".1", NULL,               { 0, 0, 1, 0, 0, 1 } },   /* function 1 anywhere */
		{ "3b:00", NULL,            { 0, 1, 1, 0, 0, 0 } },
		{ "0001:3b:00.0", NULL,     { 0, 0, 0, 0, 0, 0 } },   /* another domain */
		{ "10000:e0:06.0", NULL,    { 0, 0, 0, 1, 0, 0 } },   /* Intel VMD: 5-digit domain */
		{ "10000::", NULL,          { 0, 0, 0, 1, 1, 0 } },   /* a whole VMD domain */
		{ "1f.", NULL,              { 1, 0, 0, 0, 0, 1 } },   /* device 1f, any function */
		{ "*:*.*", NULL,            { 1, 1, 1, 1, 1, 1 } },
		{ NULL, "8086:",            { 1, 1, 0, 1, 0, 1 } },   /* vendor only */
		{ NULL, ":1533",            { 0, 1, 0, 0, 0, 0 } },   /* device only */
		{ NULL, "::0200",           { 0, 1, 1, 0, 0, 0 } },   /* class: Ethernet */
		{ NULL, "::01",             { 0, 0, 0, 0, 0, 0 } },   /* base class 01 alone is class 0001 */
		{ NULL, "::01xx",           { 0, 0, 0, 1, 1, 0 } },   /* any mass storage (x: wildcard digit) */
		{ NULL, "::0c03:30",        { 1, 0, 0, 0, 0, 0 } },   /* class and programming interface */
		{ NULL, "::0c03:20",        { 0, 0, 0, 0, 0, 0 } },
		{ "3b:", "8086:",           { 0, 1, 0, 0, 0, 0 } },   /* both must match */
	};
	struct ia_dev fns[6] = {
		dev(0, 0x00, 0x1f, 0, 0x8086, 0xa36d, 0x0c0330),   /* xHCI */
		dev(0, 0x3b, 0x00, 0, 0x8086, 0x1533, 0x020000),   /* I210 */
		dev(0, 0x3b, 0x00, 1, 0x14e4, 0x165f, 0x020000),   /* BCM5720 port 2 */
		dev(0x10000, 0xe0, 0x06, 0, 0x8086, 0x0b60, 0x010802), /* NVMe behind a VMD */
		dev(0x10000, 0xe1, 0x00, 0, 0x144d, 0xa808, 0x010802),
		dev(0, 0x00, 0x1f, 1, 0x8086, 0xa323, 0x0c0500),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct ia_select s = {0};
		char err[128];
		if (c[i].s)
			assert_int_equal(ia_select_parse(&s, 's', c[i].s, err, sizeof(err)), 0);
		if (c[i].d)
			assert_int_equal(ia_select_parse(&s, 'd', c[i].d, err, sizeof(err)), 0);
		assert_true(s.active);
		for (size_t k = 0; k < 6; k++)
			if (ia_select_match(&s, &fns[k]) != c[i].want[k])
				fail_msg("-s %s -d %s on %s: %d, want %d", c[i].s ? c[i].s : "-", c[i].d ? c[i].d : "-",
					 fns[k].bdf, ia_select_match(&s, &fns[k]), c[i].want[k]);
	}
	/* the expression the headers print, as given */
	struct ia_select s = {0};
	char err[128];
	assert_int_equal(ia_select_parse(&s, 'd', "8086:", err, sizeof(err)), 0);
	assert_int_equal(ia_select_parse(&s, 's', ".1", err, sizeof(err)), 0);
	assert_string_equal(s.expr, "-d 8086: -s .1");
	/* unreadable IDs or class: unknown (-1), never matched; the address still decides -s alone */
	struct ia_dev blind = dev(0, 0x3b, 0, 0, 0x8086, 0x1533, 0x020000);
	blind.has_ids = false;
	blind.has_class = false;
	assert_int_equal(ia_select_match(&s, &blind), -1);
	struct ia_select by_slot = {0};
	assert_int_equal(ia_select_parse(&by_slot, 's', "3b:00.0", err, sizeof(err)), 0);
	assert_int_equal(ia_select_match(&by_slot, &blind), 1);
}

/* What libpci refuses, with its own words; a second -s. */
static void test_parse_errors(void **state)
{
	static const struct { char opt; const char *arg, *msg; } c[] = {
		{ 's', "3b:zz", "Invalid slot number" },
		{ 's', "100:00.0", "Invalid bus number" },
		{ 's', "00:20.0", "Invalid slot number" },
		{ 's', "00:00.8", "Invalid function number" },
		{ 's', "80000000:00:00.0", "Invalid domain number" },
		{ 's', "1:2:3:4", "Too many fields" },
		{ 'd', "8086", "At least two fields must be given" },
		{ 'd', "10000:", "Invalid vendor ID" },
		{ 'd', "8086:1533:zz", "Invalid class code" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct ia_select s = {0};
		char err[128] = "";
		assert_int_equal(ia_select_parse(&s, c[i].opt, c[i].arg, err, sizeof(err)), -EINVAL);
		if (strcmp(err, c[i].msg))
			fail_msg("-%c %s: \"%s\", want \"%s\"", c[i].opt, c[i].arg, err, c[i].msg);
		assert_false(s.active);
	}
	struct ia_select s = {0};
	char err[128];
	assert_int_equal(ia_select_parse(&s, 's', "3b:", err, sizeof(err)), 0);
	assert_int_equal(ia_select_parse(&s, 's', "3c:", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "given twice");
	assert_string_equal(s.expr, "-s 3b:");
}

/*
 * The view on a model built in memory: group 1 holds two functions of slot 3b:00 (one bound to a
 * host driver: not viable, an error), group 2 one clean vfio-pci function. Selecting 3b:00.1 shows
 * group 1 whole (3b:00.0 too) and fails; selecting group 2's function passes although the host fails.
 */
static void test_view_keeps_groups_whole(void **state)
{
	struct ia_audit *a = mb_new();

	(void)state;
	mb_unit(a, "dmar0", "vt-d");
	mb_dev(a, "0000:3b:00.0", NULL)->driver = strdup("e1000e");
	mb_dev(a, "0000:3b:00.1", NULL)->driver = strdup("vfio-pci");
	mb_dev(a, "0000:5e:00.0", NULL)->driver = strdup("vfio-pci");
	mb_group(a, 1, "DMA", "0000:3b:00.0", "0000:3b:00.1", NULL);
	mb_group(a, 2, "DMA", "0000:5e:00.0", NULL);
	mb_irq(a, "IR-PCI-MSIX-0000:5e:00.0", "IR", "0000:5e:00.0");
	mb_finish(a);
	assert_int_equal(mb_run(a, NULL), 0);
	const struct ia_result *r = mb_result(a);
	assert_int_equal(mb_find_finding(a, "group.not-viable", "group 1")->level, IA_LEVEL_ERROR);

	struct ia_select s = {0};
	char err[64];
	struct ia_audit va;
	struct ia_result vr;
	struct ia_audit_selection sel;
	assert_int_equal(ia_select_parse(&s, 's', "3b:00.1", err, sizeof(err)), 0);
	assert_int_equal(ia_select_view(a, r, &s, IA_SELECT_KERNEL | IA_SELECT_WHEN_ENABLED, &va, &vr, &sel), 0);
	assert_int_equal(sel.n_matched, 1);
	assert_int_equal(sel.host_devs, 3);
	assert_int_equal(sel.host_iommu_groups, 2);
	assert_int_equal(va.n_groups, 1);
	assert_int_equal(va.groups[0].id, 1);
	assert_int_equal(va.n_devs, 2);                    /* the whole group, not only the match */
	assert_string_equal(va.devs[0].bdf, "0000:3b:00.0");
	assert_true(vr.verdict.fails);
	assert_int_equal(vr.n_groups, 1);
	assert_int_equal(vr.groups[0].userspace_assignable, IA_NO);
	/* each blocker links its finding in the view's own numbering */
	for (size_t b = 0; b < vr.groups[0].n_blockers; b++)
		if (vr.groups[0].blockers[b].finding != IA_NO_FINDING)
			assert_true(vr.groups[0].blockers[b].finding < vr.n_findings);
	char *line = ia_report_selection_line(&va);
	assert_string_equal(line, "selection (-s 3b:00.1): 1 of the host's 3 PCI functions matched; shown: the 1 IOMMU "
				  "group holding them, whole (2 functions), and the host-wide findings; the verdict and the "
				  "counts are those of what is shown");
	free(line);
	ia_select_view_free(&va, &vr);

	/* group 2 alone: group 1's finding is left out, the verdict passes */
	struct ia_select s2 = {0};
	assert_int_equal(ia_select_parse(&s2, 's', "5e:", err, sizeof(err)), 0);
	assert_int_equal(ia_select_view(a, r, &s2, IA_SELECT_KERNEL | IA_SELECT_WHEN_ENABLED, &va, &vr, &sel), 0);
	assert_int_equal(va.n_groups, 1);
	assert_int_equal(va.groups[0].id, 2);
	for (size_t i = 0; i < vr.n_findings; i++)
		if (!strcmp(vr.findings[i].subject, "group 1") || strstr(vr.findings[i].subject, "3b:00"))
			fail_msg("finding about what is not shown: %s %s", vr.findings[i].rule, vr.findings[i].subject);
	assert_false(vr.verdict.fails);
	assert_int_equal(vr.verdict.exit_status, 0);
	assert_int_equal(vr.groups[0].userspace_assignable, IA_YES);
	ia_select_view_free(&va, &vr);

	/* no match: -ENOENT, nothing to free */
	struct ia_select s3 = {0};
	assert_int_equal(ia_select_parse(&s3, 'd', "1234:", err, sizeof(err)), 0);
	assert_int_equal(ia_select_view(a, r, &s3, IA_SELECT_KERNEL | IA_SELECT_WHEN_ENABLED, &va, &vr, &sel), -ENOENT);
	assert_int_equal(sel.n_matched, 0);
	ia_select_view_free(&va, &vr);
	mb_free(a);
}

/* End to end on a capture: the header words, the groups shown, the verdict and exit status of the
 * selection; the long forms; no match is a usage error (exit 2). */
static void test_cli_selectors(void **state)
{
	int st;
	char *out;

	(void)state;
	/* the whole host fails (an isolation domain behind the switch at bus 02) */
	free(ia_run_tool("--snapshot " CAPTURE " --no-names", &st));
	assert_int_equal(st, 1);
	/* the I210-like 01:00.0 alone: its group passes, and so does the audit */
	out = ia_run_tool("--snapshot " CAPTURE " --no-names -d 8086:10d3", &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "\n  kernel 6.12.117+deb12-amd64 (x86_64); IOMMU active: yes (1 unit, 14 groups); 21 PCI functions\n"
				    "  selection (-d 8086:10d3): 1 of the host's 21 PCI functions matched; shown: the 1 IOMMU group "
				    "holding them, whole (1 function), and the host-wide findings; the verdict and the counts are "
				    "those of what is shown\n"));
	assert_non_null(strstr(out, "\nVERDICT: PASS: no finding reaches --fail-on error\n  1 of 1 IOMMU group can be safely"));
	assert_non_null(strstr(out, "\nIOMMU group 8: assignable to userspace"));
	assert_null(strstr(out, "IOMMU group 11"));
	assert_null(strstr(out, "isolation.p2p-domain"));
	free(out);
	/* bus 3 (both downstream ports of the switch): their groups whole, endpoints included, and the
	 * isolation domain that fails them */
	out = ia_run_tool("--snapshot " CAPTURE " --no-names --slot 3:", &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "\n  selection (-s 3:): 2 of the host's 21 PCI functions matched; shown: the 2 IOMMU groups"));
	assert_non_null(strstr(out, "\nIOMMU group 10: NOT assignable"));
	assert_non_null(strstr(out, "\nIOMMU group 11: NOT assignable"));
	assert_non_null(strstr(out, "    0000:04:00.0 [1b36:0010]"));
	assert_non_null(strstr(out, "[isolation.p2p-domain]"));
	assert_null(strstr(out, "IOMMU group 8:"));
	free(out);
	/* groups: the selection line first, then only the selected groups */
	out = ia_run_tool("groups --snapshot " CAPTURE " --no-names -s 00:1f --fail-on never", &st);
	assert_int_equal(st, 0);
	assert_true(!strncmp(out, "selection (-s 00:1f): 3 of the host's 21 PCI functions matched; shown: the 1 IOMMU "
				  "group holding them, whole (3 functions)", 103));
	assert_non_null(strstr(out, "\nIOMMU group 7:\n    0000:00:1f.0"));
	assert_null(strstr(out, "IOMMU group 6:"));
	free(out);
	/* JSON: host.selection and the summary of what is shown */
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s --snapshot %s --format json --device ::0200 --fail-on never > sel.json",
		 ia_scratch, IA_BIN, CAPTURE);
	assert_int_equal(system(cmd), 0);
	json_error_t e;
	json_t *j = json_load_file(ia_sp("sel.json"), 0, &e);
	assert_non_null(j);
	json_t *sel = json_object_get(json_object_get(j, "host"), "selection");
	assert_string_equal(json_string_value(json_object_get(sel, "selector")), "-d ::0200");
	assert_int_equal(json_integer_value(json_object_get(sel, "matched_functions")), 4);
	assert_int_equal(json_integer_value(json_object_get(sel, "host_functions")), 21);
	json_t *sum = json_object_get(j, "summary");
	assert_int_equal(json_integer_value(json_object_get(sum, "groups")),
			 json_integer_value(json_object_get(sel, "shown_iommu_groups")));
	assert_int_equal(json_integer_value(json_object_get(sum, "devices")), json_array_size(json_object_get(j, "devices")));
	json_decref(j);
	/* the whole host's JSON has no "selection" */
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s --snapshot %s --format json --fail-on never > all.json", ia_scratch,
		 IA_BIN, CAPTURE);
	assert_int_equal(system(cmd), 0);
	j = json_load_file(ia_sp("all.json"), 0, &e);
	assert_non_null(j);
	assert_null(json_object_get(json_object_get(j, "host"), "selection"));
	json_decref(j);

	/* usage errors: one line, exit 2 */
	static const struct { const char *args, *line; } c[] = {
		{ "--snapshot " CAPTURE " -s 7f:", "iommu-audit: -s 7f: matches none of the 21 PCI functions\n" },
		{ "groups --snapshot " CAPTURE " -d 4321:", "iommu-audit: -d 4321: matches none of the 21 PCI functions\n" },
		{ "plan --snapshot " CAPTURE " -s .7", "iommu-audit plan: -s .7 matches none of the 21 PCI functions\n" },
		{ "-s 3b:zz", "iommu-audit: -s 3b:zz: Invalid slot number (lspci's [[[[DDDD]:]BB]:][DD][.[F]])" HELP },
		{ "-d 8086", "iommu-audit: -d 8086: At least two fields must be given (lspci's [VVVV]:[DDDD][:CCCC])" HELP },
		{ "-s 3b: -s 3c:", "iommu-audit: -s 3c:: given twice (lspci's [[[[DDDD]:]BB]:][DD][.[F]])" HELP },
		{ "-s 3b: --format nfd", "iommu-audit: -s 3b: selects part of the host; NFD labels describe the whole node" HELP },
		{ "-s 3b: --also nfd=labels", "iommu-audit: -s 3b: selects part of the host; NFD labels (--also nfd=) describe "
		  "the whole node" HELP },
		{ "diff a b -s 3b:", "iommu-audit: `diff` does not take --slot" HELP },
		{ "collect --db x.db -d 8086:", "iommu-audit: `collect` does not take --device" HELP },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		out = ia_run_tool(c[i].args, &st);
		if (st != 2 || strcmp(out, c[i].line))
			fail_msg("iommu-audit %s: exit %d (want 2), said:\n%s\nwant:\n%s", c[i].args, st, out, c[i].line);
		free(out);
	}
}

/* The IOMMU off: the report shows the groups once it is on that hold the matches (bus 3: two
 * downstream ports, each with its endpoint), not the current-state prediction, which on this host
 * is one group of 15 functions (ACS not enabled); `groups --predicted` shows that one, whole. */
static void test_view_iommu_off(void **state)
{
	int st;
	char *out;

	(void)state;
	ia_require_fixtures();
	out = ia_run_tool("--snapshot " IA_SHARED_DIR "/fixtures/kernel-known-answers/x86-intel-acs-iommu-off/run-6.12/snapshot.tar.gz"
		  " --no-names -s 3:", &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "\n  selection (-s 3:): 2 of the host's 21 PCI functions matched; shown: the 0 IOMMU "
				    "groups holding them, whole (4 functions)"));
	assert_non_null(strstr(out, "the kernel would form 2 IOMMU groups; 2 of them hold"));
	assert_non_null(strstr(out, "\nPCI functions in no IOMMU group (4): no IOMMU is active\n"));
	free(out);
	out = ia_run_tool("groups --predicted --snapshot " IA_SHARED_DIR "/fixtures/kernel-known-answers/x86-intel-acs-iommu-off/"
		  "run-6.12/snapshot.tar.gz --no-names -s 3:", &st);
	assert_non_null(strstr(out, "whole (15 functions)"));
	assert_non_null(strstr(out, "\npredicted group 0: multifunction slot 0000:00:02 without ACS"));
	assert_null(strstr(out, "predicted group 1"));
	free(out);
}

/* `plan -d`: the matched functions are the devices planned (with the operands). */
static void test_plan_selector(void **state)
{
	int st;
	char *out;

	(void)state;
	out = ia_run_tool("plan -d 8086:10d3 --snapshot " CAPTURE, &st);
	assert_int_equal(st, 0);
	assert_true(!strncmp(out, "Plan to give userspace (vfio-pci): 0000:01:00.0\n", 48));
	free(out);
	/* an operand and a selector naming the same function: planned once */
	out = ia_run_tool("plan 01:00.0 -s 01:00.0 --snapshot " CAPTURE, &st);
	assert_int_equal(st, 0);
	assert_true(!strncmp(out, "Plan to give userspace (vfio-pci): 0000:01:00.0\n", 48));
	free(out);
}

/* A scratch tree with an Intel VMD domain (10000): two functions in one group; plan names it with
 * its 5-digit domain, and -s selects it in the audit and in `groups`. */
static void test_vmd_domain(void **state)
{
	static uint8_t cfg[256];
	int st;
	char args[1024];

	(void)state;
	cfg[0] = 0x86; cfg[1] = 0x80; cfg[2] = 0x60; cfg[3] = 0x0b; cfg[0x0a] = 0x08; cfg[0x0b] = 0x01;
	ia_mk_text("root/proc/cmdline", "quiet\n");
	ia_mk_text("root/proc/version", "Linux version 6.12.0-vmd (gcc) #1 SMP\n");
	static const char *const fns[] = { "10000:e0:06.0", "10000:e1:00.0", "0000:00:0e.0" };
	for (size_t i = 0; i < 3; i++) {
		char rel[256], target[256];
		const char *hb = i < 2 ? "pci10000:e0" : "pci0000:00";
		snprintf(rel, sizeof(rel), "root/sys/devices/%s/%s/config", hb, fns[i]);
		ia_mk_file(rel, cfg, sizeof(cfg));
		snprintf(rel, sizeof(rel), "root/sys/bus/pci/devices/%s", fns[i]);
		snprintf(target, sizeof(target), "../../../devices/%s/%s", hb, fns[i]);
		ia_mk_link(rel, target);
		snprintf(rel, sizeof(rel), "root/sys/devices/%s/%s/iommu_group", hb, fns[i]);
		ia_mk_link(rel, i < 2 ? "../../../kernel/iommu_groups/4" : "../../../kernel/iommu_groups/5");
	}
	ia_mk_text("root/sys/kernel/iommu_groups/4/type", "DMA\n");
	ia_mk_text("root/sys/kernel/iommu_groups/4/reserved_regions", "");
	ia_mk_dir("root/sys/kernel/iommu_groups/4/devices/");
	ia_mk_link("root/sys/kernel/iommu_groups/4/devices/10000:e0:06.0", "../../../../devices/pci10000:e0/10000:e0:06.0");
	ia_mk_link("root/sys/kernel/iommu_groups/4/devices/10000:e1:00.0", "../../../../devices/pci10000:e0/10000:e1:00.0");
	ia_mk_text("root/sys/kernel/iommu_groups/5/type", "DMA\n");
	ia_mk_text("root/sys/kernel/iommu_groups/5/reserved_regions", "");
	ia_mk_dir("root/sys/kernel/iommu_groups/5/devices/");
	ia_mk_link("root/sys/kernel/iommu_groups/5/devices/0000:00:0e.0", "../../../../devices/pci0000:00/0000:00:0e.0");

	/* plan with the VMD's 5-digit domain (upper case as typed), and the group's other member */
	snprintf(args, sizeof(args), "plan 10000:E0:06.0 --root %s", ia_sp("root"));
	char *out = ia_run_tool(args, &st);
	if (strncmp(out, "Plan to give userspace (vfio-pci): 10000:e0:06.0\n", 49))
		fail_msg("plan 10000:E0:06.0 (exit %d):\n%s", st, out);
	assert_non_null(strstr(out, "group 4: 10000:e0:06.0 10000:e1:00.0"));
	free(out);
	/* -s with a 5-digit domain: that group whole, not group 5 */
	snprintf(args, sizeof(args), "groups -s 10000:e1: --root %s --no-names --fail-on never", ia_sp("root"));
	out = ia_run_tool(args, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "selection (-s 10000:e1:): 1 of the host's 3 PCI functions matched; shown: the 1 "
				    "IOMMU group holding them, whole (2 functions)"));
	assert_non_null(strstr(out, "\nIOMMU group 4:\n    10000:e0:06.0 [8086:0b60]"));
	assert_non_null(strstr(out, "\n    10000:e1:00.0 [8086:0b60]"));
	assert_null(strstr(out, "0000:00:0e.0"));
	free(out);
	snprintf(args, sizeof(args), "plan -s 10000:e0:06.0 --root %s --format json", ia_sp("root"));
	out = ia_run_tool(args, &st);
	assert_non_null(strstr(out, "\"10000:e0:06.0\""));
	free(out);
}

/*
 * Dumps stand alone (issue 14 item 4): --lspci-dump, --acpidump without a root are a host of their
 * own: the header names the dumps, nothing of the machine running the test (its kernel release,
 * command line, groups, interrupts) enters, what needs the kernel is unknown, never "no IOMMU".
 */
static void test_dump_alone(void **state)
{
	const char *dump = IA_SHARED_DIR "/fixtures/pcihex-asus-p6t6-x58-full-tree/lspci-vvvxxxx.txt";
	const char *acpi = IA_SHARED_DIR "/fixtures/dmar-asus-z690-hero/acpidump.txt";
	char args[2048], want[2048], release[256] = "";
	int st;

	(void)state;
	ia_require_fixtures();
	FILE *u = popen("uname -r", "r");
	assert_non_null(u);
	assert_non_null(fgets(release, sizeof(release), u));
	pclose(u);
	release[strcspn(release, "\n")] = '\0';

	/* TMPDIR: the empty root made for the dumps is removed after */
	snprintf(args, sizeof(args), "--lspci-dump %s --no-names --fail-on never", dump);
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "cd '%s' && TMPDIR='%s' %s %s 2>&1", ia_scratch, ia_scratch, IA_BIN, args);
	char *out = ia_run_capture(cmd, &st);
	assert_non_null(out);
	assert_int_equal(st, 0);
	snprintf(want, sizeof(want), "iommu-audit 0.1.0: lspci dump %s\n  no kernel among the inputs: its release, whether "
		 "an IOMMU is active, the IOMMU groups, drivers and interrupts are unknown; 53 PCI functions\n", dump);
	if (strncmp(out, want, strlen(want)))
		fail_msg("header:\n%.*s\nwant:\n%s", (int)strlen(want), out, want);
	if (strstr(out, release))
		fail_msg("the running kernel's release %s is in the report of a dump", release);
	assert_null(strstr(out, "live host"));
	assert_null(strstr(out, "No IOMMU is active"));
	assert_null(strstr(out, "no IOMMU is active"));
	assert_null(strstr(out, "[collect.unreadable]"));
	assert_null(strstr(out, "driver=(none)"));      /* a dump says nothing of drivers */
	assert_non_null(strstr(out, "\nPCI functions (53; the dumps hold no IOMMU groups)\n"));
	assert_non_null(strstr(out, "host.iommu-inactive: not evaluated: the dumps hold no kernel state"));
	free(out);
	snprintf(cmd, sizeof(cmd), "ls -a '%s' | grep -c iommu-audit-dumps", ia_scratch);
	out = ia_run_capture(cmd, &st);
	assert_string_equal(out, "0\n");
	free(out);

	/* JSON: no root, the inputs, every kernel fact null, IOMMU activity unknown */
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s --lspci-dump %s --format json --fail-on never > dump.json", ia_scratch,
		 IA_BIN, dump);
	assert_int_equal(system(cmd), 0);
	json_error_t e;
	json_t *j = json_load_file(ia_sp("dump.json"), 0, &e);
	assert_non_null(j);
	json_t *h = json_object_get(j, "host");
	assert_true(json_is_null(json_object_get(h, "root")));
	assert_true(json_is_null(json_object_get(h, "kernel")));
	assert_true(json_is_null(json_object_get(h, "cmdline")));
	snprintf(want, sizeof(want), "lspci dump %s", dump);
	assert_string_equal(json_string_value(json_object_get(h, "inputs")), want);
	assert_true(json_is_null(json_object_get(json_object_get(json_object_get(j, "platform"), "iommu"), "kernel_active")));
	json_decref(j);

	/* plan: unknown (fail closed), not "no IOMMU is active" */
	snprintf(args, sizeof(args), "plan 00:14.0 --lspci-dump %s", dump);
	out = ia_run_tool(args, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "host [host.iommu-inactive] (unknown: fail closed): the dumps hold no kernel state"));
	assert_non_null(strstr(out, "0000:00:14.0  (unknown)    -> vfio-pci  requested (its driver is unknown)"));
	free(out);

	/* an acpidump alone: its name in the header, no PCI directory missed, no external-DMA claim */
	snprintf(args, sizeof(args), "--acpidump %s --no-names", acpi);
	out = ia_run_tool(args, &st);
	assert_int_equal(st, 0);
	snprintf(want, sizeof(want), "iommu-audit 0.1.0: acpidump %s\n", acpi);
	assert_true(!strncmp(out, want, strlen(want)));
	assert_null(strstr(out, "[collect.unreadable]"));
	assert_null(strstr(out, "no IOMMU is active"));
	assert_null(strstr(out, release));
	free(out);
	/* a device tree blob alone (compiled from a real .dts when dtc is there) */
	char cmd2[2048];
	snprintf(cmd2, sizeof(cmd2), "command -v dtc >/dev/null && dtc -q -I dts -O dtb -o '%s' '%s'", ia_sp("juno.dtb"),
		 IA_SHARED_DIR "/fixtures/dts-arm-juno-r2/juno-r2.dts");
	if (system(cmd2) == 0) {
		snprintf(args, sizeof(args), "--dtb juno.dtb --no-names");
		out = ia_run_tool(args, &st);
		assert_int_equal(st, 0);
		assert_true(!strncmp(out, "iommu-audit 0.1.0: device tree blob juno.dtb\n  no kernel among the inputs", 73));
		assert_non_null(strstr(out, "\n  IOMMU described by: DT\n"));
		assert_null(strstr(out, "[collect.unreadable]"));
		assert_null(strstr(out, release));
		free(out);
	}
	/* both: one header */
	snprintf(args, sizeof(args), "--lspci-dump %s --acpidump %s --no-names --fail-on never", dump, acpi);
	out = ia_run_tool(args, &st);
	snprintf(want, sizeof(want), "iommu-audit 0.1.0: lspci dump %s, acpidump %s\n", dump, acpi);
	assert_true(!strncmp(out, want, strlen(want)));
	free(out);
}

/* The README's and the man page's examples of -s/-d and of a dump alone, run as written
 * (host.tar.gz the x86-intel-acs capture, dump.txt a real lspci -xxxx dump). */
static void test_documented_examples(void **state)
{
	static const struct { const char *cmd, *says; int status; } ex[] = {
		{ "iommu-audit --snapshot host.tar.gz -d 8086:10d3", "\n  selection (-d 8086:10d3): 1 of the host's 21", 0 },
		{ "iommu-audit --snapshot host.tar.gz groups -s 3:", "selection (-s 3:): 2 of the host's 21", 1 },
		{ "iommu-audit plan -d 8086:10d3 --snapshot host.tar.gz", "Plan to give userspace (vfio-pci): 0000:01:00.0\n", 0 },
		{ "iommu-audit --lspci-dump dump.txt", "iommu-audit 0.1.0: lspci dump dump.txt\n", 1 },
	};
	size_t len;
	char *readme = (char *)ia_slurp(IA_SOURCE_DIR "/README.md", &len);
	char *man = (char *)ia_slurp(IA_SOURCE_DIR "/man/iommu-audit.8", &len);
	int st;

	(void)state;
	ia_require_fixtures();
	assert_non_null(readme);
	assert_non_null(man);
	ia_mk_link("host.tar.gz", CAPTURE);
	ia_mk_link("dump.txt", IA_SHARED_DIR "/fixtures/pcihex-asus-p6t6-x58-full-tree/lspci-vvvxxxx.txt");
	for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		if (!strstr(readme, ex[i].cmd))
			fail_msg("README.md does not show `%s`", ex[i].cmd);
		if (!ia_man_shows(man, ex[i].cmd))
			fail_msg("man/iommu-audit.8 does not show `%s`", ex[i].cmd);
		char *out = ia_run_tool(ex[i].cmd + strlen("iommu-audit "), &st);
		if (st != ex[i].status || !strstr(out, ex[i].says))
			fail_msg("`%s`: exit %d (want %d), said:\n%s", ex[i].cmd, st, ex[i].status, out);
		free(out);
	}
	free(readme);
	free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_partial_forms),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_view_keeps_groups_whole),
		cmocka_unit_test_setup_teardown(test_cli_selectors, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_view_iommu_off, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_plan_selector, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_vmd_domain, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_dump_alone, ia_scratch_setup, ia_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_documented_examples, ia_scratch_setup, ia_scratch_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
