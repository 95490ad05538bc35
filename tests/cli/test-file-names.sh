#!/bin/sh
# Issue 18 #8: a serial of any length or shape gives a report file name
# within NAME_MAX that is neither hidden nor option-like, and the report is
# kept (a 234+ character serial used to lose it: exit 3, no JSON anywhere).
# The serial comes from a umockdev test bed's DMI product_serial.
. "$(dirname "$0")/lib.sh"
command -v umockdev-run >/dev/null || { echo "SKIP: umockdev-run is not installed"; exit 77; }
bed="$CBDIAG_SRCDIR/tests/device/scenarios/dmi-only-x86-desktop.umockdev"

# run_with_serial SERIAL DIR: cbdiag run in a test bed with that serial, reports into DIR
run_with_serial() {
	sed "s/product_serial=To be filled by O.E.M./product_serial=$1/" "$bed" >"$T/bed.umockdev"
	mkdir -p "$2"
	CBDIAG_REPORT_DIR="$2" timeout 30 umockdev-run -d "$T/bed.umockdev" -- \
		"$CBDIAG" run --no-interactive --probe battery >"$T/out" 2>"$T/err"
}
# one_report DIR: the name of the only file in DIR
one_report() { ls -A "$1"; }
serial_of() { $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["device"]["serial"])' "$1"; }

long=$($PY -c 'print("5CD" + "0123456789" * 24)') # 243 characters
run_with_serial "$long" "$T/long"
rc=$?
check "a 243-character serial: exit 0 (got $rc)" test "$rc" -eq 0
f=$(one_report "$T/long")
check "its report is kept: $f" test -s "$T/long/$f"
check "its name is at most 255 bytes (${#f})" test "${#f}" -le 255
check "its name is <serial start>~<hash>-<UTC>.json" \
	sh -c 'echo "$1" | grep -Eq "^5CD0123456789[0-9]+~[0-9a-f]{8}-[0-9]{8}T[0-9]{6}Z\.json$"' sh "$f"
check "the report keeps the whole serial" test "$(serial_of "$T/long/$f")" = "$long"

# two long serials that share their first 200 characters: two names
long2=$($PY -c 'print("5CD" + "0123456789" * 24 + "X")')
run_with_serial "$long2" "$T/long"
check "two long serials sharing a start: two reports" test "$(ls -A "$T/long" | wc -l)" -eq 2

run_with_serial ".hidden-serial" "$T/dot"
f=$(one_report "$T/dot")
check "a serial starting with '.' makes no hidden file: $f" sh -c 'case "$1" in .*|"") exit 1;; esac' sh "$f"
check "  and the report keeps the serial" test "$(serial_of "$T/dot/$f")" = ".hidden-serial"
run_with_serial "-rf" "$T/dash"
f=$(one_report "$T/dash")
check "a serial starting with '-' makes no option-like file: $f" sh -c 'case "$1" in -*|"") exit 1;; esac' sh "$f"
run_with_serial "../../etc/passwd" "$T/slash"
f=$(one_report "$T/slash")
check "a serial with slashes stays in the report folder: $f" test -f "$T/slash/$f"
finish
