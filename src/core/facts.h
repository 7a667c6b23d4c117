/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fact tables, each described once: its columns drive the schema, the INSERT, the SELECT and the row struct. */
#ifndef IA_FACTS_H
#define IA_FACTS_H

/*
 * Each table is one X-macro list, IA_FACTS_<table>(C), with one line per column:
 *   C(name, TYPE, "constraint", "comment")
 * TYPE is INTEGER, TEXT or BLOB (SQLite STRICT types); the constraint is SQL ("NOT NULL",
 * "PRIMARY KEY", "REFERENCES pci_function(bdf)", or ""); the comment says what the value is, its
 * unit and when it is NULL, and is printed by `iommu-audit schema`. IA_FACT_TABLES lists the
 * tables in creation order with their options and table constraint. From these come:
 *   - struct ia_fact_<table>: one field per column, in column order (struct ia_fact_int for
 *     INTEGER: has = false for SQL NULL; const char * for TEXT: NULL for SQL NULL; struct
 *     ia_fact_blob for BLOB);
 *   - enum ia_fact_table_id: IA_FACT_<table>, the index into ia_fact_tables[];
 *   - ia_fact_tables[]: names, types, constraints, comments and struct offsets, which
 *     src/core/facts.c turns into CREATE TABLE, INSERT and SELECT, and binds or reads rows with.
 * Adding a column is one line here (and the code that sets or uses it); the schema version
 * (IA_DB_SCHEMA_VERSION, src/core/db.h) must then be bumped.
 */

#define IA_FACTS_run(C) \
	C(id,           INTEGER, "PRIMARY KEY",               "always 1: one audit per database") \
	C(tool_version, TEXT,    "NOT NULL",                  "iommu-audit version that collected") \
	C(root,         TEXT,    "NOT NULL",                  "the root given (--root), the snapshot file name, or \"\" for dumps analysed alone (--lspci-dump, --acpidump, --dtb without a root)") \
	C(live,         INTEGER, "NOT NULL",                  "1 when the root was the running host's \"/\"") \
	C(collected_at, TEXT,    "NOT NULL",                  "UTC time of collection, ISO 8601") \
	C(pci_source,   TEXT,    "NOT NULL",                  "\"sysfs\" (libpci through <root>/sys/bus/pci), \"dump:<file>\", or \"none\" (dumps alone, no lspci dump)")

#define IA_FACTS_host(C) \
	C(id,                   INTEGER, "PRIMARY KEY",               "always 1") \
	C(kernel_release,       TEXT,    "",                          "from proc/version (\"6.12.117+deb12-amd64\"); NULL if unreadable") \
	C(kernel_version,       TEXT,    "",                          "the whole proc/version line") \
	C(kernel_major,         INTEGER, "",                          "parsed from kernel_release") \
	C(kernel_minor,         INTEGER, "",                          "parsed from kernel_release") \
	C(kernel_patch,         INTEGER, "",                          "upstream stable level (117 of 6.12.117): proc/version's \"Debian X.Y.Z\", Ubuntu's proc/version_signature, else the release's third number (src/decode/kversion.c); NULL when a distribution hides it (\"6.1.0-56-amd64\" alone, RHEL's .elN)") \
	C(cmdline,              TEXT,    "",                          "proc/cmdline, trailing newline removed") \
	C(arch,                 TEXT,    "",                          "\"x86_64\", \"aarch64\", ... from proc/version or the tree") \
	C(iommu_groups_dir,     INTEGER, "NOT NULL",                  "1 when sys/kernel/iommu_groups exists") \
	C(kernel_config_source, TEXT,    "",                          "\"boot/config-<release>\" or \"proc/config.gz\"; NULL if none") \
	C(tainted,              INTEGER, "",                          "proc/sys/kernel/tainted (bit 6 'U': a vfio-noiommu group was created); NULL if unreadable") \
	C(kernel_stable_source, TEXT,    "",                          "where kernel_patch came from: \"release\", \"debian\" (proc/version), \"ubuntu\" (proc/version_signature); NULL when unknown") \
	C(kernel_backports,     INTEGER, "",                          "1 for a distribution kernel that backports onto an old base (RHEL-like .elN, SUSE Linux Enterprise): its behaviour may be newer than kernel_major.kernel_minor; NULL if the release was unreadable") \
	C(kernel_signature,     TEXT,    "",                          "proc/version_signature (Ubuntu: \"Ubuntu 5.15.0-91.101-generic 5.15.131\"), trailing newline removed; NULL if absent")

#define IA_FACTS_cmdline_param(C) \
	C(seq,      INTEGER, "PRIMARY KEY",               "position on the command line") \
	C(key,      TEXT,    "NOT NULL",                  "parameter name (\"intel_iommu\", \"pci\")") \
	C(value,    TEXT,    "",                          "text after the first '='; NULL for a bare flag") \
	C(relevant, INTEGER, "NOT NULL",                  "1 for parameters that change IOMMU, ACS, VFIO or IR behaviour")

#define IA_FACTS_kernel_config(C) \
	C(option, TEXT,    "PRIMARY KEY",               "CONFIG_ name") \
	C(value,  TEXT,    "NOT NULL",                  "\"y\", \"m\", a number or a quoted string")

#define IA_FACTS_module_param(C) \
	C(module, TEXT,    "NOT NULL",                  "vfio, vfio_iommu_type1, vfio_pci, iommufd") \
	C(name,   TEXT,    "NOT NULL",                  "parameter file name") \
	C(value,  TEXT,    "",                          "contents, trailing newline removed; NULL if unreadable")

#define IA_FACTS_sysfs_module(C) \
	C(name,           TEXT,    "PRIMARY KEY",               "vfio, vfio_iommu_type1, vfio_pci or iommufd when sys/module/<name> exists") \
	C(has_parameters, INTEGER, "NOT NULL",                  "1 when sys/module/<name>/parameters exists (its files are in module_param)")

#define IA_FACTS_loaded_module(C) \
	C(name, TEXT,    "PRIMARY KEY",               "a module listed in proc/modules")

#define IA_FACTS_pci_driver(C) \
	C(name, TEXT,    "PRIMARY KEY",               "a directory under sys/bus/pci/drivers")

#define IA_FACTS_vfio_node(C) \
	C(name, TEXT,    "PRIMARY KEY",               "an entry of dev/vfio (\"vfio\", \"7\", \"noiommu-0\", \"devices/vfio0\")")

#define IA_FACTS_interrupt_chip(C) \
	C(irq,              TEXT,    "PRIMARY KEY",               "first column of proc/interrupts (\"24\", \"NMI\")") \
	C(chip,             TEXT,    "",                          "interrupt chip name (\"IR-PCI-MSIX-0000:00:01.0\", \"ITS-MSI\")") \
	C(remapped,         INTEGER, "NOT NULL",                  "1 when the chip name starts with \"IR-\" (x86 remapped)") \
	C(isolating_parent, TEXT,    "",                          "\"IR\", \"ITS\", \"GICv2m\", \"MBI\" or NULL: the MSI parent named by the prefix") \
	C(hwirq,            TEXT,    "",                          "the hardware IRQ column (x86 PCI MSI before 6.2: domain << 27 | RID << 11 | index)") \
	C(actions,          TEXT,    "",                          "the handlers' names (the rest of the line)")

