#!/bin/sh
# Seed a fuzz target's corpus from the fixtures: fuzz-seeds.sh TARGET DIR
set -e
t=$1 dir=$2
copy() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/" || true; done; }
# copy_named: each file as <its directory>.json (tests/bad/*/case.json share a name)
copy_named() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/$(basename "$(dirname "$f")").json" || true; done; }
case "$t" in
decimal) i=0; for s in 0 37.5 -0.005 2.675 1/7 123456789012345 0.123456 1e3 .5; do
             i=$((i + 1)); printf '\001%s' "$s" >"$dir/seed$i"; done ;;
policy) copy fixtures/policies/*.json tests/cli/data/*policy*.json ;;
case | grant) copy fixtures/cases/*.json tests/cli/data/*case*.json ;;
usage | settle) copy fixtures/usage/*.json ;;
csv | timesheet) copy fixtures/timesheets/*.csv
      # exports (RULES.md 8.1): semicolons, H:MM, 24:00, rows out of order, an overlap
      printf 'helper;date;start;end;kind\r\n"Holm; Anna";2025-01-07;7:00;24:00;work\r\nBo;2025-01-06;22:00;6:00;on_call\r\n' >"$dir/export-semicolon.csv"
      printf 'helper,date,start,end,kind\nA,2025-03-02,08:00,16:00,work\nA,2025-03-01,08:00,16:00,work\nA,2025-03-01,15:00,17:00,on_call\n' >"$dir/export-order.csv"
      printf 'Medarbejder;Dato;Fra;Til;Type;Timer\r\nAnna;24-10-2025;7.00;24.00;R\303\245dighed;17\r\n' >"$dir/export-mapped.csv" ;;
xlsx) copy tests/data/*.xlsx tests/data/ts/*.xlsx reports/*.xlsx
      # "<digit><part>": the XML of one part (see fuzz/fuzz_xlsx.c)
      /usr/bin/python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml",
         "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml", "_rels/.rels"]
for i, n in enumerate(names):
    open("%s/part%d" % (sys.argv[2], i), "wb").write(str(i).encode() + z.read(n))' \
          reports/alb-2025-full-year.grant.xlsx "$dir" ;;
se_budget) copy fixtures/cases/se-*.json
      copy_named tests/bad/2*-se-*/case.json tests/bad/38*/case.json ;;
se_usage) copy fixtures/usage/se-*.json
      copy_named tests/bad/38*/usage.json tests/cli/data/se-settle/usage.json ;;
se_settle) copy fixtures/usage/se-*.json
      # the Swedish usages as usages of the JAG case (fuzz/fuzz_se_settle.c), so that
      # the seeds get past the case check into the avräkning
      for f in fixtures/usage/se-*.json tests/bad/38*/usage.json tests/cli/data/se-settle/usage.json; do
          [ -f "$f" ] || continue
          n=$(echo "$f" | tr / -)
          sed 's/"case": *"[^"]*"/"case": "JAG-2025-0113"/' "$f" >"$dir/jag-$n"
      done ;;
grant_record) copy reports/*.grant.json
      # the bad diff inputs that are results (old.json, new.json: named by directory)
      for f in $(grep -l '"bpa-\(se-\)\{0,1\}grant-result/1"' tests/bad/*diff*/*.json); do
          cp "$f" "$dir/$(basename "$(dirname "$f")")-$(basename "$f")"
      done
      # the results without indentation: most fit in the runs' -max_len (64 KiB)
      /usr/bin/python3 -c 'import json, os, sys
for f in sys.argv[2:]:
    t = json.dumps(json.load(open(f)), ensure_ascii=False, separators=(",", ":"))
    open(os.path.join(sys.argv[1], "min-" + os.path.basename(f)), "w").write(t)' \
          "$dir" reports/*.grant.json ;;
portfolio)
      # result texts (fuzz/fuzz_portfolio.c): a grant result, 0x1E, its settlement
      for g in reports/*.grant.json; do
          a=${g%.grant.json}.account.json n=$(basename "${g%.grant.json}")
          cp "$g" "$dir/results-$n-grant"
          [ -f "$a" ] && { cat "$g"; printf '\036'; cat "$a"; } >"$dir/results-$n"
      done
      # worker lines: the rows of a batch over the fixtures, one line each, and a
      # failed case's row (needs build/bpa: make)
      if [ -x build/bpa ]; then
          tmp=$(mktemp -d)
          { echo case,usage,id
            for c in fixtures/cases/*.json; do
                u=fixtures/usage/$(basename "$c")
                [ -f "$u" ] || u=
                echo "$PWD/$c,${u:+$PWD/$u},$(basename "$c" .json)"
            done
            echo "$PWD/fixtures/policies/fk.json,,not-a-case"
          } >"$tmp/manifest.csv"
          build/bpa batch --manifest "$tmp/manifest.csv" -d "$tmp/out" -j 1 \
              >/dev/null 2>&1 || true
          [ -f "$tmp/out/portfolio.json" ] && /usr/bin/python3 -c 'import json, sys
for i, r in enumerate(json.load(open(sys.argv[1]))["rows"]):
    open("%s/line-%s" % (sys.argv[2], r["id"]), "w").write(
        json.dumps(r, ensure_ascii=False, separators=(",", ":")))' "$tmp/out/portfolio.json" "$dir"
          rm -rf "$tmp"
      fi ;;
esac
