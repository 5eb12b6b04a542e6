#!/bin/sh
# bpa diff (RULES.md 13): a wage rise alone gives only rate effects, more
# hours alone only hours effects, a category on one side only is all hours
# effect; random pairs keep change = hours + rate + residue exactly
# (diff_random.py, fractions.Fraction); summaries in da/sv/en; workbooks;
# byte-identical reruns; a side given as its grant result; errors.
. "$(dirname "$0")/lib.sh"
fx=$root/fixtures
cd "$tmp" || exit 1

# A Danish case against copies of albertslund.json named by path: base.json as
# it is, raised.json with 12000 more annual wage in both entries.
$PYTHON - "$fx" <<'EOF'
import json, sys
fx = sys.argv[1]
p = json.load(open(fx + "/policies/albertslund.json", encoding="utf-8"))
json.dump(p, open("base.json", "w", encoding="utf-8"), ensure_ascii=False)
for e in p["params"]["wage.hourly.11"]:
    e["value"]["annual"] = str(int(e["value"]["annual"]) + 12000)
json.dump(p, open("raised.json", "w", encoding="utf-8"), ensure_ascii=False)
c = json.load(open(fx + "/cases/alb-2025-full-year.json", encoding="utf-8"))
c["policy"] = "base.json"
json.dump(c, open("old.json", "w"))
c["policy"] = "raised.json"
json.dump(c, open("wage.json", "w"))
c["policy"] = "base.json"
c["decisions"][0]["hours"][0]["per_week"] = "40"
c["decisions"][0]["hours"][1]["per_week"] = "12"
json.dump(c, open("hours.json", "w"))
c["decisions"][0]["hours"].append({"kind": "work", "band": "night", "step": 11, "per_week": "5"})
json.dump(c, open("night.json", "w"))
s = json.load(open(fx + "/cases/se-ore-2025-efterskott.json", encoding="utf-8"))
s["policy"] = fx + "/policies/fk-arbetstid.json"
json.dump(s, open("se-old.json", "w"))
s["periods"][0]["per_week"] = "90"
s["periods"][1]["vantetid_per_week"] = "0"
json.dump(s, open("se-new.json", "w"))
EOF

# check NAME FILE PYTHON-EXPR-PER-ROW: every changes[] row c satisfies the
# expression, and the file's count of rows is above 0
rows_all() {
    if $PYTHON - "$2" "$3" <<'EOF'; then ok; else bad "$1"; fi
import json, sys
d = json.load(open(sys.argv[1]))
rows = d["changes"]
bad = [c for c in rows if not eval(sys.argv[2])]
if not rows or bad:
    print("  %d rows, failing: %s" % (len(rows), json.dumps(bad[:2])))
    sys.exit(1)
EOF
}

# 1. a wage rise alone: hours effect 0.00 exactly everywhere, rate effects
expect "wage rise" 0 "" -- diff old.json wage.json --json wage.out.json
rows_all "wage rise: hours effect 0" wage.out.json \
    'c["hours_effect"] == "0.00" and "hours_effect_exact" not in c and c["old_hours"] == c["new_hours"]'
rows_all "wage rise: rate effect > 0" wage.out.json 'float(c["rate_effect"]) > 0'
# 2. more hours alone: rate effect 0.00 exactly everywhere
expect "more hours" 0 "" -- diff old.json hours.json --json hours.out.json
rows_all "more hours: rate effect 0" hours.out.json \
    'c["rate_effect"] == "0.00" and "rate_effect_exact" not in c and c["old_rate"] == c["new_rate"]'
rows_all "more hours: hours effect > 0" hours.out.json 'float(c["hours_effect"]) > 0'
# 3. a category on the new side only: all of its change is hours effect
expect "new category" 0 "" -- diff hours.json night.json --json night.out.json
rows_all "new category: only night changes" night.out.json \
    '(c["category"]["band"] == "night") == (c["change"] != "0.00")'
rows_all "new category: null old rate, all hours" night.out.json \
    'c["category"]["band"] != "night" or (c["old_rate"] is None and c["old"] == "0.00" and c["hours_effect"] == c["change"] and c["rate_effect"] == "0.00" and c["residue"] == "0.00")'
field_check() {
    if $PYTHON - "$2" "$3" <<'EOF'; then ok; else bad "$1"; fi
import json, sys
d = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    print("  " + json.dumps(d["totals"]))
    sys.exit(1)
EOF
}
field_check "format and stamps" wage.out.json \
    'd["format"] == "bpa-diff-result/1" and d["old"]["inputs"][1]["name"] == "base.json" and d["new"]["inputs"][1]["name"] == "raised.json" and len(d["new"]["inputs"][0]["sha256"]) == 64 and d["engine"]["version"] == d["old"]["engine"]["version"]'
field_check "wage rise: the allowance does not change" wage.out.json \
    'all(o["change"] == "0.00" for o in d["other"]) and any(o["rule"] == "allowance" for o in d["other"])'

