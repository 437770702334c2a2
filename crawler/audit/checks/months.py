"""min_months / monthly coverage: the evidence covers the months the rubric asks for."""
from __future__ import annotations

from crawler.audit.checks.base import Check, Reason

CHECK = Check(
    key="min_months", doc="the evidence covers enough months; for time: monthly, every due month",
    reasons={"missing_month": Reason("ข้อมูลรายเดือนไม่ครบทุกเดือน", "Some required months are missing",
                                     "เผยแพร่ให้ครบทุกเดือนที่ครบกำหนดแล้ว")},
    settings=("month_grace_days",))


def judge(months: set, min_months: int) -> str | None:
    if len(months) < min_months:
        return f"ครอบคลุม {len(months)} เดือน (ต้องอย่างน้อย {min_months})"
    return None
