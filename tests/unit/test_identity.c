// SPDX-License-Identifier: GPL-2.0-or-later
// The audited host's identity end to end (issue 14 items 5, 7 and 9): host name, machine-id, DMI,
// CPU model and the audit's time in JSON, JUnit, the text header, snapshots and `diff`; the
// architecture from proc/cpuinfo; the pci.ids names and revision of each function in JSON.
#include "testutil.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/identity.h"

#define DEV1 "sys/devices/pci0000:00/0000:00:01.0"

static const char x86_cpuinfo[] =
	"processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n"
	"model name\t: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz\nflags\t\t: fpu lm\n\n"
	"processor\t: 1\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz\n\n";

/* A tree (under ia_scratch/@dir) of one network function; proc/version names no architecture and
 * there is no proc/sys/kernel/arch. With @ident, the identity files with BIOS version @bios. */
static void build_root(const char *dir, bool ident, const char *bios)
{
	static uint8_t cfg[256];
	char rel[512];

	cfg[0] = 0x86; cfg[1] = 0x80; cfg[2] = 0x10; cfg[3] = 0x9d; cfg[8] = 0x05; cfg[0x0b] = 0x02;
#define P(x) (snprintf(rel, sizeof(rel), "%s/%s", dir, x), rel)
	ia_mk_text(P("proc/cmdline"), "BOOT_IMAGE=/vmlinuz quiet\n");
	ia_mk_text(P("proc/version"), "Linux version 6.12.0-identity (gcc) #1 SMP\n");
	ia_mk_file(P(DEV1 "/config"), cfg, sizeof(cfg));
	ia_mk_text(P(DEV1 "/vendor"), "0x8086\n");
	ia_mk_text(P(DEV1 "/device"), "0x9d10\n");
	ia_mk_text(P(DEV1 "/class"), "0x020000\n");
	ia_mk_link(P("sys/bus/pci/devices/0000:00:01.0"), "../../../devices/pci0000:00/0000:00:01.0");
	if (ident) {
		ia_mk_text(P("proc/sys/kernel/hostname"), "qual-rack7-node3\n");
		ia_mk_text(P("etc/machine-id"), "0123456789abcdef0123456789abcdef\n");
		ia_mk_text(P("proc/cpuinfo"), x86_cpuinfo);
		/* as the kernel has it: sys/class/dmi/id is a link to the dmi device */
		ia_mk_text(P("sys/devices/virtual/dmi/id/sys_vendor"), "Supermicro\n");
		ia_mk_text(P("sys/devices/virtual/dmi/id/product_name"), "SYS-1029P-WTR\n");
		ia_mk_text(P("sys/devices/virtual/dmi/id/product_version"), "0123456789\n");
		ia_mk_text(P("sys/devices/virtual/dmi/id/board_vendor"), "Supermicro\n");
		ia_mk_text(P("sys/devices/virtual/dmi/id/board_name"), "X11DDW-L\n");
		ia_mk_text(P("sys/devices/virtual/dmi/id/bios_vendor"), "American Megatrends Inc.\n");
		ia_mk_text(P("sys/devices/virtual/dmi/id/bios_version"), bios);
		ia_mk_text(P("sys/devices/virtual/dmi/id/bios_date"), "10/15/2021\n");
		ia_mk_link(P("sys/class/dmi/id"), "../../devices/virtual/dmi/id");
	}
#undef P
}

/* Run iommu-audit with @args (a shell fragment) under SOURCE_DATE_EPOCH=1700000000; stdout into
 * ia_scratch/@out; the exit status returned. */
static int run_tool(const char *args, const char *out)
{
	char cmd[4096];
	int status = -1;

	snprintf(cmd, sizeof(cmd), "SOURCE_DATE_EPOCH=1700000000 %s %s >%s 2>%s; echo $?", IA_BIN, args, ia_sp(out),
		 ia_sp("err.txt"));
	char *o = ia_run_capture(cmd, &status);
	assert_non_null(o);
	int rc = atoi(o);
	free(o);
	return rc;
}

