// SPDX-License-Identifier: GPL-2.0-or-later
// Decode the ACPI IVRS table (AMD-Vi) into IVHD blocks, device entries, DeviceID ranges and IVMDs.
#include "decode/ivrs.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/bytes.h"
#include "core/array.h"
#include "core/ia_err.h"

#define IVRS_WHERE "IVRS"
#define IVRS_PAGE_MASK 0xFFFull

/* Decoder state: the usable table bytes, the output and the capacity of each output array. */
struct ivrs_ctx {
	const uint8_t *buf;
	size_t len;
	struct ia_ivrs *t;
	struct ia_diags *d;
	size_t cap_blocks, cap_ivhd, cap_entries, cap_hids, cap_ranges, cap_ivmd;
};

/* State of an open range, as init_iommu_from_acpi() keeps it between a start and an end. */
struct ivrs_range_state {
	bool open;              /* a start has been seen and not yet closed */
	uint16_t start;         /* devid_start (0 until a start is seen, as in the kernel) */
	uint8_t dte;            /* flags */
	bool alias;
	uint16_t alias_to;      /* devid_to */
	uint32_t ext;           /* ext_flags */
	uint8_t start_type;
	size_t start_entry;     /* index of the start entry */
	uint32_t start_offset;
};

/* Make room for element @n of a growable array (ia_array_reserve()); the zeroed slot, or NULL. */
static void *ivrs_grow(void **v, size_t n, size_t *cap, size_t size)
{
	if (ia_array_reserve(v, cap, n + 1, size))
		return NULL;
	memset((char *)*v + n * size, 0, size);
	return (char *)*v + n * size;
}

static const char *ivrs_entry_name(uint8_t type)
{
	switch (type) {
	case IA_IVHD_DEV_PAD4: return "Pad4";
	case IA_IVHD_DEV_ALL: return "All";
	case IA_IVHD_DEV_SELECT: return "Select";
	case IA_IVHD_DEV_RANGE_START: return "Range start";
	case IA_IVHD_DEV_RANGE_END: return "Range end";
	case IA_IVHD_DEV_PAD8: return "Pad8";
	case IA_IVHD_DEV_ALIAS_SELECT: return "Alias Select";
	case IA_IVHD_DEV_ALIAS_RANGE: return "Alias Range start";
	case IA_IVHD_DEV_EXT_SELECT: return "Extended Select";
	case IA_IVHD_DEV_EXT_RANGE: return "Extended Range start";
	case IA_IVHD_DEV_SPECIAL: return "Special";
	case IA_IVHD_DEV_ACPI_HID: return "ACPI HID";
	default: return "unknown";
	}
}

