// SPDX-License-Identifier: GPL-2.0-or-later
// Build a struct ia_audit in memory for rule unit tests (no SQLite, no capture), and read the rules' outputs.
#include "testutil.h"
#include "model_build.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bdf.h"
#include "decode/interrupts.h"
#include "decode/sysfs_attr.h"

/* Grow *@v (elements of @size) to hold one more, zero it, and return it. */
static void *mb_grow(void *v, size_t *n, size_t size)
{
	char *nv = realloc(v, (*n + 1) * size);

	if (!nv)
		fail_msg("out of memory");
	memset(nv + *n * size, 0, size);
	(*n)++;
	return nv;
}

static char *mb_strdup(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		fail_msg("out of memory");
	return d;
}

/* An audit built here and the result the engine writes for it (the audit first: mb_new() hands out
 * &m->a, and the readers below find the result from it). */
struct mb_audit {
	struct ia_audit a;
	struct ia_result r;
};

struct ia_result *mb_result(const struct ia_audit *a)
{
	return &((struct mb_audit *)(void *)(uintptr_t)a)->r;
}

int mb_run(struct ia_audit *a, const struct ia_run_opts *o)
{
	ia_result_free(mb_result(a));
	return ia_rules_run(a, o, mb_result(a));
}

struct ia_audit *mb_new(void)
{
	struct mb_audit *m = calloc(1, sizeof(*m));
	struct ia_audit *a = m ? &m->a : NULL;

	if (!a || !(a->firmware = calloc(1, sizeof(*a->firmware))) || !(a->kernel = calloc(1, sizeof(*a->kernel))))
		fail_msg("out of memory");
	a->root = mb_strdup("(in memory)");
	a->kernel_release = mb_strdup("6.12.0");
	a->kernel_major = 6;
	a->kernel_minor = 12;
	a->has_kernel_version = true;
	a->has_kernel_patch = true;
	a->arch = mb_strdup("x86_64");
	a->cmdline = mb_strdup("");
	a->iommu_groups_dir = true;
	/* the legacy container's module loaded (sys/module/vfio_iommu_type1), so the VFIO path judged
	 * is there (rule host.vfio-path); its allow_unsafe_interrupts unreadable, so unknown unless a
	 * test sets it (mb_module_param()); mb_forget_module() takes it away */
	mb_module_param(a, "vfio_iommu_type1", "allow_unsafe_interrupts", NULL);
	return a;
}

void mb_forget_module(struct ia_audit *a, const char *module)
{
	struct ia_kernel_facts *k = a->kernel;
	size_t n = 0;

	for (size_t i = 0; i < k->n_sysfs_modules; i++)
		if (strcmp(k->sysfs_modules[i], module))
			k->sysfs_modules[n++] = k->sysfs_modules[i];
		else
			free(k->sysfs_modules[i]);
	k->n_sysfs_modules = n;
	n = 0;
	for (size_t i = 0; i < k->n_mparams; i++)
		if (strcmp(k->mparams[i].module, module)) {
			k->mparams[n++] = k->mparams[i];
		} else {
			free(k->mparams[i].module);
			free(k->mparams[i].name);
			free(k->mparams[i].value);
		}
	k->n_mparams = n;
}

void mb_free(struct ia_audit *a)
{
	if (!a)
		return;
	ia_result_free(mb_result(a));
	ia_audit_free(a);
	free((struct mb_audit *)(void *)a);
}

struct ia_dev *mb_dev(struct ia_audit *a, const char *bdf, const char *parent)
{
	struct ia_bdf b;

	if (strlen(bdf) >= IA_BDF_MAX || ia_bdf_parse(bdf, IA_BDF_CANONICAL, &b) < 0)
		fail_msg("bad BDF %s", bdf);
	a->devs = mb_grow(a->devs, &a->n_devs, sizeof(*a->devs));
	struct ia_dev *d = &a->devs[a->n_devs - 1];
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
	d->domain = b.domain;
	d->bus = b.bus;
	d->dev = b.dev;
	d->fn = b.fn;
	d->has_ids = true;
	d->vendor = 0xabcd;
	d->device = 0x0001;
	d->has_class = true;
	d->class_code = 0x020000;
	d->has_revision = true;
	d->has_hdr = true;
	d->multifunction = IA_NO;
	d->is_pcie = IA_YES;
	d->pcie_type = parent ? 0x0 : 0x9;
	d->config_bytes = d->config_size = 4096;
	d->has_acs = d->has_ats = d->has_pri = d->has_pasid = d->has_sriov = IA_NO;
	d->eetlp_prefix = IA_NO;
	d->parent = mb_strdup(parent);
	d->predicted_group = -1;
	d->n_mem_bars = 1;
	return d;
}