/* One row per PCI function the pci collector saw (collectors/pci.c), written once. */
#define IA_FACTS_pci_function(C) \
	C(bdf,             TEXT,    "PRIMARY KEY",               "DDDD:BB:DD.F") \
	C(domain,          INTEGER, "NOT NULL",                  "PCI segment") \
	C(bus,             INTEGER, "NOT NULL",                  "bus number") \
	C(dev,             INTEGER, "NOT NULL",                  "device number (0..31)") \
	C(fn,              INTEGER, "NOT NULL",                  "function number (0..7)") \
	C(sysfs_path,      TEXT,    "",                          "canonical device directory under the root (sys/devices/pci0000:00/...)") \
	C(parent_bdf,      TEXT,    "",                          "upstream bridge (the sysfs parent device), NULL on a root bus") \
	C(vendor,          INTEGER, "",                          "from the sysfs attribute (a VF's config reads 0xffff), else config") \
	C(device,          INTEGER, "",                          "device ID, as vendor") \
	C(subsys_vendor,   INTEGER, "",                          "subsystem vendor ID (type 0 header 0x2c, or the attribute)") \
	C(subsys_device,   INTEGER, "",                          "subsystem ID (type 0 header 0x2e, or the attribute)") \
	C(class,           INTEGER, "",                          "24-bit class code") \
	C(revision,        INTEGER, "",                          "revision ID (config 0x08, else the attribute)") \
	C(header_type,     INTEGER, "",                          "config 0x0e bits 6:0; NULL when unreadable") \
	C(multifunction,   INTEGER, "",                          "the kernel's view: header bit 7 or function > 0; 0 for VFs") \
	C(is_pcie,         INTEGER, "",                          "1/0; NULL when the capability list was unreadable") \
	C(pcie_type,       INTEGER, "",                          "PCIe port type (flags bits 7:4) when is_pcie = 1") \
	C(secondary_bus,   INTEGER, "",                          "bridges only") \
	C(subordinate_bus, INTEGER, "",                          "bridges only") \
	C(config_bytes,    INTEGER, "NOT NULL",                  "config bytes that were readable (0..4096)") \
	C(config_size,     INTEGER, "",                          "size of the sysfs config file (256 or 4096) when known") \
	C(config_read,     INTEGER, "",                          "config bytes this collection read (a live root read with CAP_SYS_ADMIN: the header and the capabilities decoded, each dword once; otherwise the whole readable file)") \
	C(caps_complete,   INTEGER, "",                          "1 when both capability lists were walked to their end") \
	C(devcap2,         INTEGER, "",                          "PCIe Device Capabilities 2; NULL when absent or unreadable") \
	C(eetlp_prefix,    INTEGER, "",                          "DevCap2 bit 21 End-End TLP Prefix Supported") \
	C(has_acs,         INTEGER, "",                          "1/0; NULL when extended config space was unreadable") \
	C(acs_offset,      INTEGER, "",                          "config offset of the ACS ext cap; NULL when absent") \
	C(acs_cap,         INTEGER, "",                          "ACS Capability register (cap+4)") \
	C(acs_ctrl,        INTEGER, "",                          "ACS Control register (cap+6)") \
	C(acs_cap_dw,      INTEGER, "",                          "cap+4 as a dword (Intel SPT PCH quirk layout)") \
	C(acs_ctrl_dw,     INTEGER, "",                          "cap+8 as a dword (Intel SPT PCH quirk layout)") \
	C(has_ats,         INTEGER, "",                          "ATS ext cap 0x0f present 1/0; NULL when extended config space was unreadable") \
	C(ats_cap,         INTEGER, "",                          "ATS Capability register (ATS ext cap 0x0f)") \
	C(ats_ctrl,        INTEGER, "",                          "ATS Control register (ATS ext cap 0x0f)") \
	C(has_pri,         INTEGER, "",                          "PRI ext cap 0x13 present 1/0; NULL when extended config space was unreadable") \
	C(pri_ctrl,        INTEGER, "",                          "PRI Control register (PRI ext cap 0x13)") \
	C(pri_status,      INTEGER, "",                          "PRI Status register (PRI ext cap 0x13)") \
	C(has_pasid,       INTEGER, "",                          "PASID ext cap 0x1b present 1/0; NULL when extended config space was unreadable") \
	C(pasid_cap,       INTEGER, "",                          "PASID Capability register (PASID ext cap 0x1b)") \
	C(pasid_ctrl,      INTEGER, "",                          "PASID Control register (PASID ext cap 0x1b)") \
	C(has_ari,         INTEGER, "",                          "ARI ext cap 0x0e") \
	C(has_sriov,       INTEGER, "",                          "SR-IOV ext cap 0x10 present 1/0; NULL when extended config space was unreadable") \
	C(sriov_ctrl,      INTEGER, "",                          "SR-IOV Control (SR-IOV ext cap 0x10)") \
	C(sriov_total_vfs, INTEGER, "",                          "SR-IOV TotalVFs (SR-IOV ext cap 0x10)") \
	C(sriov_num_vfs,   INTEGER, "",                          "SR-IOV NumVFs (SR-IOV ext cap 0x10)") \
	C(sriov_vf_offset, INTEGER, "",                          "SR-IOV First VF Offset (SR-IOV ext cap 0x10)") \
	C(sriov_vf_stride, INTEGER, "",                          "SR-IOV VF Stride (SR-IOV ext cap 0x10)") \
	C(sriov_vf_device, INTEGER, "",                          "SR-IOV VF Device ID (SR-IOV ext cap 0x10)") \
	C(is_vf,           INTEGER, "NOT NULL",                  "1 when a physfn link exists") \
	C(physfn_bdf,      TEXT,    "",                          "the PF of a VF") \
	C(sysfs_numvfs,    INTEGER, "",                          "sriov_numvfs attribute") \
	C(sysfs_totalvfs,  INTEGER, "",                          "sriov_totalvfs attribute") \
	C(driver,          TEXT,    "",                          "bound driver (basename of the driver link); NULL when unbound") \
	C(driver_override, TEXT,    "",                          "driver_override; NULL when \"(null)\" or absent") \
	C(iommu_group,     INTEGER, "",                          "the kernel's group (iommu_group link); NULL when none") \
	C(iommu_unit,      TEXT,    "",                          "basename of the iommu link (dmar0, ivhd0, smmu3.0x...)") \
	C(removable,       TEXT,    "",                          "removable/fixed/unknown when present") \
	C(real_dma_bdf,    TEXT,    "",                          "pci_real_dma_dev(): the Intel VMD endpoint whose requester ID it uses; NULL for itself") \
	C(driver_read,     INTEGER, "NOT NULL DEFAULT 1",        "0 when the driver link exists but could not be read (driver then unknown, not unbound)")

