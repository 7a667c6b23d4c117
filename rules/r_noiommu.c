// SPDX-License-Identifier: GPL-2.0-or-later
// Rule host.noiommu: VFIO no-IOMMU mode: compiled in, enabled, groups in use, and what it costs.
// Mirrors drivers/vfio/group.c vfio_group_find_or_alloc() / vfio_noiommu_group_alloc() and the
// enable_unsafe_noiommu_mode parameter of drivers/vfio/vfio_main.c (Linux 6.12); kernel-rules.md §6.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kernel_model.h"
#include "rules/rules.h"

#define TAINT_USER_BIT 6 /* 'U', set by vfio_noiommu_group_alloc() */

static const char *const noiommu_cost =
	"no-IOMMU mode gives no isolation at all: a device bound to vfio-pci DMAs to any physical address, "
	"userspace must use physical addresses and needs CAP_SYS_RAWIO, no VM can use it, and the kernel "
	"is tainted ('U')";

static int noiommu_push(struct ia_result *a, int id)
{
	int *nv = realloc(a->noiommu_groups, (a->n_noiommu_groups + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	a->noiommu_groups = nv;
	nv[a->n_noiommu_groups++] = id;
	return 0;
}

static int noiommu_cmp_int(const void *x, const void *y)
{
	int p = *(const int *)x, q = *(const int *)y;

	return (p > q) - (q > p);
}

/* The no-IOMMU groups: those ia_audit_load() marked (struct ia_group.noiommu: a /dev/vfio/noiommu-N
 * node, or the vfio-noiommu name on a PCI function's group, §6 "Trap"), and /dev/vfio/noiommu-N
 * nodes whose group directory was not captured. Ascending. */
static int noiommu_groups(struct ia_eval *ev)
{
	const struct ia_audit *fa = ev->a;
	const struct ia_kernel_facts *k = fa->kernel;
	struct ia_result *a = ev->res;
	int rc = 0;

	for (size_t i = 0; i < fa->n_groups && rc == 0; i++)
		if (fa->groups[i].noiommu)
			rc = noiommu_push(a, fa->groups[i].id);
	for (size_t i = 0; k && i < k->n_vfio_noiommu && rc == 0; i++)
		if (!ia_audit_find_group(fa, k->vfio_noiommu[i]))
			rc = noiommu_push(a, k->vfio_noiommu[i]);
	if (a->n_noiommu_groups)
		qsort(a->noiommu_groups, a->n_noiommu_groups, sizeof(int), noiommu_cmp_int);
	return rc;
}

/* The parameter file (ia_kernel_vfio_noiommu_param()): 1 when present (*val its value, IA_UNKNOWN
 * when unreadable); 0 when vfio is loaded without it (CONFIG_VFIO_NOIOMMU=n); -1 when not known. */
static int noiommu_param(const struct ia_eval *ev, enum ia_tri *val)
{
	const struct ia_module_param *p = NULL;
	int rc = ia_kernel_vfio_noiommu_param(ev->a->kernel, &p);

	if (rc == 1)
		*val = p->value && *p->value ? ia_kstrtobool(p->value) : IA_UNKNOWN; /* sysfs prints Y or N */
	return rc;
}

/* "group 0" or "groups 0, 3": ids, never read as a count. */
static void noiommu_group_list(const struct ia_result *a, char *buf, size_t cap)
{
	size_t l = (size_t)snprintf(buf, cap, "group%s ", a->n_noiommu_groups == 1 ? "" : "s");

	for (size_t i = 0; i < a->n_noiommu_groups && l < cap; i++)
		l += (size_t)snprintf(buf + l, cap - l, "%s%d", i ? ", " : "", a->noiommu_groups[i]);
}

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *fa = ev->a;
	struct ia_result *a = ev->res;
	char cval[64] = "", kval[16] = "", reason[768];
	enum ia_tri pval = IA_UNKNOWN;
	int rc;

	if ((rc = noiommu_groups(ev)) == -ENOMEM)
		return rc;
	int p = noiommu_param(ev, &pval);
	int k = ia_eval_kconfig(ev, "CONFIG_VFIO_NOIOMMU", kval, sizeof(kval));
	int c = ia_eval_cmdline(ev, "vfio.enable_unsafe_noiommu_mode", cval, sizeof(cval));
	bool tainted_u = fa->has_tainted && ((fa->tainted >> TAINT_USER_BIT) & 1);

	/* compiled in? */
	const char *cwhy;
	if (p == 1) {
		a->noiommu_compiled = IA_YES;
		cwhy = "sys/module/vfio/parameters/enable_unsafe_noiommu_mode exists";
	} else if (k == 1 && !strcmp(kval, "y")) {
		a->noiommu_compiled = IA_YES;
		cwhy = "CONFIG_VFIO_NOIOMMU=y";
	} else if (a->n_noiommu_groups) {
		a->noiommu_compiled = IA_YES;
		cwhy = "no-IOMMU groups exist";
	} else if (k == 0) {
		a->noiommu_compiled = IA_NO;
		cwhy = "CONFIG_VFIO_NOIOMMU is not set";
	} else if (p == 0 && ia_kernel_sysfs_module(fa->kernel, "vfio")) {
		a->noiommu_compiled = IA_NO;
		cwhy = "vfio is loaded without an enable_unsafe_noiommu_mode parameter (CONFIG_VFIO_NOIOMMU=n)";
	} else if (p == 0) {
		a->noiommu_compiled = IA_NO;
		cwhy = "vfio is loaded (proc/modules) without an enable_unsafe_noiommu_mode parameter, while the "
		       "other VFIO modules' parameters were captured (CONFIG_VFIO_NOIOMMU=n)";
	} else if (fa->kernel && fa->kernel->n_loaded_modules && !ia_kernel_loaded_module(fa->kernel, "vfio")) {
		cwhy = "no kernel configuration was readable, and vfio is not listed in proc/modules (not loaded, "
		       "or built in without parameters)";
	} else if (ia_kernel_loaded_module(fa->kernel, "vfio")) {
		cwhy = "no kernel configuration was readable, and proc/modules lists vfio but no VFIO module's "
		       "parameters were captured";
	} else {
		cwhy = "neither the kernel configuration nor sys/module/vfio was readable";
	}
	bool cmd_on = c == 1 && ia_kstrtobool(cval) == IA_YES;
	/* enabled? The command line alone never says so: a kernel without CONFIG_VFIO_NOIOMMU ignores
	 * the unknown parameter and creates no no-IOMMU group. */
	if (p == 1 && pval != IA_UNKNOWN)
		a->noiommu_enabled = pval;
	else if (a->n_noiommu_groups)
		a->noiommu_enabled = IA_YES;
	else if (a->noiommu_compiled == IA_NO)
		a->noiommu_enabled = IA_NO;
	else if (cmd_on && a->noiommu_compiled == IA_YES)
		a->noiommu_enabled = IA_YES; /* applies when vfio loads */

	char groups[256] = "";
	noiommu_group_list(a, groups, sizeof(groups));
	if (a->n_noiommu_groups) {
		a->noiommu_state = "enabled";
		snprintf(reason, sizeof(reason), "no-IOMMU %s in use (%s)", groups, cwhy);
	} else if (a->noiommu_enabled == IA_YES) {
		a->noiommu_state = "enabled";
		snprintf(reason, sizeof(reason), "vfio.enable_unsafe_noiommu_mode is on (%s)",
			 p == 1 ? "module parameter Y" : "kernel command line, and CONFIG_VFIO_NOIOMMU=y");
	} else if (a->noiommu_compiled == IA_YES) {
		a->noiommu_state = "available";
		snprintf(reason, sizeof(reason), "compiled in (%s) but vfio.enable_unsafe_noiommu_mode is %s", cwhy,
			 a->noiommu_enabled == IA_NO ? "off" : "not known to be on");
	} else if (a->noiommu_compiled == IA_NO) {
		a->noiommu_state = "unavailable";
		snprintf(reason, sizeof(reason), "%s%s", cwhy,
			 cmd_on ? "; the kernel ignores vfio.enable_unsafe_noiommu_mode on its command line" : "");
	} else {
		a->noiommu_state = "unknown";
		snprintf(reason, sizeof(reason), "%s%s%s", cwhy,
			 cmd_on ? "; the command line sets vfio.enable_unsafe_noiommu_mode, which a kernel without "
				  "CONFIG_VFIO_NOIOMMU ignores" : "",
			 tainted_u ? "; the kernel carries taint U, which a no-IOMMU group would set" : "");
	}
	if (!(a->noiommu_reason = strdup(reason)))
		return -ENOMEM;
	if (!strcmp(a->noiommu_state, "unknown")) {
		*why = a->noiommu_reason;
		return -ENODATA;
	}

	/* Each no-IOMMU group: no translation, so userspace owning it owns all of memory (§6); the
	 * blockers are linked to the finding below. */
	for (size_t gi = 0; gi < fa->n_groups; gi++)
		if (fa->groups[gi].noiommu && ia_rule_block(ev, self, gi, NULL,
							    "a VFIO no-IOMMU group: no IOMMU translates its DMA, so a user "
							    "of it can read and write all of memory", IA_NO_FINDING) < 0)
			return -ENOMEM;
	char evd[1024];
	snprintf(evd, sizeof(evd), "%s%s", reason, tainted_u ? "; proc/sys/kernel/tainted has bit 6 (U) set" : "");
	if (a->n_noiommu_groups) {
		rc = ia_rule_finding(ev, self, IA_LEVEL_ERROR, "host", NULL, evd,
				     "%s %s driven through VFIO no-IOMMU mode: %s", groups,
				     a->n_noiommu_groups == 1 ? "is" : "are", noiommu_cost);
		for (size_t gi = 0; rc == 0 && gi < fa->n_groups; gi++)
			ia_rule_link(ev, self, gi, 0, ia_rule_last_finding(ev));
		return rc;
	}
	if (a->noiommu_enabled == IA_YES)
		return ia_rule_finding(ev, self, IA_LEVEL_WARNING, "host", NULL, evd,
				       "VFIO no-IOMMU mode is enabled: binding vfio-pci to a device without an IOMMU group "
				       "hands it to userspace with no isolation; %s", noiommu_cost);
	if (a->noiommu_compiled == IA_NO && cmd_on && !tainted_u)
		return ia_rule_finding(ev, self, IA_LEVEL_INFO, "host",
				       "Drop vfio.enable_unsafe_noiommu_mode from the command line, or boot a kernel built "
				       "with CONFIG_VFIO_NOIOMMU=y if no-IOMMU mode is really wanted.", evd,
				       "vfio.enable_unsafe_noiommu_mode=%s is on the command line, but this kernel has no "
				       "VFIO no-IOMMU mode (CONFIG_VFIO_NOIOMMU=n): it ignores the parameter and creates no "
				       "no-IOMMU group", cval);
	if (tainted_u)
		return ia_rule_finding(ev, self, IA_LEVEL_WARNING, "host", NULL, evd,
				       "the kernel is tainted 'U' (a no-IOMMU group may have existed since boot) although "
				       "no no-IOMMU group is present now");
	if (a->noiommu_compiled == IA_YES && !fa->n_iommu_groups && !fa->n_units)
		return ia_rule_finding(ev, self, IA_LEVEL_INFO, "host",
				       "Prefer enabling the IOMMU. Use no-IOMMU mode (vfio.enable_unsafe_noiommu_mode=1) only "
				       "for trusted devices and software that accept the cost.", evd,
				       "with no IOMMU active, no-IOMMU mode is the only way to drive devices from userspace "
				       "here; it is compiled in but off. If enabled: %s", noiommu_cost);
	return 0;
}

const struct ia_rule ia_rule_noiommu = {
	.id = "host.noiommu",
	.level = IA_LEVEL_ERROR,
	.summary = "VFIO no-IOMMU mode is enabled or in use (no DMA isolation, taints the kernel)",
	.advice = "Enable the IOMMU and assign devices through real IOMMU groups; turn off "
		  "vfio.enable_unsafe_noiommu_mode (sys/module/vfio/parameters, modprobe options, command line) "
		  "and unbind the no-IOMMU devices from vfio-pci.",
	.refs = "drivers/vfio/group.c vfio_group_find_or_alloc(), vfio_noiommu_group_alloc(); "
		"drivers/vfio/vfio_main.c enable_unsafe_noiommu_mode; kernel-rules.md §6",
	.eval = r_eval,
	.gives = IA_GIVES_NOIOMMU,
};
