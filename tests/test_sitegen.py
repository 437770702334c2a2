"""The generated district sites and their loopback server (sitegen)."""
from __future__ import annotations

import gzip
import io
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import urllib.robotparser
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import pypdfium2
import pytest
from bs4 import BeautifulSoup

from crawler.text.dates import find_dates
from sitegen import SCENARIOS, Site
from sitegen.model import CONTENT_TYPES
from sitegen.scenarios import EXPECTED, ITEMS, Defects, expected
from crawler.text.thai import compact, normalize
from crawler.text.urls import filename_from_disposition

SAMPHANTHAWONG = "samphanthawong_2567"


def fetch(url: str, *, method: str = "GET", headers: dict | None = None) -> tuple[int, dict, bytes]:
    """(status, headers, body) without raising on 3xx/4xx/5xx; loopback only."""
    assert url.startswith(("http://127.0.0.1:", "http://127.0.0.2:"))
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def raw_get(server, target: bytes) -> tuple[int, bytes]:
    """A GET whose request target is sent byte for byte (urllib refuses raw Thai paths)."""
    with socket.create_connection((server.host, server.port), timeout=10) as conn:
        conn.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.fixture(scope="module")
def server(site_server):
    return site_server(SAMPHANTHAWONG)


@pytest.fixture(scope="module")
def manifest(server):
    return server.site.manifest


# -- expected scores --------------------------------------------------------------------------------

def test_samphanthawong_expected_scores_are_the_founding_documents(manifest):
    zeros = {"O5", "O15", "O18", "O19", "O22"}
    assert manifest.expected_scores == {
        item: 0 if item in zeros else 50 if item == "O9" else 100 for item in ITEMS}
    assert manifest.fiscal_year == 2567 and manifest.as_of == "2024-06-30"
    assert manifest.required_months == [f"2023-{m}" for m in (10, 11, 12)] + [f"2024-0{m}" for m in range(1, 6)]


def test_every_variant_spoils_exactly_one_item():
    assert expected(Defects())[0] == dict.fromkeys(ITEMS, 100)
    for flag, (item, score, _elements) in EXPECTED.items():
        scores, failures = expected(Defects(**{flag: True}))
        assert {k: v for k, v in scores.items() if v != 100} == {item: score}
        assert list(failures) == [item]
    assert set(SCENARIOS) >= {"compliant", "stale_year", "missing_month", "blank_column", "pdf_only",
                              "dead_eservice", "not_addressed", "menu_only", "no_english", "large"}


# -- serving ------------------------------------------------------------------------------------------

def test_every_manifest_resource_is_served_with_its_content_type(server, manifest):
    for path, page in manifest.pages.items():
        status, headers, body = fetch(server.url_for(path, page.host))
        assert status == 200, path
        if page.encoding == "cp874":
            assert headers["Content-Type"] == "text/html"
        else:
            assert headers["Content-Type"] == CONTENT_TYPES["html"], path
            assert b"<h1" in body
    for path, doc in manifest.documents.items():
        oversized = "oversized" in doc.defects
        status, headers, body = fetch(server.url_for(path, doc.host), method="HEAD" if oversized else "GET")
        assert status == 200, path
        assert int(headers["Content-Length"]) == doc.size
        if path.endswith("download?id=123"):
            assert headers["Content-Type"] == "application/octet-stream"
        else:
            assert headers["Content-Type"] == CONTENT_TYPES[doc.format], path
        if doc.format == "pdf" and not oversized:
            assert body.startswith(b"%PDF-")
        if doc.format in ("xlsx", "docx", "ods", "odt"):
            assert body.startswith(b"PK\x03\x04")
        if doc.format == "csv":
            assert body.startswith(b"\xef\xbb\xbf")


def test_every_format_is_present(manifest):
    formats = {(d.format, d.variant) for d in manifest.documents.values()}
    assert formats >= {("pdf", "text"), ("pdf", "split_sara_am"), ("pdf", "scan"), ("xlsx", ""),
                       ("docx", ""), ("ods", ""), ("odt", ""), ("csv", "")}


def test_three_slug_spellings_reach_one_page(server, manifest):
    path = next(p for p, e in manifest.pages.items()
                      if set(e.link_forms) == {"raw", "percent", "double"})
    once = quote(path).encode()
    bodies = {raw_get(server, target) for target in (path.encode("utf-8"), once, quote(quote(path)).encode())}
    assert len(bodies) == 1 and next(iter(bodies))[0] == 200
    # The portal routes by the numeric id: a mangled slug is the same page too.
    o5 = next(e for e in manifest.pages.values() if e.aliases)
    assert fetch(server.url_for(o5.aliases[0]))[2] == fetch(server.url_for(o5.path))[2]


