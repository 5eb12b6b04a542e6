#!/usr/bin/env python3
"""Write a large, valid 2025 timesheet, to show that reading it keeps memory flat.

    scripts/gen-timesheet.py [--shuffle] [N [HELPERS]] > big.csv
        N        shifts (default 1,000,000)
        HELPERS  helpers taking turns (default 10)
        --shuffle  the same rows in a (deterministic) random order, which the
                   engine must accept like the sorted file (RULES.md 8.1 Order)

Deterministic (a fixed LCG). The year is cut into one slot per shift and
helper; a shift lies somewhere in its slot, at most 8 hours long and at least a
minute short of it. So a small N gives 8-hour shifts, and 1,000,000 shifts for a few
helpers in one year are short visits of a few minutes (the file is a stress
test, not a realistic week). Each helper's shifts are in time order and never
overlap; a slot that starts or ends in the missing hour of 30 March (02:00-02:59)
is skipped, since such a clock time is an error.
"""
import datetime
import random
import sys

YEAR = 2025
MAX_SHIFT = 8 * 60
MINUTES = 365 * 1440 - 1440  # a day's margin for skipped slots


def main() -> None:
    args = sys.argv[1:]
    shuffle = "--shuffle" in args
    args = [a for a in args if a != "--shuffle"]
    n = int(args[0]) if len(args) > 0 else 1_000_000
    helpers = int(args[1]) if len(args) > 1 else 10
    per_helper = -(-n // helpers)
    slot = MINUTES // per_helper
    if slot < 2:
        sys.exit(f"{n} shifts for {helpers} helpers do not fit in {YEAR}: give more helpers")
    first = datetime.date(YEAR, 1, 1)
    days = [(first + datetime.timedelta(days=d)).isoformat() for d in range(366)]
    gap_day = (datetime.date(YEAR, 3, 30) - first).days

    def missing(t: int) -> bool:
        return t // 1440 == gap_day and 120 <= t % 1440 < 180

    out = sys.stdout
    out.write("helper,date,start,end,kind,step\n")
    rows = []
    state = 12345
    written = 0
    i = 0
    while written < n:
        if (i + 1) * slot > 365 * 1440:
            sys.exit("ran out of year; give more helpers")
        base = i * slot
        for h in range(helpers):
            if written == n:
                break
            state = (state * 1103515245 + 12345) % 2**31
            r = state >> 8
            length = min(MAX_SHIFT, slot - 1 - r % max(1, slot // 8))
            start = base + (r >> 7) % (slot - length)
            end = start + length
            if missing(start) or missing(end):
                continue
            kind = "on_call" if r % 5 == 0 else "work"
            step = "18" if (r >> 4) % 3 == 0 else "11"
            rows.append(f"helper{h},{days[start // 1440]},{start % 1440 // 60:02d}:"
                        f"{start % 60:02d},{end % 1440 // 60:02d}:{end % 60:02d},{kind},{step}\n")
            written += 1
        i += 1
    if shuffle:
        random.Random(2025).shuffle(rows)
    out.writelines(rows)


if __name__ == "__main__":
    main()
