"""Stage 0: the resource answered. A 4xx is the site's answer; a timeout or a 5xx is transport."""
from __future__ import annotations

from crawler.audit.checks.base import Check, Reason
from crawler.evidence.failures import FailureKind, failure_label
from crawler.evidence.model import Resource

CHECK = Check(
    key="(always)", doc="the evidence could be fetched",
    reasons={"could_not_fetch": Reason("เปิดเอกสารไม่ได้ขณะตรวจ", "The document could not be fetched",
                                       "ตรวจสอบลิงก์ให้เปิดได้ และอัปโหลดไฟล์ใหม่หากไฟล์หาย")})


def is_dead(resource: Resource) -> bool:
    """The site answered that the resource is not there (4xx): a real failure, not a transport one."""
    if resource.ok:
        return False
    kind = resource.error_kind or ""
    # broken_*: the site answered with an empty, truncated, encrypted or mojibake file.
    # not_public: a drive share link that asks to sign in; assessors cannot open it either.
    return kind.startswith(("http_4", "broken_")) or kind == FailureKind.NOT_PUBLIC or (resource.status is not None and 400 <= resource.status < 500)


def is_transport_failure(resource: Resource) -> bool:
    """No usable answer for reasons that say nothing about the site's content (timeout, DNS, 5xx …)."""
    return not resource.ok and not is_dead(resource)


def failure_text(resource: Resource) -> str:
    kind = resource.error_kind or (f"http_{resource.status}" if resource.status else "error")
    if kind.startswith("broken_"):
        return f"{kind}: {resource.error}"
    if kind == FailureKind.NOT_PUBLIC:          # the sign-in page's 200 would only confuse: say what it is
        return f"{kind}: {failure_label(kind)}"
    return f"{kind}{f' ({resource.status})' if resource.status and str(resource.status) not in kind else ''}"
