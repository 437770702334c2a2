"""addressed_to_director: the report is addressed or submitted to the district director (O19, O22)."""
from __future__ import annotations

from crawler.audit.checks.base import Check, Reason

CHECK = Check(
    key="addressed_to_director", doc="the report says เรียน/เสนอ ผู้อำนวยการเขต",
    reasons={"not_addressed": Reason("รายงานไม่ได้เสนอผู้อำนวยการเขต", "The report is not addressed to the district director",
                                     "ทำรายงานเป็นบันทึกเสนอผู้อำนวยการเขต และเผยแพร่ฉบับที่ลงนามแล้ว")},
    settings=("vocabulary.director",))


def judge(addressed: bool) -> str | None:
    return None if addressed else "ไม่พบคำว่า เรียน/เสนอ ผู้อำนวยการเขต"
