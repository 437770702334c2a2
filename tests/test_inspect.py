"""`oit inspect` on real Thai documents (../shared/real-docs), a generated O9 spreadsheet, a URL served on
127.0.0.1, and bad input: what a staff member sees before uploading a file."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from crawler.audit.checklist import load_checklist
from crawler.cli import main
from crawler.extraction import ocr
from crawler.kit.inspect import inspect_target, print_inspection
from crawler.text.thai import thai_ratio

ROOT = Path(__file__).resolve().parents[1]
REAL_DOCS = ROOT.parent / "shared" / "real-docs"
SCAN = REAL_DOCS / "narinchulatat__itanew/uploads/moit 5.1 บันทึกเสนอ.pdf"
SPLIT_SARA_AM = REAL_DOCS / "sompawn__nysso/upload/ITA/EB1/1.7.pdf"          # split sara am + PUA glyphs
GARBAGE = REAL_DOCS / "yongyot__saiyoidenchai/images/file/คำแนะนำการชำระภาษี-แผ่นพับ.pdf"
XLS = REAL_DOCS / "yongyot__saiyoidenchai/images/file/ปรับปรุงใหม่ แผนพัฒนา 2556-2558 .xls"
DOC = REAL_DOCS / "yongyot__saiyoidenchai/images/file/ประกาศแผนพัฒนา.doc"
needs_real_docs = pytest.mark.skipif(not (REAL_DOCS / "MANIFEST.tsv").exists(),
                                     reason=f"real documents not found at {REAL_DOCS}")

SPLIT = re.compile("[\u0e01-\u0e2e][ \u00a0][\u0e48-\u0e4b]?\u0e32")     # "ส านัก"
PUA = re.compile("[\uf700-\uf71a]")
FY, AS_OF = "2567", "2024-06-30"


def inspect_json(capsys, *args) -> dict:
    assert main(["inspect", *map(str, args), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def inspect_text(capsys, *args) -> str:
    assert main(["inspect", *map(str, args)]) == 0
    return capsys.readouterr().out


def inspect_once(path: Path, **kw) -> tuple[dict, str]:
    """The JSON-ready result and the human text of one inspection (OCR'd files are read only once)."""
    kw.setdefault("checklist", load_checklist(f"bma-district-{kw.get('fiscal_year') or 2568}"))
    result = inspect_target(str(path), **kw)
    out = io.StringIO()
    print_inspection(result, out)
    json.dumps(result, ensure_ascii=False)           # what --json prints must serialise
    return result, out.getvalue()


def element(result: dict, item: str, element_id: str) -> dict:
    found = [e for e in result["elements"] if e["item"] == item and e["element"] == element_id]
    assert found, f"{item}/{element_id} not reported: {[(e['item'], e['element']) for e in result['elements']]}"
    return found[0]


# -- real documents -----------------------------------------------------------------------------------

@needs_real_docs
def test_scan_is_reported_as_a_scan_and_read_as_the_crawl_would():
    result, out = inspect_once(SCAN)
    assert (result["format"], result["text_layer"], result["pages"]) == ("pdf", "scan", 1)
    assert "ภาพสแกน" in out and "scan" in out
    engine, _why = ocr.engine_status(ocr.OcrSettings())
    if engine is None:                        # no Tesseract: the staff member is told a person must look
        assert result["ocr"] is None and "ตรวจด้วยตา" in out
    else:                                     # OCR'd like a crawl would: Thai text, years in Thai digits unsure
        assert result["ocr"]["engine"].startswith("tesseract") and thai_ratio(result["excerpt"]) > 0.5
        assert "อ่านด้วย OCR" in out and not PUA.search(result["excerpt"])
        thai_digit_dates = [d for d in result["dates"] if re.search("[๐-๙]", d["match"])]
        assert thai_digit_dates and all(d["confidence"] < 0.5 for d in thai_digit_dates)


@needs_real_docs
def test_split_sara_am_pdf_gives_clean_thai(capsys):
    import pypdfium2
    pdf = pypdfium2.PdfDocument(str(SPLIT_SARA_AM))
    raw = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert SPLIT.search(raw) and PUA.search(raw)          # the file really has both defects

    result = inspect_json(capsys, SPLIT_SARA_AM)
    assert result["text_layer"] == "text" and result["language"] == "th"
    excerpt = result["excerpt"]
    assert "สำนักงานปลัดกระทรวงสาธารณสุข" in excerpt
    assert not SPLIT.search(excerpt) and not PUA.search(excerpt)
    out = inspect_text(capsys, SPLIT_SARA_AM)
    assert "สำนักงานปลัดกระทรวงสาธารณสุข" in out and not SPLIT.search(out) and not PUA.search(out)


@needs_real_docs
def test_garbage_text_layer_is_named():
    result, out = inspect_once(GARBAGE)
    assert result["text_layer"] == "garbage" and "ชั้นข้อความเสีย" in out


@needs_real_docs
def test_xls_tables_dates_and_excerpt(capsys):
    result = inspect_json(capsys, XLS)
    assert (result["format"], result["format_family"], result["text_layer"]) == ("xls", "office", "text")
    assert "แผนพัฒนาสามปี" in result["excerpt"] and not SPLIT.search(result["excerpt"])
    assert result["tables"]["count"] >= 1 and result["tables"]["shown"][0]["first_rows"]
    assert {"2556", "2558"} <= set(result["fiscal_years"])
    assert "filename" in result["fiscal_years"]["2558"]          # "... 2556-2558 .xls"
    out = inspect_text(capsys, XLS)
    assert "ตาราง / Tables: 2" in out and "Excel (.xls)" in out


@needs_real_docs
def test_doc_text_and_where_dates_were_found(capsys):
    result = inspect_json(capsys, DOC)
    assert (result["format"], result["text_layer"]) == ("doc", "text")
    assert result["excerpt"].startswith("ประกาศองค์การบริหารส่วนตำบลไทรย้อย")
    days = [d for d in result["dates"] if d["kind"] == "day" and d["source"] == "text"]
    assert any(d["start"] == "2012-06-22" for d in days), days          # "เมื่อวันที่ 22 มิถุนายน 2555"
    out = inspect_text(capsys, DOC)
    assert "Word (.doc)" in out and "ใน/in เนื้อหา/text" in out


# -- what an O9 spreadsheet would satisfy -------------------------------------------------------------

@pytest.fixture(scope="module")
def tax_xlsx(tmp_path_factory) -> Path:
    from sitegen.documents import DocContent, DocTable, Heading, xlsx
    rows = [["ตุลาคม 2566", "1,200,000.00", "35,000.00", "300.00", "1,235,300.00"],
            ["พฤศจิกายน 2566", "980,000.00", "41,000.00", "200.00", "1,021,200.00"]]
    content = DocContent(
        title="สถิติการจัดเก็บภาษี ประจำปีงบประมาณ พ.ศ. 2567 สำนักงานเขตสัมพันธวงศ์",
        blocks=[Heading("สถิติการจัดเก็บภาษี ประจำปีงบประมาณ พ.ศ. 2567", center=True),
                DocTable(["เดือน", "ภาษีที่ดินและสิ่งปลูกสร้าง (บาท)", "ภาษีป้าย (บาท)", "อากรการฆ่าสัตว์ (บาท)",
                          "รวม (บาท)"], rows, title="สถิติภาษี 2567")],
        issued=date(2024, 5, 7))
    path = tmp_path_factory.mktemp("inspect") / "สถิติภาษี-2567.xlsx"
    path.write_bytes(xlsx(content).body)
    return path


def test_o9_spreadsheet_satisfies_the_office_half(capsys, tax_xlsx):
    result = inspect_json(capsys, tax_xlsx, "--fiscal-year", FY, "--as-of", AS_OF, "--checklist", "bma-district-2567")
    assert (result["format"], result["format_family"]) == ("xlsx", "office")
    assert result["fiscal_year_read"]["fiscal_year"] == 2567
    o9 = element(result, "O9", "tax_stats")
    assert o9["verdict"] == "part" and o9["satisfies_part"] == "office"
    assert o9["reason"] == "wrong_format" and o9["formats_all"] == ["pdf", "office"]
    assert o9["matched_phrase"] == "สถิติการจัดเก็บภาษี" and o9["matched_in"] == "title"
    assert o9["time_window"]["ok"] is True
    out = inspect_text(capsys, tax_xlsx, "--fiscal-year", FY, "--as-of", AS_OF, "--checklist", "bma-district-2567")
    line = next(l for l in out.splitlines() if "O9" in l and "tax_stats" in l)
    assert "ใช้ได้บางส่วน" in line
    assert "ได้ส่วน Excel/Word" in out and "PDF เพิ่มด้วย" in out


def test_o9_spreadsheet_of_another_year_fails_the_window(capsys, tax_xlsx):
    result = inspect_json(capsys, tax_xlsx, "--fiscal-year", "2568", "--as-of", "2025-06-30",
                          "--checklist", "bma-district-2568")
    o9 = element(result, "O9", "tax_stats")
    assert o9["verdict"] == "fails" and o9["reason"] == "wrong_year"
    assert o9["time_window"]["ok"] is False and "2567" in o9["time_window"]["detail"]


def test_without_fiscal_year_the_window_is_not_judged(capsys, tax_xlsx):
    result = inspect_json(capsys, tax_xlsx)
    o9 = element(result, "O9", "tax_stats")
    assert o9["verdict"] == "part" and o9["time_window"]["ok"] is None
    assert "--fiscal-year" in inspect_text(capsys, tax_xlsx)


# -- a URL ----------------------------------------------------------------------------------------------

def test_url_on_loopback(capsys, site_server):
    server = site_server("samphanthawong_2567")
    manifest = server.site.manifest
    pdf = next(d for d in manifest.documents.values() if d.item == "O9" and d.fiscal_year == 2567)
    result = inspect_json(capsys, server.url_for(pdf.path), "--fiscal-year", FY, "--as-of", AS_OF)
    assert result["source"] == "url" and result["filename"] == pdf.filename
    o9 = element(result, "O9", "tax_stats")
    assert o9["verdict"] == "part" and o9["satisfies_part"] == "pdf"

    page = next(p for p in manifest.pages.values() if "O9" in p.items)
    out = inspect_text(capsys, server.url_for(page.path), "--fiscal-year", FY, "--as-of", AS_OF)
    assert "หน้าเว็บ/web page (HTML)" in out
    assert "ข้อมูลสถิติการจัดเก็บภาษีของฝ่ายรายได้" in out          # the page's own text, not its menu
    assert "สถิติภาษี 2567.pdf" in out                               # the linked document, decoded

    assert main(["inspect", server.url_for(manifest.prefix + "no-such-file.pdf")]) == 2
    message, hint = capsys.readouterr().err.strip().splitlines()       # what is wrong, then what to do
    assert "HTTP 404" in message and "เบราว์เซอร์" in hint


# -- bad input ------------------------------------------------------------------------------------------

def test_bad_input_gives_one_line_and_exit_2(capsys, tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    for target, words in ((tmp_path / "missing.pdf", "ไม่พบไฟล์"), (tmp_path, "โฟลเดอร์"), (empty, "ว่างเปล่า"),
                          ("ftp://example.org/x.pdf", "ไม่ใช่ที่อยู่เว็บ")):
        assert main(["inspect", str(target)]) == 2, target
        err = capsys.readouterr().err.strip()
        message, hint = err.splitlines()       # what is wrong, then what to do
        assert words in message and message.startswith("oit: ") and hint.startswith("oit: คำแนะนำ / hint: ")


def test_corrupt_pdf_is_reported_not_raised(capsys, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage")
    result = inspect_json(capsys, broken)
    assert result["status"] == "corrupt" and result["text_layer"] == "corrupt" and result["error"]
    assert "ไฟล์เสีย" in inspect_text(capsys, broken)


def test_command_line_has_no_traceback(tmp_path):
    oit = "import sys; from crawler.cli import main; sys.exit(main())"      # what the `oit` script runs
    done = subprocess.run([sys.executable, "-c", oit, "inspect", str(tmp_path / "nothing.docx")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    message, hint = done.stderr.splitlines()          # what is wrong, then what to do; nothing else
    assert "Traceback" not in done.stderr and "ไม่พบไฟล์" in message and "คำแนะนำ / hint" in hint
