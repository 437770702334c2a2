"""Diff reports, apart from the audit report writers: a run-to-run diff (`diff.json`, `diff.html`,
`diff.xlsx`) or a fiscal-year coverage diff (`fy-diff.json`, `fy-diff.html`, `fy-diff.xlsx`), each rendered
from the dict crawler/history/diff.py or crawler/history/fiscal_years.py made.

    write_diff(diff, Path("out"), ("json", "html", "xlsx")) -> [paths]

HTML is one self-contained page (no script, inline style; templates/diff_*.html); the workbook has one sheet per list so the
working group can filter and tick off the work. Site text is written as text, never as a formula.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from crawler.audit.status import status_th
from crawler.evidence.failures import failure_label
from crawler.text.format import fmt_num, safe_url, thai_date, thai_datetime
from reports.html import render

DIFF_FORMATS = ("json", "html", "xlsx")
CHANGE_LABELS = {   # (Thai, English)
    "added": ("เพิ่มใหม่", "Added"),
    "removed": ("หายไป (ไม่มีลิงก์แล้ว)", "Removed"),
    "changed": ("เนื้อหาเปลี่ยน", "Changed"),
    "failing": ("เปิดไม่ได้แล้ว", "Now failing"),
    "recovered": ("กลับมาเปิดได้", "Working again"),
    "moved": ("ย้ายที่อยู่", "Moved"),
}
COVERAGE_LABELS = {
    "both": ("มีทั้งสองปี", "Both years"),
    "earlier_only": ("มีเฉพาะปีก่อน", "Earlier year only"),
    "later_only": ("มีเฉพาะปีหลัง", "Later year only"),
    "neither": ("ไม่มีทั้งสองปี", "Neither year"),
    "only_in_one_checklist": ("อยู่ในเกณฑ์ปีเดียว", "In one checklist only"),
}
DIRECTION_LABELS = {"better": ("ดีขึ้น", "Better"), "worse": ("แย่ลง", "Worse"), "changed": ("เปลี่ยน", "Changed")}


def stem(diff: dict) -> str:
    return "fy-diff" if diff.get("kind") == "fiscal_years" else "diff"


def write_diff(diff: dict, out_dir: str | Path, formats: Iterable[str] = DIFF_FORMATS) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = out / f"{stem(diff)}.{fmt}"
        if fmt == "json":
            path.write_text(json.dumps(diff, ensure_ascii=False, indent=2), encoding="utf-8")
        elif fmt == "html":
            path.write_text(render_diff_html(diff), encoding="utf-8")
        elif fmt == "xlsx":
            write_diff_xlsx(diff, path)
        else:
            raise ValueError(f"unknown diff format {fmt!r}; known: {', '.join(DIFF_FORMATS)}")
        paths.append(path)
    return paths


# --------------------------------------------------------------------------------------------------
# HTML: view models for templates/diff_runs.html and templates/diff_coverage.html


def _score(value: Any) -> str:
    return "—" if value is None else fmt_num(value)




def render_diff_html(diff: dict) -> str:
    if diff.get("kind") == "fiscal_years":
        return render("diff_coverage.html", **coverage_view(diff))
    return render("diff_runs.html", **runs_view(diff))


def _page_view(diff: dict, title: str) -> dict[str, Any]:
    return {"title": title, "generator": "reports/diff.py",
            "name": diff["site"].get("name") or diff["site"]["url"], "site_url": diff["site"]["url"],
            "footer": {"kind": diff.get("kind"), "schema_version": diff.get("schema_version"),
                       "generated_at": thai_datetime(diff.get("generated_at")) or "—"}}


def _resource_rows(group: dict) -> list[dict[str, Any]]:
    rows = []
    for kind, (th, en) in CHANGE_LABELS.items():
        for entry in group.get(kind, []):
            row = {"kind": kind, "th": th, "en": en, "format": (entry.get("format") or "").upper(), "detail": "",
                   "content_now_at": None, "url": entry.get("url"), "from": entry.get("from"), "to": entry.get("to")}
            if kind == "failing":
                kind_th = failure_label(entry.get("error_kind")) or entry.get("error_kind") or ""
                row["detail"] = f"{kind_th} ({entry['status']})" if entry.get("status") else kind_th
                row["content_now_at"] = entry.get("content_now_at")
            elif kind == "changed":
                row["detail"] = f"{entry.get('size_before') or '—'} → {entry.get('size') or '—'} bytes"
            rows.append(row)
    return rows


def runs_view(diff: dict) -> dict[str, Any]:
    a, b = diff["before"], diff["after"]
    name = diff["site"].get("name") or diff["site"]["url"]
    change = diff.get("oit_change")
    items = []
    for item in diff["items"]:
        th, en = DIRECTION_LABELS[item["direction"]]
        items.append({
            "id": item["id"], "title_th": item["title_th"], "direction": item["direction"],
            "direction_th": th, "direction_en": en,
            "before": {"status": item["before"]["status"], "score": _score(item["before"]["score"])},
            "after": {"status": item["after"]["status"], "score": _score(item["after"]["score"])},
            "elements": [{"label_th": el["label_th"],
                          "verdict": "พบหลักฐาน" if el["after"]["satisfied"] else (el.get("reason_th") or "ไม่พบ"),
                          "causes": [{"change_th": CHANGE_LABELS[c["change"]][0], "url": c["url"]}
                                     for c in el["causes"]]} for el in item["elements"]],
        })
    return {
        **_page_view(diff, f"การเปลี่ยนแปลงของเว็บไซต์ {name}: รอบ {a['run_id']} → {b['run_id']}"),
        "before": {"run_id": a["run_id"], "started_at": thai_datetime(a["started_at"]), "oit_score": _score(a["oit_score"])},
        "after": {"run_id": b["run_id"], "started_at": thai_datetime(b["started_at"]), "oit_score": _score(b["oit_score"])},
        "fiscal_year": b["fiscal_year"],
        "change": "" if change is None else f"({change:+.2f})",
        "note": diff.get("note"),
        "health_reasons": [r for s in (a, b) for r in s.get("health_reasons") or []],
        "items": items,
        "items_empty": "ผลรายข้อไม่เปลี่ยน / no item verdict changed" if diff["items_compared"] else diff.get("note") or "",
        "evidence_moved": diff["evidence_moved"],
        "resources": [{"th": th, "en": en, "rows": _resource_rows(diff[key])}
                      for key, th, en in (("documents", "เอกสาร", "Documents"), ("pages", "หน้าเว็บ", "Pages"))],
    }


def coverage_view(diff: dict) -> dict[str, Any]:
    ka, kb = (str(y) for y in diff["years"])
    name = diff["site"].get("name") or diff["site"]["url"]
    audits = diff["audits"]
    differing, covered_both = [], []
    for item in diff["items"]:
        if all(el["coverage"] == "both" for el in item["elements"]):
            covered_both.append(item["id"])
            continue
        for el in item["elements"]:
            th, en = COVERAGE_LABELS[el["coverage"]]
            years = []
            for k in (ka, kb):
                view = el["years"][k]
                years.append(None if view is None else {
                    "covered": view["covered"], "reason_th": view.get("reason_th") or "",
                    "documents": [d["url"] for d in view["documents"][:3]] if view["covered"] else []})
            differing.append({"item": item["id"], "label_th": el["label_th"], "coverage": el["coverage"],
                              "th": th, "en": en, "years": years})
    return {
        **_page_view(diff, f"ความครอบคลุมปีงบประมาณ {ka} เทียบ {kb}: {name}"),
        "ka": ka, "kb": kb,
        "years": [{"key": k, "run_id": audits[k]["run_id"], "as_of": thai_date(audits[k]["as_of"]),
                   "oit_score": _score(audits[k]["oit_score"]),
                   "documents": [{"url": d["url"], "format": (d.get("format") or "").upper(),
                                  "fiscal_year": d.get("fiscal_year") or "—", "serves": ", ".join(d["serves"])}
                                 for d in diff["documents"][k]]} for k in (ka, kb)],
        "lacking": [{"item": x["item"], "label_th": x["label_th"],
                     "earlier_documents": [d["url"] for d in x["earlier_documents"]],
                     "reason_th": x.get("reason_th") or "", "fix_th": x.get("fix_th") or ""} for x in diff["lacking"]],
        "covered_both": covered_both,
        "differing": differing,
    }


# --------------------------------------------------------------------------------------------------
# Excel

def _runs_sheets(diff: dict) -> list[tuple[str, list[dict]]]:
    a, b = diff["before"], diff["after"]
    summary = [
        {"หัวข้อ": "เว็บไซต์", "ค่า": diff["site"]["url"]},
        {"หัวข้อ": "สำนักงานเขต", "ค่า": diff["site"].get("name") or ""},
        {"หัวข้อ": "รอบก่อน", "ค่า": f"#{a['run_id']} {thai_datetime(a['started_at'])} น."},
        {"หัวข้อ": "รอบหลัง", "ค่า": f"#{b['run_id']} {thai_datetime(b['started_at'])} น."},
        {"หัวข้อ": "ปีงบประมาณ", "ค่า": b["fiscal_year"]},
        {"หัวข้อ": "คะแนน OIT รอบก่อน", "ค่า": a["oit_score"] if a["published"] else "ไม่เผยแพร่"},
        {"หัวข้อ": "คะแนน OIT รอบหลัง", "ค่า": b["oit_score"] if b["published"] else "ไม่เผยแพร่"},
        {"หัวข้อ": "หมายเหตุ", "ค่า": diff.get("note") or ""},
    ]
    for key, th in (("documents", "เอกสาร"), ("pages", "หน้าเว็บ")):
        for kind, (label, _) in CHANGE_LABELS.items():
            summary.append({"หัวข้อ": f"{th}: {label}", "ค่า": len(diff[key][kind])})
    items = [{"รหัส": i["id"], "ชื่อรายการ": i["title_th"],
              "สถานะก่อน": status_th(i["before"]["status"]) if i["before"]["status"] else "", "คะแนนก่อน": i["before"]["score"],
              "สถานะหลัง": status_th(i["after"]["status"]) if i["after"]["status"] else "", "คะแนนหลัง": i["after"]["score"],
              "ทิศทาง": DIRECTION_LABELS[i["direction"]][0], "สาเหตุ": i.get("reason_th") or "",
              "องค์ประกอบที่เปลี่ยน": "; ".join(el["label_th"] for el in i["elements"])} for i in diff["items"]]

    def resources(group: dict) -> list[dict]:
        rows = []
        for kind, (label, _) in CHANGE_LABELS.items():
            for entry in group[kind]:
                rows.append({"การเปลี่ยนแปลง": label, "URL": entry.get("url") or entry.get("to"),
                             "URL เดิม": entry.get("from") or "", "รูปแบบ": (entry.get("format") or "").upper(),
                             "ชื่อไฟล์": entry.get("filename") or "",
                             "ข้อผิดพลาด": entry.get("error_kind") or "", "รหัสสถานะ HTTP": entry.get("status")})
        return rows

    moved = [{"รหัส": m["item"], "องค์ประกอบ": m["label_th"], "URL เดิม": " ".join(m["from"]),
              "URL": " ".join(m["to"])} for m in diff["evidence_moved"]]
    return [("สรุป", summary), ("รายการที่ผลเปลี่ยน", items), ("เอกสารที่เปลี่ยน", resources(diff["documents"])),
            ("หน้าเว็บที่เปลี่ยน", resources(diff["pages"])), ("หลักฐานที่ย้ายที่อยู่", moved),
            ("คำอธิบาย", _legend([("การเปลี่ยนแปลง", CHANGE_LABELS), ("ทิศทาง", DIRECTION_LABELS)]))]


def _coverage_sheets(diff: dict) -> list[tuple[str, list[dict]]]:
    ka, kb = (str(y) for y in diff["years"])
    lacking = [{"รหัส": x["item"], "องค์ประกอบ": x["label_th"],
                f"เอกสารปี {ka}": " ".join(d["url"] for d in x["earlier_documents"]),
                f"เหตุผลปี {kb}": x.get("reason_th") or "", "วิธีแก้ไข": x.get("fix_th") or "",
                "ผลการดำเนินการ": ""} for x in diff["lacking"]]
    coverage = []
    for item in diff["items"]:
        for el in item["elements"]:
            row = {"รหัส": item["id"], "องค์ประกอบ": el["label_th"], "ความครอบคลุม": COVERAGE_LABELS[el["coverage"]][0]}
            for k in (ka, kb):
                view = el["years"][k]
                row[f"ปี {k}"] = "—" if view is None else ("มี" if view["covered"] else "ไม่มี")
                row[f"เอกสารปี {k}"] = " ".join(d["url"] for d in (view or {}).get("documents", []))
            coverage.append(row)
    documents = [{"ปีงบประมาณ": k, "URL": d["url"], "รูปแบบ": (d.get("format") or "").upper(),
                  "ใช้เป็นหลักฐานของ": ", ".join(d["serves"])} for k in (ka, kb) for d in diff["documents"][k]]
    return [("ต้องเผยแพร่", lacking), ("ความครอบคลุม", coverage), ("เอกสาร", documents),
            ("คำอธิบาย", _legend([("ความครอบคลุม", COVERAGE_LABELS)]))]


def _legend(groups: list[tuple[str, dict[str, tuple[str, str]]]]) -> list[dict]:
    """คำอธิบาย: each label the diff workbook uses, with its English."""
    return [{"หมวด": group, "ค่าที่แสดง": th, "English": en}
            for group, labels in groups for th, en in labels.values()]


def _width(title: str, values) -> int:
    """A column as wide as its header and typical value (Thai counts fewer columns per character), 8-60."""
    longest = max([len(str(v)) for v in values if v is not None] + [0])
    if title.startswith(("URL", "เอกสาร")):
        return 60
    return max(8, min(60, max(len(title), round(longest * 0.8)) + 2))


def write_diff_xlsx(diff: dict, path: Path) -> Path:
    sheets = _coverage_sheets(diff) if diff.get("kind") == "fiscal_years" else _runs_sheets(diff)
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        book = writer.book
        header = book.add_format({"bold": True, "bg_color": "#16325C", "font_color": "#FFFFFF", "text_wrap": True,
                                  "font_name": "Tahoma", "font_size": 10, "valign": "vcenter"})
        cell = book.add_format({"font_name": "Tahoma", "font_size": 10, "valign": "top", "text_wrap": True})
        url_fmt = book.add_format({"font_name": "Tahoma", "font_size": 10, "font_color": "#1F4E8C", "underline": 1})
        for name, rows in sheets:
            columns = list(rows[0]) if rows else ["—"]
            frame = pd.DataFrame(rows, columns=columns)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for col, title in enumerate(columns):
                sheet.write_string(0, col, title, header)
                sheet.set_column(col, col, _width(title, frame[title] if rows else []), cell)
                if title == "URL":
                    for r, value in enumerate(frame[title].tolist(), start=1):
                        href = safe_url(value)
                        if href and len(href) < 2000:
                            sheet.write_url(r, col, href, url_fmt, string=str(value))
            sheet.freeze_panes(1, 0)
            if rows:
                sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    return path
