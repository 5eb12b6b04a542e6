#!/bin/sh
# Timesheets as scheduling tools export them (RULES.md 8.1): rows in any
# order, within a file and across files, give the same account.
# Usage: BPA=path/to/bpa sh tests/cli/timesheets.sh
. "$(dirname "$0")/lib.sh"
cases=$root/fixtures/cases
pols=$root/fixtures/policies
full=$cases/alb-2025-full-year.json
head='"format":"bpa-usage/1","case":"ALB-2025-0001","year":2025'
hdr='helper,date,start,end,kind,step'

# The same eight shifts (two helpers, work and on call, a night across
# midnight, a month end) in three orders and split over two files.
rows="Anna,2025-03-03,08:00,16:00,work,11
Bo,2025-03-03,08:00,12:00,work,11
Anna,2025-03-03,16:00,18:00,on_call,11
Anna,2025-03-31,22:00,06:00,work,11
Bo,2025-04-01,06:00,14:00,work,11
Cecilie,2025-06-10,12:00,20:00,work,11
Bo,2025-06-10,12:00,13:00,on_call,11
Anna,2025-12-31,20:00,02:00,work,11"
# Each variant in its own directory under the same names, so that the
# results differ only in inputs[] (the files' hashes, and the list of files
# when split): all else must be byte-identical.
for u in a b c d; do mkdir "$tmp/$u"; done
printf '%s\n%s\n' "$hdr" "$rows" >"$tmp/a/t.csv"
printf '%s\n%s\n' "$hdr" "$(printf '%s\n' "$rows" | sort -r)" >"$tmp/b/t.csv"
printf '%s\n%s\n' "$hdr" "$(printf '%s\n' "$rows" | sort -t, -k3,3 -k1,1r)" >"$tmp/c/t.csv"
printf '%s\n%s\n' "$hdr" "$(printf '%s\n' "$rows" | sed -n '2p;4p;6p;8p')" >"$tmp/d/t.csv"
printf '%s\n%s\n' "$hdr" "$(printf '%s\n' "$rows" | sed -n '7p;5p;3p;1p')" >"$tmp/d/u.csv"
for u in a b c; do
    printf '{%s,"timesheets":["t.csv"]}\n' "$head" >"$tmp/$u/usage.json"
done
printf '{%s,"timesheets":["u.csv","t.csv"]}\n' "$head" >"$tmp/d/usage.json"
mkdir "$tmp/e"
cp "$tmp/d/t.csv" "$tmp/d/u.csv" "$tmp/e/"
printf '{%s,"timesheets":["t.csv","u.csv"]}\n' "$head" >"$tmp/e/usage.json"
for u in a b c d e; do
    if $BPA settle "$full" "$tmp/$u/usage.json" --policy-dir "$pols" --json - >"$tmp/$u.out" 2>"$tmp/$u.err"; then
        ok
    else
        bad "order $u: exit $?"; sed 's/^/  | /' "$tmp/$u.err" | head -5
    fi
    # the result without inputs[] (names and hashes of the files read)
    awk '/^  "inputs": \[/ {skip = 1} !skip {print} skip && /^  \],?$/ {skip = 0}' "$tmp/$u.out" >"$tmp/$u.cmp"
done
if grep -q '"hours"' "$tmp/a.cmp" && ! grep -q '"inputs": \[' "$tmp/a.cmp"; then ok; else bad "the stripped result"; fi
for u in b c; do
    if cmp -s "$tmp/a.cmp" "$tmp/$u.cmp"; then ok; else bad "variant $u: --json differs from a"; diff "$tmp/a.cmp" "$tmp/$u.cmp" | head -10; fi
