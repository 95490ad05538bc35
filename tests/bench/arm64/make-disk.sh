#!/bin/sh
# The arm64 Chromebook repair stick: what an ARM Chromebook's stock firmware
# boots in developer mode (Ctrl+U). A GPT disk with
#
#   1 KERN-A  ChromeOS kernel partition (type FE3A2A5D-...), priority 10,
#             tries 1, successful 1: the signed FIT of arm64/make-fit.sh
#             (kernel, initramfs and the Chromebook boards' device trees)
#   2 CBDIAG  FAT for the reports (reports/), as on the x86 sticks (6 MiB)
#
# Unlike the x86 Chromebook stick (make-chromebook-disk.sh) the whole image
# is in the signed partition: depthcharge on ARM loads a FIT wherever it
# likes, so there is no padding trap, and the partition (about 31 MB) fits
# the smallest kernel buffer of the supported boards (gru: 32 MiB).
#
#   arm64/make-disk.sh IMAGE_DIR OUT.img
#
# IMAGE_DIR is arm64/build-image.sh's output after arm64/make-fit.sh (it
# needs IMAGE_DIR/cbdiag-arm64.kpart). Exits 77 when a tool is missing.
set -eu
img=${1:?image dir}
disk=${2:?output disk image}
for t in cgpt mkfs.fat mmd; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is not installed (cgpt, dosfstools, mtools)"; exit 77; }
done
kp=$img/cbdiag-arm64.kpart
[ -f "$kp" ] || { echo "arm64/make-disk: no signed kernel partition in $img (run arm64/make-fit.sh with depthcharge-tools)" >&2; exit 1; }
mib=1048576
kpart_mib=$(( ($(stat -c %s "$kp") + mib - 1) / mib ))
fat_mib=6 # FAT12 (mkfs.fat picks it at this size): room for about a hundred reports, the stick under 40 MB
fat=$disk.fat
rm -f "$fat" "$disk"
mkfs.fat -n CBDIAG -C "$fat" $((fat_mib * 1024)) >/dev/null
MTOOLS_SKIP_CHECK=1 mmd -i "$fat" ::/reports
# 1 MiB for the protective MBR and the GPT, the two partitions, the backup GPT
truncate -s $(( (1 + kpart_mib + fat_mib) * mib + 64 * 512 )) "$disk"
cgpt create "$disk" 2>/dev/null # (it warns that the blank file has no GPT yet)
cgpt add -i 1 -t kernel -b 2048 -s $((kpart_mib * 2048)) -l KERN-A -P 10 -T 1 -S 1 "$disk"
cgpt add -i 2 -t EBD0A0A2-B9E5-4433-87C0-68B6B72699C7 -b $(( (1 + kpart_mib) * 2048 )) \
	-s $((fat_mib * 2048)) -l CBDIAG "$disk"
cgpt boot -p "$disk" >/dev/null
dd if="$kp" of="$disk" bs=$mib seek=1 conv=notrunc status=none
dd if="$fat" of="$disk" bs=$mib seek=$((1 + kpart_mib)) conv=notrunc status=none
rm -f "$fat"
echo "arm64 disk image $disk: $(stat -c %s "$disk") bytes; kernel partition $(stat -c %s "$kp") bytes, FAT CBDIAG ${fat_mib} MiB"
