"""A bug of ours inside the spider's callback (here injected: following the links of one page raises) is
recorded as a failure of that URL, never only a Scrapy stat: the page shows as "the crawler failed
reading it", the pages only it linked to are known to be unseen, and the run publishes no score."""
from __future__ import annotations

import inspect
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time

from scrapy.utils.misc import is_generator_with_return_value

from crawler.crawl import settings
from crawler.evidence.failures import failure_label
from sitegen.layouts import layout
from sitegen.server import serve_pair
from spiders.site import SiteSpider

# A crawl in which following the links of /page/6 fails, as a bug in link handling would.
FAULTY = textwrap.dedent("""
    import sys
    from spiders.site import SiteSpider
    follow_links = SiteSpider.follow
    def failing(self, response, depth, targets):
        if response.url.endswith("/page/6"):
            raise RuntimeError("injected fault")
        return follow_links(self, response, depth, targets)
    SiteSpider.follow = failing
    from crawler.cli.main import main
    sys.exit(main(sys.argv[1:]))
""")


def faulty_audit(script: str, tmp_path, *options: str):
    """`oit audit` of the redirect_home site by `script` (the CLI with a fault injected): the site's
    address, the finished process (no traceback shown), and the stored resources by URL."""
    server = serve_pair(layout("redirect_home"))
    try:
        result = subprocess.run(
            [sys.executable, "-c", script, "--db", "e.sqlite", "audit", server.url + "/", "--fiscal-year", "2567",
             "--as-of", "2024-06-30", "--out", "out", "--delay", "0", "--no-progress", *options],
            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    finally:
        server.stop()
    assert "Traceback" not in result.stderr, result.stderr
    con = sqlite3.connect(tmp_path / "e.sqlite")
    con.row_factory = sqlite3.Row
    return server.url, result, {r["url"]: r for r in con.execute("SELECT * FROM resources")}


def test_an_exception_in_the_callback_is_a_recorded_failure_and_no_score(tmp_path):
    url, result, stored = faulty_audit(FAULTY, tmp_path, "--format", "json,html")
    page6 = stored[url + "/page/6"]
    assert not page6["ok"] and page6["error_kind"] == "crawler_error"
    assert "RuntimeError: injected fault" in page6["error"]
    assert url + "/page/7" not in stored                 # only /page/6 links there: never reached
    assert stored[url + "/page/5"]["ok"]                 # the rest of the crawl went on
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["oit_score"] is None                   # items not passed may lie behind /page/6
    assert result.returncode != 0
    reasons = [i["reason_th"] for i in report["items"] if i["status"] == "not_checked"]
    assert reasons and all("ระบบตรวจอ่านหน้าเว็บ 1 หน้าไม่สำเร็จ" in r for r in reasons)
    assert report["crawl"]["failures"][0]["kind"] == "crawler_error"
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert failure_label("crawler_error") in page                 # said in Thai where staff read it


def test_no_spider_callback_returns_a_value_from_its_generator():
    """Scrapy's own check of this is off (WARN_ON_GENERATOR_RETURN_VALUE: it parsed the callback's
    source again on every answer), so it is made here, the way Scrapy makes it: a value returned from
    a generator callback would be silently dropped by Scrapy."""
    assert settings.WARN_ON_GENERATOR_RETURN_VALUE is False
    generators = [f for _, f in inspect.getmembers(SiteSpider, inspect.isgeneratorfunction)]
    assert SiteSpider.failed in generators
    assert inspect.isasyncgenfunction(SiteSpider.parse)       # (an async generator cannot return a value)
    assert [f.__name__ for f in generators if is_generator_with_return_value(f)] == []


def test_a_start_page_that_answers_but_cannot_be_read_is_not_called_unreachable(tmp_path):
    """An empty start page (kind broken_empty) answered: "cannot reach the site, check the address"
    would send the working group to the wrong fix."""
    import http.server
    import threading

    class Empty(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Empty)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        result = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "--db", "e.sqlite", "crawl", url, "--delay", "0", "--no-progress",
             "-s", "OIT_OCR_ENABLED=False"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
    assert result.returncode == 3, result.stderr
    assert "the start page answered but could not be read" in result.stderr and "broken_empty" in result.stderr
    assert "cannot reach" not in result.stderr and "oit inspect" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_crawl_runs_no_remote_control_server_and_a_killed_one_leaves_no_file(site_server, tmp_path):
    """Scrapy 2.19 would start an HTTP server that runs the Python code sent to it, and write its token
    to a job file in the user's state folder, left there when the crawl is killed."""
    server = site_server()
    state = tmp_path / "state"
    crawl = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "--db", "e.sqlite", "crawl", server.start_url, "--delay", "0",
         "--no-progress"], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "XDG_STATE_HOME": str(state)})
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and crawl.poll() is None and not _run_started(tmp_path / "e.sqlite"):
            time.sleep(0.1)
        time.sleep(0.5)                       # the crawl is fetching: its server would be up by now
        assert crawl.poll() is None, "the crawl ended before it could be looked at"
        assert not list(state.rglob("*.json"))
    finally:
        crawl.kill()
        crawl.wait()
    assert not list(state.rglob("*.json"))


