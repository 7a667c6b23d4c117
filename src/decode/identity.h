/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host identity texts: the DMI attributes read, the machine-id(5) form, and what proc/cpuinfo says of the CPU and the kernel's architecture (pure). */
#ifndef IA_DECODE_IDENTITY_H
#define IA_DECODE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

/* The attributes of sys/class/dmi/id the audit reads (drivers/firmware/dmi-id.c, all mode 0444 so
 * an unprivileged run reads them; the serial numbers and the UUID, mode 0400, are never read), in
 * the order of the host_identity columns and of the JSON report's host.dmi. */
#define IA_IDENTITY_N_DMI 8
extern const char *const ia_identity_dmi_attrs[IA_IDENTITY_N_DMI];
/* Indexes into ia_identity_dmi_attrs[]. */
enum ia_identity_dmi {
	IA_DMI_SYS_VENDOR, IA_DMI_PRODUCT_NAME, IA_DMI_PRODUCT_VERSION, IA_DMI_BOARD_VENDOR,
	IA_DMI_BOARD_NAME, IA_DMI_BIOS_VENDOR, IA_DMI_BIOS_VERSION, IA_DMI_BIOS_DATE,
};

/**
 * ia_identity_trim() - @s without trailing whitespace (the kernel's "%s\n") and leading blanks.
 * @s: NUL-terminated, modified in place. Return: a pointer into @s.
 */
char *ia_identity_trim(char *s);

/**
 * ia_identity_machine_id_ok() - @s (trimmed) is a machine-id as machine-id(5) defines it: 32
 * lower-case hexadecimal characters. Return: true when it is.
 */
bool ia_identity_machine_id_ok(const char *s);

/**
 * ia_identity_cpuinfo() - the CPU model and the kernel's architecture from the text of proc/cpuinfo.
 * @txt: the whole file, NUL-terminated; modified (split into lines).
 * @model: out, @cap bytes: the distinct CPU models joined with "; " in order of appearance, "" when
 *   none: x86 "model name" lines (arch/x86/kernel/cpu/proc.c show_cpuinfo()); arm64 "CPU
 *   implementer"/"CPU part" pairs (arch/arm64/kernel/cpuinfo.c c_show(), the MIDR fields), named
 *   for the cores of arch/arm64/include/asm/cputype.h this table knows ("Arm Neoverse-N1"), else
 *   "CPU implementer 0x41 part 0xd0c". Truncated at @cap.
 * @arch: out, a static string or NULL: "x86_64" when the x86 layout ("vendor_id") lacks the
 *   "fdiv_bug" line only a 32-bit kernel prints (show_cpuinfo_misc()); "aarch64" when the Arm
 *   layout ("CPU implementer") lacks the "model name" and "Hardware" lines of 32-bit Arm's c_show();
 *   NULL otherwise (a 32-bit kernel, another architecture: never guessed).
 */
void ia_identity_cpuinfo(char *txt, char *model, size_t cap, const char **arch);

#endif
