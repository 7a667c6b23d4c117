// SPDX-License-Identifier: GPL-2.0-or-later
// ia_collect_ordered(): every item read once, stored in order after its read, never more than the
// window read ahead, on every path (one thread, several, a window of 1); ia_collect_order(): the
// collectors run after those whose tables they need, and a need nobody writes is an error.
#include "testutil.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collectors/collect.h"
#include "core/db.h"
#include "core/fsroot.h"
#include "core/ia_err.h"

struct ord {
	size_t n, window;
	atomic_int *reads;         /* reads[i]: times item i was read */
	atomic_size_t stored;      /* items stored so far */
	atomic_size_t max_ahead;   /* the most items read and not yet stored at once */
	atomic_size_t in_flight;   /* read and not yet stored */
	size_t *slot;              /* slot[i % window] = i, written by read, checked by store */
	size_t bad_order, bad_slot, bad_unread;
	pthread_t main;
	atomic_size_t off_main;    /* reads done on another thread */
};

static void ord_read(void *arg, size_t i)
{
	struct ord *o = arg;
	size_t now = atomic_fetch_add(&o->in_flight, 1) + 1, seen = atomic_load(&o->max_ahead);

	while (now > seen && !atomic_compare_exchange_weak(&o->max_ahead, &seen, now))
		;
	if (i % 7 == 0) { /* uneven work, so threads overtake each other */
		struct timespec ts = { 0, 20000 };
		nanosleep(&ts, NULL);
	}
	o->slot[i % o->window] = i;
	atomic_fetch_add(&o->reads[i], 1);
	if (!pthread_equal(pthread_self(), o->main))
		atomic_fetch_add(&o->off_main, 1);
}

static void ord_store(void *arg, size_t i)
{
	struct ord *o = arg;

	if (i != atomic_load(&o->stored))
		o->bad_order++;
	if (atomic_load(&o->reads[i]) != 1)
		o->bad_unread++;
	if (o->slot[i % o->window] != i)
		o->bad_slot++;
	atomic_fetch_add(&o->stored, 1);
	atomic_fetch_sub(&o->in_flight, 1);
}

static struct ord run_ordered(size_t n, size_t window)
{
	struct ord o = { .n = n, .window = window ? window : 1, .main = pthread_self() };

	o.reads = calloc(n ? n : 1, sizeof(*o.reads));
	o.slot = calloc(o.window, sizeof(*o.slot));
	assert_non_null(o.reads);
	assert_non_null(o.slot);
	ia_collect_ordered(n, window, ord_read, ord_store, &o);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(atomic_load(&o.reads[i]), 1);
	assert_int_equal(atomic_load(&o.stored), n);
	assert_int_equal(o.bad_order, 0);
	assert_int_equal(o.bad_unread, 0);
	assert_int_equal(o.bad_slot, 0);
	assert_true(atomic_load(&o.max_ahead) <= o.window);
	free(o.reads);
	free(o.slot);
	return o;
}

static void test_ordered_many(void **state)
{
	(void)state;
	struct ord o = run_ordered(5000, 64);
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
		assert_true(atomic_load(&o.off_main) > 0); /* the reads really were spread */
}

static void test_ordered_window_one(void **state)
{
	(void)state;
	run_ordered(300, 1);
	run_ordered(300, 0); /* 0 counts as 1 */
}

static void test_ordered_window_all(void **state)
{
	(void)state;
	run_ordered(1000, 1000);
}

static void test_ordered_small_and_empty(void **state)
{
	(void)state;
	struct ord o = run_ordered(10, 4); /* below 64: the calling thread alone */
	assert_int_equal(atomic_load(&o.off_main), 0);
	run_ordered(0, 16);
	run_ordered(1, 16);
}

/* ---- ia_collect_order() -------------------------------------------------------------------- */

static size_t pos_of(const struct ia_collector *const *list, const size_t *order, size_t n, const char *name)
{
	for (size_t j = 0; j < n; j++)
		if (!strcmp(list[order[j]]->name, name))
			return j;
	fail_msg("collector %s not in the order", name);
	return 0;
}

