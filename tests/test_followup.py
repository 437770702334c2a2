"""Follow-up in Excel: the working group fills the "ต้องแก้ไข" sheet of report.xlsx the tool wrote, `oit
overrides import` turns it into the overrides file, and the next report applies it with the audit trail."""
from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest
import yaml

from crawler.audit.checklist import load_checklist
from crawler.cli import main
from crawler.kit.overrides import apply_overrides, load_overrides
from crawler.text.dates import parse_typed_date
from reports.html import render_html
from reports.writer import write_reports
from test_reports import build_report


def fill(path, rows: dict[str, dict[str, object]]) -> None:
    """Type into the ต้องแก้ไข sheet as staff would: {item: {column: value}} on the item's first row."""
    book = openpyxl.load_workbook(path)
    sheet = book["ต้องแก้ไข"]
    header = [c.value for c in sheet[1]]
    done = set()
    for r in range(2, sheet.max_row + 1):
        item = sheet.cell(r, header.index("รหัส") + 1).value
        if item in rows and item not in done:
            for column, value in rows[item].items():
                sheet.cell(r, header.index(column) + 1).value = value
            done.add(item)
    assert done == set(rows)
    book.save(path)


@pytest.fixture
def workbook(tmp_path):
    return write_reports(build_report(), tmp_path, formats=["xlsx"])[0]


def test_filled_sheet_becomes_the_overrides_file_and_the_next_report_shows_it(workbook, tmp_path, capsys):
    fill(workbook, {
        "O5": {"ผลหลังตรวจสอบ": "ผ่าน", "ผู้ตรวจสอบ": "นางสาวมาลี (ฝ่ายปกครอง)", "วันที่ตรวจ": "15/07/2567",
               "หมายเหตุ": "เผยแพร่รายงานผลปี 2566 แล้ว", "URL ที่เผยแพร่": "https://webportal.bangkok.go.th/x/o5.pdf"},
        "O9": {"ผลหลังตรวจสอบ": "ได้บางส่วน 50", "ผู้ตรวจสอบ": "ฝ่ายรายได้", "วันที่ตรวจ": datetime(2024, 7, 16)},
    })
    out = tmp_path / "overrides.yaml"
    assert main(["overrides", "import", str(workbook), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "O5" in printed and "O9" in printed and "--overrides" in printed

    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["fiscal_year"] == 2567                                  # read from the workbook's สรุป sheet
    o5, o9 = data["overrides"]
    assert o5 == {"item": "O5", "status": "ผ่าน", "url": "https://webportal.bangkok.go.th/x/o5.pdf",
                  "note": "รายงานผลการปฏิบัติราชการประจำปี พ.ศ. 2566: เผยแพร่รายงานผลปี 2566 แล้ว",
                  "who": "นางสาวมาลี (ฝ่ายปกครอง)", "date": date(2024, 7, 15)}
    assert o9["status"] == "ได้บางส่วน" and o9["score"] == 50 and o9["date"] == date(2024, 7, 16)

    checklist = load_checklist("bma-district-2567")
    overrides = load_overrides(out, checklist, 2567)
    report = apply_overrides(build_report(), overrides, checklist, source="overrides.yaml")
    items = {i["id"]: i for i in report["items"]}
    assert items["O5"]["status"] == "pass" and items["O5"]["override"]["audit_status"] == "fail"
    assert items["O9"]["score"] == 50
    page = render_html(report)
    assert "นางสาวมาลี (ฝ่ายปกครอง)" in page and "ปรับผลโดยคณะทำงาน" in page


def test_import_keeps_other_items_of_an_existing_file_and_replaces_the_same_item(workbook, tmp_path):
    out = tmp_path / "overrides.yaml"
    out.write_text("fiscal_year: 2567\noverrides:\n"
                   "  - {item: O8, status: pass, who: ฝ่ายปกครอง, date: 2024-06-25}\n"
                   "  - {item: O5, status: fail, who: ฝ่ายปกครอง, date: 2024-06-25}\n", encoding="utf-8")
    fill(workbook, {"O5": {"ผลหลังตรวจสอบ": "ผ่าน", "ผู้ตรวจสอบ": "ก", "วันที่ตรวจ": "2024-07-15"}})
    assert main(["overrides", "import", str(workbook), "--out", str(out)]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [(e["item"], e["status"]) for e in data["overrides"]] == [("O8", "pass"), ("O5", "ผ่าน")]


@pytest.mark.parametrize("filled, says", [
    ({"O5": {"ผลหลังตรวจสอบ": "ผ่าน", "วันที่ตรวจ": "2024-07-15"}}, "who"),
    ({"O5": {"ผลหลังตรวจสอบ": "ผ่าน", "ผู้ตรวจสอบ": "ก", "วันที่ตรวจ": "เมื่อวาน"}}, "อ่านวันที่ตรวจ"),
    ({"O5": {"ผลหลังตรวจสอบ": "ดีมาก", "ผู้ตรวจสอบ": "ก", "วันที่ตรวจ": "2024-07-15"}}, "status"),
    ({"O5": {"ผลหลังตรวจสอบ": "ได้บางส่วน", "ผู้ตรวจสอบ": "ก", "วันที่ตรวจ": "2024-07-15"}}, "score"),
])
def test_a_badly_filled_row_is_one_clear_line_and_nothing_is_written(workbook, tmp_path, capsys, filled, says):
    fill(workbook, filled)
    out = tmp_path / "overrides.yaml"
    assert main(["overrides", "import", str(workbook), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()       # what is wrong, then what to do
    assert says in lines[0] and "Traceback" not in err and len(lines) == 2 and "report.xlsx" in lines[1]
    assert not out.exists()


def test_not_a_workbook_is_a_clear_message(tmp_path, capsys):
    bad = tmp_path / "report.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    assert main(["overrides", "import", str(bad)]) == 2
    assert "xlsx" in capsys.readouterr().err


@pytest.mark.parametrize("typed, day", [
    ("2024-07-15", date(2024, 7, 15)), ("2567-07-15", date(2024, 7, 15)), ("15/07/2567", date(2024, 7, 15)),
    ("๑๕/๗/๒๕๖๗", date(2024, 7, 15)), ("15.7.2024", date(2024, 7, 15)), ("31/02/2567", None), ("เมื่อวาน", None),
])
def test_days_typed_by_staff(typed, day):
    assert parse_typed_date(typed) == day
