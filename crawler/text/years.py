"""Which of a document's dates could be its own year: each date found gets a *role* by where it stands.

A person reading a Thai government document takes its year from its heading ("… ประจำปีงบประมาณ
พ.ศ. ๒๕๖๘"), then from the date under its heading or above its signature ("ประกาศ ณ วันที่ …"), and
only then from what the body says; law citations, ages, letter numbers, page numbers and past events
are never the document's year. `date_roles` gives every hit of `crawler.text.dates.find_dates` one of
ROLES; the audit's scorer (crawler/audit/document_year.py) ranks them.

    heading        in the title, or in the first lines of the text (the heading, a memo's เรื่อง line)
    dated          a day under the heading or beside the signature (ณ วันที่, วัน/เดือน/ปี)
    body           anywhere else
    name           in a file name or URL, beside a year word ("ปีงบ 67", "ปี 2567", "ก.ย.67")
    number         a number that only looks like a year: a bare number in a file name ("2587-…"),
                   a numbered reference in the body ("ครั้งที่ 9/2555", "คำสั่ง ที่ 389/2548")
    letter_number  an outgoing letter's number "ที่ กท ๗๔๐๑/๒๕๖๗": agency code / running number
    citation       the year in a law or regulation's name ("พ.ร.บ. … พ.ศ. 2546", "ตามประกาศ … พ.ศ. 2561")
    age            an age bracket ("ปี 60ขึ้นไป", "อายุ 60 ปี")
    page           a page number ("หน้า 2560")
    history        a past event in a history paragraph: founding, upgrading, renaming

A number after a slash in the *heading* ("คำสั่ง ที่ ๑๕๐/๒๕๖๓", "เอกสารสอบราคาจ้าง เลขที่ 1/2559") is
the heading's year: orders, announcements and tender documents are numbered within a Buddhist Era
year. An outgoing letter's "ที่ <agency code> <number>/<number>" is not: the part after the slash is
the letter's running number (which may happen to read 2567). Everything here is pure text work.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.text.dates import DateHit

ROLES = ("heading", "dated", "body", "name", "number", "letter_number", "citation", "age", "page", "history")
# Roles that never give the document's year.
NOT_THE_YEAR = frozenset({"number", "letter_number", "citation", "age", "page", "history"})

HEAD_LINES = 8          # the first non-empty lines of a text are its heading ...
HEAD_CHARS = 600        # ... up to this many characters
SUBJECT_CHARS = 1200    # a memo's "เรื่อง" line this early is part of its heading too
LOOK_BACK = 120         # characters before a hit read for what it belongs to

_YEAR_WORD = re.compile(r"^(?:ประจำ\s?)?ปี|^[พค]\.?\s?ศ")
# A law, regulation or another paper's name that a year may end: "พ.ร.บ. … พ.ศ. 2546".
_CITATION = re.compile(
    r"(?:พระราชบัญญัติ|พ\.\s?ร\.\s?บ|พ\.\s?ร\.\s?ก|พระราชกฤษฎีกา|พระราชกำหนด|กฎกระทรวง|รัฐธรรมนูญ|ประมวลกฎหมาย"
    r"|ระเบียบ|ข้อบังคับ|ข้อบัญญัติ|เทศบัญญัติ|มติคณะรัฐมนตรี"
    r"|(?:ตาม|อ้างถึง|อาศัย|อาศัยอำนาจตาม|ฉบับ)\s?(?:ประกาศ|คำสั่ง|หนังสือ|แนวทาง|มาตรการ|นโยบาย))")
# Reading a law's name stops at another year or a fiscal-year statement: what follows is new.
_CITATION_BREAK = re.compile(r"ปีงบประมาณ|ประจำปี|[0-9๐-๙]{4}")
# Founding and renaming: a history paragraph's dates. ("เมื่อวันที่ …", "ลงวันที่ …" date events and
# papers the document answers, mostly of its own year: they stay in the body.)
_HISTORY = re.compile(r"ก่อตั้ง|จัดตั้ง|ยกฐานะ|สถาปนา|เปิดดำเนินการ|เปิดให้บริการ|เดิมชื่อ|เปลี่ยนชื่อ|ประวัติ|แยกออกจาก")
_HISTORY_NEAR = 40      # a history word this close before the hit
_SIGNATURE = re.compile(r"(?:ณ|วัน\s?/\s?เดือน\s?/\s?ปี\s?:?)\s*(?:วันที่)?\s*$")
_DAY_LEAD = re.compile(r"วันที่\s*")
_AGE_AFTER = re.compile(r"\s*(?:ปี)?\s*(?:ขึ้นไป|บริบูรณ์|ลงมา|ปีขึ้นไป)")
_AGE_BEFORE = re.compile(r"อายุ\s*(?:ตั้งแต่\s*)?$")
_PAGE_BEFORE = re.compile(r"หน้า(?:ที่)?\s*$")
_SLASH_BEFORE = re.compile(r"[0-9๐-๙]+\s?/\s?$")
_LETTER_NUMBER_BEFORE = re.compile(r"ที่\s*[ก-ฮ]{1,4}\.?\s*[0-9๐-๙][0-9๐-๙.\s]*/\s?$")
_SUBJECT = re.compile(r"^\s*เรื่อง", re.MULTILINE)


def head_end(text: str) -> int:
    """Where a text's heading ends: after its first HEAD_LINES non-empty lines (at most HEAD_CHARS
    characters), or after a memo's "เรื่อง" line if that comes within SUBJECT_CHARS."""
    seen, position = 0, 0
    for line in text.splitlines(keepends=True):
        position += len(line)
        if line.strip():
            seen += 1
        if seen >= HEAD_LINES or position >= HEAD_CHARS:
            break
    end = min(position, HEAD_CHARS)
    subject = _SUBJECT.search(text, 0, SUBJECT_CHARS)
    if subject is not None:
        line_end = text.find("\n", subject.end())
        end = max(end, line_end if line_end >= 0 else len(text))
    return end