/* The real table: acpi and dt read pci_function, so they run after pci; the rest keep their place. */
static void test_order_real_collectors(void **state)
{
	(void)state;
	size_t order[64], bad = 99;

	assert_int_equal(ia_collect_order(ia_collectors, ia_n_collectors, order, &bad), 0);
	assert_true(pos_of(ia_collectors, order, ia_n_collectors, "pci") <
		    pos_of(ia_collectors, order, ia_n_collectors, "acpi"));
	assert_true(pos_of(ia_collectors, order, ia_n_collectors, "pci") <
		    pos_of(ia_collectors, order, ia_n_collectors, "dt"));
	/* fw_unit rows are numbered in firmware order: the ACPI tables, then DT */
	assert_true(pos_of(ia_collectors, order, ia_n_collectors, "acpi") <
		    pos_of(ia_collectors, order, ia_n_collectors, "dt"));
	/* every table a collector needs is written by some collector */
	for (size_t i = 0; i < ia_n_collectors; i++) {
		ia_fact_set w = 0;
		for (size_t k = 0; k < ia_n_collectors; k++)
			w |= k != i ? ia_collectors[k]->writes : 0;
		assert_int_equal(ia_collectors[i]->needs & ~w, 0);
	}
}

static char fake_log[64]; /* the fake collectors' names, in the order they ran */

static int fake_run(struct ia_ctx *ctx)
{
	size_t k = strlen(fake_log);

	snprintf(fake_log + k, sizeof(fake_log) - k, "%s ", ctx->collector);
	return 0;
}

static const struct ia_collector fake_fw = { "fw", "", IA_FACT_BIT(fw_unit), IA_FACT_BIT(pci_function), fake_run };
static const struct ia_collector fake_pci = { "pci", "", IA_FACT_BIT(pci_function), 0, fake_run };
static const struct ia_collector fake_kernel = { "kernel", "", IA_FACT_BIT(host), 0, fake_run };
static const struct ia_collector fake_units = { "units", "", IA_FACT_BIT(iommu_unit), IA_FACT_BIT(fw_unit), fake_run };
static const struct ia_collector fake_orphan = { "orphan", "", IA_FACT_BIT(dt_blob), IA_FACT_BIT(interrupt_chip), fake_run };
static const struct ia_collector fake_loop_a = { "a", "", IA_FACT_BIT(dt_port), IA_FACT_BIT(dt_host_bridge), fake_run };
static const struct ia_collector fake_loop_b = { "b", "", IA_FACT_BIT(dt_host_bridge), IA_FACT_BIT(dt_port), fake_run };

/* Listed needing-first, they still run writer-first; independent ones keep the list order. */
static void test_order_from_needs(void **state)
{
	(void)state;
	const struct ia_collector *const list[] = { &fake_units, &fake_fw, &fake_kernel, &fake_pci };
	size_t order[4], bad;

	assert_int_equal(ia_collect_order(list, 4, order, &bad), 0);
	/* kernel (free, listed before pci), pci, then fw (needs pci_function), then units (needs fw_unit) */
	assert_int_equal(order[0], 2);
	assert_int_equal(order[1], 3);
	assert_int_equal(order[2], 1);
	assert_int_equal(order[3], 0);
}

/* A need that no collector writes, and a collector that needs only its own table, are errors. */
static void test_order_unmet_need(void **state)
{
	(void)state;
	const struct ia_collector *const list[] = { &fake_pci, &fake_orphan, &fake_kernel };
	const struct ia_collector *const fw_alone[] = { &fake_kernel, &fake_fw };
	const struct ia_collector self = { "self", "", IA_FACT_BIT(pci_function), IA_FACT_BIT(pci_function), fake_run };
	const struct ia_collector *const self_only[] = { &self };
	size_t order[4], bad = 99;

	assert_int_equal(ia_collect_order(list, 3, order, &bad), -ENOENT);
	assert_int_equal(bad, 1);
	assert_int_equal(ia_collect_order(fw_alone, 2, order, &bad), -ENOENT);
	assert_int_equal(bad, 1);
	assert_int_equal(ia_collect_order(self_only, 1, order, &bad), -ENOENT);
	assert_int_equal(bad, 0);
}

