// SPDX-License-Identifier: GPL-2.0-or-later
// Walk the MADT's interrupt controller subtables (ACPI 6.5 §5.2.12) with bounds and length guards.
#include "decode/madt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decode/bytes.h"
#include "core/array.h"
#include "core/ia_err.h"

#define MADT_WHERE "APIC"
#define MADT_HDR_LEN 44u   /* ACPI header + local interrupt controller address + flags */

/* Growable arrays of one decode; capacities live only while decoding. */
struct madt_caps {
	size_t entries, its, msi, gicd, ioapic;
};

/* Shortest length each decoded type needs (ACPICA structure sizes; GICC: through its flags). */
static uint8_t madt_min_len(uint8_t type)
{
	switch (type) {
	case IA_MADT_LOCAL_APIC: return 8;
	case IA_MADT_IO_APIC: return 12;
	case IA_MADT_LOCAL_X2APIC: return 16;
	case IA_MADT_GICC: return 16;
	case IA_MADT_GICD: return 21;
	case IA_MADT_GIC_MSI_FRAME: return 24;
	case IA_MADT_GICR: return 16;
	case IA_MADT_GIC_ITS: return 20;
	default: return 0;
	}
}

/* Decode one subtable @p (already bounds-checked, @e->length bytes); 0 or -ENOMEM. */
static int madt_subtable(struct ia_madt *m, struct madt_caps *caps, struct ia_madt_entry *e,
			 const uint8_t *p)
{
	switch (e->type) {
	case IA_MADT_LOCAL_APIC:
		m->n_local_apic++;
		break;
	case IA_MADT_LOCAL_X2APIC:
		m->n_local_x2apic++;
		break;
	case IA_MADT_GICC:
		m->n_gicc++;
		if (ia_le32(p, 12) & 1u)
			m->n_gicc_enabled++;
		break;
	case IA_MADT_GICR:
		m->n_gicr++;
		break;
	case IA_MADT_IO_APIC: {
		struct ia_madt_ioapic *x;

		if (ia_array_reserve((void **)&m->ioapics, &caps->ioapic, m->n_ioapics + 1,
				 sizeof(*m->ioapics)))
			return -ENOMEM;
		x = &m->ioapics[m->n_ioapics++];
		x->offset = e->offset;
		x->ioapic_id = p[2];
		x->address = ia_le32(p, 4);
		x->gsi_base = ia_le32(p, 8);
		break;
	}
	case IA_MADT_GICD: {
		struct ia_madt_gicd *x;

		if (ia_array_reserve((void **)&m->gicds, &caps->gicd, m->n_gicds + 1, sizeof(*m->gicds)))
			return -ENOMEM;
		x = &m->gicds[m->n_gicds++];
		x->offset = e->offset;
		x->gic_id = ia_le32(p, 4);
		x->base = ia_le64(p, 8);
		x->gic_version = p[20];
		break;
	}
	case IA_MADT_GIC_MSI_FRAME: {
		struct ia_madt_gic_msi_frame *x;

		if (ia_array_reserve((void **)&m->msi_frames, &caps->msi, m->n_msi_frames + 1,
				 sizeof(*m->msi_frames)))
			return -ENOMEM;
		x = &m->msi_frames[m->n_msi_frames++];
		x->offset = e->offset;
		x->frame_id = ia_le32(p, 4);
		x->base = ia_le64(p, 8);
		x->flags = ia_le32(p, 16);
		x->spi_select = x->flags & 1u;
		x->spi_count = ia_le16(p, 20);
		x->spi_base = ia_le16(p, 22);
		break;
	}
	case IA_MADT_GIC_ITS: {
		struct ia_madt_gic_its *x;

		if (ia_array_reserve((void **)&m->its, &caps->its, m->n_its + 1, sizeof(*m->its)))
			return -ENOMEM;
		x = &m->its[m->n_its++];
		x->offset = e->offset;
		x->flags = p[2];
		x->non_coherent = x->flags & 1u;
		x->its_id = ia_le32(p, 4);
		x->base = ia_le64(p, 8);
		break;
	}
	default:
		return 0;
	}
	e->decoded = true;
	return 0;
}

int ia_madt_decode(const uint8_t *buf, size_t len, struct ia_madt *out, struct ia_diags *diags)
{
	struct madt_caps caps = {0};
	long use;
	size_t off;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	use = ia_acpi_hdr_decode(buf, len, "APIC", &out->hdr, diags);
	if (use < 0)
		return (int)use;
	if ((size_t)use < MADT_HDR_LEN) {
		ia_diag_add(diags, -IA_E_TRUNCATED, MADT_WHERE, use,
			    "table is %ld bytes, shorter than the 44-byte MADT header", use);
		return -IA_E_TRUNCATED;
	}
	out->local_ic_address = ia_le32(buf, 36);
	out->flags = ia_le32(buf, 40);
	for (off = MADT_HDR_LEN; off < (size_t)use;) {
		struct ia_madt_entry *e;
		uint8_t type, slen;
		int err;

		if (!ia_in_bounds((size_t)use, off, 2)) {
			ia_diag_add(diags, -IA_E_TRUNCATED, MADT_WHERE, (int64_t)off,
				    "subtable header at 0x%zx runs past the %ld-byte table", off, use);
			return -IA_E_TRUNCATED;
		}
		type = buf[off];
		slen = buf[off + 1];
		if (slen < 2) {
			ia_diag_add(diags, -IA_E_BADLEN, MADT_WHERE, (int64_t)off + 1,
				    "subtable type 0x%02x at 0x%zx has length %u; the walk stops",
				    type, off, slen);
			return -IA_E_BADLEN;
		}
		if (!ia_in_bounds((size_t)use, off, slen)) {
			ia_diag_add(diags, -IA_E_TRUNCATED, MADT_WHERE, (int64_t)off + 1,
				    "subtable type 0x%02x at 0x%zx (%u bytes) runs past the %ld-byte "
				    "table", type, off, slen, use);
			return -IA_E_TRUNCATED;
		}
		if (ia_array_reserve((void **)&out->entries, &caps.entries, out->n_entries + 1,
				 sizeof(*out->entries)))
			return -ENOMEM;
		e = &out->entries[out->n_entries++];
		e->type = type;
		e->length = slen;
		e->offset = (uint32_t)off;
		e->decoded = false;
		if (madt_min_len(type) && slen < madt_min_len(type)) {
			ia_diag_add(diags, -IA_E_BADLEN, MADT_WHERE, (int64_t)off + 1,
				    "subtable type 0x%02x at 0x%zx is %u bytes, shorter than its "
				    "%u-byte layout; recorded, not decoded", type, off, slen,
				    madt_min_len(type));
		} else {
			err = madt_subtable(out, &caps, e, buf + off);
			if (err)
				return err;
		}
		off += slen;
	}
	return (int)out->n_entries;
}

void ia_madt_free(struct ia_madt *madt)
{
	if (!madt)
		return;
	free(madt->entries);
	free(madt->its);
	free(madt->msi_frames);
	free(madt->gicds);
	free(madt->ioapics);
	memset(madt, 0, sizeof(*madt));
}

int ia_madt_find_its(const struct ia_madt *madt, uint32_t its_id, size_t *index)
{
	for (size_t i = 0; madt && i < madt->n_its; i++) {
		if (madt->its[i].its_id == its_id) {
			*index = i;
			return 0;
		}
	}
	return -ENOENT;
}
