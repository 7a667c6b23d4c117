// SPDX-License-Identifier: GPL-2.0-or-later
// Every rule has a case where it must fire and one where it must not, on edited kernel captures;
// the engine orders rules from their declarations, propagates "not evaluated", and fails closed
// on allocation failure.
#include "testutil.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "rules/rules.h"

#define KKA IA_SOURCE_DIR "/tests/fixtures/kernel-known-answers"

/* ---- a failing allocator: malloc interposed for the whole binary, failing the Nth call when armed.
 * Not under AddressSanitizer, whose own allocator the interposition would bypass (libc's strdup()
 * allocates through ASan, and a free() here would hand that pointer to glibc): the out-of-memory
 * test is skipped there and runs in the plain build. */
#if defined(__SANITIZE_ADDRESS__)
#define IA_TEST_NO_INTERPOSE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IA_TEST_NO_INTERPOSE 1
#endif
#endif

#ifndef IA_TEST_NO_INTERPOSE
static long fail_at = -1;   /* -1: never; else the countdown to the failing allocation */
static long n_allocs;       /* allocations since arming, counted */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static bool alloc_fails(void)
{
	if (fail_at < 0)
		return false;
	n_allocs++;
	return fail_at-- == 0;
}

void *malloc(size_t n)
{
	return alloc_fails() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	return alloc_fails() ? NULL : __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	return alloc_fails() ? NULL : __libc_realloc(p, n);
}

void free(void *p)
{
	__libc_free(p);
}
#endif

/* Unpack a capture into a new temp dir, run @edit (a shell snippet; $T is the tree), audit it. */
static json_t *audit_edited(const char *capture, const char *edit, int *status)
{
	char tmpl[256], cmd[4096];
	json_error_t err;

	snprintf(tmpl, sizeof(tmpl), "%s/ia-rules-XXXXXX", ia_scratch_base());
	assert_non_null(mkdtemp(tmpl));
	snprintf(cmd, sizeof(cmd), "T=%s; tar xzf %s/%s/snapshot.tar.gz -C $T && %s", tmpl, KKA, capture,
		 edit ? edit : "true");
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s --root %s --format json --no-names 2>/dev/null", IA_BIN, tmpl);
	char *out = ia_run_capture(cmd, status);
	assert_non_null(out);
	json_t *j = json_loads(out, 0, &err);
	if (!j)
		fail_msg("not JSON: %s", err.text);
	free(out);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpl);
	assert_int_equal(system(cmd), 0);
	return j;
}

static size_t count(json_t *rep, const char *rule, const char *level)
{
	json_t *f;
	size_t i, n = 0;

	json_array_foreach(json_object_get(rep, "findings"), i, f)
		n += !strcmp(json_string_value(json_object_get(f, "rule")), rule) &&
		     (!level || !strcmp(json_string_value(json_object_get(f, "level")), level));
	return n;
}

/* The message of the first finding of @rule, or "" when none. */
static const char *message_of(json_t *rep, const char *rule)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(rep, "findings"), i, f)
		if (!strcmp(json_string_value(json_object_get(f, "rule")), rule))
			return json_string_value(json_object_get(f, "message"));
	return "";
}

static json_t *group(json_t *rep, int id)
{
	json_t *g;
	size_t i;

	json_array_foreach(json_object_get(rep, "groups"), i, g)
		if (json_integer_value(json_object_get(g, "id")) == id)
			return g;
	fail_msg("group %d missing", id);
	return NULL;
}

static void test_iommu_inactive(void **state)
{
	int st;
	json_t *r = audit_edited("x86-intel-noacs-slots/run-6.12", "rm -rf $T/sys/kernel/iommu_groups $T/sys/class/iommu"
				 " && find $T/sys/devices -name iommu_group -delete", &st);
	assert_int_equal(count(r, "host.iommu-inactive", "warning"), 1);
	/* The three answers apart: the firmware describes one, the kernel did not activate it. */
	assert_non_null(strstr(message_of(r, "host.iommu-inactive"), "the firmware describes an IOMMU (DMAR)"));
	/* the capture's intel_iommu=on: no switch to blame */
	assert_null(strstr(message_of(r, "host.iommu-inactive"), "because of"));
	json_decref(r);
	/* igfx_off turns off the graphics unit only; off is the whole-token switch */
	const char *off = "rm -rf $T/sys/kernel/iommu_groups $T/sys/class/iommu && find $T/sys/devices -name iommu_group -delete"
			  " && sed -i 's/intel_iommu=on/intel_iommu=on,igfx_off/' $T/proc/cmdline";
	r = audit_edited("x86-intel-noacs-slots/run-6.12", off, &st);
	assert_null(strstr(message_of(r, "host.iommu-inactive"), "because of"));
	json_decref(r);
	r = audit_edited("x86-intel-noacs-slots/run-6.12", "rm -rf $T/sys/kernel/iommu_groups $T/sys/class/iommu && "
			 "find $T/sys/devices -name iommu_group -delete && sed -i 's/intel_iommu=on/intel_iommu=off/' $T/proc/cmdline", &st);
	assert_non_null(strstr(message_of(r, "host.iommu-inactive"), "because of intel_iommu=off"));
	assert_int_equal(json_array_size(json_object_get(r, "groups")), 0);
	/* Prediction still runs: the groups the kernel would form once the IOMMU is on. */
	assert_int_equal(json_array_size(json_object_get(r, "predicted_groups")), 8);
	json_decref(r);
	r = audit_edited("x86-intel-noacs-slots/run-6.12", NULL, &st);
	assert_int_equal(count(r, "host.iommu-inactive", NULL), 0);
	json_decref(r);
}

static void test_acs_override_and_split_groups(void **state)
{
	int st;
	/* A kernel whose groups are finer than the topology allows: 01:00.0 moved out of group 2. */
	const char *split = "mkdir -p $T/sys/kernel/iommu_groups/99/devices && "
			    "mv $T/sys/kernel/iommu_groups/2/devices/0000:01:00.0 $T/sys/kernel/iommu_groups/99/devices/ && "
			    "cp $T/sys/kernel/iommu_groups/2/type $T/sys/kernel/iommu_groups/2/reserved_regions $T/sys/kernel/iommu_groups/99/ && "
			    "ln -sfn ../../../../kernel/iommu_groups/99 $T/sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0/iommu_group";
	json_t *r = audit_edited("x86-intel-noacs-slots/run-6.12", split, &st);
	assert_int_equal(count(r, "group.prediction-differs", "warning"), 1);
	assert_int_equal(count(r, "host.acs-override", NULL), 0);
	json_decref(r);
	char both[2048];
	snprintf(both, sizeof(both), "%s && echo 'console=ttyS0 intel_iommu=on pcie_acs_override=downstream,multifunction' > $T/proc/cmdline", split);
	r = audit_edited("x86-intel-noacs-slots/run-6.12", both, &st);
	assert_int_equal(count(r, "host.acs-override", "error"), 1);
	assert_int_equal(count(r, "group.prediction-differs", "error"), 1);
	assert_int_equal(st, 1);
	json_decref(r);
	r = audit_edited("x86-intel-noacs-slots/run-6.12", NULL, &st);
	assert_int_equal(count(r, "group.prediction-differs", NULL), 0);
	assert_int_equal(count(r, "host.acs-override", NULL), 0);
	assert_int_equal(st, 0);
	json_decref(r);
}

