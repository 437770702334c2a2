"""The dates of one resource as stored evidence: found in its title, text, file name or URL.

Runs in the extraction workers (crawler/extraction/workers.py) beside extraction itself, and in the
crawl process for file names and URLs; imports nothing of the crawl (no Scrapy, no Twisted).
"""
from __future__ import annotations

from crawler.extraction import Extraction, ocr
from crawler.text.dates import find_dates
from crawler.text.thai import normalize
from crawler.text.urls import url_path
from crawler.text.years import date_roles

MAX_DATES_PER_SOURCE = 200


def dates_found(text: str, source: str, hits=None, *, ocr_read: bool = False, heading: bool = True) -> list[dict]:
    """The dates of one text of a resource, each with its role (crawler.text.years: heading, dated,
    body, citation …) and whether OCR read it. `heading=False`: the text's first lines are no heading."""
    hits = (find_dates(text) if hits is None else hits)[:MAX_DATES_PER_SOURCE]
    found = []
    for hit, role in zip(hits, date_roles(text, hits, source, heading=heading)):
        found.append({
            "fiscal_year": hit.fiscal_year, "source": source, "match": hit.match, "kind": hit.kind,
            "start": hit.start.isoformat() if hit.start else None,
            "end": hit.end.isoformat() if hit.end else None,
            "confidence": hit.confidence, "role": role, "ocr": ocr_read,
        })
    return found


def name_dates(filename: str | None, url: str | None) -> list[dict]:
    """Dates a resource carries in its name: its file name's, else its URL path's ("/ITA/2568/O5/"),
    a day aside there (the crawl and `oit inspect` alike)."""
    own = dates_found(filename, "filename") if filename else []
    if own or not url:
        return own
    return [d for d in dates_found(normalize(url_path(url)), "url") if d["kind"] != "day"]


def evidence_dates(extraction: Extraction, ocr_text: str = "") -> list[dict]:
    """Dates in an extraction's title and text. Those OCR read are marked so (a text layer's clear
    year beats OCR's reading of the same page); those it read in Thai digits are unsure, and so is a
    year slot whose Thai digits OCR mangled (crawler.extraction.ocr): such a year never decides alone."""
    heading = extraction.format != "html"       # a page's text opens with its menu, not a heading
    if not ocr_text:
        return (dates_found(extraction.title, "title")
                + dates_found(extraction.text, "text", heading=heading))
    # ocr.apply() put the OCR text after the text layer's (scanned pages inside a text PDF) or in
    # its place (a scan, a garbage layer).
    text = extraction.text
    layer = text[:-len(ocr_text)].rstrip() if text.endswith(ocr_text) and text != ocr_text else ""
    title_by_ocr = extraction.text_layer in ocr.OCR_LAYERS     # the title is OCR's first line then
    title = dates_found(extraction.title, "title", ocr_read=title_by_ocr)
    if title_by_ocr:
        title = ocr.unsure_dates(title, ocr_text)
    read = dates_found(ocr_text, "text", ocr_read=True, heading=heading and not layer)
    read += dates_found("", "text", ocr.unreadable_years(ocr_text), ocr_read=True)
    return title + dates_found(layer, "text", heading=heading) + ocr.unsure_dates(read, ocr_text)
