"""Dates in Thai government text: days, months, ranges, fiscal years, bare Buddhist Era years.

Fiscal year N (Buddhist Era) runs 1 October N-1 to 30 September N; BE = CE + 543.

`find_dates` reads normalised text (crawler.text.thai.normalize) with Thai or Arabic digits, BE or CE
years, full or abbreviated Thai month names and English month names. It never invents a date:
every hit is a matched piece of text, a lone number is a year only when it is a plausible BE year
(25xx), and a day or month without a year counts only as the start of a range whose end has one
("ม.ค. - มิ.ย. ๒๕๖๘").

One compiled regex finds every candidate; the candidates are then checked (real calendar dates,
plausible years) and neighbouring ones joined into ranges. That regex tries a dozen alternatives at
every position, so it only runs over windows around cheap "triggers" (a digit or something like a
month name, one of which every candidate contains); on the 47 real documents' texts (0.5 M
characters) that takes 0.17 CPU s instead of 0.25 s, on generated-site texts 0.50 s instead of 0.77 s.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import NamedTuple

from crawler.text.thai import thai_digits_to_arabic

BE_OFFSET = 543
BE_YEARS = range(2400, 2701)          # a 4-digit year in here is Buddhist Era ...
CE_YEARS = range(1900, 2201)          # ... in here Common Era
TWO_DIGIT_BE = range(60, 100)         # "ต.ค. 67" is 2567; other 2-digit numbers are not years

KINDS = ("day", "month", "range", "fiscal_year", "year")


@dataclass(frozen=True)
class DateHit:
    date: date | None          # the day, for kind "day"
    start: date | None         # first day covered (day, month, range, fiscal_year)
    end: date | None           # last day covered
    fiscal_year: int | None    # BE; for "year" the year itself; None for a range over two years
    kind: str                  # one of KINDS
    match: str                 # the text matched
    confidence: float = 1.0
    position: int = -1         # where the match starts in the text searched (-1: not known)


class Month(NamedTuple):
    number: int
    thai: tuple[str, ...]      # full name first, then common misspellings and the spoken short form
    abbreviation: str          # official, with dots
    english: tuple[str, ...]


# The Thai month table: the one place month names live.
MONTHS = (
    Month(1, ("มกราคม", "มกรา"), "ม.ค.", ("january", "jan")),
    Month(2, ("กุมภาพันธ์", "กุมภาพันธ", "กุมภา"), "ก.พ.", ("february", "feb")),
    Month(3, ("มีนาคม", "มีนา"), "มี.ค.", ("march", "mar")),
    Month(4, ("เมษายน", "เมษา"), "เม.ย.", ("april", "apr")),
    Month(5, ("พฤษภาคม", "พฤษภา"), "พ.ค.", ("may",)),
    Month(6, ("มิถุนายน", "มิถุนา"), "มิ.ย.", ("june", "jun")),
    Month(7, ("กรกฎาคม", "กรกฏาคม", "กรกฎา", "กรกฏา"), "ก.ค.", ("july", "jul")),
    Month(8, ("สิงหาคม", "สิงหา"), "ส.ค.", ("august", "aug")),
    Month(9, ("กันยายน", "กันยา"), "ก.ย.", ("september", "sept", "sep")),
    Month(10, ("ตุลาคม", "ตุลา"), "ต.ค.", ("october", "oct")),
    Month(11, ("พฤศจิกายน", "พฤศจิกา"), "พ.ย.", ("november", "nov")),
    Month(12, ("ธันวาคม", "ธันวา"), "ธ.ค.", ("december", "dec")),
)


def _month_key(name: str) -> str:
    """"ม. ค." / "มค" / "ม.ค." -> "มค"; "Sept." -> "sept"."""
    return re.sub(r"[.\s]", "", name).casefold()


_MONTH_BY_KEY = {
    _month_key(name): month.number
    for month in MONTHS for name in (*month.thai, month.abbreviation, *month.english)
}


# The regex below is tried at every position of long texts. Each alternative therefore tests a
# plain first character before anything else; a "not preceded by" check comes after that
# character, as (?<!X.), so most positions are rejected by one character comparison.


def _abbreviation_pattern(abbreviation: str) -> str:
    # "มี.ค." also written "มี.ค", "มีค", "มี. ค.": dots and the inner space optional. It must not
    # follow a Thai letter or dot ("อ.ก.พ." is a committee) nor, undotted, run on into a word.
    first, second = abbreviation.rstrip(".").split(".")
    return f"{first[0]}(?<![\u0e01-\u0e4e.].){first[1:]}\\.?\\s?{second}(?:\\.|(?![\u0e01-\u0e4e]))"


def _english_pattern(names: list[str]) -> str:
    # Any letter case, as a whole word: "Sep", "SEPT.", "september".
    by_initial: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        by_initial.setdefault(name[0], []).append(name[1:])
    return "|".join(f"[{initial}{initial.upper()}](?<!\\w.)(?i:{'|'.join(rests)})\\b\\.?"
                    for initial, rests in by_initial.items())


_THAI_MONTH = "|".join(
    sorted((re.escape(name) for month in MONTHS for name in month.thai), key=len, reverse=True))
_ABBREVIATED_MONTH = "|".join(_abbreviation_pattern(month.abbreviation) for month in MONTHS)
_ENGLISH_MONTH = _english_pattern([name for month in MONTHS for name in month.english])
_MONTH = f"(?:{_THAI_MONTH}|{_ABBREVIATED_MONTH}|{_ENGLISH_MONTH})"

_D = "[0-9๐-๙]"                                        # a digit, Arabic or Thai
_END = "(?![0-9๐-๙])"
_YEAR = f"(?:{_D}{{4}}|{_D}{{2}}){_END}"                # 2-digit: BE 60-99, checked later
_YEAR4 = f"{_D}{{4}}{_END}"
_DAY = f"{_D}(?<![0-9๐-๙.,:/].){_D}?"                   # not the tail of a number or a time
_NUMBER_START = f"{_D}(?<![0-9๐-๙./-].)"                 # not inside another number or date
_ERA = r"(?:พ\.?\s?ศ\.?|ค\.?\s?ศ\.?)"                   # "พ.ศ." / "ค.ศ.", dots optional
# A bare 25xx year, in any digits, not part of a longer number ...
_BE_YEAR = f"[2๒](?<![0-9๐-๙,.].)[5๕]{_D}{{2}}{_END}"
# ... nor the middle group of a phone number ("0-2568-1234"), nor an amount or a count.
_NOT_A_PHONE_GROUP = f"(?:(?<![0-9๐-๙][-–].{{4}})|(?![-–][0-9๐-๙]))"
_NOT_AN_AMOUNT = r"(?!\s*(?:บาท|ล้าน|ราย|คน|%))"
# "ปี 60 วัน" is a duration, not the year 2560.
_NOT_A_DURATION = r"(?!\s*(?:วัน|เดือน|ปี|สัปดาห์|ชั่วโมง|นาที|ครั้ง|คน|ราย|บาท|%))"

# Alternatives are tried in this order at each position; the first that matches wins.
_CANDIDATE = re.compile("|".join([
    # ปีงบประมาณ พ.ศ. 2568 / ประจำปีงบประมาณ ๒๕๖๘ / ปีงบ 67 (PDFs may break "ปี งบประมาณ")
    f"(?P<fiscal>(?:ประจำ\\s?ปี|ปี)\\s?งบ(?:\\s?ประมาณ)?\\s*(?:{_ERA}\\s*)?(?P<fiscal_year>{_YEAR}))",
    # ประจำปี 2568: the rubric takes it as the fiscal year too (docs/rubric.md section 2)
    f"(?P<annual>ประจำ\\s?ปี\\s*(?:{_ERA}\\s*)?(?P<annual_year>{_YEAR}))",
    # 1 - 31 ตุลาคม 2567
    f"(?P<span>(?P<span_first>{_DAY})\\s*[-–—]\\s*(?P<span_last>{_D}{{1,2}})\\s*"
    f"(?P<span_month>{_MONTH})\\s*(?:{_ERA}\\s*)?(?P<span_year>{_YEAR}))",
    # 2024-09-30
    f"(?P<iso>(?P<iso_year>{_NUMBER_START}{_D}{{3}})-(?P<iso_month>{_D}{{1,2}})-"
    f"(?P<iso_day>{_D}{{1,2}}){_END})",
    # 30/09/2567, 30-09-2567, 30.09.2567; a 2-digit year only after "/" (30/9/67)
    f"(?P<numeric>(?P<numeric_day>{_NUMBER_START}{_D}?)(?P<separator>[/.-])"
    f"(?P<numeric_month>{_D}{{1,2}})(?P=separator)(?P<numeric_year>{_D}{{4}}|(?<=/){_D}{{2}}){_END})",
    # September 30, 2024
    f"(?P<english>(?P<english_month>{_ENGLISH_MONTH})\\s*(?P<english_day>{_D}{{1,2}})(?:st|nd|rd|th)?"
    f",?\\s*(?P<english_year>{_YEAR4}))",
    # 30 กันยายน [พ.ศ.] [2567] and กันยายน [พ.ศ.] [2567]: without a year only a range's start. "เดือน"
    # between day and month only after "วันที่" ("ณ วันที่ 25 เดือน มิถุนายน พ.ศ. 2567"): "รอบ 6 เดือน
    # ตุลาคม 2567", "สขร 1 เดือน ก.ย.67" name no day.
    f"(?P<day_text>(?P<day_text_lead>วันที่\\s*)?(?P<day_text_day>{_DAY})\\s*"
    f"(?(day_text_lead)(?:เดือน\\s*)?)(?P<day_text_month>{_MONTH})"
    f"(?:\\s*(?:{_ERA}\\s*)?(?P<day_text_year>{_YEAR}))?)",
    f"(?P<month_text>(?P<month_text_month>{_MONTH})"
    f"(?:\\s*(?:{_ERA}\\s*)?(?P<month_text_year>{_YEAR}))?)",
    # ปี 2567, ปี พ.ศ. 2567, ปี 67, ปี 2024
    f"(?P<year_word>ปี\\s*(?:{_ERA}\\s*)?(?P<year_word_year>{_YEAR4}|{_D}{{2}}{_END}{_NOT_A_DURATION}))",
    # พ.ศ. 2568 / ค.ศ. 2024
    f"(?P<era>{_ERA}\\s*(?P<era_year>{_YEAR4}))",
    # 2556-2558: a plan's years, both of them
    f"(?P<years>(?P<years_first>{_BE_YEAR})\\s*[-–]\\s*(?P<years_last>{_BE_YEAR}))",
    # report2568.pdf, /ITA/2568/O5/: the caller knows whether it read a file name or a text
    f"(?P<bare>{_BE_YEAR}{_NOT_A_PHONE_GROUP}(?![.,][0-9๐-๙]){_NOT_AN_AMOUNT})",
]))
# Every candidate holds one of these "triggers": a digit, something like a month name, or a word
# that opens a candidate (ปี, วันที่, พ.ศ.). They are looser than the candidates and each starts with
# a plain character (set), which lets the regex engine skip other positions quickly.
_ABBREVIATION_PARTS = [abbreviation.rstrip(".").split(".") for abbreviation in (m.abbreviation for m in MONTHS)]
_ENGLISH_NAMES = [name for month in MONTHS for name in month.english]
_TRIGGERS = tuple(re.compile(pattern) for pattern in (
    "[0-9๐-๙]+",
    r"ปี|วันที่|[พค]\.?\s?ศ",
    "|".join(sorted({name for month in MONTHS for name in month.thai}, key=len, reverse=True)),
    # as _abbreviation_pattern asks, looser: not after a Thai letter or dot, not running on into a
    # word (an undotted "มค" inside words was 30,000 of a bench crawl's 78,000 triggers)
    "[" + "".join(sorted({first[0] for first, _ in _ABBREVIATION_PARTS})) + "](?<![\u0e01-\u0e4e.].)"
    "[" + "".join(sorted({first[1:] for first, _ in _ABBREVIATION_PARTS} - {""})) + "]?"
    r"\.?\s?[" + "".join(sorted({second for _, second in _ABBREVIATION_PARTS})) + "]"
    "(?:\\.|(?![\u0e01-\u0e4e]))",
    "[" + "".join(sorted({name[0] + name[0].upper() for name in _ENGLISH_NAMES})) + "]"
    "(?i:" + "|".join(sorted({name[1:3] for name in _ENGLISH_NAMES})) + ")",
))
# A candidate starts at most _BEFORE non-space characters before its first trigger ("ประจำ" before
# "ปี"); it has at most _AFTER between two of its triggers ("งบประมาณ" between "ปี" and "พ.ศ.",
# "เดือน" between a day and its month) and after its last one, lookaheads included ("สัปดาห์"
# after a year). Whitespace runs in between are unbounded.
_BEFORE, _AFTER = 8, 12
# What may stand between the two ends of a range.
_RANGE_SEPARATOR = re.compile(
    r"\s*(?:[-–—~]|จนถึง|ถึง|to|until)\s*(?:วันที่|เดือน)?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class _Part:
    """A day or month found in the text, its year possibly missing (the start of a range)."""
    begin: int                 # position in the text
    end: int
    month: int
    year: int | None           # BE
    day: int | None = None
    confidence: float = 1.0

    def first_day(self, year: int) -> date:
        return date(year - BE_OFFSET, self.month, self.day or 1)

    def last_day(self, year: int) -> date:
        ce = year - BE_OFFSET
        return date(ce, self.month, self.day or calendar.monthrange(ce, self.month)[1])


def find_dates(text: str) -> list[DateHit]:
    """Every date, month, range, fiscal year and year stated in `text`, in order of position."""
    found: list[_Part | DateHit] = []
    for begin, end in _windows(text):
        start = max(begin - _LOOKBEHIND, 0)
        hits_of = _window_hits if end - start <= _REMEMBERED_WINDOW_CHARS else _window_hits.__wrapped__
        read = hits_of(text[start:end], begin - start)
        found.extend((_shifted(hit, start) for hit in read) if start else read)
    hits: list[DateHit] = []
    i = 0
    while i < len(found):
        item = found[i]
        if isinstance(item, _Part):
            following = found[i + 1] if i + 1 < len(found) else None
            if isinstance(following, _Part) and (joined := _joined(text, item, following)):
                hits.append(joined)
                i += 2
                continue
            if item.year is not None:          # a day or month without a year says nothing alone
                hits.append(_single(text, item))
        else:
            hits.append(item)
        i += 1
    return hits


# A window is read with the characters before it that a candidate's lookbehinds may see (at most 6),
# and what it holds is remembered by that text: a site's menus and footers repeat their windows on every
# page, as a document's headers do on every page (the bench's 2,001 pages: 15,019 windows, 3,731 distinct).
_LOOKBEHIND = 16
_REMEMBERED_WINDOW_CHARS = 200         # (a table's numbers make one long window: read, not kept)


@lru_cache(maxsize=8192)
def _window_hits(window: str, begin: int) -> tuple[_Part | DateHit, ...]:
    """The candidates' days, months and hits in window[begin:], placed in `window`."""
    return tuple(_placed(hit, match) for match in _CANDIDATE.finditer(window, begin) for hit in _read(match))


