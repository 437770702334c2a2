"""Google Drive and OneDrive share links (issue 15, item 5). A loopback district site links its
documents on "Google Drive" (a file view, a folder view, a big file behind the virus-scan page, a
private file); the second loopback host stands in for Google's hosts (setting OIT_SHARE_HOSTS), so
nothing leaves 127.0.0.1. The files count as evidence under the link as staff put it on the page; the
private one is reported as not public, in Thai, with what to do."""
from __future__ import annotations

import base64
import html
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.crawl.shares import confirm_url, is_sign_in, share_of
from crawler.evidence.failures import failure_label
from crawler.evidence.walls import SHARE_ADVICE
from sitegen.layouts import (DOCS_PLAN, DOCS_REPORT, DRIVE_BIG, DRIVE_FOLDER, DRIVE_MANUAL, DRIVE_PRIVATE, ONEDRIVE_FOLDER, ONEDRIVE_PRIVATE, ONEDRIVE_PUBLIC,
                             SHAREPOINT_PRIVATE, layout, share_hosts)
from sitegen.server import serve_pair

FAST = ["--delay", "0", "--concurrency", "8", "--no-progress"]
AS_OF = "2024-06-30"
UC = "https://drive.google.com/uc?export=download&id="


@pytest.mark.parametrize("link, folder, fetched", [
    ("https://drive.google.com/file/d/1AbCdEfGhIjKlMn/view?usp=sharing", False, UC + "1AbCdEfGhIjKlMn"),
    ("https://drive.google.com/file/u/0/d/1AbCdEfGhIjKlMn/edit", False, UC + "1AbCdEfGhIjKlMn"),
    ("https://drive.google.com/open?id=1AbCdEfGhIjKlMn", False, UC + "1AbCdEfGhIjKlMn"),
    ("https://drive.google.com/uc?id=1AbCdEfGhIjKlMn&export=download", False, UC + "1AbCdEfGhIjKlMn"),
    ("https://docs.google.com/document/d/1AbCdEfGhIjKlMn/edit?usp=sharing", False,
     "https://docs.google.com/document/d/1AbCdEfGhIjKlMn/export?format=docx"),
    ("https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMn/edit#gid=0", False,
     "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMn/export?format=xlsx"),
    ("https://docs.google.com/presentation/d/1AbCdEfGhIjKlMn/edit", False,
     "https://docs.google.com/presentation/d/1AbCdEfGhIjKlMn/export?format=pdf"),
    ("https://drive.google.com/drive/folders/1AbCdEfGhIjKlMn?usp=sharing", True,
     "https://drive.google.com/embeddedfolderview?id=1AbCdEfGhIjKlMn"),
    ("https://drive.google.com/drive/u/1/folders/1AbCdEfGhIjKlMn", True,
     "https://drive.google.com/embeddedfolderview?id=1AbCdEfGhIjKlMn"),
    ("https://contoso.sharepoint.com/:b:/s/district/EaBcD123?e=xYz", False,
     "https://contoso.sharepoint.com/:b:/s/district/EaBcD123?e=xYz&download=1"),
    ("https://contoso.sharepoint.com/:f:/s/district/EaBcD123?e=xYz", True,
     "https://contoso.sharepoint.com/:f:/s/district/EaBcD123?e=xYz"),
])
def test_a_share_link_maps_to_the_file_or_folder_listing_to_fetch(link, folder, fetched):
    share = share_of(link)
    assert share is not None and share.folder is folder and share.fetch_url == fetched


