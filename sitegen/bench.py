"""`make bench`: crawl a large generated district site and compare with wget + pdftotext.

    python -m sitegen.bench                     # the `large` scenario: 2,001 pages, 643 documents
    python -m sitegen.bench --pages 300 --pdfs 60 --xlsx 10 --docx 10      # a quick run
    python -m sitegen.bench -s OIT_EXTRACT_WORKERS=0      # any crawl setting (here: no extraction workers)
    python -m sitegen.bench --profile           # also cProfile the first crawl (bench-out/crawl.prof)

What it does, in one run on one machine:

1. generates the `large` scenario (cached in bench-out/sitegen/) and serves it on 127.0.0.1;
2. `oit crawl` into a fresh store (a subprocess: --delay 0 --concurrency 8 --no-progress, OCR off
   unless --with-ocr: pdftotext does not OCR either), timed, with its CPU time and peak memory (the
   summed RSS of the crawl process and its extraction workers, polled from /proc);
3. `wget --mirror` of the same site (download only, depth 8 as the crawler's default) and `pdftotext`
   over the same PDFs (extraction only), timed: the ratio crawl / (wget + pdftotext) is the headline
   (the aim, issue 2: within 2x, and peak memory under 500 MB); CPU seconds beside wall seconds, the
   steadier figure on a machine shared with other work;
4. our PDF extractor alone over the same PDFs, in this process (pages/s beside pdftotext's);
5. a second crawl into the same store (the weekly re-crawl: time and bytes received against the first);
6. OCR pages/s when crawler/extraction/ocr.py offers `ocr_benchmark()`.

Results: a table on stdout and bench-out/bench.json.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench-out"
MAX_RATIO = 2.0
MAX_PEAK_MB = 500
WGET_DEPTH = 8                  # the crawler's default OIT_MAX_DEPTH


# -- running a timed child process ------------------------------------------------------------------

def run_timed(argv: list[str], *, log: Path, cwd: Path | None = None, env: dict | None = None) -> dict:
    """Run a command to the end: wall time, exit code, CPU seconds (it and the children it waited for),
    the peak RSS of its largest process, and the peak of the summed RSS of its process tree (MB)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        tree = TreeMemory(proc.pid)
        tree.start()
        _, status, usage = os.wait4(proc.pid, 0)
        tree.stop()
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss: kilobytes on Linux, bytes on macOS
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return {"wall_s": wall, "exit": proc.returncode, "peak_rss_mb": peak,
            "peak_tree_rss_mb": max(tree.peak_mb, peak), "cpu_s": usage.ru_utime + usage.ru_stime,
            "log": str(log)}


