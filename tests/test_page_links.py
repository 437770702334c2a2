"""A page is read once (issue 16): the spider follows the links the page's extraction read
(spiders/site.py page_links), and for an unchanged page of a re-crawl the links its earlier run stored;
it reads a page itself only where those are not whole (a page of more than html.MAX_LINKS links, one
that could not be read). Checked in real crawls, page by page, against the spider's own read of the
page: the same targets, in the same order."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from sitegen.hostile import serve_hostile
from sitegen.layouts import page
from sitegen.model import Manifest, Resource, Site
from sitegen.server import serve_pair

# The crawl, with each in-scope page's followed links compared with the spider's own read of the page,
# and whether the page was read by the spider itself, logged a line per page.
CHECKED = textwrap.dedent("""
    import json, os, sys
    from spiders.site import SiteSpider
    own_read = SiteSpider.link_targets
    read_here = set()                # (other pages' callbacks run while one awaits its extraction)
    def counted(response):
        read_here.add(response.url)
        return own_read(response)
    SiteSpider.link_targets = staticmethod(counted)
    page_links = SiteSpider.page_links
    async def checked(self, response, item):
        followed = list(await page_links(self, response, item))
        record = {"url": response.url, "read_here": response.url in read_here,
                  "same": followed == list(own_read(response)), "links": len(followed)}
        with open(os.environ["OIT_TEST_LINKS_LOG"], "a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\\n")
        return iter(followed)
    SiteSpider.page_links = checked
    from crawler.cli.main import main
    sys.exit(main(sys.argv[1:]))
""")
FAST = ["--no-progress", "--delay", "0", "-s", "OIT_OCR_ENABLED=false"]


def crawl(cwd: Path, log: Path, *args: str) -> list[dict]:
    result = subprocess.run([sys.executable, "-c", CHECKED, "--db", "e.sqlite", "crawl", *args, *FAST],
                            cwd=cwd, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "OIT_TEST_LINKS_LOG": str(log), "PYTHONPATH": os.getcwd()})
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def stored(db: Path, run: int) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return sorted(con.execute("SELECT url, kind, ok, sha256 FROM resources WHERE run_id = ?", (run,)))
    finally:
        con.close()


def test_a_crawl_and_its_recrawl_follow_the_extracted_links_and_read_no_page_twice(site_server, tmp_path):
    server = site_server()
    first = crawl(tmp_path, tmp_path / "first.log", server.url + "/")
    again = crawl(tmp_path, tmp_path / "again.log", server.url + "/")
    assert len(first) > 30 and sum(r["links"] for r in first) > 300
    assert [r for r in first if not r["same"]] == []
    assert [r["url"] for r in first if r["read_here"]] == []           # every page read once, by a worker
    # The re-crawl's pages are unchanged: not extracted again, their stored links followed. (Which
    # months of the calendar trap are fetched before it is bounded depends on the order pages arrive.)
    assert plain(r["url"] for r in again) == plain(r["url"] for r in first)
    assert [r for r in again if not r["same"]] == []
    assert [r["url"] for r in again if r["read_here"]] == []
    assert plain(stored(tmp_path / "e.sqlite", 2)) == plain(stored(tmp_path / "e.sqlite", 1))


def plain(entries) -> list:
    """Entries (URLs, or rows beginning with one) but those of a query-string trap, sorted."""
    return sorted(e for e in entries if "?" not in (e if isinstance(e, str) else e[0]))


def test_hostile_pages_follow_the_same_links_and_a_page_cut_short_is_read_whole(tmp_path):
    """Odd encodings (a TIS-620 page, UTF-16), a gzip page, deep nesting: the same targets as the
    spider's own read; the page of 25,000 links, whose extraction keeps html.MAX_LINKS of them, is
    read by the spider (which follows its first OIT_MAX_LINKS_PER_PAGE, and records the rest once as a limit)."""
    server = serve_hostile(links=25_000, documents=50)
    try:
        pages = crawl(tmp_path, tmp_path / "hostile.log", server.start_url, "--max-pages", "30",
                      "-s", "OIT_PUBLIC_NETWORKS=127.0.0.2/32", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=0",
                      "-s", "OIT_MAX_DOCUMENTS=20", "-s", "OIT_MAX_LINKS_PER_PAGE=300")
    finally:
        server.stop()
    names = {r["url"].rsplit("/", 1)[1]: r for r in pages}
    assert {"", "tis620.html", "utf16.html", "deep.html", "gzip-small.html", "many-links.html"} <= set(names)
    assert [r for r in pages if not r["same"]] == []
    # (bad-bytes.html is binary served as HTML: not readable as a page, read by the spider as before)
    assert sorted(name for name, r in names.items() if r["read_here"]) == ["bad-bytes.html", "many-links.html"]
    assert names["many-links.html"]["links"] == 25_000 and names["many-docs.html"]["links"] == 50


def test_a_page_in_the_charset_only_its_header_names_is_read_in_that_charset(tmp_path):
    """A page whose encoding only its Content-Type header names (Latin-1, no <meta>): its extraction
    decodes it as the header says, as the spider's own read does, so the link to /café.html is
    followed to the page, not to a misread address (windows-874, the guess for a page that is not
    UTF-8, makes é a Thai tone mark)."""
    start = '<html><head><title>Caf\u00e9</title></head><body><a href="/caf\u00e9.html">Menu</a></body></html>'
    site = Site({"/": Resource(start.encode("latin-1"), "text/html; charset=iso-8859-1"),
                 "/caf\u00e9.html": page("เมนู", [])},
                Manifest(scenario="latin1", district="latin1", site_name="เขตทดสอบ", fiscal_year=2567,
                         as_of="2024-06-30", prefix="/", start_path="/"))
    server = serve_pair(site)
    try:
        pages = crawl(tmp_path, tmp_path / "latin1.log", server.url + "/")
    finally:
        server.stop()
    assert [(r["url"], r["links"], r["same"], r["read_here"]) for r in pages[:1]] == [(server.url + "/", 1, True, False)]
    con = sqlite3.connect(tmp_path / "e.sqlite")
    try:
        rows = dict(con.execute("SELECT url, ok FROM resources"))
        title = con.execute("SELECT t.title FROM texts t JOIN resources r ON r.sha256 = t.sha256 "
                            "WHERE r.url = ?", (server.url + "/",)).fetchone()[0]
    finally:
        con.close()
    assert rows == {server.url + "/": 1, server.url + "/caf%C3%A9.html": 1}
    assert title == "Caf\u00e9"
