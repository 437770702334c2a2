"""Thai normalisation: PUA glyphs, sara am, mark order, whitespace, idempotence, real documents."""
import csv
import random
import re
import unicodedata
from pathlib import Path

import pytest

from crawler.text.thai import (PUA_TO_THAI, compact, is_garbage_thai, looks_thai, normalize,
                          strip_tone_marks, thai_digits_to_arabic, thai_ratio)

REAL_DOCS = Path(__file__).resolve().parents[2] / "shared" / "real-docs"

# Correct Thai that normalisation must leave exactly as it is.
CORRECT_THAI = [
    "สำนักงานเขตสัมพันธวงศ์ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘",
    "น้ำ", "ต่ำ", "ค่ำ", "ค้ำประกัน", "ย้ำ", "กำหนด", "จำนวน", "ดำเนินการ", "คำสั่ง", "ทำ", "อำเภอ",
    "เป้าหมาย", "ป้าย", "ฝ้าย", "ฟ้า", "ป่าน", "ที่", "เรื่อง", "ผู้อำนวยการเขต", "กิ่ง", "ศักดิ์สิทธิ์",
    "พันธุ์", "กรุงเทพมหานคร", "ก๊าซ", "เก๋", "ข้อบัญญัติ", "ดุลยพินิจ", "แจ้งเบาะแส", "ฯลฯ", "ๆ",
    "นโยบายต่อต้านการรับสินบน (Anti-Bribery Policy)",
    "รายงานผลการดำเนินงาน ฝ่ายรายได้ โทร. 0-2236-1234",
    "บรรทัดแรก\nบรรทัดที่สอง\n\nย่อหน้าใหม่",
]


def test_pua_glyphs_map_back_as_in_harfbuzz():
    windows = set(range(0xF700, 0xF71B))
    mac = set(range(0xF884, 0xF89F))
    assert set(PUA_TO_THAI) == windows | mac           # every shifted glyph of both tables
    assert PUA_TO_THAI[0xF700] == PUA_TO_THAI[0xF89E] == "ฐ"   # tho than without descender
    assert PUA_TO_THAI[0xF70F] == PUA_TO_THAI[0xF89A] == "ญ"   # yo ying without descender
    assert PUA_TO_THAI[0xF701] == PUA_TO_THAI[0xF885] == "\u0e34"   # sara i, shifted left
    assert PUA_TO_THAI[0xF70A] == PUA_TO_THAI[0xF88B] == "\u0e48"   # mai ek, shifted down
    assert PUA_TO_THAI[0xF705] == PUA_TO_THAI[0xF88C] == "\u0e48"   # mai ek, down-left
    assert PUA_TO_THAI[0xF713] == PUA_TO_THAI[0xF88A] == "\u0e48"   # mai ek, left
    assert PUA_TO_THAI[0xF710] == PUA_TO_THAI[0xF884] == "\u0e31"   # mai han-akat
    assert PUA_TO_THAI[0xF711] == PUA_TO_THAI[0xF899] == "\u0e4d"   # nikhahit
    assert PUA_TO_THAI[0xF71A] == PUA_TO_THAI[0xF89D] == "\u0e3a"   # phinthu


def test_pua_text_is_mapped_back():
    assert normalize("ประจำป\uf702งบประมาณ") == "ประจำปีงบประมาณ"
    assert normalize("ที\uf70a") == "ที่"
    assert normalize("ป\uf714า") == "ป้า"
    assert normalize("\uf700าน") == "ฐาน"


def test_zero_width_characters_are_removed():
    assert normalize("สำนัก\u200bงาน\u200c\u200d\u2060\ufeff") == "สำนักงาน"
    assert normalize("ข้อ\u00adมูล") == "ข้อมูล"
    assert normalize("สะเดาะ\ufffeเคราะห์") == "สะเดาะเคราะห์"   # pdfium's line-end hyphen


def test_nfc_never_splits_sara_am():
    assert normalize("ทำ") == "ทำ"
    assert "\u0e4d" not in normalize("สำนักงาน")


