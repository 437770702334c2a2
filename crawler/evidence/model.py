"""The evidence a stored run holds, as plain data: what the audit judges.

`crawler.evidence.store.Store.load_run(run_id)` builds a `RunEvidence`; tests may build one by hand. Nothing in
here decides pass or fail.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from crawler.evidence.failures import NOT_ATTEMPTED


@dataclass(slots=True)
class DateFound:           # slots: a large run holds a hundred thousand of them
    """A date or fiscal year found in a resource, and where it was found."""

    fiscal_year: int | None          # BE fiscal year the hit maps to (None if it spans several)
    source: str                      # "text" | "title" | "link_text" | "filename" | "url" | "context"
    match: str                       # the text matched, e.g. "ปีงบประมาณ พ.ศ. 2568"
    kind: str                        # "fiscal_year" | "day" | "month" | "range" | "year"
    start: str | None = None         # ISO date, first day covered
    end: str | None = None           # ISO date, last day covered
    confidence: float = 1.0          # < 1 for OCR'd Thai digits and other weak readings
    role: str = ""                   # where it stands (crawler.text.years.ROLES); "" when not known
    ocr: bool = False                # read by OCR, not from the document's own text layer


@dataclass
class Table:
    where: str
    rows: list[list[str]]


@dataclass
class Resource:
    """One fetched (or failed) URL of a run."""

    url: str
    final_url: str
    kind: str                        # "page" | "document" | "external"
    ok: bool                         # fetched with a 2xx/3xx answer and a body
    status: int | None = None        # HTTP status, None when no answer (DNS, timeout, TLS)
    error_kind: str | None = None    # a crawler.evidence.failures.FailureKind (a str)
    error: str | None = None
    content_type: str = ""
    format: str = ""                 # html pdf xlsx xls docx doc ods odt csv image other
    filename: str = ""               # from URL path or Content-Disposition, normalised
    title: str = ""                  # normalised
    text: str = ""                   # normalised
    text_layer: str = "n/a"          # text scan garbage empty n/a
    language: str = ""
    tables: list[Table] = field(default_factory=list)
    dates: list[DateFound] = field(default_factory=list)
    on_site: bool = True             # same host and path prefix as the start URL
    ocr: dict | None = None          # {"engine": ..., "confidence": ...} when text came from OCR
    sha256: str = ""
    size: int | None = None
    depth: int | None = None
    last_modified: str | None = None
    warnings: list[str] = field(default_factory=list)   # what its extraction noticed (crawler.extraction)

    @property
    def attempted(self) -> bool:
        """Fetched, or failed while fetching: not a URL the crawl left alone on purpose."""
        return self.ok or (self.error_kind or "") not in NOT_ATTEMPTED


@dataclass(slots=True)
class LinkRef:             # slots: a large run holds half a million of them
    source_url: str                  # the page the link is on
    target_url: str                  # absolute, canonical
    text: str                        # normalised anchor text
    context: str                     # normalised text of the row / list item / paragraph around it
    heading: str                     # nearest heading above it
    is_nav: bool                     # site-wide navigation: on most pages, or inside nav/header/footer


@dataclass
class RunEvidence:
    run_id: int
    site_url: str
    started_at: str
    finished_at: str | None
    status: str                      # "complete" | "incomplete" | "running"
    resources: dict[str, Resource]   # by canonical URL
    links: list[LinkRef]
    stats: dict = field(default_factory=dict)
    browser: bool = False            # pages were rendered by Chromium (`--browser`): scripts ran

    def links_to(self, url: str) -> list[LinkRef]:
        return [link for link in self.links if link.target_url == url]

    @property
    def start_resource(self) -> Resource | None:
        return self.resources.get(self.site_url)