def _shifted(hit: _Part | DateHit, offset: int) -> _Part | DateHit:
    if isinstance(hit, _Part):
        return replace(hit, begin=hit.begin + offset, end=hit.end + offset)
    return replace(hit, position=hit.position + offset)


def _placed(hit: _Part | DateHit, match: re.Match) -> _Part | DateHit:
    """A finished hit with its position in the text."""
    if isinstance(hit, _Part) or hit.position >= 0:
        return hit
    return replace(hit, position=match.start())


def _windows(text: str) -> list[tuple[int, int]]:
    """Disjoint spans of `text` holding every candidate: each run of triggers with _BEFORE non-space
    characters before it and _AFTER after it. Searching from a span's start still sees the text
    before it (lookbehinds), and no candidate or lookahead reaches past its end, so each span gives
    what a pass over the whole text would."""
    triggers = sorted(match.span() for pattern in _TRIGGERS for match in pattern.finditer(text))
    windows: list[tuple[int, int]] = []
    first = last = -1
    for start, end in triggers:
        if first >= 0 and (start - last <= _BEFORE + _AFTER
                           or _few_non_space(text, last, start, _BEFORE + _AFTER)):
            last = max(last, end)
            continue
        if first >= 0:
            windows.append((_reach_back(text, first), _reach_forward(text, last)))
        first, last = start, end
    if first >= 0:
        windows.append((_reach_back(text, first), _reach_forward(text, last)))
    return windows


