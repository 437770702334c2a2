"""One writer per output format behind one small interface, and the vocabulary they share.

A writer turns an audit's `report.json` (validated against `reports/schema.json`) into one file the
district's ITA working group can open: `report.html`, `report.xlsx`, `items.csv`, `report.md`. Adding a
format is one new module with a `@register`ed `ReportWriter` subclass, plus its import at the bottom.

The Thai labels every format shows (status, basis, element status, where a phrase matched) and the
order in which items needing work are listed live here once, so the HTML page, the workbook, the CSV and
the memo say the same thing in the same words.
"""
from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar, Iterable

from crawler.text.dates import MONTHS, bangkok_datetime_th

Report = dict[str, Any]

# --------------------------------------------------------------------------------------------------
# The interface


class ReportWriter(ABC):
    """Writes one format of the report into a directory."""

    format: ClassVar[str]      # "html" | "xlsx" | "csv" | "md"
    filename: ClassVar[str]    # file name inside out_dir, e.g. "report.html"

    @abstractmethod
    def write(self, report: Report, out_dir: Path) -> Path:
        """Write `out_dir / self.filename` from an already validated report and return its path."""


WRITERS: dict[str, ReportWriter] = {}


def register(cls: type[ReportWriter]) -> type[ReportWriter]:
    """Class decorator: make a writer available under its `format`."""
    WRITERS[cls.format] = cls()
    return cls


def write_reports(report: Report, out_dir: str | Path, formats: Iterable[str] | None = None) -> list[Path]:
    """Validate `report`, then write each requested format (all registered ones by default)."""
    from reports.validate import validate_report

    validate_report(report)
    wanted = list(formats) if formats is not None else list(FORMAT_ORDER)
    unknown = [f for f in wanted if f not in WRITERS]
    if unknown:
        raise ValueError(f"unknown report format(s) {unknown}; known: {sorted(WRITERS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [WRITERS[f].write(report, out) for f in wanted]


# --------------------------------------------------------------------------------------------------
# Shared vocabulary: (Thai, English)

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "pass": ("ผ่าน", "Pass"),
    "partial": ("ได้บางส่วน", "Partial"),
    "fail": ("ไม่ผ่าน", "Fail"),
    "unreachable": ("เข้าถึงไม่ได้", "Unreachable"),
    "review": ("ต้องตรวจสอบ", "Needs review"),
}
# A mark beside the colour, so a status never depends on colour alone (print, colour blindness).
STATUS_MARKS = {"pass": "✓", "partial": "◐", "fail": "✗", "unreachable": "?", "review": "!"}

ELEMENT_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "satisfied": ("พบหลักฐาน", "Found"),
    "missing": ("ไม่พบ / ไม่ครบ", "Missing"),
    "review": ("ต้องตรวจสอบ", "Needs review"),
}

BASIS_LABELS: dict[str, tuple[str, str]] = {
    "S": ("มีแหล่งอ้างอิง", "Sourced"),
    "I": ("อนุมาน", "Inferred"),
}

MATCHED_IN_LABELS: dict[str, str] = {
    "title": "ชื่อเอกสาร",
    "link_text": "ข้อความลิงก์",
    "context": "ข้อความรอบลิงก์",
    "filename": "ชื่อไฟล์",
    "text": "เนื้อหาเอกสาร",
    "url": "ที่อยู่ URL",
    "rows": "รายการในหน้า",
}

FAILURE_KINDS: dict[str, str] = {
    "http_404": "ไม่พบหน้า", "http_4xx": "คำขอถูกปฏิเสธ", "http_5xx": "เซิร์ฟเวอร์ขัดข้อง",
    "timeout": "หมดเวลารอ", "dns": "ไม่พบชื่อโดเมน", "tls": "ใบรับรองความปลอดภัยมีปัญหา",
    "connection": "เชื่อมต่อไม่ได้", "too_large": "ไฟล์ใหญ่เกินกำหนด", "robots": "robots.txt ไม่อนุญาต",
}

