# SPDX-License-Identifier: GPL-2.0-or-later
# The modules of iommu-audit, in dependency order. A module whose sources are absent is skipped.

# Shared by every stage: error codes, diagnostics, bounded byte readers.
ia_module(core       SOURCES src/ia_err.c src/diag.c src/fsroot.c)

# Pure decoders: (buffer, length) in, structs and diagnostics out; no I/O.
ia_module(decode_acpi   SOURCES src/decode/acpi.c                 DEPS core)
ia_module(decode_pcicfg SOURCES src/decode/pcicfg.c               DEPS core)
ia_module(decode_sysfs  SOURCES src/decode/sysfs_attr.c           DEPS core)
ia_module(decode_dmar   SOURCES src/decode/dmar.c                 DEPS decode_acpi)
ia_module(decode_ivrs   SOURCES src/decode/ivrs.c                 DEPS decode_acpi)
ia_module(decode_iort   SOURCES src/decode/iort.c src/decode/madt.c DEPS decode_acpi)
ia_module(decode_acpidump SOURCES src/decode/acpidump.c           DEPS decode_acpi)
ia_module(decode_fdt    SOURCES src/decode/fdt.c                  DEPS core fdt_ext)

# The group model: topology, ACS, DMA aliases and the kernel's pci_device_group().
ia_module(model      SOURCES rules/topology.c rules/quirks.c      DEPS core)

# The fact database and the collectors (the only code that reads the host, through fsroot and libpci).
ia_module(db         SOURCES src/db.c                             DEPS core PkgConfig::SQLITE)
find_package(Threads REQUIRED)   # collectors read sysfs on several threads (ia_collect_ordered)
ia_module(collectors SOURCES collectors/collectors.c collectors/kernel.c collectors/pci.c collectors/iommu.c
                             collectors/firmware.c collectors/dt.c
                     DEPS db decode_pcicfg decode_sysfs decode_dmar decode_ivrs decode_iort decode_fdt
                          decode_acpidump PkgConfig::LIBPCI ZLIB::ZLIB Threads::Threads)

# The audit (facts loaded for rules) and capture archives.
ia_module(audit      SOURCES src/audit.c src/firmware.c           DEPS db)
ia_module(snapshot   SOURCES src/snapshot.c                       DEPS core PkgConfig::LIBARCHIVE)

# The rules: one file per rule, run by the engine over the audit and the group model.
ia_module(rules      SOURCES rules/engine.c rules/registry.c rules/r_iommu_active.c rules/r_acs_override.c
                             rules/r_prediction.c rules/r_isolation_domain.c rules/r_ownership.c
                             rules/r_direct_region.c rules/r_interrupts.c rules/r_assignable.c
                             rules/r_sva.c rules/r_noiommu.c rules/r_host.c
                             rules/r_coherency.c rules/r_vfio_pci.c
                     DEPS audit model)

# The renderers (text, JSON, JUnit, NFD labels, the rules page): they read the audit and the rule table.
ia_module(reports    SOURCES reports/report.c reports/json.c reports/text.c reports/junit.c reports/nfd.c
                             reports/rules_man.c
                     DEPS audit rules decode_pcicfg PkgConfig::JANSSON PkgConfig::YAJL PkgConfig::LIBPCI
                          PkgConfig::LIBXML2)

# CI-gate and operator tools over an evaluated audit: policy files, assignment plans, audit diffs.
ia_module(policy     SOURCES src/policy.c                         DEPS audit rules PkgConfig::JANSSON)
ia_module(plan       SOURCES src/plan.c                           DEPS audit model reports PkgConfig::JANSSON)
ia_module(diff       SOURCES src/diff.c                           DEPS audit reports PkgConfig::JANSSON)