def _few_non_space(text: str, begin: int, end: int, most: int) -> bool:
    """_non_space(text, begin, end) <= most, read only until it is more (a gap can be a whole page)."""
    found = 0
    for run in _NON_SPACE_RUN.finditer(text, begin, end):
        found += run.end() - run.start()
        if found > most:
            return False
    return True


_NON_SPACE_RUN = re.compile(r"\S{1,32}")      # (bounded: one long word is not read whole)


def _non_space(text: str, begin: int, end: int) -> int:
    return sum(map(len, text[begin:end].split()))


def _reach_back(text: str, position: int) -> int:
    begin = max(position - _BEFORE, 0)
    while begin and (missing := _BEFORE - _non_space(text, begin, position)) > 0:
        begin = max(begin - missing, 0)
    return begin


def _reach_forward(text: str, position: int) -> int:
    end = min(position + _AFTER, len(text))
    while end < len(text) and (missing := _AFTER - _non_space(text, position, end)) > 0:
        end = min(end + missing, len(text))
    return end


def _read(match: re.Match) -> list[_Part | DateHit]:
    """What one candidate says: days/months (to be joined into ranges) or finished hits."""
    kind, g = match.lastgroup, match.group      # the outer group closes last: it names the form
    if kind in ("fiscal", "annual"):
        year = _year(g(f"{kind}_year"))
        if year is None:
            return []
        start, end = fiscal_year_bounds(year)
        return [DateHit(None, start, end, year, "fiscal_year", g(), 1.0 if kind == "fiscal" else 0.9)]
    if kind == "span":
        year, month = _year(g("span_year")), _month(g("span_month"))
        first = _Part(match.start(), match.end(), month, year, int(g("span_first")))
        last = _Part(match.start(), match.end(), month, year, int(g("span_last")))
        hit = _range_hit(g(), first, year, last, year) if year is not None else None
        return [hit] if hit else []
    if kind in ("iso", "numeric", "english"):
        year = _year(g(f"{kind}_year"))
        month = _month(g("english_month")) if kind == "english" else int(g(f"{kind}_month"))
        # d/m/y could be read m/d/y by an English-speaking writer: slightly less sure.
        part = _Part(match.start(), match.end(), month, year, int(g(f"{kind}_day")),
                     0.9 if kind == "numeric" else 1.0)
        return [part] if year is not None and _valid(part, year) else []
    if kind in ("day_text", "month_text"):
        year = _year(g(f"{kind}_year")) if g(f"{kind}_year") else None
        day = int(g("day_text_day")) if kind == "day_text" else None
        part = _Part(match.start(), match.end(), _month(g(f"{kind}_month")), year, day)
        return [part] if year is None or _valid(part, year) else []
    if kind in ("year_word", "era"):
        year = _year(g(f"{kind}_year"))
        return [_year_hit(g(), year, 0.8)] if year is not None else []
    if kind == "years":
        return [replace(_year_hit(g(name), _year(g(name)), 0.5), position=match.start(name))
                for name in ("years_first", "years_last")]
    return [_year_hit(g(), _year(g()), 0.5)]                            # bare


