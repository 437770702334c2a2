"""`oit inspect`: what the tool reads in one document or page, and which O-items it would count it for.

    result = inspect_target("สถิติภาษี 2567.xlsx", fiscal_year=2567, as_of=date(2024, 6, 30),
                            checklist=load_checklist("bma-district-2567"))
    print_inspection(result)          # Thai-first text; `oit inspect --json` prints `result` itself

This is what a staff member runs before uploading a file. The document goes through the same steps as
a crawled one: `crawler.extraction.extract`, the pipeline's date finding, and the audit's own checks
(crawler/audit/primitives.py) over a one-resource `RunEvidence`; nothing here judges on its own. A URL is fetched
with one plain request (the crawler's User-Agent and size limit). Bad input (no such file, a folder, an
empty file, an unreachable URL) raises `crawler.errors.InputError` (one line, exit 2); a corrupt document is reported
as such.
"""
from __future__ import annotations

import hashlib
import http.client
import socket
import sys
import threading
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from crawler.audit.primitives import (REASONS, STAGE_PASSED, Candidate, EvidenceIndex, Frame, Outcome,
                            format_family, judge_candidate, judge_element, snippet, time_window)
from crawler.audit.checklist import Checklist, Element, Item, fill
from crawler.audit.status import TIME_RULE_LABELS
from crawler.errors import HINT_URL, InputError
from crawler.evidence.model import DateFound, LinkRef, Resource, RunEvidence, Table
from crawler.extraction import Extraction, extract
from crawler.extraction import ocr
from crawler.crawl.addresses import AddressPolicy, parse_address
from crawler.extraction.dating import evidence_dates, name_dates
from crawler.crawl.settings import DOWNLOAD_MAXSIZE, DOWNLOAD_TIMEOUT, USER_AGENT
from crawler.text.thai import normalize
from crawler.text.urls import filename_from_disposition, filename_from_url

EXCERPT_CHARS = 600
FETCH_TIME_LIMIT = 60          # seconds for the whole fetch of a URL, redirects and body included
TABLES_SHOWN = 3
# What to do when a document cannot be inspected (Thai / English)
TARGET_HINT = ("ระบุไฟล์ที่มีอยู่ (ลากไฟล์มาวางในหน้าต่างนี้ได้) หรือที่อยู่เว็บ http(s):// / give a file that exists "
               "(drag it into this window), or an http(s):// address")
TOO_LARGE_HINT = ("ลดขนาดไฟล์ (บีบอัด PDF หรือแยกไฟล์) ก่อนเผยแพร่ เพราะระบบตรวจจะไม่ดาวน์โหลดไฟล์นี้ / make the file "
                  "smaller (compress or split the PDF) before publishing: the crawler will not download it")
SERVER_HINT = ("แจ้งผู้ดูแลเว็บไซต์ให้ตรวจการตั้งค่าเซิร์ฟเวอร์ หรือดาวน์โหลดแล้วตรวจไฟล์แทน / ask the site's "
               "administrator to check the server, or download the document and inspect the file")
ROWS_SHOWN = 3
CELL_CHARS = 40
DATES_SHOWN = 12
LINKED_SHOWN = 3

FORMAT_NAMES = {
    "pdf": "PDF", "xlsx": "Excel (.xlsx)", "xls": "Excel (.xls)", "docx": "Word (.docx)", "doc": "Word (.doc)",
    "ods": "OpenDocument ตารางคำนวณ/spreadsheet (.ods)", "odt": "OpenDocument ข้อความ/text (.odt)",
    "csv": "CSV", "html": "หน้าเว็บ/web page (HTML)", "image": "รูปภาพ/image", "other": "ไม่รู้จัก/unknown",
}
FAMILY_NAMES = {"pdf": "PDF", "office": "Excel/Word", "html": "หน้าเว็บ/HTML", "image": "รูปภาพ/image"}
TEXT_LAYERS = {
    "text": "มีข้อความ อ่านได้ / text",
    "scan": "ภาพสแกน ไม่มีชั้นข้อความ / scan (no text layer)",
    "garbage": "ชั้นข้อความเสีย อ่านเป็นภาษาไทยไม่ได้ / garbage text layer",
    "empty": "ไม่มีข้อความ / empty",
    "n/a": "ไม่มี / n/a",
    "corrupt": "ไฟล์เสีย เปิดไม่ได้ / corrupt",
}
SOURCES = {"title": "ชื่อเรื่อง/title", "heading": "หัวเรื่อง/heading", "text": "เนื้อหา/text", "filename": "ชื่อไฟล์/filename",
           "url": "ที่อยู่/URL", "link_text": "ข้อความลิงก์/link text", "context": "ข้อความรอบลิงก์/context"}
