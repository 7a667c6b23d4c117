// SPDX-License-Identifier: GPL-2.0-or-later
// Rules device.sva and device.pasid-unprotected: whether shared virtual addressing (PASID) can be used
// safely per group member, and PASID enabled where the fabric can route PASID requests peer-to-peer.
//
// Mirrors (Linux 6.12): drivers/pci/ats.c pci_enable_pasid(), pci_enable_pri(), pci_ats_supported();
// drivers/pci/probe.c pci_configure_eetlp_prefix(); drivers/pci/quirks.c quirk_huawei_pcie_sva();
// drivers/iommu/intel/{iommu.c,svm.c} sm_supported(), pasid_supported(), intel_svm_check(),
// dmar_ats_supported(), intel_iommu_enable_sva(); drivers/iommu/amd/init.c
// amd_iommu_pasid_supported(); drivers/iommu/iommu-sva.c. kernel-rules.md §8.
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/firmware_model.h"
#include "rules/kernel_audit.h"
#include "rules/rules.h"

/* PCIe port types (PCI_EXP_TYPE_*). */
#define PT_ROOT_PORT 0x4
#define PT_PCIE_PCI_BRIDGE 0x7
#define PT_RC_END 0x9

/* One member's evaluation: a tri-state verdict and the reasons that lower it. */
struct sva_acc {
	enum ia_tri v;
	char **r; size_t n;
	int err;
};