def _single(text: str, part: _Part) -> DateHit:
    start, end = part.first_day(part.year), part.last_day(part.year)
    kind = "day" if part.day else "month"
    return DateHit(start if part.day else None, start, end, fiscal_year_of(start), kind,
                   text[part.begin:part.end], part.confidence, part.begin)


def _joined(text: str, first: _Part, last: _Part) -> DateHit | None:
    """The range "first - last", when only a separator stands between them and last has a year."""
    if last.year is None or not _RANGE_SEPARATOR.fullmatch(text, first.end, last.begin):
        return None
    year = first.year
    if year is None:        # "ม.ค. - มิ.ย. 2568"; "ต.ค. - มี.ค. 2568" starts the year before
        year = last.year
        if _valid(first, year) and first.first_day(year) > last.last_day(last.year):
            year -= 1
    hit = _range_hit(text[first.begin:last.end], first, year, last, last.year,
                     min(first.confidence, last.confidence))
    return replace(hit, position=first.begin) if hit else None


def _range_hit(matched: str, first: _Part, first_year: int, last: _Part, last_year: int,
               confidence: float = 1.0) -> DateHit | None:
    if not (_valid(first, first_year) and _valid(last, last_year)):
        return None
    start, end = first.first_day(first_year), last.last_day(last_year)
    if start > end:
        return None
    fiscal_year = fiscal_year_of(start)
    return DateHit(None, start, end, fiscal_year if fiscal_year == fiscal_year_of(end) else None,
                   "range", matched, confidence)


