"""How the tool reads real documents: ../shared/real-docs against tests/data/realdocs_labels.tsv.

    python -c "from evaluation.documents import main; main()"

Each labelled document goes through `oit inspect` (crawler/kit/inspect.py: extraction, OCR where the
crawl would run it, the pipeline's dates and the audit's own matching and year decision), without an
audited fiscal year: the year read is the document's own, with no neighbourhood check. Printed per
text-layer class (as labelled) and in total:

- item claims: precision and recall of the elements inspect says the document counts for, against the
  elements it serves (a document labelled "none" serves none: any claim on it is a false one);
- fiscal year: exact (the year read is the labelled one, or none read where none is stated),
  sure-but-wrong, unsure (a year read but not sure enough to decide), none (no year read where one
  is stated);
- text layer: share of documents whose text-layer class is the labelled one.
"""
from __future__ import annotations

import csv
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from crawler.audit.checklist import load_checklist
from crawler.extraction.ocr import OcrSettings
from crawler.kit.inspect import inspect_target

ROOT = Path(__file__).resolve().parents[1]
REAL_DOCS = ROOT.parent / "shared" / "real-docs"
LABELS = ROOT / "tests" / "data" / "realdocs_labels.tsv"
CHECKLIST = "bma-district-2568"
YEAR_CLASSES = ("exact", "sure-but-wrong", "unsure", "none")


@dataclass(frozen=True)
class Label:
    file: str
    serves: frozenset[str]           # "O15.announcements", ...
    years: frozenset[int] | None     # accepted fiscal years; None: the document states none
    text_layer: str
    why: str


@dataclass
class Reading:
    label: Label
    claims: frozenset[str]
    fiscal_year: int | None
    sure: bool
    source: str | None
    match: str
    text_layer: str

    @property
    def year_class(self) -> str:
        return year_class(self.label.years, self.fiscal_year, self.sure)


def year_class(accepted: frozenset[int] | None, fiscal_year: int | None, sure: bool) -> str:
    """exact | sure-but-wrong | unsure | none, for one document."""
    if fiscal_year is None:
        return "exact" if accepted is None else "none"
    if not sure:
        return "unsure"
    return "exact" if accepted is not None and fiscal_year in accepted else "sure-but-wrong"


def parse_years(text: str) -> frozenset[int] | None:
    """"2567", "2562|2563", "2555-2558", "none"."""
    text = text.strip()
    if text == "none":
        return None
    years: set[int] = set()
    for part in text.split("|"):
        first, _, last = part.partition("-")
        years.update(range(int(first), int(last or first) + 1))
    return frozenset(years)


def load_labels(path: Path = LABELS) -> list[Label]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    labels = []
    for row in csv.DictReader(lines, delimiter="\t"):
        serves = frozenset() if row["serves"] == "none" else frozenset(row["serves"].split(","))
        labels.append(Label(row["file"], serves, parse_years(row["fiscal_year"]), row["text_layer"], row["why"]))
    return labels


def read_documents(labels: list[Label], folder: Path = REAL_DOCS, *, use_ocr: bool = True) -> list[Reading]:
    """Each labelled document as `oit inspect` reads it; `use_ocr=False` reads text layers only (scans
    then have no text: a fast check of everything but OCR, which tests/test_ocr.py covers)."""
    checklist = load_checklist(CHECKLIST)
    settings = None if use_ocr else OcrSettings(enabled=False)
    readings = []
    for label in labels:
        result = inspect_target(str(folder / label.file), checklist=checklist, ocr_settings=settings)
        year = result.get("fiscal_year_read") or {}
        readings.append(Reading(
            label=label,
            claims=frozenset(f"{e['item']}.{e['element']}" for e in result["elements"]),
            fiscal_year=year.get("fiscal_year"), sure=bool(year.get("sure")), source=year.get("source"),
            match=" ".join((year.get("match") or "").split()), text_layer=result["text_layer"]))
    return readings


@dataclass
class Figures:
    documents: int = 0
    true_claims: int = 0
    claims: int = 0
    served: int = 0
    none_claimed: int = 0             # documents labelled "none" with at least one claim
    years: Counter = field(default_factory=Counter)
    layer_right: int = 0

    def add(self, r: Reading) -> None:
        self.documents += 1
        self.true_claims += len(r.claims & r.label.serves)
        self.claims += len(r.claims)
        self.served += len(r.label.serves)
        self.none_claimed += bool(not r.label.serves and r.claims)
        self.years[r.year_class] += 1
        self.layer_right += r.text_layer == r.label.text_layer


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "    -  "


def report(readings: list[Reading], out=None) -> dict[str, Figures]:
    out = out or sys.stdout
    groups: dict[str, Figures] = {}
    for r in readings:
        for name in (r.label.text_layer, "all"):
            groups.setdefault(name, Figures()).add(r)
    print("Real documents (../shared/real-docs) against tests/data/realdocs_labels.tsv", file=out)
    print(f"{'class':8} {'docs':>4}  {'claim precision':>15} {'claim recall':>12} {'none claimed':>12}  "
          + " ".join(f"{c:>14}" for c in YEAR_CLASSES) + f"  {'text layer':>10}", file=out)
    for name in sorted(groups, key=lambda n: (n == "all", n)):
        f = groups[name]
        none_docs = sum(1 for r in readings if not r.label.serves and name in (r.label.text_layer, "all"))
        print(f"{name:8} {f.documents:4}  {_share(f.true_claims, f.claims):>15} {_share(f.true_claims, f.served):>12} "
              f"{f'{f.none_claimed}/{none_docs}':>12}  " + " ".join(f"{f.years[c]:14}" for c in YEAR_CLASSES)
              + f"  {_share(f.layer_right, f.documents):>10}", file=out)
    print(file=out)
    for r in readings:
        wrong = r.year_class in ("sure-but-wrong", "unsure", "none")
        false_claims = sorted(r.claims - r.label.serves)
        missed = sorted(r.label.serves - r.claims)
        if not (wrong or false_claims or missed or r.text_layer != r.label.text_layer):
            continue
        notes = []
        if wrong:
            notes.append(f"year {r.year_class}: read {r.fiscal_year} ({'sure' if r.sure else 'unsure'}, "
                         f"{r.source} “{r.match[:50]}”), labelled {_years(r.label.years)}")
        if false_claims:
            notes.append("claims " + ", ".join(false_claims))
        if missed:
            notes.append("misses " + ", ".join(missed))
        if r.text_layer != r.label.text_layer:
            notes.append(f"text layer {r.text_layer}, labelled {r.label.text_layer}")
        print(f"  {r.label.file.rsplit('/', 1)[-1]}: " + "; ".join(notes), file=out)
    return groups


def _years(years: frozenset[int] | None) -> str:
    if years is None:
        return "none"
    ordered = sorted(years)
    return str(ordered[0]) if len(ordered) == 1 else f"{ordered[0]}-{ordered[-1]}"


def main(argv: list[str] | None = None) -> None:
    """`--no-ocr`: text layers only (fast; scans and scanned pages stay unread)."""
    args = sys.argv[1:] if argv is None else argv
    if not REAL_DOCS.is_dir():
        print(f"no real documents at {REAL_DOCS} (../shared/real-docs beside the repository)", file=sys.stderr)
        raise SystemExit(2)
    report(read_documents(load_labels(), use_ocr="--no-ocr" not in args))


if __name__ == "__main__":
    main()
