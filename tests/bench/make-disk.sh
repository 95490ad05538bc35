#!/bin/sh
# The repair stick as one disk image, bootable by both firmware paths x86
# Chromebooks offer: legacy BIOS (SeaBIOS, the RW_LEGACY slot) through
# syslinux's MBR and ldlinux.sys, and UEFI (full-ROM firmware) through
# syslinux.efi as \EFI\BOOT\BOOTX64.EFI. One FAT16 partition, labelled
# CBDIAG, holds the boot loaders, the kernel, the initramfs and the reports.
# Built without root and without mounting: mtools writes into the partition
# image, sfdisk writes the partition table into the disk image file.
#
#   make-disk.sh IMAGE_DIR OUT.img "KERNEL COMMAND LINE"
#
# IMAGE_DIR holds vmlinuz and initramfs.cpio.gz (build-image.sh). Exits 77
# when a tool is missing (syslinux, syslinux-efi, mtools, dosfstools, fdisk).
set -eu
img=${1:?image dir}
disk=${2:?output disk image}
cmdline=${3:-console=tty0 quiet cbdiag.intern=1}
MBR=/usr/lib/syslinux/mbr/mbr.bin
EFI=/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi
LDE64=/usr/lib/syslinux/modules/efi64/ldlinux.e64
for t in syslinux mcopy mmd mkfs.fat sfdisk; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
for f in "$MBR" "$EFI" "$LDE64"; do
	[ -f "$f" ] || { echo "SKIP: $f is missing (syslinux-common, syslinux-efi)"; exit 77; }
done
# the boot files plus 12 MB for reports (a report is 10-50 kB; a stick that
# is written to a bigger stick keeps this size until someone grows it)
size_mb=$(( ($(stat -c %s "$img/vmlinuz") + $(stat -c %s "$img/initramfs.cpio.gz")) / 1048576 + 12 ))
part=$disk.part
rm -f "$part" "$disk"
# FAT16 fits this size (FAT32 wants 65525 clusters or more); hidden sectors =
# the partition's offset, which syslinux's boot sector needs
mkfs.fat -F 16 -h 2048 -n CBDIAG -C "$part" $((size_mb * 1024)) >/dev/null
cfg=$(mktemp)
printf 'DEFAULT cbdiag\nPROMPT 0\nTIMEOUT 0\nLABEL cbdiag\n  KERNEL /vmlinuz\n  INITRD /initramfs.cpio.gz\n  APPEND %s\n' \
	"$cmdline" >"$cfg"
export MTOOLS_SKIP_CHECK=1
mcopy -i "$part" "$img/vmlinuz" "$img/initramfs.cpio.gz" ::/
mcopy -i "$part" "$cfg" ::/syslinux.cfg
mmd -i "$part" ::/EFI ::/EFI/BOOT ::/reports
mcopy -i "$part" "$EFI" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$part" "$LDE64" ::/EFI/BOOT/ldlinux.e64
mcopy -i "$part" "$cfg" ::/EFI/BOOT/syslinux.cfg
rm -f "$cfg"
# ldlinux.sys and the FAT boot sector, for BIOS
syslinux --install "$part"
# the disk: an MBR with the partition from 1 MiB, active, FAT16 LBA
truncate -s $(((size_mb + 2) * 1048576)) "$disk"
echo 'start=2048, type=e, bootable' | sfdisk -q "$disk"
dd if="$MBR" of="$disk" bs=440 count=1 conv=notrunc status=none
dd if="$part" of="$disk" bs=1M seek=1 conv=notrunc status=none
rm -f "$part"
echo "disk image $disk: $(du -h "$disk" | cut -f1), BIOS (syslinux) and UEFI (syslinux.efi), FAT16 CBDIAG"
