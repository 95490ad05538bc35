#!/bin/sh
# Benchmark (not a test): cbdiag's EDID decoder over the whole 442-panel
# corpus (tests/fixtures/edid), one process decoding and judging every file,
# side by side with Debian's edid-decode over the same files. Prints markdown.
#   sh tests/perf/bench-edid.sh BUILD_DIR
set -eu
build=${1:?build dir}
src=$(cd "$(dirname "$0")/../.." && pwd)
for t in hyperfine edid-decode; do
	command -v "$t" >/dev/null || { echo "$t is not installed"; exit 77; }
done
files=$(ls "$src"/tests/fixtures/edid/*.bin | tr '\n' ' ')
n=$(echo $files | wc -w)
echo "$n EDIDs"
echo
T=$(mktemp)
trap 'rm -f "$T"' EXIT
hyperfine -N --warmup 3 --runs 20 --export-markdown "$T" \
	-n "cbdiag: decode + judge all $n" "$build/tests/fuzz/fuzz-edid-replay -n 0 $files" \
	-n "edid-decode, one process per file" "sh -c 'for f in $files; do edid-decode \$f >/dev/null; done'" \
	>/dev/null 2>&1
cat "$T"
