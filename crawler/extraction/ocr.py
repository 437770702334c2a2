"""OCR of scanned documents: pages rendered by pypdfium2, read by Tesseract (`tha+eng`).

What is read: every page of a PDF whose text layer is "scan", "garbage" or "empty", the pages named
in a PDF's "scan_pages: 2,3" warning, and images linked as documents (JPEG/PNG/...). The text goes
through `crawler.text.thai.normalize` like every other text; `Extraction.ocr` then says
{"engine": "tesseract 5.3.0", "confidence": mean symbol confidence 0..100, "pages": n, "capped": bool}.

Honest confidence (../shared/thai-text.md): Tesseract's Thai model cannot output the digits
๔ ๖ ๗ ๘ ๙ (๒๕๖๘ comes out ๒๕๒๕, ๒๕๖๗ as ๒๕๒ or ๒๕๐ๆ), so every date written in Thai digits in OCR
text is low-confidence (`THAI_DIGIT_CONFIDENCE`, below crawler.audit.primitives.LOW_CONFIDENCE), and a year
slot ("ปีงบประมาณ พ.ศ. ๒๕๒") whose digits OCR mangled beyond a plausible year still counts as an
unsure year (`unreadable_years`): the audit then says "review", never pass or fail on it. A document
whose OCR is too poor (`MIN_CONFIDENCE`, `MIN_LETTERS`) gets no `ocr` and stays an unread scan.

Threads: pdfium is not thread-safe, so `prepare()` renders in the caller's thread (the reactor's,
where pdfium is otherwise used; extractors run there or in worker processes); `recognise()` is
thread-safe and runs one Tesseract process per page in a pool shared by all documents (`workers`,
default one per CPU; OMP_THREAD_LIMIT=1: Tesseract's own OpenMP threads were about 4x slower on
2 cores). Every page is first turned upright (`--psm 0`, ~0.7 s): on a table scanned sideways,
Tesseract's own orientation mode (`--psm 1`) took 30-50 s instead of 5 s.

Determinism (issue 16): what is read is bounded by counts, never by the clock, so the same file gives
the same text and the same verdict on a busy machine and an idle one. A document reads at most
`max_pages` pages and `max_megapixels` of rendered image (the first pages, in order; Tesseract's time
is about proportional to pixels), and `capped` says when pages were left out. The time limit
(`timeout`, per document) is only a safety net against a pathological page: when it cuts a document's
OCR short, the whole OCR of that document is dropped with a warning saying so, and the document counts
as not read (a scan is then "review" in the audit, exactly as without Tesseract), never judged on
whichever pages a busy machine happened to finish.

Measured (Tesseract 5.3.0, 200 dpi, 2-core machine shared with other jobs, load ~4): the 33 scanned
pages of ../shared/real-docs at 0.44 pages/s (2-5 s a page, 1.7 s for a generated one-page memo);
phrases read there by eye (tests/data/realdocs_ocr.yaml) found in 12 of 18; fiscal year right in 1
of 3 scans that state one, the other two unsure (Thai digits), none sure and wrong.

Without Tesseract (or with OIT_OCR_ENABLED off) nothing here runs: `engine_status()` says why, the
scans stay flagged and the audit marks what depends on them `review`.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from crawler.text.dates import DateHit, find_dates
from crawler.extraction import Extraction, error_message, language_of, one_line, title_line
from crawler.text.thai import normalize

ENGINE = "tesseract"
LANGUAGES = "tha+eng"            # eng keeps URLs and e-mail addresses intact
DPI = 200                        # 150 lost a small-print leaflet; 300 took 1.4-2.2x as long
MAX_SIDE_PX = 5000               # a poster-sized page is rendered smaller than DPI says
MIN_SIDE_PX = 1600               # a small image is enlarged towards an A4 page at DPI (at most 3x)
MAX_PAGES = 20                   # per document (setting OIT_OCR_MAX_PAGES)
MAX_MEGAPIXELS = 80.0            # rendered per document: 20 A4 pages at 200 dpi (OIT_OCR_MAX_MEGAPIXELS)
TIMEOUT_S = 900.0                # per document, a safety net only (setting OIT_OCR_TIMEOUT): see above
MIN_CONFIDENCE = 40.0            # below this mean confidence the OCR text is not evidence
MIN_LETTERS = 20                 # ... nor with fewer letters than this
THAI_DIGIT_CONFIDENCE = 0.3      # a date in Thai digits read by OCR (see module docstring)
INSTALL_HINT = "sudo apt-get install tesseract-ocr tesseract-ocr-tha"
OCR_LAYERS = ("scan", "garbage", "empty")

_SCAN_PAGES = re.compile(r"^scan_pages:\s*([\d,\s]+)$")
_THAI_DIGIT = re.compile("[๐-๙]")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class OcrSettings:
    enabled: bool = True
    tesseract: str = ENGINE          # command name or path
    max_pages: int = MAX_PAGES
    max_megapixels: float = MAX_MEGAPIXELS
    timeout: float = TIMEOUT_S
    workers: int = 0                 # 0: one per CPU
    dpi: int = DPI
    languages: str = LANGUAGES

    @classmethod
    def from_settings(cls, settings) -> "OcrSettings":
        """From Scrapy settings (OIT_OCR_*); missing ones keep their defaults."""
        return cls(enabled=settings.getbool("OIT_OCR_ENABLED", True),
                   tesseract=settings.get("OIT_OCR_TESSERACT") or ENGINE,
                   max_pages=max(1, settings.getint("OIT_OCR_MAX_PAGES", MAX_PAGES)),
                   max_megapixels=max(1.0, settings.getfloat("OIT_OCR_MAX_MEGAPIXELS", MAX_MEGAPIXELS)),
                   timeout=max(1.0, settings.getfloat("OIT_OCR_TIMEOUT", TIMEOUT_S)),
                   workers=max(0, settings.getint("OIT_OCR_WORKERS", 0)),
                   dpi=max(72, settings.getint("OIT_OCR_DPI", DPI)))

    @property
    def pool_size(self) -> int:
        return self.workers or cpu_count()


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# -- the engine ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Engine:
    path: str
    name: str                        # "tesseract 5.3.0"
    osd: bool                        # orientation data installed: sideways pages are turned first


def engine_status(settings: OcrSettings) -> tuple[Engine | None, str | None]:
    """(engine, None) when OCR can run, else (None, why not) in one line."""
    if not settings.enabled:
        return None, "OCR turned off (OIT_OCR_ENABLED)"
    return _probe(settings.tesseract, settings.languages)


@lru_cache(maxsize=8)
def _probe(command: str, languages: str) -> tuple[Engine | None, str | None]:
    path = shutil.which(command)
    if path is None:
        return None, f"Tesseract not found ({command})"
    try:
        version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
        listed = subprocess.run([path, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"Tesseract does not run: {error_message(exc)}"
    words = (version.stdout or version.stderr).split()
    if version.returncode != 0 or len(words) < 2:
        return None, f"Tesseract does not run ({path} --version failed)"
    have = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()[1:]}
    missing = [lang for lang in languages.split("+") if lang not in have]
    if missing:
        return None, ("Tesseract language data missing: "
                      + ", ".join(f"{lang} (tesseract-ocr-{lang})" for lang in missing))
    return Engine(path, f"{words[0]} {words[1].lstrip('v')}", "osd" in have), None


# -- which pages --------------------------------------------------------------------------------------

def pages_to_read(extraction: Extraction) -> list[int]:
    """Page numbers (1-based) whose text must come from OCR; [] when the text layer is fine."""
    if extraction.error or extraction.ocr is not None:
        return []
    if extraction.format == "image":
        return [1]
    if extraction.format != "pdf" or not extraction.pages:
        return []
    if extraction.text_layer in OCR_LAYERS:
        return list(range(1, extraction.pages + 1))
    return scan_pages(extraction.warnings)


def scan_pages(warnings: list[str]) -> list[int]:
    for warning in warnings:
        match = _SCAN_PAGES.match(warning)
        if match:
            return [int(n) for n in re.findall(r"\d+", match.group(1))]
    return []


def needs_ocr(extraction: Extraction) -> bool:
    return bool(pages_to_read(extraction))


def stored_needs_ocr(known: dict) -> bool:
    """A stored extraction (crawler.evidence.store.Store.known_text) made without OCR that OCR could read:
    a re-crawl with Tesseract now installed reads it; one OCR already tried is never tried again."""
    warnings = known.get("warnings") or []
    if known.get("ocr") or known.get("error") or any(w.startswith("ocr: ") for w in warnings):
        return False
    if known.get("format") == "image":
        return True
    return known.get("format") == "pdf" and (known.get("text_layer") in OCR_LAYERS or bool(scan_pages(warnings)))


# -- rendering (caller's thread) ----------------------------------------------------------------------

@dataclass
class OcrJob:
    """Page images waiting for Tesseract, in a temporary folder that `close()` removes."""
    folder: Path
    pages: list[tuple[int, Path]]          # (page number, PNG)
    wanted: int                            # pages that needed OCR
    whole: bool                            # the OCR text replaces the document's text
    problems: list[str] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return len(self.pages) < self.wanted

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def prepare(body: bytes, extraction: Extraction, settings: OcrSettings) -> OcrJob | None:
    """Render the pages to read as PNG files, the first ones up to settings.max_pages and
    settings.max_megapixels; None when none."""
    wanted = pages_to_read(extraction)
    if not wanted:
        return None
    job = OcrJob(Path(tempfile.mkdtemp(prefix="oit-ocr-")), [], len(wanted),
                 whole=extraction.text_layer != "text")
    try:
        if extraction.format == "image":
            job.pages.append((1, _image_png(body, job.folder, settings.dpi)))
        else:
            _render_pdf(body, wanted[:settings.max_pages], job, settings.dpi, settings.max_megapixels)
    except Exception as exc:          # a hostile file must not stop the crawl
        job.problems.append(f"not rendered: {error_message(exc)}")
    return job


def _render_pdf(body: bytes, numbers: list[int], job: OcrJob, dpi: int, max_megapixels: float) -> None:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(body)
    except pdfium.PdfiumError:
        pdf = pdfium.PdfDocument(body, password="")
    budget = max_megapixels * 1e6
    try:
        for number in numbers:
            if number > len(pdf):
                break
            page = pdf[number - 1]
            try:
                width, height = page.get_size()
                scale = min(dpi / 72, MAX_SIDE_PX / max(width, height, 1))
                pixels = round(width * scale) * round(height * scale)
                if pixels > budget:
                    break                    # the pixel cap: this page and the rest are left out
                budget -= pixels
                # RGB, not 8-bit grey: on a rotated table page Tesseract took 37 s on the grey
                # image and 6.5 s on the same page in RGB, and read more of it.
                image = page.render(scale=scale).to_pil().convert("RGB")
            except pdfium.PdfiumError as exc:
                job.problems.append(f"page {number} not rendered: {exc}")
                continue
            finally:
                page.close()
            path = job.folder / f"page-{number:04d}.png"
            image.save(path, format="PNG", compress_level=1, dpi=(round(72 * scale),) * 2)
            job.pages.append((number, path))
    finally:
        pdf.close()


def _image_png(body: bytes, folder: Path, dpi: int) -> Path:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(body)) as original:
        original.seek(0)
        image = ImageOps.exif_transpose(original).convert("RGB")
    longest = max(image.size)
    target = 11.69 * dpi                       # the long side of an A4 page at `dpi`
    scale = MAX_SIDE_PX / longest if longest > MAX_SIDE_PX else \
        min(3.0, target / longest) if longest < MIN_SIDE_PX else 1.0
    if scale != 1.0:
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                             Image.LANCZOS)
    path = folder / "page-0001.png"
    image.save(path, format="PNG", compress_level=1, dpi=(dpi, dpi))
    return path


# -- recognition (any thread) -------------------------------------------------------------------------

@dataclass
class PageReading:
    number: int
    text: str                              # normalised
    confidences: list[float]               # one per recognised symbol or word


@dataclass
class OcrResult:
    engine: str
    readings: list[PageReading]
    wanted: int                            # pages that needed OCR
    capped: bool                           # pages left out: page or pixel cap, or a failing page
    seconds: float
    whole: bool
    problems: list[str] = field(default_factory=list)
    cut_short: bool = False                # the time safety net stopped a page: nothing is used

    @property
    def text(self) -> str:
        return "\n\n".join(r.text for r in sorted(self.readings, key=lambda r: r.number) if r.text)

    @property
    def confidence(self) -> float:
        values = [c for r in self.readings for c in r.confidences]
        return sum(values) / len(values) if values else 0.0

    @property
    def usable(self) -> bool:
        """Good enough to judge by: enough letters read with enough confidence."""
        return self.confidence >= MIN_CONFIDENCE and len(_LETTER.findall(self.text)) >= MIN_LETTERS

    def as_dict(self) -> dict:
        return {"engine": self.engine, "confidence": round(self.confidence, 1),
                "pages": len(self.readings), "capped": self.capped}


_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_size = 0


def _executor(size: int) -> ThreadPoolExecutor:
    """The one page pool of the process: N documents at once still run at most `size` Tesseracts."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size != size:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool, _pool_size = ThreadPoolExecutor(size, thread_name_prefix="oit-ocr"), size
        return _pool