static json_t *load_json(const char *rel)
{
	json_error_t e;
	json_t *j = json_load_file(ia_sp(rel), 0, &e);

	if (!j)
		fail_msg("%s is not JSON: %s (line %d)", rel, e.text, e.line);
	return j;
}

static char *slurp_text(const char *rel)
{
	size_t len = 0;
	char *s = (char *)ia_slurp(ia_sp(rel), &len);

	assert_non_null(s);
	return s;
}

static const char *host_str(json_t *j, const char *key)
{
	return json_string_value(json_object_get(json_object_get(j, "host"), key));
}

static const char *dmi_str(json_t *j, const char *key)
{
	return json_string_value(json_object_get(json_object_get(json_object_get(j, "host"), "dmi"), key));
}

/* @got (a JSON string value, NULL when absent or not a string) is @want; a missing value fails
 * with a message instead of cmocka's NULL dereference. */
#define expect_str(got, want) expect_str_((got), (want), #got, __LINE__)
static void expect_str_(const char *got, const char *want, const char *what, int line)
{
	if (!got)
		fail_msg("line %d: %s is absent or not a string (want \"%s\")", line, what, want);
	if (strcmp(got, want))
		fail_msg("line %d: %s is \"%s\", want \"%s\"", line, what, got, want);
}

static void expect_contains(const char *text, const char *want, const char *what)
{
	if (!strstr(text, want))
		fail_msg("%s: no \"%s\" in:\n%.3000s", what, want, text);
}

/* ---- the decoder ------------------------------------------------------------------------- */

static void test_cpuinfo_decoder(void **state)
{
	char txt[2048], model[256];
	const char *arch;

	(void)state;
	/* x86_64: the model once, whatever the CPU count */
	snprintf(txt, sizeof(txt), "%s", x86_cpuinfo);
	ia_identity_cpuinfo(txt, model, sizeof(model), &arch);
	assert_string_equal(model, "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz");
	assert_string_equal(arch, "x86_64");
	/* a 32-bit x86 kernel prints fdiv_bug: the model, no architecture guessed */
	snprintf(txt, sizeof(txt), "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD Athlon\nfdiv_bug\t: no\n");
	ia_identity_cpuinfo(txt, model, sizeof(model), &arch);
	assert_string_equal(model, "AMD Athlon");
	assert_null(arch);
	/* arm64 big.LITTLE: each core type named once, in order */
	snprintf(txt, sizeof(txt),
		 "processor\t: 0\nBogoMIPS\t: 48.00\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\n"
		 "CPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd08\nCPU revision\t: 2\n\n"
		 "processor\t: 1\nCPU implementer\t: 0x41\nCPU part\t: 0xd03\n\n"
		 "processor\t: 2\nCPU implementer\t: 0x41\nCPU part\t: 0xd08\n\n"
		 "processor\t: 3\nCPU implementer\t: 0x51\nCPU part\t: 0x801\n");
	ia_identity_cpuinfo(txt, model, sizeof(model), &arch);
	assert_string_equal(model, "Arm Cortex-A72; Arm Cortex-A53; CPU implementer 0x51 part 0x801");
	assert_string_equal(arch, "aarch64");
	/* a 32-bit Arm kernel: "model name" and "Hardware"; no architecture guessed */
	snprintf(txt, sizeof(txt), "processor\t: 0\nmodel name\t: ARMv7 Processor rev 4 (v7l)\n"
		 "CPU implementer\t: 0x41\nCPU architecture: 7\nCPU part\t: 0xd03\n\nHardware\t: BCM2835\n");
	ia_identity_cpuinfo(txt, model, sizeof(model), &arch);
	assert_string_equal(model, "ARMv7 Processor rev 4 (v7l)");
	assert_null(arch);
	/* nothing it knows */
	snprintf(txt, sizeof(txt), "processor\t: 0\nisa\t\t: rv64imafdc\n");
	ia_identity_cpuinfo(txt, model, sizeof(model), &arch);
	assert_string_equal(model, "");
	assert_null(arch);
	/* machine-id(5) */
	assert_true(ia_identity_machine_id_ok("0123456789abcdef0123456789abcdef"));
	assert_false(ia_identity_machine_id_ok("0123456789ABCDEF0123456789abcdef"));
	assert_false(ia_identity_machine_id_ok("0123456789abcdef"));
	assert_false(ia_identity_machine_id_ok("uninitialized"));
}