done
# two files in either order: byte-identical; against one file only the
# trace's count of files differs
if cmp -s "$tmp/d.cmp" "$tmp/e.cmp"; then ok; else bad "files in either order: --json differs"; diff "$tmp/d.cmp" "$tmp/e.cmp" | head -10; fi
got=$(diff "$tmp/a.cmp" "$tmp/d.cmp" | grep '^[<>]' | tr -s ' ' | paste -sd'|' -)
want='< "inputs": "1 file, 8 shifts",|> "inputs": "2 files, 8 shifts",|< "value": 1|> "value": 2'
if [ "$got" = "$want" ]; then ok; else bad "split over files: differs from one file in [$got]"; fi
# helpers by name then kind, whatever the order
flatten "$tmp/b.out"
got=$(grep -E '^helpers\.[0-9]+\.(helper|kind)=' "$tmp/b.out.flat" | cut -d= -f2 | paste -sd' ' -)
want="Anna work Anna on_call Bo work Bo on_call Cecilie work"
if [ "$got" = "$want" ]; then ok; else bad "helpers order: [$got], expected [$want]"; fi
# by hand: Anna works 8 + 8 (22:00-06:00) + 4 (20:00-24:00 of 31 December;
# the 2 h after midnight lie in 2026), is on call 2; Bo works 4 + 8, is on
# call 1; Cecilie works 8
got=$(grep -E '^helpers\.[0-9]+\.hours=' "$tmp/b.out.flat" | cut -d= -f2 | paste -sd' ' -)
want="20.0000 2.0000 12.0000 1.0000 8.0000"
if [ "$got" = "$want" ]; then ok; else bad "helpers hours: [$got], expected [$want]"; fi

# an overlap is reported the same in every order: the earliest pair
o1="Bo,2025-05-05,08:00,16:00,work,11
Anna,2025-05-06,08:00,16:00,work,11
Anna,2025-05-06,15:00,17:00,work,11
Bo,2025-05-05,10:00,11:00,work,11"
printf '%s\n%s\n' "$hdr" "$o1" >"$tmp/o1.csv"
printf '%s\n%s\n' "$hdr" "$(printf '%s\n' "$o1" | sort -r)" >"$tmp/o2.csv"
for u in o1 o2; do printf '{%s,"timesheets":["%s.csv"]}\n' "$head" "$u" >"$tmp/$u.json"; done
expect "overlap, file order" 1 'o1.csv:5: the shift of helper "Bo" on line 5 (from 2025-05-05 10:00) overlaps the shift at' -- \
    settle "$full" "$tmp/o1.json" --policy-dir "$pols"
# reversed, Bo's 10:00 row is line 2 and his 08:00 row line 5
expect "overlap, reversed" 1 'o2.csv:2: the shift of helper "Bo" on line 2 (from 2025-05-05 10:00) overlaps the shift at' -- \
    settle "$full" "$tmp/o2.json" --policy-dir "$pols"
# ---- a Danish export, mapped (RULES.md 8.1 Maps) -----------------------------
# Excel's semicolons, Danish names, DD-MM-YYYY, H:MM, 24:00, a column to skip,
# no step column (the grant has one step). By hand: Anna Holm works 7:00-15:00
# on 24 October (8 h) and 22:00-6:00 from 25 October, across the end of
# summer time at 03:00 on 26 October (9 h in real time): 17 h; Bo Lund is on
# call 16:00-24:00 (8 h); Cecilie Dam works 8:00-12:00 on 1 November (4 h).
mkdir "$tmp/dk"
printf 'Medarbejder;Dato;Fra;Til;Type;Timer\r\nAnna Holm;24-10-2025;7:00;15:00;Arbejde;8\r\nBo Lund;24-10-2025;16:00;24:00;R\303\245dighed;8\r\nAnna Holm;25-10-2025;22:00;6:00;Arbejde;9\r\nCecilie Dam;1-11-2025;8:00;12:00;work;4\r\n' >"$tmp/dk/vagtplan.csv"
map='"columns":{"helper":"Medarbejder","date":"Dato","start":"Fra","end":"Til","kind":"Type"},"kinds":{"Arbejde":"work","R\u00e5dighed":"on_call"},"date_format":"DD-MM-YYYY","ignore_columns":["Timer"]'
printf '{%s,"timesheets":[{"file":"vagtplan.csv",%s}]}\n' "$head" "$map" >"$tmp/dk/usage.json"
if $BPA settle "$full" "$tmp/dk/usage.json" --policy-dir "$pols" --json - >"$tmp/dk.out" 2>"$tmp/dk.err"; then ok; else bad "danish export: exit $?"; sed 's/^/  | /' "$tmp/dk.err" | head -5; fi
flatten "$tmp/dk.out"
got=$(grep -E '^helpers\.[0-9]+\.(helper|kind|hours)=' "$tmp/dk.out.flat" | cut -d= -f2 | paste -sd' ' -)
want="Anna Holm work 17.0000 Bo Lund on_call 8.0000 Cecilie Dam work 4.0000"
if [ "$got" = "$want" ]; then ok; else bad "danish export helpers: [$got], expected [$want]"; fi
# errors name the file's own header and value
printf 'Medarbejder;Dato;Fra;Til;Type;Timer\nAnna Holm;32-10-2025;7:00;15:00;Arbejde;8\n' >"$tmp/dk/bad-date.csv"
printf '{%s,"timesheets":[{"file":"bad-date.csv",%s}]}\n' "$head" "$map" >"$tmp/dk/bad-date.json"
expect "mapped: bad date" 1 'bad-date.csv:2: column "Dato" (date): "32-10-2025" is not a date DD-MM-YYYY' -- \
    settle "$full" "$tmp/dk/bad-date.json" --policy-dir "$pols"
