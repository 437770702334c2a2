"""crawler/audit/scoring.py: the rubric's scoring model (docs/rubric.md section 1), every weight from the checklist.

The reference case is the Samphanthawong ITA 2567 analysis (the founding document): every figure of
its table is reproduced to two decimals.
"""
from __future__ import annotations

import json

import pytest

from crawler.audit.checklist import load_checklist
from crawler.audit.scoring import (ScoringError, SurveyError, item_points, ita, level, load_survey, score_oit,
                             sub_indicator_score)

ITEMS = [f"O{n}" for n in range(1, 23)]
SEED_SCORES = {**dict.fromkeys(ITEMS, 100.0), "O5": 0.0, "O15": 0.0, "O18": 0.0, "O19": 0.0, "O22": 0.0,
               "O9": 50.0}
SEED_SURVEY = {"iit": {"1": 99.84, "2": 95.18, "3": 97.26, "4": 99.90, "5": 94.45},
               "eit": {"6": 97.88, "7": 95.24, "8": 95.82}}


@pytest.fixture(scope="module", params=["bma-district-2567", "bma-district-2568"])
def checklist(request):
    return load_checklist(request.param)


def test_seed_table_every_figure(checklist):
    result = score_oit(SEED_SCORES, checklist)
    expected = {"9.1": 100.00, "9.2": 81.25, "9.3": 66.67, "9.4": 100.00, "9.5": 100.00,
                "10.1": 50.00, "10.2": 0.00, "9": 85.00, "10": 40.00}
    for code, score in expected.items():
        assert round(result.indicators[code]["score"], 2) == score, code
    assert round(result.oit_points, 2) == 29.50
    assert round(result.oit_score, 2) == 73.75
    assert result.indicators["9"]["points"] == pytest.approx(25.5)
    assert result.indicators["10"]["points"] == pytest.approx(4.0)
    assert result.indicators["9"]["max_points"] == 30 and result.indicators["10"]["max_points"] == 10
    assert result.indicators["9.2"]["points"] == pytest.approx(13.0)
    assert result.indicators["9.2"]["max_points"] == 16


def test_values_are_kept_exact(checklist):
    # 9.3 is (100 + 100 + 0) / 3: not rounded inside the model.
    assert score_oit(SEED_SCORES, checklist).indicators["9.3"]["score"] == pytest.approx(200 / 3, abs=1e-12)


def test_seed_ita_total_and_level(checklist):
    oit_points = score_oit(SEED_SCORES, checklist).oit_points
    result = ita(oit_points, SEED_SURVEY, checklist)
    assert round(result["iit"], 2) == 29.14
    assert round(result["eit"], 2) == 29.03
    assert round(result["total"], 2) == 87.67
    assert (result["level_th"], result["level_en"]) == ("ผ่าน", "Pass")
    assert result["indicators"]["1"] == 99.84 and result["indicators"]["8"] == 95.82


def test_perfect_site(checklist):
    result = score_oit(dict.fromkeys(ITEMS, 100), checklist)
    assert result.oit_points == pytest.approx(40) and result.oit_score == pytest.approx(100)
    assert all(v["score"] == pytest.approx(100) for v in result.indicators.values())
    full = ita(result.oit_points, {"iit": dict.fromkeys("12345", 100), "eit": dict.fromkeys("678", 100)}, checklist)
    assert full["total"] == pytest.approx(100) and full["level_th"] == "ผ่านดีเยี่ยม"


def test_nothing_published(checklist):
    result = score_oit(dict.fromkeys(ITEMS, 0), checklist)
    assert result.oit_points == 0 and result.oit_score == 0


@pytest.mark.parametrize("total, shares, expected", [
    (95.00, (95, 95, 95), "ผ่านดีเยี่ยม"),
    (96.00, (99, 99, 94.99), "ผ่านดี"),          # one part under 95 %
    (85.00, (85, 85, 85), "ผ่านดี"),
    (90.00, (99, 99, 84.99), "ผ่าน"),             # OIT under 85 % of its weight
    (85.00, (90, 90, 70), "ผ่าน"),
    (84.99, (99, 99, 99), "ต้องปรับปรุง"),
    (70.00, (70, 70, 70), "ต้องปรับปรุง"),
    (69.99, (70, 70, 70), "ต้องปรับปรุงโดยด่วน"),
    (0.0, (0, 0, 0), "ต้องปรับปรุงโดยด่วน"),
])
def test_level_boundaries(checklist, total, shares, expected):
    chosen = level(total, dict(zip(("iit", "eit", "oit"), shares)), checklist)
    assert chosen.th == expected


