// SPDX-License-Identifier: GPL-2.0-or-later
// The VFIO paths the audited kernel offers (legacy container, iommufd) and the
// allow_unsafe_interrupts parameter each reads (rules/vfio_path.h; issue 12).
#include "rules/vfio_path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/cmdline.h"
#include "model/kernel_model.h"
#include "rules/kernel_audit.h"
#include "rules/rules.h"

#define TYPE1_PARAM "vfio_iommu_type1.allow_unsafe_interrupts"
#define IOMMUFD_PARAM "iommufd.allow_unsafe_interrupts"

static const char *const path_names[IA_N_PATHS] = { "container", "iommufd" };

const char *ia_vfio_path_name(enum ia_vfio_path p)
{
	return (unsigned)p < IA_N_PATHS ? path_names[p] : NULL;
}

const char *ia_vfio_path_missing(enum ia_vfio_path p)
{
	static const char *const why[IA_N_PATHS] = {
		"this kernel does not have the legacy container (/dev/vfio/vfio): VFIO hands no group to userspace that way",
		"this kernel does not have iommufd (/dev/iommu): VFIO hands no group to userspace that way",
	};
	return (unsigned)p < IA_N_PATHS ? why[p] : NULL;
}

int ia_vfio_path_parse(const char *word, enum ia_vfio_path *out)
{
	for (unsigned i = 0; word && i < IA_N_PATHS; i++)
		if (!strcmp(word, path_names[i])) {
			*out = (enum ia_vfio_path)i;
			return 0;
		}
	return -EINVAL;
}

/* A configuration option built in or as a module. */
static bool vp_set(const struct ia_kernel_facts *k, const char *option)
{
	const char *v = ia_kernel_kconfig(k, option);

	return v && (!strcmp(v, "y") || !strcmp(v, "m"));
}

/* The value of parameter @param ("module.name") for this kernel, and how it was told, into @how. */
static enum ia_tri vp_param(const struct ia_kernel_facts *k, const char *param, char *how, size_t cap)
{
	char module[32];
	const char *dot = strchr(param, '.');
	size_t ml = (size_t)(dot - param);

	if (!k) {
		snprintf(how, cap, "no kernel facts were read");
		return IA_UNKNOWN;
	}
	memcpy(module, param, ml);
	module[ml] = '\0';
	const struct ia_module_param *p = ia_kernel_module_param(k, module, dot + 1);
	if (p) {
		snprintf(how, cap, "sys/module/%s/parameters/%s reads %s", module, dot + 1, p->value ? p->value : "nothing (unreadable)");
		return ia_kstrtobool(p->value);
	}
	/* the last occurrence on the command line wins (parse_args() sets it in order); modprobe
	 * passes MODULE.PARAM= from proc/cmdline to a module it loads (modprobe(8)) */
	const char *last = NULL;
	bool seen = false;
	for (size_t i = 0; k && i < k->n_params; i++)
		if (!strcmp(k->params[i].key, param)) {
			last = k->params[i].value;
			seen = true;
		}
	if (seen) {
		snprintf(how, cap, "the command line sets %s=%s", param, last ? last : "(empty: true)");
		return ia_kstrtobool(last ? last : "");
	}
	if (ia_kernel_sysfs_module(k, module)) {
		snprintf(how, cap, "sys/module/%s exists without the parameter", module);
		return IA_NO;
	}
	snprintf(how, cap, "%s is not loaded, so its parameter is not readable (modprobe.d may set it at load)",
		 module);
	return IA_UNKNOWN;
}

static void vp_set_why(struct ia_path_state *s, const char *offered, const char *how)
{
	size_t n = strlen(offered) + strlen(how) + 3;

	free(s->why);
	s->why = malloc(n);
	if (s->why)
		snprintf(s->why, n, "%s%s%s", offered, how[0] ? "; " : "", how);
}

