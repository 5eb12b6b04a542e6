#!/usr/bin/python3
"""The JSON Schemas of schemas/ against the fixtures and the bad-input suite.

Usage: /usr/bin/python3 tests/schema/check.py   (from tests/schema/run.sh)

Debian's python3-jsonschema, draft 2020-12, "format" as an annotation (as the
draft says by default): a date's pattern rejects 2025-13-01, the engine alone
2025-02-29. JSON numbers are read as Decimal, so that 37.5 and 3.7e1 are not
integers (as for the loaders; a validator that reads numbers as binary
floats takes 37.0 for an integer, where bpa says to write "37").

0. Every property has a description (its own or its definition's).
1. Every fixture validates: fixtures/cases, fixtures/policies, fixtures/usage
   (Danish or Swedish by the case of the same name), and tests/schema/good/.
2. Every tests/bad/ input is in exactly one of SCHEMA (the schema rejects the
   file the expected message names, and accepts the test's other inputs),
   NOT_SCHEMA (a reason; every input that is JSON at all is accepted: the
   schema does not overreach) or VALID (the engine accepts it; so must the
   schema). tests/schema/bad/ holds rejected inputs of its own (claims).
3. With BPA set, a differential test: decimals, amounts, factors, dates,
   days of the year, clock times and months,
   each put in turn into a fixture, are accepted by the schema exactly when
   bpa accepts them, but for the KNOWN_GAPS (each with its reason).
"""
import decimal
import json
import os
import pathlib
import sys

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
HERE = ROOT / "tests" / "schema"

