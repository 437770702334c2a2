"""`oit fleet CONFIG`: many sites in one run, one host's politeness budget shared by its sites.

The config is `oit watch`'s (crawler/history/watch.py) with a few more top-level keys:

    jobs: 4                      # hosts crawled at once (default 2; `--jobs N` overrides)
    site_timeout: 3600           # seconds one site's crawl may take; past it, that site's failure (a site
                                 # may set its own site_timeout)
    stores: stores/              # folder of the per-site evidence stores (default: stores/ beside the config)
    dashboard: dashboard/        # where dashboard.html and dashboard.xlsx go (default: dashboard/)
    state: fleet-state.json      # which sites of this round are done (default: <config>.state.json)
    sites: [...]                 # as for `oit watch`

Politeness is per host, not per site: the sites of one host (the 50 districts all live on
webportal.bangkok.go.th) are crawled one after another by one worker, each with the configured delay
and concurrency, so the host never sees more than one crawl's budget; different hosts are crawled by
different worker processes at once, at most `jobs` of them. Each site's crawl runs in its own process
with a time cap, so a slow or blocked site costs its own worker that much time and never the others.

Each site goes through `oit watch`'s own path (watch_site: crawl, audit, reports, diff against the
site's previous run) into its own store (stores/<host>_<path>.sqlite, or the config's `db:`), so its
history, diff and health are those of `oit audit` on that site alone.

A round is resumable: the state file records each site as it finishes (under a file lock, the workers
being separate processes); `oit fleet CONFIG` again continues an unfinished round with the sites not
yet done, and starts a new round once the last one finished; `--restart` starts over. At the end of
every invocation the dashboard is written from the round's sites.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from multiprocessing import active_children, get_context
from pathlib import Path
from urllib.parse import urlsplit

from crawler.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_UNHEALTHY, InputError
from crawler.evidence.store import Store
from crawler.history.dashboard import build_dashboard
from crawler.history.watch import (SiteConfig, WatchConfig, WatchConfigError, failed_entry, load_config,
                                   send_summary, watch_site)
from reports.dashboard import write_dashboard

FLEET_KEYS = frozenset({"jobs", "site_timeout", "stores", "dashboard", "state"})
DEFAULT_JOBS = 2
DEFAULT_SITE_TIMEOUT = 3600.0    # an hour: a district site at the default delay takes minutes, not hours


@dataclass
class FleetConfig:
    watch: WatchConfig
    jobs: int
    site_timeout: float
    stores: Path
    dashboard: Path
    state: Path

    @property
    def sites(self) -> list[SiteConfig]:
        return self.watch.sites


def load_fleet(path: Path) -> FleetConfig:
    config = load_config(path, FLEET_KEYS, what="fleet config")
    extra, base = config.extra, Path(path).resolve().parent

    def bad(key: str, message: str) -> WatchConfigError:
        return WatchConfigError(f"ไฟล์ตั้งค่าไม่ถูกต้อง / bad fleet config {path}: {key}: {message}")

    def number(key: str, default: float, kind: type) -> float:
        value = extra.get(key, default)
        if (not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0
                or (kind is int and not float(value).is_integer())):
            raise bad(key, f"expected a number > 0, got {value!r}")
        return kind(value)

    def folder(key: str, default: str) -> Path:
        value = extra.get(key, default)
        if not isinstance(value, str) or not value:
            raise bad(key, f"expected a path, got {value!r}")
        return base / value

    urls = [site.url for site in config.sites]
    twice = sorted({u for u in urls if urls.count(u) > 1})
    if twice:
        raise bad("sites", f"a site is listed twice: {twice[0]}")
    return FleetConfig(config, number("jobs", DEFAULT_JOBS, int),
                       number("site_timeout", DEFAULT_SITE_TIMEOUT, float),
                       folder("stores", "stores"), folder("dashboard", "dashboard"),
                       folder("state", Path(path).stem + ".state.json"))


def host_of(url: str) -> str:
    """The politeness key: the host name (the port does not make another server)."""
    return (urlsplit(url).hostname or "").lower()


def by_host(sites: list[SiteConfig]) -> dict[str, list[SiteConfig]]:
    """The sites of each host, in config order (hosts in order of their first site)."""
    groups: dict[str, list[SiteConfig]] = {}
    for site in sites:
        groups.setdefault(host_of(site.url), []).append(site)
    return groups


def store_path(config: FleetConfig, site: SiteConfig) -> Path:
    """The site's own store: one site's history is not held up by another site's writes."""
    if config.watch.db is not None:
        return config.watch.db
    parts = urlsplit(site.url)
    slug = re.sub(r"[^0-9A-Za-z.]+", "_", f"{parts.netloc}{parts.path}").strip("_") or "site"
    return config.stores / f"{slug}.sqlite"


