/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decode the Arm IO Remapping Table (IORT) and resolve input IDs through its ID mappings. */
#ifndef IA_DECODE_IORT_H
#define IA_DECODE_IORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/acpi.h"
#include "core/diag.h"

/* Node types (ARM DEN 0049E.e Table 4; ACPICA enum acpi_iort_node_type). */
enum ia_iort_node_type {
	IA_IORT_NODE_ITS_GROUP = 0,
	IA_IORT_NODE_NAMED_COMPONENT = 1,
	IA_IORT_NODE_PCI_ROOT_COMPLEX = 2,
	IA_IORT_NODE_SMMU = 3,          /* SMMUv1 / SMMUv2 */
	IA_IORT_NODE_SMMU_V3 = 4,
	IA_IORT_NODE_PMCG = 5,
	IA_IORT_NODE_RMR = 6,
};

/* Depth limit of ia_iort_map_id(): ID-mapping hops followed before giving up with -IA_E_LOOP. */
#define IA_IORT_MAX_HOPS 32u

/* Longest Named Component device object name kept (bytes, NUL included); longer is truncated. */
#define IA_IORT_NAME_MAX 128u

/** One ID mapping (ARM DEN 0049E.e §3.4; ACPICA struct acpi_iort_id_mapping, 20 bytes). */
struct ia_iort_id_mapping {
	uint32_t offset;          /* byte offset of this mapping from the start of the IORT */
	uint32_t input_base;      /* lowest input ID of the range */
	uint32_t id_count;        /* as stored: number of IDs in the range MINUS ONE */
	uint32_t output_base;     /* output ID that input_base maps to */
	uint32_t output_ref;      /* byte offset (from the IORT start) of the node the IDs go to */
	uint32_t flags;           /* raw; bit 0 = single mapping */
	bool single;              /* flags bit 0: input ignored, output_base is the one output ID */
	bool output_valid;        /* output_ref is the offset of a decoded node */
	size_t output_node;       /* index into ia_iort.nodes; meaningful only if output_valid */
};

/** Memory access properties (§3.1.1.2; ACPICA struct acpi_iort_memory_access, 8 bytes). */
struct ia_iort_mem_access {
	uint32_t cache_coherency; /* 1 = device is fully coherent */
	uint8_t hints;            /* bit 0 transient, 1 write-allocate, 2 read-allocate, 3 override */
	uint8_t memory_flags;     /* bit 0 CCA, bit 1 DACS, bit 2 CANWBS */
};

/** ITS group node (type 0) data. */
struct ia_iort_its_group {
	uint32_t its_count;       /* as stated by the node */
	size_t first_its_id;      /* ITS identifiers: ia_iort.its_ids[first_its_id .. + n_its_ids) */
	size_t n_its_ids;         /* identifiers actually present inside the node (<= its_count) */
};

/** Named component node (type 1) data. */
struct ia_iort_named_component {
	uint32_t node_flags;      /* raw; bit 0 stall supported, bits 5:1 PASID bits */
	bool stall_supported;
	uint8_t pasid_bits;       /* node_flags bits 5:1 */
	struct ia_iort_mem_access mem;
	uint8_t mem_addr_limit;   /* memory address size limit, bits (0: not stated) */
	char device_name[IA_IORT_NAME_MAX]; /* ASCIIZ ACPI path, e.g. "\\_SB.GPU0" */
	bool name_terminated;     /* the name's NUL lies inside the node data */
	bool name_truncated;      /* the name was longer than IA_IORT_NAME_MAX - 1 */
};

/** PCI root complex node (type 2) data. */
struct ia_iort_root_complex {
	struct ia_iort_mem_access mem;
	uint32_t ats_attribute;   /* raw; bit 0 ATS, bit 1 PRI, bit 2 PASID forwarding */
	bool ats_supported, pri_supported, pasid_fwd_supported;
	uint32_t pci_segment;     /* PCI segment (domain) number this root complex owns */
	bool has_mem_addr_limit;  /* the limit byte lies inside the node data (before the mappings) */
	uint8_t mem_addr_limit;   /* bits; valid if has_mem_addr_limit */
	bool linux_uses_mem_addr_limit; /* node revision >= 1 (kernel rc_dma_get_range()) */
	bool has_pasid_caps;      /* node revision >= 4 (DEN 0049E.d) and field inside the node data */
	uint16_t pasid_caps;      /* raw; bits 4:0 max PASID width */
	uint8_t max_pasid_width;  /* pasid_caps bits 4:0 */
};