struct ia_dev *mb_root_port(struct ia_audit *a, const char *bdf, uint8_t secondary, bool acs)
{
	struct ia_dev *d = mb_dev(a, bdf, NULL);

	d->class_code = 0x060400;
	d->hdr_type = 1;
	d->pcie_type = 0x4;
	d->has_bus_range = true;
	d->secondary_bus = d->subordinate_bus = secondary;
	d->n_mem_bars = 0;
	if (acs) {
		d->has_acs = IA_YES;
		d->acs_cap = d->acs_ctrl = 0x001f; /* SV TB RR CR UF */
		d->acs_cap_dw = d->acs_cap;
		d->acs_ctrl_dw = d->acs_ctrl;
	}
	return d;
}

struct ia_group *mb_group(struct ia_audit *a, int id, const char *type, ...)
{
	va_list ap;
	const char *m;

	a->groups = mb_grow(a->groups, &a->n_groups, sizeof(*a->groups));
	struct ia_group *g = &a->groups[a->n_groups - 1];
	g->id = id;
	g->type = mb_strdup(type);
	g->resv_read = g->members_read = true;
	va_start(ap, type);
	while ((m = va_arg(ap, const char *))) {
		size_t n = g->n_devices;
		g->devices = mb_grow(g->devices, &n, sizeof(*g->devices));
		g->devices[g->n_devices++] = mb_strdup(m);
		for (size_t i = 0; i < a->n_devs; i++)
			if (!strcmp(a->devs[i].bdf, m)) {
				a->devs[i].has_group = true;
				a->devs[i].group = id;
			}
	}
	va_end(ap);
	return g;
}

struct ia_unit *mb_unit(struct ia_audit *a, const char *name, const char *kind)
{
	a->units = mb_grow(a->units, &a->n_units, sizeof(*a->units));
	struct ia_unit *u = &a->units[a->n_units - 1];
	u->name = mb_strdup(name);
	u->kind = mb_strdup(kind);
	u->ir = IA_YES;
	return u;
}

void mb_cmdline(struct ia_audit *a, const char *cmdline)
{
	struct ia_kernel_facts *k = a->kernel;
	struct ia_cmdline_token *t = NULL;
	size_t n = 0;

	free(a->cmdline);
	a->cmdline = mb_strdup(cmdline);
	for (size_t i = 0; i < k->n_params; i++) {
		free(k->params[i].key);
		free(k->params[i].value);
	}
	free(k->params);
	k->params = NULL;
	k->n_params = 0;
	if (!cmdline)
		return;
	if (ia_parse_cmdline(cmdline, strlen(cmdline), &t, &n) < 0)
		fail_msg("out of memory");
	k->params = calloc(n ? n : 1, sizeof(*k->params));
	if (!k->params)
		fail_msg("out of memory");
	for (size_t i = 0; i < n; i++) { /* the strings change hands */
		k->params[i].key = t[i].key;
		k->params[i].value = t[i].value;
	}
	k->n_params = n;
	free(t);
}

void mb_kconfig(struct ia_audit *a, const char *option, const char *value)
{
	struct ia_kernel_facts *k = a->kernel;

	if (!k->kconfig_source)
		k->kconfig_source = mb_strdup("boot/config-6.12.0");
	if (!option)
		return;
	k->kconfig = mb_grow(k->kconfig, &k->n_kconfig, sizeof(*k->kconfig));
	k->kconfig[k->n_kconfig - 1].option = mb_strdup(option);
	k->kconfig[k->n_kconfig - 1].value = mb_strdup(value ? value : "y");
}

