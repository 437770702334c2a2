"""Run-to-run and fiscal-year diffs over real crawls of generated sites, and the cheap weekly re-crawl.

The site is crawled three times: as generated, unchanged (conditional requests: almost nothing moves,
nothing is re-extracted, every resource is still observed), then after a week of edits: one document
added (O9's Excel file), one removed (O13's report link on the cloud drive), one changed (O21), one broken
(O10's Excel file answers 404) and one moved (O20's PDF). The diff must name exactly those, and the item
verdicts they changed. Crawls run `oit` in a subprocess (Scrapy's reactor starts once per process).
"""
from __future__ import annotations

import json
import pickle
import sqlite3
from urllib.parse import quote, urlsplit

import pytest
from openpyxl import load_workbook

from crawler.history.diff import diff_reports, resource_changes
from crawler.evidence.model import Resource, RunEvidence
from crawler.evidence.store import Store
from weekly_sites import FAST, Served, add_link, change_body, copy_site, drop_rows, move, oit

ITA = "/samphanthawong/public/user_files_editor/13/ITA/2567/"
TAX_PAGE = "/samphanthawong/page/sub/1259/ข้อมูลสถิติการจัดเก็บภาษี"
ADDED = ITA + "O10/สถิติภาษี 2567.xlsx"                    # O9: PDF only -> PDF and Excel
BROKEN = ITA + "O10/สถิติรายได้ 6 เดือน 2567.xlsx"         # O10: the Excel half now 404
CHANGED = ITA + "O21/asset-1.pdf"
MOVED_FROM, MOVED_TO = ITA + "O20/ดุลพินิจ.pdf", ITA + "O20/2567/ดุลพินิจ-ฉบับปรับปรุง.pdf"
DRIVE = "/drive/uc?export=download&id=1hGq7Xk2pQ0vS9aBcD3eF4gH"  # O13's report, on the second host


def audit_args(server: Served, out: str) -> tuple[str, ...]:
    return ("--db", "e.sqlite", "audit", server.start_url, "--fiscal-year", "2567", "--as-of", "2024-06-30",
            "--out", out, "--format", "json", *FAST)


@pytest.fixture(scope="module")
def weeks(make_site, tmp_path_factory):
    """Three crawls of one site: as generated, unchanged, after the edits; figures of each."""
    work = tmp_path_factory.mktemp("weeks")
    site = make_site("samphanthawong_2567", oversized_bytes=0)
    compliant = make_site("compliant", oversized_bytes=0)
    server = Served(site)
    try:
        sent, cached = [], []
        for out in ("week1", "week2"):
            result = oit(*audit_args(server, out), cwd=work)
            assert result.returncode == 0, result.stderr
            sent.append(server.sent())
            cached.append(_cache_entries(work / "e.sqlite.httpcache"))

        edited = copy_site(site)
        edited.resources[ADDED] = compliant.resources[ADDED]
        add_link(edited, TAX_PAGE, ADDED, "[XLSX] สถิติการจัดเก็บภาษี ประจำปีงบประมาณ พ.ศ. 2567")
        drive_href = "http://{{HOST2}}" + DRIVE
        assert drop_rows(edited, drive_href) >= 1
        del edited.resources[BROKEN]
        change_body(edited, CHANGED)
        move(edited, MOVED_FROM, MOVED_TO)
        server.swap(edited)
        result = oit(*audit_args(server, "week3"), cwd=work)
        assert result.returncode == 0, result.stderr
        sent.append(server.sent())
        urls = {name: server.url_for(path) for name, path in (
            ("added", ADDED), ("broken", BROKEN), ("changed", CHANGED), ("moved_from", MOVED_FROM),
            ("moved_to", MOVED_TO), ("tax_page", TAX_PAGE))}
        urls["removed"] = server.handle.second.url + quote(DRIVE, safe="/?=&")
        yield {"dir": work, "sent": sent, "urls": urls, "store": Store(work / "e.sqlite"), "cached": cached}
    finally:
        server.stop()


# -- cheap weekly re-crawls -------------------------------------------------------------------------

