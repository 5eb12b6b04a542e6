#!/usr/bin/env python3
"""Robustness of a running `bpa serve` (docs/web.md, Security), stdlib only.

Usage: BPA=build/bpa python3 tests/web/robust.py

Starts the server on a free loopback port and checks: 200 concurrent grant
requests give answers identical to each other and byte for byte to
`bpa grant --json -`; the settle and verify APIs and the workbooks equal the CLI's;
malformed HTTP, a 10 MB body (with and without Content-Length), a slow
client, paths with `..`, a foreign Origin or Host, hostile upload names and
too many parts each get a clear 4xx while the server keeps serving; every
response carries the security headers; the resident memory stays bounded.
Every request goes to 127.0.0.1 only, bounded in count and time.
"""
import concurrent.futures
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BPA = os.environ.get("BPA", os.path.join(ROOT, "build", "bpa")).split()
FIX = os.path.join(ROOT, "fixtures")
# the server's --timeout for this test; under valgrind, 200 grants queued on
# four workers take longer than 3 s, so the limit is wider there
TIMEOUT = 20 if "valgrind" in " ".join(BPA) else 3
# ASan's quarantine and valgrind hold freed memory: RSS bounds only for a plain build
MEASURE_RSS = not any(w in " ".join(BPA) for w in ("asan", "valgrind"))

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what, flush=True)


