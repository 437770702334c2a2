"""crawler.extraction on real Thai government documents (../shared/real-docs, see its README and
MANIFEST.tsv): never raises, recognises scans and the garbage OCR layer, returns normalised Thai."""
from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

from crawler.extraction import Extraction, extract, title_line
from crawler.text.thai import MIN_THAI_WORD_SHARE, compact, thai_ratio, thai_word_share
from sitegen.documents import DocContent, pdf_text

REAL_DOCS = Path(__file__).resolve().parents[2] / "shared" / "real-docs"
MANIFEST = REAL_DOCS / "MANIFEST.tsv"
pytestmark = pytest.mark.skipif(not MANIFEST.exists(), reason=f"real documents not found at {REAL_DOCS}")

COMMON_WORDS = ("สำนัก", "จำนวน", "ดำเนิน", "คำสั่ง", "ประจำ")
# "ส านัก": a consonant, a space (and maybe a tone mark), then า: how a lost sara am reads.
SPLIT_SARA_AM = re.compile("[\u0e01-\u0e2e][ \u00a0][\u0e48-\u0e4b]?\u0e32")
PUA = re.compile("[\uf700-\uf71a\uf884-\uf89e]")


def _rows() -> list[dict]:
    if not MANIFEST.exists():
        return []
    with MANIFEST.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


ROWS = _rows()


def _expected_layer(row: dict) -> str | None:
    notes = row["file_notes"]
    if "text_layer=no-text" in notes:
        return "scan"
    if "text_layer=garbage" in notes:
        return "garbage"
    if "text_layer=thai-text" in notes or row["ext"] in ("xls", "doc", "docx"):
        return "text"
    return None


@lru_cache(maxsize=None)
def _extract(relative: str) -> Extraction:
    path = REAL_DOCS / relative
    return extract(path.read_bytes(), filename=path.name)


def _by_name(name: str) -> Extraction:
    row = next(r for r in ROWS if r["file"].endswith("/" + name))
    return _extract(row["file"])


@pytest.mark.parametrize("row", ROWS, ids=[Path(r["file"]).name for r in ROWS])
def test_real_document(row):
    result = _extract(row["file"])
    assert isinstance(result, Extraction)
    assert result.error is None
    assert result.format == row["ext"]
    expected = _expected_layer(row)
    assert result.text_layer == expected
    if row["ext"] == "pdf":
        assert result.pages == int(re.search(r"pages=(\d+)", row["file_notes"]).group(1))
    if expected == "scan":
        assert result.text == "" and result.title == ""
    if expected == "text":
        text = result.text
        assert len(text) > 150 and thai_ratio(text) > 0.5
        assert result.language == "th"
        assert result.title
        assert not PUA.search(text)
        squeezed = compact(text)
        for word in COMMON_WORDS:                     # split sara am repaired everywhere
            first = word.index("\u0e33")
            split = word[:first] + " \u0e32" + word[first + 1:]
            assert split not in text, split
        assert not SPLIT_SARA_AM.search(text), SPLIT_SARA_AM.search(text).group()
        assert "กำร" not in squeezed                  # การ drawn by a font that maps า to ำ
        assert "\ufffd" not in text


def test_common_words_found_across_the_corpus():
    texts = [compact(_extract(r["file"]).text) for r in ROWS if _expected_layer(r) == "text"]
    for word in COMMON_WORDS:
        assert sum(text.count(word) for text in texts) >= 10, word


def test_marks_drawn_over_the_previous_consonant_are_reordered():
    # Word 2007 / PowerPoint write some marks after the next consonant ("ขอ้ มลู", "วสิยัทศัน์").
    assert "ข้อมูลผ่านเว็บไซต์ของหน่วยงาน" in compact(_by_name("1.1.pdf").text)
    slides = compact(_by_name("2.6.pdf").text)
    assert "นโยบายและทิศทางการพัฒนางาน" in slides
    assert "พัฒนา" in slides
    assert "ความสำคัญกับการ" in compact(_by_name("แผนพัฒนา 2556-2558 (ปรับปรุงล่าสุด).pdf").text)


def test_fonts_mapping_sara_aa_to_sara_am_are_repaired():
    vision = _by_name("2.7.pdf")
    assert vision.title == "วิสัยทัศน์"
    for phrase in ("ชลบุรีเป็นผู้นำ", "ด้านสุขภาพระดับชาติ", "เป้าหมาย", "ยุทธศาสตร์ที่1"):
        assert phrase in compact(vision.text), phrase
    manual = compact(_by_name("คู่มือประชาชน.pdf").text)
    assert "สำหรับประชาชน" in manual and "องค์การบริหารส่วนตำบลไทรย้อย" in manual
    assert "ประชำชน" not in manual


