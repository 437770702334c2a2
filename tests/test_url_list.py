"""`oit audit --urls FILE` (issue 15, item 3): the URLs the working group will type into the ITA system,
audited on the loopback district site. The sheet a crawl's audit wrote is read back; a dead URL and an
item left without a URL are said so in the report."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.errors import InputError
from crawler.kit.url_list import ListedUrl, read_url_list

FAST = ["--delay", "0", "--concurrency", "8", "--no-progress"]
AS_OF = "2024-06-30"


def oit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "--db", "e.sqlite", *args], cwd=cwd,
                            capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_the_submit_sheet_is_audited_as_a_url_list_with_dead_urls_and_items_without_one(site_server, tmp_path):
    server = site_server("samphanthawong_2567")
    crawled = oit("audit", server.start_url, "--fiscal-year", "2567", "--as-of", AS_OF, "--out", "site",
                  "--submit-sheet", *FAST, cwd=tmp_path)
    assert crawled.returncode == 0, crawled.stderr
    site = json.loads((tmp_path / "site" / "report.json").read_text(encoding="utf-8"))
    sheet = (tmp_path / "site" / "submit-sheet.txt").read_text(encoding="utf-8")
    # The working group drops O1's URLs and types a dead one for O2.
    lines, skip = [], False
    for line in sheet.splitlines():
        if line.startswith("O"):
            skip = line.startswith("O1 ")
        if not skip:
            lines.append(line)
        if line.startswith("O2 "):
            lines.append(server.url + "/no-such-page")
    listed = tmp_path / "list.txt"
    listed.write_text("\n".join(lines), encoding="utf-8")

    result = oit("audit", "--urls", "list.txt", "--fiscal-year", "2567", "--as-of", AS_OF, "--out", "out",
                 *FAST, "--partial", cwd=tmp_path)
    assert result.returncode in (0, 3), result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["crawl"]["healthy"], report["crawl"]["health_reasons"]
    found = report["url_list"]
    assert found["source"] == "list.txt"
    assert "O1" in found["items_without_url"] and "O2" not in found["items_without_url"]
    dead = [r for r in found["rows"] if r["url"] == server.url + "/no-such-page"]
    assert dead and dead[0]["item_id"] == "O2" and dead[0]["failure"] == "http_404" and not dead[0]["ok"]
    alive = [r for r in found["rows"] if r["ok"]]
    assert len(alive) >= 10
    # Most items the site passes with the URLs of its own sheet pass from the list too (a document
    # opened alone lacks the page's link text some elements are judged by), and O1, dropped, fails.
    passed = {i["id"] for i in site["items"] if i["status"] == "pass"} - {"O1"}
    from_list = {i["id"]: i["status"] for i in report["items"]}
    still = {i for i in passed if from_list[i] == "pass"}
    assert len(passed) >= 8 and len(still) * 3 >= len(passed) * 2, {i: from_list[i] for i in passed}
    assert from_list["O1"] == "fail"
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "ข้อที่ยังไม่มี URL: O1" in markdown and "/no-such-page" in markdown
    assert "ข้อที่ยังไม่มี URL: O1" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "/no-such-page" in result.stdout                              # the dead URL, on the terminal


def test_lists_in_csv_and_plain_lines(tmp_path):
    csv = tmp_path / "l.csv"
    csv.write_text("ข้อ,ชื่อ,URL หลัก,คำเตือน\nO5,แผน,https://a.go.th/p.pdf,ดู https://not-this.go.th/\n"
                   "O07,รายงาน,https://a.go.th/r.pdf,\n", encoding="utf-8")
    assert read_url_list(csv) == [ListedUrl("https://a.go.th/p.pdf", "O5"), ListedUrl("https://a.go.th/r.pdf", "O7")]
    plain = tmp_path / "l.txt"
    plain.write_text("https://a.go.th/x\n\nhttps://a.go.th/y\n", encoding="utf-8")
    assert [u.url for u in read_url_list(plain)] == ["https://a.go.th/x", "https://a.go.th/y"]
    (tmp_path / "none.txt").write_text("ไม่มีลิงก์\n", encoding="utf-8")
    with pytest.raises(InputError):
        read_url_list(tmp_path / "none.txt")