static void test_direct_region(void **state)
{
	int st;
	json_t *r = audit_edited("x86-intel-noacs-slots/run-6.12",
				 "echo '0x00000000bf000000 0x00000000bf7fffff direct' >> $T/sys/kernel/iommu_groups/2/reserved_regions", &st);
	assert_int_equal(count(r, "group.firmware-direct-region", "error"), 1);
	assert_true(json_is_false(json_object_get(group(r, 2), "userspace_assignable")));
	assert_true(json_is_true(json_object_get(group(r, 5), "userspace_assignable")));
	json_decref(r);
	/* direct-relaxable is an exception, not a blocker; group 7's 0-16 MiB region is the kernel's
	 * floppy workaround for the ISA bridge 00:1f.0, not an RMRR (issue 13 item 5) */
	r = audit_edited("x86-intel-noacs-slots/run-6.12", NULL, &st);
	assert_int_equal(count(r, "group.firmware-direct-region", NULL), 0);
	json_t *ex = json_object_get(group(r, 7), "exceptions"), *e;
	size_t i, relax = 0, rmrr = 0;
	json_array_foreach(ex, i, e) {
		relax += !strcmp(json_string_value(json_object_get(e, "kind")), "isa-floppy-wa") &&
			 !strcmp(json_string_value(json_object_get(e, "bdf")), "0000:00:1f.0");
		rmrr += !strcmp(json_string_value(json_object_get(e, "kind")), "relaxable-rmrr");
	}
	assert_int_equal(relax, 1);
	assert_int_equal(rmrr, 0);
	json_decref(r);
}

static void test_unreadable_reserved_regions_is_unknown(void **state)
{
	int st;
	json_t *r = audit_edited("x86-intel-noacs-slots/run-6.12", "rm $T/sys/kernel/iommu_groups/5/reserved_regions", &st);
	/* Fail closed: no reserved regions read means no verdict, never "assignable". */
	assert_true(json_is_null(json_object_get(group(r, 5), "userspace_assignable")));
	json_decref(r);
	/* A header that cannot be read: bridge or endpoint is unknown, so is the verdict. */
	r = audit_edited("x86-intel-noacs-slots/run-6.12", "truncate -s 10 $T/sys/devices/pci0000:00/0000:00:01.0/config", &st);
	assert_true(json_is_null(json_object_get(group(r, 1), "userspace_assignable")));
	json_decref(r);
}

static void test_not_viable(void **state)
{
	int st;
	json_t *r = audit_edited("x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12", NULL, &st);
	assert_int_equal(count(r, "group.not-viable", "error"), 1);
	json_t *b = json_array_get(json_object_get(group(r, 12), "blockers"), 0);
	assert_string_equal(json_string_value(json_object_get(b, "bdf")), "0000:07:02.0");
	json_decref(r);
	r = audit_edited("x86-intel-scn-c-e1000-vfio-rtl-unbound/run-6.12", NULL, &st);
	assert_int_equal(count(r, "group.not-viable", "error"), 0);
	json_decref(r);
	/* pci-stub keeps a group viable, at a named cost (kernel-rules.md §3.4). */
	r = audit_edited("x86-intel-scn-d-mf-vfio-stub/run-6.12", NULL, &st);
	assert_int_equal(count(r, "group.not-viable", "error"), 0);
	json_t *g, *e;
	size_t i, k, stub = 0;
	json_array_foreach(json_object_get(r, "groups"), i, g)
		json_array_foreach(json_object_get(g, "exceptions"), k, e)
			stub += !strcmp(json_string_value(json_object_get(e, "kind")), "pci-stub");
	assert_true(stub >= 1);
	json_decref(r);
}

static void test_msi_isolation(void **state)
{
	int st;
	json_t *r = audit_edited("arm-dt-v2m-smmuv3/run-6.12", NULL, &st);
	assert_int_equal(count(r, "platform.msi-not-isolated", "error"), 1);
	json_decref(r);
	r = audit_edited("arm-dt-its-smmuv3/run-6.12", NULL, &st);
	assert_int_equal(count(r, "platform.msi-not-isolated", NULL), 0);
	json_decref(r);
	/* allow_unsafe_interrupts is reported, and does not make MSIs isolated. */
	r = audit_edited("arm-dt-v2m-smmuv3/run-6.12",
			 "echo Y > $T/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", &st);
	json_t *ii = json_object_get(json_object_get(r, "platform"), "interrupt_isolation");
	assert_string_equal(json_string_value(json_object_get(ii, "state")), "not_isolated");
	assert_true(json_is_true(json_object_get(ii, "unsafe_interrupts_allowed")));
	json_decref(r);
	/* No MSI active: the firmware's routing still decides (GICv2m exposed, ITS isolated). */
	r = audit_edited("arm-dt-v2m-smmuv3/run-6.12", "grep -v MSI $T/proc/interrupts > $T/i && mv $T/i $T/proc/interrupts", &st);
	ii = json_object_get(json_object_get(r, "platform"), "interrupt_isolation");
	assert_string_equal(json_string_value(json_object_get(ii, "state")), "not_isolated");
	assert_non_null(strstr(json_string_value(json_object_get(ii, "reason")), "gic-v2m"));
	json_decref(r);
	r = audit_edited("arm-acpi-its-smmuv3/run-6.12", "grep -v MSI $T/proc/interrupts > $T/i && mv $T/i $T/proc/interrupts", &st);
	ii = json_object_get(json_object_get(r, "platform"), "interrupt_isolation");
	assert_string_equal(json_string_value(json_object_get(ii, "state")), "isolated");
	json_decref(r);
	/* No interrupt facts on x86: remapping may be off at run time, so unknown, and every
	 * group's verdict stays null. */
	r = audit_edited("x86-intel-noacs-slots/run-6.12", "rm $T/proc/interrupts", &st);
	ii = json_object_get(json_object_get(r, "platform"), "interrupt_isolation");
	assert_string_equal(json_string_value(json_object_get(ii, "state")), "unknown");
	assert_true(json_is_null(json_object_get(group(r, 5), "userspace_assignable")));
	json_decref(r);
}

/* Shell helpers for edits: poke FILE OFFSET 'octal-escaped bytes' (dash's printf has no \x). */
#define POKE "poke() { printf \"$3\" | dd of=\"$1\" bs=1 seek=$(($2)) conv=notrunc status=none; }; "
#define XHCI "$T/sys/devices/pci0000:00/0000:00:05.0/config"
#define NVME "$T/sys/devices/pci0000:00/0000:00:02.1/0000:02:00.0/0000:03:00.0/0000:04:00.0/config"
/* PASID (0x1b) at 0x100 -> ATS (0x0f) at 0x110 on the q35 xHCI, an RCiEP whose DevCap2 has bit 21. */
#define XHCI_PASID_ATS(ctrl) POKE "poke " XHCI " 0x100 '\\033\\000\\001\\021\\000\\024" ctrl "\\000' && " \
	"poke " XHCI " 0x110 '\\017\\000\\001\\000\\000\\000\\000\\000' && "
