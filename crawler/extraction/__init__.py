"""Bytes -> `Extraction`: text, title, tables, links and text-layer quality of one fetched resource.

`extract(body, content_type=..., filename=..., url=...)` sniffs the format (magic bytes first, then
the Content-Type, then the file name extension) and hands the bytes to the module of that format:
html.py, pdf.py, office.py. It never raises on bad input: a corrupt or hostile file comes back as an
Extraction with `error` set. Every text it returns went through `crawler.text.thai.normalize`.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from crawler.text.thai import compact, has_letters, normalize, thai_ratio
from crawler.text.urls import url_path

FORMATS = ("html", "pdf", "xlsx", "xls", "docx", "doc", "ods", "odt", "csv", "image", "other")
MAX_TEXT_CHARS = 5_000_000          # text kept per resource (characters); the rest is cut, with a warning
MAX_ERROR_CHARS = 300


class Link(NamedTuple):   # HTML only. A named tuple: a page's links cross from the extraction worker
    # to the crawl process by pickle, and 80,000 of them (a bench crawl) load in 0.08 s, 0.14 s as dataclasses
    href: str          # absolute URL
    text: str          # normalised anchor text (or img alt / title attr)
    context: str       # normalised text of the enclosing table row / li / p, plus nearest heading
    heading: str       # nearest preceding heading text
    in_nav: bool       # inside <nav>, <header>, <footer>, role=navigation or a menu-like container


@dataclass
class Table:
    where: str                 # "page 3", "sheet มกราคม", "table 1"
    rows: list[list[str]]      # normalised cell text


# The warning that marks an HTML page whose content a script builds (crawler/extraction/html.py): read
# without a browser it shows next to nothing, so its links were not seen (crawler/audit/judge.py).
SCRIPT_BUILT = "script-built page"


@dataclass
class Extraction:
    format: str                # html pdf xlsx xls docx doc ods odt csv image other
    title: str = ""            # normalised (<title>/h1, PDF metadata title, first heading)
    text: str = ""             # normalised full text
    text_layer: str = "n/a"    # "text" | "scan" | "garbage" | "empty" | "n/a"
    pages: int | None = None
    tables: list[Table] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    language: str = ""         # "th" | "en" | "mixed" | ""
    extractor: str = ""        # e.g. "pypdfium2", "lxml", "calamine"
    ocr: dict | None = None    # {"engine": "tesseract 5.3.0", "confidence": 0..100, "pages": n,
                               #  "capped": bool} when text came from OCR (extraction/ocr.py)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def extract(body: bytes, *, content_type: str | None = None, filename: str | None = None,
            url: str | None = None) -> Extraction:
    """The Extraction of one fetched resource; never raises on bad input."""
    fmt = "other"
    try:
        if not body:
            return Extraction(format=_format_from_hints(content_type, filename, url) or "other",
                              text_layer="empty", error="empty body")
        fmt = sniff_format(body, content_type=content_type, filename=filename, url=url)
        result = _dispatch(fmt, body, content_type=content_type, filename=filename, url=url)
    except Exception as exc:   # a bug or a library choking on hostile input: report, never raise
        return Extraction(format=fmt, error=error_message(exc))
    return finish(result)


def extract_file(path: Path, *, content_type: str | None = None, filename: str | None = None,
                 url: str | None = None) -> Extraction:
    """extract() of the body in a file: a PDF is read from the file itself (extract_pdf), anything
    else from its bytes."""
    fmt = "other"
    try:
        with open(path, "rb") as file:
            head = file.read(1024)
        if sniff_format(head) != "pdf":       # the format of a PDF is decided by its first 1,024 bytes
            return extract(path.read_bytes(), content_type=content_type, filename=filename, url=url)
        fmt = "pdf"
        from crawler.extraction.pdf import extract_pdf
        result = extract_pdf(path, filename=filename, url=url)
    except Exception as exc:   # as extract(): report, never raise
        return Extraction(format=fmt, error=error_message(exc))
    return finish(result)


def _dispatch(fmt: str, body: bytes, *, content_type: str | None, filename: str | None,
              url: str | None) -> Extraction:
    if fmt == "html":
        from crawler.extraction.html import extract_html
        return extract_html(body, charset=charset_of(content_type), url=url)
    if fmt == "pdf":
        from crawler.extraction.pdf import extract_pdf
        return extract_pdf(body, filename=filename, url=url)
    if fmt in ("xlsx", "xls", "ods", "docx", "doc", "odt", "csv"):
        from crawler.extraction import office
        return office.extract_office(fmt, body, charset=charset_of(content_type))
    if fmt == "image":
        if not _is_image(body):
            return Extraction(format="image", error="not a recognised image (PNG, JPEG, GIF, TIFF, WebP)")
        return Extraction(format="image", text_layer="scan", pages=1, extractor="none",
                          warnings=["image: no text layer (needs OCR)"])
    if (content_type or "").lower().startswith("text/plain") or _extension(filename, url) == "txt":
        from crawler.extraction.office import extract_plain_text
        return extract_plain_text(body, charset=charset_of(content_type))
    what = (content_type or "").split(";")[0].strip() or _extension(filename, url) or "no type"
    if not _is_known_container(body):
        return Extraction(format="other", error=f"unrecognised content ({what}): not HTML, PDF, Office, "
                                                "CSV, text or an image")
    return Extraction(format="other", extractor="none", warnings=[f"unsupported format ({what})"])


def finish(result: Extraction) -> Extraction:
    """Common last steps: text capped, language decided."""
    if len(result.text) > MAX_TEXT_CHARS:
        result.text = result.text[:MAX_TEXT_CHARS]
        result.warnings.append(f"text cut at {MAX_TEXT_CHARS} characters")
    if not result.language:
        result.language = language_of(result.text if result.text_layer != "garbage" else "")
    return result


# -- format sniffing ----------------------------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)
_HTML_ANYWHERE = re.compile(rb"<(?:html|head|body|title|meta|div|table|p)\b", re.IGNORECASE)
_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_CONTENT_TYPES = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/pdf": "pdf", "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "text/csv": "csv", "application/csv": "csv",
}
_EXTENSIONS = {"htm": "html", "html": "html", "php": "html", "asp": "html", "aspx": "html",
               "pdf": "pdf", "xlsx": "xlsx", "xlsm": "xlsx", "xls": "xls", "docx": "docx",
               "doc": "doc", "ods": "ods", "odt": "odt", "csv": "csv",
               "png": "image", "jpg": "image", "jpeg": "image", "gif": "image", "tif": "image",
               "tiff": "image", "bmp": "image", "webp": "image"}


def sniff_format(body: bytes, *, content_type: str | None = None, filename: str | None = None,
                 url: str | None = None) -> str:
    """One of FORMATS: magic bytes first, then the Content-Type, then the file name extension."""
    head = body[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if body.startswith(b"PK\x03\x04"):
        return _zip_format(body) or _format_from_hints(content_type, filename, url) or "other"
    if body.startswith(_OLE2):
        return _ole_format(body) or _format_from_hints(content_type, filename, url) or "other"
    if _is_image(body):
        return "image"
    if body.startswith(b"{\\rtf"):
        return "other"
    probe = head.lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(probe):
        return "html"
    hinted = _format_from_hints(content_type, filename, url)
    if hinted in (None, "html") and _looks_like_markup(probe):
        return "html"
    # The bytes are not what the name or header says: the format's parser reports why.
    return hinted or "other"


def _is_image(body: bytes) -> bool:
    return body.startswith(_IMAGE_MAGIC) or (body[:4] == b"RIFF" and body[8:12] == b"WEBP")


def _is_known_container(body: bytes) -> bool:
    """Zip, OLE2 or RTF that is none of our formats (pptx, ppt, rtf, zip): unsupported, not broken."""
    return body.startswith((b"PK\x03\x04", _OLE2, b"{\\rtf"))


def _looks_like_markup(head: bytes) -> bool:
    return head.lstrip().startswith(b"<") and bool(_HTML_ANYWHERE.search(head))


def _format_from_hints(content_type: str | None, filename: str | None, url: str | None) -> str | None:
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype in _CONTENT_TYPES:
        return _CONTENT_TYPES[ctype]
    if ctype.startswith("image/"):
        return "image"
    return _EXTENSIONS.get(_extension(filename, url))


def _extension(filename: str | None, url: str | None) -> str:
    name = filename or (url_path(url) if url else "")
    return posixpath.splitext(name.strip())[1].lower().lstrip(".")


def _zip_format(body: bytes) -> str | None:
    """docx / xlsx / odt / ods from the names inside a zip (nothing is decompressed but `mimetype`)."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            names = archive.namelist()
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in _ODF_MIMETYPES:
                    return _ODF_MIMETYPES[mimetype]
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError, EOFError):
        return None
    if any(name.startswith("word/") for name in names):
        return "docx"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    return None


