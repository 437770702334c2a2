"""Sub-commands over a site's history: history, diff, watch (registered into the `oit` parser).

Diffs and watch audit runs through the service layer, imported inside those commands so the `oit`
parser starts without it.
"""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from crawler.cli.options import fiscal_year, iso_date, note, positive_int
from crawler.errors import EXIT_OK, HINT_RUNS, InputError
from crawler.evidence.store import Store
from crawler.history.runs import print_history, run_summaries, site_runs


def register(sub) -> None:
    p = sub.add_parser("history", help="คะแนน OIT ของเว็บไซต์ตามเวลา (ทุกการตรวจที่บันทึกไว้) / a site's OIT score over time (every stored audit)")
    p.add_argument("--site", help="ที่อยู่หน้าแรกของเว็บไซต์ (ค่าเริ่มต้น: ทุกเว็บไซต์ในฐานข้อมูล) / start URL of the site (default: every site in the store)")
    p.add_argument("--fiscal-year", type=fiscal_year, help="เฉพาะการตรวจของปีงบประมาณนี้ / only audits for this fiscal year")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("diff", help="เปรียบเทียบสองรอบการเก็บข้อมูล หรือสองปีงบประมาณ / what changed between two runs, or between two fiscal years",
                       description="oit diff RUN_A RUN_B: documents added, removed, changed, failing; item "
                                   "verdicts that changed. oit diff --fiscal-years 2567 2568 [--run ID]: what "
                                   "each fiscal year covers.")
    p.add_argument("runs", nargs="*", type=positive_int, metavar="RUN",
                   help="two run ids (before, after); one: against the site's previous run; none: the "
                        "site's last two runs")
    p.add_argument("--fiscal-years", nargs=2, type=fiscal_year, metavar=("FY_A", "FY_B"),
                   help="compare what the site covers for two fiscal years instead")
    p.add_argument("--run", type=positive_int, action="append",
                   help="with --fiscal-years: the run to judge (once), or one run per year (twice)")
    p.add_argument("--site", help="ที่อยู่หน้าแรก: ใช้รอบล่าสุดของเว็บไซต์นี้ / start URL: pick the site's latest runs")
    p.add_argument("--fiscal-year", type=fiscal_year, help="fiscal year of the verdicts compared "
                   "(default: the year the runs were audited for)")
    p.add_argument("--as-of", type=iso_date, help="ตรวจ ณ วันที่นี้ (ค่าเริ่มต้น: ผลที่บันทึกไว้) / judge as on this date (default: the stored audits)")
    p.add_argument("--checklist", help="เกณฑ์ที่ใช้ตรวจ: ชื่อหรือไฟล์ YAML / checklist id or YAML path")
    p.add_argument("--out", type=Path, help="เขียน diff.json, diff.html, diff.xlsx ลงโฟลเดอร์นี้ด้วย / also write diff.json, diff.html, diff.xlsx into this folder")
    p.add_argument("--format", help="รูปแบบไฟล์ที่เขียนกับ --out: json, html, xlsx (ค่าเริ่มต้น: ทั้งหมด) / formats written with --out: json, html, xlsx (default all)")
    p.add_argument("--json", action="store_true", help="แสดงผลเปรียบเทียบเป็น JSON / print the diff as JSON")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("watch", help="เก็บข้อมูล ตรวจ และเปรียบเทียบทุกเว็บไซต์ในไฟล์ตั้งค่า (ตรวจประจำสัปดาห์) / crawl, audit and diff every site of a YAML config (weekly schedule)")
    p.add_argument("config", type=Path, help="ไฟล์ตั้งค่า YAML รายชื่อเว็บไซต์ (ดู deploy/watch.example.yaml) / YAML file listing the sites (see deploy/watch.example.yaml)")
    p.add_argument("--no-progress", action="store_true", help="ไม่แสดงบรรทัดความคืบหน้า / no live progress line")
    p.add_argument("--check", action="store_true",
                   help="only validate the config (sites, checklists, surveys, notification URLs); no crawl")
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("fleet", help="ตรวจหลายเว็บไซต์ในรอบเดียว / many sites in one run: one politeness budget per host, hosts in parallel, "
                       "resumable, with a dashboard", description="oit fleet CONFIG: the sites of a watch-style "
                       "YAML config (see deploy/fleet-bma-50.yaml); the sites of one host one after another, "
                       "different hosts at once; a stopped round continues where it was.")
    p.add_argument("config", type=Path, help="YAML file listing the sites (watch's format plus jobs, "
                   "site_timeout, stores, dashboard, state)")
    p.add_argument("--jobs", type=positive_int, help="hosts crawled at once (default: the config's jobs, else 2)")
    p.add_argument("--restart", action="store_true", help="start a new round even if the last one was stopped")
    p.add_argument("--continue-only", action="store_true",
                   help="only continue a stopped round; do nothing when the last round finished (for an hourly "
                        "cron line that resumes after a reboot)")
    p.add_argument("--redis", metavar="URL", help="queue the sites as jobs on this Redis (redis://host:6379/0) "
                   "for `oit worker`s on any machines, wait for them, then write the dashboard")
    p.set_defaults(func=cmd_fleet)

    p = sub.add_parser("worker", help="เครื่องช่วยตรวจ รับงานจาก Redis / take fleet site jobs from Redis (oit fleet --redis) until stopped")
    p.add_argument("--redis", metavar="URL", required=True, help="the Redis the coordinator queues on")
    p.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    p.add_argument("--name", help="worker name (default: host and process id)")
    p.set_defaults(func=cmd_worker)


