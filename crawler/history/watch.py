"""`oit watch CONFIG`: the weekly schedule. For every site in a YAML config: crawl, audit, write the
reports, diff against the site's previous run, then (optionally) tell the working group (docs/weekly.md).

    db: evidence.sqlite                  # optional, relative to this file (default: oit --db)
    notify:                              # optional: Apprise URLs (LINE, Telegram, Google Chat, Teams, e-mail …)
      - tgram://BOT_TOKEN/CHAT_ID        #   a short Thai summary and the report's link (crawler/history/notify.py)
    report_base_url: https://intranet.example/oit   # optional: <base>/<out folder name>/report.html in messages
    webhook: https://chat.example/hook   # optional: POST the summary as JSON (no server paths in it)
    crawl: {delay: 0.5, concurrency: 2}  # optional defaults for every site
    sites:
      - url: https://webportal.bangkok.go.th/samphanthawong/
        fiscal_year: 2568
        out: reports/samphanthawong      # reports and diff of the latest run
        checklist: bma-district-2568     # optional (default bma-district-<fiscal_year>)
        survey: survey.yaml              # optional: IIT/EIT scores for the ITA total
        as_of: 2025-06-30                # optional (default: the day of the run)
        crawl: {max_pages: 500}          # optional, per site ({browser: true}: render pages, --browser)
        partial: true                    # optional: publish a labelled partial score of a capped crawl
        site_timeout: 7200               # optional: seconds this site's crawl may take (then: its failure)
        report_url: https://intranet.example/oit/samphanthawong/report.html   # optional, else from the base
        overrides: overrides-samphanthawong.yaml   # optional: items the group checked (oit overrides import)

`oit watch --check CONFIG` validates all of it (notification URLs included) without crawling.

Relative paths are relative to the config file, so cron and systemd can run it from anywhere. Each
crawl runs in its own process (Scrapy's reactor starts once per process); one site failing does not
stop the others. Exit 0 when every site was crawled healthily, 3 otherwise.
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from crawler import __version__
from crawler.errors import EXIT_OK, EXIT_UNHEALTHY, InputError
from crawler.evidence.store import Store
from crawler.history.diff import diff_runs
from crawler.history.runs import site_runs
from crawler.service import (REPORT_FORMATS, build_report, choose_checklist, load_overrides, load_survey,
                             write_outputs)
from crawler.text.dates import parse_fiscal_year
from crawler.text.urls import check_url, same_site
from crawler.text.userfile import read_user_file
from reports.diff import write_diff

SITE_KEYS = {"url", "fiscal_year", "out", "checklist", "survey", "as_of", "name", "crawl", "partial",
             "report_url", "overrides", "site_timeout"}
TOP_KEYS = {"db", "webhook", "webhook_timeout", "crawl", "sites", "notify", "report_base_url"}
CRAWL_KEYS = {"delay": float, "concurrency": int, "max_pages": int, "max_depth": int, "settings": dict,
              "browser": bool}


class WatchConfigError(InputError):
    """The config cannot be used: one line naming the file, the entry and what is wrong."""


@dataclass
class SiteConfig:
    url: str
    fiscal_year: int
    out: Path
    checklist: str | None = None
    survey: Path | None = None
    as_of: date | None = None
    name: str | None = None
    crawl: dict = field(default_factory=dict)
    partial: bool = False         # publish a partial score when items were not checked (a capped crawl)
    report_url: str | None = None        # the link a message gives for this site's report.html
    overrides: Path | None = None        # the working group's overrides file (oit overrides import)
    site_timeout: float | None = None   # seconds the crawl may take (oit fleet: else the config's site_timeout)


@dataclass
class WatchConfig:
    path: Path
    sites: list[SiteConfig]
    db: Path | None = None
    webhook: str | None = None
    webhook_timeout: float = 10.0
    notify: list[str] = field(default_factory=list)      # Apprise URLs
    extra: dict = field(default_factory=dict)    # the top-level keys a caller allowed beyond TOP_KEYS (oit fleet)


# -- the config -------------------------------------------------------------------------------------

def load_config(path: Path, extra_keys: frozenset[str] = frozenset(), what: str = "watch config") -> WatchConfig:
    """The config, checked; `extra_keys`: further top-level keys the caller reads itself (kept in `.extra`)."""
    def bad(where: str, message: str) -> WatchConfigError:
        return WatchConfigError(f"ไฟล์ตั้งค่าไม่ถูกต้อง / bad {what} {path}: {where}: {message}")

    data = read_user_file(path, "ไฟล์ตั้งค่า", what, WatchConfigError)
    if not isinstance(data, dict):
        raise bad("top level", "expected a mapping with a `sites:` list")
    known = TOP_KEYS | extra_keys
    unknown = set(data) - known
    if unknown:
        raise bad(", ".join(sorted(map(str, unknown))), f"unknown key (known: {', '.join(sorted(known))})")
    base = Path(path).resolve().parent
    sites_data = data.get("sites")
    if not isinstance(sites_data, list) or not sites_data:
        raise bad("sites", "expected a non-empty list of sites")
    defaults = _crawl_options(data.get("crawl") or {}, "crawl", bad)
    sites = [_site(entry, f"sites[{n}]", base, defaults, bad) for n, entry in enumerate(sites_data, start=1)]
    webhook = data.get("webhook")
    if webhook is not None:
        try:
            check_url(str(webhook))
        except InputError as exc:
            raise bad("webhook", str(exc)) from None
    timeout = data.get("webhook_timeout", 10)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise bad("webhook_timeout", f"expected seconds > 0, got {timeout!r}")
    db = data.get("db")
    if db is not None and not isinstance(db, str):
        raise bad("db", f"expected a file path, got {db!r}")
    notify = data.get("notify") or []
    if isinstance(notify, str):
        notify = [notify]
    if not isinstance(notify, list):
        raise bad("notify", "expected a list of Apprise URLs")
    from crawler.history.notify import bad_notify_url
    for n, url in enumerate(notify, start=1):
        why = bad_notify_url(url)
        if why:
            raise bad(f"notify[{n}]", why)
    base_url = data.get("report_base_url")
    for site, entry in zip(sites, sites_data):
        link = entry.get("report_url") or (f"{str(base_url).rstrip('/')}/{site.out.name}/report.html"
                                           if base_url else None)
        if link is not None:
            try:
                site.report_url = check_url(str(link))
            except InputError as exc:
                raise bad("report_url" if entry.get("report_url") else "report_base_url", str(exc)) from None
    return WatchConfig(Path(path), sites, base / db if db else None, webhook, float(timeout),
                       [str(u).strip() for u in notify], {k: data[k] for k in extra_keys if k in data})


def _crawl_options(data, where: str, bad) -> dict:
    if not isinstance(data, dict):
        raise bad(where, "expected a mapping such as {delay: 0.5, concurrency: 2}")
    out = {}
    for key, value in data.items():
        kind = CRAWL_KEYS.get(key)
        if kind is None:
            raise bad(f"{where}.{key}", f"unknown crawl option (known: {', '.join(CRAWL_KEYS)})")
        ok = isinstance(value, kind) if kind in (dict, bool) else (
            isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
            and (kind is float or float(value).is_integer()) and (key == "delay" or value > 0))
        if not ok:
            raise bad(f"{where}.{key}", f"not a valid value: {value!r}")
        out[key] = kind(value) if kind is not dict else {str(k): str(v) for k, v in value.items()}
    return out


def _site(entry, where: str, base: Path, defaults: dict, bad) -> SiteConfig:
    if not isinstance(entry, dict):
        raise bad(where, "expected a mapping with url, fiscal_year and out")
    unknown = set(entry) - SITE_KEYS
    if unknown:
        raise bad(f"{where}.{sorted(map(str, unknown))[0]}", f"unknown key (known: {', '.join(sorted(SITE_KEYS))})")
    for key in ("url", "fiscal_year", "out"):
        if entry.get(key) in (None, ""):
            raise bad(f"{where}.{key}", "missing")
    try:
        url = check_url(str(entry["url"]))
    except InputError as exc:
        raise bad(f"{where}.url", str(exc)) from None
    try:
        fy = parse_fiscal_year(str(entry["fiscal_year"])).year
    except ValueError as exc:
        raise bad(f"{where}.fiscal_year", str(exc)) from None
    as_of = entry.get("as_of")
    if as_of is not None and not isinstance(as_of, date):
        try:
            as_of = date.fromisoformat(str(as_of))
        except ValueError:
            raise bad(f"{where}.as_of", f"not a date (YYYY-MM-DD): {as_of!r}") from None
    checklist = entry.get("checklist")
    if checklist is not None:
        checklist = str(checklist)
        if checklist.endswith((".yaml", ".yml")):
            checklist = str(base / checklist)
    try:
        chosen = choose_checklist(checklist, fy, _note).checklist
    except InputError as exc:
        raise bad(f"{where}.checklist", str(exc)) from None
    overrides = base / str(entry["overrides"]) if entry.get("overrides") else None
    try:
        load_overrides(overrides, chosen, fy)
    except InputError as exc:
        raise bad(f"{where}.overrides", str(exc)) from None
    survey = base / str(entry["survey"]) if entry.get("survey") else None
    try:
        load_survey(survey, chosen)
    except InputError as exc:
        raise bad(f"{where}.survey", str(exc)) from None
    crawl = {**defaults, **_crawl_options(entry.get("crawl") or {}, f"{where}.crawl", bad)}
    timeout = entry.get("site_timeout")
    if timeout is not None and (not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0):
        raise bad(f"{where}.site_timeout", f"expected seconds > 0, got {timeout!r}")
    return SiteConfig(url=url, fiscal_year=fy, out=base / str(entry["out"]), checklist=checklist,
                      survey=survey, as_of=as_of, name=str(entry["name"]) if entry.get("name") else None,
                      crawl=crawl, partial=entry.get("partial") is True, overrides=overrides,
                      site_timeout=float(timeout) if timeout is not None else None)


def _note(message: str) -> None:
    print(f"oit: {message}", file=sys.stderr)


# -- running ----------------------------------------------------------------------------------------

def crawl_command(site: SiteConfig, db: Path, progress: bool) -> list[str]:
    cmd = [sys.executable, "-m", "crawler.cli", "--db", str(db), "crawl", site.url]
    for key in ("delay", "concurrency", "max_pages", "max_depth"):
        if key in site.crawl:
            cmd += [f"--{key.replace('_', '-')}", str(site.crawl[key])]
    for name, value in site.crawl.get("settings", {}).items():
        cmd += ["-s", f"{name}={value}"]
    if site.crawl.get("browser"):
        cmd.append("--browser")
    if not progress:
        cmd.append("--no-progress")
    return cmd


def run_crawl(cmd: list[str], time_cap: float | None, grace: float = 5.0) -> tuple[int, bool]:
    """Run one crawl process; past `time_cap` seconds it is asked to stop (SIGINT: Scrapy closes the run
    as incomplete, keeping what it fetched), told again after `grace` (Scrapy's forced stop, for a
    download that hangs), then killed. (exit code, whether it hit the cap)"""
    process = subprocess.Popen(cmd)
    try:
        return process.wait(timeout=time_cap), False
    except subprocess.TimeoutExpired:
        pass
    for _ in range(2):
        process.send_signal(signal.SIGINT)
        try:
            return process.wait(timeout=grace), True
        except subprocess.TimeoutExpired:
            continue
    process.kill()       # the store marks a run whose process is gone as incomplete
    return process.wait(), True


def watch_site(site: SiteConfig, db: Path, store, progress: bool = True, time_cap: float | None = None) -> dict:
    """Crawl, audit, report and diff one site; the summary entry (never raises for the site's faults).
    `time_cap`: seconds the crawl may take; a crawl stopped there is the site's failure (its partial
    run is still audited, so its report says what was and was not seen)."""
    entry = {"url": site.url, "name": site.name, "fiscal_year": site.fiscal_year, "run_id": None,
             "previous_run_id": None, "published": False, "healthy": False, "health_reasons": [],
             "oit_score": None, "previous_oit_score": None, "oit_change": None, "items_changed": [],
             "missing_items": [], "documents": {}, "pages": {}, "reports": [], "error": None}
    known = {r["id"] for r in store.runs()}
    print(f"== {site.name or site.url}: crawling (FY {site.fiscal_year})", flush=True)
    returncode, capped = run_crawl(crawl_command(site, db, progress), time_cap)
    store.mark_dead_runs()      # a crawl killed at the time cap left its run 'running'
    new = [r for r in store.runs() if r["id"] not in known and same_site(r["site_url"], site.url)]
    if capped:
        entry["error"] = (f"เกินเวลาที่กำหนด {time_cap:g} วินาที / time cap of {time_cap:g} s reached: "
                          "the crawl was stopped")
    if not new:
        entry["error"] = entry["error"] or f"the crawl did not start (exit {returncode})"
        print(f"oit: {site.url}: {entry['error']}", file=sys.stderr)
        return entry
    run_id = new[-1]["id"]
    entry["run_id"] = run_id
    try:
        _audit_and_diff(site, store, run_id, entry)
        if capped:
            print(f"oit: {site.url}: {entry['error']}", file=sys.stderr)
    except Exception as exc:      # one site's trouble must not stop the others
        entry["error"] = f"{type(exc).__name__}: {exc}"
        print(f"oit: {site.url}: run {run_id}: {entry['error']}", file=sys.stderr)
    return entry


def failed_entry(url: str, error: str) -> dict:
    """The summary entry of a site that could not even be crawled (watch_site's fields, all empty)."""
    return {"url": url, "name": None, "fiscal_year": None, "run_id": None, "previous_run_id": None,
            "published": False, "healthy": False, "health_reasons": [], "oit_score": None,
            "previous_oit_score": None, "oit_change": None, "items_changed": [], "missing_items": [],
            "documents": {}, "pages": {}, "reports": [], "error": error}


def _audit_and_diff(site: SiteConfig, store, run_id: int, entry: dict) -> None:
    as_of = site.as_of or date.today()
    checklist = choose_checklist(site.checklist, site.fiscal_year, _note).checklist
    overrides = load_overrides(site.overrides, checklist, site.fiscal_year)
    report = build_report(store, run_id, site.fiscal_year, as_of, checklist, load_survey(site.survey, checklist),
                          overrides=overrides, overrides_source=site.overrides.name if site.overrides else None,
                          partial=site.partial)
    paths = write_outputs(report, site.out, list(REPORT_FORMATS))
    entry.update(name=site.name or report["site"].get("name") or None,
                 published=bool(report["published"]), healthy=bool(report["crawl"]["healthy"]),
                 health_reasons=report["crawl"]["health_reasons"], oit_score=report.get("oit_score"),
                 missing_items=report.get("missing_items", []), reports=[str(p) for p in paths])
    earlier = [r["id"] for r in site_runs(store, site.url) if r["id"] < run_id and r["status"] == "complete"]
    if earlier:
        diff = diff_runs(store, earlier[-1], run_id, fiscal_year=site.fiscal_year,
                         checklist=site.checklist,
                         generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), notify=_note)
        entry["reports"] += [str(p) for p in write_diff(diff, site.out)]
        entry.update(previous_run_id=earlier[-1], previous_oit_score=diff["before"]["oit_score"],
                     oit_change=diff["oit_change"],
                     items_changed=[{"id": i["id"], "title_th": i["title_th"], "before": i["before"], "after": i["after"],
                                     "direction": i["direction"], "reason_th": i["reason_th"]} for i in diff["items"]],
                     documents={k: len(v) for k, v in diff["documents"].items() if k != "not_checked"},
                     pages={k: len(v) for k, v in diff["pages"].items() if k != "not_checked"})