class _Clock:
    """The document's time cap, counted from when its first page starts (not while queued)."""

    def __init__(self, limit: float):
        self.limit = limit
        self.started: float | None = None
        self._lock = threading.Lock()

    def remaining(self) -> float:
        with self._lock:
            now = time.monotonic()
            if self.started is None:
                self.started = now
            return self.limit - (now - self.started)


def recognise(job: OcrJob, engine: Engine, settings: OcrSettings) -> OcrResult:
    """Run Tesseract over the job's pages in the shared pool; blocks until done or out of time."""
    started = time.monotonic()
    clock = _Clock(settings.timeout)
    problems = list(job.problems)
    pool = _executor(settings.pool_size)
    futures = [pool.submit(_read_page, number, path, engine, settings, clock) for number, path in job.pages]
    readings, cut_short = [], False
    for future in futures:
        reading, problem = future.result()
        if reading is not None:
            readings.append(reading)
        if problem:
            problems.append(problem)
            cut_short = cut_short or problem.endswith(_OVER_TIME)
    return OcrResult(engine.name, readings, job.wanted, capped=len(readings) < job.wanted,
                     seconds=time.monotonic() - started, whole=job.whole, problems=problems,
                     cut_short=cut_short)


_OVER_TIME = "time safety net"


def _read_page(number: int, path: Path, engine: Engine, settings: OcrSettings,
               clock: _Clock) -> tuple[PageReading | None, str | None]:
    over = f"page {number}: stopped by the {settings.timeout:g} s {_OVER_TIME}"
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        if engine.osd:
            _upright(path, engine, clock, env)
        remaining = clock.remaining()
        if remaining <= 0:
            return None, over
        base = path.with_suffix("")
        done = subprocess.run([engine.path, str(path), str(base), "-l", settings.languages, "--psm", "3",
                               "txt", "tsv"], capture_output=True, timeout=remaining, env=env)
    except subprocess.TimeoutExpired:
        return None, over
    except OSError as exc:
        return None, f"page {number}: {error_message(exc)}"
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, f"page {number}: tesseract failed ({message[-1][:200] if message else done.returncode})"
    try:
        text = Path(f"{base}.txt").read_text(encoding="utf-8", errors="replace")
        tsv = Path(f"{base}.tsv").read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return None, f"page {number}: {error_message(exc)}"
    return PageReading(number, normalize(text), _confidences(tsv)), None


