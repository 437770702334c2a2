"""The evidence store: one SQLite file holding runs, resources, links, extracted texts and audits.

Written as the crawl goes, one short transaction per resource, so a crash or Ctrl-C loses nothing that
was already fetched and leaves the run marked `incomplete`. A finished run is immutable (enforced by
triggers, not just by politeness). Extracted texts are keyed by content hash, so an unchanged document
is extracted once across all runs, and an unchanged page keeps its extraction and the links of the row
that first stored them (its own row names that row: a re-crawl of an unchanged site adds no link rows).
Every write is an indexed lookup or an upsert: its cost does not grow with the number of runs stored.
"""
from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from crawler.errors import HINT_NEW_STORE, HINT_RUNS, HINT_STORE, HINT_WRITABLE, InputError
from crawler.evidence.model import DateFound, LinkRef, Resource, RunEvidence, Table
from crawler.text.urls import same_site

DEFAULT_DB = Path(os.environ.get("OIT_DB", "oit-evidence.sqlite"))

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id           INTEGER PRIMARY KEY,
    site_url     TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    status       TEXT NOT NULL DEFAULT 'running',  -- running | complete | incomplete | failed
    pid          INTEGER,
    settings     TEXT NOT NULL DEFAULT '{}',
    stats        TEXT NOT NULL DEFAULT '{}',
    tool_version TEXT
);
CREATE TABLE IF NOT EXISTS texts (
    sha256       TEXT PRIMARY KEY,
    extractor    TEXT NOT NULL,    -- extractor name and version: a new version re-extracts
    format       TEXT,
    title        TEXT,
    text         TEXT,
    text_layer   TEXT,
    language     TEXT,
    pages        INTEGER,
    tables       TEXT NOT NULL DEFAULT '[]',
    ocr          TEXT,
    warnings     TEXT NOT NULL DEFAULT '[]',
    error        TEXT,
    dates        TEXT NOT NULL DEFAULT '[]'  -- dates found in the title and text
);
CREATE TABLE IF NOT EXISTS resources (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES runs(id),
    url           TEXT NOT NULL,
    final_url     TEXT,
    kind          TEXT NOT NULL,   -- page | document | external
    depth         INTEGER,
    referer       TEXT,
    ok            INTEGER NOT NULL,
    status        INTEGER,
    error_kind    TEXT,
    error         TEXT,
    content_type  TEXT,
    size          INTEGER,
    sha256        TEXT REFERENCES texts(sha256),
    fetched_at    TEXT,
    last_modified TEXT,
    etag          TEXT,
    filename      TEXT,
    on_site       INTEGER NOT NULL DEFAULT 1,
    from_cache    INTEGER NOT NULL DEFAULT 0,
    dates         TEXT NOT NULL DEFAULT '[]',
    links_of      INTEGER,         -- an unchanged page: the earlier row whose page_links are its links
    UNIQUE (run_id, url)
);
-- A page's links, stored once by the row of the first run that saw the page with this content at this
-- address; a later run's unchanged page names that row (resources.links_of) instead of copying them.
-- Site-wide navigation is a property of a run (the links on most of its pages): Store.load_run
-- finds it when the run is read. (A run's page rows may hold later runs' links: whatever removes a
-- run one day must keep the rows that resources.links_of names.)
CREATE TABLE IF NOT EXISTS page_links (
    id          INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL,    -- the page's row in resources
    target_url  TEXT NOT NULL,
    text        TEXT,
    context     TEXT,
    heading     TEXT,
    in_nav      INTEGER NOT NULL DEFAULT 0   -- inside nav/header/footer markup
);
CREATE INDEX IF NOT EXISTS page_links_resource ON page_links(resource_id);
-- Stores made before page_links: each run's links, a row per link per run (read as they are; an
-- unchanged page of a new run copies its links from here into page_links once).
CREATE TABLE IF NOT EXISTS links (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    source_url  TEXT NOT NULL,
    target_url  TEXT NOT NULL,
    text        TEXT,
    context     TEXT,
    heading     TEXT,
    in_nav      INTEGER NOT NULL DEFAULT 0,  -- inside nav/header/footer markup
    is_nav      INTEGER NOT NULL DEFAULT 0,  -- site-wide navigation (markup or on most pages)
    resource_id INTEGER                      -- the source page's row in resources (NULL: older stores)
);
CREATE INDEX IF NOT EXISTS resources_run ON resources(run_id);
-- The write path's lookups, O(log n) in stored history (issue 16): a texts row's children for the
-- foreign key check, and "this content at this URL in an earlier run" (a page whose extraction and
-- links are reused). CREATE ... IF NOT EXISTS on every open is also the migration of older stores.
CREATE INDEX IF NOT EXISTS resources_content ON resources(sha256, url, run_id);
-- Every audit of a run (history, diffs): the report.json as written, one row per judgement inputs.
CREATE TABLE IF NOT EXISTS audits (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES runs(id),
    checklist    TEXT NOT NULL,
    fiscal_year  INTEGER NOT NULL,
    as_of        TEXT NOT NULL,
    generated_at TEXT,
    oit_score    REAL,             -- NULL when not published
    published    INTEGER NOT NULL, -- 0: the crawl was unhealthy, the score is not the site's score
    report       TEXT NOT NULL,    -- report.json
    UNIQUE (run_id, checklist, fiscal_year, as_of)
);

