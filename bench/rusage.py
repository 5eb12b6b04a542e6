#!/usr/bin/env python3
"""Run commands alternately and report each one's best CPU and wall time.

    bench/rusage.py RUNS LABEL=CMD [LABEL=CMD ...]

Each CMD is a shell command (stdout and stderr discarded). Every round runs
all of them once, in turn, so that on a shared machine they see the same
load. CPU time (user + system) comes from wait4's rusage in microseconds,
finer than /usr/bin/time's hundredths, which matters for `wc -l` on a 40 MB
file (about 10 ms). Prints one line per command: label, best CPU seconds,
best wall seconds, largest peak RSS in kB. The peak is ru_maxrss, which on
Linux keeps the high-water mark of the forked Python until exec: it never
reads below about 9 MB (bpa's 20-30 MB on 1M shifts are its own; the first
table of bench/timesheet.sh has /usr/bin/time's figures).
"""
import os
import subprocess
import sys
import time


def run(cmd: str):
    t0 = time.monotonic()
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(["/bin/sh", "-c", "exec " + cmd], stdout=null, stderr=null)
        _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    return code, ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss


def main() -> None:
    runs = int(sys.argv[1])
    cmds = [a.split("=", 1) for a in sys.argv[2:]]
    best = {label: [float("inf"), float("inf"), 0] for label, _ in cmds}
    for _ in range(runs):
        for label, cmd in cmds:
            code, cpu, wall, rss = run(cmd)
            if code != 0:
                sys.exit(f"{label}: exit status {code}: {cmd}")
            b = best[label]
            b[0] = min(b[0], cpu)
            b[1] = min(b[1], wall)
            b[2] = max(b[2], rss)
    for label, _ in cmds:
        cpu, wall, rss = best[label]
        print(f"{label} {cpu:.4f} {wall:.4f} {rss}")


if __name__ == "__main__":
    main()