@pytest.mark.parametrize("broken, fixed", [
    ("สำานักงาน", "สำนักงาน"),                         # ActualText + glyph (pdfminer on LibreOffice)
    ("ส\u0e4d\u0e32นักงาน", "สำนักงาน"),                # nikhahit + sara aa
    ("น\u0e4d\u0e49\u0e32", "น้ำ"),                     # nikhahit + tone + sara aa
    ("น\u0e49\u0e4d\u0e32", "น้ำ"),                     # tone + nikhahit + sara aa
    ("นำ้", "น้ำ"),                                     # tone typed after sara am
    ("ก่ิ่ง", "กิ่ง"),                                   # tone before the upper vowel, then repeated
    ("ที่่", "ที่"),                                      # repeated tone
    ("เร ื่อง", "เรื่อง"),                               # space before a combining mark
    ("ศักด์ิ", "ศักดิ์"),                                 # thanthakhat before sara i
])
def test_marks_and_sara_am_repaired(broken, fixed):
    assert normalize(broken) == fixed


def test_split_sara_am_repaired_in_word_exported_text():
    text = ("ส านักงานสาธารณสุขอ าเภอหนองใหญ่\nค าสั่ง ที่ ๑/๒๕๖๒ เรื่อง การด าเนินงาน จ านวน ๓ ราย\n"
            "จัดท าแผนงาน น ้าท่วม ราคาต่ า ตามเป้ าหมาย ส ำนักงาน")
    assert normalize(text) == (
        "สำนักงานสาธารณสุขอำเภอหนองใหญ่\nคำสั่ง ที่ ๑/๒๕๖๒ เรื่อง การดำเนินงาน จำนวน ๓ ราย\n"
        "จัดทำแผนงาน น้ำท่วม ราคาต่ำ ตามเป้าหมาย สำนักงาน")


def test_split_sara_am_in_a_short_title_is_repaired():
    assert normalize("ส านักงานเขตสัมพันธวงศ์") == "สำนักงานเขตสัมพันธวงศ์"


def test_document_mixing_fonts_is_repaired():
    # A correct heading above a split body: as many ำ as splits.
    text = "สำนักงานปลัดกระทรวง สำหรับหน่วยงาน ประจำปี\nส านักงานสาธารณสุขอ าเภอ ประจ าปี"
    assert normalize(text) == (
        "สำนักงานปลัดกระทรวง สำหรับหน่วยงาน ประจำปี\nสำนักงานสาธารณสุขอำเภอ ประจำปี")


def test_stray_split_in_correct_text_is_left_alone():
    # The frequency guard: one "ก า" among many genuine ำ is not a split sara am.
    genuine = "สำนักงาน จำนวน ดำเนินการ คำสั่ง ทำงาน กำหนด อำเภอ ประจำ ตำบล สำคัญ น้ำ ต่ำ "
    text = genuine * 2 + "ตัวอักษร ก า"
    assert normalize(text).endswith("ตัวอักษร ก า")


def test_ascender_tone_gap_is_closed_without_inventing_sara_am():
    assert normalize("เป้ าหมาย ป่ าน") == "เป้าหมาย ป่าน"


@pytest.mark.parametrize("text", CORRECT_THAI)
def test_correct_thai_is_unchanged(text):
    assert normalize(text) == text


def test_whitespace_collapsed_but_lines_kept():
    text = "  หัวข้อ\t\u00a0 เรื่อง  \r\n\r\n\r\n\n แถว ๑  \x0cแถว ๒ \n"
    assert normalize(text) == "หัวข้อ เรื่อง\n\nแถว ๑\nแถว ๒"


def test_thai_digits_kept_by_normalize_and_converted_by_compact():
    assert normalize("พ.ศ. ๒๕๖๘") == "พ.ศ. ๒๕๖๘"
    assert thai_digits_to_arabic("พ.ศ. ๒๕๖๘ (2025)") == "พ.ศ. 2568 (2025)"


def test_compact_matches_a_phrase_broken_anywhere():
    broken = "ประกาศนโยบาย\nต่อต้าน การรับ สิน\nบน ITA ๒๕๖๘"
    assert compact(broken) == "ประกาศนโยบายต่อต้านการรับสินบนita2568"
    assert compact("ส านักงานเขต") == compact("สำนักงาน เขต")


