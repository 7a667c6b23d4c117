/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The engine-owned result of one audit: findings, per-group contributions and verdicts, the host verdict. */
#ifndef IA_RESULT_H
#define IA_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/tri.h"

enum ia_level { IA_LEVEL_INFO, IA_LEVEL_WARNING, IA_LEVEL_ERROR };

/** ia_level_name() - "error", "warning" or "info". */
const char *ia_level_name(enum ia_level l);

/** The --fail-on threshold of ../shared/docs/contract.md: findings at or above it fail the audit. */
enum ia_fail_on { IA_FAIL_ON_ERROR, IA_FAIL_ON_WARNING, IA_FAIL_ON_NEVER };

/** A finding: what a rule (or collection, or the policy) concluded about one subject. */
struct ia_finding {
	char *rule;       /* stable id ("collect.unreadable", "group.not-viable", ...) */
	enum ia_level level;
	char *subject;    /* BDF, "group N", a table signature or a path */
	char *message;    /* one sentence: what is wrong */
	char *advice;     /* what to do (may be NULL) */
	char *evidence;   /* the facts it rests on (may be NULL) */
	/* set by a policy (--policy): a waived finding stays in every report, marked, but never
	 * counts towards --fail-on nor blocks a group; waiver_expires is "YYYY-MM-DD" or NULL */
	bool waived; char *waiver_reason, *waiver_expires;
	bool relevelled;  /* the policy gave the rule a level of its own */
};

/** Where a group contribution stands after the policy. */
enum ia_contrib_kind {
	IA_CONTRIB_BLOCKER,    /* stops userspace_assignable */
	IA_CONTRIB_EXCEPTION,  /* a member that may stay in a user-owned group, with its cost */
	IA_CONTRIB_NOTE,       /* a blocker the policy lifted (re-levelled rule or waived finding) */
};

/** A blocker, exception or note of one group: which member, which rule, why, and its finding. */
struct ia_contrib {
	enum ia_contrib_kind kind;
	const struct ia_rule *rule;   /* the rule that made it (NULL: the engine) */
	char *bdf;                    /* the member it is about, "" for the whole group */
	char *what;                   /* a blocker's rule id, an exception's kind ("pci-stub", "bridge") */
	char *reason;
	size_t finding;               /* index into ia_result.findings, or IA_NO_FINDING */
	const char *lifted;           /* a note: why the policy lifted the blocker; else NULL */
};
#define IA_NO_FINDING SIZE_MAX

/** SVA (PASID) viability of one group member (rule device.sva, kernel-rules.md §8). */
struct ia_sva {
	char *bdf;                          /* the member as linked under devices/ */
	enum ia_tri viable;                 /* IA_YES only when every precondition was seen to hold */
	char **reasons; size_t n_reasons;   /* each failed or unknown precondition, in plain words */
};

/** The VFIO paths by which userspace takes a group (rules/vfio_path.h, issue 12). */
enum ia_vfio_path {
	IA_PATH_CONTAINER,                  /* /dev/vfio/vfio: vfio_iommu_type1, or iommufd's compat container */
	IA_PATH_IOMMUFD,                    /* /dev/iommu: the VFIO device cdev or a group bound to an iommufd */
	IA_N_PATHS
};

/** What one VFIO path is on this kernel (ia_vfio_paths_decide()). */
struct ia_path_state {
	enum ia_tri offered;                /* the kernel has it */
	char *why;                          /* how that was told (malloc'd) */
	const char *param;                  /* the allow_unsafe_interrupts it reads: "vfio_iommu_type1.
					       allow_unsafe_interrupts", "iommufd.allow_unsafe_interrupts",
					       or NULL when the container's backend is unknown (static) */
	enum ia_tri unsafe_interrupts_allowed; /* that parameter's value */
};

/** One group's verdict on one VFIO path. */
struct ia_group_path {
	enum ia_tri userspace_assignable;   /* as ia_group_verdict's, with this path's parameter */
	enum ia_tri kernel_hands_over;      /* as ia_group_verdict's, with this path's parameter */
	bool msi_blocks;                    /* the MSI blocker (the group's MSIs not isolated) stands on this path */
};

