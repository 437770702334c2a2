"""One fiscal year per document, decided as a person would: from where each date stands.

The dates of a candidate (its own title and text, the rows and links that point to it, its file name
or URL) arrive as stamps, each with its source, kind, role (crawler.text.years) and whether it is
sure. Tiers, strongest first (docs/rubric.md section 2 orders the sources; the roles order each one):

    1  the heading's fiscal year                "ประกาศ … ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
    2  the dated header or signature            "วันที่ ๑๓ พฤศจิกายน ๒๕๖๒", "ประกาศ ณ วันที่ …"
    3  the body's fiscal years and dates        by vote
    4  the rows of a listing page that link here
    5  link texts' fiscal years, 6  their dates
    7  a year in the heading                    "แผนพัฒนาสามปี พ.ศ. 2556 – 2558"
    8  a year in link texts
    9  the file name or URL, beside a year word "ปีงบ 67", "สขร 1 เดือน ก.ย.67"
    10 a year in the body                       never sure: it may be anything

Law citations, ages, letter and document numbers, page numbers and past events (roles in
crawler.text.years.NOT_THE_YEAR) never decide. Within tiers 1-3 and 7 the text layer's stamps come
before OCR's reading of the same document. A sure stamp anywhere beats an unsure one; in tiers 2 and 3
a vote whose winner holds no more than VOTE_SHARE of the votes is unsure (a body that speaks of several
years does not say which is its own; a listing page's rows may, they list documents of many years). `year_is_near` is the last check, against the audited fiscal year: a reading
far from it is more likely a misread or a stray number than an old document.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from crawler.text.years import NOT_THE_YEAR, name_role

OWN_SOURCES = ("text", "title")
LINK_SOURCES = ("link_text", "context")
NAME_SOURCES = ("filename", "url")
ROW_SOURCE = "rows"              # dates in a listing page's rows that link to other resources
DATED_KINDS = ("day", "month", "range")
VOTE_SHARE = 2 / 3               # a vote's winner needs more than this share to be sure
FISCAL_WEIGHT = 2                # a fiscal-year statement counts as two dates in a vote
NEAR_YEARS_BEFORE = 5            # readings further from the audited fiscal year than this are unsure
NEAR_YEARS_AFTER = 2


class Dated(Protocol):
    """What the decision reads of a date stamp (crawler.audit.primitives.Stamp)."""
    fiscal_year: int | None
    source: str
    kind: str
    match: str
    sure: bool
    role: str
    ocr: bool


@dataclass(frozen=True)
class YearReading:
    fiscal_year: int | None
    source: str | None
    sure: bool
    match: str = ""


NO_YEAR = YearReading(None, None, True)


def role_of(stamp: Dated) -> str:
    """The stamp's role; stamps stored before roles existed get the one their source implies."""
    if stamp.role:
        return stamp.role
    if stamp.source in NAME_SOURCES:
        return name_role(stamp.kind, stamp.match)
    return "heading" if stamp.source == "title" else "body"


@dataclass(frozen=True)
class Tier:
    name: str
    sources: tuple[str, ...]
    kinds: tuple[str, ...]
    roles: frozenset[str] | None     # None: any role that may be the year
    vote: bool
    sure_possible: bool = True
    layer_first: bool = False        # the text layer's stamps before OCR's
    agree: bool = False              # a vote is sure only when its winner has more than VOTE_SHARE

    def holds(self, stamp: Dated) -> bool:
        role = role_of(stamp)
        return (stamp.source in self.sources and stamp.kind in self.kinds and role not in NOT_THE_YEAR
                and (self.roles is None or role in self.roles))


TIERS: tuple[Tier, ...] = (
    Tier("heading", OWN_SOURCES, ("fiscal_year",), frozenset({"heading"}), vote=False, layer_first=True),
    Tier("dated", OWN_SOURCES, DATED_KINDS, frozenset({"dated", "heading"}), vote=True, layer_first=True,
         agree=True),
    Tier("body", OWN_SOURCES, ("fiscal_year", *DATED_KINDS), frozenset({"body"}), vote=True, layer_first=True,
         agree=True),
    # A listing page's rows speak of many documents: their most frequent year is the page's.
    Tier("rows", (ROW_SOURCE,), ("fiscal_year", "year", *DATED_KINDS), None, vote=True),
    Tier("link_fiscal_year", LINK_SOURCES, ("fiscal_year",), None, vote=False),
    Tier("link_dated", LINK_SOURCES, DATED_KINDS, None, vote=True),
    Tier("heading_year", OWN_SOURCES, ("year",), frozenset({"heading"}), vote=False, layer_first=True),
    Tier("link_year", LINK_SOURCES, ("year",), None, vote=False),
    Tier("name", NAME_SOURCES, ("fiscal_year", *DATED_KINDS, "year"), frozenset({"name"}), vote=False),
    Tier("body_year", OWN_SOURCES, ("year",), frozenset({"body"}), vote=False, sure_possible=False),
)


def decide(stamps: Sequence[Dated], sources: Iterable[str] | None = None) -> YearReading:
    """The document's fiscal year from its stamps (only those of `sources` when given)."""
    allowed = set(sources) if sources is not None else None
    usable = [s for s in stamps if s.fiscal_year is not None and (allowed is None or s.source in allowed)]
    if not usable:
        return NO_YEAR
    for tier in TIERS:                                  # sure readings first, by tier
        if not tier.sure_possible:
            continue
        for group in _groups(tier, [s for s in usable if s.sure]):
            reading, agreed = _pick(tier, group)
            if agreed:
                return reading
    for tier in TIERS:                                  # then the strongest unsure one
        for group in _groups(tier, usable):
            reading, _ = _pick(tier, group)
            return YearReading(reading.fiscal_year, reading.source, False, reading.match)
    return NO_YEAR


def _groups(tier: Tier, stamps: list[Dated]) -> list[list[Dated]]:
    held = [s for s in stamps if tier.holds(s)]
    if not tier.layer_first:
        return [held] if held else []
    layer = [s for s in held if not s.ocr]
    read = [s for s in held if s.ocr]
    return [group for group in (layer, read) if group]


def _pick(tier: Tier, stamps: list[Dated]) -> tuple[YearReading, bool]:
    """The tier's reading and whether it is agreed (always, for a tier that takes the first stamp)."""
    if not tier.vote:
        chosen = stamps[0]
        return YearReading(chosen.fiscal_year, chosen.source, chosen.sure, chosen.match), True
    votes: Counter[int] = Counter()
    for s in stamps:
        votes[s.fiscal_year] += FISCAL_WEIGHT if s.kind == "fiscal_year" else 1
    top = max(votes.values())
    chosen = next(s for s in stamps if votes[s.fiscal_year] == top)
    agreed = not tier.agree or top > VOTE_SHARE * sum(votes.values())
    return YearReading(chosen.fiscal_year, chosen.source, chosen.sure and agreed, chosen.match), agreed


def year_is_near(reading_year: int, fiscal_year: int) -> bool:
    """Whether a document's year is close enough to the audited one to be taken as read."""
    return fiscal_year - NEAR_YEARS_BEFORE <= reading_year <= fiscal_year + NEAR_YEARS_AFTER

