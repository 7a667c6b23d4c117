// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz the IORT decoder, its ID-mapping walk and the RMR listing, as the firmware collector uses them.
#include <errno.h>

#include "decode/iort.h"
#include "fuzz.h"
#include "core/ia_err.h"

/* Map one input ID at a node and check the result against the table. */
static void fz_map(const struct ia_iort *t, size_t node, uint32_t id)
{
	struct ia_iort_map_result r;
	int rc = ia_iort_map_id(t, node, id, &r);

	FZ_CHECK(rc == 0 || rc == -ENXIO || rc == -IA_E_RANGE || rc == -IA_E_LOOP || rc == -EINVAL);
	FZ_CHECK(r.hops <= IA_IORT_MAX_HOPS + 1);
	if (rc == 0)
		FZ_CHECK(r.has_smmu || r.has_its);
	if (r.has_smmu)
		FZ_CHECK(r.smmu_node < t->n_nodes && (t->nodes[r.smmu_node].type == IA_IORT_NODE_SMMU ||
						      t->nodes[r.smmu_node].type == IA_IORT_NODE_SMMU_V3));
	if (r.has_its) {
		uint32_t its_id;
		FZ_CHECK(r.its_node < t->n_nodes && t->nodes[r.its_node].type == IA_IORT_NODE_ITS_GROUP);
		(void)ia_iort_its_id(t, r.its_node, 0, &its_id);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ia_iort t;
	struct ia_iort_rmrs rm;
	struct ia_diags d = {0};

	ia_iort_decode(data, size, &t, &d);
	for (size_t i = 0; i < t.n_nodes; i++) {
		const struct ia_iort_node *n = &t.nodes[i];
		size_t at;

		FZ_CHECK(n->offset < size && n->first_mapping + n->n_mappings <= t.n_mappings);
		FZ_CHECK(n->n_mappings <= n->mapping_count);
		FZ_CHECK(i == 0 || t.nodes[i - 1].offset < n->offset); /* table order */
		FZ_CHECK(ia_iort_node_at(&t, n->offset, &at) == 0 && at == i);
		(void)ia_iort_node_type_name(n->type);
		if (n->known && n->type == IA_IORT_NODE_ITS_GROUP)
			FZ_CHECK(n->u.its.first_its_id + n->u.its.n_its_ids <= t.n_its_ids);
		if (n->known && n->type == IA_IORT_NODE_PCI_ROOT_COMPLEX) {
			/* Only a root complex whose segment field was inside the node can be found. */
			if (n->data_ok)
				FZ_CHECK(ia_iort_find_rc(&t, n->u.rc.pci_segment, &at) == 0 && at <= i);
			struct ia_iort_map_result r;
			(void)ia_iort_map_rid(&t, n->u.rc.pci_segment, 0, &r);
			(void)ia_iort_map_rid(&t, n->u.rc.pci_segment, 0xffff, &r);
		}
		/* Both ends of each of the node's first mappings. */
		for (size_t k = 0; k < n->n_mappings && k < 8; k++) {
			const struct ia_iort_id_mapping *m = &t.mappings[n->first_mapping + k];
			FZ_CHECK(!m->output_valid || m->output_node < t.n_nodes);
			fz_map(&t, i, m->input_base);
			fz_map(&t, i, m->input_base + m->id_count);
		}
	}
	fz_map(&t, t.n_nodes, 0); /* an index past the nodes is refused */
	ia_iort_rmrs(&t, &rm);
	for (size_t i = 0; i < rm.n_regions; i++) {
		FZ_CHECK(rm.regions[i].rmr_node < t.n_nodes);
		FZ_CHECK(rm.regions[i].first_sids + rm.regions[i].n_sids <= rm.n_sids);
	}
	for (size_t i = 0; i < rm.n_sids; i++)
		FZ_CHECK(!rm.sids[i].smmu_valid || rm.sids[i].smmu_node < t.n_nodes);
	ia_iort_rmrs_free(&rm);
	ia_iort_free(&t);
	ia_diags_free(&d);
	return 0;
}
