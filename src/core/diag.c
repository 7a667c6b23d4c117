// SPDX-License-Identifier: GPL-2.0-or-later
// Growable list of diagnostics shared by decoders and collectors.
#include "core/array.h"
#include "core/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ia_diag_add(struct ia_diags *d, int code, const char *where, int64_t offset,
		 const char *fmt, ...)
{
	va_list ap;
	struct ia_diag *x;

	if (!d)
		return;
	if (d->n == d->cap) {
		struct ia_diag *nv = ia_array_grow(d->v, &d->cap, d->n + 1, sizeof(*nv));

		if (!nv)
			return;
		d->v = nv;
	}
	x = &d->v[d->n++];
	x->code = code;
	x->offset = offset;
	snprintf(x->where, sizeof(x->where), "%s", where ? where : "");
	va_start(ap, fmt);
	vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
	va_end(ap);
}

void ia_diags_free(struct ia_diags *d)
{
	if (!d)
		return;
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

const struct ia_diag *ia_diags_find(const struct ia_diags *d, int code)
{
	for (size_t i = 0; d && i < d->n; i++)
		if (d->v[i].code == code)
			return &d->v[i];
	return NULL;
}
