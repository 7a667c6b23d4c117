// SPDX-License-Identifier: GPL-2.0-or-later
// The audited kernel's upstream version and stable level (kversion.h).
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/ia_err.h"
#include "decode/kversion.h"

const char *ia_kver_source_name(enum ia_kver_source s)
{
	switch (s) {
	case IA_KVER_RELEASE: return "release";
	case IA_KVER_DEBIAN: return "debian";
	case IA_KVER_UBUNTU: return "ubuntu";
	default: return "unknown";
	}
}

/* A decimal number of 1 to 6 digits at *@p (advanced past it); -1 when none. */
static int kver_num(const char **p)
{
	int v = 0, n = 0;

	while (**p >= '0' && **p <= '9' && n < 6) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n && !(**p >= '0' && **p <= '9') ? v : -1;
}

/* "X.Y.Z" at @s: the three numbers; how many were read (0 to 3); @end past the last one. */
static int kver_triple(const char *s, int v[3], const char **end)
{
	const char *p = s;
	int n = 0;

	while (n < 3) {
		int x = kver_num(&p);
		if (x < 0)
			break;
		v[n++] = x;
		if (n == 3 || *p != '.' || !(p[1] >= '0' && p[1] <= '9'))
			break;
		p++;
	}
	if (end)
		*end = p;
	return n;
}

/* The last "@word X.Y.Z" in @text (the word preceded by a space, '(' or the start) whose X.Y is
 * @major.@minor ("(Debian 12.2.0-14)" of the compiler is skipped): 1 with @v, else 0. */
static int kver_after_word(const char *text, const char *word, int major, int minor, int v[3])
{
	size_t wl = strlen(word);
	int found = 0;

	for (const char *p = text; (p = strstr(p, word)); p += wl) {
		if ((p != text && p[-1] != ' ' && p[-1] != '(') || p[wl] != ' ')
			continue;
		int t[3];
		if (kver_triple(p + wl + 1, t, NULL) == 3 && t[0] == major && t[1] == minor) {
			memcpy(v, t, sizeof(t));
			found = 1;
		}
	}
	return found;
}

/* The last whitespace-separated field of @s that reads "X.Y.Z" exactly: 1 with @v, else 0. */
static int kver_last_field(const char *s, int v[3])
{
	const char *start = NULL, *p = s;
	size_t len = 0;

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		const char *f = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		start = f;
		len = (size_t)(p - f);
	}
	if (!start)
		return 0;
	const char *end;
	int t[3];
	if (kver_triple(start, t, &end) != 3 || (size_t)(end - start) != len)
		return 0;
	memcpy(v, t, sizeof(t));
	return 1;
}

/* ".elN[_M]" in @release (RHEL, CentOS Stream, Rocky, Alma, Oracle, Oracle UEK's ".el9uek"):
 * true with @maj (N) and @min (M, or -1). */
static bool kver_is_el(const char *release, int *maj, int *min)
{
	for (const char *p = release; (p = strstr(p, ".el")); p += 3)
		if (p[3] >= '0' && p[3] <= '9') {
			const char *q = p + 3;
			*maj = kver_num(&q);
			*min = -1;
			if (*q == '_' && q[1] >= '0' && q[1] <= '9') {
				q++;
				*min = kver_num(&q);
			}
			return *maj >= 0;
		}
	return false;
}

/* SUSE Linux Enterprise: "X.Y.Z-150500.55.39-default" (the SLE 15 SPn build number has six
 * digits, "15" then the service pack) with "SUSE" in proc/version. */
static bool kver_is_sle(const char *end, const char *proc_version)
{
	if (!end || *end != '-' || !proc_version || !strstr(proc_version, "SUSE"))
		return false;
	for (int i = 1; i <= 6; i++)
		if (end[i] < '0' || end[i] > '9')
			return false;
	return end[7] == '.';
}

char *ia_kver_assumed(const struct ia_kver *k, char *buf, size_t cap)
{
	if (!buf || !cap)
		return buf;
	buf[0] = '\0';
	if (!k || !k->has_version)
		snprintf(buf, cap, "the kernel release is unknown: every behaviour that changed between releases "
			 "is taken as unknown");
	else if (k->backports)
		snprintf(buf, cap, "a distribution kernel that backports onto Linux %d.%d%s: a behaviour that came "
			 "upstream after %d.%d is taken as unknown (it may have been backported), one from %d.%d "
			 "or before as present", k->major, k->minor, k->suse ? " (SUSE)" : k->el_major >= 0 ? " (RHEL-like)" : "",
			 k->major, k->minor, k->major, k->minor);
	else if (!k->has_stable)
		snprintf(buf, cap, "the upstream stable level of Linux %d.%d is not known (the distribution's "
			 "release hides it): a behaviour that came in a %d.%d stable release is taken as unknown",
			 k->major, k->minor, k->major, k->minor);
	else if (k->rc)
		snprintf(buf, cap, "a pre-release (%d.%d-rc%d) is taken as Linux %d.%d", k->major, k->minor, k->rc_n,
			 k->major, k->minor);
	return buf;
}

int ia_kver_decode(const char *release, const char *proc_version, const char *signature, struct ia_kver *out)
{
	int r[3] = { 0, 0, 0 }, v[3];
	const char *end = NULL;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->el_major = out->el_minor = -1;
	int n = release ? kver_triple(release, r, &end) : 0;
	if (n < 2)
		return -IA_E_FORMAT;
	if (n == 3 && r[2] == 0 && end && !strncmp(end, "-rc", 3) && end[3] >= '0' && end[3] <= '9') {
		const char *q = end + 3;
		int rcn = kver_num(&q);
		if (rcn >= 0) {
			out->rc = true;
			out->rc_n = rcn;
		}
	}
	out->has_version = true;
	out->major = r[0];
	out->minor = r[1];
	if (proc_version && kver_after_word(proc_version, "Debian", r[0], r[1], v)) {
		out->has_stable = true;
		out->stable = v[2];
		out->source = IA_KVER_DEBIAN;
		out->distro_abi = n == 3 && r[2] == 0 && end && *end == '-' && v[2] != 0;
		return 0;
	}
	if (signature && kver_last_field(signature, v) && v[0] == r[0] && v[1] == r[1]) {
		out->has_stable = true;
		out->stable = v[2];
		out->source = IA_KVER_UBUNTU;
		out->distro_abi = n == 3 && r[2] == 0;
		return 0;
	}
	bool debian_or_ubuntu = proc_version && (strstr(proc_version, "Debian") || strstr(proc_version, "Ubuntu"));
	/* "6.1.0-56-amd64", "5.15.0-91-generic": X.Y.0-<ABI number>-<flavour> */
	if (n == 3 && r[2] == 0 && end && end[0] == '-' && end[1] >= '0' && end[1] <= '9' && debian_or_ubuntu) {
		out->distro_abi = true;
		return 0;
	}
	if (kver_is_el(release, &out->el_major, &out->el_minor)) {
		out->backports = true;
		return 0;
	}
	if (n == 3 && kver_is_sle(end, proc_version))
		out->suse = out->backports = true;
	if (n == 3) {
		out->has_stable = true;
		out->stable = r[2];
		out->source = IA_KVER_RELEASE;
	}
	return 0;
}