static void sva_add(struct sva_acc *s, enum ia_tri lower, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void sva_add(struct sva_acc *s, enum ia_tri lower, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (lower == IA_NO)
		s->v = IA_NO;
	else if (lower == IA_UNKNOWN && s->v == IA_YES)
		s->v = IA_UNKNOWN;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	char **nv = realloc(s->r, (s->n + 1) * sizeof(*nv));
	if (!nv || !(nv[s->n] = strdup(buf))) {
		if (nv)
			s->r = nv;
		s->err = -ENOMEM;
		return;
	}
	s->r = nv;
	s->n++;
}

/* quirk_huawei_pcie_sva(): these Kunpeng integrated devices use PASID without TLP prefixes. */
static bool sva_pasid_no_tlp(const struct ia_dev *d)
{
	if (!d->has_ids || d->vendor != 0x19e5 || !d->has_revision)
		return false;
	if (d->device != 0xa250 && d->device != 0xa251 && d->device != 0xa255 && d->device != 0xa256)
		return false;
	return d->revision == 0x21 || d->revision == 0x30;
}

/*
 * pci_configure_eetlp_prefix(): a device carries End-End TLP prefixes end to end when DevCap2 bit 21
 * is set on it and on every bridge above it, up to a Root Port (or it is an RCiEP).
 * Return YES/NO/UNKNOWN; *culprit is the first device that breaks (or may break) the path.
 */
static enum ia_tri sva_prefix_path(const struct ia_audit *a, const struct ia_dev *d, const struct ia_dev **culprit)
{
	for (int depth = 0; d && depth < 64; depth++) {
		if (d->eetlp_prefix != IA_YES) {
			*culprit = d;
			return d->eetlp_prefix;
		}
		if (d->is_pcie == IA_YES && (d->pcie_type == PT_ROOT_PORT || d->pcie_type == PT_RC_END))
			return IA_YES;
		if (!d->parent) {
			*culprit = d; /* on a root bus without being a root port or RCiEP */
			return IA_NO;
		}
		d = ia_audit_find_dev(a, d->parent);
	}
	*culprit = NULL;
	return IA_UNKNOWN;
}

/* The root port (device on a root bus) above @d, or @d itself. */
static const struct ia_dev *sva_root_port(const struct ia_audit *a, const struct ia_dev *d)
{
	for (int depth = 0; d && d->parent && depth < 64; depth++) {
		const struct ia_dev *p = ia_audit_find_dev(a, d->parent);
		if (!p)
			return NULL;
		d = p;
	}
	return d;
}

/*
 * dmar_ats_supported() refuses a device with a conventional PCI or PCIe-to-PCI bridge above it
 * (!pci_is_pcie(bridge) or PCI_EXP_TYPE_PCI_BRIDGE). Return NO with *culprit, UNKNOWN when a bridge's
 * PCIe capability was unreadable or a parent is missing (*culprit, may be NULL), else YES.
 */
static enum ia_tri sva_pcie_path(const struct ia_audit *a, const struct ia_dev *d, const struct ia_dev **culprit)
{
	enum ia_tri v = IA_YES;

	*culprit = NULL;
	for (int depth = 0; d && d->parent && depth < 64; depth++) {
		const struct ia_dev *p = ia_audit_find_dev(a, d->parent);
		if (!p)
			return IA_UNKNOWN;
		if (p->is_pcie == IA_NO || (p->is_pcie == IA_YES && p->pcie_type == PT_PCIE_PCI_BRIDGE)) {
			*culprit = p;
			return IA_NO;
		}
		if (p->is_pcie == IA_UNKNOWN && v == IA_YES) {
			v = IA_UNKNOWN;
			*culprit = p;
		}
		d = p;
	}
	return v;
}

/* Host-wide inputs of the rule, read once per evaluation. */
struct sva_host {
	bool read;
	enum ia_tri sm;          /* intel_iommu_sm */
	const char *smwhy;
	int noats;               /* pci=noats: 1 yes, 0 no, -1 unknown */
};

/*
 * dmar_ats_supported() (drivers/iommu/intel/dmar.c): an integrated device, a device named in a SATC,
 * or one whose root port is in an ATSR scope (or an ATSR with ALL_PORTS on its segment).
 * Return YES/NO, or UNKNOWN when the DMAR was not decoded.
 */
static enum ia_tri sva_dmar_ats(const struct ia_eval *ev, const struct ia_dev *d)
{
	const struct ia_firmware *fw = ev->a->firmware;
	const struct ia_dev *rp = sva_root_port(ev->a, d);

	if (!fw || !fw->has_dmar_info)
		return IA_UNKNOWN;
	if (!d->parent)
		return IA_YES; /* integrated: on the root bus */
	for (size_t i = 0; i < fw->n_dmar_ats; i++) {
		const struct ia_fw_dmar_ats *t = &fw->dmar_ats[i];
		if (!t->satc && t->has_segment && t->segment == (int64_t)d->domain && t->has_flags && (t->flags & 1))
			return IA_YES; /* ATSR ALL_PORTS on its segment */
		/* an ATSR names root ports; a SATC names the device itself */
		const char *want = t->satc ? d->bdf : rp ? rp->bdf : NULL;
		for (size_t k = 0; want && k < t->n_bdfs; k++)
			if (!strcmp(t->bdfs[k], want))
				return IA_YES;
	}
	return IA_NO;
}

static const struct ia_unit *sva_unit(const struct ia_audit *a, const char *name)
{
	for (size_t i = 0; name && i < a->n_units; i++)
		if (a->units[i].name && !strcmp(a->units[i].name, name))
			return &a->units[i];
	return NULL;
}

/* intel_iommu_sm: intel_iommu=sm_on/sm_off, else CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON. */
static enum ia_tri sva_intel_sm_enabled(const struct ia_eval *ev, const char **why)
{
	static const char *const sm[] = { "sm_on", "sm_off", NULL };
	char kc[16];
	/* intel_iommu_setup() runs per occurrence over comma-separated options: the last one wins */
	int c = ia_eval_cmdline_last_of(ev, "intel_iommu", sm);

	if (c >= 0) {
		*why = c == 0 ? "intel_iommu=sm_on" : "intel_iommu=sm_off";
		return c == 0 ? IA_YES : IA_NO;
	}
	int k = ia_eval_kconfig(ev, "CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON", kc, sizeof(kc));
	if (k == 1 && !strcmp(kc, "y")) {
		*why = "CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON=y";
		return IA_YES;
	}
	if (k == 0) {
		*why = "CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON is not set and intel_iommu= has no sm_on";
		return IA_NO;
	}
	*why = "the kernel configuration is not available and intel_iommu= does not say sm_on/sm_off";
	return IA_UNKNOWN;
}

/* Host-wide inputs, read once per evaluation instead of once per PASID-capable device. */
static struct sva_host *sva_host_facts(const struct ia_eval *ev, struct sva_host *h)
{
	if (!h->read) {
		h->sm = sva_intel_sm_enabled(ev, &h->smwhy);
		h->noats = ia_eval_cmdline_token(ev, "pci", "noats");
		h->read = true;
	}
	return h;
}

static void sva_vtd(struct ia_eval *ev, struct sva_host *h, const struct ia_unit *u, const struct ia_dev *d,
		    const struct ia_dev *pasid_dev, struct sva_acc *s)
{
	if (!u->has_ecap || !u->has_cap) {
		sva_add(s, IA_UNKNOWN, "the cap/ecap registers of %s were not readable", u->name);
		return;
	}
	enum ia_tri sm = h->sm;
	const char *smwhy = h->smwhy;
	if (!((u->ecap >> 43) & 1))
		sva_add(s, IA_NO, "%s has no scalable mode (ecap.SMTS, bit 43): no PASID support", u->name);
	else if (sm != IA_YES)
		sva_add(s, sm, "scalable mode %s on %s (%s)", sm == IA_NO ? "is off" : "may be off", u->name, smwhy);
	if (!((u->ecap >> 40) & 1))
		sva_add(s, IA_NO, "%s lacks ecap.PASID (bit 40)", u->name);
	if (!((u->ecap >> 48) & 1))
		sva_add(s, IA_NO, "%s lacks scalable-mode page-walk coherency (ecap.SMPWC, bit 48): "
			"intel_svm_check() leaves SVM off", u->name);
	if (!((u->cap >> 56) & 1))
		sva_add(s, IA_UNKNOWN, "%s lacks first-level 1 GiB pages (cap.FL1GP, bit 56): SVM is off when the "
			"CPU has 1 GiB pages, as nearly every x86-64 CPU does", u->name);
	/* intel_iommu_enable_sva() needs ATS enabled, and PRI when the device has PRI */
	if (!((u->ecap >> 2) & 1))
		sva_add(s, IA_NO, "%s has no device-TLB support (ecap.DT, bit 2): ATS cannot be enabled", u->name);
	if (pasid_dev->has_ats != IA_YES)
		sva_add(s, pasid_dev->has_ats == IA_NO ? IA_NO : IA_UNKNOWN, "%s ATS capability: %s",
			pasid_dev->bdf, pasid_dev->has_ats == IA_NO ? "absent (VT-d SVA requires ATS)" : "unreadable");
	int noats = h->noats;
	if (noats != 0)
		sva_add(s, noats == 1 ? IA_NO : IA_UNKNOWN, "%s", noats == 1 ? "pci=noats on the command line disables ATS"
					: "the command line is unreadable: pci=noats (no ATS) cannot be ruled out");
	/* An absent removable attribute counts as trusted from 5.14 (row pci_removable_attr):
	 * pci_set_removable() marks every device below an external-facing or removable port, which is
	 * where set_pcie_untrusted() finds untrusted ones. Before, no function has the attribute, so
	 * its absence tells nothing. */
	if (d->removable && !strcmp(d->removable, "removable"))
		sva_add(s, IA_NO, "%s is removable (external): the kernel treats it as untrusted and never enables ATS",
			d->bdf);
	else if (!d->removable && ia_kernel_has(ev->a, IA_KB_PCI_REMOVABLE_ATTR) != IA_YES)
		sva_add(s, IA_UNKNOWN, "whether the kernel treats %s as untrusted (below an external-facing port: no "
			"ATS) is unknown: this kernel has no removable attribute to tell (Linux 5.14 added it)", d->bdf);
	/* dmar_ats_supported() looks at the PF of a VF (pci_physfn()) */
	const struct ia_dev *legacy = NULL;
	enum ia_tri pp = sva_pcie_path(ev->a, pasid_dev, &legacy);
	if (pp != IA_YES)
		sva_add(s, pp, pp == IA_NO ? "%s on the path is a PCI or PCIe-to-PCI bridge: no ATS behind it"
					   : "whether %s on the path is a PCIe bridge is unknown (no ATS behind a PCI bridge)",
			legacy ? legacy->bdf : "a bridge");
	enum ia_tri ats = sva_dmar_ats(ev, pasid_dev);
	if (ats != IA_YES)
		sva_add(s, ats, ats == IA_NO ? "no DMAR ATSR covers its root port and no SATC names it "
					       "(dmar_ats_supported())"
					     : "the DMAR table was not decoded: ATSR/SATC coverage unknown");
	if (pasid_dev->has_pri == IA_YES && !(((u->ecap >> 29) & 1) && ((u->ecap >> 42) & 1)))
		sva_add(s, IA_NO, "the device has PRI but %s lacks page requests (ecap.PRS bit 29 and PDS bit 42)",
			u->name);
}

static void sva_amd(const struct sva_host *h, const struct ia_unit *u, const struct ia_dev *pd, struct sva_acc *s)
{
	/* SVA page faults reach the AMD IOMMU as peripheral page requests: the device needs PRI, and
	 * ATS for translated requests (amd_iommu_iopf_add_device() needs PRI enabled) */
	if (pd->has_ats != IA_YES)
		sva_add(s, pd->has_ats == IA_NO ? IA_NO : IA_UNKNOWN, "%s ATS capability: %s", pd->bdf,
			pd->has_ats == IA_NO ? "absent (AMD-Vi SVA needs ATS)" : "unreadable");
	if (pd->has_pri != IA_YES)
		sva_add(s, pd->has_pri == IA_NO ? IA_NO : IA_UNKNOWN, "%s PRI capability: %s", pd->bdf,
			pd->has_pri == IA_NO ? "absent (AMD-Vi delivers SVA page faults as PRI page requests)" : "unreadable");
	if (h->noats != 0)
		sva_add(s, h->noats == 1 ? IA_NO : IA_UNKNOWN, "%s", h->noats == 1 ? "pci=noats on the command line disables ATS"
					: "the command line is unreadable: pci=noats (no ATS) cannot be ruled out");
	if (!u->has_efr) {
		sva_add(s, IA_UNKNOWN, "the extended feature register of %s was not readable", u->name);
		return;
	}
	if (!((u->efr >> 4) & 1))
		sva_add(s, IA_NO, "%s lacks guest translation (EFR.GTSup, bit 4)", u->name);
	if (!((u->efr >> 1) & 1))
		sva_add(s, IA_NO, "%s lacks peripheral page requests (EFR.PPRSup, bit 1)", u->name);
	if (!((u->efr >> 50) & 1))
		sva_add(s, IA_NO, "%s lacks EFR.EPHSup (bit 50), which amd_iommu_gt_ppr_supported() requires", u->name);
	if ((u->efr >> 63) & 1)
		sva_add(s, IA_UNKNOWN, "%s supports SEV-SNP (EFR bit 63): PASID is off whenever SNP host support is "
			"enabled, which sysfs does not show", u->name);
}

static int sva_member(struct ia_eval *ev, struct sva_host *host, const struct ia_group *g, const char *member,
		      struct ia_sva *out)
{
	const struct ia_audit *a = ev->a;
	struct sva_acc s = { .v = IA_YES };
	const struct ia_dev *d = ia_audit_find_dev(a, member);

	if (g->noiommu) {
		sva_add(&s, IA_NO, "a VFIO no-IOMMU group: no IOMMU translates it");
		goto done;
	}
	if (!d) {
		sva_add(&s, IA_UNKNOWN, "not a PCI function: SVA of platform devices depends on firmware "
			"(pasid-num-bits, IORT named-component flags), which is not evaluated");
		goto done;
	}
	if (!d->has_hdr) {
		sva_add(&s, IA_UNKNOWN, "the configuration header was unreadable");
		goto done;
	}
	if (d->hdr_type != 0) {
		sva_add(&s, IA_NO, "a bridge (header type %u), not an endpoint", d->hdr_type);
		goto done;
	}
	/* A VF uses its PF's PASID capability (pci_enable_pasid(): only once the PF has PASID on). */
	const struct ia_dev *pd = d;
	if (d->is_vf) {
		pd = d->physfn ? ia_audit_find_dev(a, d->physfn) : NULL;
		if (!pd) {
			sva_add(&s, IA_UNKNOWN, "a VF whose PF is not visible (PASID follows the PF)");
			goto done;
		}
		sva_add(&s, IA_YES, "a VF: PASID works only once its PF %s has PASID enabled", pd->bdf);
	}
	if (pd->has_pasid != IA_YES) {
		sva_add(&s, pd->has_pasid == IA_NO ? IA_NO : IA_UNKNOWN, "%s",
			pd->has_pasid == IA_NO ? "no PASID capability"
					       : "extended configuration space unreadable: PASID capability unknown");
		goto done;
	}
	/* End-End TLP prefix path, unless the Huawei quirk applies */
	if (!sva_pasid_no_tlp(pd)) {
		const struct ia_dev *culprit = NULL;
		enum ia_tri pp = sva_prefix_path(a, pd, &culprit);
		if (pp != IA_YES)
			sva_add(&s, pp, "End-End TLP prefixes (DevCap2 bit 21) %s at %s: pci_enable_pasid() refuses",
				pp == IA_NO ? "not supported" : "unknown", culprit ? culprit->bdf : "a device on the path");
	}
	/* ACS RR|UF from the device up to the root (v6.2, commit 201007ef707a) */
	size_t fn = (size_t)(pd - a->devs);
	/* rows pasid_acs_path and sva_any_group_size (both v6.2) of the behaviour table */
	enum ia_tri acs_checked = ia_kernel_has(a, IA_KB_PASID_ACS_PATH);
	bool pre62 = acs_checked == IA_NO;
	if (!ev->model) {
		sva_add(&s, IA_UNKNOWN, "the topology model is missing (%s): ACS on the path unknown",
			ev->model_error ? ev->model_error : "no devices");
	} else {
		bool fail = false;
		size_t first = 0;
		enum ia_tri acs = ia_topo_acs_path_enabled(ev->model, fn, IA_ACS_RR | IA_ACS_UF, &fail, &first);
		if (acs != IA_YES) {
			const struct ia_dev *fd = fail ? ia_eval_dev_of_fn(ev, first) : NULL;
			if (pre62)
				sva_add(&s, acs, "ACS Request Redirect and Upstream Forwarding %s at %s, and this kernel "
					"(before 6.2) enables PASID without that check: PASID-tagged DMA can be "
					"routed peer-to-peer past the IOMMU", acs == IA_NO ? "are not enabled" : "may not be enabled",
					fd ? fd->bdf : "a device on the path");
			else if (acs_checked == IA_UNKNOWN)
				sva_add(&s, acs, "ACS Request Redirect and Upstream Forwarding %s at %s: from 6.2 "
					"pci_enable_pasid() refuses, before it PASID-tagged DMA can be routed peer-to-peer "
					"past the IOMMU, and this kernel's release does not tell which",
					acs == IA_NO ? "are not enabled" : "may not be enabled", fd ? fd->bdf : "a device on the path");
			else
				sva_add(&s, acs, "ACS Request Redirect and Upstream Forwarding %s at %s: "
					"pci_enable_pasid() refuses (needed since 6.2)",
					acs == IA_NO ? "are not enabled" : "may not be enabled", fd ? fd->bdf : "a device on the path");
		}
	}
	/* Single-device group: required by kernels before 6.2; iommu-audit requires it always (§8.3) */
	if (g->n_devices > 1) {
		if (ia_kernel_has(a, IA_KB_SVA_ANY_GROUP_SIZE) == IA_NO)
			sva_add(&s, IA_NO, "the group has %zu devices: kernels before 6.2 bind SVA only in "
				"single-device groups", g->n_devices);
		else
			sva_add(&s, IA_NO, "the group has %zu devices: a PASID DMA can reach a group peer's MMIO by "
				"address (the kernel allows it since 6.2; a safe SVA needs a single-device group)",
				g->n_devices);
	}
	/* Row sva_x86_disabled: the stable releases whose iommu_sva_bind_device() returns -EOPNOTSUPP
	 * on x86 ("iommu: disable SVA when CONFIG_X86 is set"): 5.15.200, 6.1.163, 6.6.120, 6.12.64 and
	 * later, 6.18.4 to 6.18.6 (6.18.7 took the series' fix), a 5.10 after 5.10.253 not confirmed; no
	 * mainline release. A kernel whose stable level its distribution hides is unknown
	 * (src/decode/kversion.c). */
	bool x86 = ia_audit_arch(a) == 'x';
	enum ia_tri sva_off = x86 || !a->arch ? ia_kernel_has(a, IA_KB_SVA_X86_DISABLED) : IA_NO;
	if (sva_off != IA_NO) {
		int from = 0, sure = 0, last = -1;
		bool line = a->has_kernel_version &&
			    ia_kb_stable_line(IA_KB_SVA_X86_DISABLED, a->kernel_major, a->kernel_minor, &from, &sure, &last) == 0;
		char which[96], tail[96] = "";
		const char *patch = "\"iommu: disable SVA when CONFIG_X86 is set\"";
		if (sure < 0) /* queued for the line, in no release confirmed */
			snprintf(which, sizeof(which), "a %d.%d stable release after %d.%d.%d may", a->kernel_major,
				 a->kernel_minor, a->kernel_major, a->kernel_minor, from - 1);
		else if (last >= 0)
			snprintf(which, sizeof(which), "%d.%d.%d to %d.%d.%d", a->kernel_major, a->kernel_minor, from,
				 a->kernel_major, a->kernel_minor, last);
		else
			snprintf(which, sizeof(which), "%d.%d.%d and later stable releases", a->kernel_major,
				 a->kernel_minor, from);
		if (sure < 0)
			snprintf(tail, sizeof(tail), " (%s: queued, in no release confirmed)", patch);
		else if (last >= 0)
			snprintf(tail, sizeof(tail), " (%s; %d.%d.%d enables it again)", patch, a->kernel_major,
				 a->kernel_minor, last + 1);
		else
			snprintf(tail, sizeof(tail), " (%s)", patch);
		const char *back = sva_off != IA_YES && sure >= 0 && a->kernel_backports ?
				   "; a backporting distribution may have taken it" : "";
		if (line && !a->has_kernel_patch)
			sva_add(&s, IA_UNKNOWN, "Linux %d.%d with its stable level unknown: %s disable SVA on x86%s",
				a->kernel_major, a->kernel_minor, which, tail);
		else if (line)
			sva_add(&s, sva_off == IA_YES && x86 ? IA_NO : IA_UNKNOWN, "Linux %d.%d.%d%s: %s disable SVA on x86%s%s",
				a->kernel_major, a->kernel_minor, a->kernel_patch, x86 ? " on x86" : ", architecture unknown",
				which, tail, back);
		else if (!a->has_kernel_version)
			sva_add(&s, IA_UNKNOWN, "the kernel release is unknown: whether it disables SVA on x86 (%s, in "
				"stable releases from 2026) is not known", patch);
		else /* the row names no stable line of this release: upstream itself (no release so far) */
			sva_add(&s, sva_off == IA_YES && x86 ? IA_NO : IA_UNKNOWN, "Linux %d.%d%s: %s (%s)", a->kernel_major,
				a->kernel_minor, x86 ? " on x86" : ", architecture unknown", sva_off == IA_YES ?
				"this release disables SVA on x86" : "whether this release disables SVA on x86 is not known",
				patch);
	}
	/* What the IOMMU translating it supports */
	const struct ia_unit *u = sva_unit(a, d->iommu_unit);
	if (!u) {
		sva_add(&s, IA_UNKNOWN, "%s", d->iommu_unit ? "its IOMMU unit's registers were not collected"
							    : "no iommu link: which IOMMU translates it is unknown");
	} else if (!strcmp(u->kind, "vt-d")) {
		sva_vtd(ev, sva_host_facts(ev, host), u, d, pd, &s);
	} else if (!strcmp(u->kind, "amd-vi")) {
		sva_amd(sva_host_facts(ev, host), u, pd, &s);
	} else if (!strcmp(u->kind, "smmu-v3")) {
		sva_add(&s, IA_UNKNOWN, "%s is an SMMUv3, whose ID registers (COHACC, ATS, PRI, STALL) sysfs does not "
			"expose: look for \"features 0x...\" bit 17 (SVA) in the boot log", u->name);
	} else if (!strcmp(u->kind, "smmu")) {
		sva_add(&s, IA_NO, "%s is an SMMUv1/v2, which Linux does not use for SVA", u->name);
	} else {
		sva_add(&s, IA_UNKNOWN, "IOMMU %s of kind %s: SVA support not judged", u->name, u->kind);
	}
done:
	out->viable = s.v;
	out->reasons = s.r;
	out->n_reasons = s.n;
	return s.err;
}

static int r_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	struct sva_host host = {0};
	int rc = 0;

	if (!a->n_groups) {
		*why = "the kernel formed no IOMMU groups: SVA needs an active IOMMU";
		return -ENODATA;
	}
	for (size_t gi = 0; gi < a->n_groups && rc == 0; gi++) {
		const struct ia_group *g = &a->groups[gi];
		struct ia_group_verdict *gv = &ev->res->groups[gi];
		gv->sva = calloc(g->n_devices ? g->n_devices : 1, sizeof(*gv->sva));
		if (!gv->sva) {
			rc = -ENOMEM;
			break;
		}
		for (size_t k = 0; k < g->n_devices && rc == 0; k++) {
			struct ia_sva *sv = &gv->sva[gv->n_sva++];
			if (!(sv->bdf = strdup(g->devices[k]))) {
				rc = -ENOMEM;
				break;
			}
			if ((rc = sva_member(ev, &host, g, g->devices[k], sv)) < 0)
				break;
			const struct ia_dev *d = ia_audit_find_dev(a, g->devices[k]);
			const struct ia_dev *pd = d && d->is_vf && d->physfn ? ia_audit_find_dev(a, d->physfn) : d;
			/* A finding only for functions with a PASID capability: those are the ones a user may
			 * expect SVA from; the per-member reasons are in the report either way. */
			if (!pd || pd->has_pasid != IA_YES || sv->viable == IA_YES)
				continue;
			char reasons[1536] = "";
			for (size_t r = 0; r < sv->n_reasons; r++)
				snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons), "%s%s",
					 r ? "; " : "", sv->reasons[r]);
			rc = ia_rule_finding(ev, self, self->level, d->bdf, NULL, reasons,
					     "%s has a PASID capability but shared virtual addressing is %s for it",
					     d->bdf, sv->viable == IA_NO ? "not viable" : "not shown to be viable");
		}
	}
	return rc;
}

