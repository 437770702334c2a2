"""Writers of report.json: schema validation, the workbook, the CSV and the Markdown memo.

The report used here is built by `build_report()`: the Samphanthawong ITA 2567 case of the rubric
(O5, O15, O18, O19, O22 fail, O9 = 50, all others pass), with Thai link texts and two hostile values
from a crawled site: a page titled ``<script>alert(1)</script>`` and a ``javascript:`` link.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from reports.validate import ReportError, validate_report
from crawler.text.format import safe_url
from reports.writer import WRITERS, ITEM_COLUMNS, items_to_fix, write_reports

BASE = "https://webportal.bangkok.go.th/samphanthawong"
FILES = BASE + "/public/user_files_editor/34"
SCRIPT_TITLE = "<script>alert(1)</script>"
JS_URL = "javascript:alert(1)"

# --------------------------------------------------------------------------------------------------
# The report builder

SUB_INDICATORS = {
    "9.1": ("ข้อมูลพื้นฐาน", ["O1", "O2", "O3", "O4"], 1.5),
    "9.2": ("การบริหารงาน", ["O5", "O6", "O7", "O8", "O9", "O10", "O11", "O12"], 2),
    "9.3": ("การบริหารเงินงบประมาณ", ["O13", "O14", "O15"], 1.5),
    "9.4": ("การบริหารและพัฒนาทรัพยากรบุคคล", ["O16"], 1.5),
    "9.5": ("การส่งเสริมความโปร่งใส", ["O17"], 2),
    "10.1": ("การดำเนินการเพื่อป้องกันการทุจริต", ["O18", "O19", "O20", "O21"], 2),
    "10.2": ("มาตรการภายในเพื่อป้องกันการทุจริต", ["O22"], 2),
}
INDICATORS = {"9": ("การเปิดเผยข้อมูล", 30), "10": ("การป้องกันการทุจริต", 10)}

# id -> (title_th, title_en, unit_th, basis, [(element id, label_th, basis)])
ITEMS = {
    "O1": ("ข้อมูลพื้นฐานของสำนักงานเขต", "Basic information of the district office", "ฝ่ายปกครอง", "I",
           [("structure", "โครงสร้างหน่วยงาน", "I"), ("executives", "ข้อมูลผู้บริหาร", "I"),
            ("duties", "อำนาจหน้าที่", "I"), ("contact", "ข้อมูลการติดต่อ", "I"),
            ("general", "ข้อมูลประชากรและสภาพทั่วไป", "S")]),
    "O2": ("นโยบายผู้ว่าราชการกรุงเทพมหานครและแผนที่เกี่ยวข้องกับการพัฒนากรุงเทพมหานคร",
           "Governor's policy and BMA development plans", "ฝ่ายปกครอง", "I",
           [("policy", "นโยบายผู้ว่าราชการกรุงเทพมหานคร", "I"), ("plan", "แผนพัฒนากรุงเทพมหานคร", "I")]),
    "O3": ("โรงเรียนสังกัดกรุงเทพมหานคร ในพื้นที่เขต", "BMA schools in the district", "ฝ่ายการศึกษา", "I",
           [("schools", "รายชื่อโรงเรียนสังกัดกรุงเทพมหานคร", "I")]),
    "O4": ("การประชาสัมพันธ์ข้อมูลผลการดำเนินงาน", "Public relations on performance", "ฝ่ายปกครอง", "S",
           [("news", "ข่าวประชาสัมพันธ์ / ข่าวกิจกรรม", "S")]),
    "O5": ("แผนปฏิบัติราชการประจำปี และรายงานผลการปฏิบัติราชการประจำปี",
           "Annual action plan and annual performance report", "ฝ่ายปกครอง", "S",
           [("action_plan", "แผนปฏิบัติราชการประจำปี พ.ศ. 2567", "S"),
            ("annual_report", "รายงานผลการปฏิบัติราชการประจำปี พ.ศ. 2566", "S")]),
    "O6": ("คู่มือการปฏิบัติหน้าที่", "Operating manuals", "ฝ่ายปกครอง", "I",
           [("manual", "คู่มือการปฏิบัติงาน", "I")]),
    "O7": ("คู่มือการให้บริการประชาชน", "Citizen service manuals", "ฝ่ายปกครอง", "I",
           [("service_manual", "คู่มือสำหรับประชาชน", "I")]),
    "O8": ("E-Service", "E-Service", "ฝ่ายปกครอง", "S", [("eservice", "ระบบบริการออนไลน์ (E-Service)", "S")]),
    "O9": ("ข้อมูลสถิติการจัดเก็บภาษี", "Tax collection statistics", "ฝ่ายรายได้", "S",
           [("tax_stats_pdf", "สถิติการจัดเก็บภาษี (PDF)", "S"),
            ("tax_stats_office", "สถิติการจัดเก็บภาษี (Excel หรือ Word)", "S")]),
    "O10": ("ข้อมูลสถิติการจัดเก็บรายได้", "Revenue collection statistics", "ฝ่ายรายได้", "S",
            [("revenue_pdf", "สถิติการจัดเก็บรายได้ รอบ 6 เดือน (PDF)", "S"),
             ("revenue_office", "สถิติการจัดเก็บรายได้ รอบ 6 เดือน (Excel หรือ Word)", "S")]),
    "O11": ("รายการการตรวจ (Checklist) ในการพิจารณาการออกใบอนุญาต", "Licence checklist", "ฝ่ายโยธา", "S",
            [("checklist", "รายการตรวจสอบเอกสารการขอใบอนุญาต", "S")]),
    "O12": ("ระบบติดตาม (Tracking System) สถานะการขอใบอนุญาต", "Licence tracking system", "ฝ่ายโยธา", "S",
            [("tracking", "ระบบติดตามสถานะการขอใบอนุญาต", "S")]),
    "O13": ("แผนการใช้จ่ายงบประมาณประจำปีและรายงานผลการใช้จ่ายงบประมาณประจำปี",
            "Spending plan and spending report", "ฝ่ายการคลัง", "I",
            [("spending_plan", "แผนการใช้จ่ายงบประมาณ", "I"),
             ("spending_report", "รายงานผลการใช้จ่ายงบประมาณ", "I")]),
    "O14": ("ข้อมูลงบประมาณ ข้อบัญญัติงบประมาณ ข้อมูลเงินอุดหนุนชุมชน",
            "Budget, budget ordinance, community subsidies", "ฝ่ายการคลัง ฝ่ายพัฒนาชุมชนฯ", "S",
            [("budget", "ข้อมูลงบประมาณที่ได้รับจัดสรร", "S"), ("ordinance", "ข้อบัญญัติงบประมาณรายจ่าย", "S"),
             ("subsidy", "ข้อมูลเงินอุดหนุนชุมชน", "S")]),
    "O15": ("ประกาศต่างๆ เกี่ยวกับการจัดซื้อจัดจ้าง และ สรุปผลการจัดซื้อจัดจ้างรายเดือน",
            "Procurement announcements and monthly summaries", "ฝ่ายปกครอง", "S",
            [("announcements", "ประกาศการจัดซื้อจัดจ้าง", "S"),
             ("monthly", "สรุปผลการจัดซื้อจัดจ้างรายเดือน (แบบ สขร.1)", "S")]),
    "O16": ("หลักเกณฑ์การบริหาร และพัฒนาทรัพยากรบุคคล", "HR management criteria", "ฝ่ายปกครอง", "I",
            [("hr", "หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล", "I")]),
    "O17": ("ช่องทางการร้องเรียนการทุจริตและข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตประจำปี",
            "Corruption complaint channel and statistics", "ฝ่ายปกครอง", "I",
            [("channel", "ช่องทางการร้องเรียนการทุจริต", "I"), ("stats", "สถิติเรื่องร้องเรียนการทุจริต", "I")]),
    "O18": ("ประกาศนโยบายต่อต้านการรับสินบน (Anti-Bribery Policy) และการรายงานผลสู่การปฏิบัติ",
            "Anti-bribery policy and implementation report", "ฝ่ายปกครอง", "S",
            [("policy_th", "ประกาศนโยบายต่อต้านการรับสินบน", "S"),
             ("policy_en", "Anti-Bribery Policy (ฉบับภาษาอังกฤษ)", "S"),
             ("policy_report", "รายงานผลการดำเนินการตามนโยบาย", "S")]),
    "O19": ("การประเมินความเสี่ยงต่อการรับสินบนและการรายงานผลการดำเนินการเพื่อจัดการความเสี่ยงต่อการรับสินบน",
            "Bribery risk assessment and risk-management report", "ฝ่ายปกครอง", "S",
            [("risk_assessment", "การประเมินความเสี่ยงต่อการรับสินบน", "S"),
             ("risk_report", "รายงานผลการจัดการความเสี่ยง เสนอผู้อำนวยการเขต", "S")]),
    "O20": ("แนวทางการปฏิบัติในการใช้ดุลยพินิจของเจ้าหน้าที่", "Discretion guideline", "ฝ่ายปกครอง", "I",
            [("discretion", "แนวทางการปฏิบัติในการใช้ดุลยพินิจ", "I")]),
    "O21": ("การจัดการทรัพย์สินของราชการ ของบริจาคและการจัดเก็บของกลาง",
            "State property, donations and seized goods", "ฝ่ายปกครอง", "I",
            [("property", "การใช้ทรัพย์สินของทางราชการ", "I"), ("donations", "ของบริจาค", "I"),
             ("seized", "การจัดเก็บของกลาง", "I")]),
    "O22": ("มาตรการในการยกระดับคุณธรรมและความโปร่งใส และการรายงานผลการดำเนินงาน",
            "Integrity measures and implementation report", "ฝ่ายปกครอง", "S",
            [("measures", "มาตรการส่งเสริมคุณธรรมและความโปร่งใส", "S"),
             ("measures_report", "รายงานผลการดำเนินการตามมาตรการ เสนอผู้อำนวยการเขต", "S")]),
}

# (item, element) -> (reason code, reason_th, fix_th): the elements the Samphanthawong 2567 site lacked.
GAPS = {
    ("O5", "annual_report"): (
        "not_found", "ไม่พบรายงานผลการปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2566",
        "เผยแพร่รายงานผลการปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2566 เป็นไฟล์ PDF ในหน้า ITA"),
    ("O9", "tax_stats_office"): (
        "wrong_format", "พบเฉพาะไฟล์ PDF ไม่พบไฟล์ Excel หรือ Word",
        "เผยแพร่สถิติการจัดเก็บภาษี ปีงบประมาณ พ.ศ. 2567 เป็นไฟล์ Excel หรือ Word เพิ่มจากไฟล์ PDF"),
    ("O15", "monthly"): (
        "blank_columns", "สรุปผลการจัดซื้อจัดจ้างเดือนมกราคม 2567 มีช่องว่างที่ไม่ได้กรอก",
        "กรอกข้อมูลแบบ สขร.1 ให้ครบทุกช่อง ทุกเดือนตั้งแต่ ต.ค. 2566 แล้วเผยแพร่เป็นไฟล์ PDF"),
    ("O18", "policy_en"): (
        "not_found", "ไม่พบประกาศนโยบายต่อต้านการรับสินบนฉบับภาษาอังกฤษ",
        "เผยแพร่ Anti-Bribery Policy ฉบับภาษาอังกฤษ ปีงบประมาณ พ.ศ. 2567"),
    ("O18", "policy_report"): (
        "not_found", "ไม่พบรายงานผลการดำเนินการตามนโยบายต่อต้านการรับสินบน ปี 2567",
        "เผยแพร่รายงานผลการดำเนินการตามนโยบายต่อต้านการรับสินบน ปีงบประมาณ พ.ศ. 2567 (PDF)"),
    ("O19", "risk_report"): (
        "not_addressed", "รายงานผลไม่ได้เสนอผู้อำนวยการเขต",
        "จัดทำรายงานผลการจัดการความเสี่ยงการรับสินบน ปีงบประมาณ พ.ศ. 2567 เสนอผู้อำนวยการเขต แล้วเผยแพร่เป็น PDF"),
    ("O22", "measures_report"): (
        "not_addressed", "รายงานผลการดำเนินการตามมาตรการไม่ได้เสนอผู้อำนวยการเขต",
        "จัดทำรายงานผลการดำเนินการตามมาตรการฯ ปีงบประมาณ พ.ศ. 2567 เสนอผู้อำนวยการเขต แล้วเผยแพร่เป็น PDF"),
}
SCORES = {"O5": 0, "O9": 50, "O15": 0, "O18": 0, "O19": 0, "O22": 0}


def _evidence(item_id: str, n: int, element_id: str, label: str, fmt: str = "pdf", **extra) -> dict:
    page_id = 100 + n
    if fmt == "html":
        url = f"{BASE}/page/sub/{page_id}/{element_id}"
    else:
        url = f"{FILES}/ITA/2567/{item_id}/{element_id}.{fmt}"
    ev = {
        "url": url, "link_text": label, "source_page": f"{BASE}/page/main/{page_id}/ITA",
        "matched_phrase": label.split(" (")[0], "matched_in": "link_text",
        "snippet": f"{item_id} {label} ปีงบประมาณ พ.ศ. 2567", "fiscal_year": 2567,
        "fiscal_year_source": "text", "format": fmt, "on_site": True, "text_layer": "text", "ocr": False,
    }
    ev.update(extra)
    return ev


def _score(items: list[dict]) -> tuple[dict, float]:
    """The rubric's scoring model (docs/rubric.md section 1), used because crawler.audit.scoring is not here yet."""
    by_id = {i["id"]: i for i in items}
    indicators = {}
    for code, (title, ids, per_item) in SUB_INDICATORS.items():
        scores = [by_id[i]["score"] for i in ids]
        points = sum(per_item * s / 100 for s in scores)
        indicators[code] = {"score": round(sum(scores) / len(scores), 2), "points": round(points, 4),
                            "max_points": per_item * len(ids), "title_th": title}
    for code, (title, max_points) in INDICATORS.items():
        points = sum(v["points"] for k, v in indicators.items() if k.split(".")[0] == code)
        indicators[code] = {"score": round(points / max_points * 100, 2), "points": round(points, 4),
                            "max_points": max_points, "title_th": title}
    oit_points = indicators["9"]["points"] + indicators["10"]["points"]
    return indicators, oit_points


