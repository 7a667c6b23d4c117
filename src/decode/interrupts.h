/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fields of proc/interrupts lines: MSI chip names and the hardware IRQ number (pure, no I/O). */
#ifndef IA_DECODE_INTERRUPTS_H
#define IA_DECODE_INTERRUPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bdf.h"

/** What an interrupt chip name (proc/interrupts chip column) says about PCI MSIs. */
struct ia_msi_chip {
	bool pci_msi;        /* a PCI device's MSI: "[IR-|ITS-|GICv2m-|MBI-]PCI-MSI[X][-<BDF>]", or the Arm
				6.1 names "ITS-MSI" and "MSI" (GICv2m/MBI); not an IOMMU's own "DMAR-MSI" */
	bool has_bdf;        /* a per-device MSI domain (6.2+): the text after the '-' that follows
				"PCI-MSI[X]" names the function */
	size_t bdf_off, bdf_len;  /* that text, in bytes of the chip name (to its end) */
	bool rid_in_hwirq;   /* "PCI-MSI[X]" without a device suffix: x86 before 6.2 encodes the requester
				ID in the hwirq (ia_x86_msi_hwirq_bdf()) */
};

/**
 * ia_msi_chip_decode() - classify an interrupt chip name (kernel/irq/msi.c msi_create_device_irq_domain()
 * names "<prefix>PCI-MSI[X]-<dev_name>", drivers/pci/msi/irqdomain.c; earlier kernels one domain per
 * parent: "IR-PCI-MSI", "PCI-MSI", "ITS-MSI", "MSI").
 * @chip: NUL-terminated chip name (NULL: not an MSI chip). @out: always filled.
 */
void ia_msi_chip_decode(const char *chip, struct ia_msi_chip *out);

/**
 * ia_irq_hwirq_decode() - the hardware IRQ number of a proc/interrupts line (kernel/irq/proc.c
 * show_interrupts() prints it "%lu"; some chips print "<hwirq>-<trigger>", e.g. "0-edge"): the
 * leading decimal digits, the rest ignored.
 * @s: NUL-terminated field. @out: set on success only.
 * Return: 0; -EINVAL when @s is NULL or does not start with a decimal digit; -ERANGE when the
 * number does not fit 64 bits.
 */
int ia_irq_hwirq_decode(const char *s, uint64_t *out);

/**
 * ia_x86_msi_hwirq_bdf() - the PCI function an x86 MSI hwirq names before per-device MSI domains
 * (6.2): arch/x86/kernel/apic/msi.c pci_msi_domain_calc_hwirq() = domain << 27 | pci_dev_id << 11
 * | vector index.
 * @hwirq: the number; @bdf: receives "DDDD:BB:DD.F" (ia_bdf_format()).
 */
void ia_x86_msi_hwirq_bdf(uint64_t hwirq, char bdf[IA_BDF_BUFSZ]);

#endif
