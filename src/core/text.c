// SPDX-License-Identifier: GPL-2.0-or-later
// Text helpers: the one strict UTF-8 decoder, the one escaping of host text, and the one string builder.
#include "core/text.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

/* ---- UTF-8 ---------------------------------------------------------------------------- */

size_t ia_utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned c = p[0];
	size_t len;
	uint32_t v;
	unsigned lo = 0x80, hi = 0xbf;   /* the range of the second byte (Table 3-7) */

	if (c < 0x80) {
		if (cp)
			*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;              /* overlong below U+0800 */
		else if (c == 0xed)
			hi = 0x9f;              /* U+D800..U+DFFF, surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;              /* overlong below U+10000 */
		else if (c == 0xf4)
			hi = 0x8f;              /* above U+10FFFF */
	} else {
		return 0;                       /* continuation byte, C0, C1, F5..FF */
	}
	for (size_t i = 1; i < len; i++) {
		if (i >= n)
			return IA_UTF8_SHORT;
		unsigned d = p[i];
		if (i == 1 ? (d < lo || d > hi) : (d & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (d & 0x3f);
	}
	if (cp)
		*cp = v;
	return len;
}

size_t ia_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		/* ASCII eight bytes at a time: the reports' texts are nearly all ASCII */
		uint64_t w;
		if (n - i >= sizeof(w)) {
			memcpy(&w, p + i, sizeof(w));
			if (!(w & UINT64_C(0x8080808080808080))) {
				i += sizeof(w);
				continue;
			}
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t l = ia_utf8_decode(p + i, n - i, NULL);
		if (l == 0 || l == IA_UTF8_SHORT)
			return i;
		i += l;
	}
	return n;
}

bool ia_text_keeps(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\n';
	if (cp < 0x7f)
		return true;
	if (cp <= 0x9f)
		return false;                                   /* DEL, C1 */
	if (cp >= 0x2028 && cp <= 0x202e)
		return false;                                   /* LS, PS, LRE..RLO */
	if (cp >= 0x2066 && cp <= 0x2069)
		return false;                                   /* LRI..PDI */
	return cp != 0xfffe && cp != 0xffff;
}

static const char text_hex[] = "0123456789abcdef";

/* Write the escape of the malformed byte @b ("\xNN") to @o; the bytes written. */
static size_t text_esc_byte(unsigned b, char *o)
{
	o[0] = '\\';
	o[1] = 'x';
	o[2] = text_hex[b >> 4 & 0xf];
	o[3] = text_hex[b & 0xf];
	return 4;
}

/* Write the escape of the refused character @cp to @o: "\xNN" below U+0080, else "\uNNNN". */
static size_t text_esc_cp(uint32_t cp, char *o)
{
	if (cp < 0x80)
		return text_esc_byte(cp, o);
	o[0] = '\\';
	o[1] = 'u';
	for (int k = 0; k < 4; k++)
		o[2 + k] = text_hex[cp >> (12 - 4 * k) & 0xf];
	return 6;
}

/* One step over @p[0..@n): write what the sequence at @p becomes; the bytes consumed, 0 when
 * @p holds only a proper prefix and @final is false (wait for more). */
static size_t text_step(const unsigned char *p, size_t n, bool final, char *o, size_t *w)
{
	uint32_t cp;
	size_t l = ia_utf8_decode(p, n, &cp);

	if (l == IA_UTF8_SHORT && !final)
		return 0;
	if (l == 0 || l == IA_UTF8_SHORT) {
		*w += text_esc_byte(p[0], o + *w);
		return 1;
	}
	if (ia_text_keeps(cp)) {
		memcpy(o + *w, p, l);
		*w += l;
	} else {
		*w += text_esc_cp(cp, o + *w);
	}
	return l;
}

size_t ia_text_clean(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t l = ia_utf8_decode(p + i, n - i, &cp);
		if (l == 0 || l == IA_UTF8_SHORT || !ia_text_keeps(cp))
			return i;
		i += l;
	}
	return n;
}

size_t ia_text_sanitize(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w = 0;

	while (i < n) {
		/* runs of kept ASCII are copied as they are */
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			out[w++] = (char)p[i++];
			continue;
		}
		i += text_step(p + i, n - i, true, out, &w);
	}
	return w;
}

