"""HTML pages: decode first, then parse (lxml's libxml2 HTML parser), then one pass over its events.

Decoding (thai-text.md: a wrong charset header is common, and lxml given raw bytes labelled tis-620
with windows-874-only bytes returns an empty document): a BOM, else bytes that are valid UTF-8 are
UTF-8, else the HTTP header charset, else <meta charset>, else windows-874 (TIS-620 is a subset). A
declared single-byte charset whose text does not look Thai while windows-874 does (a page labelled
ISO-8859-1) is replaced by windows-874, with a warning.

No tree is built: the walker takes the parser's events (start, end, text) as they come, the events
BeautifulSoup built its tree from (which cost 4.2 of 10.1 ms per page); lxml's own tree would do,
but libxml2 silently drops what lies deeper than 256 elements (2048 with huge_tree) in a tree and not
in events. The walk keeps its own stack (deeply nested markup must not hit Python's recursion limit)
and collects in
one pass: visible text with block elements on their own lines, links with their anchor text, context
(the enclosing row / list item / paragraph / small div), nearest heading and whether they sit in
navigation markup, and the data tables.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.extraction import SCRIPT_BUILT, Extraction, Link, Table, looks_binary, one_line, text_layer_of
from crawler.text.thai import compact, is_garbage_thai, looks_thai, normalize, thai_ratio
from crawler.text.urls import canonical, unquote

MAX_HTML_CHARS = 8_000_000      # decoded characters parsed; a larger page is cut (with a warning)
MAX_LINKS = 20_000
MAX_TABLES = 200
MAX_TABLE_CELLS = 200_000
MAX_CELL_CHARS = 2_000
CONTEXT_MAX_CHARS = 400          # a container larger than this is not a link's context
HEADING_MAX_CHARS = 300

# Never visible. <head> is read separately for <title> and <base>.
_DROP = frozenset({"script", "style", "noscript", "template", "head", "svg", "math", "object"})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "legend", "li", "main", "menu", "nav", "ol", "option",
    "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
})
_CONTAINERS = frozenset({"tr", "li", "p", "dd", "dt", "div"})
# Heading levels: h1-h6, a table caption, a table row of one cell (a group header), bold text
# opening its block. A heading drops the headings of its level and below.
_HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6, "caption": 7}
_ROW_HEADING, _BOLD_HEADING = 8, 9
_BOLD = frozenset({"strong", "b"})
_NAV_TAGS = frozenset({"nav", "header", "footer", "aside"})
_NAV_WORDS = re.compile(r"menu|(?:^|[\s_-])nav|sidebar|side-bar|footer|breadcrumb", re.IGNORECASE)
_EMBEDS = {"iframe": "src", "embed": "src", "frame": "src", "area": "href"}
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:", "vbscript:", "callto:", "sms:")
_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n\s*\n")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)

# A page whose content a script builds: a script that writes markup, or an application bundle, or a
# <noscript> notice; and, outside the menus, next to no text or links of its own (SCRIPT_BUILT).
_BUILDS_MARKUP = re.compile(r"document\.write|innerHTML|insertAdjacentHTML|appendChild|createElement|"
                            r"\.append\(|hydrate|render\(", re.IGNORECASE)
_APP_BUNDLE = re.compile(r"/_next/|/_nuxt/|react|vue|angular|webpack|bundle|/static/js/", re.IGNORECASE)
SHELL_MAX_CHARS = 300           # characters of its own text (outside menus) a script-built page shows
SHELL_MAX_LINKS = 2             # links of its own (outside menus)
_SCRIPT_SAMPLE = 50_000         # characters of inline script read for the signs above

_THAI_CHARSETS = {"tis-620", "tis620", "tis_620", "iso-8859-11", "iso8859-11", "iso_8859-11",
                  "iso885911", "windows-874", "x-windows-874", "cp874", "ms874", "dos-874", "thai"}
_LATIN_CHARSETS = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "us-ascii",
                   "ascii", "windows-1252", "cp1252", "x-cp1252"}


# -- decoding -------------------------------------------------------------------------------------------

def decode_html(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """The text of an HTML body and the encoding used (a Python codec name)."""
    text, encoding, _ = _decode(body, header_charset)
    return text, encoding


def _codec(label: str | bytes | None) -> str | None:
    if isinstance(label, bytes):
        label = label.decode("ascii", "replace")
    label = (label or "").strip().strip("\"'").lower()
    if not label:
        return None
    if label in _THAI_CHARSETS:
        return "cp874"
    if label in _LATIN_CHARSETS:
        return "cp1252"          # what browsers do (WHATWG)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode(body: bytes, header_charset: str | None) -> tuple[str, str, list[str]]:
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace"), "utf-8", []
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", "replace"), "utf-16", []
    declared = _codec(header_charset)
    if declared is None:
        meta = _META_CHARSET.search(body[:8192])
        declared = _codec(meta.group(1)) if meta else None
    if declared in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        declared = None           # a <meta> of an 8-bit page cannot be true; sniff instead
    if not _HIGH_BYTE.search(body):
        return body.decode("ascii", "replace"), declared or "ascii", []

    # Valid UTF-8 with non-ASCII bytes is UTF-8 whatever the label says; a handful of bad bytes in an
    # otherwise UTF-8 page is too (replaced), TIS-620 text would be almost all bad bytes, and a page
    # with no valid UTF-8 character at all is not UTF-8 (a Latin-1 "café": 1 byte, 1 bad).
    utf8 = body.decode("utf-8", "replace")
    bad = utf8.count("\ufffd")
    if bad:
        sample = utf8[:200_000]
        non_ascii = (len(sample) - len(sample.encode("ascii", "ignore"))) or 1
        decoded = non_ascii - sample.count("\ufffd")        # characters UTF-8 really made
    if bad == 0 or (decoded > 0 and bad <= max(3, non_ascii // 100)):
        warnings = []
        if declared not in (None, "utf-8"):
            warnings.append(f"charset declared as {declared} but the bytes are UTF-8: decoded as UTF-8")
        if bad:
            warnings.append(f"{bad} invalid UTF-8 byte sequences replaced")
        return utf8, "utf-8", warnings

    if declared not in (None, "utf-8"):
        text = body.decode(declared, "replace")
        if declared != "cp874" and not looks_thai(text):
            thai = body.decode("cp874", "replace")
            if looks_thai(thai) or (is_garbage_thai(text) and thai_ratio(thai) > thai_ratio(text)):
                return thai, "cp874", [f"charset declared as {declared} but the text is Thai: "
                                       "decoded as windows-874"]
        return text, declared, []
    warnings = ["charset declared as UTF-8 but the bytes are not: decoded as windows-874"] \
        if declared == "utf-8" else []
    return body.decode("cp874", "replace"), "cp874", warnings


# -- the walk -------------------------------------------------------------------------------------------

@dataclass
class _Container:
    start: int                 # index into pieces
    length0: int               # characters before it
    links: list = field(default_factory=list)


@dataclass
class _LinkRec:
    href: str
    headings: tuple[str, ...]  # the heading chain above the link, nearest last
    in_nav: bool
    container: _Container | None
    title_attr: str = ""       # title / aria-label: the anchor text of last resort
    text: str = ""
    context: str = ""


@dataclass
class _TableRec:
    rows: list[list[str]] = field(default_factory=list)
    layout: bool = False       # holds another table: page layout, not data


class _Frame:
    __slots__ = ("name", "start", "length0", "nav", "container", "anchor", "table", "row",
                 "cell", "links0", "saved_headings", "mail")

    def __init__(self, name: str, start: int, length0: int, links0: int):
        self.name, self.start, self.length0, self.links0 = name, start, length0, links0
        self.nav = False
        self.container = self.anchor = self.table = self.row = None
        self.cell = False
        self.saved_headings = self.mail = None


class _Walker:
    def __init__(self, base_url: str | None):
        self.base_url = base_url
        self.pieces: list[str] = []
        self.length = 0
        self.nav_depth = 0
        self.pre_depth = 0
        self.headings: list[tuple[int, str]] = []     # (level, text), levels increasing
        self.first_h1 = ""
        self.links: list[_LinkRec] = []
        self.containers: list[_Container] = []
        self.anchors: list[tuple[_LinkRec, list[str]]] = []
        self.tables: list[_TableRec] = []
        self.table_stack: list[_TableRec] = []
        self.row_stack: list[list[str]] = []
        self.cells = 0
        self.too_many_links = False
        self.warnings: list[str] = []
        self.own_chars = 0                            # text outside menus (SCRIPT_BUILT)

    # -- text
    def add(self, text: str) -> None:
        if not self.pre_depth:
            text = _SPACES.sub(" ", text)
        if text:
            self.pieces.append(text)
            self.length += len(text)
            if not self.nav_depth:
                self.own_chars += len(text.strip())

    def newline(self) -> None:
        if self.pieces and self.pieces[-1] != "\n":
            self.pieces.append("\n")
            self.length += 1

    def capture(self, start: int, limit: int) -> str:
        """The text added since pieces[start], at most about `limit` characters."""
        out, size = [], 0
        for piece in self.pieces[start:]:
            out.append(piece)
            size += len(piece)
            if size >= limit:
                break
        return "".join(out)[:limit]

    # -- elements
    def enter(self, tag: dict[str, str], name: str) -> _Frame | None:
        """An element starts (`tag`: its attributes); None: its content is not shown."""
        if name in _DROP:
            return None
        frame = _Frame(name, len(self.pieces), self.length, len(self.links))
        if name in _NAV_TAGS or (tag and _looks_nav(tag.get("role"), tag.get("id"), tag.get("class"))):
            frame.nav = True
            frame.saved_headings = self.headings       # navigation has headings of its own
            self.headings = []
            self.nav_depth += 1
        if name in _BLOCK:
            self.newline()
        if name == "br":
            self.add("\n")
        elif name == "pre":
            self.pre_depth += 1
        elif name in ("td", "th"):
            frame.cell = True
            self.add(" ")
        elif name == "img" and self.anchors:
            alt = tag.get("alt") or tag.get("title")
            if isinstance(alt, str) and alt.strip():
                self.anchors[-1][1].append(alt)
        if name in _CONTAINERS:
            frame.container = _Container(frame.start, frame.length0)
            self.containers.append(frame.container)
        if name == "a":
            href = tag.get("href")
            if href is not None:
                link = self._link(href, tag)
                if link is not None:
                    frame.anchor = link
                    self.anchors.append((link, []))
                elif href.strip().lower().startswith(("mailto:", "tel:")):
                    frame.mail = unquote(href.strip().split(":", 1)[1].split("?")[0]).strip()
        elif name in _EMBEDS:
            src = tag.get(_EMBEDS[name])
            if src is not None:
                link = self._link(src, tag)
                if link is not None:
                    link.text = one_line(tag.get("title") or tag.get("alt") or "")
            if name != "area":
                return None       # fallback content of iframe/embed is not shown
        elif name == "table":
            if self.table_stack:
                self.table_stack[-1].layout = True
            frame.table = _TableRec()
            self.table_stack.append(frame.table)
            if frame.saved_headings is None:
                frame.saved_headings = list(self.headings)  # captions and row headers end with it
        elif name == "tr" and self.table_stack:
            frame.row = []
            self.row_stack.append(frame.row)
        return frame

    def exit(self, frame: _Frame) -> None:
        name = frame.name
        if name in _BLOCK:
            self.newline()
        if name == "pre":
            self.pre_depth -= 1
        if frame.cell:
            self._cell(frame)
        elif name in _HEADING_LEVELS:
            text = one_line(self.capture(frame.start, HEADING_MAX_CHARS))
            if text:
                self.set_heading(_HEADING_LEVELS[name], text)
                if name == "h1" and not self.first_h1:
                    self.first_h1 = text
        elif name in _BOLD:
            self._bold_heading(frame)
        if frame.anchor is not None:
            link, alts = self.anchors.pop()
            text = self.capture(frame.start, 500)
            link.text = one_line(text) or one_line(" ".join(alts)) or one_line(link.title_attr)
        if frame.mail:
            anchor_text = self.capture(frame.start, 500)
            if frame.mail not in anchor_text:
                self.add(f" {frame.mail} ")
        if frame.row is not None:
            self._row(frame)
        if frame.table is not None:
            self.table_stack.pop()
            table = frame.table
            if not table.layout and table.rows and len(self.tables) < MAX_TABLES:
                self.tables.append(table)
        if frame.container is not None:
            self.containers.pop()
            self._context(frame.container)
        if frame.nav:
            self.nav_depth -= 1
        if frame.saved_headings is not None:
            self.headings = frame.saved_headings

    def set_heading(self, level: int, text: str) -> None:
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.headings.append((level, text))

    def _link(self, href: str, tag: dict[str, str]) -> _LinkRec | None:
        href = href.strip()
        low = href.lower()
        if not href or href.startswith("#") or low.startswith(_SKIP_SCHEMES):
            return None
        if len(self.links) >= MAX_LINKS:
            if not self.too_many_links:
                self.too_many_links = True
                self.warnings.append(f"more than {MAX_LINKS} links: the rest ignored")
            return None
        absolute = _absolute(href, self.base_url)
        if absolute is None:
            return None
        link = _LinkRec(absolute, tuple(text for _, text in self.headings), self.nav_depth > 0,
                        self.containers[-1] if self.containers else None,
                        title_attr=tag.get("title") or tag.get("aria-label") or "")
        if link.container is not None:
            link.container.links.append(link)
        self.links.append(link)
        return link

    def _cell(self, frame: _Frame) -> None:
        if not self.row_stack:
            return
        row = self.row_stack[-1]
        if self.cells >= MAX_TABLE_CELLS:
            return
        self.cells += 1
        text = one_line(self.capture(frame.start, MAX_CELL_CHARS))
        row.append(text)

    def _row(self, frame: _Frame) -> None:
        self.row_stack.pop()
        row = frame.row
        while row and not row[-1]:
            row.pop()
        if not any(row):
            return
        if self.table_stack:
            self.table_stack[-1].rows.append(row)
        # A row of one non-empty cell with no link in it ("ไตรมาส 2") heads the rows below it.
        filled = [c for c in row if c]
        if len(self.links) == frame.links0 and len(filled) == 1 and len(filled[0]) <= HEADING_MAX_CHARS:
            self.set_heading(_ROW_HEADING, filled[0])

    def _bold_heading(self, frame: _Frame) -> None:
        """<p><strong>รายงานผล…</strong></p>: bold text opening its container is a heading."""
        if len(self.links) != frame.links0 or not self.containers:
            return
        container = self.containers[-1]
        if frame.start - container.start > 8 or "".join(self.pieces[container.start:frame.start]).strip():
            return                                    # something came before it in its container
        text = one_line(self.capture(frame.start, HEADING_MAX_CHARS))
        if 2 <= len(text) <= 120:
            self.set_heading(_BOLD_HEADING, text)

    def _context(self, container: _Container) -> None:
        if not container.links:
            return
        size = self.length - container.length0
        if size > CONTEXT_MAX_CHARS * 3:
            return
        text = one_line(self.capture(container.start, CONTEXT_MAX_CHARS * 3))
        if len(text) > CONTEXT_MAX_CHARS:
            return
        for link in container.links:
            link.context = text


def _looks_nav(role: str | None, id_: str | None, class_: str | None) -> bool:
    """An element with these attributes is navigation. A site's elements repeat their classes on every
    page: each short combination is judged once (201,000 elements on the bench site's 2,001 pages)."""
    if len(role or "") + len(id_ or "") + len(class_ or "") > _NAV_REMEMBERED_CHARS:   # hostile: not kept
        return _judged_nav(role, id_, class_)
    return _remembered_nav(role, id_, class_)


def _judged_nav(role: str | None, id_: str | None, class_: str | None) -> bool:
    if (role or "").lower() == "navigation":
        return True
    marks = " ".join(filter(None, (id_, class_)))
    return bool(marks) and bool(_NAV_WORDS.search(marks))


_NAV_REMEMBERED_CHARS = 200
_remembered_nav = lru_cache(maxsize=4096)(_judged_nav)


def _absolute(href: str, base: str | None) -> str | None:
    """The canonical absolute URL of a link (None: not a web link). A menu repeats its links on every
    page: an absolute href is resolved once for the site, a root-relative one once per host."""
    if href.startswith(("http://", "https://")):
        return _resolved(href, None)
    if base and href.startswith("/") and not href.startswith("//"):
        try:
            parts = urlsplit(base)
        except ValueError:
            return None
        if parts.scheme and parts.netloc:
            return _resolved(href, f"{parts.scheme}://{parts.netloc}/")
    return _resolved.__wrapped__(href, base)


@lru_cache(maxsize=16_384)
def _resolved(href: str, base: str | None) -> str | None:
    try:
        url = urljoin(base, href) if base else href
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme in ("http", "https"):
        try:
            return canonical(url)
        except (ValueError, TypeError):
            return url
    if scheme in ("", "ftp"):
        return url
    return None


class _Events:
    """lxml parser target: each run of text between two events (a tag, a comment, a processing
    instruction) goes to the walker as one string; elements the walker drops hide their content."""

    def __init__(self, walker: _Walker):
        self.walker = walker
        self.frames: list[_Frame] = []
        self.dropped = 0                       # depth inside an element whose content is not shown
        self.pending: list[str] = []
        self.title: list[str] | None = None    # the strings of the first <title>, wherever it is
        self.title_depth = 0
        # Scripts and <noscript>, wherever they are (SCRIPT_BUILT): dropped from the text, read here.
        self.scripts = 0
        self.in_script = self.in_noscript = 0
        self.script_text: list[str] = []
        self.script_chars = 0
        self.bundle = False
        self.noscript_chars = 0

    def _flush(self) -> None:
        if self.pending:
            text = "".join(self.pending)
            self.pending = []
            if self.title_depth:
                self.title.append(text)
            if not self.dropped:
                self.walker.add(text)

    def start(self, tag: str, attrib: dict) -> None:
        self._flush()
        if tag == "script":
            self.scripts += 1
            self.in_script += 1
            src = attrib.get("src")
            if isinstance(src, str) and _APP_BUNDLE.search(src):
                self.bundle = True
        elif tag == "noscript":
            self.in_noscript += 1
        if self.title_depth:
            self.title_depth += 1
        elif tag == "title" and self.title is None:
            self.title, self.title_depth = [], 1
        if self.dropped:
            self.dropped += 1
            return
        frame = self.walker.enter(attrib, tag)
        if frame is None:
            self.dropped = 1
        else:
            self.frames.append(frame)

    def end(self, tag: str) -> None:
        self._flush()
        if tag == "script" and self.in_script:
            self.in_script -= 1
        elif tag == "noscript" and self.in_noscript:
            self.in_noscript -= 1
        if self.title_depth:
            self.title_depth -= 1
        if self.dropped:
            self.dropped -= 1
        elif self.frames:
            self.walker.exit(self.frames.pop())

    def data(self, text: str) -> None:
        if self.in_script:
            if self.script_chars < _SCRIPT_SAMPLE:
                self.script_text.append(text)
                self.script_chars += len(text)
            return
        if self.in_noscript:
            self.noscript_chars += len(text.strip())
        self.pending.append(text)

    def script_built(self, own_links: int) -> bool:
        """Does a script build this page's content? (It says so, and the page shows almost nothing else.)"""
        if not self.scripts or own_links > SHELL_MAX_LINKS or self.walker.own_chars > SHELL_MAX_CHARS:
            return False
        return bool(self.noscript_chars or self.bundle or _BUILDS_MARKUP.search("".join(self.script_text)))

    def comment(self, text: str) -> None:
        self._flush()

    def pi(self, target: str, data: str | None = None) -> None:
        self._flush()

    def doctype(self, *args) -> None:
        self._flush()

    def close(self) -> None:
        self._flush()
        while self.frames:                     # lxml closes every element; this is a safety net
            self.walker.exit(self.frames.pop())


_BASE_TAG = re.compile(r"<base\b", re.IGNORECASE)


def _base_href(text: str) -> str | None:
    """The href of the page's first <base href>: it applies to the links before it too, so it is
    looked up before the walk, in a parse of its own for the rare page that may have one."""
    if not _BASE_TAG.search(text):
        return None
    finder = _BaseFinder()
    parser = etree.HTMLParser(target=finder, recover=True)
    parser.feed(text)
    return parser.close()


class _BaseFinder:
    def __init__(self):
        self.href: str | None = None

    def start(self, tag: str, attrib: dict) -> None:
        if tag == "base" and self.href is None:
            self.href = attrib.get("href")

    def close(self) -> str | None:
        return self.href


# -- the extractor ----------------------------------------------------------------------------------------

_CUT = "page cut at"


def links_whole(links: int, warnings: list[str]) -> bool:
    """Whether an HTML extraction of `links` links with these warnings holds every link of its page:
    not cut at MAX_LINKS links nor at MAX_HTML_CHARS characters."""
    return links < MAX_LINKS and not any(warning.startswith(_CUT) for warning in warnings)


def extract_html(body: bytes, *, charset: str | None = None, url: str | None = None) -> Extraction:
    if looks_binary(body):
        return Extraction(format="html", extractor="lxml", error="binary content, not an HTML page")
    text, _encoding, warnings = _decode(body, charset)
    if len(text) > MAX_HTML_CHARS:
        text = text[:MAX_HTML_CHARS]
        warnings.append(f"{_CUT} {MAX_HTML_CHARS} characters before parsing")
    if text.startswith("\ufeff"):
        text = text[1:]
    base = url
    base_href = _base_href(text)
    if base_href:
        base = urljoin(url, base_href.strip()) if url else base_href.strip()
    walker = _Walker(base)
    events = _Events(walker)
    parser = etree.HTMLParser(target=events, recover=True)
    parser.feed(text)
    parser.close()

    full_text = normalize(_BLANK_LINES.sub("\n", "".join(walker.pieces)))
    title = one_line(" ".join(events.title)) if events.title is not None else ""
    title = title or walker.first_h1
    links = [_finish_link(link) for link in walker.links]
    tables = [Table(where=f"table {i}", rows=t.rows) for i, t in enumerate(walker.tables, 1)]
    own_links = sum(1 for link in walker.links if not link.in_nav)
    if events.script_built(own_links):
        warnings.append(f"{SCRIPT_BUILT}: its content is written by scripts; read without a browser it shows "
                        f"{walker.own_chars} characters and {own_links} links of its own")
    return Extraction(
        format="html", title=title[:500], text=full_text, text_layer=text_layer_of(full_text),
        tables=tables, links=links, extractor="lxml",
        warnings=warnings + walker.warnings,
    )


def _finish_link(link: _LinkRec) -> Link:
    """Context: the container's text (else the anchor text), after the two nearest headings."""
    text = link.text or one_line(link.title_attr)
    context = link.context or text
    squeezed = compact(context)
    above = [h for h in link.headings[-2:] if compact(h) not in squeezed]
    if above:
        context = " › ".join(above) + (f" — {context}" if context else "")
    heading = link.headings[-1] if link.headings else ""
    return Link(href=link.href, text=text, context=context, heading=heading, in_nav=link.in_nav)
