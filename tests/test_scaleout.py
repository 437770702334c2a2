"""`oit fleet --redis` and `oit worker`: the fleet through a real `redis-server` on loopback and real
worker processes. Three generated sites on two hosts; the first worker is killed (its whole process
group, crawl included) while it crawls a site; RQ's maintenance then finds the abandoned job — run here
with the clock moved past the dead worker's heartbeat instead of waiting the minute it takes — and two
other workers finish the round. Every site is audited exactly once, the killed site is crawled again,
one host's two sites never crawl at once, and the dashboard says what a single-machine run says."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from crawler.evidence.store import Store
from crawler.history.dashboard import build_dashboard
from crawler.history.fleet import FleetState, fleet, load_fleet, store_path
from sitegen import serve_pair

ROOT = Path(__file__).resolve().parent.parent
REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (apt-get install redis-server)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_worker(url: str, name: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", "worker", "--redis", url, "--name", name],
                            cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (RQ's work horse starts its own session, so a process group is not enough)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            children = [int(c) for c in Path(f"/proc/{parent}/task/{parent}/children").read_text().split()]
        except OSError:
            children = []
        found += children
        todo += children
    return found


def kill_machine(process: subprocess.Popen) -> None:
    """As if the worker's machine died: the worker, its work horse and the crawl, at once."""
    for pid in [process.pid, *descendants(process.pid)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()


def crawling(store: Path) -> bool:
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as con:
            return con.execute("SELECT COUNT(*) FROM runs WHERE status='running'").fetchone()[0] > 0
    except sqlite3.Error:
        return False


def write_config(work: Path, name: str, urls: list[str]) -> Path:
    config = {"jobs": 2, "site_timeout": 120, "stores": f"{name}/stores", "dashboard": f"{name}/board",
              "state": f"{name}/state.json", "crawl": {"delay": 0, "concurrency": 8, "max_depth": 1},
              "sites": [{"url": url, "fiscal_year": 2567, "as_of": "2024-06-30", "out": f"{name}/reports/{n}",
                         "name": f"เขต{n}", "partial": True} for n, url in enumerate(urls, start=1)]}
    path = work / f"{name}.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scaled(make_site, tmp_path_factory):
    from redis import Redis
    from rq import Queue
    from rq.registry import StartedJobRegistry

    from crawler.history.scaleout import QUEUE

    work = tmp_path_factory.mktemp("scaleout")
    port = free_port()
    redis = subprocess.Popen([REDIS, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                              "--dir", str(work)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    connection = Redis.from_url(url)
    for _ in range(100):
        try:
            connection.ping()
            break
        except Exception:
            time.sleep(0.1)
    servers = [serve_pair(make_site("samphanthawong_2567", oversized_bytes=0)),
               serve_pair(make_site("compliant", oversized_bytes=0)),
               serve_pair(make_site("missing_month", oversized_bytes=0), host="127.0.0.2", second_host="127.0.0.1")]
    urls = [s.start_url for s in servers]
    workers = []
    try:
        config = load_fleet(write_config(work, "redis", urls))
        codes = []
        coordinator = threading.Thread(target=lambda: codes.append(fleet(config, redis_url=url, lock_ttl=3)))
        first = start_worker(url, "first")
        workers.append(first)
        coordinator.start()
        registry = StartedJobRegistry(QUEUE, connection=connection)
        deadline = time.monotonic() + 60
        while not registry.get_job_ids() and time.monotonic() < deadline:
            time.sleep(0.05)
        (killed_job,) = registry.get_job_ids()
        store = Path(Queue(QUEUE, connection=connection).fetch_job(killed_job).kwargs["store"])
        while not crawling(store) and time.monotonic() < deadline:
            time.sleep(0.05)
        kill_machine(first)                                  # mid-crawl, no goodbye to Redis
        registry.cleanup(timestamp=time.time() + 3600)       # its heartbeat has long expired
        workers += [start_worker(url, "second"), start_worker(url, "third")]
        coordinator.join(timeout=300)
        assert not coordinator.is_alive(), "the round did not finish"
        killed_url = Queue(QUEUE, connection=connection).fetch_job(killed_job).kwargs["site"]["url"]
        local = load_fleet(write_config(work, "local", urls))
        local_code = fleet(local)
        yield {"config": config, "local": local, "codes": codes, "local_code": local_code, "killed": killed_url,
               "state": FleetState(config.state).read(), "local_state": FleetState(local.state).read(),
               "urls": urls}
    finally:
        for worker in workers:
            stop(worker)
        for server in servers:
            server.stop()
        redis.terminate()
        redis.wait(timeout=10)


def test_every_site_is_audited_exactly_once(scaled):
    assert scaled["codes"] == [0], [e["error"] for e in scaled["state"]["sites"].values()]
    config = scaled["config"]
    for site in config.sites:
        store = Store(store_path(config, site))
        assert len(store.audits()) == 1, site.url
        entry = scaled["state"]["sites"][site.url]
        assert entry["published"] and entry["error"] is None and entry["worker"] in {"second", "third", "first"}
    assert scaled["state"]["finished_at"]


def test_the_killed_workers_site_is_crawled_again_by_another_worker(scaled):
    config = scaled["config"]
    site = next(s for s in config.sites if s.url == scaled["killed"])
    runs = Store(store_path(config, site)).runs()
    assert [r["status"] for r in runs] == ["incomplete", "complete"]
    assert scaled["state"]["sites"][site.url]["worker"] in {"second", "third"}


def test_one_hosts_sites_never_crawl_at_once_across_workers(scaled):
    config = scaled["config"]
    first, second = (Store(store_path(config, s)).runs()[-1] for s in config.sites[:2])     # both on 127.0.0.1
    assert first["finished_at"] <= second["started_at"]


def test_the_dashboard_matches_a_single_machine_run(scaled):
    assert scaled["local_code"] == 0
    redis_board = build_dashboard(scaled["config"], scaled["state"])
    local_board = build_dashboard(scaled["local"], scaled["local_state"])
    view = lambda board: [(s["name"], s["oit_score"], s["statuses"], s["published"]) for s in board["sites"]]  # noqa: E731
    assert view(redis_board) == view(local_board)
    assert redis_board["most_failing"] == local_board["most_failing"]
    assert (scaled["config"].dashboard / "dashboard.html").is_file()


def test_an_unreachable_redis_is_one_clear_line(tmp_path, capsys):
    from crawler.cli import main
    path = write_config(tmp_path, "x", ["http://127.0.0.1:9/x/"])
    assert main(["fleet", str(path), "--redis", f"redis://127.0.0.1:{free_port()}/0"]) == 2
    assert "cannot reach Redis" in capsys.readouterr().err
