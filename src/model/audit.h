/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The audit: facts loaded once from the database into arrays that rules read and reports render (no conclusions: rules/result.h). */
#ifndef IA_AUDIT_H
#define IA_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/db.h"
#include "core/tri.h"
#include "model/identity_model.h"

struct sqlite3;
struct ia_kernel_facts;

/** A collection error (table collection_error): what could not be read and what that hides. */
struct ia_collect_error {
	char *collector, *subject, *message;
	int code;                /* negative errno or -IA_E_* */
	bool has_offset; int64_t offset;
	char *hides;             /* what the missing data hides, or NULL */
};

/** One PCI function as the audit sees it (NULL-able facts have a has_ flag). */
struct ia_dev {
	char bdf[IA_BDF_MAX];
	uint32_t domain; uint8_t bus, dev, fn;   /* domain: PCI segment, or >= 0x10000 behind an Intel VMD */
	bool has_ids; uint16_t vendor, device;
	bool has_subsys; uint16_t subsys_vendor, subsys_device;
	bool has_class; uint32_t class_code;
	bool has_revision; uint8_t revision;
	bool has_hdr; uint8_t hdr_type;
	enum ia_tri multifunction;
	enum ia_tri is_pcie; uint8_t pcie_type;
	bool has_bus_range; uint8_t secondary_bus, subordinate_bus;
	size_t config_bytes, config_size;
	enum ia_tri has_acs; uint16_t acs_offset, acs_cap, acs_ctrl; uint32_t acs_cap_dw, acs_ctrl_dw;
	enum ia_tri has_ats, has_pri, has_pasid, has_sriov;
	/* SVA inputs (kernel-rules.md §8.1), valid when the matching has_ is IA_YES */
	uint16_t ats_ctrl, pri_ctrl, pri_status, pasid_cap, pasid_ctrl;
	enum ia_tri eetlp_prefix;   /* DevCap2 bit 21 End-End TLP Prefix Supported; unknown when unreadable */
	bool has_numvfs; unsigned numvfs; /* VFs enabled now (sriov_numvfs, else SR-IOV NumVFs in config) */
	char *real_dma;             /* pci_real_dma_dev(): the Intel VMD endpoint's BDF, or NULL for itself */
	char *removable;            /* sysfs removable: "removable", "fixed", "unknown", or NULL when absent */
	bool is_vf; char *physfn;
	char *parent;            /* upstream bridge BDF (sysfs parent) or NULL */
	char *driver;            /* bound driver or NULL */
	bool driver_unknown;     /* the driver link could not be read: driver is NULL but not "unbound" */
	char *driver_override;
	bool has_group; int group;
	char *iommu_unit;
	int predicted_group;     /* index into ia_audit.predicted, or -1 before prediction */
	size_t n_mem_bars;       /* memory BARs with a size (devices with no MMIO have 0) */
	/* published by the engine (rules/engine.c) for a function without a group: a grouped function
	 * on the same firmware SMMUv3 whose DMA aliases share a requester ID with this one's (so one
	 * StreamID: arm_smmu_insert_master() refuses the second); NULL when none, or before the engine */
	const struct ia_dev *stream_shared_with;
	uint16_t stream_shared_rid; /* the requester ID both carry (bus << 8 | devfn), with stream_shared_with */
	/* published by the engine for a function with no group only because no driver probed it
	 * (ia_no_group_until_probe()): 1 + index into ia_audit.probe_groups, the group binding vfio-pci
	 * would form (pci_device_group()); 0 for none */
	size_t probe_group;
};

/** A kernel IOMMU group. */
struct ia_group {
	int id;
	char *type, *name;
	char **devices; size_t n_devices;   /* as linked under devices/ (BDFs for PCI) */
	bool resv_read;
	bool members_read;                  /* devices/ was listed; else the member list may be incomplete */
	size_t n_direct, n_relaxable;       /* reserved regions of type direct / direct-relaxable */
	struct ia_resv_range { uint64_t start, end; } *relaxable; /* the n_relaxable direct-relaxable
					       regions, [start, end] inclusive as reserved_regions prints
					       them, by start; NULL (origin unknown) in a model built by hand */
	bool noiommu;                       /* a VFIO no-IOMMU group: no translation behind it at all */
};