_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_ORIENTATION_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")
MIN_ORIENTATION_CONFIDENCE = 2.0


def _upright(path: Path, engine: Engine, clock: _Clock, env: dict) -> None:
    """Turn a sideways or upside-down page (landscape tables scanned portrait) before reading it.
    Tesseract's own page-orientation mode (--psm 1) took 30-50 s instead of 5 s on such a page."""
    remaining = clock.remaining()
    if remaining <= 0:
        return
    done = subprocess.run([engine.path, str(path), "stdout", "--psm", "0"], capture_output=True,
                          timeout=remaining, env=env)
    said = done.stdout.decode("utf-8", "replace")
    rotate, confidence = _ROTATE.search(said), _ORIENTATION_CONFIDENCE.search(said)
    if done.returncode != 0 or not rotate or not confidence:
        return                                   # too little text to tell: read as it is
    degrees = int(rotate.group(1)) % 360
    if degrees and float(confidence.group(1)) >= MIN_ORIENTATION_CONFIDENCE:
        from PIL import Image
        with Image.open(path) as image:
            turned = image.rotate(-degrees, expand=True)    # Tesseract says clockwise; PIL turns anticlockwise
            info = image.info.get("dpi")
        turned.save(path, format="PNG", compress_level=1, **({"dpi": info} if info else {}))