def build_report(*, published: bool = True, survey: bool = True, history: bool = False) -> dict:
    items = []
    n = 0
    for code, (_, ids, per_item) in SUB_INDICATORS.items():
        for item_id in ids:
            title_th, title_en, unit, basis, elements_spec = ITEMS[item_id]
            score = SCORES.get(item_id, 100)
            status = "pass" if score == 100 else "partial" if score else "fail"
            elements = []
            for element_id, label, el_basis in elements_spec:
                n += 1
                gap = GAPS.get((item_id, element_id))
                element = {"id": element_id, "label_th": label, "label_en": element_id.replace("_", " "),
                           "basis": el_basis, "satisfied": gap is None,
                           "status": "satisfied" if gap is None else "missing",
                           "reason": None, "reason_th": None, "reason_en": None, "fix_th": None,
                           "evidence": [], "candidates": []}
                if gap is None:
                    fmt = "html" if item_id in ("O1", "O4", "O8", "O12", "O17") else "pdf"
                    element["evidence"].append(_evidence(item_id, n, element_id, label, fmt))
                else:
                    reason, reason_th, fix_th = gap
                    element.update(reason=reason, reason_th=reason_th, reason_en=reason.replace("_", " "),
                                   fix_th=fix_th)
                    element["candidates"].append(_evidence(item_id, n, element_id, label + " (ฉบับเก่า)",
                                                           fiscal_year=2565))
                elements.append(element)
            open_gaps = [GAPS[(item_id, e["id"])] for e in elements if not e["satisfied"]]
            items.append({
                "id": item_id, "title_th": title_th, "title_en": title_en, "sub_indicator": code,
                "points": per_item, "score": score, "status": status,
                "points_lost": round(per_item * (100 - score) / 100, 4), "basis": basis,
                "basis_note": "ที่มา: เอกสารวิเคราะห์ผล ITA 2567 สำนักงานเขตสัมพันธวงศ์" if basis == "S"
                else "อนุมานจากแนวปฏิบัติ ป.ป.ช.",
                "unit_th": unit,
                "reason_th": " / ".join(g[1] for g in open_gaps) or None,
                "reason_en": None,
                "fix_th": " / ".join(g[2] for g in open_gaps) or None,
                "elements": elements,
            })
    by_id = {i["id"]: i for i in items}
    # Hostile values from the crawled site: an evidence title that is markup, a javascript: link.
    by_id["O3"]["elements"][0]["evidence"].insert(0, _evidence(
        "O3", 900, "schools", "รายชื่อโรงเรียน", "html", link_text=SCRIPT_TITLE, snippet=SCRIPT_TITLE + " | a|b"))
    by_id["O12"]["elements"][0]["evidence"].insert(0, _evidence(
        "O12", 901, "tracking", "ติดตามสถานะ", "html", url=JS_URL, link_text="ติดตามสถานะใบอนุญาต"))
    by_id["O4"]["elements"][0]["evidence"].insert(0, _evidence(
        "O4", 902, "news", "ข่าวกิจกรรม", "html", link_text="ข่าวกิจกรรม *ล้างคลอง* [มิ.ย. 67] | ชุมชน_ตลาดน้อย",
        url=f"{BASE}/page/sub/902/ข่าวกิจกรรม?id=5&lang=th"))

    indicators, oit_points = _score(items)
    report = {
        "schema_version": "1.0",
        "site": {"url": BASE + "/", "name": "สำนักงานเขตสัมพันธวงศ์"},
        "checklist": {"id": "bma-district-2567", "version": "2567.1",
                      "title_th": "เกณฑ์ OIT สำนักงานเขต กรุงเทพมหานคร ปีงบประมาณ พ.ศ. 2567"},
        "fiscal_year": 2567, "as_of": "2024-06-30", "generated_at": "2024-06-30T09:15:00+07:00",
        "published": published,
        "oit_points": round(oit_points, 2) if published else None,
        "oit_score": round(oit_points / 40 * 100, 2) if published else None,
        "indicators": indicators,
        "items": items,
        "missing_items": [i["id"] for i in items if i["status"] == "fail"],
        "partial_items": [i["id"] for i in items if i["status"] == "partial"],
        "review_items": [],
        "crawl": {
            "run_id": 7, "started_at": "2024-06-30T08:40:00+07:00", "finished_at": "2024-06-30T09:12:00+07:00",
            "pages": 124, "documents": 81, "errors": 3, "healthy": published,
            "health_reasons": [] if published else ["หน้าเว็บตอบกลับด้วยข้อผิดพลาด 41% ของคำขอ (เกิน 20%)",
                                                    "เก็บหน้าเว็บได้เพียง 12 หน้า"],
            "status": "complete",
            "failures": [
                {"url": f"{FILES}/ITA/2567/O15/สขร1-มกราคม.pdf", "kind": "http_404", "status": 404,
                 "message": "Not Found", "referer": f"{BASE}/page/main/115/ITA"},
                {"url": "https://drive.google.com/file/d/abc/view", "kind": "timeout", "status": None,
                 "message": "timed out after 30 s", "referer": f"{BASE}/page/main/119/ITA"},
                {"url": f"{BASE}/page/sub/777/<b>x</b>", "kind": "http_5xx", "status": 500,
                 "message": "Internal Server Error", "referer": None},
            ],
        },
    }
    if not published:
        for ind in report["indicators"].values():
            ind["score"] = ind["points"] = None
    if survey and published:
        iit = sum(s * w / 100 for s, w in zip((99.84, 95.18, 97.26, 99.90, 94.45), (7.5, 7.5, 7.5, 2.5, 5)))
        eit = sum(s * w / 100 for s, w in zip((97.88, 95.24, 95.82), (15, 5, 10)))
        report["ita"] = {"iit": round(iit, 2), "eit": round(eit, 2), "oit": report["oit_points"],
                         "total": round(iit + eit + oit_points, 2), "level_th": "ผ่าน", "level_en": "Pass",
                         "indicators": {"1": 99.84, "2": 95.18, "3": 97.26, "4": 99.90, "5": 94.45,
                                        "6": 97.88, "7": 95.24, "8": 95.82}}
    if history:
        report["history"] = [{"run_id": 3, "date": "2024-03-31", "oit_score": 61.25},
                             {"run_id": 5, "date": "2024-05-15", "oit_score": 68.75},
                             {"run_id": 7, "date": "2024-06-30", "oit_score": report["oit_score"]}]
    return report


