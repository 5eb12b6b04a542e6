# lib.sh - what the command-line test scripts share; sourced by
# tests/cli/run.sh, settle.sh, kill.sh and tests/bad/run.sh:
#     . "$(dirname "$0")/../cli/lib.sh"
#
# Sets here (the script's directory), root, PYTHON, BPA, tmp (removed on
# exit) and the counters pass and fail; defines ok, bad, expect, flatten,
# check_fields, field_is and finish.
#
# Result JSON is read once per file: flatten writes FILE.flat with one
# "key.path=value" line per leaf (one python3 start), and the fields are
# then compared with awk. python3 reads only; it computes nothing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# Debian's python3 itself: a version manager's shim (pyenv) costs about 0.5 s a call
: "${PYTHON:=$(command -v /usr/bin/python3 || command -v python3)}"
: "${BPA:=$root/build/bpa}" # may carry a prefix (valgrind ...): used unquoted
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect NAME STATUS SUBSTRING -- ARGS...: run bpa, check the exit status and
# that stderr (stdout when STATUS is 0) contains SUBSTRING (empty: anything).
expect() {
    name=$1 want=$2 sub=$3
    shift 4
    $BPA "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        bad "$name: exit $rc, expected $want"; sed 's/^/  | /' "$tmp/err" | head -5; return
    fi
    if [ "$want" -eq 0 ]; then f="$tmp/out"; else f="$tmp/err"; fi
    if [ -n "$sub" ] && ! grep -qF -- "$sub" "$f"; then
        bad "$name: output lacks '$sub'"; sed 's/^/  | /' "$f" | head -5; return
    fi
    ok
}

# flatten FILE...: FILE.flat for each, "months.0.due_date=2025-01-31" per
# leaf (values as Python prints them: None, True, numbers and strings bare;
# a newline inside a string as \n). A file that is not JSON gets an empty
# .flat and a message on stderr, so every field check on it fails.
flatten() {
    $PYTHON - "$@" <<'EOF'
import json, sys
def walk(out, path, v):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(out, path + [k], x)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(out, path + [str(i)], x)
    else:
        out.write(".".join(path) + "=" + str(v).replace("\n", "\\n") + "\n")
for name in sys.argv[1:]:
    with open(name + ".flat", "w", encoding="utf-8") as out:
        try:
            walk(out, [], json.load(open(name, encoding="utf-8")))
        except (OSError, ValueError) as e:
            print("flatten: %s: %s" % (name, e), file=sys.stderr)
EOF
}

# check_fields NAME FLAT [EXPECTED]: every KEY=VALUE line of EXPECTED (a
# file, else stdin; blank lines and # comments skipped) must be a line of
# FLAT; one check per line.
check_fields() {
    cf_name=$1 cf_flat=$2
    shift 2
    cf_out=$(awk -v name="$cf_name" '
        FNR == NR { i = index($0, "="); if (i) v[substr($0, 1, i - 1)] = substr($0, i + 1); next }
        /^[ \t]*(#|$)/ { next }
        {
            i = index($0, "="); k = substr($0, 1, i - 1); w = substr($0, i + 1)
            g = (k in v) ? v[k] : "(missing)"
            if (g == w) n++; else print "FAIL: " name ": " k " = " g ", expected " w
        }
        END { print "passed " n + 0 }' "$cf_flat" "${1:--}")
    lib_count "$cf_out"
}

# field_is NAME FLAT KEY VALUE: one field
field_is() {
    printf '%s=%s\n' "$3" "$4" | check_fields "$1" "$2"
}

# lib_count OUTPUT: add an awk check's "FAIL: ..." lines and its final
# "passed N" to the counters
lib_count() {
    lc_n=$(printf '%s\n' "$1" | sed -n 's/^passed //p')
    pass=$((pass + ${lc_n:-0}))
    lc_f=$(printf '%s\n' "$1" | grep -c '^FAIL: ')
    fail=$((fail + lc_f))
    printf '%s\n' "$1" | grep '^FAIL: '
    [ -n "$lc_n" ] || bad "a field check printed no count"
    return 0
}

# awk functions for the summaries, to put in front of an awk program:
#   people(v, lang, dec): "-1234.565" as a reader of lang writes it at dec
#     decimals, rounded half away from zero: da "-1.234,57", en "-1,234.57",
#     sv "-1 234,57"; all in strings, no floating point
#   day(d, lang): "2025-01-31" -> da "31.01.2025", en and sv as is
lib_awk='
function people(v, lang, dec,    neg, i, ip, fp, digits, k, c, th, dp, out, n) {
    neg = substr(v, 1, 1) == "-"
    if (neg) v = substr(v, 2)
    i = index(v, ".")
    if (i) { ip = substr(v, 1, i - 1); fp = substr(v, i + 1) } else { ip = v; fp = "" }
    while (length(fp) < dec + 1) fp = fp "0"
    digits = ip substr(fp, 1, dec)
    if (substr(fp, dec + 1, 1) >= "5") { # carry one into the kept digits
        for (k = length(digits); k > 0; k--) {
            c = substr(digits, k, 1)
            if (c != "9") { digits = substr(digits, 1, k - 1) (c + 1) substr(digits, k + 1); break }
            digits = substr(digits, 1, k - 1) "0" substr(digits, k + 1)
        }
        if (k == 0) digits = "1" digits
    }
    ip = substr(digits, 1, length(digits) - dec)
    fp = substr(digits, length(digits) - dec + 1)
    sub(/^0+/, "", ip)
    if (ip == "") ip = "0"
    th = lang == "da" ? "." : lang == "sv" ? " " : ","
    dp = lang == "en" ? "." : ","
    out = ""
    for (n = length(ip); n > 3; n -= 3) out = th substr(ip, n - 2, 3) out
    out = substr(ip, 1, n) out
    if (dec > 0) out = out dp fp
    return (neg ? "-" : "") out
}
function day(d, lang) {
    return lang == "da" ? substr(d, 9, 2) "." substr(d, 6, 2) "." substr(d, 1, 4) : d
}
'

# finish NAME: print the counts; the script's exit status
finish() {
    echo "$1: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