void mb_module_param(struct ia_audit *a, const char *module, const char *name, const char *value)
{
	struct ia_kernel_facts *k = a->kernel;
	struct ia_module_param *p = NULL;

	for (size_t i = 0; i < k->n_mparams && !p; i++) /* a second call replaces the value */
		if (!strcmp(k->mparams[i].module, module) && !strcmp(k->mparams[i].name, name))
			p = &k->mparams[i];
	if (p) {
		free(p->value);
		p->value = value ? mb_strdup(value) : NULL;
		return;
	}
	k->mparams = mb_grow(k->mparams, &k->n_mparams, sizeof(*k->mparams));
	p = &k->mparams[k->n_mparams - 1];
	p->module = mb_strdup(module);
	p->name = mb_strdup(name);
	p->value = value ? mb_strdup(value) : NULL;
	if (!ia_kernel_sysfs_module(k, module)) {
		k->sysfs_modules = mb_grow(k->sysfs_modules, &k->n_sysfs_modules, sizeof(*k->sysfs_modules));
		k->sysfs_modules[k->n_sysfs_modules - 1] = mb_strdup(module);
	}
}

void mb_loaded_module(struct ia_audit *a, const char *name)
{
	struct ia_kernel_facts *k = a->kernel;

	k->loaded_modules = mb_grow(k->loaded_modules, &k->n_loaded_modules, sizeof(*k->loaded_modules));
	k->loaded_modules[k->n_loaded_modules - 1] = mb_strdup(name);
}

void mb_vfio_noiommu(struct ia_audit *a, int id)
{
	struct ia_kernel_facts *k = a->kernel;

	k->vfio_noiommu = mb_grow(k->vfio_noiommu, &k->n_vfio_noiommu, sizeof(*k->vfio_noiommu));
	k->vfio_noiommu[k->n_vfio_noiommu - 1] = id;
}

void mb_irq(struct ia_audit *a, const char *chip, const char *parent, const char *msi_bdf)
{
	struct ia_kernel_facts *k = a->kernel;
	char irq[16];

	k->irqs = mb_grow(k->irqs, &k->n_irqs, sizeof(*k->irqs));
	struct ia_irq_chip *c = &k->irqs[k->n_irqs - 1];
	snprintf(irq, sizeof(irq), "%zu", 24 + k->n_irqs);
	c->irq = mb_strdup(irq);
	c->chip = mb_strdup(chip);
	c->isolating_parent = mb_strdup(parent);
	struct ia_msi_chip mc;
	ia_msi_chip_decode(chip, &mc);
	c->pci_msi = mc.pci_msi;
	c->msi_bdf = mb_strdup(msi_bdf);
}

size_t mb_fw_unit(struct ia_audit *a, const char *source, const char *kind, const char *name)
{
	struct ia_firmware *fw = a->firmware;

	fw->units = mb_grow(fw->units, &fw->n_units, sizeof(*fw->units));
	struct ia_fw_unit *u = &fw->units[fw->n_units - 1];
	u->source = mb_strdup(source);
	u->kind = mb_strdup(kind);
	u->name = mb_strdup(name);
	u->include_pci_all = IA_UNKNOWN;
	u->dma_coherent = IA_UNKNOWN;
	if (!strcmp(source, "DMAR"))
		fw->describes_dmar = true;
	else if (!strcmp(source, "IVRS"))
		fw->describes_ivrs = true;
	else if (!strcmp(source, "IORT"))
		fw->describes_iort = true;
	else if (!strcmp(source, "DT"))
		fw->describes_dt = true;
	return fw->n_units - 1;
}

void mb_fw_unit_dev(struct ia_audit *a, size_t unit, const char *bdf)
{
	struct ia_fw_unit *u = &a->firmware->units[unit];

	u->devices = mb_grow(u->devices, &u->n_devices, sizeof(*u->devices));
	u->devices[u->n_devices - 1] = mb_strdup(bdf);
}

size_t mb_fw_msi(struct ia_audit *a, const char *kind, enum ia_tri isolating)
{
	return mb_fw_msi_from(a, kind, isolating, "IORT");
}

size_t mb_fw_msi_from(struct ia_audit *a, const char *kind, enum ia_tri isolating, const char *source)
{
	struct ia_firmware *fw = a->firmware;
	char name[32];

	fw->msi = mb_grow(fw->msi, &fw->n_msi, sizeof(*fw->msi));
	struct ia_fw_msi *m = &fw->msi[fw->n_msi - 1];
	snprintf(name, sizeof(name), "%s %zu", kind, fw->n_msi - 1);
	m->kind = mb_strdup(kind);
	m->source = mb_strdup(source);
	m->name = mb_strdup(name);
	m->isolating = isolating;
	return fw->n_msi - 1;
}

