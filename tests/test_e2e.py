"""End to end over HTTP: `oit audit` crawls generated district sites served on 127.0.0.1 and must find
what the generator put there (manifest.expected_scores / expected_failures), the seed's table above all.

Every crawl runs the real `oit` command in a subprocess (Scrapy's reactor starts once per process);
scenarios are crawled two at a time, once per test session.
"""
from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from crawler.evidence.store import Store
from crawler.text.urls import canonical
from reports.validate import validate_report

SCENARIOS = ["samphanthawong_2567", "compliant", "stale_year", "missing_month", "blank_column", "pdf_only",
             "dead_eservice", "not_addressed", "menu_only", "no_english"]
SEED_SURVEY = "iit: {1: 99.84, 2: 95.18, 3: 97.26, 4: 99.90, 5: 94.45}\neit: {6: 97.88, 7: 95.24, 8: 95.82}\n"
FAST = ["--delay", "0", "--concurrency", "8", "--no-progress", "-s", "DOWNLOAD_MAXSIZE=20000000"]


def oit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


class Audited:
    def __init__(self, name, server, workdir: Path, result: subprocess.CompletedProcess):
        self.name, self.server, self.dir, self.result = name, server, workdir, result
        self.db = workdir / "evidence.sqlite"

    @property
    def report(self) -> dict:
        return json.loads((self.dir / "out" / "report.json").read_text(encoding="utf-8"))

    def item(self, item_id: str) -> dict:
        return next(i for i in self.report["items"] if i["id"] == item_id)


@pytest.fixture(scope="session")
def audited(site_server, tmp_path_factory) -> dict[str, Audited]:
    root = tmp_path_factory.mktemp("e2e")

    def run(name: str) -> Audited:
        server = site_server(name)
        workdir = root / name
        workdir.mkdir()
        (workdir / "survey.yaml").write_text(SEED_SURVEY, encoding="utf-8")
        m = server.site.manifest
        result = oit("--db", "evidence.sqlite", "audit", server.start_url, "--fiscal-year", str(m.fiscal_year),
                     "--as-of", m.as_of, "--out", "out", "--survey", "survey.yaml", *FAST, cwd=workdir)
        return Audited(name, server, workdir, result)

    for name in SCENARIOS:            # generate and serve in this thread, crawl two at a time
        site_server(name)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return {a.name: a for a in pool.map(run, SCENARIOS)}


# -- the seed's table ------------------------------------------------------------------------------

def test_samphanthawong_reproduces_the_seed_table(audited):
    a = audited["samphanthawong_2567"]
    assert a.result.returncode == 0, a.result.stderr
    report = a.report
    validate_report(report)
    assert report["published"] is True
    assert report["oit_points"] == pytest.approx(29.50, abs=0.005)
    assert report["oit_score"] == pytest.approx(73.75, abs=0.005)
    ind = report["indicators"]
    expected = {"9": 85.00, "10": 40.00, "9.1": 100.00, "9.2": 81.25, "9.3": 66.67, "9.4": 100.00,
                "9.5": 100.00, "10.1": 50.00, "10.2": 0.00}
    for key, value in expected.items():
        assert ind[key]["score"] == pytest.approx(value, abs=0.005), key
    assert report["ita"]["total"] == pytest.approx(87.67, abs=0.005)
    assert report["ita"]["level_th"] == "ผ่าน"
    assert report["missing_items"] == ["O5", "O15", "O18", "O19", "O22"]
    assert report["partial_items"] == ["O9"] and a.item("O9")["score"] == 50
    # The summary a district officer reads in the terminal.
    out = a.result.stdout
    assert "73.75" in out and "87.67" in out and "ผ่าน" in out
    for item_id in ("O5", "O15", "O18", "O19", "O22", "O9"):
        assert f"  {item_id} " in out
    for name in ("report.json", "report.html", "report.xlsx", "items.csv", "report.md"):
        assert (a.dir / "out" / name).stat().st_size > 0


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_scenario_gets_the_generators_verdicts(audited, name):
    """Item scores and, for every item short of 100, exactly the failing elements and their reasons."""
    a = audited[name]
    assert a.result.returncode == 0, a.result.stderr
    manifest = a.server.site.manifest
    report = a.report
    scores = {i["id"]: i["score"] for i in report["items"]}
    assert scores == {k: float(v) for k, v in manifest.expected_scores.items()}
    for item_id, failures in manifest.expected_failures.items():
        got = {(e["id"], e["reason"]) for e in a.item(item_id)["elements"] if not e["satisfied"]}
        assert got == {(f["element"], f["reason"]) for f in failures}, item_id


