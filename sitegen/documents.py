"""Document builders: one content model (`DocContent`), rendered as the files district sites publish.

Formats: PDF with a Thai text layer (fpdf2 + Laksaman), the same as a Word export whose text layer
splits sara am ("ส านัก"), a scan (pages drawn by Pillow, placed as images: no text layer), XLSX,
DOCX, ODS, ODT and CSV (UTF-8 with BOM). Every builder is deterministic: dates come from the
content, zip members carry fixed timestamps, so equal content gives equal bytes (stable ETags).

PDF text shaping (uharfbuzz) is available as the `shaped` variant but is not the default: measured
on fpdf2 2.8.9 + pypdfium2, shaping moves stacked tone marks in the text layer ("ความเสี่ยง" comes
out as "ความเสียง … ่"), which would make an evidence document unreadable for the reasons of the
generator, not of the site. Unshaped fpdf2 text extracts exactly.
"""
from __future__ import annotations

import csv
import hashlib
import io
import pickle
import random
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from sitegen.thaiforms import baht, month_abbr, month_year, split_sara_am, thai_date

FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")
FONT = FONT_DIR / "Laksaman.ttf"            # a TH Sarabun PSK clone
FONT_BOLD = FONT_DIR / "Laksaman-Bold.ttf"
BANGKOK = timezone(timedelta(hours=7))

PDF_VARIANTS = ("text", "split_sara_am", "scan", "shaped")
FORMATS = ("pdf", "xlsx", "docx", "ods", "odt", "csv")


# -- content ----------------------------------------------------------------------------------------

@dataclass
class Heading:
    text: str
    center: bool = False


@dataclass
class DocTable:
    header: list[str]
    rows: list[list[str]]          # "" is a blank cell
    title: str = ""                # sheet name in spreadsheets
    widths: list[float] | None = None   # relative column widths (PDF)


Block = Heading | DocTable | str   # a str is a paragraph


@dataclass
class DocContent:
    title: str                     # the document's own title (metadata, first heading)
    blocks: list[Block]
    issued: date                   # creation date in metadata and zip members
    author: str = "สำนักงานเขต"
    language: str = "th"
    landscape: bool = False

    @property
    def tables(self) -> list[DocTable]:
        return [b for b in self.blocks if isinstance(b, DocTable)]


@dataclass
class Rendered:
    body: bytes
    pages: int | None = None


def _issued_at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 9, 30, tzinfo=BANGKOK)


# -- layout (shared by the PDF text layer and the scan images) --------------------------------------

class Canvas(Protocol):
    page_w: float
    page_h: float

    def new_page(self) -> None: ...
    def width(self, text: str, size: float, bold: bool) -> float: ...
    def text(self, x: float, baseline: float, text: str, size: float, bold: bool) -> None: ...
    def rect(self, x: float, y: float, w: float, h: float) -> None: ...


_COMBINING = {chr(c) for c in (0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F))}
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 25.0, 20.0, 20.0, 18.0
BODY, HEAD, CELL = 15.0, 17.0, 12.5      # font sizes (pt)
PT = 0.3528                             # mm per point


def _line_h(size: float) -> float:
    return size * PT * 1.25


