#!/bin/sh
# Every figure of every shipped settlement result (Danish and Swedish)
# changed by 0.01 in turn: bpa verify finds exactly that one (verify_mutate.py).
. "$(dirname "$0")/lib.sh"
cd "$root" || exit 1
for u in fixtures/usage/*.json; do
    n=$(basename "$u" .json)
    [ -f "reports/$n.account.json" ] || continue
    "$PYTHON" "$here/verify_mutate.py" "$BPA" "fixtures/cases/$n.json" "$u" \
        "reports/$n.account.json" && ok || bad "$n: a changed figure was not found exactly"
done
finish verify_mutate.sh
