#!/bin/sh
# The arm64 image in the format depthcharge boots on ARM Chromebooks: a FIT
# (U-Boot's mkimage) with the kernel compressed with LZ4, the initramfs, and
# one configuration per device tree of the Chromebook boards Debian's arm64
# kernel carries (Qualcomm sc7180 trogdor, sc7280 herobrine, sdm845 cheza,
# Rockchip rk3399 gru; no MediaTek: ARCH_MEDIATEK is off, docs/arm64.md).
# When depthcharge-tools is installed, the kernel partition signed with
# vboot's developer keys (mkdepthcharge, which builds that FIT with mkimage
# and verifies its result with vbutil_kernel), and the FIT is its body.
#
#   arm64/make-fit.sh IMAGE_DIR "KERNEL COMMAND LINE"
#
# IMAGE_DIR is arm64/build-image.sh's output (Image, initramfs.cpio.gz,
# kernel/). Writes IMAGE_DIR/cbdiag-arm64.fit, IMAGE_DIR/fit.dtbs (the list)
# and, with mkdepthcharge, IMAGE_DIR/cbdiag-arm64.kpart. Exits 77 without
# mkimage or lz4.
set -eu
img=${1:?image dir}
cmdline=${2:-console=tty0 quiet cbdiag.intern=1}
for t in mkimage lz4 fdtget; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is not installed (u-boot-tools, lz4, device-tree-compiler)"; exit 77; }
done
kdir=$(ls -d "$img"/kernel/usr/lib/linux-image-*-arm64 | head -1)
kver=${kdir##*/linux-image-}
# the Chromebook boards' device trees: each must name a google,<board> first
: >"$img/fit.dtbs"
for f in "$kdir"/qcom/sc7180-trogdor-*.dtb "$kdir"/qcom/sc7280-herobrine-*.dtb \
	"$kdir"/qcom/sdm845-cheza-*.dtb "$kdir"/rockchip/rk3399-gru-*.dtb; do
	[ -f "$f" ] || continue
	fdtget -t s "$f" / compatible | grep -q '^google,' && echo "$f" >>"$img/fit.dtbs"
done
[ -s "$img/fit.dtbs" ] || { echo "make-fit: no Chromebook device tree in $kdir" >&2; exit 1; }
rm -f "$img/cbdiag-arm64.kpart" "$img/cbdiag-arm64.fit"
if command -v mkdepthcharge >/dev/null && command -v vbutil_kernel >/dev/null && [ -d /usr/share/vboot/devkeys ]; then
	# signed: mkdepthcharge makes the FIT itself (mkimage -f auto, LZ4,
	# kernel_noload) and signs it; the FIT is the partition's body
	# shellcheck disable=SC2046
	mkdepthcharge -A arm64 --format fit -C lz4 -c "$cmdline" -o "$img/cbdiag-arm64.kpart" \
		-- "$img/Image" "$img/initramfs.cpio.gz" $(cat "$img/fit.dtbs") >"$img/mkdepthcharge.log" 2>&1 ||
		{ cat "$img/mkdepthcharge.log"; echo "make-fit: mkdepthcharge failed" >&2; exit 1; }
	vbutil_kernel --get-vmlinuz "$img/cbdiag-arm64.kpart" --vmlinuz-out "$img/cbdiag-arm64.fit" >/dev/null
else
	# unsigned: the same FIT with mkimage
	lz4 -q -9 -f "$img/Image" "$img/Image.lz4"
	# shellcheck disable=SC2046
	mkimage -f auto -A arm64 -O linux -T kernel_noload -C lz4 -a 0 -e 0 -n "cbdiag $kver" \
		-d "$img/Image.lz4" -i "$img/initramfs.cpio.gz" $(sed 's/^/-b /' "$img/fit.dtbs") \
		"$img/cbdiag-arm64.fit" >/dev/null
	rm -f "$img/Image.lz4"
fi
echo "FIT $(stat -c %s "$img/cbdiag-arm64.fit") bytes, $(wc -l <"$img/fit.dtbs") device trees$( [ -f "$img/cbdiag-arm64.kpart" ] && echo ", signed kernel partition $(stat -c %s "$img/cbdiag-arm64.kpart") bytes")"
