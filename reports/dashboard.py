"""dashboard.html and dashboard.xlsx: the fleet's site × item matrix (data from crawler/history/dashboard.py).

The page is as self-contained as report.html (inline CSS, nothing fetched) with one exception: a small
inline script sorts a table by the clicked column header. The Content-Security-Policy allows exactly
that script, by its SHA-256 hash, and nothing else.
"""
from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from crawler.audit.status import STATUS_LABELS, STATUS_MARKS, ItemStatus
from crawler.text.format import fmt_num
from crawler.text.sanitize import clean
from reports.html import TEMPLATES, render

SCRIPT = TEMPLATES.loader.get_source(TEMPLATES, "dashboard.js")[0]
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
CSP = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{SCRIPT_HASH}'"

PENDING_LABEL = ("รอเก็บข้อมูล", "Not crawled yet")   # a site of the round not crawled yet
# Sort rank of a cell: the worst first when sorted descending (fail 5 … pass 0).
RANK = {ItemStatus.FAIL: 5, ItemStatus.UNREACHABLE: 4, ItemStatus.PARTIAL: 3, ItemStatus.REVIEW: 2,
        ItemStatus.NOT_CHECKED: 1, ItemStatus.PASS: 0}
LEGEND_ORDER = (ItemStatus.PASS, ItemStatus.PARTIAL, ItemStatus.FAIL, ItemStatus.NOT_CHECKED, ItemStatus.REVIEW,
                ItemStatus.UNREACHABLE)


def _label(status: str) -> tuple[str, str]:
    return STATUS_LABELS.get(status, PENDING_LABEL)


def _cells(site: dict, items: list[dict]) -> list[dict[str, Any]]:
    cells = []
    for item in items:
        status = site["statuses"].get(item["id"], "pending")
        th, en = _label(status)
        cells.append({"status": status, "mark": STATUS_MARKS.get(status, "·"), "rank": RANK.get(status, -1),
                      "title": f"{item['id']} {item['title_th']}: {th} / {en}",
                      "href": f"{site['report']}#item-{item['id']}" if site["report"] else None})
    return cells


def _change(value: float | None) -> tuple[str, str, str]:
    if value is None:
        return "", "—", ""
    return f"{value:.2f}", f"{value:+.2f}", "up" if value > 0 else "down" if value < 0 else ""


def dashboard_view(data: dict) -> dict[str, Any]:
    sites = []
    for site in data["sites"]:
        change_value, change_text, change_class = _change(site["oit_change"])
        score = site["oit_score"] if site["published"] else None
        sites.append({**site, "cells": _cells(site, data["items"]),
                      "score_value": "" if score is None else f"{score:.2f}",
                      "score_text": fmt_num(score) if score is not None else (
                          "รอ" if site["state"] == "pending" else "ไม่เผยแพร่"),
                      "change_value": change_value, "change_text": change_text, "change_class": change_class})
    most_failing = [{**item, "key": f"{int(''.join(c for c in item['id'] if c.isdigit()) or 0):04d}"}
                    for item in data["most_failing"]]
    legend = [{"key": s.value, "mark": STATUS_MARKS[s], "th": STATUS_LABELS[s][0], "en": STATUS_LABELS[s][1]}
              for s in LEGEND_ORDER]
    return {**data, "sites": sites, "most_failing": most_failing, "legend": legend,
            "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def render_dashboard(data: dict) -> str:
    return render("dashboard.html", **dashboard_view(clean(data)), title="แดชบอร์ด OIT / OIT fleet dashboard",
                  generator="reports/dashboard.py", CSP=Markup(CSP), script=Markup(SCRIPT))


def matrix_rows(data: dict) -> list[dict[str, Any]]:
    rows = []
    for site in data["sites"]:
        row = {"เว็บไซต์ / site": site["name"], "URL": site["url"],
               "คะแนน OIT / score": site["oit_score"] if site["published"] else None,
               "คะแนนรอบก่อน / previous": site["previous_oit_score"],
               "เปลี่ยนแปลง / change": site["oit_change"], "ระดับ / level": site["level_th"],
               "เก็บข้อมูลสมบูรณ์ / healthy": "ใช่" if site["healthy"] else "ไม่",
               "หมายเหตุ / note": site["error"] or "; ".join(site["health_reasons"])}
        for item in data["items"]:
            row[item["id"]] = _label(site["statuses"].get(item["id"], "pending"))[0]
        row["รายงาน / report"] = site["report"]
        rows.append(row)
    return rows


def write_dashboard(data: dict, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    html = out_dir / "dashboard.html"
    html.write_text(render_dashboard(data), encoding="utf-8")
    xlsx = out_dir / "dashboard.xlsx"
    failing = [{"ข้อ / item": i["id"], "ชื่อ / title": i["title_th"], "ไม่ผ่าน / fail": i["fail"],
                "ได้บางส่วน / partial": i["partial"], "เว็บไซต์ / sites": ", ".join(i["sites"])}
               for i in data["most_failing"]]
    unhealthy = [{"เว็บไซต์ / site": s["name"], "URL": s["url"],
                  "เหตุผล / reason": s["error"] or "; ".join(s["health_reasons"])} for s in data["unhealthy"]]
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(xlsx, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        book = writer.book
        header = book.add_format({"bold": True, "bg_color": "#16325C", "font_color": "#FFFFFF", "text_wrap": True,
                                  "font_name": "Tahoma", "font_size": 10, "valign": "vcenter"})
        for name, rows in (("Sites", matrix_rows(clean(data))), ("Most failing", failing), ("Unhealthy", unhealthy)):
            columns = list(rows[0]) if rows else ["—"]
            pd.DataFrame(rows, columns=columns).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for col, title in enumerate(columns):
                sheet.write_string(0, col, title, header)
                sheet.set_column(col, col, 6 if len(title) <= 3 else 24)
            sheet.freeze_panes(1, 2 if name == "Sites" else 0)
            if rows:
                sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    return [html, xlsx]
