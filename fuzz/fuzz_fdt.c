// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz the device-tree decoder (libfdt checks, then the walk) and its RID maps, as the DT collector uses them.
#include <errno.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "decode/fdt.h"
#include "fuzz.h"
#include "core/ia_err.h"

/* Map one RID behind bridge @b and check the answer against the tree. */
static void fz_map(const struct ia_fdt *f, size_t b, enum ia_fdt_map_kind which, uint32_t rid)
{
	struct ia_fdt_map_result r;
	int rc = ia_fdt_map_rid(f, b, which, rid, &r);

	if (rc != 0)
		return;
	FZ_CHECK(which == IA_FDT_MAP_MSI ? r.target < f->n_msi_ctrls : r.target < f->n_iommus);
	FZ_CHECK(r.via_msi_parent == (r.entry == NULL));
}

/*
 * @ours against the path built from libfdt's fdt_parent_offset() and fdt_get_name(), or
 * ".../<name>" when that does not fit IA_FDT_PATH_MAX. (Not fdt_get_path(): in libfdt 1.6.1 it
 * pops components by searching back for '/', so a node name holding '/' shifts every later
 * path; fuzz/regressions/fdt/libfdt-get-path-loses-depth.)
 */
static void fz_same_path(const void *blob, int off, const char *ours, char *buf)
{
	int chain[4096], n = 0;
	size_t len = 0;

	for (int o = off; o > 0 && n < 4096; o = fdt_parent_offset(blob, o))
		chain[n++] = o;
	if (n == 4096)
		return;
	strcpy(buf, "/");
	len = 1;
	while (n > 0) {
		int nl;
		const char *name = fdt_get_name(blob, chain[--n], &nl);
		if (!name || len + (size_t)nl + 2 >= (1 << 16))
			return;
		if (len > 1)
			buf[len++] = '/';
		memcpy(buf + len, name, (size_t)nl);
		len += (size_t)nl;
		buf[len] = '\0';
	}
	if (len < IA_FDT_PATH_MAX)
		FZ_CHECK(!strcmp(buf, ours));
	else
		FZ_CHECK(!strncmp(ours, ".../", 4));
}

static void fz_map_all(const struct ia_fdt *f, size_t b, const struct ia_fdt_map *m,
		       enum ia_fdt_map_kind which)
{
	FZ_CHECK(m->valid || m->n == 0);
	FZ_CHECK(m->n == 0 || m->v);
	for (size_t k = 0; k < m->n && k < 8; k++) {
		FZ_CHECK(m->v[k].state != IA_FDT_TARGET_OK ||
			 (which == IA_FDT_MAP_MSI ? m->v[k].target < f->n_msi_ctrls
						  : m->v[k].target < f->n_iommus));
		fz_map(f, b, which, m->v[k].rid_base);
		fz_map(f, b, which, m->v[k].rid_base + m->v[k].length);
	}
	fz_map(f, b, which, 0);
	fz_map(f, b, which, 0xffff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ia_fdt f;
	struct ia_diags d = {0};
	int rc = ia_fdt_decode(data, size, &f, &d);

	if (rc < 0)
		FZ_CHECK(f.n_bridges == 0 && f.n_msi_ctrls == 0 && f.n_iommus == 0);
	/* Paths come from the decoder's own parent index: they must name the node's ancestors. */
	void *blob = rc == 0 ? malloc(size ? size : 1) : NULL;
	char *p = blob ? malloc(1 << 16) : NULL;
	if (blob && p) {
		memcpy(blob, data, size);
		for (size_t b = 0; b < f.n_bridges; b++)
			fz_same_path(blob, f.bridges[b].node_offset, f.bridges[b].path, p);
		for (size_t i = 0; i < f.n_msi_ctrls; i++)
			fz_same_path(blob, f.msi_ctrls[i].node_offset, f.msi_ctrls[i].path, p);
		for (size_t i = 0; i < f.n_iommus; i++)
			fz_same_path(blob, f.iommus[i].node_offset, f.iommus[i].path, p);
	}
	free(p);
	free(blob);
	for (size_t b = 0; b < f.n_bridges; b++) {
		const struct ia_fdt_host_bridge *h = &f.bridges[b];
		FZ_CHECK(memchr(h->path, 0, sizeof(h->path)) != NULL);
		FZ_CHECK(h->compat.n <= IA_FDT_COMPAT_MAX);
		FZ_CHECK(!h->has_msi_ctrl || h->msi_ctrl < f.n_msi_ctrls);
		FZ_CHECK(ia_fdt_find_bridge(&f, h->path) >= 0);
		for (size_t k = 0; k < h->n_msi_parent; k++)
			FZ_CHECK(h->msi_parent[k].n_args <= IA_FDT_MAX_ARGS &&
				 (h->msi_parent[k].state != IA_FDT_TARGET_OK ||
				  h->msi_parent[k].target < f.n_msi_ctrls));
		for (size_t k = 0; k < h->n_iommus; k++)
			FZ_CHECK(h->iommus[k].n_args <= IA_FDT_MAX_ARGS &&
				 (h->iommus[k].state != IA_FDT_TARGET_OK || h->iommus[k].target < f.n_iommus));
		fz_map_all(&f, b, &h->msi_map, IA_FDT_MAP_MSI);
		fz_map_all(&f, b, &h->iommu_map, IA_FDT_MAP_IOMMU);
	}
	FZ_CHECK(ia_fdt_map_rid(&f, f.n_bridges, IA_FDT_MAP_MSI, 0, &(struct ia_fdt_map_result){0}) == -EINVAL);
	for (size_t i = 0; i < f.n_msi_ctrls; i++) {
		FZ_CHECK(memchr(f.msi_ctrls[i].path, 0, IA_FDT_PATH_MAX) != NULL);
		(void)ia_fdt_msi_kind_name(f.msi_ctrls[i].kind);
	}
	for (size_t i = 0; i < f.n_iommus; i++)
		(void)ia_fdt_iommu_kind_name(f.iommus[i].kind);
	ia_fdt_free(&f);
	ia_fdt_free(&f); /* left empty by the first call */
	ia_diags_free(&d);
	return 0;
}
