/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Selectors as lspci has them (-s slot, -d vendor:device:class, pciutils' own filter), and the view
 * of an evaluated audit that keeps only the groups of the functions they match. */
#ifndef IA_CLI_SELECT_H
#define IA_CLI_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <pci/pci.h>

#include "model/audit.h"
#include "rules/result.h"

/** A selector: -s and/or -d, as libpci's struct pci_filter holds them (both must match). */
struct ia_select {
	bool active;                 /* -s or -d was given */
	bool has_slot, has_id;
	struct pci_filter f;         /* pci_filter_init()ed, then parsed by libpci */
	char expr[160];              /* "-s 3b:", "-d 8086:", or both, as given (for the headers) */
};

/**
 * ia_select_parse() - add one selector to @s (zeroed by the caller, or filled by an earlier call):
 * @opt 's' parses @arg with pciutils' pci_filter_parse_slot() ("[[[[DDDD]:]BB]:][DD][.[F]]", each
 * part hex; a domain up to 0x7fffffff, so an Intel VMD's 10000 is one), @opt 'd' with
 * pci_filter_parse_id() ("[VVVV]:[DDDD][:CCCC[:PP]]": vendor, device, class (base class and
 * subclass, "x" digits as wildcards) and programming interface). An empty field or "*" matches
 * anything, as in lspci(8).
 * @err: receives libpci's message ("Invalid bus number") on failure; @errlen its size.
 * Return: 0; -EINVAL when libpci refuses @arg, or when @opt was already given (one -s, one -d).
 */
int ia_select_parse(struct ia_select *s, char opt, const char *arg, char *err, size_t errlen);

/**
 * ia_select_match() - whether function @d matches @s, by pci_filter_match() over its address and
 * the IDs and class the collector read (no config space is read again).
 * Return: 1 matched; 0 not matched; -1 unknown: @s names the IDs or the class and @d's were
 * unreadable (such a function is not selected: fail closed, and the header counts it).
 */
int ia_select_match(const struct ia_select *s, const struct ia_dev *d);

/** The groupings a view selects by (ia_select_view() @kinds). */
enum {
	IA_SELECT_KERNEL = 1u << 0,        /* sys/kernel/iommu_groups */
	IA_SELECT_PREDICTED = 1u << 1,     /* the prediction on the current state */
	IA_SELECT_WHEN_ENABLED = 1u << 2,  /* the groups once the IOMMU is on (where it is off) */
};

/**
 * ia_select_view() - what a report of the functions @s matches shows: @va and @vr are views of @a
 * and @r holding only the selected groups: every group of the groupings @kinds that holds a
 * matched function, with all its members (so its verdict stays true for what is shown), the
 * matched functions in no group, and the groups of the other groupings that lie wholly inside.
 * Findings about a function or group outside the view are left out; host-wide findings (subject
 * "host", a firmware table, a path of no PCI function) stay, and so do those a kept group's
 * blockers link. The host verdict and the exit status are decided again over the kept findings
 * (ia_result_decide(), @r's --fail-on). @va->selection describes the selection for the headers.
 *
 * @a, @r:   the evaluated audit (read only; they must outlive the views, which share their strings).
 * @s:       an active selector.
 * @kinds:   IA_SELECT_* of the groupings the report lists (the audit: kernel and once enabled;
 *           groups --predicted: predicted; groups --when-enabled: once enabled).
 * @va, @vr: out; release with ia_select_view_free() (not ia_audit_free()/ia_result_free()).
 * @sel:     out, the header facts @va->selection points to (caller's storage).
 * Return: 0; -ENOENT when @s matches no function (@sel counts filled, views empty); -ENOMEM.
 */
int ia_select_view(const struct ia_audit *a, const struct ia_result *r, const struct ia_select *s, unsigned kinds,
		   struct ia_audit *va, struct ia_result *vr, struct ia_audit_selection *sel);

/** ia_select_view_free() - release what ia_select_view() allocated (accepts zeroed views). */
void ia_select_view_free(struct ia_audit *va, struct ia_result *vr);

#endif
