// SPDX-License-Identifier: GPL-2.0-or-later
// Load the facts of one audit from the database into arrays.
#include "model/audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/db.h"
#include "core/facts.h"
#include "model/firmware_model.h"
#include "model/kernel_model.h"
#include "core/ia_err.h"

static int audit_cmp_group_id(const void *k, const void *e)
{
	int id = *(const int *)k, gid = ((const struct ia_group *)e)->id;

	return (id > gid) - (id < gid);
}

struct ia_group *ia_audit_find_group(const struct ia_audit *a, int id)
{
	return a->n_groups ? bsearch(&id, a->groups, a->n_groups, sizeof(*a->groups), audit_cmp_group_id) : NULL;
}

bool ia_audit_iommu_active(const struct ia_audit *a)
{
	return a->n_units > 0 || a->n_iommu_groups > 0;
}

char ia_audit_arch(const struct ia_audit *a)
{
	const char *m = a ? a->arch : NULL;

	if (m && (!strcmp(m, "x86_64") || !strcmp(m, "i686") || !strcmp(m, "i386") || !strcmp(m, "x86")))
		return 'x';
	if (m && (!strcmp(m, "aarch64") || !strcmp(m, "arm64")))
		return 'a';
	return 0;
}

bool ia_audit_dev_translated(const struct ia_audit *a, const struct ia_dev *d)
{
	const struct ia_group *g = d && d->has_group ? ia_audit_find_group(a, d->group) : NULL;

	if (!d || !d->has_group || (g && g->noiommu))
		return false;
	for (size_t i = 0; !g && a->kernel && i < a->kernel->n_vfio_noiommu; i++)
		if (a->kernel->vfio_noiommu[i] == d->group)
			return false; /* dev/vfio/noiommu-N of a group whose directory was not captured */
	return true;
}


static int audit_cmp_bdf(const void *k, const void *e)
{
	return strcmp((const char *)k, ((const struct ia_dev *)e)->bdf);
}

/* A BDF of at most 15 bytes as two integers that order as strcmp() orders the strings (the
 * zero padding sorts before every character). False when it does not fit struct ia_dev.bdf. */
static bool audit_bdf_key(const char *bdf, uint64_t key[2])
{
	unsigned char b[16] = {0};
	size_t n = strnlen(bdf, sizeof(b));

	if (n == sizeof(b))
		return false;
	memcpy(b, bdf, n);
	key[0] = key[1] = 0;
	for (size_t i = 0; i < 8; i++) {
		key[0] = key[0] << 8 | b[i];
		key[1] = key[1] << 8 | b[8 + i];
	}
	return true;
}

struct ia_dev *ia_audit_find_dev(const struct ia_audit *a, const char *bdf)
{
	uint64_t k[2];

