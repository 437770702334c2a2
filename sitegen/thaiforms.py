"""How Thai district sites write dates, years, digits and money; the fiscal calendar of a scenario.

Month names come from `crawler.text.dates.MONTHS` (the project's one Thai month table). Everything else
here is written independently of the code under test on purpose: the generator is an oracle.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from crawler.text.dates import BE_OFFSET, MONTHS

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)


def thai_digits(text: object) -> str:
    return str(text).translate(_TO_THAI)


def be_year(d: date) -> int:
    return d.year + BE_OFFSET


def month_name(month: int) -> str:
    return MONTHS[month - 1].thai[0]


def month_abbr(month: int) -> str:
    return MONTHS[month - 1].abbreviation


def thai_date(d: date, style: str = "full", *, thai: bool = False) -> str:
    """'15 มีนาคม 2567', '15 มีนาคม พ.ศ. 2567', '15 มี.ค. 2567', '15 มี.ค. 67', '15/03/2567'."""
    be = be_year(d)
    text = {
        "full": f"{d.day} {month_name(d.month)} {be}",
        "full_be": f"{d.day} {month_name(d.month)} พ.ศ. {be}",
        "abbr": f"{d.day} {month_abbr(d.month)} {be}",
        "abbr_short": f"{d.day} {month_abbr(d.month)} {be % 100:02d}",
        "numeric": f"{d.day:02d}/{d.month:02d}/{be}",
    }[style]
    return thai_digits(text) if thai else text


def month_year(year: int, month: int) -> str:
    """(2023, 10) -> "ตุลาคม 2566" (year is CE)."""
    return f"{month_name(month)} {year + BE_OFFSET}"


def baht(amount: float) -> str:
    return f"{amount:,.2f}"


def split_sara_am(text: str) -> str:
    """What a Word-exported PDF's text layer says: sara am drawn as a space-like glyph + sara aa."""
    return text.replace("\u0e33", " \u0e32")


def fiscal_months(fiscal_year: int) -> list[tuple[int, int]]:
    """(CE year, month) from October N-1 to September N."""
    ce = fiscal_year - BE_OFFSET
    return [(ce - 1, m) for m in range(10, 13)] + [(ce, m) for m in range(1, 10)]


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def required_months(fiscal_year: int, as_of: date) -> list[tuple[int, int]]:
    """docs/rubric.md's `monthly` rule: every month of FY N that ended at least 15 days before D."""
    return [(y, m) for y, m in fiscal_months(fiscal_year) if (as_of - month_end(y, m)).days >= 15]


def default_as_of(fiscal_year: int) -> date:
    """30 June of the fiscal year: nine months in, after the half-year reports."""
    return date(fiscal_year - BE_OFFSET, 6, 30)


def clamp(d: date, as_of: date) -> date:
    """Nothing on a site is dated after the as-of date (a document is published before it is seen)."""
    return min(d, as_of - timedelta(days=1))
