"""Layout as people meet it, measured in the real headless Chromium: the diff pages on office screens
(1280 and 1920 px: nothing cut off at a card's edge, item names not squeezed to a word per line) and the
printed report.html (A4: no heading left alone at the bottom of a page).

The diffs are made by the real diff functions from two versions of the Samphanthawong report, with the
long percent-encoded Thai file names district sites use and one document that served three elements.
"""
from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest

from crawler.evidence.model import Resource, RunEvidence
from crawler.history.diff import diff_reports
from crawler.history.fiscal_years import diff_coverage
from reports.diff import write_diff
from reports.pdf import print_to_pdf
from reports.writer import write_reports
from test_report_browser import CHROMIUM, chromium, needs_chromium
from test_reports import FILES, build_report

LONG_NAME = "รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. 2567"
LONG_REASON = ("ไม่พบเอกสารฉบับปีงบประมาณ พ.ศ. 2567 ที่เผยแพร่บนเว็บไซต์ของสำนักงานเขต พบเพียงฉบับปีก่อนซึ่งลงนามโดย"
               "ผู้อำนวยการเขตเมื่อเดือนตุลาคม จึงยังไม่นับเป็นหลักฐานของปีนี้")
CHANGED_ITEMS = ("O1", "O13", "O20")


def long_url(item: str, n: int) -> str:
    if item == "O20":       # a long name without a space or Thai: no line-break opportunity
        return f"{FILES}/ITA/2567/{item}/integrity-and-transparency-measures-report-fy2567-final-signed-v{n}.pdf"
    return f"{FILES}/ITA/2567/{item}/" + quote(f"{LONG_NAME} ฉบับที่ {n}.pdf")


def _run(run_id: int, resources: list[Resource]) -> RunEvidence:
    return RunEvidence(run_id, FILES, f"2024-06-0{run_id}T01:30:00+00:00", None, "complete",
                       {r.url: r for r in resources}, [])


def runs_diff() -> dict:
    """Week 1 -> week 2: three items lose documents (removed or now 404), and pages come and go."""
    before, after = build_report(), build_report()
    res_a, res_b = [], []
    for report in (before, after):
        for item in report["items"]:
            if item["id"] in CHANGED_ITEMS:
                for n, el in enumerate(item["elements"]):
                    # O1's first three elements were all served by one document
                    url = long_url(item["id"], 0 if item["id"] == "O1" and n < 3 else n)
                    for ev in el["evidence"]:
                        ev["url"] = url
    for item in after["items"]:
        if item["id"] in CHANGED_ITEMS:
            item.update(status="fail", score=0.0, points_lost=item["points"], reason_th=LONG_REASON)
            for el in item["elements"]:
                el.update(satisfied=False, status="missing", reason="not_found", reason_th=LONG_REASON,
                          fix_th="เผยแพร่ " + LONG_NAME)
    urls = sorted({ev["url"] for i in before["items"] if i["id"] in CHANGED_ITEMS
                   for el in i["elements"] for ev in el["evidence"]})
    for n, url in enumerate(urls):
        res_a.append(Resource(url, url, "document", True, 200, format="pdf", sha256=f"a{n}"))
        if n % 2:
            res_b.append(Resource(url, url, "document", False, 404, error_kind="http_404", format="pdf"))
    for n in range(6):
        page = f"{FILES}/page/sub/{n}/" + quote(f"ข่าวประชาสัมพันธ์กิจกรรมของสำนักงานเขตสัมพันธวงศ์ ครั้งที่ {n}")
        res_b.append(Resource(page, page, "page", True, 200, format="html", sha256=f"p{n}"))
    return diff_reports(before, _run(1, res_a), after, _run(2, res_b), generated_at="2024-06-02T06:54:00+00:00")


def fy_diff() -> dict:
    """FY 2566 had three items' documents that FY 2567 still lacks."""
    early, late = build_report(), build_report()
    early["fiscal_year"] = 2566
    for item in early["items"]:
        for n, el in enumerate(item["elements"]):
            el.update(satisfied=True, status="satisfied")
            el["evidence"] = el["evidence"] or [dict(el["candidates"][0])]
            for ev in el["evidence"]:
                ev["url"] = long_url(item["id"], n)
    for item in late["items"]:
        if item["id"] in CHANGED_ITEMS:
            for el in item["elements"]:
                el.update(satisfied=False, status="missing", reason_th=LONG_REASON, fix_th="เผยแพร่ " + LONG_NAME,
                          evidence=[])
    return diff_coverage(early, late, generated_at="2024-06-02T06:54:00+00:00")


PROBE = """<!doctype html><html><head><meta charset="utf-8"><style>
body{{margin:0}} iframe{{border:0;width:{width}px;height:3000px;display:block}}</style></head>
<body><iframe id="f" src="{src}"></iframe><div id="out"></div>
<script>
window.addEventListener('load', () => {{
  const d = document.getElementById('f').contentDocument, root = d.documentElement;
  const cut = [...d.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1)
    .map(w => w.querySelector('caption') ? w.querySelector('caption').textContent : '?');
  const names = [...d.querySelectorAll('td.name')].map(td => Math.round(td.getBoundingClientRect().width));
  const lineHeight = parseFloat(getComputedStyle(d.body).lineHeight) || 24;
  const tall = [...d.querySelectorAll('td.name')].filter(td => {{
    const words = td.textContent.trim().split(/\\s+/).length;
    return words > 1 && td.getBoundingClientRect().height > lineHeight * 5 && words > 3;
  }}).map(td => td.textContent.trim().slice(0, 40));
  document.getElementById('out').setAttribute('data-m', JSON.stringify(
    {{scroll: root.scrollWidth, client: root.clientWidth, cut: cut, names: names, tall: tall}}));
}});
</script></body></html>"""


