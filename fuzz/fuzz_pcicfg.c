// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz the config-space decoder (capability and extended-capability walks) with any readable length.
#include <stdbool.h>

#include "decode/pcicfg.h"
#include "fuzz.h"

/* The input is the readable prefix of a config space, as the sysfs `config` file gives it. */
static void fz_decode(const uint8_t *data, size_t readable, size_t cfg_size)
{
	struct ia_pcicfg c;
	struct ia_diags d = {0};

	ia_pcicfg_decode(data, readable, cfg_size, &c, &d);
	FZ_CHECK(c.n_caps <= IA_PCICFG_MAX_CAPS);
	for (size_t i = 0; i < c.n_caps; i++) {
		const struct ia_pcicap *p = &c.caps[i];
		/* Standard capabilities live in 0x40..0xff, extended ones in 0x100..0xfff. */
		FZ_CHECK(p->ext ? p->offset >= 0x100 && p->offset < IA_PCI_CFG_EXT
				: p->offset >= 0x40 && p->offset < IA_PCI_CFG_LEGACY);
		FZ_CHECK(ia_pcicfg_find(&c, p->ext, p->id) != NULL);
	}
	(void)ia_pcie_type_name(c.pcie_type);
	for (size_t i = 0; i < d.n; i++)
		FZ_CHECK(d.v[i].code < 0);
	ia_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t readable = size > IA_PCI_CFG_EXT ? IA_PCI_CFG_EXT : size;

	/* The size the kernel exposes unknown, legacy, and extended: each bounds the walks differently. */
	fz_decode(data, readable, 0);
	fz_decode(data, readable, IA_PCI_CFG_LEGACY);
	fz_decode(data, readable, IA_PCI_CFG_EXT);
	return 0;
}
