// SPDX-License-Identifier: GPL-2.0-or-later
// Decode the ACPI DMAR table (Intel VT-d ch. 8) with bounded walks, and resolve device-scope paths to BDFs.
#include "decode/dmar.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decode/bytes.h"
#include "core/array.h"
#include "core/ia_err.h"

#define DMAR_WHERE "DMAR"
#define DMAR_SCOPE_HDR_LEN 6u
#define DMAR_STRUCT_HDR_LEN 4u
#define DMAR_PAGE_MASK 0xfffull
/* Kernel parse_dmar_table(): a width below PAGE_SHIFT - 1 is "Invalid DMAR haw". */
#define DMAR_MIN_HAW 11u

/* Fixed part of each known structure type, bytes (VT-d ch. 8; ACPICA actbl1.h). */
static size_t dmar_fixed_len(unsigned type)
{
	switch (type) {
	case IA_DMAR_DRHD: return 16;
	case IA_DMAR_RMRR: return 24;
	case IA_DMAR_ATSR: return 8;
	case IA_DMAR_RHSA: return 20;
	case IA_DMAR_ANDD: return 8;
	case IA_DMAR_SATC: return 8;
	case IA_DMAR_SIDP: return 8;
	default: return 0;
	}
}

const char *ia_dmar_type_name(unsigned type)
{
	switch (type) {
	case IA_DMAR_DRHD: return "DRHD";
	case IA_DMAR_RMRR: return "RMRR";
	case IA_DMAR_ATSR: return "ATSR";
	case IA_DMAR_RHSA: return "RHSA";
	case IA_DMAR_ANDD: return "ANDD";
	case IA_DMAR_SATC: return "SATC";
	case IA_DMAR_SIDP: return "SIDP";
	default: return "unknown";
	}
}

/* Remember the first error of a decode; later ones only go to the diagnostics. */
static void dmar_fail(int *first, int code)
{
	if (*first == 0)
		*first = code;
}

/*
 * Walk the device scopes of one structure: [start, end) are table offsets inside the
 * structure. Returns 0, or -ENOMEM; format problems go to @first and @diags.
 */
static int dmar_walk_scopes(const uint8_t *buf, size_t start, size_t end,
			    struct ia_dmar_struct *s, size_t *scopes_left, int *first, struct ia_diags *diags)
{
	const char *sname = ia_dmar_type_name(s->type);
	size_t cap = 0;
	size_t p = start;

