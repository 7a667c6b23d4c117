#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark iommu-audit on synthetic captured hosts of growing size (docs/benchmark.md).
#
#   tools/bench.sh [--sizes 256,1024,4096,16384] [--runs 5] [--loop-max 1024] [--trees DIR] [--build DIR] [--snapshot]
#   tools/bench.sh --live [--runs 21] [--build DIR]
#
# Builds a Release tree (default build-bench-release/) when needed, writes one tree per size with
# ia-gen-tree (kept in --trees, default <build>/bench-trees, regenerated when the generator changes),
# then times, alternating in each round: the audit (iommu-audit --root T --format json), the raw
# config floor (cat T/sys/bus/pci/devices/*/config), lspci -vvv on the same tree, and the Arch-wiki
# shell loop over sys/kernel/iommu_groups calling lspci -nns per device (only up to --loop-max
# functions: it re-scans the whole tree per device, quadratic). Prints a markdown table of
# medians (wall and CPU), ratios, the audit's peak RSS and its growth from one size to the next,
# then the audit's phases at the largest size (collect, load and rules, JSON report), then the start:
# an audit of an empty tree and of one with only proc/config.gz, in milliseconds.
#
# --snapshot also captures each tree into T.tar.gz (`iommu-audit snapshot`, kept beside the tree)
# and times, in the same rounds, `iommu-audit --snapshot T.tar.gz --format json` (the archive
# replayed from memory, issue 18 item 3), printed as a second table against the --root audit.
#
# --live measures the running host instead (issue 18): as root, alternating in each round, the
# audit (--format json), `lspci -vvv` and `lspci -xxxx`, each timed with a nanosecond clock; then
# the config bytes each reads per function (the audit's own count, pci_function.config_read; lspci's
# from strace: the bytes its pread()s of the sysfs config files returned). On a live host each
# config dword is a hardware access (a trap to the hypervisor in a VM).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
sizes=256,1024,4096,16384
runs=5
loop_max=1024
build=$repo/build-bench-release
trees=
live=
snapshot=

while [ $# -gt 0 ]; do
	case $1 in
	--sizes) sizes=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--loop-max) loop_max=$2; shift 2 ;;
	--trees) trees=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--live) live=1; [ "$runs" = 5 ] && runs=21; shift ;;
	--snapshot) snapshot=1; shift ;;
	-h|--help) sed -n '3,25p' "$0"; exit 0 ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
trees=${trees:-$build/bench-trees}

if [ -n "$live" ]; then
	[ "$(id -u)" = 0 ] || { echo "bench.sh --live: run as root (config space past 64 bytes needs CAP_SYS_ADMIN)" >&2; exit 2; }
	command -v lspci >/dev/null && command -v strace >/dev/null && command -v sqlite3 >/dev/null ||
		{ echo "bench.sh --live: lspci, strace and sqlite3 are needed" >&2; exit 2; }
	if [ ! -x "$build/iommu-audit" ]; then
		cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DIA_TESTS=OFF >/dev/null
	fi
	cmake --build "$build" --target iommu-audit >/dev/null
	audit=$build/iommu-audit
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $(((t1 - t0) / 1000)); }
	for ((r = 1; r <= runs; r++)); do
		ms "$audit" --format json >>"$work/audit"
		ms lspci -vvv >>"$work/vvv"
		ms lspci -xxxx >>"$work/xxxx"
	done
	med() { sort -n "$1" | awk '{v[NR]=$1} END {printf "%.1f", (NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2) / 1000}'; }
	"$audit" collect --db "$work/live.db"
	nfn=$(sqlite3 "$work/live.db" "SELECT count(*) FROM pci_function")
	abytes=$(sqlite3 "$work/live.db" "SELECT sum(config_read) FROM pci_function")
	areadable=$(sqlite3 "$work/live.db" "SELECT sum(config_bytes) FROM pci_function")
	# lspci's config bytes: what its pread()s of .../config returned (strace -y names the file).
	lbytes() { strace -f -y -e trace=pread64 -o "$work/strace" lspci "$1" >/dev/null 2>&1 || true
		   sed -n 's/^[0-9]* *pread64([0-9]*<[^>]*\/config>.*= \([0-9]*\)$/\1/p' "$work/strace" | awk '{s += $1} END {print s + 0}'; }
	vb=$(lbytes -vvv); xb=$(lbytes -xxxx)
	ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
	am=$(med "$work/audit"); vm=$(med "$work/vvv"); xm=$(med "$work/xxxx")
	echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r), $nfn PCI functions ($areadable config bytes readable)"
	echo "Medians of $runs alternating runs, wall milliseconds."
	echo
	echo "| live host | wall ms | vs lspci -vvv | config bytes read | per function |"
	echo "|---|---:|---:|---:|---:|"
	printf '| iommu-audit --format json | %s | %s | %s | %s |\n' "$am" "$(ratio "$am" "$vm")" "$abytes" "$(ratio "$abytes" "$nfn")"
	printf '| lspci -vvv | %s | 1.00 | %s | %s |\n' "$vm" "$vb" "$(ratio "$vb" "$nfn")"
	printf '| lspci -xxxx | %s | %s | %s | %s |\n' "$xm" "$(ratio "$xm" "$vm")" "$xb" "$(ratio "$xb" "$nfn")"
	exit 0
