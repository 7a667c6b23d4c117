// SPDX-License-Identifier: GPL-2.0-or-later
// Load the kernel facts of one audit (command line, configuration, module parameters, interrupts) into arrays.
#include "model/kernel_model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "core/array.h"
#include "core/db.h"
#include "core/facts.h"
#include "core/ia_err.h"
#include "decode/interrupts.h"

/* Make room for one more element of @size in *@v; zero it. 0 or -ENOMEM. */
static int kernel_grow(void **v, size_t n, size_t *cap, size_t size)
{
	if (ia_array_reserve(v, cap, n + 1, size))
		return -ENOMEM;
	memset((char *)*v + n * size, 0, size);
	return 0;
}

/* A copy of @v (NULL stays NULL); *@err = -ENOMEM when the copy fails. */
static char *kernel_dup(const char *v, int *err)
{
	char *s = v ? strdup(v) : NULL;

	if (v && !s)
		*err = -ENOMEM;
	return s;
}

/* Read @columns of table @t (its description in core/facts.h) in the order @tail gives, and hand
 * each row (a struct ia_fact_<t>) to @row, which appends to @k. 0, -IA_E_SQLITE, -ENOMEM or
 * @row's error. */
static int kernel_scan(sqlite3 *db, enum ia_fact_table_id t, const char *columns, const char *tail,
		       void *row_buf, struct ia_kernel_facts *k,
		       int (*row)(const void *r, struct ia_kernel_facts *k, size_t *cap))
{
	struct ia_fact_cursor c;
	size_t cap = 0;
	int rc, s;

	if ((rc = ia_fact_select(db, t, columns, tail, &c)) < 0)
		return rc == -EINVAL ? -IA_E_SQLITE : rc;
	while ((s = ia_fact_next(&c, row_buf)) == 1 && (rc = row(row_buf, k, &cap)) == 0)
		;
	ia_fact_cursor_close(&c);
	return rc ? rc : s < 0 ? s : 0;
}

static int kernel_row_param(const void *r, struct ia_kernel_facts *k, size_t *cap)
{
	const struct ia_fact_cmdline_param *f = r;
	int err = 0;

	if (kernel_grow((void **)&k->params, k->n_params, cap, sizeof(*k->params)))
		return -ENOMEM;
	struct ia_cmdline_param *p = &k->params[k->n_params++];
	p->key = kernel_dup(f->key ? f->key : "", &err);
	p->value = kernel_dup(f->value, &err);
	return err;
}

static int kernel_row_kconfig(const void *r, struct ia_kernel_facts *k, size_t *cap)
{
	const struct ia_fact_kernel_config *f = r;
	int err = 0;

	if (kernel_grow((void **)&k->kconfig, k->n_kconfig, cap, sizeof(*k->kconfig)))
		return -ENOMEM;
	struct ia_kconfig_option *o = &k->kconfig[k->n_kconfig++];
	o->option = kernel_dup(f->option ? f->option : "", &err);
	o->value = kernel_dup(f->value ? f->value : "", &err);
	return err;
}

static int kernel_row_mparam(const void *r, struct ia_kernel_facts *k, size_t *cap)
{
	const struct ia_fact_module_param *f = r;
	int err = 0;

	if (kernel_grow((void **)&k->mparams, k->n_mparams, cap, sizeof(*k->mparams)))
		return -ENOMEM;
	struct ia_module_param *m = &k->mparams[k->n_mparams++];
	m->module = kernel_dup(f->module ? f->module : "", &err);
	m->name = kernel_dup(f->name ? f->name : "", &err);
	m->value = kernel_dup(f->value, &err);
	return err;
}

static int kernel_row_sysfs_module(const void *r, struct ia_kernel_facts *k, size_t *cap)
{
	const struct ia_fact_sysfs_module *f = r;
	int err = 0;

	if (kernel_grow((void **)&k->sysfs_modules, k->n_sysfs_modules, cap, sizeof(*k->sysfs_modules)))
		return -ENOMEM;
	k->sysfs_modules[k->n_sysfs_modules++] = kernel_dup(f->name ? f->name : "", &err);
	return err;
}

static int kernel_row_loaded_module(const void *r, struct ia_kernel_facts *k, size_t *cap)
{
	const struct ia_fact_loaded_module *f = r;
	int err = 0;

	if (kernel_grow((void **)&k->loaded_modules, k->n_loaded_modules, cap, sizeof(*k->loaded_modules)))
		return -ENOMEM;
	k->loaded_modules[k->n_loaded_modules++] = kernel_dup(f->name ? f->name : "", &err);
	return err;
}