	if (!a->bdf_keys)
		return a->n_devs ? bsearch(bdf, a->devs, a->n_devs, sizeof(*a->devs), audit_cmp_bdf) : NULL;
	if (!audit_bdf_key(bdf, k))
		return NULL; /* longer than any devs[i].bdf */
	for (size_t lo = 0, hi = a->n_devs; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		const uint64_t *e = a->bdf_keys[mid];
		if (k[0] == e[0] && k[1] == e[1])
			return &a->devs[mid];
		if (k[0] < e[0] || (k[0] == e[0] && k[1] < e[1]))
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The keys of ia_audit_find_dev(), once the devs are loaded; none (the plain search, as before)
 * unless the bounded BDFs are strictly sorted (two stored BDFs longer than ia_dev.bdf may share
 * their first 15 bytes). */
static int audit_index_devs(struct ia_audit *a)
{
	uint64_t (*keys)[2] = malloc((a->n_devs ? a->n_devs : 1) * sizeof(*keys));

	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < a->n_devs; i++) {
		if (!audit_bdf_key(a->devs[i].bdf, keys[i]) ||
		    (i && strcmp(a->devs[i - 1].bdf, a->devs[i].bdf) >= 0)) {
			free(keys);
			return 0;
		}
	}
	a->bdf_keys = keys;
	return 0;
}

/* Step @st; true on a row. A step that neither gives a row nor ends the scan sets *@err. */
static bool audit_step(sqlite3_stmt *st, int *err)
{
	int rc = ia_db_step(st);

	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		*err = -IA_E_SQLITE;
	return rc == SQLITE_ROW;
}

static int audit_load_host(sqlite3 *db, struct ia_audit *a)
{
	sqlite3_stmt *st;
	int64_t v;

	if (ia_db_prepare(db, "SELECT root, live, tool_version, pci_source FROM run WHERE id = 1", &st))
		return -IA_E_SQLITE;
	if (ia_db_step(st) == SQLITE_ROW) {
		a->root = ia_db_col_strdup(st, 0);
		a->live = sqlite3_column_int(st, 1);
		a->tool_version = ia_db_col_strdup(st, 2);
		const char *src = (const char *)sqlite3_column_text(st, 3);
		a->dumps_alone = a->root && !a->root[0];
		if (a->dumps_alone && src && !strncmp(src, "dump:", 5) && asprintf(&a->inputs, "lspci dump %s", src + 5) < 0)
			a->inputs = NULL;
	}
	sqlite3_finalize(st);
	/* the other dumps alone: the acpidump and the blob the firmware facts came from */
	static const char *const dump_sql[][2] = {
		{ "SELECT substr(source, 10) FROM acpi_table WHERE source LIKE 'acpidump:%' LIMIT 1", "acpidump" },
		{ "SELECT substr(source, 5) FROM dt_blob WHERE source LIKE 'dtb:%' LIMIT 1", "device tree blob" },
	};
	for (size_t i = 0; a->dumps_alone && i < sizeof(dump_sql) / sizeof(dump_sql[0]); i++) {
		if (ia_db_prepare(db, dump_sql[i][0], &st))
			return -IA_E_SQLITE;
		if (ia_db_step(st) == SQLITE_ROW) {
			char *t = NULL;
			if (asprintf(&t, "%s%s%s %s", a->inputs ? a->inputs : "", a->inputs ? ", " : "", dump_sql[i][1],
				     (const char *)sqlite3_column_text(st, 0)) < 0) {
				sqlite3_finalize(st);
				return -ENOMEM;
			}
			free(a->inputs);
			a->inputs = t;
		}
		sqlite3_finalize(st);
	}
	if (a->dumps_alone && !a->inputs && !(a->inputs = strdup("dumps")))
		return -ENOMEM;
	if (ia_db_prepare(db, "SELECT kernel_release, kernel_major, kernel_minor, cmdline, arch,"
			      " iommu_groups_dir, kernel_patch, tainted, kernel_stable_source, kernel_backports"
			      " FROM host WHERE id = 1", &st))
		return -IA_E_SQLITE;
	if (ia_db_step(st) == SQLITE_ROW) {
		a->kernel_release = ia_db_col_strdup(st, 0);
		if (ia_db_col_int(st, 1, &v)) {
			a->kernel_major = (int)v;
			a->has_kernel_version = ia_db_col_int(st, 2, &v);
			a->kernel_minor = (int)v;
		}
		a->cmdline = ia_db_col_strdup(st, 3);
		a->arch = ia_db_col_strdup(st, 4);
		a->iommu_groups_dir = sqlite3_column_int(st, 5);
		a->has_kernel_patch = ia_db_col_int(st, 6, &v);
		a->kernel_patch = (int)v;
		a->has_tainted = ia_db_col_int(st, 7, &v);
		a->tainted = (uint64_t)v;
		if (a->has_kernel_patch)
			a->kernel_stable_source = ia_db_col_strdup(st, 8);
		/* unknown (NULL) is taken as backporting: nothing says the release is the upstream one */
		a->kernel_backports = !ia_db_col_int(st, 9, &v) || v;
	}
	sqlite3_finalize(st);
	return 0;
}

/* A 0/1 column as IA_NO/IA_YES, SQL NULL as IA_UNKNOWN. */
static enum ia_tri audit_tri(struct ia_fact_int v)
{
	return v.has ? (v.v ? IA_YES : IA_NO) : IA_UNKNOWN;
}

/* A malloc'd copy of a TEXT column's value, or NULL for SQL NULL (or no memory). */
static char *audit_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* What the device scan hands to the group scan: each function's BDF as stored (ia_dev.bdf is a
 * bounded copy) and its iommu_group link, in BDF order. */
struct audit_scan {
	char **bdf;                 /* n_devs, sorted as SQL's BINARY collation (strcmp) */
	int64_t *group;             /* n_devs; meaningful where devs[i].has_group */
};

