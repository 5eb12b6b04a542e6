#!/usr/bin/python3
"""Each figure of a shipped settlement result changed by 0.01 in turn: bpa
verify must find exactly that one (RULES.md 13). The expected difference is
the path this script changed, never read from bpa's output.

usage: verify_mutate.py BPA CASE USAGE RESULT.json"""
import json, os, re, subprocess, sys, tempfile
from fractions import Fraction

bpa, case, usage, result = sys.argv[1:5]
SKIP_TOP = {"engine", "policy", "inputs", "warnings", "trace", "params_used", "case", "year"}
DEC = re.compile(r"^-?\d+(\.\d+)?$")
FRAC = re.compile(r"^-?\d+/\d+$")

doc = json.load(open(result))

def leaves(node, path, depth):
    if isinstance(node, dict):
        for k, v in node.items():
            if (depth == 0 and k in SKIP_TOP) or k in ("trace", "sha256"):
                continue
            yield from leaves(v, f"{path}.{k}" if path else k, depth + 1)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, f"{path}[{i}]", depth + 1)
    elif isinstance(node, bool) or node is None:
        return
    elif isinstance(node, int):
        yield path, node
    elif isinstance(node, str) and (DEC.match(node) or FRAC.match(node)):
        yield path, node

class RawNumber(str):
    """A number written as is into the JSON (no float on the way)."""

def dumps(d):
    raws = []
    def default(o):
        raise TypeError(o)
    def walk(x):
        if isinstance(x, RawNumber):
            raws.append(str(x))
            return f"@@RAW{len(raws) - 1}@@"
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x
    text = json.dumps(walk(d), ensure_ascii=False, indent=2, default=default)
    for i, r in enumerate(raws):
        text = text.replace(f'"@@RAW{i}@@"', r)
    return text

def bumped(v):
    if isinstance(v, int):
        return RawNumber(f"{v}.01")  # a JSON number with a fraction
    if "/" in v:
        q = Fraction(v) + Fraction(1, 100)
        return f"{q.numerator}/{q.denominator}"
    decimals = len(v.split(".")[1]) if "." in v else 0
    q = Fraction(v) + Fraction(1, 100)
    decimals = max(decimals, 2)
    scaled = q * 10**decimals
    assert scaled.denominator == 1
    s = str(abs(scaled.numerator)).rjust(decimals + 1, "0")
    return ("-" if q < 0 else "") + s[:-decimals] + "." + s[-decimals:]

def set_at(node, path, value):
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    for p in parts[:-1]:
        node = node[int(p[1:-1])] if p.startswith("[") else node[p]
    last = parts[-1]
    if last.startswith("["):
        node[int(last[1:-1])] = value
    else:
        node[last] = value

paths = list(leaves(doc, "", 0))
assert len(paths) > 20, "too few figures: %d" % len(paths)
fails = 0
with tempfile.TemporaryDirectory() as tmp:
    acc = os.path.join(tmp, "account.json")
    for path, v in paths:
        d = json.loads(json.dumps(doc))
        set_at(d, path, bumped(v))
        with open(acc, "w") as f:
            f.write(dumps(d))
        p = subprocess.run(bpa.split() + ["verify", case, usage, acc, "--policy-dir",
                                          "fixtures/policies", "--json", "-"],
                           capture_output=True, text=True)
        ok = p.returncode == 4
        if ok:
            r = json.loads(p.stdout)
            fields = [x["field"] for x in r["differences"]]
            ok = fields == [path] and r["agree"] is False
        if not ok:
            fails += 1
            print(f"FAIL {result}: {path} {v!r} -> {bumped(v)!r}: exit {p.returncode}: "
                  f"{p.stdout[-400:]}{p.stderr[-400:]}")
print(f"{result}: {len(paths)} figures changed in turn, {len(paths) - fails} found exactly")
sys.exit(1 if fails else 0)
