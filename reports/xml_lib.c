// SPDX-License-Identifier: GPL-2.0-or-later
// libxml2 loaded on first use: the table of its functions, filled once by ia_xml_load().
#include "xml_lib.h"

#include "core/dlib.h"

#ifndef IA_LIBXML2_SONAME
#error "IA_LIBXML2_SONAME (the soname of the libxml2 the build found) comes from CMakeLists.txt"
#endif

struct ia_xml_fns ia_xml_fns;

static const char *const xml_names[] = {
#define XML_NAME(name) #name,
	IA_XML_FUNCS(XML_NAME)
#undef XML_NAME
};

_Static_assert(sizeof(struct ia_xml_fns) == sizeof(xml_names) / sizeof(*xml_names) * sizeof(ia_dlib_fn),
	       "struct ia_xml_fns is one function pointer per name, nothing else");

static struct ia_dlib xml_lib = {
	.soname = IA_LIBXML2_SONAME,
	.package = "the package that provides it (Debian: libxml2) to write JUnit reports",
	.names = xml_names,
	.n = sizeof(xml_names) / sizeof(*xml_names),
	.fns = &ia_xml_fns,
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

int ia_xml_load(const char **err)
{
	return ia_dlib_load(&xml_lib, err);
}
