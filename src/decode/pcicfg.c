// SPDX-License-Identifier: GPL-2.0-or-later
// Decode one PCI function's configuration space from a buffer, marking what was unreadable.
#include "decode/pcicfg.h"

#include <errno.h>
#include <string.h>

#include "decode/bytes.h"
#include "core/ia_err.h"

const char *ia_pcie_type_name(uint8_t type)
{
	switch (type) {
	case IA_PCIE_ENDPOINT: return "endpoint";
	case IA_PCIE_LEG_END: return "legacy-endpoint";
	case IA_PCIE_ROOT_PORT: return "root-port";
	case IA_PCIE_UPSTREAM: return "upstream-port";
	case IA_PCIE_DOWNSTREAM: return "downstream-port";
	case IA_PCIE_PCI_BRIDGE: return "pcie-to-pci-bridge";
	case IA_PCIE_PCIE_BRIDGE: return "pci-to-pcie-bridge";
	case IA_PCIE_RC_END: return "rc-integrated-endpoint";
	case IA_PCIE_RC_EC: return "rc-event-collector";
	default: return "reserved";
	}
}

const struct ia_pcicap *ia_pcicfg_find(const struct ia_pcicfg *c, bool ext, uint16_t id)
{
	for (size_t i = 0; i < c->n_caps; i++)
		if (c->caps[i].ext == ext && c->caps[i].id == id)
			return &c->caps[i];
	return NULL;
}

static void pcicfg_add_cap(struct ia_pcicfg *c, bool ext, uint16_t id, uint16_t off, uint8_t ver,
			   struct ia_diags *diags)
{
	if (c->n_caps == IA_PCICFG_MAX_CAPS) {
		ia_diag_add(diags, -IA_E_RANGE, "config", off,
			    "more than %d capabilities; the rest are not recorded", IA_PCICFG_MAX_CAPS);
		return;
	}
	c->caps[c->n_caps++] = (struct ia_pcicap){ .ext = ext, .id = id, .offset = off, .version = ver };
}

/* Walk the standard list. Returns IA_YES when it ended normally, IA_UNKNOWN when it ran into
 * unreadable bytes, IA_NO when it was malformed (loop or pointer into the header). */
static enum ia_tri pcicfg_walk_std(const uint8_t *b, size_t rd, struct ia_pcicfg *c,
				   struct ia_diags *diags)
{
	uint8_t seen[256 / 8] = {0};
	uint8_t pos;

	if (!(c->status & 0x10))
		return IA_YES; /* Status.CapList clear: no list */
	pos = b[c->hdr_type == 2 ? 0x14 : 0x34] & 0xfc;
	while (pos) {
		if (pos < 0x40) {
			ia_diag_add(diags, -IA_E_FORMAT, "config", pos,
				    "capability pointer 0x%02x points into the header", pos);
			return IA_NO;
		}
		if (seen[pos / 8] & (1u << (pos % 8))) {
			ia_diag_add(diags, -IA_E_LOOP, "config", pos,
				    "capability list loops back to 0x%02x", pos);
			return IA_NO;
		}
		seen[pos / 8] |= (uint8_t)(1u << (pos % 8));
		if (!ia_in_bounds(rd, pos, 2))
			return IA_UNKNOWN;
		uint8_t id = b[pos];
		if (id == 0xff) { /* config read as all-ones: device gone or error */
			ia_diag_add(diags, -ENODEV, "config", pos,
				    "capability at 0x%02x reads as all-ones (device gone or in error)", pos);
			return IA_NO;
		}
		pcicfg_add_cap(c, false, id, pos, 0, diags);
		if (id == IA_PCI_CAP_ID_EXP && c->is_pcie != IA_YES) {
			c->pcie_off = pos;
			if (!ia_in_bounds(rd, pos, 8)) {
				c->is_pcie = IA_UNKNOWN; /* present, but its registers are unreadable */
			} else {
				c->is_pcie = IA_YES;
				c->pcie_flags = ia_le16(b, pos + 2);
				c->pcie_type = (c->pcie_flags >> 4) & 0xf;
				c->devcap = ia_le32(b, pos + 4);
				if ((c->pcie_flags & 0xf) < 2)
					c->has_devcap2 = IA_NO; /* version 1 has no DevCap2 */
				else if (ia_in_bounds(rd, pos, 0x28)) {
					c->has_devcap2 = IA_YES;
					c->devcap2 = ia_le32(b, pos + 0x24);
					c->eetlp_prefix = (c->devcap2 >> 21) & 1;
					c->eetlp_max = (c->devcap2 >> 22) & 3;
				} else {
					c->has_devcap2 = IA_UNKNOWN;
				}
			}
		}
		pos = b[pos + 1] & 0xfc;
	}
	return IA_YES;
}

