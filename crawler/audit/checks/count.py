"""min_count: at least this many pieces of evidence pass (O4: three news posts)."""
from __future__ import annotations

from crawler.audit.checks.base import Check, Reason

CHECK = Check(
    key="min_count", doc="enough pieces of evidence pass",
    reasons={"too_few": Reason("จำนวนไม่ถึงเกณฑ์ขั้นต่ำ", "Fewer than the rubric requires",
                               "เผยแพร่เพิ่มให้ถึงจำนวนขั้นต่ำที่เกณฑ์กำหนด")})


def judge(passed: int, min_count: int) -> str | None:
    if passed < min_count:
        return f"พบ {passed} รายการ (ต้องอย่างน้อย {min_count})"
    return None
