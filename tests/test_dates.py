"""Thai dates: every written form, fiscal-year arithmetic, ranges, and no invented dates."""
import dataclasses
import random
from datetime import date
from pathlib import Path

import pytest

from crawler.text.dates import (MONTHS, DateHit, find_dates, fiscal_year_bounds, fiscal_year_of,
                           months_covered)
from crawler.text.thai import normalize

REAL_DOCS = Path(__file__).resolve().parents[2] / "shared" / "real-docs"
D = date


def only(text: str) -> DateHit:
    hits = find_dates(normalize(text))
    assert len(hits) == 1, hits
    return hits[0]


# text, kind, start, end, fiscal year
FORMS = [
    ("30 กันยายน 2567", "day", D(2024, 9, 30), D(2024, 9, 30), 2567),
    ("๑ ต.ค. ๒๕๖๗", "day", D(2024, 10, 1), D(2024, 10, 1), 2568),
    ("วันที่ 9 ธันวาคม พ.ศ. 2563", "day", D(2020, 12, 9), D(2020, 12, 9), 2564),
    ("ประจำเดือน มีนาคม พ.ศ.2568", "month", D(2025, 3, 1), D(2025, 3, 31), 2568),
    ("เดือนมีนาคม 2568", "month", D(2025, 3, 1), D(2025, 3, 31), 2568),
    ("สขร.1 เดือน ก.พ. 67", "month", D(2024, 2, 1), D(2024, 2, 29), 2567),
    ("ปีงบประมาณ พ.ศ. 2568", "fiscal_year", D(2024, 10, 1), D(2025, 9, 30), 2568),
    ("ปีงบประมาณ 2568", "fiscal_year", D(2024, 10, 1), D(2025, 9, 30), 2568),
    ("ประจำปีงบประมาณ พ.ศ.๒๕๖๘", "fiscal_year", D(2024, 10, 1), D(2025, 9, 30), 2568),
    ("ปีงบ 67", "fiscal_year", D(2023, 10, 1), D(2024, 9, 30), 2567),
    ("ประจำปี 2568", "fiscal_year", D(2024, 10, 1), D(2025, 9, 30), 2568),
    ("ต.ค. 67 - มี.ค. 68", "range", D(2024, 10, 1), D(2025, 3, 31), 2568),
    ("ม.ค. - มิ.ย. ๒๕๖๘", "range", D(2025, 1, 1), D(2025, 6, 30), 2568),
    ("ตุลาคม - ธันวาคม 2567", "range", D(2024, 10, 1), D(2024, 12, 31), 2568),
    ("ต.ค. - มี.ค. ๒๕๖๘", "range", D(2024, 10, 1), D(2025, 3, 31), 2568),   # starts the year before
    ("ตุลาคม 2567 – มีนาคม 2568", "range", D(2024, 10, 1), D(2025, 3, 31), 2568),
    ("รอบ 6 เดือน (ตุลาคม 2567 - มีนาคม 2568)", "range", D(2024, 10, 1), D(2025, 3, 31), 2568),
    ("รอบ 6 เดือน ตุลาคม 2567 - มีนาคม 2568", "range", D(2024, 10, 1), D(2025, 3, 31), 2568),
    ("1 ตุลาคม 2567 ถึง 31 มีนาคม 2568", "range", D(2024, 10, 1), D(2025, 3, 31), 2568),
    ("ตั้งแต่วันที่ ๑ ตุลาคม ๒๕๖6 - ๓๑ มีนาคม ๒๕๖7", "range", D(2023, 10, 1), D(2024, 3, 31), 2567),
    ("ระหว่างวันที่ 5 - 18 มิถุนายน 2558", "range", D(2015, 6, 5), D(2015, 6, 18), 2558),
    ("1/10/2567 - 31/3/2568", "range", D(2024, 10, 1), D(2025, 3, 31), 2568),
    ("30/09/2567", "day", D(2024, 9, 30), D(2024, 9, 30), 2567),
    ("30/9/67", "day", D(2024, 9, 30), D(2024, 9, 30), 2567),
    ("30-09-2567", "day", D(2024, 9, 30), D(2024, 9, 30), 2567),
    ("30 September 2024", "day", D(2024, 9, 30), D(2024, 9, 30), 2567),
    ("September 30, 2024", "day", D(2024, 9, 30), D(2024, 9, 30), 2567),
    ("SEPT. 2024", "month", D(2024, 9, 1), D(2024, 9, 30), 2567),
    ("2024-09-30", "day", D(2024, 9, 30), D(2024, 9, 30), 2567),
    ("ณ วันที่ 30 ก.ย. 2024", "day", D(2024, 9, 30), D(2024, 9, 30), 2567),
    ("ประกาศ ณ วันที่ ๒๕ เดือน มิถุนายน พ.ศ. ๒๕๖๗", "day", D(2024, 6, 25), D(2024, 6, 25), 2567),
    ("วันที่ 1 เดือนตุลาคม 2566", "day", D(2023, 10, 1), D(2023, 10, 1), 2567),
]


