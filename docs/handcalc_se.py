#!/usr/bin/python3
"""Independent hand computation of the Swedish fixtures (RULES.md 7.7, 8.3, 8.4).

Written from RULES.md and FACTS.md alone: it does not import or run bpa. It reads
fixtures/cases/se-*.json, their policies and usage files (CSV and .xlsx time reports
through their maps) and writes tests/cli/expected/se-<case>.budget and .settle as
`key value` lines, every figure exact (fractions.Fraction) until a rounding point.

Run from the repository root:  /usr/bin/python3 docs/handcalc_se.py
Keys: hours are shown to four decimals (half away from zero) with `<key>_exact N/D` beside
them when that is not the exact value; amounts with two decimals; dates ISO.

Keys and the result fields they stand for (RULES.md 9; N counts periods from 1 in date order,
M is a month YYYY-MM):
  .budget  period.N.{from,to,payment,billable,amount}, period.N.kommun_share.{hours,amount}
           (se-sfb-51), period.N.month.M.{aktiv,vantetid,beredskap,billable,rate,amount,
           rakning_due} (granted hours), total.{billable,amount}
  .settle  period.N.month.M.{aktiv,vantetid,beredskap,billable,capped,rate,amount,paid,
           rakning_due} (used hours), period.N.{amount,paid,balance,direction,
           slutavrakning_due,not_paid_hours}, period.N.kommun_share.{hours,amount},
           balance, direction, outside_periods_hours.{aktiv,vantetid,beredskap},
           expenses.receipt.I.{reimbursable,not_reimbursable} (I: receipts in file order),
           expenses.{reimbursable,not_reimbursable},
           tidsredovisning.<helper>.M.{aktiv,vantetid,beredskap,shifts},
           worktime.I.{helper,from,to,hours,limit,excess}, worktime.count
"""
import csv
import datetime as dt
import json
import os
import sys
from fractions import Fraction as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = ("aktiv", "vantetid", "beredskap")


# ---- numbers -------------------------------------------------------------

def dec(s):
    """A decimal string or "N/D" fraction, exactly."""
    s = str(s)
    if "/" in s:
        n, d = s.split("/")
        return F(int(n), int(d))
    return F(s)


def round_to(x, places):
    """Half away from zero (RULES.md 3, rounding.mode default)."""
    q = F(10) ** places
    y = abs(x) * q
    n = y.numerator // y.denominator
    if y - n >= F(1, 2):
        n += 1
    return F(n if x >= 0 else -n) / q


def r3(x):
    return round_to(x, 2)


def fmt(x, places):
    x = round_to(x, places)
    neg = x < 0
    x = abs(x) * 10 ** places
    n = x.numerator // x.denominator
    s = str(n).rjust(places + 1, "0")
    return ("-" if neg and n else "") + s[:-places] + "." + s[-places:]


def money(x):
    return fmt(x, 2)


def hours_lines(key, x):
    out = [(key, fmt(x, 4))]
    if round_to(x, 4) != x:
        out.append((key + "_exact", "%d/%d" % (x.numerator, x.denominator)))
    return out


# ---- dates ----------------------------------------------------------------

def d(s):
    return dt.date.fromisoformat(s)


def add_months(day, n):
    """Month arithmetic of RULES.md 12: a day the month lacks becomes its last day."""
    m = day.month - 1 + n
    y, m = day.year + m // 12, m % 12 + 1
    last = (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(day.day, last))


def months_of(a, b):
    """(year, month, first day in [a,b], last day in [a,b]) for every month touched."""
    out, cur = [], dt.date(a.year, a.month, 1)
    while cur <= b:
        nxt = add_months(cur, 1)
        out.append((cur.year, cur.month, max(a, cur), min(b, nxt - dt.timedelta(days=1))))
        cur = nxt
    return out


def mkey(y, m):
    return "%04d-%02d" % (y, m)


# ---- Europe/Stockholm, EU rule (RULES.md 4) -------------------------------

