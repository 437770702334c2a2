"""A disk that fills and a store that becomes corrupt during a crawl (issue 14): the run stops, is
marked `failed` with the reason, the user is told what to do (exit 4), no score is published, and what
was stored before stays readable. Real subprocesses, a real file-size limit, a real damaged SQLite file."""
from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from crawler.errors import EXIT_RUN_FAILED
from crawler.evidence.store import Store

FAST = ["--delay", "0", "--concurrency", "4", "--no-progress"]


def oit(*args: str, cwd: Path, preexec_fn=None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=preexec_fn)


def runs(db: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return con.execute("SELECT * FROM runs ORDER BY id").fetchall()
    finally:
        con.close()


def resource_count(db: Path, run_id: int) -> int:
    """Resources of the run with their text, read back through the store."""
    store = Store(db)
    try:
        return sum(1 for r in store.load_run(run_id).resources.values() if r.ok and r.text)
    finally:
        store.close()


def file_size_limit(limit: int):
    def apply() -> None:      # writes past the limit fail with EFBIG instead of killing the process
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def assert_failed_message(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == EXIT_RUN_FAILED, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    line = next(l for l in result.stderr.splitlines() if "the crawl failed" in l)
    assert "การเก็บข้อมูลล้มเหลว" in line and "Free disk space" in line and "new file" in line
    assert "OIT score" not in result.stdout


def test_a_full_disk_fails_the_run_with_its_reason_and_keeps_earlier_runs(site_server, tmp_path):
    server = site_server()
    first = oit("--db", "e.sqlite", "crawl", server.url, *FAST, "--max-pages", "5", cwd=tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    db = tmp_path / "e.sqlite"
    kept = resource_count(db, 1)
    limit = db.stat().st_size + 48 * 1024          # room for a few more pages, not for the district
    result = oit("--db", "e.sqlite", "audit", server.url, *FAST, "--fiscal-year", "2567",
                 "--as-of", "2024-06-30", "--out", "out", cwd=tmp_path, preexec_fn=file_size_limit(limit))
    assert_failed_message(result)
    assert "File too large" in result.stderr or "disk is full" in result.stderr or "disk I/O" in result.stderr
    assert not (tmp_path / "out" / "report.json").exists()          # no score published
    first_run, second_run = runs(db)
    assert first_run["status"] == "complete" and resource_count(db, 1) == kept    # nothing lost
    if second_run["status"] == "failed":
        assert "could not be written" in second_run["stats"]
        shown = "failed"
    else:
        # Sometimes even the one small write fails: the log of what was stored cannot move into a
        # store that cannot grow, so the log cannot start over either (2 runs in 8 on 5 Dec 2026).
        # The crawl says so, and the store's next reader finds the run's process gone: incomplete.
        assert second_run["status"] == "running"
        assert "could not be marked failed in the store either" in result.stderr
        assert "treat it as failed" in result.stderr
        shown = "incomplete"
    listing = oit("--db", "e.sqlite", "runs", cwd=tmp_path)
    assert listing.returncode == 0 and shown in listing.stdout
    # Judged later, the failed run is unhealthy: no score.
    report = oit("--db", "e.sqlite", "report", "--run", "2", "--fiscal-year", "2567", "--as-of", "2024-06-30",
                 "--out", "later", cwd=tmp_path)
    assert report.returncode != 0 or '"oit_score": null' in (tmp_path / "later" / "report.json").read_text()


def test_a_store_damaged_mid_crawl_fails_the_run(site_server, tmp_path):
    server = site_server()
    db = tmp_path / "e.sqlite"
    done = threading.Event()

    def damage() -> None:   # another process's bug: once the crawl has stored a few pages, wreck the file
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not done.is_set():
            try:
                con = sqlite3.connect(db, timeout=10)
                stored = con.execute("SELECT count(*) FROM resources").fetchone()[0]
                if stored >= 3:
                    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    con.close()
                    size = db.stat().st_size
                    with open(db, "r+b") as f:
                        f.seek(4096)
                        f.write(os.urandom(size - 4096))
                    return
                con.close()
            except sqlite3.Error:
                pass
            time.sleep(0.05)

    wrecker = threading.Thread(target=damage)
    wrecker.start()
    try:
        result = oit("--db", "e.sqlite", "crawl", server.url, "--delay", "0.2", "--concurrency", "1",
                     "--no-progress", cwd=tmp_path)
    finally:
        done.set()
        wrecker.join()
    assert_failed_message(result)
    assert "malformed" in result.stderr or "not a database" in result.stderr
    assert "marked failed" in result.stderr      # in the store, or stderr says it could not be


def test_a_write_the_store_refuses_for_its_own_data_is_not_a_storage_failure(tmp_path):
    """A constraint or a value SQLite cannot bind is that record's (a bug of ours: the crawl stores it as
    a crawler_error and goes on, tests/test_crawler_errors.py), not a reason to stop the run and tell
    the user to free disk space; a lock is waited out; a disk or store failure stops the run."""
    from crawler.evidence.store import is_storage_failure
    store = Store(tmp_path / "e.sqlite")
    refused = []
    for resource in ({"url": "http://127.0.0.1/a", "kind": "page", "ok": True, "sha256": "f" * 64},   # no such text
                     {"url": "http://127.0.0.1/b", "kind": "page", "ok": False, "error": {"not": "bindable"}}):
        try:
            store.add_resource(store.start_run("http://127.0.0.1/"), resource)
        except sqlite3.Error as exc:
            refused.append(exc)
    assert len(refused) == 2 and not any(is_storage_failure(exc) for exc in refused)
    assert not is_storage_failure(sqlite3.OperationalError("database is locked"))
    assert is_storage_failure(sqlite3.OperationalError("disk I/O error"))
    assert is_storage_failure(sqlite3.DatabaseError("database disk image is malformed"))
