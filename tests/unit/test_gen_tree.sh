#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ia-gen-tree end to end: a 256-function synthetic host (and a 96-function one with ACS on every
# port) is audited; every generated function
# appears, the generated kernel groups equal the tool's pci_device_group() prediction, and the
# verdict is the expected one (switches without ACS: exit 1 with isolation.p2p-domain; the
# --isolated variant: exit 0, no error), and the facts of `collect --db` break no REFERENCES. Usage: test_gen_tree.sh GEN IA_BIN WORKDIR
set -eu
gen=$1 bin=$2 work=$3
py=/usr/bin/python3
[ -x "$py" ] || { echo "skipped: $py is absent" >&2; exit 77; }
# Thousands of small files: on a tmpfs when there is one (a disk under load makes creation the
# slowest step by far), else in the build directory.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	work=$(mktemp -d /dev/shm/ia-gen-tree.XXXXXX)
else
	rm -rf "$work"
	mkdir -p "$work"
fi
trap 'rm -rf "$work"' EXIT

check() { # check NAME FUNCTIONS EXPECTED_EXIT GENERATOR_OPTIONS...
	name=$1 n=$2 want=$3
	shift 3
	"$gen" --functions "$n" "$@" "$work/$name" >"$work/$name.gen"
	set +e
	"$bin" --root "$work/$name" --format json --output "$work/$name.json"
	rc=$?
	set -e
	[ "$rc" -eq "$want" ] || { echo "FAIL $name: exit $rc, expected $want" >&2; exit 1; }
	"$py" - "$work/$name" "$work/$name.json" "$work/$name.gen" "$want" "$n" <<'PY'
import json, os, sys
tree, report, genout, want, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
d = json.load(open(report))
gen = dict(zip(*[iter(open(genout).read().split())] * 2))
fail = []
listed = set(os.listdir(os.path.join(tree, "sys/bus/pci/devices")))
seen = [x["bdf"] for x in d["devices"]]
if len(listed) != n or int(gen["functions"]) != n:
    fail.append("generator wrote %d functions, said %s" % (len(listed), gen["functions"]))
if sorted(seen) != sorted(listed):
    fail.append("devices differ: missing %s extra %s" % (sorted(listed - set(seen))[:5], sorted(set(seen) - listed)[:5]))
kern, pred = {}, {}
for x in d["devices"]:
    if x["iommu_group"] is None or x["predicted_group"] is None:
        fail.append("%s lacks a kernel or predicted group" % x["bdf"])
        continue
    kern.setdefault(x["iommu_group"], set()).add(x["bdf"])
    pred.setdefault(x["predicted_group"], set()).add(x["bdf"])
K = set(map(frozenset, kern.values()))
P = set(map(frozenset, pred.values()))
if K != P:
    fail.append("kernel groups != predicted: %s" % [sorted(g) for g in list(K ^ P)[:4]])
if len(d["groups"]) != int(gen["groups"]) or len(d["predicted_groups"]) != int(gen["groups"]):
    fail.append("%d kernel / %d predicted groups, generator wrote %s" % (len(d["groups"]), len(d["predicted_groups"]), gen["groups"]))
rules = {(f["rule"], f["level"]) for f in d["findings"]}
if any(r == "group.prediction-differs" for r, _ in rules):
    fail.append("group.prediction-differs reported")
errors = {r for r, l in rules if l == "error"}
expect = {"isolation.p2p-domain"} if want == 1 else set()
if errors != expect:
    fail.append("error rules %s, expected %s" % (sorted(errors), sorted(expect)))
if d["summary"]["verdict"] != ("fail" if want else "pass"):
    fail.append("verdict %s" % d["summary"]["verdict"])
if d["platform"]["interrupt_isolation"]["state"] != "isolated" or d["platform"]["iommu"]["firmware"] != ["DMAR"]:
    fail.append("platform: %s %s" % (d["platform"]["interrupt_isolation"], d["platform"]["iommu"]["firmware"]))
if fail:
    print("FAIL %s:\n  %s" % (tree, "\n  ".join(fail)), file=sys.stderr)
    sys.exit(1)
print("ok %s: %d functions, %d groups" % (os.path.basename(tree), len(seen), len(K)))
PY
	# the references the collection driver leaves to construction hold (every REFERENCES of the schema)
	"$bin" collect --root "$work/$name" --db "$work/$name.db" >/dev/null
	"$py" - "$work/$name.db" <<'PY'
import sqlite3, sys
bad = sqlite3.connect(sys.argv[1]).execute("PRAGMA foreign_key_check").fetchall()
if bad:
    print("FAIL %s: dangling references %s" % (sys.argv[1], bad[:5]), file=sys.stderr)
    sys.exit(1)
PY
}

check mixed 256 1
check isolated 96 0 --isolated
