// SPDX-License-Identifier: GPL-2.0-or-later
// The JSON report of ../shared/docs/contract.md, built with jansson.
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "decode/pcicfg.h"
#include "firmware.h"
#include "report.h"
#include <string.h>

static json_t *json_tri(enum ia_tri t)
{
	return t == IA_UNKNOWN ? json_null() : json_boolean(t == IA_YES);
}

/* Length of the valid UTF-8 sequence at @p (RFC 3629: no overlongs, no surrogates, <= U+10FFFF), 0 if none. */
static size_t json_utf8_len(const unsigned char *p)
{
	unsigned c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (c == 0xe0 && p[1] < 0xa0) ||
		    (c == 0xed && p[1] >= 0xa0))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80 ||
		    (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

json_t *ia_json_text(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s);
	char *buf = malloc(n * 3 + 1), *o = buf;
	if (!buf)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t l = json_utf8_len(p);
		if (l) {
			memcpy(o, p, l);
			o += l;
			p += l;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		}
	}
	*o = '\0';
	j = json_string(buf);
	free(buf);
	return j;
}

static json_t *json_str_or_null(const char *s)
{
	return ia_json_text(s);
}

static json_t *json_hex(unsigned long long v, int width)
{
	char b[32];

	snprintf(b, sizeof(b), "0x%0*llx", width, v);
	return ia_json_text(b);
}

static json_t *json_host(const struct ia_audit *a)
{
	json_t *h = json_object();

	json_object_set_new(h, "root", json_str_or_null(a->root));
	json_object_set_new(h, "live", json_boolean(a->live));
	json_object_set_new(h, "kernel", json_str_or_null(a->kernel_release));
	json_object_set_new(h, "cmdline", json_str_or_null(a->cmdline));
	json_object_set_new(h, "arch", json_str_or_null(a->arch));
	return h;
}

/* platform.iommu.firmware: which firmware descriptions describe an IOMMU. */
static json_t *json_fw_describes(const struct ia_firmware *fw)
{
	json_t *arr = json_array();

	if (fw && fw->describes_dmar)
		json_array_append_new(arr, ia_json_text("DMAR"));
	if (fw && fw->describes_ivrs)
		json_array_append_new(arr, ia_json_text("IVRS"));
	if (fw && fw->describes_iort)
		json_array_append_new(arr, ia_json_text("IORT"));
	if (fw && fw->describes_dt)
		json_array_append_new(arr, ia_json_text("DT"));
	return arr;
}

/* Append the firmware-described units (DRHD, IVHD, IORT SMMU, DT IOMMU) to platform.iommu.units. */
static void json_fw_units(const struct ia_firmware *fw, json_t *units)
{
	for (size_t i = 0; fw && i < fw->n_units; i++) {
		const struct ia_fw_unit *u = &fw->units[i];
		json_t *j = json_object(), *devs = json_array();
		json_object_set_new(j, "name", ia_json_text(u->name));
		json_object_set_new(j, "kind", ia_json_text(u->kind));
		json_object_set_new(j, "source", ia_json_text(u->source));
		json_object_set_new(j, "segment", u->has_segment ? json_integer(u->segment) : json_null());
		json_object_set_new(j, "base", u->has_base ? json_hex(u->base, 1) : json_null());
		json_object_set_new(j, "include_pci_all", json_tri(u->include_pci_all));
		for (size_t k = 0; k < u->n_devices; k++)
			json_array_append_new(devs, ia_json_text(u->devices[k]));
		json_object_set_new(j, "devices", devs);
		if (u->compatible)
			json_object_set_new(j, "compatible", ia_json_text(u->compatible));
		json_array_append_new(units, j);
	}
}