def last_sunday(y, m):
    day = add_months(dt.date(y, m, 1), 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def is_summer(utc):
    y = utc.year
    start = dt.datetime.combine(last_sunday(y, 3), dt.time(1, 0))
    end = dt.datetime.combine(last_sunday(y, 10), dt.time(1, 0))
    return start <= utc < end


def local_to_utc(local, where):
    s = local - dt.timedelta(hours=2)     # first occurrence: summer time when it exists
    if is_summer(s):
        return s
    w = local - dt.timedelta(hours=1)
    if not is_summer(w):
        return w
    raise SystemExit("%s: %s does not exist (March change)" % (where, local))


def utc_to_local(u):
    return u + dt.timedelta(hours=2 if is_summer(u) else 1)


# ---- inputs ---------------------------------------------------------------

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def param(policy, name, day, default=None):
    """The value in force on `day` (dated entries, RULES.md 5)."""
    val = None
    for e in policy["params"].get(name, []):
        if d(e["from"]) <= day:
            val = e["value"]
    if val is None:
        if default is None:
            raise SystemExit("policy %s lacks %s on %s" % (policy["id"], name, day))
        return default
    return val


def parse_time(text):
    h, m = text.strip().replace(".", ":").split(":")
    return int(h) * 60 + int(m)


def read_timesheet(usage_dir, entry):
    """Rows (helper, date, start min, end min, kind, where) of one time report."""
    if isinstance(entry, str):
        entry = {"file": entry}
    cols = {k: k for k in ("helper", "date", "start", "end", "kind")}
    cols.update(entry.get("columns", {}))
    kinds = entry.get("kinds", {})
    path = os.path.join(usage_dir, entry["file"])
    rows = []
    if path.endswith(".xlsx"):
        import openpyxl
        wb = openpyxl.load_workbook(path)
        ws = wb[entry["sheet"]] if "sheet" in entry else wb.worksheets[0]
        table = [list(r) for r in ws.iter_rows(values_only=True) if any(c is not None for c in r)]
    else:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
        first = text.splitlines()[0]
        sep = ";" if ";" in first and "," not in first else ","
        table = [r for r in csv.reader(text.splitlines(), delimiter=sep) if any(c.strip() for c in r)]
    header = [str(h) for h in table[0]]
    idx = {k: header.index(v) for k, v in cols.items()}
    for n, r in enumerate(table[1:], start=2):
        def cell(k):
            return r[idx[k]]
        day = cell("date")
        day = day.date() if isinstance(day, dt.datetime) else (day if isinstance(day, dt.date) else d(day))
        times = []
        for k in ("start", "end"):
            v = cell(k)
            if isinstance(v, dt.time):
                times.append(v.hour * 60 + v.minute + (1 if v.second >= 30 else 0))
            elif isinstance(v, dt.datetime):
                times.append(v.hour * 60 + v.minute + (1 if v.second >= 30 else 0))
            else:
                times.append(parse_time(str(v)))
        kind = kinds.get(cell("kind"), cell("kind"))
        assert kind in KINDS, kind
        rows.append((cell("helper"), day, times[0], times[1], kind, "%s:%d" % (entry["file"], n)))
    return rows


def shift_minutes(day, start, end, where):
    """Real UTC start and end of a shift; end not after start: next day; equal: 24 h."""
    t0 = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=start)
    t1 = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=end)
    if end <= start:
        t1 += dt.timedelta(days=1)
    return local_to_utc(t0, where), local_to_utc(t1, where)


def split_by_local_date(u0, u1):
    """{local date: minutes} of a real interval, minute by minute."""
    out, u = {}, u0
    while u < u1:
        ld = utc_to_local(u).date()
        out[ld] = out.get(ld, 0) + 1
        u += dt.timedelta(minutes=1)
    return out


# ---- the budget (7.7) -------------------------------------------------------

