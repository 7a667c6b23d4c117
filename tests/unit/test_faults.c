// SPDX-License-Identifier: GPL-2.0-or-later
// Faults end to end: vanished devices, attributes that error, files changing while read, unreadable
// firmware tables, oversized inputs, and a full disk for the output; each a clear message and a full report of the rest.
#include "testutil.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- ia_scratch tree ------------------------------------------------------------------------- */

#define DEV1 "root/sys/devices/pci0000:00/0000:00:01.0"
#define DEV3 "root/sys/devices/pci0000:00/0000:00:03.0"

/* A tree of two good network functions (00:01.0 and 00:03.0), 256 bytes of config each. */
static void build_root(void)
{
	static uint8_t cfg[256];

	cfg[0] = 0x86; cfg[1] = 0x80; cfg[2] = 0x10; cfg[3] = 0x9d; cfg[0x0b] = 0x02;
	ia_mk_text("root/proc/cmdline", "BOOT_IMAGE=/vmlinuz quiet\n");
	ia_mk_text("root/proc/version", "Linux version 6.1.0-faults (gcc) #1 SMP\n");
	static const char *const devs[] = { DEV1, DEV3 };
	for (size_t i = 0; i < 2; i++) {
		char rel[256];
		snprintf(rel, sizeof(rel), "%s/config", devs[i]);
		ia_mk_file(rel, cfg, sizeof(cfg));
		snprintf(rel, sizeof(rel), "%s/vendor", devs[i]);
		ia_mk_text(rel, "0x8086\n");
		snprintf(rel, sizeof(rel), "%s/device", devs[i]);
		ia_mk_text(rel, "0x9d10\n");
		snprintf(rel, sizeof(rel), "%s/class", devs[i]);
		ia_mk_text(rel, "0x020000\n");
	}
	ia_mk_link("root/sys/bus/pci/devices/0000:00:01.0", "../../../devices/pci0000:00/0000:00:01.0");
	ia_mk_link("root/sys/bus/pci/devices/0000:00:03.0", "../../../devices/pci0000:00/0000:00:03.0");
}

/* Run iommu-audit with @args (a shell fragment); stdout to ia_scratch/out.json, stderr to
 * ia_scratch/err.txt; returns the exit status (-1 when killed: the 60 s alarm means a hang). */
static int run_audit(const char *prefix, const char *args)
{
	char cmd[2048];
	int status = -1;

	snprintf(cmd, sizeof(cmd), "%s timeout 60 %s %s >%s 2>%s; echo $?", prefix, IA_BIN, args,
		 ia_sp("out.json"), ia_sp("err.txt"));
	char *out = ia_run_capture(cmd, &status);
	assert_non_null(out);
	int rc = atoi(out);
	free(out);
	if (rc == 124)
		fail_msg("iommu-audit %s hung (killed after 60 s)", args);
	return rc;
}

static char *slurp_text(const char *rel)
{
	size_t len = 0;
	char *s = (char *)ia_slurp(ia_sp(rel), &len);
	assert_non_null(s);
	return s;
}

/* The JSON report in ia_scratch/out.json (the audit ran and wrote all of it). */
static json_t *report(void)
{
	json_error_t e;
	json_t *j = json_load_file(ia_sp("out.json"), 0, &e);

	if (!j)
		fail_msg("the report is not whole JSON: %s (line %d)", e.text, e.line);
	return j;
}

static json_t *device(json_t *j, const char *bdf)
{
	size_t i;
	json_t *d;

	json_array_foreach(json_object_get(j, "devices"), i, d)
		if (!strcmp(json_string_value(json_object_get(d, "bdf")), bdf))
			return d;
	return NULL;
}

/* The first finding of @rule whose subject is @subject and message holds @text, or NULL. */
static json_t *finding(json_t *j, const char *rule, const char *subject, const char *text)
{
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(j, "findings"), i, f) {
		const char *r = json_string_value(json_object_get(f, "rule"));
		const char *s = json_string_value(json_object_get(f, "subject"));
		const char *m = json_string_value(json_object_get(f, "message"));
		if (r && s && m && !strcmp(r, rule) && !strcmp(s, subject) && strstr(m, text))
			return f;
	}
	return NULL;
}

static void expect_finding(json_t *j, const char *rule, const char *subject, const char *text)
{
	if (!finding(j, rule, subject, text))
		fail_msg("no %s finding on %s saying \"%s\"", rule, subject, text);
}

