"""Walls: answers that stand between the crawler and the site, not the site's content.

A bot wall is a protection service's challenge (Cloudflare "Just a moment…", "Attention Required",
a CAPTCHA): a 403/503 (sometimes a 200) carrying the service's headers or its challenge page. A login
wall is a central sign-in page the crawl was sent to (a 401, or a redirect to /login, SSO, CAS). Both
mean the crawl did not see the site: the spider records them as their own failure kinds, and the audit
(crawler/audit/judge.py) finds a crawl stopped by one unhealthy and says what staff can do. This is the
one place that recognises a wall.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from crawler.evidence.failures import FailureKind

# Headers that only a protection service sets (names lower-case). `server: cloudflare` alone is any
# Cloudflare-fronted site, so it counts only with a challenge status or page.
_MITIGATED = ("cf-mitigated", "x-sucuri-block", "x-datadome", "x-amzn-waf-action")
_SERVICE_HEADERS = ("cf-ray", "cf-chl-bypass", "x-sucuri-id", "x-iinfo", "x-datadome", "akamai-grn",
                    "x-amzn-waf-action")
_SERVICE_SERVERS = re.compile(r"cloudflare|sucuri|ddos-guard|akamaighost|incapsula|imperva", re.I)
# A challenge page's own words and scripts (the first is specific enough on any answer).
_CHALLENGE = re.compile(r"just a moment|attention required|checking your browser|verify you are human|"
                        r"cf-challenge|challenge-platform|ddos-guard|ddos protection", re.I)
_CAPTCHA = re.compile(r"captcha", re.I)     # a plain "access denied" 403 stays http_403
# A page that asks to sign in (Thai and English).
GATE = re.compile(r"เข้าสู่ระบบ|\blog ?in\b|\bsign ?in\b|just a moment|attention required|captcha|"
                  r"checking your browser|access denied|ddos protection", re.I)
_LOGIN_PATH = re.compile(r"/(?:login|log-in|signin|sign-in|sso|cas|adfs|auth|oauth2?|account/login)"
                         r"(?:[/?.#]|$)|^https?://(?:sso|login|auth|accounts?)\.", re.I)
_PASSWORD = re.compile(r"<input[^>]+type\s*=\s*[\"']?password", re.I)
WALL_KINDS = frozenset({FailureKind.BOT_WALL, FailureKind.LOGIN_WALL})

# What staff can do about a wall (Thai first): every report and the CLI say this with the reason.
WALL_ADVICE = ("ให้ผู้ดูแลเว็บไซต์อนุญาต User-Agent ของเครื่องมือนี้ (ระบุผู้ติดต่อด้วย --contact) "
               "หรือตรวจจากรายการ URL (oit audit --urls ไฟล์) / ask the site's administrator to allow this "
               "tool's User-Agent (name a contact with --contact), or audit from a URL list (oit audit --urls FILE)")

# What staff can do about a Google Drive / OneDrive link that asks to sign in (FailureKind.NOT_PUBLIC).
SHARE_ADVICE = ("ตั้งค่าการแชร์ไฟล์/โฟลเดอร์เป็น \"ทุกคนที่มีลิงก์\" (Anyone with the link) ให้ดูได้ "
                "แล้วตรวจอีกครั้ง / set the file's or folder's sharing to \"Anyone with the link\" can view, "
                "then audit again")


def wall_kind(status: int, headers: Mapping[str, str], body: str, url: str = "") -> FailureKind | None:
    """The wall an answer is, or None for an ordinary answer. `headers`: lower-case names; `body`: the
    start of the answer's text; `url`: where the answer came from (after redirects)."""
    head = body[:20000]
    mitigated = any(name in headers for name in _MITIGATED)
    service = mitigated or any(name in headers for name in _SERVICE_HEADERS) or bool(
        _SERVICE_SERVERS.search(headers.get("server", "")))
    refused = status in (403, 429, 503)
    # A site behind Cloudflare carries its headers on every page: only a refusal or a challenge
    # page is the wall (a contact form's CAPTCHA on a 200 page is not).
    if mitigated or (service and refused) or (
            (service or refused) and _CHALLENGE.search(head)) or (refused and _CAPTCHA.search(head[:5000])):
        return FailureKind.BOT_WALL
    # A 401 stays http_401: an e-service asking for its own login is the service working.
    if _LOGIN_PATH.search(url) and (_PASSWORD.search(head) or GATE.search(head[:3000])):
        return FailureKind.LOGIN_WALL
    return None


def is_gate_text(text: str) -> bool:
    """Does a page's title and opening text read as a sign-in or challenge page?"""
    return bool(GATE.search(text))