def _year_hit(matched: str, year: int | None, confidence: float) -> DateHit:
    # A bare year may be calendar or fiscal: the caller weighs it; no start/end is claimed.
    return DateHit(None, None, None, year, "year", matched, confidence)


def _valid(part: _Part, year: int) -> bool:
    try:
        part.first_day(year)
    except ValueError:
        return False
    return True


def _month(name: str) -> int:
    return _MONTH_BY_KEY[_month_key(name)]


def _year(digits: str) -> int | None:
    """BE year from 4 digits (BE or CE) or 2 digits (BE 60-99); None when not a plausible year."""
    number = int(digits)                  # int() reads Thai digits too
    if len(digits) == 2:
        return 2500 + number if number in TWO_DIGIT_BE else None
    if number in BE_YEARS:
        return number
    if number in CE_YEARS:
        return number + BE_OFFSET
    return None


def fiscal_year_of(d: date) -> int:
    """BE fiscal year of a day: October-December belong to the next year's budget."""
    return d.year + BE_OFFSET + (1 if d.month >= 10 else 0)


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """(1 October N-1, 30 September N) in CE dates for BE fiscal year N."""
    ce = fiscal_year - BE_OFFSET
    return date(ce - 1, 10, 1), date(ce, 9, 30)


def months_covered(hits: Iterable[DateHit]) -> set[tuple[int, int]]:
    """(CE year, month) of every month touched by a day, month or range hit."""
    covered: set[tuple[int, int]] = set()
    for hit in hits:
        if hit.kind not in ("day", "month", "range") or hit.start is None or hit.end is None:
            continue
        for index in range(hit.start.year * 12 + hit.start.month - 1,
                           hit.end.year * 12 + hit.end.month):
            year, month0 = divmod(index, 12)
            covered.add((year, month0 + 1))
    return covered


