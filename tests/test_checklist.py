"""crawler/audit/checklist.py: the shipped checklists validate; broken copies are refused with a message that
names the file, the item and the field."""
from __future__ import annotations

import copy
import json

import pytest
import yaml
from jsonschema import Draft202012Validator

from crawler.audit.checklist import (CHECKLIST_DIR, SCHEMA_PATH, ChecklistError, available_checklists, fill,
                                     load_checklist, raw_checklist)

SHIPPED = ["bma-district-2567", "bma-district-2568"]


def _raw(checklist_id: str = "bma-district-2568") -> dict:
    """A shipped checklist with its `extends:` chain merged in: a whole checklist to break."""
    return copy.deepcopy(raw_checklist(CHECKLIST_DIR / f"{checklist_id}.yaml"))


def _write(tmp_path, data: dict, name: str = "broken.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _item(data: dict, item_id: str) -> dict:
    return next(i for i in data["items"] if i["id"] == item_id)


def test_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


@pytest.mark.parametrize("checklist_id", SHIPPED)
def test_shipped_checklists_load(checklist_id):
    checklist = load_checklist(checklist_id)
    assert checklist.id == checklist_id
    assert [i.id for i in checklist.items] == [f"O{n}" for n in range(1, 23)]
    assert checklist.weights.oit_max_points == 40
    assert sum(i.points for i in checklist.items) == 40
    for item in checklist.items:
        assert item.basis in ("S", "I") and item.basis_note and item.unit_th and item.fix_th
        for element in item.elements:
            assert element.phrases and all(p.atoms for p in element.phrases)
            assert element.basis in ("S", "I")


def test_available_checklists_lists_both():
    assert set(SHIPPED) <= set(available_checklists())


def test_2568_extends_2567_and_states_only_what_changed():
    own = yaml.safe_load((CHECKLIST_DIR / "bma-district-2568.yaml").read_text(encoding="utf-8"))
    assert own["extends"] == "bma-district-2567.yaml" and own["$schema"] == "./schema.json"
    assert "items" not in own and "weights" not in own
    a, b = load_checklist("bma-district-2567"), load_checklist("bma-district-2568")
    assert (a.fiscal_year, b.fiscal_year) == (2567, 2568) and a.version != b.version
    assert a.items == b.items and a.weights == b.weights and a.vocabulary == b.vocabulary


def test_extends_merges_items_and_elements_by_id(tmp_path):
    (tmp_path / "base.yaml").write_text((CHECKLIST_DIR / "bma-district-2567.yaml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    child = {"extends": "base.yaml", "id": "bma-district-2569", "version": "2569.1", "fiscal_year": 2569,
             "settings": {"recent_days": 30},
             "items": [{"id": "O4", "elements": [{"id": "news_posts", "min_count": 5}]}]}
    checklist = load_checklist(_write(tmp_path, child, "bma-district-2569.yaml"))
    assert checklist.fiscal_year == 2569 and checklist.settings.recent_days == 30
    assert checklist.settings.month_grace_days == 15
    o4 = checklist.item("O4")
    assert o4.element("news_posts").min_count == 5 and o4.element("news_posts").dated
    assert o4.element("news_recent").time == "recent" and len(checklist.items) == 22


def test_extends_loop_is_refused(tmp_path):
    _write(tmp_path, {"extends": "b.yaml", "id": "a"}, "a.yaml")
    _write(tmp_path, {"extends": "a.yaml", "id": "b"}, "b.yaml")
    with pytest.raises(ChecklistError, match="extends: loops back"):
        load_checklist(tmp_path / "a.yaml")


def test_rubric_parameters_are_checklist_data():
    settings = load_checklist("bma-district-2568").settings
    assert settings.recent_days == 60 and settings.month_grace_days == 15
    assert settings.phone.search("โทร.022345678") and settings.email.search("saraban@bangkok.go.th")
    assert settings.school.search("โรงเรียนวัดปทุมคงคา") and not settings.school.search("โรงเรียนสังกัดกรุงเทพมหานคร")
    assert settings.family_of("xlsx") == "office" and settings.family_of("pdf") == "pdf"


def test_by_path_and_by_id_are_the_same(tmp_path):
    path = _write(tmp_path, _raw(), "copy.yaml")
    assert load_checklist(path).items == load_checklist("bma-district-2568").items


def test_seed_facts_are_encoded():
    checklist = load_checklist("bma-district-2568")
    o9 = checklist.item("O9")
    assert o9.scoring == "format_pair" and o9.unit_th == "ฝ่ายรายได้"
    assert o9.elements[0].formats_all == ("pdf", "office") and o9.elements[0].time == "current"
    assert checklist.item("O3").unit_th == "ฝ่ายการศึกษา"
    assert "ฝ่ายพัฒนาชุมชนฯ" in checklist.item("O14").unit_th
    assert checklist.item("O13").unit_th == "ฝ่ายการคลัง"
    o5 = {e.id: e for e in checklist.item("O5").elements}
    assert o5["action_plan"].time == "current" and o5["annual_report"].time == "previous"
    assert checklist.item("O13").element("spending_report").time == "current_or_previous"
    assert checklist.item("O15").element("monthly_summaries").table_filled
    assert checklist.item("O19").element("risk_report").addressed_to_director
    assert checklist.item("O18").element("policy_en").language == "en"
    assert checklist.item("O8").element("eservice").needs_live
    # all-of groups: both words in one text
    groups = [p.atoms for p in checklist.item("O19").element("risk_assessment").phrases]
    assert ("ประเมินความเสี่ยง", "สินบน") in groups
    assert fill(checklist.item("O9").fix_th, 2568) == (
        "เผยแพร่ข้อมูลสถิติการจัดเก็บภาษี ปีงบประมาณ พ.ศ. 2568 ให้ครบทุกประเภท ในรูปแบบ PDF และ Excel หรือ Word")


def test_phrases_are_compact_forms():
    checklist = load_checklist("bma-district-2568")
    atoms = {a for p in checklist.item("O15").element("monthly_summaries").phrases for a in p.atoms}
    assert "สขร.1" in atoms and "แบบสขร" in atoms          # spaces gone
    assert all(a == a.casefold() for a in atoms)


# -- refused checklists -----------------------------------------------------------------------------

def _refused(tmp_path, data) -> str:
    path = _write(tmp_path, data)
    with pytest.raises(ChecklistError) as error:
        load_checklist(path)
    message = str(error.value)
    assert message.startswith(str(path)) or message.startswith("broken.yaml") or "broken.yaml" in message
    return message


def test_wrong_time_rule_names_file_item_and_field(tmp_path):
    data = _raw()
    _item(data, "O9")["elements"][0]["time"] = "yearly"
    message = _refused(tmp_path, data)
    assert "broken.yaml: เกณฑ์ไม่ตรงตามแบบ / item O9, field elements[0].time: 'yearly' is not one of" in message


def test_missing_points_names_the_field(tmp_path):
    data = _raw()
    del _item(data, "O7")["points"]
    assert "item O7, field points: required field is missing" in _refused(tmp_path, data)


def test_duplicate_item_id_is_refused(tmp_path):
    data = _raw()
    _item(data, "O12")["id"] = "O11"
    message = _refused(tmp_path, data)
    assert "item O11, field id: duplicate item id 'O11'" in message


def test_duplicate_element_id_is_refused(tmp_path):
    data = _raw()
    o5 = _item(data, "O5")
    o5["elements"][1]["id"] = o5["elements"][0]["id"]
    assert "item O5, field elements[1].id: duplicate element id 'action_plan'" in _refused(tmp_path, data)


def test_unknown_field_is_refused(tmp_path):
    data = _raw()
    _item(data, "O3")["elements"][0]["phrasez"] = ["x"]
    assert "item O3, field elements[0].phrasez: unknown field" in _refused(tmp_path, data)


def test_bad_format_family(tmp_path):
    data = _raw()
    _item(data, "O10")["elements"][0]["formats_all"] = ["pdf", "excel"]
    assert "item O10, field elements[0].formats_all[1]: 'excel' is not one of" in _refused(tmp_path, data)


def test_sub_indicator_lists_must_match_items(tmp_path):
    data = _raw()
    _item(data, "O16")["sub_indicator"] = "9.5"
    message = _refused(tmp_path, data)
    assert "item O16, field sub_indicator" in message and "9.4" in message


def test_points_must_match_the_sub_indicator(tmp_path):
    data = _raw()
    _item(data, "O2")["points"] = 2
    assert "item O2, field points: 2 but sub-indicator 9.1 gives 1.5 per item" in _refused(tmp_path, data)


def test_indicator_maximum_must_add_up(tmp_path):
    data = _raw()
    data["weights"]["indicators"]["10"]["max_points"] = 12
    assert "field weights.indicators.10.max_points: 12 but its items add up to 10 points" in _refused(tmp_path, data)


def test_survey_weights_must_add_up(tmp_path):
    data = _raw()
    data["weights"]["ita"]["eit"]["indicators"]["7"]["weight"] = 6
    assert "field weights.ita.eit.weight: 30 but its indicators add up to 31" in _refused(tmp_path, data)


def test_unknown_placeholder_is_refused(tmp_path):
    data = _raw()
    _item(data, "O5")["fix_th"] = "เผยแพร่แผน ปี {year}"
    assert "item O5, field fix_th: unknown placeholder {year}" in _refused(tmp_path, data)


def test_format_pair_needs_formats_all(tmp_path):
    data = _raw()
    del _item(data, "O9")["elements"][0]["formats_all"]
    assert "item O9, field scoring: format_pair needs an element with formats_all" in _refused(tmp_path, data)


def test_not_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ChecklistError, match=r"bad\.yaml: ไฟล์ YAML ผิดรูปแบบ / not valid YAML \(line"):
        load_checklist(path)


def test_unknown_id_lists_the_available_ones():
    with pytest.raises(ChecklistError, match="unknown checklist 'bma-district-2599'; available: .*bma-district-2568"):
        load_checklist("bma-district-2599")


def test_a_new_year_is_only_a_new_file(tmp_path):
    data = copy.deepcopy(_raw())
    data.update(id="bma-district-2569", version="2569.1", fiscal_year=2569)
    path = _write(tmp_path, data, "bma-district-2569.yaml")
    checklist = load_checklist(path)
    assert checklist.id == "bma-district-2569" and checklist.fiscal_year == 2569


# -- oit checklist check ------------------------------------------------------------------------------

def _oit_check(path) -> tuple[int, str]:
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "checklist", "check", str(path)],
                          capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


