#!/usr/bin/python3
"""Edit input cells of a grant workbook, recalculate it in LibreOffice and
compare with what bpa gives for the case and policy edited the same way.

usage: edit_grant.py BPA RECALC_TOOL   (run from the repository root)

The edits: the hours per week of one decision line (40 -> 45) and an hourly
wage (wage.hourly.11 from 2025-01-01 -> 160,25 kr.) of the trips case,
which also has a trip's extra hours in a line. Every line's hours, rate and
amount and the grant on the summary must agree to the øre (hours to 1e-9).
"""
import copy
import datetime
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl

CASE = "fixtures/cases/alb-2025-trips.json"
POLICY = "albertslund.json"
LINE, OLD_HOURS, NEW_HOURS = "Arbejde, dag, trin 11", 40, 45
WAGE, WAGE_FROM, NEW_WAGE = "wage.hourly.11", datetime.datetime(2025, 1, 1), "160.25"


def load_recalc(path):
    loader = importlib.machinery.SourceFileLoader("xlsx_recalc_check", path)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod.recalc


def grant(bpa, case, policies, out_json, out_xlsx=None):
    cmd = [bpa, "grant", case, "--policy-dir", policies, "--json", out_json]
    if out_xlsx:
        cmd += ["-o", out_xlsx]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out_json, encoding="utf-8") as f:
        return json.load(f)


def fail(msg):
    print("edit_grant: FAIL: " + msg)
    sys.exit(1)


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    bpa, tool = sys.argv[1], sys.argv[2]
    recalc = load_recalc(tool)
    with tempfile.TemporaryDirectory() as work:
        pol = os.path.join(work, "policies")
        shutil.copytree("fixtures/policies", pol)
        book = os.path.join(work, "grant.xlsx")
        before = grant(bpa, CASE, pol, os.path.join(work, "before.json"), book)

        # the workbook, edited in its input cells
        wb = openpyxl.load_workbook(book)
        inp = wb["Inddata"]
        hours_cell = wage_cell = None
        for row in inp.iter_rows():
            a, b, c = row[0].value, row[1].value, row[2]
            f = row[5].value if len(row) > 5 else None
            if a == LINE and c.value == OLD_HOURS and hours_cell is None:
                hours_cell = c
            if f == WAGE and b == WAGE_FROM:
                wage_cell = c
        if hours_cell is None or wage_cell is None:
            fail("Inddata has no input cell for %s or %s" % (LINE, WAGE))
        hours_cell.value = NEW_HOURS
        wage_cell.value = float(NEW_WAGE)
        edited = os.path.join(work, "edited.xlsx")
        wb.save(edited)
        again = recalc(edited, work)
        if again is None:
            fail("LibreOffice could not recalculate the edited workbook")
        got = openpyxl.load_workbook(again, data_only=True)

        # the case and policy, edited the same way
        with open(CASE, encoding="utf-8") as f:
            case = json.load(f)
        n = 0
        for d in case["decisions"]:
            for h in d["hours"]:
                if (h.get("kind"), h.get("band"), h.get("per_week")) == ("work", "day", str(OLD_HOURS)):
                    h["per_week"] = str(NEW_HOURS)
                    n += 1
        with open(os.path.join(pol, POLICY), encoding="utf-8") as f:
            policy = json.load(f)
        entries = policy["params"][WAGE] if "params" in policy else policy[WAGE]
        entries[0]["value"] = NEW_WAGE
        with open(os.path.join(pol, POLICY), "w", encoding="utf-8") as f:
            json.dump(policy, f)
        if n != 1 or entries[0]["from"] != "2025-01-01":
            fail("the fixtures are not as this test expects")
        ecase = os.path.join(work, "case.json")
        with open(ecase, "w", encoding="utf-8") as f:
            json.dump(case, f)
        after = grant(bpa, ecase, pol, os.path.join(work, "after.json"))

        if after["totals"]["grant"] == before["totals"]["grant"]:
            fail("the edits change nothing: a useless test")
        lines = got["Linjer"]
        bad = 0
        for i, l in enumerate(after["lines"]):
            r = 5 + i
            q = l.get("hours_exact") or l.get("hours") or l.get("month_share")
            num, den = (q.split("/") + ["1"])[:2]
            if "." in num:
                num, den = num.replace(".", ""), str(10 ** len(num.split(".")[1]))
            checks = [("hours", lines.cell(r, 7).value, int(num) / int(den), 1e-9),
                      ("rate", lines.cell(r, 8).value, float(l["rate"]), 0.005),
                      ("amount", lines.cell(r, 9).value, float(l["amount"]), 0.005)]
            for what, a, b, tol in checks:
                if not isinstance(a, (int, float)) or abs(a - b) >= tol:
                    print(f"Linjer row {r} {what}: workbook {a}, bpa {b}")
                    bad += 1
        # the grant on the summary: the cell that held the engine's grant before
        stored = openpyxl.load_workbook(book, data_only=True)["Oversigt"]
        total = float(before["totals"]["grant"])
        cells = [c.coordinate for row in stored.iter_rows() for c in row
                 if isinstance(c.value, (int, float)) and abs(c.value - total) < 0.005]
        if not cells:
            fail("no cell on Oversigt holds the grant")
        a, b = got["Oversigt"][cells[0]].value, float(after["totals"]["grant"])
        if not isinstance(a, (int, float)) or abs(a - b) >= 0.005:
            print(f"Oversigt!{cells[0]} grant: workbook {a}, bpa {b}")
            bad += 1
        if bad:
            fail(f"{bad} figures differ after editing")
        print(f"edit_grant: {len(after['lines'])} lines and the grant ({b:.2f}, was {total:.2f}) "
              "agree with bpa after editing hours and a wage")
    return 0


if __name__ == "__main__":
    sys.exit(main())
