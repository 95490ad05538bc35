#!/bin/sh
# Benchmark (not a test): the storage read test against fio at fio's best
# configuration for a sequential read (io_uring, 32 requests in flight,
# O_DIRECT, 128 KiB and 1 MiB requests: the better of the two is the
# yardstick), on the same device, in the same run, in turns: each round runs
# the three commands once, and the order rotates from round to round so that
# none of them always goes first. Then the quick test's time budget on a slow
# disk. Needs root, loop devices, fio; the budget part needs the FUSE helper.
#   sh tests/perf/bench-readtest.sh BUILD_DIR [SIZE_MIB [ROUNDS [DEVICE]]]
# DEVICE (a block device name such as nvme0n1) is read instead of a RAM loop
# device: read only, by both tools. CBD_READ_ENGINE=threads|pread measures
# the fallbacks. FIO_EXTRA adds options to fio's command (such as
# --gtod_reduce=1: fewer clock reads). Prints markdown for docs/performance.md, the load average
# before and after beside it.
set -eu
build=${1:?build dir}
size_mib=${2:-2048}
rounds=${3:-15}
device=${4:-}
readtest="$build/tests/device/readtest-device"
baddisk="$build/tests/device/baddisk-fuse"
PY=/usr/bin/python3
command -v fio >/dev/null || { echo "fio is not installed"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "needs root (loop devices, O_DIRECT on a block device)"; exit 77; }
T=$(mktemp -d /var/tmp/cbd-bench-XXXXXX)
IMG=""
LOOPS=""
cleanup() {
	for l in $LOOPS; do losetup -d "$l" 2>/dev/null || true; done
	mountpoint -q "$T/mnt" 2>/dev/null && umount "$T/mnt"
	rm -rf "$T"
	[ -z "$IMG" ] || rm -f "$IMG"
}
trap cleanup EXIT
# a signal (^C, or a closed pipe when the output is cut short) must clean up too
trap 'exit 130' INT TERM HUP PIPE

if [ -n "$device" ]; then
	L=/dev/$device
	name=$device
else
	# A RAM-backed loop device: stable from run to run (this VM's virtual
	# disk is cached by its host and swings by 2x), and the fastest device
	# the tool will meet, where its own overhead shows most.
	IMG=/dev/shm/cbd-bench-$$.img
	dd if=/dev/urandom of="$IMG" bs=1M count="$size_mib" status=none
	L=$(losetup -r -f --show "$IMG")
	LOOPS=$L
	name=$(basename "$L")
fi

fio_mibs() { # BLOCK_SIZE
	# FIO_EXTRA is split into options on purpose
	# shellcheck disable=SC2086
	fio --name=seq --filename="$L" --readonly --rw=read --bs="$1" --direct=1 \
		--ioengine=io_uring --iodepth=32 ${FIO_EXTRA:-} --output-format=json 2>/dev/null |
		$PY -c 'import json,sys; print(round(json.load(sys.stdin)["jobs"][0]["read"]["bw_bytes"]/1048576, 1))'
}
cbd_run() {
	"$readtest" "$name" full >"$T/cbd.json"
	$PY -c 'import json,sys; t=json.load(open(sys.argv[1]))["data"]["devices"][0]["read_test"]; print(t["mib_per_s"], t["engine"], t["queue_depth"], t["request_bytes"] // 1024)' "$T/cbd.json"
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

echo "Device: $L ($(($(blockdev --getsize64 "$L") >> 20)) MiB), max_sectors_kb $(cat "/sys/class/block/$name/queue/max_sectors_kb"), $(nproc) cores"
echo "Load average before: $(loadavg)"
: >"$T/rounds"
how=""
for i in $(seq 1 "$rounds"); do
	f1="" f2="" c=""
	case $((i % 3)) in
	1) order="c f128 f1m" ;;
	2) order="f128 f1m c" ;;
	*) order="f1m c f128" ;;
	esac
	for x in $order; do
		case $x in
		c) set -- $(cbd_run); c=$1; how="$2, $3 in flight, $4 KiB" ;;
		f128) f1=$(fio_mibs 128k) ;;
		f1m) f2=$(fio_mibs 1M) ;;
		esac
	done
	echo "$i $order|$f1 $f2 $c" >>"$T/rounds"
done
echo "Load average after: $(loadavg). cbdiag: $how."
echo
$PY "$(dirname "$0")/readtest-table.py" "$T/rounds"

if [ -z "$device" ] && [ -x "$baddisk" ] && [ -e /dev/fuse ]; then
	mkdir "$T/mnt"
	# a slow 8 GiB disk: 20 ms a read, so 256 regions one at a time would take 5 s
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
