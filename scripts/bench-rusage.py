#!/usr/bin/env python3
"""Runs a command and writes what it cost to a JSON file: wall time from fork to exit, user and system CPU time and
peak RSS from the kernel's rusage (wait4), all at microsecond resolution (GNU time rounds CPU to 10 ms).
The wrapper's own start-up happens before the clock starts. Used by scripts/bench.mjs.

Usage: bench-rusage.py <out.json> <command> [args ...]
"""
import json
import os
import sys
import time


def main() -> int:
    out, argv = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    with open(out, "w", encoding="utf-8") as f:
        json.dump(
            {
                "wallMs": wall * 1000,
                "userMs": usage.ru_utime * 1000,
                "sysMs": usage.ru_stime * 1000,
                "maxRssKiB": usage.ru_maxrss,
            },
            f,
        )
    return os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8


if __name__ == "__main__":
    sys.exit(main())