# -- times and years as a person reads and types them -----------------------------------------------

# Bangkok has kept UTC+7 without daylight saving since 1920: a fixed offset, no tz database needed.
BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")


def bangkok_datetime_th(iso: str | None, clock: bool = True) -> str:
    """'2026-12-04T06:54:00+00:00' -> '4 ธ.ค. 2569 13:54' (Bangkok clock, Buddhist Era).

    A time without a zone is shown as written; text that is not an ISO time is returned unchanged.
    """
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(str(iso).strip().replace("Z", "+00:00"))
    except ValueError:
        return str(iso)
    if moment.tzinfo is not None:
        moment = moment.astimezone(BANGKOK)
    day = f"{moment.day} {MONTHS[moment.month - 1].abbreviation} {moment.year + BE_OFFSET}"
    if not clock or len(str(iso).strip()) == 10:      # a date alone has no clock time
        return day
    return f"{day} {moment:%H:%M}"


FISCAL_YEARS = range(2500, 2700)      # what a fiscal year typed by a person may be (BE)
_YEAR_PREFIX = re.compile(r"^(?:ปีงบประมาณ|ปีงบฯ|ปี|พ\.ศ\.|พ\.ศ|fy|be)\s*", re.IGNORECASE)


class FiscalYearInput(NamedTuple):
    year: int                # Buddhist Era
    note: str | None         # set when the input was read as something else than written (a CE year)


