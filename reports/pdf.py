"""director.pdf: one A4 page the ITA officer hands to the district director on the day of the audit.

Score, level, the items to fix (with the responsible unit and a due date) and sign-off lines, laid out
by reports/templates/director.html and printed by headless Chromium (`--print-to-pdf`), the same browser
the report tests render with: it shapes Thai (tone marks, sara am) with the system's Thai fonts, where
PDF libraries without a shaping engine misplace marks. The page stays one page by showing at most
MAX_ROWS items, each fix cut to MAX_FIX_CHARS; the rest is in report.html.
"""
from __future__ import annotations

import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from crawler.audit.status import STATUS_LABELS
from crawler.crawl import browser
from crawler.errors import InputError
from crawler.text.format import fmt_num, site_name, thai_date, thai_datetime
from reports.writer import Report, ReportWriter, is_published, item_fix_text, items_to_fix, register

MAX_ROWS = 8
MAX_FIX_CHARS = 100
# The due date proposed for every fix: the officer crosses it out and writes another before signing.
DUE_DAYS = 30
PRINT_TIMEOUT_S = 90


class PdfRendererMissing(InputError):
    """No Chromium to print the PDF with: one line for the user."""


def find_chromium() -> str:
    """$OIT_CHROMIUM, else the first Chromium or Chrome on PATH (crawler.crawl.browser.find_chromium)."""
    try:
        return browser.find_chromium()
    except browser.BrowserMissing as exc:
        raise PdfRendererMissing(f"สร้าง PDF ไม่ได้: {exc.message} — ติดตั้งด้วย `apt-get install chromium` หรือกำหนด "
                                 "OIT_CHROMIUM=/ที่อยู่/ของ/chromium; รายงานรูปแบบอื่นสร้างได้ตามปกติ "
                                 "(cannot write the PDF: Chromium not found)") from None


def print_to_pdf(html_path: Path, pdf_path: Path, chromium: str | None = None) -> Path:
    """Print a local HTML file to PDF with headless Chromium (its own throwaway profile, time-bounded)."""
    chromium = chromium or find_chromium()
    with tempfile.TemporaryDirectory(prefix="oit-pdf-") as profile:
        cmd = [chromium, "--headless", *browser.chromium_args(), "--no-pdf-header-footer",
               f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=PRINT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise PdfRendererMissing(f"Chromium พิมพ์ PDF ไม่เสร็จใน {PRINT_TIMEOUT_S} วินาที "
                                     f"(Chromium timed out printing the PDF)") from None
    if done.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-1:] or [""]
        raise PdfRendererMissing(f"Chromium พิมพ์ PDF ไม่สำเร็จ (Chromium failed, exit {done.returncode}): {tail[0]}")
    return pdf_path


def _cut(text: str, limit: int = MAX_FIX_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def due_date(as_of: str | None) -> str:
    """The proposed due date, in Thai; '' (a blank to fill in) when the report has no as-of date."""
    try:
        return thai_date((date.fromisoformat(str(as_of)) + timedelta(days=DUE_DAYS)).isoformat(), short=True)
    except ValueError:
        return ""


def director_view(report: Report) -> dict[str, Any]:
    """What the one page shows, all text ready to print."""
    published = is_published(report)
    todo = items_to_fix(report)
    ita = report.get("ita") if published else None
    due = due_date(report.get("as_of"))
    rows = [{"id": item.get("id", ""), "title_th": _cut(str(item.get("title_th") or ""), 60),
             "status": item.get("status", ""), "status_th": STATUS_LABELS.get(item.get("status"), ("",))[0],
             "points_lost": fmt_num(item.get("points_lost")),
             "fix": _cut(item_fix_text(item) or "ตรวจสอบตามรายงานฉบับเต็ม"),
             "unit_th": _cut(str(item.get("unit_th") or "ไม่ระบุ"), 32), "due": due} for item in todo]
    lost = sum(float(i.get("points_lost") or 0) for i in todo)
    name = site_name(report)
    return {
        "title": f"สรุปผลคาดการณ์ OIT เสนอผู้อำนวยการ {name}",
        "name": name,
        "fiscal_year": report.get("fiscal_year"),
        "as_of": thai_date(report.get("as_of")),
        "generated_at": thai_datetime(report.get("generated_at")),
        "published": published,
        "health_reasons": (report.get("crawl") or {}).get("health_reasons") or [],
        "oit_score": fmt_num(report.get("oit_score")) if published else None,
        "oit_points": fmt_num(report.get("oit_points")) if published else None,
        "ita": {"total": fmt_num(ita.get("total")), "level_th": ita.get("level_th") or "—"} if ita else None,
        "gain": {"points": fmt_num(lost), "score": fmt_num(lost / 40 * 100)} if published and lost else None,
        "rows": rows[:MAX_ROWS],
        "more": len(rows) - MAX_ROWS if len(rows) > MAX_ROWS else 0,
        "n_todo": len(rows),
        "due_days": DUE_DAYS,
    }


def render_director(report: Report) -> str:
    from reports.html import render     # here: reports.html imports reports.writer, which imports this module
    return render("director.html", **director_view(report))


@register
class PdfWriter(ReportWriter):
    format = "pdf"
    filename = "director.pdf"

    def write(self, report: Report, out_dir: Path) -> Path:
        chromium = find_chromium()          # before anything is written: a clear message, no stray file
        out = Path(out_dir)
        # The HTML is printed from a temporary folder so only the PDF is left beside the other reports.
        with tempfile.TemporaryDirectory(prefix="oit-director-") as tmp:
            page = Path(tmp) / "director.html"
            page.write_text(render_director(report), encoding="utf-8")
            return print_to_pdf(page, out / self.filename, chromium)
