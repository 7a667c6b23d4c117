// SPDX-License-Identifier: GPL-2.0-or-later
// Strict parsers for sysfs/procfs attribute text: numbers, booleans, resource, reserved_regions, cmdline.
#include "decode/sysfs_attr.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/ia_err.h"

static size_t attr_trim_nl(const char *s, size_t len)
{
	if (len && s[len - 1] == '\n')
		len--;
	return len;
}

/* attr_digit1[c]: 1 + the value of c as a hexadecimal digit (1-16), or 0 when it is none. */
static const unsigned char attr_digit1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9,
	['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11,
	['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/*
 * Parse one number filling exactly @len bytes (no newline allowed), with strtoull()'s result for
 * such text: base 16 takes an optional "0x"/"0X" before its first digit. Bases 10 and 16 are
 * decoded here (a resource file alone holds 51 numbers, and strtoull() is ~700 instructions a
 * number); any other base goes through strtoull().
 */
static int attr_u64(const char *s, size_t len, int base, uint64_t *out)
{
	char tmp[64];
	char *end;
	unsigned long long v;
	const unsigned char *u = (const unsigned char *)s;

	if (len == 0 || len >= sizeof(tmp))
		return -IA_E_FORMAT;
	if (!attr_digit1[u[0]])
		return -IA_E_FORMAT; /* no sign, no leading space */
	if (base == 10 || base == 16) {
		size_t i = 0;
		uint64_t x = 0, hi = 0; /* hi: bits shifted out (base 16), or set on overflow (base 10) */
		unsigned d;
		if (base == 16) {
			if (len > 2 && u[0] == '0' && (u[1] | 0x20) == 'x' && attr_digit1[u[2]])
				i = 2;
			for (; i < len && (d = attr_digit1[u[i]]) != 0; i++) {
				hi |= x >> 60;
				x = x << 4 | (d - 1);
			}
		} else {
			for (; i < len && (d = attr_digit1[u[i]]) != 0 && d <= 10; i++) {
				/* UINT64_MAX is 1844674407370955161 * 10 + 5 */
				hi |= x > 1844674407370955161u || (x == 1844674407370955161u && d - 1 > 5);
				x = x * 10 + (d - 1);
			}
		}
		if (hi)
			return -IA_E_RANGE; /* strtoull() reports ERANGE before trailing characters */
		if (i != len)
			return -IA_E_FORMAT; /* trailing characters, a NUL byte inside, or no digit */
		*out = x;
		return 0;
	}
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	errno = 0;
	v = strtoull(tmp, &end, base);
	if (errno == ERANGE)
		return -IA_E_RANGE;
	if (end != tmp + len) /* trailing characters, or a NUL byte inside the text */
		return -IA_E_FORMAT;
	*out = v;
	return 0;
}

int ia_parse_u64(const char *s, size_t len, int base, uint64_t *out)
{
	return attr_u64(s, attr_trim_nl(s, len), base, out);
}

int ia_parse_bool(const char *s, size_t len, bool *out)
{
	len = attr_trim_nl(s, len);
	if (len != 1)
		return -IA_E_FORMAT;
	switch (s[0]) {
	case 'Y': case 'y': case '1': *out = true; return 0;
	case 'N': case 'n': case '0': *out = false; return 0;
	default: return -IA_E_FORMAT;
	}
}

int ia_parse_pair_u64(const char *s, size_t len, char sep, int base, bool second_optional,
		      uint64_t *first, uint64_t *second, bool *has_second)
{
	const char *p;
	uint64_t a, b = 0;
	int r;

	len = attr_trim_nl(s, len);
	p = memchr(s, sep, len);
	if (!p) {
		if (!second_optional)
			return -IA_E_FORMAT;
		if ((r = attr_u64(s, len, base, &a)) < 0)
			return r;
		*first = a;
		if (has_second)
			*has_second = false;
		return 0;
	}
	if ((r = attr_u64(s, (size_t)(p - s), base, &a)) < 0 ||
	    (r = attr_u64(p + 1, len - (size_t)(p - s) - 1, base, &b)) < 0)
		return r;
	*first = a;
	if (second)
		*second = b;
	if (has_second)
		*has_second = true;
	return 0;
}

/* Split the next line; returns its length, advances *pos past the newline. */
static size_t attr_next_line(const char *s, size_t len, size_t *pos, const char **line)
{
	size_t start = *pos;
	const char *nl = memchr(s + start, '\n', len - start);
	size_t e = nl ? (size_t)(nl - s) : len;

	*line = s + start;
	*pos = e < len ? e + 1 : e;
	return e - start;
}

/* Parse up to @max whitespace-separated fields of a line into pointers/lengths. */
static size_t attr_fields(const char *l, size_t n, const char **f, size_t *fl, size_t max)
{
	size_t k = 0, i = 0;

	while (i < n) {
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (i == n)
			break;
		size_t st = i;
		while (i < n && l[i] != ' ' && l[i] != '\t')
			i++;
		if (k == max)
			return max + 1;
		f[k] = l + st;
		fl[k++] = i - st;
	}
	return k;
}

/* The 16 hexadecimal digits at @p into *v; false when one is not a digit. */
static bool attr_hex16(const char *p, uint64_t *v)
{
	const unsigned char *u = (const unsigned char *)p;
	uint64_t x = 0;
	unsigned d;

	for (int i = 0; i < 16; i++) {
		if (!(d = attr_digit1[u[i]]))
			return false;
		x = x << 4 | (d - 1);
	}
	*v = x;
	return true;
}

/*
 * A resource line exactly as resource_show() (drivers/pci/pci-sysfs.c) prints it:
 * "0x%016llx 0x%016llx 0x%016llx" (56 bytes), decoded at fixed offsets. False for any other
 * layout, which the general field parser then takes (same values for the same text).
 */
static bool attr_resource_line(const char *l, size_t n, struct ia_pci_resource *r)
{
	if (n != 56 || l[18] != ' ' || l[37] != ' ')
		return false;
	for (int i = 0; i < 3; i++)
		if (l[19 * i] != '0' || l[19 * i + 1] != 'x')
			return false;
	return attr_hex16(l + 2, &r->start) && attr_hex16(l + 21, &r->end) && attr_hex16(l + 40, &r->flags);
}

int ia_parse_resource(const char *s, size_t len, struct ia_pci_resource *out, size_t *n,
		      struct ia_diags *diags)
{
	size_t pos = 0, lineno = 0;

	*n = 0;
	while (pos < len) {
		const char *l, *f[3];
		size_t fl[3];
		size_t ll = attr_next_line(s, len, &pos, &l);

		lineno++;
		if (ll == 0)
			continue;
		if (*n == IA_PCI_MAX_RESOURCES) {
			ia_diag_add(diags, -IA_E_RANGE, "resource", (int64_t)(l - s),
				    "more than %d lines", IA_PCI_MAX_RESOURCES);
			return -IA_E_RANGE;
		}
		struct ia_pci_resource r;
		if (attr_resource_line(l, ll, &r))
			; /* the kernel's own layout */
		else if (attr_fields(l, ll, f, fl, 3) != 3 || ia_parse_u64(f[0], fl[0], 16, &r.start) ||
		    ia_parse_u64(f[1], fl[1], 16, &r.end) || ia_parse_u64(f[2], fl[2], 16, &r.flags)) {
			ia_diag_add(diags, -IA_E_FORMAT, "resource", (int64_t)(l - s),
				    "line %zu is not three hex numbers", lineno);
			return -IA_E_FORMAT;
		}
		out[(*n)++] = r;
	}
	return 0;
}

static const char *const attr_resv_names[] = {
	[IA_RESV_DIRECT] = "direct", [IA_RESV_DIRECT_RELAXABLE] = "direct-relaxable",
	[IA_RESV_RESERVED] = "reserved", [IA_RESV_MSI] = "msi",
};

const char *ia_resv_type_name(enum ia_resv_type t)
{
	return (unsigned)t < sizeof(attr_resv_names) / sizeof(attr_resv_names[0]) ?
		attr_resv_names[t] : "unknown";
}

int ia_parse_reserved_regions(const char *s, size_t len, struct ia_resv_region **out, size_t *n,
			      struct ia_diags *diags)
{
	size_t pos = 0, lineno = 0, cap = 0;
	struct ia_resv_region *v = NULL;
	int rc = 0;

	*out = NULL;
	*n = 0;
	while (pos < len) {
		const char *l, *f[3];
		size_t fl[3];
		size_t ll = attr_next_line(s, len, &pos, &l);
		struct ia_resv_region r;
		size_t t;

		lineno++;
		if (ll == 0)
			continue;
		if (attr_fields(l, ll, f, fl, 3) != 3 || ia_parse_u64(f[0], fl[0], 16, &r.start) ||
		    ia_parse_u64(f[1], fl[1], 16, &r.end)) {
			ia_diag_add(diags, -IA_E_FORMAT, "reserved_regions", (int64_t)(l - s),
				    "line %zu is not \"start end type\"", lineno);
			rc = -IA_E_FORMAT;
			break;
		}
		for (t = 0; t < sizeof(attr_resv_names) / sizeof(attr_resv_names[0]); t++)
			if (strlen(attr_resv_names[t]) == fl[2] && !memcmp(attr_resv_names[t], f[2], fl[2]))
				break;
		if (t == sizeof(attr_resv_names) / sizeof(attr_resv_names[0])) {
			ia_diag_add(diags, -IA_E_FORMAT, "reserved_regions", (int64_t)(l - s),
				    "line %zu has unknown region type \"%.*s\"", lineno,
				    (int)(fl[2] > 32 ? 32 : fl[2]), f[2]);
			rc = -IA_E_FORMAT;
			break;
		}
		if (r.end < r.start) {
			ia_diag_add(diags, -IA_E_RANGE, "reserved_regions", (int64_t)(l - s),
				    "line %zu ends before it starts", lineno);
			rc = -IA_E_RANGE;
			break;
		}
		r.type = (enum ia_resv_type)t;
		struct ia_resv_region *nv = ia_array_grow(v, &cap, *n + 1, sizeof(*nv));
		if (!nv) {
			rc = -ENOMEM;
			break;
		}
		v = nv;
		v[(*n)++] = r;
	}
	*out = v;
	return rc;
}

void ia_cmdline_free(struct ia_cmdline_token *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		free(t[i].key);
		free(t[i].value);
	}
	free(t);
}

int ia_parse_cmdline(const char *s, size_t len, struct ia_cmdline_token **out, size_t *n)
{
	struct ia_cmdline_token *v = NULL;
	size_t cap = 0, i = 0;

	*out = NULL;
	*n = 0;
	while (i < len) {
		while (i < len && isspace((unsigned char)s[i]))
			i++;
		if (i >= len || s[i] == '\0')
			break;
		/* One token, as next_arg() takes it: a quote toggles grouping; only a quote opening the
		 * token or its value, and the token's last character when it closes one, are dropped. */
		bool inq = false, quoted = false;
		if (s[i] == '"') {
			i++;
			inq = quoted = true;
		}
		size_t st = i, eq = 0, end;
		for (; i < len && s[i] != '\0' && (inq || !isspace((unsigned char)s[i])); i++) {
			if (!eq && i > st && s[i] == '=')
				eq = i; /* like next_arg(), a '=' opening the token does not split it */
			if (s[i] == '"')
				inq = !inq;
		}
		end = i;
		size_t kend = eq ? eq : end, vs = eq ? eq + 1 : end, ve = end;
		if (eq && vs < end && s[vs] == '"') {
			vs++;
			if (s[end - 1] == '"')
				ve = end - 1;
		} else if (quoted && end > st && s[end - 1] == '"') {
			if (eq)
				ve = end - 1;
			else
				kend = end - 1;
		}
		if (ve < vs)
			ve = vs;
		char *tok = strndup(s + st, kend - st);
		if (!tok)
			goto nomem;
		if (!eq && !strcmp(tok, "--")) {
			free(tok);
			break;
		}
		struct ia_cmdline_token *nv = ia_array_grow(v, &cap, *n + 1, sizeof(*nv));
		if (!nv) {
			free(tok);
			goto nomem;
		}
		v = nv;
		v[*n].value = NULL;
		if (eq) {
			v[*n].value = strndup(s + vs, ve - vs);
			if (!v[*n].value) {
				free(tok);
				goto nomem;
			}
		}
		v[*n].key = tok;
		(*n)++;
	}
	*out = v;
	return 0;
nomem:
	ia_cmdline_free(v, *n);
	*n = 0;
	return -ENOMEM;
}