#define VTD_SM "echo 10d0020f00f4e > $T/sys/class/iommu/dmar0/intel-iommu/ecap && " \
	"echo 1d2008c22260286 > $T/sys/class/iommu/dmar0/intel-iommu/cap && " \
	"sed -i 's/intel_iommu=on/intel_iommu=on,sm_on/' $T/proc/cmdline && "
/* the release and Debian's package version (the stable level's source, src/decode/kversion.c) */
#define OLDER_612 "sed -i 's/6\\.12\\.117+deb12-amd64/6.12.10/; s/Debian 6\\.12\\.117-/Debian 6.12.10-/' $T/proc/version"

static json_t *sva_of(json_t *rep, int gid, const char *bdf)
{
	json_t *s;
	size_t i;

	json_array_foreach(json_object_get(group(rep, gid), "sva"), i, s)
		if (!strcmp(json_string_value(json_object_get(s, "bdf")), bdf))
			return s;
	fail_msg("group %d has no sva entry for %s", gid, bdf);
	return NULL;
}

static bool sva_reason_has(json_t *s, const char *needle)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(s, "reasons"), i, r)
		if (strstr(json_string_value(r), needle))
			return true;
	return false;
}

static void test_sva(void **state)
{
	int st;
	/* Everything SVA needs: PASID+ATS on a single-device RCiEP, VT-d scalable mode with PASID, PRS,
	 * SMPWC, FL1GP, DT, and a 6.12 release before the x86 SVA disable (6.12.64). */
	json_t *r = audit_edited("x86-intel-acs/run-6.12", XHCI_PASID_ATS("\\000") VTD_SM OLDER_612, &st);
	json_t *s = sva_of(r, 6, "0000:00:05.0");
	if (!json_is_true(json_object_get(s, "viable")))
		fail_msg("00:05.0 should be SVA-viable: %s", json_dumps(s, 0));
	assert_int_equal(count(r, "device.sva", NULL), 0);
	/* A device without PASID is not viable, with that reason, and no finding is made about it. */
	assert_true(json_is_false(json_object_get(sva_of(r, 8, "0000:01:00.0"), "viable")));
	assert_true(sva_reason_has(sva_of(r, 8, "0000:01:00.0"), "no PASID capability"));
	json_decref(r);

	/* The same on 6.12.117: the stable x86 SVA disable applies. */
	r = audit_edited("x86-intel-acs/run-6.12", XHCI_PASID_ATS("\\000") VTD_SM "true", &st);
	s = sva_of(r, 6, "0000:00:05.0");
	assert_true(json_is_false(json_object_get(s, "viable")));
	assert_true(sva_reason_has(s, "6.12.117"));
	assert_int_equal(count(r, "device.sva", "info"), 1);
	json_decref(r);

	/* The capture's VT-d has no scalable mode: not viable, said so. */
	r = audit_edited("x86-intel-acs/run-6.12", XHCI_PASID_ATS("\\000") OLDER_612, &st);
	s = sva_of(r, 6, "0000:00:05.0");
	assert_true(json_is_false(json_object_get(s, "viable")));
	assert_true(sva_reason_has(s, "ecap.SMTS"));
	json_decref(r);

	/* The unedited capture: no PASID anywhere, no device.sva finding. */
	r = audit_edited("x86-intel-acs/run-6.12", NULL, &st);
	assert_int_equal(count(r, "device.sva", NULL), 0);
	assert_int_equal(count(r, "device.pasid-unprotected", NULL), 0);
	json_decref(r);
}

/* AMD-Vi: GT, PPR and EPH in the EFR, and a device with PASID, ATS and PRI (page faults arrive as
 * PRI page requests); without PRI it is not viable, and says why. */
static void test_sva_amd(void **state)
{
	int st;
#define AMD_EFR "echo 40000000029d3:0 > $T/sys/class/iommu/ivhd0/amd-iommu/features && "
	json_t *r = audit_edited("x86-amd-iommu/run-6.12", XHCI_PASID_ATS("\\000") AMD_EFR OLDER_612, &st);
	json_t *s = sva_of(r, 6, "0000:00:05.0");
	assert_true(json_is_false(json_object_get(s, "viable")));
	assert_true(sva_reason_has(s, "PRI capability: absent"));
	json_decref(r);
	/* ATS now points on to a PRI capability at 0x120 */
	r = audit_edited("x86-amd-iommu/run-6.12", XHCI_PASID_ATS("\\000")
			 "poke " XHCI " 0x110 '\\017\\000\\001\\022' && poke " XHCI " 0x120 '\\023\\000\\001\\000' && "
			 AMD_EFR OLDER_612, &st);
	s = sva_of(r, 6, "0000:00:05.0");
	if (!json_is_true(json_object_get(s, "viable")))
		fail_msg("00:05.0 should be SVA-viable on AMD-Vi: %s", json_dumps(s, 0));
	json_decref(r);
#undef AMD_EFR
}

static void test_pasid_unprotected(void **state)
{
	int st;
	/* PASID enabled on the NVMe below a switch downstream port without ACS. */
	json_t *r = audit_edited("x86-intel-acs/run-6.12",
				 POKE "poke " NVME " 0x100 '\\033\\000\\001\\000\\000\\024\\001\\000'", &st);
	assert_int_equal(count(r, "device.pasid-unprotected", "warning"), 1);
	json_t *s = sva_of(r, 10, "0000:04:00.0");
	assert_true(json_is_false(json_object_get(s, "viable")));
	assert_true(sva_reason_has(s, "ACS Request Redirect"));
	json_decref(r);
	/* PASID enabled on a root-bus RCiEP: nothing to route peer-to-peer. */
	r = audit_edited("x86-intel-acs/run-6.12", XHCI_PASID_ATS("\\001") "true", &st);
	assert_int_equal(count(r, "device.pasid-unprotected", NULL), 0);
	json_decref(r);
}

static json_t *noiommu(json_t *rep)
{
	return json_object_get(json_object_get(rep, "platform"), "noiommu");
}

