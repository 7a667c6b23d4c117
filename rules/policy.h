/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Policy files (--policy): re-level or disable rules, waive findings, require outcomes (docs/policy.md). */
#ifndef IA_POLICY_H
#define IA_POLICY_H

#include <stddef.h>
#include <time.h>

#include "model/audit.h"
#include "rules/result.h"

/* The only policy format version this build reads (the file's "policy" key). */
#define IA_POLICY_VERSION "iommu-audit-policy/1"
/* Upper bound on a policy file's size; a larger file is -IA_E_TOOBIG. */
#define IA_POLICY_MAX_BYTES (1u << 20)

/** A parsed policy; opaque, release with ia_policy_free(). */
struct ia_policy;

/**
 * ia_policy_parse() - parse a policy from a buffer (UTF-8 JSON, docs/policy.md).
 * @buf, @len: the bytes (need not be NUL-terminated; embedded NULs are a syntax error).
 * @out:       receives the policy; untouched on failure.
 * @err:       receives one line naming what is wrong: "line L, column C: ..." for JSON syntax
 *             (jansson's json_error_t), "$.path: ..." for a key, type or value the format does not
 *             allow. @errlen may be 0.
 *
 * Strict: an unknown key, an unknown rule id (ia_rules[] plus "collect.unreadable" and
 * "rule.not-evaluated"), a level other than error/warning/info, a date that is not a real
 * YYYY-MM-DD day, a PCI address not in the form DDDD:BB:DD.F, a wrong type, a duplicate key, a
 * duplicate waiver (same rule and subject) or requirement: each is an error, never ignored.
 * Return: 0; -IA_E_FORMAT (message in @err); -IA_E_TOOBIG for @len > IA_POLICY_MAX_BYTES;
 * -EINVAL for NULL @buf or @out; -ENOMEM.
 */
int ia_policy_parse(const char *buf, size_t len, struct ia_policy **out, char *err, size_t errlen);

/**
 * ia_policy_load() - read and parse the policy file @path (ia_policy_parse() on its bytes).
 * @err: as for ia_policy_parse(), prefixed with "@path: ".
 * Return: 0; -errno when the file cannot be read; -IA_E_TOOBIG; -IA_E_FORMAT; -ENOMEM.
 */
int ia_policy_load(const char *path, struct ia_policy **out, char *err, size_t errlen);

/** ia_policy_free() - release a policy (accepts NULL). */
void ia_policy_free(struct ia_policy *p);

/** ia_policy_rule_disabled() - whether @p disables rule @id (false for a NULL @p). */
bool ia_policy_rule_disabled(const struct ia_policy *p, const char *id);

/** ia_policy_rule_level() - the level @p gives rule @id into *@level; false (untouched) when none. */
bool ia_policy_rule_level(const struct ia_policy *p, const char *id, enum ia_level *level);

/*
 * Applying a policy is the engine's job (rules/engine.c ia_rules_run(), docs/policy.md "The steps
 * run in this order"): (1) ia_policy_apply_rules(), (2) ia_policy_apply_waivers(), then the
 * engine composes the group verdicts (a blocker of a rule re-levelled below error, or whose finding
 * is waived, becomes a note; a disabled rule's contributions are dropped), then
 * (3) ia_policy_apply_requirements().
 */

/**
 * ia_policy_apply_rules() - step 1 on the findings of @r: findings of disabled rules (and the
 * "rule.not-evaluated" finding about a disabled rule) are removed, and each disabled rule is
 * listed in r->not_evaluated with a "rule.not-evaluated" info finding; re-levelled rules' findings
 * take the new level (relevelled set). The finding links of the pending contributions and of
 * r->irq_finding follow the findings that remain (IA_NO_FINDING for a removed one).
 * Return: 0, -EINVAL for NULL pointers, -ENOMEM.
 */
int ia_policy_apply_rules(const struct ia_policy *p, struct ia_result *r);

/**
 * ia_policy_apply_waivers() - step 2: a finding whose rule and subject match a waiver that has not
 * expired on the UTC day of @now is marked waived (waiver_reason, waiver_expires): it stays in
 * every report, no longer counts for --fail-on, and the blockers linked to it no longer block. An
 * expired waiver waives nothing and adds a warning "policy.waiver-expired"; a waiver matching no
 * finding adds an info "policy.waiver-unused".
 * Return: 0, -EINVAL for NULL pointers, -ENOMEM.
 */
int ia_policy_apply_waivers(const struct ia_policy *p, struct ia_result *r, time_t now);

/**
 * ia_policy_apply_requirements() - step 3, after the group verdicts are composed: each requirement
 * not met, including one whose outcome is unknown (fail closed), adds an error
 * "policy.requirement-unmet" naming the requirement and the evidence (max_level last, counting
 * what the others and the waivers left).
 * @a: the audit's facts (devices, groups); @r: its result.
 * Return: 0, -EINVAL for NULL pointers, -ENOMEM.
 */
int ia_policy_apply_requirements(const struct ia_policy *p, const struct ia_audit *a, struct ia_result *r);

/**
 * ia_policy_apply() - steps 1, 2 and 3 on a result whose group verdicts are already set (tests and
 * tools that compose nothing); ia_rules_run() runs the steps with the composition between them.
 * Return: 0, -EINVAL for NULL pointers, -ENOMEM.
 */
int ia_policy_apply(const struct ia_policy *p, const struct ia_audit *a, struct ia_result *r, time_t today);

/**
 * ia_policy_bdf_ok() - true when @s is a PCI address as the kernel names it (pci_name():
 * "DDDD:BB:DD.F", lowercase hex, a domain of 4 to 8 digits as Intel VMD's "10000:e0:06.0";
 * ia_bdf_parse() with IA_BDF_CANONICAL).
 */
bool ia_policy_bdf_ok(const char *s);

#endif
