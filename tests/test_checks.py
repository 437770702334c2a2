"""crawler/audit/checks/: one test per check primitive, each on real wording that agencies publish
(../shared/real-phrasing/dev.tsv and the real wording quoted in issue 12), not on the checklist's own
phrases or the site generator's."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from crawler.audit import checks
from crawler.audit.checklist import load_checklist
from crawler.audit.checks import (contact, count, director, fetched, formats, language, live, months, readable,
                                  school, table)
from crawler.audit.primitives import Matcher, Stamp, YearReading, half_year, recent, year_window
from crawler.evidence.model import Resource, Table

DEV = Path("../shared/real-phrasing/dev.tsv")


@pytest.fixture(scope="module")
def checklist():
    return load_checklist("bma-district-2568")


@pytest.fixture(scope="module")
def matcher(checklist):
    return Matcher(checklist)


def _named(matcher: Matcher, text: str, field: str = "link_text") -> set[tuple[str, str]]:
    return {(item, element) for item, element, _ in matcher.identify(field, text)}


def _dev_text(fragment: str) -> str:
    """A row of the real-wording set, so the tests use text nobody here wrote."""
    with DEV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if fragment in row["text"]:
                return row["text"]
    raise AssertionError(f"no dev row holds {fragment!r}")


# -- the registry -------------------------------------------------------------------------------------

def test_every_reason_is_declared_once_with_thai_english_and_a_fix():
    assert {"not_found", "wrong_year", "wrong_format", "blank_column", "not_addressed", "dead_link",
            "too_few", "missing_month", "not_english", "could_not_fetch", "review_scan_unread",
            "review_low_confidence", "only_in_navigation"} == set(checks.REASONS)
    for code, reason in checks.REASON_INFO.items():
        assert reason.th and reason.en and reason.fix_th, code
    keys = [c.key for c in checks.REGISTRY]
    assert {"phrases", "formats", "time", "contact", "names_school", "addressed_to_director", "min_months",
            "live", "table_filled", "min_count", "language", "dated"} <= set(keys)


def test_settings_a_check_reads_exist_in_the_checklist(checklist):
    for check in checks.REGISTRY:
        for name in check.settings:
            if name.startswith("vocabulary."):
                assert getattr(checklist.vocabulary, name.split(".", 1)[1])
            else:
                key = name.removesuffix("_pattern")
                assert hasattr(checklist.settings, key), (check.key, name)


# -- phrases: identity on real wording ----------------------------------------------------------------

@pytest.mark.parametrize("text, field, expected", [
    ("รายงานสรุปผลการดำเนินงานเรื่องร้องเรียน", "title", ("O17", "complaint_stats")),
    ("ประกาศ จัดซื้อคอมพิวเตอร์", "link_text", ("O15", "announcements")),
    ("ประกาศ สอบราคาจ้าง", "link_text", ("O15", "announcements")),
    ("แผนใช้จ่ายเงินงบประมาณ", "title", ("O13", "spending_plan")),
    ("ผลการใช้จ่ายเงินงบประมาณ ปี 2567", "title", ("O13", "spending_report")),
    ("ประวัติผู้อำนวยการเขต", "title", ("O1", "executives")),
    ("แผนผังโครงสร้างองค์กร", "title", ("O1", "structure")),
    ("ที่ตั้งและโทรศัพท์ สำนักงานเขต", "heading", ("O1", "contact")),
    ("ช่องทางแจ้งร้องทุกข์", "link_text", ("O17", "complaint_channel")),
])
def test_phrases_identify_the_real_wording_of_issue_12(matcher, text, field, expected):
    assert expected in _named(matcher, text, field)


@pytest.mark.parametrize("fragment, expected", [
    ("(2.2 สรุปผลการดำเนินงานเรื่องร้องเรียนการทุจริต", ("O17", "complaint_stats")),
    ("แผนปิบัติการประจำปีของหน่วยงาน", ("O5", "action_plan")),          # a real typo
    ("สขร. เดือน ต.ค. 67", ("O15", "monthly_summaries")),
    ("สอบราคาซื้อครุภัณฑ์คอมพิวเตอร์สำนักงาน", ("O15", "announcements")),
    ("หนังสือจัดสรรงบประมาณของหน่วยงาน", ("O14", "budget_data")),
    ("รายงานผลการดำเนินงานตามแผนบริหารความเสี่ยง ปีงบ 67", ("O19", "risk_report")),
])
def test_phrases_tolerate_inserted_words_typos_and_short_forms(matcher, fragment, expected):
    assert expected in _named(matcher, _dev_text(fragment))


@pytest.mark.parametrize("fragment", [
    "1.2 นโยบายของผู้บริหาร",                                           # the head's own policy
    "มีบันทึกข้อความ ที่ผู้บริหารลงนามรับทราบแบบ สขร. 1",                  # a cover memo
    "แนวทางการจัดทำคู่มือสำหรับประชาชน",                                  # how to write a manual
    "ข่าวประชาสัมพันธ์ ที่แสดงข้อมูลข่าวสารที่เกี่ยวกับการดำเนินงานตามหน้าที่และอำนาจ",
    "นโยบายการบริหารทรัพยากรบุคคล",
    "รายงานการวิเคราะห์ผลการจัดซื้อจัดจ้าง",
    "ประกาศใช้แผนพัสดุประจำปี",
])
def test_phrases_do_not_claim_what_a_text_only_mentions(matcher, fragment):
    found = _named(matcher, _dev_text(fragment))
    assert ("O1", "executives") not in found and ("O1", "duties") not in found
    assert ("O16", "hr_criteria") not in found and ("O7", "service_manual") not in found
    assert ("O15", "announcements") not in found and ("O15", "monthly_summaries") not in found


@pytest.mark.parametrize("word", ["ผู้บริหาร", "ข่าวสาร", "งบประมาณที่ได้รับ", "มาตรฐานการปฏิบัติงาน ของหน่วยงาน",
                                  "ภาพกิจกรรม"])
def test_generic_words_in_body_text_claim_nothing(checklist, matcher, word):
    from crawler.audit.primitives import Field, field_match
    from crawler.text.thai import compact
    body = Field("text", compact(word), matcher.body_atoms(compact(word)))
    for item in checklist.items:
        for element in item.elements:
            assert field_match([body], element) is None, (item.id, element.id)


def test_an_item_label_takes_its_name_away_but_not_a_title_that_starts_like_it(matcher):
    """"O16 <the item's name>" beside a link names the item, not a document; a document titled
    "หลักเกณฑ์การเลื่อนเงินเดือน" after the label shares only the name's first words and keeps them."""
    assert ("O16", "hr_criteria") in _named(matcher, "O16 หลักเกณฑ์การเลื่อนเงินเดือน")
    assert ("O16", "hr_criteria") in _named(matcher, "o16 หลักเกณฑ์การเลื่อนเงินเดือน พ.ศ. 2567")
    assert _named(matcher, "O16 หลักเกณฑ์การบริหาร และพัฒนาทรัพยากรบุคคล") == set()
    assert _named(matcher, "O16 หลักเกณฑ์การบริหารและพัฒนาทรัพยา…") == set()       # the name cut short