def _confidences(tsv: str) -> list[float]:
    """Confidences of the recognised words (Tesseract's Thai "words" are single clusters)."""
    values = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            continue
        if conf >= 0:
            values.append(conf)
    return values


# -- the result into the Extraction --------------------------------------------------------------------

def apply(extraction: Extraction, result: OcrResult) -> str:
    """Put the OCR text into the extraction; returns that text ("" when too poor to be evidence)."""
    pages = len(result.readings)
    said = f"{result.engine}, {pages} of {result.wanted} pages, confidence {result.confidence:.0f}"
    extraction.warnings = [w for w in extraction.warnings if not w.startswith("image: no text layer")]
    for problem in result.problems[:5]:
        extraction.warnings.append(f"ocr problem: {problem}")
    if result.cut_short:
        # What a busy machine finished in time is not evidence: the same file must give the same
        # verdict on any machine. Read as if there were no OCR (a scan stays unread: "review").
        extraction.warnings.append(f"ocr: cut short by the time safety net, not used ({said}); "
                                   "the document is reviewed by a person")
        return ""
    if not result.usable:
        extraction.warnings.append(f"ocr: unreadable ({said})")
        return ""
    text = result.text
    if result.whole:
        extraction.text = text
    else:
        extraction.text = f"{extraction.text}\n\n{text}".strip()
    if not extraction.title:
        extraction.title = one_line(title_line(text))
    extraction.language = language_of(extraction.text)
    extraction.extractor = f"{extraction.extractor}+tesseract" if extraction.extractor not in ("", "none") \
        else "tesseract"
    extraction.ocr = result.as_dict()
    extraction.warnings.append(f"ocr: {said}" + (" (capped)" if result.capped else ""))
    return text


