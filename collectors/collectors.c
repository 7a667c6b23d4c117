// SPDX-License-Identifier: GPL-2.0-or-later
// The table of collectors and the driver that runs them over one root into one transaction.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "collect.h"
#include "db.h"
#include "ia_err.h"

extern const struct ia_collector ia_collector_kernel, ia_collector_pci, ia_collector_iommu;
extern const struct ia_collector ia_collector_acpi, ia_collector_dt;

const struct ia_collector *const ia_collectors[] = {
	&ia_collector_kernel,
	&ia_collector_pci,
	&ia_collector_iommu,
	&ia_collector_acpi,  /* after pci: DMAR scopes resolve through the collected topology */
	&ia_collector_dt,
};
const size_t ia_n_collectors = sizeof(ia_collectors) / sizeof(ia_collectors[0]);

void ia_ctx_error(struct ia_ctx *ctx, const char *subject, int code, long long offset,
		  const char *hides, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ia_db_error(ctx->db, ctx->collector ? ctx->collector : "core", subject, code, offset, msg, hides);
	ctx->errors++;
}

int ia_collect_all(struct ia_ctx *ctx)
{
	if (ia_db_exec(ctx->db, "BEGIN"))
		return -IA_E_SQLITE;
	for (size_t i = 0; i < ia_n_collectors; i++) {
		ctx->collector = ia_collectors[i]->name;
		int rc = ia_collectors[i]->collect(ctx);
		if (rc < 0)
			ia_ctx_error(ctx, ia_collectors[i]->name, rc, -1, NULL, "collector stopped: %s",
				     ia_strerror(rc));
	}
	ctx->collector = NULL;
	if (ia_db_exec(ctx->db, "COMMIT"))
		return -IA_E_SQLITE;
	return ctx->facts ? 0 : -ENODATA;
}