static void pcicfg_ext_cap(const uint8_t *b, size_t rd, struct ia_pcicfg *c, uint16_t id,
			   uint16_t pos)
{
	switch (id) {
	case IA_PCI_EXT_CAP_ID_ACS:
		if (c->has_acs == IA_YES)
			break;
		c->acs_off = pos;
		if (!ia_in_bounds(rd, pos, 8)) {
			c->has_acs = IA_UNKNOWN;
			break;
		}
		c->has_acs = IA_YES;
		c->acs_cap = ia_le16(b, pos + 4);
		c->acs_ctrl = ia_le16(b, pos + 6);
		c->acs_cap_dw = ia_le32(b, pos + 4);
		c->acs_ctrl_dw = ia_in_bounds(rd, pos + 8, 4) ? ia_le32(b, pos + 8) : 0;
		c->acs_egress_bits = (c->acs_cap >> 8) & 0xff;
		break;
	case IA_PCI_EXT_CAP_ID_ATS:
		c->ats_off = pos;
		c->has_ats = ia_in_bounds(rd, pos, 8) ? IA_YES : IA_UNKNOWN;
		if (c->has_ats == IA_YES) {
			c->ats_cap = ia_le16(b, pos + 4);
			c->ats_ctrl = ia_le16(b, pos + 6);
		}
		break;
	case IA_PCI_EXT_CAP_ID_PRI:
		c->pri_off = pos;
		c->has_pri = ia_in_bounds(rd, pos, 12) ? IA_YES : IA_UNKNOWN;
		if (c->has_pri == IA_YES) {
			c->pri_ctrl = ia_le16(b, pos + 4);
			c->pri_status = ia_le16(b, pos + 6);
			c->pri_capacity = ia_le32(b, pos + 8);
		}
		break;
	case IA_PCI_EXT_CAP_ID_PASID:
		c->pasid_off = pos;
		c->has_pasid = ia_in_bounds(rd, pos, 8) ? IA_YES : IA_UNKNOWN;
		if (c->has_pasid == IA_YES) {
			c->pasid_cap = ia_le16(b, pos + 4);
			c->pasid_ctrl = ia_le16(b, pos + 6);
			c->pasid_width = (c->pasid_cap >> 8) & 0x1f;
		}
		break;
	case IA_PCI_EXT_CAP_ID_ARI:
		c->has_ari = IA_YES;
		break;
	case IA_PCI_EXT_CAP_ID_SRIOV:
		c->sriov_off = pos;
		c->has_sriov = ia_in_bounds(rd, pos, 0x1c) ? IA_YES : IA_UNKNOWN;
		if (c->has_sriov == IA_YES) {
			c->sriov_ctrl = ia_le16(b, pos + 0x08);
			c->sriov_total_vfs = ia_le16(b, pos + 0x0e);
			c->sriov_num_vfs = ia_le16(b, pos + 0x10);
			c->sriov_vf_offset = ia_le16(b, pos + 0x14);
			c->sriov_vf_stride = ia_le16(b, pos + 0x16);
			c->sriov_vf_device = ia_le16(b, pos + 0x1a);
		}
		break;
	}
}