static void test_order_cycle(void **state)
{
	(void)state;
	const struct ia_collector *const list[] = { &fake_kernel, &fake_loop_a, &fake_loop_b };
	size_t order[4], bad = 99;

	assert_int_equal(ia_collect_order(list, 3, order, &bad), -IA_E_LOOP);
	assert_true(bad == 1 || bad == 2);
}

/* ia_collect_run() runs the collectors in that order, and on an unmet need runs none and says why. */
static void test_collect_run_order_and_error(void **state)
{
	(void)state;
	sqlite3 *db;
	const char *err;
	fake_log[0] = '\0';
	struct ia_collect_opts opts = {0};
	const struct ia_collector *const good[] = { &fake_fw, &fake_pci };
	const struct ia_collector *const unmet[] = { &fake_fw, &fake_orphan, &fake_pci };

	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	struct ia_ctx ctx = { .db = db, .opts = &opts };
	assert_int_equal(ia_collect_run(&ctx, good, 2), -ENODATA); /* the fakes write no facts */
	assert_string_equal(fake_log, "pci fw ");
	assert_int_equal(ctx.errors, 0);

	fake_log[0] = '\0';
	assert_int_equal(ia_collect_run(&ctx, unmet, 3), -ENOENT);
	assert_string_equal(fake_log, "");
	assert_int_equal(ctx.errors, 1);
	sqlite3_stmt *st;
	assert_int_equal(ia_db_prepare(db, "SELECT subject, code, message FROM collection_error", &st), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "orphan");
	assert_int_equal(sqlite3_column_int(st, 1), -ENOENT);
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 2), "needs a table no collector writes"));
	sqlite3_finalize(st);
	ia_db_close(db);
}

/* One collector writes a function and an MSI controller; another, which needs neither table,
 * writes a capability of a function nobody collected and an MSI route to a controller nobody
 * described. */
static int fake_parents(struct ia_ctx *ctx)
{
	ctx->facts++;
	return ia_db_exec(ctx->db, "INSERT INTO pci_function(bdf, domain, bus, dev, fn, config_bytes, is_vf)"
				   " VALUES ('0000:00:01.0', 0, 0, 1, 0, 0, 0);"
				   "INSERT INTO msi_controller(kind, source, name) VALUES ('other', 'DT', '/its')");
}

static int fake_dangling(struct ia_ctx *ctx)
{
	ctx->facts++;
	return ia_db_exec(ctx->db, "INSERT INTO pci_capability VALUES ('0000:00:02.0', 0, 16, 64, NULL);"
				   "INSERT INTO pci_capability VALUES ('0000:00:01.0', 0, 16, 64, NULL);"
				   "INSERT INTO pci_msi_route VALUES ('0000:00:01.0', 7, NULL, 'iort')");
}

/* The references checked after collection are those of a table whose writer neither writes nor
 * needs the parent; the others hold by construction (test_known_answers checks them all). */
static void test_collect_unguaranteed_references(void **state)
{
	(void)state;
	const struct ia_collector parents = { "parents", "", IA_FACT_BIT(pci_function) | IA_FACT_BIT(msi_controller), 0,
					      fake_parents };
	const struct ia_collector blind = { "blind", "", IA_FACT_BIT(pci_capability) | IA_FACT_BIT(pci_msi_route), 0,
					    fake_dangling };
	const struct ia_collector reader = { "reader", "", IA_FACT_BIT(pci_capability) | IA_FACT_BIT(pci_msi_route),
					     IA_FACT_BIT(pci_function) | IA_FACT_BIT(msi_controller), fake_dangling };
	const struct ia_collector half = { "half", "", IA_FACT_BIT(pci_msi_route), IA_FACT_BIT(msi_controller),
					   fake_dangling };
	const struct ia_collector self = { "self", "", IA_FACT_BIT(pci_function) | IA_FACT_BIT(pci_bar), 0, fake_parents };
	const struct ia_collector *const l1[] = { &parents, &blind }, *const l2[] = { &parents, &reader },
				  *const l3[] = { &parents, &half }, *const l4[] = { &self };

	assert_int_equal(ia_collect_unguaranteed_references(l1, 2), IA_FACT_BIT(pci_capability) | IA_FACT_BIT(pci_msi_route));
	assert_int_equal(ia_collect_unguaranteed_references(l2, 2), 0);
	/* pci_msi_route names pci_function too: needing only the controllers leaves the functions unchecked */
	assert_int_equal(ia_collect_unguaranteed_references(l3, 2), IA_FACT_BIT(pci_msi_route));
	assert_int_equal(ia_collect_unguaranteed_references(l4, 1), 0);
	assert_int_equal(ia_fact_parents(IA_FACT_pci_msi_route), IA_FACT_BIT(pci_function) | IA_FACT_BIT(msi_controller));
	assert_int_equal(ia_fact_parents(IA_FACT_pci_function), 0);
}

