// SPDX-License-Identifier: GPL-2.0-or-later
// ACPI firmware collector: DMAR, IVRS, IORT and MADT into SQLite, tied to the PCI functions the pci collector saw.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collect.h"
#include "core/array.h"
#include "core/bdf.h"
#include "core/db.h"
#include "core/facts.h"
#include "decode/acpidump.h"
#include "decode/dmar.h"
#include "decode/iort.h"
#include "decode/ivrs.h"
#include "decode/madt.h"
#include "core/ia_err.h"
#include "core/text.h"

/* Largest acpidump text read (its hex is about 4.2 bytes of text per table byte). */
#define FW_ACPIDUMP_MAX_TEXT (5u * IA_ACPIDUMP_MAX_TOTAL)

/* One PCI function as the pci collector stored it. */
struct fw_pci {
	char bdf[IA_BDF_BUFSZ];
	uint32_t domain;
	uint8_t bus, dev, fn;
	bool has_sec;
	uint8_t sec;
	long parent;             /* index of the upstream bridge (sysfs parent), or -1 on a root bus */
	long physfn;             /* index of a VF's PF, or -1 */
};

/* One ACPI table as read: where it came from and its bytes. */
struct fw_blob {
	const char *sig;
	char source[600];
	uint8_t *bytes;          /* owned unless @borrowed */
	size_t len;
	bool borrowed;
};

/* Everything one run of the collector holds. */
struct fw_run {
	struct ia_ctx *ctx;
	struct fw_pci *pci;
	size_t n_pci;
	sqlite3_stmt *unit, *unit_dev, *region, *target, *msi, *route;
	bool have_madt;
	struct ia_madt madt;
};

/* ---- PCI functions ---------------------------------------------------------------- */

static int fw_pci_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fw_pci *)a)->bdf, ((const struct fw_pci *)b)->bdf);
}

static long fw_pci_find(const struct fw_run *r, const char *bdf)
{
	struct fw_pci key;
	const struct fw_pci *p;

	snprintf(key.bdf, sizeof(key.bdf), "%s", bdf);
	p = r->n_pci ? bsearch(&key, r->pci, r->n_pci, sizeof(*r->pci), fw_pci_cmp) : NULL;
	return p ? (long)(p - r->pci) : -1;
}

static long fw_pci_find_bdf(const struct fw_run *r, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	char bdf[32];

	if (dev > 31 || fn > 7)
		return -1;
	snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%u", seg, bus, dev, fn);
	return fw_pci_find(r, bdf);
}

/* A bridge by (domain, secondary bus), for fw_pci_parents_by_bus(). */
struct fw_sec {
	uint64_t key;                /* domain << 8 | secondary bus */
	long fn;
};

static int fw_sec_cmp(const void *x, const void *y)
{
	const struct fw_sec *p = x, *q = y;

	if (p->key != q->key)
		return p->key < q->key ? -1 : 1;
	return p->fn < q->fn ? -1 : p->fn > q->fn;
}

/*
 * Functions without a parent in the facts (an `lspci -xxxx` dump has no sysfs directories, so
 * parent_bdf is NULL for all) get the bridge whose secondary bus is their bus, in their domain,
 * as the PCI bus tree has it (pci_scan_bridge(): the child bus is the bridge's secondary bus; the
 * group model, rules/topology.c, derives parents the same way). A function whose parent_bdf was
 * given but names no function (an unresolvable sysfs parent) stays without one. @parent_text is
 * links[0].parent, @stride the size of one link. 0 or -ENOMEM.
 */
static int fw_pci_parents_by_bus(struct fw_run *r, const char *parent_text, size_t stride)
{
	struct fw_sec *v = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < r->n_pci; i++) {
		/* an unconfigured bridge (secondary 0, or not above its own bus) leads nowhere */
		if (!r->pci[i].has_sec || r->pci[i].sec <= r->pci[i].bus)
			continue;
		struct fw_sec *nv = ia_array_grow(v, &cap, n + 1, sizeof(*nv));
		if (!nv) {
			free(v);
			return -ENOMEM;
		}
		v = nv;
		v[n++] = (struct fw_sec){ (uint64_t)r->pci[i].domain << 8 | r->pci[i].sec, (long)i };
	}
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), fw_sec_cmp);
	for (size_t i = 0; i < r->n_pci; i++) {
		struct fw_pci *p = &r->pci[i];
		if (p->parent >= 0 || parent_text[i * stride])
			continue;
		struct fw_sec key = { (uint64_t)p->domain << 8 | p->bus, -1 };
		size_t lo = 0, hi = n;
		while (lo < hi) { /* the first bridge of that key (lowest BDF) */
			size_t mid = lo + (hi - lo) / 2;
			if (v[mid].key < key.key)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && v[lo].key == key.key && v[lo].fn != (long)i)
			p->parent = v[lo].fn;
	}
	free(v);
	return 0;
}

/* Load pci_function (sorted by BDF) with parent and PF links resolved to indexes. */
static int fw_pci_load(struct fw_run *r)
{
	struct link { char parent[IA_BDF_BUFSZ], physfn[IA_BDF_BUFSZ]; } *links = NULL;
	struct ia_fact_cursor cur;
	struct ia_fact_pci_function f = {0};
	size_t cap = 0;
	int rc = 0;

	if (ia_fact_select(r->ctx->db, IA_FACT_pci_function, "bdf, domain, bus, dev, fn, secondary_bus, parent_bdf, physfn_bdf",
			   "ORDER BY bdf", &cur))
		return -IA_E_SQLITE;
	int step;
	while ((step = ia_fact_next(&cur, &f)) > 0) {
		if (r->n_pci == cap) {
			size_t pcap = cap, lcap = cap;
			struct fw_pci *nv = ia_array_grow(r->pci, &pcap, r->n_pci + 1, sizeof(*nv));
			if (nv)
				r->pci = nv;
			struct link *nl = ia_array_grow(links, &lcap, r->n_pci + 1, sizeof(*nl));
			if (nl)
				links = nl;
			if (!nv || !nl) {
				rc = -ENOMEM;
				break;
			}
			cap = pcap < lcap ? pcap : lcap;
		}
		struct fw_pci *p = &r->pci[r->n_pci];
		struct link *l = &links[r->n_pci];
		memset(p, 0, sizeof(*p));
		snprintf(p->bdf, sizeof(p->bdf), "%s", f.bdf);
		p->domain = (uint32_t)f.domain.v;
		p->bus = (uint8_t)f.bus.v;
		p->dev = (uint8_t)f.dev.v;
		p->fn = (uint8_t)f.fn.v;
		p->has_sec = f.secondary_bus.has;
		p->sec = (uint8_t)f.secondary_bus.v;
		snprintf(l->parent, sizeof(l->parent), "%s", f.parent_bdf ? f.parent_bdf : "");
		snprintf(l->physfn, sizeof(l->physfn), "%s", f.physfn_bdf ? f.physfn_bdf : "");
		r->n_pci++;
	}
	ia_fact_cursor_close(&cur);
	if (rc == 0 && step < 0)
		rc = step; /* a failed step is no end of the functions: fail closed */
	for (size_t i = 0; rc == 0 && i < r->n_pci; i++) {
		r->pci[i].parent = links[i].parent[0] ? fw_pci_find(r, links[i].parent) : -1;
		r->pci[i].physfn = links[i].physfn[0] ? fw_pci_find(r, links[i].physfn) : -1;
		if (r->pci[i].parent == (long)i)
			r->pci[i].parent = -1; /* a self-parent would make the upward walks spin */
	}
	if (rc == 0)
		rc = fw_pci_parents_by_bus(r, links ? &links[0].parent[0] : NULL, sizeof(*links));
	free(links);
	return rc;
}