#define IA_FACTS_pci_capability(C) \
	C(bdf,      TEXT,    "NOT NULL REFERENCES pci_function(bdf)", "the function") \
	C(extended, INTEGER, "NOT NULL",                  "1 for the extended list (>= 0x100)") \
	C(cap_id,   INTEGER, "NOT NULL",                  "capability ID") \
	C(offset,   INTEGER, "NOT NULL",                  "config offset of the capability") \
	C(version,  INTEGER, "",                          "extended capabilities only")

#define IA_FACTS_pci_bar(C) \
	C(bdf,      TEXT,    "NOT NULL REFERENCES pci_function(bdf)", "the function") \
	C(idx,      INTEGER, "NOT NULL",                  "line of the resource file: 0-5 BARs, 6 ROM, 7-12 SR-IOV BARs, 13-16 bridge windows") \
	C(kind,     TEXT,    "NOT NULL",                  "\"mem\", \"io\"") \
	C(start,    INTEGER, "NOT NULL",                  "first address") \
	C(size,     INTEGER, "NOT NULL",                  "bytes") \
	C(flags,    INTEGER, "NOT NULL",                  "IORESOURCE_* bits") \
	C(prefetch, INTEGER, "NOT NULL",                  "1 when prefetchable (IORESOURCE_PREFETCH)") \
	C(mem64,    INTEGER, "NOT NULL",                  "1 for a 64-bit BAR (IORESOURCE_MEM_64)")

#define IA_FACTS_iommu_group(C) \
	C(id,                    INTEGER, "PRIMARY KEY",               "group number (not contiguous, not stable across boots)") \
	C(type,                  TEXT,    "",                          "default domain type (DMA, DMA-FQ, identity, blocked, unmanaged); NULL if unreadable") \
	C(name,                  TEXT,    "",                          "the optional name attribute (\"vfio-noiommu\")") \
	C(reserved_regions_read, INTEGER, "NOT NULL",                  "1 when reserved_regions was read and parsed") \
	C(members_read,          INTEGER, "NOT NULL",                  "1 when devices/ was listed (0: the members below may be incomplete)")

#define IA_FACTS_iommu_group_device(C) \
	C(group_id, INTEGER, "NOT NULL REFERENCES iommu_group(id)", "the group") \
	C(device,   TEXT,    "NOT NULL",                  "device name as linked (a BDF for PCI, else a platform name)")

#define IA_FACTS_reserved_region(C) \
	C(group_id, INTEGER, "NOT NULL REFERENCES iommu_group(id)", "the group") \
	C(start,    INTEGER, "NOT NULL",                  "first address") \
	C(end,      INTEGER, "NOT NULL",                  "inclusive") \
	C(type,     TEXT,    "NOT NULL",                  "direct, direct-relaxable, reserved, msi")

#define IA_FACTS_iommu_unit(C) \
	C(name,       TEXT,    "PRIMARY KEY",               "sys/class/iommu entry (dmar0, ivhd0, smmu3.0x...)") \
	C(kind,       TEXT,    "NOT NULL",                  "vt-d, amd-vi, smmu-v3, smmu, other") \
	C(address,    INTEGER, "",                          "VT-d register base (intel-iommu/address)") \
	C(version,    TEXT,    "",                          "VT-d major:minor") \
	C(cap,        INTEGER, "",                          "VT-d cap register, or AMD IOMMU PCI capability header") \
	C(ecap,       INTEGER, "",                          "VT-d ecap register") \
	C(efr,        INTEGER, "",                          "AMD extended feature register") \
	C(efr2,       INTEGER, "",                          "AMD EFR2 (6.x \"EFR:EFR2\" format)") \
	C(ecap_ir,    INTEGER, "",                          "VT-d ecap bit 3 interrupt remapping") \
	C(ecap_eim,   INTEGER, "",                          "VT-d ecap bit 4 x2APIC") \
	C(ecap_pt,    INTEGER, "",                          "VT-d ecap bit 6 pass-through") \
	C(ecap_dt,    INTEGER, "",                          "VT-d ecap bit 2 device TLB (ATS)") \
	C(ecap_prs,   INTEGER, "",                          "VT-d ecap bit 29 page requests") \
	C(ecap_pasid, INTEGER, "",                          "VT-d ecap bit 40") \
	C(ecap_smts,  INTEGER, "",                          "VT-d ecap bit 43 scalable mode") \
	C(ecap_smpwc, INTEGER, "",                          "VT-d ecap bit 48 scalable-mode page-walk coherency") \
	C(cap_cm,     INTEGER, "",                          "VT-d cap bit 7 caching mode (a virtual IOMMU)") \
	C(efr_ppr,    INTEGER, "",                          "AMD EFR bit 1 PPRSup") \
	C(efr_gt,     INTEGER, "",                          "AMD EFR bit 4 GTSup") \
	C(efr_xt,     INTEGER, "",                          "AMD EFR bit 2 XTSup") \
	C(efr_ga,     INTEGER, "",                          "AMD EFR bit 7 GASup") \
	C(efr_pasmax, INTEGER, "",                          "AMD EFR bits 36:32") \
	C(efr_eph,    INTEGER, "",                          "AMD EFR bit 50 EPHSup") \
	C(efr_snp,    INTEGER, "",                          "AMD EFR bit 63 SNPSup")

#define IA_FACTS_iommu_unit_device(C) \
	C(unit,   TEXT,    "NOT NULL REFERENCES iommu_unit(name)", "the unit") \
	C(device, TEXT,    "NOT NULL",                  "device name linked under the unit's devices/ directory")

#define IA_FACTS_collection_error(C) \
	C(id,        INTEGER, "PRIMARY KEY",               "row number, in the order recorded") \
	C(collector, TEXT,    "NOT NULL",                  "pci, iommu, kernel, acpi, dt, snapshot") \
	C(subject,   TEXT,    "NOT NULL",                  "the path, BDF or table it concerns") \
	C(code,      INTEGER, "NOT NULL",                  "negative errno or -IA_E_* (src/ia_err.h)") \
	C(offset,    INTEGER, "",                          "byte offset inside the subject, when meaningful") \
	C(message,   TEXT,    "NOT NULL",                  "what could not be read and why") \
	C(hides,     TEXT,    "",                          "what the missing data hides from the audit")

#define IA_FACTS_acpi_table(C) \
	C(signature,     TEXT,    "PRIMARY KEY",               "ACPI signature: \"DMAR\", \"IVRS\", \"IORT\", \"APIC\"") \
	C(source,        TEXT,    "NOT NULL",                  "\"sys/firmware/acpi/tables/DMAR\" under the root, or \"acpidump:<file>\"") \
	C(bytes,         BLOB,    "NOT NULL",                  "the raw table as read (replayable without the root)") \
	C(read_length,   INTEGER, "NOT NULL",                  "bytes read") \
	C(length,        INTEGER, "",                          "header Length field; NULL when the 36-byte header is unusable") \
	C(revision,      INTEGER, "",                          "header Revision") \
	C(oem_id,        TEXT,    "",                          "header OEM ID") \
	C(oem_table_id,  TEXT,    "",                          "header OEM Table ID") \
	C(oem_revision,  INTEGER, "",                          "header OEM Revision") \
	C(checksum_ok,   INTEGER, "",                          "1 when all Length bytes sum to 0 mod 256; NULL when the header is unusable") \
	C(decode_status, INTEGER, "NOT NULL",                  "0, or the decoder's negative error (-IA_E_*): the walk stopped early")

