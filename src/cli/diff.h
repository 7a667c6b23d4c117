/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `iommu-audit diff OLD NEW`: what changed between two audits of a host (devices, groups, verdicts, findings). */
#ifndef IA_DIFF_H
#define IA_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#include "model/audit.h"
#include "rules/result.h"

/** What a diff input is. */
enum ia_diff_input {
	IA_DIFF_TREE,     /* a captured host tree (directory), replayed like --root */
	IA_DIFF_ARCHIVE,  /* any other file: a snapshot archive (.tar.gz), replayed like --snapshot */
	IA_DIFF_DB,       /* a fact database from `collect --db` (SQLite header magic), like --from-db */
};

/** What a change does to the host's fitness for userspace assignment. */
enum ia_diff_effect {
	IA_DIFF_NEUTRAL,   /* neither worse nor better */
	IA_DIFF_WORSE,     /* a new failing finding, a group no longer assignable, MSI isolation lost, IOMMU off */
	IA_DIFF_BETTER,    /* the reverse of one of those */
};

/** One difference. */
struct ia_diff_change {
	const char *area;     /* "host", "device", "group", "finding" (static) */
	char *subject;        /* BDF, "N" for a group (its new number when it has one), "[rule] subject" for a
				 finding, "host" for the host */
	const char *change;   /* "added", "removed", "changed", "appeared", "resolved", "split", "merged",
				 "regrouped" (static) */
	char *field;          /* for "changed": what changed ("driver", "devices", "level", ...); else NULL */
	char *old, *new;      /* the old and new value (a summary for added/removed; NULL when none) */
	bool is_tri;          /* the value is a yes/no fact: old_tri and new_tri hold it (JSON booleans) */
	enum ia_tri old_tri, new_tri;
	enum ia_diff_effect effect;
	bool summarised;      /* also one of the summary lines (the text details leave it out) */
};

/** One side of the summary: the facts an operator compares first. */
struct ia_diff_side {
	size_t n_iommu_groups;          /* IOMMU groups (VFIO no-IOMMU groups not counted) */
	size_t n_assignable;            /* of those, userspace_assignable yes */
	bool has_domains;               /* the topology model existed: n_domains is known */
	size_t n_domains;               /* isolation domains of more than one function (struct ia_audit.domains) */
	enum ia_tri irq_isolated;       /* MSI (interrupt) isolation, struct ia_result.irq_isolated */
	const char *noiommu_state;      /* struct ia_result.noiommu_state, "unknown" when not evaluated (static) */
	bool iommu_active;              /* ia_audit_iommu_active() */
	bool fails;                     /* the host verdict (struct ia_verdict.fails) */
};

/** A kernel group as one side of a match (copied: valid after the audits are freed). */
struct ia_diff_group {
	int id;
	char *type;                     /* NULL when unknown */
	char **devices; size_t n_devices;
	bool noiommu;
	enum ia_tri dma_ownership_viable, userspace_assignable;
};

/**
 * Groups matched by their members: the groups of both audits linked by a shared BDF, one match per
 * connected set. @match: "same" (1:1, same members and number), "renumbered" (1:1, same members,
 * another number), "members" (1:1, members added or removed), "split" (1 old, several new), "merged"
 * (several old, 1 new), "regrouped" (several on both sides), "added" (no old), "removed" (no new).
 */
struct ia_diff_match {
	const char *match;              /* static */
	enum ia_diff_effect effect;     /* worse: an old assignable group has a member in a new group that is
					   not, or none left in any group; better: the reverse */
	struct ia_diff_group *old; size_t n_old;   /* by id */
	struct ia_diff_group *new; size_t n_new;
};

/** All differences, in a stable order: host and platform, devices by BDF, groups by id, findings. */
struct ia_diff {
	struct ia_diff_change *v; size_t n, cap;
	struct ia_diff_side old, new;
	struct ia_diff_match *groups; size_t n_groups, cap_groups;   /* every group of either side, by lowest id */
	enum ia_fail_on fail_on;        /* the threshold a failing finding was judged at (the new result's) */
	/* what got worse (exit status 1) or better; the counts behind the result line */
	size_t n_worse, n_better;
	size_t n_groups_lost, n_groups_gained;       /* groups no longer / newly assignable (old / new side) */
	size_t n_findings_failing, n_findings_fixed; /* failing findings that appeared / stopped failing */
};

/**
 * ia_diff_input_kind() - classify @path: a directory, a file starting with the 16-byte SQLite
 * header "SQLite format 3\0" (https://www.sqlite.org/fileformat.html §1.3.1), or an archive.
 * Opened with O_NONBLOCK | O_NOCTTY and checked with fstat() before any read, so a FIFO or device
 * swapped in for an operand never blocks and is never read.
 * Return: 0 with *@kind set; -EINVAL for anything but a directory or a regular file; -errno when
 * @path cannot be opened or read.
 */
int ia_diff_input_kind(const char *path, enum ia_diff_input *kind);

/**
 * ia_diff_audits() - compare two evaluated audits: the facts @old and @new with the results
 * ia_rules_run() wrote for them (@old_r, @new_r; a policy, if any, applied by the engine).
 * Devices are matched by BDF (ids, class, driver). Kernel groups are matched by their members, not
 * by number (the kernel numbers groups in probe order, iommu_group_alloc(), so numbers change
 * across boots): groups sharing a BDF are one match (struct ia_diff_match), compared for number,
 * members, type, dma_ownership_viable and userspace_assignable when 1:1, else reported as split,
 * merged or regrouped. Findings are matched by (rule, subject), a "group N" subject by its match
 * (a renumbered group keeps its findings), paired in order of level and message when one subject
 * has several (level and waiver changes). Host kernel, IOMMU active, interrupt isolation and the
 * host verdict (struct ia_result.verdict) are compared as values.
 * Worse (d->n_worse): a finding that fails under @new_r->verdict.fail_on (ia_finding_fails()) and
 * did not fail before, a group no longer assignable, interrupt isolation no longer "isolated", the
 * IOMMU no longer active. Better: the reverse of each.
 * Cost: O(n log n) in findings and group members, linear in devices.
 * Return: 0 with *@out set (n == 0 when nothing changed); -EINVAL (NULL, or a result not of its
 * audit); -ENOMEM.
 */
int ia_diff_audits(const struct ia_audit *old, const struct ia_result *old_r, const struct ia_audit *new,
		   const struct ia_result *new_r, struct ia_diff **out);

/**
 * ia_diff_text() - the result line ("result: worse: ..."), the summary (assignable groups, isolation
 * domains, MSI isolation, VFIO no-IOMMU mode, IOMMU active, verdict: each "old -> new"), a blank line
 * and one line per change ("device 0000:07:02.0 driver: 8139cp -> vfio-pci") when there are any,
 * leaving out the host changes the summary already shows. 0 or -EIO (-ENOMEM for the filter).
 */
int ia_diff_text(const struct ia_diff *d, FILE *out);

/**
 * ia_diff_json() - {"schema": "iommu-audit-diff/1", "old", "new", "changed", "worse", "improved",
 * "summary": {...}, "groups": [matches], "changes": [...]}; each change keeps its string "old" and
 * "new" and adds "old_value"/"new_value" (JSON booleans, null when unknown, for yes/no facts; the
 * strings otherwise) and "effect". 0, -ENOMEM or -EIO.
 */
int ia_diff_json(const struct ia_diff *d, const char *old_name, const char *new_name, FILE *out);

/** ia_diff_free() - release (accepts NULL). */
void ia_diff_free(struct ia_diff *d);

#endif
