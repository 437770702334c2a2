"""One year per document (crawler/text/years.py, crawler/audit/document_year.py), on real sentences:
from ../shared/real-docs and from the wrong readings issue 12 lists. Each document goes through the
pipeline's date finding (evidence_dates, name_dates) and the audit's stamps, as in a crawl."""
from __future__ import annotations

from crawler.audit.document_year import year_is_near
from crawler.audit.primitives import fiscal_year_reading, stamp_of, year_window
from crawler.extraction.dating import evidence_dates, name_dates
from crawler.evidence.model import DateFound
from crawler.extraction import Extraction
from crawler.text.dates import find_dates
from crawler.text.years import date_roles


def read(text: str, *, title: str = "", filename: str = "", ocr_text: str = ""):
    """The fiscal-year reading of a PDF with this title, text layer and file name."""
    extraction = Extraction(format="pdf", title=title, text=text + (f"\n\n{ocr_text}" if ocr_text else ""),
                            text_layer="text")
    found = evidence_dates(extraction, ocr_text) + name_dates(filename, None)
    return fiscal_year_reading([stamp_of(DateFound(**d), ocr=bool(ocr_text)) for d in found])


def roles(text: str, source: str = "text") -> dict[str, str]:
    hits = find_dates(text)
    return {hit.match: role for hit, role in zip(hits, date_roles(text, hits, source))}


BODY = "ด้วยสำนักงานเขตได้ดำเนินการตามแผน\n" * 8     # past the heading's first lines


# A district memo as published (the heading of ../shared/real-docs EB1/1.3.pdf, district names).
MEMO = """บันทึกข้อความ
ส่วนราชการ สำนักงานเขตสัมพันธวงศ์ ฝ่ายการคลัง โทร. ๐ ๒๒๓๖ ๑๑๒๗
ที่ กท ๗๔๐๑/๒๕๖๗ วันที่ ๑๓ พฤศจิกายน ๒๕๖๗
เรื่อง รายงานผลการใช้จ่ายงบประมาณ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘
เรียน ผู้อำนวยการเขตสัมพันธวงศ์
"""


def test_the_heading_fiscal_year_beats_a_budget_sentence_about_another_year():
    body = MEMO + ("ตามที่สำนักงานเขตได้รับจัดสรรงบประมาณ ประจำปีงบประมาณ พ.ศ. 2566 เพื่อดำเนินโครงการ\n" * 3)
    reading = read(body)
    assert (reading.fiscal_year, reading.sure) == (2568, True)
    assert "๒๕๖๘" in reading.match


def test_a_letter_number_is_not_a_year_but_an_orders_number_is():
    assert roles(MEMO)["๒๕๖๗"] == "letter_number"         # ที่ กท ๗๔๐๑/๒๕๖๗: agency code / running number
    order = "คำสั่งสำนักงานสาธารณสุขอำเภอหนองใหญ่\nที่ ๑๕๐/๒๕๖๓\nเรื่อง มอบหมายการดำเนินการในการเผยแพร่ข้อมูล\n"
    assert roles(order)["๒๕๖๓"] == "heading"               # orders are numbered within a year
    body = order + BODY + "ในการประชุมครั้งที่ 9/2555 เมื่อวันที่ 19 กันยายน 2555 นั้น"
    assert roles(body)["2555"] == "number"                  # a numbered reference in the body


def test_a_file_name_number_counts_only_beside_a_year_word():
    assert read("", filename="2587-ประกาศผู้ชนะการเสนอราคา.pdf").fiscal_year is None
    assert read("", filename="report2568.pdf").fiscal_year is None
    reading = read("", filename="รายงานผลการดำเนินงานตามแผนบริหารความเสี่ยง ปีงบ 67.pdf")
    assert (reading.fiscal_year, reading.sure, reading.source) == (2567, True, "filename")
    assert read("", filename="moit 5.2.3 สขร 1 เดือน ก.ย.67.pdf").fiscal_year == 2567
    # ... and never against the document's own heading
    heading = "ประกาศสำนักงานเขตบางรัก\nเรื่อง ผลการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. ๒๕๖๘\n"
    assert read(heading, filename="2587-ปีงบ 2560.pdf").fiscal_year == 2568


def test_law_citations_are_not_the_documents_year():
    # ../shared/real-docs EB1/1.5.pdf and EB2/2.2.pdf; the "พ.ร.บ. … พ.ศ. 2546"
    text = ("ตามพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ.๒๕๔๐ มาตรา ๙ กำหนดให้หน่วยงานของรัฐต้อง\n"
            "ตามพระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ.๒๕๖๐ มีผลบังคับใช้ ไปแล้วนั้น\n"
            "ตาม พ.ร.บ. ระเบียบบริหารราชการกรุงเทพมหานคร พ.ศ. 2546 และระเบียบกระทรวงมหาดไทยว่าด้วยการจัดทำ"
            "แผนพัฒนาขององค์กรปกครองส่วนท้องถิ่น พ.ศ. 2548\n")
    found = roles(BODY + text)
    assert {found[y] for y in ("พ.ศ.๒๕๔๐", "พ.ศ.๒๕๖๐", "พ.ศ. 2546", "พ.ศ. 2548")} == {"citation"}
    assert read(BODY + text).fiscal_year is None
    # "ตามประกาศ … พ.ศ.2561" cites; the announcement's own name "ประกาศ … เรื่อง … พ.ศ.2561" does not
    assert roles("ตามประกาศสำนักงานปลัดกระทรวงสาธารณสุข เรื่อง แนวทางการเผยแพร่ข้อมูล พ.ศ.2561")["พ.ศ.2561"] == "citation"
    assert roles("ประกาศสำนักงานสาธารณสุขอำเภอหนองใหญ่\nเรื่อง แนวทางการเผยแพร่ข้อมูล พ.ศ.2561")["พ.ศ.2561"] == "heading"