class TreeMemory(threading.Thread):
    """Polls /proc for the summed resident memory of a process and its descendants (extraction
    workers, converters): the memory the crawl really takes. No-op where /proc is missing."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_mb = 0.0
        self._stopped = threading.Event()

    def run(self) -> None:
        if not Path("/proc/self/status").exists():
            return
        while not self._stopped.is_set():
            self.peak_mb = max(self.peak_mb, sum(_rss_mb(p) for p in _descendants(self.pid)))
            self._stopped.wait(self.interval)

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=2)


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(c) for c in children.read_text().split()]
            except OSError:
                pass
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def oit_argv(*args: str, profile: Path | None = None) -> list[str]:
    """The `oit` command as the installed console script runs it (python -c keeps one crawler.cli module)."""
    if profile is None:
        code = "import sys; from crawler.cli import main; sys.exit(main())"
    else:
        code = ("import cProfile, sys; from crawler.cli import main; "
                f"cProfile.run('rc = main()', {str(profile)!r}); sys.exit(rc)")
    return [sys.executable, "-c", code, *args]


# -- the pieces -------------------------------------------------------------------------------------

def generate_site(out: Path, sizes: dict):
    from sitegen import cached
    started = time.perf_counter()
    site = cached("large", out / "sitegen", **sizes)
    return site, time.perf_counter() - started


def site_figures(site) -> dict:
    docs = [d for d in site.manifest.documents.values()]
    pdfs = [d for d in docs if d.format == "pdf"]
    return {
        "pages": len(site.manifest.pages),
        "documents": len(docs),
        "pdfs": len(pdfs),
        "multi_page_pdfs": sum(1 for d in pdfs if (d.pages or 0) > 1),
        "pdf_pages": sum(d.pages or 0 for d in pdfs),
        "scan_pdfs": sum(1 for d in pdfs if d.variant == "scan"),
        "scan_pages": sum(d.pages or 0 for d in pdfs if d.variant == "scan"),
        "xlsx": sum(1 for d in docs if d.format == "xlsx"),
        "docx": sum(1 for d in docs if d.format == "docx"),
    }


def crawl(url: str, db: Path, log: Path, concurrency: int, settings: list[str], profile: Path | None = None) -> dict:
    extra = [arg for setting in settings for arg in ("-s", setting)]
    argv = oit_argv("--db", str(db), "crawl", url, "--delay", "0", "--concurrency", str(concurrency),
                    "--no-progress", *extra, profile=profile)
    result = run_timed(argv, log=log, cwd=ROOT)
    if result["exit"] != 0:
        raise SystemExit(f"bench: the crawl failed (exit {result['exit']}); see {log}")
    return result


def run_figures(db: Path) -> dict:
    """Counts and stats of the newest run in the store."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        run = con.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        run_id = run["id"]
        counts = con.execute(
            """SELECT SUM(kind='page' AND ok) AS pages, SUM(kind!='page' AND ok) AS documents,
                      SUM(NOT ok) AS errors, COUNT(*) AS resources, SUM(from_cache) AS from_cache
               FROM resources WHERE run_id=?""", (run_id,)).fetchone()
        pdf = con.execute(
            """SELECT COUNT(*) AS n, COALESCE(SUM(t.pages), 0) AS pages FROM resources r
               JOIN texts t ON t.sha256 = r.sha256 WHERE r.run_id=? AND r.ok AND t.format='pdf'""",
            (run_id,)).fetchone()
        stats = json.loads(run["stats"] or "{}")
    finally:
        con.close()
    return {
        "run_id": run_id, "status": run["status"],
        "pages": counts["pages"] or 0, "documents": counts["documents"] or 0, "errors": counts["errors"] or 0,
        "resources": counts["resources"] or 0, "from_cache": counts["from_cache"] or 0,
        "pdfs": pdf["n"], "pdf_pages": pdf["pages"],
        "received_bytes": stats.get("received_bytes"),
        "response_bytes": stats.get("downloader/response_bytes"),
        "extracted": stats.get("extracted", 0), "extraction_reused": stats.get("extraction_reused", 0),
        "spider_elapsed_s": stats.get("elapsed_time_seconds"),
    }


def ensure_wget() -> str | None:
    found = shutil.which("wget")
    if found is None:
        subprocess.run([str(ROOT / "scripts" / "install-system-deps"), "--with-bench"], check=False)
        found = shutil.which("wget")
    return found


def wget_mirror(wget: str, url: str, folder: Path, log: Path) -> dict:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    argv = [wget, "--mirror", f"--level={WGET_DEPTH}", "--no-parent", "--no-verbose", "--tries=1",
            "--timeout=30", "--directory-prefix", str(folder), url]
    result = run_timed(argv, log=log)
    files = [p for p in folder.rglob("*") if p.is_file()]
    result["files"] = len(files)
    result["bytes"] = sum(p.stat().st_size for p in files)
    # wget exits 8 when some URLs answered with an error (the site's deliberate 404 and 500 pages)
    result["ok"] = result["exit"] in (0, 8)
    return result


def write_pdfs(site, folder: Path) -> list[tuple[Path, int]]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    written = []
    for n, (path, doc) in enumerate(sorted(site.manifest.documents.items())):
        if doc.format != "pdf" or doc.host != "main" or path not in site.resources:
            continue
        file = folder / f"{n:05d}.pdf"
        file.write_bytes(site.resources[path].body)
        written.append((file, doc.pages or 0))
    return written