/* platform.firmware_regions: RMRR, IVMD and RMR ranges with the devices (or raw scopes) they name. */
static json_t *json_fw_regions(const struct ia_firmware *fw)
{
	json_t *arr = json_array();

	for (size_t i = 0; fw && i < fw->n_regions; i++) {
		const struct ia_fw_region *g = &fw->regions[i];
		json_t *j = json_object(), *devs = json_array(), *unres = json_array();
		json_object_set_new(j, "source", ia_json_text(g->source));
		json_object_set_new(j, "kind", ia_json_text(g->kind));
		json_object_set_new(j, "segment", g->has_segment ? json_integer(g->segment) : json_null());
		json_object_set_new(j, "base", json_hex(g->base, 1));
		json_object_set_new(j, "end", g->has_end ? json_hex(g->end, 1) : json_null());
		for (size_t k = 0; k < g->n_targets; k++) {
			json_array_append_new(devs, ia_json_text(g->targets[k]));
			if (!g->resolved[k])
				json_array_append_new(unres, ia_json_text(g->targets[k]));
		}
		json_object_set_new(j, "devices", devs);
		json_object_set_new(j, "unresolved", unres);
		json_object_set_new(j, "kernel_applies", json_boolean(g->kernel_applies));
		json_object_set_new(j, "relaxable", json_tri(g->relaxable));
		json_array_append_new(arr, j);
	}
	return arr;
}

/* platform.msi_controllers: ITS, GICv2m, MBI, IR and other controllers, and whether they isolate. */
static json_t *json_fw_msi(const struct ia_firmware *fw)
{
	json_t *arr = json_array();

	for (size_t i = 0; fw && i < fw->n_msi; i++) {
		const struct ia_fw_msi *m = &fw->msi[i];
		json_t *j = json_object();
		json_object_set_new(j, "kind", ia_json_text(m->kind));
		json_object_set_new(j, "source", ia_json_text(m->source));
		json_object_set_new(j, "isolating", json_tri(m->isolating));
		json_object_set_new(j, "name", ia_json_text(m->name));
		json_object_set_new(j, "base", m->has_base ? json_hex(m->base, 1) : json_null());
		json_object_set_new(j, "compatible", json_str_or_null(m->compatible));
		json_object_set_new(j, "devices", json_integer((json_int_t)m->n_devices));
		json_array_append_new(arr, j);
	}
	return arr;
}

static json_t *json_platform(const struct ia_audit *a)
{
	json_t *p = json_object(), *iommu = json_object(), *units = json_array();

	json_object_set_new(iommu, "firmware", json_fw_describes(a->firmware));
	/* The kernel activated an IOMMU when it registered units or formed groups. */
	json_object_set_new(iommu, "kernel_active",
			    json_boolean(ia_audit_iommu_active(a)));
	for (size_t i = 0; i < a->n_units; i++) {
		const struct ia_unit *u = &a->units[i];
		json_t *j = json_object();
		json_object_set_new(j, "name", ia_json_text(u->name));
		json_object_set_new(j, "kind", ia_json_text(u->kind));
		json_object_set_new(j, "source", ia_json_text("sysfs"));
		json_object_set_new(j, "segment", json_null());
		json_object_set_new(j, "base", u->has_address ? json_hex(u->address, 1) : json_null());
		json_object_set_new(j, "include_pci_all", json_null());
		json_object_set_new(j, "devices", json_array());
		json_array_append_new(units, j);
	}
	/* Fill each unit's translated devices from the devices' iommu links. */
	for (size_t d = 0; d < a->n_devs; d++)
		for (size_t i = 0; a->devs[d].iommu_unit && i < a->n_units; i++)
			if (!strcmp(a->devs[d].iommu_unit, a->units[i].name))
				json_array_append_new(json_object_get(json_array_get(units, i), "devices"),
						      ia_json_text(a->devs[d].bdf));
	json_fw_units(a->firmware, units);
	json_object_set_new(iommu, "units", units);
	json_object_set_new(p, "iommu", iommu);
	json_object_set_new(p, "firmware_regions", json_fw_regions(a->firmware));
	json_object_set_new(p, "msi_controllers", json_fw_msi(a->firmware));
	json_t *ii = json_object();
	json_object_set_new(ii, "state", ia_json_text(a->irq_isolated == IA_YES ? "isolated" :
						     a->irq_isolated == IA_NO ? "not_isolated" : "unknown"));
	json_object_set_new(ii, "reason", ia_json_text(a->irq_reason ? a->irq_reason :
						      "interrupt isolation could not be determined"));
	json_object_set_new(ii, "unsafe_interrupts_allowed", json_tri(a->unsafe_interrupts_allowed));
	json_object_set_new(p, "interrupt_isolation", ii);
	json_t *ni = json_object();
	json_object_set_new(ni, "state", ia_json_text(a->noiommu_state ? a->noiommu_state : "unknown"));
	json_object_set_new(ni, "reason", ia_json_text(a->noiommu_reason ? a->noiommu_reason :
						      "no-IOMMU mode could not be evaluated"));
	json_object_set_new(ni, "compiled", json_tri(a->noiommu_compiled));
	json_object_set_new(ni, "enabled", json_tri(a->noiommu_enabled));
	json_t *nig = json_array();
	for (size_t i = 0; i < a->n_noiommu_groups; i++)
		json_array_append_new(nig, json_integer(a->noiommu_groups[i]));
	json_object_set_new(ni, "groups", nig);
	json_object_set_new(p, "noiommu", ni);
	return p;
}