	while (p < end) {
		size_t rem = end - p;

		if (*scopes_left == 0) {
			ia_diag_add(diags, -IA_E_TOOBIG, DMAR_WHERE, (int64_t)p,
				    "%s at 0x%x: more than %u device scopes in the table; the rest are not decoded",
				    sname, s->offset, IA_DMAR_MAX_SCOPES);
			dmar_fail(first, -IA_E_TOOBIG);
			return 1;
		}

		if (rem < 2) {
			ia_diag_add(diags, -IA_E_TRUNCATED, DMAR_WHERE, (int64_t)p,
				    "%s at 0x%x: %zu byte(s) left, too few for a device scope header",
				    sname, s->offset, rem);
			dmar_fail(first, -IA_E_TRUNCATED);
			return 0;
		}
		uint8_t slen = buf[p + 1];

		if (slen < DMAR_SCOPE_HDR_LEN) {
			ia_diag_add(diags, -IA_E_BADLEN, DMAR_WHERE, (int64_t)p,
				    "%s at 0x%x: device scope length %u is below 6; scope walk stopped",
				    sname, s->offset, slen);
			dmar_fail(first, -IA_E_BADLEN);
			return 0;
		}
		if (slen > rem) {
			ia_diag_add(diags, -IA_E_TRUNCATED, DMAR_WHERE, (int64_t)p,
				    "%s at 0x%x: device scope length %u runs %zu byte(s) past the structure end 0x%zx",
				    sname, s->offset, slen, (size_t)slen - rem, end);
			dmar_fail(first, -IA_E_TRUNCATED);
			return 0;
		}
		if (slen & 1u) {
			ia_diag_add(diags, -IA_E_BADLEN, DMAR_WHERE, (int64_t)p,
				    "%s at 0x%x: device scope length %u is odd; last byte of the path ignored",
				    sname, s->offset, slen);
			dmar_fail(first, -IA_E_BADLEN);
		}

		struct ia_dmar_scope *ns = ia_array_grow(s->scopes, &cap, s->n_scopes + 1, sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		s->scopes = ns;
		struct ia_dmar_scope *sc = &ns[s->n_scopes++];
		(*scopes_left)--;

		memset(sc, 0, sizeof(*sc));
		sc->offset = (uint32_t)p;
		sc->type = buf[p];
		sc->length = slen;
		sc->flags = buf[p + 2];
		sc->reserved = buf[p + 3];
		sc->enumeration_id = buf[p + 4];
		sc->start_bus = buf[p + 5];
		sc->n_path = (uint8_t)((slen - DMAR_SCOPE_HDR_LEN) / 2);
		for (size_t i = 0; i < sc->n_path; i++) {
			sc->path[i].device = buf[p + DMAR_SCOPE_HDR_LEN + 2 * i];
			sc->path[i].function = buf[p + DMAR_SCOPE_HDR_LEN + 2 * i + 1];
		}
		if (sc->type < IA_DMAR_SCOPE_ENDPOINT || sc->type > IA_DMAR_SCOPE_NAMESPACE)
			ia_diag_add(diags, -IA_E_UNSUPPORTED, DMAR_WHERE, (int64_t)p,
				    "%s at 0x%x: device scope type %u is reserved; kept as read",
				    sname, s->offset, sc->type);
		p += slen;
	}
	return 0;
}

/* Give back the unused capacity of @s's scope array (ia_array_grow() doubles from 8: a
 * structure with one scope held eight, 2 KiB). */
static void dmar_fit_scopes(struct ia_dmar_struct *s)
{
	if (s->n_scopes) {
		struct ia_dmar_scope *v = realloc(s->scopes, s->n_scopes * sizeof(*v));
		if (v)
			s->scopes = v;
	}
}

/* Copy the ANDD object name; returns false when no NUL ends it inside the structure. */
static bool dmar_copy_name(char *dst, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && src[i]; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
	dst[i] = '\0';
	return i < n;
}

/* Decode the fixed part of one known structure at @off into @s (bounds already checked). */
static int dmar_decode_fixed(const uint8_t *buf, size_t off, struct ia_dmar_struct *s,
			     int *first, struct ia_diags *diags)
{
	switch (s->type) {
	case IA_DMAR_DRHD:
		s->u.drhd.flags = buf[off + 4];
		s->u.drhd.size = buf[off + 5];
		s->has_segment = true;
		s->segment = ia_le16(buf, off + 6);
		s->u.drhd.register_base = ia_le64(buf, off + 8);
		if (s->u.drhd.register_base == 0)
			ia_diag_add(diags, -IA_E_RANGE, DMAR_WHERE, (int64_t)off + 8,
				    "DRHD at 0x%zx: register base address is 0: dmar_validate_one_drhd() fails, so the "
				    "kernel refuses the whole DMAR and enables no VT-d DMA remapping", off);
		break;
	case IA_DMAR_RMRR: {
		struct ia_dmar_rmrr *r = &s->u.rmrr;

		s->has_segment = true;
		s->segment = ia_le16(buf, off + 6);
		r->base = ia_le64(buf, off + 8);
		r->limit = ia_le64(buf, off + 16);
		r->range_ok = true;
		if (r->base & DMAR_PAGE_MASK) {
			ia_diag_add(diags, -IA_E_RANGE, DMAR_WHERE, (int64_t)off + 8,
				    "RMRR at 0x%zx: base 0x%llx is not 4 KiB aligned", off,
				    (unsigned long long)r->base);
			r->range_ok = false;
		}
		if ((r->limit + 1) & DMAR_PAGE_MASK) {
			ia_diag_add(diags, -IA_E_RANGE, DMAR_WHERE, (int64_t)off + 16,
				    "RMRR at 0x%zx: limit 0x%llx + 1 is not 4 KiB aligned", off,
				    (unsigned long long)r->limit);
			r->range_ok = false;
		}
		if (r->limit <= r->base) {
			ia_diag_add(diags, -IA_E_RANGE, DMAR_WHERE, (int64_t)off + 16,
				    "RMRR at 0x%zx: limit 0x%llx is not above base 0x%llx", off,
				    (unsigned long long)r->limit, (unsigned long long)r->base);
			r->range_ok = false;
		}
		break;
	}
	case IA_DMAR_ATSR:
		s->u.atsr.flags = buf[off + 4];
		s->has_segment = true;
		s->segment = ia_le16(buf, off + 6);
		break;
	case IA_DMAR_RHSA:
		s->u.rhsa.register_base = ia_le64(buf, off + 8);
		s->u.rhsa.proximity_domain = ia_le32(buf, off + 16);
		break;
	case IA_DMAR_ANDD: {
		size_t n = (size_t)s->length - 8;

		s->u.andd.device_number = buf[off + 7];
		s->u.andd.object_name = malloc(n + 1);
		if (!s->u.andd.object_name)
			return -ENOMEM;
		if (!dmar_copy_name(s->u.andd.object_name, buf + off + 8, n)) {
			ia_diag_add(diags, -IA_E_FORMAT, DMAR_WHERE, (int64_t)off + 8,
				    "ANDD at 0x%zx: object name is not NUL-terminated within %zu byte(s)",
				    off, n);
			dmar_fail(first, -IA_E_FORMAT);
		}
		break;
	}
	case IA_DMAR_SATC:
		s->u.satc.flags = buf[off + 4];
		s->has_segment = true;
		s->segment = ia_le16(buf, off + 6);
		break;
	case IA_DMAR_SIDP:
		s->has_segment = true;
		s->segment = ia_le16(buf, off + 6);
		break;
	default:
		break;
	}
	return 0;
}

static bool dmar_has_scopes(unsigned type)
{
	return type == IA_DMAR_DRHD || type == IA_DMAR_RMRR || type == IA_DMAR_ATSR ||
	       type == IA_DMAR_SATC || type == IA_DMAR_SIDP;
}

/* Record a structure that is skipped by its length. */
static int dmar_skip(struct ia_dmar *d, size_t *cap, size_t off, unsigned type, unsigned slen,
		     int reason)
{
	struct ia_dmar_skipped *nk = ia_array_grow(d->skipped, cap, d->n_skipped + 1, sizeof(*nk));

	if (!nk)
		return -ENOMEM;
	d->skipped = nk;
	struct ia_dmar_skipped *k = &nk[d->n_skipped++];

	k->offset = (uint32_t)off;
	k->type = (uint16_t)type;
	k->length = (uint16_t)slen;
	k->reason = reason;
	return 0;
}

int ia_dmar_decode(const uint8_t *buf, size_t len, struct ia_dmar *out, struct ia_diags *diags)
{
	size_t scap = 0, kcap = 0, scopes_left = IA_DMAR_MAX_SCOPES;
	int first = 0;
	long use;
	size_t off;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!buf)
		return -EINVAL;
	use = ia_acpi_hdr_decode(buf, len, "DMAR", &out->hdr, diags);
	if (use < 0) {
		memset(out, 0, sizeof(*out));
		return (int)use;
	}
	if (out->hdr.length > len)
		dmar_fail(&first, -IA_E_TRUNCATED); /* already reported by ia_acpi_hdr_decode() */
	if ((size_t)use < IA_DMAR_STRUCT_START) {
		ia_diag_add(diags, -IA_E_TRUNCATED, DMAR_WHERE, use,
			    "table is %ld bytes, shorter than the 48-byte DMAR header", use);
		dmar_fail(&first, -IA_E_TRUNCATED);
		return first;
	}
	out->haw = buf[36];
	out->address_bits = out->haw + 1u;
	out->flags = buf[37];
	out->intr_remap = out->flags & IA_DMAR_FLAG_INTR_REMAP;
	out->x2apic_opt_out = out->flags & IA_DMAR_FLAG_X2APIC_OPT_OUT;
	out->dma_ctrl_platform_opt_in = out->flags & IA_DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN;
	if (out->haw < DMAR_MIN_HAW)
		ia_diag_add(diags, -IA_E_RANGE, DMAR_WHERE, 36,
			    "host address width field %u (%u bits) is below 11; the kernel rejects the table",
			    out->haw, out->address_bits);

