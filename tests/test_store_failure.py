"""The machine, not the site, stops a run (issue 14): a full disk mid-crawl ends the crawl at once, keeps
what was stored, marks the run failed with the reason, exits 4 and publishes no score."""
from __future__ import annotations

import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from crawler.evidence.store import Store
from sitegen.layouts import layout
from sitegen.server import serve_pair

LIMIT = 400_000          # bytes any one file may grow to: the store fills up a few hundred resources in


def _small_disk() -> None:
    """In the crawl's process: files cannot grow past LIMIT (a write past it fails as on a full disk)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def oit(*args: str, cwd: Path, limited: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, preexec_fn=_small_disk if limited else None)


def test_a_full_disk_stops_the_crawl_and_marks_the_run_failed(tmp_path):
    server = serve_pair(layout("endpoints"))          # 300 documents behind /download?id=N
    try:
        done = oit("--db", "e.sqlite", "crawl", server.url + "/index.php?lang=th", "--no-progress", "--delay", "0",
                   "--concurrency", "8", "-s", "HTTPCACHE_ENABLED=false", cwd=tmp_path, limited=True)
    finally:
        server.stop()
    assert done.returncode == 4, done.stderr[-2000:]
    # SQLite says "disk I/O error" for a file that may not grow, "database or disk is full" on ENOSPC
    assert "the disk" in done.stderr and "Traceback" not in done.stderr
    assert "--db" in done.stderr                                  # what to do: free space, or a new file
    store = Store(tmp_path / "e.sqlite")
    run = store.run(1)
    assert run["status"] == "failed" and "the disk" in run["stats"]["failure"]
    kept = store.counts(1)
    assert kept["pages"] + kept["documents"] > 0                  # what was stored before stays readable
    audit = oit("--db", "e.sqlite", "audit", "--run", "1", "--fiscal-year", "2567", "--as-of", "2024-06-30",
                "--format", "json", "--out", "out", cwd=tmp_path)
    assert audit.returncode == 3 and "the crawl failed" in audit.stderr + audit.stdout
    assert '"published": false' in (tmp_path / "out" / "report.json").read_text(encoding="utf-8")


def test_store_trouble_names_the_disk_and_the_damage():
    from crawler.evidence.store import store_trouble
    assert "disk is full" in store_trouble(sqlite3.OperationalError("database or disk is full"))
    assert "damaged" in store_trouble(sqlite3.DatabaseError("database disk image is malformed"))
    assert "full or failing" in store_trouble(sqlite3.OperationalError("disk I/O error"))
    assert store_trouble(sqlite3.OperationalError("database is locked")) is None
