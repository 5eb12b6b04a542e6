#!/bin/sh
# Install the Debian packages bpa builds and tests with, if any is missing.
# Usage: sh scripts/install-deps.sh [--ci] [--web]   (--ci: also LibreOffice and lcov;
# --web: headless Chromium and Selenium for make web-test)
set -e
pkgs="build-essential pkg-config python3 libclang-rt-14-dev libgmp-dev libcjson-dev libxlsxwriter-dev libzip-dev libexpat1-dev libmicrohttpd-dev check clang valgrind python3-jsonschema scdoc man-db groff-base bsdextrautils python3-openpyxl"
for a in "$@"; do
    case "$a" in
    --ci) pkgs="$pkgs libreoffice-calc-nogui lcov" ;;
    --web) pkgs="$pkgs chromium chromium-driver python3-selenium" ;;
    esac
done
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