/* True when function @anc is @i or one of its upstream bridges (bounded walk). */
static bool fw_pci_is_at_or_below(const struct fw_run *r, size_t i, size_t anc)
{
	long x = (long)i;

	for (unsigned hops = 0; x >= 0 && hops <= 256; hops++) {
		if ((size_t)x == anc)
			return true;
		x = r->pci[x].parent;
	}
	return false;
}

static uint16_t fw_pci_rid(const struct fw_pci *p)
{
	return (uint16_t)(p->bus << 8 | p->dev << 3 | p->fn);
}

/* ---- Rows -------------------------------------------------------------------------- */

/*
 * Record every decoder diagnostic as a collection error of its table. @hides says what the
 * diagnostics hide (what the table describes after the problem); a diagnostic of code
 * @value_code (0: none) reports a value the table holds, decoded to its end, and hides nothing
 * (DMAR -IA_E_RANGE: an RMRR out of alignment, a DRHD with register base 0, the HAW; the base-0
 * DRHD read "This hides the units described after this point" while nothing was dropped,
 * issue 13 item 12).
 */
static void fw_report_diags(struct fw_run *r, const char *sig, const struct ia_diags *dg, const char *hides,
			    int value_code)
{
	for (size_t i = 0; i < dg->n; i++) {
		int c = dg->v[i].code;
		ia_ctx_error(r->ctx, sig, c, dg->v[i].offset, c == -IA_E_CHECKSUM || (value_code && c == value_code) ?
			     NULL : hides, "%s: %s%s", sig, dg->v[i].msg,
			     c == -IA_E_CHECKSUM ? " (decoded anyway, as the kernel does)" : "");
	}
}

/* Insert one firmware unit; returns its row id, or -1 when the row was refused. */
static int64_t fw_add_unit(struct fw_run *r, const char *source, const char *kind, const char *name,
			   long long location, bool has_seg, uint16_t seg, bool has_base, uint64_t base,
			   int include_all, bool has_devid, uint16_t devid, bool has_efr, uint64_t efr,
			   bool has_flags, uint32_t flags, bool has_model, uint32_t model, int ivhd_type)
{
	sqlite3_stmt *st = r->unit;

	const struct ia_fact_fw_unit row = { /* id: NULL, the next row number */
		.source = source,
		.kind = kind,
		.name = name,
		.location = ia_fact_i(location >= 0, location),
		.segment = ia_fact_i(has_seg, seg),
		.base = ia_fact_i(has_base, (int64_t)base),
		.include_pci_all = ia_fact_i(include_all >= 0, include_all),
		.devid = ia_fact_i(has_devid, devid),
		.efr = ia_fact_i(has_efr, (int64_t)efr),
		.flags = ia_fact_i(has_flags, flags),
		.model = ia_fact_i(has_model, model),
		.ivhd_type = ia_fact_i(ivhd_type >= 0, ivhd_type),
	};
	ia_fact_bind(st, IA_FACT_fw_unit, &row);
	if (ia_db_step_done(st)) {
		ia_ctx_error(r->ctx, source, -IA_E_SQLITE, location, NULL, "cannot store unit %s: %s", name,
			     sqlite3_errmsg(r->ctx->db));
		return -1;
	}
	r->ctx->facts++;
	return sqlite3_last_insert_rowid(r->ctx->db);
}

static void fw_add_unit_dev(struct fw_run *r, int64_t unit, const char *bdf, const char *how,
			    bool has_sid, uint32_t sid)
{
	const struct ia_fact_fw_unit_device row = { .unit_id = ia_fact_i(true, unit), .bdf = bdf, .how = how,
						    .stream_id = ia_fact_i(has_sid, sid) };
	ia_fact_bind(r->unit_dev, IA_FACT_fw_unit_device, &row);
	if (ia_db_step_done(r->unit_dev) == 0)
		r->ctx->facts++;
}

static int64_t fw_add_region(struct fw_run *r, const char *source, const char *kind, long long location,
			     bool has_seg, uint16_t seg, uint64_t base, bool has_end, uint64_t end,
			     bool has_flags, uint32_t flags, bool applies, int relaxable)
{
	sqlite3_stmt *st = r->region;

	const struct ia_fact_fw_region row = { /* id: NULL, the next row number */
		.source = source,
		.kind = kind,
		.location = ia_fact_i(true, location),
		.segment = ia_fact_i(has_seg, seg),
		.base = ia_fact_i(true, (int64_t)base),
		.end = ia_fact_i(has_end, (int64_t)end),
		.flags = ia_fact_i(has_flags, flags),
		.kernel_applies = ia_fact_i(true, applies),
		.relaxable = ia_fact_i(relaxable >= 0, relaxable),
	};
	ia_fact_bind(st, IA_FACT_fw_region, &row);
	if (ia_db_step_done(st)) {
		ia_ctx_error(r->ctx, source, -IA_E_SQLITE, location, NULL, "cannot store %s: %s", kind,
			     sqlite3_errmsg(r->ctx->db));
		return -1;
	}
	r->ctx->facts++;
	return sqlite3_last_insert_rowid(r->ctx->db);
}

/* Add one target to a region, once (two scopes may name the same function). */
static void fw_add_target(struct fw_run *r, int64_t region, int *seq, const char *target, const char *bdf)
{
	sqlite3_bind_int64(r->target, 1, region);
	sqlite3_bind_int(r->target, 2, *seq);
	ia_db_bind_text(r->target, 3, target);
	ia_db_bind_text(r->target, 4, bdf);
	if (ia_db_step_done(r->target) == 0 && sqlite3_changes(r->ctx->db) > 0)
		(*seq)++;
}

static int64_t fw_add_msi(struct fw_run *r, const char *kind, const char *source, const char *name,
			  bool has_base, uint64_t base, bool has_id, uint32_t hw_id, int isolating)
{
	sqlite3_stmt *st = r->msi;

	const struct ia_fact_msi_controller row = { /* id: NULL, the next row number */
		.kind = kind,
		.source = source,
		.name = name,
		.base = ia_fact_i(has_base, (int64_t)base),
		.hw_id = ia_fact_i(has_id, hw_id),
		.isolating = ia_fact_i(isolating >= 0, isolating),
	};
	ia_fact_bind(st, IA_FACT_msi_controller, &row);
	if (ia_db_step_done(st)) {
		ia_ctx_error(r->ctx, source, -IA_E_SQLITE, -1, NULL, "cannot store MSI controller %s: %s",
			     name, sqlite3_errmsg(r->ctx->db));
		return -1;
	}
	r->ctx->facts++;
	return sqlite3_last_insert_rowid(r->ctx->db);
}

