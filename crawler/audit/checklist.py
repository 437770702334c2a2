"""Checklists: the rubric (docs/rubric.md) as data (checklists/*.yaml), loaded into dataclasses and validated.

    checklist = load_checklist("bma-district-2568")        # an id from checklists/, or a YAML path
    checklist.item("O9").elements[0].formats_all            # ("pdf", "office")

A year's checklist may `extends:` another file (a path beside it) and state only what changed: mappings
merge key by key, `items` and their `elements` merge by `id`, any other list is replaced whole. Each
file names its schema in `$schema`. Rubric parameters that are not phrases (days, patterns, placeholder
words, format families) are the checklist's `settings`.

A checklist is checked twice: against `checklists/schema.json` (JSON Schema 2020-12), then for what a
schema cannot say (unique ids, sub-indicator item lists that agree with the items, points that add up,
placeholders that exist). Any problem raises `ChecklistError` naming the file, the item and the field:
``checklists/x.yaml: item O9, field elements[0].time: 'yearly' is not one of ['none', ...]``.

Phrases are stored twice: as written (for reports) and as `crawler.text.thai.compact` atoms (for matching).
"""
from __future__ import annotations

import difflib
import json
import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, relevance

from crawler.text.thai import compact

CHECKLIST_DIR = Path(__file__).resolve().parents[2] / "checklists"
SCHEMA_PATH = CHECKLIST_DIR / "schema.json"
PLACEHOLDERS = frozenset({"fy", "fy_prev"})
# Evidence identity in tiers (checklist `identity:`): what a resource is identified by (its title, its
# heading lines, the link text and row pointing to it, its file name) and what may only support a
# verdict (body text: year, period, addressee, table content).
FIELDS = ("title", "heading", "link_text", "context", "filename", "text")
IDENTIFYING = ("title", "heading", "link_text", "context", "filename")
MAX_EXTENDS = 8                 # a chain of `extends:` longer than this is a loop or a mistake
TIME_RULES = ("none", "current", "previous", "current_or_previous", "half_year", "monthly", "recent", "live")


class ChecklistError(ValueError):
    """A checklist that cannot be used; the message names the file, the item and the field."""


@dataclass(frozen=True)
class Phrase:
    """One phrase: every atom must appear in the same identifying text, within a window of words."""
    text: str                      # as written in the checklist ("ประเมินความเสี่ยง + สินบน")
    atoms: tuple[str, ...]         # compact forms
    basis: str = ""                # S | I for a variant; "" = the element's own basis
    source: str = ""               # where a variant's wording was seen


@dataclass(frozen=True)
class Element:
    id: str
    label_th: str
    label_en: str
    basis: str
    phrases: tuple[Phrase, ...]
    basis_note: str = ""
    exclude_phrases: tuple[Phrase, ...] = ()
    where: frozenset[str] = frozenset(IDENTIFYING)
    time: str = "none"
    formats: frozenset[str] = frozenset()          # acceptable families; empty = any
    formats_all: tuple[str, ...] = ()              # every family required
    min_count: int = 1
    dated: bool = False
    min_months: int = 0
    table_filled: bool = False
    addressed_to_director: bool = False
    language: str | None = None
    contact: tuple[str, ...] = ()
    names_school: bool = False
    live: bool = False
    fix_th: str | None = None

    @property
    def needs_live(self) -> bool:
        return self.live or self.time == "live"


@dataclass(frozen=True)
class Item:
    id: str
    title_th: str
    title_en: str
    sub_indicator: str
    points: float
    basis: str
    basis_note: str
    unit_th: str
    scoring: str                    # "all" | "format_pair"
    fix_th: str
    elements: tuple[Element, ...]
    title_variants: tuple[str, ...] = ()

    @property
    def number(self) -> int:
        return int(self.id[1:])

    def element(self, element_id: str) -> Element:
        for element in self.elements:
            if element.id == element_id:
                return element
        raise KeyError(f"{self.id} has no element {element_id!r}")


