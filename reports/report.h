/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Renderers of an audit's facts and its engine result: text for people, JSON for fleets, JUnit for CI, NFD labels,
 * the rules page. They decide nothing: every verdict is read from struct ia_result. */
#ifndef IA_REPORT_H
#define IA_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model/audit.h"
#include "rules/result.h"

/** Options shared by the renderers. */
struct ia_report_opts {
	bool names;          /* look up vendor/device names in pci.ids (text report) */
	const char *pci_ids; /* pci.ids path, or NULL for libpci's default */
	bool color;          /* ANSI colour (only on a terminal, never with NO_COLOR) */
	bool quiet;          /* text report: only the verdict and the findings that fail it (--quiet) */
	/* Prometheus metrics: when the audit ran (seconds since 1970: SOURCE_DATE_EPOCH when set) and
	 * how long collecting and evaluating took (seconds); without has_timing both are left out */
	bool has_timing; int64_t audited_at; double duration_s;
	unsigned width;      /* text reports: wrap to this many columns; 0: ia_text_columns() of the output */
	/* no --fail-on here: the threshold, the host verdict and which findings fail are the result's
	 * (struct ia_result.verdict, ia_result_decide()) */
};

/**
 * ia_report_selection_line() - the header line of a report of the functions `-s`/`-d` selected
 * (@a->selection, src/cli/select.c): the selector, how many functions it matched of the host's,
 * what the report shows and that its verdict is that of what it shows. Text and JSON ("note").
 * Return: a malloc'd string; NULL without a selection or when out of memory.
 */
char *ia_report_selection_line(const struct ia_audit *a);

/** ia_report_rule_advice() - the advice of rule @id in the rule table (ia_rules[]), or NULL if no rule has that id. */
const char *ia_report_rule_advice(const char *id);

/**
 * ia_report_unpriv_error() - whether collection error @e is a PCI function's config space cut at
 * the size pci_read_config() (drivers/pci/pci-sysfs.c) serves a reader without CAP_SYS_ADMIN: the
 * pci collector's "only N of M config bytes readable" (-EACCES) or "config file is N bytes"
 * (-IA_E_TRUNCATED, a capture taken unprivileged) at byte 64, or 128 for a CardBus bridge.
 */
bool ia_report_unpriv_error(const struct ia_collect_error *e);

/**
 * struct ia_report_unpriv - an audit's unprivileged config reads (ia_report_unpriv_error()), for
 * the one line that stands for all of them in the text report and on stderr (issue 14 point 7).
 * @line:        "run as root to read the PCI config space past byte 64, where WHAT are (N
 *               functions)", or NULL when no function's config was cut so.
 * @n_functions: N, the functions with such an error.
 * @v, @n_errors: the errors, sorted by subject and message (private).
 */
struct ia_report_unpriv {
	char *line;
	size_t n_functions;
	const struct ia_collect_error **v;
	size_t n_errors;
};

/** ia_report_unpriv_init() - fill @u from @a's collection errors (O(n log n)). Return: 0 or -ENOMEM (@u empty). */
int ia_report_unpriv_init(struct ia_report_unpriv *u, const struct ia_audit *a);

/**
 * ia_report_unpriv_finding() - whether @f is the collect.unreadable finding of one of @u's errors
 * (rules/engine.c gives one finding per collection error, with its subject and message).
 */
bool ia_report_unpriv_finding(const struct ia_report_unpriv *u, const struct ia_finding *f);

/** ia_report_unpriv_free() - release @u (NULL-safe); it is empty after. */
void ia_report_unpriv_free(struct ia_report_unpriv *u);

/**
 * ia_report_safe_open() - a stream that writes into @out with the text reports' filter (lines
 * wrapped to ia_text_columns() of @out with hanging indents, ia_text_wrap()), the one
 * escaping of src/core/text.h (ia_text_sanitize(): C0 controls other than LF, DEL, C1 controls,
 * separators, bidi controls and malformed UTF-8 become "\xNN" or "\uNNNN"), so text quoted from an
 * audited host (driver names, firmware strings) cannot carry terminal escape sequences. For `plan` and
 * `diff` text. Return: the stream, or NULL when out of memory.
 */
FILE *ia_report_safe_open(FILE *out);

/**
 * ia_report_safe_verbatim() - lines written to @f (from ia_report_safe_open()) from now on are not
 * wrapped (@on true) or are again (@on false): for lines people copy whole, as plan's commands.
 * Return: 0; -EINVAL when @f is no stream of ia_report_safe_open().
 */
int ia_report_safe_verbatim(FILE *f, bool on);

/** ia_report_safe_close() - close a stream from ia_report_safe_open(): 0, or -EIO when a write failed. */
int ia_report_safe_close(FILE *f, FILE *out);