def test_strip_tone_marks_for_ocr_matching():
    assert strip_tone_marks("ผู้อำนวยการเขต เรื่องร้องเรียน") == "ผูอำนวยการเขต เรืองรองเรียน"
    assert strip_tone_marks(compact("ข้อมูล")) == strip_tone_marks(compact("ขอมูล"))


def test_thai_ratio_and_looks_thai():
    assert thai_ratio("") == 0.0
    assert thai_ratio("สำนักงานเขต") == 1.0
    assert looks_thai("สำนักงานเขตสัมพันธวงศ์ ITA 2568")
    assert not looks_thai("Anti-Bribery Policy of the Samphanthawong District Office (สำนักงานเขต)")
    assert not looks_thai("1234 5678")


def test_long_texts_are_each_counted_on_their_own():
    """Long texts' letter counts are remembered between the checks of one document: texts of the same
    length, or one after another, never get each other's counts."""
    from crawler.extraction import language_of
    thai = "สำนักงานเขตสัมพันธวงศ์ " * 2000
    english = ("District office report " * 2000)[:len(thai)]
    half = thai[:len(thai) // 2] + english[len(thai) // 2:]
    assert len(thai) == len(english) == len(half) > 20_000
    for _ in range(2):
        assert thai_ratio(thai) == 1.0 and language_of(thai) == "th"
        assert thai_ratio(english) == 0.0 and language_of(english) == "en"
        assert 0.3 < thai_ratio(half) < 0.7 and language_of(half) == "mixed"


def test_language_needs_twenty_letters_in_the_first_20000_characters():
    """Too few letters to tell is judged on a text's opening only: letters after 20,000 characters of
    numbers do not make it a language; twenty letters within them do, wherever they stand."""
    from crawler.extraction import language_of
    from crawler.text.thai import has_letters
    numbers = "1,234.00 " * 2223                      # 20,007 characters, no letter
    assert language_of(numbers[:19_990] + "สำนักงานเขตสัมพันธวงศ์ กรุงเทพมหานคร " + numbers) == ""
    assert language_of(numbers[:19_900] + "สำนักงานเขตสัมพันธวงศ์ กรุงเทพมหานคร " + numbers) == "th"
    assert language_of("ก ข " * 9 + "12 ค") == ""    # 19 letters
    assert language_of("ก ข " * 10) == "th"
    assert has_letters("ab 12 cd", 4) and not has_letters("ab 12 cd", 5) and not has_letters("ab 12 cd", 3, within=4)


def test_letters_are_counted_alike_in_any_script():
    """Letters are counted on a text's windows-874 bytes when it has only characters that code page
    holds, and by pattern otherwise: the counts are the pattern's on Thai, Latin, symbols, characters
    outside the code page (é, 中, 𝐀, ©), and the "?" that stands for them in the bytes."""
    from crawler.text.thai import letter_count, thai_letter_count
    letters, thai_letters = re.compile(r"[^\W\d_]"), re.compile("[\u0e01-\u0e30\u0e32\u0e33\u0e40-\u0e46]")
    alphabet = ([chr(c) for c in range(0x20, 0x180)] + [chr(c) for c in range(0x0E00, 0x0E7F)]
                + list("\u00a0\u2013\u201c\u20ac\u4e2d\u3042\ufffd??\U0001d400\u00bd\u00b2\n\t"))
    rng = random.Random(874)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        for long in (text, text * (600 // max(1, len(text)) + 1)):      # short, and remembered (>= 500)
            assert letter_count(long) == len(letters.findall(long)), repr(long)
            assert thai_letter_count(long) == len(thai_letters.findall(long)), repr(long)


def test_normalize_is_idempotent_on_random_thai_soup():
    alphabet = ("กขคนปฝสทดจอำาะเแ่้๊๋ัิีึืฺุู็์ํ\n\t\u200b\u00a0\uf702\uf70a\uf713\uf89e\uf884ab1๒"
                + " " * 6)
    rng = random.Random(2568)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        once = normalize(text)
        assert normalize(once) == once, repr(text)
        assert unicodedata.is_normalized("NFC", once)


def test_garbage_text_layers_are_recognised():
    thai = "สำนักงานเขตสัมพันธวงศ์ ประกาศนโยบายต่อต้านการรับสินบน ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
    assert not is_garbage_thai(thai)
    assert not is_garbage_thai("The district office publishes its anti-bribery policy every year.")
    assert not is_garbage_thai("")
    assert is_garbage_thai("(cid:12)(cid:45)(cid:78) (cid:3)(cid:44)(cid:90)(cid:91)(cid:7) (cid:12)")
    assert is_garbage_thai("ส\ufffd\ufffdนักง\ufffdน \ufffd\ufffdต \ufffd\ufffd\ufffd")
    assert is_garbage_thai("่ ้ ิ ี ุ ู ั ็ ๊ ๋ ์ ่ ้ abc ิ ี")        # marks without base characters
    assert is_garbage_thai(thai.encode("cp874").decode("latin-1"))   # "ÊÓ¹Ñ¡§Ò¹à¢µ..."
    assert is_garbage_thai(thai.encode("cp874").decode("cp1252", errors="replace"))
    assert is_garbage_thai(thai.encode("utf-8").decode("latin-1"))   # "à¸ªà¸³..."
    assert not is_garbage_thai("Café, naïve façade: Zürich résumé for the déjà vu exposé")


# -- real documents ---------------------------------------------------------------------------------

SPLIT_SARA_AM = re.compile("[\u0e01-\u0e2e][\u0e48-\u0e4b]?\\s[\u0e48-\u0e4b]?[\u0e32\u0e33]")
PUA = re.compile("[\uf700-\uf71a\uf884-\uf89e]")
COMMON_AM_WORDS = ["สำนัก", "จำนวน", "ดำเนิน", "คำสั่ง", "ทำ", "กำหนด", "อำเภอ", "ประจำ", "ตำบล", "น้ำ"]


def _manifest() -> list[dict]:
    if not REAL_DOCS.is_dir():
        pytest.skip(f"real documents not found at {REAL_DOCS} (shared/ sits beside the repository)")
    with open(REAL_DOCS / "MANIFEST.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _pdf_text(path: Path) -> str:
    pypdfium2 = pytest.importorskip("pypdfium2")
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def real_pdf_texts() -> dict[str, tuple[str, str]]:
    """file -> (text layer from the manifest, raw pypdfium2 text), every PDF in real-docs."""
    texts = {}
    for row in _manifest():
        if row["ext"] == "pdf":
            layer = re.search(r"text_layer=([^;\s]+)", row["file_notes"]).group(1)
            texts[row["file"]] = (layer, _pdf_text(REAL_DOCS / row["file"]))
    return texts


def test_real_documents_have_no_split_sara_am_or_pua_after_normalising(real_pdf_texts):
    checked = 0
    for name, (layer, raw) in real_pdf_texts.items():
        if layer != "thai-text":
            continue
        text = normalize(raw)
        assert not SPLIT_SARA_AM.findall(text), name
        assert not PUA.search(text), name
        for word in COMMON_AM_WORDS:
            assert word.replace("ำ", " า") not in text, (name, word)
        assert normalize(text) == text, name
        checked += 1
    assert checked >= 35


def test_real_documents_keep_their_words(real_pdf_texts):
    _, raw = real_pdf_texts["sompawn__nysso/upload/ITA/EB1/1.2.pdf"]
    assert "ส านักงาน" in raw and "ด าเนิน" in raw                # the defect is really there
    text = compact(raw)
    for phrase in ("สำนักงานสาธารณสุขอำเภอหนองใหญ่", "รายงานผลการวิเคราะห์การจัดซื้อจัดจ้าง",
                   "ปีงบประมาณพ.ศ.2562", "ดำเนินงาน"):
        assert phrase in text
    _, raw = real_pdf_texts["sompawn__nysso/upload/ITA/EB1/1.7.pdf"]
    assert PUA.search(raw)                                           # PUA glyphs in the raw text
    assert "ประจำปีงบประมาณ" in compact(raw)


def test_real_garbage_layer_is_recognised_and_good_layers_are_not(real_pdf_texts):
    for name, (layer, raw) in real_pdf_texts.items():
        if layer.startswith("garbage"):
            assert is_garbage_thai(raw), name
        elif layer == "thai-text":
            assert not is_garbage_thai(raw), name
            assert looks_thai(normalize(raw)), name
