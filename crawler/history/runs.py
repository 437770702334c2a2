"""A site's history: its runs and their stored audits, the OIT score over time.

Every `oit audit` / `oit report` / `oit watch` keeps its report.json in the evidence store (the `audits`
table). A run may be audited more than once (another fiscal year, another as-of date); where one score
per run is wanted, the run's latest audit speaks for it. An audit of an unhealthy crawl is kept but has no
score: it shows as a gap, never as a drop.
"""
from __future__ import annotations

import unicodedata

from dataclasses import dataclass, field

from crawler.evidence.store import Store
from crawler.text.urls import same_site
from crawler.text.dates import bangkok_datetime_th


@dataclass
class RunSummary:
    """One run as `oit runs` and `oit history` show it."""
    run_id: int
    site_url: str
    started_at: str
    status: str                   # complete | incomplete | running | failed
    pages: int
    documents: int
    errors: int
    received_bytes: int | None    # bytes that crossed the network (None: crawled before this was counted)
    audit_id: int | None = None   # the run's latest audit, if any
    fiscal_year: int | None = None
    as_of: str | None = None
    checklist: str | None = None
    oit_score: float | None = None
    published: bool | None = None # None: never audited
    # The run's other stored audits (another as-of date or checklist), oldest first: never rewritten,
    # so history shows each judgement beside the latest one.
    other_audits: list[dict] = field(default_factory=list)
    incomplete: bool = False      # not published because items were not checked (capped, interrupted …)

    @property
    def health(self) -> str:
        if self.published is None:
            return "—"
        if self.incomplete and not self.published:
            return "INCOMPLETE"
        return "healthy" if self.published else "UNHEALTHY"


def site_runs(store: Store, site_url: str | None = None) -> list[dict]:
    runs = store.runs()
    return [r for r in runs if site_url is None or same_site(r["site_url"], site_url)]


def run_summaries(store: Store, site_url: str | None = None, fiscal_year: int | None = None) -> list[RunSummary]:
    """Every run of the site (or of the store), with its latest audit (of that fiscal year, if given)."""
    audits = store.latest_audits(site_url, fiscal_year)
    every: dict[int, list[dict]] = {}
    for row in store.audits(fiscal_year=fiscal_year):
        every.setdefault(row["run_id"], []).append(row)
    out = []
    for run in site_runs(store, site_url):
        c = store.counts(run["id"])
        received = (run.get("stats") or {}).get("received_bytes")
        summary = RunSummary(run["id"], run["site_url"], run["started_at"], run["status"], c["pages"],
                             c["documents"], c["errors"], received)
        a = audits.get(run["id"])
        if a is not None:
            summary.audit_id, summary.fiscal_year, summary.as_of = a["id"], a["fiscal_year"], a["as_of"]
            summary.checklist, summary.oit_score, summary.published = a["checklist"], a["oit_score"], a["published"]
            summary.other_audits = [o for o in every.get(run["id"], []) if o["id"] != a["id"]]
            if not a["published"]:
                report = store.audit_report(a["id"])
                summary.incomplete = bool(report.get("completeness")) and report["crawl"].get("healthy", False)
        out.append(summary)
    return out


# -- terminal ---------------------------------------------------------------------------------------

def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _mb(value: int | None) -> str:
    return "—" if value is None else f"{value / 1e6:.1f}"


STATUS_TH = {"complete": "ครบ", "incomplete": "ไม่ครบ", "failed": "ล้มเหลว", "running": "กำลังเก็บ"}
HEALTH_TH = {"healthy": "ปกติ", "UNHEALTHY": "ไม่ปกติ", "INCOMPLETE": "ตรวจไม่ครบ"}
# (Thai / English heading, width, right-aligned) of each column of `oit runs`
RUN_COLUMNS = (("รอบ/run", 7, True), ("เริ่ม (เวลาไทย)/started", 25, False), ("สถานะ/status", 19, False),
               ("หน้า/pages", 10, True), ("เอกสาร/docs", 11, True), ("ผิดพลาด/errors", 14, True),
               ("MB", 6, True), ("ปีงบ/FY", 7, True), ("OIT", 6, True), ("ผลตรวจ/health", 20, False),
               ("เว็บไซต์/site", 0, False))


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: Thai vowels and tone marks above or below a letter take none."""
    return sum(0 if unicodedata.category(ch) in ("Mn", "Me", "Cf") else 1 for ch in text)


def _cell(text: str, width: int, right: bool) -> str:
    pad = " " * max(0, width - display_width(text))
    return pad + text if right else text + pad


def _row(cells: list[str]) -> str:
    return "  ".join(_cell(text, width, right) for text, (_, width, right) in zip(cells, RUN_COLUMNS)).rstrip()


def print_runs(summaries: list[RunSummary], out) -> None:
    w = lambda s="": print(s, file=out)  # noqa: E731
    w(_row([heading for heading, _, _ in RUN_COLUMNS]))
    for s in summaries:
        status = f"{STATUS_TH[s.status]}/{s.status}" if s.status in STATUS_TH else s.status
        health = f"{HEALTH_TH[s.health]}/{s.health}" if s.health in HEALTH_TH else s.health
        w(_row([str(s.run_id), bangkok_datetime_th(s.started_at), status, str(s.pages), str(s.documents),
                str(s.errors), _mb(s.received_bytes), str(s.fiscal_year or "—"), _score(s.oit_score), health,
                s.site_url]))


BAR_WIDTH = 40


def print_history(summaries: list[RunSummary], out) -> None:
    """The OIT score over time, one line per audited run, with a bar a glance can compare."""
    w = lambda s="": print(s, file=out)  # noqa: E731
    audited = [s for s in summaries if s.audit_id is not None]
    sites = sorted({s.site_url for s in audited})
    for site in sites:
        rows = [s for s in audited if s.site_url == site]
        w(f"{site}")
        w(f"  {'run':>4}  {'เก็บข้อมูล/crawled':<14}  {'ณ วันที่/as of':<13}  {'FY':>4}  {'OIT':>6}  คะแนน/score")
        previous = None
        for s in rows:
            if s.published and s.oit_score is not None:
                bar = "█" * round(s.oit_score / 100 * BAR_WIDTH)
                change = "" if previous is None else f"  ({s.oit_score - previous:+.2f})"
                previous = s.oit_score
                shown = f"{bar}{change}"
            else:
                shown = ("ไม่เผยแพร่: ยังตรวจไม่ครบทุกข้อ / not published: items not checked" if s.incomplete
                         else "ไม่เผยแพร่: การเก็บข้อมูลไม่สมบูรณ์ / not published: unhealthy crawl")
            for o in s.other_audits:
                w(f"  {'':>4}  {'':<14}  {bangkok_datetime_th(o['as_of']):<13}  {o['fiscal_year']:>4}  {_score(o['oit_score']):>6}  "
                  f"การตรวจอีกครั้งของรอบนี้/another audit of this run ({o['checklist']}, "
                  f"made {(o['generated_at'] or '')[:10]})")
            w(f"  {s.run_id:>4}  {bangkok_datetime_th(s.started_at, clock=False):<14}  {bangkok_datetime_th(s.as_of):<13}  "
              f"{s.fiscal_year or '':>4}  "
              f"{_score(s.oit_score):>6}  {shown}")
