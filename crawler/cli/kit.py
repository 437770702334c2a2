"""Pre-submission kit sub-commands: `oit submit-sheet`, `oit plan` and `oit overrides import` (registered
into the `oit` parser).

    oit submit-sheet --run 3 --fiscal-year 2567 --as-of 2024-06-30 --out out [--overrides overrides.yaml]
    oit plan --run 3 --fiscal-year 2567 --as-of 2024-06-30 --survey survey.yaml [--overrides overrides.yaml]

Both re-audit a stored run (no network; the same report `oit report` writes) with any overrides applied.
The service layer is imported inside the commands, so the `oit` parser starts without it.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from crawler.cli.options import fiscal_year, iso_date, note, positive_int
from crawler.errors import EXIT_OK, EXIT_UNHEALTHY, InputError
from crawler.evidence.store import Store
from crawler.text.format import fmt_num


def register(sub) -> None:
    p = sub.add_parser("submit-sheet", help="URL ที่ต้องกรอกในระบบ ITA ของแต่ละข้อ O1–O22 / the URL(s) to type into the ITA system for each item O1–O22")
    _common(p)
    p.add_argument("--out", type=Path, default=Path("out"),
                   help="folder for submit-sheet.xlsx and submit-sheet.txt (default ./out)")
    p.set_defaults(func=cmd_submit_sheet)

    p = sub.add_parser("plan", help="ข้อที่ควรแก้ก่อน และคะแนน OIT / ระดับ ITA หลังแก้แต่ละข้อ / which items to fix first, and the OIT score / ITA level after each fix")
    _common(p)
    p.add_argument("--survey", type=Path, help="ไฟล์คะแนน IIT 1–5 และ EIT 6–8 (YAML/JSON) เพื่อคำนวณระดับ ITA / YAML/JSON with IIT 1–5 and EIT 6–8 scores, for the ITA level")
    p.add_argument("--json", action="store_true", help="แสดงแผนเป็น JSON (ส่วน plan ของ report.json) / the plan as JSON (the report.json 'plan' section)")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("overrides", help="ไฟล์ผลที่คณะทำงานตรวจเอง (overrides) / the working group's overrides file (items checked by hand)")
    actions = p.add_subparsers(dest="overrides_command", required=True, parser_class=type(p))
    p = actions.add_parser("import", help="turn the filled 'ต้องแก้ไข' sheet of report.xlsx into the overrides file")
    p.add_argument("workbook", type=Path, help="report.xlsx with ผลหลังตรวจสอบ, ผู้ตรวจสอบ, วันที่ตรวจ filled in")
    p.add_argument("--out", type=Path, default=Path("overrides.yaml"),
                   help="overrides file to write; an existing one keeps its other items (default ./overrides.yaml)")
    p.add_argument("--fiscal-year", type=fiscal_year, help="ปีงบประมาณ พ.ศ. (ค่าเริ่มต้น: ตามไฟล์ Excel) / Buddhist Era (default: the workbook's)")
    p.add_argument("--checklist", help="เกณฑ์ที่ใช้ตรวจ: ชื่อหรือไฟล์ YAML (ค่าเริ่มต้น bma-district-<ปีงบประมาณ>) / checklist id or YAML path (default bma-district-<fiscal year>)")
    p.set_defaults(func=cmd_overrides_import)


def _common(p) -> None:
    p.add_argument("--run", type=positive_int, required=True, help="รอบการเก็บข้อมูลที่บันทึกไว้ (ดู oit runs) / a stored run (see 'oit runs')")
    p.add_argument("--fiscal-year", type=fiscal_year, required=True, help="ปีงบประมาณ พ.ศ. เช่น 2568 / Buddhist Era, e.g. 2568")
    p.add_argument("--as-of", type=iso_date, help="ตรวจ ณ วันที่นี้ (ค่าเริ่มต้น: วันนี้) YYYY-MM-DD / judge as on this date (default today)")
    p.add_argument("--checklist", help="เกณฑ์ที่ใช้ตรวจ: ชื่อหรือไฟล์ YAML (ค่าเริ่มต้น bma-district-<ปีงบประมาณ>) / checklist id or YAML path (default bma-district-<fiscal year>)")
    p.add_argument("--overrides", type=Path, help="ไฟล์ YAML ของข้อที่คณะทำงานตรวจเอง / YAML of items the working group checked by hand")


def _report(args, with_survey: bool = False):
    from crawler.service import build_report, choose_checklist, load_overrides, load_survey
    checklist = choose_checklist(args.checklist, args.fiscal_year, note).checklist
    survey = load_survey(args.survey, checklist) if with_survey else None
    overrides = load_overrides(args.overrides, checklist, args.fiscal_year)
    store = Store.existing(args.db)
    # keep=False: a sheet or a plan is a view of the run, not a new audit for `oit history`.
    report = build_report(store, args.run, args.fiscal_year, args.as_of or date.today(), checklist, survey,
                          keep=False, overrides=overrides, overrides_source=args.overrides.name if args.overrides else None)
    return report, checklist


def cmd_submit_sheet(args) -> int:
    from crawler.kit.submit import submission_sheet
    from crawler.service import write_submit_sheet
    report, checklist = _report(args)
    rows = submission_sheet(report, checklist)
    paths = write_submit_sheet(report, checklist, args.out, rows)
    warned = [r.item_id for r in rows if r.warnings]
    print(f"แบบสรุป URL สำหรับระบบ ITA / submission sheet: {len(rows)} ข้อ, "
          f"มี URL {sum(1 for r in rows if r.links)} ข้อ, ต้องแก้ไขก่อนส่ง/needs work: {', '.join(warned) or '—'}")
    if report.get("overrides"):
        o = report["overrides"]
        print(f"รวมการปรับผลโดยคณะทำงาน/overrides: {', '.join(o['items'])} "
              f"(OIT {fmt_num(o['with']['oit_score'])}; ไม่รวม/without {fmt_num(o['without']['oit_score'])})")
    for path in paths:
        print(f"ไฟล์/file: {path}")
    return EXIT_OK if report["crawl"]["healthy"] else EXIT_UNHEALTHY


def cmd_plan(args) -> int:
    from crawler.kit.plan import print_plan
    report, _ = _report(args, with_survey=True)
    plan = report.get("plan")
    if args.json:
        print(json.dumps(plan, ensure_ascii=False, indent=2))
    else:
        print_plan(plan, report)
    return EXIT_OK if plan is not None else EXIT_UNHEALTHY


def cmd_overrides_import(args) -> int:
    import yaml

    from crawler.audit.status import STATUS_LABELS
    from crawler.kit.followup import merge_overrides, read_follow_up
    from crawler.kit.overrides import OverrideError, parse_overrides
    from crawler.service import choose_checklist
    from crawler.text.format import thai_date
    from crawler.text.userfile import read_user_file

    entries, workbook_year = read_follow_up(args.workbook)
    fy = args.fiscal_year or workbook_year
    if fy is None:
        raise InputError("ไม่ทราบปีงบประมาณของไฟล์นี้ / the workbook does not say its fiscal year",
                         hint="ระบุปีด้วย --fiscal-year เช่น --fiscal-year 2568 / give it: --fiscal-year 2568")
    if not entries:
        print(f"ไม่มีแถวที่กรอกผลหลังตรวจสอบในแผ่นงาน ต้องแก้ไข / no filled rows in {args.workbook}; "
              f"{args.out} not changed")
        return EXIT_OK
    existing = read_user_file(args.out, "ไฟล์ overrides", "overrides file", OverrideError) \
        if args.out.exists() else None
    data = merge_overrides(existing, entries, fy)
    checklist = choose_checklist(args.checklist, fy, note).checklist
    overrides = parse_overrides(data, checklist, fy, where=str(args.workbook))   # the same checks as the file
    header = (f"# Overrides of the ITA working group, fiscal year {fy} (crawler/kit/overrides.py).\n"
              f"# Items from the 'ต้องแก้ไข' sheet of {args.workbook.name} were imported by `oit overrides import`.\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False),
                        encoding="utf-8")
    imported = {e["item"] for e in entries}
    print(f"นำเข้าผลจากคณะทำงาน {len(imported)} ข้อ / imported {len(imported)} item(s) into {args.out}:")
    for o in overrides:
        if o.item in imported:
            result = f"{STATUS_LABELS[o.status][0]} {fmt_num(o.score)}" if o.status else f"URL {o.url}"
            print(f"  {o.item}: {result} — {o.who}, ตรวจเมื่อ {thai_date(o.date.isoformat(), short=True)}"
                  f"{' — ' + o.note if o.note else ''}")
    print(f"ใช้กับรายงานรอบถัดไป / next: oit report --run N --fiscal-year {fy} --overrides {args.out}")
    return EXIT_OK
