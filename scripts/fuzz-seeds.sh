#!/bin/sh
# Seed a fuzz target's corpus from the fixtures: fuzz-seeds.sh TARGET DIR
set -e
t=$1 dir=$2
copy() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/" || true; done; }
case "$t" in
decimal) i=0; for s in 0 37.5 -0.005 2.675 1/7 123456789012345 0.123456 1e3 .5; do
             i=$((i + 1)); printf '\001%s' "$s" >"$dir/seed$i"; done ;;
policy) copy fixtures/policies/*.json tests/cli/data/*policy*.json ;;
case | grant) copy fixtures/cases/*.json tests/cli/data/*case*.json ;;
usage | settle) copy fixtures/usage/*.json ;;
csv | timesheet) copy fixtures/timesheets/*.csv ;;
xlsx) copy tests/data/*.xlsx reports/*.xlsx
      # "<digit><part>": the XML of one part (see fuzz/fuzz_xlsx.c)
      /usr/bin/python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml",
         "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml", "_rels/.rels"]
for i, n in enumerate(names):
    open("%s/part%d" % (sys.argv[2], i), "wb").write(str(i).encode() + z.read(n))' \
          reports/alb-2025-full-year.grant.xlsx "$dir" ;;
esac
