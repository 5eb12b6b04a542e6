#!/bin/sh
# Bad-input suite (RULES.md 11; strictness of 3, 5, 6, 8.1 and 12).
# Usage: BPA=path/to/bpa sh tests/bad/run.sh [NAME...]
#   $BPA is used unquoted, so it may carry a prefix (valgrind ...).
#   NAME... runs only the tests whose directory name contains one of them.
#
# Every tests/bad/NNN-name/ holds the input files and a file `expect`:
#   cmd: grant | settle | diff | verify
#                              bpa grant case.json / bpa settle case.json usage.json /
#                              bpa diff old.json new.json / bpa verify case.json usage.json account
#   status: N                  0 ok, 1 input or policy error, 2 usage error, 3 output error
#   message: TEXT              stderr must contain TEXT (stdout when status is 0: the
#                              JSON, as the harness adds --json - when args name no
#                              --json); the line may be repeated: each TEXT must be
#                              there; {tmp} as in args
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
. "$(dirname "$0")/../cli/lib.sh"
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

# with_tmp TEXT: sets wt to TEXT with every {tmp} replaced by $work (in the
# shell: the loop below starts as few processes per test as it can)
with_tmp() {
    wt="" wt_rest=$1
    while :; do
        case $wt_rest in
        *"{tmp}"*) wt="$wt${wt_rest%%"{tmp}"*}$work" wt_rest=${wt_rest#*"{tmp}"} ;;
        *) break ;;
        esac
    done
    wt="$wt$wt_rest"
}

problem() { problems="${problems:+$problems; }$*"; }

nl='
'
for t in "$here"/*/; do
    t=${t%/}
    name=${t##*/}
    [ -f "$t/expect" ] || continue
    selected "$name" "$@" || continue
    # the expect file; of cmd, status, args and root the first line counts
    cmd="" want="" args="" rootskip="" messages="" chmods=""
    while IFS= read -r l || [ -n "$l" ]; do
        case $l in
        "cmd: "*) [ -n "$cmd" ] || cmd=${l#cmd: } ;;
        "status: "*) [ -n "$want" ] || want=${l#status: } ;;
        "args: "*) [ -n "$args" ] || args=${l#args: } ;;
        "root: "*) [ -n "$rootskip" ] || rootskip=${l#root: } ;;
        "message: "*) messages="$messages${l#message: }$nl" ;;
        "chmod: "*) chmods="$chmods${l#chmod: }$nl" ;;
        esac
    done <"$t/expect"
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
    verify) files="case.json usage.json account" ;; # the account file is named "account"
    diff) files="old.json new.json" ;;
    *)
        fail=$((fail + 1)); echo "FAIL: $name: expect has no valid cmd ('$cmd')"; continue ;;
    esac
    if [ -z "$want" ] || [ -z "$messages" ]; then
        fail=$((fail + 1)); echo "FAIL: $name: expect lacks status or message"; continue
    fi

    work=$tmp/$name
    cp -R "$t" "$work"
    rm -f "$work/expect"
    [ -n "$prefix" ] && chown -R "$(id -u nobody):$(id -g nobody)" "$work"
    while read -r mode path; do
        [ -n "$mode" ] && chmod "$mode" "$work/$path"
    done <<EOF_CHMOD
$chmods
EOF_CHMOD
    with_tmp "$args"
    args=$wt
    # a successful run is checked on its JSON, not on the summary
    case " $args " in
    *" --json "* | *" --json="*) ;;
    *) [ "$want" = 0 ] && args="$args --json -" ;;
    esac

    # the --json target, and its state before the run
    out=""
    set -f
    prev=""
    for a in $args; do
        [ "$prev" = "--json" ] && out=$a
        prev=$a
    done
    set +f
    case $out in
    - | "") out="" ;;
    /*) ;;
    *) out=$work/$out ;; # relative to the working copy, where bpa runs
    esac
    before=""
    if [ -n "$out" ] && [ -d "$out" ]; then
        before=directory
    elif [ -n "$out" ] && [ -e "$out" ]; then
        before=$(cksum <"$out")
    fi

    find "$work" -printf '%P\n' >"$tmp/files-before" # (GNU find: paths inside $work)
    set -f
    cd "$work" || exit 1
    # shellcheck disable=SC2086 # $BPA may carry a prefix; files and args are word lists
    $prefix $BPA $cmd $files $args >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    cd "$here" || exit 1
    set +f

    problems=""
    if [ "$rc" -ne "$want" ]; then
        problem "exit $rc, expected $want"
    fi
    if [ "$want" -eq 0 ]; then where=$tmp/stdout; else where=$tmp/stderr; fi
    with_tmp "$messages"
    while IFS= read -r m; do
        [ -n "$m" ] || continue
        grep -qF -- "$m" "$where" || problem "${where##*/} lacks: $m"
    done <<EOF_MESSAGES
$wt
EOF_MESSAGES
    if grep -qE 'Sanitizer|runtime error:' "$tmp/stderr"; then
        problem "sanitizer report on stderr"
    fi
    if [ "$rc" -ne 0 ] && [ -s "$tmp/stdout" ]; then
        problem "a failing run wrote to stdout"
    fi
    if [ "$rc" -ne 0 ]; then
        find "$work" -printf '%P\n' >"$tmp/files-after"
        if ! cmp -s "$tmp/files-before" "$tmp/files-after"; then
            sort "$tmp/files-before" >"$tmp/sorted-before"
            sort "$tmp/files-after" >"$tmp/sorted-after"
            new=$(comm -13 "$tmp/sorted-before" "$tmp/sorted-after" | tr '\n' ' ')
            [ -n "$new" ] && problem "a failing run created: $new"
        fi
    fi
    if [ "$rc" -ne 0 ] && [ -n "$out" ]; then
        if [ "$before" = directory ]; then
            if [ ! -d "$out" ]; then
                problem "the directory $out was replaced"
            fi
        elif [ -n "$before" ]; then
            if [ ! -f "$out" ] || [ "$(cksum <"$out")" != "$before" ]; then
                problem "the existing output $out was changed"
            fi
        elif [ -e "$out" ]; then
            problem "a failing run left $out"
        fi
        dir=${out%/*}
        base=${out##*/}
        for f in "$dir/.$base".*; do
            if [ -e "$f" ]; then
                problem "a temporary file ${f##*/} was left in $dir"
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
finish bad-inputs
