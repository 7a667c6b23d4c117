// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of the topology model: ACS answers, quirk tables vs rules/data CSVs, DMA aliases, predicted groups, isolation domains, viability.
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ia_err.h"
#include "rules/quirks.h"
#include "rules/topology.h"

/* ------------------------------------------------------------------ a small topology builder */

enum tb_acs { ACS_NONE, ACS_ON, ACS_OFF, ACS_UNREADABLE };

struct tb {
	struct ia_topo_bus buses[64];
	size_t nb;
	struct ia_topo_fn fns[128];
	size_t nf;
	struct ia_topo_env env;
};

static int tb_root(struct tb *t, uint8_t nr)
{
	struct ia_topo_bus *b = &t->buses[t->nb];

	memset(b, 0, sizeof(*b));
	b->number = nr;
	b->self = -1;
	b->parent = -1;
	b->is_root = true;
	return (int)t->nb++;
}

/* The secondary bus of bridge @br. */
static int tb_below(struct tb *t, int br, uint8_t nr)
{
	struct ia_topo_bus *b = &t->buses[t->nb];

	memset(b, 0, sizeof(*b));
	b->number = nr;
	b->self = br;
	b->parent = t->fns[br].bus;
	t->fns[br].secondary = nr;
	t->fns[br].subordinate = nr;
	return (int)t->nb++;
}

static int tb_fn(struct tb *t, int bus, unsigned dev, unsigned fn, enum ia_tri pcie, uint8_t type,
		 enum tb_acs acs)
{
	struct ia_topo_fn *f = &t->fns[t->nf];

	memset(f, 0, sizeof(*f));
	f->domain = 0;
	f->bus_nr = t->buses[bus].number;
	f->devfn = (uint8_t)(dev << 3 | fn);
	f->bus = bus;
	f->vendor = 0x1af4;
	f->device = 0x1000;
	f->pf = -1;
	f->is_pcie = pcie;
	f->pcie_type = type;
	f->hdr_type = (pcie == IA_YES && (type == 4 || type == 5 || type == 6 || type == 7 || type == 8)) ? 1 : 0;
	f->has_acs = acs == ACS_NONE ? IA_NO : acs == ACS_UNREADABLE ? IA_UNKNOWN : IA_YES;
	if (acs == ACS_ON || acs == ACS_OFF) {
		f->acs_cap = 0x5f; /* QEMU pcie-root-port: SV TB RR CR UF DT */
		f->acs_ctrl = acs == ACS_ON ? 0x1d : 0;
		f->acs_cap_dw = f->acs_cap;
		f->acs_ctrl_dw = f->acs_ctrl;
	}
	return (int)t->nf++;
}

#define RP(t, b, d, f, a) tb_fn(t, b, d, f, IA_YES, IA_PCIE_ROOT_PORT, a)
#define USP(t, b, d, f) tb_fn(t, b, d, f, IA_YES, IA_PCIE_UPSTREAM, ACS_NONE)
#define DSP(t, b, d, f, a) tb_fn(t, b, d, f, IA_YES, IA_PCIE_DOWNSTREAM, a)
#define EP(t, b, d, f, a) tb_fn(t, b, d, f, IA_YES, IA_PCIE_ENDPOINT, a)
#define PCIDEV(t, b, d, f) tb_fn(t, b, d, f, IA_NO, 0, ACS_NONE)

/* The kernel's multifunction view: found at fn > 0, or fn 0 with siblings (header bit 7). */
static void tb_finish(struct tb *t)
{
	for (size_t i = 0; i < t->nf; i++) {
		struct ia_topo_fn *f = &t->fns[i];

		if (f->is_vf)
			continue;
		f->multifunction = (f->devfn & 7) != 0;
		for (size_t j = 0; j < t->nf && !f->multifunction; j++)
			if (j != i && !t->fns[j].is_vf && t->fns[j].bus == f->bus &&
			    (t->fns[j].devfn >> 3) == (f->devfn >> 3))
				f->multifunction = true;
	}
}

static struct ia_topo_model *tb_model(struct tb *t)
{
	struct ia_topo in = { t->buses, t->nb, t->fns, t->nf, t->env };
	struct ia_topo_model *m = NULL;
	struct ia_diags d = { 0 };
	int ret = ia_topo_model_new(&in, &m, &d);

	if (ret)
		fprintf(stderr, "model: %s (%s: %s)\n", ia_strerror(ret), d.n ? d.v[0].where : "",
			d.n ? d.v[0].msg : "");
	assert_int_equal(ret, 0);
	assert_int_equal(d.n, 0);
	ia_diags_free(&d);
	return m;
}

static size_t tb_find(const struct ia_topo_model *m, const char *bdf)
{
	char buf[IA_BDF_BUFSZ];

	for (size_t i = 0; i < ia_topo_n_fns(m); i++)
		if (strcmp(ia_topo_bdf(ia_topo_fn_get(m, i), buf), bdf) == 0)
			return i;
	fail_msg("no function %s", bdf);
	return 0;
}

static int tb_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Render groups as iommu_groups.txt does: "N: BDF BDF\n", members sorted. */
static char *tb_render(const struct ia_topo_model *m, const struct ia_topo_groups *g)
{
	size_t cap = 64 + g->n_groups * 16 + ia_topo_n_fns(m) * 16, n = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	s[0] = 0;
	for (size_t k = 0; k < g->n_groups; k++) {
		char bdf[128][IA_BDF_BUFSZ];
		char *p[128];
		size_t nm = g->groups[k].n_members;

		assert_true(nm <= 128);
		for (size_t i = 0; i < nm; i++) {
			ia_topo_bdf(ia_topo_fn_get(m, g->groups[k].members[i]), bdf[i]);
			p[i] = bdf[i];
		}
		qsort(p, nm, sizeof(p[0]), tb_cmp_str);
		n += (size_t)snprintf(s + n, cap - n, "%zu:", k);
		for (size_t i = 0; i < nm; i++)
			n += (size_t)snprintf(s + n, cap - n, " %s", p[i]);
		n += (size_t)snprintf(s + n, cap - n, "\n");
	}
	return s;
}

/* ------------------------------------------------------------------ topologies */

/* kernel-known-answers topology T1 (q35): root ports RP1-RP4 at 00:02.0-3 (or separate slots). */
static void tb_t1(struct tb *t, bool rp_acs, bool rp_one_slot)
{
	int b0 = tb_root(t, 0), rp[4], usp, dsp1, dsp2, pb, b;
	static const unsigned slots[4] = { 2, 3, 4, 6 };

	PCIDEV(t, b0, 0, 0);                     /* 00:00.0 host bridge */
	PCIDEV(t, b0, 1, 0);                     /* 00:01.0 VGA */
	for (int i = 0; i < 4; i++) {
		rp[i] = rp_one_slot ? RP(t, b0, 2, (unsigned)i, rp_acs ? ACS_ON : ACS_NONE)
				    : RP(t, b0, slots[i], 0, rp_acs ? ACS_ON : ACS_NONE);
		t->fns[rp[i]].vendor = 0x1b36;
		t->fns[rp[i]].device = 0x000c;
	}
	tb_fn(t, b0, 5, 0, IA_YES, IA_PCIE_RC_END, ACS_NONE); /* 00:05.0 qemu-xhci RCiEP */
	for (unsigned f = 0; f < 4; f += (f == 0 ? 2 : 1)) {  /* 00:1f.0, .2, .3 ICH9, conventional */
		int x = PCIDEV(t, b0, 0x1f, f);

		t->fns[x].vendor = 0x8086;
		t->fns[x].device = f == 0 ? 0x2918 : f == 2 ? 0x2922 : 0x2930;
	}
	b = tb_below(t, rp[0], 1);
	EP(t, b, 0, 0, ACS_NONE);                /* 01:00.0 e1000e */
	b = tb_below(t, rp[1], 2);
	usp = USP(t, b, 0, 0);                   /* 02:00.0 */
	b = tb_below(t, usp, 3);
	dsp1 = DSP(t, b, 0, 0, ACS_NONE);        /* 03:00.0, xio3130 DSPs have no ACS */
	dsp2 = DSP(t, b, 1, 0, ACS_NONE);        /* 03:01.0 */
	EP(t, tb_below(t, dsp1, 4), 0, 0, ACS_NONE); /* 04:00.0 nvme */
	EP(t, tb_below(t, dsp2, 5), 0, 0, ACS_NONE); /* 05:00.0 virtio-net */
	b = tb_below(t, rp[2], 6);
	pb = tb_fn(t, b, 0, 0, IA_YES, IA_PCIE_PCI_BRIDGE, ACS_NONE); /* 06:00.0 pcie-pci-bridge */
	b = tb_below(t, pb, 7);
	PCIDEV(t, b, 1, 0);                      /* 07:01.0 e1000 */
	PCIDEV(t, b, 2, 0);                      /* 07:02.0 rtl8139 */
	b = tb_below(t, rp[3], 8);
	EP(t, b, 0, 0, ACS_NONE);                /* 08:00.0 virtio-rng */
	EP(t, b, 0, 1, ACS_NONE);                /* 08:00.1 virtio-balloon */
}

static void build_ka_intel_acs(struct tb *t)
{
	tb_t1(t, true, true);
}

static void build_ka_intel_noacs_mf(struct tb *t)
{
	tb_t1(t, false, true);
}

static void build_ka_intel_noacs_slots(struct tb *t)
{
	tb_t1(t, false, false);
}

static void build_rp_noacs_ep(struct tb *t)
{
	int b0 = tb_root(t, 0);
	int rp = RP(t, b0, 0x1c, 0, ACS_NONE);

	EP(t, tb_below(t, rp, 1), 0, 0, ACS_NONE);
}

