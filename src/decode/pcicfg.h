/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pure decoder of one PCI function's configuration space: header, capability walks, ACS, ATS, PRI, PASID, SR-IOV. */
#ifndef IA_DECODE_PCICFG_H
#define IA_DECODE_PCICFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/tri.h"

#define IA_PCI_CFG_LEGACY 256u
#define IA_PCI_CFG_EXT 4096u
#define IA_PCICFG_MAX_CAPS 96

/* Capability IDs (PCI Local Bus 3.0 §6.7; PCIe Base 6.0 §7.6; include/uapi/linux/pci_regs.h). */
#define IA_PCI_CAP_ID_EXP 0x10
#define IA_PCI_EXT_CAP_ID_ACS 0x000d
#define IA_PCI_EXT_CAP_ID_ARI 0x000e
#define IA_PCI_EXT_CAP_ID_ATS 0x000f
#define IA_PCI_EXT_CAP_ID_SRIOV 0x0010
#define IA_PCI_EXT_CAP_ID_PRI 0x0013
#define IA_PCI_EXT_CAP_ID_PASID 0x001b

/* ACS Capability / Control bits (PCIe Base 6.0 §7.7.8; pci_regs.h PCI_ACS_*). */
#define IA_ACS_SV 0x0001
#define IA_ACS_TB 0x0002
#define IA_ACS_RR 0x0004
#define IA_ACS_CR 0x0008
#define IA_ACS_UF 0x0010
#define IA_ACS_EC 0x0020
#define IA_ACS_DT 0x0040
/* REQ_ACS_FLAGS of drivers/iommu/iommu.c: what pci_device_group() asks of a path. */
#define IA_ACS_REQ_GROUP (IA_ACS_SV | IA_ACS_RR | IA_ACS_CR | IA_ACS_UF)
/* What pci_enable_pasid() asks of the path since v6.2 (commit 201007ef707a). */
#define IA_ACS_REQ_PASID (IA_ACS_RR | IA_ACS_UF)

/* PCIe port types, PCIe capability +2 bits 7:4 (pci_regs.h PCI_EXP_TYPE_*). */
enum ia_pcie_type {
	IA_PCIE_ENDPOINT = 0x0, IA_PCIE_LEG_END = 0x1, IA_PCIE_ROOT_PORT = 0x4,
	IA_PCIE_UPSTREAM = 0x5, IA_PCIE_DOWNSTREAM = 0x6, IA_PCIE_PCI_BRIDGE = 0x7,
	IA_PCIE_PCIE_BRIDGE = 0x8, IA_PCIE_RC_END = 0x9, IA_PCIE_RC_EC = 0xa,
};

/** One entry of a capability list. */
struct ia_pcicap {
	bool ext;            /* extended (>= 0x100) or standard list */
	uint16_t id;         /* capability ID */
	uint16_t offset;     /* byte offset in config space */
	uint8_t version;     /* extended capabilities: bits 19:16 of the header */
};

/**
 * Decoded configuration space. Every `has_*` field is a tri-state: IA_UNKNOWN when the bytes
 * that would tell were not readable (never "absent" by default). The register fields next to
 * a `has_*` are valid only when it is IA_YES.
 */
struct ia_pcicfg {
	size_t readable;        /* bytes of config space that were readable */
	size_t cfg_size;        /* config-space size the kernel exposes (256 or 4096) */
	uint16_t vendor, device;        /* as read from config (a VF reads 0xffff) */
	uint16_t command, status;
	uint32_t class_code;            /* 24 bits: base, sub, prog-if */
	uint8_t revision;
	uint8_t hdr_type;               /* bits 6:0 of config 0x0e */
	bool hdr_multifunction;         /* bit 7 of config 0x0e */
	uint8_t primary_bus, secondary_bus, subordinate_bus; /* type-1 headers only */

	enum ia_tri caps_complete;      /* both lists walked to their end within readable bytes */
	struct ia_pcicap caps[IA_PCICFG_MAX_CAPS];
	size_t n_caps;

	enum ia_tri is_pcie;            /* PCI Express capability (ID 0x10) present */
	uint16_t pcie_off, pcie_flags;  /* offset and Flags register (+2) */
	uint8_t pcie_type;              /* enum ia_pcie_type, flags bits 7:4 */
	uint32_t devcap;                /* Device Capabilities (+4) */
	enum ia_tri has_devcap2;        /* capability version >= 2 and register readable */
	uint32_t devcap2;               /* Device Capabilities 2 (+0x24) */
	bool eetlp_prefix;              /* DevCap2 bit 21 End-End TLP Prefix Supported */
	uint8_t eetlp_max;              /* DevCap2 bits 23:22 (0 means 4) */

	enum ia_tri has_acs;
	uint16_t acs_off, acs_cap, acs_ctrl;      /* cap+4 and cap+6, 16-bit */
	uint32_t acs_cap_dw, acs_ctrl_dw;         /* cap+4 and cap+8 as dwords (Intel SPT PCH layout) */
	uint16_t acs_egress_bits;                 /* Egress Control Vector Size (0 means 256) */

