#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Read-only guarantee: trace the live audit and the live snapshot with strace and fail on any open
# for writing, or any write-type system call, outside the output file or directory, stdout and
# stderr (SQLite works in memory: no journal or temp file may appear either).
#   tests/readonly.sh IOMMU_AUDIT WORKDIR      exit 0 pass, 1 fail, 77 skipped (no strace/ptrace)
set -u
bin=${1:?usage: tests/readonly.sh IOMMU_AUDIT WORKDIR}
work=${2:?usage: tests/readonly.sh IOMMU_AUDIT WORKDIR}

command -v strace >/dev/null 2>&1 || { echo "skipped: strace is not installed"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
work=$(cd "$work" && pwd)
if ! strace -f -o /dev/null true 2>"$work/probe.err"; then
	echo "skipped: strace cannot trace in this container: $(head -c 200 "$work/probe.err")"
	exit 77
fi

calls=open,openat,openat2,creat,write,pwrite64,writev,pwritev,pwritev2,unlink,unlinkat,rename,renameat,renameat2,mkdir,mkdirat,rmdir,symlink,symlinkat,link,linkat,truncate,ftruncate,chmod,fchmod,fchmodat,chown,fchown,fchownat,lchown,mknod,mknodat,setxattr,lsetxattr,fsetxattr,removexattr,utimensat,mount,umount2,init_module,finit_module,delete_module,sendfile,copy_file_range,splice,fallocate
fail=0
# LeakSanitizer cannot run under ptrace; the sanitizer suite checks leaks without strace.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS

# check NAME TRACE ALLOWED_PREFIX[|PREFIX...]: every write-type call in TRACE must target one of
# the prefixes (the output, and its temporary name beside it), fd 1 or fd 2; every open
# must be read-only unless it is of one of them.
check() {
	name=$1 trace=$2 allowed=$3
	# strace -y prints paths in <...> after each descriptor; -f prefixes the pid.
	awk -v allowed="$allowed" -v name="$name" '
	function bad(why) { if (n++ < 20) printf "%s: %s: %s\n", name, why, $0 }
	function ok(p,   k, i) { k = split(allowed, pre, "|"); for (i = 1; i <= k; i++) if (index(p, pre[i]) == 1) return 1; return 0 }
	function inline(l,   k, i) { k = split(allowed, pre, "|"); for (i = 1; i <= k; i++) if (index(l, "<" pre[i]) > 0) return 1; return 0 }
	/ = -1 E/ { next }                       # failed calls changed nothing
	/^[0-9]+ +(\+\+\+|---)/ { next }
	{
		line = $0
		sub(/^[0-9]+ +/, "", line)
		call = line; sub(/\(.*/, "", call)
		if (call ~ /^(open|openat|openat2|creat)$/) {
			w = (call == "creat") || line ~ /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/
			if (!w)
				next
			# -y names the file the returned descriptor opened: " = 5</path>"
			path = ""
			if (match(line, / = [0-9]+<[^>]*>/)) { path = substr(line, RSTART, RLENGTH); sub(/^ = [0-9]+</, "", path); sub(/>$/, "", path) }
			if (!ok(path) && path !~ /^\/dev\/(null|tty)$/)
				bad("opened for writing outside the output")
			next
		}
		if (call ~ /^(write|pwrite64|writev|pwritev|pwritev2|ftruncate|fchmod|fchown|fsetxattr|sendfile|copy_file_range|splice|fallocate)$/) {
			fd = line; sub(/^[a-z0-9_]+\(/, "", fd)
			if (fd ~ /^[12]</) next          # stdout, stderr
			target = fd; sub(/^[0-9]+</, "", target); sub(/>.*/, "", target)
			if (ok(target)) next
			if (target ~ /^pipe:|^\/dev\/(null|pts\/)/) next  # the shell around us
			bad("wrote outside the output")
			next
		}
		# path calls: the last quoted string is the path acted on (symlinkat and renameat name
		# theirs last); absolute, it must lie in the output; relative, its directory must.
		p = ""; rest = line
		while (match(rest, /"[^"]*"/)) { p = substr(rest, RSTART + 1, RLENGTH - 2); rest = substr(rest, RSTART + RLENGTH) }
		if (p ~ /^\// && ok(p)) next
		if (p !~ /^\// && inline(line)) next
		bad("changed the filesystem outside the output")
	}
	END { exit n > 0 }' "$trace"
}

# 1. The live audit, JSON to a file.
strace -f -qq -y -e trace="$calls" -o "$work/audit.trace" \
	"$bin" --format json --output "$work/report.json" --fail-on never >"$work/audit.out" 2>"$work/audit.err"
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "readonly: the live audit exited $rc: $(head -c 500 "$work/audit.err")"
	fail=1
fi
[ -s "$work/report.json" ] || { echo "readonly: the live audit wrote no report"; fail=1; }
check audit "$work/audit.trace" "$work/report.json|$work/.report.json." || fail=1

# 2. The live snapshot into a directory, and into an archive.
strace -f -qq -y -e trace="$calls" -o "$work/snapdir.trace" \
	"$bin" snapshot --output "$work/snap" >"$work/snapdir.out" 2>"$work/snapdir.err"
rc=$?
[ "$rc" -eq 0 ] || { echo "readonly: snapshot into a directory exited $rc: $(tail -c 500 "$work/snapdir.err")"; fail=1; }
check snapshot-dir "$work/snapdir.trace" "$work/snap|$work/.snap." || fail=1
strace -f -qq -y -e trace="$calls" -o "$work/snaptgz.trace" \
	"$bin" snapshot --output "$work/snap.tar.gz" >"$work/snaptgz.out" 2>"$work/snaptgz.err"
rc=$?
[ "$rc" -eq 0 ] || { echo "readonly: snapshot into an archive exited $rc: $(tail -c 500 "$work/snaptgz.err")"; fail=1; }
check snapshot-archive "$work/snaptgz.trace" "$work/snap.tar.gz|$work/.snap.tar.gz." || fail=1

# 3. The traces saw the calls at all (a filter that matched nothing would pass vacuously).
grep -q 'openat' "$work/audit.trace" || { echo "readonly: the audit trace holds no openat"; fail=1; }
grep -q 'write(' "$work/audit.trace" || { echo "readonly: the audit trace holds no write"; fail=1; }
grep -q 'mkdir' "$work/snapdir.trace" || { echo "readonly: the snapshot trace holds no mkdir"; fail=1; }

# 4. The checker catches what it must: a traced shell that creates a file beside the output.
strace -f -qq -y -e trace="$calls" -o "$work/canary.trace" sh -c ': >"$1"' sh "$work/canary"
if check canary "$work/canary.trace" "$work/report.json" >/dev/null; then
	echo "readonly: the checker missed a file created outside the output"
	fail=1
fi

[ "$fail" -eq 0 ] && echo "readonly: no write outside the outputs ($(wc -l <"$work/audit.trace") + $(wc -l <"$work/snapdir.trace") + $(wc -l <"$work/snaptgz.trace") traced calls)"
exit "$fail"
