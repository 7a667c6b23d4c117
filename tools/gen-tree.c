// SPDX-License-Identifier: GPL-2.0-or-later
// ia-gen-tree: write a large synthetic captured host tree (contract layout) for tests and benchmarks.
//
// The host is an Intel VT-d server: PCI segments of up to ~224 buses, several root buses per
// segment (one DRHD each), root ports with ACS, a PCH with multifunction root ports without ACS,
// two-level switch trees (upper downstream ports with ACS, lower ones without), SR-IOV NICs with
// many VFs (PFs with and without ACS), PCIe-to-PCI bridges with conventional devices behind,
// multifunction endpoints and GPUs with ATS/PASID/PRI. Config spaces are complete 4096-byte
// images with real capability chains (256 bytes for conventional PCI). IOMMU groups are those
// Linux 6.12 forms (drivers/iommu/iommu.c pci_device_group(), drivers/pci/pci.c
// pci_acs_enabled() and pci_for_each_dma_alias()), numbered in device-add order.
//
// Usage: ia-gen-tree [--functions N] [--vfs V] [--isolated] OUTDIR
//   --functions N  exact number of PCI functions (default 1024, at least 16)
//   --vfs V        VFs per SR-IOV PF (default scales with N: 4, 16 or 64; at most 120)
//   --isolated     every root and downstream port has ACS (no peer-to-peer finding expected)
// OUTDIR must not exist. Prints "functions N groups G segments S units U" on success.
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/array.h"
#include "core/bdf.h"
#include "core/text.h"

enum kind { K_HOST, K_RP, K_USP, K_DSP, K_P2P, K_EP, K_VF, K_PCI, K_RCIEP };

/* PCIe port types (PCIe Base 6.0 §7.5.3.2). */
enum { T_EP = 0, T_RP = 4, T_USP = 5, T_DSP = 6, T_P2P = 7, T_RCIEP = 9 };

struct fn {
	unsigned dom, bus, devfn;
	enum kind kind;
	int parent;     /* upstream bridge (sysfs parent), -1 on a root bus */
	int bus_idx;    /* index into buses[] */
	int pf;         /* VFs: the PF */
	uint16_t vendor, device, svid, sdid;
	uint32_t class_code;
	uint8_t rev;
	bool mf, acs, ats, pasid, pri, ari;
	unsigned sec, sub;                 /* bridges */
	unsigned nvfs, vf_off, vf_stride;  /* PFs */
	uint16_t vf_device;
	const char *driver;                /* NULL: unbound */
	int unit;                          /* DRHD / dmarN */
	int group;
	uint64_t bar;                      /* BAR0 base */
	char *path;                        /* root-relative device directory */
};

struct bus {
	unsigned dom, number;
	int self;        /* bridge fn, -1 for a root bus */
	int first_child; /* linked list of functions on the bus, in devfn order of insertion */
	int unit;        /* DRHD covering a root bus */
};

static struct fn *fns;
static size_t n_fns, cap_fns;
static struct bus *buses;
static size_t n_buses, cap_buses;
static int *next_on_bus; /* per fn: next fn on the same bus */
static const char *outdir;
static bool isolated;
static unsigned vfs_per_pf;
static uint64_t next_bar = 0x38000000000ull;