/* The healthy device is reported in full whatever happened to the others. */
static void expect_dev3_whole(json_t *j)
{
	json_t *d = device(j, "0000:00:03.0");

	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "vendor")), "0x8086");
	assert_int_equal(json_integer_value(json_object_get(d, "config_bytes")), 256);
	assert_null(finding(j, "collect.unreadable", "0000:00:03.0", ""));
}

#define AUDIT_ARGS "--root %s --format json --no-names --fail-on never"

static int audit_root(void)
{
	char args[1200];
	snprintf(args, sizeof(args), AUDIT_ARGS, ia_sp("root"));
	return run_audit("", args);
}

/* ---- tests ------------------------------------------------------------------------------ */

/* A device listed on the bus whose directory is gone (removed between enumeration and reading). */
static void test_device_vanished(void **state)
{
	(void)state;
	build_root();
	ia_mk_link("root/sys/bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0");
	assert_int_equal(audit_root(), 0);
	json_t *j = report();
	expect_finding(j, "collect.unreadable", "sys/bus/pci/devices/0000:00:02.0", "vanished");
	json_t *d = device(j, "0000:00:02.0");
	assert_non_null(d);
	assert_int_equal(json_integer_value(json_object_get(d, "config_bytes")), 0);
	assert_true(json_is_null(json_object_get(d, "vendor")));
	expect_dev3_whole(j);
	json_decref(j);
}

/* Attributes that fail to read: a directory, a link loop, a FIFO (must not hang), an absent one,
 * and (unprivileged only; root reads anything) a file without read permission. */
static void test_attribute_errors(void **state)
{
	(void)state;
	build_root();
	assert_int_equal(unlink(ia_sp(DEV1 "/vendor")), 0);
	assert_int_equal(mkdir(ia_sp(DEV1 "/vendor"), 0755), 0);
	assert_int_equal(unlink(ia_sp(DEV1 "/device")), 0);
	ia_mk_link(DEV1 "/device", "device");
	assert_int_equal(unlink(ia_sp(DEV1 "/class")), 0);
	assert_int_equal(mkfifo(ia_sp(DEV1 "/class"), 0644), 0);
	assert_int_equal(mkfifo(ia_sp(DEV1 "/resource"), 0644), 0);
	bool unprivileged = geteuid() != 0;
	if (unprivileged)
		assert_int_equal(chmod(ia_sp(DEV1 "/config"), 0), 0);
	assert_int_equal(audit_root(), 0);
	json_t *j = report();
	expect_finding(j, "collect.unreadable", "0000:00:01.0", "cannot read vendor: Is a directory");
	expect_finding(j, "collect.unreadable", "0000:00:01.0", "cannot read device: Too many levels of symbolic links");
	json_t *d = device(j, "0000:00:01.0");
	assert_non_null(d);
	if (unprivileged) {
		expect_finding(j, "collect.unreadable", "0000:00:01.0", "Permission denied");
		assert_int_equal(json_integer_value(json_object_get(d, "config_bytes")), 0);
	} else {
		/* the IDs come from config space when the attribute cannot be read */
		assert_string_equal(json_string_value(json_object_get(d, "vendor")), "0x8086");
	}
	expect_dev3_whole(j);
	json_decref(j);
}

/* A config file rewritten and truncated while audits read it: every run ends with a whole report
 * (never a crash or a half-written file), whatever length each read saw. */