#define IA_FACTS_dmar_info(C) \
	C(id,                       INTEGER, "PRIMARY KEY",               "always 1") \
	C(haw,                      INTEGER, "NOT NULL",                  "Host Address Width field (N means N+1 address bits)") \
	C(flags,                    INTEGER, "NOT NULL",                  "DMAR Flags byte (offset 37)") \
	C(intr_remap,               INTEGER, "NOT NULL",                  "flags bit 0 INTR_REMAP") \
	C(x2apic_opt_out,           INTEGER, "NOT NULL",                  "flags bit 1 X2APIC_OPT_OUT") \
	C(dma_ctrl_platform_opt_in, INTEGER, "NOT NULL",                  "flags bit 2 DMA_CTRL_PLATFORM_OPT_IN")

#define IA_FACTS_dmar_structure(C) \
	C(offset,     INTEGER, "PRIMARY KEY",               "byte offset of the remapping structure in the DMAR") \
	C(type,       TEXT,    "NOT NULL",                  "DRHD, RMRR, ATSR, RHSA, ANDD, SATC, SIDP") \
	C(segment,    INTEGER, "",                          "PCI segment (NULL for RHSA, ANDD)") \
	C(flags,      INTEGER, "",                          "DRHD INCLUDE_PCI_ALL / ATSR ALL_PORTS / SATC ATC_REQUIRED byte; NULL otherwise") \
	C(base,       INTEGER, "",                          "DRHD/RHSA register base, RMRR base address; NULL otherwise") \
	C(limit_addr, INTEGER, "",                          "RMRR limit address, inclusive; NULL otherwise") \
	C(detail,     TEXT,    "",                          "RHSA \"proximity domain N\", ANDD \"N \\\\_SB.PCI0.XXX\"; NULL otherwise")

#define IA_FACTS_dmar_scope(C) \
	C(struct_offset,  INTEGER, "NOT NULL REFERENCES dmar_structure(offset)", "the remapping structure holding the scope") \
	C(offset,         INTEGER, "NOT NULL",                  "byte offset of the device scope entry in the DMAR") \
	C(type,           INTEGER, "NOT NULL",                  "1 endpoint, 2 bridge (sub-hierarchy), 3 IOAPIC, 4 HPET, 5 ACPI namespace device") \
	C(enumeration_id, INTEGER, "NOT NULL",                  "IOAPIC ID, HPET number or ANDD device number") \
	C(path,           TEXT,    "NOT NULL",                  "raw path \"SSSS:BB/DD.F/DD.F\": segment, start bus, then (device.function) elements") \
	C(bdf,            TEXT,    "",                          "the PCI function the path names (DDDD:BB:DD.F) when it resolves to one the pci collector saw; else NULL") \
	C(resolve_error,  INTEGER, "",                          "NULL when resolved; -ENOENT/-ENODEV (a bridge on the path is absent / not a bridge) or -IA_E_* otherwise")

#define IA_FACTS_ivrs_info(C) \
	C(id,               INTEGER, "PRIMARY KEY",               "always 1") \
	C(ivinfo,           INTEGER, "NOT NULL",                  "IVinfo (offset 36)") \
	C(efr_sup,          INTEGER, "NOT NULL",                  "IVinfo bit 0 EFRSup") \
	C(dma_remap,        INTEGER, "NOT NULL",                  "IVinfo bit 1 pre-boot DMA protection opt-in") \
	C(pa_size,          INTEGER, "NOT NULL",                  "IVinfo bits 14:8, physical address bits") \
	C(va_size,          INTEGER, "NOT NULL",                  "IVinfo bits 21:15, virtual address bits") \
	C(kernel_ivhd_type, INTEGER, "",                          "the IVHD type Linux uses (get_highest_supported_ivhd_type()); NULL when no IVDB")

#define IA_FACTS_fw_unit(C) \
	C(id,              INTEGER, "PRIMARY KEY",               "row number, in firmware order (DMAR, IVRS, IORT, then DT)") \
	C(source,          TEXT,    "NOT NULL",                  "DMAR, IVRS, IORT, DT") \
	C(kind,            TEXT,    "NOT NULL",                  "vt-d, amd-vi, smmu-v3, smmu, other") \
	C(name,            TEXT,    "NOT NULL",                  "DRHD<n>, IVHD<n> (n counts units of that table), IORT \"SMMUv3@0x<base>\", DT node path") \
	C(location,        INTEGER, "",                          "byte offset of the structure in its table, or the DT node's offset in the blob") \
	C(segment,         INTEGER, "",                          "PCI segment (DRHD, IVHD); NULL when the unit is not tied to one") \
	C(base,            INTEGER, "",                          "register base address; NULL when the firmware does not give it (a DT node without reg, or one its parents' ranges do not map)") \
	C(include_pci_all, INTEGER, "",                          "DRHD INCLUDE_PCI_ALL 1/0; NULL for other kinds") \
	C(devid,           INTEGER, "",                          "IVHD IOMMU DeviceID (BDF of the IOMMU function); NULL otherwise") \
	C(efr,             INTEGER, "",                          "IVHD 11h/40h EFR image; NULL otherwise") \
	C(flags,           INTEGER, "",                          "DRHD/IVHD/IORT SMMU node flags as read; NULL for DT") \
	C(model,           INTEGER, "",                          "IORT SMMU model field; NULL otherwise") \
	C(ivhd_type,       INTEGER, "",                          "IVHD block type (0x10, 0x11, 0x40); NULL otherwise") \
	C(compatible,      TEXT,    "",                          "DT compatible strings joined with \", \"; NULL otherwise") \
	C(dma_coherent,    INTEGER, "",                          "DT dma-coherent on the IOMMU node (1/0); NULL for tables (IORT says it in flags)")

#define IA_FACTS_fw_unit_device(C) \
	C(unit_id,   INTEGER, "NOT NULL REFERENCES fw_unit(id)", "the firmware unit") \
	C(bdf,       TEXT,    "NOT NULL REFERENCES pci_function(bdf)", "the PCI function it translates") \
	C(how,       TEXT,    "NOT NULL",                  "scope, scope-bridge, include-pci-all, ivhd, iort-rc, dt-iommu-map, dt-iommus") \
	C(stream_id, INTEGER, "",                          "StreamID at the SMMU (IORT, DT), DeviceID (IVRS); NULL for DMAR")