def budget(case, policy):
    scheme = case["scheme"]
    periods = []
    for pi, p in enumerate(case["periods"], start=1):
        a, b = d(p["from"]), d(p["to"])
        D = (b - a).days + 1
        maxm = param(policy, "se.period_max_months", a, 6)
        assert b <= add_months(a, maxm) - dt.timedelta(days=1), "period too long"
        months = []
        for (y, m, f, t) in months_of(a, b):
            first = dt.date(y, m, 1)
            dd = (t - f).days + 1
            g = {}
            for k, pre in zip(KINDS, ("", "vantetid_", "beredskap_")):
                if pre + "per_week" in p:
                    g[k] = dec(p[pre + "per_week"]) * dd / 7
                elif pre + "total" in p:
                    g[k] = dec(p[pre + "total"]) * dd / D
                else:
                    g[k] = F(0)
            fv = dec(param(policy, "se.factor.vantetid", first, "1/4"))
            fb = dec(param(policy, "se.factor.beredskap", first)) if (
                "beredskap_per_week" in p or "beredskap_total" in p) else F(0)
            billable = g["aktiv"] + fv * g["vantetid"] + fb * g["beredskap"]
            if scheme == "se-lss-9-2":
                rate = dec(param(policy, "se.kommun.rate." + p["tier"], first))
            else:
                sch = dec(param(policy, "se.schablon", first))
                if "rate" in p:
                    rate = dec(p["rate"])
                    pct = dec(param(policy, "se.raised_max_pct", first, "12"))
                    assert rate <= sch * (1 + pct / 100), "raised rate above its cap"
                else:
                    rate = sch
            mo = {"key": mkey(y, m), "first": first, "days": dd, "granted": g,
                  "fv": fv, "fb": fb, "billable": billable, "rate": rate,
                  "amount": r3(billable * rate),
                  "rakning_due": add_months(first, 2) + dt.timedelta(days=4)}
            if scheme == "se-sfb-51":
                kh = dec(param(policy, "se.kommun_share_hours_per_week", a, "20")) * dd / 7
                mo["kommun_hours"], mo["kommun_amount"] = kh, r3(kh * rate)
            months.append(mo)
        periods.append({"n": pi, "from": a, "to": b, "D": D, "payment": p["payment"],
                        "cap_unit": param(policy, "se.cap_unit", a, "period"),
                        "months": months})
    return periods


def budget_lines(case, periods):
    out = [("case", case["case"])]
    tb, ta = F(0), F(0)
    for p in periods:
        pre = "period.%d." % p["n"]
        out += [(pre + "from", p["from"].isoformat()), (pre + "to", p["to"].isoformat()),
                (pre + "payment", p["payment"])]
        pb, pa, kh, ka = F(0), F(0), F(0), F(0)
        for mo in p["months"]:
            mp = pre + "month.%s." % mo["key"]
            for k in KINDS:
                out += hours_lines(mp + k, mo["granted"][k])
            out += hours_lines(mp + "billable", mo["billable"])
            out += [(mp + "rate", money(mo["rate"])), (mp + "amount", money(mo["amount"])),
                    (mp + "rakning_due", mo["rakning_due"].isoformat())]
            pb += mo["billable"]
            pa += mo["amount"]
            if "kommun_hours" in mo:
                kh += mo["kommun_hours"]
                ka += mo["kommun_amount"]
        out += hours_lines(pre + "billable", pb)
        out.append((pre + "amount", money(pa)))
        if case["scheme"] == "se-sfb-51":
            out += hours_lines(pre + "kommun_share.hours", kh)
            out.append((pre + "kommun_share.amount", money(ka)))
        tb += pb
        ta += pa
    out += hours_lines("total.billable", tb)
    out.append(("total.amount", money(ta)))
    return out


# ---- the avräkning (8.3) and monthly reports (8.4) -------------------------

