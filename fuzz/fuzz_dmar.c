// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz the DMAR decoder and the device-scope path walk, as the firmware collector uses them.
#include <errno.h>

#include "decode/dmar.h"
#include "fuzz.h"

/* A made-up bridge topology: most (bus, dev, fn) are bridges to a bus derived from them, some are
 * absent, and a few answer an out-of-range bus, so every branch of the walk is reachable. */
static int fz_secondary_bus(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	unsigned *calls = ctx;
	unsigned v = (unsigned)bus * 31u + dev * 7u + fn + seg;

	(*calls)++;
	if (v % 13 == 0)
		return -ENODEV;
	if (v % 29 == 0)
		return 256 + (int)(v & 0xff);
	return (int)(v & 0xff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ia_dmar t;
	struct ia_diags d = {0};

	ia_dmar_decode(data, size, &t, &d);
	FZ_CHECK(t.n_structs == 0 || t.structs);
	for (size_t i = 0; i < t.n_structs; i++) {
		const struct ia_dmar_struct *s = &t.structs[i];
		FZ_CHECK(s->offset >= IA_DMAR_STRUCT_START && s->offset < size);
		FZ_CHECK(s->n_scopes == 0 || s->scopes);
		(void)ia_dmar_type_name(s->type);
		for (size_t k = 0; k < s->n_scopes; k++) {
			const struct ia_dmar_scope *sc = &s->scopes[k];
			struct ia_dmar_bdf bdf = { 0xffff, 0, 0, 0 };
			size_t bad = (size_t)-1;
			unsigned calls = 0;

			FZ_CHECK(sc->n_path <= IA_DMAR_PATH_MAX);
			FZ_CHECK(sc->offset > s->offset && sc->offset < size);
			int rc = ia_dmar_scope_resolve(sc, s->segment, fz_secondary_bus, &calls, &bdf, &bad);
			/* One bridge lookup per path element but the last, at most. */
			FZ_CHECK(calls + 1 <= (sc->n_path ? sc->n_path : 1u));
			if (rc == 0) {
				FZ_CHECK(sc->n_path > 0 && bdf.segment == s->segment);
				FZ_CHECK(bdf.device == sc->path[sc->n_path - 1].device);
				FZ_CHECK(bdf.function == sc->path[sc->n_path - 1].function);
			} else {
				FZ_CHECK(bad < (sc->n_path ? sc->n_path : 1u));
				FZ_CHECK(bdf.segment == 0xffff); /* untouched on failure */
			}
		}
	}
	ia_dmar_free(&t);
	ia_dmar_free(&t); /* zeroed by the first call */
	ia_diags_free(&d);
	return 0;
}
