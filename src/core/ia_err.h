/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one error convention of iommu-audit: negative errno, or a negative project code below. */
#ifndef IA_ERR_H
#define IA_ERR_H

/*
 * Functions return 0 (or a count) on success and a negative value on failure: either -errno
 * (-ENOENT for an absent attribute, -EACCES, -EIO, ...) or one of the project codes below,
 * negated. ia_strerror() names both kinds; library code never prints and never exits.
 */
enum ia_err {
	IA_E_BASE = 4096,   /* project codes start above every errno */
	IA_E_TRUNCATED,     /* a structure runs past the end of its buffer */
	IA_E_BADLEN,        /* a length field is zero, too small, or inconsistent */
	IA_E_CHECKSUM,      /* an ACPI table's bytes do not sum to zero */
	IA_E_SIGNATURE,     /* a table does not carry the expected signature */
	IA_E_FORMAT,        /* text that does not parse as the documented format */
	IA_E_RANGE,         /* a number outside the range its field allows */
	IA_E_LOOP,          /* a linked structure loops or is nested too deep */
	IA_E_UNSUPPORTED,   /* a revision or type this tool does not decode */
	IA_E_LIBPCI,        /* libpci reported a fatal error (caught, not exited) */
	IA_E_FDT,           /* libfdt rejected a device-tree blob */
	IA_E_SQLITE,        /* the fact database refused a statement */
	IA_E_ARCHIVE,       /* a capture archive could not be read or is unsafe */
	IA_E_ESCAPE,        /* a path or link leads outside the root */
	IA_E_TOOBIG,        /* an input is larger than the limit for its kind */
	IA_E_USAGE,         /* a command-line usage error */
	IA_E_NOTREG_CHR,    /* a character device where a regular file is expected (never read) */
	IA_E_NOTREG_BLK,    /* a block device where a regular file is expected (never read) */
	IA_E_NOTREG_FIFO,   /* a FIFO where a regular file is expected (never read) */
	IA_E_NOTREG_SOCK,   /* a Unix socket where a regular file is expected (never read) */
	IA_E_NOTREG,        /* any other non-regular file where a regular file is expected */
	IA_E_HARDLINK,      /* a regular file with a link count above one in a non-live root */
	IA_E_END
};

/**
 * ia_strerror() - the message for an error code.
 * @err: a value returned by an iommu-audit function (negative) or its absolute value.
 *
 * Return: a static string; never NULL. Unknown codes give "unknown error".
 */
const char *ia_strerror(int err);

#endif
