// SPDX-License-Identifier: GPL-2.0-or-later
// Load the firmware facts of one audit (units, 1:1 regions, MSI controllers) from the database into arrays.
#include "model/firmware_model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/db.h"
#include "core/ia_err.h"
#include "decode/cmdline.h"
#include "model/kernel_model.h"

/* Grow *@v (elements of @size) to hold one more, overflow-checked (ia_array_reserve()); zero the
 * new one. 0 or -ENOMEM. */
static int firmware_grow(void **v, size_t *n, size_t *cap, size_t size)
{
	if (ia_array_reserve(v, cap, *n + 1, size) < 0)
		return -ENOMEM;
	memset((char *)*v + *n * size, 0, size);
	return 0;
}

/* Step @st (one bound int64 key) and collect column 0 (text) and, with @flags, column 1 (bool). */
static int firmware_strings(sqlite3_stmt *st, int64_t key, char ***out, bool **flags, size_t *n)
{
	size_t cap = 0;

	sqlite3_bind_int64(st, 1, key);
	while (ia_db_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			size_t scap = cap, fcap = cap;
			char **nv = ia_array_grow(*out, &scap, *n + 1, sizeof(*nv));
			if (!nv)
				goto oom;
			*out = nv;
			if (flags) {
				bool *nf = ia_array_grow(*flags, &fcap, *n + 1, sizeof(*nf));
				if (!nf)
					goto oom;
				*flags = nf;
			}
			cap = scap; /* both grew the same way from the same capacity */
		}
		if (!((*out)[*n] = ia_db_col_strdup(st, 0)))
			goto oom;
		if (flags)
			(*flags)[*n] = sqlite3_column_int(st, 1) != 0;
		(*n)++;
	}
	sqlite3_reset(st);
	return 0;
oom:
	sqlite3_reset(st);
	return -ENOMEM;
}

static int firmware_tables(sqlite3 *db, struct ia_firmware *fw)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = 0;

	if (ia_db_prepare(db, "SELECT signature, source, revision, oem_id, checksum_ok, decode_status, length"
			      " FROM acpi_table ORDER BY signature", &st))
		return -IA_E_SQLITE;
	while (rc == 0 && ia_db_step(st) == SQLITE_ROW) {
		if ((rc = firmware_grow((void **)&fw->tables, &fw->n_tables, &cap, sizeof(*fw->tables))))
			break;
		struct ia_fw_table *t = &fw->tables[fw->n_tables++];
		int64_t v;
		snprintf(t->signature, sizeof(t->signature), "%s", (const char *)sqlite3_column_text(st, 0));
		t->source = ia_db_col_strdup(st, 1);
		t->has_header = sqlite3_column_type(st, 6) != SQLITE_NULL;
		if (ia_db_col_int(st, 2, &v))
			t->revision = (uint8_t)v;
		t->oem_id = ia_db_col_strdup(st, 3);
		t->checksum_ok = ia_db_col_tri(st, 4);
		t->decode_status = sqlite3_column_int(st, 5);
	}
	sqlite3_finalize(st);
	return rc;
}