static void fw_add_route(struct fw_run *r, const char *bdf, int64_t ctrl, bool has_devid, uint32_t devid,
			 const char *how)
{
	const struct ia_fact_pci_msi_route row = { .bdf = bdf, .controller_id = ia_fact_i(true, ctrl),
						   .device_id = ia_fact_i(has_devid, devid), .how = how };
	ia_fact_bind(r->route, IA_FACT_pci_msi_route, &row);
	if (ia_db_step_done(r->route) == 0)
		r->ctx->facts++;
}

/* ---- Reading the tables ------------------------------------------------------------ */

/*
 * Parse the acpidump text file @path (user-given, not under the root) as it is read, 64 KiB at a
 * time, so the text is never held whole (it may be @max bytes; the tables kept are bounded by
 * IA_ACPIDUMP_MAX_TOTAL): ia_acpidump_stream_*(). A file larger than @max is refused before
 * parsing (its size) or when it grows past it while read.
 * @dump, @dg: as ia_acpidump_parse(); @n: its return value (tables kept, or -ENOMEM).
 * Return: 0 (the parse's result in *@n); -errno from fopen/fstat/fread (-EIO); -IA_E_TOOBIG;
 * -ENOMEM (then @dump is empty).
 */
static int fw_parse_acpidump(const char *path, size_t max, struct ia_acpidump *dump, struct ia_diags *dg,
			     long *n)
{
	enum { CHUNK = 65536 };
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *chunk;
	size_t total = 0;
	int rc = 0;

	memset(dump, 0, sizeof(*dump));
	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		fclose(f);
		return -IA_E_TOOBIG;
	}
	struct ia_acpidump_stream *s = ia_acpidump_stream_new(NULL, dump, dg);
	if (!s || !(chunk = malloc(CHUNK))) {
		ia_acpidump_stream_end(s);
		ia_acpidump_free(dump);
		fclose(f);
		return -ENOMEM;
	}
	for (;;) {
		size_t got = fread(chunk, 1, CHUNK, f);
		total += got;
		if (total > max) {
			rc = -IA_E_TOOBIG;
			break;
		}
		if (got && (rc = ia_acpidump_stream_feed(s, chunk, got)) != 0)
			break; /* -ENOMEM, or 1: the total limit stopped the parse */
		if (got < CHUNK) {
			if (ferror(f))
				rc = -EIO;
			break;
		}
	}
	free(chunk);
	fclose(f);
	*n = ia_acpidump_stream_end(s);
	if (rc == 1)
		rc = 0;
	if (rc < 0 || *n < 0) {
		ia_acpidump_free(dump);
		return rc < 0 ? rc : (int)*n;
	}
	return 0;
}

/* Fetch one table from the acpidump (when given) or from sys/firmware/acpi/tables. True when read. */
static bool fw_fetch(struct fw_run *r, const struct ia_acpidump *dump, const char *sig, struct fw_blob *b)
{
	memset(b, 0, sizeof(*b));
	b->sig = sig;
	if (r->ctx->opts->acpidump) {
		const struct ia_acpidump_table *t = dump ? ia_acpidump_find(dump, sig, 0) : NULL;
		if (!t)
			return false;
		if (ia_acpidump_find(dump, sig, 1))
			ia_ctx_error(r->ctx, sig, -IA_E_FORMAT, -1, NULL,
				     "%s: the acpidump holds more than one %s table; only the first (line %zu) is used",
				     sig, sig, t->line);
		snprintf(b->source, sizeof(b->source), "acpidump:%s", r->ctx->opts->acpidump);
		b->bytes = t->bytes;
		b->len = t->len;
		b->borrowed = true;
		return true;
	}
	char rel[64], *buf = NULL;
	size_t len = 0;
	snprintf(rel, sizeof(rel), "sys/firmware/acpi/tables/%s", sig);
	int rc = ia_fsroot_read(r->ctx->root, rel, IA_ACPI_MAX_TABLE, &buf, &len);
	if (rc == -ENOENT)
		return false;           /* the platform has no such table: a fact, not an error */
	if (rc < 0) {
		ia_ctx_error(r->ctx, sig, rc, -1, "what this firmware table describes",
			     "cannot read %s: %s", rel, ia_strerror(rc));
		return false;
	}
	snprintf(b->source, sizeof(b->source), "%s", rel);
	b->bytes = (uint8_t *)buf;
	b->len = len;
	return true;
}

static void fw_blob_free(struct fw_blob *b)
{
	if (!b->borrowed)
		free(b->bytes);
	memset(b, 0, sizeof(*b));
}

/* Store the raw table with its header facts (acpi_table). */
static void fw_store_table(struct fw_run *r, const struct fw_blob *b, int status)
{
	sqlite3_stmt *st;
	struct ia_acpi_hdr h;
	long usable = ia_acpi_hdr_decode(b->bytes, b->len, NULL, &h, NULL);

	if (ia_fact_prepare_insert(r->ctx->db, IA_FACT_acpi_table, "OR REPLACE", &st))
		return;
	bool hdr = usable >= 0;
	const struct ia_fact_acpi_table row = {
		.signature = b->sig,
		.source = b->source,
		.bytes = { b->len ? (const void *)b->bytes : "", b->len }, /* never NULL: an empty table is 0 bytes */
		.read_length = ia_fact_i(true, (int64_t)b->len),
		.length = ia_fact_i(hdr, h.length),
		.revision = ia_fact_i(hdr, h.revision),
		.oem_id = hdr ? h.oem_id : NULL,
		.oem_table_id = hdr ? h.oem_table_id : NULL,
		.oem_revision = ia_fact_i(hdr, h.oem_revision),
		/* checksum_ok is only meaningful when all Length bytes were present. */
		.checksum_ok = ia_fact_i(hdr && h.length <= b->len, h.checksum_ok),
		.decode_status = ia_fact_i(true, status),
	};
	ia_fact_bind(st, IA_FACT_acpi_table, &row);
	if (ia_db_step_done(st) == 0)
		r->ctx->facts++;
	sqlite3_finalize(st);
}

/* ---- DMAR -------------------------------------------------------------------------- */

/* ia_dmar_secondary_bus_fn over the functions the pci collector saw. */
static int fw_dmar_secondary_bus(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	const struct fw_run *r = ctx;
	long i = fw_pci_find_bdf(r, seg, bus, dev, fn);

	if (i < 0)
		return -ENOENT;
	return r->pci[i].has_sec ? r->pci[i].sec : -ENODEV;
}