@pytest.mark.parametrize("text, kind, start, end, fiscal_year", FORMS)
def test_written_forms(text, kind, start, end, fiscal_year):
    hit = only(text)
    assert (hit.kind, hit.start, hit.end, hit.fiscal_year) == (kind, start, end, fiscal_year)
    assert hit.match in normalize(text)
    assert hit.date == (start if kind == "day" else None)


@pytest.mark.parametrize("text, year, matched", [
    ("ปี 2024", 2567, "ปี 2024"),                         # a CE year in Thai text
    ("ปี 67", 2567, "ปี 67"),
    ("พ.ศ. 2568", 2568, "พ.ศ. 2568"),
    ("ค.ศ. 2025", 2568, "ค.ศ. 2025"),
    ("report2568.pdf", 2568, "2568"),
    ("/samphanthawong/ITA/2568/O5/", 2568, "2568"),
    ("สรุปผลการดำเนินงานเรื่องร้องเรียน ปี67.pdf", 2567, "ปี67"),
    ("ITA-O5-๒๕๖๘.pdf", 2568, "๒๕๖๘"),
])
def test_years(text, year, matched):
    hit = only(text)
    assert (hit.kind, hit.fiscal_year, hit.match) == ("year", year, matched)
    assert hit.start is hit.end is None
    assert hit.confidence < 1.0


def test_explicit_fiscal_year_is_surer_than_a_bare_year():
    explicit, annual, bare = (only(t) for t in ("ปีงบประมาณ 2568", "ประจำปี 2568", "file2568.pdf"))
    assert explicit.confidence == 1.0 > annual.confidence > bare.confidence


def test_plan_years_are_two_years():
    assert [(h.kind, h.fiscal_year) for h in find_dates("แผนพัฒนา 2556-2558")] == [
        ("year", 2556), ("year", 2558)]


@pytest.mark.parametrize("month", MONTHS, ids=lambda m: m.abbreviation)
def test_month_table(month):
    spellings = [*month.thai, month.abbreviation, month.abbreviation.replace(".", ""),
                 month.abbreviation.rstrip("."), month.abbreviation.replace(".", ". ", 1),
                 *month.english, month.english[0].upper(), month.english[-1].title()]
    for spelling in spellings:
        hit = only(f"1 {spelling} 2568")
        assert (hit.kind, hit.start) == ("day", D(2025, month.number, 1)), spelling


def test_fiscal_year_boundary():
    assert fiscal_year_of(D(2024, 9, 30)) == 2567
    assert fiscal_year_of(D(2024, 10, 1)) == 2568
    assert fiscal_year_of(D(2025, 9, 30)) == 2568
    assert fiscal_year_bounds(2568) == (D(2024, 10, 1), D(2025, 9, 30))
    assert only("30 กันยายน 2567").fiscal_year == 2567
    assert only("1 ตุลาคม 2567").fiscal_year == 2568


def test_range_over_two_fiscal_years_has_no_fiscal_year_but_keeps_its_ends():
    hit = only("1 กันยายน 2567 - 31 ตุลาคม 2567")
    assert (hit.kind, hit.fiscal_year, hit.start, hit.end) == (
        "range", None, D(2024, 9, 1), D(2024, 10, 31))


def test_thai_and_mixed_digits():
    assert only("๑๓ พฤศจิกายน 256๒").start == D(2019, 11, 13)
    assert only("ปีงบประมาณ พ.ศ.25๖๒").fiscal_year == 2562


def test_dates_in_text_split_by_pdf_defects_are_found_after_normalising():
    assert only("ประจ าปีงบประมาณ พ.ศ.๒๕๖๘").fiscal_year == 2568      # "ส านัก" defect
    assert only("ประจ าป\uf702\nงบประมาณ พ.ศ. ๒๕๖๔").fiscal_year == 2564   # PUA glyph, line break
    assert only("30 กันยายน\n2567").start == D(2024, 9, 30)


