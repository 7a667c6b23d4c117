/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `iommu-audit plan BDF...`: what assigning devices to userspace (vfio-pci) requires; printed, never done. */
#ifndef IA_PLAN_H
#define IA_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/bdf.h"
#include "model/audit.h"
#include "rules/result.h"

/** What the plan does with one device. */
enum ia_plan_action {
	IA_PLAN_KEEP,          /* stays as it is (bridge on pcieport or unbound, driver_managed_dma driver, unbound) */
	IA_PLAN_ALREADY_VFIO,  /* already on a VFIO driver */
	IA_PLAN_BIND_VFIO,     /* bind to vfio-pci (requested, or a member whose driver claims DMA ownership) */
	IA_PLAN_UNBIND,        /* a bridge on a driver that claims DMA ownership: unbind only (vfio-pci never binds bridges) */
};

/** One device the plan touches or names. */
struct ia_plan_dev {
	char bdf[IA_BDF_BUFSZ];
	const struct ia_dev *dev;   /* the audit's device (NULL for a non-PCI group member) */
	bool has_group; int group;  /* kernel IOMMU group */
	bool requested;             /* named on the command line */
	enum ia_plan_action action;
	char *reason;               /* why this action */
	const struct ia_host_use **uses; size_t n_uses; /* the host's uses of it (into the audit's host_use) */
	bool pin;                   /* unbound and kept so: the commands pin it to vfio-pci (driver_override) */
};

/** Something that keeps the devices from userspace whatever is unbound. */
struct ia_plan_blocker {
	char *rule;                 /* the audit rule that found it, or "plan.*" */
	char *subject;              /* BDF, "group N" or "host" */
	char *reason;
	bool unknown;               /* an input was unreadable: fail closed, not a proven obstacle */
};

/** A kernel group that goes with the request. */
struct ia_plan_group {
	int id;
	bool via_domain;            /* pulled in by an isolation domain wider than the kernel groups */
	bool domain_uncertain;      /* that domain rests on unreadable ACS state (taken to be safe) */
	char *basis;                /* for via_domain: the ports or functions to blame; else NULL */
};

/** A whole plan; release with ia_plan_free() before the audit it was built from. */
struct ia_plan {
	char **requested; size_t n_requested;          /* canonical BDFs, as asked, without repeats */
	struct ia_plan_group *groups; size_t n_groups; /* ascending id */
	struct ia_plan_dev *devs; size_t n_devs;       /* ascending BDF */
	struct ia_plan_blocker *blockers; size_t n_blockers;
	char **notes; size_t n_notes;                  /* what the plan rests on besides the kernel's groups:
							  a group vfio-pci's probe would form */
	/* the VFIO path the plan assumes (the result's, --vfio-path): "container" or "iommufd", and
	 * whether the kernel has it (static strings and the result's reason, not owned) */
	const char *vfio_path;
	bool vfio_path_named;
	enum ia_tri vfio_path_offered;
	const char *vfio_path_why;
	enum ia_tri vfio_other_offered;   /* whether the kernel has the other path */
	const char *vfio_other_why;        /* why it has not, or whether is unknown */
	/* the host's own use of the devices the plan takes (collectors/host_use.c) */
	bool iommu_off;             /* no IOMMU is active (not dumps alone): vfio-pci binds nothing now */
	bool refused;               /* a device the plan unbinds or gives to vfio-pci is used by the host */
	bool forced;                /* set by the caller (plan --force): print the commands anyway */
	bool host_use_read;         /* facts of the host's use were collected at all */
	char **unchecked; size_t n_unchecked; /* uses that could not be checked: "mounted filesystems
					       (proc/self/mountinfo: not in the capture)" */
	bool unchecked_all;         /* none of the files every host has was in the capture */
};

/* Exit status of `plan` that refuses to take a device the host uses (without --force). */
#define IA_PLAN_EXIT_REFUSED 4

/**
 * ia_plan_normalize_bdf() - accept "[DDDD[DDDD]:]BB:DD.F" (no domain: 0000), any hex case
 * (ia_bdf_parse() without flags).
 * @out: receives the canonical lowercase "DDDD:BB:DD.F" (ia_bdf_format(); untouched on failure).
 * Return: 0; -IA_E_FORMAT when @in is not a PCI address (device > 1f, function > 7, a domain of 9
 * or more digits included).
 */
int ia_plan_normalize_bdf(const char *in, char out[IA_BDF_BUFSZ]);

/**
 * ia_plan_build() - the plan to hand @bdfs to userspace on the host of @a, whose result @r
 * ia_rules_run() wrote (group blockers, interrupt isolation; a->groups and r->groups are parallel).
 * @bdfs, @n: canonical BDFs (ia_plan_normalize_bdf()); @n >= 1.
 * @err: receives the message for -ENOENT ("0000:3b:00.0 is not a PCI function of this host").
 *
 * Devices that go together: every member of the kernel group of each requested device, and of
 * every group that shares an isolation domain with them (a->domains; repeated until closed, so a
 * domain reaching a group that reaches another domain takes both). Drivers: the kernel's DMA
 * ownership test (drivers/iommu/iommu.c iommu_group_claim_dma_owner(): every member unbound or
 * on a driver with driver_managed_dma, rules/data/driver_managed_dma.csv; before v5.19
 * vfio_dev_viable(): unbound, pci-stub, a VFIO driver, or a bridge on any driver), so members on
 * pcieport, pci-stub or no driver stay, other endpoints go to vfio-pci, other bridges are unbound.
 * Blockers nothing can unbind: no IOMMU or no group, a requested bridge, firmware 1:1 regions,
 * MSIs not isolated, a PF with VFs enabled that would go to vfio-pci (-EBUSY), and unknowns (reserved regions or interrupt isolation unreadable, no topology
 * model, a non-PCI group member), plus any other blocker a rule put on the groups.
 * Host use (a->host_use, collectors/host_use.c): each device gets the host's uses of it; a device
 * the plan unbinds or hands to vfio-pci that the host uses (its root disk, a mounted filesystem,
 * swap, a dm/md member, an interface with a route or address, the console, the boot VGA) makes
 * the plan refused (DPDK's dpdk-devbind.py "routing table indicates that interface ... is active",
 * SPDK's setup.sh mount and holder checks); a file that showed such use and could not be read is
 * listed in unchecked, so a device is never called free for want of the facts.
 * Cost: O(n log n) in the devices of the host.
 * Return: 0; -ENOENT for a BDF the host lacks; -EINVAL for NULL pointers, @n == 0 or an @r not of
 * @a; -ENOMEM.
 */
int ia_plan_build(const struct ia_audit *a, const struct ia_result *r, const char *const *bdfs, size_t n,
		  struct ia_plan **out, char *err, size_t errlen);

/** ia_plan_feasible() - true when nothing blocks (the commands would make the devices assignable). */
bool ia_plan_feasible(const struct ia_plan *p);

/**
 * ia_plan_text() - the plan for people, with the commands (printed only; none when refused and
 * not forced). 0 or -EIO.
 */
int ia_plan_text(const struct ia_plan *p, FILE *out);

/** ia_plan_json() - the plan as JSON (schema "iommu-audit-plan/1", docs/policy.md). 0, -ENOMEM or -EIO. */
int ia_plan_json(const struct ia_plan *p, FILE *out);

/** ia_plan_free() - release a plan (accepts NULL). */
void ia_plan_free(struct ia_plan *p);

#endif
