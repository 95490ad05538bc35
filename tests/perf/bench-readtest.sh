#!/bin/sh
# Benchmark (not a test): the storage read test against fio, side by side on
# the same device in the same run, and the quick test's time budget on a slow
# disk. Needs root, loop devices, fio; the budget part needs the FUSE helper.
#   sh tests/perf/bench-readtest.sh BUILD_DIR [SIZE_MIB]
# Prints a markdown table for docs/performance.md.
set -eu
build=${1:?build dir}
size_mib=${2:-4096}
readtest="$build/tests/device/readtest-device"
baddisk="$build/tests/device/baddisk-fuse"
PY=/usr/bin/python3
command -v fio >/dev/null || { echo "fio is not installed"; exit 77; }
T=$(mktemp -d /var/tmp/cbd-bench-XXXXXX)
LOOPS=""
cleanup() {
	for l in $LOOPS; do losetup -d "$l" 2>/dev/null || true; done
	mountpoint -q "$T/mnt" 2>/dev/null && umount "$T/mnt"
	rm -rf "$T"
}
trap cleanup EXIT

# A RAM-backed loop device: stable from run to run (this VM's virtual disk
# is cached by its host and swings by 2x), and the fastest device the tool
# will meet, where its own overhead shows most. Same device for both tools.
dd if=/dev/urandom of=/dev/shm/cbd-bench.img bs=1M count="$size_mib" status=none
trap 'cleanup; rm -f /dev/shm/cbd-bench.img' EXIT
L=$(losetup -r -f --show /dev/shm/cbd-bench.img)
LOOPS=$L
name=$(basename "$L")

fio_mibs() {
	taskset -c 1 fio --name=seq --filename="$L" --readonly --rw=read --bs=1M --direct=1 \
		--ioengine=psync --iodepth=1 --output-format=json 2>/dev/null |
		$PY -c 'import json,sys; print(round(json.load(sys.stdin)["jobs"][0]["read"]["bw_bytes"]/1048576, 1))'
}
cbd_mibs() {
	taskset -c 1 "$readtest" "$name" full |
		$PY -c 'import json,sys; d=json.load(sys.stdin); print(d["data"]["devices"][0]["read_test"]["mib_per_s"])'
}

echo "| run | fio MiB/s | cbdiag full MiB/s | ratio |"
echo "|---|---:|---:|---:|"
ratios=""
fs=""
cs=""
for i in $(seq 1 15); do
	# alternate which tool goes first
	if [ $((i % 2)) -eq 1 ]; then f=$(fio_mibs); c=$(cbd_mibs); else c=$(cbd_mibs); f=$(fio_mibs); fi
	r=$($PY -c "print(round($c/$f, 3))")
	ratios="$ratios $r"
	fs="$fs $f"
	cs="$cs $c"
	echo "| $i | $f | $c | $r |"
done
echo
$PY - "$fs" "$cs" <<'PYEOF'
import statistics, sys
f = [float(x) for x in sys.argv[1].split()]
c = [float(x) for x in sys.argv[2].split()]
print("median fio %.1f MiB/s, median cbdiag %.1f MiB/s: ratio of medians %.3f"
      % (statistics.median(f), statistics.median(c), statistics.median(c) / statistics.median(f)))
PYEOF

if [ -x "$baddisk" ] && [ -e /dev/fuse ]; then
	mkdir "$T/mnt"
	# a slow 8 GiB disk: 20 ms a read, so 256 regions would take 5 s
	"$baddisk" "$T/mnt" $((8 << 30)) 0 0 20 &
	for _ in $(seq 50); do [ -e "$T/mnt/disk" ] && break; sleep 0.1; done
	S=$(losetup -r -f --show "$T/mnt/disk")
	LOOPS="$LOOPS $S"
	echo
	echo "| quick test on a slow disk (20 ms/read) | seconds | regions read | budget |"
	echo "|---|---:|---:|---:|"
	for i in 1 2 3; do
		"$readtest" "$(basename "$S")" quick |
			$PY -c 'import json,sys; t=json.load(sys.stdin)["data"]["devices"][0]["read_test"]; print("| %d | %.3f | %d of %d | 1.000 s |" % ('"$i"', t["seconds"], t["regions_read"], t["regions_planned"]))'
	done
fi