static void test_config_changes_while_read(void **state)
{
	static uint8_t full[4096];
	(void)state;

	build_root();
	full[0] = 0x86; full[1] = 0x80;
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) { /* flip the file between 0, 17 and 4096 bytes until killed (or 60 s) */
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive a failed test */
		time_t end = time(NULL) + 60;
		for (unsigned i = 0; time(NULL) < end; i++) {
			FILE *f = fopen(ia_sp(DEV1 "/config"), "r+b");
			if (f) {
				if (ftruncate(fileno(f), 0) == 0 && i % 3)
					fwrite(full, 1, i % 3 == 1 ? 17 : sizeof(full), f);
				fclose(f);
			}
		}
		_exit(0);
	}
	for (int k = 0; k < 6; k++) {
		int rc = audit_root();
		if (rc != 0) {
			kill(child, SIGKILL);
			waitpid(child, NULL, 0);
			fail_msg("run %d: exit %d", k, rc);
		}
		json_t *j = report();
		json_t *d = device(j, "0000:00:01.0");
		assert_non_null(d);
		json_int_t n = json_integer_value(json_object_get(d, "config_bytes"));
		assert_true(n >= 0 && n <= 4096);
		expect_dev3_whole(j);
		json_decref(j);
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

/* Config files cut short: below the 64-byte header and between the two kernel sizes. */
static void test_config_short(void **state)
{
	static uint8_t cfg[300];
	(void)state;

	build_root();
	cfg[0] = 0x86; cfg[1] = 0x80; cfg[2] = 0x10; cfg[3] = 0x9d;
	ia_mk_file(DEV1 "/config", cfg, 20);
	assert_int_equal(audit_root(), 0);
	json_t *j = report();
	json_t *d = device(j, "0000:00:01.0");
	assert_int_equal(json_integer_value(json_object_get(d, "config_bytes")), 20);
	expect_finding(j, "collect.unreadable", "0000:00:01.0", "config file is 20 bytes");
	expect_dev3_whole(j);
	json_decref(j);
	ia_mk_file(DEV1 "/config", cfg, sizeof(cfg));
	assert_int_equal(audit_root(), 0);
	j = report();
	expect_finding(j, "collect.unreadable", "0000:00:01.0", "config file is 300 bytes");
	json_decref(j);
	/* longer than any kernel's: 4096 bytes decoded, the size reported (the read asks for one
	 * byte more than 4096 to see it) */
	static uint8_t big[5000];
	memcpy(big, cfg, 4);
	ia_mk_file(DEV1 "/config", big, sizeof(big));
	assert_int_equal(audit_root(), 0);
	j = report();
	d = device(j, "0000:00:01.0");
	assert_int_equal(json_integer_value(json_object_get(d, "config_bytes")), 4096);
	expect_finding(j, "collect.unreadable", "0000:00:01.0", "config file is 5000 bytes");
	json_decref(j);
	/* exactly the two kernel sizes: read whole, their size known */
	static const size_t kernel_sizes[] = { 4096, 256 };
	for (size_t k = 0; k < 2; k++) {
		ia_mk_file(DEV1 "/config", big, kernel_sizes[k]);
		assert_int_equal(audit_root(), 0);
		j = report();
		d = device(j, "0000:00:01.0");
		assert_int_equal(json_integer_value(json_object_get(d, "config_bytes")), (json_int_t)kernel_sizes[k]);
		assert_int_equal(json_integer_value(json_object_get(d, "config_size")), (json_int_t)kernel_sizes[k]);
		json_decref(j);
	}
}

/* A function's sysfs parent directory is its upstream bridge, or a host bridge ("pciDDDD:BB",
 * a root bus). A parent that is neither (a name that only looks like a BDF) is kept as the
 * parent's name, so the function is never taken for one on a root bus. */
static void test_odd_parent_directory(void **state)
{
	static uint8_t cfg[256];
	static const struct { const char *dir, *parent; } cases[] = {
		{ "0000:00:02.3", "0000:00:02.3" },  /* a bridge: resolvable */
		{ "0000:+0:02.3", "0000:+0:02.3" },  /* looks like one: kept, names no function */
		{ "0000: 0:02.3", "0000: 0:02.3" },
		{ "flat", "flat" },
	};
	(void)state;

	cfg[0] = 0x86; cfg[1] = 0x80; cfg[2] = 0x10; cfg[3] = 0x9d;
	for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
		char rel[256], target[256];
		build_root();
		snprintf(rel, sizeof(rel), "root/sys/devices/pci0000:00/%s/0000:08:00.0/config", cases[k].dir);
		ia_mk_file(rel, cfg, sizeof(cfg));
		snprintf(target, sizeof(target), "../../../devices/pci0000:00/%s/0000:08:00.0", cases[k].dir);
		ia_mk_link("root/sys/bus/pci/devices/0000:08:00.0", target);
		assert_int_equal(audit_root(), 0);
		json_t *j = report();
		json_t *d = device(j, "0000:08:00.0");
		assert_non_null(d);
		assert_string_equal(json_string_value(json_object_get(d, "parent")), cases[k].parent);
		/* directly below the host bridge: no parent */
		assert_true(json_is_null(json_object_get(device(j, "0000:00:01.0"), "parent")));
		json_decref(j);
		assert_int_equal(ia_scratch_remove(), 0);
		assert_int_equal(ia_scratch_make("faults"), 0);
	}
}

/* PCI domains of 5 to 8 hex digits are kept (an Intel VMD's 10000 among them; pci_name() prints
 * "%04x:..." with as many digits as the domain needs): IA_BDF_MAX holds "ffffffff:ff:1f.7". */
/* An IOMMU that is a PCI function of its own (AMD-Vi) holds its class device in a directory
 * "iommu/ivhd0" where translated functions have an "iommu" link: nothing unreadable (issue 13
 * item 10: "cannot read the link: Invalid argument ... run as root"). Anything else in place of
 * the link still is. */
