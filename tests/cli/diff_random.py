#!/usr/bin/python3
"""bpa diff on random pairs of cases (RULES.md 13), checked with fractions.Fraction.

For each seed this writes into a temporary directory two policies (copies of
fixtures/policies/albertslund.json or fk.json with the wages or the schablon
moved by a random amount) and two cases of the fixtures' shape (Danish: one
to three decisions in 2025 with random work and on-call lines of random
bands, per_week or total, an allowance, sometimes a trip, citizen or
payroll_association; Swedish: one or two grant periods with aktiv,
väntetid and beredskap per week), runs `bpa grant --json` on each and
`bpa diff --json` on the pair, and checks from the JSON alone:

  1. every changes[] row: change = new - old = hours_effect + rate_effect +
     residue exactly; with both rates hours_effect = (h1 - h0) x r0 and
     rate_effect = h1 x (r1 - r0); with one side absent (rate null) the
     whole change is hours effect;
  2. Danish: a row's old and new amounts and hours are the sums of that
     month's and category's wages lines of each grant result; Swedish: the
     kinds of a month and its rounding line add up to the budget's amounts
     of the month;
  3. other[] rows: change = new - old;
  4. totals old/new are the grants' own totals (grant / amount), change =
     new - old = the changes plus the other lines in the total, pct =
     change/old x 100 rounded half away from zero to 2 decimals (null at 0);
  5. one side given as its `bpa grant --json` result instead of its case
     gives the same changes, other lines, sums and totals.

Usage: diff_random.py BPA... [--seeds N]   (BPA may be several words: valgrind ...)
Exit 1 on any violation (seed, file, row printed; the directory is kept).
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POL = os.path.join(ROOT, "fixtures", "policies")
BANDS = ["day", "evening", "night", "saturday", "sunday_holiday"]


def q(o, key):
    """The exact value of a field: its _exact twin when there is one."""
    if o.get(key + "_exact") is not None:
        return F(o[key + "_exact"])
    return F(o[key])


def round2(x):
    """round half away from zero to 0.01"""
    s = -1 if x < 0 else 1
    a = abs(x) * 100
    n = a.numerator // a.denominator
    if a - n >= F(1, 2):
        n += 1
    return F(s * n, 100)


def dec(r, lo, hi, places=2):
    v = F(r.randint(lo * 10 ** places, hi * 10 ** places), 10 ** places)
    return "%d" % v if v.denominator == 1 else format(float(v), ".%df" % places).rstrip("0")


def exact_dec(v):
    """a Fraction with a finite decimal as the text bpa reads"""
    if v.denominator == 1:
        return str(v.numerator)
    for places in range(1, 7):
        m = v * 10 ** places
        if m.denominator == 1:
            n = abs(m.numerator)
            s = str(n).rjust(places + 1, "0")
            return ("-" if v < 0 else "") + s[:-places] + "." + s[-places:]
    raise ValueError(v)


# ---- generators --------------------------------------------------------------------------

def dk_policy(r, path, pid):
    p = json.load(open(os.path.join(POL, "albertslund.json"), encoding="utf-8"))
    p["id"] = pid
    bump = F(r.choice([0, 0, 1, 3]), 100)  # sometimes the same wages
    for e in p["params"]["wage.hourly.11"]:
        a = F(e["value"]["annual"])
        e["value"]["annual"] = exact_dec(a + a * bump + r.randint(0, 3) * 1000)
    json.dump(p, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)


def dk_lines(r):
    lines = []
    for band in r.sample(BANDS, r.randint(1, 4)):
        l = {"kind": "work", "band": band, "step": 11}
        if r.random() < 0.85:
            l["per_week"] = dec(r, 0, 45)
        else:
            l["total"] = dec(r, 10, 600)
        lines.append(l)
    if r.random() < 0.5:
        # on_call.supplements is false in albertslund.json: no band
        lines.append({"kind": "on_call", "step": 11, "per_week": dec(r, 1, 40)})
    return lines


def dk_case(r, path, policy, shape):
    """shape: the decisions' cut points, shared by the pair so they look alike"""
    c = {"format": "bpa-case/1", "case": "R-%d" % r.randint(1, 999), "scheme": "dk-sel-96",
         "policy": policy, "year": 2025, "employer": shape["employer"], "helpers": r.randint(1, 5)}
    decs = []
    for (a, b) in shape["spans"]:
        d = {"from": a, "to": b, "hours": dk_lines(r)}
        if r.random() < 0.6:
            d["allowance_monthly"] = dec(r, 0, 1000, 0)  # the cap is 1000
        decs.append(d)
    c["decisions"] = decs
    if shape["trip"] and r.random() < 0.7:
        c["trips"] = [{"type": "vacation", "from": "2025-07-%02d" % r.randint(1, 20),
                       "days": r.randint(2, 10), "extra_hours_per_day": dec(r, 1, 16),
                       "kind": "work", "band": "day", "step": 11}]
    json.dump(c, open(path, "w", encoding="utf-8"), indent=1)


