"""Thai text normalisation: the one place where text is made comparable.

Everything the crawler matches (titles, link texts, document texts, file names) goes through
`normalize`; phrases are matched on `compact`. The steps and their order come from measurements on
real Thai government PDFs (docs: ../shared/thai-text.md):

1. Zero-width characters out; Private Use Area glyphs (shifted tone marks and vowels written by
   legacy Windows/Mac fonts) mapped back to the characters they draw. Unicode NFC, never
   NFKC/NFKD (they split ำ into ํ + า).
2. Sara am repaired: "ส านัก" (Word-exported PDFs draw ำ as a space-like glyph + า; decided once
   per text), "ำา", nikhahit + า.
3. Whitespace before combining marks removed; marks put in order (vowel before tone), duplicates
   dropped.
4. Runs of spaces collapsed, line breaks kept (tables and lines matter downstream).

Every step is a compiled regex over the whole text (no per-character Python loop), so normalising
tens of MB stays fast. Where it gives the same matches, a pattern opens with a character or a set of
them, a look-behind after the first character rather than before it: the regex engine then skips to
the places that can match instead of trying the whole pattern at every character (the bench site's
9.5 M characters of PDF text: ~3x less time for each pattern so rewritten).
"""
from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# -- character classes (as regex fragments) ---------------------------------------------------------
_CONSONANT = "\u0e01-\u0e2e"                       # ก..ฮ
_ASCENDERS = "\u0e1b\u0e1d\u0e1f\u0e2c"             # ป ฝ ฟ ฬ: their tone marks are drawn shifted left
_TONE = "\u0e48-\u0e4b"                             # ่ ้ ๊ ๋
_VOWEL_MARK = "\u0e31\u0e34-\u0e3a\u0e47"           # ั ิ ี ึ ื ุ ู ฺ ็  (above / below the consonant)
_TONE_LIKE_MARK = "\u0e48-\u0e4e"                   # tones, ์ ํ ๎: written after the vowel mark
_MARK = _VOWEL_MARK + _TONE_LIKE_MARK               # every Thai combining mark
_TONE_LIKE_MARKS = frozenset(map(chr, range(0x0E48, 0x0E4F)))
_SARA_AA, _SARA_AM, _NIKHAHIT = "\u0e32", "\u0e33", "\u0e4d"

# -- characters replaced first ----------------------------------------------------------------------
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffe"   # U+FFFE: pdfium's line-end hyphen

# Legacy Thai fonts draw positional variants of marks at Private Use Area code points; PDF
# producers sometimes write those code points into the text. The table is HarfBuzz's
# (src/hb-ot-shaper-thai.cc): per action SD (shift down), SDL (down-left), SL (left), RD (remove
# descender), the character and its Windows and Mac PUA code points.
_PUA_GLYPHS: dict[str, tuple[tuple[int, int], ...]] = {
    # character: ((windows, mac), ...) one pair per shifted variant
    "\u0e48": ((0xF70A, 0xF88B), (0xF705, 0xF88C), (0xF713, 0xF88A)),   # mai ek: SD, SDL, SL
    "\u0e49": ((0xF70B, 0xF88E), (0xF706, 0xF88F), (0xF714, 0xF88D)),   # mai tho
    "\u0e4a": ((0xF70C, 0xF891), (0xF707, 0xF892), (0xF715, 0xF890)),   # mai tri
    "\u0e4b": ((0xF70D, 0xF894), (0xF708, 0xF895), (0xF716, 0xF893)),   # mai chattawa
    "\u0e4c": ((0xF70E, 0xF897), (0xF709, 0xF898), (0xF717, 0xF896)),   # thanthakhat
    "\u0e38": ((0xF718, 0xF89B),),                                      # sara u: SD
    "\u0e39": ((0xF719, 0xF89C),),                                      # sara uu: SD
    "\u0e3a": ((0xF71A, 0xF89D),),                                      # phinthu: SD
    "\u0e31": ((0xF710, 0xF884),),                                      # mai han-akat: SL
    "\u0e34": ((0xF701, 0xF885),),                                      # sara i: SL
    "\u0e35": ((0xF702, 0xF886),),                                      # sara ii: SL
    "\u0e36": ((0xF703, 0xF887),),                                      # sara ue: SL
    "\u0e37": ((0xF704, 0xF888),),                                      # sara uee: SL
    "\u0e47": ((0xF712, 0xF889),),                                      # maitaikhu: SL
    "\u0e4d": ((0xF711, 0xF899),),                                      # nikhahit: SL
    "\u0e0d": ((0xF70F, 0xF89A),),                                      # yo ying without descender: RD
    "\u0e10": ((0xF700, 0xF89E),),                                      # tho than without descender: RD
}
PUA_TO_THAI: dict[int, str] = {
    pua: char for char, pairs in _PUA_GLYPHS.items() for pair in pairs for pua in pair
}

