"""Checks a report.json against `reports/schema.json` before any writer reads it.

`validate_report(report)` returns None or raises `ReportError` whose message names the bad field by its
path, e.g. ``items[4] (O5).status: 'passed' is not one of ['pass', ...]``.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, relevance

SCHEMA_PATH = Path(__file__).with_name("schema.json")
_SHOWN = 5  # problems spelled out in one message; the rest are counted


class ReportError(ValueError):
    """report.json does not match the schema; `problems` lists every problem found, worst first."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n  - ".join(problems[:_SHOWN])
        more = f"\n  (and {len(problems) - _SHOWN} more)" if len(problems) > _SHOWN else ""
        super().__init__(f"report.json is not valid:\n  - {shown}{more}")


@lru_cache(maxsize=1)
def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def validate_report(report: Any) -> None:
    """Raise ReportError unless `report` is a valid report.json document."""
    if not isinstance(report, dict):
        raise ReportError([f"(root): expected a JSON object, got {type(report).__name__}"])
    errors = sorted(_validator().iter_errors(report), key=relevance, reverse=True)
    problems = [_describe(report, e) for e in errors]
    if not problems:
        problems = _cross_checks(report)
    if problems:
        raise ReportError(list(dict.fromkeys(problems)))


def _cross_checks(report: dict) -> list[str]:
    """What a schema cannot say: item ids are unique and the id lists point at real items."""
    problems = []
    ids = [item["id"] for item in report["items"]]
    seen: set[str] = set()
    for n, item_id in enumerate(ids):
        if item_id in seen:
            problems.append(f"items[{n}] ({item_id}).id: duplicate item id {item_id!r}")
        seen.add(item_id)
    for key in ("missing_items", "partial_items", "review_items"):
        for n, item_id in enumerate(report.get(key) or []):
            if item_id not in seen:
                problems.append(f"{key}[{n}]: {item_id!r} is not the id of any entry in items")
    return problems


def _describe(report: dict, error: ValidationError) -> str:
    path = list(error.path)
    if error.validator == "required":
        missing = [name for name in error.validator_value
                   if isinstance(error.instance, dict) and name not in error.instance]
        name = missing[0] if missing else "?"
        return f"{_format_path(report, path + [name])}: required field is missing"
    where = _format_path(report, path)
    if error.validator == "anyOf" and len(path) >= 2 and path[-2] == "elements":
        return f"{where}: an element needs a non-empty 'evidence' list or a 'reason'"
    message = error.message
    if len(message) > 200:
        message = message[:200] + "…"
    if "allOf" in error.absolute_schema_path and path and path[-1] in ("oit_points", "oit_score"):
        message += " (oit_points and oit_score are numbers, and null only when published is false)"
    return f"{where}: {message}"


def _format_path(report: dict, path: list) -> str:
    """['items', 4, 'status'] -> 'items[4] (O5).status'."""
    out = ""
    node: Any = report
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                out += f" ({node['id']})"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "(root)"