static int firmware_info(sqlite3 *db, struct ia_firmware *fw)
{
	sqlite3_stmt *st;

	if (ia_db_prepare(db, "SELECT haw, intr_remap, x2apic_opt_out, dma_ctrl_platform_opt_in FROM dmar_info", &st))
		return -IA_E_SQLITE;
	if (ia_db_step(st) == SQLITE_ROW) {
		fw->has_dmar_info = true;
		fw->dmar_address_bits = (unsigned)sqlite3_column_int(st, 0) + 1;
		fw->intr_remap = sqlite3_column_int(st, 1);
		fw->x2apic_opt_out = sqlite3_column_int(st, 2);
		fw->dma_ctrl_platform_opt_in = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	if (ia_db_prepare(db, "SELECT ivinfo, efr_sup, dma_remap FROM ivrs_info", &st))
		return -IA_E_SQLITE;
	if (ia_db_step(st) == SQLITE_ROW) {
		fw->has_ivrs_info = true;
		fw->ivinfo = (uint32_t)sqlite3_column_int64(st, 0);
		fw->ivinfo_efr_sup = sqlite3_column_int(st, 1);
		fw->ivinfo_dma_remap = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	if (ia_db_prepare(db, "SELECT decode_status FROM dt_blob", &st))
		return -IA_E_SQLITE;
	if (ia_db_step(st) == SQLITE_ROW) {
		fw->has_dt = true;
		fw->dt_status = sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	/* Which descriptions describe an IOMMU: DRHD, IVHD, SMMU node, or a DT IOMMU reference. */
	if (ia_db_prepare(db, "SELECT"
			      " EXISTS (SELECT 1 FROM fw_unit WHERE source = 'DMAR'),"
			      " EXISTS (SELECT 1 FROM fw_unit WHERE source = 'IVRS'),"
			      " EXISTS (SELECT 1 FROM fw_unit WHERE source = 'IORT'),"
			      " EXISTS (SELECT 1 FROM fw_unit WHERE source = 'DT') OR"
			      " EXISTS (SELECT 1 FROM dt_host_bridge WHERE has_iommu_map OR n_iommus > 0)", &st))
		return -IA_E_SQLITE;
	if (ia_db_step(st) == SQLITE_ROW) {
		fw->describes_dmar = sqlite3_column_int(st, 0);
		fw->describes_ivrs = sqlite3_column_int(st, 1);
		fw->describes_iort = sqlite3_column_int(st, 2);
		fw->describes_dt = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	return 0;
}

static int firmware_cmp_id(const void *k, const void *e)
{
	int64_t a = *(const int64_t *)k, b = *(const int64_t *)e;

	return (a > b) - (a < b);
}

/* Each unit's devices: one scan of fw_unit_device in BDF order (its primary key), each row
 * appended to its unit (@ids: the units' ids, ascending), so every list comes out sorted by BDF
 * as a query per unit ordered by bdf gave it. Rows of absent units are passed over. */
static int firmware_unit_devices(sqlite3 *db, struct ia_firmware *fw, const int64_t *ids)
{
	sqlite3_stmt *st;
	size_t *cap = calloc(fw->n_units ? fw->n_units : 1, sizeof(*cap)), pcap = 0;
	int rc = 0, s;

	if (!cap)
		return -ENOMEM;
	if (ia_db_prepare(db, "SELECT unit_id, bdf, stream_id FROM fw_unit_device ORDER BY bdf, unit_id", &st)) {
		free(cap);
		return -IA_E_SQLITE;
	}
	while ((s = ia_db_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const int64_t *hit = fw->n_units ? bsearch(&id, ids, fw->n_units, sizeof(*ids), firmware_cmp_id) : NULL;
		if (!hit)
			continue;
		size_t k = (size_t)(hit - ids);
		struct ia_fw_unit *u = &fw->units[k];
		if (u->n_devices == cap[k]) {
			size_t nc = cap[k] ? cap[k] * 2 : 4;
			char **nv = realloc(u->devices, nc * sizeof(*nv));
			if (!nv) {
				rc = -ENOMEM;
				break;
			}
			u->devices = nv;
			cap[k] = nc;
		}
		if (!(u->devices[u->n_devices] = ia_db_col_strdup(st, 1))) {
			rc = -ENOMEM;
			break;
		}
		u->n_devices++;
		if ((rc = firmware_grow((void **)&fw->unit_devs, &fw->n_unit_devs, &pcap, sizeof(*fw->unit_devs))))
			break;
		int64_t sid;
		bool has_sid = ia_db_col_int(st, 2, &sid);
		fw->unit_devs[fw->n_unit_devs++] = (struct ia_fw_unit_dev){ u->devices[u->n_devices - 1], k, has_sid,
									    (uint32_t)sid };
	}
	if (rc == 0 && s != SQLITE_DONE)
		rc = -IA_E_SQLITE;
	sqlite3_finalize(st);
	free(cap);
	return rc;
}

static int firmware_units(sqlite3 *db, struct ia_firmware *fw)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int64_t *ids = NULL;
	int rc = 0;

	if (ia_db_prepare(db, "SELECT id, source, kind, name, segment, base, include_pci_all, compatible,"
			      " flags, dma_coherent FROM fw_unit ORDER BY id", &st))
		return -IA_E_SQLITE;
	while (rc == 0 && ia_db_step(st) == SQLITE_ROW) {
		size_t old_cap = cap;
		if ((rc = firmware_grow((void **)&fw->units, &fw->n_units, &cap, sizeof(*fw->units))))
			break;
		if (cap != old_cap) {
			int64_t *ni = realloc(ids, cap * sizeof(*ni));
			if (!ni) {
				rc = -ENOMEM;
				break;
			}
			ids = ni;
		}
		ids[fw->n_units] = sqlite3_column_int64(st, 0);
		struct ia_fw_unit *u = &fw->units[fw->n_units++];
		int64_t v;
		u->source = ia_db_col_strdup(st, 1);
		u->kind = ia_db_col_strdup(st, 2);
		u->name = ia_db_col_strdup(st, 3);
		u->has_segment = ia_db_col_int(st, 4, &v);
		u->segment = (uint16_t)v;
		u->has_base = ia_db_col_int(st, 5, &v);
		u->base = (uint64_t)v;
		u->include_pci_all = ia_db_col_tri(st, 6);
		u->compatible = ia_db_col_strdup(st, 7);
		u->has_flags = ia_db_col_int(st, 8, &v);
		u->flags = (uint32_t)v;
		u->dma_coherent = ia_db_col_tri(st, 9);
		if (!u->source || !u->kind || !u->name)
			rc = -ENOMEM;
	}
	sqlite3_finalize(st);
	if (rc == 0)
		rc = firmware_unit_devices(db, fw, ids);
	free(ids);
	return rc;
}

static int firmware_regions(sqlite3 *db, struct ia_firmware *fw)
{
	sqlite3_stmt *st, *tg;
	size_t cap = 0;
	int rc = 0;

	if (ia_db_prepare(db, "SELECT id, source, kind, segment, base, end, kernel_applies, relaxable"
			      " FROM fw_region ORDER BY id", &st))
		return -IA_E_SQLITE;
	if (ia_db_prepare(db, "SELECT target, bdf IS NOT NULL FROM fw_region_target WHERE region_id = ?"
			      " ORDER BY seq", &tg)) {
		sqlite3_finalize(st);
		return -IA_E_SQLITE;
	}
	while (rc == 0 && ia_db_step(st) == SQLITE_ROW) {
		if ((rc = firmware_grow((void **)&fw->regions, &fw->n_regions, &cap, sizeof(*fw->regions))))
			break;
		struct ia_fw_region *g = &fw->regions[fw->n_regions++];
		int64_t v;
		g->source = ia_db_col_strdup(st, 1);
		g->kind = ia_db_col_strdup(st, 2);
		g->has_segment = ia_db_col_int(st, 3, &v);
		g->segment = (uint16_t)v;
		g->base = (uint64_t)sqlite3_column_int64(st, 4);
		g->has_end = ia_db_col_int(st, 5, &v);
		g->end = (uint64_t)v;
		g->kernel_applies = sqlite3_column_int(st, 6);
		g->relaxable = ia_db_col_tri(st, 7);
		if (!g->source || !g->kind)
			rc = -ENOMEM;
		else
			rc = firmware_strings(tg, sqlite3_column_int64(st, 0), &g->targets, &g->resolved,
					      &g->n_targets);
	}
	sqlite3_finalize(tg);
	sqlite3_finalize(st);
	return rc;
}

static int firmware_msi(sqlite3 *db, struct ia_firmware *fw)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = 0;

	if (ia_db_prepare(db, "SELECT kind, source, name, compatible, base, isolating,"
			      " (SELECT count(*) FROM pci_msi_route r WHERE r.controller_id = m.id)"
			      " FROM msi_controller m ORDER BY id", &st))
		return -IA_E_SQLITE;
	while (rc == 0 && ia_db_step(st) == SQLITE_ROW) {
		if ((rc = firmware_grow((void **)&fw->msi, &fw->n_msi, &cap, sizeof(*fw->msi))))
			break;
		struct ia_fw_msi *m = &fw->msi[fw->n_msi++];
		int64_t v;
		m->kind = ia_db_col_strdup(st, 0);
		m->source = ia_db_col_strdup(st, 1);
		m->name = ia_db_col_strdup(st, 2);
		m->compatible = ia_db_col_strdup(st, 3);
		m->has_base = ia_db_col_int(st, 4, &v);
		m->base = (uint64_t)v;
		m->isolating = ia_db_col_tri(st, 5);
		m->n_devices = (size_t)sqlite3_column_int64(st, 6);
		if (!m->kind || !m->source || !m->name)
			rc = -ENOMEM;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Each function's MSI route, in BDF order, with its controller's index in fw->msi (ORDER BY id). */
static int firmware_msi_routes(sqlite3 *db, struct ia_firmware *fw)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = 0, s;

	if (ia_db_prepare(db, "SELECT r.bdf, (SELECT count(*) FROM msi_controller o WHERE o.id < c.id)"
			      " FROM pci_msi_route r JOIN msi_controller c ON c.id = r.controller_id ORDER BY r.bdf", &st))
		return -IA_E_SQLITE;
	while (rc == 0 && (s = ia_db_step(st)) == SQLITE_ROW) {
		if ((rc = firmware_grow((void **)&fw->msi_routes, &fw->n_msi_routes, &cap, sizeof(*fw->msi_routes))))
			break;
		struct ia_fw_msi_route *r = &fw->msi_routes[fw->n_msi_routes++];
		r->controller = (size_t)sqlite3_column_int64(st, 1);
		if (!(r->bdf = ia_db_col_strdup(st, 0)) || r->controller >= fw->n_msi)
			rc = r->bdf ? -IA_E_SQLITE : -ENOMEM;
	}
	if (rc == 0 && s != SQLITE_DONE)
		rc = -IA_E_SQLITE;
	sqlite3_finalize(st);
	return rc;
}

/* The DMAR's ATSR and SATC structures with their resolved device scopes (dmar_ats_supported()'s inputs). */
static int firmware_dmar_ats(sqlite3 *db, struct ia_firmware *fw)
{
	sqlite3_stmt *st, *sc;
	size_t cap = 0;
	int rc = 0;

	if (ia_db_prepare(db, "SELECT offset, type = 'SATC', segment, flags FROM dmar_structure"
			      " WHERE type IN ('ATSR', 'SATC') ORDER BY offset", &st))
		return -IA_E_SQLITE;
	if (ia_db_prepare(db, "SELECT bdf FROM dmar_scope WHERE struct_offset = ? AND bdf IS NOT NULL ORDER BY offset",
			  &sc)) {
		sqlite3_finalize(st);
		return -IA_E_SQLITE;
	}
	while (rc == 0 && ia_db_step(st) == SQLITE_ROW) {
		if ((rc = firmware_grow((void **)&fw->dmar_ats, &fw->n_dmar_ats, &cap, sizeof(*fw->dmar_ats))))
			break;
		struct ia_fw_dmar_ats *t = &fw->dmar_ats[fw->n_dmar_ats++];
		int64_t v;
		t->satc = sqlite3_column_int(st, 1);
		t->has_segment = ia_db_col_int(st, 2, &t->segment);
		t->has_flags = ia_db_col_int(st, 3, &v);
		t->flags = (uint8_t)v;
		rc = firmware_strings(sc, sqlite3_column_int64(st, 0), &t->bdfs, NULL, &t->n_bdfs);
	}
	sqlite3_finalize(sc);
	sqlite3_finalize(st);
	return rc;
}

/* The first comma-separated option of @p's value that begins with one of @words[0..@n_words)
 * (strncmp(), as the kernel's option parsers compare), applied in order: the index of the word
 * the LAST such option begins with, or -1 when none does. */
static int firmware_last_option(const struct ia_cmdline_param *p, const char *const *words, size_t n_words)
{
	size_t pos = 0, off, len;
	int last = -1;

	while (ia_cmdline_option_next(p->value, &pos, &off, &len))
		for (size_t w = 0; w < n_words; w++)
			if (!strncmp(p->value + off, words[w], strlen(words[w]))) {
				last = (int)w;
				break;
			}
	return last;
}

/* "key" or "key=value" of @p, malloc'd; NULL without memory. */
static char *firmware_param_text(const struct ia_cmdline_param *p)
{
	size_t n = strlen(p->key) + (p->value ? strlen(p->value) + 1 : 0) + 1;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s%s%s", p->key, p->value ? "=" : "", p->value ? p->value : "");
	return s;
}

int ia_firmware_apply_cmdline(struct ia_firmware *fw, bool cmdline_read, const struct ia_cmdline_param *params,
			      size_t n)
{
	static const char *const on_off[] = { "on", "off" };
	static const char *const off[] = { "off" };
	const struct ia_cmdline_param *irq_off = NULL, *amd_off = NULL;

	if (!fw)
		return 0;
	/* disable_irq_remap after every early parameter, in order; amd_iommu_disabled once set stays */
	for (size_t i = 0; cmdline_read && i < n; i++) {
		const struct ia_cmdline_param *p = &params[i];
		if (ia_cmdline_key_eq(p->key, "nointremap")) {
			irq_off = p;
		} else if (ia_cmdline_key_eq(p->key, "intremap")) {
			int w = firmware_last_option(p, on_off, 2);
			if (w == 0)
				irq_off = NULL;
			else if (w == 1)
				irq_off = p;
		} else if (ia_cmdline_key_eq(p->key, "amd_iommu") && !amd_off && firmware_last_option(p, off, 1) == 0) {
			amd_off = p;
		}
	}
	for (size_t i = 0; i < fw->n_msi; i++) {
		struct ia_fw_msi *m = &fw->msi[i];
		bool amd = !strcmp(m->kind, "amd-ir");
		if (!amd && strcmp(m->kind, "intel-ir"))
			continue;
		if (!cmdline_read) {
			if (m->isolating == IA_YES)
				m->isolating = IA_UNKNOWN;
			continue;
		}
		const struct ia_cmdline_param *by = irq_off ? irq_off : amd ? amd_off : NULL;
		if (!by)
			continue;
		char *t = firmware_param_text(by);
		if (!t)
			return -ENOMEM;
		free(m->turned_off_by);
		m->turned_off_by = t;
		m->isolating = IA_NO;
	}
	return 0;
}

int ia_firmware_apply_interrupts(struct ia_firmware *fw, size_t pci_msi_chips, size_t remapped,
				 const char *first_plain)
{
	if (!fw || !pci_msi_chips || remapped || !first_plain)
		return 0;
	for (size_t i = 0; i < fw->n_msi; i++) {
		struct ia_fw_msi *m = &fw->msi[i];
		if (m->isolating != IA_YES || (strcmp(m->kind, "amd-ir") && strcmp(m->kind, "intel-ir")))
			continue;
		free(m->unremapped_chip);
		if (!(m->unremapped_chip = strdup(first_plain)))
			return -ENOMEM;
		m->isolating = IA_NO;
	}
	return 0;
}

/* The kernel's verdict on the DMAR (struct ia_firmware.dmar_refused) and its effect on the VT-d
 * interrupt remapping controller. 0 or -ENOMEM. */
static int firmware_judge_dmar(struct ia_firmware *fw)
{
	char why[512] = "";
	bool ir_unknown = false, ir_off = false;

	if (fw->has_dmar_info && fw->dmar_address_bits < 12) {
		snprintf(why, sizeof(why), "its Host Address Width field is %u, below 11: parse_dmar_table() rejects "
			 "the table, so the kernel sets up neither DMA remapping nor interrupt remapping from it",
			 fw->dmar_address_bits - 1);
		ir_off = true;
	}
	for (size_t i = 0; !why[0] && i < fw->n_units; i++) {
		const struct ia_fw_unit *u = &fw->units[i];
		if (strcmp(u->source, "DMAR") || !u->has_base || u->base != 0)
			continue;
		snprintf(why, sizeof(why), "%s%s has register base 0: dmar_validate_one_drhd() fails for it, and "
			 "detect_intel_iommu() then never installs intel_iommu_init(), so none of the table's DRHDs "
			 "translates DMA (one invalid DRHD refuses the whole table, not only itself)", u->name,
			 u->include_pci_all == IA_YES ? " (INCLUDE_PCI_ALL)" : "");
		ir_unknown = true;
	}
	if (!why[0])
		return 0;
	if (!(fw->dmar_refused = strdup(why)))
		return -ENOMEM;
	for (size_t i = 0; i < fw->n_msi; i++) {
		struct ia_fw_msi *m = &fw->msi[i];
		if (strcmp(m->kind, "intel-ir"))
			continue;
		if (ir_off)
			m->isolating = IA_NO;
		else if (ir_unknown && m->isolating == IA_YES)
			m->isolating = IA_UNKNOWN;
	}
	return 0;
}

enum ia_tri ia_fw_region_relaxable_for(const struct ia_fw_region *r, bool has_class, uint32_t class_code)
{
	if (!strcmp(r->kind, "RMRR")) {
		if (!has_class)
			return IA_UNKNOWN;
		return (class_code >> 8) == 0x0c03 || (class_code >> 16) == 0x03 ? IA_YES : IA_NO;
	}
	if (!strcmp(r->kind, "RMR"))
		return r->relaxable;
	return IA_NO;
}

int ia_firmware_load(sqlite3 *db, struct ia_firmware **out)
{
	struct ia_firmware *fw = calloc(1, sizeof(*fw));
	int rc;

	if (!fw)
		return -ENOMEM;
	if ((rc = firmware_tables(db, fw)) || (rc = firmware_info(db, fw)) || (rc = firmware_units(db, fw)) ||
	    (rc = firmware_regions(db, fw)) || (rc = firmware_msi(db, fw)) || (rc = firmware_msi_routes(db, fw)) ||
	    (rc = firmware_dmar_ats(db, fw)) || (rc = firmware_judge_dmar(fw))) {
		ia_firmware_free(fw);
		return rc;
	}
	*out = fw;
	return 0;
}

void ia_firmware_free(struct ia_firmware *fw)
{
	if (!fw)
		return;
	for (size_t i = 0; i < fw->n_tables; i++) {
		free(fw->tables[i].source);
		free(fw->tables[i].oem_id);
	}
	free(fw->tables);
	free(fw->dmar_refused);
	for (size_t i = 0; i < fw->n_units; i++) {
		struct ia_fw_unit *u = &fw->units[i];
		for (size_t k = 0; k < u->n_devices; k++)
			free(u->devices[k]);
		free(u->devices); free(u->source); free(u->kind); free(u->name); free(u->compatible);
	}
	free(fw->units);
	for (size_t i = 0; i < fw->n_regions; i++) {
		struct ia_fw_region *g = &fw->regions[i];
		for (size_t k = 0; k < g->n_targets; k++)
			free(g->targets[k]);
		free(g->targets); free(g->resolved); free(g->source); free(g->kind);
	}
	free(fw->regions);
	for (size_t i = 0; i < fw->n_msi; i++) {
		struct ia_fw_msi *m = &fw->msi[i];
		free(m->kind); free(m->source); free(m->name); free(m->compatible); free(m->turned_off_by); free(m->unremapped_chip);
	}
	free(fw->msi);
	free(fw->unit_devs);
	for (size_t i = 0; i < fw->n_msi_routes; i++)
		free(fw->msi_routes[i].bdf);
	free(fw->msi_routes);
	for (size_t i = 0; i < fw->n_dmar_ats; i++) {
		for (size_t k = 0; k < fw->dmar_ats[i].n_bdfs; k++)
			free(fw->dmar_ats[i].bdfs[k]);
		free(fw->dmar_ats[i].bdfs);
	}
	free(fw->dmar_ats);
	free(fw);
}

enum ia_tri ia_fw_unit_coherent(const struct ia_fw_unit *u)
{
	if (!strcmp(u->source, "IORT"))
		return u->has_flags ? ((u->flags & 1) ? IA_YES : IA_NO) : IA_UNKNOWN;
	if (!strcmp(u->source, "DT"))
		return u->dma_coherent;
	return IA_UNKNOWN;
}

const struct ia_fw_unit_dev *ia_fw_unit_dev_first(const struct ia_firmware *fw, const char *bdf)
{
	size_t lo = 0, hi = fw ? fw->n_unit_devs : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(fw->unit_devs[mid].bdf, bdf) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return fw && lo < fw->n_unit_devs && !strcmp(fw->unit_devs[lo].bdf, bdf) ? &fw->unit_devs[lo] : NULL;
}

const struct ia_fw_msi *ia_fw_msi_of(const struct ia_firmware *fw, const char *bdf)
{
	const struct ia_fw_msi *m = NULL;

	for (size_t r = 0; fw && r < fw->n_msi_routes; r++)
		if (!strcmp(fw->msi_routes[r].bdf, bdf))
			m = &fw->msi[fw->msi_routes[r].controller];
	return m;
}
