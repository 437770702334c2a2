"""Thai first, English beside, a hint after every error (issue 17): what a district's staff read when
the input is wrong. Driven through the command line with the mistakes people make; plus a scan of the
source so that a new English-only error fails here."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.cli.options import HINT_PREFIX, argparse_thai
from crawler.errors import EXIT_USAGE
from crawler.evidence.store import Store

THAI = re.compile("[\u0e00-\u0e7f]")
# after the Thai, " / " or "(" and then English words (not only an option name or a path)
ENGLISH_BESIDE = re.compile(r"[\u0e00-\u0e7f].*?(?: / |\()[^\u0e00-\u0e7f]*?(?<![-/.\w])[a-z]{2,} [A-Za-z]")
ROOT = Path(__file__).resolve().parent.parent


def _store(tmp: Path) -> str:
    path = tmp / "e.sqlite"
    Store(path).close()
    return str(path)


def _file(tmp: Path, name: str, text: str) -> str:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return str(path)


WATCH_SITE = "sites:\n  - {url: 'http://127.0.0.1:9/', fiscal_year: 2568, out: r}\n"

# (id, argv made in a temporary folder, words the first line must hold)
CASES = [
    ("unknown command", lambda t: ["audti"], "audti"),
    ("unknown sub-command", lambda t: ["checklist", "chek", "x.yaml"], "chek"),
    ("sub-command without its file", lambda t: ["checklist", "check"], "file"),
    ("missing required options", lambda t: ["report"], "--fiscal-year"),
    ("unknown option", lambda t: ["runs", "--bogus"], "--bogus"),
    ("unknown option after the command's value", lambda t: ["inspect", "x.pdf", "--jsn"], "--jsn"),
    ("option without its value", lambda t: ["audit", "http://x.go.th/", "--fiscal-year"], "--fiscal-year"),
    ("short fiscal year", lambda t: ["audit", "http://x.go.th/", "--fiscal-year", "67"], "2567"),
    ("zero pages", lambda t: ["audit", "http://x.go.th/", "--max-pages", "0"], "--max-pages"),
    ("negative delay", lambda t: ["crawl", "http://x.go.th/", "--delay", "-1"], "--delay"),
    ("impossible date", lambda t: ["report", "--run", "1", "--fiscal-year", "2568", "--as-of", "2025-13-01"],
     "2025-13-01"),
    ("not a web address", lambda t: ["crawl", "ftp://x.go.th/"], "ftp://"),
    ("no store", lambda t: ["--db", str(t / "none.sqlite"), "report", "--run", "3", "--fiscal-year", "2568"],
     "none.sqlite"),
    ("unknown run", lambda t: ["--db", _store(t), "report", "--run", "99", "--fiscal-year", "2568"], "99"),
    ("bad format list", lambda t: ["--db", _store(t), "report", "--run", "1", "--fiscal-year", "2568",
                                   "--format", "html,pdfx"], "pdfx"),
    ("missing checklist file", lambda t: ["report", "--run", "1", "--fiscal-year", "2568", "--checklist",
                                          str(t / "mine.yaml")], "mine.yaml"),
    ("unknown checklist", lambda t: ["report", "--run", "1", "--fiscal-year", "2568", "--checklist",
                                     "bma-district-2599"], "bma-district-2599"),
    ("checklist not YAML", lambda t: ["report", "--run", "1", "--fiscal-year", "2568", "--checklist",
                                      _file(t, "bad.yaml", "items: [\n  - id: O1\n")], "YAML"),
    ("survey with an unknown indicator", lambda t: ["report", "--run", "1", "--fiscal-year", "2568", "--survey",
                                                    _file(t, "s.yaml", "iit: {9: 150}\neit: {}\n")], "s.yaml"),
    ("overrides not a list", lambda t: ["report", "--run", "1", "--fiscal-year", "2568", "--overrides",
                                        _file(t, "o.yaml", "just words\n")], "o.yaml"),
    ("unknown setting", lambda t: ["crawl", "http://x.go.th/", "-s", "NO_SUCH_SETTING=1"], "NO_SUCH_SETTING"),
    ("setting not a number", lambda t: ["crawl", "http://x.go.th/", "-s", "DOWNLOAD_TIMEOUT=soon"],
     "DOWNLOAD_TIMEOUT"),
    ("setting without =", lambda t: ["crawl", "http://x.go.th/", "-s", "DOWNLOAD_TIMEOUT"], "NAME=VALUE"),
    ("out is a file", lambda t: ["--db", _store(t), "report", "--run", "1", "--fiscal-year", "2568", "--out",
                                 _file(t, "out.txt", "x")], "out.txt"),
    ("missing document", lambda t: ["inspect", str(t / "missing.pdf")], "missing.pdf"),
    ("missing URL list", lambda t: ["audit", "--urls", str(t / "urls.txt"), "--fiscal-year", "2568"], "urls.txt"),
    ("URL list without URLs", lambda t: ["audit", "--urls", _file(t, "urls.txt", "no addresses here\n"),
                                         "--fiscal-year", "2568"], "urls.txt"),
    ("URL and --run together", lambda t: ["--db", _store(t), "audit", "http://x.go.th/", "--run", "1",
                                          "--fiscal-year", "2568"], "--run"),
    ("diff of nothing", lambda t: ["--db", _store(t), "diff"], "0"),
    ("diff --run without --fiscal-years", lambda t: ["--db", _store(t), "diff", "1", "2", "--run", "1"], "--run"),
    ("watch config missing", lambda t: ["watch", str(t / "w.yaml")], "w.yaml"),
    ("watch config unknown key", lambda t: ["watch", "--check", _file(t, "w.yaml", "sitez: []\n")], "sitez"),
    ("watch config bad YAML", lambda t: ["watch", _file(t, "w.yaml", "sites: [\n")], "YAML"),
    ("watch site without a year", lambda t: ["watch", "--check", _file(t, "w.yaml", WATCH_SITE.replace(
        "fiscal_year: 2568", "fiscal_year: soon"))], "fiscal_year"),
    ("fleet config bad jobs", lambda t: ["fleet", _file(t, "f.yaml", "jobs: 0\n" + WATCH_SITE)], "jobs"),
    ("follow-up workbook missing", lambda t: ["overrides", "import", str(t / "report.xlsx"), "--out",
                                              str(t / "o.yaml")], "report.xlsx"),
    ("checklist to check missing", lambda t: ["checklist", "check", str(t / "mine.yaml")], "mine.yaml"),
]


def _run(argv: list[str], capsys) -> tuple[int, list[str]]:
    try:
        code = main(argv)
    except SystemExit as exc:          # argparse's own errors end here
        code = exc.code
    return code, capsys.readouterr().err.strip().splitlines()


def assert_thai_with_hint(lines: list[str], words: str) -> None:
    assert lines, "nothing said"
    assert words in lines[0], lines
    hint = lines[-1]
    assert hint.startswith(f"oit: {HINT_PREFIX}"), lines
    for line in lines:
        assert line.startswith("oit: "), line
        assert THAI.search(line), f"no Thai: {line}"
        assert ENGLISH_BESIDE.search(line), f"no English beside: {line}"
        assert "Traceback" not in line
    assert THAI.search(hint.removeprefix(f"oit: {HINT_PREFIX}")), f"the hint itself is not in Thai: {hint}"


@pytest.mark.parametrize("make_argv, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_thai_and_english_with_a_hint_and_exit_2(tmp_path, capsys, monkeypatch, make_argv, words):
    monkeypatch.chdir(tmp_path)                  # the default store (./oit.sqlite) must not appear anywhere else
    code, lines = _run(make_argv(tmp_path), capsys)
    assert code == EXIT_USAGE, lines
    assert_thai_with_hint(lines, words)


def test_the_process_says_it_without_a_traceback(tmp_path):
    """The same through a real `python -m crawler.cli` process: stderr is the two lines, nothing else."""
    config = _file(tmp_path, "w.yaml", "sitez: []\n")
    for argv, words in ((["audit", "x.go.th", "--fiscal-year", "67"], "2567"), (["watch", config], "sitez")):
        done = subprocess.run([sys.executable, "-m", "crawler.cli", *argv], capture_output=True, text=True,
                              cwd=tmp_path, timeout=60)
        assert done.returncode == EXIT_USAGE, done.stderr
        assert_thai_with_hint(done.stderr.strip().splitlines(), words)
        assert done.stdout == ""


@pytest.mark.parametrize("english, thai", [
    ("the following arguments are required: --run", "ขาดค่าที่ต้องระบุ --run"),
    ("argument --format: expected one argument", "ตัวเลือก --format: ต้องตามด้วยค่าหนึ่งค่า"),
    ("argument command: invalid choice: 'audti' (choose from 'crawl', 'audit')", "คำสั่ง: ไม่มีตัวเลือก 'audti'"),
    ("argument --json: ignored explicit argument 'x'", "ตัวเลือก --json: ตัวเลือกนี้ไม่รับค่า 'x'"),
    ("something argparse may say one day", "ใช้คำสั่งไม่ถูกต้อง"),
])
def test_argparse_messages_are_translated_and_the_english_kept(english, thai):
    line = argparse_thai(english)
    assert line.startswith(thai) and line.endswith(f" / {english}")


# -- the source: every error message a person can meet is written in Thai --------------------------

ERROR_BASES = {"InputError", "ChecklistError"}     # ChecklistError reaches people through InputError


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """InputError, ChecklistError and every class deriving from them (to a fixed point)."""
    names = set(ERROR_BASES)
    classes = [node for tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for cls in classes:
            bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in cls.bases}
            if cls.name not in names and bases & names:
                names.add(cls.name)
                grew = True
    return names


def _literal_text(node: ast.expr) -> str | None:
    """The words written in a message: its string constants, those inside an f-string's conditional
    parts too. None for a message computed elsewhere (str(exc), a name) or a wrapper that only adds
    punctuation around one (f"{path}: {detail}"): those are checked where they are written."""
    text = "".join(n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str))
    return text if re.search("[A-Za-z\u0e00-\u0e7f]", text) else None


def test_every_error_message_written_in_the_source_is_thai_first():
    files = [p for folder in ("crawler", "reports", "spiders") for p in sorted((ROOT / folder).rglob("*.py"))]
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in files}
    errors = _error_classes(list(trees.values()))
    assert {"StoreError", "WatchConfigError", "OverrideError", "SurveyError", "DiffError"} <= errors
    checked, english_only = 0, []
    for path, tree in trees.items():
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
            if name not in errors:
                continue
            texts = [("message", _literal_text(call.args[0]))] if call.args else []
            texts += [("hint", _literal_text(k.value)) for k in call.keywords if k.arg == "hint"]
            for what, text in texts:
                if text is None:
                    continue
                checked += 1
                if not THAI.search(text):
                    english_only.append(f"{path.relative_to(ROOT)}:{call.lineno} {what}: {text[:60]!r}")
    assert checked > 80          # the scan found the messages (not silently nothing)
    assert not english_only, "messages without Thai:\n" + "\n".join(english_only)


@pytest.mark.parametrize("argv, hint", [
    (["audti", "x"], "oit audit"),
    (["overrides", "imprt", "r.xlsx"], "oit overrides import"),
    (["audit", "x.go.th", "--fiscal-year", "67"], "--fiscal-year 2568"),
    (["history", "--bogus"], "oit history --help"),      # the command's own help, not the top level's
])
def test_a_usage_error_hints_at_what_was_meant(capsys, argv, hint):
    code, lines = _run(argv, capsys)
    assert code == EXIT_USAGE and lines[-1].startswith(f"oit: {HINT_PREFIX}") and hint in lines[-1], lines


def _hinted_classes(trees: list[ast.Module], errors: set[str]) -> set[str]:
    """The error classes that carry a default_hint of their own or from a base class."""
    classes = {node.name: node for tree in trees for node in ast.walk(tree)
               if isinstance(node, ast.ClassDef) and node.name in errors}
    hinted = {name for name, cls in classes.items()
              for stmt in cls.body if isinstance(stmt, (ast.Assign, ast.AnnAssign))
              for target in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
              if getattr(target, "id", None) == "default_hint"
              and not (isinstance(stmt.value, ast.Constant) and stmt.value.value is None)}
    grew = True
    while grew:
        grew = False
        for name, cls in classes.items():
            if name not in hinted and {getattr(b, "id", None) for b in cls.bases} & hinted:
                hinted.add(name)
                grew = True
    return hinted


def test_every_input_error_raised_in_the_source_carries_a_hint():
    """hint= at the call, or a default_hint on the class (a StoreError points to oit runs / --db)."""
    files = [p for folder in ("crawler", "reports", "spiders") for p in sorted((ROOT / folder).rglob("*.py"))]
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in files}
    errors = _error_classes(list(trees.values())) - {"ChecklistError"}     # the service adds its hint
    hinted = _hinted_classes(list(trees.values()), errors)
    assert {"StoreError", "WatchConfigError", "OverrideError", "SurveyError", "DiffError"} <= hinted
    bare = [f"{path.relative_to(ROOT)}:{call.lineno}" for path, tree in trees.items()
            for call in ast.walk(tree) if isinstance(call, ast.Call)
            and (call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)) in errors
            and (call.func.id if isinstance(call.func, ast.Name) else call.func.attr) not in hinted
            and not any(k.arg == "hint" for k in call.keywords)]
    assert not bare, "errors without a hint: " + ", ".join(bare)


def test_a_misspelt_config_key_is_named_with_the_key_meant(tmp_path, capsys):
    config = _file(tmp_path, "w.yaml", WATCH_SITE.replace("fiscal_year", "fiscal-year"))
    code, lines = _run(["watch", "--check", config], capsys)
    assert code == EXIT_USAGE and "หมายถึง fiscal_year ใช่ไหม" in lines[0] and "fiscal-year: unknown key" in lines[0]