const struct ia_rule ia_rule_sva = {
	.id = "device.sva",
	.level = IA_LEVEL_INFO,
	.summary = "Shared virtual addressing (PASID) is not viable for a PASID-capable device",
	.advice = "SVA needs: a single-device group; End-End TLP prefix support from the device to its root "
		  "port; ACS Request Redirect and Upstream Forwarding on the whole path; and an IOMMU with "
		  "PASID (VT-d scalable mode with PASID, PRS and SMPWC; AMD-Vi GT, PPR and EPH; an SMMUv3 with "
		  "SVA). Move the device to a slot that gives it its own group, or use a platform that provides them.",
	.refs = "drivers/pci/ats.c pci_enable_pasid() (ACS RR|UF since v6.2, 201007ef707a); drivers/pci/probe.c "
		"pci_configure_eetlp_prefix(); drivers/iommu/intel/svm.c intel_svm_check(); drivers/iommu/amd/init.c "
		"amd_iommu_pasid_supported(); kernel-rules.md §8",
	.eval = r_eval,
	.gives = IA_GIVES_SVA,
	.kernel = (const enum ia_kb[]){ IA_KB_SVA_ANY_GROUP_SIZE, IA_KB_PASID_ACS_PATH, IA_KB_SVA_X86_DISABLED,
					IA_KB_PCI_REMOVABLE_ATTR },
	.n_kernel = 4,
};

