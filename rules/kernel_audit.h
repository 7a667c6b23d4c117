/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The behaviour table read with the audited kernel (struct ia_audit's host facts): what rules,
 * the engine and plan call instead of comparing releases. */
#ifndef IA_RULES_KERNEL_AUDIT_H
#define IA_RULES_KERNEL_AUDIT_H

#include "model/audit.h"
#include "rules/kernel_behaviour.h"

/**
 * ia_kernel_id_of() - the table's view of @a's kernel: version, stable level, backports.
 * @a: the audit (its host facts from ia_audit_load(), or set by a test's builder).
 * Return: the identity (has_version false when the release was unreadable).
 */
static inline struct ia_kernel_id ia_kernel_id_of(const struct ia_audit *a)
{
	return (struct ia_kernel_id){
		.has_version = a->has_kernel_version, .major = a->kernel_major, .minor = a->kernel_minor,
		.has_stable = a->has_kernel_patch, .stable = a->kernel_patch, .backports = a->kernel_backports,
	};
}

/**
 * ia_kernel_has() - ia_kb_has() for the kernel @a audits.
 * Return: IA_YES, IA_NO or IA_UNKNOWN (release, stable level or backports not telling).
 */
static inline enum ia_tri ia_kernel_has(const struct ia_audit *a, enum ia_kb id)
{
	struct ia_kernel_id k = ia_kernel_id_of(a);
	return ia_kb_has(&k, id);
}

/**
 * ia_kernel_unknown_why() - why ia_kernel_has() may answer IA_UNKNOWN for @a's kernel, as words
 * for a report: "the kernel release is not known", "this kernel's distribution backports changes
 * onto its base release" or "this kernel's stable level is not known".
 * Return: a static string.
 */
static inline const char *ia_kernel_unknown_why(const struct ia_audit *a)
{
	return !a->has_kernel_version ? "the kernel release is not known" :
	       a->kernel_backports ? "this kernel's distribution backports changes onto its base release" :
				     "this kernel's stable level is not known";
}

#endif
