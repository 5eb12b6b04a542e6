#!/usr/bin/python3
"""Every word of a Danish workbook Danish, of an English one English (RULES.md 10).

Usage: word_scan.py POLICY_DIR da|en FILE.xlsx...

Scans every text cell (not formulas) of every sheet for words of the other
language and for raw identifiers (snake_case or dotted parameter ids). What
the policy file itself says is the municipality's own words and is exempt:
its title, its reference texts and the names of its add-ons, and the
reference ids and parameter ids, which stand in columns of their own on the
inputs sheet or in parentheses beside a label ("Timeløn, trin 11
(wage.hourly.11)") or after a file name in a place ("aarhus.json,
wage.hourly.11, fra 01.10.2020"); file names and web addresses; the titles
of the sources a trace entry cites (after "Sources:"/"Kilder:"), which are
documents' own names. "øre" is the currency's unit in both languages.
"""
import glob
import json
import os
import re
import sys

import openpyxl

ENGLISH = set("""the and of with from hours hour rate rates granted used unused example
published wage wages supplement evening night saturday sunday default built-in policy
step line lines amount total month months payment payments due account case helper
helpers trip trips allowance level per is are call work segment share value values
source sources rounding mode half away zero even weeks calendar basis yes none where
which this that""".split())
DANISH = set("""og af timer bevilgede bevilget brugte ubrugte løn timeløn tillæg måned
måneder beløb sats satser udbetaling udbetalinger kommunen linje linjer pr ikke eksempel
kilde regelsæt regnskab afgørelse hjælper hjælpere rådighed arbejde dag aften nat lørdag
søndag helligdag nej ingen værdi puljer pulje""".split())
WORD = re.compile(r"[A-Za-zÆØÅæøåÄÖäö_][A-Za-zÆØÅæøåÄÖäö_.\-0-9]*")
ID = re.compile(r"^[a-z0-9]+([._][a-z0-9]+)*$")
FILE = re.compile(r"\.(json|csv|xlsx|dk|se)$")
PLACE = re.compile(r"^[\w.-]+\.(json|csv|xlsx)\b")
SOURCES = re.compile(r"\b(Sources?|Kilder?|Källor|Källa): .*$")
ID_COLUMNS = {("Inddata", "D"), ("Inddata", "F"), ("Inputs", "D"), ("Inputs", "F")}


def policy_texts(policy_dir):
    texts, names = set(), set()
    for path in glob.glob(os.path.join(policy_dir, "*.json")):
        with open(path, encoding="utf-8") as fh:
            p = json.load(fh)
        texts.add(p.get("title", ""))
        texts.update(p.get("references", {}).values())
        for entries in p.get("params", {}).values():
            for e in entries if isinstance(entries, list) else [entries]:
                v = e.get("value") if isinstance(e, dict) else None
                if isinstance(v, list):
                    names.update(a.get("name", "") for a in v if isinstance(a, dict))
    return sorted((t for t in texts if t), key=len, reverse=True), {n.lower() for n in names if n}


def in_parentheses(text, start):
    return text.rfind("(", 0, start) > text.rfind(")", 0, start)


def scan(path, lang, texts, names):
    foreign = ENGLISH if lang == "da" else DANISH
    bad = []
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if not isinstance(v, str) or v.startswith("=") or (ws.title, c.column_letter) in ID_COLUMNS:
                    continue
                for t in texts:  # the policy's own words, wherever quoted; longest first
                    v = v.replace(t, "")
                v = SOURCES.sub("", v)
                place = bool(PLACE.match(v))
                for m in WORD.finditer(v):
                    w = m.group(0).rstrip(".-")
                    lw = w.lower()
                    if lw in names or lw == "øre" or FILE.search(lw):
                        continue
                    is_id = ("_" in w or "." in w) and ID.match(w)
                    if is_id and (place or in_parentheses(v, m.start())):
                        continue
                    if lw in foreign or is_id:
                        bad.append(f"{os.path.basename(path)} {ws.title}!{c.coordinate}: {w!r} in {c.value[:80]!r}")
    return bad


def main(argv):
    policy_dir, lang, paths = argv[0], argv[1], argv[2:]
    texts, names = policy_texts(policy_dir)
    bad = []
    for path in paths:
        bad += scan(path, lang, texts, names)
    for b in bad[:200]:
        print(b)
    print(f"word-scan ({lang}): {len(paths)} workbooks, {len(bad)} words of another language or raw ids")
    return 1 if bad or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
