-- SPDX-License-Identifier: GPL-2.0-or-later
-- The iommu-audit fact database: what the collectors saw, one row per fact, NULL where unreadable.
-- PRAGMA user_version holds the schema version (IA_DB_SCHEMA_VERSION in src/db.h).

CREATE TABLE run (
  id INTEGER PRIMARY KEY,            -- always 1: one audit per database
  tool_version TEXT NOT NULL,        -- iommu-audit version that collected
  root TEXT NOT NULL,                -- the root given (--root), or the snapshot file name
  live INTEGER NOT NULL,             -- 1 when the root was the running host's "/"
  collected_at TEXT NOT NULL,        -- UTC time of collection, ISO 8601
  pci_source TEXT NOT NULL           -- "sysfs" (libpci through <root>/sys/bus/pci) or "dump:<file>"
) STRICT;

CREATE TABLE host (
  id INTEGER PRIMARY KEY,            -- always 1
  kernel_release TEXT,               -- from proc/version ("6.12.117+deb12-amd64"); NULL if unreadable
  kernel_version TEXT,               -- the whole proc/version line
  kernel_major INTEGER,              -- parsed from kernel_release
  kernel_minor INTEGER,              -- parsed from kernel_release
  kernel_patch INTEGER,              -- parsed from kernel_release (NULL when absent)
  cmdline TEXT,                      -- proc/cmdline, trailing newline removed
  arch TEXT,                         -- "x86_64", "aarch64", ... from proc/version or the tree
  iommu_groups_dir INTEGER NOT NULL, -- 1 when sys/kernel/iommu_groups exists
  kernel_config_source TEXT,         -- "boot/config-<release>" or "proc/config.gz"; NULL if none
  tainted INTEGER                    -- proc/sys/kernel/tainted (bit 6 'U': a vfio-noiommu group was created); NULL if unreadable
) STRICT;

CREATE TABLE cmdline_param (
  seq INTEGER PRIMARY KEY,           -- position on the command line
  key TEXT NOT NULL,                 -- parameter name ("intel_iommu", "pci")
  value TEXT,                        -- text after the first '='; NULL for a bare flag
  relevant INTEGER NOT NULL          -- 1 for parameters that change IOMMU, ACS, VFIO or IR behaviour
) STRICT;

CREATE TABLE kernel_config (
  option TEXT PRIMARY KEY,           -- CONFIG_ name
  value TEXT NOT NULL                -- "y", "m", a number or a quoted string
) STRICT;

CREATE TABLE module_param (
  module TEXT NOT NULL,              -- vfio, vfio_iommu_type1, vfio_pci, iommufd
  name TEXT NOT NULL,                -- parameter file name
  value TEXT,                        -- contents, trailing newline removed; NULL if unreadable
  PRIMARY KEY (module, name)
) STRICT;

CREATE TABLE sysfs_module (
  name TEXT PRIMARY KEY,             -- vfio, vfio_iommu_type1, vfio_pci or iommufd when sys/module/<name> exists
  has_parameters INTEGER NOT NULL    -- 1 when sys/module/<name>/parameters exists (its files are in module_param)
) STRICT;

CREATE TABLE loaded_module (
  name TEXT PRIMARY KEY              -- a module listed in proc/modules
) STRICT;

CREATE TABLE pci_driver (
  name TEXT PRIMARY KEY              -- a directory under sys/bus/pci/drivers
) STRICT;

CREATE TABLE vfio_node (
  name TEXT PRIMARY KEY              -- an entry of dev/vfio ("vfio", "7", "noiommu-0", "devices/vfio0")
) STRICT;

CREATE TABLE interrupt_chip (
  irq TEXT PRIMARY KEY,              -- first column of proc/interrupts ("24", "NMI")
  chip TEXT,                         -- interrupt chip name ("IR-PCI-MSIX-0000:00:01.0", "ITS-MSI")
  remapped INTEGER NOT NULL,         -- 1 when the chip name starts with "IR-" (x86 remapped)
  isolating_parent TEXT,             -- "IR", "ITS", "GICv2m", "MBI" or NULL: the MSI parent named by the prefix
  hwirq TEXT,                        -- the hardware IRQ column (x86 PCI MSI before 6.2: domain << 27 | RID << 11 | index)
  actions TEXT                       -- the handlers' names (the rest of the line)
) STRICT;

