// SPDX-License-Identifier: GPL-2.0-or-later
// The text report for people: host summary, each kernel group with its devices, then what could not be read.
#include <errno.h>
#include <pci/pci.h>
#include <stdio.h>
#include <string.h>

#include "decode/pcicfg.h"
#include "firmware.h"
#include "ia_err.h"
#include "report.h"

/* Names from pci.ids through libpci's lookup (no access method is initialised). */
struct text_names {
	struct pci_access *pacc;
};

static void text_names_warning(char *msg, ...)
{
	(void)msg;
}

static void text_names_init(struct text_names *n, const struct ia_report_opts *o)
{
	n->pacc = NULL;
	if (!o || !o->names)
		return;
	n->pacc = pci_alloc();
	if (!n->pacc)
		return;
	n->pacc->warning = text_names_warning;
	n->pacc->debug = text_names_warning;
	if (o->pci_ids)
		pci_set_name_list_path(n->pacc, (char *)o->pci_ids, 0);
}

static void text_names_free(struct text_names *n)
{
	if (n->pacc)
		pci_cleanup(n->pacc);
}

static const char *text_dev_name(struct text_names *n, const struct ia_dev *d, char *buf, size_t cap)
{
	if (!d->has_ids) {
		snprintf(buf, cap, "[ids unreadable]");
		return buf;
	}
	if (n->pacc && pci_lookup_name(n->pacc, buf, (int)cap, PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE |
				       PCI_LOOKUP_NO_NUMBERS, d->vendor, d->device))
		return buf;
	snprintf(buf, cap, "device %04x:%04x", d->vendor, d->device);
	return buf;
}

static const char *text_class_name(struct text_names *n, const struct ia_dev *d, char *buf, size_t cap)
{
	if (!d->has_class)
		return "class unreadable";
	if (n->pacc && pci_lookup_name(n->pacc, buf, (int)cap, PCI_LOOKUP_CLASS | PCI_LOOKUP_NO_NUMBERS,
				       (int)(d->class_code >> 8)))
		return buf;
	snprintf(buf, cap, "class %04x", d->class_code >> 8);
	return buf;
}

