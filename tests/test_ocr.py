"""OCR of scanned documents (crawler/extraction/ocr.py) and what the audit makes of it.

- generated scans (a memo to the director, an announcement, the same memo dated in Thai digits, a PNG);
- the real scans of ../shared/real-docs, read within page caps, against what was read there by eye
  (tests/data/realdocs_ocr.yaml);
- the `scans_only` site over HTTP with the real `oit` command: with OCR, without Tesseract, and a
  second crawl that must not OCR again.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
import yaml

from crawler.audit.primitives import LOW_CONFIDENCE, fiscal_year_reading, readable, stamp_of
from crawler.evidence.model import DateFound, Resource
from crawler.extraction import extract, ocr
from crawler.extraction.dating import evidence_dates
from sitegen.documents import DocContent, DocTable, Heading, pdf_scan
from sitegen.oit_items import thai_numerals
from crawler.text.thai import compact, strip_tone_marks
from reports.validate import validate_report

ENGINE, WHY_NOT = ocr.engine_status(ocr.OcrSettings())
needs_tesseract = pytest.mark.skipif(ENGINE is None, reason=f"no OCR: {WHY_NOT} ({ocr.INSTALL_HINT})")
REAL_DOCS = Path(__file__).resolve().parents[2] / "shared" / "real-docs"
TRUTH = yaml.safe_load((Path(__file__).parent / "data" / "realdocs_ocr.yaml").read_text(encoding="utf-8"))
FAST = ["--delay", "0", "--concurrency", "8", "--no-progress"]
NO_TESSERACT = "/nonexistent/tesseract"


def squeezed(text: str) -> str:
    """How the audit compares OCR text with a phrase: compact, without tone marks."""
    return strip_tone_marks(compact(text))


def reads(text: str, phrase: str) -> bool:
    return squeezed(phrase) in squeezed(text)


def oit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


# -- generated scans --------------------------------------------------------------------------------

ISSUED = date(2024, 4, 25)
MEMO = DocContent(
    title="รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงต่อการรับสินบน ประจำปีงบประมาณ พ.ศ. 2567",
    blocks=[Heading("บันทึกข้อความ", center=True),
            "ส่วนราชการ ฝ่ายปกครอง สำนักงานเขตสัมพันธวงศ์ โทร. 0 2233 4567",
            "ที่ กท 6501/230   วันที่ 25 เมษายน 2567",
            "เรื่อง รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงต่อการรับสินบน ประจำปีงบประมาณ พ.ศ. 2567",
            "เรียน ผู้อำนวยการเขตสัมพันธวงศ์",
            "ฝ่ายปกครองได้ดำเนินการตามมาตรการควบคุมความเสี่ยงต่อการรับสินบนครบทุกกระบวนงาน "
            "ผลการดำเนินการไม่พบเหตุการณ์การรับสินบน",
            DocTable(["กระบวนงาน", "มาตรการ", "ผลการดำเนินการ"],
                     [["การอนุญาตก่อสร้างอาคาร", "เผยแพร่สถานะคำขอ", "ดำเนินการแล้ว"]]),
            "จึงเรียนมาเพื่อโปรดทราบ", "(นายสุรชัย มั่นคงดี)", "หัวหน้าฝ่ายปกครอง"],
    issued=ISSUED, author="สำนักงานเขตสัมพันธวงศ์")
ANNOUNCEMENT = DocContent(
    title="ประกาศสำนักงานเขตสัมพันธวงศ์ เรื่อง นโยบายต่อต้านการรับสินบน (Anti-Bribery Policy)",
    blocks=[Heading("ประกาศสำนักงานเขตสัมพันธวงศ์", center=True),
            Heading("เรื่อง นโยบายต่อต้านการรับสินบน (Anti-Bribery Policy)", center=True),
            "สำนักงานเขตสัมพันธวงศ์มีความมุ่งมั่นที่จะดำเนินงานด้วยความซื่อสัตย์สุจริต โปร่งใส ตรวจสอบได้ "
            "จึงประกาศนโยบายต่อต้านการรับสินบน ประจำปีงบประมาณ พ.ศ. 2567 ดังนี้",
            "1. บุคลากรทุกคนต้องไม่เรียก ไม่รับ ไม่ให้ สินบน ไม่ว่าทางตรงหรือทางอ้อม",
            "อีเมล saraban.samphanthawong@bangkok.go.th",
            "ประกาศ ณ วันที่ 1 พฤศจิกายน 2566", "ผู้อำนวยการเขตสัมพันธวงศ์"],
    issued=date(2023, 11, 1), author="สำนักงานเขตสัมพันธวงศ์")


def read(body: bytes, **settings) -> tuple:
    extraction = extract(body, filename="scan.pdf")
    text = ocr.ocr_extraction(body, extraction, ocr.OcrSettings(**settings))
    return extraction, text


@needs_tesseract
def test_a_scanned_memo_reads_like_its_text():
    body = pdf_scan(MEMO).body
    assert extract(body).text == ""                       # images only: no text layer at all
    extraction, text = read(body)
    assert extraction.text_layer == "scan" and extraction.text == text
    assert extraction.ocr["engine"] == ENGINE.name and extraction.ocr["engine"].startswith("tesseract ")
    assert extraction.ocr["pages"] == 1 and extraction.ocr["capped"] is False
    assert 60 < extraction.ocr["confidence"] <= 100
    for phrase in ("เรียน ผู้อำนวยการเขต", "รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงต่อการรับสินบน",
                   "ฝ่ายปกครอง", "จึงเรียนมาเพื่อโปรดทราบ"):
        assert reads(text, phrase), phrase
    assert "ํา" not in text and extraction.language == "th"    # normalised: no nikhahit + sara aa
    # the memo's subject, past its form heading and header lines (OCR drops tone marks: เรือง)
    assert reads(extraction.title, "รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงต่อการรับสินบน ประจำปีงบประมาณ พ.ศ. 2567")
    # Arabic digits survive OCR: the year stays a sure one.
    dates = evidence_dates(extraction, text)
    assert {(d["kind"], d["fiscal_year"], d["confidence"]) for d in dates if d["kind"] == "fiscal_year"} == \
        {("fiscal_year", 2567, 1.0)}


@needs_tesseract
def test_a_scanned_announcement_keeps_its_english_and_email():
    extraction, text = read(pdf_scan(ANNOUNCEMENT).body)
    assert reads(text, "นโยบายต่อต้านการรับสินบน") and "Anti-Bribery Policy" in text
    # eng beside tha keeps the address, maybe with a space after a dot: the audit reads it compacted.
    assert "saraban.samphanthawong@bangkok.go.th" in compact(text)


@needs_tesseract
def test_a_year_in_thai_digits_is_read_but_never_sure():
    body = pdf_scan(thai_numerals(MEMO)).body
    extraction, text = read(body)
    assert reads(text, "เรียน ผู้อำนวยการเขต")                 # the words are read as well as ever
    assert "๒๕๖๗" not in text                                  # ... the year is not: ๖ ๗ are unreadable
    dates = [DateFound(**d) for d in evidence_dates(extraction, text)]
    thai = [d for d in dates if any("๐" <= c <= "๙" for c in d.match)]
    assert thai and all(d.confidence < LOW_CONFIDENCE for d in thai)
    reading = fiscal_year_reading([stamp_of(d, ocr=True) for d in dates])
    assert reading.fiscal_year is not None and reading.sure is False


def test_a_mangled_year_slot_is_an_unsure_25xx():
    hits = ocr.unreadable_years("เรื่อง รายงานผล ประจำปีงบประมาณ พ.ศ. ๒๕๒ รอบ ๒ เดือน และ พ.ศ. ๒๕๒๕")
    assert [(h.kind, h.fiscal_year, h.match) for h in hits] == [("fiscal_year", 2500, "ปีงบประมาณ พ.ศ. ๒๕๒")]
    assert hits[0].confidence < LOW_CONFIDENCE
    assert ocr.unreadable_years("ราคา ๑๒๓ บาท ตามมาตรา ๙(๘)") == []
    found = [{"match": "๒๕ เมษายน ๒๕๒๓", "confidence": 1.0}, {"match": "25 เมษายน 2567", "confidence": 1.0}]
    assert [d["confidence"] for d in ocr.unsure_dates(found, "วันที่ ๒๕ เมษายน ๒๕๒๓ 25 เมษายน 2567")] == \
        [ocr.THAI_DIGIT_CONFIDENCE, 1.0]


@needs_tesseract
def test_an_image_linked_as_a_document_is_read(tmp_path):
    import pypdfium2

    page = pypdfium2.PdfDocument(pdf_scan(MEMO).body)[0]
    image = page.render(scale=100 / 72).to_pil()          # a small JPEG, as phones and scanners send
    path = tmp_path / "memo.jpg"
    image.convert("RGB").save(path, quality=80)
    body = path.read_bytes()
    extraction = extract(body, content_type="image/jpeg")
    assert (extraction.format, extraction.text_layer) == ("image", "scan")
    text = ocr.ocr_extraction(body, extraction, ocr.OcrSettings())
    assert reads(text, "เรียน ผู้อำนวยการเขต") and extraction.ocr["pages"] == 1
    assert not [w for w in extraction.warnings if "needs OCR" in w]


@needs_tesseract
def test_page_and_pixel_caps_and_the_time_safety_net():
    long_memo = DocContent(title=MEMO.title, blocks=MEMO.blocks * 4, issued=ISSUED)
    body = pdf_scan(long_memo).body
    pages = extract(body).pages
    assert pages >= 2
    extraction, text = read(body, max_pages=1)
    assert extraction.ocr["pages"] == 1 and extraction.ocr["capped"] is True
    assert any(w.startswith("ocr: ") and w.endswith("(capped)") for w in extraction.warnings)
    # The pixel cap: room for one rendered page, not two; the same pages however busy the machine.
    one_page = 1654 * 2339 / 1e6                          # A4 at 200 dpi
    extraction, text = read(body, max_megapixels=one_page * 1.5)
    assert extraction.ocr["pages"] == 1 and extraction.ocr["capped"] is True and reads(text, "เรียน")
    # The time limit is a safety net: when it cuts a document short, none of its OCR is used, and the
    # scan stays unread (the audit reviews it) instead of being judged on what a busy machine finished.
    started = time.monotonic()
    extraction, text = read(body, timeout=1e-6)
    assert time.monotonic() - started < 10
    assert text == "" and extraction.ocr is None and extraction.text == "" and extraction.text_layer == "scan"
    assert any(w.startswith("ocr: cut short by the time safety net") for w in extraction.warnings)
    assert not readable(Resource(url="u", final_url="u", kind="document", ok=True, format="pdf",
                                 text_layer=extraction.text_layer, ocr=extraction.ocr))
    assert not ocr.stored_needs_ocr({"format": "pdf", "text_layer": "scan", "ocr": None, "error": None,
                                     "warnings": extraction.warnings})


def test_without_tesseract_nothing_is_claimed():
    body = pdf_scan(MEMO).body
    extraction = extract(body)
    for settings in (ocr.OcrSettings(tesseract=NO_TESSERACT), ocr.OcrSettings(enabled=False)):
        engine, why = ocr.engine_status(settings)
        assert engine is None and why
        assert ocr.ocr_extraction(body, extraction, settings) == ""
    assert extraction.ocr is None and extraction.text == "" and extraction.text_layer == "scan"
    assert any(w.startswith("ocr unavailable: Tesseract not found") for w in extraction.warnings)


def test_which_stored_extractions_a_recrawl_reads_again():
    scan = {"format": "pdf", "text_layer": "scan", "ocr": None, "error": None, "warnings": []}
    assert ocr.stored_needs_ocr(scan)                                    # stored while OCR was missing
    assert ocr.stored_needs_ocr({**scan, "warnings": ["ocr unavailable: Tesseract not found"]})
    assert not ocr.stored_needs_ocr({**scan, "ocr": {"engine": "tesseract 5.3.0"}})   # already read
    assert not ocr.stored_needs_ocr({**scan, "warnings": ["ocr: unreadable (tesseract 5.3.0, ...)"]})
    assert not ocr.stored_needs_ocr({**scan, "text_layer": "text"})
    assert ocr.stored_needs_ocr({**scan, "text_layer": "text", "warnings": ["scan_pages: 2,3"]})
    assert ocr.stored_needs_ocr({**scan, "format": "image"})
    assert not ocr.stored_needs_ocr({**scan, "format": "html", "text_layer": "n/a"})


# -- real scans -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_scans():
    """Each real scan read up to its first page holding a phrase OCR is expected to find (one page
    when none is), all documents at once as in a crawl."""
    if not REAL_DOCS.is_dir():
        pytest.skip(f"real documents not found at {REAL_DOCS}")
    jobs = []
    for doc in TRUTH["documents"]:
        body = (REAL_DOCS / doc["file"]).read_bytes()
        extraction = extract(body, filename=Path(doc["file"]).name)
        wanted = ocr.pages_to_read(extraction)
        cap = min((wanted.index(p["page"]) + 1 for p in doc["phrases"] if p["expect"] == "found"), default=1)
        settings = ocr.OcrSettings(max_pages=cap, timeout=120)
        jobs.append((doc, extraction, settings, len(wanted), ocr.prepare(body, extraction, settings)))
    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(lambda job: ocr.recognise(job[4], ENGINE, job[2]), jobs))
    read = []
    for (doc, extraction, settings, wanted, job), result in zip(jobs, results):
        job.close()
        read.append((doc, extraction, settings, wanted, result, ocr.apply(extraction, result)))
    return read


@needs_tesseract
def test_real_scans_are_read_within_their_caps(real_scans):
    assert {doc["layer"] for doc, *_ in real_scans} == {"scan", "garbage", "text"}
    for doc, extraction, settings, wanted, result, text in real_scans:
        assert extraction.text_layer == doc["layer"], doc["file"]
        assert 0 < len(result.readings) <= settings.max_pages, doc["file"]
        assert result.capped == (wanted > settings.max_pages), doc["file"]
        assert result.seconds < settings.timeout and not [p for p in result.problems if "failed" in p]
        if any(p["expect"] == "found" for p in doc["phrases"]):
            assert extraction.ocr is not None and extraction.ocr["capped"] == result.capped


@needs_tesseract
def test_real_scans_say_what_was_read_by_eye(real_scans):
    for doc, extraction, settings, wanted, result, text in real_scans:
        read_pages = {r.number for r in result.readings}
        for phrase in doc["phrases"]:
            if phrase["expect"] == "found" and phrase["page"] in read_pages:
                assert reads(text, phrase["text"]), (doc["file"], phrase["text"])


@needs_tesseract
def test_a_real_scan_never_gives_a_sure_wrong_year(real_scans):
    """Thai-digit dates come out wrong (๒๕๖๗ as ๒๕๐๓); they must come out unsure, not as a wrong year."""
    checked = 0
    for doc, extraction, settings, wanted, result, text in real_scans:
        if doc["layer"] == "text" or not text:
            continue
        dates = [DateFound(**d) for d in evidence_dates(extraction, text)]
        reading = fiscal_year_reading([stamp_of(d, ocr=True) for d in dates])
        if reading.fiscal_year is not None and reading.sure:
            assert reading.fiscal_year == doc["fiscal_year"], doc["file"]
        checked += doc["fiscal_year"] is not None
    assert checked == 3


# -- the scans_only site over HTTP ------------------------------------------------------------------

def _stats(db: Path, run_id: int) -> dict:
    with sqlite3.connect(db) as conn:
        return json.loads(conn.execute("SELECT stats FROM runs WHERE id=?", (run_id,)).fetchone()[0])


def _text_of(db: Path, url_part: str) -> tuple[str, dict | None]:
    with sqlite3.connect(db) as conn:
        text, found = conn.execute(
            "SELECT t.text, t.ocr FROM resources r JOIN texts t ON t.sha256 = r.sha256 WHERE r.url LIKE ?",
            (f"%{url_part}%",)).fetchone()
    return text, json.loads(found) if found else None


def _element(report: dict, item: str, element: str) -> dict:
    entry = next(i for i in report["items"] if i["id"] == item)
    return next(e for e in entry["elements"] if e["id"] == element)


class Runs:
    """One evidence store, three runs of the scans_only site, as a district would live them:
    1. `oit audit` without Tesseract; 2. `oit audit` once it is installed (the stored scans are read
    now); 3. `oit crawl` a week later (nothing changed: nothing is OCR'd again)."""

    def __init__(self, server, workdir: Path):
        self.server, self.dir, self.db = server, workdir, workdir / "evidence.sqlite"
        self.done: dict[int, subprocess.CompletedProcess] = {}
        self.reports: dict[int, dict] = {}

    def audit(self, run: int, *extra: str) -> None:
        m = self.server.site.manifest
        out = f"out{run}"
        self.done[run] = oit("--db", "evidence.sqlite", "audit", self.server.start_url, "--fiscal-year",
                             str(m.fiscal_year), "--as-of", m.as_of, "--out", out, *FAST, *extra, cwd=self.dir)
        if self.done[run].returncode == 0:
            self.reports[run] = json.loads((self.dir / out / "report.json").read_text(encoding="utf-8"))

    def crawl(self, run: int) -> None:
        self.done[run] = oit("--db", "evidence.sqlite", "crawl", self.server.start_url, *FAST, cwd=self.dir)

    def ok(self, run: int) -> dict:
        assert self.done[run].returncode == 0, self.done[run].stderr
        return self.reports.get(run, {})


@pytest.fixture(scope="module")
def runs(site_server, tmp_path_factory) -> Runs:
    runs = Runs(site_server("scans_only"), tmp_path_factory.mktemp("scans-only"))
    runs.audit(1, "-s", f"OIT_OCR_TESSERACT={NO_TESSERACT}")
    if ENGINE is not None:
        runs.audit(2)
        runs.crawl(3)
    return runs


def test_without_tesseract_the_audit_completes_with_review_items(runs):
    report = runs.ok(1)
    validate_report(report)
    assert report["published"] is True
    assert report["crawl"]["ocr_available"] is False and NO_TESSERACT in report["crawl"]["ocr_problem"]
    assert {"O18", "O19", "O22"} <= set(report["review_items"])
    # (O18's Thai policy and report are also named by its evidence page's own heading and intro.)
    for item, element in (("O18", "policy_en"), ("O19", "risk_report"), ("O22", "measures_report")):
        verdict = _element(report, item, element)
        assert (verdict["status"], verdict["reason"]) == ("review", "review_scan_unread"), (item, element)
        assert verdict["candidates"] and all(c["text_layer"] == "scan" and not c["ocr"]
                                             for c in verdict["candidates"] if c.get("reason") == "review_scan_unread")
    assert not {"O18", "O19", "O22"} & set(report["missing_items"])      # never failed for it
    assert runs.done[1].stdout.count(ocr.INSTALL_HINT) == 1                 # said once, how to fix it
    stats = _stats(runs.db, 1)
    assert stats["scans_unread"] >= 5 and not stats.get("ocr_documents")


@needs_tesseract
def test_scans_only_site_is_audited_as_its_manifest_says(runs):
    report = runs.ok(2)
    validate_report(report)
    manifest = runs.server.site.manifest
    assert {i["id"]: round(i["score"]) for i in report["items"]} == manifest.expected_scores
    assert report["crawl"]["ocr_available"] is True and "ocr_problem" not in report["crawl"]
    assert report["review_items"] == ["O22"] and ocr.INSTALL_HINT not in runs.done[2].stdout
    # O18 and O19 pass on scans, and say so.
    for item, element in (("O18", "policy_th"), ("O18", "policy_en"), ("O18", "implementation_report"),
                          ("O19", "risk_report")):
        verdict = _element(report, item, element)
        assert verdict["status"] == "satisfied", (item, element, verdict)
        assert any(e["ocr"] and e["text_layer"] == "scan" for e in verdict["evidence"]), (item, element)
    # What OCR read is in the store: the policy's name, and the memo's address to the director,
    # which is only ever in the document's own text.
    policy, policy_ocr = _text_of(runs.db, "/O18/policy-th.pdf")
    assert reads(policy, "นโยบายต่อต้านการรับสินบน") and policy_ocr["engine"] == ENGINE.name
    memo, memo_ocr = _text_of(runs.db, "/O19/risk-report.pdf")
    assert reads(memo, "เรียน ผู้อำนวยการเขต") and 0 < memo_ocr["confidence"] <= 100
    # The scans stored in run 1 unread were read in run 2; everything else was reused.
    stats = _stats(runs.db, 2)
    assert stats["ocr_documents"] == _stats(runs.db, 1)["scans_unread"] and stats["extraction_reused"] > 20


@needs_tesseract
def test_a_thai_digit_year_scan_is_review_not_fail(runs):
    report = runs.ok(2)
    item = next(i for i in report["items"] if i["id"] == "O22")
    assert item["status"] == "review" and item["points_lost"] == 2
    verdict = _element(report, "O22", "measures_report")
    assert (verdict["status"], verdict["reason"]) == ("review", "review_low_confidence")
    scan = next(c for c in verdict["evidence"] + verdict["candidates"] if c["ocr"])
    assert scan["fiscal_year_source"] == "text" and scan["fiscal_year"] != 2567
    assert "O22" in runs.done[2].stdout.split("ต้องตรวจด้วยตา/review:")[1]


@needs_tesseract
def test_a_second_crawl_of_the_same_files_does_no_ocr(runs):
    runs.ok(3)
    read, again = _stats(runs.db, 2), _stats(runs.db, 3)
    assert read["ocr_documents"] >= 5 and read["ocr_pages"] >= read["ocr_documents"]
    assert again.get("ocr_documents", 0) == 0 and not again.get("scans_unread")
    # everything run 2 read is reused by run 3, except what run 3 fetched that run 2 did not (which
    # variants of a trap path fit under its cap depends on the order answers arrive in)
    with sqlite3.connect(runs.db) as con:
        urls = {run: {u for (u,) in con.execute("SELECT url FROM resources WHERE run_id = ? AND ok", (run,))}
                for run in (2, 3)}
    assert again["extraction_reused"] >= read["ocr_documents"] + read["extraction_reused"] - len(urls[3] - urls[2])
    text, found = _text_of(runs.db, "/O19/risk-report.pdf")        # still the OCR text
    assert found is not None and reads(text, "เรียน ผู้อำนวยการเขต")
