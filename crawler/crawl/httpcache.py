"""HTTP cache for weekly re-crawls: revalidate everything, hide nothing, write each response once.

Scrapy's RFC2616Policy may serve a "fresh" cached copy without asking the server, and it answers a
5xx with the cached copy. Both would hide what the tool exists to see: whether the document is still
published and the site still up. This policy always revalidates (If-None-Match / If-Modified-Since),
so an unchanged document costs a 304 and no re-extraction, while every URL is still observed.

The storage keeps Scrapy's folder layout but writes two files per response instead of seven: the
body, then `pickled_meta` (status, URLs, headers, the response's other data), each through a temporary
file renamed into place, so a crawl killed mid-write never leaves an entry that looks whole with a cut
body. Scrapy's middleware stores the cached response again, body and all, on every 304; here a 304
writes nothing unless the validators changed (then only the small metadata file). Entries written by
Scrapy's own FilesystemCacheStorage are still read.

Scrapy's cache middleware also answers a failed download (timeout, refused connection, DNS) with the
cached copy ("error recovery"): a site that is down would look up and unchanged. ObservingCacheMiddleware
lets the failure through to the spider, which records it.
"""
from __future__ import annotations

import contextlib
import os
import pickle
from pathlib import Path
from time import time

from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.extensions.httpcache import FilesystemCacheStorage, RFC2616Policy
from scrapy.utils.response import response_from_dict

from crawler.crawl.storage_failure import stop_run
from crawler.evidence.store import is_storage_failure

VALIDATORS = (b"ETag", b"Last-Modified")
_STORED_VALIDATORS = "oit_cached_validators"      # request.meta: the validators of the entry read


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


class WriteOnceCacheStorage(FilesystemCacheStorage):
    def retrieve_response(self, spider, request):
        metadata = self._read_meta(spider, request)
        if metadata is None:
            return None
        if "headers" not in metadata:                  # an entry of Scrapy's own shape
            response = super().retrieve_response(spider, request)
        else:
            folder = Path(self._get_request_path(spider, request))
            with self._open(folder / "response_body", "rb") as f:
                body = f.read()
            response = response_from_dict({**metadata["data"], "url": metadata["response_url"],
                                           "status": metadata["status"], "headers": metadata["headers"],
                                           "body": body})
            request.meta["cache_timestamp"] = metadata["timestamp"]
        if response is not None:
            request.meta[_STORED_VALIDATORS] = _validators(response.headers)
        return response

    def store_response(self, spider, request, response) -> None:
        try:
            self._store(spider, request, response)
        except OSError as exc:      # a full disk: the crawl stops and the run fails, it does not go on blind
            if not is_storage_failure(exc):
                raise
            stop_run(spider.crawler, exc, "บันทึกแคช HTTP ไม่ได้ / the HTTP cache could not be written")

    def _store(self, spider, request, response) -> None:
        folder = Path(self._get_request_path(spider, request))
        revalidated = "cached" in response.flags       # the middleware storing a 304's cached entry again
        if revalidated and _validators(response.headers) == request.meta.get(_STORED_VALIDATORS):
            return
        folder.mkdir(parents=True, exist_ok=True)
        if not revalidated:
            self._write(folder / "response_body", response.body)
        data = {k: v for k, v in response.to_dict().items()
                if k not in {"url", "status", "headers", "body", "flags"}}
        metadata = {"url": request.url, "method": request.method, "status": response.status,
                    "response_url": response.url, "timestamp": time(),
                    "headers": dict(response.headers), "data": data}
        self._write(folder / "pickled_meta", pickle.dumps(metadata, protocol=4))

    def _write(self, path: Path, content: bytes) -> None:
        # A temporary name of this process's own (no two writes of one entry run at once in a
        # crawl; the pid keeps two crawls sharing a cache apart): tempfile.mkstemp's random names,
        # its O_EXCL loop and the second open cost ~0.3 ms a file on the crawl's busy thread.
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            with self._open(temporary, "wb") as f:
                f.write(content)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _validators(headers) -> tuple:
    return tuple(headers.get(name) for name in VALIDATORS)
