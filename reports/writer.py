"""One writer per output format behind one small interface, and the vocabulary they share.

A writer turns an audit's `report.json` (validated against `reports/schema.json`) into one file the
district's ITA working group can open: `report.html`, `report.xlsx`, `items.csv`, `report.md`. Adding a
format is one new module with a `@register`ed `ReportWriter` subclass, plus its import at the bottom.

The labels every format shows come from one place each (statuses: crawler/audit/status.py; failure
kinds: crawler/evidence/failures.py; numbers, dates, links: crawler/text/format.py; basis and where a
phrase matched: here), and the order in which items needing work are listed lives here once, so the
HTML page, the workbook, the CSV and the memo say the same thing in the same words.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar, Iterable

from crawler.audit.status import ElementStatus, ItemStatus, element_status, status_label
from crawler.text.format import fmt_num
from crawler.text.sanitize import clean
from reports.validate import validate_report

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
    validate_report(report)
    report = clean(report)        # site text without terminal escapes or control characters
    wanted = list(formats) if formats is not None else list(FORMAT_ORDER)
    unknown = [f for f in wanted if f not in WRITERS]
    if unknown:
        raise ValueError(f"unknown report format(s) {unknown}; known: {sorted(WRITERS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [WRITERS[f].write(report, out) for f in wanted]


# --------------------------------------------------------------------------------------------------
# Shared vocabulary: (Thai, English). Statuses come from crawler/audit/status.py and failure kinds from
# crawler/evidence/failures.py; what only reports show is here.

BASIS_LABELS: dict[str, tuple[str, str]] = {
    "S": ("มีแหล่งอ้างอิง", "Sourced"),
    "I": ("อนุมาน", "Inferred"),
}

MATCHED_IN_LABELS: dict[str, str] = {
    "title": "ชื่อเอกสาร",
    "heading": "หัวเรื่องของเอกสาร",
    "link_text": "ข้อความลิงก์",
    "context": "ข้อความรอบลิงก์",
    "filename": "ชื่อไฟล์",
    "text": "เนื้อหาเอกสาร",
    "url": "ที่อยู่ URL",
    "rows": "รายการในหน้า",
}

FORMAT_ORDER = ("html", "xlsx", "csv", "md")


def basis_label(basis: str | None) -> str:
    """'S — มีแหล่งอ้างอิง'."""
    if not basis:
        return ""
    th, _ = BASIS_LABELS.get(basis, (basis, basis))
    return f"{basis} — {th}"


def indicator_codes(report: Report) -> list[str]:
    """The report's indicator codes as the rubric lists them: 9, 9.1 … 9.5, 10, 10.1, 10.2 (whatever
    the checklist that made the report defines)."""
    return sorted(report.get("indicators") or {}, key=lambda code: tuple(int(p) for p in code.split(".")))


def is_published(report: Report) -> bool:
    """False only when the audit withheld the score (unhealthy crawl); older reports lack the flag."""
    return report.get("published", True) is not False


def withheld_reasons(report: Report) -> list[str]:
    """Why the score is not published: the crawl was unhealthy, or items were not checked."""
    crawl = report.get("crawl") or {}
    if crawl.get("healthy", True) is False:
        return list(crawl.get("health_reasons") or [])
    return list((report.get("completeness") or {}).get("reasons") or []) or \
        [f"ยังไม่ได้ตรวจ {', '.join(not_checked_items(report))} / not checked"]


def not_checked_items(report: Report) -> list[str]:
    return list(report.get("not_checked_items") or [])


def partial_note(report: Report) -> str | None:
    """The label of a partial audit (published with items not checked), in Thai and English; else None."""
    done = report.get("completeness") or {}
    if not (is_published(report) and done.get("partial")):
        return None
    low, high = fmt_num(done.get("oit_score_min")), fmt_num(done.get("oit_score_max"))
    ids = ", ".join(done.get("not_checked") or [])
    return (f"ผลการตรวจบางส่วน: ยังไม่ได้ตรวจ {ids} คะแนนจริงอยู่ระหว่าง {low} ถึง {high} / "
            f"Partial audit: {ids} not checked; the score lies between {low} and {high}")


def points_earned(item: dict) -> float | None:
    points, lost = item.get("points"), item.get("points_lost")
    if points is None or lost is None:
        return None
    return float(points) - float(lost)


# --------------------------------------------------------------------------------------------------
# What needs work, in the order every format lists it

FIX_GROUPS = ((ItemStatus.FAIL, ItemStatus.PARTIAL), (ItemStatus.REVIEW,), (ItemStatus.UNREACHABLE,))


def items_to_fix(report: Report) -> list[dict]:
    """Failed and partial items first (in item order), then review items, then unreachable ones."""
    items = report.get("items", [])
    ordered: list[dict] = []
    for group in FIX_GROUPS:
        ordered.extend(i for i in items if i.get("status") in group)
    return ordered


def open_elements(item: dict) -> list[dict]:
    """The elements of an item that still need something (missing or to be checked by a person)."""
    return [e for e in item.get("elements", []) if element_status(e) != ElementStatus.SATISFIED]


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
