"""The check primitives as declared units: one module per check, each with a `CHECK` that names its
checklist key, its reason codes (Thai, English, Thai fix) and the settings it reads. REGISTRY lists
them in the order a candidate meets them (crawler/audit/primitives.py runs them); REASONS is built
from their declarations, so a reason code is defined exactly once."""
from __future__ import annotations

from crawler.audit.checks import (contact, count, dated, director, fetched, formats, language, live, months,
                                  phrases, readable, school, table, time_window)
from crawler.audit.checks.base import Check, Reason

REGISTRY: tuple[Check, ...] = tuple(m.CHECK for m in (
    phrases, fetched, formats, readable, language, time_window, dated, contact, school, director, months,
    live, table, count))

REASON_INFO: dict[str, Reason] = {}
for _check in REGISTRY:
    for _code, _reason in _check.reasons.items():
        if _code in REASON_INFO:
            raise RuntimeError(f"reason {_code!r} declared twice")
        REASON_INFO[_code] = _reason

REASONS: dict[str, tuple[str, str]] = {code: (r.th, r.en) for code, r in REASON_INFO.items()}

__all__ = ["Check", "REASONS", "REASON_INFO", "REGISTRY", "Reason"]
