// SPDX-License-Identifier: GPL-2.0-or-later
// The audited host's identity loaded from host_identity, the audit's time, and the board line of the text header.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "core/db.h"
#include "core/facts.h"
#include "core/ia_err.h"
#include "model/identity_model.h"

int ia_identity_load(sqlite3 *db, struct ia_identity *id)
{
	struct ia_fact_cursor c;
	struct ia_fact_host_identity row = {0};
	int rc = ia_fact_select(db, IA_FACT_host_identity, NULL, "WHERE id = 1", &c);

	if (rc < 0)
		return rc;
	rc = ia_fact_next(&c, &row);
	if (rc == 1) {
		const char *dmi[IA_IDENTITY_N_DMI] = {
			row.sys_vendor, row.product_name, row.product_version, row.board_vendor,
			row.board_name, row.bios_vendor, row.bios_version, row.bios_date,
		};
		bool oom = false;
		id->collected = true;
		id->dmi_present = row.dmi_present.has && row.dmi_present.v;
#define ID_DUP(dst, src) do { if (src && !(dst = strdup(src))) oom = true; } while (0)
		ID_DUP(id->hostname, row.hostname);
		ID_DUP(id->machine_id, row.machine_id);
		for (size_t i = 0; i < IA_IDENTITY_N_DMI; i++)
			ID_DUP(id->dmi[i], dmi[i]);
		ID_DUP(id->cpu_model, row.cpu_model);
		ID_DUP(id->cpu_arch, row.cpu_arch);
#undef ID_DUP
		rc = oom ? -ENOMEM : 0;
	}
	ia_fact_cursor_close(&c);
	return rc < 0 ? rc : 0;
}

void ia_identity_stamp(struct ia_identity *id, time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(id->audited_at, sizeof(id->audited_at), "%Y-%m-%dT%H:%M:%SZ", &tm))
		id->audited_at[0] = '\0';
}

/* Append the non-NULL strings of @v (@n of them) to @b separated by spaces; return how many. */
static int identity_join(char *b, size_t cap, const char *const *v, size_t n)
{
	int k = 0;

	for (size_t i = 0; i < n; i++) {
		if (!v[i])
			continue;
		size_t l = strlen(b);
		snprintf(b + l, cap - l, "%s%s", k++ ? " " : "", v[i]);
	}
	return k;
}

const char *ia_identity_board_line(const struct ia_identity *id, char *buf, size_t cap)
{
	char *const *d = id->dmi;
	const char *board[] = { d[IA_DMI_BOARD_VENDOR], d[IA_DMI_BOARD_NAME] };
	const char *sys[] = { d[IA_DMI_SYS_VENDOR], d[IA_DMI_PRODUCT_NAME], d[IA_DMI_PRODUCT_VERSION] };
	const char *bios[] = { d[IA_DMI_BIOS_VENDOR], d[IA_DMI_BIOS_VERSION], d[IA_DMI_BIOS_DATE] };
	char b[256] = "", s[256] = "", f[256] = "";
	int nb = identity_join(b, sizeof(b), board, 2), ns = identity_join(s, sizeof(s), sys, 3);
	int nf = identity_join(f, sizeof(f), bios, 3);

	if (!id->dmi_present) {
		snprintf(buf, cap, "board and BIOS: not recorded (no sys/class/dmi/id in the facts)");
		return buf;
	}
	if (!nb && !ns && !nf) {
		snprintf(buf, cap, "board and BIOS: not readable (sys/class/dmi/id holds none of its attributes)");
		return buf;
	}
	snprintf(buf, cap, "board: %s%s%s%s; BIOS %s", nb ? b : "unknown", ns ? " (system " : "", ns ? s : "",
		 ns ? ")" : "", nf ? f : "unknown");
	return buf;
}

void ia_identity_free(struct ia_identity *id)
{
	if (!id)
		return;
	free(id->hostname);
	free(id->machine_id);
	for (size_t i = 0; i < IA_IDENTITY_N_DMI; i++)
		free(id->dmi[i]);
	free(id->cpu_model);
	free(id->cpu_arch);
	memset(id, 0, sizeof(*id));
}