@dataclass(frozen=True)
class Indicator:
    id: str
    title_th: str
    title_en: str
    max_points: float


@dataclass(frozen=True)
class SubIndicator:
    id: str
    indicator: str
    title_th: str
    title_en: str
    points_per_item: float
    items: tuple[str, ...]


@dataclass(frozen=True)
class SurveyPart:
    """IIT or EIT: indicator weights (each indicator score x weight / 100) and their sum."""
    weight: float
    indicators: dict[str, float]
    titles: dict[str, str]


@dataclass(frozen=True)
class Level:
    th: str
    en: str
    min_total: float
    min_each_percent: float | None = None


@dataclass(frozen=True)
class Weights:
    indicators: dict[str, Indicator]
    sub_indicators: dict[str, SubIndicator]
    oit_max_points: float
    iit: SurveyPart
    eit: SurveyPart
    oit_weight: float
    levels: tuple[Level, ...]


@dataclass(frozen=True)
class Vocabulary:
    director: tuple[Phrase, ...]
    half_year: tuple[Phrase, ...]
    web_form: tuple[Phrase, ...]
    terms: tuple[str, ...] = ()    # government terms the word segmenter must keep whole (compact)
    not_the_document: tuple[Phrase, ...] = ()  # a cover memo / publication request, not the document


@dataclass(frozen=True)
class Settings:
    """Rubric parameters that are not phrases (checklist `settings:`)."""
    recent_days: int                       # time: recent — the newest piece is at most this old
    month_grace_days: int                  # time: monthly — a month is due this many days after it ended
    phone: re.Pattern                      # contact: phone, on compact text
    email: re.Pattern                      # contact: email, on compact text
    school: re.Pattern                     # names_school: a named school, on compact text
    placeholder_words: re.Pattern          # a page with only these words is empty
    format_families: dict[str, frozenset[str]]  # formats / formats_all: family -> file formats
    word_gap: int                          # words that may stand between two words of a phrase
    head_words: int                        # a phrase identifies only when it starts within these words
    group_window: int                      # words an all-of group may span

    def family_of(self, fmt: str) -> str | None:
        for family, formats in self.format_families.items():
            if fmt in formats:
                return family
        return None


@dataclass(frozen=True)
class Checklist:
    id: str
    version: str
    title_th: str
    title_en: str
    fiscal_year: int
    rubric: dict
    weights: Weights
    vocabulary: Vocabulary
    settings: Settings
    items: tuple[Item, ...]
    path: Path | None = field(default=None, compare=False)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"checklist {self.id} has no item {item_id!r}")

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]


# -- loading ----------------------------------------------------------------------------------------

def available_checklists(directory: Path | None = None) -> list[str]:
    """Ids of the checklists shipped in checklists/ (file stem = id), sorted."""
    directory = directory or CHECKLIST_DIR
    return sorted(p.stem for p in directory.glob("*.yaml"))


