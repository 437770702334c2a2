"""live / time: live — the service answers, and a page listing services lists at least one that does."""
from __future__ import annotations

from crawler.audit.checks.base import Check, Reason

CHECK = Check(
    key="live", doc="the evidence (and one service it lists) answers 2xx/3xx",
    reasons={"dead_link": Reason("ลิงก์ใช้งานไม่ได้", "The link does not work",
                                 "แก้ลิงก์บริการให้เปิดใช้งานได้")})


def judge(listed: int, alive: int) -> str | None:
    if listed and not alive:
        return f"ลิงก์บริการ {listed} รายการบนหน้านี้ใช้งานไม่ได้"
    return None
