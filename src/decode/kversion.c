// SPDX-License-Identifier: GPL-2.0-or-later
// The audited kernel's upstream version and stable level (kversion.h).
#include <errno.h>
#include <stddef.h>
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

/* ".elN" in @release (RHEL, CentOS Stream, Rocky, Alma, Oracle: "5.14.0-427.13.1.el9_4.x86_64"). */
static bool kver_is_el(const char *release)
{
	for (const char *p = release; (p = strstr(p, ".el")); p += 3)
		if (p[3] >= '0' && p[3] <= '9')
			return true;
	return false;
}

int ia_kver_decode(const char *release, const char *proc_version, const char *signature, struct ia_kver *out)
{
	int r[3] = { 0, 0, 0 }, v[3];
	const char *end = NULL;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	int n = release ? kver_triple(release, r, &end) : 0;
	if (n < 2)
		return -IA_E_FORMAT;
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
	if (kver_is_el(release)) {
		out->backports = true;
		return 0;
	}
	if (n == 3) {
		out->has_stable = true;
		out->stable = r[2];
		out->source = IA_KVER_RELEASE;
	}
	return 0;
}