static void build_rps_acs(struct tb *t)
{
	int b0 = tb_root(t, 0);
	int rp1 = RP(t, b0, 0x1c, 0, ACS_ON), rp2 = RP(t, b0, 0x1d, 0, ACS_ON);

	EP(t, tb_below(t, rp1, 1), 0, 0, ACS_NONE);
	EP(t, tb_below(t, rp2, 2), 0, 0, ACS_NONE);
}

/* RP(ACS) -> USP -> DSP1, DSP2 -> endpoints; @dsp_acs for both DSPs, @dsp2 overrides DSP2. */
static void tb_switch(struct tb *t, enum tb_acs dsp1_acs, enum tb_acs dsp2_acs)
{
	int b0 = tb_root(t, 0);
	int rp = RP(t, b0, 1, 0, ACS_ON);
	int usp = USP(t, tb_below(t, rp, 1), 0, 0);
	int b2 = tb_below(t, usp, 2);
	int d1 = DSP(t, b2, 0, 0, dsp1_acs), d2 = DSP(t, b2, 1, 0, dsp2_acs);

	EP(t, tb_below(t, d1, 3), 0, 0, ACS_NONE);
	EP(t, tb_below(t, d2, 4), 0, 0, ACS_NONE);
}

static void build_switch_acs(struct tb *t)
{
	tb_switch(t, ACS_ON, ACS_ON);
}

static void build_switch_noacs(struct tb *t)
{
	tb_switch(t, ACS_OFF, ACS_OFF);
}

static void build_switch_asym(struct tb *t)
{
	tb_switch(t, ACS_ON, ACS_NONE);
}

static void build_conventional_bridge(struct tb *t)
{
	int b0 = tb_root(t, 0);
	int rp = RP(t, b0, 1, 0, ACS_ON);
	int br = PCIDEV(t, tb_below(t, rp, 1), 0, 0);
	int b2;

	t->fns[br].hdr_type = 1;
	b2 = tb_below(t, br, 2);
	PCIDEV(t, b2, 4, 0);
	PCIDEV(t, b2, 5, 0);
}

static void build_mf_ep(struct tb *t, enum tb_acs acs)
{
	int b0 = tb_root(t, 0);
	int rp = RP(t, b0, 1, 0, ACS_ON), b1 = tb_below(t, rp, 1);

	EP(t, b1, 0, 0, acs);
	EP(t, b1, 0, 1, acs);
}

static void build_mf_ep_noacs(struct tb *t)
{
	build_mf_ep(t, ACS_NONE);
}

static void build_mf_ep_acs(struct tb *t)
{
	build_mf_ep(t, ACS_ON);
}

/* Root-bus slot 00:1c.0-3: .0 and .2 with ACS, .1 and .3 without. */
static void build_root_mf_mixed(struct tb *t)
{
	int b0 = tb_root(t, 0);

	RP(t, b0, 0x1c, 0, ACS_ON);
	RP(t, b0, 0x1c, 1, ACS_NONE);
	RP(t, b0, 0x1c, 2, ACS_ON);
	RP(t, b0, 0x1c, 3, ACS_OFF);
}

/* PF 01:00.0 with VFs 01:00.1, 01:00.2 and 02:00.0 (virtual bus 02). */
static void tb_sriov(struct tb *t, enum tb_acs rp_acs)
{
	int b0 = tb_root(t, 0), rp = RP(t, b0, 1, 0, rp_acs), b1 = tb_below(t, rp, 1);
	int pf = EP(t, b1, 0, 0, ACS_NONE), vb;

	t->fns[rp].subordinate = 2;
	vb = (int)t->nb++;
	memset(&t->buses[vb], 0, sizeof(t->buses[vb]));
	t->buses[vb].number = 2;
	t->buses[vb].self = -1;
	t->buses[vb].parent = b1;
	const int vfbus[3] = { b1, b1, vb };
	const unsigned vfdevfn[3] = { 1, 2, 0 };

	for (int i = 0; i < 3; i++) {
		int v = EP(t, vfbus[i], 0, vfdevfn[i], ACS_NONE);

		t->fns[v].is_vf = true;
		t->fns[v].pf = pf;
	}
}

static void build_sriov(struct tb *t)
{
	tb_sriov(t, ACS_ON);
}

static void build_sriov_rp_noacs(struct tb *t)
{
	tb_sriov(t, ACS_NONE);
}

/* 03:00.0 Marvell 88SE9123 + 03:00.1 (both with enabled ACS so only the alias quirk groups them). */
static void build_marvell(struct tb *t)
{
	int b0 = tb_root(t, 0), rp = RP(t, b0, 0x1c, 0, ACS_ON), b3 = tb_below(t, rp, 3);
	int a = EP(t, b3, 0, 0, ACS_ON), b = EP(t, b3, 0, 1, ACS_ON);

	t->fns[a].vendor = 0x1b4b;
	t->fns[a].device = 0x9123;
	t->fns[b].vendor = 0x1b4b;
	t->fns[b].device = 0x91a0;
}

static void build_plx_ntb(struct tb *t)
{
	int b0 = tb_root(t, 0), rp = RP(t, b0, 1, 0, ACS_ON), b5 = tb_below(t, rp, 5);
	int ntb = EP(t, b5, 0, 0, ACS_ON);

	EP(t, b5, 0, 1, ACS_ON);
	t->fns[ntb].vendor = 0x10b5;
	t->fns[ntb].device = 0x87b0;
}

/*
 * An Intel VMD endpoint 00:0e.0 owning domain 0x10000: a root port e0:1d.0 (with ACS) above an NVMe
 * e1:00.0, and an RCiEP-like e0:17.0. pci_real_dma_dev() of every VMD function is the endpoint, so
 * they all join its group whatever their ACS (kernel-rules.md §1.5 item 7).
 */
static void build_vmd(struct tb *t)
{
	int b0 = tb_root(t, 0), rp = RP(t, b0, 1, 0, ACS_ON), b1 = tb_below(t, rp, 1);
	EP(t, b1, 0, 0, ACS_NONE);
	int vmd = EP(t, b0, 0x0e, 0, ACS_NONE);
	t->fns[vmd].vendor = 0x8086;
	t->fns[vmd].device = 0x467f;
	int v0 = tb_root(t, 0xe0);
	t->buses[v0].domain = 0x10000;
	int vrp = RP(t, v0, 0x1d, 0, ACS_ON), v1 = tb_below(t, vrp, 0xe1);
	t->buses[v1].domain = 0x10000;
	int nvme = EP(t, v1, 0, 0, ACS_NONE), sata = EP(t, v0, 0x17, 0, ACS_NONE);
	int vmdfns[] = { vrp, nvme, sata };
	for (size_t i = 0; i < 3; i++) {
		t->fns[vmdfns[i]].domain = 0x10000;
		t->fns[vmdfns[i]].has_real_dma = true;
		t->fns[vmdfns[i]].real_dma = (size_t)vmd;
	}
}

static void tb_pch(struct tb *t, enum ia_tri quirk)
{
	int b0 = tb_root(t, 0), rp = RP(t, b0, 0x1c, 0, ACS_NONE);

	t->fns[rp].vendor = 0x8086;
	t->fns[rp].device = 0x1c10; /* Cougarpoint */
	t->env.intel_pch_acs_quirk_enabled = quirk;
	EP(t, tb_below(t, rp, 1), 0, 0, ACS_NONE);
}

static void build_pch_on(struct tb *t)
{
	tb_pch(t, IA_YES);
}

static void build_pch_off(struct tb *t)
{
	tb_pch(t, IA_NO);
}

static void build_pch_unknown(struct tb *t)
{
	tb_pch(t, IA_UNKNOWN);
}

static void build_unreadable(struct tb *t)
{
	int b0 = tb_root(t, 0), rp = RP(t, b0, 0x1c, 0, ACS_UNREADABLE);

	EP(t, tb_below(t, rp, 1), 0, 0, ACS_NONE);
}

static void build_override_downstream(struct tb *t)
{
	build_rp_noacs_ep(t);
	t->env.acs_override_downstream = true;
}

static void build_override_multifunction(struct tb *t)
{
	build_mf_ep_noacs(t);
	t->env.acs_override_multifunction = true;
}

/* ------------------------------------------------------------------ group cases */

struct basis_check {
	size_t group;
	const char *substr;
};

struct grp_case {
	const char *name;
	void (*build)(struct tb *t);
	const char *expect;              /* iommu_groups.txt form */
	struct basis_check basis[4];     /* substr NULL = end */
	int uncertain_group;             /* -1 = no group uncertain */
	size_t n_domains;                /* isolation domains expected */
};

