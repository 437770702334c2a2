"""Check primitives: small, general judgements over a RunEvidence, combined per checklist element.

Every ok or failed resource of a run is a *candidate*, identified by its own title, file name and text
and by the non-navigation links that point to it (link text, and the row, list item and heading around
the link). An element is satisfied by a candidate that matches one of its phrases and passes, in order:

    stage  primitive                 failure reason
    0      fetched                   could_not_fetch (dead_link for live elements)
    1      format_family_ok          wrong_format
    2      readable                  review_scan_unread (a scan without text: a person must look)
    3      in_english                not_english
    4      time_window               wrong_year | review_low_confidence
    5      dated                     wrong_year (no day date)
    6      contact, names_school, addressed_to_director, min_months
                                     not_found | not_addressed | missing_month
    7      lists_live_service        dead_link (a page that only lists dead service links)
    then over all passing candidates: table_filled (blank_column), min_count (too_few),
    monthly coverage (missing_month), formats_all families (wrong_format, partial credit).

When nothing passes, the element takes the reason of the candidate that got furthest; when nothing
matches at all it is not_found, or only_in_navigation if only site-wide menu links name it.

Rules of the rubric (docs/rubric.md) enforced here:
- links with is_nav=True are never identifying text; neither is a page's own copy of its menu;
- the checklist's own item names (and "O<n>" labels) beside a link establish no element: they are
  removed from link texts, contexts, headings and page texts before matching;
- a row that links to another resource is evidence of that resource, not of the page it sits on;
- phrases and texts are compared in crawler.text.thai.compact() form; OCR text also without tone marks;
- fiscal year: decided as a person would (crawler/audit/document_year.py): the heading's fiscal year,
  then the dated header or signature, then the body, links, and the file name beside a year word; law
  citations, ages, numbers and history dates never; a date read with low confidence from OCR never
  decides alone (review), nor does a year far from the audited one.

Evidence texts are normalised by the pipeline (crawler.text.thai.normalize is idempotent), so their compact
form is taken without normalising again: re-normalising tens of MB would cost seconds per audit.
"""
from __future__ import annotations

import calendar
import re
import weakref
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from crawler.audit.checklist import IDENTIFYING, Checklist, Element, Phrase
from crawler.audit.checks import REASONS  # noqa: F401  (re-exported)
from crawler.audit.checks import contact as contact_check, count as count_check, director as director_check
from crawler.audit.checks import formats as formats_check, live as live_check, months as months_check
from crawler.audit.checks.fetched import failure_text, is_transport_failure
from crawler.audit.checks.formats import FAMILY_NAMES, format_family
from crawler.audit.checks.language import in_english
from crawler.audit.checks.readable import readable
from crawler.audit.checks.school import names_school
from crawler.audit.checks.table import blank_cells
from crawler.audit.document_year import (LINK_SOURCES, NAME_SOURCES, NO_YEAR, OWN_SOURCES, ROW_SOURCE,
                                         YearReading, decide, year_is_near)
from crawler.text.dates import MONTHS, find_dates, fiscal_year_bounds
from crawler.evidence.model import DateFound, LinkRef, Resource, RunEvidence
from crawler.text.thai import compact, strip_tone_marks, thai_digits_to_arabic
from crawler.text.urls import url_path
from crawler.text.words import AtomFinder, Segmenter, WordFinder
from crawler.text.years import date_roles

# -- failure reasons: declared by the checks (crawler/audit/checks/) -----------------------------

STAGE_FETCH, STAGE_FORMAT, STAGE_READABLE, STAGE_LANGUAGE, STAGE_TIME, STAGE_DATED, STAGE_CONTENT, \
    STAGE_LIVE, STAGE_PASSED = range(9)

FIELD_ORDER = ("title", "heading", "link_text", "context", "filename", "text")
HEAD_CHARS = 300                 # a resource's heading lines: at most this many compact characters
HEAD_LINES = 3                   # ... from at most this many of its first own lines
LOW_CONFIDENCE = 0.5             # below this a date is unsure whatever its source
SNIPPET_CHARS = 160
COMPACT_CACHE = 100_000          # compact forms of short texts kept (link texts, rows, lines)
SHARED_SETS = 50_000             # distinct atom sets kept by Matcher.shared
OWN_CACHE = 64                   # candidates' own texts kept (EvidenceIndex.own)
EMPTY_PAGE_CHARS = 40            # compact characters of a page's own content below which it is empty
BOILERPLATE_SHARE = 0.5          # a line on at least this share of the pages is the site's frame
_ITEM_LABEL = re.compile(r"(?<![a-z])[o\u25cb\u25ef](\d{1,2})(?!\d)")
_GROUP_LABEL = re.compile(r"ตัวชี้วัด(?:ย่อย)?(?:ที่)?(\d{1,2}(?:\.\d{1,2})?)")


def reason_text(code: str | None) -> tuple[str | None, str | None]:
    if code is None:
        return None, None
    return REASONS[code]


# -- text forms -------------------------------------------------------------------------------------

def compact_normalized(text: str) -> str:
    """crawler.text.thai.compact() of an already normalised text (normalize is idempotent)."""
    if not text:
        return ""
    return thai_digits_to_arabic("".join(text.split())).casefold()


