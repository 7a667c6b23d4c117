#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark iommu-audit on synthetic captured hosts of growing size (docs/benchmark.md).
#
#   tools/bench.sh [--sizes 256,1024,4096,16384] [--runs 5] [--loop-max 1024] [--trees DIR] [--build DIR]
#
# Builds a Release tree (default build-bench-release/) when needed, writes one tree per size with
# ia-gen-tree (kept in --trees, default <build>/bench-trees, regenerated when the generator changes),
# then times, alternating in each round: the audit (iommu-audit --root T --format json), the raw
# config floor (cat T/sys/bus/pci/devices/*/config), lspci -vvv on the same tree, and the Arch-wiki
# shell loop over sys/kernel/iommu_groups calling lspci -nns per device (only up to --loop-max
# functions: it re-scans the whole tree per device, quadratic). Prints a markdown table of
# medians (wall and CPU), ratios, the audit's peak RSS and its growth from one size to the next,
# then the audit's phases at the largest size (collect, load and rules, JSON report).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
sizes=256,1024,4096,16384
runs=5
loop_max=1024
build=$repo/build-bench-release
trees=

while [ $# -gt 0 ]; do
	case $1 in
	--sizes) sizes=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--loop-max) loop_max=$2; shift 2 ;;
	--trees) trees=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	-h|--help) sed -n '3,14p' "$0"; exit 0 ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
trees=${trees:-$build/bench-trees}
command -v lspci >/dev/null || { echo "bench.sh: lspci (pciutils) is needed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench.sh: /usr/bin/time (package time) is needed" >&2; exit 2; }

if [ ! -x "$build/iommu-audit" ] || [ ! -x "$build/tools/ia-gen-tree" ]; then
	cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DIA_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target iommu-audit ia-gen-tree >/dev/null
audit=$build/iommu-audit
gen=$build/tools/ia-gen-tree
stamp=$(sha256sum "$repo/tools/gen-tree.c" | cut -c1-16)

mkdir -p "$trees"
IFS=, read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
	t=$trees/$n
	if [ ! -f "$t.stamp" ] || [ "$(cat "$t.stamp")" != "$stamp" ]; then
		rm -rf "$t" "$t.stamp"
		echo "generating $n functions in $t" >&2
		"$gen" --functions "$n" "$t" >&2
		echo "$stamp" >"$t.stamp"
	fi
done

# The Arch-wiki script (wiki.archlinux.org/title/PCI_passthrough_via_OVMF, "Ensuring that the
# groups are valid"), pointed at the tree: lspci reads the tree's sysfs instead of the host's.
arch_loop() {
	local root=$1 g d
	shopt -s nullglob
	for g in $(find "$root"/sys/kernel/iommu_groups/* -maxdepth 0 -type d | sort -V); do
		echo "IOMMU Group ${g##*/}:"
		for d in "$g"/devices/*; do
			echo -e "\t$(lspci -A linux-sysfs -O sysfs.path="$root"/sys/bus/pci -nns "${d##*/}")"
		done
	done
}
export -f arch_loop

# One timed run: appends "wall user sys maxrss_kib" to the file $1. GNU time also writes "Command
# exited with non-zero status N" into its output file (the audit exits 1 when it finds errors), so
# the measurement line is tagged and only tagged lines are kept.
timed() {
	local out=$1 tmp
	shift
	tmp=$(mktemp)
	/usr/bin/time -f 'IA-TIME %e %U %S %M' -o "$tmp" "$@" >/dev/null 2>/dev/null || true
	sed -n 's/^IA-TIME //p' "$tmp" >> "$out"
	rm -f "$tmp"
}

median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in "${size_list[@]}"; do
	t=$trees/$n
	for ((r = 1; r <= runs; r++)); do
		timed "$work/audit.$n" "$audit" --root "$t" --format json
		timed "$work/cat.$n" bash -c 'cat "$1"/sys/bus/pci/devices/*/config' _ "$t"
		timed "$work/lspci.$n" lspci -A linux-sysfs -O sysfs.path="$t/sys/bus/pci" -vvv
		if [ "$n" -le "$loop_max" ] && [ "$r" -le 3 ]; then
			timed "$work/loop.$n" bash -c 'arch_loop "$1"' _ "$t"
		fi
	done
done

# Where the time goes, at the largest size: the phases as separate runs of the same binary.
# collect = `collect --db` (sysfs and firmware into SQLite, plus writing the file); load+rules =
# `--from-db --format nfd` (the facts read back, every rule, a few lines of output); the JSON
# report = `--from-db --format json` minus that.
big=${size_list[${#size_list[@]}-1]}
for ((r = 1; r <= runs; r++)); do
	rm -f "$work/phase.db"
	timed "$work/p_collect" "$audit" collect --root "$trees/$big" --db "$work/phase.db"
	timed "$work/p_nfd" "$audit" --from-db "$work/phase.db" --format nfd
	timed "$work/p_json" "$audit" --from-db "$work/phase.db" --format json
done

col() { [ -f "$1" ] && awk -v c="$2" '{print $c}' "$1" | median || echo nan; }
cpu() { [ -f "$1" ] && awk '{print $2 + $3}' "$1" | median || echo nan; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "-"; else printf "%.2f", a / b }'; }

echo
echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Medians of $runs alternating runs (shell loop: up to 3 runs, sizes <= $loop_max). Wall seconds; CPU = user+sys seconds."
echo
echo "| functions | audit wall | audit CPU | cat floor wall | lspci -vvv wall | shell loop wall | audit/cat | audit/lspci | loop/audit | audit peak RSS MiB | audit growth |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
prev=
for n in "${size_list[@]}"; do
	aw=$(col "$work/audit.$n" 1)
	ac=$(cpu "$work/audit.$n")
	cw=$(col "$work/cat.$n" 1)
	lw=$(col "$work/lspci.$n" 1)
	sw=$(col "$work/loop.$n" 1)
	rss=$(col "$work/audit.$n" 4)
	growth=-
	[ -n "$prev" ] && growth="$(ratio "$aw" "$prev")x"
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$aw" "$ac" "$cw" "$lw" \
		"$([ "$sw" = nan ] && echo - || echo "$sw")" "$(ratio "$aw" "$cw")" "$(ratio "$aw" "$lw")" \
		"$(ratio "$sw" "$aw")" "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" "$growth"
	prev=$aw
done
echo
pc=$(col "$work/p_collect" 1); pn=$(col "$work/p_nfd" 1); pj=$(col "$work/p_json" 1)
echo "Phases at $big functions (separate runs, medians, wall s): collect --db $pc; --from-db load+rules (nfd) $pn;" \
     "--from-db with the JSON report $pj (report alone $(awk -v a="$pj" -v b="$pn" 'BEGIN { printf "%.2f", a - b }'))"