def dk_shape(r):
    cuts = sorted(r.sample(range(2, 12), r.randint(0, 2)))
    months = [1] + cuts + [13]
    spans = []
    for a, b in zip(months, months[1:]):
        end = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}.get(b - 1, 31)
        spans.append(("2025-%02d-01" % a, "2025-%02d-%02d" % (b - 1, end)))
    return {"spans": spans, "employer": r.choice(["citizen", "citizen", "payroll_association"]),
            "trip": len(spans) == 1}


def se_policy(r, path, pid):
    p = json.load(open(os.path.join(POL, "fk.json"), encoding="utf-8"))
    p["id"] = pid
    if r.random() < 0.6:
        for e in p["params"]["se.schablon"]:
            e["value"] = exact_dec(F(e["value"]) + F(r.randint(0, 900), 100))
    json.dump(p, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)


def se_case(r, path, policy):
    c = {"format": "bpa-case/1", "case": "RS-%d" % r.randint(1, 999), "scheme": "se-sfb-51",
         "policy": policy, "year": 2025}
    starts = r.choice([[("2025-01-01", "2025-06-30")],
                       [("2025-01-01", "2025-06-30"), ("2025-07-01", "2025-12-31")],
                       [("2025-03-10", "2025-09-09")]])
    periods = []
    for a, b in starts:
        p = {"from": a, "to": b, "payment": "efterskott", "per_week": dec(r, 1, 120)}
        if r.random() < 0.6:
            p["vantetid_per_week"] = dec(r, 0, 30)
        if r.random() < 0.4:
            p["beredskap_per_week"] = dec(r, 0, 30)
        periods.append(p)
    c["periods"] = periods
    json.dump(c, open(path, "w", encoding="utf-8"), indent=1)


# ---- checks ------------------------------------------------------------------------------

class Checker:
    def __init__(self):
        self.problems = []
        self.checks = 0

    def eq(self, what, got, want):
        self.checks += 1
        if got != want:
            self.problems.append("%s: got %s, want %s" % (what, got, want))