/* The unguaranteed references are checked after collection: each dangling row is a collection
 * error that names the table and the relation, and the rows themselves stay. */
static void test_collect_dangling_references(void **state)
{
	(void)state;
	sqlite3 *db;
	sqlite3_stmt *st;
	const char *err;
	struct ia_collect_opts opts = {0};
	const struct ia_collector parents = { "parents", "", IA_FACT_BIT(pci_function) | IA_FACT_BIT(msi_controller), 0,
					      fake_parents };
	const struct ia_collector dangling = { "dangling", "", IA_FACT_BIT(pci_capability) | IA_FACT_BIT(pci_msi_route), 0,
					       fake_dangling };
	const struct ia_collector *const list[] = { &parents, &dangling };

	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	struct ia_ctx ctx = { .db = db, .opts = &opts };
	assert_int_equal(ia_collect_run(&ctx, list, 2), 0);
	assert_int_equal(ctx.errors, 2);
	assert_int_equal(ia_db_prepare(db, "SELECT collector, subject, code, message FROM collection_error ORDER BY subject", &st), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "facts");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "pci_capability");
	assert_int_equal(sqlite3_column_int(st, 2), -ENOENT);
	assert_string_equal((const char *)sqlite3_column_text(st, 3),
			    "a row of pci_capability names pci_function(bdf) through its bdf, and no such row was collected");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "pci_msi_route");
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 3), "msi_controller(id) through its controller_id"));
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(ia_db_prepare(db, "SELECT count(*) FROM pci_capability", &st), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2); /* reported, not dropped */
	sqlite3_finalize(st);
	ia_db_close(db);
}

/* ---- the pci collector writes each pci_function row once ------------------------------------ */

extern const struct ia_collector ia_collector_pci;

static int update_hook_count;

static void count_updates(void *arg, int op, const char *dbname, const char *table, sqlite3_int64 rowid)
{
	(void)arg; (void)dbname; (void)rowid;
	if (op == SQLITE_UPDATE && (!strcmp(table, "pci_function") || !strcmp(table, "host")))
		update_hook_count++;
}

/* One PCI function at @dir (relative to the scratch root) with 256 bytes of config. */
static void mk_function(const char *dir, const char *bdf)
{
	static uint8_t cfg[256] = { 0x86, 0x80, 0x1d, 0x20 };
	char rel[512], target[512];

	snprintf(rel, sizeof(rel), "root/%s/config", dir);
	ia_mk_file(rel, cfg, sizeof(cfg));
	snprintf(rel, sizeof(rel), "root/sys/bus/pci/devices/%s", bdf);
	snprintf(target, sizeof(target), "../../../../%s", dir);
	ia_mk_link(rel, target);
}

/*
 * The Intel VMD owner (real_dma_bdf) and an unreadable driver link (driver_read = 0) are in the
 * row as first written: no UPDATE of pci_function (the collector used to UPDATE both afterwards).
 */
