"""The overrides file: validation with one clear line and exit 2, and the post-step that applies it.

The end-to-end story (an override marks O8 passed and every report says so) is in tests/test_kit.py,
on a real crawl; here the file itself and the arithmetic of applying it.
"""
from __future__ import annotations

import copy
from datetime import date

import pytest

from crawler.audit.checklist import load_checklist
from crawler.cli import main
from crawler.kit.overrides import OverrideError, apply_overrides, parse_overrides
from crawler.audit.scoring import ita, score_oit

CHECKLIST = load_checklist("bma-district-2567")
GOOD = "overrides:\n  - {item: O8, status: pass, note: ok, who: ฝ่ายปกครอง, date: 2024-06-25}\n"


@pytest.mark.parametrize("content, expected", [
    ("overrides:\n  - {item: O23, status: pass, who: ก, date: 2024-06-25}\n", "unknown item O23"),
    ("overrides:\n  - {item: O8, status: passed, who: ก, date: 2024-06-25}\n", "bad status 'passed'"),
    ("overrides:\n  - {item: O8, status: pass, date: 2024-06-25}\n", "missing who"),
    ("overrides:\n  - {item: O8, status: pass, who: ก}\n", "missing or bad date"),
    ("overrides:\n  - {item: O8, status: pass, who: ก, date: 25/06/2567}\n", "missing or bad date"),
    ("overrides:\n  - {item: O8, who: ก, date: 2024-06-25}\n", "give a status, a score or a url"),
    ("overrides:\n  - {item: O9, status: partial, who: ก, date: 2024-06-25}\n", "status partial needs a score"),
    ("overrides:\n  - {item: O9, status: pass, score: 50, who: ก, date: 2024-06-25}\n", "status pass means score 100"),
    ("overrides:\n  - {item: O9, score: 120, who: ก, date: 2024-06-25}\n", "score must be a number from 0 to 100"),
    ("overrides:\n  - {item: O8, url: 'javascript:alert(1)', who: ก, date: 2024-06-25}\n", "url must be an http(s)"),
    ("overrides:\n  - {item: O8, status: pass, who: ก, date: 2024-06-25, by: x}\n", "unknown field 'by'"),
    (GOOD + "  - {item: o8, status: fail, who: ข, date: 2024-06-26}\n", "O8 is already overridden in entry 1"),
    ("fiscal_year: 2568\n" + GOOD, "this file is for fiscal year 2568, the audit is for 2567"),
    ("overrides: [1, 2\n", "not valid YAML"),
    ("overrides: {item: O8}\n", "expected a list of overrides"),
])
def test_bad_overrides_file_is_one_clear_line_and_exit_2(tmp_path, capsys, content, expected):
    path = tmp_path / "overrides.yaml"
    path.write_text(content, encoding="utf-8")
    db = tmp_path / "never.sqlite"
    out = ["--out", str(tmp_path / "out")]
    for command in (["report", *out], ["audit", "--run", "1", *out], ["plan"], ["submit-sheet", *out]):
        if command[0] != "audit":
            command[1:1] = ["--run", "1"]
        code = main(["--db", str(db), *command, "--fiscal-year", "2567", "--as-of", "2024-06-30",
                     "--overrides", str(path)])
        err = capsys.readouterr().err
        assert code == 2, command
        assert expected in err and str(path) in err, err
        lines = err.strip().splitlines()       # what is wrong, then what to do
        assert len(lines) == 2 and expected in lines[0] and "คำแนะนำ / hint" in lines[1] and "Traceback" not in err
    assert not db.exists()          # the file is checked before anything is read or written


def test_missing_overrides_file(tmp_path, capsys):
    code = main(["--db", str(tmp_path / "x.sqlite"), "plan", "--run", "1", "--fiscal-year", "2567",
                 "--overrides", str(tmp_path / "nope.yaml")])
    assert code == 2 and "no such overrides file" in capsys.readouterr().err


