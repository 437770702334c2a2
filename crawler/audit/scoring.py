"""From item scores to sub-indicators, indicators, OIT points and the ITA total (docs/rubric.md section 1).

Pure functions; every weight, maximum and level threshold comes from the checklist
(`checklist.weights`), none from here. Values are kept exact; round only for display.

    result = score_oit({"O1": 100, ..., "O9": 50, ...}, checklist)
    result.oit_points, result.oit_score, result.indicators["9.2"]["score"]
    ita(result.oit_points, {"iit": {"1": 99.84, ...}, "eit": {"6": 97.88, ...}}, checklist)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from crawler.audit.checklist import Checklist, Level
from crawler.errors import HINT_SURVEY, InputError
from crawler.text.userfile import read_user_file


class SurveyError(InputError, ValueError):
    """A survey file (IIT/EIT scores) that cannot be used; the message says what is wrong."""
    default_hint = HINT_SURVEY


class ScoringError(ValueError):
    """Item scores that do not fit the checklist (missing item, score out of range)."""


@dataclass(frozen=True)
class OitResult:
    indicators: dict[str, dict]     # "9", "9.1", … -> {score, points, max_points, title_th, title_en}
    oit_points: float               # out of weights.oit_max_points (40)
    oit_score: float                # 0..100


def item_points(score: float, points: float) -> float:
    """Points an item earns: its points x score / 100."""
    return points * score / 100


def sub_indicator_score(scores: list[float]) -> float:
    """A sub-indicator's score is the mean of its items' scores."""
    return sum(scores) / len(scores)


def score_oit(item_scores: Mapping[str, float], checklist: Checklist) -> OitResult:
    """Sub-indicators (mean of items), indicators (points / max x 100), OIT points and OIT score."""
    weights = checklist.weights
    for item in checklist.items:
        score = item_scores.get(item.id)
        if score is None or not isinstance(score, (int, float)) or not 0 <= score <= 100 or math.isnan(score):
            raise ScoringError(f"item {item.id}: score must be a number from 0 to 100, got {score!r}")
    points_of = {item.id: item_points(item_scores[item.id], item.points) for item in checklist.items}
    indicators: dict[str, dict] = {}
    totals: dict[str, float] = {code: 0.0 for code in weights.indicators}
    for code, sub in weights.sub_indicators.items():
        points = sum(points_of[i] for i in sub.items)
        totals[sub.indicator] += points
        indicators[code] = {
            "score": sub_indicator_score([item_scores[i] for i in sub.items]), "points": points,
            "max_points": sub.points_per_item * len(sub.items), "title_th": sub.title_th, "title_en": sub.title_en,
        }
    for code, indicator in weights.indicators.items():
        indicators[code] = {
            "score": totals[code] / indicator.max_points * 100, "points": totals[code],
            "max_points": indicator.max_points, "title_th": indicator.title_th, "title_en": indicator.title_en,
        }
    oit_points = sum(totals.values())
    ordered = dict(sorted(indicators.items(), key=lambda kv: tuple(int(p) for p in kv[0].split("."))))
    return OitResult(ordered, oit_points, oit_points / weights.oit_max_points * 100)


def empty_indicators(checklist: Checklist) -> dict[str, dict]:
    """The indicator table with no scores (an unpublished report)."""
    weights = checklist.weights
    table = {code: {"score": None, "points": None, "max_points": sub.points_per_item * len(sub.items),
                    "title_th": sub.title_th, "title_en": sub.title_en}
             for code, sub in weights.sub_indicators.items()}
    table.update({code: {"score": None, "points": None, "max_points": ind.max_points,
                         "title_th": ind.title_th, "title_en": ind.title_en}
                  for code, ind in weights.indicators.items()})
    return dict(sorted(table.items(), key=lambda kv: tuple(int(p) for p in kv[0].split("."))))


# -- ITA ------------------------------------------------------------------------------------------

def ita(oit_points: float, survey: Mapping[str, Any], checklist: Checklist) -> dict:
    """ITA total = IIT part + EIT part + OIT points, and its level.

    survey = {"iit": {"1": 99.84, ...}, "eit": {"6": 97.88, ...}}: each indicator's score (0–100) x its
    weight / 100 (weights from the checklist: IIT 7.5, 7.5, 7.5, 2.5, 5; EIT 15, 5, 10).
    """
    weights = checklist.weights
    survey = normalize_survey(survey, checklist)
    iit = sum(survey["iit"][k] * w / 100 for k, w in weights.iit.indicators.items())
    eit = sum(survey["eit"][k] * w / 100 for k, w in weights.eit.indicators.items())
    total = iit + eit + oit_points
    shares = {"iit": iit / weights.iit.weight * 100, "eit": eit / weights.eit.weight * 100,
              "oit": oit_points / weights.oit_weight * 100}
    chosen = level(total, shares, checklist)
    return {"iit": iit, "eit": eit, "oit": oit_points, "total": total, "level_th": chosen.th,
            "level_en": chosen.en, "percent": shares,
            "indicators": {**survey["iit"], **survey["eit"]}}


def level(total: float, shares: Mapping[str, float], checklist: Checklist) -> Level:
    """The first level (highest first) whose minimum total and per-part minimum both hold.

    Compared at two decimals, the precision the bands are published in (70–84.99, 85–100)."""
    shown_total = round(total, 2)
    for candidate in checklist.weights.levels:
        if shown_total < candidate.min_total:
            continue
        if candidate.min_each_percent is not None and any(
                round(share, 2) < candidate.min_each_percent for share in shares.values()):
            continue
        return candidate
    return checklist.weights.levels[-1]


def normalize_survey(survey: Any, checklist: Checklist) -> dict[str, dict[str, float]]:
    """{"iit": {"1": float, ...}, "eit": {...}} with every indicator of the checklist, or SurveyError."""
    if not isinstance(survey, Mapping):
        raise SurveyError(f"survey: ต้องมี iit และ eit / expected a mapping with 'iit' and 'eit', "
                          f"got {type(survey).__name__}")
    result: dict[str, dict[str, float]] = {}
    for part_name, part in (("iit", checklist.weights.iit), ("eit", checklist.weights.eit)):
        raw = survey.get(part_name)
        if not isinstance(raw, Mapping):
            raise SurveyError(f"survey: {part_name} ต้องระบุคะแนนของแต่ละตัวชี้วัด / '{part_name}' must map "
                              f"indicator numbers ({', '.join(part.indicators)}) to scores")
        values = {str(k).strip(): v for k, v in raw.items()}
        unknown = sorted(set(values) - set(part.indicators))
        if unknown:
            raise SurveyError(f"survey: {part_name} ไม่มีตัวชี้วัด {unknown[0]} / {part_name} has no indicator "
                              f"{unknown[0]} (expected {', '.join(part.indicators)})")
        missing = [k for k in part.indicators if k not in values]
        if missing:
            raise SurveyError(f"survey: {part_name} ขาดตัวชี้วัด {missing[0]} / {part_name} indicator {missing[0]} "
                              f"is missing (expected {', '.join(part.indicators)})")
        clean = {}
        for key in part.indicators:
            value = values[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
                raise SurveyError(f"survey: {part_name}.{key} ต้องเป็นตัวเลข / {part_name}.{key} must be a number, "
                                  f"got {value!r}")
            if not 0 <= value <= 100:
                raise SurveyError(f"survey: {part_name}.{key} ต้องอยู่ระหว่าง 0 ถึง 100 / {part_name}.{key} must be "
                                  f"between 0 and 100, got {value}")
            clean[key] = float(value)
        result[part_name] = clean
    return result


def load_survey(path: str | Path, checklist: Checklist) -> dict[str, dict[str, float]]:
    """Read IIT/EIT indicator scores from a YAML or JSON file (see README), checked against the
    checklist's indicators."""
    data = read_user_file(path, "ไฟล์คะแนนแบบสำรวจ", "survey file", SurveyError)
    try:
        return normalize_survey(data, checklist)
    except SurveyError as exc:
        detail = str(exc).removeprefix("survey: ")
        raise SurveyError(f"{path}: {detail}") from None
