#!/usr/bin/env python3
"""The web form of `bpa serve` in headless Chromium (Debian chromium,
chromium-driver, python3-selenium), as a case worker uses it.

Usage: BPA=build/bpa /usr/bin/python3 tests/web/browser.py

- Danish: the fields of fixtures/cases/alb-2025-full-year.json typed in one
  by one; the months, due dates and totals on the page are bpa grant's for
  the fixture; the downloaded case file is the fixture (as JSON); the
  downloaded workbook is byte for byte what bpa grant -o makes of that case
  file; a negative hour figure shows the engine's message beside its field.
- Swedish: the same for fixtures/cases/se-ore-2025-efterskott.json, a wrong
  date beside its field.
- English: fixtures/cases/alb-2025-trips.json loaded with the load button,
  the figures and workbook checked, a bad trip field beside the field.
- The account page: case, usage and timesheet uploaded, the summary is
  bpa settle's, the account workbook is the CLI's.
Screenshots of every page: build/web-screenshots/*.png.
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BPA = os.environ.get("BPA", os.path.join(ROOT, "build", "bpa")).split()
FIX = os.path.join(ROOT, "fixtures")
SHOTS = os.path.join(ROOT, "build", "web-screenshots")

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what, flush=True)


def cli(*args):
    return subprocess.run(BPA + list(args), capture_output=True, check=True).stdout


def grant_json(case):
    return json.loads(cli("grant", case, "--json", "-"))


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Page:
    def __init__(self, driver, port, downloads):
        self.d, self.port, self.downloads = driver, port, downloads

    def open(self, path, lang):
        self.d.get("http://127.0.0.1:%d%s" % (self.port, path))
        self.wait(lambda: self.d.execute_script("return document.readyState") == "complete")
        Select(self.css("#lang")).select_by_value(lang)

    def css(self, sel):
        return self.d.find_element(By.CSS_SELECTOR, sel)

    def at(self, path):
        return self.css('[data-path="%s"]' % path)

    def wait(self, cond, timeout=15, what="condition"):
        end = time.time() + timeout
        while time.time() < end:
            try:
                if cond():
                    return True
            except Exception:  # an element still being built
                pass
            time.sleep(0.1)
        print("timed out waiting for", what)
        return False

    def fill(self, path, value):
        e = self.at(path)
        if e.tag_name == "select":
            Select(e).select_by_value(value)
        elif e.get_attribute("type") == "checkbox":
            if e.is_selected() != bool(value):
                e.click()
        else:
            e.clear()
            e.send_keys(str(value))

    def settled(self):
        """Wait for the debounced grant to be computed and shown."""
        time.sleep(0.4)
        return self.wait(lambda: self.d.execute_script("return document.body.dataset.busy") == "0",
                         what="the grant")

    def state(self):
        return self.d.execute_script("return document.body.dataset.state")

    def err_beside(self, path):
        e = self.at(path)
        return e.find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, ".err").text

    def shot(self, name):
        """The whole page (the window made as tall as the page, then back)."""
        h = self.d.execute_script("return document.documentElement.scrollHeight")
        self.d.set_window_size(1400, min(max(h + 140, 900), 5000))
        time.sleep(0.2)
        self.d.save_screenshot(os.path.join(SHOTS, name + ".png"))
        self.d.set_window_size(1400, 1600)

    def download(self, button, suffix):
        for f in os.listdir(self.downloads):
            os.remove(os.path.join(self.downloads, f))
        self.css(button).click()
        found = []
        self.wait(lambda: found.extend(f for f in glob.glob(os.path.join(self.downloads, "*" + suffix)))
                  or found, what="a download " + suffix)
        if not found:
            return None, None
        time.sleep(0.3)
        return found[0], read(found[0])

    def table(self, sel):
        rows = self.d.find_elements(By.CSS_SELECTOR, sel + " tbody tr")
        return [[td.text for td in r.find_elements(By.TAG_NAME, "td")] for r in rows]


def plain(num, lang):
    """A number as the page shows it back to the JSON's decimal string."""
    if lang == "da":
        return num.replace(".", "").replace(",", ".")
    if lang == "sv":
        return num.replace(" ", "").replace("\u00a0", "").replace(",", ".")
    return num.replace(",", "")


def iso(date, lang):
    if lang == "da" and date:
        d, m, y = date.split(".")
        return "%s-%s-%s" % (y, m, d)
    return date


