-- SPDX-License-Identifier: GPL-2.0-or-later
-- After docs/fleet-import.sql, with the same host attached as h: its identity (table
-- host_identity: host name, machine-id, DMI system, board and BIOS, CPU model), for databases
-- whose schema has that table (`iommu-audit schema` lists it when the tool collects it).
--   sqlite3 fleet.db "ATTACH 'hosts/web-12.db' AS h" ".read docs/fleet-import.sql" \
--                    ".read docs/fleet-import-identity.sql" "DETACH h"
CREATE TABLE IF NOT EXISTS fleet_identity AS SELECT '' AS host, * FROM h.host_identity WHERE 0;
DELETE FROM fleet_identity WHERE host IN (SELECT name FROM temp.fleet_host);
INSERT INTO fleet_identity SELECT (SELECT name FROM temp.fleet_host), * FROM h.host_identity;
