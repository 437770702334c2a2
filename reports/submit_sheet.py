"""The submission sheet's two files: submit-sheet.xlsx (one row per item, URLs as links) and
submit-sheet.txt (each URL on its own line, to copy into the ITA system's form).

The rows are chosen by crawler/kit/submit.py (`submission_sheet`, then `sheet_data` for plain data:
item_id, title_th, status, unit_th, links [{url, covers, warnings}], warnings, override); these writers
only lay them out, one writer per format as the report's are. Site text is written as text, never as a
formula; only http(s) URLs become links.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from crawler.audit.status import status_th
from crawler.text.format import fmt_num, safe_url, site_name, thai_date
from crawler.text.urls import readable_url
from reports.writer import Report
from reports.xlsx import EXCEL_MAX_CELL, EXCEL_MAX_URL, STATUS_COLOURS

SheetRows = list[dict[str, Any]]

MAX_URL_COLUMNS = 6            # URL columns in the workbook; more go into one text column
SHEET_COLUMNS_HEAD = ("ข้อ", "ชื่อรายการ (ตามระบบ ITA)", "สถานะ")
SHEET_COLUMNS_TAIL = ("สิ่งที่ URL แสดง", "คำเตือน", "ปรับผลโดยคณะทำงาน", "หน่วยงานรับผิดชอบ")
SHEET_WIDTHS = {"ข้อ": 6, "ชื่อรายการ (ตามระบบ ITA)": 48, "สถานะ": 14, "URL อื่น ๆ": 50, "สิ่งที่ URL แสดง": 48,
                "คำเตือน": 70, "ปรับผลโดยคณะทำงาน": 45, "หน่วยงานรับผิดชอบ": 22}
SHEET_NAME = "URL สำหรับระบบ ITA"
SHEET_FORMATS = ("xlsx", "txt")


class SheetWriter(ABC):
    """Writes one format of the submission sheet into a directory."""

    format: ClassVar[str]
    filename: ClassVar[str]

    @abstractmethod
    def write(self, rows: SheetRows, report: Report, out_dir: Path) -> Path:
        """Write `out_dir / self.filename` and return its path."""


SHEET_WRITERS: dict[str, SheetWriter] = {}


def register(cls: type[SheetWriter]) -> type[SheetWriter]:
    SHEET_WRITERS[cls.format] = cls()
    return cls


def write_sheet(rows: SheetRows, report: Report, out_dir: str | Path) -> list[Path]:
    """submit-sheet.xlsx and submit-sheet.txt in out_dir."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [SHEET_WRITERS[f].write(rows, report, out) for f in SHEET_FORMATS]


def heading(report: Report) -> list[str]:
    """The lines above the sheet: site, fiscal year, as-of date, run, score, overrides."""
    crawl = report.get("crawl") or {}
    lines = [f"แบบสรุป URL สำหรับกรอกในระบบ ITA (แบบ OIT) — {site_name(report)}",
             f"ปีงบประมาณ พ.ศ. {report.get('fiscal_year')} · ข้อมูล ณ วันที่ {thai_date(report.get('as_of'))} · "
             f"รอบการเก็บข้อมูล #{crawl.get('run_id')} · เว็บไซต์ {(report.get('site') or {}).get('url', '')}"]
    if report.get("published", True) is not False:
        lines.append(f"คะแนน OIT ที่คาดการณ์ {fmt_num(report.get('oit_score'))}")
    overrides = report.get("overrides")
    if overrides:
        without = (overrides.get("without") or {}).get("oit_score")
        lines.append(f"รวมการปรับผลโดยคณะทำงาน {overrides.get('count')} ข้อ "
                     f"({', '.join(overrides.get('items') or [])}); ไม่รวมการปรับผล OIT {fmt_num(without)}")
    return lines


# -- submit-sheet.txt -------------------------------------------------------------------------------

def render_text(rows: SheetRows, report: Report) -> str:
    """Plain text to paste: each URL on its own line under its item."""
    lines = heading(report) + ["", "URL แต่ละบรรทัดคัดลอกไปวางในช่องของข้อนั้นได้ทันที "
                                   "บรรทัดที่ขึ้นต้นด้วย ⚠ คือสิ่งที่ต้องแก้ไขหรือตรวจสอบก่อนส่ง", ""]
    for row in rows:
        lines.append(f"{row['item_id']} {row['title_th']} [{status_th(row['status'])}]")
        if not row["links"]:
            lines.append("  (ยังไม่มี URL)")
        for link in row["links"]:
            lines.append(link["url"])
            if link["covers"]:
                lines.append(f"  ↳ {', '.join(link['covers'])}")
            for warning in link["warnings"]:
                lines.append(f"  ⚠ {warning}")
        for warning in row["warnings"]:
            lines.append(f"⚠ {warning}")
        if row["override"]:
            lines.append(f"✎ {row['override']}")
        lines.append("")
    return "\n".join(lines)


@register
class TextSheetWriter(SheetWriter):
    format = "txt"
    filename = "submit-sheet.txt"

    def write(self, rows: SheetRows, report: Report, out_dir: Path) -> Path:
        path = out_dir / self.filename
        path.write_text(render_text(rows, report), encoding="utf-8")
        return path


# -- submit-sheet.xlsx ------------------------------------------------------------------------------