/** SMMUv1/v2 node (type 3) data. */
struct ia_iort_smmu {
	uint64_t base;            /* physical base address of the register frame */
	uint64_t span;            /* register frame size, bytes */
	uint32_t model;           /* 0 v1, 1 v2, 2 MMU-400, 3 MMU-500, 4 MMU-401, 5 ThunderX */
	uint32_t flags;           /* raw; bit 0 DVM, bit 1 coherent page-table walk */
	bool dvm_supported, coherent_walk;
	uint32_t global_irq_offset, context_irq_count, context_irq_offset;
	uint32_t pmu_irq_count, pmu_irq_offset;
};

/** SMMUv3 node (type 4) data. */
struct ia_iort_smmu_v3 {
	uint64_t base;            /* physical base address */
	uint32_t flags;           /* raw; bit 0 COHACC override, 2:1 HTTU override, 3 PXM valid, 4 DeviceID valid */
	bool cohacc_override;
	uint8_t httu_override;    /* flags bits 2:1 */
	bool pxm_valid;           /* flags bit 3 */
	bool deviceid_valid_flag; /* flags bit 4 */
	uint64_t vatos_address;
	uint32_t model;           /* 0 generic, 1 HiSilicon Hi161x, 2 Cavium CN99xx */
	uint32_t event_gsiv, pri_gsiv, gerr_gsiv, sync_gsiv;
	bool has_pxm;             /* the proximity domain field lies inside the node data */
	uint32_t pxm;
	bool has_id_mapping_index_field; /* the DeviceID mapping index field lies inside the node data */
	uint32_t id_mapping_index;       /* raw field */
};

/** PMCG node (type 5) data. */
struct ia_iort_pmcg {
	uint64_t page0_base;
	uint32_t overflow_gsiv;
	uint32_t node_ref;        /* offset of the SMMU/NC/RC node the counters belong to */
	bool node_ref_valid;      /* node_ref is the offset of a decoded node */
	size_t ref_node;          /* index into ia_iort.nodes if node_ref_valid */
	bool has_page1;           /* node revision >= 1 and field inside the node (DEN 0049D) */
	uint64_t page1_base;
};

/** One RMR memory range descriptor (ACPICA struct acpi_iort_rmr_desc, 20 bytes). */
struct ia_iort_rmr_desc {
	uint32_t offset;          /* table offset of the descriptor */
	uint64_t base;            /* physical base address */
	uint64_t length;          /* bytes */
};

/** RMR node (type 6) data. */
struct ia_iort_rmr {
	uint32_t flags;           /* raw */
	bool remap_permitted;     /* bit 0: Linux makes it IOMMU_RESV_DIRECT_RELAXABLE */
	bool access_privileged;   /* bit 1 */
	uint8_t access_attributes;/* bits 9:2: 0 Device-nGnRnE ... 5 Normal IWB/OWB */
	uint32_t desc_count;      /* as stated */
	uint32_t desc_offset;     /* from the node start */
	size_t first_desc;        /* ia_iort.rmr_descs[first_desc .. + n_descs) */
	size_t n_descs;           /* descriptors actually inside the node */
};

/** One decoded node (node header: §3.1, ACPICA struct acpi_iort_node). */
struct ia_iort_node {
	uint32_t offset;          /* byte offset from the start of the IORT */
	uint8_t type;             /* enum ia_iort_node_type, or an unknown value */
	uint16_t length;          /* whole node, bytes */
	uint8_t revision;
	uint32_t identifier;      /* unique node ID from DEN 0049E.b; reserved (0) before */
	uint32_t mapping_count;   /* as stated */
	uint32_t mapping_offset;  /* from the node start, as stated */
	size_t first_mapping;     /* ia_iort.mappings[first_mapping .. + n_mappings) */
	size_t n_mappings;        /* mappings actually inside the node (<= mapping_count) */
	bool known;               /* type 0..6: node data decoded into the union */
	bool data_ok;             /* every mandatory node-specific field was inside the node */
	/* Kernel iort_get_id_mapping_index(): the SMMUv3/PMCG mapping reserved for the node's own
	 * MSIs, skipped when mapping other IDs through this node. */
	bool has_deviceid_index;
	uint32_t deviceid_index;  /* index into this node's mappings, if has_deviceid_index */
	union {
		struct ia_iort_its_group its;
		struct ia_iort_named_component nc;
		struct ia_iort_root_complex rc;
		struct ia_iort_smmu smmu;
		struct ia_iort_smmu_v3 smmu3;
		struct ia_iort_pmcg pmcg;
		struct ia_iort_rmr rmr;
	} u;
};

/** A decoded IORT. Zero-initialise; release with ia_iort_free(). */
struct ia_iort {
	struct ia_acpi_hdr hdr;
	uint32_t node_count;      /* as the IORT header states */
	uint32_t node_array_offset;
	bool linux_honours_rmr;   /* table revision >= 5 (kernel iort_find_rmrs(), DEN 0049E.d) */
	struct ia_iort_node *nodes;  /* in table order, so ascending offsets */
	size_t n_nodes;
	struct ia_iort_id_mapping *mappings;
	size_t n_mappings;
	uint32_t *its_ids;
	size_t n_its_ids;
	struct ia_iort_rmr_desc *rmr_descs;
	size_t n_rmr_descs;
};

