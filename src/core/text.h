/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text helpers: the one strict UTF-8 decoder, the one escaping of host text, and the one string builder. */
#ifndef IA_TEXT_H
#define IA_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- UTF-8 ---------------------------------------------------------------------------- */

/* ia_utf8_decode()'s answer when the bytes given are a proper prefix of a well-formed sequence. */
#define IA_UTF8_SHORT ((size_t)-1)

/**
 * ia_utf8_decode() - decode the UTF-8 sequence at @p strictly (Unicode 15.0 §3.9, Table 3-7
 * "Well-Formed UTF-8 Byte Sequences"; RFC 3629 §4): no overlong forms (C0, C1, E0 80..9F,
 * F0 80..8F), no surrogates (ED A0..BF, U+D800..U+DFFF), nothing above U+10FFFF (F4 90..BF,
 * F5..FF), no lone continuation bytes.
 * @p:  bytes; @n: how many may be read (>= 1).
 * @cp: the code point, written when a sequence is returned; may be NULL.
 * Return: 1 to 4, the length of the well-formed sequence at @p; 0 when @p[0] starts none (the
 * caller replaces that one byte and goes on with the next, the "maximal subpart" practice of
 * §3.9 reduced to one byte); IA_UTF8_SHORT when all @n bytes are a proper prefix of a well-formed
 * sequence (at the end of the input, the caller treats that as 0: a truncated sequence).
 */
size_t ia_utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);

/**
 * ia_utf8_valid() - the offset of the first byte of @s[0..@n) that starts no well-formed sequence
 * (ia_utf8_decode() returns 0 or IA_UTF8_SHORT there), or @n when all of it is well-formed UTF-8.
 */
size_t ia_utf8_valid(const char *s, size_t n);

/*
 * The one escaping of host text (issue 17 item 6), the same in every renderer (text, JSON, JUnit,
 * groups, plan, diff, rules) and on stderr: what a terminal could act on, what breaks a line or a
 * format, and what is not UTF-8 becomes a visible escape, so a name reads the same in every format
 * and never reaches a terminal raw.
 *   - a byte that starts no well-formed UTF-8 sequence (ia_utf8_decode() returns 0, or a sequence
 *     truncated by the end of the text): "\xNN", NN its value in lower-case hex;
 *   - C0 controls other than LF (tab too: it would misalign columns), and DEL (ECMA-48 §5.2; CR, BS and ESC rewrite a terminal's
 *     screen): "\xNN";
 *   - C1 controls U+0080..U+009F (ECMA-48 §5.3: CSI U+009B starts a sequence), the line and paragraph
 *     separators U+2028/U+2029 (JavaScript and many viewers break lines there), the bidirectional
 *     embeddings, overrides and isolates U+202A..U+202E and U+2066..U+2069 (they reorder what is
 *     shown, CVE-2021-42574), and U+FFFE/U+FFFF (not XML 1.0 characters, §2.2 [2]): "\uNNNN".
 * Everything else (LF, every other Unicode scalar value) is kept. The escape is for people,
 * not reversible: a name holding the four characters "\x1b" reads the same as one holding ESC.
 * Every format can then carry the result: JSON escapes LF (RFC 8259 §7), XML takes it as it is.
 */

/** ia_text_keeps() - whether the well-formed character @cp is kept as it is (not escaped). */
bool ia_text_keeps(uint32_t cp);

/* Worst-case output size of ia_text_sanitize() for @n input bytes, without the NUL: a byte may
 * become "\xNN" (4 bytes); a 2-byte C1 control or a 3-byte separator "\uNNNN" (6 bytes). */
#define IA_TEXT_SANITIZED_MAX(n) ((n) * 4)

/**
 * ia_text_clean() - the length of the longest prefix of @s[0..@n) that ia_text_sanitize() leaves as
 * it is: @n when nothing in @s needs escaping (writers copy such text directly).
 */
size_t ia_text_clean(const char *s, size_t n);

/**
 * ia_text_sanitize() - copy @s[0..@n) into @out with the one escaping above: each kept character is
 * copied, each other character or malformed byte is escaped once, decoding going on after it.
 * @out: room for IA_TEXT_SANITIZED_MAX(@n) bytes; not NUL-terminated by this function.
 * Return: the number of bytes written to @out.
 */
size_t ia_text_sanitize(const char *s, size_t n, char *out);

/**
 * ia_text_sanitize_dup() - ia_text_sanitize() of the NUL-terminated @s into a new NUL-terminated
 * string. Return: the string (free() it); NULL when @s is NULL or memory runs out (-ENOMEM).
 */
char *ia_text_sanitize_dup(const char *s);

/**
 * struct ia_text_stream - ia_text_sanitize() over text that arrives in pieces: a sequence split
 * between two pieces is held back until the next piece (or ia_text_stream_end()) decides it.
 * Zero-initialise; nothing to free.
 */
struct ia_text_stream {
	unsigned char pend[4];   /* a proper prefix of a well-formed sequence */
	size_t npend;
};

