"""Shared fixtures: generated district sites and loopback servers for them.

    def test_something(site_server):
        server = site_server("samphanthawong_2567")          # started once per session
        manifest = server.site.manifest                      # what is there, expected scores
        url = server.start_url                               # http://127.0.0.1:<port>/samphanthawong/
        server.second.url                                    # http://127.0.0.2:<port> (cloud drive, e-service)

In CI (CI=true, set by .ci/run) a skipped test is a failed test: CI has ../shared, Chromium, Tesseract and
the fonts, so a skip there means something is missing. Skips are for a user's own machine only.

Sites are generated once per scenario and arguments and kept on disk between runs (keyed by the
generator's source, so a change to sitegen regenerates them): $OIT_SITEGEN_CACHE, or
oit-sitegen-cache in the system temporary directory.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from sitegen import ServerHandle, Site, cached, serve_pair


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _fail_skip_in_ci(report) -> None:
    if _in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_skip_in_ci(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_skip_in_ci(outcome.get_result())


def _key(name: str, kw: dict) -> tuple:
    return (name, tuple(sorted((k, str(v)) for k, v in kw.items())))


@pytest.fixture(scope="session")
def sitegen_cache() -> Path:
    directory = Path(os.environ.get("OIT_SITEGEN_CACHE") or Path(tempfile.gettempdir()) / "oit-sitegen-cache")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture(scope="session")
def make_site(sitegen_cache):
    """make_site(name, **kw) -> Site, generated once per session (and cached on disk)."""
    sites: dict[tuple, Site] = {}

    def make(name: str = "samphanthawong_2567", **kw) -> Site:
        key = _key(name, kw)
        if key not in sites:
            sites[key] = cached(name, sitegen_cache, **kw)
        return sites[key]

    return make


@pytest.fixture(scope="session")
def site_server(make_site):
    """site_server(name, **kw) -> a running ServerHandle (main on 127.0.0.1, second on 127.0.0.2)."""
    servers: dict[tuple, ServerHandle] = {}

    def start(name: str = "samphanthawong_2567", **kw) -> ServerHandle:
        key = _key(name, kw)
        if key not in servers:
            servers[key] = serve_pair(make_site(name, **kw))
        return servers[key]

    yield start
    for server in servers.values():
        server.stop()
