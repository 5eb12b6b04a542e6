#!/usr/bin/python3
"""Invariants of the Swedish avräkning on random inputs (RULES.md 8.3, 8.4, 12).

For each seed this writes into a temporary directory a Swedish policy (a copy
of fixtures/policies/fk.json or kumla.json with se.cap_unit, rounding.mode and
sometimes the working-time and beredskap parameters varied), a case (1-3 grant
periods, possibly crossing a year end, efterskott or forskott, per_week or
total hours of aktiv / väntetid / beredskap), a usage file (`used` rows,
payments for months of forskott periods, receipts) and 1-4 time reports
(random shifts of random assistants inside and outside the periods, across
midnight, month ends and the March and October summer-time nights, in varied
CSV dialects, sometimes as a workbook (.xlsx with serial dates and fractions of
a day), with timesheet maps), runs `bpa grant` and `bpa settle` and checks
only identities between the figures of the JSON itself:

  1. per month and kind: the tidsredovisningar[] of the month add up to the
     month's `reported` hours, and reported + the month's used_rows = the
     month's hours;
  2. per month capped + not_paid = billable; per period the sums of the months
     are the period's billable, granted_billable, capped, not_paid_hours,
     amount and paid, balance = paid - amount, direction its sign; the case's
     balance is the sum of the periods';
  3. a forskott month without payments is paid_by "budget" and paid the
     budget's amount of that month (bpa grant); one with payments is paid their
     sum; an efterskott month is paid its amount;
  4. the same time reports split differently (rows shuffled, another number of
     files, other CSV dialects, listed in another order) give the same JSON
     but for inputs[] and files;
  5. amount = round(capped x rate, 2) in the policy's rounding.mode on the
     month's first day (R3);
and that `shifts` is the number of rows written and `files` the number listed.

No expected figure is computed from the inputs (apart from the sum of the
payments given for a month). Exit 1 on any violation, printing the seed, the
file and the differing values; the seed's directory is kept.

Usage: se_invariants.py BPA [--seeds N | --seed S ...] [--min-checks N]
Environment: SE_INV_SEEDS=N runs seeds 1..N (default 40).
"""
import argparse
import calendar
import copy
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POLICIES = os.path.join(ROOT, "fixtures", "policies")
KINDS = ("aktiv", "vantetid", "beredskap")
SV_KINDS = {"aktiv": "Aktiv tid", "vantetid": "Väntetid", "beredskap": "Beredskap"}
STD_COLS = ("helper", "date", "start", "end", "kind")
SV_COLS = {"helper": "Assistent", "date": "Datum", "start": "Från", "end": "Till", "kind": "Typ",
           "step": "Steg"}
HELPERS = ["Anna", "Bertil", "Åsa Öberg", "Örjan", "Lind, Eva", "Zacharias", "Ängla", "Bo",
           "anna", 'Eva "Evy" Lind']


class Failure(Exception):
    pass


# ---- dates --------------------------------------------------------------------

def add_months(d, n):
    """RULES.md 12: a day number the month lacks becomes the month's last day."""
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    m += 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def last_sunday(year, month):
    d = dt.date(year, month, calendar.monthrange(year, month)[1])
    return d - dt.timedelta(days=(d.weekday() - 6) % 7)


def ym(d):
    return "%04d-%02d" % (d.year, d.month)


def months_between(a, b):
    out = []
    d = dt.date(a.year, a.month, 1)
    while d <= b:
        out.append(ym(d))
        d = add_months(d, 1)
    return out


def in_force(entries, day):
    """The value of a dated parameter list on day (None before the first)."""
    v = None
    for e in sorted(entries, key=lambda e: e["from"]):
        if dt.date.fromisoformat(e["from"]) <= day:
            v = e["value"]
    return v