def test_compliant_site_scores_100(audited):
    report = audited["compliant"].report
    assert report["oit_score"] == 100 and not report["missing_items"] and not report["partial_items"]


def test_every_verdict_leads_to_its_evidence_or_its_reason(audited):
    a = audited["samphanthawong_2567"]
    evidence = Store(a.db).load_run(a.report["crawl"]["run_id"])
    for item in a.report["items"]:
        for element in item["elements"]:
            if element["satisfied"]:
                assert element["evidence"], (item["id"], element["id"])
                for ev in element["evidence"]:
                    assert ev["url"] in evidence.resources, ev["url"]
                    assert ev["matched_phrase"] and ev["format"]
            else:
                assert element["reason"] and element["reason_th"] and element["fix_th"], (item["id"], element["id"])


# -- the same stored run, other questions, no network -----------------------------------------------

def test_reaudit_for_another_fiscal_year_follows_the_documents_years(audited):
    a = audited["compliant"]
    a.server  # the site stays up, but the re-audit must not need it
    run = str(a.report["crawl"]["run_id"])
    result = oit("--db", "evidence.sqlite", "audit", "--run", run, "--fiscal-year", "2568",
                 "--as-of", "2025-06-30", "--out", "out2568", "--format", "json", "--partial", cwd=a.dir)
    assert result.returncode == 0, result.stderr
    later = json.loads((a.dir / "out2568" / "report.json").read_text(encoding="utf-8"))
    assert later["checklist"]["id"] == "bma-district-2568"
    assert later["oit_score"] < 100
    o5 = next(i for i in later["items"] if i["id"] == "O5")
    reasons = {e["id"]: e["reason"] for e in o5["elements"]}
    assert reasons["action_plan"] == "wrong_year"       # the 2567 plan is last year's in FY 2568
    # Items with no time rule keep their verdict.
    o1 = next(i for i in later["items"] if i["id"] == "O1")
    assert o1["status"] == "pass"


def test_a_stored_runs_texts_are_read_as_the_audit_needs_them_and_judged_the_same(audited):
    """Store.load_run keeps texts and tables in the store until they are used (issue 16: a 12,000-page
    run is audited in under 400 MB; `make bench` measures it): the report is the one the same evidence
    gives with every text in memory, and the texts were really read (the seed's score needs them)."""
    from dataclasses import fields, replace
    from datetime import date

    from crawler.audit.judge import audit
    from crawler.evidence.model import Resource
    from crawler.service import choose_checklist

    a = audited["samphanthawong_2567"]
    manifest = a.server.site.manifest
    checklist = choose_checklist(None, manifest.fiscal_year).checklist
    store = Store(a.db)
    try:
        stored = store.load_run(a.report["crawl"]["run_id"])
        held = replace(stored, resources={url: Resource(**{f.name: getattr(r, f.name) for f in fields(Resource)})
                                          for url, r in stored.resources.items()})
        judged = [audit(evidence, checklist, manifest.fiscal_year, date.fromisoformat(manifest.as_of),
                        generated_at="pinned") for evidence in (stored, held)]
    finally:
        store.close()
    assert sum(len(r.text) for r in held.resources.values()) > 10_000
    assert judged[0] == judged[1]
    assert judged[0]["oit_score"] == pytest.approx(73.75, abs=0.005)


def test_fail_under_gates_a_submission(audited):
    a = audited["samphanthawong_2567"]
    run = str(a.report["crawl"]["run_id"])
    args = ("--db", "evidence.sqlite", "audit", "--run", run, "--fiscal-year", "2567", "--as-of", "2024-06-30",
            "--format", "json", "--out")
    assert oit(*args, "gate1", "--fail-under", "80", cwd=a.dir).returncode == 1
    assert oit(*args, "gate2", "--fail-under", "70", cwd=a.dir).returncode == 0


