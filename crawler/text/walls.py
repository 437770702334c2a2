"""Walls: answers that are not the site but a gate in front of it, recognised in this one place.

A *bot wall* is a bot-protection challenge (Cloudflare's "Just a moment…" / "Attention Required",
a CAPTCHA page, "checking your browser"), usually a 403/429/503 with the protector's headers; a *login
wall* is a page whose only content is a sign-in form. The spider records such an answer as a failure of
its own kind (crawler.evidence.failures: bot_wall, login_wall) instead of a page of the site, and the
audit's crawl health says what the working group can do about it (`WHAT_TO_DO`). For runs stored before
walls were recognised, `gate_of` judges a stored page by its title and text.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

BOT = "bot_wall"
LOGIN = "login_wall"
MAX_GATE_LINKS = 5          # a page with more links than this is a site's page with a sign-in box, not a wall
HEAD_CHARS = 20_000         # how much of a body is looked at

_CHALLENGE = re.compile(r"just a moment|attention required|checking (?:your|if the site connection is) "
                        r"|verify (?:you are|that you are) (?:a )?human|enable javascript and cookies|"
                        r"ddos protection|cf-chl|challenge-platform|captcha", re.IGNORECASE)
_LOGIN = re.compile(r"เข้าสู่ระบบ|\blog ?in\b|\bsign ?in\b", re.IGNORECASE)
_PASSWORD_INPUT = re.compile(r"<input[^>]{0,300}type\s*=\s*[\"']?password", re.IGNORECASE)
_PROTECTOR_HEADERS = ("cf-ray", "cf-mitigated", "x-sucuri-id", "x-iinfo", "x-datadome")

WHAT_TO_DO = {
    BOT: ("เว็บไซต์ตอบด้วยหน้าป้องกันบอท (เช่น Cloudflare) เครื่องมือจึงเห็นเนื้อหาไม่ได้: ขอให้ผู้ดูแลเว็บไซต์"
          "อนุญาต User-Agent ของเครื่องมือนี้ (ระบุผู้ติดต่อด้วย --contact) แล้วตรวจใหม่ หรือตรวจเอกสารทีละไฟล์ด้วย "
          "oit inspect",
          "the site answers with a bot-protection challenge (e.g. Cloudflare), so the tool cannot see it: ask "
          "its administrator to allow this tool's User-Agent (name a contact with --contact) and audit again, "
          "or check files one by one with oit inspect"),
    LOGIN: ("หน้าแรกเป็นหน้าเข้าสู่ระบบ ไม่ใช่หน้าเว็บไซต์สาธารณะ: ใช้ที่อยู่หน้าแรกที่ประชาชนเปิดได้โดยไม่ต้องเข้าสู่ระบบ",
            "the start page is a sign-in page, not the public site: give the address the public opens "
            "without signing in"),
}


def wall_of(status: int, headers: Mapping[str, str], body: str, links: int | None = None) -> str | None:
    """BOT, LOGIN or None for one answer: its status, headers (any case) and body text or HTML;
    `links`: how many links the page has, when it is a page (None: not counted)."""
    h = {str(k).lower(): str(v).lower() for k, v in headers.items()}
    head = body[:HEAD_CHARS]
    if h.get("cf-mitigated") == "challenge":
        return BOT
    protected = "cloudflare" in h.get("server", "") or any(name in h for name in _PROTECTOR_HEADERS)
    challenge = bool(_CHALLENGE.search(head))
    if status in (403, 429, 503) and challenge and (protected or links is None or links <= MAX_GATE_LINKS):
        return BOT
    if links is not None and links <= MAX_GATE_LINKS:
        if challenge:
            return BOT
        if _PASSWORD_INPUT.search(head):
            return LOGIN
    return None


def gate_of(text: str, links: int) -> str | None:
    """BOT, LOGIN or None for a stored page, by its title and opening text and its number of links."""
    if links > MAX_GATE_LINKS:
        return None
    head = text[:500]
    if _CHALLENGE.search(head):
        return BOT
    return LOGIN if _LOGIN.search(head) else None
