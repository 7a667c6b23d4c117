#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Reports byte for byte against the ones committed in tests/golden/ (issue 16: a restructuring
# must not change a single line of any report).
#
#   reports.sh check    BIN GEN SOURCE_DIR SHARED_DIR WORKDIR   compare; exit 1 with a diff on change
#   reports.sh generate BIN GEN SOURCE_DIR SHARED_DIR WORKDIR   rewrite tests/golden/ (a deliberate change)
#
# Inputs: every kernel known-answer capture of the repository (tests/fixtures/kernel-known-answers)
# and of ../shared/fixtures/kernel-known-answers (skipped when absent), each unpacked once and
# audited with --root under a relative name so the report's "root" is the same everywhere; and the
# 4,096-function tree of the benchmark (ia-gen-tree --functions 4096, stored gzipped).
# Per capture: the text, JSON, JUnit, NFD and Prometheus reports (this one dated by
# SOURCE_DATE_EPOCH, without the measured iommu_audit_duration_seconds line), `groups`, `groups --predicted` and the `plan`
# of its first function (text and JSON); and a `diff` of two captures (text and JSON).
set -eu
# host.audited_at and the JUnit property audited_at are the time of the run: fixed here, so the
# reports stay byte for byte reproducible
SOURCE_DATE_EPOCH=0
export SOURCE_DATE_EPOCH
# The text reports wrap to $COLUMNS when not on a terminal: the golden ones to 80, whatever the caller's.
COLUMNS=80
export COLUMNS
mode=$1 bin=$2 gen=$3 src=$4 shared=$5 work=$6
golden=$src/tests/golden
case $mode in check|generate) ;; *) echo "usage: $0 check|generate BIN GEN SRC SHARED WORK" >&2; exit 2 ;; esac

if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	work=$(mktemp -d /dev/shm/ia-golden.XXXXXX)
else
	rm -rf "$work"; mkdir -p "$work"
fi
trap 'rm -rf "$work"' EXIT
out=$work/out
mkdir -p "$out"

# run_all ROOTNAME OUTPREFIX: every output of one tree (cwd is the tree's parent set).
run_all() {
	r=$1 p=$2
	mkdir -p "$(dirname "$p")"
	for f in text json junit nfd; do
		NO_COLOR=1 "$bin" --root "$r" --format "$f" --fail-on never --no-names >"$p.$f" 2>"$p.$f.err" || {
			echo "FAIL: $bin --root $r --format $f exited $?" >&2; cat "$p.$f.err" >&2; exit 1; }
		rm -f "$p.$f.err"
	done
	# Prometheus metrics, dated by SOURCE_DATE_EPOCH; the measured duration is the one line left out
	SOURCE_DATE_EPOCH=1700000000 "$bin" --root "$r" --format prometheus --fail-on never --no-names >"$p.prom.raw" \
		2>"$p.prom.err" || { echo "FAIL: $bin --root $r --format prometheus exited $?" >&2; cat "$p.prom.err" >&2; exit 1; }
	grep -v '^iommu_audit_duration_seconds ' "$p.prom.raw" >"$p.prom"
	rm -f "$p.prom.raw" "$p.prom.err"
	NO_COLOR=1 "$bin" groups --root "$r" --no-names >"$p.groups" 2>/dev/null || true
	NO_COLOR=1 "$bin" groups --predicted --root "$r" --no-names >"$p.predicted" 2>/dev/null || true
	# `plan` of the first function, both formats (the JSON through the one JSON writer)
	first=$(ls "$r/sys/bus/pci/devices" 2>/dev/null | head -n 1)
	if [ -n "$first" ]; then
		NO_COLOR=1 "$bin" plan "$first" --root "$r" >"$p.plan.text" 2>/dev/null || true
		NO_COLOR=1 "$bin" plan "$first" --root "$r" --format json >"$p.plan.json" 2>/dev/null || true
	fi
}

# captures SET KKA_DIR: unpack and audit every run-*/snapshot.tar.gz under KKA_DIR.
captures() {
	set_name=$1 kka=$2
	for s in "$kka"/*/run-*/snapshot.tar.gz; do
		[ -f "$s" ] || continue
		rel=${s#"$kka"/}; rel=${rel%/snapshot.tar.gz}   # CASE/run-X
		mkdir -p "$work/trees/$set_name/$rel"
		tar -xzf "$s" -C "$work/trees/$set_name/$rel"
		(cd "$work/trees/$set_name" && run_all "$rel" "$out/$set_name/$rel")
	done
}

captures repo "$src/tests/fixtures/kernel-known-answers"
have_shared=0
if [ -d "$shared/fixtures/kernel-known-answers" ]; then
	have_shared=1
	captures shared "$shared/fixtures/kernel-known-answers"
fi

# `diff` of two captures of the repository, both formats.
kr=$work/trees/repo
if [ -d "$kr/x86-intel-scn-a-nvme-vfio/run-6.12" ] && [ -d "$kr/x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12" ]; then
	mkdir -p "$out/repo/diff"
	for f in text json; do
		(cd "$kr" && "$bin" diff x86-intel-scn-a-nvme-vfio/run-6.12 x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12 \
			--format "$f" >"$out/repo/diff/scn-a-to-b.$f" 2>/dev/null) || true
	done
fi

# The benchmark's 4,096-function tree.
mkdir -p "$work/trees/gen"
"$gen" --functions 4096 "$work/trees/gen/bench-4096" >/dev/null
(cd "$work/trees/gen" && run_all bench-4096 "$out/gen/bench-4096")
for f in "$out"/gen/bench-4096.*; do gzip -n -9 "$f"; done

if [ "$mode" = generate ]; then
	[ "$have_shared" = 1 ] || { echo "generate needs $shared/fixtures" >&2; exit 2; }
	rm -rf "$golden/repo" "$golden/shared" "$golden/gen"
	cp -r "$out"/repo "$out"/shared "$out"/gen "$golden/"
	echo "wrote $(find "$golden" -type f ! -name '*.sh' ! -name '*.md' | wc -l) reports into $golden"
	exit 0
fi

fail=0 n=0
for sub in repo gen shared; do
	[ "$sub" = shared ] && [ "$have_shared" = 0 ] && { echo "skipped: shared captures (no $shared/fixtures)"; continue; }
	for want in $(cd "$golden/$sub" && find . -type f | sort); do
		n=$((n + 1))
		got=$out/$sub/$want
		if [ ! -f "$got" ]; then
			echo "MISSING $sub/$want"; fail=$((fail + 1)); continue
		fi
		if ! cmp -s "$golden/$sub/$want" "$got"; then
			fail=$((fail + 1))
			echo "CHANGED $sub/$want"
			case $want in
			*.gz) diff -u "$golden/$sub/$want" "$got" >/dev/null 2>&1 || \
				{ zcat "$golden/$sub/$want" >"$work/a"; zcat "$got" >"$work/b"; diff -u "$work/a" "$work/b" | head -40; } ;;
			*) diff -u "$golden/$sub/$want" "$got" | head -40 ;;
			esac
		fi
	done
	# an output that has no committed counterpart is a new capture: it needs `generate`
	for have in $(cd "$out/$sub" && find . -type f | sort); do
		[ -f "$golden/$sub/$have" ] || { echo "NEW $sub/$have (run: $0 generate ...)"; fail=$((fail + 1)); }
	done
done
echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
