"""contact: [phone, email, form] — the evidence's own text gives a way to reach the office."""
from __future__ import annotations

from typing import Iterable

from crawler.audit.checklist import Settings
from crawler.audit.checks.base import Check

KIND_NAMES = {"phone": "หมายเลขโทรศัพท์", "email": "อีเมล", "form": "แบบฟอร์ม"}

CHECK = Check(key="contact", doc="a phone number, e-mail address or web form in the evidence's own text "
              "(reason: not_found)", settings=("phone_pattern", "email_pattern", "vocabulary.web_form"))


def has_contact(text: str, kinds: Iterable[str], has_form: bool, settings: Settings) -> bool:
    """A phone number, an e-mail address or a web form (by its words) in a compact text."""
    kinds = set(kinds)
    return (("phone" in kinds and bool(settings.phone.search(text)))
            or ("email" in kinds and bool(settings.email.search(text)))
            or ("form" in kinds and has_form))


def judge(text: str, kinds: tuple[str, ...], has_form: bool, settings: Settings) -> str | None:
    """None when a contact is there, else the detail of not_found."""
    if has_contact(text, kinds, has_form, settings):
        return None
    return "ไม่พบ" + " หรือ ".join(KIND_NAMES[k] for k in kinds)