# ---- the classification of tests/bad/ ------------------------------------------
# What the schema catches.
SCHEMA = {
    "011-type-string-for-year": "year is an integer",
    "012-type-number-for-case-id": "case is a string",
    "013-type-object-for-decisions": "decisions is an array",
    "014-type-bool-for-employer": "employer is an enum of strings",
    "015-type-string-for-step": "step is an integer",
    "016-type-array-for-per-week": "a decimal is a string or an integer",
    "017-type-string-for-used": "used is an array",
    "018-type-policy-schemes-string": "schemes is an array",
    "019-type-policy-bool-as-string": "on_call.supplements is a boolean",
    "020-fraction-per-week": "a JSON number in a decimal field is whole",
    "021-fraction-allowance": "a JSON number in a decimal field is whole",
    "022-fraction-payment-amount": "a JSON number in an amount is whole",
    "023-fraction-policy-value": "a JSON number in a decimal field is whole",
    "024-exponent-per-week": "an exponent is not a whole number",
    "025-unknown-key-case-root": "additionalProperties: false",
    "026-unknown-key-decision": "additionalProperties: false",
    "027-unknown-key-line": "additionalProperties: false",
    "028-unknown-key-trip": "additionalProperties: false",
    "029-unknown-key-usage-root": "additionalProperties: false",
    "030-unknown-key-used-row": "additionalProperties: false",
    "031-unknown-key-policy-entry": "additionalProperties: false",
    "032-unknown-key-policy-root": "additionalProperties: false",
    "033-missing-format": "required",
    "034-missing-case-id": "required",
    "035-missing-year": "required",
    "036-missing-decisions": "a Danish case requires decisions",
    "037-missing-hours": "required",
    "038-missing-kind": "required",
    "039-missing-step": "a §95/§96 line requires step",
    "040-missing-from": "required",
    "041-missing-to": "required",
    "042-missing-policy": "required",
    "043-missing-per-week-and-total": "oneOf per_week, total",
    "044-both-per-week-and-total": "oneOf per_week, total",
    "045-missing-policy-ref": "required",
    "046-missing-policy-value": "required",
    "047-missing-usage-year": "a Danish usage file requires year",
    "049-date-month-13": "the date pattern's months are 01-12",
    "050-date-april-31": "the date pattern knows the 30-day months",
    "051-date-unpadded": "the date pattern has two-digit months and days",
    "052-date-policy-entry": "the date pattern has no February 30",
    "053-date-used-month": "the month pattern's months are 01-12",
    "060-negative-per-week": "a decimal has no sign",
    "061-negative-total": "a decimal has no sign",
    "062-negative-allowance": "a decimal has no sign",
    "063-negative-invoice": "an amount other than a payment has no sign",
    "064-negative-carry-in-value": "an amount other than a payment has no sign",
    "065-negative-actual-wage-costs": "an amount other than a payment has no sign",
    "066-negative-used-hours": "a decimal has no sign",
    "067-negative-policy-wage": "a decimal has no sign",
    "079-override-without-reason": "a reason has a character other than white space",
    "080-override-unknown-rule": "enum",
    "081-trip-extra-hours-over-24": "extra_hours_per_day is at most 24",
    "107-number-20-digits-json": "a whole number has at most 15 digits",
    "108-number-20-digits-string": "a decimal has at most 15 digits",
    "109-number-20-digits-step": "step is at most 9999",
    "110-number-20-digits-year": "year is at most 2999",
    "111-number-20-digits-payment": "an amount has at most 15 digits",
    "112-decimal-7-places": "a decimal has at most 6 decimals",
    "113-decimal-comma": "the decimal pattern has a point",
    "114-decimal-plus-sign": "a decimal has no sign",
    "115-fraction-in-money-field": "only factors may be fractions",
    "116-fraction-zero-denominator": "a fraction's denominator is above zero",
    "138-output-kept-on-input-error": "a decimal has no sign (the test is about the output kept)",
    "139-output-kept-on-settle-error": "enum (payments[].for)",
    "140-output-not-created-on-error": "year is at least 1900",
    "141-policy-unknown-parameter": "params: additionalProperties: false",
    "145-policy-value-wrong-shape": "a supplement is an object",
    "146-policy-enum-value-unknown": "enum",
    "147-policy-swedish-parameter-in-dk": "a DK policy has no se.* parameter",
    "151-policy-country-not-fitting": "an SE policy's schemes are se-*",
    "152-policy-wrong-format": "format is a const",
    "153-policy-step-leading-zero": "the wage.hourly.<step> pattern has no leading zero",
    "155-policy-band-precedence-twice": "band.precedence: uniqueItems",
    "156-policy-norm-hours-zero": "norm_hours is above zero",
    "157-policy-index-zero": "an index value is above zero",
    "158-transferred-without-transferred-to": "employer transferred requires transferred_to (§95/§96)",
    "159-transferred-to-with-citizen": "transferred_to requires employer transferred",
    "160-trips-in-section-94": "a §94 case has no trips",
    "161-educated-on-section-96": "educated is §94's",
    "163-step-in-section-94": "a §94 line has task, not step",
    "166-unknown-scheme": "enum",
    "167-unknown-employer": "enum",
    "168-helpers-zero": "helpers is at least 1",
    "169-trip-days-zero": "days is at least 1",
    "170-work-line-without-band": "a work line requires band",
    "171-case-wrong-format": "format is a const",
    "172-allowance-in-section-94": "a §94 decision has no allowance_monthly",
    "173-no-decisions": "decisions: minItems 1",
    "178-usage-used-missing-hours": "required",
    "191-usage-payment-3-decimals": "an amount has at most 2 decimals",
    "193-usage-payment-unknown-for": "enum",
    "194-usage-invoice-for-grant": "enum",
    "195-usage-wrong-format": "format is a const",
    "196-usage-missing-case": "required",
    "198-usage-actual-costs-3-decimals": "an amount has at most 2 decimals",
    "201-json-nul-escape": "bpa's reader refuses the escaped NUL; the schema, the value: no employer",
    "202-json-lone-surrogate": "bpa's reader refuses the lone surrogate; the schema, the value: no employer",
    "204-se-case-with-employer": "a Swedish case has no employer",
    "206-se-lss-with-rate": "an se-lss-9-2 period has no rate",
    "207-dk-case-with-periods": "a Danish case has no periods",
    "208-se-lss-without-tier": "an se-lss-9-2 period requires tier",
    "209-se-period-without-hours": "oneOf per_week, total",
}