def test_unchanged_recrawl_moves_under_5_percent_and_reextracts_nothing(weeks):
    store = weeks["store"]
    first, second = store.run(1)["stats"], store.run(2)["stats"]
    server_ratio = weeks["sent"][1] / weeks["sent"][0]
    client_ratio = second["received_bytes"] / first["received_bytes"]
    print(f"\nre-crawl: server sent {weeks['sent'][0]} -> {weeks['sent'][1]} body bytes ({server_ratio:.2%}); "
          f"crawler received {first['received_bytes']} -> {second['received_bytes']} bytes ({client_ratio:.2%}); "
          f"{first['elapsed_time_seconds']:.1f} s -> {second['elapsed_time_seconds']:.1f} s")
    assert server_ratio < 0.05 and client_ratio < 0.05
    # Nothing is extracted again: every page and document keeps its stored text, every page its links.
    # (Which query variants of a trap path were fetched depends on the order answers arrive in: a
    # variant first fetched now is new to the store.)
    run1, run2 = store.load_run(1), store.load_run(2)
    ok = [r for r in run2.resources.values() if r.ok]
    both = {u for u, r in run1.resources.items() if r.ok} & {r.url for r in ok}
    assert second.get("extracted", 0) == len(ok) - len(both) < 5
    assert second["extraction_reused"] == len(both) > 40
    assert sum(run2.resources[u].format == "html" for u in both) > 20
    links = lambda run: sorted((l.source_url, l.target_url, l.text, l.is_nav)  # noqa: E731
                               for l in run.links if l.source_url in both)
    assert len(both) > 40 and links(run2) == links(run1)


def _cache_entries(folder) -> dict:
    """The HTTP cache's entries: fingerprint -> (row id, when written, status, body size)."""
    con = sqlite3.connect(folder / "site.sqlite")
    try:
        return {key: (rowid, meta["timestamp"], meta["status"], size) for key, rowid, meta, size in (
            (key, rowid, pickle.loads(meta), size) for key, rowid, meta, size in con.execute(
                "SELECT fingerprint, rowid, meta, length(body) FROM responses"))}
    finally:
        con.close()


def test_the_http_cache_is_written_once_per_response_and_not_on_a_304(weeks):
    week1, week2 = weeks["cached"]
    assert len(week1) > 40 and all(status == 200 for _, _, status, _ in week1.values())
    assert sum(size > 0 for *_, size in week1.values()) > 40
    # One file for the whole cache, no folder per response (creating those was most of its cost).
    assert not any(path.is_dir() for path in (weeks["dir"] / "e.sqlite.httpcache").iterdir())
    # The unchanged re-crawl answered 304s: not one entry of the cache was written again (only a 200,
    # which a 304 can confirm, is cached). (A trap's query variant first fetched now is a new entry.)
    assert {key: week2.get(key) for key in week1} == week1


def _outside_traps(run: RunEvidence, trapped: set[str]) -> dict[str, Resource]:
    return {url: r for url, r in run.resources.items() if urlsplit(url).path not in trapped}


def test_unchanged_recrawl_still_observes_every_resource(weeks):
    store = weeks["store"]
    one, two = store.load_run(1), store.load_run(2)
    # Which query variants of a trap path (pagination, calendar) fit under the cap depends on the order
    # answers arrive in: those paths are bounded in both runs, everything else is observed again.
    trapped = {urlsplit(r.url).path for run in (one, two) for r in run.resources.values()
               if r.error_kind == "trap_bound"}
    assert trapped, "the generated site's traps were bounded"
    first, second = _outside_traps(one, trapped), _outside_traps(two, trapped)
    assert set(first) == set(second)
    for url, r in first.items():
        assert (second[url].ok, second[url].sha256) == (r.ok, r.sha256), url
    revalidated = {row[0] for row in store.db.execute(
        "SELECT url FROM resources WHERE run_id = 2 AND from_cache = 1")}
    assert {url for url, r in second.items() if r.ok} <= revalidated


def test_unchanged_recrawl_diff_is_empty(weeks):
    result = oit("--db", "e.sqlite", "diff", "1", "2", "--json", cwd=weeks["dir"])
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)
    assert diff["items"] == [] and diff["oit_change"] == 0
    for group in ("documents", "pages"):
        assert all(not entries for entries in diff[group].values()), diff[group]


