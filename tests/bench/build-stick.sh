#!/bin/sh
# The repair stick, ready to write to a USB stick: the image's kernel and
# initramfs (build-image.sh) in a disk image bootable by BIOS and UEFI
# (make-disk.sh), the console on the screen, the intern's flow on boot.
#
#   build-stick.sh CBDIAG_BINARY OUT_DIR      -> OUT_DIR/cbdiag-repair.img
#
# Write it with: dd if=OUT_DIR/cbdiag-repair.img of=/dev/sdX bs=4M conv=fsync
# (docs/repair-image.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cbdiag=${1:?cbdiag binary}
out=${2:?output dir}
sh "$here/build-image.sh" "$cbdiag" "$out"
sh "$here/make-disk.sh" "$out" "$out/cbdiag-repair.img" "console=tty0 quiet cbdiag.intern=1"