def settle(case, policy, usage, usage_path, periods):
    udir = os.path.dirname(usage_path)
    month_of = {}                       # "YYYY-MM" -> (period, month dict)
    for p in periods:
        for mo in p["months"]:
            month_of[mo["key"]] = (p, mo)
            mo["used"] = {k: F(0) for k in KINDS}
    outside = {k: F(0) for k in KINDS}
    for r in usage.get("used", []):
        if r["month"] in month_of:
            month_of[r["month"]][1]["used"][r["kind"]] += dec(r["hours"])
        else:
            outside[r["kind"]] += dec(r["hours"])
    tid = {}                            # (helper, month) -> {kind: minutes, "shifts": n}
    per_helper_day = {}                 # helper -> {date: minutes of all kinds}
    for entry in usage.get("timesheets", []):
        for (helper, day, s, e, kind, where) in read_timesheet(udir, entry):
            u0, u1 = shift_minutes(day, s, e, where)
            seen = set()
            for ld, mins in split_by_local_date(u0, u1).items():
                inside = any(p["from"] <= ld <= p["to"] for p in periods)
                mk = mkey(ld.year, ld.month)
                if inside:
                    month_of[mk][1]["used"][kind] += F(mins, 60)
                    t = tid.setdefault((helper, mk), {"aktiv": 0, "vantetid": 0, "beredskap": 0,
                                                      "shifts": 0})
                    t[kind] += mins
                    if mk not in seen:
                        t["shifts"] += 1
                        seen.add(mk)
                else:
                    outside[kind] += F(mins, 60)
                hd = per_helper_day.setdefault(helper, {})
                hd[ld] = hd.get(ld, 0) + mins

    pays = {}
    for pay in usage.get("payments", []):
        mk = pay.get("month") or pay["date"][:7]
        pays.setdefault(mk, []).append(dec(pay["amount"]))

    out = [("case", case["case"])]
    total = F(0)
    for p in periods:
        pre = "period.%d." % p["n"]
        remaining = sum((mo["billable"] for mo in p["months"]), F(0))
        paid_sum, amount_sum, not_paid = F(0), F(0), F(0)
        out += [(pre + "from", p["from"].isoformat()), (pre + "to", p["to"].isoformat())]
        for mo in p["months"]:
            u = mo["used"]
            fb = mo["fb"]
            if u["beredskap"] and not fb:
                fb = dec(param(policy, "se.factor.beredskap", mo["first"]))
            billable = u["aktiv"] + mo["fv"] * u["vantetid"] + fb * u["beredskap"]
            if p["cap_unit"] == "period":
                capped = min(billable, remaining)
                remaining -= capped
            elif p["cap_unit"] == "month":
                capped = min(billable, mo["billable"])
            else:
                raise SystemExit("cap unit week is not used by these fixtures")
            amount = r3(capped * mo["rate"])
            if p["payment"] == "efterskott":
                paid = amount
            elif mo["key"] in pays:
                paid = sum(pays[mo["key"]], F(0))
            else:
                paid = r3(mo["billable"] * mo["rate"])
            mp = pre + "month.%s." % mo["key"]
            for k in KINDS:
                out += hours_lines(mp + k, u[k])
            out += hours_lines(mp + "billable", billable)
            out += hours_lines(mp + "capped", capped)
            out += [(mp + "rate", money(mo["rate"])), (mp + "amount", money(amount)),
                    (mp + "paid", money(paid)), (mp + "rakning_due", mo["rakning_due"].isoformat())]
            paid_sum += paid
            amount_sum += amount
            not_paid += billable - capped
        bal = paid_sum - amount_sum
        total += bal
        due = add_months(p["to"] + dt.timedelta(days=1), 2) - dt.timedelta(days=1)
        out += [(pre + "amount", money(amount_sum)), (pre + "paid", money(paid_sum)),
                (pre + "balance", money(bal)), (pre + "direction", direction(bal)),
                (pre + "slutavrakning_due", due.isoformat())]
        out += hours_lines(pre + "not_paid_hours", not_paid)
        if case["scheme"] == "se-sfb-51":
            out += hours_lines(pre + "kommun_share.hours",
                               sum((mo["kommun_hours"] for mo in p["months"]), F(0)))
            out.append((pre + "kommun_share.amount",
                        money(sum((mo["kommun_amount"] for mo in p["months"]), F(0)))))
    out += [("balance", money(total)), ("direction", direction(total))]
    for k in KINDS:
        out += hours_lines("outside_periods_hours." + k, outside[k])

    reimb, notr = F(0), F(0)
    for i, r in enumerate(usage.get("expenses", []), start=1):
        cap = param(policy, "se.expense.cap." + r["category"], d(r["date"]))
        amt = dec(r["amount"])
        if cap == "none" or amt <= dec(cap) or r.get("approved"):
            a, n = amt, F(0)
        else:
            a, n = dec(cap), amt - dec(cap)
        out += [("expenses.receipt.%d.reimbursable" % i, money(a)),
                ("expenses.receipt.%d.not_reimbursable" % i, money(n))]
        reimb += a
        notr += n
    out += [("expenses.reimbursable", money(reimb)), ("expenses.not_reimbursable", money(notr))]

    for (helper, mk) in sorted(tid):
        t = tid[(helper, mk)]
        tp = "tidsredovisning.%s.%s." % (helper, mk)
        for k in KINDS:
            out += hours_lines(tp + k, F(t[k], 60))
        out.append((tp + "shifts", str(t["shifts"])))

    mx = policy["params"].get("se.worktime.max_hours_per_week")
    n = 0
    if mx:
        start = d(param(policy, "se.worktime.period_start", periods[0]["from"]))
        days = int(param(policy, "se.worktime.period_days", periods[0]["from"]))
        for helper in sorted(per_helper_day):
            buckets = {}
            for ld, mins in per_helper_day[helper].items():
                k = (ld - start).days // days
                buckets[k] = buckets.get(k, 0) + mins
            for k in sorted(buckets):
                a = start + dt.timedelta(days=k * days)
                b = a + dt.timedelta(days=days - 1)
                limit = dec(param(policy, "se.worktime.max_hours_per_week", a)) * days / 7
                hrs = F(buckets[k], 60)
                if hrs > limit:
                    n += 1
                    wp = "worktime.%d." % n
                    out += [(wp + "helper", helper), (wp + "from", a.isoformat()),
                            (wp + "to", b.isoformat())]
                    out += hours_lines(wp + "hours", hrs) + hours_lines(wp + "limit", limit)
                    out += hours_lines(wp + "excess", hrs - limit)
    out.append(("worktime.count", str(n)))
    return out


