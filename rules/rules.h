/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule engine: each rule is one file with its id, level, summary, advice, references and logic. */
#ifndef IA_RULES_H
#define IA_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <errno.h>

#include "decode/cmdline.h"   /* ia_kstrtobool() for parameter values */
#include "model/audit.h"
#include "rules/topology.h"

/** What every rule reads: the audit (the model's facts, and the findings), and the group model.
 * The facts are all in the model (ia_audit_load(), or a test's builder): rules run no SQL. */
struct ia_eval {
	struct ia_audit *a;
	struct ia_topo_model *model;        /* NULL when the topology could not be built */
	struct ia_topo_groups *pred;        /* the predicted groups (NULL with model) */
	struct ia_topo_domains *domains;    /* isolation domains (NULL with model) */
	char *model_error;                  /* why the model is NULL */
	size_t *kgroup_of_fn;               /* per model function: index into a->groups, or SIZE_MAX */
	bool acs_override;                  /* pcie_acs_override= on the command line */
	char *acs_override_value;
};

/** One rule. Descriptors are constant; all state is in struct ia_eval. */
struct ia_rule {
	const char *id;          /* stable id, e.g. "group.not-viable" */
	enum ia_level level;     /* the level of its findings (a rule may use a lower one per case) */
	const char *summary;     /* one line */
	const char *advice;      /* what to do about a finding */
	const char *refs;        /* kernel function or spec section it mirrors */
	/* Evaluate; return 0, or -ENODATA with *why set (static or malloc'd into ev) when the rule
	 * cannot be evaluated because its inputs are missing. */
	int (*eval)(struct ia_eval *ev, const struct ia_rule *self, const char **why);
};

extern const struct ia_rule *const ia_rules[];
extern const size_t ia_n_rules;

/**
 * ia_rules_run() - build the topology model from the audit's devices, predict the kernel's groups,
 * then evaluate every rule in table order. Every fact comes from the model in @a (ia_audit_load(),
 * or a test's in-memory builder); no database is read. Findings, group verdicts, blockers and
 * exceptions are written into @a; rules whose inputs are missing are listed in a->not_evaluated
 * with the reason.
 * Return: 0 or -ENOMEM.
 */
int ia_rules_run(struct ia_audit *a);

/** ia_rule_finding() - add a finding of rule @r (its advice by default when @advice is NULL). */
int ia_rule_finding(struct ia_eval *ev, const struct ia_rule *r, enum ia_level level,
		    const char *subject, const char *advice, const char *evidence, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/**
 * ia_eval_cmdline() - the value of kernel parameter @key on the host's command line (the
 * model's command line, struct ia_kernel_facts.params; the last occurrence wins, as for module parameters; '-' and '_' in the name are
 * the same, as in kernel/params.c parameq()). For options whose handler runs once per occurrence
 * and takes comma-separated tokens (intel_iommu=, iommu=, amd_iommu=, pci=), use
 * ia_eval_cmdline_token() or ia_eval_cmdline_last_of().
 * @val/@cap: receives the text after the first '=' ("" for a bare flag), NUL-terminated, truncated.
 * Return: 1 present; 0 absent; -1 unknown (proc/cmdline was not readable, or no kernel facts).
 */
int ia_eval_cmdline(const struct ia_eval *ev, const char *key, char *val, size_t cap);

/**
 * ia_eval_cmdline_token() - whether any occurrence of @key has @token among its comma-separated
 * options (intel_iommu_setup(), x86 iommu_setup(), pci_setup() all run once per occurrence).
 * Return: 1 yes; 0 no; -1 unknown (proc/cmdline unreadable).
 */
int ia_eval_cmdline_token(const struct ia_eval *ev, const char *key, const char *token);

/**
 * ia_eval_cmdline_last_of() - over every occurrence of @key in command-line order, the last of the
 * mutually exclusive @tokens (NULL-terminated) that appears, e.g. { "sm_on", "sm_off" }.
 * Return: its index; -ENOENT when none appears; -1 unknown (proc/cmdline unreadable).
 */
int ia_eval_cmdline_last_of(const struct ia_eval *ev, const char *key, const char *const *tokens);

/**
 * ia_eval_kconfig() - a kernel configuration option (the model's struct ia_kernel_facts.kconfig,
 * from boot/config-<release> or proc/config.gz).
 * @option: "CONFIG_VFIO_NOIOMMU"; @val/@cap: receives "y", "m", a number or a quoted string.
 * Return: 1 set; 0 not set (the configuration was read and lacks it, i.e. "is not set"); -1 unknown
 * (no configuration was available); @val is untouched then.
 */
int ia_eval_kconfig(const struct ia_eval *ev, const char *option, char *val, size_t cap);

/** ia_eval_dev_of_fn() - the audit device behind model function @fn. */
struct ia_dev *ia_eval_dev_of_fn(struct ia_eval *ev, size_t fn);

#endif