/* Copy @n bytes as NUL-terminated text (the kernel memcpy()s them into a char array). */
static void ivrs_copy_text(char *dst, const uint8_t *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Append one DeviceID range of IVHD @ivhd; false (with a diagnostic) when over the cap. */
static bool ivrs_add_range(struct ivrs_ctx *c, size_t ivhd, size_t entry, uint8_t kind,
			   uint16_t first, uint16_t last, uint8_t dte)
{
	struct ia_ivrs *t = c->t;
	struct ia_ivhd_range *r;

	if (t->n_ranges >= IA_IVRS_MAX_RANGES) {
		ia_diag_add(c->d, -IA_E_TOOBIG, IVRS_WHERE, t->entries[entry].offset,
			    "more than %u DeviceID ranges; the rest are not stored",
			    IA_IVRS_MAX_RANGES);
		return false;
	}
	r = ivrs_grow((void **)&t->ranges, t->n_ranges, &c->cap_ranges, sizeof(*r));
	if (!r)
		return false;
	r->first = first;
	r->last = last;
	r->ivhd = ivhd;
	r->entry = entry;
	r->kind = kind;
	r->dte = dte;
	t->n_ranges++;
	t->ivhd[ivhd].n_ranges++;
	return true;
}

/* The last range added, to attach alias or extended data. */
static struct ia_ivhd_range *ivrs_last_range(struct ivrs_ctx *c)
{
	return &c->t->ranges[c->t->n_ranges - 1];
}

static void ivrs_range_set_ext(struct ia_ivhd_range *r, uint32_t ext)
{
	r->has_ext = true;
	r->ext = ext;
	r->ats_disabled = (ext & IA_IVHD_EXT_ATS_DISABLED) != 0;
}

/* Add the alias DeviceID's own one-ID range (the kernel maps devid_to to the IOMMU too). */
static void ivrs_add_alias_target(struct ivrs_ctx *c, size_t ivhd, size_t entry, uint8_t kind,
				  uint16_t alias_to, uint8_t dte)
{
	if (ivrs_add_range(c, ivhd, entry, kind, alias_to, alias_to, dte))
		ivrs_last_range(c)->alias_target = true;
}

/* A Range end (0x04): close the open range as init_iommu_from_acpi() does. */
static void ivrs_close_range(struct ivrs_ctx *c, struct ivrs_range_state *st, size_t ivhd,
			     size_t entry)
{
	const struct ia_ivhd_entry *e = &c->t->entries[entry];
	size_t opener = st->open ? st->start_entry : entry;
	uint8_t kind = st->open ? st->start_type : IA_IVHD_DEV_RANGE_START;

	if (!st->open)
		ia_diag_add(c->d, -IA_E_FORMAT, IVRS_WHERE, e->offset,
			    "IVHD Range end (DeviceID 0x%04x) without a preceding range start; "
			    "Linux reuses its stale start DeviceID 0x%04x",
			    e->devid, st->start);
	st->open = false;
	if (e->devid < st->start) {
		ia_diag_add(c->d, -IA_E_RANGE, IVRS_WHERE, e->offset,
			    "IVHD Range end DeviceID 0x%04x is below its start 0x%04x; range is empty",
			    e->devid, st->start);
		return;
	}
	if (st->alias) {
		ivrs_add_alias_target(c, ivhd, opener, kind, st->alias_to, st->dte);
		if (ivrs_add_range(c, ivhd, opener, kind, st->start, e->devid, st->dte)) {
			ivrs_last_range(c)->has_alias = true;
			ivrs_last_range(c)->alias_devid = st->alias_to;
		}
		return;
	}
	if (ivrs_add_range(c, ivhd, opener, kind, st->start, e->devid, st->dte) &&
	    kind == IA_IVHD_DEV_EXT_RANGE)
		ivrs_range_set_ext(ivrs_last_range(c), st->ext);
}

/* A range start (0x03, 0x43, 0x47): remember it; report a start left open by the previous one. */
static void ivrs_open_range(struct ivrs_ctx *c, struct ivrs_range_state *st, size_t entry)
{
	const struct ia_ivhd_entry *e = &c->t->entries[entry];

	if (st->open)
		ia_diag_add(c->d, -IA_E_FORMAT, IVRS_WHERE, st->start_offset,
			    "IVHD %s (DeviceID 0x%04x) has no Range end before the next range "
			    "start at offset 0x%x; it is dropped",
			    ivrs_entry_name(st->start_type), st->start, e->offset);
	st->open = true;
	st->start = e->devid;
	st->dte = e->dte;
	st->alias = e->type == IA_IVHD_DEV_ALIAS_RANGE;
	st->alias_to = e->alias_devid;
	st->ext = e->type == IA_IVHD_DEV_EXT_RANGE ? e->ext : 0;
	st->start_type = e->type;
	st->start_entry = entry;
	st->start_offset = e->offset;
}

/* Decode the fields of an ACPI HID entry (0xF0) of @elen bytes at @p into a new hids[] slot. */
static bool ivrs_decode_hid(struct ivrs_ctx *c, size_t p, size_t elen, struct ia_ivhd_entry *e)
{
	struct ia_ivrs *t = c->t;
	struct ia_ivhd_acpi_hid *h;

	h = ivrs_grow((void **)&t->hids, t->n_hids, &c->cap_hids, sizeof(*h));
	if (!h)
		return false;
	ivrs_copy_text(h->hid, c->buf + p + 4, 8);
	h->hid_raw = ia_le64(c->buf, p + 4);
	ivrs_copy_text(h->cid, c->buf + p + 12, 8);
	h->cid_raw = ia_le64(c->buf, p + 12);
	h->uid_format = c->buf[p + 20];
	h->uid_len = c->buf[p + 21];
	ivrs_copy_text(h->uid, c->buf + p + 22, elen - 22);
	if (h->uid_format == IA_IVHD_UID_INTEGER && h->uid_len >= 1 && h->uid_len <= 8) {
		h->has_uid_int = true;
		for (size_t i = 0; i < h->uid_len; i++)
			h->uid_int |= (uint64_t)c->buf[p + 22 + i] << (8 * i);
	}
	if (h->uid_format == IA_IVHD_UID_INTEGER && h->uid_len >= 1)
		snprintf(h->linux_uid, sizeof(h->linux_uid), "%u", c->buf[p + 22]);
	else if (h->uid_format == IA_IVHD_UID_STRING)
		snprintf(h->linux_uid, sizeof(h->linux_uid), "%s", h->uid);
	e->has_acpi_hid = true;
	e->hid = t->n_hids++;
	return true;
}

/*
 * The length of the device entry at @p (bytes before the IVHD end: @room >= 1), by the kernel's
 * ivhd_entry_length() rule. Returns 0 with a diagnostic when it cannot be known or does not fit.
 */
static size_t ivrs_entry_length(struct ivrs_ctx *c, size_t p, size_t room, uint32_t ivhd_off)
{
	uint8_t type = c->buf[p];
	size_t elen;

	if (type < 0x80) {
		elen = (size_t)4 << (type >> 6);
	} else if (type == IA_IVHD_DEV_ACPI_HID) {
		if (room < 22) {
			ia_diag_add(c->d, -IA_E_TRUNCATED, IVRS_WHERE, (int64_t)p,
				    "IVHD at 0x%x: ACPI HID entry needs 22 bytes, %zu remain in the "
				    "IVHD; rest of its entries not decoded", ivhd_off, room);
			return 0;
		}
		elen = 22u + c->buf[p + 21];
		if (elen > room) {
			ia_diag_add(c->d, -IA_E_TRUNCATED, IVRS_WHERE, (int64_t)(p + 21),
				    "IVHD at 0x%x: ACPI HID UID length %u runs past the IVHD end "
				    "(%zu bytes remain for a %zu-byte entry); rest of its entries "
				    "not decoded", ivhd_off, c->buf[p + 21], room, elen);
			return 0;
		}
		return elen;
	} else {
		ia_diag_add(c->d, -IA_E_UNSUPPORTED, IVRS_WHERE, (int64_t)p,
			    "IVHD at 0x%x: device entry type 0x%02x has no defined length; rest of "
			    "the IVHD's entries not decoded (Linux's ivhd_entry_length() gives 0 "
			    "and its walk cannot advance)", ivhd_off, type);
		return 0;
	}
	if (elen > room) {
		ia_diag_add(c->d, -IA_E_TRUNCATED, IVRS_WHERE, (int64_t)p,
			    "IVHD at 0x%x: %zu-byte device entry type 0x%02x runs past the IVHD end "
			    "(%zu bytes remain); rest of its entries not decoded",
			    ivhd_off, elen, type, room);
		return 0;
	}
	return elen;
}

/* Apply one decoded entry to the DeviceID ranges of IVHD @ivhd (init_iommu_from_acpi()). */
static void ivrs_apply_entry(struct ivrs_ctx *c, struct ivrs_range_state *st, size_t ivhd,
			     size_t entry)
{
	struct ia_ivrs *t = c->t;
	const struct ia_ivhd_entry *e = &t->entries[entry];
	const struct ia_ivhd *h = &t->ivhd[ivhd];

	switch (e->type) {
	case IA_IVHD_DEV_ALL:
		ivrs_add_range(c, ivhd, entry, e->type, 0, 0xFFFF, e->dte);
		break;
	case IA_IVHD_DEV_SELECT:
		ivrs_add_range(c, ivhd, entry, e->type, e->devid, e->devid, e->dte);
		break;
	case IA_IVHD_DEV_EXT_SELECT:
		if (ivrs_add_range(c, ivhd, entry, e->type, e->devid, e->devid, e->dte))
			ivrs_range_set_ext(ivrs_last_range(c), e->ext);
		break;
	case IA_IVHD_DEV_ALIAS_SELECT:
		if (ivrs_add_range(c, ivhd, entry, e->type, e->devid, e->devid, e->dte)) {
			ivrs_last_range(c)->has_alias = true;
			ivrs_last_range(c)->alias_devid = e->alias_devid;
		}
		ivrs_add_alias_target(c, ivhd, entry, e->type, e->alias_devid, e->dte);
		break;
	case IA_IVHD_DEV_RANGE_START:
	case IA_IVHD_DEV_ALIAS_RANGE:
	case IA_IVHD_DEV_EXT_RANGE:
		ivrs_open_range(c, st, entry);
		break;
	case IA_IVHD_DEV_RANGE_END:
		ivrs_close_range(c, st, ivhd, entry);
		break;
	case IA_IVHD_DEV_SPECIAL:
		if (e->variety != IA_IVHD_SPECIAL_IOAPIC && e->variety != IA_IVHD_SPECIAL_HPET) {
			ia_diag_add(c->d, -IA_E_RANGE, IVRS_WHERE, e->offset + 7,
				    "IVHD Special entry variety %u is neither IOAPIC (1) nor HPET (2); "
				    "Linux fails this IOMMU (add_special_device() -EINVAL)", e->variety);
			break;
		}
		ivrs_add_range(c, ivhd, entry, e->type, e->source_devid, e->source_devid, e->dte);
		break;
	case IA_IVHD_DEV_ACPI_HID:
		if (h->type != IA_IVHD_TYPE_40) {
			ia_diag_add(c->d, -IA_E_FORMAT, IVRS_WHERE, e->offset,
				    "ACPI HID entry in IVHD type 0x%02x; Linux ignores it (valid in "
				    "type 40h only)", h->type);
			break;
		}
		if (t->hids[e->hid].hid[0] == '\0') {
			ia_diag_add(c->d, -IA_E_FORMAT, IVRS_WHERE, e->offset + 4,
				    "ACPI HID entry with an empty HID; Linux ignores it");
			break;
		}
		ivrs_add_range(c, ivhd, entry, e->type, e->devid, e->devid, e->dte);
		break;
	default:
		break;
	}
}

/* Walk the device entries of IVHD @ivhd, from @p to @end (table offsets). */
static int ivrs_walk_entries(struct ivrs_ctx *c, size_t ivhd, size_t p, size_t end)
{
	struct ia_ivrs *t = c->t;
	struct ivrs_range_state st = {0};
	uint32_t ivhd_off = t->ivhd[ivhd].offset;

	t->ivhd[ivhd].first_entry = t->n_entries;
	t->ivhd[ivhd].first_range = t->n_ranges;
	while (p < end) {
		size_t elen = ivrs_entry_length(c, p, end - p, ivhd_off);
		struct ia_ivhd_entry *e;
		uint8_t type = c->buf[p];

		if (elen == 0)
			break;
		if (t->n_entries >= IA_IVRS_MAX_ENTRIES) {
			ia_diag_add(c->d, -IA_E_TOOBIG, IVRS_WHERE, (int64_t)p,
				    "more than %u device entries; the rest are not decoded",
				    IA_IVRS_MAX_ENTRIES);
			break;
		}
		e = ivrs_grow((void **)&t->entries, t->n_entries, &c->cap_entries, sizeof(*e));
		if (!e)
			return -ENOMEM;
		e->offset = (uint32_t)p;
		e->type = type;
		e->length = (uint16_t)elen;
		e->ivhd = ivhd;
		e->devid = ia_le16(c->buf, p + 1);
		e->dte = c->buf[p + 3];
		e->known = true;
		switch (type) {
		case IA_IVHD_DEV_PAD4: case IA_IVHD_DEV_ALL: case IA_IVHD_DEV_SELECT:
		case IA_IVHD_DEV_RANGE_START: case IA_IVHD_DEV_RANGE_END: case IA_IVHD_DEV_PAD8:
			break;
		case IA_IVHD_DEV_ALIAS_SELECT:
		case IA_IVHD_DEV_ALIAS_RANGE:
			e->has_alias = true;
			e->alias_devid = ia_le16(c->buf, p + 5);
			break;
		case IA_IVHD_DEV_EXT_SELECT:
		case IA_IVHD_DEV_EXT_RANGE:
			e->has_ext = true;
			e->ext = ia_le32(c->buf, p + 4);
			break;
		case IA_IVHD_DEV_SPECIAL:
			e->has_special = true;
			e->handle = c->buf[p + 4];
			e->source_devid = ia_le16(c->buf, p + 5);
			e->variety = c->buf[p + 7];
			break;
		case IA_IVHD_DEV_ACPI_HID:
			if (!ivrs_decode_hid(c, p, elen, e))
				return -ENOMEM;
			break;
		default:
			e->known = false;
			ia_diag_add(c->d, -IA_E_UNSUPPORTED, IVRS_WHERE, (int64_t)p,
				    "IVHD at 0x%x: unknown device entry type 0x%02x skipped by its "
				    "%zu-byte length", ivhd_off, type, elen);
			break;
		}
		t->n_entries++;
		t->ivhd[ivhd].n_entries++;
		ivrs_apply_entry(c, &st, ivhd, t->n_entries - 1);
		p += elen;
	}
	t->ivhd[ivhd].entries_complete = p == end;
	if (st.open)
		ia_diag_add(c->d, -IA_E_FORMAT, IVRS_WHERE, st.start_offset,
			    "IVHD at 0x%x: %s (DeviceID 0x%04x) is never closed by a Range end; "
			    "the range is dropped", ivhd_off, ivrs_entry_name(st.start_type),
			    st.start);
	return 0;
}

/* Decode the IVHD at @off (length @blen, at least its fixed header) and its entries. */
static int ivrs_decode_ivhd(struct ivrs_ctx *c, size_t off, size_t blen, size_t hdr_len)
{
	struct ia_ivrs *t = c->t;
	struct ia_ivhd *h = ivrs_grow((void **)&t->ivhd, t->n_ivhd, &c->cap_ivhd, sizeof(*h));
	const uint8_t *b = c->buf;

	if (!h)
		return -ENOMEM;
	h->offset = (uint32_t)off;
	h->type = b[off];
	h->flags = b[off + 1];
	h->length = (uint16_t)blen;
	h->devid = ia_le16(b, off + 4);
	h->cap_offset = ia_le16(b, off + 6);
	h->base = ia_le64(b, off + 8);
	h->segment = ia_le16(b, off + 16);
	h->info = ia_le16(b, off + 18);
	h->msi_num = h->info & 0x1F;
	h->unit_id = (h->info >> 8) & 0x1F;
	h->attr = ia_le32(b, off + 20);
	if (hdr_len >= 40) {
		h->has_efr = true;
		h->efr = ia_le64(b, off + 24);
		h->efr2 = ia_le64(b, off + 32);
	}
	t->n_ivhd++;
	return ivrs_walk_entries(c, t->n_ivhd - 1, off + hdr_len, off + blen);
}

/* Decode the IVMD at @off (at least 32 bytes). */
static int ivrs_decode_ivmd(struct ivrs_ctx *c, size_t off, size_t blen)
{
	struct ia_ivrs *t = c->t;
	struct ia_ivmd *m = ivrs_grow((void **)&t->ivmd, t->n_ivmd, &c->cap_ivmd, sizeof(*m));
	const uint8_t *b = c->buf;

	if (!m)
		return -ENOMEM;
	m->offset = (uint32_t)off;
	m->type = b[off];
	m->flags = b[off + 1];
	m->length = (uint16_t)blen;
	m->devid = ia_le16(b, off + 4);
	m->aux = ia_le16(b, off + 6);
	m->segment = ia_le16(b, off + 8);
	m->start = ia_le64(b, off + 16);
	m->mem_length = ia_le64(b, off + 24);
	switch (m->type) {
	case IA_IVMD_TYPE_ALL:
		m->first = 0;
		m->last = 0xFFFF;
		break;
	case IA_IVMD_TYPE_ONE:
		m->first = m->last = m->devid;
		break;
	default:
		m->first = m->devid;
		m->last = m->aux;
		if (m->aux < m->devid)
			ia_diag_add(c->d, -IA_E_RANGE, IVRS_WHERE, (int64_t)off + 6,
				    "IVMD 22h end DeviceID 0x%04x is below its start 0x%04x; it names "
				    "no device", m->aux, m->devid);
		break;
	}
	m->zero_length = m->mem_length == 0;
	m->overflow = !m->zero_length && m->mem_length - 1 > UINT64_MAX - m->start;
	m->has_end = !m->zero_length && !m->overflow;
	if (m->has_end)
		m->end = m->start + (m->mem_length - 1);
	if (m->zero_length)
		ia_diag_add(c->d, -IA_E_BADLEN, IVRS_WHERE, (int64_t)off + 24,
			    "IVMD %02xh at 0x%zx has a zero memory block length", m->type, off);
	if (m->overflow)
		ia_diag_add(c->d, -IA_E_RANGE, IVRS_WHERE, (int64_t)off + 24,
			    "IVMD %02xh at 0x%zx: start 0x%" PRIx64 " + length 0x%" PRIx64
			    " overflows 64 bits", m->type, off, m->start, m->mem_length);
	m->linux_applies = (m->flags & (IA_IVMD_F_UNITY | IA_IVMD_F_EXCLUSION)) != 0;
	m->linux_start = (m->start + IVRS_PAGE_MASK) & ~IVRS_PAGE_MASK;
	m->linux_end = m->linux_start + ((m->mem_length + IVRS_PAGE_MASK) & ~IVRS_PAGE_MASK);
	t->n_ivmd++;
	return 0;
}

/* Decode one IVDB whose header and length have been checked; @blk is its block record. */
static int ivrs_decode_block(struct ivrs_ctx *c, struct ia_ivrs_block *blk)
{
	size_t off = blk->offset, blen = blk->length, need;

	switch (blk->type) {
	case IA_IVHD_TYPE_10:
	case IA_IVHD_TYPE_11:
	case IA_IVHD_TYPE_40:
		need = blk->type == IA_IVHD_TYPE_10 ? 24 : 40;
		if (blen < need) {
			blk->kind = IA_IVDB_INVALID;
			ia_diag_add(c->d, -IA_E_BADLEN, IVRS_WHERE, (int64_t)off + 2,
				    "IVHD type 0x%02x length %zu is shorter than its %zu-byte fixed "
				    "header; block skipped", blk->type, blen, need);
			return 0;
		}
		blk->kind = IA_IVDB_IVHD;
		blk->index = c->t->n_ivhd;
		return ivrs_decode_ivhd(c, off, blen, need);
	case IA_IVMD_TYPE_ALL:
	case IA_IVMD_TYPE_ONE:
	case IA_IVMD_TYPE_RANGE:
		if (blen < 32) {
			blk->kind = IA_IVDB_INVALID;
			ia_diag_add(c->d, -IA_E_BADLEN, IVRS_WHERE, (int64_t)off + 2,
				    "IVMD type 0x%02x length %zu is shorter than its 32-byte layout; "
				    "block skipped", blk->type, blen);
			return 0;
		}
		blk->kind = IA_IVDB_IVMD;
		blk->index = c->t->n_ivmd;
		return ivrs_decode_ivmd(c, off, blen);
	default:
		blk->kind = IA_IVDB_UNKNOWN;
		ia_diag_add(c->d, -IA_E_UNSUPPORTED, IVRS_WHERE, (int64_t)off,
			    "unknown IVDB type 0x%02x (%zu bytes) skipped by its length, as Linux "
			    "does", blk->type, blen);
		return 0;
	}
}

/*
 * The IVHD type Linux uses, as get_highest_supported_ivhd_type() computes it: the type of the
 * last IVDB, before the first one typed above 0x40, whose u16 at offset 4 equals the first
 * IVDB's; then mark each IVHD by that and by the highest type per (segment, DeviceID).
 */
struct ivrs_type_key {
	uint32_t key;     /* segment << 16 | DeviceID */
	uint8_t type;
};

static int ivrs_type_key_only_cmp(const void *a, const void *b)
{
	const struct ivrs_type_key *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* By key, then by type: the last entry of a key has its highest type. */
static int ivrs_type_key_cmp(const void *a, const void *b)
{
	const struct ivrs_type_key *x = a, *y = b;
	int c = ivrs_type_key_only_cmp(a, b);

	return c ? c : (x->type > y->type) - (x->type < y->type);
}

static void ivrs_select_types(struct ia_ivrs *t)
{
	if (t->n_blocks > 0) {
		uint16_t devid = t->blocks[0].devid;

		t->has_kernel_type = true;
		t->kernel_type = t->blocks[0].type;
		for (size_t i = 0; i < t->n_blocks && t->blocks[i].type <= IA_IVHD_TYPE_40; i++)
			if (t->blocks[i].devid == devid)
				t->kernel_type = t->blocks[i].type;
	}
	/* The highest type per (segment, DeviceID), from a sorted copy: n log n, where comparing
	 * every pair would take minutes on a hostile table of 65536 IVHDs. */
	struct ivrs_type_key *k = t->n_ivhd ? malloc(t->n_ivhd * sizeof(*k)) : NULL;
	size_t nk = 0;

	for (size_t i = 0; k && i < t->n_ivhd; i++)
		k[i] = (struct ivrs_type_key){ (uint32_t)t->ivhd[i].segment << 16 | t->ivhd[i].devid,
					       t->ivhd[i].type };
	if (k) {
		qsort(k, t->n_ivhd, sizeof(*k), ivrs_type_key_cmp);
		for (size_t i = 0; i < t->n_ivhd; i++) /* keep the last (highest type) of each key */
			if (i + 1 == t->n_ivhd || k[i + 1].key != k[i].key)
				k[nk++] = k[i];
	}
	for (size_t i = 0; i < t->n_ivhd; i++) {
		struct ia_ivhd *h = &t->ivhd[i];
		struct ivrs_type_key want = { (uint32_t)h->segment << 16 | h->devid, 0 }, *hit;

		h->linux_uses = t->has_kernel_type && h->type == t->kernel_type;
		h->highest_for_iommu = true;
		if (k) {
			hit = bsearch(&want, k, nk, sizeof(*k), ivrs_type_key_only_cmp);
			h->highest_for_iommu = !hit || hit->type <= h->type;
			continue;
		}
		for (size_t j = 0; j < t->n_ivhd; j++) /* out of memory: the slow way, still right */
			if (t->ivhd[j].segment == h->segment && t->ivhd[j].devid == h->devid &&
			    t->ivhd[j].type > h->type)
				h->highest_for_iommu = false;
	}
	free(k);
}

/* Walk the IVDBs from offset 48 to @c->len. Returns 0 or the error that stopped the walk. */
static int ivrs_walk_blocks(struct ivrs_ctx *c)
{
	struct ia_ivrs *t = c->t;
	size_t off = IA_IVRS_HDR_LEN;

	while (off < c->len) {
		struct ia_ivrs_block *blk;
		size_t blen;
		int r;

		if (c->len - off < 4) {
			ia_diag_add(c->d, -IA_E_TRUNCATED, IVRS_WHERE, (int64_t)off,
				    "%zu bytes remain at the end of the table, fewer than a 4-byte "
				    "IVDB header", c->len - off);
			return -IA_E_TRUNCATED;
		}
		blen = ia_le16(c->buf, off + 2);
		if (blen < 4) {
			ia_diag_add(c->d, -IA_E_BADLEN, IVRS_WHERE, (int64_t)off + 2,
				    "IVDB type 0x%02x has length %zu (below 4); walk stopped",
				    c->buf[off], blen);
			return -IA_E_BADLEN;
		}
		if (blen > c->len - off) {
			ia_diag_add(c->d, -IA_E_TRUNCATED, IVRS_WHERE, (int64_t)off + 2,
				    "IVDB type 0x%02x length %zu runs past the table end (%zu bytes "
				    "remain); walk stopped", c->buf[off], blen, c->len - off);
			return -IA_E_TRUNCATED;
		}
		if (t->n_blocks >= IA_IVRS_MAX_BLOCKS) {
			ia_diag_add(c->d, -IA_E_TOOBIG, IVRS_WHERE, (int64_t)off,
				    "more than %u IVDBs; walk stopped", IA_IVRS_MAX_BLOCKS);
			return -IA_E_TOOBIG;
		}
		blk = ivrs_grow((void **)&t->blocks, t->n_blocks, &c->cap_blocks, sizeof(*blk));
		if (!blk)
			return -ENOMEM;
		blk->offset = (uint32_t)off;
		blk->type = c->buf[off];
		blk->flags = c->buf[off + 1];
		blk->length = (uint16_t)blen;
		blk->has_devid = blen >= 6;
		if (blk->has_devid)
			blk->devid = ia_le16(c->buf, off + 4);
		t->n_blocks++;
		r = ivrs_decode_block(c, blk);
		if (r < 0)
			return r;
		off += blen;
	}
	return 0;
}

int ia_ivrs_decode(const uint8_t *buf, size_t len, struct ia_ivrs *out, struct ia_diags *diags)
{
	struct ivrs_ctx c = {0};
	long use;
	int r;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	use = ia_acpi_hdr_decode(buf, len, "IVRS", &out->hdr, diags);
	if (use < 0)
		return (int)use;
	if ((size_t)use < IA_IVRS_HDR_LEN) {
		ia_diag_add(diags, -IA_E_TRUNCATED, IVRS_WHERE, use,
			    "table has %ld usable bytes, fewer than the 48-byte IVRS header", use);
		return -IA_E_TRUNCATED;
	}
	out->ivinfo = ia_le32(buf, 36);
	out->efr_sup = (out->ivinfo & IA_IVINFO_EFRSUP) != 0;
	out->dma_remap = (out->ivinfo & IA_IVINFO_DMA_REMAP) != 0;
	out->gva_size = (out->ivinfo >> 5) & 0x7;
	out->pa_size = (out->ivinfo >> 8) & 0x7F;
	out->va_size = (out->ivinfo >> 15) & 0x7F;
	out->ht_ats_resv = (out->ivinfo & IA_IVINFO_HTATSRESV) != 0;

	c.buf = buf;
	c.len = (size_t)use;
	c.t = out;
	c.d = diags;
	r = ivrs_walk_blocks(&c);
	out->walk_complete = r == 0;
	ivrs_select_types(out);
	return r;
}

void ia_ivrs_free(struct ia_ivrs *t)
{
	if (!t)
		return;
	free(t->blocks);
	free(t->ivhd);
	free(t->entries);
	free(t->hids);
	free(t->ranges);
	free(t->ivmd);
	memset(t, 0, sizeof(*t));
}

int ia_ivrs_lookup(const struct ia_ivrs *t, uint16_t segment, uint16_t devid,
		   struct ia_ivrs_match *m)
{
	struct ia_ivrs_match res = {0};
	bool found = false;

	if (!t || !m)
		return -EINVAL;
	for (size_t i = 0; i < t->n_ranges; i++) {
		const struct ia_ivhd_range *r = &t->ranges[i];
		const struct ia_ivhd *h = &t->ivhd[r->ivhd];

		if (!h->linux_uses || h->segment != segment || devid < r->first || devid > r->last)
			continue;
		/* Each IVHD's ranges are contiguous in t->ranges (appended during its own entry walk),
		 * so an IVHD not seen before is exactly a change from the last covering range's IVHD:
		 * one pass, never a rescan (a hostile table can hold 65536 ranges). */
		if (!found || res.ivhd != r->ivhd)
			res.n_ivhd_claims++;
		found = true;
		res.ivhd = r->ivhd;
		res.range = i;
		res.dte = r->dte;
		res.ats_disabled = r->ats_disabled;
		if (r->has_alias) {
			res.has_alias = true;
			res.alias_devid = r->alias_devid;
		}
	}
	if (!found)
		return -ENOENT;
	for (size_t i = 0; i < t->n_ivhd; i++)
		if (t->ivhd[i].linux_uses && t->ivhd[i].segment == segment &&
		    t->ivhd[i].devid == devid)
			res.is_iommu = true;
	*m = res;
	return 0;
}

long ia_ivrs_next_ivmd(const struct ia_ivrs *t, uint16_t segment, uint16_t devid, size_t from)
{
	if (!t)
		return -EINVAL;
	for (size_t i = from; i < t->n_ivmd; i++) {
		const struct ia_ivmd *m = &t->ivmd[i];

		if (m->segment == segment && devid >= m->first && devid <= m->last)
			return (long)i;
	}
	return -ENOENT;
}