def test_thai_status_score_only_and_item_spelling():
    parsed = parse_overrides([
        {"item": "o8", "status": "ผ่าน", "who": "ก", "date": date(2024, 6, 25)},
        {"item": "O09", "score": 50, "who": "ข", "date": "2024-06-26", "note": "ส่งไฟล์ Excel แล้ว"},
        {"item": "O13", "url": "https://webportal.bangkok.go.th/x.pdf", "who": "ค", "date": "2024-06-27"},
    ], CHECKLIST, 2567)
    assert [(o.item, o.status, o.score, o.url) for o in parsed] == [
        ("O8", "pass", 100.0, None), ("O9", "partial", 50.0, None), ("O13", None, None, "https://webportal.bangkok.go.th/x.pdf")]
    assert parse_overrides(None, CHECKLIST) == [] and parse_overrides({"fiscal_year": 2567}, CHECKLIST, 2567) == []
    with pytest.raises(OverrideError):
        parse_overrides([{"item": "O8", "status": "pass", "who": "  ", "date": "2024-06-25"}], CHECKLIST)


def seed_report(with_survey: bool = True) -> dict:
    """The seed's item scores as a minimal published report (O5, O15, O18, O19, O22 = 0; O9 = 50)."""
    scores = {i.id: 100.0 for i in CHECKLIST.items}
    scores.update(O5=0.0, O15=0.0, O18=0.0, O19=0.0, O22=0.0, O9=50.0)
    result = score_oit(scores, CHECKLIST)
    items = [{"id": i.id, "title_th": i.title_th, "points": i.points, "score": scores[i.id],
              "status": "pass" if scores[i.id] == 100 else "partial" if scores[i.id] else "fail",
              "points_lost": i.points * (100 - scores[i.id]) / 100, "unit_th": i.unit_th, "basis": i.basis,
              "elements": []} for i in CHECKLIST.items]
    report = {"fiscal_year": 2567, "published": True, "oit_points": result.oit_points, "oit_score": result.oit_score,
              "indicators": result.indicators, "items": items,
              "missing_items": [i["id"] for i in items if i["status"] == "fail"],
              "partial_items": [i["id"] for i in items if i["status"] == "partial"], "review_items": []}
    if with_survey:
        survey = {"iit": {"1": 99.84, "2": 95.18, "3": 97.26, "4": 99.90, "5": 94.45},
                  "eit": {"6": 97.88, "7": 95.24, "8": 95.82}}
        report["ita"] = ita(result.oit_points, survey, CHECKLIST)
    return report


def test_apply_is_a_pure_post_step_with_both_scores():
    report = seed_report()
    before = copy.deepcopy(report)
    overrides = parse_overrides([{"item": "O22", "status": "pass", "who": "ฝ่ายปกครอง", "date": "2024-06-25",
                                  "note": "รายงานเสนอ ผอ.เขต แล้ว"},
                                 {"item": "O9", "score": 100, "who": "ฝ่ายรายได้", "date": "2024-06-26"}],
                                CHECKLIST, 2567)
    after = apply_overrides(report, overrides, CHECKLIST, source="overrides.yaml")
    assert report == before                                         # the audit's report is untouched
    assert after["oit_points"] == pytest.approx(29.5 + 2 + 1)
    assert after["indicators"]["10.2"]["score"] == 100 and after["indicators"]["9.2"]["score"] == pytest.approx(87.5)
    assert after["missing_items"] == ["O5", "O15", "O18", "O19"] and after["partial_items"] == []
    assert round(after["ita"]["total"], 2) == 90.67 and after["ita"]["level_th"] == "ผ่าน"
    assert after["overrides"]["without"] == {"oit_points": 29.5, "oit_score": 73.75, "ita_total": report["ita"]["total"],
                                             "level_th": "ผ่าน", "level_en": "Pass"}
    assert after["overrides"]["with"]["oit_score"] == pytest.approx(81.25)
    o22 = next(i for i in after["items"] if i["id"] == "O22")
    assert o22["override"]["audit_status"] == "fail" and "ฝ่ายปกครอง" in o22["override"]["label_th"]
    assert apply_overrides(report, [], CHECKLIST) is report


def test_an_override_can_also_lower_a_score():
    overrides = parse_overrides([{"item": "O8", "status": "fail", "who": "ก", "date": "2024-06-25",
                                  "note": "ระบบปิดปรับปรุง"}], CHECKLIST, 2567)
    after = apply_overrides(seed_report(with_survey=False), overrides, CHECKLIST)
    assert after["oit_points"] == pytest.approx(27.5) and "O8" in after["missing_items"]
    assert after["overrides"]["without"]["ita_total"] is None
