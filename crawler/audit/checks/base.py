"""What every check declares, in one place (as a Lighthouse audit does): the checklist key it reads,
its reason codes with Thai and English text and a Thai fix, and the checklist settings it uses."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reason:
    th: str
    en: str
    fix_th: str = ""


@dataclass(frozen=True)
class Check:
    key: str                                  # the element key in checklists/*.yaml that turns it on
    doc: str                                  # one line: what it judges
    reasons: dict[str, Reason] = field(default_factory=dict)
    settings: tuple[str, ...] = ()            # checklist `settings:` / `vocabulary:` entries it reads
