"""How much of an audit the Thai word segmenter takes, on a whole stored crawl.

    python -m evaluation.speed --db demo-out/evidence.sqlite --run 1 --fiscal-year 2567 --as-of 2024-06-30

Prints: the one-time dictionary build, the audit's time from a cold start (a new Matcher, empty
caches, the dictionary already built), the time newmm spent in it
and on how many texts, and, for scale, the time to segment every identifying text and every body text of
the run with newmm (what segmenting everything would cost).
"""
from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from crawler.audit import primitives
from crawler.audit.checklist import load_checklist
from crawler.audit.judge import audit
from crawler.evidence.store import Store
from crawler.text.thai import compact
from crawler.text.words import Segmenter


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--run", type=int, default=1)
    parser.add_argument("--fiscal-year", type=int, required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    parser.add_argument("--checklist", default=None)
    args = parser.parse_args(argv)
    evidence = Store(args.db).load_run(args.run)
    checklist = load_checklist(args.checklist or f"bma-district-{args.fiscal_year}")

    started = time.perf_counter()
    Segmenter(checklist.vocabulary.terms).words("อุ่นเครื่อง")    # import PyThaiNLP, build the dictionary
    dictionary = time.perf_counter() - started
    timed = {"seconds": 0.0}
    original = Segmenter.words

    def counting(self, text):
        started = time.perf_counter()
        try:
            return original(self, text)
        finally:
            timed["seconds"] += time.perf_counter() - started

    Segmenter.words = counting
    try:
        primitives._MATCHERS.clear()
        primitives._INDEXES.clear()
        started = time.perf_counter()
        audit(evidence, checklist, args.fiscal_year, args.as_of)
        total = time.perf_counter() - started
        matcher = primitives.matcher_for(checklist)
    finally:
        Segmenter.words = original
    print(f"run {args.run}: {len(evidence.resources)} resources, {len(evidence.links)} links")
    print(f"once per process: import PyThaiNLP and build its dictionary with the checklist's terms: {dictionary:.2f} s")
    print(f"audit (cold: new matcher, empty caches): {total:.2f} s; newmm inside it: {timed['seconds']:.2f} s "
          f"({timed['seconds'] / total * 100:.0f} %) on {matcher.segmenter.calls} texts, "
          f"{matcher.segmenter.chars:,} characters (phrases included)")

    identifying = {compact(t) for r in evidence.resources.values() for t in (r.title, r.filename) if t}
    identifying |= {compact(link.text) for link in evidence.links if link.text}
    identifying |= {compact(link.context) for link in evidence.links if link.context}
    bodies = [compact(r.text) for r in evidence.resources.values() if r.text]
    for label, texts in (("every identifying text", identifying), ("every body text", bodies)):
        segmenter = Segmenter(checklist.vocabulary.terms)
        started = time.perf_counter()
        for text in texts:
            segmenter.words(text)
        spent = time.perf_counter() - started
        chars = sum(len(t) for t in texts)
        print(f"newmm on {label}: {len(texts)} texts, {chars:,} characters in {spent:.2f} s "
              f"({chars / spent / 1000:,.0f} k characters/s)" if spent else f"{label}: none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
