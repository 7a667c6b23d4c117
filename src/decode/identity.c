// SPDX-License-Identifier: GPL-2.0-or-later
// Host identity texts: the DMI attribute names, the machine-id(5) form, proc/cpuinfo's CPU model and architecture (pure).
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/identity.h"

const char *const ia_identity_dmi_attrs[IA_IDENTITY_N_DMI] = {
	"sys_vendor", "product_name", "product_version", "board_vendor",
	"board_name", "bios_vendor", "bios_version", "bios_date",
};

char *ia_identity_trim(char *s)
{
	size_t l = strlen(s);

	while (l && isspace((unsigned char)s[l - 1]))
		s[--l] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

bool ia_identity_machine_id_ok(const char *s)
{
	size_t i = 0;

	for (; s[i]; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return i == 32;
}

/* Arm's MIDR implementers and parts (arch/arm64/include/asm/cputype.h), for the common server and
 * SoC cores; others are printed by number. */
static const struct { unsigned impl, part; const char *name; } identity_arm_parts[] = {
	{ 0x41, 0xd03, "Arm Cortex-A53" }, { 0x41, 0xd04, "Arm Cortex-A35" }, { 0x41, 0xd05, "Arm Cortex-A55" },
	{ 0x41, 0xd07, "Arm Cortex-A57" }, { 0x41, 0xd08, "Arm Cortex-A72" }, { 0x41, 0xd09, "Arm Cortex-A73" },
	{ 0x41, 0xd0a, "Arm Cortex-A75" }, { 0x41, 0xd0b, "Arm Cortex-A76" }, { 0x41, 0xd0c, "Arm Neoverse-N1" },
	{ 0x41, 0xd0d, "Arm Cortex-A77" }, { 0x41, 0xd40, "Arm Neoverse-V1" }, { 0x41, 0xd41, "Arm Cortex-A78" },
	{ 0x41, 0xd44, "Arm Cortex-X1" }, { 0x41, 0xd46, "Arm Cortex-A510" }, { 0x41, 0xd47, "Arm Cortex-A710" },
	{ 0x41, 0xd48, "Arm Cortex-X2" }, { 0x41, 0xd49, "Arm Neoverse-N2" }, { 0x41, 0xd4f, "Arm Neoverse-V2" },
	{ 0x41, 0xd84, "Arm Neoverse-V3" }, { 0x41, 0xd8e, "Arm Neoverse-N3" },
	{ 0x43, 0x0a1, "Cavium ThunderX" }, { 0x43, 0x0af, "Cavium ThunderX2" },
	{ 0x46, 0x001, "Fujitsu A64FX" }, { 0x48, 0xd01, "HiSilicon TSV110" },
	{ 0x50, 0x000, "Applied Micro X-Gene" }, { 0xc0, 0xac3, "Ampere AmpereOne" },
};

/* The name of an arm64 core into @buf: a known part's name, else the two numbers. */
static void identity_arm_name(unsigned impl, unsigned part, char *buf, size_t cap)
{
	for (size_t i = 0; i < sizeof(identity_arm_parts) / sizeof(identity_arm_parts[0]); i++)
		if (identity_arm_parts[i].impl == impl && identity_arm_parts[i].part == part) {
			snprintf(buf, cap, "%s", identity_arm_parts[i].name);
			return;
		}
	snprintf(buf, cap, "CPU implementer 0x%02x part 0x%03x", impl, part);
}

/* Append @name to the "; "-joined list @out (@cap bytes) unless it is there already. */
static void identity_add_model(char *out, size_t cap, const char *name)
{
	size_t nl = strlen(name);

	for (const char *p = out; *p;) {
		size_t l = strcspn(p, ";");
		if (l == nl && !strncmp(p, name, nl))
			return;
		p += l;
		if (*p == ';')
			p += 2;
	}
	size_t ol = strlen(out);
	snprintf(out + ol, cap - ol, "%s%s", ol ? "; " : "", name);
}

/* A hexadecimal "0x.." value of a cpuinfo line; false when it is not one. */
static bool identity_hex(const char *v, unsigned *out)
{
	char *end;

	errno = 0;
	unsigned long x = strtoul(v, &end, 16);
	if (errno || end == v || *end || x > 0xfff)
		return false;
	*out = (unsigned)x;
	return true;
}

void ia_identity_cpuinfo(char *txt, char *model, size_t cap, const char **arch)
{
	bool vendor_id = false, fdiv_bug = false, implementer = false, model_name = false, hardware = false;
	bool have_impl = false;
	unsigned impl = 0, part;
	char *save = NULL;

	model[0] = '\0';
	*arch = NULL;
	for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(l, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char *key = ia_identity_trim(l), *val = ia_identity_trim(colon + 1);
		if (!strcmp(key, "vendor_id")) {
			vendor_id = true;
		} else if (!strcmp(key, "fdiv_bug")) { /* show_cpuinfo_misc(), CONFIG_X86_32 only */
			fdiv_bug = true;
		} else if (!strcmp(key, "model name")) {
			model_name = true;
			if (*val)
				identity_add_model(model, cap, val);
		} else if (!strcmp(key, "Hardware")) { /* 32-bit Arm's c_show() */
			hardware = true;
		} else if (!strcmp(key, "CPU implementer")) {
			implementer = true;
			have_impl = identity_hex(val, &impl);
		} else if (!strcmp(key, "CPU part") && have_impl && identity_hex(val, &part)) {
			char name[96];
			identity_arm_name(impl, part, name, sizeof(name));
			if (!model_name) /* a 32-bit Arm kernel names the core in "model name" already */
				identity_add_model(model, cap, name);
			have_impl = false;
		}
	}
	/* arch/x86/kernel/cpu/proc.c prints fdiv_bug only on a 32-bit kernel; arch/arm64/kernel/cpuinfo.c
	 * prints neither "model name" (outside a 32-bit task) nor "Hardware", which arch/arm's has */
	if (vendor_id && !fdiv_bug)
		*arch = "x86_64";
	else if (implementer && !model_name && !hardware && !vendor_id)
		*arch = "aarch64";
}