/* ---- reports ---------------------------------------------------------------------------- */

/* Every report names the captured host, and the audit's time is this run's (SOURCE_DATE_EPOCH). */
static void test_identity_reports(void **state)
{
	char args[1024];

	(void)state;
	build_root("root", true, "3.4a\n");
	snprintf(args, sizeof(args), "--root %s --format json --no-names --fail-on never", ia_sp("root"));
	assert_int_equal(run_tool(args, "out.json"), 0);
	json_t *j = load_json("out.json");
	expect_str(host_str(j, "hostname"), "qual-rack7-node3");
	expect_str(host_str(j, "machine_id"), "0123456789abcdef0123456789abcdef");
	assert_true(json_is_true(json_object_get(json_object_get(json_object_get(j, "host"), "dmi"), "present")));
	expect_str(dmi_str(j, "sys_vendor"), "Supermicro");
	expect_str(dmi_str(j, "product_name"), "SYS-1029P-WTR");
	expect_str(dmi_str(j, "product_version"), "0123456789");
	expect_str(dmi_str(j, "board_vendor"), "Supermicro");
	expect_str(dmi_str(j, "board_name"), "X11DDW-L");
	expect_str(dmi_str(j, "bios_vendor"), "American Megatrends Inc.");
	expect_str(dmi_str(j, "bios_version"), "3.4a");
	expect_str(dmi_str(j, "bios_date"), "10/15/2021");
	expect_str(host_str(j, "cpu_model"), "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz");
	expect_str(host_str(j, "audited_at"), "2023-11-14T22:13:20Z");
	/* issue 14 item 7: no proc/sys/kernel/arch and no hint in proc/version: proc/cpuinfo's layout */
	expect_str(host_str(j, "arch"), "x86_64");
	json_decref(j);

	/* the text header: one line with board and BIOS */
	snprintf(args, sizeof(args), "--root %s --no-names --fail-on never", ia_sp("root"));
	assert_int_equal(run_tool(args, "out.txt"), 0);
	char *t = slurp_text("out.txt");
	expect_contains(t, "  kernel 6.12.0-identity (x86_64); IOMMU active: no", "text");
	expect_contains(t, "\n  board: Supermicro X11DDW-L (system Supermicro SYS-1029P-WTR 0123456789); "
			"BIOS American Megatrends Inc. 3.4a 10/15/2021\n", "text");
	free(t);

	/* JUnit properties */
	snprintf(args, sizeof(args), "--root %s --format junit --no-names --fail-on never", ia_sp("root"));
	assert_int_equal(run_tool(args, "out.xml"), 0);
	t = slurp_text("out.xml");
	expect_contains(t, "<properties>", "junit");
	expect_contains(t, "<property name=\"hostname\" value=\"qual-rack7-node3\"/>", "junit");
	expect_contains(t, "<property name=\"machine_id\" value=\"0123456789abcdef0123456789abcdef\"/>", "junit");
	expect_contains(t, "<property name=\"dmi.board_name\" value=\"X11DDW-L\"/>", "junit");
	expect_contains(t, "<property name=\"dmi.bios_version\" value=\"3.4a\"/>", "junit");
	expect_contains(t, "<property name=\"dmi.bios_date\" value=\"10/15/2021\"/>", "junit");
	expect_contains(t, "<property name=\"cpu_model\" value=\"Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz\"/>", "junit");
	expect_contains(t, "<property name=\"arch\" value=\"x86_64\"/>", "junit");
	expect_contains(t, "<property name=\"audited_at\" value=\"2023-11-14T22:13:20Z\"/>", "junit");
	free(t);
}