def check_dk_figures(p, want, lang, what):
    rows = p.table("#months")
    check(len(rows) == len(want["months"]), "%s: %d months on the page" % (what, len(rows)))
    for row, m in zip(rows, want["months"]):
        check(row[0] == m["month"] and plain(row[2], lang) == m["wages"]
              and plain(row[3], lang) == m["recipient_amount"]
              and iso(row[4], lang) == (m["due_date"] or "")
              and plain(row[5], lang) == m["allowance"]
              and iso(row[6], lang) == (m["allowance_due_date"] or ""),
              "%s: month %s on the page is bpa grant's (%s)" % (what, m["month"], row))
    tot = p.table("#totals")[0]
    check(plain(tot[4], lang) == want["totals"]["grant"], "%s: grant total %s = %s"
          % (what, tot[4], want["totals"]["grant"]))
    rates = p.table("#rates")
    check([plain(r[3], lang) for r in rates] == [r["hourly"] for r in want["rates"]],
          "%s: the hourly rates are bpa grant's" % what)


def check_se_figures(p, want, lang, what):
    rows = p.table("#months")
    months = [m for per in want["periods"] for m in per["months"]]
    check(len(rows) == len(months), "%s: %d months on the page" % (what, len(rows)))
    for row, m in zip(rows, months):
        check(row[0] == m["month"] and plain(row[6], lang) == m["amount"]
              and plain(row[5], lang) == m["rate"] and row[7] == m["rakning_due"],
              "%s: month %s on the page is bpa grant's (%s)" % (what, m["month"], row))
    tot = p.table("#totals")[0]
    check(plain(tot[1], lang) == want["totals"]["amount"], "%s: total %s" % (what, tot[1]))


def downloads_match_cli(p, fixture, lang, what):
    """The downloaded case file is the fixture; the page's workbook is the
    CLI's for that downloaded file, byte for byte."""
    path, data = p.download("#dl-case", ".json")
    check(data is not None and json.loads(data) == json.loads(read(fixture)),
          "%s: the downloaded case file is %s" % (what, os.path.basename(fixture)))
    if data is None:
        return
    case = os.path.join(p.downloads, "..", os.path.basename(path))
    shutil.copy(path, case)
    _, xlsx = p.download("#dl-xlsx", ".xlsx")
    out = case + ".cli.xlsx"
    cli("grant", case, "-o", out, "--lang", lang)
    check(xlsx is not None and xlsx == read(out),
          "%s: the downloaded workbook is bpa grant -o's byte for byte" % what)
    _, js = p.download("#dl-json", ".grant.json")
    check(js == cli("grant", case, "--json", "-"), "%s: the downloaded JSON is bpa grant --json -'s" % what)


def danish(p):
    fixture = os.path.join(FIX, "cases", "alb-2025-full-year.json")
    p.open("/", "da")
    p.fill("$.scheme", "dk-sel-96")
    p.fill("$.policy", "albertslund")
    p.fill("$.case", "ALB-2025-0001")
    p.fill("$.year", "2025")
    p.fill("$.employer", "citizen")
    p.fill("$.helpers", "4")
    p.fill("$.decisions[0].from", "2025-01-01")
    p.fill("$.decisions[0].to", "2025-12-31")
    p.fill("$.decisions[0].allowance_monthly", "1000")
    p.fill("$.decisions[0].hours[0].kind", "work")
    p.fill("$.decisions[0].hours[0].band", "day")
    p.fill("$.decisions[0].hours[0].step", "11")
    p.fill("$.decisions[0].hours[0].per_week", "37")
    p.css(".decision .add-line").click()
    p.fill("$.decisions[0].hours[1].kind", "work")
    p.fill("$.decisions[0].hours[1].band", "evening")
    p.fill("$.decisions[0].hours[1].step", "11")
    p.fill("$.decisions[0].hours[1].per_week", "10")
    check(p.settled() and p.state() == "ok", "da: the typed case computes")
    # hints: each field's title is its description in schemas/bpa-case.schema.json
    schema = json.loads(read(os.path.join(ROOT, "schemas", "bpa-case.schema.json")))
    for path, want in (("$.year", schema["properties"]["year"]["description"]),
                       ("$.decisions[0].from", schema["$defs"]["decision"]["properties"]["from"]["description"]),
                       ("$.decisions[0].hours[1].step", None), ("$.decisions[0].hours[1].per_week", None)):
        got = p.at(path).get_attribute("title")
        check(got and (want is None or got == want), "da: the hint of %s is the schema's (%r)" % (path, got))
    p.shot("grant-da")
    check_dk_figures(p, grant_json(fixture), "da", "da")
    check("Tilskud i alt" in p.css("#summary").text, "da: the summary is Danish")
    downloads_match_cli(p, fixture, "da", "da")
    # a wrong field: the engine's message beside it
    p.fill("$.decisions[0].hours[1].per_week", "-10")
    p.settled()
    msg = p.err_beside("$.decisions[0].hours[1].per_week")
    check(p.state() == "error" and msg and "negative" in msg,
          "da: a negative per_week shows the engine's message beside the field (%r)" % msg)
    check(p.at("$.decisions[0].hours[1].per_week").get_attribute("aria-invalid") == "true",
          "da: the wrong field is marked")
    p.shot("grant-da-error")
    p.fill("$.decisions[0].hours[1].per_week", "10")
    check(p.settled() and p.state() == "ok" and not p.err_beside("$.decisions[0].hours[1].per_week"),
          "da: corrected, the error is gone")