/** A predicted group (the tool's reimplementation of the kernel's pci_device_group()). */
struct ia_pgroup {
	size_t *members; size_t n;          /* indexes into ia_audit.devs */
	char *basis;
	bool uncertain;
};

struct ia_unit {
	char *name, *kind;
	bool has_address; uint64_t address;
	size_t n_devices;
	enum ia_tri ir;                     /* VT-d ecap.IR */
	bool has_cap, has_ecap, has_efr;    /* the registers below were readable */
	uint64_t cap, ecap;                 /* VT-d cap/ecap (intel-iommu/{cap,ecap}) */
	uint64_t efr;                       /* AMD EFR (amd-iommu/features, first field) */
};

/** A use the host makes of a PCI function (table host_use, collectors/host_use.c). */
struct ia_host_use {
	char bdf[IA_BDF_MAX];
	char *use;      /* root-disk, mounted, swap, dm-md-member, default-route-nic, addressed-nic, console, boot-vga */
	char *name;     /* the name the operator knows: "vda", "eth0", "ttyS0", "card0" */
	char *detail;   /* "mounted on /", "default route via 10.0.2.2", ... */
	char *source;   /* the file that shows it */
};

/** A file the host_use collector read (table host_use_source). */
struct ia_host_use_source {
	char *path, *shows;
	bool required;  /* every host has it: absent means the use was not checked */
	int status;     /* 0 read; -ENOENT absent; another negative errno or -IA_E_*: unreadable */
};

/**
 * The part of the host a report shows when `-s`/`-d` selected functions (src/cli/select.c builds
 * the view; the reports print it in their headers). Counts are of PCI functions and IOMMU groups.
 */
struct ia_audit_selection {
	const char *expr;          /* the selector as given: "-s 3b:", "-d 8086:", or both */
	size_t n_matched;          /* functions the selector matched */
	size_t n_unknown;          /* functions whose IDs or class were unreadable: not matched */
	size_t host_devs;          /* the whole host's PCI functions */
	size_t host_iommu_groups;  /* the whole host's IOMMU groups */
};

struct ia_audit {
	/* host */
	char *root; bool live; char *tool_version;
	/* dumps analysed alone (--lspci-dump, --acpidump, --dtb without a root: run.root is ""):
	 * nothing of a kernel was read, so every kernel state (IOMMU active, groups, drivers,
	 * interrupts) is unknown; inputs names them ("lspci dump FILE, acpidump FILE") */
	bool dumps_alone; char *inputs;
	char *kernel_release; int kernel_major, kernel_minor; bool has_kernel_version;
	char *cmdline, *arch;
	bool has_kernel_patch; int kernel_patch;   /* upstream stable level ("6.12.69" -> 69; Debian's
						    * "6.1.0-56" -> 192 from proc/version), src/decode/kversion.c */
	char *kernel_stable_source;                /* how kernel_patch was derived: "release", "debian",
						    * "ubuntu"; NULL when !has_kernel_patch */
	bool kernel_backports;                     /* a distribution kernel that backports onto an old base
						    * (RHEL-like, SLE), or one whose release was unreadable:
						    * behaviours newer than kernel_major.kernel_minor are unknown */
	bool has_tainted; uint64_t tainted;        /* proc/sys/kernel/tainted */
	bool iommu_groups_dir;
	struct ia_identity identity;               /* host name, machine-id, DMI, CPU, audit time (host_identity) */
	/* facts */
	struct ia_dev *devs; size_t n_devs;
	/* ia_audit_load()'s search index for ia_audit_find_dev(): devs[i].bdf as big-endian 64-bit
	 * halves of the zero-padded 16 bytes, contiguous; NULL in a hand-built audit (then the devs
	 * themselves are searched) */
	uint64_t (*bdf_keys)[2];
	struct ia_group *groups; size_t n_groups;
	size_t n_iommu_groups;              /* groups an IOMMU translates: n_groups less the no-IOMMU ones */
	struct ia_unit *units; size_t n_units;
	struct ia_firmware *firmware;       /* firmware facts (model/firmware_model.h); NULL until ia_audit_load() */
	struct ia_kernel_facts *kernel;     /* command line, configuration, module parameters, interrupts
					       (model/kernel_model.h); NULL until ia_audit_load() */
	struct ia_pgroup *predicted; size_t n_predicted;
	struct ia_pgroup *probe_groups; size_t n_probe_groups; /* ia_dev.probe_group (rules/engine.c) */
	bool have_predicted;
	/* isolation domains of more than one function (rules/topology.h ia_topo_isolation_domains()),
	 * published by the engine for `plan`: members, basis = the ports or functions to blame,
	 * uncertain when it rests on unreadable ACS state; empty without a topology model */
	struct ia_pgroup *domains; size_t n_domains;
	/* what could not be read (the engine makes them "collect.unreadable" findings) */
	struct ia_collect_error *collect_errors;
	size_t n_collection_errors;
	/* the host's own use of PCI functions, by bdf (for `plan`), and what showed it */
	struct ia_host_use *host_use; size_t n_host_use;
	struct ia_host_use_source *host_use_sources; size_t n_host_use_sources;
	/* a view of the functions `-s`/`-d` selected (src/cli/select.c), NULL for the whole host */
	const struct ia_audit_selection *selection;
};

