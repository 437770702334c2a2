"""Office documents and plain data files: xlsx / xls / ods, docx, doc, odt, csv, text.

Spreadsheets are read by python-calamine (about 6x faster than openpyxl, reads .xls and .ods too;
called directly, not through pandas.read_excel: pandas adds 45 MB to every extraction worker), .doc
through Debian's antiword (catdoc as the fallback) in a subprocess with a timeout, .odt through odfpy. .docx is read from its XML with lxml (lxml parses; the code here only picks the parts
python-docx picked: runs, tables, header, text boxes, styles): python-docx built an object per
element, 7x slower on a 1 MB document.xml (322 -> 46 ms) and 4x on small ones. Zip-based files are
checked for zip bombs (declared sizes and ratios) before any parser opens them, and .docx parts are
also capped by the bytes they really expand to.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import os
import posixpath
import shutil
import subprocess
import tempfile
import zipfile

from lxml import etree

from crawler.extraction import (Extraction, Table, document_title, error_message, looks_binary, one_line,
                                text_layer_of)
from crawler.extraction.limits import zip_problem
from crawler.text.thai import looks_thai, normalize

MAX_CELLS = 1_000_000                  # spreadsheet / csv cells read; the rest is dropped (warning)
MAX_ZIP_RATIO = 150                    # uncompressed / compressed, for entries over 10 MB
MAX_REPEATED_CELLS = 200               # ODF number-columns/rows-repeated honoured up to this
MAX_DOCX_XML_BYTES = 200 * 1024 * 1024   # parts of one .docx read, counted as they expand
SUBPROCESS_TIMEOUT_S = 30
_ZIP_FORMATS = ("xlsx", "ods", "docx", "odt")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def extract_office(fmt: str, body: bytes, *, charset: str | None = None) -> Extraction:
    """`fmt` is one of xlsx xls ods docx doc odt csv (decided by the caller from magic bytes)."""
    if fmt in _ZIP_FORMATS:
        problem = _zip_problem(body)
        if problem:
            return Extraction(format=fmt, error=problem)
    try:
        if fmt in ("xlsx", "xls", "ods"):
            return _spreadsheet(fmt, body)
        if fmt == "docx":
            return _docx(body)
        if fmt == "doc":
            return _doc(body)
        if fmt == "odt":
            return _odt(body)
        if fmt == "csv":
            return _csv(body, charset)
    except Exception as exc:   # parsers raise all sorts on corrupt files
        return Extraction(format=fmt, error=error_message(exc))
    return Extraction(format=fmt, error=f"no extractor for {fmt}")


def _zip_problem(body: bytes) -> str | None:
    """The container checked as it really expands (crawler/extraction/limits.py), the ratio rule too."""
    problem = zip_problem(body)
    if problem:
        return problem
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for entry in archive.infolist():
            if entry.file_size > 10 * 1024 * 1024 and entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1):
                return f"zip entry {entry.filename} compressed {entry.file_size // max(entry.compress_size, 1)}x: refused (zip bomb?)"
    return None


def _finish(fmt: str, extractor: str, text: str, tables: list[Table], title: str = "",
            warnings: list[str] | None = None, pages: int | None = None) -> Extraction:
    text = normalize(text)
    return Extraction(format=fmt, title=document_title(title, text, 20_000, wrapped=False), text=text, text_layer=text_layer_of(text),
                      pages=pages, tables=tables, extractor=extractor, warnings=warnings or [])


# -- spreadsheets ----------------------------------------------------------------------------------------

def _spreadsheet(fmt: str, body: bytes) -> Extraction:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    book = CalamineWorkbook.from_filelike(io.BytesIO(body))
    tables: list[Table] = []
    lines: list[str] = []
    warnings: list[str] = []
    budget = MAX_CELLS
    memo: dict[str, str] = {}
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:          # chart and macro sheets hold no cells
            continue
        sheet = one_line(str(meta.name))
        rows: list[list[str]] = []
        for values in book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False):
            if budget <= 0:
                warnings.append(f"only the first {MAX_CELLS} cells read")
                break
            budget -= len(values)
            row = [_cell_text(value, memo) for value in values]
            while row and not row[-1]:
                row.pop()
            if row:
                rows.append(row)
        tables.append(Table(where=f"sheet {sheet}", rows=rows))
        lines.append(sheet)
        lines.extend("\t".join(row) for row in rows)
        lines.append("")
        if budget <= 0:
            break
    title = next((cell for table in tables for row in table.rows for cell in row if cell), "")
    return _finish(fmt, "calamine", "\n".join(lines), tables, title=title, warnings=warnings)


def _cell_text(value, memo: dict[str, str]) -> str:
    """A cell as text: integers without ".0", dates as ISO dates, text normalised on one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.12g}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    text = str(value)
    if text.isascii():
        return " ".join(text.split())
    found = memo.get(text)
    if found is None:
        found = memo[text] = one_line(text)
    return found


