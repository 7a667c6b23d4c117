-- SPDX-License-Identifier: GPL-2.0-or-later
-- Import one host's iommu-audit database (`iommu-audit --db FILE`: facts and verdicts) into a
-- fleet database (docs/fleet.md). Run it in the fleet database with the host's file attached as h:
--   sqlite3 fleet.db "ATTACH 'hosts/web-12.db' AS h" ".read docs/fleet-import.sql" "DETACH h"
-- The host is named by its file, without the directory and ".db" (web-12). Each fleet_* table is
-- made on first use with the columns of the host's table after the host's name; importing a host
-- again replaces its rows, so the fleet database holds each host's last audit.
DROP TABLE IF EXISTS temp.fleet_host;
CREATE TEMP TABLE fleet_host AS
  SELECT replace(file, rtrim(file, replace(file, '/', '')), '') AS name FROM pragma_database_list WHERE name = 'h';
UPDATE temp.fleet_host SET name = substr(name, 1, length(name) - 3) WHERE name LIKE '%.db';

CREATE TABLE IF NOT EXISTS fleet_run AS SELECT '' AS host, * FROM h.audit_run WHERE 0;
CREATE TABLE IF NOT EXISTS fleet_finding AS SELECT '' AS host, * FROM h.audit_finding WHERE 0;
CREATE TABLE IF NOT EXISTS fleet_group AS SELECT '' AS host, * FROM h.audit_group WHERE 0;
CREATE TABLE IF NOT EXISTS fleet_group_item AS SELECT '' AS host, * FROM h.audit_group_item WHERE 0;
CREATE TABLE IF NOT EXISTS fleet_kernel AS SELECT '' AS host, kernel_release, arch, cmdline FROM h.host WHERE 0;
CREATE TABLE IF NOT EXISTS fleet_function AS
  SELECT '' AS host, f.bdf, f.vendor, f.device, f.class, f.driver, d.group_id
    FROM h.pci_function f LEFT JOIN h.iommu_group_device d ON d.device = f.bdf WHERE 0;

DELETE FROM fleet_run WHERE host IN (SELECT name FROM temp.fleet_host);
DELETE FROM fleet_finding WHERE host IN (SELECT name FROM temp.fleet_host);
DELETE FROM fleet_group WHERE host IN (SELECT name FROM temp.fleet_host);
DELETE FROM fleet_group_item WHERE host IN (SELECT name FROM temp.fleet_host);
DELETE FROM fleet_kernel WHERE host IN (SELECT name FROM temp.fleet_host);
DELETE FROM fleet_function WHERE host IN (SELECT name FROM temp.fleet_host);

INSERT INTO fleet_run SELECT (SELECT name FROM temp.fleet_host), * FROM h.audit_run;
INSERT INTO fleet_finding SELECT (SELECT name FROM temp.fleet_host), * FROM h.audit_finding;
INSERT INTO fleet_group SELECT (SELECT name FROM temp.fleet_host), * FROM h.audit_group;
INSERT INTO fleet_group_item SELECT (SELECT name FROM temp.fleet_host), * FROM h.audit_group_item;
INSERT INTO fleet_kernel SELECT (SELECT name FROM temp.fleet_host), kernel_release, arch, cmdline FROM h.host;
INSERT INTO fleet_function
  SELECT (SELECT name FROM temp.fleet_host), f.bdf, f.vendor, f.device, f.class, f.driver, d.group_id
    FROM h.pci_function f LEFT JOIN h.iommu_group_device d ON d.device = f.bdf;
