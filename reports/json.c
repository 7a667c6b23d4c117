// SPDX-License-Identifier: GPL-2.0-or-later
// The JSON report of ../shared/docs/contract.md, streamed with yajl's generator; ia_json_text() for jansson users.
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "core/text.h"
#include "decode/pcicfg.h"
#include "model/firmware_model.h"
#include "report.h"

json_t *ia_json_text(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	char *buf = ia_text_sanitize_dup(s, IA_TEXT_JSON);
	if (!buf)
		return NULL;
	j = json_string(buf);
	free(buf);
	return j;
}

/*
 * The report is generated as one yajl document, pretty-printed with 2-space indentation. yajl
 * prints through jw_print() into a fixed buffer that is written to the stream whenever it fills,
 * so memory stays constant whatever the host's size. The first failure is kept in w->err, output
 * after it is dropped, the top-level arrays stop at it, and ia_report_json() returns it.
 */
struct jw {
	yajl_gen g;
	FILE *out;
	int err;                   /* the first failure: -ENOMEM, -EIO */
	int werrno;                /* errno of the write (or allocation) that failed */
	char *scratch;             /* host text with malformed UTF-8 replaced */
	size_t scratch_cap;
	size_t len;                /* bytes waiting in buf */
	size_t flushes;            /* times buf was written out */
	bool just_opened;          /* the last generator call opened an array or object ... */
	size_t open_len, open_flushes; /* ... leaving len and flushes so: see jw_close() */
	char buf[1 << 16];
};

static void jw_fail(struct jw *w, int err, int eno)
{
	if (!w->err) {
		w->err = err;
		w->werrno = eno;
	}
}

static void jw_write(struct jw *w, const char *s, size_t n)
{
	errno = 0;
	if (n && fwrite(s, 1, n, w->out) != n)
		jw_fail(w, -EIO, errno ? errno : EIO);
}

/* Output that does not fit in w->buf: write the buffer, then keep or write @s. Out of line, so
 * that jw_print() stays a few instructions. */
