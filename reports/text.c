// SPDX-License-Identifier: GPL-2.0-or-later
// The text report for people, read top-down: verdict and what fails it with the fix, then each group verdict-first.
#include <errno.h>
#include <pci/pci.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bdf.h"
#include "decode/kversion.h"
#include "decode/pcicfg.h"
#include "model/firmware_model.h"
#include "core/ia_err.h"
#include "core/text.h"
#include "report.h"
#include "reports/pcinames.h"
#include "rules/no_group.h"
#include "rules/vfio_path.h"

/* Names from pci.ids through libpci's lookup (no access method is initialised). */
/* Device and class names from pci.ids through libpci. libpci's error callback must not return
 * (its default prints and exits; a NULL one is called all the same, at the first malformed line
 * of a pci.ids), so lookups run under setjmp() and a parse error turns names off for the rest of
 * the report, with one message on stderr; the numbers are printed instead. */
static const char *text_dev_name(struct ia_pcinames *n, const struct ia_dev *d, char *buf, size_t cap)
{
	if (!d->has_ids) {
		snprintf(buf, cap, "[ids unreadable]");
		return buf;
	}
	/* pci.ids only (--pci-ids): the analysing host's udev hwdb says nothing about a captured one */
	if (ia_pcinames_vendor_device(n, d->vendor, d->device, buf, cap))
		return buf;
	snprintf(buf, cap, "device %04x:%04x", d->vendor, d->device);
	return buf;
}

static const char *text_class_name(struct ia_pcinames *n, const struct ia_dev *d, char *buf, size_t cap)
{
	if (!d->has_class)
		return "class unreadable";
	if (ia_pcinames_class(n, d->class_code, buf, cap))
		return buf;
	snprintf(buf, cap, "class %04x", d->class_code >> 8);
	return buf;
}

static void text_dev_line(struct ia_pcinames *n, const struct ia_dev *d, FILE *out)
{
	char name[256], cls[128];

	fprintf(out, "    %s [%04x:%04x] %s: %s", d->bdf, d->vendor, d->device,
		text_class_name(n, d, cls, sizeof(cls)), text_dev_name(n, d, name, sizeof(name)));
	fprintf(out, "  driver=%s", d->driver ? d->driver : d->driver_unknown ? "unknown" : "(none)");
	if (d->is_pcie == IA_YES)
		fprintf(out, " %s", ia_pcie_type_name(d->pcie_type));
	if (d->has_acs == IA_YES)
		fprintf(out, " ACS cap=%04x ctrl=%04x", d->acs_cap, d->acs_ctrl);
	else if (d->has_acs == IA_NO)
		fprintf(out, " no-ACS");
	else
		fprintf(out, " ACS=unknown(%zu config bytes)", d->config_bytes);
	if (d->is_vf)
		fprintf(out, " VF of %s", d->physfn ? d->physfn : "?");
	fputc('\n', out);
}

/* Print up to @max strings of @v after @lead, then how many more there are. */
static void text_list(FILE *out, const char *lead, char *const *v, size_t n, size_t max)
{
	fprintf(out, "%s", lead);
	for (size_t i = 0; i < n && i < max; i++)
		fprintf(out, "%s%s", i ? ", " : "", v[i]);
	if (n > max)
		fprintf(out, " and %zu more", n - max);
	fputc('\n', out);
}

