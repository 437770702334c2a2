"""`oit fleet CONFIG`: four district sites on two loopback hosts, one of them blocked (it accepts the
connection and never answers). The sites of 127.0.0.1 are crawled one after another (one host, one
politeness budget) while 127.0.0.2's are crawled beside them; the blocked site is stopped at the time
cap and recorded as its failure, and the site after it on the same host is still audited. A round
stopped before its last site continues with that site only. Crawls are one link deep to keep it quick."""
from __future__ import annotations

import copy
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest
import yaml

from crawler.cli import main
from crawler.history.fleet import FleetState, by_host, load_fleet, store_path
from sitegen import serve_pair

TIME_CAP = 8        # the blocked site's own cap; the others have the config's 120 s


class Blocked:
    """A server on 127.0.0.2 that accepts every connection and never says a word."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.2", 0))
        self.sock.listen(16)
        self.held: list[socket.socket] = []
        self.url = f"http://127.0.0.2:{self.sock.getsockname()[1]}/bangrak/"
        threading.Thread(target=self._hold, daemon=True).start()

    def _hold(self):
        while True:
            try:
                self.held.append(self.sock.accept()[0])
            except OSError:
                return

    def stop(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def runs(db: Path) -> list[dict]:
    with sqlite3.connect(db) as con:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute("SELECT id, status, started_at, finished_at FROM runs ORDER BY id")]


@pytest.fixture(scope="module")
def fleet_round(make_site, tmp_path_factory):
    work = tmp_path_factory.mktemp("fleet")
    a = serve_pair(make_site("samphanthawong_2567", oversized_bytes=0))                    # 127.0.0.1
    b = serve_pair(make_site("compliant", oversized_bytes=0))                              # 127.0.0.1
    c = serve_pair(make_site("missing_month", oversized_bytes=0), host="127.0.0.2", second_host="127.0.0.1")
    blocked = Blocked()
    config = {
        "jobs": 2, "site_timeout": 120, "dashboard": "board", "state": "round.json",
        "crawl": {"delay": 0, "concurrency": 8, "max_depth": 1},
        "sites": [
            {"url": a.start_url, "fiscal_year": 2567, "as_of": "2024-06-30", "out": "reports/a",
             "name": "เขตสัมพันธวงศ์", "partial": True},
            {"url": blocked.url, "fiscal_year": 2567, "as_of": "2024-06-30", "out": "reports/blocked",
             "name": "เขตบางรัก", "site_timeout": TIME_CAP},
            {"url": b.start_url, "fiscal_year": 2567, "as_of": "2024-06-30", "out": "reports/b",
             "name": "เขตตัวอย่าง", "partial": True},
            {"url": c.start_url, "fiscal_year": 2567, "as_of": "2024-06-30", "out": "reports/c",
             "name": "เขตขาดเดือน", "partial": True},
        ],
    }
    path = work / "fleet.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    try:
        started = time.monotonic()
        first = main(["fleet", str(path)])
        wall = time.monotonic() - started
        state = json.loads((work / "round.json").read_text("utf-8"))
        # as if the round had been stopped before its last site: the next call does that site only
        fleet_config = load_fleet(path)
        saved = copy.deepcopy(state)
        del state["sites"][c.start_url]
        state["finished_at"] = None
        (work / "round.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        second = main(["fleet", str(path)])
        yield {"dir": work, "codes": (first, second), "wall": wall, "first_state": saved,
               "state": json.loads((work / "round.json").read_text("utf-8")), "config": fleet_config,
               "urls": {"a": a.start_url, "b": b.start_url, "c": c.start_url, "blocked": blocked.url}}
    finally:
        for thing in (a, b, c, blocked):
            thing.stop()


def _store(fleet_round, key: str) -> Path:
    config = fleet_round["config"]
    return store_path(config, next(s for s in config.sites if s.url == fleet_round["urls"][key]))


def test_sites_are_grouped_by_host_and_each_has_its_own_store(fleet_round):
    config, urls = fleet_round["config"], fleet_round["urls"]
    assert {host: [s.url for s in sites] for host, sites in by_host(config.sites).items()} == {
        "127.0.0.1": [urls["a"], urls["b"]], "127.0.0.2": [urls["blocked"], urls["c"]]}
    stores = {key: _store(fleet_round, key) for key in urls}
    assert len(set(stores.values())) == 4 and all(p.is_file() for p in stores.values())


def test_one_host_crawls_one_site_at_a_time_while_another_host_runs_beside_it(fleet_round):
    (run_a,), (run_b,) = runs(_store(fleet_round, "a")), runs(_store(fleet_round, "b"))
    assert run_a["finished_at"] <= run_b["started_at"]            # 127.0.0.1: a, then b, never together
    (run_blocked,) = runs(_store(fleet_round, "blocked"))
    # 127.0.0.2's blocked site was being waited on while 127.0.0.1's sites were crawled
    assert run_blocked["started_at"] <= run_b["started_at"] and run_a["started_at"] <= run_blocked["finished_at"]
    assert fleet_round["wall"] < 120


def test_the_blocked_site_is_stopped_at_the_time_cap_and_recorded_as_its_failure(fleet_round):
    assert fleet_round["codes"][0] == 3          # not every site healthy
    entry = fleet_round["first_state"]["sites"][fleet_round["urls"]["blocked"]]
    assert f"time cap of {TIME_CAP} s" in entry["error"] and not entry["published"]
    (run,) = runs(_store(fleet_round, "blocked"))
    assert run["status"] == "incomplete"
    report = json.loads((fleet_round["dir"] / "reports" / "blocked" / "report.json").read_text("utf-8"))
    assert report["published"] is False
    # the site after it on the same host was still crawled and audited
    after = fleet_round["first_state"]["sites"][fleet_round["urls"]["c"]]
    assert after["published"] and after["error"] is None and after["oit_score"] is not None


def test_a_stopped_round_continues_with_the_sites_not_done(fleet_round):
    state = fleet_round["state"]
    assert state["finished_at"] and set(state["sites"]) == set(fleet_round["urls"].values())
    assert [len(runs(_store(fleet_round, k))) for k in ("a", "b", "blocked", "c")] == [1, 1, 1, 2]
    c = state["sites"][fleet_round["urls"]["c"]]
    assert c["previous_run_id"] == 1 and c["run_id"] == 2 and c["oit_change"] == 0   # its own history and diff
    assert (fleet_round["dir"] / "reports" / "c" / "diff.html").is_file()


def test_the_dashboard_covers_every_site_of_the_round(fleet_round):
    board = fleet_round["dir"] / "board"
    page = (board / "dashboard.html").read_text("utf-8")
    for name in ("เขตสัมพันธวงศ์", "เขตบางรัก", "เขตตัวอย่าง", "เขตขาดเดือน"):
        assert name in page
    assert 'href="../reports/a/report.html#item-O1"' in page
    book = openpyxl.load_workbook(board / "dashboard.xlsx")
    sheet = book["Sites"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"เขตสัมพันธวงศ์", "เขตบางรัก", "เขตตัวอย่าง", "เขตขาดเดือน"}
    assert rows["เขตบางรัก"]["คะแนน OIT / score"] is None and "time cap" in rows["เขตบางรัก"]["หมายเหตุ / note"]
    assert rows["เขตขาดเดือน"]["เปลี่ยนแปลง / change"] == 0
    assert [r[0] for r in book["Unhealthy"].iter_rows(min_row=2, values_only=True)] == ["เขตบางรัก"]


def test_the_state_file_starts_a_new_round_after_a_finished_one(tmp_path):
    state = FleetState(tmp_path / "s.json")
    first, resumed = state.begin(restart=False)
    assert not resumed
    state.record("http://x/", {"ok": 1})
    again, resumed = state.begin(restart=False)
    assert resumed and again["sites"] == {"http://x/": {"ok": 1}}     # unfinished: continue it
    state.finish()
    new, resumed = state.begin(restart=False)
    assert not resumed and new["sites"] == {}                         # finished: a new round
    state.record("http://x/", {"ok": 1})
    fresh, resumed = state.begin(restart=True)
    assert not resumed and fresh["sites"] == {}                       # --restart


@pytest.mark.parametrize("config, message", [
    ("jobs: 0\nsites:\n  - {url: 'http://x/', fiscal_year: 2567, out: r}", "jobs: expected a number > 0"),
    ("site_timeout: soon\nsites:\n  - {url: 'http://x/', fiscal_year: 2567, out: r}", "site_timeout"),
    ("sites:\n  - {url: 'http://x/', fiscal_year: 2567, out: r}\n  - {url: 'http://x/', fiscal_year: 2567, out: s}",
     "a site is listed twice"),
    ("sitez: []", "sitez: unknown key"),
])
def test_a_bad_fleet_config_is_one_clear_line(tmp_path, capsys, config, message):
    path = tmp_path / "f.yaml"
    path.write_text(config, encoding="utf-8")
    assert main(["fleet", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "fleet config" in err and len(err.splitlines()) == 1


def test_a_broken_state_file_is_one_clear_line(tmp_path, capsys):
    path = tmp_path / "f.yaml"
    path.write_text("state: s.json\nsites:\n  - {url: 'http://127.0.0.1:9/x/', fiscal_year: 2567, out: r}\n")
    (tmp_path / "s.json").write_text("{not json")
    assert main(["fleet", str(path)]) == 2
    assert "--restart" in capsys.readouterr().err


def test_the_bundled_config_lists_the_50_districts_on_one_host():
    config = load_fleet(Path(__file__).resolve().parent.parent / "deploy" / "fleet-bma-50.yaml")
    assert len(config.sites) == 50 and len({s.url for s in config.sites}) == 50
    assert list(by_host(config.sites)) == ["webportal.bangkok.go.th"]
    assert all(s.name.startswith("สำนักงานเขต") and s.fiscal_year == 2568 for s in config.sites)
    assert config.sites[12].url == "https://webportal.bangkok.go.th/samphanthawong/"


def test_continue_only_never_starts_a_round(tmp_path, capsys):
    path = tmp_path / "f.yaml"
    path.write_text("state: s.json\nsites:\n  - {url: 'http://127.0.0.1:9/x/', fiscal_year: 2567, out: r}\n")
    assert main(["fleet", str(path), "--continue-only"]) == 0          # no round yet: nothing to continue
    state = FleetState(tmp_path / "s.json")
    state.begin(restart=False)
    state.record("http://127.0.0.1:9/x/", {"ok": 1})
    state.finish()
    assert main(["fleet", str(path), "--continue-only"]) == 0          # the last round finished
    assert "no stopped round to continue" in capsys.readouterr().out
    assert not (tmp_path / "r").exists() and len(state.read()["sites"]) == 1


def test_a_damaged_store_is_that_sites_failure_not_a_traceback(tmp_path, capsys):
    path = tmp_path / "f.yaml"
    path.write_text("state: s.json\nsites:\n  - {url: 'http://127.0.0.1:9/x/', fiscal_year: 2567, out: r, name: เขตเสีย}\n",
                    encoding="utf-8")
    config = load_fleet(path)
    store = store_path(config, config.sites[0])
    store.parent.mkdir(parents=True)
    store.write_bytes(b"this is not SQLite" * 100)
    assert main(["fleet", str(path)]) == 3
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    entry = FleetState(tmp_path / "s.json").read()["sites"]["http://127.0.0.1:9/x/"]
    assert "not a usable evidence store" in entry["error"]
    assert "not a usable evidence store" in (tmp_path / "dashboard" / "dashboard.html").read_text("utf-8")


def test_sigterm_stops_a_round_as_ctrl_c_does_and_the_next_call_continues(make_site, tmp_path):
    """`kill PID` (or a service being stopped) while a site is being crawled: every process of the round
    stops, the crawl keeps what it fetched (its run is not left 'running'), the site is not counted as
    done, and the exit and message say to run again."""
    server = serve_pair(make_site("samphanthawong_2567", oversized_bytes=0))
    path = tmp_path / "fleet.yaml"
    path.write_text(yaml.safe_dump({
        "jobs": 1, "state": "round.json", "crawl": {"delay": 0.5, "concurrency": 1},
        "sites": [{"url": server.start_url, "fiscal_year": 2567, "as_of": "2024-06-30", "out": "reports/a"}],
    }), encoding="utf-8")
    db = store_path(load_fleet(path), load_fleet(path).sites[0])
    process = subprocess.Popen([sys.executable, "-m", "crawler.cli", "fleet", str(path)], cwd=tmp_path,
                               start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (db.exists() and _fetched(db) >= 3):
            time.sleep(0.2)
        assert _fetched(db) >= 3, "the crawl never started"
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        server.stop()
    assert process.returncode == 130, err
    assert "again to continue" in err and "Traceback" not in err
    assert FleetState(tmp_path / "round.json").read()["sites"] == {}         # not done: the next call does it
    assert [r["status"] for r in runs(db)] == ["incomplete"]                  # stopped, not left running
    left = "?"
    for _ in range(50):        # multiprocessing's resource tracker leaves a moment after the round
        left = subprocess.run(["ps", "-o", "args=", "-s", str(process.pid)], capture_output=True, text=True).stdout
        if not left:
            break
        time.sleep(0.1)
    assert left == "", left                                                  # no crawl left running


def _fetched(db: Path) -> int:
    try:
        with sqlite3.connect(db) as con:
            return con.execute("SELECT count(*) FROM resources").fetchone()[0]
    except sqlite3.Error:
        return 0
