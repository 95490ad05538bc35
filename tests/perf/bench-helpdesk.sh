#!/bin/bash
# Benchmark (not a test): attaching to a local Request Tracker 5.
#  1. one report: cbdiag attach (look for the file, post the comment, look
#     again) against curl making the same three calls, alternately, N pairs;
#     wall time of each, and cbdiag's own CPU time (user + sys), which is what
#     cbdiag costs: the rest is RT.
#  2. queue flush of 200 reports: wall time, requests and TCP connections.
# Prints markdown, the machine's load before and after beside it.
#   bash tests/perf/bench-helpdesk.sh BUILD_DIR [PAIRS [QUEUED]]
set -u
build=${1:?build dir}
pairs=${2:-15}
here=$(cd "$(dirname "$0")" && pwd)
export CBDIAG_SRCDIR=$here/../..
. "$here/../helpdesk/rt.sh"
rt_available || { echo "Request Tracker 5 is not installed"; exit 77; }
command -v perf >/dev/null || { echo "perf is not installed"; exit 77; }
CBDIAG=$build/diag/cbdiag
T=$(mktemp -d /var/tmp/cbd-hd-XXXXXX)
trap 'rt_stop; rm -rf "$T"' EXIT
load() { echo "Machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at $(date -u +%H:%M) UTC"; }
load
rt_init "$T/rt" || exit 1
rt_start_keepalive || exit 1
TOKEN=$(cat "$RT_TOKEN_FILE")
rt_write_ini "$T/rt.ini" "$T/queue"
report() { # report OUT: worn-battery.json with a new id
	jq --arg id "$(python3 -c 'import uuid; print(uuid.uuid4())')" '.report_id = $id | .ticket = null' \
		"$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json" >"$1"
}
now() { date +%s.%N; }

# the same three calls by curl: is it there, post, is it there now
curl_attach() { # TICKET FILE NAME
	curl -s -H "Authorization: token $TOKEN" "$RT_API/ticket/$1/attachments?fields=Filename&per_page=100" >/dev/null
	curl -s -H "Authorization: token $TOKEN" -H 'Expect:' \
		-F "JSON={\"Subject\":\"r\",\"Content\":\"$(head -c 200 "$T/body.txt" | tr -d '"\n')\",\"ContentType\":\"text/plain\"};type=application/json" \
		-F "Attachments=@$2;type=application/json;filename=$3" "$RT_API/ticket/$1/comment" >/dev/null
	curl -s -H "Authorization: token $TOKEN" "$RT_API/ticket/$1/attachments?fields=Filename&per_page=100" >/dev/null
}
"$CBDIAG" show "$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json" >"$T/body.txt"

echo "## one report, $pairs pairs (a new ticket for each attach)"
echo
echo "| pair | curl wall ms | cbdiag wall ms | cbdiag CPU ms (task-clock) |"
echo "|---:|---:|---:|---:|"
for i in $(seq 1 "$pairs"); do
	t=$(rt_new_ticket "bench $i" "SN-B$i")
	report "$T/c.json"
	a=$(now)
	curl_attach "$t" "$T/c.json" "cbdiag-curl-$i.json"
	b=$(now)
	t=$(rt_new_ticket "bench $i" "SN-C$i")
	report "$T/r.json"
	# cbdiag's CPU time from perf's task-clock (time(1) rounds to 10 ms)
	a2=$(now)
	perf stat -x, -e task-clock -o "$T/perf" "$CBDIAG" attach --config "$T/rt.ini" --ticket "$t" \
		"$T/r.json" >/dev/null 2>"$T/err" || { cat "$T/err"; exit 1; }
	b2=$(now)
	echo "$(echo "($b2 - $a2) * 1000" | bc) $(grep task-clock "$T/perf" | cut -d, -f1)" >"$T/time"
	read -r e c <"$T/time"
	printf '| %d | %.0f | %.0f | %s |\n' "$i" "$(echo "($b - $a) * 1000" | bc)" "$e" "$c"
done

echo
n=${3:-200}
echo "## queue flush of $n reports"
echo
rt_stop
for i in $(seq 1 "$n"); do
	report "$T/q.json"
	"$CBDIAG" attach --config "$T/rt.ini" --ticket 1 "$T/q.json" >/dev/null 2>&1
done
rt_start_keepalive || exit 1
CBDIAG_HTTP_STATS=1 /usr/bin/time -f "%e s wall, %U s user, %S s sys" "$CBDIAG" queue flush \
	--config "$T/rt.ini" 2>&1 >/dev/null | tail -3
load