def dec(rng, lo, hi, places):
    """A random decimal string in [lo, hi] with at most `places` decimals."""
    scale = 10 ** places
    n = rng.randint(int(lo * scale), int(hi * scale))
    s = "%d.%0*d" % (n // scale, places, n % scale) if places else str(n)
    return s.rstrip("0").rstrip(".") if "." in s and rng.random() < 0.5 else s


# ---- the generator -------------------------------------------------------------

def gen_policy(rng, lss, span_from, span_to):
    name = "kumla.json" if lss else "fk.json"
    pol = json.load(open(os.path.join(POLICIES, name), encoding="utf-8"))
    params = pol["params"]
    pol["references"]["inv"] = "tests/cli/se_invariants.py: a value varied by the test"
    base = "2024-01-01" if lss else "2012-01-01"
    units = ["period", "month", "week"]

    def dated(values):
        """values[0] from base; a second value from a day inside the span, sometimes."""
        out = [{"from": base, "value": values[0], "ref": "inv"}]
        if len(values) > 1:
            days = (span_to - span_from).days
            day = span_from + dt.timedelta(days=rng.randint(0, max(days, 0)))
            out.append({"from": day.isoformat(), "value": values[1], "ref": "inv"})
        return out

    u = rng.choice(units)
    params["se.cap_unit"] = dated([u, rng.choice([x for x in units if x != u])]
                                  if rng.random() < 0.3 else [u])
    r = rng.random()
    if r < 0.5:
        m = rng.choice(["half_away_from_zero", "half_even"])
        other = "half_even" if m == "half_away_from_zero" else "half_away_from_zero"
        params["rounding.mode"] = dated([m, other] if rng.random() < 0.4 else [m])
    if rng.random() < 0.3:
        params["se.factor.vantetid"] = [{"from": base, "value": rng.choice(["1/3", "0.3", "1/4"]),
                                         "ref": "inv"}]
    if lss and rng.random() < 0.5:
        params["se.factor.beredskap"] = [{"from": base, "value": rng.choice(["1/5", "1/7", "0.2"]),
                                          "ref": "inv"}]
    if not lss and rng.random() < 0.2:
        params["se.factor.beredskap"] = [{"from": base, "value": rng.choice(["1/6", "0.15"]),
                                          "ref": "inv"}]
    if rng.random() < 0.25:
        params["se.worktime.max_hours_per_week"] = [{"from": base, "value": rng.choice(["40", "37.5", "20"]),
                                                     "ref": "inv"}]
        params["se.worktime.period_days"] = [{"from": base, "value": rng.choice([7, 14, 28]), "ref": "inv"}]
        start = span_from - dt.timedelta(days=rng.randint(0, 40))
        params["se.worktime.period_start"] = [{"from": base, "value": start.isoformat(), "ref": "inv"}]
    return pol


def gen_periods(rng, lss):
    start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 2 * 365 + 150))
    if rng.random() < 0.5:
        start = start.replace(day=1)
    periods = []
    cur = start
    for _ in range(rng.randint(1, 3)):
        n = rng.randint(1, 6)
        end = add_months(cur, n) - dt.timedelta(days=1)
        if rng.random() < 0.4:
            end -= dt.timedelta(days=rng.randint(0, 20))
        if rng.random() < 0.05:
            end = cur  # a period of one day
        if end < cur:
            end = cur
        periods.append((cur, end))
        gap = rng.choice([0, 0, 0, rng.randint(1, 45)])
        cur = end + dt.timedelta(days=1 + gap)
    return periods


def gen_case(rng, lss, periods, has_fb):
    out = []
    for f, t in periods:
        days = (t - f).days + 1
        p = {"from": f.isoformat(), "to": t.isoformat(),
             "payment": rng.choice(["efterskott", "forskott"])}
        if rng.random() < 0.05:
            p[rng.choice(["per_week", "total"])] = "0"  # nothing granted: nothing is paid
        elif rng.random() < 0.6:
            p["per_week"] = dec(rng, 3, 120, rng.choice([0, 1, 2]))
        else:
            p["total"] = dec(rng, 1, days * 16, rng.choice([0, 2]))
        if rng.random() < 0.5:
            k = rng.choice(["vantetid_per_week", "vantetid_total"])
            p[k] = dec(rng, 0, 40 if k.endswith("week") else days * 4, rng.choice([0, 1]))
        if has_fb and rng.random() < 0.4:
            k = rng.choice(["beredskap_per_week", "beredskap_total"])
            p[k] = dec(rng, 0, 60 if k.endswith("week") else days * 6, rng.choice([0, 1]))
        if lss:
            p["tier"] = rng.choice(["a", "b", "c"])
        elif rng.random() < 0.3:
            # above every schablon 2024-2026 and below 332.60 x 1.12 = 372.512
            p["rate"] = dec(rng, 347.70, 372.51, 2)
        out.append(p)
    rng.shuffle(out)  # the engine sorts them
    return {"format": "bpa-case/1", "case": "INV-%d" % rng.randint(1, 9999),
            "scheme": "se-lss-9-2" if lss else "se-sfb-51", "policy": "policy.json",
            "year": periods[0][0].year, "periods": out}


