"""Precision and recall per element on real agency wording (../shared/real-phrasing/dev.tsv).

Each row is one real text (a link text, an ITA item label or a document title) labelled with the
district item and element it names, or `none`. The text is given to the audit's own matcher
(crawler.audit.primitives.Matcher) as the identifying field it would be on a site: a link text as
link_text, a document title as title, an item label as the row beside a link (context).

Counting, per element: a row labelled with the element and matched to it is a true positive; matched
to another element a false positive there; labelled but not matched a false negative. A row labelled
with an item but no element (it names two elements, or only the topic) counts a match to any element
of that item as neither right nor wrong, and has no recall. Rows whose note says CONTEXT-ONLY name
their item only through the heading they sit under: a text-only test leaves them out.

Targets (issue 12): precision >= 98 % and recall >= 95 % on titles and link texts together.
"""
from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from crawler.audit.checklist import load_checklist
from crawler.audit.primitives import Matcher

DEV = Path("../shared/real-phrasing/dev.tsv")
KIND_FIELD = {"link_text": "link_text", "doc_title": "title", "item_label": "context"}
TARGET_KINDS = ("link_text", "doc_title")
PRECISION_TARGET, RECALL_TARGET = 0.98, 0.95
# The dev set names elements by the rubric document's short names; the checklist by its own ids.
ELEMENT_IDS = {
    ("O2", "dev_plan"): "development_plan", ("O4", "news"): "news_posts", ("O6", "op_manual"): "operating_manual",
    ("O7", "citizen_manual"): "service_manual", ("O14", "ordinance"): "budget_ordinance",
    ("O15", "monthly"): "monthly_summaries", ("O18", "policy_report"): "implementation_report",
    ("O20", "discretion"): "discretion_guideline", ("O21", "property_use"): "state_property",
}
SAME_EVIDENCE = {("O4", "news_recent"): ("O4", "news_posts")}   # one wording, two time rules


@dataclass
class Row:
    text: str
    kind: str
    item: str                  # O1..O22 or none
    element: str               # checklist element id, "" = item only
    note: str


def read_rows(path: Path) -> list[Row]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for raw in csv.DictReader(handle, delimiter="\t"):
            if "CONTEXT-ONLY" in (raw.get("note") or ""):
                continue
            item = raw["district_item"].strip()
            element = raw["district_element"].strip()
            element = ELEMENT_IDS.get((item, element), element)
            rows.append(Row(raw["text"], raw["kind"], item, element, raw.get("note") or ""))
    return rows


def predicted(matcher: Matcher, row: Row) -> set[tuple[str, str]]:
    found = {(item, element) for item, element, _ in matcher.identify(KIND_FIELD[row.kind], row.text)}
    return {SAME_EVIDENCE.get(key, key) for key in found}


@dataclass
class Tally:
    tp: Counter
    fp: Counter
    fn: Counter
    mistakes: list

    @classmethod
    def new(cls) -> "Tally":
        return cls(Counter(), Counter(), Counter(), [])

    def add(self, row: Row, found: set[tuple[str, str]]) -> None:
        gold = (row.item, row.element) if row.item != "none" and row.element else None
        for key in found:
            if key == gold:
                self.tp[key] += 1
            elif row.item != "none" and not row.element and key[0] == row.item:
                continue
            else:
                self.fp[key] += 1
                self.mistakes.append(("FP", key, row))
        if gold is not None and gold not in found:
            self.fn[gold] += 1
            self.mistakes.append(("FN", gold, row))

    def totals(self) -> tuple[int, int, int]:
        return sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())


def ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value * 100:5.1f}%"


def report(title: str, tally: Tally, show_mistakes: bool) -> tuple[float | None, float | None]:
    tp, fp, fn = tally.totals()
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    print(f"\n{title}")
    print(f"  {'element':34} {'TP':>3} {'FP':>3} {'FN':>3} {'precision':>9} {'recall':>7}")
    keys = sorted(set(tally.tp) | set(tally.fp) | set(tally.fn), key=lambda k: (int(k[0][1:]), k[1]))
    for key in keys:
        t, f, n = tally.tp[key], tally.fp[key], tally.fn[key]
        print(f"  {key[0] + ' ' + key[1]:34} {t:3} {f:3} {n:3} {pct(ratio(t, t + f)):>9} {pct(ratio(t, t + n)):>7}")
    print(f"  {'all':34} {tp:3} {fp:3} {fn:3} {pct(precision):>9} {pct(recall):>7}")
    if show_mistakes and tally.mistakes:
        print("  mistakes:")
        for kind, key, row in tally.mistakes:
            print(f"    {kind} {key[0]} {key[1]:22} [{row.kind}] {row.text[:110]}")
    return precision, recall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=DEV, help=f"labelled wording (default {DEV})")
    parser.add_argument("--checklist", default="bma-district-2568")
    parser.add_argument("--mistakes", action="store_true", help="list every false positive and negative")
    args = parser.parse_args(argv)
    if not args.dev.is_file():
        print(f"evaluation: {args.dev}: no such file (run from the repository root, beside ../shared)")
        return 2
    rows = read_rows(args.dev)
    started = time.perf_counter()
    matcher = Matcher(load_checklist(args.checklist))
    by_kind = {kind: Tally.new() for kind in KIND_FIELD}
    target = Tally.new()
    for row in rows:
        found = predicted(matcher, row)
        by_kind[row.kind].add(row, found)
        if row.kind in TARGET_KINDS:
            target.add(row, found)
    elapsed = time.perf_counter() - started
    counts = Counter(row.kind for row in rows)
    print(f"Real wording: {args.dev} ({len(rows)} rows without CONTEXT-ONLY: "
          + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) + f"); checklist {args.checklist}; "
          f"{elapsed:.1f} s")
    precision, recall = report("Titles and link texts (target: precision >= 98 %, recall >= 95 %)", target,
                               args.mistakes)
    report("ITA item labels (beside a link; on a site they establish nothing by themselves)",
           by_kind["item_label"], args.mistakes)
    met = (precision or 0) >= PRECISION_TARGET and (recall or 0) >= RECALL_TARGET
    print(f"\ntarget {'met' if met else 'NOT met'}: precision {pct(precision).strip()}, recall {pct(recall).strip()}")
    return 0 if met else 1
