#!/bin/sh
# The libFuzzer build, built and run in every test run so that it cannot
# stop linking unnoticed: configure a clang -Dfuzz=true build of this tree
# (in the test build dir), build the targets, and fuzz each one briefly from
# its seeds (tests/fuzz/campaign.sh with a small budget). Skips (77) only
# when clang or its libFuzzer runtime is missing; .ci/install-deps --tests
# installs both.
set -u
src=${CBDIAG_SRCDIR:?}
dir=${LIBFUZZER_BUILD:?}
runs=${LIBFUZZER_SMOKE_RUNS:-20000}
secs=${LIBFUZZER_SMOKE_SECONDS:-10}
targets="report edid queue-entry config html diff fleet enrolled profiles"

command -v clang >/dev/null || { echo "clang is not installed"; exit 77; }
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$probe/t.c"
clang -fsanitize=fuzzer,address,undefined "$probe/t.c" -o "$probe/t" 2>"$probe/err" || {
	echo "clang cannot link libFuzzer (libclang-rt-14-dev missing?):"
	cat "$probe/err"
	exit 77
}

if [ -f "$dir/build.ninja" ]; then
	meson setup --reconfigure "$dir" "$src" >"$probe/setup.log" 2>&1
else
	CC=clang meson setup "$dir" "$src" -Dfuzz=true -Dwerror=true >"$probe/setup.log" 2>&1
fi || { cat "$probe/setup.log"; echo "FAIL: cannot configure the libFuzzer build"; exit 1; }
# shellcheck disable=SC2086
ninja -C "$dir" $(for t in $targets; do printf ' tests/fuzz/fuzz-%s' "$t"; done) >"$probe/build.log" 2>&1 ||
	{ cat "$probe/build.log"; echo "FAIL: the libFuzzer targets do not build"; exit 1; }
echo "libFuzzer build: ok ($dir)"

# shellcheck disable=SC2086
if ! sh "$src/tests/fuzz/campaign.sh" "$dir" "$probe/out" "$runs" "$secs" $targets; then
	for t in $targets; do
		grep -q "Done [0-9]* runs" "$probe/out/$t.log" || tail -n 40 "$probe/out/$t.log"
	done
	echo "FAIL: a fuzz target found a crash, leak or sanitizer report"
	exit 1
fi
echo "all $(echo $targets | wc -w) targets ran $runs executions or ${secs}s each without a finding"
