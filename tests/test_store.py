"""The evidence store: transactions per resource, crash safety, immutability of finished runs."""
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crawler.evidence.store import Store, StoreError


def _resource(url, ok=True, **kw):
    return {"url": url, "final_url": url, "kind": kw.pop("kind", "page"), "ok": ok, "status": 200 if ok else 404,
            "error_kind": None if ok else "http_404", **kw}


def test_finished_run_is_immutable(tmp_path):
    store = Store(tmp_path / "e.sqlite")
    run = store.start_run("http://127.0.0.1/x/")
    store.add_resource(run, _resource("http://127.0.0.1/x/"))
    store.finish_run(run, complete=True)
    assert store.run(run)["status"] == "complete"
    with pytest.raises(sqlite3.DatabaseError, match="immutable"):
        store.add_resource(run, _resource("http://127.0.0.1/x/late"))
    with pytest.raises(sqlite3.DatabaseError, match="immutable"):
        store.db.execute("UPDATE runs SET status='running' WHERE id=?", (run,))
    page = store.db.execute("SELECT id FROM resources WHERE run_id=?", (run,)).fetchone()[0]
    with pytest.raises(sqlite3.DatabaseError, match="immutable"):
        store.db.execute("INSERT INTO page_links (resource_id, target_url) VALUES (?, 'http://127.0.0.1/x/y')",
                         (page,))
    with pytest.raises(sqlite3.DatabaseError, match="immutable"):
        store.db.execute("UPDATE resources SET links_of = 1 WHERE id=?", (page,))
    assert store.counts(run)["resources"] == 1


def test_writes_grouped_in_one_commit_are_each_all_or_nothing(tmp_path):
    """The crawl commits the resources ready together in one transaction: one that fails leaves
    nothing of itself (not even the text written before its record failed), the others are stored."""
    from crawler.extraction import Extraction
    store = Store(tmp_path / "e.sqlite")
    run = store.start_run("http://127.0.0.1/x/")
    text = Extraction(format="html", title="ประกาศ", text="ประกาศ ปีงบประมาณ พ.ศ. 2567")
    with store.grouped():
        store.add_resource(run, _resource("http://127.0.0.1/x/a", sha256="a" * 64), text)
        with pytest.raises(sqlite3.IntegrityError):       # no such run: the record fails after its text
            store.add_resource(run + 1, _resource("http://127.0.0.1/x/b", sha256="b" * 64), text)
        store.add_resource(run, _resource("http://127.0.0.1/x/c"))
    later = Store(tmp_path / "e.sqlite")                  # what another reader sees: committed
    assert [r[0] for r in later.db.execute("SELECT url FROM resources ORDER BY url")] == [
        "http://127.0.0.1/x/a", "http://127.0.0.1/x/c"]
    assert [r[0] for r in later.db.execute("SELECT sha256 FROM texts")] == ["a" * 64]


def test_the_crawls_group_of_writes_needs_savepoints_only_when_one_fails(tmp_path):
    """The crawl's store writer (write_group) runs a group's writes without a savepoint each, and
    only when one fails (a bug: a store error stops the run) writes the group again with them: the
    same outcome, each write all or nothing (the failed one leaves not even its text), the others
    stored, the failure returned for its resource."""
    from crawler.crawl.pipelines import write_group
    from crawler.extraction import Extraction
    store = Store(tmp_path / "e.sqlite")
    run = store.start_run("http://127.0.0.1/x/")
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    text = Extraction(format="html", title="ประกาศ", text="ประกาศ ปีงบประมาณ พ.ศ. 2567")
    add = lambda url, **kw: lambda: store.add_resource(run, _resource(url, **kw), text)  # noqa: E731

    assert write_group(store, [add("http://127.0.0.1/x/a", sha256="a" * 64), add("http://127.0.0.1/x/b")]) == [None, None]
    assert not [s for s in statements if "SAVEPOINT" in s]

    # a bug half way: its text is written, then its record's dates cannot be (not JSON)
    half_done = add("http://127.0.0.1/x/d", sha256="d" * 64, dates=[object()])
    statements.clear()
    errors = write_group(store, [add("http://127.0.0.1/x/c", sha256="c" * 64), half_done, add("http://127.0.0.1/x/e")])
    assert [type(e) for e in errors] == [type(None), TypeError, type(None)]
    assert [s for s in statements if "SAVEPOINT" in s]
    later = Store(tmp_path / "e.sqlite")                  # what another reader sees: committed
    assert [r[0] for r in later.db.execute("SELECT url FROM resources ORDER BY url")] == [
        f"http://127.0.0.1/x/{name}" for name in "abce"]
    assert [r[0] for r in later.db.execute("SELECT sha256 FROM texts ORDER BY sha256")] == ["a" * 64, "c" * 64]


