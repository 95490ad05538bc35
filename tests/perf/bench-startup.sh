#!/bin/sh
# Benchmark (not a test): what a cbdiag process costs to start and to run
# the probes without storage (issue 19: --version ≤ 2 ms of CPU and ≤ 3 MiB
# peak; run --no-interactive --storage-scan off ≤ 6 MiB peak), in turns with
# /bin/true, the floor of any process. Use a release build (meson setup
# build-rel --buildtype=release). Prints markdown, the machine's load before
# and after beside it.
#   sh tests/perf/bench-startup.sh BUILD_DIR [ROUNDS]
set -eu
build=${1:?build dir}
rounds=${2:-200}
. "$(dirname "$0")/lib.sh"
bin=$(cd "$build" && pwd)/diag/cbdiag
libs=$(ldd "$bin" | grep -c '=>')
# the same binary with libcurl and its libraries loaded at start, as when it
# was linked (before issue 19): LD_PRELOAD, so that only that differs
curl=$(ldconfig -p 2>/dev/null | awk '$1 == "libcurl.so.4" && /x86-64/ {print $NF; exit}')
machine
echo "cbdiag: $libs shared libraries at start (ldd); libcurl $(ldd "$bin" | grep -q libcurl && echo linked || echo 'not linked (opened by the help desk at first use)')"
echo
turns "$rounds" 10 \
	"/bin/true" "/bin/true" \
	"cbdiag --version" "$bin --version" \
	"cbdiag --version, libcurl loaded at start as when linked" "LD_PRELOAD=$curl $bin --version" \
	"cbdiag run --no-interactive --storage-scan off" \
	"$bin run --no-interactive --storage-scan off -o $perf_tmp/r.json"
echo
machine