CREATE TABLE pci_function (
  bdf TEXT PRIMARY KEY,              -- DDDD:BB:DD.F
  domain INTEGER NOT NULL,           -- PCI segment
  bus INTEGER NOT NULL,
  dev INTEGER NOT NULL,
  fn INTEGER NOT NULL,
  sysfs_path TEXT,                   -- canonical device directory under the root (sys/devices/pci0000:00/...)
  parent_bdf TEXT,                   -- upstream bridge (the sysfs parent device), NULL on a root bus
  vendor INTEGER,                    -- from the sysfs attribute (a VF's config reads 0xffff), else config
  device INTEGER,
  subsys_vendor INTEGER,
  subsys_device INTEGER,
  class INTEGER,                     -- 24-bit class code
  revision INTEGER,
  header_type INTEGER,               -- config 0x0e bits 6:0; NULL when unreadable
  multifunction INTEGER,             -- the kernel's view: header bit 7 or function > 0; 0 for VFs
  is_pcie INTEGER,                   -- 1/0; NULL when the capability list was unreadable
  pcie_type INTEGER,                 -- PCIe port type (flags bits 7:4) when is_pcie = 1
  secondary_bus INTEGER,             -- bridges only
  subordinate_bus INTEGER,           -- bridges only
  config_bytes INTEGER NOT NULL,     -- config bytes that were readable (0..4096)
  config_size INTEGER,               -- size of the sysfs config file (256 or 4096) when known
  caps_complete INTEGER,             -- 1 when both capability lists were walked to their end
  devcap2 INTEGER,                   -- PCIe Device Capabilities 2; NULL when absent or unreadable
  eetlp_prefix INTEGER,              -- DevCap2 bit 21 End-End TLP Prefix Supported
  has_acs INTEGER,                   -- 1/0; NULL when extended config space was unreadable
  acs_offset INTEGER,
  acs_cap INTEGER,                   -- ACS Capability register (cap+4)
  acs_ctrl INTEGER,                  -- ACS Control register (cap+6)
  acs_cap_dw INTEGER,                -- cap+4 as a dword (Intel SPT PCH quirk layout)
  acs_ctrl_dw INTEGER,               -- cap+8 as a dword (Intel SPT PCH quirk layout)
  has_ats INTEGER, ats_cap INTEGER, ats_ctrl INTEGER,               -- ATS ext cap 0x0f
  has_pri INTEGER, pri_ctrl INTEGER, pri_status INTEGER,           -- PRI ext cap 0x13
  has_pasid INTEGER, pasid_cap INTEGER, pasid_ctrl INTEGER,        -- PASID ext cap 0x1b
  has_ari INTEGER,                                                  -- ARI ext cap 0x0e
  has_sriov INTEGER, sriov_ctrl INTEGER, sriov_total_vfs INTEGER, sriov_num_vfs INTEGER,
  sriov_vf_offset INTEGER, sriov_vf_stride INTEGER, sriov_vf_device INTEGER, -- SR-IOV ext cap 0x10
  is_vf INTEGER NOT NULL,            -- 1 when a physfn link exists
  physfn_bdf TEXT,                   -- the PF of a VF
  sysfs_numvfs INTEGER,              -- sriov_numvfs attribute
  sysfs_totalvfs INTEGER,            -- sriov_totalvfs attribute
  driver TEXT,                       -- bound driver (basename of the driver link); NULL when unbound
  driver_override TEXT,              -- driver_override; NULL when "(null)" or absent
  iommu_group INTEGER,               -- the kernel's group (iommu_group link); NULL when none
  iommu_unit TEXT,                   -- basename of the iommu link (dmar0, ivhd0, smmu3.0x...)
  removable TEXT,                    -- removable/fixed/unknown when present
  real_dma_bdf TEXT,                 -- pci_real_dma_dev(): the Intel VMD endpoint whose requester ID it uses; NULL for itself
  driver_read INTEGER NOT NULL DEFAULT 1 -- 0 when the driver link exists but could not be read (driver then unknown, not unbound)
) STRICT;

CREATE TABLE pci_capability (
  bdf TEXT NOT NULL REFERENCES pci_function(bdf),
  extended INTEGER NOT NULL,         -- 1 for the extended list (>= 0x100)
  cap_id INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  version INTEGER,                   -- extended capabilities only
  PRIMARY KEY (bdf, extended, offset)
) STRICT, WITHOUT ROWID;

CREATE TABLE pci_bar (
  bdf TEXT NOT NULL REFERENCES pci_function(bdf),
  idx INTEGER NOT NULL,              -- line of the resource file: 0-5 BARs, 6 ROM, 7-12 SR-IOV BARs, 13-16 bridge windows
  kind TEXT NOT NULL,                -- "mem", "io"
  start INTEGER NOT NULL,
  size INTEGER NOT NULL,             -- bytes
  flags INTEGER NOT NULL,            -- IORESOURCE_* bits
  prefetch INTEGER NOT NULL,
  mem64 INTEGER NOT NULL,
  PRIMARY KEY (bdf, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE iommu_group (
  id INTEGER PRIMARY KEY,            -- group number (not contiguous, not stable across boots)
  type TEXT,                         -- default domain type (DMA, DMA-FQ, identity, blocked, unmanaged); NULL if unreadable
  name TEXT,                         -- the optional name attribute ("vfio-noiommu")
  reserved_regions_read INTEGER NOT NULL, -- 1 when reserved_regions was read and parsed
  members_read INTEGER NOT NULL      -- 1 when devices/ was listed (0: the members below may be incomplete)
) STRICT;

CREATE TABLE iommu_group_device (
  group_id INTEGER NOT NULL REFERENCES iommu_group(id),
  device TEXT NOT NULL,              -- device name as linked (a BDF for PCI, else a platform name)
  PRIMARY KEY (group_id, device)
) STRICT, WITHOUT ROWID;

CREATE TABLE reserved_region (
  group_id INTEGER NOT NULL REFERENCES iommu_group(id),
  start INTEGER NOT NULL,
  end INTEGER NOT NULL,              -- inclusive
  type TEXT NOT NULL,                -- direct, direct-relaxable, reserved, msi
  PRIMARY KEY (group_id, start, type)
) STRICT, WITHOUT ROWID;

CREATE TABLE iommu_unit (
  name TEXT PRIMARY KEY,             -- sys/class/iommu entry (dmar0, ivhd0, smmu3.0x...)
  kind TEXT NOT NULL,                -- vt-d, amd-vi, smmu-v3, smmu, other
  address INTEGER,                   -- VT-d register base (intel-iommu/address)
  version TEXT,                      -- VT-d major:minor
  cap INTEGER,                       -- VT-d cap register, or AMD IOMMU PCI capability header
  ecap INTEGER,                      -- VT-d ecap register
  efr INTEGER,                       -- AMD extended feature register
  efr2 INTEGER,                      -- AMD EFR2 (6.x "EFR:EFR2" format)
  ecap_ir INTEGER,                   -- VT-d ecap bit 3 interrupt remapping
  ecap_eim INTEGER,                  -- VT-d ecap bit 4 x2APIC
  ecap_pt INTEGER,                   -- VT-d ecap bit 6 pass-through
  ecap_dt INTEGER,                   -- VT-d ecap bit 2 device TLB (ATS)
  ecap_prs INTEGER,                  -- VT-d ecap bit 29 page requests
  ecap_pasid INTEGER,                -- VT-d ecap bit 40
  ecap_smts INTEGER,                 -- VT-d ecap bit 43 scalable mode
  ecap_smpwc INTEGER,                -- VT-d ecap bit 48 scalable-mode page-walk coherency
  cap_cm INTEGER,                    -- VT-d cap bit 7 caching mode (a virtual IOMMU)
  efr_ppr INTEGER,                   -- AMD EFR bit 1 PPRSup
  efr_gt INTEGER,                    -- AMD EFR bit 4 GTSup
  efr_xt INTEGER,                    -- AMD EFR bit 2 XTSup
  efr_ga INTEGER,                    -- AMD EFR bit 7 GASup
  efr_pasmax INTEGER,                -- AMD EFR bits 36:32
  efr_eph INTEGER,                   -- AMD EFR bit 50 EPHSup
  efr_snp INTEGER                    -- AMD EFR bit 63 SNPSup
) STRICT;

CREATE TABLE iommu_unit_device (
  unit TEXT NOT NULL REFERENCES iommu_unit(name),
  device TEXT NOT NULL,              -- device name linked under the unit's devices/ directory
  PRIMARY KEY (unit, device)
) STRICT, WITHOUT ROWID;

CREATE TABLE collection_error (
  id INTEGER PRIMARY KEY,
  collector TEXT NOT NULL,           -- pci, iommu, kernel, acpi, dt, snapshot
  subject TEXT NOT NULL,             -- the path, BDF or table it concerns
  code INTEGER NOT NULL,             -- negative errno or -IA_E_* (src/ia_err.h)
  offset INTEGER,                    -- byte offset inside the subject, when meaningful
  message TEXT NOT NULL,             -- what could not be read and why
  hides TEXT                         -- what the missing data hides from the audit
) STRICT;


-- Firmware facts (collectors/firmware.c)

CREATE TABLE acpi_table (
  signature TEXT PRIMARY KEY,        -- ACPI signature: "DMAR", "IVRS", "IORT", "APIC"
  source TEXT NOT NULL,              -- "sys/firmware/acpi/tables/DMAR" under the root, or "acpidump:<file>"
  bytes BLOB NOT NULL,               -- the raw table as read (replayable without the root)
  read_length INTEGER NOT NULL,      -- bytes read
  length INTEGER,                    -- header Length field; NULL when the 36-byte header is unusable
  revision INTEGER,                  -- header Revision
  oem_id TEXT,                       -- header OEM ID
  oem_table_id TEXT,                 -- header OEM Table ID
  oem_revision INTEGER,              -- header OEM Revision
  checksum_ok INTEGER,               -- 1 when all Length bytes sum to 0 mod 256; NULL when the header is unusable
  decode_status INTEGER NOT NULL     -- 0, or the decoder's negative error (-IA_E_*): the walk stopped early
) STRICT;

CREATE TABLE dmar_info (
  id INTEGER PRIMARY KEY,            -- always 1
  haw INTEGER NOT NULL,              -- Host Address Width field (N means N+1 address bits)
  flags INTEGER NOT NULL,            -- DMAR Flags byte (offset 37)
  intr_remap INTEGER NOT NULL,       -- flags bit 0 INTR_REMAP
  x2apic_opt_out INTEGER NOT NULL,   -- flags bit 1 X2APIC_OPT_OUT
  dma_ctrl_platform_opt_in INTEGER NOT NULL -- flags bit 2 DMA_CTRL_PLATFORM_OPT_IN
) STRICT;

CREATE TABLE dmar_structure (
  offset INTEGER PRIMARY KEY,        -- byte offset of the remapping structure in the DMAR
  type TEXT NOT NULL,                -- DRHD, RMRR, ATSR, RHSA, ANDD, SATC, SIDP
  segment INTEGER,                   -- PCI segment (NULL for RHSA, ANDD)
  flags INTEGER,                     -- DRHD INCLUDE_PCI_ALL / ATSR ALL_PORTS / SATC ATC_REQUIRED byte; NULL otherwise
  base INTEGER,                      -- DRHD/RHSA register base, RMRR base address; NULL otherwise
  limit_addr INTEGER,                -- RMRR limit address, inclusive; NULL otherwise
  detail TEXT                        -- RHSA "proximity domain N", ANDD "N \\_SB.PCI0.XXX"; NULL otherwise
) STRICT;

CREATE TABLE dmar_scope (
  struct_offset INTEGER NOT NULL REFERENCES dmar_structure(offset),
  offset INTEGER NOT NULL,           -- byte offset of the device scope entry in the DMAR
  type INTEGER NOT NULL,             -- 1 endpoint, 2 bridge (sub-hierarchy), 3 IOAPIC, 4 HPET, 5 ACPI namespace device
  enumeration_id INTEGER NOT NULL,   -- IOAPIC ID, HPET number or ANDD device number
  path TEXT NOT NULL,                -- raw path "SSSS:BB/DD.F/DD.F": segment, start bus, then (device.function) elements
  bdf TEXT,                          -- the PCI function the path names (DDDD:BB:DD.F) when it resolves to one the pci collector saw; else NULL
  resolve_error INTEGER,             -- NULL when resolved; -ENOENT/-ENODEV (a bridge on the path is absent / not a bridge) or -IA_E_* otherwise
  PRIMARY KEY (struct_offset, offset)
) STRICT;

CREATE TABLE ivrs_info (
  id INTEGER PRIMARY KEY,            -- always 1
  ivinfo INTEGER NOT NULL,           -- IVinfo (offset 36)
  efr_sup INTEGER NOT NULL,          -- IVinfo bit 0 EFRSup
  dma_remap INTEGER NOT NULL,        -- IVinfo bit 1 pre-boot DMA protection opt-in
  pa_size INTEGER NOT NULL,          -- IVinfo bits 14:8, physical address bits
  va_size INTEGER NOT NULL,          -- IVinfo bits 21:15, virtual address bits
  kernel_ivhd_type INTEGER           -- the IVHD type Linux uses (get_highest_supported_ivhd_type()); NULL when no IVDB
) STRICT;

CREATE TABLE fw_unit (
  id INTEGER PRIMARY KEY,            -- row number, in firmware order (DMAR, IVRS, IORT, then DT)
  source TEXT NOT NULL,              -- DMAR, IVRS, IORT, DT
  kind TEXT NOT NULL,                -- vt-d, amd-vi, smmu-v3, smmu, other
  name TEXT NOT NULL,                -- DRHD<n>, IVHD<n> (n counts units of that table), IORT "SMMUv3@0x<base>", DT node path
  location INTEGER,                  -- byte offset of the structure in its table, or the DT node's offset in the blob
  segment INTEGER,                   -- PCI segment (DRHD, IVHD); NULL when the unit is not tied to one
  base INTEGER,                      -- register base address; NULL when the firmware does not give it (DT)
  include_pci_all INTEGER,           -- DRHD INCLUDE_PCI_ALL 1/0; NULL for other kinds
  devid INTEGER,                     -- IVHD IOMMU DeviceID (BDF of the IOMMU function); NULL otherwise
  efr INTEGER,                       -- IVHD 11h/40h EFR image; NULL otherwise
  flags INTEGER,                     -- DRHD/IVHD/IORT SMMU node flags as read; NULL for DT
  model INTEGER,                     -- IORT SMMU model field; NULL otherwise
  ivhd_type INTEGER,                 -- IVHD block type (0x10, 0x11, 0x40); NULL otherwise
  compatible TEXT,                   -- DT compatible strings joined with ", "; NULL otherwise
  dma_coherent INTEGER               -- DT dma-coherent on the IOMMU node (1/0); NULL for tables (IORT says it in flags)
) STRICT;

CREATE TABLE fw_unit_device (
  unit_id INTEGER NOT NULL REFERENCES fw_unit(id),
  bdf TEXT NOT NULL REFERENCES pci_function(bdf),
  how TEXT NOT NULL,                 -- scope, scope-bridge, include-pci-all, ivhd, iort-rc, dt-iommu-map, dt-iommus
  stream_id INTEGER,                 -- StreamID at the SMMU (IORT, DT), DeviceID (IVRS); NULL for DMAR
  PRIMARY KEY (bdf, unit_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE fw_region (
  id INTEGER PRIMARY KEY,            -- row number, in table order
  source TEXT NOT NULL,              -- DMAR, IVRS, IORT
  kind TEXT NOT NULL,                -- RMRR, IVMD, RMR
  location INTEGER NOT NULL,         -- byte offset of the RMRR/IVMD/RMR node in its table
  segment INTEGER,                   -- PCI segment (RMRR, IVMD); NULL for RMR
  base INTEGER NOT NULL,             -- first byte
  end INTEGER,                       -- last byte, inclusive; NULL when the length is 0 or overflows
  flags INTEGER,                     -- IVMD flags (unity, IR, IW, exclusion) or RMR flags; NULL for RMRR
  kernel_applies INTEGER NOT NULL,   -- 1 when Linux honours it: RMRR range sane, IVMD unity/exclusion, RMR in an IORT rev >= 5
  relaxable INTEGER                  -- RMR remapping-permitted (direct-relaxable); NULL when the table does not say
) STRICT;

CREATE TABLE fw_region_target (
  region_id INTEGER NOT NULL REFERENCES fw_region(id),
  seq INTEGER NOT NULL,              -- order within the region
  target TEXT NOT NULL,              -- a BDF when resolved; else the raw scope path, DeviceID range or StreamID range
  bdf TEXT,                          -- the PCI function (DDDD:BB:DD.F) when resolved; NULL otherwise
  PRIMARY KEY (region_id, seq)
) STRICT;

CREATE TABLE msi_controller (
  id INTEGER PRIMARY KEY,            -- row number
  kind TEXT NOT NULL,                -- gic-v3-its, gic-v2m, mbi, intel-ir, amd-ir, other
  source TEXT NOT NULL,              -- MADT, IORT, DT, DMAR, IVRS
  name TEXT NOT NULL,                -- "ITS <id>", "MSI frame <id>", DT node path, "DMAR INTR_REMAP", "IVRS"
  base INTEGER,                      -- MMIO base (MADT); NULL when not given
  hw_id INTEGER,                     -- GIC ITS Translation ID / MSI frame ID; NULL otherwise
  compatible TEXT,                   -- DT compatible strings joined with ", "; NULL otherwise
  isolating INTEGER                  -- 1 when the kernel marks its domain IRQ_DOMAIN_FLAG_ISOLATED_MSI; 0 never; NULL unknown
) STRICT;

CREATE TABLE pci_msi_route (
  bdf TEXT PRIMARY KEY REFERENCES pci_function(bdf),
  controller_id INTEGER NOT NULL REFERENCES msi_controller(id),
  device_id INTEGER,                 -- ITS DeviceID (IORT, DT msi-map); NULL when not applicable
  how TEXT NOT NULL                  -- iort, dt-msi-map, dt-msi-parent, dmar-ir, ivrs-ir
) STRICT, WITHOUT ROWID;

CREATE TABLE dt_blob (
  id INTEGER PRIMARY KEY,            -- always 1
  source TEXT NOT NULL,              -- "sys/firmware/fdt" under the root, or "dtb:<file>"
  bytes BLOB NOT NULL,               -- the flattened device tree as read
  decode_status INTEGER NOT NULL     -- 0, or ia_fdt_decode()'s negative error (-IA_E_FDT: fdt_check_full failed)
) STRICT;

CREATE TABLE dt_host_bridge (
  path TEXT PRIMARY KEY,             -- DT path of the PCIe host bridge node
  compatible TEXT,                   -- compatible strings joined with ", "
  enabled INTEGER NOT NULL,          -- status absent, "okay" or "ok"
  domain INTEGER,                    -- linux,pci-domain; NULL when absent
  bus_first INTEGER,                 -- bus-range; NULL when absent
  bus_last INTEGER,
  has_iommu_map INTEGER NOT NULL,    -- iommu-map present
  iommu_map_mask INTEGER,            -- iommu-map-mask; NULL when absent
  has_msi_map INTEGER NOT NULL,      -- msi-map present
  msi_map_mask INTEGER,              -- msi-map-mask; NULL when absent
  n_msi_parent INTEGER NOT NULL,     -- msi-parent entries
  n_iommus INTEGER NOT NULL          -- iommus entries
) STRICT;

CREATE TABLE dt_port (
  path TEXT PRIMARY KEY,             -- DT path of a PCI bridge node below a host bridge
  host_bridge TEXT NOT NULL REFERENCES dt_host_bridge(path),
  external_facing INTEGER NOT NULL   -- the boolean "external-facing" property (kernel pci_set_bus_of_node())
) STRICT;