/** The verdict of one kernel group (same index as ia_audit.groups). */
struct ia_group_verdict {
	enum ia_tri dma_ownership_viable;   /* group.not-viable: the kernel's VFIO viability test now */
	bool vfio_bound;                    /* a member is bound to a VFIO bus driver (group.not-viable) */
	enum ia_tri userspace_assignable;   /* composed by the engine after the policy */
	/* VFIO itself would hand the group to userspace now, safe or not (kernel-rules.md §4.4): an
	 * endpoint, viable, nothing the kernel refuses, and MSIs isolated or allow_unsafe_interrupts
	 * set; the audit's own judgement (isolation domains) and the policy do not count */
	enum ia_tri kernel_hands_over;
	enum ia_tri endpoint;               /* group.verdict: holds a function vfio-pci binds */
	/* MSI isolation as the audited kernel tests this group (platform.msi-not-isolated, row
	 * msi_isolation_per_group): from Linux 6.3 iommu_group_has_isolated_msi() over its members,
	 * before it the host's irq_domain_check_msi_remap(); irq_reason says why when it differs
	 * from the host's (malloc'd, else NULL) */
	enum ia_tri irq_isolated; char *irq_reason;
	/* every member's own MSI domain isolates (its chips in proc/interrupts, else its firmware
	 * route), whatever the release tests: what the hardware gives; IA_UNKNOWN for a VFIO
	 * no-IOMMU group. It differs from irq_isolated before 6.3, where the host-wide test decides
	 * (x86 with interrupt remapping enabled accepts a member whose MSIs bypass it) */
	enum ia_tri irq_members;
	bool isolation_unknown;             /* isolation.p2p-domain: a wider domain may exist */
	/* group.iommu-not-coherent: what VFIO's coherency test answers for a member depends on facts
	 * not read (an Arm SMMU's firmware flags, a function's own DMA coherency, an IOMMU not
	 * identified, a release the behaviour table cannot place: rules/coherency.h); VFIO refuses the
	 * device if it is not coherent, so the verdict cannot be "assignable" */
	bool coherency_unknown;
	struct ia_contrib *pending; size_t n_pending;       /* as the rules gave them, before the policy */
	struct ia_contrib *blockers; size_t n_blockers;
	struct ia_contrib *exceptions; size_t n_exceptions;
	struct ia_contrib *notes; size_t n_notes;
	struct ia_sva *sva; size_t n_sva;   /* one per member, filled by rule device.sva */
	/* the verdicts on each path; userspace_assignable and kernel_hands_over above are those of
	 * ia_result.path, the path the report is for */
	struct ia_group_path paths[IA_N_PATHS];
};

/** The host verdict: one decision for every renderer and the exit status. */
struct ia_verdict {
	enum ia_fail_on fail_on;   /* as given */
	enum ia_level threshold;   /* the level judged: fail_on's, error for IA_FAIL_ON_NEVER */
	bool fails;                /* an unwaived finding reaches threshold */
	size_t n_at_threshold;     /* the unwaived findings at or above threshold (fails == n_at_threshold > 0) */
	size_t n_failing;          /* findings that fail the exit status under fail_on (0 with never) */
	int exit_status;           /* 0 or 1 (contract.md: 1 when findings reach --fail-on) */
};

/** Everything the rules and the engine concluded; the audit's facts stay in struct ia_audit. */
/** A group the kernel would form once its IOMMU runs (struct ia_when_enabled_result). */
struct ia_enabled_group {
	size_t *members; size_t n;          /* indexes into ia_audit.devs, in probe order */
	char *basis;                        /* why they are together, with the uncertainty if any */
	bool uncertain;
	bool bindable;                      /* a member has header type 0, which vfio-pci binds */
};

/**
 * The groups once the IOMMU is on (rules/when_enabled.h, issue 19). While the IOMMU is active
 * they are the current prediction's; where it is off, the groups pci_device_group() would form
 * after pci_enable_acs() and the firmware's units take over.
 */
