// SPDX-License-Identifier: GPL-2.0-or-later
// ia_collect_ordered(): every item read once, stored in order after its read, never more than the
// window read ahead, on every path (one thread, several, a window of 1).
#include "testutil.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collectors/collect.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ordered_many),
		cmocka_unit_test(test_ordered_window_one),
		cmocka_unit_test(test_ordered_window_all),
		cmocka_unit_test(test_ordered_small_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
