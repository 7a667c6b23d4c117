// SPDX-License-Identifier: GPL-2.0-or-later
// Growable heap arrays: the one overflow-checked capacity-doubling helper.
#include "core/array.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *ia_array_grow(void *arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *nv;

	if (need <= *cap)
		return arr;
	if (!elem || need > SIZE_MAX / elem)
		return NULL;
	ncap = !*cap ? IA_ARRAY_MIN : *cap <= SIZE_MAX / 2 ? *cap * 2 : need;
	if (ncap < need || ncap > SIZE_MAX / elem)
		ncap = need;
	if (!(nv = realloc(arr, ncap * elem)))
		return NULL;
	memset((char *)nv + *cap * elem, 0, (ncap - *cap) * elem);
	*cap = ncap;
	return nv;
}

int ia_array_reserve(void **arrp, size_t *cap, size_t need, size_t elem)
{
	void *nv;

	if (need <= *cap)
		return 0;
	if (!(nv = ia_array_grow(*arrp, cap, need, elem)))
		return -ENOMEM;
	*arrp = nv;
	return 0;
}
