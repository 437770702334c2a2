"""Browser mode (issue 15, item 2): a loopback district site whose ITA page writes its item links from
JavaScript after load (sitegen/layouts.py `scripted`). With --browser the audit follows them and judges
O5 and O6 on the documents; without it the page is recognised as built by scripts, so those items are
not checked (never scored 0) and no score is published; the message says to crawl again with --browser.
The browser is the system's Chromium (scripts/install-system-deps), never Playwright's own download."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.crawl.browser import browser_failure_kind
from crawler.evidence.failures import FailureKind
from sitegen.layouts import SCRIPTED_ITEMS, SCRIPTED_SECRET, layout
from sitegen.server import serve_pair

FAST = ["--delay", "0", "--concurrency", "8", "--no-progress"]
# 127.0.0.1 counts as a public address: the second host (127.0.0.2, loopback) is then off limits.
PUBLIC = ["-s", "OIT_PUBLIC_NETWORKS=127.0.0.1/32"]


@pytest.fixture(scope="module")
def scripted():
    handle = serve_pair(layout("scripted"))
    yield handle
    handle.stop()


def audit(server, tmp_path: Path, *extra: str, env: dict | None = None):
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "--db", "e.sqlite", "audit", server.url + "/",
                             "--fiscal-year", "2567", "--as-of", "2024-06-30", "--out", "out", "--format", "json",
                             *FAST, *extra], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def stored(tmp_path: Path) -> dict:
    con = sqlite3.connect(tmp_path / "e.sqlite")
    con.row_factory = sqlite3.Row
    try:
        return {r["url"]: dict(r) for r in con.execute("SELECT * FROM resources")}
    finally:
        con.close()


def items(tmp_path: Path) -> dict:
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    return report, {item["id"]: item for item in report["items"]}


def test_browser_mode_follows_the_links_a_script_writes_and_judges_their_items(scripted, tmp_path):
    scripted.clear_log()
    result = audit(scripted, tmp_path, "--browser", *PUBLIC)
    assert result.returncode == 0, result.stderr
    report, by_id = items(tmp_path)
    assert report["published"] is True and report["crawl"]["healthy"] is True
    assert by_id["O5"]["status"] == "pass" and by_id["O6"]["status"] == "pass"
    assert by_id["O7"]["status"] == "fail"            # what the site does not have is still missing
    resources = stored(tmp_path)
    for path, _label in SCRIPTED_ITEMS:               # the documents the script listed, fetched and read
        document = resources[scripted.url + path]
        assert document["ok"] == 1 and document["kind"] == "document"
    assert resources[scripted.url + "/gone"]["error_kind"] == "http_404"      # an error page keeps its kind
    # A page's redirect to an address the policy refuses is refused, as without a browser; the page's
    # own script could not read the internal host either: it received no request at all.
    assert resources[scripted.url + "/moved"]["error_kind"] == "blocked"
    assert not [r for r in scripted.second.requests if r.path == SCRIPTED_SECRET]
    # The crawler names itself to the site in browser mode too.
    assert {r.agent.split("/")[0] for r in scripted.requests} == {"oit-crawler"}


def test_without_the_browser_a_script_built_page_is_flagged_and_no_score_is_published(scripted, tmp_path):
    result = audit(scripted, tmp_path)
    assert result.returncode == 3, result.stderr          # items not checked: no score
    report, by_id = items(tmp_path)
    assert report["published"] is False and report["oit_score"] is None
    assert by_id["O5"]["status"] == "not_checked" and by_id["O6"]["status"] == "not_checked"
    assert not report["missing_items"]                   # never scored as if the items were missing
    reasons = " ".join(report["completeness"]["reasons"])
    assert "JavaScript" in reasons and "--browser" in reasons and scripted.url + "/ita" in reasons
    assert "--browser" in result.stderr


def test_browser_mode_without_chromium_says_in_thai_how_to_install_it(scripted, tmp_path):
    scripted.clear_log()
    env = {**__import__("os").environ, "OIT_CHROMIUM": str(tmp_path / "nonexistent")}
    result = audit(scripted, tmp_path, "--browser", env=env)
    assert result.returncode == 2, result.stderr
    assert "ใช้โหมดเบราว์เซอร์" in result.stderr and "browser mode" in result.stderr
    assert "ติดตั้ง" in result.stderr and "make install" in result.stderr
    assert not scripted.requests                          # said before anything was fetched


def test_chromium_errors_are_the_crawls_failure_kinds():
    from playwright._impl._errors import Error, TimeoutError
    assert browser_failure_kind(Error("Page.goto: net::ERR_CONNECTION_REFUSED at http://x/")) is FailureKind.CONNECTION
    assert browser_failure_kind(Error("Page.goto: net::ERR_NAME_NOT_RESOLVED at http://x/")) is FailureKind.DNS
    assert browser_failure_kind(Error("Page.goto: net::ERR_BLOCKED_BY_CLIENT at http://x/")) is FailureKind.BLOCKED
    assert browser_failure_kind(Error("Page.goto: net::ERR_CERT_DATE_INVALID at https://x/")) is FailureKind.TLS
    assert browser_failure_kind(TimeoutError("Page.goto: Timeout 30000ms exceeded.")) is FailureKind.TIMEOUT
    assert browser_failure_kind(ValueError("net::ERR_NAME_NOT_RESOLVED")) is None     # not the browser's


def test_a_page_is_script_built_only_when_scripts_build_it_and_it_shows_next_to_nothing():
    from crawler.extraction import SCRIPT_BUILT
    from crawler.extraction.html import extract_html

    def flagged(body: str) -> bool:
        return any(w.startswith(SCRIPT_BUILT) for w in extract_html(body.encode(), url="http://x/").warnings)

    assert flagged('<html><body><div id="__next"></div><script src="/_next/static/chunks/main.js"></script></body></html>')
    assert flagged("<html><body><h1>ITA</h1><noscript>กรุณาเปิด JavaScript</noscript><script>x()</script></body></html>")
    # Analytics on a page with content, or a picture page with a tag manager, are ordinary pages.
    gtm = "<script>gtag('js', new Date())</script><noscript><iframe src='https://gtm/ns.html'></iframe></noscript>"
    assert not flagged(f"<html><body><h1>โครงสร้างหน่วยงาน</h1><img src='chart.png'>{gtm}</body></html>")
    rows = "".join(f"<li><a href='/d/{i}.pdf'>เอกสาร {i}</a></li>" for i in range(5))
    assert not flagged(f"<html><body><ul>{rows}</ul><script>document.write('x')</script></body></html>")
    assert not flagged("<html><body><h1>ITA</h1><p>ไม่มีสคริปต์</p></body></html>")


def test_a_watch_config_asks_for_browser_mode_per_site(tmp_path):
    from crawler.history.watch import WatchConfigError, crawl_command, load_config
    path = tmp_path / "w.yaml"
    path.write_text("sites:\n  - {url: 'http://127.0.0.1:9/a/', fiscal_year: 2567, out: a, crawl: {browser: true}}\n"
                    "  - {url: 'http://127.0.0.1:9/b/', fiscal_year: 2567, out: b}\n", encoding="utf-8")
    first, second = load_config(path).sites
    assert "--browser" in crawl_command(first, tmp_path / "e.sqlite", progress=False)
    assert "--browser" not in crawl_command(second, tmp_path / "e.sqlite", progress=False)
    path.write_text("sites:\n  - {url: 'http://127.0.0.1:9/a/', fiscal_year: 2567, out: a, crawl: {browser: 1}}\n",
                    encoding="utf-8")
    with pytest.raises(WatchConfigError, match="browser"):
        load_config(path)