def _clusters(token: str) -> list[str]:
    """A base character with its combining marks: never split between them."""
    out: list[str] = []
    for ch in token:
        if out and ch in _COMBINING:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def wrap(canvas: Canvas, text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy line breaking at spaces; a word wider than the line is cut between clusters.

    Widths are summed word by word (unshaped text has no kerning), so a line costs one
    measurement per word rather than one per candidate line.
    """
    space = canvas.width(" ", size, bold)
    lines: list[str] = []
    for raw_line in text.split("\n"):
        line, line_w = "", 0.0
        for word in raw_line.split(" "):
            word_w = canvas.width(word, size, bold)
            if line and line_w + space + word_w <= width:
                line, line_w = f"{line} {word}", line_w + space + word_w
                continue
            if not line and word_w <= width:
                line, line_w = word, word_w
                continue
            if line:
                lines.append(line)
            line, line_w = "", 0.0
            if word_w <= width:
                line, line_w = word, word_w
                continue
            for cluster in _clusters(word):
                cluster_w = canvas.width(cluster, size, bold)
                if line and line_w + cluster_w > width:
                    lines.append(line)
                    line, line_w = "", 0.0
                line, line_w = line + cluster, line_w + cluster_w
        lines.append(line)
    return lines


def _column_widths(table: DocTable, total: float) -> list[float]:
    if table.widths:
        rel = table.widths
    else:
        rel = []
        for i, head in enumerate(table.header):
            longest = max([len(head)] + [len(r[i]) for r in table.rows if i < len(r)])
            rel.append(min(max(longest, 4), 40))
    scale = total / sum(rel)
    return [w * scale for w in rel]


def layout(content: DocContent, canvas: Canvas) -> int:
    """Draw the content page by page; returns the number of pages."""
    usable = canvas.page_w - MARGIN_L - MARGIN_R
    bottom = canvas.page_h - MARGIN_B
    state = {"y": MARGIN_T, "page": 1}
    canvas.new_page()

    def next_page() -> None:
        canvas.new_page()
        state["page"] += 1
        label = f"- {state['page']} -"
        size = BODY - 2
        canvas.text((canvas.page_w - canvas.width(label, size, False)) / 2, 12, label, size, False)
        state["y"] = MARGIN_T

    def line(text: str, size: float, bold: bool, center: bool = False, indent: float = 0.0) -> None:
        h = _line_h(size)
        if state["y"] + h > bottom:
            next_page()
        x = MARGIN_L + indent
        if center:
            x = MARGIN_L + (usable - canvas.width(text, size, bold)) / 2
        state["y"] += h
        canvas.text(x, state["y"] - h * 0.25, text, size, bold)

    def table(t: DocTable) -> None:
        widths = _column_widths(t, usable)
        pad, h = 1.2, _line_h(CELL)

        def cells(row: list[str], bold: bool) -> tuple[list[list[str]], float]:
            wrapped = [wrap(canvas, row[i] if i < len(row) else "", widths[i] - 2 * pad, CELL, bold)
                       for i in range(len(widths))]
            max_lines = (bottom - MARGIN_T - 2 * pad) // h
            wrapped = [w[: int(max_lines)] for w in wrapped]
            return wrapped, max(len(w) for w in wrapped) * h + 2 * pad

        def draw(row_cells: list[list[str]], row_h: float, bold: bool) -> None:
            x = MARGIN_L
            for col, lines_ in enumerate(row_cells):
                canvas.rect(x, state["y"], widths[col], row_h)
                for k, text in enumerate(lines_):
                    canvas.text(x + pad, state["y"] + pad + (k + 0.75) * h, text, CELL, bold)
                x += widths[col]
            state["y"] += row_h

        head_cells, head_h = cells(t.header, True)
        if state["y"] + head_h + h > bottom:
            next_page()
        draw(head_cells, head_h, True)
        for row in t.rows:
            row_cells, row_h = cells(row, False)
            if state["y"] + row_h > bottom:
                next_page()
                draw(head_cells, head_h, True)
            draw(row_cells, row_h, False)
        state["y"] += h * 0.5

    for block in content.blocks:
        if isinstance(block, Heading):
            for text in wrap(canvas, block.text, usable, HEAD, True):
                line(text, HEAD, True, center=block.center)
        elif isinstance(block, DocTable):
            table(block)
        else:
            for k, text in enumerate(wrap(canvas, block, usable - 12, BODY)):
                line(text, BODY, False, indent=12 if k == 0 else 0)
    return state["page"]


# -- PDF with a text layer --------------------------------------------------------------------------

def _fpdf(content: DocContent):
    from fpdf import FPDF

    pdf = FPDF(orientation="L" if content.landscape else "P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(_issued_at(content.issued))
    pdf.set_compression(True)
    return pdf


class _PdfCanvas:
    def __init__(self, pdf, *, split_am: bool = False, shaped: bool = False) -> None:
        self.pdf = pdf
        self.page_w, self.page_h = pdf.w, pdf.h
        self.split_am = split_am
        self.shaped = shaped
        pdf.add_font("th", fname=str(FONT))
        pdf.add_font("th", style="B", fname=str(FONT_BOLD))
        pdf.set_line_width(0.2)
        self._font: tuple[float, bool] | None = None

    def _use(self, size: float, bold: bool) -> None:
        if self._font != (size, bold):
            self.pdf.set_font("th", style="B" if bold else "", size=size)
            self._font = (size, bold)

    def new_page(self) -> None:
        self.pdf.add_page()

    def width(self, text: str, size: float, bold: bool) -> float:
        self._use(size, bold)
        return self.pdf.get_string_width(text)

    def text(self, x: float, baseline: float, text: str, size: float, bold: bool) -> None:
        if not text:
            return
        self._use(size, bold)
        if self.shaped:     # fpdf2 shapes cell() output only, not text()
            height = size * PT
            self.pdf.set_xy(x - self.pdf.c_margin, baseline - height * 0.8)
            self.pdf.cell(h=height, text=text)
        else:
            self.pdf.text(x, baseline, split_sara_am(text) if self.split_am else text)

    def rect(self, x: float, y: float, w: float, h: float) -> None:
        self.pdf.rect(x, y, w, h)


def shaping_available() -> bool:
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


def pdf_text(content: DocContent, *, variant: str = "text") -> Rendered:
    """A PDF with a text layer. variant: text (LibreOffice-like), split_sara_am (Word export), shaped."""
    pdf = _fpdf(content)
    pdf.set_title(content.title)
    pdf.set_author(content.author)
    pdf.set_lang("en-US" if content.language == "en" else "th-TH")
    if variant == "split_sara_am":
        pdf.set_creator("Microsoft® Word 2016")
        pdf.set_producer("Microsoft® Word 2016")
    else:
        pdf.set_creator("Writer")
        pdf.set_producer("LibreOffice 7.4")
    shaped = variant == "shaped" and shaping_available()
    canvas = _PdfCanvas(pdf, split_am=variant == "split_sara_am", shaped=shaped)
    if shaped:
        pdf.set_text_shaping(True)
    pages = layout(content, canvas)
    return Rendered(bytes(pdf.output()), pages)


# -- scanned PDF (images only) ----------------------------------------------------------------------

SCAN_DPI = 120


@lru_cache(maxsize=32)
def pil_font(size_px: int, bold: bool):
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT_BOLD if bold else FONT), size_px)


class _ImageCanvas:
    def __init__(self, landscape: bool) -> None:
        self.page_w, self.page_h = (297.0, 210.0) if landscape else (210.0, 297.0)
        self.scale = SCAN_DPI / 25.4
        self.pages: list = []
        self._draw = None

    def _font(self, size: float, bold: bool):
        return pil_font(round(size * PT * self.scale), bold)

    def new_page(self) -> None:
        from PIL import Image, ImageDraw

        image = Image.new("L", (round(self.page_w * self.scale), round(self.page_h * self.scale)), 246)
        self.pages.append(image)
        self._draw = ImageDraw.Draw(image)

    def width(self, text: str, size: float, bold: bool) -> float:
        return self._font(size, bold).getlength(text) / self.scale

    def text(self, x: float, baseline: float, text: str, size: float, bold: bool) -> None:
        if text:
            self._draw.text((x * self.scale, baseline * self.scale), text, fill=25,
                            font=self._font(size, bold), anchor="ls")

    def rect(self, x: float, y: float, w: float, h: float) -> None:
        s = self.scale
        self._draw.rectangle((x * s, y * s, (x + w) * s, (y + h) * s), outline=40, width=1)


def pdf_scan(content: DocContent, *, seed: int = 0) -> Rendered:
    """The pages drawn as images (slightly skewed, JPEG) in a PDF without any text."""
    from PIL import Image

    canvas = _ImageCanvas(content.landscape)
    layout(content, canvas)
    rng = random.Random(f"scan:{seed}:{content.title}")
    pdf = _fpdf(content)
    pdf.set_creator("Canon iR-ADV C5535")
    pdf.set_producer("Canon iR-ADV C5535 PDF")
    for image in canvas.pages:
        skewed = image.rotate(rng.uniform(-0.6, 0.6), resample=Image.BILINEAR, fillcolor=246)
        buffer = io.BytesIO()
        skewed.save(buffer, format="JPEG", quality=55, optimize=True)
        buffer.seek(0)
        pdf.add_page()
        pdf.image(buffer, x=0, y=0, w=canvas.page_w, h=canvas.page_h)
    return Rendered(bytes(pdf.output()), len(canvas.pages))


# -- office formats ---------------------------------------------------------------------------------

def _stable_zip(data: bytes, when: date) -> bytes:
    """Rewrite a zip with fixed member timestamps (libraries stamp the wall clock)."""
    stamp = (when.year, when.month, when.day, 9, 30, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = info.compress_type
            member.external_attr = info.external_attr
            dst.writestr(member, src.read(info))
    return out.getvalue()


def _number(cell: str) -> float | None:
    """'1,234.50' -> 1234.5; anything else (Thai text, '12/2567') -> None."""
    text = cell.replace(",", "")
    if not text or not text.replace(".", "", 1).isdigit():
        return None
    return float(text)


def _paragraph_lines(content: DocContent) -> list[str]:
    return [b.text if isinstance(b, Heading) else b for b in content.blocks if not isinstance(b, DocTable)]


def xlsx(content: DocContent) -> Rendered:
    """One sheet per table, the title and paragraphs above the first table."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": content.title, "author": content.author,
                         "created": _issued_at(content.issued).replace(tzinfo=None)})
    title_fmt = book.add_format({"bold": True, "font_name": "TH SarabunPSK", "font_size": 16})
    text_fmt = book.add_format({"font_name": "TH SarabunPSK", "font_size": 14})
    head_fmt = book.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center",
                                "valign": "vcenter", "font_name": "TH SarabunPSK", "font_size": 14})
    cell_fmt = book.add_format({"border": 1, "text_wrap": True, "valign": "top",
                                "font_name": "TH SarabunPSK", "font_size": 14})
    money_fmt = book.add_format({"border": 1, "num_format": "#,##0.00", "valign": "top",
                                 "font_name": "TH SarabunPSK", "font_size": 14})
    tables = content.tables or [DocTable([], [])]
    used: set[str] = set()
    for n, table in enumerate(tables):
        name = (table.title or f"Sheet{n + 1}")[:31]
        for bad in "[]:*?/\\":
            name = name.replace(bad, "-")
        while name in used:
            name = f"{name[:28]}-{n}"
        used.add(name)
        sheet = book.add_worksheet(name)
        row = 0
        if n == 0:
            for k, text in enumerate(_paragraph_lines(content)):
                sheet.write_string(row, 0, text, title_fmt if k == 0 else text_fmt)
                row += 1
            row += 1 if row else 0
        elif table.title:
            sheet.write_string(row, 0, table.title, title_fmt)
            row += 2
        for col, head in enumerate(table.header):
            sheet.write_string(row, col, head, head_fmt)
            sheet.set_column(col, col, min(max(len(head), 8), 40))
        row += 1
        for data in table.rows:
            for col, cell in enumerate(data):
                value = _number(cell) if col else None
                if cell == "":
                    sheet.write_blank(row, col, None, cell_fmt)
                elif value is not None:
                    sheet.write_number(row, col, value, money_fmt)
                else:
                    sheet.write_string(row, col, cell, cell_fmt)
            row += 1
    book.close()
    return Rendered(_stable_zip(buffer.getvalue(), content.issued))


