// SPDX-License-Identifier: GPL-2.0-or-later
// The groups the kernel would form once its IOMMU runs (rules/when_enabled.h, issue 19).
// Mirrors drivers/pci/pci.c pci_enable_acs()/pci_std_enable_acs() as run when an IOMMU driver has
// called pci_request_acs() (drivers/iommu/intel/dmar.c detect_intel_iommu(), drivers/iommu/amd/init.c,
// drivers/acpi/arm64/iort.c, drivers/iommu/of_iommu.c), kernel-rules.md §2.3 and §3.2.
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/firmware_model.h"
#include "rules/kernel_audit.h"
#include "rules/quirks.h"
#include "rules/when_enabled.h"

/*
 * arm64 behaviour by release: rows arm64_dt_acs_at_enumeration and arm64_groups_at_enumeration of
 * the behaviour table (rules/data/kernel_behaviours.csv), from the known answers
 * arm-{acpi,dt}-{its,v2m}-smmuv3 and their -iommu-off pairs, which 6.12 and 7.3 decided:
 * - dt_acs: a device-tree boot runs the standard ACS enable at enumeration. On 6.12
 *   of_iommu_configure() calls pci_request_acs() only from a driver's probe, after pci_acs_init()
 *   has run for every function, so ACS stays as the firmware left it even with the SMMU on; 7.3
 *   enables it at enumeration, IOMMU on or off.
 * - groups_at_enumeration: every function gets its group at enumeration. On 6.12 (device tree and
 *   IORT) a group is formed when a driver probes the function (of_dma_configure() or
 *   acpi_dma_configure() from really_probe()); 7.3 groups the host bridge and driverless functions too.
 * The rows place the changes: dt_acs in 7.0 (c41e2fb67e26), groups_at_enumeration in 6.15
 * (bcb81ac6ae3c); for an unknown release, or a backporting one before them, the behaviour is not
 * known (IA_UNKNOWN).
 * In the stable releases of row acs_enabled_after_groups a device-tree boot enables ACS at each
 * function's probe, after its group formed (we_dt_acs_enable()).
 */
static enum ia_tri we_dt_acs_enable(const struct ia_audit *a, char *note, size_t cap)
{
	enum ia_tri r = ia_kernel_has(a, IA_KB_ARM64_DT_ACS_AT_ENUMERATION);
	enum ia_tri late = r == IA_YES ? IA_NO : ia_kernel_has(a, IA_KB_ACS_ENABLED_AFTER_GROUPS);
	char rel[320];

	if (late != IA_NO && a->has_kernel_version) {
		/* row acs_enabled_after_groups: ACS enabled at each function's probe, after
		 * of_iommu_configure() requested it and after its own group formed; a port probed before
		 * its children has it on by then */
		ia_kb_releases(IA_KB_ACS_ENABLED_AFTER_GROUPS, rel, sizeof(rel));
		snprintf(note, cap, "%s (%s): which ports have ACS on when a function's group forms depends on the "
			 "order of the probes, so the captured ACS control is kept",
			 late == IA_YES ? "this stable release enables ACS when a driver probes a function, after a "
			 "device-tree boot formed its group" : "some stable releases enable ACS when a driver probes "
			 "a function, after a device-tree boot formed its group, and this kernel cannot be placed "
			 "among them",
			 rel);
		return IA_UNKNOWN;
	}
	ia_kb_releases(IA_KB_ARM64_DT_ACS_AT_ENUMERATION, rel, sizeof(rel));
	if (!a->has_kernel_version)
		snprintf(note, cap, "the kernel release is unknown, and whether a device-tree boot enables ACS "
			 "at enumeration depends on it (%s): the captured ACS control is kept", rel);
	else if (r == IA_UNKNOWN)
		snprintf(note, cap, "whether Linux %d.%d enables ACS at enumeration on a device-tree boot is not known "
			 "(%s): the captured ACS control is kept", a->kernel_major, a->kernel_minor, rel);
	else if (r == IA_YES)
		snprintf(note, cap, "Linux %d.%d enables ACS at enumeration on a device-tree boot (pci_enable_acs(): "
			 "SV, RR, CR and UF where the capability has them)", a->kernel_major, a->kernel_minor);
	else
		snprintf(note, cap, "Linux %d.%d on a device-tree boot leaves ACS as the firmware set it, IOMMU on or "
			 "off (of_iommu_configure() requests ACS only when a driver probes, after enumeration): the "
			 "captured ACS control is what the kernel keeps", a->kernel_major, a->kernel_minor);
	return r;
}

