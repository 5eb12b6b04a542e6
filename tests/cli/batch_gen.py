#!/usr/bin/env python3
"""Generate a caseload for bpa batch from the fixtures: N case directories
(case.json, usage.json where the fixture has one), the fixtures taken in
turn, each with its own case id and its weekly hours raised by 0-3 h, so
that no two cases are alike. Policies stay named by id; timesheet paths
become absolute. usage: batch_gen.py SRC_ROOT OUT_DIR N"""
import json, os, sys
from decimal import Decimal

src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
cases = sorted(f[:-5] for f in os.listdir(os.path.join(src, "fixtures/cases")) if f.endswith(".json"))
ts = os.path.join(os.path.abspath(src), "fixtures/timesheets") + "/"

def vary(node, add):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "per_week" and isinstance(v, str):
                node[k] = str(Decimal(v) + add)
            else:
                vary(v, add)
    elif isinstance(node, list):
        for v in node:
            vary(v, add)

def paths(node):
    if isinstance(node, dict):
        return {k: paths(v) for k, v in node.items()}
    if isinstance(node, list):
        return [paths(v) for v in node]
    if isinstance(node, str) and node.startswith("../timesheets/"):
        return ts + node[len("../timesheets/"):]
    return node

for i in range(n):
    name = cases[i % len(cases)]
    d = os.path.join(out, "%s-%03d" % (name, i))
    os.makedirs(d)
    with open(os.path.join(src, "fixtures/cases", name + ".json"), encoding="utf-8") as f:
        c = json.load(f)
    cid = "%s-%03d" % (c["case"], i)
    c["case"] = cid
    vary(c, i % 4)
    with open(os.path.join(d, "case.json"), "w", encoding="utf-8") as f:
        json.dump(c, f, ensure_ascii=False, indent=1)
    up = os.path.join(src, "fixtures/usage", name + ".json")
    if os.path.exists(up):
        with open(up, encoding="utf-8") as f:
            u = paths(json.load(f))
        u["case"] = cid
        with open(os.path.join(d, "usage.json"), "w", encoding="utf-8") as f:
            json.dump(u, f, ensure_ascii=False, indent=1)