char *ia_text_sanitize_dup(const char *s)
{
	size_t n;
	char *r;

	if (!s)
		return NULL;
	n = strlen(s);
	if (n > (SIZE_MAX - 1) / 4 || !(r = malloc(IA_TEXT_SANITIZED_MAX(n) + 1)))
		return NULL;
	r[ia_text_sanitize(s, n, r)] = '\0';
	return r;
}

size_t ia_text_stream_put(struct ia_text_stream *t, const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0, i = 0;

	/* finish a sequence held back from the previous piece, one byte at a time */
	while (t->npend && i < n) {
		t->pend[t->npend++] = p[i++];
		while (t->npend) {
			size_t used = text_step(t->pend, t->npend, false, out, &w);
			if (!used)
				break;
			memmove(t->pend, t->pend + used, t->npend - used);
			t->npend -= used;
		}
	}
	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			out[w++] = (char)p[i++];
			continue;
		}
		size_t used = text_step(p + i, n - i, false, out, &w);
		if (!used) {
			/* a proper prefix up to the end of the piece: at most 3 bytes */
			memcpy(t->pend, p + i, n - i);
			t->npend = n - i;
			break;
		}
		i += used;
	}
	return w;
}

size_t ia_text_stream_end(struct ia_text_stream *t, char *out)
{
	size_t w = 0;

	while (t->npend) {
		size_t used = text_step(t->pend, t->npend, true, out, &w);
		memmove(t->pend, t->pend + used, t->npend - used);
		t->npend -= used;
	}
	return w;
}

/* stderr through the escaping: the stream state, and a write(2) loop onto descriptor 2. */
static struct ia_text_stream text_err_st;

static void text_err_out(const char *b, size_t n)
{
	while (n) {
		ssize_t k = write(STDERR_FILENO, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;              /* nowhere to report a failed diagnostic */
		b += k;
		n -= (size_t)k;
	}
}

static ssize_t text_err_write(void *cookie, const char *buf, size_t len)
{
	char o[IA_TEXT_SANITIZED_MAX(512 + 3)];

	(void)cookie;
	for (size_t i = 0; i < len; i += 512) {
		size_t k = len - i < 512 ? len - i : 512;
		text_err_out(o, ia_text_stream_put(&text_err_st, buf + i, k, o));
	}
	return (ssize_t)len;
}

static int text_err_close(void *cookie)
{
	char o[IA_TEXT_SANITIZED_MAX(3)];

	(void)cookie;
	text_err_out(o, ia_text_stream_end(&text_err_st, o));
	return 0;
}

int ia_text_stderr_guard(void)
{
	static const cookie_io_functions_t io = { .write = text_err_write, .close = text_err_close };
	FILE *f = fopencookie(NULL, "w", io);

	if (!f)
		return -ENOMEM;
	setvbuf(f, NULL, _IOLBF, BUFSIZ);
	fflush(stderr);
	stderr = f;
	return 0;
}

/* ---- wrapping ------------------------------------------------------------------------- */

unsigned ia_text_columns(int fd)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (c && *c) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(c, &end, 10);
		if (!errno && !*end && c[0] >= '0' && c[0] <= '9' && v >= 20 && v <= 10000)
			return (unsigned)v;
	}
	return 80;
}

/* Columns of @s[0..@n): code points, an SGR sequence (ESC '[' ... final byte) none. */
static size_t text_cols(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\033' && i + 1 < n && s[i + 1] == '[') {
			for (i += 2; i < n && !((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7e); i++)
				;
			continue;
		}
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	}
	return c;
}

/* Append @k spaces. */
static void text_spaces(struct ia_sb *out, size_t k)
{
	static const char sp[] = "                                                                ";

	while (k && !out->err) {
		size_t m = k < sizeof(sp) - 1 ? k : sizeof(sp) - 1;
		ia_sb_append(out, sp, m);
		k -= m;
	}
}

