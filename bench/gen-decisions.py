#!/usr/bin/python3
"""A Danish case with many one-day decisions of many hour lines, for the
input-loading benchmark (bench/README.md, "Input loading").

Usage: gen-decisions.py DAYS LINES > case.json   (e.g. 365 60)"""
import datetime
import sys

days, lines = int(sys.argv[1]), int(sys.argv[2])
bands = ["day", "evening", "night"]
start = datetime.date(2025, 1, 1)
out = ['{"format": "bpa-case/1", "case": "BENCH-1", "scheme": "dk-sel-96",',
       ' "policy": "albertslund", "year": 2025, "employer": "citizen", "helpers": 4,',
       ' "decisions": [']
for d in range(days):
    day = (start + datetime.timedelta(days=d)).isoformat()
    hours = ",\n    ".join(
        '{"kind": "work", "band": "%s", "step": 11, "per_week": "%d.%02d"}'
        % (bands[k % 3], 1 + k % 7, (d + k) % 100) for k in range(lines))
    sep = "," if d + 1 < days else ""
    out.append('  {"from": "%s", "to": "%s", "hours": [\n    %s]}%s' % (day, day, hours, sep))
out.append(']}')
print("\n".join(out))
