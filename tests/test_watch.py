"""`oit watch CONFIG`: two generated sites from one YAML config, crawled twice (two weeks), reports and
diffs written, a JSON summary posted to a webhook listening on 127.0.0.1; and the config's mistakes
reported in one line (exit 2). Crawls are one link deep to keep the test quick."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from crawler.cli import main
from weekly_sites import Served, copy_site

BROKEN = "/samphanthawong/public/user_files_editor/13/ITA/2567/O10/สถิติรายได้ 6 เดือน 2567.xlsx"
SURVEY = {"iit": {1: 99.84, 2: 95.18, 3: 97.26, 4: 99.90, 5: 94.45}, "eit": {6: 97.88, 7: 95.24, 8: 95.82}}


class Hook:
    """A webhook on 127.0.0.1 that keeps every JSON body posted to it."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append({"path": self.path, "type": self.headers["Content-Type"],
                                 "json": json.loads(body.decode("utf-8"))})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/oit"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def two_weeks(make_site, tmp_path_factory):
    work = tmp_path_factory.mktemp("watch")
    first, second = make_site("samphanthawong_2567", oversized_bytes=0), make_site("compliant", oversized_bytes=0)
    a, b, hook = Served(first), Served(second), Hook()
    (work / "survey.yaml").write_text(yaml.safe_dump(SURVEY), encoding="utf-8")
    config = {
        "db": "evidence.sqlite", "webhook": hook.url,
        "notify": [hook.url.replace("http://", "json://").replace("/hooks/oit", "/chat")],   # Apprise
        "report_base_url": "https://intranet.example/oit",
        "crawl": {"delay": 0, "concurrency": 8, "max_depth": 1},
        "sites": [
            {"url": a.start_url, "fiscal_year": 2567, "as_of": "2024-06-30", "out": "reports/a",
             "survey": "survey.yaml", "partial": True},   # depth 1: a capped crawl
            {"url": b.start_url, "fiscal_year": "๒๕๖๗", "as_of": "2024-06-30", "out": "reports/b",
             "name": "เขตตัวอย่าง", "checklist": "bma-district-2567", "partial": True},
        ],
    }
    path = work / "watch.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    try:
        codes = [main(["watch", str(path), "--no-progress"])]
        changed = copy_site(second)
        del changed.resources[BROKEN]            # a week later one document of site b answers 404
        b.swap(changed)
        codes.append(main(["watch", str(path), "--no-progress"]))
        yield {"dir": work, "codes": codes, "posts": hook.received, "urls": (a.start_url, b.start_url),
               "broken": b.url_for(BROKEN)}
    finally:
        for thing in (a, b, hook):
            thing.stop()


def test_watch_runs_every_site_and_writes_reports_then_diffs(two_weeks):
    assert two_weeks["codes"] == [0, 0]
    for name in ("a", "b"):
        out = two_weeks["dir"] / "reports" / name
        assert {"report.json", "report.html", "report.xlsx", "items.csv", "report.md"} <= \
            {p.name for p in out.iterdir()}
        diff = json.loads((out / "diff.json").read_text("utf-8"))
        assert (diff["before"]["run_id"], diff["after"]["run_id"]) == ((1, 3) if name == "a" else (2, 4))
        assert (out / "diff.html").is_file() and (out / "diff.xlsx").is_file()
    report_a = json.loads((two_weeks["dir"] / "reports" / "a" / "report.json").read_text("utf-8"))
    assert report_a["ita"]["total"] > 0                      # the survey file, relative to the config
    assert [h["run_id"] for h in report_a["history"]] == [1, 3]


def test_watch_posts_one_summary_per_round_to_the_webhook(two_weeks):
    posts = [p for p in two_weeks["posts"] if p["path"] == "/hooks/oit"]
    assert len(posts) == 2
    assert all(p["type"].startswith("application/json") for p in posts)
    first, second = (p["json"] for p in posts)
    assert [s["url"] for s in first["sites"]] == list(two_weeks["urls"])
    assert first["ok"] and all(s["published"] and s["oit_score"] is not None for s in first["sites"])
    assert all(s["previous_run_id"] is None for s in first["sites"])
    a, b = second["sites"]
    assert (a["previous_run_id"], a["run_id"], b["previous_run_id"], b["run_id"]) == (1, 3, 2, 4)
    assert a["oit_change"] == 0 and not any(a["documents"].values())
    assert b["documents"]["failing"] == 1 and b["name"] == "เขตตัวอย่าง"
    assert "เขตตัวอย่าง: OIT" in second["text"] and "failing 1" in second["text"]