def start():
    p = subprocess.Popen(BPA + ["serve", "--port", "0", "--timeout", str(TIMEOUT),
                                "--policy-dir", os.path.join(FIX, "policies")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if "http://127.0.0.1:" not in line:
        print("server did not start:", line, p.stderr.read())
        sys.exit(1)
    port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
    return p, port


def request(port, method, path, body=None, headers=None, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
    finally:
        c.close()


def post_json(port, path, data, extra=None, timeout=30):
    h = {"Content-Type": "application/json"}
    h.update(extra or {})
    return request(port, "POST", path, data, h, timeout)


def raw(port, data, wait=5.0):
    """Send raw bytes, return what comes back until the server closes."""
    s = socket.create_connection(("127.0.0.1", port), timeout=wait)
    out = b""
    try:
        s.sendall(data)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except (socket.timeout, ConnectionResetError, BrokenPipeError):
        pass
    finally:
        s.close()
    return out


def chunked(port, path, body, ct, size):
    """POST body in chunks of size bytes (Transfer-Encoding: chunked)."""
    data = b"".join(b"%x\r\n" % len(body[i:i + size]) + body[i:i + size] + b"\r\n"
                    for i in range(0, len(body), size))
    return raw(port, b"POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: %s\r\n"
               b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" % (path.encode(), port, ct.encode())
               + data + b"0\r\n\r\n", wait=30)


def status_of(resp):
    try:
        return int(resp.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def alive(port):
    st, _, body = request(port, "GET", "/api/policies")
    return st == 200 and b"albertslund" in body


def cli(*args):
    return subprocess.run(BPA + list(args), capture_output=True, check=True).stdout


def multipart(fields, boundary="bpaBoundary1234"):
    """fields: (name, filename or None, bytes)."""
    out = b""
    for name, filename, data in fields:
        out += b"--" + boundary.encode() + b"\r\n"
        disp = b'Content-Disposition: form-data; name="' + name.encode() + b'"'
        if filename is not None:
            disp += b'; filename="' + filename + b'"'
        out += disp + b"\r\nContent-Type: application/octet-stream\r\n\r\n" + data + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return out, "multipart/form-data; boundary=" + boundary


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def read(path):
    with open(path, "rb") as f:
        return f.read()


def usage_checks():
    for args, what in ((["--port", "abc"], "a port that is no number"), (["--port", "70000"], "port 70000"),
                       (["--listen", "nowhere"], "--listen without an address"), (["extra"], "an argument"),
                       (["--bogus"], "an unknown option")):
        r = subprocess.run(BPA + ["serve"] + args, capture_output=True, text=True, timeout=10)
        check(r.returncode == 2 and "usage: bpa serve" in r.stderr, "bpa serve %s: exit 2 (%s)" % (" ".join(args), what))
    r = subprocess.run(BPA + ["serve", "--policy-dir", "/nonexistent"], capture_output=True, text=True, timeout=10)
    check(r.returncode == 1 and "/nonexistent" in r.stderr, "a missing policy directory: exit 1 naming it")
    # another loopback address: served, with a warning
    p = subprocess.Popen(BPA + ["serve", "--port", "0", "--listen", "127.0.0.2"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    ok = "http://127.0.0.2:" in line
    if ok:
        port2 = int(line.split("http://127.0.0.2:")[1].split("/")[0])
        c = http.client.HTTPConnection("127.0.0.2", port2, timeout=10)
        c.request("GET", "/api/policies")
        ok = c.getresponse().status == 200
        c.close()
    p.send_signal(signal.SIGTERM)
    p.wait(10)
    check(ok and "warning" in p.stderr.read(), "--listen 127.0.0.2 serves there, with a warning")


def main():
    usage_checks()
    proc, port = start()
    try:
        run(proc, port)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    check(proc.returncode == 0, "server exits 0 on SIGTERM (got %s)" % proc.returncode)
    print("robust: %d passed, %d failed" % (passed, failed))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def verify_checks(port):
    """POST /api/verify: the answers of bpa verify (docs/auditors.md)."""
    c = "alb-2025-full-year"
    case_p = os.path.join(FIX, "cases", c + ".json")
    usage_p = os.path.join(FIX, "usage", c + ".json")
    base = [("case", (c + ".json").encode(), read(case_p)),
            ("usage", (c + ".json").encode(), read(usage_p)),
            ("timesheets", b"alb-2025-full-year.csv", read(os.path.join(FIX, "timesheets", "alb-2025-full-year.csv")))]
    pol = ["--policy-dir", os.path.join(FIX, "policies")]

    def verify_cli(account, *extra):
        r = subprocess.run(BPA + ["verify", case_p, usage_p, account] + pol + list(extra),
                           capture_output=True)
        return r.returncode, r.stdout

    def post(path, account_name, data, lang=None):
        fields = base + [("account", account_name.encode(), data)]
        if lang:
            fields.append(("lang", None, lang.encode()))
        body, ct = multipart(fields)
        return request(port, "POST", path, body, {"Content-Type": ct})

    # the shipped account, JSON and workbook, untouched: agrees, byte for byte the CLI's
    for acc in ("reports/%s.account.json" % c, "reports/%s.account.xlsx" % c):
        path = os.path.join(ROOT, acc)
        rc, want = verify_cli(path, "--json", "-")
        check(rc == 0, "bpa verify of the shipped %s agrees (exit %d)" % (acc, rc))
        st, h, got = post("/api/verify.json", os.path.basename(acc), read(path))
        check(st == 200 and got == want, "verify.json of %s is bpa verify --json - (%s)" % (acc, st))
        st, h, got = post("/api/verify", os.path.basename(acc), read(path), "en")
        env = json.loads(got) if st == 200 else {}
        check(env.get("agree") is True and env.get("result") == json.loads(want)
              and env.get("lang") == "en" and env.get("summary") == verify_cli(path, "--lang", "en")[1].decode(),
              "verify envelope of %s: agree, the CLI's result and English list" % acc)
    # one figure changed: balance 14324.11 -> 14324.12 (the shipped account's balance)
    acc = json.loads(read(os.path.join(ROOT, "reports", c + ".account.json")))
    check(acc["balance"] == "14324.11", "the shipped balance is 14324.11")
    acc["balance"] = "14324.12"
    changed = json.dumps(acc, indent=2).encode()
    st, h, got = post("/api/verify", "changed.account.json", changed, "da")
    env = json.loads(got) if st == 200 else {}
    diffs = env.get("result", {}).get("differences", [])
    check(st == 200 and env.get("agree") is False and env.get("result", {}).get("agree") is False,
          "a changed balance: 200 with agree=false (%s %s)" % (st, got[:200]))
    check(len(diffs) == 1 and diffs[0].get("field") == "balance" and diffs[0].get("expected") == "14324.11"
          and diffs[0].get("found") == "14324.12" and diffs[0].get("where") == "$.balance",
          "the one difference is the balance, 14324.11 against 14324.12 at $.balance (%r)" % diffs)
    check("14.324,12" in env.get("summary", ""), "the Danish list shows the found 14.324,12")
    with tempfile.TemporaryDirectory() as tmp:
        cp = os.path.join(tmp, "changed.account.json")
        with open(cp, "wb") as f:
            f.write(changed)
        out = os.path.join(tmp, "d.xlsx")
        rc, _ = verify_cli(cp, "-o", out, "--lang", "da")
        check(rc == 4, "bpa verify of the changed account exits 4 (%d)" % rc)
        st, h, got = post("/api/verify.xlsx?lang=da", "changed.account.json", changed)
        check(st == 200 and got == read(out) and h.get("content-disposition", "").startswith("attachment"),
              "verify.xlsx is the CLI's difference workbook, as a download (%s)" % st)
    # a claim (tests/cli/data/verify: the balance typed in one cent off)
    D = os.path.join(ROOT, "tests", "cli", "data", "verify")
    st, h, got = post("/api/verify", "claim-dk.json", read(os.path.join(D, "claim-dk.json")))
    check(st == 200 and json.loads(got).get("agree") is True, "a right claim agrees (%s)" % st)
    st, h, got = post("/api/verify", "claim-dk-wrong.json", read(os.path.join(D, "claim-dk-wrong.json")))
    diffs = json.loads(got).get("result", {}).get("differences", []) if st == 200 else []
    check([(d.get("field"), d.get("expected"), d.get("found")) for d in diffs] == [("balance", "14324.11", "14324.10")],
          "a claim one cent off: the balance difference (%r)" % diffs)
    # not an account: the usage file handed in as one
    st, h, got = post("/api/verify", "usage.json", read(usage_p))
    err = json.loads(got).get("error", {}) if got else {}
    check(st == 422 and "usage.json" in err.get("message", "") + err.get("file", "")
          and "bpa-serve-" not in got.decode() and err.get("message"),
          "a usage file as the account is 422 naming it (%s %s)" % (st, got[:300]))
    body, ct = multipart(base)
    st, h, got = request(port, "POST", "/api/verify", body, {"Content-Type": ct})
    check(st == 400 and b"account" in got, "no account part is 400 (%s)" % st)
    st, h, got = post("/api/verify", "../x.json", b"{}")
    check(st == 400, "an account name with a path is 400 (%s)" % st)


def run(proc, port):
    cases = ["alb-2025-full-year.json", "alb-2025-trips.json", "se-ore-2025-efterskott.json",
             "se-kum-2024-lss.json"]
    expected = {c: cli("grant", os.path.join(FIX, "cases", c), "--json", "-") for c in cases}
    bodies = {c: read(os.path.join(FIX, "cases", c)) for c in cases}

    # --- the policy list, worked out here from the policy files ---
    st, h, body = request(port, "GET", "/api/policies")
    listed = {p["id"]: p for p in json.loads(body)["policies"]}
    for f in sorted(os.listdir(os.path.join(FIX, "policies"))):
        pol = json.loads(read(os.path.join(FIX, "policies", f)))
        got = listed.get(pol["id"], {})
        firsts = [e[0]["from"] for e in pol["params"].values() if e]
        lasts = [e[-1]["from"] for e in pol["params"].values() if e]
        check(got.get("title") == pol["title"] and sorted(got.get("schemes", [])) == sorted(pol["schemes"])
              and got.get("country") == pol["country"].lower()
              and got.get("first") == min(firsts) and got.get("complete_from") == max(firsts)
              and got.get("last_change") == max(lasts) and got.get("parameters") == list(pol["params"]),
              "GET /api/policies: %s (title, schemes, dates, parameters) %r" % (f, {k: got.get(k) for k in ("first", "complete_from", "last_change")}))

    # --- the answers are the CLI's ---
    for c in cases:
        st, h, body = post_json(port, "/api/grant.json?name=" + c, bodies[c])
        check(st == 200 and body == expected[c], "grant.json of %s is bpa grant --json -" % c)
        st, h, body = post_json(port, "/api/grant?name=" + c, bodies[c])
        env = json.loads(body) if st == 200 else {}
        check(st == 200 and expected[c].decode() in body.decode(),
              "the envelope of %s holds the CLI's JSON verbatim" % c)
        check(env.get("summary") == cli("grant", os.path.join(FIX, "cases", c)).decode(),
              "the envelope's summary of %s is bpa grant's" % c)
    with tempfile.TemporaryDirectory() as tmp:
        for c, lang in (("alb-2025-full-year.json", "da"), ("se-ore-2025-efterskott.json", "en")):
            out = os.path.join(tmp, c + ".xlsx")
            cli("grant", os.path.join(FIX, "cases", c), "-o", out, "--lang", lang)
            st, h, body = post_json(port, "/api/grant.xlsx?lang=%s&name=%s" % (lang, c), bodies[c])
            check(st == 200 and body == read(out), "grant.xlsx of %s (%s) is the CLI's" % (c, lang))
            check(h.get("content-disposition", "").startswith("attachment"),
                  "the workbook is a download")
    # settle: case, usage and its timesheets uploaded
    for c, ts in (("alb-2025-full-year", ["alb-2025-full-year.csv"]),
                  ("se-ore-2025-efterskott", ["se-ore-2025-hosten.csv", "se-ore-2026-var.xlsx"])):
        want = cli("settle", os.path.join(FIX, "cases", c + ".json"),
                   os.path.join(FIX, "usage", c + ".json"), "--json", "-")
        fields = [("case", (c + ".json").encode(), read(os.path.join(FIX, "cases", c + ".json"))),
                  ("usage", (c + ".json").encode(), read(os.path.join(FIX, "usage", c + ".json")))]
        fields += [("timesheets", t.encode(), read(os.path.join(FIX, "timesheets", t))) for t in ts]
        body, ct = multipart(fields)
        st, h, got = request(port, "POST", "/api/settle.json", body, {"Content-Type": ct})
        check(st == 200 and got == want, "settle.json of %s is bpa settle --json -" % c)
        st, h, got = request(port, "POST", "/api/settle", body, {"Content-Type": ct})
        check(st == 200 and want.decode() in got.decode(), "settle envelope of %s" % c)
        # a timesheet left out: the error names it at its place
        body, ct = multipart(fields[:2])
        st, h, got = request(port, "POST", "/api/settle", body, {"Content-Type": ct})
        err = json.loads(got).get("error", {}) if st == 422 else {}
        check(st == 422 and err.get("path") == "$.timesheets[0]" and ts[0] in err.get("message", ""),
              "a missing timesheet is 422 at $.timesheets[0] (%s %s)" % (st, got[:200]))
    # the last form (a CSV and an .xlsx) in chunks of 1 and 7 bytes:
    # libmicrohttpd's post processor hands each part over in pieces
    body, ct = multipart(fields)
    for size in (1, 7):
        got = chunked(port, "/api/settle.json", body, ct, size)
        check(status_of(got) == 200 and got.split(b"\r\n\r\n", 1)[-1] == want,
              "settle.json of a form sent in %d-byte chunks is bpa settle --json -" % size)
    verify_checks(port)
    left = [n for n in os.listdir(tempfile.gettempdir()) if n.startswith("bpa-serve-")]
    check(not left, "no request directory is left in /tmp (%s)" % left)

    # --- errors beside the field ---
    bad = bodies["alb-2025-full-year.json"].replace(b'"per_week": "37"', b'"per_week": "-37"')
    st, h, body = post_json(port, "/api/grant", bad)
    err = json.loads(body).get("error", {})
    check(st == 422 and err.get("path", "").startswith("$.decisions[0].hours[0]") and err.get("line"),
          "a negative per_week is 422 with its JSON path (%s)" % body[:300])
    st, h, body = post_json(port, "/api/grant", b'{"format": "bpa-case/1", ')
    check(st == 422 and b"line" in body, "a truncated case is 422 with line and column")
    st, h, body = post_json(port, "/api/grant?lang=xx", bodies["alb-2025-full-year.json"])
    check(st == 400 and b"da, en or sv" in body, "lang=xx is 400")
    st, h, body = post_json(port, "/api/grant?lang=da", bodies["se-kum-2024-lss.json"])
    check(st == 400 and b"Swedish scheme" in body, "lang=da for a Swedish case is 400, as bpa grant --lang da")
    st, h, body = post_json(port, "/api/grant?lang=en&name=se-kum-2024-lss.json", bodies["se-kum-2024-lss.json"])
    check(st == 200 and json.loads(body)["summary"] == cli("grant", os.path.join(FIX, "cases", "se-kum-2024-lss.json"),
                                                            "--lang", "en").decode(),
          "lang=en gives bpa grant --lang en's summary")
    pathpol = bodies["alb-2025-full-year.json"].replace(b'"albertslund"', b'"../../../etc/x.json"')
    st, h, body = post_json(port, "/api/grant", pathpol)
    check(st == 422 and json.loads(body)["error"]["path"] == "$.policy",
          "a policy given as a path is refused at $.policy")

    # --- 200 concurrent grants ---
    rss0 = rss_kb(proc.pid)

    def one(i):
        c = cases[i % len(cases)]
        try:
            st, h, body = post_json(port, "/api/grant.json?name=" + c, bodies[c], timeout=120)
        except (OSError, http.client.HTTPException) as e:
            return c, repr(e), b""
        return c, st, body

    for rnd in range(2):
        with concurrent.futures.ThreadPoolExecutor(max_workers=200) as ex:
            res = list(ex.map(one, range(200)))
        bad = [(c, st) for c, st, body in res if st != 200 or body != expected[c]]
        check(not bad, "round %d: 200 concurrent grants equal the CLI's (%d differ: %s)"
              % (rnd, len(bad), bad[:3]))
        if rnd == 0:
            rss1 = rss_kb(proc.pid)
    rss2 = rss_kb(proc.pid)
    print("VmRSS: start %d kB, after 200 concurrent %d kB, after 400 %d kB" % (rss0, rss1, rss2))
    check(not MEASURE_RSS or rss1 < 200 * 1024, "RSS under 200 MB after 200 concurrent grants (%d kB)" % rss1)
    check(not MEASURE_RSS or rss2 - rss1 < 16 * 1024, "a second round of 200 grows RSS by < 16 MB (%d kB)"
          % (rss2 - rss1))

    # --- malformed HTTP ---
    for what, data in (("garbage", b"HELLO THERE\r\n\r\n"),
                       ("no version", b"GET /\r\n\r\n"),
                       ("bad header line", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nNoColonHere\r\n\r\n"),
                       ("bad content-length",
                        b"POST /api/grant HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                        b"Content-Type: application/json\r\nContent-Length: abc\r\n\r\n" % port),
                       ("HTTP/1.1 without Host", b"GET / HTTP/1.1\r\n\r\n")):
        resp = raw(port, data)
        check(400 <= status_of(resp) < 500, "malformed HTTP (%s) is a 4xx (%r)" % (what, resp[:60]))
    check(alive(port), "serving after malformed HTTP")
    st, h, body = request(port, "DELETE", "/api/grant")
    check(st == 405, "DELETE is 405")
    st, h, body = request(port, "POST", "/api/grant", b"{}", {"Content-Type": "text/plain"})
    check(st == 415, "a grant that is not application/json is 415")

    # --- 10 MB bodies ---
    # the answer comes on the headers, before the body is sent (the server
    # then closes: a client still sending would see its answer cut by a reset)
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"POST /api/grant HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
              b"Content-Length: %d\r\n\r\n" % (port, 10 * 1024 * 1024))
    resp = s.recv(65536)
    try:
        for _ in range(10):
            s.sendall(b"x" * (1 << 20))
    except (BrokenPipeError, ConnectionResetError):
        pass
    s.close()
    check(status_of(resp) == 413 and b"8 MB" in resp, "a 10 MB body is 413 (%r)" % resp[:40])
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"POST /api/grant HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n" % port)
    resp = b""
    try:
        chunk = b"%x\r\n" % (1 << 20) + b"y" * (1 << 20) + b"\r\n"
        for _ in range(10):
            s.sendall(chunk)
        s.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            resp += d
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    check(status_of(resp) == 413, "a 10 MB chunked body is 413 (%r)" % resp[:40])
    check(alive(port), "serving after 10 MB bodies")

    # --- slow clients ---
    t0 = time.monotonic()
    resp = raw(port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", wait=TIMEOUT + 5)
    dt = time.monotonic() - t0
    check(dt < TIMEOUT + 4 and (resp == b"" or status_of(resp) == 408),
          "headers never finished: closed after the timeout (%.1fs, %r)" % (dt, resp[:40]))
    s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT + 5)
    s.sendall(b"POST /api/grant HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
              b"Content-Length: 100\r\n\r\n" % port)
    t0, resp = time.monotonic(), b""
    try:
        for _ in range(int(TIMEOUT * 2 / 0.5) + 4):  # a byte each half second: never idle
            s.sendall(b" ")
            time.sleep(0.5)
            if time.monotonic() - t0 > TIMEOUT + 3:
                break
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        pass
    try:
        resp += s.recv(65536)
    except (OSError, socket.timeout):
        pass
    s.close()
    dt = time.monotonic() - t0
    check((resp == b"" or status_of(resp) == 408) and TIMEOUT <= dt < TIMEOUT + 3,
          "a body trickling in is cut at the time limit (%.1fs, %r)" % (dt, resp[:40]))
    check(alive(port), "serving after slow clients")

    # --- paths ---
    for p in ("/../etc/passwd", "/%2e%2e/etc/passwd", "/web/../index.html", "/..%2f..%2fetc/passwd",
              "/index.html/..", "/nope", "/api/nope", "/.git/config"):
        resp = raw(port, b"GET " + p.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                   b"Connection: close\r\n\r\n" % port)
        check(status_of(resp) == 404 and b"root:" not in resp, "GET %s is 404 (%r)" % (p, resp[:40]))
    for p in ("/", "/account", "/index.html", "/app.js", "/style.css"):
        st, h, body = request(port, "GET", p)
        check(st == 200, "GET %s is 200" % p)
        check("default-src 'self'" in h.get("content-security-policy", "")
              and "unsafe-inline" not in h.get("content-security-policy", "")
              and h.get("x-content-type-options") == "nosniff", "%s has CSP and nosniff" % p)

    # --- Origin and Host ---
    ok = bodies["alb-2025-full-year.json"]
    st, h, body = post_json(port, "/api/grant", ok, {"Origin": "http://evil.example"})
    check(st == 403, "a foreign Origin is 403")
    check("default-src 'self'" in h.get("content-security-policy", ""), "403 has the CSP too")
    st, h, body = post_json(port, "/api/grant", ok, {"Origin": "null"})
    check(st == 403, "Origin null is 403")
    st, h, body = post_json(port, "/api/grant", ok, {"Origin": "http://127.0.0.1:%d" % port})
    check(st == 200, "our own Origin is 200")
    st, h, body = request(port, "GET", "/api/policies", headers={"Host": "evil.example"})
    check(st == 403, "a foreign Host (DNS rebinding) is 403, GET too")
    st, h, body = post_json(port, "/api/grant", ok, {"Sec-Fetch-Site": "cross-site"})
    check(st == 403, "Sec-Fetch-Site: cross-site is 403")

    # --- hostile uploads ---
    case = read(os.path.join(FIX, "cases", "alb-2025-full-year.json"))
    usage = read(os.path.join(FIX, "usage", "alb-2025-full-year.json"))
    marker = "bpa-web-test-%d" % os.getpid()
    for what, name in (("../../x", b"../../" + marker.encode()),
                       ("absolute", b"/tmp/" + marker.encode()),
                       ("NUL", b"alb-2025-full-year.csv\x00/../../" + marker.encode()),
                       ("backslash", b"..\\..\\" + marker.encode()),
                       ("dot file", b".bashrc"),
                       ("line break", b"a\r\nX-Evil: 1"),
                       # libmicrohttpd reads a header line as a C string: a NUL
                       # after the closing quote would go unseen there
                       ("NUL after the quote", b'alb-2025-full-year.csv"\x00; x="1'),
                       ("lone LF", b"a\nb.csv"),
                       ("control byte", b"a\x01b.csv")):
        body, ct = multipart([("case", b"c.json", case), ("usage", b"u.json", usage),
                              ("timesheets", name, b"helper,date,start,end,kind\n")])
        st, h, got = request(port, "POST", "/api/settle", body, {"Content-Type": ct})
        check(st == 400 and b"name" in got, "an upload named %s is 400 (%s %r)" % (what, st, got[:120]))
    check(not os.path.exists("/tmp/" + marker) and not os.path.exists(os.path.join(ROOT, marker)),
          "no hostile name became a file")
    # an empty part whose file name a line break cut: the library sees no file name
    body, ct = multipart([("case", b"c.json", case), ("usage", b"u.json", usage),
                          ("timesheets", b"a\r\nX-Evil: 1", b"")])
    st, h, got = request(port, "POST", "/api/settle", body, {"Content-Type": ct})
    check(st == 400 and b"name" in got, "an empty upload with a line break in its name is 400 (%s)" % st)
    body, ct = multipart([("case", b"c.json", case)] + [("lang", None, b"da")] * 15)
    st, h, got = request(port, "POST", "/api/settle", body, {"Content-Type": ct})
    check(st == 400 and b"usage" in got, "16 parts are taken (%s %r)" % (st, got[:80]))
    body, ct = multipart([("case", b"c.json", case)] + [("lang", None, b"da")] * 16)
    st, h, got = request(port, "POST", "/api/settle", body, {"Content-Type": ct})
    check(st == 413 and b"at most 16" in got, "17 parts are 413 (%s)" % st)
    for what, ctype in (("a lone quote", 'multipart/form-data; boundary="'),
                        ("no boundary", "multipart/form-data")):
        st, h, got = request(port, "POST", "/api/settle", body, {"Content-Type": ctype})
        check(st == 400 and b"boundary" in got, "a boundary that is %s is 400 (%s)" % (what, st))
    st, h, got = request(port, "POST", "/api/settle", b"hello\r\n" + body, {"Content-Type": ct})
    check(st == 400, "a body with text before its first boundary is 400 (%s)" % st)
    st, h, got = request(port, "POST", "/api/settle", body[:-30], {"Content-Type": ct})
    check(st == 400 and b"closing boundary" in got, "a body cut before its closing boundary is 400 (%s)" % st)
    body, ct = multipart([("case", b"c.json", case)] + [("timesheets", b"t%d.csv" % i, b"")
                                                        for i in range(40)])
    st, h, got = request(port, "POST", "/api/settle", body, {"Content-Type": ct})
    check(st == 413 and b"at most" in got, "40 uploads in one request is 413 (%s)" % st)
    st, h, got = request(port, "POST", "/api/settle", b"--x\r\nbroken", {"Content-Type": "multipart/form-data; boundary=x"})
    check(st == 400, "a broken multipart body is 400")
    st, h, got = post_json(port, "/api/grant?name=../../etc/passwd", ok)
    check(st == 400, "a name with a path is 400")
    check(alive(port), "serving after hostile uploads")
    rss3 = rss_kb(proc.pid)
    print("VmRSS at the end: %d kB" % rss3)
    check(not MEASURE_RSS or rss3 < 200 * 1024, "RSS under 200 MB at the end (%d kB)" % rss3)


if __name__ == "__main__":
    sys.exit(main())