def date_roles(text: str, hits: Iterable[DateHit], source: str, *, heading: bool = True) -> list[str]:
    """The role of each hit (ROLES) found in `text`, a resource's `source` ("title", "text",
    "filename", "url", "link_text", "context"). `heading=False` for texts whose first lines are no
    heading (a web page's text starts with its menu)."""
    hits = list(hits)
    if source in ("filename", "url"):
        return [name_role(hit.kind, hit.match) for hit in hits]
    end = head_end(text) if heading and source == "text" else (len(text) if source == "title" else 0)
    return [_role(text, hit, end) for hit in hits]


def name_role(kind: str, match: str) -> str:
    """A date in a file name or URL: "ปีงบ 67", "สขร 1 เดือน ก.ย.67", "ปี 2567", "พ.ศ.2567" say a year
    ("name"); a bare number ("2587-…", "report2568") may be a document or receipt number."""
    if kind != "year" or _YEAR_WORD.match(match):
        return "name"
    return "number"


def _role(text: str, hit: DateHit, head: int) -> str:
    at = hit.position if hit.position >= 0 else text.find(hit.match)
    lead = _DAY_LEAD.match(hit.match)          # "วันที่ 24 เมษายน 2550": the hit holds its own "วันที่"
    before = text[max(0, at - LOOK_BACK):max(at, 0)] + (lead.group() if lead else "")
    after = text[at + len(hit.match):at + len(hit.match) + 20]
    in_head = 0 <= at < head
    if hit.kind == "year":
        digits = re.sub(r"\D", "", hit.match)
        if len(digits) == 2 and (_AGE_AFTER.match(after) or _AGE_BEFORE.search(before)):
            return "age"
        if _PAGE_BEFORE.search(before):
            return "page"
        if _LETTER_NUMBER_BEFORE.search(before):
            return "letter_number"
        if _SLASH_BEFORE.search(before):
            return "heading" if in_head else "number"
        if _cites(before):
            return "citation"
    if _HISTORY.search(before[-_HISTORY_NEAR:]):
        return "history"
    if hit.kind == "day" and (in_head or _SIGNATURE.search(before)):
        return "dated"
    return "heading" if in_head else "body"


def _cites(before: str) -> bool:
    """A law or another paper is named just before the year, with no other year in between."""
    last = None
    for last in _CITATION.finditer(before):
        pass
    return last is not None and not _CITATION_BREAK.search(before, last.end())