struct ia_when_enabled_result {
	bool evaluated;                     /* a topology model existed (else no groups either way) */
	bool current;                       /* the IOMMU is active: the groups are ia_audit.predicted
					       (groups stays NULL: not copied) */
	bool iommu_off;                     /* the host's IOMMU is not active: the fields below apply */
	const char *iommu;                  /* "Intel VT-d (DMAR)", ...; NULL when the firmware describes none (static) */
	bool firmware_unread;               /* iommu is NULL because no firmware table was read (unknown, not none) */
	char *how;                          /* what the operator changes to turn it on */
	char *acs_note;                     /* how the ACS control was derived, or NULL */
	char *probe_note;                   /* arm64: groups form when a driver probes, or NULL */
	size_t n_uncovered;                 /* functions no firmware unit lists: no group */
	size_t *refused; size_t n_refused;  /* functions arm-smmu-v3 would refuse (a StreamID already
					       taken by one probed earlier): indexes into ia_audit.devs */
	struct ia_enabled_group *groups; size_t n_groups;
	size_t n_bindable;                  /* groups with bindable set */
};

struct ia_result {
	struct ia_finding *findings; size_t n_findings, cap_findings;
	struct ia_group_verdict *groups; size_t n_groups;   /* parallel to ia_audit.groups */
	/* host-wide conclusions */
	enum ia_tri irq_isolated; char *irq_reason;         /* platform.msi-not-isolated: every MSI the host
							       uses is isolated (each group's own: groups[].irq_isolated) */
	size_t irq_finding;                                 /* its finding, or IA_NO_FINDING */
	enum ia_tri unsafe_interrupts_allowed;              /* either path's parameter is set (contract) */
	struct ia_path_state paths[IA_N_PATHS];             /* ia_vfio_paths_decide() */
	enum ia_vfio_path path;                             /* the path the group verdicts are for */
	bool path_named;                                    /* given with --vfio-path (else the first offered) */
	const char *noiommu_state;                          /* "available", "enabled", "unavailable", "unknown"; NULL until evaluated */
	char *noiommu_reason;
	enum ia_tri noiommu_compiled, noiommu_enabled;
	int *noiommu_groups; size_t n_noiommu_groups;
	/* rules not evaluated, "ID: not evaluated: WHY" */
	char **not_evaluated; size_t n_not_evaluated;
	struct ia_verdict verdict;
	struct ia_when_enabled_result when_enabled;
};

/**
 * ia_result_add_finding() - append a finding (strings copied; @advice, @evidence may be NULL;
 * @subject NULL means "host").
 * Return: 0 or -ENOMEM (nothing appended).
 */
int ia_result_add_finding(struct ia_result *r, const char *rule, enum ia_level level, const char *subject,
			  const char *message, const char *advice, const char *evidence);

/**
 * ia_contrib_add() - append a contribution to @list (strings copied; @bdf NULL means "").
 * Return: 0 or -ENOMEM (nothing appended).
 */
int ia_contrib_add(struct ia_contrib **list, size_t *n, enum ia_contrib_kind kind, const struct ia_rule *rule,
		   const char *bdf, const char *what, const char *reason, size_t finding);

/** ia_result_free() - release everything (accepts a zeroed result). */
void ia_result_free(struct ia_result *r);

/** ia_result_count() - findings at @level, not counting waived ones. */
size_t ia_result_count(const struct ia_result *r, enum ia_level level);

/**
 * ia_finding_fails() - whether @f makes the exit status 1 under @fail_on: its level is at or
 * above the threshold and no policy waived it (never with IA_FAIL_ON_NEVER).
 */
bool ia_finding_fails(const struct ia_finding *f, enum ia_fail_on fail_on);

/**
 * ia_result_decide() - the host verdict and the exit status, the one place they are decided
 * (../shared/docs/contract.md "Exit status", README's NFD table): the verdict fails when an
 * unwaived finding reaches @fail_on, judged at error for IA_FAIL_ON_NEVER (which only keeps the
 * exit status 0); the exit status is 1 when a finding fails under @fail_on, else 0.
 * Writes r->verdict; call it after the policy, once every finding is in.
 */
void ia_result_decide(struct ia_result *r, enum ia_fail_on fail_on);

#endif
