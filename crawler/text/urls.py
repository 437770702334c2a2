"""URL identity and scope: one URL is one resource, whatever the spelling of its Thai slug."""
from __future__ import annotations

import posixpath
import unicodedata
import re
from dataclasses import dataclass
from functools import lru_cache
from email.message import Message
from email.utils import collapse_rfc2231_value
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from crawler.errors import HINT_URL, InputError

DOCUMENT_EXTENSIONS = {
    "pdf", "xls", "xlsx", "doc", "docx", "ods", "odt", "csv", "ppt", "pptx", "odp", "rtf", "txt",
    "jpg", "jpeg", "png", "gif", "zip", "rar",
}
# Extensions never worth fetching as evidence.
SKIP_EXTENSIONS = {"css", "js", "ico", "svg", "woff", "woff2", "ttf", "eot", "mp4", "mp3", "avi",
                   "mov", "wmv", "exe", "dmg", "iso", "apk"}

_MULTI_SLASH = re.compile(r"/{2,}")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def unquote(text: str) -> str:
    """urllib.parse.unquote(text) (UTF-8, undecodable bytes replaced), each run of %XX escapes decoded
    at once rather than escape by escape: a Thai slug is a run of ~100 escapes (the bench crawl's
    link paths 3.3x faster; the crawl process unquotes ~16,000 of them). The same strings: a literal
    character between two runs ends any UTF-8 sequence in both."""
    if "%" not in text:
        return text
    return _ESCAPES.sub(_decoded_escapes, text)


def _decoded_escapes(run: re.Match) -> str:
    return bytes.fromhex(run.group().replace("%", "")).decode("utf-8", "replace")


def url_path(url: str) -> str:
    """A URL's path, percent-decoded ("/ITA/2568/ประกาศ.pdf")."""
    return unquote(urlsplit(url).path)


def canonical(url: str) -> str:
    """The one spelling of a URL: raw, percent-encoded and double-encoded Thai slugs agree.

    Percent-decoding is repeated until stable (double-encoded slugs come from CMSs that encode an
    already encoded link), then w3lib canonicalises (sorted query, uniform percent-encoding, no
    fragment). Repeated identical query parameters collapse to one.
    """
    return _remembered_canonical(url) if len(url) <= _REMEMBERED_URL_CHARS else _canonical(url)


def _canonical(url: str) -> str:
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    for _ in range(3):
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    path = _MULTI_SLASH.sub("/", path)
    query = "&".join(sorted(set(parts.query.split("&")))) if parts.query else ""
    query_pairs = parse_qsl(query, keep_blank_values=True)
    seen: dict[tuple[str, str], None] = {}
    for k, v in query_pairs:
        seen[(unquote(k), unquote(v))] = None
    rebuilt = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(list(seen)), ""))
    return _remembered_canonicalized(rebuilt) if len(rebuilt) <= _REMEMBERED_URL_CHARS else canonicalize_url(rebuilt)


# URLs of at most this many characters are remembered, longer ones (a hostile page's) read every time:
# the caches are bounded in memory as in entries.
_REMEMBERED_URL_CHARS = 1000
_remembered_canonical = lru_cache(maxsize=65_536)(_canonical)    # a site's menu repeats its links on every page
# Spellings of one URL (encoded or raw Thai, relative or absolute, double slashes) are rebuilt alike:
# a bench crawl rebuilt 5,136 URLs, 2,669 of them distinct, and w3lib's pass costs ~50 µs on a Thai one.
_remembered_canonicalized = lru_cache(maxsize=8192)(canonicalize_url)