def test_each_round_notifies_the_chat_in_thai_with_the_report_link_and_no_server_path(two_weeks):
    chat = [p["json"] for p in two_weeks["posts"] if p["path"] == "/chat"]     # Apprise's json:// body
    assert len(chat) == 2
    first, second = chat
    assert first["title"] == "ผลตรวจ OIT ประจำสัปดาห์"
    assert "คะแนน OIT" in first["message"] and "https://intranet.example/oit/a/report.html" in first["message"]
    assert "■ เขตตัวอย่าง" in second["message"] and "จากรอบก่อน" in second["message"]
    assert "เอกสารที่เปิดไม่ได้แล้ว: 1 ไฟล์" in second["message"]
    work = str(two_weeks["dir"])
    for post in two_weeks["posts"]:
        assert work not in json.dumps(post["json"], ensure_ascii=False), "a server path left the machine"


def test_the_broken_document_is_named_in_the_diff(two_weeks):
    diff = json.loads((two_weeks["dir"] / "reports" / "b" / "diff.json").read_text("utf-8"))
    assert [(d["url"], d["error_kind"]) for d in diff["documents"]["failing"]] == [(two_weeks["broken"], "http_404")]


def test_an_unreachable_site_and_a_dead_webhook_do_not_stop_the_watch(tmp_path, capsys):
    config = {"webhook": "http://127.0.0.1:9/hook", "crawl": {"delay": 0},
              "sites": [{"url": "http://127.0.0.1:9/samphanthawong/", "fiscal_year": 2567, "out": "r"}]}
    path = tmp_path / "w.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    assert main(["--db", str(tmp_path / "e.sqlite"), "watch", str(path), "--no-progress"]) == 3
    captured = capsys.readouterr()
    assert "webhook failed" in captured.err
    assert "ไม่เผยแพร่คะแนน" in captured.out and (tmp_path / "r" / "report.json").is_file()