static const struct grp_case grp_cases[] = {
	{ "ka_x86_intel_acs", build_ka_intel_acs,
	  "0: 0000:00:00.0\n1: 0000:00:01.0\n2: 0000:00:02.0\n3: 0000:00:02.1\n4: 0000:00:02.2\n"
	  "5: 0000:00:02.3\n6: 0000:00:05.0\n7: 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3\n"
	  "8: 0000:01:00.0\n9: 0000:02:00.0\n10: 0000:03:00.0 0000:04:00.0\n"
	  "11: 0000:03:01.0 0000:05:00.0\n12: 0000:06:00.0 0000:07:01.0 0000:07:02.0\n"
	  "13: 0000:08:00.0 0000:08:00.1\n",
	  { { 0, "isolated" }, { 7, "multifunction slot 0000:00:1f without ACS" },
	    { 10, "0000:03:00.0 (downstream port) has no ACS: its subtree shares a group" },
	    { 12, "behind PCIe-to-PCI bridge 0000:06:00.0" } }, -1, 13 },
	{ "ka_x86_intel_noacs_mf", build_ka_intel_noacs_mf,
	  "0: 0000:00:00.0\n1: 0000:00:01.0\n2: 0000:00:02.0 0000:00:02.1 0000:00:02.2 0000:00:02.3 "
	  "0000:01:00.0 0000:02:00.0 0000:03:00.0 0000:03:01.0 0000:04:00.0 0000:05:00.0 0000:06:00.0 "
	  "0000:07:01.0 0000:07:02.0 0000:08:00.0 0000:08:00.1\n3: 0000:00:05.0\n"
	  "4: 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3\n",
	  { { 2, "multifunction slot 0000:00:02 without ACS" },
	    { 2, "0000:00:02.0 (root port) has no ACS: its subtree shares a group" } }, -1, 5 },
	{ "ka_x86_intel_noacs_slots", build_ka_intel_noacs_slots,
	  "0: 0000:00:00.0\n1: 0000:00:01.0\n2: 0000:00:02.0 0000:01:00.0\n"
	  "3: 0000:00:03.0 0000:02:00.0 0000:03:00.0 0000:03:01.0 0000:04:00.0 0000:05:00.0\n"
	  "4: 0000:00:04.0 0000:06:00.0 0000:07:01.0 0000:07:02.0\n5: 0000:00:05.0\n"
	  "6: 0000:00:06.0 0000:08:00.0 0000:08:00.1\n7: 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3\n",
	  { { 3, "0000:00:03.0 (root port) has no ACS: its subtree shares a group" } }, -1, 8 },
	{ "rp_noacs_endpoint", build_rp_noacs_ep, "0: 0000:00:1c.0 0000:01:00.0\n",
	  { { 0, "0000:00:1c.0 (root port) has no ACS: its subtree shares a group" } }, -1, 1 },
	{ "rps_with_acs", build_rps_acs,
	  "0: 0000:00:1c.0\n1: 0000:00:1d.0\n2: 0000:01:00.0\n3: 0000:02:00.0\n",
	  { { 2, "isolated" } }, -1, 4 },
	{ "switch_acs_all_ports", build_switch_acs,
	  "0: 0000:00:01.0\n1: 0000:01:00.0\n2: 0000:02:00.0\n3: 0000:02:01.0\n4: 0000:03:00.0\n"
	  "5: 0000:04:00.0\n", { { 4, "isolated" } }, -1, 6 },
	/* 6.12 bug: separate groups under non-isolating DSPs; isolation domains merge them. */
	{ "switch_dsps_without_acs", build_switch_noacs,
	  "0: 0000:00:01.0\n1: 0000:01:00.0\n2: 0000:02:00.0 0000:03:00.0\n"
	  "3: 0000:02:01.0 0000:04:00.0\n",
	  { { 2, "0000:02:00.0 (downstream port) has ACS but SV,RR,CR,UF not enabled" } }, -1, 3 },
	{ "switch_asymmetric_acs", build_switch_asym,
	  "0: 0000:00:01.0\n1: 0000:01:00.0\n2: 0000:02:00.0\n3: 0000:02:01.0 0000:04:00.0\n"
	  "4: 0000:03:00.0\n", { { 3, "has no ACS" } }, -1, 3 },
	{ "conventional_bridge_two_devices", build_conventional_bridge,
	  "0: 0000:00:01.0\n1: 0000:01:00.0 0000:02:04.0 0000:02:05.0\n",
	  { { 1, "behind conventional PCI bridge 0000:01:00.0" } }, -1, 2 },
	{ "mf_endpoint_without_acs", build_mf_ep_noacs,
	  "0: 0000:00:01.0\n1: 0000:01:00.0 0000:01:00.1\n",
	  { { 1, "multifunction slot 0000:01:00 without ACS" } }, -1, 2 },
	{ "mf_endpoint_with_acs", build_mf_ep_acs,
	  "0: 0000:00:01.0\n1: 0000:01:00.0\n2: 0000:01:00.1\n", { { 1, "isolated" } }, -1, 3 },
	{ "root_bus_mf_mixed_acs", build_root_mf_mixed,
	  "0: 0000:00:1c.0\n1: 0000:00:1c.1 0000:00:1c.3\n2: 0000:00:1c.2\n",
	  { { 1, "multifunction slot 0000:00:1c without ACS" } }, -1, 1 },
	{ "sriov_pf_vfs", build_sriov,
	  "0: 0000:00:01.0\n1: 0000:01:00.0\n2: 0000:01:00.1\n3: 0000:01:00.2\n4: 0000:02:00.0\n",
	  { { 4, "isolated" } }, -1, 5 },
	{ "sriov_vf_virtual_bus_rp_noacs", build_sriov_rp_noacs,
	  "0: 0000:00:01.0 0000:01:00.0 0000:01:00.1 0000:01:00.2 0000:02:00.0\n",
	  { { 0, "0000:00:01.0 (root port) has no ACS" } }, -1, 1 },
	{ "marvell_9123_func1_alias", build_marvell, "0: 0000:00:1c.0\n1: 0000:03:00.0 0000:03:00.1\n",
	  { { 1, "DMA alias quirk Marvell 1b4b:9123 func1 (0000:03:00.0)" } }, -1, 2 },
	{ "plx_ntb_alias", build_plx_ntb, "0: 0000:00:01.0\n1: 0000:05:00.0 0000:05:00.1\n",
	  { { 1, "DMA alias quirk PLX 10b5:87b0 PLX NTB all devfns" } }, -1, 2 },
	{ "intel_vmd_real_dma_dev", build_vmd,
	  "0: 0000:00:01.0\n1: 0000:00:0e.0 10000:e0:17.0 10000:e0:1d.0 10000:e1:00.0\n2: 0000:01:00.0\n",
	  { { 1, "behind Intel VMD 0000:00:0e.0" } }, -1, 3 },
	{ "intel_pch_rp_quirk_enabled", build_pch_on, "0: 0000:00:1c.0\n1: 0000:01:00.0\n",
	  { { 1, "isolated" } }, -1, 2 },
	{ "intel_pch_rp_quirk_not_enabled", build_pch_off, "0: 0000:00:1c.0 0000:01:00.0\n",
	  { { 0, "is not isolated per ACS quirk pci_quirk_intel_pch_acs" } }, -1, 1 },
	{ "intel_pch_rp_quirk_unknown", build_pch_unknown, "0: 0000:00:1c.0 0000:01:00.0\n",
	  { { 0, "ACS state unknown" } }, 0, 1 },
	{ "unreadable_ext_config", build_unreadable, "0: 0000:00:1c.0 0000:01:00.0\n",
	  { { 0, "ACS state unknown (ACS capability unreadable" } }, 0, 1 },
	{ "acs_override_downstream", build_override_downstream, "0: 0000:00:1c.0\n1: 0000:01:00.0\n",
	  { { 1, "isolated" } }, -1, 2 },
	{ "acs_override_multifunction", build_override_multifunction,
	  "0: 0000:00:01.0\n1: 0000:01:00.0\n2: 0000:01:00.1\n", { { 2, "isolated" } }, -1, 2 },
};

static void run_grp_case(void **state)
{
	const struct grp_case *c = *state;
	struct tb *t = calloc(1, sizeof(*t));
	struct ia_topo_model *m;
	struct ia_topo_groups *g = NULL;
	struct ia_topo_domains *d = NULL;
	char *txt;

	assert_non_null(t);
	c->build(t);
	tb_finish(t);
	m = tb_model(t);
	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	txt = tb_render(m, g);
	assert_string_equal(txt, c->expect);
	for (int i = 0; i < 4 && c->basis[i].substr; i++) {
		const char *basis = g->groups[c->basis[i].group].basis;

		if (!strstr(basis, c->basis[i].substr))
			fail_msg("group %zu basis \"%s\" lacks \"%s\"", c->basis[i].group, basis,
				 c->basis[i].substr);
	}
	for (size_t k = 0; k < g->n_groups; k++) {
		assert_int_equal(g->groups[k].uncertain, (int)k == c->uncertain_group);
		assert_int_equal(g->groups[k].uncertain_reason != NULL, (int)k == c->uncertain_group);
	}
	assert_int_equal(ia_topo_isolation_domains(m, g, &d), 0);
	assert_int_equal(d->n, c->n_domains);
	free(txt);
	ia_topo_domains_free(d);
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	free(t);
}

/* ------------------------------------------------------------------ focused checks */

static struct ia_topo_model *build_model(void (*build)(struct tb *), struct tb **out)
{
	struct tb *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	build(t);
	tb_finish(t);
	*out = t;
	return tb_model(t);
}

/* The T1 switch: DSPs 03:00.0 and 03:01.0 lack ACS, so kernel groups 10 and 11 are one domain. */
static void test_domains_ka_switch(void **state)
{
	struct tb *t;
	struct ia_topo_model *m = build_model(build_ka_intel_acs, &t);
	struct ia_topo_groups *g = NULL;
	struct ia_topo_domains *d = NULL;
	size_t nvme = tb_find(m, "0000:04:00.0"), dsp2 = tb_find(m, "0000:03:01.0");
	const struct ia_topo_domain *dm;

	(void)state;
	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	assert_int_equal(ia_topo_isolation_domains(m, g, &d), 0);
	dm = &d->v[d->domain_of[nvme]];
	assert_int_equal(d->domain_of[nvme], d->domain_of[tb_find(m, "0000:05:00.0")]);
	assert_int_equal(dm->n_members, 4);
	assert_int_equal(dm->n_groups, 2);
	assert_int_equal(dm->groups[0], 10);
	assert_int_equal(dm->groups[1], 11);
	assert_int_equal(dm->n_blame, 2);
	assert_int_equal(dm->blame[1].fn, dsp2);
	assert_int_equal(dm->blame[1].acs, IA_NO);
	assert_string_equal(dm->blame[1].why, "DSP 0000:03:01.0 lacks ACS P2P redirect (no ACS capability)");
	assert_false(dm->uncertain);
	/* the USP is not pulled in */
	assert_int_not_equal(d->domain_of[tb_find(m, "0000:02:00.0")], d->domain_of[nvme]);
	ia_topo_domains_free(d);
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	free(t);
}

