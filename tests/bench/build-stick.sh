#!/bin/sh
# The repair sticks, ready to write to a USB stick: the image's kernel and
# initramfs (build-image.sh) in a disk image bootable by BIOS and UEFI
# (make-disk.sh), and in one stock Chromebook firmware boots in developer
# mode (make-chromebook-disk.sh: signed ChromeOS kernel partition), the
# console on the screen, the intern's flow on boot.
#
#   build-stick.sh CBDIAG_BINARY OUT_DIR      -> OUT_DIR/cbdiag-repair.img
#                                                OUT_DIR/cbdiag-chromebook.img
#
# Write it with: dd if=OUT_DIR/cbdiag-repair.img of=/dev/sdX bs=4M conv=fsync
# (docs/repair-image.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cbdiag=${1:?cbdiag binary}
out=${2:?output dir}
sh "$here/build-image.sh" "$cbdiag" "$out"
sh "$here/make-disk.sh" "$out" "$out/cbdiag-repair.img" "console=tty0 quiet cbdiag.intern=1"
rc=0
sh "$here/make-chromebook-disk.sh" "$out" "$out/cbdiag-chromebook.img" "console=tty0 quiet cbdiag.intern=1" || rc=$?
if [ "$rc" -eq 77 ]; then
	echo "build-stick: no Chromebook stick (install depthcharge-tools, vboot-kernel-utils, cgpt)" >&2
elif [ "$rc" -ne 0 ]; then
	exit "$rc"
fi
