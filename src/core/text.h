/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text helpers: the one strict UTF-8 decoder and sanitiser, and the one string builder. */
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

/* Which well-formed characters a sanitised text keeps, and what replaces the rest. */
enum ia_text_profile {
	/* JSON strings (RFC 8259 §7): every Unicode scalar value is kept (the writer escapes C0
	 * controls); a byte that starts no well-formed sequence becomes U+FFFD. */
	IA_TEXT_JSON,
	/* XML 1.0 §2.2 production [2] Char: C0 controls other than tab, LF and CR, U+FFFE and U+FFFF
	 * become U+FFFD, as does a byte that starts no well-formed sequence. */
	IA_TEXT_XML,
	/* A terminal: C0 controls other than LF and tab, DEL and C1 controls (U+0080..U+009F, ECMA-48
	 * §5.2: they can start escape sequences) become '?', as does a byte that starts no
	 * well-formed sequence; so quoted host text cannot carry an escape sequence. */
	IA_TEXT_TERMINAL,
};

/**
 * ia_text_keeps() - whether @profile keeps the well-formed character @cp.
 */
bool ia_text_keeps(enum ia_text_profile profile, uint32_t cp);

/**
 * ia_text_replacement() - what replaces a refused character or byte under @profile: "\xef\xbf\xbd"
 * (U+FFFD, 3 bytes) for JSON and XML, "?" for a terminal. A static string.
 */
const char *ia_text_replacement(enum ia_text_profile profile);

/* Worst-case output size of ia_text_sanitize() for @n input bytes, without the NUL (each input
 * byte may become a 3-byte U+FFFD). */
#define IA_TEXT_SANITIZED_MAX(n) ((n) * 3)

/**
 * ia_text_sanitize() - copy @s[0..@n) into @out under @profile: each well-formed character it keeps
 * is copied, each well-formed character it refuses is replaced once (by ia_text_replacement()),
 * and each byte that starts no well-formed sequence (ia_utf8_decode(): including a sequence
 * truncated by the end of @s) is replaced once, decoding going on at the next byte.
 * @out: room for IA_TEXT_SANITIZED_MAX(@n) bytes; not NUL-terminated by this function.
 * Return: the number of bytes written to @out.
 */
size_t ia_text_sanitize(const char *s, size_t n, enum ia_text_profile profile, char *out);

/**
 * ia_text_sanitize_dup() - ia_text_sanitize() of the NUL-terminated @s into a new NUL-terminated
 * string. Return: the string (free() it); NULL when @s is NULL or memory runs out (-ENOMEM).
 */
char *ia_text_sanitize_dup(const char *s, enum ia_text_profile profile);

/**
 * struct ia_text_stream - ia_text_sanitize() over text that arrives in pieces: a sequence split
 * between two pieces is held back until the next piece (or ia_text_stream_end()) decides it.
 * Zero-initialise with the profile set; nothing to free.
 */
struct ia_text_stream {
	enum ia_text_profile profile;
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
 * replaced once, into @out (room for IA_TEXT_SANITIZED_MAX(3) bytes). Return: bytes written.
 */
size_t ia_text_stream_end(struct ia_text_stream *t, char *out);

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