# -- Word ----------------------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_NS = {"w": _W, "r": _REL, "rel": _PACKAGE_REL, "ct": _CONTENT_TYPES,
       "dc": "http://purl.org/dc/elements/1.1/"}


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


class _DocxPackage:
    """The parts of a .docx, read from the zip with a cap on the bytes they expand to (the declared
    sizes checked by _zip_problem can lie) and parsed as python-docx parses them."""

    def __init__(self, body: bytes):
        self.archive = zipfile.ZipFile(io.BytesIO(body))
        self.budget = MAX_DOCX_XML_BYTES
        self.parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)

    def xml(self, name: str):
        """The parsed part `name` (no leading slash), None if the package has no such member."""
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return None
        with self.archive.open(info) as member:
            data = member.read(self.budget + 1)
        if len(data) > self.budget:
            raise ValueError(f"docx parts expand beyond {MAX_DOCX_XML_BYTES} bytes: refused (zip bomb?)")
        self.budget -= len(data)
        return etree.fromstring(data, self.parser)

    def related(self, source: str, rel_type: str | None = None, rel_id: str | None = None) -> str | None:
        """The part name a relationship of part `source` ("" for the package) points to."""
        folder, name = posixpath.split(source)
        rels = self.xml(posixpath.join(folder, "_rels", name + ".rels"))
        if rels is None:
            return None
        for rel in rels.iterfind("rel:Relationship", _NS):
            if rel.get("TargetMode") == "External":
                continue
            if (rel_type is None or rel.get("Type") == f"{_REL}/{rel_type}"
                    or rel.get("Type") == f"{_PACKAGE_REL}/metadata/{rel_type}") \
                    and (rel_id is None or rel.get("Id") == rel_id):
                target = rel.get("Target") or ""
                base = "/" if target.startswith("/") else "/" + folder
                return posixpath.normpath(posixpath.join(base, target)).lstrip("/")
        return None

    def content_type(self, name: str) -> str | None:
        types = self.xml("[Content_Types].xml")
        if types is None:
            return None
        for override in types.iterfind("ct:Override", _NS):
            if (override.get("PartName") or "").lstrip("/").lower() == name.lower():
                return override.get("ContentType")
        extension = name.rsplit(".", 1)[-1].lower()
        for default in types.iterfind("ct:Default", _NS):
            if (default.get("Extension") or "").lower() == extension:
                return default.get("ContentType")
        return None