def bad_march(t):
    """02:00-02:59 on the last Sunday of March does not exist (RULES.md 4)."""
    return t.date() == last_sunday(t.year, 3) and t.hour == 2


def gen_shifts(rng, periods, kinds):
    """Rows (helper, start, end, kind) with local wall-clock start and end,
    0 < end - start <= 24 h; one helper's shifts never overlap (the local
    clock maps to real time monotonically, so they do not in real time)."""
    lo = periods[0][0] - dt.timedelta(days=rng.randint(0, 20))
    hi = periods[-1][1] + dt.timedelta(days=rng.randint(0, 20))
    helpers = rng.sample(HELPERS, rng.randint(1, 4))
    # the nights and boundaries worth a shift: summer time, month and year ends, period edges
    special = []
    for y in range(lo.year, hi.year + 1):
        o, m = last_sunday(y, 10), last_sunday(y, 3)
        sat_o, sat_m = o - dt.timedelta(days=1), m - dt.timedelta(days=1)
        for d, a, b in [(sat_o, "22:00", "06:00"), (o, "00:00", "04:00"), (o, "01:30", "02:30"),
                        (o, "02:30", "03:30"), (o, "02:00", "02:59"), (sat_o, "02:30", "02:30"),
                        (sat_m, "22:00", "06:00"), (m, "00:00", "04:00"), (m, "01:00", "03:00"),
                        (m, "03:00", "05:00"), (sat_m, "12:00", "12:00"), (o, "00:00", "24:00"),
                        (dt.date(y, 12, 31), "18:00", "08:00")]:
            special.append((d, a, b))
    d = dt.date(lo.year, lo.month, 1)
    while d <= hi:
        last = add_months(d, 1) - dt.timedelta(days=1)
        special.append((last, "22:00", "06:00"))
        special.append((last, "20:00", "24:00"))
        d = add_months(d, 1)
    for f, t in periods:
        special.append((f - dt.timedelta(days=1), "20:00", "04:00"))
        special.append((t, "21:30", "07:15"))

    def interval(day, a, b):
        s = dt.datetime.combine(day, dt.time(int(a[:2]), int(a[3:])))
        if b == "24:00":
            e = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0))
        else:
            e = dt.datetime.combine(day, dt.time(int(b[:2]), int(b[3:])))
            if e <= s:
                e += dt.timedelta(days=1)
        return s, e

    kept = {h: [] for h in helpers}

    def place(h, s, e):
        if bad_march(s) or bad_march(e) or not (s < e <= s + dt.timedelta(hours=24)):
            return False
        for a, b in kept[h]:
            if s < b and a < e:
                return False
        kept[h].append((s, e))
        return True

    rows = []
    for day, a, b in special:
        if lo <= day <= hi and rng.random() < 0.35:
            s, e = interval(day, a, b)
            h = rng.choice(helpers)
            if place(h, s, e):
                rows.append((h, s, e, rng.choice(kinds)))
    span = (hi - lo).days * 1440
    for h in helpers:
        n = max(3, rng.randint(3, 30) * (hi - lo).days // 30)  # 3-30 shifts a month
        t = dt.datetime.combine(lo, dt.time(0, 0)) + dt.timedelta(minutes=rng.randint(0, 1440))
        step = max(span // n, 60)
        for _ in range(n):
            dur = rng.choice([15, 30, 45, 60, 120, 240, 300, 480, 600, 720, 1440,
                              rng.randint(1, 1440), rng.randint(1, 1440)])
            s = t.replace(second=0, microsecond=0)
            e = s + dt.timedelta(minutes=dur)
            if place(h, s, e):
                rows.append((h, s, e, rng.choice(kinds)))
            t = e + dt.timedelta(minutes=rng.choice([0, 0, 15, rng.randint(1, 2 * step)]))
    return rows


# ---- time-report files ----------------------------------------------------------

def fmt_date(d, style, short):
    dd = str(d.day) if short else "%02d" % d.day
    mm = str(d.month) if short else "%02d" % d.month
    if style == "YYYY-MM-DD":
        return d.isoformat()
    sep = {"DD-MM-YYYY": "-", "DD.MM.YYYY": ".", "DD/MM/YYYY": "/"}[style]
    return "%s%s%s%s%04d" % (dd, sep, mm, sep, d.year)


def fmt_time(h, m, dot, short):
    return ("%d" % h if short and h < 10 else "%02d" % h) + ("." if dot else ":") + "%02d" % m


def row_fields(row, style, rng):
    """The five standard fields of a row in a file's dialect."""
    helper, s, e, kind = row
    day = s.date()
    short = style["short"]
    start = fmt_time(s.hour, s.minute, style["dot"], short)
    if e == dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0)) and rng.random() < 0.5:
        end = fmt_time(24, 0, style["dot"], short)
    else:
        end = fmt_time(e.hour, e.minute, style["dot"], short)
    k = SV_KINDS[kind] if style["sv_kinds"] and rng.random() < 0.8 else kind
    return {"helper": helper, "date": fmt_date(day, style["date"], short), "start": start,
            "end": end, "kind": k, "step": ""}


