// SPDX-License-Identifier: GPL-2.0-or-later
// Temporary siblings of outputs (src/core/outfile.h).
#include "core/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int ia_out_tmpname(const char *path, char *tmp, size_t cap)
{
	const char *slash = strrchr(path, '/');
	int n = slash ? snprintf(tmp, cap, "%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1)
		      : snprintf(tmp, cap, ".%s.XXXXXX", path);

	if (n < 0 || (size_t)n >= cap) {
		if (cap)
			tmp[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

mode_t ia_out_umask(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[128];
	unsigned int v;

	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "Umask: %o", &v) == 1 && v <= 0777) {
				fclose(f);
				return (mode_t)v;
			}
		fclose(f);
	}
	mode_t um = umask(0);
	umask(um);
	return um;
}

int ia_out_tmpfile(const char *path, mode_t mode, char *tmp, size_t cap)
{
	int rc = ia_out_tmpname(path, tmp, cap), fd;

	if (rc < 0)
		return rc;
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		rc = -errno;
		tmp[0] = '\0';
		return rc;
	}
	fchmod(fd, mode & ~ia_out_umask());
	return fd;
}