# 4. random pairs (Danish and Swedish), checked exactly
# $BPA may carry a prefix: passed unquoted, word by word
if $PYTHON "$here/diff_random.py" $BPA >"$tmp/rnd" 2>&1; then ok; else bad "random pairs"; fi
sed 's/^/  | /' "$tmp/rnd" | tail -8

# 5. summaries in the three languages, their numbers in the reader's format
expect "summary da" 0 "Sammenligning af to udmålinger" -- diff old.json wage.json
grep -qF "højere timesats" "$tmp/out" && ok || bad "summary da: no 'højere timesats'"
# the change of the total as the JSON has it, in Danish form
want=$($PYTHON -c 'import json,sys; v=json.load(open("wage.out.json"))["totals"]["change"]; i,f=v.split("."); print("{:,}".format(int(i)).replace(",",".")+","+f)')
grep -qF "Ændring: +$want kr." "$tmp/out" && ok || bad "summary da: no 'Ændring: +$want kr.'"
expect "summary en" 0 "Comparison of two grants" -- diff old.json hours.json --lang en
grep -qF "more hours" "$tmp/out" && ok || bad "summary en: no 'more hours'"
expect "summary sv" 0 "Jämförelse av två beräkningar" -- diff se-old.json se-new.json
grep -qF "fler timmar" "$tmp/out" && ok || bad "summary sv: no 'fler timmar'"
grep -qF "färre timmar" "$tmp/out" && ok || bad "summary sv: no 'färre timmar'"
grep -qF "Väntetid" "$tmp/out" && ok || bad "summary sv: no 'Väntetid'"
expect "summary sv of a Danish pair" 0 "Jämförelse av två beräkningar" -- diff old.json wage.json --lang sv
expect "Swedish pair, --lang da" 2 "--lang da" -- diff se-old.json se-new.json --lang da

# 6. workbooks (Danish and Swedish) and byte-identical reruns
expect "workbook da" 0 "" -- diff old.json night.json -o dk.xlsx --json a.json
expect "workbook da again" 0 "" -- diff old.json night.json -o dk2.xlsx --json b.json
cmp -s dk.xlsx dk2.xlsx && ok || bad "the workbook differs between two runs"
cmp -s a.json b.json && ok || bad "the JSON differs between two runs"
[ "$(head -c 2 dk.xlsx)" = PK ] && ok || bad "dk.xlsx is not a zip package"
expect "workbook sv" 0 "" -- diff se-old.json se-new.json -o se.xlsx
[ -s se.xlsx ] && ok || bad "no se.xlsx"
expect "workbook en" 0 "" -- diff se-old.json se-new.json -o se-en.xlsx --lang en
[ -s se-en.xlsx ] && ok || bad "no se-en.xlsx"

# 7. a side given as its grant result (bpa grant --json): the same comparison
same_as() {
    if $PYTHON - "$2" "$3" <<'EOF'; then ok; else bad "$1"; fi
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
diff = [k for k in ("changes", "other", "sums", "totals") if a[k] != b[k]]
if diff or b["old"]["result"] is None and b["new"]["result"] is None:
    print("  differ in: %s" % diff)
    sys.exit(1)
EOF
}
expect "grant result, Danish" 0 "" -- grant old.json --json old.result.json
expect "diff from a Danish result" 0 "" -- diff old.result.json night.json --json r1.json -o r1.xlsx
expect "diff from cases" 0 "" -- diff old.json night.json --json c1.json
same_as "a Danish result side gives the case's comparison" c1.json r1.json
field_check "the result side is stamped" r1.json \
    'd["old"]["result"]["name"] == "old.result.json" and len(d["old"]["result"]["sha256"]) == 64 and d["old"]["inputs"][0]["name"] == "old.json" and d["new"]["result"] is None'
expect "grant result, Swedish" 0 "" -- grant se-new.json --json se-new.result.json
expect "diff to a Swedish result" 0 "" -- diff se-old.json se-new.result.json --json r2.json
expect "diff of Swedish cases" 0 "" -- diff se-old.json se-new.json --json c2.json
same_as "a Swedish result side gives the case's comparison" c2.json r2.json
expect "summary from a Swedish result, English" 0 "Comparison of two grants" -- diff se-new.result.json se-old.json --lang en
expect "Swedish result, --lang da" 2 "--lang da: se-sfb-51 is a Swedish scheme" -- diff se-new.result.json se-old.json --lang da
expect "a Danish result and a Swedish case" 1 "cannot compare grants of two countries" -- diff old.result.json se-old.json

# 8. errors: nothing written
expect "missing file" 1 "missing.json" -- diff old.json missing.json --json err.json -o err.xlsx
expect "mixed countries" 1 "cannot compare grants of two countries" -- diff old.json se-old.json --json err.json -o err.xlsx
[ ! -e err.json ] && [ ! -e err.xlsx ] && ok || bad "a failed diff left an output"
expect "one file" 2 "expected two case files" -- diff old.json
expect "three files" 2 "unexpected argument" -- diff old.json wage.json hours.json
expect "help" 0 "usage: bpa diff OLD.json NEW.json" -- diff --help
expect "unknown option" 2 "unknown option --frobnicate" -- diff old.json wage.json --frobnicate

finish diff