def test_all_of_groups_must_stand_within_a_window(matcher):
    near = "ประกาศ จัดซื้อคอมพิวเตอร์"
    far = "ประกาศ " + " ".join(["สำนักงานเขตบางรัก กรุงเทพมหานคร ถนนเจริญกรุง"] * 6) + " จัดซื้อ"
    assert ("O15", "announcements") in _named(matcher, near)
    assert ("O15", "announcements") not in _named(matcher, far)


# -- fetched --------------------------------------------------------------------------------------------

def test_fetched_tells_a_missing_file_from_a_transport_failure():
    gone = Resource(url="https://x/ประกาศสอบราคาจ้าง.pdf", final_url="", kind="document", ok=False, status=404,
                    error_kind="http_404")
    slow = Resource(url="https://x/สขร1.pdf", final_url="", kind="document", ok=False, error_kind="timeout")
    assert fetched.is_dead(gone) and not fetched.is_transport_failure(gone)
    assert fetched.is_transport_failure(slow) and fetched.failure_text(gone) == "http_404"


# -- formats --------------------------------------------------------------------------------------------

def test_formats_take_their_families_from_the_checklist(checklist):
    o9 = checklist.item("O9").element("tax_stats")
    xlsx = Resource(url="https://x/สถิติภาษี.xlsx", final_url="", kind="document", ok=True, format="xlsx")
    pdf = Resource(url="https://x/TOR เสียงตามสาย.pdf", final_url="", kind="document", ok=True, format="pdf")
    assert formats.format_family(xlsx, checklist.settings) == "office"
    assert formats.judge("office", o9) is None and formats.judge("html", o9) is not None
    assert formats.format_family(pdf, checklist.settings) == "pdf"


# -- readable, language ---------------------------------------------------------------------------------

def test_readable_and_language():
    scan = Resource(url="u", final_url="u", kind="document", ok=True, format="pdf", text_layer="scan")
    assert not readable.readable(scan)
    thai = Resource(url="u", final_url="u", kind="document", ok=True, format="pdf",
                    text="ประกาศนโยบายต่อต้านการรับสินบน (Anti-Bribery Policy) สำนักงานเขต")
    english = Resource(url="u", final_url="u", kind="document", ok=True, format="pdf",
                       text="Anti-Bribery Policy of the District Office: the office does not accept gifts "
                            "or any benefit from anyone")
    assert not language.in_english(thai) and language.in_english(english)


