"""report.xlsx: the working group's workbook. Sheets (Thai names; SHEET_NAMES):

- สรุป                 the site, fiscal year, scores of OIT, indicators and sub-indicators (and ITA)
- รายการ O1–O22        one row per item
- ต้องแก้ไข             one row per element still to publish, with columns the group fills in to follow the
                       work up (`oit overrides import report.xlsx` reads them back)
- แผนแก้ไข / ปรับผลโดยคณะทำงาน   when the report has a plan / overrides
- หลักฐาน               one row per piece of evidence (and near miss), with live hyperlinks
- ข้อผิดพลาดการเก็บข้อมูล  URLs that could not be fetched
- คำอธิบาย              what every status, reason and basis (S/I) means

Every sheet has Thai headers, set widths and a frozen header row. Text from the crawled site is written
as text, never as a formula; only http(s) URLs become links.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from crawler.audit.status import ELEMENT_STATUS_LABELS, STATUS_LABELS, element_status, status_label
from crawler.evidence.failures import FAILURE_LABELS, failure_label
from crawler.text.format import fmt_num, safe_url, site_name, thai_date, thai_datetime
from crawler.text.urls import readable_url
from reports.writer import (BASIS_LABELS, ITEM_COLUMNS, MATCHED_IN_LABELS, Report, ReportWriter, fix_entries, indicator_codes,
                            is_published, item_rows, items_to_fix, iter_evidence, partial_note, register,
                            withheld_reasons)

EXCEL_MAX_URL = 2079            # characters in a hyperlink (before a '#')
EXCEL_MAX_URLS = 65_530         # hyperlinks per worksheet
EXCEL_MAX_CELL = 32_767         # characters in a cell

STATUS_COLOURS = {  # (font, fill): same meaning as the HTML page
    "pass": ("#1E7D3A", "#E7F5EC"), "partial": ("#8A5A00", "#FFF3D6"), "fail": ("#B42318", "#FDECEA"),
    "unreachable": ("#545B64", "#ECEEF1"), "review": ("#1A56B0", "#E6EFFC"),
    "not_checked": ("#545B64", "#F4F5F7"),
}

SHEET_NAMES = {   # Excel: at most 31 characters, none of []:*?/\\
    "summary": "สรุป", "items": "รายการ O1–O22", "missing": "ต้องแก้ไข", "plan": "แผนแก้ไข",
    "overrides": "ปรับผลโดยคณะทำงาน", "evidence": "หลักฐาน", "crawl": "ข้อผิดพลาดการเก็บข้อมูล",
    "legend": "คำอธิบาย",
}
SUMMARY_COLUMNS = ("หัวข้อ", "ค่า", "รายละเอียด")
LEGEND_COLUMNS = ("หมวด", "ค่าที่แสดง", "ความหมาย", "English")
# The columns of ต้องแก้ไข the working group fills in; `oit overrides import` reads them (crawler/kit/overrides.py).
FOLLOW_UP_COLUMNS = ("ผลหลังตรวจสอบ", "URL ที่เผยแพร่", "หมายเหตุ", "ผู้ตรวจสอบ", "วันที่ตรวจ")
EVIDENCE_COLUMNS = ("รหัส", "องค์ประกอบ", "สถานะองค์ประกอบ", "ประเภท", "ข้อความลิงก์", "URL", "ปีงบประมาณ",
                    "ที่มาของปีงบประมาณ", "รูปแบบไฟล์", "วลีที่พบ", "พบใน", "ข้อความตัวอย่าง", "หน้าที่มีลิงก์",
                    "อยู่ในเว็บไซต์เขต", "ไฟล์สแกน/OCR")
MISSING_COLUMNS = ("ลำดับ", "รหัส", "ชื่อรายการ", "สถานะ", "คะแนนที่เสีย", "องค์ประกอบ", "เหตุผล", "วิธีแก้ไข",
                   "หน่วยงานรับผิดชอบ", "ผลการดำเนินการ") + FOLLOW_UP_COLUMNS
CRAWL_COLUMNS = ("URL", "ประเภทข้อผิดพลาด", "รหัสสถานะ HTTP", "ข้อความ", "หน้าที่อ้างถึง")
PLAN_COLUMNS = ("ลำดับ", "รหัส", "ชื่อรายการ", "หน่วยงานรับผิดชอบ", "สิ่งที่ต้องเผยแพร่", "รูปแบบไฟล์",
                "ปีงบประมาณ/ช่วงเวลา", "เหตุผล", "คะแนน OIT ที่ได้คืน", "คะแนน OIT หลังแก้ไข", "ITA หลังแก้ไข",
                "ระดับหลังแก้ไข", "ผลการดำเนินการ")
OVERRIDE_COLUMNS = ("รหัส", "ชื่อรายการ", "ผลที่ปรับ", "คะแนนที่ปรับ", "ผลตรวจอัตโนมัติ", "คะแนนตรวจอัตโนมัติ",
                    "ผู้ตรวจสอบ", "วันที่ตรวจ", "หมายเหตุ", "URL")
OVERRIDE_COLUMN = "ปรับผลโดยคณะทำงาน"

# Column widths in characters; Thai runs narrower per code point than the count suggests (marks).
WIDTHS = {
    "หัวข้อ": 38, "ค่า": 26, "รายละเอียด": 60,
    "รหัส": 7, "ตัวชี้วัดย่อย": 11, "ชื่อรายการ": 55, "ชื่อรายการ (อังกฤษ)": 36, "สถานะ": 22, "คะแนน": 9,
    "คะแนนเต็มของข้อ": 12, "คะแนนที่ได้": 10, "คะแนนที่เสีย": 11, "ฐานของเกณฑ์": 18, "เหตุผล": 50,
    "วิธีแก้ไข": 60, "หน่วยงานรับผิดชอบ": 20, "จำนวนหลักฐาน": 11, "URL": 60,
    "องค์ประกอบ": 36, "สถานะองค์ประกอบ": 15, "ประเภท": 20, "ข้อความลิงก์": 40, "ปีงบประมาณ": 11,
    "ที่มาของปีงบประมาณ": 14, "วลีที่พบ": 28, "พบใน": 16, "ข้อความตัวอย่าง": 60,
    "หน้าที่มีลิงก์": 50, "อยู่ในเว็บไซต์เขต": 13, "ไฟล์สแกน/OCR": 12,
    "ลำดับ": 7, "ผลการดำเนินการ": 30,
    "ประเภทข้อผิดพลาด": 26, "รหัสสถานะ HTTP": 12, "ข้อความ": 40, "หน้าที่อ้างถึง": 50,
    "สิ่งที่ต้องเผยแพร่": 60, "รูปแบบไฟล์": 30, "ปีงบประมาณ/ช่วงเวลา": 30, "คะแนน OIT ที่ได้คืน": 12,
    "คะแนน OIT หลังแก้ไข": 12, "ITA หลังแก้ไข": 11, "ระดับหลังแก้ไข": 14,
    "ผลที่ปรับ": 16, "คะแนนที่ปรับ": 10, "ผลตรวจอัตโนมัติ": 16, "คะแนนตรวจอัตโนมัติ": 12, "ผู้ตรวจสอบ": 28,
    "วันที่ตรวจ": 16, "หมายเหตุ": 50, OVERRIDE_COLUMN: 50,
    "ผลหลังตรวจสอบ": 16, "URL ที่เผยแพร่": 50,
    "หมวด": 22, "ค่าที่แสดง": 28, "ความหมาย": 70, "English": 50,
}
WRAP = {"ความหมาย", "English", "ชื่อรายการ", "เหตุผล", "วิธีแก้ไข", "องค์ประกอบ", "ข้อความลิงก์", "ข้อความตัวอย่าง", "รายละเอียด",
        "ข้อความ", "ผลการดำเนินการ", "สิ่งที่ต้องเผยแพร่", "รูปแบบไฟล์", "ปีงบประมาณ/ช่วงเวลา", "หมายเหตุ",
        "ผู้ตรวจสอบ", OVERRIDE_COLUMN}
NUMBER = {"คะแนน", "คะแนนที่ได้", "คะแนนที่เสีย", "คะแนนเต็มของข้อ", "คะแนน OIT ที่ได้คืน", "คะแนน OIT หลังแก้ไข",
          "ITA หลังแก้ไข", "คะแนนที่ปรับ", "คะแนนตรวจอัตโนมัติ"}
URL_COLUMNS = {"URL", "หน้าที่มีลิงก์", "หน้าที่อ้างถึง"}


# --------------------------------------------------------------------------------------------------
# Rows


def summary_rows(report: Report) -> list[dict[str, Any]]:
    published = is_published(report)
    site = report.get("site") or {}
    checklist = report.get("checklist") or {}
    crawl = report.get("crawl") or {}
    ind = report.get("indicators") or {}

    def row(topic: str, value: Any, detail: Any = "", style: str = "") -> dict[str, Any]:
        """style: "big" (headline score), "score", "sub" (an indented sub-indicator score) or ""."""
        return {**dict(zip(SUMMARY_COLUMNS, (topic, value, detail))), "_style": style}

    def num(value: Any) -> Any:
        return value if published else "ไม่เผยแพร่"

    rows = [
        row("สำนักงานเขต", site_name(report)),
        row("เว็บไซต์", site.get("url", "")),
        row("ปีงบประมาณ (พ.ศ.)", report.get("fiscal_year")),
        row("ข้อมูล ณ วันที่", thai_date(report.get("as_of")), report.get("as_of", "")),
        row("เกณฑ์ที่ใช้", f"{checklist.get('id', '')} v{checklist.get('version', '')}", checklist.get("title_th", "")),
        row("การเผยแพร่คะแนน", ("ผลการตรวจบางส่วน" if partial_note(report) else "เผยแพร่") if published
            else "ไม่เผยแพร่ (การเก็บข้อมูลไม่สมบูรณ์)",
            partial_note(report) or ("" if published else " / ".join(withheld_reasons(report)))),
        row("คะแนน OIT ที่คาดการณ์ (เต็ม 100)", num(report.get("oit_score")), "", "big"),
        row("คะแนน OIT ที่ได้ (เต็ม 40)", num(report.get("oit_points")), "", "score"),
    ]
    overrides = report.get("overrides")
    if overrides and published:
        without = overrides.get("without") or {}
        rows.append(row("คะแนน OIT ไม่รวมการปรับผลโดยคณะทำงาน", without.get("oit_score"),
                        f"ปรับผล {overrides.get('count')} ข้อ: {', '.join(overrides.get('items') or [])} "
                        f"(ดูแผ่นงาน {OVERRIDE_COLUMN})", "score"))
    for code in indicator_codes(report):
        data = ind[code]
        sub = "." in code
        name = f"{code} {data.get('title_th', '')}" if sub else f"ตัวชี้วัดที่ {code} {data.get('title_th', '')}"
        detail = f"ได้ {fmt_num(data.get('points'))} จาก {fmt_num(data.get('max_points'))} คะแนน" if published else ""
        rows.append(row(name, num(data.get("score")), detail, "sub" if sub else "score"))
    ita = report.get("ita")
    if ita and published:
        rows.append(row("ITA รวม (รวมผลแบบสำรวจ)", ita.get("total"),
                        f"ระดับ {ita.get('level_th', '')} · IIT {fmt_num(ita.get('iit'))}/30 · "
                        f"EIT {fmt_num(ita.get('eit'))}/30 · OIT {fmt_num(ita.get('oit'))}/40", "big"))
    if ita and published and overrides and (overrides.get("without") or {}).get("ita_total") is not None:
        without = overrides["without"]
        rows.append(row("ITA รวม ไม่รวมการปรับผลโดยคณะทำงาน", without.get("ita_total"),
                        f"ระดับ {without.get('level_th') or ''}", "score"))
    for target in (report.get("plan") or {}).get("targets") or []:
        rows.append(row(f"เป้าหมายระดับ{target.get('level_th')}", ", ".join(target.get("items") or []) or "—",
                        target.get("statement_th", "")))
    counts: dict[str, int] = {}
    for item in report.get("items", []):
        counts[item.get("status", "")] = counts.get(item.get("status", ""), 0) + 1
    for status, n in counts.items():
        rows.append(row(f"จำนวนรายการ: {status_label(status)}", n))
    rows += [
        row("รอบการเก็บข้อมูล", crawl.get("run_id"),
            f"หน้าเว็บ {crawl.get('pages')} · เอกสาร {crawl.get('documents')} · ข้อผิดพลาด {crawl.get('errors')}"),
        row("สร้างรายงานเมื่อ", f"{thai_datetime(report.get('generated_at'))} น. (เวลาประเทศไทย)"
            if report.get("generated_at") else ""),
        row("หมายเหตุ", "คะแนนเป็นการคาดการณ์จากการตรวจเว็บไซต์โดยอัตโนมัติ ไม่ใช่ผลการประเมินอย่างเป็นทางการ"),
    ]
    return rows


def evidence_rows(report: Report) -> list[dict[str, Any]]:
    rows = []
    for item, element, ev, kind in iter_evidence(report):
        ocr = ev.get("ocr") or ev.get("text_layer") == "scan"
        year_source = ev.get("fiscal_year_source") or ""
        rows.append(dict(zip(EVIDENCE_COLUMNS, (
            item.get("id", ""), element.get("label_th") or element.get("id", ""),
            ELEMENT_STATUS_LABELS[element_status(element)][0],
            "หลักฐาน" if kind == "evidence" else "ใกล้เคียงแต่ไม่นับ",
            ev.get("link_text") or "", ev.get("url", ""), ev.get("fiscal_year"),
            MATCHED_IN_LABELS.get(year_source, year_source), (ev.get("format") or "").upper(),
            ev.get("matched_phrase") or "",
            MATCHED_IN_LABELS.get(ev.get("matched_in") or "", ev.get("matched_in") or ""),
            ev.get("snippet") or "", ev.get("source_page") or "",
            {True: "ใช่", False: "ไม่ใช่"}.get(ev.get("on_site"), ""), "ใช่" if ocr else "",
        ))))
    return rows


def missing_rows(report: Report) -> list[dict[str, Any]]:
    rows = []
    for item in items_to_fix(report):
        entries = fix_entries(item)
        for label, reason, fix in entries:
            rows.append(dict(zip(MISSING_COLUMNS, (
                len(rows) + 1, item.get("id", ""), item.get("title_th", ""), status_label(item.get("status", "")),
                item.get("points_lost"), label, reason, fix, item.get("unit_th") or "", "",
                *[""] * len(FOLLOW_UP_COLUMNS)))))
    return rows


def legend_rows(report: Report) -> list[dict[str, Any]]:
    """คำอธิบาย: what each status, reason, basis and crawl error the other sheets show means."""
    from crawler.audit.primitives import REASONS

    meaning = {
        "pass": "ครบตามเกณฑ์ทุกองค์ประกอบ ได้คะแนนเต็มของข้อ",
        "partial": "ครบบางองค์ประกอบ ได้คะแนนบางส่วน",
        "fail": "ไม่พบหลักฐานที่ตรงตามเกณฑ์ ได้ 0 คะแนน",
        "unreachable": "เปิดเว็บไซต์หรือเอกสารไม่ได้ขณะตรวจ จึงตัดสินไม่ได้ (นับ 0 คะแนนจนกว่าจะตรวจใหม่)",
        "review": "พบเอกสารแต่เครื่องอ่านไม่ชัด (เช่น ไฟล์สแกน) เจ้าหน้าที่ต้องเปิดดูเองแล้วบันทึกผล",
        "not_checked": "การเก็บข้อมูลไปไม่ถึงหลักฐานของข้อนี้ (จำกัดจำนวนหน้า หยุดกลางคัน หรือเปิดลิงก์ไม่ได้) "
                       "จึงยังไม่ให้คะแนน ไม่ใช่ว่าไม่มี: เก็บข้อมูลใหม่แล้วตรวจอีกครั้ง",
        "satisfied": "พบหลักฐานขององค์ประกอบนี้",
        "missing": "ยังไม่พบ หรือพบแต่ไม่ครบตามเกณฑ์: ดูเหตุผลและวิธีแก้ไข",
        "S": "เกณฑ์มาจากเอกสารอ้างอิงโดยตรง (คู่มือ ITA ของ ป.ป.ช. หรือผลวิเคราะห์ ITA ของเขต)",
        "I": "เกณฑ์อนุมานจากแนวปฏิบัติ เพราะเอกสารอ้างอิงไม่ได้ระบุชัด ควรให้คณะทำงานตรวจทาน",
    }
    rows = [("สถานะของรายการ", th, meaning[key], en) for key, (th, en) in STATUS_LABELS.items()]
    rows += [("สถานะขององค์ประกอบ", th, meaning.get(key, "ต้องให้เจ้าหน้าที่ตรวจด้วยตา"), en)
             for key, (th, en) in ELEMENT_STATUS_LABELS.items()]
    rows += [("ฐานของเกณฑ์ (S/I)", f"{code} — {th}", meaning[code], en) for code, (th, en) in BASIS_LABELS.items()]
    rows += [("เหตุผลที่ไม่ผ่าน", th, "", en) for th, en in REASONS.values()]
    rows += [("ข้อผิดพลาดการเก็บข้อมูล", th, en, kind.value) for kind, (th, en) in FAILURE_LABELS.items()]
    rows.append(("คอลัมน์ที่คณะทำงานกรอก", ", ".join(FOLLOW_UP_COLUMNS),
                 "ในแผ่นงาน ต้องแก้ไข: กรอกผลหลังตรวจสอบ (ผ่าน / ได้บางส่วน / ไม่ผ่าน / ต้องตรวจสอบ) ผู้ตรวจสอบ "
                 "และวันที่ตรวจ แล้วใช้คำสั่ง oit overrides import report.xlsx สร้างไฟล์ overrides "
                 "ให้รายงานรอบถัดไปแสดงผลที่ปรับ", "Follow-up columns read by `oit overrides import`"))
    return [dict(zip(LEGEND_COLUMNS, row)) for row in rows]


def plan_rows(report: Report) -> list[dict[str, Any]]:
    """แผนแก้ไข: one row per thing to publish, fixes in the plan's order; points on a fix's first row."""
    rows = []
    for fix in (report.get("plan") or {}).get("fixes") or []:
        after = fix.get("after") or {}
        elements = fix.get("elements") or [{"publish_th": fix.get("fix_th") or "", "format_th": "", "year_th": ""}]
        for n, el in enumerate(elements):
            first = n == 0
            rows.append(dict(zip(PLAN_COLUMNS, (
                fix.get("rank"), fix.get("item", ""), fix.get("title_th") or "", fix.get("unit_th") or "",
                el.get("publish_th") or "", el.get("format_th") or "", el.get("year_th") or "",
                el.get("reason_th") or "", fix.get("points") if first else None,
                after.get("oit_score") if first else None, after.get("ita_total") if first else None,
                (after.get("level_th") or "") if first else "", ""))))
            rows[-1]["_status"] = fix.get("status")
    return rows


def override_rows(report: Report) -> list[dict[str, Any]]:
    rows = []
    for item in report.get("items", []):
        record = item.get("override")
        if not record:
            continue
        rows.append(dict(zip(OVERRIDE_COLUMNS, (
            item.get("id", ""), item.get("title_th", ""),
            status_label(record["status"]) if record.get("status") else "ไม่เปลี่ยนผล (กำหนด URL)",
            record.get("score"), status_label(record.get("audit_status") or ""), record.get("audit_score"),
            record.get("who", ""), thai_date(record.get("date")), record.get("note") or "", record.get("url") or ""))))
    return rows


def crawl_rows(report: Report) -> list[dict[str, Any]]:
    rows = []
    for failure in (report.get("crawl") or {}).get("failures") or []:
        kind = failure.get("kind", "")
        label = f"{failure_label(kind)} ({kind})" if failure_label(kind) else kind
        rows.append(dict(zip(CRAWL_COLUMNS, (failure.get("url", ""), label, failure.get("status"),
                                             failure.get("message") or "", failure.get("referer") or ""))))
    return rows


# --------------------------------------------------------------------------------------------------
# Workbook


class _Sheet:
    """Writes one DataFrame as a formatted table: Thai header, widths, frozen header, filter, links."""

    def __init__(self, writer: pd.ExcelWriter, formats: dict[str, Any]):
        self.writer = writer
        self.formats = formats

    def write(self, name: str, rows: list[dict[str, Any]], columns: tuple[str, ...], *,
              status_column: str | None = None, autofilter: bool = True) -> Any:
        frame = pd.DataFrame(rows, columns=list(columns))
        frame.to_excel(self.writer, sheet_name=name, index=False)
        sheet = self.writer.sheets[name]
        fmt = self.formats
        for col, header in enumerate(columns):
            sheet.write_string(0, col, header, fmt["header"])
            cell_fmt = fmt["wrap"] if header in WRAP else fmt["number"] if header in NUMBER else None
            sheet.set_column(col, col, WIDTHS.get(header, 16), cell_fmt)
        sheet.set_row(0, 30)
        sheet.freeze_panes(1, 0)
        if autofilter:
            sheet.autofilter(0, 0, max(len(frame), 1), len(columns) - 1)
        for col, header in enumerate(columns):
            if header in URL_COLUMNS:
                for r, value in enumerate(frame[header].tolist(), start=1):
                    self.url(sheet, r, col, value, fmt)
            elif header not in NUMBER:
                # pandas wrote these already; rewrite long text within Excel's cell limit.
                for r, value in enumerate(frame[header].tolist(), start=1):
                    if isinstance(value, str) and len(value) > EXCEL_MAX_CELL:
                        sheet.write_string(r, col, value[:EXCEL_MAX_CELL - 1] + "…", fmt.get("wrap"))
        if status_column:
            col = columns.index(status_column)
            for r, row in enumerate(rows, start=1):
                status = row.get("_status")
                if status in STATUS_COLOURS:
                    sheet.write_string(r, col, row[status_column], fmt[f"st-{status}"])
        return sheet

    @staticmethod
    def url(sheet: Any, row: int, col: int, value: Any, formats: dict[str, Any]) -> None:
        """A hyperlink for an http(s) URL within Excel's limits, else the URL as plain text."""
        text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        if not text:
            return
        href = safe_url(text)
        fits = href is not None and all(_utf16_len(part) <= EXCEL_MAX_URL for part in href.split("#", 1))
        if fits and sheet.hlink_count < EXCEL_MAX_URLS:
            # Shown decoded and whole (a copied cell gives its shown text); the link is the exact URL.
            if sheet.write_url(row, col, href, formats["link"], string=readable_url(text)[:EXCEL_MAX_CELL]) == 0:
                return
        sheet.write_string(row, col, text[:EXCEL_MAX_CELL], formats["text"])


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _formats(book: Any) -> dict[str, Any]:
    base = {"font_name": "Tahoma", "font_size": 10, "valign": "top"}
    formats = {
        "header": book.add_format({**base, "bold": True, "bg_color": "#16325C", "font_color": "#FFFFFF",
                                   "text_wrap": True, "valign": "vcenter", "border": 1, "border_color": "#0E2240"}),
        "wrap": book.add_format({**base, "text_wrap": True}),
        "number": book.add_format({**base, "num_format": "0.00"}),
        "text": book.add_format(base),
        "link": book.add_format({**base, "font_color": "#1F4E8C", "underline": 1}),
        "bold": book.add_format({**base, "bold": True}),
        "sub": book.add_format({**base, "indent": 2}),
        "big": book.add_format({**base, "bold": True, "font_size": 14, "num_format": "0.00",
                                "font_color": "#16325C", "align": "left"}),
        "value": book.add_format({**base, "num_format": "0.00", "align": "left", "text_wrap": True}),
    }
    for status, (font, fill) in STATUS_COLOURS.items():
        formats[f"st-{status}"] = book.add_format({**base, "bold": True, "font_color": font, "bg_color": fill})
    return formats


