/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Strict parsers for the text formats of sysfs and procfs attributes (pure, no I/O). */
#ifndef IA_DECODE_SYSFS_ATTR_H
#define IA_DECODE_SYSFS_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

/**
 * ia_parse_u64() - parse one unsigned number that fills the whole text.
 * @s, @len: the text (not necessarily NUL-terminated); one trailing newline is allowed.
 * @base: 10, 16 (an optional "0x" prefix is accepted), or 0 (strtoull's rules).
 * @out: set only on success.
 * Return: 0; -IA_E_FORMAT for empty text, a sign, spaces or trailing characters;
 * -IA_E_RANGE for overflow.
 */
int ia_parse_u64(const char *s, size_t len, int base, uint64_t *out);

/** ia_parse_bool() - "Y"/"N"/"1"/"0" (kernel param_get_bool output). 0, or -IA_E_FORMAT. */
int ia_parse_bool(const char *s, size_t len, bool *out);

/**
 * ia_parse_pair_u64() - two numbers separated by @sep ("%d:%d" intel-iommu version, or
 * "%llx:%llx" amd-iommu features EFR:EFR2). When @second is allowed to be absent
 * (@second_optional), a single number sets *@has_second false (6.12-era "features" was EFR only).
 * Return: 0, -IA_E_FORMAT, -IA_E_RANGE.
 */
int ia_parse_pair_u64(const char *s, size_t len, char sep, int base, bool second_optional,
		      uint64_t *first, uint64_t *second, bool *has_second);

/** One line of a PCI `resource` file (drivers/pci/pci-sysfs.c resource_show). */
struct ia_pci_resource {
	uint64_t start, end, flags;   /* inclusive end; flags are IORESOURCE_* bits */
};
#define IA_IORESOURCE_IO 0x100
#define IA_IORESOURCE_MEM 0x200
#define IA_IORESOURCE_PREFETCH 0x2000
#define IA_IORESOURCE_MEM_64 0x100000
#define IA_IORESOURCE_DISABLED 0x10000000
#define IA_IORESOURCE_UNSET 0x20000000
#define IA_PCI_MAX_RESOURCES 17

/**
 * ia_parse_resource() - parse a `resource` file: lines "0x%016llx 0x%016llx 0x%016llx".
 * @out: array of at least IA_PCI_MAX_RESOURCES entries; @n: lines parsed.
 * Return: 0; -IA_E_FORMAT naming the line (diagnostic) on a malformed line (lines before it are
 * kept in @out and counted in @n); -IA_E_RANGE past 17 lines.
 */
int ia_parse_resource(const char *s, size_t len, struct ia_pci_resource *out, size_t *n,
		      struct ia_diags *diags);

/** Reserved-region types, in the kernel's enum order (include/linux/iommu.h iommu_resv_type). */
enum ia_resv_type { IA_RESV_DIRECT, IA_RESV_DIRECT_RELAXABLE, IA_RESV_RESERVED, IA_RESV_MSI };
const char *ia_resv_type_name(enum ia_resv_type t);

struct ia_resv_region {
	uint64_t start, end;          /* inclusive */
	enum ia_resv_type type;
};

/**
 * ia_parse_reserved_regions() - parse /sys/kernel/iommu_groups/N/reserved_regions
 * (iommu_group_show_resv_regions(): "0x%016llx 0x%016llx %s\n", start, inclusive end, type).
 * @out: malloc'd array (free() it), NULL when empty; @n: count.
 * Return: 0; -ENOMEM; -IA_E_FORMAT on a malformed line or unknown type (a diagnostic names the
 * line; lines before it are returned); -IA_E_RANGE when end < start.
 */
int ia_parse_reserved_regions(const char *s, size_t len, struct ia_resv_region **out, size_t *n,
			      struct ia_diags *diags);

/** One kernel command-line parameter: key and optional value (both NUL-terminated copies). */
struct ia_cmdline_token {
	char *key;
	char *value;    /* NULL when the token has no '=' */
};

/**
 * ia_parse_cmdline() - split /proc/cmdline as the kernel does (lib/cmdline.c next_arg():
 * whitespace separated, double quotes group, the first '=' splits key and value; tokens after
 * a lone "--" are init's and are not returned).
 * @out: malloc'd array released with ia_cmdline_free(); @n: count.
 * Return: 0 or -ENOMEM.
 */
int ia_parse_cmdline(const char *s, size_t len, struct ia_cmdline_token **out, size_t *n);
void ia_cmdline_free(struct ia_cmdline_token *t, size_t n);

#endif
