/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Build a struct ia_audit in memory, without SQLite or a capture, for rule unit tests; read the rules' outputs. */
#ifndef IA_TEST_MODEL_BUILD_H
#define IA_TEST_MODEL_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/audit.h"
#include "model/firmware_model.h"
#include "model/kernel_model.h"
#include "rules/rules.h"

/*
 * Building. Every function aborts the test (cmocka fail) on allocation failure; strings are
 * copied. Pointers returned stay valid until the next call that adds an element of the same kind
 * and until mb_finish() (which sorts). All memory is released by mb_free() (ia_audit_free()).
 */

/**
 * mb_new() - an empty audit: Linux 6.12.0 on x86_64, proc/cmdline read and empty, no kernel
 * configuration, empty firmware and kernel facts, sys/kernel/iommu_groups present, every
 * platform verdict unknown (as ia_audit_load() leaves them).
 */
struct ia_audit *mb_new(void);

/** mb_free() - release the audit and its result (accepts NULL). */
void mb_free(struct ia_audit *a);

/**
 * mb_run() - evaluate the audit (ia_rules_run() with @o, NULL for no policy) into the result kept
 * with it (mb_result(); a previous result is released first). Return: ia_rules_run()'s.
 */
int mb_run(struct ia_audit *a, const struct ia_run_opts *o);

/** mb_result() - the engine's result for an audit from mb_new(), which the readers below read. */
struct ia_result *mb_result(const struct ia_audit *a);

/**
 * mb_dev() - add a PCI endpoint @bdf ("DDDD:BB:DD.F") whose upstream bridge is @parent (NULL on a
 * root bus): vendor 0xabcd (no quirk matches it), class 0x020000, header type 0, single-function,
 * PCIe (an RCiEP on a root bus, else an endpoint), no ACS/ATS/PRI/PASID/SR-IOV capability, whole
 * 4 KiB config space read, one memory BAR, unbound (driver link read). Change fields as needed.
 */
struct ia_dev *mb_dev(struct ia_audit *a, const char *bdf, const char *parent);

/**
 * mb_root_port() - add a PCIe Root Port @bdf on a root bus (header type 1, secondary =
 * subordinate = @secondary); with @acs, an ACS capability with SV, RR, CR, UF enabled.
 */
struct ia_dev *mb_root_port(struct ia_audit *a, const char *bdf, uint8_t secondary, bool acs);

/**
 * mb_group() - add kernel IOMMU group @id of @type ("DMA", "identity"; NULL unreadable) with the
 * members named in the NULL-terminated list (PCI functions added before get has_group/group);
 * members and reserved regions read, none direct.
 */
struct ia_group *mb_group(struct ia_audit *a, int id, const char *type, ...);

/** mb_unit() - add an IOMMU unit under sys/class/iommu (@kind "vt-d", "amd-vi", "smmu-v3", ...). */
struct ia_unit *mb_unit(struct ia_audit *a, const char *name, const char *kind);

/** mb_cmdline() - set proc/cmdline to @cmdline (NULL: unreadable) and its parameters, split as the collector splits them. */
void mb_cmdline(struct ia_audit *a, const char *cmdline);

/** mb_kconfig() - the kernel configuration was read; add @option = @value (NULL: only mark it read). */
void mb_kconfig(struct ia_audit *a, const char *option, const char *value);

/** mb_module_param() - sys/module/@module/parameters/@name holds @value (NULL: unreadable); also sys/module/@module. */
void mb_module_param(struct ia_audit *a, const char *module, const char *name, const char *value);

/** mb_forget_module() - sys/module/@module and its parameters gone (mb_new() gives vfio_iommu_type1). */
void mb_forget_module(struct ia_audit *a, const char *module);

/** mb_loaded_module() - proc/modules lists module @name. */
void mb_loaded_module(struct ia_audit *a, const char *name);

/** mb_vfio_noiommu() - dev/vfio/noiommu-@id exists. */
void mb_vfio_noiommu(struct ia_audit *a, int id);

/** mb_irq() - a proc/interrupts line: @chip, its isolating @parent ("IR", "ITS", NULL), the function its MSI names (or NULL). */
void mb_irq(struct ia_audit *a, const char *chip, const char *parent, const char *msi_bdf);