static void audit_scan_free(struct audit_scan *sc, size_t n)
{
	for (size_t i = 0; sc->bdf && i < n; i++)
		free(sc->bdf[i]);
	free(sc->bdf);
	free(sc->group);
}

static int audit_cmp_str(const void *k, const void *e)
{
	return strcmp((const char *)k, *(char *const *)e);
}

/* Memory BARs 0-5 of each function: one scan of pci_bar, each row placed by binary search (a
 * BAR of a function absent from pci_function belongs to no device). */
static int audit_load_bars(sqlite3 *db, struct ia_audit *a, const struct audit_scan *sc)
{
	sqlite3_stmt *st;
	int err = 0;

	if (ia_db_prepare(db, "SELECT bdf FROM pci_bar WHERE kind = 'mem' AND idx < 6", &st))
		return -IA_E_SQLITE;
	while (audit_step(st, &err)) {
		const char *bdf = (const char *)sqlite3_column_text(st, 0);
		char **hit = bdf && a->n_devs ? bsearch(bdf, sc->bdf, a->n_devs, sizeof(*sc->bdf), audit_cmp_str) : NULL;
		if (hit)
			a->devs[hit - sc->bdf].n_mem_bars++;
	}
	sqlite3_finalize(st);
	return err;
}

/* The pci_function columns the model holds: each one read costs every function a column decode,
 * so the columns only reports of the facts themselves use (sysfs_path, caps_complete, devcap2,
 * ats_cap, has_ari, the SR-IOV geometry, sysfs_totalvfs) are left in the database. */
static const char audit_dev_columns[] =
	"bdf, domain, bus, dev, fn, vendor, device, subsys_vendor, subsys_device, class, revision, header_type,"
	" multifunction, is_pcie, pcie_type, secondary_bus, subordinate_bus, config_bytes, config_size, has_acs,"
	" acs_offset, acs_cap, acs_ctrl, acs_cap_dw, acs_ctrl_dw, has_ats, has_pri, has_pasid, has_sriov, is_vf,"
	" physfn_bdf, parent_bdf, driver, driver_override, iommu_group, iommu_unit, eetlp_prefix, ats_ctrl,"
	" pri_ctrl, pri_status, pasid_cap, pasid_ctrl, removable, real_dma_bdf, sysfs_numvfs, sriov_ctrl,"
	" sriov_num_vfs, driver_read";

