#!/bin/sh
# The intern's languages for an image or a bundle (docs/languages.md): the
# catalogues the build made beside the program (BUILD/po/LANG/LC_MESSAGES/
# cbdiag.mo) copied into LOCALE_DIR/LANG/LC_MESSAGES/, and the messages
# category of glibc's C.UTF-8 locale (48 bytes, from libc-bin) into
# LOCALE_DATA_DIR/C.utf8/LC_MESSAGES/: gettext translates nothing under the
# plain C locale, and a root without /usr/lib/locale has no other.
#
#   copy-catalogues.sh CBDIAG_BINARY LOCALE_DIR LOCALE_DATA_DIR
set -eu
bin=${1:?cbdiag binary} dest=${2:?locale dir} data=${3:?locale data dir}
sys=/usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES
[ -f "$sys" ] || { echo "copy-catalogues: $sys is missing (Debian package libc-bin)" >&2; exit 1; }
mkdir -p "$data/C.utf8/LC_MESSAGES"
cp "$sys" "$data/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES"
for mo in "$(dirname "$bin")"/../po/*/LC_MESSAGES/cbdiag.mo; do
	[ -f "$mo" ] || continue
	lang=$(basename "$(dirname "$(dirname "$mo")")")
	mkdir -p "$dest/$lang/LC_MESSAGES"
	cp "$mo" "$dest/$lang/LC_MESSAGES/cbdiag.mo"
done