#define IA_FACTS_fw_region(C) \
	C(id,             INTEGER, "PRIMARY KEY",               "row number, in table order") \
	C(source,         TEXT,    "NOT NULL",                  "DMAR, IVRS, IORT") \
	C(kind,           TEXT,    "NOT NULL",                  "RMRR, IVMD, RMR") \
	C(location,       INTEGER, "NOT NULL",                  "byte offset of the RMRR/IVMD/RMR node in its table") \
	C(segment,        INTEGER, "",                          "PCI segment (RMRR, IVMD); NULL for RMR") \
	C(base,           INTEGER, "NOT NULL",                  "first byte") \
	C(end,            INTEGER, "",                          "last byte, inclusive; NULL when the length is 0 or overflows") \
	C(flags,          INTEGER, "",                          "IVMD flags (unity, IR, IW, exclusion) or RMR flags; NULL for RMRR") \
	C(kernel_applies, INTEGER, "NOT NULL",                  "1 when Linux honours it: RMRR range sane, IVMD unity/exclusion, RMR in an IORT rev >= 5") \
	C(relaxable,      INTEGER, "",                          "RMR remapping-permitted (direct-relaxable); NULL when the table does not say")

#define IA_FACTS_fw_region_target(C) \
	C(region_id, INTEGER, "NOT NULL REFERENCES fw_region(id)", "the region") \
	C(seq,       INTEGER, "NOT NULL",                  "order within the region") \
	C(target,    TEXT,    "NOT NULL",                  "a BDF when resolved; else the raw scope path, DeviceID range or StreamID range") \
	C(bdf,       TEXT,    "",                          "the PCI function (DDDD:BB:DD.F) when resolved; NULL otherwise")

#define IA_FACTS_msi_controller(C) \
	C(id,         INTEGER, "PRIMARY KEY",               "row number") \
	C(kind,       TEXT,    "NOT NULL",                  "gic-v3-its, gic-v2m, mbi, intel-ir, amd-ir, other") \
	C(source,     TEXT,    "NOT NULL",                  "MADT, IORT, DT, DMAR, IVRS") \
	C(name,       TEXT,    "NOT NULL",                  "\"ITS <id>\", \"MSI frame <id>\", DT node path, \"DMAR INTR_REMAP\", \"IVRS\"") \
	C(base,       INTEGER, "",                          "MMIO base (MADT); NULL when not given") \
	C(hw_id,      INTEGER, "",                          "GIC ITS Translation ID / MSI frame ID; NULL otherwise") \
	C(compatible, TEXT,    "",                          "DT compatible strings joined with \", \"; NULL otherwise") \
	C(isolating,  INTEGER, "",                          "1 when the kernel marks its domain IRQ_DOMAIN_FLAG_ISOLATED_MSI; 0 never; NULL unknown")

#define IA_FACTS_pci_msi_route(C) \
	C(bdf,           TEXT,    "PRIMARY KEY REFERENCES pci_function(bdf)", "the PCI function") \
	C(controller_id, INTEGER, "NOT NULL REFERENCES msi_controller(id)", "the MSI controller its MSIs go to") \
	C(device_id,     INTEGER, "",                          "ITS DeviceID (IORT, DT msi-map); NULL when not applicable") \
	C(how,           TEXT,    "NOT NULL",                  "iort, dt-msi-map, dt-msi-parent, dmar-ir, ivrs-ir")

#define IA_FACTS_dt_blob(C) \
	C(id,            INTEGER, "PRIMARY KEY",               "always 1") \
	C(source,        TEXT,    "NOT NULL",                  "\"sys/firmware/fdt\" under the root, or \"dtb:<file>\"") \
	C(bytes,         BLOB,    "NOT NULL",                  "the flattened device tree as read") \
	C(decode_status, INTEGER, "NOT NULL",                  "0, or ia_fdt_decode()'s negative error (-IA_E_FDT: fdt_check_full failed)")

#define IA_FACTS_dt_host_bridge(C) \
	C(path,           TEXT,    "PRIMARY KEY",               "DT path of the PCIe host bridge node") \
	C(compatible,     TEXT,    "",                          "compatible strings joined with \", \"") \
	C(enabled,        INTEGER, "NOT NULL",                  "status absent, \"okay\" or \"ok\"") \
	C(domain,         INTEGER, "",                          "linux,pci-domain; NULL when absent") \
	C(bus_first,      INTEGER, "",                          "bus-range; NULL when absent") \
	C(bus_last,       INTEGER, "",                          "bus-range end; NULL when absent") \
	C(has_iommu_map,  INTEGER, "NOT NULL",                  "iommu-map present") \
	C(iommu_map_mask, INTEGER, "",                          "iommu-map-mask; NULL when absent") \
	C(has_msi_map,    INTEGER, "NOT NULL",                  "msi-map present") \
	C(msi_map_mask,   INTEGER, "",                          "msi-map-mask; NULL when absent") \
	C(n_msi_parent,   INTEGER, "NOT NULL",                  "msi-parent entries") \
	C(n_iommus,       INTEGER, "NOT NULL",                  "iommus entries")

#define IA_FACTS_dt_port(C) \
	C(path,            TEXT,    "PRIMARY KEY",               "DT path of a PCI bridge node below a host bridge") \
	C(host_bridge,     TEXT,    "NOT NULL REFERENCES dt_host_bridge(path)", "the host bridge above it") \
	C(external_facing, INTEGER, "NOT NULL",                  "the boolean \"external-facing\" property (kernel pci_set_bus_of_node())")


/* Which PCI functions the host itself uses (collectors/host_use.c): `plan` refuses to take them. */
#define IA_FACTS_host_use(C) \
	C(bdf,    TEXT,    "NOT NULL REFERENCES pci_function(bdf)", "the PCI function the host uses: the deepest DDDD:BB:DD.F of the sysfs path of its block device, interface, tty, framebuffer or DRM card") \
	C(use,    TEXT,    "NOT NULL",                  "root-disk, mounted, swap, dm-md-member, default-route-nic, addressed-nic, console, boot-vga") \
	C(name,   TEXT,    "NOT NULL",                  "the name the operator knows: disk (\"vda\", \"nvme0n1\"), interface (\"eth0\"), tty (\"ttyS0\", \"tty0\") or DRM card (\"card0\")") \
	C(detail, TEXT,    "NOT NULL",                  "how: \"mounted on /\", \"mounted on / (under dm-0 vg0-root)\", \"swap on /dev/vda3\", \"default route via 10.0.2.2\", \"route to 10.0.2.0/24\", \"held by dm-0\", \"active console\", \"boot_vga\"") \
	C(source, TEXT,    "NOT NULL",                  "the file that shows it: proc/self/mountinfo, proc/swaps, sys/class/block, proc/net/route, proc/net/ipv6_route, proc/net/if_inet6, sys/class/tty/console/active, proc/consoles, sys/bus/pci/devices/*/boot_vga")

/* What the host_use collector read, so that `plan` says which uses it could not check. */
#define IA_FACTS_host_use_source(C) \
	C(path,     TEXT,    "PRIMARY KEY",               "a file or directory under the root (\"proc/self/mountinfo\")") \
	C(shows,    TEXT,    "NOT NULL",                  "the use it shows (\"mounted filesystems\")") \
	C(required, INTEGER, "NOT NULL",                  "1 when every Linux host has it, so its absence means that use was not checked; 0 when a host may lack it (no IPv6, no framebuffer) and its absence means no such use") \
	C(status,   INTEGER, "NOT NULL",                  "0 read; -ENOENT absent (in a captured tree: not captured); another negative errno or -IA_E_*: unreadable (a collection error says why)")


