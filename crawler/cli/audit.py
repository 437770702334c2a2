"""Sub-commands that judge and report: audit, report, inspect (registered into the `oit` parser).

The service layer (the audit, pandas, the templates) is imported inside the commands that use it, so
`oit crawl` (one per site in `oit watch`) and `oit --help` start without it.
"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from crawler.cli.checks import check_out_dir, check_store
from crawler.cli.crawl import crawl, start_failure
from crawler.cli.options import (HINT_PREFIX, add_crawl_options, crawl_settings, fiscal_year, iso_date, note,
                                 positive_int)
from crawler.errors import EXIT_BELOW, EXIT_OK, EXIT_UNHEALTHY, HINT_RUNS, HINT_URL, InputError
from crawler.evidence.failures import failure_label
from crawler.evidence.store import Store
from crawler.evidence.walls import SHARE_ADVICE
from crawler.text.format import fmt_num
from crawler.text.sanitize import clean, clean_text
from crawler.text.urls import check_url


INSPECT_RUBRIC_YEAR = 2568      # whose checklist names the items `oit inspect` shows without --fiscal-year
UNHEALTHY_HINT = ("ดูสาเหตุในรายงานหรือ oit runs แล้วเก็บข้อมูลอีกครั้งเมื่อเว็บไซต์ใช้งานได้ / see the reasons above "
                  "(and oit runs), then crawl again when the site is up")


def register(sub) -> None:
    p = sub.add_parser("audit", help="เก็บข้อมูลเว็บไซต์ (หรือใช้รอบที่เก็บไว้) ตรวจตามเกณฑ์ O1–O22 และเขียนรายงาน / crawl (or take a stored run), audit against O1–O22, write reports")
    p.add_argument("url", nargs="?", help="ที่อยู่หน้าแรกของเว็บไซต์สำนักงานเขต (ไม่ต้องใส่เมื่อใช้ --run) / start URL of the district site (omit with --run)")
    p.add_argument("--run", type=positive_int, help="ตรวจรอบการเก็บข้อมูลที่บันทึกไว้ ไม่เก็บข้อมูลใหม่ / audit a stored run instead of crawling")
    p.add_argument("--urls", type=Path, metavar="FILE",
                   help="ตรวจเฉพาะ URL ในรายการแทนการเก็บทั้งเว็บไซต์ (แบบสรุป URL, Excel/CSV ที่มีคอลัมน์ข้อและ URL, "
                        "หรือบรรทัดละ URL) / audit the URLs of a list instead of crawling the site: submit-sheet.xlsx/.txt, "
                        "an Excel/CSV with item (O1..) and URL columns, or plain lines; each URL with its links one hop")
    p.add_argument("--dir", type=Path, metavar="FOLDER",
                   help="ตรวจไฟล์ในโฟลเดอร์ก่อนนำขึ้นเว็บไซต์ (โฟลเดอร์ตามข้อ เช่น O05/ ใช้เป็นคำใบ้) / audit the files "
                        "of a folder before they are published (a folder per item such as O05/ is a hint); checks "
                        "that need the live web are not scored")
    p.add_argument("--fiscal-year", type=fiscal_year, required=True, help="ปีงบประมาณ พ.ศ. เช่น 2568 / Buddhist Era, e.g. 2568")
    p.add_argument("--as-of", type=iso_date, help="ตรวจ ณ วันที่นี้ (ค่าเริ่มต้น: วันนี้) YYYY-MM-DD / judge as on this date (default today)")
    p.add_argument("--checklist", help="เกณฑ์ที่ใช้ตรวจ: ชื่อหรือไฟล์ YAML (ค่าเริ่มต้น bma-district-<ปีงบประมาณ>) / checklist id or YAML path (default bma-district-<fiscal year>)")
    p.add_argument("--out", type=Path, default=Path("out"), help="โฟลเดอร์เก็บรายงาน (ค่าเริ่มต้น ./out) / folder for the reports (default ./out)")
    p.add_argument("--survey", type=Path, help="ไฟล์คะแนน IIT 1–5 และ EIT 6–8 (YAML/JSON) เพื่อคำนวณคะแนน ITA รวม / YAML/JSON with IIT 1–5 and EIT 6–8 scores, for the ITA total")
    p.add_argument("--fail-under", type=float, metavar="SCORE", help="จบด้วยรหัส 1 เมื่อคะแนน OIT ต่ำกว่าค่านี้ / exit 1 when the OIT score is below")
    p.add_argument("--partial", action="store_true",
                   help="เผยแพร่คะแนนบางส่วนเมื่อบางข้อยังไม่ได้ตรวจ / publish a partial score when items could not be checked (capped or interrupted "
                        "crawl, unfetched links): labelled partial, with the items not checked")
    p.add_argument("--format", help="รูปแบบรายงาน คั่นด้วยจุลภาค / comma-separated report formats: json, html, xlsx, csv, md (the default: "
                   "all of them) and pdf (director.pdf, one page for the director, printed by Chromium)")
    _add_kit_options(p)
    add_crawl_options(p)
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("report", help="แสดงผลการตรวจที่บันทึกไว้ของรอบหนึ่ง (ไม่ใช้เครือข่าย) / render the stored audit of a run (no network); with another "
                       "--as-of or --checklist, judge it again as a new audit beside the stored ones")
    p.add_argument("--run", type=positive_int, required=True,
                   help="รอบการเก็บข้อมูลที่บันทึกไว้ (ดู oit runs) / a stored run (see oit runs)")
    p.add_argument("--fiscal-year", type=fiscal_year, required=True, help="ปีงบประมาณ พ.ศ. เช่น 2568 / Buddhist Era, e.g. 2568")
    p.add_argument("--as-of", type=iso_date, help="ผลการตรวจที่บันทึกไว้ของวันที่นี้ (ค่าเริ่มต้น: ครั้งล่าสุด) / the stored audit of this date (default: the latest stored)")
    p.add_argument("--checklist", help="เกณฑ์ที่ใช้ตรวจ: ชื่อหรือไฟล์ YAML / checklist id or YAML path")
    p.add_argument("--partial", action="store_true", help="เมื่อตรวจใหม่: เหมือน oit audit --partial / when judging anew: as for `oit audit --partial`")
    p.add_argument("--out", type=Path, default=Path("out"),
                   help="โฟลเดอร์เก็บรายงาน (ค่าเริ่มต้น ./out) / folder for the reports (default ./out)")
    p.add_argument("--survey", type=Path, help="ไฟล์คะแนน IIT/EIT เพื่อคำนวณ ITA รวม / IIT and EIT scores for the ITA total")
    p.add_argument("--format", help="รูปแบบรายงาน: json, html, xlsx, csv, md (ค่าเริ่มต้น: ทั้งหมด), pdf / "
                   "report formats: json, html, xlsx, csv, md (default: all of them), pdf")
    _add_kit_options(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("inspect", help="ดูว่าเครื่องอ่านเอกสารหรือหน้าเว็บหนึ่งรายการได้อย่างไร ก่อนอัปโหลด / what the tool reads in one document or page, before you upload it")
    p.add_argument("target", help="ไฟล์ในเครื่อง หรือที่อยู่เว็บ http(s) / a file path or an http(s) URL")
    p.add_argument("--fiscal-year", type=fiscal_year, help="ตรวจช่วงปีงบประมาณของปีนี้ด้วย / also judge the fiscal-year windows for this year")
    p.add_argument("--as-of", type=iso_date, help="ตรวจ ณ วันที่นี้ YYYY-MM-DD / judge as on this date")
    p.add_argument("--checklist", help="เกณฑ์ที่ใช้ตรวจ: ชื่อหรือไฟล์ YAML / checklist id or YAML path")
    p.add_argument("--json", action="store_true", help="แสดงผลเป็น JSON สำหรับโปรแกรมอื่น / machine-readable output")
    p.add_argument("--allow-private", action="store_true",
                   help="also follow a public URL's redirects to private and loopback addresses")
    p.set_defaults(func=cmd_inspect)


def _add_kit_options(p) -> None:
    p.add_argument("--overrides", type=Path, help="YAML of items the working group checked by hand "
                   "(applied on top of the audit, shown as overrides in every report)")
    p.add_argument("--submit-sheet", action="store_true",
                   help="also write submit-sheet.xlsx and submit-sheet.txt (the URLs for the ITA system)")


# -- audit ------------------------------------------------------------------------------------------

def cmd_audit(args) -> int:
    from crawler.service import (build_report, choose_checklist, load_overrides, load_survey, parse_formats,
                                 write_outputs)
    formats = parse_formats(args.format)
    checklist = choose_checklist(args.checklist, args.fiscal_year, note).checklist
    survey = load_survey(args.survey, checklist)
    overrides = load_overrides(args.overrides, checklist, args.fiscal_year)
    created_out = check_out_dir(args.out)       # before the crawl: a read-only --out must not waste one
    if args.urls is not None or args.dir is not None:
        if args.url or args.run is not None or (args.urls is not None and args.dir is not None):
            raise InputError("ใช้ --urls หรือ --dir อย่างเดียว ไม่ใช้ร่วมกับที่อยู่เว็บ --run หรือกันเอง / give --urls "
                             "FILE or --dir FOLDER alone: not with a start URL, --run or each other",
                             hint="เช่น oit audit --urls urls.xlsx --fiscal-year 2568 / "
                                  "e.g. oit audit --urls urls.xlsx --fiscal-year 2568")
        from crawler.kit.url_list import read_folder, read_url_list
        settings = crawl_settings(args)
        if args.urls is not None:
            listed = read_url_list(args.urls)
            for entry in listed:
                check_url(entry.url)
            settings["OIT_URL_LIST_FILE"] = args.urls.name
        else:
            listed = read_folder(args.dir)
            settings["OIT_DIR"] = args.dir.name or str(args.dir)
            settings["ROBOTSTXT_OBEY"] = False          # files on disk have no robots.txt
            # No server to be polite to (the pause between requests made a folder of 60 documents wait
            # ~30 s for nothing), and nothing to revalidate next week.
            if args.delay is None:
                settings.update(DOWNLOAD_DELAY=0, AUTOTHROTTLE_ENABLED=False)
            settings["HTTPCACHE_ENABLED"] = False
        url = listed[0].url
        settings["OIT_URL_LIST"] = [[entry.item_id, entry.url] for entry in listed]
        check_store(args.db)
        run_id = crawl(url, args.db, settings=settings)
    elif args.run is None:
        if not args.url:
            raise InputError("ระบุที่อยู่เว็บไซต์ --urls FILE หรือ --run ID / give the site's start URL, --urls FILE, "
                             "or --run ID to audit a stored run", hint=HINT_URL)
        url, settings = check_url(args.url), crawl_settings(args)
        if url != args.url.strip():
            note(f"ใช้ที่อยู่ / using {url}")
        check_store(args.db)
        run_id = crawl(url, args.db, max_pages=args.max_pages, max_depth=args.max_depth, settings=settings,
                       scope=args.scope)
    else:
        if args.url:
            raise InputError("ระบุที่อยู่เว็บหรือ --run อย่างใดอย่างหนึ่ง / give either a URL to crawl or --run ID, "
                             "not both", hint=HINT_RUNS)
        run_id = args.run
    store = Store(args.db) if args.run is None else Store.existing(args.db)
    as_of = args.as_of or date.today()
    report = build_report(store, run_id, args.fiscal_year, as_of, checklist, survey, overrides=overrides,
                          overrides_source=_source(args.overrides), partial=args.partial)
    paths = []
    if report.get("published") or args.format is not None:
        paths = write_outputs(report, args.out, formats)
        paths += _submit_sheet(args, report, checklist)
    print_summary(report, paths)
    if not paths:
        # A site that was down is not a report to hand on; the audit is stored (`oit report --run`).
        if created_out:
            args.out.rmdir()
        note("ไม่ได้เขียนไฟล์รายงาน เพราะไม่มีคะแนนเผยแพร่ (ระบุ --format เพื่อเขียน) / no report files "
             f"written, nothing was published (ask with --format); the audit is stored: oit report --run {run_id}")
    _print_url_list(report)
    if not report["crawl"]["healthy"]:
        why = start_failure(store, run_id)
        reasons = "; ".join(report["crawl"].get("health_reasons") or []) or why or "unhealthy crawl"
        print(f"oit: การเก็บข้อมูลไม่สมบูรณ์ ไม่เผยแพร่คะแนน / crawl unhealthy, no score published: "
              f"{clean_text(reasons)}", file=sys.stderr)
        print(f"oit: {HINT_PREFIX}{UNHEALTHY_HINT}", file=sys.stderr)
        return EXIT_UNHEALTHY
    if not report.get("published"):
        reasons = "; ".join((report.get("completeness") or {}).get("reasons") or []) or "unfetched links"
        items = ', '.join(report.get('not_checked_items') or [])
        print(f"oit: ยังตรวจไม่ได้ทุกข้อ ({items}) ไม่เผยแพร่คะแนน / items not checked ({items}), no score "
              f"published: {clean_text(reasons)} (crawl again, or --partial for a partial audit)", file=sys.stderr)
        print(f"oit: {HINT_PREFIX}เก็บข้อมูลอีกครั้ง หรือใช้ --partial เพื่อดูผลบางส่วน / crawl again, or give "
              "--partial for a partial audit", file=sys.stderr)
        return EXIT_UNHEALTHY
    if args.fail_under is not None and report["oit_score"] < args.fail_under:
        print(f"oit: คะแนน OIT {report['oit_score']:.2f} ต่ำกว่าเกณฑ์ --fail-under {args.fail_under:g} / "
              f"OIT score {report['oit_score']:.2f} is below --fail-under {args.fail_under:g}", file=sys.stderr)
        return EXIT_BELOW
    return EXIT_OK


def _print_url_list(report: dict) -> None:
    found = report.get("url_list")
    if not found:
        return
    dead = [r for r in found["rows"] if not r["ok"]]
    print(f"รายการ/list {clean_text(found.get('source') or '')}: {len(found['rows'])} URL, "
          f"เปิดไม่ได้/dead {len(dead)}; ข้อที่ยังไม่มี URL/items without a URL: "
          f"{', '.join(found.get('items_without_url') or []) or '-'}")
    for row in dead[:20]:
        print(f"  ✗ {row.get('item_id') or '-'} {clean_text(row['url'])} ({row.get('failure_th') or row.get('failure')})")
    if found.get("folder"):
        print(f"  ข้อที่ต้องตรวจบนเว็บไซต์ ไม่คิดคะแนน/web-only, not scored: {', '.join(found.get('web_only_items') or []) or '-'}")


def cmd_report(args) -> int:
    """A stored audit is rendered as it was made (its own as-of date and score); history is never
    rewritten. Without one matching the inputs the run is judged anew and kept as a new audit."""
    from crawler.service import (build_report, choose_checklist, load_overrides, load_survey, parse_formats,
                                 stored_audit, write_outputs)
    formats = parse_formats(args.format)
    checklist = choose_checklist(args.checklist, args.fiscal_year, note).checklist
    overrides = load_overrides(args.overrides, checklist, args.fiscal_year)
    survey = load_survey(args.survey, checklist)
    check_out_dir(args.out)
    store = Store.existing(args.db)
    store.run(args.run)                   # a clear message for a run that does not exist
    stored = stored_audit(store, args.run, args.fiscal_year, checklist.id, args.as_of)
    if stored is not None and not (overrides or survey):
        report = stored
        note(f"การตรวจที่บันทึกไว้ ณ วันที่ {report['as_of']} / the stored audit as of {report['as_of']} "
             f"(made {report.get('generated_at') or '?'})")
    elif stored is not None:
        # A survey or overrides on top: judged again as of the stored audit's own date (the same
        # verdicts, the audit being a pure function of its inputs); the stored record stays as it is.
        report = build_report(store, args.run, args.fiscal_year, date.fromisoformat(stored["as_of"]), checklist,
                              survey, overrides=overrides, overrides_source=_source(args.overrides),
                              partial=bool((stored.get("completeness") or {}).get("partial")) or args.partial)
    else:
        report = build_report(store, args.run, args.fiscal_year, args.as_of or date.today(), checklist, survey,
                              overrides=overrides, overrides_source=_source(args.overrides), partial=args.partial)
    paths = write_outputs(report, args.out, formats)
    paths += _submit_sheet(args, report, checklist)
    print_summary(report, paths)
    return EXIT_OK if report.get("published") else EXIT_UNHEALTHY


def _source(path: Path | None) -> str | None:
    return path.name if path is not None else None


def _submit_sheet(args, report: dict, checklist) -> list[Path]:
    if not getattr(args, "submit_sheet", False):
        return []
    from crawler.service import write_submit_sheet
    return write_submit_sheet(report, checklist, args.out)


# -- the terminal summary ---------------------------------------------------------------------------

def print_summary(report: dict, paths: list[Path], stream=None) -> None:
    out = stream or sys.stdout
    from reports.writer import partial_note, withheld_reasons     # the writers load only to print a report
    report = clean(report)       # titles and messages come from the site: no terminal escapes
    w = lambda s="": print(s, file=out)  # noqa: E731
    site = report["site"]
    w(f"{site.get('name') or site['url']}  —  ปีงบประมาณ/FY {report['fiscal_year']}, "
      f"ณ วันที่/as of {report['as_of']}, checklist {report['checklist']['id']}")
    crawl = report["crawl"]
    w(f"เก็บข้อมูล/crawl: รอบ/run {crawl['run_id']}, หน้าเว็บ/pages {crawl['pages']}, "
      f"เอกสาร/documents {crawl['documents']}, ข้อผิดพลาด/errors {crawl['errors']}")
    if not report.get("published"):
        w("ไม่เผยแพร่คะแนน: การเก็บข้อมูลไม่สมบูรณ์ / No score published: the crawl was unhealthy or incomplete")
        for reason in withheld_reasons(report):
            w(f"  - {reason}")
    else:
        if partial_note(report):
            w(partial_note(report))
        w(f"คะแนน OIT (คาดการณ์)/predicted OIT score: {report['oit_score']:.2f}  "
          f"({report['oit_points']:.2f} จาก/of 40 คะแนนใน ITA/ITA points)")
        ind = report["indicators"]
        w("  ตัวชี้วัด/indicator " + "  ".join(f"{k}: {ind[k]['score']:.2f}" for k in sorted(ind, key=_ind_key)
                                             if "." not in k))
        w("  ตัวชี้วัดย่อย/sub-indicator " + "  ".join(f"{k}: {ind[k]['score']:.2f}" for k in sorted(ind, key=_ind_key)
                                                    if "." in k))
        if report.get("ita"):
            ita = report["ita"]
            w(f"ITA รวม/total: {ita['total']:.2f}  ระดับ/level: {ita['level_th']} ({ita['level_en']})")
    _print_overrides(report, w)
    by_id = {item["id"]: item for item in report["items"]}
    for title, ids in (("ไม่ผ่าน ได้ 0 คะแนน/missing, scored 0", report.get("missing_items", [])),
                       ("ได้บางส่วน/partial", report.get("partial_items", [])),
                       ("ต้องตรวจด้วยตา/review", report.get("review_items", [])),
                       ("ยังไม่ได้ตรวจ/not checked", report.get("not_checked_items", []))):
        if ids:
            w(f"{title}:")
            for item_id in ids:
                item = by_id[item_id]
                reason = item.get("reason_th") or ""
                score = "" if item.get("score") is None else f" {item['score']:g}"
                w(f"  {item_id}{score}  {item['title_th']} — {reason}"
                  + (f" / {item['reason_en']}" if item.get("reason_en") else ""))
    private = [f for f in crawl.get("failures") or [] if f.get("kind") == "not_public"]
    if private:       # drive links staff must re-share: named with what to do
        w(f"{failure_label('not_public')}/shared files not public ({len(private)}):")
        for failure in private:
            w(f"  ✗ {failure['url']}")
        w(f"  {SHARE_ADVICE}")
    if crawl.get("ocr_available") is False and any(
            e.get("reason") == "review_scan_unread" for item in report["items"] for e in item.get("elements", [])):
        from crawler.extraction.ocr import INSTALL_HINT     # OCR's module loads only when its hint is due
        w(f"เอกสารสแกนยังไม่ได้อ่าน ติดตั้ง OCR แล้วเก็บข้อมูลใหม่ / Scans were not read "
          f"({crawl.get('ocr_problem') or 'no OCR'}); install OCR and crawl again: {INSTALL_HINT}")
    for path in paths:
        w(f"รายงาน/report: {path}")


def _print_overrides(report: dict, w) -> None:
    overrides = report.get("overrides")
    if not overrides:
        return
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
    from crawler.kit.inspect import inspect_target, print_inspection
    from crawler.service import choose_checklist
    checklist = choose_checklist(args.checklist, args.fiscal_year or INSPECT_RUBRIC_YEAR, note).checklist
    try:
        result = inspect_target(args.target, checklist=checklist, fiscal_year=args.fiscal_year, as_of=args.as_of,
                                allow_private=args.allow_private)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise InputError(f"อ่านไม่ได้ / cannot read {args.target}: {exc.strerror or exc}",
                         hint="ระบุไฟล์ที่มีอยู่ หรือที่อยู่เว็บ http(s):// / give a file that exists, or an "
                              "http(s):// address") from None
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_inspection(result)
    return EXIT_OK