CREATE TRIGGER IF NOT EXISTS resources_frozen BEFORE INSERT ON resources
WHEN (SELECT status FROM runs WHERE id = NEW.run_id) = 'complete'
BEGIN SELECT RAISE(ABORT, 'run is finished and immutable'); END;
CREATE TRIGGER IF NOT EXISTS resources_frozen_upd BEFORE UPDATE ON resources
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'complete'
BEGIN SELECT RAISE(ABORT, 'run is finished and immutable'); END;
CREATE TRIGGER IF NOT EXISTS links_frozen BEFORE INSERT ON links
WHEN (SELECT status FROM runs WHERE id = NEW.run_id) = 'complete'
BEGIN SELECT RAISE(ABORT, 'run is finished and immutable'); END;
CREATE TRIGGER IF NOT EXISTS page_links_frozen BEFORE INSERT ON page_links
WHEN (SELECT runs.status FROM resources JOIN runs ON runs.id = resources.run_id
      WHERE resources.id = NEW.resource_id) = 'complete'
BEGIN SELECT RAISE(ABORT, 'run is finished and immutable'); END;
CREATE TRIGGER IF NOT EXISTS runs_frozen BEFORE UPDATE ON runs
WHEN OLD.status = 'complete'
BEGIN SELECT RAISE(ABORT, 'run is finished and immutable'); END;
"""

# A run's links and one page's links, by their source page's row (Store._migrate_links adds it to older
# stores). It replaced two indexes on full URLs, (run_id, source_url) and (run_id, target_url): a
# district's Thai URLs are percent-encoded, 165 characters a target and 418 a source on the bench site,
# so those indexes were half of a run's links on disk (118 -> 62 MB) and 0.66 of the 1.02 CPU s
# its 81,300 links took to write, on the crawl process's busy thread.
_LINKS_INDEX = "CREATE INDEX IF NOT EXISTS links_resource ON links(run_id, resource_id)"
# The index stores made before it kept; their links without resource_id are found by it.
_LEGACY_SOURCE_INDEX = "links_run_source"

# A link present on at least this share of the run's pages is site-wide navigation.
NAV_SHARE = 0.5
NAV_MIN_PAGES = 3


_TEXT_COLUMNS = ("sha256", "extractor", "format", "title", "text", "text_layer", "language", "pages", "tables",
                 "ocr", "warnings", "error", "dates")
# An upsert, not INSERT OR REPLACE: a replace deletes the row first, and the foreign key check of that
# delete looks for resources still pointing at it. The row is rewritten only when something changed
# (a new extractor version, OCR now available), never for the same content extracted again.
_UPSERT_TEXT = (
    f"INSERT INTO texts ({', '.join(_TEXT_COLUMNS)}) VALUES ({', '.join('?' * len(_TEXT_COLUMNS))})"
    " ON CONFLICT (sha256) DO UPDATE SET "
    + ", ".join(f"{c}=excluded.{c}" for c in _TEXT_COLUMNS[1:])
    + " WHERE " + " OR ".join(f"texts.{c} IS NOT excluded.{c}" for c in _TEXT_COLUMNS[1:]))


class StoreError(InputError):
    """A clear, user-facing problem with the evidence store."""
    default_hint = HINT_STORE


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def is_storage_failure(exc: BaseException) -> bool:
    """The disk or the store failed under a write (full disk, a file-size or quota limit, an I/O error,
    a store file that became corrupt): the run cannot go on. A lock is not one (it is waited out), nor
    is a write the store refuses for its own data (a constraint, a value SQLite cannot bind: a bug of
    ours, that record's alone)."""
    if isinstance(exc, (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError)):
        return False
    if isinstance(exc, sqlite3.DatabaseError):
        return not is_locked(exc)
    return isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS


STORAGE_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO, errno.EROFS}


