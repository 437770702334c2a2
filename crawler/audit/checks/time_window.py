"""time: current | previous | current_or_previous | half_year | monthly | recent — the evidence is for
the period the rubric asks. The year readings themselves live in crawler.audit.primitives."""
from __future__ import annotations

from crawler.audit.checks.base import Check, Reason

CHECK = Check(
    key="time", doc="the evidence is for the required fiscal year, half year, month or recent days",
    reasons={
        "wrong_year": Reason("พบเอกสาร แต่ไม่ใช่ปีหรือช่วงเวลาที่เกณฑ์กำหนด", "Found, but not for the required year or period",
                             "เผยแพร่ฉบับของปีงบประมาณที่เกณฑ์กำหนด และระบุปีงบประมาณในชื่อเอกสาร"),
        "review_low_confidence": Reason("อ่านปีจากเอกสารสแกนได้ไม่แน่ชัด ต้องตรวจด้วยตา",
                                        "The year was read with low confidence (OCR): check by eye",
                                        "ระบุปีงบประมาณในชื่อไฟล์หรือข้อความลิงก์"),
    },
    settings=("recent_days", "month_grace_days", "vocabulary.half_year"))
