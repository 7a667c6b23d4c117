/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libarchive loaded on first use (dlopen): only runs that read or write a capture archive pay for it and its libraries. */
#ifndef IA_ARCHIVE_LIB_H
#define IA_ARCHIVE_LIB_H

/* libarchive's own declarations give each pointer its exact type (and its macros, AE_IFREG...);
 * nothing links against it: the binary does not list it (ldd), and an audit of a tree never maps it. */
#include <archive.h>
#include <archive_entry.h>

/* The libarchive functions the tool calls; one line each, sorted. A call is written
 * ia_<libarchive's name>(...), e.g. ia_archive_read_new(), after ia_archive_load() succeeded. */
#define IA_ARCHIVE_FUNCS(X) \
	X(archive_entry_filetype) \
	X(archive_entry_free) \
	X(archive_entry_hardlink) \
	X(archive_entry_mode) \
	X(archive_entry_new) \
	X(archive_entry_pathname) \
	X(archive_entry_perm) \
	X(archive_entry_set_filetype) \
	X(archive_entry_set_hardlink) \
	X(archive_entry_set_mtime) \
	X(archive_entry_set_pathname) \
	X(archive_entry_set_perm) \
	X(archive_entry_set_size) \
	X(archive_entry_set_symlink) \
	X(archive_entry_size) \
	X(archive_entry_size_is_set) \
	X(archive_entry_symlink) \
	X(archive_errno) \
	X(archive_error_string) \
	X(archive_read_close) \
	X(archive_read_data) \
	X(archive_read_data_block) \
	X(archive_read_data_skip) \
	X(archive_read_free) \
	X(archive_read_new) \
	X(archive_read_next_header) \
	X(archive_read_open_fd) \
	X(archive_read_open_filename) \
	X(archive_read_open_memory) \
	X(archive_read_support_filter_gzip) \
	X(archive_read_support_filter_zstd) \
	X(archive_read_support_format_tar) \
	X(archive_write_add_filter_gzip) \
	X(archive_write_add_filter_none) \
	X(archive_write_add_filter_zstd) \
	X(archive_write_close) \
	X(archive_write_data) \
	X(archive_write_data_block) \
	X(archive_write_disk_new) \
	X(archive_write_disk_set_options) \
	X(archive_write_finish_entry) \
	X(archive_write_free) \
	X(archive_write_header) \
	X(archive_write_new) \
	X(archive_write_open_fd) \
	X(archive_write_set_format_pax_restricted)

/** The table ia_archive_load() fills: one pointer per function of IA_ARCHIVE_FUNCS, libarchive's type. */
struct ia_archive_fns {
#define IA_ARCHIVE_FN_PTR(name) __typeof__(name) *name;
	IA_ARCHIVE_FUNCS(IA_ARCHIVE_FN_PTR)
#undef IA_ARCHIVE_FN_PTR
};
extern struct ia_archive_fns ia_archive_fns;

/**
 * ia_archive_load() - load libarchive (IA_LIBARCHIVE_SONAME, the soname the build found, e.g.
 * "libarchive.so.13") and resolve every function of IA_ARCHIVE_FUNCS, once per process (later
 * calls, from any thread, return the first one's result).
 * @err: out, on failure "libarchive.so.13 cannot be loaded (<dlerror()>); install the package that
 * provides it (Debian: libarchive13) to read or write capture archives".
 * Return: 0; -ENOENT when the library or one of its functions is missing (no ia_archive_* may
 * then be called: every pointer is NULL).
 */
int ia_archive_load(const char **err);

