#!/bin/sh
# Benchmark (not a test): cbdiag's EDID decoder over the whole 442-panel
# corpus (tests/fixtures/edid) against Debian's edid-decode, in turns
# (tests/perf/turns.c). The fair pair is one process per file on both sides
# (process start is most of it); cbdiag's one process for all files is shown
# too, as what the display probe's decoder costs by itself, not as a ratio
# against edid-decode. Prints markdown, the machine's load beside it.
#   sh tests/perf/bench-edid.sh BUILD_DIR [ROUNDS]
set -eu
build=${1:?build dir}
rounds=${2:-10}
src=$(cd "$(dirname "$0")/../.." && pwd)
command -v edid-decode >/dev/null || { echo "SKIP: edid-decode is not installed"; exit 77; }
. "$(dirname "$0")/lib.sh"
replay=$(cd "$build" && pwd)/tests/fuzz/fuzz-edid-replay
[ -x "$replay" ] || { echo "SKIP: $replay is not built"; exit 77; }
files=$(ls "$src"/tests/fixtures/edid/*.bin | tr '\n' ' ')
n=$(echo $files | wc -w)
machine
echo "$n EDIDs"
echo
turns "$rounds" 1 \
	"edid-decode, one process per file" "for f in $files; do edid-decode \$f >/dev/null; done" \
	"cbdiag decode + judge, one process per file" "for f in $files; do $replay -n 0 \$f >/dev/null; done" \
	"cbdiag decode + judge, one process for all $n" "$replay -n 0 $files"
echo
machine
