#!/bin/sh
# Build the repair image's kernel and initramfs for the virtual bench:
# Debian's kernel (unpacked from its .deb, never installed), the kernel
# modules the probes need (their dependency closure, loaded in order by
# /init), busybox, cbdiag with its shared libraries, and the panel EDID the
# bench's virtual screen carries.
#
#   build-image.sh CBDIAG_BINARY OUT_DIR
#
# Writes OUT_DIR/vmlinuz and OUT_DIR/initramfs.cpio.gz; the kernel package is
# cached in OUT_DIR/debs. Exits 77 when a tool or the kernel package cannot be
# had (the bench then reports itself skipped).
set -eu
cbdiag=${1:?cbdiag binary}
out=${2:?output dir}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
for t in busybox modprobe depmod cpio dpkg-deb apt-get; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
mkdir -p "$out/debs"
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
[ -n "$kpkg" ] || { echo "SKIP: apt does not know linux-image-amd64 (run apt-get update)"; exit 77; }
if ! ls "$out/debs/${kpkg}_"*.deb >/dev/null 2>&1; then
	(cd "$out/debs" && apt-get download -q "$kpkg") || { echo "SKIP: cannot download $kpkg"; exit 77; }
fi
deb=$(ls "$out/debs/${kpkg}_"*.deb | head -1)
kver=${kpkg#linux-image-}

k=$out/kernel
root=$out/root
rm -rf "$k" "$root"
dpkg-deb -x "$deb" "$k"
cp "$k/boot/vmlinuz-$kver" "$out/vmlinuz"
[ -f "$k/lib/modules/$kver/modules.dep" ] || depmod -b "$k" "$kver"

mkdir -p "$root"/bin "$root"/sbin "$root"/usr/bin "$root"/etc "$root"/proc "$root"/sys \
	"$root"/dev "$root"/run "$root"/tmp "$root"/lib/firmware/edid
cp "$(command -v busybox)" "$root/bin/busybox"
for a in $(busybox --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done

# cbdiag and the libraries it links; stripped, as a distribution ships it (its
# debugging information is 1.7 MB of the 2.3 MB, and the stick's room goes to
# drivers: the sound card's below)
mkdir -p "$root/usr/bin"
strip -o "$root/usr/bin/cbdiag" "$cbdiag"
# libcurl is not among them (ldd does not list it): the help desk opens it at
# its first use by the soname in report/helpdesk/http.h; the image carries it
# and what it needs, or attach could not work from the stick
curl_so=$(sed -n 's/^#define CBD_HTTP_CURL_SONAME "\(.*\)"$/\1/p' "$src/report/helpdesk/http.h")
curl_lib=
for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu; do
	[ -e "$d/$curl_so" ] && { curl_lib=$d/$curl_so; break; }
done
[ -n "$curl_so" ] && [ -n "$curl_lib" ] ||
	{ echo "build-image: ${curl_so:-libcurl's soname} is not installed (Debian package libcurl4)" >&2; exit 1; }
{
	ldd "$cbdiag"
	printf '\t%s => %s (0)\n' "$curl_so" "$curl_lib"
	ldd "$curl_lib"
} | awk '/=> \//{print $3} /^\t\/lib/{print $1}' | sort -u | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
# where cbdiag has a USB arrival in hand (cbd_hw_usb_monitor_next), as a file
# offset for a uprobe: the bench's arrival-latency figure (init, trace_arrivals)
if command -v nm >/dev/null && command -v readelf >/dev/null; then
	va=$(nm "$cbdiag" | awk '$3=="cbd_hw_usb_monitor_next"{print $1; exit}')
	if [ -n "$va" ]; then
		readelf -lW "$cbdiag" | while read -r type off vaddr _ _ memsz _; do
			[ "$type" = LOAD ] || continue
			if [ $((0x$va)) -ge $((vaddr)) ] && [ $((0x$va)) -lt $((vaddr + memsz)) ]; then
				printf '0x%x\n' $((0x$va - vaddr + off))
				break
			fi
		done >"$root/etc/cbdiag-arrival-uprobe"
	fi
fi

# kernel modules, as an ordered insmod list (/etc/modules.list): the probes'
# drivers and their dependencies, as modprobe resolves them on the host. Most
# school Chromebooks keep their disk on eMMC (sdhci-pci or, on older Atoms,
# sdhci-acpi) and their screen on Intel graphics (i915: the panel's EDID and
# intel_backlight; without its firmware it still drives the display); QEMU's
# devices for the bench; USB Ethernet adapters for attaching reports.
# A Chromebook's firmware identity: the VPD (the label's serial) through the
# coreboot table (coreboot_table is built in; vpd-sysfs has no alias, so it
# is loaded by name here) and the ChromeOS ACPI device (HWID, firmware ids);
# the keyboard backlight of x86 Chromebooks (GOOG0002) and USB-C through UCSI
# (newer boards); the ACPI lid switch and power button (button: x86 Chromebooks' "Lid
# Switch" and "Power Button"); the touchpads and touchscreens (the Intel I2C controllers,
# HID over I2C and its multitouch driver, Elan's own I2C driver, PS/2 pads). cros_ec_typec is left out: Debian's amd64 kernel has no
# CROS_EC_LPC, so it could not reach an x86 Chromebook's EC.
# Sound (the audio probe): Intel HD Audio, on PCs and older Chromebooks, with
# the generic, Realtek and HDMI codec drivers loaded before the controller's
# (the controller asks for its codec's driver through modprobe, which the
# image does not have: BENCH-NOTES). Chromebooks whose sound runs on a DSP
# (Intel SOF, AMD ACP, ARM SoCs) need firmware and drivers the stick does not
# carry; the probe says so (probes/audio/README.md).
modules="virtio_pci nvme ahci mmc_block sdhci_pci sdhci_acpi xhci_pci ehci_pci usbhid hid_generic usb_storage sd_mod evdev
	virtio_gpu i915 battery ac vfat nls_cp437 nls_iso8859_1
	virtio_net r8152 ax88179_178a cdc_ether
	vpd-sysfs chromeos_acpi cros_kbd_led_backlight ucsi_acpi button
	i2c_designware_pci i2c_hid_acpi hid_multitouch elan_i2c psmouse
	snd_hda_codec_generic snd_hda_codec_realtek snd_hda_codec_hdmi snd_hda_intel"
: >"$root/etc/modules.list"
for m in $modules; do
	modprobe -d "$k" -S "$kver" --show-depends "$m" 2>/dev/null | awk '$1=="insmod"{print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
	rel=${ko#"$k"}
	mkdir -p "$root$(dirname "$rel")"
	cp "$ko" "$root$rel"
	opts=
	case "$(basename "$rel")" in
	battery.ko*) opts="cache_time=0" ;;
	usb-storage.ko* | usb_storage.ko*) opts="delay_use=0" ;;
	esac
	echo "$rel $opts" >>"$root/etc/modules.list"
done

# USB names for devices without strings: a udev hwdb compiled from the USB
# vendor/model database only (2.5 MB instead of the host's 13 MB)
if command -v systemd-hwdb >/dev/null && [ -f /usr/lib/udev/hwdb.d/20-usb-vendor-model.hwdb ]; then
	hw=$(mktemp -d)
	mkdir -p "$hw/etc/udev/hwdb.d" "$root/etc/udev"
	cp /usr/lib/udev/hwdb.d/20-usb-vendor-model.hwdb "$hw/etc/udev/hwdb.d/"
	systemd-hwdb --root "$hw" update && cp "$hw/etc/udev/hwdb.bin" "$root/etc/udev/hwdb.bin"
	rm -rf "$hw"
else
	echo "build-image: no systemd-hwdb or USB hwdb source here: the image has no USB names database" >&2
fi

# the bench's test modules (tests/bench/modules: a battery whose driver hangs,
# a backlight), built against this kernel's headers when they are installed
# (linux-headers-amd64), loaded by the init only when a scenario asks
rm -f "$out"/cbdiag_*.ko
if [ -d "/usr/src/linux-headers-$kver" ]; then
	hb=$(mktemp -d)
	cp "$here"/modules/*.c "$here/modules/Kbuild" "$hb/"
	if make -s -C "/usr/src/linux-headers-$kver" M="$hb" modules >"$hb/log" 2>&1; then
		mkdir -p "$root/lib/modules/extra"
		cp "$hb"/*.ko "$root/lib/modules/extra/"
		cp "$hb"/*.ko "$out/"
	else
		echo "build-image: the bench's test modules did not build:" >&2
		cat "$hb/log" >&2
	fi
	rm -rf "$hb"
fi

# the virtual screen carries a real panel's EDID (drm.edid_firmware)
cp "$src/tests/fixtures/edid/BOE0A5D-5EB8EC5DADF7.bin" "$root/lib/firmware/edid/panel.bin"
# the wireless regulatory database (wireless-regdb, signed; cfg80211 loads it
# at start): without it the radios keep to the restrictive world domain
for f in regulatory.db regulatory.db.p7s; do
	[ -f "/lib/firmware/$f" ] && cp "/lib/firmware/$f" "$root/lib/firmware/"
done
# busybox udhcpc's lease script: the address, the default route, DNS
cat >"$root/etc/udhcpc.script" <<'EOS'
#!/bin/sh
case "$1" in
bound | renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	[ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
	: >/etc/resolv.conf
	for d in $dns; do echo "nameserver $d" >>/etc/resolv.conf; done
	;;
esac
EOS
chmod 755 "$root/etc/udhcpc.script"
install -m 755 "$here/init" "$root/init"
install -m 644 "$here/cbdiag-lang.sh" "$root/etc/cbdiag-lang.sh"
# the intern's languages: the catalogues the build made (BUILD/po)
sh "$here/copy-catalogues.sh" "$cbdiag" "$root/usr/share/locale" "$root/usr/lib/locale"
# gzip's default level, not -1: the sticks' room (1.5 MB smaller for 1.2 s
# more here; unpacking at boot is as fast at any level)
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -6 >"$out/initramfs.cpio.gz"
echo "kernel $kver, $(wc -l <"$root/etc/modules.list") modules, initramfs $(du -h "$out/initramfs.cpio.gz" | cut -f1)"
