#!/usr/bin/python3
"""Write a national-scale caseload for the caseload benchmark (bench/README.md,
"National caseload"; issue 14, RULES.md 14).

    bench/caseload.py [-n N] [--seed S] [-o DIR]
        N     cases (default 20,000: 3,000 Danish, 17,000 Swedish; scaled for smaller N)
        S     seed (default 2025)
        DIR   output directory (default build/caseload; must not exist or be empty)

DIR gets one sub-directory per case (c00001 ...) with case.json, usage.json and
CSV timesheets, and manifest.csv (case,usage,id; paths relative to DIR). At 20,000
cases that is about 10 million shifts and 400 MB of CSV. Case i depends only
on the seed and i, so the first 2,000 cases of a 20,000-case caseload are the
2,000-case caseload, and every prefix has the same Danish/Swedish mix (3 in 20).

The cases follow the shapes of fixtures/cases and fixtures/usage: Albertslund
SEL 96 (full year, a mid-year change, employer role transferred, trips), SEL 95
with a payroll association; Försäkringskassan assistansersättning (two periods
in a year or across a year end, efterskott; a raised rate paid forskott; the
working-time check of fk-arbetstid) and Kumla LSS 9 § 2 in 2024. Policies are
named by id: run with --policy-dir fixtures/policies (or BPA_POLICY_DIR).

Timesheets: each case is covered every day by consecutive blocks (work, then
on-call; aktiv, väntetid, beredskap) from a start hour, about as many hours as
granted, a few days off at random; each block is cut into shifts taken by the
helpers in turn. Shifts never overlap (touching is fine), and no shift starts
or ends in 02:00-02:59, the missing (March) and repeated (October) hour.
Danish files are one per half-year, in the standard columns or as a Danish
scheduling tool exports them (semicolons, DD-MM-YYYY, HH.MM, mapped headers
and kinds); Swedish time reports are one per grant period with Swedish headers.

Python standard library only; deterministic (random.Random per case).
"""
import argparse
import datetime
import json
import os
import random
import sys

DK_FIRST = ["Anna", "Bo", "Carl", "Dorte", "Eva", "Frank", "Gitte", "Hans", "Ida", "Jens",
            "Karen", "Lars", "Mette", "Niels", "Ole", "Pia", "Rasmus", "Sofie", "Tina", "Ulla"]
DK_LAST = ["Holm", "Lund", "Berg", "Nørgaard", "Juul", "Krog", "Vinter", "Madsen", "Dahl",
           "Bech", "Skov", "Friis", "Østergaard", "Møller", "Kjær"]
SE_FIRST = ["Anna", "Bertil", "Cecilia", "David", "Eva", "Fatima", "Gustav", "Hanna", "Ingrid",
            "Johan", "Karin", "Lars", "Maja", "Nils", "Olle", "Petra", "Rami", "Sara", "Tove",
            "Ulf", "Åsa", "Örjan", "Linnéa", "Ali", "Elin"]

