#!/usr/bin/python3
"""How many fields bpa verify compares in an honest account (RULES.md 13),
counted from the file itself: the leaves of a result JSON but the stamp and
the derivations; the non-empty cells of an account workbook but its trace
sheet and its stamp cells (engine text, SHA-256s).

usage: verify_count.py ACCOUNT.json|ACCOUNT.xlsx"""
import json, re, sys

f = sys.argv[1]
if f.endswith(".json"):
    skip_top = {"engine", "policy", "inputs", "warnings", "trace", "params_used"}
    def count(x, depth):
        if isinstance(x, dict):
            return sum(count(v, depth + 1) for k, v in x.items()
                       if not (depth == 0 and k in skip_top) and k not in ("trace", "sha256"))
        if isinstance(x, list):
            return sum(count(v, depth + 1) for v in x)
        return 1
    print(count(json.load(open(f)), 0))
else:
    import openpyxl
    n = 0
    for ws in openpyxl.load_workbook(f).worksheets:
        if ws.title in ("Sporing", "Spårning", "Trace"):
            continue
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None or v == "":
                    continue
                if isinstance(v, str) and (re.fullmatch(r"[0-9a-f]{64}", v)
                                           or re.fullmatch(r"bpa \d+\.\d+\.\d+", v)):
                    continue
                n += 1
    print(n)
