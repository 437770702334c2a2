"""Office documents and plain data files: xlsx / xls / ods, docx, doc, odt, csv, text.

No parser here is hand-written: spreadsheets go through pandas + python-calamine (about 6x faster
than openpyxl, reads .xls and .ods too), .docx through python-docx (tables included), .doc through
Debian's antiword (catdoc as the fallback) in a subprocess with a timeout, .odt through odfpy.
Zip-based files are checked for zip bombs (declared sizes and ratios) before any parser opens them.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import os
import shutil
import subprocess
import tempfile
import zipfile

from crawler.extraction import (Extraction, Table, error_message, first_line, looks_binary, one_line,
                                text_layer_of)
from crawler.text.thai import compact, looks_thai, normalize

MAX_CELLS = 1_000_000                  # spreadsheet / csv cells read; the rest is dropped (warning)
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_UNCOMPRESSED = 300 * 1024 * 1024
MAX_ZIP_RATIO = 150                    # uncompressed / compressed, for entries over 10 MB
MAX_REPEATED_CELLS = 200               # ODF number-columns/rows-repeated honoured up to this
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
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return f"corrupt zip container: {exc}"
    if len(entries) > MAX_ZIP_ENTRIES:
        return f"zip with {len(entries)} entries: refused"
    total = sum(entry.file_size for entry in entries)
    if total > MAX_ZIP_UNCOMPRESSED:
        return f"zip expanding to {total} bytes: refused (zip bomb?)"
    for entry in entries:
        if entry.file_size > 10 * 1024 * 1024 and entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1):
            return f"zip entry {entry.filename} compressed {entry.file_size // max(entry.compress_size, 1)}x: refused (zip bomb?)"
    return None


def _finish(fmt: str, extractor: str, text: str, tables: list[Table], title: str = "",
            warnings: list[str] | None = None, pages: int | None = None) -> Extraction:
    text = normalize(text)
    squeezed_title = one_line(title)
    if not squeezed_title or compact(squeezed_title) not in compact(text[:20_000]):
        squeezed_title = one_line(first_line(text))
    return Extraction(format=fmt, title=squeezed_title[:300], text=text, text_layer=text_layer_of(text),
                      pages=pages, tables=tables, extractor=extractor, warnings=warnings or [])


# -- spreadsheets ----------------------------------------------------------------------------------------

def _spreadsheet(fmt: str, body: bytes) -> Extraction:
    import pandas as pd

    sheets = pd.read_excel(io.BytesIO(body), engine="calamine", sheet_name=None, header=None,
                           dtype=object)
    tables: list[Table] = []
    lines: list[str] = []
    warnings: list[str] = []
    budget = MAX_CELLS
    memo: dict[str, str] = {}
    for name, frame in sheets.items():
        sheet = one_line(str(name))
        rows: list[list[str]] = []
        for values in frame.itertuples(index=False, name=None):
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

def _docx(body: bytes) -> Extraction:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable

    document = Document(io.BytesIO(body))
    parts: list[str] = []
    tables: list[Table] = []
    warnings: list[str] = []
    try:
        header = document.sections[0].header if document.sections else None
        if header is not None and not header.is_linked_to_previous:
            parts.extend(p.text for p in header.paragraphs)
    except Exception as exc:    # a broken header part must not lose the body
        warnings.append(f"header skipped: {error_message(exc)}")
    heading = ""
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            rows = _docx_rows(block)
            if rows:
                tables.append(Table(where=f"table {len(tables) + 1}", rows=rows))
                parts.extend("\t".join(row) for row in rows)
        else:
            parts.append(block.text)
            style = (block.style.name if block.style is not None else "") or ""
            if not heading and block.text.strip() and style.lower().startswith(("title", "heading")):
                heading = block.text
    # Text boxes (often the heading of a Thai announcement) are outside the paragraphs above.
    for box in document.element.body.iter(qn("w:txbxContent")):
        parts.append("".join(node.text or "" for node in box.iter(qn("w:t"))))
    title = document.core_properties.title or heading
    return _finish("docx", "python-docx", "\n".join(parts), tables, title=title, warnings=warnings)


def _docx_rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, seen = [], None
        for cell in row.cells:
            if cell._tc is seen:          # a horizontally merged cell is listed once per column
                continue
            seen = cell._tc
            cells.append(one_line(cell.text))
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


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