/* A capture without the identity files: every field null, and the header says so. */
static void test_identity_absent(void **state)
{
	char args[1024];

	(void)state;
	build_root("root", false, NULL);
	snprintf(args, sizeof(args), "--root %s --format json --no-names --fail-on never", ia_sp("root"));
	assert_int_equal(run_tool(args, "out.json"), 0);
	json_t *j = load_json("out.json");
	json_t *h = json_object_get(j, "host");
	static const char *const keys[] = { "hostname", "machine_id", "cpu_model", "arch" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_is_null(json_object_get(h, keys[i])))
			fail_msg("host.%s is not null", keys[i]);
	json_t *dmi = json_object_get(h, "dmi");
	assert_true(json_is_false(json_object_get(dmi, "present")));
	for (size_t i = 0; i < IA_IDENTITY_N_DMI; i++)
		if (!json_is_null(json_object_get(dmi, ia_identity_dmi_attrs[i])))
			fail_msg("host.dmi.%s is not null", ia_identity_dmi_attrs[i]);
	expect_str(host_str(j, "audited_at"), "2023-11-14T22:13:20Z");
	json_decref(j);
	snprintf(args, sizeof(args), "--root %s --no-names --fail-on never", ia_sp("root"));
	assert_int_equal(run_tool(args, "out.txt"), 0);
	char *t = slurp_text("out.txt");
	expect_contains(t, "  kernel 6.12.0-identity (arch unknown);", "text");
	expect_contains(t, "\n  board and BIOS: not recorded (no sys/class/dmi/id in the facts)\n", "text");
	free(t);
}

/* Unreadable or malformed identity files: null, and a collect.unreadable finding names each. */
static void test_identity_unreadable(void **state)
{
	char args[1024];

	(void)state;
	build_root("root", true, "3.4a\n");
	/* a directory where the attribute should be: read(2) fails with EISDIR even for root */
	assert_int_equal(remove(ia_sp("root/sys/devices/virtual/dmi/id/bios_version")), 0);
	ia_mk_dir("root/sys/devices/virtual/dmi/id/bios_version");
	ia_mk_text("root/etc/machine-id", "uninitialized\n");
	snprintf(args, sizeof(args), "--root %s --format json --no-names --fail-on never", ia_sp("root"));
	assert_int_equal(run_tool(args, "out.json"), 0);
	json_t *j = load_json("out.json");
	assert_true(json_is_null(json_object_get(json_object_get(json_object_get(j, "host"), "dmi"), "bios_version")));
	expect_str(dmi_str(j, "bios_date"), "10/15/2021");
	assert_true(json_is_null(json_object_get(json_object_get(j, "host"), "machine_id")));
	bool bios = false, mid = false;
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(j, "findings"), i, f) {
		const char *rule = json_string_value(json_object_get(f, "rule"));
		const char *subj = json_string_value(json_object_get(f, "subject"));
		const char *msg = json_string_value(json_object_get(f, "message"));
		if (strcmp(rule, "collect.unreadable"))
			continue;
		bios |= !strcmp(subj, "sys/class/dmi/id/bios_version") &&
			strstr(msg, "cannot read sys/class/dmi/id/bios_version") != NULL;
		mid |= !strcmp(subj, "etc/machine-id") && strstr(msg, "not 32 lower-case hexadecimal digits") != NULL;
	}
	assert_true(bios);
	assert_true(mid);
	json_decref(j);
	/* the header keeps what was read */
	snprintf(args, sizeof(args), "--root %s --no-names --fail-on never", ia_sp("root"));
	assert_int_equal(run_tool(args, "out.txt"), 0);
	char *t = slurp_text("out.txt");
	expect_contains(t, "\n  board: Supermicro X11DDW-L (system Supermicro SYS-1029P-WTR 0123456789); "
			"BIOS American Megatrends Inc. 10/15/2021\n", "text");
	free(t);
}