def summary_text(entry: dict) -> str:
    """One line per site, Thai first: what a person reading the chat message needs."""
    name = entry.get("name") or entry["url"]
    if entry.get("error"):
        return f"{name}: เก็บข้อมูลไม่สำเร็จ / crawl failed: {entry['error']}"
    if not entry["published"]:
        return (f"{name}: ไม่เผยแพร่คะแนน (การเก็บข้อมูลไม่สมบูรณ์) / not published (unhealthy crawl): "
                + "; ".join(entry["health_reasons"]))
    line = f"{name}: OIT {entry['oit_score']:.2f}"
    if entry.get("oit_change") is not None:
        line += f" ({entry['oit_change']:+.2f} จากรอบก่อน / since run {entry['previous_run_id']})"
    docs = entry.get("documents") or {}
    changes = ", ".join(f"{k} {n}" for k, n in docs.items() if n)
    if changes:
        line += f"; เอกสาร/documents: {changes}"
    worse = [i["id"] for i in entry.get("items_changed", []) if i["direction"] == "worse"]
    if worse:
        line += f"; แย่ลง/worse: {', '.join(worse)}"
    return line


def post_webhook(url: str, payload: dict, timeout: float) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": f"oit-crawler/{__version__}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


def watch(config: WatchConfig, db_default: Path, progress: bool = True) -> int:
    db = config.db or db_default
    store = Store(db)
    entries = []
    for site in config.sites:
        entries.append(watch_site(site, db, store, progress, time_cap=site.site_timeout))
    ok = send_summary(config, entries, config.sites)
    return EXIT_OK if ok else EXIT_UNHEALTHY


