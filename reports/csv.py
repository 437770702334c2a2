"""items.csv: one row per item, for anyone who wants the verdicts in a spreadsheet of their own.

UTF-8 with a byte-order mark so Excel on Windows opens the Thai headers and titles correctly.
"""
from __future__ import annotations

import csv
from pathlib import Path

from reports.writer import ITEM_COLUMNS, Report, ReportWriter, item_rows, register

# A cell that starts like a formula runs as one when Excel opens the file (CSV injection): quote it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
OVERRIDE_COLUMN = "ปรับผลโดยคณะทำงาน"


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@register
class CsvWriter(ReportWriter):
    format = "csv"
    filename = "items.csv"

    def write(self, report: Report, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        columns = ITEM_COLUMNS
        rows = item_rows(report)
        if report.get("overrides"):     # overridden items say so, with who and when, on their own row
            columns = ITEM_COLUMNS + (OVERRIDE_COLUMN,)
            for row, item in zip(rows, report.get("items", [])):
                row[OVERRIDE_COLUMN] = (item.get("override") or {}).get("label_th", "")
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _cell(v) for k, v in row.items()})
        return path
