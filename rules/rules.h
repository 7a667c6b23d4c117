/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule engine: each rule is one file with its id, level, summary, advice, references and logic. */
#ifndef IA_RULES_H
#define IA_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <errno.h>
#include <time.h>

#include "decode/cmdline.h"   /* ia_kstrtobool() for parameter values */
#include "model/audit.h"
#include "rules/result.h"
#include "rules/topology.h"

struct ia_policy;

/**
 * What a rule gives and needs (dtc's checks with prerequisites are the model). A rule runs after
 * every rule that gives what it needs; when none of them was evaluated, it is not evaluated either,
 * with the first missing prerequisite's reason. IA_GIVES_TOPOLOGY is the engine's own.
 */
enum ia_product {
	IA_GIVES_TOPOLOGY  = 1u << 0,  /* engine: topology model, predicted groups, isolation domains */
	IA_GIVES_OWNERSHIP = 1u << 1,  /* per group: dma_ownership_viable and its blockers */
	IA_GIVES_IRQ       = 1u << 2,  /* host: interrupt isolation (a host-wide blocker when not isolated) */
	IA_GIVES_ISOLATION = 1u << 3,  /* per group: isolation_unknown and isolation-domain blockers */
	IA_GIVES_DIRECT    = 1u << 4,  /* per group: firmware 1:1 region blockers and notes */
	IA_GIVES_NOIOMMU   = 1u << 5,  /* host: no-IOMMU state; per group: no-IOMMU blockers */
	IA_GIVES_SVA       = 1u << 6,  /* per group member: SVA viability */
	IA_GIVES_ENDPOINT  = 1u << 7,  /* per group: whether it holds a function vfio-pci binds */
	IA_GIVES_COHERENCY = 1u << 8,  /* per group: cache-coherency blockers */
};

/** What every rule reads: the audit's facts (all in the model: ia_audit_load(), or a test's
 * builder; rules run no SQL) and the group model; and where it writes: the engine-owned result. */
struct ia_eval {
	const struct ia_audit *a;
	struct ia_result *res;              /* findings, contributions, verdicts (engine-owned) */
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
	unsigned gives;          /* enum ia_product bits this rule provides */
	unsigned needs;          /* enum ia_product bits it cannot be evaluated without */
	/* Its blockers state what the kernel itself refuses (a group whose DMA a kernel driver owns,
	 * vfio-pci's refusal to bind): a policy that re-levels the rule or waives a finding takes
	 * the finding out of --fail-on, but the blocker stands, since the kernel still refuses and
	 * "assignable" would be false. Other blockers are the tool's safety judgement, which a
	 * policy may accept (they become notes saying why). */
	bool kernel_enforced;
	/* The rows of the kernel behaviour table (rules/data/kernel_behaviours.csv) its decision
	 * changes with: `iommu-audit rules` and iommu-audit-rules(7) name their releases. */
	const enum ia_kb *kernel; size_t n_kernel;
};

extern const struct ia_rule *const ia_rules[];
extern const size_t ia_n_rules;

/**
 * ia_rules_order() - the evaluation order of @rules from their declarations: a stable topological
 * order (a rule stays in table position unless a prerequisite comes later).
 * @rules, @n: the rule table; @order: receives @n indexes into @rules.
 * @err/@errlen: one line naming the rule and the need ("R needs X, which no rule gives", "rules
 * form a cycle: R, S").
 * Return: 0; -EINVAL for a need no rule (nor the engine) gives, or a cycle.
 */
int ia_rules_order(const struct ia_rule *const *rules, size_t n, size_t *order, char *err, size_t errlen);

/** Options of one evaluation. */
struct ia_run_opts {
	const struct ia_policy *policy;   /* NULL: none */
	time_t today;                     /* now, for waiver expiry (UTC day) */
	enum ia_fail_on fail_on;          /* the host verdict's threshold (ia_result_decide()) */
	bool vfio_path_named;             /* --vfio-path given: the group verdicts are for vfio_path */
	enum ia_vfio_path vfio_path;      /* else the container, or iommufd where the kernel has no container */
};

/**
 * ia_rules_run() - evaluate the audit @a: turn collection errors into "collect.unreadable"
 * findings, build the topology model from the audit's devices, predict the kernel's groups,
 * evaluate every rule in declared order (ia_rules_order()), apply the policy (disabled rules give
 * no finding and no blocker; a blocker of a rule re-levelled below error, or whose finding is
 * waived, becomes a note), compose each group's verdict (kernel-rules.md §11), check the
 * policy's requirements, and decide the host verdict (ia_result_decide()).
 * @a: the facts, all in the model (ia_audit_load(), or a test's in-memory builder; no database is
 *     read); read only, except the published prediction and isolation domains.
 * @res: zeroed by the caller; filled; release with ia_result_free() even on failure.
 * @o: NULL for no policy and --fail-on error.
 * Return: 0; -ENOMEM; -EINVAL when the rule table's declarations are inconsistent.
 */
int ia_rules_run(struct ia_audit *a, const struct ia_run_opts *o, struct ia_result *res);

/** ia_rule_finding() - add a finding of rule @r (its advice by default when @advice is NULL). 0 or -ENOMEM. */
int ia_rule_finding(struct ia_eval *ev, const struct ia_rule *r, enum ia_level level,
		    const char *subject, const char *advice, const char *evidence, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/** ia_rule_last_finding() - the index of the finding added last (after a successful ia_rule_finding()). */
static inline size_t ia_rule_last_finding(const struct ia_eval *ev)
{
	return ev->res->n_findings ? ev->res->n_findings - 1 : IA_NO_FINDING;
}

/**
 * ia_rule_block() - rule @r blocks userspace assignment of kernel group @group (index into
 * a->groups) because of member @bdf (NULL: the whole group); @finding links the finding that
 * explains it (IA_NO_FINDING, or set later with ia_rule_link()).
 * Return: 0 or -ENOMEM.
 */
int ia_rule_block(struct ia_eval *ev, const struct ia_rule *r, size_t group, const char *bdf, const char *reason,
		  size_t finding);

/** ia_rule_except() - an exception of kind @kind for member @bdf of group @group. 0 or -ENOMEM. */
int ia_rule_except(struct ia_eval *ev, const struct ia_rule *r, size_t group, const char *bdf, const char *kind,
		   const char *reason);

/**
 * ia_rule_link() - link the blockers rule @r gave group @group, from index @from of its pending
 * contributions on, that have no finding yet, to @finding (a rule that writes the finding last).
 */
void ia_rule_link(struct ia_eval *ev, const struct ia_rule *r, size_t group, size_t from, size_t finding);

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
 * ia_eval_cmdline_token_prefix() - whether any comma-separated option of any occurrence of @key
 * starts with @prefix ("disable_acs_redir=" among the options of pci=).
 * Return: 1 yes; 0 no; -1 unknown (proc/cmdline unreadable).
 */
int ia_eval_cmdline_token_prefix(const struct ia_eval *ev, const char *key, const char *prefix);

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
const struct ia_dev *ia_eval_dev_of_fn(const struct ia_eval *ev, size_t fn);

#endif