def evidence_urls(report: dict) -> list[str]:
    return [ev["url"] for item in report["items"] for e in item["elements"]
            for key in ("evidence", "candidates") for ev in e.get(key) or []]


# --------------------------------------------------------------------------------------------------
# The builder reproduces the rubric's reference case


def test_builder_reproduces_the_samphanthawong_reference_numbers():
    report = build_report()
    ind = report["indicators"]
    assert [round(ind[k]["score"], 2) for k in ("9.1", "9.2", "9.3", "9.4", "9.5", "10.1", "10.2")] == \
        [100.0, 81.25, 66.67, 100.0, 100.0, 50.0, 0.0]
    assert (ind["9"]["score"], ind["10"]["score"]) == (85.0, 40.0)
    assert (report["oit_points"], report["oit_score"]) == (29.5, 73.75)
    assert report["ita"]["total"] == 87.67
    assert report["missing_items"] == ["O5", "O15", "O18", "O19", "O22"]
    assert report["partial_items"] == ["O9"]
    validate_report(report)


# --------------------------------------------------------------------------------------------------
# Validation


def _error(report: dict) -> str:
    with pytest.raises(ReportError) as info:
        validate_report(report)
    return str(info.value)


def test_valid_reports_pass_published_or_not():
    validate_report(build_report())
    validate_report(build_report(history=True))
    validate_report(build_report(published=False))


