"""History: every audit is kept in the evidence store, `oit runs` / `oit history` show the score over time,
and the crawl-health guard keeps a site outage from being published as a score drop.

The end-to-end part crawls a generated site twice: as generated, then answering 503 for most pages (the
server is down, the content is not). The second run is unhealthy: `oit audit` exits 3 with the reason,
its audit is stored but publishes no score, and the history shows a gap, not a drop.
"""
from __future__ import annotations

import json
import re

import pytest

from crawler.audit.judge import crawl_health
from crawler.cli import main
from crawler.evidence.model import Resource, RunEvidence
from crawler.history.runs import display_width, run_summaries
from crawler.service import score_history
from sitegen import Resource as Served503
from crawler.evidence.store import Store
from weekly_sites import FAST, Served, copy_site, oit

SITE = "https://x.test/district/"


# -- the crawl-health guard (hand-made evidence) ----------------------------------------------------

def _evidence(pages: int, documents: int, errors: int = 0) -> RunEvidence:
    resources = {}
    for n in range(pages):
        url = SITE if n == 0 else f"{SITE}page/{n}"
        resources[url] = Resource(url, url, "page", True, 200)
    for n in range(documents):
        url = f"{SITE}doc/{n}.pdf"
        resources[url] = Resource(url, url, "document", True, 200)
    for n in range(errors):
        url = f"{SITE}broken/{n}"
        resources[url] = Resource(url, url, "page", False, 404, error_kind="http_404")
    return RunEvidence(9, SITE, "2024-06-30T00:00:00+00:00", None, "complete", resources, [])


def _counts(pages: int, documents: int, errors: int = 0) -> dict:
    return {"pages": pages, "documents": documents, "errors": errors, "resources": pages + documents + errors}


USUAL = [_counts(120, 80, 3), _counts(118, 79, 2), _counts(121, 80, 4)]


def test_a_run_like_the_earlier_ones_is_healthy():
    health = crawl_health(_evidence(119, 78, 3), USUAL)
    assert health["healthy"] and health["reasons"] == []


def test_pages_far_below_the_usual_make_the_run_unhealthy():
    health = crawl_health(_evidence(50, 78, 1), USUAL)
    assert not health["healthy"]
    (reason,) = health["reasons"]
    assert "หน้าเว็บ 50" in reason and "under half of the usual 120" in reason


def test_documents_far_below_the_usual_make_the_run_unhealthy():
    health = crawl_health(_evidence(119, 30, 1), USUAL)
    assert not health["healthy"] and "30 documents, under half of the usual 80" in health["reasons"][0]


def test_an_error_rate_jump_makes_the_run_unhealthy_even_when_counts_hold():
    health = crawl_health(_evidence(119, 78, 80), USUAL)     # 80 of 277 fetches failed: 29 % against ~1.5 %
    assert not health["healthy"]
    assert any("error rate jumped" in r for r in health["reasons"])


def test_one_odd_earlier_run_does_not_move_the_yardstick():
    odd = [*USUAL, _counts(10, 2, 50)]                      # a past outage among normal weeks
    assert crawl_health(_evidence(119, 78, 3), odd)["healthy"]
    assert not crawl_health(_evidence(40, 78, 3), odd)["healthy"]


def test_a_first_run_is_judged_on_its_own_and_tiny_earlier_counts_are_no_yardstick():
    first = crawl_health(_evidence(3, 0), [])           # no earlier run: 3 pages did not see a site
    assert not first["healthy"] and any("only 3 pages in a first run" in r for r in first["reasons"])
    assert crawl_health(_evidence(3, 1), [_counts(3, 3)])["healthy"]      # 3 documents: too few to judge


# -- the audits table and the score history ---------------------------------------------------------

def _report(run_id: int, score: float | None, fy: int = 2567, as_of: str = "2024-06-30") -> dict:
    return {"site": {"url": SITE, "name": "สำนักงานเขตทดสอบ"}, "checklist": {"id": f"bma-district-{fy}"},
            "fiscal_year": fy, "as_of": as_of, "generated_at": f"2024-07-0{run_id}T00:00:00+00:00",
            "published": score is not None, "oit_score": score, "crawl": {"run_id": run_id}}