@pytest.mark.parametrize("text", [
    "โทร. 02-234-5678 หรือ 0-2568-1234 แฟกซ์ 02 256 8000",   # phone numbers
    "งบประมาณ 1,250,000 บาท ราคากลาง 2,568.50 บาท",             # amounts
    "ค่าใช้จ่าย 2568 บาท จำนวน 2560 ราย",                        # amounts that look like years
    "หน้า 12 จาก 25 ข้อ 5.2.3 เวลา 16.30 น.",                    # page, section, time numbers
    "ระยะเวลา 3 ปี 60 วัน",                                       # a duration
    "แบบ ก.พ. 7 และ อ.ก.พ. สามัญ",                               # abbreviations that are no months
    "29 กุมภาพันธ์ 2568 และ 31/04/2567",                          # days that do not exist
    "ปีงบประมาณ 2300 ค.ศ. 1800",                                  # implausible years
    "เดือนมีนาคม",                                                 # a month without a year
    "ISO 9001:2015 เลขที่ 12345678",
])
def test_no_invented_dates(text):
    assert find_dates(normalize(text)) == []


def test_hits_come_in_text_order_and_are_frozen():
    hits = find_dates("ประกาศ ณ วันที่ 2 ธันวาคม 2563 ประจำปีงบประมาณ 2564 ไฟล์ 2565.pdf")
    assert [h.kind for h in hits] == ["day", "fiscal_year", "year"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hits[0].kind = "month"


def test_months_covered():
    hits = find_dates("ต.ค. 67 - มี.ค. 68, 15 กรกฎาคม 2568, สิงหาคม 2568, ปีงบประมาณ 2569, พ.ศ. 2570")
    assert months_covered(hits) == {(2024, 10), (2024, 11), (2024, 12), (2025, 1), (2025, 2),
                                    (2025, 3), (2025, 7), (2025, 8)}
    assert months_covered([]) == set()


def test_real_document_fiscal_year():
    path = REAL_DOCS / "sompawn__nysso/upload/ITA/EB1/1.2.pdf"
    if not path.is_file():
        pytest.skip(f"real documents not found at {REAL_DOCS} (shared/ sits beside the repository)")
    pypdfium2 = pytest.importorskip("pypdfium2")
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        text = normalize("\n".join(page.get_textpage().get_text_range() for page in pdf))
    finally:
        pdf.close()
    hits = find_dates(text)
    fiscal = [h for h in hits if h.kind == "fiscal_year"]
    assert fiscal and {h.fiscal_year for h in fiscal} >= {2562}
    assert any(h.match.startswith("ปีงบประมาณ พ.ศ.๒๕๖๒") for h in fiscal)   # the title's own words


def _full_pass(text: str) -> list[str]:
    from crawler.text import dates
    return [match.group() for match in dates._CANDIDATE.finditer(text)]


@pytest.mark.parametrize("text", [
    "ปีงบประมาณ" + " " * 100 + "2568",                                    # long whitespace runs
    "ประจำปี" + "\n" * 50 + "พ.ศ." + " " * 60 + "2567 " + " " * 80 + "บาท",
    "1 -" + " " * 70 + "31 ตุลาคม" + " " * 90 + "2567 และ ม.ค. - มิ.ย. ๒๕๖๘",
    "ณ วันที่ 25 เดือน      มิถุนายน    พ.ศ.   2567 ระยะเวลา 3 ปี 60 วัน",
    "โทร 0-2568-1234 งบ 2,567,000 บาท " + "ข้อความ " * 40 + "September 30, 2024 SEPT. 2024",
    "x" * 500 + "30/9/67" + "ก" * 500 + "2024-09-30",
    "วันที่ 1" + "  ก" * 20 + " ตุลาคม 2567",                            # 20 letters between triggers
    "วันที่ 1" + "  ก" * 21 + " ตุลาคม 2567 " + "ข" * 70 + " 2568",         # 21, then one long word
])
def test_prefilter_keeps_every_candidate(text):
    """Only windows around digits and month-like words are searched: they must find what a pass
    over the whole text finds, wherever the candidates sit."""
    assert [hit.match for hit in find_dates(text)] == [hit.match for hit in _reference_hits(text)]
    from crawler.text import dates
    windowed = [m.group() for b, e in dates._windows(text) for m in dates._CANDIDATE.finditer(text, b, e)]
    assert windowed == _full_pass(text) and windowed


def _reference_hits(text: str) -> list[DateHit]:
    from unittest import mock

    from crawler.text import dates
    with mock.patch.object(dates, "_windows", lambda t: [(0, len(t))]):
        return find_dates(text)


# -- times and fiscal years as people read and type them --------------------------------------------

def test_times_are_shown_on_the_bangkok_clock_in_buddhist_era():
    from crawler.text.dates import bangkok_datetime_th
    assert bangkok_datetime_th("2026-12-04T06:54:00+00:00") == "4 ธ.ค. 2569 13:54"
    assert bangkok_datetime_th("2026-12-31T20:00:00Z") == "1 ม.ค. 2570 03:00"            # the next day in Bangkok
    assert bangkok_datetime_th("2024-06-30T09:15:00+07:00") == "30 มิ.ย. 2567 09:15"
    assert bangkok_datetime_th("2026-12-04T06:54:00+00:00", clock=False) == "4 ธ.ค. 2569"
    assert bangkok_datetime_th("2024-06-30") == "30 มิ.ย. 2567"
    assert bangkok_datetime_th("last week") == "last week" and bangkok_datetime_th(None) == ""


@pytest.mark.parametrize("typed, year, noted", [
    ("2567", 2567, False), ("๒๕๖๘", 2568, False), ("พ.ศ. 2567", 2567, False), ("ปีงบประมาณ ๒๕๖๗", 2567, False),
    (" 2568 ", 2568, False), ("2024", 2567, True),
])
def test_fiscal_years_typed_in_the_usual_ways(typed, year, noted):
    from crawler.text.dates import parse_fiscal_year
    parsed = parse_fiscal_year(typed)
    assert parsed.year == year and bool(parsed.note) == noted
    if noted:
        assert "ค.ศ." in parsed.note and "2567" in parsed.note


@pytest.mark.parametrize("typed, says", [
    ("67", "หมายถึง 2567 ใช่ไหม"), ("๖๘", "หมายถึง 2568 ใช่ไหม"), ("567", "did you mean 2567?"),
    ("abc", "not a year"), ("3000", "not a plausible Buddhist Era fiscal year"), ("12", "not a plausible"),
    ("1850", "not a plausible"),
])
def test_short_or_impossible_fiscal_years_are_refused_with_the_likely_one(typed, says):
    from crawler.text.dates import parse_fiscal_year
    with pytest.raises(ValueError, match=says):
        parse_fiscal_year(typed)


def test_a_date_repeated_across_texts_is_placed_where_each_text_has_it():
    """The same menu or footer text on many pages (its reading remembered) is found at its own place
    in each text, a range and a single date alike, and reads the same near and far from the start and
    inside a long run of figures (read, not remembered)."""
    footer = "ปรับปรุงล่าสุด 1 ตุลาคม 2566 ถึง 30 กันยายน 2567 ประกาศ ณ วันที่ 5 มีนาคม 2567"
    figures = " ".join(str(n) for n in range(1000, 1100))           # one window of 500 characters
    alone = find_dates(footer)
    expected = [(hit.kind, hit.start, hit.end, hit.match) for hit in alone]
    assert [kind for kind, *_ in expected] == ["range", "day"] and alone[0].position == footer.index("1 ต")
    for before in ("", "ก", "หน้าแรก " * 40, figures + " "):
        for copies in (1, 2):
            text = before + " ".join([footer] * copies)
            hits = [hit for hit in find_dates(text) if hit.kind in ("range", "day")]
            assert [(h.kind, h.start, h.end, h.match) for h in hits] == expected * copies
            starts = [len(before) + copy * (len(footer) + 1) for copy in range(copies)]
            assert [h.position for h in hits] == [start + hit.position for start in starts for hit in alone]


def test_near_triggers_are_judged_as_by_counting_the_whole_gap():
    """Whether a gap between two triggers holds at most N non-space characters is read only until it
    holds more: the answer is the one a count of the whole gap gives, for gaps of any shape."""
    from crawler.text import dates
    rng = random.Random(2567)
    alphabet = ["ก", "ข", "1", " ", "  ", "\n", "\u00a0", "\u3000", "x" * 40, "ประจำปี"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        begin = rng.randint(0, len(text))
        end = rng.randint(begin, len(text))
        most = rng.choice([0, 1, 20, 33])
        assert dates._few_non_space(text, begin, end, most) == (dates._non_space(text, begin, end) <= most), \
            (text, begin, end, most)