/**
 * ia_iort_decode() - decode an IORT: header, every node, every ID mapping.
 * @buf, @len: the table bytes (@len may exceed the header length; the header length rules).
 * @out: filled; always safe to pass to ia_iort_free() afterwards, whatever the return.
 * @diags: one diagnostic per problem, naming "IORT" and the byte offset (may be NULL).
 *
 * Walks ia_iort.node_count nodes from the node array offset, each by its own length (no
 * alignment assumed). Per node: the header, the node-specific data of types 0..6 with the
 * node-revision rules of DEN 0049E.e (RC memory address size limit from node revision 1, PASID
 * capabilities from revision 4; PMCG page 1 from revision 1; SMMUv3 DeviceID mapping index per
 * kernel iort_get_id_mapping_index()), and the ID mapping array. Afterwards every mapping's
 * output reference (and every PMCG node reference) is checked to name a decoded node.
 *
 * Problems that leave the walk possible are diagnosed and decoding continues:
 * -IA_E_TRUNCATED mapping array, ITS identifiers, RMR descriptors or device name running past
 * the node (only what fits is kept); -IA_E_BADLEN node too short for its type's mandatory
 * fields (data_ok false); -IA_E_RANGE mapping array overlapping the node header or data, a
 * non-zero mapping count with a zero offset, an output or node reference that is not a node
 * offset (output_valid false); -IA_E_FORMAT single-mapping flag on a node type that does not
 * allow it (Linux skips that mapping); -IA_E_UNSUPPORTED unknown node type (recorded, skipped).
 *
 * Source: ARM DEN 0049E.e; ACPICA actbl2.h (struct acpi_table_iort and friends); kernel
 * drivers/acpi/arm64/iort.c (iort_scan_node(), iort_get_id_mapping_index()).
 *
 * Return: the number of nodes decoded (>= 0) when all node_count nodes were walked. Negative
 * when the walk could not finish; @out then holds the nodes before the failure:
 * any error of ia_acpi_hdr_decode() except the checksum warning; -IA_E_TRUNCATED table too short
 * for the 48-byte IORT header, or a node running past the end of the table; -IA_E_RANGE node
 * array offset inside the IORT header or past the table; -IA_E_BADLEN a node length below the
 * 16-byte node header (0 included), after which no later node can be found; -ENOMEM;
 * -EINVAL when @out is NULL.
 */
int ia_iort_decode(const uint8_t *buf, size_t len, struct ia_iort *out, struct ia_diags *diags);

/** ia_iort_free() - release everything ia_iort_decode() allocated; accepts NULL. */
void ia_iort_free(struct ia_iort *iort);

/**
 * ia_iort_node_at() - the node whose table offset is @offset.
 * @iort: a decoded table. @offset: byte offset from the IORT start. @index: set on success.
 *
 * Return: 0; -ENOENT when no decoded node starts at @offset.
 */
int ia_iort_node_at(const struct ia_iort *iort, uint32_t offset, size_t *index);

/**
 * ia_iort_find_rc() - the PCI root complex node for a PCI segment.
 * @iort: a decoded table. @segment: PCI segment (domain) number. @index: set on success.
 *
 * Source: kernel iort_match_node_callback() (first RC whose PCI segment number matches).
 * Return: 0; -ENOENT when no root complex node has that segment.
 */
int ia_iort_find_rc(const struct ia_iort *iort, uint32_t segment, size_t *index);

/** Where an input ID ends up: the SMMU with the StreamID, the ITS group with the DeviceID. */
struct ia_iort_map_result {
	bool has_smmu;            /* an SMMUv1/v2 or SMMUv3 node was reached */
	size_t smmu_node;         /* index into ia_iort.nodes, if has_smmu */
	uint32_t stream_id;       /* the ID at the SMMU (the StreamID), if has_smmu */
	bool has_its;             /* an ITS group node was reached: MSIs are isolated */
	size_t its_node;          /* index into ia_iort.nodes, if has_its */
	uint32_t device_id;       /* the ID at the ITS group (the ITS DeviceID), if has_its */
	int msi_status;           /* 0 when has_its; else why the walk stopped short of an ITS
				   * group: -ENXIO no mapping / node without mappings, -IA_E_RANGE,
				   * -IA_E_LOOP (as for the return value) */
	unsigned int hops;        /* ID mappings followed */
};