@pytest.mark.parametrize("path, needle", [
    (("oit_score",), "oit_score: required field is missing"),
    (("crawl", "healthy"), "crawl.healthy: required field is missing"),
    (("site", "url"), "site.url: required field is missing"),
    (("checklist", "version"), "checklist.version: required field is missing"),
    (("indicators", "9.3"), "indicators.9.3: required field is missing"),
])
def test_validation_names_a_missing_field(path, needle):
    report = build_report()
    parent = report
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    assert needle in _error(report)


def test_validation_rejects_a_bad_status_with_the_item_path():
    report = build_report()
    report["items"][4]["status"] = "passed"
    message = _error(report)
    assert "items[4] (O5).status" in message
    assert "'passed' is not one of" in message


@pytest.mark.parametrize("mutate, needles", [
    (lambda r: r.update(fiscal_year="2567"), ["fiscal_year", "not of type 'integer'"]),
    (lambda r: r.update(fiscal_year=2024), ["fiscal_year", "less than the minimum of 2500"]),
    (lambda r: r.update(as_of="30/06/2567"), ["as_of"]),
    (lambda r: r["items"][0].update(score="100"), ["items[0] (O1).score", "not of type"]),
    (lambda r: r["items"][0].update(id="X1"), ["items[0] (X1).id", "does not match"]),
    (lambda r: r["items"][8].update(basis="sourced"), ["items[8] (O9).basis"]),
    (lambda r: r["crawl"].update(pages=-1), ["crawl.pages"]),
    (lambda r: r["items"][2]["elements"][0]["evidence"][0].pop("url"),
     ["items[2] (O3).elements[0] (schools).evidence[0].url: required field is missing"]),
    (lambda r: r["items"].__setitem__(1, r["items"][0]), ["items[1] (O1).id: duplicate item id 'O1'"]),
    (lambda r: r["missing_items"].append("O99"), ["missing_items[5]: 'O99' is not the id of any entry"]),
])
def test_validation_rejects_wrong_types_and_values(mutate, needles):
    report = build_report()
    mutate(report)
    message = _error(report)
    for needle in needles:
        assert needle in message


