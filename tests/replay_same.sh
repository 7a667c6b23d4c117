#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --snapshot served from memory (issue 18 item 3) gives the reports --root of the same tree unpacked
# gives, byte for byte: every kernel known-answer capture of the repository and of ../shared, in
# the text, JSON, JUnit and NFD formats, and `groups`; and `diff` of two archives against `diff` of
# the two trees. $TMPDIR names a directory that does not
# exist: the replay writes nothing (the unpacker it replaced needed a directory there).
#   tests/replay_same.sh IOMMU_AUDIT SOURCE_DIR SHARED_DIR WORKDIR      exit 0 pass, 1 fail
set -u
bin=${1:?usage} src=${2:?usage} shared=${3:?usage} work=${4:?usage}
rm -rf "$work" && mkdir -p "$work" || exit 1
work=$(cd "$work" && pwd)
COLUMNS=80 SOURCE_DATE_EPOCH=0 NO_COLOR=1
export COLUMNS SOURCE_DATE_EPOCH NO_COLOR
fail=0 n=0

# out OPTION DIR: every report of DIR/cap (the tree, or the archive), run in DIR so both are named
# "cap" in the reports, into DIR/r.FORMAT
out() {
	opt=$1 d=$2
	for f in text json junit nfd; do
		(cd "$d" && TMPDIR=$work/absent "$bin" "$opt" cap --format "$f" --fail-on never --no-names >"r.$f" 2>&1
		 echo "exit $?" >>"r.$f")
	done
	(cd "$d" && TMPDIR=$work/absent "$bin" groups "$opt" cap --no-names >r.groups 2>&1; echo "exit $?" >>r.groups)
}

for s in "$src"/tests/fixtures/kernel-known-answers/*/run-*/snapshot.tar.gz \
	 "$shared"/fixtures/kernel-known-answers/*/run-*/snapshot.tar.gz; do
	[ -f "$s" ] || continue
	n=$((n + 1))
	rm -rf "$work/a" "$work/b" && mkdir -p "$work/a/cap" "$work/b"
	tar -xzf "$s" -C "$work/a/cap" || { echo "FAIL: cannot unpack $s"; fail=$((fail + 1)); continue; }
	cp "$s" "$work/b/cap"
	out --root "$work/a"
	out --snapshot "$work/b"
	for f in text json junit nfd groups; do
		if ! cmp -s "$work/a/r.$f" "$work/b/r.$f"; then
			echo "DIFFERENT: $s ($f): --root of the unpacked tree, then --snapshot"
			diff -u "$work/a/r.$f" "$work/b/r.$f" | head -20
			fail=$((fail + 1))
		fi
	done
done
[ "$n" -gt 0 ] || { echo "FAIL: no known-answer capture found under $src"; exit 1; }

# `diff` of two archives (both replayed from memory) against `diff` of the two trees unpacked
k=$src/tests/fixtures/kernel-known-answers
rm -rf "$work/a" "$work/b" && mkdir -p "$work/a/one" "$work/a/two" "$work/b"
tar -xzf "$k/x86-intel-scn-a-nvme-vfio/run-6.12/snapshot.tar.gz" -C "$work/a/one" &&
	tar -xzf "$k/x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12/snapshot.tar.gz" -C "$work/a/two" &&
	cp "$k/x86-intel-scn-a-nvme-vfio/run-6.12/snapshot.tar.gz" "$work/b/one" &&
	cp "$k/x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12/snapshot.tar.gz" "$work/b/two" || exit 1
for f in text json; do
	for d in a b; do
		(cd "$work/$d" && TMPDIR=$work/absent "$bin" diff one two --format "$f" >"r.diff.$f" 2>&1; echo "exit $?" >>"r.diff.$f")
	done
	if ! cmp -s "$work/a/r.diff.$f" "$work/b/r.diff.$f"; then
		echo "DIFFERENT: diff of two archives ($f), against diff of the two trees"
		diff -u "$work/a/r.diff.$f" "$work/b/r.diff.$f" | head -20
		fail=$((fail + 1))
	fi
done
grep -q "^exit 1$\|^exit 0$" "$work/b/r.diff.text" || { echo "FAIL: diff of two archives: $(tail -3 "$work/b/r.diff.text")"; fail=$((fail + 1)); }
echo "$n captures compared, $fail differences"
[ "$fail" -eq 0 ]