/**
 * ia_iort_map_id() - map an input ID at a node through the ID-mapping chain.
 * @iort: a decoded table. @node: index of the start node (a root complex, named component...).
 * @input_id: the input ID at @node (a PCI requester ID for a root complex).
 * @res: filled on success; zeroed first in every case.
 *
 * Mirrors kernel iort_node_map_id() and iort_id_map(): mappings tried in order; an input ID
 * matches base <= id <= base + id_count (inclusive); a match on the last ID of a range is taken
 * only if no later range of the node starts there (the firmware count off-by-one); the
 * single-mapping flag yields output_base for named components and root complexes and the
 * mapping is skipped elsewhere; the SMMUv3/PMCG DeviceID mapping index is skipped. The first
 * SMMU node reached gives the StreamID (the kernel's IORT_IOMMU_TYPE walk); the walk then goes on
 * through the SMMU's own mappings to an ITS group (the IORT_MSI_TYPE walk of iort_msi_map_id()).
 * Loop guard: a node visited twice, or more than IA_IORT_MAX_HOPS hops (the kernel has neither).
 *
 * Return: 0 when an SMMU or an ITS group was reached (see res->msi_status for the MSI leg);
 * -EINVAL bad arguments; -ENXIO no mapping of @node covers @input_id, or the chain ended at a
 * node without mappings before any SMMU or ITS group; -IA_E_RANGE an output reference that is
 * not a node offset (including 0); -IA_E_LOOP a loop or too many hops.
 */
int ia_iort_map_id(const struct ia_iort *iort, size_t node, uint32_t input_id,
		   struct ia_iort_map_result *res);

/**
 * ia_iort_map_rid() - map a PCI requester ID of a segment to its StreamID and ITS DeviceID.
 * @iort: a decoded table. @segment: PCI segment. @rid: requester ID (bus << 8 | devfn).
 * @res: as for ia_iort_map_id().
 *
 * Source: kernel iort_iommu_configure_id() / iort_pci_iommu_init() and iort_msi_map_id().
 * Return: as ia_iort_map_id(), plus -ENOENT when no root complex node has @segment.
 */
int ia_iort_map_rid(const struct ia_iort *iort, uint32_t segment, uint16_t rid,
		    struct ia_iort_map_result *res);

/** ia_iort_its_id() - the @i-th ITS identifier of an ITS group node (0 on success, -ERANGE/-EINVAL). */
int ia_iort_its_id(const struct ia_iort *iort, size_t its_node, size_t i, uint32_t *its_id);

/** One range of StreamIDs an RMR applies to, from one of the RMR node's ID mappings. */
struct ia_iort_rmr_sids {
	bool smmu_valid;          /* the mapping's output reference names a decoded node */
	size_t smmu_node;         /* index into ia_iort.nodes, if smmu_valid */
	uint32_t first_sid;       /* the mapping's output base */
	uint64_t sid_count;       /* number of StreamIDs: id_count + 1 (single mapping: 1) */
};

/** One reserved memory range with what Linux would make of it. */
struct ia_iort_rmr_region {
	size_t rmr_node;          /* index into ia_iort.nodes */
	uint64_t base, length;    /* bytes */
	bool relaxable;           /* remapping permitted: IOMMU_RESV_DIRECT_RELAXABLE, else DIRECT */
	bool access_privileged;
	uint8_t access_attributes;
	bool linux_honours;       /* table revision >= 5 and the node has mappings (iort_find_rmrs) */
	size_t first_sids;        /* ia_iort_rmrs.sids[first_sids .. + n_sids) */
	size_t n_sids;
};

/** Every RMR region of a table; release with ia_iort_rmrs_free(). */
struct ia_iort_rmrs {
	struct ia_iort_rmr_region *regions;
	size_t n_regions;
	struct ia_iort_rmr_sids *sids;
	size_t n_sids;
};

/**
 * ia_iort_rmrs() - list every RMR memory range with the StreamID ranges it applies to.
 * @iort: a decoded table. @out: filled; always safe to pass to ia_iort_rmrs_free().
 *
 * Source: kernel iort_node_get_rmr_info() and iort_get_rmrs() (DEN 0049E.d §3.1.1.5), decoded
 * whatever the table revision, with linux_honours recording the kernel's revision >= 5 rule.
 * Return: the number of regions (>= 0); -ENOMEM.
 */
int ia_iort_rmrs(const struct ia_iort *iort, struct ia_iort_rmrs *out);

/** ia_iort_rmrs_free() - release an RMR list; accepts NULL. */
void ia_iort_rmrs_free(struct ia_iort_rmrs *rmrs);

/** ia_iort_node_type_name() - "ITS group", "SMMUv3", ... or "unknown"; never NULL. */
const char *ia_iort_node_type_name(uint8_t type);

#endif
