#!/bin/sh
# Benchmark (not a test): what joining Google Admin's device export costs the
# fleet summary (`summary --enrolled`, issue 17). N generated reports
# (gen-reports.py) and an export of their devices' serials plus 10 % never
# checked, in 12 organisational units; each round runs, in turns, the text
# summary, the same with --enrolled, and --format csv-unchecked. Wall and CPU
# time and peak RSS from /usr/bin/time, medians; `uptime` before and after.
#   sh tests/perf/bench-enrolled.sh BUILD_DIR [N [ROUNDS]]
set -eu
build=${1:?build dir}
n=${2:-20500}
rounds=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is not installed"; exit 77; }
T=$(mktemp -d /tmp/cbd-enrolled-XXXXXX)
trap 'rm -rf "$T"' EXIT
reports=${REPORTS:-$T/reports}
[ -n "${REPORTS:-}" ] || python3 "$here/gen-reports.py" "$reports" "$n"
cbdiag=$(cd "$build" && pwd)/diag/cbdiag
# the export: every device of the reports (serial = file name before the
# last -NNNNNN), 10 % more never checked, units by number
find "$reports" -type f -name '*.json' | python3 -c '
import os, sys, random
rng = random.Random(17)
serials = sorted({os.path.basename(p.strip()).rsplit("-", 1)[0] for p in sys.stdin})
extra = ["NEVER%06d" % i for i in range(len(serials) // 10)]
print("Serial Number,Status,Org Unit Path,Annotated Asset ID,Model")
for s in serials + extra:
    print("%s,ACTIVE,/Students/School %02d,A-%s,Chromebook" % (s, rng.randrange(12), s[-5:]))
' >"$T/export.csv"
echo "$(find "$reports" -type f -name '*.json' | wc -l) reports; export of $(($(wc -l <"$T/export.csv") - 1)) devices ($(du -h "$T/export.csv" | cut -f1)), $(nproc) cores"
"$cbdiag" summary --json --enrolled "$T/export.csv" "$reports" |
	python3 -c 'import json,sys; e=json.load(sys.stdin)["enrolled"]; print("enrolled %d, checked %d, never checked %d, units %d" % (e["devices"], e["checked"], e["never_checked"], len(e["org_units"])))'
echo "load before: $(uptime)"
printf '"%s" summary "%s" >/dev/null\n' "$cbdiag" "$reports" >"$T/text.sh"
printf '"%s" summary --enrolled "%s" "%s" >/dev/null\n' "$cbdiag" "$T/export.csv" "$reports" >"$T/enrolled.sh"
printf '"%s" summary --format csv-unchecked --enrolled "%s" "%s" >/dev/null\n' "$cbdiag" "$T/export.csv" "$reports" >"$T/unchecked.sh"
: >"$T/runs"
i=0
while [ "$i" -lt "$rounds" ]; do
	for c in text enrolled unchecked; do
		/usr/bin/time -f "$c %e %U %S %M" -o "$T/one" sh "$T/$c.sh"
		awk '{ printf "%s %s %.2f %s\n", $1, $2, $3 + $4, $5 }' "$T/one" >>"$T/runs"
	done
	i=$((i + 1))
done
echo "load after:  $(uptime)"
awk '
function median(a, k,   i, j, t) {
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
{ k = ++cnt[$1]; wall[$1, k] = $2; cpu[$1, k] = $3; rss[$1, k] = $4 }
END {
	print "| command | runs | wall s (median) | CPU s (median) | peak RSS MiB (max) | / text, CPU (median of rounds) |"
	print "|:---|---:|---:|---:|---:|---:|"
	split("text enrolled unchecked", names, " ")
	for (x = 1; x <= 3; x++) {
		c = names[x]; k = cnt[c]; m = 0
		for (i = 1; i <= k; i++) { w[i] = wall[c, i]; u[i] = cpu[c, i]; if (rss[c, i] > m) m = rss[c, i]
			r[i] = cpu[c, i] / (cpu["text", i] > 0 ? cpu["text", i] : 0.01) }
		printf "| %s | %d | %.2f | %.2f | %.1f | %.2f |\n", c, k, median(w, k), median(u, k), m / 1024, median(r, k)
	}
}' "$T/runs"
