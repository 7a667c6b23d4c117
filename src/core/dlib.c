// SPDX-License-Identifier: GPL-2.0-or-later
// Shared libraries loaded on first use: dlopen() once, every function resolved once into the caller's table.
#include "core/dlib.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int ia_dlib_load(struct ia_dlib *l, const char **err)
{
	pthread_mutex_lock(&l->lock);
	if (!l->tried) {
		void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
		const char *e = h ? NULL : dlerror();
		l->rc = h ? 0 : -ENOENT;
		for (size_t i = 0; h && i < l->n; i++) {
			void *sym = dlsym(h, l->names[i]);
			if (!sym) {
				e = dlerror();
				l->rc = -ENOENT;
				break;
			}
			/* POSIX dlsym(): an object pointer that converts to the function's pointer */
			ia_dlib_fn f;
			memcpy(&f, &sym, sizeof(f));
			memcpy((char *)l->fns + i * sizeof(f), &f, sizeof(f));
		}
		if (l->rc < 0) {
			memset(l->fns, 0, l->n * sizeof(ia_dlib_fn));
			snprintf(l->err, sizeof(l->err), "%s cannot be loaded (%s); install %s", l->soname,
				 e ? e : "unknown error", l->package);
			if (h)
				dlclose(h);
		}
		l->tried = true;
	}
	pthread_mutex_unlock(&l->lock);
	*err = l->rc < 0 ? l->err : NULL;
	return l->rc;
}
