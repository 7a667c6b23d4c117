// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel behaviour table and its lookup (kernel_behaviour.h); the rows are generated from
// rules/data/kernel_behaviours.csv.
#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#include "rules/kernel_behaviour.h"

const struct ia_kb_row ia_kb_rows[] = {
#define IA_KB_ROW(e, id, first, stable, commit, function, change) { id, first, stable, commit, function, change },
	IA_KB_ROWS(IA_KB_ROW)
#undef IA_KB_ROW
};

_Static_assert(sizeof(ia_kb_rows) / sizeof(ia_kb_rows[0]) == IA_KB_COUNT, "one row per enum ia_kb");

/* A decimal number of 1 to 4 digits at *@p (advanced past it); -1 when none. */
static int kb_num(const char **p)
{
	int v = 0, n = 0;

	while (**p >= '0' && **p <= '9' && n < 5) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n && n < 5 ? v : -1;
}

/* "X.Y" at *@p: 0 with @maj, @min (advanced past it); -1 when malformed. */
static int kb_release(const char **p, int *maj, int *min)
{
	*maj = kb_num(p);
	if (*maj < 0 || **p != '.')
		return -1;
	(*p)++;
	*min = kb_num(p);
	return *min < 0 ? -1 : 0;
}

static int kb_cmp(int ma, int mi, int mb, int nb)
{
	return ma != mb ? (ma > mb) - (ma < mb) : (mi > nb) - (mi < nb);
}

/* The first column: *@lo_maj.*@lo_min (known absent at and below when @range; else the first
 * release) and *@hi (0: the first release is lo; 1: hi_maj.hi_min; -1: "?"). -1 for none ("-"),
 * -2 when malformed. */
static int kb_first(const char *f, int lo[2], int *hi, int hi_v[2])
{
	if (f[0] == '-' && !f[1])
		return -1;
	if (kb_release(&f, &lo[0], &lo[1]))
		return -2;
	*hi = 0;
	if (!*f)
		return 0;
	if (f[0] != '.' || f[1] != '.')
		return -2;
	f += 2;
	if (f[0] == '?' && !f[1]) {
		*hi = -1;
		return 0;
	}
	if (kb_release(&f, &hi_v[0], &hi_v[1]) || *f || kb_cmp(hi_v[0], hi_v[1], lo[0], lo[1]) <= 0)
		return -2;
	*hi = 1;
	return 0;
}

/* One stable entry at *@p ("X.Y.Z", "X.Y.Z..W", "X.Y.Z..?", "X.Y.Z-L"), advanced past it: 0 with
 * @v = {X, Y, Z}, *@w = W (or -1 for "?", or -2 for none), *@last = L (the last level that has it:
 * L + 1 reverted it or took a fix that undid it; -1 for none); -1 when malformed. */
static int kb_stable_entry(const char **p, int v[3], int *w, int *last)
{
	if (kb_release(p, &v[0], &v[1]) || **p != '.')
		return -1;
	(*p)++;
	if ((v[2] = kb_num(p)) < 0)
		return -1;
	*w = -2;
	*last = -1;
	if ((*p)[0] == '.' && (*p)[1] == '.') {
		*p += 2;
		if (**p == '?') {
			(*p)++;
			*w = -1;
		} else if ((*w = kb_num(p)) <= v[2]) {
			return -1;
		}
	} else if (**p == '-') {
		(*p)++;
		if ((*last = kb_num(p)) < v[2])
			return -1;
	}
	if (**p == ' ')
		(*p)++;
	else if (**p)
		return -1;
	return 0;
}

int ia_kb_check_fields(const char *first, const char *stable)
{
	int lo[2], hi, hi_v[2], v[3], w, last;

	if (!first || !stable || kb_first(first, lo, &hi, hi_v) == -2)
		return -EINVAL;
	for (const char *p = stable; *p;)
		if (kb_stable_entry(&p, v, &w, &last))
			return -EINVAL;
	return 0;
}

int ia_kb_check_row(size_t i)
{
	return i < IA_KB_COUNT ? ia_kb_check_fields(ia_kb_rows[i].first, ia_kb_rows[i].stable) : -EINVAL;
}

enum ia_tri ia_kb_has(const struct ia_kernel_id *k, enum ia_kb id)
{
	int lo[2], hi = 0, hi_v[2], v[3], w, last;

