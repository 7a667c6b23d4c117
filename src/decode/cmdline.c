// SPDX-License-Identifier: GPL-2.0-or-later
// Kernel command-line parameter names (parameq()) and comma-separated option lists, decoded without I/O.
#include "decode/cmdline.h"

#include <string.h>

bool ia_cmdline_key_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;
		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

bool ia_cmdline_option_next(const char *value, size_t *pos, size_t *off, size_t *len)
{
	size_t i = *pos;

	if (!value)
		return false;
	while (value[i] == ',')
		i++;
	if (!value[i]) {
		*pos = i;
		return false;
	}
	size_t n = strcspn(value + i, ",");
	*off = i;
	*len = n;
	*pos = i + n;
	return true;
}

enum ia_tri ia_kstrtobool(const char *v)
{
	if (!v)
		return IA_UNKNOWN;
	switch (v[0]) {
	case '\0':
		return IA_YES; /* a bare flag: param_set_bool() reads NULL as "1" */
	case 'y': case 'Y': case '1':
		return IA_YES;
	case 'n': case 'N': case '0':
		return IA_NO;
	case 'o': case 'O':
		if (v[1] == 'n' || v[1] == 'N')
			return IA_YES;
		if (v[1] == 'f' || v[1] == 'F')
			return IA_NO;
		return IA_UNKNOWN;
	default:
		return IA_UNKNOWN;
	}
}
