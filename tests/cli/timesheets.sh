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
finish timesheets