static enum ia_tri pcicfg_walk_ext(const uint8_t *b, size_t rd, struct ia_pcicfg *c,
				   struct ia_diags *diags)
{
	uint8_t seen[IA_PCI_CFG_EXT / 4 / 8] = {0};
	uint16_t pos = 0x100;

	if (!ia_in_bounds(rd, pos, 4))
		return IA_UNKNOWN;
	if (ia_le32(b, pos) == 0 || ia_le32(b, pos) == 0xffffffffu)
		return IA_YES; /* no extended capabilities (PCIe Base §7.6.2: header of zeros) */
	while (pos) {
		if (pos < 0x100 || (pos & 3)) {
			ia_diag_add(diags, -IA_E_FORMAT, "config", pos,
				    "extended capability pointer 0x%03x is outside 0x100..0xffc", pos);
			return IA_NO;
		}
		if (seen[pos / 4 / 8] & (1u << ((pos / 4) % 8))) {
			ia_diag_add(diags, -IA_E_LOOP, "config", pos,
				    "extended capability list loops back to 0x%03x", pos);
			return IA_NO;
		}
		seen[pos / 4 / 8] |= (uint8_t)(1u << ((pos / 4) % 8));
		if (!ia_in_bounds(rd, pos, 4))
			return IA_UNKNOWN;
		uint32_t hdr = ia_le32(b, pos);
		if (hdr == 0xffffffffu) {
			ia_diag_add(diags, -ENODEV, "config", pos,
				    "extended capability at 0x%03x reads as all-ones (device gone or in error)",
				    pos);
			return IA_NO;
		}
		uint16_t id = hdr & 0xffff;
		pcicfg_add_cap(c, true, id, pos, (hdr >> 16) & 0xf, diags);
		pcicfg_ext_cap(b, rd, c, id, pos);
		pos = (hdr >> 20) & 0xffc;
	}
	return IA_YES;
}

int ia_pcicfg_decode(const uint8_t *buf, size_t readable, size_t cfg_size,
		     struct ia_pcicfg *c, struct ia_diags *diags)
{
	enum ia_tri std, ext;
	size_t rd = readable;

	memset(c, 0, sizeof(*c));
	if (cfg_size == 0)
		cfg_size = readable;
	if (rd > cfg_size)
		rd = cfg_size;
	c->readable = rd;
	c->cfg_size = cfg_size;
	c->caps_complete = c->is_pcie = c->has_devcap2 = c->has_acs = c->has_ats = c->has_pri =
		c->has_pasid = c->has_ari = c->has_sriov = IA_UNKNOWN;
	if (rd < 64) {
		ia_diag_add(diags, -IA_E_TRUNCATED, "config", (int64_t)rd,
			    "only %zu bytes of config space readable, fewer than the 64-byte header", rd);
		if (rd >= 4) {
			c->vendor = ia_le16(buf, 0);
			c->device = ia_le16(buf, 2);
		}
		return -IA_E_TRUNCATED;
	}
	c->vendor = ia_le16(buf, 0);
	c->device = ia_le16(buf, 2);
	c->command = ia_le16(buf, 4);
	c->status = ia_le16(buf, 6);
	c->revision = buf[8];
	c->class_code = (uint32_t)buf[9] | ((uint32_t)buf[10] << 8) | ((uint32_t)buf[11] << 16);
	c->hdr_type = buf[0x0e] & 0x7f;
	c->hdr_multifunction = buf[0x0e] & 0x80;
	if (c->hdr_type == 1 || c->hdr_type == 2) {
		c->primary_bus = buf[0x18];
		c->secondary_bus = buf[0x19];
		c->subordinate_bus = buf[0x1a];
	}