static void test_iommu_class_directory(void **state)
{
	(void)state;
	build_root();
	ia_mk_dir(DEV1 "/iommu/ivhd0/amd-iommu/");
	ia_mk_text(DEV1 "/iommu/ivhd0/amd-iommu/cap", "0x00190063\n");
	ia_mk_text(DEV3 "/iommu", "not a link\n");
	assert_int_equal(audit_root(), 0);
	json_t *j = report();
	if (finding(j, "collect.unreadable", "sys/bus/pci/devices/0000:00:01.0/iommu", ""))
		fail_msg("the IOMMU's own class directory was reported unreadable");
	expect_finding(j, "collect.unreadable", "sys/bus/pci/devices/0000:00:03.0/iommu",
		       "cannot read the link: Invalid argument");
	json_decref(j);
}

/* The architecture comes from proc/sys/kernel/arch, which `snapshot` keeps, when proc/version
 * holds no hint (a kernel built by a plain "gcc"): it read "arch": null from such a capture
 * (issue 14 item 7). Without the file and the hint it stays unknown. */
static void test_arch_from_sysctl(void **state)
{
	(void)state;
	build_root();
	assert_int_equal(audit_root(), 0);
	json_t *j = report();
	assert_true(json_is_null(json_object_get(json_object_get(j, "host"), "arch")));
	json_decref(j);
	ia_mk_text("root/proc/sys/kernel/arch", "aarch64\n");
	assert_int_equal(audit_root(), 0);
	j = report();
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "host"), "arch")), "aarch64");
	json_decref(j);
}

static void test_domain_eight_digits(void **state)
{
	static uint8_t cfg[256];
	(void)state;

	cfg[0] = 0x86; cfg[1] = 0x80; cfg[2] = 0x10; cfg[3] = 0x9d;
	build_root();
	ia_mk_file("root/sys/devices/pci10000:00/10000:00:02.0/config", cfg, sizeof(cfg));
	ia_mk_link("root/sys/bus/pci/devices/10000:00:02.0", "../../../devices/pci10000:00/10000:00:02.0");
	ia_mk_file("root/sys/devices/pci10000000:00/10000000:00:02.0/config", cfg, sizeof(cfg));
	ia_mk_link("root/sys/bus/pci/devices/10000000:00:02.0", "../../../devices/pci10000000:00/10000000:00:02.0");
	ia_mk_text("root/sys/kernel/iommu_groups/3/type", "DMA\n");
	ia_mk_text("root/sys/kernel/iommu_groups/3/reserved_regions", "");
	ia_mk_dir("root/sys/kernel/iommu_groups/3/devices/");
	ia_mk_link("root/sys/kernel/iommu_groups/3/devices/10000000:00:02.0",
		   "../../../../devices/pci10000000:00/10000000:00:02.0");
	assert_int_equal(audit_root(), 0);
	json_t *j = report();
	assert_non_null(device(j, "10000:00:02.0"));
	json_t *d = device(j, "10000000:00:02.0");
	assert_non_null(d);
	json_t *g = json_array_get(json_object_get(j, "groups"), 0);
	assert_non_null(g);
	assert_string_equal(json_string_value(json_array_get(json_object_get(g, "devices"), 0)), "10000000:00:02.0");
	json_decref(j);
}

/* Firmware tables that cannot be read: a directory, a FIFO, a link loop, one past the size
 * limit (sparse), one cut short, and a device tree past its limit. */
static void test_unreadable_firmware(void **state)
{
	(void)state;
	build_root();
	assert_int_equal(mkdir(ia_sp("root/sys/firmware"), 0755), 0);
	assert_int_equal(mkdir(ia_sp("root/sys/firmware/acpi"), 0755), 0);
	assert_int_equal(mkdir(ia_sp("root/sys/firmware/acpi/tables"), 0755), 0);
	assert_int_equal(mkdir(ia_sp("root/sys/firmware/acpi/tables/DMAR"), 0755), 0);
	assert_int_equal(mkfifo(ia_sp("root/sys/firmware/acpi/tables/IVRS"), 0644), 0);
	ia_mk_link("root/sys/firmware/acpi/tables/APIC", "APIC");
	ia_mk_text("root/sys/firmware/acpi/tables/IORT", "IORT");
	assert_int_equal(truncate(ia_sp("root/sys/firmware/acpi/tables/IORT"), 17 << 20), 0);
	ia_mk_text("root/sys/firmware/fdt", "");
	assert_int_equal(truncate(ia_sp("root/sys/firmware/fdt"), 65 << 20), 0);
	assert_int_equal(audit_root(), 0);
	json_t *j = report();
	expect_finding(j, "collect.unreadable", "DMAR", "Is a directory");
	expect_finding(j, "collect.unreadable", "IVRS", "not a regular file: FIFO"); /* refused, not read as empty */
	expect_finding(j, "collect.unreadable", "APIC", "Too many levels of symbolic links");
	expect_finding(j, "collect.unreadable", "IORT", "larger than the allowed limit");
	expect_dev3_whole(j);
	assert_non_null(device(j, "0000:00:01.0"));
	json_decref(j);
	char *err = slurp_text("err.txt");
	assert_null(strstr(err, "Sanitizer"));
	free(err);
}

