#!/bin/sh
# kill -9 at random points of cbdiag's write paths, N times (issue 18 #9 and
# the "kill -9 during writes" figure of docs/reliability.md):
#   run    cbdiag run -o DIR/r.json              (the atomic writer)
#   show   cbdiag show --format html BIG -o DIR/page.html
#   queue  cbdiag attach BIG, help desk away     (a queue entry is built)
#   flush  cbdiag queue flush, folder help desk  (a copy to the share, the entry removed)
# After each kill: no partial file (every target is absent, the old one, or
# whole and equal to what an unkilled run writes; every visible queue entry
# whole). Then the next start (the same command, not killed) must leave 0
# leftovers (.cbdiag-*, .new-*, .old-*) behind.
#   KILL_WRITES_N        kills (default 50; the recorded campaign: 1000)
#   KILL_WRITES_SEED     random seed (default: from the clock)
#   KILL_WRITES_RESULT   a file to append the one-line result to
set -u
: "${CBDIAG:?}" "${CBDIAG_SRCDIR:?}"
N=${KILL_WRITES_N:-50}
SEED=${KILL_WRITES_SEED:-$(date +%s)}
SEED0=$SEED
PY=/usr/bin/python3
T=$(mktemp -d /tmp/cbd-kill-XXXXXX)
trap 'rm -rf "$T"' EXIT
good="$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json"

# a big (2 MB), schema-valid report: longer writes, more places to be killed in
$PY - "$good" "$T/big.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["probes"]["battery"]["data"]["samples"] = [{"t": i, "mv": 11000 + i % 900} for i in range(60000)]
json.dump(d, open(sys.argv[2], "w"), indent=1)
PY
"$CBDIAG" validate "$T/big.json" >/dev/null || { echo "FAIL: the big report does not validate"; exit 1; }
"$CBDIAG" show --format html "$T/big.json" -o "$T/expected.html" || exit 1
W="$T/w"
mkdir -p "$W/run" "$W/show" "$W/share"
printf '[helpdesk]\ntype = folder\npath = %s/away\nqueue_dir = %s/q\n' "$W" "$W" >"$T/away.ini"
printf '[helpdesk]\ntype = folder\npath = %s/share\nqueue_dir = %s/q\n' "$W" "$W" >"$T/share.ini"

# killer.py MODE DELAY_US DIR -- CMD...: run CMD and kill -9 it. MODE any:
# after DELAY_US; MODE write: once a temporary of ours shows up under DIR
# (the write has begun), DELAY_US later. Prints "hit" if the write had begun.
cat >"$T/killer.py" <<'PY'
import os, signal, subprocess, sys, time
mode, delay, top = sys.argv[1], int(sys.argv[2]) / 1e6, sys.argv[3]
cmd = sys.argv[5:]
def temporaries():
    for root, dirs, files in os.walk(top):
        for n in dirs + files:
            if n.startswith((".cbdiag-", ".new-", ".old-")):
                return True
    return False
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
hit = False
if mode == "write":
    while p.poll() is None and not temporaries():
        pass
    hit = p.poll() is None
time.sleep(delay)
try:
    os.kill(p.pid, signal.SIGKILL)
except ProcessLookupError:
    pass
p.wait()
sys.stdout.write("hit" if hit else "")
PY

ms() { date +%s%3N; }
rnd() { # rnd MAX: R = a pseudo-random integer in [0, MAX) (no subshell: SEED moves on)
	SEED=$(( (SEED * 1103515245 + 12345) % 2147483648 ))
	R=$(( (SEED / 32) % $1 ))
}

cmd_for() { # the command of path $1, in "$@" form via set
	case $1 in
	run) echo "run --no-interactive --probe battery -o $W/run/r.json" ;;
	show) echo "show --format html $T/big.json -o $W/show/page.html" ;;
	queue) echo "attach --config $T/away.ini --ticket 7 $T/big.json" ;;
	flush) echo "queue flush --config $T/share.ini" ;;
	esac
}

prepare() { # what path $1 needs before it runs
	case $1 in
	queue) rm -rf "$W/q" ;;
	flush)
		rm -rf "$W/q" "$W/share"
		mkdir -p "$W/share"
		"$CBDIAG" attach --config "$T/away.ini" --ticket 7 "$T/big.json" >/dev/null 2>&1
		;;
	esac
}

