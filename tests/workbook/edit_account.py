#!/usr/bin/python3
"""Edit an account workbook's input cells, recalculate it in LibreOffice and compare with the
engine's account of a usage file edited the same way (issue 11: formulas start from the inputs).

usage: edit_account.py BPA [NAME ...]   (BPA the bpa program; NAMEs fixtures with a usage file,
default all)

For each fixture: `bpa settle -o` writes the workbook; the first payment is raised by 1000.00 on
the sheet Betalinger and the first category's used hours are lowered on the sheet Timer (by 10 h,
or half of its first used row when that row is shorter), LibreOffice recalculates, and the
summary's pool hours (summary_pools.py), five lines and balance are read back against
`bpa settle --json` of the usage file with the same two edits. Exit 0 when all agree.
"""
import importlib.machinery
import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import summary_pools  # noqa: E402

# the summary's rows of the five lines and the balance (src/trace/labels.c), and the JSON's
LINES = {"Linje 1: ubrugte timer": "unused_hours", "Linje 2: administration": "admin",
         "Linje 3: lønadministration": "payroll_admin", "Linje 4: udbetalinger": "payments",
         "Linje 5: faktiske lønudgifter": "actual_cost_cap", "Saldo": None}


def check(xlsx, want):
    """The recalculated summary against the engine's JSON: hours to 4 places, amounts to the øre."""
    with open(want, encoding="utf-8") as f:
        d = json.load(f)
    errs = []
    e, g = summary_pools.expected(d), summary_pools.found(xlsx)
    for k in summary_pools.ROWS.values():
        if g.get(k) is None or abs(Fraction(g[k]) - Fraction(e[k])) > Fraction(1, 20000):
            errs.append("Oversigt: %s is %s, the engine says %s" % (k, g.get(k), e[k]))
    ws = openpyxl.load_workbook(xlsx, data_only=True)["Oversigt"]
    seen = set()
    for label, value in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if label in LINES and label not in seen:
            seen.add(label)
            ref = d["balance"] if LINES[label] is None else d["lines"][LINES[label]]
            if not isinstance(value, (int, float)) or abs(Fraction(value) - Fraction(ref)) > Fraction(1, 200):
                errs.append("Oversigt: %s is %r, the engine says %s" % (label, value, ref))
    errs += ["Oversigt: no row %r" % k for k in LINES if k not in seen]
    return errs

RECALC = os.path.join(ROOT, "..", "shared", "tools", "xlsx-recalc-check")
FIRST = 5  # the first data row (1-based) of the hours and payments tables
HOURS_USED_COL, PAY_AMOUNT_COL = 6, 3


def decimal(q, places):
    q = Fraction(q)
    s = "-" if q < 0 else ""
    q = abs(q) * 10 ** places
    assert q.denominator == 1, q
    n = str(q.numerator).rjust(places + 1, "0")
    return s + n[:-places] + "." + n[-places:]


def settle(bpa, case, usage, out_json, out_xlsx=None):
    cmd = [bpa, "settle", case, usage, "--policy-dir", os.path.join(ROOT, "fixtures", "policies"),
           "--json", out_json, "--lang", "da"]
    if out_xlsx:
        cmd += ["-o", out_xlsx]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def one(bpa, name, recalc, work):
    case = os.path.join(ROOT, "fixtures", "cases", name + ".json")
    upath = os.path.join(ROOT, "fixtures", "usage", name + ".json")
    with open(upath, encoding="utf-8") as f:
        usage = json.load(f)
    # timesheets are named relative to the usage file, which moves
    usage["timesheets"] = [os.path.normpath(os.path.join(os.path.dirname(upath), t))
                           for t in usage.get("timesheets", [])]
    base_json, xlsx = os.path.join(work, "base.json"), os.path.join(work, "base.xlsx")
    settle(bpa, case, upath, base_json, xlsx)
    with open(base_json, encoding="utf-8") as f:
        base = json.load(f)

    wb = openpyxl.load_workbook(xlsx)
    pay, hrs = wb["Betalinger"], wb["Timer"]
    edits = []
    if usage.get("payments"):
        p0 = usage["payments"][0]
        cell = pay.cell(row=FIRST, column=PAY_AMOUNT_COL)
        if abs(Fraction(cell.value) - Fraction(p0["amount"])) > Fraction(1, 200):
            return ["Betalinger!C%d is %r, the usage's first payment %s" % (FIRST, cell.value, p0["amount"])]
        new = Fraction(p0["amount"]) + 1000
        p0["amount"] = decimal(new, 2)
        cell.value = float(new)
        edits.append("first payment +1000.00")
    cat = base["categories"][0]["category"]
    rows = [r for r in usage.get("used", []) if r["kind"] == cat["kind"]
            and r.get("band") == cat.get("band") and r.get("step") == cat.get("step")]
    if rows:
        cell = hrs.cell(row=FIRST, column=HOURS_USED_COL)
        if abs(Fraction(cell.value) - Fraction(base["categories"][0]["used"])) > Fraction(1, 20000):
            return ["Timer!F%d is %r, the first category's used hours %s"
                    % (FIRST, cell.value, base["categories"][0]["used"])]
        h = Fraction(rows[0]["hours"])
        delta = min(Fraction(10), h / 2)
        rows[0]["hours"] = decimal(h - delta, 4)
        cell.value = float(Fraction(cell.value) - delta)
        edits.append("used hours of the first category -%s" % decimal(delta, 4))
    if not edits:
        return ["nothing to edit"]
    edited = os.path.join(work, "edited.xlsx")
    wb.save(edited)
    eu = os.path.join(work, "usage.json")
    with open(eu, "w", encoding="utf-8") as f:
        json.dump(usage, f)
    want = os.path.join(work, "edited.json")
    settle(bpa, case, eu, want)
    got = recalc(edited, work)
    if not got:
        return ["LibreOffice did not recalculate the workbook"]
    errs = check(got, want)
    with open(want, encoding="utf-8") as f:
        after = json.load(f)
    if after["balance"] == base["balance"]:
        errs.append("the edits left the balance at %s: the test shows nothing" % base["balance"])
    print("%s: %s: balance %s -> %s" % (name, ", ".join(edits), base["balance"], after["balance"]))
    return errs


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    bpa = os.path.abspath(sys.argv[1])
    names = sys.argv[2:] or sorted(f[:-5] for f in os.listdir(os.path.join(ROOT, "fixtures", "usage"))
                                   if f.endswith(".json") and not f.startswith("se-"))
    # se-*: the Danish sheets Betalinger and Timer; the Swedish avräkning workbooks are
    # recalculated by make workbook-check and read back by test_se_settle_workbook
    tool = importlib.machinery.SourceFileLoader("xlsx_recalc_check", RECALC).load_module()
    failed = 0
    for name in names:
        with tempfile.TemporaryDirectory() as work:
            errs = one(bpa, name, tool.recalc, work)
        for e in errs:
            print("%s: %s" % (name, e))
        failed += bool(errs)
    print("edited accounts: %d agree with the engine, %d do not" % (len(names) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