/* A snapshot keeps the identity and the architecture: its replay says what the audit of its root said. */
static void test_snapshot_keeps_identity(void **state)
{
	char args[1024];

	(void)state;
	build_root("root", true, "3.4a\n");
	snprintf(args, sizeof(args), "snapshot --root %s --output %s", ia_sp("root"), ia_sp("snap.tar.gz"));
	assert_int_equal(run_tool(args, "snap.out"), 0);
	snprintf(args, sizeof(args), "--root %s --format json --no-names --fail-on never", ia_sp("root"));
	assert_int_equal(run_tool(args, "direct.json"), 0);
	snprintf(args, sizeof(args), "--snapshot %s --format json --no-names --fail-on never", ia_sp("snap.tar.gz"));
	assert_int_equal(run_tool(args, "replay.json"), 0);
	json_t *a = load_json("direct.json"), *b = load_json("replay.json");
	json_t *ha = json_object_get(a, "host"), *hb = json_object_get(b, "host");
	static const char *const keys[] = { "hostname", "machine_id", "cpu_model", "arch", "dmi", "audited_at" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_equal(json_object_get(ha, keys[i]), json_object_get(hb, keys[i])))
			fail_msg("host.%s differs between the audit and its snapshot's replay", keys[i]);
	expect_str(host_str(b, "arch"), "x86_64");
	expect_str(dmi_str(b, "bios_version"), "3.4a");
	json_decref(a);
	json_decref(b);
}

/* The live host and its snapshot's replay: the same architecture and identity. */
static void test_live_and_snapshot_same_arch(void **state)
{
	char args[1024];

	(void)state;
	assert_int_equal(run_tool("--format json --no-names --fail-on never", "live.json"), 0);
	snprintf(args, sizeof(args), "snapshot --output %s", ia_sp("live.tar.gz"));
	assert_int_equal(run_tool(args, "snap.out"), 0);
	snprintf(args, sizeof(args), "--snapshot %s --format json --no-names --fail-on never", ia_sp("live.tar.gz"));
	assert_int_equal(run_tool(args, "replay.json"), 0);
	json_t *a = load_json("live.json"), *b = load_json("replay.json");
	static const char *const keys[] = { "arch", "hostname", "machine_id", "cpu_model", "dmi" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_equal(json_object_get(json_object_get(a, "host"), keys[i]),
				json_object_get(json_object_get(b, "host"), keys[i])))
			fail_msg("host.%s: the live audit and its snapshot's replay differ", keys[i]);
	json_decref(a);
	json_decref(b);
}

/* `diff` of two captures whose BIOS version differs names the change, in text and JSON. */
static void test_diff_bios(void **state)
{
	char args[1024];

	(void)state;
	build_root("old", true, "3.4a\n");
	build_root("new", true, "3.6\n");
	snprintf(args, sizeof(args), "diff %s %s", ia_sp("old"), ia_sp("new"));
	assert_int_equal(run_tool(args, "diff.txt"), 0); /* a new BIOS alone is not worse */
	char *t = slurp_text("diff.txt");
	expect_contains(t, "result: changed, neither worse nor improved\n", "diff");
	expect_contains(t, "\nhost bios_version: 3.4a -> 3.6\n", "diff");
	if (strstr(t, "audited_at"))
		fail_msg("diff compares the audit times:\n%s", t);
	free(t);
	snprintf(args, sizeof(args), "diff %s %s --format json", ia_sp("old"), ia_sp("new"));
	assert_int_equal(run_tool(args, "diff.json"), 0);
	json_t *j = load_json("diff.json");
	size_t i, n = 0;
	json_t *c;
	json_array_foreach(json_object_get(j, "changes"), i, c) {
		if (strcmp(json_string_value(json_object_get(c, "area")), "host"))
			continue;
		n++;
		expect_str(json_string_value(json_object_get(c, "field")), "bios_version");
		expect_str(json_string_value(json_object_get(c, "old_value")), "3.4a");
		expect_str(json_string_value(json_object_get(c, "new_value")), "3.6");
		expect_str(json_string_value(json_object_get(c, "effect")), "neutral");
	}
	assert_int_equal(n, 1);
	json_decref(j);
}

