"""dashboard.html as a person sees it in headless Chromium: the site × item matrix, each cell a link to
that site's report.html, and the tables sorted by clicking a column header (the page's one inline
script, allowed by its hash in the Content-Security-Policy and by nothing else).

The sites are three audits (test_reports.build_report, with other scores and verdicts) written as each
site's report.json and report.html, plus one site whose crawl failed, gathered by build_dashboard as
`oit fleet` does at the end of a round. The click is made by a probe page that holds the dashboard in
an iframe (the dashboard itself is not changed), then writes the order it sees into its own DOM.
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from crawler.history.dashboard import build_dashboard
from reports.dashboard import CSP, render_dashboard, write_dashboard
from reports.writer import write_reports
from test_report_browser import CHROMIUM, DomIndex, chromium, needs_chromium
from test_reports import build_report

SITES = [  # name, OIT score, change since the previous run, item verdicts changed from build_report's
    ("เขตพระนคร", 61.25, 2.5, {}),
    ("เขตดุสิต", 88.5, -1.0, {"O5": "pass", "O15": "pass", "O2": "review"}),
    ("เขตบางรัก", 74.0, None, {"O5": "pass", "O9": "not_checked"}),
]


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    root = tmp_path_factory.mktemp("dashboard")
    sites, entries = [], {}
    for run_id, (name, score, change, verdicts) in enumerate(SITES, start=1):
        url = f"https://webportal.bangkok.go.th/{run_id}/"
        report = copy.deepcopy(build_report())
        report["oit_score"], report["crawl"]["run_id"] = score, run_id
        for item in report["items"]:
            item["status"] = verdicts.get(item["id"], item["status"])
        out = root / "reports" / str(run_id)
        out.mkdir(parents=True)
        (out / "report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
        write_reports(report, out, formats=["html"])
        sites.append(SimpleNamespace(url=url, name=name, fiscal_year=2568))
        entries[url] = {"name": name, "run_id": run_id, "out": str(out), "oit_score": score, "oit_change": change,
                        "previous_oit_score": None if change is None else score - change, "published": True,
                        "healthy": True, "health_reasons": [], "error": None}
    blocked = "https://webportal.bangkok.go.th/blocked/"
    sites.append(SimpleNamespace(url=blocked, name="เขตปิดกั้น", fiscal_year=2568))
    entries[blocked] = {"name": "เขตปิดกั้น", "run_id": None, "out": str(root / "reports" / "x"), "oit_score": None,
                        "published": False, "healthy": False, "health_reasons": [],
                        "error": "เกินเวลาที่กำหนด 60 วินาที / time cap of 60 s reached"}
    config = SimpleNamespace(sites=sites, dashboard=root / "board", watch=SimpleNamespace(path=root / "fleet.yaml"))
    data = build_dashboard(config, {"started_at": "2025-06-30T01:00:00+00:00", "finished_at": None, "sites": entries})
    html, xlsx = write_dashboard(data, config.dashboard)
    return {"root": root, "data": data, "html": html, "xlsx": xlsx}


def test_dashboard_data_counts_failing_items_and_lists_the_unhealthy_site(board):
    data = board["data"]
    assert [s["name"] for s in data["unhealthy"]] == ["เขตปิดกั้น"]
    assert set(data["sites"][3]["statuses"].values()) == {"unreachable"}
    top = data["most_failing"][0]
    # O18, O19, O22 fail on all three published sites in build_report; O5 and O15 on fewer
    assert top["fail"] == 3 and top["id"] in {"O18", "O19", "O22"}
    by_id = {i["id"]: i for i in data["most_failing"]}
    assert by_id["O5"]["fail"] == 1 and by_id["O5"]["sites"] == ["เขตพระนคร"]


def test_dashboard_is_self_contained_with_one_hashed_script(board):
    page = board["html"].read_text("utf-8")
    assert page.startswith("<!doctype html>\n<html lang=\"th\">")
    assert f'content="{CSP}"' in page and "script-src 'sha256-" in CSP
    assert page.lower().count("<script") == 1
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", page, re.IGNORECASE), "inline event handler"
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page, re.IGNORECASE), "external resource"
    assert not re.search(r'(src|href)="(https?:)?//(?!webportal)', page)


def test_dashboard_escapes_what_came_from_a_site(board):
    data = copy.deepcopy(board["data"])
    data["sites"][0]["name"] = "<script>alert(1)</script>"
    page = render_dashboard(data)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and page.lower().count("<script") == 1


def test_dashboard_workbook_has_the_matrix_in_thai(board):
    book = openpyxl.load_workbook(board["xlsx"])
    rows = list(book["Sites"].iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "เว็บไซต์ / site" and "O1" in header and "O22" in header
    by_name = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    assert by_name["เขตดุสิต"]["O2"] == "ต้องตรวจสอบ" and by_name["เขตบางรัก"]["O9"] == "ยังไม่ได้ตรวจ"
    assert by_name["เขตพระนคร"]["O5"] == "ไม่ผ่าน" and by_name["เขตปิดกั้น"]["O1"] == "เข้าถึงไม่ได้"
    assert by_name["เขตดุสิต"]["เปลี่ยนแปลง / change"] == -1.0


@pytest.fixture(scope="module")
def dom(board):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    return chromium("--dump-dom", board["html"].resolve().as_uri(), profile=board["root"] / "profile")


@needs_chromium
def test_the_matrix_renders_with_a_link_per_cell(dom, board):
    index = DomIndex(dom)
    assert "ผลรายข้อของแต่ละเว็บไซต์" in dom and "ข้อที่ไม่ผ่านบ่อยที่สุด" in dom
    assert "เว็บไซต์ที่เก็บข้อมูลไม่สมบูรณ์" in dom and "time cap of 60 s" in dom
    cells = re.findall(r'<td class="cell st-(\w+)"[^>]*data-status="(\w+)"', dom)
    assert len(cells) == 4 * 22
    assert {s for s, _ in cells} == {"pass", "partial", "fail", "review", "not_checked", "unreachable"}
    links = [h for h in index.hrefs if "report.html#item-" in h]
    assert len(links) == 3 * 22 and "../reports/2/report.html#item-O2" in links
    for link in ("../reports/1/report.html#item-O5", "../reports/3/report.html#item-O22"):
        target = (board["html"].parent / link.split("#")[0]).resolve()
        assert target.is_file() and f'id="item-{link.split("#item-")[1]}"' in target.read_text("utf-8")


PROBE = """<!doctype html><html><head><meta charset="utf-8"></head><body><div id="out"></div>
<iframe id="board" src="dashboard.html" width="1400" height="900"></iframe>
<script>
window.addEventListener("load", function () {
  var doc = document.getElementById("board").contentDocument;
  var table = doc.getElementById("sites");
  function names() { return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.dataset.site; }).join(" "); }
  function click(col) { table.tHead.rows[0].cells[col].querySelector("button").click(); }
  var out = document.getElementById("out");
  out.setAttribute("data-initial", names());
  click(1); out.setAttribute("data-score-desc", names());
  out.setAttribute("data-score-sort", table.tHead.rows[0].cells[1].getAttribute("aria-sort"));
  click(1); out.setAttribute("data-score-asc", names());
  click(0); out.setAttribute("data-name-desc", names());
  click(2); out.setAttribute("data-change-desc", names());
});
</script></body></html>"""


@needs_chromium
def test_clicking_a_header_sorts_the_matrix(board):
    probe = board["html"].parent / "probe.html"
    probe.write_text(PROBE, encoding="utf-8")
    dom = chromium("--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom",
                   probe.resolve().as_uri(), profile=board["root"] / "probe-profile")
    found = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', re.search(r'<div id="out"[^>]*>', dom).group(0)))
    site = lambda n: f"https://webportal.bangkok.go.th/{n}/"  # noqa: E731
    assert found["initial"].split() == [site(1), site(2), site(3), site("blocked")]
    # score: highest first, the site with no score last either way
    assert found["score-desc"].split() == [site(2), site(3), site(1), site("blocked")]
    assert found["score-sort"] == "descending"
    assert found["score-asc"].split() == [site(1), site(3), site(2), site("blocked")]
    # Thai names in Thai order, descending: บางรัก (บ) after ปิดกั้น (ป) after พระนคร (พ)
    assert found["name-desc"].split() == [site(1), site("blocked"), site(3), site(2)]
    change = found["change-desc"].split()       # the two without a previous run keep their order, last
    assert change == [site(1), site(2), site("blocked"), site(3)]
