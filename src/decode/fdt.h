/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decode a flattened device tree into its PCIe host bridges, MSI controllers, IOMMUs and RID maps. */
#ifndef IA_DECODE_FDT_H
#define IA_DECODE_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

#define IA_FDT_PATH_MAX 256u          /* longest DT path kept (longer ones are diagnosed, cut) */
#define IA_FDT_COMPAT_MAX 8u          /* compatible strings kept per node */
#define IA_FDT_COMPAT_LEN 64u         /* bytes per kept compatible string, NUL included */
#define IA_FDT_MAX_ARGS 8u            /* specifier cells kept per phandle reference */
#define IA_FDT_MAX_DEPTH 64           /* deeper nodes are skipped with -IA_E_LOOP */
#define IA_FDT_MAX_BLOB (16u * 1024u * 1024u) /* larger blobs are refused with -IA_E_TOOBIG */

/** The compatible property of a node: up to IA_FDT_COMPAT_MAX strings, in DT order. */
struct ia_fdt_compat {
	char s[IA_FDT_COMPAT_MAX][IA_FDT_COMPAT_LEN];
	size_t n;              /* strings kept */
	bool truncated;        /* more strings, or a string longer than IA_FDT_COMPAT_LEN - 1 */
};

/** What an MSI controller is, by its compatible (kernel-rules.md §5.2, §5.5). */
enum ia_fdt_msi_kind {
	IA_FDT_MSI_ITS,        /* "arm,gic-v3-its": GICv3/v4 ITS, translates DeviceID+EventID */
	IA_FDT_MSI_GICV2M,     /* "arm,gic-v2m-frame": SPI doorbell, cannot tell writers apart */
	IA_FDT_MSI_MBI,        /* "arm,gic-v3" node with "mbi-ranges": message-based SPIs */
	IA_FDT_MSI_OTHER,      /* anything else; see the compatible strings */
};

/** An MSI controller: every node with "msi-controller", plus any node an msi-parent/msi-map names. */
struct ia_fdt_msi_ctrl {
	char path[IA_FDT_PATH_MAX];
	struct ia_fdt_compat compat;
	enum ia_fdt_msi_kind kind;
	bool isolating;        /* the kernel sets IRQ_DOMAIN_FLAG_ISOLATED_MSI: ITS without the
				* "socionext,synquacer-pre-its" quirk; never for GICv2m, MBI or other */
	bool synquacer_pre_its; /* "socionext,synquacer-pre-its" present (ITS isolation off) */
	bool msi_controller;   /* the node carries the "msi-controller" property */
	bool has_msi_cells;
	uint32_t msi_cells;    /* "#msi-cells" when has_msi_cells */
	bool has_phandle;
	uint32_t phandle;
	bool enabled;          /* "status" absent, "okay" or "ok" */
	int node_offset;       /* structure-block offset of the node in the blob, bytes */
};

/** What an IOMMU is, by its compatible. */
enum ia_fdt_iommu_kind {
	IA_FDT_IOMMU_SMMU_V3,  /* "arm,smmu-v3" */
	IA_FDT_IOMMU_SMMU,     /* Arm SMMUv1/v2 and MMU-400/401/500 family, "qcom,*smmu*", "nvidia,smmu-500" */
	IA_FDT_IOMMU_OTHER,    /* e.g. "apple,t8103-dart", "rockchip,rk3568-iommu" */
};

/** An IOMMU: every node with "#iommu-cells". */
struct ia_fdt_iommu {
	char path[IA_FDT_PATH_MAX];
	struct ia_fdt_compat compat;
	enum ia_fdt_iommu_kind kind;
	uint32_t iommu_cells;  /* "#iommu-cells" */
	bool dma_coherent;     /* of_dma_is_coherent(): dma-coherent/dma-noncoherent on it or the nearest parent */
	bool has_phandle;
	uint32_t phandle;
	bool enabled;          /* "status" absent, "okay" or "ok" */
	int node_offset;
	bool has_base;         /* base: its first "reg" address translated to a CPU physical address
				  through the parents' "ranges" (of_translate_address()); false when it
				  has no reg, or a parent's ranges do not map it */
	uint64_t base;
};

/** Whether a phandle in a reference or map entry led somewhere usable. */
enum ia_fdt_target_state {
	IA_FDT_TARGET_OK,        /* resolved; .target indexes msi_ctrls or iommus */
	IA_FDT_TARGET_DANGLING,  /* no node carries this phandle (diagnosed -ENODEV) */
	IA_FDT_TARGET_NOT_IOMMU, /* the node has no "#iommu-cells" (diagnosed -IA_E_FORMAT) */
	IA_FDT_TARGET_BADLEN,    /* reference lacks the target's #msi-cells/#iommu-cells argument
				  * cells, or the target's #cells is not one cell (-IA_E_BADLEN) */
};

