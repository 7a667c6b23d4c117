#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the libFuzzer harnesses (clang, ASan+UBSan), run each for SECONDS with the seed corpora made
# from the fixtures, then replay every regression input. Any crash, leak, timeout or broken
# invariant fails the script; crashing inputs are left in BUILD/artifacts/<harness>/.
#   tools/fuzz.sh [SECONDS]            default 60 seconds per harness
# Environment: IA_FUZZ_BUILD (build dir, default build/fuzz), IA_FUZZ_JOBS (harnesses run at once,
# default 2), IA_FUZZ_ONLY (space-separated harness names, default all), IA_FUZZ_ARGS (extra
# libFuzzer flags). Runs of disjoint IA_FUZZ_ONLY sets may overlap once the build is done. The corpus grows in BUILD/corpus/<harness>/ across runs; a summary line per
# harness (seconds it ran, CPU seconds, executions, cov, ft, corpus size, exit status) goes to BUILD/fuzz-runs.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
secs=${1:-60}
build=${IA_FUZZ_BUILD:-build/fuzz}
jobs=${IA_FUZZ_JOBS:-2}

command -v clang >/dev/null || { echo "tools/fuzz.sh: clang is needed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
if ! out=$(CC=clang cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIA_TESTS=OFF -DIA_WERROR=ON \
	-DIA_FUZZ=ON 2>&1 && cmake --build "$build" 2>&1); then
	printf '%s\n' "$out" | tail -40 >&2
	echo "tools/fuzz.sh: the fuzz build failed" >&2
	exit 1
fi
build=$(cd "$build" && pwd)

harnesses=${IA_FUZZ_ONLY:-$(cd "$build/fuzz" && ls fuzz_* 2>/dev/null | sed 's/^fuzz_//' | sort | tr '\n' ' ')}
[ -n "$harnesses" ] || { echo "tools/fuzz.sh: no harness was built" >&2; exit 1; }

# Scratch for the archive harness's unpacking (tmpfs when there is one); removed on exit.
scratch_base=/dev/shm
[ -d "$scratch_base" ] && [ -w "$scratch_base" ] || scratch_base=$build
scratch=$(mktemp -d "$scratch_base/ia-fuzz-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export TMPDIR=$scratch

# The seeds are made per run, in the scratch directory, so that runs of disjoint harnesses
# (IA_FUZZ_ONLY) may go on at the same time without removing each other's seeds.
seeds=$scratch/seeds
/usr/bin/python3 fuzz/seeds.py "$seeds" >/dev/null

# run_one HARNESS: fuzz for $secs seconds; exit status of libFuzzer.
run_one() {
	local h=$1 log="$build/logs/$1.log" rc=0
	mkdir -p "$build/corpus/$h" "$build/artifacts/$h" "$build/logs"
	local dirs=("$build/corpus/$h")
	[ -d "$seeds/$h" ] && dirs+=("$seeds/$h")
	[ -d "$src/fuzz/regressions/$h" ] && dirs+=("$src/fuzz/regressions/$h")
	local t0
	t0=$(date +%s)
	# CPU seconds (user + system) as well as wall seconds: on a shared machine (nice, other jobs)
	# the two differ, and the depth of a run is its CPU time.
	local TIMEFORMAT='%U %S'
	# shellcheck disable=SC2086
	{ time "$build/fuzz/fuzz_$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$build/artifacts/$h/" ${IA_FUZZ_ARGS:-} \
		"${dirs[@]}" >"$log" 2>&1; } 2>"$build/logs/$h.time" || rc=$?
	local cpu
	cpu=$(awk '{ printf "%d", $1 + $2 }' "$build/logs/$h.time" 2>/dev/null || true)
	local execs cov ft corp
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	corp=$(find "$build/corpus/$h" -type f | wc -l)
	printf '%s harness=%s seconds=%s cpu=%s execs=%s cov=%s ft=%s corpus=%s rc=%s\n' "$(date -u +%FT%TZ)" \
		"$h" "$(($(date +%s) - t0))" "${cpu:-?}" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$corp" "$rc" | tee -a "$build/fuzz-runs.txt"
	if [ "$rc" -ne 0 ]; then
		echo "tools/fuzz.sh: fuzz_$h failed; log $log, inputs in $build/artifacts/$h/:" >&2
		grep -E 'ERROR|SUMMARY|invariant|Test unit written' "$log" | head -20 >&2 || true
	fi
	return "$rc"
}

failed=0
pids=()
names=()
for h in $harnesses; do
	run_one "$h" &
	pids+=($!)
	names+=("$h")
	if [ ${#pids[@]} -ge "$jobs" ]; then
		wait "${pids[0]}" || failed=1
		pids=("${pids[@]:1}")
		names=("${names[@]:1}")
	fi
done
for p in "${pids[@]}"; do
	wait "$p" || failed=1
done

# Every regression input, once, in the instrumented build.
for h in $harnesses; do
	d=$src/fuzz/regressions/$h
	[ -d "$d" ] || continue
	if ! "$build/fuzz/fuzz_$h" -runs=0 "$d" >"$build/logs/$h.replay.log" 2>&1; then
		echo "tools/fuzz.sh: a regression input of $h fails again; see $build/logs/$h.replay.log" >&2
		failed=1
	fi
done
[ "$failed" -eq 0 ] && echo "tools/fuzz.sh: all harnesses ran ${secs}s without a finding; regressions replayed"
exit "$failed"