def _docx(body: bytes) -> Extraction:
    """Word .docx read from word/document.xml (and its header, styles and core properties parts)
    with lxml: the text python-docx gave (paragraph runs and hyperlinks, tables with merged cells
    once per row, text boxes), 100x faster than building python-docx's objects."""
    package = _DocxPackage(body)
    main = package.related("", "officeDocument")
    document = package.xml(main) if main else None
    if document is None:
        raise ValueError("no main document part: not a Word file")
    content_type = package.content_type(main)
    if content_type != _WORD_MAIN:
        raise ValueError(f"file is not a Word file, content type is '{content_type}'")
    body_element = document.find("w:body", _NS)
    parts: list[str] = []
    tables: list[Table] = []
    warnings: list[str] = []
    try:
        parts.extend(_docx_header(package, main, document))
    except Exception as exc:    # a broken header part must not lose the body
        warnings.append(f"header skipped: {error_message(exc)}")
    styles = _docx_paragraph_styles(package, main)
    heading = ""
    blocks = body_element.xpath("./w:p | ./w:tbl", namespaces=_NS) if body_element is not None else []
    for block in blocks:
        if block.tag == _w("tbl"):
            rows = _docx_rows(block)
            if rows:
                tables.append(Table(where=f"table {len(tables) + 1}", rows=rows))
                parts.extend("\t".join(row) for row in rows)
        else:
            text = _docx_paragraph_text(block)
            parts.append(text)
            style_element = block.find("w:pPr/w:pStyle", _NS)
            style_id = style_element.get(_w("val")) if style_element is not None else None
            style = styles.get(style_id, styles.get(None, "")) if style_id else styles.get(None, "")
            if not heading and text.strip() and style.lower().startswith(("title", "heading")):
                heading = text
    # Text boxes (often the heading of a Thai announcement) are outside the paragraphs above.
    if body_element is not None:
        for box in body_element.iter(_w("txbxContent")):
            parts.append("".join(node.text or "" for node in box.iter(_w("t"))))
    title = _docx_title(package) or heading
    return _finish("docx", "lxml", "\n".join(parts), tables, title=title, warnings=warnings)


_RUNS = etree.XPath("./w:r | ./w:hyperlink/w:r", namespaces=_NS)
_RUN_TEXT = {f"{{{_W}}}tab": "\t", f"{{{_W}}}ptab": "\t", f"{{{_W}}}cr": "\n", f"{{{_W}}}noBreakHyphen": "-"}
_T, _BR, _BR_TYPE = f"{{{_W}}}t", f"{{{_W}}}br", f"{{{_W}}}type"


def _docx_paragraph_text(paragraph) -> str:
    """A paragraph's runs (direct, or in hyperlinks) as python-docx reads them."""
    out = []
    for run in _RUNS(paragraph):
        for node in run:
            tag = node.tag
            if tag == _T:
                out.append(node.text or "")
            elif tag == _BR:
                out.append("\n" if node.get(_BR_TYPE, "textWrapping") == "textWrapping" else "")
            else:
                out.append(_RUN_TEXT.get(tag, ""))
    return "".join(out)


def _docx_header(package: _DocxPackage, main: str, document) -> list[str]:
    """The paragraphs of the first section's own default header (none when it inherits)."""
    section = document.xpath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces=_NS)
    if not section:
        return []
    reference = next((ref for ref in section[0].iterfind("w:headerReference", _NS)
                      if ref.get(_w("type")) == "default"), None)
    if reference is None:
        return []
    name = package.related(main, rel_id=reference.get(f"{{{_REL}}}id"))
    header = package.xml(name) if name else None
    if header is None:
        raise KeyError(f"header part {reference.get(f'{{{_REL}}}id')} missing")
    return [_docx_paragraph_text(p) for p in header.iterfind("w:p", _NS)]


def _docx_paragraph_styles(package: _DocxPackage, main: str) -> dict[str | None, str]:
    """Paragraph style id -> name (key None: the default paragraph style). Without a styles
    part the id stands for the name ("Heading1", "Title"), as Word's built-in names start so."""
    name = package.related(main, "styles")
    styles = package.xml(name) if name else None
    if styles is None:
        return _IdAsName()
    found: dict[str | None, str] = {}
    for style in styles.iterfind("w:style", _NS):
        if style.get(_w("type")) != "paragraph":
            continue
        style_name = style.find("w:name", _NS)
        name_value = (style_name.get(_w("val")) if style_name is not None else None) or ""
        style_id = style.get(_w("styleId"))
        if style_id is not None and style_id not in found:
            found[style_id] = name_value
        if style.get(_w("default")) == "1":
            found[None] = name_value                      # the last default one counts
    return found


class _IdAsName(dict):
    def get(self, key, default=None):
        return key or ""


def _docx_title(package: _DocxPackage) -> str:
    name = package.related("", "core-properties")
    core = package.xml(name) if name else None
    if core is None:
        return "Word Document"          # what python-docx reported for a package without one
    return core.findtext("dc:title", default="", namespaces=_NS) or ""