def _store_with_runs(tmp_path, n: int) -> Store:
    store = Store(tmp_path / "e.sqlite")
    for _ in range(n):
        run = store.start_run(SITE)
        store.add_resource(run, {"url": SITE, "kind": "page", "ok": True})
        store.finish_run(run, complete=True)
    return store


def test_audits_are_kept_and_a_stored_audit_is_never_rewritten(tmp_path):
    store = _store_with_runs(tmp_path, 2)
    first = store.add_audit(_report(1, 70.0))
    assert store.add_audit(_report(1, 71.0)) == first                  # same run, checklist, year, as-of
    store.add_audit(_report(1, 40.0, fy=2568, as_of="2025-06-30"))     # another year: another audit
    store.add_audit(_report(2, None))
    rows = store.audits(site_url=SITE)
    assert [(a["run_id"], a["fiscal_year"], a["oit_score"], a["published"]) for a in rows] == \
        [(1, 2567, 70.0, True), (1, 2568, 40.0, True), (2, 2567, None, False)]
    assert store.audit_report(rows[0]["id"])["oit_score"] == 70.0


def test_score_history_is_same_year_and_checklist_oldest_first_with_gaps(tmp_path):
    store = _store_with_runs(tmp_path, 4)
    store.add_audit(_report(1, 61.25, as_of="2024-03-31"))
    store.add_audit(_report(2, None, as_of="2024-04-30"))
    store.add_audit(_report(3, 55.0, fy=2568, as_of="2025-06-30"))
    history = score_history(store, _report(4, 68.75, as_of="2024-05-31"))
    assert history == [{"run_id": 1, "date": "2024-03-31", "oit_score": 61.25},
                       {"run_id": 2, "date": "2024-04-30", "oit_score": None},
                       {"run_id": 4, "date": "2024-05-31", "oit_score": 68.75}]
    assert score_history(store, _report(1, 61.25)) == []     # nothing earlier: no chart of one point
    summaries = run_summaries(store, "https://X.test/district")   # any spelling of the start URL
    assert [(s.run_id, s.fiscal_year, s.health) for s in summaries] == \
        [(1, 2567, "healthy"), (2, 2567, "UNHEALTHY"), (3, 2568, "healthy"), (4, None, "—")]


# -- end to end: an outage is not a score drop ------------------------------------------------------

def _down(site):
    """The same site with every page but the home page answering 503: the server struggles, the
    content is unchanged."""
    broken = copy_site(site)
    body = b"<html><head><title>503 Service Unavailable</title></head><body>Service Unavailable</body></html>"
    for path, res in site.resources.items():
        if (res.content_type or "").startswith("text/html") and path != site.manifest.start_path:
            broken.resources[path] = Served503(body, res.content_type, status=503)
    return broken


@pytest.fixture(scope="module")
def outage(make_site, tmp_path_factory):
    work = tmp_path_factory.mktemp("outage")
    site = make_site("samphanthawong_2567", oversized_bytes=0)
    server = Served(site)
    args = ("--db", "e.sqlite", "audit", server.start_url, "--fiscal-year", "2567", "--as-of", "2024-06-30",
            "--format", "json,html", *FAST)
    try:
        healthy = oit(*args, "--out", "week1", cwd=work)
        server.swap(_down(site))
        down = oit(*args, "--out", "week2", cwd=work)
        yield {"dir": work, "url": server.start_url, "healthy": healthy, "down": down}
    finally:
        server.stop()


def test_an_outage_exits_3_with_the_reason_and_publishes_no_score(outage):
    assert outage["healthy"].returncode == 0, outage["healthy"].stderr
    down = outage["down"]
    assert down.returncode == 3, down.stderr
    assert "crawl unhealthy, no score published" in down.stderr
    assert "under half of the usual" in down.stderr                      # the previous-runs guard
    report = json.loads((outage["dir"] / "week2" / "report.json").read_text("utf-8"))
    assert report["published"] is False and report["oit_score"] is None
    assert any("หน้าเว็บ" in r for r in report["crawl"]["health_reasons"])
    assert "ไม่เผยแพร่คะแนน" in down.stdout


