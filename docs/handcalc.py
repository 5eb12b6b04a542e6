#!/usr/bin/env python3
"""Independent hand calculator for Danish BPA grants (RULES.md section 7).

Written from RULES.md alone, without reading the engine's source, so that it
can serve as an oracle for the shipped fixtures (docs/worked-examples.md,
tests/cli/expected/*.totals). Every number is a fractions.Fraction; the only
rounding is round2() at the rounding points R1, R2, R3, R4 (the hourly cap is
not used by the shipped fixtures and is not implemented here).

    python3 docs/handcalc.py fixtures/cases/alb-2025-full-year.json          # report
    python3 docs/handcalc.py --totals fixtures/cases/alb-2025-full-year.json # .totals lines

Scope: schemes dk-sel-94/95/96, hours.basis, per_week and total lines,
trips, employers, add-ons (7.2 step 4 with R2, 7.3 per-helper lines),
administration (R4 indexing), payroll cap, allowance, due dates. Not covered:
hourly_cap, overrides of caps (checked only).

Add-ons were added from the text of RULES.md 7.2-7.3 alone, without reading the
engine's code for them: a pct add-on is pct/100 of the base (base "wage") or of
base + supplement ("wage_and_supplement") as they stand after R1, a kr_per_hour
add-on its amount, on on-call hours too; R2 rounds each per hour; the rate is
base + supplement + the add-ons. A kr_per_helper_year add-on is one line per
add-on and segment, round(amount x helpers x d/N), counted in the wages and the
month's payment but in no category (so not in the settlement's values V; line 5
adds them back).

Settlement (RULES.md 8.1-8.2, 4, 12), added for the 1 March account. It follows
the text of RULES.md and never calls the engine or reads its output (its author
had read src/settle.c, so it is independent in method rather than blind): every
timesheet shift is walked minute by minute in real (UTC) time, each minute
turned back into local time by the EU summer-time rule and classified by the
policy's band.windows, band.precedence, Danish public holidays and
holidays.extra (the engine walks chunks between band edges instead).

    python3 docs/handcalc.py --settle CASE.json USAGE.json          # report
    python3 docs/handcalc.py --settle-expect CASE.json USAGE.json   # key=value lines
"""
import datetime as dt
import json
import math
import os
import re
import sys
from fractions import Fraction as F

# ---------------------------------------------------------------- numbers

MODE = "half_away_from_zero"


def round2(x, mode=None):
    """Round to 0.01: half away from zero (default) or half even."""
    mode = mode or MODE
    y = x * 100
    sign = -1 if y < 0 else 1
    y = abs(y)
    fl = math.floor(y)
    rest = y - fl
    if rest > F(1, 2) or (rest == F(1, 2) and (mode == "half_away_from_zero" or fl % 2 == 1)):
        fl += 1
    return F(sign * fl, 100)


def dec(s):
    """A decimal string, a whole JSON number, or a fraction "N/D"."""
    if isinstance(s, bool):
        raise ValueError("bool is not a decimal")
    if isinstance(s, int):
        return F(s)
    if "/" in s:
        n, d = s.split("/")
        return F(int(n), int(d))
    return F(s)


def money(x):
    assert x.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100), x
    s = "-" if x < 0 else ""
    c = abs(x) * 100
    assert c.denominator == 1
    c = int(c)
    return f"{s}{c // 100}.{c % 100:02d}"


def frac(x):
    return f"{x.numerator}/{x.denominator}" if x.denominator != 1 else str(x.numerator)


def show(x, places=6):
    """x to `places` decimals (display only), half away from zero."""
    q = F(10) ** places
    v = abs(x) * q
    n = math.floor(v + F(1, 2))
    s = str(n).rjust(places + 1, "0")
    return ("-" if x < 0 else "") + s[:-places] + "." + s[-places:]


def rate(x):
    """A rate for output (RULES.md 3): two decimals when it is whole øre, else six."""
    return show(x, 2) if (x * 100).denominator == 1 else show(x, 6)


# ---------------------------------------------------------------- calendar

