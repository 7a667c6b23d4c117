/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `iommu-audit diff OLD NEW`: what changed between two audits of a host (devices, groups, verdicts, findings). */
#ifndef IA_DIFF_H
#define IA_DIFF_H

#include <stdio.h>

#include "model/audit.h"
#include "rules/result.h"

/** What a diff input is. */
enum ia_diff_input {
	IA_DIFF_TREE,     /* a captured host tree (directory), replayed like --root */
	IA_DIFF_ARCHIVE,  /* any other file: a snapshot archive (.tar.gz), replayed like --snapshot */
	IA_DIFF_DB,       /* a fact database from `collect --db` (SQLite header magic), like --from-db */
};

/**
 * ia_diff_input_kind() - classify @path: a directory, a file starting with the 16-byte SQLite
 * header "SQLite format 3\0" (https://www.sqlite.org/fileformat.html §1.3.1), or an archive.
 * Return: 0 with *@kind set; -errno when @path cannot be stat'ed or read.
 */
int ia_diff_input_kind(const char *path, enum ia_diff_input *kind);

/** One difference. */
struct ia_diff_change {
	const char *area;     /* "host", "device", "group", "finding" (static) */
	char *subject;        /* BDF, "N" for a group, "[rule] subject" for a finding, "host" for the host */
	const char *change;   /* "added", "removed", "changed", "appeared", "resolved" (static) */
	char *field;          /* for "changed": what changed ("driver", "devices", "level", ...); else NULL */
	char *old, *new;      /* the old and new value (a summary for added/removed; NULL when none) */
};

/** All differences, in a stable order: host and platform, devices by BDF, groups by id, findings. */
struct ia_diff {
	struct ia_diff_change *v; size_t n, cap;
};

/**
 * ia_diff_audits() - compare two evaluated audits: the facts @old and @new with the results
 * ia_rules_run() wrote for them (@old_r, @new_r; a policy, if any, applied by the engine).
 * Devices are matched by BDF (ids, class, driver, kernel group), kernel groups by id (members,
 * type, dma_ownership_viable, userspace_assignable), findings by (rule, subject), paired in order
 * of level and message when one subject has several (level and waiver changes); host kernel,
 * IOMMU active, interrupt isolation and the host verdict (struct ia_result.verdict) are compared as values.
 * Cost: O(n log n) in findings, linear in devices, groups and members (all sorted by the loader).
 * Return: 0 with *@out set (n == 0 when nothing changed); -EINVAL (NULL, or a result not of its
 * audit); -ENOMEM.
 */
int ia_diff_audits(const struct ia_audit *old, const struct ia_result *old_r, const struct ia_audit *new,
		   const struct ia_result *new_r, struct ia_diff **out);

/** ia_diff_text() - one line per change ("device 0000:07:02.0 driver: 8139cp -> vfio-pci"); nothing when none. 0 or -EIO. */
int ia_diff_text(const struct ia_diff *d, FILE *out);

/** ia_diff_json() - {"schema": "iommu-audit-diff/1", "old", "new", "changed", "changes": [...]}. 0, -ENOMEM or -EIO. */
int ia_diff_json(const struct ia_diff *d, const char *old_name, const char *new_name, FILE *out);

/** ia_diff_free() - release (accepts NULL). */
void ia_diff_free(struct ia_diff *d);

#endif