static int audit_load_devs(sqlite3 *db, struct ia_audit *a, struct audit_scan *sc)
{
	struct ia_fact_cursor cur;
	struct ia_fact_pci_function r;
	size_t cap = 0, cap_bdf = 0, cap_group = 0;
	int err = 0, k;

	memset(&r, 0, sizeof(r)); /* the columns not selected stay absent */
	if ((k = ia_fact_select(db, IA_FACT_pci_function, audit_dev_columns, "ORDER BY bdf", &cur)))
		return k == -ENOMEM ? k : -IA_E_SQLITE;
	while (!err && (k = ia_fact_next(&cur, &r)) != 0) {
		if (k < 0) {
			err = k;
			break;
		}
		if ((err = ia_array_reserve((void **)&a->devs, &cap, a->n_devs + 1, sizeof(*a->devs))) ||
		    (err = ia_array_reserve((void **)&sc->bdf, &cap_bdf, a->n_devs + 1, sizeof(*sc->bdf))) ||
		    (err = ia_array_reserve((void **)&sc->group, &cap_group, a->n_devs + 1, sizeof(*sc->group))))
			break;
		struct ia_dev *d = &a->devs[a->n_devs];
		memset(d, 0, sizeof(*d));
		if (!(sc->bdf[a->n_devs] = strdup(r.bdf ? r.bdf : ""))) {
			err = -ENOMEM;
			break;
		}
		a->n_devs++;
		size_t bl = strnlen(sc->bdf[a->n_devs - 1], sizeof(d->bdf) - 1);
		memcpy(d->bdf, sc->bdf[a->n_devs - 1], bl);
		d->bdf[bl] = '\0';
		d->domain = (uint32_t)r.domain.v;
		d->bus = (uint8_t)r.bus.v;
		d->dev = (uint8_t)r.dev.v;
		d->fn = (uint8_t)r.fn.v;
		d->has_ids = r.vendor.has && r.device.has;
		d->vendor = (uint16_t)r.vendor.v;
		d->device = (uint16_t)r.device.v;
		d->has_subsys = r.subsys_vendor.has && r.subsys_device.has;
		d->subsys_vendor = (uint16_t)r.subsys_vendor.v;
		d->subsys_device = (uint16_t)r.subsys_device.v;
		d->has_class = r.class.has;
		d->class_code = (uint32_t)r.class.v;
		d->has_revision = r.revision.has;
		d->revision = (uint8_t)r.revision.v;
		d->has_hdr = r.header_type.has;
		d->hdr_type = (uint8_t)r.header_type.v;
		d->multifunction = audit_tri(r.multifunction);
		d->is_pcie = audit_tri(r.is_pcie);
		d->pcie_type = (uint8_t)r.pcie_type.v;
		d->has_bus_range = r.secondary_bus.has && r.subordinate_bus.has;
		d->secondary_bus = (uint8_t)r.secondary_bus.v;
		d->subordinate_bus = (uint8_t)r.subordinate_bus.v;
		d->config_bytes = (size_t)r.config_bytes.v;
		d->config_size = (size_t)r.config_size.v;
		d->has_acs = audit_tri(r.has_acs);
		d->acs_offset = (uint16_t)r.acs_offset.v;
		d->acs_cap = (uint16_t)r.acs_cap.v;
		d->acs_ctrl = (uint16_t)r.acs_ctrl.v;
		d->acs_cap_dw = (uint32_t)r.acs_cap_dw.v;
		d->acs_ctrl_dw = (uint32_t)r.acs_ctrl_dw.v;
		d->has_ats = audit_tri(r.has_ats);
		d->has_pri = audit_tri(r.has_pri);
		d->has_pasid = audit_tri(r.has_pasid);
		d->has_sriov = audit_tri(r.has_sriov);
		d->is_vf = r.is_vf.v != 0;
		d->physfn = audit_strdup(r.physfn_bdf);
		d->parent = audit_strdup(r.parent_bdf);
		d->driver = audit_strdup(r.driver);
		d->driver_override = audit_strdup(r.driver_override);
		d->has_group = r.iommu_group.has;
		d->group = (int)r.iommu_group.v;
		sc->group[a->n_devs - 1] = r.iommu_group.v;
		d->iommu_unit = audit_strdup(r.iommu_unit);
		d->eetlp_prefix = audit_tri(r.eetlp_prefix);
		d->ats_ctrl = (uint16_t)r.ats_ctrl.v;
		d->pri_ctrl = (uint16_t)r.pri_ctrl.v;
		d->pri_status = (uint16_t)r.pri_status.v;
		d->pasid_cap = (uint16_t)r.pasid_cap.v;
		d->pasid_ctrl = (uint16_t)r.pasid_ctrl.v;
		d->removable = audit_strdup(r.removable);
		d->real_dma = audit_strdup(r.real_dma_bdf);
		/* VFs enabled now: sriov_numvfs, else the config NumVFs, which counts only while VF
		 * Enable (SR-IOV Control bit 0) is set (0 when clear; unknown without the control) */
		struct ia_fact_int nv = r.sysfs_numvfs.has ? r.sysfs_numvfs
			: !r.sriov_ctrl.has ? r.sriov_ctrl : (r.sriov_ctrl.v & 1) ? r.sriov_num_vfs : ia_fact_i(true, 0);
		d->has_numvfs = nv.has;
		d->numvfs = (unsigned)nv.v;
		d->driver_unknown = !r.driver_read.v;
		d->predicted_group = -1;
	}
	ia_fact_cursor_close(&cur);
	return err ? err : audit_load_bars(db, a, sc);
}

/* ia_firmware_apply_interrupts() from the kernel's interrupt table: its PCI MSI chips, the
 * remapped ones ("IR-" parent), and the name of one that is not. */
