// SPDX-License-Identifier: GPL-2.0-or-later
// The rule table. Rules hand nothing to each other through shared state: each declares what it
// gives and needs (struct ia_rule .gives/.needs) and ia_rules_order() orders them; the table's
// order is kept where the declarations allow (it is the order of findings in every report).
#include "rules/rules.h"

extern const struct ia_rule ia_rule_iommu_active, ia_rule_acs_override, ia_rule_prediction,
	ia_rule_isolation_domain, ia_rule_ownership, ia_rule_direct_region, ia_rule_interrupts,
	ia_rule_assignable, ia_rule_sva, ia_rule_pasid_unprotected, ia_rule_noiommu,
	ia_rule_identity_domain, ia_rule_external_dma, ia_rule_iommu_not_coherent,
	ia_rule_vfio_pci_refuses, ia_rule_members_unseen, ia_rule_shared_streamid, ia_rule_vfio_path;

const struct ia_rule *const ia_rules[] = {
	&ia_rule_iommu_active,
	&ia_rule_vfio_path,
	&ia_rule_members_unseen,
	&ia_rule_acs_override,
	&ia_rule_prediction,
	&ia_rule_isolation_domain,
	&ia_rule_shared_streamid,
	&ia_rule_ownership,
	&ia_rule_direct_region,
	&ia_rule_iommu_not_coherent,
	&ia_rule_interrupts,
	&ia_rule_sva,
	&ia_rule_pasid_unprotected,
	&ia_rule_noiommu,
	&ia_rule_identity_domain,
	&ia_rule_external_dma,
	&ia_rule_vfio_pci_refuses,
	&ia_rule_assignable,
};
const size_t ia_n_rules = sizeof(ia_rules) / sizeof(ia_rules[0]);