fi
command -v lspci >/dev/null || { echo "bench.sh: lspci (pciutils) is needed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench.sh: /usr/bin/time (package time) is needed" >&2; exit 2; }

if [ ! -x "$build/iommu-audit" ] || [ ! -x "$build/tools/ia-gen-tree" ]; then
	cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DIA_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target iommu-audit ia-gen-tree ia-start-floor >/dev/null
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
		rm -f "$t.tar.gz"
	fi
	if [ -n "$snapshot" ] && [ ! -f "$t.tar.gz" ]; then
		echo "capturing $t into $t.tar.gz" >&2
		"$audit" snapshot --root "$t" --output "$t.tar.gz" >&2
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
		if [ -n "$snapshot" ]; then
			timed "$work/snap.$n" "$audit" --snapshot "$t.tar.gz" --format json
		fi
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
if [ -n "$snapshot" ]; then
	echo
	echo "| functions | archive MiB | --root wall | --snapshot wall | snapshot/root | --root CPU | --snapshot CPU | --snapshot peak RSS MiB |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
	for n in "${size_list[@]}"; do
		aw=$(col "$work/audit.$n" 1); sw=$(col "$work/snap.$n" 1)
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" \
			"$(awk -v b="$(stat -c %s "$trees/$n.tar.gz")" 'BEGIN { printf "%.1f", b / 1048576 }')" \
			"$aw" "$sw" "$(ratio "$sw" "$aw")" "$(cpu "$work/audit.$n")" "$(cpu "$work/snap.$n")" \
			"$(awk -v k="$(col "$work/snap.$n" 4)" 'BEGIN { printf "%.1f", k / 1024 }')"
	done
fi

# Start (issue 18 item 2): an audit of an empty tree, and of one holding only the host's
# proc/config.gz (when readable), alternating, 10 runs per --runs (at least 21), each timed with
# bash's $EPOCHREALTIME (microseconds, no process of its own: /usr/bin/time's 10 ms cannot time it).
mkdir -p "$work/start-empty" "$work/start-config/proc"
cat /proc/config.gz >"$work/start-config/proc/config.gz" 2>/dev/null || rm -rf "$work/start-config"
srun=$((runs * 10 < 21 ? 21 : runs * 10))
us() { local t0=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || true; local t1=$EPOCHREALTIME; echo $(( ${t1/./} - ${t0/./} )); }
# What every audit pays before it reads a file, timed in the same series (tools/start-floor.c): a
# process linked with the audit's libraries, the same opening the fact database, and /bin/true.
floor=$build/tools/ia-start-floor
needed() { readelf -d "$1" 2>/dev/null | grep NEEDED; }
[ "$(needed "$floor")" = "$(needed "$audit")" ] ||
	echo "bench.sh: ia-start-floor and iommu-audit link different libraries: the floor below is not the audit's" >&2
for ((r = 1; r <= srun; r++)); do
	us "$audit" --root "$work/start-empty" --format json >>"$work/s_empty"
	[ -d "$work/start-config" ] && us "$audit" --root "$work/start-config" --format json >>"$work/s_config"
	us /bin/true >>"$work/s_true"
	us "$floor" >>"$work/s_link"
	us "$floor" db >>"$work/s_db"
done
sms() { [ -f "$1" ] && median <"$1" | awk '{ printf "%.2f", $1 / 1000 }' || echo "-"; }
echo
echo "Start: audit of an empty tree $(sms "$work/s_empty") ms; of a tree with only proc/config.gz" \
     "$(sms "$work/s_config") ms (wall, medians of $srun alternating runs; target: at most 4 ms)"
echo "Start floor (the same series): /bin/true $(sms "$work/s_true") ms; a process with the audit's libraries" \
     "$(sms "$work/s_link") ms; the same opening the fact database $(sms "$work/s_db") ms"

