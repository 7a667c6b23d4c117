// SPDX-License-Identifier: GPL-2.0-or-later
// The text report for people: host summary, each kernel group with its devices, then what could not be read.
#include <errno.h>
#include <pci/pci.h>
#include <stdio.h>
#include <string.h>

#include "decode/pcicfg.h"
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