static int audit_apply_interrupts(struct ia_audit *a)
{
	size_t msi = 0, remapped = 0;
	const char *plain = NULL, *plain_iommu = NULL;

	for (size_t i = 0; i < a->kernel->n_irqs; i++) {
		const struct ia_irq_chip *c = &a->kernel->irqs[i];
		if (!c->pci_msi)
			continue;
		msi++;
		if (c->isolating_parent && !strcmp(c->isolating_parent, "IR")) {
			remapped++;
			continue;
		}
		/* name a device's chip rather than the IOMMU's own (class 08.06), whose event
		 * interrupt is never remapped */
		const struct ia_dev *d = c->msi_bdf ? ia_audit_find_dev(a, c->msi_bdf) : NULL;
		if (d && d->has_class && (d->class_code >> 8) == 0x0806)
			plain_iommu = plain_iommu ? plain_iommu : c->chip;
		else if (!plain)
			plain = c->chip;
	}
	return ia_firmware_apply_interrupts(a->firmware, msi, remapped, plain ? plain : plain_iommu);
}

/* Append @dev to @g's members (a malloc'd copy); 0 or -ENOMEM. */
static int audit_group_add_member(struct ia_group *g, size_t *cap, const char *dev)
{
	if (ia_array_reserve((void **)&g->devices, cap, g->n_devices + 1, sizeof(*g->devices)))
		return -ENOMEM;
	if (!(g->devices[g->n_devices] = strdup(dev)))
		return -ENOMEM;
	g->n_devices++;
	return 0;
}

/* A function's iommu_group link: the group, then the function's index (its BDF order). */
struct audit_link {
	int64_t group;
	size_t dev;
};

static int audit_cmp_link(const void *x, const void *y)
{
	const struct audit_link *p = x, *q = y;

	return p->group != q->group ? (p->group > q->group) - (p->group < q->group) : (p->dev > q->dev) - (p->dev < q->dev);
}

/*
 * Groups in id order, each merged with scans also in group order (one pass each, instead of
 * subqueries and a member query per group): its reserved-region counts, a /dev/vfio/noiommu-N
 * node naming it, and its members, as the group lists them (iommu_group_device) and as functions'
 * iommu_group links name it (from the device scan @sc): each once, in BINARY order, as SQL's
 * UNION ... ORDER BY gave them.
 */
