"""The service layer: everything a command does between reading its options and printing.

    choice = choose_checklist(None, 2568)                 # bma-district-2568, else the nearest year
    survey = load_survey(path, choice.checklist)          # IIT/EIT scores, or InputError
    report = build_report(store, run_id, 2568, as_of, choice.checklist, survey, overrides=overrides)
    write_outputs(report, Path("out"), REPORT_FORMATS)    # report.json, then every other format

One report, built in one order: audit (crawler/audit/judge.py, pure) -> crawl failures and OCR state ->
ITA with a survey -> overrides (crawler/kit/overrides.py) -> fix plan (crawler/kit/plan.py) -> score
history -> kept in the store. `oit audit`, `oit report`, `oit plan`, `oit submit-sheet`, `oit diff` and
`oit watch` all come through here, so they say the same thing. Input that cannot be used raises
`crawler.errors.InputError` (the command line turns it into exit 2); notes for the user (another year's
checklist stands in) go to the `notify` callback the caller passes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from crawler.audit.checklist import Checklist, ChecklistError, available_checklists, load_checklist
from crawler.audit.judge import OFFLINE_REASON, audit, crawl_health
from crawler.audit.scoring import ita
from crawler.audit.scoring import load_survey as read_survey
from crawler.evidence.failures import failure_label
from crawler.errors import HINT_CHECKLIST, HINT_FORMAT, InputError
from crawler.evidence.store import Store
from crawler.kit.overrides import Override, apply_overrides, load_overrides as read_overrides
from crawler.kit.plan import build_plan
from crawler.kit.submit import SheetRow, sheet_data, submission_sheet
from crawler.text.sanitize import clean
from reports.submit_sheet import write_sheet
from reports.validate import validate_report
from reports.writer import FORMAT_ORDER, write_reports

REPORT_FORMATS = ("json", *FORMAT_ORDER)       # report.json first: every other format is rendered from it
# pdf (director.pdf, printed by Chromium) only when asked: it needs a browser and takes seconds.
KNOWN_FORMATS = (*REPORT_FORMATS, "pdf")
CHECKLIST_FAMILY = "bma-district-"             # shipped checklists are <family><Buddhist Era fiscal year>

Notify = Callable[[str], None]


# -- inputs -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChecklistChoice:
    checklist: Checklist
    note: str | None = None      # set when another year's checklist stands in for the one asked for


def choose_checklist(name: str | None, fiscal_year: int, notify: Notify | None = None) -> ChecklistChoice:
    """The checklist `name` (an id or a YAML path); without one, the fiscal year's own checklist, else
    the nearest year's (the later one on a tie), with a note saying so. The one default policy."""
    try:
        return ChecklistChoice(load_checklist(name or f"{CHECKLIST_FAMILY}{fiscal_year}"))
    except ChecklistError as exc:
        stand_in = nearest_checklist_id(fiscal_year) if name is None else None
        if stand_in is None:
            shipped = ', '.join(available_checklists()) or 'none'
            if name is not None and Path(name).is_file():      # the user's own checklist: say how to check it
                raise InputError(str(exc), hint=f"ตรวจไฟล์เกณฑ์ด้วย oit checklist check {name} / check the "
                                                f"checklist file: oit checklist check {name}") from None
            raise InputError(str(exc), hint=f"เกณฑ์ที่มีให้ / checklists shipped: {shipped} "
                                            "(หรือ --checklist ไฟล์ YAML / or give --checklist PATH to a YAML file)") from None
    note = (f"ไม่มีเกณฑ์ของปีงบประมาณ {fiscal_year} จึงใช้ {stand_in} / no checklist for FY {fiscal_year}: "
            f"using {stand_in} (choose with --checklist)")
    if notify is not None:
        notify(note)
    try:
        return ChecklistChoice(load_checklist(stand_in), note)
    except ChecklistError as exc:
        raise InputError(str(exc), hint=HINT_CHECKLIST) from None


def nearest_checklist_id(fiscal_year: int) -> str | None:
    """The shipped checklist whose year is nearest `fiscal_year` (the later one on a tie): a rubric
    changes little from one year to the next, so the nearest year is the best prediction we have."""
    years = {int(i.removeprefix(CHECKLIST_FAMILY)): i for i in available_checklists()
             if i.startswith(CHECKLIST_FAMILY) and i.removeprefix(CHECKLIST_FAMILY).isdigit()}
    if not years:
        return None
    return years[min(years, key=lambda y: (abs(y - fiscal_year), -y))]