/* devices[i] */
static json_t *json_device(const struct ia_audit *a, size_t i)
{
	{
		const struct ia_dev *d = &a->devs[i];
		json_t *j = json_object();
		json_object_set_new(j, "bdf", ia_json_text(d->bdf));
		json_object_set_new(j, "vendor", d->has_ids ? json_hex(d->vendor, 4) : json_null());
		json_object_set_new(j, "device", d->has_ids ? json_hex(d->device, 4) : json_null());
		json_object_set_new(j, "class", d->has_class ? json_hex(d->class_code, 6) : json_null());
		json_object_set_new(j, "driver", json_str_or_null(d->driver));
		json_object_set_new(j, "iommu_group", d->has_group ? json_integer(d->group) : json_null());
		json_object_set_new(j, "predicted_group",
				    d->predicted_group >= 0 ? json_integer(d->predicted_group) : json_null());
		json_object_set_new(j, "config_bytes", json_integer((json_int_t)d->config_bytes));
		json_object_set_new(j, "config_size", d->config_size ? json_integer((json_int_t)d->config_size) : json_null());
		json_object_set_new(j, "is_pcie", json_tri(d->is_pcie));
		json_object_set_new(j, "pcie_type", d->is_pcie == IA_YES ? ia_json_text(ia_pcie_type_name(d->pcie_type)) : json_null());
		json_t *acs = json_object();
		json_object_set_new(acs, "present", json_tri(d->has_acs));
		json_object_set_new(acs, "cap", d->has_acs == IA_YES ? json_hex(d->acs_cap, 4) : json_null());
		json_object_set_new(acs, "ctrl", d->has_acs == IA_YES ? json_hex(d->acs_ctrl, 4) : json_null());
		json_object_set_new(j, "acs", acs);
		json_object_set_new(j, "ats", json_tri(d->has_ats));
		json_object_set_new(j, "pri", json_tri(d->has_pri));
		json_object_set_new(j, "pasid", json_tri(d->has_pasid));
		json_object_set_new(j, "sriov", json_tri(d->has_sriov));
		json_object_set_new(j, "physfn", json_str_or_null(d->physfn));
		json_object_set_new(j, "parent", json_str_or_null(d->parent));
		return j;
	}
}

