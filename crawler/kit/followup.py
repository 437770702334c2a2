"""Follow-up in Excel: the "ต้องแก้ไข" sheet of report.xlsx, filled in by the working group, read back into
the overrides file (crawler/kit/overrides.py), so the next report applies and shows it.

Staff fill, on the rows of the elements they fixed or checked by hand: ผลหลังตรวจสอบ (ผ่าน / ได้บางส่วน 50 /
ไม่ผ่าน / ต้องตรวจสอบ, or a score 0–100), ผู้ตรวจสอบ, วันที่ตรวจ (2024-07-15, 15/07/2567 or an Excel date),
and optionally หมายเหตุ and URL ที่เผยแพร่. Rows left blank are not overrides. An item's filled rows must
agree on one result (the override is per item); their notes are kept with the element each came from.

    entries = read_follow_up(Path("out/report.xlsx"))      # [{"item": "O5", "status": "ผ่าน", ...}]
    merged = merge_overrides(existing_yaml_data, entries, fiscal_year)

The entries then go through parse_overrides, the same validation and audit trail (who, date, note, what
the audit said) as a hand-written file.
"""
from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crawler.kit.overrides import OverrideError
from crawler.text.dates import parse_typed_date

SHEET = "ต้องแก้ไข"
SUMMARY_SHEET = "สรุป"
COLUMNS = {"item": "รหัส", "element": "องค์ประกอบ", "result": "ผลหลังตรวจสอบ", "url": "URL ที่เผยแพร่",
           "note": "หมายเหตุ", "who": "ผู้ตรวจสอบ", "date": "วันที่ตรวจ"}
MAX_BYTES = 20_000_000          # a workbook from this tool is well under 1 MB
MAX_ROWS = 5_000                # 22 items, a handful of elements each
FOLLOWUP_HINT = (f"ใช้ report.xlsx ที่ oit เขียน กรอกคอลัมน์ {COLUMNS['result']} {COLUMNS['who']} {COLUMNS['date']} ในแผ่นงาน "
                 f"{SHEET} แล้วนำเข้าอีกครั้ง / use the report.xlsx oit wrote, fill the result, who and date "
                 f"columns of the {SHEET} sheet, then import it again")


class FollowUpError(OverrideError):
    """A follow-up workbook that cannot be imported (an OverrideError: the same audit trail rules)."""
    default_hint = FOLLOWUP_HINT


_RESULT = re.compile(r"^\s*(?P<word>[^\d]*?)\s*(?P<score>\d+(?:\.\d+)?)?\s*%?\s*$")


