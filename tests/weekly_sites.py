"""Helpers for the weekly-crawl tests (history, diff, watch): edit a generated site between crawls and
serve the new version on the same ports, so the crawler sees one site that changed.

A `Site` is data: copy it, change a body, drop a resource, relink a document, serve it again.
"""
from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, unquote

from sitegen import Resource, ServerHandle, Site, serve_pair

FAST = ("--delay", "0", "--concurrency", "8", "--no-progress")
_ANCHOR = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*>.*?</a>', re.S)
# innermost list items first, then table rows: the entry itself, never the row of a whole ITA item
_ROWS = (re.compile(r"<li\b(?:(?!<li\b).)*?</li>", re.S), re.compile(r"<tr\b(?:(?!<tr\b).)*?</tr>", re.S))


def oit(*args: str, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess:
    """The real `oit` command in a subprocess (a crawl starts Scrapy's reactor, once per process)."""
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


class Served:
    """A site on fixed ports: `swap(site)` serves another version at the very same URLs."""

    def __init__(self, site: Site):
        self.handle: ServerHandle = serve_pair(site)
        self.ports = (self.handle.port, self.handle.second.port if self.handle.second else 0)

    @property
    def start_url(self) -> str:
        return self.handle.start_url

    def url_for(self, path: str) -> str:
        return self.handle.url_for(path)

    def swap(self, site: Site) -> None:
        self.handle.stop()
        self.handle = serve_pair(site, port=self.ports[0], second_port=self.ports[1])

    def sent(self) -> int:
        """Body bytes sent since the last call (both hosts), then the log starts afresh."""
        logs = [self.handle.requests] + ([self.handle.second.requests] if self.handle.second else [])
        total = sum(r.sent for log in logs for r in log)
        self.handle.clear_log()
        return total

    def stop(self) -> None:
        self.handle.stop()


def copy_site(site: Site) -> Site:
    return Site(dict(site.resources), site.manifest, dict(site.routes), site.second)


def _decoded(href: str) -> str:
    for _ in range(3):
        href = unquote(href)
    return href.replace("&amp;", "&")


def _html(site: Site):
    for path, res in list(site.resources.items()):
        if (res.content_type or "").startswith("text/html") and res.status == 200:
            yield path, res


def _replace(site: Site, path: str, body: bytes) -> None:
    old = site.resources[path]
    site.resources[path] = Resource(body, old.content_type, dict(old.headers), old.status,
                                    datetime(2024, 7, 1, 9, 0, tzinfo=timezone.utc), old.pad_to)


def relink(site: Site, old_path: str, new_path: str | None) -> int:
    """Point every link to old_path at new_path, or remove those links (None); the number changed."""
    changed = 0
    for path, res in _html(site):
        text = res.body.decode("utf-8", errors="surrogateescape")

        def sub(m: re.Match) -> str:
            nonlocal changed
            if _decoded(m.group(1)) != old_path:
                return m.group(0)
            changed += 1
            return "" if new_path is None else m.group(0).replace(m.group(1), quote(new_path, safe="/?=&"))

        new_text = _ANCHOR.sub(sub, text)
        if new_text != text:
            _replace(site, path, new_text.encode("utf-8", errors="surrogateescape"))
    return changed


def drop_rows(site: Site, target: str) -> int:
    """Remove the table rows / list items that link to target (the entry is taken down, not just its
    link); the number removed."""
    removed = 0
    for path, res in _html(site):
        text = res.body.decode("utf-8", errors="surrogateescape")

        def sub(m: re.Match) -> str:
            nonlocal removed
            if any(_decoded(a.group(1)) == target for a in _ANCHOR.finditer(m.group(0))):
                removed += 1
                return ""
            return m.group(0)

        new_text = text
        for row in _ROWS:
            new_text = row.sub(sub, new_text)
        if new_text != text:
            _replace(site, path, new_text.encode("utf-8", errors="surrogateescape"))
    return removed


def add_link(site: Site, page: str, href_path: str, text: str) -> None:
    """A link to href_path in page's body, in its own paragraph."""
    body = site.resources[page].body
    anchor = f'<p><a href="{quote(href_path, safe="/?=&")}">{text}</a></p>'.encode()
    _replace(site, page, body.replace(b"</body>", anchor + b"</body>", 1))


def change_body(site: Site, path: str, extra: bytes = b"\n% revised copy\n") -> None:
    """Same URL, new content (a PDF keeps reading with a comment after %%EOF)."""
    _replace(site, path, site.resources[path].body + extra)


def move(site: Site, old_path: str, new_path: str) -> None:
    site.resources[new_path] = site.resources.pop(old_path)
    relink(site, old_path, new_path)