def test_mixed_document_lists_its_scanned_pages():
    result = _by_name("รายงานผลการดำเนินงานการล่วงละเมินทางเพศ 67.pdf")
    assert result.text_layer == "text"
    assert "scan_pages: 2,3,4" in result.warnings


def test_garbage_layer_has_no_title_or_language():
    result = _by_name("คำแนะนำการชำระภาษี-แผ่นพับ.pdf")
    assert (result.text_layer, result.title, result.language) == ("garbage", "", "")


def test_summary_table_cells_from_pdfium_characters():
    # First page says "สถิติ": tables are read; pdfplumber's own text would give "ผลการปฏิบัตติ าม".
    result = _by_name("แบบรายงานสรุปผลกำกับติดตามการรับสินบน ปี 67.pdf")
    assert len(result.tables) == 1
    rows = result.tables[0].rows
    assert rows[0] == ["ข้อที่", "มาตรการป้องกันการรับสินบน", "กลุ่มเป้าหมาย",
                       "สถิติการกระทำผิด ความรับผิดทางละเมิด/ อาญา", "ผลการปฏิบัติตามมาตรการ",
                       "ระยะเวลาการติดตามและรายงานผล"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5"]
    assert rows[1][2:4] == ["เจ้าหน้าที่รพ.น้ำยืน", "ไม่พบ"]     # a wrap between Thai letters adds no space


def test_legacy_office_files_give_thai_text():
    workbook = _by_name("ปรับปรุงใหม่ แผนพัฒนา 2556-2558 .xls")
    assert [t.where for t in workbook.tables] == ["sheet บัญชี", "sheet รายละเอียด"]
    assert workbook.tables[0].rows[0] == ["ส่วนที่ 5 บัญชีโครงการพัฒนา"]
    assert "แผนพัฒนาสามปี (พ.ศ. 2556 ถึง 2558)" in workbook.text
    word = _by_name("ประกาศแผนพัฒนา.doc")
    assert word.extractor == "antiword"
    assert word.title == "ประกาศองค์การบริหารส่วนตำบลไทรย้อย เรื่อง ประกาศใช้แผนพัฒนาสามปี พ.ศ.2556 – 2558"
    assert "เรื่อง ประกาศใช้แผนพัฒนาสามปี พ.ศ.2556 – 2558" in word.text
    docx = _by_name("ประกาศใช้แผนอัตรากำลัง 3 ปี(ปรับปรุง).docx")
    assert docx.title.startswith("ประกาศองค์การบริหารส่วนตำบลไทรย้อย เรื่อง การใช้แผนอัตรากำลัง 3 ปี")
    assert len(docx.tables) >= 5
    # The same announcement as PDF and as DOCX: the PDF text has the DOCX's opening lines.
    pdf = _by_name("ประกาศใช้แผนอัตรากำลัง 3 ปี(ปรับปรุง).pdf")
    assert compact(docx.text.splitlines()[1]) in compact(pdf.text)


# -- text layers judged by Thai words, titles past boilerplate ------------------------------------

def test_real_thai_text_layers_are_thai_words_and_a_shifted_one_is_not():
    """thai_word_share: every real Thai text layer is words; the same text with its consonants one code
    point off (a font whose ToUnicode map is wrong) is not, and the PDF extractor calls it garbage."""
    shares = {}
    for row in ROWS:
        result = _extract(row["file"])
        if result.text_layer == "text" and (share := thai_word_share(result.text)) is not None:
            shares[Path(row["file"]).name] = share
    assert len(shares) >= 40 and min(shares.values()) >= MIN_THAI_WORD_SHARE + 0.25, shares
    text = _by_name("1.2.pdf").text[:1500]
    shifted = "".join(chr(ord(c) + 1) if "\u0e01" <= c <= "\u0e2d" else c for c in text)
    assert thai_word_share(shifted) < MIN_THAI_WORD_SHARE
    paragraphs = [line for line in shifted.splitlines() if line.strip()][:25]
    pdf = pdf_text(DocContent(title="รายงาน", blocks=paragraphs, issued=date(2019, 11, 13))).body
    original = pdf_text(DocContent(title="รายงาน", blocks=[line for line in text.splitlines() if line.strip()][:25],
                                   issued=date(2019, 11, 13))).body
    assert extract(original).text_layer == "text"
    broken = extract(pdf)
    assert broken.text_layer == "garbage" and broken.title == ""
    assert any("Thai words" in warning for warning in broken.warnings)


def test_the_scanners_latin_ocr_layer_is_garbage_and_has_no_title():
    leaflet = _by_name("คำแนะนำการชำระภาษี-แผ่นพับ.pdf")
    assert leaflet.text_layer == "garbage" and leaflet.title == "" and leaflet.language == ""


@pytest.mark.parametrize("name, title", [
    ("1.3.pdf", "รายงานผลการวิเคราะห์การจัดซื้อจัดจ้าง ประจำปีงบประมาณ ๒๕๖๒"),          # past "บันทึกข้อความ"
    ("2.3.pdf", "ขออนุมัติแผนปฏิบัติการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. 2563"),
    ("2.2.pdf", "ประกาศสำนักงานสาธารณสุขอำเภอหนองใหญ่ เรื่อง มาตรการป้องกันการทุจริตและประพฤติมิชอบใน"
                "การจัดซื้อจัดจ้าง"),
    ("2.4.pdf", "ประกาศสำนักงานสาธารณสุขอำเภอหนองใหญ่ ว่าด้วยแนวทางปฏิบัติงานเพื่อตรวจสอบบุคลากรใน"
                "หน่วยงานด้านการจัดซื้อจัดจ้าง"),
    ("สรุปผลการดำเนินงานเรื่องร้องเรียน ปี67.pdf",                                       # past the letterhead
     "รายงานสรุปผลการดำเนินงานรับเรื่องร้องเรียน ประจำปีงบประมาณ พ.ศ. 2567"),
    ("1.1.pdf", "แบบฟอร์มการขอเผยแพร่ข้อมูลผ่านเว็บไซต์ของหน่วยงานในราชการบริหารส่วนกลาง"),  # a cited "เรื่อง"
    ("2.6.pdf", "นโยบายและทิศทางการพัฒนางานสาธารณสุข ประจำปีงบประมาณ 2564"),             # the metadata title
])
def test_titles_are_what_a_person_calls_the_document(name, title):
    assert _by_name(name).title.startswith(title)


@pytest.mark.parametrize("name, title", [
    # a bold title wrapped mid-word onto a second line in its style: read whole
    ("รายงานผลการดำเนินงานการล่วงละเมินทางเพศ 67.pdf",
     "แบบรายงานผลการดำเนินงานตามมาตรการการป้องกันและแก้ไขปัญญาการล่วงละ เมินหรือคุกคามทางเพศในการทำงาน"),
    ("1.2.pdf", "รายงานผลการวิเคราะห์การจัดซื้อจัดจ้าง และข้อเสนอแนะ เพื่อพัฒนาในรอบปีงบประมาณ พ.ศ.๒๕๖๒"),
    # not into the body set in the regular face
    ("TOR เสียงตามสาย.pdf", "รายละเอียดข้อกำหนดทางเทคนิคงานปรับปรุงหอกระจายข่าว ในเขต อบต.ไทรย้อย อำเภอเด่นชัย จังหวัดแพร่"),
    # not past the line naming the year, into the bold table header below it
    ("แบบรายงานดำเนินงานการป้องกันปราบปราม (12 เดือน).pdf",
     "แบบรายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกัน ปราบปรามการทุจริตและประพฤติมิชอบของหน่วยงาน "
     "โรงพยาบาลน้ำยืน ประจำปีงบประมาณ พ.ศ. ๒๕๖7"),
    ("สรุปผลการดำเนินงานเรื่องร้องเรียน ปี67.pdf",                                       # it names its year
     "รายงานสรุปผลการดำเนินงานรับเรื่องร้องเรียน ประจำปีงบประมาณ พ.ศ. 2567"),
    ("ยุทธศาสตร์ใหม่.pdf",                                # a body line for a title (regular face): one line
     "องค์การบริหารส่วนตำบลเป็นหน่วยบริหารราชการส่วนท้องถิ่น ตามรัฐธรรมนูญแห่ง"),
])
def test_a_pdf_title_runs_on_over_the_lines_set_in_its_bold_style(name, title):
    assert _by_name(name).title == title


def test_boilerplate_first_lines_are_no_title():
    assert title_line("คำนำ\n\nแผนปฏิบัติราชการประจำปี พ.ศ. 2568\nสำนักงานเขตบางรัก") == \
        "แผนปฏิบัติราชการประจำปี พ.ศ. 2568"
    assert title_line("สารบัญ\nหน้า 1\n- 2 -\nหน่วย : บาท\nสถิติการจัดเก็บรายได้ ปีงบประมาณ 2568") == \
        "สถิติการจัดเก็บรายได้ ปีงบประมาณ 2568"
    assert title_line("ข้อความทั่วไป") == "ข้อความทั่วไป"