/* Asymmetric ACS: one isolating DSP does not keep its endpoint apart from the other DSP's. */
static void test_domains_asymmetric(void **state)
{
	struct tb *t;
	struct ia_topo_model *m = build_model(build_switch_asym, &t);
	struct ia_topo_groups *g = NULL;
	struct ia_topo_domains *d = NULL;
	size_t e1 = tb_find(m, "0000:03:00.0"), e2 = tb_find(m, "0000:04:00.0");

	(void)state;
	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	assert_int_not_equal(g->fn[e1].group, g->fn[e2].group);
	assert_int_equal(ia_topo_isolation_domains(m, g, &d), 0);
	assert_int_equal(d->domain_of[e1], d->domain_of[e2]);
	assert_int_equal(d->v[d->domain_of[e1]].n_blame, 1);
	assert_int_equal(d->v[d->domain_of[e1]].blame[0].fn, tb_find(m, "0000:02:01.0"));
	ia_topo_domains_free(d);
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	free(t);
}

/* Multifunction slot with mixed ACS: kernel keeps .0/.2 apart; the domain joins all four. */
static void test_domains_mf_mixed(void **state)
{
	struct tb *t;
	struct ia_topo_model *m = build_model(build_root_mf_mixed, &t);
	struct ia_topo_groups *g = NULL;
	struct ia_topo_domains *d = NULL;

	(void)state;
	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	assert_int_equal(ia_topo_isolation_domains(m, g, &d), 0);
	assert_int_equal(d->n, 1);
	assert_int_equal(d->v[0].n_groups, 3);
	assert_int_equal(d->v[0].n_blame, 2);
	assert_non_null(strstr(d->v[0].blame[0].why, "function 0000:00:1c.1 lacks ACS P2P redirect"));
	assert_non_null(strstr(d->v[0].blame[1].why, "(SV,RR,CR,UF not enabled)"));
	ia_topo_domains_free(d);
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	free(t);
}

/* Probe order and the per-function rule: VFs after all PFs; step 4 names the function joined. */
static void test_probe_order_and_rules(void **state)
{
	struct tb *t;
	struct ia_topo_model *m = build_model(build_sriov, &t);
	struct ia_topo_groups *g = NULL;
	size_t pf = tb_find(m, "0000:01:00.0"), vf3 = tb_find(m, "0000:02:00.0");

	(void)state;
	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	assert_int_equal(g->fn[pf].probe_rank, 1);
	assert_int_equal(g->fn[vf3].probe_rank, 4);
	assert_int_equal(g->probe_order[4], vf3);
	assert_int_equal(g->fn[vf3].rule, IA_GRP_NEW);
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	free(t);

	m = build_model(build_ka_intel_acs, &t);
	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	size_t f1f2 = tb_find(m, "0000:00:1f.2"), e1000 = tb_find(m, "0000:07:01.0");
	size_t nvme = tb_find(m, "0000:04:00.0");

	assert_int_equal(g->fn[f1f2].rule, IA_GRP_FUNCTION_ALIAS);
	assert_int_equal(g->fn[f1f2].via, tb_find(m, "0000:00:1f.0"));
	assert_int_equal(g->fn[e1000].rule, IA_GRP_ALIAS_BRIDGE);
	assert_int_equal(g->fn[e1000].via, tb_find(m, "0000:06:00.0"));
	assert_int_equal(g->fn[nvme].rule, IA_GRP_ACS_PATH);
	assert_int_equal(g->fn[nvme].via, tb_find(m, "0000:03:00.0"));
	ia_topo_groups_free(g);
	/* AMD IOMMU case: a function no IOMMU covers gets no group and no ID. */
	bool *no = calloc(ia_topo_n_fns(m), sizeof(bool));

	assert_non_null(no);
	no[tb_find(m, "0000:00:01.0")] = true;
	assert_int_equal(ia_topo_predict_groups(m, no, &g), 0);
	assert_false(g->fn[tb_find(m, "0000:00:01.0")].has_group);
	assert_int_equal(g->n_groups, 13);
	assert_int_equal(g->fn[tb_find(m, "0000:00:02.0")].group, 1);
	free(no);
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	free(t);
}

/* ------------------------------------------------------------------ ACS answers */

struct acs_case {
	const char *name;
	uint16_t vendor, device;
	enum ia_tri pcie;
	uint8_t type;
	bool mf, on_root;
	enum ia_tri has_acs;
	uint16_t cap, ctrl;
	uint32_t cap_dw, ctrl_dw;
	enum ia_tri ivrs, pch;
	uint16_t flags;
	enum ia_tri expect;
	enum ia_acs_basis basis;
	const char *quirk_fn;    /* NULL = no quirk decided */
	bool by_override;
	uint16_t missing;
};

#define NOACS IA_NO, 0, 0, 0, 0
static const struct acs_case acs_cases[] = {
	{ "dsp_missing_cap_bits_count_enabled", 0x10b5, 0x8724, IA_YES, 6, false, false, IA_YES,
	  0x000c, 0x000c, 0, 0, IA_NO, IA_NO, IA_ACS_REQ, IA_YES, IA_ACS_BY_CAPABILITY, NULL, false, 0 },
	{ "dsp_rr_cr_off", 0x10b5, 0x8724, IA_YES, 6, false, false, IA_YES, 0x001f, 0x0011, 0, 0,
	  IA_NO, IA_NO, IA_ACS_REQ, IA_NO, IA_ACS_BY_CAPABILITY, NULL, false, IA_ACS_RR | IA_ACS_CR },
	{ "ec_never_waived", 0x10b5, 0x8724, IA_YES, 6, false, false, IA_YES, 0x001f, 0x001f, 0, 0,
	  IA_NO, IA_NO, IA_ACS_EC, IA_NO, IA_ACS_BY_CAPABILITY, NULL, false, IA_ACS_EC },
	{ "pcie_to_pci_bridge_false", 0x1b36, 0x000e, IA_YES, 7, false, false, NOACS, IA_NO, IA_NO,
	  IA_ACS_REQ, IA_NO, IA_ACS_BY_BRIDGE_TYPE, NULL, false, IA_ACS_REQ },
	{ "rc_ec_false", 0x1af4, 0x1, IA_YES, 0xa, false, true, NOACS, IA_NO, IA_NO, IA_ACS_REQ, IA_NO,
	  IA_ACS_BY_BRIDGE_TYPE, NULL, false, IA_ACS_REQ },
	{ "single_function_endpoint_true", 0x1af4, 0x1, IA_YES, 0, false, false, NOACS, IA_NO, IA_NO,
	  IA_ACS_REQ, IA_YES, IA_ACS_BY_SINGLE_FUNCTION, NULL, false, 0 },
	{ "usp_true", 0x104c, 0x8232, IA_YES, 5, false, false, NOACS, IA_NO, IA_NO, IA_ACS_REQ, IA_YES,
	  IA_ACS_BY_SINGLE_FUNCTION, NULL, false, 0 },
	{ "mf_endpoint_no_cap_false", 0x1af4, 0x1, IA_YES, 0, true, false, NOACS, IA_NO, IA_NO,
	  IA_ACS_REQ, IA_NO, IA_ACS_BY_NO_CAPABILITY, NULL, false, IA_ACS_REQ },
	{ "conventional_false", 0x10ec, 0x8139, IA_NO, 0, false, false, NOACS, IA_NO, IA_NO, IA_ACS_REQ,
	  IA_NO, IA_ACS_BY_NOT_PCIE, NULL, false, IA_ACS_REQ },
	{ "pcie_unreadable_unknown", 0x1af4, 0x1, IA_UNKNOWN, 0, true, false, IA_UNKNOWN, 0, 0, 0, 0,
	  IA_NO, IA_NO, IA_ACS_REQ, IA_UNKNOWN, IA_ACS_BY_UNREADABLE, NULL, false, 0 },
	{ "intel_spt_dword_layout_enabled", 0x8086, 0xa110, IA_YES, 4, false, true, IA_YES, 0x001f, 0,
	  0x0000001f, 0x0000001d, IA_NO, IA_NO, IA_ACS_REQ, IA_YES, IA_ACS_BY_QUIRK,
	  "pci_quirk_intel_spt_pch_acs", false, 0 },
	{ "intel_spt_dword_layout_disabled", 0x8086, 0xa110, IA_YES, 4, false, true, IA_YES, 0x001f,
	  0x001d, 0x0000001f, 0, IA_NO, IA_NO, IA_ACS_REQ, IA_NO, IA_ACS_BY_QUIRK,
	  "pci_quirk_intel_spt_pch_acs", false, IA_ACS_REQ },
	{ "intel_spt_without_cap_no_opinion", 0x8086, 0xa110, IA_YES, 4, false, true, NOACS, IA_NO,
	  IA_NO, IA_ACS_REQ, IA_NO, IA_ACS_BY_NO_CAPABILITY, NULL, false, IA_ACS_REQ },
	{ "intel_pch_enable_quirk_ran", 0x8086, 0x3b42, IA_YES, 4, false, true, NOACS, IA_NO, IA_YES,
	  IA_ACS_REQ, IA_YES, IA_ACS_BY_QUIRK, "pci_quirk_intel_pch_acs", false, 0 },
	{ "intel_pch_enable_quirk_absent", 0x8086, 0x3b42, IA_YES, 4, false, true, NOACS, IA_NO, IA_NO,
	  IA_ACS_REQ, IA_NO, IA_ACS_BY_QUIRK, "pci_quirk_intel_pch_acs", false, IA_ACS_REQ },
	{ "intel_rciep_quirk", 0x8086, 0x0b25, IA_YES, 9, true, true, NOACS, IA_NO, IA_NO, IA_ACS_REQ,
	  IA_YES, IA_ACS_BY_QUIRK, "pci_quirk_rciep_acs", false, 0 },
	{ "amd_sb_with_ivrs", 0x1002, 0x4385, IA_NO, 0, true, true, NOACS, IA_YES, IA_NO, IA_ACS_REQ,
	  IA_YES, IA_ACS_BY_QUIRK, "pci_quirk_amd_sb_acs", false, 0 },
	{ "amd_sb_without_ivrs", 0x1002, 0x4385, IA_NO, 0, true, true, NOACS, IA_NO, IA_NO, IA_ACS_REQ,
	  IA_NO, IA_ACS_BY_NOT_PCIE, NULL, false, IA_ACS_REQ },
	{ "amd_sb_ivrs_unknown", 0x1002, 0x4385, IA_NO, 0, true, true, NOACS, IA_UNKNOWN, IA_NO,
	  IA_ACS_REQ, IA_UNKNOWN, IA_ACS_BY_UNREADABLE, "pci_quirk_amd_sb_acs", false, 0 },
	{ "amd_sb_dt_request_fails", 0x1002, 0x4385, IA_NO, 0, true, true, NOACS, IA_YES, IA_NO,
	  IA_ACS_DT, IA_NO, IA_ACS_BY_QUIRK, "pci_quirk_amd_sb_acs", false, IA_ACS_DT },
	{ "zhaoxin_unknown_port_false", 0x1d17, 0x0700, IA_YES, 4, false, true, IA_YES, 0x001f, 0x001f,
	  0, 0, IA_NO, IA_NO, IA_ACS_REQ, IA_NO, IA_ACS_BY_QUIRK, "pci_quirk_zhaoxin_pcie_ports_acs",
	  false, IA_ACS_REQ },
	{ "zhaoxin_listed_port_true", 0x1d17, 0x0715, IA_YES, 6, false, false, NOACS, IA_NO, IA_NO,
	  IA_ACS_REQ, IA_YES, IA_ACS_BY_QUIRK, "pci_quirk_zhaoxin_pcie_ports_acs", false, 0 },
	{ "wangxun_other_device_false", 0x8088, 0x1234, IA_YES, 0, false, false, NOACS, IA_NO, IA_NO,
	  IA_ACS_REQ, IA_NO, IA_ACS_BY_QUIRK, "pci_quirk_wangxun_nic_acs", false, IA_ACS_REQ },
	{ "wangxun_listed_true", 0x8088, 0x1001, IA_YES, 0, true, false, NOACS, IA_NO, IA_NO,
	  IA_ACS_REQ, IA_YES, IA_ACS_BY_QUIRK, "pci_quirk_wangxun_nic_acs", false, 0 },
	{ "mf_endpoint_quirk_82576", 0x8086, 0x10c9, IA_YES, 0, true, false, NOACS, IA_NO, IA_NO,
	  IA_ACS_REQ, IA_YES, IA_ACS_BY_QUIRK, "pci_quirk_mf_endpoint_acs", false, 0 },
	{ "mf_endpoint_quirk_ec_fails", 0x8086, 0x10c9, IA_YES, 0, true, false, NOACS, IA_NO, IA_NO,
	  IA_ACS_EC, IA_NO, IA_ACS_BY_QUIRK, "pci_quirk_mf_endpoint_acs", false, IA_ACS_EC },
};

