"""The HTTP cache of weekly re-crawls (crawler/crawl/httpcache.py): it saves bytes, it never hides
that a site is down."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from crawler.evidence.store import Store
from weekly_sites import FAST, Served, oit


def test_a_site_that_is_down_is_recorded_down_not_answered_from_the_cache(make_site, tmp_path):
    server = Served(make_site("samphanthawong_2567", oversized_bytes=0))
    url = server.start_url
    try:
        first = oit("--db", "e.sqlite", "crawl", url, *FAST, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
    finally:
        server.stop()
    oit("--db", "e.sqlite", "crawl", url, *FAST, cwd=tmp_path)     # the server is gone: refused
    store = Store(tmp_path / "e.sqlite")
    assert store.counts(1)["pages"] > 20 and (tmp_path / "e.sqlite.httpcache").is_dir()
    counts = store.counts(2)
    # Scrapy's cache middleware would answer every refused connection with last week's copy.
    assert counts["pages"] == counts["documents"] == counts["from_cache"] == 0 and counts["errors"] >= 1
    assert {f["error_kind"] for f in store.failures(2)} == {"connection"}


@pytest.fixture(scope="module")
def first_crawl(make_site, tmp_path_factory):
    """The site served, and a folder holding its first crawl (store and HTTP cache) to copy."""
    server = Served(make_site("samphanthawong_2567", oversized_bytes=0))
    work = tmp_path_factory.mktemp("first")
    try:
        result = oit("--db", "e.sqlite", "crawl", server.start_url, *FAST, cwd=work)
        assert result.returncode == 0, result.stderr
        yield server, work
    finally:
        server.stop()


def _crawled_twice(first_crawl, tmp_path, between) -> tuple[Store, subprocess.CompletedProcess, int]:
    """A copy of the first crawl, `between(its cache folder)`, then a re-crawl of the unchanged site."""
    server, work = first_crawl
    for path in work.iterdir():
        (shutil.copytree if path.is_dir() else shutil.copy2)(path, tmp_path / path.name)
    between(tmp_path / "e.sqlite.httpcache")
    sent = server.sent()
    second = oit("--db", "e.sqlite", "crawl", server.start_url, *FAST, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    return Store(tmp_path / "e.sqlite"), second, server.sent() - sent


def test_entries_of_the_folder_layout_still_answer_304s(first_crawl, tmp_path):
    """A cache written before the cache became one SQLite file (a folder per response: the body and
    pickled_meta) still makes the first re-crawl after the upgrade a round of 304s."""
    def to_folders(folder: Path) -> None:
        con = sqlite3.connect(folder / "site.sqlite")
        rows = con.execute("SELECT fingerprint, meta, body FROM responses").fetchall()
        con.close()
        for key, meta, body in rows:
            entry = folder / "site" / key.hex()[:2] / key.hex()
            entry.mkdir(parents=True)
            (entry / "response_body").write_bytes(body)
            (entry / "pickled_meta").write_bytes(meta)
        for name in ("site.sqlite", "site.sqlite-wal", "site.sqlite-shm"):
            (folder / name).unlink(missing_ok=True)
        assert len(rows) > 40

    store, _, sent = _crawled_twice(first_crawl, tmp_path, to_folders)
    first, second = store.counts(1), store.counts(2)
    assert second["pages"] == first["pages"] and second["documents"] == first["documents"]
    assert second["from_cache"] > 40 and sent < 0.05 * first["bytes"]
    # The entries it used are in the file now; the next crawl removes the folders and still gets 304s.
    folder = tmp_path / "e.sqlite.httpcache"
    con = sqlite3.connect(folder / "site.sqlite")
    assert con.execute("SELECT COUNT(*) FROM responses").fetchone()[0] >= second["from_cache"]
    con.close()
    server, _ = first_crawl
    before = server.sent()
    third = oit("--db", "e.sqlite", "crawl", server.start_url, *FAST, cwd=tmp_path)
    assert third.returncode == 0, third.stderr
    assert not (folder / "site").exists()
    assert store.counts(3)["from_cache"] > 40 and server.sent() - before < 0.05 * first["bytes"]


def test_a_damaged_cache_file_is_set_aside_and_the_crawl_goes_on(first_crawl, tmp_path):
    def damage(folder: Path) -> None:
        for name in ("site.sqlite-wal", "site.sqlite-shm"):
            (folder / name).unlink(missing_ok=True)
        (folder / "site.sqlite").write_bytes(b"not a database " * 1000)

    store, second, _ = _crawled_twice(first_crawl, tmp_path, damage)
    assert "Traceback" not in second.stderr
    assert "the HTTP cache is damaged" in second.stderr and "site.sqlite.damaged" in second.stderr
    folder = tmp_path / "e.sqlite.httpcache"
    assert (folder / "site.sqlite.damaged").read_bytes().startswith(b"not a database")
    # the run is whole, downloaded in full, and its answers cached again in a new file
    first, counts = store.counts(1), store.counts(2)
    assert counts["pages"] == first["pages"] and counts["documents"] == first["documents"]
    assert counts["from_cache"] == 0
    con = sqlite3.connect(folder / "site.sqlite")
    assert con.execute("SELECT COUNT(*) FROM responses").fetchone()[0] > 40
    con.close()
