"""Scenarios: deterministic district sites for a fiscal year N and an as-of date D.

- `samphanthawong_2567()`: the state the Samphanthawong ITA 2567 analysis describes
  (O5, O15, O18, O19, O22 = 0; O9 = 50; the rest 100).
- `compliant()`: every item at 100.
- one failure variant per defect (`stale_year`, `missing_month`, …): `compliant` with one change.
- `large()`: `compliant` plus bulk pages and documents for the benchmark.
- `scans_only()`: the anti-bribery policy (O18) and the risk report to the director (O19) exist only
  as scans, and the O22 report is a scan dated only in Thai digits (OCR reads O18/O19; O22 is review).

Every function returns a `Site` whose `.manifest` says what is there and which score each item
should get. `cached(name, directory)` generates once into a directory and reloads it afterwards.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Callable

from sitegen.district import District, SiteBuilder
from sitegen.model import Site
from sitegen.oit_items import ITEM_BUILDERS, Context, Defects
from sitegen.portal import (add_filler, add_home, add_ita_index, add_misc, add_news, footer_links,
                                    make_menu, plan_paths)
from sitegen.thaiforms import default_as_of

ITEMS = [f"O{n}" for n in range(1, 23)]
OVERSIZED_BYTES = 30 * 1024 * 1024
# The reference folder shared/ sits beside the repository (in CI too); its real .doc is read at run time.
_REPO = next((p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file()), Path.cwd())
REAL_DOC = _REPO.parent / "shared/real-docs/yongyot__saiyoidenchai/images/file/ประกาศแผนพัฒนา.doc"

# defect -> (item, score, [(element, reason)]); reasons are the audit's codes (crawler/audit/primitives.py REASONS).
EXPECTED: dict[str, tuple[str, int, list[tuple[str, str]]]] = {
    "o5_no_report": ("O5", 0, [("annual_report", "not_found")]),
    "o5_stale_plan": ("O5", 0, [("action_plan", "wrong_year")]),
    "o6_menu_only": ("O6", 0, [("operating_manual", "only_in_navigation")]),
    "o8_dead": ("O8", 0, [("eservice", "dead_link")]),
    "o9_pdf_only": ("O9", 50, [("tax_stats", "wrong_format")]),
    "o15_blank": ("O15", 0, [("monthly_summaries", "blank_column")]),
    "o15_missing_month": ("O15", 0, [("monthly_summaries", "missing_month")]),
    "o18_absent": ("O18", 0, [("policy_th", "only_in_navigation"), ("policy_en", "only_in_navigation"),
                              ("implementation_report", "not_found")]),
    "o18_no_english": ("O18", 0, [("policy_en", "not_english")]),
    "o19_not_addressed": ("O19", 0, [("risk_report", "not_addressed")]),
    "o22_not_addressed": ("O22", 0, [("measures_report", "not_addressed")]),
    # OCR cannot read the Thai digits ๔ ๖ ๗ ๘ ๙: the year is unsure, the element is left to a person.
    "o22_thai_digit_scan": ("O22", 0, [("measures_report", "review_low_confidence")]),
}
# Defects that change how evidence is published, not whether it counts (with OCR): no score change.
FORM_ONLY = ("o18_scanned", "o19_scanned")


def expected(defects: Defects) -> tuple[dict[str, int], dict[str, list[dict]]]:
    scores = dict.fromkeys(ITEMS, 100)
    failures: dict[str, list[dict]] = {}
    for flag in fields(Defects):
        if getattr(defects, flag.name) and flag.name not in FORM_ONLY:
            item, score, elements = EXPECTED[flag.name]
            scores[item] = min(scores[item], score)
            failures.setdefault(item, []).extend({"element": e, "reason": r} for e, r in elements)
    return scores, failures


def build(scenario: str, defects: Defects, *, fiscal_year: int = 2567, as_of: date | None = None,
          seed: int = 0, oversized_bytes: int = OVERSIZED_BYTES, extra_files: dict[str, Path] | None = None,
          district: District = District(), filler: dict[str, int] | None = None) -> Site:
    """Assemble a district site: plan the paths and the menu, then the items, news and the rest."""
    as_of = as_of or default_as_of(fiscal_year)
    b = SiteBuilder(district, scenario, fiscal_year, as_of, seed)
    ctx = Context(b, defects, plan_paths(b))
    b.menu, b.footer_links = make_menu(ctx), footer_links(ctx)
    add_news(ctx)
    for builder in ITEM_BUILDERS:
        ctx.ita[builder.__name__.upper()] = builder(ctx)
    add_ita_index(ctx)
    add_home(ctx)
    add_misc(ctx, oversized_bytes=oversized_bytes, extra_files=extra_files)
    if filler:
        add_filler(ctx, **filler)
    b.manifest.expected_scores, b.manifest.expected_failures = expected(defects)
    return b.build()


def _as_date(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def samphanthawong_2567(fiscal_year: int = 2567, as_of: date | str | None = None, **kw) -> Site:
    """FY 2567 as the Samphanthawong analysis describes it (as of 30 June 2024 unless given)."""
    defects = Defects(o5_no_report=True, o9_pdf_only=True, o15_blank=True, o18_absent=True,
                      o19_not_addressed=True, o22_not_addressed=True)
    return build("samphanthawong_2567", defects, fiscal_year=fiscal_year, as_of=_as_date(as_of), **kw)


def _variant(name: str, **flags: bool) -> Callable[..., Site]:
    def scenario(fiscal_year: int = 2567, as_of: date | str | None = None, **kw) -> Site:
        return build(name, Defects(**flags), fiscal_year=fiscal_year, as_of=_as_date(as_of), **kw)

    scenario.__name__ = name
    scenario.__doc__ = f"`compliant` with: {', '.join(flags) or 'nothing changed'}."
    return scenario


compliant = _variant("compliant")
stale_year = _variant("stale_year", o5_stale_plan=True)
missing_month = _variant("missing_month", o15_missing_month=True)
blank_column = _variant("blank_column", o15_blank=True)
pdf_only = _variant("pdf_only", o9_pdf_only=True)
dead_eservice = _variant("dead_eservice", o8_dead=True)
not_addressed = _variant("not_addressed", o19_not_addressed=True)
menu_only = _variant("menu_only", o6_menu_only=True)
no_english = _variant("no_english", o18_no_english=True)
scans_only = _variant("scans_only", o18_scanned=True, o19_scanned=True, o22_thai_digit_scan=True)
scans_only.__doc__ = ("`compliant` with the O18 policy and report and the O19 report to the director only as "
                      "scans (read by OCR), and the O22 report a scan dated in Thai digits (review).")


def large(pages: int = 2000, pdfs: int = 440, xlsx: int = 100, docx: int = 100, seed: int = 0,
          fiscal_year: int = 2567, as_of: date | str | None = None, **kw) -> Site:
    """`compliant` grown to at least `pages` pages and the given document counts (5–20 page PDFs).
    The default 440 PDFs are the compliant site's own (mostly one-page) plus 400 multi-page ones, the
    benchmark's size (issue 2: 2,000 pages, 400 multi-page Thai PDFs, 100 XLSX, 100 DOCX)."""
    return build("large", Defects(), fiscal_year=fiscal_year, as_of=_as_date(as_of), seed=seed,
                 filler={"pages": pages, "pdfs": pdfs, "xlsx": xlsx, "docx": docx}, **kw)