HM = ["%02d:%02d" % (m // 60, m % 60) for m in range(1440)]
HM_DOT = ["%02d.%02d" % (m // 60, m % 60) for m in range(1440)]


def money(x: int) -> str:
    """An amount in øre/öre as a decimal string."""
    return "%s%d.%02d" % ("-" if x < 0 else "", abs(x) // 100, abs(x) % 100)


def hours_str(half_hours: int) -> str:
    """Hours given in halves: "37", "12.5"."""
    return "%d" % (half_hours // 2) if half_hours % 2 == 0 else "%d.5" % (half_hours // 2)


def add_months(d: datetime.date, n: int) -> datetime.date:
    y, m = divmod(d.month - 1 + n, 12)
    return datetime.date(d.year + y, m + 1, 1)


def pattern(start: int, blocks, max_len: int):
    """The daily slots for blocks [(kind label, minutes per day)] from `start`
    (minutes after midnight): [(day offset, start hh:mm index, end index, kind)]."""
    bounds = [0]
    kinds = []
    for kind, minutes in blocks:
        if minutes <= 0:
            continue
        pieces = -(-minutes // max_len)
        for p in range(1, pieces + 1):
            bounds.append(bounds[-1] + minutes * p // pieces - minutes * (p - 1) // pieces)
            kinds.append(kind)
    # Absolute minutes from the first day's midnight, on 5-minute marks, none in
    # 02:00-02:59 (it is missing on the March night and doubled in October).
    absb = []
    for b in bounds:
        t = start + b // 5 * 5
        if 120 <= t % 1440 < 180:
            t += 180 - t % 1440
        if absb and t <= absb[-1]:
            t = absb[-1] + 5
        absb.append(t)
    if absb[-1] - absb[0] > 1440:
        absb[-1] = absb[0] + 1440
    slots = []
    for j, kind in enumerate(kinds):
        a, b = absb[j], absb[j + 1]
        if b <= a:
            continue
        slots.append((a // 1440, a % 1440, b % 1440, kind))
    return slots


def timesheet_rows(out, rng, days, dates, slots, names, sep, hm, kind_names, step_col, skip, week):
    """Append the rows of `days` (indices into dates) to out; returns the count.
    week[d % 7]: whether day d is worked."""
    pre = []
    for off, a, b, kind in slots:
        tail = sep + kind_names[kind]
        if step_col is not None:
            tail += sep + step_col
        pre.append((off, sep + hm[a] + sep + hm[b] + tail + "\n"))
    k = len(pre)
    h = len(names)
    n = 0
    # Helper (d + j) mod h takes slot j of day d: each takes every slot in turn.
    for d in days:
        if not week[d % 7] or rng.random() < skip:
            continue
        for j, (off, rest) in enumerate(pre):
            out.append(names[(d + j) % h] + sep + dates[d + off] + rest)
        n += k
    return n


def work_week(rng: random.Random, first: datetime.date, half_hours_per_week: int, weekdays: bool):
    """Which days of the week are worked (indexed by days since `first`) and the
    factor 7/days that turns hours per week into hours per worked day: fewer than
    56 hours a week are worked on fewer days (at least 3), about 8 hours a day."""
    n = 7 if half_hours_per_week >= 112 else max(3, -(-half_hours_per_week // 16))
    chosen = list(range(n)) if weekdays else sorted(rng.sample(range(7), n))  # 0 = Monday
    week = [((first.weekday() + d) % 7) in chosen for d in range(7)]
    return week, n


class Writer:
    def __init__(self, root: str):
        self.root = root
        self.shifts = 0
        self.csv_bytes = 0
        self.csv_files = 0

    def write(self, path: str, text: str) -> None:
        data = text.encode("utf-8")
        with open(os.path.join(self.root, path), "wb", buffering=1 << 20) as f:
            f.write(data)
        if path.endswith(".csv"):
            self.csv_bytes += len(data)
            self.csv_files += 1


def dump(obj) -> str:
    """JSON in the fixtures' layout: top-level keys one a line, list items one a line."""
    lines = ["{"]
    items = list(obj.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i + 1 < len(items) else ""
        if isinstance(value, list) and value and isinstance(value[0], dict):
            inner = ",\n".join("    " + json.dumps(v, ensure_ascii=False) for v in value)
            lines.append('  %s: [\n%s\n  ]%s' % (json.dumps(key), inner, comma))
        else:
            lines.append("  %s: %s%s" % (json.dumps(key), json.dumps(value, ensure_ascii=False),
                                         comma))
    lines.append("}")
    return "\n".join(lines) + "\n"


def date_strings(first: datetime.date, n: int, fmt: str):
    out = []
    for i in range(n):
        d = first + datetime.timedelta(days=i)
        out.append(d.isoformat() if fmt == "iso" else "%02d-%02d-%04d" % (d.day, d.month, d.year))
    return out


YEAR_DK = 2025
DK_DATES = {fmt: date_strings(datetime.date(YEAR_DK, 1, 1), 367, fmt) for fmt in ("iso", "dmy")}


def danish_case(i: int, rng: random.Random, w: Writer, d: str) -> None:
    cid = "ALB-%d-%05d" % (YEAR_DK, i)
    shape = rng.choices(["full", "change", "payroll", "transferred", "trips"],
                        [55, 15, 10, 15, 5])[0]
    scheme = "dk-sel-95" if shape == "payroll" else "dk-sel-96"
    helpers = rng.randint(3, 6)
    case = {"format": "bpa-case/1", "case": cid, "scheme": scheme, "policy": "albertslund",
            "year": YEAR_DK}
    case["employer"] = {"payroll": "payroll_association", "transferred": "transferred"}.get(
        shape, "citizen")
    if shape == "transferred":
        case["transferred_to"] = rng.choice(["association", "association", "company", "relative"])
    case["helpers"] = helpers
    y0 = datetime.date(YEAR_DK, 1, 1)

    def line_set():
        day = rng.randint(40, 90)          # half hours per week
        eve = rng.randint(6, 40)
        lines = [{"kind": "work", "band": "day", "step": 11, "per_week": hours_str(day)},
                 {"kind": "work", "band": "evening", "step": 11, "per_week": hours_str(eve)}]
        on_call = rng.choice([0, 0, 0, 28, 42, 56, 98])
        if on_call:
            lines.append({"kind": "on_call", "step": 11, "per_week": hours_str(on_call)})
        return lines, day + eve, on_call

    allowance_cap = 500 if scheme == "dk-sel-95" else 1000
    allowance = rng.choice([0, allowance_cap // 2, allowance_cap * 4 // 5, allowance_cap])
    decisions = []
    spans = []                             # (first day, last day, work, on-call half hours)
    if shape == "change":
        cut = rng.randint(100, 250)
        for a, b in ((0, cut - 1), (cut, 364)):
            lines, work, on_call = line_set()
            dec = {"from": (y0 + datetime.timedelta(days=a)).isoformat(),
                   "to": (y0 + datetime.timedelta(days=b)).isoformat()}
            if allowance:
                dec["allowance_monthly"] = str(allowance)
            if a:
                dec["helpers"] = helpers + 1
            dec["hours"] = lines
            decisions.append(dec)
            spans.append((a, b, work, on_call))
    else:
        a = 59 if shape == "payroll" else 0   # from 1 March, like the fixture
        lines, work, on_call = line_set()
        dec = {"from": (y0 + datetime.timedelta(days=a)).isoformat(), "to": "%d-12-31" % YEAR_DK}
        if allowance:
            dec["allowance_monthly"] = str(allowance)
        dec["hours"] = lines
        decisions.append(dec)
        spans.append((a, 364, work, on_call))
    case["decisions"] = decisions
    if shape == "trips":
        case["trips"] = [
            {"type": "vacation", "from": "%d-07-%02d" % (YEAR_DK, rng.randint(1, 15)),
             "days": rng.randint(5, 14), "extra_hours_per_day": "16", "kind": "work",
             "band": "day", "step": 11},
            {"type": "weekend", "from": "%d-09-13" % YEAR_DK, "days": 2,
             "extra_hours_per_day": "10", "kind": "work", "band": "saturday", "step": 11}]
    w.write(d + "/case.json", dump(case))

    # Timesheets: one file per half-year.
    names = rng.sample([f + " " + l for f in DK_FIRST for l in DK_LAST], helpers)
    mapped = rng.random() < 1 / 3
    if mapped:
        sep, hm, dates = ";", HM_DOT, DK_DATES["dmy"]
        kind_names = {"work": "Arbejde", "on_call": "Rådighed"}
        header = "Medarbejder;Dato;Fra;Til;Type;Løntrin\n"
    else:
        sep, hm, dates = ",", HM, DK_DATES["iso"]
        kind_names = {"work": "work", "on_call": "on_call"}
        header = "helper,date,start,end,kind,step\n"
    step_col = "11" if rng.random() < 0.8 else ""
    max_len = rng.choice([480, 600, 720, 720])
    start = rng.choice([360, 420, 420, 480])
    week, n = work_week(rng, y0, max(work + on_call for _, _, work, on_call in spans), True)
    files = []
    for half, (lo, hi) in enumerate(((0, 180), (181, 364))):
        rows = [header]
        for a, b, work, on_call in spans:
            days = range(max(a, lo), min(b, hi) + 1)
            if not days:
                continue
            slots = pattern(start, [("work", work * 30 // n), ("on_call", on_call * 30 // n)],
                            max_len)
            w.shifts += timesheet_rows(rows, rng, days, dates, slots, names, sep, hm, kind_names,
                                       step_col, 0.03, week)
        if len(rows) == 1:
            continue
        name = "vagter-%d-%d.csv" % (YEAR_DK, half + 1)
        w.write(d + "/" + name, "".join(rows))
        files.append(name)

    usage = {"format": "bpa-usage/1", "case": cid, "year": YEAR_DK}
    if shape == "transferred" and rng.random() < 0.5:
        usage["carry_in"] = [{"kind": "work", "band": "day", "step": 11,
                              "hours": str(rng.randint(5, 30)), "value": money(rng.randint(5, 30) * 15237)}]
    if mapped:
        usage["timesheets"] = [{"file": f, "columns": {"helper": "Medarbejder", "date": "Dato",
                                                       "start": "Fra", "end": "Til", "kind": "Type",
                                                       "step": "Løntrin"},
                                "kinds": {"Arbejde": "work", "Rådighed": "on_call"},
                                "date_format": "DD-MM-YYYY", "time_format": "HH.MM"} for f in files]
    else:
        usage["timesheets"] = files
    payments = []
    for a, b, work, on_call in spans:
        # About what the grant pays a month: 158 kr an hour of work, 118 of on-call.
        monthly = (work * 79 + on_call * 59) * 52 * 100 // 12
        m = (y0 + datetime.timedelta(days=a)).month
        while m <= (y0 + datetime.timedelta(days=b)).month:
            day = datetime.date(YEAR_DK, m, 1)
            while day.weekday() >= 5:
                day += datetime.timedelta(days=1)
            payments.append({"date": day.isoformat(), "amount": money(monthly + rng.randint(-500, 500) * 100),
                             "for": "grant"})
            if allowance:
                payments.append({"date": day.isoformat(), "amount": money(allowance * 100),
                                 "for": "allowance"})
            m += 1
    if shape == "payroll":
        for m in (6, 9, 12):
            payments.append({"date": "%d-%02d-10" % (YEAR_DK, m), "amount": "1625.00",
                             "for": "payroll_admin"})
    usage["payments"] = payments
    if shape == "payroll":
        usage["invoices"] = [{"date": "%d-%02d-28" % (YEAR_DK, m), "amount": "1625.00",
                              "for": "payroll_admin"} for m in (5, 8, 11)]
    w.write(d + "/usage.json", dump(usage))


SE_HEADER = {";": "Assistent;Datum;Från;Till;Typ\n", ",": "Assistent,Datum,Från,Till,Typ\n"}
SE_KINDS = {"aktiv": "Aktiv tid", "vantetid": "Väntetid", "beredskap": "Beredskap"}
SE_MAP = {"columns": {"helper": "Assistent", "date": "Datum", "start": "Från", "end": "Till",
                      "kind": "Typ"},
          "kinds": {"Aktiv tid": "aktiv", "Väntetid": "vantetid", "Beredskap": "beredskap"}}
SE_DATES = {}


def se_dates(year: int):
    if year not in SE_DATES:
        SE_DATES[year] = date_strings(datetime.date(year, 1, 1), 2 * 366 + 1, "iso")
    return SE_DATES[year]


def swedish_case(i: int, rng: random.Random, w: Writer, d: str) -> None:
    kind = rng.choices(["fk", "fk-arbetstid", "kumla"], [70, 10, 20])[0]
    if kind == "kumla":
        year, scheme, prefix = 2024, "se-lss-9-2", "KUM"
        shape = "halves"
    else:
        year, scheme, prefix = 2025, "se-sfb-51", "FK"
        shape = rng.choices(["halves", "across", "forskott", "single"], [40, 30, 15, 15])[0]
    cid = "%s-%d-%05d" % (prefix, year, i)
    y0 = datetime.date(year, 1, 1)
    if shape == "halves":
        starts = [datetime.date(year, 1, 1), datetime.date(year, 7, 1)]
    elif shape == "across":
        starts = [datetime.date(year, 7, 1), datetime.date(year + 1, 1, 1)]
    else:  # one period: a new case, or a raised rate paid forskott
        starts = [datetime.date(year, rng.randint(1, 6), rng.choice([1, 15]))]
    periods = []
    spans = []
    for s in starts:
        e = add_months(s, 6) + datetime.timedelta(days=s.day - 2)  # 6 months less a day
        p = {"from": s.isoformat(), "to": e.isoformat(),
             "payment": "forskott" if shape == "forskott" else "efterskott"}
        if kind == "kumla":
            aktiv = rng.randint(20, 120)       # half hours per week
            vantetid = rng.choice([0, 0, 7, 14])
            beredskap = 0
        else:
            aktiv = rng.randint(80, 240)
            vantetid = rng.choice([0, 0, 0, 14, 28])
            beredskap = rng.choice([0, 0, 0, 0, 0, 42, 70]) if aktiv + vantetid <= 250 else 0
        p["per_week"] = hours_str(aktiv)
        if vantetid:
            p["vantetid_per_week"] = hours_str(vantetid)
        if beredskap:
            p["beredskap_per_week"] = hours_str(beredskap)
        if kind == "kumla":
            p["tier"] = rng.choice("abc")
        elif shape == "forskott":
            p["rate"] = "%d.%02d" % (rng.randint(345, 382), rng.choice([0, 50]))
        periods.append(p)
        spans.append(((s - y0).days, (e - y0).days, aktiv, vantetid, beredskap))
    case = {"format": "bpa-case/1", "case": cid, "scheme": scheme, "policy": kind,
            "year": year, "periods": periods}
    w.write(d + "/case.json", dump(case))

    total_week = max(a + v + b for _, _, a, v, b in spans) // 2
    helpers = max(2, -(-total_week // 34)) + rng.randint(0, 2)
    names = rng.sample(SE_FIRST, min(helpers, len(SE_FIRST)))
    sep = rng.choice([";", ","])
    dates = se_dates(year)
    max_len = rng.choice([720, 840, 960, 960, 1080])
    start = rng.choice([360, 420, 420, 480])
    week, n = work_week(rng, y0, total_week * 2, False)
    files = []
    for a, b, aktiv, vantetid, beredskap in spans:
        rows = [SE_HEADER[sep]]
        slots = pattern(start, [("aktiv", aktiv * 30 // n), ("vantetid", vantetid * 30 // n),
                                     ("beredskap", beredskap * 30 // n)], max_len)
        w.shifts += timesheet_rows(rows, rng, range(a, b + 1), dates, slots, names, sep, HM,
                                   SE_KINDS, None, 0.03, week)
        name = "tidrapport-%s.csv" % (y0 + datetime.timedelta(days=a)).isoformat()
        w.write(d + "/" + name, "".join(rows))
        files.append(name)
    usage = {"format": "bpa-usage/1", "case": cid}
    if kind == "kumla":
        usage["year"] = year
    usage["timesheets"] = [dict({"file": f}, **SE_MAP) for f in files]
    if shape == "forskott":
        payments = []
        a, b, aktiv, vantetid, beredskap = spans[0]
        rate = int(periods[0]["rate"].replace(".", ""))
        m = y0 + datetime.timedelta(days=a)
        m = datetime.date(m.year, m.month, 1)
        while m <= y0 + datetime.timedelta(days=b):
            if rng.random() < 0.7:  # the other months are paid as granted (8.3)
                billable = aktiv * 30 + vantetid * 30 // 4 + beredskap * 30 // 5  # half hours/week * 30 = min
                amount = billable * 30 * rate // (7 * 60)
                paid = m - datetime.timedelta(days=rng.randint(1, 5))
                payments.append({"date": paid.isoformat(), "month": m.isoformat()[:7],
                                 "amount": money(amount)})
            m = add_months(m, 1)
        usage["payments"] = payments
    expenses = []
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        a, b = spans[0][0], spans[-1][1]
        day = (y0 + datetime.timedelta(days=rng.randint(a, b))).isoformat()
        cat = rng.choice(["entrance", "entrance", "food", "travel"])
        e = {"date": day, "category": cat, "amount": "%d.%02d" % (rng.randint(40, 260), rng.choice([0, 50, 90]))}
        if cat == "entrance" and rng.random() < 0.5:
            e["approved"] = "enhetschef " + day
        e["helper"] = rng.choice(names)
        expenses.append(e)
    if expenses:
        usage["expenses"] = expenses
    w.write(d + "/usage.json", dump(usage))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=20000, help="cases (default 20000)")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("-o", default="build/caseload", help="output directory")
    args = ap.parse_args()
    if args.n < 1:
        sys.exit("caseload.py: -n must be at least 1")
    os.makedirs(args.o, exist_ok=True)
    if os.listdir(args.o):
        sys.exit("caseload.py: %s is not empty; remove it or name another directory" % args.o)
    w = Writer(args.o)
    manifest = ["case,usage,id\n"]
    danish = 0
    for i in range(1, args.n + 1):
        d = "c%05d" % i
        os.mkdir(os.path.join(args.o, d))
        rng = random.Random("%d:%d" % (args.seed, i))
        if i % 20 in (1, 8, 15):              # 3 in 20 Danish, in every prefix
            danish_case(i, rng, w, d)
            danish += 1
        else:
            swedish_case(i, rng, w, d)
        manifest.append("%s/case.json,%s/usage.json,%s\n" % (d, d, d))
    with open(os.path.join(args.o, "manifest.csv"), "w", encoding="utf-8") as f:
        f.write("".join(manifest))
    print("caseload.py: %d cases (%d Danish, %d Swedish), %d shifts, %d CSV files, %.1f MB of CSV in %s"
          % (args.n, danish, args.n - danish, w.shifts, w.csv_files, w.csv_bytes / 1e6, args.o),
          file=sys.stderr)


if __name__ == "__main__":
    main()
