"""Argument parsing shared by every sub-command: the parser class, value types, the crawl options."""
from __future__ import annotations

import argparse
import re
import sys
from datetime import date

from crawler.errors import EXIT_USAGE, InputError
from crawler.text.dates import parse_fiscal_year


class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(EXIT_USAGE, f"oit: {message} (see 'oit {self.prog.split()[-1]} --help')\n"
                  if " " in self.prog else f"oit: {message} (see 'oit --help')\n")


def note(message: str) -> None:
    """A note for the user beside the output (stderr), e.g. which checklist stands in."""
    print(f"oit: {message}", file=sys.stderr)


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def fiscal_year(value: str) -> int:
    """--fiscal-year: crawler.text.dates.parse_fiscal_year; a CE year is converted and said so."""
    try:
        parsed = parse_fiscal_year(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if parsed.note:
        note(parsed.note)
    return parsed.year


def positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {value!r}")
    return n


def non_negative_float(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not x >= 0 or x == float("inf"):
        raise argparse.ArgumentTypeError(f"must be zero or more seconds: {value!r}")
    return x


_CONTACT = re.compile(r"(?:https?://[^\s()<>;]+|(?:mailto:)?[^\s@()<>;]+@[^\s@()<>;]+\.[^\s@()<>;]+)")


def contact(value: str) -> str:
    """A URL or e-mail address for the User-Agent: one token, no characters that would break the header."""
    value = value.strip()
    if len(value) > 200 or not _CONTACT.fullmatch(value):
        raise argparse.ArgumentTypeError(f"--contact expects an http(s) URL or an e-mail address, got {value!r}")
    return value


def add_crawl_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-pages", type=positive_int, help="จำนวนหน้าเว็บสูงสุดที่เก็บ (ค่าเริ่มต้น 3000) / most in-scope pages to crawl (default 3000)")
    p.add_argument("--max-depth", type=positive_int, help="ความลึกสูงสุดนับจากหน้าแรก (ค่าเริ่มต้น 8) / most links from the start page (default 8)")
    p.add_argument("--delay", type=non_negative_float, help="วินาทีระหว่างคำขอไปยังเครื่องเดียวกัน (ค่าเริ่มต้น 0.5 ปรับอัตโนมัติ) / seconds between requests to a host (default 0.5, adaptive)")
    p.add_argument("--concurrency", type=positive_int, help="จำนวนคำขอพร้อมกันต่อเครื่อง (ค่าเริ่มต้น 2) / parallel requests per host (default 2)")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="ค่าตั้ง Scrapy ใด ๆ / any Scrapy setting")
    p.add_argument("--no-progress", action="store_true", help="ไม่แสดงบรรทัดความคืบหน้า / no live progress line")
    p.add_argument("--allow-private", action="store_true",
                   help="also fetch private and loopback addresses a public site links or redirects to")
    p.add_argument("--contact", type=contact, metavar="URL_OR_EMAIL",
                   help="who runs the tool, named in its User-Agent (a site's administrator can then allow it)")
    p.add_argument("--browser", action="store_true",
                   help="เปิดหน้าเว็บด้วยเบราว์เซอร์ Chromium เพื่ออ่านลิงก์ที่สร้างด้วย JavaScript (ช้ากว่า) / render the "
                        "site's pages in Chromium so links that scripts write are followed (slower; documents are "
                        "still fetched directly)")
    p.add_argument("--scope", metavar="PREFIX",
                   help="the site's path prefix (/district/ or a URL); default: the start URL's site")


def parse_settings(pairs: list[str]) -> dict:
    out = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise InputError(f"-s expects NAME=VALUE, got {pair!r}")
        k, v = pair.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def crawl_settings(args) -> dict:
    """Scrapy settings from the crawl options (-s NAME=VALUE, --delay, --concurrency, --allow-private,
    --no-progress, --browser); a setting name or value that cannot be right is an InputError (crawler/cli/checks.py)."""
    from crawler.cli.checks import check_settings        # Scrapy's Settings: loaded only for a crawl
    settings = check_settings(parse_settings(getattr(args, "set", None)))
    if getattr(args, "delay", None) is not None:
        settings["DOWNLOAD_DELAY"] = args.delay
        settings["AUTOTHROTTLE_START_DELAY"] = args.delay
        if args.delay == 0:
            settings["AUTOTHROTTLE_ENABLED"] = False
    if getattr(args, "concurrency", None):
        settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = args.concurrency
        settings["CONCURRENT_REQUESTS"] = max(8, args.concurrency * 2)
    if getattr(args, "allow_private", False):
        settings["OIT_ALLOW_PRIVATE"] = True
    if getattr(args, "no_progress", False):
        settings["OIT_PROGRESS"] = False
    if getattr(args, "browser", False):
        from crawler.crawl.browser import check_browser     # what is missing, said before anything is fetched
        settings["OIT_BROWSER"] = True
        settings["OIT_CHROMIUM"] = check_browser(settings.get("OIT_CHROMIUM"))
    if getattr(args, "contact", None):
        from crawler.crawl.settings import user_agent
        settings["USER_AGENT"] = user_agent(args.contact)
    return settings
