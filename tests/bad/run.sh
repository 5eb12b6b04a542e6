#!/bin/sh
# Bad-input suite (RULES.md 11; strictness of 3, 5, 6, 8.1 and 12).
# Usage: BPA=path/to/bpa sh tests/bad/run.sh [NAME...]
#   $BPA is used unquoted, so it may carry a prefix (valgrind ...).
#   NAME... runs only the tests whose directory name contains one of them.
#
# Every tests/bad/NNN-name/ holds the input files and a file `expect`:
#   cmd: grant | settle        bpa grant case.json / bpa settle case.json usage.json
#   status: N                  0 ok, 1 input or policy error, 2 usage error, 3 output error
#   message: TEXT              stderr must contain TEXT (stdout when status is 0); the
#                              line may be repeated: each TEXT must be there; {tmp} as in args
#   args: ...                  optional extra arguments; {tmp} is the test's working copy
#   chmod: MODE PATH           optional, applied in the working copy before the run
#   root: skip                 optional: the test needs file modes to bite; as root it
#                              runs as nobody (setpriv), and is skipped (not passed)
#                              only where that cannot be done
# Each test runs in a fresh copy of its directory (the working directory of bpa),
# so relative paths hold. A failing run must print nothing on stdout, create no
# file in the working copy, leave no output file (the --json target must not
# exist afterwards, or be unchanged when it existed before) and no temporary
# file ".<name>.*" beside it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${BPA:=$root/build/bpa}"
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0
fail=0
skipped=""
nskipped=0
is_root=false
[ "$(id -u)" -eq 0 ] && is_root=true

# Root reads and writes whatever the file modes say, so the tests about
# unreadable files and read-only directories run as nobody instead.
as_nobody=""
if $is_root && command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
    as_nobody="setpriv --reuid=$(id -u nobody) --regid=$(id -g nobody) --clear-groups"
    chmod 755 "$tmp"
    # shellcheck disable=SC2086 # $BPA may carry a prefix
    if ! (cd / && $as_nobody $BPA --version) >/dev/null 2>&1; then
        echo "note: nobody cannot run $BPA (a directory on its path is closed to others)"
        as_nobody=""
    fi
fi

# field KEY FILE: the value of the first "KEY: value" line
field() { sed -n "s/^$1: //p" "$2" | head -n 1; }

show() { sed 's/^/  | /' "$1" | head -n 5; }

# selected NAME [PATTERN...]: no patterns, or NAME contains one of them
selected() {
    n=$1
    shift
    [ $# -eq 0 ] && return 0
    for want in "$@"; do
        case "$n" in *"$want"*) return 0 ;; esac
    done
    return 1
}

for t in "$here"/*/; do
    t=${t%/}
    name=$(basename "$t")
    [ -f "$t/expect" ] || continue
    selected "$name" "$@" || continue
    cmd=$(field cmd "$t/expect")
    want=$(field status "$t/expect")
    msg=$(field message "$t/expect") # the first; every message: line is checked
    args=$(field args "$t/expect")
    rootskip=$(field root "$t/expect")
    prefix=""
    if [ "$rootskip" = skip ] && $is_root && [ -n "$as_nobody" ]; then
        prefix=$as_nobody
    elif [ "$rootskip" = skip ] && $is_root; then
        echo "SKIP: $name (running as root, and not as nobody: file modes do not stop root)"
        skipped="$skipped $name"
        nskipped=$((nskipped + 1))
        continue
    fi
    case "$cmd" in
    grant) files="case.json" ;;
    settle) files="case.json usage.json" ;;
    *)
        fail=$((fail + 1)); echo "FAIL: $name: expect has no valid cmd ('$cmd')"; continue ;;
    esac
    if [ -z "$want" ] || [ -z "$msg" ]; then
        fail=$((fail + 1)); echo "FAIL: $name: expect lacks status or message"; continue
    fi

    work=$tmp/$name
    cp -R "$t" "$work"
    rm -f "$work/expect"
    [ -n "$prefix" ] && chown -R "$(id -u nobody):$(id -g nobody)" "$work"
    sed -n 's/^chmod: //p' "$t/expect" | while read -r mode path; do
        chmod "$mode" "$work/$path"
    done
    args=$(printf '%s' "$args" | sed "s|{tmp}|$work|g")

    # the --json target, and its state before the run
    out=""
    set -f
    prev=""
    for a in $args; do
        [ "$prev" = "--json" ] && out=$a
        prev=$a
    done
    set +f
    before=""
    if [ -n "$out" ] && [ -d "$out" ]; then
        before=directory
    elif [ -n "$out" ] && [ -e "$out" ]; then
        before=$(cksum <"$out")
    fi

    (cd "$work" && find . -print | sort) >"$tmp/files-before"
    set -f
    # shellcheck disable=SC2086 # $BPA may carry a prefix; files and args are word lists
    (cd "$work" && $prefix $BPA $cmd $files $args) >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    set +f

    problems=""
    if [ "$rc" -ne "$want" ]; then
        problems="exit $rc, expected $want"
    fi
    if [ "$want" -eq 0 ]; then where=$tmp/stdout; else where=$tmp/stderr; fi
    sed -n 's/^message: //p' "$t/expect" | sed "s|{tmp}|$work|g" >"$tmp/messages"
    while IFS= read -r m; do
        if ! grep -qF -- "$m" "$where"; then
            problems="${problems:+$problems; }$(basename "$where") lacks: $m"
        fi
    done <"$tmp/messages"
    if grep -qE 'Sanitizer|runtime error:' "$tmp/stderr"; then
        problems="${problems:+$problems; }sanitizer report on stderr"
    fi
    if [ "$rc" -ne 0 ] && [ -s "$tmp/stdout" ]; then
        problems="${problems:+$problems; }a failing run wrote to stdout"
    fi
    if [ "$rc" -ne 0 ]; then
        (cd "$work" && find . -print | sort) >"$tmp/files-after"
        new=$(comm -13 "$tmp/files-before" "$tmp/files-after" | tr '\n' ' ')
        if [ -n "$new" ]; then
            problems="${problems:+$problems; }a failing run created: $new"
        fi
    fi
    if [ "$rc" -ne 0 ] && [ -n "$out" ]; then
        if [ "$before" = directory ]; then
            if [ ! -d "$out" ]; then
                problems="${problems:+$problems; }the directory $out was replaced"
            fi
        elif [ -n "$before" ]; then
            if [ ! -f "$out" ] || [ "$(cksum <"$out")" != "$before" ]; then
                problems="${problems:+$problems; }the existing output $out was changed"
            fi
        elif [ -e "$out" ]; then
            problems="${problems:+$problems; }a failing run left $out"
        fi
        dir=$(dirname "$out")
        base=$(basename "$out")
        for f in "$dir/.$base".*; do
            if [ -e "$f" ]; then
                problems="${problems:+$problems; }a temporary file $(basename "$f") was left in $dir"
                break
            fi
        done
    fi

    if [ -z "$problems" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name: $problems"
        if [ "$rc" -eq 0 ] && [ "$want" -ne 0 ]; then show "$tmp/stdout"; else show "$tmp/stderr"; fi
    fi
done

if [ "$nskipped" -gt 0 ]; then
    echo "bad-inputs: $nskipped skipped (not counted as passed):$skipped"
fi
echo "bad-inputs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