/**
 * ia_report_json() - write the contract's JSON report (schema "iommu-audit/1"; summary.verdict is
 * @r->verdict.fails; ../shared/docs/contract.md,
 * reports/report.schema.json) to @out, streamed by yajl's generator (yajl_gen, pretty-printed with
 * 2-space indentation) through a 64 KiB buffer, so memory does not grow with the host. Host text
 * (driver names, paths, findings that quote them) is escaped by jw_text() (reports/jsonw.h) as every
 * renderer escapes it (ia_text_sanitize(): "\xNN" for a byte that is not UTF-8 and for a C0
 * control, "\uNNNN" for C1 controls and separators).
 * host carries the audited host's identity (hostname, machine_id, dmi {present, sys_vendor, ...,
 * bios_date}, cpu_model: @a->identity, null where unknown) and audited_at (this run's time, RFC 3339
 * UTC); each devices[] entry its pci.ids vendor_name, device_name and class_name (null with
 * @o->names false or no pci.ids entry; @o->pci_ids, else libpci's default file) and revision.
 * @a: the audit's facts; @r: its result (ia_rules_run()); @o: options, or NULL; @out: an open stream.
 * Return: 0; -ENOMEM; -EIO when writing failed (errno is then the failed write's, e.g. ENOSPC) or
 * when yajl refused a call. On failure part of the report may already have been written.
 */
int ia_report_json(const struct ia_audit *a, const struct ia_result *r, const struct ia_report_opts *o, FILE *out);

/**
 * ia_report_text() - the report for people, read top-down: the host verdict (@r->verdict) and what
 * fails it (each with its fix; the root cause first: no IOMMU, then MSI isolation, then other
 * host-wide findings, then the groups' and functions' own, with one line saying why), then every group with its verdict first and its blockers with the
 * fix (the advice of the finding each blocker links, else its rule's), then platform details and
 * the remaining findings. ANSI colour only when @o->color. With @o->quiet only the verdict line and
 * the findings that fail it, each with its fix (virt-host-validate -q).
 * Return: 0 or -EIO.
 */
int ia_report_text(const struct ia_audit *a, const struct ia_result *r, const struct ia_report_opts *o, FILE *out);

/** Which groups `iommu-audit groups` lists. */
enum ia_groups_view {
	IA_GROUPS_KERNEL,        /* sys/kernel/iommu_groups */
	IA_GROUPS_PREDICTED,     /* --predicted: pci_device_group() on the current state */
	IA_GROUPS_WHEN_ENABLED,  /* --predicted --when-enabled: once the IOMMU is on (r->when_enabled) */
};

/**
 * ia_report_when_enabled_headline() - the first line of `groups --when-enabled` (text and JSON
 * "note"): what turning the IOMMU on gives, unknown when the firmware was not read or the topology
 * could not be modelled. Return: a malloc'd string; NULL when out of memory.
 */
char *ia_report_when_enabled_headline(const struct ia_audit *a, const struct ia_result *r);

/**
 * ia_report_groups() - `iommu-audit groups`: the kernel's groups, the predicted ones, or those
 * once the IOMMU is on (@r's when_enabled), one line per device under each group's line.
 * Return: 0 or -EIO (a write failed), -ENOMEM.
 */
int ia_report_groups(const struct ia_audit *a, const struct ia_result *r, const struct ia_report_opts *o,
		     enum ia_groups_view view, FILE *out);

/**
 * ia_report_groups_json() - `iommu-audit groups --format json` (schema "iommu-audit-groups/1",
 * reports/groups.schema.json): the groups of @view as ia_report_groups() lists them, through the
 * JSON writer (reports/jsonw.h). Per group: id (the kernel's group number, or the prediction's
 * index as the text numbers it), kind ("iommu", "noiommu", "predicted"), basis, uncertain,
 * bindable (groups once the IOMMU is on only, else null) and its functions (bdf, vendor, device,
 * class, driver; null where the facts lack them); "note" is the text's explanatory line or null;
 * "refused_functions" the BDFs arm-smmu-v3 would refuse (@view IA_GROUPS_WHEN_ENABLED).
 * Return: 0; -ENOMEM; -EIO when writing failed (errno is the failed write's).
 */
int ia_report_groups_json(const struct ia_audit *a, const struct ia_result *r, enum ia_groups_view view, FILE *out);