# crawler.text.years.NOT_THE_YEAR, said to a person
NOT_THE_YEAR_ROLES = {
    "citation": "ปีในชื่อกฎหมายหรือระเบียบที่อ้างถึง/a cited law's year",
    "age": "อายุ/an age", "page": "เลขหน้า/a page number",
    "number": "เลขที่อ้างอิง/a reference number", "letter_number": "เลขที่หนังสือ/a letter number",
    "history": "วันที่ในประวัติ/a history date",
}
VERDICTS = {
    "satisfies": ("✓", "ใช้เป็นหลักฐานได้", "would satisfy"),
    "part": ("◐", "ใช้ได้บางส่วน", "would satisfy part"),
    "review": ("?", "ต้องตรวจด้วยตา", "needs a person to check"),
    "fails": ("✗", "ยังไม่ผ่าน", "would not satisfy"),
}


# -- loading the target -----------------------------------------------------------------------------

@dataclass
class Loaded:
    body: bytes
    source: str                # "file" | "url"
    url: str                   # file:// URI or the final http(s) URL
    filename: str
    content_type: str | None = None
    status: int | None = None


def load_target(target: str, policy: AddressPolicy | None = None) -> Loaded:
    if "://" in target:
        return fetch_url(target, policy)
    return read_file(target)


def read_file(target: str) -> Loaded:
    path = Path(target).expanduser()
    if path.is_dir():
        raise InputError(f"{target} เป็นโฟลเดอร์ ไม่ใช่ไฟล์ / is a folder, not a file",
                         hint="ระบุไฟล์เอกสารหนึ่งไฟล์ หรือตรวจทั้งโฟลเดอร์ด้วย oit audit --dir FOLDER / give one "
                              "document, or audit the whole folder: oit audit --dir FOLDER")
    too_large = InputError(f"ไฟล์ใหญ่เกิน {_mb(DOWNLOAD_MAXSIZE)} ระบบตรวจจะไม่ดาวน์โหลด / {target} is over the "
                           f"crawler's {_mb(DOWNLOAD_MAXSIZE)} limit (recorded as too_large)", hint=TOO_LARGE_HINT)
    try:
        if path.stat().st_size > DOWNLOAD_MAXSIZE:
            raise too_large
        with path.open("rb") as fh:     # read up to the cap: a device (/dev/zero) has no size to stat
            body = fh.read(DOWNLOAD_MAXSIZE + 1)
    except FileNotFoundError:
        raise InputError(f"ไม่พบไฟล์ / no such file: {target}", hint=TARGET_HINT) from None
    except OSError as exc:
        raise InputError(f"อ่านไฟล์ไม่ได้ / cannot read {target}: {exc.strerror or exc}", hint=TARGET_HINT) from None
    if len(body) > DOWNLOAD_MAXSIZE:
        raise too_large
    if not body:
        raise InputError(f"ไฟล์ว่างเปล่า (0 ไบต์) / the file is empty: {target}",
                         hint="บันทึกหรือส่งออกเอกสารใหม่ แล้วตรวจอีกครั้ง / save or export the document again, then "
                              "inspect it again")
    return Loaded(body, "file", path.resolve().as_uri(), normalize(path.name))


class _Deadline:
    """Shuts the sockets of one fetch when its time is up: a server that sends a byte a second, or
    headers that never end, cannot hold `oit inspect` longer than FETCH_TIME_LIMIT."""

    def __init__(self, seconds: float):
        self.expired = False
        self.sockets: list[socket.socket] = []
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True

    def expire(self) -> None:
        self.expired = True
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _guarded_connect(policy: AddressPolicy, deadline: _Deadline):
    """socket.create_connection for http.client that connects only to addresses the policy allows,
    checked on what the name resolves to now (every redirect hop opens a new connection through here)."""

    def connect(address, timeout=socket.getdefaulttimeout(), source_address=None, **_):
        host, port = address
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        for *_, sockaddr in infos:
            ip = parse_address(sockaddr[0])
            why = policy.refusal(ip) if ip is not None else None
            if why:
                raise BlockedFetch(why if parse_address(host) else f"{host} -> {why}")
        family, kind, proto, _, sockaddr = infos[0]
        sock = socket.socket(family, kind, proto)
        deadline.sockets.append(sock)
        sock.settimeout(timeout)
        sock.connect(sockaddr)        # the address just checked, not a second lookup
        return sock

    return connect