/* @val (a parameter's value) names an SMMU driver's initcall or module. */
static bool we_names_smmu(const char *val)
{
	return strstr(val, "arm_smmu") != NULL || strstr(val, "arm-smmu") != NULL;
}

/* What the operator changes to run the IOMMU @w->iommu names, from the command line and configuration. */
static void we_how(const struct ia_eval *ev, struct ia_when_enabled *w)
{
	char v[160], k[16];
	bool iommu_off = ia_eval_cmdline_token(ev, "iommu", "off") == 1; /* x86 iommu_setup(): no IOMMU at all */

	switch (w->iommu) {
	case IA_ENABLE_VTD: {
		bool off = ia_eval_cmdline_token(ev, "intel_iommu", "off") == 1;
		bool missing = ia_eval_kconfig(ev, "CONFIG_INTEL_IOMMU", k, sizeof(k)) == 0;
		snprintf(w->how, sizeof(w->how), "boot with intel_iommu=on%s%s%s", off ? " instead of intel_iommu=off" : "",
			 iommu_off ? " and without iommu=off" : "",
			 missing ? ", on a kernel built with CONFIG_INTEL_IOMMU (this one is not)" : "");
		break;
	}
	case IA_ENABLE_AMDVI: {
		bool off = ia_eval_cmdline_token(ev, "amd_iommu", "off") == 1;
		bool missing = ia_eval_kconfig(ev, "CONFIG_AMD_IOMMU", k, sizeof(k)) == 0;
		if (off || iommu_off)
			snprintf(w->how, sizeof(w->how), "boot without %s%s%s", off ? "amd_iommu=off" : "",
				 off && iommu_off ? " and " : "", iommu_off ? "iommu=off" : "");
		else
			snprintf(w->how, sizeof(w->how), "let the AMD IOMMU driver run (nothing on this command line "
				 "turns it off; it needs CONFIG_AMD_IOMMU and the IOMMU enabled in the firmware setup)");
		if (missing) {
			size_t l = strlen(w->how);
			snprintf(w->how + l, sizeof(w->how) - l, ", on a kernel built with CONFIG_AMD_IOMMU (this one is not)");
		}
		break;
	}
	case IA_ENABLE_IORT:
	case IA_ENABLE_DT: {
		const char *param = NULL;
		if (ia_eval_cmdline(ev, "initcall_blacklist", v, sizeof(v)) == 1 && we_names_smmu(v))
			param = "initcall_blacklist";
		else if (ia_eval_cmdline(ev, "module_blacklist", v, sizeof(v)) == 1 && we_names_smmu(v))
			param = "module_blacklist";
		if (param)
			snprintf(w->how, sizeof(w->how), "boot without %s=%.160s, so that the SMMU driver (arm-smmu-v3 or "
				 "arm-smmu) registers", param, v);
		else
			snprintf(w->how, sizeof(w->how), "let the SMMU driver (arm-smmu-v3 or arm-smmu) probe: build it in "
				 "or load it at boot");
		break;
	}
	case IA_ENABLE_NONE:
		if (w->firmware_unread)
			snprintf(w->how, sizeof(w->how), "no firmware table was read (no ACPI table nor device tree "
				 "among the inputs: an unprivileged run, or a dump without --acpidump or --dtb), so which "
				 "IOMMU the firmware describes, if any, is unknown");
		else
			snprintf(w->how, sizeof(w->how), "the firmware describes no IOMMU (no DMAR, IVRS, IORT SMMU node or "
				 "device-tree IOMMU): turn the IOMMU on in the firmware setup (Intel VT-d, AMD IOMMU or "
				 "SVM, Arm SMMU), then boot with it on");
		break;
	}
}

static int we_cmp_unit_dev(const void *k, const void *e)
{
	return strcmp((const char *)k, ((const struct ia_fw_unit_dev *)e)->bdf);
}

/* A firmware unit lists @bdf. */
static bool we_covered(const struct ia_firmware *fw, const char *bdf)
{
	return bdf && fw->n_unit_devs &&
	       bsearch(bdf, fw->unit_devs, fw->n_unit_devs, sizeof(*fw->unit_devs), we_cmp_unit_dev);
}

