"""Extraction workers (crawler/extraction/workers.py): lean processes, recycled, large bodies by file."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from crawler.cli.checks import check_settings
from crawler.errors import InputError
from crawler.extraction.workers import ExtractionPool

CRAWL_ONLY = ("scrapy", "twisted")


def _crawl_modules(names) -> list[str]:
    return sorted(n for n in names if n.split(".")[0] in CRAWL_ONLY)


def test_the_worker_program_imports_nothing_of_the_crawl():
    code = ("import sys, crawler.extraction.workers as w; w._worker_started(); "
            "print('\\n'.join(sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    modules = done.stdout.split()
    assert "crawler.extraction.pdf" in modules and "lxml.etree" in modules    # it did load the extractors
    assert _crawl_modules(modules) == []


def test_a_worker_reads_a_spreadsheet_without_pandas(tmp_path):
    """pandas would add ~45 MB to every worker (make bench): spreadsheets go to python-calamine directly."""
    import pandas as pd
    sheet = tmp_path / "stats.xlsx"
    pd.DataFrame([["สถิติการจัดเก็บภาษี ปีงบประมาณ พ.ศ. 2567", None], ["ภาษีป้าย", 1200.0]]).to_excel(
        sheet, header=False, index=False)
    pool = ExtractionPool(1)
    try:
        future, _ = pool.submit(sheet.read_bytes(), url="http://h/x/stats.xlsx")
        extraction, dates, mojibake = future.result(timeout=120)
        names = pool._submit(eval, "list(__import__('sys').modules)")[0].result(timeout=60)
    finally:
        pool.close()
    assert extraction.format == "xlsx" and extraction.tables[0].rows[1] == ["ภาษีป้าย", "1200"]
    assert any(d["fiscal_year"] == 2567 for d in dates)
    assert mojibake is False           # only a page whose text decoded to garbage is mojibake
    assert not [n for n in names if n.split(".")[0] in ("pandas", "numpy")]


def test_a_large_pdf_is_read_from_its_file_not_loaded_whole(tmp_path):
    """A worker gets a large body as a file (ExtractionPool.submit): a PDF is searched and read from
    that file, so a 30 MB PDF does not make the worker 30 MB larger (make bench: its peak 91 -> 61 MB)."""
    from sitegen.hostile import pdf_bomb
    large = tmp_path / "photos.pdf"
    large.write_bytes(pdf_bomb(1 << 20, padding=30 << 20))
    small = tmp_path / "small.pdf"
    small.write_bytes(pdf_bomb(1 << 20))
    code = ("import resource, sys\n"
            "from crawler.extraction.workers import extract_evidence_file\n"
            "def peak(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
            f"first, *_ = extract_evidence_file({str(small)!r}, filename='small.pdf')\n"
            "before = peak()\n"
            f"large, *_ = extract_evidence_file({str(large)!r}, filename='photos.pdf')\n"
            "print(first.format, large.format, large.error, large.pages, round(peak() - before, 1))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    first, fmt, error, pages, grown = done.stdout.split()
    assert (first, fmt, error, pages) == ("pdf", "pdf", "None", "1")
    assert float(grown) < 10, f"the worker grew {grown} MB reading a 30 MB PDF"


def page(n: int, filler: int = 0) -> bytes:
    return (f"<html><head><title>หน้า {n}</title></head><body><p>ประกาศ ปีงบประมาณ พ.ศ. 2568</p>"
            f"<p>{'ก' * filler}</p><a href='/x/{n}.pdf'>เอกสาร</a></body></html>").encode()


def test_a_pool_extracts_recycles_and_hands_large_bodies_over_as_files():
    pool = ExtractionPool(1, recycle=3, file_bytes=10_000)
    try:
        pids, spooled = set(), []
        for n in range(7):
            body = page(n, filler=20_000 if n % 2 else 0)            # every other body over file_bytes
            future, _ = pool.submit(body, content_type="text/html", url=f"http://h/x/p{n}")
            extraction, dates, mojibake = future.result(timeout=120)
            assert extraction.title == f"หน้า {n}" and extraction.links[0].href == f"http://h/x/{n}.pdf"
            assert any(d["fiscal_year"] == 2568 for d in dates)
            assert mojibake is False
            pids.add(pool._submit(os.getpid)[0].result(timeout=60))
            if pool._spool is not None:              # (looked at once the body's future is all done)
                spooled.append(sorted(os.listdir(pool._spool)))
            names = pool._submit(eval, "list(__import__('sys').modules)")[0].result(timeout=60)
            assert _crawl_modules(names) == [], names        # the live worker, after real work
        assert pool.recycled >= 2 and len(pids) == pool.recycled + 1    # fresh processes, one at a time
        assert spooled and all(files == [] for files in spooled)       # each temporary file removed when done
        spool = pool._spool
    finally:
        pool.close()
    assert spool is not None and not spool.exists()


def test_a_retired_pool_finishes_its_work_before_the_next_one_starts():
    """Old and new workers at once were the crawl's peak memory (make bench): the crawl waits for the
    retired pool (ExtractionPool.retire_if_due) before it gives the next document."""
    pool = ExtractionPool(1, recycle=2)
    try:
        given = [pool.submit(page(n), content_type="text/html", url=f"http://h/x/p{n}")[0] for n in range(2)]
        drained = pool.retire_if_due()           # the worker is still starting: its two documents wait
        assert drained is not None and not all(f.done() for f in given)
        assert pool.retire_if_due() is drained   # asked again while it works: the same wait
        drained.result(timeout=120)
        assert all(f.done() and f.exception() is None for f in given)
        assert pool.retire_if_due() is None and pool.recycled == 1
        later, executor = pool.submit(page(9), content_type="text/html", url="http://h/x/p9")
        assert later.result(timeout=120)[0].title == "หน้า 9"
    finally:
        pool.close()


def test_the_pool_settings_the_readme_documents_are_accepted_on_the_command_line():
    """`-s OIT_EXTRACT_RECYCLE=…` was refused as "no such setting" though the README documents it."""
    assert check_settings({"OIT_EXTRACT_WORKERS": "2", "OIT_EXTRACT_RECYCLE": "2000",
                           "OIT_EXTRACT_FILE_BYTES": "0", "OIT_EXTRACT_NICE": "0"}) == {
        "OIT_EXTRACT_WORKERS": 2, "OIT_EXTRACT_RECYCLE": 2000, "OIT_EXTRACT_FILE_BYTES": 0,
        "OIT_EXTRACT_NICE": 0}
    with pytest.raises(InputError, match="zero or more"):
        check_settings({"OIT_EXTRACT_NICE": "-5"})       # a higher priority than the crawl's: refused
    with pytest.raises(InputError, match="must be positive"):
        check_settings({"OIT_EXTRACT_RECYCLE": "0"})


def test_workers_run_at_a_lower_priority_than_the_crawl_unless_told_not_to():
    """The crawl process is the critical path: its workers are niced (OIT_EXTRACT_NICE, default 10)."""
    from crawler.extraction.workers import NICE, niceness
    own = os.nice(0)
    assert niceness(None) == NICE == 10 and niceness({"OIT_EXTRACT_NICE": 0}) == 0
    for nice, expected in ((NICE, min(19, own + NICE)), (0, own)):
        pool = ExtractionPool(1, nice=nice)
        try:
            future, _ = pool._submit(os.nice, 0)         # a worker's own niceness
            assert future.result(timeout=60) == expected
        finally:
            pool.close()