/** One phandle-with-arguments reference (one entry of "msi-parent" or "iommus"). */
struct ia_fdt_ref {
	uint32_t phandle;
	enum ia_fdt_target_state state; /* the list's walk stops after a reference that is not OK */
	size_t target;           /* index into ia_fdt.msi_ctrls / ia_fdt.iommus when state is OK */
	uint32_t n_args;         /* specifier cells, per the target's #msi-cells / #iommu-cells */
	uint32_t args[IA_FDT_MAX_ARGS];
};

/** One (rid-base, phandle, out-base, length) entry of "msi-map" or "iommu-map". */
struct ia_fdt_map_entry {
	uint32_t rid_base;       /* first masked RID matched */
	uint32_t phandle;        /* the MSI controller (msi-map) or IOMMU (iommu-map) */
	enum ia_fdt_target_state state;
	size_t target;           /* index into ia_fdt.msi_ctrls / ia_fdt.iommus when state is OK */
	uint32_t out_base;       /* DeviceID (msi-map) or StreamID (iommu-map) given to rid_base */
	uint32_t length;         /* number of consecutive RIDs matched */
};

/** A whole "msi-map"/"iommu-map" property with its "-mask" (pci-msi.txt, pci-iommu.txt). */
struct ia_fdt_map {
	bool present;            /* the property exists */
	bool valid;              /* its length is a non-zero multiple of 16 bytes (4 cells per
				  * entry); when false the entries are empty (diagnosed -IA_E_BADLEN) */
	struct ia_fdt_map_entry *v;
	size_t n;
	bool has_mask;           /* the "-map-mask" property exists and is one cell */
	uint32_t mask;           /* the mask in effect: the property, else 0xffffffff (kernel default) */
};

/** A PCI bridge node below a host bridge (a root port or switch port described in the DT). */
struct ia_fdt_child_bridge {
	char path[IA_FDT_PATH_MAX];
	bool external_facing;    /* boolean "external-facing" (kernel pci_set_bus_of_node()) */
};

/** A PCIe host bridge: device_type = "pci" with no PCI ancestor, or a generic host compatible. */
struct ia_fdt_host_bridge {
	char path[IA_FDT_PATH_MAX];
	struct ia_fdt_compat compat;
	bool enabled;            /* "status" absent, "okay" or "ok" */
	int node_offset;
	bool has_bus_range;
	uint32_t bus_first, bus_last;  /* "bus-range" */
	bool has_domain;
	uint32_t domain;         /* "linux,pci-domain" */
	bool dma_coherent;     /* of_dma_is_coherent(), as for IOMMUs */
	struct ia_fdt_ref *msi_parent;  /* "msi-parent" entries (phandle + #msi-cells args) */
	size_t n_msi_parent;
	struct ia_fdt_map msi_map;      /* "msi-map" + "msi-map-mask" */
	struct ia_fdt_map iommu_map;    /* "iommu-map" + "iommu-map-mask" */
	struct ia_fdt_ref *iommus;      /* "iommus" entries (phandle + #iommu-cells args) */
	size_t n_iommus;
	struct ia_fdt_child_bridge *children;
	size_t n_children;
	/* Summary of the MSI wiring, from msi-map targets if present, else msi-parent: */
	bool has_msi_ctrl;       /* at least one MSI controller is named and resolved */
	size_t msi_ctrl;         /* index of the first one into ia_fdt.msi_ctrls */
	bool msi_self;           /* that controller is the host bridge node itself (e.g. Apple) */
	bool msi_isolating;      /* every named MSI controller is isolating (false when none) */
};

/** Everything decoded from one blob. Zero-initialise; release with ia_fdt_free(). */
struct ia_fdt {
	struct ia_fdt_host_bridge *bridges;
	size_t n_bridges;
	struct ia_fdt_msi_ctrl *msi_ctrls;
	size_t n_msi_ctrls;
	struct ia_fdt_iommu *iommus;
	size_t n_iommus;
};

