#!/bin/sh
# Never harm the device under test. Runs the whole storage probe (cbdiag run
# --probe storage --storage-scan full) and the read test on a real loop
# device under strace, and fails if any block device or sysfs file is opened
# for writing, if any discard/zero-out/secure-erase/read-only-flag/partition
# ioctl is issued, or if anything is mounted. The read test's io_uring reads
# do not show as system calls: for them the trace must show the ring created
# disabled, restricted by the kernel to IORING_OP_READ (nothing else: no
# write, fsync or discard can be submitted to it) and only then enabled. It
# also checks that the trace saw the block-device opens at all, so a broken
# trace cannot pass.
set -u
: "${CBDIAG:?}" "${READTEST:?}"
command -v strace >/dev/null || { echo "SKIP: strace is not installed"; exit 77; }
T=$(mktemp -d /tmp/cbd-safety-XXXXXX)
LOOP=""
cleanup() { [ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
passed=0 failed=0
check() {
	d=$1; shift
	if "$@"; then echo "ok   $d"; passed=$((passed + 1)); else echo "FAIL $d"; failed=$((failed + 1)); fi
}
SYSCALLS=open,openat,openat2,creat,ioctl,mount,umount2,fsopen,fsmount,move_mount,mount_setattr,truncate,ftruncate,fallocate,io_uring_setup,io_uring_register

# the one io_uring registration that may be seen: a restriction to reads alone
ONLY_READ='io_uring_register\([0-9]+, IORING_REGISTER_RESTRICTIONS, \[\{opcode=IORING_RESTRICTION_SQE_OP, sqe_op=IORING_OP_READ\}\], 1\) = 0'

# 1. the storage probe as interns run it, on whatever disks this machine has
# (in an ASan build LeakSanitizer cannot work under ptrace: the traced runs
# leave the leak check to the untraced ones in the other suites)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -qq -e trace=$SYSCALLS -o "$T/probe.trace" \
	"$CBDIAG" run --no-interactive --probe storage --storage-scan full -o "$T/r.json" \
	>/dev/null 2>&1
check "the probe ran and wrote its report" test -s "$T/r.json"
check "the trace saw the probe list /sys/block" grep -q '"/sys/block' "$T/probe.trace"

# 2. the read test itself on a real block device (a loop device), if allowed
if [ "$(id -u)" -eq 0 ] && truncate -s 16M "$T/disk.img" &&
	LOOP=$(losetup -r -f --show "$T/disk.img" 2>/dev/null); then
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -e trace=$SYSCALLS -o "$T/read.trace" \
		"$READTEST" "$(basename "$LOOP")" full >"$T/read.json"
	check "the trace saw the read-only O_DIRECT open of $LOOP" \
		grep -qE "\"$LOOP\", O_RDONLY[^)]*O_DIRECT" "$T/read.trace"
	check "the loop device was read in full" grep -q '"bytes_read":16777216' "$T/read.json"
	if grep -q '"engine":"io_uring"' "$T/read.json"; then
		check "the io_uring ring was created disabled" \
			grep -qE 'io_uring_setup\([0-9]+, \{flags=[^}]*IORING_SETUP_R_DISABLED' "$T/read.trace"
		check "the ring was restricted to IORING_OP_READ alone" \
			grep -qE "$ONLY_READ" "$T/read.trace"
		check "the ring was enabled after the restriction" \
			sh -c "grep -E 'IORING_REGISTER_(RESTRICTIONS|ENABLE_RINGS)' '$T/read.trace' |
				sed -n 2p | grep -q ENABLE_RINGS"
	else
		echo "note: the read test did not use io_uring here: $(grep -o '"engine":"[a-z_]*"' "$T/read.json")"
	fi
else
	echo "note: no loop device here; only the probe run is traced"
	: >"$T/read.trace"
fi

WRITE_OPEN='open(at2?)?\(.*"/(dev|sys)/[^"]*".*(O_WRONLY|O_RDWR|O_TRUNC|O_CREAT)'
BAD_IOCTL='ioctl\([0-9]+, (BLKDISCARD|BLKSECDISCARD|BLKZEROOUT|BLKROSET|BLKRRPART|BLKPG|BLKFLSBUF|BLKBSZSET|FIFREEZE|FITRIM|BLKRESETZONE)'
# the patterns must catch what they are for (a check that cannot fail proves nothing)
printf '%s\n' '1 openat(AT_FDCWD, "/dev/sda", O_RDWR|O_CLOEXEC) = 3' >"$T/self.trace"
check "self-test: a write open is caught" grep -qE "$WRITE_OPEN" "$T/self.trace"
printf '%s\n' '1 ioctl(3, BLKDISCARD, [0, 4096]) = 0' >"$T/self.trace"
check "self-test: a discard is caught" grep -qE "$BAD_IOCTL" "$T/self.trace"

printf '%s\n' '1 io_uring_register(4, IORING_REGISTER_RESTRICTIONS, [{opcode=IORING_RESTRICTION_SQE_OP, sqe_op=IORING_OP_READ}, {opcode=IORING_RESTRICTION_SQE_OP, sqe_op=IORING_OP_WRITE}], 2) = 0' >"$T/self.trace"
check "self-test: a ring that also allows writes is not taken for read-only" \
	sh -c "! grep -qE '$ONLY_READ' '$T/self.trace'"

cat "$T/probe.trace" "$T/read.trace" >"$T/all.trace"
# opens of /dev or /sys with any write access
bad=$(grep -E "$WRITE_OPEN" "$T/all.trace" || true)
check "no device or sysfs file opened for writing${bad:+: $bad}" test -z "$bad"
bad=$(grep -E 'creat\(|truncate\(|fallocate\(' "$T/all.trace" | grep -E '/(dev|sys)/' || true)
check "no creat/truncate/fallocate on devices" test -z "$bad"
bad=$(grep -E "$BAD_IOCTL" "$T/all.trace" || true)
check "no discard, zero-out, secure-erase or partition ioctl${bad:+: $bad}" test -z "$bad"
bad=$(grep -E '(^|[^_])(mount|umount2|fsmount|move_mount|mount_setattr|fsopen)\(' "$T/all.trace" || true)
check "nothing mounted${bad:+: $bad}" test -z "$bad"
# a ring that is not restricted to reads, or registers anything else
bad=$(grep -E 'io_uring_register\(' "$T/all.trace" | grep -vE "$ONLY_READ" |
	grep -vE 'IORING_REGISTER_ENABLE_RINGS, NULL, 0\) = 0' || true)
check "no io_uring registration but the read-only restriction${bad:+: $bad}" test -z "$bad"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