void mb_fw_msi_route(struct ia_audit *a, const char *bdf, size_t controller)
{
	struct ia_firmware *fw = a->firmware;

	fw->msi_routes = mb_grow(fw->msi_routes, &fw->n_msi_routes, sizeof(*fw->msi_routes));
	fw->msi_routes[fw->n_msi_routes - 1].bdf = mb_strdup(bdf);
	fw->msi_routes[fw->n_msi_routes - 1].controller = controller;
	fw->msi[controller].n_devices++;
}

size_t mb_fw_region(struct ia_audit *a, const char *kind, uint64_t base, uint64_t end, const char *bdf)
{
	struct ia_firmware *fw = a->firmware;
	size_t n = 0;

	fw->regions = mb_grow(fw->regions, &fw->n_regions, sizeof(*fw->regions));
	struct ia_fw_region *r = &fw->regions[fw->n_regions - 1];
	r->source = mb_strdup(!strcmp(kind, "RMRR") ? "DMAR" : !strcmp(kind, "IVMD") ? "IVRS" : "IORT");
	r->kind = mb_strdup(kind);
	r->base = base;
	r->has_end = true;
	r->end = end;
	r->kernel_applies = true;
	r->relaxable = IA_UNKNOWN;
	r->targets = mb_grow(NULL, &n, sizeof(*r->targets));
	n = 0;
	r->resolved = mb_grow(NULL, &n, sizeof(*r->resolved));
	r->targets[0] = mb_strdup(bdf);
	r->resolved[0] = true;
	r->n_targets = 1;
	return fw->n_regions - 1;
}

void mb_fw_table(struct ia_audit *a, const char *sig)
{
	struct ia_firmware *fw = a->firmware;

	fw->tables = mb_grow(fw->tables, &fw->n_tables, sizeof(*fw->tables));
	struct ia_fw_table *t = &fw->tables[fw->n_tables - 1];
	snprintf(t->signature, sizeof(t->signature), "%s", sig);
	t->source = mb_strdup(sig);
	t->checksum_ok = IA_YES;
}

static int mb_cmp_dev(const void *x, const void *y)
{
	return strcmp(((const struct ia_dev *)x)->bdf, ((const struct ia_dev *)y)->bdf);
}

static int mb_cmp_group(const void *x, const void *y)
{
	int p = ((const struct ia_group *)x)->id, q = ((const struct ia_group *)y)->id;

	return (p > q) - (p < q);
}

static int mb_cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int mb_cmp_unit_dev(const void *x, const void *y)
{
	const struct ia_fw_unit_dev *p = x, *q = y;
	int c = strcmp(p->bdf, q->bdf);

	return c ? c : (p->unit > q->unit) - (p->unit < q->unit);
}

static int mb_cmp_route(const void *x, const void *y)
{
	return strcmp(((const struct ia_fw_msi_route *)x)->bdf, ((const struct ia_fw_msi_route *)y)->bdf);
}

static int mb_cmp_kconfig(const void *x, const void *y)
{
	return strcmp(((const struct ia_kconfig_option *)x)->option, ((const struct ia_kconfig_option *)y)->option);
}

void mb_finish(struct ia_audit *a)
{
	struct ia_firmware *fw = a->firmware;

	if (a->n_devs)
		qsort(a->devs, a->n_devs, sizeof(*a->devs), mb_cmp_dev);
	if (a->n_groups)
		qsort(a->groups, a->n_groups, sizeof(*a->groups), mb_cmp_group);
	a->n_iommu_groups = 0;
	for (size_t i = 0; i < a->n_groups; i++) {
		if (a->groups[i].n_devices)
			qsort(a->groups[i].devices, a->groups[i].n_devices, sizeof(char *), mb_cmp_str);
		a->n_iommu_groups += !a->groups[i].noiommu;
	}
	free(fw->unit_devs);
	fw->unit_devs = NULL;
	fw->n_unit_devs = 0;
	for (size_t u = 0; u < fw->n_units; u++) {
		if (fw->units[u].n_devices)
			qsort(fw->units[u].devices, fw->units[u].n_devices, sizeof(char *), mb_cmp_str);
		for (size_t k = 0; k < fw->units[u].n_devices; k++) {
			fw->unit_devs = mb_grow(fw->unit_devs, &fw->n_unit_devs, sizeof(*fw->unit_devs));
			fw->unit_devs[fw->n_unit_devs - 1] = (struct ia_fw_unit_dev){ .bdf = fw->units[u].devices[k], .unit = u };
		}
	}
	if (fw->n_unit_devs)
		qsort(fw->unit_devs, fw->n_unit_devs, sizeof(*fw->unit_devs), mb_cmp_unit_dev);
	if (fw->n_msi_routes)
		qsort(fw->msi_routes, fw->n_msi_routes, sizeof(*fw->msi_routes), mb_cmp_route);
	if (a->kernel->n_kconfig)
		qsort(a->kernel->kconfig, a->kernel->n_kconfig, sizeof(*a->kernel->kconfig), mb_cmp_kconfig);
	/* the command line's effect on x86 interrupt remapping, as ia_audit_load() applies it */
	if (ia_firmware_apply_cmdline(fw, a->cmdline != NULL, a->kernel->params, a->kernel->n_params))
		fail_msg("out of memory");
}