def test_unreachable_site_publishes_no_score(tmp_path):
    result = oit("--db", "e.sqlite", "audit", "http://127.0.0.1:9/samphanthawong/", "--fiscal-year", "2567",
                 "--as-of", "2024-06-30", "--out", "out", "--no-progress", "-s", "RETRY_TIMES=0", cwd=tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "ไม่เผยแพร่คะแนน" in result.stdout
    # A site that was down is no report to hand on: no files unless asked, the audit kept in the store.
    assert not (tmp_path / "out").exists() and "no report files written" in result.stderr
    again = oit("--db", "e.sqlite", "report", "--run", "1", "--fiscal-year", "2567", "--format", "json",
                "--out", "out", cwd=tmp_path)
    assert again.returncode == 3, again.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["published"] is False and report["oit_score"] is None
    assert all(i["status"] == "unreachable" for i in report["items"])


@pytest.mark.parametrize("argv, message", [
    (["audit", "ftp://x/", "--fiscal-year", "2567"], "not a web address"),
    (["audit", "http://127.0.0.1:9/", "--fiscal-year", "67"], "did you mean 2567?"),
    (["audit", "--run", "1", "--fiscal-year", "2567", "--as-of", "30/06/2024"], "YYYY-MM-DD"),
    (["audit", "--run", "1", "--fiscal-year", "2567", "--format", "docx"], "unknown report format"),
    (["crawl"], "url"),
])
def test_bad_usage_is_one_clear_line(tmp_path, argv, message):
    result = oit("--db", "e.sqlite", *argv, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


# -- what the crawl stored -------------------------------------------------------------------------

def _stored(a: Audited) -> dict:
    evidence = Store(a.db).load_run(a.report["crawl"]["run_id"])
    return evidence.resources


def test_crawl_stores_every_page_and_document_once(audited):
    a = audited["samphanthawong_2567"]
    resources = _stored(a)
    manifest = a.server.site.manifest
    base = a.server.url
    second = a.server.second.url
    specials = {s.path for s in manifest.specials}
    for path, page in manifest.pages.items():
        if path in specials or page.host != "main":
            continue
        url = canonical(base + path)
        assert url in resources and resources[url].ok, path
        assert resources[url].title.startswith(page.title[:20]) or page.title[:20] in resources[url].text, path
    for path, doc in manifest.documents.items():
        if path in specials:
            continue
        url = canonical((base if doc.host == "main" else second) + path)
        assert url in resources and resources[url].ok, path
        if doc.fiscal_year:
            years = {d.fiscal_year for d in resources[url].dates}
            assert doc.fiscal_year in years, (path, years)
    # One URL is one resource whatever spelling of its Thai slug the links used.
    assert len(resources) == len({canonical(u) for u in resources})


def test_crawl_records_traps_failures_and_special_pages(audited):
    a = audited["samphanthawong_2567"]
    resources = _stored(a)
    by_kind = {}
    for r in resources.values():
        by_kind.setdefault(r.error_kind, []).append(r)
    manifest = a.server.site.manifest
    special = {s.kind: s for s in manifest.specials}
    base = a.server.url

    dead = resources[canonical(base + special["http_404"].path)]
    assert not dead.ok and dead.error_kind == "http_404"
    assert resources[canonical(base + special["http_500"].path)].error_kind == "http_5xx"
    assert resources[canonical(base + special["robots"].path)].error_kind == "robots"
    assert resources[canonical(base + special["too_large"].path)].error_kind == "too_large"
    assert by_kind.get("trap_bound"), "the pagination / query traps were bounded and recorded"
    assert sum(1 for u in resources if "/news?" in u or "/calendar?" in u) < 60

    tis = resources[canonical(base + special["tis620"].path)]
    assert tis.ok and "โรงเรียน" in tis.text and "\ufffd" not in tis.text

    named = resources[canonical(base + special["content_disposition"].path)]
    assert named.ok and named.filename and not named.filename.startswith("download")

    # The second host: fetched one hop, never crawled.
    second = [r for r in resources.values() if r.url.startswith(a.server.second.url)]
    assert second and all(r.kind in ("external", "document") for r in second)
    assert a.report["crawl"]["errors"] == sum(1 for r in resources.values() if not r.ok)


def test_no_split_sara_am_or_private_use_glyphs_survive(audited):
    for r in _stored(audited["samphanthawong_2567"]).values():
        text = r.text + r.title
        assert "\u0e4d\u0e32" not in text, r.url          # nikhahit + sara aa left unjoined
        assert not any("\uf700" <= ch <= "\uf71a" for ch in text), r.url
        assert "ส านัก" not in text, r.url


# -- the report a working group opens ----------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is needed (scripts/install-system-deps)")
def test_demo_report_html_in_a_real_browser(audited, tmp_path):
    """The Samphanthawong report.html as Chromium renders it, offline: Thai text, the items to fix first,
    every evidence link, and the hostile news title shown as text with no script run."""
    from test_report_browser import DomIndex, chromium

    a = audited["samphanthawong_2567"]
    html_path = a.dir / "out" / "report.html"
    url = html_path.resolve().as_uri()
    dom = chromium("--dump-dom", url, profile=tmp_path / "profile")
    shot = tmp_path / "demo.png"
    chromium("--window-size=1280,3000", f"--screenshot={shot}", url, profile=tmp_path / "profile")
    assert shot.stat().st_size > 20_000
    index = DomIndex(dom)
    for text in ("สำนักงานเขตสัมพันธวงศ์", "73.75", "87.67", "ข้อมูลสถิติการจัดเก็บภาษี"):
        assert text in dom, text
    order = [item for item, _ in index.items]
    assert order[:6] == ["O5", "O9", "O15", "O18", "O19", "O22"]
    report = a.report
    evidence = {ev["url"] for item in report["items"] for el in item["elements"] for ev in el["evidence"]}
    from crawler.text.format import safe_url
    assert evidence and not [u for u in evidence if safe_url(u) not in index.hrefs]
    hostile = [ev for item in report["items"] for el in item["elements"] for ev in el["evidence"]
               if "<script>" in ev["link_text"] or "<script>" in (ev["snippet"] or "")]
    assert hostile, "the generated site's hostile news title reaches the report"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "script" not in index.tags


# -- a crash loses nothing -----------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "SIGINT"])
def test_interrupted_crawl_keeps_what_it_fetched(site_server, tmp_path, how):
    import signal
    import time

    server = site_server("samphanthawong_2567")
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "--db", "e.sqlite", "crawl", server.start_url,
                             "--delay", "0.05", "--concurrency", "1", "--no-progress"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    db = tmp_path / "e.sqlite"
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and stored < 20:
        time.sleep(0.3)
        if db.exists():
            try:
                stored = Store(db).db.execute("SELECT count(*) FROM resources").fetchone()[0]
            except Exception:       # the file may be mid-creation
                stored = 0
    assert stored >= 20, "the crawl stores resources as it goes"
    proc.send_signal(getattr(signal, how))
    _out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err
    store = Store(db)                      # opening the store notices the dead crawler
    run = store.runs()[0]
    assert run["status"] == "incomplete"
    assert store.counts(run["id"])["pages"] >= 10
    report = oit("--db", "e.sqlite", "audit", "--run", str(run["id"]), "--fiscal-year", "2567",
                 "--as-of", "2024-06-30", "--format", "json", "--out", "out", cwd=tmp_path)
    # An interrupted crawl publishes no score (never 0.00 with every item "missing").
    assert report.returncode == 3, report.stderr
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["crawl"]["status"] == "incomplete"
    assert any("ไม่เสร็จสมบูรณ์" in w for w in data["crawl"]["health_warnings"])
    assert data["published"] is False and data["oit_score"] is None
    assert data["not_checked_items"] and not data["missing_items"]


def test_a_dead_document_is_not_replaced_by_its_label_on_the_index_page(audited):
    """When the only document behind an element answers 404, the ITA index row that names it is no
    evidence: the element fails, naming the dead file."""
    from datetime import date

    from crawler.audit.judge import audit
    from crawler.audit.checklist import load_checklist

    a = audited["samphanthawong_2567"]
    evidence = Store(a.db).load_run(a.report["crawl"]["run_id"])
    element = next(e for e in a.item("O17")["elements"] if e["id"] == "complaint_stats")
    documents = [ev["url"] for ev in element["evidence"] if ev["format"] != "html"]
    assert element["satisfied"] and documents
    for url in documents:
        r = evidence.resources[url]
        r.ok, r.status, r.error_kind, r.error, r.text, r.title = False, 404, "http_404", "HTTP 404", "", ""
    report = audit(evidence, load_checklist("bma-district-2567"), 2567, date(2024, 6, 30))
    o17 = next(i for i in report["items"] if i["id"] == "O17")
    broken = next(e for e in o17["elements"] if e["id"] == "complaint_stats")
    assert not broken["satisfied"] and o17["status"] == "fail"
    assert broken["reason"] == "could_not_fetch" and "404" in (broken["detail"] or "")
