// SPDX-License-Identifier: GPL-2.0-or-later
// Memory bounded by design (issue 17, item 8): the largest inputs the size limits accept are audited
// inside 256 MiB of address space, and what a limit left out is said in a finding.
#include "testutil.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decode/acpi.h"
#include "decode/dmar.h"
#include "core/ia_err.h"

#define BOUND (256ull << 20)

static int scratch_setup(void **state)
{
	(void)state;
	return ia_scratch_make("membound");
}

static int scratch_teardown(void **state)
{
	(void)state;
	return ia_scratch_remove();
}

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static void put64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i)); }

/* A DMAR of exactly IA_ACPI_MAX_TABLE bytes: one DRHD (INCLUDE_PCI_ALL), then RMRRs of 32 bytes
 * (one endpoint scope each) to the end: 524,286 of them. Valid checksum. */
static void write_huge_dmar(const char *rel)
{
	size_t len = IA_ACPI_MAX_TABLE;
	uint8_t *t = calloc(1, len);
	assert_non_null(t);
	memcpy(t, "DMAR", 4);
	put32(t + 4, (uint32_t)len);
	t[8] = 1;
	memcpy(t + 10, "INTEL ", 6);
	memcpy(t + 16, "MEMBOUND", 8);
	t[36] = 38;
	t[37] = 1;
	size_t off = IA_DMAR_STRUCT_START;
	put16(t + off, 0); put16(t + off + 2, 16); t[off + 4] = 1; put64(t + off + 8, 0xfed90000);
	off += 16;
	for (uint64_t i = 0; off + 32 <= len; i++, off += 32) {
		uint64_t base = 0x10000000 + i * 0x1000;
		put16(t + off, 1); put16(t + off + 2, 32);
		put64(t + off + 8, base); put64(t + off + 16, base + 0xfff);
		uint8_t *sc = t + off + 24;
		sc[0] = 1; sc[1] = 8; sc[6] = (uint8_t)(i % 32); sc[7] = 0;
	}
	assert_int_equal(off, len);
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)-sum;
	ia_mk_file(rel, t, len);
	free(t);
}

/*
 * Run the audit with @args under RLIMIT_AS = BOUND (so a run that needs more fails at once
 * instead of paging for minutes); stdout to ia_scratch/@out. Returns the exit status (-signal
 * when killed) and the child's peak RSS in bytes.
 */
static int run_bounded(const char *args, const char *out, unsigned long long *maxrss)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "exec %s %s >%s 2>%s", IA_BIN, args, ia_sp(out), ia_sp("stderr.txt"));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { BOUND, BOUND };
		setrlimit(RLIMIT_AS, &rl);
		alarm(120);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	struct rusage ru;
	assert_int_equal(wait4(pid, &status, 0, &ru), pid);
	*maxrss = (unsigned long long)ru.ru_maxrss * 1024ull;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

/* 524,286 RMRRs in a 16 MiB DMAR (the table size limit): 1.64 GB and three minutes before; now
 * the walk stops at IA_DMAR_MAX_STRUCTS with a finding that says so, well inside the bound. */
static void test_dmar_of_half_a_million_rmrrs(void **state)
{
	(void)state;
	write_huge_dmar("root/sys/firmware/acpi/tables/DMAR");
	ia_mk_text("root/proc/version", "Linux version 6.12.0-membound (gcc) #1 SMP\n");
	ia_mk_text("root/proc/cmdline", "intel_iommu=on\n");
	char args[600];
	snprintf(args, sizeof(args), "--root %s --format json --fail-on never", ia_sp("root"));
	unsigned long long rss = 0;
	int rc = run_bounded(args, "report.json", &rss);
	if (rc != 0)
		fail_msg("audit under a %llu MiB address-space limit: exit %d (want 0)", BOUND >> 20, rc);
	if (rss >= BOUND)
		fail_msg("peak RSS %llu MiB, above %llu MiB", rss >> 20, BOUND >> 20);
	size_t len = 0;
	char *json = (char *)ia_slurp(ia_sp("report.json"), &len);
	assert_non_null(json);
	char want[200];
	snprintf(want, sizeof(want), "DMAR: more than %u remapping structures; the rest of the table (from 0x",
		 IA_DMAR_MAX_STRUCTS);
	if (!strstr(json, want))
		fail_msg("the report does not say \"%s\"", want);
	assert_non_null(strstr(json, "\"rule\": \"collect.unreadable\""));
	free(json);
	fprintf(stderr, "peak RSS %llu MiB\n", rss >> 20);
}

/* The decoder alone: the limits, and one scope array of exactly the scopes read. */
static void test_dmar_decoder_limits(void **state)
{
	(void)state;
	write_huge_dmar("DMAR");
	size_t len = 0;
	uint8_t *t = ia_slurp(ia_sp("DMAR"), &len);
	assert_non_null(t);
	struct ia_dmar d;
	struct ia_diags dg = {0};
	assert_int_equal(ia_dmar_decode(t, len, &d, &dg), -IA_E_TOOBIG);
	assert_int_equal(d.n_structs, IA_DMAR_MAX_STRUCTS);
	assert_false(d.walk_complete);
	assert_int_equal(d.structs[1].type, IA_DMAR_RMRR);
	assert_int_equal(d.structs[1].n_scopes, 1);
	const struct ia_diag *g = ia_diags_find(&dg, -IA_E_TOOBIG);
	assert_non_null(g);
	assert_non_null(strstr(g->msg, "remapping structures; the rest of the table"));
	ia_dmar_free(&d);
	ia_diags_free(&dg);
	free(t);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, scratch_setup, scratch_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_dmar_decoder_limits),
		T(test_dmar_of_half_a_million_rmrrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
