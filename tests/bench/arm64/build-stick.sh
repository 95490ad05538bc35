#!/bin/sh
# `meson compile -C build repair-image-arm64`: the arm64 Chromebook stick,
# OUT_DIR/cbdiag-arm64-stick.img (arm64/make-disk.sh): cbdiag cross-built for
# aarch64 (tests/cross), the arm64 image, its signed FIT, the GPT.
#
#   arm64/build-stick.sh SOURCE_DIR CROSS_BUILD_DIR OUT_DIR
set -eu
src=${1:?source dir}
cross=${2:?cross build dir}
out=${3:?output dir}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
sh "$src/tests/cross/cross-build.sh" "$src" "$cross" --build-only
sh "$here/build-image.sh" "$cross/diag/cbdiag" "$out/image"
sh "$here/make-fit.sh" "$out/image" "console=tty0 quiet cbdiag.intern=1"
sh "$here/make-disk.sh" "$out/image" "$out/cbdiag-arm64-stick.img"
