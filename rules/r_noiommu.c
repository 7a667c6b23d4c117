// SPDX-License-Identifier: GPL-2.0-or-later
// Rule host.noiommu: VFIO no-IOMMU mode: compiled in, enabled, groups in use, and what it costs.
// Mirrors drivers/vfio/group.c vfio_group_find_or_alloc() / vfio_noiommu_group_alloc() and the
// enable_unsafe_noiommu_mode parameter of drivers/vfio/vfio_main.c (Linux 6.12); kernel-rules.md §6;
// by release: rows vfio_noiommu (4.5), noiommu_groupless_device (5.19), noiommu_iommufd_compat (6.3),
// noiommu_cdev.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kernel_model.h"
#include "rules/kernel_audit.h"
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

/*
 * Row noiommu_iommufd_compat: the container a no-IOMMU group is set on (VFIO_GROUP_SET_CONTAINER
 * with /dev/vfio/vfio, ia_vfio_paths_decide()). When iommufd serves it (CONFIG_IOMMUFD_VFIO_CONTAINER),
 * from Linux 6.3 iommufd_vfio_compat_set_no_iommu() takes a no-IOMMU group; before, the mode lived
 * in the legacy container alone (CONFIG_VFIO_NOIOMMU inside CONFIG_VFIO_CONTAINER, which
 * CONFIG_IOMMUFD_VFIO_CONTAINER excludes), so both on a release before 6.3 are facts that do not
 * fit the release as released: said so, never judged. @out: "; ..." to append, "" when the legacy container serves it
 * or nothing is known.
 */