def quote(v, sep, rng):
    if sep in v or '"' in v or "\n" in v or rng.random() < 0.1:
        return '"' + v.replace('"', '""') + '"'
    return v


XLSX_NS = "http://schemas.openxmlformats.org/"
XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="%spackage/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>' % XLSX_NS,
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%spackage/2006/relationships"><Relationship Id="rId1" Type="%sofficeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>' % (XLSX_NS, XLSX_NS),
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%sspreadsheetml/2006/main" xmlns:r="%sofficeDocument/2006/relationships"><sheets><sheet name="SHEET" sheetId="1" r:id="rId1"/></sheets></workbook>' % (XLSX_NS, XLSX_NS),
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%spackage/2006/relationships"><Relationship Id="rId1" Type="%sofficeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' % (XLSX_NS, XLSX_NS),
}


def xlsx_time(h, m):
    """A clock time as Excel stores it: the fraction of a day in 17 significant
    digits (the engine reads the decimal text exactly, to the nearest minute)."""
    v = Fraction(h * 60 + m, 1440)
    if not v:
        return "0"
    if v < Fraction(1, 10):
        mant, e = ("%.16E" % float(v)).split("E")
        return "%sE%d" % (mant, int(e))
    return "%.17G" % float(v)


def write_xlsx(path, sheet, header, rows):
    """A minimal workbook: header and rows of (kind, value) cells, kind "s"
    (an inline string) or "n" (a number), after an empty first row."""
    def esc(v):
        return v.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    out = []
    for r, cells in enumerate([[("s", h) for h in header]] + rows, start=2):
        cs = []
        for i, (t, v) in enumerate(cells):
            ref = "%s%d" % ("ABCDEFGHIJ"[i], r)
            if t == "n":
                cs.append('<c r="%s"><v>%s</v></c>' % (ref, v))
            elif v != "":
                cs.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, esc(v)))
        out.append('<row r="%d">%s</row>' % (r, "".join(cs)))
    xml = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%sspreadsheetml/2006/main">'
           "<sheetData>%s</sheetData></worksheet>" % (XLSX_NS, "".join(out)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, text in XLSX_PARTS.items():
            z.writestr(zipfile.ZipInfo(part, (2026, 12, 7, 0, 0, 0)), text.replace("SHEET", esc(sheet)))
        z.writestr(zipfile.ZipInfo("xl/worksheets/sheet1.xml", (2026, 12, 7, 0, 0, 0)), xml)


def write_report(path, rows, rng):
    """One time report, CSV in a random dialect or a workbook; its timesheets[] entry."""
    xlsx = rng.random() < 0.2
    if xlsx:
        path = path[:-4] + ".xlsx"
    style = {"sep": rng.choice([",", ";"]), "sv_cols": rng.random() < 0.5,
             "sv_kinds": rng.random() < 0.5, "date": rng.choice(["YYYY-MM-DD"] * 3 + [
                 "DD-MM-YYYY", "DD.MM.YYYY", "DD/MM/YYYY"]),
             "dot": rng.random() < 0.2, "short": rng.random() < 0.3,
             "extra": rng.random() < 0.2, "step": rng.random() < 0.1}
    cols = list(STD_COLS) + (["step"] if style["step"] else [])
    rng.shuffle(cols)
    names = [SV_COLS[c] if style["sv_cols"] else c for c in cols]
    if style["extra"]:
        names.insert(rng.randint(0, len(names)), "Timmar")
    if xlsx:
        out = []
        for r in rows:
            f = row_fields(r, style, rng)
            cells = []
            for c in cols:
                if c == "date" and rng.random() < 0.7:  # an Excel serial day (1900 system)
                    cells.append(("n", str((r[1].date() - dt.date(1899, 12, 30)).days)))
                elif c in ("start", "end") and f[c][:2] != "24" and rng.random() < 0.7:
                    t = r[1] if c == "start" else r[2]
                    cells.append(("n", xlsx_time(t.hour, t.minute)))
                else:
                    cells.append(("s", f[c]))
            if style["extra"]:
                cells.insert(names.index("Timmar"), ("n", str(len(out))))
            out.append(cells)
        sheet = rng.choice(["Tid", "Blad1", "Vår & höst"])
        write_xlsx(path, sheet, names, out)
    sep, nl = style["sep"], rng.choice(["\n", "\r\n"])
    lines = [sep.join(names)]
    for r in rows:
        f = row_fields(r, style, rng)
        vals = [quote(f[c], sep, rng) for c in cols]
        if style["extra"]:
            vals.insert(names.index("Timmar"), quote("%.2f" % ((r[2] - r[1]).total_seconds() / 3600), sep, rng))
        lines.append(sep.join(vals))
        if rng.random() < 0.03:
            lines.append("")
    text = nl.join(lines) + (nl if rng.random() < 0.8 else "")
    if not xlsx:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(("\ufeff" if rng.random() < 0.2 else "") + text)
    name = os.path.basename(path)
    plain = not (style["sv_cols"] or style["sv_kinds"] or style["date"] != "YYYY-MM-DD"
                 or style["dot"] or style["extra"])
    if plain and rng.random() < 0.6:
        return name
    m = {"file": name}
    if style["sv_cols"]:
        m["columns"] = {c: SV_COLS[c] for c in cols}
    if style["sv_kinds"]:
        m["kinds"] = {SV_KINDS[k]: k for k in KINDS}
    if style["date"] != "YYYY-MM-DD" or rng.random() < 0.2:
        m["date_format"] = style["date"]
    if style["dot"] or rng.random() < 0.2:
        m["time_format"] = "HH.MM" if style["dot"] else "HH:MM"
    if style["extra"]:
        m["ignore_columns"] = ["Timmar"]
    if xlsx and rng.random() < 0.5:
        m["sheet"] = sheet
    return m


def split_reports(rng, rows, directory, prefix, nfiles):
    rows = list(rows)
    rng.shuffle(rows)
    nfiles = max(1, min(nfiles, len(rows)))
    cuts = sorted(rng.sample(range(1, len(rows)), nfiles - 1)) if nfiles > 1 else []
    parts = [rows[a:b] for a, b in zip([0] + cuts, cuts + [len(rows)])]
    if rng.random() < 0.05:
        parts.insert(rng.randint(0, len(parts)), [])  # a time report of only its header
    entries = []
    for i, part in enumerate(parts):
        entries.append(write_report(os.path.join(directory, "%s%d.csv" % (prefix, i + 1)), part, rng))
    rng.shuffle(entries)
    return entries


# ---- usage ---------------------------------------------------------------------------

def gen_usage(rng, case, periods, cap_units, kinds):
    owner = {}  # month -> list of period indexes that have it
    for i, (f, t) in enumerate(periods):
        for m in months_between(f, t):
            owner.setdefault(m, []).append(i)
    payment_of = {p["from"]: p["payment"] for p in case["periods"]}
    used, payments, expected_pay = [], [], {}
    for m, ps in sorted(owner.items()):
        if len(ps) != 1:
            continue  # a month two periods share takes neither used rows nor payments
        i = ps[0]
        if cap_units[i] != "week" and rng.random() < 0.4:
            for k in rng.sample(kinds, rng.randint(1, len(kinds))):
                used.append({"month": m, "kind": k, "hours": dec(rng, 0, 300, rng.choice([0, 1, 2]))})
        forskott = payment_of[periods[i][0].isoformat()] == "forskott"
        if rng.random() < (0.5 if forskott else 0.1):
            y, mo = int(m[:4]), int(m[5:])
            for _ in range(rng.randint(1, 2)):
                amount = dec(rng, 0, 150000, 2)
                if rng.random() < 0.15:
                    amount = "-" + dec(rng, 0, 5000, 2)
                if rng.random() < 0.7:
                    day = dt.date(y, mo, 1) - dt.timedelta(days=rng.randint(0, 20))
                    payments.append({"date": day.isoformat(), "month": m, "amount": amount})
                else:  # the payment date's month is the month it pays
                    day = dt.date(y, mo, rng.randint(1, calendar.monthrange(y, mo)[1]))
                    payments.append({"date": day.isoformat(), "amount": amount})
                expected_pay[(i, m)] = expected_pay.get((i, m), Fraction(0)) + Fraction(amount)
    # used rows of months outside every period are reported apart
    if rng.random() < 0.3:
        d = add_months(periods[-1][1], rng.randint(1, 3))
        if ym(d) not in owner:
            used.append({"month": ym(d), "kind": "aktiv", "hours": dec(rng, 0, 50, 1)})
    rng.shuffle(used)
    rng.shuffle(payments)
    expenses = []
    for _ in range(rng.randint(0, 3)):
        day = periods[0][0] + dt.timedelta(days=rng.randint(0, (periods[-1][1] - periods[0][0]).days))
        e = {"date": day.isoformat(), "category": rng.choice(["entrance", "travel", "food"]),
             "amount": dec(rng, 0, 400, 2), "helper": rng.choice(HELPERS)}
        if rng.random() < 0.3:
            e["approved"] = "enhetschef " + day.isoformat()
        expenses.append(e)
    u = {"format": "bpa-usage/1", "case": case["case"]}
    if used:
        u["used"] = used
    if payments:
        u["payments"] = payments
    if expenses:
        u["expenses"] = expenses
    return u, expected_pay


# ---- the checks ------------------------------------------------------------------

def q(obj, name):
    """An exact figure of the JSON: name_exact ("N/D") when present, else the decimal."""
    v = obj.get(name + "_exact", obj.get(name))
    if not isinstance(v, str):
        raise Failure("field %s is %r, not a number string" % (name, v))
    return Fraction(v)


def round2(x, mode):
    n = x * 100
    f = n.numerator // n.denominator
    r = n - f
    if r > Fraction(1, 2) or (r == Fraction(1, 2) and (
            (mode == "half_away_from_zero" and x > 0) or (mode == "half_even" and f % 2))):
        f += 1
    return Fraction(f, 100)


def show(x):
    """A Fraction as a reader compares it: the exact decimal, or N/D with six decimals."""
    if not isinstance(x, Fraction):
        return repr(x)
    d = x.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    n = abs(x.numerator) * 10 ** 6 // x.denominator
    six = "%s%d.%06d" % ("-" if x < 0 else "", n // 10 ** 6, n % 10 ** 6)
    if d == 1:
        return six.rstrip("0").rstrip(".") if "." in six else six
    return "%s (%s...)" % (x, six)


def sign_word(x):
    return "repay" if x > 0 else "pay_out" if x < 0 else "settled"


def diff(a, b, path="$"):
    """The first place where two JSON values differ, or None."""
    if type(a) is not type(b):
        return path, a, b
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return path + "." + k, a.get(k, "(missing)"), b.get(k, "(missing)")
            d = diff(a[k], b[k], path + "." + k)
            if d:
                return d
        if list(a) != list(b):
            return path + " (key order)", list(a), list(b)
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return path + " (length)", len(a), len(b)
        for i, (x, y) in enumerate(zip(a, b)):
            d = diff(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    return None if a == b else (path, a, b)


class Checker:
    def __init__(self):
        self.n = 0
        self.failures = []

    def eq(self, what, got, want):
        self.n += 1
        if got != want:
            self.failures.append("%s: %s, expected %s" % (what, show(got), show(want)))

    def check_result(self, res, budget, pol, expected_pay, where):
        """Invariants 1, 2, 3 and 5 on one settlement result."""
        rounding = pol["params"].get("rounding.mode",
                                     [{"from": "1900-01-01", "value": "half_away_from_zero"}])
        trs = res["tidsredovisningar"]
        listed = res.get("used_rows", [])
        per_month = {}  # calendar month -> [period-month objects]
        bperiods = {(p["from"], p["to"]): p for p in budget["periods"]}
        total_balance = Fraction(0)
        for pi, p in enumerate(res["periods"]):
            w = "%s: periods[%d] %s..%s" % (where, pi, p["from"], p["to"])
            bp = bperiods.get((p["from"], p["to"]))
            if bp is None:
                self.eq(w + ": period in the budget", None, "present")
                continue
            bmonths = {m["month"]: m for m in bp["months"]}
            sums = {k: Fraction(0) for k in ("billable", "granted_billable", "capped", "not_paid",
                                             "amount", "paid")}
            for m in p["months"]:
                mw = "%s month %s" % (w, m["month"])
                per_month.setdefault(m["month"], []).append(m)
                # 2. capped + not_paid = billable
                self.eq(mw + ": capped + not_paid", q(m, "capped") + q(m, "not_paid"), q(m, "billable"))
                for k in sums:
                    sums[k] += q(m, k)
                # 5. R3 in the rounding mode of the month's first day
                mode = in_force(rounding, dt.date(int(m["month"][:4]), int(m["month"][5:]), 1))
                self.eq("%s: amount = round(capped %s x rate %s, %s)" % (mw, m["capped"], m["rate"], mode),
                        q(m, "amount"), round2(q(m, "capped") * q(m, "rate"), mode))
                # 3. what was paid
                if p["payment"] == "forskott" and m["payments"] == 0:
                    self.eq(mw + ": paid_by", m["paid_by"], "budget")
                    bm = bmonths.get(m["month"])
                    self.eq(mw + ": paid = the budget's amount", q(m, "paid"),
                            q(bm, "amount") if bm else "(no budget month)")
                elif p["payment"] == "forskott":
                    self.eq(mw + ": paid_by", m["paid_by"], "payments")
                    self.eq(mw + ": paid = the sum of its payments", q(m, "paid"),
                            expected_pay.get((pi, m["month"]), "(no payments given)"))
                else:
                    self.eq(mw + ": efterskott paid = amount", q(m, "paid"), q(m, "amount"))
                if p["payment"] == "forskott":
                    self.eq(mw + ": has payments", m["payments"] > 0, (pi, m["month"]) in expected_pay)
            for k in ("billable", "granted_billable", "capped", "amount", "paid"):
                self.eq("%s: sum of the months' %s" % (w, k), sums[k], q(p, k))
            self.eq(w + ": sum of the months' not_paid", sums["not_paid"], q(p, "not_paid_hours"))
            self.eq(w + ": granted_billable = the budget's billable", q(p, "granted_billable"),
                    q(bp, "billable"))
            self.eq(w + ": balance = paid - amount", q(p, "balance"), q(p, "paid") - q(p, "amount"))
            self.eq(w + ": direction", p["direction"], sign_word(q(p, "balance")))
            total_balance += q(p, "balance")
        self.eq(where + ": balance = sum of the periods'", q(res, "balance"), total_balance)
        self.eq(where + ": direction", res["direction"], sign_word(q(res, "balance")))
        # 1. tidsredovisningar = reported; reported + used rows = the month's hours
        months = set(per_month) | {t["month"] for t in trs}
        for mo in sorted(months):
            ms = per_month.get(mo, [])
            for k in KINDS:
                t_sum = sum((q(t, k) for t in trs if t["month"] == mo), Fraction(0))
                r_sum = sum((q(m["reported"], k) for m in ms), Fraction(0))
                self.eq("%s: %s %s: tidsredovisningar sum vs reported" % (where, mo, k), t_sum, r_sum)
                u_sum = sum((q(u, "hours") for u in listed if u["month"] == mo and u["kind"] == k),
                            Fraction(0))
                h_sum = sum((q(m, k) for m in ms), Fraction(0))
                if ms:
                    self.eq("%s: %s %s: reported + used rows vs hours" % (where, mo, k),
                            r_sum + u_sum, h_sum)


def run(cmd, where):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise Failure("%s: %s exited %d:\n%s" % (where, " ".join(cmd[-4:]), p.returncode,
                                                 p.stderr.decode("utf-8", "replace")[-2000:]))
    return p


def one_seed(bpa, seed, top, chk):
    rng = random.Random(seed)
    lss = rng.random() < 0.3
    periods = gen_periods(rng, lss)
    pol = gen_policy(rng, lss, periods[0][0], periods[-1][1])
    params = pol["params"]
    has_fb = "se.factor.beredskap" in params
    kinds = list(KINDS) if has_fb else ["aktiv", "vantetid"]
    case = gen_case(rng, lss, periods, has_fb)
    cap_units = [in_force(params["se.cap_unit"], f) for f, _ in periods]
    usage, expected_pay = gen_usage(rng, case, periods, cap_units, kinds)
    rows = gen_shifts(rng, periods, kinds)
    results = []
    for variant in ("a", "b"):
        d = os.path.join(top, "seed%d%s" % (seed, variant))
        os.makedirs(d)
        for name, doc in (("policy.json", pol), ("case.json", case)):
            with open(os.path.join(d, name), "w", encoding="utf-8") as fh:
                json.dump(doc, fh, ensure_ascii=False, indent=1)
        u = copy.deepcopy(usage)
        if variant == "b":  # the rows of a month add up in any order
            for key in ("used", "payments"):
                if key in u:
                    rng.shuffle(u[key])
        if rows:
            u["timesheets"] = split_reports(rng, rows, d, "tid" if variant == "a" else "del-",
                                            rng.randint(1, 4))
        with open(os.path.join(d, "usage.json"), "w", encoding="utf-8") as fh:
            json.dump(u, fh, ensure_ascii=False, indent=1)
        where = "seed %d (%s)" % (seed, d)
        c, us, out = (os.path.join(d, x) for x in ("case.json", "usage.json", "out.json"))
        if variant == "a":
            g = run(bpa + ["grant", c, "--json", "-"], where)
            budget = json.loads(g.stdout)
        run(bpa + ["settle", c, us, "--json", out], where)
        res = json.load(open(out, encoding="utf-8"))
        chk.check_result(res, budget, pol, expected_pay, where + " out.json")
        # every row of the time reports was read, from every file listed
        chk.eq(where + " out.json: shifts", res.get("shifts", 0), len(rows))
        chk.eq(where + " out.json: files", res.get("files", 0), len(u.get("timesheets", [])))
        results.append(res)
    # 4. the split changes nothing but inputs[] and files
    a, b = (dict((k, v) for k, v in r.items() if k not in ("inputs", "files")) for r in results)
    d = diff(a, b)
    chk.n += 1
    if d:
        chk.failures.append("seed %d: the time reports split differently change %s: %r (seed%da/out.json) "
                            "vs %r (seed%db/out.json)" % (seed, d[0], d[1], seed, d[2], seed))
    return len(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bpa", nargs="+", help="the bpa command (may carry a prefix)")
    ap.add_argument("--seeds", type=int, default=int(os.environ.get("SE_INV_SEEDS", "40")))
    ap.add_argument("--seed", type=int, action="append", help="run only this seed")
    ap.add_argument("--min-checks", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    a = ap.parse_args()
    seeds = a.seed or list(range(1, a.seeds + 1))
    min_checks = a.min_checks if a.min_checks is not None else 40 * len(seeds)
    top = tempfile.mkdtemp(prefix="se-inv-")
    chk = Checker()
    failed = []
    nrows = 0
    for seed in seeds:
        before = len(chk.failures)
        try:
            nrows += one_seed(a.bpa, seed, top, chk)
        except Failure as e:
            chk.failures.append(str(e))
        if len(chk.failures) > before:
            failed.append(seed)
            for f in chk.failures[before:before + 5]:
                print("FAIL: seed %d: %s" % (seed, f))
            if len(chk.failures) - before > 5:
                print("  ... and %d more for seed %d" % (len(chk.failures) - before - 5, seed))
        elif not a.keep:
            for v in "ab":
                shutil.rmtree(os.path.join(top, "seed%d%s" % (seed, v)), ignore_errors=True)
    print("se_invariants: %d seeds, %d shifts, %d checks, %d failed" %
          (len(seeds), nrows, chk.n, len(chk.failures)))
    if failed:
        print("failing seeds: %s; their files are in %s" % (" ".join(map(str, failed)), top))
        return 1
    if not a.keep:
        shutil.rmtree(top, ignore_errors=True)
    else:
        print("files in " + top)
    if chk.n < min_checks:
        print("FAIL: only %d checks ran, at least %d expected" % (chk.n, min_checks))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