	if (!k || !k->has_version || (unsigned)id >= IA_KB_COUNT)
		return IA_UNKNOWN;
	const struct ia_kb_row *row = &ia_kb_rows[id];
	/* upstream: from the first release on, every kernel has it (backports never remove it) */
	enum ia_tri up = IA_NO;
	int f = kb_first(row->first, lo, &hi, hi_v);
	if (f == -2)
		return IA_UNKNOWN;
	if (f == 0) {
		int c = kb_cmp(k->major, k->minor, lo[0], lo[1]);
		if (!hi)
			up = c >= 0 ? IA_YES : IA_NO;
		else if (c <= 0)
			up = IA_NO;
		else
			up = hi == 1 && kb_cmp(k->major, k->minor, hi_v[0], hi_v[1]) >= 0 ? IA_YES : IA_UNKNOWN;
	}
	if (up == IA_YES)
		return IA_YES;
	/* a stable line the row names */
	enum ia_tri st = IA_NO;
	bool named = false;
	for (const char *p = row->stable; *p;) {
		if (kb_stable_entry(&p, v, &w, &last))
			return IA_UNKNOWN;
		if (v[0] != k->major || v[1] != k->minor)
			continue;
		named = true;
		if (!k->has_stable)
			st = IA_UNKNOWN;
		else if (last >= 0)   /* a window: Z to L, not after; a backporting kernel may have the fix too */
			st = k->stable >= v[2] && k->stable <= last ? (k->backports ? IA_UNKNOWN : IA_YES) : IA_NO;
		else if (w >= 0 && k->stable >= w)
			st = IA_YES;
		else if (k->stable >= v[2])
			st = w == -2 ? IA_YES : IA_UNKNOWN;
		break;
	}
	if (st == IA_YES)
		return IA_YES;
	/* a backporting kernel may carry what its base lacks; but a behaviour in no upstream release
	 * (only in the stable lines named) it carries only on one of those lines */
	if (st == IA_UNKNOWN || up == IA_UNKNOWN || (k->backports && (f != -1 || named)))
		return IA_UNKNOWN;
	return IA_NO;
}

int ia_kb_stable_line(enum ia_kb id, int major, int minor, int *from, int *sure, int *last_out)
{
	int v[3], w, last;

	if ((unsigned)id >= IA_KB_COUNT)
		return -ENOENT;
	for (const char *p = ia_kb_rows[id].stable; *p;) {
		if (kb_stable_entry(&p, v, &w, &last))
			return -ENOENT;
		if (v[0] == major && v[1] == minor) {
			*from = v[2];
			*sure = w == -2 ? v[2] : w;
			if (last_out)
				*last_out = last;
			return 0;
		}
	}
	return -ENOENT;
}

char *ia_kb_releases(enum ia_kb id, char *buf, size_t cap)
{
	int lo[2], hi = 0, hi_v[2], v[3], w, last;
	size_t n = 0;

	if (!buf || !cap)
		return buf;
	buf[0] = '\0';
	if ((unsigned)id >= IA_KB_COUNT || ia_kb_check_row(id)) {
		snprintf(buf, cap, "?");
		return buf;
	}
	const struct ia_kb_row *row = &ia_kb_rows[id];
#define KB_PUT(...) do { int k_ = snprintf(buf + n, cap - n, __VA_ARGS__); \
			 n = k_ < 0 ? n : n + (size_t)k_ >= cap ? cap - 1 : n + (size_t)k_; } while (0)
	KB_PUT("%s: ", row->id);
	int f = kb_first(row->first, lo, &hi, hi_v);
	if (f == -1)
		KB_PUT("in no upstream release");
	else if (!hi)
		KB_PUT("Linux %d.%d and later", lo[0], lo[1]);
	else if (hi == 1)
		KB_PUT("not in %d.%d or before, in %d.%d and later (between: unknown)", lo[0], lo[1], hi_v[0], hi_v[1]);
	else
		KB_PUT("not in %d.%d or before, unknown after", lo[0], lo[1]);
	bool first = true;
	for (const char *p = row->stable; *p;) {
		if (kb_stable_entry(&p, v, &w, &last))
			break;
		KB_PUT("%s", first ? "; stable " : ", ");
		if (last == v[2])
			KB_PUT("%d.%d.%d only (not %d.%d.%d and later)", v[0], v[1], v[2], v[0], v[1], last + 1);
		else if (last >= 0)
			KB_PUT("%d.%d.%d to %d.%d.%d (not %d.%d.%d and later)", v[0], v[1], v[2], v[0], v[1], last, v[0],
			       v[1], last + 1);
		else if (w >= 0)
			KB_PUT("%d.%d.%d (unknown from %d.%d.%d)", v[0], v[1], w, v[0], v[1], v[2]);
		else if (w == -1)
			KB_PUT("%d.%d at a level not confirmed (none up to %d.%d.%d)", v[0], v[1], v[0], v[1], v[2] - 1);
		else
			KB_PUT("%d.%d.%d", v[0], v[1], v[2]);
		first = false;
	}
#undef KB_PUT
	return buf;
}

const char *ia_kb_id(enum ia_kb id)
{
	return (unsigned)id < IA_KB_COUNT ? ia_kb_rows[id].id : "?";
}