static void fw_dmar_path_text(const struct ia_dmar_scope *sc, uint16_t seg, char *out, size_t cap)
{
	struct ia_sb b;

	ia_sb_init_fixed(&b, out, cap);
	ia_sb_printf(&b, "%04x:%02x", seg, sc->start_bus);
	for (size_t i = 0; i < sc->n_path && !b.truncated; i++)
		ia_sb_printf(&b, "/%02x.%x", sc->path[i].device, sc->path[i].function);
}

/* A resolved scope: its index into the PCI list, or -1. */
struct fw_scope_res {
	long pci;
	char path[IA_DMAR_PATH_MAX * 6 + 16];
};

/* Resolve and store every scope of one structure. @res gets one entry per scope. */
static void fw_dmar_scopes(struct fw_run *r, sqlite3_stmt *st, const struct ia_dmar_struct *s,
			   struct fw_scope_res *res)
{
	for (size_t k = 0; k < s->n_scopes; k++) {
		const struct ia_dmar_scope *sc = &s->scopes[k];
		struct ia_dmar_bdf b;
		size_t bad = 0;
		int rc = ia_dmar_scope_resolve(sc, s->segment, fw_dmar_secondary_bus, r, &b, &bad);

		fw_dmar_path_text(sc, s->segment, res[k].path, sizeof(res[k].path));
		res[k].pci = -1;
		if (rc == 0) {
			res[k].pci = fw_pci_find_bdf(r, b.segment, b.bus, b.device, b.function);
			if (res[k].pci < 0)
				rc = -ENOENT; /* arithmetic fine, but no such function was seen */
		} else if (r->n_pci && (sc->type == IA_DMAR_SCOPE_ENDPOINT || sc->type == IA_DMAR_SCOPE_BRIDGE)) {
			/* A PCI path through a bridge the topology does not have: the kernel
			 * cannot match it either (only reported when a PCI tree was collected). */
			ia_ctx_error(r->ctx, "DMAR", rc, sc->offset, "which devices this structure names",
				     "DMAR: %s device scope %s does not resolve: element %zu "
				     "(%02x.%x) is %s", ia_dmar_type_name(s->type), res[k].path, bad,
				     bad < sc->n_path ? sc->path[bad].device : 0,
				     bad < sc->n_path ? sc->path[bad].function : 0,
				     rc == -ENODEV ? "not a bridge" : "absent from the PCI topology");
		}
		const struct ia_fact_dmar_scope row = {
			.struct_offset = ia_fact_i(true, s->offset),
			.offset = ia_fact_i(true, sc->offset),
			.type = ia_fact_i(true, sc->type),
			.enumeration_id = ia_fact_i(true, sc->enumeration_id),
			.path = res[k].path,
			.bdf = res[k].pci >= 0 ? r->pci[res[k].pci].bdf : NULL,
			.resolve_error = ia_fact_i(res[k].pci < 0, rc),
		};
		ia_fact_bind(st, IA_FACT_dmar_scope, &row);
		ia_db_step_done(st);
	}
}

static bool fw_scope_is_pci(const struct ia_dmar_scope *sc)
{
	return sc->type == IA_DMAR_SCOPE_ENDPOINT || sc->type == IA_DMAR_SCOPE_BRIDGE;
}

/*
 * Which DRHD covers each PCI function, in the order the kernel tries its units: the kernel's
 * dmar_drhd_units list holds the DRHDs without INCLUDE_PCI_ALL in reverse table order (each is
 * list_add_rcu()'d at the head by dmar_register_drhd_unit()) and the INCLUDE_PCI_ALL ones after
 * them in table order (list_add_tail_rcu()); device_lookup_iommu() and
 * dmar_find_matched_drhd_unit() take the first unit of that list whose scope names the function
 * or a bridge above it, else the segment's INCLUDE_PCI_ALL unit. So of the DRHDs naming the
 * function or an ancestor, the LAST in table order wins (issue 13 item 16). A VF is looked up
 * through its PF (pci_physfn()).
 */
static void fw_dmar_cover(struct fw_run *r, const struct ia_dmar *d, struct fw_scope_res **res,
			  const int64_t *unit_of, int64_t ir_ctrl)
{
	/* The PCI scopes of the DRHDs without INCLUDE_PCI_ALL, by the function they resolve to, in
	 * (structure, scope) order: hit[first[p] .. first[p + 1]) are those naming function p. A
	 * function's unit is then the DRHD of the largest structure index met on its way up (its
	 * own scope naming the function itself before one naming a bridge above it), which is what
	 * trying every DRHD in the kernel's list order against every ancestor gives, in one walk. */
	struct fw_hit { size_t s, k; } *hit = NULL;
	size_t *first = calloc(r->n_pci + 1, sizeof(*first)), n_hit = 0;

	if (!first)
		goto nomem;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t s = 0; s < d->n_structs; s++) {
			const struct ia_dmar_struct *st = &d->structs[s];
			if (st->type != IA_DMAR_DRHD || unit_of[s] < 0 || (st->u.drhd.flags & IA_DMAR_DRHD_INCLUDE_PCI_ALL))
				continue;
			for (size_t k = 0; k < st->n_scopes; k++) {
				long p = res[s][k].pci;
				if (!fw_scope_is_pci(&st->scopes[k]) || p < 0)
					continue;
				if (pass == 0)
					first[p + 1]++;
				else
					hit[first[p]++] = (struct fw_hit){ s, k };
			}
		}
		if (pass == 0) {
			for (size_t i = 0; i < r->n_pci; i++)
				first[i + 1] += first[i];
			n_hit = first[r->n_pci];
			hit = calloc(n_hit ? n_hit : 1, sizeof(*hit));
			if (!hit) {
				free(first);
				goto nomem;
			}
			n_hit = 0;
		}
	}
	/* the second pass advanced first[p] to the end of p's hits: shift back */
	for (size_t i = r->n_pci; i > 0; i--)
		first[i] = first[i - 1];
	first[0] = 0;

	for (size_t i = 0; i < r->n_pci; i++) {
		size_t q = r->pci[i].physfn >= 0 ? (size_t)r->pci[i].physfn : i;
		int64_t unit = -1;
		const char *how = NULL;
		size_t best_s = SIZE_MAX;
		long best_p = -1, x = (long)q;

		/* fw_pci_is_at_or_below()'s walk: q and its ancestors, at most 256 hops */
		for (unsigned hops = 0; x >= 0 && hops <= 256; hops++, x = r->pci[x].parent)
			for (size_t h = first[x]; h < first[x + 1]; h++) {
				const struct fw_hit *t = &hit[h];
				if (d->structs[t->s].segment != r->pci[q].domain)
					continue;
				/* a later DRHD wins; within one, the first hit of the walk (the function
				 * itself, then the nearest bridge; the first of its scopes) stays */
				if (best_s == SIZE_MAX || t->s > best_s) {
					best_s = t->s;
					best_p = x;
				}
			}
		if (best_p >= 0) {
			unit = unit_of[best_s];
			how = (size_t)best_p == q ? "scope" : "scope-bridge";
		}
		for (size_t s = 0; s < d->n_structs && unit < 0; s++) {
			const struct ia_dmar_struct *st = &d->structs[s];
			if (st->type == IA_DMAR_DRHD && unit_of[s] >= 0 && st->segment == r->pci[q].domain &&
			    (st->u.drhd.flags & IA_DMAR_DRHD_INCLUDE_PCI_ALL)) {
				unit = unit_of[s];
				how = "include-pci-all";
			}
		}
		if (unit < 0)
			continue;
		fw_add_unit_dev(r, unit, r->pci[i].bdf, how, false, 0);
		if (ir_ctrl >= 0)
			fw_add_route(r, r->pci[i].bdf, ir_ctrl, false, 0, "dmar-ir");
	}
	free(hit);
	free(first);
	return;
