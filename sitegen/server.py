"""A loopback HTTP server for generated sites (tests, demo, benchmark).

`serve(site)` answers on 127.0.0.1; `serve_pair(site)` also serves `site.second` on 127.0.0.2 and
fills the links to it with its real port. Both: HEAD, Content-Length, ETag and Last-Modified on
every resource with 304 answers to If-None-Match / If-Modified-Since, gzip for HTML when asked,
Thai paths raw / percent-encoded / double-encoded mapping to one resource, trap pages made per
request, oversized bodies streamed. Every request is logged in `.requests`.
"""
from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote_to_bytes, urlencode, urlsplit

from sitegen.model import CONTENT_TYPES, Resource, Site, http_date

CHUNK = 1 << 20
NOT_FOUND = Resource("<html><head><title>404 Not Found</title></head><body><h1>ไม่พบหน้าที่ต้องการ</h1>"
                     "</body></html>".encode("utf-8"), CONTENT_TYPES["html"], status=404)


@dataclass(frozen=True)
class Request:
    method: str
    path: str          # the request target as sent (raw, encoded or double-encoded)
    status: int
    sent: int          # body bytes written
    agent: str = ""    # the User-Agent the client sent


def decode_target(target: str) -> tuple[str, str]:
    """(decoded path, normalised query) of a request target; percent-decoding repeats until stable."""
    raw = target.encode("latin-1", errors="replace")        # http.server decodes the line as latin-1
    if raw.lower().startswith((b"http://", b"https://")):
        parts = urlsplit(raw.decode("latin-1"))
        raw = (parts.path or "/").encode("latin-1") + (b"?" + parts.query.encode("latin-1") if parts.query else b"")
    path, _, query = raw.split(b"#", 1)[0].partition(b"?")
    for _ in range(3):
        decoded = unquote_to_bytes(path)
        if decoded == path:
            break
        path = decoded
    try:
        text = path.decode("utf-8")
    except UnicodeDecodeError:
        text = path.decode("cp874", errors="replace")
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    return text, urlencode(sorted(pairs))


class _Handler(BaseHTTPRequestHandler):
    # Answers go out at once: Nagle's algorithm would hold each keep-alive answer back ~40 ms.
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    timeout = 30

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format, *args):     # quiet: the handle keeps its own log
        pass

    def do_HEAD(self):
        self._answer(head=True)

    def do_GET(self):
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        handle: ServerHandle = self.server.handle
        path, query = decode_target(self.path)
        resource = handle.site.resolve(path, query) or NOT_FOUND
        body, headers = resource.body, dict(resource.headers)
        status = resource.status
        if resource.content_type:
            headers["Content-Type"] = resource.content_type
        etag = resource.etag
        if resource.last_modified is not None:
            headers["Last-Modified"] = http_date(resource.last_modified)
        compress = (status == 200 and handle.gzip and resource.pad_to is None
                    and (resource.content_type or "").startswith("text/html")
                    and "gzip" in self.headers.get("Accept-Encoding", ""))
        if compress:
            body = handle.gzipped(path, query, resource)
            etag = etag[:-1] + '-gzip"'
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        headers["ETag"] = etag
        length = max(len(body), resource.pad_to or 0)
        if status == 200 and self._not_modified(resource, etag):
            status, length = 304, 0
            for name in ("Content-Type", "Content-Encoding", "Content-Disposition"):
                headers.pop(name, None)
        planned = 0 if head or status == 304 else length
        # Logged before anything goes out: a client that has read the answer finds it in the log.
        index = handle.log(Request(self.command, self.path, status, planned,
                                       self.headers.get("User-Agent", "")))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        sent = 0
        try:
            if planned:
                self.wfile.write(body)
                sent = len(body)
                while sent < length:
                    piece = min(CHUNK, length - sent)
                    self.wfile.write(b"\n" * piece)
                    sent += piece
        except (BrokenPipeError, ConnectionResetError):      # the client gave up (e.g. size limit)
            self.close_connection = True
            handle.log(Request(self.command, self.path, status, sent,
                                   self.headers.get("User-Agent", "")), replace=index)

    def _not_modified(self, resource: Resource, etag: str) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            tags = {t.strip().removeprefix("W/") for t in match.split(",")}
            return "*" in tags or etag in tags or resource.etag in tags
        since = self.headers.get("If-Modified-Since")
        if since and resource.last_modified is not None:
            try:
                return resource.last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):   # a client that went away is not an error
        pass


@dataclass
class ServerHandle:
    """A running server: `.url` (http://host:port), `.requests` log, `.stop()`; a context manager."""
    site: Site
    host: str
    port: int
    gzip: bool = True
    second: "ServerHandle | None" = None
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._gz: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def start_url(self) -> str:
        return self.url_for(self.site.manifest.start_path)

    def url_for(self, path: str, host: str = "main") -> str:
        """The absolute URL of a manifest path (percent-encoded), on this server or the second."""
        target = self.second if host == "second" else self
        if target is None:
            raise ValueError("no second host is being served")
        return target.url + quote(path, safe="/?=&")

    def gzipped(self, path: str, query: str, resource: Resource) -> bytes:
        key = (path, query)
        with self._lock:
            if key not in self._gz:
                self._gz[key] = gzip.compress(resource.body, mtime=0)
            return self._gz[key]

    def log(self, request: Request, replace: int | None = None) -> int:
        with self._lock:
            if replace is not None and replace < len(self.requests):
                self.requests[replace] = request
                return replace
            self.requests.append(request)
            return len(self.requests) - 1

    def clear_log(self) -> None:
        self.requests.clear()
        if self.second:
            self.second.requests.clear()

    def _start(self, server: _Server) -> None:
        self._server = server
        server.handle = self
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"sitegen {self.url}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self.second:
            self.second.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> "ServerHandle":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _hosts(main: _Server, second: _Server | None) -> dict[str, str]:
    host, port = main.server_address[:2]
    return {
        "HOST1": f"{host}:{port}",
        # Without a second server its links go to a port where nothing listens.
        "HOST2": "{}:{}".format(*second.server_address[:2]) if second else "127.0.0.2:9",
        "EXTERNAL": f"127.0.0.3:{port}",     # nothing listens on 127.0.0.3: connection refused
    }


def serve(site: Site, host: str = "127.0.0.1", port: int = 0, *, gzip: bool = True) -> ServerHandle:
    """Serve one site (without its second host) in a daemon thread."""
    server = _Server((host, port), _Handler)
    bound = site.bind(_hosts(server, None))
    handle = ServerHandle(bound, *server.server_address[:2], gzip=gzip)
    handle._start(server)
    return handle


def serve_pair(site: Site, host: str = "127.0.0.1", port: int = 0, *, second_host: str = "127.0.0.2",
               second_port: int = 0, gzip: bool = True) -> ServerHandle:
    """The main site on host and `site.second` on second_host; `.second` is the second handle."""
    if site.second is None:
        return serve(site, host, port, gzip=gzip)
    main_server = _Server((host, port), _Handler)
    second_server = _Server((second_host, second_port), _Handler)
    bound = site.bind(_hosts(main_server, second_server))
    handle = ServerHandle(bound, *main_server.server_address[:2], gzip=gzip)
    handle.second = ServerHandle(bound.second, *second_server.server_address[:2], gzip=gzip)
    handle.second._start(second_server)
    handle._start(main_server)
    return handle
