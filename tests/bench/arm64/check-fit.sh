#!/bin/sh
# Checks the arm64 FIT and, when there is one, the signed kernel partition
# (arm64/make-fit.sh) with the field's own tools: U-Boot's dumpimage reads
# the FIT (one configuration per Chromebook device tree, each with the
# kernel and the initramfs; the kernel LZ4, AArch64), the device trees in it
# name google,<board>; vbutil_kernel verifies the partition against vboot's
# developer keys and the FIT taken back out of the signed partition is read
# by dumpimage again, so the blob that is signed is the blob that is checked.
# Prints ok/FAIL lines.
#
#   arm64/check-fit.sh IMAGE_DIR
set -u
img=${1:?image dir}
fit=$img/cbdiag-arm64.fit
n=$(wc -l <"$img/fit.dtbs")
t=$(mktemp -d)
check() { # check FIT LABEL
	dumpimage -l "$1" >"$t/l" 2>&1 || { echo "FAIL dumpimage cannot read the $2"; return; }
	confs=$(grep -c '^ Configuration [0-9]' "$t/l")
	fdts=$(grep -c '^  Type: *Flat Device Tree' "$t/l")
	if [ "$confs" -eq "$n" ] && [ "$fdts" -eq "$n" ]; then
		echo "ok   dumpimage: the $2 has $confs configurations and $fdts device trees"
	else
		echo "FAIL dumpimage: the $2 has $confs configurations and $fdts device trees, want $n"
	fi
	if grep -q 'Type: *Kernel Image (no loading done)' "$t/l" && grep -q 'Compression: *lz4 compressed' "$t/l" &&
		grep -q 'Architecture: *AArch64' "$t/l" && grep -q 'Type: *RAMDisk Image' "$t/l"; then
		echo "ok   dumpimage: the $2's kernel is AArch64, LZ4, kernel_noload, with a ramdisk"
	else
		echo "FAIL dumpimage: the $2's kernel or ramdisk is not as made:"
		sed -n '1,30p' "$t/l" | sed 's/^/    /'
	fi
	# every configuration names the kernel and the ramdisk
	k=$(grep -c '^  Kernel: ' "$t/l") r=$(grep -c '^  Init Ramdisk: ' "$t/l")
	[ "$k" -eq "$n" ] && [ "$r" -eq "$n" ] && echo "ok   every configuration of the $2 boots the kernel with the initramfs" ||
		echo "FAIL the $2's configurations: $k with a kernel, $r with a ramdisk, want $n"
	# the device trees inside: the first and the last, their compatible
	bad=0
	for i in 0 $((n - 1)); do
		p=$(grep '^ Image [0-9]* (fdt-' "$t/l" | sed -n "$((i + 1))p" | sed 's/^ Image \([0-9]*\).*/\1/')
		dumpimage -T flat_dt -p "$p" -o "$t/x.dtb" "$1" >/dev/null 2>&1 &&
			fdtget -t s "$t/x.dtb" / compatible | grep -q '^google,' || bad=$((bad + 1))
	done
	[ $bad -eq 0 ] && echo "ok   the $2's device trees name google,<board>" ||
		echo "FAIL a device tree in the $2 does not name google,<board>"
}
[ -f "$img/cbdiag-arm64.kpart" ] || check "$fit" FIT
if [ -f "$img/cbdiag-arm64.kpart" ]; then
	kp=$img/cbdiag-arm64.kpart
	if vbutil_kernel --verify "$kp" --signpubkey /usr/share/vboot/devkeys/kernel_subkey.vbpubk >"$t/v" 2>&1 &&
		grep -q 'Body verification succeeded' "$t/v"; then
		echo "ok   vbutil_kernel verifies the arm64 kernel partition against the developer keys"
	else
		echo "FAIL vbutil_kernel --verify:"; sed 's/^/    /' "$t/v" | tail -5
	fi
	if vbutil_kernel --get-vmlinuz "$kp" --vmlinuz-out "$t/body" >/dev/null 2>&1; then
		check "$t/body" "FIT out of the signed partition"
		signed=$t/body
	else
		echo "FAIL vbutil_kernel --get-vmlinuz cannot take the FIT out of the partition"
	fi
	s=$(stat -c %s "$kp")
	# depthcharge's image-max-size: 32 MiB on gru (rk3399), 512 MiB on trogdor/kukui (FIRMWARE-NOTES §1)
	[ "$s" -le 33554432 ] && echo "ok   the arm64 kernel partition is $s bytes: within gru's 32 MiB" ||
		echo "FAIL the arm64 kernel partition is $s bytes: over gru's 32 MiB image-max-size"
	# the stick: that partition as KERN-A of a GPT, checked with cgpt and cut
	# back out of the disk byte for byte (arm64/make-disk.sh)
	st=$img/cbdiag-arm64-stick.img
	here=$(cd "$(dirname "$0")" && pwd)
	if sh "$here/make-disk.sh" "$img" "$st" >"$t/disk" 2>&1; then
		cgpt show -i 1 -t "$st" >"$t/ty" 2>&1
		a="$(cgpt show -i 1 -P "$st") $(cgpt show -i 1 -T "$st") $(cgpt show -i 1 -S "$st")"
		if grep -qi 'FE3A2A5D-4F32-41A7-B725-ACCC3285A309' "$t/ty" && [ "$a" = "10 1 1" ]; then
			echo "ok   cgpt: the arm64 stick's KERN-A is a ChromeOS kernel partition, priority 10, tries 1, successful 1"
		else
			echo "FAIL cgpt: the arm64 stick's KERN-A: type $(cat "$t/ty"), priority/tries/successful $a"
		fi
		b=$(cgpt show -i 1 -b "$st")
		dd if="$st" of="$t/kern-a" bs=512 skip="$b" count=$(( ($(stat -c %s "$kp") + 511) / 512 )) status=none
		if cmp -s -n "$(stat -c %s "$kp")" "$t/kern-a" "$kp" &&
			vbutil_kernel --verify "$t/kern-a" --signpubkey /usr/share/vboot/devkeys/kernel_subkey.vbpubk >/dev/null 2>&1; then
			echo "ok   the partition cut out of the arm64 stick is the signed one, byte for byte, and verifies"
		else
			echo "FAIL the partition cut out of the arm64 stick is not the signed one"
		fi
		ss=$(stat -c %s "$st")
		[ "$ss" -lt 40000000 ] && echo "ok   the arm64 stick image is $ss bytes: under 40 MB" ||
			echo "FAIL the arm64 stick image is $ss bytes: 40 MB or more"
	else
		echo "FAIL the arm64 stick could not be made: $(tail -1 "$t/disk")"
	fi