	for (off = IA_DMAR_STRUCT_START; off < (size_t)use;) {
		size_t rem = (size_t)use - off;

		if (rem < DMAR_STRUCT_HDR_LEN) {
			ia_diag_add(diags, -IA_E_TRUNCATED, DMAR_WHERE, (int64_t)off,
				    "%zu byte(s) left at the table end, too few for a structure header",
				    rem);
			dmar_fail(&first, -IA_E_TRUNCATED);
			return first;
		}
		unsigned type = ia_le16(buf, off);
		unsigned slen = ia_le16(buf, off + 2);

		if (slen < DMAR_STRUCT_HDR_LEN) {
			ia_diag_add(diags, -IA_E_BADLEN, DMAR_WHERE, (int64_t)off + 2,
				    "%s (type %u) at 0x%zx: length %u is below the 4-byte structure header; walk stopped",
				    ia_dmar_type_name(type), type, off, slen);
			dmar_fail(&first, -IA_E_BADLEN);
			return first;
		}
		if (slen > rem) {
			ia_diag_add(diags, -IA_E_TRUNCATED, DMAR_WHERE, (int64_t)off + 2,
				    "%s (type %u) at 0x%zx: length %u runs %zu byte(s) past the table end; walk stopped",
				    ia_dmar_type_name(type), type, off, slen, slen - rem);
			dmar_fail(&first, -IA_E_TRUNCATED);
			return first;
		}
		if (out->n_structs + out->n_skipped >= IA_DMAR_MAX_STRUCTS) {
			ia_diag_add(diags, -IA_E_TOOBIG, DMAR_WHERE, (int64_t)off,
				    "more than %u remapping structures; the rest of the table (from 0x%zx) is not decoded",
				    IA_DMAR_MAX_STRUCTS, off);
			dmar_fail(&first, -IA_E_TOOBIG);
			return first;
		}
		size_t fixed = dmar_fixed_len(type);

		if (fixed == 0) {
			ia_diag_add(diags, -IA_E_UNSUPPORTED, DMAR_WHERE, (int64_t)off,
				    "structure type %u at 0x%zx (length %u) is reserved; skipped",
				    type, off, slen);
			if (dmar_skip(out, &kcap, off, type, slen, -IA_E_UNSUPPORTED) < 0)
				goto nomem;
		} else if (slen < fixed) {
			ia_diag_add(diags, -IA_E_BADLEN, DMAR_WHERE, (int64_t)off + 2,
				    "%s at 0x%zx: length %u is shorter than its %zu-byte fixed part; skipped",
				    ia_dmar_type_name(type), off, slen, fixed);
			dmar_fail(&first, -IA_E_BADLEN);
			if (dmar_skip(out, &kcap, off, type, slen, -IA_E_BADLEN) < 0)
				goto nomem;
		} else {
			struct ia_dmar_struct *ns = ia_array_grow(out->structs, &scap, out->n_structs + 1,
								  sizeof(*ns));
			if (!ns)
				goto nomem;
			out->structs = ns;
			struct ia_dmar_struct *s = &ns[out->n_structs++];

			memset(s, 0, sizeof(*s));
			s->offset = (uint32_t)off;
			s->type = (uint16_t)type;
			s->length = (uint16_t)slen;
			if (dmar_decode_fixed(buf, off, s, &first, diags) < 0)
				goto nomem;
			int wr = dmar_has_scopes(type) ?
				 dmar_walk_scopes(buf, off + fixed, off + slen, s, &scopes_left, &first, diags) : 0;
			if (wr < 0)
				goto nomem;
			dmar_fit_scopes(s);
			if (wr > 0)
				return first; /* the scope limit: stop here, walk incomplete */
		}
		off += slen;
	}
	out->walk_complete = true;
	return first;

nomem:
	ia_diag_add(diags, -ENOMEM, DMAR_WHERE, (int64_t)off, "out of memory; walk stopped");
	return -ENOMEM;
}

