"""Sub-commands that judge and report: audit, report, inspect (registered into the `oit` parser)."""
from __future__ import annotations

import json
import sys
from datetime import date, datetime, timezone
from pathlib import Path

EXIT_OK, EXIT_BELOW, EXIT_USAGE, EXIT_UNHEALTHY = 0, 1, 2, 3
FORMATS = ("json", "html", "xlsx", "csv", "md", "pdf")
# pdf (director.pdf, printed by Chromium) only when asked: it needs a browser and takes seconds.
DEFAULT_FORMATS = ("json", "html", "xlsx", "csv", "md")


def register(sub, add_crawl_options, fiscal_year, iso_date, positive_int) -> None:
    p = sub.add_parser("audit", help="crawl (or take a stored run), audit against O1–O22, write reports")
    p.add_argument("url", nargs="?", help="start URL of the district site (omit with --run)")
    p.add_argument("--run", type=positive_int, help="audit a stored run instead of crawling")
    p.add_argument("--fiscal-year", type=fiscal_year, required=True, help="Buddhist Era, e.g. 2568")
    p.add_argument("--as-of", type=iso_date, help="judge as on this date (default today)")
    p.add_argument("--checklist", help="checklist id or YAML path (default bma-district-<fiscal year>)")
    p.add_argument("--out", type=Path, default=Path("out"), help="folder for the reports (default ./out)")
    p.add_argument("--survey", type=Path, help="YAML/JSON with IIT 1–5 and EIT 6–8 scores, for the ITA total")
    p.add_argument("--fail-under", type=float, metavar="SCORE", help="exit 1 when the OIT score is below")
    p.add_argument("--format", default=",".join(DEFAULT_FORMATS),
                   help=f"comma-separated report formats from {','.join(FORMATS)} "
                        f"(default {','.join(DEFAULT_FORMATS)}; pdf = one page for the director)")
    _add_kit_options(p)
    add_crawl_options(p)
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("report", help="re-render the reports of a stored run (no network)")
    p.add_argument("--run", type=positive_int, required=True)
    p.add_argument("--fiscal-year", type=fiscal_year, required=True)
    p.add_argument("--as-of", type=iso_date)
    p.add_argument("--checklist")
    p.add_argument("--out", type=Path, default=Path("out"))
    p.add_argument("--survey", type=Path)
    p.add_argument("--format", default=",".join(DEFAULT_FORMATS))
    _add_kit_options(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("inspect", help="what the tool reads in one document or page, before you upload it")
    p.add_argument("target", help="a file path or an http(s) URL")
    p.add_argument("--fiscal-year", type=fiscal_year, help="also judge the fiscal-year windows for this year")
    p.add_argument("--as-of", type=iso_date)
    p.add_argument("--checklist")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_inspect)


def _add_kit_options(p) -> None:
    p.add_argument("--overrides", type=Path, help="YAML of items the working group checked by hand "
                   "(applied on top of the audit, shown as overrides in every report)")
    p.add_argument("--submit-sheet", action="store_true",
                   help="also write submit-sheet.xlsx and submit-sheet.txt (the URLs for the ITA system)")


# -- audit ------------------------------------------------------------------------------------------

def _formats(value: str) -> list[str]:
    from crawler.cli.main import UsageError
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"unknown report format {', '.join(bad) or value!r}; choose from {', '.join(FORMATS)}")
    return formats


def _checklist(name: str | None, fy: int):
    from crawler.audit.checklist import ChecklistError, load_checklist
    from crawler.cli.main import UsageError
    try:
        return load_checklist(name or f"bma-district-{fy}")
    except ChecklistError as exc:
        if name is None:
            # No checklist for that exact year: the newest one is the best prediction we have.
            from crawler.audit.checklist import available_checklists
            years = {int(i.rsplit("-", 1)[1]): i for i in available_checklists()
                     if i.startswith("bma-district-") and i.rsplit("-", 1)[1].isdigit()}
            # The nearest rubric year is the best prediction we have (a later one on a tie).
            ids = [years[y] for y in sorted(years, key=lambda y: (abs(y - fy), -y))][:1]
            if ids:
                print(f"oit: ไม่มีเกณฑ์ของปีงบประมาณ {fy} จึงใช้ {ids[-1]} / no checklist for FY {fy}: "
                      f"using {ids[-1]} (choose with --checklist)", file=sys.stderr)
                return load_checklist(ids[-1])
        raise UsageError(str(exc)) from None


def _survey(path: Path | None):
    if path is None:
        return None
    from crawler.cli.main import UsageError
    from crawler.audit.scoring import SurveyError, load_survey
    try:
        return load_survey(path)
    except SurveyError as exc:
        raise UsageError(str(exc)) from None


