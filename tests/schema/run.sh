#!/bin/sh
# JSON Schemas (schemas/) against every fixture and the bad-input suite:
# see check.py. Debian's python3-jsonschema (scripts/install-deps.sh).
# Usage: [BPA=path/to/bpa] sh tests/schema/run.sh   (with BPA: also the
#   schemas' number and date shapes against the engine's parsers)
set -u
here=$(cd "$(dirname "$0")" && pwd)
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    echo "FAIL: schema: Debian's python3-jsonschema is missing (sh scripts/install-deps.sh)"
    exit 1
fi
exec /usr/bin/python3 "$here/check.py"
