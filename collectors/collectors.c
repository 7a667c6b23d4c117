// SPDX-License-Identifier: GPL-2.0-or-later
// The table of collectors and the driver that runs them over one root into one transaction.
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

void ia_defer_error(struct ia_deferred *d, const char *subject, int code, long long offset,
		    const char *hides, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct ia_deferred_err *nv = realloc(d->v, (d->n + 1) * sizeof(*nv));
	if (!nv)
		return;
	d->v = nv;
	nv[d->n] = (struct ia_deferred_err){ strdup(subject), code, offset, hides, strdup(msg) };
	if (!nv[d->n].subject || !nv[d->n].msg) {
		free(nv[d->n].subject);
		free(nv[d->n].msg);
		return;
	}
	d->n++;
}

void ia_deferred_flush(struct ia_ctx *ctx, struct ia_deferred *d)
{
	for (size_t i = 0; i < d->n; i++) {
		ia_ctx_error(ctx, d->v[i].subject, d->v[i].code, d->v[i].offset, d->v[i].hides, "%s",
			     d->v[i].msg);
		free(d->v[i].subject);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

#define COLLECT_MAX_THREADS 8
#define COLLECT_CHUNK 16

struct collect_pool {
	size_t n;
	atomic_size_t next;
	void (*work)(void *arg, size_t i);
	void *arg;
};

static void *collect_worker(void *p)
{
	struct collect_pool *pool = p;

	for (;;) {
		size_t i = atomic_fetch_add(&pool->next, COLLECT_CHUNK);
		if (i >= pool->n)
			return NULL;
		size_t end = i + COLLECT_CHUNK < pool->n ? i + COLLECT_CHUNK : pool->n;
		for (; i < end; i++)
			pool->work(pool->arg, i);
	}
}

void ia_collect_parallel(size_t n, void (*work)(void *arg, size_t i), void *arg)
{
	struct collect_pool pool = { .n = n, .work = work, .arg = arg };
	pthread_t th[COLLECT_MAX_THREADS];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = n < 64 || cpus < 2 ? 1 : cpus > COLLECT_MAX_THREADS ? COLLECT_MAX_THREADS : (size_t)cpus;
	size_t started = 0;

	atomic_init(&pool.next, 0);
	for (size_t t = 1; t < nt; t++)
		if (pthread_create(&th[started], NULL, collect_worker, &pool) == 0)
			started++;
	collect_worker(&pool); /* the calling thread works too */
	for (size_t t = 0; t < started; t++)
		pthread_join(th[t], NULL);
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