/** mb_fw_unit() - a firmware IOMMU unit (@source "IORT", "DT", "DMAR"; @kind "smmu-v3", "vt-d"); its index. */
size_t mb_fw_unit(struct ia_audit *a, const char *source, const char *kind, const char *name);

/** mb_fw_unit_dev() - firmware unit @unit translates function @bdf. */
void mb_fw_unit_dev(struct ia_audit *a, size_t unit, const char *bdf);

/** mb_fw_msi() - an MSI controller (@kind "gic-v3-its", "gic-v2m") with @isolating, as the IORT
 * names it; its index. mb_fw_msi_from(): as @source ("MADT", "DT", "IORT") names it. */
size_t mb_fw_msi(struct ia_audit *a, const char *kind, enum ia_tri isolating);
size_t mb_fw_msi_from(struct ia_audit *a, const char *kind, enum ia_tri isolating, const char *source);

/** mb_fw_msi_route() - function @bdf's MSIs reach controller @controller per firmware. */
void mb_fw_msi_route(struct ia_audit *a, const char *bdf, size_t controller);

/**
 * mb_fw_region() - a firmware 1:1 region (@kind "RMRR", "IVMD", "RMR") of [@base, @end] that Linux
 * applies, naming the collected function @bdf; its index.
 */
size_t mb_fw_region(struct ia_audit *a, const char *kind, uint64_t base, uint64_t end, const char *bdf);

/** mb_fw_table() - ACPI table @sig ("DMAR", "IVRS") was read. */
void mb_fw_table(struct ia_audit *a, const char *sig);

/**
 * mb_finish() - make the audit what ia_audit_load() would give: functions sorted by BDF, groups
 * by id, each group's members sorted, the (function, unit) pairs and MSI routes by BDF, kernel
 * options by name, n_iommu_groups counted, the command line applied to the firmware's interrupt
 * remapping (ia_firmware_apply_cmdline()). Call once, before ia_rules_run().
 */
void mb_finish(struct ia_audit *a);

/*
 * Reading what the rules concluded: every assertion of the rule unit tests goes through these,
 * so a change in where rules put their results is one edit here.
 */

/** mb_find_finding() - the first finding of @rule about @subject (NULL: any subject), or NULL. */
const struct ia_finding *mb_find_finding(const struct ia_audit *a, const char *rule, const char *subject);

/** mb_count_findings() - how many findings @rule gave (any subject, any level). */
size_t mb_count_findings(const struct ia_audit *a, const char *rule);

/** mb_not_evaluated() - @rule reported that its inputs are missing. */
bool mb_not_evaluated(const struct ia_audit *a, const char *rule);

/**
 * mb_expect_quiet() - @rule was evaluated and gave no finding (a rule that could not run gives no
 * finding either: a "quiet" test must tell the two apart). Fails the test otherwise.
 */
void mb_expect_quiet(const struct ia_audit *a, const char *rule);

/** mb_group_blocked_by() - group @gid carries a blocker from @what (a rule id). */
bool mb_group_blocked_by(const struct ia_audit *a, int gid, const char *what);

/** mb_group_excepted() - group @gid carries an exception of kind @what ("bridge", "relaxable-rmrr", ...). */
bool mb_group_excepted(const struct ia_audit *a, int gid, const char *what);

/** mb_group_verdict() - group @gid's whole verdict (userspace assignable); fails the test for an absent group. */
enum ia_tri mb_group_verdict(const struct ia_audit *a, int gid);

/** mb_group_ownership() - group @gid's DMA-ownership verdict (group.not-viable). */
enum ia_tri mb_group_ownership(const struct ia_audit *a, int gid);

/** mb_group_sva() - member @bdf of group @gid: its SVA viability (device.sva), IA_UNKNOWN when absent. */
enum ia_tri mb_group_sva(const struct ia_audit *a, int gid, const char *bdf);

/** mb_irq_isolated() - the host's MSI isolation verdict (platform.msi-not-isolated). */
enum ia_tri mb_irq_isolated(const struct ia_audit *a);

/** mb_noiommu_state() - the host's VFIO no-IOMMU state (host.noiommu), or NULL before evaluation. */
const char *mb_noiommu_state(const struct ia_audit *a);

#endif
