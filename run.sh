#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Set up, build and run iommu-audit on a fresh Debian machine:
#   ./run.sh audit [iommu-audit options]   build, then audit the machine this runs on
#   ./run.sh test                          build with warnings as errors, then run the whole test suite
#   ./run.sh deb                           build the Debian package: build/deb/iommu-audit_<version>_<arch>.deb
# Missing Debian packages are installed with apt-get when running as root; otherwise the exact
# apt-get line is printed and the script stops.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(build-essential cmake ninja-build pkg-config libpci-dev pciutils pci.ids libsqlite3-dev
          libfdt-dev device-tree-compiler acpica-tools libjansson-dev libyajl-dev libarchive-dev
          zlib1g-dev libxml2-dev)
# For `./run.sh deb`, and for the test that builds, lintians and installs the package (tests/package/deb.sh):
# debhelper (dh, compat 13), dpkg-dev (dpkg-buildpackage), fakeroot, lintian, systemd (systemd-analyze).
DEB_PACKAGES=(debhelper dpkg-dev fakeroot lintian systemd)
# Only for `./run.sh test`: unit tests, sanitizers, fuzz smoke, read-only tracing, report validation,
# Prometheus metrics (promtool, node_exporter).
TEST_PACKAGES=(libcmocka-dev clang libclang-rt-14-dev strace valgrind libxml2-utils python3
               python3-jsonschema man-db groff-base prometheus prometheus-node-exporter "${DEB_PACKAGES[@]}")

ensure_packages() {
	local missing=()
	for p in "${PACKAGES[@]}" "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "iommu-audit needs these Debian packages; install them as root with:" >&2
		echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
		exit 2
	fi
	echo "installing: ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq "${missing[@]}" >&2
}

cmd=${1:-}
[ -n "$cmd" ] && shift
case "$cmd" in
audit)
	ensure_packages
	cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DIA_TESTS=OFF >/dev/null
	cmake --build build/release >&2
	exec build/release/iommu-audit "$@"
	;;
test)
	ensure_packages "${TEST_PACKAGES[@]}"
	cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIA_WERROR=ON -DIA_TESTS=ON >/dev/null
	cmake --build build/test
	(cd build/test && ctest --output-on-failure -j2 "$@")
	# Hostile input (issue 6): the whole suite again under ASan+UBSan, then a bounded fuzz smoke
	# of every harness with the regression inputs replayed (tools/fuzz.sh, docs/fuzzing.md).
	echo "== the suite under AddressSanitizer and UndefinedBehaviorSanitizer (build/asan)" >&2
	cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIA_WERROR=ON -DIA_TESTS=ON \
		-DIA_SANITIZE=address,undefined >/dev/null
	cmake --build build/asan
	(cd build/asan && ctest --output-on-failure -j2 "$@")
	echo "== fuzz smoke: ${IA_FUZZ_SECONDS:-20} s per harness (build/fuzz)" >&2
	IA_FUZZ_BUILD=build/fuzz IA_FUZZ_JOBS=2 tools/fuzz.sh "${IA_FUZZ_SECONDS:-20}"
	;;
deb)
	ensure_packages "${DEB_PACKAGES[@]}"
	# From a copy of the tree (tracked and new files, nothing ignored): dpkg-buildpackage writes
	# ../*.deb and debian/ build directories, so it never runs in the checkout itself.
	rm -rf build/deb
	mkdir -p build/deb/src
	if git rev-parse --git-dir >/dev/null 2>&1; then
		git ls-files -z --cached --others --exclude-standard | tar -cf - --null -T - | tar -xf - -C build/deb/src
	else # an unpacked source archive
		tar -cf - --exclude=./build --exclude=./.git . | tar -xf - -C build/deb/src
	fi
	(cd build/deb/src && DEB_BUILD_OPTIONS="parallel=$(nproc) nocheck ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b) >&2
	lintian --fail-on error,warning build/deb/iommu-audit_*.deb >&2
	ls build/deb/iommu-audit_*.deb
	;;
*)
	echo "usage: $0 audit [iommu-audit options] | $0 test [ctest options] | $0 deb" >&2
	exit 2
	;;
esac
