"""PDF: text with pypdfium2, text-layer quality, and (only where they matter) tables.

Text: pypdfium2 `get_text_range()` per page, the fastest and most Thai-correct extractor measured
(thai-text.md). Two defects of Word/PowerPoint-made Thai PDFs are repaired here because they need
character positions, which `crawler.text.thai.normalize` never sees:

* marks drawn over the consonant *before* the one they follow in the content stream ("ขอ้มลู" for
  ข้อมูล, "วสิยัทศัน์" for วิสัยทัศน์), with the spaces and line breaks pdfium generates around them:
  each mark goes back after the consonant it is drawn on;
* fonts whose ToUnicode map gives the sara aa glyph as ำ and the nikhahit as a space ("ประชำชน",
  "ส ำนัก"): recognised per font (it never yields า, and does yield "space + ำ"), then repaired.

Measured on the 40 real Thai PDFs of ../shared/real-docs (332 pages, 2-core machine, each
extractor's text through thai.normalize):

    extractor                         pages/s   manifest-title words found   marks with no base
    pypdfium2 get_text_range()        ~400      0.806                        2 / 56,490
    pypdfium2 + the repairs here      ~285      (see tests)                  -
    pdfplumber extract_text()         ~9.5      0.785                        11 / 56,412

Per CPU-second on the same files (tables off): get_text_range() alone ~460 pages, this module 245
(160 before boxes were read with raw pdfium calls, only where a mark could move, and page objects
walked only for pages without text).

pdfplumber also loses words pypdfium2 keeps (common words counted in the 132-page plan: pdfium
5,087, pdfplumber 3,790: its x-sort puts marks before their consonant).

Text layer: "scan" (almost no characters, but images), "garbage" (thai.is_garbage_thai, unmapped
glyphs, Thai that is mostly not Thai words (thai.thai_word_share), or Latin debris where Thai was
expected over page images), "empty", else "text"; a document
with some scanned pages says which in a "scan_pages: 2,3" warning.

Tables: pdfplumber's `find_tables()` grid (pdfplumber is ~50x slower, so it runs only for documents
up to MAX_TABLE_PAGES pages that ask for it or look like summary tables), each cell filled with the
pypdfium2 characters whose centre lies in it, every Thai mark kept with its base character.
"""
from __future__ import annotations

import ctypes
import io
import mmap
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from crawler.extraction import Extraction, Table, TitleStyle, document_title, error_message, one_line
from crawler.text.thai import MIN_THAI_WORD_SHARE, compact, is_garbage_thai, normalize, thai_ratio, thai_word_share
from crawler.extraction.limits import pdf_problem
from crawler.text.urls import url_path

MAX_PAGES = 300                 # pages read; the rest of a longer document is skipped (warning)
MAX_TABLE_PAGES = 30            # documents longer than this get no tables
SCAN_CHARS_PER_PAGE = 20        # fewer non-space characters than this on a page with images: a scan
TIME_BUDGET_S = 60.0            # stop reading further pages after this long (warning)
TITLE_STYLE_LINES = 16          # the first page's lines whose style a title reads (title_line looks 12 down)
TITLE_STYLE_SAMPLE = 12         # characters of each such line whose font is read
TABLE_HINTS = ("สขร", "สรุปผลการจัดซื้อจัดจ้าง", "สรุปผลการดำเนินการจัดซื้อจัดจ้าง", "สถิติ", "ตาราง")

