/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Read the text that ACPICA's acpidump prints back into (signature, bytes) ACPI tables. */
#ifndef IA_DECODE_ACPIDUMP_H
#define IA_DECODE_ACPIDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/acpi.h"
#include "core/diag.h"

/* Default limit on the bytes of all tables kept from one dump (more: -IA_E_TOOBIG, parsing stops). */
#define IA_ACPIDUMP_MAX_TOTAL (64u * 1024u * 1024u)

/** Size limits; a zero field means the default (IA_ACPI_MAX_TABLE, IA_ACPIDUMP_MAX_TOTAL). */
struct ia_acpidump_limits {
	size_t max_table;        /* bytes per table; values above IA_ACPI_MAX_TABLE are clamped */
	size_t max_total;        /* bytes over all kept tables */
};

/** One table recovered from the dump. */
struct ia_acpidump_table {
	char signature[5];       /* as printed before " @ ", NUL-terminated ("DMAR", "SSDT", "RSDP") */
	uint64_t address;        /* the physical address printed after "@ 0x" */
	uint8_t *bytes;          /* the table, heap-allocated, @len bytes */
	size_t len;              /* bytes; equals the header's length field (offset 4) except RSDP */
	size_t line;             /* 1-based line of the "SIGN @ 0x..." header in the text */
};

/** All tables of a dump, in text order (several SSDTs stay separate). Release with ia_acpidump_free(). */
struct ia_acpidump {
	struct ia_acpidump_table *v;
	size_t n;
	size_t total;            /* sum of v[i].len */
};

/**
 * ia_acpidump_parse() - split acpidump text into tables, without running any program.
 * @text, @len: the text (need not be NUL-terminated; LF or CRLF line ends).
 * @lim: size limits, or NULL for the defaults.
 * @out: zeroed, then filled with the tables kept (also on a negative return: empty).
 * @diags: one diagnostic per dropped table or stop (may be NULL); "where" is the signature
 *         (or "acpidump"), the offset is the byte offset of the offending line in @text, and
 *         the message starts with "line N:".
 *
 * Format (ACPICA tools/acpidump apdump.c ap_dump_table_buffer() and
 * acpi_ut_dump_buffer_to_file()): a header line "SIGN @ 0x<address>", then lines
 * "  <offset>: XX XX ... XX  <ASCII>" of up to 16 bytes, offset in hex (4 or more digits) and
 * equal to the bytes read so far, short lines padded with 3 spaces per missing byte, then a blank
 * line. Blank lines inside a table are tolerated (the table goes on when the next line continues
 * its offsets). After a blank line, lines that are neither headers nor a continuation (banners,
 * trailing junk) are ignored; so is everything before the first header.
 *
 * A table is dropped, with a diagnostic, and parsing continues with the next header when:
 * a line inside it is not a well-formed hex line or its offset is not the running count
 * (-IA_E_FORMAT, "line N: ..."); it has no hex lines (-IA_E_FORMAT); its first 4 bytes differ
 * from the printed signature (-IA_E_SIGNATURE; RSDP exempt); the header's length field (offset
 * 4) is larger than the bytes present (-IA_E_TRUNCATED) or smaller (-IA_E_BADLEN), RSDP exempt;
 * it grows past @lim->max_table (-IA_E_TOOBIG). When the kept tables would pass
 * @lim->max_total, that table is dropped and parsing stops (-IA_E_TOOBIG).
 *
 * Return: the number of tables kept (>= 0); -EINVAL when @text (with @len > 0) or @out is NULL;
 * -ENOMEM (nothing kept).
 */
long ia_acpidump_parse(const uint8_t *text, size_t len, const struct ia_acpidump_limits *lim,
		       struct ia_acpidump *out, struct ia_diags *diags);

/*
 * The same parser fed in pieces, so a large dump is never held whole (issue 17, item 8): memory
 * is the tables kept (at most @lim->max_total, plus the one being read, at most
 * @lim->max_table) and one 64 KiB line buffer. ia_acpidump_parse() is new + one feed + end.
 * A line longer than 64 KiB (acpidump's are 75 bytes) is not read: inside a table it drops the
 * table (-IA_E_FORMAT, "line N: longer than 65536 bytes"), elsewhere it is junk.
 */
struct ia_acpidump_stream;

/**
 * ia_acpidump_stream_new() - start parsing into @out (zeroed here) with limits @lim (NULL:
 * the defaults) and diagnostics to @diags (may be NULL), as ia_acpidump_parse() describes.
 * Return: the parser, or NULL when @out is NULL or memory runs out.
 */
struct ia_acpidump_stream *ia_acpidump_stream_new(const struct ia_acpidump_limits *lim,
						  struct ia_acpidump *out, struct ia_diags *diags);

/**
 * ia_acpidump_stream_feed() - the next @len bytes of the text (any split: a line may span feeds).
 * Return: 0; 1 when parsing has stopped (the total limit: later text is ignored, the caller may
 * stop reading); -EINVAL for NULL @buf with @len > 0; -ENOMEM.
 */
int ia_acpidump_stream_feed(struct ia_acpidump_stream *s, const uint8_t *buf, size_t len);

/**
 * ia_acpidump_stream_end() - parse the last line (one without '\n'), close the open table and
 * release @s. Return: the number of tables kept; -ENOMEM (then @out is empty); -EINVAL for NULL.
 */
long ia_acpidump_stream_end(struct ia_acpidump_stream *s);

/** ia_acpidump_free() - release the tables; accepts NULL; leaves @d empty. */
void ia_acpidump_free(struct ia_acpidump *d);

/**
 * ia_acpidump_find() - the @nth (0-based) table whose signature is @sig, in text order.
 * Return: the table, or NULL when there are fewer such tables.
 */
const struct ia_acpidump_table *ia_acpidump_find(const struct ia_acpidump *d, const char *sig,
						 size_t nth);

#endif