/* devices[]: the pci.ids names (--pci-ids), the class name and the revision; null without names. */
static void test_device_names(void **state)
{
	char args[1024];

	(void)state;
	build_root("root", false, NULL);
	ia_mk_text("pci.ids", "8086  Intel Corporation\n\t9d10  Sunrise Point-LP PCI Express Root Port #1\n"
		   "C 02  Network controller\n\t00  Ethernet controller\n");
	snprintf(args, sizeof(args), "--root %s --format json --pci-ids %s --fail-on never", ia_sp("root"),
		 ia_sp("pci.ids"));
	assert_int_equal(run_tool(args, "out.json"), 0);
	json_t *j = load_json("out.json");
	json_t *d = json_array_get(json_object_get(j, "devices"), 0);
	expect_str(json_string_value(json_object_get(d, "vendor_name")), "Intel Corporation");
	expect_str(json_string_value(json_object_get(d, "device_name")), "Sunrise Point-LP PCI Express Root Port #1");
	expect_str(json_string_value(json_object_get(d, "class")), "0x020000");
	expect_str(json_string_value(json_object_get(d, "class_name")), "Ethernet controller");
	expect_str(json_string_value(json_object_get(d, "revision")), "0x05");
	json_decref(j);
	snprintf(args, sizeof(args), "--root %s --format json --no-names --fail-on never", ia_sp("root"));
	assert_int_equal(run_tool(args, "out.json"), 0);
	j = load_json("out.json");
	d = json_array_get(json_object_get(j, "devices"), 0);
	assert_true(json_is_null(json_object_get(d, "vendor_name")));
	assert_true(json_is_null(json_object_get(d, "device_name")));
	assert_true(json_is_null(json_object_get(d, "class_name")));
	expect_str(json_string_value(json_object_get(d, "revision")), "0x05");
	json_decref(j);
}

/* An lspci dump given without --root is a host of its own (issue 14 item 4): the identity of the
 * machine running the tool never enters its report. */
static void test_dump_is_not_this_host(void **state)
{
	char args[1024], dump[4096];
	size_t n = 0;

	(void)state;
	n += (size_t)snprintf(dump + n, sizeof(dump) - n, "00:01.0 Ethernet controller: Intel Corporation Device 9d10\n");
	for (int row = 0; row < 4; row++) {
		n += (size_t)snprintf(dump + n, sizeof(dump) - n, "%02x:", row * 16);
		for (int k = 0; k < 16; k++) {
			static const unsigned char head[16] = { 0x86, 0x80, 0x10, 0x9d, 0, 0, 0, 0, 0x05, 0, 0, 0x02 };
			n += (size_t)snprintf(dump + n, sizeof(dump) - n, " %02x", row ? 0 : head[k]);
		}
		n += (size_t)snprintf(dump + n, sizeof(dump) - n, "\n");
	}
	ia_mk_text("dump.txt", dump);
	snprintf(args, sizeof(args), "--lspci-dump %s --format json --no-names --fail-on never", ia_sp("dump.txt"));
	assert_int_equal(run_tool(args, "out.json"), 0);
	json_t *j = load_json("out.json");
	assert_int_equal(json_array_size(json_object_get(j, "devices")), 1);
	json_t *h = json_object_get(j, "host");
	static const char *const keys[] = { "hostname", "machine_id", "cpu_model" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_is_null(json_object_get(h, keys[i])))
			fail_msg("an lspci dump's report carries this machine's host.%s", keys[i]);
	assert_true(json_is_false(json_object_get(json_object_get(h, "dmi"), "present")));
	json_decref(j);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ia_scratch_setup, ia_scratch_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpuinfo_decoder),
		T(test_identity_reports),
		T(test_identity_absent),
		T(test_identity_unreadable),
		T(test_snapshot_keeps_identity),
		T(test_live_and_snapshot_same_arch),
		T(test_diff_bios),
		T(test_device_names),
		T(test_dump_is_not_this_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