class Matcher:
    """Phrase matching for one checklist, without any evidence (the audit and `make eval` share it).

    Identifying texts (titles, heading lines, link texts, rows, file names) are matched as Thai words
    (crawler.text.words: newmm with the checklist's terms, a few inserted words tolerated); body text
    only as contiguous runs, and only for what supports a verdict (addressee, web form, half year).
    """

    def __init__(self, checklist: Checklist):
        self.checklist = checklist
        settings = checklist.settings
        atoms: set[str] = set()
        self.groups: list[Phrase] = []
        for item in checklist.items:
            for element in item.elements:
                for phrase in (*element.phrases, *element.exclude_phrases):
                    atoms.update(phrase.atoms)
                    if len(phrase.atoms) > 1:
                        self.groups.append(phrase)
        vocab = checklist.vocabulary
        self.vocabulary = {name: list(getattr(vocab, name)) for name in ("director", "half_year", "web_form")}
        for phrases in self.vocabulary.values():
            for phrase in phrases:
                atoms.update(phrase.atoms)
        self.segmenter = Segmenter(vocab.terms)
        self.words = WordFinder(atoms, self.segmenter, settings.word_gap)
        self.body = AtomFinder(atoms)
        stripped: dict[str, set[str]] = defaultdict(set)
        for atom in atoms:
            stripped[strip_tone_marks(atom)].add(atom)
        self._ocr_atoms = stripped
        self._ocr_finders: tuple[WordFinder, AtomFinder] | None = None     # built when an OCR text comes
        self.names = ItemNames(checklist)
        self._sets: dict[frozenset, frozenset] = {}

    def _ocr(self) -> tuple[WordFinder, AtomFinder]:
        if self._ocr_finders is None:
            stripped = self._ocr_atoms
            self._ocr_finders = (WordFinder(stripped, self.segmenter, self.checklist.settings.word_gap),
                                 AtomFinder(stripped))
        return self._ocr_finders

    def field(self, name: str, text: str, link: LinkRef | None = None, ocr: bool = False) -> Field:
        """An identifying field of a compact text: its atoms matched as words. What a text names is
        its head: a phrase that starts after more than settings.head_words Thai words (in a long
        description: "ข่าวประชาสัมพันธ์ ที่แสดง … ตามหน้าที่และอำนาจ") does not identify, though it
        still voids as an exclusion."""
        spans = dict(self.words.find(text))
        if ocr:
            for s, span in self._ocr()[0].find(strip_tone_marks(text)).items():
                for atom in self._ocr_atoms[s]:
                    spans.setdefault(atom, span)
        limit = self.checklist.settings.head_words
        head = frozenset(a for a, (start, _) in spans.items()
                         if self.segmenter.content_words_before(text, start, limit) <= limit)
        return Field(name, text, self.shared(head), link, wide=self.shared(self._too_wide(text, spans)),
                     anywhere=self.shared(frozenset(spans)))

    def shared(self, atoms: frozenset) -> frozenset:
        """One copy of each set of atoms: a large run's fields hold a few hundred distinct sets, not one each."""
        found = self._sets.get(atoms)
        if found is None:
            if len(self._sets) >= SHARED_SETS:
                self._sets.clear()
            found = self._sets[atoms] = atoms
        return found

    def body_atoms(self, text: str, ocr: bool = False) -> frozenset[str]:
        """Atoms that occur as contiguous runs in a body text (support only, never identity)."""
        atoms = self.body.find(text)
        if ocr:
            extra = self._ocr()[1].find(strip_tone_marks(text))
            atoms = atoms | frozenset(a for s in extra for a in self._ocr_atoms[s])
        return self.shared(atoms)

    def _too_wide(self, text: str, spans: dict[str, tuple[int, int]]) -> frozenset[tuple[str, ...]]:
        """All-of groups whose parts are all present but spread over more than group_window words."""
        wide = []
        window = self.checklist.settings.group_window
        for phrase in self.groups:
            if all(a in spans for a in phrase.atoms):
                start = min(spans[a][0] for a in phrase.atoms)
                end = max(spans[a][1] for a in phrase.atoms)
                if self.segmenter.words_between(text, start, end) > window:
                    wide.append(phrase.atoms)
        return frozenset(wide)

    def identify(self, name: str, text: str) -> list[tuple[str, str, Phrase]]:
        """(item id, element id, phrase) of every element this one identifying text names, after the
        checklist's own item names are taken out (as beside a link on a site)."""
        value = self.names.strip(compact(text))
        f = self.field(name, value)
        found = []
        for item in self.checklist.items:
            for element in item.elements:
                if name in element.where:
                    phrase = phrase_in(f, element)
                    if phrase is not None:
                        found.append((item.id, element.id, phrase))
        return found


_MATCHERS: dict[tuple, Matcher] = {}


def matcher_for(checklist: Checklist) -> Matcher:
    """One Matcher per checklist version (segmentation caches are kept across audits)."""
    key = (checklist.id, checklist.version, str(checklist.path), id(checklist))
    found = _MATCHERS.get(key)
    if found is None:
        if len(_MATCHERS) >= 4:
            _MATCHERS.pop(next(iter(_MATCHERS)))
        found = _MATCHERS[key] = Matcher(checklist)
    return found