class BlockedFetch(OSError):
    """A connection the address policy refused."""


def _opener(policy: AddressPolicy, deadline: _Deadline) -> urllib.request.OpenerDirector:
    connect = _guarded_connect(policy, deadline)

    class HTTP(http.client.HTTPConnection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class HTTPS(http.client.HTTPSConnection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(HTTP, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(HTTPS, req, context=self._context)

    return urllib.request.build_opener(HTTPHandler, HTTPSHandler)


def _decoded(body: bytes, encoding: str | None, url: str) -> bytes:
    """The body without its Content-Encoding (gzip, deflate), inflated no further than the size cap."""
    encoding = (encoding or "").strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise InputError(f"เนื้อหาถูกบีบอัดแบบที่ไม่รู้จัก / {url} is sent with Content-Encoding {encoding!r}, "
                         "which the crawler cannot read either", hint=SERVER_HINT)
    for wbits in ((47,) if encoding != "deflate" else (15, -15)):     # deflate: zlib, or raw as some send
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(body, DOWNLOAD_MAXSIZE + 1)
        except zlib.error:
            continue
        if len(out) > DOWNLOAD_MAXSIZE:
            raise InputError(f"เอกสารใหญ่เกิน {_mb(DOWNLOAD_MAXSIZE)} เมื่อคลายการบีบอัด / {url} expands beyond the "
                             "crawler's limit (recorded as too_large)", hint=TOO_LARGE_HINT)
        return out
    raise InputError(f"เนื้อหาที่บีบอัดเสีย / {url}: the {encoding} body is corrupt", hint=SERVER_HINT)


def fetch_url(url: str, policy: AddressPolicy | None = None, time_limit: float | None = None) -> Loaded:
    """One GET with the crawler's User-Agent, timeout, size limit and address policy (every redirect hop),
    all of it within `time_limit` seconds; a clear InputError otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"ไม่ใช่ที่อยู่เว็บ / not a web address: {url!r} (expected http:// or https://…)",
                         hint=HINT_URL)
    if policy is None:
        policy = AddressPolicy.for_site(_address_of(parts.hostname or ""))
    deadline = _Deadline(time_limit or FETCH_TIME_LIMIT)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*",
                                                   "Accept-Encoding": "gzip, deflate"})
    why = None
    deadline.timer.start()
    try:
        with _opener(policy, deadline).open(request, timeout=DOWNLOAD_TIMEOUT) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > DOWNLOAD_MAXSIZE:
                raise InputError(f"เอกสารใหญ่เกิน {_mb(DOWNLOAD_MAXSIZE)} / {url} is {_mb(int(length))}, "
                                 f"over the crawler's limit (recorded as too_large)", hint=TOO_LARGE_HINT)
            body = response.read(DOWNLOAD_MAXSIZE + 1)
            if len(body) > DOWNLOAD_MAXSIZE:
                raise InputError(f"เอกสารใหญ่เกิน {_mb(DOWNLOAD_MAXSIZE)} / {url} is over the crawler's limit "
                                 "(recorded as too_large)", hint=TOO_LARGE_HINT)
            final = response.geturl() or url
            content_type = response.headers.get("Content-Type")
            disposition = response.headers.get("Content-Disposition")
            encoding = response.headers.get("Content-Encoding")
            status = response.status
    except urllib.error.HTTPError as exc:
        why = f"HTTP {exc.code} {exc.reason}"
    except urllib.error.URLError as exc:
        reason = exc.reason
        why = "หมดเวลา/timed out" if isinstance(reason, (socket.timeout, TimeoutError)) else str(reason)
        if isinstance(reason, BlockedFetch):
            why = f"ปฏิเสธตามนโยบายที่อยู่ / blocked by the address policy: {reason}"
    except (socket.timeout, TimeoutError):
        why = "หมดเวลา/timed out"
    except (http.client.HTTPException, OSError, ValueError) as exc:
        why = f"{type(exc).__name__}: {exc}"
    finally:
        deadline.timer.cancel()
    if deadline.expired:
        why = f"หมดเวลา/took longer than {time_limit or FETCH_TIME_LIMIT:g} seconds in all"
    if why is not None:
        raise InputError(f"เปิดที่อยู่นี้ไม่ได้ / cannot fetch {url}: {why}",
                         hint="ตรวจที่อยู่และเปิดในเบราว์เซอร์ดูว่าใช้งานได้ หรือดาวน์โหลดแล้วตรวจไฟล์แทน / check the "
                              "address in a browser, or download the document and inspect the file")
    body = _decoded(body, encoding, url)
    if not body:
        raise InputError(f"เซิร์ฟเวอร์ส่งเนื้อหาว่างเปล่า / {url} answered with an empty body (HTTP {status})",
                         hint=SERVER_HINT)
    name = filename_from_disposition(disposition) or filename_from_url(final)
    return Loaded(body, "url", final, normalize(name) if name else "", content_type, status)


def _address_of(host: str):
    """The address a start host resolves to (None when it does not: the fetch then says why)."""
    ip = parse_address(host)
    if ip is not None:
        return ip
    try:
        return parse_address(socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][4][0])
    except (OSError, UnicodeError):
        return None


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


# -- evidence of one resource -----------------------------------------------------------------------

def resource_of(loaded: Loaded, extraction: Extraction, ocr_text: str = "") -> Resource:
    """The Resource the store would hold for this file after a crawl (dates as the pipeline finds them)."""
    dates = [DateFound(**d) for d in evidence_dates(extraction, ocr_text)]
    dates += [DateFound(**d) for d in name_dates(loaded.filename, loaded.url if loaded.source == "url" else None)]
    is_page = extraction.format == "html"
    return Resource(
        url=loaded.url, final_url=loaded.url, kind="page" if is_page else "document", ok=True,
        status=loaded.status or 200, content_type=loaded.content_type or "", format=extraction.format,
        filename=loaded.filename, title=extraction.title, text=extraction.text,
        text_layer=extraction.text_layer, language=extraction.language,
        tables=[Table(t.where, t.rows) for t in extraction.tables], dates=dates, on_site=True,
        ocr=extraction.ocr, sha256=hashlib.sha256(loaded.body).hexdigest(), size=len(loaded.body), depth=0,
    )


def evidence_of(resource: Resource, extraction: Extraction) -> RunEvidence:
    links = [LinkRef(resource.url, link.href, link.text, link.context, link.heading, link.in_nav)
             for link in extraction.links]
    return RunEvidence(run_id=0, site_url=resource.url, started_at="", finished_at=None, status="complete",
                       resources={resource.url: resource}, links=links)


# -- the inspection ---------------------------------------------------------------------------------

def inspect_target(target: str, *, checklist: Checklist, fiscal_year: int | None = None,
                   as_of: date | None = None, ocr_settings: ocr.OcrSettings | None = None,
                   allow_private: bool = False) -> dict:
    """Everything `oit inspect` shows, as a JSON-ready dict (items judged by `checklist`; `ocr_settings`:
    as a crawl's, default on; `allow_private`: a URL may be on a private network, as `oit crawl --allow-private`)."""
    loaded = load_target(target, AddressPolicy(allow_private=True) if allow_private else None)
    extraction = extract(loaded.body, content_type=loaded.content_type, filename=loaded.filename or None,
                         url=loaded.url)
    # As the crawl does: scanned pages are read by OCR when Tesseract is there (else a warning says why).
    ocr_text = ocr.ocr_extraction(loaded.body, extraction, ocr_settings) if ocr.needs_ocr(extraction) else ""
    resource = resource_of(loaded, extraction, ocr_text)
    status = "ok"
    if extraction.format == "other":
        status = "unsupported"
    elif extraction.error:
        status = "corrupt"
    result = {
        "target": target,
        "source": loaded.source,
        "url": loaded.url if loaded.source == "url" else None,
        "filename": loaded.filename,
        "size": len(loaded.body),
        "sha256": resource.sha256,
        "content_type": loaded.content_type,
        "status": status,
        "error": extraction.error,
        "warnings": list(extraction.warnings),
        "format": extraction.format,
        "format_family": format_family(resource, checklist.settings),
        "pages": extraction.pages,
        "extractor": extraction.extractor,
        "language": extraction.language,
        "text_layer": "corrupt" if status == "corrupt" else extraction.text_layer,
        "ocr": extraction.ocr,
        "title": extraction.title,
        "text_chars": len(extraction.text),
        "excerpt": excerpt(extraction.text, skip=_menu_lines(extraction)),
        "dates": [_date_entry(d) for d in resource.dates],
        "fiscal_years": _fiscal_years(resource.dates),
        "tables": {"count": len(extraction.tables),
                   "shown": [{"where": t.where, "rows": len(t.rows),
                              "first_rows": [[_cut(c, CELL_CHARS) for c in row] for row in t.rows[:ROWS_SHOWN]]}
                             for t in extraction.tables[:TABLES_SHOWN]]},
        "links": len(extraction.links),
        "checklist": {"id": checklist.id, "version": checklist.version},
        "fiscal_year": fiscal_year,
        "as_of": None,
        "fiscal_year_read": None,
        "elements": [],
        "linked": [],
    }
    if status != "ok":
        return result
    if fiscal_year is not None and as_of is None:
        as_of = date.today()            # as `oit audit` does; tests and scripts pass --as-of
    result["as_of"] = as_of.isoformat() if as_of else None
    evidence = evidence_of(resource, extraction)
    index = EvidenceIndex(evidence, checklist)
    candidate = index.candidates[resource.url]
    reading = index.year(candidate)
    if reading.fiscal_year is not None:
        result["fiscal_year_read"] = {"fiscal_year": reading.fiscal_year, "source": reading.source,
                                      "match": reading.match, "sure": reading.sure}
    shown_year = fiscal_year or reading.fiscal_year or checklist.fiscal_year
    frame = Frame(fiscal_year or shown_year, as_of or date.today(), checklist.settings.month_grace_days)
    for item in checklist.items:
        for element in item.elements:
            judged = element if fiscal_year is not None else replace(element, time="none", dated=False)
            entry = _element_result(index, candidate, item, element, judged, frame, fiscal_year, shown_year)
            if entry is not None:
                result["elements"].append(entry)
            result["linked"] += _linked(index, candidate, item, element, shown_year)
    result["elements"].sort(key=lambda e: (list(VERDICTS).index(e["verdict"]), _item_number(e["item"])))
    return result


def _element_result(ix: EvidenceIndex, candidate: Candidate, item: Item, element: Element, judged: Element,
                    frame: Frame, fiscal_year: int | None, shown_year: int) -> dict | None:
    """How this resource fares against one element, or None when no phrase of the element names it."""
    match = ix.matches(judged).get(candidate.url)
    if match is None:
        return None
    verdict = judge_element(ix, judged, frame)
    outcome = next((o for o in (*verdict.evidence, *verdict.near_misses) if o.candidate is candidate), None)
    if outcome is None:
        outcome = judge_candidate(ix, candidate, judged, match, frame)
    kind, reason, detail = _verdict_of(verdict, outcome, element)
    reason_th, reason_en = REASONS[reason] if reason else (None, None)
    return {
        "item": item.id,
        "item_title_th": item.title_th,
        "element": element.id,
        "label_th": fill(element.label_th, shown_year),
        "label_en": fill(element.label_en, shown_year),
        "verdict": kind,
        "reason": reason,
        "reason_th": reason_th,
        "reason_en": reason_en,
        "detail": detail or None,
        "matched_phrase": match.phrase.text,
        "matched_in": match.field.name,
        "snippet": snippet(Outcome(candidate, match, outcome.stage)),
        "format": candidate.resource.format,
        "format_family": candidate.family,
        "formats_accepted": sorted(element.formats) if element.formats else None,
        "formats_all": list(element.formats_all) or None,
        # formats_all: the family this file provides when it passes every other check ("office").
        "satisfies_part": candidate.family if kind == "part" and reason == "wrong_format" else None,
        "time_rule": element.time,
        "time_window": _time_window(ix, candidate, element, frame, fiscal_year),
        "months": [f"{y:04d}-{m:02d}" for y, m in sorted(outcome.months)] or None,
        "fix_th": None if kind == "satisfies" else fill(element.fix_th or item.fix_th, shown_year),
    }


def _verdict_of(verdict, outcome: Outcome, element: Element) -> tuple[str, str | None, str]:
    """(satisfies | part | review | fails, reason, detail) for this one resource."""
    if outcome.stage != STAGE_PASSED:
        return ("review" if outcome.review else "fails"), outcome.reason, outcome.detail
    if outcome.blank:
        return "fails", "blank_column", outcome.blank
    if verdict.satisfied:
        return "satisfies", None, ""
    if element.formats_all:
        family = FAMILY_NAMES.get(outcome.candidate.family, outcome.candidate.family)
        lacking = [f for f in element.formats_all if f != outcome.candidate.family]
        need = " และ ".join(FAMILY_NAMES.get(f, f) for f in lacking)
        return "part", "wrong_format", (f"เอกสารนี้ได้ส่วน {family}; ต้องเผยแพร่ {need} เพิ่มด้วย / "
                                        f"satisfies the {outcome.candidate.family} half; "
                                        f"also publish {' and '.join(lacking)}")
    return "part", verdict.reason, verdict.detail


def _time_window(ix: EvidenceIndex, candidate: Candidate, element: Element, frame: Frame,
                 fiscal_year: int | None) -> dict | None:
    rule = element.time
    if rule in ("none", "live"):
        return None
    wanted = TIME_RULE_LABELS[rule].format(fy=frame.fiscal_year, fy_prev=frame.fiscal_year - 1,
                                     recent_days=ix.checklist.settings.recent_days)
    if fiscal_year is None:
        return {"rule": rule, "ok": None, "review": False, "wanted": None,
                "detail": "ไม่ได้ตรวจ: ระบุ --fiscal-year / not judged: give --fiscal-year"}
    verdict = time_window(ix, candidate, element, frame, ix.stamps(candidate), ix.year(candidate))
    return {"rule": rule, "ok": verdict.ok, "review": verdict.review, "wanted": wanted,
            "detail": verdict.detail or None}


def _linked(ix: EvidenceIndex, candidate: Candidate, item: Item, element: Element, shown_year: int) -> list[dict]:
    """Links on this page whose text or row names the element (the linked files were not fetched)."""
    if not candidate.is_page:
        return []
    out = []
    for url, match in ix.matches(element).items():
        if url == candidate.url or len(out) >= LINKED_SHOWN:
            continue
        link = match.field.link
        out.append({"item": item.id, "element": element.id, "label_th": fill(element.label_th, shown_year),
                    "url": url, "link_text": link.text if link else "", "matched_phrase": match.phrase.text,
                    "matched_in": match.field.name})
    return out


def _date_entry(d: DateFound) -> dict:
    return {"match": d.match, "kind": d.kind, "fiscal_year": d.fiscal_year, "source": d.source,
            "start": d.start, "end": d.end, "confidence": d.confidence, "role": d.role, "ocr": d.ocr}


def _fiscal_years(dates: list[DateFound]) -> dict[str, list[str]]:
    """Fiscal year -> where it was found (title, text, filename, url), strongest source first."""
    order = ("title", "text", "filename", "url")
    years: dict[int, set[str]] = {}
    for d in dates:
        if d.fiscal_year is not None:
            years.setdefault(d.fiscal_year, set()).add(d.source)
    return {str(fy): sorted(sources, key=lambda s: order.index(s) if s in order else len(order))
            for fy, sources in sorted(years.items())}


def excerpt(text: str, limit: int = EXCERPT_CHARS, skip: frozenset[str] = frozenset()) -> str:
    """The first `limit` characters of the normalised text, blank lines (and a page's menu lines) dropped."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    joined = "\n".join(line for line in lines if line and line not in skip)
    return _cut(joined, limit)


def _menu_lines(extraction: Extraction) -> frozenset[str]:
    """Texts of a page's menu links: a page's excerpt should show its content, not its menu."""
    return frozenset(" ".join(link.text.split()) for link in extraction.links if link.in_nav and link.text)


def _cut(text: str, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _item_number(item_id: str) -> int:
    return int(item_id[1:]) if item_id[1:].isdigit() else 0


# -- the terminal output ----------------------------------------------------------------------------

def print_inspection(result: dict, stream=None) -> None:
    try:
        _print_inspection(result, stream or sys.stdout)
    except BrokenPipeError:              # `oit inspect … | head`: the reader has gone, not an error
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _print_inspection(result: dict, out) -> None:
    w = lambda s="": print(s, file=out)  # noqa: E731
    name = result["filename"] or unquote(result["target"])
    w(f"ตรวจเอกสาร / Inspecting: {name}")
    where = unquote(result["url"]) if result["source"] == "url" else "ไฟล์ในเครื่อง/local file"
    w(f"  ที่มา/source: {where}, {result['size']:,} ไบต์/bytes, sha256 {result['sha256'][:12]}…")
    fmt = FORMAT_NAMES.get(result["format"], result["format"])
    pages = f", {result['pages']} หน้า/pages" if result.get("pages") else ""
    extractor = f", อ่านด้วย/extractor {result['extractor']}" if result.get("extractor") else ""
    w(f"  ชนิดไฟล์/format: {fmt}{pages} — กลุ่ม/family {FAMILY_NAMES.get(result['format_family'], result['format_family'])}"
      f"{extractor}")
    if result["status"] == "corrupt":
        w(f"  ไฟล์เสีย เปิดอ่านไม่ได้ / corrupt: {result['error']}")
        w("  แก้ไข/fix: บันทึกหรือส่งออกไฟล์ใหม่จากโปรแกรมต้นฉบับ แล้วตรวจอีกครั้ง / re-export the file and inspect it again")
        return
    if result["status"] == "unsupported":
        w(f"  ไม่ใช่รูปแบบที่ระบบอ่านได้ / unsupported format: {result['error'] or '; '.join(result['warnings'])}")
        w("  แก้ไข/fix: เผยแพร่เป็น PDF, Excel หรือ Word / publish it as PDF, Excel or Word")
        return
    layer = result["text_layer"]
    w(f"  ชั้นข้อความ/text layer: {TEXT_LAYERS.get(layer, layer)}"
      + (f"   ภาษา/language: {result['language']}" if result.get("language") else ""))
    if result.get("ocr"):
        ocr = result["ocr"]
        w(f"  อ่านด้วย OCR/read by OCR: {ocr.get('engine', '')}, ความมั่นใจ/confidence {ocr.get('confidence', '?')} — "
          "ข้อความจาก OCR อาจคลาดเคลื่อน และปีที่เขียนด้วยเลขไทยถือว่าไม่แน่ชัด / OCR text may be wrong; years in "
          "Thai digits count as unsure")
    elif layer in ("scan", "garbage"):
        w("  คำเตือน/warning: ระบบอ่านข้อความในไฟล์นี้ไม่ได้ ผู้ประเมินอาจต้องตรวจด้วยตา — ควรส่งออกเป็น PDF จากโปรแกรม"
          "ต้นฉบับ (Word/Excel) แทนการสแกน / the text cannot be read: export from Word/Excel instead of scanning")
    for warning in result.get("warnings") or []:
        w(f"  หมายเหตุ/note: {warning}")
    if result.get("title"):
        w(f"  ชื่อเรื่อง/title: {result['title']}")
    if result.get("excerpt"):
        garbled = " (อ่านไม่ได้/garbled)" if layer == "garbage" and not result.get("ocr") else ""
        w(f"  ข้อความ (ตอนต้น)/text excerpt{garbled}, {result['text_chars']:,} ตัวอักษร/characters:")
        for line in result["excerpt"].splitlines():
            w(f"    {line}")

    dates = result["dates"]
    w()
    w(f"วันที่และปีงบประมาณที่พบ / Dates and fiscal years found: {len(dates)}")
    for fy, sources in result["fiscal_years"].items():
        w(f"  ปีงบประมาณ/FY {fy}: พบใน/in {', '.join(SOURCES.get(s, s) for s in sources)}")
    seen = set()
    shown = 0
    for d in dates:
        key = (" ".join(d["match"].split()), d["source"])
        if key in seen:
            continue
        seen.add(key)
        if shown >= DATES_SHOWN:
            rest = len({(" ".join(x["match"].split()), x["source"]) for x in dates}) - shown
            w(f"  … อีก/more {rest} รายการ/entries (--json)")
            break
        shown += 1
        fy = f"ปีงบ/FY {d['fiscal_year']}" if d["fiscal_year"] else "หลายปี/several years"
        unsure = " (ไม่แน่ชัด/unsure)" if (d.get("confidence") or 1.0) < 1.0 else ""
        role = NOT_THE_YEAR_ROLES.get(d.get("role") or "")
        not_year = f" — ไม่ใช่ปีของเอกสาร/not the document's year: {role}" if role else ""
        w(f"  “{key[0]}” ({d['kind']}) → {fy}{unsure}, ใน/in {SOURCES.get(d['source'], d['source'])}{not_year}")
    read = result.get("fiscal_year_read")
    if read:
        sure = "" if read["sure"] else " (ไม่แน่ชัด/unsure)"
        w(f"  ปีงบประมาณของเอกสารตามเกณฑ์/the document's fiscal year by the rubric's rules: {read['fiscal_year']}"
          f"{sure}, จาก/from {SOURCES.get(read['source'], read['source'])} “{' '.join(read['match'].split())}”")
    elif layer == "text" and result["format"] == "html":
        w("  ไม่พบปีงบประมาณในเนื้อหาของหน้าเอง (แถวที่ลิงก์ไปยังเอกสารนับเป็นของเอกสารนั้น) / no fiscal year in the "
          "page's own text (a row that links to a document counts for that document)")
    elif layer == "text":
        w("  ไม่พบปีงบประมาณ — ควรระบุ “ปีงบประมาณ พ.ศ. ....” ในชื่อเรื่องหรือเนื้อหา / "
          "no fiscal year found: state it in the title or text")

    tables = result["tables"]
    w()
    w(f"ตาราง / Tables: {tables['count']}")
    for t in tables["shown"]:
        w(f"  {t['where'] or 'ตาราง/table'} ({t['rows']} แถว/rows):")
        for row in t["first_rows"]:
            w("    | " + " | ".join(row) + " |")
    if result["format"] == "html":
        w(f"ลิงก์บนหน้า / Links on the page: {result['links']}")

    w()
    header = f"ตัวชี้วัดที่ใช้เป็นหลักฐานได้ / O-items this would count for (checklist {result['checklist']['id']}"
    if result["fiscal_year"]:
        header += f", ปีงบประมาณ/FY {result['fiscal_year']}, ณ วันที่/as of {result['as_of']}"
    w(header + "):")
    if not result["fiscal_year"]:
        w("  (ยังไม่ได้ตรวจช่วงเวลา ระบุ --fiscal-year เพื่อตรวจ / time windows not judged: give --fiscal-year)")
    if not result["elements"]:
        w("  ไม่ตรงกับรายการใดใน O1–O22: ชื่อเรื่อง ชื่อไฟล์ และเนื้อหาไม่มีคำที่เกณฑ์ใช้ค้นหา / matches no element of "
          "O1–O22: its title, file name and text carry none of the rubric's phrases")
    for e in result["elements"]:
        mark, th, en = VERDICTS[e["verdict"]]
        w(f"  {mark} {e['item']} {e['label_th']} [{e['element']}] — {th} / {en}")
        w(f"      คำที่ตรง/phrase: “{e['matched_phrase']}” ใน/in {SOURCES.get(e['matched_in'], e['matched_in'])}")
        family = FAMILY_NAMES.get(e["format_family"], e["format_family"])
        need = e["formats_all"] or e["formats_accepted"]
        need_text = f" (เกณฑ์/required: {' + '.join(need) if e['formats_all'] else ' or '.join(need)})" if need else ""
        w(f"      รูปแบบ/format: {e['format']} → {family}{need_text}")
        tw = e["time_window"]
        if tw is not None:
            if tw["ok"] is None:
                w(f"      ช่วงเวลา/time window ({tw['rule']}): {tw['detail']}")
            else:
                state = "ผ่าน/ok" if tw["ok"] else ("ต้องตรวจด้วยตา/review" if tw["review"] else "ไม่ผ่าน/no")
                w(f"      ช่วงเวลา/time window: ต้องเป็น/needs {tw['wanted']} — {state}"
                  + (f": {tw['detail']}" if tw["detail"] else ""))
        if e["months"]:
            w(f"      เดือนที่รายงาน/months: {', '.join(e['months'])}")
        if e["reason"]:
            w(f"      เหตุผล/reason: {e['reason_th']}" + (f" — {e['detail']}" if e["detail"] else "")
              + f" / {e['reason_en']}")
        if e["fix_th"] and e["verdict"] != "satisfies":
            w(f"      แก้ไข/fix: {e['fix_th']}")
    if result["linked"]:
        w()
        w("ลิงก์บนหน้านี้ที่ชี้ไปยังเอกสารที่อาจเป็นหลักฐาน (ไม่ได้เปิดตรวจ) / links on this page that name an element "
          "(not fetched; inspect each file):")
        for link in result["linked"]:
            w(f"  {link['item']} [{link['element']}] “{link['link_text']}” → {unquote(link['url'])}")
