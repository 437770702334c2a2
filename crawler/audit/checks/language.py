"""language: en — the evidence is written in English (O18 policy_en)."""
from __future__ import annotations

from crawler.audit.checks.base import Check, Reason
from crawler.evidence.model import Resource
from crawler.text.thai import thai_ratio

CHECK = Check(
    key="language", doc="the evidence is in the element's language",
    reasons={"not_english": Reason("ไม่พบฉบับภาษาอังกฤษ", "No English version found",
                                   "เผยแพร่ฉบับภาษาอังกฤษด้วย")})


def in_english(resource: Resource) -> bool:
    """Written in English (the extractor's language, else most letters are not Thai)."""
    if resource.language == "en":
        return True
    if resource.language == "th":
        return False
    sample = (resource.title + " " + resource.text[:5000]).strip()
    letters = sum(ch.isalpha() for ch in sample)
    return letters >= 20 and thai_ratio(sample) < 0.5