/* DRHD units: register base, segment, INCLUDE_PCI_ALL, the root buses or ports in scope. */
struct unit {
	unsigned dom;
	uint64_t base;
	bool pci_all;
	int root_bus;   /* bus index whose root ports are listed as sub-hierarchy scopes */
};
static struct unit units[512];
static int n_units;

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("ia-gen-tree: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* ---- output helpers: every path is relative to OUTDIR ---- */

static void mkdirs(const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", outdir, rel);
	for (char *s = p + strlen(outdir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			die("mkdir %s: %s", p, strerror(errno));
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		die("mkdir %s: %s", p, strerror(errno));
}

static void put(const char *rel, const void *data, size_t len)
{
	char p[4096];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", outdir, rel);
	if ((fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0 ||
	    write(fd, data, len) != (ssize_t)len || close(fd) != 0)
		die("write %s: %s", p, strerror(errno));
}

static void putf(const char *dir, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void putf(const char *dir, const char *name, const char *fmt, ...)
{
	char rel[4096], buf[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	snprintf(rel, sizeof(rel), "%s/%s", dir, name);
	put(rel, buf, (size_t)n);
}

/* Symlink @dir/@name -> @target (both root-relative), written as the shortest relative link. */
static void link_rel(const char *dir, const char *name, const char *target)
{
	char text[4096], p[4096];
	size_t common = 0, i;
	int ups = 1;

	for (i = 0; dir[i] && dir[i] == target[i]; i++)
		if (dir[i] == '/')
			common = i + 1;
	if (!dir[i] && target[i] == '/')
		common = i + 1, ups = 0;
	for (i = common; dir[i]; i++)
		ups += dir[i] == '/';
	text[0] = '\0';
	for (int u = 0; u < ups; u++)
		strcat(text, "../");
	strcat(text, target + common);
	snprintf(p, sizeof(p), "%s/%s/%s", outdir, dir, name);
	if (symlink(text, p) < 0)
		die("symlink %s: %s", p, strerror(errno));
}

/* ---- topology ---- */

static int add_bus(unsigned dom, unsigned number, int self)
{
	if (!(buses = ia_array_grow(buses, &cap_buses, n_buses + 1, sizeof(*buses))))
		die("out of memory");
	buses[n_buses] = (struct bus){ dom, number, self, -1, -1 };
	return (int)n_buses++;
}

static int add_fn(int bus_idx, unsigned devfn, enum kind k, uint16_t ven, uint16_t dev, uint32_t cls)
{
	size_t cap_next = cap_fns;
	if (!(fns = ia_array_grow(fns, &cap_fns, n_fns + 1, sizeof(*fns))) ||
	    !(next_on_bus = ia_array_grow(next_on_bus, &cap_next, n_fns + 1, sizeof(*next_on_bus))))
		die("out of memory");
	struct bus *b = &buses[bus_idx];
	int i = (int)n_fns++;
	fns[i] = (struct fn){ .dom = b->dom, .bus = b->number, .devfn = devfn, .kind = k,
			      .parent = b->self, .bus_idx = bus_idx, .pf = -1, .vendor = ven, .device = dev,
			      .svid = ven, .sdid = dev, .class_code = cls, .rev = 1, .unit = -1, .group = -1 };
	/* Insert into the bus list in devfn order (the order pci_scan_child_bus() adds them). */
	int *at = &b->first_child;
	while (*at >= 0 && fns[*at].devfn < devfn)
		at = &next_on_bus[*at];
	next_on_bus[i] = *at;
	*at = i;
	return i;
}

/* Segment state: the next free bus number. */
static unsigned cur_dom, next_busnr;
static int cur_root;        /* bus index of the current root bus */
static unsigned root_ports; /* root ports placed on it */

static void new_root_bus(bool new_segment)
{
	if (new_segment) {
		cur_dom++;
		next_busnr = 0;
	}
	cur_root = add_bus(cur_dom, next_busnr++, -1);
	root_ports = 0;
	if (buses[cur_root].number == 0)
		add_fn(cur_root, 0, K_HOST, 0x8086, 0x2020, 0x060000); /* Sky Lake-E DMI3 registers */
}

static int bridge(int bus_idx, unsigned devfn, enum kind k, uint16_t ven, uint16_t dev, bool acs)
{
	int i = add_fn(bus_idx, devfn, k, ven, dev, k == K_P2P ? 0x060401 : 0x060400);

	fns[i].acs = acs;
	fns[i].driver = k == K_P2P ? NULL : "pcieport";
	fns[i].sec = next_busnr;
	fns[i].sub = next_busnr; /* raised as the subtree grows */
	add_bus(buses[bus_idx].dom, next_busnr++, i);
	return (int)n_buses - 1;
}

static void close_bridge(int bus_idx)
{
	int br = buses[bus_idx].self;

	for (int p = br; p >= 0; p = fns[p].parent)
		fns[p].sub = next_busnr - 1;
}

static int endpoint(int bus_idx, unsigned devfn, uint16_t ven, uint16_t dev, uint32_t cls, const char *drv)
{
	int i = add_fn(bus_idx, devfn, K_EP, ven, dev, cls);

	fns[i].driver = drv;
	return i;
}

static unsigned n_nvme;

static void card_nvme(int b)
{
	/* Every third NVMe drive is handed to vfio-pci. */
	endpoint(b, 0, 0x144d, 0xa80a, 0x010802, n_nvme++ % 3 == 2 ? "vfio-pci" : "nvme");
}

/* SR-IOV NIC: two PFs (multifunction, ARI), each with @v VFs on the same bus from devfn 8. */
static void card_nic(int b, bool e810, unsigned v)
{
	uint16_t ven = e810 ? 0x8086 : 0x15b3, pfdev = e810 ? 0x1593 : 0x101b, vfdev = e810 ? 0x1889 : 0x101c;
	int pf[2];

	for (unsigned k = 0; k < 2; k++) {
		pf[k] = endpoint(b, k, ven, pfdev, 0x020000, e810 ? "ice" : "mlx5_core");
		fns[pf[k]].mf = true;
		fns[pf[k]].acs = e810; /* E810 PFs implement ACS; ConnectX PFs do not */
		fns[pf[k]].ari = true;
		fns[pf[k]].ats = !e810;
		fns[pf[k]].nvfs = v;
		fns[pf[k]].vf_off = 8 + k * v - k;
		fns[pf[k]].vf_stride = 1;
		fns[pf[k]].vf_device = vfdev;
	}
	for (unsigned k = 0; k < 2; k++)
		for (unsigned i = 0; i < v; i++) {
			int f = add_fn(b, 8 + k * v + i, K_VF, ven, vfdev, 0x020000);
			fns[f].pf = pf[k];
			fns[f].ari = true;
			fns[f].ats = !e810;
			fns[f].driver = i % 2 ? "vfio-pci" : e810 ? "iavf" : "mlx5_core";
		}
}

/* Two-level switch: an upper switch whose downstream ports have ACS; every other one leads to a
 * lower switch whose downstream ports lack ACS (unless --isolated), each with an NVMe drive. */
static void card_switch(int b, unsigned k1, unsigned k2)
{
	int up = bridge(b, 0, K_USP, 0x10b5, 0x9797, false);
	for (unsigned i = 0; i < k1; i++) {
		int dn = bridge(up, i << 3, K_DSP, 0x10b5, 0x9797, true);
		if (i % 2 == 0) {
			card_nvme(dn);
		} else {
			int up2 = bridge(dn, 0, K_USP, 0x1b21, 0x2824, false);
			for (unsigned j = 0; j < k2; j++) {
				int dn2 = bridge(up2, j << 3, K_DSP, 0x1b21, 0x2824, isolated);
				card_nvme(dn2);
				close_bridge(dn2);
			}
			close_bridge(up2);
		}
		close_bridge(dn);
	}
	close_bridge(up);
}

/* PCIe-to-PCI bridge with a dual-channel SCSI controller and a NIC behind it. */
static void card_p2p(int b)
{
	int pb = bridge(b, 0, K_P2P, 0x104c, 0x8240, false);
	for (unsigned k = 0; k < 2; k++) {
		int f = add_fn(pb, (4 << 3) | k, K_PCI, 0x1000, 0x0030, 0x010000);
		fns[f].mf = true;
		fns[f].driver = "mptspi";
	}
	int f = add_fn(pb, 5 << 3, K_PCI, 0x10ec, 0x8139, 0x020000);
	fns[f].driver = "8139too";
	close_bridge(pb);
}

static void card_mf(int b, unsigned n, uint16_t ven, const uint16_t *dev, const uint32_t *cls,
		    const char *drv)
{
	for (unsigned k = 0; k < n; k++) {
		int f = endpoint(b, k, ven, dev[k], cls[k], drv);
		fns[f].mf = true;
	}
}

static void card_bcm(int b)
{
	static const uint16_t d[] = { 0x165f, 0x165f };
	static const uint32_t c[] = { 0x020000, 0x020000 };
	card_mf(b, 2, 0x14e4, d, c, "tg3");
}

static void card_gpu_audio(int b)
{
	static const uint16_t d[] = { 0x2230, 0x1aef };
	static const uint32_t c[] = { 0x030000, 0x040300 };
	card_mf(b, 2, 0x10de, d, c, "vfio-pci");
}

static void card_accel(int b)
{
	int f = endpoint(b, 0, 0x1002, 0x740f, 0x038000, "amdgpu");
	fns[f].ats = fns[f].pasid = fns[f].pri = true;
}

enum card { C_NVME, C_SWITCH, C_MLX, C_E810, C_P2P, C_BCM, C_GPU, C_ACCEL, C_NICFIT };

static unsigned card_fns(enum card c, unsigned v)
{
	switch (c) {
	case C_NVME: case C_ACCEL: return 1;
	case C_SWITCH: return 25;
	case C_MLX: case C_E810: case C_NICFIT: return 2 + 2 * v;
	case C_P2P: return 4;
	case C_BCM: case C_GPU: return 2;
	}
	return 0;
}

static unsigned card_buses(enum card c)
{
	return c == C_SWITCH ? 16 : c == C_P2P ? 2 : 1;
}

/* A root port (ACS unless @noacs) in the next free slot, with a card below it. */
static void root_port(enum card c, unsigned v, bool pch, unsigned pch_fn)
{
	int rb;

	if (!pch) {
		if (root_ports == 8 || next_busnr + card_buses(c) > 0xe0)
			new_root_bus(next_busnr + card_buses(c) + 1 > 0xe0);
		unsigned slot = buses[cur_root].number == 0 ? root_ports + 1 : root_ports;
		rb = bridge(cur_root, slot << 3, K_RP, 0x8086, 0x2030 + (root_ports & 3), true);
		root_ports++;
	} else {
		rb = bridge(cur_root, (0x1c << 3) | pch_fn, K_RP, 0x8086, 0xa190 + pch_fn, isolated);
		fns[buses[rb].self].mf = true;
	}
	switch (c) {
	case C_NVME: card_nvme(rb); break;
	case C_SWITCH: card_switch(rb, 4, 4); break;
	case C_MLX: case C_NICFIT: card_nic(rb, false, v); break;
	case C_E810: card_nic(rb, true, v); break;
	case C_P2P: card_p2p(rb); break;
	case C_BCM: card_bcm(rb); break;
	case C_GPU: card_gpu_audio(rb); break;
	case C_ACCEL: card_accel(rb); break;
	}
	close_bridge(rb);
}

static void build(unsigned n)
{
	static const enum card cycle[] = { C_SWITCH, C_MLX, C_NVME, C_P2P, C_E810, C_ACCEL, C_BCM,
					   C_GPU, C_NVME, C_MLX };
	size_t ci = 0;

	cur_dom = 0;
	next_busnr = 0;
	new_root_bus(false);
	/* The PCH: two multifunction root ports (no ACS), LPC, SATA and SMBus without PCIe. */
	root_port(C_NVME, 0, true, 0);
	root_port(C_BCM, 0, true, 4);
	static const uint16_t pd[] = { 0xa1c2, 0xa182, 0xa1a3 };
	static const uint32_t pc[] = { 0x060100, 0x010601, 0x0c0500 };
	static const char *const pdrv[] = { "lpc_ich", "ahci", "i801_smbus" };
	for (unsigned k = 0; k < 3; k++) {
		int f = add_fn(cur_root, (0x1f << 3) | (k ? k * 2 : 0), K_PCI, 0x8086, pd[k], pc[k]);
		fns[f].mf = true;
		fns[f].driver = pdrv[k];
	}
	while (n_fns < n) {
		unsigned left = (unsigned)(n - n_fns);
		enum card c = cycle[ci++ % (sizeof(cycle) / sizeof(cycle[0]))];

		if (1 + card_fns(c, vfs_per_pf) <= left) {
			root_port(c, vfs_per_pf, false, 0);
		} else if (left >= 5) {
			root_port(C_NICFIT, (left - 3) / 2, false, 0);
		} else if (left >= 3) {
			root_port(C_BCM, 0, false, 0);
		} else if (left == 2) {
			root_port(C_NVME, 0, false, 0);
		} else {
			/* One function left: a root-complex integrated endpoint on the current root bus. */
			int f = add_fn(cur_root, 0x10 << 3, K_RCIEP, 0x8086, 0x2014, 0x088000);
			(void)f;
		}
	}
	if (n_fns != n)
		die("internal: built %zu functions for %u", n_fns, n);
}

/* ---- the kernel's view: ACS, groups (Linux 6.12) ---- */

static bool is_pcie(const struct fn *f)
{
	return f->kind != K_HOST && f->kind != K_PCI;
}

static unsigned pcie_type(const struct fn *f)
{
	switch (f->kind) {
	case K_RP: return T_RP;
	case K_USP: return T_USP;
	case K_DSP: return T_DSP;
	case K_P2P: return T_P2P;
	case K_RCIEP: return T_RCIEP;
	default: return T_EP;
	}
}

/* pci_acs_enabled(pdev, REQ_ACS_FLAGS): no quirk matches the IDs used here. */
static bool acs_enabled(const struct fn *f)
{
	if (!is_pcie(f))
		return false;
	switch (pcie_type(f)) {
	case T_RP: case T_DSP:
		return f->acs;
	case T_EP: case T_USP: case T_RCIEP:
		return f->kind == K_VF || !f->mf ? true : f->acs;
	default:
		return true;
	}
}

static bool acs_path_enabled(int i)
{
	for (; i >= 0; i = fns[i].parent)
		if (!acs_enabled(&fns[i]))
			return false;
	return true;
}

static int n_groups;

/* pci_device_group(): DMA alias (PCIe-to-PCI bridge), upstream walk, multifunction alias. */
static void assign_group(int i)
{
	struct fn *f = &fns[i];

	if (f->kind == K_PCI && f->parent >= 0 && fns[f->parent].kind == K_P2P) {
		f->group = fns[f->parent].group;
		return;
	}
	for (int p = f->parent; p >= 0; p = fns[p].parent) {
		if (acs_path_enabled(p))
			break;
		f->group = fns[p].group;
		return;
	}
	if (f->kind != K_VF && f->mf && !acs_enabled(f))
		for (int t = buses[f->bus_idx].first_child; t >= 0; t = next_on_bus[t])
			if (t != i && fns[t].kind != K_VF && (fns[t].devfn >> 3) == (f->devfn >> 3) &&
			    !acs_enabled(&fns[t]) && fns[t].group >= 0) {
				f->group = fns[t].group;
				return;
			}
	f->group = n_groups++;
}

/* Device-add order: a bus's functions, then each bridge's subtree; root buses in order; VFs last. */
static void group_bus(int b)
{
	for (int t = buses[b].first_child; t >= 0; t = next_on_bus[t])
		if (fns[t].kind != K_VF)
			assign_group(t);
	for (int t = buses[b].first_child; t >= 0; t = next_on_bus[t])
		if (fns[t].sec || fns[t].kind == K_RP)
			for (size_t c = 0; c < n_buses; c++)
				if (buses[c].self == t)
					group_bus((int)c);
}

static void assign_groups(void)
{
	for (size_t b = 0; b < n_buses; b++)
		if (buses[b].self < 0)
			group_bus((int)b);
	for (size_t i = 0; i < n_fns; i++)
		if (fns[i].kind == K_VF)
			assign_group((int)i);
}

/* ---- config space (PCI Local Bus 3.0 §6, PCIe Base 6.0 §7) ---- */

static void w16(uint8_t *c, unsigned o, unsigned v) { c[o] = (uint8_t)v; c[o + 1] = (uint8_t)(v >> 8); }
static void w32(uint8_t *c, unsigned o, uint32_t v) { w16(c, o, v & 0xffff); w16(c, o + 2, v >> 16); }

static size_t build_config(const struct fn *f, uint8_t *c)
{
	bool vf = f->kind == K_VF, br = f->sec != 0 || f->kind == K_RP;
	size_t size = is_pcie(f) ? 4096 : 256;

	memset(c, 0, size);
	w16(c, 0x00, vf ? 0xffff : f->vendor); /* SR-IOV §3.4.1.1: a VF's IDs read as FFFFh */
	w16(c, 0x02, vf ? 0xffff : f->device);
	w16(c, 0x04, br ? 0x0407 : 0x0406);
	w16(c, 0x06, 0x0010);
	c[0x08] = f->rev;
	c[0x09] = (uint8_t)f->class_code;
	c[0x0a] = (uint8_t)(f->class_code >> 8);
	c[0x0b] = (uint8_t)(f->class_code >> 16);
	c[0x0c] = 0x10;
	c[0x0e] = (uint8_t)((br ? 1 : 0) | (f->mf ? 0x80 : 0));
	if (br) {
		c[0x18] = (uint8_t)f->bus;
		c[0x19] = (uint8_t)f->sec;
		c[0x1a] = (uint8_t)f->sub;
		w16(c, 0x20, 0xfff0);
		w16(c, 0x22, 0x0000);
		w16(c, 0x3e, 0x0003);
	} else {
		if (!vf && f->kind != K_HOST) {
			w32(c, 0x10, (uint32_t)f->bar | 0xc);
			w32(c, 0x14, (uint32_t)(f->bar >> 32));
		}
		w16(c, 0x2c, f->svid);
		w16(c, 0x2e, f->sdid);
		c[0x3d] = vf ? 0 : 1;
	}
	c[0x34] = vf ? 0x70 : 0x40;
	/* 0x40 Power Management, 0x50 MSI (ports, conventional), 0x70 MSI-X (endpoints), 0x80 PCIe. */
	unsigned next_after_pm = (br || !is_pcie(f)) ? 0x50 : 0x70;
	if (!vf) {
		c[0x40] = 0x01;
		c[0x41] = (uint8_t)next_after_pm;
		w16(c, 0x42, 0x0003);
	}
	if (next_after_pm == 0x50 && !vf) {
		c[0x50] = 0x05;
		c[0x51] = is_pcie(f) ? 0x80 : 0x00;
		w16(c, 0x52, 0x0080);
	} else {
		c[0x70] = 0x11;
		c[0x71] = 0x80;
		w16(c, 0x72, 0x8000 | 63); /* enabled, 64 vectors */
		w32(c, 0x74, 0x00002000);
		w32(c, 0x78, 0x00003000);
	}
	if (!is_pcie(f))
		return size;
	c[0x80] = 0x10;
	w16(c, 0x82, 0x0002 | pcie_type(f) << 4 | ((f->kind == K_RP || f->kind == K_DSP) ? 0x100 : 0));
	w32(c, 0x84, 0x00008fc2);                       /* DevCap: 512B MPS, role-based errors */
	w16(c, 0x88, 0x2830);                           /* DevCtl */
	w32(c, 0x8c, 0x00477d04 | (f->kind == K_RP || f->kind == K_DSP ? (f->devfn >> 3) << 24 : 0));
	w16(c, 0x92, 0x1044);                           /* LnkSta: 16 GT/s x4 */
	/* DevCap2 (0xa4): ARI Forwarding on ports, completion timeout ranges, no End-End TLP prefix. */
	w32(c, 0xa4, 0x0000001f | (br ? 0x20 : 0) | 0x10000);
	w16(c, 0xa8, f->kind == K_RP || f->kind == K_DSP ? 0x0020 : 0);
	/* Extended capabilities from 0x100: AER, ACS, ARI, SR-IOV, ATS, PASID, PRI. */
	struct { unsigned id, ver, off; bool on; } ext[] = {
		{ 0x0001, 2, 0x100, !vf },
		{ 0x000d, 1, 0x148, f->acs },
		{ 0x000e, 1, 0x150, f->ari },
		{ 0x0010, 1, 0x160, f->nvfs > 0 },
		{ 0x000f, 1, 0x1a0, f->ats },
		{ 0x001b, 1, 0x1b0, f->pasid },
		{ 0x0013, 1, 0x1c0, f->pri },
	};
	size_t ne = sizeof(ext) / sizeof(ext[0]), prev = ne;
	for (size_t k = 0; k < ne; k++) {
		if (!ext[k].on)
			continue;
		if (prev < ne)
			w32(c, ext[prev].off, ext[prev].id | ext[prev].ver << 16 | ext[k].off << 20);
		prev = k;
	}
	if (prev < ne)
		w32(c, ext[prev].off, ext[prev].id | ext[prev].ver << 16);
	else
		w32(c, 0x100, 0); /* no extended capabilities: an all-zero header ends the list */
	if (!vf) {
		w32(c, 0x104, 0);           /* AER: uncorrectable status */
		w32(c, 0x10c, 0x00462030);  /* uncorrectable severity */
	}
	/* ACS (§7.7.8): ports implement SV TB RR CR UF DT, and the kernel enables SV RR CR UF at boot
	 * (pci_enable_acs() after the IOMMU driver's pci_request_acs()); a port without ACS has no
	 * capability at all (a port that has one is always enabled on an IOMMU host). */
	if (f->acs && (f->kind == K_RP || f->kind == K_DSP)) {
		w16(c, 0x14c, 0x005f);
		w16(c, 0x14e, 0x001d);
	} else if (f->acs) { /* multifunction endpoint: RR CR */
		w16(c, 0x14c, 0x000c);
		w16(c, 0x14e, 0x000c);
	}
	if (f->ari)
		w16(c, 0x154, vf ? 0 : (f->devfn & 7) == 0 ? 0x0100 : 0);
	if (f->nvfs) {
		unsigned total = f->nvfs < 64 ? 64 : f->nvfs;
		w32(c, 0x164, 0x00000002);     /* SR-IOV cap: ARI capable hierarchy preserved */
		w16(c, 0x168, 0x0019);         /* VF Enable, VF MSE, ARI Capable Hierarchy */
		w16(c, 0x16c, total);          /* InitialVFs */
		w16(c, 0x16e, total);          /* TotalVFs */
		w16(c, 0x170, f->nvfs);        /* NumVFs */
		w16(c, 0x174, f->vf_off);
		w16(c, 0x176, f->vf_stride);
		w16(c, 0x17a, f->vf_device);
		w32(c, 0x17c, 0x553);          /* supported page sizes */
		w32(c, 0x180, 0x1);            /* system page size 4 KiB */
		w32(c, 0x184, (uint32_t)(f->bar + 0x4000000) | 0xc);
		w32(c, 0x188, (uint32_t)((f->bar + 0x4000000) >> 32));
	}
	if (f->ats) {
		w16(c, 0x1a4, 0x0020);         /* invalidate queue depth 0, page aligned */
		w16(c, 0x1a6, f->driver && strcmp(f->driver, "vfio-pci") ? 0x8000 : 0);
	}
	if (f->pasid) {
		w16(c, 0x1b4, 0x1406);         /* 20-bit PASID, exec + privileged */
		w16(c, 0x1b6, 0x0001);
	}
	if (f->pri) {
		w16(c, 0x1c4, 0x0001);         /* enabled */
		w16(c, 0x1c6, 0x0100);         /* stopped */
		w32(c, 0x1c8, 512);
		w32(c, 0x1cc, 512);
	}
	return size;
}

/* ---- writing the tree ---- */

static char *bdf_of(const struct fn *f, char buf[IA_BDF_BUFSZ])
{
	return ia_bdf_format(ia_bdf_from_devfn(f->dom & 0xffff, (uint8_t)f->bus, (uint8_t)f->devfn), buf);
}

static void write_function(size_t i)
{
	struct fn *f = &fns[i];
	char bdf[IA_BDF_BUFSZ], rel[4096];
	uint8_t cfg[4096];
	const char *d = f->path;
	size_t n = build_config(f, cfg);

	mkdirs(d);
	snprintf(rel, sizeof(rel), "%s/config", d);
	put(rel, cfg, n);
	putf(d, "vendor", "0x%04x\n", f->vendor);
	putf(d, "device", "0x%04x\n", f->device);
	putf(d, "subsystem_vendor", "0x%04x\n", f->kind == K_VF ? f->vendor : f->svid);
	putf(d, "subsystem_device", "0x%04x\n", f->kind == K_VF ? f->device : f->sdid);
	putf(d, "class", "0x%06x\n", f->class_code);
	putf(d, "revision", "0x%02x\n", f->rev);
	putf(d, "irq", "%u\n", f->kind == K_VF ? 0 : 16 + (unsigned)(i % 8));
	putf(d, "numa_node", "%d\n", (int)(f->dom % 2));
	putf(d, "enable", "%d\n", f->driver && strcmp(f->driver, "vfio-pci") ? 1 : 0);
	putf(d, "driver_override", "(null)\n");
	putf(d, "local_cpulist", "0-1\n");
	putf(d, "msi_bus", "1\n");
	putf(d, "modalias", "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n", f->vendor, f->device,
	     f->svid, f->sdid, f->class_code >> 16, (f->class_code >> 8) & 0xff, f->class_code & 0xff);
	/* resource: 17 lines (6 BARs, ROM, 6 SR-IOV BARs, 4 bridge windows); start end flags. */
	char res[2048];
	struct ia_sb rb;
	ia_sb_init_fixed(&rb, res, sizeof(res));
	for (unsigned r = 0; r < 17; r++) {
		uint64_t s = 0, e = 0, fl = 0;
		bool br = f->sec != 0 || f->kind == K_RP;
		if (r == 0 && !br && f->kind != K_HOST)
			s = f->bar, e = f->bar + 0x1ffffff, fl = 0x14220c;
		if (r == 7 && f->nvfs)
			s = f->bar + 0x4000000, e = s + 0x20000 * f->nvfs - 1, fl = 0x14220c;
		if (r == 0 && f->kind == K_VF) {
			const struct fn *pf = &fns[f->pf];
			s = pf->bar + 0x4000000 + 0x20000ull * (f->devfn - pf->devfn - pf->vf_off);
			e = s + 0x1ffff, fl = 0x14220c;
		}
		ia_sb_printf(&rb, "0x%016llx 0x%016llx 0x%016llx\n", (unsigned long long)s,
			     (unsigned long long)e, (unsigned long long)fl);
	}
	snprintf(rel, sizeof(rel), "%s/resource", d);
	put(rel, res, rb.len);
	if (f->sec) {
		putf(d, "secondary_bus_number", "%u\n", f->sec);
		putf(d, "subordinate_bus_number", "%u\n", f->sub);
	}
	if (f->nvfs) {
		putf(d, "sriov_totalvfs", "%u\n", f->nvfs < 64 ? 64 : f->nvfs);
		putf(d, "sriov_numvfs", "%u\n", f->nvfs);
		putf(d, "sriov_offset", "%u\n", f->vf_off);
		putf(d, "sriov_stride", "%u\n", f->vf_stride);
		putf(d, "sriov_vf_device", "%x\n", f->vf_device);
		putf(d, "sriov_drivers_autoprobe", "1\n");
	}
	if (f->driver) {
		snprintf(rel, sizeof(rel), "sys/bus/pci/drivers/%s", f->driver);
		link_rel(d, "driver", rel);
	}
	snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d", f->group);
	link_rel(d, "iommu_group", rel);
	snprintf(rel, sizeof(rel), "sys/devices/virtual/iommu/dmar%d", f->unit);
	link_rel(d, "iommu", rel);
	link_rel("sys/bus/pci/devices", bdf_of(f, bdf), d);
	snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d/devices", f->group);
	link_rel(rel, bdf, d);
	snprintf(rel, sizeof(rel), "sys/devices/virtual/iommu/dmar%d/devices", f->unit);
	link_rel(rel, bdf, d);
	if (f->kind == K_VF) {
		link_rel(d, "physfn", fns[f->pf].path);
		char name[32];
		snprintf(name, sizeof(name), "virtfn%u", f->devfn - fns[f->pf].devfn - fns[f->pf].vf_off);
		link_rel(fns[f->pf].path, name, d);
	}
}

/* ACPI DMAR (VT-d 4.1 §8): one DRHD per root bus; the segment's first root bus is INCLUDE_PCI_ALL. */
static void write_dmar(void)
{
	static uint8_t t[1u << 20];
	size_t p = 48;

	memcpy(t, "DMAR", 4);
	t[8] = 1;                    /* revision */
	memcpy(t + 10, "IAGEN ", 6);
	memcpy(t + 16, "IAGENTRE", 8);
	w32(t, 24, 1);
	memcpy(t + 28, "IAGN", 4);
	w32(t, 32, 1);
	t[36] = 45;                  /* HAW: 46 address bits */
	t[37] = 0x05;                /* INTR_REMAP | DMA_CTRL_PLATFORM_OPT_IN */
	/* Units with explicit scopes first; INCLUDE_PCI_ALL units last (§8.3), as assign_units() numbered them. */
	for (int u = 0; u < n_units; u++) {
		size_t s = p;
		w16(t, p, 0);                 /* DRHD */
		t[p + 4] = units[u].pci_all;  /* flags */
		t[p + 5] = 0;                 /* size: 4 KiB register set */
		w16(t, p + 6, units[u].dom);
		w32(t, p + 8, (uint32_t)units[u].base);
		w32(t, p + 12, (uint32_t)(units[u].base >> 32));
		p += 16;
		if (units[u].pci_all && units[u].dom == 0) {
			/* IOAPIC (type 3) and HPET (type 4) scopes. */
			uint8_t sc[2][8] = { { 3, 8, 0, 0, 8, 0xf0, 0x1f, 0 }, { 4, 8, 0, 0, 0, 0, 0x1f, 0 } };
			for (int k = 0; k < 2; k++, p += 8)
				memcpy(t + p, sc[k], 8);
		}
		if (!units[u].pci_all) {
			int rb = units[u].root_bus;
			for (int f = buses[rb].first_child; f >= 0; f = next_on_bus[f]) {
				if (fns[f].kind != K_RP)
					continue;
				uint8_t sc[8] = { 2, 8, 0, 0, 0, (uint8_t)buses[rb].number,
						  (uint8_t)(fns[f].devfn >> 3), (uint8_t)(fns[f].devfn & 7) };
				memcpy(t + p, sc, 8);
				p += 8;
			}
		}
		w16(t, s + 2, (unsigned)(p - s));
	}
	w32(t, 4, (uint32_t)p);
	uint8_t sum = 0;
	for (size_t k = 0; k < p; k++)
		sum = (uint8_t)(sum + t[k]);
	t[9] = (uint8_t)(0x100 - sum);
	put("sys/firmware/acpi/tables/DMAR", t, p);
}

static void write_host(void)
{
	char rel[256];
	static const char *const drivers[] = { "pcieport", "nvme", "vfio-pci", "mlx5_core", "ice", "iavf",
		"mptspi", "8139too", "tg3", "amdgpu", "lpc_ich", "ahci", "i801_smbus", "pci-stub" };

	mkdirs("proc");
	putf("proc", "cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.12.117+deb12-amd64 root=/dev/sda1 ro intel_iommu=on\n");
	putf("proc", "version", "Linux version 6.12.117+deb12-amd64 (debian-kernel@lists.debian.org) "
	     "(x86_64-linux-gnu-gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) "
	     "#1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1~deb12u1 (2026-11-14)\n");
	putf("proc", "modules", "vfio_pci 16384 0 - Live 0x0\nvfio_pci_core 94208 1 vfio_pci, Live 0x0\n"
	     "vfio_iommu_type1 49152 0 - Live 0x0\nvfio 65536 3 vfio_pci_core,vfio_iommu_type1,vfio_pci, Live 0x0\n"
	     "iommufd 98304 1 vfio, Live 0x0\nnvme 61440 0 - Live 0x0\nmlx5_core 2564096 0 - Live 0x0\n"
	     "ice 1118208 0 - Live 0x0\niavf 184320 0 - Live 0x0\namdgpu 12353536 0 - Live 0x0\n");
	for (size_t k = 0; k < sizeof(drivers) / sizeof(drivers[0]); k++) {
		snprintf(rel, sizeof(rel), "sys/bus/pci/drivers/%s", drivers[k]);
		mkdirs(rel);
	}
	static const char *const mods[][4] = {
		{ "vfio", "enable_unsafe_noiommu_mode", "N" },
		{ "vfio_iommu_type1", "allow_unsafe_interrupts", "N" },
		{ "vfio_iommu_type1", "dma_entry_limit", "65535" },
		{ "vfio_pci", "disable_idle_d3", "N" },
	};
	for (size_t k = 0; k < sizeof(mods) / sizeof(mods[0]); k++) {
		snprintf(rel, sizeof(rel), "sys/module/%s/parameters", mods[k][0]);
		mkdirs(rel);
		putf(rel, mods[k][1], "%s\n", mods[k][2]);
	}
	mkdirs("sys/bus/pci/devices");
	mkdirs("sys/class/iommu");
	mkdirs("sys/firmware/acpi/tables");
	mkdirs("dev/vfio");
	put("dev/vfio/vfio", "", 0);
	for (int u = 0; u < n_units; u++) {
		snprintf(rel, sizeof(rel), "sys/devices/virtual/iommu/dmar%d/devices", u);
		mkdirs(rel);
		snprintf(rel, sizeof(rel), "sys/devices/virtual/iommu/dmar%d/intel-iommu", u);
		mkdirs(rel);
		putf(rel, "address", "%llx\n", (unsigned long long)units[u].base);
		putf(rel, "cap", "8d2078c106f0466\n");
		putf(rel, "ecap", "f020df\n");       /* IR (bit 3), PT, QI, DT, ... */
		putf(rel, "version", "1:0\n");
		putf(rel, "domains_supported", "65536\n");
		putf(rel, "domains_used", "%d\n", 1 + n_groups / (n_units ? n_units : 1));
		snprintf(rel, sizeof(rel), "sys/devices/virtual/iommu/dmar%d", u);
		char name[32];
		snprintf(name, sizeof(name), "dmar%d", u);
		link_rel("sys/class/iommu", name, rel);
	}
}

static void write_groups(void)
{
	char rel[256], name[32];
	bool *vfio = calloc((size_t)n_groups + 1, 1);

	if (!vfio)
		die("out of memory");
	for (size_t i = 0; i < n_fns; i++)
		if (fns[i].driver && !strcmp(fns[i].driver, "vfio-pci"))
			vfio[fns[i].group] = true;
	for (int g = 0; g < n_groups; g++) {
		snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d/devices", g);
		mkdirs(rel);
		snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d", g);
		putf(rel, "type", "DMA\n");
		putf(rel, "reserved_regions", "0x00000000fee00000 0x00000000feefffff msi\n");
		if (vfio[g]) {
			snprintf(name, sizeof(name), "dev/vfio/%d", g);
			put(name, "", 0);
		}
	}
	free(vfio);
}

/* proc/interrupts (kernel/irq/proc.c): per-device MSI domains of 6.2+, all behind IR. */
static void write_interrupts(void)
{
	size_t cap = 4096 + n_fns * 96;
	char *t = malloc(cap), bdf[IA_BDF_BUFSZ];
	unsigned irq = 24;
	struct ia_sb b;

	if (!t)
		die("out of memory");
	ia_sb_init_fixed(&b, t, cap);
	ia_sb_puts(&b, "           CPU0       CPU1       \n");
	ia_sb_puts(&b, "  0:         80          0  IR-IO-APIC   2-edge      timer\n");
	for (int u = 0; u < n_units; u++)
		ia_sb_printf(&b, "%3u:          0          0  DMAR-MSI   %d-edge      dmar%d\n", irq++, u, u);
	for (size_t i = 0; i < n_fns && cap - b.len > 128; i++) {
		const struct fn *f = &fns[i];
		if (!f->driver || !strcmp(f->driver, "vfio-pci") || !is_pcie(f))
			continue;
		bool msi = f->sec != 0 || f->kind == K_RP;
		ia_sb_printf(&b, "%3u:          0          0  IR-PCI-MSI%s-%s   0-edge      %s\n", irq++,
			     msi ? "" : "X", bdf_of(f, bdf), msi ? "PCIe PME, aerdrv" : f->driver);
	}
	ia_sb_puts(&b, "NMI:          0          0   Non-maskable interrupts\n");
	put("proc/interrupts", t, b.len);
	free(t);
}

/* Root-relative device directories (the sysfs parent of a function is its upstream bridge). */
static void assign_paths(void)
{
	char bdf[IA_BDF_BUFSZ], buf[4096];

	for (size_t i = 0; i < n_fns; i++) {
		struct fn *f = &fns[i];
		const char *up = NULL;
		if (f->kind == K_VF)
			up = fns[f->pf].parent >= 0 ? fns[fns[f->pf].parent].path : NULL;
		else if (f->parent >= 0)
			up = fns[f->parent].path;
		if (up)
			snprintf(buf, sizeof(buf), "%s/%s", up, bdf_of(f, bdf));
		else
			snprintf(buf, sizeof(buf), "sys/devices/pci%04x:%02x/%s", f->dom,
				 buses[f->bus_idx].number, bdf_of(f, bdf));
		if (!(f->path = strdup(buf)))
			die("out of memory");
		if (!f->sec && f->kind != K_RP && f->kind != K_HOST && f->kind != K_VF) {
			f->bar = next_bar;
			next_bar += 0x10000000;
		}
	}
}

/* DRHD units: one per root bus; the root bus number 0 of each segment is INCLUDE_PCI_ALL. */
static void assign_units(void)
{
	/* Scoped units first: the kernel numbers dmarN in DMAR order, INCLUDE_PCI_ALL units last. */
	for (int pass = 0; pass < 2; pass++)
	for (size_t b = 0; b < n_buses; b++) {
		if (buses[b].self >= 0 || (buses[b].number == 0) != (pass == 1))
			continue;
		if (n_units == (int)(sizeof(units) / sizeof(units[0])))
			die("too many root buses");
		units[n_units] = (struct unit){ buses[b].dom, 0xa0ffc000ull + (uint64_t)n_units * 0x1000000,
						buses[b].number == 0, (int)b };
		buses[b].unit = n_units++;
	}
	for (size_t i = 0; i < n_fns; i++) {
		int b = fns[i].bus_idx;
		while (buses[b].self >= 0)
			b = fns[buses[b].self].bus_idx;
		fns[i].unit = buses[b].unit;
	}
	/* The INCLUDE_PCI_ALL unit claims the devices on its own root bus; other root buses' units
	 * claim their root ports' hierarchies (the root ports themselves are in the scope). Any root
	 * bus function that is not a root port (the RCiEP) falls to INCLUDE_PCI_ALL. */
	for (size_t i = 0; i < n_fns; i++) {
		int b = fns[i].bus_idx;
		if (buses[b].self < 0 && fns[i].kind != K_RP && !units[fns[i].unit].pci_all)
			for (int u = 0; u < n_units; u++)
				if (units[u].pci_all && units[u].dom == fns[i].dom)
					fns[i].unit = u;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "functions", required_argument, NULL, 'n' }, { "vfs", required_argument, NULL, 'v' },
		{ "isolated", no_argument, NULL, 'i' }, { "help", no_argument, NULL, 'h' }, { 0 } };
	unsigned long n = 1024, v = 0;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "n:v:ih", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			n = strtoul(optarg, &end, 10);
			if (*end || n < 16 || n > 200000)
				die("--functions takes a number from 16 to 200000");
			break;
		case 'v':
			v = strtoul(optarg, &end, 10);
			if (*end || v < 1 || v > 120)
				die("--vfs takes a number from 1 to 120");
			break;
		case 'i':
			isolated = true;
			break;
		default:
			fprintf(stderr, "usage: ia-gen-tree [--functions N] [--vfs V] [--isolated] OUTDIR\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind + 1 != argc)
		die("give exactly one OUTDIR (it must not exist)");
	outdir = argv[optind];
	if (mkdir(outdir, 0755) < 0)
		die("mkdir %s: %s", outdir, strerror(errno));
	vfs_per_pf = v ? (unsigned)v : n >= 4096 ? 64 : n >= 1024 ? 16 : 4;

	build((unsigned)n);
	assign_groups();
	assign_paths();
	assign_units();
	write_host();
	write_groups();
	for (size_t i = 0; i < n_fns; i++)
		write_function(i);
	write_dmar();
	write_interrupts();
	printf("functions %zu groups %d segments %u units %d\n", n_fns, n_groups, cur_dom + 1, n_units);
	for (size_t i = 0; i < n_fns; i++)
		free(fns[i].path);
	free(fns);
	free(buses);
	free(next_on_bus);
	return 0;
}