# -- the round's state --------------------------------------------------------------------------------

class FleetState:
    """The state file: {"started_at", "finished_at", "sites": {url: summary entry}}; written whole and
    atomically under an exclusive lock, so the workers never lose each other's entries."""

    def __init__(self, path: Path):
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")

    def _locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.lock_path, "a")
        fcntl.flock(handle, fcntl.LOCK_EX)
        return handle

    def read(self) -> dict | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise WatchConfigError(f"ไฟล์สถานะเสียหาย / the fleet state {self.path} cannot be read ({exc}); "
                                   "start over with --restart") from None
        if not isinstance(data, dict) or not isinstance(data.get("sites"), dict):
            raise WatchConfigError(f"the fleet state {self.path} is not a fleet state; start over with --restart")
        return data

    def _write(self, data: dict) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(temporary, self.path)

    def begin(self, restart: bool) -> tuple[dict, bool]:
        """The round to work on, and whether it continues one that was stopped."""
        with self._locked():
            data = None if restart else self.read()
            if data is not None and not data.get("finished_at"):
                return data, True
            data = {"started_at": _now(), "finished_at": None, "sites": {}}
            self._write(data)
            return data, False

    def record(self, url: str, entry: dict) -> None:
        with self._locked():
            data = self.read() or {"started_at": _now(), "finished_at": None, "sites": {}}
            data["sites"][url] = entry
            self._write(data)

    def finish(self) -> dict:
        with self._locked():
            data = self.read()
            data["finished_at"] = _now()
            self._write(data)
            return data


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# -- the workers --------------------------------------------------------------------------------------

_stopping = False


def _stop(signum, frame) -> None:      # Ctrl-C reaches the crawl too; the site then counts as not done
    global _stopping
    _stopping = True


def crawl_host(host: str, sites: list[SiteConfig], stores: dict[str, str], state: str, time_cap: float) -> int:
    """One worker: the sites of one host, one after another. Returns how many it finished."""
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)     # a service stopped: the crawl (told too) keeps what it has
    done = 0
    for site in sites:
        if _stopping:
            break
        db = Path(stores[site.url])
        try:
            db.parent.mkdir(parents=True, exist_ok=True)
            store = Store(db)
        except (OSError, InputError) as exc:     # e.g. a damaged store: this site's failure, not the host's
            entry = failed_entry(site.url, f"{type(exc).__name__}: {exc}")
        else:
            try:
                entry = watch_site(site, db, store, progress=False, time_cap=site.site_timeout or time_cap)
            finally:
                store.close()
        if _stopping:        # stopped by the operator, not by the site: it is done again next time
            break
        entry.update(host=host, finished_at=_now(), out=str(site.out))
        FleetState(Path(state)).record(site.url, entry)
        done += 1
    return done