def run(bpa, args, cwd):
    p = subprocess.run(bpa + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError("bpa %s: exit %d: %s" % (" ".join(args), p.returncode,
                                                    p.stderr.decode()[-600:]))
    return json.loads(p.stdout)


def cat_key(c):
    return (c["kind"], c.get("band"), c.get("step"))


def check(ck, d, g0, g1, danish):
    for i, c in enumerate(d["changes"]):
        w = "changes[%d] %s %s" % (i, c["month"], cat_key(c["category"]))
        old, new, chg = q(c, "old"), q(c, "new"), q(c, "change")
        he, re_, res = q(c, "hours_effect"), q(c, "rate_effect"), q(c, "residue")
        ck.eq(w + " change = new - old", chg, new - old)
        ck.eq(w + " change = effects + residue", he + re_ + res, chg)
        h0, h1 = q(c, "old_hours"), q(c, "new_hours")
        if c["old_rate"] is not None and c["new_rate"] is not None:
            r0, r1 = q(c, "old_rate"), q(c, "new_rate")
            ck.eq(w + " hours effect", he, (h1 - h0) * r0)
            ck.eq(w + " rate effect", re_, h1 * (r1 - r0))
        else:
            ck.eq(w + " one side: all hours effect", he, chg)
            ck.eq(w + " one side: rate 0", re_, 0)
    for i, o in enumerate(d["other"]):
        ck.eq("other[%d] change" % i, q(o, "change"), q(o, "new") - q(o, "old"))
    # 2. against the grants
    for side, g in (("old", g0), ("new", g1)):
        want = {}
        if danish:
            for l in g["lines"]:
                if l["rule"] != "wages":
                    continue
                k = (l["from"][:7], cat_key(l["category"]))
                a, h = want.get(k, (F(0), F(0)))
                want[k] = (a + F(l["amount"]), h + q(l, "hours"))
            got = {}
            for c in d["changes"]:
                got[(c["month"], cat_key(c["category"]))] = (q(c, side), q(c, side + "_hours"))
            for k, v in want.items():
                if v[1] == 0:
                    continue
                ck.eq("%s %s from the grant's lines" % (side, k), got.get(k), v)
        else:
            months = {}
            for p in g["periods"]:
                for m in p["months"]:
                    months[m["month"]] = months.get(m["month"], F(0)) + F(m["amount"])
            got = {}
            for c in d["changes"]:
                got[c["month"]] = got.get(c["month"], F(0)) + q(c, side)
            for o in d["other"]:
                if o["rule"] == "rounding":
                    got[o["month"]] = got.get(o["month"], F(0)) + q(o, side)
            for m, v in months.items():
                ck.eq("%s %s kinds + rounding = the month's amount" % (side, m), got.get(m), v)
    t = d["totals"]
    tot = "grant" if danish else "amount"
    ck.eq("totals.old", F(t["old"]), F(g0["totals"][tot]))
    ck.eq("totals.new", F(t["new"]), F(g1["totals"][tot]))
    ck.eq("totals.change", F(t["change"]), F(t["new"]) - F(t["old"]))
    explained = sum((q(c, "change") for c in d["changes"]), F(0)) + \
        sum((q(o, "change") for o in d["other"] if o["in_total"]), F(0))
    ck.eq("totals.change explained", explained, F(t["change"]))
    if F(t["old"]) == 0:
        ck.eq("pct null", t["pct"], None)
    else:
        ck.eq("pct", F(t["pct"]), round2(F(t["change"]) / F(t["old"]) * 100))


def main():
    argv = sys.argv[1:]
    seeds = int(os.environ.get("DIFF_SEEDS", "24"))
    if "--seeds" in argv:
        i = argv.index("--seeds")
        seeds = int(argv[i + 1])
        del argv[i:i + 2]
    bpa = argv
    if not bpa:
        print(__doc__)
        return 2
    total = 0
    rows = 0
    seen = {"rate effect": 0, "hours effect": 0, "residue": 0, "one side": 0,
            "outside the total": 0, "Swedish": 0}
    for seed in range(1, seeds + 1):
        r = random.Random(seed)
        work = tempfile.mkdtemp(prefix="bpa-diff-%d-" % seed)
        danish = seed % 3 != 0
        try:
            if danish:
                shape = dk_shape(r)
                dk_policy(r, os.path.join(work, "p0.json"), "p0")
                dk_policy(r, os.path.join(work, "p1.json"), "p1")
                dk_case(r, os.path.join(work, "old.json"), "p0.json", shape)
                dk_case(r, os.path.join(work, "new.json"), r.choice(["p0.json", "p1.json"]),
                        shape)
            else:
                se_policy(r, os.path.join(work, "p0.json"), "p0")
                se_policy(r, os.path.join(work, "p1.json"), "p1")
                se_case(r, os.path.join(work, "old.json"), "p0.json")
                se_case(r, os.path.join(work, "new.json"), "p1.json")
            g0 = run(bpa, ["grant", "old.json", "--json", "-"], work)
            g1 = run(bpa, ["grant", "new.json", "--json", "-"], work)
            d = run(bpa, ["diff", "old.json", "new.json", "--json", "-"], work)
            ck = Checker()
            check(ck, d, g0, g1, danish)
            # 5. a side given as its grant result gives the same comparison
            json.dump(g0 if seed % 2 else g1, open(os.path.join(work, "side.json"), "w"))
            args = ["side.json", "new.json"] if seed % 2 else ["old.json", "side.json"]
            dr = run(bpa, ["diff"] + args + ["--json", "-"], work)
            for key in ("changes", "other", "sums", "totals"):
                ck.eq("from a result: " + key, dr[key] == d[key], True)
            which = "old" if seed % 2 else "new"
            ck.eq("from a result: stamp", dr[which]["result"]["name"], "side.json")
            ck.eq("from a result: inputs", dr[which]["inputs"], d[which]["inputs"])
        except (RuntimeError, ValueError, KeyError) as e:
            print("seed %d (%s): %s" % (seed, work, e))
            return 1
        if ck.problems:
            print("seed %d (%s):" % (seed, work))
            for p in ck.problems[:20]:
                print("  " + p)
            return 1
        total += ck.checks
        rows += len(d["changes"])
        for c in d["changes"]:
            seen["rate effect"] += q(c, "rate_effect") != 0
            seen["hours effect"] += q(c, "hours_effect") != 0 and c["old_rate"] is not None
            seen["residue"] += q(c, "residue") != 0
            seen["one side"] += c["old_rate"] is None or c["new_rate"] is None
        seen["outside the total"] += any(not o["in_total"] for o in d["other"])
        seen["Swedish"] += not danish
        shutil.rmtree(work)
    missing = [k for k, v in seen.items() if v == 0]
    if missing:
        print("diff_random: the seeds never produced: " + ", ".join(missing))
        return 1
    print("diff_random: %d seeds, %d rows, %d checks passed" % (seeds, rows, total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