def docx(content: DocContent) -> Rendered:
    import docx as python_docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = python_docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "TH SarabunPSK"
    normal.font.size = Pt(16)
    normal.element.rPr.rFonts.set(qn("w:cs"), "TH SarabunPSK")
    props = document.core_properties
    props.title, props.author, props.last_modified_by = content.title, content.author, content.author
    props.created = props.modified = _issued_at(content.issued).replace(tzinfo=None)
    props.revision = 1
    for block in content.blocks:
        if isinstance(block, Heading):
            paragraph = document.add_paragraph()
            paragraph.add_run(block.text).bold = True
            if block.center:
                paragraph.alignment = 1
        elif isinstance(block, DocTable):
            table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
            table.style = "Table Grid"
            for row_cells, values in zip(table.rows, [block.header, *block.rows]):
                for cell, value in zip(row_cells.cells, values):
                    cell.text = value
        else:
            document.add_paragraph(block)
    buffer = io.BytesIO()
    document.save(buffer)
    return Rendered(_stable_zip(buffer.getvalue(), content.issued))


def _odf_table(table: DocTable, name: str, *, numbers: bool):
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    element = Table(name=name)
    element.addElement(TableColumn(numbercolumnsrepeated=len(table.header)))
    for k, values in enumerate([table.header, *table.rows]):
        tr = TableRow()
        for col, value in enumerate(values):
            number = _number(value) if (numbers and k and col) else None
            if value == "":
                cell = TableCell()
            elif number is not None:
                cell = TableCell(valuetype="float", value=number)
                cell.addElement(P(text=value))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
            tr.addElement(cell)
        element.addElement(tr)
    return element