/*
 * The audit's verdicts: outputs beside the facts, written by `audit --db FILE` (and `groups`,
 * `plan` with --db) after the rules ran (src/cli/verdicts_db.c), never read back by an audit
 * (--from-db audits the facts again). Empty in a database from `collect`: no audit_run row means
 * the file holds facts only. contrib/osquery and docs/fleet.md query them.
 */
#define IA_FACTS_audit_run(C) \
	C(id,                  INTEGER, "PRIMARY KEY",               "always 1: one audit per database (no row: facts only, from `collect`)") \
	C(command,             TEXT,    "NOT NULL",                  "the command that audited: \"audit\", \"groups\" or \"plan\"") \
	C(tool_version,        TEXT,    "NOT NULL",                  "iommu-audit version that audited") \
	C(audited_at,          TEXT,    "NOT NULL",                  "UTC time of the audit, ISO 8601 (SOURCE_DATE_EPOCH when set)") \
	C(policy,              TEXT,    "",                          "the --policy file as given; NULL without one") \
	C(fail_on,             TEXT,    "NOT NULL",                  "--fail-on: \"error\", \"warning\" or \"never\"") \
	C(verdict,             TEXT,    "NOT NULL",                  "\"pass\" or \"fail\": a finding not waived reaches --fail-on (error with never), as the JSON report's summary.verdict") \
	C(exit_status,         INTEGER, "NOT NULL",                  "0 or 1: the audit's exit status from its findings under fail_on") \
	C(iommu_active,        INTEGER, "NOT NULL",                  "1 when the kernel runs an IOMMU (units registered or groups formed)") \
	C(interrupt_isolation, TEXT,    "NOT NULL",                  "\"isolated\", \"not_isolated\" or \"unknown\": whether MSIs are isolated (interrupt remapping, GICv3 ITS)") \
	C(noiommu,             TEXT,    "NOT NULL",                  "VFIO's unsafe no-IOMMU mode: \"available\", \"enabled\", \"unavailable\" or \"unknown\"") \
	C(iommu_groups,        INTEGER, "NOT NULL",                  "the kernel's IOMMU groups (rows of audit_group)") \
	C(assignable_groups,   INTEGER, "NOT NULL",                  "groups userspace (VFIO) can own safely now") \
	C(rules_not_evaluated, INTEGER, "NOT NULL",                  "rules whose inputs were missing: their verdicts are unknown, never safe") \
	C(vfio_path,           TEXT,    "NOT NULL",                  "the VFIO path the groups' userspace_assignable and kernel_hands_over are for: \"container\" (/dev/vfio/vfio) or \"iommufd\" (--vfio-path)")

#define IA_FACTS_audit_finding(C) \
	C(seq,            INTEGER, "PRIMARY KEY",               "position in the report's findings, from 0 (the JSON report's order)") \
	C(rule,           TEXT,    "NOT NULL",                  "rule id (iommu-audit-rules(7)), or \"collect.unreadable\", \"rule.not-evaluated\", a policy's") \
	C(level,          TEXT,    "NOT NULL",                  "\"error\", \"warning\" or \"info\", after the policy") \
	C(subject,        TEXT,    "NOT NULL",                  "what it is about: a BDF, \"group N\", a table signature, a path or \"host\"") \
	C(message,        TEXT,    "NOT NULL",                  "one sentence: what is wrong") \
	C(evidence,       TEXT,    "",                          "the facts it rests on; NULL when none is given") \
	C(fix,            TEXT,    "",                          "what to do (the JSON report's advice); NULL when none") \
	C(waived,         INTEGER, "NOT NULL",                  "1 when a --policy waiver took it out of the verdict (it still blocks nothing)") \
	C(waiver_reason,  TEXT,    "",                          "the waiver's reason; NULL when not waived") \
	C(waiver_expires, TEXT,    "",                          "the waiver's expiry, YYYY-MM-DD; NULL when none") \
	C(fails,          INTEGER, "NOT NULL",                  "1 when it makes the exit status 1 under audit_run.fail_on")

#define IA_FACTS_audit_group(C) \
	C(group_id,             INTEGER, "PRIMARY KEY REFERENCES iommu_group(id)", "the kernel's group number") \
	C(first_bdf,            TEXT,    "",                          "its first member as listed under devices/; NULL when it lists none") \
	C(members,              INTEGER, "NOT NULL",                  "members listed under devices/") \
	C(userspace_assignable, INTEGER, "",                          "1 when userspace (VFIO) can own it safely now, 0 when not; NULL unknown (treat as not)") \
	C(dma_ownership_viable, INTEGER, "",                          "the kernel's VFIO viability test now (rule group.not-viable): 1, 0; NULL unknown") \
	C(kernel_hands_over,    INTEGER, "",                          "1 when VFIO itself would hand it to userspace now, safe or not (an endpoint, viable, MSIs isolated or allow_unsafe_interrupts); NULL unknown") \
	C(endpoint,             INTEGER, "",                          "1 when it holds a function vfio-pci binds (header type 0); NULL unknown") \
	C(isolation_unknown,    INTEGER, "NOT NULL",                  "1 when a peer-to-peer isolation domain wider than the group may exist (rule isolation.p2p-domain)") \
	C(blockers,             INTEGER, "NOT NULL",                  "its rows of kind \"blocker\" in audit_group_item") \
	C(container_assignable, INTEGER, "",                          "userspace_assignable on the legacy container path (/dev/vfio/vfio, its allow_unsafe_interrupts): 1, 0; NULL unknown") \
	C(container_hands_over, INTEGER, "",                          "kernel_hands_over on the container path: 1, 0; NULL unknown") \
	C(iommufd_assignable,   INTEGER, "",                          "userspace_assignable on the iommufd path (/dev/iommu, iommufd.allow_unsafe_interrupts): 1, 0 (also where the kernel has no iommufd); NULL unknown") \
	C(iommufd_hands_over,   INTEGER, "",                          "kernel_hands_over on the iommufd path: 1, 0; NULL unknown")

#define IA_FACTS_audit_group_item(C) \
	C(group_id,    INTEGER, "NOT NULL REFERENCES audit_group(group_id)", "the group") \
	C(seq,         INTEGER, "NOT NULL",                  "position among the group's items, from 0: blockers, then exceptions, then notes") \
	C(kind,        TEXT,    "NOT NULL",                  "\"blocker\" (stops userspace_assignable), \"exception\" (a member that may stay, with its cost) or \"note\" (a blocker the policy lifted)") \
	C(bdf,         TEXT,    "",                          "the member it is about; NULL for the whole group") \
	C(what,        TEXT,    "NOT NULL",                  "a blocker's or note's rule id; an exception's kind (\"pci-stub\", \"bridge\")") \
	C(reason,      TEXT,    "NOT NULL",                  "why, in words") \
	C(lifted,      TEXT,    "",                          "a note: why the policy lifted the blocker; NULL otherwise") \
	C(finding_seq, INTEGER, "REFERENCES audit_finding(seq)", "the finding it comes from (audit_finding.seq); NULL when none")

