"""Never publish a score for what was not seen (issue 13), on the loopback server: the crawl's scope,
documents behind query strings, traps, completeness, stored audits, broken files and lost writes.

Each crawl runs the real `oit` command in a subprocess against the hand-laid sites of
sitegen/layouts.py (or the generated district for the capped crawl).
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.evidence.store import Store
from sitegen.layouts import DOCUMENTS, DRIVE_DOCUMENTS, layout
from sitegen.server import serve_pair

FAST = ["--delay", "0", "--concurrency", "8", "--no-progress"]
AS_OF = "2024-06-30"


def oit(*args: str, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def served():
    handles = []

    def start(name: str, **kw):
        handle = serve_pair(layout(name, **kw))
        handles.append(handle)
        return handle

    yield start
    for handle in handles:
        handle.stop()


def resources(db: Path) -> dict[str, sqlite3.Row]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    return {r["url"]: r for r in con.execute("SELECT * FROM resources")}


def crawl(server, path: str, tmp_path: Path, *extra: str) -> tuple[subprocess.CompletedProcess, dict]:
    result = oit("--db", "e.sqlite", "crawl", server.url + path, *FAST, *extra, cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    return result, resources(tmp_path / "e.sqlite")


# -- 1. scope from the site ---------------------------------------------------------------------------

def test_a_start_page_inside_the_district_crawls_the_district(served, tmp_path):
    server = served("inside_district")
    result, stored = crawl(server, "/district/coverpages", tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"scope: {server.url}/district/" in result.stderr          # printed at the start
    pages = [u for u, r in stored.items() if r["kind"] == "page" and r["ok"]]
    assert len(pages) == 10                                            # cover, 8 pages, the ITA index
    assert server.url + "/other/page/1" not in stored                  # another district: never crawled


def test_scope_option_overrides_the_derived_scope(served, tmp_path):
    server = served("inside_district")
    result, stored = crawl(server, "/district/coverpages", tmp_path, "--scope", "/")
    assert f"scope: {server.url}/ (--scope)" in result.stderr
    assert stored[server.url + "/other/page/1"]["ok"]                  # the whole host is the site now


@pytest.mark.parametrize("start", ["/", ""])
def test_a_start_url_that_redirects_is_judged_by_where_it_leads(served, tmp_path, start):
    server = served("redirect_home")
    result, stored = crawl(server, start, tmp_path)
    assert result.returncode == 0, result.stderr
    home = stored[server.url + "/"]
    assert home["ok"] and home["final_url"] == server.url + "/Home"
    assert sum(1 for r in stored.values() if r["kind"] == "page" and r["ok"]) == 10
    report = oit("--db", "e.sqlite", "audit", "--run", "1", "--fiscal-year", "2567", "--as-of", AS_OF,
                 "--format", "json", "--out", "out", "--partial", cwd=tmp_path)
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["crawl"]["healthy"], data["crawl"]["health_reasons"]
    assert not any("start page" in r for r in data["crawl"]["health_reasons"]), report.stderr


# -- 2. documents behind query strings; traps by repeated content -------------------------------------

def test_documents_behind_query_strings_and_a_drive_are_documents_and_the_calendar_is_bounded(served, tmp_path):
    server = served("endpoints")
    result, stored = crawl(server, "/index.php?lang=th", tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"scope: {server.url}/" in result.stderr                    # a ?lang= start page is the host
    downloads = [r for u, r in stored.items() if "/download?id=" in u]
    assert len(downloads) == DOCUMENTS and all(r["ok"] and r["kind"] == "document" for r in downloads)
    drive = [r for u, r in stored.items() if "/uc?" in u]
    assert len(drive) == DRIVE_DOCUMENTS and all(r["ok"] and r["kind"] == "document" for r in drive)
    calendar = [r for u, r in stored.items() if "/calendar?" in u]
    assert any(r["error_kind"] == "trap_bound" and "repeats" in r["error"] for r in calendar)
    assert len(calendar) < 12


# -- 3. completeness is part of the verdict -----------------------------------------------------------

def test_a_capped_crawl_publishes_no_score_unless_partial_and_never_a_zero_for_what_was_not_seen(
        site_server, tmp_path):
    server = site_server("samphanthawong_2567")
    capped = oit("--db", "e.sqlite", "audit", server.start_url, "--fiscal-year", "2567", "--as-of", AS_OF,
                 "--max-pages", "40", "--format", "json,md", "--out", "out", *FAST, cwd=tmp_path)
    assert capped.returncode == 3, capped.stderr
    assert "--partial" in capped.stderr
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["published"] is False and data["oit_score"] is None
    assert data["not_checked_items"] and "plan" not in data
    assert any("page limit of 40" in r for r in data["completeness"]["reasons"])
    for item in data["items"]:
        assert item["status"] in ("pass", "not_checked"), item["id"]   # nothing judged missing
        if item["status"] == "not_checked":
            assert item["score"] is None and item["reason_th"].startswith("ยังไม่ได้ตรวจ")

    partial = oit("--db", "e.sqlite", "audit", "--run", "1", "--fiscal-year", "2567", "--as-of", "2024-07-01",
                  "--partial", "--format", "json,md,html,csv,xlsx", "--out", "partial", cwd=tmp_path)
    assert partial.returncode == 0, partial.stderr
    data = json.loads((tmp_path / "partial" / "report.json").read_text(encoding="utf-8"))
    done = data["completeness"]
    assert data["published"] and done["partial"] and done["not_checked"] == data["not_checked_items"]
    assert done["oit_score_min"] == data["oit_score"] < done["oit_score_max"]
    fixes = {f["item"] for f in data["plan"]["fixes"]}
    assert not fixes & set(done["not_checked"])                       # never "publish this"
    md = (tmp_path / "partial" / "report.md").read_text(encoding="utf-8")
    html = (tmp_path / "partial" / "report.html").read_text(encoding="utf-8")
    for text in (md, html, partial.stdout):
        assert "ผลการตรวจบางส่วน" in text and done["not_checked"][0] in text
    assert "ยังไม่ได้ตรวจ" in (tmp_path / "partial" / "items.csv").read_text(encoding="utf-8-sig")
    from openpyxl import load_workbook
    cells = [c for ws in load_workbook(tmp_path / "partial" / "report.xlsx") for row in ws.iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    assert any("ผลการตรวจบางส่วน" in c for c in cells) and any("ยังไม่ได้ตรวจ" in c for c in cells)


def test_a_first_run_on_a_login_page_is_unhealthy(served, tmp_path):
    server = served("login")
    result = oit("--db", "e.sqlite", "audit", server.url + "/", "--fiscal-year", "2567", "--as-of", AS_OF,
                 "--format", "json", "--out", "out", *FAST, cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    reasons = " ".join(data["crawl"]["health_reasons"])
    assert "login or challenge page" in reasons and "only 1 pages in a first run" in reasons
    assert "no page looks like the ITA/OIT index" in reasons
    assert data["published"] is False


# -- 4. stored audits are immutable -------------------------------------------------------------------

def test_report_renders_the_stored_audit_and_judging_again_adds_one(served, tmp_path):
    server = served("redirect_home")
    crawl(server, "/", tmp_path)
    first = oit("--db", "e.sqlite", "audit", "--run", "1", "--fiscal-year", "2567", "--as-of", AS_OF,
                "--partial", "--format", "json", "--out", "a", cwd=tmp_path)
    stored = json.loads((tmp_path / "a" / "report.json").read_text(encoding="utf-8"))
    again = oit("--db", "e.sqlite", "report", "--run", "1", "--fiscal-year", "2567", "--format", "json",
                "--out", "b", cwd=tmp_path)                          # no --as-of: the stored audit
    assert "the stored audit as of 2024-06-30" in again.stderr, (first.stderr, again.stderr)
    rendered = json.loads((tmp_path / "b" / "report.json").read_text(encoding="utf-8"))
    assert rendered == stored
    oit("--db", "e.sqlite", "report", "--run", "1", "--fiscal-year", "2567", "--as-of", "2024-09-30",
        "--partial", "--format", "json", "--out", "c", cwd=tmp_path)
    audits = Store(tmp_path / "e.sqlite").audits(run_id=1)
    assert [a["as_of"] for a in audits] == ["2024-06-30", "2024-09-30"]
    assert Store(tmp_path / "e.sqlite").audit_report(audits[0]["id"]) == stored
    history = oit("--db", "e.sqlite", "history", cwd=tmp_path)
    # both audits of the run, dated as staff read dates (Buddhist Era)
    assert "30 มิ.ย. 2567" in history.stdout and "30 ก.ย. 2567" in history.stdout, history.stdout


# -- 5. broken is not evidence; 6. nothing is lost ----------------------------------------------------

def test_broken_files_are_recorded_with_their_defect_and_never_satisfy_an_element(served, tmp_path):
    server = served("hostile", retry_after=1)
    result, stored = crawl(server, "/", tmp_path)
    kinds = {u.removeprefix(server.url): (r["ok"], r["error_kind"]) for u, r in stored.items()}
    assert kinds["/docs/empty.pdf"] == (0, "broken_empty")
    assert kinds["/docs/cut.pdf"] == (0, "broken_unreadable")
    assert kinds["/docs/locked.pdf"] == (0, "broken_encrypted")
    assert kinds["/mojibake"] == (0, "broken_mojibake")
    assert kinds["/loop/a"] == (0, "redirect_loop")                   # a redirect loop is recorded
    assert kinds["/busy"] == (1, None)                                # retried after its Retry-After
    stats = Store(tmp_path / "e.sqlite").run(1)["stats"]
    assert stats["retry_after_waits"] == 1
    oit("--db", "e.sqlite", "audit", "--run", "1", "--fiscal-year", "2567", "--as-of", AS_OF, "--partial",
        "--format", "json,md", "--out", "out", cwd=tmp_path)
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    broken = {server.url + p for p in ("/docs/empty.pdf", "/docs/cut.pdf", "/docs/locked.pdf", "/mojibake")}
    used = {e["url"] for item in data["items"] for el in item["elements"] for e in el["evidence"]}
    assert not used & broken
    failures = {f["url"]: f for f in data["crawl"]["failures"]}
    assert "password" in failures[server.url + "/docs/locked.pdf"]["message"]
    assert "ไฟล์ติดรหัสผ่าน" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")


def test_a_retry_after_beyond_the_cap_is_not_waited_for_and_is_recorded(served, tmp_path):
    server = served("hostile", retry_after=3600)
    started = time.monotonic()
    _result, stored = crawl(server, "/", tmp_path)
    assert time.monotonic() - started < 60
    busy = stored[server.url + "/busy"]
    assert not busy["ok"] and busy["error_kind"] == "http_5xx" and "Retry-After: 3600" in busy["error"]


def test_writes_wait_for_a_locked_store_and_say_so_when_they_give_up(served, tmp_path):
    server = served("endpoints")
    db = tmp_path / "e.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "--db", "e.sqlite", "crawl",
                             server.url + "/index.php?lang=th", "--delay", "0.01", "--no-progress",
                             "-s", "OIT_STORE_LOCK_WAIT=2"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if sqlite3.connect(db).execute("SELECT count(*) FROM resources").fetchone()[0] > 3:
                break
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    holder = sqlite3.connect(db, timeout=30, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")           # another process holds the write lock for 6 s
    time.sleep(6)
    holder.execute("ROLLBACK")
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert "could not store" in err and "stayed locked" in err
    run = Store(db).run(1)
    assert run["stats"]["store_lost"] >= 1
    oit("--db", "e.sqlite", "audit", "--run", "1", "--fiscal-year", "2567", "--as-of", AS_OF,
        "--format", "json", "--out", "out", cwd=tmp_path)
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["published"] is False and any("locked" in r for r in data["completeness"]["reasons"])


def test_an_unwritable_store_fails_before_the_crawl_starts(served, tmp_path):
    server = served("redirect_home")
    db = tmp_path / "e.sqlite"
    Store(db).close()
    if os.geteuid() == 0:
        # root writes through permission bits: an immutable file and folder refuse even root (CI runs
        # as root, on a file system with chattr, as this machine does).
        lock, unlock = ["chattr", "+i", str(db), str(tmp_path)], ["chattr", "-i", str(db), str(tmp_path)]
    else:
        lock, unlock = ["chmod", "a-w", str(db), str(tmp_path)], ["chmod", "u+w", str(db), str(tmp_path)]
    subprocess.run(lock, check=True)
    try:
        result = oit("--db", str(db), "crawl", server.url + "/", *FAST, cwd=tmp_path)
    finally:
        subprocess.run(unlock, check=True)
    assert result.returncode == 2, result.stderr
    assert "cannot write the evidence store" in result.stderr and "Traceback" not in result.stderr
    assert server.requests == []                                # nothing fetched


def test_the_evidence_is_the_link_that_names_the_document_whatever_the_crawl_order():
    """One document linked from two pages, as "[PDF]" beside its title on one and by its title on the
    other: the report gives the title's link (what the working group looks for on the site), and the
    same report whichever page the crawl met first."""
    from datetime import date

    from crawler.audit.judge import audit
    from crawler.evidence.model import LinkRef, Resource, RunEvidence

    site = "http://127.0.0.1/district/"
    doc = site + "files/o18-1.pdf"
    title = "ประกาศนโยบาย No Gift Policy ประจำปีงบประมาณ พ.ศ. 2567"
    resources = {
        site: Resource(site, site, "page", True, 200, format="html", title="สำนักงานเขต", text="หน้าหลัก"),
        site + "news": Resource(site + "news", site + "news", "page", True, 200, format="html", title="ข่าว",
                                text="ข่าวประชาสัมพันธ์"),
        site + "ita": Resource(site + "ita", site + "ita", "page", True, 200, format="html", title="ITA 2567",
                               text="ITA 2567 " + title),
        doc: Resource(doc, doc, "document", True, 200, format="pdf", title=title, text=title + " สำนักงานเขต",
                      text_layer="text", filename="o18-1.pdf"),
    }
    by_label = LinkRef(site + "news", doc, "[PDF]", "ประกาศ [PDF]", "", False)
    by_title = LinkRef(site + "ita", doc, title, title, "", False)
    # A menu entry on both pages (never evidence: shown as "only in the menu", from one page).
    menu = [LinkRef(page, site + "manual", "คู่มือการปฏิบัติงาน", "", "", True) for page in (site + "news", site + "ita")]
    reports = []
    for links in ([by_label, by_title, *menu], [by_title, by_label, *menu[::-1]]):
        evidence = RunEvidence(1, site, "2024-06-01T00:00:00", "2024-06-01T00:10:00", "complete", resources,
                               [LinkRef(site, site + "news", "ข่าว", "", "", False),
                                LinkRef(site, site + "ita", "ITA", "", "", False), *links])
        report = audit(evidence, "bma-district-2567", 2567, date(2024, 6, 30), generated_at="pinned")
        entries = [e for item in report["items"] for element in item["elements"]
                   for e in element.get("evidence") or [] if e["url"] == doc]
        assert entries, [i["id"] for i in report["items"]]
        assert {(e["link_text"], e["source_page"]) for e in entries} == {(title, site + "ita")}
        in_menu = [e for item in report["items"] for element in item["elements"]
                   for e in element.get("candidates") or [] if e["url"] == site + "manual"]
        assert in_menu and {e["source_page"] for e in in_menu} == {site + "ita"}, in_menu
        reports.append(report)
    assert reports[0] == reports[1]
