"""crawler.extraction on files generated here: PDF (text, table, scan, mixed, garbage, encrypted,
corrupt), XLSX, DOCX, ODS, ODT, CSV, HTML (charsets, links, tables, hostile markup), images, junk."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from crawler.extraction import Extraction, Link, Table, extract, sniff_format
from crawler.extraction.html import decode_html
from crawler.extraction.pdf import extract_pdf
from crawler.text.thai import normalize

FONT = "/usr/share/fonts/truetype/tlwg/Laksaman.ttf"
needs_font = pytest.mark.skipif(not os.path.exists(FONT), reason="fonts-thai-tlwg not installed")

BODY = ("รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2567\n"
        "สำนักงานเขตสัมพันธวงศ์ ได้ดำเนินการตามคำสั่งที่ ๑๒๓/๒๕๖๗ จำนวน ๕ โครงการ\n"
        "ผู้ใหญ่บ้าน น้ำท่วม กิ่งไม้ ปู่ย่า")


def _no_exception(result: Extraction) -> Extraction:
    assert isinstance(result, Extraction)
    return result


# -- PDF builders ----------------------------------------------------------------------------------------

def _fpdf(shaping: bool = False):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_font("Laksaman", "", FONT)
    pdf.add_font("Laksaman", "B", FONT.replace(".ttf", "-Bold.ttf"))   # table headings are bold
    pdf.set_font("Laksaman", size=16)
    if shaping:
        pdf.set_text_shaping(True)
    return pdf


def _text_pdf(lines: str = BODY, title: str | None = None, shaping: bool = False) -> bytes:
    pdf = _fpdf(shaping)
    if title:
        pdf.set_title(title)
    pdf.add_page()
    pdf.multi_cell(0, 10, lines)
    return bytes(pdf.output())


def _png(text: str, size=(1240, 400)) -> bytes:
    from PIL import Image, ImageDraw, ImageFont
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 120), text, fill="black", font=ImageFont.truetype(FONT, 64))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _image_page(pdf, png: bytes) -> None:
    pdf.add_page()
    pdf.image(io.BytesIO(png), x=10, y=10, w=190)


# -- PDF ------------------------------------------------------------------------------------------------------

@needs_font
def test_thai_pdf_text_title_language():
    body = _text_pdf(title="รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2567")
    result = extract(body, content_type="application/pdf", filename="report.pdf")
    assert result.error is None
    assert (result.format, result.extractor, result.text_layer, result.language) == ("pdf", "pypdfium2", "text", "th")
    assert result.pages == 1
    assert result.title == "รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2567"
    assert " ".join(result.text.split()) == " ".join(BODY.split())
    assert result.tables == []            # no table words: pdfplumber stays off the hot path


@needs_font
def test_stale_metadata_title_is_not_used():
    body = _text_pdf(title="คำสั่งสำนักงานเขตพื้นที่การศึกษา (แม่แบบเก่า)")
    assert extract(body).title == "รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2567"


@needs_font
def test_shaped_thai_pdf_keeps_plain_words():
    # fpdf2's HarfBuzz shaping writes a lossy ToUnicode map for positional mark glyphs (like many
    # real producers): stacked marks may be lost, but nothing crashes and plain words survive.
    result = extract(_text_pdf(shaping=True))
    assert result.text_layer == "text" and result.error is None
    for word in ("สำนักงานเขตสัมพันธวงศ์", "ดำเนินการ", "ประจำปีงบประมาณ", "จำนวน"):
        assert word in result.text
    assert not any(0xF700 <= ord(c) <= 0xF8FF or ord(c) < 0x09 for c in result.text)


@needs_font
def test_pdf_table_rows_from_grid_filled_with_pdfium_chars():
    pdf = _fpdf()
    pdf.add_page()
    pdf.multi_cell(0, 10, "สรุปผลการจัดซื้อจัดจ้าง ประจำเดือน ตุลาคม 2566")
    rows = [["ลำดับ", "งานที่จัดซื้อจัดจ้าง", "วงเงิน (บาท)", "วิธีซื้อ"],
            ["1", "จัดซื้อวัสดุสำนักงาน", "12,500", "เฉพาะเจาะจง"],
            ["2", "จ้างซ่อมแซมเครื่องปรับอากาศ", "8,000", "เฉพาะเจาะจง"],
            ["3", "จัดซื้อน้ำดื่ม", "1,250", "เฉพาะเจาะจง"]]
    with pdf.table() as table:
        for row in rows:
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    body = bytes(pdf.output())
    result = extract(body, filename="สขร1-ตค66.pdf")
    assert result.text_layer == "text"
    assert len(result.tables) == 1
    assert result.tables[0].where == "page 1"
    assert result.tables[0].rows == rows
    # The hint may come from the first page alone, or be forced / refused by the caller.
    assert extract(body, filename="x.pdf").tables[0].rows == rows
    assert extract_pdf(body, want_tables=False).tables == []


@needs_font
def test_table_only_when_asked_or_hinted():
    pdf = _fpdf()
    pdf.add_page()
    pdf.multi_cell(0, 10, "บันทึกข้อความ")
    with pdf.table() as table:
        for row in (["ก", "ข"], ["1", "2"]):
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    body = bytes(pdf.output())
    assert extract(body, filename="memo.pdf").tables == []
    assert extract_pdf(body, want_tables=True).tables[0].rows == [["ก", "ข"], ["1", "2"]]


@needs_font
def test_reading_tables_again_and_again_does_not_grow_memory():
    """pdfplumber's close() misses the pages used (its issue #1339): each kept memory for good, ~1 MB
    a read of this 3-page table here, ~3 MB a document of the bench site, in a long-lived worker."""
    code = textwrap.dedent("""
        import sys
        sys.path.insert(0, "tests")
        from crawler.extraction.pdf import extract_pdf
        from test_extraction import _fpdf
        def rss():
            return int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
        pdf = _fpdf()
        for n in range(3):
            pdf.add_page()
            with pdf.table() as table:
                for r in range(40):
                    cells = table.row()
                    for cell in (f"รายการที่ {r}", f"{r * 1000:,} บาท", "ประกาศ"):
                        cells.cell(cell)
        body = bytes(pdf.output())
        assert len(extract_pdf(body, want_tables=True).tables) >= 3
        before = rss()
        for _ in range(20):
            extract_pdf(body, want_tables=True)
        print(rss() - before)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < 5.0, f"memory grew {float(done.stdout):.1f} MB over 20 reads"


