/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PCI function addresses (BDFs): the one parser and the one formatter of "DDDD:BB:DD.F". */
#ifndef IA_BDF_H
#define IA_BDF_H

#include <stdint.h>

/* Length of the longest canonical BDF, "ffffffff:ff:1f.7" (an 8-digit domain), without its NUL. */
#define IA_BDF_STRLEN 16
/* A buffer that holds every canonical BDF with its NUL (src/core/db.h's IA_BDF_MAX is this). */
#define IA_BDF_BUFSZ (IA_BDF_STRLEN + 1)

/* A PCI function's address: PCI domain (segment), bus number, device (slot) and function. */
struct ia_bdf {
	uint32_t domain;   /* 0 .. 0xffffffff; Intel VMD's domains start at 0x10000 */
	uint8_t bus;       /* 0 .. 0xff */
	uint8_t dev;       /* 0 .. 0x1f */
	uint8_t fn;        /* 0 .. 7 */
};

/* Flags of ia_bdf_parse(). */
enum {
	/*
	 * Accept only what ia_bdf_format() writes and the kernel names sysfs entries with
	 * (pci_name(), "%04x:%02x:%02x.%d"): the domain present, at least 4 lower-case digits with no
	 * leading zero beyond the fourth, lower-case bus and device.
	 */
	IA_BDF_CANONICAL = 1u << 0,
};

/**
 * ia_bdf_parse() - parse a PCI address of the grammar `[DDDD[DDDD]:]BB:DD.F`.
 * @s:     NUL-terminated text; the whole string must match (no leading or trailing characters,
 *         no white space, no sign, no "0x").
 * @flags: 0, or IA_BDF_CANONICAL.
 * @out:   the address; written only on success.
 *
 * Grammar (without IA_BDF_CANONICAL): an optional domain of 1 to 8 hex digits and ':' (absent
 * means domain 0), the bus as exactly 2 hex digits, ':', the device as exactly 2 hex digits below
 * 0x20, '.', the function as one digit 0 to 7. Hex digits may be upper or lower case (people type
 * "3B:00.0"; lspci -D prints lower case). This is the address part of the kernel's pci_name()
 * ("%04x:%02x:%02x.%d", drivers/pci/probe.c pci_setup_device() via dev_set_name()) and of the
 * pci_dev_str_match() "[<domain>:]<bus>:<device>.<func>" form (drivers/pci/pci.c), whose domain
 * pci_name() prints with as many digits as it needs (VMD: "10000:e0:06.0").
 *
 * Return: 0; -IA_E_FORMAT when @s (or NULL) does not match the grammar, including a device of
 * 0x20 or more, a function of 8 or more, or a domain of 9 or more digits.
 */
int ia_bdf_parse(const char *s, unsigned flags, struct ia_bdf *out);

/**
 * ia_bdf_format() - write @b as the kernel's pci_name() does: "%04x:%02x:%02x.%u"
 * (domain at least 4 lower-case hex digits, up to 8).
 * @b:   the address (a device above 0x1f or function above 7 is masked to 5 and 3 bits).
 * @buf: IA_BDF_BUFSZ bytes.
 * Return: @buf, always NUL-terminated; the text is at most IA_BDF_STRLEN characters.
 */
char *ia_bdf_format(struct ia_bdf b, char buf[IA_BDF_BUFSZ]);

/**
 * ia_bdf_from_devfn() - the address of function @devfn on bus @bus of PCI domain @domain:
 * device = devfn >> 3, function = devfn & 7 (PCI_SLOT()/PCI_FUNC(), include/uapi/linux/pci.h).
 */
struct ia_bdf ia_bdf_from_devfn(uint32_t domain, uint8_t bus, uint8_t devfn);

/** ia_bdf_cmp() - order of two addresses: domain, then bus, device, function. <0, 0 or >0. */
int ia_bdf_cmp(struct ia_bdf a, struct ia_bdf b);

#endif