printf 'Medarbejder;Dato;Fra;Til;Type;Timer\nAnna Holm;24-10-2025;7:00;15:00;Ferie;8\n' >"$tmp/dk/bad-kind.csv"
printf '{%s,"timesheets":[{"file":"bad-kind.csv",%s}]}\n' "$head" "$map" >"$tmp/dk/bad-kind.json"
expect "mapped: unmapped kind" 1 'bad-kind.csv:2: column "Type" (kind): "Ferie" is not a kind' -- \
    settle "$full" "$tmp/dk/bad-kind.json" --policy-dir "$pols"
printf '{%s,"timesheets":[{"file":"vagtplan.csv","columns":{"helper":"Dato","date":"Dato"}}]}\n' "$head" >"$tmp/dk/twice.json"
expect "mapped: two columns on one header" 1 '$.timesheets[0].columns.date: "Dato" is already the column "helper"' -- \
    settle "$full" "$tmp/dk/twice.json" --policy-dir "$pols"
printf '{%s,"timesheets":[{"file":"vagtplan.csv","colums":{}}]}\n' "$head" >"$tmp/dk/key.json"
expect "mapped: unknown key" 1 '$.timesheets[0].colums: unknown key "colums"' -- \
    settle "$full" "$tmp/dk/key.json" --policy-dir "$pols"
printf '{%s,"timesheets":[{"file":"vagtplan.csv","kinds":{"Arbejde":"arbejde"}}]}\n' "$head" >"$tmp/dk/kinds.json"
expect "mapped: kind to a non-standard one" 1 '$.timesheets[0].kinds.Arbejde: expected a standard kind' -- \
    settle "$full" "$tmp/dk/kinds.json" --policy-dir "$pols"
printf '{%s,"timesheets":[{"file":"vagtplan.csv","date_format":"D-M-YY"}]}\n' "$head" >"$tmp/dk/df.json"
expect "mapped: unknown date_format" 1 '$.timesheets[0].date_format' -- \
    settle "$full" "$tmp/dk/df.json" --policy-dir "$pols"
# HH.MM and DD.MM.YYYY: 7.30-12.00 on 24.10.2025 is 4.5 h
printf 'helper,date,start,end,kind\nAnna Holm,24.10.2025,7.30,12.00,work\n' >"$tmp/dk/dots.csv"
printf '{%s,"timesheets":[{"file":"dots.csv","date_format":"DD.MM.YYYY","time_format":"HH.MM"}]}\n' "$head" >"$tmp/dk/dots.json"
expect "HH.MM and DD.MM.YYYY" 0 '"hours": "4.5000"' -- settle "$full" "$tmp/dk/dots.json" --policy-dir "$pols" --json -
printf 'helper,date,start,end,kind\nAnna Holm,24/10/2025,7:30,12:00,work\n' >"$tmp/dk/slash.csv"
printf '{%s,"timesheets":[{"file":"slash.csv","date_format":"DD/MM/YYYY","time_format":"HH.MM"}]}\n' "$head" >"$tmp/dk/slash.json"
expect "HH.MM rejects a colon" 1 'slash.csv:2: column "start": "7:30" is not a clock time HH.MM or H.MM' -- \
    settle "$full" "$tmp/dk/slash.json" --policy-dir "$pols"