def _overrides(path: Path | None, checklist, fy: int):
    if path is None:
        return None
    from crawler.cli.main import UsageError
    from crawler.kit.overrides import OverrideError, load_overrides
    try:
        return load_overrides(path, checklist, fy)
    except OverrideError as exc:
        raise UsageError(str(exc)) from None


def build_report(store, run_id: int, fy: int, as_of: date, checklist, survey, *, keep: bool = True,
                 overrides=None, overrides_source: str | None = None) -> dict:
    """Audit a stored run; `keep` stores the audit in the run's history (a diff's own audits are not kept)."""
    from crawler.audit.judge import audit, crawl_health
    from crawler.history.runs import score_history
    from crawler.audit.scoring import ita

    evidence = store.load_run(run_id)

    def limits(run: dict) -> tuple:   # earlier runs crawled with other limits are no yardstick for this one
        return run["settings"].get("OIT_MAX_PAGES"), run["settings"].get("OIT_MAX_DEPTH")

    this = limits(store.run(run_id))
    previous = [r for r in store.runs(evidence.site_url)
                if r["id"] < run_id and r["status"] == "complete" and limits(r) == this]
    previous_counts = [store.counts(r["id"]) for r in previous[-5:]]
    health = crawl_health(evidence, previous_counts)
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")   # a label, never a judgement
    report = audit(evidence, checklist, fy, as_of, health=health, generated_at=generated)
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
        from crawler.kit.overrides import apply_overrides
        report = apply_overrides(report, overrides, checklist, source=overrides_source)
    from crawler.kit.plan import build_plan
    plan = build_plan(report, checklist, survey)
    if plan is not None:
        report["plan"] = plan
    history = score_history(store, report)      # the score as reported, overrides included
    if history:
        report["history"] = history
    if keep:
        store.add_audit(report)      # every audit is kept: `oit history`, `oit diff`
    return report


def write_outputs(report: dict, out: Path, formats: list[str]) -> list[Path]:
    """report.json first (the single source), then every other format rendered from it."""
    from reports.validate import validate_report
    from reports.writer import write_reports
    validate_report(report)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    if "json" in formats:
        path = out / "report.json"
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        paths.append(path)
    others = [f for f in formats if f not in ("json", "pdf")]
    if others:
        paths += write_reports(report, out, others)
    if "pdf" in formats:                 # last: without Chromium every other format is still written
        from crawler.cli.main import UsageError
        from reports.pdf import PdfRendererMissing
        try:
            paths += write_reports(report, out, ["pdf"])
        except PdfRendererMissing as exc:
            raise UsageError(str(exc)) from None
    return paths


def cmd_audit(args) -> int:
    from crawler.cli.main import UsageError, check_url, crawl, crawl_settings, start_failure
    from crawler.evidence.store import Store

    formats = _formats(args.format)
    checklist = _checklist(args.checklist, args.fiscal_year)
    survey = _survey(args.survey)
    overrides = _overrides(args.overrides, checklist, args.fiscal_year)
    if args.run is None:
        if not args.url:
            raise UsageError("give the site's start URL, or --run ID to audit a stored run")
        run_id = crawl(check_url(args.url), args.db, max_pages=args.max_pages, max_depth=args.max_depth,
                       settings=crawl_settings(args))
    else:
        if args.url:
            raise UsageError("give either a URL to crawl or --run ID, not both")
        run_id = args.run
    store = Store(args.db)
    as_of = args.as_of or date.today()
    report = build_report(store, run_id, args.fiscal_year, as_of, checklist, survey, overrides=overrides,
                          overrides_source=_source(args.overrides))
    paths = write_outputs(report, args.out, formats)
    paths += _submit_sheet(args, report, checklist)
    print_summary(report, paths)
    if not report["crawl"]["healthy"]:
        why = start_failure(store, run_id)
        reasons = "; ".join(report["crawl"].get("health_reasons") or []) or why or "unhealthy crawl"
        print(f"oit: crawl unhealthy, no score published: {reasons}", file=sys.stderr)
        return EXIT_UNHEALTHY
    if args.fail_under is not None and report["oit_score"] < args.fail_under:
        print(f"oit: OIT score {report['oit_score']:.2f} is below --fail-under {args.fail_under:g}",
              file=sys.stderr)
        return EXIT_BELOW
    return EXIT_OK


def cmd_report(args) -> int:
    from crawler.evidence.store import Store
    formats = _formats(args.format)
    checklist = _checklist(args.checklist, args.fiscal_year)
    overrides = _overrides(args.overrides, checklist, args.fiscal_year)
    store = Store(args.db)
    as_of = args.as_of or date.today()
    report = build_report(store, args.run, args.fiscal_year, as_of, checklist, _survey(args.survey),
                          overrides=overrides, overrides_source=_source(args.overrides))
    paths = write_outputs(report, args.out, formats)
    paths += _submit_sheet(args, report, checklist)
    print_summary(report, paths)
    return EXIT_OK if report["crawl"]["healthy"] else EXIT_UNHEALTHY


