// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel's upstream version and stable level (src/decode/kversion.c), on the proc/version lines
// of the kernel known-answer captures and on the release forms of the distributions fleets run.
#include "testutil.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "core/ia_err.h"
#include "decode/kversion.h"

struct kv_case {
	const char *release, *proc_version, *signature;
	int major, minor;
	bool has_stable; int stable;
	enum ia_kver_source source;
	bool distro_abi, backports;
};

static const struct kv_case cases[] = {
	/* the known-answer captures: Debian's ABI release hides the stable level; UTS_VERSION has it */
	{ "6.1.0-56-amd64",
	  "Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, "
	  "GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)", NULL,
	  6, 1, true, 192, IA_KVER_DEBIAN, true, false },
	{ "5.10.0-32-amd64",
	  "Linux version 5.10.0-32-amd64 (debian-kernel@lists.debian.org) (gcc-10 (Debian 10.2.1-6) 10.2.1 20210110, "
	  "GNU ld (GNU Binutils for Debian) 2.35.2) #1 SMP Debian 5.10.223-1 (2024-08-10)", NULL,
	  5, 10, true, 223, IA_KVER_DEBIAN, true, false },
	{ "6.12.117+deb12-arm64",
	  "Linux version 6.12.117+deb12-arm64 (debian-kernel@lists.debian.org) (aarch64-linux-gnu-gcc-12 (Debian "
	  "12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP Debian 6.12.117-1~deb12u1 (2026-11-14)",
	  NULL, 6, 12, true, 117, IA_KVER_DEBIAN, false, false },
	{ "7.3.4+deb13-amd64",
	  "Linux version 7.3.4+deb13-amd64 (debian-kernel@lists.debian.org) (x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) "
	  "14.2.0, GNU ld (GNU Binutils for Debian) 2.44) #1 SMP PREEMPT_DYNAMIC Debian 7.3.4-1~bpo13+1 (2026-11-15)", NULL,
	  7, 3, true, 4, IA_KVER_DEBIAN, false, false },
	/* Debian without its package version in proc/version: unknown, not 0 */
	{ "6.1.0-56-amd64", "Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP Debian", NULL,
	  6, 1, false, 0, IA_KVER_NONE, true, false },
	/* Ubuntu: the upstream base only in proc/version_signature */
	{ "5.15.0-91-generic", "Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) "
	  "11.4.0) #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023", "Ubuntu 5.15.0-91.101-generic 5.15.131\n",
	  5, 15, true, 131, IA_KVER_UBUNTU, true, false },
	{ "5.15.0-91-generic", "Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) #101-Ubuntu SMP", NULL,
	  5, 15, false, 0, IA_KVER_NONE, true, false },
	/* RHEL-like: backports on an old base; the .0 says nothing */
	{ "5.14.0-427.13.1.el9_4.x86_64", "Linux version 5.14.0-427.13.1.el9_4.x86_64 (mockbuild@x86-64-01) #1 SMP", NULL,
	  5, 14, false, 0, IA_KVER_NONE, false, true },
	/* Fedora and upstream builds: the release's third number is the stable level */
	{ "6.11.4-301.fc41.x86_64", "Linux version 6.11.4-301.fc41.x86_64 (mockbuild@f41) #1 SMP PREEMPT_DYNAMIC", NULL,
	  6, 11, true, 4, IA_KVER_RELEASE, false, false },
	{ "6.12.69", "Linux version 6.12.69 (root@build) #1 SMP", NULL, 6, 12, true, 69, IA_KVER_RELEASE, false, false },
	{ "6.13.0-rc5", "Linux version 6.13.0-rc5 (root@build) #1 SMP", NULL, 6, 13, true, 0, IA_KVER_RELEASE, false, false },
	{ "6.6", NULL, NULL, 6, 6, false, 0, IA_KVER_NONE, false, false },
	/* Arch, Amazon Linux, openSUSE Tumbleweed: upstream stable releases with a local suffix */
	{ "6.12.10-arch1-1", "Linux version 6.12.10-arch1-1 (linux@archlinux) (gcc (GCC) 14.2.1 20240910, GNU ld "
	  "(GNU Binutils) 2.43.0) #1 SMP PREEMPT_DYNAMIC Fri, 17 Jan 2025 18:14:12 +0000", NULL,
	  6, 12, true, 10, IA_KVER_RELEASE, false, false },
	{ "6.1.119-129.201.amzn2023.x86_64", "Linux version 6.1.119-129.201.amzn2023.x86_64 (mockbuild@ip-10-0-54-46) "
	  "(gcc (GCC) 11.4.1 20230605 (Red Hat 11.4.1-2)) #1 SMP PREEMPT_DYNAMIC", NULL,
	  6, 1, true, 119, IA_KVER_RELEASE, false, false },
	{ "6.12.8-1-default", "Linux version 6.12.8-1-default (geeko@buildhost) (gcc (SUSE Linux) 14.2.1 20241007) #1 SMP "
	  "PREEMPT_DYNAMIC Thu Jan  2 12:09:50 UTC 2025 (7a5f0e6)", NULL, 6, 12, true, 8, IA_KVER_RELEASE, false, false },
	/* SUSE Linux Enterprise 15 SP5: 5.14.21 is the base it backports onto */
	{ "5.14.21-150500.55.39-default", "Linux version 5.14.21-150500.55.39-default (geeko@buildhost) (gcc (SUSE Linux) "
	  "7.5.0, GNU ld (GNU Binutils; SUSE Linux Enterprise 15) 2.41.0.20230908-150100.7.46) #1 SMP PREEMPT_DYNAMIC",
	  NULL, 5, 14, true, 21, IA_KVER_RELEASE, false, true },
	/* Rocky 8, Oracle UEK on Oracle Linux 9: RHEL-like */
	{ "4.18.0-553.el8_10.x86_64", "Linux version 4.18.0-553.el8_10.x86_64 (mockbuild@iad1-prod-build001.bld.equ.rockylinux.org) "
	  "(gcc version 8.5.0 20210514 (Red Hat 8.5.0-22) (GCC)) #1 SMP Fri May 24 13:05:10 UTC 2024", NULL,
	  4, 18, false, 0, IA_KVER_NONE, false, true },
	{ "5.15.0-208.159.3.el9uek.x86_64", "Linux version 5.15.0-208.159.3.el9uek.x86_64 (mockbuild@host) #2 SMP", NULL,
	  5, 15, false, 0, IA_KVER_NONE, false, true },
	/* Ubuntu HWE 6.8 on 22.04 */
	{ "6.8.0-49-generic", "Linux version 6.8.0-49-generic (buildd@lcy02-amd64-103) (x86_64-linux-gnu-gcc-12 (Ubuntu "
	  "12.3.0-1ubuntu1~22.04) 12.3.0) #49~22.04.1-Ubuntu SMP PREEMPT_DYNAMIC", "Ubuntu 6.8.0-49.49~22.04.1-generic 6.8.12",
	  6, 8, true, 12, IA_KVER_UBUNTU, true, false },
	/* a signature of another base is not taken */
	{ "6.8.0-40-generic", "Linux version 6.8.0-40-generic #40-Ubuntu SMP", "Ubuntu 6.5.0-1.1-generic 6.5.3",
	  6, 8, false, 0, IA_KVER_NONE, true, false },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct kv_case *c = &cases[i];
		struct ia_kver k;
		assert_int_equal(ia_kver_decode(c->release, c->proc_version, c->signature, &k), 0);
		if (!k.has_version || k.major != c->major || k.minor != c->minor || k.has_stable != c->has_stable ||
		    (c->has_stable && k.stable != c->stable) || k.source != c->source || k.distro_abi != c->distro_abi ||
		    k.backports != c->backports)
			fail_msg("%s: got %d.%d stable %s%d (%s) abi %d backports %d", c->release, k.major, k.minor,
				 k.has_stable ? "" : "unknown ", k.stable, ia_kver_source_name(k.source), k.distro_abi,
				 k.backports);
	}
}

