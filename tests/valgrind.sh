#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One valgrind pass over fixture replays: the audit of a few kernel known-answer captures (JSON)
# must show no memory error and no definite or indirect leak.
#   tests/valgrind.sh IOMMU_AUDIT KNOWN_ANSWERS WORKDIR [IA_SANITIZE]   exit 0, 1, or 77 (skipped)
set -u
bin=${1:?usage: tests/valgrind.sh IOMMU_AUDIT KNOWN_ANSWERS WORKDIR [IA_SANITIZE]}
ka=${2:?}
work=${3:?}
san=${4:-OFF}

command -v valgrind >/dev/null 2>&1 || { echo "skipped: valgrind is not installed"; exit 77; }
case $san in OFF|off|0|FALSE|false|NO|no|"") ;; *) echo "skipped: a sanitizer build ($san) does not run under valgrind"; exit 77 ;; esac
rm -rf "$work" && mkdir -p "$work" || exit 1
fail=0
n=0
# One capture per platform kind: Intel with ACS, AMD-Vi, Arm device tree with an ITS.
for c in x86-intel-acs x86-amd-iommu arm-dt-its-smmuv3; do
	arc="$ka/$c/run-6.12/snapshot.tar.gz"
	[ -f "$arc" ] || { echo "valgrind: $arc is missing"; fail=1; continue; }
	TMPDIR=$work valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect --log-file="$work/$c.vg" \
		"$bin" --snapshot "$arc" --format json --no-names --fail-on never --output "$work/$c.json" \
		2>"$work/$c.err"
	rc=$?
	# Errors and leaks are "==PID==" lines; "--PID--" notes (openat2 unknown to valgrind 3.19:
	# the tool then walks the root itself) are not findings.
	if [ "$rc" -ne 0 ] || grep -q '^==[0-9]*==' "$work/$c.vg" || [ ! -s "$work/$c.json" ]; then
		echo "valgrind: $c: exit $rc"
		grep '^==[0-9]*==' "$work/$c.vg" | head -40
		fail=1
	fi
	n=$((n + 1))
done
[ "$fail" -eq 0 ] && echo "valgrind: $n audits clean (no memory error, no definite or indirect leak)"
exit "$fail"