static void test_noiommu(void **state)
{
	int st;
	/* The captures hold no sys/module/vfio and no kernel config, but proc/modules lists vfio and the
	 * parameters of vfio_pci and vfio_iommu_type1 were captured: vfio has no parameter, so
	 * CONFIG_VFIO_NOIOMMU=n (issue 13 item 1). */
	json_t *r = audit_edited("x86-intel-acs/run-6.12", NULL, &st);
	assert_string_equal(json_string_value(json_object_get(noiommu(r), "state")), "unavailable");
	assert_int_equal(count(r, "host.noiommu", NULL), 0);
	json_decref(r);
	/* vfio not loaded: nothing tells, unknown, and said so */
	r = audit_edited("x86-intel-acs/run-6.12", "sed -i '/^vfio /d' $T/proc/modules", &st);
	assert_string_equal(json_string_value(json_object_get(noiommu(r), "state")), "unknown");
	assert_int_equal(count(r, "host.noiommu", NULL), 0);
	json_decref(r);
	/* the parameter on the command line of a kernel without CONFIG_VFIO_NOIOMMU: ignored, never "enabled" */
	r = audit_edited("x86-intel-acs/run-6.12", "sed -i 's/$/ vfio.enable_unsafe_noiommu_mode=1/' $T/proc/cmdline", &st);
	assert_string_equal(json_string_value(json_object_get(noiommu(r), "state")), "unavailable");
	assert_int_equal(count(r, "host.noiommu", "info"), 1);
	json_decref(r);
	/* vfio loaded without the parameter: compiled out. */
	r = audit_edited("x86-intel-acs/run-6.12", "mkdir -p $T/sys/module/vfio", &st);
	assert_string_equal(json_string_value(json_object_get(noiommu(r), "state")), "unavailable");
	assert_true(json_is_false(json_object_get(noiommu(r), "compiled")));
	assert_int_equal(count(r, "host.noiommu", NULL), 0);
	json_decref(r);
	/* compiled in, off */
	r = audit_edited("x86-intel-acs/run-6.12", "mkdir -p $T/sys/module/vfio/parameters && "
			 "echo N > $T/sys/module/vfio/parameters/enable_unsafe_noiommu_mode", &st);
	assert_string_equal(json_string_value(json_object_get(noiommu(r), "state")), "available");
	assert_int_equal(count(r, "host.noiommu", NULL), 0);
	json_decref(r);
	/* enabled: a warning */
	r = audit_edited("x86-intel-acs/run-6.12", "mkdir -p $T/sys/module/vfio/parameters && "
			 "echo Y > $T/sys/module/vfio/parameters/enable_unsafe_noiommu_mode", &st);
	assert_string_equal(json_string_value(json_object_get(noiommu(r), "state")), "enabled");
	assert_int_equal(count(r, "host.noiommu", "warning"), 1);
	json_decref(r);
	/* a bare boolean flag on the command line means Y (param_set_bool()), with CONFIG_VFIO_NOIOMMU=y
	 * and vfio not loaded yet */
	r = audit_edited("x86-intel-acs/run-6.12", "sed -i 's/$/ vfio.enable_unsafe_noiommu_mode/' $T/proc/cmdline && "
			 "sed -i '/^vfio /d' $T/proc/modules && echo CONFIG_VFIO_NOIOMMU=y | gzip > $T/proc/config.gz", &st);
	assert_string_equal(json_string_value(json_object_get(noiommu(r), "state")), "enabled");
	json_decref(r);
	/* a vfio-noiommu group on a host without IOMMU: its group is never assignable, and the IOMMU is
	 * still reported inactive (the no-IOMMU group is not a translated group) */
	r = audit_edited("x86-intel-acs/run-6.12", "rm -rf $T/sys/kernel/iommu_groups $T/sys/class/iommu && "
			 "find $T/sys/devices -name iommu_group -delete && "
			 "mkdir -p $T/sys/kernel/iommu_groups/0/devices && echo vfio-noiommu > $T/sys/kernel/iommu_groups/0/name && "
			 "echo > $T/sys/kernel/iommu_groups/0/reserved_regions && "
			 "ln -s ../../../../devices/pci0000:00/0000:00:02.0/0000:01:00.0 $T/sys/kernel/iommu_groups/0/devices/0000:01:00.0 && "
			 "ln -s ../../../../kernel/iommu_groups/0 $T/sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0/iommu_group", &st);
	assert_int_equal(count(r, "host.noiommu", "error"), 1);
	assert_int_equal(count(r, "host.iommu-inactive", "warning"), 1);
	assert_int_equal(count(r, "group.prediction-differs", NULL), 0);
	assert_true(json_is_false(json_object_get(json_object_get(json_object_get(r, "platform"), "iommu"), "kernel_active")));
	json_t *g0 = group(r, 0), *b;
	assert_true(json_is_false(json_object_get(g0, "userspace_assignable")));
	size_t bi, nb = 0;
	json_array_foreach(json_object_get(g0, "blockers"), bi, b)
		nb += !strcmp(json_string_value(json_object_get(b, "rule")), "host.noiommu");
	assert_int_equal(nb, 1);
	json_decref(r);
	/* in use: a /dev/vfio/noiommu-N node (IOMMU groups absent): an error naming the group */
	r = audit_edited("x86-intel-acs/run-6.12", "mkdir -p $T/sys/module/vfio/parameters && "
			 "echo Y > $T/sys/module/vfio/parameters/enable_unsafe_noiommu_mode && touch $T/dev/vfio/noiommu-0", &st);
	assert_int_equal(count(r, "host.noiommu", "error"), 1);
	assert_int_equal(json_array_size(json_object_get(noiommu(r), "groups")), 1);
	assert_int_equal(st, 1);
	json_decref(r);
}

static void test_identity_domain(void **state)
{
	int st;
	json_t *r = audit_edited("x86-intel-acs/run-6.12", "for t in $T/sys/kernel/iommu_groups/*/type; do echo identity > $t; done && "
				 "sed -i 's/intel_iommu=on/intel_iommu=on iommu=pt/' $T/proc/cmdline", &st);
	assert_int_equal(count(r, "host.identity-domain", "info"), 1);
	json_t *f;
	size_t i;
	json_array_foreach(json_object_get(r, "findings"), i, f)
		if (!strcmp(json_string_value(json_object_get(f, "rule")), "host.identity-domain"))
			assert_non_null(strstr(json_string_value(json_object_get(f, "evidence")), "iommu=pt"));
	json_decref(r);
	r = audit_edited("x86-intel-acs/run-6.12", NULL, &st);
	assert_int_equal(count(r, "host.identity-domain", NULL), 0);
	json_decref(r);
}

static void test_external_dma(void **state)
{
	int st;
	const char *rem = "echo removable > $T/sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0/removable";
	json_t *r = audit_edited("x86-intel-acs/run-6.12", rem, &st);
	assert_int_equal(count(r, "host.external-dma", "info"), 1);
	json_decref(r);
	char off[1024];
	snprintf(off, sizeof(off), "%s && rm -rf $T/sys/kernel/iommu_groups $T/sys/class/iommu && "
		 "find $T/sys/devices -name iommu_group -delete", rem);
	r = audit_edited("x86-intel-acs/run-6.12", off, &st);
	assert_int_equal(count(r, "host.external-dma", "warning"), 1);
	json_decref(r);
	r = audit_edited("x86-intel-acs/run-6.12", "echo fixed > $T/sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0/removable", &st);
	assert_int_equal(count(r, "host.external-dma", NULL), 0);
	json_decref(r);
}

/*
 * Write a DMAR (VT-d spec §8) with one INCLUDE_PCI_ALL DRHD and one RMRR [0xbf000000, 0xbf7fffff]
 * whose device scope is the endpoint 00:@dev.0, with a correct checksum; return its path.
 */
