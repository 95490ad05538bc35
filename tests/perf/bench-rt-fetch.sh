#!/bin/bash
# Benchmark (not a test), issue 17's help-desk figures against a real Request
# Tracker 5 on 127.0.0.1 (tests/helpdesk/rt.sh, keep-alive on as behind a
# web server):
#  1. `summary --helpdesk` fetching N reports cbdiag attached (N generated
#     reports: the first 100 attached through REST2, the rest copied in SQL
#     from RT's own row, see seed_sql): cold (an empty cache), warm (nothing
#     new), and warm with 100 new through REST2; wall and CPU time.
#  2. attaching one report by e-mail (type = email, through Exim and RT's
#     mail gateway, tests/helpdesk/mta.sh) next to REST2 (type = rt) on the
#     same RT, in turns, PAIRS pairs: cbdiag's wall time, and the time until
#     the attachment can be read back from the ticket over REST2.
# Prints markdown, the machine's load before and after.
#   bash tests/perf/bench-rt-fetch.sh BUILD_DIR [N [PAIRS]]
set -u
build=${1:?build dir}
n=${2:-20500}
pairs=${3:-9}
here=$(cd "$(dirname "$0")" && pwd)
export CBDIAG_SRCDIR=$here/../..
HD=$here/../helpdesk
. "$HD/rt.sh"
. "$HD/mta.sh"
rt_available || { echo "Request Tracker 5 is not installed"; exit 77; }
CBDIAG=$(cd "$build" && pwd)/diag/cbdiag
T=$(mktemp -d /var/tmp/cbd-fetch-XXXXXX)
trap 'mta_stop 2>/dev/null; mta_clean 2>/dev/null; rt_stop; rm -rf "$T"' EXIT
load() { echo "Machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at $(date -u +%H:%M) UTC"; }
now() { date +%s.%N; }
ms() { echo "($2 - $1) * 1000" | bc | cut -d. -f1; }
load
rt_init "$T/rt" || exit 1
rt_start_keepalive || exit 1
TOKEN=$(cat "$RT_TOKEN_FILE")
rt_write_ini "$T/rt.ini" "$T/queue"

# ---- 1. the fetch --------------------------------------------------------
python3 "$here/gen-reports.py" "$T/reports" "$n" >/dev/null
find "$T/reports" -type f -name '*.json' | sort >"$T/all"
# as cbdiag names its attachments: cbdiag-<serial>-<report_id>.json
name_of() { echo "cbdiag-$(basename "$1" .json)-$(python3 -c 'import uuid; print(uuid.uuid4())').json"; }
seed_rest() { # seed_rest FROM COUNT: COUNT reports from line FROM of the list, 100 to a comment
	local from=$1 count=$2 t args f i=0
	t=$(rt_new_ticket "bench seed $from" "SN-SEED")
	args=()
	while read -r f; do
		args+=(-F "Attachments=@$f;type=application/json;filename=$(name_of "$f")")
		i=$((i + 1))
		if [ "${#args[@]}" -ge 200 ] || [ "$i" -eq "$count" ]; then
			curl -s -H "Authorization: token $TOKEN" -H 'Expect:' \
				-F 'JSON={"Content":"reports","ContentType":"text/plain"};type=application/json' \
				"${args[@]}" "$RT_API/ticket/$t/comment" >/dev/null
			args=()
		fi
	done < <(sed -n "${from},$((from + count - 1))p" "$T/all")
}
# RT takes about 0.2 s an attachment here: 20,500 through REST2 would take more
# than an hour. So the first 100 go through REST2 and the rest are rows copied
# from the last one RT wrote (its transaction, creator, headers' shape), each
# with its own report and name, as RT stores an attachment without encoding.
seed_sql() { # seed_sql FROM COUNT
	sed -n "${1},$(($1 + $2 - 1))p" "$T/all" | python3 -c '
import os, sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1])
tpl = db.execute("select TransactionId, Parent, Creator, Created from Attachments "
                 "where Filename like \"cbdiag-%\" order by id desc limit 1").fetchone()
rows = []
for path in sys.stdin.read().split():
    data = open(path, "rb").read()
    name = "cbdiag-%s-%s.json" % (os.path.basename(path)[:-5], uuid.uuid4())
    headers = ("Content-Type: application/json; name=\"%s\"\nContent-Disposition: inline; "
               "filename=\"%s\"\nContent-Length: %d\n" % (name, name, len(data)))
    rows.append((tpl[0], tpl[1], name, "application/json", "none", data.decode("utf-8"),
                 headers, tpl[2], tpl[3]))
db.executemany("insert into Attachments (TransactionId, Parent, Filename, ContentType, "
               "ContentEncoding, Content, Headers, Creator, Created) values (?,?,?,?,?,?,?,?,?)", rows)