# Characters replaced before anything else: zero-width out, PUA glyphs back, line breaks as "\n".
_CHAR_REPLACEMENTS: dict[str, str] = {
    **dict.fromkeys(_ZERO_WIDTH, ""),
    **{chr(pua): char for pua, char in PUA_TO_THAI.items()},
    **dict.fromkeys(["\r\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029"], "\n"),
}
# A regex finds these rare characters much faster than str.translate walks every character.
_SPECIAL_CHARS = re.compile(
    "\r\n|[" + re.escape("".join(c for c in _CHAR_REPLACEMENTS if len(c) == 1)) + "]")

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_THAI_DIGITS_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_THAI_DIGIT_RUN = re.compile("[๐-๙]+")
_TONE_MARK_RUN = re.compile("[\u0e48-\u0e4b]+")

# -- compiled patterns ------------------------------------------------------------------------------
# Runs of whitespace other than the line break, and any single one that is not a plain space.
_HSPACE = re.compile(r"[^\S\n](?:[^\S\n]+|(?<! ))")
# Word-exported PDFs: ำ comes out as "<space>า" where the nikhahit glyph sits, and a tone mark may
# land on either side of that space: "ส านัก", "น ้า", "น้ า". A consonant, then spaces and tones
# (at least one space), then า: never correct Thai, since า cannot start a word.
_SPLIT_AA = re.compile(f"([{_CONSONANT}])(?=[{_TONE}]*\\s)([\\s{_TONE}]*+){_SARA_AA}")
_AA_AFTER_SPACE = re.compile(f"\\s[{_TONE}]*{_SARA_AA}")      # in every _SPLIT_AA match: looked for first
# Some fonts also write ำ where า belongs, and their split sara am reads "ส ำนัก": ำ never starts
# a word either, so the space goes.
_SPACE_BEFORE_AM = re.compile(f"\\s(?<=[{_CONSONANT}{_MARK}]\\s)\\s*+(?=[{_TONE}]*{_SARA_AM})")
# Runs are matched from their first character only, possessively: long blank stretches (empty
# PDF pages) must not make these patterns quadratic.
_SPACE_BEFORE_MARK = re.compile(f"\\s(?<!\\s\\s)\\s*+(?=[{_MARK}])")
_NIKHAHIT_AA = re.compile(f"{_NIKHAHIT}([{_TONE}]?){_SARA_AA}")      # ํ + [tone] + า
_TONE_NIKHAHIT_AA = re.compile(f"([{_TONE}]){_NIKHAHIT}{_SARA_AA}")  # tone + ํ + า
_AM_AA = re.compile(f"{_SARA_AM}{_SARA_AA}+")                      # "สำานัก" (ActualText + glyph)
_AM_TONE = re.compile(f"{_SARA_AM}([{_TONE}]+)")                   # "นำ้" typed for "น้ำ"
# Marks out of order ("ก่ิ" for "กิ่"): tone-like marks followed by a vowel mark; repeated marks.
_TONE_BEFORE_VOWEL = re.compile(
    f"[{_TONE_LIKE_MARK}](?<![{_TONE_LIKE_MARK}][{_TONE_LIKE_MARK}])[{_TONE_LIKE_MARK}]*+[{_VOWEL_MARK}][{_MARK}]*+")
_REPEATED_MARK = re.compile(f"([{_MARK}])\\1+")
_SPACE_AROUND_NEWLINE = re.compile(r" \n ?|\n ")             # (a bare newline is no match: PDF texts have many)
_BLANK_LINES = re.compile("\n\n\n+")

_THAI_LETTERS = re.compile("[\u0e01-\u0e30\u0e32\u0e33\u0e40-\u0e46]+")   # Thai chars with isalpha()
_LETTERS = re.compile(r"[^\W\d_]+")
_CID = re.compile(r"\(cid:\d+\)")
# A mark with no Thai character before it, or a run of three marks (Thai stacks at most two).
_ORPHAN_MARK = re.compile(f"[{_MARK}](?:(?<![\u0e01-\u0e4e][{_MARK}])|[{_MARK}]{{2,}})")
_LATIN1_HIGH = re.compile("[\u00a1-\u00fb]+")
_UTF8_AS_LATIN = re.compile("\u00e0[\u00b8\u00b9]")       # Thai UTF-8 lead bytes read as latin-1
_NUMBER_TOKEN = re.compile(r"(?<!\S)[\d.,:;/()%+-]+(?!\S)")         # Thai digits are \d too
_WORDISH_TOKEN = re.compile(r"(?<!\S)(?=\S*?[^\W\d_]{2})\S+")       # holds two letters in a row


