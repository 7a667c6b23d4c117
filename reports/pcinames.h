/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Vendor, device and class names from pci.ids through libpci, for every report. */
#ifndef IA_PCINAMES_H
#define IA_PCINAMES_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

struct pci_access;

/**
 * Names from one pci.ids (libpci's pci_lookup_name(), PCI_LOOKUP_NO_HWDB: the analysing host's
 * udev hwdb says nothing of a captured one). libpci's error callback must not return, so lookups
 * run under setjmp() and a malformed pci.ids turns names off (every name NULL) with one message on
 * stderr, as the text report does.
 */
struct ia_pcinames {
	struct pci_access *pacc;   /* NULL: no names (--no-names, or no memory) */
	bool broken;
	jmp_buf jb;
	char msg[256];
};

/**
 * ia_pcinames_init() - prepare lookups: @enabled false (--no-names) gives no names at all;
 * @pci_ids: the pci.ids path, or NULL for libpci's default. No file is read until the first lookup.
 */
void ia_pcinames_init(struct ia_pcinames *n, bool enabled, const char *pci_ids);

/**
 * ia_pcinames_vendor(), ia_pcinames_device(), ia_pcinames_class() - the name pci.ids gives vendor
 * @v, device @v:@d, or class @class24 (the 24-bit class code; its base class and subclass are looked up,
 * "Ethernet controller", as lspci prints them) into @buf (@cap bytes).
 * Return: @buf, or NULL when pci.ids has no such entry, names are off, or pci.ids is unusable.
 */
const char *ia_pcinames_vendor(struct ia_pcinames *n, unsigned v, char *buf, size_t cap);
const char *ia_pcinames_device(struct ia_pcinames *n, unsigned v, unsigned d, char *buf, size_t cap);
/* "Vendor Device" as lspci prints them together (PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE); NULL when unnamed. */
const char *ia_pcinames_vendor_device(struct ia_pcinames *n, unsigned v, unsigned d, char *buf, size_t cap);
const char *ia_pcinames_class(struct ia_pcinames *n, unsigned class24, char *buf, size_t cap);

/** ia_pcinames_free() - release the libpci state (accepts an ia_pcinames_init() with names off). */
void ia_pcinames_free(struct ia_pcinames *n);

#endif