static const char *write_dmar_rmrr(uint8_t dev)
{
	static char path[] = "/tmp/ia-dmar-XXXXXX";
	uint8_t t[48 + 16 + 32] = { 'D', 'M', 'A', 'R' };
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	t[4] = sizeof(t);
	t[8] = 1;                                   /* revision */
	memcpy(t + 10, "IATEST", 6);
	t[36] = 38;                                 /* HAW: 39 bits */
	t[37] = 1;                                  /* INTR_REMAP */
	uint8_t *d = t + 48;                        /* DRHD */
	d[0] = 0; d[2] = 16; d[4] = 1;              /* type 0, length 16, INCLUDE_PCI_ALL */
	d[8 + 2] = 0xd9; d[8 + 3] = 0xfe;           /* base 0xfed90000 */
	uint8_t *r = t + 64;                        /* RMRR */
	r[0] = 1; r[2] = 32;
	r[8 + 3] = 0xbf;                            /* base 0xbf000000 */
	r[16 + 0] = 0xff; r[16 + 1] = 0xff; r[16 + 2] = 0x7f; r[16 + 3] = 0xbf; /* limit 0xbf7fffff */
	uint8_t *sc = r + 24;                       /* device scope: endpoint, 00:dev.0 */
	sc[0] = 1; sc[1] = 8; sc[5] = 0; sc[6] = dev; sc[7] = 0;
	uint8_t sum = 0;
	for (size_t i = 0; i < sizeof(t); i++)
		sum += t[i];
	t[9] = (uint8_t)(0x100 - sum);
	assert_int_equal(write(fd, t, sizeof(t)), (ssize_t)sizeof(t));
	close(fd);
	return path;
}

/* The IOMMU is off today, but the DMAR's RMRR will block its device once it is on (users.md ask 5). */
static void test_direct_region_predeploy(void **state)
{
	int st;
	char cmd[1024];
	const char *dmar = write_dmar_rmrr(5); /* 00:05.0 is the q35 xHCI */

	snprintf(cmd, sizeof(cmd), "cp %s $T/sys/firmware/acpi/tables/DMAR && rm -rf $T/sys/kernel/iommu_groups "
		 "$T/sys/class/iommu && find $T/sys/devices -name iommu_group -delete", dmar);
	/* The RMRR names the USB controller: relaxable, so no warning. */
	json_t *r = audit_edited("x86-intel-noacs-slots/run-6.12", cmd, &st);
	assert_int_equal(json_array_size(json_object_get(json_object_get(r, "platform"), "firmware_regions")), 1);
	assert_int_equal(count(r, "group.firmware-direct-region", NULL), 0);
	json_decref(r);
	/* The same RMRR on a function that is neither USB nor graphics: a pre-deployment warning. */
	snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd),
		 " && echo 0x020000 > $T/sys/devices/pci0000:00/0000:00:05.0/class"
		 " && rm -f $T/sys/devices/pci0000:00/0000:00:05.0/modalias");
	r = audit_edited("x86-intel-noacs-slots/run-6.12", cmd, &st);
	assert_int_equal(count(r, "group.firmware-direct-region", "warning"), 1);
	assert_non_null(strstr(message_of(r, "group.firmware-direct-region"), "0000:00:05.0"));
	json_decref(r);
	unlink(dmar);
}

/* Find the device object with @bdf in the report. */
static json_t *device(json_t *rep, const char *bdf)
{
	json_t *d;
	size_t i;

	json_array_foreach(json_object_get(rep, "devices"), i, d)
		if (!strcmp(json_string_value(json_object_get(d, "bdf")), bdf))
			return d;
	fail_msg("device %s missing", bdf);
	return NULL;
}

/*
 * A function behind an Intel VMD (its own domain 0x10000, host bridge nested in the VMD function's
 * directory) shares the VMD endpoint's group (pci_real_dma_dev()); the prediction must agree, and
 * the domain must not be folded into segment 0.
 */
static void test_vmd(void **state)
{
	int st;
	const char *vmd =
		"V=$T/sys/devices/pci0000:00/0000:00:05.0/pci10000:e0 && mkdir -p $V && "
		"cp -a $T/sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0 $V/10000:e0:17.0 && "
		"ln -sfn ../../../../../kernel/iommu_groups/6 $V/10000:e0:17.0/iommu_group && "
		"ln -sfn ../../../../../bus/pci/drivers/vfio-pci $V/10000:e0:17.0/driver && "
		"ln -s ../../../devices/pci0000:00/0000:00:05.0/pci10000:e0/10000:e0:17.0 $T/sys/bus/pci/devices/10000:e0:17.0 && "
		"ln -s ../../../../devices/pci0000:00/0000:00:05.0/pci10000:e0/10000:e0:17.0 "
		"$T/sys/kernel/iommu_groups/6/devices/10000:e0:17.0";
	json_t *r = audit_edited("x86-intel-acs/run-6.12", vmd, &st);
	json_t *d = device(r, "10000:e0:17.0"), *x = device(r, "0000:00:05.0");
	assert_int_equal(json_integer_value(json_object_get(d, "iommu_group")), 6);
	assert_int_equal(json_integer_value(json_object_get(d, "predicted_group")),
			 json_integer_value(json_object_get(x, "predicted_group")));
	assert_int_equal(count(r, "group.prediction-differs", NULL), 0);
	json_decref(r);
	/* The VMD function in a group of its own: finer than pci_real_dma_dev() allows, and said so. */
	char split[2048];
	snprintf(split, sizeof(split), "%s && mkdir -p $T/sys/kernel/iommu_groups/99/devices && "
		 "mv $T/sys/kernel/iommu_groups/6/devices/10000:e0:17.0 $T/sys/kernel/iommu_groups/99/devices/ && "
		 "cp $T/sys/kernel/iommu_groups/6/type $T/sys/kernel/iommu_groups/6/reserved_regions "
		 "$T/sys/kernel/iommu_groups/99/ && ln -sfn ../../../../../kernel/iommu_groups/99 $V/10000:e0:17.0/iommu_group",
		 vmd);
	r = audit_edited("x86-intel-acs/run-6.12", split, &st);
	assert_int_equal(json_integer_value(json_object_get(device(r, "10000:e0:17.0"), "iommu_group")), 99);
	assert_int_equal(count(r, "group.prediction-differs", NULL), 1);
	json_decref(r);
}

/* Whether rule @rule was reported as not evaluated. */
static bool not_evaluated(json_t *rep, const char *rule)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(rep, "findings"), i, f)
		if (!strcmp(json_string_value(json_object_get(f, "rule")), "rule.not-evaluated") &&
		    !strcmp(json_string_value(json_object_get(f, "subject")), rule))
			return true;
	return false;
}

static void test_iommu_not_coherent(void **state)
{
	int st;
	/* The QEMU virt SMMUv3 is declared dma-coherent: evaluated, nothing found. */
	json_t *r = audit_edited("arm-dt-its-smmuv3/run-6.12", NULL, &st);
	assert_int_equal(count(r, "group.iommu-not-coherent", NULL), 0);
	assert_false(not_evaluated(r, "group.iommu-not-coherent"));
	json_decref(r);
	/* The same device tree without dma-coherent on the SMMU: every PCI group is refused by VFIO. */
	r = audit_edited("arm-dt-its-smmuv3/run-6.12",
			 "dtc -q -I dtb -O dts -o $T/fdt.dts $T/sys/firmware/fdt && "
			 "awk '/smmuv3@/ {s=1} s && /dma-coherent;/ {s=0; next} {print}' $T/fdt.dts > $T/fdt2.dts && "
			 "! cmp -s $T/fdt.dts $T/fdt2.dts && dtc -q -I dts -O dtb -o $T/sys/firmware/fdt $T/fdt2.dts && "
			 "rm $T/fdt.dts $T/fdt2.dts", &st);
	assert_true(count(r, "group.iommu-not-coherent", "error") > 0);
	json_t *g;
	size_t i, blocked = 0;
	json_array_foreach(json_object_get(r, "groups"), i, g)
		blocked += json_is_false(json_object_get(g, "userspace_assignable"));
	assert_true(blocked > 0);
	assert_int_equal(st, 1);
	json_decref(r);
}