def _odf_bytes(document, content: DocContent) -> bytes:
    from odf.dc import Creator, Date, Title
    from odf.meta import CreationDate

    stamp = _issued_at(content.issued).replace(tzinfo=None).isoformat()
    document.meta.addElement(Title(text=content.title))
    document.meta.addElement(Creator(text=content.author))
    document.meta.addElement(CreationDate(text=stamp))
    document.meta.addElement(Date(text=stamp))
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue(), content.issued)


def _fresh_odf_namespaces() -> None:
    """odfpy keeps the namespaces it has seen in a class attribute shared by every document, so
    a document's bytes would depend on what was built before it; start each one afresh."""
    from odf.element import Element

    Element.namespaces.clear()


def odt(content: DocContent) -> Rendered:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    _fresh_odf_namespaces()
    document = OpenDocumentText()
    for n, block in enumerate(content.blocks):
        if isinstance(block, Heading):
            document.text.addElement(H(outlinelevel=1, text=block.text))
        elif isinstance(block, DocTable):
            document.text.addElement(_odf_table(block, block.title or f"Table{n + 1}", numbers=False))
        else:
            document.text.addElement(P(text=block))
    return Rendered(_odf_bytes(document, content))


def ods(content: DocContent) -> Rendered:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    _fresh_odf_namespaces()
    document = OpenDocumentSpreadsheet()
    tables = content.tables or [DocTable([], [])]
    for n, table in enumerate(tables):
        sheet = _odf_table(table, (table.title or f"Sheet{n + 1}")[:31], numbers=True)
        if n == 0:   # title and paragraphs as the first rows, like a hand-made sheet
            for k, text in enumerate(reversed(_paragraph_lines(content))):
                tr = TableRow()
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=text))
                tr.addElement(cell)
                sheet.insertBefore(tr, sheet.getElementsByType(TableRow)[0])
        document.spreadsheet.addElement(sheet)
    return Rendered(_odf_bytes(document, content))