/* The firmware unit that lists @bdf (the first), or -1. */
static long we_unit_of(const struct ia_firmware *fw, const char *bdf)
{
	const struct ia_fw_unit_dev *u = bdf && fw->n_unit_devs ?
		bsearch(bdf, fw->unit_devs, fw->n_unit_devs, sizeof(*fw->unit_devs), we_cmp_unit_dev) : NULL;

	/* bsearch() finds any of a function's rows (sorted by BDF, then unit): the first is wanted */
	while (u && u > fw->unit_devs && !strcmp(u[-1].bdf, bdf))
		u--;
	return u ? (long)u->unit : -1;
}

/* A set of 64-bit keys (open addressing; 0 is never a key: keys carry unit + 1). */
struct we_set {
	uint64_t *v;
	size_t cap, n;
};

static bool we_set_has(const struct we_set *s, uint64_t k)
{
	for (size_t i = (size_t)(k * 0x9e3779b97f4a7c15ull) & (s->cap - 1); s->v[i]; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == k)
			return true;
	return false;
}

static void we_set_put(uint64_t *v, size_t cap, uint64_t k, size_t *n)
{
	size_t i = (size_t)(k * 0x9e3779b97f4a7c15ull) & (cap - 1);

	while (v[i] && v[i] != k)
		i = (i + 1) & (cap - 1);
	*n += !v[i];
	v[i] = k;
}

/* Add @k, the table doubled when it would be more than half full (a function may carry hundreds
 * of requester IDs). 0 or -ENOMEM. */
static int we_set_add(struct we_set *s, uint64_t k)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap * 2, n = 0;
		uint64_t *v = calloc(cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i])
				we_set_put(v, cap, s->v[i], &n);
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	we_set_put(s->v, s->cap, k, &s->n);
	return 0;
}

/*
 * arm-smmu-v3 (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c arm_smmu_insert_master()): a master
 * gets one StreamID per DMA alias (iort_pci_iommu_init() and of_pci_iommu_init() run through
 * pci_for_each_dma_alias()); one already in the SMMU's tree fails the probe ("stream N already in
 * tree from dev ..."), so the function gets no group and its IDs are not added. Two functions
 * behind one PCIe-to-PCI bridge share the bridge's alias: the second to probe is refused (the
 * known answers' 07:02.0 on arm64 6.12 and 7.3). Functions are taken in probe order (@order).
 * Marks them in @refused (and counts them in @n). Return: 0 or -ENOMEM.
 */
static int we_smmuv3_conflicts(const struct ia_firmware *fw, const struct ia_audit *a, const struct ia_topo_model *m,
			       const size_t *order, size_t n_fns, const bool *uncovered, bool *refused, size_t *n)
{
	struct we_set set = { NULL, 64, 0 };
	struct ia_topo_rid *rids = calloc(IA_TOPO_MAX_RIDS, sizeof(*rids));

	while (set.cap < 4 * n_fns + 64)
		set.cap *= 2;
	if (!rids || !(set.v = calloc(set.cap, sizeof(*set.v)))) {
		free(rids);
		return -ENOMEM;
	}
	int rc = 0;
	for (size_t o = 0; o < n_fns && rc == 0; o++) {
		size_t i = order[o];
		const struct ia_dev *d = &a->devs[i];
		long u = we_unit_of(fw, d->is_vf && d->physfn ? d->physfn : d->bdf);
		if (uncovered[i] || u < 0 || strcmp(fw->units[u].kind, "smmu-v3"))
			continue;
		/* each StreamID as (unit + 1) << 48 | domain << 16 | RID */
		int ns = ia_topo_dma_alias_rids(m, i, rids, IA_TOPO_MAX_RIDS);
		if (ns < 0)
			continue;
		bool clash = false;
		for (int k = 0; k < ns && !clash; k++)
			clash = we_set_has(&set, ia_topo_rid_key((size_t)u, &rids[k]));
		if (clash) {
			refused[i] = true;
			(*n)++;
			continue;
		}
		for (int k = 0; k < ns && rc == 0; k++)
			rc = we_set_add(&set, ia_topo_rid_key((size_t)u, &rids[k]));
	}
	free(rids);
	free(set.v);
	return rc;
}

/* pci_quirk_intel_spt_pch_acs_match() and the standard layout: set the bits pci_enable_acs() sets. */
static void we_enable_acs(struct ia_topo_fn *f)
{
	if (f->has_acs != IA_YES)
		return;
	if (f->vendor == 0x8086 && ia_quirk_intel_spt_pch(f->device))
		f->acs_ctrl_dw |= f->acs_cap_dw & IA_ACS_REQ; /* pci_quirk_enable_intel_spt_pch_acs(): control at cap + 8 */
	else
		f->acs_ctrl |= f->acs_cap & IA_ACS_REQ;       /* pci_std_enable_acs() (TB does not bear on groups) */
}