def send_summary(config: WatchConfig, entries: list[dict], sites: list[SiteConfig]) -> bool:
    """Print the round's summary (one entry per site of `sites`), send it to the notification channels
    and the webhook (when set); whether every site was healthy."""
    print("== สรุป / summary")
    lines = [summary_text(e) for e in entries]
    for line, site in zip(lines, sites):
        print(f"  {line}\n    รายงาน/reports: {site.out}")
    ok = all(e["healthy"] and not e["error"] for e in entries)
    # What leaves the machine names reports by file name and link, never by their path on the server.
    shared = [{**e, "reports": [Path(p).name for p in e["reports"]], "report_url": site.report_url,
               "error": "เก็บข้อมูลไม่สำเร็จ / crawl failed" if e["error"] else None}
              for e, site in zip(entries, sites)]
    if config.notify:
        from crawler.history.notify import round_message, send
        title, body = round_message(shared, [s.report_url for s in sites], ok)
        failed = send(config.notify, title, body)
        sent = len(config.notify) - len(failed)
        print(f"ส่งข้อความแจ้งเตือนแล้ว {sent} ช่องทาง / notified {sent} of {len(config.notify)}")
        if failed:
            print(f"oit: ส่งข้อความไม่สำเร็จ / notification failed: {', '.join(failed)}", file=sys.stderr)
    if config.webhook:
        payload = {"tool": "oit-crawler", "version": __version__,
                   "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "ok": ok,
                   "text": "\n".join(summary_text(e) for e in shared), "sites": shared}
        try:
            post_webhook(config.webhook, payload, config.webhook_timeout)
            print(f"ส่งสรุปไปที่ webhook แล้ว / summary posted to {config.webhook}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            print(f"oit: ส่ง webhook ไม่สำเร็จ / webhook failed: {config.webhook}: {exc}", file=sys.stderr)
    return ok


def check(config: WatchConfig, db_default: Path) -> list[str]:
    """What `oit watch --check` reports after load_config accepted the file: where things will go."""
    db = config.db or db_default
    lines = [f"ไฟล์ตั้งค่าถูกต้อง / config OK: {config.path}", f"  ฐานข้อมูล/evidence store: {db}"]
    for site in config.sites:
        lines.append(f"  {site.name or site.url}: ปีงบประมาณ {site.fiscal_year}, รายงานที่ {site.out}"
                     + (f", ลิงก์ {site.report_url}" if site.report_url else ""))
    lines.append(f"  แจ้งเตือน/notify: {len(config.notify)} ช่องทาง"
                 + ("" if config.notify else " (ไม่ได้ตั้ง notify:)") + (", webhook JSON" if config.webhook else ""))
    return lines
