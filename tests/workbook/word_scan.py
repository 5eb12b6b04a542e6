#!/usr/bin/python3
"""Scan every text cell of workbooks for words of the wrong language.

usage: word_scan.py da|sv|en|native WORKBOOK.xlsx [...]

native: each workbook in its own language, told by its first sheet
(Oversigt: Danish, Sammanfattning: Swedish, Summary: English).

A Danish workbook must hold no English word of a small list and no ASCII
id (half_away_from_zero, wage.hourly.11) outside an id column; an English
one no Danish word of a small list. Text that comes verbatim from the
policy or case file (its title, reference texts, names the user wrote) is
not bpa's and is skipped per sheet (KNOWN). Prints one line per finding
and exits 1 when there is any.
"""
import re
import sys

import openpyxl

EN_WORDS = {
    "the", "and", "of", "hours", "hour", "rate", "rates", "wage", "wages", "amount", "amounts",
    "from", "segment", "segments", "default", "source", "page", "month", "months", "line",
    "lines", "work", "with", "not", "none", "yes", "sheet", "seed", "section", "level", "week",
    "weeks", "day", "days", "year", "supplement", "supplements", "policy", "case", "trip",
    "trips", "cap", "which", "this", "that", "are", "by", "paid", "payment", "grant", "account",
    "recipient", "employer", "helper", "helpers", "rounded", "rounding", "step", "share",
    "weeks52", "calendar", "call", "total",
}
DA_WORDS = {
    "og", "af", "timer", "til", "fra", "med", "ikke", "uge", "måned", "måneder", "sats",
    "løn", "tillæg", "år", "dag", "dage", "beløb", "ingen", "ja", "nej", "hjælper", "hjælpere",
    "afgørelse", "periode", "perioden", "trin", "rådighed", "arbejde", "udgifter", "kilde",
    "regelsættet", "bevilling", "afrundet", "pr",
}
# Danish words that are no Swedish ones (a Swedish workbook must hold none)
DA_NOT_SV = {
    "og", "af", "timer", "til", "fra", "ikke", "uge", "måned", "måneder", "sats", "løn",
    "tillæg", "dage", "beløb", "hjælper", "hjælpere", "afgørelse", "periode", "trin",
    "rådighed", "arbejde", "udgifter", "kilde", "regelsættet", "afrundet", "pr",
}
# Swedish words that are no English ones (an English workbook must hold none)
SV_WORDS = {
    "och", "av", "timmar", "till", "från", "inte", "vecka", "månad", "månader", "timbelopp",
    "belopp", "dagar", "perioden", "senast", "kommunens", "andel", "regelverk", "regelverket",
    "utbetalning", "totalt", "summa", "avrundat", "ärendet", "källa",
}  # not the terms English text keeps (öre, räkning, väntetid, efterskott, ...)
# an id: lower-case ASCII words joined by "." or "_" (not a file name or a number)
ID = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:[._][a-z0-9]+)+(?![\w/-])")
FILE = re.compile(r"\.(json|csv|xlsx|txt|md|dk|se|com|org)$")  # files and names like barsel.dk
# R1-R5 and G_a/U_a: names of the rules, not words for a reader
JARGON = re.compile(r"\bR[1-5]\b|\b[GU]_a\b")
HASH = re.compile(r"[0-9a-f]{64}")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# an id may stand beside its label: "Timeløn, trin 11 (wage.hourly.11, ..." or
# after the file it is in: "albertslund.json, wage.hourly.11, fra ..."
BESIDE = re.compile(r"(?<=\()[a-z][a-z0-9]*(?:[._][a-z0-9]+)+(?=[,)])"
                    r"|(?<=\.json, )[a-z][a-z0-9]*(?:[._][a-z0-9]+)+"
                    # a reference of the policy by its key, as written there
                    r"|(?<=\()[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?=\))"
                    # a Danish law cited as written: "LBK 111 af 30/01/2024"
                    r"|\baf(?= \d)")

# Cells whose text is the user's, not bpa's: sheet -> test(cell, header text of its column)
ID_HEADERS = {"Parameter-id", "Parameter id", "SHA-256", "Fil", "File"}
POLICY_TEXT_HEADERS = {"Kilde i regelsættet", "Source in the policy"}


# Fragments allowed per sheet (none left: the account's R5, G_a and U_a went
# in issue 11).
KNOWN = {}


def known(ws, cell, header):
    if any(k in cell.value for k in KNOWN.get(ws.title, [])):
        return True
    if header in POLICY_TEXT_HEADERS:
        return True  # reference texts as written in the policy file
    if ws.title in ("Inddata", "Inputs", "Indata") and cell.row == 2:
        return True  # the policy's title as written in it
    return False


def headers(ws):
    """Per column, the text of the nearest table head above each row."""
    heads = {}
    out = {}
    for row in ws.iter_rows():
        texts = [c for c in row if isinstance(c.value, str)]
        if len(texts) >= 3 and all(c.font is not None and c.font.b for c in texts):
            heads = {c.column: c.value for c in texts}
        for c in row:
            out[c.coordinate] = heads.get(c.column, "")
    return out


def scan(path, lang):
    found = 0
    wb = openpyxl.load_workbook(path)
    # the policy's title, as written in it, wherever it is shown
    policy_texts = {ws["A2"].value for ws in wb.worksheets
                    if ws.title in ("Inddata", "Inputs", "Indata")}
    if lang == "native":
        lang = {"Oversigt": "da", "Sammanfattning": "sv"}.get(wb.worksheets[0].title, "en")
    for ws in wb.worksheets:
        head = headers(ws)
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or c.data_type == "f":
                    continue
                h = head[c.coordinate]
                if h in ID_HEADERS or known(ws, c, h):
                    continue
                if c.value in policy_texts or HASH.fullmatch(c.value):
                    continue
                text = BESIDE.sub("", c.value)
                bad = []
                if lang == "da":
                    bad += [w for w in WORD.findall(text) if w.lower() in EN_WORDS]
                    bad += [m for m in ID.findall(text) if not FILE.search(m)]
                    bad += JARGON.findall(text)
                elif lang == "sv":
                    bad += [w for w in WORD.findall(text)
                            if w.lower() in EN_WORDS or w.lower() in DA_NOT_SV]
                    bad += [m for m in ID.findall(text) if not FILE.search(m)]
                    bad += JARGON.findall(text)
                else:
                    bad += [w for w in WORD.findall(text)
                            if w.lower() in DA_WORDS or w.lower() in SV_WORDS]
                    bad += JARGON.findall(text)
                if bad:
                    found += 1
                    print(f"{path}: {ws.title}!{c.coordinate}: {', '.join(sorted(set(bad)))}: {text[:90]!r}")
    return found


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("da", "sv", "en", "native"):
        sys.stderr.write(__doc__)
        return 2
    n = sum(scan(p, sys.argv[1]) for p in sys.argv[2:])
    print(f"word scan ({sys.argv[1]}): {len(sys.argv) - 2} workbooks, {n} cells with wrong words")
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