def test_an_element_needs_evidence_or_a_reason():
    report = build_report()
    element = report["items"][4]["elements"][1]          # O5 annual_report: missing, has a reason
    element["reason"] = None
    assert "items[4] (O5).elements[1] (annual_report): an element needs a non-empty 'evidence' list or a 'reason'" \
        in _error(report)


def test_scores_are_null_exactly_when_unpublished():
    report = build_report(published=False)
    report["oit_score"] = 73.75
    assert "null only when published is false" in _error(report)
    report = build_report()
    report["oit_points"] = None
    assert "oit_points" in _error(report)


def test_validation_error_lists_every_problem():
    report = build_report()
    report["items"][0]["status"] = "ok"
    report["items"][1]["status"] = "ok"
    del report["crawl"]["pages"]
    with pytest.raises(ReportError) as info:
        validate_report(report)
    assert len(info.value.problems) == 3


def test_write_reports_validates_before_writing_anything(tmp_path):
    report = build_report()
    report["items"][0]["status"] = "ok"
    with pytest.raises(ReportError):
        write_reports(report, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --------------------------------------------------------------------------------------------------
# The writer interface


def test_one_writer_per_format_behind_one_interface(tmp_path):
    from reports.writer import ReportWriter

    assert set(WRITERS) == {"html", "xlsx", "csv", "md", "pdf"}
    for fmt, writer in WRITERS.items():
        assert isinstance(writer, ReportWriter) and writer.format == fmt
    paths = write_reports(build_report(), tmp_path)      # by default every format but the PDF (needs Chromium)
    assert sorted(p.name for p in paths) == ["items.csv", "report.html", "report.md", "report.xlsx"]
    assert all(p.parent == tmp_path and p.stat().st_size > 0 for p in paths)
    assert [p.name for p in write_reports(build_report(), tmp_path / "md", formats=["md"])] == ["report.md"]
    with pytest.raises(ValueError, match="unknown report format"):
        write_reports(build_report(), tmp_path, formats=["docx"])


@pytest.mark.parametrize("module", ["reports.html", "reports.xlsx", "reports.csv", "reports.markdown",
                                    "reports.pdf", "reports.writer"])
def test_any_writer_module_can_be_imported_first(module):
    import subprocess
    import sys

    code = f"import {module}; from reports.writer import WRITERS; print(','.join(sorted(WRITERS)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True)
    assert out.stdout.strip() == "csv,html,md,pdf,xlsx"


@pytest.mark.parametrize("url, expected", [
    ("https://webportal.bangkok.go.th/ITA 2567/O5.pdf", "https://webportal.bangkok.go.th/ITA%202567/O5.pdf"),
    ("https:///no-host", None),
    ("https://webportal.bangkok.go.th/ข่าว?id=1&x=2", "https://webportal.bangkok.go.th/ข่าว?id=1&x=2"),
    ("  HTTP://example.org/x\n", "HTTP://example.org/x"),
    ("javascript:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("\x01javascript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("//evil.example/x", None),
    ("/page/main/1", None),
    ("ftp://example.org/file", None),
    (None, None),
])
def test_only_http_urls_are_links(url, expected):
    assert safe_url(url) == expected


def test_items_to_fix_lists_failed_and_partial_first_then_review():
    report = build_report()
    report["items"][1]["status"] = "review"            # O2
    report["items"][2]["status"] = "unreachable"       # O3
    assert [i["id"] for i in items_to_fix(report)] == ["O5", "O9", "O15", "O18", "O19", "O22", "O2", "O3"]


# --------------------------------------------------------------------------------------------------
# report.xlsx

SHEETS = ["สรุป", "รายการ O1–O22", "หลักฐาน", "ต้องแก้ไข", "ข้อผิดพลาดการเก็บข้อมูล", "คำอธิบาย"]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    report = build_report()
    # Site text that looks like a formula must stay text.
    report["items"][5]["elements"][0]["evidence"][0]["link_text"] = "=HYPERLINK(\"http://evil\",\"x\")"
    # A URL longer than Excel allows in a hyperlink.
    report["items"][6]["elements"][0]["evidence"][0]["url"] = FILES + "/" + "ก" * 2100 + ".pdf"
    path = write_reports(report, tmp_path_factory.mktemp("xlsx"), formats=["xlsx"])[0]
    return report, path


def test_xlsx_sheets_headers_and_one_row_per_item(workbook):
    report, path = workbook
    assert pd.ExcelFile(path, engine="openpyxl").sheet_names == SHEETS
    items = pd.read_excel(path, engine="openpyxl", sheet_name="รายการ O1–O22")
    assert list(items.columns) == list(ITEM_COLUMNS)
    for header in ("รหัส", "ตัวชี้วัดย่อย", "ชื่อรายการ", "คะแนน", "สถานะ", "คะแนนที่เสีย", "เหตุผล", "วิธีแก้ไข",
                   "หน่วยงานรับผิดชอบ", "URL"):
        assert header in items.columns
    assert items["รหัส"].tolist() == [f"O{n}" for n in range(1, 23)]
    assert items.set_index("รหัส").loc["O9", "คะแนน"] == 50
    assert items.set_index("รหัส").loc["O9", "สถานะ"] == "ได้บางส่วน (Partial)"
    assert items.set_index("รหัส").loc["O5", "หน่วยงานรับผิดชอบ"] == "ฝ่ายปกครอง"
    assert items["คะแนนที่เสีย"].sum() == pytest.approx(10.5)
    assert items.set_index("รหัส").loc["O1", "ชื่อรายการ"] == "ข้อมูลพื้นฐานของสำนักงานเขต"


def test_xlsx_summary_carries_the_scores(workbook):
    _, path = workbook
    summary = pd.read_excel(path, engine="openpyxl", sheet_name="สรุป").set_index("หัวข้อ")["ค่า"]
    assert summary["คะแนน OIT ที่คาดการณ์ (เต็ม 100)"] == 73.75
    assert summary["คะแนน OIT ที่ได้ (เต็ม 40)"] == 29.5
    assert summary["ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล"] == 85
    assert summary["9.3 การบริหารเงินงบประมาณ"] == pytest.approx(66.67)
    assert summary["ปีงบประมาณ (พ.ศ.)"] == 2567
    assert summary["ITA รวม (รวมผลแบบสำรวจ)"] == 87.67


def test_xlsx_missing_sheet_lists_each_element_to_publish(workbook):
    _, path = workbook
    missing = pd.read_excel(path, engine="openpyxl", sheet_name="ต้องแก้ไข")
    assert missing["รหัส"].tolist() == ["O5", "O9", "O15", "O18", "O18", "O19", "O22"]
    row = missing.iloc[1]
    assert row["วิธีแก้ไข"].startswith("เผยแพร่สถิติการจัดเก็บภาษี ปีงบประมาณ พ.ศ. 2567 เป็นไฟล์ Excel หรือ Word")
    assert row["หน่วยงานรับผิดชอบ"] == "ฝ่ายรายได้"
    assert "ผลการดำเนินการ" in missing.columns


def test_xlsx_frozen_headers_filters_widths_and_hyperlinks(workbook):
    report, path = workbook
    book = openpyxl.load_workbook(path)
    for name in SHEETS:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet["A1"].font.b, name
        assert sheet.column_dimensions["A"].width > 5, name
        if name not in ("สรุป", "คำอธิบาย"):
            assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), name

    evidence = book["หลักฐาน"]
    headers = [c.value for c in evidence[1]]
    url_col = headers.index("URL") + 1
    links = {}
    for row in range(2, evidence.max_row + 1):
        cell = evidence.cell(row, url_col)
        links[cell.value] = cell.hyperlink.target if cell.hyperlink else None
    for url in evidence_urls(report):
        assert url in links
        if safe_url(url) and len(url) < 2079:
            assert links[url] == url, url
        else:
            assert links[url] is None, url                 # javascript: and the over-long URL: text only
    assert JS_URL in links and links[JS_URL] is None

    link_text = headers.index("ข้อความลิงก์") + 1
    formula_cells = [evidence.cell(r, link_text) for r in range(2, evidence.max_row + 1)
                     if str(evidence.cell(r, link_text).value).startswith("=HYPERLINK")]
    assert formula_cells and all(c.data_type == "s" for c in formula_cells)

    items = book["รายการ O1–O22"]
    url_col = [c.value for c in items[1]].index("URL") + 1
    assert items.cell(2, url_col).hyperlink.target.startswith("https://webportal.bangkok.go.th/")
    assert book["สรุป"].cell(3, 2).hyperlink.target == report["site"]["url"]
    crawl = book["ข้อผิดพลาดการเก็บข้อมูล"]
    assert [c.value for c in crawl[1]][:3] == ["URL", "ประเภทข้อผิดพลาด", "รหัสสถานะ HTTP"]
    assert crawl.cell(2, 1).hyperlink.target == report["crawl"]["failures"][0]["url"]
    assert crawl.cell(2, 2).value == "ไม่พบหน้า (http_404)" and crawl.cell(2, 3).value == 404


def test_xlsx_stops_linking_at_excels_hyperlink_limit():
    from reports.xlsx import EXCEL_MAX_URLS, _Sheet

    class FakeSheet:
        hlink_count = EXCEL_MAX_URLS

        def __init__(self):
            self.calls = []

        def write_url(self, *args, **kwargs):
            self.calls.append("url")
            return 0

        def write_string(self, *args, **kwargs):
            self.calls.append("string")

    sheet = FakeSheet()
    _Sheet.url(sheet, 1, 0, "https://example.org/", {"link": None, "text": None})
    assert sheet.calls == ["string"]
    sheet.hlink_count = 0
    _Sheet.url(sheet, 1, 0, "https://example.org/", {"link": None, "text": None})
    assert sheet.calls == ["string", "url"]


def test_xlsx_unpublished_report_shows_no_score(tmp_path):
    path = write_reports(build_report(published=False), tmp_path, formats=["xlsx"])[0]
    summary = pd.read_excel(path, engine="openpyxl", sheet_name="สรุป").set_index("หัวข้อ")["ค่า"]
    assert summary["คะแนน OIT ที่คาดการณ์ (เต็ม 100)"] == "ไม่เผยแพร่"
    assert summary["การเผยแพร่คะแนน"].startswith("ไม่เผยแพร่")


# --------------------------------------------------------------------------------------------------
# items.csv


def test_csv_has_a_bom_and_round_trips_thai(tmp_path):
    report = build_report()
    report["items"][4]["reason_th"] = "-ไม่พบรายงาน"          # would start a formula in Excel
    path = write_reports(report, tmp_path, formats=["csv"])[0]
    raw = path.read_bytes()
    assert path.name == "items.csv"
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0].keys()) == list(ITEM_COLUMNS)
    assert len(rows) == 22
    assert [r["ชื่อรายการ"] for r in rows] == [i["title_th"] for i in report["items"]]
    assert rows[8]["สถานะ"] == "ได้บางส่วน (Partial)" and rows[8]["คะแนน"] == "50"
    assert rows[4]["เหตุผล"] == "'-ไม่พบรายงาน"
    frame = pd.read_csv(path, encoding="utf-8-sig")
    assert frame["รหัส"].tolist()[:3] == ["O1", "O2", "O3"]


