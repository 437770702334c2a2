"""`oit fleet CONFIG --redis URL` and `oit worker --redis URL`: the fleet on many machines, through RQ.

RQ (python-rq, on Redis) rather than Celery or scrapy-redis: a site is one short-lived job with a
result, which is exactly RQ's model (one Redis, no broker/backend pair to run as with Celery); RQ
already has what the fleet needs — job dependencies, retries of a job whose worker died, results kept
in Redis — and scrapy-redis shares a crawl's URL frontier between spiders, which would split one site
across machines and its store with it, when a site's store must stay whole.

    coordinator:  oit fleet fleet.yaml --redis redis://queue.example:6379/0     (enqueues, waits, dashboard)
    each worker:  oit worker --redis redis://queue.example:6379/0               (any number, any machine)

- **A site is one job** (`run_site_job`): crawl, audit, reports, diff through `watch_site`, into the
  site's own store, exactly as `oit fleet` does on one machine; the job's result is the site's summary
  entry, which the coordinator records in the round's state file as it arrives.
- **One politeness budget per host, across workers**: the jobs of one host are chained (each depends
  on the one before, failed or not), so they run one after another on whatever workers take them; and
  a job crawls only while holding the host's lock in Redis (`oit:host:<host>`), kept alive by the job
  while it runs, so a retried job never crawls beside another crawl of its host.
- **A killed worker's site is retried**: jobs carry `Retry(max=2)`; RQ's maintenance (every worker runs
  it) finds a job whose worker stopped sending heartbeats and queues it again. Its host lock expires
  within `LOCK_TTL` seconds of the worker's death.
- **Resumable**: job ids are the round's start time and the site's place in the config, so a stopped
  coordinator started again waits for the jobs already queued instead of queuing them twice.

Stores and report folders are paths in the config: every worker must see them at the same path (one
machine, or a shared folder such as NFS), since the dashboard reads each site's report.json.
"""
from __future__ import annotations

import hashlib
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

from crawler.errors import InputError
from crawler.evidence.store import Store
from crawler.history.watch import SiteConfig, failed_entry, watch_site

QUEUE = "oit-fleet"
LOCK_TTL = 30                 # seconds a dead worker's host lock outlives it
RESULT_TTL = 30 * 24 * 3600   # results kept a month: a coordinator may come back late
POLL = 0.5


def connect(url: str):
    from redis import Redis
    from redis.exceptions import RedisError
    try:
        connection = Redis.from_url(url)
        connection.ping()
    except (RedisError, ValueError) as exc:
        raise InputError(f"ต่อ Redis ไม่ได้ / cannot reach Redis at {url}: {exc}",
                         hint="ตรวจว่า Redis ทำงานอยู่และที่อยู่ถูกต้อง เช่น --redis redis://127.0.0.1:6379/0 / check "
                              "Redis is running and the address, e.g. --redis redis://127.0.0.1:6379/0") from None
    return connection


def host_lock(connection, host: str, ttl: float):
    # thread_local=False: the job's keep-alive thread extends the lock the job's thread took
    return connection.lock(f"oit:host:{host}", timeout=ttl, sleep=0.2, thread_local=False)


def run_site_job(site: dict, store: str, time_cap: float, host: str, lock_ttl: float = LOCK_TTL) -> dict:
    """One site, in an RQ worker: under its host's lock, the same path as `oit fleet` on one machine."""
    from redis.exceptions import LockError
    from rq import get_current_job
    job = get_current_job()
    site_config = SiteConfig(**{**site, "out": Path(site["out"]),
                                "survey": Path(site["survey"]) if site.get("survey") else None})
    lock = host_lock(job.connection, host, lock_ttl)
    lock.acquire(blocking=True)
    stop = threading.Event()

    def keep_alive():       # the lock lives while this job does, and expires soon after a killed worker
        while not stop.wait(lock_ttl / 3):
            lock.reacquire()

    keeper = threading.Thread(target=keep_alive, daemon=True)
    keeper.start()
    try:
        db = Path(store)
        db.parent.mkdir(parents=True, exist_ok=True)
        opened = Store(db)
        try:
            entry = watch_site(site_config, db, opened, progress=False,
                               time_cap=site_config.site_timeout or time_cap)
        finally:
            opened.close()
    finally:
        stop.set()
        keeper.join()
        try:
            lock.release()
        except LockError:        # it expired (a stalled machine): the site's work is done all the same
            print(f"oit: สิทธิ์ใช้งานเครื่อง {host} หมดเวลาก่อนงานเสร็จ / the lock of {host} had expired before the "
                  "job released it", file=sys.stderr)
    entry.update(host=host, out=str(site_config.out), worker=job.worker_name,
                 finished_at=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()))
    return entry