def danish_94(p):
    fixture = os.path.join(FIX, "cases", "her-2025-94-hourly.json")
    p.open("/", "da")
    p.css("#load-case").send_keys(fixture)
    check(p.settled() and p.state() == "ok", "da 94: the loaded case computes")
    check(p.at("$.decisions[0].hours[0].task").get_attribute("value") == "practical"
          and p.at("$.decisions[0].hours[0].task").is_displayed()
          and not p.at("$.decisions[0].hours[0].step").is_displayed(),
          "da 94: an hour line has a task, no pay step")
    check_dk_figures(p, grant_json(fixture), "da", "da 94")
    path, data = p.download("#dl-case", ".json")
    check(data is not None and json.loads(data) == json.loads(read(fixture)),
          "da 94: the case file downloaded is the one loaded")
    p.shot("grant-da-94")


def swedish(p):
    fixture = os.path.join(FIX, "cases", "se-ore-2025-efterskott.json")
    p.open("/", "sv")
    p.fill("$.scheme", "se-sfb-51")
    p.fill("$.policy", "fk-arbetstid")
    p.fill("$.case", "ORE-2025-0007")
    p.fill("$.year", "2025")
    for i, (a, b, aktiv) in enumerate((("2025-07-01", "2025-12-31", "84"),
                                       ("2026-01-01", "2026-06-30", "87.5"))):
        p.css("#add-period").click()
        base = "$.periods[%d]" % i
        p.fill(base + ".from", a)
        p.fill(base + ".to", b)
        p.fill(base + ".payment", "efterskott")
        p.fill(base + ".per_week", aktiv)
        p.fill(base + ".vantetid_per_week", "14")
    check(p.settled() and p.state() == "ok", "sv: the typed case computes")
    p.shot("grant-sv")
    check_se_figures(p, grant_json(fixture), "sv", "sv")
    check("Beviljandeperiod" in p.css("#summary").text, "sv: the summary is Swedish")
    downloads_match_cli(p, fixture, "sv", "sv")
    p.fill("$.periods[1].to", "2026-13-01")
    p.settled()
    msg = p.err_beside("$.periods[1].to")
    check(p.state() == "error" and "2026-13-01" in msg,
          "sv: an impossible date shows the engine's message beside the field (%r)" % msg)
    p.shot("grant-sv-error")


def swedish_lss(p):
    fixture = os.path.join(FIX, "cases", "se-kum-2024-lss.json")
    p.open("/", "sv")
    p.css("#load-case").send_keys(fixture)
    check(p.settled() and p.state() == "ok", "sv lss: the loaded case computes")
    check(p.at("$.periods[0].tier").get_attribute("value") == "b", "sv lss: the tier is filled in")
    check_se_figures(p, grant_json(fixture), "sv", "sv lss")
    p.fill("$.periods[0].tier", "x")
    p.settled()
    msg = p.err_beside("$.periods[0].tier")
    check(p.state() == "error" and msg, "sv lss: an unknown tier shows its error beside the field (%r)" % msg)
    p.shot("grant-sv-lss-error")