def _docx_rows(table) -> list[list[str]]:
    """Rows of cell texts: a cell spanning columns once, a vertically merged cell repeated in each
    row it covers (as python-docx gave them)."""
    rows_xml = table.findall("w:tr", _NS)
    rows = []
    for r, row in enumerate(rows_xml):
        cells, seen = [], None
        for cell in _docx_row_cells(rows_xml, r):
            if cell is seen:              # a horizontally merged cell is listed once per column
                continue
            seen = cell
            cells.append(one_line("\n".join(_docx_paragraph_text(p) for p in cell.iterfind("w:p", _NS))))
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


def _docx_row_cells(rows_xml: list, r: int) -> list:
    """The cell elements of row r, one per grid column they cover; a vMerge continuation is the
    cell above it (itself when there is none: python-docx raised there)."""
    out = []
    for cell in rows_xml[r].findall("w:tc", _NS):
        source = _docx_merge_root(rows_xml, r, cell)
        out.extend([source] * _docx_span(cell))
    return out


def _docx_span(cell) -> int:
    span = cell.find("w:tcPr/w:gridSpan", _NS)
    try:
        return max(int(span.get(_w("val"))), 1) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _docx_grid_before(row) -> int:
    before = row.find("w:trPr/w:gridBefore", _NS)
    try:
        return int(before.get(_w("val"))) if before is not None else 0
    except (TypeError, ValueError):
        return 0


def _docx_merge_root(rows_xml: list, r: int, cell):
    while r > 0:
        merge = cell.find("w:tcPr/w:vMerge", _NS)
        if merge is None or merge.get(_w("val"), "continue") != "continue":
            return cell
        row = rows_xml[r]
        offset = _docx_grid_before(row)
        for sibling in row.findall("w:tc", _NS):
            if sibling is cell:
                break
            offset += _docx_span(sibling)
        above, remaining = None, offset - _docx_grid_before(rows_xml[r - 1])
        for candidate in rows_xml[r - 1].findall("w:tc", _NS):
            if remaining < 0:
                break
            if remaining == 0:
                above = candidate
                break
            remaining -= _docx_span(candidate)
        if above is None:
            return cell
        cell, r = above, r - 1
    return cell