db.commit()
' "$RT_WORK/rt.sqlite"
}
a=$(now)
seed_rest 1 100
b=$(now)
seed_sql 101 $((n - 100))
c=$(now)
echo "Seeded $n attachments: 100 through REST2 (100 to a comment) in $(ms "$a" "$b") ms, $((n - 100)) copied in SQL in $(ms "$b" "$c") ms."
echo
fetch() { # fetch NAME: one summary over the help desk into the cache; a table row
	/usr/bin/time -f "%e %U %S %M" -o "$T/time" \
		"$CBDIAG" summary --helpdesk --config "$T/rt.ini" --cache "$T/cache" --json \
		>"$T/summary.json" 2>"$T/err"
	read -r wall user sys rss <"$T/time"
	printf '| %s | %s | %.2f | %.1f | %s | %s |\n' "$1" "$wall" "$(echo "$user + $sys" | bc)" \
		"$(echo "$rss / 1024" | bc -l)" "$(grep -o '[0-9]* new report' "$T/err" | cut -d' ' -f1)" \
		"$(jq .reports "$T/summary.json")"
}
echo "| fetch | wall s | CPU s | peak RSS MiB | new reports | reports summarised |"
echo "|:---|---:|---:|---:|---:|---:|"
fetch cold
fetch "warm, nothing new"
seed_rest 1 100
fetch "warm, 100 new"
# the cache holds RT's files byte for byte (each compared with RT's own base64)
bad=0
for f in $(ls "$T/cache" | grep '^cbdiag-' | shuf -n 20 --random-source=<(yes)); do
	q=$(jq -rn --arg n "$f" '[{field:"Filename",operator:"=",value:$n}] | tostring | @uri')
	aid=$(rt_api GET "/attachments?query=$q&fields=Filename" | jq -r '.items[0].id')
	rt_api GET "/attachment/$aid" | jq -r .Content | base64 -d | cmp -s - "$T/cache/$f" || bad=$((bad + 1))
done
echo
echo "20 cached files compared with RT's attachments read alone: $bad differ."
echo
load
echo

# ---- 2. e-mail next to REST2 -------------------------------------------
if ! mta_available; then
	echo "Exim (exim4-daemon-light) is not installed, or this is not root: no e-mail figures"
	exit 0
fi
mta_init || exit 1
perl "$HD/rt-mail-sender.pl" "$MTA_USER" >/dev/null || exit 1
mta_start || exit 1
(umask 077 && printf '%s\n' "$MTA_PASSWORD" >"$T/password")
cat >"$T/mail.ini" <<EOF
[helpdesk]
type = email
url = smtp://127.0.0.1:$MTA_PORT_STARTTLS
ca_file = $MTA_DIR/ca.crt
token_file = $T/password
mail_preset = rt
mail_tag_name = rt-ci.localhost
mail_from = $MTA_USER
mail_to = $MTA_TO
queue_dir = $T/mqueue
EOF
report() { # report SERIAL OUT
	jq --arg s "$1" --arg id "$(python3 -c 'import uuid; print(uuid.uuid4())')" \
		'.device.serial = $s | .report_id = $id | .ticket = null' \
		"$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json" >"$2"
}
on_ticket() { # on_ticket TICKET NAME: wait until REST2 lists NAME on TICKET (120 s)
	local i
	for i in $(seq 1 1200); do
		[ "$(rt_files "$1" "$2")" -ge 1 ] && return 0
		sleep 0.1
	done
	return 1
}
one() { # one CONFIG: attach a new report to a new ticket; "cbdiag_ms visible_ms"
	local t f a b c
	t=$(rt_new_ticket "Chromebook broken" "SN-M$RANDOM")
	report "SN-M$t" "$T/m.json"
	f="cbdiag-SN-M$t-$(jq -r .report_id "$T/m.json").json"
	a=$(now)
	"$CBDIAG" attach --config "$1" --ticket "$t" "$T/m.json" >/dev/null 2>"$T/err" ||
		{ cat "$T/err" >&2; echo "- -"; return; }
	b=$(now)
	on_ticket "$t" "$f" || { echo "$(ms "$a" "$b") never"; return; }
	c=$(now)
	echo "$(ms "$a" "$b") $(ms "$a" "$c")"
}
echo "## one report attached: REST2 and e-mail in turns, $pairs pairs"
echo
echo "| pair | REST2: cbdiag ms | REST2: on the ticket ms | e-mail: cbdiag ms | e-mail: on the ticket ms |"
echo "|---:|---:|---:|---:|---:|"
for i in $(seq 1 "$pairs"); do
	read -r rc rv < <(one "$T/rt.ini")
	read -r mc mv < <(one "$T/mail.ini")
	echo "| $i | $rc | $rv | $mc | $mv |"
done
echo
load
