/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel facts (command line, configuration, module parameters, VFIO nodes, interrupt chips) of the model. */
#ifndef IA_KERNEL_MODEL_H
#define IA_KERNEL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sqlite3;

/** One kernel command-line parameter (table cmdline_param), in command-line order. */
struct ia_cmdline_param {
	char *key;               /* parameter name as written ("intel_iommu", "vfio-pci.ids") */
	char *value;             /* text after the first '=', or NULL for a bare flag */
};

/** One kernel configuration option (table kernel_config). */
struct ia_kconfig_option {
	char *option;            /* "CONFIG_VFIO_NOIOMMU" */
	char *value;             /* "y", "m", a number or a quoted string */
};

/** One module parameter file (table module_param). */
struct ia_module_param {
	char *module, *name;     /* "vfio", "enable_unsafe_noiommu_mode" */
	char *value;             /* contents without the newline; NULL when unreadable */
};

/** One interrupt line of proc/interrupts (table interrupt_chip). */
struct ia_irq_chip {
	char *irq;               /* "24" */
	char *chip;              /* "IR-PCI-MSIX-0000:00:01.0"; NULL when absent */
	char *isolating_parent;  /* "IR", "ITS", "GICv2m", "MBI", or NULL */
	bool pci_msi;            /* a PCI device's MSI (decode/interrupts.h ia_msi_chip_decode()) */
	char *msi_bdf;           /* the function it belongs to: the chip name's device suffix (6.2+), or on
				    x86_64 the requester ID in the hwirq (pci_msi_domain_calc_hwirq()); NULL
				    when the line does not say */
};

/** The kernel facts, read once by ia_kernel_facts_load(); const afterwards. */
struct ia_kernel_facts {
	/* the command line split into parameters (ia_parse_cmdline()); empty when proc/cmdline was
	 * unreadable (struct ia_audit.cmdline NULL says which) */
	struct ia_cmdline_param *params; size_t n_params;
	/* the kernel configuration: where it came from ("boot/config-<release>", "proc/config.gz"), NULL
	 * when none was available; options sorted by name (strcmp) */
	char *kconfig_source;
	struct ia_kconfig_option *kconfig; size_t n_kconfig;
	/* module parameters of vfio, vfio_iommu_type1, vfio_pci, iommufd, sorted by (module, name) */
	struct ia_module_param *mparams; size_t n_mparams;
	/* modules with a directory under sys/module (table sysfs_module), sorted */
	char **sysfs_modules; size_t n_sysfs_modules;
	/* modules listed in proc/modules (table loaded_module), sorted; empty when proc/modules was
	 * absent (CONFIG_MODULES=n) or unreadable */
	char **loaded_modules; size_t n_loaded_modules;
	/* the numbers N of dev/vfio/noiommu-N nodes (names "noiommu-" and a digit; N read as SQL's CAST
	 * reads the rest), in table order */
	int *vfio_noiommu; size_t n_vfio_noiommu;
	/* proc/interrupts lines, in the order they were collected */
	struct ia_irq_chip *irqs; size_t n_irqs;
};

/**
 * ia_kernel_facts_load() - read the kernel facts of @db (tables host.kernel_config_source,
 * cmdline_param, kernel_config, module_param, sysfs_module, loaded_module, vfio_node, interrupt_chip;
 * written by collectors/kernel.c and collectors/iommu.c).
 * @db: an open fact database of the current schema.
 * @arch: the kernel's architecture (host.arch, "x86_64"), or NULL: on x86_64 an MSI chip without a
 *        device suffix names its function through the hwirq.
 * @out: set to a heap-allocated struct; untouched on failure.
 * Return: 0; -IA_E_SQLITE when a query fails; -ENOMEM.
 */
int ia_kernel_facts_load(struct sqlite3 *db, const char *arch, struct ia_kernel_facts **out);

/** ia_kernel_facts_free() - release what ia_kernel_facts_load() (or a test's builder) allocated; accepts NULL. */
void ia_kernel_facts_free(struct ia_kernel_facts *k);

/**
 * ia_kernel_kconfig() - the value of configuration option @option (exact name), or NULL when the
 * configuration lacks it (or @k is NULL). Whether a configuration was read at all is
 * k->kconfig_source != NULL.
 */
const char *ia_kernel_kconfig(const struct ia_kernel_facts *k, const char *option);

/** ia_kernel_module_param() - module parameter @module.@name (exact names), or NULL when its file is absent. */
const struct ia_module_param *ia_kernel_module_param(const struct ia_kernel_facts *k, const char *module,
						     const char *name);

/** ia_kernel_sysfs_module() - sys/module/@name exists. */
bool ia_kernel_sysfs_module(const struct ia_kernel_facts *k, const char *name);

/** ia_kernel_loaded_module() - proc/modules lists module @name (exact name, "vfio"); false for a NULL @k. */
bool ia_kernel_loaded_module(const struct ia_kernel_facts *k, const char *name);

/**
 * ia_kernel_vfio_noiommu_param() - what the module parameter files say of CONFIG_VFIO_NOIOMMU: the
 * file sys/module/vfio/parameters/enable_unsafe_noiommu_mode exists only with that option
 * (drivers/vfio/vfio_main.c, module_param_named() under #ifdef CONFIG_VFIO_NOIOMMU; Linux 6.12),
 * and it is the vfio module's only parameter.
 * @k: the kernel facts, or NULL.
 * @param: set to the parameter file's row when the return is 1; untouched otherwise.
 * Return: 1 the file exists (CONFIG_VFIO_NOIOMMU=y); 0 vfio is loaded without it, seen either as
 * sys/module/vfio without the file (a live host always has the module's directory), or as vfio
 * listed in proc/modules with no sys/module/vfio while another VFIO module's parameters
 * (vfio_iommu_type1, vfio_pci, iommufd) were captured (so a capture that kept sys/module/X/parameters
 * would have kept vfio's); -1 when neither can be told.
 */
int ia_kernel_vfio_noiommu_param(const struct ia_kernel_facts *k, const struct ia_module_param **param);

#endif
