"""The bench's launcher: a small process that starts each measured child and measures it alone.

Why: Linux carries a process's memory high-water mark across fork and exec into the child's
`ru_maxrss`, so a child started by the bench itself (~240 MB: it holds the whole generated site)
reported at least that much (wget: 242 MB, really 12 MB). The bench starts this script (by path, so
that it imports nothing but the standard library) before it loads the site, and every child is
started from here: the floor is this process's own peak (`floor_mb`, about 10 MB).

For each child it reports wall and CPU time (the child and the descendants it waited for), the peak
RSS of its largest process (`ru_maxrss`, and each process's VmHWM) and the peak of the summed RSS of
its process tree (the crawl and its extraction workers), polled from /proc every `interval` seconds.
Beside it the peak of the tree's summed PSS (/proc/PID/smaps_rollup): RSS counts the library pages
the processes share (~20-25 MB each: Python, lxml, pdfium) once per process, PSS divides them among
the processes, so PSS is what the tree costs the machine.

Protocol: one JSON request per line on stdin {"argv", "cwd", "env", "log"}; one JSON answer per line
on stdout.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

INTERVAL_S = 0.1


def run(argv: list[str], log: str, cwd: str | None = None, env: dict | None = None,
        interval: float = INTERVAL_S) -> dict:
    Path(log).parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        tree = TreeMemory(proc.pid, interval)
        tree.start()
        _, status, usage = os.wait4(proc.pid, 0)
        tree.stop()
    wall = time.perf_counter() - started
    largest = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)   # KB on Linux
    return {"wall_s": wall, "exit": os.waitstatus_to_exitcode(status),
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": max(largest, tree.largest_mb),          # the largest single process
            "peak_tree_rss_mb": max(tree.peak_mb, tree.largest_mb),  # the whole tree at once
            "peak_tree_pss_mb": tree.peak_pss_mb or None,            # the same, shared pages divided
            "processes": len(tree.seen), "at_peak": tree.at_peak, "floor_mb": own_peak_mb(), "log": log}


class TreeMemory(threading.Thread):
    """Polls /proc for the summed resident memory of a process and its descendants, and each one's
    own high-water mark (VmHWM). No-op where /proc is missing."""

    def __init__(self, pid: int, interval: float):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_mb = 0.0
        self.peak_pss_mb = 0.0
        self.largest_mb = 0.0
        self.seen: set[int] = set()
        self.at_peak: list[tuple[str, float]] = []     # (process, MB) when the tree was at its peak
        self._stopped = threading.Event()

    def run(self) -> None:
        if not Path("/proc/self/status").exists():
            return
        while not self._stopped.is_set():
            total, pss, now = 0.0, 0.0, []
            for pid in descendants(self.pid):
                rss, hwm = status_mb(pid)
                total += rss
                pss += pss_mb(pid)
                now.append((process_name(pid), rss))
                self.largest_mb = max(self.largest_mb, hwm)
                self.seen.add(pid)
            if total > self.peak_mb:
                self.peak_mb, self.at_peak = total, now
            self.peak_pss_mb = max(self.peak_pss_mb, pss)
            self._stopped.wait(self.interval)

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=2)


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:                  # a process may end while it is looked at (pdftotext: one per file)
            for children in Path(f"/proc/{current}/task").glob("*/children"):
                todo += [int(c) for c in children.read_text().split()]
        except OSError:
            pass
    return found


def status_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MB; zeros when it is gone."""
    rss = hwm = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return rss, hwm


def pss_mb(pid: int) -> float:
    """The proportional set size of a process in MB; zero when it is gone or the kernel has no rollup."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as file:
            for line in file:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def process_name(pid: int) -> str:
    """A short name: the program, or what a Python process runs (-m module, -c, a spawned worker)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return str(pid)
    words = [a.decode(errors="replace") for a in argv if a]
    if not words:
        return str(pid)
    if "multiprocessing" in " ".join(words):
        return "worker" if "spawn_main" in " ".join(words) else "mp-helper"
    if "-m" in words[:-1]:
        return words[words.index("-m") + 1]
    return Path(words[0]).name + (" -c" if "-c" in words else "")


def own_peak_mb() -> float:
    return status_mb(os.getpid())[1]


def main() -> None:
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(run(**json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
