"""The `oit` command."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from crawler.evidence.store import DEFAULT_DB, Store, StoreError

EXIT_OK, EXIT_BELOW, EXIT_USAGE, EXIT_UNHEALTHY = 0, 1, 2, 3


class UsageError(Exception):
    """Bad usage or input: one line for the user, exit code 2."""


# -- crawling ---------------------------------------------------------------------------------------

def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"not a web address: {url!r} (expected http:// or https://…)")
    return url


def crawl(url: str, db: Path, *, max_pages: int | None = None, max_depth: int | None = None,
          settings: dict | None = None) -> int:
    """Crawl a site into the evidence store; returns the run id."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.crawl.transfer import TransferStats
    from spiders.site import SiteSpider

    s = Settings()
    s.setmodule("crawler.crawl.settings", priority="project")
    s.set("OIT_DB", str(db), priority="cmdline")
    s.set("HTTPCACHE_DIR", str(Path(db).resolve()) + ".httpcache", priority="cmdline")
    # Bytes that really crossed the network (a 304 re-crawl costs headers only): oit/received_bytes.
    s.setdefault_in_component_priority_dict("EXTENSIONS", TransferStats, 510)
    if max_pages is not None:
        s.set("OIT_MAX_PAGES", max_pages, priority="cmdline")
    if max_depth is not None:
        s.set("OIT_MAX_DEPTH", max_depth, priority="cmdline")
    for key, value in (settings or {}).items():
        s.set(key, value, priority="cmdline")
    s.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(s)
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, url=url)
    process.start()
    run_id = crawler.stats.get_value("oit/run_id")
    if run_id is None:
        raise UsageError("the crawl did not start (see the messages above)")
    store = getattr(crawler, "oit_store", None)
    if store is not None:
        store.close()
    return int(run_id)


def parse_settings(pairs: list[str]) -> dict:
    out = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise UsageError(f"-s expects NAME=VALUE, got {pair!r}")
        k, v = pair.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def crawl_settings(args) -> dict:
    settings = parse_settings(getattr(args, "set", None))
    if getattr(args, "delay", None) is not None:
        settings["DOWNLOAD_DELAY"] = args.delay
        settings["AUTOTHROTTLE_START_DELAY"] = args.delay
        if args.delay == 0:
            settings["AUTOTHROTTLE_ENABLED"] = False
    if getattr(args, "concurrency", None):
        settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = args.concurrency
        settings["CONCURRENT_REQUESTS"] = max(8, args.concurrency * 2)
    if getattr(args, "no_progress", False):
        settings["OIT_PROGRESS"] = False
    return settings


def start_failure(store: Store, run_id: int) -> str | None:
    """Why the start page could not be fetched, or None."""
    run = store.run(run_id)
    start = store.db.execute("SELECT ok, error_kind, error FROM resources WHERE run_id=? AND url=?",
                             (run_id, run["site_url"])).fetchone()
    if start is None:
        return "the start page was never fetched"
    if not start["ok"]:
        return f"{start['error_kind']}: {start['error']}"
    return None


def cmd_crawl(args) -> int:
    url = check_url(args.url)
    run_id = crawl(url, args.db, max_pages=args.max_pages, max_depth=args.max_depth,
                   settings=crawl_settings(args))
    store = Store(args.db)
    counts = store.counts(run_id)
    run = store.run(run_id)
    print(f"run {run_id} ({run['status']}): {counts['pages']} pages, {counts['documents']} documents, "
          f"{counts['errors']} errors — stored in {args.db}")
    why = start_failure(store, run_id)
    if why:
        print(f"oit: cannot reach {url}: {why}", file=sys.stderr)
        return EXIT_UNHEALTHY
    return EXIT_OK


def cmd_runs(args) -> int:
    from crawler.history.runs import print_runs, run_summaries
    summaries = run_summaries(Store(args.db), args.site)
    if not summaries:
        print(f"no runs stored in {args.db}")
        return EXIT_OK
    print_runs(summaries, sys.stdout)     # with each run's fiscal year, score and health (latest audit)
    return EXIT_OK


# -- argument parsing -------------------------------------------------------------------------------

class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(EXIT_USAGE, f"oit: {message} (see 'oit {self.prog.split()[-1]} --help')\n"
                  if " " in self.prog else f"oit: {message} (see 'oit --help')\n")


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def fiscal_year(value: str) -> int:
    """--fiscal-year: crawler.text.dates.parse_fiscal_year; a CE year is converted and said so."""
    from crawler.text.dates import parse_fiscal_year
    try:
        parsed = parse_fiscal_year(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if parsed.note:
        print(f"oit: {parsed.note}", file=sys.stderr)
    return parsed.year


def positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {value!r}")
    return n


def add_crawl_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-pages", type=positive_int, help="most in-scope pages to crawl (default 3000)")
    p.add_argument("--max-depth", type=positive_int, help="most links from the start page (default 8)")
    p.add_argument("--delay", type=float, help="seconds between requests to a host (default 0.5, adaptive)")
    p.add_argument("--concurrency", type=positive_int, help="parallel requests per host (default 2)")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="any Scrapy setting")
    p.add_argument("--no-progress", action="store_true", help="no live progress line")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="oit", description="Predict a Thai district office's OIT score from its website.")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help=f"evidence store (SQLite file; default ./{DEFAULT_DB}, or $OIT_DB)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    p = sub.add_parser("crawl", help="crawl a district website into the evidence store")
    p.add_argument("url")
    add_crawl_options(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("runs", help="list stored runs")
    p.add_argument("--site", help="only runs of this start URL")
    p.set_defaults(func=cmd_runs)

    from crawler.cli import audit as commands, history as commands_history
    commands.register(sub, add_crawl_options, fiscal_year, iso_date, positive_int)
    commands_history.register(sub, add_crawl_options, fiscal_year, iso_date, positive_int)
    from crawler.cli import kit as commands_kit
    commands_kit.register(sub, fiscal_year, iso_date, positive_int)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Global options may come after the command too (`oit audit URL --db x.sqlite`).
    parser = build_parser()
    args = parser.parse_args(_hoist_global(argv))
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"oit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"oit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\noit: interrupted; everything fetched so far is stored", file=sys.stderr)
        return 130


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


if __name__ == "__main__":
    # `python -m crawler.cli`: run the package's module, so its exception classes are the ones raised.
    from crawler.cli import main as _main
    sys.exit(_main())
