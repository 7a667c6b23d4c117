/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The audited kernel's upstream version and stable level, from its release string, its
 * proc/version line and (Ubuntu) proc/version_signature: pure decoding, no I/O. */
#ifndef IA_DECODE_KVERSION_H
#define IA_DECODE_KVERSION_H

#include <stdbool.h>
#include <stddef.h>

/** How the upstream stable level was derived. */
enum ia_kver_source {
	IA_KVER_NONE,       /* not derived: the stable level is unknown */
	IA_KVER_RELEASE,    /* the release's third number ("6.12.117+deb12-amd64", "6.11.4-301.fc41") */
	IA_KVER_DEBIAN,     /* proc/version's "Debian 6.1.192-2" (Debian's release "6.1.0-56-amd64" hides it) */
	IA_KVER_UBUNTU,     /* proc/version_signature's last field ("Ubuntu 5.15.0-91.101-generic 5.15.131") */
};

/** The kernel's upstream identity. */
struct ia_kver {
	bool has_version; int major, minor;  /* upstream major.minor (from the release) */
	bool has_stable; int stable;         /* upstream stable level: 117 of 6.12.117; unknown when false */
	enum ia_kver_source source;          /* where has_stable came from */
	bool backports;                      /* a distribution kernel that backports onto an old base
					      * (RHEL-like ".elN"): its behaviour may be newer than major.minor */
	bool distro_abi;                     /* the release's third number is a distribution ABI name
					      * ("6.1.0-56-amd64", "5.15.0-91-generic"), not the stable level */
	bool rc; int rc_n;                   /* a mainline pre-release ("6.13.0-rc5": rc_n 5); its
					      * behaviour is taken as X.Y's (the merge window is in rc1) */
	int el_major, el_minor;              /* RHEL-like ".el9_4": 9 and 4 (-1 when absent or not
					      * given); names the distribution release, says nothing upstream */
	bool suse;                           /* SUSE Linux Enterprise ("5.14.21-150500.55.39-default"):
					      * its X.Y.Z is the base, and it backports (backports is set) */
};

/**
 * ia_kver_source_name() - "release", "debian", "ubuntu" or "unknown".
 */
const char *ia_kver_source_name(enum ia_kver_source s);

/**
 * ia_kver_assumed() - what a verdict must assume about a kernel identified as @k, in words.
 * @k: a decoded kernel (ia_kver_decode()), or NULL (nothing known).
 * @buf, @cap: receives one sentence ("" when nothing is assumed: version and stable level known,
 *	no backports); truncated to @cap - 1 bytes.
 * Return: @buf.
 */
char *ia_kver_assumed(const struct ia_kver *k, char *buf, size_t cap);

/**
 * ia_kver_decode() - derive the upstream version of a kernel.
 * @release: uname -r, as proc/version's third word ("6.1.0-56-amd64"); may be NULL.
 * @proc_version: the proc/version line, or NULL when unreadable.
 * @signature: proc/version_signature (Ubuntu's "Ubuntu <abi>-<flavour> <upstream>"), or NULL.
 * @out: filled in full.
 *
 * Rules, in order: a "Debian X.Y.Z" in @proc_version (Debian's package version, printed by its
 * kernel's UTS_VERSION) gives the stable level Z when X.Y matches the release; else an Ubuntu
 * @signature's last field "X.Y.Z" with the same X.Y; else a release "X.Y.0-N-flavour" whose
 * @proc_version names Debian or Ubuntu (their ABI names: the .0 is not the stable level), or a
 * RHEL-like ".elN" release (backports, the .0 says nothing), leaves it unknown; else the release's
 * third number ("X.Y.Z", the kernel Makefile's SUBLEVEL, which UTS_RELEASE always carries; a
 * SUSE Linux Enterprise "X.Y.Z-1505xx..." keeps Z but is marked as backporting). "-rcN" after
 * "X.Y.0" (the Makefile's EXTRAVERSION of a mainline pre-release) sets @rc.
 * Return: 0; -EINVAL for a NULL @out; -IA_E_FORMAT when @release holds no "X.Y" (@out then says
 * nothing is known).
 */
int ia_kver_decode(const char *release, const char *proc_version, const char *signature, struct ia_kver *out);

#endif
