#!/usr/bin/python3
"""Read the summary sheet of every account workbook back and compare it with the settlement JSON.

usage: account_summary.py DIR   (DIR holds NAME.account.xlsx next to NAME.account.json, in Danish
or English, as scripts/make-reports.sh writes them)

The summary's hours must be the pools' own (granted, used, unused and overused hours and their
values, per pool and, with more than one pool, in all), and its five lines and balance the
JSON's: a front page that sums per-category figures the pools net would contradict the account
(issue 11). Values read are the cached ones the engine stored. Exit 0 when all agree.
"""
import glob
import json
import os
import sys
from fractions import Fraction

import openpyxl

LABELS = {
    "da": {"section": "Timer", "pool": "Pulje: ", "total": "Alle puljer i alt",
           "granted": "Bevilgede timer (inkl. overført fra sidste år)", "used": "Brugte timer",
           "unused": "Ubrugte timer", "unused_value": "Værdi af ubrugte timer",
           "overused": "Timer brugt ud over bevillingen",
           "overused_value": "Værdien: borgerens egen udgift",
           "balance": "Saldo",
           "lines": ["Linje 1: ubrugte timer", "Linje 2: administration",
                     "Linje 3: lønadministration", "Linje 4: udbetalinger",
                     "Linje 5: faktiske lønudgifter"]},
    "en": {"section": "Hours", "pool": "Pool: ", "total": "All pools in all",
           "granted": "Granted hours (incl. carried in)", "used": "Used hours",
           "unused": "Unused hours", "unused_value": "Value of unused hours",
           "overused": "Hours used beyond the grant",
           "overused_value": "Their value: the citizen's own cost",
           "balance": "Balance",
           "lines": ["Line 1: unused hours", "Line 2: administration",
                     "Line 3: payroll administration", "Line 4: payments",
                     "Line 5: actual-cost cap"]},
}
FIELDS = ["granted", "used", "unused", "unused_value", "overused", "overused_value"]
LINES = ["unused_hours", "admin", "payroll_admin", "payments", "actual_cost_cap"]


def close(cell, text, hours):
    """cell (a float) against the JSON's decimal text: hours to 4 places, amounts to the øre."""
    if not isinstance(cell, (int, float)):
        return False
    tol = Fraction(1, 20000) if hours else Fraction(1, 200)
    return abs(Fraction(cell) - Fraction(text)) <= tol


def check(xlsx, js):
    with open(js, encoding="utf-8") as f:
        d = json.load(f)
    ws = openpyxl.load_workbook(xlsx, data_only=True).worksheets[0]
    rows = [(r[0], r[1] if len(r) > 1 else None) for r in ws.iter_rows(values_only=True)]
    lang = "da" if any(a == "Saldo" for a, _ in rows) else "en"
    L = LABELS[lang]
    errs = []
    where = {a: b for a, b in rows if isinstance(a, str)}
    for k, key in enumerate(LINES):
        if not close(where.get(L["lines"][k]), d["lines"][key], False):
            errs.append("%s: %r, JSON %s" % (L["lines"][k], where.get(L["lines"][k]), d["lines"][key]))
    if not close(where.get(L["balance"]), d["balance"], False):
        errs.append("balance %r, JSON %s" % (where.get(L["balance"]), d["balance"]))
    # the hours section: blocks of the six figures, headed by a pool's name when there are more
    start = [i for i, (a, b) in enumerate(rows) if a == L["section"] and b is None]
    if not start:
        return errs + ["no section %r on the summary" % L["section"]]
    blocks, cur = [], None
    for a, b in rows[start[-1] + 1:]:
        if not isinstance(a, str):
            break
        if b is None and (a.startswith(L["pool"]) or a == L["total"]):
            cur = {"name": a}
            blocks.append(cur)
            continue
        field = next((k for k in FIELDS if L[k] == a), None)
        if field is None:
            break
        if cur is None:
            cur = {"name": None}
            blocks.append(cur)
        cur[field] = b
    pools = d["pools"]
    want = pools if len(pools) == 1 else pools + [None]
    if len(blocks) != len(want):
        return errs + ["%d blocks of hours on the summary, %d pools" % (len(blocks), len(pools))]
    for blk, p in zip(blocks, want):
        if p is None:  # the total over the pools, each pool netted on its own
            p = {k: str(sum(Fraction(q[k]) for q in pools)) for k in FIELDS}
            p["pool"] = "total"
        for k in FIELDS:
            if not close(blk.get(k), p[k], "value" not in k):
                errs.append("pool %s, %s: summary %r, JSON %s" % (p["pool"], L[k], blk.get(k), p[k]))
    return errs


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    books = sorted(glob.glob(os.path.join(sys.argv[1], "*.account.xlsx")))
    if not books:
        sys.stderr.write("account_summary.py: no account workbooks in %s\n" % sys.argv[1])
        return 1
    failed = 0
    for x in books:
        errs = check(x, x[:-len(".xlsx")] + ".json")
        for e in errs:
            print("%s: %s" % (os.path.basename(x), e))
        failed += bool(errs)
    print("account summaries: %d agree with their pools, %d do not" % (len(books) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