static int audit_load_groups(sqlite3 *db, struct ia_audit *a, const struct audit_scan *sc)
{
	static const char *const sql[] = {
		"SELECT id, type, name, reserved_regions_read, members_read,"
		/* vfio-noiommu (kernel-rules.md §6): a /dev/vfio/noiommu-N node (below), or the name on
		 * a group of a PCI function (emulated-IOMMU mdev groups share the name only) */
		" CASE WHEN g.name = 'vfio-noiommu' THEN EXISTS (SELECT 1 FROM iommu_group_device d"
		"  JOIN pci_function f ON f.bdf = d.device WHERE d.group_id = g.id) ELSE 0 END"
		" FROM iommu_group g ORDER BY id",
		"SELECT group_id, type = 'direct', start, end FROM reserved_region"
		" WHERE type IN ('direct', 'direct-relaxable') ORDER BY group_id, start",
		/* the ids N whose text makes a node name 'noiommu-' || N */
		"SELECT id FROM (SELECT CAST(substr(name, 9) AS INTEGER) AS id, name FROM vfio_node"
		" WHERE substr(name, 1, 8) = 'noiommu-') WHERE 'noiommu-' || id = name ORDER BY id",
		"SELECT group_id, device FROM iommu_group_device ORDER BY group_id, device",
	};
	enum { G, RR, VN, MEM, N_ST };
	sqlite3_stmt *st[N_ST] = {0};
	bool row[N_ST] = {0};
	size_t cap = 0, n_links = 0, l = 0;
	struct audit_link *links = malloc((a->n_devs ? a->n_devs : 1) * sizeof(*links));
	int err = 0;

	if (!links)
		return -ENOMEM;
	for (size_t i = 0; i < a->n_devs; i++)
		if (a->devs[i].has_group)
			links[n_links++] = (struct audit_link){ sc->group[i], i };
	qsort(links, n_links, sizeof(*links), audit_cmp_link);
	for (size_t i = 0; i < N_ST; i++)
		if (ia_db_prepare(db, sql[i], &st[i])) {
			err = -IA_E_SQLITE;
			goto out;
		}
	for (size_t i = RR; i < N_ST; i++)
		row[i] = audit_step(st[i], &err);
	while (!err && audit_step(st[G], &err)) {
		if ((err = ia_array_reserve((void **)&a->groups, &cap, a->n_groups + 1, sizeof(*a->groups))))
			break;
		struct ia_group *g = &a->groups[a->n_groups++];
		int64_t id = sqlite3_column_int64(st[G], 0);
		memset(g, 0, sizeof(*g));
		g->id = (int)id;
		g->type = ia_db_col_strdup(st[G], 1);
		g->name = ia_db_col_strdup(st[G], 2);
		g->resv_read = sqlite3_column_int(st[G], 3);
		g->members_read = sqlite3_column_int(st[G], 4);
		g->noiommu = sqlite3_column_int(st[G], 5);
		/* rows of groups that do not exist are passed over */
		while (row[RR] && sqlite3_column_int64(st[RR], 0) < id)
			row[RR] = audit_step(st[RR], &err);
		for (; row[RR] && sqlite3_column_int64(st[RR], 0) == id; row[RR] = audit_step(st[RR], &err)) {
			if (sqlite3_column_int(st[RR], 1)) {
				g->n_direct++;
				continue;
			}
			/* each relaxable region's range, so a rule can name where it comes from */
			struct ia_resv_range *nr = realloc(g->relaxable, (g->n_relaxable + 1) * sizeof(*nr));
			if (!nr) {
				err = -ENOMEM;
				break;
			}
			g->relaxable = nr;
			nr[g->n_relaxable++] = (struct ia_resv_range){ (uint64_t)sqlite3_column_int64(st[RR], 2),
								       (uint64_t)sqlite3_column_int64(st[RR], 3) };
		}
		while (row[VN] && sqlite3_column_int64(st[VN], 0) < id)
			row[VN] = audit_step(st[VN], &err);
		g->noiommu |= row[VN] && sqlite3_column_int64(st[VN], 0) == id;
		a->n_iommu_groups += !g->noiommu;
		size_t dcap = 0;
		while (row[MEM] && sqlite3_column_int64(st[MEM], 0) < id)
			row[MEM] = audit_step(st[MEM], &err);
		while (l < n_links && links[l].group < id)
			l++;
		for (;;) {
			bool m = row[MEM] && sqlite3_column_int64(st[MEM], 0) == id;
			bool f = l < n_links && links[l].group == id;
			const char *dev = m ? (const char *)sqlite3_column_text(st[MEM], 1) : NULL;
			int c = m && f ? strcmp(dev ? dev : "", sc->bdf[links[l].dev]) : m ? -1 : 1;
			if (err || (!m && !f))
				break;
			if ((err = audit_group_add_member(g, &dcap, c <= 0 ? (dev ? dev : "") : sc->bdf[links[l].dev])))
				break;
			if (c <= 0)
				row[MEM] = audit_step(st[MEM], &err);
			if (c >= 0)
				l++;
		}
	}
out:
	for (size_t i = 0; i < N_ST; i++)
		sqlite3_finalize(st[i]);
	free(links);
	return err;
}

static int audit_load_units(sqlite3 *db, struct ia_audit *a)
{
	sqlite3_stmt *st;
	int64_t v;
	size_t cap = 0;

	if (ia_db_prepare(db, "SELECT name, kind, address, ecap_ir,"
			      " (SELECT count(*) FROM iommu_unit_device d WHERE d.unit = u.name), cap, ecap, efr"
			      " FROM iommu_unit u ORDER BY name", &st))
		return -IA_E_SQLITE;
	int rc = 0;

	while (rc == 0 && ia_db_step(st) == SQLITE_ROW) {
		/* no memory is an error, never fewer units (a host would look as if its IOMMU were off) */
		if ((rc = ia_array_reserve((void **)&a->units, &cap, a->n_units + 1, sizeof(*a->units))))
			break;
		struct ia_unit *u = &a->units[a->n_units++];
		memset(u, 0, sizeof(*u));
		u->name = ia_db_col_strdup(st, 0);
		u->kind = ia_db_col_strdup(st, 1);
		if ((!u->name && sqlite3_column_type(st, 0) != SQLITE_NULL) ||
		    (!u->kind && sqlite3_column_type(st, 1) != SQLITE_NULL))
			rc = -ENOMEM;
		u->has_address = ia_db_col_int(st, 2, &v);
		u->address = (uint64_t)v;
		u->ir = ia_db_col_tri(st, 3);
		u->n_devices = (size_t)sqlite3_column_int64(st, 4);
		u->has_cap = ia_db_col_int(st, 5, &v);
		u->cap = (uint64_t)v;
		u->has_ecap = ia_db_col_int(st, 6, &v);
		u->ecap = (uint64_t)v;
		u->has_efr = ia_db_col_int(st, 7, &v);
		u->efr = (uint64_t)v;
	}
	sqlite3_finalize(st);
	return rc;
}

