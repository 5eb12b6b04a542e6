#!/bin/sh
# The installed library (make install PREFIX=DIR): files, soname and links,
# pkg-config, a program built against it outside the source tree (shared and
# static), and an export list of exactly the BPA_API functions.
# Usage: sh tests/install/run.sh   (make install-test; MAKE, CC, BUILD from the environment)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${MAKE:=make}" "${CC:=cc}" "${BUILD:=build}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
lib=$prefix/lib
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # check NAME COMMAND...: the command succeeds
    n=$1
    shift
    if "$@" >"$tmp/out" 2>&1; then ok; else bad "$n"; sed 's/^/  | /' "$tmp/out" | head -10; fi
}

if ! $MAKE -C "$root" --no-print-directory install PREFIX="$prefix" BUILD="$BUILD" >"$tmp/log" 2>&1; then
    bad "make install"; sed 's/^/  | /' "$tmp/log" | tail -20
    echo "install: $pass passed, $fail failed"; exit 1
fi

# ---- files, soname, links ------------------------------------------------------
version=$(sed -n 's/^VERSION *:= *//p' "$root/Makefile")
check "lib/libbpa.so.$version is a file" test -f "$lib/libbpa.so.$version" -a ! -L "$lib/libbpa.so.$version"
check "libbpa.so.0 -> libbpa.so.$version" test "$(readlink "$lib/libbpa.so.0")" = "libbpa.so.$version"
check "libbpa.so -> libbpa.so.0" test "$(readlink "$lib/libbpa.so")" = libbpa.so.0
check "soname libbpa.so.0" sh -c "readelf -d '$lib/libbpa.so.$version' | grep -q 'SONAME.*\[libbpa.so.0\]'"
check "lib/libbpa.a" test -f "$lib/libbpa.a"
check "bin/bpa" test -x "$prefix/bin/bpa"
check "lib/pkgconfig/bpa.pc" test -f "$lib/pkgconfig/bpa.pc"
check "the headers" diff -r "$root/include/bpa" "$prefix/include/bpa"
check "the policies" diff -r "$root/fixtures/policies" "$prefix/share/bpa/policies"
check "the schemas" diff -r "$root/schemas" "$prefix/share/bpa/schemas"
check "the manual pages" sh -c "for p in $root/man/*.1.scd; do test -f $prefix/share/man/man1/\$(basename \$p .scd) || exit 1; done; test -f $prefix/share/man/man5/bpa-files.5"

# ---- pkg-config ------------------------------------------------------------------
export PKG_CONFIG_PATH="$lib/pkgconfig"
check "pkg-config --modversion" test "$(pkg-config --modversion bpa)" = "$version"
cflags=$(pkg-config --cflags bpa) libs=$(pkg-config --libs bpa) static=$(pkg-config --static --libs bpa)
case " $cflags " in *" -I$prefix/include "*) ok ;; *) bad "pkg-config --cflags: $cflags" ;; esac
case " $libs " in *" -L$lib "*) ok ;; *) bad "pkg-config --libs lacks -L$lib: $libs" ;; esac
case " $libs " in *" -lbpa "*) ok ;; *) bad "pkg-config --libs lacks -lbpa: $libs" ;; esac
case " $static " in *" -lcjson "*) ok ;; *) bad "pkg-config --static --libs lacks -lcjson: $static" ;; esac

# ---- a program against the installed shared library -----------------------------
# alb-2025-full-year: grant = wages 398633.51 + allowance 12000.00 = 410633.51,
# the hand-worked total of tests/cli/expected/alb-2025-full-year.totals
want=$(sed -n 's/^grant=//p' "$root/tests/cli/expected/alb-2025-full-year.totals")
case_file=$root/fixtures/cases/alb-2025-full-year.json
cd "$tmp" || exit 1
# shellcheck disable=SC2086 # pkg-config's flags are word lists
check "build hello (shared)" $CC -std=c17 -Wall -Wextra -Werror $cflags "$here/hello.c" -o hello $libs
check "hello needs libbpa.so.0" sh -c "readelf -d hello | grep -q 'NEEDED.*\[libbpa.so.0\]'"
LD_LIBRARY_PATH=$lib ./hello "$case_file" "$prefix/share/bpa/policies" >"$tmp/out" 2>&1
if [ "$(cat "$tmp/out")" = "bpa $version: grant ALB-2025-0001 $want" ]; then ok; else
    bad "hello (shared): $(cat "$tmp/out"), expected grant $want"; fi