JSON_SYNTAX = "not JSON at all: the parser's matter, before any schema"
CROSS_FIELD = "compares two values of one file: beyond a schema"
NOT_SCHEMA = {
    "001-json-missing-comma": JSON_SYNTAX,
    "002-json-trailing-comma": JSON_SYNTAX,
    "003-json-unclosed-brace": JSON_SYNTAX,
    "004-json-bad-literal": JSON_SYNTAX,
    "005-json-single-quotes": JSON_SYNTAX,
    "006-json-text-after-root": JSON_SYNTAX,
    "007-json-unterminated-string": JSON_SYNTAX,
    "008-json-policy-syntax": JSON_SYNTAX,
    "009-json-usage-syntax": JSON_SYNTAX,
    "010-json-duplicate-key": "a key given twice: JSON parsers keep one, a schema sees one",
    "048-date-2025-02-29": "a day the calendar lacks (2025 is no leap year): the engine's calendar",
    "054-date-payment": "a day the calendar lacks (2025-02-29): the engine's calendar",
    "055-period-reversed": CROSS_FIELD + " (to before from)",
    "056-decisions-overlap": "decisions overlapping: beyond a schema",
    "057-decision-after-year": CROSS_FIELD + " (a decision inside the case year)",
    "058-decision-before-year": CROSS_FIELD + " (a decision inside the case year)",
    "059-trip-outside-decisions": "a trip day inside a decision: beyond a schema",
    "068-step-missing-from-policy": "the case needs a parameter the policy lacks: two files",
    "069-band-missing-from-policy": "the case needs a parameter the policy lacks: two files",
    "070-param-before-first-value": "a parameter not yet in force on a day of the case: two files",
    "071-on-call-fraction-missing": "the case needs a parameter the policy lacks: two files",
    "072-index-year-missing": "index.series lacks a year the case needs: two files",
    "073-admin-rate-missing": "the case needs a parameter the policy lacks: two files",
    "074-account-due-missing": "the settlement needs a parameter the policy lacks: two files",
    "075-allowance-cap-exceeded": "a case value against the policy's cap: two files",
    "076-allowance-cap-95": "a case value against the policy's cap: two files",
    "077-trip-vacation-days-exceeded": "a sum over trips against the policy's limit: two files",
    "078-trip-weekends-exceeded": "a count of trips against the policy's limit: two files",
    "082-ts-overlapping-shifts": "timesheet (CSV) content",
    "083-ts-start-in-summer-time-gap": "timesheet (CSV) content",
    "084-ts-end-in-summer-time-gap": "timesheet (CSV) content",
    "085-ts-too-few-fields": "timesheet (CSV) content",
    "086-ts-too-many-fields": "timesheet (CSV) content",
    "087-ts-unknown-column": "timesheet (CSV) content",
    "088-ts-missing-column": "timesheet (CSV) content",
    "089-ts-column-twice": "timesheet (CSV) content",
    "090-ts-header-twice": "timesheet (CSV) content",
    "091-ts-unterminated-quote": "timesheet (CSV) content",
    "092-ts-quote-in-unquoted-field": "timesheet (CSV) content",
    "093-ts-text-after-closing-quote": "timesheet (CSV) content",
    "097-ts-non-utf8": "timesheet (CSV) content",
    "098-ts-impossible-date": "timesheet (CSV) content",
    "099-ts-bad-clock": "timesheet (CSV) content",
    "100-ts-unknown-kind": "timesheet (CSV) content",
    "101-ts-step-not-a-number": "timesheet (CSV) content",
    "102-ts-empty": "timesheet (CSV) content",
    "103-ts-only-blank-lines": "timesheet (CSV) content",
    "104-ts-swedish-kind-in-dk": "timesheet (CSV) content",
    "105-ts-is-directory": "the file system: a timesheet that is a directory",
    "106-ts-missing-file": "the file system: a timesheet that does not exist",
    "117-json-nested-10000-case": "nesting beyond the parser's depth limit: the parser's matter",
    "118-json-nested-10000-policy": "nesting beyond the parser's depth limit: the parser's matter",
    "119-json-nested-10000-usage": "nesting beyond the parser's depth limit: the parser's matter",
    "120-empty-case": JSON_SYNTAX + " (an empty file)",
    "121-empty-policy": JSON_SYNTAX + " (an empty file)",
    "122-empty-usage": JSON_SYNTAX + " (an empty file)",
    "123-whitespace-only-case": JSON_SYNTAX + " (white space only)",
    "124-json-non-utf8-case": JSON_SYNTAX + " (not UTF-8)",
    "125-json-non-utf8-policy": JSON_SYNTAX + " (not UTF-8)",
    "126-json-control-char-in-string": JSON_SYNTAX + " (a control character in a string)",
    "127-case-is-directory": "the file system: a case that is a directory",
    "128-policy-is-directory": "the file system: a policy that is a directory",
    "129-case-missing": "the file system: no case file",
    "130-policy-missing": "the file system: the policy named does not exist",
    "131-case-unreadable": "the file system: file modes",
    "132-usage-unreadable": "the file system: file modes",
    "133-ts-unreadable": "the file system: file modes",
    "134-output-dir-missing": "the output path, not an input",
    "135-output-is-directory": "the output path, not an input",
    "136-output-dir-missing-settle": "the output path, not an input",
    "137-output-dir-read-only": "the output path, not an input",
    "142-policy-entries-out-of-order": CROSS_FIELD + " (entries in date order)",
    "143-policy-entries-same-date": CROSS_FIELD + " (entries in date order)",
    "144-policy-ref-not-in-references": "a ref that must be a key of references: beyond a schema",
    "148-policy-id-mismatch": "the case's policy id against the file's id: two files",
    "149-policy-id-not-found": "the file system: no such policy in the directory",
    "150-policy-scheme-not-covered": "the case's scheme against the policy's schemes: two files",
    "154-policy-band-window-reversed": CROSS_FIELD + " (from before to)",
    "162-personal-care-without-education": "personal care needs educated on the decision or the case: a rule of the grant",
    "164-on-call-band-without-supplements": "a band on on-call hours depends on the policy's on_call.supplements: two files",
    "165-se-case-dk-policy": "the case's scheme against the policy's schemes: two files",
    "175-usage-case-mismatch": "usage and case ids: two files",
    "176-usage-year-mismatch": "usage and case years: two files",
    "177-usage-year-mismatch-with-rows": CROSS_FIELD + " (a month inside the year)",
    "179-output-not-created-on-timesheet-error": "timesheet (CSV) content",
    "180-output-parent-is-a-file": "the output path, not an input",
    "181-usage-error-extra-argument": "the command line",
    "182-usage-error-unknown-option": "the command line",
    "183-usage-error-option-without-value": "the command line",
    "184-usage-month-outside-year": CROSS_FIELD + " (a month inside the year)",
    "185-usage-payroll-admin-payment-citizen": "a payment against the case's employer: two files",
    "186-usage-invoice-without-payroll-employer": "an invoice against the case's employer: two files",
    "187-usage-carry-over-unknown-pool": "a pool the account must have: the settlement's",
    "188-usage-carry-over-above-unused": "carry-over against the account's unused hours: the settlement's",
    "189-usage-carry-over-pool-twice": "a pool named twice in a list (uniqueness of one member): beyond a schema",
    "190-usage-carry-over-above-max-pct": "carry-over against the policy's share: the settlement's",
    "192-usage-section-94": "a usage file for a §94 case: two files",
    "197-usage-used-on-call-band": "a band on on-call hours depends on the policy's on_call.supplements: two files",
    "199-usage-ts-step-ambiguous": "timesheet (CSV) content against the grant",
    "200-json-leading-zero": JSON_SYNTAX,
    "203-json-number-without-digits": JSON_SYNTAX,
    "205-se-periods-overlap": "periods overlapping: beyond a schema",
    "210-ts-start-at-24": "timesheet (CSV) content",
    "211-ts-xlsx-damaged": "timesheet (.xlsx) content",
    "212-ts-map-two-columns-one-header": "two columns mapped to one header (uniqueness of values): beyond a schema",
    "380-se-payment-shared-month": "a payment's month against the case's periods: two files",
    "381-se-used-shared-month": "a used row's month against the case's periods: two files",
    "382-se-expense-no-cap": "a receipt's category the policy lacks: two files",
    "383-se-payment-no-period": "a payment's month against the case's periods: two files",
    "384-se-beredskap-no-factor": "beredskap used, the policy lacks its factor: two files",
    "385-se-used-week-cap": "used rows against the policy's se.cap_unit: two files",
    "386-se-raised-rate-above-cap": "a raised rate against the policy's schablon: two files",
    "387-se-period-too-long": "a period's length against the policy's se.period_max_months: two files",
    "388-se-tier-not-in-policy": "a tier the policy lacks: two files",
    "389-se-no-schablon": "the policy lacks a value on a day of the case: two files",
    "390-ts-danish-kind-in-se": "time report (CSV) content",
}