def load_checklist(id_or_path: str | Path) -> Checklist:
    """A checklist by id (checklists/<id>.yaml) or by path; validated; cached per file version."""
    path = _resolve(id_or_path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise ChecklistError(f"{_shown(path)}: อ่านไฟล์เกณฑ์ไม่ได้ / cannot read: {exc.strerror or exc}") from None
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


def _resolve(id_or_path: str | Path) -> Path:
    text = str(id_or_path)
    path = Path(text)
    if isinstance(id_or_path, Path) or path.suffix in (".yaml", ".yml") or "/" in text or path.is_file():
        if not path.is_file():
            raise ChecklistError(f"{text}: ไม่พบไฟล์เกณฑ์ / no such checklist file")
        return path.resolve()
    candidate = CHECKLIST_DIR / f"{text}.yaml"
    if not candidate.is_file():
        known = ", ".join(available_checklists()) or "none"
        raise ChecklistError(f"ไม่รู้จักเกณฑ์ {text!r} / unknown checklist {text!r}; available: {known}")
    return candidate


def _shown(path: Path) -> str:
    """The file as a user would name it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(CHECKLIST_DIR.parent))
    except ValueError:
        return str(path)


@lru_cache(maxsize=32)
def _load(path_text: str, _mtime: int, _size: int) -> Checklist:
    path = Path(path_text)
    return parse_checklist(raw_checklist(path), _shown(path), path)


def read_yaml(path: Path) -> Any:
    """One YAML file, or ChecklistError with the line and column of a syntax error."""
    where = _shown(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ChecklistError(f"{where}: ไฟล์ YAML ผิดรูปแบบ / not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ChecklistError(f"{where}: อ่านไฟล์เกณฑ์ไม่ได้ / cannot read: {exc}") from None
    except RecursionError:
        raise ChecklistError(f"{where}: ซ้อนกันลึกเกินไป / nested too deeply to be a checklist") from None
    except ValueError as exc:        # an impossible date (2024-02-30) or number in the YAML
        raise ChecklistError(f"{where}: มีค่าที่เป็นไปไม่ได้ / impossible value: {exc}") from None


def raw_checklist(path: Path, _chain: tuple[Path, ...] = ()) -> Any:
    """The checklist data of a file with its `extends:` chain merged in (not yet validated)."""
    path = path.resolve()
    if path in _chain or len(_chain) >= MAX_EXTENDS:
        raise ChecklistError(f"{_shown(path)}: extends วนกลับหรือยาวเกิน {MAX_EXTENDS} ไฟล์ / field extends: loops "
                             f"back or is longer than {MAX_EXTENDS} files")
    data = read_yaml(path)
    if not isinstance(data, dict) or "extends" not in data:
        return data
    base_name = data.pop("extends")
    if not isinstance(base_name, str) or not base_name:
        raise ChecklistError(f"{_shown(path)}: extends ต้องเป็นชื่อไฟล์เกณฑ์ในโฟลเดอร์เดียวกัน / field extends: must "
                             "name a checklist file beside this one")
    base_path = (path.parent / base_name)
    if not base_path.is_file():
        raise ChecklistError(f"{_shown(path)}: ไม่พบไฟล์ที่ extends อ้างถึง / field extends: no such file "
                             f"{base_name!r} beside this checklist")
    base = raw_checklist(base_path, _chain + (path,))
    if not isinstance(base, dict):
        raise ChecklistError(f"{_shown(base_path)}: ระดับบนสุดต้องเป็นชุด key: value / expected a mapping at the "
                             "top level")
    return merge(base, data)


def merge(base: Any, change: Any, key: str = "") -> Any:
    """`change` over `base`: mappings key by key, lists of items/elements by id, other values replaced."""
    if isinstance(base, dict) and isinstance(change, dict):
        merged = dict(base)
        for k, v in change.items():
            merged[k] = merge(base[k], v, str(k)) if k in base else v
        return merged
    if key in ("items", "elements") and isinstance(base, list) and isinstance(change, list):
        merged = list(base)
        at = {e.get("id"): n for n, e in enumerate(merged) if isinstance(e, dict)}
        for entry in change:
            n = at.get(entry.get("id")) if isinstance(entry, dict) else None
            if n is None:
                merged.append(entry)
            else:
                merged[n] = merge(merged[n], entry)
        return merged
    return change


def parse_checklist(data: Any, where: str = "<checklist>", path: Path | None = None) -> Checklist:
    """Validate raw checklist data (as loaded from YAML) and build the dataclasses."""
    if not isinstance(data, dict):
        raise ChecklistError(f"{where}: ระดับบนสุดต้องเป็นชุด key: value / expected a mapping at the top level, "
                             f"got {type(data).__name__}")
    data = _stringify_keys(data)
    errors = sorted(_validator().iter_errors(data), key=relevance, reverse=True)
    if errors:
        raise ChecklistError(f"{where}: เกณฑ์ไม่ตรงตามแบบ / {_describe(data, errors[0])}")
    _semantic_checks(data, where)
    return _build(data, path)


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _stringify_keys(value: Any) -> Any:
    # YAML reads `9.1:` as a float and `"9":` only quoted as a string; weights are keyed by text.
    if isinstance(value, dict):
        return {str(k): _stringify_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_keys(v) for v in value]
    return value


def _describe(data: dict, error: ValidationError) -> str:
    """'item O9, field elements[0].time: <message>' for a schema error."""
    path = list(error.absolute_path)
    message = error.message
    if error.validator == "required":
        missing = [p for p in error.validator_value if isinstance(error.instance, dict) and p not in error.instance]
        if missing:
            path.append(missing[0])
            message = "required field is missing"
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        if extra:
            path.append(extra[0])
            message = "unknown field"
    return _locate(data, path) + ": " + message


def _locate(data: dict, path: list) -> str:
    if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
        items = data.get("items") or []
        item = items[path[1]] if path[1] < len(items) else None
        item_id = item.get("id") if isinstance(item, dict) else None
        label = f"item {item_id}" if isinstance(item_id, str) else f"items[{path[1]}]"
        rest = _path_text(path[2:])
        return f"{label}, field {rest}" if rest else label
    return f"field {_path_text(path) or '(root)'}"


def _path_text(path: Iterable) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _semantic_checks(data: dict, where: str) -> None:
    def fail(location: str, message: str) -> None:
        raise ChecklistError(f"{where}: เกณฑ์ไม่ถูกต้อง / {location}: {message}")

    items = data["items"]
    seen: set[str] = set()
    for n, item in enumerate(items):
        if item["id"] in seen:
            fail(f"item {item['id']}, field id", f"duplicate item id {item['id']!r} (items[{n}])")
        seen.add(item["id"])
        element_ids: set[str] = set()
        for k, element in enumerate(item["elements"]):
            location = f"item {item['id']}, field elements[{k}]"
            if element["id"] in element_ids:
                fail(f"{location}.id", f"duplicate element id {element['id']!r}")
            element_ids.add(element["id"])
            if element.get("time") == "monthly" and element.get("min_count", 1) > 1:
                fail(f"{location}.min_count", "min_count cannot be combined with time: monthly")
            if "formats_all" in element and "formats" in element:
                fail(f"{location}.formats", "give either formats or formats_all, not both")
            if "any" in element.get("formats_all", []):
                fail(f"{location}.formats_all", "'any' cannot be a required family")
            for key in ("label_th", "label_en", "fix_th"):
                if key in element:
                    _check_placeholders(element[key], f"{location}.{key}", fail)
        if item["scoring"] == "format_pair" and not any("formats_all" in e for e in item["elements"]):
            fail(f"item {item['id']}, field scoring", "format_pair needs an element with formats_all")
        for key in ("title_th", "title_en", "fix_th"):
            _check_placeholders(item[key], f"item {item['id']}, field {key}", fail)

    for key in ("phone_pattern", "email_pattern", "school_pattern"):
        try:
            re.compile(data["settings"][key])
        except re.error as exc:
            fail(f"field settings.{key}", f"not a valid regular expression: {exc}")

    weights = data["weights"]
    by_id = {item["id"]: item for item in items}
    listed: dict[str, str] = {}
    for code, sub in weights["sub_indicators"].items():
        indicator = code.split(".")[0]
        if indicator not in weights["indicators"]:
            fail(f"field weights.sub_indicators.{code}", f"indicator {indicator!r} is not in weights.indicators")
        for item_id in sub["items"]:
            if item_id not in by_id:
                fail(f"field weights.sub_indicators.{code}.items", f"{item_id} is not an item of this checklist")
            if item_id in listed:
                fail(f"field weights.sub_indicators.{code}.items", f"{item_id} is also listed in {listed[item_id]}")
            listed[item_id] = code
            item = by_id[item_id]
            if item["sub_indicator"] != code:
                fail(f"item {item_id}, field sub_indicator",
                     f"{item['sub_indicator']!r} but weights.sub_indicators.{code} lists {item_id}")
            if abs(item["points"] - sub["points_per_item"]) > 1e-9:
                fail(f"item {item_id}, field points",
                     f"{item['points']:g} but sub-indicator {code} gives {sub['points_per_item']:g} per item")
    for item in items:
        if item["id"] not in listed:
            fail(f"item {item['id']}, field sub_indicator",
                 f"{item['id']} is not listed in weights.sub_indicators.{item['sub_indicator']}.items")
    for indicator, spec in weights["indicators"].items():
        total = sum(by_id[i]["points"] for code, sub in weights["sub_indicators"].items()
                    if code.split(".")[0] == indicator for i in sub["items"])
        if abs(total - spec["max_points"]) > 1e-9:
            fail(f"field weights.indicators.{indicator}.max_points",
                 f"{spec['max_points']:g} but its items add up to {total:g} points")
    total = sum(spec["max_points"] for spec in weights["indicators"].values())
    if abs(total - weights["oit_max_points"]) > 1e-9:
        fail("field weights.oit_max_points", f"{weights['oit_max_points']:g} but the indicators add up to {total:g}")
    ita = weights["ita"]
    for part in ("iit", "eit"):
        total = sum(spec["weight"] for spec in ita[part]["indicators"].values())
        if abs(total - ita[part]["weight"]) > 1e-9:
            fail(f"field weights.ita.{part}.weight",
                 f"{ita[part]['weight']:g} but its indicators add up to {total:g}")
    if abs(ita["oit"]["weight"] - weights["oit_max_points"]) > 1e-9:
        fail("field weights.ita.oit.weight", "must equal weights.oit_max_points")
    if abs(ita["iit"]["weight"] + ita["eit"]["weight"] + ita["oit"]["weight"] - 100) > 1e-9:
        fail("field weights.ita", "IIT + EIT + OIT weights must add up to 100")
    if set(ita["iit"]["indicators"]) & set(ita["eit"]["indicators"]):
        fail("field weights.ita", "IIT and EIT indicator numbers overlap")
    minimums = [level["min_total"] for level in weights["levels"]]
    if minimums != sorted(minimums, reverse=True):
        fail("field weights.levels", "levels must be listed highest first")
    if minimums[-1] != 0:
        fail("field weights.levels", "the lowest level must start at 0")


def _check_placeholders(text: str, location: str, fail) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        fail(location, f"bad placeholder: {exc}")
        return
    unknown = names - PLACEHOLDERS
    if unknown:
        fail(location, f"unknown placeholder {{{sorted(unknown)[0]}}}; known: "
             + ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS)))


# -- building ---------------------------------------------------------------------------------------

def _phrase(value: str | list[str], basis: str = "", source: str = "") -> Phrase:
    parts = [value] if isinstance(value, str) else list(value)
    atoms = tuple(dict.fromkeys(a for a in (compact(p) for p in parts) if a))
    return Phrase(" + ".join(parts), atoms, basis, source)


def _phrases(values: list | None, variants: list | None = None) -> tuple[Phrase, ...]:
    unique: dict[tuple[str, ...], Phrase] = {}
    for value in values or []:
        phrase = _phrase(value)
        if phrase.atoms:
            unique.setdefault(phrase.atoms, phrase)
    for group in variants or []:
        for value in group["phrases"]:
            phrase = _phrase(value, group["basis"], group["source"])
            if phrase.atoms:
                unique.setdefault(phrase.atoms, phrase)
    return tuple(unique.values())


def _element(raw: dict, not_the_document: tuple[Phrase, ...] = ()) -> Element:
    # A cover memo names the document it covers; only a report to the director may itself be a memo.
    excluded = _phrases(raw.get("exclude_phrases"))
    if not (raw.get("addressed_to_director") or raw.get("may_be_memo")):
        excluded += tuple(p for p in not_the_document if p not in excluded)
    return Element(
        id=raw["id"], label_th=raw["label_th"], label_en=raw["label_en"], basis=raw["basis"],
        basis_note=raw.get("basis_note", ""), phrases=_phrases(raw["phrases"], raw.get("variants")),
        exclude_phrases=excluded,
        where=frozenset(raw.get("where") or IDENTIFYING), time=raw.get("time", "none"),
        formats=frozenset(f for f in raw.get("formats", []) if f != "any"),
        formats_all=tuple(raw.get("formats_all", [])), min_count=raw.get("min_count", 1),
        dated=raw.get("dated", False), min_months=raw.get("min_months", 0),
        table_filled=raw.get("table_filled", False),
        addressed_to_director=raw.get("addressed_to_director", False), language=raw.get("language"),
        contact=tuple(raw.get("contact", [])), names_school=raw.get("names_school", False),
        live=raw.get("live", False), fix_th=raw.get("fix_th"),
    )


def _build(data: dict, path: Path | None) -> Checklist:
    w = data["weights"]
    indicators = {k: Indicator(k, v["title_th"], v["title_en"], float(v["max_points"]))
                  for k, v in w["indicators"].items()}
    subs = {k: SubIndicator(k, k.split(".")[0], v["title_th"], v["title_en"], float(v["points_per_item"]),
                            tuple(v["items"]))
            for k, v in w["sub_indicators"].items()}

    def part(raw: dict) -> SurveyPart:
        return SurveyPart(float(raw["weight"]), {k: float(v["weight"]) for k, v in raw["indicators"].items()},
                          {k: v["title_th"] for k, v in raw["indicators"].items()})

    weights = Weights(indicators, subs, float(w["oit_max_points"]), part(w["ita"]["iit"]), part(w["ita"]["eit"]),
                      float(w["ita"]["oit"]["weight"]),
                      tuple(Level(l["th"], l["en"], float(l["min_total"]), l.get("min_each_percent"))
                            for l in w["levels"]))
    vocabulary = Vocabulary(*(_phrases(data["vocabulary"][k]) for k in ("director", "half_year", "web_form")),
                            terms=tuple(compact(t) for t in data["vocabulary"].get("terms", [])),
                            not_the_document=_phrases(data["vocabulary"].get("not_the_document")))
    raw = data["settings"]
    settings = Settings(
        recent_days=raw["recent_days"], month_grace_days=raw["month_grace_days"],
        phone=re.compile(raw["phone_pattern"]), email=re.compile(raw["email_pattern"]),
        school=re.compile(raw["school_pattern"]),
        placeholder_words=re.compile("|".join(re.escape(compact(p)) for p in raw["placeholder_words"])),
        format_families={k: frozenset(v) for k, v in raw["format_families"].items()},
        word_gap=raw["word_gap"], group_window=raw["group_window"], head_words=raw["head_words"])
    items = tuple(
        Item(id=raw["id"], title_th=raw["title_th"], title_en=raw["title_en"], sub_indicator=raw["sub_indicator"],
             points=float(raw["points"]), basis=raw["basis"], basis_note=raw["basis_note"], unit_th=raw["unit_th"],
             scoring=raw["scoring"], fix_th=raw["fix_th"],
             elements=tuple(_element(e, vocabulary.not_the_document) for e in raw["elements"]),
             title_variants=tuple(raw.get("title_variants", [])))
        for raw in data["items"])
    return Checklist(id=data["id"], version=str(data["version"]), title_th=data["title_th"],
                     title_en=data["title_en"], fiscal_year=data["fiscal_year"], rubric=dict(data["rubric"]),
                     weights=weights, vocabulary=vocabulary, settings=settings, items=items, path=path)


def fill(text: str | None, fiscal_year: int) -> str | None:
    """A checklist text with {fy} / {fy_prev} filled in."""
    if text is None:
        return None
    return text.format(fy=fiscal_year, fy_prev=fiscal_year - 1)


# -- `oit checklist check`: every problem, in words a working group can act on --------------------

@dataclass(frozen=True)
class Problem:
    where: str          # "checklists/x.yaml:123" (line when known)
    th: str             # what is wrong and what to write, in Thai
    en: str             # the same in English

    def __str__(self) -> str:
        return f"{self.where}: {self.th}\n    {self.en}"


def check_file(path: Path) -> list[Problem]:
    """All problems of a checklist file (its `extends:` chain merged in); [] when it can be used."""
    shown = _shown(path)
    try:
        data = raw_checklist(path)
    except ChecklistError as exc:
        text = str(exc)
        if "not valid YAML" in text:
            return [Problem(shown, "ไฟล์ YAML ผิดรูปแบบ (ดูบรรทัดและคอลัมน์ที่ระบุ: มักเป็นการย่อหน้าไม่ตรง ลืมปิดวงเล็บ หรือลืมเว้นวรรคหลัง ':')",
                            text)]
        return [Problem(shown, "เปิดไฟล์หรือไฟล์ที่ extends ไม่ได้", text)]
    if not isinstance(data, dict):
        return [Problem(shown, "ระดับบนสุดของไฟล์ต้องเป็นชุด key: value", "expected a mapping at the top level")]
    data = _stringify_keys(data)
    lines = _line_finder(path)
    problems: list[Problem] = []
    seen: set[tuple] = set()
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        for leaf in _leaves(error):
            path_ = tuple(leaf.absolute_path)
            if (path_, leaf.validator) in seen:
                continue
            seen.add((path_, leaf.validator))
            problems.append(_problem(data, leaf, shown, lines))
    if problems:
        return problems
    try:
        _semantic_checks(data, shown)
        _build(data, path)
    except ChecklistError as exc:
        return [Problem(shown, "ข้อมูลในเกณฑ์ไม่สอดคล้องกัน (คะแนน รายการข้อ หรือรหัสซ้ำ): แก้ตามข้อความภาษาอังกฤษ",
                        str(exc).removeprefix(f"{shown}: "))]
    return []


def _leaves(error: ValidationError) -> list[ValidationError]:
    """The errors that say what to change: inside oneOf/anyOf, the branch that got furthest."""
    if error.context:
        best = max(error.context, key=lambda e: len(e.absolute_path))
        deepest = [e for e in error.context if len(e.absolute_path) == len(best.absolute_path)]
        return [deepest[0]]
    return [error]


def _problem(data: dict, error: ValidationError, shown: str, lines) -> Problem:
    path = list(error.absolute_path)
    th_where, en_where = _where_words(data, path)
    line = lines(data, path)
    where = f"{shown}:{line}" if line else shown
    v, value = error.validator, error.validator_value
    if v == "required":
        missing = [p for p in value if isinstance(error.instance, dict) and p not in error.instance]
        name = missing[0] if missing else "?"
        return Problem(where, f"{th_where}: ขาดช่อง '{name}' — เพิ่มบรรทัด {name}: …",
                       f"{en_where}: required field '{name}' is missing — add a line '{name}: …'")
    if v == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        name = extra[0] if extra else "?"
        line = lines(data, path + [name]) or line
        where = f"{shown}:{line}" if line else shown
        guess = difflib.get_close_matches(name, allowed, n=1)
        hint_th = f" หมายถึง '{guess[0]}' หรือไม่?" if guess else ""
        hint_en = f" Did you mean '{guess[0]}'?" if guess else ""
        return Problem(where, f"{th_where}: ไม่รู้จักช่อง '{name}'{hint_th} ช่องที่ใช้ได้: {', '.join(allowed)}",
                       f"{en_where}: unknown key '{name}'.{hint_en} Known keys: {', '.join(allowed)}")
    if v == "enum":
        allowed = ", ".join(str(x) for x in value)
        guess = difflib.get_close_matches(str(error.instance), [str(x) for x in value], n=1)
        hint_th = f" (หมายถึง '{guess[0]}' หรือไม่?)" if guess else ""
        hint_en = f" (did you mean '{guess[0]}'?)" if guess else ""
        return Problem(where, f"{th_where}: ค่า {error.instance!r} ใช้ไม่ได้{hint_th} — ใส่ค่าใดค่าหนึ่ง: {allowed}",
                       f"{en_where}: {error.instance!r} is not allowed{hint_en} — write one of: {allowed}")
    if v == "type":
        kinds = {"string": ("ข้อความ", "a text"), "array": ("รายการ [a, b]", "a list [a, b]"),
                 "object": ("ชุด key: value", "a mapping key: value"), "integer": ("จำนวนเต็ม", "a whole number"),
                 "number": ("ตัวเลข", "a number"), "boolean": ("true หรือ false", "true or false")}
        th, en = kinds.get(value if isinstance(value, str) else value[0], (str(value), str(value)))
        return Problem(where, f"{th_where}: ต้องเป็น{th} (ตอนนี้เป็น {error.instance!r})",
                       f"{en_where}: must be {en} (now {error.instance!r})")
    if v in ("minLength", "minItems", "minProperties"):
        return Problem(where, f"{th_where}: ว่างไม่ได้ — ใส่อย่างน้อย {value} {'ตัวอักษร' if v == 'minLength' else 'รายการ'}",
                       f"{en_where}: too short or empty — give at least {value}")
    if v == "pattern":
        return Problem(where, f"{th_where}: รูปแบบไม่ถูกต้อง {error.instance!r} — ต้องตรงกับ {value}",
                       f"{en_where}: {error.instance!r} does not match {value}")
    return Problem(where, f"{th_where}: ค่าไม่ถูกต้อง ({error.message})", f"{en_where}: {error.message}")


def _where_words(data: dict, path: list) -> tuple[str, str]:
    """('ข้อ O9 องค์ประกอบ tax_stats ช่อง time', 'item O9, element tax_stats, field time')."""
    th: list[str] = []
    en: list[str] = []
    node: Any = data
    rest: list = []
    i = 0
    while i < len(path):
        part = path[i]
        if part in ("items", "elements") and i + 1 < len(path) and isinstance(path[i + 1], int):
            entries = node.get(part) if isinstance(node, dict) else None
            entry = entries[path[i + 1]] if isinstance(entries, list) and path[i + 1] < len(entries) else None
            ident = entry.get("id") if isinstance(entry, dict) else None
            label = ident if isinstance(ident, str) else f"#{path[i + 1] + 1}"
            th.append(("ข้อ " if part == "items" else "องค์ประกอบ ") + label)
            en.append(("item " if part == "items" else "element ") + label)
            node, i = entry, i + 2
            continue
        rest = path[i:]
        break
    if rest:
        th.append("ช่อง " + _path_text(rest))
        en.append("field " + _path_text(rest))
    return (" ".join(th) or "ระดับบนสุด"), (", ".join(en) or "top level")


def _line_finder(path: Path):
    """A function (data, error path) -> line number in this file, or None (e.g. a key from the base)."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        root = None

    def find(data: dict, error_path: list) -> int | None:
        node, value = root, data
        line = None
        for part in error_path:
            if node is None:
                break
            if isinstance(node, yaml.MappingNode):
                hit = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
                if hit is None:
                    break
                line, node = hit[0].start_mark.line + 1, hit[1]
                value = value.get(part) if isinstance(value, dict) else None
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                entry = value[part] if isinstance(value, list) and part < len(value) else None
                ident = entry.get("id") if isinstance(entry, dict) else None
                chosen = None
                for child in node.value:        # items and elements: by id (the merged list's order differs)
                    if ident is not None and isinstance(child, yaml.MappingNode) and any(
                            k.value == "id" and v.value == ident for k, v in child.value):
                        chosen = child
                if chosen is None and ident is None and part < len(node.value):
                    chosen = node.value[part]
                if chosen is None:
                    break
                line, node, value = chosen.start_mark.line + 1, chosen, entry
            else:
                break
        return line

    return find
