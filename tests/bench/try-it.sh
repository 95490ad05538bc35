#!/bin/sh
# Try the repair image without a Chromebook: boot it on the virtual
# Chromebook of the bench's healthy scenario (NVMe disk, xhci and ehci USB,
# a virtio-gpu screen with a real panel's EDID, the PS/2 keyboard) with its
# console in this terminal, and walk through what an intern does: ticket
# number and initials, the automatic checks, the key test, the colour
# patterns, the USB port test. Reports land on the virtual stick's CBDIAG
# partition (kept in OUT_DIR/stick.img between runs).
#
#   sh tests/bench/try-it.sh [BUILD_DIR [OUT_DIR]]
#
# The key test and the colour patterns need the QEMU window (keys typed there
# reach the guest's PS/2 keyboard, the patterns show there): it opens when
# this session has a display. Without one, the key test ends by itself when
# no key comes within 20 s, and the patterns can be skipped (s).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build}
out=${2:-$build/try-it}
cbdiag=$build/diag/cbdiag
[ -x "$cbdiag" ] || { echo "no $cbdiag: build first (meson setup build && meson compile -C build)"; exit 2; }
QEMU=$(command -v qemu-system-x86_64) || { echo "qemu-system-x86_64 is not installed (sh .ci/install-deps --tests)"; exit 2; }
mkdir -p "$out"
sh "$here/build-image.sh" "$cbdiag" "$out" >/dev/null
if [ ! -f "$out/nvme.img" ]; then
	truncate -s 256M "$out/nvme.img"
fi
# the repair stick itself, booted by the virtual machine's BIOS (SeaBIOS) as a
# Chromebook's RW_LEGACY firmware would; made again from this build each
# time, with the reports of earlier tries carried over
export MTOOLS_SKIP_CHECK=1
rm -rf "$out/old-reports"
if [ -f "$out/stick.img" ]; then
	mcopy -s -n -i "$out/stick.img@@1M" ::/reports "$out/old-reports" 2>/dev/null || true
fi
sh "$here/make-disk.sh" "$out" "$out/stick.img" \
	"console=tty0 console=ttyS0 quiet panic=-1 cbdiag.intern=1 drm.edid_firmware=Virtual-1:edid/panel.bin" >/dev/null
if [ -d "$out/old-reports" ] && [ -n "$(ls "$out/old-reports")" ]; then
	mcopy -n -i "$out/stick.img@@1M" "$out"/old-reports/* ::/reports/
fi
truncate -s 64M "$out/test-stick.img"
accel=tcg
if grep -qw -e vmx -e svm /proc/cpuinfo && [ -e /dev/kvm ]; then accel=kvm; fi
display="-display none"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then display="-display gtk"; fi
cat <<MSG
Booting the repair image ($accel$( [ "$accel" = tcg ] && echo ", emulated: give it 15-30 s")).
The guest's console is this terminal. QEMU's monitor: Ctrl-A then c (again to come back);
Ctrl-A then x quits. For the USB port test, plug the test stick from the monitor:
    device_add usb-storage,bus=xhci.0,port=2,drive=teststick,id=st     (xhci port 2: 5000 Mb/s)
    device_add usb-storage,bus=ehci.0,port=1,drive=teststick,id=st     (USB2-only: 480 Mb/s)
    device_del st                                                      (unplug)
Reports are kept on the virtual stick $out/stick.img (mtools: mdir -i $out/stick.img@@1M ::reports).
MSG
[ "$display" = "-display none" ] &&
	echo "No display here: the key test and colour patterns have no window to use (skip them)."
# shellcheck disable=SC2086
exec "$QEMU" -accel $accel -m 1024 -smp 1 $display -vga none \
	-serial mon:stdio -nic none \
	-drive file="$out/nvme.img",if=none,id=nv0,format=raw -device nvme,serial=TRYIT0000001,drive=nv0 \
	-device qemu-xhci,id=xhci,p2=3,p3=3 -device usb-ehci,id=ehci \
	-drive file="$out/stick.img",if=none,id=repair,format=raw \
	-device usb-storage,bus=xhci.0,port=1,drive=repair,bootindex=0 \
	-blockdev driver=file,filename="$out/test-stick.img",node-name=tsf,read-only=on \
	-blockdev driver=raw,file=tsf,node-name=teststick,read-only=on \
	-device virtio-gpu-pci,edid=on,xres=1366,yres=768