static void run_acs_case(void **state)
{
	const struct acs_case *c = *state;
	struct tb *t = calloc(1, sizeof(*t));
	struct ia_topo_model *m;
	struct ia_acs_why why;
	int b0, f, bus;

	assert_non_null(t);
	b0 = tb_root(t, 0);
	bus = b0;
	if (!c->on_root) {
		int rp = RP(t, b0, 1, 0, ACS_ON);

		bus = tb_below(t, rp, 1);
	}
	f = tb_fn(t, bus, 0, 0, c->pcie, c->type, ACS_NONE);
	t->fns[f].vendor = c->vendor;
	t->fns[f].device = c->device;
	t->fns[f].multifunction = c->mf;
	t->fns[f].has_acs = c->has_acs;
	t->fns[f].acs_cap = c->cap;
	t->fns[f].acs_ctrl = c->ctrl;
	t->fns[f].acs_cap_dw = c->cap_dw;
	t->fns[f].acs_ctrl_dw = c->ctrl_dw;
	t->env.ivrs_present = c->ivrs;
	t->env.intel_pch_acs_quirk_enabled = c->pch;
	m = tb_model(t);
	assert_int_equal(ia_topo_acs_enabled(m, (size_t)f, c->flags, &why), c->expect);
	assert_int_equal(why.basis, c->basis);
	if (c->quirk_fn) {
		assert_true(why.has_quirk);
		assert_string_equal(why.quirk_fn, c->quirk_fn);
		assert_string_equal(ia_acs_quirk_table[why.quirk_row].fn_name, c->quirk_fn);
	} else {
		assert_false(why.has_quirk);
	}
	assert_int_equal(why.by_override, c->by_override);
	assert_int_equal(why.missing, c->missing);
	assert_int_equal(why.unknown_reason != NULL, c->expect == IA_UNKNOWN);
	ia_topo_model_free(m);
	free(t);
}

/* pcie_acs_override: decides only for PCIe devices without an ACS capability, and says so. */
static void test_acs_override(void **state)
{
	struct tb *t;
	struct ia_topo_model *m = build_model(build_override_downstream, &t);
	struct ia_acs_why why;
	size_t rp = tb_find(m, "0000:00:1c.0");

	(void)state;
	assert_int_equal(ia_topo_acs_enabled(m, rp, IA_ACS_REQ, &why), IA_YES);
	assert_true(why.by_override);
	assert_int_equal(why.basis, IA_ACS_BY_OVERRIDE);
	assert_string_equal(why.quirk_fn, "pcie_acs_overrides");
	ia_topo_model_free(m);
	/* with an ACS capability (RR/CR off) the override has no say */
	t->fns[rp].has_acs = IA_YES;
	t->fns[rp].acs_cap = 0x1f;
	m = tb_model(t);
	assert_int_equal(ia_topo_acs_enabled(m, rp, IA_ACS_REQ, &why), IA_NO);
	assert_false(why.by_override);
	ia_topo_model_free(m);
	/* id: token */
	t->fns[rp].has_acs = IA_NO;
	t->env.acs_override_downstream = false;
	t->env.acs_override_ids[0][0] = t->fns[rp].vendor;
	t->env.acs_override_ids[0][1] = t->fns[rp].device;
	t->env.n_acs_override_ids = 1;
	m = tb_model(t);
	assert_int_equal(ia_topo_acs_enabled(m, rp, IA_ACS_REQ, &why), IA_YES);
	assert_true(why.by_override);
	ia_topo_model_free(m);
	/* no token: no override */
	t->env.n_acs_override_ids = 0;
	m = tb_model(t);
	assert_int_equal(ia_topo_acs_enabled(m, rp, IA_ACS_REQ, &why), IA_NO);
	assert_false(why.by_override);
	ia_topo_model_free(m);
	free(t);
}

static void test_acs_path(void **state)
{
	struct tb *t;
	struct ia_topo_model *m = build_model(build_switch_asym, &t);
	bool has = false;
	size_t fail = 0;

	(void)state;
	assert_int_equal(ia_topo_acs_path_enabled(m, tb_find(m, "0000:02:00.0"), IA_ACS_REQ, &has, &fail),
			 IA_YES);
	assert_false(has);
	assert_int_equal(ia_topo_acs_path_enabled(m, tb_find(m, "0000:02:01.0"), IA_ACS_REQ, &has, &fail),
			 IA_NO);
	assert_true(has);
	assert_int_equal(fail, tb_find(m, "0000:02:01.0"));
	assert_int_equal(ia_topo_acs_path_enabled(m, 999, IA_ACS_REQ, &has, &fail), IA_UNKNOWN);
	ia_topo_model_free(m);
	free(t);
}

/* ------------------------------------------------------------------ DMA aliases */

struct alias_rec {
	size_t dev[8];
	uint16_t rid[8];
	size_t n;
};

static int alias_cb(const struct ia_topo_model *m, size_t dev, uint32_t domain, uint16_t rid,
		    bool uncertain, void *ctx)
{
	struct alias_rec *r = ctx;

	(void)m;
	(void)domain;
	(void)uncertain;
	if (r->n < 8) {
		r->dev[r->n] = dev;
		r->rid[r->n] = rid;
	}
	r->n++;
	return 0;
}