else
	echo "note: no mkdepthcharge or no developer keys (depthcharge-tools, vboot-kernel-utils): the FIT is not signed"
fi
# what the bench boots: the kernel and the initramfs taken out of the signed
# partition's FIT (or the FIT, unsigned), which must be the image's, byte
# for byte: IMAGE_DIR/fit-Image, IMAGE_DIR/fit-initramfs.cpio.gz
from=${signed:-$fit}
rm -f "$img/fit-Image" "$img/fit-initramfs.cpio.gz"
dumpimage -l "$from" >"$t/l" 2>/dev/null
ki=$(sed -n 's/^ Image \([0-9]*\) (kernel.*/\1/p' "$t/l" | head -1)
ri=$(sed -n 's/^ Image \([0-9]*\) (ramdisk.*/\1/p' "$t/l" | head -1)
if [ -n "$ki" ] && [ -n "$ri" ] &&
	dumpimage -T flat_dt -p "$ki" -o "$t/k.lz4" "$from" >/dev/null 2>&1 &&
	lz4 -q -d -f "$t/k.lz4" "$img/fit-Image" &&
	dumpimage -T flat_dt -p "$ri" -o "$img/fit-initramfs.cpio.gz" "$from" >/dev/null 2>&1 &&
	cmp -s "$img/fit-Image" "$img/Image" && cmp -s "$img/fit-initramfs.cpio.gz" "$img/initramfs.cpio.gz"; then
	echo "ok   the kernel and the initramfs out of the ${signed:+signed }FIT are the image's, byte for byte (the bench boots these)"
else
	echo "FAIL the kernel or the initramfs out of the ${signed:+signed }FIT differ from the image's (or cannot be taken out)"
	rm -f "$img/fit-Image" "$img/fit-initramfs.cpio.gz"
fi
rm -rf "$t"
