"""phrases / exclude_phrases / where: the evidence is identified as the element's document."""
from __future__ import annotations

from crawler.audit.checks.base import Check, Reason

CHECK = Check(
    key="phrases", doc="an identifying text (title, heading lines, link text or row, file name) names the element",
    reasons={
        "not_found": Reason("ไม่พบข้อมูลหรือเอกสารที่ตรงตามเกณฑ์", "No matching information or document found",
                            "เผยแพร่เอกสารโดยตั้งชื่อเอกสาร/ข้อความลิงก์ให้ระบุชื่อเรื่องตามเกณฑ์"),
        "only_in_navigation": Reason("พบเพียงชื่อในเมนูของเว็บไซต์ ไม่พบเนื้อหาจริง",
                                     "Only a site-wide menu entry names it; no content behind it",
                                     "ใส่เนื้อหาหรือไฟล์จริงในหน้าที่เมนูชี้ไป"),
    })