static void test_alias_walks(void **state)
{
	struct tb *t;
	struct ia_topo_model *m = build_model(build_ka_intel_acs, &t);
	struct alias_rec r = { 0 };
	struct ia_topo_alias_info ai;

	(void)state;
	/* behind the PCIe-to-PCI bridge 06:00.0: (bridge, 07:00.0) */
	assert_int_equal(ia_topo_for_each_dma_alias(m, tb_find(m, "0000:07:02.0"), alias_cb, &r), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.rid[0], 0x0710);
	assert_int_equal(r.dev[1], tb_find(m, "0000:06:00.0"));
	assert_int_equal(r.rid[1], 0x0700);
	/* under PCIe ports only: the device's own RID */
	memset(&r, 0, sizeof(r));
	assert_int_equal(ia_topo_for_each_dma_alias(m, tb_find(m, "0000:04:00.0"), alias_cb, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(ia_topo_for_each_dma_alias(m, 999, alias_cb, &r), -IA_E_RANGE);
	assert_int_equal(ia_topo_dma_alias_info(m, 999, &ai), -IA_E_RANGE);
	/* the same walk as a list of (domain, RID): 07:02.0 carries its own and the bridge's alias */
	struct ia_topo_rid rids[IA_TOPO_MAX_RIDS];
	assert_int_equal(ia_topo_dma_alias_rids(m, tb_find(m, "0000:07:02.0"), rids, IA_TOPO_MAX_RIDS), 2);
	assert_int_equal(rids[0].rid, 0x0710);
	assert_int_equal(rids[1].rid, 0x0700);
	assert_int_equal(rids[0].domain, 0);
	assert_int_equal(rids[1].domain, 0);
	/* no room for the second: -E2BIG, the first written */
	memset(rids, 0, sizeof(rids));
	assert_int_equal(ia_topo_dma_alias_rids(m, tb_find(m, "0000:07:02.0"), rids, 1), -E2BIG);
	assert_int_equal(rids[0].rid, 0x0710);
	assert_int_equal(ia_topo_dma_alias_rids(m, 999, rids, IA_TOPO_MAX_RIDS), -IA_E_RANGE);
	assert_int_equal(ia_topo_dma_alias_rids(m, 0, NULL, 1), -EINVAL);
	ia_topo_model_free(m);
	free(t);

	/* a function at devfn 00.0 behind the PCIe-to-PCI bridge: the bridge's alias (07:00.0) is
	 * its own RID, listed once (the walk yields it twice) */
	t = calloc(1, sizeof(*t));
	assert_non_null(t);
	int b0 = tb_root(t, 0), rp = RP(t, b0, 1, 0, ACS_ON);
	int pb = tb_fn(t, tb_below(t, rp, 6), 0, 0, IA_YES, IA_PCIE_PCI_BRIDGE, ACS_NONE);
	PCIDEV(t, tb_below(t, pb, 7), 0, 0);
	tb_finish(t);
	m = tb_model(t);
	memset(&r, 0, sizeof(r));
	assert_int_equal(ia_topo_for_each_dma_alias(m, tb_find(m, "0000:07:00.0"), alias_cb, &r), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.rid[0], 0x0700);
	assert_int_equal(r.rid[1], 0x0700);
	assert_int_equal(ia_topo_dma_alias_rids(m, tb_find(m, "0000:07:00.0"), rids, IA_TOPO_MAX_RIDS), 1);
	assert_int_equal(rids[0].rid, 0x0700);
	ia_topo_model_free(m);
	free(t);

	/* conventional bridge: its own RID */
	m = build_model(build_conventional_bridge, &t);
	memset(&r, 0, sizeof(r));
	ia_topo_for_each_dma_alias(m, tb_find(m, "0000:02:05.0"), alias_cb, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.rid[1], 0x0100);
	ia_topo_model_free(m);
	/* ASMedia 1b21:1080 hides its PCIe capability: PCIE_BRIDGE_ALIAS, (secondary, 00.0) */
	t->fns[1].vendor = 0x1b21; /* fns[1] is the bridge 01:00.0 */
	t->fns[1].device = 0x1080;
	m = tb_model(t);
	assert_int_equal(ia_topo_dma_alias_info(m, 1, &ai), 0);
	assert_true(ai.pcie_bridge_alias);
	assert_true(ai.has_quirk);
	assert_string_equal(ia_dma_alias_quirk_table[ai.quirk_row].fn_name, "quirk_use_pcie_bridge_dma_alias");
	memset(&r, 0, sizeof(r));
	ia_topo_for_each_dma_alias(m, tb_find(m, "0000:02:05.0"), alias_cb, &r);
	assert_int_equal(r.rid[1], 0x0200);
	ia_topo_model_free(m);
	/* Broadcom 14e4:9000 as that bridge: BRIDGE_XLATE_ROOT stops the walk there, nothing yielded. */
	t->fns[1].vendor = 0x14e4;
	t->fns[1].device = 0x9000;
	m = tb_model(t);
	assert_true(ia_topo_fn_get(m, 1)->bridge_xlate_root);
	memset(&r, 0, sizeof(r));
	ia_topo_for_each_dma_alias(m, tb_find(m, "0000:02:05.0"), alias_cb, &r);
	assert_int_equal(r.n, 1);
	ia_topo_model_free(m);
	free(t);

	/* Marvell func1 quirk and caller extras */
	m = build_model(build_marvell, &t);
	assert_int_equal(ia_topo_dma_alias_info(m, tb_find(m, "0000:03:00.0"), &ai), 0);
	assert_int_equal(ai.devfn_mask[0], 0x2u);
	assert_string_equal(ia_dma_alias_quirk_table[ai.quirk_row].fn_name, "quirk_dma_func1_alias");
	memset(&r, 0, sizeof(r));
	ia_topo_for_each_dma_alias(m, tb_find(m, "0000:03:00.0"), alias_cb, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.rid[1], 0x0301);
	assert_int_equal(ia_topo_dma_alias_info(m, tb_find(m, "0000:03:00.1"), &ai), 0);
	assert_int_equal(ai.devfn_mask[0], 0); /* func 1 itself adds nothing */
	ia_topo_model_free(m);
	free(t);

	/* PLX NTB: all 256 devfns; Switchtec: unpredictable, group uncertain */
	m = build_model(build_plx_ntb, &t);
	assert_int_equal(ia_topo_dma_alias_info(m, tb_find(m, "0000:05:00.0"), &ai), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(ai.devfn_mask[i], 0xffffffffu);
	ia_topo_model_free(m);
	t->fns[2].vendor = 0x11f8;
	t->fns[2].device = 0x8531;
	t->fns[2].class_code = 0x068000;
	m = tb_model(t);
	assert_int_equal(ia_topo_dma_alias_info(m, 2, &ai), 0);
	assert_true(ai.alias_unpredictable);
	struct ia_topo_groups *g = NULL;

	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	assert_true(g->groups[g->fn[2].group].uncertain);
	assert_non_null(strstr(g->groups[g->fn[2].group].uncertain_reason, "Switchtec"));
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	/* wrong class: the Switchtec fixup does not run */
	t->fns[2].class_code = 0x058000;
	m = tb_model(t);
	assert_int_equal(ia_topo_dma_alias_info(m, 2, &ai), 0);
	assert_false(ai.alias_unpredictable);
	ia_topo_model_free(m);
	/* caller-supplied alias (IVRS) groups two functions with ACS; without it they are apart */
	t->fns[1].vendor = 0x1af4;
	t->fns[2].vendor = 0x1af4;
	m = tb_model(t);
	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	assert_int_not_equal(g->fn[1].group, g->fn[2].group);
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	t->fns[2].extra_alias_devfn[0] = 1u << 0; /* 05:00.1 also uses 05:00.0's RID */
	m = tb_model(t);
	assert_int_equal(ia_topo_dma_alias_info(m, 2, &ai), 0);
	assert_true(ai.has_extra);
	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	assert_int_equal(g->fn[1].group, g->fn[2].group);
	assert_string_equal(g->groups[g->fn[2].group].basis,
			    "caller-supplied DMA alias 0000:05:00.1 -> 0000:05:00.0");
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	free(t);
}

/* ------------------------------------------------------------------ malformed topologies */

struct bad_case {
	const char *name;
	void (*mangle)(struct tb *t);
	int expect;
	size_t n_diags;
};

static void bad_bus_index(struct tb *t) { t->fns[1].bus = 40; }
static void bad_bdf(struct tb *t) { t->fns[1].bus_nr = 9; }
static void bad_dup(struct tb *t) { t->fns[5].bus = 3; t->fns[5].bus_nr = 3; } /* 04:00.0 -> 03:00.0 */
static void bad_loop(struct tb *t) { t->buses[1].parent = 2; t->buses[2].parent = 1; }
static void bad_vf(struct tb *t) { t->fns[2].is_vf = true; t->fns[2].pf = 77; }
static void bad_root(struct tb *t) { t->buses[0].parent = 1; }
static void bad_tri(struct tb *t) { t->fns[0].has_acs = (enum ia_tri)7; }
static void bad_two(struct tb *t) { t->fns[1].bus_nr = 9; t->fns[2].pf = 0; }
static void bad_dup_bus(struct tb *t) { t->buses[4].number = 3; t->fns[5].bus_nr = 3; t->fns[5].devfn = 8; }

static const struct bad_case bad_cases[] = {
	{ "bus_index_out_of_range", bad_bus_index, -IA_E_RANGE, 1 },
	{ "bdf_not_matching_bus", bad_bdf, -IA_E_FORMAT, 1 },
	{ "duplicate_bdf", bad_dup, -IA_E_FORMAT, 1 },
	{ "bus_parent_loop", bad_loop, -IA_E_LOOP, 4 },
	{ "vf_pf_out_of_range", bad_vf, -IA_E_RANGE, 1 },
	{ "root_bus_with_parent", bad_root, -IA_E_FORMAT, 1 },
	{ "tri_state_out_of_range", bad_tri, -IA_E_RANGE, 1 },
	{ "two_problems_both_reported", bad_two, -IA_E_FORMAT, 2 },
	{ "duplicate_bus_number", bad_dup_bus, -IA_E_FORMAT, 1 },
};

static void run_bad_case(void **state)
{
	const struct bad_case *c = *state;
	struct tb *t = calloc(1, sizeof(*t));
	struct ia_topo_model *m = NULL;
	struct ia_diags d = { 0 };

	assert_non_null(t);
	build_switch_acs(t); /* 6 functions on buses 0-4 */
	tb_finish(t);
	c->mangle(t);
	struct ia_topo in = { t->buses, t->nb, t->fns, t->nf, t->env };

	assert_int_equal(ia_topo_model_new(&in, &m, &d), c->expect);
	assert_null(m);
	assert_int_equal(d.n, c->n_diags);
	assert_int_equal(d.v[0].code, c->expect);
	ia_diags_free(&d);
	free(t);
}

static void test_bad_args(void **state)
{
	struct ia_topo in = { 0 };
	struct ia_topo_model *m = NULL;
	struct ia_topo_fn f;

	(void)state;
	assert_int_equal(ia_topo_model_new(NULL, &m, NULL), -EINVAL);
	in.n_fns = 3;
	assert_int_equal(ia_topo_model_new(&in, &m, NULL), -EINVAL);
	in.fns = &f;
	in.n_fns = IA_TOPO_MAX_FNS + 1;
	assert_int_equal(ia_topo_model_new(&in, &m, NULL), -IA_E_TOOBIG);
	in.n_fns = 0;
	assert_int_equal(ia_topo_model_new(&in, &m, NULL), 0); /* an empty host is valid */
	assert_int_equal(ia_topo_n_fns(m), 0);
	assert_null(ia_topo_fn_get(m, 0));
	struct ia_topo_groups *g = NULL;

	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	assert_int_equal(g->n_groups, 0);
	assert_int_equal(ia_topo_predict_groups(NULL, NULL, &g), -EINVAL);
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	ia_topo_model_free(NULL);
	ia_topo_groups_free(NULL);
	ia_topo_domains_free(NULL);
}

/* ------------------------------------------------------------------ viability */

struct viab_case {
	const char *name;
	const char *drivers[3];  /* per member of the T1 RP3 subtree group: 06:00.0, 07:01.0, 07:02.0 */
	int kmaj, kmin;
	enum ia_tri expect;
	enum ia_tri member[3];
};

static const struct viab_case viab_cases[] = {
	{ "all_unbound", { NULL, NULL, NULL }, 6, 12, IA_YES, { IA_YES, IA_YES, IA_YES } },
	{ "vfio_pci_and_unbound_bridge", { NULL, "vfio-pci", "vfio-pci" }, 6, 12, IA_YES,
	  { IA_YES, IA_YES, IA_YES } },
	{ "pcieport_bridge_ok", { "pcieport", "vfio-pci", "vfio-pci" }, 6, 12, IA_YES,
	  { IA_YES, IA_YES, IA_YES } },
	{ "shpchp_bridge_blocks_6x", { "shpchp", "vfio-pci", "vfio-pci" }, 6, 1, IA_NO,
	  { IA_NO, IA_YES, IA_YES } },
	{ "shpchp_bridge_ok_5_18", { "shpchp", "vfio-pci", "vfio-pci" }, 5, 18, IA_YES,
	  { IA_YES, IA_YES, IA_YES } },
	/* a kernel the behaviour table cannot place: the two rules differ on the bridge, so unknown */
	{ "shpchp_unknown_kernel_is_unknown", { "shpchp", NULL, NULL }, 0, 0, IA_UNKNOWN,
	  { IA_UNKNOWN, IA_YES, IA_YES } },
	/* ... and where they agree, the verdict stands */
	{ "nvme_unknown_kernel_blocks", { NULL, "nvme", NULL }, 0, 0, IA_NO, { IA_YES, IA_NO, IA_YES } },
	/* before vfio_dev_whitelisted() (v4.13) a port on its driver blocked the group */
	{ "shpchp_bridge_blocks_4_12", { "shpchp", "vfio-pci", "vfio-pci" }, 4, 12, IA_NO,
	  { IA_NO, IA_YES, IA_YES } },
	{ "pci_stub_ok", { NULL, "pci-stub", "vfio-pci" }, 6, 12, IA_YES, { IA_YES, IA_YES, IA_YES } },
	{ "pci_stub_ok_5_18", { NULL, "pci-stub", "vfio-pci" }, 5, 18, IA_YES,
	  { IA_YES, IA_YES, IA_YES } },
	{ "nvme_blocks", { NULL, "nvme", "vfio-pci" }, 6, 12, IA_NO, { IA_YES, IA_NO, IA_YES } },
	{ "e1000_blocks_5_18", { NULL, "e1000", "vfio-pci" }, 5, 18, IA_NO, { IA_YES, IA_NO, IA_YES } },
	{ "uio_pci_generic_blocks", { NULL, "uio_pci_generic", NULL }, 6, 12, IA_NO,
	  { IA_YES, IA_NO, IA_YES } },
	{ "pcieport_on_endpoint_5_18_blocks", { NULL, "pcieport", NULL }, 5, 18, IA_NO,
	  { IA_YES, IA_NO, IA_YES } },
	{ "mlx5_vfio_variant_ok", { NULL, "mlx5_vfio_pci", NULL }, 6, 12, IA_YES,
	  { IA_YES, IA_YES, IA_YES } },
	{ "out_of_tree_driver_unknown", { NULL, "nvidia-vgpu-pci", NULL }, 6, 12, IA_UNKNOWN,
	  { IA_YES, IA_UNKNOWN, IA_YES } },
};

static void run_viab_case(void **state)
{
	const struct viab_case *c = *state;
	struct tb *t;
	struct ia_topo_model *m = build_model(build_ka_intel_acs, &t);
	size_t mem[3] = { tb_find(m, "0000:06:00.0"), tb_find(m, "0000:07:01.0"),
			  tb_find(m, "0000:07:02.0") };
	struct ia_viab_member v[3];
	enum ia_tri viable = IA_UNKNOWN;

	const struct ia_kernel_id k = { .has_version = c->kmaj || c->kmin, .major = c->kmaj, .minor = c->kmin };
	const struct ia_kernel_id k612 = { .has_version = true, .major = 6, .minor = 12 };
	assert_int_equal(ia_topo_group_viable(m, mem, c->drivers, 3, &k, v, &viable), 0);
	assert_int_equal(viable, c->expect);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(v[i].fn, mem[i]);
		assert_int_equal(v[i].ok, c->member[i]);
		assert_non_null(v[i].reason);
	}
	mem[0] = 999;
	assert_int_equal(ia_topo_group_viable(m, mem, c->drivers, 3, &k612, v, &viable), -IA_E_RANGE);
	assert_int_equal(ia_topo_group_viable(m, mem, NULL, 3, &k612, v, &viable), -EINVAL);
	ia_topo_model_free(m);
	free(t);
}

/* ------------------------------------------------------------------ tables vs CSVs */

/* Split one CSV record (RFC 4180 quoting, no embedded newlines) into fields. */
static size_t csv_split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *r = line, *w = line;

	while (n < max) {
		f[n++] = w;
		if (*r == '"') {
			r++;
			for (;;) {
				if (*r == '"' && r[1] == '"') {
					*w++ = '"';
					r += 2;
				} else if (*r == '"') {
					r++;
					break;
				} else if (!*r) {
					break;
				} else {
					*w++ = *r++;
				}
			}
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (*r != ',') {
			*w = 0;
			break;
		}
		r++;
		*w++ = 0;
	}
	return n;
}

typedef void (*csv_row_fn)(size_t row, char **f, size_t nf);

static size_t csv_each(const char *name, size_t want_fields, csv_row_fn fn)
{
	char path[512];
	size_t len, rows = 0;
	uint8_t *buf;
	char *save = NULL, *line;

	snprintf(path, sizeof(path), "%s/rules/data/%s", IA_SOURCE_DIR, name);
	buf = ia_slurp(path, &len);
	if (!buf)
		fail_msg("cannot read %s", path);
	line = strtok_r((char *)buf, "\n", &save); /* header */
	assert_non_null(line);
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *f[12];
		size_t nf = csv_split(line, f, 12);

		assert_int_equal(nf, want_fields);
		fn(rows++, f, nf);
	}
	free(buf);
	return rows;
}

static void check_id(const char *csv, bool any, uint16_t id)
{
	if (strcmp(csv, "ANY") == 0) {
		assert_true(any);
	} else {
		assert_false(any);
		assert_int_equal(strtoul(csv, NULL, 16), id);
	}
}

static void acs_row(size_t row, char **f, size_t nf)
{
	static const char *const st[] = { "table", "ops", "unconfirmed", "cap_fixup", "out_of_tree" };
	const struct ia_acs_quirk *q;

	(void)nf;
	if (row >= ia_acs_quirk_count)
		fail_msg("acs_quirks.csv row %zu has no C entry", row);
	q = &ia_acs_quirk_table[row];
	check_id(f[0], q->any_vendor, q->vendor);
	check_id(f[1], q->any_device, q->device);
	assert_string_equal(f[2], q->fn_name);
	assert_string_equal(f[3], st[q->status]);
	assert_string_equal(f[4], q->vendor_name);
	assert_string_equal(f[5], q->label);
	assert_string_equal(f[7], q->source);
	/* rows that answer pci_acs_enabled() have an evaluator, the others none */
	assert_int_equal(q->eval != NULL, q->status == IA_QS_TABLE || q->status == IA_QS_UNCONFIRMED ||
			 q->status == IA_QS_OUT_OF_TREE);
}

static void alias_row(size_t row, char **f, size_t nf)
{
	const struct ia_dma_alias_quirk *q;

	(void)nf;
	if (row >= ia_dma_alias_quirk_count)
		fail_msg("dma_alias_quirks.csv row %zu has no C entry", row);
	q = &ia_dma_alias_quirk_table[row];
	check_id(f[0], q->any_vendor, q->vendor);
	check_id(f[1], q->any_device, q->device);
	assert_string_equal(f[2], q->fn_name);
	assert_int_equal(strcmp(f[3], "not_quirk") != 0, q->is_quirk);
	assert_int_equal(f[4][0] ? strtoul(f[4], NULL, 16) : 0, q->class_hi);
	assert_string_equal(f[5], q->vendor_name);
	assert_string_equal(f[6], q->label);
	assert_string_equal(f[8], q->source);
}

static void dmd_row(size_t row, char **f, size_t nf)
{
	const struct ia_dmd_driver *d;

	(void)nf;
	if (row >= ia_dmd_count)
		fail_msg("driver_managed_dma.csv row %zu has no C entry", row);
	d = &ia_dmd_table[row];
	assert_string_equal(f[0], d->name);
	assert_string_equal(f[1], d->bus);
	assert_string_equal(f[3], d->file);
	assert_string_equal(f[4], d->first_mainline);
	assert_string_equal(f[6], d->mainline == IA_DMD_MAINLINE ? "yes" :
			    d->mainline == IA_DMD_POST_612 ? "post-6.12" : "no");
	assert_string_equal(f[7], d->vfio_bus_driver ? "yes" : "no");
	assert_ptr_equal(ia_dmd_lookup(f[0]), d);
}

static void test_tables_match_csv(void **state)
{
	size_t n, table = 0;

	(void)state;
	assert_int_equal(csv_each("acs_quirks.csv", 8, acs_row), ia_acs_quirk_count);
	assert_int_equal(csv_each("dma_alias_quirks.csv", 9, alias_row), ia_dma_alias_quirk_count);
	assert_int_equal(csv_each("driver_managed_dma.csv", 8, dmd_row), ia_dmd_count);
	/* kernel-rules.md 3.1: 132 pci_dev_acs_enabled[] entries in 6.12.117 */
	for (n = 0; n < ia_acs_quirk_count; n++)
		table += ia_acs_quirk_table[n].status == IA_QS_TABLE;
	assert_int_equal(table, 132);
	assert_null(ia_dmd_lookup("shpchp"));
	assert_null(ia_dmd_lookup(NULL));
}

/* The shared docs/data CSVs and the repo copies hold the same rows (reshaped columns). */
static void test_csv_copies_match_shared(void **state)
{
	static const char *const names[] = { "acs_quirks.csv", "dma_alias_quirks.csv",
					     "driver_managed_dma.csv" };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		char path[512];
		size_t a_len, b_len, a_rows = 0, b_rows = 0;
		uint8_t *a, *b;

		snprintf(path, sizeof(path), "%s/docs/data/%s", IA_SHARED_DIR, names[i]);
		a = ia_slurp(path, &a_len);
		if (!a) {
			fprintf(stderr, "skipped: %s absent\n", path);
			continue;
		}
		snprintf(path, sizeof(path), "%s/rules/data/%s", IA_SOURCE_DIR, names[i]);
		b = ia_slurp(path, &b_len);
		assert_non_null(b);
		for (size_t k = 0; k < a_len; k++)
			a_rows += a[k] == '\n';
		for (size_t k = 0; k < b_len; k++)
			b_rows += b[k] == '\n';
		assert_int_equal(a_rows, b_rows);
		free(a);
		free(b);
	}
}