partial=0
leftover=0
midway=0
inwrite=0
bad=""
whole() { # whole PATH: every target of path $1 is absent, or whole
	case $1 in
	run) [ ! -e "$W/run/r.json" ] || "$CBDIAG" validate "$W/run/r.json" >/dev/null 2>&1 ;;
	show) [ ! -e "$W/show/page.html" ] || cmp -s "$W/show/page.html" "$T/expected.html" ;;
	queue | flush)
		for e in "$W"/q/[!.]*; do
			[ -d "$e" ] || continue
			cmp -s "$e/report.json" "$T/big.json" || return 1
			$PY -c 'import json,sys; json.load(open(sys.argv[1]))' "$e/entry.json" 2>/dev/null || return 1
		done
		for f in "$W"/share/[!.]*; do
			[ -e "$f" ] || continue
			cmp -s "$f" "$T/big.json" || return 1
		done
		;;
	esac
}
leftovers() { find "$W" \( -name '.cbdiag-*' -o -name '.new-*' -o -name '.old-*' \) -printf '%p (%s bytes) ' 2>/dev/null; }

# how long each path takes unkilled: kills land anywhere in [0, 1.3 x that]
for p in run show queue flush; do
	prepare $p
	t0=$(ms)
	"$CBDIAG" $(cmd_for $p) >/dev/null 2>&1
	dur=$(( $(ms) - t0 ))
	[ "$dur" -lt 5 ] && dur=5
	eval "dur_$p=$dur"
done
echo "durations (ms): run $dur_run, show $dur_show, queue $dur_queue, flush $dur_flush; seed $SEED0"

t_start=$(ms)
i=0
while [ $i -lt "$N" ]; do
	case $((i % 4)) in 0) p=run ;; 1) p=show ;; 2) p=queue ;; 3) p=flush ;; esac
	prepare $p
	eval "d=\$dur_$p"
	# every other kill lands anywhere in the run; the rest once its write
	# has begun (a temporary exists), up to 20 ms into it
	if [ $(((i / 4) % 2)) -eq 0 ]; then
		mode=any
		rnd $((d * 1300))
		delay_us=$R
	else
		mode=write
		rnd 20000
		delay_us=$R
	fi
	$PY "$T/killer.py" $mode "$delay_us" "$W" -- "$CBDIAG" $(cmd_for $p) >"$T/hit"
	[ -s "$T/hit" ] && inwrite=$((inwrite + 1))
	if ! whole $p; then
		partial=$((partial + 1))
		bad="$bad\n  kill $i ($p, $mode, ${delay_us} us): a partial file"
	fi
	[ -n "$(leftovers)" ] && midway=$((midway + 1)) # it left temporaries
	# the next start: the same command, not killed
	"$CBDIAG" $(cmd_for $p) >/dev/null 2>&1
	left=$(leftovers)
	if [ -n "$left" ]; then
		leftover=$((leftover + 1))
		bad="$bad\n  kill $i ($p, $mode, ${delay_us} us): left $left"
		# counted once: cleared by hand so that the next kill starts clean
		find "$W" \( -name '.cbdiag-*' -o -name '.new-*' -o -name '.old-*' \) -prune -exec rm -rf {} + 2>/dev/null
	fi
	if ! whole $p; then
		partial=$((partial + 1))
		bad="$bad\n  kill $i ($p): a partial file after the next start"
	fi
	i=$((i + 1))
done
secs=$(( ($(ms) - t_start) / 1000 ))
result="kill-writes: $N kills (run, show, queue, flush in turn; seed $SEED0) in ${secs} s: $inwrite killed mid-write, $midway left temporaries behind, $partial partial files, $leftover with leftovers after the next start"
echo "$result"
[ -n "${KILL_WRITES_RESULT:-}" ] && echo "$result" >>"$KILL_WRITES_RESULT"
[ -n "$bad" ] && printf "$bad\n" | head -40
[ "$partial" -eq 0 ] && [ "$leftover" -eq 0 ]