/**
 * ia_report_junit() - JUnit XML (the Ant/Jenkins "junit-10" layout, tests/schemas/junit-10.xsd):
 * <testsuites> holding one <testsuite> per rule id (the rule table's order, then other finding
 * rule ids such as "collect.unreadable" in order of appearance) and one <testcase> per rule and
 * subject; each <testsuite> begins with <properties>: the audited host's identity (hostname,
 * machine_id, dmi.<attribute>, cpu_model, arch, kernel) and audited_at, those that are known. A testcase fails (<failure type=LEVEL>) when a finding of it fails under
 * @r->verdict.fail_on (ia_finding_fails()); findings below the threshold and waived findings pass with
 * the message (and the waiver) in <system-out>; a rule evaluated with nothing found passes as
 * subject "host"; a rule not evaluated (a->not_evaluated) is <skipped message="why">.
 * Strings are escaped by libxml2's xmlwriter after the one escaping of host text (ia_text_sanitize():
 * controls, U+FFFE/U+FFFF and malformed UTF-8 become visible "\xNN"/"\uNNNN"), so the XML is
 * well-formed. libxml2 is loaded on first use (reports/xml_lib.h).
 * Return: 0; -ENOMEM; -EIO when writing failed; -ENOENT when libxml2 cannot be loaded (nothing written).
 */
int ia_report_junit(const struct ia_audit *a, const struct ia_result *r, const struct ia_report_opts *o, FILE *out);

/**
 * ia_report_nfd() - a node-feature-discovery local-source feature file (features.d), one
 * "iommu-audit.io/NAME=VALUE" line per label, each name and value a valid Kubernetes label
 * (at most 63 characters of [A-Za-z0-9._-], alphanumeric at both ends):
 *   iommu-active=true|false (unknown for dumps analysed alone), interrupt-isolation=isolated|not_isolated|unknown,
 *   noiommu=available|enabled|unavailable|unknown, groups=N, assignable-groups=N,
 *   verdict=pass|fail (@r->verdict.fails), and per PCI vendor:device of the functions vfio-pci
 *   could bind (header type 0, as vfio_pci_probe() requires) assignable-VVVV-DDDD=true when every
 *   such function is in a group whose userspace_assignable is true, false when one is known not
 *   to be (or is in no group), unknown otherwise. With @o->has_timing the file begins with NFD's
 *   "# +expiry-time=YYYY-MM-DDTHH:MM:SSZ" directive, two days after @o->audited_at, so a host
 *   whose audits stopped loses its labels.
 * Return: 0; -ENOMEM; -EIO when writing failed.
 */
int ia_report_nfd(const struct ia_audit *a, const struct ia_result *r, const struct ia_report_opts *o, FILE *out);

/**
 * ia_report_prometheus() - the audit as Prometheus metrics in the text exposition format (0.0.4)
 * that node_exporter's textfile collector reads (a "*.prom" file in its directory): per family
 * "# HELP" and "# TYPE ... gauge", no timestamps, names by prometheus.io's naming guide:
 *   iommu_audit_info{version,kernel} 1; iommu_audit_verdict{verdict="pass"|"fail"},
 *   iommu_audit_interrupt_isolation{state="isolated"|"not_isolated"|"unknown"},
 *   iommu_audit_noiommu{state="available"|"enabled"|"unavailable"|"unknown"} (state sets: the
 *   current one 1, the others 0); iommu_audit_iommu_active 0|1; iommu_audit_groups,
 *   iommu_audit_assignable_groups; iommu_audit_group_assignable{group,bdf} 1|0|NaN (unknown) for
 *   the first 1024 groups (its first function's BDF), iommu_audit_group_series_omitted the rest;
 *   iommu_audit_findings{rule,level} (unwaived; 0 for a catalogue rule with none),
 *   iommu_audit_waived_findings, iommu_audit_rules_not_evaluated; with @o->has_timing
 *   iommu_audit_last_audit_timestamp_seconds and iommu_audit_duration_seconds. Label values are
 *   made valid UTF-8 (U+FFFD) and escaped (\\, \", \n). Every series' cardinality is bounded by the
 *   rule catalogue, the three levels or the group cap.
 * Return: 0; -ENOMEM; -EIO when writing failed.
 */
int ia_report_prometheus(const struct ia_audit *a, const struct ia_result *r, const struct ia_report_opts *o,
			 FILE *out);

/**
 * ia_report_rules_man() - the iommu-audit-rules(7) manual page in roff, generated from the rule
 * table (ia_rules[]: id, level, summary, advice, source), dated @date ("YYYY-MM-DD").
 * Return: 0 or -EIO.
 */
int ia_report_rules_man(const char *date, FILE *out);

/**
 * ia_report_rules_json() - the machine-readable rule catalogue (schema "iommu-audit-rules/1",
 * reports/rules.schema.json): per rule of ia_rules[], in table order, its id, level, summary,
 * advice, refs (kernel function or spec section) and kernel_enforced (struct ia_rule).
 * Return: 0; -ENOMEM; -EIO when writing failed (errno is the failed write's).
 */
int ia_report_rules_json(FILE *out);

#endif