def test_a_crawl_imports_no_remote_control_and_no_aiohttp(tmp_path):
    """Scrapy imports every extension its lists name, a switched-off one too, and the remote control's
    module imports aiohttp: +10 MB in the crawl process (issue 16). Its other extensions still load."""
    code = ("import atexit, sys; atexit.register(lambda: open('modules.txt', 'w').write(' '.join(sys.modules))); "
            "from crawler.cli.main import main; sys.exit(main(sys.argv[1:]))")
    server = serve_pair(layout("redirect_home"))
    try:
        done = subprocess.run([sys.executable, "-c", code, "--db", "e.sqlite", "crawl", server.url + "/", "--delay",
                               "0", "--no-progress"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    modules = set((tmp_path / "modules.txt").read_text().split())
    assert {"scrapy.core.engine", "scrapy.extensions.logstats", "crawler.crawl.progress"} <= modules
    assert "scrapy.extensions.remote_control" not in modules and "aiohttp" not in modules


def _run_started(db) -> bool:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] > 0
        finally:
            con.close()
    except sqlite3.Error:
        return False


# A crawl in which our code fails after the callback: extracting one document, and storing one page's
# record (the store refuses it once, as it would data it cannot take).
FAULTY_PIPELINES = textwrap.dedent("""
    import sys
    from scrapy.utils.reactor import install_reactor
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")   # before pipelines import one
    from crawler.crawl.pipelines import ExtractionPipeline
    from crawler.evidence.store import Store
    extract, add_resource = ExtractionPipeline.extract, Store.add_resource
    async def failing_extract(self, body, **hints):
        if hints.get("url", "").endswith("/files/plan.pdf"):
            raise RuntimeError("injected extraction fault")
        return await extract(self, body, **hints)
    def refusing(self, run_id, resource, *args, **kw):
        if resource["url"].endswith("/page/5") and resource["ok"]:
            raise ValueError("injected store fault")
        return add_resource(self, run_id, resource, *args, **kw)
    ExtractionPipeline.extract, Store.add_resource = failing_extract, refusing
    from crawler.cli.main import main
    sys.exit(main(sys.argv[1:]))
""")


def test_an_exception_in_a_pipeline_is_a_recorded_failure_not_a_lost_item(tmp_path):
    """Scrapy would log "Error processing" and drop the item: the document or page would be missing
    from the store as if never linked, and an item whose evidence it is judged missing."""
    url, _, stored = faulty_audit(FAULTY_PIPELINES, tmp_path, "--format", "json", "-s", "OIT_OCR_ENABLED=False")
    plan = stored[url + "/files/plan.pdf"]
    assert not plan["ok"] and plan["error_kind"] == "crawler_error"
    assert plan["error"] == "RuntimeError: injected extraction fault"
    page5 = stored[url + "/page/5"]
    assert not page5["ok"] and page5["error_kind"] == "crawler_error"
    assert page5["error"] == "ValueError: injected store fault"
    assert stored[url + "/page/6"]["ok"]                 # its links had been followed: the crawl went on
    assert all(r["ok"] for address, r in stored.items() if address not in (plan["url"], page5["url"]))
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["oit_score"] is None                   # a page unread: evidence may lie in it
    assert {f["url"] for f in report["crawl"]["failures"]} == {plan["url"], page5["url"]}
    o5 = next(i for i in report["items"] if i["id"] == "O5")
    plan_verdict = next(e for e in o5["elements"] if e["id"] == "action_plan")
    assert plan_verdict.get("unreachable") and not plan_verdict["satisfied"]   # not read, never "missing"