def test_a_onedrive_link_is_fetched_through_the_share_api_and_other_links_are_not_shares():
    link = "https://1drv.ms/b/s!AkXyZ0123456789?e=abc"
    share = share_of(link)
    token = share.fetch_url.split("/shares/u!")[1].split("/")[0]
    assert share.fetch_url.startswith("https://api.onedrive.com/v1.0/shares/u!") and share.fetch_url.endswith("/root/content")
    assert "=" not in token and base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode() == link
    for other in ("https://drive.google.com/drive/my-drive", "https://docs.google.com/document/d/e/2PACX-1v/pub",
                  "https://webportal.bangkok.go.th/x/file/d/1AbCdEfGhIjKlMn/view", "https://contoso.sharepoint.com/sites/x"):
        assert share_of(other) is None, other
    assert is_sign_in("https://accounts.google.com/ServiceLogin?continue=x")
    assert is_sign_in("https://login.microsoftonline.com/common/oauth2") and not is_sign_in("https://drive.google.com/")


def test_the_virus_scan_page_gives_its_download_anyway_link_and_other_pages_none():
    page = layout("drive_links").second.resolve("/drive.google.com/uc", f"export=download&id={DRIVE_BIG}").body.decode()
    assert confirm_url(page, UC + DRIVE_BIG) == (
        f"https://drive.usercontent.google.com/download?id={DRIVE_BIG}&export=download&confirm=t"
        "&uuid=5f2c1f0e-0000-4000-8000-000000000001")
    assert confirm_url("<html><form action='/x'><input type=hidden name=q></form></html>", UC) is None


@pytest.fixture(scope="module")
def drive_audit(tmp_path_factory):
    """The drive_links site audited once (the module's tests read its outputs)."""
    tmp = tmp_path_factory.mktemp("drive")
    with serve_pair(layout("drive_links")) as server:
        hosts = json.dumps(share_hosts(server.second.url))
        result = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "--db", "e.sqlite", "audit", server.url + "/", "--fiscal-year",
             "2567", "--as-of", AS_OF, "--out", "out", "--format", "json,md,html", "-s", f"OIT_SHARE_HOSTS={hosts}", *FAST],
            cwd=tmp, capture_output=True, text=True, timeout=120)
        drive_requests = [r.path for r in server.second.requests]
    assert "Traceback" not in result.stderr, result.stderr
    con = sqlite3.connect(tmp / "e.sqlite")
    con.row_factory = sqlite3.Row
    stored = {r["url"]: dict(r) for r in con.execute("SELECT * FROM resources")}
    report = json.loads((tmp / "out" / "report.json").read_text(encoding="utf-8"))
    return result, stored, report, drive_requests, tmp


def _evidence_urls(report: dict, item_id: str) -> dict[str, dict]:
    item = next(i for i in report["items"] if i["id"] == item_id)
    return {e["url"]: e for element in item["elements"] for e in element.get("evidence") or []}


def test_drive_files_and_folders_count_as_evidence_under_the_link_as_linked(drive_audit):
    result, stored, report, drive_requests, _ = drive_audit
    assert result.returncode in (0, 3), result.stderr
    linked = f"https://drive.google.com/file/d/{DRIVE_MANUAL}/view?usp=sharing"
    manual = stored[linked]
    assert manual["ok"] and manual["kind"] == "document" and manual["filename"] == "คู่มือการปฏิบัติงาน งานทะเบียนราษฎร.pdf"
    assert manual["final_url"] == UC + DRIVE_MANUAL
    o6 = next(i for i in report["items"] if i["id"] == "O6")
    assert o6["status"] == "pass" and linked in _evidence_urls(report, "O6")
    # The folder: its listing is a record of its own; its file is O7's evidence, found through it.
    folder = f"https://drive.google.com/drive/folders/{DRIVE_FOLDER}?usp=sharing"
    assert stored[folder]["ok"] and stored[folder]["kind"] == "page"
    o7 = next(i for i in report["items"] if i["id"] == "O7")
    evidence = _evidence_urls(report, "O7")
    in_folder = "https://drive.google.com/file/d/1gServiceFileId000001/view?usp=drive_web"
    assert o7["status"] == "pass" and in_folder in evidence, evidence
    assert evidence[in_folder]["source_page"] == folder
    # One sub-folder level is listed and its file fetched; the level below is not.
    assert stored["https://drive.google.com/file/d/1hOlderFileId00000001/view?usp=drive_web"]["ok"]
    assert not any("1fDeepFolderId" in p or "1iDeepFileId" in p for p in drive_requests)
    # The big file: the virus-scan page's "Download anyway" was followed once, to the file.
    big = stored[f"https://drive.google.com/file/d/{DRIVE_BIG}/view?usp=drive_link"]
    assert big["ok"] and big["filename"] == "โครงสร้างหน่วยงาน.pdf"
    assert sum("drive.usercontent.google.com/download" in p for p in drive_requests) == 1
    # Google Docs: the editor's link is exported as Word; a Drive id of a Doc reached the same export.
    assert set(_evidence_urls(report, "O5")) >= {
        f"https://docs.google.com/document/d/{DOCS_PLAN}/edit?usp=sharing", f"https://drive.google.com/open?id={DOCS_REPORT}"}
    assert next(i for i in report["items"] if i["id"] == "O5")["status"] == "pass"
    # OneDrive: the public link's file came through the share API.
    onedrive = stored[ONEDRIVE_PUBLIC]
    assert onedrive["ok"] and onedrive["filename"] == "สถิติการจัดเก็บภาษี 2567.pdf"
    assert onedrive["final_url"].startswith("https://api.onedrive.com/v1.0/shares/u!")