static void test_malformed(void **state)
{
	struct ia_kver k;

	(void)state;
	assert_int_equal(ia_kver_decode(NULL, NULL, NULL, &k), -IA_E_FORMAT);
	assert_false(k.has_version);
	assert_int_equal(ia_kver_decode("linux", "Linux version linux", NULL, &k), -IA_E_FORMAT);
	assert_int_equal(ia_kver_decode("6", NULL, NULL, &k), -IA_E_FORMAT);
	assert_int_equal(ia_kver_decode("1234567.1", NULL, NULL, &k), -IA_E_FORMAT); /* 7 digits: no version */
	assert_int_equal(ia_kver_decode("6.1.0-1-amd64", NULL, NULL, NULL), -EINVAL);
	/* a Debian word without a version, or a version of another X.Y: not taken */
	assert_int_equal(ia_kver_decode("6.1.0-1-amd64", "Linux version 6.1.0-1-amd64 Debian Debian 5.10.1-1", NULL, &k), 0);
	assert_false(k.has_stable);
	assert_true(k.distro_abi);
	assert_string_equal(ia_kver_source_name(IA_KVER_NONE), "unknown");
	assert_string_equal(ia_kver_source_name(IA_KVER_DEBIAN), "debian");
}

/* The fields the behaviour table reads beside the version: pre-release, RHEL-like release, SUSE,
 * and the sentence a verdict prints about what it assumed. */
