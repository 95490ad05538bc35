#!/bin/bash
# The queue's campaign against a real Request Tracker 5: N reports queued,
# then `queue flush` again and again through tests/helpdesk/chaos-proxy.py,
# which kills cbdiag (kill -9) or cuts its connection at random points of the
# upload, until the queue is empty. Then every report must be on the ticket
# exactly once: 0 lost, 0 duplicates.
#
#   CBD_CAMPAIGN_REPORTS (default 10: the CI's share, about 30 s)
#   CBD_CAMPAIGN_SEED    (default: random; printed, to replay a run)
#   CBD_CAMPAIGN_RATE    (default 0.5: the share of uploads that meet a fault)
# The recorded run (docs/reliability.md) is this script with more reports.
. "$CBDIAG_SRCDIR/tests/cli/lib.sh"
HERE=$CBDIAG_SRCDIR/tests/helpdesk
. "$HERE/rt.sh"

if ! rt_available; then
	echo "SKIP: Request Tracker 5 is not installed (README: the test set-up installs it)"
	exit 77
fi
N=${CBD_CAMPAIGN_REPORTS:-10}
SEED=${CBD_CAMPAIGN_SEED:-$RANDOM}
RATE=${CBD_CAMPAIGN_RATE:-0.5}
PROXY_PID=
cleanup() {
	rt_stop
	[ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

rt_init "$T/rt" || { echo "FAIL: could not make an RT database"; exit 1; }
rt_start || { echo "FAIL: RT did not start"; exit 1; }
echo "RT on $RT_URL (pid $RT_PID); $N reports, seed $SEED, fault rate $RATE"
PPORT=$(rt_free_port)
$PY "$HERE/chaos-proxy.py" "$PPORT" "$RT_PORT" "$T/cbdiag.pid" "$SEED" "$RATE" "$T/faults" \
	"$T/proxy.ready" &
PROXY_PID=$!
for _ in $(seq 1 100); do [ -e "$T/proxy.ready" ] && break; sleep 0.05; done
: >"$T/faults"

Q=$T/queue
cfg() { # cfg FILE URL
	cat >"$1" <<EOC
[helpdesk]
type = rt
url = $2
token_file = $RT_TOKEN_FILE
queue_dir = $Q
connect_timeout_seconds = 3
timeout_seconds = 20
resend_wait_seconds = 3
EOC
}
cfg "$T/down.ini" "http://127.0.0.1:1"
cfg "$T/chaos.ini" "http://127.0.0.1:$PPORT"
ticket=$(rt_new_ticket "Chromebook campaign" SN-CAMPAIGN)

for i in $(seq 1 "$N"); do
	jq --arg id "$($PY -c 'import uuid; print(uuid.uuid4())')" --arg s "SN-C$i" \
		'.device.serial = $s | .report_id = $id | .ticket = null' \
		"$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json" >"$T/r$i.json"
	"$CBDIAG" attach --config "$T/down.ini" --ticket "$ticket" "$T/r$i.json" >/dev/null 2>&1
done
check "$N reports queued" [ "$(ls "$Q" | grep -vc '^\.')" = "$N" ]

start=$(date +%s)
rounds=0 killed=0
while [ "$(ls "$Q" | grep -vc '^\.')" != 0 ] && [ "$rounds" -lt $((N * 4 + 10)) ]; do
	rounds=$((rounds + 1))
	# (a subshell, so that bash's "Killed" notice stays out of the log)
	(
		# its own pid, written before it becomes cbdiag: never a stale one
		sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$T/cbdiag.pid" \
			"$CBDIAG" queue flush --config "$T/chaos.ini" >>"$T/flush.log" 2>&1 &
		wait $!
	) 2>/dev/null
	rc=$?
	[ "$rc" = 137 ] && killed=$((killed + 1))
	if grep -q 'AddressSanitizer\|Segmentation' "$T/flush.log"; then
		echo "FAIL cbdiag crashed"
		break
	fi
done
took=$(($(date +%s) - start))

rt_attachments "$ticket" | jq -r 'select(.Filename != "") | .Filename' | sort | uniq -c >"$T/on-ticket"
lost=0 dup=0
for i in $(seq 1 "$N"); do
	name="cbdiag-SN-C$i-$(jq -r .report_id "$T/r$i.json").json"
	c=$(awk -v n="$name" '$2 == n { print $1 }' "$T/on-ticket")
	[ -z "$c" ] && lost=$((lost + 1))
	[ "${c:-0}" -gt 1 ] && dup=$((dup + c - 1))
done
faults=$(sort "$T/faults" | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}')
echo "campaign: $N reports, seed $SEED, $rounds flushes, $killed cbdiag killed, faults: ${faults:-none}; $took s"
echo "campaign: lost $lost, duplicates $dup"
check "the queue is empty after $rounds flushes" [ "$(ls "$Q" | grep -vc '^\.')" = 0 ]
check "no report lost ($lost)" [ "$lost" = 0 ]
check "no duplicate on the ticket ($dup)" [ "$dup" = 0 ]
check "faults happened (${faults:-none})" [ -s "$T/faults" ]
finish
