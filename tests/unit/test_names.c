// SPDX-License-Identifier: GPL-2.0-or-later
// Device names from a pci.ids given with --pci-ids (reports/text.c): a malformed file
// turns names off with one message; it never crashes the text report or `groups` (issue 17, item 0:
// libpci's names access had no error callback, so its first parse error jumped to NULL).
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAPTURE IA_SOURCE_DIR "/tests/fixtures/kernel-known-answers/x86-intel-acs/run-6.12/snapshot.tar.gz"

/* Run @args on the capture; stdout and stderr (2>&1) into *@out, the exit status returned. */
static int run(const char *args, char **out)
{
	char cmd[2048];
	int status = -1;

	snprintf(cmd, sizeof(cmd), "%s %s --snapshot '%s' --fail-on never 2>&1", IA_BIN, args, CAPTURE);
	*out = ia_run_capture(cmd, &status);
	assert_non_null(*out);
	return status;
}

static void check_ids(const char *ids, const char *why)
{
	char args[600], *out;

	for (int groups = 0; groups < 2; groups++) {
		snprintf(args, sizeof(args), "%s--pci-ids '%s'", groups ? "groups " : "", ids);
		assert_int_equal(run(args, &out), 0);   /* -1: killed by a signal */
		char want[600];
		snprintf(want, sizeof(want), "iommu-audit: device names: %s at %s, line 1; names are left out", why, ids);
		if (!strstr(out, want))
			fail_msg("%s: no \"%s\" in:\n%.2000s", args, want, out);
		/* one message, not one per device */
		assert_null(strstr(strstr(out, want) + strlen(want), "device names:"));
		/* the numbers stand in for the names */
		assert_non_null(strstr(out, "0000:00:00.0 [8086:29c0] class 0600: device 8086:29c0"));
		free(out);
	}
}

static void test_malformed_ids(void **state)
{
	ia_mk_text("bad.ids", "zzzz x\n");
	check_ids(ia_sp("bad.ids"), "Parse error");
}

static void test_long_line_ids(void **state)
{
	char line[3000];

	memset(line, 'a', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	ia_mk_text("long.ids", line);
	check_ids(ia_sp("long.ids"), "Line too long");
}

/* A well-formed pci.ids still names devices. */
static void test_good_ids(void **state)
{
	char args[600], *out;

	ia_mk_text("good.ids", "8086  Intel Corporation\n\t29c0  82G33/G31/P35/P31 Express DRAM Controller\n"
		   "C 06  Bridge\n\t00  Host bridge\n");
	snprintf(args, sizeof(args), "groups --pci-ids '%s'", ia_sp("good.ids"));
	assert_int_equal(run(args, &out), 0);
	if (!strstr(out, "0000:00:00.0 [8086:29c0] Host bridge: Intel Corporation 82G33/G31/P35/P31 Express DRAM Controller"))
		fail_msg("no name in:\n%.2000s", out);
	assert_null(strstr(out, "device names:"));
	free(out);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ia_scratch_setup, ia_scratch_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_malformed_ids),
		T(test_long_line_ids),
		T(test_good_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
