"""`oit checklist check FILE`: validate an edited checklist and say, in Thai and English, what to fix."""
from __future__ import annotations

import sys
from pathlib import Path

from crawler.cli.options import HINT_PREFIX
from crawler.errors import EXIT_OK, EXIT_USAGE, InputError


def register(sub) -> None:
    p = sub.add_parser("checklist", help="จัดการไฟล์เกณฑ์การตรวจ (checklists/*.yaml) / work with checklist files (checklists/*.yaml)")
    actions = p.add_subparsers(dest="checklist_action", required=True, parser_class=type(p))
    c = actions.add_parser("check", help="ตรวจไฟล์เกณฑ์ที่แก้ไข บอกสิ่งที่ต้องแก้ (จบด้วยรหัส 2 เมื่อมีปัญหา) / validate an edited checklist; exit 2 with what to fix")
    c.add_argument("file", type=Path, help="ไฟล์เกณฑ์ YAML / a checklist YAML file")
    c.set_defaults(func=cmd_check)


def cmd_check(args) -> int:
    from crawler.audit.checklist import check_file

    if not args.file.is_file():
        raise InputError(f"{args.file}: ไม่พบไฟล์ / no such file",
                         hint="ไฟล์เกณฑ์อยู่ในโฟลเดอร์ checklists/ เช่น oit checklist check checklists/bma-district-2568.yaml / "
                              "checklists live in checklists/, e.g. oit checklist check checklists/bma-district-2568.yaml")
    problems = check_file(args.file)
    if not problems:
        print(f"{args.file}: ใช้ได้ / OK")
        return EXIT_OK
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"พบปัญหา {len(problems)} รายการ / {len(problems)} problem(s)", file=sys.stderr)
    print(f"oit: {HINT_PREFIX}แก้ตามรายการข้างบน แล้วตรวจอีกครั้งด้วย oit checklist check {args.file} / fix the "
          f"problems above, then check again: oit checklist check {args.file}", file=sys.stderr)
    return EXIT_USAGE