/* The numbers N of dev/vfio/noiommu-N: a derived value, not a column, so a query of its own. */
static int kernel_vfio_noiommu(sqlite3 *db, struct ia_kernel_facts *k)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = 0, s;

	if (ia_db_prepare(db, "SELECT CAST(substr(name, 9) AS INTEGER) FROM vfio_node WHERE name GLOB 'noiommu-[0-9]*'",
			  &st))
		return -IA_E_SQLITE;
	while ((s = ia_db_step(st)) == SQLITE_ROW) {
		if ((rc = kernel_grow((void **)&k->vfio_noiommu, k->n_vfio_noiommu, &cap, sizeof(*k->vfio_noiommu))))
			break;
		k->vfio_noiommu[k->n_vfio_noiommu++] = sqlite3_column_int(st, 0);
	}
	if (rc == 0 && s != SQLITE_DONE)
		rc = -IA_E_SQLITE;
	sqlite3_finalize(st);
	return rc;
}

static int kernel_row_irq_arch(const void *r, struct ia_kernel_facts *k, size_t *cap, bool x86_64)
{
	const struct ia_fact_interrupt_chip *f = r;
	int err = 0;
	struct ia_msi_chip mc;

	if (kernel_grow((void **)&k->irqs, k->n_irqs, cap, sizeof(*k->irqs)))
		return -ENOMEM;
	struct ia_irq_chip *c = &k->irqs[k->n_irqs++];
	c->irq = kernel_dup(f->irq, &err);
	c->chip = kernel_dup(f->chip, &err);
	c->isolating_parent = kernel_dup(f->isolating_parent, &err);
	if (err)
		return err;
	ia_msi_chip_decode(c->chip, &mc);
	c->pci_msi = mc.pci_msi;
	if (mc.has_bdf) {
		if (!(c->msi_bdf = strndup(c->chip + mc.bdf_off, mc.bdf_len)))
			return -ENOMEM;
	} else if (mc.rid_in_hwirq && x86_64) {
		uint64_t hw;
		char bdf[IA_BDF_BUFSZ];
		if (ia_irq_hwirq_decode(f->hwirq, &hw) == 0) {
			ia_x86_msi_hwirq_bdf(hw, bdf);
			if (!(c->msi_bdf = strdup(bdf)))
				return -ENOMEM;
		}
	}
	return 0;
}

static int kernel_row_irq_x86(const void *r, struct ia_kernel_facts *k, size_t *cap)
{
	return kernel_row_irq_arch(r, k, cap, true);
}

static int kernel_row_irq_other(const void *r, struct ia_kernel_facts *k, size_t *cap)
{
	return kernel_row_irq_arch(r, k, cap, false);
}

static int kernel_config_source(sqlite3 *db, struct ia_kernel_facts *k)
{
	struct ia_fact_cursor c;
	struct ia_fact_host h = {0};
	int rc = ia_fact_select(db, IA_FACT_host, "kernel_config_source", "WHERE id = 1", &c), s;

	if (rc < 0)
		return rc == -EINVAL ? -IA_E_SQLITE : rc;
	if ((s = ia_fact_next(&c, &h)) == 1)
		k->kconfig_source = kernel_dup(h.kernel_config_source, &rc);
	else if (s < 0)
		rc = s;
	ia_fact_cursor_close(&c);
	return rc;
}

int ia_kernel_facts_load(sqlite3 *db, const char *arch, struct ia_kernel_facts **out)
{
	struct ia_kernel_facts *k = calloc(1, sizeof(*k));
	bool x86_64 = arch && !strcmp(arch, "x86_64");
	struct ia_fact_cmdline_param p;
	struct ia_fact_kernel_config o;
	struct ia_fact_module_param m;
	struct ia_fact_sysfs_module sm;
	struct ia_fact_loaded_module lm;
	struct ia_fact_interrupt_chip ic;
	int rc;

	if (!k)
		return -ENOMEM;
	if ((rc = kernel_config_source(db, k)) ||
	    (rc = kernel_scan(db, IA_FACT_cmdline_param, "key, value", "ORDER BY seq", &p, k, kernel_row_param)) ||
	    (rc = kernel_scan(db, IA_FACT_kernel_config, "option, value", "ORDER BY option", &o, k, kernel_row_kconfig)) ||
	    (rc = kernel_scan(db, IA_FACT_module_param, "module, name, value", "ORDER BY module, name", &m, k,
			      kernel_row_mparam)) ||
	    (rc = kernel_scan(db, IA_FACT_sysfs_module, "name", "ORDER BY name", &sm, k, kernel_row_sysfs_module)) ||
	    (rc = kernel_scan(db, IA_FACT_loaded_module, "name", "ORDER BY name", &lm, k, kernel_row_loaded_module)) ||
	    (rc = kernel_vfio_noiommu(db, k)) ||
	    /* in collection order (rowid), which decides the example a finding names */
	    (rc = kernel_scan(db, IA_FACT_interrupt_chip, "irq, chip, isolating_parent, hwirq", "ORDER BY rowid", &ic, k,
			      x86_64 ? kernel_row_irq_x86 : kernel_row_irq_other))) {
		ia_kernel_facts_free(k);
		return rc;
	}
	*out = k;
	return 0;
}

