"""Stage 2: there is text to judge. A scan without OCR is not "absent": a person must look."""
from __future__ import annotations

from crawler.audit.checks.base import Check, Reason
from crawler.evidence.model import Resource

UNREADABLE_LAYERS = frozenset({"scan", "garbage", "empty"})

CHECK = Check(
    key="(always)", doc="the evidence has readable text (or was OCR'd)",
    reasons={"review_scan_unread": Reason("เอกสารเป็นภาพสแกนที่อ่านข้อความไม่ได้ ต้องตรวจด้วยตา",
                                          "A scan without readable text: check by eye",
                                          "เผยแพร่ไฟล์ที่มีข้อความ (ไม่ใช่ภาพสแกนอย่างเดียว)")})


def readable(resource: Resource) -> bool:
    """False for a scan or image without OCR, or a garbage text layer: its text cannot be judged."""
    if resource.ocr is not None:
        return True
    if resource.text_layer in UNREADABLE_LAYERS:
        return False
    return not (resource.format == "image" and not resource.text.strip())