# The bad inputs of the verify and diff branches (issue 13), classified
# here before they are merged: listed without their directory until then.
AWAITING = {f"{n}-{x}" for n, x in [
    (420, "verify-account-not-json"), (421, "verify-account-other-json"),
    (422, "verify-workbook-not-bpa"), (423, "verify-workbook-truncated"),
    (424, "verify-claim-unknown-key"), (425, "verify-claim-other-case"),
    (426, "verify-claim-other-year"), (427, "verify-claim-bad-decimal"),
    (428, "verify-result-other-case"), (429, "verify-claim-periods-in-danish"),
    (430, "diff-mixed-countries"), (431, "diff-new-json-syntax"), (432, "diff-old-policy-missing"),
    (433, "diff-new-negative-hours"), (434, "diff-json-is-directory"),
    (435, "diff-xlsx-dir-missing"), (436, "diff-unknown-option"), (437, "diff-swedish-lang-da"),
    (438, "diff-usage-file-as-new"), (439, "diff-old-output-kept")]}
SCHEMA.update({
    "424-verify-claim-unknown-key": "additionalProperties: false (claim)",
    "427-verify-claim-bad-decimal": "an amount's pattern (claim)",
    "433-diff-new-negative-hours": "a decimal has no sign",
})
NOT_SCHEMA.update({
    "420-verify-account-not-json": JSON_SYNTAX,
    "421-verify-account-other-json": "a valid usage file given as the account: the command's matter",
    "422-verify-workbook-not-bpa": "a workbook (.xlsx) as the account",
    "423-verify-workbook-truncated": "a damaged workbook as the account",
    "425-verify-claim-other-case": "the claim's case against the case file: two files",
    "426-verify-claim-other-year": "the claim's year against the case file: two files",
    "428-verify-result-other-case": "a result JSON (no input schema) for another case: two files",
    "429-verify-claim-periods-in-danish": "a claim's country follows from the case: two files",
    "430-diff-mixed-countries": "two cases of two countries: two files",
    "431-diff-new-json-syntax": JSON_SYNTAX,
    "432-diff-old-policy-missing": "the file system: the policy named does not exist",
    "434-diff-json-is-directory": "the output path, not an input",
    "435-diff-xlsx-dir-missing": "the output path, not an input",
    "436-diff-result-line-without-hours": "a grant result read back as a side: results have no input schema",
    "437-diff-swedish-lang-da": "the command line against the case's scheme",
    "438-diff-usage-file-as-new": "a valid usage file where a case is expected: the command's matter",
    "439-diff-old-output-kept": "the output file kept (the error: two cases of two countries)",
})