def test_level_compares_at_two_decimals(checklist):
    # 84.996 is shown as 85.00, and the bands are published to two decimals.
    assert level(84.996, {"iit": 90, "eit": 90, "oit": 80}, checklist).th == "ผ่าน"


def test_small_functions():
    assert item_points(50, 2) == 1.0
    assert sub_indicator_score([100, 100, 0]) == pytest.approx(66.6666, abs=1e-3)


def test_bad_item_scores_are_refused(checklist):
    with pytest.raises(ScoringError, match="O7"):
        score_oit({k: v for k, v in SEED_SCORES.items() if k != "O7"}, checklist)
    with pytest.raises(ScoringError, match="O1"):
        score_oit({**SEED_SCORES, "O1": 120}, checklist)


def test_load_survey_yaml_and_json(tmp_path, checklist):
    yaml_file = tmp_path / "survey.yaml"
    yaml_file.write_text("iit: {1: 99.84, 2: 95.18, 3: 97.26, 4: 99.90, 5: 94.45}\n"
                         "eit: {6: 97.88, 7: 95.24, 8: 95.82}\n", encoding="utf-8")
    json_file = tmp_path / "survey.json"
    json_file.write_text(json.dumps(SEED_SURVEY), encoding="utf-8")
    assert load_survey(yaml_file, checklist) == load_survey(json_file, checklist)
    assert load_survey(yaml_file, checklist)["iit"]["1"] == 99.84


@pytest.mark.parametrize("content, message", [
    ("iit: {1: 99}\neit: {6: 97.88, 7: 95.24, 8: 95.82}\n", "iit indicator 2 is missing"),
    ("iit: {1: 99.84, 2: 95.18, 3: 97.26, 4: 99.90, 5: 194.45}\neit: {6: 1, 7: 1, 8: 1}\n",
     "iit.5 must be between 0 and 100"),
    ("iit: {1: a, 2: 1, 3: 1, 4: 1, 5: 1}\neit: {6: 1, 7: 1, 8: 1}\n", "iit.1 must be a number"),
    ("eit: {6: 1, 7: 1, 8: 1}\n", "'iit' must map"),
    ("iit: {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 9: 1}\neit: {6: 1, 7: 1, 8: 1}\n", "iit has no indicator 9"),
    ("- just\n- a list\n", "expected a mapping"),
    ("iit: [1, 2\n", "not valid YAML"),
])
def test_load_survey_errors_are_clear(tmp_path, checklist, content, message):
    path = tmp_path / "survey.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SurveyError) as error:
        load_survey(path, checklist)
    assert str(path) in str(error.value) and message in str(error.value)


def test_load_survey_missing_file(tmp_path, checklist):
    with pytest.raises(SurveyError, match="no such survey file"):
        load_survey(tmp_path / "nope.yaml", checklist)


def test_weights_come_from_the_checklist(tmp_path):
    """Changing a weight in the YAML changes the arithmetic: nothing is hard-coded."""
    import yaml
    from crawler.audit.checklist import CHECKLIST_DIR, raw_checklist
    data = raw_checklist(CHECKLIST_DIR / "bma-district-2568.yaml")
    data["weights"]["ita"]["iit"]["indicators"]["1"]["weight"] = 10
    data["weights"]["ita"]["iit"]["indicators"]["5"]["weight"] = 2.5
    path = tmp_path / "reweighted.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    changed = load_checklist(path)
    base = ita(29.5, SEED_SURVEY, load_checklist("bma-district-2568"))
    new = ita(29.5, SEED_SURVEY, changed)
    assert new["iit"] == pytest.approx(base["iit"] + 99.84 * 2.5 / 100 - 94.45 * 2.5 / 100)