def test_a_private_share_is_not_public_in_the_report_and_on_the_terminal(drive_audit):
    result, stored, report, _, tmp = drive_audit
    linked = f"https://drive.google.com/open?id={DRIVE_PRIVATE}"
    private = stored[linked]
    assert not private["ok"] and private["error_kind"] == "not_public"
    assert private["final_url"].startswith("https://accounts.google.com/ServiceLogin")
    assert report["crawl"]["healthy"], report["crawl"]["health_reasons"]     # a finding, not a broken crawl
    # Microsoft's answers: the share API refuses (403), SharePoint sends to its sign-in page.
    assert stored[ONEDRIVE_PRIVATE]["error_kind"] == "not_public" and stored[ONEDRIVE_PRIVATE]["status"] == 403
    assert stored[SHAREPOINT_PRIVATE]["error_kind"] == "not_public"
    assert stored[SHAREPOINT_PRIVATE]["final_url"].startswith("https://login.microsoftonline.com/")
    assert {"url": linked, "kind": "not_public"}.items() <= next(
        f for f in report["crawl"]["failures"] if f["url"] == linked).items()
    o16 = next(i for i in report["items"] if i["id"] == "O16")
    element = o16["elements"][0]
    assert o16["status"] == "fail" and element["reason"] == "could_not_fetch", element
    assert "ไฟล์ไม่ได้เปิดสาธารณะ" in element["reason_th"]
    label = failure_label("not_public")
    assert label == "ไฟล์ไม่ได้เปิดสาธารณะ"
    assert label in result.stdout and SHARE_ADVICE in result.stdout and "open?id=" in result.stdout
    for name in ("report.md", "report.html"):
        text = html.unescape((tmp / "out" / name).read_text(encoding="utf-8"))
        assert label in text and SHARE_ADVICE in text, name


def audit_list(tmp_path, lines: str) -> tuple[subprocess.CompletedProcess, dict]:
    """`oit audit --urls` of a list whose first URL is the district's own ITA page (the list's first URL
    is its site, the address policy's start), then `lines` (item, URL lines); the drives stood in for."""
    with serve_pair(layout("drive_links")) as server:
        (tmp_path / "list.txt").write_text(f"O1\n{server.url}/ita\n{lines}", encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "--db", "e.sqlite", "audit", "--urls", "list.txt", "--fiscal-year",
             "2567", "--as-of", AS_OF, "--out", "out", "--format", "json", "--partial",
             "-s", f"OIT_SHARE_HOSTS={json.dumps(share_hosts(server.second.url))}", *FAST],
            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result, json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))