def ocr_extraction(body: bytes, extraction: Extraction, settings: OcrSettings | None = None) -> str:
    """Prepare, recognise and apply in one call (the CLI's `inspect`, the benchmark, tests).
    Returns the OCR text used; the extraction gets a warning when OCR is unavailable."""
    result = read_scans(body, extraction, settings or OcrSettings())
    return apply(extraction, result) if result is not None else ""


def read_scans(body: bytes, extraction: Extraction, settings: OcrSettings) -> OcrResult | None:
    """The OCR of the pages that need it (not applied yet); None when none do or OCR is
    unavailable (the extraction then says why in a warning)."""
    if not needs_ocr(extraction):
        return None
    engine, problem = engine_status(settings)
    if engine is None:
        extraction.warnings.append(f"ocr unavailable: {problem}")
        return None
    job = prepare(body, extraction, settings)
    if job is None:
        return None
    try:
        return recognise(job, engine, settings)
    finally:
        job.close()


# -- dates read by OCR ----------------------------------------------------------------------------------

# A year slot followed by Thai digits: "ปีงบประมาณ พ.ศ. ๒๕๒", "ประจำปี ๒๕๒๒๐", "พ.ศ. ๒๕".
_YEAR_SLOT = re.compile(r"(?:(?P<fiscal>ปี\s?งบ(?:\s?ประมาณ)?)|ประจำ\s?ปี|พ\.?\s?ศ\.?)\s*(?:พ\.?\s?ศ\.?\s*)?"
                        r"(?P<digits>[๐-๙]{2,6})(?![๐-๙0-9])")