/* ------------------------------------------------------------------ issue 13 */

/* Root ports 00:1c.0 (no ACS) and 00:1c.1 (ACS on) in one slot, endpoint 01:00.0 below .0, and a
 * switch below .1 whose DSP (ACS on) leads to endpoint 04:00.0. */
static void build_mf_rp_subtrees(struct tb *t)
{
	int b0 = tb_root(t, 0);
	int rp0 = RP(t, b0, 0x1c, 0, ACS_NONE), rp1 = RP(t, b0, 0x1c, 1, ACS_ON);
	int usp, dsp;

	EP(t, tb_below(t, rp0, 1), 0, 0, ACS_NONE);
	usp = USP(t, tb_below(t, rp1, 2), 0, 0);
	dsp = DSP(t, tb_below(t, usp, 3), 0, 0, ACS_ON);
	EP(t, tb_below(t, dsp, 4), 0, 0, ACS_NONE);
	t->fns[rp1].subordinate = 4;
	t->fns[usp].subordinate = 4;
}

/* Isolation domains do not stop at the slot: a request from below the ACS-less root port 1c.0 is
 * routed by the slot to its sibling 1c.1 and down to everything below it, so the endpoints below
 * both ports share one domain although the kernel gives them separate groups (issue 13 item 6). */
static void test_domains_mf_root_port_subtrees(void **state)
{
	struct tb *t;
	struct ia_topo_model *m = build_model(build_mf_rp_subtrees, &t);
	struct ia_topo_groups *g = NULL;
	struct ia_topo_domains *d = NULL;
	size_t rp0 = tb_find(m, "0000:00:1c.0"), ep0 = tb_find(m, "0000:01:00.0");
	size_t ep1 = tb_find(m, "0000:04:00.0"), dsp = tb_find(m, "0000:03:00.0");
	const struct ia_topo_domain *dm;
	char *txt;

	(void)state;
	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	/* the kernel (get_pci_function_alias_group(): only ACS-less siblings) keeps them apart */
	txt = tb_render(m, g);
	assert_string_equal(txt, "0: 0000:00:1c.0 0000:01:00.0\n1: 0000:00:1c.1\n2: 0000:02:00.0\n"
				 "3: 0000:03:00.0\n4: 0000:04:00.0\n");
	free(txt);
	assert_int_equal(ia_topo_isolation_domains(m, g, &d), 0);
	dm = &d->v[d->domain_of[ep0]];
	assert_int_equal(d->domain_of[ep1], d->domain_of[ep0]);
	assert_int_equal(d->domain_of[dsp], d->domain_of[ep0]);
	assert_int_equal(d->n, 1);
	assert_int_equal(dm->n_members, 6);
	assert_int_equal(dm->n_groups, 5);
	assert_int_equal(dm->n_blame, 1);
	assert_int_equal(dm->blame[0].fn, rp0);
	assert_string_equal(dm->blame[0].why, "function 0000:00:1c.0 lacks ACS P2P redirect (no ACS capability): it "
			    "can reach the other functions of slot 0000:00:1c internally, and the devices below them");
	assert_false(dm->uncertain);
	ia_topo_domains_free(d);
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	free(t);
}

