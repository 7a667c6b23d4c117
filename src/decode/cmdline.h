/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel command-line parameter names and option lists: the kernel's parameq() and its per-option walk (pure). */
#ifndef IA_DECODE_CMDLINE_H
#define IA_DECODE_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tri.h"

/**
 * ia_cmdline_key_eq() - two parameter names are the same parameter: equal with every '-' read as
 * '_' (kernel/params.c parameq(); "vfio-pci.x" and "vfio_pci.x" are one parameter).
 * @a, @b: NUL-terminated names. Return: true when equal.
 */
bool ia_cmdline_key_eq(const char *a, const char *b);

/**
 * ia_cmdline_option_next() - the next comma-separated option of a parameter's value, as the
 * handlers that take option lists walk it (intel_iommu_setup(), x86 iommu_setup(), pci_setup());
 * empty options (",,", a leading or trailing ',') are skipped.
 * @value: the value (NUL-terminated; NULL is an empty list).
 * @pos: cursor in bytes, 0 before the first call; advanced past the option returned.
 * @off, @len: set to the option's first byte and length in @value (never 0) when one is returned.
 * Return: true with an option; false at the end (outputs untouched).
 */
bool ia_cmdline_option_next(const char *value, size_t *pos, size_t *off, size_t *len);

/**
 * ia_kstrtobool() - a boolean parameter value as the kernel reads it (lib/kstrtox.c kstrtobool():
 * y/Y/1/on true, n/N/0/off false; param_set_bool() takes a bare flag, "" here, as true).
 * Return: IA_YES, IA_NO, or IA_UNKNOWN for NULL (unreadable) or an invalid value.
 */
enum ia_tri ia_kstrtobool(const char *v);

#endif