def unsure_dates(dates: list[dict], ocr_text: str) -> list[dict]:
    """Dates found in text that came from OCR, each Thai-digit one made low-confidence."""
    if not ocr_text:
        return dates
    out = []
    for found in dates:
        if _THAI_DIGIT.search(found.get("match") or "") and found["match"] in ocr_text:
            found = {**found, "confidence": min(found.get("confidence", 1.0), THAI_DIGIT_CONFIDENCE)}
        out.append(found)
    return out


def unreadable_years(ocr_text: str) -> list[DateHit]:
    """Year slots in OCR text whose Thai digits did not come out as a plausible year ("พ.ศ. ๒๕๒"):
    unsure years of 2500 ("25xx", only the first two digits are known), so the audit reviews the
    document instead of failing it for want of a year."""
    out = []
    for slot in _YEAR_SLOT.finditer(ocr_text):
        matched, digits = slot.group(), slot.group("digits")
        if not digits.startswith("๒๕") or find_dates(matched):
            continue                      # not a year of this era, or read as one (unsure_dates weighs it)
        kind = "fiscal_year" if slot.group("fiscal") else "year"
        out.append(DateHit(None, None, None, 2500, kind, matched, THAI_DIGIT_CONFIDENCE / 2))
    return out


# -- figures -------------------------------------------------------------------------------------------

REAL_DOCS = Path(__file__).resolve().parents[2].parent / "shared" / "real-docs"


def ocr_benchmark(folder: str | Path | None = None, settings: OcrSettings | None = None,
                  verbose: bool = True) -> dict:
    """OCR every scan (and garbage or partly scanned PDF) in ../shared/real-docs; pages/s.

    Returns {"engine", "documents", "pages", "seconds", "pages_per_s", "workers", "dpi", "files": [...]}
    (each file: pages read, confidence, usable, capped, seconds, text)
    or {"skipped": why} when Tesseract or the folder is missing."""
    from crawler.extraction import extract

    settings = settings or OcrSettings(max_pages=1000, max_megapixels=1e6, timeout=3600)
    root = Path(folder) if folder else REAL_DOCS
    engine, problem = engine_status(settings)
    if engine is None or not root.is_dir():
        why = problem or f"no folder {root}"
        if verbose:
            print(f"ocr benchmark skipped: {why}")
        return {"skipped": why}
    found = []                     # (path, extraction, body): the documents that need OCR
    for path in sorted(p for p in root.rglob("*") if p.suffix.lower() in (".pdf", ".png", ".jpg", ".jpeg")):
        body = path.read_bytes()
        extraction = extract(body, filename=path.name)
        if needs_ocr(extraction):
            found.append((path, extraction, body))
    # As in a crawl: pages rendered one document after another, then every document's pages read
    # at once by the shared pool.
    started = time.monotonic()
    jobs = [(path, extraction, prepare(body, extraction, settings)) for path, extraction, body in found]
    with ThreadPoolExecutor(max(1, len(jobs))) as documents:
        results = list(documents.map(lambda job: recognise(job[2], engine, settings), jobs))
    files = []
    for (path, extraction, job), result in zip(jobs, results):
        job.close()
        files.append({"file": str(path.relative_to(root)), "text_layer": extraction.text_layer,
                      "pages": len(result.readings), "confidence": round(result.confidence, 1),
                      "usable": result.usable, "capped": result.capped, "text": result.text})
        if verbose:
            f = files[-1]
            print(f"  {f['file']}: {f['pages']} pages, confidence {f['confidence']}")
    seconds = time.monotonic() - started
    pages = sum(f["pages"] for f in files)
    result = {"engine": engine.name, "documents": len(files), "pages": pages, "seconds": round(seconds, 2),
              "pages_per_s": round(pages / seconds, 3) if seconds else 0.0,
              "workers": settings.pool_size, "dpi": settings.dpi, "files": files}
    if verbose:
        print(f"OCR ({engine.name}, {settings.pool_size} workers, {settings.dpi} dpi): {pages} pages of "
              f"{len(files)} documents in {seconds:.1f} s = {result['pages_per_s']:.2f} pages/s")
    return result