def english(p):
    fixture = os.path.join(FIX, "cases", "alb-2025-trips.json")
    p.open("/", "en")
    p.css("#load-case").send_keys(fixture)
    check(p.settled() and p.state() == "ok", "en: the loaded case computes")
    check(p.at("$.trips[1].band").get_attribute("value") == "saturday",
          "en: the loaded case fills the trip fields")
    p.shot("grant-en")
    check_dk_figures(p, grant_json(fixture), "en", "en")
    check("Grant" in p.css("#summary").text or "grant" in p.css("#summary").text,
          "en: the summary is English")
    downloads_match_cli(p, fixture, "en", "en")
    # above the policy's cap: an error beside the allowance, until an override gives a reason
    p.fill("$.decisions[0].allowance_monthly", "2000")
    p.settled()
    msg = p.err_beside("$.decisions[0].allowance_monthly")
    check(p.state() == "error" and "allowance.monthly_cap.96" in msg,
          "en: an allowance above the cap shows the engine's message beside it (%r)" % msg)
    p.shot("grant-en-cap-error")
    p.css("#add-override").click()
    p.fill("$.overrides[0].rule", "allowance_cap")
    p.fill("$.overrides[0].reason", "decision 2025-117: documented extra costs")
    check(p.settled() and p.state() == "ok", "en: with an override the case computes")
    summary = p.css("#summary").text
    check("decision 2025-117: documented extra costs" in summary, "en: the override's reason is in the summary")
    path, data = p.download("#dl-case", ".json")
    want = dict(json.loads(read(fixture)))
    want["decisions"][0]["allowance_monthly"] = "2000"
    want["overrides"] = [{"rule": "allowance_cap", "reason": "decision 2025-117: documented extra costs"}]
    check(data is not None and json.loads(data) == want, "en: the case file has the override")
    if data is not None:
        check_dk_figures(p, grant_json(path), "en", "en, override")
        check(all(r[5] == "2,000.00" for r in p.table("#months")), "en: allowance 2,000.00 a month")
    p.shot("grant-en-override")
    p.fill("$.trips[0].extra_hours_per_day", "30")
    p.settled()
    msg = p.err_beside("$.trips[0].extra_hours_per_day")
    check(p.state() == "error" and msg, "en: a trip of 30 hours a day shows its error beside the field (%r)"
          % msg)
    p.shot("grant-en-error")


def account(p):
    c = os.path.join(FIX, "cases", "alb-2025-full-year.json")
    u = os.path.join(FIX, "usage", "alb-2025-full-year.json")
    ts = os.path.join(FIX, "timesheets", "alb-2025-full-year.csv")
    p.open("/account", "da")
    p.css("#acc-case").send_keys(c)
    p.css("#acc-usage").send_keys(u)
    p.css("#acc-ts").send_keys(ts)
    p.css("#acc-run").click()
    want = cli("settle", c, u).decode()
    check(p.wait(lambda: p.css("#acc-summary").text.strip() == want.strip(), what="the account"),
          "account: the summary on the page is bpa settle's")
    p.shot("account-da")
    for f in os.listdir(p.downloads):
        os.remove(os.path.join(p.downloads, f))
    _, xlsx = p.download("#acc-xlsx", ".xlsx")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "a.xlsx")
        cli("settle", c, u, "-o", out)
        check(xlsx is not None and xlsx == read(out), "account: the workbook is bpa settle -o's")
    # Swedish, with a CSV and an .xlsx time report
    c = os.path.join(FIX, "cases", "se-ore-2025-efterskott.json")
    u = os.path.join(FIX, "usage", "se-ore-2025-efterskott.json")
    ts = [os.path.join(FIX, "timesheets", n) for n in ("se-ore-2025-hosten.csv", "se-ore-2026-var.xlsx")]
    p.open("/account", "sv")
    p.css("#acc-case").send_keys(c)
    p.css("#acc-usage").send_keys(u)
    p.css("#acc-ts").send_keys("\n".join(ts))
    p.css("#acc-run").click()
    want = cli("settle", c, u).decode()
    check(p.wait(lambda: p.css("#acc-summary").text.strip() == want.strip(), what="the avräkning"),
          "account sv: the summary on the page is bpa settle's (avräkning)")
    p.shot("account-sv")
    _, xlsx = p.download("#acc-xlsx", ".xlsx")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "a.xlsx")
        cli("settle", c, u, "-o", out)
        check(xlsx is not None and xlsx == read(out), "account sv: the avräkning workbook is bpa settle -o's")
    # a timesheet left out: the engine's place and the server's words
    p.open("/account", "en")
    p.css("#acc-case").send_keys(c)
    p.css("#acc-usage").send_keys(u)
    p.css("#acc-ts").send_keys(ts[0])
    p.css("#acc-run").click()
    check(p.wait(lambda: "se-ore-2026-var.xlsx was not uploaded" in p.css("#acc-error").text, what="the error"),
          "account: a timesheet not uploaded is named on the page")
    p.shot("account-en-error")