/* groups[i] */
static json_t *json_group(const struct ia_audit *a, size_t i)
{
	{
		const struct ia_group *g = &a->groups[i];
		json_t *j = json_object(), *devs = json_array();
		json_object_set_new(j, "id", json_integer(g->id));
		for (size_t k = 0; k < g->n_devices; k++)
			json_array_append_new(devs, ia_json_text(g->devices[k]));
		json_object_set_new(j, "devices", devs);
		json_object_set_new(j, "type", json_str_or_null(g->type));
		json_object_set_new(j, "dma_ownership_viable", json_tri(g->dma_ownership_viable));
		json_object_set_new(j, "userspace_assignable", json_tri(g->userspace_assignable));
		json_t *bl = json_array(), *ex = json_array();
		for (size_t k = 0; k < g->n_blockers; k++) {
			json_t *b = json_object();
			json_object_set_new(b, "bdf", g->blockers[k].bdf[0] ? ia_json_text(g->blockers[k].bdf) : json_null());
			json_object_set_new(b, "rule", ia_json_text(g->blockers[k].what));
			json_object_set_new(b, "reason", ia_json_text(g->blockers[k].reason));
			json_array_append_new(bl, b);
		}
		for (size_t k = 0; k < g->n_exceptions; k++) {
			json_t *e = json_object();
			json_object_set_new(e, "bdf", g->exceptions[k].bdf[0] ? ia_json_text(g->exceptions[k].bdf) : json_null());
			json_object_set_new(e, "kind", ia_json_text(g->exceptions[k].what));
			json_object_set_new(e, "reason", ia_json_text(g->exceptions[k].reason));
			json_array_append_new(ex, e);
		}
		json_object_set_new(j, "blockers", bl);
		json_object_set_new(j, "exceptions", ex);
		json_t *sva = json_array();
		for (size_t k = 0; k < g->n_sva; k++) {
			json_t *s = json_object(), *rs = json_array();
			json_object_set_new(s, "bdf", ia_json_text(g->sva[k].bdf));
			json_object_set_new(s, "viable", json_tri(g->sva[k].viable));
			for (size_t r = 0; r < g->sva[k].n_reasons; r++)
				json_array_append_new(rs, ia_json_text(g->sva[k].reasons[r]));
			json_object_set_new(s, "reasons", rs);
			json_array_append_new(sva, s);
		}
		json_object_set_new(j, "sva", sva);
		return j;
	}
}

/* predicted_groups[i] */
static json_t *json_predicted(const struct ia_audit *a, size_t i)
{
	{
		const struct ia_pgroup *p = &a->predicted[i];
		json_t *j = json_object(), *devs = json_array();
		for (size_t k = 0; k < p->n; k++)
			json_array_append_new(devs, ia_json_text(a->devs[p->members[k]].bdf));
		json_object_set_new(j, "devices", devs);
		json_object_set_new(j, "basis", json_str_or_null(p->basis));
		json_object_set_new(j, "uncertain", json_boolean(p->uncertain));
		return j;
	}
}

/* findings[i] */
static json_t *json_finding(const struct ia_audit *a, size_t i)
{
	{
		const struct ia_finding *f = &a->findings[i];
		json_t *j = json_object();
		json_object_set_new(j, "rule", ia_json_text(f->rule));
		json_object_set_new(j, "level", ia_json_text(ia_level_name(f->level)));
		json_object_set_new(j, "subject", ia_json_text(f->subject));
		json_object_set_new(j, "message", ia_json_text(f->message));
		json_object_set_new(j, "advice", json_str_or_null(f->advice));
		json_object_set_new(j, "evidence", json_str_or_null(f->evidence));
		if (f->waived) { /* a policy waiver (docs/policy.md): the finding does not count for --fail-on */
			json_t *w = json_object();
			json_object_set_new(w, "reason", json_str_or_null(f->waiver_reason));
			json_object_set_new(w, "expires", json_str_or_null(f->waiver_expires));
			json_object_set_new(j, "waived", json_true());
			json_object_set_new(j, "waiver", w);
		}
		return j;
	}
}

/*
 * The report is written as it is built, one top-level member or array element at a time, so
 * memory stays that of one element (a 16,384-function host built a 150 MB jansson tree, and
 * clearing its pages cost a quarter of the run). The layout is json_dumpf()'s JSON_INDENT(2):
 * each value is dumped on its own and re-indented to its depth.
 */
struct json_stream {
	FILE *out;
	char *buf;
	size_t cap;
	int err;
};