def pdftotext_all(pdfs: list[tuple[Path, int]], folder: Path) -> dict | None:
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    failed = 0
    for file, _ in pdfs:
        done = subprocess.run([tool, "-enc", "UTF-8", str(file), str(folder / (file.stem + ".txt"))],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        failed += done.returncode != 0
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    pages = sum(p for _, p in pdfs)
    return {"wall_s": wall, "cpu_s": cpu, "pdfs": len(pdfs), "pages": pages, "failed": failed,
            "pages_per_s": pages / wall if wall else None}


def extract_only(pdfs: list[tuple[Path, int]]) -> dict:
    """Our PDF extractor alone over the same files, in this process."""
    from crawler.extraction import extract
    started, cpu0 = time.perf_counter(), time.process_time()
    pages = 0
    for file, _ in pdfs:
        result = extract(file.read_bytes(), content_type="application/pdf", filename=file.name)
        pages += result.pages or 0
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu0
    return {"wall_s": wall, "cpu_s": cpu, "pdfs": len(pdfs), "pages": pages,
            "pages_per_s": pages / wall if wall else None}


def ocr_figures() -> dict | None:
    """OCR pages/s from crawler.extraction.ocr.ocr_benchmark(), when that exists."""
    try:
        module = importlib.import_module("crawler.extraction.ocr")
    except ImportError:
        return None
    bench = getattr(module, "ocr_benchmark", None)
    if bench is None:
        return None
    try:
        quiet = "verbose" in inspect.signature(bench).parameters
        result = bench(verbose=False) if quiet else bench()
    except Exception as exc:           # the OCR engine missing or failing must not lose the other figures
        return {"error": f"{type(exc).__name__}: {exc}"}
    if isinstance(result, (int, float)):
        return {"pages_per_s": float(result)}
    if isinstance(result, dict):
        # the figures only: not the OCR'd texts some implementations return alongside
        result = {k: v for k, v in result.items() if not isinstance(v, (list, dict))}
        for key in ("pages_per_s", "pages_per_second", "pages/s", "rate"):
            if key in result and "pages_per_s" not in result:
                result["pages_per_s"] = result[key]
        return json.loads(json.dumps(result, default=str))
    return {"result": str(result)}


# -- the report -------------------------------------------------------------------------------------

def _rate(n, seconds) -> float | None:
    return n / seconds if n and seconds else None


def summarise(results: dict) -> dict:
    first, again = results["crawl"], results.get("recrawl")
    wget, pdftotext = results.get("wget"), results.get("pdftotext")
    wall = first["wall_s"]
    summary = {
        "crawl_wall_s": wall,
        "pages_per_s": _rate(first["run"]["pages"], wall),
        "documents_per_s": _rate(first["run"]["documents"], wall),
        "pdf_pages_per_s": _rate(first["run"]["pdf_pages"], wall),
        "peak_rss_mb": first["peak_tree_rss_mb"],      # the crawl process and its extraction workers
    }
    if wget and pdftotext:
        baseline = wget["wall_s"] + pdftotext["wall_s"]
        summary["baseline_wall_s"] = baseline
        summary["ratio"] = wall / baseline if baseline else None
        # CPU seconds: the fairer figure on a machine shared with other work
        cpu = wget["cpu_s"] + pdftotext["cpu_s"]
        summary["cpu_ratio"] = first["cpu_s"] / cpu if cpu else None
    if again:
        b1 = first["run"]["received_bytes"] or first["run"]["response_bytes"]
        b2 = again["run"]["received_bytes"] or again["run"]["response_bytes"]
        summary["recrawl_wall_s"] = again["wall_s"]
        summary["recrawl_time_share"] = again["wall_s"] / wall if wall else None
        summary["recrawl_bytes_share"] = b2 / b1 if b1 and b2 is not None else None
    summary["within_aim"] = (summary.get("ratio") is not None and summary["ratio"] <= MAX_RATIO
                             and summary["peak_rss_mb"] <= MAX_PEAK_MB)
    return summary


def _n(value, fmt="{:,.1f}") -> str:
    return "–" if value is None else fmt.format(value)


def _mb(n) -> str:
    return "–" if n is None else f"{n / 1024 / 1024:,.1f} MB"


def print_table(results: dict, stream=None) -> None:
    out = stream or sys.stdout
    w = lambda s="": print(s, file=out)  # noqa: E731
    site, s = results["site"], results["summary"]
    first, again = results["crawl"], results.get("recrawl")
    wget, pdftotext, ours, ocr = (results.get(k) for k in ("wget", "pdftotext", "extract_only", "ocr"))
    w(f"ผลการวัดความเร็ว / Benchmark — {results['machine']}")
    w(f"เว็บไซต์ทดสอบ/site: {site['pages']:,} pages, {site['documents']:,} documents ({site['pdfs']} PDF, "
      f"{site['multi_page_pdfs']} multi-page, {site['pdf_pages']:,} PDF pages; {site['xlsx']} XLSX, "
      f"{site['docx']} DOCX), concurrency {results['concurrency']}"
      + (f", settings {' '.join(results['crawl_settings'])}" if results.get("crawl_settings") else ""))
    w()
    rows = [
        ("", "oit crawl", "wget + pdftotext"),
        ("wall time (s)", _n(first["wall_s"]),
         f"{_n(wget['wall_s'])} + {_n(pdftotext['wall_s'])} = {_n(s.get('baseline_wall_s'))}"
         if wget and pdftotext else "–"),
        ("CPU time (s)", _n(first["cpu_s"]),
         f"{_n(wget['cpu_s'])} + {_n(pdftotext['cpu_s'])} = {_n(wget['cpu_s'] + pdftotext['cpu_s'])}"
         if wget and pdftotext else "–"),
        ("pages/s", _n(s["pages_per_s"]), _n(_rate(site["pages"], wget["wall_s"])) if wget else "–"),
        ("documents/s", _n(s["documents_per_s"]), "–"),
        ("PDF pages/s (in the crawl)", _n(s["pdf_pages_per_s"]), "–"),
        ("PDF pages/s (extraction only)", _n(ours["pages_per_s"]) if ours else "–",
         _n(pdftotext["pages_per_s"]) if pdftotext else "–"),
        ("peak memory (process tree)", f"{_n(first['peak_tree_rss_mb'], '{:,.0f}')} MB"
         f" (largest process {_n(first['peak_rss_mb'], '{:,.0f}')} MB)",
         f"wget {_n(wget['peak_rss_mb'], '{:,.0f}')} MB" if wget else "–"),
        ("fetched", f"{first['run']['resources']:,} URLs ({first['run']['errors']} errors)",
         f"{wget['files']:,} files" if wget else "–"),
        ("bytes received", _mb(first["run"]["received_bytes"] or first["run"]["response_bytes"]),
         _mb(wget["bytes"]) if wget else "–"),
    ]
    widths = [max(len(r[k]) for r in rows) for k in range(3)]
    for n, row in enumerate(rows):
        w("  ".join(cell.ljust(widths[k]) for k, cell in enumerate(row)).rstrip())
        if n == 0:
            w("  ".join("-" * widths[k] for k in range(3)))
    w()
    if s.get("ratio") is not None:
        verdict = "ผ่าน/within" if s["ratio"] <= MAX_RATIO else "เกิน/over"
        w(f"crawl+extract / (wget+pdftotext) = {s['ratio']:.2f}x wall time  ({verdict} the {MAX_RATIO:g}x aim); "
          f"{s['cpu_ratio']:.2f}x CPU time")
    w(f"peak memory {s['peak_rss_mb']:.0f} MB ({'ผ่าน/within' if s['peak_rss_mb'] <= MAX_PEAK_MB else 'เกิน/over'} "
      f"the {MAX_PEAK_MB} MB aim)")
    if again:
        w(f"re-crawl/เก็บซ้ำ: {_n(again['wall_s'])} s ({_n(s.get('recrawl_time_share'), '{:.0%}')} of the first), "
          f"{_mb(again['run']['received_bytes'] or again['run']['response_bytes'])} received "
          f"({_n(s.get('recrawl_bytes_share'), '{:.1%}')} of the first), "
          f"{again['run']['extraction_reused']} extractions reused, {again['run']['from_cache']} answered 304")
    if ocr is None:
        w("OCR: crawler/extraction/ocr.py has no ocr_benchmark() yet — not measured")
    elif "error" in ocr:
        w(f"OCR: not measured ({ocr['error']})")
    elif ocr.get("skipped"):
        w(f"OCR: not measured ({ocr['skipped']})")
    else:
        rate = ocr.get("pages_per_s")
        scans = site.get("scan_pages") or 0
        extra = (f"; the site's {site['scan_pdfs']} scanned PDFs ({scans} pages) would add about "
                 f"{scans / rate:,.0f} s of OCR to a crawl with OCR on" if rate and scans else "")
        w(f"OCR: {_n(rate, '{:.2f}')} pages/s ({ocr.get('engine', '')}, {ocr.get('workers', '?')} workers, "
          f"{ocr.get('pages', '?')} pages of the real scans){extra}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitegen.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results folder (default bench-out/)")
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--pdfs", type=int, default=440)
    parser.add_argument("--xlsx", type=int, default=100)
    parser.add_argument("--docx", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8, help="parallel requests per host (default 8)")
    parser.add_argument("--no-recrawl", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile the first crawl into OUT/crawl.prof")
    parser.add_argument("--with-ocr", action="store_true",
                        help="OCR the site's scans during the crawl (off by default: pdftotext does not OCR "
                             "either; OCR is measured on its own)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a crawl setting, e.g. -s OIT_EXTRACT_WORKERS=0")
    args = parser.parse_args(argv)

    from sitegen import serve_pair
    from sitegen import server as sitegen_server

    # The loopback server writes headers and body in separate sends: with Nagle's algorithm and the
    # client's delayed ACK every request after the first on a kept-alive connection waits ~40 ms, which
    # would make this a benchmark of that stall (wget, one connection: 20 s for 500 URLs).
    sitegen_server._Handler.disable_nagle_algorithm = True
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    sizes = {"pages": args.pages, "pdfs": args.pdfs, "xlsx": args.xlsx, "docx": args.docx}
    print(f"bench: generating the site {sizes} (cached in {out / 'sitegen'}) …", flush=True)
    site, generated_in = generate_site(out, sizes)
    results: dict = {
        "machine": f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}",
        "concurrency": args.concurrency, "site": site_figures(site), "generated_s": generated_in,
    }
    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "bench.sqlite"
    settings = ([] if args.with_ocr else ["OIT_OCR_ENABLED=False"]) + args.set
    results["crawl_settings"] = settings
    with serve_pair(site) as server:
        url = server.start_url
        print(f"bench: serving {url}; crawling …", flush=True)
        profile = out / "crawl.prof" if args.profile else None
        first = crawl(url, db, work / "crawl-1.log", args.concurrency, settings, profile)
        first["run"] = run_figures(db)
        results["crawl"] = first
        print(f"bench: crawl {first['wall_s']:.1f} s; wget --mirror …", flush=True)
        wget = ensure_wget()
        results["wget"] = wget_mirror(wget, url, work / "wget", work / "wget.log") if wget else None
        print("bench: pdftotext …", flush=True)
        pdfs = write_pdfs(site, work / "pdfs")
        results["pdftotext"] = pdftotext_all(pdfs, work / "pdfs")
        print("bench: our PDF extraction alone …", flush=True)
        results["extract_only"] = extract_only(pdfs)
        if not args.no_recrawl:
            print("bench: re-crawl into the same store …", flush=True)
            again = crawl(url, db, work / "crawl-2.log", args.concurrency, settings)
            again["run"] = run_figures(db)
            results["recrawl"] = again
    results["ocr"] = ocr_figures()
    results["summary"] = summarise(results)
    (out / "bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print()
    print_table(results)
    print(f"\nbench: results in {out / 'bench.json'}")
    if profile is not None:
        import pstats
        print(f"\nprofile of the first crawl ({profile}), top by cumulative time:")
        pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
