// SPDX-License-Identifier: GPL-2.0-or-later
// libarchive loaded on first use: the table of its functions, filled once by ia_archive_load().
#include "core/archive_lib.h"

#include "core/dlib.h"

#ifndef IA_LIBARCHIVE_SONAME
#error "IA_LIBARCHIVE_SONAME (the soname of the libarchive the build found) comes from CMakeLists.txt"
#endif

struct ia_archive_fns ia_archive_fns;

static const char *const archive_names[] = {
#define ARCHIVE_NAME(name) #name,
	IA_ARCHIVE_FUNCS(ARCHIVE_NAME)
#undef ARCHIVE_NAME
};

_Static_assert(sizeof(struct ia_archive_fns) == sizeof(archive_names) / sizeof(*archive_names) * sizeof(ia_dlib_fn),
	       "struct ia_archive_fns is one function pointer per name, nothing else");

static struct ia_dlib archive_lib = {
	.soname = IA_LIBARCHIVE_SONAME,
	.package = "the package that provides it (Debian: libarchive13) to read or write capture archives",
	.names = archive_names,
	.n = sizeof(archive_names) / sizeof(*archive_names),
	.fns = &ia_archive_fns,
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

int ia_archive_load(const char **err)
{
	return ia_dlib_load(&archive_lib, err);
}