def test_check_accepts_the_shipped_checklists():
    for checklist_id in SHIPPED:
        code, out = _oit_check(CHECKLIST_DIR / f"{checklist_id}.yaml")
        assert code == 0 and "OK" in out


def test_check_names_item_element_line_and_what_to_write(tmp_path):
    text = (CHECKLIST_DIR / "bma-district-2567.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if line.strip() == "- id: news_recent")
    lines.insert(at + 1, "        phrasez: [ข่าว]")
    lines = [line.replace("time: half_year", "time: halfyear") for line in lines]
    path = tmp_path / "edited.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = _oit_check(path)
    assert code == 2
    assert f"edited.yaml:{at + 2}: ข้อ O4 องค์ประกอบ news_recent: ไม่รู้จักช่อง 'phrasez' หมายถึง 'phrases' หรือไม่?" in out
    assert "item O4, element news_recent: unknown key 'phrasez'. Did you mean 'phrases'?" in out
    assert "ข้อ O10 องค์ประกอบ revenue_stats ช่อง time: ค่า 'halfyear' ใช้ไม่ได้ (หมายถึง 'half_year' หรือไม่?)" in out
    assert "write one of: none, current" in out


def test_check_reports_yaml_syntax_with_its_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("extends: bma-district-2567.yaml\nid: x\nrubric:\n  version: [2568\n", encoding="utf-8")
    code, out = _oit_check(path)
    assert code == 2 and "not valid YAML (line" in out and "ไฟล์ YAML ผิดรูปแบบ" in out