nomem:
	ia_ctx_error(r->ctx, "DMAR", -ENOMEM, -1, "which DRHD translates each PCI function, and its interrupt remapping",
		     "cannot match functions to DRHDs: %s", ia_strerror(-ENOMEM));
}

/* RMRR: its range and the devices its scopes name, everything below a bridge included. */
static void fw_dmar_rmrr(struct fw_run *r, const struct ia_dmar_struct *s, const struct fw_scope_res *res)
{
	const struct ia_dmar_rmrr *m = &s->u.rmrr;
	int seq = 0;
	int64_t id = fw_add_region(r, "DMAR", "RMRR", s->offset, true, s->segment, m->base, m->limit >= m->base,
				   m->limit, false, 0, m->range_ok, -1);

	if (id < 0)
		return;
	for (size_t k = 0; k < s->n_scopes; k++) {
		if (!fw_scope_is_pci(&s->scopes[k]))
			continue;
		if (res[k].pci < 0) {
			fw_add_target(r, id, &seq, res[k].path, NULL);
			continue;
		}
		/* intel_iommu_get_resv_regions(): the scope device and every device downstream of it. */
		for (size_t i = 0; i < r->n_pci; i++)
			if (fw_pci_is_at_or_below(r, i, (size_t)res[k].pci))
				fw_add_target(r, id, &seq, r->pci[i].bdf, r->pci[i].bdf);
	}
}

static void fw_dmar(struct fw_run *r, const struct fw_blob *b)
{
	struct ia_dmar d;
	struct ia_diags dg = {0};
	sqlite3_stmt *si = NULL, *ss = NULL, *sc = NULL;
	int rc = ia_dmar_decode(b->bytes, b->len, &d, &dg);
	struct fw_scope_res **res = NULL;
	int64_t *unit_of = NULL;

	fw_report_diags(r, "DMAR", &dg, "Intel VT-d units, RMRRs and interrupt remapping described after this point",
			-IA_E_RANGE);
	ia_diags_free(&dg);
	fw_store_table(r, b, rc < 0 ? rc : 0);
	if (d.hdr.signature[0] == '\0')
		goto out; /* header unusable: nothing decoded */
	if (ia_fact_prepare_insert(r->ctx->db, IA_FACT_dmar_info, NULL, &si) ||
	    ia_fact_prepare_insert(r->ctx->db, IA_FACT_dmar_structure, "OR IGNORE", &ss) ||
	    ia_fact_prepare_insert(r->ctx->db, IA_FACT_dmar_scope, "OR IGNORE", &sc))
		goto out;
	const struct ia_fact_dmar_info info = {
		.id = ia_fact_i(true, 1),
		.haw = ia_fact_i(true, d.haw),
		.flags = ia_fact_i(true, d.flags),
		.intr_remap = ia_fact_i(true, d.intr_remap),
		.x2apic_opt_out = ia_fact_i(true, d.x2apic_opt_out),
		.dma_ctrl_platform_opt_in = ia_fact_i(true, d.dma_ctrl_platform_opt_in),
	};
	ia_fact_bind(si, IA_FACT_dmar_info, &info);
	if (ia_db_step_done(si) == 0)
		r->ctx->facts++;

	res = calloc(d.n_structs ? d.n_structs : 1, sizeof(*res));
	unit_of = calloc(d.n_structs ? d.n_structs : 1, sizeof(*unit_of));
	if (!res || !unit_of)
		goto out;
	size_t n_drhd = 0;
	for (size_t s = 0; s < d.n_structs; s++) {
		const struct ia_dmar_struct *st = &d.structs[s];
		char detail[200] = "";
		bool has_flags = false, has_base = false, has_limit = false;
		uint64_t base = 0;
		uint8_t flags = 0;

		unit_of[s] = -1;
		switch (st->type) {
		case IA_DMAR_DRHD: has_flags = has_base = true; flags = st->u.drhd.flags; base = st->u.drhd.register_base; break;
		case IA_DMAR_RMRR: has_base = has_limit = true; base = st->u.rmrr.base; break;
		case IA_DMAR_ATSR: has_flags = true; flags = st->u.atsr.flags; break;
		case IA_DMAR_SATC: has_flags = true; flags = st->u.satc.flags; break;
		case IA_DMAR_RHSA:
			has_base = true;
			base = st->u.rhsa.register_base;
			snprintf(detail, sizeof(detail), "proximity domain %u", st->u.rhsa.proximity_domain);
			break;
		case IA_DMAR_ANDD:
			snprintf(detail, sizeof(detail), "%u %s", st->u.andd.device_number,
				 st->u.andd.object_name ? st->u.andd.object_name : "");
			break;
		default: break;
		}
		const struct ia_fact_dmar_structure row = {
			.offset = ia_fact_i(true, st->offset),
			.type = ia_dmar_type_name(st->type),
			.segment = ia_fact_i(st->has_segment, st->segment),
			.flags = ia_fact_i(has_flags, flags),
			.base = ia_fact_i(has_base, (int64_t)base),
			.limit_addr = ia_fact_i(has_limit, (int64_t)st->u.rmrr.limit),
			.detail = detail[0] ? detail : NULL,
		};
		ia_fact_bind(ss, IA_FACT_dmar_structure, &row);
		if (ia_db_step_done(ss) == 0)
			r->ctx->facts++;
		res[s] = calloc(st->n_scopes ? st->n_scopes : 1, sizeof(**res));
		if (!res[s])
			continue;
		fw_dmar_scopes(r, sc, st, res[s]);
		if (st->type == IA_DMAR_DRHD) {
			char name[32];
			snprintf(name, sizeof(name), "DRHD%zu", n_drhd++);
			unit_of[s] = fw_add_unit(r, "DMAR", "vt-d", name, st->offset, true, st->segment, true,
						 st->u.drhd.register_base,
						 !!(st->u.drhd.flags & IA_DMAR_DRHD_INCLUDE_PCI_ALL), false, 0,
						 false, 0, true, st->u.drhd.flags, false, 0, -1);
		} else if (st->type == IA_DMAR_RMRR) {
			fw_dmar_rmrr(r, st, res[s]);
		}
	}
	/* Interrupt remapping: DMAR flag INTR_REMAP (dmar_ir_support()); without it x86 MSIs are not isolated. */
	int64_t ir = -1;
	if (n_drhd)
		ir = fw_add_msi(r, "intel-ir", "DMAR", "DMAR INTR_REMAP", false, 0, false, 0, d.intr_remap);
	for (size_t s = 0; s < d.n_structs; s++)
		if (!res[s])
			unit_of[s] = -1;
	fw_dmar_cover(r, &d, res, unit_of, ir);
out:
	for (size_t s = 0; res && s < d.n_structs; s++)
		free(res[s]);
	free(res);
	free(unit_of);
	sqlite3_finalize(si);
	sqlite3_finalize(ss);
	sqlite3_finalize(sc);
	ia_dmar_free(&d);
}

