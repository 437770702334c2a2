"""Why a URL of a run has no usable answer: the failure kinds the crawl records, and their labels.

The spider (spiders/site.py) and the audit (a link it found but the crawl never fetched) store one of
these in `resources.error_kind`; every report labels it from FAILURE_LABELS, here and nowhere else. A
kind is a str, so stored runs and report.json keep plain strings.
"""
from __future__ import annotations

from enum import StrEnum


class FailureKind(StrEnum):
    HTTP_401 = "http_401"          # login required
    HTTP_403 = "http_403"
    HTTP_404 = "http_404"
    HTTP_410 = "http_410"
    HTTP_4XX = "http_4xx"          # any other 4xx (the status is stored beside it)
    HTTP_5XX = "http_5xx"
    HTTP_OTHER = "http_other"      # an answer outside 4xx/5xx that is not content (e.g. 3xx without Location)
    DNS = "dns"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    TLS = "tls"
    TOO_LARGE = "too_large"
    CANCELLED = "cancelled"
    IGNORED = "ignored"            # dropped by a downloader middleware
    REDIRECT_LOOP = "redirect_loop"  # more than REDIRECT_MAX_TIMES redirects
    # The site answered, but with a file that cannot stand as evidence (crawler/crawl/pipelines.py).
    BROKEN_EMPTY = "broken_empty"
    BROKEN_UNREADABLE = "broken_unreadable"
    BROKEN_ENCRYPTED = "broken_encrypted"
    BROKEN_MOJIBAKE = "broken_mojibake"
    BLOCKED = "blocked"            # a private or loopback address the address policy refused (crawler/crawl/addresses.py)
    BOT_WALL = "bot_wall"          # a bot-protection challenge (Cloudflare and similar; crawler/evidence/walls.py)
    LOGIN_WALL = "login_wall"      # sent to a sign-in page (401, central login)
    FOLDER_UNLISTED = "folder_unlisted"  # a public OneDrive/SharePoint folder: its files cannot be listed
    NOT_PUBLIC = "not_public"      # a Google Drive / OneDrive share link that asks to sign in (crawler/crawl/shares.py)
    CRAWLER_ERROR = "crawler_error"  # the tool's own code failed reading the answer (its links unread)
    ERROR = "error"                # anything else
    # Records of URLs the crawl chose not to fetch: no answer to judge.
    ROBOTS = "robots"
    LIMIT = "limit"                # page or depth limit
    TRAP_BOUND = "trap_bound"      # an endless-URL trap (calendar, pagination) was cut off
    NOT_FETCHED = "not_fetched"    # linked, but no record of the crawl fetching it

    @classmethod
    def of_http_status(cls, status: int) -> FailureKind:
        """The kind of an HTTP error answer: the statuses an assessor tells apart keep their number."""
        named = {401: cls.HTTP_401, 403: cls.HTTP_403, 404: cls.HTTP_404, 410: cls.HTTP_410}
        if status in named:
            return named[status]
        if 400 <= status < 500:
            return cls.HTTP_4XX
        return cls.HTTP_5XX if status >= 500 else cls.HTTP_OTHER


NOT_ATTEMPTED = frozenset({FailureKind.ROBOTS, FailureKind.LIMIT, FailureKind.TRAP_BOUND, FailureKind.NOT_FETCHED})

