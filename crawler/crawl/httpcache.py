"""HTTP cache for weekly re-crawls: revalidate everything, hide nothing, write each response once.

Scrapy's RFC2616Policy may serve a "fresh" cached copy without asking the server, and it answers a
5xx with the cached copy. Both would hide what the tool exists to see: whether the document is still
published and the site still up. This policy always revalidates (If-None-Match / If-Modified-Since),
so an unchanged document costs a 304 and no re-extraction, while every URL is still observed.

The storage is one SQLite file per spider in the cache folder (`<db>.httpcache/site.sqlite`, WAL, no
fsync per write): a row per URL fingerprint holding the response's metadata (status, URLs, headers, the
response's other data) and its body, each write its own transaction, so a crawl killed mid-write never
leaves an entry that looks whole with a cut body. Before, as in Scrapy, each response had a folder of
its own (ours held two files), and creating them was most of the cache's cost: the bench site's 2,663
responses 2.3-2.6 CPU s, nearly all of it the file system's (~0.26 ms a file or folder created on the
test VM's ext4, whatever its size), against ~0.2 s as rows. A large body goes in and out through
SQLite's blob I/O, so that the crawl process never holds it twice. Scrapy's middleware stores the
cached response again, body and all, on every 304; here a 304 writes nothing unless the validators
changed (then only the metadata). Entries in the folder layout (ours before, or Scrapy's
FilesystemCacheStorage) are still read, so the first re-crawl after an upgrade still costs 304s, and
each entry it uses is written into the file; the next crawl removes the folders. A damaged cache file
(not a database, or corrupt) is set aside as `site.sqlite.damaged` and a new one started: it is only a
cache, what it held is downloaded in full once. HTTPCACHE_GZIP does not apply to it.

Scrapy's cache middleware also answers a failed download (timeout, refused connection, DNS) with the
cached copy ("error recovery"): a site that is down would look up and unchanged. ObservingCacheMiddleware
lets the failure through to the spider, which records it.
"""
from __future__ import annotations

import pickle
import shutil
import sqlite3
import sys
from pathlib import Path
from time import time

from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.extensions.httpcache import FilesystemCacheStorage, RFC2616Policy
from scrapy.utils.response import response_from_dict

from crawler.crawl.storage_failure import stop_run
from crawler.evidence.store import is_locked, is_storage_failure

VALIDATORS = (b"ETag", b"Last-Modified")
_STORED_VALIDATORS = "oit_cached_validators"      # request.meta: the validators of the entry read
_FROM_FOLDER = "oit_cached_in_folder"             # request.meta: the entry read was of the folder layout
_BLOB_CHUNK = 1 << 20            # bodies larger than this are written in pieces of this size


class RevalidatingPolicy(RFC2616Policy):
    def should_cache_response(self, response, request) -> bool:
        # Only a 200 can be revalidated (a 404 or 500 is sent in full every time): caching anything
        # else would only rewrite it on every crawl.
        return response.status == 200 and super().should_cache_response(response, request)

    def is_cached_response_fresh(self, cachedresponse, request) -> bool:
        self._set_conditional_validators(request, cachedresponse)
        return False

    def is_cached_response_valid(self, cachedresponse, response, request) -> bool:
        return response.status == 304


class ObservingCacheMiddleware(HttpCacheMiddleware):
    def process_exception(self, request, exception, spider=None):
        request.meta.pop("cached_response", None)
        return None                      # the failure goes on to the spider's errback