/* ---- IVRS -------------------------------------------------------------------------- */

static void fw_devid_text(uint16_t seg, uint16_t devid, char *out, size_t cap)
{
	snprintf(out, cap, "%04x:%02x:%02x.%u", seg, devid >> 8, (devid >> 3) & 0x1f, devid & 7);
}

/* The southbridge IOAPIC's DeviceID the kernel insists on (IOAPIC_SB_DEVID: 00:14.0). */
#define FW_IOAPIC_SB_DEVID 0x00a0u

/*
 * AMD interrupt remapping is isolating when the kernel keeps it on: check_ioapic_information()
 * (drivers/iommu/amd/init.c, 6.12) walks the MADT IOAPICs in order, each looked up among the
 * special (0x48) IOAPIC entries of the used IVHDs (get_ioapic_devid(): the first entry naming its
 * id); one the IVRS lacks clears the result, one whose DeviceID is the southbridge's (00:14.0)
 * sets it, and without such a southbridge IOAPIC it stays off ("No southbridge IOAPIC found",
 * issue 13 item 3's sibling: the firmware "isolated MSIs" the kernel never remapped). Unknown
 * without the MADT. (ivrs_ioapic= on the command line overrides the table; not seen here.)
 */
static int fw_ivrs_ir_isolating(const struct fw_run *r, const struct ia_ivrs *t)
{
	bool ret = false;

	if (!r->have_madt)
		return -1;
	for (size_t a = 0; a < r->madt.n_ioapics; a++) {
		const struct ia_ivhd_entry *hit = NULL;
		for (size_t e = 0; e < t->n_entries && !hit; e++) {
			const struct ia_ivhd_entry *en = &t->entries[e];
			if (en->has_special && en->variety == IA_IVHD_SPECIAL_IOAPIC &&
			    en->handle == r->madt.ioapics[a].ioapic_id && en->ivhd < t->n_ivhd && t->ivhd[en->ivhd].linux_uses)
				hit = en;
		}
		if (!hit)
			ret = false;
		else if (hit->source_devid == FW_IOAPIC_SB_DEVID)
			ret = true;
	}
	return ret;
}

static void fw_ivrs(struct fw_run *r, const struct fw_blob *b)
{
	struct ia_ivrs t;
	struct ia_diags dg = {0};
	sqlite3_stmt *si = NULL;
	int64_t *unit_of = NULL;
	int rc = ia_ivrs_decode(b->bytes, b->len, &t, &dg);

	fw_report_diags(r, "IVRS", &dg, "AMD-Vi units and IVMD regions described after this point", 0);
	ia_diags_free(&dg);
	fw_store_table(r, b, rc < 0 ? rc : 0);
	if (t.hdr.signature[0] == '\0')
		goto out;
	if (ia_fact_prepare_insert(r->ctx->db, IA_FACT_ivrs_info, NULL, &si))
		goto out;
	const struct ia_fact_ivrs_info info = {
		.id = ia_fact_i(true, 1),
		.ivinfo = ia_fact_i(true, t.ivinfo),
		.efr_sup = ia_fact_i(true, t.efr_sup),
		.dma_remap = ia_fact_i(true, t.dma_remap),
		.pa_size = ia_fact_i(true, t.pa_size),
		.va_size = ia_fact_i(true, t.va_size),
		.kernel_ivhd_type = ia_fact_i(t.has_kernel_type, t.kernel_type),
	};
	ia_fact_bind(si, IA_FACT_ivrs_info, &info);
	if (ia_db_step_done(si) == 0)
		r->ctx->facts++;

	unit_of = calloc(t.n_ivhd ? t.n_ivhd : 1, sizeof(*unit_of));
	if (!unit_of)
		goto out;
	size_t n_units = 0;
	for (size_t i = 0; i < t.n_ivhd; i++) {
		const struct ia_ivhd *h = &t.ivhd[i];
		char name[32];
		unit_of[i] = -1;
		if (!h->linux_uses)
			continue; /* another IVHD type of the same IOMMU: Linux reads only one */
		snprintf(name, sizeof(name), "IVHD%zu", n_units++);
		unit_of[i] = fw_add_unit(r, "IVRS", "amd-vi", name, h->offset, true, h->segment, true, h->base,
					 -1, true, h->devid, h->has_efr, h->efr, true, h->flags, false, 0, h->type);
	}
	int64_t ir = -1;
	if (n_units)
		ir = fw_add_msi(r, "amd-ir", "IVRS", "IVRS", false, 0, false, 0, fw_ivrs_ir_isolating(r, &t));
	for (size_t i = 0; i < r->n_pci; i++) {
		const struct fw_pci *p = &r->pci[i];
		struct ia_ivrs_match m;
		if (p->domain > 0xffff || /* a VMD domain: not an ACPI segment */
		    ia_ivrs_lookup(&t, (uint16_t)p->domain, fw_pci_rid(p), &m) < 0 || m.ivhd >= t.n_ivhd ||
		    unit_of[m.ivhd] < 0 || m.is_iommu)
			continue;
		fw_add_unit_dev(r, unit_of[m.ivhd], p->bdf, "ivhd", true, m.has_alias ? m.alias_devid : fw_pci_rid(p));
		if (ir >= 0)
			fw_add_route(r, p->bdf, ir, false, 0, "ivrs-ir");
	}
	/* IVMD: unity (1:1) and exclusion ranges with the DeviceIDs they name. */
	for (size_t v = 0; v < t.n_ivmd; v++) {
		const struct ia_ivmd *m = &t.ivmd[v];
		int seq = 0;
		int64_t id = fw_add_region(r, "IVRS", "IVMD", m->offset, true, m->segment, m->start, m->has_end,
					   m->end, true, m->flags, m->linux_applies, -1);
		if (id < 0)
			continue;
		for (size_t i = 0; i < r->n_pci; i++) {
			uint16_t rid = fw_pci_rid(&r->pci[i]);
			if (r->pci[i].domain == m->segment && rid >= m->first && rid <= m->last)
				fw_add_target(r, id, &seq, r->pci[i].bdf, r->pci[i].bdf);
		}
		if (seq == 0) {
			char a[32], z[32], txt[96];
			fw_devid_text(m->segment, m->first, a, sizeof(a));
			fw_devid_text(m->segment, m->last, z, sizeof(z));
			if (m->type == IA_IVMD_TYPE_ALL)
				snprintf(txt, sizeof(txt), "all DeviceIDs of segment %04x", m->segment);
			else if (m->first == m->last)
				snprintf(txt, sizeof(txt), "%s", a);
			else
				snprintf(txt, sizeof(txt), "%s..%s", a, z);
			fw_add_target(r, id, &seq, txt, NULL);
		}
	}
out:
	free(unit_of);
	sqlite3_finalize(si);
	ia_ivrs_free(&t);
}