int ia_text_wrap(const char *line, size_t n, unsigned width, struct ia_sb *out)
{
	size_t indent = 0, i, col, hang;
	bool first = true;

	if (!width || text_cols(line, n) <= width) {
		ia_sb_append(out, line, n);
		ia_sb_append(out, "\n", 1);
		return out->err;
	}
	while (indent < n && line[indent] == ' ')
		indent++;
	hang = indent + 4 <= width / 2 ? indent + 4 : width / 2;
	ia_sb_append(out, line, indent);
	col = indent;
	for (i = indent; i < n;) {
		size_t g = i;
		while (i < n && line[i] == ' ')
			i++;
		if (i >= n)
			break;                          /* trailing spaces */
		size_t gap = i - g, u = i;
		bool quoted = false;
		while (i < n && (quoted || line[i] != ' ')) {
			if (line[i] == '`')
				quoted = !quoted;
			i++;
		}
		size_t w = text_cols(line + u, i - u);
		if (!first && col + gap + w > width) {
			ia_sb_append(out, "\n", 1);
			text_spaces(out, hang);
			col = hang;
		} else {
			ia_sb_append(out, line + g, gap);
			col += gap;
		}
		ia_sb_append(out, line + u, i - u);
		col += w;
		first = false;
	}
	ia_sb_append(out, "\n", 1);
	return out->err;
}

/* ---- string building ------------------------------------------------------------------ */

void ia_sb_init(struct ia_sb *b)
{
	*b = (struct ia_sb){ 0 };
}

void ia_sb_init_fixed(struct ia_sb *b, char *buf, size_t size)
{
	*b = (struct ia_sb){ .s = size ? buf : NULL, .cap = size, .fixed = true };
	if (size)
		buf[0] = '\0';
	else
		b->err = -EINVAL;
}

/* Make room for @add more bytes and the NUL in a heap builder; 0 or the sticky error. */
static int sb_room(struct ia_sb *b, size_t add)
{
	size_t need, ncap;
	char *ns;

	if (add > SIZE_MAX - 1 - b->len)
		return b->err = -EOVERFLOW;
	need = b->len + add + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap <= SIZE_MAX / 2 ? ncap * 2 : need;
	if (!(ns = realloc(b->s, ncap)))
		return b->err = -ENOMEM;
	b->s = ns;
	b->cap = ncap;
	return 0;
}

int ia_sb_vprintf(struct ia_sb *b, const char *fmt, va_list ap)
{
	va_list aq;
	int r;

	if (b->err)
		return b->err;
	if (b->fixed) {
		size_t room = b->cap - b->len;
		r = vsnprintf(b->s + b->len, room, fmt, ap);
		if (r < 0) {
			b->s[b->len] = '\0';   /* drop what a failed vsnprintf() may have written */
			return b->err = -EINVAL;
		}
		if ((size_t)r >= room) {
			b->len = b->cap - 1;
			b->truncated = true;
			return -E2BIG;
		}
		b->len += (size_t)r;
		return 0;
	}
	va_copy(aq, ap);
	r = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, aq);
	va_end(aq);
	if (r < 0 || !b->s || (size_t)r >= b->cap - b->len) {
		/* not written, or cut short: the text stays what it was until it is written whole */
		if (b->s)
			b->s[b->len] = '\0';
		if (r < 0)
			return b->err = -EINVAL;
		if (sb_room(b, (size_t)r))
			return b->err;
		if (vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap) != r) {
			b->s[b->len] = '\0';
			return b->err = -EINVAL;
		}
	}
	b->len += (size_t)r;
	return 0;
}

int ia_sb_printf(struct ia_sb *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = ia_sb_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

int ia_sb_append(struct ia_sb *b, const char *s, size_t n)
{
	if (b->err)
		return b->err;
	if (b->fixed) {
		size_t room = b->cap - 1 - b->len;
		size_t k = n < room ? n : room;
		memcpy(b->s + b->len, s, k);
		b->len += k;
		b->s[b->len] = '\0';
		if (k < n) {
			b->truncated = true;
			return -E2BIG;
		}
		return 0;
	}
	if (sb_room(b, n))
		return b->err;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int ia_sb_puts(struct ia_sb *b, const char *s)
{
	return ia_sb_append(b, s, strlen(s));
}

const char *ia_sb_str(const struct ia_sb *b)
{
	return b->s ? b->s : "";
}

char *ia_sb_take(struct ia_sb *b)
{
	char *r;

	if (b->err) {
		ia_sb_free(b);
		return NULL;
	}
	if (b->fixed)
		return strdup(b->s);
	r = b->s ? b->s : strdup("");
	ia_sb_init(b);
	return r;
}

void ia_sb_free(struct ia_sb *b)
{
	if (!b)
		return;
	if (!b->fixed)
		free(b->s);
	ia_sb_init(b);
}