static void noiommu_container(const struct ia_eval *ev, char *out, size_t cap)
{
	const struct ia_audit *fa = ev->a;
	const struct ia_path_state *c = &ev->res->paths[IA_PATH_CONTAINER];
	enum ia_tri t = ia_kernel_has(fa, IA_KB_NOIOMMU_IOMMUFD_COMPAT);

	out[0] = '\0';
	if (c->offered != IA_YES || !c->param || strncmp(c->param, "iommufd.", 8))
		return;
	if (t == IA_YES)
		snprintf(out, cap, "; /dev/vfio/vfio is iommufd's compat container, which takes a no-IOMMU group "
			 "from Linux 6.3 on (iommufd_vfio_compat_set_no_iommu())");
	else if (t == IA_NO) /* upstream Kconfig forbids it: CONFIG_VFIO_NOIOMMU sat in CONFIG_VFIO_CONTAINER */
		snprintf(out, cap, "; but /dev/vfio/vfio is iommufd's compat container, which takes a no-IOMMU group "
			 "only from Linux 6.3 on (before it, no-IOMMU mode needs the legacy container): these facts do "
			 "not fit Linux %d.%d as released (a backport?), so whether a process can use the group is "
			 "unknown", fa->kernel_major, fa->kernel_minor);
	else
		snprintf(out, cap, "; /dev/vfio/vfio is iommufd's compat container, which takes a no-IOMMU group "
			 "from Linux 6.3 on only (the release is unknown)");
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
	char rel_why[160], rel[96];
	if (p == 1) {
		a->noiommu_compiled = IA_YES;
		cwhy = "sys/module/vfio/parameters/enable_unsafe_noiommu_mode exists";
	} else if (ia_kernel_has(fa, IA_KB_VFIO_NOIOMMU) == IA_NO && !a->n_noiommu_groups) {
		/* row vfio_noiommu: the mode and its parameter came with 4.5 */
		a->noiommu_compiled = IA_NO;
		snprintf(rel_why, sizeof(rel_why), "Linux %d.%d predates VFIO no-IOMMU mode (%s)", fa->kernel_major,
			 fa->kernel_minor, ia_kb_releases(IA_KB_VFIO_NOIOMMU, rel, sizeof(rel)));
		cwhy = rel_why;
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
		cwhy = "vfio is loaded without an enable_unsafe_noiommu_mode parameter, so CONFIG_VFIO_NOIOMMU is off";
	} else if (p == 0) {
		a->noiommu_compiled = IA_NO;
		cwhy = "vfio is loaded (proc/modules) without an enable_unsafe_noiommu_mode parameter, while the "
		       "other VFIO modules' parameters were captured, so CONFIG_VFIO_NOIOMMU is off";
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
		/* row noiommu_cdev: the VFIO device cdev (6.6+) is not created for a no-IOMMU device before
		 * 7.3; from 7.3 one is, bound through iommufd */
		char cdev[192] = "";
		enum ia_tri nc = ia_kernel_has(fa, IA_KB_NOIOMMU_CDEV);
		if (ia_kernel_has(fa, IA_KB_VFIO_DEVICE_CDEV) == IA_YES && nc == IA_NO)
			snprintf(cdev, sizeof(cdev), " (Linux %d.%d creates no /dev/vfio/devices/vfioN for a no-IOMMU "
				 "device: only its group's /dev/vfio/noiommu-N serves it)", fa->kernel_major, fa->kernel_minor);
		else if (nc == IA_YES) {
			char v[16];
			int kc = ia_eval_kconfig(ev, "CONFIG_VFIO_DEVICE_CDEV", v, sizeof(v));
			if (kc != 0) /* set, or no configuration read */
				snprintf(cdev, sizeof(cdev), " (Linux %d.%d also gives each device a cdev, "
					 "/dev/vfio/devices/noiommu-vfioN, bound through iommufd%s)", fa->kernel_major,
					 fa->kernel_minor, kc == 1 ? "" : ", where CONFIG_VFIO_DEVICE_CDEV is set");
		}
		char via[384];
		noiommu_container(ev, via, sizeof(via));
		rc = ia_rule_finding(ev, self, IA_LEVEL_ERROR, "host", NULL, evd,
				     "%s %s driven through VFIO no-IOMMU mode%s%s: %s", groups,
				     a->n_noiommu_groups == 1 ? "is" : "are", cdev, via, noiommu_cost);
		for (size_t gi = 0; rc == 0 && gi < fa->n_groups; gi++)
			ia_rule_link(ev, self, gi, 0, ia_rule_last_finding(ev));
		return rc;
	}
	if (a->noiommu_enabled == IA_YES) {
		/* With the IOMMU active, which groupless functions would get a no-IOMMU group (row
		 * noiommu_groupless_device): from 5.19 any; before, none, since iommu_present(dev->bus)
		 * is true once an IOMMU driver registered for PCI. */
		size_t n_groupless = 0;
		const char *first = NULL;
		for (size_t i = 0; ia_audit_iommu_active(fa) && i < fa->n_devs; i++)
			if (!fa->devs[i].has_group && fa->devs[i].has_hdr && (fa->devs[i].hdr_type & 0x7f) == 0 &&
			    !n_groupless++)
				first = fa->devs[i].bdf;
		char gl[384] = "";
		enum ia_tri any = ia_kernel_has(fa, IA_KB_NOIOMMU_GROUPLESS_DEVICE);
		if (n_groupless && any == IA_YES)
			snprintf(gl, sizeof(gl), "; with the IOMMU active, %zu function%s without an IOMMU group (%s%s) "
				 "would get a no-IOMMU group once bound to vfio-pci", n_groupless, n_groupless == 1 ? "" : "s",
				 first, n_groupless == 1 ? "" : ", ...");
		else if (n_groupless && any == IA_NO)
			snprintf(gl, sizeof(gl), "; but Linux %d.%d gives a no-IOMMU group only to a device whose bus has "
				 "no IOMMU (vfio_iommu_group_get(): iommu_present()), and the IOMMU is active on PCI: none "
				 "of the %zu function%s without an IOMMU group (%s%s) can get one", fa->kernel_major,
				 fa->kernel_minor, n_groupless, n_groupless == 1 ? "" : "s", first, n_groupless == 1 ? "" : ", ...");
		else if (n_groupless)
			snprintf(gl, sizeof(gl), "; whether the %zu function%s without an IOMMU group (%s%s) would get one "
				 "while the IOMMU is active depends on the release (before 5.19: no), which is unknown",
				 n_groupless, n_groupless == 1 ? "" : "s", first, n_groupless == 1 ? "" : ", ...");
		char via[384];
		noiommu_container(ev, via, sizeof(via));
		return ia_rule_finding(ev, self, IA_LEVEL_WARNING, "host", NULL, evd,
				       "VFIO no-IOMMU mode is enabled: binding vfio-pci to a device without an IOMMU group "
				       "hands it to userspace with no isolation%s%s; %s", gl, via, noiommu_cost);
	}
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
	.kernel = (const enum ia_kb[]){ IA_KB_VFIO_NOIOMMU, IA_KB_NOIOMMU_GROUPLESS_DEVICE, IA_KB_NOIOMMU_CDEV,
					IA_KB_NOIOMMU_IOMMUFD_COMPAT },
	.n_kernel = 4,
};