def test_a_url_list_with_share_links_is_audited_the_same_way(tmp_path):
    folder = f"https://drive.google.com/drive/folders/{DRIVE_FOLDER}?usp=sharing"
    result, report = audit_list(tmp_path, f"O6\nhttps://drive.google.com/file/d/{DRIVE_MANUAL}/view?usp=sharing\n"
                                          f"O7\n{folder}\nO16\nhttps://drive.google.com/open?id={DRIVE_PRIVATE}\n")
    rows = {r["item_id"]: r for r in report["url_list"]["rows"]}
    assert rows["O6"]["ok"] and rows["O7"]["ok"]
    assert rows["O16"]["failure"] == "not_public" and rows["O16"]["failure_th"] == "ไฟล์ไม่ได้เปิดสาธารณะ"
    status = {i["id"]: i["status"] for i in report["items"]}
    assert status["O6"] == "pass" and status["O7"] == "pass" and status["O16"] == "fail"
    assert "ไฟล์ไม่ได้เปิดสาธารณะ" in result.stdout


def test_a_public_onedrive_folder_is_said_unlisted_and_its_item_not_checked_never_missing(tmp_path):
    """Microsoft lists a shared folder's files only to signed-in apps: the folder is recorded as
    unlisted, and the items it might hold are not checked (not 0 for files the tool could not see)."""
    _, report = audit_list(tmp_path, f"O11\n{ONEDRIVE_FOLDER}\n")
    row = next(r for r in report["url_list"]["rows"] if r["item_id"] == "O11")
    assert row["failure"] == "folder_unlisted" and "OneDrive/SharePoint" in row["failure_th"]
    status = {i["id"]: i["status"] for i in report["items"]}
    assert status["O11"] == "not_checked" and "fail" not in status.values()
    assert any("could not be listed" in r for r in report["completeness"]["reasons"])


def test_the_address_policy_applies_to_what_a_share_link_fetches(tmp_path):
    # The site counts as public (127.0.0.1): the drive's stand-in answers from loopback 127.0.0.2, the
    # address actually connected to, so every share fetch is refused by the policy, none is made.
    with serve_pair(layout("drive_links")) as server:
        result = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "--db", "e.sqlite", "crawl", server.url + "/",
             "-s", f"OIT_SHARE_HOSTS={json.dumps(share_hosts(server.second.url))}",
             "-s", "OIT_PUBLIC_NETWORKS=127.0.0.1/32", *FAST], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        drive_requests = list(server.second.requests)
    assert "Traceback" not in result.stderr, result.stderr
    con = sqlite3.connect(tmp_path / "e.sqlite")
    kinds = {url: kind for url, kind in con.execute("SELECT url, error_kind FROM resources WHERE url LIKE 'https://%'")}
    assert kinds and set(kinds.values()) == {"blocked"}, kinds
    assert drive_requests == []


def test_private_shares_are_findings_not_a_crawl_that_failed():
    """A URL list whose drive links all ask to sign in answered: its items fail, the run is healthy."""
    from crawler.audit.judge import crawl_health
    from crawler.evidence.model import Resource, RunEvidence
    private = {f"https://drive.google.com/open?id=1PrivateId{n:08d}": Resource(
        f"https://drive.google.com/open?id=1PrivateId{n:08d}", "https://accounts.google.com/ServiceLogin", "document",
        False, status=200, error_kind="not_public") for n in range(3)}
    evidence = RunEvidence(1, next(iter(private)), "2024-06-30T00:00:00", "2024-06-30T00:01:00", "complete", private, [])
    assert crawl_health(evidence, listed=True)["healthy"]
    dead = {url: Resource(url, url, "document", False, status=404, error_kind="http_404") for url in private}
    assert not crawl_health(RunEvidence(1, next(iter(dead)), "", None, "complete", dead, []), listed=True)["healthy"]
