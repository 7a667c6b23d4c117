/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel behaviour table (rules/data/kernel_behaviours.csv): which upstream and stable releases
 * have each behaviour the rules depend on, and the one lookup every release test goes through. */
#ifndef IA_RULES_KERNEL_BEHAVIOUR_H
#define IA_RULES_KERNEL_BEHAVIOUR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tri.h"
#include "kernel_behaviours.gen.h"   /* IA_KB_ROWS(X), generated from the CSV (build directory) */

/** One behaviour: IA_KB_<ID upper-cased> for each CSV row, in row order. */
enum ia_kb {
#define IA_KB_ENUM(e, id, first, stable, commit, function, change) IA_KB_##e,
	IA_KB_ROWS(IA_KB_ENUM)
#undef IA_KB_ENUM
	IA_KB_COUNT
};

/** A row of the table, as the CSV has it. */
struct ia_kb_row {
	const char *id;        /* "dma_ownership" */
	const char *first;     /* first upstream release "X.Y"; "A.B..X.Y": not in A.B and before, in X.Y and
				* after, unknown between; "A.B..?": not in A.B and before, unknown after;
				* "-": in no upstream release */
	const char *stable;    /* stable backports, space-separated: "X.Y.Z" (from X.Y.Z on that line),
				* "X.Y.Z..W" (unknown from Z, present from W), "X.Y.Z..?" (unknown from Z),
				* "X.Y.Z-L" (from Z to L; L + 1 reverted it or took a fix that undid it);
				* below Z absent. "" for none */
	const char *commit;    /* the commit or series */
	const char *function;  /* the kernel function(s) that decide */
	const char *change;    /* what changes, and what the kernel did before */
};

/** The audited kernel's identity as the table needs it (struct ia_audit's host fields). */
struct ia_kernel_id {
	bool has_version; int major, minor;   /* upstream X.Y */
	bool has_stable; int stable;          /* upstream stable level Z; unknown when false */
	bool backports;                       /* a distribution kernel that backports onto X.Y (RHEL-like,
					       * SLE): a behaviour newer than X.Y is unknown, never absent */
};

/** ia_kb_rows[IA_KB_COUNT]: the table, indexed by enum ia_kb. */
extern const struct ia_kb_row ia_kb_rows[];

/**
 * ia_kb_has() - whether the kernel @k has behaviour @id.
 * @k: the audited kernel; NULL or !has_version gives IA_UNKNOWN.
 * @id: a row; out of range gives IA_UNKNOWN.
 *
 * IA_YES when X.Y is at or after the row's first release (a backporting kernel keeps what its base
 * has); else, on a stable line the row names, by the stable level (IA_UNKNOWN when the level is not
 * known or falls in the row's uncertain span, or inside a window on a backporting kernel, which
 * may carry the fix too; IA_NO outside a window); else IA_UNKNOWN for a
 * release between the row's known-absent and first release, or for a backporting kernel (but a
 * row in no upstream release, stable lines only, is IA_NO for a backporting kernel on a line it
 * does not name: the backport would have to come from one of those lines); else IA_NO.
 * A -rcN pre-release is taken as its X.Y (ia_kver_decode() gives X.Y and stable 0).
 * Return: IA_YES, IA_NO or IA_UNKNOWN.
 */
enum ia_tri ia_kb_has(const struct ia_kernel_id *k, enum ia_kb id);

/**
 * ia_kb_check_fields() - whether a row's @first and @stable columns parse (the formats of struct
 * ia_kb_row: a window "X.Y.Z-L" needs L >= Z and takes no "..").
 * Return: 0; -EINVAL when either is malformed or NULL.
 */
int ia_kb_check_fields(const char *first, const char *stable);

/**
 * ia_kb_check_row() - whether row @i of the table parses (first and every stable entry).
 * @i: a row index below IA_KB_COUNT.
 * Return: 0; -EINVAL for a malformed field or @i out of range.
 */
int ia_kb_check_row(size_t i);

/**
 * ia_kb_stable_line() - row @id's entry for the stable line @major.@minor.
 * @from: receives Z (the first stable level that may have it); @sure: receives W (the first that
 *	surely has it; Z for a plain "X.Y.Z"; -1 for "X.Y.Z..?"); @last: receives L of a window
 *	"X.Y.Z-L" (the last level that has it), -1 for none; may be NULL.
 * Return: 0; -ENOENT when the row names no such line (or @id is out of range).
 */
int ia_kb_stable_line(enum ia_kb id, int major, int minor, int *from, int *sure, int *last);

/**
 * ia_kb_releases() - the releases row @id holds for, in words: "dma_ownership: Linux 5.19 and
 * later", "noiommu_cdev: Linux 7.3 and later", "A.B..X.Y" as "not in A.B or before, in X.Y and later
 * (between: unknown)", "sva_x86_disabled: in no upstream release; stable 5.10 at a level not
 * confirmed (none up to 5.10.253), 5.15.200, ..., 6.18.4 to 6.18.6 (not 6.18.7 and later)".
 * @buf, @cap: receive the text (truncated to @cap - 1 bytes).
 * Return: @buf ("?" for an id out of range).
 */
char *ia_kb_releases(enum ia_kb id, char *buf, size_t cap);

/**
 * ia_kb_id() - the CSV id of row @id ("dma_ownership"), for a report line that follows the row;
 *	"?" for an id out of range.
 * Return: a static string (never NULL).
 */
const char *ia_kb_id(enum ia_kb id);

#endif
