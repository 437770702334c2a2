"""table_filled: every data row of the evidence's tables is filled (แบบ สขร.1, O15)."""
from __future__ import annotations

from crawler.audit.checks.base import Check, Reason

CHECK = Check(
    key="table_filled", doc="no blank cell under a headed column in a data row",
    reasons={"blank_column": Reason("ตารางมีช่องที่ไม่ได้กรอกข้อมูล", "A table has blank cells in its data rows",
                                    "กรอกข้อมูลให้ครบทุกช่อง (ใส่ \"-\" เมื่อไม่มีข้อมูล)")})


def blank_cells(tables) -> str | None:
    """Where a data row has an empty cell under a headed column, or None when every row is filled.

    The header is the first row with two or more filled cells; rows with at most one filled cell
    (titles, "ไม่มีการจัดซื้อจัดจ้าง") and total rows ("รวม") are not data rows; "-" counts as filled.
    """
    for table in tables:
        rows = [[(cell or "").strip() for cell in row] for row in table.rows]
        header_at = next((n for n, row in enumerate(rows) if sum(1 for c in row if c) >= 2), None)
        if header_at is None:
            continue
        header = rows[header_at]
        columns = [n for n, c in enumerate(header) if c]
        for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
            filled = [c for c in row if c]
            if len(filled) <= 1 or filled[0].startswith(("รวม", "total", "Total")):
                continue
            for col in columns:
                if col >= len(row) or not row[col]:
                    return f"{table.where or 'ตาราง'} แถวที่ {number} คอลัมน์ “{header[col]}” ว่าง"
    return None