@needs_font
def test_scanned_pdf_is_scan():
    pdf = _fpdf()
    _image_page(pdf, _png("ประกาศสำนักงานเขตสัมพันธวงศ์"))
    result = extract(bytes(pdf.output()), filename="ประกาศ.pdf")
    assert (result.format, result.text_layer, result.text, result.pages) == ("pdf", "scan", "", 1)
    assert result.language == "" and result.error is None


@needs_font
def test_mixed_pdf_lists_scan_pages():
    pdf = _fpdf()
    pdf.add_page()
    pdf.multi_cell(0, 10, BODY)
    _image_page(pdf, _png("หน้าสแกน"))
    pdf.add_page()
    pdf.multi_cell(0, 10, BODY)
    _image_page(pdf, _png("หน้าสแกนอีกหน้า"))
    result = extract(bytes(pdf.output()))
    assert result.text_layer == "text" and result.pages == 4
    assert "scan_pages: 2,4" in result.warnings


def test_blank_pdf_is_empty():
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    result = extract(bytes(pdf.output()))
    assert (result.text_layer, result.text, result.error) == ("empty", "", None)


@needs_font
def test_latin_ocr_debris_over_scan_is_garbage():
    from fpdf import FPDF
    debris = ("EEjB fri Ed)=+ hro -5 El F 'la -- it -aJ -b.-aFr t -t?r13 -q,-arE) G, l- b. "
              "-aE) raJ F rE al, a$ >a-) t-E dl F rti G, FI .E h 5Cr -hrE rE-fa I.EF. ln FI ?a")
    pdf = FPDF()
    for _ in range(2):
        _image_page(pdf, _png("คำแนะนำการชำระภาษี"))
        pdf.set_font("helvetica", size=8)
        pdf.set_xy(10, 150)
        pdf.multi_cell(0, 5, debris)
    result = extract(bytes(pdf.output()), filename="คำแนะนำการชำระภาษี-แผ่นพับ.pdf")
    assert result.text_layer == "garbage"
    assert result.title == "" and result.language == ""