static void text_dev_line(struct text_names *n, const struct ia_dev *d, FILE *out)
{
	char name[256], cls[128];

	fprintf(out, "    %s [%04x:%04x] %s: %s", d->bdf, d->vendor, d->device,
		text_class_name(n, d, cls, sizeof(cls)), text_dev_name(n, d, name, sizeof(name)));
	fprintf(out, "  driver=%s", d->driver ? d->driver : "(none)");
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
static void text_platform(const struct ia_firmware *fw, FILE *out)
{
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
	if (fw->has_ivrs_info)
		fprintf(out, "  IVRS: IVinfo 0x%08x (EFRSup %s, DMA remap opt-in %s)\n", fw->ivinfo,
			fw->ivinfo_efr_sup ? "yes" : "no", fw->ivinfo_dma_remap ? "yes" : "no");
	for (size_t i = 0; i < fw->n_units; i++) {
		const struct ia_fw_unit *u = &fw->units[i];
		char lead[512];
		int n = snprintf(lead, sizeof(lead), "    unit %s (%s, %s)", u->name, u->kind, u->source);
		if (u->has_segment)
			n += snprintf(lead + n, sizeof(lead) - (size_t)n, " segment %u", u->segment);
		if (u->has_base)
			n += snprintf(lead + n, sizeof(lead) - (size_t)n, " base 0x%llx", (unsigned long long)u->base);
		if (u->include_pci_all == IA_YES)
			n += snprintf(lead + n, sizeof(lead) - (size_t)n, " INCLUDE_PCI_ALL");
		snprintf(lead + n, sizeof(lead) - (size_t)n, ": %zu device%s%s", u->n_devices,
			 u->n_devices == 1 ? "" : "s", u->n_devices ? " " : "");
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
		text_list(out, g->n_targets ? lead : "", g->targets, g->n_targets, 16);
	}
	for (size_t i = 0; i < fw->n_msi; i++) {
		const struct ia_fw_msi *m = &fw->msi[i];
		fprintf(out, "    MSI controller %s (%s, %s)%s%s%s: %s, %zu PCI function%s\n", m->name, m->kind, m->source,
			m->compatible ? " [" : "", m->compatible ? m->compatible : "", m->compatible ? "]" : "",
			m->isolating == IA_YES ? "isolates MSIs" : m->isolating == IA_NO ? "does NOT isolate MSIs" :
			"isolation unknown", m->n_devices, m->n_devices == 1 ? "" : "s");
	}
}

int ia_report_text(const struct ia_audit *a, const struct ia_report_opts *o, FILE *out)
{
	struct text_names n;
	size_t ungrouped = 0;
	bool active = a->n_units > 0 || a->n_groups > 0;

	text_names_init(&n, o);
	fprintf(out, "iommu-audit %s: %s%s\n", IA_VERSION, a->live ? "live host" : "captured host ",
		a->live ? "" : (a->root ? a->root : "?"));
	fprintf(out, "  kernel: %s (%s)\n", a->kernel_release ? a->kernel_release : "unknown",
		a->arch ? a->arch : "arch unknown");
	fprintf(out, "  IOMMU active in the kernel: %s (%zu unit%s, %zu group%s)\n", active ? "yes" : "no",
		a->n_units, a->n_units == 1 ? "" : "s", a->n_groups, a->n_groups == 1 ? "" : "s");
	for (size_t i = 0; i < a->n_units; i++)
		fprintf(out, "    unit %s (%s), %zu device%s\n", a->units[i].name, a->units[i].kind,
			a->units[i].n_devices, a->units[i].n_devices == 1 ? "" : "s");
	fprintf(out, "  PCI functions: %zu\n", a->n_devs);
	if (!active)
		fprintf(out, "  No IOMMU is active: no device can be assigned to userspace with isolation "
			     "(VFIO needs IOMMU groups; only the unsafe no-IOMMU mode would remain).\n");
	text_platform(a->firmware, out);

	for (size_t i = 0; i < a->n_groups; i++) {
		const struct ia_group *g = &a->groups[i];
		const char *verdict = g->userspace_assignable == IA_YES ? "assignable to userspace" :
				      g->userspace_assignable == IA_NO ? "NOT assignable to userspace" :
				      "assignability unknown (inputs unreadable)";
		fprintf(out, "\nIOMMU group %d: %s (%s, %zu device%s; VFIO ownership %s)\n", g->id, verdict,
			g->type ? g->type : "type unknown", g->n_devices, g->n_devices == 1 ? "" : "s",
			g->dma_ownership_viable == IA_YES ? "viable" : g->dma_ownership_viable == IA_NO ?
			"not viable now" : "unknown");
		for (size_t b = 0; b < g->n_blockers; b++)
			fprintf(out, "    blocker%s%s [%s]: %s\n", g->blockers[b].bdf[0] ? " " : "",
				g->blockers[b].bdf, g->blockers[b].what, g->blockers[b].reason);
		for (size_t e = 0; e < g->n_exceptions; e++)
			fprintf(out, "    exception%s%s (%s): %s\n", g->exceptions[e].bdf[0] ? " " : "",
				g->exceptions[e].bdf, g->exceptions[e].what, g->exceptions[e].reason);
		for (size_t k = 0; k < g->n_devices; k++) {
			const struct ia_dev *d = ia_audit_find_dev(a, g->devices[k]);
			if (d)
				text_dev_line(&n, d, out);
			else
				fprintf(out, "    %s (not a PCI function seen by the collector)\n", g->devices[k]);
		}
		if (g->n_direct)
			fprintf(out, "    reserved regions: %zu direct (firmware 1:1)\n", g->n_direct);
	}
	for (size_t i = 0; i < a->n_devs; i++)
		ungrouped += !a->devs[i].has_group;
	if (ungrouped) {
		fprintf(out, "\nPCI functions in no IOMMU group (%zu): %s\n", ungrouped,
			active ? "not behind an IOMMU (only the unsafe no-IOMMU mode could give them to userspace)"
			       : "no IOMMU is active");
		for (size_t i = 0; i < a->n_devs; i++)
			if (!a->devs[i].has_group)
				text_dev_line(&n, &a->devs[i], out);
	}
	if (a->n_findings) {
		fprintf(out, "\nFindings (%zu error, %zu warning, %zu info)\n", ia_audit_count(a, IA_LEVEL_ERROR),
			ia_audit_count(a, IA_LEVEL_WARNING), ia_audit_count(a, IA_LEVEL_INFO));
		for (size_t i = 0; i < a->n_findings; i++) {
			const struct ia_finding *f = &a->findings[i];
			fprintf(out, "  %-7s %s [%s]: %s\n", ia_level_name(f->level), f->subject, f->rule, f->message);
			if (f->advice)
				fprintf(out, "          %s\n", f->advice);
		}
	}
	text_names_free(&n);
	return ferror(out) ? -EIO : 0;
}

int ia_report_groups(const struct ia_audit *a, const struct ia_report_opts *o, bool predicted, FILE *out)
{
	struct text_names n;

	text_names_init(&n, o);
	if (predicted) {
		for (size_t i = 0; i < a->n_predicted; i++) {
			fprintf(out, "predicted group %zu%s: %s\n", i, a->predicted[i].uncertain ? " (uncertain)" : "",
				a->predicted[i].basis ? a->predicted[i].basis : "");
			for (size_t k = 0; k < a->predicted[i].n; k++)
				text_dev_line(&n, &a->devs[a->predicted[i].members[k]], out);
		}
	} else {
		for (size_t i = 0; i < a->n_groups; i++) {
			fprintf(out, "IOMMU group %d:\n", a->groups[i].id);
			for (size_t k = 0; k < a->groups[i].n_devices; k++) {
				const struct ia_dev *d = ia_audit_find_dev(a, a->groups[i].devices[k]);
				if (d)
					text_dev_line(&n, d, out);
				else
					fprintf(out, "    %s\n", a->groups[i].devices[k]);
			}
		}
		if (!a->n_groups)
			fprintf(out, "no IOMMU groups: %s\n", a->iommu_groups_dir ?
				"the kernel formed none" : "sys/kernel/iommu_groups is absent (no IOMMU active)");
	}
	text_names_free(&n);
	return ferror(out) ? -EIO : 0;
}