/* ------------------------------------------------------------------------------------------- */

const struct ia_finding *mb_find_finding(const struct ia_audit *a, const char *rule, const char *subject)
{
	const struct ia_result *r = mb_result(a);

	for (size_t i = 0; i < r->n_findings; i++)
		if (!strcmp(r->findings[i].rule, rule) && (!subject || !strcmp(r->findings[i].subject, subject)))
			return &r->findings[i];
	return NULL;
}

size_t mb_count_findings(const struct ia_audit *a, const char *rule)
{
	const struct ia_result *r = mb_result(a);
	size_t n = 0;

	for (size_t i = 0; i < r->n_findings; i++)
		n += !strcmp(r->findings[i].rule, rule);
	return n;
}

bool mb_not_evaluated(const struct ia_audit *a, const char *rule)
{
	return mb_find_finding(a, "rule.not-evaluated", rule) != NULL;
}

void mb_expect_quiet(const struct ia_audit *a, const char *rule)
{
	const struct ia_finding *f = mb_find_finding(a, rule, NULL);

	if (f)
		fail_msg("%s gave a finding about %s: %s", rule, f->subject, f->message);
	if (mb_not_evaluated(a, rule))
		fail_msg("%s was not evaluated: quiet proves nothing", rule);
}

/* The engine's verdict of kernel group @gid (parallel to a->groups); fails the test for an absent group. */
static const struct ia_group_verdict *mb_group_of(const struct ia_audit *a, int gid)
{
	const struct ia_group *g = ia_audit_find_group(a, gid);
	const struct ia_result *r = mb_result(a);

	if (!g || (size_t)(g - a->groups) >= r->n_groups)
		fail_msg("no group %d (or no result: call mb_run())", gid);
	return &r->groups[g - a->groups];
}

bool mb_group_blocked_by(const struct ia_audit *a, int gid, const char *what)
{
	const struct ia_group_verdict *g = mb_group_of(a, gid);

	for (size_t i = 0; i < g->n_blockers; i++)
		if (!strcmp(g->blockers[i].what, what))
			return true;
	return false;
}

bool mb_group_excepted(const struct ia_audit *a, int gid, const char *what)
{
	const struct ia_group_verdict *g = mb_group_of(a, gid);

	for (size_t i = 0; i < g->n_exceptions; i++)
		if (!strcmp(g->exceptions[i].what, what))
			return true;
	return false;
}

enum ia_tri mb_group_verdict(const struct ia_audit *a, int gid)
{
	return mb_group_of(a, gid)->userspace_assignable;
}

enum ia_tri mb_group_ownership(const struct ia_audit *a, int gid)
{
	return mb_group_of(a, gid)->dma_ownership_viable;
}

enum ia_tri mb_group_sva(const struct ia_audit *a, int gid, const char *bdf)
{
	const struct ia_group_verdict *g = mb_group_of(a, gid);

	for (size_t i = 0; i < g->n_sva; i++)
		if (!strcmp(g->sva[i].bdf, bdf))
			return g->sva[i].viable;
	return IA_UNKNOWN;
}

enum ia_tri mb_irq_isolated(const struct ia_audit *a)
{
	return mb_result(a)->irq_isolated;
}

const char *mb_noiommu_state(const struct ia_audit *a)
{
	return mb_result(a)->noiommu_state;
}