@needs_font
def test_encrypted_pdf_empty_password_and_real_password():
    from fpdf import FPDF

    def encrypted(user_password: str) -> bytes:
        pdf = FPDF()
        pdf.add_font("Laksaman", "", FONT)
        pdf.add_page()
        pdf.set_font("Laksaman", size=16)
        pdf.cell(text="ประกาศสำนักงานเขต")
        pdf.set_encryption(owner_password="owner", user_password=user_password)
        return bytes(pdf.output())

    assert extract(encrypted("")).text == "ประกาศสำนักงานเขต"
    locked = extract(encrypted("secret"))
    assert locked.format == "pdf" and "password" in locked.error


@needs_font
@pytest.mark.parametrize("cut", [9, 100, 0.5, -200])
def test_truncated_pdf_is_an_error_not_an_exception(cut):
    body = _text_pdf()
    end = int(len(body) * cut) if isinstance(cut, float) else cut
    result = _no_exception(extract(body[:end], filename="broken.pdf"))
    assert result.format == "pdf"
    assert result.error


# -- spreadsheets, Word, OpenDocument, CSV ------------------------------------------------------------------

def test_xlsx_one_table_per_sheet(tmp_path):
    import datetime

    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "ตุลาคม 2566"
    sheet.append(["ลำดับ", "งานที่จัดซื้อจัดจ้าง", "วงเงินงบประมาณ (บาท)", "วันที่"])
    sheet.append([1, "จัดซื้อวัสดุสำนักงาน", 12500, datetime.date(2023, 10, 5)])
    sheet.append([2, "จ้างเหมาทำความสะอาด", 1234.5, None])
    other = book.create_sheet("สถิติ")
    other.append(["ไตรมาส", "เรื่องร้องเรียน"])
    other.append(["1", 3])
    path = tmp_path / "สขร.xlsx"
    book.save(path)
    result = extract(path.read_bytes(), filename=path.name)
    assert (result.format, result.extractor, result.text_layer, result.language) == ("xlsx", "calamine", "text", "th")
    assert result.tables == [
        Table("sheet ตุลาคม 2566", [["ลำดับ", "งานที่จัดซื้อจัดจ้าง", "วงเงินงบประมาณ (บาท)", "วันที่"],
                                    ["1", "จัดซื้อวัสดุสำนักงาน", "12500", "2023-10-05"],
                                    ["2", "จ้างเหมาทำความสะอาด", "1234.5"]]),
        Table("sheet สถิติ", [["ไตรมาส", "เรื่องร้องเรียน"], ["1", "3"]]),
    ]
    assert "ตุลาคม 2566" in result.text and "จ้างเหมาทำความสะอาด" in result.text
    assert result.title == "ลำดับ"


def test_docx_paragraphs_and_tables(tmp_path):
    from docx import Document
    document = Document()
    document.core_properties.title = "ประกาศสำนักงานเขตสัมพันธวงศ์"
    document.add_heading("ประกาศสำนักงานเขตสัมพันธวงศ์", level=1)
    document.add_paragraph("เรื่อง นโยบายไม่รับของขวัญ (No Gift Policy) ประจำปีงบประมาณ พ.ศ. 2567")
    table = document.add_table(rows=3, cols=3)
    values = [["ลำดับ", "ชื่อ-สกุล", "ตำแหน่ง"], ["1", "นายสมชาย ใจดี", "ผู้อำนวยการเขต"], ["2", "", ""]]
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merged = table.cell(2, 1).merge(table.cell(2, 2))
    merged.text = "ว่าง"
    document.add_paragraph("ประกาศ ณ วันที่ ๑ ตุลาคม ๒๕๖๖")
    path = tmp_path / "ประกาศ.docx"
    document.save(path)
    result = extract(path.read_bytes(), filename=path.name)
    assert (result.format, result.extractor, result.text_layer) == ("docx", "lxml", "text")
    assert result.title == "ประกาศสำนักงานเขตสัมพันธวงศ์ เรื่อง นโยบายไม่รับของขวัญ (No Gift Policy) ประจำปีงบประมาณ พ.ศ. 2567"
    assert result.tables == [Table("table 1", [values[0], values[1], ["2", "ว่าง"]])]
    lines = result.text.splitlines()
    assert lines[0] == "ประกาศสำนักงานเขตสัมพันธวงศ์"
    assert "นายสมชาย ใจดี" in result.text
    assert lines[-1] == "ประกาศ ณ วันที่ ๑ ตุลาคม ๒๕๖๖"


