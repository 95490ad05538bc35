#!/bin/sh
# The arm64 cross build (issue 13): configure and build cbdiag for aarch64
# with Debian's cross toolchain and :arm64 development packages, check the
# result is an aarch64 executable, and, where qemu-user is installed, run it
# and the compiled unit tests under qemu-aarch64.
#
#   cross-build.sh SOURCE_DIR BUILD_DIR [--build-only]
#
# --build-only (the cbdiag-bundles target): configure and build, no tests.
# Exits 77 (skipped) without the cross compiler or the :arm64 libraries;
# a build or a check that goes wrong is a failure.
set -u
src=${1:?source dir}
out=${2:?build dir}
mode=${3:-}
cross=$src/tests/cross/aarch64-linux-gnu.ini
command -v aarch64-linux-gnu-gcc >/dev/null ||
	{ echo "SKIP: aarch64-linux-gnu-gcc is not installed (crossbuild-essential-arm64)"; exit 77; }
if ! PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig pkg-config --exists libudev libusb-1.0 libcjson libcurl inih libevdev libdrm libatasmart libnl-genl-3.0; then
	echo "SKIP: the :arm64 development packages are not installed (sh .ci/install-deps --tests)"
	exit 77
fi
t0=$(date +%s.%N)
if [ -f "$out/build.ninja" ]; then
	meson setup --reconfigure "$out" "$src" --cross-file "$cross" >"$out.setup.log" 2>&1
else
	rm -rf "$out"
	meson setup "$out" "$src" --cross-file "$cross" -Dwerror=true -Dbuildtype=debugoptimized >"$out.setup.log" 2>&1
fi || { echo "FAIL meson setup for aarch64:"; tail -20 "$out.setup.log"; exit 1; }
meson compile -C "$out" >"$out.compile.log" 2>&1 ||
	{ echo "FAIL the aarch64 build:"; grep -E 'error|Error' "$out.compile.log" | head -20; exit 1; }
t1=$(date +%s.%N)
echo "aarch64 build in $(echo "$t1 - $t0" | bc) s"
bin=$out/diag/cbdiag
fails=0
# the ELF header, read two ways: file(1)'s magic and readelf's machine field
desc=$(file -b "$bin")
mach=$(readelf -h "$bin" | sed -n 's/^ *Machine: *//p')
case $desc in
*"ELF 64-bit LSB"*"ARM aarch64"*) echo "ok   file: $desc" ;;
*) echo "FAIL file says: $desc"; fails=$((fails + 1)) ;;
esac
if [ "$mach" = AArch64 ]; then echo "ok   readelf: Machine $mach"; else
	echo "FAIL readelf says Machine: $mach"; fails=$((fails + 1)); fi
# nothing of the build machine's x86-64 libraries may have been linked in
interp=$(readelf -lW "$bin" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
if [ "$interp" = /lib/ld-linux-aarch64.so.1 ]; then echo "ok   interpreter $interp"; else
	echo "FAIL interpreter: $interp"; fails=$((fails + 1)); fi
[ "$mode" = --build-only ] && exit $((fails > 0))

QEMU=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
if [ -z "$QEMU" ] || [ ! -e /lib/ld-linux-aarch64.so.1 ]; then
	echo "note: no qemu-aarch64 (qemu-user-static) or no arm64 loader: the aarch64 binary was built, not run"
	exit $((fails > 0))
fi
v=$("$QEMU" "$bin" --version 2>&1)
case $v in
"cbdiag "*) echo "ok   under qemu-aarch64: $v" ;;
*) echo "FAIL cbdiag --version under qemu-aarch64: $v"; fails=$((fails + 1)) ;;
esac
# the report model on aarch64: every good sample validates, every bad one does not
for f in "$src"/tests/fixtures/reports/good/*.json; do
	"$QEMU" "$bin" validate "$f" >/dev/null 2>&1 ||
		{ echo "FAIL aarch64 cbdiag rejects good/${f##*/}"; fails=$((fails + 1)); }
done
for f in "$src"/tests/fixtures/reports/bad/*.json; do
	"$QEMU" "$bin" validate "$f" >/dev/null 2>&1
	rc=$?
	# rejected with cbdiag's own status (1 or 2), not accepted, not a crash
	[ $rc -eq 1 ] || [ $rc -eq 2 ] ||
		{ echo "FAIL aarch64 cbdiag on bad/${f##*/}: exit $rc"; fails=$((fails + 1)); }
done
[ $fails -eq 0 ] && echo "ok   validate on aarch64 agrees with the samples (good and bad)"
# the compiled unit tests (meson's exe_wrapper runs them under qemu-aarch64);
# script tests exec the binary directly, which needs binfmt_misc: left out
names=$(meson introspect --tests "$out" | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    unit = any(s == "unit" or s.endswith(":unit") for s in t["suite"])
    if unit and not any(c.endswith(".sh") for c in t["cmd"]):
        print(t["name"])')
# never an empty list: `meson test` with no names runs every suite (the bench too)
[ -n "$names" ] || { echo "FAIL no compiled unit tests found in the aarch64 tree"; exit 1; }
# shellcheck disable=SC2086
if meson test -C "$out" --no-rebuild --print-errorlogs $names >"$out.test.log" 2>&1; then
	echo "ok   $(echo $names | wc -w) unit test programs pass on aarch64 (qemu-aarch64): $(echo $names | tr '\n' ' ')"
else
	echo "FAIL unit tests on aarch64:"
	grep -E 'FAIL|ERROR|LINE' "$out.test.log" | head -20
	fails=$((fails + 1))
fi
echo "aarch64 build and checks in $(echo "$(date +%s.%N) - $t0" | bc) s"
exit $((fails > 0))