/**
 * ia_fdt_decode() - check a flattened device tree and extract its PCIe/MSI/IOMMU description.
 * @buf, @len: the blob (DTB, /sys/firmware/fdt), @len bytes; it need not be aligned.
 * @out: filled on success; zeroed first. On failure it is left empty.
 * @diags: one diagnostic per problem (may be NULL); "where" is the DT path, the offset is the
 *         node's byte offset in the blob.
 *
 * Runs libfdt's fdt_check_full() before anything else. Then walks every node (depth-guarded at
 * IA_FDT_MAX_DEPTH) and records: MSI controllers ("msi-controller" nodes and every msi-parent /
 * msi-map target), IOMMUs ("#iommu-cells" nodes) and PCIe host bridges with their bus-range,
 * linux,pci-domain, msi-parent, msi-map(-mask), iommu-map(-mask), iommus, dma-coherent and child
 * bridges with external-facing. Bindings: Documentation/devicetree/bindings/pci/pci-msi.txt,
 * pci-iommu.txt, interrupt-controller/arm,gic-v3.yaml; kernel-rules.md §5.2, §5.5, §5.6, §9.
 *
 * Problems inside one property are diagnostics and decoding continues without that property:
 * -ENODEV a phandle that no node carries; -IA_E_BADLEN a property whose length is not what its
 * cells require (a map that is not a non-zero multiple of 4 cells, a reference list whose last
 * entry lacks the target's #msi-cells/#iommu-cells arguments, a bus-range that is not 2 cells);
 * -IA_E_FORMAT an iommu-map/iommus target without #iommu-cells, or a map entry whose rid-base has
 * bits outside the map mask; -IA_E_RANGE more specifier cells than IA_FDT_MAX_ARGS (the first
 * ones are kept) or a path longer than IA_FDT_PATH_MAX - 1 (cut to ".../name"); -IA_E_LOOP nodes
 * deeper than IA_FDT_MAX_DEPTH (skipped). A one-cell property longer than one cell is diagnosed
 * -IA_E_BADLEN and its first cell used, as of_property_read_u32() does.
 *
 * Return: 0 on success (diagnostics may have been added); -EINVAL when @buf or @out is NULL;
 * -IA_E_TOOBIG when @len exceeds IA_FDT_MAX_BLOB; -IA_E_FDT when fdt_check_full() rejects the
 * blob (one diagnostic carrying fdt_strerror()'s text, nothing decoded); -ENOMEM.
 */
int ia_fdt_decode(const uint8_t *buf, size_t len, struct ia_fdt *out, struct ia_diags *diags);

/** ia_fdt_free() - release everything ia_fdt_decode() allocated; accepts NULL; leaves @f empty. */
void ia_fdt_free(struct ia_fdt *f);

/** Which map ia_fdt_map_rid() applies. */
enum ia_fdt_map_kind {
	IA_FDT_MAP_MSI,          /* msi-map + msi-map-mask, else msi-parent: gives a DeviceID */
	IA_FDT_MAP_IOMMU,        /* iommu-map + iommu-map-mask: gives a StreamID */
};

/** The result of mapping one RID. */
struct ia_fdt_map_result {
	size_t target;           /* index into ia_fdt.msi_ctrls (MSI) or ia_fdt.iommus (IOMMU) */
	uint32_t out_id;         /* DeviceID (MSI) or StreamID (IOMMU) */
	bool via_msi_parent;     /* MSI only: no msi-map, msi-parent used and the RID passes as is */
	const struct ia_fdt_map_entry *entry; /* the map entry that matched; NULL via msi-parent */
};

/**
 * ia_fdt_map_rid() - map a PCI Requester ID behind a host bridge, as the kernel's of_map_id()
 * (drivers/of/base.c, 6.12) does for "msi-map"/"iommu-map".
 * @f: a decoded tree. @bridge: index into f->bridges. @which: MSI or IOMMU.
 * @rid: the Requester ID (bus << 8 | devfn) as the host bridge sees it.
 * @res: filled on success only.
 *
 * The RID is ANDed with the map mask (default 0xffffffff; 0 makes every RID one ID), then the
 * entries are tried in order: an entry whose rid_base has bits outside the mask aborts the walk
 * (the kernel's "Invalid ... translation", -EFAULT); the first entry with
 * rid_base <= masked < rid_base + length gives out_id = masked - rid_base + out_base (computed
 * without 32-bit wrap-around). For MSI without msi-map, the first msi-parent entry is the target
 * and the DeviceID is the RID itself (of_msi_map_id() with no map). The kernel's fallback for an
 * unmatched RID (pass it through untranslated, no IOMMU attached) is reported as -IA_E_RANGE so
 * that callers see that the device is outside the map.
 *
 * Return: 0; -EINVAL for a NULL argument or a bad @bridge index; -ENOENT when the bridge has no
 * such map (and, for MSI, no msi-parent); -IA_E_BADLEN when the map property is malformed;
 * -IA_E_FORMAT when an entry's rid_base lies outside the mask; -IA_E_RANGE when no entry covers
 * the masked RID; -ENODEV when the matching entry's (or msi-parent's) phandle names no node;
 * -IA_E_FORMAT when an iommu-map target has no #iommu-cells; -IA_E_BADLEN when the msi-parent
 * entry lacks its #msi-cells argument cells.
 */
int ia_fdt_map_rid(const struct ia_fdt *f, size_t bridge, enum ia_fdt_map_kind which,
		   uint32_t rid, struct ia_fdt_map_result *res);

/** ia_fdt_msi_kind_name() - "ITS", "GICv2m", "MBI" or "other" (static string, never NULL). */
const char *ia_fdt_msi_kind_name(enum ia_fdt_msi_kind k);

/** ia_fdt_iommu_kind_name() - "smmu-v3", "smmu" or "other" (static string, never NULL). */
const char *ia_fdt_iommu_kind_name(enum ia_fdt_iommu_kind k);

/** ia_fdt_find_bridge() - index of the host bridge at DT @path into f->bridges, or -ENOENT. */
long ia_fdt_find_bridge(const struct ia_fdt *f, const char *path);

#endif
