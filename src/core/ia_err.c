// SPDX-License-Identifier: GPL-2.0-or-later
// The message table for iommu-audit's error codes (see ia_err.h).
#include "core/ia_err.h"

#include <stdlib.h>
#include <string.h>

static const char *const ia_err_msgs[IA_E_END - IA_E_BASE] = {
	[IA_E_TRUNCATED - IA_E_BASE] = "structure runs past the end of its buffer",
	[IA_E_BADLEN - IA_E_BASE] = "invalid length field",
	[IA_E_CHECKSUM - IA_E_BASE] = "checksum mismatch",
	[IA_E_SIGNATURE - IA_E_BASE] = "unexpected table signature",
	[IA_E_FORMAT - IA_E_BASE] = "malformed input",
	[IA_E_RANGE - IA_E_BASE] = "value out of range",
	[IA_E_LOOP - IA_E_BASE] = "loop or excessive nesting in a linked structure",
	[IA_E_UNSUPPORTED - IA_E_BASE] = "unsupported revision or type",
	[IA_E_LIBPCI - IA_E_BASE] = "libpci error",
	[IA_E_FDT - IA_E_BASE] = "invalid device-tree blob",
	[IA_E_SQLITE - IA_E_BASE] = "fact database error",
	[IA_E_ARCHIVE - IA_E_BASE] = "unreadable or unsafe capture archive",
	[IA_E_ESCAPE - IA_E_BASE] = "path leads outside the root",
	[IA_E_TOOBIG - IA_E_BASE] = "input larger than the allowed limit",
	[IA_E_USAGE - IA_E_BASE] = "usage error",
	[IA_E_NOTREG_CHR - IA_E_BASE] = "not a regular file: character device",
	[IA_E_NOTREG_BLK - IA_E_BASE] = "not a regular file: block device",
	[IA_E_NOTREG_FIFO - IA_E_BASE] = "not a regular file: FIFO",
	[IA_E_NOTREG_SOCK - IA_E_BASE] = "not a regular file: socket",
	[IA_E_NOTREG - IA_E_BASE] = "not a regular file",
	[IA_E_HARDLINK - IA_E_BASE] = "hard-linked file (link count above one) in a captured tree",
};

const char *ia_strerror(int err)
{
	int e = abs(err);

	if (e > IA_E_BASE && e < IA_E_END && ia_err_msgs[e - IA_E_BASE])
		return ia_err_msgs[e - IA_E_BASE];
	if (e > 0 && e < IA_E_BASE)
		return strerror(e);
	return "unknown error";
}
