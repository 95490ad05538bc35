#!/bin/sh
# The arm64 repair image for the bench (issue 13, part 3): Debian's arm64
# kernel (linux-image-arm64's package, downloaded and unpacked, never
# installed), the probes' modules with their dependency closure, an arm64
# static busybox (busybox-static:arm64, unpacked), cbdiag cross-built for
# aarch64 with its libraries (make-bundle.sh's closure), the bench's SMBus
# battery module (cbdiag_sbs_bus.c, cross-built against the arm64 headers
# with the build machine's kbuild tools) in a second, bench-only archive, the
# panel EDID, and the same tests/bench/init as the x86 image.
#
#   arm64/build-image.sh CBDIAG_AARCH64 OUT_DIR
#
# Writes OUT_DIR/Image (Debian ships the arm64 kernel as an uncompressed
# Image), OUT_DIR/initramfs.cpio.gz and OUT_DIR/bench.cpio.gz. Exits 77 when a tool or a package
# cannot be had.
set -eu
cbdiag=${1:?aarch64 cbdiag}
out=${2:?output dir}
mkdir -p "$out" && out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
bench=$(cd "$here/.." && pwd)
src=$(cd "$here/../../.." && pwd)
for t in modprobe depmod cpio dpkg-deb apt-get aarch64-linux-gnu-gcc make busybox; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
mkdir -p "$out/debs"
kpkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
kpkg=${kpkg%:arm64}
[ -n "$kpkg" ] || { echo "SKIP: apt does not know linux-image-arm64:arm64 (dpkg --add-architecture arm64; apt-get update)"; exit 77; }
kver=${kpkg#linux-image-}
get() { # get PACKAGE: its arm64 .deb in OUT_DIR/debs, the path on stdout
	ls "$out/debs/${1}_"*_arm64.deb >/dev/null 2>&1 ||
		(cd "$out/debs" && apt-get download -q "$1:arm64" >/dev/null 2>&1) || return 1
	ls "$out/debs/${1}_"*_arm64.deb | head -1
}
# ARM64_KERNEL_DEB (and ARM64_HEADERS_DEB for the bench's battery module):
# a kernel package of one's own instead, e.g. arm64/build-kernel.sh's
if [ -n "${ARM64_KERNEL_DEB:-}" ]; then
	kdeb=$ARM64_KERNEL_DEB
	kpkg=$(dpkg-deb -f "$kdeb" Package)
	kver=${kpkg#linux-image-}
	hdeb=${ARM64_HEADERS_DEB:-}
else
	kdeb=$(get "$kpkg") || { echo "SKIP: cannot download $kpkg:arm64"; exit 77; }
	hdeb=$(get "linux-headers-$kver") || { echo "SKIP: cannot download linux-headers-$kver:arm64"; exit 77; }
fi
bdeb=$(get busybox-static) || { echo "SKIP: cannot download busybox-static:arm64"; exit 77; }

k=$out/kernel
root=$out/root
rm -rf "$k" "$root" "$out/hdr" "$out/bb"
dpkg-deb -x "$kdeb" "$k"
cp "$k/boot/vmlinuz-$kver" "$out/Image"
[ -f "$k/lib/modules/$kver/modules.dep" ] || depmod -b "$k" "$kver"

mkdir -p "$root"/bin "$root"/sbin "$root"/usr/bin "$root"/etc "$root"/proc "$root"/sys \
	"$root"/dev "$root"/run "$root"/tmp "$root"/lib/firmware/edid "$root"/lib/aarch64-linux-gnu
dpkg-deb -x "$bdeb" "$out/bb"
cp "$out/bb/bin/busybox" "$root/bin/busybox"
for a in $(busybox --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done

# cbdiag and its libraries: the developer-shell bundle's closure, installed
# where Debian's arm64 loader looks
sh "$bench/devshell/make-bundle.sh" "$cbdiag" aarch64 "$out" >/dev/null
cp "$out/cbdiag-aarch64/bin/cbdiag" "$root/usr/bin/cbdiag"
cp "$out/cbdiag-aarch64/lib/"* "$root/lib/aarch64-linux-gnu/"
ln -s aarch64-linux-gnu/ld-linux-aarch64.so.1 "$root/lib/ld-linux-aarch64.so.1"
if [ -d "$out/cbdiag-aarch64/share/locale" ]; then
	mkdir -p "$root/usr/share" "$root/usr/lib"
	cp -r "$out/cbdiag-aarch64/share/locale" "$root/usr/share/locale"
	cp -r "$out/cbdiag-aarch64/locale" "$root/usr/lib/locale"
fi
rm -rf "$out/cbdiag-aarch64" "$out/cbdiag-aarch64.tar.gz"

# the modules, as an ordered insmod list: the bench's devices (virtio, NVMe,
# xHCI/EHCI, USB storage and HID, virtio-gpu), and what ARM Chromebooks'
# device trees bind on a real board and nothing binds here: the ChromeOS EC
# over SPI or I2C with its keyboard matrix, I2C tunnel (the battery behind
# it, sbs-battery), USB-PD chargers and Type-C ports; Rockchip's SPI and
# eMMC, Qualcomm's eMMC; the VPD from the coreboot table (vpd-sysfs has no
# alias: listed by name)
modules="virtio_pci nvme xhci_pci ehci_pci usbhid hid_generic usb_storage sd_mod evdev virtio_gpu
	vfat nls_cp437 nls_iso8859_1 sbs-battery
	cros_ec_spi cros_ec_i2c cros_ec_keyb i2c_cros_ec_tunnel cros_usbpd_charger cros_ec_typec
	spi_rockchip dw_mmc_rockchip sdhci_msm mmc_block vpd-sysfs"
: >"$root/etc/modules.list"
for m in $modules; do
	modprobe -d "$k" -S "$kver" --show-depends "$m" 2>/dev/null | awk '$1=="insmod"{print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
	rel=${ko#"$k"}
	mkdir -p "$root$(dirname "$rel")"
	cp "$ko" "$root$rel"
	opts=
	case "$(basename "$rel")" in
	usb-storage.ko* | usb_storage.ko*) opts="delay_use=0" ;;
	esac
	echo "$rel $opts" >>"$root/etc/modules.list"
done
grep -q sbs-battery "$root/etc/modules.list" || { echo "FAIL sbs-battery is not in $kpkg"; exit 1; }

# the bench's battery, in a second archive the bench appends (the kernel
# unpacks both; its modules.list replaces the image's): an SMBus with a Smart
# Battery (cbdiag_sbs_bus.c) handed to the real sbs-battery driver, loaded
# last, its values from the kernel command line (cbdiag_sbs_bus.full_mah=…).
# Never in the image itself: on a Chromebook it would be a second battery.
# Built against the arm64 headers, whose kbuild scripts link to the build
# machine's own linux-kbuild (host programs); the common headers come with
# linux-headers-amd64 of the same version.
rm -f "$out/bench.cpio.gz"
common=/usr/src/linux-headers-$(echo "$kver" | sed 's/-arm64$//')-common
if [ -n "$hdeb" ] && [ -d "$common" ] && [ -d /usr/lib/linux-kbuild-6.1 ]; then
	rm -rf "$out/hdr"
	dpkg-deb -x "$hdeb" "$out/hdr"
	mkdir -p "$out/hdr/usr/lib"
	ln -sfn /usr/lib/linux-kbuild-6.1 "$out/hdr/usr/lib/linux-kbuild-6.1"
	mb=$out/sbs-module
	rm -rf "$mb" && mkdir -p "$mb"
	cp "$here/cbdiag_sbs_bus.c" "$mb/"
	echo 'obj-m += cbdiag_sbs_bus.o' >"$mb/Kbuild"
	make -s -C "$out/hdr/usr/src/linux-headers-$kver" M="$mb" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- modules \
		>"$mb/log" 2>&1 || { cat "$mb/log"; echo "FAIL the bench's battery module did not build"; exit 1; }
	br=$out/bench-root
	rm -rf "$br" && mkdir -p "$br/lib/modules/extra" "$br/etc"
	cp "$mb/cbdiag_sbs_bus.ko" "$br/lib/modules/extra/"
	cp "$root/etc/modules.list" "$br/etc/modules.list"
	echo "/lib/modules/extra/cbdiag_sbs_bus.ko " >>"$br/etc/modules.list"
	(cd "$br" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out/bench.cpio.gz"
else
	echo "arm64/build-image: no headers for $kver ($common, linux-kbuild-6.1): no bench battery module" >&2
fi

cp "$src/tests/fixtures/edid/BOE0A5D-5EB8EC5DADF7.bin" "$root/lib/firmware/edid/panel.bin"
install -m 755 "$bench/init" "$root/init"
install -m 644 "$bench/cbdiag-lang.sh" "$root/etc/cbdiag-lang.sh"
# gzip's default level, not -1: the sticks' room (1.5 MB smaller for 1.2 s
# more here; unpacking at boot is as fast at any level)
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -6 >"$out/initramfs.cpio.gz"
echo "arm64 kernel $kver, $(wc -l <"$root/etc/modules.list") modules, initramfs $(du -h "$out/initramfs.cpio.gz" | cut -f1)"