def easter(y):
    a = y % 19
    b, c = divmod(y, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(y, month, day)


def dk_holidays(y):
    e = easter(y)
    td = dt.timedelta
    h = {dt.date(y, 1, 1): "nytårsdag", e - td(3): "skærtorsdag", e - td(2): "langfredag",
         e: "påskedag", e + td(1): "2. påskedag", e + td(39): "Kristi himmelfartsdag",
         e + td(49): "pinsedag", e + td(50): "2. pinsedag", dt.date(y, 12, 25): "juledag",
         dt.date(y, 12, 26): "2. juledag"}
    if y <= 2023:
        h[e + td(26)] = "store bededag"
    return h


def dk_bank_closed(y):
    e = easter(y)
    c = dict(dk_holidays(y))
    c[e + dt.timedelta(40)] = "fredag efter Kristi himmelfartsdag"
    c[dt.date(y, 6, 5)] = "grundlovsdag (bank closing day)"
    c[dt.date(y, 12, 24)] = "juleaftensdag (bank closing day)"
    c[dt.date(y, 12, 31)] = "nytårsaftensdag (bank closing day)"
    return c


def is_bank_day(d):
    return d.weekday() < 5 and d not in dk_bank_closed(d.year)


def days_in_month(y, m):
    return (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.date(y, m, 1)).days


def first_bank_day(y, m):
    d = dt.date(y, m, 1)
    while not is_bank_day(d):
        d += dt.timedelta(1)
    return d


def last_bank_day(y, m):
    d = dt.date(y, m, days_in_month(y, m))
    while not is_bank_day(d):
        d -= dt.timedelta(1)
    return d


def last_bank_day_before(y, m):
    d = dt.date(y, m, 1) - dt.timedelta(1)
    while not is_bank_day(d):
        d -= dt.timedelta(1)
    return d


def year_days(y):
    return 366 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 365


def iso(d):
    return d.isoformat()


def D(s):
    return dt.date.fromisoformat(s)


# ---------------------------------------------------------------- policy

DEFAULTS = {
    "hours.basis": "weeks52",
    "band.precedence": ["sunday_holiday", "night", "saturday", "evening", "day"],
    "on_call.supplements": False,
    "addons": [],
    "rounding.mode": "half_away_from_zero",
    "rounding.rate_components": True,
    "admin.transferred.hours": "all",
    "payment.advance_day": "first_weekday",
    "payment.arrears_day": "last_weekday",
}


class Policy:
    def __init__(self, path):
        with open(path, encoding="utf-8") as fh:
            self.doc = json.load(fh)
        self.path = path
        self.params = self.doc["params"]
        for name, entries in self.params.items():
            for e in entries:
                assert e["ref"] in self.doc["references"], (name, e["ref"])

    def entry(self, name, day):
        found = None
        for e in self.params.get(name, []):
            if D(e["from"]) <= day:
                found = e
        return found

    def get(self, name, day):
        e = self.entry(name, day)
        if e is not None:
            return e["value"]
        return DEFAULTS.get(name)

    def need(self, name, day):
        v = self.get(name, day)
        if v is None:
            raise SystemExit(f"policy {self.path}: parameter {name} has no value on {day}")
        return v

    def norm(self, name, v):
        """Comparable form of a value (equal values are no change)."""
        if v is None:
            return None
        if name.startswith("wage.hourly."):
            return wage_value(v)
        return canon(v)

    def changes(self, name, lo, hi):
        """Days in (lo, hi] on which the value differs from the day before."""
        out = []
        for e in self.params.get(name, []):
            d = D(e["from"])
            if lo < d <= hi:
                before = self.norm(name, self.get(name, d - dt.timedelta(1)))
                if before != self.norm(name, e["value"]):
                    out.append(d)
        return out


DECIMAL = re.compile(r"^-?[0-9]{1,15}(\.[0-9]{1,6})?$|^[0-9]+/[0-9]+$")


def canon(v):
    """A value in comparable form: decimals as numbers, objects unordered."""
    if isinstance(v, dict):
        return tuple(sorted((k, canon(x)) for k, x in v.items()))
    if isinstance(v, list):
        return tuple(canon(x) for x in v)
    if isinstance(v, str) and DECIMAL.match(v):
        return dec(v)
    return v


def wage_value(v):
    if isinstance(v, dict):
        return dec(v["annual"]) / dec(v["norm_hours"])
    return dec(v)


# ---------------------------------------------------------------- grant

class Grant:
    def __init__(self, case_path, policy_dir=None):
        with open(case_path, encoding="utf-8") as fh:
            self.case = json.load(fh)
        c = self.case
        pol = c["policy"]
        if "/" in pol or pol.endswith(".json"):
            ppath = os.path.join(os.path.dirname(case_path), pol)
        else:
            ppath = os.path.join(policy_dir or os.path.join(os.path.dirname(case_path), "..", "policies"),
                                 pol + ".json")
        self.p = Policy(ppath)
        self.scheme = c["scheme"]
        self.dk94 = self.scheme == "dk-sel-94"
        self.year = c["year"]
        self.employer = c.get("employer", "citizen")
        self.transferred_to = c.get("transferred_to")
        self.segments = []   # dicts
        self.lines = []      # dicts
        self.rates = {}      # (cat, seg index) -> rate dict
        self.allow = []      # allowance lines
        self.employment = []
        self.compute()

    # -- what a decision reads (7.1)
    def trips_in(self, d):
        out = []
        for t in self.case.get("trips", []):
            tf = D(t["from"])
            tl = tf + dt.timedelta(t["days"] - 1)
            if tf <= D(d["to"]) and tl >= D(d["from"]):
                out.append(t)
        return out

    def reads(self, d):
        p = self.p
        lo, hi = D(d["from"]), D(d["to"])
        names = ["hours.basis", "rounding.mode", "rounding.rate_components", "addons"]
        if "hourly_cap" in p.params:
            names.append("hourly_cap")
        items = list(d["hours"]) + self.trips_in(d)
        oncall = any(x["kind"] == "on_call" for x in items)
        steps = set()
        bands = set()
        for x in items:
            if self.dk94:
                pname = "dk94.step." + x["task"]
                names.append(pname)
                for day in [lo] + p.changes(pname, lo, hi):
                    steps.add(p.need(pname, day))
            else:
                steps.add(x["step"])
            if x["kind"] == "work":
                bands.add(x["band"])
            elif x.get("band"):
                bands.add(x["band"])  # on-call with supplements
        names += ["wage.hourly.%d" % s for s in sorted(steps)]
        names += ["supplement." + b for b in sorted(bands) if b != "day"]
        if oncall:
            names += ["on_call.fraction", "on_call.supplements"]
        if self.employer == "transferred" and not self.dk94:
            names += ["admin.transferred.per_hour", "admin.transferred.hours", "index.series"]
        if self.employer == "payroll_association" and not self.dk94:
            names += ["admin.payroll.per_helper_year", "index.series"]
        return names

    def compute(self):
        p = self.p
        c = self.case
        N = year_days(self.year)
        for di, d in enumerate(c["decisions"]):
            lo, hi = D(d["from"]), D(d["to"])
            Dd = (hi - lo).days + 1
            cuts = set()
            for name in self.reads(d):
                cuts.update(p.changes(name, lo, hi))
            day = lo
            while day <= hi:                       # month starts
                if day.day == 1 and day != lo:
                    cuts.add(day)
                day += dt.timedelta(1)
            bounds = sorted([lo] + [x for x in cuts if lo < x <= hi])
            helpers = d.get("helpers", c.get("helpers", 1))
            educated = d.get("educated", c.get("educated", False))
            # section 94 employment form (7.6)
            if self.dk94:
                hpw = sum(dec(l["per_week"]) if "per_week" in l else dec(l["total"]) * 7 / Dd
                          for l in d["hours"])
                thr = dec(p.need("dk94.monthly_paid_min_hours_per_week", lo))
                self.employment.append(dict(frm=lo, to=hi, hpw=hpw, thr=thr,
                                            form="monthly_paid" if hpw >= thr else "hourly_paid"))
            for k, sf in enumerate(bounds):
                st = bounds[k + 1] - dt.timedelta(1) if k + 1 < len(bounds) else hi
                self.segment(di, d, sf, st, Dd, N, helpers, educated)
            # allowance per month and decision (7.3)
            if "allowance_monthly" in d:
                a = dec(d["allowance_monthly"])
                capname = {"dk-sel-95": "allowance.monthly_cap.95", "dk-sel-96": "allowance.monthly_cap.96"}[self.scheme]
                day = lo
                months = {}
                while day <= hi:
                    months.setdefault((day.year, day.month), []).append(day)
                    cap = p.get(capname, day)
                    if cap is not None and a > dec(cap):
                        raise SystemExit(f"allowance {a} above cap {cap} on {day}")
                    day += dt.timedelta(1)
                for (y, m), days in sorted(months.items()):
                    dim = days_in_month(y, m)
                    exact = a * len(days) / dim
                    mode = p.need("rounding.mode", days[0])
                    self.allow.append(dict(y=y, m=m, frm=days[0], to=days[-1], days=len(days), dim=dim,
                                           monthly=a, exact=exact, amount=round2(exact, mode), decision=di))

    def segment(self, di, d, sf, st, Dd, N, helpers, educated):
        p = self.p
        days = (st - sf).days + 1
        mode = p.need("rounding.mode", sf)
        basis = p.need("hours.basis", sf)
        rc = p.need("rounding.rate_components", sf)
        addons = p.need("addons", sf)
        sup_on_call = p.get("on_call.supplements", sf)
        seg = dict(i=len(self.segments), decision=di, frm=sf, to=st, days=days, helpers=helpers,
                   mode=mode, basis=basis, cats={})
        self.segments.append(seg)

        def catkey(kind, band, step):
            if kind == "on_call" and not sup_on_call:
                band = "any"
            return (kind, band, step)

        def add(key, hours, what):
            e = seg["cats"].setdefault(key, dict(hours=F(0), parts=[]))
            e["hours"] += hours
            e["parts"].append((what, hours))

        for l in d["hours"]:
            if self.dk94:
                if l["task"] == "personal_care" and not educated:
                    raise SystemExit("personal care needs an educated helper")
                step = p.need("dk94.step." + l["task"], sf)
            else:
                step = l["step"]
            if "per_week" in l:
                pw = dec(l["per_week"])
                if basis == "weeks52":
                    h = pw * 52 * days / N
                    what = f"{l['per_week']} x 52 x {days}/{N}"
                else:
                    h = pw * days / 7
                    what = f"{l['per_week']} x {days}/7"
            else:
                h = dec(l["total"]) * days / Dd
                what = f"{l['total']} x {days}/{Dd}"
            add(catkey(l["kind"], l.get("band", "any"), step), h, what)
        for t in self.trips_in(d):
            tf = D(t["from"])
            tl = tf + dt.timedelta(t["days"] - 1)
            n = (min(tl, st) - max(tf, sf)).days + 1
            if n > 0:
                add(catkey(t["kind"], t.get("band", "any"), t["step"]), dec(t["extra_hours_per_day"]) * n,
                    f"trip {t['type']} {t['extra_hours_per_day']} x {n} days")
        seg["hours"] = sum((e["hours"] for e in seg["cats"].values()), F(0))
        # rates and wage lines (7.2, 7.3)
        seg["wages"] = F(0)
        for key in sorted(seg["cats"], key=lambda k: (k[0], ["day", "evening", "night", "saturday", "sunday_holiday", "any"].index(k[1]), k[2])):
            kind, band, step = key
            W = wage_value(p.need("wage.hourly.%d" % step, sf))
            frac_ = dec(p.need("on_call.fraction", sf)) if kind == "on_call" else F(1)
            base = W * frac_
            sup = F(0)
            sp = None
            if band not in ("day", "any"):
                sp = p.need("supplement." + band, sf)
                sup = W * dec(sp["pct"]) / 100 if "pct" in sp else dec(sp["kr"])
            if rc:
                base_r, sup_r = round2(base, mode), round2(sup, mode)
            else:
                base_r, sup_r = base, sup
            # add-ons per hour (7.2 step 4): on base or base + supplement after R1, then R2
            adds = []
            for a in addons:
                if "pct" in a:
                    on = base_r + sup_r if a["base"] == "wage_and_supplement" else base_r
                    ex = on * dec(a["pct"]) / 100
                    how = f"{a['pct']}% x {'(base + supplement)' if a['base'] == 'wage_and_supplement' else 'base'} {money(on) if rc else show(on, 6)}"
                elif "kr_per_hour" in a:
                    ex = dec(a["kr_per_hour"])
                    how = f"{a['kr_per_hour']} kr/h"
                else:
                    continue  # kr_per_helper_year: a line of its own below
                adds.append(dict(name=a["name"], exact=ex, amount=round2(ex, mode), how=how))
            hourly = base_r + sup_r + sum((x["amount"] for x in adds), F(0))
            hours = seg["cats"][key]["hours"]
            exact = hours * hourly
            amount = round2(exact, mode)
            seg["wages"] += amount
            self.lines.append(dict(rule="wages", seg=seg["i"], frm=sf, to=st, cat=key, hours=hours,
                                   parts=seg["cats"][key]["parts"], W=W, fraction=frac_, sup_param=sp,
                                   base_exact=base, sup_exact=sup, base=base_r, sup=sup_r,
                                   addons=adds, rate=hourly, exact=exact, amount=amount))
        # per-helper add-ons (7.3): one rounded line per add-on and segment
        for a in addons:
            if "kr_per_helper_year" in a:
                k = dec(a["kr_per_helper_year"])
                exact = k * helpers * days / N
                amount = round2(exact, mode)
                seg["wages"] += amount
                self.lines.append(dict(rule="per_helper", seg=seg["i"], frm=sf, to=st, name=a["name"],
                                       rate=k, helpers=helpers, days=days, N=N, exact=exact,
                                       amount=amount))
        # administration (transferred) and payroll cap (R4 then per segment)
        seg["admin"] = F(0)
        seg["payroll_cap"] = F(0)
        if not self.dk94 and self.employer == "transferred":
            per = p.need("admin.transferred.per_hour", sf)
            ih = self.indexed(per, sf, mode)
            which = p.need("admin.transferred.hours", sf)
            hrs = sum((e["hours"] for k, e in seg["cats"].items() if which == "all" or k[0] == "work"), F(0))
            exact = hrs * ih["amount"]
            seg["admin"] = round2(exact, mode)
            self.lines.append(dict(rule="admin", seg=seg["i"], frm=sf, to=st, hours=hrs, rate=ih["amount"],
                                   index=ih, exact=exact, amount=seg["admin"]))
        if not self.dk94 and self.employer == "payroll_association":
            per = p.need("admin.payroll.per_helper_year", sf)
            ih = self.indexed(per, sf, mode)
            exact = ih["amount"] * helpers * days / N
            seg["payroll_cap"] = round2(exact, mode)
            self.lines.append(dict(rule="payroll_admin_cap", seg=seg["i"], frm=sf, to=st, helpers=helpers,
                                   days=days, N=N, rate=ih["amount"], index=ih, exact=exact,
                                   amount=seg["payroll_cap"]))

    def indexed(self, leveled, day, mode):
        series = self.p.need("index.series", day)
        L = str(leveled["level"])
        Y = str(self.year)
        if L not in series or Y not in series:
            raise SystemExit(f"index.series lacks {L if L not in series else Y}")
        amt = dec(leveled["amount"])
        iy, il = dec(series[Y]), dec(series[L])
        exact = amt * iy / il
        return dict(amount_level=amt, level=L, year=Y, iy=iy, il=il, exact=exact, amount=round2(exact, mode))

    # -- months and totals (7.3, 7.5)
    def months(self):
        out = {}
        for s in self.segments:
            key = (s["frm"].year, s["frm"].month)
            m = out.setdefault(key, dict(wages=F(0), admin=F(0), payroll_cap=F(0), allowance=F(0), hours=F(0)))
            m["wages"] += s["wages"]
            m["admin"] += s["admin"]
            m["payroll_cap"] += s["payroll_cap"]
            m["hours"] += s["hours"]
        for a in self.allow:
            out[(a["y"], a["m"])]["allowance"] += a["amount"]
        pays = not self.dk94 and self.employer in ("citizen", "payroll_association", "transferred")
        forud = self.employer in ("citizen", "payroll_association") or \
            (self.employer == "transferred" and self.transferred_to == "relative")
        for (y, m), v in out.items():
            v["recipient"] = v["wages"] + v["admin"] if pays else F(0)
            first = dt.date(y, m, 1)
            if pays:
                if forud:
                    adv = self.p.need("payment.advance_day", first)
                    v["due"] = first_bank_day(y, m) if adv == "first_weekday" else last_bank_day_before(y, m)
                else:
                    self.p.need("payment.arrears_day", first)
                    v["due"] = last_bank_day(y, m)
            else:
                v["due"] = None
            # the allowance is always paid forud, on payment.advance_day (7.5)
            if not self.dk94 and v["allowance"]:
                adv = self.p.need("payment.advance_day", first)
                v["allowance_due"] = first_bank_day(y, m) if adv == "first_weekday" else last_bank_day_before(y, m)
            else:
                v["allowance_due"] = None
        return dict(sorted(out.items()))

    def totals(self):
        ms = self.months()
        t = dict(wages=sum((m["wages"] for m in ms.values()), F(0)),
                 admin=sum((m["admin"] for m in ms.values()), F(0)),
                 payroll_admin_cap=sum((m["payroll_cap"] for m in ms.values()), F(0)),
                 allowance=sum((m["allowance"] for m in ms.values()), F(0)))
        t["grant"] = t["wages"] + t["admin"] + t["allowance"]
        t["hours"] = sum((m["hours"] for m in ms.values()), F(0))
        return t, ms


def totals_text(g):
    t, ms = g.totals()
    lines = [f"wages={money(t['wages'])}", f"admin={money(t['admin'])}",
             f"payroll_admin_cap={money(t['payroll_admin_cap'])}", f"allowance={money(t['allowance'])}",
             f"grant={money(t['grant'])}",
             "months=" + ",".join(money(m["recipient"]) for m in ms.values()),
             "due=" + ",".join(iso(m["due"]) if m["due"] else "" for m in ms.values())]
    return "\n".join(lines) + "\n"


def report(g):
    out = []
    w = out.append
    t, ms = g.totals()
    w(f"case {g.case['case']}  scheme {g.scheme}  policy {g.p.doc['id']}  employer {g.employer}"
      + (f"/{g.transferred_to}" if g.transferred_to else ""))
    for e in g.employment:
        w(f"employment {e['frm']}..{e['to']}: {show(e['hpw'], 4)} h/week vs {e['thr']} -> {e['form']}")
    w("")
    w("rates (per segment start):")
    seen = {}
    for l in g.lines:
        if l["rule"] != "wages":
            continue
        key = l["cat"]
        comp = (l["base"], l["sup"], tuple((a["name"], a["amount"]) for a in l["addons"]))
        if seen.get(key) == comp:
            continue
        seen[key] = comp
        kind, band, step = key
        sp = l["sup_param"]
        w(f"  from {l['frm']} {kind}/{band}/{step}: W = {frac(l['W'])} = {show(l['W'], 6)}; "
          f"base = W x {frac(l['fraction'])} = {show(l['base_exact'], 6)} -> {money(l['base'])}; "
          f"supplement = {('W x ' + sp['pct'] + '/100' if sp and 'pct' in sp else (sp and 'kr ' + sp['kr']) or '0')}"
          f" = {show(l['sup_exact'], 6)} -> {money(l['sup'])}; hourly {money(l['rate'])}")
        if l["addons"]:
            w(f"    add-ons (R2 each): " + "; ".join(
                f"{a['name']} {a['how']} = {show(a['exact'], 6)} -> {money(a['amount'])}" for a in l["addons"]))
            w(f"    hourly = {money(l['base'])} + {money(l['sup'])} + "
              f"{money(sum((a['amount'] for a in l['addons']), F(0)))} = {money(l['rate'])}")
    w("")
    w("segments and lines:")
    for s in g.segments:
        w(f"  segment {s['frm']}..{s['to']} ({s['days']} days, helpers {s['helpers']})")
        for l in g.lines:
            if l["seg"] != s["i"]:
                continue
            if l["rule"] == "wages":
                parts = " + ".join(f"[{p_} = {frac(h)}]" for p_, h in l["parts"])
                w(f"    wages {'/'.join(map(str, l['cat']))}: hours {parts} = {frac(l['hours'])} = {show(l['hours'], 6)}; "
                  f"x {money(l['rate'])} = {show(l['exact'], 6)} -> {money(l['amount'])}")
            elif l["rule"] == "per_helper":
                w(f"    per_helper {l['name']}: {money(l['rate'])} x {l['helpers']} x {l['days']}/{l['N']} = "
                  f"{show(l['exact'], 6)} -> {money(l['amount'])}")
            elif l["rule"] == "admin":
                w(f"    admin: hours {frac(l['hours'])} = {show(l['hours'], 6)} x {money(l['rate'])} = "
                  f"{show(l['exact'], 6)} -> {money(l['amount'])}")
            else:
                w(f"    payroll_admin_cap: {money(l['rate'])} x {l['helpers']} x {l['days']}/{l['N']} = "
                  f"{show(l['exact'], 6)} -> {money(l['amount'])}")
    w("")
    for a in g.allow:
        w(f"  allowance {a['y']}-{a['m']:02d} decision {a['decision']}: {a['monthly']} x {a['days']}/{a['dim']} = "
          f"{show(a['exact'], 6)} -> {money(a['amount'])}")
    w("")
    w("month | hours | wages | admin | payroll cap | recipient | due | allowance | allowance due")
    for (y, m), v in ms.items():
        w(f"{y}-{m:02d} | {show(v['hours'], 4)} | {money(v['wages'])} | {money(v['admin'])} | {money(v['payroll_cap'])} | "
          f"{money(v['recipient'])} | {iso(v['due']) if v['due'] else '-'} | {money(v['allowance'])} | "
          f"{iso(v['allowance_due']) if v['allowance_due'] else '-'}")
    w("")
    w(f"hours {frac(t['hours'])} = {show(t['hours'], 6)}")
    w(totals_text(g))
    return "\n".join(out)


# ---------------------------------------------------------------- settlement (RULES.md 8)

SETTLE_DEFAULTS = {
    "settlement.pools": "all",
    "settlement.admin_follows_hours": True,
    "settlement.carry_over_max_pct": "0",
    "settlement.cap_at_actual_costs": True,
}
BAND_ORDER = ["day", "evening", "night", "saturday", "sunday_holiday", "any"]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def last_sunday(y, m):
    d = dt.date(y, m, days_in_month(y, m))
    while d.weekday() != 6:
        d -= dt.timedelta(1)
    return d


def utc_offset_h(utc):
    """Hours Copenhagen is ahead of UTC at the UTC datetime `utc` (EU rule: summer time
    from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October)."""
    y = utc.year
    on = dt.datetime.combine(last_sunday(y, 3), dt.time(1))
    off = dt.datetime.combine(last_sunday(y, 10), dt.time(1))
    return 2 if on <= utc < off else 1


def local_to_utc(day, minute):
    """The UTC datetime of a local wall-clock time; the first occurrence when it occurs twice;
    None when it does not exist (the spring gap)."""
    local = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    for off in (2, 1):  # summer time first: the first occurrence of a doubled time
        u = local - dt.timedelta(hours=off)
        if utc_offset_h(u) == off:
            return u
    return None


def utc_to_local(u):
    return u + dt.timedelta(hours=utc_offset_h(u))


def clock(s):
    h, m = s.split(":")
    assert len(h) == 2 and len(m) == 2 and 0 <= int(h) <= 23 and 0 <= int(m) <= 59, s
    return int(h) * 60 + int(m)


class Classifier:
    """Band of a local minute (RULES.md 5.1): windows, precedence, holidays."""

    def __init__(self, policy):
        self.p = policy

    def holiday_at(self, day, minute):
        if day in dk_holidays(day.year):
            return True
        for x in self.p.get("holidays.extra", day) or []:
            parts = x["date"].split("-")
            if len(parts) == 3:
                match = dt.date(int(parts[0]), int(parts[1]), int(parts[2])) == day
            else:
                match = (int(parts[0]), int(parts[1])) == (day.month, day.day)
            if match and minute >= (clock(x["from"]) if "from" in x else 0):
                return True
        return False

    def band(self, day, minute):
        windows = self.p.need("band.windows", day)
        prec = self.p.need("band.precedence", day)
        wd = WEEKDAYS[day.weekday()]
        hol = self.holiday_at(day, minute)
        for b in prec:
            for w in windows.get(b, []):
                lo = clock(w["from"])
                hi = 1440 if w["to"] == "24:00" else clock(w["to"])
                if lo <= minute < hi and (wd in w["days"] or ("holiday" in w["days"] and hol)):
                    return b
        return "day"


class Settlement:
    def __init__(self, case_path, usage_path, policy_dir=None):
        self.g = Grant(case_path, policy_dir)
        self.p = self.g.p
        with open(usage_path, encoding="utf-8") as fh:
            self.u = json.load(fh)
        self.usage_dir = os.path.dirname(usage_path)
        self.year = self.g.year
        self.dec31 = dt.date(self.year, 12, 31)
        self.shift_log = []
        self.compute()

    def sparam(self, name):
        v = self.p.get(name, self.dec31)
        if v is None:
            v = SETTLE_DEFAULTS.get(name)
        if v is None:
            raise SystemExit(f"policy: {name} has no value on {self.dec31}")
        return v

    def cat(self, kind, band, step, day):
        """An on-call row or minute names a band only while on_call.supplements is true."""
        if kind == "on_call" and not self.p.get("on_call.supplements", day):
            assert band in (None, "any"), "on-call band given while on_call.supplements is false"
            band = "any"
        assert band is not None
        return (kind, band, step)

    # -- timesheets (8.1)
    def read_timesheet(self, path):
        import csv
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rd = csv.reader(fh)
            rows = [(rd.line_num, r) for r in rd]  # line_num: the record's last physical line
        rows = [(n, r) for n, r in rows if r != []]  # blank lines are skipped
        header = rows[0][1]
        assert set(header) <= {"helper", "date", "start", "end", "kind", "step"}, header
        steps = sorted({l["cat"][2] for l in self.g.lines if l["rule"] == "wages"})
        clf = Classifier(self.p)
        for n, r in rows[1:]:
            rec = dict(zip(header, r))
            day = D(rec["date"])
            a, b = clock(rec["start"]), clock(rec["end"])
            step = int(rec["step"]) if rec.get("step") else None
            if step is None:
                assert len(steps) == 1, "empty step with several steps in the grant"
                step = steps[0]
            su = local_to_utc(day, a)
            eu = local_to_utc(day if b > a else day + dt.timedelta(1), b)
            assert su is not None and eu is not None, f"line {n}: clock time in the summer-time gap"
            parts = {}
            t = su
            while t < eu:
                loc = utc_to_local(t)
                ld, lm = loc.date(), loc.hour * 60 + loc.minute
                if ld.year != self.year:
                    key = ("outside", rec["kind"])
                else:
                    if rec["kind"] == "work" or self.p.get("on_call.supplements", ld):
                        band = clf.band(ld, lm)
                    else:
                        band = "any"
                    key = (ld.month, self.cat(rec["kind"], band, step, ld))
                parts[key] = parts.get(key, 0) + 1
                t += dt.timedelta(minutes=1)
            self.shift_log.append((os.path.basename(path), n, rec, int((eu - su).total_seconds()) // 60, parts))
            for key, mins in parts.items():
                h = F(mins, 60)
                if key[0] == "outside":
                    self.outside[key[1]] += h
                    continue
                m, c = key
                self.used[c] = self.used.get(c, F(0)) + h
                self.month_used[m] = self.month_used.get(m, F(0)) + h
                hk = (rec["helper"], rec["kind"])
                self.helpers[hk] = self.helpers.get(hk, F(0)) + h

    def compute(self):
        g, u, p = self.g, self.u, self.p
        assert u["format"] == "bpa-usage/1" and u["case"] == g.case["case"] and u["year"] == self.year
        assert not g.dk94, "there is no settlement for section 94"
        mode = self.p.need("rounding.mode", self.dec31)
        R = lambda x: round2(x, mode)
        self.R = R
        # granted hours and values per category (the grant's wage lines)
        self.grant_hours, self.grant_value = {}, {}
        for l in g.lines:
            if l["rule"] == "wages":
                self.grant_hours[l["cat"]] = self.grant_hours.get(l["cat"], F(0)) + l["hours"]
                self.grant_value[l["cat"]] = self.grant_value.get(l["cat"], F(0)) + l["amount"]
        assert "hourly_cap" not in p.params, "hourly_cap is not covered by handcalc"
        self.cin_hours, self.cin_value = {}, {}
        jan1 = dt.date(self.year, 1, 1)
        for r in u.get("carry_in", []):
            c = self.cat(r["kind"], r.get("band"), r["step"], jan1)
            self.cin_hours[c] = self.cin_hours.get(c, F(0)) + dec(r["hours"])
            self.cin_value[c] = self.cin_value.get(c, F(0)) + dec(r["value"])
        self.used, self.month_used, self.helpers = {}, {}, {}
        self.outside = {"work": F(0), "on_call": F(0)}
        for r in u.get("used", []):
            y, m = map(int, r["month"].split("-"))
            assert y == self.year
            c = self.cat(r["kind"], r.get("band"), r["step"], dt.date(y, m, 1))
            self.used[c] = self.used.get(c, F(0)) + dec(r["hours"])
            self.month_used[m] = self.month_used.get(m, F(0)) + dec(r["hours"])
        for ts in u.get("timesheets", []):
            self.read_timesheet(os.path.join(self.usage_dir, ts))
        cats = sorted(set(self.grant_hours) | set(self.cin_hours) | set(self.used),
                      key=lambda k: (k[0] != "work", BAND_ORDER.index(k[1]), k[2]))
        self.cats = {}
        for c in cats:
            G = self.grant_hours.get(c, F(0)) + self.cin_hours.get(c, F(0))
            V = self.grant_value.get(c, F(0)) + self.cin_value.get(c, F(0))
            U = self.used.get(c, F(0))
            self.cats[c] = dict(G=G, V=V, U=U, unused=max(F(0), G - U), overused=max(F(0), U - G))
        # pools (8.2)
        pm = self.sparam("settlement.pools")
        self.pools = {}
        for c, e in self.cats.items():
            name = {"all": "all", "kind": c[0]}.get(pm, "%s/%s/%d" % c)
            e["pool"] = name
            P = self.pools.setdefault(name, dict(G=F(0), U=F(0), V=F(0)))
            P["G"] += e["G"]
            P["U"] += e["U"]
            P["V"] += e["V"]
        for P in self.pools.values():
            P["unused"] = max(F(0), P["G"] - P["U"])
            P["overused"] = max(F(0), P["U"] - P["G"])
            P["a"] = P["V"] / P["G"] if P["G"] else None
            P["unused_value"] = R(P["unused"] * P["a"]) if P["a"] is not None else F(0)
            P["overused_value"] = R(P["overused"] * P["a"]) if P["a"] is not None else F(0)
            P["carry"] = None
        # carry-over
        pct = dec(self.sparam("settlement.carry_over_max_pct"))
        self.year_hours = sum(self.grant_hours.values(), F(0))
        self.carry_max = self.year_hours * pct / 100
        self.carry_hours = F(0)
        self.carry_value = F(0)
        for r in u.get("carry_over", []):
            name = r.get("pool") or (list(self.pools)[0] if len(self.pools) == 1 else None)
            assert name in self.pools, f"carry_over pool {name!r} does not exist"
            P = self.pools[name]
            assert P["carry"] is None, "pool named twice"
            h = dec(r["hours"])
            assert h <= P["unused"], "carry-over above the pool's unused hours"
            P["carry"] = (h, R(h * P["a"]) if P["a"] is not None else F(0))
            self.carry_hours += h
            self.carry_value += P["carry"][1]
        assert self.carry_hours <= self.carry_max, "carry-over above carry_over_max_pct"
        self.unused_value = sum((P["unused_value"] for P in self.pools.values()), F(0))
        t, ms = g.totals()
        self.t, self.ms = t, ms
        L = {}
        # 1. unused hours
        L["unused_hours"] = self.unused_value - self.carry_value
        # 2. administration follows the hours
        L["admin"] = F(0)
        self.Ga = self.Ua = F(0)
        if g.employer == "transferred" and self.sparam("settlement.admin_follows_hours"):
            which = p.need("admin.transferred.hours", self.dec31)
            for c, e in self.cats.items():
                if which == "all" or c[0] == "work":
                    self.Ga += e["G"]
                    self.Ua += e["U"]
            if self.Ga:
                L["admin"] = R(max(F(0), self.Ga - self.Ua - self.carry_hours) * t["admin"] / self.Ga)
        # 3. payroll administration
        pays = u.get("payments", [])
        self.paid = {w: sum((dec(x["amount"]) for x in pays if x["for"] == w), F(0))
                     for w in ("grant", "allowance", "payroll_admin")}
        self.invoices = sum((dec(x["amount"]) for x in u.get("invoices", [])), F(0))
        L["payroll_admin"] = F(0)
        if g.employer == "payroll_association":
            L["payroll_admin"] = self.paid["payroll_admin"] - min(self.invoices, t["payroll_admin_cap"])
        else:
            assert not u.get("invoices") and not self.paid["payroll_admin"]
        # 4. payments
        self.due_total = sum((m["recipient"] for m in ms.values()), F(0))
        L["payments"] = self.paid["grant"] - self.due_total
        # 5. actual-cost cap
        L["actual_cost_cap"] = F(0)
        self.cost = None
        if "actual_wage_costs" in u and self.sparam("settlement.cap_at_actual_costs"):
            per_helper = sum((l["amount"] for l in g.lines if l["rule"] == "per_helper"), F(0))
            self.per_helper = per_helper
            self.V = sum((e["V"] for e in self.cats.values()), F(0))
            self.cost = self.V - self.unused_value + per_helper
            L["actual_cost_cap"] = max(F(0), self.cost - dec(u["actual_wage_costs"]))
        self.lines = L
        self.balance = sum(L.values(), F(0))
        self.direction = "repay" if self.balance > 0 else "pay_out" if self.balance < 0 else "settled"
        md = self.p.need("settlement.account_due", self.dec31)
        mm, dd = map(int, md.split("-"))
        self.due = dt.date(self.year + 1, mm, min(dd, days_in_month(self.year + 1, mm)))


def hours4(x):
    return show(x, 4)


def settle_expect(s):
    """key=value lines: keys are paths into the bpa-settlement-result/1 JSON."""
    out = []
    w = out.append
    for k, v in s.lines.items():
        w(f"lines.{k}={money(v)}")
    w(f"balance={money(s.balance)}")
    w(f"direction={s.direction}")
    w(f"due_date={iso(s.due)}")
    for i, (name, P) in enumerate(s.pools.items()):
        w(f"pools.{i}.pool={name}")
        w(f"pools.{i}.granted={hours4(P['G'])}")
        w(f"pools.{i}.used={hours4(P['U'])}")
        w(f"pools.{i}.unused={hours4(P['unused'])}")
        w(f"pools.{i}.overused={hours4(P['overused'])}")
        if P["a"] is not None:
            w(f"pools.{i}.average_rate={rate(P['a'])}")
        w(f"pools.{i}.unused_value={money(P['unused_value'])}")
        w(f"pools.{i}.overused_value={money(P['overused_value'])}")
    for i, (c, e) in enumerate(s.cats.items()):
        w(f"categories.{i}.category.kind={c[0]}")
        w(f"categories.{i}.category.band={c[1]}")
        w(f"categories.{i}.category.step={c[2]}")
        w(f"categories.{i}.granted={hours4(e['G'])}")
        w(f"categories.{i}.carried_in={hours4(s.cin_hours.get(c, F(0)))}")
        w(f"categories.{i}.used={hours4(e['U'])}")
        w(f"categories.{i}.unused={hours4(e['unused'])}")
        w(f"categories.{i}.overused={hours4(e['overused'])}")
    i = 0
    for m in range(1, 13):
        if (s.year, m) in s.ms or m in s.month_used:
            w(f"months.{i}.month={s.year}-{m:02d}")
            w(f"months.{i}.granted={hours4(s.ms.get((s.year, m), {}).get('hours', F(0)))}")
            w(f"months.{i}.used={hours4(s.month_used.get(m, F(0)))}")
            i += 1
    for i, ((h, k), v) in enumerate(s.helpers.items()):
        w(f"helpers.{i}.helper={h}")
        w(f"helpers.{i}.kind={k}")
        w(f"helpers.{i}.hours={hours4(v)}")
    i = 0
    for name, P in s.pools.items():
        if P["carry"]:
            w(f"carry_over.{i}.pool={name}")
            w(f"carry_over.{i}.hours={hours4(P['carry'][0])}")
            w(f"carry_over.{i}.value={money(P['carry'][1])}")
            i += 1
    w(f"payments.grant_received={money(s.paid['grant'])}")
    w(f"payments.grant_due={money(s.due_total)}")
    w(f"allowance.due={money(s.t['allowance'])}")
    w(f"allowance.received={money(s.paid['allowance'])}")
    w(f"outside_year_hours.work={hours4(s.outside['work'])}")
    w(f"outside_year_hours.on_call={hours4(s.outside['on_call'])}")
    return "\n".join(out) + "\n"


def settle_report(s):
    out = []
    w = out.append
    g = s.g
    w(f"settlement of case {g.case['case']} ({g.scheme}, employer {g.employer}), pools "
      f"{s.sparam('settlement.pools')}")
    if s.shift_log:
        w("")
        w("timesheet shifts (real minutes; band per local minute):")
        for f_, n, rec, mins, parts in s.shift_log:
            desc = ", ".join(
                (f"outside {k[1]} {frac(F(v, 60))} h" if k[0] == "outside"
                 else f"{k[0]:02d} {'/'.join(map(str, k[1]))} {frac(F(v, 60))} h")
                for k, v in sorted(parts.items(), key=str))
            w(f"  {f_}:{n} {rec['helper']} {rec['date']} {rec['start']}-{rec['end']} {rec['kind']}: "
              f"{frac(F(mins, 60))} h = {desc}")
    w("")
    w("categories: granted (grant + carried in) | value | used | unused | overused")
    for c, e in s.cats.items():
        w(f"  {'/'.join(map(str, c))}: G = {frac(s.grant_hours.get(c, F(0)))} + "
          f"{frac(s.cin_hours.get(c, F(0)))} = {frac(e['G'])} ({show(e['G'], 4)}) | "
          f"V = {money(s.grant_value.get(c, F(0)))} + {money(s.cin_value.get(c, F(0)))} = {frac(e['V'])} | "
          f"U = {frac(e['U'])} ({show(e['U'], 4)}) | {show(e['unused'], 4)} | {show(e['overused'], 4)}")
    w("")
    for name, P in s.pools.items():
        w(f"pool {name}: G = {frac(P['G'])} = {show(P['G'], 4)}, U = {frac(P['U'])} = {show(P['U'], 4)}, "
          f"V = {frac(P['V'])}")
        if P["a"] is not None:
            w(f"  a = V/G = {frac(P['a'])} = {show(P['a'], 6)}")
            w(f"  unused {frac(P['unused'])} h x a = {show(P['unused'] * P['a'], 6)} -> {money(P['unused_value'])}")
            w(f"  overused {frac(P['overused'])} h x a = {show(P['overused'] * P['a'], 6)} -> "
              f"{money(P['overused_value'])} (the citizen's own cost, not paid)")
        else:
            w("  no granted hours: values 0.00")
        if P["carry"]:
            w(f"  carry-over {frac(P['carry'][0])} h x a = {show(P['carry'][0] * P['a'], 6)} -> {money(P['carry'][1])}")
    w(f"carry-over limit: {frac(s.year_hours)} h x {s.sparam('settlement.carry_over_max_pct')} % = "
      f"{frac(s.carry_max)} h; carried over {frac(s.carry_hours)} h")
    w("")
    L = s.lines
    w(f"1. unused hours: {money(s.unused_value)} - {money(s.carry_value)} = {money(L['unused_hours'])}")
    if s.Ga:
        ex = max(F(0), s.Ga - s.Ua - s.carry_hours) * s.t["admin"] / s.Ga
        w(f"2. administration: round(max(0, {frac(s.Ga)} - {frac(s.Ua)} - {frac(s.carry_hours)}) x "
          f"{money(s.t['admin'])} / {frac(s.Ga)}) = round({show(ex, 6)}) = {money(L['admin'])}")
    else:
        w(f"2. administration: {money(L['admin'])}")
    w(f"3. payroll administration: paid {money(s.paid['payroll_admin'])} - min(invoices "
      f"{money(s.invoices)}, cap {money(s.t['payroll_admin_cap'])}) = {money(L['payroll_admin'])}")
    w(f"4. payments: received {money(s.paid['grant'])} - due {money(s.due_total)} = {money(L['payments'])}")
    if s.cost is not None and s.per_helper:
        w(f"5. actual-cost cap: max(0, V {money(s.V)} - unused {money(s.unused_value)} + per-helper lines "
          f"{money(s.per_helper)} = {money(s.cost)} - actual {s.u['actual_wage_costs']}) = "
          f"{money(L['actual_cost_cap'])}")
    elif s.cost is not None:
        w(f"5. actual-cost cap: max(0, V {money(s.V)} - unused {money(s.unused_value)} = {money(s.cost)} "
          f"- actual {s.u['actual_wage_costs']}) = {money(L['actual_cost_cap'])}")
    else:
        w(f"5. actual-cost cap: {money(L['actual_cost_cap'])}")
    w(f"balance = {' + '.join(money(v) for v in L.values())} = {money(s.balance)} ({s.direction}), "
      f"due {iso(s.due)}")
    w(f"allowance due {money(s.t['allowance'])}, received {money(s.paid['allowance'])}")
    w("months (granted | used):")
    for m in range(1, 13):
        gm = s.ms.get((s.year, m), {}).get("hours", F(0))
        um = s.month_used.get(m)
        if (s.year, m) in s.ms or um is not None:
            w(f"  {s.year}-{m:02d} | {show(gm, 4)} | {show(um or F(0), 4)}")
    if s.helpers:
        w("helpers:")
        for (h, k), v in s.helpers.items():
            w(f"  {h} {k}: {frac(v)} h ({show(v, 4)})")
    w(f"outside the year: work {frac(s.outside['work'])} h, on_call {frac(s.outside['on_call'])} h")
    return "\n".join(out) + "\n"



if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] in ("--settle", "--settle-expect"):
        s = Settlement(args[1], args[2])
        sys.stdout.write(settle_expect(s) if args[0] == "--settle-expect" else settle_report(s))
        sys.exit(0)
    only_totals = "--totals" in args
    args = [a for a in args if a != "--totals"]
    for path in args:
        g = Grant(path)
        sys.stdout.write(totals_text(g) if only_totals else report(g) + "\n")