# ---- .xlsx timesheets (RULES.md 8.1 Workbooks) -------------------------------
# tests/data/ts/shifts.csv (the eight shifts above) saved by LibreOffice
# (`soffice --headless --convert-to xlsx shifts.csv`: shared strings, dates as
# serials, times as text) and written by make-inline.py (inline strings, an
# empty row first, dates as serials, times as fractions of a day such as
# 8.3333333333333329E-2): both give the CSV's account.
data=$root/tests/data/ts
for u in csv lo inl; do mkdir "$tmp/x$u"; done
cp "$data/shifts.csv" "$tmp/xcsv/t.csv"
cp "$data/shifts-libreoffice.xlsx" "$tmp/xlo/t.xlsx"
cp "$data/shifts-inline.xlsx" "$tmp/xinl/t.xlsx"
printf '{%s,"timesheets":["t.csv"]}\n' "$head" >"$tmp/xcsv/usage.json"
printf '{%s,"timesheets":["t.xlsx"]}\n' "$head" >"$tmp/xlo/usage.json"
printf '{%s,"timesheets":[{"file":"t.xlsx","sheet":"Vagter"}]}\n' "$head" >"$tmp/xinl/usage.json"
for u in csv lo inl; do
    if $BPA settle "$full" "$tmp/x$u/usage.json" --policy-dir "$pols" --json - >"$tmp/x$u.out" 2>"$tmp/x$u.err"; then
        ok
    else
        bad "xlsx $u: exit $?"; sed 's/^/  | /' "$tmp/x$u.err" | head -5
    fi
    awk '/^  "inputs": \[/ {skip = 1} !skip {print} skip && /^  \],?$/ {skip = 0}' "$tmp/x$u.out" >"$tmp/x$u.cmp"
done
for u in lo inl; do
    if cmp -s "$tmp/xcsv.cmp" "$tmp/x$u.cmp"; then ok; else bad "xlsx $u: --json differs from the CSV"; diff "$tmp/xcsv.cmp" "$tmp/x$u.cmp" | head -10; fi
done
# the same account as the eight shifts in section one
if cmp -s "$tmp/a.cmp" "$tmp/xcsv.cmp"; then ok; else bad "shifts.csv differs from the rows above"; fi
cp "$data"/bad-*.xlsx "$tmp/xinl/"
for f in bad-serial bad-serial60 bad-second bad-kind; do printf '{%s,"timesheets":["%s.xlsx"]}\n' "$head" "$f" >"$tmp/xinl/$f.json"; done
expect "xlsx: date serial with a time" 1 'bad-serial.xlsx: Vagter!B5: column "date": 45719.5: a date serial with a fraction of a day' -- \
    settle "$full" "$tmp/xinl/bad-serial.json" --policy-dir "$pols"
expect "xlsx: serial 60, Excel's 1900-02-29" 1 'bad-serial60.xlsx: Vagter!B5: column "date": 60: not a date serial of 1900-01-01 to 2999-12-31 (and not Excel'"'"'s 1900-02-29)' -- \
    settle "$full" "$tmp/xinl/bad-serial60.json" --policy-dir "$pols"
# 0.33335648148148148 x 1440 = 480.0333 minutes: 2 seconds past 08:00
expect "xlsx: time off a minute" 1 'bad-second.xlsx: Vagter!C5: column "start": 0.33335648148148148: more than one second from a whole minute' -- \
    settle "$full" "$tmp/xinl/bad-second.json" --policy-dir "$pols"
expect "xlsx: text cell as in a CSV" 1 'bad-kind.xlsx: Vagter!E5: column "kind": "rest" is not a kind' -- \
    settle "$full" "$tmp/xinl/bad-kind.json" --policy-dir "$pols"
printf '{%s,"timesheets":[{"file":"t.xlsx","sheet":"Ark2"}]}\n' "$head" >"$tmp/xinl/sheet.json"
expect "xlsx: no such sheet" 1 't.xlsx: the workbook has no sheet "Ark2"' -- \
    settle "$full" "$tmp/xinl/sheet.json" --policy-dir "$pols"
finish timesheets
