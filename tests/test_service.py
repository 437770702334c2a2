"""The service layer's one default-checklist policy and its errors, as `oit` users meet them."""
from __future__ import annotations

import pytest

from crawler.cli import main
from crawler.errors import EXIT_USAGE, InputError
from crawler.service import choose_checklist, parse_formats


def test_the_fiscal_years_own_checklist_needs_no_note():
    notes: list[str] = []
    choice = choose_checklist(None, 2568, notes.append)
    assert choice.checklist.id == "bma-district-2568" and choice.note is None and notes == []


@pytest.mark.parametrize("fiscal_year, stand_in", [(2570, "bma-district-2568"), (2560, "bma-district-2567"),
                                                   (2569, "bma-district-2568")])
def test_without_its_checklist_the_nearest_year_stands_in_with_a_note(fiscal_year, stand_in):
    notes: list[str] = []
    choice = choose_checklist(None, fiscal_year, notes.append)
    assert choice.checklist.id == stand_in
    assert notes == [choice.note] and f"FY {fiscal_year}" in choice.note and stand_in in choice.note


def test_an_unknown_checklist_is_input_error_naming_the_shipped_ones():
    with pytest.raises(InputError) as error:
        choose_checklist("bma-district-2599", 2568)
    assert "bma-district-2599" in str(error.value)
    assert "bma-district-2567" in error.value.hint and "bma-district-2568" in error.value.hint


def test_the_cli_says_it_in_two_lines_and_exits_2(tmp_path, capsys):
    code = main(["--db", str(tmp_path / "e.sqlite"), "report", "--run", "1", "--fiscal-year", "2568",
                 "--checklist", "bma-district-2599"])
    err = capsys.readouterr().err.splitlines()
    assert code == EXIT_USAGE
    assert err[0].startswith("oit: ") and "bma-district-2599" in err[0]
    assert err[1].startswith("oit: คำแนะนำ / hint: เกณฑ์ที่มีให้ / checklists shipped: bma-district-2567, "
                             "bma-district-2568")


def test_formats():
    assert parse_formats(None) == ["json", "html", "xlsx", "csv", "md"]
    assert parse_formats(" HTML,md ") == ["html", "md"]
    with pytest.raises(InputError, match="unknown diff format 'pdf'; choose from json, html"):
        parse_formats("pdf", ("json", "html"), what="diff")
