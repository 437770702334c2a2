"""The layout of a BMA district portal site, and the builder that assembles one.

Layout (as on webportal.bangkok.go.th): everything under /<slug>/; pages at
/<slug>/page/main/<id>/<Thai slug> and /page/sub/<id>/<Thai slug> (routed by the numeric id, the
slug is decoration); files under /<slug>/public/user_files_editor/<siteId>/… and the older
/<slug>/upload/user/<uid>/…; news at /<slug>/news/detail/<id>/<slug>. Every page repeats the
site-wide menu twice: in <nav> and in a left sidebar (div.left-menu ul.menu).

Links to a page with a Thai path are written raw, percent-encoded or double-percent-encoded in
turn, so every spelling occurs; the server answers all three with the one resource.
"""
from __future__ import annotations

import html
import io
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qsl, quote, urlencode

from sitegen.documents import BANGKOK, DocContent, render, shaping_available
from sitegen.model import (CONTENT_TYPES, ROUTE_KINDS, DocumentEntry, Manifest, PageEntry,
                                   Resource, Route, Site, Special)
from sitegen.thaiforms import month_name, thai_date

LINK_FORMS = ("raw", "percent", "double")


@dataclass(frozen=True)
class District:
    slug: str = "samphanthawong"
    name: str = "สัมพันธวงศ์"
    site_id: int = 13
    legacy_user: int = 1025
    # People, numbers and addresses are invented; only the shape follows real district pages.
    director: str = "นายวรวิทย์ ศรีสมบูรณ์"
    assistant_directors: tuple[str, ...] = ("นางสาวพิมพ์ชนก ทองประเสริฐ", "นายธนากร วงศ์ไพศาล")
    address: str = "เลขที่ 100 ถนนทรงวาด แขวงสัมพันธวงศ์ เขตสัมพันธวงศ์ กรุงเทพมหานคร 10100"
    phone: str = "0 2233 5094"
    fax: str = "0 2233 5095"
    email: str = "samphanthawong.dst@bangkok.go.th"

    @property
    def site_name(self) -> str:
        return f"สำนักงานเขต{self.name}"

    @property
    def prefix(self) -> str:
        return f"/{self.slug}/"


@dataclass
class MenuEntry:
    label: str
    path: str
    children: list["MenuEntry"] = field(default_factory=list)


@dataclass
class _PageDraft:
    title: str          # <title> text before the site name ("" -> the site name alone)
    h1: str
    content: str        # HTML of the content area
    entry: PageEntry
    breadcrumb: list[tuple[str, str]]
    legacy: bool = False     # an old static page: table layout, no menu
    status: int = 200
    updated: date | None = None


def slugify(title: str) -> str:
    return "-".join(title.replace("/", " ").split())


def _query_key(query: str) -> str:
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True)))