def _ole_format(body: bytes) -> str | None:
    """doc / xls from the stream names of an OLE2 compound file (olefile if installed)."""
    try:
        import olefile
    except ImportError:
        olefile = None
    if olefile is not None:
        try:
            with olefile.OleFileIO(io.BytesIO(body)) as ole:
                streams = {"/".join(entry) for entry in ole.listdir()}
        except Exception:
            streams = set()
        if "WordDocument" in streams:
            return "doc"
        if streams & {"Workbook", "Book"}:
            return "xls"
        if streams:
            return None
    # Without olefile: directory entries store their names in UTF-16LE.
    if "WordDocument".encode("utf-16-le") in body:
        return "doc"
    if "Workbook".encode("utf-16-le") in body or b"B\x00o\x00o\x00k\x00\x00\x00" in body:
        return "xls"
    return None


# -- helpers shared by the format modules --------------------------------------------------------------

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")


def charset_of(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def language_of(text: str) -> str:
    """"th", "en", "mixed", or "" when there are too few letters to tell."""
    sample = text[:200_000]
    if not has_letters(sample, 20, within=20_000):
        return ""
    ratio = thai_ratio(sample)
    if ratio >= 0.6:
        return "th"
    if ratio <= 0.2:
        return "en"
    return "mixed"


def error_message(exc: BaseException) -> str:
    message = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    return message[:MAX_ERROR_CHARS]


def one_line(text: str) -> str:
    """Normalised text on one line (titles, cells, link texts)."""
    if len(text) <= _REMEMBERED_CHARS:
        return _one_line_short(text)
    return " ".join(normalize(text).split())


_REMEMBERED_CHARS = 500


@lru_cache(maxsize=65_536)
def _one_line_short(text: str) -> str:
    # Menu entries, headings and table headers repeat on every page of a site: normalise each once.
    return " ".join(normalize(text).split())


def first_line(text: str, limit: int = 200) -> str:
    """The first line with a few letters in it (a title candidate), at most `limit` characters."""
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(_LETTER.findall(line)) >= 3:
            return line[:limit]
    return ""


# First lines that are not a document's title: a memo's form heading and header fields, a preface
# or contents page, a table's unit line, urgency and copy stamps, page numbers and page headers,
# chapter labels. (Seen in ../shared/real-docs: "บันทึกข้อความ", "คำนำ", "บทที่ 1 บทนำ"; in district
# budget tables "หน่วย : บาท".)
_NOT_A_TITLE = re.compile(
    r"(?:บันทึกข้อความ|คำนำ|สารบั[ญบ]|หน่วย\s*:?\s*(?:บาท|ล้านบาท|พันบาท|ราย|คน|แห่ง)|ด่วน(?:ที่สุด|มาก)?"
    r"|ลับ(?:ที่สุด|มาก)?|สำเนา(?:คู่ฉบับ)?|\(?สำเนา\)?|ส่วนราชการ.*|ที่?\s.*|วันที่?\s.*"
    # a memo's "ที่ กท 6501/230 วันที่ …" however OCR read "ที่" ("i กท 6501/230 วันที 25 …")
    r"|\S{1,3}\s*[ก-ฮ]{1,4}\.?\s*[\d๐-๙][\d๐-๙.]*\s*/.*"
    r"|บทที่\s*\S+(?:\s+บทนำ)?|บทนำ|ภาคผนวก|(?:หน้า|page)?\s*[-–(]*\s*[\d๐-๙]+\s*(?:/\s*[\d๐-๙]+)?\s*[-–)]*"
    r"|[-–_.…*=\s]+)", re.IGNORECASE)
# A letterhead: the agency's name alone ("โรงพยาบาลน้ำยืน", "NAMYUEN HOSPITAL") above the title.
_LETTERHEAD = re.compile(r"(?:โรงพยาบาล|สำนักงาน|องค์การบริหารส่วน|เทศบาล|กรุงเทพมหานคร|กระทรวง|กรม)\S*"
                         r"(?:\s\S+){0,2}|[A-Z][A-Z .&-]{2,40}")
_DOCUMENT_WORD = re.compile(r"รายงาน|แผน|ประกาศ|คำสั่ง|ระเบียบ|แบบ|คู่มือ|สรุป|ข้อมูล|นโยบาย|มาตรการ|เรื่อง")
_HEADING_WORD = re.compile(r"(?:ประกาศ|คำสั่ง|ระเบียบ|ข้อบัญญัติ|ข้อบังคับ)\S*")
_SUBJECT = re.compile(r"เรื?่?อง\s*:?\s*(.+)")           # OCR drops tone marks: "เรือง"
_SUBJECT_ENDS = re.compile(r"(?:เรียน|ถึง|อ้างถึง|สิ่งที่ส่งมาด้วย)\s|[-–_.…*=]{4,}")
TITLE_LINES = 12          # a title is looked for this far down
SUBJECT_LINES = 3         # a subject ("เรื่อง …") may run on over this many more lines ...
WRAPPED_CHARS = 40        # ... each after a line this long (a PDF line wrapped, not a new paragraph)


class TitleStyle(NamedTuple):
    """How a PDF line is set (pdf._Page.line_styles): its font size to a quarter point, its font, bold."""
    size: float
    font: bytes
    bold: bool


def title_line(text: str, limit: int = 200, wrapped: bool = True, styles: dict[str, TitleStyle] | None = None) -> str:
    """What a person would call the document's title, from its first lines: past boilerplate lines
    (_NOT_A_TITLE) and a letterhead; a memo's subject ("เรื่อง …"), an announcement's or order's
    heading with its subject ("ประกาศ … เรื่อง …", "ประกาศ … ว่าด้วย …"). Falls back to first_line().
    `wrapped`: the text's lines may be a paragraph wrapped (PDF, OCR), not whole paragraphs (Word).
    `styles`: how the first lines are set, by their compact() text (a PDF's): a long title line in bold
    runs on over the lines set in its own style ("…การล่วงละ" / "เมินหรือคุกคามทางเพศในการทำงาน") up to
    the one naming a year, never into a body or a table set otherwise; without styles, one line."""
    lines = [" ".join(line.split()) for line in text.splitlines()[:200]]
    lines = [line for line in lines if line][:TITLE_LINES]
    for index, line in enumerate(lines):
        subject = _SUBJECT.match(line)
        if subject is None:
            continue
        heading = [l for l in lines[:index] if not _NOT_A_TITLE.fullmatch(l)]
        if len(heading) > 1 or (heading and len(heading[0]) > 120):
            break                       # "เรื่อง" inside the text (a cited paper's), not its subject
        words = _run_on(subject.group(1), lines[index + 1:], wrapped)
        return " ".join(heading + ["เรื่อง"] * bool(heading) + words)[:limit]
    for index, line in enumerate(lines):
        if len(_LETTER.findall(line)) < 3 or _NOT_A_TITLE.fullmatch(line):
            continue
        if _LETTERHEAD.fullmatch(line) and not _DOCUMENT_WORD.search(line) and len(line) <= 40:
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _HEADING_WORD.match(line) and following.startswith("ว่าด้วย"):
            return f"{line} {following}"[:limit]
        if not styles:
            return line[:limit]
        return " ".join(_run_on(line, lines[index + 1:], wrapped, styles))[:limit]
    return first_line(text, limit)


def _run_on(first: str, following: list[str], wrapped: bool, styles: dict[str, TitleStyle] | None = None) -> list[str]:
    """A subject or title line and the lines it runs on over where the text was wrapped: each after a
    line of WRAPPED_CHARS or more, at most SUBJECT_LINES, never into a memo's next part, boilerplate, a
    new heading or a numbered line. With `styles` (a title): only a bold first line, only over lines in
    its style, and not past the line that names a year (a title's last)."""
    words = [first]
    style = styles.get(compact(first)) if styles is not None else None
    if styles is not None and (style is None or not style.bold):
        return words
    for more in following[:SUBJECT_LINES]:
        if (not wrapped or len(words[-1]) < WRAPPED_CHARS or _SUBJECT_ENDS.match(more) or _NOT_A_TITLE.fullmatch(more)
                or _HEADING_WORD.match(more) or more[:1].isdigit()):
            break
        if styles is not None and (styles.get(compact(more)) != style or _BE_YEAR.search(words[-1])):
            break
        words.append(more)
    return words


_BE_YEAR = re.compile(r"(?<![\d๐-๙])(?:25|๒๕)[\d๐-๙]{2}(?![\d๐-๙])")


def document_title(meta: str, text: str, window: int = 5000, wrapped: bool = True,
                   styles: dict[str, TitleStyle] | None = None) -> str:
    """The metadata title when the first `window` characters say it too (Word leaves stale titles in
    templates) and it is no boilerplate (Word makes "บันทึกข้อความ" a memo's title), unless the text's
    title line starts with it and says more ("ประกาศ … เรื่อง …"); else the title line (title_line,
    `styles` how its first lines are set). At most 300 characters."""
    line = one_line(title_line(text, wrapped=wrapped, styles=styles))
    meta = one_line(meta)
    if meta and not _NOT_A_TITLE.fullmatch(meta) and compact(meta) in compact(text[:window]):
        return (line if line.startswith(meta) and len(line) > len(meta) else meta)[:300]
    return line[:300]


_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def looks_binary(body: bytes) -> bool:
    """Control bytes in more than 2 % of the first 4 KB: not text (HTML, CSV) whatever it claims."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False                      # UTF-16 text is full of NUL bytes
    head = body[:4096]
    return len(_BINARY.findall(head)) * 50 > len(head)


def text_layer_of(text: str) -> str:
    return "text" if text.strip() else "empty"
