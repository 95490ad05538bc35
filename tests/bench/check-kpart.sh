#!/bin/sh
# Check the Chromebook stick with the field's own tools, and take out of its
# signed kernel partition what the bench then boots: the blob that is signed
# is the blob that is proven.
#
#   check-kpart.sh DISK.img OUT_DIR [IMAGE_DIR]
#
# Prints one "ok"/"FAIL" line per check. Writes OUT_DIR/vmlinuz (the kernel
# as vbutil_kernel gives it back), OUT_DIR/initramfs (the first stage, cut
# out where the boot parameters signed into the partition say it is) and
# OUT_DIR/cmdline (the signed command line, %U replaced by the partition's
# GUID as depthcharge does). With IMAGE_DIR, both are compared with what
# went in. Exits 1 if a check failed, 77 without cgpt/vbutil_kernel/futility.
set -u
disk=${1:?disk image}
out=${2:?output dir}
img=${3:-}
KERNEL_TYPE=FE3A2A5D-4F32-41A7-B725-ACCC3285A309
DEVKEYS=/usr/share/vboot/devkeys
for t in cgpt vbutil_kernel futility; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
fails=0
check() { # check OK-CONDITION-STATUS MESSAGE
	if [ "$1" -eq 0 ]; then echo "ok   $2"; else echo "FAIL $2"; fails=$((fails + 1)); fi
}
mkdir -p "$out"

# the partition table: which partition firmware picks, and how
type=$(cgpt show -i 1 -t "$disk")
[ "$type" = "$KERNEL_TYPE" ]
check $? "cgpt: partition 1 has the ChromeOS kernel type ($type)"
attr=$(cgpt show -i 1 -A "$disk")
prio=$(( (attr >> 0) & 15 )) tries=$(( (attr >> 4) & 15 )) good=$(( (attr >> 8) & 1 ))
[ "$prio" -ge 1 ] && { [ "$good" -eq 1 ] || [ "$tries" -gt 0 ]; }
check $? "cgpt: partition 1 is bootable: priority $prio, tries $tries, successful $good ($attr)"
start=$(cgpt show -i 1 -b "$disk") size=$(cgpt show -i 1 -s "$disk")
dd if="$disk" of="$out/p1.bin" bs=512 skip="$start" count="$size" status=none

# the signature, against the developer keys' kernel subkey (what developer
# mode firmware holds), and not against another key
vbutil_kernel --verify "$out/p1.bin" --signpubkey "$DEVKEYS/kernel_subkey.vbpubk" --verbose \
	>"$out/verify.log" 2>&1
grep -q '^Body verification succeeded' "$out/verify.log"
check $? "vbutil_kernel --verify with the developer kernel subkey: body verification succeeded"
! vbutil_kernel --verify "$out/p1.bin" --signpubkey "$DEVKEYS/recovery_key.vbpubk" >/dev/null 2>&1
check $? "vbutil_kernel --verify with the recovery key fails (the check can fail)"
futility show "$out/p1.bin" >"$out/show.log" 2>&1
flags=$(sed -n 's/^ *Flags: *\([0-9]*\) .*/\1/p' "$out/show.log" | head -1)
[ -n "$flags" ] && [ $((flags & 2)) -ne 0 ]
check $? "futility show: the keyblock is good in developer mode (flags $flags: $(sed -n 's/^ *Flags: *[0-9]* *//p' "$out/show.log" | head -1))"

# depthcharge's kernel buffer: 16 MiB on the oldest boards still in schools
# (baytrail, broadwell, haswell), 32 MiB on skylake/apollolake, 512 MiB on
# newer ones (depthcharge-tools' boards.ini)
body=$(sed -n 's/^ *Body size: *\(0x[0-9a-f]*\)/\1/p' "$out/verify.log" | head -1)
[ -n "$body" ] && [ $((body)) -le $((16 * 1048576)) ] && [ $((body + 0x10000)) -le $((size * 512)) ]
check $? "the kernel body ($((body)) bytes) fits the partition ($((size * 512)) bytes) and a 16 MiB kernel buffer"

# what the firmware hands the kernel: the body is loaded at 0x100000 and the
# partition's body starts at 0x10000
sed -n '/^Config:/{n;p}' "$out/verify.log" >"$out/cmdline.signed"
guid=$(cgpt show -i 1 -u "$disk" | tr '[:upper:]' '[:lower:]')
sed "s/%U/$guid/g" "$out/cmdline.signed" >"$out/cmdline"
grep -q "kern_guid=%U" "$out/cmdline.signed" && grep -q "cbdiag.intern=1" "$out/cmdline.signed"
check $? "the signed command line: $(cat "$out/cmdline.signed")"
vbutil_kernel --get-vmlinuz "$out/p1.bin" --vmlinuz-out "$out/vmlinuz" >/dev/null 2>&1
check $? "vbutil_kernel --get-vmlinuz gives the kernel back"
bl=$(sed -n 's/^ *Bootloader address: *\(0x[0-9a-f]*\)/\1/p' "$out/verify.log" | head -1)
off=$((bl - 0x100000 + 0x10000))
# the x86 boot parameters (the page before the "bootloader", which holds the
# initramfs): ramdisk_image at 0x218, ramdisk_size at 0x21c
rd_at=$(od -An -tu4 -j $((off - 4096 + 0x218)) -N4 "$out/p1.bin" | tr -d ' ')
rd_size=$(od -An -tu4 -j $((off - 4096 + 0x21c)) -N4 "$out/p1.bin" | tr -d ' ')
[ "$rd_at" = "$((bl))" ] && [ "$rd_size" -gt 0 ]
check $? "the signed boot parameters put the initramfs at the bootloader address ($bl, $rd_size bytes)"
dd if="$out/p1.bin" of="$out/initramfs" bs=4096 iflag=skip_bytes,count_bytes skip="$off" count="$rd_size" status=none
if [ -n "$img" ]; then
	cmp -s "$out/initramfs" "$img/stage1.cpio.xz"
	check $? "the initramfs cut out of the partition is the first stage, byte for byte"
	cmp -s -n "$(stat -c %s "$img/vmlinuz")" "$out/vmlinuz" "$img/vmlinuz"
	check $? "the kernel taken out of the partition is Debian's vmlinuz, byte for byte"
fi
[ "$fails" -eq 0 ]