class SiteBuilder:
    """Collects pages, documents and specials; `build()` renders the pages and returns the Site."""

    def __init__(self, district: District, scenario: str, fiscal_year: int, as_of: date, seed: int = 0):
        self.district = district
        self.fiscal_year = fiscal_year
        self.as_of = as_of
        self.seed = seed
        # Seeded without the scenario name: a failure variant differs from `compliant` only where
        # its defect is (page ids and amounts stay the same).
        self.rng = random.Random(f"{district.slug}:{fiscal_year}:{as_of}:{seed}")
        self._id_rng = random.Random(f"ids:{district.slug}:{seed}")
        self.manifest = Manifest(
            scenario=scenario, district=district.slug, site_name=district.site_name,
            fiscal_year=fiscal_year, as_of=as_of.isoformat(), prefix=district.prefix,
            start_path=district.prefix,
        )
        self.menu: list[MenuEntry] = []
        self.footer_links: list[tuple[str, str]] = []    # (href, label): written as given
        self._drafts: dict[str, _PageDraft] = {}
        self._resources: dict[str, Resource] = {}
        self._second: dict[str, Resource] = {}
        self._routes: dict[str, Route] = {}
        self._next_id = 1200
        self._forms_used: dict[str, list[str]] = defaultdict(list)
        self._form_turn: dict[str, int] = defaultdict(int)
        self._file_serial = 0

    # -- paths ------------------------------------------------------------------------------------

    @property
    def prefix(self) -> str:
        return self.district.prefix

    def page_path(self, section: str, title: str) -> str:
        """A new /page/main|sub/<id>/<slug> path (ids increase in the order pages are planned)."""
        self._next_id += self._id_rng.randint(1, 9)
        return f"{self.prefix}page/{section}/{self._next_id}/{slugify(title)}"

    def file_path(self, name: str, folder: str = "", *, legacy: bool = False) -> str:
        if legacy:
            return f"{self.prefix}upload/user/{self.district.legacy_user}/files/{name}"
        folder = f"{folder.strip('/')}/" if folder else ""
        return f"{self.prefix}public/user_files_editor/{self.district.site_id}/{folder}{name}"

    def opaque_name(self, ext: str) -> str:
        """A CMS-style file name that says nothing ("file_1697521234_a3f9.pdf")."""
        self._file_serial += 1
        rng = random.Random(f"name:{self.seed}:{self._file_serial}")
        stamp = 1_690_000_000 + self._file_serial * 7919 + rng.randint(0, 5000)
        return f"file_{stamp}_{rng.getrandbits(16):04x}.{ext}"

    # -- links ------------------------------------------------------------------------------------

    def href(self, path: str, *, form: str | None = None) -> str:
        """The href for a main-site path: Thai paths cycle raw -> percent -> double-percent."""
        if path.isascii():
            return path
        if form is None:
            form = LINK_FORMS[self._form_turn[path] % 3]
            self._form_turn[path] += 1
        if form not in self._forms_used[path]:
            self._forms_used[path].append(form)
        if form == "raw":
            return path
        once = quote(path, safe="/?=&")
        return once if form == "percent" else quote(once, safe="/?=&")

    def link(self, path: str, label: str, *, host: str = "main", form: str | None = None,
             attrs: str = "") -> str:
        """<a> to a main-site path, or to a second-host path (absolute, port filled in at serve time)."""
        if host == "second":
            url = "http://{{HOST2}}" + quote(path, safe="/?=&")
        elif host == "external":
            url = path
        else:
            url = self.href(path, form=form)
        entry = self.manifest.documents.get(self._key(path))
        if entry is not None and entry.host == host and label not in entry.link_labels:
            entry.link_labels.append(label)
        extra = f" {attrs}" if attrs else ""
        return f'<a href="{html.escape(url)}"{extra}>{html.escape(label)}</a>'

    # -- adding things ----------------------------------------------------------------------------

    def add_page(self, path: str, title: str, content: str, *, kind: str = "info",
                 items: tuple[str, ...] = (), h1: str | None = None, legacy: bool = False,
                 encoding: str = "utf-8", breadcrumb: list[tuple[str, str]] | None = None,
                 status: int = 200, updated: date | None = None) -> str:
        entry = PageEntry(path=path, title=h1 if h1 is not None else title, kind=kind,
                          items=list(items), encoding=encoding)
        self._drafts[path] = _PageDraft(title, h1 if h1 is not None else title, content, entry,
                                        breadcrumb or [], legacy, status, updated)
        if status == 200:
            self.manifest.pages[path] = entry
        return path

    def has_page(self, path: str) -> bool:
        return path in self._drafts

    @property
    def page_count(self) -> int:
        return len(self._drafts)

    def add_document(self, path: str, content: DocContent | None, fmt: str, variant: str = "", *,
                     body: bytes | None = None, item: str | None = None, element: str | None = None,
                     fiscal_year: int | None = None, covers: tuple[str, ...] = (),
                     defects: tuple[str, ...] = (), host: str = "main", content_type: str | None = "",
                     filename: str = "", headers: dict[str, str] | None = None,
                     pad_to: int | None = None, issued: date | None = None, pages: int | None = None) -> str:
        """Render (or take) a document's bytes, serve them at `path`, record it in the manifest."""
        if fmt == "pdf" and (not variant or variant == "shaped" and not shaping_available()):
            variant = "text"            # without uharfbuzz a "shaped" PDF is a plain text PDF
        if body is None:
            rendered = render(content, fmt, variant, seed=self.seed)
            body, pages = rendered.body, rendered.pages
        if content_type == "":
            content_type = CONTENT_TYPES[fmt]
        when = issued or (content.issued if content else self.as_of - timedelta(days=1))
        resource = Resource(body=body, content_type=content_type, headers=dict(headers or {}),
                            last_modified=_moment(when), pad_to=pad_to)
        key = self._key(path)
        (self._second if host == "second" else self._resources)[key] = resource
        self.manifest.documents[key] = DocumentEntry(
            path=key, format=fmt, variant=variant if fmt == "pdf" else "",
            title=content.title if content else filename or path.rsplit("/", 1)[-1],
            item=item, element=element, fiscal_year=fiscal_year, covers=list(covers), host=host,
            filename=filename or path.split("?", 1)[0].rsplit("/", 1)[-1], size=resource.length,
            pages=pages, defects=list(defects),
        )
        return key

    def add_resource(self, path: str, resource: Resource, *, host: str = "main") -> str:
        key = self._key(path)
        (self._second if host == "second" else self._resources)[key] = resource
        return key

    def add_route(self, path: str, kind: str, params: dict) -> None:
        self._routes[path] = Route(kind, params)

    def special(self, kind: str, path: str, note: str = "", host: str = "main") -> None:
        self.manifest.specials.append(Special(kind=kind, path=path, host=host, note=note))

    @staticmethod
    def _key(path: str) -> str:
        if "?" in path:
            base, query = path.split("?", 1)
            return f"{base}?{_query_key(query)}"
        return path

    # -- rendering --------------------------------------------------------------------------------

    def _menu_html(self, *, nav: bool) -> str:
        def item(entry: MenuEntry) -> str:
            link = self.link(entry.path, entry.label)
            if not entry.children:
                return f"<li>{link}</li>"
            kids = "".join(item(c) for c in entry.children)
            return f'<li class="dropdown">{link}<ul class="dropdown-menu">{kids}</ul></li>'

        if nav:
            entries = "".join(item(e) for e in self.menu)
            return f'<nav class="navbar" role="navigation"><ul class="nav navbar-nav">{entries}</ul></nav>'
        flat = [e for top in self.menu for e in (top, *top.children)]
        entries = "".join(f"<li>{self.link(e.path, e.label)}</li>" for e in flat)
        return f'<div class="left-menu"><h3>เมนูหลัก</h3><ul class="menu">{entries}</ul></div>'

    def shell(self, title: str, h1: str, content: str, breadcrumb: list[tuple[str, str]]) -> str:
        """A full page: header, <nav> menu, sidebar menu, breadcrumb, content, footer."""
        d = self.district
        full_title = f"{title} - {d.site_name}" if title else d.site_name
        crumbs = "".join(f"<li>{self.link(p, label)}</li>" for p, label in breadcrumb)
        footer_links = " | ".join(f'<a href="{html.escape(h)}">{html.escape(t)}</a>'
                                  for h, t in self.footer_links)
        return (
            "<!DOCTYPE html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(full_title)}</title>\n</head>\n<body>\n"
            f"<header class=\"site-header\"><a href=\"{self.href(self.prefix)}\">"
            f"<img src=\"{self.prefix}public/images/logo.png\" alt=\"ตราสัญลักษณ์กรุงเทพมหานคร\"></a>"
            f"<span class=\"site-name\">{html.escape(d.site_name)} กรุงเทพมหานคร</span></header>\n"
            f"{self._menu_html(nav=True)}\n"
            "<div class=\"container\"><div class=\"row\">\n"
            f"<div class=\"col-md-3 sidebar\">{self._menu_html(nav=False)}</div>\n"
            "<div class=\"col-md-9 content\">\n"
            f"<ol class=\"breadcrumb\"><li>{self.link(self.prefix, 'หน้าหลัก')}</li>{crumbs}</ol>\n"
            f"<h1 class=\"page-title\">{html.escape(h1)}</h1>\n"
            f"<div class=\"page-content\">\n{content}\n</div>\n</div>\n</div></div>\n"
            f"<footer class=\"site-footer\"><p>{html.escape(d.site_name)} {html.escape(d.address)} "
            f"โทรศัพท์ {d.phone} โทรสาร {d.fax}</p><p>{footer_links}</p></footer>\n"
            "</body>\n</html>\n"
        )

    def _legacy_page(self, draft: _PageDraft) -> str:
        """An old static page (early 2010s): no menu, table layout, no charset anywhere."""
        home = self.href(self.prefix, form="percent")
        return (
            "<html>\n<head>\n<title>" + html.escape(draft.title) + "</title>\n</head>\n"
            "<body bgcolor=\"#FFFFFF\">\n<table width=\"760\" border=\"0\" align=\"center\">\n"
            f"<tr><td><font size=\"4\"><b>{html.escape(draft.h1)}</b></font></td></tr>\n"
            f"<tr><td>{draft.content}</td></tr>\n"
            f"<tr><td><a href=\"{home}\">&laquo; กลับหน้าหลัก</a></td></tr>\n</table>\n</body>\n</html>\n"
        )

    def build(self) -> Site:
        resources = dict(self._resources)
        for path, draft in self._drafts.items():
            if draft.legacy:
                body = self._legacy_page(draft).encode(draft.entry.encoding)
                ctype = "text/html"     # and no <meta charset>: the bytes alone must tell
            else:
                body = self.shell(draft.title, draft.h1, draft.content, draft.breadcrumb).encode("utf-8")
                ctype = CONTENT_TYPES["html"]
            when = draft.updated or (self.as_of - timedelta(days=1))
            resources[path] = Resource(body, ctype, status=draft.status, last_modified=_moment(when))
        for path, forms in self._forms_used.items():
            target = self.manifest.pages.get(path) or self.manifest.documents.get(path)
            if target is not None:
                target.link_forms = list(forms)
        second = Site(dict(self._second), self.manifest) if self._second else None
        return Site(resources, self.manifest, dict(self._routes), second)