def test_a_url_is_one_resource_and_success_replaces_failure(tmp_path):
    store = Store(tmp_path / "e.sqlite")
    run = store.start_run("http://127.0.0.1/x/")
    store.add_resource(run, _resource("http://127.0.0.1/x/a", ok=False))
    store.add_resource(run, _resource("http://127.0.0.1/x/a", ok=True))
    store.add_resource(run, _resource("http://127.0.0.1/x/a", ok=False))
    rows = store.db.execute("SELECT ok FROM resources WHERE run_id=?", (run,)).fetchall()
    assert [r["ok"] for r in rows] == [1]


def test_crash_keeps_everything_stored_and_marks_run_incomplete(tmp_path):
    db = tmp_path / "e.sqlite"
    script = textwrap.dedent(f"""
        import os
        from crawler.evidence.store import Store
        s = Store({str(db)!r})
        run = s.start_run("http://127.0.0.1/x/")
        for i in range(25):
            s.add_resource(run, {{"url": f"http://127.0.0.1/x/{{i}}", "kind": "page", "ok": True}})
        os._exit(9)   # no finish, no close: a crash
    """)
    proc = subprocess.run([sys.executable, "-c", script])
    assert proc.returncode == 9
    store = Store(db)
    (run,) = store.runs()
    assert run["status"] == "incomplete"
    assert store.counts(run["id"])["pages"] == 25


def test_site_wide_navigation_is_marked_from_frequency(tmp_path):
    from crawler.extraction import Link
    store = Store(tmp_path / "e.sqlite")
    run = store.start_run("http://h/x/")
    for i in range(6):
        links = [Link(href="http://h/x/manual", text="คู่มือการปฏิบัติงาน", context="", heading="", in_nav=False)]
        if i == 0:
            links.append(Link(href="http://h/x/doc.pdf", text="คู่มือ", context="", heading="", in_nav=False))
        store.add_resource(run, _resource(f"http://h/x/p{i}"), links=links)
    store.finish_run(run, complete=True)
    evidence = store.load_run(run)
    nav = {(l.target_url, l.is_nav) for l in evidence.links}
    assert ("http://h/x/manual", True) in nav
    assert ("http://h/x/doc.pdf", False) in nav


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable evidence store"):
        Store(bad)
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing" / "e.sqlite")


# -- re-crawls stay as cheap with a year of history as with one run (issue 16) ----------------------

EXTRACTOR = "oit-extract/test/1"
PAGES = 30


def _page_links(i: int) -> list:
    from crawler.extraction import Link
    return [Link(href=f"http://h/x/p{(i + k) % PAGES}", text=f"หน้า {k}", context="", heading="", in_nav=k == 0)
            for k in range(1, 6)]


def _crawl_page(store: Store, run: int, i: int) -> None:
    """What the pipelines do for one fetched page: reuse the stored extraction of unchanged content,
    else store the new extraction and its links."""
    from crawler.extraction import Extraction
    url, sha = f"http://h/x/p{i}", f"{i:064x}"
    resource = _resource(url, sha256=sha, size=100)
    earlier = store.reusable_page(sha, EXTRACTOR, url, url)
    if earlier is not None:
        store.add_resource(run, resource, extractor=EXTRACTOR, links_from=earlier)
    else:
        extraction = Extraction(format="html", title=f"หน้า {i}", text=f"ข้อความของหน้า {i} " * 50,
                                links=_page_links(i))
        store.add_resource(run, resource, extraction, extraction.links, EXTRACTOR)


def _crawl(store: Store, pages=range(PAGES)) -> int:
    run = store.start_run("http://h/x/")
    for i in pages:
        _crawl_page(store, run, i)
    store.finish_run(run, complete=True)
    return run


def _vm_steps(store: Store, write) -> int:
    """SQLite virtual-machine instructions a write executes, foreign key checks and triggers included:
    a count of the work done, unlike a timing, the same on a busy machine and an idle one."""
    steps = 0

    def count():
        nonlocal steps
        steps += 1
        return 0
    store.db.set_progress_handler(count, 1)
    try:
        write()
    finally:
        store.db.set_progress_handler(None, 0)
    return steps