void ia_vfio_paths_decide(const struct ia_audit *a, struct ia_result *res)
{
	const struct ia_kernel_facts *k = a->kernel;
	bool kconfig = k && k->kconfig_source;
	struct ia_path_state *c = &res->paths[IA_PATH_CONTAINER], *f = &res->paths[IA_PATH_IOMMUFD];
	char offered[256], how[256] = "";

	/* The container and its backend. */
	c->param = NULL;
	if (kconfig && vp_set(k, "CONFIG_VFIO_IOMMU_TYPE1")) {
		c->offered = IA_YES;
		c->param = TYPE1_PARAM;
		snprintf(offered, sizeof(offered), "%s has CONFIG_VFIO_IOMMU_TYPE1: /dev/vfio/vfio is vfio_iommu_type1's",
			 k->kconfig_source);
	} else if (kconfig && vp_set(k, "CONFIG_IOMMUFD_VFIO_CONTAINER")) {
		c->offered = IA_YES;
		c->param = IOMMUFD_PARAM;
		snprintf(offered, sizeof(offered), "%s has CONFIG_IOMMUFD_VFIO_CONTAINER: iommufd serves /dev/vfio/vfio",
			 k->kconfig_source);
	} else if (kconfig) {
		c->offered = IA_NO;
		snprintf(offered, sizeof(offered), "%s has neither CONFIG_VFIO_IOMMU_TYPE1 nor "
			 "CONFIG_IOMMUFD_VFIO_CONTAINER: no /dev/vfio/vfio", k->kconfig_source);
	} else if (k && ia_kernel_sysfs_module(k, "vfio_iommu_type1")) {
		c->offered = IA_YES;
		c->param = TYPE1_PARAM;
		snprintf(offered, sizeof(offered), "sys/module/vfio_iommu_type1 exists (no kernel configuration was read)");
	} else {
		c->offered = IA_UNKNOWN;
		snprintf(offered, sizeof(offered), "no kernel configuration was read and vfio_iommu_type1 is not loaded: "
			 "whether /dev/vfio/vfio exists, and which backend serves it, is unknown");
	}
	c->unsafe_interrupts_allowed = c->param ? vp_param(k, c->param, how, sizeof(how)) : IA_UNKNOWN;
	vp_set_why(c, offered, how);

	/* iommufd */
	how[0] = '\0';
	f->param = IOMMUFD_PARAM;
	if (kconfig && vp_set(k, "CONFIG_IOMMUFD") && vp_set(k, "CONFIG_VFIO")) {
		f->offered = IA_YES;
		snprintf(offered, sizeof(offered), "%s has CONFIG_IOMMUFD (/dev/iommu)%s", k->kconfig_source,
			 vp_set(k, "CONFIG_VFIO_DEVICE_CDEV") ? " and CONFIG_VFIO_DEVICE_CDEV (/dev/vfio/devices/vfioN)"
								: ", which VFIO groups bind to");
	} else if (kconfig) {
		f->offered = IA_NO;
		snprintf(offered, sizeof(offered), "%s has no CONFIG_IOMMUFD%s", k->kconfig_source,
			 vp_set(k, "CONFIG_VFIO") ? "" : " or CONFIG_VFIO");
	} else if (ia_kernel_has(a, IA_KB_IOMMUFD) == IA_NO) {
		/* the behaviour table's row iommufd (rules/data/kernel_behaviours.csv) */
		char rel[64];
		f->offered = IA_NO;
		snprintf(offered, sizeof(offered), "Linux %d.%d has no iommufd (%s)", a->kernel_major, a->kernel_minor,
			 ia_kb_releases(IA_KB_IOMMUFD, rel, sizeof(rel)));
	} else if (k && ia_kernel_sysfs_module(k, "iommufd")) {
		f->offered = IA_YES;
		snprintf(offered, sizeof(offered), "sys/module/iommufd exists (no kernel configuration was read)");
	} else {
		f->offered = IA_UNKNOWN;
		snprintf(offered, sizeof(offered), "no kernel configuration was read and iommufd is not loaded, "
			 "so whether this kernel has it is unknown");
	}
	f->unsafe_interrupts_allowed = f->offered == IA_NO ? IA_NO : vp_param(k, f->param, how, sizeof(how));
	vp_set_why(f, offered, f->offered == IA_YES ? how : "");
}

/*
 * Rule host.vfio-path: the VFIO path judged (--vfio-path's, else the default: the container unless
 * the kernel has none) is not in the kernel, or may not be. Without it VFIO hands no group to
 * userspace that way (no /dev/vfio/vfio, or no /dev/iommu), so every group's verdict on it is no
 * or, where the kernel's configuration was not read and the module is not loaded, unknown
 * (engine_compose()); the finding says why.
 */
