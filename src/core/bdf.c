// SPDX-License-Identifier: GPL-2.0-or-later
// PCI function addresses (BDFs): the one parser and the one formatter of "DDDD:BB:DD.F".
#include "core/bdf.h"

#include <stdio.h>
#include <string.h>

#include "core/ia_err.h"

/* Value of one hex digit (upper case refused when @lower_only), or -1. */
static int bdf_hex(char c, int lower_only)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (!lower_only && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Value of exactly @n hex digits at @s, or -1. */
static long bdf_hexn(const char *s, size_t n, int lower_only)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		int d = bdf_hex(s[i], lower_only);
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

int ia_bdf_parse(const char *s, unsigned flags, struct ia_bdf *out)
{
	int canon = (flags & IA_BDF_CANONICAL) != 0;
	size_t len, dl;
	long dom = 0, bus, dev;

	if (!s)
		return -IA_E_FORMAT;
	len = strlen(s);
	/* BB:DD.F is the last 7 characters; a domain and its ':' come before it */
	if (len < 7 || len > IA_BDF_STRLEN)
		return -IA_E_FORMAT;
	dl = len - 7;
	if (dl) {
		dl--;   /* the ':' after the domain */
		if (dl < 1 || dl > 8 || s[dl] != ':')
			return -IA_E_FORMAT;
		if ((dom = bdf_hexn(s, dl, canon)) < 0)
			return -IA_E_FORMAT;
		if (canon && (dl < 4 || (dl > 4 && s[0] == '0')))
			return -IA_E_FORMAT;
		s += dl + 1;
	} else if (canon) {
		return -IA_E_FORMAT;
	}
	if (s[2] != ':' || s[5] != '.' || (bus = bdf_hexn(s, 2, canon)) < 0 ||
	    (dev = bdf_hexn(s + 3, 2, canon)) < 0 || dev > 0x1f || s[6] < '0' || s[6] > '7')
		return -IA_E_FORMAT;
	*out = (struct ia_bdf){ .domain = (uint32_t)dom, .bus = (uint8_t)bus, .dev = (uint8_t)dev,
				.fn = (uint8_t)(s[6] - '0') };
	return 0;
}

char *ia_bdf_format(struct ia_bdf b, char buf[IA_BDF_BUFSZ])
{
	snprintf(buf, IA_BDF_BUFSZ, "%04x:%02x:%02x.%u", (unsigned)b.domain, (unsigned)b.bus,
		 (unsigned)(b.dev & 0x1f), (unsigned)(b.fn & 7));
	return buf;
}

struct ia_bdf ia_bdf_from_devfn(uint32_t domain, uint8_t bus, uint8_t devfn)
{
	return (struct ia_bdf){ .domain = domain, .bus = bus, .dev = devfn >> 3, .fn = devfn & 7 };
}

int ia_bdf_cmp(struct ia_bdf a, struct ia_bdf b)
{
	if (a.domain != b.domain)
		return a.domain < b.domain ? -1 : 1;
	if (a.bus != b.bus)
		return a.bus < b.bus ? -1 : 1;
	if (a.dev != b.dev)
		return a.dev < b.dev ? -1 : 1;
	return (a.fn > b.fn) - (a.fn < b.fn);
}
