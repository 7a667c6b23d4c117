# SPDX-License-Identifier: GPL-2.0-or-later
# The modules of iommu-audit, in dependency order. A module whose sources are absent is skipped.

# Shared by every stage: error codes, diagnostics, bounded byte readers.
ia_module(core       SOURCES src/ia_err.c src/diag.c)

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