check "hello loads the installed library" sh -c "LD_LIBRARY_PATH='$lib' ldd ./hello | grep -qF '$lib/libbpa.so.0'"
# static: libbpa.a by name, the rest from Libs.private and Requires.private
static_a=$(printf '%s' "$static" | sed 's/-lbpa\b/-l:libbpa.a/')
# shellcheck disable=SC2086
check "build hello (static libbpa)" $CC -std=c17 -Wall -Wextra -Werror $cflags "$here/hello.c" -o hello-static $static_a
if readelf -d hello-static | grep -q 'NEEDED.*libbpa'; then bad "hello-static still needs libbpa.so"; else ok; fi
./hello-static "$case_file" "$prefix/share/bpa/policies" >"$tmp/out" 2>&1
if [ "$(cat "$tmp/out")" = "bpa $version: grant ALB-2025-0001 $want" ]; then ok; else
    bad "hello (static): $(cat "$tmp/out"), expected grant $want"; fi

# ---- the installed CLI finds the installed policies --------------------------------
(unset BPA_POLICY_DIR; "$prefix/bin/bpa" grant "$case_file" --json -) >"$tmp/out" 2>&1
if grep -qF "\"grant\": \"$want\"" "$tmp/out"; then ok; else bad "installed bpa grant"; head -5 "$tmp/out"; fi
mv "$prefix/share/bpa/policies/albertslund.json" "$tmp/moved.json"
(unset BPA_POLICY_DIR; "$prefix/bin/bpa" grant "$case_file") >/dev/null 2>"$tmp/err"
if grep -qF "$prefix/bin/../share/bpa/policies/albertslund.json" "$tmp/err"; then ok; else
    bad "installed bpa does not look in PREFIX/share/bpa/policies"; cat "$tmp/err"; fi

# ---- exports: only the functions the installed headers declare with BPA_API --------
# declared: comments and preprocessor lines removed, the name before "(" of
# each BPA_API declaration
for h in "$prefix"/include/bpa/*.h; do sed '/^[[:space:]]*#/d' "$h"; done | tr '\n' ' ' |
    sed 's|/\*[^*]*\*\+\([^/*][^*]*\*\+\)*/||g' | grep -o 'BPA_API[^(;]*(' |
    sed 's/[[:space:]]*($//; s/.*[^A-Za-z0-9_]//' | sort -u >"$tmp/declared"
# exported: the defined dynamic symbols, less the three the linker adds
nm -D --defined-only "$lib/libbpa.so.$version" | awk '{ print $3 }' |
    grep -vxE '__bss_start|_edata|_end' | sort -u >"$tmp/exported"
if [ "$(wc -l <"$tmp/declared")" -gt 50 ]; then ok; else bad "only $(wc -l <"$tmp/declared") BPA_API declarations found"; fi
extra=$(comm -13 "$tmp/declared" "$tmp/exported" | tr '\n' ' ')
if [ -z "$extra" ]; then ok; else bad "exported without a BPA_API declaration: $extra"; fi
# every exported symbol is a function (text), not data
data=$(nm -D --defined-only "$lib/libbpa.so.$version" | awk '$2 !~ /^[TtWi]$/ { print $3 }' |
    grep -vxE '__bss_start|_edata|_end' | tr '\n' ' ')
if [ -z "$data" ]; then ok; else bad "exported data: $data"; fi
echo "  $(wc -l <"$tmp/exported") functions exported, all declared with BPA_API"

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
