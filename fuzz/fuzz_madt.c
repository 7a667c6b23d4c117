// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz the MADT (APIC) decoder and its ITS lookup, as the firmware collector uses them.
#include "decode/madt.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ia_madt m;
	struct ia_diags d = {0};
	int rc = ia_madt_decode(data, size, &m, &d);

	/* Also on failure @m holds the subtables before it, and they must be consistent. */
	FZ_CHECK(rc < 0 || (size_t)rc == m.n_entries);
	FZ_CHECK(m.n_gicc_enabled <= m.n_gicc);
	for (size_t i = 0; i < m.n_its; i++) {
		size_t idx = (size_t)-1;
		/* Every decoded ITS is found again by its own ID (the first with that ID). */
		FZ_CHECK(ia_madt_find_its(&m, m.its[i].its_id, &idx) == 0);
		FZ_CHECK(idx <= i && m.its[idx].its_id == m.its[i].its_id);
	}
	ia_madt_free(&m);
	ia_diags_free(&d);
	return 0;
}