/* ---- IORT and MADT ----------------------------------------------------------------- */

static void fw_smmu_name(const struct ia_iort_node *n, char *out, size_t cap)
{
	if (n->type == IA_IORT_NODE_SMMU_V3)
		snprintf(out, cap, "SMMUv3@0x%llx", (unsigned long long)n->u.smmu3.base);
	else
		snprintf(out, cap, "SMMU@0x%llx", (unsigned long long)n->u.smmu.base);
}

/* MSI controllers from the MADT: GIC ITS (isolating) and GICv2m frames (not). */
static void fw_madt_msi(struct fw_run *r, int64_t *its_ctrl, int64_t *frame_ctrl)
{
	for (size_t i = 0; i < r->madt.n_its; i++) {
		char name[48];
		snprintf(name, sizeof(name), "ITS %u", r->madt.its[i].its_id);
		its_ctrl[i] = fw_add_msi(r, "gic-v3-its", "MADT", name, true, r->madt.its[i].base, true,
					 r->madt.its[i].its_id, 1);
	}
	for (size_t i = 0; i < r->madt.n_msi_frames; i++) {
		char name[48];
		snprintf(name, sizeof(name), "MSI frame %u", r->madt.msi_frames[i].frame_id);
		frame_ctrl[i] = fw_add_msi(r, "gic-v2m", "MADT", name, true, r->madt.msi_frames[i].base, true,
					   r->madt.msi_frames[i].frame_id, 0);
	}
}

static void fw_iort(struct fw_run *r, const struct fw_blob *b, const int64_t *its_ctrl,
		    const int64_t *frame_ctrl)
{
	struct ia_iort t;
	struct ia_iort_rmrs rm = {0};
	struct ia_diags dg = {0};
	int64_t *unit_of = NULL, *group_ctrl = NULL;
	struct ia_iort_map_result *map = NULL;
	int *map_rc = NULL;
	int rc = ia_iort_decode(b->bytes, b->len, &t, &dg);

	fw_report_diags(r, "IORT", &dg, "SMMUs, ITS groups and RMRs described after this point", 0);
	ia_diags_free(&dg);
	fw_store_table(r, b, rc < 0 ? rc : 0);
	if (t.hdr.signature[0] == '\0')
		goto out;
	unit_of = calloc(t.n_nodes ? t.n_nodes : 1, sizeof(*unit_of));
	group_ctrl = calloc(t.n_nodes ? t.n_nodes : 1, sizeof(*group_ctrl));
	map = calloc(r->n_pci ? r->n_pci : 1, sizeof(*map));
	map_rc = calloc(r->n_pci ? r->n_pci : 1, sizeof(*map_rc));
	if (!unit_of || !group_ctrl || !map || !map_rc)
		goto out;
	for (size_t i = 0; i < t.n_nodes; i++) {
		const struct ia_iort_node *n = &t.nodes[i];
		char name[64];
		unit_of[i] = group_ctrl[i] = -1;
		if (n->known && n->data_ok && n->type == IA_IORT_NODE_SMMU_V3) {
			fw_smmu_name(n, name, sizeof(name));
			unit_of[i] = fw_add_unit(r, "IORT", "smmu-v3", name, n->offset, false, 0, true,
						 n->u.smmu3.base, -1, false, 0, false, 0, true, n->u.smmu3.flags,
						 true, n->u.smmu3.model, -1);
		} else if (n->known && n->data_ok && n->type == IA_IORT_NODE_SMMU) {
			fw_smmu_name(n, name, sizeof(name));
			unit_of[i] = fw_add_unit(r, "IORT", "smmu", name, n->offset, false, 0, true,
						 n->u.smmu.base, -1, false, 0, false, 0, true, n->u.smmu.flags,
						 true, n->u.smmu.model, -1);
		} else if (n->known && n->type == IA_IORT_NODE_ITS_GROUP) {
			/* An ITS group names MADT GIC ITS entries by Translation ID; use the first. */
			uint32_t its_id;
			size_t mi;
			if (ia_iort_its_id(&t, i, 0, &its_id) < 0)
				continue;
			if (r->have_madt && ia_madt_find_its(&r->madt, its_id, &mi) == 0) {
				group_ctrl[i] = its_ctrl[mi];
			} else if (!r->have_madt) {
				/* No MADT to check against: an ITS the MADT lacks has no driver, and
				 * its MSIs fall back to a GICv2m frame, so whether this one isolates
				 * is unknown (fail closed: the IORT's word alone does not say) */
				snprintf(name, sizeof(name), "ITS %u", its_id);
				group_ctrl[i] = fw_add_msi(r, "gic-v3-its", "IORT", name, false, 0, true, its_id, -1);
			}
		}
	}
	/* Each PCI function's RID through its segment's root complex (iort_iommu_configure_id(),
	 * iort_msi_map_id()). The function's own RID is used, not its DMA alias. */
	/* Without a live ITS, PCI MSIs go to the GICv2m frame (gicv2m_acpi_init() registers it as
	 * the default PCI MSI domain provider). */
	bool v2m = r->have_madt && r->madt.n_msi_frames > 0 && frame_ctrl[0] >= 0;
	for (size_t i = 0; i < r->n_pci; i++) {
		const struct fw_pci *p = &r->pci[i];
		struct ia_iort_map_result *m = &map[i];
		map_rc[i] = ia_iort_map_rid(&t, p->domain, fw_pci_rid(p), m);
		bool ok = map_rc[i] == 0;
		if (ok && m->has_smmu && m->smmu_node < t.n_nodes && unit_of[m->smmu_node] >= 0)
			fw_add_unit_dev(r, unit_of[m->smmu_node], p->bdf, "iort-rc", true, m->stream_id);
		if (ok && m->has_its && m->its_node < t.n_nodes && group_ctrl[m->its_node] >= 0)
			fw_add_route(r, p->bdf, group_ctrl[m->its_node], true, m->device_id, "iort");
		else if (v2m)
			fw_add_route(r, p->bdf, frame_ctrl[0], false, 0, "madt-v2m");
	}
	/* RMR: reserved 1:1 ranges with the StreamIDs they apply to, mapped back to BDFs. */
	if (ia_iort_rmrs(&t, &rm) < 0)
		goto out;
	for (size_t g = 0; g < rm.n_regions; g++) {
		const struct ia_iort_rmr_region *rg = &rm.regions[g];
		const struct ia_iort_node *n = rg->rmr_node < t.n_nodes ? &t.nodes[rg->rmr_node] : NULL;
		uint64_t end = rg->base + rg->length - 1;
		int seq = 0;
		int64_t id = fw_add_region(r, "IORT", "RMR", n ? n->offset : 0, false, 0, rg->base,
					   rg->length && end >= rg->base, end, n != NULL,
					   n ? n->u.rmr.flags : 0, rg->linux_honours, rg->relaxable);
		if (id < 0)
			continue;
		for (size_t s = rg->first_sids; s < rg->first_sids + rg->n_sids && s < rm.n_sids; s++) {
			const struct ia_iort_rmr_sids *sd = &rm.sids[s];
			int before = seq;
			for (size_t i = 0; sd->smmu_valid && i < r->n_pci; i++)
				if (map_rc[i] == 0 && map[i].has_smmu && map[i].smmu_node == sd->smmu_node &&
				    map[i].stream_id >= sd->first_sid &&
				    (uint64_t)map[i].stream_id - sd->first_sid < sd->sid_count)
					fw_add_target(r, id, &seq, r->pci[i].bdf, r->pci[i].bdf);
			if (seq == before) {
				char smmu[64] = "unknown node", txt[160];
				if (sd->smmu_valid && sd->smmu_node < t.n_nodes)
					fw_smmu_name(&t.nodes[sd->smmu_node], smmu, sizeof(smmu));
				snprintf(txt, sizeof(txt), "%s StreamID 0x%x..0x%llx", smmu, sd->first_sid,
					 (unsigned long long)(sd->first_sid + sd->sid_count - 1));
				fw_add_target(r, id, &seq, txt, NULL);
			}
		}
	}
out:
	ia_iort_rmrs_free(&rm);
	free(unit_of);
	free(group_ctrl);
	free(map);
	free(map_rc);
	ia_iort_free(&t);
}

