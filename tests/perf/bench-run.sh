#!/bin/sh
# Benchmark (not a test): the cost of the probe runner. Times a whole
# `cbdiag run --no-interactive` with each probe isolated in a child process
# (the default) against the same run with probes in-process
# (--debug-inline), side by side, and `cbdiag --version` as the floor of
# process start. Needs hyperfine (Debian package). Writes a markdown table.
#   sh tests/perf/bench-run.sh BUILD_DIR [OUT.md]
set -eu
build=${1:?build dir}
out=${2:-/dev/stdout}
bin="$build/diag/cbdiag"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v hyperfine >/dev/null || { echo "hyperfine is not installed"; exit 77; }
hyperfine -N --warmup 20 --runs 300 --export-markdown "$tmp/t.md" \
	-n "cbdiag --version (process start)" "$bin --version" \
	-n "run, probes in-process" "$bin run --no-interactive --debug-inline --storage-scan off -o $tmp/a.json" \
	-n "run, each probe in a child (default)" "$bin run --no-interactive --storage-scan off -o $tmp/b.json" \
	>/dev/null 2>&1
cat "$tmp/t.md" >"$out"