def test_an_age_a_page_and_a_founding_date_are_not_the_year():
    text = BODY + ("เบี้ยยังชีพผู้สูงอายุ ปี 60ขึ้นไป จำนวน 1,245 ราย\n"
                        "รายละเอียดตามเอกสาร หน้า 2560\n"
                        "สำนักงานเขตบางรักจัดตั้งขึ้นเมื่อวันที่ 9 พฤศจิกายน 2515 ตามประกาศคณะปฏิวัติ\n")
    found = roles(text)
    assert found["ปี 60"] == "age"
    assert found["2560"] == "page"
    assert found["วันที่ 9 พฤศจิกายน 2515"] == "history"
    assert read(text).fiscal_year is None


def test_the_signature_date_beats_a_stale_budget_line():
    # ../shared/real-docs ประกาศจัดซื้อคอมพิวเตอร์.pdf: a 2558 notice whose budget line says 2552.
    text = ("ประกาศองค์การบริหารส่วนตำบลไทรย้อย\nเรื่อง สอบราคาซื้อโครงการจัดซื้อครุภัณฑ์คอมพิวเตอร์สำนักงาน\n"
            + BODY + "เงินค่าพัสดุสำหรับการซื้อครั้งนี้ได้มาจากเงินงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. 2552\n"
            "ประกาศ ณ วันที่ 9 เดือน กุมภาพันธ์ พ.ศ. 2558\n")
    assert roles(text)["วันที่ 9 เดือน กุมภาพันธ์ พ.ศ. 2558"] == "dated"
    reading = read(text)
    assert (reading.fiscal_year, reading.sure) == (2558, True)


def test_a_body_that_speaks_of_several_years_is_unsure():
    # ../shared/real-docs ยุทธศาสตร์ใหม่.pdf: no heading year; the body's budget line and dates disagree.
    text = ("บทที่ 1 บทนำ\n" + BODY + "งบประมาณขององค์การบริหารส่วนตำบล - ประจำปีงบประมาณ 2548 จำนวนเงิน\n"
            "ในการประชุม เมื่อวันที่ 31 มีนาคม 2546 เห็นชอบ\nภายในเดือนธันวาคม พ.ศ.2550 โดยเน้น\n")
    reading = read(text)
    assert reading.fiscal_year is not None and reading.sure is False


def test_the_text_layers_year_beats_ocrs_reading_of_a_scanned_page():
    layer = "รายงานผลการดำเนินงาน\nประจำปีงบประมาณ พ.ศ. 2567\n"
    ocr_text = "รายงานผล ปี 2561 (อ่านผิด)\nวันที่ 12 กันยายน 2561"
    reading = read(layer, ocr_text=ocr_text)
    assert (reading.fiscal_year, reading.sure) == (2567, True)
    # the text layer's own year, not sure by itself (ปี 2567, a year word), stays sure: OCR ran on
    # another page, not on it
    dates = evidence_dates(Extraction(format="pdf", text="ข้อมูล\n" + BODY + "ปี 2567\n\n" + ocr_text,
                                      text_layer="text"), ocr_text)
    stamps = [stamp_of(DateFound(**d), ocr=True) for d in dates]
    assert [(s.match, s.sure, s.ocr) for s in stamps if s.match == "ปี 2567"] == [("ปี 2567", True, False)]


def test_dates_stored_before_roles_still_decide():
    old = [DateFound(2566, "text", "ประจำปีงบประมาณ 2566", "fiscal_year"), DateFound(2570, "filename", "2570", "year")]
    reading = fiscal_year_reading([stamp_of(d, ocr=False) for d in old])
    assert (reading.fiscal_year, reading.sure) == (2566, True)
    assert fiscal_year_reading([stamp_of(old[1], ocr=False)]).fiscal_year is None   # a bare file-name number


def test_a_year_far_from_the_audited_one_is_for_a_person_to_check():
    assert year_is_near(2566, 2568) and year_is_near(2570, 2568)
    assert not year_is_near(2540, 2568) and not year_is_near(2575, 2568)
    far = read("ประกาศ\nเรื่อง แผนปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. 2546\n")
    verdict = year_window(far, "current", 2568)
    assert not verdict.ok and verdict.review
    near = year_window(read("ประกาศ\nเรื่อง แผน ประจำปีงบประมาณ พ.ศ. 2566\n"), "current", 2568)
    assert not near.ok and not near.review                  # plainly an older year: wrong_year


def test_a_name_dates_its_resource_by_file_name_first_then_by_url_path_without_days():
    """name_dates, the crawl's and `oit inspect`'s: a file name's date wins over the URL's; a URL path
    is read decoded (a Thai folder percent-encoded); a day in a path is no date of the document."""
    from urllib.parse import quote
    def read_name(filename, url):
        return [(d["source"], d["kind"], d["fiscal_year"]) for d in name_dates(filename, url)]
    assert read_name("แผนปี 2567.pdf", "http://127.0.0.1/ITA/2568/a.pdf") == [("filename", "year", 2567)]
    assert read_name("", "http://127.0.0.1/ITA/2568/O5/a.pdf") == [("url", "year", 2568)]
    assert read_name(None, "http://127.0.0.1/" + quote("ปีงบประมาณ 2568") + "/a.pdf") == [("url", "fiscal_year", 2568)]
    assert read_name(None, "http://127.0.0.1/" + quote("ประกาศ 15 มีนาคม 2567") + "/a.pdf") == []
    assert read_name("a.pdf", None) == []