def _url_columns(rows: SheetRows) -> tuple[list[str], bool]:
    most = max([len(r["links"]) for r in rows] + [1])
    count = min(most, MAX_URL_COLUMNS)
    names = ["URL หลัก"] + [f"URL เพิ่มเติม {n}" for n in range(1, count)]
    return names, most > MAX_URL_COLUMNS


def sheet_frame_rows(rows: SheetRows) -> tuple[list[str], list[dict[str, Any]]]:
    """The workbook's columns and rows (one per item); URL cells hold the bare URL."""
    url_names, overflow = _url_columns(rows)
    columns = list(SHEET_COLUMNS_HEAD) + url_names + (["URL อื่น ๆ"] if overflow else []) + list(SHEET_COLUMNS_TAIL)
    out = []
    for row in rows:
        links = row["links"]
        record: dict[str, Any] = {
            "ข้อ": row["item_id"], "ชื่อรายการ (ตามระบบ ITA)": row["title_th"], "สถานะ": status_th(row["status"]),
        }
        for n, name in enumerate(url_names):
            record[name] = links[n]["url"] if n < len(links) else ""
        if overflow:
            record["URL อื่น ๆ"] = "\n".join(link["url"] for link in links[len(url_names):])
        record["สิ่งที่ URL แสดง"] = "\n".join(
            f"{n}. {', '.join(link['covers']) or '—'}" for n, link in enumerate(links, start=1))
        record["คำเตือน"] = "\n".join(
            [f"URL {n}: {w}" for n, link in enumerate(links, start=1) for w in link["warnings"]] + row["warnings"])
        record["ปรับผลโดยคณะทำงาน"] = row["override"] or ""
        record["หน่วยงานรับผิดชอบ"] = row["unit_th"]
        record["_status"] = row["status"]
        out.append(record)
    return columns, out


@register
class XlsxSheetWriter(SheetWriter):
    format = "xlsx"
    filename = "submit-sheet.xlsx"

    def write(self, rows: SheetRows, report: Report, out_dir: Path) -> Path:
        """One row per item, URLs as hyperlinks, Thai headers, widths, frozen header (pandas + xlsxwriter)."""
        path = out_dir / self.filename
        columns, records = sheet_frame_rows(rows)
        lines = heading(report)
        top = len(lines) + 1                        # title lines, a blank row, then the table
        options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
            frame = pd.DataFrame([{c: r.get(c, "") for c in columns} for r in records], columns=columns)
            frame.to_excel(writer, sheet_name=SHEET_NAME, index=False, startrow=top)
            book, sheet = writer.book, writer.sheets[SHEET_NAME]
            book.set_properties({"title": f"URL สำหรับระบบ ITA {site_name(report)}", "author": "oit-crawler"})
            base = {"font_name": "Tahoma", "font_size": 10, "valign": "top"}
            fmt = {
                "title": book.add_format({**base, "bold": True, "font_size": 13, "font_color": "#16325C"}),
                "note": book.add_format({**base, "font_color": "#5B6878"}),
                "header": book.add_format({**base, "bold": True, "bg_color": "#16325C", "font_color": "#FFFFFF",
                                           "text_wrap": True, "valign": "vcenter", "border": 1}),
                "wrap": book.add_format({**base, "text_wrap": True}),
                "warn": book.add_format({**base, "text_wrap": True, "font_color": "#8A5A00"}),
                "link": book.add_format({**base, "font_color": "#1F4E8C", "underline": 1}),
                "text": book.add_format(base),
            }
            status_fmt = {s: book.add_format({**base, "bold": True, "font_color": f, "bg_color": b})
                          for s, (f, b) in STATUS_COLOURS.items()}
            for n, line in enumerate(lines):
                sheet.write_string(n, 0, line, fmt["title"] if n == 0 else fmt["note"])
            for col, name in enumerate(columns):
                sheet.write_string(top, col, name, fmt["header"])
                width = 55 if name.startswith("URL") else SHEET_WIDTHS.get(name, 16)
                cell = fmt["warn"] if name == "คำเตือน" else fmt["wrap"] if name in SHEET_WIDTHS else None
                sheet.set_column(col, col, width, cell)
            sheet.set_row(top, 30)
            sheet.freeze_panes(top + 1, 2)
            sheet.autofilter(top, 0, top + max(len(records), 1), len(columns) - 1)
            for r, record in enumerate(records, start=top + 1):
                status = record["_status"]
                if status in status_fmt:
                    sheet.write_string(r, columns.index("สถานะ"), record["สถานะ"], status_fmt[status])
                for col, name in enumerate(columns):
                    if not (name.startswith("URL") and name != "URL อื่น ๆ"):
                        continue
                    text = record.get(name) or ""
                    if not text:
                        continue
                    href = safe_url(text)
                    fits = href is not None and all(len(p) <= EXCEL_MAX_URL for p in href.split("#", 1))
                    # Shown decoded (Thai, not %E0%B8…) and whole, since a copied cell gives its shown text;
                    # the hyperlink and submit-sheet.txt hold the exact URL.
                    shown = "\n".join(readable_url(u) for u in text.split("\n"))[:EXCEL_MAX_CELL]
                    if not (fits and sheet.write_url(r, col, href, fmt["link"], string=shown) == 0):
                        sheet.write_string(r, col, text[:EXCEL_MAX_CELL], fmt["text"])
        return path
