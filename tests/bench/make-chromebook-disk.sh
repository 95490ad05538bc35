#!/bin/sh
# The Chromebook repair stick: what stock ChromeOS firmware boots in
# developer mode (Ctrl+U, "Boot from external disk"). A GPT disk with
#
#   1 KERN-A  ChromeOS kernel partition (type FE3A2A5D-...), priority 10,
#             tries 1, successful 1: Debian's kernel and a small first-stage
#             initramfs (init-stage1), packed and signed with vboot's
#             developer keys by depthcharge-tools' mkdepthcharge
#   2 CBDIAG  FAT (basic data: Windows and macOS show it too): cbdiag/initramfs.cpio.gz (the image the PC stick boots,
#             its sha256 signed into partition 1) and the reports
#
# Why two stages: mkdepthcharge pads the kernel so that its initramfs lies
# above where the kernel unpacks itself unless the initramfs is under about
# 8 MiB; the image's 17 MB initramfs would make a 99 MB kernel partition
# (docs/repair-image.md, FIRMWARE-NOTES). The first stage is about 2 MB.
#
#   make-chromebook-disk.sh IMAGE_DIR OUT.img ["KERNEL COMMAND LINE"]
#
# IMAGE_DIR is build-image.sh's output (vmlinuz, initramfs.cpio.gz, the
# unpacked kernel package in kernel/). Also leaves IMAGE_DIR/stage1.cpio.xz
# and IMAGE_DIR/cbdiag.kpart. Exits 77 when a tool is missing.
set -eu
img=${1:?image dir}
disk=${2:?output disk image}
cmdline=${3:-console=tty0 quiet cbdiag.intern=1}
here=$(cd "$(dirname "$0")" && pwd)
DEVKEYS=/usr/share/vboot/devkeys
for t in mkdepthcharge cgpt vbutil_kernel mkfs.fat mcopy mmd busybox cpio xz modprobe; do
	command -v "$t" >/dev/null || {
		echo "SKIP: $t is not installed (depthcharge-tools, vboot-kernel-utils, cgpt, mtools, dosfstools)"
		exit 77
	}
done
[ -f "$DEVKEYS/kernel.keyblock" ] || { echo "SKIP: no vboot developer keys in $DEVKEYS (vboot-kernel-utils)"; exit 77; }
k=$img/kernel
kver=$(find "$k/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | head -1)
if [ -z "$kver" ] || [ ! -f "$img/vmlinuz" ] || [ ! -f "$img/initramfs.cpio.gz" ]; then
	echo "make-chromebook-disk: $img has no image (run build-image.sh)" >&2
	exit 1
fi

# the first stage: busybox (static), the drivers that reach a USB stick or an
# SD card, FAT, and init-stage1 with the sha256 of the image it may start
s1=$(mktemp -d)
trap 'rm -rf "$s1"' EXIT
mkdir -p "$s1/bin" "$s1/sbin" "$s1/etc" "$s1/proc" "$s1/sys" "$s1/dev"
cp "$(command -v busybox)" "$s1/bin/busybox"
if ldd "$s1/bin/busybox" >/dev/null 2>&1; then
	echo "make-chromebook-disk: busybox is not static (install busybox-static)" >&2
	exit 1
fi
for a in $(busybox --list); do
	[ -e "$s1/bin/$a" ] || ln -s busybox "$s1/bin/$a"
done
: >"$s1/etc/modules.list"
for m in xhci_pci ehci_pci ohci_pci uhci_hcd usb_storage uas sd_mod mmc_block sdhci_pci sdhci_acpi \
	vfat nls_cp437 nls_iso8859_1; do
	modprobe -d "$k" -S "$kver" --show-depends "$m" 2>/dev/null | awk '$1=="insmod"{print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
	rel=${ko#"$k"}
	mkdir -p "$s1$(dirname "$rel")"
	cp "$ko" "$s1$rel"
	opts=
	case "$(basename "$rel")" in usb-storage.ko* | usb_storage.ko*) opts="delay_use=0" ;; esac
	echo "$rel $opts" >>"$s1/etc/modules.list"
done
sha256sum <"$img/initramfs.cpio.gz" | cut -d' ' -f1 >"$s1/etc/stage2.sha256"
install -m 755 "$here/init-stage1" "$s1/init"
# the kernel unpacks xz archives checked with CRC32 only
(cd "$s1" && find . -print0 | cpio --null -o -H newc --quiet) |
	xz --check=crc32 --lzma2=preset=9,dict=8MiB >"$img/stage1.cpio.xz"

# the kernel partition, signed with the developer keys (mkdepthcharge finds
# them in /usr/share/vboot/devkeys and verifies its result itself)
rm -f "$img/cbdiag.kpart"
mkdepthcharge -o "$img/cbdiag.kpart" -c "$cmdline" -- "$img/vmlinuz" "$img/stage1.cpio.xz" \
	>"$img/mkdepthcharge.log" 2>&1 || { cat "$img/mkdepthcharge.log" >&2; exit 1; }
if grep -q 'Padding vmlinuz' "$img/mkdepthcharge.log"; then
	echo "make-chromebook-disk: the first stage is too big: mkdepthcharge padded the kernel" >&2
	exit 1
fi

# the data partition: the image itself and 8 MiB for reports
mib=1048576
kpart_mib=$(( ($(stat -c %s "$img/cbdiag.kpart") + mib - 1) / mib ))
fat_mib=$(( $(stat -c %s "$img/initramfs.cpio.gz") / mib + 1 + 8 ))
fat=$disk.fat
rm -f "$fat" "$disk"
mkfs.fat -F 16 -n CBDIAG -C "$fat" $((fat_mib * 1024)) >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$fat" ::/cbdiag ::/reports
mcopy -i "$fat" "$img/initramfs.cpio.gz" ::/cbdiag/initramfs.cpio.gz

# the disk: 1 MiB for the protective MBR and the GPT, the two partitions, and
# the backup GPT (33 sectors) at the end
truncate -s $(( (1 + kpart_mib + fat_mib) * mib + 64 * 512 )) "$disk"
cgpt create "$disk" 2>/dev/null # (it warns that the blank file has no GPT yet)
cgpt add -i 1 -t kernel -b 2048 -s $((kpart_mib * 2048)) -l KERN-A -P 10 -T 1 -S 1 "$disk"
cgpt add -i 2 -t EBD0A0A2-B9E5-4433-87C0-68B6B72699C7 -b $(( (1 + kpart_mib) * 2048 )) -s $((fat_mib * 2048)) -l CBDIAG "$disk"
cgpt boot -p "$disk" >/dev/null
dd if="$img/cbdiag.kpart" of="$disk" bs=$mib seek=1 conv=notrunc status=none
dd if="$fat" of="$disk" bs=$mib seek=$((1 + kpart_mib)) conv=notrunc status=none
rm -f "$fat"
echo "disk image $disk: $(stat -c %s "$disk") bytes; kernel partition $(stat -c %s "$img/cbdiag.kpart") bytes (first stage $(stat -c %s "$img/stage1.cpio.xz")), FAT CBDIAG ${fat_mib} MiB"
