#!/bin/sh
# Issue 18 #9: what writers killed mid-way left (the atomic writer's
# .cbdiag-* temporaries, the queue's .new-*/.old-* entries) is cleaned at the
# next start of a command that writes there, and only that: a live writer's
# temporary (it holds a flock on it), a symbolic link, something not ours by
# name, owner or type, and what lies outside the directory are left alone.
. "$(dirname "$0")/lib.sh"
good="$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json"
R="$T/reports"
mkdir -p "$R" "$T/outside"
holders=""
trap 'for p in $holders; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# hold FILE_OR_DIR: a live writer holding it locked (as cbdiag's writers do),
# one process, killed at the end
hold() {
	$PY -c 'import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$1" "$T/locked.$$" >/dev/null 2>&1 &
	holders="$holders $!"
	i=0
	while [ $i -lt 100 ] && [ ! -e "$T/locked.$$" ]; do sleep 0.05; i=$((i + 1)); done
	rm -f "$T/locked.$$"
}

# --- the atomic writer's temporaries, in run's report folder
printf '{"half": ' >"$R/.cbdiag-dead01"                      # a killed writer's, with data
: >"$R/.cbdiag-empty1" && touch -d '2 minutes ago' "$R/.cbdiag-empty1" # empty, old
: >"$R/.cbdiag-empty2"                                        # empty, fresh: maybe being created
dead=$(sh -c 'echo $$')                                       # a pid that is gone
: >"$R/.cbdiag-$dead-empty3"                                  # empty, fresh, its writer gone
: >"$R/.cbdiag-$$-empty4"                                     # empty, fresh, its writer alive
printf 'x' >"$R/.cbdiag-live01" && hold "$R/.cbdiag-live01"   # a live writer's
printf 'keep' >"$T/outside/target"
ln -s "$T/outside/target" "$R/.cbdiag-link01"                  # a link: never followed
mkdir "$R/.cbdiag-dir01"                                      # not a file of ours
printf 'mine' >"$R/.hidden-not-ours"
if [ "$(id -u)" = 0 ]; then
	printf 'x' >"$R/.cbdiag-other1" && chown 65534:65534 "$R/.cbdiag-other1"
fi
CBDIAG_REPORT_DIR="$R" "$CBDIAG" run --no-interactive --probe battery >/dev/null 2>"$T/err"
check "run: a killed writer's temporary is gone" test ! -e "$R/.cbdiag-dead01"
check "run: an old empty temporary is gone" test ! -e "$R/.cbdiag-empty1"
check "run: a fresh empty temporary is kept (its writer may be locking it)" test -e "$R/.cbdiag-empty2"
check "run: an empty temporary of a pid that is gone is gone" test ! -e "$R/.cbdiag-$dead-empty3"
check "run: an empty temporary of a live pid is kept" test -e "$R/.cbdiag-$$-empty4"
check "run: a live writer's temporary is kept" test -e "$R/.cbdiag-live01"
check "run: a symbolic link is kept" test -L "$R/.cbdiag-link01"
check "run: and its target untouched" test "$(cat "$T/outside/target")" = keep
check "run: a directory is kept" test -d "$R/.cbdiag-dir01"
check "run: a file not of our name is kept" test -e "$R/.hidden-not-ours"
if [ "$(id -u)" = 0 ]; then
	check "run: another user's file is kept" test -e "$R/.cbdiag-other1"
fi
check "run: and the report was written" test "$(ls "$R" | grep -c '\.json$')" -eq 1

# --- show -o: the same in the folder it writes to
printf 'half' >"$T/outside/.cbdiag-dead02"
expect 0 "" -- show "$good" -o "$T/outside/page.txt"
check "show -o: a killed writer's temporary is gone" test ! -e "$T/outside/.cbdiag-dead02"

# --- the queue: half-built and half-removed entries
Q="$T/queue"
mkdir -p "$Q/.new-dead" "$Q/.old-dead" "$Q/.new-live" "$Q/.new-fresh" "$Q/20260101T000000Z-e1"
mkdir -p "$Q/.new-$dead-20260101T000000Z-x" # killed between mkdir and its lock
printf '{}' >"$Q/.new-dead/report.json"
printf '{}' >"$Q/.new-dead/.cbdiag-abc123"
printf '{}' >"$Q/.old-dead/entry.json"
printf '{}' >"$Q/.new-live/report.json" && hold "$Q/.new-live"
mkdir -p "$T/outside/victim"
printf 'precious' >"$T/outside/victim/report.json"
ln -s "$T/outside/victim" "$Q/.old-link"
mkdir "$Q/.new-foreign" && printf 'x' >"$Q/.new-foreign/notes.txt"
printf 'half' >"$Q/20260101T000000Z-e1/.cbdiag-upd001" # an update of entry.json killed
printf '[helpdesk]\ntype = folder\npath = %s/share\nqueue_dir = %s\n' "$T" "$Q" >"$T/folder.ini"
expect 0 "" -- queue list --config "$T/folder.ini"
check "queue: a half-built entry (.new-) is gone" test ! -e "$Q/.new-dead"
check "queue: a half-removed entry (.old-) is gone" test ! -e "$Q/.old-dead"
check "queue: a live writer's half-built entry is kept" test -e "$Q/.new-live/report.json"
check "queue: an empty, fresh .new- is kept" test -d "$Q/.new-fresh"
check "queue: an empty .new- of a pid that is gone is gone" test ! -e "$Q/.new-$dead-20260101T000000Z-x"
check "queue: a symbolic link .old- is kept" test -L "$Q/.old-link"
check "queue: and nothing behind it was removed" test "$(cat "$T/outside/victim/report.json")" = precious
check "queue: a .new- holding files not ours is kept" test -e "$Q/.new-foreign/notes.txt"
check "queue: an entry's killed update temporary is gone" test ! -e "$Q/20260101T000000Z-e1/.cbdiag-upd001"
finish