def test_an_unchanged_page_keeps_its_text_and_links_without_rewriting_them(tmp_path):
    store = Store(tmp_path / "e.sqlite")
    one = _crawl(store)
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    two = _crawl(store)
    store.db.set_trace_callback(None)
    assert not [s for s in statements if "INTO texts" in s]          # nothing re-extracted or rewritten
    first, second = store.load_run(one), store.load_run(two)
    as_seen = lambda run: sorted((l.source_url, l.target_url, l.text, l.is_nav) for l in run.links)  # noqa: E731
    assert as_seen(second) == as_seen(first) and len(first.links) == PAGES * 5
    assert {u: r.text for u, r in second.resources.items()} == {u: r.text for u, r in first.resources.items()}
    # The same extraction stored again (two URLs with one content, extracted at once) changes no row.
    from crawler.extraction import Extraction
    run = store.start_run("http://h/x/")
    for url, rows_changed in (("http://h/x/copy", 2), ("http://h/x/copy2", 1)):   # texts updated once
        before = store.db.total_changes
        store.add_resource(run, _resource(url, sha256=f"{0:064x}"), Extraction(format="html"),
                           extractor=EXTRACTOR)
        assert store.db.total_changes - before == rows_changed, url


def test_recrawl_writes_stay_flat_as_runs_accumulate(tmp_path):
    store = Store(tmp_path / "e.sqlite")
    _crawl(store)
    run = store.start_run("http://h/x/")
    early = _vm_steps(store, lambda: [_crawl_page(store, run, i) for i in range(PAGES)])
    store.finish_run(run, complete=True)
    for _ in range(40):
        _crawl(store)
    run = store.start_run("http://h/x/")
    late = _vm_steps(store, lambda: [_crawl_page(store, run, i) for i in range(PAGES)])
    print(f"\nVM steps for {PAGES} unchanged pages: run 2 {early}, run 43 {late}")
    assert late <= early * 1.05

    # Every lookup of the write path goes through an index, not a scan of the stored history.
    def plan(sql: str, *args) -> str:
        return " | ".join(row[-1] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql, args))
    sha, url = f"{1:064x}", "http://h/x/p1"
    reuse = plan("""SELECT r.run_id FROM resources r JOIN texts t ON t.sha256 = r.sha256
                    WHERE r.sha256 = ? AND r.url = ? AND r.final_url IS ? AND r.kind = 'page' AND r.ok
                    AND t.extractor = ? ORDER BY r.run_id DESC LIMIT 1""", sha, url, url, EXTRACTOR)
    assert "USING INDEX resources_content" in reuse and "SCAN r" not in reuse, reuse
    # The foreign key check of a texts row (its children in resources) and the links copied over.
    assert "USING COVERING INDEX resources_content" in plan("SELECT 1 FROM resources WHERE sha256 = ?", sha)
    # Whether a page's row holds its links, and a run's links read by its pages' rows.
    assert "USING COVERING INDEX page_links_resource" in plan("SELECT 1 FROM page_links WHERE resource_id = ?", 1)
    read = plan("""SELECT r.url, l.target_url FROM resources r
                   JOIN page_links l ON l.resource_id = COALESCE(r.links_of, r.id)
                   WHERE r.run_id = ? ORDER BY r.id, l.id""", 2)
    assert "USING INDEX page_links_resource" in read and "SCAN l" not in read, read
    assert "USING INDEX sqlite_autoindex_resources_1" in plan(
        "SELECT ok FROM resources WHERE run_id = ? AND url = ?", 1, url)       # the resources upsert


def test_an_older_store_gets_the_indexes_when_opened(tmp_path):
    path = tmp_path / "e.sqlite"
    store = Store(path)
    _crawl(store)
    store.db.execute("DROP INDEX resources_content")
    store.db.execute("DROP INDEX links_resource")
    store.db.execute("DROP INDEX page_links_resource")
    store.close()
    reopened = Store(path)
    names = {r[0] for r in reopened.db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"resources_content", "links_resource", "page_links_resource"} <= names
    assert reopened.load_run(1).resources


def _older_store(path: Path, page_rows: bool = True) -> int:
    """A store as made before page_links: each run's links in `links`, a row per link per run, naming
    their page's row (5 December 2026) or, older still (`page_rows=False`), found by URL through indexes
    on source and target URLs. Returns the crawl's run."""
    store = Store(path)
    run = _crawl(store)
    store.db.execute("DROP TRIGGER links_frozen")        # (made again when the store is next opened)
    store.db.execute(
        """INSERT INTO links (run_id, source_url, target_url, text, context, heading, in_nav, is_nav, resource_id)
           SELECT r.run_id, r.url, l.target_url, l.text, l.context, l.heading, l.in_nav, l.in_nav, r.id
           FROM page_links l JOIN resources r ON r.id = l.resource_id ORDER BY l.id""")
    store.db.execute("DROP TABLE page_links")
    store.db.execute("ALTER TABLE resources DROP COLUMN links_of")
    if not page_rows:
        store.db.execute("DROP INDEX links_resource")
        store.db.execute("ALTER TABLE links DROP COLUMN resource_id")
        store.db.execute("CREATE INDEX links_run_target ON links(run_id, target_url)")
        store.db.execute("CREATE INDEX links_run_source ON links(run_id, source_url)")
    store.close()
    return run