def _style_summary(sheet: Any, rows: list[dict[str, Any]], formats: dict[str, Any]) -> None:
    """Headline scores large, sub-indicators indented, the site URL a link."""
    for r, row in enumerate(rows, start=1):
        style, topic, value = row["_style"], row["หัวข้อ"], row["ค่า"]
        sheet.write_string(r, 0, topic, formats["sub" if style == "sub" else "bold"])
        if style and isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(r, 1, value, formats["big" if style == "big" else "value"])
        elif topic == "เว็บไซต์":
            _Sheet.url(sheet, r, 1, value, formats)


@register
class XlsxReportWriter(ReportWriter):
    format = "xlsx"
    filename = "report.xlsx"

    def write(self, report: Report, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        # Site text such as "=HYPERLINK(...)" or "+66 2 ..." must stay text.
        options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
            book = writer.book
            book.set_properties({"title": f"ผลคาดการณ์ OIT {site_name(report)}", "author": "oit-crawler"})
            formats = _formats(book)
            sheets = _Sheet(writer, formats)

            rows = summary_rows(report)
            summary = sheets.write(SHEET_NAMES["summary"], rows, SUMMARY_COLUMNS, autofilter=False)
            _style_summary(summary, rows, formats)

            items = [dict(row, _status=item.get("status")) for row, item in
                     zip(item_rows(report), report.get("items", []))]
            item_columns = ITEM_COLUMNS
            if report.get("overrides"):     # overridden items say so on their own row
                item_columns = ITEM_COLUMNS + (OVERRIDE_COLUMN,)
                for row, item in zip(items, report.get("items", [])):
                    row[OVERRIDE_COLUMN] = (item.get("override") or {}).get("label_th", "")
            sheets.write(SHEET_NAMES["items"], items, item_columns, status_column="สถานะ")
            if report.get("plan"):
                sheets.write(SHEET_NAMES["plan"], plan_rows(report), PLAN_COLUMNS)
            if report.get("overrides"):
                sheets.write(SHEET_NAMES["overrides"], override_rows(report), OVERRIDE_COLUMNS)
            sheets.write(SHEET_NAMES["evidence"], evidence_rows(report), EVIDENCE_COLUMNS)
            missing = [dict(row, _status=next((i.get("status") for i in report.get("items", [])
                                               if i.get("id") == row["รหัส"]), None))
                       for row in missing_rows(report)]
            sheets.write(SHEET_NAMES["missing"], missing, MISSING_COLUMNS, status_column="สถานะ")
            sheets.write(SHEET_NAMES["crawl"], crawl_rows(report), CRAWL_COLUMNS)
            sheets.write(SHEET_NAMES["legend"], legend_rows(report), LEGEND_COLUMNS, autofilter=False)
        return path