/* ia_archive_read_new() calls libarchive's archive_read_new(), and so on. */
#define ia_archive_entry_filetype (*ia_archive_fns.archive_entry_filetype)
#define ia_archive_entry_free (*ia_archive_fns.archive_entry_free)
#define ia_archive_entry_hardlink (*ia_archive_fns.archive_entry_hardlink)
#define ia_archive_entry_mode (*ia_archive_fns.archive_entry_mode)
#define ia_archive_entry_new (*ia_archive_fns.archive_entry_new)
#define ia_archive_entry_pathname (*ia_archive_fns.archive_entry_pathname)
#define ia_archive_entry_perm (*ia_archive_fns.archive_entry_perm)
#define ia_archive_entry_set_filetype (*ia_archive_fns.archive_entry_set_filetype)
#define ia_archive_entry_set_hardlink (*ia_archive_fns.archive_entry_set_hardlink)
#define ia_archive_entry_set_mtime (*ia_archive_fns.archive_entry_set_mtime)
#define ia_archive_entry_set_pathname (*ia_archive_fns.archive_entry_set_pathname)
#define ia_archive_entry_set_perm (*ia_archive_fns.archive_entry_set_perm)
#define ia_archive_entry_set_size (*ia_archive_fns.archive_entry_set_size)
#define ia_archive_entry_set_symlink (*ia_archive_fns.archive_entry_set_symlink)
#define ia_archive_entry_size (*ia_archive_fns.archive_entry_size)
#define ia_archive_entry_size_is_set (*ia_archive_fns.archive_entry_size_is_set)
#define ia_archive_entry_symlink (*ia_archive_fns.archive_entry_symlink)
#define ia_archive_errno (*ia_archive_fns.archive_errno)
#define ia_archive_error_string (*ia_archive_fns.archive_error_string)
#define ia_archive_read_close (*ia_archive_fns.archive_read_close)
#define ia_archive_read_data (*ia_archive_fns.archive_read_data)
#define ia_archive_read_data_block (*ia_archive_fns.archive_read_data_block)
#define ia_archive_read_data_skip (*ia_archive_fns.archive_read_data_skip)
#define ia_archive_read_free (*ia_archive_fns.archive_read_free)
#define ia_archive_read_new (*ia_archive_fns.archive_read_new)
#define ia_archive_read_next_header (*ia_archive_fns.archive_read_next_header)
#define ia_archive_read_open_fd (*ia_archive_fns.archive_read_open_fd)
#define ia_archive_read_open_filename (*ia_archive_fns.archive_read_open_filename)
#define ia_archive_read_open_memory (*ia_archive_fns.archive_read_open_memory)
#define ia_archive_read_support_filter_gzip (*ia_archive_fns.archive_read_support_filter_gzip)
#define ia_archive_read_support_filter_zstd (*ia_archive_fns.archive_read_support_filter_zstd)
#define ia_archive_read_support_format_tar (*ia_archive_fns.archive_read_support_format_tar)
#define ia_archive_write_add_filter_gzip (*ia_archive_fns.archive_write_add_filter_gzip)
#define ia_archive_write_add_filter_none (*ia_archive_fns.archive_write_add_filter_none)
#define ia_archive_write_add_filter_zstd (*ia_archive_fns.archive_write_add_filter_zstd)
#define ia_archive_write_close (*ia_archive_fns.archive_write_close)
#define ia_archive_write_data (*ia_archive_fns.archive_write_data)
#define ia_archive_write_data_block (*ia_archive_fns.archive_write_data_block)
#define ia_archive_write_disk_new (*ia_archive_fns.archive_write_disk_new)
#define ia_archive_write_disk_set_options (*ia_archive_fns.archive_write_disk_set_options)
#define ia_archive_write_finish_entry (*ia_archive_fns.archive_write_finish_entry)
#define ia_archive_write_free (*ia_archive_fns.archive_write_free)
#define ia_archive_write_header (*ia_archive_fns.archive_write_header)
#define ia_archive_write_new (*ia_archive_fns.archive_write_new)
#define ia_archive_write_open_fd (*ia_archive_fns.archive_write_open_fd)
#define ia_archive_write_set_format_pax_restricted (*ia_archive_fns.archive_write_set_format_pax_restricted)

#endif