VALID = {
    "094-ts-bom-valid": "a good settlement",
    "095-ts-crlf-valid": "a good settlement",
    "096-ts-bom-crlf-quoted-valid": "a good settlement",
    "174-ok-65-categories-in-a-decision": "a good grant",
}


# ---- validation ----------------------------------------------------------------
class Unreadable(Exception):
    pass


def load_json(path):
    try:
        raw = pathlib.Path(path).read_bytes()
        text = raw.decode("utf-8")
        return json.loads(text, parse_float=decimal.Decimal,
                          parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
        raise Unreadable(f"{type(e).__name__}: {e}") from None


def validators():
    store = {}
    for p in SCHEMAS.glob("*.schema.json"):
        s = json.loads(p.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(s)
        store[p.resolve().as_uri()] = s
    out = {}
    for name in ("case", "usage", "usage-dk", "usage-se", "policy", "claim"):
        uri = (SCHEMAS / f"bpa-{name}.schema.json").resolve().as_uri()
        resolver = jsonschema.RefResolver(base_uri=uri, referrer=store[uri], store=store)
        out[name] = jsonschema.Draft202012Validator(store[uri], resolver=resolver)
    return out


V = validators()
passed = 0
failed = 0


def ok():
    global passed
    passed += 1


def fail(msg):
    global failed
    failed += 1
    print("FAIL:", msg)


def errors(schema, doc):
    return sorted(V[schema].iter_errors(doc), key=lambda e: list(e.absolute_path))


def where(e):
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path)


def usage_schema(case_doc):
    scheme = case_doc.get("scheme", "") if isinstance(case_doc, dict) else ""
    if scheme.startswith("se-"):
        return "usage-se"
    if scheme.startswith("dk-"):
        return "usage-dk"
    return "usage"


def expect_valid(label, schema, doc):
    errs = errors(schema, doc)
    if errs:
        fail(f"{label} ({schema}): {where(errs[0])}: {errs[0].message[:200]}")
    else:
        ok()


# 0. every property says what it is (for a form's hints): a description of its
# own or of the definition it refers to; a property under if/then/else/not, or
# a parameter's value refined beside its $ref to the entries, restricts one
# described elsewhere
def described(store):
    def target(file, ref):
        f, _, frag = ref.partition("#")
        node = store[f or file]
        for part in filter(None, frag.split("/")):
            node = node[part]
        return node

    def walk(file, node, path):
        if isinstance(node, list):
            for i, v in enumerate(node):
                walk(file, v, f"{path}/{i}")
            return
        if not isinstance(node, dict):
            return
        for k, v in node.get("properties", {}).items():
            if not isinstance(v, dict):
                continue
            d = v.get("description") or ("$ref" in v and target(file, v["$ref"]).get("description"))
            refined = any(x in path.split("/") for x in ("if", "then", "else", "not")) or \
                path.endswith("/items") and "/params/" in path
            if d or refined:
                ok()
            else:
                fail(f"schemas/{file}: {path}/properties/{k} has no description")
        for k, v in node.items():
            walk(file, v, f"{path}/{k}")

    for name, schema in store.items():
        walk(name, schema, "")


described({p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.schema.json")})

# 1. fixtures
cases = {}
for p in sorted((ROOT / "fixtures" / "cases").glob("*.json")):
    cases[p.stem] = load_json(p)
    expect_valid(p.relative_to(ROOT), "case", cases[p.stem])
for p in sorted((ROOT / "fixtures" / "policies").glob("*.json")):
    expect_valid(p.relative_to(ROOT), "policy", load_json(p))
for p in sorted((ROOT / "fixtures" / "usage").glob("*.json")):
    doc = load_json(p)
    if p.stem not in cases:
        fail(f"{p.relative_to(ROOT)}: no case fixture of that name")
        continue
    expect_valid(p.relative_to(ROOT), usage_schema(cases[p.stem]), doc)
    expect_valid(p.relative_to(ROOT), "usage", doc)
others = [p for p in (ROOT / "fixtures").rglob("*.json")
          if p.parent.name not in ("cases", "policies", "usage")]
if others:
    fail(f"fixtures not covered by this test: {[str(p) for p in others]}")
# our own examples: good/<schema>-*.json validate, bad/<schema>-*.json do not
for p in sorted((HERE / "good").glob("*.json")):
    expect_valid(p.relative_to(ROOT), p.name.split("--")[0], load_json(p))
for p in sorted((HERE / "bad").glob("*.json")):
    schema = p.name.split("--")[0]
    if errors(schema, load_json(p)):
        ok()
    else:
        fail(f"{p.relative_to(ROOT)} ({schema}): accepted")

# 2. the bad-input suite
bad_root = ROOT / "tests" / "bad"
dirs = sorted(d.name for d in bad_root.iterdir() if d.is_dir())
lists = {"SCHEMA": SCHEMA, "NOT_SCHEMA": NOT_SCHEMA, "VALID": VALID}
for a in lists:
    for b in lists:
        if a < b and set(lists[a]) & set(lists[b]):
            fail(f"in both {a} and {b}: {sorted(set(lists[a]) & set(lists[b]))}")
listed = set(SCHEMA) | set(NOT_SCHEMA) | set(VALID)
for d in dirs:
    if d not in listed:
        fail(f"tests/bad/{d}: in none of SCHEMA, NOT_SCHEMA, VALID")
for d in sorted(listed - set(dirs) - AWAITING):
    fail(f"{d}: listed, but there is no tests/bad/{d}")


FORMATS = {"bpa-case/1": "case", "bpa-usage/1": "usage", "bpa-policy/1": "policy",
           "bpa-claim/1": "claim"}


def role(name, doc):
    """The schema of an input: by its usual name, else by its "format"; None
    for what no input schema describes (results, outputs, CSV, workbooks)."""
    by_name = {"case.json": "case", "usage.json": "usage", "policy.json": "policy"}
    if name in by_name:
        return by_name[name]
    if name == "out.json":
        return None
    if doc is Unreadable:  # a JSON file that does not parse; other names are no JSON input
        return "unreadable" if name.endswith(".json") else None
    return FORMATS.get(doc.get("format")) if isinstance(doc, dict) else None


def named_file(d):
    """The input file the expected message names (its first message line)."""
    for line in (bad_root / d / "expect").read_text(encoding="utf-8").splitlines():
        if line.startswith("message: "):
            return os.path.basename(line[9:].split(":")[0])
    return None


for d in dirs:
    if d not in listed:
        continue
    base = bad_root / d
    docs = {}
    for p in sorted(base.iterdir()):
        if p.name == "expect" or not p.is_file() or p.suffix in (".csv", ".xlsx"):
            continue
        try:
            doc = load_json(p)
        except Unreadable:
            doc = Unreadable
        r = role(p.name, doc)
        if r is not None:
            docs[p.name] = (r, doc)
    case_doc = next((doc for r, doc in docs.values() if r == "case" and isinstance(doc, dict)),
                    None)
    results = {}
    for name, (schema, doc) in docs.items():
        if doc is Unreadable:
            results[name] = "not JSON"
            continue
        if schema == "usage":
            schema = usage_schema(case_doc)
        errs = errors(schema, doc)
        results[name] = f"{where(errs[0])}: {errs[0].message[:160]}" if errs else None
    if d in SCHEMA:
        culprit = named_file(d)
        if culprit not in results or results[culprit] in (None, "not JSON"):
            fail(f"tests/bad/{d}: the schema accepts {culprit} ({SCHEMA[d]})")
        else:
            ok()
        for name, r in results.items():
            if name != culprit and r is not None:
                fail(f"tests/bad/{d}: {name} is rejected too: {r}")
    else:
        for name, r in results.items():
            if r not in (None, "not JSON"):
                fail(f"tests/bad/{d}: listed as {'valid' if d in VALID else 'no schema matter'}, "
                     f"but the schema rejects {name}: {r}")
        if d in VALID and any(r == "not JSON" for r in results.values()):
            fail(f"tests/bad/{d}: listed as valid, but an input is not JSON")
        ok()

# 3. With BPA set: the schema's number and date shapes against the engine's
# own parsers. One field of a fixture takes each value in turn (as raw JSON
# text); the schema and bpa must agree on every value but the known gaps.
KNOWN_GAPS = {
    '"2023-02-29"': "a day the calendar lacks: the schema's pattern allows 29 February every year",
    '"1900-02-29"': "1900 was no leap year: the schema's pattern allows 29 February every year",
    '-0': "the JSON number -0 is 0 to a schema; bpa reads the text and refuses its sign",
    '"2026-01"': "a month outside the usage file's year: two values of the file",
}
DECIMALS = ['"37"', '"37.5"', '"0"', '"00"', '"0.000001"', '"37.1234567"', '"-1"', '"-0"', '"+37"',
            '"37,5"', '"1e3"', '" 37"', '"37 "', '""', '".5"', '"5."', '"999999999999999"',
            '"1000000000000000"', '"999999999999999.999999"', '"75/2"', '"0x10"', '"37.50"',
            '"\u0663\u0667"', '37', '0', '37.5', '37.0', '3.7e1', '1e3', '-1', '-0',
            '999999999999999', '1000000000000000', 'true', 'null', '["37"]']
AMOUNTS = ['"100.00"', '"-100.00"', '"100.001"', '"-0"', '"-0.00"', '"1e2"', '100', '-100',
           '100.5', '"100.1"', '"100."', '"--1"', '"0.00"']
FACTORS = ['"0.75"', '"3/4"', '"3/0"', '"3/00"', '"-3/4"', '"3/-4"', '"1/7"', '"0/1"',
           '"3 / 4"', '"3/4.0"', '"1234567890123456/2"', '"1/1234567890123456"', '1', '0.75']
DATES = ['"2025-01-01"', '"2024-02-29"', '"2023-02-29"', '"1900-01-01"', '"1900-02-29"',
         '"1899-12-31"', '"2024-13-01"', '"2024-1-01"', '"2024-04-31"', '"2024-06-31"',
         '"2024-06-30"', '"2024-02-30"', '"2024-12-31"', '"2024-00-10"', '"2024-01-00"',
         '"20240101"', '"2024-01-01T00:00"', '20240101']

MONTHDAYS = ['"03-01"', '"02-29"', '"02-30"', '"04-31"', '"04-30"', '"13-01"', '"3-01"', '"00-10"',
             '"12-31"', '"12-32"', '"2025-03-01"', '301']
CLOCKS_FROM = ['"17:00"', '"00:00"', '"7:00"', '"17:60"', '"17.00"', '"17:00:00"', '"24:00"',
               '"22:59"', '"-1:00"', '"1700"', '1700']
CLOCKS_TO = ['"23:00"', '"24:00"', '"24:01"', '"25:00"', '"23:60"', '"18:00"', '"23.00"']
MONTHS = ['"2025-01"', '"2025-12"', '"2025-13"', '"2025-00"', '"2025-1"', '"202501"',
          '"2025-01-01"', '"2026-01"', '202501']


def engine_differential(bpa):
    import subprocess
    import tempfile
    fx = ROOT / "fixtures"
    case_text = (fx / "cases" / "alb-2025-full-year.json").read_text(encoding="utf-8")
    usage_text = (fx / "usage" / "alb-2025-full-year.json").read_text(encoding="utf-8")
    policy_text = (fx / "policies" / "albertslund.json").read_text(encoding="utf-8")
    fields = [
        # (what, values, file, text, the text a value replaces, its JSON-text template)
        ("per_week", DECIMALS, "case", case_text, '"per_week": "37"', '"per_week": {}'),
        ("payment amount", AMOUNTS, "usage", usage_text, '"amount": "33644.52"', '"amount": {}'),
        ("on_call.fraction", FACTORS, "policy", policy_text, '"value": "0.75", "ref": "practice-on-call"',
         '"value": {}, "ref": "practice-on-call"'),
        ("entry from", DATES, "policy", policy_text,
         '"trips.weekends_max": [{"from": "2025-01-01"', '"trips.weekends_max": [{{"from": {}'),
        ("account_due", MONTHDAYS, "policy", policy_text, '"value": "03-01", "ref": "alb-kvalitet-2015"',
         '"value": {}, "ref": "alb-kvalitet-2015"'),
        ("window from", CLOCKS_FROM, "policy", policy_text, '"from": "17:00", "to": "23:00"',
         '"from": {}, "to": "23:00"'),
        ("window to", CLOCKS_TO, "policy", policy_text, '"from": "17:00", "to": "23:00"',
         '"from": "17:00", "to": {}'),
        ("used month", MONTHS, "usage", usage_text, '{"month": "2025-01", "kind": "work", "band": "day"',
         '{{"month": {}, "kind": "work", "band": "day"'),
    ]
    with tempfile.TemporaryDirectory() as t:
        t = pathlib.Path(t)
        (t / "usage").mkdir()
        (t / "policies").mkdir()
        os.symlink(fx / "timesheets", t / "timesheets")
        for what, values, kind, text, old, template in fields:
            if text.count(old) < 1:
                fail(f"differential {what}: the fixture no longer holds {old}")
                continue
            for v in values:
                doc_text = text.replace(old, template.format(v), 1)
                case = fx / "cases" / "alb-2025-full-year.json"
                pdir = fx / "policies"
                if kind == "case":
                    case = t / "case.json"
                    case.write_text(doc_text, encoding="utf-8")
                    schema, path = "case", case
                elif kind == "policy":
                    pdir = t / "policies"
                    path = pdir / "albertslund.json"
                    path.write_text(doc_text, encoding="utf-8")
                    schema = "policy"
                else:
                    path = t / "usage" / "u.json"
                    path.write_text(doc_text, encoding="utf-8")
                    schema = "usage-dk"
                cmd = bpa.split() + (["settle", str(case), str(path)] if kind == "usage"
                                     else ["grant", str(case)]) + ["--policy-dir", str(pdir),
                                                                  "--json", str(t / "out.json")]
                r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True)
                if r.returncode not in (0, 1):
                    fail(f"differential {what} {v}: bpa exit {r.returncode}: {r.stderr[:200]}")
                    continue
                engine_ok = r.returncode == 0
                try:
                    schema_ok = not errors(schema, load_json(path))
                except Unreadable:
                    schema_ok = False
                if v in KNOWN_GAPS:
                    if schema_ok and not engine_ok:
                        ok()
                    else:
                        fail(f"differential {what} {v}: a known gap no longer ({KNOWN_GAPS[v]})")
                elif schema_ok != engine_ok:
                    fail(f"differential {what} {v}: schema {'accepts' if schema_ok else 'rejects'}, "
                         f"bpa {'accepts' if engine_ok else 'rejects: ' + r.stderr.strip()[:200]}")
                else:
                    ok()


if os.environ.get("BPA"):
    engine_differential(os.environ["BPA"])
else:
    print("note: BPA not set: the schemas are not compared with the engine's parsers")

print(f"schema: {passed} passed, {failed} failed "
      f"({len(SCHEMA)} bad inputs the schemas reject, {len(NOT_SCHEMA)} that are no schema "
      f"matter, {len(VALID)} valid)")
sys.exit(1 if failed else 0)