# -- run-to-run diff --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def week_diff(weeks):
    out = weeks["dir"] / "diff-out"
    result = oit("--db", "e.sqlite", "diff", "2", "3", "--out", str(out), cwd=weeks["dir"])
    assert result.returncode == 0, result.stderr
    return {"stdout": result.stdout, "out": out, "diff": json.loads((out / "diff.json").read_text("utf-8"))}


def test_diff_names_exactly_the_document_changes(weeks, week_diff):
    docs, urls = week_diff["diff"]["documents"], weeks["urls"]
    assert [d["url"] for d in docs["added"]] == [urls["added"]]
    assert [d["url"] for d in docs["removed"]] == [urls["removed"]]
    assert [d["url"] for d in docs["changed"]] == [urls["changed"]]
    assert [(d["url"], d["error_kind"], d["status"]) for d in docs["failing"]] == [(urls["broken"], "http_404", 404)]
    assert [(m["from"], m["to"]) for m in docs["moved"]] == [(urls["moved_from"], urls["moved_to"])]
    assert docs["recovered"] == [] and docs["not_checked"] == []
    pages = week_diff["diff"]["pages"]
    assert all(not pages[k] for k in ("added", "removed", "failing", "recovered", "moved"))


def test_diff_names_the_changed_verdicts_and_their_causes(weeks, week_diff):
    diff, urls = week_diff["diff"], weeks["urls"]
    items = {i["id"]: i for i in diff["items"]}
    assert set(items) == {"O9", "O10", "O13"}
    assert (items["O9"]["before"], items["O9"]["after"], items["O9"]["direction"]) == \
        ({"status": "partial", "score": 50.0}, {"status": "pass", "score": 100.0}, "better")
    assert items["O10"]["direction"] == items["O13"]["direction"] == "worse"
    causes = {i: [(c["change"], c["url"]) for e in item["elements"] for c in e["causes"]] for i, item in items.items()}
    assert ("added", urls["added"]) in causes["O9"]
    assert ("failing", urls["broken"]) in causes["O10"]
    assert ("removed", urls["removed"]) in causes["O13"]
    assert "เปิดไม่ได้" in items["O10"]["reason_th"] and "http_404" in items["O10"]["reason_th"]
    before, after = diff["before"]["oit_score"], diff["after"]["oit_score"]
    assert diff["oit_change"] == pytest.approx(after - before) and before == 73.75


def test_diff_terminal_html_and_excel_say_the_same(weeks, week_diff):
    out, stdout, urls = week_diff["out"], week_diff["stdout"], weeks["urls"]
    assert "O9" in stdout and "O10" in stdout and "O13" in stdout and "73.75 →" in stdout
    assert "documents: added 1, removed 1, changed 1, failing 1, moved 1" in stdout
    html = (out / "diff.html").read_text("utf-8")
    assert "รายการที่ผลเปลี่ยน" in html and "เปิดไม่ได้แล้ว" in html and "<script" not in html
    assert f'href="{urls["broken"]}"' in html
    book = load_workbook(out / "diff.xlsx")
    assert book.sheetnames == ["สรุป", "รายการที่ผลเปลี่ยน", "เอกสารที่เปลี่ยน", "หน้าเว็บที่เปลี่ยน", "หลักฐานที่ย้ายที่อยู่", "คำอธิบาย"]
    items = [row[0] for row in book["รายการที่ผลเปลี่ยน"].iter_rows(min_row=2, values_only=True)]
    assert sorted(items) == ["O10", "O13", "O9"]
    kinds = sorted(row[0] for row in book["เอกสารที่เปลี่ยน"].iter_rows(min_row=2, values_only=True))
    assert len(kinds) == 5 and "เปิดไม่ได้แล้ว" in kinds


def test_diff_of_the_latest_run_against_its_predecessor(weeks):
    result = oit("--db", "e.sqlite", "diff", "3", "--json", cwd=weeks["dir"])
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)
    assert (diff["before"]["run_id"], diff["after"]["run_id"]) == (2, 3)