static int r_path_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	const struct ia_result *r = ev->res;
	const struct ia_path_state *ps = &r->paths[r->path], *other = &r->paths[1 - r->path];
	bool fd = r->path == IA_PATH_IOMMUFD;
	const char *label = fd ? "iommufd (/dev/iommu)" : "the legacy container (/dev/vfio/vfio)";
	const char *how = r->path_named ? "the VFIO path --vfio-path names" : "the VFIO path judged by default";
	char advice[512];

	if (a->dumps_alone) {
		*why = "the inputs are dumps without the kernel's state (--lspci-dump, --acpidump or --dtb without a root)";
		return -ENODATA;
	}
	if (ps->offered == IA_YES)
		return 0;
	if (ps->offered == IA_UNKNOWN) {
		snprintf(advice, sizeof(advice), "Let the audit read the kernel's configuration (/boot/config-<release> or "
			 "/proc/config.gz; boot/config-<release> in a capture), or load %s (modprobe %s) and audit "
			 "again%s.", fd ? "iommufd" : "vfio_iommu_type1", fd ? "iommufd" : "vfio_iommu_type1",
			 other->offered == IA_YES ? (fd ? "; the kernel has the legacy container: --vfio-path container "
						     "judges it" : "; the kernel has iommufd: --vfio-path iommufd judges it") : "");
		return ia_rule_finding(ev, self, IA_LEVEL_WARNING, "host", advice, ps->why ? ps->why : label,
				       "whether this kernel has %s, %s, is unknown, so no group can be called "
				       "assignable on it", label, how);
	}
	if (other->offered == IA_YES)
		snprintf(advice, sizeof(advice), "The kernel has the other path: judge it with --vfio-path %s (and "
			 "open it in the VMM), or use a kernel built with %s.", fd ? "container" : "iommufd",
			 fd ? "CONFIG_IOMMUFD and CONFIG_VFIO_DEVICE_CDEV (6.6 and later)" : "CONFIG_VFIO_CONTAINER (6.2 and "
			 "later; it selects CONFIG_VFIO_IOMMU_TYPE1, which CONFIG_VFIO selects before 6.2) or "
			 "CONFIG_IOMMUFD_VFIO_CONTAINER");
	else
		snprintf(advice, sizeof(advice), "Use a kernel built with VFIO: CONFIG_VFIO and CONFIG_VFIO_PCI, with "
			 "CONFIG_VFIO_CONTAINER (6.2 and later; it selects CONFIG_VFIO_IOMMU_TYPE1) for the legacy "
			 "container, or CONFIG_IOMMUFD with CONFIG_VFIO_DEVICE_CDEV (6.6 and later) for iommufd.");
	/* no blocker on the groups: they stand on the other path (groups[].paths[]); the engine
	 * makes the verdict on this one no (engine_compose()) */
	return ia_rule_finding(ev, self, self->level, "host", advice, ps->why ? ps->why : label,
			       "this kernel does not have %s, %s: no group can be handed to userspace that way",
			       label, how);
}

const struct ia_rule ia_rule_vfio_path = {
	.id = "host.vfio-path",
	.level = IA_LEVEL_ERROR,
	.summary = "The VFIO path judged is not in this kernel, or may not be",
	.advice = "Use a kernel built with the VFIO path the VMM opens (CONFIG_VFIO_CONTAINER, which selects "
		  "CONFIG_VFIO_IOMMU_TYPE1, for the legacy container; CONFIG_IOMMUFD for iommufd), or judge the other "
		  "path with --vfio-path.",
	.refs = "drivers/vfio/Kconfig (VFIO_CONTAINER, VFIO_IOMMU_TYPE1, VFIO_DEVICE_CDEV), "
		"drivers/iommu/iommufd/Kconfig (IOMMUFD, IOMMUFD_VFIO_CONTAINER); kernel-rules.md §4.4",
	.eval = r_path_eval,
	.kernel = (const enum ia_kb[]){ IA_KB_IOMMUFD },
	.n_kernel = 1,
};
