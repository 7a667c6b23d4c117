// SPDX-License-Identifier: GPL-2.0-or-later
// The fact tables' descriptors (src/core/facts.h) and what they drive: CREATE TABLE, INSERT, SELECT, binding and reading rows.
#include "core/db.h"
#include "core/facts.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ia_err.h"

#define FACT_TYPE_INTEGER IA_FACT_INTEGER
#define FACT_TYPE_TEXT IA_FACT_TEXT
#define FACT_TYPE_BLOB IA_FACT_BLOB
#define FACT_COLUMN_(name, type, cons, comment) \
	{ #name, FACT_TYPE_##type, cons, comment, offsetof(FACT_ROW, name) },
/* fact_cols_<table>[]: FACT_ROW names the table's row struct while its list expands (offsetof()
 * needs the struct, which a column line does not name). A table missing here fails to compile. */
#define FACT_COLUMNS_(table) static const struct ia_fact_column fact_cols_##table[] = { IA_FACTS_##table(FACT_COLUMN_) };
#define FACT_ROW struct ia_fact_run
FACT_COLUMNS_(run)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_host
FACT_COLUMNS_(host)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_cmdline_param
FACT_COLUMNS_(cmdline_param)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_kernel_config
FACT_COLUMNS_(kernel_config)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_module_param
FACT_COLUMNS_(module_param)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_sysfs_module
FACT_COLUMNS_(sysfs_module)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_loaded_module
FACT_COLUMNS_(loaded_module)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_pci_driver
FACT_COLUMNS_(pci_driver)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_vfio_node
FACT_COLUMNS_(vfio_node)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_interrupt_chip
FACT_COLUMNS_(interrupt_chip)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_pci_function
FACT_COLUMNS_(pci_function)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_pci_capability
FACT_COLUMNS_(pci_capability)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_pci_bar
FACT_COLUMNS_(pci_bar)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_iommu_group
FACT_COLUMNS_(iommu_group)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_iommu_group_device
FACT_COLUMNS_(iommu_group_device)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_reserved_region
FACT_COLUMNS_(reserved_region)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_iommu_unit
FACT_COLUMNS_(iommu_unit)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_iommu_unit_device
FACT_COLUMNS_(iommu_unit_device)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_collection_error
FACT_COLUMNS_(collection_error)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_acpi_table
FACT_COLUMNS_(acpi_table)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_dmar_info
FACT_COLUMNS_(dmar_info)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_dmar_structure
FACT_COLUMNS_(dmar_structure)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_dmar_scope
FACT_COLUMNS_(dmar_scope)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_ivrs_info
FACT_COLUMNS_(ivrs_info)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_fw_unit
FACT_COLUMNS_(fw_unit)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_fw_unit_device
FACT_COLUMNS_(fw_unit_device)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_fw_region
FACT_COLUMNS_(fw_region)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_fw_region_target
FACT_COLUMNS_(fw_region_target)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_msi_controller
FACT_COLUMNS_(msi_controller)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_pci_msi_route
FACT_COLUMNS_(pci_msi_route)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_dt_blob
FACT_COLUMNS_(dt_blob)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_dt_host_bridge
FACT_COLUMNS_(dt_host_bridge)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_dt_port
FACT_COLUMNS_(dt_port)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_audit_run
FACT_COLUMNS_(audit_run)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_audit_finding
FACT_COLUMNS_(audit_finding)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_audit_group
FACT_COLUMNS_(audit_group)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_audit_group_item
FACT_COLUMNS_(audit_group_item)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_host_use
FACT_COLUMNS_(host_use)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_host_use_source
FACT_COLUMNS_(host_use_source)
#undef FACT_ROW
#define FACT_ROW struct ia_fact_host_identity
FACT_COLUMNS_(host_identity)
#undef FACT_ROW

#define FACT_TABLE_(table, opts, tcons, what) \
	[IA_FACT_##table] = { #table, opts, tcons, what, fact_cols_##table, \
			      sizeof(fact_cols_##table) / sizeof(fact_cols_##table[0]) },
const struct ia_fact_table ia_fact_tables[IA_FACT_N_TABLES] = { IA_FACT_TABLES(FACT_TABLE_) };

static const char *const fact_type_name[] = { "INTEGER", "TEXT", "BLOB" };

/* A growable string; a failed append sets oom and keeps what was built. */
struct fact_buf {
	char *s;
	size_t n, cap;
	bool oom;
};

static void fact_put(struct fact_buf *b, const char *s)
{
	size_t k = strlen(s);

	if (b->oom)
		return;
	if (b->n + k + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 256;
		while (nc < b->n + k + 1)
			nc *= 2;
		char *ns = realloc(b->s, nc);
		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = nc;
	}
	memcpy(b->s + b->n, s, k + 1);
	b->n += k;
}

/* The CREATE TABLE of @t into @b: one line per column, "-- comment" at column 38. */
static void fact_create_sql(struct fact_buf *b, const struct ia_fact_table *t)
{
	fact_put(b, "-- ");
	fact_put(b, t->name);
	fact_put(b, ": ");
	fact_put(b, t->what);
	fact_put(b, "\nCREATE TABLE ");
	fact_put(b, t->name);
	fact_put(b, " (\n");
	for (size_t i = 0; i < t->n_columns; i++) {
		const struct ia_fact_column *c = &t->columns[i];
		bool last = i + 1 == t->n_columns && !t->table_constraint[0];
		char line[256];
		snprintf(line, sizeof(line), "  %s %s%s%s%s", c->name, fact_type_name[c->type], c->constraint[0] ? " " : "",
			 c->constraint, last ? "" : ",");
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%*s", strlen(line) < 37 ? (int)(37 - strlen(line)) : 1, "");
		fact_put(b, line);
		fact_put(b, "-- ");
		fact_put(b, c->comment);
		fact_put(b, "\n");
	}
	if (t->table_constraint[0]) {
		fact_put(b, "  ");
		fact_put(b, t->table_constraint);
		fact_put(b, "\n");
	}
	fact_put(b, ") ");
	fact_put(b, t->options);
	fact_put(b, ";\n\n");
}

static const char *fact_schema;
static pthread_once_t fact_schema_once = PTHREAD_ONCE_INIT;

static void fact_schema_build(void)
{
	struct fact_buf b = {0};

	fact_put(&b, "-- The iommu-audit fact database: what the collectors saw, one row per fact, NULL where unreadable;\n"
		     "-- and, written by `audit --db`, the audit's verdicts (the audit_* tables, empty otherwise).\n"
		     "-- Generated from the table descriptions in src/core/facts.h; PRAGMA user_version holds the\n"
		     "-- schema version (IA_DB_SCHEMA_VERSION in src/core/db.h).\n\n");
	for (size_t i = 0; i < IA_FACT_N_TABLES; i++)
		fact_create_sql(&b, &ia_fact_tables[i]);
	if (b.oom) {
		free(b.s);
		fact_schema = "-- out of memory\nSELECT RAISE(ABORT, 'no memory');\n";
		return;
	}
	fact_schema = b.s;
}

const char *ia_fact_schema_sql(void)
{
	pthread_once(&fact_schema_once, fact_schema_build);
	return fact_schema;
}

_Static_assert(IA_FACT_N_TABLES <= 64, "ia_fact_parents() returns the tables as bits of a uint64_t");

uint64_t ia_fact_parents(enum ia_fact_table_id id)
{
	const struct ia_fact_table *t = &ia_fact_tables[id];
	uint64_t set = 0;

	for (size_t i = 0; i < t->n_columns; i++) {
		const char *r = strstr(t->columns[i].constraint, "REFERENCES ");
		if (!r)
			continue;
		r += strlen("REFERENCES ");
		size_t len = strcspn(r, "( ");
		for (size_t k = 0; k < IA_FACT_N_TABLES; k++)
			if (strlen(ia_fact_tables[k].name) == len && !strncmp(ia_fact_tables[k].name, r, len))
				set |= (uint64_t)1 << k;
	}
	return set;
}

/* Prepare "<head> <columns> <mid> [<params>] <tail>" for table @t. */
static int fact_prepare(sqlite3 *db, const struct ia_fact_table *t, const char *head, const char *mid,
			bool params, const char *tail, sqlite3_stmt **st)
{
	struct fact_buf b = {0};
	int rc;

	*st = NULL;
	fact_put(&b, head);
	for (size_t i = 0; i < t->n_columns; i++) {
		fact_put(&b, i ? ", " : "");
		fact_put(&b, t->columns[i].name);
	}
	fact_put(&b, mid);
	for (size_t i = 0; params && i < t->n_columns; i++)
		fact_put(&b, i ? ",?" : "?");
	fact_put(&b, tail);
	if (b.oom) {
		free(b.s);
		return -ENOMEM;
	}
	rc = sqlite3_prepare_v2(db, b.s, -1, st, NULL) == SQLITE_OK ? 0 : -IA_E_SQLITE;
	free(b.s);
	return rc;
}

int ia_fact_prepare_insert(sqlite3 *db, enum ia_fact_table_id id, const char *conflict, sqlite3_stmt **st)
{
	const struct ia_fact_table *t = &ia_fact_tables[id];
	char head[128];

	snprintf(head, sizeof(head), "INSERT %s%sINTO %s(", conflict ? conflict : "", conflict ? " " : "", t->name);
	return fact_prepare(db, t, head, ") VALUES (", true, ")", st);
}

int ia_fact_prepare_select(sqlite3 *db, enum ia_fact_table_id id, const char *tail, sqlite3_stmt **st)
{
	const struct ia_fact_table *t = &ia_fact_tables[id];
	char mid[128];

	snprintf(mid, sizeof(mid), " FROM %s%s", t->name, tail ? " " : "");
	return fact_prepare(db, t, "SELECT ", mid, false, tail ? tail : "", st);
}

void ia_fact_bind(sqlite3_stmt *st, enum ia_fact_table_id id, const void *row)
{
	const struct ia_fact_table *t = &ia_fact_tables[id];
	const char *r = row;

	for (size_t i = 0; i < t->n_columns; i++) {
		const void *f = r + t->columns[i].offset;
		int p = (int)i + 1;
		switch (t->columns[i].type) {
		case IA_FACT_INTEGER: {
			const struct ia_fact_int *v = f;
			if (v->has)
				sqlite3_bind_int64(st, p, v->v);
			else
				sqlite3_bind_null(st, p);
			break;
		}
		case IA_FACT_TEXT: {
			const char *s = *(const char *const *)f;
			if (s)
				sqlite3_bind_text(st, p, s, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, p);
			break;
		}
		case IA_FACT_BLOB: {
			const struct ia_fact_blob *v = f;
			if (v->p)
				sqlite3_bind_blob64(st, p, v->p, v->n, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, p);
			break;
		}
		}
	}
}

/* Result column @i of @st into @f, the field @c describes. One sqlite3_column_value() per column
 * (one mutex trip, not a type and a value call), read at once on the stepping thread: the SQLite
 * documentation's condition for an unprotected value. */
static void fact_read_value(sqlite3_stmt *st, int i, const struct ia_fact_column *c, void *f)
{
	sqlite3_value *x = sqlite3_column_value(st, i);
	bool null = sqlite3_value_type(x) == SQLITE_NULL;

	switch (c->type) {
	case IA_FACT_INTEGER:
		*(struct ia_fact_int *)f = (struct ia_fact_int){ !null, null ? 0 : sqlite3_value_int64(x) };
		break;
	case IA_FACT_TEXT:
		*(const char **)f = null ? NULL : (const char *)sqlite3_value_text(x);
		break;
	case IA_FACT_BLOB:
		*(struct ia_fact_blob *)f = null ? (struct ia_fact_blob){ NULL, 0 }
			: (struct ia_fact_blob){ sqlite3_value_blob(x), (size_t)sqlite3_value_bytes(x) };
		break;
	}
}

void ia_fact_read(sqlite3_stmt *st, enum ia_fact_table_id id, void *row)
{
	const struct ia_fact_table *t = &ia_fact_tables[id];

	for (size_t i = 0; i < t->n_columns; i++)
		fact_read_value(st, (int)i, &t->columns[i], (char *)row + t->columns[i].offset);
}

int ia_fact_select(sqlite3 *db, enum ia_fact_table_id id, const char *columns, const char *tail,
		   struct ia_fact_cursor *c)
{
	const struct ia_fact_table *t = &ia_fact_tables[id];
	struct fact_buf b = {0};
	int rc;

	memset(c, 0, sizeof(*c));
	c->table = id;
	fact_put(&b, "SELECT ");
	if (!columns) {
		if (t->n_columns > IA_FACT_MAX_COLUMNS)
			return -EINVAL;
		for (size_t i = 0; i < t->n_columns; i++) {
			c->cols[c->n++] = &t->columns[i];
			fact_put(&b, i ? ", " : "");
			fact_put(&b, t->columns[i].name);
		}
	} else {
		for (const char *p = columns; *p;) {
			size_t len = strcspn(p, ", "), i = 0;
			while (i < t->n_columns && (strlen(t->columns[i].name) != len || strncmp(t->columns[i].name, p, len)))
				i++;
			if (!len || i == t->n_columns || c->n == IA_FACT_MAX_COLUMNS) {
				free(b.s);
				return -EINVAL;
			}
			c->cols[c->n] = &t->columns[i];
			fact_put(&b, c->n++ ? ", " : "");
			fact_put(&b, t->columns[i].name);
			p += len;
			p += strspn(p, ", ");
		}
	}
	fact_put(&b, " FROM ");
	fact_put(&b, t->name);
	if (tail) {
		fact_put(&b, " ");
		fact_put(&b, tail);
	}
	if (b.oom) {
		free(b.s);
		return -ENOMEM;
	}
	rc = sqlite3_prepare_v2(db, b.s, -1, &c->st, NULL) == SQLITE_OK ? 0 : -IA_E_SQLITE;
	free(b.s);
	if (rc) {
		sqlite3_finalize(c->st);
		c->st = NULL;
	}
	return rc;
}

int ia_fact_next(struct ia_fact_cursor *c, void *row)
{
	int rc = ia_db_step(c->st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -IA_E_SQLITE;
	for (size_t i = 0; i < c->n; i++)
		fact_read_value(c->st, (int)i, c->cols[i], (char *)row + c->cols[i]->offset);
	return 1;
}

void ia_fact_cursor_close(struct ia_fact_cursor *c)
{
	sqlite3_finalize(c->st);
	c->st = NULL;
}
