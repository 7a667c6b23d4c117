/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Renderers of an audit: text for people, JSON for fleets. They decide nothing. */
#ifndef IA_REPORT_H
#define IA_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "audit.h"

/** Options shared by the renderers. */
struct ia_report_opts {
	bool names;          /* look up vendor/device names in pci.ids (text report) */
	const char *pci_ids; /* pci.ids path, or NULL for libpci's default */
	bool color;          /* ANSI colour (only on a terminal, never with NO_COLOR) */
};

/**
 * ia_report_json() - write the contract's JSON report (schema "iommu-audit/1",
 * ../shared/docs/contract.md) to @out.
 * Return: 0; -ENOMEM; -EIO when writing failed.
 */
int ia_report_json(const struct ia_audit *a, FILE *out);

/** ia_report_text() - the report for people: host summary, then each group and what was unreadable. 0 or -EIO. */
int ia_report_text(const struct ia_audit *a, const struct ia_report_opts *o, FILE *out);

/** ia_report_groups() - `iommu-audit groups`: the kernel's groups (or the predicted ones), one line per device. */
int ia_report_groups(const struct ia_audit *a, const struct ia_report_opts *o, bool predicted, FILE *out);

#endif