__attribute__((noinline)) static void jw_print_full(struct jw *w, const char *s, size_t n)
{
	/* After an open bracket its "\n..." stays in the buffer: the array may yet close empty (jw_close()). */
	bool pending = w->just_opened && w->open_flushes == w->flushes && w->open_len >= 1 && w->open_len <= w->len;
	size_t from = pending ? w->open_len - 1 : w->len;

	if (!w->err)
		jw_write(w, w->buf, from);
	memmove(w->buf, w->buf + from, w->len - from);
	w->len -= from;
	w->flushes++;
	if (pending) {
		w->open_len = 1;
		w->open_flushes = w->flushes;
	}
	if (w->err)
		return;
	if (n > sizeof(w->buf) - w->len) { /* still too long: what was kept, then @s itself */
		jw_write(w, w->buf, w->len);
		w->len = 0;
		w->flushes++;
		jw_write(w, s, n);
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* yajl's print callback, called for every piece of output (indentation, quotes, separators and
 * string runs; about ten million at 16,384 functions): gather it in w->buf, written out when full. */
static void jw_print(void *ctx, const char *s, size_t n)
{
	struct jw *w = ctx;
	size_t len = w->len;

	if (n > sizeof(w->buf) - len) {
		jw_print_full(w, s, n);
		return;
	}
	char *o = w->buf + len;
	w->len = len + n;
	if (n <= 2) { /* separators, quotes and indentation: no call to memcpy for them */
		if (n)
			o[0] = s[0];
		if (n == 2)
			o[1] = s[1];
	} else {
		memcpy(o, s, n);
	}
}

/* A generator call's status: anything but ok is a call the generator refused (a bug here). */
static void jw_st(struct jw *w, yajl_gen_status st)
{
	w->just_opened = false;
	if (st != yajl_gen_status_ok)
		jw_fail(w, -EIO, EIO);
}

/* An array or object opened: yajl's beautifier printed "[\n" (or "{\n"). */
static void jw_open(struct jw *w, yajl_gen_status st)
{
	jw_st(w, st);
	w->just_opened = true;
	w->open_len = w->len;
	w->open_flushes = w->flushes;
}

/* Close the array or object: an empty one is written "[]" / "{}" as jansson wrote it, not as
 * the beautifier's "[\n\n    ]" (kept only when the buffer was written out in between). */
static void jw_close(struct jw *w, yajl_gen_status (*close)(yajl_gen), char closer)
{
	bool empty = w->just_opened && w->open_flushes == w->flushes && w->open_len >= 1 &&
		     w->buf[w->open_len - 1] == '\n';

	jw_st(w, close(w->g));
	if (empty && !w->err && w->flushes == w->open_flushes) {
		w->buf[w->open_len - 1] = closer;
		w->len = w->open_len;
	}
}

static void jw_map(struct jw *w)      { jw_open(w, yajl_gen_map_open(w->g)); }
static void jw_map_end(struct jw *w)  { jw_close(w, yajl_gen_map_close, '}'); }
static void jw_arr(struct jw *w)      { jw_open(w, yajl_gen_array_open(w->g)); }
static void jw_arr_end(struct jw *w)  { jw_close(w, yajl_gen_array_close, ']'); }
static void jw_null(struct jw *w)     { jw_st(w, yajl_gen_null(w->g)); }
static void jw_bool(struct jw *w, bool b) { jw_st(w, yajl_gen_bool(w->g, b)); }

/* Bytes that are known to be UTF-8 (keys, fixed words, formatted numbers). */
static void jw_raw(struct jw *w, const char *s, size_t n)
{
	jw_st(w, yajl_gen_string(w->g, (const unsigned char *)s, n));
}

static void jw_key(struct jw *w, const char *k)
{
	jw_raw(w, k, strlen(k));
}

/* Text from the host: null for NULL, bytes that start no valid UTF-8 sequence as U+FFFD. */
static void jw_text(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	size_t len = strlen(s), n = ia_utf8_valid(s, len);
	if (n == len) {
		jw_raw(w, s, n);
		return;
	}
	n = IA_TEXT_SANITIZED_MAX(len);
	if (n > w->scratch_cap) {
		char *nb = realloc(w->scratch, n);
		if (!nb) {
			jw_fail(w, -ENOMEM, ENOMEM);
			return;
		}
		w->scratch = nb;
		w->scratch_cap = n;
	}
	jw_raw(w, w->scratch, ia_text_sanitize(s, len, IA_TEXT_JSON, w->scratch));
}

static void jw_tri(struct jw *w, enum ia_tri t)
{
	if (t == IA_UNKNOWN)
		jw_null(w);
	else
		jw_bool(w, t == IA_YES);
}

/* @v in decimal: yajl_gen_integer() without its sprintf(), the cost of a quarter of the report's
 * integers being ids and counts on every device and group. */
static void jw_int(struct jw *w, long long v)
{
	char b[24], *o = b + sizeof(b);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do
		*--o = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--o = '-';
	jw_st(w, yajl_gen_number(w->g, o, (size_t)(b + sizeof(b) - o)));
}

/* "0x" and @v in lower-case hex, at least @width digits (at most 16): snprintf's "0x%0*llx"
 * without its cost, as every device has four or five of these. */
static void jw_hex(struct jw *w, unsigned long long v, int width)
{
	char b[2 + 16];
	int n = 1;

	while (n < 16 && v >> (4 * n))
		n++;
	if (n < width)
		n = width < 16 ? width : 16;
	b[0] = '0';
	b[1] = 'x';
	for (int i = n - 1; i >= 0; i--, v >>= 4)
		b[2 + i] = "0123456789abcdef"[v & 0xf];
	jw_raw(w, b, (size_t)n + 2);
}

/* Object members: "key": value. The _if forms write null unless @has. */
static void jm_text(struct jw *w, const char *k, const char *s) { jw_key(w, k); jw_text(w, s); }
static void jm_tri(struct jw *w, const char *k, enum ia_tri t)  { jw_key(w, k); jw_tri(w, t); }
static void jm_bool(struct jw *w, const char *k, bool b)        { jw_key(w, k); jw_bool(w, b); }
static void jm_int(struct jw *w, const char *k, long long v)    { jw_key(w, k); jw_int(w, v); }
static void jm_null(struct jw *w, const char *k)                { jw_key(w, k); jw_null(w); }
static void jm_map(struct jw *w, const char *k)                 { jw_key(w, k); jw_map(w); }
static void jm_arr(struct jw *w, const char *k)                 { jw_key(w, k); jw_arr(w); }

static void jm_int_if(struct jw *w, const char *k, bool has, long long v)
{
	jw_key(w, k);
	if (has)
		jw_int(w, v);
	else
		jw_null(w);
}

static void jm_hex_if(struct jw *w, const char *k, bool has, unsigned long long v, int width)
{
	jw_key(w, k);
	if (has)
		jw_hex(w, v, width);
	else
		jw_null(w);
}

static void json_host(struct jw *w, const struct ia_audit *a)
{
	jm_map(w, "host");
	jm_text(w, "root", a->root);
	jm_bool(w, "live", a->live);
	jm_text(w, "kernel", a->kernel_release);
	jm_text(w, "cmdline", a->cmdline);
	jm_text(w, "arch", a->arch);
	jw_map_end(w);
}

/* platform.iommu.firmware: which firmware descriptions describe an IOMMU. */
static void json_fw_describes(struct jw *w, const struct ia_firmware *fw)
{
	jm_arr(w, "firmware");
	if (fw && fw->describes_dmar)
		jw_text(w, "DMAR");
	if (fw && fw->describes_ivrs)
		jw_text(w, "IVRS");
	if (fw && fw->describes_iort)
		jw_text(w, "IORT");
	if (fw && fw->describes_dt)
		jw_text(w, "DT");
	jw_arr_end(w);
}

/* The firmware-described units (DRHD, IVHD, IORT SMMU, DT IOMMU), elements of platform.iommu.units. */
static void json_fw_units(struct jw *w, const struct ia_firmware *fw)
{
	for (size_t i = 0; fw && i < fw->n_units; i++) {
		const struct ia_fw_unit *u = &fw->units[i];
		jw_map(w);
		jm_text(w, "name", u->name);
		jm_text(w, "kind", u->kind);
		jm_text(w, "source", u->source);
		jm_int_if(w, "segment", u->has_segment, u->segment);
		jm_hex_if(w, "base", u->has_base, u->base, 1);
		jm_tri(w, "include_pci_all", u->include_pci_all);
		jm_arr(w, "devices");
		for (size_t k = 0; k < u->n_devices; k++)
			jw_text(w, u->devices[k]);
		jw_arr_end(w);
		if (u->compatible)
			jm_text(w, "compatible", u->compatible);
		jw_map_end(w);
	}
}

/* platform.firmware_regions: RMRR, IVMD and RMR ranges with the devices (or raw scopes) they name. */
static void json_fw_regions(struct jw *w, const struct ia_firmware *fw)
{
	jm_arr(w, "firmware_regions");
	for (size_t i = 0; fw && i < fw->n_regions; i++) {
		const struct ia_fw_region *g = &fw->regions[i];
		jw_map(w);
		jm_text(w, "source", g->source);
		jm_text(w, "kind", g->kind);
		jm_int_if(w, "segment", g->has_segment, g->segment);
		jm_hex_if(w, "base", true, g->base, 1);
		jm_hex_if(w, "end", g->has_end, g->end, 1);
		jm_arr(w, "devices");
		for (size_t k = 0; k < g->n_targets; k++)
			jw_text(w, g->targets[k]);
		jw_arr_end(w);
		jm_arr(w, "unresolved");
		for (size_t k = 0; k < g->n_targets; k++)
			if (!g->resolved[k])
				jw_text(w, g->targets[k]);
		jw_arr_end(w);
		jm_bool(w, "kernel_applies", g->kernel_applies);
		jm_tri(w, "relaxable", g->relaxable);
		jw_map_end(w);
	}
	jw_arr_end(w);
}

/* platform.msi_controllers: ITS, GICv2m, MBI, IR and other controllers, and whether they isolate. */
static void json_fw_msi(struct jw *w, const struct ia_firmware *fw)
{
	jm_arr(w, "msi_controllers");
	for (size_t i = 0; fw && i < fw->n_msi; i++) {
		const struct ia_fw_msi *m = &fw->msi[i];
		jw_map(w);
		jm_text(w, "kind", m->kind);
		jm_text(w, "source", m->source);
		jm_tri(w, "isolating", m->isolating);
		jm_text(w, "name", m->name);
		jm_hex_if(w, "base", m->has_base, m->base, 1);
		jm_text(w, "compatible", m->compatible);
		jm_int(w, "devices", (long long)m->n_devices);
		jw_map_end(w);
	}
	jw_arr_end(w);
}

/* A name and the index of the unit or device that carries it, ordered by name, then index. */
struct json_named {
	const char *name;
	size_t i;
};

static int json_named_cmp(const void *x, const void *y)
{
	const struct json_named *p = x, *q = y;
	int c = strcmp(p->name, q->name);

	return c ? c : (p->i > q->i) - (p->i < q->i);
}

/*
 * The devices whose iommu link names each sysfs unit, in device order, without comparing every
 * device with every unit: units and devices sorted by name and merged. On success *@by_name holds
 * the devices sorted by (unit name, index) and (*@span)[u] = { first, count } the run of them that
 * names unit u. Return: 0 or -ENOMEM.
 */
static int json_unit_devices(const struct ia_audit *a, struct json_named **by_name, size_t (**span)[2])
{
	struct json_named *un = malloc((a->n_units ? a->n_units : 1) * sizeof(*un));
	struct json_named *dn = malloc((a->n_devs ? a->n_devs : 1) * sizeof(*dn));
	size_t (*sp)[2] = calloc(a->n_units ? a->n_units : 1, sizeof(*sp));
	size_t nu = 0, nd = 0;

	if (!un || !dn || !sp) {
		free(un);
		free(dn);
		free(sp);
		return -ENOMEM;
	}
	for (size_t i = 0; i < a->n_units; i++)
		if (a->units[i].name)
			un[nu++] = (struct json_named){ a->units[i].name, i };
	for (size_t d = 0; d < a->n_devs; d++)
		if (a->devs[d].iommu_unit)
			dn[nd++] = (struct json_named){ a->devs[d].iommu_unit, d };
	qsort(un, nu, sizeof(*un), json_named_cmp);
	qsort(dn, nd, sizeof(*dn), json_named_cmp);
	for (size_t ui = 0, di = 0; ui < nu;) {
		const char *name = un[ui].name;
		while (di < nd && strcmp(dn[di].name, name) < 0)
			di++;
		size_t end = di;
		while (end < nd && !strcmp(dn[end].name, name))
			end++;
		for (; ui < nu && !strcmp(un[ui].name, name); ui++) { /* units of the same name share the devices */
			sp[un[ui].i][0] = di;
			sp[un[ui].i][1] = end - di;
		}
		di = end;
	}
	free(un);
	*by_name = dn;
	*span = sp;
	return 0;
}

static void json_platform(struct jw *w, const struct ia_audit *a)
{
	struct json_named *by_name;
	size_t (*span)[2];

	if (json_unit_devices(a, &by_name, &span) < 0) {
		jw_fail(w, -ENOMEM, ENOMEM);
		return;
	}
	jm_map(w, "platform");
	jm_map(w, "iommu");
	json_fw_describes(w, a->firmware);
	/* The kernel activated an IOMMU when it registered units or formed groups. */
	jm_bool(w, "kernel_active", ia_audit_iommu_active(a));
	jm_arr(w, "units");
	for (size_t i = 0; i < a->n_units; i++) {
		const struct ia_unit *u = &a->units[i];
		jw_map(w);
		jm_text(w, "name", u->name);
		jm_text(w, "kind", u->kind);
		jm_text(w, "source", "sysfs");
		jm_null(w, "segment");
		jm_hex_if(w, "base", u->has_address, u->address, 1);
		jm_null(w, "include_pci_all");
		/* the unit's translated devices, from the devices' iommu links */
		jm_arr(w, "devices");
		for (size_t k = span[i][0]; k < span[i][0] + span[i][1]; k++)
			jw_text(w, a->devs[by_name[k].i].bdf);
		jw_arr_end(w);
		jw_map_end(w);
	}
	free(by_name);
	free(span);
	json_fw_units(w, a->firmware);
	jw_arr_end(w);
	jw_map_end(w); /* iommu */
	json_fw_regions(w, a->firmware);
	json_fw_msi(w, a->firmware);
	jm_map(w, "interrupt_isolation");
	jm_text(w, "state", a->irq_isolated == IA_YES ? "isolated" :
			    a->irq_isolated == IA_NO ? "not_isolated" : "unknown");
	jm_text(w, "reason", a->irq_reason ? a->irq_reason : "interrupt isolation could not be determined");
	jm_tri(w, "unsafe_interrupts_allowed", a->unsafe_interrupts_allowed);
	jw_map_end(w);
	jm_map(w, "noiommu");
	jm_text(w, "state", a->noiommu_state ? a->noiommu_state : "unknown");
	jm_text(w, "reason", a->noiommu_reason ? a->noiommu_reason : "no-IOMMU mode could not be evaluated");
	jm_tri(w, "compiled", a->noiommu_compiled);
	jm_tri(w, "enabled", a->noiommu_enabled);
	jm_arr(w, "groups");
	for (size_t i = 0; i < a->n_noiommu_groups; i++)
		jw_int(w, a->noiommu_groups[i]);
	jw_arr_end(w);
	jw_map_end(w); /* noiommu */
	jw_map_end(w); /* platform */
}

/* devices[i] */
static void json_device(struct jw *w, const struct ia_audit *a, size_t i)
{
	const struct ia_dev *d = &a->devs[i];

	jw_map(w);
	jm_text(w, "bdf", d->bdf);
	jm_hex_if(w, "vendor", d->has_ids, d->vendor, 4);
	jm_hex_if(w, "device", d->has_ids, d->device, 4);
	jm_hex_if(w, "class", d->has_class, d->class_code, 6);
	jm_text(w, "driver", d->driver);
	jm_int_if(w, "iommu_group", d->has_group, d->group);
	jm_int_if(w, "predicted_group", d->predicted_group >= 0, d->predicted_group);
	jm_int(w, "config_bytes", (long long)d->config_bytes);
	jm_int_if(w, "config_size", d->config_size != 0, (long long)d->config_size);
	jm_tri(w, "is_pcie", d->is_pcie);
	jw_key(w, "pcie_type");
	if (d->is_pcie == IA_YES)
		jw_text(w, ia_pcie_type_name(d->pcie_type));
	else
		jw_null(w);
	jm_map(w, "acs");
	jm_tri(w, "present", d->has_acs);
	jm_hex_if(w, "cap", d->has_acs == IA_YES, d->acs_cap, 4);
	jm_hex_if(w, "ctrl", d->has_acs == IA_YES, d->acs_ctrl, 4);
	jw_map_end(w);
	jm_tri(w, "ats", d->has_ats);
	jm_tri(w, "pri", d->has_pri);
	jm_tri(w, "pasid", d->has_pasid);
	jm_tri(w, "sriov", d->has_sriov);
	jm_text(w, "physfn", d->physfn);
	jm_text(w, "parent", d->parent);
	jw_map_end(w);
}

/* groups[i].blockers and .exceptions: @what under the key @what_key. */
static void json_notes(struct jw *w, const char *key, const char *what_key, const struct ia_note *n, size_t count)
{
	jm_arr(w, key);
	for (size_t k = 0; k < count; k++) {
		jw_map(w);
		jm_text(w, "bdf", n[k].bdf[0] ? n[k].bdf : NULL);
		jm_text(w, what_key, n[k].what);
		jm_text(w, "reason", n[k].reason);
		jw_map_end(w);
	}
	jw_arr_end(w);
}

/* groups[i] */
static void json_group(struct jw *w, const struct ia_audit *a, size_t i)
{
	const struct ia_group *g = &a->groups[i];

	jw_map(w);
	jm_int(w, "id", g->id);
	jm_arr(w, "devices");
	for (size_t k = 0; k < g->n_devices; k++)
		jw_text(w, g->devices[k]);
	jw_arr_end(w);
	jm_text(w, "type", g->type);
	jm_tri(w, "dma_ownership_viable", g->dma_ownership_viable);
	jm_tri(w, "userspace_assignable", g->userspace_assignable);
	json_notes(w, "blockers", "rule", g->blockers, g->n_blockers);
	json_notes(w, "exceptions", "kind", g->exceptions, g->n_exceptions);
	jm_arr(w, "sva");
	for (size_t k = 0; k < g->n_sva; k++) {
		jw_map(w);
		jm_text(w, "bdf", g->sva[k].bdf);
		jm_tri(w, "viable", g->sva[k].viable);
		jm_arr(w, "reasons");
		for (size_t r = 0; r < g->sva[k].n_reasons; r++)
			jw_text(w, g->sva[k].reasons[r]);
		jw_arr_end(w);
		jw_map_end(w);
	}
	jw_arr_end(w);
	jw_map_end(w);
}

/* predicted_groups[i] */
static void json_predicted(struct jw *w, const struct ia_audit *a, size_t i)
{
	const struct ia_pgroup *p = &a->predicted[i];

	jw_map(w);
	jm_arr(w, "devices");
	for (size_t k = 0; k < p->n; k++)
		jw_text(w, a->devs[p->members[k]].bdf);
	jw_arr_end(w);
	jm_text(w, "basis", p->basis);
	jm_bool(w, "uncertain", p->uncertain);
	jw_map_end(w);
}

/* findings[i] */
static void json_finding(struct jw *w, const struct ia_audit *a, size_t i)
{
	const struct ia_finding *f = &a->findings[i];

	jw_map(w);
	jm_text(w, "rule", f->rule);
	jm_text(w, "level", ia_level_name(f->level));
	jm_text(w, "subject", f->subject);
	jm_text(w, "message", f->message);
	jm_text(w, "advice", f->advice);
	jm_text(w, "evidence", f->evidence);
	if (f->waived) { /* a policy waiver (docs/policy.md): the finding does not count for --fail-on */
		jm_bool(w, "waived", true);
		jm_map(w, "waiver");
		jm_text(w, "reason", f->waiver_reason);
		jm_text(w, "expires", f->waiver_expires);
		jw_map_end(w);
	}
	jw_map_end(w);
}

/* A top-level array member whose @n elements come from @one(w, a, i); stops at the first failure. */
static void jw_elements(struct jw *w, const char *key, const struct ia_audit *a, size_t n,
			void (*one)(struct jw *, const struct ia_audit *, size_t))
{
	jm_arr(w, key);
	for (size_t i = 0; i < n && !w->err; i++)
		one(w, a, i);
	jw_arr_end(w);
}

int ia_report_json(const struct ia_audit *a, const struct ia_report_opts *o, FILE *out)
{
	struct jw *w = calloc(1, sizeof(*w));
	int rc;

	if (!w || !(w->g = yajl_gen_alloc(NULL))) {
		free(w);
		errno = ENOMEM;
		return -ENOMEM;
	}
	w->out = out;
	if (!yajl_gen_config(w->g, yajl_gen_beautify, 1) || !yajl_gen_config(w->g, yajl_gen_indent_string, "  ") ||
	    !yajl_gen_config(w->g, yajl_gen_print_callback, jw_print, w))
		jw_fail(w, -EIO, EIO);
	jw_map(w);
	jm_text(w, "schema", "iommu-audit/1");
	jm_map(w, "tool");
	jm_text(w, "name", "iommu-audit");
	jm_text(w, "version", IA_VERSION);
	jw_map_end(w);
	json_host(w, a);
	json_platform(w, a);
	jw_elements(w, "devices", a, a->n_devs, json_device);
	jw_elements(w, "groups", a, a->n_groups, json_group);
	jw_elements(w, "predicted_groups", a, a->n_predicted, json_predicted);
	jw_elements(w, "findings", a, a->n_findings, json_finding);
	jm_map(w, "summary");
	jm_int(w, "error", (long long)ia_audit_count(a, IA_LEVEL_ERROR));
	jm_int(w, "warning", (long long)ia_audit_count(a, IA_LEVEL_WARNING));
	jm_int(w, "info", (long long)ia_audit_count(a, IA_LEVEL_INFO));
	jm_int(w, "devices", (long long)a->n_devs);
	jm_int(w, "groups", (long long)a->n_groups);
	jm_text(w, "verdict", ia_report_verdict_fails(a, o ? o->fail_on : IA_FAIL_ON_ERROR) ? "fail" : "pass");
	jw_map_end(w);
	jw_map_end(w); /* yajl ends the document with a newline */
	if (!w->err)
		jw_write(w, w->buf, w->len);
	if (!w->err && ferror(out))
		jw_fail(w, -EIO, EIO);
	rc = w->err;
	int eno = w->werrno;
	yajl_gen_free(w->g);
	free(w->scratch);
	free(w);
	if (rc)
		errno = eno; /* the caller names the failed write's reason (ENOSPC, EFBIG, EIO) */
	return rc;
}