/* ---- The collector ----------------------------------------------------------------- */

static int fw_collect(struct ia_ctx *ctx)
{
	struct fw_run r = { .ctx = ctx };
	struct ia_acpidump dump = {0};
	struct fw_blob madt = {0}, blob;
	int64_t *its_ctrl = NULL, *frame_ctrl = NULL;
	int rc = 0;

	if ((rc = fw_pci_load(&r)) < 0)
		goto out;
	if (ia_fact_prepare_insert(ctx->db, IA_FACT_fw_unit, NULL, &r.unit) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_fw_unit_device, "OR IGNORE", &r.unit_dev) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_fw_region, NULL, &r.region) ||
	    ia_db_prepare(ctx->db, "INSERT INTO fw_region_target SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS"
				   " (SELECT 1 FROM fw_region_target WHERE region_id = ?1 AND target = ?3)", &r.target) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_msi_controller, NULL, &r.msi) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_pci_msi_route, "OR IGNORE", &r.route)) {
		rc = -IA_E_SQLITE;
		goto out;
	}
	if (ctx->opts->acpidump) {
		struct ia_diags dg = {0};
		long n = 0;
		int frc = fw_parse_acpidump(ctx->opts->acpidump, FW_ACPIDUMP_MAX_TEXT, &dump, &dg, &n);
		if (frc < 0) {
			ia_diags_free(&dg);
			ia_ctx_error(ctx, ctx->opts->acpidump, frc, -1, "every ACPI firmware table",
				     "cannot read the acpidump file: %s", ia_strerror(frc));
			goto out;
		}
		for (size_t i = 0; i < dg.n; i++)
			ia_ctx_error(ctx, dg.v[i].where[0] ? dg.v[i].where : "acpidump", dg.v[i].code,
				     dg.v[i].offset, "the ACPI table it concerns", "acpidump %s: %s",
				     ctx->opts->acpidump, dg.v[i].msg);
		ia_diags_free(&dg);
		if (n < 0) {
			ia_ctx_error(ctx, ctx->opts->acpidump, (int)n, -1, "every ACPI firmware table",
				     "cannot parse the acpidump file: %s", ia_strerror((int)n));
			goto out;
		}
	}
	/* The MADT first: IORT ITS groups and the AMD IOAPIC check refer to it. */
	if (fw_fetch(&r, &dump, "APIC", &madt)) {
		struct ia_diags dg = {0};
		int mrc = ia_madt_decode(madt.bytes, madt.len, &r.madt, &dg);
		fw_report_diags(&r, "APIC", &dg, "GIC ITS and GICv2m MSI controllers described after this point", 0);
		ia_diags_free(&dg);
		fw_store_table(&r, &madt, mrc < 0 ? mrc : 0);
		r.have_madt = r.madt.hdr.signature[0] != '\0';
	}
	its_ctrl = calloc(r.madt.n_its + 1, sizeof(*its_ctrl));
	frame_ctrl = calloc(r.madt.n_msi_frames + 1, sizeof(*frame_ctrl));
	if (!its_ctrl || !frame_ctrl) {
		rc = -ENOMEM;
		goto out;
	}
	if (r.have_madt)
		fw_madt_msi(&r, its_ctrl, frame_ctrl);
	if (fw_fetch(&r, &dump, "DMAR", &blob)) {
		fw_dmar(&r, &blob);
		fw_blob_free(&blob);
	}
	if (fw_fetch(&r, &dump, "IVRS", &blob)) {
		fw_ivrs(&r, &blob);
		fw_blob_free(&blob);
	}
	if (fw_fetch(&r, &dump, "IORT", &blob)) {
		fw_iort(&r, &blob, its_ctrl, frame_ctrl);
		fw_blob_free(&blob);
	} else if (r.have_madt && r.madt.n_msi_frames > 0 && frame_ctrl[0] >= 0) {
		/* No IORT: every PCI MSI goes to the GICv2m frame (gicv2m_acpi_init()). */
		for (size_t i = 0; i < r.n_pci; i++)
			fw_add_route(&r, r.pci[i].bdf, frame_ctrl[0], false, 0, "madt-v2m");
	}
out:
	fw_blob_free(&madt);
	ia_madt_free(&r.madt);
	ia_acpidump_free(&dump);
	free(its_ctrl);
	free(frame_ctrl);
	sqlite3_finalize(r.unit);
	sqlite3_finalize(r.unit_dev);
	sqlite3_finalize(r.region);
	sqlite3_finalize(r.target);
	sqlite3_finalize(r.msi);
	sqlite3_finalize(r.route);
	free(r.pci);
	return rc;
}

const struct ia_collector ia_collector_acpi = {
	.name = "acpi",
	.reads = "sys/firmware/acpi/tables/{APIC,DMAR,IVRS,IORT}, or the tables of --acpidump FILE",
	.writes = IA_FACT_BIT(acpi_table) | IA_FACT_BIT(dmar_info) | IA_FACT_BIT(dmar_structure) |
		  IA_FACT_BIT(dmar_scope) | IA_FACT_BIT(ivrs_info) | IA_FACT_BIT(fw_unit) | IA_FACT_BIT(fw_unit_device) |
		  IA_FACT_BIT(fw_region) | IA_FACT_BIT(fw_region_target) | IA_FACT_BIT(msi_controller) |
		  IA_FACT_BIT(pci_msi_route),
	.needs = IA_FACT_BIT(pci_function), /* DMAR scopes, IVHD DeviceIDs, IORT and MSI routes resolve to functions */
	.collect = fw_collect,
};