# --------------------------------------------------------------------------------------------------
# report.md


def _unescaped_pipes(line: str) -> int:
    return len([i for i, ch in enumerate(line) if ch == "|" and (i == 0 or line[i - 1] != "\\")])


def test_markdown_has_the_tables_and_the_fixes(tmp_path):
    report = build_report()
    text = write_reports(report, tmp_path, formats=["md"])[0].read_text(encoding="utf-8")
    assert text.startswith("# ผลคาดการณ์คะแนน OIT: สำนักงานเขตสัมพันธวงศ์")
    assert "| **คะแนน OIT ที่คาดการณ์ (เต็ม 100)** | **73.75** |" in text
    assert "| รหัส | รายการ | สถานะ | คะแนน | คะแนนที่เสีย | ฐานของเกณฑ์ | หน่วยงาน | หลักฐาน |" in text
    item_rows = [line for line in text.splitlines() if line.startswith("| O")]
    assert [row.split(" | ")[0][2:] for row in item_rows] == [f"O{n}" for n in range(1, 23)]
    table = [line for line in text.splitlines() if line.startswith("|") and "รหัส" not in line
             and not line.startswith("|---")]
    assert all(_unescaped_pipes(line) in (3, 9) for line in table), "a cell's pipe broke the table"
    fixes = text.split("## รายการที่ต้องแก้ไข")[1].split("## ผลรายข้อ")[0]
    assert [line.split()[1] for line in fixes.splitlines() if line.startswith("### ")] == \
        ["O5", "O9", "O15", "O18", "O19", "O22"]
    assert "ต้องทำ: เผยแพร่สถิติการจัดเก็บภาษี ปีงบประมาณ พ.ศ. 2567 เป็นไฟล์ Excel หรือ Word" in fixes
    assert "หน่วยงานรับผิดชอบ: **ฝ่ายรายได้**" in fixes