/**
 * ia_text_stream_put() - sanitise the piece @s[0..@n) of a stream into @out.
 * @out: room for IA_TEXT_SANITIZED_MAX(@n + 3) bytes.
 * Return: the number of bytes written.
 */
size_t ia_text_stream_put(struct ia_text_stream *t, const char *s, size_t n, char *out);

/**
 * ia_text_stream_end() - the end of the stream: bytes held back are a truncated sequence, each
 * escaped once, into @out (room for IA_TEXT_SANITIZED_MAX(3) bytes). Return: bytes written.
 */
size_t ia_text_stream_end(struct ia_text_stream *t, char *out);

/**
 * ia_text_stderr_guard() - make stderr escape what is written to it with ia_text_sanitize(), so a
 * message quoting a hostile name (a driver, a path, an archive member, a pci.ids line) cannot
 * reach the operator's terminal raw: stderr becomes a line-buffered stream writing the escaped
 * text to file descriptor 2. Call once, first thing in main(). Return: 0; -ENOMEM (stderr is left
 * as it was).
 */
int ia_text_stderr_guard(void);

/* ---- wrapping ------------------------------------------------------------------------- */

struct ia_sb;

/**
 * ia_text_columns() - the width the text reports wrap to (issue 14 point 7): the terminal's columns
 * (TIOCGWINSZ, tty_ioctl(4)) when @fd is a terminal, else $COLUMNS when it is a number from 20 to
 * 10000, else 80. One ioctl() per report. Return: the width in columns.
 */
unsigned ia_text_columns(int fd);

/**
 * ia_text_wrap() - append the line @line[0..@n) (no '\n' in it) to @out wrapped to @width columns,
 * each output line ended by '\n': breaks only at spaces (the spaces at a break are dropped), so a
 * BDF or a path is never split; a `quoted` span (a command) is one unit, spaces and all; a unit that
 * does not fit goes whole to the next line, and one wider than the line stays whole on a line of its
 * own. Continuation lines hang 4 columns deeper than the line's own indentation (at most half the
 * width). A line that fits is appended as it is. Columns are counted in code points; an ANSI SGR
 * sequence (ESC '[' ... 'm') counts none.
 * @width: columns; 0 appends the line unwrapped.
 * Return: 0, or the builder's sticky error (struct ia_sb).
 */
int ia_text_wrap(const char *line, size_t n, unsigned width, struct ia_sb *out);

/* ---- string building ------------------------------------------------------------------ */

/**
 * struct ia_sb - a string builder: appends formatted text to a buffer that is either growable
 * (on the heap, ia_sb_init()) or the caller's fixed array (ia_sb_init_fixed(), truncating as
 * snprintf() does). The first failure is sticky: later appends do nothing.
 * @s:         the text, always NUL-terminated after init ("" before the first append).
 * @len:       bytes in @s, without the NUL.
 * @cap:       bytes allocated to @s (0 for a heap builder before its first append).
 * @fixed:     @s is the caller's array of @cap bytes.
 * @truncated: a fixed builder dropped text that did not fit (@s holds the prefix that fits).
 * @err:       0, or the first failure: -ENOMEM (a heap builder could not grow), -EOVERFLOW
 *             (the text would exceed SIZE_MAX or INT_MAX), -EINVAL (vsnprintf() failed).
 */
struct ia_sb {
	char *s;
	size_t len, cap;
	bool fixed, truncated;
	int err;
};

/** ia_sb_init() - an empty heap builder (nothing allocated until the first append). */
void ia_sb_init(struct ia_sb *b);

/** ia_sb_init_fixed() - an empty builder writing into @buf of @size bytes (>= 1). */
void ia_sb_init_fixed(struct ia_sb *b, char *buf, size_t size);

/**
 * ia_sb_printf() - append printf-formatted text.
 * Return: 0 when all of it was appended; -E2BIG when a fixed builder truncated it (sets
 * @truncated; not an error of the builder); the sticky @err otherwise.
 */
int ia_sb_printf(struct ia_sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** ia_sb_vprintf() - ia_sb_printf() with a va_list. */
int ia_sb_vprintf(struct ia_sb *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/** ia_sb_append() - append @n bytes of @s (no NUL among them). Return: as ia_sb_printf(). */
int ia_sb_append(struct ia_sb *b, const char *s, size_t n);

/** ia_sb_puts() - append the NUL-terminated @s. Return: as ia_sb_printf(). */
int ia_sb_puts(struct ia_sb *b, const char *s);

/** ia_sb_str() - the text so far ("" for an empty heap builder); valid until the next append. */
const char *ia_sb_str(const struct ia_sb *b);

/**
 * ia_sb_take() - the heap builder's text, handed to the caller (free() it); the builder is empty
 * again. Return: the string ("" allocated when empty); NULL when @err is set (the text is freed)
 * or memory runs out. A fixed builder returns a heap copy of its text.
 */
char *ia_sb_take(struct ia_sb *b);

/** ia_sb_free() - free a heap builder's text (a fixed builder's array is the caller's); NULL-safe. */
void ia_sb_free(struct ia_sb *b);

#endif
