# SPDX-License-Identifier: GPL-2.0-or-later
# The modules of iommu-audit, one per layer of the tree, in dependency order (arrows point down
# only; tests/layers.py fails on an #include that points up):
#   src/core -> src/decode -> collectors, src/capture -> src/model -> rules -> reports -> src/cli
# A module whose sources are absent is skipped.

# src/core: shared by every stage: error codes, diagnostics, root-confined reads, the fact database.
ia_module(core       SOURCES src/core/ia_err.c src/core/diag.c src/core/fsroot.c src/core/memtree.c src/core/db.c
                             src/core/bdf.c src/core/text.c src/core/array.c src/core/facts.c
                             src/core/dlib.c src/core/archive_lib.c src/core/outfile.c
                     DEPS PkgConfig::SQLITE archive_headers dl_ext)

# src/decode: pure decoders: (buffer, length) in, structs and diagnostics out; no I/O.
ia_module(decode_acpi   SOURCES src/decode/acpi.c                 DEPS core)
ia_module(decode_pcicfg SOURCES src/decode/pcicfg.c               DEPS core)
ia_module(decode_sysfs  SOURCES src/decode/sysfs_attr.c           DEPS core)
ia_module(decode_kversion SOURCES src/decode/kversion.c          DEPS core)
ia_module(decode_dmar   SOURCES src/decode/dmar.c                 DEPS decode_acpi)
ia_module(decode_ivrs   SOURCES src/decode/ivrs.c                 DEPS decode_acpi)
ia_module(decode_iort   SOURCES src/decode/iort.c src/decode/madt.c DEPS decode_acpi)
ia_module(decode_acpidump SOURCES src/decode/acpidump.c           DEPS decode_acpi)
ia_module(decode_fdt    SOURCES src/decode/fdt.c                  DEPS core fdt_ext)
ia_module(decode_kernel SOURCES src/decode/cmdline.c src/decode/interrupts.c src/decode/identity.c DEPS core)

# collectors: the only code that reads the host (through fsroot and libpci); facts into the database.
find_package(Threads REQUIRED)   # collectors read sysfs on several threads (ia_collect_ordered)
ia_module(collectors SOURCES collectors/collectors.c collectors/kernel.c collectors/pci.c collectors/iommu.c
                             collectors/firmware.c collectors/dt.c collectors/host_use.c collectors/identity.c
                     DEPS core decode_pcicfg decode_sysfs decode_kversion decode_dmar decode_ivrs decode_iort decode_fdt
                          decode_acpidump decode_kernel PkgConfig::LIBPCI ZLIB::ZLIB Threads::Threads)
# src/capture: capture archives (snapshot) and their safe unpacking into a root.
ia_module(capture    SOURCES src/capture/snapshot.c               DEPS core decode_kernel)

# src/model: the facts loaded once from the database into the model the rules read.
ia_module(model      SOURCES src/model/audit.c src/model/firmware_model.c src/model/kernel_model.c
                             src/model/identity_model.c
                     DEPS core decode_kernel)

# rules: the group model (topology, ACS and DMA-alias quirks: the kernel's pci_device_group()),
# one file per rule run by the engine over the model, and policy files (read with jansson; every
# JSON document the tool writes goes through reports/jsonw.c, yajl).
include(cmake/kernel_behaviours.cmake)   # rules/data/kernel_behaviours.csv -> kernel_behaviours.gen.h
ia_module(topology   SOURCES rules/topology.c rules/quirks.c rules/kernel_behaviour.c DEPS core)
ia_module(rules      SOURCES rules/engine.c rules/registry.c rules/r_iommu_active.c rules/r_acs_override.c
                             rules/r_prediction.c rules/r_isolation_domain.c rules/r_ownership.c
                             rules/r_direct_region.c rules/r_interrupts.c rules/r_assignable.c
                             rules/r_sva.c rules/r_noiommu.c rules/r_host.c rules/r_members_unseen.c rules/r_shared_streamid.c rules/vfio_path.c
                             rules/r_coherency.c rules/r_vfio_pci.c rules/policy.c rules/when_enabled.c
                     DEPS model topology decode_kernel PkgConfig::JANSSON)

# reports: the renderers (text, JSON, JUnit, NFD labels, the rules page); they decide nothing.
ia_module(reports    SOURCES reports/report.c reports/jsonw.c reports/json.c reports/text.c reports/junit.c reports/nfd.c
                             reports/prometheus.c
                             reports/pcinames.c
                             reports/rules_man.c reports/xml_lib.c
                     DEPS model rules decode_pcicfg decode_kversion PkgConfig::YAJL PkgConfig::LIBPCI
                          xml2_headers)

# src/cli: the commands on top: the shared stages (run.c), one file per command (cmd_*.c),
# assignment plans (plan.c) and audit diffs (diff.c); main.c is the executable's.
ia_module(cli        SOURCES src/cli/run.c src/cli/cmd_audit.c src/cli/cmd_collect.c src/cli/cmd_plan.c
                             src/cli/cmd_diff.c src/cli/cmd_snapshot.c src/cli/cmd_rules.c src/cli/cmd_schema.c
                             src/cli/plan.c src/cli/diff.c src/cli/verdicts_db.c src/cli/select.c
                     DEPS collectors capture model topology rules reports)