def test_markdown_escapes_site_text(tmp_path):
    text = write_reports(build_report(), tmp_path, formats=["md"])[0].read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "[\\<script\\>alert(1)\\</script\\>](https://webportal.bangkok.go.th/" in text
    assert "ข่าวกิจกรรม \\*ล้างคลอง\\* \\[มิ.ย. 67\\] \\| ชุมชน\\_ตลาดน้อย" in text
    assert "(javascript:" not in text and "ติดตามสถานะใบอนุญาต" in text       # shown, not linked


def test_markdown_unpublished_report_says_so(tmp_path):
    text = write_reports(build_report(published=False), tmp_path, formats=["md"])[0].read_text(encoding="utf-8")
    assert "**ไม่เผยแพร่คะแนน:**" in text and "73.75" not in text


def test_markdown_escaping_rules():
    from reports.markdown import md, md_link, md_start

    assert md("a | b") == "a \\| b"
    assert md("<b>x</b> *y* _z_ [l](u) `c` ~s~ &amp;") == \
        "\\<b\\>x\\</b\\> \\*y\\* \\_z\\_ \\[l\\](u) \\`c\\` \\~s\\~ \\&amp;"
    assert md("บรรทัด\nใหม่") == "บรรทัด ใหม่"
    assert md("v2567.1") == "v2567.1"
    assert md_start("# หัวข้อ") == "\\# หัวข้อ" and md_start("> quote") == "\\> quote"
    assert md_start("1. รายการ") == "1\\. รายการ" and md_start("- x") == "\\- x"
    assert md_link(JS_URL, "x") == "x"
    assert md_link("https://a.example/ข่าว (1).pdf", "ข่าว") == "[ข่าว](https://a.example/ข่าว%20%281%29.pdf)"