@dataclass(frozen=True)
class Scope:
    """Same host and the site's path prefix, e.g. https://webportal.bangkok.go.th/samphanthawong/."""

    scheme: str
    host: str
    prefix: str

    @classmethod
    def from_start_url(cls, url: str) -> "Scope":
        """The site a start URL belongs to: its host and first path segment. A district home at
        /samphanthawong/page/main/1 or /district/coverpages is the site /samphanthawong/ or
        /district/ (a host such as webportal.bangkok.go.th serves one site per first segment); a
        file at the root (/home.php, /index.jsp?lang=th) or a bare host is the whole host."""
        parts = urlsplit(url)
        segments = [s for s in unquote(parts.path or "/").split("/") if s]
        if len(segments) == 1 and "." in segments[0] or not segments:
            prefix = "/"
        else:
            prefix = f"/{segments[0]}/"
        return cls(parts.scheme.lower(), parts.netloc.lower(), prefix)

    @classmethod
    def from_prefix(cls, start_url: str, prefix: str) -> "Scope":
        """`--scope PREFIX`: a path (/district/) or a full URL on the start URL's host."""
        parts = urlsplit(prefix)
        path = unquote(parts.path or "/")
        host = parts.netloc.lower() or urlsplit(start_url).netloc.lower()
        scheme = parts.scheme.lower() or urlsplit(start_url).scheme.lower()
        return cls(scheme, host, path if path.endswith("/") else path + "/")

    def widened(self) -> "Scope":
        return Scope(self.scheme, self.host, "/")

    def moved_to(self, url: str) -> "Scope":
        """The scope after the start URL redirected to `url`: another scheme or host of the same site
        keeps the path prefix; another path (/ -> /Home) keeps a host-wide scope host-wide."""
        parts = urlsplit(url)
        if self.prefix == "/" or unquote(parts.path or "/").startswith(self.prefix):
            return Scope(parts.scheme.lower(), parts.netloc.lower(), self.prefix)
        return Scope.from_start_url(url)

    def __str__(self) -> str:
        return f"{self.scheme}://{self.host}{self.prefix}"

    def same_host(self, url: str) -> bool:
        return urlsplit(url).netloc.lower() == self.host

    def contains(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.netloc.lower() == self.host and unquote(parts.path or "/").startswith(self.prefix)


_BARE_ADDRESS = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*(?::\d{1,5})?(?:[/?#].*)?$",
                           re.IGNORECASE)


def check_url(url: str) -> str:
    """The address if it is an http(s) URL with a host, "http://" added to a bare host
    (`127.0.0.1:8701/x`, `www.example.go.th/path`; a site that serves https redirects there);
    InputError otherwise."""
    url = url.strip()
    if "://" not in url and _BARE_ADDRESS.match(url) and ("." in url.split("/", 1)[0] or ":" in url):
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"ไม่ใช่ที่อยู่เว็บ / not a web address: {url!r}",
                         hint=HINT_URL)
    return url


def same_site(a: str, b: str) -> bool:
    """Start URLs name the same site whatever their spelling or trailing slash."""
    return canonical(a).rstrip("/") == canonical(b).rstrip("/")


def extension(url: str) -> str:
    return _remembered_extension(url) if len(url) <= _REMEMBERED_URL_CHARS else _extension(url)


def _extension(url: str) -> str:
    return posixpath.splitext(url_path(url))[1].lower().lstrip(".")


_remembered_extension = lru_cache(maxsize=65_536)(_extension)     # asked of every link on every page


def filename_from_url(url: str) -> str:
    name = posixpath.basename(url_path(url))
    return name if "." in name else ""


def filename_from_disposition(header: str | bytes | None) -> str:
    """The file name a Content-Disposition header gives, RFC 5987/2231 `filename*` included."""
    if not header:
        return ""
    if isinstance(header, bytes):
        # Servers send raw UTF-8 (or TIS-620) in plain filename= too.
        try:
            header = header.decode("utf-8")
        except UnicodeDecodeError:
            header = header.decode("cp874", errors="replace")
    msg = Message()
    msg["content-disposition"] = header
    params = msg.get_params(header="content-disposition") or []
    # RFC 6266: the extended filename* (RFC 5987, decoded by the email package into a tuple)
    # wins over the plain filename.
    extended = [v for k, v in params if k.lower() == "filename" and isinstance(v, tuple)]
    name = (collapse_rfc2231_value(extended[-1]) if extended else msg.get_filename()) or ""
    return posixpath.basename(name.replace("\\", "/")).strip()


def looks_like_trap(url: str, max_length: int = 1000, max_repeats: int = 3) -> str | None:
    """Why a URL looks like a crawler trap, or None. (Query-variant counting lives in the spider.)"""
    if len(url) > max_length:
        return f"URL longer than {max_length} characters"
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    for seg in set(segments):
        if segments.count(seg) > max_repeats:
            return f"path segment '{seg}' repeated {segments.count(seg)} times"
    keys = [k for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
    if len(keys) > 12:
        return f"{len(keys)} query parameters"
    return None


# Characters never shown from a URL: controls, and the bidirectional marks a hostile site could use to
# make "gpj.exe" read as "exe.jpg".
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _decoded(text: str) -> str:
    for _ in range(3):                       # double-encoded slugs, as in canonical()
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return _HIDDEN.sub("�", text)


def _cluster_start(text: str) -> str:
    """`text` without leading combining marks (a cut must not leave a Thai vowel or tone mark alone)."""
    return text.lstrip("".join(ch for ch in text[:4] if unicodedata.combining(ch)
                               or unicodedata.category(ch) == "Mn"))


def readable_url(url: str) -> str:
    """The whole URL with Thai decoded, for a cell or a line someone copies: spaces stay %20 so it still
    pastes as one link (browsers and the ITA system encode the rest again)."""
    return _decoded(str(url or "").strip()).replace(" ", "%20")


def display_url(url: str, width: int = 60) -> str:
    """A URL as a person reads it: host and path with Thai decoded, no scheme, the middle elided when long.

    'https://webportal.bangkok.go.th/samphanthawong/public/user_files_editor/34/ITA/2567/O9/%E0%B8%AA...xlsx'
    -> 'webportal.bangkok.go.th/…/2567/O9/สถิติภาษี 2567.xlsx'. For showing only: links keep the real URL.
    """
    if not url:
        return ""
    parts = urlsplit(str(url).strip())
    if not parts.netloc:
        text = _decoded(str(url).strip())
        return text if len(text) <= width else text[:width - 1] + "…"
    host = parts.netloc.rsplit("@", 1)[-1].lower()
    path = _decoded(parts.path.rstrip("/")) if parts.path not in ("", "/") else ""
    query = "?" + _decoded(parts.query) if parts.query else ""
    text = host + path + query
    if len(text) <= width:
        return text
    segments = [s for s in path.split("/") if s]
    tail = segments[-1] + query if segments else query
    kept: list[str] = []
    for segment in reversed(segments[:-1]):        # whole directories nearest the file, while they fit
        if len(host) + 2 + len("/".join([segment, *kept, tail])) + 1 > width:
            break
        kept.insert(0, segment)
    shown = "/".join([*kept, tail])
    room = width - len(host) - 3
    if len(shown) > room and query:                # a query names the document by its start (?id=…)
        return f"{host}/…/{shown[:max(room, 8) - 1]}…"
    if len(shown) > room:                          # a file name too long: keep its end (the extension)
        shown = _cluster_start(shown[-max(room, 8):])
    return f"{host}/…/{shown}"
