// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz the IVRS decoder and its DeviceID and IVMD lookups, as the firmware collector uses them.
#include <errno.h>
#include <stdbool.h>

#include "decode/ivrs.h"
#include "fuzz.h"

/* Look one DeviceID up and check what the answer claims against the table. */
static void fz_lookup(const struct ia_ivrs *t, uint16_t seg, uint16_t devid)
{
	struct ia_ivrs_match m;
	int rc = ia_ivrs_lookup(t, seg, devid, &m);

	FZ_CHECK(rc == 0 || rc == -ENOENT);
	if (rc == 0) {
		FZ_CHECK(m.ivhd < t->n_ivhd && m.range < t->n_ranges);
		FZ_CHECK(t->ivhd[m.ivhd].linux_uses && t->ivhd[m.ivhd].segment == seg);
		FZ_CHECK(t->ranges[m.range].first <= devid && devid <= t->ranges[m.range].last);
		FZ_CHECK(m.n_ivhd_claims >= 1 && m.n_ivhd_claims <= t->n_ivhd);
	}
	size_t seen = 0;
	for (long i = ia_ivrs_next_ivmd(t, seg, devid, 0); i >= 0 && seen < 64;
	     i = ia_ivrs_next_ivmd(t, seg, devid, (size_t)i + 1), seen++) {
		FZ_CHECK((size_t)i < t->n_ivmd);
		FZ_CHECK(t->ivmd[i].first <= devid && devid <= t->ivmd[i].last);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ia_ivrs t;
	struct ia_diags d = {0};

	ia_ivrs_decode(data, size, &t, &d);
	for (size_t i = 0; i < t.n_ivhd; i++) {
		const struct ia_ivhd *h = &t.ivhd[i];
		FZ_CHECK(h->first_entry + h->n_entries <= t.n_entries);
		FZ_CHECK(h->first_range + h->n_ranges <= t.n_ranges);
		/* Each IVHD's ranges are contiguous (ia_ivrs_lookup() counts claims on that). */
		for (size_t k = h->first_range; k < h->first_range + h->n_ranges; k++)
			FZ_CHECK(t.ranges[k].ivhd == i);
		/* highest_for_iommu against the pairwise definition, on small tables. */
		bool highest = true;
		for (size_t j = 0; j < t.n_ivhd && t.n_ivhd <= 64; j++)
			if (t.ivhd[j].segment == h->segment && t.ivhd[j].devid == h->devid &&
			    t.ivhd[j].type > h->type)
				highest = false;
		FZ_CHECK(t.n_ivhd > 64 || h->highest_for_iommu == highest);
	}
	for (size_t i = 0; i < t.n_ranges; i++)
		FZ_CHECK(t.ranges[i].first <= t.ranges[i].last && t.ranges[i].ivhd < t.n_ivhd);
	for (size_t i = 0; i < t.n_ivmd; i++)
		FZ_CHECK(t.ivmd[i].first <= t.ivmd[i].last || t.ivmd[i].type == IA_IVMD_TYPE_RANGE);
	/* The ends of the first ranges, each IOMMU's own function, and both ends of the space. */
	for (size_t i = 0; i < t.n_ranges && i < 32; i++) {
		uint16_t seg = t.ivhd[t.ranges[i].ivhd].segment;
		fz_lookup(&t, seg, t.ranges[i].first);
		fz_lookup(&t, seg, t.ranges[i].last);
	}
	for (size_t i = 0; i < t.n_ivhd && i < 16; i++)
		fz_lookup(&t, t.ivhd[i].segment, t.ivhd[i].devid);
	fz_lookup(&t, 0, 0);
	fz_lookup(&t, 0, 0xffff);
	ia_ivrs_free(&t);
	ia_ivrs_free(&t); /* zeroed by the first call */
	ia_diags_free(&d);
	return 0;
}