def test_fix_entries_fall_back_to_the_items_own_fix():
    from reports.writer import fix_entries

    report = build_report()
    o5 = report["items"][4]
    assert fix_entries(o5) == [("รายงานผลการปฏิบัติราชการประจำปี พ.ศ. 2566",
                                "ไม่พบรายงานผลการปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2566",
                                "เผยแพร่รายงานผลการปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2566 เป็นไฟล์ PDF ในหน้า ITA")]
    o5["elements"][1]["fix_th"] = None
    o5["fix_th"] = "จัดทำรายงานผลฯ"
    assert fix_entries(o5)[-1] == ("", "", "จัดทำรายงานผลฯ")
    unreachable = {"id": "O10", "status": "unreachable", "elements": [], "reason_th": "เปิดไฟล์ไม่ได้",
                   "fix_th": "ตรวจสอบลิงก์"}
    assert fix_entries(unreachable) == [("", "เปิดไฟล์ไม่ได้", "ตรวจสอบลิงก์")]


def test_workbook_says_when_it_was_made_on_the_bangkok_clock(tmp_path):
    report = build_report()
    report["generated_at"] = "2026-12-04T06:54:00+00:00"           # as `oit audit` stamps it (UTC)
    book = openpyxl.load_workbook(write_reports(report, tmp_path, formats=["xlsx"])[0])
    cells = [row for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             if any(v == "สร้างรายงานเมื่อ" for v in row)]
    assert len(cells) == 1
    assert "4 ธ.ค. 2569 13:54 น. (เวลาประเทศไทย)" in cells[0]


def test_xlsx_legend_explains_statuses_reasons_and_s_i(workbook):
    _, path = workbook
    legend = pd.read_excel(path, engine="openpyxl", sheet_name="คำอธิบาย").fillna("")
    assert list(legend.columns) == ["หมวด", "ค่าที่แสดง", "ความหมาย", "English"]
    shown = set(legend["ค่าที่แสดง"])
    assert {"ผ่าน", "ได้บางส่วน", "ไม่ผ่าน", "เข้าถึงไม่ได้", "ต้องตรวจสอบ"} <= shown
    assert {"S — มีแหล่งอ้างอิง", "I — อนุมาน"} <= shown
    s_row = legend[legend["ค่าที่แสดง"] == "S — มีแหล่งอ้างอิง"].iloc[0]
    assert "เอกสารอ้างอิง" in s_row["ความหมาย"] and s_row["English"] == "Sourced"
    assert "ไม่พบข้อมูลหรือเอกสารที่ตรงตามเกณฑ์" in shown               # the reasons the Missing sheet uses
    missing = pd.read_excel(path, engine="openpyxl", sheet_name="ต้องแก้ไข", dtype=object).fillna("")
    assert set(missing["เหตุผล"]) - {""} and all(status.split(" (")[0] in shown for status in missing["สถานะ"])
