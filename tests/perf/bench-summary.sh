#!/bin/sh
# Benchmark (not a test): `cbdiag summary` over N generated reports against
# reading the same files (`cat`, the floor) and the same aggregation in jq
# (tests/perf/fleet-summary.jq, fed by the same find | xargs cat), run in
# turns: each round runs cbdiag, cat and jq once, one after the other, so a
# change in the machine's load hits all three alike. Wall and CPU time and
# peak RSS from /usr/bin/time; medians over the rounds and the median of the
# per-round ratios; `uptime` before and after. Prints markdown.
#   sh tests/perf/bench-summary.sh BUILD_DIR [N [ROUNDS [JQ_ROUNDS]]]
# JQ_ROUNDS (default ROUNDS) lets jq and DuckDB run in the first rounds only
# (at 200,000 reports jq takes minutes). DuckDB is not packaged in Debian 12:
# DUCKDB_MODULES=DIR/node_modules, where `npm install @duckdb/node-api` was
# run, adds it (tests/perf/fleet-summary-duckdb.js, typed columns).
# REPORTS=DIR reuses reports generated before (gen-reports.py DIR N); otherwise they are written under /tmp and removed.
set -eu
build=${1:?build dir}
n=${2:-20500}
rounds=${3:-5}
jq_rounds=${4:-$rounds}
here=$(cd "$(dirname "$0")" && pwd)
for t in jq /usr/bin/time python3; do
	command -v "$t" >/dev/null || { echo "$t is not installed"; exit 77; }
done
T=$(mktemp -d /tmp/cbd-fleet-XXXXXX)
trap 'rm -rf "$T"' EXIT
if [ -n "${REPORTS:-}" ]; then
	reports=$REPORTS
else
	reports=$T/reports
	python3 "$here/gen-reports.py" "$reports" "$n"
fi
files=$(find "$reports" -type f -name '*.json' | wc -l)
cbdiag=$(cd "$build" && pwd)/diag/cbdiag
cat >"$T/cat.sh" <<EOF
find "$reports" -type f -name '*.json' -print0 | xargs -0 cat >/dev/null
EOF
cat >"$T/jq.sh" <<EOF
find "$reports" -type f -name '*.json' -print0 | xargs -0 cat | jq -n -f "$here/fleet-summary.jq" >"$T/jq.out"
EOF
duckdb=""
if [ -n "${DUCKDB_MODULES:-}" ] && command -v node >/dev/null; then
	duckdb=duckdb
	cat >"$T/duckdb.sh" <<EOF
DUCKDB_MODULES="$DUCKDB_MODULES" node "$here/fleet-summary-duckdb.js" "$reports" >"$T/duckdb.out"
EOF
fi
cat >"$T/cbdiag.sh" <<EOF
"$cbdiag" summary --json "$reports" >/dev/null
EOF
# warm the page cache (and check the two agree on the headline figures)
sh "$T/cat.sh"
c=$("$cbdiag" summary --json "$reports" | jq -c '[.reports, .devices, (.repeat_visitors | length), (.still_failing | length)]')

echo "$files reports, $(du -sh "$reports" | cut -f1) on disk (warm page cache), $(nproc) cores"
echo
echo "load before: $(uptime)"
# one line per run: name wall cpu peak_kb
run() {
	/usr/bin/time -f "$1 %e %U %S %M" -o "$T/one" sh "$T/$1.sh"
	awk '{ printf "%s %s %.2f %s\n", $1, $2, $3 + $4, $5 }' "$T/one" >>"$T/runs"
}
: >"$T/runs"
i=0
while [ "$i" -lt "$rounds" ]; do
	run cbdiag
	run cat
	if [ "$i" -lt "$jq_rounds" ]; then
		run jq
		[ -z "$duckdb" ] || run duckdb
	fi
	i=$((i + 1))
done
echo "load after:  $(uptime)"
echo
awk -v rounds="$rounds" '
function median(a, k,   i, j, t) {
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
{
	k = ++cnt[$1]; wall[$1, k] = $2; cpu[$1, k] = $3; rss[$1, k] = $4
}
END {
	print "| command | runs | wall s (median) | CPU s (median) | peak RSS MiB (max) | cbdiag / it, wall (median of rounds) |"
	print "|:---|---:|---:|---:|---:|---:|"
	split("cbdiag cat jq duckdb", names, " ")
	for (x = 1; x <= 4; x++) {
		c = names[x]; k = cnt[c]
		if (!k)
			continue
		m = 0
		for (i = 1; i <= k; i++) { w[i] = wall[c, i]; u[i] = cpu[c, i]; if (rss[c, i] > m) m = rss[c, i] }
		mw = median(w, k); mu = median(u, k)
		for (i = 1; i <= k; i++) r[i] = wall["cbdiag", i] / (wall[c, i] > 0 ? wall[c, i] : 0.001)
		printf "| %s | %d | %.3f | %.2f | %.1f | %.3f |\n", c, k, mw, mu, m / 1024, median(r, k)
	}
}' "$T/runs"
echo
j=not-run
[ -s "$T/jq.out" ] && j=$(jq -c '[.reports, .devices, .repeat_visitors, .still_failing]' "$T/jq.out")
d=not-run
[ -s "$T/duckdb.out" ] && d=$(jq -c '[.reports, .devices, .repeat_visitors, .still_failing]' "$T/duckdb.out")
echo "reports, devices, repeat visitors, still failing: cbdiag $c, jq $j, duckdb $d"
