"""User input checked before any crawl starts (issue 14): `-s` settings, the output folder and the
evidence store. Each problem is one line that says what is wrong and what to do (exit 2)."""
from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from crawler.errors import HINT_NEW_STORE, HINT_WRITABLE, InputError

SETTINGS_HELP = ("ดูชื่อค่าตั้งที่ https://docs.scrapy.org/en/latest/topics/settings.html และ crawler/crawl/settings.py / "
                 "see https://docs.scrapy.org/en/latest/topics/settings.html and crawler/crawl/settings.py")
# Settings that bound work: a negative or zero value would switch the bound off or make no sense.
POSITIVE = ("OIT_MAX_PAGES", "OIT_MAX_DEPTH", "OIT_TRAP_BARREN_PAGES", "OIT_MAX_URL_LENGTH",
            "OIT_MAX_LINKS_PER_PAGE", "OIT_MAX_DOCUMENTS", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE",
            "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "CLOSESPIDER_TIMEOUT",
            "OIT_EXTRACT_RECYCLE")
NON_NEGATIVE = ("DOWNLOAD_DELAY", "AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_MAX_DELAY", "RETRY_TIMES",
                "OIT_OCR_MAX_PAGES", "OIT_OCR_TIMEOUT", "OIT_OCR_WORKERS", "OIT_EXTRACT_WORKERS",
                "OIT_EXTRACT_FILE_BYTES", "OIT_EXTRACT_NICE")
# Settings the code reads with a default of its own (not in crawler/crawl/settings.py): their type.
# (The extraction pool's, documented in crawler/extraction/workers.py, are added in known_settings.)
UNLISTED = {"OIT_PROGRESS": True, "OIT_EXTRACT_WORKERS": 0}
BOOLEANS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def known_settings():
    from scrapy.settings import Settings      # Scrapy loads only when a crawl's options are checked

    from crawler.extraction.workers import FILE_BYTES, NICE, RECYCLE
    s = Settings()
    s.setmodule("crawler.crawl.settings", priority="project")
    s.setdict({**UNLISTED, "OIT_EXTRACT_RECYCLE": RECYCLE, "OIT_EXTRACT_FILE_BYTES": FILE_BYTES,
               "OIT_EXTRACT_NICE": NICE}, priority="default")
    return s


def check_settings(pairs: dict) -> dict:
    """`-s NAME=VALUE` pairs converted to the type of each setting's default; a InputError naming the
    setting otherwise (an unknown name, OIT_MAX_PAGES=abc, DOWNLOAD_DELAY=-1)."""
    defaults = known_settings()
    out = {}
    for name, value in pairs.items():
        if name not in defaults:
            raise InputError(f"-s {name}: ไม่มีค่าตั้งชื่อนี้ / no such setting", hint=SETTINGS_HELP)
        default = defaults.get(name)
        if not isinstance(value, str) or isinstance(default, str) or default is None:
            out[name] = value
            continue
        try:
            if isinstance(default, bool):
                converted = BOOLEANS[value.strip().lower()]
            elif isinstance(default, int):
                converted = int(value)
            elif isinstance(default, float):
                converted = float(value)
            else:
                converted = value       # lists and dicts: Scrapy parses them (JSON or comma-separated)
        except (KeyError, ValueError):
            kind = {bool: "true or false", int: "a whole number", float: "a number"}[type(default)]
            kind_th = {bool: "true หรือ false", int: "จำนวนเต็ม", float: "ตัวเลข"}[type(default)]
            raise InputError(f"-s {name}={value}: ต้องเป็น{kind_th} / must be {kind} (default {default!r})",
                             hint=f"ค่าเริ่มต้นคือ / the default is: -s {name}={default!r}") from None
        if name in POSITIVE and converted <= 0 or name in NON_NEGATIVE and converted < 0:
            positive = name in POSITIVE
            raise InputError(f"-s {name}={value}: {'ต้องมากกว่า 0' if positive else 'ต้องเป็น 0 ขึ้นไป'} / must be "
                             f"{'positive' if positive else 'zero or more'} (default {default!r})",
                             hint=f"ค่าเริ่มต้นคือ / the default is: -s {name}={default!r}")
        out[name] = converted
    return out


def check_out_dir(out: Path) -> bool:
    """The report folder can be written: created now, before a crawl that would then have nowhere to go.
    True when it was created here (so that a run that writes nothing can leave no empty folder)."""
    created = not out.exists()
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: เป็นไฟล์ ไม่ใช่โฟลเดอร์ / is a file, not a folder; give a folder for the reports",
                         hint="ระบุโฟลเดอร์สำหรับรายงาน เช่น --out reports / give a folder, e.g. --out reports")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise InputError(f"--out {out}: เขียนไฟล์ที่นี่ไม่ได้ / cannot write there ({exc.strerror or exc}); "
                         "give a folder you can write to", hint=HINT_WRITABLE) from None
    return created


def check_store(db: Path) -> None:
    """The evidence store can be written, and an existing one is a whole SQLite file: found now, not
    after the crawl fetched the site."""
    db = Path(db)
    if not db.exists():
        if not db.parent.is_dir():
            raise InputError(f"--db {db}: ไม่พบโฟลเดอร์ / the folder {db.parent} does not exist",
                             hint="สร้างโฟลเดอร์ก่อน หรือระบุไฟล์ในโฟลเดอร์ที่มีอยู่ / create the folder first, or "
                                  "give a file in a folder that exists")
        why = _unwritable(db.parent)
        if why:
            raise InputError(f"--db {db}: สร้างฐานข้อมูลหลักฐานในโฟลเดอร์นี้ไม่ได้ / cannot create the evidence store "
                             f"in {db.parent} ({why})", hint=HINT_WRITABLE)
        return
    if not db.is_file():
        raise InputError(f"--db {db}: ไม่ใช่ไฟล์ / not a file; give the evidence store's SQLite file",
                         hint="ระบุไฟล์ SQLite เช่น --db evidence.sqlite / give a SQLite file, e.g. --db evidence.sqlite")
    # Writable first: a read-only store in WAL mode cannot even be opened to be checked.
    why = _unwritable(db) or _unwritable(db.parent)     # SQLite writes its -wal and -shm files beside it
    if why:
        raise InputError(f"--db {db}: เขียนฐานข้อมูลหลักฐานไม่ได้ / cannot write the evidence store ({why}); "
                         "give a file you can write to", hint=HINT_WRITABLE)
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in con.execute("PRAGMA quick_check(3)")]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems != ["ok"]:
        raise InputError(f"--db {db}: ฐานข้อมูลหลักฐานเสียหาย / the evidence store is damaged "
                         f"({'; '.join(problems)[:200]}); restore it from a backup or crawl into a new file",
                         hint=HINT_NEW_STORE)


def _unwritable(path: Path) -> str | None:
    """Why `path` (a file, or a folder to create files in) cannot be written, or None. Tried, not
    inferred from permission bits: root writes through those, not through an immutable file."""
    try:
        if path.is_dir():
            with tempfile.TemporaryFile(dir=path):
                pass
        else:
            with path.open("ab"):          # opened for writing, nothing written
                pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None