def _terminated(signum, frame) -> None:
    """`systemctl stop` (SIGTERM) ends a round as Ctrl-C does: every worker and crawl is asked to stop,
    keeps what it fetched, and the sites not done are done by the next call."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)          # a second SIGTERM ends it at once
    if os.getpgrp() == os.getpid():          # a service's or a terminal's own group: its crawls too
        os.killpg(os.getpgrp(), signal.SIGINT)
        return                               # SIGINT raises KeyboardInterrupt here as well
    for child in active_children():
        os.kill(child.pid, signal.SIGINT)
    raise KeyboardInterrupt


def fleet(config: FleetConfig, *, restart: bool = False, jobs: int | None = None, redis_url: str | None = None,
          lock_ttl: float | None = None, continue_only: bool = False) -> int:
    """One round (or the rest of a stopped one). With `redis_url` the sites are jobs for `oit worker`s
    on any machines (crawler/history/scaleout.py) instead of this machine's worker processes.
    `continue_only`: finish a stopped round, never start one (an hourly cron line after a reboot)."""
    state = FleetState(config.state)
    if continue_only:
        last = state.read()
        if last is None or last.get("finished_at"):
            print("ไม่มีรอบที่ค้างอยู่ / no stopped round to continue")
            return EXIT_OK
    connection = None
    if redis_url:
        from crawler.history import scaleout
        connection = scaleout.connect(redis_url)      # unreachable: one line, exit 2, before anything
    round_, resumed = state.begin(restart)
    pending = [s for s in config.sites if s.url not in round_["sites"]]
    groups = by_host(pending)
    jobs = max(1, min(jobs or config.jobs, len(groups) or 1))
    if resumed:
        print(f"== ทำต่อจากรอบที่เริ่ม {round_['started_at']} / continuing the round started "
              f"{round_['started_at']}: {len(config.sites) - len(pending)} of {len(config.sites)} sites done")
    where = f"jobs on {redis_url}" if redis_url else f"{jobs} at once"
    print(f"== {len(pending)} เว็บไซต์ / sites on {len(groups)} host(s), {where}, "
          f"time cap {config.site_timeout:g} s per site", flush=True)
    stores = {s.url: str(store_path(config, s)) for s in pending}
    previous_handler = signal.signal(signal.SIGTERM, _terminated)
    try:
        interrupted = _run_round(config, round_, state, groups, pending, stores, jobs, connection, redis_url,
                                 lock_ttl)
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
    round_ = state.read() or round_
    done = [s for s in config.sites if s.url in round_["sites"]]
    entries = [round_["sites"][s.url] for s in done]
    missing = [s for s in config.sites if s.url not in round_["sites"]]
    if not missing:
        round_ = state.finish()
    paths = write_dashboard(build_dashboard(config, round_), config.dashboard)
    ok = send_summary(config.watch, entries, done)
    for path in paths:
        print(f"แดชบอร์ด/dashboard: {path}")
    if interrupted or missing:
        print(f"oit: หยุดก่อนครบ {len(missing)} เว็บไซต์ / stopped with {len(missing)} site(s) not done; "
              f"run `oit fleet {config.watch.path}` again to continue", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK if ok else EXIT_UNHEALTHY


def _run_round(config: FleetConfig, round_: dict, state: FleetState, groups: dict, pending: list, stores: dict,
               jobs: int, connection, redis_url: str | None, lock_ttl: float | None) -> bool:
    """The sites not yet done, on Redis or on this machine's workers; True when stopped before the end."""
    interrupted = False
    if groups and connection is not None:
        from crawler.history import scaleout
        queued = scaleout.enqueue_round(config, round_, connection, {s.url for s in pending},
                                        store_path=store_path, by_host=by_host,
                                        lock_ttl=lock_ttl or scaleout.LOCK_TTL)
        print(f"== ส่งงานเข้าคิวแล้ว / {len(queued)} site jobs queued; waiting for `oit worker --redis {redis_url}`",
              flush=True)
        try:
            scaleout.wait_for_round(queued, connection, state.record)
        except KeyboardInterrupt:      # the jobs stay queued: the next call waits for them again
            interrupted = True
    elif groups:
        # spawn: a fresh interpreter per worker (no forked locks or reactor from this process)
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(crawl_host, host, sites, stores, str(config.state), config.site_timeout)
                       for host, sites in groups.items()]
            try:
                for host, future in zip(groups, futures):
                    try:
                        future.result()
                    except Exception as exc:     # a worker that died: its host's sites left are not done
                        print(f"oit: {host}: the worker stopped ({type(exc).__name__}: {exc})", file=sys.stderr)
            except KeyboardInterrupt:
                interrupted = True
                pool.shutdown(wait=True, cancel_futures=True)
    return interrupted