/* The platform section: what the firmware tables describe (units, 1:1 regions, MSI controllers). */
static void text_platform(const struct ia_audit *a, FILE *out)
{
	const struct ia_firmware *fw = a->firmware;

	if (!fw)
		return;
	fprintf(out, "\nPlatform firmware\n");
	for (size_t i = 0; i < fw->n_tables; i++) {
		const struct ia_fw_table *t = &fw->tables[i];
		fprintf(out, "  %s table from %s: %s%s%s\n", t->signature, t->source ? t->source : "?",
			!t->has_header ? "header unusable" : t->checksum_ok == IA_NO ? "BAD CHECKSUM" :
			t->checksum_ok == IA_YES ? "checksum ok" : "checksum unknown",
			t->decode_status ? ", decoding stopped early: " : "",
			t->decode_status ? ia_strerror(t->decode_status) : "");
	}
	if (fw->has_dt)
		fprintf(out, "  device tree: %s\n", fw->dt_status ? ia_strerror(fw->dt_status) : "decoded");
	if (!fw->n_tables && !fw->has_dt) {
		fprintf(out, "  no DMAR, IVRS, IORT, MADT or device tree was readable\n");
		return;
	}
	fprintf(out, "  IOMMU described by:%s%s%s%s%s\n", fw->describes_dmar ? " DMAR" : "",
		fw->describes_ivrs ? " IVRS" : "", fw->describes_iort ? " IORT" : "", fw->describes_dt ? " DT" : "",
		fw->describes_dmar || fw->describes_ivrs || fw->describes_iort || fw->describes_dt ? "" : " nothing");
	if (fw->has_dmar_info)
		fprintf(out, "  DMAR: %u address bits, INTR_REMAP %s, X2APIC_OPT_OUT %s, DMA_CTRL_PLATFORM_OPT_IN %s\n",
			fw->dmar_address_bits, fw->intr_remap ? "set" : "clear", fw->x2apic_opt_out ? "set" : "clear",
			fw->dma_ctrl_platform_opt_in ? "set" : "clear");
	if (fw->dmar_refused)
		fprintf(out, "  DMAR: VT-d cannot be enabled from this firmware: %s\n", fw->dmar_refused);
	if (fw->has_ivrs_info)
		fprintf(out, "  IVRS: IVinfo 0x%08x (EFRSup %s, DMA remap opt-in %s)\n", fw->ivinfo,
			fw->ivinfo_efr_sup ? "yes" : "no", fw->ivinfo_dma_remap ? "yes" : "no");
	for (size_t i = 0; i < fw->n_units; i++) {
		const struct ia_fw_unit *u = &fw->units[i];
		char lead[512];
		struct ia_sb b;
		ia_sb_init_fixed(&b, lead, sizeof(lead));
		ia_sb_printf(&b, "    unit %s (%s, %s)", u->name, u->kind, u->source);
		if (u->has_segment)
			ia_sb_printf(&b, " segment %u", u->segment);
		if (u->has_base)
			ia_sb_printf(&b, " base 0x%llx", (unsigned long long)u->base);
		if (u->include_pci_all == IA_YES)
			ia_sb_puts(&b, " INCLUDE_PCI_ALL");
		if (!strcmp(u->source, "DMAR") && u->has_base && u->base == 0)
			ia_sb_puts(&b, " (invalid register base: the kernel refuses the DMAR)");
		ia_sb_printf(&b, ": %zu device%s%s", u->n_devices, u->n_devices == 1 ? "" : "s",
			     u->n_devices ? " " : "");
		text_list(out, lead, u->devices, u->n_devices, 8);
	}
	if (fw->n_regions)
		fprintf(out, "  Firmware 1:1 regions (devices named here cannot be owned by userspace unless relaxable)\n");
	for (size_t i = 0; i < fw->n_regions; i++) {
		const struct ia_fw_region *g = &fw->regions[i];
		char lead[256];
		snprintf(lead, sizeof(lead), "    %s 0x%llx-%s%llx%s%s: ", g->kind, (unsigned long long)g->base,
			 g->has_end ? "0x" : "?", (unsigned long long)(g->has_end ? g->end : 0),
			 g->kernel_applies ? "" : " (ignored by Linux)", g->relaxable == IA_YES ? " (relaxable)" : "");
		if (!g->has_end)
			snprintf(lead, sizeof(lead), "    %s 0x%llx, empty or overflowing length%s: ", g->kind,
				 (unsigned long long)g->base, g->kernel_applies ? "" : " (ignored by Linux)");
		/* the functions it is relaxable for say so: "unless relaxable" above must be readable here
		 * (a USB controller's RMRR read as if it made the controller unassignable) */
		char **shown = malloc((g->n_targets ? g->n_targets : 1) * sizeof(*shown));
		for (size_t k = 0; shown && k < g->n_targets; k++) {
			const struct ia_dev *d = g->resolved[k] ? ia_audit_find_dev(a, g->targets[k]) : NULL;
			shown[k] = NULL;
			if (d && g->relaxable != IA_YES && ia_fw_region_relaxable_for(g, d->has_class, d->class_code) == IA_YES &&
			    asprintf(&shown[k], "%s (relaxable for it)", g->targets[k]) < 0)
				shown[k] = NULL;
		}
		char **v = shown ? shown : g->targets;
		for (size_t k = 0; shown && k < g->n_targets; k++)
			if (!shown[k])
				shown[k] = g->targets[k];
		text_list(out, g->n_targets ? lead : "", v, g->n_targets, 16);
		for (size_t k = 0; shown && k < g->n_targets; k++)
			if (shown[k] != g->targets[k])
				free(shown[k]);
		free(shown);
	}
	for (size_t i = 0; i < fw->n_msi; i++) {
		const struct ia_fw_msi *m = &fw->msi[i];
		fprintf(out, "    MSI controller %s (%s, %s)%s%s%s: %s%s%s%s, %zu PCI function%s\n", m->name, m->kind,
			m->source, m->compatible ? " [" : "", m->compatible ? m->compatible : "", m->compatible ? "]" : "",
			m->isolating == IA_YES ? "isolates MSIs" : m->isolating == IA_NO ? "does NOT isolate MSIs" :
			"isolation unknown", m->turned_off_by ? " (the kernel sets no interrupt remapping up: " :
			m->unremapped_chip ? " (the running kernel does not remap interrupts: proc/interrupts has " :
			fw->dmar_refused && !strcmp(m->kind, "intel-ir") && m->isolating != IA_YES ?
			" (the kernel refuses the DMAR, see above" : "",
			m->turned_off_by ? m->turned_off_by : m->unremapped_chip ? m->unremapped_chip : "",
			m->turned_off_by ? " on the command line)" : m->unremapped_chip ? " and no IR- chip)" :
			fw->dmar_refused && !strcmp(m->kind, "intel-ir") && m->isolating != IA_YES ? ")" : "",
			m->n_devices, m->n_devices == 1 ? "" : "s");
	}
}

/*
 * The text reports print strings from the audited host (driver names, paths, firmware strings),
 * and a capture may come from anywhere: they go through this filter, ia_text_stream_put(), the one
 * escaping every renderer and stderr share (src/core/text.h): C0 controls other than LF, DEL, C1
 * controls, line separators, bidi controls and each byte that starts no well-formed UTF-8
 * sequence become visible escapes ("\x1b", "\u009b", "\xff"), so a report never carries a
 * terminal escape sequence it did not write itself.
 * The filter then wraps each line to the width (ia_text_wrap(): hanging indents, never inside a
 * BDF, a path or a `command`), unless verbatim (plan's commands). The renderer's own colour
 * sequences enter the line unescaped (text_filter_raw(), through text_on/text_off).
 */
struct text_filter {
	FILE *out;
	struct ia_text_stream st;   /* holds a sequence split between two writes */
	struct ia_sb line;          /* the escaped line so far (no '\n') */
	struct ia_sb wrapped;       /* ia_text_wrap()'s output for one line */
	unsigned width;             /* columns; 0: no wrapping */
	bool verbatim;              /* lines are written as they are (not wrapped) */
	bool failed;                /* out of memory */
	FILE *self;                 /* the stream of an ia_report_safe_open() filter */
	struct text_filter *next;   /* the open ia_report_safe_open() filters */
};

static struct text_filter *text_safe_open_list;   /* reports run on one thread */