# -- history ----------------------------------------------------------------------------------------

def cmd_history(args) -> int:
    summaries = run_summaries(Store.existing(args.db), args.site, args.fiscal_year)
    if not any(s.audit_id is not None for s in summaries):
        where = f" of {args.site}" if args.site else ""
        print(f"ยังไม่มีผลการประเมินที่เก็บไว้{where} / no stored audits{where} in {args.db} "
              f"(run `oit audit` first)")
        return EXIT_OK
    print_history(summaries, sys.stdout)
    return EXIT_OK


# -- diff -------------------------------------------------------------------------------------------

def _latest_runs(store, site: str | None, n: int) -> list[int]:
    runs = [r for r in site_runs(store, site) if r["status"] == "complete"]
    sites = {r["site_url"] for r in runs}
    if site is None and len(sites) > 1:
        raise InputError(f"ฐานข้อมูลมี {len(sites)} เว็บไซต์ ต้องเลือกหนึ่ง / the store holds {len(sites)} sites: "
                         "give --site URL or run ids", hint=HINT_RUNS)
    if len(runs) < n:
        raise InputError(f"ต้องมีรอบที่เก็บข้อมูลครบ {n} รอบ พบ {len(runs)} / need {n} complete run(s)"
                         f"{' of ' + site if site else ''}, found {len(runs)} in {store.path}",
                         hint="เก็บข้อมูลอีกรอบด้วย oit crawl URL แล้วดูรอบด้วย oit runs / "
                              "crawl again: oit crawl URL, then list the runs: oit runs")
    return [r["id"] for r in runs[-n:]]


def _previous_run(store, run_id: int) -> int:
    site = store.run(run_id)["site_url"]
    earlier = [r["id"] for r in site_runs(store, site) if r["id"] < run_id and r["status"] == "complete"]
    if not earlier:
        raise InputError(f"รอบ {run_id} ไม่มีรอบก่อนหน้าที่ครบให้เทียบ / run {run_id} has no earlier complete run "
                         f"of {site} to compare with", hint=HINT_RUNS)
    return earlier[-1]


def cmd_diff(args) -> int:
    from crawler.history.diff import diff_runs, print_diff
    from crawler.history.fiscal_years import diff_fiscal_years, print_coverage
    from crawler.service import parse_formats
    from reports.diff import DIFF_FORMATS, write_diff

    store = Store.existing(args.db)
    formats = parse_formats(args.format, DIFF_FORMATS, what="diff", default=DIFF_FORMATS)
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")
    if args.fiscal_years:
        if args.runs:
            raise InputError("ใช้ --fiscal-years ให้ระบุรอบด้วย --run / with --fiscal-years give the run(s) as --run ID",
                             hint="ระบุรอบด้วย --run เช่น oit diff --fiscal-years 2567 2568 --run 3 / give the run "
                                  "with --run, e.g. oit diff --fiscal-years 2567 2568 --run 3")
        runs = tuple(args.run or _latest_runs(store, args.site, 1))
        for run_id in runs:
            store.run(run_id)
        diff = diff_fiscal_years(store, *args.fiscal_years, runs, as_of=args.as_of, generated_at=generated,
                                 notify=note)
        show = print_coverage
    else:
        if args.run:
            raise InputError("--run ใช้กับ --fiscal-years เท่านั้น / --run is for --fiscal-years; "
                             "give two run ids: oit diff RUN_A RUN_B", hint=HINT_RUNS)
        if len(args.runs) > 2:
            raise InputError("ระบุรอบได้ไม่เกินสองรอบ (ก่อน หลัง) / give two run ids (before, after), one, or none",
                             hint="ระบุรอบก่อนและรอบหลัง เช่น oit diff 3 5 (ดูรอบด้วย oit runs) / give the run before "
                                  "and the run after, e.g. oit diff 3 5 (list them: oit runs)")
        runs = list(args.runs)
        for run_id in runs:
            store.run(run_id)
        if not runs:
            runs = _latest_runs(store, args.site, 2)
        elif len(runs) == 1:
            runs = [_previous_run(store, runs[0]), runs[0]]
        diff = diff_runs(store, runs[0], runs[1], fiscal_year=args.fiscal_year, as_of=args.as_of,
                         checklist=args.checklist, generated_at=generated, notify=note)
        show = print_diff
    if args.json:
        print(json.dumps(diff, ensure_ascii=False, indent=2))
    else:
        show(diff, sys.stdout)
    if args.out:
        for path in write_diff(diff, args.out, formats):
            print(f"รายงาน/report: {path}", file=sys.stderr if args.json else sys.stdout)
    return EXIT_OK


# -- watch ------------------------------------------------------------------------------------------

def cmd_watch(args) -> int:
    from crawler.history.watch import check, load_config, watch
    config = load_config(args.config)       # WatchConfigError is an InputError
    if args.check:
        print("\n".join(check(config, args.db)))
        return EXIT_OK
    return watch(config, db_default=args.db, progress=not args.no_progress)


def cmd_fleet(args) -> int:
    from crawler.history.fleet import fleet, load_fleet
    config = load_fleet(args.config)        # WatchConfigError is an InputError
    return fleet(config, restart=args.restart, jobs=args.jobs, redis_url=args.redis,
                 continue_only=args.continue_only)


def cmd_worker(args) -> int:
    from crawler.history.scaleout import work
    return work(args.redis, burst=args.burst, name=args.name)
