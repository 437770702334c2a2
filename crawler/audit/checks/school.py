"""names_school: at least one school is named ("โรงเรียนวัด…"), not only "โรงเรียนสังกัด…" (O3)."""
from __future__ import annotations

from crawler.audit.checklist import Settings
from crawler.audit.checks.base import Check

CHECK = Check(key="names_school", doc="a school is named by its own name (reason: not_found)",
              settings=("school_pattern",))


def names_school(text: str, settings: Settings) -> bool:
    return bool(settings.school.search(text))