_MARKS = frozenset(map(chr, [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)]))
_TONES = frozenset(map(chr, range(0x0E48, 0x0E4C)))
_CONSONANTS = frozenset(map(chr, range(0x0E01, 0x0E2F)))
# Marks and every character str.isspace() accepts (none lies above U+3000): one lookup for both.
_MARKS_AND_SPACES = _MARKS | frozenset(c for c in map(chr, range(0x3001)) if c.isspace())
_SARA_AA, _SARA_AM = "\u0e32", "\u0e33"
_MARK_OR_AM = re.compile("[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]")
_MARK_CLASS = "[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]"                     # _MARKS as a pattern
_MARK = re.compile(_MARK_CLASS)
_SPACE = re.compile(r"\s")                                          # str.isspace() as a pattern
_SPACE_BY_MARK = re.compile(f"(?<={_MARK_CLASS})\\s++|(?<!\\s)\\s++(?={_MARK_CLASS})")   # a whole run
_NO_CHAR = "\uffff"                   # stands for a character a repair removed, in _generated_gaps
_SPACE_THEN_AM = re.compile(r"\s[\u0e48-\u0e4b]?\u0e33")
_UNMAPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
_TOKEN = re.compile(r"\S+")
_LATIN_WORD = re.compile(r"^[A-Za-z][a-z]+[.,;:]?$|^[A-Z]{2,}[.,;:]?$")


def _is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e5b"


def _unchecked(function):
    """A pdfium function called without ctypes converting its arguments (pypdfium2 declares them):
    0.4 against 1.1 µs a call, which counts for calls made per character (2 million boxes on the
    bench site's 4,844 pages). Its arguments must be C values already: a handle, ints, byref()s."""
    plain = type(function)(ctypes.cast(function, ctypes.c_void_p).value)    # same calling convention
    plain.restype = function.restype
    return plain


_GET_CHAR_BOX = _unchecked(pdfium_c.FPDFText_GetCharBox)
_GET_FONT_INFO = _unchecked(pdfium_c.FPDFText_GetFontInfo)
_IS_GENERATED = _unchecked(pdfium_c.FPDFText_IsGenerated)
_GET_FONT_SIZE = _unchecked(pdfium_c.FPDFText_GetFontSize)
_GET_FONT_WEIGHT = _unchecked(pdfium_c.FPDFText_GetFontWeight)


# -- page text with the position repairs ------------------------------------------------------------------