SUB_INDICATORS = ("9.1", "9.2", "9.3", "9.4", "9.5", "10.1", "10.2")
FORMAT_ORDER = ("html", "xlsx", "csv", "md")

# Month names come from the one Thai month table (crawler.text.dates.MONTHS).
THAI_MONTHS = tuple(m.thai[0] for m in MONTHS)
THAI_MONTHS_SHORT = tuple(m.abbreviation for m in MONTHS)


def status_label(status: str) -> str:
    """'ไม่ผ่าน (Fail)'."""
    th, en = STATUS_LABELS.get(status, (status, status))
    return f"{th} ({en})"


def basis_label(basis: str | None) -> str:
    """'S — มีแหล่งอ้างอิง'."""
    if not basis:
        return ""
    th, _ = BASIS_LABELS.get(basis, (basis, basis))
    return f"{basis} — {th}"


def element_status(element: dict) -> str:
    status = element.get("status")
    if status in ELEMENT_STATUS_LABELS:
        return status
    return "satisfied" if element.get("satisfied") else "missing"


# --------------------------------------------------------------------------------------------------
# Shared formatting

def fmt_num(value: Any, digits: int = 2) -> str:
    """Scores as the ITA documents print them: two decimals; '—' when there is no number."""
    if value is None or isinstance(value, bool):
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "—"
    return f"{number:,.{digits}f}"


def thai_date(iso: str | None, short: bool = False) -> str:
    """'2024-06-30' -> '30 มิถุนายน 2567' (Buddhist Era); anything else is returned as given."""
    if not iso:
        return ""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", str(iso))
    if not m:
        return str(iso)
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return str(iso)
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    return f"{day} {months[month - 1]} {year + 543}"


def thai_datetime(iso: str | None) -> str:
    """'2026-12-04T06:54:00+00:00' -> '4 ธ.ค. 2569 13:54': Bangkok time, Buddhist Era (ISO stays in JSON)."""
    return bangkok_datetime_th(iso)


_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
_HTTP_URL = re.compile(r"^https?://[^/\s\x00-\x1f\x7f][^\s\x00-\x1f\x7f]*$", re.IGNORECASE)