static void test_pci_writes_each_row_once(void **state)
{
	(void)state;
	struct ia_fsroot root;
	sqlite3 *db;
	sqlite3_stmt *st;
	const char *err;
	struct ia_collect_opts opts = {0};
	const struct ia_collector *const list[] = { &ia_collector_pci };

	assert_int_equal(ia_scratch_make("collect"), 0);
	mk_function("sys/devices/pci0000:00/0000:00:0e.0", "0000:00:0e.0");
	mk_function("sys/devices/pci0000:00/0000:00:0e.0/pci10000:00/10000:00:02.0", "10000:00:02.0");
	ia_mk_text("root/sys/devices/pci0000:00/0000:00:0e.0/driver", "not a link\n"); /* readlink: EINVAL */
	assert_int_equal(ia_fsroot_open(&root, ia_sp("root")), 0);
	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	update_hook_count = 0;
	sqlite3_update_hook(db, count_updates, NULL);
	struct ia_ctx ctx = { .root = &root, .db = db, .opts = &opts };
	assert_int_equal(ia_collect_run(&ctx, list, 1), 0);
	assert_int_equal(ctx.facts, 2);
	assert_int_equal(update_hook_count, 0);
	assert_int_equal(ia_db_prepare(db, "SELECT bdf, real_dma_bdf, driver_read FROM pci_function ORDER BY bdf", &st), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "0000:00:0e.0");
	assert_int_equal(sqlite3_column_type(st, 1), SQLITE_NULL);
	assert_int_equal(sqlite3_column_int(st, 2), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "10000:00:02.0");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "0000:00:0e.0");
	assert_int_equal(sqlite3_column_int(st, 2), 1);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	ia_db_close(db);
	ia_fsroot_close(&root);
	assert_int_equal(ia_scratch_remove(), 0);
}

/* Two functions' first 256 config bytes: a PCI Express downstream port and a conventional PCI one. */
static void cfg256(uint8_t pcie[256], uint8_t pci[256])
{
	memset(pcie, 0, 256);
	memset(pci, 0, 256);
	pcie[0] = 0x86, pcie[1] = 0x80, pcie[2] = 0x1d, pcie[3] = 0x20;
	pci[0] = 0x86, pci[1] = 0x80, pci[2] = 0x1e, pci[3] = 0x20;
	pcie[0x06] = 0x10;                    /* status: capability list */
	pcie[0x0b] = 0x06, pcie[0x0a] = 0x04; /* class 0604: a PCI bridge */
	pcie[0x0e] = 0x01;                    /* header type 1 */
	pcie[0x34] = 0x40;
	pcie[0x40] = 0x10;                    /* PCI Express capability, last */
	pcie[0x42] = 0x62;                    /* version 2, downstream port (6 << 4) */
}

/* has_acs of 0000:00:01.0 (the PCIe port) and 0000:00:02.0 (-1 for NULL), and how many collection
 * errors say only 256 of 4096 bytes were readable. */
