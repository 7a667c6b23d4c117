#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package end to end (issue 15): build iommu-audit_<version>_<arch>.deb from a copy of
# the source tree, lintian it (errors and warnings fail), install it, check what it installed and
# its systemd units (systemd-analyze verify; security --offline scoring "OK" or better), run the
# installed service's ExecStart= lines as systemd would on a kernel known-answer capture
# (tests/package/check_unit.py), and remove it again.
#
# usage: deb.sh SOURCE_DIR SHARED_DIR WORK_DIR
# Installs with `dpkg -i` on the machine when running as root, the package is not installed yet and
# /var/lib/iommu-audit does not exist (CI: a throw-away machine); otherwise (or with
# IA_DEB_SCRATCH=1) unpacks it with `dpkg -x` into WORK_DIR/root and runs it from there.
# Building needs neither root nor fakeroot (debian/control: Rules-Requires-Root: no).
set -eu
src=$1 shared=$2 work=$3
case_dir=$shared/fixtures/kernel-known-answers/x86-intel-acs/run-6.12
capture=$case_dir/snapshot.tar.gz
groups=14   # what Linux 6.12 formed for x86-intel-acs (its README: "Decisions ..., 14 groups")
here=$(cd "$(dirname "$0")" && pwd)

fail() { echo "FAIL: $*" >&2; exit 1; }
t0=$(date +%s)
stage() { echo "== [$(($(date +%s) - t0)) s] $*" >&2; }
for t in dpkg-buildpackage dh lintian systemd-analyze python3 git; do
	command -v "$t" >/dev/null || fail "$t is not installed (./run.sh test installs debhelper, dpkg-dev, lintian, systemd)"
done
[ -f "$capture" ] || fail "no known-answer capture at $capture"

rm -rf "$work"
mkdir -p "$work/src"
# A copy of the tree (tracked and new files, not build/ nor anything .gitignore'd): dpkg-buildpackage
# writes ../*.deb and debian/ build directories, never into the source tree.
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$src" && git ls-files -z --cached --others --exclude-standard) |
		(cd "$src" && tar -cf - --null -T -) | tar -xf - -C "$work/src"
else
	(cd "$src" && tar -cf - --exclude=./build --exclude=./.git .) | tar -xf - -C "$work/src"
fi
version=$(sed -n 's/^project(iommu-audit VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg --print-architecture)
deb=$work/iommu-audit_${version}_${arch}.deb

stage "dpkg-buildpackage (version $version from CMakeLists.txt)"
(cd "$work/src" && DEB_BUILD_OPTIONS="parallel=2 nocheck noddebs" dpkg-buildpackage -us -uc -b) \
	>"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; fail "dpkg-buildpackage failed (log: $work/build.log)"; }
[ -f "$deb" ] || fail "dpkg-buildpackage made no $deb: $(ls "$work")"

stage "lintian $deb"
lintian --fail-on error,warning "$deb" >"$work/lintian.log" 2>&1 || { cat "$work/lintian.log" >&2; fail "lintian"; }
if grep -E '^[EW]: ' "$work/lintian.log" >&2; then fail "lintian reports errors or warnings"; fi
# libarchive and libxml2 are loaded with dlopen() (issue 18): shlibs cannot see them, debian/rules names them.
deps=$(dpkg-deb -f "$deb" Depends)
for lib in libarchive libxml2; do
	echo "$deps" | grep -Eq "(^|, )$lib[0-9a-z.+-]*( |,|$)" || fail "Depends ($deps) lacks the package of $lib, loaded with dlopen()"
done

mode=scratch
if [ "$(id -u)" -eq 0 ] && [ "${IA_DEB_SCRATCH:-0}" != 1 ] && [ ! -e /var/lib/iommu-audit ] &&
	! dpkg-query -W -f='${Status}' iommu-audit 2>/dev/null | grep -q "installed"; then
	mode=system
fi
dpkg_locked() { # dpkg -i/-r, waiting up to 2 minutes for another dpkg or apt to finish
	n=0
	until dpkg "$@" >"$work/dpkg.log" 2>&1; do
		grep -q "lock" "$work/dpkg.log" && [ $n -lt 60 ] || { cat "$work/dpkg.log" >&2; return 1; }
		n=$((n + 1)); sleep 2
	done
}
if [ $mode = system ]; then
	stage "dpkg -i (root on a machine without the package: installed for the test, then purged)"
	root=
	dpkg_locked -i "$deb" || fail "dpkg -i $deb"
	trap 'dpkg --purge iommu-audit >/dev/null 2>&1 || true' EXIT
	dpkg-query -W -f='${Status} ${Version}\n' iommu-audit | grep -qx "install ok installed $version" ||
		fail "dpkg says: $(dpkg-query -W -f='${Status} ${Version}' iommu-audit)"
else
	stage "dpkg -x into $work/root (not root, or the machine has the package or /var/lib/iommu-audit)"
	root=$work/root
	dpkg -x "$deb" "$root"
fi

stage "the installed files"
for f in /usr/sbin/iommu-audit /usr/share/man/man8/iommu-audit.8.gz /usr/share/man/man7/iommu-audit-rules.7.gz \
	/usr/share/iommu-audit/report.schema.json /usr/share/iommu-audit/groups.schema.json \
	/usr/share/iommu-audit/rules.schema.json /usr/share/doc/iommu-audit/examples/qualification-policy.json \
	/usr/share/bash-completion/completions/iommu-audit /lib/systemd/system/iommu-audit.service \
	/lib/systemd/system/iommu-audit.timer /etc/default/iommu-audit /usr/share/doc/iommu-audit/copyright; do
	[ -f "$root$f" ] || fail "the package does not install $f"
done
out=$("$root/usr/sbin/iommu-audit" --version) || fail "the installed binary does not run"
[ "$out" = "iommu-audit $version" ] || fail "the installed binary says \"$out\", the package is $version"
# both manual pages render without a warning
for p in man8/iommu-audit.8.gz man7/iommu-audit-rules.7.gz; do
	if command -v man >/dev/null; then
		w=$(MANWIDTH=80 man --warnings -l "$root/usr/share/man/$p" 2>&1 >/dev/null) || fail "man $p"
		[ -z "$w" ] || fail "$p renders with warnings: $w"
	fi
done
# the binary audits a known-answer capture: the kernel's 14 groups
"$root/usr/sbin/iommu-audit" --snapshot "$capture" --fail-on never --no-names >"$work/audit.txt" ||
	fail "the installed binary cannot audit $capture"
grep -q "groups" "$work/audit.txt" || fail "no group in the text report: $(head -5 "$work/audit.txt")"

stage "systemd-analyze verify and security"
units=$work/units
mkdir -p "$units"
for u in iommu-audit.service iommu-audit.timer; do
	# scratch: the binary's path inside the unpacked tree (verify checks that ExecStart= exists)
	sed "s|/usr/sbin/iommu-audit|$root/usr/sbin/iommu-audit|g" "$root/lib/systemd/system/$u" >"$units/$u"
done
MANPATH=$root/usr/share/man systemd-analyze verify "$units/iommu-audit.service" "$units/iommu-audit.timer" \
	>"$work/verify.log" 2>&1 || { cat "$work/verify.log" >&2; fail "systemd-analyze verify"; }
[ ! -s "$work/verify.log" ] || { cat "$work/verify.log" >&2; fail "systemd-analyze verify printed warnings"; }
systemd-analyze security --offline=true "$root/lib/systemd/system/iommu-audit.service" >"$work/security.log" 2>&1 || true
level=$(sed -n 's/.*Overall exposure level for iommu-audit.service: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p' "$work/security.log")
case $level in
*" PERFECT" | *" SAFE" | *" OK") echo "exposure $level" >&2 ;;
*) cat "$work/security.log" >&2; fail "systemd-analyze security --offline=true: \"$level\", expected OK or better" ;;
esac
for k in Type=oneshot ProtectSystem=strict ReadOnlyPaths=/ NoNewPrivileges=yes PrivateNetwork=yes \
	CapabilityBoundingSet=CAP_SYS_ADMIN StateDirectory= EnvironmentFile=-/etc/default/iommu-audit; do
	grep -q "^$k" "$root/lib/systemd/system/iommu-audit.service" || fail "iommu-audit.service has no $k"