def direction(x):
    return "repay" if x > 0 else ("pay_out" if x < 0 else "settled")


def main():
    names = sys.argv[1:] or sorted(f[:-5] for f in os.listdir(os.path.join(ROOT, "fixtures/cases"))
                                   if f.startswith("se-") and f.endswith(".json"))
    for name in names:
        cpath = os.path.join(ROOT, "fixtures/cases", name + ".json")
        case = load(cpath)
        policy = load(os.path.join(ROOT, "fixtures/policies", case["policy"] + ".json"))
        assert policy["id"] == case["policy"] and case["scheme"] in policy["schemes"]
        periods = budget(case, policy)
        exp = os.path.join(ROOT, "tests/cli/expected")
        with open(os.path.join(exp, name + ".budget"), "w", encoding="utf-8") as f:
            for k, v in budget_lines(case, periods):
                f.write("%s %s\n" % (k, v))
        upath = os.path.join(ROOT, "fixtures/usage", name + ".json")
        if os.path.exists(upath):
            usage = load(upath)
            assert usage["case"] == case["case"]
            with open(os.path.join(exp, name + ".settle"), "w", encoding="utf-8") as f:
                for k, v in settle(case, policy, usage, upath, periods):
                    f.write("%s %s\n" % (k, v))
        print("wrote", name)


if __name__ == "__main__":
    main()