/* The host's identity (collectors/identity.c): who the audited machine is, for filing reports by
 * board and BIOS. One row; every value is read from the root (never the machine running the tool
 * when it replays a capture), NULL when the file is absent, unreadable (a collection error says
 * so) or malformed. */
#define IA_FACTS_host_identity(C) \
	C(id,              INTEGER, "PRIMARY KEY",               "always 1") \
	C(hostname,        TEXT,    "",                          "proc/sys/kernel/hostname (the UTS nodename), trailing newline removed") \
	C(machine_id,      TEXT,    "",                          "etc/machine-id: 32 lower-case hex digits (machine-id(5)); NULL when absent, unreadable or not in that form") \
	C(dmi_present,     INTEGER, "NOT NULL",                  "1 when sys/class/dmi/id exists (a DMI/SMBIOS table was found by the kernel's dmi-id driver)") \
	C(sys_vendor,      TEXT,    "",                          "sys/class/dmi/id/sys_vendor: SMBIOS type 1 Manufacturer") \
	C(product_name,    TEXT,    "",                          "sys/class/dmi/id/product_name: SMBIOS type 1 Product Name") \
	C(product_version, TEXT,    "",                          "sys/class/dmi/id/product_version: SMBIOS type 1 Version") \
	C(board_vendor,    TEXT,    "",                          "sys/class/dmi/id/board_vendor: SMBIOS type 2 Manufacturer") \
	C(board_name,      TEXT,    "",                          "sys/class/dmi/id/board_name: SMBIOS type 2 Product") \
	C(bios_vendor,     TEXT,    "",                          "sys/class/dmi/id/bios_vendor: SMBIOS type 0 Vendor") \
	C(bios_version,    TEXT,    "",                          "sys/class/dmi/id/bios_version: SMBIOS type 0 BIOS Version") \
	C(bios_date,       TEXT,    "",                          "sys/class/dmi/id/bios_date: SMBIOS type 0 BIOS Release Date, as the firmware wrote it (MM/DD/YYYY)") \
	C(cpu_model,       TEXT,    "",                          "proc/cpuinfo: x86 \"model name\"; arm64 the \"CPU implementer\"/\"CPU part\" pairs, named where known (\"Arm Neoverse-N1\"); distinct models joined with \"; \" in order of appearance") \
	C(cpu_arch,        TEXT,    "",                          "the kernel's architecture as proc/cpuinfo's layout shows it (\"x86_64\": x86 lines without the 32-bit kernel's \"fdiv_bug\"; \"aarch64\": arm64's lines without \"model name\" and \"Hardware\"); NULL when it does not tell")

/*
 * The tables in creation order: T(table, "options", "table constraint or empty", "what it holds").
 * The order is also the order of `iommu-audit schema`.
 */
#define IA_FACT_TABLES(T) \
	T(run,                "STRICT", "", "the collection run (written by the CLI)") \
	T(host,               "STRICT", "", "the kernel and its command line (collectors/kernel.c)") \
	T(cmdline_param,      "STRICT", "", "proc/cmdline, one row per parameter (collectors/kernel.c)") \
	T(kernel_config,      "STRICT", "", "the kernel configuration (collectors/kernel.c)") \
	T(module_param,       "STRICT", "PRIMARY KEY (module, name)", "VFIO and iommufd module parameters (collectors/iommu.c)") \
	T(sysfs_module,       "STRICT", "", "VFIO and iommufd modules under sys/module (collectors/iommu.c)") \
	T(loaded_module,      "STRICT", "", "proc/modules (collectors/kernel.c)") \
	T(pci_driver,         "STRICT", "", "PCI drivers registered (collectors/iommu.c)") \
	T(vfio_node,          "STRICT", "", "dev/vfio entries (collectors/iommu.c)") \
	T(interrupt_chip,     "STRICT", "", "proc/interrupts, one row per interrupt (collectors/kernel.c)") \
	T(pci_function,       "STRICT", "", "one row per PCI function (collectors/pci.c)") \
	T(pci_capability,     "STRICT, WITHOUT ROWID", "PRIMARY KEY (bdf, extended, offset)", "each function's capability lists (collectors/pci.c)") \
	T(pci_bar,            "STRICT, WITHOUT ROWID", "PRIMARY KEY (bdf, idx)", "each function's resources (collectors/pci.c)") \
	T(iommu_group,        "STRICT", "", "the kernel's IOMMU groups (collectors/iommu.c)") \
	T(iommu_group_device, "STRICT, WITHOUT ROWID", "PRIMARY KEY (group_id, device)", "each group's members (collectors/iommu.c)") \
	T(reserved_region,    "STRICT, WITHOUT ROWID", "PRIMARY KEY (group_id, start, type)", "each group's reserved regions (collectors/iommu.c)") \
	T(iommu_unit,         "STRICT", "", "IOMMU units under sys/class/iommu (collectors/iommu.c)") \
	T(iommu_unit_device,  "STRICT, WITHOUT ROWID", "PRIMARY KEY (unit, device)", "the devices each unit translates (collectors/iommu.c)") \
	T(collection_error,   "STRICT", "", "what could not be read, by any collector") \
	T(acpi_table,         "STRICT", "", "firmware: the ACPI tables read (collectors/firmware.c)") \
	T(dmar_info,          "STRICT", "", "firmware: the DMAR header (collectors/firmware.c)") \
	T(dmar_structure,     "STRICT", "", "firmware: DMAR remapping structures (collectors/firmware.c)") \
	T(dmar_scope,         "STRICT", "PRIMARY KEY (struct_offset, offset)", "firmware: DMAR device scopes (collectors/firmware.c)") \
	T(ivrs_info,          "STRICT", "", "firmware: the IVRS header (collectors/firmware.c)") \
	T(fw_unit,            "STRICT", "", "firmware: IOMMU units the firmware describes (collectors/firmware.c, collectors/dt.c)") \
	T(fw_unit_device,     "STRICT, WITHOUT ROWID", "PRIMARY KEY (bdf, unit_id)", "firmware: which unit translates which function (collectors/firmware.c, collectors/dt.c)") \
	T(fw_region,          "STRICT", "", "firmware: RMRR, IVMD and RMR regions (collectors/firmware.c)") \
	T(fw_region_target,   "STRICT", "PRIMARY KEY (region_id, seq)", "firmware: the devices each region is for (collectors/firmware.c)") \
	T(msi_controller,     "STRICT", "", "firmware: MSI controllers (collectors/firmware.c, collectors/dt.c)") \
	T(pci_msi_route,      "STRICT, WITHOUT ROWID", "", "firmware: each function's MSI controller (collectors/firmware.c, collectors/dt.c)") \
	T(dt_blob,            "STRICT", "", "the flattened device tree (collectors/dt.c)") \
	T(dt_host_bridge,     "STRICT", "", "DT PCIe host bridges (collectors/dt.c)") \
	T(dt_port,            "STRICT", "", "DT PCI bridge nodes (collectors/dt.c)") \
	T(audit_run,          "STRICT", "", "verdicts: the audit that wrote them, and the host verdict (src/cli/verdicts_db.c)") \
	T(audit_finding,      "STRICT", "", "verdicts: the audit's findings (src/cli/verdicts_db.c)") \
	T(audit_group,        "STRICT", "", "verdicts: each kernel IOMMU group's verdict (src/cli/verdicts_db.c)") \
	T(audit_group_item,   "STRICT", "PRIMARY KEY (group_id, seq)", "verdicts: each group's blockers, exceptions and notes (src/cli/verdicts_db.c)") \
	T(host_use,           "STRICT, WITHOUT ROWID", "PRIMARY KEY (bdf, use, name)", "the PCI functions the host uses: disks, interfaces, console, boot display (collectors/host_use.c)") \
	T(host_use_source,    "STRICT", "", "the files that show the host's use of devices, and whether they were read (collectors/host_use.c)") \
	T(host_identity,      "STRICT", "", "the host's name, machine-id, DMI system, board and BIOS, CPU model (collectors/identity.c)")

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

