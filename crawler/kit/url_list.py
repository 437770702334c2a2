"""The URL list of `oit audit --urls FILE`: the URLs the working group will type into the ITA system.

Read from the sheet `oit submit-sheet` writes (submit-sheet.xlsx or .txt), any Excel/CSV with an item
column (O1..O22) and URL cells, or plain lines of URLs. An item number on a row (or, in text, on the
line above a run of URLs) names the item its URLs are for; a list without item numbers is judged as a
whole. Warning lines of the sheet (⚠, ↳, ✎) are notes, not URLs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from crawler.errors import HINT_URL_LIST, InputError
from crawler.text.urls import canonical

MAX_LIST_BYTES = 20 * 1024 * 1024
MAX_URLS = 2000                      # the ITA system takes a few URLs per item; a list of thousands is a mistake
_ITEM = re.compile(r"^\s*[Oo]\s*0*([1-9]\d?)\b")
_URL = re.compile(r"https?://[^\s<>\"']+")
_NOTE_MARKS = ("⚠", "↳", "✎", "#")


@dataclass(frozen=True)
class ListedUrl:
    url: str
    item_id: str | None = None       # "O5" where the list names the item


def read_url_list(path: str | Path) -> list[ListedUrl]:
    """The listed URLs in order, each (item, URL) once; an InputError saying what is wrong otherwise."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: ไม่พบไฟล์รายการ URL / no such URL list", hint=HINT_URL_LIST)
    if path.stat().st_size > MAX_LIST_BYTES:
        raise InputError(f"{path}: ไฟล์รายการ URL ใหญ่เกิน / the URL list is over {MAX_LIST_BYTES >> 20} MB",
                         hint=HINT_URL_LIST)
    suffix = path.suffix.lower()
    try:
        lines = _table_lines(path, suffix) if suffix in (".xlsx", ".xls", ".csv") else \
            path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: อ่านไฟล์รายการ URL ไม่ได้ / cannot read the URL list: {exc}",
                         hint=HINT_URL_LIST) from None
    listed = _parse(lines)
    if not listed:
        raise InputError(f"{path}: ไม่พบ URL (http/https) ในไฟล์ / no http(s) URL in the list", hint=HINT_URL_LIST)
    if len(listed) > MAX_URLS:
        raise InputError(f"{path}: มี URL {len(listed)} รายการ เกิน {MAX_URLS} / more than {MAX_URLS} URLs",
                         hint=f"แบ่งเป็นหลายไฟล์ ไฟล์ละไม่เกิน {MAX_URLS} / split it into files of {MAX_URLS} URLs "
                              "at most")
    return listed


def _table_lines(path: Path, suffix: str) -> list[str]:
    """A workbook or CSV as text lines, one a row: the item cell first, then each cell that is a URL
    (a cell may hold several, one a line, as the sheet's "URL อื่น ๆ" does). Other cells (what a URL
    shows, warnings) are left out: their text may quote URLs that are not the list."""
    import pandas as pd
    frame = (pd.read_csv(path, header=None, dtype=str, keep_default_na=False) if suffix == ".csv"
             else pd.read_excel(path, header=None, dtype=str, sheet_name=0).fillna(""))
    lines = []
    for row in frame.itertuples(index=False):
        cells = [str(c).strip() for c in row]
        item = next((c for c in cells if _ITEM.fullmatch(c.split()[0] if c else "") and len(c) <= 4), "")
        urls = [u for c in cells for u in c.splitlines() if _URL.fullmatch(u.strip())]
        lines.append(" ".join([item, *urls]).strip())
    return lines


def _parse(lines: list[str]) -> list[ListedUrl]:
    listed: dict[tuple[str | None, str], None] = {}
    current: str | None = None
    # In a list that names items, URLs above the first item (the sheet's heading names the site) are not the list.
    named = any(_ITEM.match(line.strip()) for line in lines)
    for line in lines:
        text = line.strip()
        if not text or text.startswith(_NOTE_MARKS):
            continue
        item = _ITEM.match(text)
        urls = _URL.findall(text)
        if item:
            current = f"O{int(item.group(1))}"
        elif not urls:
            current = None if text.startswith(("---", "===")) else current
            continue
        for url in urls if (current or not named) else []:
            try:
                listed[(current, canonical(url.rstrip(".,;)")))] = None
            except ValueError:
                continue
    return [ListedUrl(url, item) for item, url in listed]


MAX_DIR_FILES = 5000
MAX_DIR_DEPTH = 6
_ITEM_FOLDER = re.compile(r"^[Oo]\s*0*([1-9]\d?)(?:\b|_|$)")
DIR_HINT = (f"ระบุโฟลเดอร์เอกสารที่จะอัปโหลด (ไม่เกิน {MAX_DIR_FILES} ไฟล์ แยกโฟลเดอร์ย่อยตามข้อได้ เช่น O9) / give the "
            f"folder of documents to upload (at most {MAX_DIR_FILES} files, sub-folders per item such as O9 allowed)")


def read_folder(folder: str | Path) -> list[ListedUrl]:
    """The files of a folder the working group is about to upload, as file:// URLs in name order. A
    folder named for an item (O05/, "O5 แผนการดำเนินงาน/") is a hint of the item, never proof; hidden
    files and folders are left out; the walk is bounded in depth and count."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{root}: ไม่พบโฟลเดอร์ / no such folder", hint=DIR_HINT)
    found: list[ListedUrl] = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith((".", "~$")) for part in relative.parts) or len(relative.parts) > MAX_DIR_DEPTH:
            continue
        if not path.is_file() or path.is_symlink():      # a link out of the folder is not the folder's file
            continue
        if len(found) >= MAX_DIR_FILES:
            raise InputError(f"{root}: มีไฟล์เกิน {MAX_DIR_FILES} ไฟล์ / more than {MAX_DIR_FILES} files",
                             hint=DIR_HINT)
        hint = next((m for part in relative.parts[:-1] if (m := _ITEM_FOLDER.match(part))), None)
        found.append(ListedUrl(path.resolve().as_uri(), f"O{int(hint.group(1))}" if hint else None))
    if not found:
        raise InputError(f"{root}: ไม่มีไฟล์ในโฟลเดอร์ / the folder holds no files", hint=DIR_HINT)
    return found
