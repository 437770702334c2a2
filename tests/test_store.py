"""The evidence store: transactions per resource, crash safety, immutability of finished runs."""
import sqlite3
import subprocess
import sys
import textwrap

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
    assert store.counts(run)["resources"] == 1


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
