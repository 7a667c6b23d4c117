/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tri-state used for every fact that may be unreadable: no, yes, or unknown. */
#ifndef IA_TRI_H
#define IA_TRI_H

enum ia_tri { IA_NO = 0, IA_YES = 1, IA_UNKNOWN = 2 };

static inline const char *ia_tri_str(enum ia_tri t)
{
	return t == IA_YES ? "yes" : t == IA_NO ? "no" : "unknown";
}

#endif