static void test_details(void **state)
{
	struct ia_kver k;
	char buf[320];

	(void)state;
	assert_int_equal(ia_kver_decode("6.13.0-rc5", "Linux version 6.13.0-rc5 (root@build) #1 SMP", NULL, &k), 0);
	assert_true(k.rc);
	assert_int_equal(k.rc_n, 5);
	assert_string_equal(ia_kver_assumed(&k, buf, sizeof(buf)), "a pre-release (6.13-rc5) is taken as Linux 6.13");
	assert_int_equal(ia_kver_decode("6.13.0-rcx", NULL, NULL, &k), 0);
	assert_false(k.rc);
	assert_int_equal(ia_kver_decode("5.14.0-427.13.1.el9_4.x86_64", NULL, NULL, &k), 0);
	assert_int_equal(k.el_major, 9);
	assert_int_equal(k.el_minor, 4);
	assert_false(k.suse);
	assert_string_equal(ia_kver_assumed(&k, buf, sizeof(buf)),
			    "a distribution kernel that backports onto Linux 5.14 (RHEL-like): a behaviour that came "
			    "upstream after 5.14 is taken as unknown (it may have been backported), one from 5.14 or "
			    "before as present");
	assert_int_equal(ia_kver_decode("5.15.0-208.159.3.el9uek.x86_64", NULL, NULL, &k), 0);
	assert_int_equal(k.el_major, 9);
	assert_int_equal(k.el_minor, -1);
	/* without "SUSE" in proc/version a six-digit build number is no SLE kernel */
	assert_int_equal(ia_kver_decode("5.14.21-150500.55.39-default", "Linux version 5.14.21-150500.55.39-default #1", NULL, &k), 0);
	assert_false(k.suse);
	assert_false(k.backports);
	assert_int_equal(ia_kver_decode("5.14.21-150500.55.39-default", "Linux version 5.14.21-150500.55.39-default "
					"(gcc (SUSE Linux) 7.5.0) #1", NULL, &k), 0);
	assert_true(k.suse);
	assert_true(k.backports);
	assert_int_equal(k.el_major, -1);
	assert_int_equal(ia_kver_decode("6.1.0-56-amd64", "Linux version 6.1.0-56-amd64 #1 SMP Debian", NULL, &k), 0);
	assert_string_equal(ia_kver_assumed(&k, buf, sizeof(buf)),
			    "the upstream stable level of Linux 6.1 is not known (the distribution's release hides it): "
			    "a behaviour that came in a 6.1 stable release is taken as unknown");
	assert_int_equal(ia_kver_decode("6.12.117+deb12-amd64", "Linux version 6.12.117+deb12-amd64 #1 SMP Debian 6.12.117-1", NULL, &k), 0);
	assert_string_equal(ia_kver_assumed(&k, buf, sizeof(buf)), "");
	assert_string_equal(ia_kver_assumed(NULL, buf, sizeof(buf)),
			    "the kernel release is unknown: every behaviour that changed between releases is taken as unknown");
	assert_string_equal(ia_kver_assumed(NULL, buf, 4), "the");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_details),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