def _page_link_rows(store: Store) -> int:
    return store.db.execute("SELECT COUNT(*) FROM page_links").fetchone()[0]


def _as_seen(store: Store, run: int) -> list[tuple]:
    return [(l.source_url, l.target_url, l.text, l.is_nav) for l in store.load_run(run).links]


@pytest.mark.parametrize("page_rows", [True, False], ids=["links by page row", "links by URL"])
def test_a_store_made_before_page_links_keeps_working(tmp_path, page_rows):
    """An older store is migrated when opened: its runs read as they were, and an unchanged page of a
    new run takes its links from the run that stored them: copied once, then named."""
    path = tmp_path / "e.sqlite"
    one = _older_store(path, page_rows)
    store = Store(path)
    names = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "links_run_target" not in names and {"links_resource", "page_links_resource"} <= names
    assert ("links_run_source" in names) is not page_rows
    before = _as_seen(store, one)
    assert len(before) == PAGES * 5
    two = _crawl(store)                                  # links copied from the old table, once
    assert _page_link_rows(store) == PAGES * 5
    three = _crawl(store)                                # ... then named
    assert _page_link_rows(store) == PAGES * 5
    assert _as_seen(store, two) == _as_seen(store, three) == before


def test_an_older_store_on_read_only_media_is_read_as_it_is(tmp_path, monkeypatch):
    """A store copied to read-only media (opened read-only: root writes to any file here) cannot be
    migrated: it is read as it was written."""
    import crawler.evidence.store as store_module
    path = tmp_path / "e.sqlite"
    one = _older_store(path, page_rows=False)
    connect = sqlite3.connect
    monkeypatch.setattr(store_module.sqlite3, "connect",
                        lambda p, **kw: connect(f"file:{p}?mode=ro", uri=True, **kw))
    store = Store(path)
    assert not store.page_links                          # nothing was added to it
    assert _as_seen(store, one) == [(f"http://h/x/p{i}", l.href, l.text, l.in_nav)
                                    for i in range(PAGES) for l in _page_links(i)]


def test_a_recrawl_of_unchanged_pages_adds_no_link_rows(tmp_path):
    """A weekly re-crawl of an unchanged site stored each page's links again (~71 MB a run on the bench
    site, 3.7 GB a year): now an unchanged page names the row that holds them. A changed page stores its
    own; each run reads its own pages' links, in its page order."""
    store = Store(tmp_path / "e.sqlite")
    one, two = _crawl(store), _crawl(store)
    assert _page_link_rows(store) == PAGES * 5
    first_rows = {r[0] for r in store.db.execute("SELECT id FROM resources WHERE run_id = ?", (one,))}
    named = {r[0] for r in store.db.execute("SELECT links_of FROM resources WHERE run_id = ?", (two,))}
    assert named == first_rows
    stored_by = {r[0] for r in store.db.execute("SELECT DISTINCT resource_id FROM page_links")}
    assert stored_by == first_rows                       # every link row is on a page of the first run
    assert _as_seen(store, two) == _as_seen(store, one) and len(_as_seen(store, one)) == PAGES * 5

    # Run 3: page 0 changed (new content, one link), page 1 gone; the rest unchanged.
    from crawler.extraction import Extraction, Link
    three = store.start_run("http://h/x/")
    changed = Extraction(format="html", title="ใหม่", text="ข้อความใหม่",
                         links=[Link(href="http://h/x/new", text="ใหม่", context="", heading="", in_nav=False)])
    store.add_resource(three, _resource("http://h/x/p0", sha256="f" * 64), changed, changed.links, EXTRACTOR)
    for i in range(2, PAGES):
        _crawl_page(store, three, i)
    store.finish_run(three, complete=True)
    assert _page_link_rows(store) == PAGES * 5 + 1
    links = _as_seen(store, three)
    assert links[0] == ("http://h/x/p0", "http://h/x/new", "ใหม่", False)
    assert [l[:3] for l in links[1:]] == [l[:3] for l in _as_seen(store, one)
                                          if l[0] not in ("http://h/x/p0", "http://h/x/p1")]
    assert _as_seen(store, one) == _as_seen(store, two)  # earlier runs read as they were


def test_an_older_store_locked_by_another_writer_says_so(tmp_path):
    """The one-time migration of an older store needs a write: while another process holds the store's
    write lock, opening it says the store is busy, not that it is unusable."""
    path = tmp_path / "e.sqlite"
    _older_store(path)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="being written by another process"):
            Store(path, lock_timeout=0.1)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert Store(path).load_run(1).links                  # migrated once the writer is gone