SCENARIOS: dict[str, Callable[..., Site]] = {
    "samphanthawong_2567": samphanthawong_2567, "compliant": compliant, "stale_year": stale_year,
    "missing_month": missing_month, "blank_column": blank_column, "pdf_only": pdf_only,
    "dead_eservice": dead_eservice, "not_addressed": not_addressed, "menu_only": menu_only,
    "no_english": no_english, "large": large, "scans_only": scans_only,
}


def generate(name: str, **kw) -> Site:
    if name not in SCENARIOS:
        raise KeyError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
    return SCENARIOS[name](**kw)


def _code_version() -> str:
    """A hash of the generator's own source: a cache written by other code is never reused."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def cached(name: str, cache_dir: str | Path, **kw) -> Site:
    """Generate a scenario once into cache_dir/<name>-<key>/ and load it from there afterwards."""
    key_data = json.dumps({"name": name, "kw": {k: str(v) for k, v in sorted(kw.items())},
                           "code": _code_version()}, sort_keys=True)
    key = hashlib.sha256(key_data.encode()).hexdigest()[:16]
    directory = Path(cache_dir) / f"{name}-{key}"
    if (directory / "index.json").is_file():
        return Site.from_dir(directory)
    site = generate(name, **kw)
    partial = directory.with_name(f"{directory.name}.partial-{os.getpid()}")
    site.write_to(partial)
    try:
        partial.rename(directory)
    except OSError:                 # another process got there first: same bytes, keep theirs
        shutil.rmtree(partial, ignore_errors=True)
    return site


def default_extra_files() -> dict[str, Path]:
    """The real .doc sample when the shared folder has it (never copied into the repository)."""
    return {REAL_DOC.name: REAL_DOC} if REAL_DOC.is_file() else {}


