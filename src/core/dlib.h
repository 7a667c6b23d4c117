/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared libraries loaded on first use (dlopen) instead of at start: their functions resolved once into a table. */
#ifndef IA_DLIB_H
#define IA_DLIB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/** A function pointer of any type, as the tables of struct ia_dlib hold them. */
typedef void (*ia_dlib_fn)(void);

/**
 * A library loaded on first use. The caller's table @fns is a struct of @n function pointers
 * (and nothing else), in @names' order; every field but @fns, @soname, @package, @names and @n
 * is the loader's (zero-initialise it). Loading costs the dynamic loader's work only for the runs
 * that use the library: libarchive and libxml2 (with ICU and libstdc++) cost an audit's start about
 * 4.3M instructions, two thirds of all its dynamic linking, when linked.
 */
struct ia_dlib {
	const char *soname;            /* "libarchive.so.13": the build's, from CMake */
	const char *package;           /* what provides it, for the message: "libarchive13" */
	const char *const *names;      /* @n symbol names */
	size_t n;
	void *fns;                     /* the caller's table: @n ia_dlib_fn-sized function pointers */
	pthread_mutex_t lock;          /* PTHREAD_MUTEX_INITIALIZER */
	bool tried;
	int rc;                        /* 0 or -ENOENT, kept after the first try */
	char err[512];                 /* why loading failed, for the message */
};

/**
 * ia_dlib_load() - dlopen(@l->soname, RTLD_NOW | RTLD_LOCAL) on the first call and resolve every
 * name of @l->names into @l->fns; later calls (any thread) return the first call's result.
 * @err: out, on failure a message naming the library, why (dlerror()) and the package to
 * install; valid as long as @l.
 * Return: 0; -ENOENT when the library cannot be loaded or lacks a symbol (@l->fns is then left
 * all NULL: nothing is called through a half-filled table).
 */
int ia_dlib_load(struct ia_dlib *l, const char **err);

#endif