int ia_when_enabled_predict(const struct ia_eval *ev, const struct ia_topo *cur, struct ia_when_enabled *out)
{
	const struct ia_audit *a = ev->a;
	const struct ia_firmware *fw = a->firmware;
	struct ia_topo in = *cur;
	struct ia_topo_fn *fns = NULL;
	bool *uncovered = NULL;
	int rc = -ENOMEM;
	enum ia_tri late;

	memset(out, 0, sizeof(*out));
	out->iommu = !fw ? IA_ENABLE_NONE : fw->describes_dmar ? IA_ENABLE_VTD : fw->describes_ivrs ? IA_ENABLE_AMDVI :
		     fw->describes_iort ? IA_ENABLE_IORT : fw->describes_dt ? IA_ENABLE_DT : IA_ENABLE_NONE;
	static const char *const names[] = { NULL, "Intel VT-d (DMAR)", "AMD-Vi (IVRS)", "Arm SMMU (IORT)",
					     "Arm SMMU (device tree)" };
	out->iommu_name = names[out->iommu];
	out->firmware_unread = out->iommu == IA_ENABLE_NONE && (!fw || (!fw->n_tables && !fw->has_dt));
	we_how(ev, out);
	if (out->iommu == IA_ENABLE_NONE || !cur->n_fns)
		return 0;
	if (out->iommu == IA_ENABLE_DT) {
		out->acs_enable = we_dt_acs_enable(a, out->acs_note, sizeof(out->acs_note));
	} else if ((late = ia_kernel_has(a, IA_KB_ACS_ENABLED_AFTER_GROUPS)) != IA_NO) {
		/* Row acs_enabled_after_groups: ACS enabled at a driver's probe, after the groups. On x86
		 * every group is formed when the IOMMU initialises, before any driver probes, so with the
		 * ACS control the firmware left: what the capture shows while the IOMMU is off. On arm64
		 * with IORT a function's group forms at its own probe, after its bridges' probes may have
		 * enabled theirs: the order decides. */
		char rel[320], why[160];
		ia_kb_releases(IA_KB_ACS_ENABLED_AFTER_GROUPS, rel, sizeof(rel));
		snprintf(why, sizeof(why), "%s, and some stable releases form IOMMU groups before they enable ACS",
			 ia_kernel_unknown_why(a));
		bool acs_params_now = ia_eval_cmdline_token_prefix(ev, "pci", "disable_acs_redir=") == 1 ||
				      ia_eval_cmdline_token_prefix(ev, "pci", "config_acs=") == 1;
		bool optin = out->iommu == IA_ENABLE_VTD && fw->dma_ctrl_platform_opt_in;
		if (late == IA_YES && out->iommu != IA_ENABLE_IORT && !acs_params_now && !optin) {
			out->acs_enable = IA_NO;
			snprintf(out->acs_note, sizeof(out->acs_note), "Linux %d.%d.%d forms IOMMU groups before it enables "
				 "ACS (a stable backport of c41e2fb67e26, since reverted: %s): the groups follow the ACS "
				 "control the firmware left, which the capture shows while the IOMMU is off",
				 a->kernel_major, a->kernel_minor, a->kernel_patch, rel);
		} else {
			out->acs_enable = IA_UNKNOWN;
			snprintf(out->acs_note, sizeof(out->acs_note), "%s (%s): whether the groups see the ACS control "
				 "the firmware left or the one the kernel enables is not known",
				 late != IA_YES ? why : out->iommu == IA_ENABLE_IORT ? "this stable release enables "
				 "ACS when a driver probes a function, after the IOMMU code has formed its group, and on "
				 "arm64 with IORT the order of the probes decides" : acs_params_now ? "this stable "
				 "release forms IOMMU groups before it enables ACS, and pci=config_acs= or "
				 "pci=disable_acs_redir= changed the control after the groups formed, so the capture "
				 "does not show what the groups would see" : "this stable release forms IOMMU groups "
				 "before it enables ACS, and the DMAR's platform opt-in makes the kernel request ACS "
				 "even with intel_iommu=off, so the capture does not show the firmware's control", rel);
		}
	} else {
		out->acs_enable = IA_YES;
		snprintf(out->acs_note, sizeof(out->acs_note), "%s requests ACS before enumeration "
			 "(pci_request_acs()), so pci_enable_acs() sets SV, RR, CR and UF wherever the ACS capability "
			 "has them", out->iommu == IA_ENABLE_VTD ? "the Intel IOMMU detection (detect_intel_iommu())" :
			 out->iommu == IA_ENABLE_AMDVI ? "the AMD IOMMU initialisation (drivers/iommu/amd/init.c)" :
			 "the IORT code (iort_init_platform_devices())");
	}
	if (out->iommu == IA_ENABLE_IORT || out->iommu == IA_ENABLE_DT) {
		enum ia_tri at_enum = ia_kernel_has(a, IA_KB_ARM64_GROUPS_AT_ENUMERATION);
		if (at_enum == IA_NO)
			snprintf(out->probe_note, sizeof(out->probe_note), "Linux %d.%d on arm64 forms a function's group "
				 "when a driver probes it: a function no driver binds (a host bridge) has none until one "
				 "does (binding vfio-pci creates it)", a->kernel_major, a->kernel_minor);
		else if (at_enum == IA_UNKNOWN) {
			char rel[160];
			snprintf(out->probe_note, sizeof(out->probe_note), "whether this kernel forms an arm64 "
				 "function's group at enumeration or only when a driver probes it is not known (%s): "
				 "a function no driver binds may have no group until one does",
				 ia_kb_releases(IA_KB_ARM64_GROUPS_AT_ENUMERATION, rel, sizeof(rel)));
		}
	}
	bool acs_params = ia_eval_cmdline_token_prefix(ev, "pci", "disable_acs_redir=") == 1 ||
			  ia_eval_cmdline_token_prefix(ev, "pci", "config_acs=") == 1;
	if (out->acs_enable == IA_UNKNOWN)
		snprintf(out->uncertain, sizeof(out->uncertain), "%s", out->acs_note);
	else if (acs_params && out->acs_enable == IA_YES)
		snprintf(out->uncertain, sizeof(out->uncertain), "pci=disable_acs_redir= or pci=config_acs= on the "
			 "command line: the kernel applies them over the firmware's ACS control with or without an "
			 "IOMMU, so the captured control is kept for every port, and ports they do not name may "
			 "isolate more");
	fns = malloc(cur->n_fns * sizeof(*fns));
	uncovered = calloc(cur->n_fns, sizeof(*uncovered));
	if (!fns || !uncovered)
		goto out;
	memcpy(fns, cur->fns, cur->n_fns * sizeof(*fns));
	for (size_t i = 0; i < cur->n_fns; i++) {
		const struct ia_dev *d = &a->devs[i];
		if (out->acs_enable == IA_YES && !acs_params)
			we_enable_acs(&fns[i]);
		/* VT-d and the IVRS list physical functions; a VF goes where its PF goes */
		uncovered[i] = !we_covered(fw, d->bdf) && !(d->is_vf && we_covered(fw, d->physfn));
		out->n_uncovered += uncovered[i];
	}
	in.fns = fns;
	/* the Intel PCH enable quirk runs once an IOMMU requested ACS: whether it succeeds depends on
	 * the RCBA, which config space does not show (as for a host whose IOMMU is on) */
	if (out->iommu == IA_ENABLE_VTD)
		in.env.intel_pch_acs_quirk_enabled = IA_UNKNOWN;
	rc = ia_topo_model_new(&in, &out->model, NULL);
	if (rc == 0 && ev->pred && ev->pred->n_fns == cur->n_fns &&
	    (out->iommu == IA_ENABLE_IORT || out->iommu == IA_ENABLE_DT)) {
		bool *refused = calloc(cur->n_fns, sizeof(*refused));
		rc = refused ? we_smmuv3_conflicts(fw, a, out->model, ev->pred->probe_order, cur->n_fns, uncovered,
						   refused, &out->n_refused) : -ENOMEM;
		for (size_t i = 0; rc == 0 && i < cur->n_fns; i++)
			uncovered[i] |= refused[i];
		out->refused = refused;
	}
	if (rc == 0)
		rc = ia_topo_predict_groups(out->model, uncovered, &out->pred);
out:
	free(fns);
	free(uncovered);
	return rc;
}

void ia_when_enabled_free(struct ia_when_enabled *w)
{
	ia_topo_groups_free(w->pred);
	ia_topo_model_free(w->model);
	free(w->refused);
	w->refused = NULL;
	w->pred = NULL;
	w->model = NULL;
}
