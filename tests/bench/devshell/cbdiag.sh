#!/bin/sh
# cbdiag from ChromeOS's developer shell (issue 13, part 1). On the stick's
# data partition (FAT, label CBDIAG) beside cbdiag/cbdiag-x86_64.tar.gz and
# cbdiag/cbdiag-aarch64.tar.gz. ChromeOS mounts the stick at
# /media/removable/CBDIAG with noexec, so nothing on it can run: this script
# is read by sh (reading is allowed), unpacks the bundle for this machine's
# processor into /usr/local/cbdiag (executable in developer mode; the root
# file system is read-only and /tmp is noexec too) and starts it through the
# bundle's own loader, so no library of the Chromebook's is used.
#
# In the developer shell (Ctrl+Alt+F2 and log in as chronos, or Ctrl+Alt+T,
# then `shell`), type:
#
#     sudo sh /media/removable/CBDIAG/cbdiag.sh
#
# It asks for the ticket number and your initials, runs the checks like the
# repair stick does, and saves the report in the stick's reports/ folder (and
# attaches it when the stick has a cbdiag.conf naming the help desk; reports
# that cannot be sent wait in the stick's queue). With arguments it runs
# those instead, e.g. `sudo sh …/cbdiag.sh show reports/<file>.json`.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dest=${CBDIAG_HOME:-/usr/local/cbdiag}

# CBDIAG_MACHINE stands in for `uname -m` (the tests: busybox's shell runs
# its own uname whatever PATH says)
machine=${CBDIAG_MACHINE:-$(uname -m)}
case $machine in
x86_64) arch=x86_64 loader=ld-linux-x86-64.so.2 ;;
aarch64 | arm64) arch=aarch64 loader=ld-linux-aarch64.so.1 ;;
*)
	echo "This Chromebook's processor ($machine) has no cbdiag build (there are x86_64 and aarch64 only): boot the repair stick instead, or ask staff."
	exit 2
	;;
esac
if [ "$(id -u)" -ne 0 ]; then
	echo "Type it with sudo in front: sudo sh $here/cbdiag.sh"
	exit 2
fi
tgz=$here/cbdiag/cbdiag-$arch.tar.gz
if [ ! -r "$tgz" ]; then
	echo "This stick has no cbdiag for $arch ($tgz is missing): ask staff for a new stick."
	exit 2
fi

# unpack when the stick carries a different bundle than the one unpacked
b=$dest/cbdiag-$arch
stamp=$(sha256sum <"$tgz" | cut -d' ' -f1)
if [ -z "$stamp" ] || [ "$(cat "$b/.stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$b"
	if ! mkdir -p "$dest" || ! gzip -dc "$tgz" | tar -x -C "$dest" -f - || [ ! -f "$b/bin/cbdiag" ]; then
		echo "cbdiag could not be copied to $dest (is this Chromebook in developer mode, with room on its disk?)."
		exit 3
	fi
	echo "$stamp" >"$b/.stamp"
fi
cbdiag() {
	"$b/lib/$loader" --library-path "$b/lib" "$b/bin/cbdiag" "$@"
}
# the bundle's catalogues and C.UTF-8's messages category (the intern's
# languages, docs/languages.md)
export CBD_LOCALEDIR="$b/share/locale" LOCPATH="$b/locale"
if ! cbdiag --version >/dev/null 2>&1; then
	echo "cbdiag cannot start from $dest: programs there are not allowed to run (developer mode keeps /usr/local executable; is this Chromebook in developer mode?)."
	exit 3
fi

# reports on the stick, as the repair stick keeps them. When the stick
# cannot take one (read-only, or full: found when the report is written),
# cbdiag keeps it on the Chromebook in $kept and says so in the report's own
# findings (report.dir_read_only, report.dir_full); a stick found read-only
# now is said before the checks
reports=$here/reports
kept=$dest/reports
if ! mkdir -p "$reports" 2>/dev/null || ! (: >"$reports/.cbdiag-write-test") 2>/dev/null; then
	echo "The stick cannot be written (read-only or full): the report stays on this Chromebook in $kept."
fi
rm -f "$reports/.cbdiag-write-test" 2>/dev/null

# the district's help desk: the stick's cbdiag.conf names paths on the stick
# as the booted image sees it (/mnt/stick); here the stick is at $here. The
# token is copied next to cbdiag, readable by root only (cbdiag refuses a
# token others can read, and a FAT mount's permissions are the mounter's).
attach=
unset CBDIAG_CONFIG
if [ -f "$here/cbdiag.conf" ]; then
	conf=$dest/cbdiag.conf
	tok=$(sed -n 's/^[[:space:]]*token_file[[:space:]]*=[[:space:]]*\([^;#]*\).*/\1/p' "$here/cbdiag.conf" |
		sed 's/[[:space:]]*$//' | sed "s|^/mnt/stick|$here|")
	(
		umask 077
		sed "s|/mnt/stick|$here|g" "$here/cbdiag.conf" >"$conf"
		if [ -n "$tok" ] && [ -f "$tok" ]; then
			cp "$tok" "$dest/helpdesk.token"
			sed "s|^\([[:space:]]*token_file[[:space:]]*=\).*|\1 $dest/helpdesk.token|" "$conf" >"$conf.new" &&
				mv "$conf.new" "$conf"
		fi
	)
	export CBDIAG_CONFIG="$conf"
	grep -q '^[[:space:]]*type[[:space:]]*=' "$conf" && attach=--attach
fi
export CBDIAG_REPORT_DIR="$reports" CBDIAG_REPORT_FALLBACK_DIR="$kept"

if [ $# -gt 0 ]; then
	cbdiag "$@"
	exit
fi
echo "=== cbdiag ($(cbdiag --version), $arch, from ChromeOS) ==="
. "$here/cbdiag-lang.sh"
while :; do
	printf '%s' "$t_ticket"
	# no more input (stdin closed): stop, never ask forever
	read -r ticket || { echo; echo "$t_stopped"; exit 2; }
	case $ticket in *[!0-9A-Za-z-]*) echo "$t_ticket_bad" ;; *) break ;; esac
done
while :; do
	printf '%s' "$t_tech"
	read -r tech || { echo; echo "$t_stopped"; exit 2; }
	case $tech in '' | *[!A-Za-z.]*) echo "$t_tech_bad" ;; *) break ;; esac
done
set -- --interactive
[ -n "$ticket" ] && set -- "$@" --ticket "$ticket"
set -- "$@" --tech "$tech"
[ -n "$attach" ] && set -- "$@" "$attach"
# the models' usual parts (docs/profiles.md), when staff put them on the stick
[ -f "$here/profiles.json" ] && set -- "$@" --profiles "$here/profiles.json"
cbdiag run "$@"
rc=$?
sync
case $rc in
0 | 1 | 3) ;;
*) echo "$t_stopped" ;;
esac
n=$(ls "$kept" 2>/dev/null | grep -c '\.json$')
echo "$t_on_stick: $(ls "$reports" 2>/dev/null | grep -c '\.json$')$([ "$n" -gt 0 ] && echo "; $t_kept $kept: $n")"
exit $rc