done
for k in OnCalendar=daily OnBootSec= Persistent=true WantedBy=timers.target; do
	grep -q "^$k" "$root/lib/systemd/system/iommu-audit.timer" || fail "iommu-audit.timer has no $k"
done

stage "the service's ExecStart= lines on $capture"
env=$work/iommu-audit.env
# The installed environment file, with the capture as the source and every output directory it
# sets (NAME_DIR=) moved to a scratch directory of that name.
grep -q "^IOMMU_AUDIT_ARGS=" "$root/etc/default/iommu-audit" || fail "/etc/default/iommu-audit does not set IOMMU_AUDIT_ARGS"
grep -q "^NFD_FEATURES_DIR=" "$root/etc/default/iommu-audit" || fail "/etc/default/iommu-audit does not set NFD_FEATURES_DIR"
sed -e "s|^IOMMU_AUDIT_ARGS=.*|IOMMU_AUDIT_ARGS=\"--snapshot $capture\"|" -e "s|^\([A-Z_]*_DIR\)=.*|\1=$work/out/\1|" \
	"$root/etc/default/iommu-audit" >"$env"
for d in $(sed -n 's|^[A-Z_]*_DIR=||p' "$env"); do mkdir -p "$d"; done
prefix=
[ $mode = scratch ] && prefix="--prefix $root"
# shellcheck disable=SC2086
python3 "$here/check_unit.py" --unit "$root/lib/systemd/system/iommu-audit.service" --env "$env" \
	--groups $groups $prefix || fail "the service's outputs"

if [ $mode = system ]; then
	stage "dpkg -r, then --purge"
	dpkg_locked -r iommu-audit || fail "dpkg -r iommu-audit"
	[ ! -e /usr/sbin/iommu-audit ] || fail "dpkg -r left /usr/sbin/iommu-audit"
	[ -e /etc/default/iommu-audit ] || fail "dpkg -r removed the conffile /etc/default/iommu-audit (purge's job)"
	dpkg_locked --purge iommu-audit || fail "dpkg --purge iommu-audit"
	trap - EXIT
	[ ! -e /etc/default/iommu-audit ] || fail "dpkg --purge left /etc/default/iommu-audit"
	[ ! -e /var/lib/iommu-audit ] || fail "dpkg --purge left /var/lib/iommu-audit"
fi
rm -rf "$work"
echo "ok: $(basename "$deb") built, lintian-clean, installed ($mode), its service ran, removed" >&2
