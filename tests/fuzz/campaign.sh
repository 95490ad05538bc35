#!/bin/sh
# A recorded fuzzing campaign (docs/reliability.md, "Fuzzing"): run libFuzzer
# targets one after the other, each for RUNS executions or SECONDS seconds,
# whichever comes first, from a copy of its seed corpus. Needs a clang
# -Dfuzz=true build:
#   CC=clang meson setup build-fuzz -Dfuzz=true && meson compile -C build-fuzz
#   sh tests/fuzz/campaign.sh build-fuzz OUTDIR RUNS SECONDS TARGET...
# TARGET is report, edid, queue-entry, config, html, diff, fleet, enrolled or profiles. Each
# target's log is OUTDIR/TARGET.log (its last lines are libFuzzer's final
# stats), its corpus OUTDIR/corpus-TARGET, a crash OUTDIR/TARGET-crash-*.
# WORKERS=N (default 1) runs N processes of each target on the one corpus,
# RUNS/N executions each (a slow target on a machine with N cores); their
# logs are OUTDIR/TARGET.log.1 ... and the executions are added up.
# Exit 1 when any target found a crash, leak or sanitizer report.
set -u
[ $# -ge 5 ] || { echo "usage: $0 BUILD-FUZZ OUTDIR RUNS SECONDS TARGET..." >&2; exit 2; }
build=$1 out=$2 runs=$3 secs=$4
shift 4
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
status=0
for t in "$@"; do
	case $t in
	report) seeds="tests/fixtures/reports/good tests/fixtures/reports/bad" ;;
	edid) seeds="tests/fixtures/edid" ;;
	queue-entry) seeds="tests/fixtures/queue" ;;
	config) seeds="tests/fuzz/seeds/config" ;;
	html) seeds="tests/fixtures/reports/good tests/fuzz/seeds/html" ;;
	diff | fleet) seeds="tests/fuzz/seeds/pairs tests/fixtures/reports/good" ;;
	enrolled) seeds="tests/fuzz/seeds/enrolled" ;;
	profiles) seeds="tests/fuzz/seeds/profiles" ;;
	*) echo "unknown target $t" >&2; exit 2 ;;
	esac
	corpus=$out/corpus-$t
	mkdir -p "$corpus"
	for d in $seeds; do cp "$src/$d"/* "$corpus"/; done
	echo "$(date -u +%FT%TZ) $t: start ($runs runs or ${secs}s)"
	workers=${WORKERS:-1}
	rc=0
	if [ "$workers" -le 1 ]; then
		"$build/tests/fuzz/fuzz-$t" -runs="$runs" -max_total_time="$secs" \
			-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix="$out/$t-" "$corpus" >"$out/$t.log" 2>&1 || rc=$?
		logs=$out/$t.log
	else
		pids="" logs=""
		for w in $(seq 1 "$workers"); do
			"$build/tests/fuzz/fuzz-$t" -runs=$((runs / workers)) -max_total_time="$secs" \
				-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
				-artifact_prefix="$out/$t-$w-" "$corpus" >"$out/$t.log.$w" 2>&1 &
			pids="$pids $!" logs="$logs $out/$t.log.$w"
		done
		for p in $pids; do wait "$p" || rc=$?; done
	fi
	# shellcheck disable=SC2086 # $logs is a list of paths without spaces
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' $logs | awk '{ s += $1 } END { print s }')
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' $logs | awk '{ s += $1 } END { print s }')
	echo "$(date -u +%FT%TZ) $t: exit $rc, ${execs:-?} executions, ${rate:-?}/s," \
		"corpus $(ls "$corpus" | wc -l) files"
	[ $rc -eq 0 ] || status=1
done
exit $status