def verify(p):
    """The auditors' page in Swedish: a shipped account with one figure changed
    shows that one difference; the JSON download is bpa verify --json -'s."""
    c = os.path.join(FIX, "cases", "se-ore-2025-efterskott.json")
    u = os.path.join(FIX, "usage", "se-ore-2025-efterskott.json")
    ts = [os.path.join(FIX, "timesheets", t) for t in ("se-ore-2025-hosten.csv", "se-ore-2026-var.xlsx")]
    acc = json.loads(read(os.path.join(ROOT, "reports", "se-ore-2025-efterskott.account.json")))
    was = acc["balance"]
    # one cent more on the shipped balance, worked out here in whole cents
    cents = int(was.replace("-", "").replace(".", "")) + 1
    new = ("-" if was.startswith("-") else "") + "%d.%02d" % (cents // 100, cents % 100)
    acc["balance"] = new
    with tempfile.TemporaryDirectory() as tmp:
        a = os.path.join(tmp, "changed.account.json")
        with open(a, "w") as f:
            json.dump(acc, f, indent=2)
        p.open("/verify", "sv")
        p.css("#ver-case").send_keys(c)
        p.css("#ver-usage").send_keys(u)
        p.css("#ver-ts").send_keys("\n".join(ts))
        p.css("#ver-account").send_keys(a)
        p.css("#ver-run").click()
        check(p.wait(lambda: p.state() == "differ", what="the differences"), "verify sv: the differences are shown")
        rows = p.table("#ver-table table")
        shown = [[r[0], plain(r[1], "sv"), plain(r[2], "sv"), r[3]] for r in rows if len(r) == 4]
        check(len(rows) == 1 and shown == [["balance", was, new, "$.balance"]],
              "verify sv: the one row is the balance, %s against %s (%r)" % (was, new, rows))
        check("avvikelse" in p.css("#ver-verdict").text, "verify sv: the verdict is in Swedish")
        check("Granska" == p.css("#ver-run").text, "verify sv: the button is in Swedish")
        p.shot("verify-sv")
        want = subprocess.run(BPA + ["verify", c, u, a, "--policy-dir", os.path.join(FIX, "policies"),
                                     "--json", "-"], capture_output=True).stdout
        _, data = p.download("#ver-json", ".json")
        check(data is not None and data == want, "verify sv: the JSON download is bpa verify --json -'s")
        out = os.path.join(tmp, "d.xlsx")
        subprocess.run(BPA + ["verify", c, u, a, "--policy-dir", os.path.join(FIX, "policies"),
                              "-o", out, "--lang", "sv"], capture_output=True)
        _, xlsx = p.download("#ver-xlsx", ".xlsx")
        check(xlsx is not None and xlsx == read(out), "verify sv: the difference workbook is bpa verify -o's")


def main():
    os.makedirs(SHOTS, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="bpa-web-browser-")
    downloads = os.path.join(tmp, "downloads")
    os.makedirs(downloads)
    srv = subprocess.Popen(BPA + ["serve", "--port", "0", "--policy-dir", os.path.join(FIX, "policies")],
                           stdout=subprocess.PIPE, text=True)
    line = srv.stdout.readline()
    port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
    o = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1600",
              "--disable-dev-shm-usage"):
        o.add_argument(a)
    o.add_experimental_option("prefs", {"download.default_directory": downloads,
                                        "download.prompt_for_download": False})
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    try:
        p = Page(d, port, downloads)
        for part in (danish, danish_94, swedish, swedish_lss, english, account, verify):
            try:
                part(p)
            except Exception as e:  # one part's failure is counted, the others still run
                check(False, "%s raised %r" % (part.__name__, e))
                p.shot(part.__name__ + "-exception")
        logs = d.get_log("browser")
        csp = [l for l in logs if "Content Security Policy" in l.get("message", "")]
        check(not csp, "no Content-Security-Policy violation in the console (%s)" % csp[:2])
    finally:
        d.quit()
        srv.send_signal(signal.SIGTERM)
        srv.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
    print("screenshots:", ", ".join(sorted(os.listdir(SHOTS))))
    print("browser: %d passed, %d failed" % (passed, failed))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
