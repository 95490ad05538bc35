#!/bin/sh
# NOT run by CI (an hour or more of compiling): Debian 12's arm64 kernel
# rebuilt with the SoC support its config leaves out for Chromebooks
# (docs/arm64.md): MediaTek (ARCH_MEDIATEK is off: kukui/jacuzzi MT8183,
# asurada MT8192, cherry MT8195), and the Qualcomm sc7180/sc7280 pin, clock
# and SPI drivers trogdor and herobrine need (their device trees ship, their
# drivers do not). The result is a linux-image .deb that arm64/build-image.sh
# takes instead of Debian's (ARM64_KERNEL_DEB=…).
#
#   arm64/build-kernel.sh WORK_DIR
#
# Needs (Debian 12, amd64): linux-source-6.1 crossbuild-essential-arm64 bc
# bison flex libssl-dev libelf-dev kmod cpio rsync dpkg-dev debhelper
# python3, and Debian's arm64 kernel package for its config (downloaded).
# About 2 GB of disk. Writes WORK_DIR/linux-image-*-cbdiag-chromebook_*_arm64.deb.
set -eu
work=${1:?work dir}
mkdir -p "$work" && work=$(cd "$work" && pwd)
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null) ||
	{ echo "install linux-source-6.1 first (apt-get install linux-source-6.1)"; exit 2; }
cd "$work"
# Debian's own arm64 configuration, from the kernel package the bench uses
kpkg=$(apt-cache depends linux-image-arm64:arm64 | awk '/Depends: linux-image-/{print $2; exit}')
kpkg=${kpkg%:arm64}
[ -f "$kpkg.deb" ] || { apt-get download "$kpkg:arm64" && mv "${kpkg}"_*_arm64.deb "$kpkg.deb"; }
rm -rf k && dpkg-deb -x "$kpkg.deb" k
rm -rf linux-source-6.1 && tar -xf "$tarball"
cd linux-source-6.1
cp ../k/boot/config-* .config
export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
# Debian signs its modules with a key and trusts certificates that are not
# in the source package: build with a fresh key and no extra certificates
scripts/config --set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS "" \
	--set-str MODULE_SIG_KEY "certs/signing_key.pem" --disable DEBUG_INFO_BTF \
	--disable DEBUG_INFO --enable DEBUG_INFO_NONE
# MediaTek Chromebooks (symbols from FIRMWARE-NOTES §4; all exist in 6.1)
for o in ARCH_MEDIATEK COMMON_CLK_MT8183 COMMON_CLK_MT8186 COMMON_CLK_MT8192 COMMON_CLK_MT8195 \
	PINCTRL_MT8183 PINCTRL_MT8186 PINCTRL_MT8192 PINCTRL_MT8195 MTK_PMIC_WRAP MFD_MT6397 \
	REGULATOR_MT6358 REGULATOR_MT6359 MTK_SCPSYS MTK_SCPSYS_PM_DOMAINS MTK_IOMMU MTK_MMSYS \
	MTK_CMDQ MTK_CMDQ_MBOX SERIAL_8250_MT6577 I2C_MT65XX SPI_MT65XX MMC_MTK PHY_MTK_TPHY PHY_MTK_XSPHY \
	PINCTRL_SC7180 SC_GCC_7180 SC_DISPCC_7180 INTERCONNECT_QCOM_SC7180 \
	PINCTRL_SC7280 SC_GCC_7280 SC_DISPCC_7280 INTERCONNECT_QCOM_SC7280 SPI_QCOM_GENI; do
	scripts/config --enable "$o"
done
for o in REGULATOR_MT6315 DRM_MEDIATEK DRM_MEDIATEK_DP PHY_MTK_MIPI_DSI PHY_MTK_DP PWM_MTK_DISP \
	DRM_PARADE_PS8640 DRM_ANALOGIX_ANX7625 DRM_ITE_IT6505 DRM_PANEL_EDP USB_XHCI_MTK USB_MTU3 \
	CROS_EC CROS_EC_SPI CROS_EC_I2C KEYBOARD_CROS_EC I2C_CROS_EC_TUNNEL BATTERY_SBS \
	CHARGER_CROS_USBPD CROS_USBPD_NOTIFY EXTCON_USBC_CROS_EC CROS_EC_TYPEC GOOGLE_VPD; do
	scripts/config --module "$o"
done
make olddefconfig
# what olddefconfig dropped (a dependency missing) is printed, not hidden
for o in ARCH_MEDIATEK PINCTRL_MT8183 MMC_MTK DRM_MEDIATEK PINCTRL_SC7180 SPI_QCOM_GENI KEYBOARD_CROS_EC; do
	grep -q "^CONFIG_$o=[ym]" .config || echo "build-kernel: CONFIG_$o did not stay set" >&2
done
make -j"$(nproc)" LOCALVERSION=-cbdiag-chromebook KDEB_PKGVERSION="$(make -s kernelversion)-1" bindeb-pkg
ls -l ../linux-image-*cbdiag-chromebook*_arm64.deb
