"""dated: every counted piece carries a day date (O4 news)."""
from __future__ import annotations

from crawler.audit.checks.base import Check

CHECK = Check(key="dated", doc="each counted piece of evidence carries a day date (reason: wrong_year)")