def parse_fiscal_year(text: str) -> FiscalYearInput:
    """A fiscal year as typed: '2567', '๒๕๖๗', 'พ.ศ. 2567', or a CE year (2024 -> 2567, with a note).

    A short Buddhist Era year ('67', '567') is not guessed: ValueError says which year it likely means.
    The message is Thai first, with the English after it.
    """
    raw = str(text).strip()
    digits = _YEAR_PREFIX.sub("", thai_digits_to_arabic(raw)).strip()
    if not digits.isdigit():
        raise ValueError(f"ไม่ใช่ปี: {raw!r} — พิมพ์ปีงบประมาณ พ.ศ. 4 หลัก เช่น 2568 (not a year: {raw!r}; e.g. 2568)")
    number = int(digits)
    if number in FISCAL_YEARS:
        return FiscalYearInput(number, None)
    if number in CE_YEARS and number + BE_OFFSET in FISCAL_YEARS:
        be = number + BE_OFFSET
        return FiscalYearInput(be, f"อ่าน {number} เป็น ค.ศ. จึงใช้ปีงบประมาณ พ.ศ. {be} "
                                   f"(read {number} as CE: fiscal year BE {be})")
    guess = _short_year(digits)
    if guess is not None:
        raise ValueError(f"ปีงบประมาณต้องเป็น พ.ศ. 4 หลัก: หมายถึง {guess} ใช่ไหม? "
                         f"(a fiscal year is a 4-digit Buddhist Era year: did you mean {guess}?)")
    raise ValueError(f"ไม่ใช่ปีงบประมาณ พ.ศ. ที่เป็นไปได้: {raw!r} — เช่น 2568 "
                     f"(not a plausible Buddhist Era fiscal year: {raw!r}; e.g. 2568)")


def _short_year(digits: str) -> int | None:
    """'67' -> 2567, '567' -> 2567: the BE year a shortened one stands for (2560-2599, as in dates)."""
    if len(digits) == 2:
        return 2500 + int(digits) if int(digits) in TWO_DIGIT_BE else None
    if len(digits) == 3 and digits.startswith("5"):
        return 2000 + int(digits) if int(digits[1:]) in TWO_DIGIT_BE else None
    return None


_TYPED_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_typed_date(text: str) -> date | None:
    """A day as staff type it: '2024-07-15', '2567-07-15', '15/07/2567', '15/7/2024' (Thai digits too);
    a year from 2400 is Buddhist Era. None when it is not a real day."""
    raw = thai_digits_to_arabic(str(text)).strip()
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", raw)
    typed = _TYPED_DAY.match(raw)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif typed:
        day, month, year = (int(g) for g in typed.groups())
    else:
        return None
    if year in BE_YEARS:
        year -= BE_OFFSET
    try:
        return date(year, month, day)
    except ValueError:
        return None
