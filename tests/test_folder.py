"""`oit audit --dir FOLDER` (issue 15, item 4): the files the working group is about to upload, read
from disk through the same extraction and store. The documents of the generated district site are
written into a temporary folder; a few real documents of ../shared/real-docs are read in place."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

from crawler.audit.judge import OFFLINE_REASON
from crawler.kit.url_list import read_folder

AS_OF = "2024-06-30"
REAL_DOCS = Path("../shared/real-docs")


def oit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "--db", "e.sqlite", *args, "--no-progress"],
                            cwd=cwd, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_a_folder_of_documents_is_audited_and_web_only_items_are_not_scored(make_site, tmp_path):
    site = make_site("samphanthawong_2567")
    folder = tmp_path / "ก่อนเผยแพร่"
    written = 0
    for path, resource in site.resources.items():
        if "html" in (resource.content_type or "html") or resource.status != 200 or not resource.body:
            continue
        target = folder / unquote(path.rsplit("/", 1)[-1])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(resource.body)
        written += 1
    assert written >= 20
    (folder / ".hidden").write_bytes(b"not a document")
    result = oit("audit", "--dir", str(folder), "--fiscal-year", "2567", "--as-of", AS_OF, "--out", "out",
                 "--partial", cwd=tmp_path)
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["crawl"]["healthy"], (report["crawl"]["health_reasons"], result.stderr)
    statuses = {i["id"]: i for i in report["items"]}
    passed = [i for i, e in statuses.items() if e["status"] == "pass"]
    assert len(passed) >= 6, {i: e["status"] for i, e in statuses.items()}
    offline = [i for i, e in statuses.items() if e["reason_th"] == OFFLINE_REASON[0]]
    assert offline and all(statuses[i]["score"] is None for i in offline)     # not scored, never a 0
    assert "ต้องตรวจบนเว็บไซต์" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "ต้องตรวจบนเว็บไซต์" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert len(report["url_list"]["rows"]) == written                        # the hidden file is left out
    assert not (tmp_path / "e.sqlite.httpcache").exists()      # files on disk: nothing to revalidate next week


def test_item_folders_are_hints_and_real_documents_are_read_in_place(tmp_path):
    real = sorted(p for p in REAL_DOCS.rglob("*") if p.suffix.lower() in (".pdf", ".xlsx", ".docx"))[:3]
    assert real, "../shared/real-docs holds the real documents"
    (tmp_path / "O05").mkdir()
    link = tmp_path / "O05" / real[0].name
    link.symlink_to(real[0].resolve())              # a link out of the folder is not read
    (tmp_path / "O05" / "plan.txt").write_text("แผนการดำเนินงาน", encoding="utf-8")
    listed = read_folder(tmp_path)
    assert [(Path(u.url).name, u.item_id) for u in listed] == [("plan.txt", "O5")]
    result = oit("audit", "--dir", str(real[0].parent.resolve()), "--fiscal-year", "2568", "--as-of", "2025-06-30",
                 "--out", "out", "--partial", "-s", "OIT_OCR_ENABLED=false", cwd=tmp_path)   # OCR: test_ocr.py
    assert result.returncode in (0, 3), result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    rows = report["url_list"]["rows"]
    assert rows and any(r["ok"] for r in rows)
