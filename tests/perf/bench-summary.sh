#!/bin/sh
# Benchmark (not a test): `cbdiag summary` over N generated reports (the
# district's 20,500 tickets by default) against the same aggregation in jq
# (tests/perf/fleet-summary.jq) over the same files, side by side with
# hyperfine; peak memory with /usr/bin/time. Prints markdown.
#   sh tests/perf/bench-summary.sh BUILD_DIR [N]
set -eu
build=${1:?build dir}
n=${2:-20500}
here=$(cd "$(dirname "$0")" && pwd)
for t in jq hyperfine /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "$t is not installed"; exit 77; }
done
T=$(mktemp -d /var/tmp/cbd-fleet-XXXXXX)
trap 'rm -rf "$T"' EXIT
/usr/bin/python3 "$here/gen-reports.py" "$T/reports" "$n"
echo "$n reports, $(du -sh "$T/reports" | cut -f1) on disk (warm page cache)"
echo
# jq reads the files through find | xargs cat, the usual way to feed it many files
cat >"$T/jq.sh" <<JQ
find "$T/reports" -type f -name '*.json' -print0 | xargs -0 cat | jq -n -f "$here/fleet-summary.jq" >/dev/null
JQ
hyperfine --warmup 1 --runs 5 --export-markdown "$T/t.md" \
	-n "cbdiag summary" "$build/diag/cbdiag summary --json $T/reports >/dev/null" \
	-n "jq, same aggregation" "sh $T/jq.sh" >/dev/null 2>&1
cat "$T/t.md"
echo
/usr/bin/time -f "cbdiag summary: %e s, peak RSS %M KB" "$build/diag/cbdiag" summary "$T/reports" 2>&1 >/dev/null | tail -1
/usr/bin/time -f "jq: %e s, peak RSS %M KB" sh "$T/jq.sh" 2>&1 | tail -1
# the two agree on the headline figures
c=$("$build/diag/cbdiag" summary --json "$T/reports" | jq -c '[.reports, .devices, (.repeat_visitors | length), (.still_failing | length)]')
j=$(find "$T/reports" -type f -name '*.json' -print0 | xargs -0 cat | jq -n -f "$here/fleet-summary.jq" | jq -c '[.reports, .devices, .repeat_visitors, .still_failing]')
echo
echo "reports, devices, repeat visitors, still failing: cbdiag $c, jq $j"
