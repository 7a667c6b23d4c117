/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The collector interface: one descriptor per collector, run in the order their needs give over one root into one database. */
#ifndef IA_COLLECT_H
#define IA_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "core/facts.h"
#include "core/fsroot.h"

/** Inputs that replace parts of the root (all optional). */
struct ia_collect_opts {
	const char *pci_dump;    /* an `lspci -x...` hex dump read through libpci's dump method */
	const char *acpidump;    /* acpidump text output instead of sys/firmware/acpi/tables */
	const char *dtb;         /* a flattened device tree instead of sys/firmware/fdt */
	const char *pci_ids;     /* pci.ids file for names (default: libpci's) */
	/* the dumps above stand alone (no --root, --snapshot): the root is an empty directory of the
	 * CLI's, and no collector reads a host's sysfs in place of a dump not given */
	bool dumps_alone;
};

/** What every collector receives. */
struct ia_ctx {
	const struct ia_fsroot *root;
	sqlite3 *db;
	const struct ia_collect_opts *opts;
	const char *collector;   /* name of the running collector (set by ia_collect_all) */
	size_t facts;            /* rows of facts written (for "nothing could be read": exit 3) */
	size_t errors;           /* collection errors recorded */
};

/** A set of fact tables (src/core/facts.h): bit IA_FACT_<table>. */
typedef uint64_t ia_fact_set;
#define IA_FACT_BIT(table) ((ia_fact_set)1 << IA_FACT_##table)
_Static_assert(IA_FACT_N_TABLES <= 64, "ia_fact_set holds one bit per fact table");

/**
 * One collector: its name, what it reads (for --help and the docs), the fact tables it writes
 * and those it reads that other collectors write, and its entry point. The driver runs a
 * collector after every collector that writes a table it needs (ia_collect_order()).
 */
struct ia_collector {
	const char *name;
	const char *reads;
	ia_fact_set writes;   /* tables it inserts rows into (collection_error, which all write, aside) */
	ia_fact_set needs;    /* tables it SELECTs, written by other collectors */
	/* Return 0, or a negative error that stops only this collector (recorded by the caller). */
	int (*collect)(struct ia_ctx *ctx);
};

/**
 * The collectors (collectors/collectors.c). Their order here is the tie-break only: it orders
 * collectors that need nothing from each other, so writers of one table number its rows in this
 * order (fw_unit: DMAR, IVRS, IORT from acpi, then DT).
 */
extern const struct ia_collector *const ia_collectors[];
extern const size_t ia_n_collectors;

/**
 * The kernel configuration options the rules read, sorted by strcmp() (collectors/kernel.c): an
 * audit's in-memory database keeps only these in kernel_config; a database that outlives the run
 * (a file: collect --db, audit --db) keeps every option of the configuration.
 */
extern const char *const ia_kernel_config_read[];
extern const size_t ia_kernel_config_n_read;

/**
 * ia_collect_order() - the order to run @n collectors in: each after every other collector that
 * writes a table it needs; among those free to run, the earliest in @list first (a stable
 * topological sort, Kahn's algorithm).
 * @list: @n collectors; @order: out, @n indexes into @list; @bad: out, on error the index of a
 * collector whose need cannot be met (for the message).
 * Return: 0; -ENOENT when a collector needs a table no other collector writes; -IA_E_LOOP when
 * needs form a cycle; -IA_E_RANGE when @n exceeds 64.
 */
int ia_collect_order(const struct ia_collector *const *list, size_t n, size_t *order, size_t *bad);

/**
 * ia_collect_unguaranteed_references() - the child tables whose REFERENCES the driver checks after
 * collection (ia_db_check_references()): those written by a collector that neither writes nor
 * needs the parent table. A collector that writes or needs the parent must write a child row only
 * for a parent row it wrote or read (the pci collector's capabilities of the function it just
 * stored, the acpi collector's scopes resolved against pci_function): those references hold by
 * construction, and test_collect checks every reference over every capture instead of each
 * audit paying a parent lookup per row (about a twentieth of an audit's time).
 * Return: a set of tables (IA_FACT_BIT), 0 when every reference is guaranteed.
 */
ia_fact_set ia_collect_unguaranteed_references(const struct ia_collector *const *list, size_t n);

/**
 * ia_collect_run() - as ia_collect_all(), over the collectors of @list in ia_collect_order()'s
 * order. An ordering error is recorded as a collection error and runs nothing. Then the
 * references ia_collect_unguaranteed_references() names are checked; each dangling row is a
 * collection error of collector "facts".
 * Return: as ia_collect_all(), or ia_collect_order()'s error.
 */
int ia_collect_run(struct ia_ctx *ctx, const struct ia_collector *const *list, size_t n);

/**
 * ia_collect_all() - run every collector in one transaction.
 * Return: 0 when at least one fact was collected; -ENODATA when nothing at all could be read
 * (the CLI's exit 3); -IA_E_SQLITE when the database refused the transaction.
 */
int ia_collect_all(struct ia_ctx *ctx);

/**
 * ia_ctx_error() - record a collection error for the running collector (printf-style message).
 * @subject: path, BDF or table; @code: -errno or -IA_E_*; @offset: -1 if not meaningful;
 * @hides: what the missing data hides from the audit, or NULL.
 */
void ia_ctx_error(struct ia_ctx *ctx, const char *subject, int code, long long offset,
		  const char *hides, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/** A collection error noted by a worker thread, recorded later by the collector's thread. */
struct ia_deferred_err {
	char *subject;          /* malloc'd */
	int code;
	long long offset;
	const char *hides;      /* a string literal, or NULL */
	char *msg;              /* malloc'd */
};

/** The errors of one work item, in the order they were noted. */
struct ia_deferred {
	struct ia_deferred_err *v;
	size_t n;
};

/**
 * ia_defer_error() - as ia_ctx_error(), but only noted in @d (no database access, so a worker
 * thread may call it for its own item). An allocation failure drops the error silently.
 */
void ia_defer_error(struct ia_deferred *d, const char *subject, int code, long long offset,
		    const char *hides, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/** ia_deferred_flush() - record @d's errors with ia_ctx_error(), in order, and empty @d. */
void ia_deferred_flush(struct ia_ctx *ctx, struct ia_deferred *d);

/**
 * ia_collect_ordered() - read items on the online CPUs and store them in order on this thread,
 * the two overlapping: @read(@arg, i) is called once for every i in [0, @n), on any of at most 8
 * threads, and @store(@arg, i) on the calling thread for i = 0, 1, ..., @n - 1 in turn, each
 * after @read(i) returned. At most @window items
 * (>= 1; 0 counts as 1) are read and not yet stored, so item i may live in slot i % @window of the
 * caller's arrays, reused once stored(i) returned. The calling thread reads too whenever the
 * next item to store is not ready, so no CPU idles while work remains. With one CPU, fewer than
 * 64 items, or no memory for the bookkeeping (n bytes), the items are read and stored on the
 * calling thread alone, in order. Returns when every item is stored.
 *
 * @read may read the root and write item i of its own arrays only: no database, no
 * ia_ctx_error() (ia_defer_error() instead), no libpci. Items are claimed in chunks of 16 in
 * increasing order, so neighbouring sysfs directories are read by the same thread. @store may
 * use the database.
 */
void ia_collect_ordered(size_t n, size_t window, void (*read)(void *arg, size_t i),
			void (*store)(void *arg, size_t i), void *arg);

#endif
