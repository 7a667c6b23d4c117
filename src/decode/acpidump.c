// SPDX-License-Identifier: GPL-2.0-or-later
// Parse acpidump's text output ("SIGN @ 0x..." blocks of hex lines) into ACPI tables.
#include "decode/acpidump.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decode/bytes.h"
#include "core/array.h"
#include "core/ia_err.h"

#define ACPIDUMP_BYTES_PER_LINE 16u

/* The table being read. */
struct acpidump_cur {
	bool open;               /* a header was seen and no blank line / next header yet */
	bool bad;                /* already diagnosed: drop at the end */
	bool paused;             /* a blank line followed the last hex line */
	struct ia_acpidump_table t;
	size_t cap;
	size_t hdr_off;          /* byte offset of the header line in the text */
};

struct acpidump_ctx {
	struct ia_acpidump *out;
	struct ia_diags *d;
	size_t max_table, max_total;
	size_t cap;
	bool stop;               /* total limit reached */
	int err;                 /* -ENOMEM */
	struct acpidump_cur cur;
};

static int acpidump_hex(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool acpidump_blank(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return false;
	return true;
}

/* "SIGN @ 0x<1..16 hex digits>" followed only by blanks; fills signature and address. */
static bool acpidump_header(const uint8_t *p, size_t n, char sig[5], uint64_t *addr)
{
	size_t i = 9, digits = 0;
	uint64_t a = 0;

	if (n < 10 || memcmp(p + 4, " @ 0x", 5) != 0)
		return false;
	for (size_t k = 0; k < 4; k++)
		if (p[k] <= 0x20 || p[k] >= 0x7f)
			return false;
	for (; i < n && acpidump_hex(p[i]) >= 0; i++, digits++)
		a = (a << 4) | (uint64_t)acpidump_hex(p[i]);
	if (digits == 0 || digits > 16 || !acpidump_blank(p + i, n - i))
		return false;
	memcpy(sig, p, 4);
	sig[4] = '\0';
	*addr = a;
	return true;
}

/*
 * One hex line: blanks, 4..8 hex digits, ':', ' ', then 1..16 "XX" separated by single spaces;
 * after a short line's last byte, the padding (3 spaces per missing byte) must be blank up to
 * the ASCII column or the end of the line. Returns 0 with *offset, bytes and *nb, or a static
 * reason.
 */
static const char *acpidump_hexline(const uint8_t *p, size_t n, uint32_t *offset, uint8_t *bytes,
				    size_t *nb)
{
	size_t i = 0, digits = 0, k = 0;
	uint32_t off = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	for (; i < n && acpidump_hex(p[i]) >= 0; i++, digits++) {
		if (digits == 8)
			return "offset has more than 8 hex digits";
		off = (off << 4) | (uint32_t)acpidump_hex(p[i]);
	}
	if (digits < 4)
		return "not a hex line (\"OFFS: XX XX ...\")";
	if (i >= n || p[i] != ':')
		return "offset not followed by ':'";
	i++;
	if (i >= n || p[i] != ' ')
		return "no space after the offset";
	i++;
	for (k = 0; k < ACPIDUMP_BYTES_PER_LINE; k++) {
		int hi, lo;

		if (i + 2 > n)
			break;
		hi = acpidump_hex(p[i]);
		lo = acpidump_hex(p[i + 1]);
		if (hi < 0 || lo < 0)
			break;
		if (i + 2 < n && p[i + 2] != ' ')
			return "a hex byte is not two digits followed by a space";
		bytes[k] = (uint8_t)(hi << 4 | lo);
		i += 3;
	}
	if (k == 0)
		return "no hex bytes after the offset";
	if (k < ACPIDUMP_BYTES_PER_LINE) {
		/* the padding before the ASCII column: (16 - k) * 3 blanks, less the one consumed */
		size_t pad = (ACPIDUMP_BYTES_PER_LINE - k) * 3 - 1;

		if (i < n && !acpidump_blank(p + i, (n - i < pad) ? n - i : pad))
			return "junk where a hex byte or the padding should be";
	}
	*offset = off;
	*nb = k;
	return NULL;
}

static void acpidump_cur_reset(struct acpidump_cur *c)
{
	free(c->t.bytes);
	memset(c, 0, sizeof(*c));
}

/* Close the open table: validate it, then keep it or drop it. */
static void acpidump_finish(struct acpidump_ctx *x)
{
	struct acpidump_cur *c = &x->cur;
	struct ia_acpidump_table *t = &c->t;
	const char *sig = t->signature;
	bool rsdp = strcmp(sig, "RSDP") == 0;

	if (!c->open)
		return;
	if (c->bad)
		goto drop;
	if (t->len == 0) {
		ia_diag_add(x->d, -IA_E_FORMAT, sig, (int64_t)c->hdr_off,
			    "line %zu: %s header without hex lines", t->line, sig);
		goto drop;
	}
	if (!rsdp) {
		if (t->len < 8) {
			ia_diag_add(x->d, -IA_E_TRUNCATED, sig, (int64_t)c->hdr_off,
				    "line %zu: %s has %zu bytes, too few for a signature and length",
				    t->line, sig, t->len);
			goto drop;
		}
		if (memcmp(t->bytes, sig, 4) != 0) {
			ia_diag_add(x->d, -IA_E_SIGNATURE, sig, (int64_t)c->hdr_off,
				    "line %zu: table bytes start \"%.4s\", header says %s", t->line,
				    (const char *)t->bytes, sig);
			goto drop;
		}
		uint32_t hl = ia_le32(t->bytes, 4);

		if (hl > t->len) {
			ia_diag_add(x->d, -IA_E_TRUNCATED, sig, (int64_t)c->hdr_off,
				    "line %zu: %s length field %u but %zu bytes dumped", t->line, sig,
				    hl, t->len);
			goto drop;
		}
		if (hl < t->len) {
			ia_diag_add(x->d, -IA_E_BADLEN, sig, (int64_t)c->hdr_off,
				    "line %zu: %s length field %u but %zu bytes dumped", t->line, sig,
				    hl, t->len);
			goto drop;
		}
	}
	if (t->len > x->max_total - x->out->total) {
		ia_diag_add(x->d, -IA_E_TOOBIG, sig, (int64_t)c->hdr_off,
			    "line %zu: %s would pass the %zu-byte limit for all tables; stopping",
			    t->line, sig, x->max_total);
		x->stop = true;
		goto drop;
	}
	struct ia_acpidump_table *nv = ia_array_grow(x->out->v, &x->cap, x->out->n + 1, sizeof(*nv));

	if (!nv) {
		x->err = -ENOMEM;
		goto drop;
	}
	x->out->v = nv;
	x->out->v[x->out->n++] = *t;
	x->out->total += t->len;
	memset(c, 0, sizeof(*c));
	return;
drop:
	acpidump_cur_reset(c);
}

/* Append one hex line's bytes to the open table. */
static void acpidump_append(struct acpidump_ctx *x, const uint8_t *p, size_t n, size_t lineno,
			    size_t line_off)
{
	struct acpidump_cur *c = &x->cur;
	const char *sig = c->t.signature;
	uint8_t bytes[ACPIDUMP_BYTES_PER_LINE];
	uint32_t off;
	size_t nb;
	const char *why = acpidump_hexline(p, n, &off, bytes, &nb);

	if (why) {
		ia_diag_add(x->d, -IA_E_FORMAT, sig, (int64_t)line_off, "line %zu: %s; %s dropped",
			    lineno, why, sig);
		c->bad = true;
		return;
	}
	if (off != c->t.len) {
		ia_diag_add(x->d, -IA_E_FORMAT, sig, (int64_t)line_off,
			    "line %zu: offset 0x%x, expected 0x%zx; %s dropped", lineno, off, c->t.len,
			    sig);
		c->bad = true;
		return;
	}
	if (nb > x->max_table - c->t.len) {
		ia_diag_add(x->d, -IA_E_TOOBIG, sig, (int64_t)line_off,
			    "line %zu: %s grows past the %zu-byte table limit; dropped", lineno, sig,
			    x->max_table);
		c->bad = true;
		return;
	}
	if (c->t.len + nb > c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 4096;

		while (ncap < c->t.len + nb)
			ncap *= 2;
		if (ncap > x->max_table)
			ncap = x->max_table;
		uint8_t *nbuf = realloc(c->t.bytes, ncap);

		if (!nbuf) {
			x->err = -ENOMEM;
			return;
		}
		c->t.bytes = nbuf;
		c->cap = ncap;
	}
	memcpy(c->t.bytes + c->t.len, bytes, nb);
	c->t.len += nb;
}

/* One line of the text (@n bytes at @p, without its '\n'), at byte @line_off, 1-based @lineno. */
static void acpidump_line(struct acpidump_ctx *x, const uint8_t *p, size_t n, size_t line_off,
			  size_t lineno)
{
	char sig[5];
	uint64_t addr;

	while (n > 0 && p[n - 1] == '\r')
		n--;
	if (acpidump_blank(p, n)) {
		x->cur.paused = x->cur.open;
	} else if (acpidump_header(p, n, sig, &addr)) {
		acpidump_finish(x);
		if (x->stop || x->err)
			return;
		x->cur.open = true;
		memcpy(x->cur.t.signature, sig, sizeof(sig));
		x->cur.t.address = addr;
		x->cur.t.line = lineno;
		x->cur.hdr_off = line_off;
	} else if (x->cur.open && !x->cur.bad && x->cur.paused) {
		/* after a blank line: the table goes on only if this continues it */
		uint8_t b[ACPIDUMP_BYTES_PER_LINE];
		uint32_t off;
		size_t nb;

		if (!acpidump_hexline(p, n, &off, b, &nb) && off == x->cur.t.len && off) {
			x->cur.paused = false;
			acpidump_append(x, p, n, lineno, line_off);
		} else {
			acpidump_finish(x);   /* and the line is junk between tables */
		}
	} else if (x->cur.open && !x->cur.bad) {
		acpidump_append(x, p, n, lineno, line_off);
	}
	/* else: outside a table (banner, junk) or inside a table already dropped */
}

/* A line longer than this is not acpidump's (its lines are 75 bytes): see ia_acpidump_stream_feed(). */
#define ACPIDUMP_MAX_LINE 65536u

struct ia_acpidump_stream {
	struct acpidump_ctx x;
	size_t pos;              /* bytes of text consumed */
	size_t lineno;           /* lines completed */
	uint8_t *carry;          /* the start of a line split across feeds */
	size_t carry_len;
	bool overlong;           /* the current line passed ACPIDUMP_MAX_LINE: skip to its end */
	size_t line_off;         /* byte offset of the current line */
};

struct ia_acpidump_stream *ia_acpidump_stream_new(const struct ia_acpidump_limits *lim,
						  struct ia_acpidump *out, struct ia_diags *diags)
{
	struct ia_acpidump_stream *s;

	if (!out)
		return NULL;
	memset(out, 0, sizeof(*out));
	if (!(s = calloc(1, sizeof(*s))))
		return NULL;
	s->x.out = out;
	s->x.d = diags;
	s->x.max_table = (lim && lim->max_table) ? lim->max_table : IA_ACPI_MAX_TABLE;
	if (s->x.max_table > IA_ACPI_MAX_TABLE)
		s->x.max_table = IA_ACPI_MAX_TABLE;
	s->x.max_total = (lim && lim->max_total) ? lim->max_total : IA_ACPIDUMP_MAX_TOTAL;
	return s;
}

/* The current line grew past ACPIDUMP_MAX_LINE: a table it is in is dropped; junk otherwise. */
static void acpidump_overlong(struct ia_acpidump_stream *s)
{
	struct acpidump_ctx *x = &s->x;

	s->overlong = true;
	s->carry_len = 0;
	if (x->cur.open && !x->cur.bad) {
		ia_diag_add(x->d, -IA_E_FORMAT, x->cur.t.signature, (int64_t)s->line_off,
			    "line %zu: longer than %u bytes; %s dropped", s->lineno + 1, ACPIDUMP_MAX_LINE,
			    x->cur.t.signature);
		x->cur.bad = true;
	}
}

int ia_acpidump_stream_feed(struct ia_acpidump_stream *s, const uint8_t *buf, size_t len)
{
	struct acpidump_ctx *x = &s->x;
	size_t i = 0;

	if (!buf && len)
		return -EINVAL;
	while (i < len && !x->stop && !x->err) {
		const uint8_t *p = buf + i;
		const uint8_t *nl = memchr(p, '\n', len - i);
		size_t n = nl ? (size_t)(nl - p) : len - i;

		if (s->carry_len == 0 && !s->overlong)
			s->line_off = s->pos;
		if (!nl) {
			/* a line split across feeds: keep its start (bounded) */
			if (!s->overlong) {
				if (s->carry_len + n > ACPIDUMP_MAX_LINE) {
					acpidump_overlong(s);
				} else {
					if (!s->carry && !(s->carry = malloc(ACPIDUMP_MAX_LINE))) {
						x->err = -ENOMEM;
						break;
					}
					memcpy(s->carry + s->carry_len, p, n);
					s->carry_len += n;
				}
			}
			s->pos += n;
			break;
		}
		s->pos += n + 1;
		i += n + 1;
		s->lineno++;
		if (s->overlong) {
			s->overlong = false; /* the end of the skipped line */
			continue;
		}
		if (s->carry_len) {
			if (s->carry_len + n > ACPIDUMP_MAX_LINE) {
				s->lineno--;
				acpidump_overlong(s);
				s->lineno++;
				s->overlong = false;
				continue;
			}
			memcpy(s->carry + s->carry_len, p, n);
			n += s->carry_len;
			p = s->carry;
			s->carry_len = 0;
		} else if (n > ACPIDUMP_MAX_LINE) {
			s->lineno--;
			acpidump_overlong(s);
			s->lineno++;
			s->overlong = false;
			continue;
		}
		acpidump_line(x, p, n, s->line_off, s->lineno);
	}
	if (x->err)
		return x->err;
	return x->stop ? 1 : 0;
}

long ia_acpidump_stream_end(struct ia_acpidump_stream *s)
{
	struct acpidump_ctx *x;
	long rc;

	if (!s)
		return -EINVAL;
	x = &s->x;
	/* a last line without '\n' */
	if (s->carry_len && !s->overlong && !x->stop && !x->err)
		acpidump_line(x, s->carry, s->carry_len, s->line_off, ++s->lineno);
	if (!x->stop && !x->err)
		acpidump_finish(x);
	acpidump_cur_reset(&x->cur);
	if (x->err) {
		ia_acpidump_free(x->out);
		rc = x->err;
	} else {
		rc = (long)x->out->n;
	}
	free(s->carry);
	free(s);
	return rc;
}

long ia_acpidump_parse(const uint8_t *text, size_t len, const struct ia_acpidump_limits *lim,
		       struct ia_acpidump *out, struct ia_diags *diags)
{
	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!text && len)
		return -EINVAL;
	struct ia_acpidump_stream *s = ia_acpidump_stream_new(lim, out, diags);
	if (!s)
		return -ENOMEM;
	int rc = ia_acpidump_stream_feed(s, text, len);
	long n = ia_acpidump_stream_end(s);
	return rc < 0 ? rc : n;
}

void ia_acpidump_free(struct ia_acpidump *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].bytes);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

const struct ia_acpidump_table *ia_acpidump_find(const struct ia_acpidump *d, const char *sig,
						 size_t nth)
{
	for (size_t i = 0; d && sig && i < d->n; i++)
		if (strcmp(d->v[i].signature, sig) == 0 && nth-- == 0)
			return &d->v[i];
	return NULL;
}
