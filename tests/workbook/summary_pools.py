#!/usr/bin/python3
"""The account's front page agrees with its pools (RULES.md 8.2, 10).

For every account workbook given, the hour figures of the summary sheet
(read as a person reads them: the row whose label says what it is) must be
the sums over the pools of the settlement JSON next to it, and the hours
carried to next year the sum of its carry_over[]. Before 1.1 the summary
summed per-category figures that a wider pool does not use.
"""
import json
import sys
from decimal import Decimal

import openpyxl

# The Danish labels a reader sees (src/trace/labels.c), and the JSON field
# each stands for.
ROWS = {
    "Bevilgede timer (inkl. overført fra sidste år)": "granted",
    "Brugte timer": "used",
    "Ubrugte timer": "unused",
    "heraf overført til næste år": "carry",
    "Timer brugt ud over bevillingen (borgerens egen udgift)": "overused",
}
Q = Decimal("0.0001")


def expected(result):
    e = {k: sum(Decimal(p[k]) for p in result["pools"])
         for k in ("granted", "used", "unused", "overused")}
    e["carry"] = sum((Decimal(c["hours"]) for c in result.get("carry_over", [])), Decimal(0))
    return e


def found(path):
    ws = openpyxl.load_workbook(path, data_only=True)["Oversigt"]
    got = {}
    for row in ws.iter_rows(min_col=1, max_col=2):
        label, value = row[0].value, row[1].value
        if label in ROWS:
            key = ROWS[label]
            if key in got:
                sys.exit(f"{path}: Oversigt: label {label!r} appears twice")
            got[key] = Decimal(repr(value)).quantize(Q) if value is not None else None
    return got


def main(paths):
    bad = 0
    for path in paths:
        with open(path.replace(".xlsx", ".json"), encoding="utf-8") as fh:
            e = expected(json.load(fh))
        g = found(path)
        for key in ROWS.values():
            if key not in g:
                print(f"{path}: Oversigt: no row for {key}")
                bad += 1
            elif g[key] != e[key].quantize(Q):
                print(f"{path}: Oversigt: {key} is {g[key]}, the pools say {e[key]}")
                bad += 1
    print(f"summary-pools: {len(paths)} account workbooks, {bad} disagreements")
    return 1 if bad or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