class ItemNames:
    """Removes the checklist's own item names from texts that sit beside links (rule (b)).

    An "O<n>" label is removed together with the part of item n's name that follows it, and a
    "ตัวชี้วัดย่อยที่ 9.4" label with its sub-indicator's name; the names of items with several
    elements are removed wherever they occur (they name every element at once).
    """

    def __init__(self, checklist: Checklist):
        self._titles: dict[int, list[str]] = {}
        weights = checklist.weights
        self._groups = {code: compact_normalized(sub.title_th) for code, sub in weights.sub_indicators.items()}
        self._groups.update({code: compact_normalized(ind.title_th) for code, ind in weights.indicators.items()})
        anywhere: set[str] = set()
        for item in checklist.items:
            names = [compact_normalized(t) for t in (item.title_th, *item.title_variants)]
            self._titles[item.number] = [n for n in names if n]
            if len(item.elements) > 1:
                anywhere.update(n for n in names if len(n) >= 8)
        self._anywhere = sorted(anywhere, key=len, reverse=True)
        self._cache: dict[str, str] = {}

    def strip(self, text: str) -> str:
        if not text:
            return text
        cacheable = len(text) <= 2000
        if cacheable and text in self._cache:
            return self._cache[text]
        result = text
        labels = [m for m in _ITEM_LABEL.finditer(result) if int(m.group(1)) in self._titles]
        for label in reversed(labels):
            after = result[label.end():]
            # The item's name (whole, or cut short) follows its label; a document's own title that
            # merely starts as the name does ("O16 หลักเกณฑ์การเลื่อนเงินเดือน" beside "หลักเกณฑ์การ
            # บริหาร…") keeps its words: at least half of the name must be there.
            cut = max((n for n, title in ((_common_prefix(after, t), t) for t in self._titles[int(label.group(1))])
                       if n >= max(6, len(title) // 2)), default=0)
            result = result[:label.start()] + "|" + after[cut:]
        for label in reversed(list(_GROUP_LABEL.finditer(result))):
            title = self._groups.get(label.group(1))
            after = result[label.end():]
            cut = len(title) if title and after.startswith(title) else 0
            result = result[:label.start()] + "|" + after[cut:]
        for title in self._anywhere:
            if title in result:
                result = result.replace(title, "|")
        if cacheable:
            if len(self._cache) >= COMPACT_CACHE:
                self._cache.clear()
            self._cache[text] = result
        return result


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


# -- dates ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stamp:
    """A date found for a candidate, with where it was found and whether it can decide alone."""
    fiscal_year: int | None
    source: str
    kind: str
    start: date | None
    end: date | None
    match: str
    sure: bool
    role: str = ""               # crawler.text.years.ROLES
    ocr: bool = False            # read by OCR


def _iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def stamp_of(found: DateFound, ocr: bool, source: str | None = None) -> Stamp:
    """`ocr`: the resource was OCR'd; only the dates OCR read are weaker for it (stored before dates
    said so, every own date of an OCR'd resource was)."""
    read_by_ocr = found.ocr or (ocr and not found.role and found.source in OWN_SOURCES)
    unsure = found.confidence < LOW_CONFIDENCE or (read_by_ocr and found.confidence < 1)
    return Stamp(found.fiscal_year, source or found.source, found.kind, _iso(found.start), _iso(found.end), found.match,
                 not unsure, found.role, read_by_ocr)


def months_of(stamp: Stamp) -> set[tuple[int, int]]:
    """(CE year, month) a month or a range of at most one month stands for."""
    if stamp.kind not in ("month", "range") or stamp.start is None or stamp.end is None:
        return set()
    if (stamp.end - stamp.start).days > 31 or (stamp.start.year, stamp.start.month) != (stamp.end.year, stamp.end.month):
        if stamp.kind == "range" and (stamp.end - stamp.start).days <= 31:
            return {(stamp.start.year, stamp.start.month)}
        return set()
    return {(stamp.start.year, stamp.start.month)}


def span_months(stamp: Stamp) -> set[tuple[int, int]]:
    """Every month a month or range stamp touches (for half-year coverage)."""
    if stamp.kind not in ("month", "range") or stamp.start is None or stamp.end is None:
        return set()
    months = set()
    for index in range(stamp.start.year * 12 + stamp.start.month - 1, stamp.end.year * 12 + stamp.end.month):
        year, month0 = divmod(index, 12)
        months.add((year, month0 + 1))
    return months


def fiscal_months(fiscal_year: int) -> list[tuple[int, int]]:
    start, _ = fiscal_year_bounds(fiscal_year)
    return [((start.year * 12 + 9 + k) // 12, (9 + k) % 12 + 1) for k in range(12)]


def required_months(fiscal_year: int, as_of: date, grace_days: int) -> list[tuple[int, int]]:
    """The `monthly` rule: October N-1 through the last month that ended at least 15 days before D."""
    due = []
    for year, month in fiscal_months(fiscal_year):
        end = date(year, month, calendar.monthrange(year, month)[1])
        if (as_of - end).days >= grace_days:
            due.append((year, month))
    return due


def half_year_months(fiscal_year: int) -> set[tuple[int, int]]:
    return set(fiscal_months(fiscal_year)[:6])


def month_label(year: int, month: int) -> str:
    return f"{MONTHS[month - 1].abbreviation} {year + 543}"


_MONTH_NAMES = sorted(((thai_digits_to_arabic(name.replace(".", "").replace(" ", "")).casefold(), m.number)
                       for m in MONTHS for name in (*m.thai, m.abbreviation, m.english[0])),
                      key=lambda pair: len(pair[0]), reverse=True)


def month_named(text: str) -> int | None:
    """The month a short label names without a year ("sheet มกราคม", "ต.ค."), if any."""
    key = compact_normalized(text).replace(".", "")
    for name, number in _MONTH_NAMES:
        if len(name) >= 3 and name in key:
            return number
    return None


# -- candidates -------------------------------------------------------------------------------------

@dataclass(eq=False, slots=True)
class Field:
    name: str                                # title | link_text | context | filename | text
    compact: str                             # "" for a body text (not kept: EvidenceIndex.own makes it)
    atoms: frozenset[str]
    link: LinkRef | None = None
    wide: frozenset[tuple[str, ...]] = frozenset()  # all-of groups present but not within the window
    anywhere: frozenset[str] | None = None    # atoms anywhere in the text (atoms: at its head)


@dataclass(eq=False)
class Candidate:
    url: str
    resource: Resource
    links: list[LinkRef]                     # non-navigation links pointing here
    fields: list[Field]
    own_atoms: frozenset[str] = frozenset()
    placeholder: bool = False                # linked but never fetched
    empty: bool = False                      # a page with nothing of its own ("อยู่ระหว่างปรับปรุงข้อมูล")
    family: str = "other"                    # format family (settings.format_families)
    _year: YearReading | None = None
    _stamps: list[Stamp] | None = None

    @property
    def is_page(self) -> bool:
        return self.resource.format == "html" or self.resource.kind == "page"


@dataclass(frozen=True)
class Match:
    phrase: Phrase
    field: Field


class EvidenceIndex:
    """Everything the checks look up, computed once per (run, checklist)."""

    def __init__(self, evidence: RunEvidence, checklist: Checklist):
        self.evidence = evidence
        self.checklist = checklist
        self.matcher = matcher_for(checklist)
        self.vocabulary_atoms = self.matcher.vocabulary
        self.names = self.matcher.names
        self._compact_cache: dict[str, str] = {}
        self._own_cache: OrderedDict[str, str] = OrderedDict()
        self._dates_cache: dict[str, list[DateFound]] = {}

        resources = evidence.resources
        by_final = {r.final_url: r for r in resources.values() if r.final_url and r.final_url != r.url}
        self.links_to: dict[str, list[LinkRef]] = defaultdict(list)
        self.links_from: dict[str, list[LinkRef]] = defaultdict(list)
        self.nav_fields: list[Field] = []
        self.placeholders: dict[str, Resource] = {}
        nav_links: dict[tuple[str, str], LinkRef] = {}     # (text, target) -> its link on the first page
        for link in evidence.links:
            self.links_from[link.source_url].append(link)
            target = link.target_url
            if target not in resources and target in by_final:
                target = by_final[target].url
            if target == link.source_url:
                continue
            if link.is_nav:
                key = (link.text, link.target_url)
                if key not in nav_links or link.source_url < nav_links[key].source_url:
                    nav_links[key] = link
                continue
            if target not in resources:
                if not target.startswith(("http://", "https://")):
                    continue
                if target not in self.placeholders:
                    self.placeholders[target] = Resource(url=target, final_url=target, kind="document", ok=False,
                                                         error_kind="not_fetched", error="linked but not fetched",
                                                         filename=_url_name(target))
            self.links_to[target].append(link)
        # A resource's links, the one that names it best first: a working group looks for the
        # document by the text it is listed under, and the same site must give the same evidence
        # whatever order the crawl met the pages in ("[PDF]" beside its title on one page, the title
        # as the link's own text on another: the title's link).
        for links in self.links_to.values():
            if len(links) > 1:
                links.sort(key=lambda link: (-len(self.compact(link.text)), link.source_url, link.text))
        # A menu link, the same on most pages, is shown from the page first by address (not by crawl order).
        self.nav_fields = [self._link_field("link_text", link.text, link) for _, link in sorted(nav_links.items())]

        self.boilerplate = boilerplate_lines(evidence)
        self.candidates: dict[str, Candidate] = {}
        for url, resource in resources.items():
            self.candidates[url] = self._candidate(resource)
        for url, resource in self.placeholders.items():
            candidate = self._candidate(resource)
            candidate.placeholder = True
            self.candidates[url] = candidate
        self.atom_urls: dict[str, set[str]] = defaultdict(set)
        for url, candidate in self.candidates.items():
            for f in candidate.fields:
                if f.name in IDENTIFYING:
                    for atom in (f.anywhere or f.atoms):
                        self.atom_urls[atom].add(url)

    # -- building ---------------------------------------------------------------------------------

    def compact(self, text: str) -> str:
        if len(text) > 2000:
            return compact_normalized(text)
        value = self._compact_cache.get(text)
        if value is None:
            if len(self._compact_cache) >= COMPACT_CACHE:
                self._compact_cache.clear()
            value = self._compact_cache[text] = compact_normalized(text)
        return value

    def own(self, candidate: Candidate) -> str:
        """The candidate's compact own text (a page's: without menus and linked rows; see _own_text).
        Made again when asked, the last few kept: all of them at once weigh as much as the run's texts."""
        resource = candidate.resource
        found = self._own_cache.get(candidate.url)
        if found is None:
            found = self._own_text(resource) if _has_own_text(resource) else ""
            self._own_cache[candidate.url] = found
            if len(self._own_cache) > OWN_CACHE:
                self._own_cache.popitem(last=False)
        else:
            self._own_cache.move_to_end(candidate.url)
        return found

    def dates(self, text: str) -> list[DateFound]:
        """DateFound for a link text or context (the pipeline stores dates of resources only)."""
        hits = self._dates_cache.get(text)
        if hits is None:
            found = find_dates(text)[:40]
            hits = self._dates_cache[text] = [
                DateFound(h.fiscal_year, "", h.match, h.kind, h.start.isoformat() if h.start else None,
                          h.end.isoformat() if h.end else None, h.confidence, role)
                for h, role in zip(found, date_roles(text, found, "link_text"))]
        return hits

    def _link_field(self, name: str, text: str, link: LinkRef) -> Field:
        value = self.names.strip(self.compact(text))
        return self.matcher.field(name, value, link)

    def _context_text(self, link: LinkRef) -> str:
        context, heading = self.compact(link.context), self.compact(link.heading)
        if heading and heading not in context:
            context = f"{context}|{heading}" if context else heading
        return context

    def _row(self, link: LinkRef) -> str:
        """The compact row text around a link, without the headings the extractor may have prefixed
        ("heading › heading — row", crawler/extraction/html.py)."""
        raw = link.context or ""
        if " — " in raw and link.heading:
            prefix, rest = raw.split(" — ", 1)
            if self.compact(link.heading) in self.compact(prefix):
                raw = rest
        row, heading = self.compact(raw), self.compact(link.heading)
        if heading and row.startswith(heading) and len(row) > len(heading):
            row = row[len(heading):]
        elif heading and row.endswith(heading) and len(row) > len(heading):
            row = row[:-len(heading)]
        return row or self.compact(link.text)

    def _own_text(self, resource: Resource) -> str:
        text = compact_normalized(resource.text)
        if not text or not (resource.format == "html" or resource.kind == "page"):
            return text
        # Item names first: a row that carries one must not leave half of it behind as "content".
        text = self.names.strip(text)
        for link in self.links_from.get(resource.url, ()):
            if not link.target_url.startswith(("http://", "https://")):
                continue
            if link.target_url == resource.url and not link.is_nav:
                continue             # a page's own heading may link to itself; a menu entry never counts
            for piece in (self.names.strip(self._row(link)), self._row(link), self.compact(link.text)):
                if len(piece) >= 2 and piece in text:
                    text = text.replace(piece, "|", 1)
                    break
        return self.names.strip(text)

    def _candidate(self, resource: Resource) -> Candidate:
        links = self.links_to.get(resource.url, [])
        fields: list[Field] = []
        ocr = resource.ocr is not None
        own = ""
        if resource.ok:
            is_page = resource.format == "html" or resource.kind == "page"
            title = self.compact(resource.title)
            if is_page:
                title = self.names.strip(title)
            if title:
                fields.append(self.matcher.field("title", title, ocr=ocr))
            if _has_own_text(resource):
                own = self._own_text(resource)
                heading = self._heading(resource, is_page)
                if heading:
                    fields.append(self.matcher.field("heading", heading, ocr=ocr))
                if own:
                    fields.append(Field("text", "", self.matcher.body_atoms(own, ocr)))
        name = self.compact(resource.filename or _url_name(resource.url))
        if name:
            fields.append(self.matcher.field("filename", name))
        for link in links:
            if link.text:
                fields.append(self._link_field("link_text", link.text, link))
            context = self._context_text(link)
            if context:
                value = self.names.strip(context)
                fields.append(self.matcher.field("context", value, link))
        candidate = Candidate(resource.url, resource, links, fields,
                              family=format_family(resource, self.checklist.settings))
        if resource.ok and (resource.format == "html" or resource.kind == "page"):
            candidate.empty = self._empty_page(resource)
        candidate.own_atoms = self.matcher.shared(
            frozenset().union(*(f.atoms for f in fields if f.name in ("title", "heading", "text"))))
        return candidate

    def _empty_page(self, resource: Resource) -> bool:
        """Nothing but the site's frame, its links and placeholder words: no evidence of anything."""
        own_lines = [line for line in _lines(resource.text) if line not in self.boilerplate]
        linked = {self.compact(link.text) for link in self.links_from.get(resource.url, ()) if link.text}
        rest = "".join(self.compact(line) for line in own_lines)
        for phrase in sorted(linked, key=len, reverse=True):
            if len(phrase) >= 2:
                rest = rest.replace(phrase, "")
        rest = self.checklist.settings.placeholder_words.sub("", rest)
        title = self.compact(resource.title)
        if title:
            rest = rest.replace(self.names.strip(title), "")
        return len(rest) < EMPTY_PAGE_CHARS

    def _heading(self, resource: Resource, is_page: bool) -> str:
        """The resource's own first lines (compact, item names removed): a document's heading, a page's
        own heading. A page's menus, frame and rows that link elsewhere are not its heading."""
        skip: set[str] = set()
        if is_page:
            skip = {self.compact(link.text) for link in self.links_from.get(resource.url, ()) if link.text}
        lines: list[str] = []
        for line in _lines(resource.text):
            if line in self.boilerplate:
                continue
            value = self.compact(line)
            if not value or value in skip:
                continue
            lines.append(value)
            if len(lines) >= HEAD_LINES:
                break
        return self.names.strip("|".join(lines)[:HEAD_CHARS])

    # -- matching ---------------------------------------------------------------------------------

    def matches(self, element: Element) -> dict[str, Match]:
        """Candidates whose identifying texts match one of the element's phrases (best field first)."""
        urls: set[str] = set()
        for phrase in element.phrases:
            sets = [self.atom_urls.get(atom, set()) for atom in phrase.atoms]
            if all(sets):
                urls |= set.intersection(*sets) if len(sets) > 1 else sets[0]
        found: dict[str, Match] = {}
        for url in urls:
            if self.candidates[url].empty:
                continue
            candidate = self.candidates[url]
            match = field_match(candidate.fields, element, document=not candidate.is_page)
            if match is not None:
                found[url] = match
        return found

    def nav_matches(self, element: Element) -> list[Field]:
        """Site-wide menu links whose text names the element (they never count as evidence)."""
        return [f for f in self.nav_fields if phrase_in(f, element) is not None]

    def year(self, candidate: Candidate) -> YearReading:
        if candidate._year is None:
            candidate._year = fiscal_year_reading(self.stamps(candidate))
        return candidate._year

    def stamps(self, candidate: Candidate) -> list[Stamp]:
        """All dates known for a candidate: its own (stored), its links' (read here)."""
        if candidate._stamps is None:
            r = candidate.resource
            ocr = r.ocr is not None
            stamps: list[Stamp] = []
            page_text = self.own(candidate) if candidate.is_page else None
            rows: list[str] | None = None
            for found in r.dates:
                if found.source == "text" and page_text is not None:
                    # A page's own dates first; those of the rows that link elsewhere say what a
                    # listing page holds (weaker than its own, stronger than links pointing to it).
                    match = self.compact(found.match)
                    if match not in page_text:
                        if rows is None:
                            rows = [self._row(link) for link in self.links_from.get(r.url, ())
                                    if not link.is_nav and link.target_url != r.url]
                        if any(match in row for row in rows):
                            stamps.append(stamp_of(found, ocr, source=ROW_SOURCE))
                        continue
                if found.source == "text" and r.text_layer == "garbage" and r.ocr is None:
                    continue
                stamps.append(stamp_of(found, ocr))
            for link in candidate.links:
                for source, text in (("link_text", link.text), ("context", link.context)):
                    for found in self.dates(text):
                        stamps.append(Stamp(found.fiscal_year, source, found.kind, _iso(found.start),
                                            _iso(found.end), found.match, found.confidence >= LOW_CONFIDENCE,
                                            found.role))
            candidate._stamps = stamps
        return candidate._stamps


def _has_own_text(resource: Resource) -> bool:
    return resource.ok and bool(resource.text) and resource.text_layer != "garbage"


def _url_name(url: str) -> str:
    path = url_path(url)
    return path.rstrip("/").rsplit("/", 1)[-1]


def phrase_in(f: Field, element: Element) -> Phrase | None:
    """The element's first phrase whose atoms all occur in this field, unless an exclusion voids it."""
    for phrase in element.phrases:
        anywhere = f.atoms if f.anywhere is None else f.anywhere
        if (any(atom in f.atoms for atom in phrase.atoms) and all(atom in anywhere for atom in phrase.atoms)
                and phrase.atoms not in f.wide):
            return None if excluded(f, element) else phrase
    return None


def excluded(f: Field, element: Element) -> bool:
    """One of the element's exclusions is in this field: what the text names is something else."""
    anywhere = f.atoms if f.anywhere is None else f.anywhere
    return any(all(atom in anywhere for atom in ex.atoms) for ex in element.exclude_phrases)


def field_match(fields: list[Field], element: Element, document: bool = False) -> Match | None:
    """Phrase match on the candidate's identifying texts, best field first (title … text). A document's
    heading is its first lines, where its title stands: what its title excludes (a harassment report
    named whole from a title wrapped over two lines) its heading's first lines do not claim either."""
    best: Match | None = None
    voided = document and any(f.name == "title" and excluded(f, element) for f in fields)
    for f in fields:
        if f.name not in element.where or (voided and f.name == "heading"):
            continue
        phrase = phrase_in(f, element)
        if phrase is None:
            continue
        if best is None or FIELD_ORDER.index(f.name) < FIELD_ORDER.index(best.field.name):
            best = Match(phrase, f)
    return best


# -- fiscal years and time windows ------------------------------------------------------------------

def fiscal_year_reading(stamps: list[Stamp], sources: Iterable[str] | None = None) -> YearReading:
    """The candidate's fiscal year, decided as a person would (crawler/audit/document_year.py)."""
    return decide(stamps, sources)


YEAR_RULES = {"current": (0,), "previous": (-1,), "current_or_previous": (0, -1)}


@dataclass
class TimeVerdict:
    ok: bool
    review: bool = False
    detail: str = ""
    months: frozenset[tuple[int, int]] = frozenset()


def year_window(reading: YearReading, rule: str, fiscal_year: int) -> TimeVerdict:
    """current / previous / current_or_previous against the reading's fiscal year."""
    wanted = [fiscal_year + d for d in YEAR_RULES[rule]]
    want = " หรือ ".join(str(y) for y in wanted)
    if reading.fiscal_year is None:
        return TimeVerdict(False, detail=f"ไม่พบปีงบประมาณ (ต้องเป็น {want})")
    ok = reading.fiscal_year in wanted
    if reading.sure and not year_is_near(reading.fiscal_year, fiscal_year):
        return TimeVerdict(False, review=True, detail=f"อ่านได้ปี {reading.fiscal_year} จาก “{reading.match}” ({reading.source}) "
                                                      f"ห่างจากปีงบประมาณ {fiscal_year} มาก (ต้องเป็น {want})")
    if not reading.sure:
        return TimeVerdict(False, review=True,
                           detail=f"อ่านได้ “{reading.match}” จาก {reading.source} แบบไม่แน่ชัด (ต้องเป็น {want})")
    if ok:
        return TimeVerdict(True)
    return TimeVerdict(False, detail=f"ปีงบประมาณ {reading.fiscal_year} (จาก {reading.source}) ต้องเป็น {want}")


def latest_day(stamps: list[Stamp], as_of: date, sure: bool = True) -> date | None:
    days = [s.start for s in stamps if s.kind == "day" and s.sure == sure and s.start is not None
            and s.start <= as_of and s.source in OWN_SOURCES + LINK_SOURCES]
    return max(days) if days else None


def recent(stamps: list[Stamp], as_of: date, days: int) -> TimeVerdict:
    """Dated within the 60 days before the as-of date."""
    day = latest_day(stamps, as_of)
    if day is None:
        if latest_day(stamps, as_of, sure=False) is not None:
            return TimeVerdict(False, review=True, detail="วันที่อ่านได้ไม่แน่ชัด")
        return TimeVerdict(False, detail="ไม่พบวันที่")
    if (as_of - day).days <= days:
        return TimeVerdict(True)
    return TimeVerdict(False, detail=f"ล่าสุดลงวันที่ {day.isoformat()} เกิน {days} วันก่อน {as_of.isoformat()}")


def candidate_months(stamps: list[Stamp], sheets: Iterable[str], fiscal_year: int | None,
                     sure: bool = True) -> set[tuple[int, int]]:
    """Months one piece of evidence reports on: named in its label (title, link, file name), else in
    its own text or sheet names. Days are not counted: they date events and signatures."""
    label = set()
    for s in stamps:
        if s.sure == sure and s.source in ("title", *LINK_SOURCES, *NAME_SOURCES):
            label |= months_of(s)
    if label:
        return label
    months = set()
    for s in stamps:
        if s.sure == sure and s.source == "text":
            months |= months_of(s)
    if fiscal_year is not None:
        for sheet in sheets:
            hits = find_dates(sheet)
            named = {m for h in hits for m in months_of(Stamp(h.fiscal_year, "text", h.kind, h.start, h.end, h.match, True))}
            if named:
                months |= named
                continue
            month = month_named(sheet)
            if month is not None:
                ce = fiscal_year - 543 - (1 if month >= 10 else 0)
                months.add((ce, month))
    return months


def half_year(stamps: list[Stamp], reading: YearReading, has_phrase: bool, fiscal_year: int) -> TimeVerdict:
    """Covers October N-1 – March N: by its months or range, or says รอบ 6 เดือน and is of FY N."""
    need = half_year_months(fiscal_year)
    covered = set()
    for s in stamps:
        if s.sure:
            covered |= span_months(s)
    if need <= covered:
        return TimeVerdict(True)
    if has_phrase and reading.fiscal_year == fiscal_year:
        if not reading.sure:
            return TimeVerdict(False, review=True, detail="ปีงบประมาณอ่านได้ไม่แน่ชัด")
        return TimeVerdict(True)
    unsure = set()
    for s in stamps:
        if not s.sure:
            unsure |= span_months(s)
    if need <= covered | unsure:
        return TimeVerdict(False, review=True, detail="ช่วงเดือนอ่านได้ไม่แน่ชัด")
    lacking = sorted(need - covered)
    return TimeVerdict(False, detail="ไม่ครอบคลุมรอบ 6 เดือน (ขาด " + ", ".join(month_label(*m) for m in lacking) + ")")


# -- the element check ------------------------------------------------------------------------------

@dataclass
class Frame:
    """What a check needs besides the evidence: the fiscal year N, the as-of date D and the
    checklist's month grace (settings.month_grace_days)."""
    fiscal_year: int
    as_of: date
    grace_days: int

    @property
    def due_months(self) -> list[tuple[int, int]]:
        return required_months(self.fiscal_year, self.as_of, self.grace_days)


@dataclass
class Outcome:
    """How one candidate fared against one element."""
    candidate: Candidate
    match: Match | None
    stage: int
    reason: str | None = None
    detail: str = ""
    review: bool = False
    transport: bool = False
    year: YearReading = NO_YEAR
    months: frozenset[tuple[int, int]] = frozenset()
    blank: str | None = None

    @property
    def passed(self) -> bool:
        return self.stage == STAGE_PASSED


@dataclass
class ElementVerdict:
    element: Element
    status: str                         # satisfied | missing | review
    reason: str | None = None
    detail: str = ""
    evidence: list[Outcome] = field(default_factory=list)
    near_misses: list[Outcome] = field(default_factory=list)
    nav: list[Field] = field(default_factory=list)
    share: float = 0.0                  # 1 satisfied; formats_all: share of families present
    unreachable: bool = False           # only transport failures stand in the way

    @property
    def satisfied(self) -> bool:
        return self.status == "satisfied"


def judge_candidate(ix: EvidenceIndex, candidate: Candidate, element: Element, match: Match | None,
                    frame: Frame) -> Outcome:
    r = candidate.resource
    out = Outcome(candidate, match, STAGE_FETCH)
    if not r.ok:
        if element.time in YEAR_RULES:
            # The link itself may already say it is the wrong year: then fetching would not help.
            linked = fiscal_year_reading(ix.stamps(candidate), sources=LINK_SOURCES + NAME_SOURCES)
            verdict = year_window(linked, element.time, frame.fiscal_year)
            if linked.fiscal_year is not None and linked.sure and not verdict.ok and not verdict.review:
                out.stage, out.reason, out.detail, out.year = STAGE_TIME, "wrong_year", verdict.detail, linked
                return out
        out.reason = "dead_link" if element.needs_live else "could_not_fetch"
        out.detail = failure_text(r)
        out.transport = is_transport_failure(r)
        return out
    wrong = formats_check.judge(candidate.family, element)
    if wrong is not None:
        out.stage, out.reason = STAGE_FORMAT, "wrong_format"
        out.detail = f"เป็น {r.format or candidate.family} {wrong}"
        return out
    stamps = ix.stamps(candidate)
    if not readable(r):
        if element.time in YEAR_RULES:
            linked = fiscal_year_reading(stamps, sources=LINK_SOURCES + NAME_SOURCES)
            verdict = year_window(linked, element.time, frame.fiscal_year)
            if linked.fiscal_year is not None and linked.sure and not verdict.ok and not verdict.review:
                out.stage, out.reason, out.detail, out.year = STAGE_TIME, "wrong_year", verdict.detail, linked
                return out
        out.stage, out.reason, out.review = STAGE_READABLE, "review_scan_unread", True
        out.detail = f"text layer: {r.text_layer}, format {r.format}"
        return out
    if element.language == "en" and not in_english(r):
        out.stage, out.reason = STAGE_LANGUAGE, "not_english"
        out.detail = f"ภาษาของเอกสาร: {r.language or 'th'}"
        return out
    out.year = reading = ix.year(candidate)
    verdict = time_window(ix, candidate, element, frame, stamps, reading)
    out.months = verdict.months
    if not verdict.ok:
        out.stage, out.detail = STAGE_TIME, verdict.detail
        out.reason, out.review = ("review_low_confidence", True) if verdict.review else ("wrong_year", False)
        return out
    if element.dated and latest_day(stamps, frame.as_of) is None:
        out.stage, out.reason, out.detail = STAGE_DATED, "wrong_year", "ไม่ระบุวันที่"
        return out
    problem = content_problem(ix, candidate, element, out)
    if problem is not None:
        out.stage, (out.reason, out.detail) = STAGE_CONTENT, problem
        return out
    if element.needs_live and candidate.is_page:
        dead = dead_service_list(ix, candidate, element)
        if dead is not None:
            out.stage, out.reason, out.detail = STAGE_LIVE, "dead_link", dead
            return out
    out.stage = STAGE_PASSED
    if element.table_filled:
        out.blank = blank_cells(r.tables)
    return out


def time_window(ix: EvidenceIndex, candidate: Candidate, element: Element, frame: Frame,
                stamps: list[Stamp], reading: YearReading) -> TimeVerdict:
    rule = element.time
    if rule in YEAR_RULES:
        return year_window(reading, rule, frame.fiscal_year)
    if rule == "recent":
        return recent(stamps, frame.as_of, ix.checklist.settings.recent_days)
    if rule == "half_year":
        has_phrase = any(all(a in f.atoms for a in p.atoms)
                         for f in candidate.fields for p in ix.vocabulary_atoms["half_year"])
        return half_year(stamps, reading, has_phrase, frame.fiscal_year)
    if rule == "monthly":
        return monthly(candidate, stamps, reading, frame)
    return TimeVerdict(True)


def monthly(candidate: Candidate, stamps: list[Stamp], reading: YearReading, frame: Frame) -> TimeVerdict:
    """One piece of a monthly series: it must report on at least one month that is due."""
    due = set(frame.due_months)
    fy_months = set(fiscal_months(frame.fiscal_year))
    sheets = [t.where for t in candidate.resource.tables if t.where]
    months = candidate_months(stamps, sheets, reading.fiscal_year) & fy_months
    if not due:
        if months or (reading.fiscal_year == frame.fiscal_year and reading.sure):
            return TimeVerdict(True, months=frozenset(months))
        return TimeVerdict(False, detail=f"ไม่ใช่ปีงบประมาณ {frame.fiscal_year}")
    if months & due:
        return TimeVerdict(True, months=frozenset(months & due))
    unsure = candidate_months(stamps, sheets, reading.fiscal_year, sure=False) & due
    if unsure:
        return TimeVerdict(False, review=True, detail="เดือนอ่านได้ไม่แน่ชัด")
    named = candidate_months(stamps, sheets, reading.fiscal_year)
    if named:
        return TimeVerdict(False, detail="รายงานเดือน " + ", ".join(month_label(*m) for m in sorted(named))
                           + f" ไม่อยู่ในปีงบประมาณ {frame.fiscal_year}")
    return TimeVerdict(False, detail="ไม่ระบุเดือนที่รายงาน")


def content_problem(ix: EvidenceIndex, candidate: Candidate, element: Element,
                    out: Outcome) -> tuple[str, str] | None:
    """contact, names_school, addressed_to_director, min_months: (reason, detail) or None."""
    own = ix.own(candidate) + "|" + ix.compact(candidate.resource.title)
    settings = ix.checklist.settings
    if element.contact:
        has_form = any(all(x in candidate.own_atoms for x in p.atoms) for p in ix.vocabulary_atoms["web_form"])
        detail = contact_check.judge(own, element.contact, has_form, settings)
        if detail is not None:
            return "not_found", detail
    if element.names_school and not names_school(own, settings):
        return "not_found", "ไม่พบชื่อโรงเรียน"
    if element.addressed_to_director:
        addressed = any(all(a in candidate.own_atoms for a in p.atoms) for p in ix.vocabulary_atoms["director"])
        detail = director_check.judge(addressed)
        if detail is not None:
            return "not_addressed", detail
    if element.min_months:
        months = set()
        for s in ix.stamps(candidate):
            if s.sure:
                months |= span_months(s)
        detail = months_check.judge(months, element.min_months)
        if detail is not None:
            return "missing_month", detail
    return None


def dead_service_list(ix: EvidenceIndex, candidate: Candidate, element: Element) -> str | None:
    """A page that lists services (links named by the element's phrases) counts only if one is alive."""
    listed = []
    for link in ix.links_from.get(candidate.url, ()):
        if link.is_nav or link.target_url == candidate.url:
            continue
        fields = [ix._link_field("link_text", link.text, link)]
        context = ix._context_text(link)
        if context:
            value = ix.names.strip(context)
            fields.append(ix.matcher.field("context", value, link))
        if any(phrase_in(f, element) for f in fields):
            listed.append(link)
    if not listed:
        return None
    alive = [l for l in listed if (t := ix.candidates.get(l.target_url)) is not None and t.resource.ok]
    return live_check.judge(len(listed), len(alive))


def judge_element(ix: EvidenceIndex, element: Element, frame: Frame) -> ElementVerdict:
    matches = ix.matches(element)
    if not matches:
        nav = ix.nav_matches(element)
        if nav:
            return ElementVerdict(element, "missing", "only_in_navigation",
                                  f"พบในเมนู: “{nav[0].link.text}”", nav=nav[:3])
        return ElementVerdict(element, "missing", "not_found")
    outcomes = [judge_candidate(ix, ix.candidates[url], element, match, frame) for url, match in matches.items()]
    outcomes.sort(key=_outcome_rank)
    passing = [o for o in outcomes if o.passed]
    failing = [o for o in outcomes if not o.passed]
    filled = [o for o in passing if o.blank is None]
    blanks = [o for o in passing if o.blank is not None]
    verdict = ElementVerdict(element, "missing", near_misses=(blanks + failing)[:5])

    if element.time == "monthly":
        due = frame.due_months
        covered = set().union(*(o.months for o in passing)) if passing else set()
        missing = [m for m in due if m not in covered]
        if passing and not blanks and not missing:
            return _satisfied(verdict, passing)
        if blanks:
            extra = f"; ขาดเดือน {', '.join(month_label(*m) for m in missing)}" if missing else ""
            return _missing(verdict, "blank_column", blanks[0].blank + extra, outcomes, evidence=filled)
        if passing:
            return _missing(verdict, "missing_month", "ขาดเดือน " + ", ".join(month_label(*m) for m in missing),
                            outcomes, evidence=passing)
        return _missing(verdict, None, "", outcomes)

    if element.formats_all:
        present = {o.candidate.family for o in filled}
        needed = set(element.formats_all)
        if needed <= present:
            return _satisfied(verdict, filled)
        if present & needed:
            verdict.share = len(present & needed) / len(needed)
            lacking = " และ ".join(FAMILY_NAMES.get(f, f) for f in sorted(needed - present))
            found = " และ ".join(FAMILY_NAMES.get(f, f) for f in sorted(present & needed))
            return _missing(verdict, "wrong_format", f"พบเฉพาะไฟล์ {found} ยังขาดไฟล์ {lacking}",
                            outcomes, evidence=filled)
    elif count_check.judge(len(filled), element.min_count) is None:
        return _satisfied(verdict, filled)
    elif filled:
        return _missing(verdict, "too_few", count_check.judge(len(filled), element.min_count),
                        outcomes, evidence=filled)
    if blanks:
        return _missing(verdict, "blank_column", blanks[0].blank, outcomes)
    return _missing(verdict, None, "", outcomes)


def _satisfied(verdict: ElementVerdict, evidence: list[Outcome]) -> ElementVerdict:
    verdict.status, verdict.share = "satisfied", 1.0
    verdict.evidence = sorted(evidence, key=_evidence_rank)
    verdict.near_misses = []
    return verdict


def _missing(verdict: ElementVerdict, reason: str | None, detail: str, outcomes: list[Outcome],
             evidence: list[Outcome] | None = None) -> ElementVerdict:
    """Not satisfied. With an aggregate shortfall (reason given) that reason stands; otherwise the
    reason of the candidate that got furthest. A candidate under review, or one that could not be
    fetched for transport reasons, means "could not judge" rather than "absent": the element is
    then under review, or marked unreachable."""
    verdict.evidence = sorted(evidence or [], key=_evidence_rank)
    failing = [o for o in outcomes if not o.passed]
    review = [o for o in failing if o.review]
    transport = [o for o in failing if o.transport]
    if reason is not None:
        verdict.reason, verdict.detail = reason, detail
    elif review:
        verdict.reason, verdict.detail = review[0].reason, review[0].detail
    elif transport:
        verdict.reason, verdict.detail = transport[0].reason, transport[0].detail
    elif failing:
        verdict.reason, verdict.detail = failing[0].reason, failing[0].detail
    else:
        verdict.reason = "not_found"
    if review:
        verdict.status = "review"
    elif transport:
        verdict.unreachable = True
    return verdict


def _outcome_rank(o: Outcome) -> tuple:
    field_rank = FIELD_ORDER.index(o.match.field.name) if o.match else len(FIELD_ORDER)
    return (-o.stage, not o.candidate.resource.on_site, field_rank, o.candidate.url)


def _evidence_rank(o: Outcome) -> tuple:
    first_month = min(o.months) if o.months else (0, 0)
    field_rank = FIELD_ORDER.index(o.match.field.name) if o.match else len(FIELD_ORDER)
    return (first_month, not o.candidate.resource.on_site, field_rank, o.candidate.is_page, o.candidate.url)


# -- reporting helpers ------------------------------------------------------------------------------

def snippet(outcome: Outcome) -> str:
    """About 160 characters of normalised text around the match."""
    if outcome.match is None:
        return ""
    f, r = outcome.match.field, outcome.candidate.resource
    if f.name == "text":
        source = r.text
    elif f.name == "title":
        source = r.title
    elif f.name == "heading":
        source = r.text[:HEAD_CHARS * 2]
    elif f.name == "filename":
        source = r.filename or _url_name(r.url)
    elif f.name == "link_text" and f.link is not None:
        source = f.link.text
    elif f.link is not None:
        source = f.link.context or f.link.heading
    else:
        source = ""
    source = " ".join(source.split())
    if len(source) <= SNIPPET_CHARS:
        return source
    position = _find_atom(source, outcome.match.phrase.atoms[0], r.ocr is not None)
    start = max(0, position - SNIPPET_CHARS // 3) if position >= 0 else 0
    piece = source[start:start + SNIPPET_CHARS]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET_CHARS < len(source) else "")


def _find_atom(text: str, atom: str, ocr: bool) -> int:
    """Position of a compact atom in a spaced, mixed-digit text (spaces anywhere, Thai digits)."""
    gap = r"[\s\u0e48-\u0e4b]*" if ocr else r"\s*"
    parts = []
    for ch in atom:
        if ch.isdigit():
            parts.append(f"[{ch}{'๐๑๒๓๔๕๖๗๘๙'[int(ch)]}]")
        else:
            parts.append(re.escape(ch))
    try:
        found = re.search(gap.join(parts), text, re.IGNORECASE)
    except re.error:
        return -1
    return found.start() if found else -1


# -- one index per run and checklist ----------------------------------------------------------------

_INDEXES: dict[tuple, tuple[weakref.ref, EvidenceIndex]] = {}




def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def boilerplate_lines(evidence: RunEvidence) -> frozenset[str]:
    """Lines of text repeated on most pages of the site: header, menus, footer."""
    pages = [r for r in evidence.resources.values() if r.ok and r.on_site and (r.format == "html" or r.kind == "page")]
    if len(pages) < 3:
        return frozenset()
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update(set(_lines(page.text)))
    floor = max(3, BOILERPLATE_SHARE * len(pages))
    return frozenset(line for line, n in counts.items() if n >= floor)


def index_for(evidence: RunEvidence, checklist: Checklist) -> EvidenceIndex:
    """The EvidenceIndex of a run, built once and reused while the same RunEvidence object is alive
    (e.g. auditing one run for two fiscal years). A RunEvidence must not be changed after an audit."""
    key = (id(evidence), evidence.run_id, len(evidence.resources), len(evidence.links),
           checklist.id, checklist.version, str(checklist.path))
    cached = _INDEXES.get(key)
    if cached is not None and cached[0]() is evidence:
        return cached[1]
    for stale in [k for k, (ref, _) in _INDEXES.items() if ref() is None]:
        del _INDEXES[stale]
    if len(_INDEXES) >= 4:
        _INDEXES.pop(next(iter(_INDEXES)))
    index = EvidenceIndex(evidence, checklist)
    _INDEXES[key] = (weakref.ref(evidence), index)
    return index
