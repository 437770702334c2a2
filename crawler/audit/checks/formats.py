"""formats / formats_all: the evidence is in an accepted file-format family (settings.format_families)."""
from __future__ import annotations

from crawler.audit.checklist import Element, Settings
from crawler.audit.checks.base import Check, Reason
from crawler.evidence.model import Resource

CHECK = Check(
    key="formats", doc="file-format family accepted (formats: any one; formats_all: every one)",
    reasons={"wrong_format": Reason("รูปแบบไฟล์ไม่ครบตามเกณฑ์", "Not published in the required file format(s)",
                                    "เผยแพร่ไฟล์ในรูปแบบที่เกณฑ์กำหนด (เช่น PDF และ Excel หรือ Word)")},
    settings=("format_families",))

# How the working group names the families.
FAMILY_NAMES = {"pdf": "PDF", "office": "Excel/Word", "html": "หน้าเว็บ", "image": "รูปภาพ"}


def format_family(resource: Resource, settings: Settings) -> str:
    fmt = (resource.format or "").lower()
    family = settings.family_of(fmt)
    if family is not None:
        return family
    if not fmt and "html" in (resource.content_type or ""):
        return "html"
    return fmt or "other"


def judge(family: str, element: Element) -> str | None:
    """None when the family is accepted, else the detail of wrong_format."""
    accepted = element.formats or frozenset(element.formats_all)
    if accepted and family not in accepted:
        return f"(ต้องเป็น {'/'.join(sorted(accepted))})"
    return None