static int audit_load_errors(sqlite3 *db, struct ia_audit *a)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = 0;

	if (ia_db_prepare(db, "SELECT collector, subject, code, offset, message, hides"
			      " FROM collection_error ORDER BY id", &st))
		return -IA_E_SQLITE;
	while (rc == 0 && ia_db_step(st) == SQLITE_ROW) {
		if ((rc = ia_array_reserve((void **)&a->collect_errors, &cap, a->n_collection_errors + 1,
					   sizeof(*a->collect_errors))))
			break;
		struct ia_collect_error *e = &a->collect_errors[a->n_collection_errors];
		memset(e, 0, sizeof(*e));
		e->collector = ia_db_col_strdup(st, 0);
		e->subject = ia_db_col_strdup(st, 1);
		e->code = sqlite3_column_int(st, 2);
		e->has_offset = ia_db_col_int(st, 3, &e->offset);
		e->message = ia_db_col_strdup(st, 4);
		e->hides = ia_db_col_strdup(st, 5);
		a->n_collection_errors++;
		if ((!e->collector && sqlite3_column_type(st, 0) != SQLITE_NULL) ||
		    (!e->subject && sqlite3_column_type(st, 1) != SQLITE_NULL) ||
		    (!e->message && sqlite3_column_type(st, 4) != SQLITE_NULL) ||
		    (!e->hides && sqlite3_column_type(st, 5) != SQLITE_NULL))
			rc = -ENOMEM;
	}
	sqlite3_finalize(st);
	return rc;
}

/* host_use and host_use_source (collectors/host_use.c), ordered by bdf and path. */
static int audit_load_host_use(sqlite3 *db, struct ia_audit *a)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = 0;

	if (ia_db_prepare(db, "SELECT bdf, use, name, detail, source FROM host_use ORDER BY bdf, use, name", &st))
		return -IA_E_SQLITE;
	while (rc == 0 && ia_db_step(st) == SQLITE_ROW) {
		if ((rc = ia_array_reserve((void **)&a->host_use, &cap, a->n_host_use + 1, sizeof(*a->host_use))))
			break;
		struct ia_host_use *u = &a->host_use[a->n_host_use++];
		const char *bdf = (const char *)sqlite3_column_text(st, 0);
		memset(u, 0, sizeof(*u));
		snprintf(u->bdf, sizeof(u->bdf), "%s", bdf ? bdf : "");
		u->use = ia_db_col_strdup(st, 1);
		u->name = ia_db_col_strdup(st, 2);
		u->detail = ia_db_col_strdup(st, 3);
		u->source = ia_db_col_strdup(st, 4);
		if (!u->use || !u->name || !u->detail || !u->source)
			rc = -ENOMEM;   /* NOT NULL columns: a NULL is no memory */
	}
	sqlite3_finalize(st);
	if (rc)
		return rc;
	cap = 0;
	if (ia_db_prepare(db, "SELECT path, shows, required, status FROM host_use_source ORDER BY path", &st))
		return -IA_E_SQLITE;
	while (rc == 0 && ia_db_step(st) == SQLITE_ROW) {
		if ((rc = ia_array_reserve((void **)&a->host_use_sources, &cap, a->n_host_use_sources + 1,
					   sizeof(*a->host_use_sources))))
			break;
		struct ia_host_use_source *s = &a->host_use_sources[a->n_host_use_sources++];
		s->path = ia_db_col_strdup(st, 0);
		s->shows = ia_db_col_strdup(st, 1);
		s->required = sqlite3_column_int(st, 2) != 0;
		s->status = sqlite3_column_int(st, 3);
		if (!s->path || !s->shows)
			rc = -ENOMEM;
	}
	sqlite3_finalize(st);
	return rc;
}

/* The architecture from proc/cpuinfo's layout (host_identity.cpu_arch) where the kernel collector
 * found none (no proc/sys/kernel/arch, no hint in proc/version, not the live host): a snapshot of an
 * older kernel then says what its live audit said (uname(2)). Return: 0 or -ENOMEM. */
