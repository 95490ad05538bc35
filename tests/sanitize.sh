#!/bin/sh
# Every suite that runs on this machine, again under AddressSanitizer and
# UndefinedBehaviorSanitizer (docs/reliability.md, "Sanitizers and
# valgrind"): configure a -Db_sanitize=address,undefined build of this tree
# in the test build dir and run the unit, device, cli, fuzz-replay and lint
# suites in it. Leaks are reported (detect_leaks=1) and the first UBSan
# report aborts (tests/meson.build sets both for every test). Not the
# libFuzzer smoke (its own clang build is sanitized already), the review,
# bench or helpdesk suites.
set -u
src=${CBDIAG_SRCDIR:?}
dir=${SANITIZE_BUILD:?}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if [ -f "$dir/build.ninja" ]; then
	meson setup --reconfigure "$dir" "$src" >"$log" 2>&1
else
	meson setup "$dir" "$src" -Db_sanitize=address,undefined -Db_lundef=false \
		-Dwerror=true >"$log" 2>&1
fi || { cat "$log"; echo "FAIL: cannot configure the sanitizer build"; exit 1; }
meson compile -C "$dir" >"$log" 2>&1 ||
	{ cat "$log"; echo "FAIL: the sanitizer build does not build"; exit 1; }
echo "sanitizer build: ok ($dir)"
exec meson test -C "$dir" --print-errorlogs --suite unit --suite device --suite cli \
	--suite fuzz --suite lint --no-suite libfuzzer
