"""The dates of one resource as stored evidence: found in its title, text, file name or URL.

Runs in the extraction workers (crawler/extraction/workers.py) beside extraction itself, and in the
crawl process for file names and URLs; imports nothing of the crawl (no Scrapy, no Twisted).
"""
from __future__ import annotations

from crawler.extraction import Extraction, ocr
from crawler.text.dates import find_dates

MAX_DATES_PER_SOURCE = 200


def dates_found(text: str, source: str, hits=None) -> list[dict]:
    found = []
    for hit in (find_dates(text) if hits is None else hits)[:MAX_DATES_PER_SOURCE]:
        found.append({
            "fiscal_year": hit.fiscal_year, "source": source, "match": hit.match, "kind": hit.kind,
            "start": hit.start.isoformat() if hit.start else None,
            "end": hit.end.isoformat() if hit.end else None,
            "confidence": hit.confidence,
        })
    return found


def evidence_dates(extraction: Extraction, ocr_text: str = "") -> list[dict]:
    """Dates in an extraction's title and text. Those OCR read in Thai digits are unsure, and so is a
    year slot whose Thai digits OCR mangled (crawler.extraction.ocr): such a year never decides alone."""
    found = dates_found(extraction.title, "title") + dates_found(extraction.text, "text")
    if ocr_text:
        found = ocr.unsure_dates(found, ocr_text) + dates_found("", "text", ocr.unreadable_years(ocr_text))
    return found