/* The output cannot be written: a full device, a file-size limit, standard output full. Exit 3
 * ("could not") with the path and the system's reason; a snapshot never leaves a cut archive. */
static void test_output_full(void **state)
{
	char args[1400];
	(void)state;

	build_root();
	snprintf(args, sizeof(args), AUDIT_ARGS " --output /dev/full", ia_sp("root"));
	assert_int_equal(run_audit("", args), 3);
	char *err = slurp_text("err.txt");
	assert_non_null(strstr(err, "/dev/full: cannot write the report: No space left on device"));
	free(err);

	char sink[1300];
	snprintf(args, sizeof(args), AUDIT_ARGS, ia_sp("root"));
	char cmd[2000];
	snprintf(cmd, sizeof(cmd), "timeout 60 %s %s 2>&1 >/dev/full; echo \"rc=$?\"", IA_BIN, args);
	char *out = ia_run_capture(cmd, NULL);
	assert_non_null(out);
	assert_non_null(strstr(out, "standard output: cannot write the report: No space left on device"));
	assert_non_null(strstr(out, "rc=3"));
	free(out);

	/* One block of file size: the report and the capture's interrupts file do not fit. */
	static char big[40000];
	memset(big, 'x', sizeof(big) - 1);
	ia_mk_text("root/proc/interrupts", big);
	snprintf(sink, sizeof(sink), "%s", ia_sp("report.json"));
	snprintf(args, sizeof(args), AUDIT_ARGS " --output %s", ia_sp("root"), sink);
	assert_int_equal(run_audit("ulimit -f 1; trap '' XFSZ;", args), 3);
	err = slurp_text("err.txt");
	assert_non_null(strstr(err, "cannot write the report: File too large"));
	free(err);

	snprintf(args, sizeof(args), "snapshot --root %s --output %s", ia_sp("root"), ia_sp("cap.tar.gz"));
	assert_int_equal(run_audit("ulimit -f 1; trap '' XFSZ;", args), 3);
	err = slurp_text("err.txt");
	assert_non_null(strstr(err, "cannot write the capture"));
	free(err);
	struct stat st;
	assert_int_not_equal(lstat(ia_sp("cap.tar.gz"), &st), 0); /* removed, not left cut */

	snprintf(args, sizeof(args), "snapshot --root %s --output %s", ia_sp("root"), ia_sp("capdir"));
	assert_int_equal(run_audit("ulimit -f 1; trap '' XFSZ;", args), 3);
	err = slurp_text("err.txt");
	assert_non_null(strstr(err, "File too large"));
	free(err);
}

/* A policy file past its size limit is refused with a message naming the limit. */
static void test_policy_too_big(void **state)
{
	char args[1400];
	(void)state;

	build_root();
	ia_mk_text("policy.json", "{\"policy\": \"iommu-audit-policy/1\"}");
	assert_int_equal(truncate(ia_sp("policy.json"), 2 << 20), 0);
	snprintf(args, sizeof(args), AUDIT_ARGS " --policy %s", ia_sp("root"), ia_sp("policy.json"));
	int rc = run_audit("", args);
	assert_true(rc == 2 || rc == 3);
	char *err = slurp_text("err.txt");
	if (!strstr(err, "policy.json: larger than 1 MiB"))
		fail_msg("no clear message for a 2 MiB policy: %s", err);
	free(err);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ia_scratch_setup, ia_scratch_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_device_vanished),
		T(test_attribute_errors),
		T(test_config_changes_while_read),
		T(test_config_short),
		T(test_odd_parent_directory),
		T(test_iommu_class_directory),
		T(test_arch_from_sysctl),
		T(test_domain_eight_digits),
		T(test_unreadable_firmware),
		T(test_output_full),
		T(test_policy_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
