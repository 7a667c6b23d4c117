// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz every sysfs/procfs attribute parser (numbers, booleans, pairs, resource, reserved_regions, cmdline) on the same text.
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "decode/sysfs_attr.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data; /* not NUL-terminated: the parsers take a length */
	struct ia_diags d = {0};
	static const int bases[] = { 0, 10, 16 };

	for (size_t i = 0; i < 3; i++) {
		uint64_t v = 0xa5a5a5a5u;
		if (ia_parse_u64(s, size, bases[i], &v) != 0)
			FZ_CHECK(v == 0xa5a5a5a5u); /* untouched on failure */
	}
	bool b;
	(void)ia_parse_bool(s, size, &b);
	uint64_t first, second;
	bool has_second;
	(void)ia_parse_pair_u64(s, size, ':', 10, false, &first, &second, &has_second);
	(void)ia_parse_pair_u64(s, size, ':', 16, true, &first, &second, &has_second);

	struct ia_pci_resource res[IA_PCI_MAX_RESOURCES];
	size_t n = 0;
	(void)ia_parse_resource(s, size, res, &n, &d);
	FZ_CHECK(n <= IA_PCI_MAX_RESOURCES);

	struct ia_resv_region *rv = NULL;
	size_t nr = 0;
	(void)ia_parse_reserved_regions(s, size, &rv, &nr, &d);
	FZ_CHECK(nr == 0 || rv);
	for (size_t i = 0; i < nr; i++) {
		FZ_CHECK(rv[i].start <= rv[i].end); /* checked before a line is kept */
		(void)ia_resv_type_name(rv[i].type);
	}
	free(rv);

	struct ia_cmdline_token *t = NULL;
	size_t nt = 0;
	if (ia_parse_cmdline(s, size, &t, &nt) == 0)
		for (size_t i = 0; i < nt; i++)
			FZ_CHECK(t[i].key && strlen(t[i].key) <= size);
	ia_cmdline_free(t, nt);
	ia_diags_free(&d);
	return 0;
}
