"""A generated website: resources by path, on-the-fly trap pages, and the manifest of what is there.

Paths are stored decoded (raw Thai), exactly once, whatever spelling a link uses. A body may contain
host placeholders ({{HOST1}}, {{HOST2}}, {{EXTERNAL}}) that the server replaces with real
host:port values once it knows its ports (`Site.bind`).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qsl

PLACEHOLDERS = ("HOST1", "HOST2", "EXTERNAL")

# Content types of every format the generator writes.
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "csv": "text/csv",
    "doc": "application/msword",
    "png": "image/png",
}


@dataclass
class Resource:
    body: bytes
    content_type: str | None = CONTENT_TYPES["html"]   # None: no Content-Type header at all
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    last_modified: datetime | None = None   # Last-Modified; stable, from the scenario's dates
    pad_to: int | None = None               # oversized file: the body padded to this many bytes,
                                            # produced while sending, never held in memory

    @property
    def length(self) -> int:
        return max(self.pad_to or 0, len(self.body))

    @property
    def etag(self) -> str:
        digest = hashlib.sha1(self.body)
        digest.update(str(self.pad_to).encode())
        return f'"{digest.hexdigest()[:20]}"'


# -- manifest ---------------------------------------------------------------------------------------

@dataclass
class PageEntry:
    path: str                         # decoded path, e.g. /samphanthawong/page/sub/1203/โครงสร้างหน่วยงาน
    title: str                        # the page's <h1>
    kind: str                         # home section evidence news news_list ita_index info admin legacy error
    items: list[str] = field(default_factory=list)   # O-items this page is evidence for
    host: str = "main"                # main | second
    encoding: str = "utf-8"           # utf-8 | cp874 (served without any charset)
    aliases: list[str] = field(default_factory=list)     # other paths serving the same page
    link_forms: list[str] = field(default_factory=list)  # href spellings used: raw percent double


@dataclass
class DocumentEntry:
    path: str                         # decoded path, query included for /download?id=123
    format: str                       # pdf xlsx docx ods odt csv doc
    variant: str                      # text split_sara_am scan shaped | "" for non-PDF
    title: str                        # the document's own title
    item: str | None = None           # O-item it is evidence for (None: filler)
    element: str | None = None        # element id within the item
    fiscal_year: int | None = None    # the fiscal year it belongs to (BE)
    covers: list[str] = field(default_factory=list)  # "2023-10": months a monthly/half-year doc covers
    host: str = "main"
    filename: str = ""                # name a client sees (Content-Disposition or last path segment)
    size: int = 0                     # bytes served (pad_to for oversized files)
    pages: int | None = None
    defects: list[str] = field(default_factory=list)   # blank_cells not_addressed oversized no_content_type
    link_labels: list[str] = field(default_factory=list)
    link_forms: list[str] = field(default_factory=list)


@dataclass
class Special:
    """A trap, a failure the crawl must record, or an unusual way of serving."""
    kind: str       # trap_pagination trap_calendar trap_query tis620 http_404 http_500 connection
                    # robots too_large content_disposition second_host redirect slug_alias
    path: str       # decoded path (query included); for `connection` the URL with {{EXTERNAL}}
    host: str = "main"
    note: str = ""


@dataclass
class Manifest:
    scenario: str
    district: str                     # slug, e.g. samphanthawong
    site_name: str                    # สำนักงานเขตสัมพันธวงศ์
    fiscal_year: int
    as_of: str                        # ISO date
    prefix: str                       # /samphanthawong/
    start_path: str                   # /samphanthawong/
    pages: dict[str, PageEntry] = field(default_factory=dict)
    documents: dict[str, DocumentEntry] = field(default_factory=dict)
    specials: list[Special] = field(default_factory=list)
    expected_scores: dict[str, int] = field(default_factory=dict)        # O1..O22 -> 0/50/100
    expected_failures: dict[str, list[dict]] = field(default_factory=dict)  # O5 -> [{element, reason}]
    required_months: list[str] = field(default_factory=list)             # "2023-10", monthly rule

    def documents_for(self, item: str) -> list[DocumentEntry]:
        return [d for d in self.documents.values() if d.item == item]

    def specials_of(self, kind: str) -> list[Special]:
        return [s for s in self.specials if s.kind == kind]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Manifest":
        data = dict(data)
        data["pages"] = {k: PageEntry(**v) for k, v in data["pages"].items()}
        data["documents"] = {k: DocumentEntry(**v) for k, v in data["documents"].items()}
        data["specials"] = [Special(**s) for s in data["specials"]]
        return cls(**data)


# -- on-the-fly pages (traps) -----------------------------------------------------------------------

@dataclass
class Route:
    """A path whose pages are made per request from the query string (kind names a generator)."""
    kind: str
    params: dict


# kind -> generator(params, query pairs) -> Resource; filled in by district.py.
ROUTE_KINDS: dict[str, Callable[[dict, list[tuple[str, str]]], Resource]] = {}

_PAGE_ID = re.compile(r"^(?P<prefix>/[^/]+)/page/(?P<kind>main|sub)/(?P<id>\d+)(?:/.*)?$")


@dataclass
class Site:
    resources: dict[str, Resource]
    manifest: Manifest
    routes: dict[str, Route] = field(default_factory=dict)
    second: "Site | None" = None      # resources of the second host (cloud drive, e-service)

    def __post_init__(self) -> None:
        # The portal routes /page/main/<id>/<anything> by its numeric id: the slug is decoration.
        self._by_page_id: dict[tuple[str, str, str], str] = {}
        for path in self.resources:
            m = _PAGE_ID.match(path)
            if m:
                self._by_page_id.setdefault((m["prefix"], m["kind"], m["id"]), path)

    def resolve(self, path: str, query: str = "") -> Resource | None:
        """The resource for a decoded path and raw query string, or None (404)."""
        if query and f"{path}?{query}" in self.resources:
            return self.resources[f"{path}?{query}"]
        route = self.routes.get(path)
        if route is not None:
            return ROUTE_KINDS[route.kind](route.params, parse_qsl(query, keep_blank_values=True))
        if path in self.resources:
            return self.resources[path]
        m = _PAGE_ID.match(path)
        if m and (m["prefix"], m["kind"], m["id"]) in self._by_page_id:
            return self.resources[self._by_page_id[(m["prefix"], m["kind"], m["id"])]]
        return None

    def bind(self, hosts: dict[str, str]) -> "Site":
        """A copy with {{HOST1}}/{{HOST2}}/{{EXTERNAL}} replaced by host:port (routes too)."""
        def sub(data: bytes) -> bytes:
            for name, value in hosts.items():
                data = data.replace(f"{{{{{name}}}}}".encode(), value.encode())
            return data

        def sub_text(value):
            if isinstance(value, str):
                return sub(value.encode("utf-8")).decode("utf-8")
            if isinstance(value, list):
                return [sub_text(v) for v in value]
            if isinstance(value, dict):
                return {k: sub_text(v) for k, v in value.items()}
            return value

        resources = {}
        for path, res in self.resources.items():
            if b"{{" in res.body or any("{{" in v for v in res.headers.values()):   # a Location too
                res = Resource(sub(res.body), res.content_type, sub_text(dict(res.headers)), res.status,
                               res.last_modified, res.pad_to)
            resources[path] = res
        routes = {p: Route(r.kind, sub_text(r.params)) for p, r in self.routes.items()}
        second = self.second.bind(hosts) if self.second else None
        return Site(resources, self.manifest, routes, second)

    # -- storage ------------------------------------------------------------------------------------

    def write_to(self, directory: str | Path) -> Path:
        """Write every body to a file plus index.json (manifest included); read back by from_dir."""
        directory = Path(directory)
        (directory / "bodies").mkdir(parents=True, exist_ok=True)
        index = {"manifest": self.manifest.to_dict(), "sites": {}}
        for host, site in (("main", self), ("second", self.second)):
            if site is None:
                continue
            entries = {}
            for n, (path, res) in enumerate(site.resources.items()):
                name = f"bodies/{host}-{n:06d}"
                (directory / name).write_bytes(res.body)
                entries[path] = {
                    "file": name, "content_type": res.content_type, "headers": res.headers,
                    "status": res.status, "pad_to": res.pad_to,
                    "last_modified": res.last_modified.isoformat() if res.last_modified else None,
                }
            routes = {p: {"kind": r.kind, "params": r.params} for p, r in site.routes.items()}
            index["sites"][host] = {"resources": entries, "routes": routes}
        (directory / "index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
        return directory

    @classmethod
    def from_dir(cls, directory: str | Path) -> "Site":
        directory = Path(directory)
        index = json.loads((directory / "index.json").read_text(encoding="utf-8"))
        manifest = Manifest.from_dict(index["manifest"])
        built: dict[str, Site] = {}
        for host, data in index["sites"].items():
            resources = {
                path: Resource(
                    body=(directory / e["file"]).read_bytes(), content_type=e["content_type"],
                    headers=e["headers"], status=e["status"], pad_to=e["pad_to"],
                    last_modified=datetime.fromisoformat(e["last_modified"]) if e["last_modified"] else None,
                )
                for path, e in data["resources"].items()
            }
            routes = {p: Route(r["kind"], r["params"]) for p, r in data["routes"].items()}
            built[host] = cls(resources, manifest, routes)
        main = built["main"]
        main.second = built.get("second")
        return main


def http_date(moment: datetime) -> str:
    """RFC 7231 date, e.g. 'Sun, 30 Jun 2024 02:00:00 GMT'."""
    moment = moment.astimezone(timezone.utc)
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return (f"{days[moment.weekday()]}, {moment.day:02d} {months[moment.month - 1]} {moment.year} "
            f"{moment:%H:%M:%S} GMT")