static void acs_of(sqlite3 *db, int *pcie, int *pci, int *short_reads)
{
	sqlite3_stmt *st;

	assert_int_equal(ia_db_prepare(db, "SELECT (SELECT ifnull(has_acs, -1) FROM pci_function WHERE bdf = '0000:00:01.0'),"
				       " (SELECT ifnull(has_acs, -1) FROM pci_function WHERE bdf = '0000:00:02.0'),"
				       " (SELECT count(*) FROM collection_error WHERE message LIKE 'only 256 of 4096 config bytes%')",
				       &st), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	*pcie = sqlite3_column_int(st, 0);
	*pci = sqlite3_column_int(st, 1);
	*short_reads = sqlite3_column_int(st, 2);
	sqlite3_finalize(st);
}

/*
 * 256 config bytes. In a capture's sysfs file they are the kernel's size (pci_cfg_space_size():
 * no extended space reached), so ACS is absent for both functions, as the kernel sees it. In an
 * lspci -xxx dump they are the first 256 whatever the space: a PCI Express function's extended
 * capabilities are then unknown, not absent ("a truncated config space is not 'no ACS'"), while a
 * conventional function's 256 are complete (the reviewers: the rule first took captures' files for
 * truncated too, though iommu-audit's own snapshot copies them whole).
 */
static void test_pci_256_of_pcie(void **state)
{
	(void)state;
	struct ia_fsroot root;
	sqlite3 *db;
	const char *err;
	struct ia_collect_opts opts = {0};
	const struct ia_collector *const list[] = { &ia_collector_pci };
	uint8_t pcie[256], pci[256];
	int a, b, n;

	cfg256(pcie, pci);
	assert_int_equal(ia_scratch_make("collect"), 0);
	ia_mk_file("root/sys/devices/pci0000:00/0000:00:01.0/config", pcie, sizeof(pcie));
	ia_mk_link("root/sys/bus/pci/devices/0000:00:01.0", "../../../devices/pci0000:00/0000:00:01.0");
	ia_mk_file("root/sys/devices/pci0000:00/0000:00:02.0/config", pci, sizeof(pci));
	ia_mk_link("root/sys/bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0");
	assert_int_equal(ia_fsroot_open(&root, ia_sp("root")), 0);
	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	struct ia_ctx ctx = { .root = &root, .db = db, .opts = &opts };
	assert_int_equal(ia_collect_run(&ctx, list, 1), 0);
	acs_of(db, &a, &b, &n);
	assert_int_equal(a, 0);
	assert_int_equal(b, 0);
	assert_int_equal(n, 0);
	ia_db_close(db);
	ia_fsroot_close(&root);

	/* the same bytes as an lspci -xxx dump */
	char text[4096];
	size_t len = 0;
	const uint8_t *cfgs[2] = { pcie, pci };
	for (int f = 0; f < 2; f++) {
		len += (size_t)snprintf(text + len, sizeof(text) - len, "00:0%d.0 PCI bridge: x\n", f + 1);
		for (int o = 0; o < 256; o += 16) {
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%02x:", o);
			for (int k = 0; k < 16; k++)
				len += (size_t)snprintf(text + len, sizeof(text) - len, " %02x", cfgs[f][o + k]);
			len += (size_t)snprintf(text + len, sizeof(text) - len, "\n");
		}
		len += (size_t)snprintf(text + len, sizeof(text) - len, "\n");
	}
	ia_mk_file("dump.txt", text, len);
	ia_mk_text("empty/.keep", "");
	opts.pci_dump = ia_sp("dump.txt");
	assert_int_equal(ia_fsroot_open(&root, ia_sp("empty")), 0);
	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	ctx = (struct ia_ctx){ .root = &root, .db = db, .opts = &opts };
	assert_int_equal(ia_collect_run(&ctx, list, 1), 0);
	acs_of(db, &a, &b, &n);
	assert_int_equal(a, -1);
	assert_int_equal(b, 0);
	assert_int_equal(n, 1);
	ia_db_close(db);
	ia_fsroot_close(&root);
	assert_int_equal(ia_scratch_remove(), 0);
}

extern const struct ia_collector ia_collector_kernel;

/* The host row holds the taint flags and the kernel configuration's source as first written. */
static void test_kernel_writes_host_once(void **state)
{
	(void)state;
	struct ia_fsroot root;
	sqlite3 *db;
	sqlite3_stmt *st;
	const char *err;
	struct ia_collect_opts opts = {0};
	const struct ia_collector *const list[] = { &ia_collector_kernel };

	assert_int_equal(ia_scratch_make("collect"), 0);
	ia_mk_text("root/proc/version", "Linux version 6.12.9-test (gcc) #1 SMP x86_64\n");
	ia_mk_text("root/proc/cmdline", "intel_iommu=on quiet\n");
	ia_mk_text("root/proc/sys/kernel/tainted", "64\n");
	ia_mk_text("root/boot/config-6.12.9-test", "CONFIG_VFIO_NOIOMMU=y\n");
	assert_int_equal(ia_fsroot_open(&root, ia_sp("root")), 0);
	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	update_hook_count = 0;
	sqlite3_update_hook(db, count_updates, NULL);
	struct ia_ctx ctx = { .root = &root, .db = db, .opts = &opts };
	assert_int_equal(ia_collect_run(&ctx, list, 1), 0);
	assert_int_equal(update_hook_count, 0);
	assert_int_equal(ia_db_prepare(db, "SELECT kernel_release, kernel_patch, arch, tainted, kernel_config_source,"
				       " (SELECT value FROM kernel_config WHERE option = 'CONFIG_VFIO_NOIOMMU') FROM host", &st), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "6.12.9-test");
	assert_int_equal(sqlite3_column_int(st, 1), 9);
	assert_string_equal((const char *)sqlite3_column_text(st, 2), "x86_64");
	assert_int_equal(sqlite3_column_int(st, 3), 64);
	assert_string_equal((const char *)sqlite3_column_text(st, 4), "boot/config-6.12.9-test");
	assert_string_equal((const char *)sqlite3_column_text(st, 5), "y");
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	ia_db_close(db);
	ia_fsroot_close(&root);
	assert_int_equal(ia_scratch_remove(), 0);
}

/* The kernel identity kept whole: where the stable level came from, whether the kernel
 * backports, Ubuntu's signature; proc/sys/kernel/osrelease where proc/version gives no release. */
static void run_kernel_identity(const char *version, const char *signature, const char *osrelease,
				const char *release, int patch, const char *source, int backports)
{
	struct ia_fsroot root;
	sqlite3 *db;
	sqlite3_stmt *st;
	const char *err;
	struct ia_collect_opts opts = {0};
	const struct ia_collector *const list[] = { &ia_collector_kernel };

	assert_int_equal(ia_scratch_make("collect"), 0);
	if (version)
		ia_mk_text("root/proc/version", version);
	if (signature)
		ia_mk_text("root/proc/version_signature", signature);
	if (osrelease)
		ia_mk_text("root/proc/sys/kernel/osrelease", osrelease);
	ia_mk_text("root/proc/cmdline", "quiet\n");
	assert_int_equal(ia_fsroot_open(&root, ia_sp("root")), 0);
	assert_int_equal(ia_db_open(&db, NULL, true, &err), 0);
	struct ia_ctx ctx = { .root = &root, .db = db, .opts = &opts };
	assert_int_equal(ia_collect_run(&ctx, list, 1), 0);
	assert_int_equal(ia_db_prepare(db, "SELECT kernel_release, kernel_patch, kernel_stable_source, kernel_backports,"
				       " kernel_signature FROM host", &st), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), release);
	if (patch < 0) {
		assert_int_equal(sqlite3_column_type(st, 1), SQLITE_NULL);
		assert_int_equal(sqlite3_column_type(st, 2), SQLITE_NULL);
	} else {
		assert_int_equal(sqlite3_column_int(st, 1), patch);
		assert_string_equal((const char *)sqlite3_column_text(st, 2), source);
	}
	assert_int_equal(sqlite3_column_int(st, 3), backports);
	if (signature)
		assert_string_equal((const char *)sqlite3_column_text(st, 4), "Ubuntu 5.15.0-91.101-generic 5.15.131");
	else
		assert_int_equal(sqlite3_column_type(st, 4), SQLITE_NULL);
	sqlite3_finalize(st);
	ia_db_close(db);
	ia_fsroot_close(&root);
	assert_int_equal(ia_scratch_remove(), 0);
}