def normalize(text: str) -> str:
    """The normalised form of any Thai (or mixed) text; idempotent; Thai digits kept."""
    # Zero-width and PUA characters go first, so NFC can order the marks they uncover.
    text = _SPECIAL_CHARS.sub(_replacement, text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _HSPACE.sub(" ", text)
    text = _repair_split_sara_am(text)      # needs the spaces that the mark repairs remove
    text = _repair_marks(text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def _replacement(match: re.Match) -> str:
    return _CHAR_REPLACEMENTS[match.group()]


def _repair_split_sara_am(text: str) -> str:
    """Rejoin "consonant, spaces/tones, า" (see _SPLIT_AA): as ำ, or as า after ป ฝ ฟ ฬ + tone.

    Whether a split is a lost ำ is decided once per text: the splits must not be negligible next
    to the text's genuine ำ, so a stray "ก า" in an otherwise correct document is left alone, while
    documents mixing fonts (a correct heading, a split body: as many ำ as splits) are repaired.
    The tone of ป ฝ ฟ ฬ is drawn shifted left, leaving a gap pdfium reports as a space:
    "เป้ าหมาย" is เป้าหมาย, never ำ; that gap is always closed.
    """
    if not _AA_AFTER_SPACE.search(text):
        return text
    found = list(_SPLIT_AA.finditer(text))
    if not found:
        return text
    splits = sum(1 for match in found if not _is_ascender_gap(match))
    lost_am = splits > 0 and splits * 10 >= text.count(_SARA_AM)

    def rejoin(match: re.Match) -> str:
        consonant, run = match.groups()
        tones = "".join(run.split())
        if _is_ascender_gap(match):
            return consonant + tones + _SARA_AA
        return consonant + tones + _SARA_AM if lost_am else match.group()

    return _SPLIT_AA.sub(rejoin, text)


def _is_ascender_gap(match: re.Match) -> bool:
    consonant, run = match.groups()
    return consonant in _ASCENDERS and not run.isspace()


def _repair_marks(text: str) -> str:
    """Marks joined to their base and put in order; sara am rebuilt from its pieces.

    One repair can expose another (a tone moved off ำ may meet a following า), so the round is
    repeated until nothing changes: clean text takes one round, defective text two.
    """
    for _ in range(4):
        before = text
        text = _SPACE_BEFORE_MARK.sub("", text)
        text = _SPACE_BEFORE_AM.sub("", text)
        text = _NIKHAHIT_AA.sub(f"\\1{_SARA_AM}", text)
        text = _TONE_NIKHAHIT_AA.sub(f"\\1{_SARA_AM}", text)
        text = _AM_AA.sub(_SARA_AM, text)
        text = _AM_TONE.sub(f"\\1{_SARA_AM}", text)
        text = _TONE_BEFORE_VOWEL.sub(_ordered_marks, text)
        text = _REPEATED_MARK.sub(r"\1", text)
        if not unicodedata.is_normalized("NFC", text):   # joined marks may need canonical order
            text = unicodedata.normalize("NFC", text)
        if text == before:
            break
    return text


def _ordered_marks(match: re.Match) -> str:
    # Vowel marks before tone-like marks (the match starts at the first tone-like mark of its run,
    # so any mark before it is a vowel mark already in place); NFC then orders ุ/ู against tones.
    return "".join(sorted(match.group(), key=_TONE_LIKE_MARKS.__contains__))


def compact(text: str) -> str:
    """`normalize`, then no whitespace, Arabic digits, casefolded: the form phrases are matched on
    (Thai PDFs break lines anywhere, even inside words)."""
    return (_compact_short if len(text) <= _REMEMBERED_CHARS else _compact)(text)


def _compact(text: str) -> str:
    return thai_digits_to_arabic("".join(normalize(text).split())).casefold()


# A menu's link texts and their contexts repeat on every page of a site: each is squeezed once
# (the 14 patterns of normalize over 40,000 short texts were 1/5 of a bench crawl's page reading).
_REMEMBERED_CHARS = 500
_compact_short = lru_cache(maxsize=16_384)(_compact)


def strip_tone_marks(text: str) -> str:
    """Text without ่ ้ ๊ ๋, for matching OCR output (tesseract often misses or confuses them);
    apply it to both sides of a comparison."""
    return _TONE_MARK_RUN.sub("", text)


def thai_digits_to_arabic(text: str) -> str:
    # Only the (rare) digit runs are translated: str.translate is slow over whole Thai texts.
    return _THAI_DIGIT_RUN.sub(_arabic_digits, text)


def _arabic_digits(match: re.Match) -> str:
    return match.group().translate(_THAI_DIGITS_TO_ARABIC)


def thai_ratio(text: str) -> float:
    """Share of Thai letters among all letters (0.0 when there are no letters)."""
    letters = letter_count(text)
    if not letters:
        return 0.0
    return thai_letter_count(text) / letters


def letter_count(text: str) -> int:
    """Letters in a text (str.isalpha characters: Thai consonants and vowels, not marks or digits)."""
    return _counted(_LETTERS, text)


def has_letters(text: str, least: int, within: int | None = None) -> bool:
    """Whether the first `within` characters hold at least `least` letters, read only as far as needed
    (not a count of every letter in a document's first 20,000 characters to see twenty)."""
    found = 0
    for match in _LETTERS.finditer(text, 0, len(text) if within is None else within):
        found += match.end() - match.start()
        if found >= least:
            return True
    return False


def thai_letter_count(text: str) -> int:
    return _counted(_THAI_LETTERS, text)


def _counted(pattern: re.Pattern, text: str) -> int:
    return (_counted_remembered if len(text) >= _COUNTS_REMEMBERED_FROM else _count)(pattern, text)


def _count(pattern: re.Pattern, text: str) -> int:
    # Counted on the text's windows-874 bytes, one a character, which keep every Thai character and
    # ASCII letter (7-10x faster than the pattern over the bench's texts); by the pattern when a character
    # is outside windows-874 (it becomes "?") and could be a letter (never a Thai one).
    encoded = text.encode("cp874", "replace")
    if pattern is _THAI_LETTERS or encoded.count(b"?") == text.count("?"):
        return len(encoded.translate(None, _NOT_COUNTED_CP874[pattern]))
    return sum(map(len, pattern.findall(text)))


def _not_matching_cp874(pattern: re.Pattern) -> bytes:
    """The windows-874 bytes whose character `pattern` does not match: the ones to delete."""
    return bytes(byte for byte in range(256)
                 if not pattern.fullmatch(bytes([byte]).decode("cp874", "replace")[:1]))


_NOT_COUNTED_CP874 = {pattern: _not_matching_cp874(pattern) for pattern in (_LETTERS, _THAI_LETTERS)}
_NOT_MARK_CP874 = _not_matching_cp874(re.compile(f"[{_MARK}]"))


# A document's text is classified several times over (text layer check, language, mojibake): the
# counts of the last few texts are remembered (the bench's 2,657 texts through those checks:
# 4.35 -> 3.27 CPU s; from 500 characters instead of 20,000, a page's text too: language and mojibake
# over 2,434 stored texts 2.02 -> 1.61 CPU s). The texts are held until newer ones replace them.
_COUNTS_REMEMBERED_FROM = 500
_counted_remembered = lru_cache(maxsize=8)(_count)


def looks_thai(text: str) -> bool:
    """At least half of the letters are Thai (an English page quoting a Thai name is not Thai)."""
    return thai_ratio(text) >= 0.5


def is_garbage_thai(text: str) -> bool:
    """True when a text layer is visibly broken: unmapped glyphs, marks without base characters,
    or Thai text decoded with the wrong code page. Conservative: False does not prove the text good.
    """
    cids = _CID.findall(text)
    spaced = text.split()
    glyphs = sum(map(len, spaced)) - sum(map(len, cids)) + len(cids)
    if glyphs < 8:
        return False
    # Unmapped glyphs: pdfminer-style "(cid:NN)" or U+FFFD for at least 5 % of the glyphs.
    if (len(cids) + text.count("\ufffd")) * 20 >= glyphs:
        return True
    # (counted on the windows-874 bytes, which hold every Thai character: see _count)
    encoded = text.encode("cp874", "replace")
    marks = len(encoded.translate(None, _NOT_MARK_CP874))
    if marks >= 10 and len(_ORPHAN_MARK.findall(text)) * 5 >= marks:
        return True
    letters = letter_count(text)
    if not letters:
        return False
    # Latin-1 letters are outside windows-874: a text that it holds whole has none of the two below.
    if encoded.count(b"?") != text.count("?"):
        # windows-874 / TIS-620 bytes read as latin-1 or cp1252: "ÊÓ¹Ñ¡§Ò¹" is สำนักงาน.
        high = "".join(_LATIN1_HIGH.findall(text))
        if len(high) * 3 >= letters and _decodes_as_thai(high):
            return True
        # UTF-8 Thai read as latin-1 / cp1252: every Thai character becomes "à¸x" or "à¹x".
        if len(_UTF8_AS_LATIN.findall(text)) * 3 >= letters:
            return True
    # A bad OCR layer over a scan: mostly debris ("-aJ", "E€", "rE"), few tokens holding a word.
    # Tokens are the text's words less its numbers: the numbers are counted only when the words
    # holding a word are too few even among all of them (a PDF's text: rarely). Word-holding tokens
    # are counted until they are half of all.
    if len(spaced) < 50:
        return False
    wordish, half = 0, (len(spaced) + 1) // 2
    for _ in _WORDISH_TOKEN.finditer(text):
        wordish += 1
        if wordish >= half:
            return False
    tokens = len(spaced) - len(_NUMBER_TOKEN.findall(text))
    return tokens >= 50 and wordish * 2 < tokens


# A Thai text layer whose words are not Thai words: characters mapped to the wrong code points, a
# scanner's poor Thai OCR. Measured with greedy longest matching against PyThaiNLP's word list (62,106
# words, no download) over the first 3,000 Thai characters: the 41 Thai texts of ../shared/real-docs
# cover 0.93-1.00 of their characters with words; one of them with every consonant shifted one code
# point 0.30, with its characters shuffled 0.45. At most 10 ms a document, 0.1 s to load the list.
MIN_THAI_WORD_SHARE = 0.6
WORD_SAMPLE_CHARS = 3000
MIN_WORD_SAMPLE_CHARS = 200      # fewer Thai characters than this: too little to judge
_THAI_RUN = re.compile("[\u0e01-\u0e4e]+")


# The word list is PyThaiNLP's file, read without importing PyThaiNLP (7 MB in each extraction worker),
# its words kept as windows-874 bytes, one byte a Thai character (a Thai str costs 74 bytes and 2 a
# character): an extraction worker 67 -> 59 MB after 60 bench PDFs. Only words of Thai characters that
# encoding has can match a run; a run's other characters become "?", which no word holds.
_ENCODABLE_THAI_WORD_LINE = re.compile("^[\u0e01-\u0e3a\u0e3f-\u0e4e]{2,30}$", re.MULTILINE)


@lru_cache(maxsize=1)
def _thai_dictionary() -> tuple[frozenset[bytes], int]:
    spec = importlib.util.find_spec("pythainlp")        # its place on disk, the package not imported
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pythainlp is not installed")
    path = Path(spec.submodule_search_locations[0]) / "corpus" / "words_th.txt"
    # (the lines that are such a word found by one pattern over the file: 0.13 -> 0.05 s a worker)
    found = _ENCODABLE_THAI_WORD_LINE.findall(path.read_text(encoding="utf-8-sig"))
    words = frozenset("\n".join(found).encode("cp874").split(b"\n")) if found else frozenset()
    return words, max(map(len, words))


def thai_word_share(text: str, sample: int = WORD_SAMPLE_CHARS) -> float | None:
    """Share of a text's Thai characters (its first `sample`) that dictionary words of two or more
    characters cover, matching the longest word at each place; None with too few Thai characters."""
    covered = total = 0
    for run in _THAI_RUN.findall(text):
        if total >= sample:
            break
        total += len(run)
        covered += (_run_covered if len(run) <= _REMEMBERED_RUN_CHARS else _run_covered.__wrapped__)(run)
    return covered / total if total >= MIN_WORD_SAMPLE_CHARS else None


# A run of Thai characters (between spaces, digits, punctuation) is often a phrase repeated across a
# document's pages and documents (a letterhead, "สำนักงานเขต…"): its cover is kept.
_REMEMBERED_RUN_CHARS = 64


@lru_cache(maxsize=4096)
def _run_covered(run: str) -> int:
    """Characters of one run covered by words, the longest word at each place."""
    words, longest = _thai_dictionary()
    encoded = run.encode("cp874", "replace")
    covered = i = 0
    while i < len(encoded):
        for size in range(min(longest, len(encoded) - i), 1, -1):
            if encoded[i:i + size] in words:
                covered += size
                i += size
                break
        else:
            i += 1
    return covered


def _decodes_as_thai(latin: str) -> bool:
    try:
        thai = latin.encode("latin-1").decode("cp874")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return thai_ratio(thai) >= 0.9
