#!/bin/sh
# summary --enrolled: the fleet joined with Google Admin's device export by
# serial (docs/report-format.md). Counts, per organisational unit, the devices
# never checked as CSV (formulas defused) and in the dashboard (escaped); an
# export as a spreadsheet writes it (byte-order mark, CRLF, quoted commas and
# line ends, GAM's column names); and every kind of bad export refused before
# any report is read, with the line it is on and exit 2.
. "$(dirname "$0")/lib.sh"
R="$CBDIAG_SRCDIR/tests/fixtures/reports/good"

# the fixtures' serials: NXHKUAA00212345678 (Bobba) and 5CD1234XYZ (Morphius),
# written here in lower case with spaces: matched trimmed and in upper case
printf '\357\273\277Serial Number,Status,Org Unit Path,Annotated Asset ID,Model\r\n' >"$T/export.csv"
printf ' nxhkuaa00212345678 ,ACTIVE,/Students/Grade 9,A-100,Lenovo 100e\r\n' >>"$T/export.csv"
printf '5CD1234XYZ,ACTIVE,/Staff,A-7,HP\r\n' >>"$T/export.csv"
printf '"NEVER-1","ACTIVE","/Students/Grade 9","A-101","Lenovo, 100e ""Gen 2"""\r\n' >>"$T/export.csv"
printf '"NEVER-2",ACTIVE,"/Students/<b>Grade 10</b>","A-102","two\r\nlines"\r\n' >>"$T/export.csv"
printf '=HYPERLINK("x"),ACTIVE,/Students/Grade 9,,\r\n' >>"$T/export.csv"
printf 'GONE-1,DEPROVISIONED,/Students,,\r\n' >>"$T/export.csv"
printf ',ACTIVE,/Students,,\r\n' >>"$T/export.csv"
printf 'never-1,ACTIVE,/Students/Grade 9,,\r\n\r\n' >>"$T/export.csv"

expect 0 "" -- summary --json --enrolled "$T/export.csv" "$R"
cp "$T/out" "$T/summary.json"
field() { $PY -c 'import json,sys
e = json.load(open(sys.argv[1]))["enrolled"]
v = eval(sys.argv[2], {"e": e})
print(v)' "$T/summary.json" "$1"; }
check "5 enrolled devices (a duplicate row, a deprovisioned one, one without serial left out)" \
	test "$(field 'e["devices"]')" = 5
check "2 checked: matched trimmed and in upper case" test "$(field 'e["checked"]')" = 2
check "3 never checked" test "$(field 'e["never_checked"]')" = 3
check "the rows left out are counted" \
	test "$(field '(e["duplicate_rows"], e["deprovisioned_rows"], e["rows_without_serial"])')" = "(1, 1, 1)"
check "every checked device is in the export" test "$(field 'e["checked_not_in_export"]')" = 0
check "per organisational unit, most never checked first" \
	test "$(field '[(u["org_unit"], u["devices"], u["never_checked"]) for u in e["org_units"]]')" = \
	"[('/Students/Grade 9', 3, 2), ('/Students/<b>Grade 10</b>', 1, 1), ('/Staff', 1, 0)]"
check "quoted commas, quotes and line ends read as the spreadsheet wrote them" \
	test "$(field '[d["model"] for d in e["never_checked_list"]]')" = \
	"['Lenovo, 100e \"Gen 2\"', 'two\\r\\nlines', None]"

expect 0 "never checked, per organisational unit" -- summary --enrolled "$T/export.csv" "$R"
check "the text says how many were checked" \
	grep -q '^Enrolled devices (the device export): 5, 2 checked (40.0%), 3 never checked' "$T/out"

expect 0 "" -- summary --format csv-unchecked --enrolled "$T/export.csv" "$R"
cp "$T/out" "$T/unchecked.csv"
check "csv-unchecked: the header and one row per device never checked" \
	test "$($PY -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], newline="")))))' "$T/unchecked.csv")" = 4
check "csv-unchecked: a serial that is a formula does not run" grep -q "^\"'=HYPERLINK(\"\"X\"\")\"," "$T/unchecked.csv"
check "csv-unchecked: CRLF line ends" sh -c "head -1 '$T/unchecked.csv' | grep -q \"\$(printf '\\r')\$\""

expect 0 "" -- summary --format html --enrolled "$T/export.csv" "$R"
check "the dashboard has the never-checked section" grep -q 'Enrolled devices never checked' "$T/out"
check "... with the unit's name escaped" grep -q '/Students/&lt;b&gt;Grade 10&lt;/b&gt;' "$T/out"
check "... and no markup from the export" sh -c "! grep -q '<b>Grade 10' '$T/out'"

# GAM's column names, LF line ends, no status, no unit
printf 'serialNumber,model\nNXHKUAA00212345678,x\nNEW-9,y\n' >"$T/gam.csv"
expect 0 "" -- summary --json --enrolled "$T/gam.csv" "$R"
check "GAM's serialNumber column is the serial; the checked device not in it counted" \
	$PY -c 'import json,sys; e=json.load(open(sys.argv[1]))["enrolled"]; sys.exit(not (e["devices"]==2 and e["checked"]==1 and e["org_units"]==[] and e["checked_not_in_export"]==1))' "$T/out"

# bad exports: refused before any report is read, with the line
bad() { # bad NAME MESSAGE: the file $T/NAME is refused with MESSAGE
	expect 2 "$2" -- summary --enrolled "$T/$1" "$R"
}
: >"$T/empty.csv"; bad empty.csv "line 1: the file is empty"
printf 'Name,Model\nx,y\n' >"$T/noserial.csv"; bad noserial.csv "line 1: no serial number column"
printf 'Serial\nA\n"B\nC\n' >"$T/open.csv"; bad open.csv 'line 3: a quoted cell never ends'
printf 'Serial\n"A"x\n' >"$T/after.csv"; bad after.csv 'line 2: text after the closing'
printf 'Serial\nA\000B\n' >"$T/nul.csv"; bad nul.csv 'line 2: a control character'
printf 'Serial\nA\rB\n' >"$T/cr.csv"; bad cr.csv 'line 2: a carriage return that does not end a line'
printf 'Serial\n\377\376\n' >"$T/latin.csv"; bad latin.csv 'line 2: text that is not UTF-8'
$PY -c 'print("Serial," + ",".join("c%d" % i for i in range(300)))' >"$T/wide.csv"; bad wide.csv 'line 1: more than 256 columns'
$PY -c 'print("Serial"); print("A" * 5000)' >"$T/long.csv"; bad long.csv 'line 2: a cell longer than 4096 bytes'
truncate -s 65M "$T/huge.csv"; bad huge.csv 'larger than 64 MiB'
bad missing.csv 'No such file or directory'
mkdir "$T/dir.csv"; bad dir.csv "dir.csv: is a directory, not a CSV file"
mkfifo "$T/fifo.csv"; bad fifo.csv "fifo.csv: is a named pipe (FIFO), not a CSV file"
expect 2 "--format csv-unchecked needs --enrolled" -- summary --format csv-unchecked "$R"
finish
