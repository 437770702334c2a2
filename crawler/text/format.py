"""How numbers, dates, site names and links are shown to a Thai reader, in every output.

Scores print with two decimals ('—' when there is none), dates in the Buddhist Era with Thai month
names (from the one month table, crawler.text.dates.MONTHS), and a URL becomes a link only when a
browser would treat it as http(s). The report writers, the kit's sheets and plan, and the terminal all
format through here, so the same value reads the same everywhere.
"""
from __future__ import annotations

import math
import re
from typing import Any

from crawler.text.dates import BE_OFFSET, MONTHS, bangkok_datetime_th

THAI_MONTHS = tuple(m.thai[0] for m in MONTHS)
THAI_MONTHS_SHORT = tuple(m.abbreviation for m in MONTHS)


def fmt_num(value: Any, digits: int = 2) -> str:
    """Scores as the ITA documents print them: two decimals; '—' when there is no number."""
    if value is None or isinstance(value, bool):
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "—"
    return f"{number:,.{digits}f}"


def thai_date(iso: str | None, short: bool = False) -> str:
    """'2024-06-30' -> '30 มิถุนายน 2567' (Buddhist Era); anything else is returned as given."""
    if not iso:
        return ""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", str(iso))
    if not m:
        return str(iso)
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return str(iso)
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    return f"{day} {months[month - 1]} {year + BE_OFFSET}"


def thai_datetime(iso: str | None) -> str:
    """'2026-12-04T06:54:00+00:00' -> '4 ธ.ค. 2569 13:54': Bangkok time, Buddhist Era (ISO stays in JSON)."""
    return bangkok_datetime_th(iso)


_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
_HTTP_URL = re.compile(r"^https?://[^/\s\x00-\x1f\x7f][^\s\x00-\x1f\x7f]*$", re.IGNORECASE)


def safe_url(url: Any) -> str | None:
    """The URL if a browser would treat it as an http(s) link, else None (render it as text).

    Browsers strip leading/trailing C0 controls and spaces and drop tabs/newlines inside a URL
    ("java\\tscript:" is javascript:), so the check runs on that cleaned form and returns it, with
    inner spaces (common in Thai file names) percent-encoded.
    """
    if not isinstance(url, str):
        return None
    cleaned = url.strip(_C0_OR_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    cleaned = cleaned.replace(" ", "%20")
    if not _HTTP_URL.match(cleaned):
        return None
    return cleaned


def site_name(report: dict) -> str:
    """The audited site's name from report.json, else its host, else a generic Thai name."""
    site = report.get("site") or {}
    if site.get("name"):
        return str(site["name"])
    host = re.sub(r"^https?://", "", str(site.get("url", "")), flags=re.IGNORECASE)
    return host.split("/")[0] or "เว็บไซต์ที่ตรวจ"