def _moment(d: date) -> datetime:
    return datetime.combine(d, time(9, 0), tzinfo=BANGKOK)


def png_image(width: int, height: int, label: str, seed: int = 0) -> bytes:
    """A small diagram-like PNG (organisation chart, logo)."""
    from PIL import Image, ImageDraw

    from sitegen.documents import pil_font

    rng = random.Random(f"png:{label}:{seed}")
    image = Image.new("RGB", (width, height), (250, 250, 245))
    draw = ImageDraw.Draw(image)
    font = pil_font(max(12, height // 14), True)
    draw.text((width // 2, height // 8), label, fill=(20, 40, 90), font=font, anchor="mm")
    boxes = max(1, width // 140)
    for k in range(boxes):
        x = 10 + k * (width - 20) // boxes
        shade = tuple(rng.randint(150, 220) for _ in range(3))
        draw.rectangle((x, height // 2, x + (width - 40) // boxes, height // 2 + height // 5),
                       outline=(20, 40, 90), fill=shade)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# -- pages made per request: the traps -------------------------------------------------------------

def _anchor(href: str, label: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(label)}</a>'


def _news_list(params: dict, query: list[tuple[str, str]]) -> Resource:
    """?page=N for any N (an endless "next page"), sort links that grow the query string."""
    page = 1
    for key, value in query:
        if key == "page" and value.isdigit() and int(value) > 0:
            page = int(value)
    per = params["per_page"]
    posts = params["posts"][(page - 1) * per: page * per]
    rows = "".join(f"<li>{_anchor(href, title)} <span class=\"date\">{html.escape(when)}</span></li>"
                   for href, title, when in posts) or "<li>ไม่พบข่าว</li>"
    base = params["base"]
    others = [(k, v) for k, v in query if k != "page"]
    prev_link = _anchor(f"{base}?{urlencode(others + [('page', page - 1)])}", "« หน้าก่อนหน้า") if page > 1 else ""
    next_link = _anchor(f"{base}?{urlencode(others + [('page', page + 1)])}", "หน้าถัดไป »")
    sort_link = _anchor(f"{base}?{urlencode(query + [('sort', 'date')])}", "เรียงตามวันที่")
    pages = " ".join(_anchor(f"{base}?page={n}", str(n)) for n in range(max(1, page - 2), page + 3))
    content = (f"<p>เรียงลำดับ: {sort_link}</p><ul class=\"news-list\">{rows}</ul>"
               f"<div class=\"pagination\">{prev_link} {pages} {next_link}</div>")
    body = params["template"].replace("%%TITLE%%", f"ข่าวประชาสัมพันธ์ หน้า {page}").replace("%%CONTENT%%", content)
    return Resource(body.encode("utf-8"), CONTENT_TYPES["html"],
                    last_modified=datetime.fromisoformat(params["last_modified"]))


def _calendar(params: dict, query: list[tuple[str, str]]) -> Resource:
    """?month=YYYY-MM (BE) for any month: previous and next month links never end."""
    year, month = (int(x) for x in params["default"].split("-"))
    for key, value in query:
        if key == "month":
            parts = value.split("-")
            if len(parts) == 2 and all(p.isdigit() for p in parts) and 1 <= int(parts[1]) <= 12:
                year, month = int(parts[0]), int(parts[1])
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    base = params["base"]
    events = params["events"].get(f"{year}-{month:02d}", [])
    rows = "".join(f"<tr><td>{html.escape(when)}</td><td>{_anchor(href, title)}</td></tr>"
                   for href, title, when in events) or "<tr><td colspan=\"2\">ไม่มีกิจกรรม</td></tr>"
    content = (f"<h2>ปฏิทินกิจกรรม เดือน{month_name(month)} {year}</h2>"
               f"<table class=\"calendar\"><tr><th>วันที่</th><th>กิจกรรม</th></tr>{rows}</table>"
               f"<p>{_anchor(f'{base}?month={prev_y}-{prev_m:02d}', '« เดือนก่อนหน้า')} | "
               f"{_anchor(f'{base}?month={next_y}-{next_m:02d}', 'เดือนถัดไป »')}</p>")
    body = params["template"].replace("%%TITLE%%", "ปฏิทินกิจกรรม").replace("%%CONTENT%%", content)
    return Resource(body.encode("utf-8"), CONTENT_TYPES["html"],
                    last_modified=datetime.fromisoformat(params["last_modified"]))


ROUTE_KINDS["news_list"] = _news_list
ROUTE_KINDS["calendar"] = _calendar


def route_template(builder: SiteBuilder, breadcrumb: list[tuple[str, str]]) -> str:
    """The shell with %%TITLE%% and %%CONTENT%% slots, for pages made per request."""
    return builder.shell("%%TITLE%%", "%%TITLE%%", "%%CONTENT%%", breadcrumb)


def news_date_text(d: date, turn: int) -> str:
    """News dates in the forms district sites print, varied: '๑๕ มี.ค. ๒๕๖๗', '15 มีนาคม 2567', …"""
    return [thai_date(d, "abbr", thai=True), thai_date(d, "full"), thai_date(d, "abbr_short"),
            thai_date(d, "full_be", thai=True)][turn % 4]
