/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics: what a decoder or collector could not read, with where and why, as a list. */
#ifndef IA_DIAG_H
#define IA_DIAG_H

#include <stddef.h>
#include <stdint.h>

/** One diagnostic: the error code, where (a table or path, and a byte offset), and a message. */
struct ia_diag {
	int code;            /* negative errno or -IA_E_* (ia_err.h) */
	char where[64];      /* subject: ACPI signature ("DMAR"), path, BDF, DT path */
	int64_t offset;      /* byte offset into the subject, or -1 when not meaningful */
	char msg[192];       /* one line, no trailing newline */
};

/** A growable list of diagnostics; zero-initialise, release with ia_diags_free(). */
struct ia_diags {
	struct ia_diag *v;
	size_t n, cap;
};

/**
 * ia_diag_add() - append a diagnostic (printf-style message). Never fails visibly: if memory
 * runs out, the diagnostic is dropped and the count of dropped ones is kept in the last slot's
 * message. @where may be NULL; @offset is -1 when not meaningful.
 */
void ia_diag_add(struct ia_diags *d, int code, const char *where, int64_t offset,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/** ia_diags_free() - release the list (accepts NULL and an empty list). */
void ia_diags_free(struct ia_diags *d);

/** ia_diags_find() - the first diagnostic with @code, or NULL. */
const struct ia_diag *ia_diags_find(const struct ia_diags *d, int code);

#endif
