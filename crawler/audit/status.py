"""The verdicts an audit gives, and the one table of their labels (Thai, English) every output uses.

An item is pass / partial / fail / review / unreachable / not_checked (docs/rubric.md: review is a
person's call, unreachable means the site could not be read, not_checked that its evidence may lie where
the crawl did not reach); an element of an item is satisfied / missing / review.
They are str enums, so report.json and the stored audits keep plain strings.
"""
from __future__ import annotations

from enum import StrEnum


class ItemStatus(StrEnum):
    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"
    UNREACHABLE = "unreachable"
    REVIEW = "review"
    NOT_CHECKED = "not_checked"      # its evidence may lie where the crawl did not reach: no score


class ElementStatus(StrEnum):
    SATISFIED = "satisfied"
    MISSING = "missing"
    REVIEW = "review"


STATUS_LABELS: dict[ItemStatus, tuple[str, str]] = {
    ItemStatus.PASS: ("ผ่าน", "Pass"),
    ItemStatus.PARTIAL: ("ได้บางส่วน", "Partial"),
    ItemStatus.FAIL: ("ไม่ผ่าน", "Fail"),
    ItemStatus.UNREACHABLE: ("เข้าถึงไม่ได้", "Unreachable"),
    ItemStatus.REVIEW: ("ต้องตรวจสอบ", "Needs review"),
    ItemStatus.NOT_CHECKED: ("ยังไม่ได้ตรวจ", "Not checked"),
}
# A mark beside the colour, so a status never depends on colour alone (print, colour blindness).
STATUS_MARKS: dict[ItemStatus, str] = {ItemStatus.PASS: "✓", ItemStatus.PARTIAL: "◐", ItemStatus.FAIL: "✗",
                                       ItemStatus.UNREACHABLE: "?", ItemStatus.REVIEW: "!",
                                       ItemStatus.NOT_CHECKED: "–"}

ELEMENT_STATUS_LABELS: dict[ElementStatus, tuple[str, str]] = {
    ElementStatus.SATISFIED: ("พบหลักฐาน", "Found"),
    ElementStatus.MISSING: ("ไม่พบ / ไม่ครบ", "Missing"),
    ElementStatus.REVIEW: ("ต้องตรวจสอบ", "Needs review"),
}

# The window each checklist time rule (crawler.audit.checklist.TIME_RULES) asks for, as `oit inspect` names it ({fy}: the fiscal year judged; {recent_days}: the checklist's setting).
TIME_RULE_LABELS: dict[str, str] = {
    "current": "ปีงบประมาณ {fy}", "previous": "ปีงบประมาณ {fy_prev}",
    "current_or_previous": "ปีงบประมาณ {fy} หรือ {fy_prev}", "half_year": "รอบ 6 เดือน ต.ค. {fy_prev} – มี.ค. {fy}",
    "monthly": "รายเดือน ปีงบประมาณ {fy}", "recent": "ภายใน {recent_days} วันก่อนวันที่ตรวจ",
    "live": "ลิงก์ใช้งานได้", "none": "ไม่กำหนดปี",
}


def status_th(status: str) -> str:
    """'ไม่ผ่าน' for 'fail'; an unknown status as given."""
    return STATUS_LABELS.get(status, (status, status))[0]


def status_label(status: str) -> str:
    """'ไม่ผ่าน (Fail)'."""
    th, en = STATUS_LABELS.get(status, (status, status))
    return f"{th} ({en})"


def element_status(element: dict) -> ElementStatus:
    """An element's status in report.json (older reports carry only `satisfied`)."""
    status = element.get("status")
    if status in ELEMENT_STATUS_LABELS:
        return ElementStatus(status)
    return ElementStatus.SATISFIED if element.get("satisfied") else ElementStatus.MISSING