def _doc(body: bytes) -> Extraction:
    """Legacy .doc: antiword (UTF-8 output, no wrapping), else catdoc."""
    if not body.startswith(_OLE2):
        return Extraction(format="doc", error="not a Word .doc file (no OLE2 header)")
    with tempfile.TemporaryDirectory(prefix="oit-doc-") as directory:
        path = os.path.join(directory, "document.doc")
        with open(path, "wb") as handle:
            handle.write(body)
        failures = []
        for tool, command in (("antiword", ["antiword", "-w", "0", "-m", "UTF-8.txt", path]),
                              ("catdoc", ["catdoc", "-d", "utf-8", "-w", path])):
            if shutil.which(tool) is None:
                failures.append(f"{tool} not installed")
                continue
            try:
                done = subprocess.run(command, capture_output=True, timeout=SUBPROCESS_TIMEOUT_S,
                                      stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                failures.append(f"{tool} timed out after {SUBPROCESS_TIMEOUT_S} s")
                continue
            text = done.stdout.decode("utf-8", "replace")
            if done.returncode == 0 and text.strip():
                warnings = [f"antiword failed: {failures[0]}"] if failures else []
                return _finish("doc", tool, text, [], warnings=warnings)
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            failures.append(f"{tool}: {message[-1] if message else 'no text'}"[:200])
    return Extraction(format="doc", error="; ".join(failures) or "no text")


# -- OpenDocument text ---------------------------------------------------------------------------------------

def _odt(body: bytes) -> Extraction:
    from odf import teletype
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    document = load(io.BytesIO(body))
    parts: list[str] = []
    tables: list[Table] = []
    title = ""
    # Iterative walk in document order: paragraphs and headings as lines, tables as Tables.
    stack = [iter(document.text.childNodes)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        qname = getattr(node, "qname", None)
        if qname in ((TEXTNS, "p"), (TEXTNS, "h")):
            line = teletype.extractText(node)
            parts.append(line)
            if qname == (TEXTNS, "h") and not title and line.strip():
                title = line
        elif qname == (TABLENS, "table"):
            rows = _odf_rows(node, teletype)
            if rows:
                tables.append(Table(where=f"table {len(tables) + 1}", rows=rows))
                parts.extend("\t".join(row) for row in rows)
        elif getattr(node, "childNodes", None):
            stack.append(iter(node.childNodes))
    meta_title = ""
    try:
        from odf import dc
        found = document.meta.getElementsByType(dc.Title)
        meta_title = teletype.extractText(found[0]) if found else ""
    except Exception:
        meta_title = ""
    return _finish("odt", "odfpy", "\n".join(parts), tables, title=meta_title or title)


def _odf_rows(table, teletype) -> list[list[str]]:
    from odf.namespaces import TABLENS

    rows = []
    for row in table.getElementsByType(_odf_class("TableRow")):
        repeat_rows = min(int(row.getAttrNS(TABLENS, "number-rows-repeated") or 1), MAX_REPEATED_CELLS)
        cells: list[str] = []
        for cell in row.childNodes:
            if getattr(cell, "qname", None) not in ((TABLENS, "table-cell"), (TABLENS, "covered-table-cell")):
                continue
            repeat = min(int(cell.getAttrNS(TABLENS, "number-columns-repeated") or 1), MAX_REPEATED_CELLS)
            paragraphs = [teletype.extractText(p) for p in cell.childNodes]
            cells.extend([one_line(" ".join(paragraphs))] * repeat)
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.extend([cells] * (repeat_rows if repeat_rows > 1 and any(cells) else 1))
    return rows


def _odf_class(name: str):
    from odf import table as odf_table
    return getattr(odf_table, name)


# -- CSV and plain text ---------------------------------------------------------------------------------------

def decode_text(body: bytes, charset: str | None = None) -> tuple[str, str]:
    """Text of a data file: BOM, else strict UTF-8, else a declared charset that gives Thai-looking
    text (or no Thai alternative), else windows-874 (TIS-620)."""
    if body.startswith(codecs.BOM_UTF8):
        return body.decode("utf-8-sig", "replace"), "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", "replace"), "utf-16"
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    thai = body.decode("cp874", "replace")
    try:
        declared = codecs.lookup(charset).name if charset else None
    except LookupError:
        declared = None
    if declared and declared not in ("utf-8", "cp874", "tis-620", "iso8859-11"):
        text = body.decode(declared, "replace")
        if looks_thai(text) or not looks_thai(thai):
            return text, declared
    return thai, "cp874"


def _csv(body: bytes, charset: str | None) -> Extraction:
    if looks_binary(body):
        return Extraction(format="csv", error="binary content, not a CSV file")
    text, encoding = decode_text(body, charset)
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    warnings = [] if encoding.startswith("utf") else [f"decoded as {encoding}"]
    budget = MAX_CELLS
    memo: dict[str, str] = {}
    try:
        for values in csv.reader(io.StringIO(text), dialect):
            budget -= len(values)
            if budget < 0:
                warnings.append(f"only the first {MAX_CELLS} cells read")
                break
            row = [_cell_text(value, memo) for value in values]
            while row and not row[-1]:
                row.pop()
            if row:
                rows.append(row)
    except csv.Error as exc:
        warnings.append(f"CSV read as plain lines: {exc}")
        rows = [[one_line(line)] for line in text.splitlines() if line.strip()]
    lines = ["\t".join(row) for row in rows]
    return _finish("csv", "csv", "\n".join(lines), [Table(where="table 1", rows=rows)] if rows else [],
                   warnings=warnings)


def extract_plain_text(body: bytes, *, charset: str | None = None) -> Extraction:
    if looks_binary(body):
        return Extraction(format="other", error="binary content, not text")
    try:
        text, encoding = decode_text(body, charset)
    except Exception as exc:
        return Extraction(format="other", error=error_message(exc))
    result = _finish("other", "text", text, [])
    if not encoding.startswith("utf"):
        result.warnings.append(f"decoded as {encoding}")
    return result