def is_locked(exc: BaseException) -> bool:
    """SQLite's answer while another connection holds the write lock."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


class Store:
    _undoable = True          # a write inside grouped() has a savepoint of its own (grouped(undoable=False))

    @classmethod
    def existing(cls, path: str | os.PathLike) -> Store:
        """The store at `path` for a command that only reads it: a missing file is said so, never
        created empty."""
        if not Path(path).is_file():
            raise StoreError(f"ไม่พบฐานข้อมูลหลักฐาน {path} / no evidence store at {path}",
                             hint=HINT_STORE)
        return cls(path)

    def __init__(self, path: str | os.PathLike = DEFAULT_DB, *, lock_timeout: float = 5.0):
        """lock_timeout: seconds one write waits for another process's lock before SQLite gives up
        (the crawl's writer waits little here and retries without blocking the crawl)."""
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            raise StoreError(f"ไม่พบโฟลเดอร์ของฐานข้อมูลหลักฐาน / folder for the evidence store does not exist: "
                             f"{self.path.parent}")
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                      timeout=lock_timeout)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            try:
                self.db.executescript(SCHEMA)
            except sqlite3.OperationalError as exc:
                # An older store on read-only media is read as it is; an empty file there is no store.
                if "readonly" not in str(exc) or self.db.execute(
                        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'").fetchone() is None:
                    raise
            self._migrate_links()
            self.page_links = self.db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'page_links'").fetchone() is not None
        except sqlite3.DatabaseError as exc:
            if is_locked(exc):     # an older store's one-time migration, while another process writes it
                raise StoreError(f"{self.path}: ฐานข้อมูลหลักฐานกำลังถูกเขียนโดยโปรแกรมอื่น / the evidence store is "
                                 f"being written by another process: {exc}",
                                 hint="ลองอีกครั้งเมื่อการเก็บข้อมูลนั้นเสร็จ / try again when that crawl has "
                                      "finished") from None
            raise StoreError(f"{self.path}: ไม่ใช่ฐานข้อมูลหลักฐานที่ใช้ได้ / not a usable evidence store: {exc}",
                             hint=HINT_NEW_STORE) from None
        self.mark_dead_runs()

    def _migrate_links(self) -> None:
        """Columns added since a store was made: resources.links_of (page_links came with it), and
        links.resource_id with its index in a store older still; that store's index on target URLs
        dropped (nothing reads by it). Its index on source URLs stays: it finds the links stored without
        resource_id, which an unchanged page copies into page_links once (see add_resource)."""
        self.legacy_links = True
        for table, column in (("resources", "links_of"), ("links", "resource_id")):
            if any(row[1] == column for row in self.db.execute(f"PRAGMA table_info({table})")):
                continue
            try:
                self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER")
            except sqlite3.OperationalError as exc:
                if "readonly" in str(exc):
                    return       # a store on read-only media is read as it is; nothing can write to it
                if "duplicate column" not in str(exc):         # (another process migrated it just now)
                    raise
        self.db.execute("DROP INDEX IF EXISTS links_run_target")
        self.db.execute(_LINKS_INDEX)
        self.legacy_links = self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                                            (_LEGACY_SOURCE_INDEX,)).fetchone() is not None

    def close(self) -> None:
        self.db.close()

    def check_writable(self) -> None:
        """Fail before a crawl starts, not after it fetched the site, when nothing can be written."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("ROLLBACK")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"เขียนฐานข้อมูลหลักฐานไม่ได้ / cannot write the evidence store {self.path}: {exc}",
                             hint=HINT_WRITABLE) from None
        if not os.access(self.path, os.W_OK) or not os.access(self.path.parent or Path("."), os.W_OK):
            raise StoreError(f"ไม่มีสิทธิ์เขียนฐานข้อมูลหลักฐาน / cannot write the evidence store {self.path}: "
                             "permission denied", hint=HINT_WRITABLE)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write; inside grouped(), a savepoint of the group's transaction (none in a
        grouped(undoable=False): there a failed write leaves its part done, for the caller to roll back
        the whole group)."""
        if self.db.in_transaction and not self._undoable:
            yield self.db
            return
        if self.db.in_transaction:
            self.db.execute("SAVEPOINT one")
            try:
                yield self.db
            except BaseException:
                self._undo("ROLLBACK TO one", "RELEASE one")
                raise
            else:
                self.db.execute("RELEASE one")
            return
        with self.grouped():
            yield self.db

    @contextmanager
    def grouped(self, undoable: bool = True) -> Iterator[None]:
        """Writes committed together, each still all or nothing (a failed one is rolled back alone).
        A commit rewrites every page the writes touched, and a district's menu links land on the same
        index pages on every page: grouping the writes that are ready together writes those once.

        undoable=False: the writes without their savepoints, for a caller that rolls back the whole
        group when one fails (and writes it again with them). A savepoint keeps the first image of
        every page a write changes, to undo that write alone; the crawl's writes spilled ~750 MB of
        those images to temporary files a bench crawl, for writes that never failed."""
        self.db.execute("BEGIN IMMEDIATE")
        self._undoable = undoable
        try:
            yield
        except BaseException:
            self._undo("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")
        finally:
            self._undoable = True

    def _undo(self, *statements: str) -> None:
        """Roll back after a failed write, keeping that failure the one raised: SQLite has already
        rolled the whole transaction back after some errors (a full disk, an I/O error)."""
        for statement in statements:
            if not self.db.in_transaction:
                return
            try:
                self.db.execute(statement)
            except sqlite3.DatabaseError:
                return

    # -- runs -------------------------------------------------------------------------------------

    def start_run(self, site_url: str, settings: dict | None = None, tool_version: str = "") -> int:
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO runs (site_url, started_at, pid, settings, tool_version) VALUES (?,?,?,?,?)",
                (site_url, now_iso(), os.getpid(), json.dumps(settings or {}, ensure_ascii=False), tool_version),
            )
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, complete: bool, stats: dict | None = None) -> None:
        """Close a run: store stats, freeze it if complete."""
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at=?, status=?, stats=? WHERE id=? AND status='running'",
                (now_iso(), "complete" if complete else "incomplete",
                 json.dumps(stats or {}, ensure_ascii=False, default=str), run_id),
            )

    def fail_run(self, run_id: int, reason: str, stats: dict | None = None) -> None:
        """Close a run the disk or the store failed under: one small write (no navigation pass), so it
        has the best chance on a nearly full disk. What the run stored before stays."""
        def mark(db: sqlite3.Connection, stats: dict) -> None:
            db.execute("UPDATE runs SET finished_at=?, status='failed', stats=? WHERE id=? AND status='running'",
                       (now_iso(), json.dumps(stats, ensure_ascii=False, default=str), run_id))
        try:
            with self.transaction() as db:
                mark(db, {**(stats or {}), "failed_reason": reason})
            return
        except (sqlite3.DatabaseError, OSError) as exc:
            if not is_storage_failure(exc):
                raise
        # A full disk: SQLite's connection may keep failing after an I/O error. On a new connection,
        # move what the log holds into the store (the log then starts over) and write the reason alone,
        # the smallest write that still says why.
        with contextlib.suppress(sqlite3.DatabaseError, OSError):
            self.db.execute("ROLLBACK")
        with contextlib.closing(sqlite3.connect(self.path, isolation_level=None, timeout=5)) as fresh:
            with contextlib.suppress(sqlite3.DatabaseError, OSError):
                fresh.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mark(fresh, {"failed_reason": reason})

    def mark_dead_runs(self) -> None:
        """A run left 'running' by a process that no longer exists was interrupted."""
        for row in self.db.execute("SELECT id, pid FROM runs WHERE status='running'").fetchall():
            if row["pid"] and not _pid_alive(row["pid"]):
                self.db.execute("UPDATE runs SET status='incomplete', finished_at=? WHERE id=?",
                                (now_iso(), row["id"]))

    def run(self, run_id: int) -> dict:
        row = self.db.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            raise StoreError(f"ไม่มีรอบการเก็บข้อมูล {run_id} ใน {self.path} / no run {run_id} in {self.path}",
                             hint=HINT_RUNS)
        return _run_dict(row)

    def runs(self, site_url: str | None = None) -> list[dict]:
        sql = "SELECT * FROM runs"
        args: tuple = ()
        if site_url:
            sql += " WHERE site_url = ?"
            args = (site_url,)
        return [_run_dict(r) for r in self.db.execute(sql + " ORDER BY id", args)]

    def counts(self, run_id: int) -> dict:
        row = self.db.execute(
            """SELECT SUM(kind='page' AND ok) AS pages, SUM(kind!='page' AND ok) AS documents,
                      SUM(NOT ok) AS errors, COUNT(*) AS resources, SUM(from_cache) AS from_cache,
                      SUM(COALESCE(size, 0)) AS bytes
               FROM resources WHERE run_id=?""", (run_id,)).fetchone()
        return {k: int(row[k] or 0) for k in row.keys()}

    # -- writing evidence -------------------------------------------------------------------------

    def known_text(self, sha256: str, extractor: str) -> dict | None:
        """The stored extraction summary of this content, if this extractor version made it."""
        row = self.db.execute(
            "SELECT extractor, format, title, text_layer, error, ocr, warnings FROM texts WHERE sha256=?",
            (sha256,)).fetchone()
        if row is None or row["extractor"] != extractor:
            return None
        known = dict(row)
        known["ocr"] = json.loads(row["ocr"]) if row["ocr"] else None
        known["warnings"] = json.loads(row["warnings"] or "[]")
        return known

    def reusable_page(self, sha256: str, extractor: str, url: str, final_url: str | None) -> int | None:
        """The row of the latest run that stored this page (same URL, same content, this extractor
        version): its text stands, and its links are the new row's (add_resource `links_from`)."""
        row = self.db.execute(
            """SELECT r.id FROM resources r JOIN texts t ON t.sha256 = r.sha256
               WHERE r.sha256 = ? AND r.url = ? AND r.final_url IS ? AND r.kind = 'page' AND r.ok
                     AND t.extractor = ?
               ORDER BY r.run_id DESC LIMIT 1""", (sha256, url, final_url, extractor)).fetchone()
        return None if row is None else int(row[0])

    def link_targets(self, row_id: int) -> list[str] | None:
        """The targets of a stored page's links, in page order (`row_id`: Store.reusable_page's row, or
        one naming it by links_of). None when none are in page_links: a page without links, or one a
        store older than page_links keeps in `links`."""
        if not self.page_links:
            return None
        rows = self.db.execute(
            """SELECT target_url FROM page_links
               WHERE resource_id = (SELECT COALESCE(links_of, id) FROM resources WHERE id = ?) ORDER BY id""",
            (row_id,)).fetchall()
        return [row[0] for row in rows] or None

    def add_resource(self, run_id: int, resource: dict, extraction: Any = None,
                     links: list | None = None, extractor: str = "",
                     text_dates: list[dict] | None = None, links_from: int | None = None) -> None:
        """Store one fetched or failed URL, its extracted text and its outgoing links, atomically.
        `links_from`: an unchanged page's row in an earlier run (Store.reusable_page), whose links are
        this page's: named, not copied (page_links are stored once, by the row that first had them)."""
        with self.transaction() as db:
            if extraction is not None and resource.get("sha256"):
                values = (resource["sha256"], extractor, extraction.format, extraction.title, extraction.text,
                          extraction.text_layer, extraction.language, extraction.pages,
                          json.dumps([asdict(t) for t in extraction.tables], ensure_ascii=False),
                          json.dumps(extraction.ocr, ensure_ascii=False) if extraction.ocr else None,
                          json.dumps(extraction.warnings, ensure_ascii=False), extraction.error,
                          json.dumps(text_dates or [], ensure_ascii=False))
                db.execute(_UPSERT_TEXT, values)
            owner = copy_from = None
            if links_from is not None:
                owner, own = db.execute(
                    """SELECT COALESCE(links_of, id), links_of IS NULL AND NOT EXISTS
                           (SELECT 1 FROM page_links WHERE resource_id = resources.id)
                       FROM resources WHERE id = ?""", (links_from,)).fetchone()
                if own:              # its links, if any, are in a store's older links table
                    owner, copy_from = None, links_from
            cols = ("url", "final_url", "kind", "depth", "referer", "ok", "status", "error_kind", "error",
                    "content_type", "size", "sha256", "fetched_at", "last_modified", "etag", "filename",
                    "on_site", "from_cache", "dates", "links_of")
            values = [resource.get(c) for c in cols]
            values[cols.index("dates")] = json.dumps(resource.get("dates") or [], ensure_ascii=False)
            values[cols.index("ok")] = int(bool(resource.get("ok")))
            values[cols.index("on_site")] = int(resource.get("on_site", True))
            values[cols.index("from_cache")] = int(bool(resource.get("from_cache")))
            values[cols.index("links_of")] = owner
            # A URL is one resource per run: a later success replaces an earlier failure record.
            written = db.execute(
                f"""INSERT INTO resources (run_id, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})
                    ON CONFLICT (run_id, url) DO UPDATE SET
                    {', '.join(f'{c}=excluded.{c}' for c in cols)}
                    WHERE resources.ok = 0 RETURNING id""",
                [run_id, *values],
            ).fetchall()
            if copy_from is None and not links:
                return
            source_id = written[0][0] if written else db.execute(
                "SELECT id FROM resources WHERE run_id = ? AND url = ?", (run_id, resource["url"])).fetchone()[0]
            if copy_from is not None:
                # Links a run stored before page_links existed: copied once, as this row's own, by that
                # row or, in an older store still, by its URL (stored before links.resource_id).
                source = "source_url = (SELECT url FROM resources WHERE id = ?1)" if self.legacy_links else \
                    "resource_id = ?1"
                db.execute(
                    f"""INSERT INTO page_links (resource_id, target_url, text, context, heading, in_nav)
                       SELECT ?2, target_url, text, context, heading, in_nav FROM links
                       WHERE run_id = (SELECT run_id FROM resources WHERE id = ?1) AND {source} ORDER BY id""",
                    (copy_from, source_id))
            else:
                db.executemany(
                    """INSERT INTO page_links (resource_id, target_url, text, context, heading, in_nav)
                       VALUES (?,?,?,?,?,?)""",
                    [(source_id, l.href, l.text, l.context, l.heading, int(l.in_nav)) for l in links])

    # -- reading evidence -------------------------------------------------------------------------

    def load_run(self, run_id: int) -> RunEvidence:
        """The run's evidence. Texts and tables stay in the store until read (a StoredResource reads its
        own on first use, and only the last few read are kept): they are tens of MB per thousand pages,
        and the audit needs each briefly. The strings links repeat on every page (menus, footers) are
        shared, not one copy per page."""
        run = self.run(run_id)
        texts = _TextReader(self.db)
        shared: dict[str, str] = {}       # one copy of each repeated string (formats, dates, menu links)
        one = lambda s: shared.setdefault(s, s) if s else s  # noqa: E731
        resources: dict[str, Resource] = {}
        rows = self.db.execute(
            """SELECT r.*, t.format, t.title, t.text_layer, t.language, t.ocr, t.dates AS text_dates,
                      t.warnings
               FROM resources r LEFT JOIN texts t ON t.sha256 = r.sha256
               WHERE r.run_id = ? ORDER BY r.id""", (run_id,))
        for row in rows:
            dates = json.loads(row["text_dates"] or "[]") + json.loads(row["dates"] or "[]")
            resources[row["url"]] = StoredResource(
                texts, url=row["url"], final_url=row["final_url"] or row["url"], kind=one(row["kind"]),
                ok=bool(row["ok"]), status=row["status"], error_kind=one(row["error_kind"]),
                error=row["error"], content_type=one(row["content_type"]) or "",
                format=one(row["format"]) or "", filename=row["filename"] or "", title=row["title"] or "",
                text_layer=one(row["text_layer"]) or "n/a", language=one(row["language"]) or "",
                dates=[DateFound(**{k: one(v) if isinstance(v, str) else v for k, v in d.items()}) for d in dates],
                on_site=bool(row["on_site"]), ocr=json.loads(row["ocr"]) if row["ocr"] else None,
                sha256=row["sha256"] or "", size=row["size"], depth=row["depth"],
                last_modified=row["last_modified"], warnings=json.loads(row["warnings"] or "[]"),
            )
        links = self._links(run_id, one)
        return RunEvidence(run_id=run_id, site_url=run["site_url"], started_at=run["started_at"],
                           finished_at=run["finished_at"], status=run["status"], resources=resources,
                           links=links, stats=run["stats"], browser=bool(run["settings"].get("OIT_BROWSER")))

    def _links(self, run_id: int, one) -> list[LinkRef]:
        """The run's links in page order, each marked site-wide navigation when it is inside the
        page's nav/header/footer markup or when its target and text are on most of the run's pages."""
        links: list[LinkRef] = []
        pages = 0
        on_pages: dict[tuple[str, str], int] = {}       # (target, text) -> pages showing it
        seen: set[tuple[str, str]] = set()               # ... on the page being read
        page = None
        # A run of a store made before page_links has its links in `links`; a later run in page_links.
        # Either way a page's links are read together (inserted together; ordered by the page's row).
        queries = [self.db.execute("SELECT source_url, target_url, text, context, heading, in_nav FROM links "
                                   "WHERE run_id = ? ORDER BY id", (run_id,))]
        if self.page_links:      # (not in an older store read on read-only media)
            queries.append(self.db.execute(
                """SELECT r.url, l.target_url, l.text, l.context, l.heading, l.in_nav
                   FROM resources r JOIN page_links l ON l.resource_id = COALESCE(r.links_of, r.id)
                   WHERE r.run_id = ? ORDER BY r.id, l.id""", (run_id,)))
        for rows in queries:
            for source, target, text, context, heading, in_nav in rows:
                if source != page:
                    page = source
                    pages += 1
                    seen.clear()
                link = LinkRef(source_url=one(source), target_url=one(target), text=one(text) or "",
                               context=one(context) or "", heading=one(heading) or "", is_nav=bool(in_nav))
                links.append(link)
                pair = (link.target_url, link.text)
                if pair not in seen:
                    seen.add(pair)
                    on_pages[pair] = on_pages.get(pair, 0) + 1
        if pages >= NAV_MIN_PAGES:
            threshold = max(NAV_MIN_PAGES, int(pages * NAV_SHARE))
            for link in links:
                if not link.is_nav and on_pages[(link.target_url, link.text)] >= threshold:
                    link.is_nav = True
        return links

    # -- audits -----------------------------------------------------------------------------------

    def add_audit(self, report: dict) -> int:
        """Keep an audit's report.json. A stored audit is never rewritten: judging again with another
        checklist, fiscal year or as-of date adds a record beside it; the same inputs find the audit
        already made (the audit is a pure function of them) and keep it."""
        key = (report["crawl"]["run_id"], report["checklist"]["id"], report["fiscal_year"], report["as_of"])
        with self.transaction() as db:
            db.execute(
                """INSERT INTO audits (run_id, checklist, fiscal_year, as_of, generated_at, oit_score,
                       published, report) VALUES (?,?,?,?,?,?,?,?)
                   ON CONFLICT (run_id, checklist, fiscal_year, as_of) DO NOTHING""",
                (*key, report.get("generated_at"), report.get("oit_score"), int(bool(report.get("published"))),
                 json.dumps(report, ensure_ascii=False)))
            row = db.execute("SELECT id FROM audits WHERE run_id=? AND checklist=? AND fiscal_year=? AND as_of=?",
                             key).fetchone()
            return int(row[0])

    def audits(self, site_url: str | None = None, run_id: int | None = None,
               fiscal_year: int | None = None) -> list[dict]:
        """Stored audits (without the report), oldest run first, with their run's site and dates."""
        sql = """SELECT a.id, a.run_id, a.checklist, a.fiscal_year, a.as_of, a.generated_at, a.oit_score,
                          a.published, r.site_url, r.started_at, r.finished_at, r.status
                   FROM audits a JOIN runs r ON r.id = a.run_id WHERE 1=1"""
        args: list = []
        for column, value in (("r.site_url", site_url), ("a.run_id", run_id), ("a.fiscal_year", fiscal_year)):
            if value is not None:
                sql += f" AND {column} = ?"
                args.append(value)
        rows = self.db.execute(sql + " ORDER BY a.run_id, a.id", args)
        return [{**dict(r), "published": bool(r["published"])} for r in rows]

    def latest_audits(self, site_url: str | None = None, fiscal_year: int | None = None,
                      checklist: str | None = None) -> dict[int, dict]:
        """run id -> that run's most recently made audit (of the site, fiscal year, checklist when given)."""
        latest: dict[int, dict] = {}
        for row in self.audits(fiscal_year=fiscal_year):
            if site_url is not None and not same_site(row["site_url"], site_url):
                continue
            if checklist is not None and row["checklist"] != checklist:
                continue
            best = latest.get(row["run_id"])
            if best is None or (row["generated_at"] or "", row["id"]) >= (best["generated_at"] or "", best["id"]):
                latest[row["run_id"]] = row
        return latest

    def audit_report(self, audit_id: int) -> dict:
        row = self.db.execute("SELECT report FROM audits WHERE id=?", (audit_id,)).fetchone()
        if row is None:
            raise StoreError(f"ไม่มีผลการประเมิน {audit_id} ใน {self.path} / no audit {audit_id} in {self.path}",
                             hint="ดูผลการประเมินที่บันทึกไว้ด้วย oit history / list the stored audits: oit history")
        return json.loads(row["report"])

    def failures(self, run_id: int) -> list[dict]:
        return [dict(r) for r in self.db.execute(
            """SELECT url, kind, status, error_kind, error, referer FROM resources
               WHERE run_id=? AND ok=0 ORDER BY id""", (run_id,))]


