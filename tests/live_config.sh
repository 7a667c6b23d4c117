#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 18 item 1: a live audit with CAP_SYS_ADMIN reads only the config bytes the decoder looks at
# (ia_pcicfg_fetch()), and its facts are those of a whole read. The live host is collected twice:
# directly (the sparse read) and from a snapshot of it (every readable byte, replayed as a captured
# tree, which reads config files whole); every column of the PCI tables but config_read must agree,
# and the live read must be smaller wherever a function has more config space than it decodes.
#   live_config.sh IOMMU_AUDIT SCRATCH
# Skipped (77) without root, without sqlite3 or on a host with no PCI functions in sysfs.
set -eu
audit=$1
work=$2
[ "$(id -u)" = 0 ] || { echo "not root: the sparse read needs CAP_SYS_ADMIN"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 not installed"; exit 77; }
ls /sys/bus/pci/devices/ 2>/dev/null | grep -q . || { echo "no PCI functions in /sys/bus/pci/devices"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
"$audit" collect --db "$work/live.db"
"$audit" snapshot --output "$work/snap.tar.gz"
"$audit" collect --snapshot "$work/snap.tar.gz" --db "$work/snap.db"
fail=0
for t in pci_function pci_capability pci_bar; do
	cols=$(sqlite3 "$work/live.db" "SELECT group_concat(name) FROM pragma_table_info('$t') WHERE name <> 'config_read'")
	sqlite3 "$work/live.db" "SELECT $cols FROM $t ORDER BY 1, 2" >"$work/live.$t"
	sqlite3 "$work/snap.db" "SELECT $cols FROM $t ORDER BY 1, 2" >"$work/snap.$t"
	if ! cmp -s "$work/live.$t" "$work/snap.$t"; then
		echo "FAIL: $t differs between the live (sparse) read and the snapshot (whole) read:"
		diff "$work/live.$t" "$work/snap.$t" | head -20
		fail=1
	fi
	[ -s "$work/live.$t" ] || [ "$t" != pci_function ] || { echo "FAIL: no PCI function collected"; fail=1; }
done
# Each function: never more read than readable; the whole-file replay read everything readable.
bad=$(sqlite3 "$work/live.db" "SELECT bdf FROM pci_function WHERE config_read > config_bytes OR config_read < 64")
[ -z "$bad" ] || { echo "FAIL: config_read out of range for: $bad"; fail=1; }
bad=$(sqlite3 "$work/snap.db" "SELECT bdf FROM pci_function WHERE config_read <> config_bytes")
[ -z "$bad" ] || { echo "FAIL: the replay did not read whole files: $bad"; fail=1; }
live=$(sqlite3 "$work/live.db" "SELECT sum(config_read) FROM pci_function")
whole=$(sqlite3 "$work/snap.db" "SELECT sum(config_read) FROM pci_function")
echo "config bytes read: live $live, whole $whole"
[ "$live" -lt "$whole" ] || { echo "FAIL: the live read ($live bytes) is not smaller than the whole read ($whole)"; fail=1; }
[ $fail = 0 ] && rm -rf "$work"
exit $fail