def _source(path: Path | None) -> str | None:
    return path.name if path is not None else None


def _submit_sheet(args, report: dict, checklist) -> list[Path]:
    if not getattr(args, "submit_sheet", False):
        return []
    from crawler.kit.submit import write_sheet
    return write_sheet(report, checklist, args.out)


# -- the terminal summary ---------------------------------------------------------------------------

def print_summary(report: dict, paths: list[Path], stream=None) -> None:
    out = stream or sys.stdout
    w = lambda s="": print(s, file=out)  # noqa: E731
    site = report["site"]
    w(f"{site.get('name') or site['url']}  —  ปีงบประมาณ/FY {report['fiscal_year']}, "
      f"ณ วันที่/as of {report['as_of']}, checklist {report['checklist']['id']}")
    crawl = report["crawl"]
    w(f"เก็บข้อมูล/crawl: run {crawl['run_id']}, {crawl['pages']} pages, {crawl['documents']} documents, "
      f"{crawl['errors']} errors")
    if not report.get("published"):
        w("ไม่เผยแพร่คะแนน: การเก็บข้อมูลไม่สมบูรณ์ / No score published: the crawl was unhealthy")
        for reason in crawl.get("health_reasons") or []:
            w(f"  - {reason}")
    else:
        w(f"คะแนน OIT (คาดการณ์)/predicted OIT score: {report['oit_score']:.2f}  "
          f"({report['oit_points']:.2f} / 40 points)")
        ind = report["indicators"]
        w("  " + "  ".join(f"{k}: {ind[k]['score']:.2f}" for k in ("9", "10")))
        w("  " + "  ".join(f"{k}: {ind[k]['score']:.2f}" for k in sorted(ind, key=_ind_key)
                         if "." in k))
        if report.get("ita"):
            ita = report["ita"]
            w(f"ITA รวม/total: {ita['total']:.2f}  ระดับ/level: {ita['level_th']} ({ita['level_en']})")
    _print_overrides(report, w)
    by_id = {item["id"]: item for item in report["items"]}
    for title, ids in (("ขาด/missing (0)", report.get("missing_items", [])),
                       ("ได้บางส่วน/partial", report.get("partial_items", [])),
                       ("ต้องตรวจด้วยตา/review", report.get("review_items", []))):
        if ids:
            w(f"{title}:")
            for item_id in ids:
                item = by_id[item_id]
                reason = item.get("reason_th") or ""
                score = "" if item.get("score") is None else f" {item['score']:g}"
                w(f"  {item_id}{score}  {item['title_th']} — {reason}"
                  + (f" / {item['reason_en']}" if item.get("reason_en") else ""))
    if crawl.get("ocr_available") is False and any(
            e.get("reason") == "review_scan_unread" for item in report["items"] for e in item.get("elements", [])):
        from crawler.extraction.ocr import INSTALL_HINT
        w(f"เอกสารสแกนยังไม่ได้อ่าน ติดตั้ง OCR แล้วเก็บข้อมูลใหม่ / Scans were not read "
          f"({crawl.get('ocr_problem') or 'no OCR'}); install OCR and crawl again: {INSTALL_HINT}")
    for path in paths:
        w(f"รายงาน/report: {path}")


def _print_overrides(report: dict, w) -> None:
    overrides = report.get("overrides")
    if not overrides:
        return
    from reports.writer import fmt_num
    without, with_ = overrides.get("without") or {}, overrides.get("with") or {}
    line = (f"ปรับผลโดยคณะทำงาน/overrides ({overrides.get('source') or 'file'}): "
            f"OIT {fmt_num(with_.get('oit_score'))} รวมการปรับผล/with, "
            f"{fmt_num(without.get('oit_score'))} ตามการตรวจอัตโนมัติ/without")
    if with_.get("ita_total") is not None:
        line += (f"; ITA {fmt_num(with_.get('ita_total'))} {with_.get('level_th')} / "
                 f"{fmt_num(without.get('ita_total'))} {without.get('level_th')}")
    w(line)
    for item in report["items"]:
        if item.get("override"):
            w(f"  {item['id']}  {item['override'].get('label_th')}")


def _ind_key(key: str) -> tuple:
    return tuple(int(p) for p in key.split("."))


# -- inspect ----------------------------------------------------------------------------------------

def cmd_inspect(args) -> int:
    from crawler.kit.inspect import inspect_target
    from crawler.cli.main import UsageError
    try:
        result = inspect_target(args.target, fiscal_year=args.fiscal_year, as_of=args.as_of,
                                checklist=_checklist(args.checklist, args.fiscal_year or 2568))
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise UsageError(f"cannot read {args.target}: {exc.strerror or exc}") from None
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        from crawler.kit.inspect import print_inspection
        print_inspection(result)
    return EXIT_OK
