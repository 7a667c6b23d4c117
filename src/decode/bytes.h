/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bounds-checked little-endian readers over a byte buffer, for every decoder. */
#ifndef IA_BYTES_H
#define IA_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when [off, off+n) lies inside a buffer of @len bytes (no overflow). */
static inline bool ia_in_bounds(size_t len, size_t off, size_t n)
{
	return off <= len && n <= len - off;
}

/* Little-endian loads; the caller has checked bounds with ia_in_bounds(). */
static inline uint8_t ia_le8(const uint8_t *p, size_t off) { return p[off]; }
static inline uint16_t ia_le16(const uint8_t *p, size_t off)
{
	return (uint16_t)(p[off] | (p[off + 1] << 8));
}
static inline uint32_t ia_le32(const uint8_t *p, size_t off)
{
	return (uint32_t)p[off] | ((uint32_t)p[off + 1] << 8) | ((uint32_t)p[off + 2] << 16) |
	       ((uint32_t)p[off + 3] << 24);
}
static inline uint64_t ia_le64(const uint8_t *p, size_t off)
{
	return (uint64_t)ia_le32(p, off) | ((uint64_t)ia_le32(p, off + 4) << 32);
}
/* Big-endian 32-bit load, for device-tree cells. */
static inline uint32_t ia_be32(const uint8_t *p, size_t off)
{
	return ((uint32_t)p[off] << 24) | ((uint32_t)p[off + 1] << 16) |
	       ((uint32_t)p[off + 2] << 8) | (uint32_t)p[off + 3];
}

#endif
