/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Growable heap arrays: the one overflow-checked capacity-doubling helper. */
#ifndef IA_ARRAY_H
#define IA_ARRAY_H

#include <stddef.h>

/* Capacity of an array's first allocation, in elements. */
#define IA_ARRAY_MIN 8

/**
 * ia_array_grow() - make a heap array hold at least @need elements.
 * @arr:  the array (NULL when none is allocated yet), of *@cap elements of @elem bytes each.
 * @cap:  its capacity in elements; updated on success.
 * @need: the number of elements it must hold (typically the count + 1); >= 1, so that NULL
 *        always means failure (with @need 0 and no array the NULL array is returned).
 * @elem: the size of one element in bytes (> 0).
 *
 * When @need <= *@cap nothing changes. Otherwise the capacity doubles (IA_ARRAY_MIN for an empty
 * array), or becomes @need when doubling is not enough or would overflow, and the array is
 * reallocated; the elements added by the growth, [old *@cap, new *@cap), are zeroed. The byte size
 * is checked against SIZE_MAX before realloc(), as the kernel's krealloc_array() does with
 * check_mul_overflow() (include/linux/slab.h).
 *
 * Return: the array, possibly moved; NULL when @need * @elem overflows size_t, @elem is 0, or
 * realloc() fails. On NULL @arr and *@cap are unchanged and @arr stays valid (the caller frees it).
 */
void *ia_array_grow(void *arr, size_t *cap, size_t need, size_t elem);

/**
 * ia_array_reserve() - ia_array_grow() on an array held in *@arrp (cast from T ** by the caller).
 * Return: 0, *@arrp and *@cap updated; -ENOMEM (overflow or no memory), both unchanged.
 */
int ia_array_reserve(void **arrp, size_t *cap, size_t need, size_t elem);

#endif