@pytest.mark.parametrize("argv, message", [
    (["diff", "2", "2"], "itself"),
    (["diff", "1", "9"], "no run 9"),
    (["diff", "1", "2", "--run", "1"], "--fiscal-years"),
    (["diff", "--fiscal-years", "2567", "2567"], "two different fiscal years"),
    (["diff", "1", "2", "--format", "pdf"], "unknown diff format"),
])
def test_bad_diff_usage_is_one_clear_line(weeks, argv, message, capsys):
    from crawler.cli import main
    assert main(["--db", str(weeks["dir"] / "e.sqlite"), *argv]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    # one line says what is wrong; a second what to do (oit runs)
    assert message in lines[0] and len(lines) == 2 and all(line.startswith("oit: ") for line in lines)
    assert lines[1].startswith("oit: คำแนะนำ / hint: ")


# -- pure diff on hand-made evidence ----------------------------------------------------------------

def _run(run_id: int, *resources: Resource) -> RunEvidence:
    return RunEvidence(run_id, "https://x.test/d/", "2024-06-01T00:00:00+00:00", None, "complete",
                       {r.url: r for r in resources}, [])


def test_not_fetched_is_not_removed_and_a_limit_record_is_not_a_failure():
    doc = Resource("https://x.test/d/a.pdf", "https://x.test/d/a.pdf", "document", True, 200, sha256="1")
    limited = Resource("https://x.test/d/a.pdf", "https://x.test/d/a.pdf", "document", False, error_kind="limit")
    page = Resource("https://x.test/d/p", "https://x.test/d/p", "page", True, 200, sha256="p1")
    page2 = Resource("https://x.test/d/p", "https://x.test/d/p", "page", True, 200, sha256="p2")
    changes = resource_changes(_run(1, doc, page), _run(2, limited, page2))
    assert [e["url"] for e in changes["documents"]["not_checked"]] == [doc.url]
    assert all(not changes[g][k] for g in ("documents", "pages") for k in
               ("added", "removed", "changed", "failing", "moved"))


def test_trap_pages_coming_and_going_are_the_crawls_not_the_sites():
    def page(query: str, ok: bool = True, error_kind: str | None = None) -> Resource:
        url = f"https://x.test/d/news?{query}"
        return Resource(url, url, "page", ok, 200 if ok else None, error_kind=error_kind, sha256=query)
    about = Resource("https://x.test/d/about", "https://x.test/d/about", "page", True, 200, sha256="a")
    a = _run(1, about, page("page=12"), page("page=13", False, "trap_bound"))
    b = _run(2, page("page=12", False, "trap_bound"), page("page=11&sort=date"))
    changes = resource_changes(a, b)
    assert [e["url"] for e in changes["pages"]["removed"]] == [about.url]     # a real page that went
    assert not changes["pages"]["added"] and not changes["pages"]["not_checked"]


def test_item_verdicts_of_an_unhealthy_run_are_not_compared():
    report = {"site": {"url": "https://x.test/d/", "name": ""}, "fiscal_year": 2567, "as_of": "2024-06-30",
              "checklist": {"id": "c"}, "published": True, "oit_score": 80.0,
              "crawl": {"healthy": True, "health_reasons": [], "pages": 1, "documents": 0, "errors": 0},
              "items": [{"id": "O1", "status": "pass", "score": 100.0, "elements": [], "title_th": "", "title_en": ""}]}
    down = json.loads(json.dumps(report))
    down.update(published=False, oit_score=None)
    down["crawl"].update(healthy=False, health_reasons=["503"])
    down["items"][0].update(status="unreachable", score=None)
    diff = diff_reports(report, _run(1), down, _run(2))
    assert diff["items_compared"] is False and diff["items"] == [] and diff["oit_change"] is None
    assert "unhealthy" in diff["note"]


# -- fiscal-year coverage diff ----------------------------------------------------------------------

SPENDING_2568 = ["/samphanthawong/public/user_files_editor/13/ITA/2568/O13/แผนการใช้จ่ายงบประมาณ 2568.pdf",
                 "/samphanthawong/public/user_files_editor/13/ITA/2568/O13/แผนการใช้จ่ายงบประมาณ 2568.xlsx"]


@pytest.fixture(scope="module")
def two_years(make_site, tmp_path_factory):
    """A FY 2568 site that keeps last year's ITA page and documents, but lacks its 2568 spending plan."""
    work = tmp_path_factory.mktemp("years")
    last, this = make_site("compliant", oversized_bytes=0), make_site("compliant", oversized_bytes=0, fiscal_year=2568)
    site = copy_site(this)
    for path, res in last.resources.items():
        site.resources.setdefault(path, res)
    add_link(site, "/samphanthawong/", "/samphanthawong/page/sub/1236/ITA-2567", "ITA ปีงบประมาณ 2567 (ย้อนหลัง)")
    for path in SPENDING_2568:
        drop_rows(site, path)
    server = Served(site)
    try:
        result = oit("--db", "e.sqlite", "crawl", server.start_url, *FAST, cwd=work)
        assert result.returncode == 0, result.stderr
        result = oit("--db", "e.sqlite", "diff", "--fiscal-years", "2568", "2567", "--run", "1",
                     "--as-of", "2025-06-30", "--out", "fy", cwd=work)
        assert result.returncode == 0, result.stderr
        yield {"stdout": result.stdout, "diff": json.loads((work / "fy" / "fy-diff.json").read_text("utf-8")),
               "dir": work, "url": server.url_for}
    finally:
        server.stop()


def test_fiscal_year_diff_judges_each_year_whole(two_years):
    diff = two_years["diff"]
    assert diff["years"] == [2567, 2568]
    assert diff["audits"]["2567"]["as_of"] == "2024-09-30" and diff["audits"]["2568"]["as_of"] == "2025-06-30"
    assert diff["audits"]["2567"]["checklist"] == "bma-district-2567"
    assert diff["audits"]["2568"]["checklist"] == "bma-district-2568"


def test_fiscal_year_diff_lists_what_last_year_had_that_this_year_lacks(two_years):
    diff, url = two_years["diff"], two_years["url"]
    lacking = {(x["item"], x["element"]): x for x in diff["lacking"]}
    assert list(lacking) == [("O13", "spending_plan")]
    last_year_docs = {d["url"] for d in lacking[("O13", "spending_plan")]["earlier_documents"]}
    assert url("/samphanthawong/public/user_files_editor/13/ITA/2567/O13/แผนการใช้จ่ายงบประมาณ 2567.pdf") \
        in last_year_docs
    o13 = next(i for i in diff["items"] if i["id"] == "O13")
    assert o13["years"]["2567"]["status"] == "pass" and o13["years"]["2568"]["status"] != "pass"
    plan = next(e for e in o13["elements"] if e["id"] == "spending_plan")
    assert plan["coverage"] == "earlier_only" and plan["years"]["2568"]["covered"] is False
    assert "O13" in two_years["stdout"] and "ยังขาด" in two_years["stdout"]


def test_fiscal_year_diff_says_which_documents_serve_which_year(two_years):
    docs = two_years["diff"]["documents"]
    y67 = {d["url"] for d in docs["2567"]}
    y68 = {d["url"] for d in docs["2568"]}
    measures = "/samphanthawong/public/user_files_editor/13/ITA/{}/O22/ita-measures.pdf"
    assert two_years["url"](measures.format(2567)) in y67 and two_years["url"](measures.format(2567)) not in y68
    assert two_years["url"](measures.format(2568)) in y68 and two_years["url"](measures.format(2568)) not in y67
    served = next(d for d in docs["2568"] if d["url"] == two_years["url"](measures.format(2568)))
    assert "O22 integrity_measures" in served["serves"]
    book = load_workbook(two_years["dir"] / "fy" / "fy-diff.xlsx")
    assert book.sheetnames == ["ต้องเผยแพร่", "ความครอบคลุม", "เอกสาร", "คำอธิบาย"]
    html = (two_years["dir"] / "fy" / "fy-diff.html").read_text("utf-8")
    assert "ปี 2567 มี แต่ปี 2568 ยังขาด" in html