static void test_vfio_pci_refuses(void **state)
{
	int st;
	const char *e1000e = "$T/sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0";
	char cmd[1024];

	json_t *r = audit_edited("x86-intel-acs/run-6.12", NULL, &st);
	assert_int_equal(count(r, "device.vfio-pci-refuses", NULL), 0);
	json_decref(r);
	/* a PF with VFs enabled: an SR-IOV capability at 0x100 (TotalVFs 8, NumVFs 4) and the attributes */
	snprintf(cmd, sizeof(cmd), POKE "poke %s/config 0x100 '\\020\\000\\001\\000' && "
		 "poke %s/config 0x10e '\\010\\000\\004\\000' && "
		 "echo 4 > %s/sriov_numvfs && echo 8 > %s/sriov_totalvfs && "
		 "ln -sfn ../../../../bus/pci/drivers/e1000e %s/driver", e1000e, e1000e, e1000e, e1000e, e1000e);
	r = audit_edited("x86-intel-acs/run-6.12", cmd, &st);
	assert_int_equal(count(r, "device.vfio-pci-refuses", "info"), 1);
	assert_non_null(strstr(message_of(r, "device.vfio-pci-refuses"), "4 VFs enabled"));
	json_decref(r);
	/* the same PF already on vfio-pci (it created the VFs itself, enable_sriov=1): nothing to refuse */
	*strstr(cmd, " && ln -sfn") = '\0';
	r = audit_edited("x86-intel-acs/run-6.12", cmd, &st);
	assert_int_equal(count(r, "device.vfio-pci-refuses", NULL), 0);
	json_decref(r);
	/* a denylisted QAT, unbound (bound to vfio-pci it would prove the denylist off), and the same
	 * with the denylist disabled on the command line */
	snprintf(cmd, sizeof(cmd), "echo 0x8086 > %s/vendor && echo 0x0435 > %s/device && rm -f %s/modalias "
		 "%s/driver", e1000e, e1000e, e1000e, e1000e);
	r = audit_edited("x86-intel-acs/run-6.12", cmd, &st);
	assert_int_equal(count(r, "device.vfio-pci-refuses", "info"), 1);
	assert_non_null(strstr(message_of(r, "device.vfio-pci-refuses"), "denylist"));
	json_decref(r);
	/* (the capture holds vfio_pci's parameters, which win over the command line) */
	snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd),
		 " && echo Y > $T/sys/module/vfio_pci/parameters/disable_denylist");
	r = audit_edited("x86-intel-acs/run-6.12", cmd, &st);
	assert_int_equal(count(r, "device.vfio-pci-refuses", NULL), 0);
	json_decref(r);
}

/* A group whose devices/ cannot be listed is never called viable: the members come from the
 * functions' iommu_group links as well, and the verdict is unknown at best. */
static void test_unlisted_group_members(void **state)
{
	int st;
	json_t *r = audit_edited("x86-intel-scn-a-nvme-vfio/run-6.12", NULL, &st);
	assert_true(json_is_false(json_object_get(group(r, 13), "dma_ownership_viable")));
	json_decref(r);
	r = audit_edited("x86-intel-scn-a-nvme-vfio/run-6.12", "rm -rf $T/sys/kernel/iommu_groups/13/devices && "
			 "touch $T/sys/kernel/iommu_groups/13/devices", &st);
	json_t *g = group(r, 13);
	assert_false(json_is_true(json_object_get(g, "dma_ownership_viable")));
	assert_false(json_is_true(json_object_get(g, "userspace_assignable")));
	assert_int_equal(json_array_size(json_object_get(g, "devices")), 2);
	json_decref(r);
}

/* A malformed modalias (a signed field; a lower-case digit, which the kernel's %02X never
 * prints) is not believed: the IDs and class come from the attributes. */
static void test_malformed_modalias(void **state)
{
	static const char *const edits[] = { "s/bc02sc00i00/bc00sc-1i00/", "s/bc02sc00i00/bc0asc00i00/" };
	for (size_t k = 0; k < 2; k++) {
		int st;
		char cmd[512];
		snprintf(cmd, sizeof(cmd), "M=$T/sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0/modalias && "
			 "sed -i '%s' $M && ! grep -q bc02 $M", edits[k]);
		json_t *r = audit_edited("x86-intel-acs/run-6.12", cmd, &st);
		json_t *d = NULL, *x;
		size_t i;
		json_array_foreach(json_object_get(r, "devices"), i, x)
			if (!strcmp(json_string_value(json_object_get(x, "bdf")), "0000:01:00.0"))
				d = x;
		assert_non_null(d);
		assert_string_equal(json_string_value(json_object_get(d, "class")), "0x020000");
		json_decref(r);
	}
	(void)state;
}

/* A driver "link" that is not a link (a corrupt capture): the driver is unknown, not "unbound",
 * so the group is not called viable. */
static void test_unreadable_driver_link(void **state)
{
	int st;
	json_t *r = audit_edited("x86-intel-scn-a-nvme-vfio/run-6.12",
				 "D=$(find $T/sys/devices -name 0000:08:00.1 -type d) && rm $D/driver && echo virtio-pci > $D/driver", &st);
	json_t *g = group(r, 13);
	assert_false(json_is_true(json_object_get(g, "dma_ownership_viable")));
	assert_false(json_is_true(json_object_get(g, "userspace_assignable")));
	char *all = json_dumps(r, 0);
	assert_non_null(strstr(all, "0000:08:00.1/driver"));
	free(all);
	json_decref(r);
}

static void test_rules_listing(void **state)
{
	char cmd[512];
	int st;

	snprintf(cmd, sizeof(cmd), "%s rules", IA_BIN);
	char *out = ia_run_capture(cmd, &st);
	assert_int_equal(st, 0);
	static const char *const ids[] = { "host.iommu-inactive", "host.acs-override", "group.prediction-differs",
					   "isolation.p2p-domain", "group.not-viable", "group.firmware-direct-region",
					   "platform.msi-not-isolated", "group.verdict", "device.sva",
					   "device.pasid-unprotected", "host.noiommu", "host.identity-domain",
					   "host.external-dma", "group.iommu-not-coherent",
					   "device.vfio-pci-refuses" };
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		if (!strstr(out, ids[i]))
			fail_msg("`iommu-audit rules` does not list %s", ids[i]);
	free(out);
}

/* ---- the engine ---------------------------------------------------------------------------- */

static int fake_eval(struct ia_eval *ev, const struct ia_rule *self, const char **why)
{
	(void)ev, (void)self, (void)why;
	return 0;
}

/* The shipped table orders as listed (stable), every rule after every giver of what it needs;
 * a need nobody gives and a cycle are errors. */