def load_survey(path: Path | None, checklist: Checklist) -> dict | None:
    """IIT/EIT scores for the ITA total (None without a file), checked against the checklist's weights."""
    if path is None:
        return None
    return read_survey(path, checklist)          # SurveyError is an InputError


def load_overrides(path: Path | None, checklist: Checklist, fiscal_year: int) -> list[Override] | None:
    """What the working group checked by hand (None without a file)."""
    if path is None:
        return None
    return read_overrides(path, checklist, fiscal_year)   # OverrideError is an InputError


def parse_formats(value: str | None, known: tuple[str, ...] = KNOWN_FORMATS, what: str = "report",
                  default: tuple[str, ...] = REPORT_FORMATS) -> list[str]:
    """'html, XLSX' -> ['html', 'xlsx'] (None: the default formats), or InputError naming the formats."""
    if value is None:
        return list(default)
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in known]
    if bad or not formats:
        raise InputError(f"ไม่รู้จักรูปแบบไฟล์ {', '.join(bad) or value!r} / unknown {what} format "
                         f"{', '.join(bad) or value!r}; choose from {', '.join(known)}", hint=HINT_FORMAT)
    return formats


# -- the report -------------------------------------------------------------------------------------

def build_report(store: Store, run_id: int, fiscal_year: int, as_of: date, checklist: Checklist,
                 survey: dict | None, *, keep: bool = True, overrides: list[Override] | None = None,
                 overrides_source: str | None = None, partial: bool = False) -> dict:
    """Audit a stored run; `keep` stores the audit in the run's history (a diff's own audits are not kept);
    `partial`: publish a labelled partial score when items could not be checked (crawler.audit.judge.audit)."""
    evidence = store.load_run(run_id)

    def limits(run: dict) -> tuple:   # earlier runs crawled with other limits are no yardstick for this one
        return run["settings"].get("OIT_MAX_PAGES"), run["settings"].get("OIT_MAX_DEPTH")

    run = store.run(run_id)
    listed = run["settings"].get("OIT_URL_LIST") or []
    this = limits(run)
    previous = [r for r in store.runs(evidence.site_url)
                if r["id"] < run_id and r["status"] == "complete" and limits(r) == this]
    previous_counts = [store.counts(r["id"]) for r in previous[-5:]]
    health = crawl_health(evidence, previous_counts, listed=bool(listed))
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")   # a label, never a judgement
    report = audit(evidence, checklist, fiscal_year, as_of, health=health, generated_at=generated, partial=partial,
                   offline=bool(run["settings"].get("OIT_DIR")))
    report["crawl"]["failures"] = [
        {"url": f["url"], "kind": f["error_kind"] or "error", "status": f["status"],
         "message": f["error"] or "", "referer": f["referer"]}
        for f in store.failures(run_id)
    ]
    ocr_engine = (evidence.stats or {}).get("ocr_engine")
    if ocr_engine is not None:      # runs crawled before OCR existed say nothing
        report["crawl"]["ocr_available"] = bool(ocr_engine)
        if not ocr_engine:
            report["crawl"]["ocr_problem"] = evidence.stats.get("ocr_problem") or ""
    if survey is not None and report.get("published"):
        report["ita"] = ita(report["oit_points"], survey, checklist)
    if overrides:   # a post-step: the audit above stays pure; the report says what changed and by whom
        report = apply_overrides(report, overrides, checklist, source=overrides_source)
    if listed:
        report["url_list"] = url_list_findings(report, evidence, listed, run["settings"].get("OIT_URL_LIST_FILE")
                                               or run["settings"].get("OIT_DIR"), folder=bool(run["settings"].get("OIT_DIR")))
    plan = build_plan(report, checklist, survey)
    if plan is not None:
        report["plan"] = plan
    history = score_history(store, report)      # the score as reported, overrides included
    if history:
        report["history"] = history
    if keep:
        store.add_audit(report)      # every audit is kept: `oit history`, `oit diff`
    return report