def test_docx_header_merged_cells_and_expansion_cap(tmp_path, monkeypatch):
    """Read from the XML as python-docx read it: the first section's header, a vertically merged
    cell repeated in each row it covers, line breaks and tabs; the parts read are capped by the
    bytes they expand to, whatever sizes the zip declares."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    from crawler.extraction import office
    document = Document()
    document.sections[0].header.paragraphs[0].text = "สำนักงานเขตสัมพันธวงศ์"
    run = document.add_paragraph("รายงาน").add_run(" ผล")
    run.add_break(WD_BREAK.LINE)
    run.add_text("ไตรมาส\t2")
    table = document.add_table(rows=3, cols=2)
    for r, row in enumerate([["งาน", "งบ"], ["ก่อสร้าง", "100"], ["", "200"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(2, 0))
    path = tmp_path / "รายงาน.docx"
    document.save(path)
    result = extract(path.read_bytes(), filename=path.name)
    assert result.error is None
    assert result.text.splitlines()[:3] == ["สำนักงานเขตสัมพันธวงศ์", "รายงาน ผล", "ไตรมาส 2"]
    assert result.tables[0].rows == [["งาน", "งบ"], ["ก่อสร้าง", "100"], ["ก่อสร้าง", "200"]]
    monkeypatch.setattr(office, "MAX_DOCX_XML_BYTES", 2000)
    capped = extract(path.read_bytes(), filename=path.name)
    assert capped.error and "expand beyond 2000 bytes" in capped.error and not capped.text


def test_ods_via_calamine(tmp_path):
    import pandas as pd
    path = tmp_path / "stats.ods"
    frame = pd.DataFrame([["มกราคม", 12], ["กุมภาพันธ์", 7]], columns=["เดือน", "จำนวนผู้รับบริการ"])
    frame.to_excel(path, engine="odf", sheet_name="สถิติการให้บริการ", index=False)
    result = extract(path.read_bytes(), filename="stats.ods")
    assert result.format == "ods" and result.error is None
    assert result.tables == [Table("sheet สถิติการให้บริการ",
                                   [["เดือน", "จำนวนผู้รับบริการ"], ["มกราคม", "12"], ["กุมภาพันธ์", "7"]])]


def test_odt_text_and_table(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.table import Table as OdfTable, TableCell, TableColumn, TableRow
    from odf.text import H, P
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="คู่มือการให้บริการประชาชน"))
    document.text.addElement(P(text="สำนักงานเขตสัมพันธวงศ์ ให้บริการ วันจันทร์ ถึง วันศุกร์"))
    table = OdfTable(name="t")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for row in (["ขั้นตอน", "ระยะเวลา"], ["ยื่นคำขอ", "15 นาที"]):
        tr = TableRow()
        for value in row:
            cell = TableCell()
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    document.text.addElement(table)
    path = tmp_path / "manual.odt"
    document.save(str(path))
    result = extract(path.read_bytes(), filename=path.name)
    assert (result.format, result.extractor) == ("odt", "odfpy")
    assert result.title == "คู่มือการให้บริการประชาชน"
    assert result.text.splitlines()[:2] == ["คู่มือการให้บริการประชาชน",
                                            "สำนักงานเขตสัมพันธวงศ์ ให้บริการ วันจันทร์ ถึง วันศุกร์"]
    assert result.tables == [Table("table 1", [["ขั้นตอน", "ระยะเวลา"], ["ยื่นคำขอ", "15 นาที"]])]


CSV_ROWS = [["ลำดับ", "รายการ", "จำนวนเงิน"], ["1", "จัดซื้อวัสดุสำนักงาน", "12,500"],
            ["2", "ค่าน้ำประปา “สำนักงาน”", "900"]]
CSV_TEXT = "ลำดับ,รายการ,จำนวนเงิน\r\n1,จัดซื้อวัสดุสำนักงาน,\"12,500\"\r\n2,ค่าน้ำประปา “สำนักงาน”,900\r\n"


@pytest.mark.parametrize("encoding", ["cp874", "utf-8-sig", "utf-8"])
def test_csv_encodings(encoding):
    result = extract(CSV_TEXT.encode(encoding), filename="budget.csv")
    assert (result.format, result.extractor, result.error) == ("csv", "csv", None)
    assert result.tables == [Table("table 1", CSV_ROWS)]
    assert result.text.splitlines()[1] == "1 จัดซื้อวัสดุสำนักงาน 12,500"


def test_csv_by_content_type_and_mislabelled_latin1():
    result = extract(CSV_TEXT.encode("cp874"), content_type="text/csv; charset=ISO-8859-1")
    assert result.format == "csv" and result.tables[0].rows == CSV_ROWS


# -- HTML ----------------------------------------------------------------------------------------------------

THAI_PAGE = ("<html><head><title>ประกาศ “สำนักงานเขต” – ข่าวสาร</title></head><body>"
             "<h1>ข่าวประชาสัมพันธ์</h1><p>เรื่อง “การจัดซื้อจัดจ้าง” ประจำปี ๒๕๖๗…</p></body></html>")


def test_html_windows_874_without_charset():
    body = THAI_PAGE.encode("cp874")
    result = extract(body, content_type="text/html", url="http://127.0.0.1/x/")
    assert result.format == "html" and result.extractor == "lxml"
    assert result.title == "ประกาศ “สำนักงานเขต” – ข่าวสาร"
    assert result.text == "ข่าวประชาสัมพันธ์\nเรื่อง “การจัดซื้อจัดจ้าง” ประจำปี ๒๕๖๗…"
    assert result.warnings == []
    assert decode_html(body, None) == (THAI_PAGE, "cp874")


@pytest.mark.parametrize("label", ["ISO-8859-1", "windows-1252"])
def test_html_mislabelled_latin_is_redecoded_as_thai(label):
    body = THAI_PAGE.encode("cp874")
    result = extract(body, content_type=f"text/html; charset={label}")
    assert result.title == "ประกาศ “สำนักงานเขต” – ข่าวสาร"
    assert any("windows-874" in w for w in result.warnings)
    assert decode_html(body, label)[1] == "cp874"


def test_html_with_no_valid_utf8_character_is_read_in_its_declared_charset():
    """A Latin-1 page whose one accented byte is invalid UTF-8 is not "UTF-8 with a bad byte": its
    header's charset is used, and its link is the address a browser would request."""
    body = '<html><head><title>Caf\u00e9</title></head><body><a href="/caf\u00e9.html">Menu</a></body></html>'
    result = extract(body.encode("latin-1"), content_type="text/html; charset=iso-8859-1", url="http://127.0.0.1/")
    assert result.title == "Caf\u00e9" and result.warnings == []
    assert [link.href for link in result.links] == ["http://127.0.0.1/caf%C3%A9.html"]