/**
 * ia_audit_load() - read the facts of @db into @a (zeroed by the caller).
 * Collection errors are kept in a->collect_errors (rules/engine.c turns each into a
 * "collect.unreadable" finding, so every report says what could not be read and what that hides).
 * Every fact the rules read is loaded here (the rules never query @db): the devices, groups and
 * units, the firmware facts (ia_firmware_load()) and the kernel facts (ia_kernel_facts_load()),
 * and the host's own use of its functions (a->host_use, by bdf, and a->host_use_sources, for `plan`).
 * Return: 0; -IA_E_SQLITE; -ENOMEM.
 */
int ia_audit_load(struct sqlite3 *db, struct ia_audit *a);

/** ia_audit_free() - release everything (accepts a zeroed audit). */
void ia_audit_free(struct ia_audit *a);

/**
 * ia_audit_find_dev() - the device whose BDF is @bdf (exact string equality), or NULL.
 * Binary search: devs are sorted by BDF (strcmp order); over a->bdf_keys when ia_audit_load()
 * built them, else over the devs.
 */
struct ia_dev *ia_audit_find_dev(const struct ia_audit *a, const char *bdf);

/**
 * ia_audit_iommu_active() - the kernel runs an IOMMU: a unit under sys/class/iommu, or a group an
 * IOMMU translates (VFIO no-IOMMU groups do not count). The one definition for rules and reports.
 */
bool ia_audit_iommu_active(const struct ia_audit *a);

/**
 * ia_audit_arch() - the audited kernel's architecture family from host.arch (uname -m, or the
 * release's suffix): 'x' for x86 ("x86_64", "i686", "i386", "x86"), 'a' for Arm 64-bit ("aarch64",
 * "arm64"), 0 for another or one not read. The one test rules use.
 */
char ia_audit_arch(const struct ia_audit *a);

/**
 * ia_audit_dev_translated() - @d is in a kernel IOMMU group an IOMMU translates: it has a group, and
 * that group is not a VFIO no-IOMMU group (struct ia_group.noiommu, or a dev/vfio/noiommu-N node of
 * its number; kernel-rules.md §6). False for a NULL @d. The one definition of "behind the IOMMU"
 * for rules that must not count no-IOMMU groups.
 */
bool ia_audit_dev_translated(const struct ia_audit *a, const struct ia_dev *d);

/** ia_audit_find_group() - the kernel group with @id, or NULL (binary search; groups are sorted by id). */
struct ia_group *ia_audit_find_group(const struct ia_audit *a, int id);

#endif