static void test_kernel_identity(void **state)
{
	(void)state;
	run_kernel_identity("Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC "
			    "Debian 6.1.192-2 (2026-11-16)\n", NULL, NULL, "6.1.0-56-amd64", 192, "debian", 0);
	run_kernel_identity("Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) #101-Ubuntu SMP\n",
			    "Ubuntu 5.15.0-91.101-generic 5.15.131\n", NULL, "5.15.0-91-generic", 131, "ubuntu", 0);
	run_kernel_identity("Linux version 5.14.0-427.13.1.el9_4.x86_64 (mockbuild@x86-64-01) #1 SMP\n", NULL, NULL,
			    "5.14.0-427.13.1.el9_4.x86_64", -1, NULL, 1);
	run_kernel_identity("Linux version 6.12.9 (root@build) #1 SMP\n", NULL, NULL, "6.12.9", 9, "release", 0);
	/* no proc/version: the release from osrelease, and no proc/version line to find Debian in */
	run_kernel_identity(NULL, NULL, "6.12.9\n", "6.12.9", 9, "release", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ordered_many),
		cmocka_unit_test(test_kernel_identity),
		cmocka_unit_test(test_ordered_window_one),
		cmocka_unit_test(test_ordered_window_all),
		cmocka_unit_test(test_ordered_small_and_empty),
		cmocka_unit_test(test_order_real_collectors),
		cmocka_unit_test(test_order_from_needs),
		cmocka_unit_test(test_order_unmet_need),
		cmocka_unit_test(test_order_cycle),
		cmocka_unit_test(test_collect_run_order_and_error),
		cmocka_unit_test(test_collect_unguaranteed_references),
		cmocka_unit_test(test_collect_dangling_references),
		cmocka_unit_test(test_pci_writes_each_row_once),
		cmocka_unit_test(test_pci_256_of_pcie),
		cmocka_unit_test(test_kernel_writes_host_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