def url_list_findings(report: dict, evidence, listed: list, source: str | None, *, folder: bool = False) -> dict:
    """What `oit audit --urls` found about the list itself: each listed URL with its answer and its
    item's verdict (dead, wrong year or format: the item's reason), and the items the list gives no URL."""
    items = {i["id"]: i for i in report["items"]}
    rows = []
    for item_id, url in listed:
        resource = evidence.resources.get(url)
        kind = None if resource is None else (None if resource.ok else resource.error_kind or "error")
        item = items.get(item_id) if item_id else None
        rows.append({"item_id": item_id, "url": url, "ok": resource is not None and resource.ok,
                     "failure": kind, "failure_th": failure_label(kind) if kind else None,
                     "item_status": item["status"] if item else None,
                     "item_reason_th": item.get("reason_th") if item else None})
    named = {item_id for item_id, _ in listed if item_id}
    without = [i for i in items if i not in named] if named else []
    found = {"source": source, "rows": rows, "items_without_url": without, "folder": folder}
    if folder:        # what a folder cannot show, said so: not scored, never failed
        found["web_only_items"] = [i["id"] for i in report["items"] if i.get("reason_th") == OFFLINE_REASON[0]]
    return found


def score_history(store: Store, report: dict) -> list[dict]:
    """report.json's `history`: the site's earlier runs audited for the same fiscal year and checklist,
    oldest first, then this report. Empty when there is no earlier audit (no chart for one point)."""
    run_id = report["crawl"]["run_id"]
    earlier = store.latest_audits(report["site"]["url"], report["fiscal_year"], report["checklist"]["id"])
    history = [{"run_id": a["run_id"], "date": a["as_of"], "oit_score": a["oit_score"]}
               for rid, a in sorted(earlier.items()) if rid < run_id]
    if not history:
        return []
    return history + [{"run_id": run_id, "date": report["as_of"], "oit_score": report.get("oit_score")}]


def write_outputs(report: dict, out: Path, formats: list[str]) -> list[Path]:
    """report.json first (the single source), then every other format rendered from it."""
    validate_report(report)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    if "json" in formats:
        path = out / "report.json"
        path.write_text(json.dumps(clean(report), ensure_ascii=False, indent=2), encoding="utf-8")
        paths.append(path)
    others = [f for f in formats if f not in ("json", "pdf")]
    if others:
        paths += write_reports(report, out, others)
    if "pdf" in formats:                 # last: without Chromium every other format is still written
        paths += write_reports(report, out, ["pdf"])       # reports.pdf.PdfRendererMissing is an InputError
    return paths


def write_submit_sheet(report: dict, checklist: Checklist, out: Path,
                       rows: list[SheetRow] | None = None) -> list[Path]:
    """submit-sheet.xlsx and submit-sheet.txt: the URL(s) to give the ITA system for each item."""
    rows = rows if rows is not None else submission_sheet(report, checklist)
    return write_sheet(sheet_data(rows), report, out)


# -- audits of stored runs --------------------------------------------------------------------------

def run_date(store: Store, run_id: int) -> date:
    """The day a run finished (or started): the as-of date of a run judged without one."""
    run = store.run(run_id)
    return date.fromisoformat((run["finished_at"] or run["started_at"])[:10])


def stored_audit(store: Store, run_id: int, fiscal_year: int, checklist_id: str | None,
                 as_of: date | None) -> dict | None:
    """The run's latest stored audit for these inputs (any checklist / as-of date when not given)."""
    rows = [a for a in store.audits(run_id=run_id, fiscal_year=fiscal_year)
            if (checklist_id is None or a["checklist"] == checklist_id)
            and (as_of is None or a["as_of"] == as_of.isoformat())]
    if not rows:
        return None
    latest = max(rows, key=lambda a: (a["generated_at"] or "", a["id"]))
    return store.audit_report(latest["id"])


def stored_or_new_audit(store: Store, run_id: int, fiscal_year: int, as_of: date | None,
                        checklist_name: str | None, notify: Notify | None = None) -> dict:
    """The run's latest stored audit for that fiscal year (and as-of date / checklist, when given);
    otherwise an audit made now, for the comparison only: not kept, so it never becomes the run's score
    in `oit runs`."""
    checklist = choose_checklist(checklist_name, fiscal_year, notify).checklist
    stored = stored_audit(store, run_id, fiscal_year, checklist.id, as_of)
    if stored is not None:
        return stored
    return build_report(store, run_id, fiscal_year, as_of or run_date(store, run_id), checklist, None, keep=False)