def read_follow_up(path: Path) -> tuple[list[dict[str, Any]], int | None]:
    """(override entries, the workbook's fiscal year) from a filled report.xlsx; OverrideError otherwise.

    Read with pandas' calamine engine (a runtime dependency already), every cell as Python values."""
    import pandas as pd
    from python_calamine import CalamineError

    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise FollowUpError(f"{path}: ไฟล์ใหญ่เกิน {MAX_BYTES // 1_000_000} MB / workbook too large")
        with pd.ExcelFile(path, engine="calamine") as book:
            if SHEET not in book.sheet_names:
                raise FollowUpError(f"{path}: ไม่มีแผ่นงาน '{SHEET}' — ใช้ report.xlsx ที่ oit สร้าง "
                                    f"(no '{SHEET}' sheet: use the report.xlsx oit wrote)")
            sheet = pd.read_excel(book, sheet_name=SHEET, dtype=object, nrows=MAX_ROWS)
            summary = pd.read_excel(book, sheet_name=SUMMARY_SHEET, dtype=object, nrows=60) \
                if SUMMARY_SHEET in book.sheet_names else None
    except FileNotFoundError:
        raise FollowUpError(f"{path}: ไม่พบไฟล์ / no such file") from None
    except (CalamineError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FollowUpError(f"{path}: เปิดเป็นไฟล์ Excel (.xlsx) ไม่ได้ / not an .xlsx workbook: {exc}") from None
    missing = [c for c in COLUMNS.values() if c not in sheet.columns]
    if missing:
        raise FollowUpError(f"{path}: แผ่นงาน '{SHEET}' ไม่มีคอลัมน์ {', '.join(missing)} "
                            f"(sheet '{SHEET}' lacks columns {', '.join(missing)}; write the report again)")
    sheet = sheet.astype(object).where(sheet.notna(), None)
    filled: dict[str, list[dict[str, Any]]] = {}
    for n, row in enumerate(sheet.to_dict("records"), start=2):      # row 1 is the header
        cell = {key: row[name] for key, name in COLUMNS.items()}
        if _blank(cell["result"]) and _blank(cell["url"]):
            continue
        cell["row"] = n
        filled.setdefault(str(cell["item"] or "").strip(), []).append(cell)
    return [_entry(item, cells, path) for item, cells in filled.items()], _fiscal_year(summary)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _entry(item: str, cells: list[dict[str, Any]], path: Path) -> dict[str, Any]:
    where = f"{path}: แผ่นงาน/sheet {SHEET} แถว/row {', '.join(str(c['row']) for c in cells)} ({item or '?'})"
    results = {_result(c["result"], where) for c in cells if not _blank(c["result"])}
    if len(results) > 1:
        raise FollowUpError(f"{where}: ผลหลังตรวจสอบของข้อเดียวกันต้องเหมือนกันทุกแถว (ผลปรับเป็นรายข้อ) "
                            f"/ rows of one item must give one result")
    entry: dict[str, Any] = {"item": item}
    if results:
        status, score = results.pop()
        if status is not None:
            entry["status"] = status
        if score is not None:
            entry["score"] = score
    urls = list(dict.fromkeys(str(c["url"]).strip() for c in cells if not _blank(c["url"])))
    if len(urls) > 1:
        raise FollowUpError(f"{where}: ใส่ URL ที่เผยแพร่ได้ข้อละหนึ่ง URL / one published URL per item")
    if urls:
        entry["url"] = urls[0]
    notes = [f"{c['element']}: {str(c['note']).strip()}" if c["element"] else str(c["note"]).strip()
             for c in cells if not _blank(c["note"])]
    if notes:
        entry["note"] = "; ".join(dict.fromkeys(notes))
    who = list(dict.fromkeys(str(c["who"]).strip() for c in cells if not _blank(c["who"])))
    if who:
        entry["who"] = ", ".join(who)
    days = [_day(c["date"], where) for c in cells if not _blank(c["date"])]
    if days:
        entry["date"] = max(days)           # the last check of the item's rows
    return entry


def _result(value: Any, where: str) -> tuple[str | None, float | None]:
    """'ผ่าน' -> ('ผ่าน', None); 'ได้บางส่วน 50' -> ('ได้บางส่วน', 50.0); 75 -> (None, 75.0)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None, float(value)
    match = _RESULT.match(str(value))
    if not match:
        raise FollowUpError(f"{where}: อ่านผลหลังตรวจสอบ {value!r} ไม่ได้ (เช่น ผ่าน, ได้บางส่วน 50, ไม่ผ่าน) "
                            f"/ cannot read the result {value!r}")
    word = match["word"].strip() or None
    score = float(match["score"]) if match["score"] else None
    return word, score


def _day(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    day = parse_typed_date(str(value))
    if day is None:
        raise FollowUpError(f"{where}: อ่านวันที่ตรวจ {value!r} ไม่ได้ (เช่น 2024-07-15 หรือ 15/07/2567) "
                            f"/ cannot read the date {value!r}")
    return day


def _fiscal_year(summary) -> int | None:
    if summary is None or "หัวข้อ" not in summary.columns:
        return None
    for topic, value in zip(summary["หัวข้อ"], summary["ค่า"]):
        if topic == "ปีงบประมาณ (พ.ศ.)" and isinstance(value, (int, float)) and value == value:
            return int(value)
    return None


def merge_overrides(existing: Any, entries: list[dict[str, Any]], fiscal_year: int | None) -> dict[str, Any]:
    """The overrides file's data with the sheet's entries in place of the same items' earlier ones."""
    if isinstance(existing, dict):
        kept = list(existing.get("overrides") or [])
        fiscal_year = fiscal_year or existing.get("fiscal_year")
    else:
        kept = list(existing or [])
    new_items = {e["item"] for e in entries}
    kept = [e for e in kept if not (isinstance(e, dict) and str(e.get("item", "")).strip().upper() in new_items)]
    data: dict[str, Any] = {}
    if fiscal_year:
        data["fiscal_year"] = fiscal_year
    data["overrides"] = kept + entries
    return data
