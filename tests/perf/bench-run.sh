#!/bin/sh
# Benchmark (not a test): the cost of the probe runner. A whole `cbdiag run
# --no-interactive` with each probe isolated in a child process (the
# default) against the same run with probes in-process (--debug-inline),
# with `cbdiag --version` and /bin/true as the floors of process start, run
# in turns (tests/perf/turns.c). Prints markdown, the machine's load before
# and after beside it.
#   sh tests/perf/bench-run.sh BUILD_DIR [ROUNDS]
set -eu
build=${1:?build dir}
rounds=${2:-100}
. "$(dirname "$0")/lib.sh"
bin=$(cd "$build" && pwd)/diag/cbdiag
machine
echo
turns "$rounds" 10 \
	"/bin/true" "/bin/true" \
	"cbdiag --version (process start)" "$bin --version" \
	"run, probes in-process" "$bin run --no-interactive --debug-inline --storage-scan off -o $perf_tmp/a.json" \
	"run, each probe in a child (default)" "$bin run --no-interactive --storage-scan off -o $perf_tmp/b.json"
echo
machine
