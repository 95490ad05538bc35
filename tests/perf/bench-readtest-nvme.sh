#!/bin/sh
# Benchmark (not a test): the storage read test against fio on the virtual
# bench's NVMe (QEMU's emulated controller, the disk the bench's scenarios
# test), inside the guest: the bench's repair image with fio, the read test's
# helper (tests/device/readtest-device) and this benchmark's own /init added
# as a second initramfs archive. The same rounds as bench-readtest.sh: fio at
# its best configuration for a sequential read (io_uring, 32 in flight,
# O_DIRECT, 128 KiB and 1 MiB), cbdiag's full read test, the order rotating
# from round to round; the same table (readtest-table.py).
#   sh tests/perf/bench-readtest-nvme.sh BUILD_DIR [SIZE_MIB [ROUNDS]]
# Needs qemu-system-x86_64, fio and what the bench's build-image.sh needs
# (the kernel package is cached in BUILD_DIR/perf-nvme). Under TCG the guest's
# CPU is emulated: the figures are the emulation's, both tools alike.
# FIO_EXTRA adds options to fio's command (as in bench-readtest.sh).
set -eu
build=$(cd "${1:?build dir}" && pwd)
size_mib=${2:-512}
rounds=${3:-9}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
PY=/usr/bin/python3
for t in qemu-system-x86_64 fio cpio gzip; do
	command -v "$t" >/dev/null || { echo "$t is not installed"; exit 77; }
done
readtest="$build/tests/device/readtest-device"
[ -x "$readtest" ] || { echo "no $readtest (build the tests first)"; exit 77; }
cache=$build/perf-nvme
mkdir -p "$cache"
T=$(mktemp -d /var/tmp/cbd-nvme-XXXXXX)
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM HUP PIPE

# the bench's image (its kernel, modules and init), built as the bench builds it
sh "$src/tests/bench/build-image.sh" "$build/diag/cbdiag" "$cache" >"$T/build.log" 2>&1 ||
	{ cat "$T/build.log"; exit 77; }

# the second archive: fio and the helper with their libraries, and /init
x=$T/extra
mkdir -p "$x/usr/bin" "$x/etc"
# the NVMe driver and what it needs, in load order (the image carries them)
kver=$(ls "$cache/kernel/lib/modules")
modprobe -d "$cache/kernel" -S "$kver" --show-depends nvme | awk '$1=="insmod"{print $2}' |
	sed "s|^$cache/kernel||" >"$x/etc/nvme-modules.list"
cp "$(command -v fio)" "$x/usr/bin/fio"
cp "$readtest" "$x/usr/bin/readtest-device"
{ ldd "$x/usr/bin/fio"; ldd "$x/usr/bin/readtest-device"; } |
	awk '/=> \//{print $3} /^\t\/lib/{print $1}' | sort -u | while read -r lib; do
	mkdir -p "$x$(dirname "$lib")"
	cp -L "$lib" "$x$lib"
done
cat >"$x/init" <<EOF
#!/bin/sh
export PATH=/usr/bin:/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
dmesg -n 1
while read -r ko; do insmod "\$ko"; done </etc/nvme-modules.list
for _ in \$(seq 100); do [ -e /dev/nvme0n1 ] && break; sleep 0.1; done
echo "CBD-NVME \$(cat /sys/block/nvme0n1/size) sectors, max_sectors_kb \$(cat /sys/block/nvme0n1/queue/max_sectors_kb), \$(nproc) CPU"
fio_mibs() {
	# terse v3: field 7 is the read bandwidth in KiB/s
	fio --name=seq --filename=/dev/nvme0n1 --readonly --rw=read --bs="\$1" --direct=1 \\
		--ioengine=io_uring --iodepth=32 ${FIO_EXTRA:-} --output-format=terse --terse-version=3 2>/dev/null |
		awk -F';' '{ printf "%.1f", \$7 / 1024 }'
}
cbd_run() {
	readtest-device nvme0n1 full | tr ',' '\n' |
		sed -n 's/^"mib_per_s":\(.*\)/\1/p; s/^"engine":"\(.*\)"/engine=\1/p; s/^"queue_depth":\(.*\)/qd=\1/p; s/^"request_bytes":\(.*\)/req=\1/p' | tr '\n' ' '
}
i=1
while [ \$i -le $rounds ]; do
	case \$((i % 3)) in
	1) order="c f128 f1m" ;;
	2) order="f128 f1m c" ;;
	*) order="f1m c f128" ;;
	esac
	for o in \$order; do
		case \$o in
		c) set -- \$(cbd_run); c=\$1; how="\$2 \$3 \$4" ;;
		f128) f1=\$(fio_mibs 128k) ;;
		f1m) f2=\$(fio_mibs 1M) ;;
		esac
	done
	echo "CBD-ROUND \$i \$order|\$f1 \$f2 \$c"
	i=\$((i + 1))
done
echo "CBD-HOW \$how"
echo "CBD-DONE"
poweroff -f
EOF
chmod 755 "$x/init"
(cd "$x" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$T/extra.cpio.gz"
cat "$cache/initramfs.cpio.gz" "$T/extra.cpio.gz" >"$T/initramfs.cpio.gz"

# the disk: random bytes (nothing for QEMU or the host to skip), in RAM
img=/dev/shm/cbd-nvme-$$.img
trap 'rm -rf "$T" "$img"' EXIT
dd if=/dev/urandom of="$img" bs=1M count="$size_mib" status=none
accel=tcg
if grep -qw -e vmx -e svm /proc/cpuinfo && [ -e /dev/kvm ]; then accel=kvm; fi
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
echo "Load average before: $(loadavg)"
timeout 3600 qemu-system-x86_64 -accel $accel -m 1024 -smp 1 -nodefaults -nographic -no-reboot \
	-kernel "$cache/vmlinuz" -initrd "$T/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 no_timer_check quiet" \
	-serial "file:$T/serial.log" -nic none \
	-drive "file=$img,if=none,id=nv0,format=raw" -device nvme,serial=NVMEPERF0001,drive=nv0 \
	</dev/null >/dev/null 2>&1 || true
echo "Load average after: $(loadavg)"
grep -aq '^CBD-DONE' "$T/serial.log" || { echo "the guest did not finish:"; tail -30 "$T/serial.log"; exit 1; }
tr -d '\r' <"$T/serial.log" | sed -n 's/^CBD-ROUND //p' >"$T/rounds"
echo "Device: QEMU NVMe, $(tr -d '\r' <"$T/serial.log" | sed -n 's/^CBD-NVME //p'), accel $accel; cbdiag: $(tr -d '\r' <"$T/serial.log" | sed -n 's/^CBD-HOW //p')"
echo
$PY "$here/readtest-table.py" "$T/rounds"