def test_the_unhealthy_audit_is_kept_but_is_not_the_sites_score(outage):
    store = Store(outage["dir"] / "e.sqlite")
    rows = store.audits(site_url=outage["url"])
    assert [(a["run_id"], a["published"], a["oit_score"]) for a in rows] == [(1, True, 73.75), (2, False, None)]
    assert store.audit_report(rows[1]["id"])["crawl"]["healthy"] is False


def test_runs_and_history_show_score_and_health_over_time(outage, capsys):
    db = str(outage["dir"] / "e.sqlite")
    assert main(["--db", db, "runs", "--site", outage["url"]]) == 0
    runs = capsys.readouterr().out.splitlines()
    assert "FY" in runs[0] and "OIT" in runs[0] and "health" in runs[0]
    assert "2567" in runs[1] and "73.75" in runs[1] and "healthy" in runs[1]
    assert "2567" in runs[2] and "UNHEALTHY" in runs[2]
    assert "เวลาไทย" in runs[0]                   # start times on the Bangkok clock, Buddhist Era, not UTC ISO
    assert "สถานะ/status" in runs[0] and "ผลตรวจ/health" in runs[0] and "ไม่ปกติ/UNHEALTHY" in runs[2]
    # columns line up on a terminal although Thai vowels and tone marks take no column of their own
    end = lambda line, token: display_width(line[:line.index(token) + len(token)])  # noqa: E731
    assert end(runs[0], "ปีงบ/FY") == end(runs[1], "2567") == end(runs[2], "2567")
    assert end(runs[0], "OIT") == end(runs[1], "73.75")
    assert re.search(r"\s\d{1,2} [ก-ฮ.]+ 25\d\d \d\d:\d\d\s", runs[1]) and "+00:00" not in runs[1]
    assert main(["--db", db, "history", "--site", outage["url"]]) == 0
    history = capsys.readouterr().out
    line1 = next(line for line in history.splitlines() if line.strip().startswith("1 "))
    line2 = next(line for line in history.splitlines() if line.strip().startswith("2 "))
    assert "73.75" in line1 and "█" in line1 and "30 มิ.ย. 2567" in line1
    assert "not published" in line2 and "█" not in line2


def test_the_html_report_charts_the_history_when_there_is_one(outage):
    first = (outage["dir"] / "week1" / "report.html").read_text("utf-8")
    second = (outage["dir"] / "week2" / "report.html").read_text("utf-8")
    assert 'id="history"' not in first                  # one run: nothing to chart
    assert 'id="history"' in second and "<svg" in second and "73.75" in second
    report = json.loads((outage["dir"] / "week2" / "report.json").read_text("utf-8"))
    assert report["history"] == [{"run_id": 1, "date": "2024-06-30", "oit_score": 73.75},
                                 {"run_id": 2, "date": "2024-06-30", "oit_score": None}]


def test_history_of_an_empty_store_says_so(tmp_path, capsys):
    from crawler.evidence.store import Store
    Store(tmp_path / "e.sqlite").close()
    assert main(["--db", str(tmp_path / "e.sqlite"), "history"]) == 0
    assert "no stored audits" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["history"], ["runs"], ["diff", "1", "2"], ["report", "--run", "1",
                                     "--fiscal-year", "2567"], ["plan", "--run", "1", "--fiscal-year", "2567"]])
def test_a_reading_command_never_creates_an_empty_store(tmp_path, capsys, command):
    db = tmp_path / "typo.sqlite"
    assert main(["--db", str(db), *command]) == 2
    err = capsys.readouterr().err
    assert "ไม่พบฐานข้อมูลหลักฐาน" in err and "oit crawl" in err and not db.exists()