/* device.pasid-unprotected: PASID is enabled now although the fabric may route its requests by address. */
static int r_eval_unprotected(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	const struct ia_audit *a = ev->a;
	int rc = 0;

	if (!ev->model) {
		*why = ev->model_error ? ev->model_error : "no topology model";
		return -ENODATA;
	}
	for (size_t i = 0; i < a->n_devs && rc == 0; i++) {
		const struct ia_dev *d = &a->devs[i];
		if (d->has_pasid != IA_YES || !(d->pasid_ctrl & 1))
			continue;
		bool fail = false;
		size_t first = 0;
		enum ia_tri acs = ia_topo_acs_path_enabled(ev->model, i, IA_ACS_RR | IA_ACS_UF, &fail, &first);
		if (acs == IA_YES)
			continue;
		const struct ia_dev *fd = fail ? ia_eval_dev_of_fn(ev, first) : NULL;
		char evd[256];
		snprintf(evd, sizeof(evd), "PASID Control = 0x%04x (Enable set); ACS RR|UF %s at %s", d->pasid_ctrl,
			 acs == IA_NO ? "not enabled" : "unknown", fd ? fd->bdf : "a device on the path");
		rc = ia_rule_finding(ev, self, acs == IA_NO ? self->level : IA_LEVEL_INFO, d->bdf, NULL, evd,
				     "%s has PASID enabled while ACS Request Redirect/Upstream Forwarding %s on its path: "
				     "PASID-tagged requests are routed by address and can reach a peer without the IOMMU",
				     d->bdf, acs == IA_NO ? "is off" : "may be off");
	}
	return rc;
}

const struct ia_rule ia_rule_pasid_unprotected = {
	.id = "device.pasid-unprotected",
	.level = IA_LEVEL_WARNING,
	.summary = "PASID is enabled on a device whose path lacks ACS Request Redirect and Upstream Forwarding",
	.advice = "Enable ACS RR and UF on every port above the device (firmware setting, or a kernel from 6.2 "
		  "on, which refuses PASID without them), or stop the driver from using PASID.",
	.refs = "drivers/pci/ats.c pci_enable_pasid() (201007ef707a, v6.2); PCIe r6.0 §2.2.10.4; kernel-rules.md §8.2",
	.eval = r_eval_unprotected,
	.needs = IA_GIVES_TOPOLOGY,
};