class SQLiteCacheStorage(FilesystemCacheStorage):
    """Responses as rows of one SQLite file (see the module's docstring); the folder layout read too."""

    SCHEMA = 1
    BUSY_MS = 10_000          # another crawl writing the same cache: wait this long, then skip the entry

    def open_spider(self, spider) -> None:
        super().open_spider(spider)
        folder = Path(self.cachedir)
        self.path = folder / f"{spider.name}.sqlite"
        self.legacy = (folder / spider.name).is_dir()     # entries in the folder layout, from before
        self.crawler = spider.crawler
        self.db: sqlite3.Connection | None = None         # None: this crawl runs without the cache
        if self.legacy and self.path.exists():
            # A crawl since the upgrade has moved the entries it used into the file: the folders go
            # (an entry it did not use, a URL no longer linked, is downloaded in full if it comes back).
            shutil.rmtree(folder / spider.name, ignore_errors=True)
            self.legacy = False
        try:
            folder.mkdir(parents=True, exist_ok=True)
            try:
                self.db = self._connect()
            except sqlite3.DatabaseError as exc:
                if not _damaged(exc):
                    raise
                self._set_aside(exc)
                self.db = self._connect()
        except (OSError, sqlite3.DatabaseError) as exc:
            if is_locked(exc):
                print(f"oit: แคช HTTP ถูกใช้อยู่ / the HTTP cache is busy with another crawl ({exc}): this crawl "
                      "runs without it and downloads every page and document in full", file=sys.stderr, flush=True)
                return
            # a full disk, a folder that cannot be written: the run fails, it does not go on blind
            stop_run(spider.crawler, exc, "เปิดแคช HTTP ไม่ได้ / the HTTP cache could not be opened")

    def _connect(self) -> sqlite3.Connection:
        # (autocommit: each statement its own transaction; Scrapy calls the storage from its one thread)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            db.execute(f"PRAGMA busy_timeout = {self.BUSY_MS}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS responses ("
                       "fingerprint BLOB PRIMARY KEY, meta BLOB NOT NULL, body BLOB NOT NULL)")
            db.execute(f"PRAGMA user_version = {self.SCHEMA}")
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self, exc: sqlite3.DatabaseError) -> None:
        aside = self.path.with_name(self.path.name + ".damaged")
        for suffix in ("-wal", "-shm"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        self.path.replace(aside)
        print(f"oit: แคช HTTP เสียหาย จึงแยกไว้และเริ่มใหม่ / the HTTP cache is damaged ({exc}): set aside as "
              f"{aside.name}, a new cache starts in its place: what it held is downloaded in full once",
              file=sys.stderr, flush=True)

    def close_spider(self, spider) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            db.close()
            self.db = None

    def retrieve_response(self, spider, request):
        request.meta.pop(_FROM_FOLDER, None)            # (a redirect's request copies the meta)
        if self.db is None:
            return None
        key = self._fingerprinter.fingerprint(request)
        try:
            row = self.db.execute("SELECT rowid, meta FROM responses WHERE fingerprint = ?", (key,)).fetchone()
            metadata = pickle.loads(row[1]) if row is not None else None
            if metadata is not None and 0 < self.expiration_secs < time() - metadata["timestamp"]:
                return None
            body = self._read_body(row[0]) if row is not None else None
        except sqlite3.DatabaseError as exc:
            self._trouble(spider, exc, "อ่านแคช HTTP ไม่ได้ / the HTTP cache could not be read")
            return None
        if metadata is None:
            response = self._legacy_response(spider, request) if self.legacy else None
        else:
            response = _response(request, metadata, body)
        if response is not None:
            request.meta[_STORED_VALIDATORS] = _validators(response.headers)
        return response

    def _legacy_response(self, spider, request):
        """An entry of the folder layout: ours (body and pickled_meta with the headers) or Scrapy's."""
        try:
            metadata = self._read_meta(spider, request)
            if metadata is None:
                return None
            if "headers" not in metadata:                  # an entry of Scrapy's own shape
                return super().retrieve_response(spider, request)
            with open(Path(self._get_request_path(spider, request)) / "response_body", "rb") as f:
                body = f.read()
        except (OSError, EOFError, pickle.UnpicklingError):    # an entry cut short or gone: not cached
            return None
        request.meta[_FROM_FOLDER] = True
        return _response(request, metadata, body)

    def store_response(self, spider, request, response) -> None:
        if self.db is None:
            return
        try:
            self._store(request, response)
        except sqlite3.DatabaseError as exc:
            self._trouble(spider, exc, "บันทึกแคช HTTP ไม่ได้ / the HTTP cache could not be written")

    def _trouble(self, spider, exc: sqlite3.DatabaseError, what: str) -> None:
        """A cache error mid-crawl. Another crawl keeping it busy: this entry is not kept (or not read),
        no harm. A damaged file: set aside, the crawl goes on without the cache. A full or failing disk:
        the crawl stops and the run fails, it does not go on blind."""
        if is_locked(exc):
            self.crawler.stats.inc_value("oit/httpcache_busy")
        elif _damaged(exc):
            self.db.close()
            self.db = None
            self._set_aside(exc)
        elif is_storage_failure(exc):
            stop_run(spider.crawler, exc, what)
        else:
            raise exc

    def _store(self, request, response) -> None:
        revalidated = "cached" in response.flags       # the middleware storing a 304's cached entry again
        unchanged = _validators(response.headers) == request.meta.get(_STORED_VALIDATORS)
        if revalidated and unchanged and not request.meta.get(_FROM_FOLDER):   # (that one goes into the file)
            return
        key = self._fingerprinter.fingerprint(request)
        data = {k: v for k, v in response.to_dict().items()
                if k not in {"url", "status", "headers", "body", "flags"}}
        metadata = pickle.dumps({"url": request.url, "method": request.method, "status": response.status,
                                 "response_url": response.url, "timestamp": time(),
                                 "headers": dict(response.headers), "data": data}, protocol=4)
        if revalidated and self.db.execute("UPDATE responses SET meta = ? WHERE fingerprint = ?",
                                           (metadata, key)).rowcount:
            return
        body = response.body
        if len(body) <= _BLOB_CHUNK:
            self.db.execute("INSERT OR REPLACE INTO responses (fingerprint, meta, body) VALUES (?, ?, ?)",
                            (key, metadata, body))
            return
        # A large body is written in pieces into a blob of its size: bound as one value, SQLite would
        # copy it whole first (a 30 MB PDF: +62 MB at the crawl process's peak, against +2 MB so).
        self.db.execute("BEGIN")
        try:
            rowid = self.db.execute("INSERT OR REPLACE INTO responses (fingerprint, meta, body) "
                                    "VALUES (?, ?, zeroblob(?))", (key, metadata, len(body))).lastrowid
            view = memoryview(body)
            with self.db.blobopen("responses", "body", rowid) as blob:
                for start in range(0, len(body), _BLOB_CHUNK):
                    blob.write(view[start:start + _BLOB_CHUNK])
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def _read_body(self, rowid: int) -> bytes:
        # (read as a blob: a SELECT of it holds it twice, SQLite's copy and Python's)
        with self.db.blobopen("responses", "body", rowid, readonly=True) as blob:
            return blob.read()


def _response(request, metadata: dict, body: bytes):
    """The cached response an entry's metadata and body make (its time noted on the request)."""
    request.meta["cache_timestamp"] = metadata["timestamp"]
    return response_from_dict({**metadata["data"], "url": metadata["response_url"], "status": metadata["status"],
                               "headers": metadata["headers"], "body": body})


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """The file is not a database or a damaged one (SQLite's NOTADB and CORRUPT), rather than a disk
    that failed under it or a lock (OperationalError)."""
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)


def _validators(headers) -> tuple:
    return tuple(headers.get(name) for name in VALIDATORS)
