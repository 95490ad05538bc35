#!/bin/sh
# cbdiag's commands under valgrind (docs/reliability.md, "Sanitizers and
# valgrind"): run on umockdev test beds and on this machine, show in every
# format, validate, diff, summary, list, queue list, with memcheck and a full
# leak check, following the probes' child processes. Every process valgrind
# saw must end with "ERROR SUMMARY: 0 errors", and no command may crash.
# Needs an ordinary (not sanitized) build: $CBDIAG.
set -u
: "${CBDIAG:?}" "${CBDIAG_SRCDIR:?}"
command -v valgrind >/dev/null || { echo "SKIP: valgrind is not installed"; exit 77; }
if grep -q libasan "$CBDIAG" 2>/dev/null || [ -n "${CBD_ASAN_PROGRAM:-}" ]; then
	echo "SKIP: $CBDIAG is built with ASan; valgrind needs an ordinary build"
	exit 77
fi
T=$(mktemp -d /tmp/cbd-vg-XXXXXX)
trap 'rm -rf "$T"' EXIT
S=$CBDIAG_SRCDIR/tests/device/scenarios
R=$CBDIAG_SRCDIR/tests/fixtures/reports
n=0 failed=0

# vg CODES [umockdev-run options] -- cbdiag arguments
# CODES: the exit codes the command may end with ("0 1")
vg() {
	n=$((n + 1))
	codes=$1
	shift
	pre=
	if [ "$1" != "--" ]; then
		pre=umockdev-run
		while [ "$1" != "--" ]; do pre="$pre $1"; shift; done
		pre="$pre --"
	fi
	shift
	# shellcheck disable=SC2086
	$pre valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --trace-children=yes \
		--child-silent-after-fork=no --log-file="$T/vg.$n.%p" \
		"$CBDIAG" "$@" >"$T/out.$n" 2>&1
	rc=$?
	summaries=$(cat "$T"/vg.$n.* | grep -c 'ERROR SUMMARY:')
	bad=$(cat "$T"/vg.$n.* | grep 'ERROR SUMMARY:' | grep -vc 'ERROR SUMMARY: 0 errors')
	code_ok=false
	for c in $codes; do [ "$rc" = "$c" ] && code_ok=true; done
	if ! $code_ok || [ "$bad" -ne 0 ] || [ "$summaries" -eq 0 ]; then
		echo "FAIL cbdiag $*: exit $rc, $bad of $summaries processes with errors"
		grep -v '^==[0-9]*== *$' "$T"/vg.$n.* | grep -A25 -m3 'Invalid\|uninitialised\|lost in\|Mismatched\|ERROR SUMMARY: [1-9]' | head -80
		failed=$((failed + 1))
	else
		echo "ok   cbdiag $* (exit $rc, $summaries processes)"
	fi
}

vg "0 1" -d "$S/chromebook-usb.umockdev" -- run --no-interactive --probe usb -o "$T/usb.json"
vg 1 -d "$S/octopus-worn-battery.umockdev" -- run --no-interactive --probe battery -o "$T/bat.json"
vg 1 -d "$S/nvme-failing.umockdev" -- run --no-interactive --probe storage -o "$T/nvme.json"
vg "0 1" -d "$S/octopus-edp-healthy.umockdev" -- run --no-interactive --probe display -o "$T/disp.json"
vg "0 1" -d "$S/octopus-atkbd-healthy.umockdev" -i /dev/input/event3="$S/octopus-atkbd-healthy--event3.ioctl" -- \
	run --no-interactive --probe keyboard -o "$T/kbd.json"
vg "0 1 3" -- run --no-interactive -o "$T/here.json"
vg "0 1 3" -- run --no-interactive --probe battery,usb -o - --format json
for f in "$R"/good/octopus-before-repair.json "$T/here.json"; do
	vg 0 -- show "$f"
	vg 0 -- show --format html "$f"
	vg 0 -- show "$f" -o "$T/show.txt"
done
vg 0 -- validate "$R"/good/*.json
vg 2 -- validate "$R"/bad/*.json
vg 2 -- show "$R/bad/probes-array.json"
vg 0 -- diff "$R/good/octopus-before-repair.json" "$R/good/octopus-after-repair.json"
vg 0 -- diff --json --force "$R/good/octopus-before-repair.json" "$T/here.json"
vg 0 -- summary "$R"
vg 0 -- summary --json "$R/good"
vg 0 -- summary --format html "$R"
vg 0 -- summary --format csv-findings "$R/good"
vg 0 -- list
vg 0 -- list --json
vg 0 -- --help
vg 2 -- run --no-such-option

echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