def csv_bytes(content: DocContent) -> Rendered:
    """The first table as CSV, UTF-8 with BOM (what Excel writes and reads)."""
    table = content.tables[0] if content.tables else DocTable(["ข้อความ"], [[p] for p in _paragraph_lines(content)])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return Rendered(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


_RENDERED: dict[bytes, Rendered] = {}     # scenarios share most documents: render each once


def render(content: DocContent, fmt: str, variant: str = "text", *, seed: int = 0) -> Rendered:
    key = hashlib.sha256(pickle.dumps((content, fmt, variant, seed))).digest()
    if key not in _RENDERED:
        if len(_RENDERED) > 4096:
            _RENDERED.clear()
        if fmt == "pdf":
            rendered = pdf_scan(content, seed=seed) if variant == "scan" else pdf_text(content, variant=variant)
        else:
            rendered = {"xlsx": xlsx, "docx": docx, "odt": odt, "ods": ods, "csv": csv_bytes}[fmt](content)
        _RENDERED[key] = rendered
    return _RENDERED[key]


# -- แบบ สขร.1: monthly procurement summary ---------------------------------------------------------

PROCUREMENT_COLUMNS = [
    "ลำดับที่", "งานที่จัดซื้อหรือจัดจ้าง", "วงเงินที่จัดซื้อหรือจัดจ้าง", "ราคากลาง", "วิธีซื้อหรือจ้าง",
    "รายชื่อผู้เสนอราคาและราคาที่เสนอ", "ผู้ได้รับการคัดเลือกและราคาที่ตกลงซื้อหรือจ้าง",
    "เหตุผลที่คัดเลือกโดยสังเขป", "เลขที่และวันที่ของสัญญาหรือข้อตกลง",
]
_PROCUREMENT_WIDTHS = [5, 22, 12.5, 12.5, 10, 19, 19, 16, 18]
_WORKS = [
    "จ้างซ่อมแซมเครื่องปรับอากาศ ฝ่ายทะเบียน", "ซื้อวัสดุสำนักงาน ฝ่ายปกครอง", "จ้างซ่อมแซมผิวจราจรและทางเท้า ซอยวานิช 1",
    "ซื้อวัสดุงานบ้านงานครัว ฝ่ายรักษาความสะอาดและสวนสาธารณะ", "จ้างเหมาทำความสะอาดคูคลองและท่อระบายน้ำ",
    "ซื้อน้ำมันเชื้อเพลิงสำหรับรถยนต์ส่วนกลาง", "จ้างพิมพ์เอกสารประชาสัมพันธ์ภาษีที่ดินและสิ่งปลูกสร้าง",
    "ซื้อวัสดุคอมพิวเตอร์ ฝ่ายการคลัง", "จ้างซ่อมบำรุงรถยนต์ส่วนกลาง หมายเลขทะเบียน 1กข 2345",
    "ซื้อวัสดุก่อสร้างสำหรับซ่อมแซมฝาท่อระบายน้ำ", "จ้างเหมาบริการรักษาความปลอดภัยอาคารสำนักงานเขต",
    "ซื้อเครื่องแบบพนักงานกวาด", "จ้างจัดงานวันเด็กแห่งชาติ ประจำปี", "ซื้อต้นไม้และวัสดุปรับปรุงภูมิทัศน์",
]
_VENDORS = ["ร้านสมใจการช่าง", "บริษัท เจริญกรุงพาณิชย์ จำกัด", "ห้างหุ้นส่วนจำกัด สัมพันธ์ก่อสร้าง",
            "ร้านทรัพย์ทวีการค้า", "บริษัท ไชน่าทาวน์ซัพพลาย จำกัด", "ร้านเยาวราชเครื่องเขียน", "นายสมศักดิ์ รักงาน"]
_REASONS = ["เป็นผู้เสนอราคาต่ำสุด และมีคุณสมบัติครบถ้วนตามเงื่อนไข", "เป็นผู้มีอาชีพรับจ้างโดยตรง และเสนอราคาไม่เกินวงเงินงบประมาณ",
            "เสนอราคาเหมาะสม และเป็นประโยชน์ต่อทางราชการ"]


def procurement_rows(rng: random.Random, year: int, month: int, count: int) -> list[list[str]]:
    """Data rows of แบบ สขร.1 for one month (CE year), every column filled."""
    rows = []
    days = sorted(rng.sample(range(1, 28), count))
    for n, day in enumerate(days, start=1):
        budget = rng.choice([4500, 12000, 28500, 45000, 96000, 150000, 480000])
        price = budget - rng.choice([0, 0, 150, 500, 1200])
        vendor = rng.choice(_VENDORS)
        method = "เฉพาะเจาะจง" if budget <= 500000 else "ประกวดราคาอิเล็กทรอนิกส์ (e-bidding)"
        kind = "ใบสั่งจ้าง" if _WORKS[(n + month) % len(_WORKS)].startswith("จ้าง") else "ใบสั่งซื้อ"
        contract_date = thai_date(date(year, month, day), "abbr")
        rows.append([
            str(n), _WORKS[(n * 3 + month) % len(_WORKS)], baht(budget), baht(budget), method,
            f"{vendor} / {baht(price)}", f"{vendor} / {baht(price)}", rng.choice(_REASONS),
            f"{kind} เลขที่ {n + month * 3}/{year + 543 + (1 if month >= 10 else 0)} ลงวันที่ {contract_date}",
        ])
    return rows


def procurement_summary(site_name: str, year: int, month: int, rows: list[list[str]],
                        blank_cells: set[tuple[int, int]] = frozenset(), issued: date | None = None) -> DocContent:
    """แบบ สขร.1 "สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน …"; blank_cells are (row, column) left empty."""
    rows = [[("" if (r, c) in blank_cells else cell) for c, cell in enumerate(row)] for r, row in enumerate(rows)]
    title = f"สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน {month_year(year, month)}"
    return DocContent(
        title=f"แบบ สขร.1 {title}",
        blocks=[
            Heading("แบบ สขร.1", center=False),
            Heading(title, center=True),
            Heading(site_name, center=True),
            DocTable(PROCUREMENT_COLUMNS, rows, title=f"สขร.1 {month_abbr(month)} {(year + 543) % 100}",
                     widths=_PROCUREMENT_WIDTHS),
        ],
        issued=issued or date(year, month, 28), author=site_name, landscape=True,
    )