	/* Standard list: a missing PCIe capability is known absent only once the walk finished. */
	std = pcicfg_walk_std(buf, rd, c, diags);
	if (c->is_pcie == IA_UNKNOWN && std == IA_YES && !c->pcie_off)
		c->is_pcie = IA_NO; /* (a PCIe capability whose registers were unreadable stays unknown) */
	if (c->is_pcie == IA_UNKNOWN && std == IA_NO)
		c->is_pcie = IA_UNKNOWN; /* malformed list: cannot tell */
	if (c->is_pcie != IA_YES)
		c->has_devcap2 = c->is_pcie == IA_NO ? IA_NO : IA_UNKNOWN;

	/* Extended list: exists only for PCIe (or PCI-X 2.0) functions with 4096-byte config. */
	if (c->is_pcie == IA_NO || (c->is_pcie == IA_YES && cfg_size <= IA_PCI_CFG_LEGACY)) {
		ext = IA_YES; /* the kernel sees no extended space either */
		c->has_acs = c->has_ats = c->has_pri = c->has_pasid = c->has_ari = c->has_sriov = IA_NO;
	} else if (c->is_pcie == IA_UNKNOWN) {
		ext = IA_UNKNOWN;
	} else {
		ext = pcicfg_walk_ext(buf, rd, c, diags);
		enum ia_tri missing = ext == IA_YES ? IA_NO : IA_UNKNOWN;
		if (c->has_acs == IA_UNKNOWN && !c->acs_off) c->has_acs = missing;
		if (c->has_ats == IA_UNKNOWN && !c->ats_off) c->has_ats = missing;
		if (c->has_pri == IA_UNKNOWN && !c->pri_off) c->has_pri = missing;
		if (c->has_pasid == IA_UNKNOWN && !c->pasid_off) c->has_pasid = missing;
		if (c->has_ari == IA_UNKNOWN) c->has_ari = missing;
		if (c->has_sriov == IA_UNKNOWN && !c->sriov_off) c->has_sriov = missing;
	}
	c->caps_complete = (std == IA_YES && ext == IA_YES) ? IA_YES
			 : (std == IA_NO || ext == IA_NO) ? IA_NO : IA_UNKNOWN;
	return 0;
}

/* ia_pcicfg_fetch()'s state: what was read, and how far the reader goes. */
struct pcicfg_fetcher {
	ia_pcicfg_read_fn read;
	void *ctx;
	uint8_t *buf;
	size_t size, limit;
	uint8_t have[IA_PCI_CFG_EXT / 4 / 8];   /* one bit per dword read */
	struct ia_pcicfg_fetch_stats st;
	long err;                               /* the first read's errno, when it failed */
};

/* Bytes of an extended capability that ia_pcicfg_decode() reads (pcicfg_ext_cap()). */
static size_t pcicfg_ext_body(uint16_t id)
{
	switch (id) {
	case IA_PCI_EXT_CAP_ID_ACS: return 12;    /* capability, control, egress control vector */
	case IA_PCI_EXT_CAP_ID_ATS: return 8;
	case IA_PCI_EXT_CAP_ID_PRI: return 12;
	case IA_PCI_EXT_CAP_ID_PASID: return 8;
	case IA_PCI_EXT_CAP_ID_SRIOV: return 0x1c;
	default: return 4;                        /* the header only (ARI: its presence) */
	}
}

/* Make [off, off + len) present, reading the dwords not read yet; true when all of it lies within
 * what is readable. */
