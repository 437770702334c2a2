"""Overrides: what the working group checked by hand, applied on top of an audit.

A crawler cannot see everything: an e-service on BMA's central system that needs a login, a document
the assessor was shown at the office. The ITA working group keeps those findings in one YAML file:

    # overrides.yaml
    fiscal_year: 2567                      # optional: refuse to apply to another year's audit
    overrides:
      - item: O8
        status: pass                       # pass | partial | fail | review | unreachable (or Thai: ผ่าน …)
        url: https://service.bangkok.go.th/  # optional: the URL to give the assessor for this item
        note: ระบบ e-service อยู่บนระบบกลาง BMA OSS ตรวจสอบแล้วใช้งานได้
        who: นายสมชาย ใจดี (ฝ่ายปกครอง)
        date: 2024-06-25                   # the day it was checked
      - item: O9
        score: 50                          # a score alone sets the status (100 pass, 0 fail, else partial)
        who: ฝ่ายรายได้
        date: 2024-06-26

`apply_overrides(report, overrides, checklist)` is a pure post-step: it returns a new report whose
overridden items carry an `override` record (who, when, note, and what the audit said), whose scores are
recomputed with crawler/audit/scoring.py, and which says in `overrides` what the score is with and without them.
The audit itself and the evidence store are never changed, so dropping the file gives the audit back.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from crawler.audit.checklist import Checklist
from crawler.audit.scoring import ita, score_oit
from crawler.audit.status import STATUS_LABELS, ItemStatus, status_th
from crawler.errors import HINT_OVERRIDES, InputError
from crawler.text.format import fmt_num, thai_date
from crawler.text.userfile import read_user_file

# The score a status alone sets (partial needs a score of its own).
STATUS_SCORES: dict[str, float | None] = {ItemStatus.PASS: 100.0, ItemStatus.FAIL: 0.0, ItemStatus.PARTIAL: None,
                                          ItemStatus.REVIEW: 0.0, ItemStatus.UNREACHABLE: 0.0}
# A status may be written in Thai, as every report labels it (and "ผ่านบางส่วน", as people say it).
THAI_STATUSES = {**{th: str(status) for status, (th, _) in STATUS_LABELS.items()}, "ผ่านบางส่วน": "partial"}
FIELDS = ("item", "status", "score", "url", "note", "who", "date")


class OverrideError(InputError, ValueError):
    """An overrides file that cannot be used; one line naming the file, the entry and the problem."""
    default_hint = HINT_OVERRIDES


@dataclass(frozen=True)
class Override:
    item: str
    who: str
    date: date                      # the day the group checked it
    note: str = ""
    status: str | None = None       # None: only a URL is given
    score: float | None = None
    url: str | None = None

    @property
    def changes_score(self) -> bool:
        return self.status is not None

    def record(self) -> dict:
        return {"who": self.who, "date": self.date.isoformat(), "note": self.note or None,
                "status": self.status, "score": self.score, "url": self.url}


# -- reading ----------------------------------------------------------------------------------------

def load_overrides(path: str | Path, checklist: Checklist, fiscal_year: int | None = None) -> list[Override]:
    """Read and validate an overrides YAML file; OverrideError with a one-line message otherwise."""
    data = read_user_file(path, "ไฟล์ overrides", "overrides file", OverrideError)
    return parse_overrides(data, checklist, fiscal_year, where=str(path))


def parse_overrides(data: Any, checklist: Checklist, fiscal_year: int | None = None,
                    where: str = "overrides") -> list[Override]:
    """Validate raw overrides data (a list, or a mapping with `overrides:` and optional `fiscal_year:`)."""
    def fail(th: str, en: str, entry: str = "") -> None:
        raise OverrideError(f"{where}: {entry + ': ' if entry else ''}{th} / {en}")

    if data is None:
        return []
    if isinstance(data, dict):
        extra = sorted(str(k) for k in data if k not in ("overrides", "fiscal_year"))
        if extra:
            fail(f"ไม่รู้จักหัวข้อ '{extra[0]}' (ใช้ได้: overrides, fiscal_year)",
                 f"unknown key '{extra[0]}' (expected overrides, fiscal_year)")
        declared = data.get("fiscal_year")
        if declared is not None and fiscal_year is not None and _as_int(declared) != fiscal_year:
            fail(f"ไฟล์นี้สำหรับปีงบประมาณ {declared} แต่ตรวจปีงบประมาณ {fiscal_year}",
                 f"this file is for fiscal year {declared}, the audit is for {fiscal_year}")
        entries = data.get("overrides")
        if entries is None:
            return []
    else:
        entries = data
    if not isinstance(entries, list):
        fail("ต้องเป็นรายการ (list) ของข้อที่ปรับผล", "expected a list of overrides")

    known = set(checklist.item_ids)
    seen: dict[str, int] = {}
    result = []
    for n, raw in enumerate(entries, start=1):
        label = f"รายการที่/entry {n}"
        if not isinstance(raw, dict):
            fail("ต้องเป็น mapping (item, status, who, date …)", "expected a mapping (item, status, who, date …)", label)
        extra = sorted(str(k) for k in raw if k not in FIELDS)
        if extra:
            fail(f"ไม่รู้จักหัวข้อ '{extra[0]}' (ใช้ได้: {', '.join(FIELDS)})",
                 f"unknown field '{extra[0]}' (expected {', '.join(FIELDS)})", label)
        item = _item_id(raw.get("item"))
        if item is None:
            fail("ไม่ได้ระบุข้อ (item: O1–O22)", "missing item (item: O1–O22)", label)
        label = f"รายการที่/entry {n} ({item})"
        if item not in known:
            fail(f"ไม่มีข้อ {item} ในเกณฑ์ {checklist.id}", f"unknown item {item} in checklist {checklist.id}", label)
        if item in seen:
            fail(f"ข้อ {item} ซ้ำกับรายการที่ {seen[item]}", f"{item} is already overridden in entry {seen[item]}", label)
        seen[item] = n
        status, score = _status_and_score(raw, fail, label)
        url = _url(raw.get("url"), fail, label)
        if status is None and url is None:
            fail("ต้องระบุ status, score หรือ url อย่างน้อยหนึ่งอย่าง", "give a status, a score or a url", label)
        who = raw.get("who")
        if not isinstance(who, str) or not who.strip():
            fail("ต้องระบุผู้ตรวจสอบ (who)", "missing who (the person or unit who checked)", label)
        checked = _date(raw.get("date"))
        if checked is None:
            fail("ต้องระบุวันที่ตรวจสอบ (date: YYYY-MM-DD)", "missing or bad date (date: YYYY-MM-DD)", label)
        note = raw.get("note")
        if note is not None and not isinstance(note, (str, int, float)):
            fail("note ต้องเป็นข้อความ", "note must be text", label)
        result.append(Override(item=item, who=who.strip(), date=checked, note=str(note or "").strip(),
                               status=status, score=score, url=url))
    return result


def _as_int(value: Any) -> Any:
    try:
        return int(str(value).strip())
    except ValueError:
        return value


def _item_id(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().upper()
    if text[:1] in ("O", "○") and text[1:].isdigit():     # "o8", "O08", "○8"
        return f"O{int(text[1:])}"
    return text or None


def _status_and_score(raw: dict, fail, label: str) -> tuple[str | None, float | None]:
    status = raw.get("status")
    if status is not None:
        text = str(status).strip()
        status = THAI_STATUSES.get(text, text.lower())
        if status not in STATUS_SCORES:
            fail(f"status '{text}' ไม่ถูกต้อง (ใช้ได้: {', '.join(STATUS_SCORES)})",
                 f"bad status '{text}' (expected {', '.join(STATUS_SCORES)})", label)
    score = raw.get("score")
    if score is not None:
        if isinstance(score, bool) or not isinstance(score, (int, float)) or math.isnan(score) \
                or not 0 <= score <= 100:
            fail(f"score ต้องเป็นตัวเลข 0–100 (ได้ {score!r})", f"score must be a number from 0 to 100, got {score!r}",
                 label)
        score = float(score)
    if status is None and score is None:
        return None, None
    if status is None:
        status = "pass" if score == 100 else "fail" if score == 0 else "partial"
    fixed = STATUS_SCORES[status]
    if score is None:
        if fixed is None:
            fail("status partial ต้องระบุ score (เช่น 50)", "status partial needs a score (e.g. 50)", label)
        score = fixed
    elif status in ("pass", "fail") and score != fixed:
        fail(f"status {status} ต้องมี score {fixed:g} (ได้ {score:g})",
             f"status {status} means score {fixed:g}, got {score:g}", label)
    elif status == "partial" and not 0 < score < 100:
        fail("status partial ต้องมี score มากกว่า 0 และน้อยกว่า 100", "status partial needs 0 < score < 100", label)
    return status, score


def _url(value: Any, fail, label: str) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
        fail(f"url ต้องขึ้นต้นด้วย http:// หรือ https:// (ได้ {text!r})", f"url must be an http(s) address, got {text!r}",
             label)
    return text


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


# -- applying ---------------------------------------------------------------------------------------

def apply_overrides(report: dict, overrides: Iterable[Override], checklist: Checklist, *,
                    source: str | None = None) -> dict:
    """A new report with the overrides applied and recorded; `report` itself is not changed."""
    overrides = list(overrides)
    if not overrides:
        return report
    out = copy.deepcopy(report)
    published = out.get("published", True) is not False
    by_id = {item["id"]: item for item in out["items"]}
    for override in overrides:
        item = by_id.get(override.item)
        if item is None:
            raise OverrideError(f"{source or 'overrides'}: ไม่มีข้อ {override.item} ในรายงาน / "
                                f"item {override.item} is not in the report",
                                hint="ลบข้อนั้นออกจากไฟล์ หรือใช้เกณฑ์ปีที่มีข้อนั้น (--checklist) / remove the item "
                                     "from the file, or use the checklist that has it (--checklist)")
        record = override.record()
        record["audit_status"], record["audit_score"] = item.get("status"), item.get("score")
        record["label_th"] = override_line(record)
        item["override"] = record
        if override.changes_score and published:
            item["status"], item["score"] = override.status, override.score
            item["points_lost"] = item["points"] * (100 - override.score) / 100
            if override.status == "pass":
                item["fix_th"] = None

    summary: dict[str, Any] = {
        "source": source, "count": len(overrides), "items": [o.item for o in overrides],
        "changes_score": [o.item for o in overrides if o.changes_score],
        "without": _scores(report), "with": None,
    }
    if published:
        # A partial audit's items not checked count 0, as in its published lower bound.
        result = score_oit({item["id"]: item["score"] or 0.0 for item in out["items"]}, checklist)
        out.update(oit_points=result.oit_points, oit_score=result.oit_score, indicators=result.indicators)
        for key, status in (("missing_items", "fail"), ("partial_items", "partial"), ("review_items", "review"),
                            ("unreachable_items", "unreachable"), ("not_checked_items", "not_checked")):
            if key in out or status in ("fail", "partial"):
                out[key] = [i["id"] for i in out["items"] if i["status"] == status]
        if out.get("ita"):
            survey = _survey_of(out["ita"], checklist)
            out["ita"] = ita(result.oit_points, survey, checklist)
    summary["with"] = _scores(out)
    out["overrides"] = summary
    return out


def _survey_of(ita_block: dict, checklist: Checklist) -> dict:
    indicators = ita_block.get("indicators") or {}
    weights = checklist.weights
    return {"iit": {k: indicators[k] for k in weights.iit.indicators},
            "eit": {k: indicators[k] for k in weights.eit.indicators}}


def _scores(report: dict) -> dict:
    ita_block = report.get("ita") or {}
    return {"oit_points": report.get("oit_points"), "oit_score": report.get("oit_score"),
            "ita_total": ita_block.get("total"), "level_th": ita_block.get("level_th"),
            "level_en": ita_block.get("level_en")}


def override_line(record: dict) -> str:
    """'ปรับผลโดยคณะทำงาน: ผ่าน (เดิม ไม่ผ่าน 0) — นายสมชาย, 25 มิ.ย. 2567 — note' for any report format."""
    parts = []
    if record.get("status"):
        now = status_th(record["status"])
        was = status_th(record.get("audit_status") or "—")
        parts.append(f"{now} {fmt_num(record.get('score'))} (ผลตรวจอัตโนมัติ {was} {fmt_num(record.get('audit_score'))})")
    if record.get("url"):
        parts.append(f"URL ที่ใช้: {record['url']}")
    head = "ปรับผลโดยคณะทำงาน: " + "; ".join(parts)
    who = f"{record.get('who')}, ตรวจเมื่อ {thai_date(record.get('date'), short=True)}"
    return " — ".join(p for p in (head, who, record.get("note") or "") if p)
