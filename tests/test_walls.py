"""Walls (issue 15, item 1): a loopback site that answers as Cloudflare's challenge does, and one that
sends the crawler to a central sign-in page. The crawl records the wall as its own failure kind, the
audit publishes no score and tells staff in Thai what to do, and `--contact` names who runs the tool
in the User-Agent the site sees."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.evidence.failures import FailureKind, failure_label
from crawler.evidence.walls import WALL_ADVICE, wall_kind
from sitegen.layouts import layout
from sitegen.server import serve_pair

FAST = ["--delay", "0", "--concurrency", "8", "--no-progress"]
AS_OF = "2024-06-30"


@pytest.fixture
def served():
    handles = []

    def start(name: str):
        handle = serve_pair(layout(name))
        handles.append(handle)
        return handle

    yield start
    for handle in handles:
        handle.stop()


def audit(server, tmp_path: Path, *extra: str) -> tuple[subprocess.CompletedProcess, dict, dict]:
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "--db", "e.sqlite", "audit", server.url + "/",
                             "--fiscal-year", "2567", "--as-of", AS_OF, "--out", "out", "--format", "json", *FAST, *extra],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    con = sqlite3.connect(tmp_path / "e.sqlite")
    con.row_factory = sqlite3.Row
    stored = {r["url"]: r for r in con.execute("SELECT * FROM resources")}
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    return result, stored, report


def test_a_cloudflare_challenge_is_a_bot_wall_no_score_and_staff_are_told_what_to_do(served, tmp_path):
    server = served("cloudflare")
    result, stored, report = audit(server, tmp_path, "--contact", "it@district.example.go.th")
    assert result.returncode == 3, result.stderr                       # unhealthy: no score
    start = stored[server.url + "/"]
    assert start["error_kind"] == "bot_wall" and start["status"] == 403
    assert report["crawl"]["healthy"] is False and report["oit_score"] is None
    reasons = " ".join(report["crawl"]["health_reasons"])
    assert failure_label("bot_wall") in reasons                         # named in Thai, not "http_403"
    assert "User-Agent" in result.stderr and "--urls" in result.stderr  # what to do, on the terminal too
    assert WALL_ADVICE in report["crawl"]["health_reasons"]
    agents = {r.agent for r in server.requests if r.path == "/"}
    assert agents and all("oit-crawler/" in a and "mailto:it@district.example.go.th" in a for a in agents)


def test_a_redirect_to_a_central_login_is_a_login_wall(served, tmp_path):
    server = served("central_login")
    result, stored, report = audit(server, tmp_path)
    assert result.returncode == 3, result.stderr
    assert stored[server.url + "/"]["error_kind"] == "login_wall"
    assert report["crawl"]["healthy"] is False
    assert WALL_ADVICE in report["crawl"]["health_reasons"]


def test_the_login_form_start_page_of_the_trust_work_gets_the_same_advice(served, tmp_path):
    server = served("login")
    result, _, report = audit(server, tmp_path)
    assert result.returncode == 3
    assert WALL_ADVICE in report["crawl"]["health_reasons"]


CF = {"server": "cloudflare", "cf-ray": "8f1d2c3b4a5e6f70-BKK"}


@pytest.mark.parametrize("status, headers, body, url, kind", [
    (403, CF, "<title>Attention Required! | Cloudflare</title>", "https://x.go.th/", FailureKind.BOT_WALL),
    (503, CF, "<title>Just a moment...</title>", "https://x.go.th/", FailureKind.BOT_WALL),
    (200, {"cf-mitigated": "challenge"}, "", "https://x.go.th/", FailureKind.BOT_WALL),
    (403, {}, "<p>Please complete the CAPTCHA</p>", "https://x.go.th/", FailureKind.BOT_WALL),
    (200, {}, '<form><input type="password"></form>', "https://sso.bangkok.go.th/login", FailureKind.LOGIN_WALL),
    # A site behind Cloudflare carries its headers on every page: a contact form's CAPTCHA is no wall.
    (200, CF, "<h1>ติดต่อเรา</h1><div class='g-recaptcha'></div>", "https://x.go.th/contact", None),
    (403, {}, "<h1>Forbidden</h1>", "https://x.go.th/admin", None),     # a plain 403 stays http_403
    (200, {}, "<h1>ข่าวประชาสัมพันธ์</h1>", "https://x.go.th/news", None),
])
def test_wall_kind_tells_a_wall_from_an_ordinary_answer(status, headers, body, url, kind):
    assert wall_kind(status, headers, body, url) == kind
