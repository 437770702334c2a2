"""How real agency sites word an element: several variants each, so a generated site is not worded by
the checklist it is audited with.

The wordings are kinds seen on public agency sites (../shared/real-phrasing/dev.tsv, issue 12): a word
inserted ("รายงานสรุปผลการดำเนินงานเรื่องร้องเรียน"), one dropped ("แผนใช้จ่ายเงินงบประมาณ"), another head
noun ("ประวัติผู้อำนวยการเขต"). Each site draws one per element from its own seed; drawing does not touch
the builder's random stream, so every other generated figure stays as it was.
"""
from __future__ import annotations

import random

VARIANTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("O1", "executives"): ("ทำเนียบผู้บริหาร", "ข้อมูลผู้บริหาร", "ผู้บริหารสำนักงานเขต", "รายนามผู้บริหาร"),
    ("O1", "contact"): ("ติดต่อเรา", "ข้อมูลการติดต่อ", "ที่ตั้งและช่องทางการติดต่อ", "ติดต่อหน่วยงาน"),
    ("O13", "spending_plan"): ("แผนการใช้จ่ายงบประมาณ", "แผนใช้จ่ายเงินงบประมาณ", "แผนการใช้จ่ายงบประมาณประจำปี"),
    ("O13", "spending_report"): ("รายงานผลการใช้จ่ายงบประมาณ", "ผลการใช้จ่ายเงินงบประมาณ",
                                 "รายงานผลการใช้จ่ายงบประมาณประจำปี"),
    ("O17", "complaint_stats"): ("สถิติเรื่องร้องเรียนการทุจริต", "รายงานสรุปผลการดำเนินงานเรื่องร้องเรียน",
                                 "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
                                 "รายงานผลการดำเนินการเกี่ยวกับเรื่องร้องเรียนการทุจริต"),
    ("O17", "complaint_channel"): ("ช่องทางการร้องเรียนการทุจริต", "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
                                   "ช่องทางแจ้งร้องทุกข์และแจ้งเบาะแสการทุจริต"),
}


def wording(seed: str, item: str, element: str) -> str:
    """One real wording of the element for the site with this seed (same seed, same wording)."""
    return random.Random(f"wording:{seed}:{item}:{element}").choice(VARIANTS[(item, element)])