/** An INTEGER column's value: has = false for SQL NULL (v is then 0). */
struct ia_fact_int {
	bool has;
	int64_t v;
};

/** A BLOB column's value: p = NULL for SQL NULL. */
struct ia_fact_blob {
	const void *p;
	size_t n;
};

/** ia_fact_i() - an INTEGER value: @v when @has, else SQL NULL. */
static inline struct ia_fact_int ia_fact_i(bool has, int64_t v)
{
	return (struct ia_fact_int){ has, has ? v : 0 };
}

#define IA_FACT_CTYPE_INTEGER struct ia_fact_int
#define IA_FACT_CTYPE_TEXT const char *
#define IA_FACT_CTYPE_BLOB struct ia_fact_blob
#define IA_FACT_FIELD_(name, type, cons, comment) IA_FACT_CTYPE_##type name;
#define IA_FACT_STRUCT_(table, opts, tcons, what) struct ia_fact_##table { IA_FACTS_##table(IA_FACT_FIELD_) };
IA_FACT_TABLES(IA_FACT_STRUCT_)

#define IA_FACT_ID_(table, opts, tcons, what) IA_FACT_##table,
/** The tables, as indexes into ia_fact_tables[]. */
enum ia_fact_table_id { IA_FACT_TABLES(IA_FACT_ID_) IA_FACT_N_TABLES };

enum ia_fact_type { IA_FACT_INTEGER, IA_FACT_TEXT, IA_FACT_BLOB };

/** One column: how the schema declares it and where struct ia_fact_<table> holds it. */
struct ia_fact_column {
	const char *name;
	enum ia_fact_type type;
	const char *constraint;   /* SQL after the type, or "" */
	const char *comment;
	size_t offset;            /* offsetof(struct ia_fact_<table>, name) */
};

/** One table. */
struct ia_fact_table {
	const char *name;
	const char *options;            /* "STRICT" or "STRICT, WITHOUT ROWID" */
	const char *table_constraint;   /* "PRIMARY KEY (...)" or "" */
	const char *what;               /* one line: what it holds and who writes it */
	const struct ia_fact_column *columns;
	size_t n_columns;
};

extern const struct ia_fact_table ia_fact_tables[IA_FACT_N_TABLES];

/**
 * ia_fact_schema_sql() - the CREATE TABLE statements of every table, with each column's comment.
 * Return: a string built once and kept for the process's life (never NULL: on no memory, a
 * static text that fails to execute, "-- out of memory\nSELECT RAISE(ABORT, 'no memory');").
 */
const char *ia_fact_schema_sql(void);

/**
 * ia_fact_parents() - the tables whose rows @t's REFERENCES clauses name, as a set of bits
 * (bit i: table i of enum ia_fact_table_id; 0 for a table with no REFERENCES). Read from the
 * column constraints of the descriptions ("REFERENCES <table>(<column>)").
 */
uint64_t ia_fact_parents(enum ia_fact_table_id t);

/**
 * ia_fact_prepare_insert() - prepare "INSERT [@conflict] INTO t(every column) VALUES (?, ...)".
 * @conflict: NULL, "OR IGNORE" or "OR REPLACE". Bind a row with ia_fact_bind().
 * Return: 0; -IA_E_SQLITE; -ENOMEM.
 */
int ia_fact_prepare_insert(sqlite3 *db, enum ia_fact_table_id t, const char *conflict, sqlite3_stmt **st);

/**
 * ia_fact_bind() - bind @row (a struct ia_fact_<t>) to an ia_fact_prepare_insert() statement:
 * parameter i + 1 is column i. TEXT and BLOB values are bound SQLITE_STATIC: they must stay
 * valid until the statement is stepped and reset (ia_db_step_done()).
 */
void ia_fact_bind(sqlite3_stmt *st, enum ia_fact_table_id t, const void *row);

/**
 * ia_fact_prepare_select() - prepare "SELECT every column FROM t [@tail]".
 * @tail: e.g. "ORDER BY bdf", or NULL. Read each row with ia_fact_read().
 * Return: 0; -IA_E_SQLITE; -ENOMEM.
 */
int ia_fact_prepare_select(sqlite3 *db, enum ia_fact_table_id t, const char *tail, sqlite3_stmt **st);

/**
 * ia_fact_read() - the current row of an ia_fact_prepare_select() statement into @row (a
 * struct ia_fact_<t>). TEXT and BLOB pointers are SQLite's, valid until the next step, reset or
 * finalize of @st: copy what must outlive the row.
 */
void ia_fact_read(sqlite3_stmt *st, enum ia_fact_table_id t, void *row);

/** The most columns one table may have (ia_fact_cursor). */
#define IA_FACT_MAX_COLUMNS 64

/** A SELECT of some columns of one table, read by name into its row struct (ia_fact_select()). */
struct ia_fact_cursor {
	sqlite3_stmt *st;
	enum ia_fact_table_id table;
	size_t n;                                        /* columns selected */
	const struct ia_fact_column *cols[IA_FACT_MAX_COLUMNS]; /* result column i's description */
};

/**
 * ia_fact_select() - prepare "SELECT @columns FROM t [@tail]" for ia_fact_next().
 * @columns: column names separated by ", " (each must be a column of @t), or NULL for every column.
 * @tail: e.g. "ORDER BY bdf", or NULL.
 * Return: 0; -EINVAL for a name that is not a column of @t (or more than IA_FACT_MAX_COLUMNS);
 * -ENOMEM; -IA_E_SQLITE. On failure @c holds no statement (ia_fact_cursor_close() is still safe).
 */
int ia_fact_select(sqlite3 *db, enum ia_fact_table_id t, const char *columns, const char *tail,
		   struct ia_fact_cursor *c);

/**
 * ia_fact_next() - step @c and read the row into @row (a struct ia_fact_<t>): the selected
 * columns only, the other fields left as they are. TEXT and BLOB pointers are SQLite's, valid
 * until the next step or the close.
 * Return: 1 with a row; 0 at the end; -IA_E_SQLITE when the step failed.
 */
int ia_fact_next(struct ia_fact_cursor *c, void *row);

/** ia_fact_cursor_close() - finalize (accepts a cursor whose select failed). */
void ia_fact_cursor_close(struct ia_fact_cursor *c);

#endif
