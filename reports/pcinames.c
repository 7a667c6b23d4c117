// SPDX-License-Identifier: GPL-2.0-or-later
// Vendor, device and class names from pci.ids through libpci, with libpci's fatal errors caught (every report).
#include <pci/pci.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "reports/pcinames.h"

static struct ia_pcinames *pcinames_cur;   /* the lookup in progress (reports run on one thread) */

static void pcinames_quiet(char *msg, ...)
{
	(void)msg;
}

__attribute__((noreturn, format(printf, 1, 2))) static void pcinames_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(pcinames_cur->msg, sizeof(pcinames_cur->msg), msg, ap);
	va_end(ap);
	longjmp(pcinames_cur->jb, 1);
}

void ia_pcinames_init(struct ia_pcinames *n, bool enabled, const char *pci_ids)
{
	n->pacc = NULL;
	n->broken = false;
	n->msg[0] = '\0';
	if (!enabled || !(n->pacc = pci_alloc()))
		return;
	n->pacc->error = pcinames_error;
	n->pacc->warning = pcinames_quiet;
	n->pacc->debug = pcinames_quiet;
	if (pci_ids)
		pci_set_name_list_path(n->pacc, (char *)pci_ids, 0);
}

/* pci_lookup_name(@flags, @a, @b) with libpci's errors caught; NULL when there is no name. */
static const char *pcinames_lookup(struct ia_pcinames *n, char *buf, size_t cap, int flags, int a, int b)
{
	if (!n->pacc || n->broken)
		return NULL;
	pcinames_cur = n;
	if (setjmp(n->jb)) {
		n->broken = true;
		n->msg[strcspn(n->msg, "\n")] = '\0';
		fprintf(stderr, "iommu-audit: device names: %s; names are left out\n", n->msg);
		return NULL;
	}
	return pci_lookup_name(n->pacc, buf, (int)cap, flags | PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB, a, b);
}

const char *ia_pcinames_vendor(struct ia_pcinames *n, unsigned v, char *buf, size_t cap)
{
	return pcinames_lookup(n, buf, cap, PCI_LOOKUP_VENDOR, (int)v, 0);
}

const char *ia_pcinames_device(struct ia_pcinames *n, unsigned v, unsigned d, char *buf, size_t cap)
{
	return pcinames_lookup(n, buf, cap, PCI_LOOKUP_DEVICE, (int)v, (int)d);
}

const char *ia_pcinames_vendor_device(struct ia_pcinames *n, unsigned v, unsigned d, char *buf, size_t cap)
{
	return pcinames_lookup(n, buf, cap, PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE, (int)v, (int)d);
}

const char *ia_pcinames_class(struct ia_pcinames *n, unsigned class24, char *buf, size_t cap)
{
	return pcinames_lookup(n, buf, cap, PCI_LOOKUP_CLASS, (int)(class24 >> 8), 0);
}

void ia_pcinames_free(struct ia_pcinames *n)
{
	if (n->pacc)
		pci_cleanup(n->pacc);
	n->pacc = NULL;
}