/* A multifunction slot whose only bridge is the ACS-less function itself: nothing is below the
 * other functions, so the blame does not claim devices below them. */
static void build_mf_rp_ep_sibling(struct tb *t)
{
	int b0 = tb_root(t, 0);
	int rp0 = RP(t, b0, 0x1c, 0, ACS_NONE);

	EP(t, b0, 0x1c, 1, ACS_ON);
	EP(t, tb_below(t, rp0, 1), 0, 0, ACS_NONE);
}

static void test_domains_mf_no_devices_below_siblings(void **state)
{
	struct tb *t;
	struct ia_topo_model *m = build_model(build_mf_rp_ep_sibling, &t);
	struct ia_topo_groups *g = NULL;
	struct ia_topo_domains *d = NULL;
	size_t ep0 = tb_find(m, "0000:01:00.0");

	(void)state;
	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	assert_int_equal(ia_topo_isolation_domains(m, g, &d), 0);
	assert_int_equal(d->n, 1);
	assert_int_equal(d->domain_of[tb_find(m, "0000:00:1c.1")], d->domain_of[ep0]);
	assert_int_equal(d->v[0].n_blame, 1);
	assert_string_equal(d->v[0].blame[0].why, "function 0000:00:1c.0 lacks ACS P2P redirect (no ACS capability): "
			    "it can reach the other functions of slot 0000:00:1c internally");
	ia_topo_domains_free(d);
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	free(t);
}

/* Root ports 00:1c.0 (ACS SV,RR,CR on, UF off) and 00:1c.1 (ACS on): 1c.0 has P2P redirect, so
 * the blame does not say it lacks it, nor that it reaches its siblings internally. */
static void build_mf_rp_no_uf(struct tb *t)
{
	int b0 = tb_root(t, 0);
	int rp0 = RP(t, b0, 0x1c, 0, ACS_ON);

	RP(t, b0, 0x1c, 1, ACS_ON);
	t->fns[rp0].acs_ctrl = t->fns[rp0].acs_ctrl_dw = 0x0d; /* SV RR CR */
}

static void test_domains_blame_redirect_on(void **state)
{
	struct tb *t;
	struct ia_topo_model *m = build_model(build_mf_rp_no_uf, &t);
	struct ia_topo_groups *g = NULL;
	struct ia_topo_domains *d = NULL;

	(void)state;
	assert_int_equal(ia_topo_predict_groups(m, NULL, &g), 0);
	assert_int_equal(g->n_groups, 2);
	assert_int_equal(ia_topo_isolation_domains(m, g, &d), 0);
	assert_int_equal(d->n, 1);
	assert_int_equal(d->v[0].n_blame, 1);
	assert_string_equal(d->v[0].blame[0].why, "function 0000:00:1c.0 is not ACS-isolated (UF not enabled): the kernel "
			    "does not count it as isolated from the other functions of slot 0000:00:1c");
	ia_topo_domains_free(d);
	ia_topo_groups_free(g);
	ia_topo_model_free(m);
	free(t);
}

/* ------------------------------------------------------------------ main */

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_tables_match_csv),
		cmocka_unit_test(test_csv_copies_match_shared),
		cmocka_unit_test(test_domains_ka_switch),
		cmocka_unit_test(test_domains_asymmetric),
		cmocka_unit_test(test_domains_mf_mixed),
		cmocka_unit_test(test_probe_order_and_rules),
		cmocka_unit_test(test_acs_override),
		cmocka_unit_test(test_acs_path),
		cmocka_unit_test(test_alias_walks),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_domains_mf_root_port_subtrees),
		cmocka_unit_test(test_domains_mf_no_devices_below_siblings),
		cmocka_unit_test(test_domains_blame_redirect_on),
	};
	size_t n = NCASES(fixed) + NCASES(grp_cases) + NCASES(acs_cases) + NCASES(bad_cases) +
		   NCASES(viab_cases), k = 0;
	struct CMUnitTest *tests = calloc(n, sizeof(*tests));
	char (*names)[96] = calloc(n, sizeof(*names));
	int ret;

	if (!tests || !names)
		return 1;
	for (size_t i = 0; i < NCASES(fixed); i++)
		tests[k++] = fixed[i];
#define ADD(arr, fn, prefix)                                                              \
	for (size_t i = 0; i < NCASES(arr); i++, k++) {                                  \
		snprintf(names[k], sizeof(names[k]), prefix "%s", arr[i].name);          \
		tests[k].name = names[k];                                                \
		tests[k].test_func = fn;                                                 \
		tests[k].initial_state = (void *)&arr[i];                                \
	}
	ADD(grp_cases, run_grp_case, "groups/")
	ADD(acs_cases, run_acs_case, "acs/")
	ADD(bad_cases, run_bad_case, "malformed/")
	ADD(viab_cases, run_viab_case, "viable/")
#undef ADD
	ret = _cmocka_run_group_tests("topology", tests, n, NULL, NULL);
	free(tests);
	free(names);
	return ret;
}
