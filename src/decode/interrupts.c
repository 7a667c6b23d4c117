// SPDX-License-Identifier: GPL-2.0-or-later
// Fields of proc/interrupts lines (MSI chip names, hardware IRQ numbers), decoded without I/O.
#include "decode/interrupts.h"

#include <errno.h>
#include <string.h>

void ia_msi_chip_decode(const char *chip, struct ia_msi_chip *out)
{
	memset(out, 0, sizeof(*out));
	if (!chip)
		return;
	const char *b = strstr(chip, "PCI-MSI");
	out->pci_msi = b || !strcmp(chip, "ITS-MSI") || !strcmp(chip, "MSI");
	if (!b)
		return;
	const char *dash = strchr(b + 7, '-');
	if (dash) {
		out->has_bdf = true;
		out->bdf_off = (size_t)(dash + 1 - chip);
		out->bdf_len = strlen(dash + 1);
	} else {
		out->rid_in_hwirq = true;
	}
}

int ia_irq_hwirq_decode(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

void ia_x86_msi_hwirq_bdf(uint64_t hw, char bdf[IA_BDF_BUFSZ])
{
	struct ia_bdf b = { .domain = (uint32_t)(hw >> 27) & 0xffff, .bus = (uint8_t)(hw >> 19),
			    .dev = (uint8_t)((hw >> 14) & 0x1f), .fn = (uint8_t)((hw >> 11) & 7) };

	ia_bdf_format(b, bdf);
}
