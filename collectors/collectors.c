// SPDX-License-Identifier: GPL-2.0-or-later
// The table of collectors and the driver that runs them over one root into one transaction.
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>

#include "collect.h"
#include "core/db.h"
#include "core/ia_err.h"

extern const struct ia_collector ia_collector_kernel, ia_collector_pci, ia_collector_iommu;
extern const struct ia_collector ia_collector_acpi, ia_collector_dt;
extern const struct ia_collector ia_collector_host_use;
extern const struct ia_collector ia_collector_identity;

const struct ia_collector *const ia_collectors[] = {
	&ia_collector_kernel,
	&ia_collector_pci,
	&ia_collector_iommu,
	&ia_collector_acpi,
	&ia_collector_dt,
	&ia_collector_host_use,
	&ia_collector_identity,
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

/* ia_collect_ordered()'s shared state; everything below the mutex is guarded by it. */
struct collect_ordered {
	pthread_mutex_t mu;
	pthread_cond_t cv;       /* an item was read, or the window moved */
	size_t n, window;
	size_t next;             /* the first item not yet claimed for reading */
	size_t stored;           /* items 0 .. stored-1 are stored */
	size_t sleepers;         /* threads waiting on cv */
	unsigned char *done;     /* done[i]: item i is read */
	void (*read)(void *arg, size_t i);
	void *arg;
};

/* With o->mu held: claim the next chunk that the window allows, read it unlocked, mark it read.
 * False when nothing can be claimed now. */
static bool collect_ordered_read_chunk(struct collect_ordered *o)
{
	size_t limit = o->stored + o->window < o->n ? o->stored + o->window : o->n;

	if (o->next >= limit)
		return false;
	size_t i = o->next, end = i + COLLECT_CHUNK < limit ? i + COLLECT_CHUNK : limit;
	o->next = end;
	pthread_mutex_unlock(&o->mu);
	for (size_t k = i; k < end; k++)
		o->read(o->arg, k);
	pthread_mutex_lock(&o->mu);
	memset(o->done + i, 1, end - i);
	if (o->sleepers)
		pthread_cond_broadcast(&o->cv);
	return true;
}

static void *collect_ordered_worker(void *p)
{
	struct collect_ordered *o = p;

	pthread_mutex_lock(&o->mu);
	while (o->next < o->n) {
		if (!collect_ordered_read_chunk(o)) {
			o->sleepers++;
			pthread_cond_wait(&o->cv, &o->mu);
			o->sleepers--;
		}
	}
	pthread_mutex_unlock(&o->mu);
	return NULL;
}

void ia_collect_ordered(size_t n, size_t window, void (*read)(void *arg, size_t i),
			void (*store)(void *arg, size_t i), void *arg)
{
	struct collect_ordered o = { .n = n, .window = window ? window : 1, .read = read, .arg = arg };
	pthread_t th[COLLECT_MAX_THREADS];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = n < 64 || cpus < 2 ? 1 : cpus > COLLECT_MAX_THREADS ? COLLECT_MAX_THREADS : (size_t)cpus;
	size_t started = 0;

	o.done = calloc(n ? n : 1, 1);
	if (!o.done || pthread_mutex_init(&o.mu, NULL)) {
		free(o.done);
		for (size_t i = 0; i < n; i++) { /* no memory for the flags: one item at a time, in order */
			read(arg, i);
			store(arg, i);
		}
		return;
	}
	pthread_cond_init(&o.cv, NULL);
	for (size_t t = 1; t < nt; t++) /* the calling thread reads too, when the next item is not ready */
		if (pthread_create(&th[started], NULL, collect_ordered_worker, &o) == 0)
			started++;
	pthread_mutex_lock(&o.mu);
	for (size_t i = 0; i < n; i++) {
		while (!o.done[i])
			if (!collect_ordered_read_chunk(&o)) {
				o.sleepers++;
				pthread_cond_wait(&o.cv, &o.mu);
				o.sleepers--;
			}
		pthread_mutex_unlock(&o.mu);
		store(arg, i);
		pthread_mutex_lock(&o.mu);
		o.stored = i + 1;
		if (o.sleepers && o.next < n && o.next == i + o.window) /* the window was full: it moved */
			pthread_cond_broadcast(&o.cv);
	}
	pthread_mutex_unlock(&o.mu);
	for (size_t t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	pthread_cond_destroy(&o.cv);
	pthread_mutex_destroy(&o.mu);
	free(o.done);
}

int ia_collect_order(const struct ia_collector *const *list, size_t n, size_t *order, size_t *bad)
{
	uint64_t done = 0, after[64] = {0}; /* after[i]: the collectors i must follow */

	*bad = 0;
	if (n > 64)
		return -IA_E_RANGE;
	for (size_t i = 0; i < n; i++) {
		ia_fact_set need = list[i]->needs, met = 0;
		for (size_t k = 0; k < n; k++)
			if (k != i && (list[k]->writes & need)) {
				after[i] |= (uint64_t)1 << k;
				met |= list[k]->writes & need;
			}
		if (met != need) {
			*bad = i;
			return -ENOENT;
		}
	}
	for (size_t placed = 0; placed < n; placed++) {
		size_t i = 0;
		while (i < n && ((done >> i & 1) || (after[i] & ~done)))
			i++;
		if (i == n) { /* every collector left waits for another one left */
			while ((done >> *bad) & 1)
				(*bad)++;
			return -IA_E_LOOP;
		}
		order[placed] = i;
		done |= (uint64_t)1 << i;
	}
	return 0;
}

ia_fact_set ia_collect_unguaranteed_references(const struct ia_collector *const *list, size_t n)
{
	ia_fact_set check = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t t = 0; t < IA_FACT_N_TABLES; t++) {
			ia_fact_set parents = ia_fact_parents((enum ia_fact_table_id)t);
			if ((list[i]->writes >> t & 1) && (parents & ~(list[i]->writes | list[i]->needs)))
				check |= (ia_fact_set)1 << t;
		}
	return check;
}

int ia_collect_run(struct ia_ctx *ctx, const struct ia_collector *const *list, size_t n)
{
	size_t order[64], bad;
	int rc = ia_collect_order(list, n, order, &bad);

	if (ia_db_exec(ctx->db, "BEGIN"))
		return -IA_E_SQLITE;
	if (rc < 0) {
		ia_ctx_error(ctx, n ? list[bad]->name : "collectors", rc, -1, "every fact",
			     rc == -ENOENT ? "collector %s needs a table no collector writes: nothing collected"
			     : "collectors' needs form a cycle through %s: nothing collected",
			     n ? list[bad]->name : "none");
		ia_db_exec(ctx->db, "COMMIT");
		return rc;
	}
	for (size_t j = 0; j < n; j++) {
		const struct ia_collector *c = list[order[j]];
		ctx->collector = c->name;
		int crc = c->collect(ctx);
		if (crc < 0)
			ia_ctx_error(ctx, c->name, crc, -1, NULL, "collector stopped: %s", ia_strerror(crc));
	}
	ctx->collector = NULL;
	/* every REFERENCES no collector guarantees holds over what was written, or each row that
	 * breaks one is said */
	ia_fact_set check = ia_collect_unguaranteed_references(list, n);
	for (size_t t = 0; t < IA_FACT_N_TABLES; t++) {
		size_t dangling = 0;
		if (!(check >> t & 1))
			continue;
		if (ia_db_check_references(ctx->db, ia_fact_tables[t].name, &dangling) < 0)
			ia_ctx_error(ctx, "facts", -IA_E_SQLITE, -1, ia_fact_tables[t].name,
				     "could not check the rows' references: %s", sqlite3_errmsg(ctx->db));
		ctx->errors += dangling;
	}
	if (ia_db_exec(ctx->db, "COMMIT"))
		return -IA_E_SQLITE;
	return ctx->facts ? 0 : -ENODATA;
}

int ia_collect_all(struct ia_ctx *ctx)
{
	return ia_collect_run(ctx, ia_collectors, ia_n_collectors);
}
