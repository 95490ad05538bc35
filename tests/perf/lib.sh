# Shared by the benchmarks in tests/perf (sourced): the harness that runs
# commands in turns (turns.c, built static here so that its own size does
# not weigh on the peak memory of what it starts), and the machine's load.
#   turns ROUNDS WARMUP NAME 'CMD' NAME 'CMD' ...   (prints a markdown table)
#   machine                                          (one line: cores, load)
perf_dir=$(cd "$(dirname "$0")" && pwd)
perf_tmp=$(mktemp -d /tmp/cbd-perf-XXXXXX)
trap 'rm -rf "$perf_tmp"' EXIT
command -v cc >/dev/null || { echo "SKIP: no C compiler for the harness (gcc)"; exit 77; }
cc -O2 -static -o "$perf_tmp/turns" "$perf_dir/turns.c" 2>/dev/null ||
	cc -O2 -o "$perf_tmp/turns" "$perf_dir/turns.c" ||
	{ echo "cannot build tests/perf/turns.c"; exit 1; }
turns() { "$perf_tmp/turns" "$@"; }
machine() {
	echo "Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1);" \
		"load average $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at $(date -u +%H:%M) UTC"
}
