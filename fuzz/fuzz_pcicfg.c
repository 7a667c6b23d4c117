// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz the config-space decoder (capability and extended-capability walks) with any readable length.
#include <stdbool.h>
#include <string.h>

#include "decode/pcicfg.h"
#include "fuzz.h"

/* The input is the readable prefix of a config space, as the sysfs `config` file gives it. */
static void fz_decode(const uint8_t *data, size_t readable, size_t cfg_size)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};

	ia_pcicfg_decode(data, readable, cfg_size, &c, &d);
	FZ_CHECK(c.n_caps <= IA_PCICFG_MAX_CAPS);
	for (size_t i = 0; i < c.n_caps; i++) {
		const struct ia_pcicap *p = &c.caps[i];
		/* Standard capabilities live in 0x40..0xff, extended ones in 0x100..0xfff. */
		FZ_CHECK(p->ext ? p->offset >= 0x100 && p->offset < IA_PCI_CFG_EXT
				: p->offset >= 0x40 && p->offset < IA_PCI_CFG_LEGACY);
		FZ_CHECK(ia_pcicfg_find(&c, p->ext, p->id) != NULL);
	}
	(void)ia_pcie_type_name(c.pcie_type);
	for (size_t i = 0; i < d.n; i++)
		FZ_CHECK(d.v[i].code < 0);
	ia_diags_free(&d);
}

/* A config file of @n readable bytes, as the sysfs read serves it: a prefix. */
struct fz_cfg {
	const uint8_t *data;
	size_t n;
};

static long fz_read(void *ctx, uint8_t *dst, size_t off, size_t len)
{
	const struct fz_cfg *f = ctx;

	if (off >= f->n)
		return 0;
	if (len > f->n - off)
		len = f->n - off;
	memcpy(dst, f->data + off, len);
	return (long)len;
}

/* Two decodes agree on every field and every diagnostic. */
static bool fz_same(const struct ia_pcicfg *a, const struct ia_diags *da, const struct ia_pcicfg *b,
		    const struct ia_diags *db)
{
	if (a->n_caps != b->n_caps || da->n != db->n)
		return false;
	for (size_t i = 0; i < a->n_caps; i++)
		if (a->caps[i].ext != b->caps[i].ext || a->caps[i].id != b->caps[i].id ||
		    a->caps[i].offset != b->caps[i].offset || a->caps[i].version != b->caps[i].version)
			return false;
	for (size_t i = 0; i < da->n; i++)
		if (da->v[i].code != db->v[i].code || da->v[i].offset != db->v[i].offset ||
		    strcmp(da->v[i].msg, db->v[i].msg))
			return false;
#define FZ_EQ(f) (a->f == b->f)
	return FZ_EQ(readable) && FZ_EQ(cfg_size) && FZ_EQ(vendor) && FZ_EQ(device) && FZ_EQ(command) &&
	       FZ_EQ(status) && FZ_EQ(class_code) && FZ_EQ(revision) && FZ_EQ(hdr_type) &&
	       FZ_EQ(hdr_multifunction) && FZ_EQ(primary_bus) && FZ_EQ(secondary_bus) &&
	       FZ_EQ(subordinate_bus) && FZ_EQ(caps_complete) && FZ_EQ(is_pcie) && FZ_EQ(pcie_off) &&
	       FZ_EQ(pcie_flags) && FZ_EQ(pcie_type) && FZ_EQ(devcap) && FZ_EQ(has_devcap2) &&
	       FZ_EQ(devcap2) && FZ_EQ(eetlp_prefix) && FZ_EQ(eetlp_max) && FZ_EQ(has_acs) &&
	       FZ_EQ(acs_off) && FZ_EQ(acs_cap) && FZ_EQ(acs_ctrl) && FZ_EQ(acs_cap_dw) &&
	       FZ_EQ(acs_ctrl_dw) && FZ_EQ(acs_egress_bits) && FZ_EQ(has_ats) && FZ_EQ(ats_off) &&
	       FZ_EQ(ats_cap) && FZ_EQ(ats_ctrl) && FZ_EQ(has_pri) && FZ_EQ(pri_off) && FZ_EQ(pri_ctrl) &&
	       FZ_EQ(pri_status) && FZ_EQ(pri_capacity) && FZ_EQ(has_pasid) && FZ_EQ(pasid_off) &&
	       FZ_EQ(pasid_cap) && FZ_EQ(pasid_ctrl) && FZ_EQ(pasid_width) && FZ_EQ(has_ari) &&
	       FZ_EQ(has_sriov) && FZ_EQ(sriov_off) && FZ_EQ(sriov_ctrl) && FZ_EQ(sriov_total_vfs) &&
	       FZ_EQ(sriov_num_vfs) && FZ_EQ(sriov_vf_offset) && FZ_EQ(sriov_vf_stride) &&
	       FZ_EQ(sriov_vf_device);
#undef FZ_EQ
}

/* ia_pcicfg_fetch() reads only what the decoder looks at: decoding its sparse buffer gives what
 * decoding the whole readable prefix gives, and it reads each dword at most once. */
static void fz_fetch(const uint8_t *data, size_t readable, size_t cfg_size)
{
	static uint8_t sparse[IA_PCI_CFG_EXT];
	struct fz_cfg f = { data, readable };
	struct ia_pcicfg_fetch_stats st;
	struct ia_pcicfg a, b;
	struct ia_diags da = {0}, db = {0};

	long rd = ia_pcicfg_fetch(fz_read, &f, sparse, cfg_size, readable, &st);
	FZ_CHECK(rd >= 0 && (size_t)rd == (readable < cfg_size ? readable : cfg_size));
	FZ_CHECK(st.bytes <= cfg_size);
	ia_pcicfg_decode(data, readable, cfg_size, &a, &da);
	ia_pcicfg_decode(sparse, (size_t)rd, cfg_size, &b, &db);
	FZ_CHECK(fz_same(&a, &da, &b, &db));
	ia_diags_free(&da);
	ia_diags_free(&db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t readable = size > IA_PCI_CFG_EXT ? IA_PCI_CFG_EXT : size;

	/* The size the kernel exposes unknown, legacy, and extended: each bounds the walks differently. */
	fz_decode(data, readable, 0);
	fz_decode(data, readable, IA_PCI_CFG_LEGACY);
	fz_decode(data, readable, IA_PCI_CFG_EXT);
	fz_fetch(data, readable, IA_PCI_CFG_LEGACY);
	fz_fetch(data, readable, IA_PCI_CFG_EXT);
	return 0;
}