@pytest.mark.parametrize("config, message", [
    ("sites: [", "not valid YAML"),
    ("[1, 2]", "expected a mapping"),
    ("sites: []", "sites: expected a non-empty list"),
    ("sites:\n  - {url: ftp://x/, fiscal_year: 2567, out: r}", "sites[1].url: ไม่ใช่ที่อยู่เว็บ / not a web address"),
    ("sites:\n  - {url: 'http://x/', fiscal_year: abc, out: r}", "sites[1].fiscal_year: ไม่ใช่ปี"),
    ("sites:\n  - {url: 'http://x/', fiscal-year: 2567, out: r}", "sites[1].fiscal-year: unknown key"),
    ("sites:\n  - {url: 'http://x/', fiscal_year: 2567}", "sites[1].out: missing"),
    ("sites:\n  - {url: 'http://x/', fiscal_year: 2567, out: r, survey: none.yaml}", "sites[1].survey"),
    ("sites:\n  - {url: 'http://x/', fiscal_year: 2567, out: r, as_of: 30/06/2024}", "sites[1].as_of"),
    ("crawl: {delay: -1}\nsites:\n  - {url: 'http://x/', fiscal_year: 2567, out: r}", "crawl.delay"),
    ("webhook: nowhere\nsites:\n  - {url: 'http://x/', fiscal_year: 2567, out: r}", "webhook: ไม่ใช่ที่อยู่เว็บ / not a web address"),
    ("site:\n  - {url: 'http://x/', fiscal_year: 2567, out: r}", "site: unknown key"),
    ("notify: [nosuch://x]\nsites:\n  - {url: 'http://x/', fiscal_year: 2567, out: r}", "notify[1]: Apprise"),
    ("report_base_url: intranet\nsites:\n  - {url: 'http://x/', fiscal_year: 2567, out: r}", "report_base_url"),
])
def test_a_bad_config_is_one_clear_line(tmp_path, capsys, config, message):
    path = tmp_path / "w.yaml"
    path.write_text(config, encoding="utf-8")
    assert main(["--db", str(tmp_path / "e.sqlite"), "watch", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    lines = err.splitlines()       # what is wrong, then what to do
    assert message in lines[0] and str(path) in lines[0] and len(lines) == 2 and "oit watch --check" in lines[1]


def test_a_missing_config_is_one_clear_line(tmp_path, capsys):
    assert main(["watch", str(tmp_path / "nope.yaml")]) == 2
    assert "no such watch config" in capsys.readouterr().err


def test_the_shipped_example_config_is_valid(tmp_path):
    from pathlib import Path

    from crawler.history.watch import load_config
    example = Path(__file__).resolve().parent.parent / "deploy" / "watch.example.yaml"
    copy = tmp_path / "watch.yaml"
    copy.write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "survey-samphanthawong.yaml").write_text(yaml.safe_dump(SURVEY), encoding="utf-8")
    config = load_config(copy)
    assert [s.fiscal_year for s in config.sites] == [2568, 2568]
    assert config.sites[0].survey == tmp_path / "survey-samphanthawong.yaml"
    assert config.sites[1].crawl == {"delay": 0.5, "concurrency": 2, "max_pages": 2000}


def test_check_validates_without_crawling(tmp_path, capsys):
    path = tmp_path / "w.yaml"
    path.write_text("notify: ['json://127.0.0.1:9/chat', 'tgram://123456789:ABCdefGhIJKlmnOPQRstuVWXyz012345678/-100123']\n"
                    "report_base_url: https://intranet.example/oit\n"
                    "sites:\n  - {url: 'http://127.0.0.1:9/samphanthawong/', fiscal_year: ๒๕๖๗, out: reports/a}\n",
                    encoding="utf-8")
    assert main(["--db", str(tmp_path / "e.sqlite"), "watch", "--check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ไฟล์ตั้งค่าถูกต้อง" in out and "ปีงบประมาณ 2567" in out and "2 ช่องทาง" in out
    assert "https://intranet.example/oit/a/report.html" in out
    assert not (tmp_path / "e.sqlite").exists() and not (tmp_path / "reports").exists()     # nothing crawled


def test_site_message_names_items_newly_failing():
    from crawler.history.notify import site_message
    entry = {"url": "https://x.test/d/", "name": "สำนักงานเขตทดสอบ", "run_id": 4, "published": True,
             "oit_score": 70.25, "oit_change": -3.5, "error": None, "documents": {"failing": 0},
             "items_changed": [
                 {"id": "O10", "title_th": "ข้อมูลสถิติการจัดเก็บรายได้", "before": {"status": "pass"},
                  "after": {"status": "fail"}},
                 {"id": "O9", "title_th": "สถิติภาษี", "before": {"status": "fail"}, "after": {"status": "partial"}}]}
    text = site_message(entry, "https://intranet.example/oit/x/report.html")
    assert text.splitlines() == ["■ สำนักงานเขตทดสอบ", "คะแนน OIT 70.25 (-3.50 จากรอบก่อน)",
                                 "ข้อที่ไม่ผ่านใหม่: O10 ข้อมูลสถิติการจัดเก็บรายได้",
                                 "รายงาน: https://intranet.example/oit/x/report.html"]


def test_a_sites_overrides_file_is_checked_with_the_config(tmp_path, capsys):
    (tmp_path / "o.yaml").write_text("overrides:\n  - {item: O99, status: pass, who: ก, date: 2024-06-25}\n",
                                     encoding="utf-8")
    path = tmp_path / "w.yaml"
    path.write_text("sites:\n  - {url: 'http://x/', fiscal_year: 2567, out: r, overrides: o.yaml}\n", encoding="utf-8")
    assert main(["watch", "--check", str(path)]) == 2
    assert "sites[1].overrides" in capsys.readouterr().err
    (tmp_path / "o.yaml").write_text("overrides:\n  - {item: O8, status: pass, who: ก, date: 2024-06-25}\n",
                                     encoding="utf-8")
    assert main(["watch", "--check", str(path)]) == 0