def safe_url(url: Any) -> str | None:
    """The URL if a browser would treat it as an http(s) link, else None (render it as text).

    Browsers strip leading/trailing C0 controls and spaces and drop tabs/newlines inside a URL
    ("java\\tscript:" is javascript:), so the check runs on that cleaned form and returns it, with
    inner spaces (common in Thai file names) percent-encoded.
    """
    if not isinstance(url, str):
        return None
    cleaned = url.strip(_C0_OR_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    cleaned = cleaned.replace(" ", "%20")
    if not _HTTP_URL.match(cleaned):
        return None
    return cleaned


def is_published(report: Report) -> bool:
    """False only when the audit withheld the score (unhealthy crawl); older reports lack the flag."""
    return report.get("published", True) is not False


def site_name(report: Report) -> str:
    site = report.get("site") or {}
    if site.get("name"):
        return str(site["name"])
    host = re.sub(r"^https?://", "", str(site.get("url", "")), flags=re.IGNORECASE)
    return host.split("/")[0] or "เว็บไซต์ที่ตรวจ"


def points_earned(item: dict) -> float | None:
    points, lost = item.get("points"), item.get("points_lost")
    if points is None or lost is None:
        return None
    return float(points) - float(lost)


# --------------------------------------------------------------------------------------------------
# What needs work, in the order every format lists it

FIX_GROUPS = (("fail", "partial"), ("review",), ("unreachable",))


def items_to_fix(report: Report) -> list[dict]:
    """Failed and partial items first (in item order), then review items, then unreachable ones."""
    items = report.get("items", [])
    ordered: list[dict] = []
    for group in FIX_GROUPS:
        ordered.extend(i for i in items if i.get("status") in group)
    return ordered


def open_elements(item: dict) -> list[dict]:
    """The elements of an item that still need something (missing or to be checked by a person)."""
    return [e for e in item.get("elements", []) if element_status(e) != "satisfied"]


def item_fix_text(item: dict) -> str:
    """The item's fix, or its open elements' fixes when the item has none of its own."""
    if item.get("fix_th"):
        return str(item["fix_th"])
    fixes = [str(e["fix_th"]) for e in open_elements(item) if e.get("fix_th")]
    return " / ".join(dict.fromkeys(fixes))


def fix_entries(item: dict) -> list[tuple[str, str, str]]:
    """(element label, reason, fix) for each thing still to do on an item, in element order.

    Elements carry their own reason and fix; when none of them has a fix, the item's own fix is added
    (and the item's reason too when there are no open elements to give one).
    """
    entries = [(str(el.get("label_th") or el.get("id") or ""), str(el.get("reason_th") or el.get("reason") or ""),
                str(el.get("fix_th") or "")) for el in open_elements(item)]
    if not any(fix for _, _, fix in entries):
        reason = "" if entries else str(item.get("reason_th") or "")
        fix = str(item.get("fix_th") or "")
        if reason or fix:
            entries.append(("", reason, fix))
    return entries


def item_reason_text(item: dict) -> str:
    if item.get("reason_th"):
        return str(item["reason_th"])
    reasons = [str(e.get("reason_th") or e.get("reason")) for e in open_elements(item)
               if e.get("reason_th") or e.get("reason")]
    return " / ".join(dict.fromkeys(reasons))


def iter_evidence(report: Report, include_candidates: bool = True) -> Iterable[tuple[dict, dict, dict, str]]:
    """(item, element, evidence, kind) for every evidence entry; kind is 'evidence' or 'candidate'."""
    for item in report.get("items", []):
        for element in item.get("elements", []):
            for ev in element.get("evidence") or []:
                yield item, element, ev, "evidence"
            if include_candidates:
                for ev in element.get("candidates") or []:
                    yield item, element, ev, "candidate"


# Column headers shared by the workbook's Items sheet and items.csv.
ITEM_COLUMNS = ("รหัส", "ตัวชี้วัดย่อย", "ชื่อรายการ", "ชื่อรายการ (อังกฤษ)", "สถานะ", "คะแนน",
                "คะแนนเต็มของข้อ", "คะแนนที่ได้", "คะแนนที่เสีย", "ฐานของเกณฑ์", "เหตุผล", "วิธีแก้ไข",
                "หน่วยงานรับผิดชอบ", "จำนวนหลักฐาน", "URL")


def item_rows(report: Report) -> list[dict[str, Any]]:
    """One row per item, keyed by ITEM_COLUMNS; numbers stay numbers."""
    rows = []
    for item in report.get("items", []):
        evidence = [ev for e in item.get("elements", []) for ev in (e.get("evidence") or [])]
        first_url = next((ev.get("url") for ev in evidence if ev.get("url")), "")
        rows.append({
            "รหัส": item.get("id", ""),
            "ตัวชี้วัดย่อย": item.get("sub_indicator", ""),
            "ชื่อรายการ": item.get("title_th", ""),
            "ชื่อรายการ (อังกฤษ)": item.get("title_en", ""),
            "สถานะ": status_label(item.get("status", "")),
            "คะแนน": item.get("score"),
            "คะแนนเต็มของข้อ": item.get("points"),
            "คะแนนที่ได้": points_earned(item),
            "คะแนนที่เสีย": item.get("points_lost"),
            "ฐานของเกณฑ์": basis_label(item.get("basis")),
            "เหตุผล": "" if item.get("status") == "pass" else item_reason_text(item),
            "วิธีแก้ไข": "" if item.get("status") == "pass" else item_fix_text(item),
            "หน่วยงานรับผิดชอบ": item.get("unit_th", ""),
            "จำนวนหลักฐาน": len(evidence),
            "URL": first_url,
        })
    return rows


# Importing the built-in writers registers them (each module imports ReportWriter from here, so these
# imports come last).
import reports.csv  # noqa: E402,F401
import reports.html  # noqa: E402,F401
import reports.markdown  # noqa: E402,F401
import reports.pdf  # noqa: E402,F401
import reports.xlsx  # noqa: E402,F401
