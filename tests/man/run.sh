#!/bin/sh
# Manual pages (man/*.scd, built by `make man` into $(BUILD)/man): every page
# renders without a warning (man -l --warnings, groff -ww); every option a
# command's --help lists is in its page; `bpa help COMMAND` shows the page on
# a terminal (a pseudo-terminal from script(1)) and --help elsewhere.
# Usage: BPA=path/to/bpa [MAN_DIR=dir] sh tests/man/run.sh   (make man-test)
#   $BPA is used unquoted, so it may carry a prefix (valgrind ...); MAN_DIR
#   defaults to man/ beside the binary, where bpa help looks.
. "$(dirname "$0")/../cli/lib.sh"
bin=${BPA##* }
: "${MAN_DIR:=$(dirname "$bin")/man}"
export LC_ALL=C.UTF-8 MANPAGER=cat PAGER=cat
unset MANOPT
for tool in man groff col; do
    command -v $tool >/dev/null 2>&1 || { echo "FAIL: man: $tool is missing (sh scripts/install-deps.sh)"; exit 1; }
done

# every source built, and the pages the issue names among them
for scd in "$root"/man/*.scd; do
    page=$(basename "$scd" .scd)
    if [ -f "$MAN_DIR/$page" ]; then ok; else bad "$page: not built into $MAN_DIR (make man)"; fi
done
for page in bpa.1 bpa-grant.1 bpa-settle.1 bpa-verify.1 bpa-diff.1 bpa-batch.1 bpa-serve.1 bpa-files.5; do
    if [ -f "$root/man/$page.scd" ]; then ok; else bad "man/$page.scd missing"; fi
done

# rendered without warnings, by man and by groff itself
for page in "$MAN_DIR"/*.[15]; do
    name=$(basename "$page")
    MANWIDTH=80 man -l --warnings "$page" 2>"$tmp/warn" >"$tmp/text"
    if [ -s "$tmp/warn" ]; then bad "man -l --warnings $name:"; sed 's/^/  | /' "$tmp/warn" | head -5
    elif ! grep -q "^NAME" "$tmp/text"; then bad "man -l $name: no NAME section"
    else ok; fi
    groff -K utf8 -mandoc -ww -z "$page" 2>"$tmp/warn"
    if [ -s "$tmp/warn" ]; then bad "groff -ww $name:"; sed 's/^/  | /' "$tmp/warn" | head -5; else ok; fi
done

# each command of `bpa --help` (but help) has a page holding every option of its --help
$BPA --help >"$tmp/help" 2>&1
cmds=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' "$tmp/help" | grep -vx help)
[ -n "$cmds" ] && ok || bad "bpa --help lists no command"
for c in $cmds; do
    page=$MAN_DIR/bpa-$c.1
    if [ ! -f "$page" ]; then bad "bpa $c: no page bpa-$c.1"; continue; fi
    MANWIDTH=1000 man -l "$page" 2>/dev/null | col -b >"$tmp/page"
    $BPA "$c" --help >"$tmp/usage" 2>&1
    opts=$(grep -oE '(^|[] [,])--?[a-zA-Z][a-zA-Z-]*' "$tmp/usage" | sed 's/^[] [,]//' | sort -u)
    [ -n "$opts" ] && ok || bad "bpa $c --help lists no option"
    for o in $opts; do
        if grep -qE -- "(^|[^a-zA-Z-])$o([^a-zA-Z-]|\$)" "$tmp/page"; then ok
        else bad "bpa $c: option $o of --help is not in bpa-$c.1"; fi
    done
done

# bpa help: --help when standard output is no terminal (here: a file)
expect "help grant, not on a terminal" 0 "usage: bpa grant" -- help grant
expect "help, not on a terminal" 0 "usage: bpa" -- help

# ... and the page on a terminal
if command -v script >/dev/null 2>&1; then
    for c in grant settle ""; do
        page=bpa${c:+-$c}
        MANWIDTH=80 script -qec "$BPA help $c" /dev/null </dev/null >"$tmp/tty" 2>&1
        rc=$?
        if [ "$rc" -ne 0 ]; then bad "bpa help $c on a terminal: exit $rc"; sed 's/^/  | /' "$tmp/tty" | head -5
        elif ! tr -d '\r' <"$tmp/tty" | grep -q "^ *$page - "; then
            bad "bpa help $c on a terminal: not the page $page"; sed 's/^/  | /' "$tmp/tty" | head -5
        else ok; fi
    done
    # no page beside the binary: --help, even on a terminal
    mkdir "$tmp/bin"
    cp "$bin" "$tmp/bin/bpa"
    MANWIDTH=80 script -qec "$tmp/bin/bpa help grant" /dev/null </dev/null >"$tmp/tty" 2>&1
    if tr -d '\r' <"$tmp/tty" | grep -q "^usage: bpa grant"; then ok
    else bad "bpa help grant without a page: not --help"; sed 's/^/  | /' "$tmp/tty" | head -5; fi
else
    echo "note: no script(1): bpa help on a terminal not tested"
fi

echo "man: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