def measure(page: Path, width: int, profile: Path) -> dict:
    probe = page.parent / f"probe-{page.stem}-{width}.html"
    probe.write_text(PROBE.format(width=width, src=page.name), encoding="utf-8")
    dom = chromium("--allow-file-access-from-files", f"--window-size={width + 40},3000", "--dump-dom",
                   probe.as_uri(), profile=profile)
    return json.loads(re.search(r'data-m="([^"]+)"', dom).group(1).replace("&quot;", '"'))


@pytest.fixture(scope="module")
def diff_pages(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    root = tmp_path_factory.mktemp("diff-layout")
    return {"diff": write_diff(runs_diff(), root, ["html"])[0],
            "fy-diff": write_diff(fy_diff(), root, ["html"])[0], "root": root}


@needs_chromium
@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize("page", ["diff", "fy-diff"])
def test_diff_pages_fit_office_screens(diff_pages, page, width):
    m = measure(diff_pages[page], width, diff_pages["root"] / "profile")
    assert m["client"] == width
    assert m["scroll"] <= m["client"], m
    assert not m["cut"], f"a table is cut off at the card edge: {m['cut']}"
    assert m["names"], "no item names measured"
    assert min(m["names"]) >= 150, f"item names squeezed: {m['names']}"
    assert not m["tall"], m["tall"]


def test_diff_cause_names_a_shared_document_once():
    diff = runs_diff()
    o1 = next(i for i in diff["items"] if i["id"] == "O1")
    first = long_url("O1", 0)
    assert len(o1["elements"]) == 5
    assert o1["reason_th"].count("ฉบับที่%200.pdf") == 1      # the shared document once, not three times
    assert o1["reason_th"].count("; ") == 2                  # and the two other documents
    assert first in [c["url"] for el in o1["elements"] for c in el["causes"]]


# -- report.html on paper ---------------------------------------------------------------------------

class Headings(HTMLParser):
    """The Thai text of every h2-h4 (the part before the English label)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._depth = 0
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "h3", "h4"):
            self._depth, self._text = 1, ""
        elif self._depth and tag == "span" and ("class", "en") in attrs:
            self._depth = 2                    # the English label: not part of the Thai heading

    def handle_endtag(self, tag):
        if tag in ("h2", "h3", "h4") and self._depth:
            self.found.append(re.sub(r"\s+", "", self._text))
            self._depth = 0

    def handle_data(self, data):
        if self._depth == 1:
            self._text += data


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, timeout=120, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@needs_chromium
def test_printed_report_leaves_no_heading_alone_at_a_page_bottom(tmp_path, monkeypatch):
    monkeypatch.setenv("OIT_CHROMIUM", CHROMIUM)
    report = build_report(history=True)
    html = write_reports(report, tmp_path, formats=["html"])[0]
    headings = [h for h in Headings(html.read_text(encoding="utf-8")).found if h]
    assert len(headings) > 20
    pdf = print_to_pdf(html, tmp_path / "report.pdf")
    pages = page_texts(pdf)
    print(f"report.html prints on {len(pages)} A4 pages")
    stranded = []
    for n, page in enumerate(pages[:-1], start=1):
        lines = [re.sub(r"\s+", "", line) for line in page.splitlines() if line.strip()]
        if lines and any(lines[-1].startswith(h) for h in headings):
            stranded.append((n, lines[-1]))
    assert not stranded, stranded


@pytest.mark.parametrize("make", [runs_diff, fy_diff], ids=["diff", "fy-diff"])
def test_diff_workbooks_have_thai_sheets_widths_and_frozen_headers(tmp_path, make):
    book = openpyxl.load_workbook(write_diff(make(), tmp_path, ["xlsx"])[0])
    assert book.sheetnames[-1] == "คำอธิบาย"
    for sheet in book.worksheets:
        assert not re.search(r"[A-Za-z]", sheet.title), sheet.title                 # Thai names
        assert sheet.freeze_panes == "A2", sheet.title
        headers = [c.value for c in sheet[1]]
        for n, header in enumerate(headers, start=1):
            width = sheet.column_dimensions[openpyxl.utils.get_column_letter(n)].width
            assert width and width >= 8, (sheet.title, header, width)               # every column, not only A


def test_diff_says_when_each_run_started_on_the_bangkok_clock(tmp_path, capsys):
    from crawler.history.diff import print_diff
    diff = runs_diff()                                    # runs started 01:30 UTC on 1 and 2 June 2024
    book = openpyxl.load_workbook(write_diff(diff, tmp_path, ["xlsx"])[0])
    summary = {row[0]: row[1] for row in book["สรุป"].iter_rows(min_row=2, values_only=True)}
    assert summary["รอบก่อน"] == "#1 1 มิ.ย. 2567 08:30 น." and summary["รอบหลัง"] == "#2 2 มิ.ย. 2567 08:30 น."
    print_diff(diff, sys.stdout)
    assert "รอบ/run 1 (1 มิ.ย. 2567 08:30) → รอบ/run 2 (2 มิ.ย. 2567 08:30)" in capsys.readouterr().out