static void test_rules_order(void **state)
{
	size_t order[64];
	char err[256];
	(void)state;

	assert_true(ia_n_rules <= 64);
	assert_int_equal(ia_rules_order(ia_rules, ia_n_rules, order, err, sizeof(err)), 0);
	for (size_t k = 0; k < ia_n_rules; k++) {
		assert_int_equal(order[k], k); /* the table already respects the declarations */
		for (size_t j = k + 1; j < ia_n_rules; j++)
			if (ia_rules[order[j]]->gives & ia_rules[order[k]]->needs)
				fail_msg("%s runs before %s, which gives what it needs", ia_rules[order[k]]->id,
					 ia_rules[order[j]]->id);
	}
	/* group.verdict needs ownership */
	const struct ia_rule a = { .id = "a", .eval = fake_eval, .needs = IA_GIVES_OWNERSHIP, .gives = IA_GIVES_ENDPOINT };
	const struct ia_rule b = { .id = "b", .eval = fake_eval, .gives = IA_GIVES_OWNERSHIP };
	const struct ia_rule c = { .id = "c", .eval = fake_eval, .needs = IA_GIVES_TOPOLOGY };
	const struct ia_rule *const t1[] = { &a, &c, &b };
	assert_int_equal(ia_rules_order(t1, 3, order, err, sizeof(err)), 0);
	assert_int_equal(order[0], 1); /* c: the engine gives the topology */
	assert_int_equal(order[1], 2); /* b before a */
	assert_int_equal(order[2], 0);
	/* a need nobody gives */
	const struct ia_rule *const t2[] = { &a, &c };
	assert_int_equal(ia_rules_order(t2, 2, order, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "a needs ownership, which no rule gives");
	/* a cycle */
	const struct ia_rule x = { .id = "x", .eval = fake_eval, .needs = IA_GIVES_IRQ, .gives = IA_GIVES_SVA };
	const struct ia_rule y = { .id = "y", .eval = fake_eval, .needs = IA_GIVES_SVA, .gives = IA_GIVES_IRQ };
	const struct ia_rule *const t3[] = { &c, &x, &y };
	assert_int_equal(ia_rules_order(t3, 3, order, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "rules form a cycle: x y");
	const struct ia_rule z = { .id = "z", .eval = fake_eval, .needs = IA_GIVES_SVA, .gives = IA_GIVES_SVA };
	const struct ia_rule *const t4[] = { &z };
	assert_int_equal(ia_rules_order(t4, 1, order, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "z needs sva, which it gives itself");
}

/* A fact database of @capture (run-6.12), collected by the binary into a temp file; its path in @path. */
static sqlite3 *collect_db(const char *capture, char *path, size_t cap)
{
	char cmd[1024];
	const char *err;
	sqlite3 *db = NULL;
	int st;

	snprintf(path, cap, "%s/ia-rules-%d.db", ia_scratch_base(), (int)getpid());
	unlink(path);
	snprintf(cmd, sizeof(cmd), "%s collect --snapshot %s/%s/run-6.12/snapshot.tar.gz --db %s 2>/dev/null", IA_BIN, KKA,
		 capture, path);
	free(ia_run_capture(cmd, &st));
	assert_int_equal(st, 0);
	assert_int_equal(ia_db_open(&db, path, false, &err), 0);
	return db;
}

/* Without groups, group.verdict is not evaluated because its prerequisite (group.not-viable, which
 * gives ownership) was not, with that reason; without devices, the rules that need the topology
 * are not evaluated with the engine's reason. */
static void test_prerequisite_not_evaluated(void **state)
{
	struct ia_audit a = {0};
	struct ia_result r = {0};
	sqlite3 *db = NULL;
	const char *err;
	(void)state;

	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	assert_int_equal(ia_audit_load(db, &a), 0);
	assert_int_equal(ia_rules_run(&a, NULL, &r), 0);
	bool verdict = false, domain = false;
	for (size_t i = 0; i < r.n_not_evaluated; i++) {
		verdict |= !strcmp(r.not_evaluated[i], "group.verdict: not evaluated: the kernel formed no IOMMU groups");
		domain |= !strcmp(r.not_evaluated[i], "isolation.p2p-domain: not evaluated: no PCI functions were collected");
	}
	assert_true(verdict);
	assert_true(domain);
	assert_int_equal(r.verdict.exit_status, 0);
	ia_result_free(&r);
	ia_audit_free(&a);
	ia_db_close(db);
}

/* Every blocker and exception names the rule that made it; a blocker's finding, when linked, is a
 * finding of that rule; a group with a blocker is not assignable (x86-intel-scn-a: ownership,
 * isolation-domain and verdict blockers). */
static void test_contributions_linked(void **state)
{
	char path[512];
	sqlite3 *db = collect_db("x86-intel-scn-a-nvme-vfio", path, sizeof(path));
	struct ia_audit a = {0};
	struct ia_result r = {0};
	size_t linked = 0, blockers = 0;
	(void)state;

	assert_int_equal(ia_audit_load(db, &a), 0);
	assert_int_equal(ia_rules_run(&a, NULL, &r), 0);
	assert_int_equal(r.n_groups, a.n_groups);
	for (size_t g = 0; g < r.n_groups; g++) {
		const struct ia_group_verdict *v = &r.groups[g];
		assert_int_equal(v->n_pending, 0);
		assert_int_equal(v->n_notes, 0); /* no policy, nothing lifted */
		for (size_t k = 0; k < v->n_blockers; k++) {
			const struct ia_contrib *c = &v->blockers[k];
			assert_non_null(c->rule);
			assert_int_equal(c->kind, IA_CONTRIB_BLOCKER);
			assert_string_equal(c->what, c->rule->id);
			blockers++;
			if (c->finding == IA_NO_FINDING)
				continue;
			assert_true(c->finding < r.n_findings);
			assert_string_equal(r.findings[c->finding].rule, c->rule->id);
			linked++;
		}
		for (size_t k = 0; k < v->n_exceptions; k++)
			assert_non_null(v->exceptions[k].rule);
		if (v->n_blockers)
			assert_int_equal(v->userspace_assignable, IA_NO);
	}
	assert_true(blockers > linked && linked > 0); /* group.verdict's have no finding */
	ia_result_free(&r);
	ia_audit_free(&a);
	ia_db_close(db);
	unlink(path);
}

/* Every allocation of ia_rules_run() failing in turn: -ENOMEM or a complete result, never a
 * finding, blocker or note with a NULL string (ia_group_note() and the engine used to keep
 * unchecked strdup() results, returning 0 with NULL fields). */
static void test_rules_run_out_of_memory(void **state)
{
#ifdef IA_TEST_NO_INTERPOSE
	(void)state;
	skip(); /* no failing allocator under AddressSanitizer (see above) */
#else
	char path[512];
	sqlite3 *db = collect_db("x86-intel-scn-a-nvme-vfio", path, sizeof(path));
	long total;
	(void)state;

	/* count the allocations of one run */
	struct ia_audit a = {0};
	struct ia_result r = {0};
	assert_int_equal(ia_audit_load(db, &a), 0);
	n_allocs = 0;
	fail_at = 1L << 40;
	assert_int_equal(ia_rules_run(&a, NULL, &r), 0);
	fail_at = -1;
	total = n_allocs;
	ia_result_free(&r);
	ia_audit_free(&a);
	assert_true(total > 10);
	size_t enomem = 0;
	for (long n = 0; n < total; n++) {
		struct ia_audit b = {0};
		struct ia_result q = {0};
		assert_int_equal(ia_audit_load(db, &b), 0);
		fail_at = n;
		int rc = ia_rules_run(&b, NULL, &q);
		fail_at = -1;
		if (rc != 0 && rc != -ENOMEM)
			fail_msg("allocation %ld failing: ia_rules_run() returned %d", n, rc);
		enomem += rc == -ENOMEM;
		for (size_t i = 0; rc == 0 && i < q.n_findings; i++)
			assert_true(q.findings[i].rule && q.findings[i].subject && q.findings[i].message);
		for (size_t g = 0; rc == 0 && g < q.n_groups; g++) {
			const struct ia_group_verdict *v = &q.groups[g];
			for (size_t k = 0; k < v->n_blockers; k++)
				assert_true(v->blockers[k].bdf && v->blockers[k].what && v->blockers[k].reason);
			for (size_t k = 0; k < v->n_exceptions; k++)
				assert_true(v->exceptions[k].bdf && v->exceptions[k].what && v->exceptions[k].reason);
		}
		for (size_t i = 0; rc == 0 && i < q.n_not_evaluated; i++)
			assert_non_null(q.not_evaluated[i]);
		for (size_t i = 0; rc == 0 && i < b.n_predicted; i++)
			assert_non_null(b.predicted[i].basis);
		ia_result_free(&q);
		ia_audit_free(&b);
	}
	assert_true(enomem > 0);
	ia_db_close(db);
	unlink(path);

	/* ia_contrib_add(), which replaced ia_group_note(): a failing strdup appends nothing */
	struct ia_contrib *v = NULL;
	size_t n = 0;
	for (long k = 0; k < 4; k++) {
		fail_at = k;
		int rc = ia_contrib_add(&v, &n, IA_CONTRIB_BLOCKER, NULL, "0000:00:01.0", "x.y", "why", IA_NO_FINDING);
		fail_at = -1;
		assert_int_equal(rc, -ENOMEM);
		assert_int_equal(n, 0);
	}
	free(v);
#endif
}

/* Every allocation of ia_audit_load() failing in turn: an error, or the whole facts; never fewer
 * devices, groups, units or collection errors with 0 (the unit loop used to stop at a failed
 * realloc and return 0, so a host could load with no IOMMU unit and look as if its IOMMU were off). */
static void test_audit_load_out_of_memory(void **state)
{
#ifdef IA_TEST_NO_INTERPOSE
	(void)state;
	skip();
#else
	char path[512];
	sqlite3 *db = collect_db("x86-intel-scn-a-nvme-vfio", path, sizeof(path));
	struct ia_audit full = {0};
	(void)state;

	n_allocs = 0;
	fail_at = 1L << 40;
	assert_int_equal(ia_audit_load(db, &full), 0);
	fail_at = -1;
	long total = n_allocs;
	assert_true(full.n_units > 0 && full.n_groups > 0 && full.n_devs > 0);
	for (long n = 0; n < total; n++) {
		struct ia_audit b = {0};
		fail_at = n;
		int rc = ia_audit_load(db, &b);
		fail_at = -1;
		if (rc == 0 && (b.n_devs != full.n_devs || b.n_groups != full.n_groups || b.n_units != full.n_units ||
				b.n_collection_errors != full.n_collection_errors))
			fail_msg("allocation %ld failing: ia_audit_load() returned 0 with %zu devices, %zu groups, %zu units "
				 "(whole: %zu, %zu, %zu)", n, b.n_devs, b.n_groups, b.n_units, full.n_devs, full.n_groups,
				 full.n_units);
		for (size_t u = 0; rc == 0 && u < b.n_units; u++)
			assert_true(b.units[u].name && b.units[u].kind);
		ia_audit_free(&b);
	}
	ia_audit_free(&full);
	ia_db_close(db);
	unlink(path);
#endif
}

/* Issue 13 item 3's sibling: an IVRS whose IOAPIC special entry does not carry the southbridge
 * DeviceID 00:14.0 makes the kernel turn AMD interrupt remapping off (check_ioapic_information():
 * "No southbridge IOAPIC found"), so its IR controller must not isolate MSIs. */
static void test_amd_ir_needs_southbridge_ioapic(void **state)
{
	(void)state;
	int st;
	json_t *r = audit_edited("x86-amd-iommu/run-6.12", NULL, &st), *m;
	size_t i, seen = 0;

	json_array_foreach(json_object_get(json_object_get(r, "platform"), "msi_controllers"), i, m)
		if (!strcmp(json_string_value(json_object_get(m, "kind")), "amd-ir")) {
			assert_true(json_is_true(json_object_get(m, "isolating")));
			seen++;
		}
	assert_int_equal(seen, 1);
	json_decref(r);
	/* the special entry at IVRS offset 176 names DeviceID 0x00a0; make it 0x00a1 */
	r = audit_edited("x86-amd-iommu/run-6.12",
			 "printf '\\241' | dd of=$T/sys/firmware/acpi/tables/IVRS bs=1 seek=181 conv=notrunc 2>/dev/null", &st);
	seen = 0;
	json_array_foreach(json_object_get(json_object_get(r, "platform"), "msi_controllers"), i, m)
		if (!strcmp(json_string_value(json_object_get(m, "kind")), "amd-ir")) {
			assert_true(json_is_false(json_object_get(m, "isolating")));
			seen++;
		}
	assert_int_equal(seen, 1);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_order),
		cmocka_unit_test(test_prerequisite_not_evaluated),
		cmocka_unit_test(test_contributions_linked),
		cmocka_unit_test(test_rules_run_out_of_memory),
		cmocka_unit_test(test_audit_load_out_of_memory),
		cmocka_unit_test(test_iommu_inactive),
		cmocka_unit_test(test_acs_override_and_split_groups),
		cmocka_unit_test(test_direct_region),
		cmocka_unit_test(test_unreadable_reserved_regions_is_unknown),
		cmocka_unit_test(test_not_viable),
		cmocka_unit_test(test_msi_isolation),
		cmocka_unit_test(test_sva),
		cmocka_unit_test(test_sva_amd),
		cmocka_unit_test(test_pasid_unprotected),
		cmocka_unit_test(test_noiommu),
		cmocka_unit_test(test_identity_domain),
		cmocka_unit_test(test_external_dma),
		cmocka_unit_test(test_direct_region_predeploy),
		cmocka_unit_test(test_vmd),
		cmocka_unit_test(test_iommu_not_coherent),
		cmocka_unit_test(test_vfio_pci_refuses),
		cmocka_unit_test(test_unlisted_group_members),
		cmocka_unit_test(test_malformed_modalias),
		cmocka_unit_test(test_unreadable_driver_link),
		cmocka_unit_test(test_rules_listing),
		cmocka_unit_test(test_amd_ir_needs_southbridge_ioapic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