/* Write @v (consumed) indented by @depth levels of 2 spaces. */
static void json_stream_value(struct json_stream *js, json_t *v, int depth)
{
	static const char pad[] = "\n        ";
	const size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY;
	size_t n;

	if (!v) {
		js->err = -ENOMEM;
		return;
	}
	/* one dump into the reused buffer, a second only when it was too small */
	n = js->cap ? json_dumpb(v, js->buf, js->cap, flags) : 0;
	if (n == 0 || n > js->cap) {
		size_t need = n ? n : json_dumpb(v, NULL, 0, flags);
		char *nb = need ? realloc(js->buf, need > 65536 ? need : 65536) : NULL;
		if (!nb) {
			js->err = -ENOMEM;
			json_decref(v);
			return;
		}
		js->buf = nb;
		js->cap = need > 65536 ? need : 65536;
		n = json_dumpb(v, js->buf, js->cap, flags);
	}
	json_decref(v);
	for (size_t i = 0, start = 0; i <= n; i++) {
		if (i < n && js->buf[i] != '\n')
			continue;
		if (fwrite(js->buf + start, 1, i - start, js->out) != i - start)
			js->err = -EIO;
		if (i < n && fwrite(pad, 1, 1 + (size_t)depth * 2, js->out) != 1 + (size_t)depth * 2)
			js->err = -EIO;
		start = i + 1;
	}
}

/* A top-level member "key": value, preceded by "," unless @first. */
static void json_stream_member(struct json_stream *js, const char *key, json_t *v, bool first)
{
	fprintf(js->out, "%s\n  \"%s\": ", first ? "" : ",", key);
	json_stream_value(js, v, 1);
}

/* A top-level array member whose @n elements come from @one(a, i). */
static void json_stream_array(struct json_stream *js, const char *key, const struct ia_audit *a, size_t n,
			      json_t *(*one)(const struct ia_audit *, size_t))
{
	fprintf(js->out, ",\n  \"%s\": [", key);
	for (size_t i = 0; i < n && !js->err; i++) {
		fprintf(js->out, "%s\n    ", i ? "," : "");
		json_stream_value(js, one(a, i), 2);
	}
	fputs(n ? "\n  ]" : "]", js->out);
}

int ia_report_json(const struct ia_audit *a, const struct ia_report_opts *o, FILE *out)
{
	struct json_stream js = { .out = out };
	json_t *tool = json_object(), *sum = json_object();

	if (!tool || !sum) {
		json_decref(tool);
		json_decref(sum);
		return -ENOMEM;
	}
	json_object_set_new(tool, "name", ia_json_text("iommu-audit"));
	json_object_set_new(tool, "version", ia_json_text(IA_VERSION));
	fputc('{', out);
	json_stream_member(&js, "schema", ia_json_text("iommu-audit/1"), true);
	json_stream_member(&js, "tool", tool, false);
	json_stream_member(&js, "host", json_host(a), false);
	json_stream_member(&js, "platform", json_platform(a), false);
	json_stream_array(&js, "devices", a, a->n_devs, json_device);
	json_stream_array(&js, "groups", a, a->n_groups, json_group);
	json_stream_array(&js, "predicted_groups", a, a->n_predicted, json_predicted);
	json_stream_array(&js, "findings", a, a->n_findings, json_finding);
	size_t ne = ia_audit_count(a, IA_LEVEL_ERROR);
	json_object_set_new(sum, "error", json_integer((json_int_t)ne));
	json_object_set_new(sum, "warning", json_integer((json_int_t)ia_audit_count(a, IA_LEVEL_WARNING)));
	json_object_set_new(sum, "info", json_integer((json_int_t)ia_audit_count(a, IA_LEVEL_INFO)));
	json_object_set_new(sum, "devices", json_integer((json_int_t)a->n_devs));
	json_object_set_new(sum, "groups", json_integer((json_int_t)a->n_groups));
	json_object_set_new(sum, "verdict", ia_json_text(ia_report_verdict_fails(a, o ? o->fail_on : IA_FAIL_ON_ERROR)
							 ? "fail" : "pass"));
	json_stream_member(&js, "summary", sum, false);
	fputs("\n}\n", out);
	free(js.buf);
	if (js.err)
		return js.err;
	return ferror(out) ? -EIO : 0;
}
