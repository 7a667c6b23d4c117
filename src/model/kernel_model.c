// SPDX-License-Identifier: GPL-2.0-or-later
// Load the kernel facts of one audit (command line, configuration, module parameters, interrupts) into arrays.
#include "model/kernel_model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "core/array.h"
#include "core/db.h"
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

/* A text column copied, or NULL for SQL NULL; *@err = -ENOMEM when the copy fails. */
static char *kernel_col(sqlite3_stmt *st, int col, int *err)
{
	char *s = ia_db_col_strdup(st, col);

	if (!s && sqlite3_column_type(st, col) != SQLITE_NULL)
		*err = -ENOMEM;
	return s;
}

/* Run @sql and hand each row to @row (which appends to @k); 0, -IA_E_SQLITE or @row's error. */
static int kernel_scan(sqlite3 *db, const char *sql, struct ia_kernel_facts *k,
		       int (*row)(sqlite3_stmt *st, struct ia_kernel_facts *k, size_t *cap))
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = 0, s;

	if (ia_db_prepare(db, sql, &st))
		return -IA_E_SQLITE;
	while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW)
		rc = row(st, k, &cap);
	if (rc == 0 && s != SQLITE_DONE)
		rc = -IA_E_SQLITE;
	sqlite3_finalize(st);
	return rc;
}

static int kernel_row_param(sqlite3_stmt *st, struct ia_kernel_facts *k, size_t *cap)
{
	int err = 0;

	if (kernel_grow((void **)&k->params, k->n_params, cap, sizeof(*k->params)))
		return -ENOMEM;
	struct ia_cmdline_param *p = &k->params[k->n_params++];
	p->key = kernel_col(st, 0, &err);
	p->value = kernel_col(st, 1, &err);
	return err ? err : p->key ? 0 : -ENOMEM;
}

static int kernel_row_kconfig(sqlite3_stmt *st, struct ia_kernel_facts *k, size_t *cap)
{
	int err = 0;

	if (kernel_grow((void **)&k->kconfig, k->n_kconfig, cap, sizeof(*k->kconfig)))
		return -ENOMEM;
	struct ia_kconfig_option *o = &k->kconfig[k->n_kconfig++];
	o->option = kernel_col(st, 0, &err);
	o->value = kernel_col(st, 1, &err);
	return err ? err : o->option && o->value ? 0 : -ENOMEM;
}

static int kernel_row_mparam(sqlite3_stmt *st, struct ia_kernel_facts *k, size_t *cap)
{
	int err = 0;

	if (kernel_grow((void **)&k->mparams, k->n_mparams, cap, sizeof(*k->mparams)))
		return -ENOMEM;
	struct ia_module_param *m = &k->mparams[k->n_mparams++];
	m->module = kernel_col(st, 0, &err);
	m->name = kernel_col(st, 1, &err);
	m->value = kernel_col(st, 2, &err);
	return err ? err : m->module && m->name ? 0 : -ENOMEM;
}

static int kernel_row_sysfs_module(sqlite3_stmt *st, struct ia_kernel_facts *k, size_t *cap)
{
	int err = 0;

	if (kernel_grow((void **)&k->sysfs_modules, k->n_sysfs_modules, cap, sizeof(*k->sysfs_modules)))
		return -ENOMEM;
	char *s = kernel_col(st, 0, &err);
	k->sysfs_modules[k->n_sysfs_modules++] = s;
	return err ? err : s ? 0 : -ENOMEM;
}

static int kernel_row_noiommu(sqlite3_stmt *st, struct ia_kernel_facts *k, size_t *cap)
{
	if (kernel_grow((void **)&k->vfio_noiommu, k->n_vfio_noiommu, cap, sizeof(*k->vfio_noiommu)))
		return -ENOMEM;
	k->vfio_noiommu[k->n_vfio_noiommu++] = sqlite3_column_int(st, 0);
	return 0;
}


static int kernel_row_irq_arch(sqlite3_stmt *st, struct ia_kernel_facts *k, size_t *cap, bool x86_64)
{
	int err = 0;
	struct ia_msi_chip mc;

	if (kernel_grow((void **)&k->irqs, k->n_irqs, cap, sizeof(*k->irqs)))
		return -ENOMEM;
	struct ia_irq_chip *c = &k->irqs[k->n_irqs++];
	c->irq = kernel_col(st, 0, &err);
	c->chip = kernel_col(st, 1, &err);
	c->isolating_parent = kernel_col(st, 2, &err);
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
		if (ia_irq_hwirq_decode((const char *)sqlite3_column_text(st, 3), &hw) == 0) {
			ia_x86_msi_hwirq_bdf(hw, bdf);
			if (!(c->msi_bdf = strdup(bdf)))
				return -ENOMEM;
		}
	}
	return 0;
}

static int kernel_row_irq_x86(sqlite3_stmt *st, struct ia_kernel_facts *k, size_t *cap)
{
	return kernel_row_irq_arch(st, k, cap, true);
}

static int kernel_row_irq_other(sqlite3_stmt *st, struct ia_kernel_facts *k, size_t *cap)
{
	return kernel_row_irq_arch(st, k, cap, false);
}

static int kernel_config_source(sqlite3 *db, struct ia_kernel_facts *k)
{
	sqlite3_stmt *st;
	int rc = 0, s;

	if (ia_db_prepare(db, "SELECT kernel_config_source FROM host WHERE id = 1", &st))
		return -IA_E_SQLITE;
	if ((s = sqlite3_step(st)) == SQLITE_ROW)
		k->kconfig_source = kernel_col(st, 0, &rc);
	else if (s != SQLITE_DONE)
		rc = -IA_E_SQLITE;
	sqlite3_finalize(st);
	return rc;
}

int ia_kernel_facts_load(sqlite3 *db, const char *arch, struct ia_kernel_facts **out)
{
	struct ia_kernel_facts *k = calloc(1, sizeof(*k));
	bool x86_64 = arch && !strcmp(arch, "x86_64");
	int rc;

	if (!k)
		return -ENOMEM;
	if ((rc = kernel_config_source(db, k)) ||
	    (rc = kernel_scan(db, "SELECT key, value FROM cmdline_param ORDER BY seq", k, kernel_row_param)) ||
	    (rc = kernel_scan(db, "SELECT option, value FROM kernel_config ORDER BY option", k, kernel_row_kconfig)) ||
	    (rc = kernel_scan(db, "SELECT module, name, value FROM module_param ORDER BY module, name", k,
			      kernel_row_mparam)) ||
	    (rc = kernel_scan(db, "SELECT name FROM sysfs_module ORDER BY name", k, kernel_row_sysfs_module)) ||
	    (rc = kernel_scan(db, "SELECT CAST(substr(name, 9) AS INTEGER) FROM vfio_node"
				  " WHERE name GLOB 'noiommu-[0-9]*'", k, kernel_row_noiommu)) ||
	    /* in collection order (rowid), which decides the example a finding names */
	    (rc = kernel_scan(db, "SELECT irq, chip, isolating_parent, hwirq FROM interrupt_chip ORDER BY rowid", k,
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
