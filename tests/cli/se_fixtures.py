#!/usr/bin/python3
"""Compare bpa's Swedish results with the independent hand computation.

tests/cli/expected/se-<case>.budget and .settle are written by docs/handcalc_se.py
(Fractions, from RULES.md alone). This reads a result JSON and checks every key of
the expected file against it, printing each disagreement.

Usage: se_fixtures.py budget|settle EXPECTED RESULT.json
"""
import json
import sys


def month_of(months, m):
    for x in months:
        if x.get("month") == m:
            return x
    raise KeyError("month " + m)


def field(obj, name):
    """name may be "kommun_share.hours" or "hours_exact"."""
    for part in name.split("."):
        if not isinstance(obj, dict) or part not in obj:
            raise KeyError(name)
        obj = obj[part]
    return obj


def resolve(doc, key):
    p = key.split(".")
    if p[0] == "case":
        return doc["case"]
    if p[0] == "total":
        return field(doc["totals"], ".".join(p[1:]))
    if p[0] == "period":
        per = doc["periods"][int(p[1]) - 1]
        if p[2] == "month":
            return field(month_of(per["months"], p[3]), ".".join(p[4:]))
        return field(per, ".".join(p[2:]))
    if p[0] == "outside_periods_hours":
        return field(doc["outside_periods_hours"], p[1])
    if p[0] == "expenses":
        if p[1] == "receipt":
            return field(doc["expenses"]["receipts"][int(p[2]) - 1], ".".join(p[3:]))
        return field(doc["expenses"], p[1])
    if p[0] == "tidsredovisning":
        # helper names hold no dots in the fixtures; the month is YYYY-MM
        helper, month, what = p[1], p[2], ".".join(p[3:])
        for t in doc["tidsredovisningar"]:
            if t["helper"] == helper and t["month"] == month:
                return field(t, what)
        raise KeyError(key)
    if p[0] == "worktime":
        if p[1] == "count":
            return len(doc["worktime"])
        return field(doc["worktime"][int(p[1]) - 1], ".".join(p[2:]))
    return field(doc, key)


def main():
    kind, expected, result = sys.argv[1:4]
    doc = json.load(open(result, encoding="utf-8"))
    want = "bpa-se-grant-result/1" if kind == "budget" else "bpa-se-settlement-result/1"
    bad = 0
    n = 0
    if doc.get("format") != want:
        print(f"{result}: format {doc.get('format')!r}, expected {want!r}")
        return 1
    for line in open(expected, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            continue
        key, value = line.split(" ", 1)
        n += 1
        if key.endswith("_exact") and value.count("/") == 0:
            continue
        try:
            got = resolve(doc, key)
        except (KeyError, IndexError, TypeError):
            # a "_exact" field is written only when four decimals are not exact
            print(f"{expected}: {key}: not in {result}")
            bad += 1
            continue
        if str(got) != value:
            print(f"{expected}: {key}: hand computation {value}, bpa {got}")
            bad += 1
    print(f"{expected}: {n - bad} of {n} figures agree")
    return 1 if bad or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