class _Page:
    """The characters of one text page, in a repaired order, with boxes fetched on demand."""

    def __init__(self, textpage: pdfium.PdfTextPage):
        self.tp = textpage               # held: _handle below is its raw pointer, valid while it lives
        self.raw_text = textpage.get_text_range()
        self.count = textpage.count_chars()
        self.boxes: dict[int, tuple[float, float, float, float]] = {}
        self._font_buffer = ctypes.create_string_buffer(256)
        self._handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
        self._edges = [ctypes.c_double() for _ in range(4)]
        self._edge_refs = [ctypes.byref(edge) for edge in self._edges]

    def box(self, i: int) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) of a character, kept for the next call."""
        found = self.boxes.get(i)
        if found is None:
            found = self.boxes[i] = self._box(i)
        return found

    def _box(self, i: int) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) of a character; raw pdfium, unchecked (pypdfium2's wrapper costs
        5x more, the declared raw function 3x)."""
        left, right, bottom, top = self._edges
        if _GET_CHAR_BOX(self._handle, i, *self._edge_refs):
            return (left.value, bottom.value, right.value, top.value)
        return (0.0, 0.0, 0.0, 0.0)

    def font(self, i: int) -> bytes:
        self._font_buffer[0] = b"\0"           # pdfium leaves the buffer alone when it is too small
        _GET_FONT_INFO(self._handle, i, self._font_buffer, 256, None)
        return self._font_buffer.value

    def generated(self, i: int) -> bool:
        return _IS_GENERATED(self._handle, i) == 1

    def font_size(self, i: int) -> float:
        return _GET_FONT_SIZE(self._handle, i) or 10.0

    def bold(self, i: int, font: bytes) -> bool:
        return _GET_FONT_WEIGHT(self._handle, i) >= 600 or b"bold" in font.lower()

    def line_styles(self) -> dict[str, TitleStyle]:
        """How the page's first lines are set (each line's most common font and size over a sample of
        its characters, and whether it is bold), by the line's compact() text: where a title wrapped
        onto more lines in its own style (document_title). Empty when characters and text do not line up."""
        styles: dict[str, TitleStyle] = {}
        text = self.raw_text
        if len(text) != self.count:
            return styles
        start = 0
        for line in text.split("\n", TITLE_STYLE_LINES * 2)[:TITLE_STYLE_LINES * 2]:
            shown = [i for i in range(start, start + len(line)) if not text[i].isspace()]
            start += len(line) + 1
            key = compact(line)
            if not shown or not key or key in styles:
                continue
            sample = shown[::max(1, len(shown) // TITLE_STYLE_SAMPLE)]
            read = {i: (round(self.font_size(i) * 4) / 4, self.font(i)) for i in sample}
            (size, font), _ = Counter(read.values()).most_common(1)[0]
            one = next(i for i, style in read.items() if style == (size, font))
            styles[key] = TitleStyle(size, font, self.bold(one, font))
            if len(styles) >= TITLE_STYLE_LINES:
                break
        return styles

    def am_font_counts(self, stats: dict[bytes, list[int]]) -> None:
        """Per font: [ำ, า, whitespace + ำ] on this page (only pages showing "space + ำ")."""
        text = self.raw_text
        if len(text) != self.count or not _SPACE_THEN_AM.search(text):
            return
        for i, ch in enumerate(text):
            if ch == _SARA_AM or ch == _SARA_AA:
                counts = stats.setdefault(self.font(i), [0, 0, 0])
                if ch == _SARA_AA:
                    counts[1] += 1
                    continue
                counts[0] += 1
                j = i - 1
                while j >= 0 and text[j] in _TONES:
                    j -= 1
                if j >= 0 and text[j].isspace() and not self.generated(j):
                    counts[2] += 1

    def ordered(self, broken_am_fonts: frozenset[bytes] = frozenset()) -> list[tuple[str, int]]:
        """(character, char index) in reading order after the repairs."""
        if not self._needs_repair():
            return [(ch, i) for i, ch in enumerate(self.raw_text)]
        chars, order, dropped, _ = self._repaired(broken_am_fonts)
        return [(chars[i], i) for i in order if chars[i] and i not in dropped]

    def text(self, broken_am_fonts: frozenset[bytes] = frozenset()) -> str:
        """The characters of ordered() as one string (without the list of pairs: the hot path)."""
        if not self._needs_repair():
            return self.raw_text
        chars, order, dropped, as_read = self._repaired(broken_am_fonts)
        if as_read and not dropped:
            return self.raw_text         # nothing moved or removed: most pages, even with Thai marks
        return "".join([chars[i] for i in order if i not in dropped])      # "" (removed) adds nothing

    def _needs_repair(self) -> bool:
        return len(self.raw_text) == self.count and _MARK_OR_AM.search(self.raw_text) is not None

    def _repaired(self, broken_am_fonts: frozenset[bytes]) -> tuple[Sequence[str], Sequence[int], set[int], bool]:
        """The characters, their order, the whitespace dropped, and whether the characters and their
        order are still the raw text's."""
        raw = self.raw_text
        if broken_am_fonts and _SARA_AM in raw:
            chars = list(raw)
            self._repair_am(chars, broken_am_fonts)
            order = self._reorder_marks(chars)
            return chars, order, self._generated_gaps(chars, order, False), False
        first = self._first_move()
        if first is None:        # most pages: nothing moves, the raw text and its order stand as they are
            order = range(len(raw))
            return raw, order, self._generated_gaps(raw, order, True), True
        chars = list(raw)
        order = self._reorder_marks(chars, first)
        return chars, order, self._generated_gaps(chars, order, False), False

    def _first_move(self) -> int | None:
        """Where the first mark that _reorder_marks moves stands in the raw text (None: none moves).
        The same decisions, made on the raw text itself while nothing has moved, without building the
        order (1.8 million marks on the bench site's 4,722 pages, 50 of those pages with a move)."""
        raw, skipped, consonants, boxes = self.raw_text, _MARKS_AND_SPACES, _CONSONANTS, self.boxes
        get_box, handle, refs, (left, right, _, _) = _GET_CHAR_BOX, self._handle, self._edge_refs, self._edges
        after = -2                    # the mark before, when a candidate: the next mark shares its bases
        for match in _MARK.finditer(raw):
            i = match.start()
            if i != after + 1:        # (a mark right after a candidate mark has the same base and consonant)
                k = i - 1
                while k >= 0 and raw[k] in skipped:
                    k -= 1
                if k < 0 or not "\u0e01" <= raw[k] <= "\u0e5b":
                    continue
                k2 = k - 1
                while k2 >= 0 and raw[k2] in skipped:
                    k2 -= 1
                if k2 < 0 or raw[k2] not in consonants:
                    continue
                base = boxes.get(k) or self.box(k)
            after = i
            centre = (left.value + right.value) / 2 if get_box(handle, i, *refs) else 0.0
            if base[0] - 0.5 <= centre <= base[2] + 0.5:
                continue
            box = boxes.get(k2) or self.box(k2)
            if box[0] - 0.5 <= centre <= box[2] + 0.5:
                return i
        return None

    def _repair_am(self, chars: list[str], broken: frozenset[bytes]) -> None:
        """In a font that maps sara aa to ำ and nikhahit to a space: "space ำ" is ำ, a bare ำ is า.
        Only a space written in the PDF is a nikhahit; one pdfium generated is a gap ("เป้ ำหมำย")."""
        if any(ch == _SARA_AA and self.font(i) in broken for i, ch in enumerate(chars)):
            return            # this page shows the font writing า after all: leave it alone
        for i, ch in enumerate(chars):
            if ch != _SARA_AM or self.font(i) not in broken:
                continue
            j = i - 1
            while j >= 0 and chars[j] in _TONES:
                j -= 1
            if j >= 0 and chars[j].isspace() and not self.generated(j):
                while j >= 0 and chars[j].isspace():
                    chars[j] = ""
                    j -= 1
            else:
                chars[i] = _SARA_AA

    def _reorder_marks(self, chars: list[str], start: int = 0) -> list[int]:
        """Char indices with each mark moved after the consonant it is drawn over, if not there.
        `start`: no mark before it moves (_first_move)."""
        order: list[int] = list(range(start))
        done = start
        marks, consonants, previous_base, boxes = _MARKS, _CONSONANTS, self._previous_base, self.boxes
        # The per-mark work inlined (a million candidate marks on the bench site's pages): the mark's
        # box read raw, its bases' boxes kept (two marks often sit on one base).
        get_box, handle, refs, (left, right, _, _) = _GET_CHAR_BOX, self._handle, self._edge_refs, self._edges
        # (the repairs before this one never add or remove a mark: its places are the raw text's)
        for i in [match.start() for match in _MARK.finditer(self.raw_text, start)]:
            order.extend(range(done, i))          # other characters keep their place
            done = i + 1
            if not order:
                order.append(i)
                continue
            k = len(order) - 1
            ch = chars[order[k]]
            if not ch or ch in marks or ch.isspace():
                k = previous_base(chars, order, k)
                if k is None:
                    order.append(i)
                    continue
                ch = chars[order[k]]
            # Positions are read only where a move is possible: after a Thai base that itself
            # follows a consonant the mark could belong to.
            if not "\u0e01" <= ch <= "\u0e5b":
                order.append(i)
                continue
            k2 = k - 1
            while k2 >= 0:
                before = chars[order[k2]]
                if before and before not in marks and not before.isspace():
                    break
                k2 -= 1
            if k2 < 0 or before not in consonants:
                order.append(i)
                continue
            # the mark's own box is read once, not kept
            centre = (left.value + right.value) / 2 if get_box(handle, i, *refs) else 0.0
            base = order[k]
            box = boxes.get(base) or self.box(base)
            if box[0] - 0.5 <= centre <= box[2] + 0.5:
                order.append(i)
                continue
            other = order[k2]
            box = boxes.get(other) or self.box(other)
            if box[0] - 0.5 <= centre <= box[2] + 0.5:
                j = k2 + 1
                while j < len(order) and chars[order[j]] in marks:
                    j += 1
                order.insert(j, i)
                continue
            order.append(i)
        order.extend(range(done, len(chars)))
        return order

    @staticmethod
    def _previous_base(chars: Sequence[str], order: Sequence[int], k: int) -> int | None:
        while k >= 0:
            ch = chars[order[k]]
            if ch and ch not in _MARKS and not ch.isspace():
                return k
            k -= 1
        return None

    def _generated_gaps(self, chars: Sequence[str], order: Sequence[int], as_read: bool) -> set[int]:
        """Whitespace pdfium generated next to a Thai mark between two letters of one word. `as_read`:
        `chars` in `order` are the raw text (no repair changed anything): its runs are found in it."""
        dropped: set[int] = set()
        if as_read:
            # The characters as read: a candidate is a whole run of whitespace with a mark on one side,
            # found by a pattern (the bench's 1,308 pages: 22,600 of 155,900 runs).
            for found in _SPACE_BY_MARK.finditer(self.raw_text):
                p, q = found.span()
                run = list(range(p, q))
                if self._drop_run(chars, order, p, q, run):
                    dropped.update(run)
            return dropped
        n, size, marks = len(order), len(chars), _MARKS
        q = 0
        # Whitespace found by a pattern over the ordered characters, a removed one standing as
        # _NO_CHAR (not whitespace) so that positions stay those of `order`.
        ordered = "".join([chars[i] or _NO_CHAR for i in order])
        for found in _SPACE.finditer(ordered):
            p = found.start()
            if p < q:
                continue                                    # inside the run just looked at
            q = p + 1
            while q < n and (chars[order[q]].isspace() or not chars[order[q]]):
                q += 1
            run = [order[r] for r in range(p, q) if chars[order[r]]]
            # Only a run with a mark beside it, now or before the marks moved, can be a gap.
            if not ((p and chars[order[p - 1]] in marks) or (q < n and chars[order[q]] in marks)
                    or (run[0] and chars[run[0] - 1] in marks)
                    or (run[-1] + 1 < size and chars[run[-1] + 1] in marks)):
                continue
            if self._drop_run(chars, order, p, q, run):
                dropped.update(run)
        return dropped

    def _drop_run(self, chars: Sequence[str], order: Sequence[int], p: int, q: int, run: list[int]) -> bool:
        """A run of whitespace (order[p:q]) beside a mark: pdfium's, between two letters of one word?"""
        if not all(self.generated(i) for i in run):
            return False
        before = self._previous_base(chars, order, p - 1)
        after = next((r for r in range(q, len(order))
                      if chars[order[r]] and chars[order[r]] not in _MARKS and not chars[order[r]].isspace()),
                     None)
        if before is None or after is None:
            return False
        a, b = order[before], order[after]
        if not (_is_thai(chars[a]) and _is_thai(chars[b])):
            return False
        a_left, a_bottom, a_right, a_top = self.box(a)
        b_left, b_bottom, b_right, b_top = self.box(b)
        overlap = min(a_top, b_top) - max(a_bottom, b_bottom)
        if overlap <= 0.5 * min(a_top - a_bottom, b_top - b_bottom):
            return False                                    # not on one line
        gap = (b_left - a_right) / self.font_size(a)
        return -0.25 < gap < 0.15                           # word spaces measured >= 0.19 em


def _broken_am_fonts(stats: dict[bytes, list[int]]) -> frozenset[bytes]:
    return frozenset(font for font, (am, aa, space_am) in stats.items()
                     if aa == 0 and am >= 2 and space_am >= 1)


class _PageImages(Sequence[bool]):
    """Whether each page read shows an image. Walking a page's objects costs as much as reading
    its text, so a page with text is looked at only if a text-layer check asks (rarely)."""

    def __init__(self, pdf: pdfium.PdfDocument):
        self.pdf = pdf
        self.known: list[bool | None] = []

    def __len__(self) -> int:
        return len(self.known)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        found = self.known[index]
        if found is None:
            page = self.pdf[index]
            try:
                found = _has_image(page)
            except pdfium.PdfiumError:
                found = False
            finally:
                page.close()
            self.known[index] = found
        return found


def _has_image(page: pdfium.PdfPage) -> bool:
    """An image among the page's objects or those of its forms (3 levels), read with raw pdfium
    calls: page.get_objects() wraps every object in Python, which cost more than the text."""
    return _holds_image(pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, page.raw, 0)


def _holds_image(count_objects, get_object, parent, level: int) -> bool:
    count = count_objects(parent)
    if count < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    for index in range(count):
        obj = get_object(parent, index)
        if not obj:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return True
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < 2 and _holds_image(
                pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, obj, level + 1):
            return True
    return False


# -- the extractor -------------------------------------------------------------------------------------------

def _open(body: bytes | Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(body)
    except pdfium.PdfiumError as exc:
        if "password" not in str(exc).lower():
            raise
    return pdfium.PdfDocument(body, password="")


def extract_pdf(body: bytes | Path, *, filename: str | None = None, url: str | None = None,
                want_tables: bool | None = None) -> Extraction:
    """The Extraction of a PDF, its bytes or its file. `want_tables`: True forces tables, False skips
    them, None decides from the file name and first page (summary-table words).

    From a file, the bytes are never all in memory at once: the bomb check reads a mapping of the
    file, pdfium and pdfplumber read the file as they need it (a 30 MB PDF of photos: a worker's peak
    +41 MB from bytes, +11 MB from its file)."""
    if isinstance(body, Path):
        with open(body, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as view:
            problem = pdf_problem(view)
    else:
        problem = pdf_problem(body)      # checked before pdfium inflates anything
    if problem:
        return Extraction(format="pdf", extractor="pypdfium2", error=problem)
    try:
        pdf = _open(body)
    except pdfium.PdfiumError as exc:
        reason = "encrypted PDF: needs a password" if "password" in str(exc).lower() else "unreadable PDF"
        return Extraction(format="pdf", extractor="pypdfium2", error=f"{reason} ({exc})"[:300])
    try:
        return _extract(pdf, body, filename=filename, url=url, want_tables=want_tables)
    finally:
        pdf.close()


def _extract(pdf: pdfium.PdfDocument, body: bytes | Path, *, filename: str | None, url: str | None,
             want_tables: bool | None) -> Extraction:
    started = time.monotonic()
    total = len(pdf)
    result = Extraction(format="pdf", extractor="pypdfium2", pages=total)
    if total > MAX_PAGES:
        result.warnings.append(f"only the first {MAX_PAGES} of {total} pages read")
    texts: list[str] = []
    read_with: list[frozenset[bytes]] = []     # the broken fonts known when each page was read
    chars_per_page: list[int] = []
    images = _PageImages(pdf)
    am_stats: dict[bytes, list[int]] = {}
    first_styles: dict[str, TitleStyle] = {}       # how the first page's first lines are set (the title's)
    unreadable: list[int] = []
    for index in range(min(total, MAX_PAGES)):
        if time.monotonic() - started > TIME_BUDGET_S:
            result.warnings.append(f"stopped after {index} pages: over {TIME_BUDGET_S:.0f} s")
            break
        try:
            text, has_image = _read_page(pdf, index, am_stats, first_styles if index == 0 else None)
        except pdfium.PdfiumError:
            unreadable.append(index + 1)
            text, has_image = "", False
        texts.append(text)
        read_with.append(_broken_am_fonts(am_stats))
        images.known.append(has_image)
        chars_per_page.append(len("".join(text.split())))
    broken = _broken_am_fonts(am_stats)
    if broken:        # pages read before the font was recognised: again, now that it is known
        texts = _reread_am_pages(pdf, texts, read_with, broken)
        result.warnings.append("font mapping sara aa to sara am repaired: "
                               + ", ".join(f.decode("latin-1", "replace") for f in sorted(broken)))
    if unreadable:
        result.warnings.append("unreadable pages: " + ",".join(map(str, unreadable)))

    raw = "\n\n".join(texts)
    unmapped = len(_UNMAPPED.findall(raw))
    text = normalize(_UNMAPPED.sub("", raw))
    result.text = text
    result.title = _title(pdf, text, first_styles)
    result.text_layer = _text_layer(result, text, chars_per_page, images, unmapped, filename, url)
    if result.text_layer == "garbage":
        result.title = ""             # a line of OCR debris is no title
    if result.text_layer == "text" and want_tables is not False and total <= MAX_TABLE_PAGES:
        if want_tables or _wants_tables(filename, texts[0] if texts else ""):
            result.tables = _tables(pdf, body, broken, result.warnings)
    return result


def _read_page(pdf: pdfium.PdfDocument, index: int, am_stats: dict[bytes, list[int]],
               styles: dict[str, TitleStyle] | None = None) -> tuple[str, bool | None]:
    """The repaired text of one page and, for a page with almost no text, whether it shows an
    image (None: not looked at yet); counts sara am per font; fills `styles` with _Page.line_styles."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            reader = _Page(textpage)
            reader.am_font_counts(am_stats)
            if styles is not None:
                styles.update(reader.line_styles())
            text = reader.text(_broken_am_fonts(am_stats))
        finally:
            textpage.close()
        few_chars = len("".join(text.split())) < SCAN_CHARS_PER_PAGE
        return text, _has_image(page) if few_chars else None
    finally:
        page.close()


def _reread_am_pages(pdf: pdfium.PdfDocument, texts: list[str], read_with: list[frozenset[bytes]],
                     broken: frozenset[bytes]) -> list[str]:
    texts = list(texts)
    for index, old in enumerate(texts):
        if read_with[index] == broken or _SARA_AM not in old:
            continue
        page = pdf[index]
        textpage = page.get_textpage()
        try:
            texts[index] = _Page(textpage).text(broken)
        finally:
            textpage.close()
            page.close()
    return texts


def _title(pdf: pdfium.PdfDocument, text: str, styles: dict[str, TitleStyle]) -> str:
    try:
        meta = pdf.get_metadata_value("Title") or ""
    except (pdfium.PdfiumError, UnicodeDecodeError, ValueError):
        meta = ""
    return document_title(meta, text, styles=styles)


def _text_layer(result: Extraction, text: str, chars_per_page: list[int], images: Sequence[bool],
                unmapped: int, filename: str | None, url: str | None) -> str:
    pages = len(chars_per_page)
    if not pages:
        return "empty"
    scans = [i + 1 for i in range(pages) if chars_per_page[i] < SCAN_CHARS_PER_PAGE and images[i]]
    glyphs = sum(chars_per_page)
    if glyphs / pages < SCAN_CHARS_PER_PAGE and any(images):
        return "scan"
    if not glyphs:
        return "empty"
    if scans:
        result.warnings.append("scan_pages: " + ",".join(map(str, scans)))
    if unmapped * 20 >= glyphs:
        result.warnings.append(f"{unmapped} characters without a Unicode mapping")
        return "garbage"
    if is_garbage_thai(text):
        return "garbage"
    share = thai_word_share(text)
    if share is not None and share < MIN_THAI_WORD_SHARE:
        result.warnings.append(f"only {share:.0%} of the Thai text is Thai words")
        return "garbage"
    if _latin_debris_over_images(text, images, filename, url):
        return "garbage"
    return "text"


def _latin_debris_over_images(text: str, images: Sequence[bool], filename: str | None,
                              url: str | None) -> bool:
    """An OCR layer gone wrong: a Thai-named document with images on its text pages whose text is
    Latin, and mostly not words."""
    if thai_ratio(text) >= 0.2 or not all(images):
        return False
    if thai_ratio(" ".join(filter(None, (filename, url and url_path(url))))) < 0.5:
        return False
    tokens = _TOKEN.findall(text[:50_000])
    letters = [t for t in tokens if any(c.isalpha() for c in t)]
    if len(letters) < 10:
        return False
    words = sum(1 for t in letters if _LATIN_WORD.match(t) and len(t) >= 3)
    return words * 2 < len(letters)


def _wants_tables(filename: str | None, first_page: str) -> bool:
    squeezed = compact((filename or "") + " " + first_page[:3000])
    return any(compact(hint) in squeezed for hint in TABLE_HINTS)


# -- tables ------------------------------------------------------------------------------------------------

def _tables(pdf: pdfium.PdfDocument, body: bytes | Path, broken_am_fonts: frozenset[bytes],
            warnings: list[str]) -> list[Table]:
    try:
        import pdfplumber
    except ImportError:
        warnings.append("tables skipped: pdfplumber not installed")
        return []
    tables: list[Table] = []
    try:
        with pdfplumber.open(body if isinstance(body, Path) else io.BytesIO(body), password="") as plumb:
            for index, plumb_page in enumerate(plumb.pages):
                try:
                    _page_tables(tables, pdf, index, plumb_page, broken_am_fonts)
                finally:
                    # pdfplumber's own close() misses the pages used (its issue #1339): each kept
                    # its characters for good, ~3 MB a document in a worker (make bench)
                    plumb_page.close()
    except Exception as exc:   # pdfminer has many ways to fail on odd files; the text stands anyway
        warnings.append(f"tables skipped: {error_message(exc)}")
    return tables


def _add_table(tables: list[Table], index: int, rows: list[list[str]]) -> None:
    rows = [row for row in rows if any(row)]
    if rows:
        tables.append(Table(where=f"page {index + 1}", rows=rows))


def _page_tables(tables: list[Table], pdf: pdfium.PdfDocument, index: int, plumb_page,
                 broken_am_fonts: frozenset[bytes]) -> None:
    found = plumb_page.find_tables()
    if not found:
        return
    if plumb_page.rotation:
        for table in found:
            rows = [[one_line(cell or "") for cell in row] for row in table.extract()]
            _add_table(tables, index, rows)
        return
    page = pdf[index]
    textpage = page.get_textpage()
    try:
        reader = _Page(textpage)
        chars = reader.ordered(broken_am_fonts)
        for table in found:
            _add_table(tables, index, _fill(table, reader, chars, float(plumb_page.height)))
    finally:
        textpage.close()
        page.close()


def _fill(table, reader: _Page, chars: list[tuple[str, int]], height: float) -> list[list[str]]:
    """Cell texts from pypdfium2 characters: each character goes to the cell holding its centre
    (pdfplumber coordinates: x as in the PDF, top = page height - y); a mark or a space goes with
    the character before it."""
    grid = [[cell for cell in row.cells] for row in table.rows]
    texts = [["" for _ in row] for row in grid]
    last_box: dict[tuple[int, int], tuple[float, float, float, float]] = {}
    current: tuple[int, int] | None = None
    space = False              # a space written in the PDF since the last character
    for ch, i in chars:
        if ch.isspace():
            space = space or not (ch in "\r\n" or reader.generated(i))
            continue
        if ch in _MARKS:
            if current is not None:
                texts[current[0]][current[1]] += ch
            continue
        box = reader.box(i)
        left, bottom, right, top = box
        current = _cell_at(grid, (left + right) / 2, height - (bottom + top) / 2)
        if current is not None:
            r, c = current
            cell = texts[r][c]
            previous = last_box.get(current)
            if cell and previous is not None:
                wrapped = min(top, previous[3]) - max(bottom, previous[1]) <= 0
                if space or (wrapped and not _joins(cell[-1], ch)) or _gap(previous, box, reader.font_size(i)):
                    cell += " "
            texts[r][c] = cell + ch
            last_box[current] = box
        space = False
    return [[one_line(cell) for cell in row] for row in texts]


def _joins(before: str, after: str) -> bool:
    """A line wrapped between these characters needs no space: Thai words are not separated by
    spaces, and a number cut by a narrow column ("3,441,800.", "00") is one number."""
    return (_is_thai(before) and _is_thai(after)) or (before in "0123456789.," and after.isdigit())


def _gap(previous: tuple[float, float, float, float], box: tuple[float, float, float, float],
         size: float) -> bool:
    """A word gap on one line (pdfium generates a space there, which `space` ignores)."""
    same_line = min(box[3], previous[3]) - max(box[1], previous[1]) > 0
    return same_line and box[0] - previous[2] > 0.19 * size


def _cell_at(grid, x: float, y: float) -> tuple[int, int] | None:
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is not None:
                x0, top, x1, bottom = cell
                if x0 <= x <= x1 and top <= y <= bottom:
                    return r, c
    return None