void ia_kernel_facts_free(struct ia_kernel_facts *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n_params; i++) {
		free(k->params[i].key);
		free(k->params[i].value);
	}
	free(k->params);
	free(k->kconfig_source);
	for (size_t i = 0; i < k->n_kconfig; i++) {
		free(k->kconfig[i].option);
		free(k->kconfig[i].value);
	}
	free(k->kconfig);
	for (size_t i = 0; i < k->n_mparams; i++) {
		free(k->mparams[i].module);
		free(k->mparams[i].name);
		free(k->mparams[i].value);
	}
	free(k->mparams);
	for (size_t i = 0; i < k->n_sysfs_modules; i++)
		free(k->sysfs_modules[i]);
	free(k->sysfs_modules);
	for (size_t i = 0; i < k->n_loaded_modules; i++)
		free(k->loaded_modules[i]);
	free(k->loaded_modules);
	free(k->vfio_noiommu);
	for (size_t i = 0; i < k->n_irqs; i++) {
		free(k->irqs[i].irq);
		free(k->irqs[i].chip);
		free(k->irqs[i].isolating_parent);
		free(k->irqs[i].msi_bdf);
	}
	free(k->irqs);
	free(k);
}

static int kernel_cmp_kconfig(const void *key, const void *e)
{
	return strcmp((const char *)key, ((const struct ia_kconfig_option *)e)->option);
}

const char *ia_kernel_kconfig(const struct ia_kernel_facts *k, const char *option)
{
	const struct ia_kconfig_option *o =
		k && k->n_kconfig ? bsearch(option, k->kconfig, k->n_kconfig, sizeof(*k->kconfig), kernel_cmp_kconfig)
				  : NULL;

	return o ? o->value : NULL;
}

const struct ia_module_param *ia_kernel_module_param(const struct ia_kernel_facts *k, const char *module,
						     const char *name)
{
	/* a handful of rows: a linear scan */
	for (size_t i = 0; k && i < k->n_mparams; i++)
		if (!strcmp(k->mparams[i].module, module) && !strcmp(k->mparams[i].name, name))
			return &k->mparams[i];
	return NULL;
}

bool ia_kernel_sysfs_module(const struct ia_kernel_facts *k, const char *name)
{
	for (size_t i = 0; k && i < k->n_sysfs_modules; i++)
		if (!strcmp(k->sysfs_modules[i], name))
			return true;
	return false;
}

bool ia_kernel_loaded_module(const struct ia_kernel_facts *k, const char *name)
{
	for (size_t i = 0; k && i < k->n_loaded_modules; i++)
		if (!strcmp(k->loaded_modules[i], name))
			return true;
	return false;
}

int ia_kernel_vfio_noiommu_param(const struct ia_kernel_facts *k, const struct ia_module_param **param)
{
	static const char *const others[] = { "vfio_iommu_type1", "vfio_pci", "iommufd" };
	const struct ia_module_param *p = ia_kernel_module_param(k, "vfio", "enable_unsafe_noiommu_mode");

	if (!k)
		return -1;
	if (p) {
		*param = p;
		return 1;
	}
	if (ia_kernel_sysfs_module(k, "vfio"))
		return 0;
	if (!ia_kernel_loaded_module(k, "vfio"))
		return -1;
	for (size_t i = 0; i < k->n_mparams; i++)
		for (size_t m = 0; m < sizeof(others) / sizeof(*others); m++)
			if (!strcmp(k->mparams[i].module, others[m]))
				return 0;
	return -1;
}