# (Thai, English) for every kind.
FAILURE_LABELS: dict[FailureKind, tuple[str, str]] = {
    FailureKind.HTTP_401: ("ต้องเข้าสู่ระบบ", "Login required"),
    FailureKind.HTTP_403: ("ไม่อนุญาตให้เข้าถึง", "Forbidden"),
    FailureKind.HTTP_404: ("ไม่พบหน้า", "Not found"),
    FailureKind.HTTP_410: ("ถูกนำออกแล้ว", "Gone"),
    FailureKind.HTTP_4XX: ("คำขอถูกปฏิเสธ", "Request refused"),
    FailureKind.HTTP_5XX: ("เซิร์ฟเวอร์ขัดข้อง", "Server error"),
    FailureKind.HTTP_OTHER: ("เซิร์ฟเวอร์ตอบกลับผิดปกติ", "Unexpected answer"),
    FailureKind.DNS: ("ไม่พบชื่อโดเมน", "Domain not found"),
    FailureKind.TIMEOUT: ("หมดเวลารอ", "Timed out"),
    FailureKind.CONNECTION: ("เชื่อมต่อไม่ได้", "Connection failed"),
    FailureKind.TLS: ("ใบรับรองความปลอดภัยมีปัญหา", "TLS certificate problem"),
    FailureKind.TOO_LARGE: ("ไฟล์ใหญ่เกินกำหนด", "Too large"),
    FailureKind.CANCELLED: ("การดาวน์โหลดถูกยกเลิก", "Download cancelled"),
    FailureKind.IGNORED: ("ไม่ได้ดาวน์โหลด", "Not downloaded"),
    FailureKind.REDIRECT_LOOP: ("เปลี่ยนเส้นทางวนซ้ำ", "Redirect loop"),
    FailureKind.BROKEN_EMPTY: ("ไฟล์ว่าง (0 ไบต์)", "Empty file"),
    FailureKind.BROKEN_UNREADABLE: ("ไฟล์เสียหรือไม่ครบ เปิดอ่านไม่ได้", "Damaged or truncated file"),
    FailureKind.BROKEN_ENCRYPTED: ("ไฟล์ติดรหัสผ่าน", "Password-protected file"),
    FailureKind.BROKEN_MOJIBAKE: ("ข้อความอ่านไม่ออก (รหัสอักขระผิด)", "Text in the wrong encoding"),
    FailureKind.BLOCKED: ("ที่อยู่ภายในเครือข่าย ไม่เปิดตามนโยบายความปลอดภัย", "Private address, refused by policy"),
    FailureKind.BOT_WALL: ("ถูกระบบป้องกันบอตกั้น (เช่น Cloudflare)", "Stopped by bot protection (e.g. Cloudflare)"),
    FailureKind.LOGIN_WALL: ("ถูกส่งไปหน้าเข้าสู่ระบบ", "Sent to a login page"),
    FailureKind.NOT_PUBLIC: ("ไฟล์ไม่ได้เปิดสาธารณะ", "Shared file not public"),
    FailureKind.FOLDER_UNLISTED: ("โฟลเดอร์ OneDrive/SharePoint ที่ระบบตรวจเปิดดูรายการไฟล์ไม่ได้ ควรลิงก์ไปที่ไฟล์โดยตรง",
                                  "OneDrive/SharePoint folder whose files cannot be listed: link the files themselves"),
    FailureKind.CRAWLER_ERROR: ("ระบบตรวจอ่านหน้านี้ไม่สำเร็จ (โปรดแจ้งผู้ดูแลระบบตรวจ)",
                                "The crawler failed reading this answer (please report it)"),
    FailureKind.ERROR: ("ข้อผิดพลาดอื่น", "Other error"),
    FailureKind.ROBOTS: ("robots.txt ไม่อนุญาต", "Disallowed by robots.txt"),
    FailureKind.LIMIT: ("เกินขอบเขตการเก็บข้อมูล", "Beyond the crawl's limits"),
    FailureKind.TRAP_BOUND: ("ลิงก์วนซ้ำไม่รู้จบ (ตัดไว้)", "Endless links (cut off)"),
    FailureKind.NOT_FETCHED: ("ไม่ได้ดาวน์โหลด", "Not fetched"),
}


def failure_label(kind: str | None) -> str | None:
    """The Thai label of a stored kind, or None for a kind this version does not know (older runs)."""
    try:
        return FAILURE_LABELS[FailureKind(kind)][0]
    except ValueError:
        return None