static void text_sb_clear(struct ia_sb *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

/* Write the line held, wrapped unless verbatim, and its '\n'. */
static void text_filter_line(struct text_filter *t)
{
	t->failed |= t->line.err != 0;
	if (t->verbatim || !t->width) {
		fwrite(ia_sb_str(&t->line), 1, t->line.len, t->out);
		fputc('\n', t->out);
	} else {
		text_sb_clear(&t->wrapped);
		if (ia_text_wrap(ia_sb_str(&t->line), t->line.len, t->width, &t->wrapped))
			t->failed = true;
		else
			fwrite(ia_sb_str(&t->wrapped), 1, t->wrapped.len, t->out);
	}
	text_sb_clear(&t->line);
}

/* Take escaped text: complete lines are written, the rest is held. */
static void text_filter_feed(struct text_filter *t, const char *o, size_t k)
{
	while (k) {
		const char *nl = memchr(o, '\n', k);
		size_t m = nl ? (size_t)(nl - o) : k;
		ia_sb_append(&t->line, o, m);
		if (!nl)
			break;
		text_filter_line(t);
		o += m + 1;
		k -= m + 1;
	}
}

/* Put @s into the line as it is: the renderer's own colour sequences, never host text. */
static void text_filter_raw(struct text_filter *t, const char *s)
{
	ia_sb_puts(&t->line, s);
}

/* Escape @buf[0..@len) in pieces of a fixed buffer and feed it to the line. */
static ssize_t text_filter_write(void *cookie, const char *buf, size_t len)
{
	struct text_filter *t = cookie;
	char o[IA_TEXT_SANITIZED_MAX(512 + 3)];

	for (size_t i = 0; i < len; i += 512) {
		size_t k = len - i < 512 ? len - i : 512;
		text_filter_feed(t, o, ia_text_stream_put(&t->st, buf + i, k, o));
	}
	return ferror(t->out) || t->failed ? -1 : (ssize_t)len;
}

/* The end: bytes held back, then a last line without '\n' as it is. */
static void text_filter_flush_bad(struct text_filter *t)
{
	char o[IA_TEXT_SANITIZED_MAX(3)];

	text_filter_feed(t, o, ia_text_stream_end(&t->st, o));
	fwrite(ia_sb_str(&t->line), 1, t->line.len, t->out);
	ia_sb_free(&t->line);
	ia_sb_free(&t->wrapped);
}

static int text_filter_close(void *cookie)
{
	struct text_filter *t = cookie;

	text_filter_flush_bad(t);
	return t->failed ? -1 : 0;
}

/* A stream writing through the filter into @out (unbuffered, so colour can be interleaved),
 * wrapped to @width columns (0: ia_text_columns() of @out). */
static FILE *text_filter_open(struct text_filter *t, FILE *out, unsigned width)
{
	static const cookie_io_functions_t io = { .write = text_filter_write, .close = text_filter_close };
	FILE *f;

	*t = (struct text_filter){ .out = out, .width = width ? width : ia_text_columns(fileno(out)) };
	ia_sb_init(&t->line);
	ia_sb_init(&t->wrapped);
	if ((f = fopencookie(t, "w", io)))
		setvbuf(f, NULL, _IONBF, 0);
	return f;
}

/* Close the filter stream; -EIO when the filter or the underlying stream failed. */
static int text_filter_end(FILE *f, FILE *out)
{
	int bad = ferror(f);

	return fclose(f) != 0 || bad || ferror(out) ? -EIO : 0;
}

static int text_filter_close_free(void *cookie)
{
	struct text_filter *t = cookie;
	int rc = text_filter_close(t);

	for (struct text_filter **pp = &text_safe_open_list; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	free(t);
	return rc;
}

FILE *ia_report_safe_open(FILE *out)
{
	static const cookie_io_functions_t io = { .write = text_filter_write, .close = text_filter_close_free };
	struct text_filter *t = calloc(1, sizeof(*t));
	FILE *f = NULL;

	if (!t)
		return NULL;
	*t = (struct text_filter){ .out = out, .width = ia_text_columns(fileno(out)) };
	ia_sb_init(&t->line);
	ia_sb_init(&t->wrapped);
	if (!(f = fopencookie(t, "w", io))) {
		free(t);
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, 0); /* no colour to interleave: buffered */
	t->self = f;
	t->next = text_safe_open_list;
	text_safe_open_list = t;
	return f;
}

int ia_report_safe_verbatim(FILE *f, bool on)
{
	fflush(f);   /* what was written before is the filter's now */
	for (struct text_filter *t = text_safe_open_list; t; t = t->next)
		if (t->self == f) {
			t->verbatim = on;
			return 0;
		}
	return -EINVAL;
}

int ia_report_safe_close(FILE *f, FILE *out)
{
	return text_filter_end(f, out);
}

/* ANSI SGR sequences (ECMA-48 §8.3.117), written only when colour is on. */
#define TEXT_RED "1;31"
#define TEXT_GREEN "32"
#define TEXT_YELLOW "33"
#define TEXT_BOLD "1"

/* The colour state of a report: whether colour is on, and the filter its sequences enter unescaped. */
struct text_color {
	bool on;
	struct text_filter *tf;
};

static void text_on(const struct text_color *c, const char *sgr)
{
	char seq[32];

	if (c->on && *sgr) {
		snprintf(seq, sizeof(seq), "\033[%sm", sgr);
		text_filter_raw(c->tf, seq);
	}
}

static void text_off(const struct text_color *c, const char *sgr)
{
	if (c->on && *sgr)
		text_filter_raw(c->tf, "\033[0m");
}

static const char *text_level_sgr(enum ia_level l)
{
	return l == IA_LEVEL_ERROR ? TEXT_RED : l == IA_LEVEL_WARNING ? TEXT_YELLOW : "";
}

/* The fix for a group blocker: the advice of the finding it links, else the rule's own advice. */
static const char *text_blocker_fix(const struct ia_result *r, const struct ia_contrib *b)
{
	if (b->finding != IA_NO_FINDING && b->finding < r->n_findings && r->findings[b->finding].advice)
		return r->findings[b->finding].advice;
	return ia_report_rule_advice(b->what);
}

/* One finding: "LEVEL SUBJECT [RULE]: message", then the fix, the evidence and any waiver. */
static void text_finding(FILE *out, const struct text_color *col, const struct ia_finding *f)
{
	const char *sgr = f->waived ? "" : text_level_sgr(f->level);

	fputs("  ", out);
	text_on(col, sgr);
	fprintf(out, "%-7s", ia_level_name(f->level));
	text_off(col, sgr);
	fprintf(out, " %s [%s]: %s\n", f->subject, f->rule, f->message);
	if (f->advice)
		fprintf(out, "          fix: %s\n", f->advice);
	if (f->evidence)
		fprintf(out, "          evidence: %s\n", f->evidence);
	if (f->waived)
		fprintf(out, "          waived by policy: %s%s%s%s\n", f->waiver_reason ? f->waiver_reason : "(no reason given)",
			f->waiver_expires ? " (until " : "", f->waiver_expires ? f->waiver_expires : "",
			f->waiver_expires ? ")" : "");
}

/*
 * Where a failing finding stands in "Fix these first" (issue 14 point 7): the root cause before its
 * consequences. 0: no IOMMU is active (nothing is isolated until it is: kernel-rules.md §1.5 item
 * 9), or the kernel lacks the VFIO path judged (nothing is handed over that way); 1: MSIs are not isolated (VFIO refuses every group for it, vfio_iommu_type1_attach_group());
 * 2: any other host-wide finding (a subject that is no PCI function and no group: "host", a
 * firmware table, a path; and the one line for the unprivileged config reads); 3: a group's or a function's own. Findings of one rank keep the
 * engine's order.
 */
static int text_fix_rank(const struct ia_finding *f)
{
	struct ia_bdf b;

	if (!strcmp(f->rule, "host.iommu-inactive") || !strcmp(f->rule, "host.vfio-path"))
		return 0;
	if (!strcmp(f->rule, "platform.msi-not-isolated"))
		return 1;
	if (ia_bdf_parse(f->subject, 0, &b) != 0 && strncmp(f->subject, "group ", 6))
		return 2;
	return 3;
}
#define TEXT_FIX_RANKS 4

/* The unprivileged config reads of a report: one line for all their findings, where the first stood. */
struct text_fold {
	struct ia_report_unpriv u;
	bool shown_failing, shown_other;   /* the line was printed in "Fix these first" / "Other findings" */
};

/* text_finding(), or for a finding of an unprivileged config read the one line standing for all of
 * them (the first time in the list @shown belongs to; the others are left out). */
static void text_finding_folded(FILE *out, const struct text_color *col, struct text_fold *fold, bool *shown,
				const struct ia_finding *f)
{
	if (!fold || !fold->u.line || !ia_report_unpriv_finding(&fold->u, f)) {
		text_finding(out, col, f);
		return;
	}
	if (*shown)
		return;
	*shown = true;
	struct ia_finding one = *f;
	one.subject = (char *)"host";
	one.message = fold->u.line;
	one.advice = (char *)"Run the audit as root on the host, or capture it with `iommu-audit snapshot` as root; "
		     "the JSON report lists each function.";
	one.evidence = NULL;
	text_finding(out, col, &one);
}

/* The findings that fail the audit, in text_fix_rank() order, each with its fix. */
static void text_fixes(FILE *out, const struct text_color *col, const struct ia_result *r, struct text_fold *fold)
{
	for (int rank = 0; rank < TEXT_FIX_RANKS; rank++)
		for (size_t i = 0; i < r->n_findings; i++)
			if (ia_finding_fails(&r->findings[i], r->verdict.fail_on) &&
			    (fold && fold->u.line && ia_report_unpriv_finding(&fold->u, &r->findings[i]) ? 2 :
			     text_fix_rank(&r->findings[i])) == rank)
				text_finding_folded(out, col, fold, fold ? &fold->shown_failing : NULL, &r->findings[i]);
}

/* Where the IOMMU is off, the answer to "which groups will I get?" (issue 19), right under the verdict. */
static void text_when_enabled_lead(const struct ia_when_enabled_result *we, FILE *out)
{
	if (!we->iommu_off)
		return;
	if (!we->iommu) {
		fprintf(out, "  %s: %s.\n", we->firmware_unread ? "The groups once an IOMMU is on are unknown" :
			"No IOMMU to enable", we->how);
		return;
	}
	if (!we->evaluated) {
		fprintf(out, "  If you enable the IOMMU (%s: %s), the groups the kernel would form cannot be "
			"predicted: the PCI topology could not be modelled.\n", we->iommu, we->how);
		return;
	}
	fprintf(out, "  If you enable the IOMMU (%s: %s), the kernel would form %s%zu IOMMU group%s%s; %zu of them "
		"hold a function vfio-pci can bind (header type 0), listed under \"Groups once the IOMMU is on\".\n",
		we->iommu, we->how, we->probe_note ? "up to " : "", we->n_groups, we->n_groups == 1 ? "" : "s",
		we->probe_note ? " (on this kernel a group may appear only when a driver probes its function)" : "",
		we->n_bindable);
}

/* The groups once the IOMMU is on, each with its members, where the IOMMU is off. */
static void text_when_enabled_groups(struct ia_pcinames *n, const struct ia_audit *a,
				     const struct ia_when_enabled_result *we, FILE *out)
{
	if (!we->iommu_off || !we->evaluated || !we->iommu)
		return;
	fprintf(out, "\nGroups once the IOMMU is on (%s; predicted as pci_device_group() would form them)\n", we->iommu);
	if (we->acs_note)
		fprintf(out, "  ACS: %s.\n", we->acs_note);
	if (we->probe_note)
		fprintf(out, "  Groups: %s.\n", we->probe_note);
	if (we->n_uncovered)
		fprintf(out, "  %zu PCI function%s listed by no firmware IOMMU unit: %s no group, so %s "
			"cannot be assigned.\n", we->n_uncovered, we->n_uncovered == 1 ? " is" : "s are",
			we->n_uncovered == 1 ? "it would get" : "they would get", we->n_uncovered == 1 ? "it" : "they");
	if (we->n_refused) {
		fprintf(out, "  %zu PCI function%s would share a StreamID with a function probed before %s (behind "
			"one PCIe-to-PCI bridge): arm-smmu-v3 refuses %s (\"stream N already in tree\", or in later "
			"releases such as 7.3 \"Aliasing StreamID 0xN ... unsupported\"), so %s no "
			"group:\n", we->n_refused, we->n_refused == 1 ? "" : "s", we->n_refused == 1 ? "it" : "them",
			we->n_refused == 1 ? "it" : "them", we->n_refused == 1 ? "it gets" : "they get");
		for (size_t i = 0; i < we->n_refused; i++)
			text_dev_line(n, &a->devs[we->refused[i]], out);
	}
	fprintf(out, "  Whether each group can then be handed to userspace depends on its drivers, peer-to-peer "
		"paths to other groups (ports without ACS), interrupt remapping and firmware 1:1 regions, which "
		"this report checks once the IOMMU is on.\n");
	for (size_t g = 0; g < we->n_groups; g++) {
		const struct ia_enabled_group *eg = &we->groups[g];
		fprintf(out, "  group %zu%s%s: %s\n", g, eg->uncertain ? " (uncertain)" : "",
			eg->bindable ? "" : " (no function vfio-pci binds)", eg->basis ? eg->basis : "");
		for (size_t k = 0; k < eg->n; k++)
			text_dev_line(n, &a->devs[eg->members[k]], out);
	}
}

static const char *text_fail_on_name(enum ia_fail_on f)
{
	return f == IA_FAIL_ON_WARNING ? "warning" : f == IA_FAIL_ON_NEVER ? "never" : "error";
}

/* The host verdict of the result, the same one JSON summary.verdict and the NFD label print. */
static void text_verdict(FILE *out, const struct text_color *col, const struct ia_verdict *v)
{
	text_on(col, v->fails ? TEXT_RED : TEXT_GREEN);
	fprintf(out, "VERDICT: %s", v->fails ? "FAIL" : "PASS");
	text_off(col, v->fails ? TEXT_RED : TEXT_GREEN);
	if (v->fail_on == IA_FAIL_ON_NEVER && v->fails)
		fprintf(out, ": %zu finding%s at or above error (--fail-on never: the exit status stays 0)\n",
			v->n_at_threshold, v->n_at_threshold == 1 ? "" : "s");
	else if (v->fail_on == IA_FAIL_ON_NEVER)
		fprintf(out, ": no finding reaches error (--fail-on never: the exit status stays 0)\n");
	else if (v->n_failing)
		fprintf(out, ": %zu finding%s at or above --fail-on %s\n", v->n_failing, v->n_failing == 1 ? "" : "s",
			text_fail_on_name(v->fail_on));
	else
		fprintf(out, ": no finding reaches --fail-on %s\n", text_fail_on_name(v->fail_on));
}

/* Open a text report's filter (@tf) and its fold of the unprivileged config reads (@fold);
 * NULL when memory runs out (then nothing is left to free). */
static FILE *text_begin(struct text_filter *tf, struct text_fold *fold, const struct ia_audit *a,
			const struct ia_report_opts *o, FILE *raw)
{
	FILE *out;

	*fold = (struct text_fold){ .shown_failing = false };
	if (ia_report_unpriv_init(&fold->u, a) < 0)
		return NULL;
	if (!(out = text_filter_open(tf, raw, o ? o->width : 0)))
		ia_report_unpriv_free(&fold->u);
	return out;
}

/* --quiet (as virt-host-validate -q): the verdict line, then each finding that fails it with its fix. */
static int text_quiet(const struct ia_audit *a, const struct ia_result *r, const struct ia_report_opts *o, FILE *raw)
{
	struct text_filter tf;
	struct text_color col = { .on = o->color, .tf = &tf };
	struct text_fold fold;
	FILE *out = text_begin(&tf, &fold, a, o, raw);

	if (!out)
		return -ENOMEM;
	text_verdict(out, &col, &r->verdict);
	text_fixes(out, &col, r, &fold);
	ia_report_unpriv_free(&fold.u);
	return text_filter_end(out, raw);
}

int ia_report_text(const struct ia_audit *a, const struct ia_result *r, const struct ia_report_opts *o, FILE *raw)
{
	if (o && o->quiet)
		return text_quiet(a, r, o, raw);

	struct ia_pcinames n;
	struct text_filter tf;
	struct text_color col = { .on = o && o->color, .tf = &tf };
	size_t ungrouped = 0, yes = 0, no = 0, unknown = 0, kernel_yes = 0, yes_held = 0;
	bool unsafe_msi = false, msi_bypass = false, p2p = false;
	bool active = ia_audit_iommu_active(a);
	/* host.noiommu found the kernel without CONFIG_VFIO_NOIOMMU: no "unsafe mode" remains either */
	bool no_noiommu = r->noiommu_compiled == IA_NO;
	const struct ia_verdict *v = &r->verdict;
	enum ia_fail_on fail_on = v->fail_on;
	size_t failing = v->n_failing;
	struct text_fold fold;
	FILE *out = text_begin(&tf, &fold, a, o, raw);

	if (!out)
		return -ENOMEM;
	ia_pcinames_init(&n, o && o->names, o ? o->pci_ids : NULL);

	/* Where, then the verdict: the one line a person must read. */
	fprintf(out, "iommu-audit %s: %s%s\n", IA_VERSION, a->dumps_alone ? "" : a->live ? "live host" : "captured host ",
		a->dumps_alone ? a->inputs : a->live ? "" : (a->root ? a->root : "?"));
	/* IOMMU groups only: a VFIO no-IOMMU group is no IOMMU group (kernel-rules.md §6); the host's
	 * counts also when -s/-d selected part of it (the selection line says what is shown) */
	const struct ia_audit_selection *sel = a->selection;
	size_t n_noiommu = a->n_groups - a->n_iommu_groups;
	size_t host_groups = sel ? sel->host_iommu_groups : a->n_iommu_groups, host_devs = sel ? sel->host_devs : a->n_devs;
	if (a->dumps_alone) {
		fprintf(out, "  no kernel among the inputs: its release, whether an IOMMU is active, the IOMMU groups, drivers "
			"and interrupts are unknown; %zu PCI function%s\n", host_devs, host_devs == 1 ? "" : "s");
	} else {
		fprintf(out, "  kernel %s (%s); IOMMU active: %s (%zu unit%s, %zu group%s", a->kernel_release ?
			a->kernel_release : "unknown", a->arch ? a->arch : "arch unknown", active ? "yes" : "no", a->n_units,
			a->n_units == 1 ? "" : "s", host_groups, host_groups == 1 ? "" : "s");
		if (n_noiommu && !sel)
			fprintf(out, ", and %zu VFIO no-IOMMU group%s", n_noiommu, n_noiommu == 1 ? "" : "s");
		fprintf(out, "); %zu PCI function%s\n", host_devs, host_devs == 1 ? "" : "s");
	}
	char *sel_line = ia_report_selection_line(a);
	if (sel_line)
		fprintf(out, "  %s\n", sel_line);
	free(sel_line);
	char board[800]; /* the host's board and BIOS: qualification reports are filed by them */
	fprintf(out, "  %s\n", ia_identity_board_line(&a->identity, board, sizeof(board)));
	for (size_t i = 0; i < r->n_groups && i < a->n_groups; i++) {
		if (a->groups[i].noiommu)
			continue;
		yes += r->groups[i].userspace_assignable == IA_YES;
		/* of those, the ones a VFIO driver holds already (a /dev/vfio/N exists) */
		yes_held += r->groups[i].userspace_assignable == IA_YES && r->groups[i].vfio_bound;
		no += r->groups[i].userspace_assignable == IA_NO;
		unknown += r->groups[i].userspace_assignable == IA_UNKNOWN;
		if (r->groups[i].kernel_hands_over != IA_YES)
			continue;
		kernel_yes++;
		/* why VFIO takes a group the audit does not call safe: its MSI or isolation-domain blocker */
		for (size_t k = 0; r->groups[i].userspace_assignable != IA_YES && k < r->groups[i].n_blockers; k++) {
			const char *w = r->groups[i].blockers[k].what;
			bool msi = w && !strcmp(w, "platform.msi-not-isolated");
			/* the host-wide MSI blocker has no function; one on a member is its MSIs bypassing
			 * interrupt remapping, which kernels before 6.3 do not test (r_interrupts.c) */
			unsafe_msi |= msi && !r->groups[i].blockers[k].bdf[0];
			msi_bypass |= msi && r->groups[i].blockers[k].bdf[0];
			p2p |= w && !strcmp(w, "isolation.p2p-domain");
		}
	}
	fputc('\n', out);
	text_verdict(out, &col, v);
	fprintf(out, "  %zu of %zu IOMMU group%s can be safely handed to userspace now", yes, a->n_iommu_groups,
		a->n_iommu_groups == 1 ? "" : "s");
	if (yes && yes_held == yes)
		fprintf(out, " (%s on vfio-pci or another VFIO driver already)", yes == 1 ? "it is" : "all are");
	else if (yes && !yes_held)
		fprintf(out, " (none on a VFIO driver yet: no host driver to unbind, vfio-pci to bind)");
	else if (yes)
		fprintf(out, " (%zu on a VFIO driver already; %s vfio-pci bound, with no host driver to unbind)",
			yes_held, yes - yes_held == 1 ? "the other needs" : "the others need");
	if (no || unknown)
		fprintf(out, "; %zu cannot; %zu unknown%s", no, unknown, unknown ? " (an input not known)" : "");
	fputs(".\n", out);
	/* what the kernel itself would do, where it differs (struct ia_group_verdict.kernel_hands_over) */
	if (kernel_yes != yes)
		fprintf(out, "  VFIO itself would accept %zu of the %zu as the drivers stand (vfio-pci bound where no driver is)%s%s%s%s%s.\n", kernel_yes,
			a->n_iommu_groups, unsafe_msi ? ": allow_unsafe_interrupts is set, so VFIO takes groups whose MSIs "
			"are not isolated" : "", unsafe_msi && msi_bypass ? "; and " : msi_bypass ? ": " : "",
			msi_bypass ? "before Linux 6.3 VFIO takes every group while interrupt remapping is enabled, even "
			"one whose device's MSIs bypass it" : "", (unsafe_msi || msi_bypass) && p2p ? "; and " : p2p ? ": " : "",
			p2p ? "VFIO does not see the peer-to-peer paths of the isolation domains below" : "");
	if (a->dumps_alone)
		fprintf(out, "  The dumps hold no kernel state: no group can be judged assignable (IOMMU groups, drivers and "
			"interrupts are not among the inputs).\n");
	else if (!active)
		fprintf(out, "  No IOMMU is active: no device can be assigned to userspace with isolation "
			     "(VFIO needs IOMMU groups%s).\n", no_noiommu ? ", and this kernel has no VFIO no-IOMMU mode"
			     : "; only the unsafe no-IOMMU mode would remain");
	text_when_enabled_lead(&r->when_enabled, out);
	fprintf(out, "  Interrupt isolation: %s%s%s\n", r->irq_isolated == IA_YES ? "isolated" :
		r->irq_isolated == IA_NO ? "NOT isolated" : "unknown", r->irq_reason ? ": " : "",
		r->irq_reason ? r->irq_reason : "");
	if (r->noiommu_state)
		fprintf(out, "  VFIO no-IOMMU mode: %s%s%s\n", r->noiommu_state, r->noiommu_reason ? ": " : "",
			r->noiommu_reason ? r->noiommu_reason : "");
	/* the VFIO path the verdicts are for, and the other one (issue 12: each reads its own
	 * allow_unsafe_interrupts) */
	/* what the behaviour table had to assume about the kernel (JSON host.kernel_upstream.assumed),
	 * on the line of the path the verdicts are for */
	const struct ia_kver kv = {
		.has_version = a->has_kernel_version, .major = a->kernel_major, .minor = a->kernel_minor,
		.has_stable = a->has_kernel_patch, .stable = a->kernel_patch,
		.backports = a->has_kernel_version && a->kernel_backports, .el_major = -1, .el_minor = -1,
	};
	char assumed[400];
	ia_kver_assumed(&kv, assumed, sizeof(assumed));
	for (size_t q = 0; q < IA_N_PATHS; q++) {
		size_t p = q == 0 ? (size_t)r->path : (size_t)(1 - r->path);
		const struct ia_path_state *ps = &r->paths[p];
		static const char *const label[IA_N_PATHS] = { "the legacy container (/dev/vfio/vfio)",
							       "iommufd (/dev/iommu, the VFIO device cdev)" };
		/* "VFIO path judged (the default): LABEL, in this kernel: why; the verdicts assume: ..." */
		fprintf(out, "  %s%s: %s, %s%s%s%s%s\n", q == 0 ? "VFIO path judged" : "Other VFIO path",
			q == 0 ? (r->path_named ? " (as --vfio-path names)" : " (the default)") : "", label[p],
			ps->offered == IA_YES ? "in this kernel" : ps->offered == IA_NO ? "not in this kernel"
			: "whether this kernel has it is unknown",
			ps->why ? ": " : "", ps->why ? ps->why : "",
			q == 0 && assumed[0] && !a->dumps_alone ? "; the verdicts assume: " : "",
			q == 0 && assumed[0] && !a->dumps_alone ? assumed : "");
	}

	text_when_enabled_groups(&n, a, &r->when_enabled, out);

	/* What fails the audit, each with its fix: the work list. */
	if (failing) {
		fprintf(out, "\nFix these first (they fail the audit)\n");
		if (failing > 1)
			fprintf(out, "  In this order: the host-wide cause first (no IOMMU or no VFIO path, then interrupt isolation), then "
				"each group's and function's own; fixing one may clear those below it.\n");
		text_fixes(out, &col, r, &fold);
	}

	/* Each group: verdict first, then what blocks it and the fix, then notes, then its devices. */
	for (size_t i = 0; i < a->n_groups; i++) {
		const struct ia_group *g = &a->groups[i];
		const struct ia_group_verdict *gv = &r->groups[i];
		fprintf(out, "\n%s group %d: ", g->noiommu ? "VFIO no-IOMMU" : "IOMMU", g->id);
		const char *sgr = gv->userspace_assignable == IA_YES ? TEXT_GREEN :
				  gv->userspace_assignable == IA_NO ? TEXT_RED : TEXT_YELLOW;
		text_on(&col, sgr);
		fputs(gv->userspace_assignable == IA_YES ? "assignable to userspace" :
		      gv->userspace_assignable == IA_NO ? "NOT assignable to userspace" :
		      "assignability unknown (an input not known)", out);
		text_off(&col, sgr);
		fprintf(out, " (%s, %zu device%s; VFIO ownership %s%s)\n", g->type ? g->type : "type unknown",
			g->n_devices, g->n_devices == 1 ? "" : "s",
			gv->dma_ownership_viable == IA_YES ? "viable" : gv->dma_ownership_viable == IA_NO ?
			"not viable now" : "unknown",
			/* not safe, yet VFIO takes it (allow_unsafe_interrupts, a wider isolation domain) */
			gv->userspace_assignable != IA_YES && gv->kernel_hands_over == IA_YES && !g->noiommu ?
			"; VFIO would still hand it over now" : "");
		bool msi_said = false;
		for (size_t b = 0; b < gv->n_blockers; b++) {
			const struct ia_contrib *c = &gv->blockers[b];
			const char *fix = text_blocker_fix(r, c);
			msi_said |= !strcmp(c->what, "platform.msi-not-isolated");
			fprintf(out, "    blocker%s%s [%s]: %s\n", c->bdf[0] ? " " : "", c->bdf, c->what, c->reason);
			if (fix)
				fprintf(out, "        fix: %s\n", fix);
		}
		/* the path judged is not in the kernel (rule host.vfio-path; JSON groups[].blockers), or
		 * may not be */
		if (r->paths[r->path].offered == IA_NO)
			fprintf(out, "    blocker [host.vfio-path]: %s\n", ia_vfio_path_missing(r->path));
		else if (r->paths[r->path].offered == IA_UNKNOWN && gv->userspace_assignable == IA_UNKNOWN)
			fprintf(out, "    unknown: VFIO path: whether this kernel has %s is unknown (host.vfio-path)\n",
				r->path == IA_PATH_IOMMUFD ? "iommufd (/dev/iommu)" : "the legacy container (/dev/vfio/vfio)");
		/* the judged path's MSI blocker (the kernel's own test of the group, as JSON
		 * groups[].paths[].blockers has it) where no member's blocker said it */
		if (!msi_said && !g->noiommu && gv->paths[r->path].msi_blocks) {
			const struct ia_contrib c = { .what = "platform.msi-not-isolated", .bdf = "", .finding = r->irq_finding };
			const char *fix = text_blocker_fix(r, &c);
			fprintf(out, "    blocker [platform.msi-not-isolated]: %s\n", gv->irq_reason ? gv->irq_reason :
				r->irq_reason ? r->irq_reason : "MSIs are not isolated");
			if (fix)
				fprintf(out, "        fix: %s\n", fix);
		}
		/* an unknown verdict says which input was unknown where it is the interrupt isolation
		 * (the other unknown inputs have their own collect.unreadable or rule findings) */
		if (gv->userspace_assignable == IA_UNKNOWN && !g->noiommu && gv->n_blockers == 0 &&
		    (gv->irq_isolated == IA_UNKNOWN || (gv->irq_isolated == IA_YES && gv->irq_members == IA_UNKNOWN)))
			fprintf(out, "    unknown: MSI isolation: %s\n", gv->irq_reason ? gv->irq_reason : r->irq_reason ?
				r->irq_reason : "it could not be determined");
		for (size_t e = 0; e < gv->n_exceptions; e++)
			fprintf(out, "    note%s%s (%s): %s\n", gv->exceptions[e].bdf[0] ? " " : "",
				gv->exceptions[e].bdf, gv->exceptions[e].what, gv->exceptions[e].reason);
		for (size_t e = 0; e < gv->n_notes; e++)
			fprintf(out, "    note%s%s [%s] (not blocking: %s): %s\n", gv->notes[e].bdf[0] ? " " : "",
				gv->notes[e].bdf, gv->notes[e].what, gv->notes[e].lifted ? gv->notes[e].lifted : "lifted",
				gv->notes[e].reason);
		if (g->n_direct)
			fprintf(out, "    reserved regions: %zu direct (firmware 1:1)\n", g->n_direct);
		for (size_t k = 0; k < g->n_devices; k++) {
			const struct ia_dev *d = ia_audit_find_dev(a, g->devices[k]);
			if (d)
				text_dev_line(&n, d, out);
			else
				fprintf(out, "    %s (not a PCI function seen by the collector)\n", g->devices[k]);
		}
	}
	for (size_t i = 0; i < a->n_devs; i++)
		ungrouped += !a->devs[i].has_group;
	/* Each function's reason when the firmware puts one of them behind an IOMMU (issue 13 item
	 * 11: an Arm host bridge mapped to an SMMU was "not behind an IOMMU"), else one for all. */
	bool behind = false;
	char why[IA_NO_GROUP_REASON_MAX];
	for (size_t i = 0; active && i < a->n_devs && !behind; i++)
		behind = !a->devs[i].has_group && ia_no_group_reason(a, &a->devs[i], why, sizeof(why));
	if (ungrouped && a->dumps_alone) {
		fprintf(out, "\nPCI functions (%zu; the dumps hold no IOMMU groups)\n", ungrouped);
		for (size_t i = 0; i < a->n_devs; i++)
			text_dev_line(&n, &a->devs[i], out);
	} else if (ungrouped) {
		fprintf(out, "\nPCI functions in no IOMMU group (%zu)%s%s\n", ungrouped, behind ? "" : ": ",
			behind ? "" : !active ? "no IOMMU is active" : no_noiommu ? "not behind an IOMMU (this kernel has "
			"no VFIO no-IOMMU mode, so nothing can give them to userspace)" : "not behind an IOMMU (only the "
			"unsafe no-IOMMU mode could give them to userspace)");
		for (size_t i = 0; i < a->n_devs; i++) {
			if (a->devs[i].has_group)
				continue;
			text_dev_line(&n, &a->devs[i], out);
			if (behind) {
				ia_no_group_reason(a, &a->devs[i], why, sizeof(why));
				fprintf(out, "        %s\n", why);
			}
		}
	}

	/* Everything else the rules said (below the threshold, or waived), then the platform details. */
	if (r->n_findings > failing) {
		/* the counts of what is listed here: those above (they fail the audit) are not "other" */
		size_t other[3] = {0}, waived = 0;
		for (size_t i = 0; i < r->n_findings; i++) {
			const struct ia_finding *f = &r->findings[i];
			if (ia_finding_fails(f, fail_on))
				continue;
			if (f->waived)
				waived++;
			else if ((size_t)f->level < 3)
				other[f->level]++;
		}
		fprintf(out, "\nOther findings (%zu error, %zu warning, %zu info not waived; %zu waived)\n",
			other[IA_LEVEL_ERROR], other[IA_LEVEL_WARNING], other[IA_LEVEL_INFO], waived);
		for (size_t i = 0; i < r->n_findings; i++)
			if (!ia_finding_fails(&r->findings[i], fail_on))
				text_finding_folded(out, &col, &fold, &fold.shown_other, &r->findings[i]);
	}
	text_platform(a, out);
	for (size_t i = 0; i < a->n_units; i++)
		fprintf(out, "  kernel IOMMU unit %s (%s), %zu device%s\n", a->units[i].name, a->units[i].kind,
			a->units[i].n_devices, a->units[i].n_devices == 1 ? "" : "s");
	ia_pcinames_free(&n);
	ia_report_unpriv_free(&fold.u);
	return text_filter_end(out, raw);
}

int ia_report_groups(const struct ia_audit *a, const struct ia_result *r, const struct ia_report_opts *o,
		     enum ia_groups_view view, FILE *raw)
{
	struct ia_pcinames n;
	struct text_filter tf;
	FILE *out = text_filter_open(&tf, raw, o ? o->width : 0);

	if (!out)
		return -ENOMEM;
	ia_pcinames_init(&n, o && o->names, o ? o->pci_ids : NULL);
	char *sel_line = ia_report_selection_line(a);   /* -s/-d: what is listed, first */
	if (sel_line)
		fprintf(out, "%s\n", sel_line);
	free(sel_line);
	if (view == IA_GROUPS_WHEN_ENABLED) {
		const struct ia_when_enabled_result *we = &r->when_enabled;
		char *head = ia_report_when_enabled_headline(a, r);
		if (!head) {
			ia_pcinames_free(&n);
			text_filter_end(out, raw);
			return -ENOMEM;
		}
		fprintf(out, "%s\n", head);
		free(head);
		for (size_t i = 0; i < we->n_refused; i++)
			fprintf(out, "no group (arm-smmu-v3 refuses it: a StreamID already taken): %s\n",
				a->devs[we->refused[i]].bdf);
		for (size_t i = 0; i < we->n_groups; i++) {
			const struct ia_enabled_group *g = &we->groups[i];
			fprintf(out, "predicted group %zu%s: %s\n", i, g->uncertain ? " (uncertain)" : "", g->basis ? g->basis : "");
			for (size_t k = 0; k < g->n; k++)
				text_dev_line(&n, &a->devs[g->members[k]], out);
		}
	}
	if (view == IA_GROUPS_PREDICTED || (view == IA_GROUPS_WHEN_ENABLED && r->when_enabled.current)) {
		for (size_t i = 0; i < a->n_predicted; i++) {
			fprintf(out, "predicted group %zu%s: %s\n", i, a->predicted[i].uncertain ? " (uncertain)" : "",
				a->predicted[i].basis ? a->predicted[i].basis : "");
			for (size_t k = 0; k < a->predicted[i].n; k++)
				text_dev_line(&n, &a->devs[a->predicted[i].members[k]], out);
		}
	} else if (view == IA_GROUPS_KERNEL) {
		for (size_t i = 0; i < a->n_groups; i++) {
			fprintf(out, "%s group %d:\n", a->groups[i].noiommu ? "VFIO no-IOMMU" : "IOMMU", a->groups[i].id);
			for (size_t k = 0; k < a->groups[i].n_devices; k++) {
				const struct ia_dev *d = ia_audit_find_dev(a, a->groups[i].devices[k]);
				if (d)
					text_dev_line(&n, d, out);
				else
					fprintf(out, "    %s\n", a->groups[i].devices[k]);
			}
		}
		if (!a->n_groups)
			fprintf(out, "no IOMMU groups: %s\n", a->dumps_alone ? "the dumps hold no kernel state (whether an "
				"IOMMU is active, and its groups, are unknown)" : a->iommu_groups_dir ?
				"the kernel formed none" : "sys/kernel/iommu_groups is absent (no IOMMU active)");
	}
	ia_pcinames_free(&n);
	return text_filter_end(out, raw);
}
