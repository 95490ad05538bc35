#!/bin/sh
# The read test against real block devices: a loop device over a plain file
# (everything readable), and a loop device over a FUSE file whose reads fail
# in one region (device-mapper's error target is not available on every
# machine; FUSE gives the same real EIO from the block layer). Each through
# every engine: io_uring, and under a seccomp filter ($REFUSE) that refuses
# io_uring (threads), threads too (pread), or O_DIRECT (buffered reads).
# Needs root, loop devices and, for the second part, /dev/fuse: otherwise
# skipped (77).
set -u
: "${READTEST:?}" "${REFUSE:?}" "${BADDISK:=}"
PY=/usr/bin/python3
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for loop devices"; exit 77; }
command -v losetup >/dev/null || { echo "SKIP: losetup missing"; exit 77; }
T=$(mktemp -d /tmp/cbd-blk-XXXXXX)
LOOPS=""
cleanup() {
	for l in $LOOPS; do losetup -d "$l" 2>/dev/null; done
	mountpoint -q "$T/mnt" 2>/dev/null && umount "$T/mnt"
	rm -rf "$T"
}
trap cleanup EXIT
passed=0 failed=0
check() {
	d=$1; shift
	if "$@"; then echo "ok   $d"; passed=$((passed + 1)); else echo "FAIL $d"; failed=$((failed + 1)); fi
}
field() { $PY -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

truncate -s 64M "$T/plain.img"
if ! L=$(losetup -r -f --show "$T/plain.img" 2>"$T/err"); then
	echo "SKIP: cannot set up a loop device: $(cat "$T/err")"
	exit 77
fi
LOOPS="$L"
name=$(basename "$L")
"$READTEST" "$name" full >"$T/full.json"
rt='d["data"]["devices"][0]["read_test"]'
check "plain loop, full: pass" test "$(field "$T/full.json" 'd["status"]')" = pass
check "plain loop, full: all 64 MiB read" test "$(field "$T/full.json" "$rt[\"bytes_read\"]")" = 67108864
check "plain loop, full: O_DIRECT" test "$(field "$T/full.json" "$rt[\"direct_io\"]")" = True
check "plain loop, full: no errors" test "$(field "$T/full.json" "$rt[\"errors\"]")" = 0
# io_uring unless this kernel turns it off for everyone
want=io_uring
[ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 0 ] || want=threads
check "plain loop, full: engine $want" test "$(field "$T/full.json" "$rt[\"engine\"]")" = "$want"
check "plain loop, full: several reads in flight" \
	test "$(field "$T/full.json" "$rt[\"queue_depth\"] > 1")" = True
# the fallbacks, against the kernel's own refusals
"$REFUSE" io_uring -- "$READTEST" "$name" full >"$T/t.json"
check "io_uring refused: engine threads" test "$(field "$T/t.json" "$rt[\"engine\"]")" = threads
check "io_uring refused: all 64 MiB read" \
	test "$(field "$T/t.json" "$rt[\"bytes_read\"]")" = 67108864
"$REFUSE" io_uring threads -- "$READTEST" "$name" full >"$T/p.json"
check "io_uring and threads refused: engine pread" \
	test "$(field "$T/p.json" "$rt[\"engine\"]")" = pread
check "io_uring and threads refused: all 64 MiB read, one at a time" \
	test "$(field "$T/p.json" "($rt[\"bytes_read\"], $rt[\"queue_depth\"])")" = "(67108864, 1)"
"$REFUSE" o_direct -- "$READTEST" "$name" full >"$T/b.json"
check "O_DIRECT refused: direct_io false, all 64 MiB read, pass" \
	test "$(field "$T/b.json" "($rt[\"direct_io\"], $rt[\"bytes_read\"], d[\"status\"])")" = \
	"(False, 67108864, 'pass')"
"$READTEST" "$name" quick >"$T/quick.json"
check "plain loop, quick: 64 regions of 1 MiB" test "$(field "$T/quick.json" "$rt[\"regions_read\"]")" = 64
check "plain loop, quick: pass" test "$(field "$T/quick.json" 'd["status"]')" = pass

if [ -z "$BADDISK" ] || [ ! -e /dev/fuse ]; then
	echo "SKIP: no FUSE helper or /dev/fuse: the bad-region half did not run"
	echo "$passed passed, $failed failed, 1 skipped"
	[ "$failed" -eq 0 ] || exit 1
	exit 77
fi
mkdir "$T/mnt"
# 64 MiB, unreadable from 10 MiB + 4 KiB for 4 KiB: logical blocks 20488..20495
"$BADDISK" "$T/mnt" $((64 << 20)) $(((10 << 20) + 4096)) $(((10 << 20) + 8192)) &
for _ in $(seq 50); do [ -e "$T/mnt/disk" ] && break; sleep 0.1; done
if [ ! -e "$T/mnt/disk" ]; then
	echo "SKIP: the FUSE file system did not come up"
	exit 77
fi
B=$(losetup -r -f --show "$T/mnt/disk") || { echo "FAIL losetup on FUSE"; exit 1; }
LOOPS="$LOOPS $B"
bname=$(basename "$B")
"$READTEST" "$bname" full >"$T/bad.json"
check "bad region, full: fail" test "$(field "$T/bad.json" 'd["status"]')" = fail
check "bad region, full: 8 unreadable blocks" test "$(field "$T/bad.json" "$rt[\"errors\"]")" = 8
check "bad region, full: bad_ranges == [{lba 20488, count 8}]" \
	test "$(field "$T/bad.json" "$rt[\"bad_ranges\"]")" = "[{'lba': 20488, 'count': 8}]"
check "bad region, full: the rest was read" \
	test "$(field "$T/bad.json" "$rt[\"bytes_read\"]")" = $(((64 << 20) - 4096))
check "bad region, full: finding storage.read_errors" \
	test "$(field "$T/bad.json" 'd["findings"][0]["code"]')" = storage.read_errors
for refuse in io_uring "io_uring threads"; do
	# shellcheck disable=SC2086
	"$REFUSE" $refuse -- "$READTEST" "$bname" full >"$T/bad2.json"
	check "bad region, $refuse refused ($(field "$T/bad2.json" "$rt[\"engine\"]")): the same range" \
		test "$(field "$T/bad2.json" "($rt[\"bad_ranges\"], $rt[\"bytes_read\"])")" = \
		"([{'lba': 20488, 'count': 8}], $(((64 << 20) - 4096)))"
done
"$READTEST" "$bname" quick >"$T/badq.json"
check "bad region, quick: found too" \
	test "$(field "$T/badq.json" "$rt[\"bad_ranges\"]")" = "[{'lba': 20488, 'count': 8}]"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