def job_id(started_at: str, config_path: Path, n: int) -> str:
    round_key = hashlib.sha256(f"{Path(config_path).resolve()}|{started_at}".encode()).hexdigest()[:16]
    return f"oit-{round_key}-{n}"


def enqueue_round(config, round_: dict, connection, pending: set[str], *, store_path, by_host,
                  lock_ttl: float = LOCK_TTL) -> dict[str, str]:
    """Queue the round's pending sites (chained per host); {site url: job id}. Jobs already in Redis
    (a coordinator started again) are kept, not queued twice."""
    from rq import Queue, Retry
    from rq.job import Dependency, Job

    queue = Queue(QUEUE, connection=connection)
    index = {site.url: n for n, site in enumerate(config.sites)}
    jobs: dict[str, str] = {}
    for host, sites in by_host([s for s in config.sites if s.url in pending]).items():
        previous = None
        for site in sites:
            ident = job_id(round_["started_at"], config.watch.path, index[site.url])
            if not Job.exists(ident, connection=connection):
                data = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(site).items()}
                queue.enqueue(run_site_job, kwargs={"site": data, "store": str(store_path(config, site)),
                                                    "time_cap": config.site_timeout, "host": host,
                                                    "lock_ttl": lock_ttl},
                              job_id=ident, retry=Retry(max=2),
                              job_timeout=int(site.site_timeout or config.site_timeout) + 1800,
                              result_ttl=RESULT_TTL, failure_ttl=RESULT_TTL,
                              depends_on=Dependency(jobs=[previous], allow_failure=True) if previous else None,
                              description=f"oit site {site.url}")
            jobs[site.url] = ident
            previous = ident
    return jobs


def wait_for_round(jobs: dict[str, str], connection, record, *, timeout: float | None = None) -> list[str]:
    """Record each job's result as it finishes (`record(url, entry)`); the urls still not done."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    left = dict(jobs)
    deadline = None if timeout is None else time.monotonic() + timeout
    while left and (deadline is None or time.monotonic() < deadline):
        for url, ident in list(left.items()):
            try:
                job = Job.fetch(ident, connection=connection)
            except NoSuchJobError:
                record(url, failed_entry(url, "the job disappeared from Redis"))
                del left[url]
                continue
            status = job.get_status()
            if status == JobStatus.FINISHED:
                record(url, job.return_value())
                del left[url]
            elif status in (JobStatus.FAILED, JobStatus.CANCELED, JobStatus.STOPPED):
                last = (job.latest_result().exc_string or "") if job.latest_result() else ""
                reason = last.strip().splitlines()[-1] if last.strip() else status
                record(url, failed_entry(url, f"worker failed: {reason}"))
                del left[url]
        if left:
            time.sleep(POLL)
    return list(left)


def work(url: str, *, burst: bool = False, name: str | None = None, maintenance_interval: int = 30) -> int:
    """`oit worker`: take site jobs until stopped (or, with burst, until the queue is empty)."""
    from rq import Queue, Worker
    connection = connect(url)
    worker = Worker([Queue(QUEUE, connection=connection)], connection=connection, name=name,
                    maintenance_interval=maintenance_interval)
    print(f"oit worker {worker.name}: รองานจาก / waiting for sites on {url} (queue {QUEUE})", file=sys.stderr,
          flush=True)
    worker.work(burst=burst)
    return 0
