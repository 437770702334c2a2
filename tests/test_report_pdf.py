"""director.pdf: printed by the real headless Chromium, then read back the way a person would check it:
how many pages, and whether the Thai text (score, level, items, units, due dates, sign-off) is there."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdfium2
import pytest

from crawler.service import write_outputs
from crawler.errors import InputError
from reports.pdf import MAX_ROWS, PdfRendererMissing
from reports.writer import items_to_fix, write_reports
from test_report_browser import CHROMIUM, needs_chromium
from test_reports import build_report


def pdf_pages(path: Path) -> list[str]:
    """Text of each page, whitespace removed (Thai has no spaces between words; extractors add some).

    Pages are counted by pdfium; the text comes from poppler's pdftotext (scripts/install-system-deps),
    which reads Thai clusters back cleanly where pdfium repeats characters of ligatures."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        n_pages = len(pdf)
    finally:
        pdf.close()
    pages = []
    for page in range(1, n_pages + 1):
        done = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(path), "-"],
                              capture_output=True, text=True, timeout=60, check=True)
        pages.append(re.sub(r"\s+", "", done.stdout))
    return pages


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_chromium
def test_director_pdf_is_one_page_with_the_score_items_units_and_sign_off(tmp_path, monkeypatch):
    monkeypatch.setenv("OIT_CHROMIUM", CHROMIUM)
    report = build_report()
    path = write_reports(report, tmp_path, formats=["pdf"])[0]
    assert path.name == "director.pdf" and path.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["director.pdf"]      # no HTML left behind
    pages = pdf_pages(path)
    assert len(pages) == 1
    text = pages[0]
    for expected in ("สำนักงานเขตสัมพันธวงศ์", "ปีงบประมาณพ.ศ.2567", "ตรวจเว็บไซต์ณวันที่30มิถุนายน2567",
                     "คะแนนOITที่คาดการณ์", "73.75", "ระดับผลการประเมินITA", "ผ่าน", "87.67",
                     "รายการที่ต้องแก้ไข(6รายการ)", "ฝ่ายรายได้", "ฝ่ายปกครอง", "30ก.ค.2567",
                     "ลงชื่อ", "ผู้อำนวยการสำนักงานเขตสัมพันธวงศ์", "คณะทำงานITA"):
        assert squeeze(expected) in text, expected
    for item in ("O5", "O9", "O15", "O18", "O19", "O22"):
        assert item in text
    assert "O1สถิติ" not in text and "O10" not in text          # passing items are not listed


@needs_chromium
def test_director_pdf_stays_one_page_when_every_item_fails_with_long_texts(tmp_path, monkeypatch):
    monkeypatch.setenv("OIT_CHROMIUM", CHROMIUM)
    report = build_report()
    for item in report["items"]:
        item.update(status="fail", score=0, points_lost=item["points"], title_th=item["title_th"] * 3,
                    unit_th=item["unit_th"] * 3, fix_th="เผยแพร่เอกสารฉบับปีงบประมาณปัจจุบันในหน้า ITA " * 8)
    path = write_reports(report, tmp_path, formats=["pdf"])[0]
    pages = pdf_pages(path)
    assert len(pages) == 1
    assert f"และอีก{22 - MAX_ROWS}รายการ" in pages[0]
    assert "ลงชื่อ" in pages[0]                     # the sign-off is on the page, not pushed off it
    shown = [i["id"] for i in items_to_fix(report)][:MAX_ROWS]
    assert all(re.search(rf"{i}(?!\d)", pages[0]) for i in shown)


@needs_chromium
def test_unpublished_director_pdf_has_no_score(tmp_path, monkeypatch):
    monkeypatch.setenv("OIT_CHROMIUM", CHROMIUM)
    text = pdf_pages(write_reports(build_report(published=False), tmp_path, formats=["pdf"])[0])
    assert len(text) == 1
    assert "ไม่เผยแพร่คะแนน" in text[0] and "73.75" not in text[0]


def test_missing_chromium_is_a_clear_message_and_other_reports_are_written(tmp_path, monkeypatch):
    monkeypatch.setenv("OIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(PdfRendererMissing, match="OIT_CHROMIUM"):
        write_reports(build_report(), tmp_path / "a", formats=["pdf"])
    assert not (tmp_path / "a" / "director.pdf").exists()

    monkeypatch.delenv("OIT_CHROMIUM")
    monkeypatch.setenv("PATH", str(tmp_path))                     # no browser on PATH
    with pytest.raises(InputError, match="ไม่พบ Chromium.*apt-get install chromium"):
        write_outputs(build_report(), tmp_path / "b", ["json", "html", "pdf"])
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["report.html", "report.json"]