def test_html_meta_charset_and_utf8_labelled_tis620():
    meta = THAI_PAGE.replace("<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=tis-620">')
    assert extract(meta.encode("cp874")).title == "ประกาศ “สำนักงานเขต” – ข่าวสาร"
    wrong = extract(THAI_PAGE.encode("utf-8"), content_type="text/html; charset=tis-620")
    assert wrong.title == "ประกาศ “สำนักงานเขต” – ข่าวสาร"
    assert any("UTF-8" in w for w in wrong.warnings)


def test_html_text_is_normalised():
    # zero-width characters, a Private Use Area tone mark, split sara am, runs of spaces
    page = "<p>ส\u200bำนักงาน เขต</p><p>ผู\uf70bใหญ่บ้าน   ส านัก\ufeff</p>".encode()
    result = extract(page, content_type="text/html")
    assert result.text == "สำนักงาน เขต\nผู้ใหญ่บ้าน สำนัก"
    assert result.text == normalize(result.text)


MENU_PAGE = """<!DOCTYPE html><html><head><title>ข้อมูลสาธารณะ | สำนักงานเขตสัมพันธวงศ์</title>
<base href="/samphanthawong/"><style>p{color:red}</style><script>var a = "ไม่แสดง";</script></head>
<body>
<div id="navbar"><ul><li><a href="index.php">หน้าหลัก</a></li><li><a href="ita.php">ITA</a></li></ul></div>
<aside><h3>เมนูด่วน</h3><a href="e-service.php">E-Service</a></aside>
<main>
<h2>การจัดซื้อจัดจ้าง</h2>
<table>
  <caption>สรุปผลการจัดซื้อจัดจ้างรายเดือน ปีงบประมาณ 2567</caption>
  <tr><th>เดือน</th><th>เอกสาร</th></tr>
  <tr><td>ตุลาคม 2566</td><td><a href="files/skr-10.pdf">ดาวน์โหลด</a></td></tr>
  <tr><td colspan="2">ไตรมาสที่ 2</td></tr>
  <tr><td>มกราคม 2567</td><td><a href="files/skr-01.pdf"><img src="pdf.png" alt="ไฟล์ PDF"></a></td></tr>
</table>
<h3>แผนการจัดซื้อจัดจ้าง</h3>
<ul>
  <li><a href="files/plan-2567.pdf">แผนการจัดซื้อจัดจ้าง ประจำปี 2567</a> (ประกาศ 1 ต.ค. 66)</li>
  <li><a href="https://drive.google.com/file/d/abc/view" title="แผนฉบับปรับปรุง"></a></li>
</ul>
<p><strong>ช่องทางติดต่อ</strong></p>
<p>อีเมล <a href="mailto:saraban.sp@bangkok.go.th">ส่งอีเมล</a> โทร <a href="tel:022345678">02-234-5678</a>
<a href="javascript:void(0)">พิมพ์</a> <a href="#top">ขึ้นบน</a></p>
<iframe src="https://www.youtube.com/embed/xyz" title="วิดีทัศน์แนะนำเขต"></iframe>
</main>
<footer class="site-footer"><p><a href="https://www.bangkok.go.th/">กรุงเทพมหานคร</a></p></footer>
</body></html>"""


def test_html_links_context_heading_nav_and_tables():
    result = extract(MENU_PAGE.encode(), content_type="text/html; charset=utf-8",
                     url="https://webportal.bangkok.go.th/samphanthawong/page.php?id=7")
    assert result.title == "ข้อมูลสาธารณะ | สำนักงานเขตสัมพันธวงศ์"
    assert result.language == "th"
    links = {link.href: link for link in result.links}
    base = "https://webportal.bangkok.go.th/samphanthawong/"
    assert links[base + "index.php"] == Link(base + "index.php", "หน้าหลัก", "หน้าหลัก", "", True)
    assert links[base + "e-service.php"].in_nav and links[base + "e-service.php"].heading == "เมนูด่วน"

    october = links[base + "files/skr-10.pdf"]
    assert (october.text, october.in_nav) == ("ดาวน์โหลด", False)
    assert october.heading == "สรุปผลการจัดซื้อจัดจ้างรายเดือน ปีงบประมาณ 2567"
    assert october.context == ("การจัดซื้อจัดจ้าง › สรุปผลการจัดซื้อจัดจ้างรายเดือน ปีงบประมาณ 2567"
                               " — ตุลาคม 2566 ดาวน์โหลด")
    january = links[base + "files/skr-01.pdf"]
    assert january.text == "ไฟล์ PDF"               # img alt
    assert january.heading == "ไตรมาสที่ 2"          # a one-cell row heads the rows below it
    assert january.context == "สรุปผลการจัดซื้อจัดจ้างรายเดือน ปีงบประมาณ 2567 › ไตรมาสที่ 2 — มกราคม 2567"

    plan = links[base + "files/plan-2567.pdf"]
    assert plan.heading == "แผนการจัดซื้อจัดจ้าง"
    # the headings above are already in the list item's text: not repeated
    assert plan.context == "แผนการจัดซื้อจัดจ้าง ประจำปี 2567 (ประกาศ 1 ต.ค. 66)"
    drive = links["https://drive.google.com/file/d/abc/view"]
    assert drive.text == "แผนฉบับปรับปรุง"          # title attribute of an empty anchor
    assert links["https://www.youtube.com/embed/xyz"].text == "วิดีทัศน์แนะนำเขต"
    footer = links["https://www.bangkok.go.th/"]
    assert footer.in_nav and footer.heading == ""

    # mailto / tel / javascript / #fragment are no links; the address and number stay in the text
    assert not any(h.startswith(("mailto:", "tel:", "javascript:")) or "#" in h for h in links)
    assert "อีเมล ส่งอีเมล saraban.sp@bangkok.go.th โทร 02-234-5678" in result.text
    assert "022345678" in result.text
    assert "ไม่แสดง" not in result.text and "color" not in result.text

    assert result.tables == [Table("table 1", [
        ["เดือน", "เอกสาร"], ["ตุลาคม 2566", "ดาวน์โหลด"], ["ไตรมาสที่ 2"], ["มกราคม 2567"]])]
    lines = result.text.splitlines()
    assert "ตุลาคม 2566 ดาวน์โหลด" in lines                # a table row is one line
    assert lines[lines.index("การจัดซื้อจัดจ้าง") + 1] == "สรุปผลการจัดซื้อจัดจ้างรายเดือน ปีงบประมาณ 2567"


def test_html_navigation_judged_by_attributes_however_long_and_remembered_only_when_short():
    from crawler.extraction.html import _remembered_nav
    long_class = "x" * 5000 + " main-menu"
    page = (f'<div class="{long_class}"><a href="/a">ก</a></div><div role="NAVIGATION"><a href="/b">ข</a></div>'
            '<div class="content" id="news"><a href="/c">ค</a></div><div class="sidebar"><a href="/d">ง</a></div>')
    _remembered_nav.cache_clear()
    links = {link.href[-1]: link.in_nav for link in extract(page.encode(), content_type="text/html",
                                                            url="http://127.0.0.1/x").links}
    assert links == {"a": True, "b": True, "c": False, "d": True}
    # Kept for the next pages: the three short attribute sets and the links' own (no role, id or class);
    # a hostile page's long class is judged each time, never held by the worker.
    assert _remembered_nav.cache_info().currsize == 4


def test_html_layout_tables_are_not_data_tables():
    page = ("<table><tr><td><a href='/a'>เมนู</a></td><td><table><tr><td>ปี</td><td>จำนวน</td></tr>"
            "<tr><td>2567</td><td>5</td></tr></table></td></tr></table>")
    result = extract(page.encode(), content_type="text/html")
    assert result.tables == [Table("table 1", [["ปี", "จำนวน"], ["2567", "5"]])]


def test_html_deep_nesting_and_broken_markup_never_crash():
    deep = "<html><body>" + "<div><span>" * 30_000 + "<a href='/deep'>ลึกมาก</a>" + "</span></div>" * 30_000
    started = time.monotonic()
    result = extract(deep.encode(), content_type="text/html", url="http://127.0.0.1/")
    assert time.monotonic() - started < 20
    assert result.error is None and result.text == "ลึกมาก"
    assert result.links[0].href == "http://127.0.0.1/deep" and result.links[0].context == "ลึกมาก"
    broken = b"<html><body><p>\xe0\xb8\xaa\xe0<table><tr><td>\x00\x01<a href='http://[::1'>x</a><<<>>&&#xFFFFFFF;" * 200
    assert _no_exception(extract(broken, content_type="text/html")).format == "html"


def test_huge_html_text_is_capped():
    from crawler.extraction import MAX_TEXT_CHARS
    paragraph = "<p>" + "ข้อมูลข่าวสารของราชการ " * 40 + "</p>\n"
    body = ("<html><body>" + paragraph * (MAX_TEXT_CHARS // (len(paragraph) - 8) + 50) + "</body></html>").encode()
    result = extract(body, content_type="text/html")
    assert result.error is None
    assert len(result.text) <= MAX_TEXT_CHARS
    assert any("cut" in w for w in result.warnings)


def test_english_page_language():
    page = b"<html><head><title>Anti-Bribery Policy</title></head><body><p>The district office does not " \
           b"accept gifts or any other benefit from anyone in return for its services.</p></body></html>"
    assert extract(page, content_type="text/html").language == "en"


# -- format sniffing and junk --------------------------------------------------------------------------------

@needs_font
def test_magic_bytes_win_over_type_and_name():
    assert sniff_format(_text_pdf(), content_type="application/octet-stream", filename="download") == "pdf"
    assert sniff_format(b"<!DOCTYPE html><html><body>404</body></html>", content_type="application/pdf",
                        filename="report.pdf") == "html"
    assert sniff_format(_png("ก"), content_type="application/pdf") == "image"
    assert sniff_format(b"a,b\n1,2\n", content_type="text/csv") == "csv"
    assert sniff_format(b"a,b\n1,2\n", filename="x.csv") == "csv"


def test_image_is_a_scan():
    result = extract(_png("สแกน") if os.path.exists(FONT) else b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
                     content_type="image/png")
    assert (result.format, result.text_layer, result.error) == ("image", "scan", None)


def test_random_bytes_and_empty_body_are_errors():
    junk = os.urandom(4096)
    for kwargs in ({}, {"content_type": "application/octet-stream"}, {"filename": "x.pdf"},
                   {"filename": "x.xlsx"}, {"filename": "x.docx"}, {"filename": "x.doc"},
                   {"filename": "x.odt"}, {"filename": "x.jpg"}, {"content_type": "text/html"},
                   {"filename": "x.csv"}, {"content_type": "text/plain"}):
        result = _no_exception(extract(b"\x00\xff" + junk, **kwargs))
        assert result.error, kwargs
    assert extract(b"").error == "empty body"


def test_zip_bomb_is_refused_without_expanding():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    started = time.monotonic()
    result = extract(buffer.getvalue(), filename="bomb.xlsx")
    assert result.format == "xlsx" and "zip bomb" in result.error
    assert time.monotonic() - started < 5


def test_corrupt_office_files_are_errors():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not really word")
    assert _no_exception(extract(buffer.getvalue())).error
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2048)
    result = _no_exception(extract(ole, filename="old.doc"))
    assert result.format == "doc" and result.error


def test_unsupported_container_is_a_warning():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ppt/presentation.xml", "<p/>")
    result = extract(buffer.getvalue(), filename="slides.pptx")
    assert (result.format, result.error) == ("other", None)
    assert result.warnings == ["unsupported format (pptx)"]


def test_html_deep_nesting_late_base_and_text_after_the_end_kept():
    """Broken markup (3,000 unclosed divs, content after </html>, a <base> after the first link)
    loses nothing: libxml2 drops content deeper than 256 elements from a tree, not from events."""
    body = ("<html><body><a href='first.pdf'>first</a>" + "<div>" * 3000 + "ลึก <a href='/deep.pdf'>ลิงก์ลึก</a>"
            + "</div>" * 3000 + "<base href='http://127.0.0.1/docs/'></body></html><p>หลังจบ <a href=after.pdf>a</a></p>")
    result = extract(body.encode(), content_type="text/html; charset=utf-8", url="http://127.0.0.1/x/")
    assert [link.href for link in result.links] == ["http://127.0.0.1/docs/first.pdf", "http://127.0.0.1/deep.pdf",
                                                    "http://127.0.0.1/docs/after.pdf"]
    assert result.links[1].text == "ลิงก์ลึก" and result.links[1].context == "ลึก ลิงก์ลึก"
    assert result.text == "first\nลึก ลิงก์ลึก\nหลังจบ a"
