#!/bin/sh
# Benchmark (not a test): `cbdiag summary` over N generated reports (the
# district's 20,500 tickets by default) against the same aggregation in jq
# (tests/perf/fleet-summary.jq) over the same files and `cat` of the same
# files (the floor: just reading them), in turns (tests/perf/turns.c: CPU,
# wall and peak memory of each). Prints markdown, the machine's load beside it.
#   sh tests/perf/bench-summary.sh BUILD_DIR [N [ROUNDS]]
set -eu
build=${1:?build dir}
n=${2:-20500}
rounds=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
for t in jq; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
. "$here/lib.sh"
T=$(mktemp -d /var/tmp/cbd-fleet-XXXXXX)
trap 'rm -rf "$T" "$perf_tmp"' EXIT
/usr/bin/python3 "$here/gen-reports.py" "$T/reports" "$n"
echo "$n reports, $(du -sh "$T/reports" | cut -f1) on disk (warm page cache)"
echo
# jq reads the files through find | xargs cat, the usual way to feed it many files
cat >"$T/jq.sh" <<JQ
find "$T/reports" -type f -name '*.json' -print0 | xargs -0 cat | jq -n -f "$here/fleet-summary.jq" >/dev/null
JQ
machine
turns "$rounds" 1 \
	"cbdiag summary" "$build/diag/cbdiag summary --json $T/reports" \
	"jq, same aggregation" "sh $T/jq.sh" \
	"cat of the same files" "find $T/reports -type f -name '*.json' -print0 | xargs -0 cat"
machine
# the two agree on the headline figures
c=$("$build/diag/cbdiag" summary --json "$T/reports" | jq -c '[.reports, .devices, (.repeat_visitors | length), (.still_failing | length)]')
j=$(find "$T/reports" -type f -name '*.json' -print0 | xargs -0 cat | jq -n -f "$here/fleet-summary.jq" | jq -c '[.reports, .devices, .repeat_visitors, .still_failing]')
echo
echo "reports, devices, repeat visitors, still failing: cbdiag $c, jq $j"