static bool pcicfg_need(struct pcicfg_fetcher *f, size_t off, size_t len)
{
	size_t end = off + len > f->size ? f->size : off + len;
	size_t d = off & ~(size_t)3, z = (end + 3) & ~(size_t)3;

	while (d < z && d < f->limit) {
		if (f->have[d / 32] & (1u << ((d / 4) % 8))) {
			d += 4;
			continue;
		}
		size_t r = d;
		while (r < z && r < f->limit && !(f->have[r / 32] & (1u << ((r / 4) % 8))))
			r += 4;
		if (r > f->limit)
			r = f->limit;
		long got = f->read(f->ctx, f->buf + d, d, r - d);
		f->st.reads++;
		f->st.bytes += r - d;
		if (got < 0 && d == 0 && !f->err)
			f->err = got;
		if (got < 0)
			got = 0;
		if ((size_t)got > r - d)
			got = (long)(r - d);
		for (size_t k = d; k + 4 <= d + (size_t)got; k += 4)
			f->have[k / 32] |= (uint8_t)(1u << ((k / 4) % 8));
		if ((size_t)got < r - d) {
			f->limit = d + (size_t)got; /* the readable part ends here */
			break;
		}
		d = r;
	}
	return end <= f->limit && off + len <= f->size;
}

long ia_pcicfg_fetch(ia_pcicfg_read_fn read, void *ctx, uint8_t *buf, size_t cfg_size, size_t limit,
		     struct ia_pcicfg_fetch_stats *st)
{
	struct pcicfg_fetcher f = { .read = read, .ctx = ctx, .buf = buf,
				    .size = cfg_size > IA_PCI_CFG_EXT ? IA_PCI_CFG_EXT : cfg_size };
	bool pcie = false;

	f.limit = limit > f.size ? f.size : limit;
	memset(buf, 0, f.size);
	pcicfg_need(&f, 0, 64);
	if (f.limit < 64)
		goto out; /* ia_pcicfg_decode() reads only the IDs then */

	/* The standard list, as pcicfg_walk_std() walks it. */
	if (ia_le16(buf, 6) & 0x10) {
		uint8_t seen[256 / 8] = {0};
		uint8_t pos = buf[(buf[0x0e] & 0x7f) == 2 ? 0x14 : 0x34] & 0xfc;
		while (pos >= 0x40 && !(seen[pos / 8] & (1u << (pos % 8)))) {
			seen[pos / 8] |= (uint8_t)(1u << (pos % 8));
			if (!pcicfg_need(&f, pos, 4) && !ia_in_bounds(f.limit, pos, 2))
				break;
			if (buf[pos] == 0xff)
				break;
			if (buf[pos] == IA_PCI_CAP_ID_EXP && !pcie && ia_in_bounds(f.limit, pos, 4)) {
				/* Flags (+2) give the version: version 1 ends before Device Capabilities 2. */
				pcicfg_need(&f, pos, (ia_le16(buf, pos + 2) & 0xf) < 2 ? 8 : 0x28);
				pcie = ia_in_bounds(f.limit, pos, 8);
			}
			pos = buf[pos + 1] & 0xfc;
		}
	}

	/* The extended list, as pcicfg_walk_ext() walks it: only for PCI Express with 4096 bytes. */
	if (pcie && f.size > IA_PCI_CFG_LEGACY && pcicfg_need(&f, 0x100, 4) && ia_le32(buf, 0x100) &&
	    ia_le32(buf, 0x100) != 0xffffffffu) {
		uint8_t seen[IA_PCI_CFG_EXT / 4 / 8] = {0};
		uint16_t pos = 0x100;
		while (pos >= 0x100 && !(pos & 3) && !(seen[pos / 4 / 8] & (1u << ((pos / 4) % 8)))) {
			seen[pos / 4 / 8] |= (uint8_t)(1u << ((pos / 4) % 8));
			if (!pcicfg_need(&f, pos, 4))
				break;
			uint32_t hdr = ia_le32(buf, pos);
			if (hdr == 0xffffffffu)
				break;
			pcicfg_need(&f, pos, pcicfg_ext_body(hdr & 0xffff));
			pos = (hdr >> 20) & 0xffc;
		}
	}
out:
	if (st)
		*st = f.st;
	if (f.err && f.limit == 0)
		return f.err;
	return (long)f.limit;
}
