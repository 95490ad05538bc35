#!/bin/sh
# The bench's "ChromeOS developer shell" guest and the stick files it runs:
# the repair image's root (build-image.sh must have run: OUT_DIR/root; for
# aarch64 arm64/build-image.sh's OUT_DIR/root) with cbdiag and every shared
# library taken out and devshell/init as PID 1, and the developer-shell
# stick's files (the launcher and the bundle of ARCH, made from CBDIAG).
#
#   devshell/build-image.sh CBDIAG OUT_DIR [ARCH]     ARCH = x86_64 (default) | aarch64
#
# Writes OUT_DIR/devshell.cpio.gz and OUT_DIR/devshell-stick/ (cbdiag.sh,
# cbdiag/cbdiag-ARCH.tar.gz).
set -eu
cbdiag=${1:?cbdiag binary}
out=${2:?output dir}
arch=${3:-x86_64}
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$out/root" ] || { echo "devshell: run build-image.sh first ($out/root is missing)" >&2; exit 1; }
r=$out/devshell-root
rm -rf "$r" "$out/devshell-stick"
cp -a "$out/root" "$r"
rm -f "$r/usr/bin/cbdiag"
find "$r" \( -name '*.so' -o -name '*.so.*' \) -delete
for t in x86_64-linux-gnu aarch64-linux-gnu; do rm -rf "$r/lib/$t" "$r/usr/lib/$t"; done
rm -rf "$r/lib64"
install -m 755 "$here/init" "$r/init"
(cd "$r" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out/devshell.cpio.gz"
mkdir -p "$out/devshell-stick/cbdiag"
sh "$here/make-bundle.sh" "$cbdiag" "$arch" "$out/devshell-stick/cbdiag"
rm -rf "$out/devshell-stick/cbdiag/cbdiag-$arch"
cp "$here/cbdiag.sh" "$out/devshell-stick/cbdiag.sh"
cp "$here/../cbdiag-lang.sh" "$out/devshell-stick/cbdiag-lang.sh"
