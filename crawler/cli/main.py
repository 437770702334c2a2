"""The `oit` command: the parser, its sub-commands (crawl.py, audit.py, history.py, kit.py, checklist.py) and the one
place where an error becomes an exit code (crawler/errors.py)."""
from __future__ import annotations

import sys
from pathlib import Path

from crawler.cli import audit, checklist, crawl, history, kit
from crawler.cli.options import HINT_PREFIX, Parser
from crawler.errors import EXIT_INTERRUPTED, EXIT_RUN_FAILED, EXIT_USAGE, InputError, RunFailed, help_hint
from crawler.evidence.store import DEFAULT_DB
from crawler.runtime import tune_gc
from crawler.text.sanitize import CleanStream, clean_text


def build_parser() -> Parser:
    parser = Parser(prog="oit", description="Predict a Thai district office's OIT score from its website.")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help=f"evidence store (SQLite file; default ./{DEFAULT_DB}, or $OIT_DB)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for commands in (crawl, audit, history, kit, checklist):
        commands.register(sub)
    parser.set_defaults(commands=sub.choices)
    return parser


def run_failed_message(exc: RunFailed) -> str:
    """One line, Thai then English: what happened, what became of the run, what to do."""
    run = f"run {exc.run_id}" if exc.run_id is not None else "the run"
    run_th = f"รอบ {exc.run_id}" if exc.run_id is not None else "รอบนี้"
    kept_th = (f"{run_th} บันทึกว่าล้มเหลว ข้อมูลที่เก็บก่อนหน้ายังอยู่" if exc.recorded
               else f"บันทึกสถานะของ{run_th}ไม่ได้ ให้ถือว่าล้มเหลว")
    kept = (f"{run} is marked failed; what was stored before stays" if exc.recorded
            else f"{run} could not be marked failed in the store; treat it as failed")
    return (f"oit: การเก็บข้อมูลล้มเหลว ไม่มีการให้คะแนน ({kept_th}) — ให้เพิ่มพื้นที่ดิสก์ กู้ไฟล์ฐานข้อมูลจากสำเนาสำรอง "
            f"หรือเก็บลงไฟล์ใหม่ / the crawl failed: {clean_text(exc.reason)}; {kept}; no score. "
            f"Free disk space, restore the store from a backup, or crawl into a new file (--db NEW.sqlite).")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    tune_gc()
    # Global options may come after the command too (`oit audit URL --db x.sqlite`).
    parser = build_parser()
    args, unknown = parser.parse_known_args(_hoist_global(argv))
    if unknown:              # said by the command's own parser, so that the hint names its --help
        args.commands[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    stdout = sys.stdout
    sys.stdout = CleanStream(stdout)     # whatever a command prints may quote the site: no escapes
    try:
        return args.func(args)
    except InputError as exc:          # bad input anywhere below (a StoreError, SurveyError, …): two lines
        print(f"oit: {clean_text(str(exc))}", file=sys.stderr)
        hint = exc.hint or help_hint(getattr(args, "command", None))
        print(f"oit: {HINT_PREFIX}{clean_text(hint)}", file=sys.stderr)
        return EXIT_USAGE
    except RunFailed as exc:           # the disk or the store failed mid-crawl: no score, say what to do
        print(run_failed_message(exc), file=sys.stderr)
        return EXIT_RUN_FAILED
    except KeyboardInterrupt:
        print("\noit: หยุดตามที่สั่ง ข้อมูลที่เก็บแล้วยังอยู่ครบ / interrupted; everything fetched so far is stored",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        sys.stdout = stdout


def _hoist_global(argv: list[str]) -> list[str]:
    out, rest, i = [], [], 0
    while i < len(argv):
        a = argv[i]
        if a == "--db" and i + 1 < len(argv):
            out += [a, argv[i + 1]]
            i += 2
            continue
        if a.startswith("--db="):
            out.append(a)
        else:
            rest.append(a)
        i += 1
    return out + rest