static int audit_arch_from_cpuinfo(struct ia_audit *a)
{
	if (a->arch || !a->identity.cpu_arch)
		return 0;
	return (a->arch = strdup(a->identity.cpu_arch)) ? 0 : -ENOMEM;
}

int ia_audit_load(sqlite3 *db, struct ia_audit *a)
{
	struct audit_scan sc = {0};
	int rc;

	ia_db_step_reset();
	if ((rc = audit_load_host(db, a)) || (rc = ia_identity_load(db, &a->identity)) ||
	    (rc = audit_arch_from_cpuinfo(a)) || (rc = audit_load_devs(db, a, &sc)) || (rc = audit_index_devs(a)) ||
	    (rc = audit_load_groups(db, a, &sc)) || (rc = audit_load_units(db, a)) ||
	    (rc = audit_load_errors(db, a)) || (rc = ia_firmware_load(db, &a->firmware)) ||
	    (rc = ia_kernel_facts_load(db, a->arch, &a->kernel)) ||
	    /* the firmware's interrupt remapping as the command line leaves it (issue 13 item 3) */
	    (rc = ia_firmware_apply_cmdline(a->firmware, a->cmdline != NULL, a->kernel->params, a->kernel->n_params)) ||
	    /* ... and as the running kernel uses it (its MSI chips) */
	    (rc = audit_apply_interrupts(a)) || (rc = audit_load_host_use(db, a))) {
		audit_scan_free(&sc, a->n_devs);
		return rc;
	}
	audit_scan_free(&sc, a->n_devs);
	/* A query that failed part way (a corrupt file, the work budget of a hostile one) ended its
	 * reader's loop as if the rows had ended: fail closed instead of auditing part of the facts. */
	if (ia_db_step_failed(NULL))
		return -IA_E_SQLITE;
	return 0;
}

void ia_audit_free(struct ia_audit *a)
{
	if (!a)
		return;
	free(a->root); free(a->inputs); free(a->tool_version); free(a->kernel_release); free(a->kernel_stable_source); free(a->cmdline); free(a->arch);
	for (size_t i = 0; i < a->n_devs; i++) {
		struct ia_dev *d = &a->devs[i];
		free(d->physfn); free(d->parent); free(d->driver); free(d->driver_override); free(d->iommu_unit);
		free(d->removable); free(d->real_dma);
	}
	free(a->devs);
	free(a->bdf_keys);
	for (size_t i = 0; i < a->n_groups; i++) {
		for (size_t k = 0; k < a->groups[i].n_devices; k++)
			free(a->groups[i].devices[k]);
		free(a->groups[i].devices); free(a->groups[i].type); free(a->groups[i].name);
		free(a->groups[i].relaxable);
	}
	free(a->groups);
	for (size_t i = 0; i < a->n_units; i++) {
		free(a->units[i].name); free(a->units[i].kind);
	}
	free(a->units);
	ia_firmware_free(a->firmware);
	ia_kernel_facts_free(a->kernel);
	for (size_t i = 0; i < a->n_predicted; i++) {
		free(a->predicted[i].members); free(a->predicted[i].basis);
	}
	free(a->predicted);
	for (size_t i = 0; i < a->n_probe_groups; i++) {
		free(a->probe_groups[i].members); free(a->probe_groups[i].basis);
	}
	free(a->probe_groups);
	for (size_t i = 0; i < a->n_domains; i++) {
		free(a->domains[i].members); free(a->domains[i].basis);
	}
	free(a->domains);
	for (size_t i = 0; i < a->n_collection_errors; i++) {
		struct ia_collect_error *e = &a->collect_errors[i];
		free(e->collector); free(e->subject); free(e->message); free(e->hides);
	}
	free(a->collect_errors);
	for (size_t i = 0; i < a->n_host_use; i++) {
		struct ia_host_use *u = &a->host_use[i];
		free(u->use); free(u->name); free(u->detail); free(u->source);
	}
	free(a->host_use);
	for (size_t i = 0; i < a->n_host_use_sources; i++) {
		free(a->host_use_sources[i].path); free(a->host_use_sources[i].shows);
	}
	free(a->host_use_sources);
	ia_identity_free(&a->identity);
	memset(a, 0, sizeof(*a));
}