def test_conditional_requests_answer_304(server, manifest):
    doc = next(d for d in manifest.documents.values() if d.format == "xlsx")
    url = server.url_for(doc.path)
    status, headers, body = fetch(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert fetch(url)[1]["ETag"] == headers["ETag"]                        # stable
    status, _, body = fetch(url, headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    status, _, _ = fetch(url, headers={"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304
    assert fetch(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200
    assert fetch(url, headers={"If-None-Match": '"other"'})[0] == 200
    # gzip for pages when asked, with its own ETag that also revalidates.
    home = server.start_url
    status, zipped, body = fetch(home, headers={"Accept-Encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip" and gzip.decompress(body) == fetch(home)[2]
    assert fetch(home, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped["ETag"]})[0] == 304


def test_last_modified_never_after_the_as_of_date(server, manifest):
    as_of = date.fromisoformat(manifest.as_of)
    for path, doc in manifest.documents.items():
        headers = fetch(server.url_for(path, doc.host), method="HEAD")[1]
        assert parsedate_to_datetime(headers["Last-Modified"]).date() < as_of, path


def test_head_sends_headers_only_and_the_log_counts_transfers(server, manifest):
    doc = next(d for d in manifest.documents.values() if d.format == "pdf" and d.item)
    server.clear_log()
    status, headers, body = fetch(server.url_for(doc.path), method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) == doc.size
    fetch(server.url_for(doc.path))
    assert [(r.method, r.status, r.sent) for r in server.requests] == [("HEAD", 200, 0), ("GET", 200, doc.size)]


def test_tis620_page_has_no_charset_anywhere(server, manifest):
    special = manifest.specials_of("tis620")[0]
    status, headers, body = fetch(server.url_for(special.path))
    assert status == 200 and "charset" not in headers["Content-Type"].lower()
    assert b"charset" not in body.lower()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("cp874")
    assert "โรงเรียนสังกัดกรุงเทพมหานคร" in text and "โรงเรียนวัด" in text and "“" in text


def test_traps_generate_unbounded_pages(server, manifest):
    news = manifest.specials_of("trap_pagination")[0].path.split("?")[0]
    for page in (2, 1000, 10 ** 6):
        status, _, body = fetch(server.url_for(f"{news}?page={page}"))
        assert status == 200 and f"page={page + 1}".encode() in body
    status, _, body = fetch(server.url_for(f"{news}?page=3&sort=date&sort=date"))
    assert status == 200 and b"sort=date&amp;sort=date&amp;sort=date" in body
    calendar = manifest.specials_of("trap_calendar")[0].path.split("?")[0]
    status, _, body = fetch(server.url_for(f"{calendar}?month=2999-12"))
    assert status == 200 and b"month=3000-01" in body and b"month=2999-11" in body


def test_download_is_named_only_by_content_disposition(server, manifest):
    special = manifest.specials_of("content_disposition")[0]
    status, headers, body = fetch(server.url_for(special.path))
    assert status == 200 and body.startswith(b"%PDF-")
    assert "filename*=UTF-8''" in headers["Content-Disposition"]
    name = filename_from_disposition(headers["Content-Disposition"])
    assert name == manifest.documents[special.path].filename and name.startswith("หลักเกณฑ์")


def test_robots_txt_disallows_a_linked_admin_page(server, manifest):
    robots = urllib.robotparser.RobotFileParser(server.url + "/robots.txt")
    robots.read()
    admin = manifest.specials_of("robots")[0].path
    assert not robots.can_fetch("oit-crawler", server.url_for(admin))
    assert robots.can_fetch("oit-crawler", server.start_url)
    linked = [p for p, e in manifest.pages.items() if e.kind == "info"
              and admin.encode() in fetch(server.url_for(p))[2]]
    assert linked


def test_failures_the_crawl_must_record(server, manifest):
    assert fetch(server.url_for(manifest.specials_of("http_404")[0].path))[0] == 404
    assert fetch(server.url_for(manifest.specials_of("http_500")[0].path))[0] == 500
    big = manifest.specials_of("too_large")[0].path
    assert int(fetch(server.url_for(big), method="HEAD")[1]["Content-Length"]) == 30 * 1024 * 1024
    with urllib.request.urlopen(server.url_for(big), timeout=10) as response:   # a client giving up
        assert response.read(1024).startswith(b"%PDF-")
    assert fetch(server.start_url)[0] == 200
    home = fetch(server.start_url)[2].decode()
    external = manifest.specials_of("connection")[0].path
    assert external == "http://{{EXTERNAL}}/" and f"http://127.0.0.3:{server.port}/" in home
    assert fetch(server.url + "/samphanthawong")[0] == 200                        # 301 followed


def test_second_host_answers_and_is_linked_with_its_port(server, manifest):
    second = server.second
    assert second.host == "127.0.0.2"
    for path, page in manifest.pages.items():
        if page.host == "second":
            status, _, body = fetch(server.url_for(path, "second"))
            assert status == 200 and b"E-Service" in body
    drive = next(d for d in manifest.documents.values() if d.host == "second")
    status, headers, body = fetch(server.url_for(drive.path, "second"))
    assert status == 200 and filename_from_disposition(headers["Content-Disposition"]) == drive.filename
    home = fetch(server.start_url)[2].decode()
    assert f"http://127.0.0.2:{second.port}/bmaoss/" in home


def test_dead_eservice_links_answer_404(site_server):
    server = site_server("dead_eservice")
    assert server.site.manifest.expected_scores["O8"] == 0
    for special in server.site.manifest.specials_of("http_404"):
        if special.host == "second":
            assert fetch(server.url_for(special.path, "second"))[0] == 404


# -- content ------------------------------------------------------------------------------------------

def _pdf_text(body: bytes) -> str:
    document = pypdfium2.PdfDocument(body)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def test_evidence_documents_say_what_and_when(server, manifest):
    """Text PDFs carry their element's words and their fiscal year; scans carry no text."""
    for path, doc in manifest.documents.items():
        if doc.format != "pdf" or not doc.item:
            continue
        site = server.site.second if doc.host == "second" else server.site
        text = _pdf_text(site.resources[path].body)
        if doc.variant == "scan":
            assert text.strip() == "", path
            continue
        assert compact(doc.title)[:12] in compact(text), path
        if doc.variant == "split_sara_am":      # Word export: sara am drawn as space + sara aa
            assert "\u0e33" not in text
        years = {hit.fiscal_year for hit in find_dates(normalize(text)) if hit.kind == "fiscal_year"}
        if years and doc.fiscal_year:
            assert doc.fiscal_year in years, path


def test_spoiled_elements_are_really_spoiled(server, manifest):
    for doc in manifest.documents.values():
        if doc.host != "main":
            continue
        body = server.site.resources[doc.path].body
        if "not_addressed" in doc.defects:
            text = compact(_pdf_text(body))
            assert "ผู้อำนวยการเขต" not in text and "เรียน" not in text and "ผอ" not in text
        if doc.element == "monthly_summaries" and doc.format == "xlsx":
            import pandas

            table = pandas.read_excel(io.BytesIO(body), header=None, engine="calamine", skiprows=4)
            assert table.isna().any().any() == ("blank_cells" in doc.defects)
    covered = sorted(m for d in manifest.documents.values() if d.element == "monthly_summaries" for m in d.covers)
    assert covered == manifest.required_months
    assert not manifest.documents_for("O18")
    assert {d.fiscal_year for d in manifest.documents_for("O5")} == {2566, 2567}
    assert not [d for d in manifest.documents_for("O5") if d.element == "annual_report"]
    assert {d.format for d in manifest.documents_for("O9") if d.fiscal_year == 2567} == {"pdf"}


def test_menu_phrase_can_be_the_only_one(site_server):
    """menu_only: "คู่มือการปฏิบัติงาน" is in the <nav> and the sidebar menu of every page, nowhere else."""
    server = site_server("menu_only")
    manifest = server.site.manifest
    o6 = next(p for p, e in manifest.pages.items() if e.title == "อยู่ระหว่างปรับปรุงข้อมูล")
    for path in (o6, manifest.start_path):
        soup = BeautifulSoup(fetch(server.url_for(path))[2], "lxml")
        assert "คู่มือการปฏิบัติงาน" in soup.nav.get_text() and "คู่มือการปฏิบัติงาน" in soup.select_one(".left-menu").get_text()
        for menu in soup.select("nav, .left-menu"):
            menu.decompose()
        assert "คู่มือการปฏิบัติงาน" not in soup.get_text()
    assert not manifest.documents_for("O6")


def test_dates_follow_the_scenarios_fiscal_year(make_site):
    site = make_site("compliant", fiscal_year=2568, as_of="2025-03-20")
    manifest = site.manifest
    assert manifest.required_months == ["2024-10", "2024-11", "2024-12", "2025-01", "2025-02"]
    assert {d.fiscal_year for d in manifest.documents.values()} <= {2568, 2567, None}
    assert all(r.last_modified is None or r.last_modified.date() < date(2025, 3, 20)
               for r in site.resources.values())
    plan = next(d for d in manifest.documents_for("O5") if d.fiscal_year == 2568)
    assert "แผนปฏิบัติราชการประจำปี พ.ศ. 2568" in _pdf_text(site.resources[plan.path].body)


# -- generation ---------------------------------------------------------------------------------------

def test_generation_is_deterministic_and_survives_a_round_trip(make_site, tmp_path):
    from sitegen import documents

    site = make_site(SAMPHANTHAWONG)
    documents._RENDERED.clear()                  # really render again
    fresh = SCENARIOS[SAMPHANTHAWONG]()
    assert {p: r.body for p, r in fresh.resources.items()} == {p: r.body for p, r in site.resources.items()}
    assert fresh.manifest.to_dict() == site.manifest.to_dict()
    loaded = Site.from_dir(fresh.write_to(tmp_path / "site"))
    assert loaded.manifest == fresh.manifest
    assert {p: (r.body, r.status, r.headers, r.last_modified) for p, r in loaded.second.resources.items()} == \
           {p: (r.body, r.status, r.headers, r.last_modified) for p, r in fresh.second.resources.items()}


def test_cli_lists_the_scenarios():
    out = subprocess.run([sys.executable, "-m", "sitegen", "list"], capture_output=True, text=True,
                         check=True).stdout
    assert "samphanthawong_2567" in out and "large" in out


def _reachable(server, manifest) -> set[tuple[str, str]]:
    """(host, decoded path) of everything linked from the start page, static main-site pages followed."""
    from urllib.parse import unquote, urljoin, urlsplit

    seen: set[tuple[str, str]] = set()
    queue = [server.start_url]
    while queue:
        parts = urlsplit(queue.pop())
        if parts.hostname not in ("127.0.0.1", "127.0.0.2"):      # 127.0.0.3 is never fetched
            continue
        path = parts.path
        for _ in range(3):
            path = unquote(path)
        host = "second" if parts.hostname == "127.0.0.2" else "main"
        key = (host, f"{path}?{parts.query}" if parts.query else path)
        if key in seen:
            continue
        seen.add(key)
        page = manifest.pages.get(path)
        if host == "second" or parts.query or page is None or page.kind == "admin":
            continue
        base = server.url_for(path)
        for a in BeautifulSoup(fetch(base)[2], "lxml").find_all("a", href=True):
            if not a["href"].startswith("mailto:"):
                queue.append(urljoin(base, a["href"].split("#")[0]))
    return seen


def test_everything_in_the_manifest_is_linked_from_the_start_page(server, manifest):
    reached = _reachable(server, manifest)
    assert {(p.host, path) for path, p in manifest.pages.items()} <= reached
    assert {(d.host, path) for path, d in manifest.documents.items()} <= reached


def test_large_grows_to_the_requested_counts(site_server):
    server = site_server("large", pages=300, pdfs=60, xlsx=10, docx=12)
    manifest = server.site.manifest
    assert len(manifest.pages) >= 300 and manifest.expected_scores == dict.fromkeys(ITEMS, 100)
    formats = [d.format for d in manifest.documents.values()]
    assert formats.count("pdf") == 60 and formats.count("xlsx") == 10 and formats.count("docx") == 12
    filler = [d for d in manifest.documents.values() if d.format == "pdf" and d.item is None and not d.defects]
    assert all(5 <= d.pages <= 20 for d in filler)
    reached = _reachable(server, manifest)
    assert {(p.host, path) for path, p in manifest.pages.items()} <= reached
    assert {(d.host, path) for path, d in manifest.documents.items()} <= reached


def test_a_variant_differs_from_compliant_only_where_its_defect_is(make_site):
    compliant, variant = make_site("compliant"), make_site("menu_only")
    changed = {p for p in set(compliant.resources) | set(variant.resources)
               if getattr(compliant.resources.get(p), "body", None) != getattr(variant.resources.get(p), "body", None)}
    o6 = {d.path for d in compliant.manifest.documents_for("O6")}
    assert changed == o6 | {next(p for p, e in compliant.manifest.pages.items() if e.items == ["O6"])}


def test_extra_files_hook_serves_a_real_document_read_at_runtime(make_site):
    from sitegen import default_extra_files, serve

    extra = default_extra_files()
    if not extra:
        pytest.skip("the real .doc sample of ../shared/real-docs is not available")
    site = make_site("compliant", extra_files=extra)
    doc = next(d for d in site.manifest.documents.values() if d.format == "doc")
    with serve(site) as server:
        status, headers, body = fetch(server.url_for(doc.path))
    assert status == 200 and headers["Content-Type"] == "application/msword"
    assert body == next(iter(extra.values())).read_bytes() and doc.link_labels == ["ดาวน์โหลด"]