class _TextReader:
    """Texts and tables of a stored run, read by content hash when a resource is asked for them; the
    last few read are kept (the audit reads one resource's text several times in a row)."""

    KEEP = 16

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.read = functools.lru_cache(maxsize=self.KEEP)(self._read)

    def _read(self, sha256: str) -> tuple[str, list[Table]]:
        if not sha256:
            return "", []
        row = self.db.execute("SELECT text, tables FROM texts WHERE sha256=?", (sha256,)).fetchone()
        return ("", []) if row is None else (row["text"] or "",
                                             [Table(**t) for t in json.loads(row["tables"] or "[]")])


class StoredResource(Resource):
    """A Resource of a stored run whose text and tables are read from the store when used, and not
    kept: Store.load_run of a large run holds every resource but not every text. A value set on it
    (a test, a caller) stands instead."""

    def __init__(self, texts: _TextReader, **fields):
        super().__init__(**fields)
        del self.__dict__["_text"], self.__dict__["_tables"]      # the defaults the dataclass set
        self._texts = texts

    @property
    def text(self) -> str:
        if "_text" in self.__dict__:
            return self.__dict__["_text"]
        return self._texts.read(self.sha256)[0]

    @text.setter
    def text(self, value: str) -> None:
        self.__dict__["_text"] = value

    @property
    def tables(self) -> list[Table]:
        if "_tables" in self.__dict__:
            return self.__dict__["_tables"]
        return list(self._texts.read(self.sha256)[1])

    @tables.setter
    def tables(self, value: list[Table]) -> None:
        self.__dict__["_tables"] = value


def _run_dict(row: sqlite3.Row) -> dict:
    d = dict(row)
    d["settings"] = json.loads(d["settings"] or "{}")
    d["stats"] = json.loads(d["stats"] or "{}")
    return d


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
