// SPDX-License-Identifier: GPL-2.0-or-later
// Host-identity collector: host name, machine-id, DMI system/board/BIOS strings and CPU model, into host_identity.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "core/db.h"
#include "core/facts.h"
#include "core/ia_err.h"
#include "decode/identity.h"

/*
 * One small text attribute into @buf (@cap bytes), trimmed; *@out = the text, or NULL when absent,
 * empty or unreadable. An unreadable (not absent) file is a collection error saying what it hides.
 */
static void identity_attr(struct ia_ctx *ctx, const char *rel, char *buf, size_t cap, const char *hides,
			  const char **out)
{
	long n = ia_fsroot_read_small(ctx->root, rel, buf, cap);

	*out = NULL;
	if (n < 0) {
		if (n != -ENOENT)
			ia_ctx_error(ctx, rel, (int)n, -1, hides, "cannot read %s: %s", rel, ia_strerror((int)n));
		return;
	}
	char *t = ia_identity_trim(buf);
	if (*t)
		*out = t;
}

/* Write the one host_identity row. Not counted in ctx->facts: a tree holding only these files is
 * no host to audit. Return: 0 or the database's error. */
static int identity_store(struct ia_ctx *ctx, const struct ia_fact_host_identity *row)
{
	sqlite3_stmt *st;
	int rc = ia_fact_prepare_insert(ctx->db, IA_FACT_host_identity, NULL, &st);

	if (rc == 0) {
		ia_fact_bind(st, IA_FACT_host_identity, row);
		rc = ia_db_step_done(st);
		sqlite3_finalize(st);
	}
	return rc < 0 ? rc : 0;
}

static int identity_collect(struct ia_ctx *ctx)
{
	char host[128], mid[128], dmi[IA_IDENTITY_N_DMI][256], model[512];
	const char *dmi_v[IA_IDENTITY_N_DMI] = {0};
	const char *hostname, *machine_id, *arch = NULL;
	char *cpuinfo = NULL;
	size_t len;

	/* an lspci dump, an acpidump or a DTB given without --root is a host of its own (issue 14 item 4):
	 * the machine running the tool is not it, so none of its identity enters the facts */
	if (ctx->root->live && ctx->opts && (ctx->opts->pci_dump || ctx->opts->acpidump || ctx->opts->dtb))
		return identity_store(ctx, &(const struct ia_fact_host_identity){ .id = ia_fact_i(true, 1),
										  .dmi_present = ia_fact_i(true, 0) });
	identity_attr(ctx, "proc/sys/kernel/hostname", host, sizeof(host), "the host name in the report", &hostname);
	identity_attr(ctx, "etc/machine-id", mid, sizeof(mid), "the machine-id in the report", &machine_id);
	if (machine_id && !ia_identity_machine_id_ok(machine_id)) {
		ia_ctx_error(ctx, "etc/machine-id", -IA_E_FORMAT, -1, "the machine-id in the report",
			     "etc/machine-id is not 32 lower-case hexadecimal digits");
		machine_id = NULL;
	}
	bool dmi_present = ia_fsroot_exists(ctx->root, "sys/class/dmi/id");
	for (size_t i = 0; dmi_present && i < IA_IDENTITY_N_DMI; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "sys/class/dmi/id/%s", ia_identity_dmi_attrs[i]);
		identity_attr(ctx, rel, dmi[i], sizeof(dmi[i]), "the system, board and BIOS in the report", &dmi_v[i]);
	}
	model[0] = '\0';
	int rc = ia_fsroot_read(ctx->root, "proc/cpuinfo", 4u << 20, &cpuinfo, &len);
	if (rc == 0)
		ia_identity_cpuinfo(cpuinfo, model, sizeof(model), &arch);
	else if (rc != -ENOENT)
		ia_ctx_error(ctx, "proc/cpuinfo", rc, -1, "the CPU model in the report",
			     "cannot read proc/cpuinfo: %s", ia_strerror(rc));

	const struct ia_fact_host_identity row = {
		.id = ia_fact_i(true, 1),
		.hostname = hostname,
		.machine_id = machine_id,
		.dmi_present = ia_fact_i(true, dmi_present),
		.sys_vendor = dmi_v[0], .product_name = dmi_v[1], .product_version = dmi_v[2],
		.board_vendor = dmi_v[3], .board_name = dmi_v[4], .bios_vendor = dmi_v[5],
		.bios_version = dmi_v[6], .bios_date = dmi_v[7],
		.cpu_model = model[0] ? model : NULL,
		.cpu_arch = arch,
	};
	rc = identity_store(ctx, &row);
	free(cpuinfo);
	return rc;
}

const struct ia_collector ia_collector_identity = {
	.name = "identity",
	.reads = "proc/sys/kernel/hostname, etc/machine-id, sys/class/dmi/id/{sys_vendor,product_name,"
		 "product_version,board_vendor,board_name,bios_vendor,bios_version,bios_date}, proc/cpuinfo",
	.writes = IA_FACT_BIT(host_identity),
	.collect = identity_collect,
};