void ia_dmar_free(struct ia_dmar *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_structs; i++) {
		free(d->structs[i].scopes);
		if (d->structs[i].type == IA_DMAR_ANDD)
			free(d->structs[i].u.andd.object_name);
	}
	free(d->structs);
	free(d->skipped);
	memset(d, 0, sizeof(*d));
}

int ia_dmar_scope_resolve(const struct ia_dmar_scope *sc, uint16_t segment,
			  ia_dmar_secondary_bus_fn secondary_bus, void *ctx,
			  struct ia_dmar_bdf *bdf, size_t *bad_element)
{
	unsigned bus;

	if (!sc || !secondary_bus || !bdf)
		return -EINVAL;
	if (sc->n_path == 0 || sc->n_path > IA_DMAR_PATH_MAX) {
		if (bad_element)
			*bad_element = 0;
		return -IA_E_BADLEN;
	}
	bus = sc->start_bus;
	for (size_t i = 0; i + 1 < sc->n_path; i++) {
		int r = secondary_bus(ctx, segment, (uint8_t)bus, sc->path[i].device,
				      sc->path[i].function);

		if (r < 0 || r > 255) {
			if (bad_element)
				*bad_element = i;
			return r < 0 ? r : -IA_E_RANGE;
		}
		bus = (unsigned)r;
	}
	bdf->segment = segment;
	bdf->bus = (uint8_t)bus;
	bdf->device = sc->path[sc->n_path - 1].device;
	bdf->function = sc->path[sc->n_path - 1].function;
	return 0;
}