	enum ia_tri has_ats;
	uint16_t ats_off, ats_cap, ats_ctrl;      /* +4 capability, +6 control (bit 15 enable) */
	enum ia_tri has_pri;
	uint16_t pri_off, pri_ctrl, pri_status;   /* +4 control, +6 status */
	uint32_t pri_capacity;                    /* +8 outstanding page request capacity */
	enum ia_tri has_pasid;
	uint16_t pasid_off, pasid_cap, pasid_ctrl;
	uint8_t pasid_width;                      /* capability bits 12:8 */
	enum ia_tri has_ari;
	enum ia_tri has_sriov;
	uint16_t sriov_off, sriov_ctrl, sriov_total_vfs, sriov_num_vfs;
	uint16_t sriov_vf_offset, sriov_vf_stride, sriov_vf_device;
};

/**
 * ia_pcicfg_decode() - decode a function's configuration space.
 * @buf: the config bytes that were readable, from offset 0.
 * @readable: how many bytes of @buf are valid (0..4096).
 * @cfg_size: the config-space size the kernel exposes for the device (the sysfs `config` file
 *            size: 256 or 4096), or 0 when unknown (then @readable is taken as the size). Bytes
 *            in [readable, cfg_size) are unknown; bytes past cfg_size do not exist.
 * @out: filled; fields that depend on unread bytes are IA_UNKNOWN.
 * @diags: receives one diagnostic per structural problem (may be NULL), with the offset.
 *
 * Follows PCI Local Bus 3.0 §6.7 (capability list via 0x34 when Status bit 4 is set) and PCIe
 * Base 6.0 §7.6 (extended capabilities from 0x100), with a visited set against loops
 * (pciutils ls-caps.c / ls-ecaps.c do the same).
 *
 * Return: 0; -IA_E_TRUNCATED when fewer than 64 bytes are readable (only the fields inside
 * @readable are filled). Loops and pointers into the header are diagnostics (-IA_E_LOOP,
 * -IA_E_FORMAT), and so is a capability reading all-ones (-ENODEV: the device vanished or is in
 * error); each ends that list's walk with caps_complete = IA_NO.
 */
int ia_pcicfg_decode(const uint8_t *buf, size_t readable, size_t cfg_size,
		     struct ia_pcicfg *out, struct ia_diags *diags);

/**
 * ia_pcicfg_read_fn - how ia_pcicfg_fetch() reads config space.
 * @ctx: the caller's.
 * @dst: receives up to @len bytes.
 * @off, @len: config-space offset and length in bytes (dword-aligned, inside the config size).
 * Return: bytes read, fewer (0 included) where the readable part ends; a negative errno when the
 * read failed (taken as the end of what is readable).
 */
typedef long (*ia_pcicfg_read_fn)(void *ctx, uint8_t *dst, size_t off, size_t len);

/** What ia_pcicfg_fetch() read: read calls made and bytes asked for. */
struct ia_pcicfg_fetch_stats {
	size_t reads, bytes;
};

/**
 * ia_pcicfg_fetch() - read only the config bytes ia_pcicfg_decode() looks at, as lspci's
 * config_fetch() does: on a live host each config dword is a hardware access (ECAM, or a trap to
 * the hypervisor in a VM), and the kernel's sysfs `config` read does one per dword asked for.
 * @read, @ctx: the reader.
 * @buf: @cfg_size bytes; zeroed here, then the fetched bytes are filled in. Bytes not fetched stay
 *       zero, and ia_pcicfg_decode() never looks at them.
 * @cfg_size: the config-space size the kernel exposes (256 or 4096; at most 4096).
 * @limit: how many bytes from offset 0 the reader may return (the kernel's own limit: the whole
 *         @cfg_size for a CAP_SYS_ADMIN opener, 64 otherwise, drivers/pci/pci-sysfs.c
 *         pci_read_config()); a read that comes back short lowers it.
 * @st: receives the reads made (may be NULL).
 *
 * Reads, in dword-aligned pieces and each dword at most once: the 64-byte header; each standard
 * capability's ID and next pointer and the PCI Express capability's first 0x28 bytes (through
 * Device Capabilities 2); when the PCI Express capability is there and @cfg_size is 4096, each
 * extended capability header from 0x100 and the bodies of ACS, ATS, PRI, PASID and SR-IOV (the
 * registers ia_pcicfg_decode() decodes). The walks stop where the decoder's do (loops, pointers
 * into the header, all-ones), so ia_pcicfg_decode(@buf, return value, @cfg_size) decodes exactly
 * what it would from the whole config space read at once (fuzz_pcicfg checks this).
 *
 * Return: the readable length to give ia_pcicfg_decode() (@limit, or where a read came back
 * short or failed, whichever is lower); -errno from the reader when the header's first read failed.
 */
long ia_pcicfg_fetch(ia_pcicfg_read_fn read, void *ctx, uint8_t *buf, size_t cfg_size, size_t limit,
		     struct ia_pcicfg_fetch_stats *st);

/** ia_pcie_type_name() - short name of a PCIe port type ("root-port", "endpoint", ...). */
const char *ia_pcie_type_name(uint8_t type);

/** ia_pcicfg_find() - the first capability with @id in the standard (@ext false) or extended list, or NULL. */
const struct ia_pcicap *ia_pcicfg_find(const struct ia_pcicfg *c, bool ext, uint16_t id);

#endif