# -- time windows ---------------------------------------------------------------------------------------

def test_time_windows_on_real_year_statements():
    sure_2567 = YearReading(2567, "link_text", True, "ประจำปีงบประมาณ พ.ศ. 2567")
    assert year_window(sure_2567, "current", 2567).ok
    assert not year_window(sure_2567, "current", 2568).ok
    assert year_window(sure_2567, "current_or_previous", 2568).ok
    assert year_window(YearReading(2567, "text", False, "๒๕๖๗"), "current", 2567).review
    october = Stamp(2567, "text", "day", date(2023, 10, 2), date(2023, 10, 2), "2 ต.ค. 66", True)
    assert not recent([october], date(2024, 1, 15), 60).ok
    assert recent([october], date(2023, 11, 15), 60).ok
    # "รอบ 6 เดือน (1 ตุลาคม 2565-31 มีนาคม 2566)" as a range of FY 2566
    span = Stamp(2566, "link_text", "range", date(2022, 10, 1), date(2023, 3, 31), "1 ตุลาคม 2565-31 มีนาคม 2566", True)
    assert half_year([span], YearReading(2566, "link_text", True), True, 2566).ok


# -- contact, school, director, months, live, table, count ------------------------------------------

def test_contact_on_a_real_contact_line(checklist):
    text = "ข้อมูลการติดต่อ ประกอบด้วย ที่อยู่หน่วยงาน หมายเลขโทรศัพท์ 0-2236-1395 หมายเลขโทรสาร"
    from crawler.text.thai import compact
    assert contact.judge(compact(text).replace("-", ""), ("phone", "email"), False, checklist.settings) is None
    assert contact.judge(compact("ข้อมูลการติดต่อหน่วยงาน"), ("phone", "email"), False, checklist.settings) \
        == "ไม่พบหมายเลขโทรศัพท์ หรือ อีเมล"
    assert contact.judge("ช่องทางการร้องเรียน", ("phone", "email", "form"), True, checklist.settings) is None


def test_school_must_be_named(checklist):
    from crawler.text.thai import compact
    assert school.names_school(compact("โรงเรียนวัดบางบัว (ผลศิริราษฎร์บำรุง)"), checklist.settings)
    assert not school.names_school(compact("โรงเรียนสังกัดกรุงเทพมหานครในพื้นที่เขต"), checklist.settings)


def test_director_vocabulary_on_a_real_memo(checklist, matcher):
    memo = "บันทึกข้อความ ส่วนราชการ ฝ่ายปกครอง เรื่อง รายงานผลการดำเนินการตามมาตรการ เรียน ผู้อำนวยการเขต"
    from crawler.text.thai import compact
    atoms = matcher.body_atoms(compact(memo))
    addressed = any(all(a in atoms for a in p.atoms) for p in checklist.vocabulary.director)
    assert director.judge(addressed) is None
    assert director.judge(False) == "ไม่พบคำว่า เรียน/เสนอ ผู้อำนวยการเขต"


def test_months_count_and_live():
    assert months.judge({(2023, 10), (2023, 11)}, 6) == "ครอบคลุม 2 เดือน (ต้องอย่างน้อย 6)"
    assert months.judge(set((2023, m) for m in range(1, 7)), 6) is None
    assert count.judge(2, 3) == "พบ 2 รายการ (ต้องอย่างน้อย 3)" and count.judge(3, 3) is None
    assert live.judge(2, 0) == "ลิงก์บริการ 2 รายการบนหน้านี้ใช้งานไม่ได้" and live.judge(2, 1) is None


def test_table_filled_on_a_real_sor_kor_ror_layout():
    header = ["ลำดับที่", "งานที่จัดซื้อหรือจัดจ้าง", "วงเงินที่จัดซื้อหรือจัดจ้าง", "ราคากลาง", "วิธีซื้อหรือจ้าง"]
    filled = Table("แบบ สขร. 1 เดือนตุลาคม 2566", [["สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือนตุลาคม 2566"], header,
                                                 ["1", "จัดซื้อวัสดุสำนักงาน", "5,000", "5,000", "เฉพาะเจาะจง"]])
    blank = Table("แบบ สขร. 1 เดือนพฤศจิกายน 2566", [header, ["1", "จ้างเหมาซ่อมแซมถนน", "", "12,000", "เฉพาะเจาะจง"]])
    assert table.blank_cells([filled]) is None
    assert table.blank_cells([blank]) == "แบบ สขร. 1 เดือนพฤศจิกายน 2566 แถวที่ 2 คอลัมน์ “วงเงินที่จัดซื้อหรือจัดจ้าง” ว่าง"
