"""Diff reports, apart from the audit report writers: a run-to-run diff (`diff.json`, `diff.html`,
`diff.xlsx`) or a fiscal-year coverage diff (`fy-diff.json`, `fy-diff.html`, `fy-diff.xlsx`), each rendered
from the dict crawler/history/diff.py or crawler/history/fiscal_years.py made.

    write_diff(diff, Path("out"), ("json", "html", "xlsx")) -> [paths]

HTML is one self-contained page (no script, inline style); the workbook has one sheet per list so the
working group can filter and tick off the work. Site text is written as text, never as a formula.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import unquote, urlsplit

import pandas as pd

from reports.html import badge, bi, document, e, link
from reports.writer import STATUS_LABELS, fmt_num, safe_url, thai_date, thai_datetime

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
# HTML

def _page(title: str, header: str, body: str) -> str:
    return document(title, f"""<header class="top"><div class="wrap">{header}</div></header>
<main class="wrap">
{body}
</main>""", generator="reports/diff.py")


def _score(value: Any) -> str:
    return "—" if value is None else fmt_num(value)


def _label(url: str, width: int = 64) -> str:
    """What a reader recognises in a URL: its decoded path (and query), the end kept when it is long."""
    parts = urlsplit(url)
    text = unquote(parts.path + (f"?{parts.query}" if parts.query else "")) or url
    return text if len(text) <= width else "…" + text[-(width - 1):]


def _a(url: str | None) -> str:
    return link(url, _label(url)) if url else "—"


def _table(caption: str, heads: list[str], rows: list[list[str]], empty: str = "") -> str:
    if not rows:
        return f'<p class="muted">{empty}</p>' if empty else ""
    head = "".join(f"<th scope=\"col\">{h}</th>" for h in heads)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<div class="table-wrap"><table><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _status(status: str | None, score: Any) -> str:
    if status is None:
        return "—"
    return f"{badge(status)} <span class=\"muted\">{e(_score(score))}</span>"


def render_diff_html(diff: dict) -> str:
    return render_coverage_html(diff) if diff.get("kind") == "fiscal_years" else render_runs_html(diff)


def _resource_rows(group: dict) -> list[list[str]]:
    rows = []
    for kind, (th, en) in CHANGE_LABELS.items():
        for entry in group.get(kind, []):
            if kind == "moved":
                where = f"{_a(entry['from'])}<br>→ {_a(entry['to'])}"
                detail = ""
            else:
                where = _a(entry["url"])
                detail = ""
                if kind == "failing":
                    detail = e(f"{entry.get('error_kind') or ''} {entry.get('status') or ''}".strip())
                    if entry.get("content_now_at"):
                        detail += f"<br>เนื้อหาเดียวกันอยู่ที่ {_a(entry['content_now_at'])}"
                elif kind == "changed":
                    detail = e(f"{entry.get('size_before') or '—'} → {entry.get('size') or '—'} bytes")
            rows.append([f'<span class="chg chg-{kind}">{bi(th, en)}</span>', where,
                         e((entry.get("format") or "").upper()), detail])
    return rows


def render_runs_html(diff: dict) -> str:
    a, b = diff["before"], diff["after"]
    name = diff["site"].get("name") or diff["site"]["url"]
    title = f"การเปลี่ยนแปลงของเว็บไซต์ {name}: รอบ {a['run_id']} → {b['run_id']}"
    change = diff.get("oit_change")
    header = f"""<p class="kicker">เทียบผลการเก็บข้อมูลสองรอบ <span class="en">Run-to-run diff</span></p>
<h1>{e(name)}</h1><p class="site">{link(diff['site']['url'])}</p>
<dl class="facts">
<div><dt>{bi("รอบก่อน", "Before")}</dt><dd>#{e(a['run_id'])} · {e(thai_datetime(a['started_at']))}</dd></div>
<div><dt>{bi("รอบหลัง", "After")}</dt><dd>#{e(b['run_id'])} · {e(thai_datetime(b['started_at']))}</dd></div>
<div><dt>{bi("ปีงบประมาณ", "Fiscal year")}</dt><dd>พ.ศ. {e(b['fiscal_year'])}</dd></div>
<div><dt>{bi("คะแนน OIT", "OIT score")}</dt><dd>{e(_score(a['oit_score']))} → {e(_score(b['oit_score']))}
{'' if change is None else f'({change:+.2f})'}</dd></div>
</dl>"""
    parts = []
    if diff.get("note"):
        reasons = "".join(f"<li>{e(r)}</li>" for s in (a, b) for r in s.get("health_reasons") or [])
        parts.append(f'<div class="banner" role="alert"><p>{e(diff["note"])}</p><ul>{reasons}</ul></div>')
    item_rows = []
    for item in diff["items"]:
        th, en = DIRECTION_LABELS[item["direction"]]
        elements = "".join(
            f"<li>{e(el['label_th'])}: {e('พบหลักฐาน' if el['after']['satisfied'] else (el.get('reason_th') or 'ไม่พบ'))}"
            + "".join(f"<br><span class=\"muted\">{e(CHANGE_LABELS[c['change']][0])}: </span>{_a(c['url'])}"
                      for c in el["causes"])
            + "</li>" for el in item["elements"])
        item_rows.append([f'<span class="code">{e(item["id"])}</span>', e(item["title_th"]),
                          _status(item["before"]["status"], item["before"]["score"]),
                          _status(item["after"]["status"], item["after"]["score"]),
                          f'<span class="dir dir-{item["direction"]}">{bi(th, en)}</span>',
                          f"<ul>{elements}</ul>"])
    parts.append(f"""<section class="block"><h2>{bi("รายการที่ผลเปลี่ยน", "Items whose verdict changed")}</h2>
{_table(bi("รายการ", "Items"), ["รหัส", "รายการ", "ก่อน", "หลัง", "ทิศทาง", "สาเหตุ"], item_rows,
        "ผลรายข้อไม่เปลี่ยน / no item verdict changed" if diff["items_compared"] else e(diff.get("note") or ""))}
</section>""")
    if diff["evidence_moved"]:
        rows = [[e(m["item"]), e(m["label_th"]), "<br>".join(_a(u) for u in m["from"]),
                 "<br>".join(_a(u) for u in m["to"])] for m in diff["evidence_moved"]]
        parts.append(f"""<section class="block"><h2>{bi("หลักฐานที่ย้ายที่อยู่", "Evidence that moved")}</h2>
{_table(bi("หลักฐาน", "Evidence"), ["รหัส", "องค์ประกอบ", "เดิม", "ใหม่"], rows)}</section>""")
    for key, th, en in (("documents", "เอกสาร", "Documents"), ("pages", "หน้าเว็บ", "Pages")):
        rows = _resource_rows(diff[key])
        parts.append(f"""<section class="block"><h2>{bi(th + "ที่เปลี่ยน", en + " changed")}</h2>
{_table(bi(th, en), ["การเปลี่ยนแปลง", "URL", "รูปแบบ", "รายละเอียด"], rows, "ไม่มีการเปลี่ยนแปลง / no change")}</section>""")
    parts.append(_footer(diff))
    return _page(title, header, "\n".join(parts))


def render_coverage_html(diff: dict) -> str:
    ka, kb = (str(y) for y in diff["years"])
    name = diff["site"].get("name") or diff["site"]["url"]
    audits = diff["audits"]
    title = f"ความครอบคลุมปีงบประมาณ {ka} เทียบ {kb}: {name}"
    header = f"""<p class="kicker">เทียบความครอบคลุมของข้อมูลตามปีงบประมาณ <span class="en">Fiscal-year coverage diff</span></p>
<h1>{e(name)}</h1><p class="site">{link(diff['site']['url'])}</p>
<dl class="facts">""" + "".join(
        f"<div><dt>{bi('ปีงบประมาณ ' + k, 'FY ' + k)}</dt><dd>รอบ #{e(audits[k]['run_id'])} · ณ {e(thai_date(audits[k]['as_of']))}"
        f" · OIT {e(_score(audits[k]['oit_score']))}</dd></div>" for k in (ka, kb)) + "</dl>"
    parts = []
    lacking = [[f'<span class="code">{e(x["item"])}</span>', e(x["label_th"]),
                "<br>".join(_a(d["url"]) for d in x["earlier_documents"]) or "—",
                e(x.get("reason_th") or ""), e(x.get("fix_th") or "")] for x in diff["lacking"]]
    parts.append(f"""<section class="block"><h2>{bi(f"ปี {ka} มี แต่ปี {kb} ยังขาด", f"What {ka} had that {kb} still lacks")}</h2>
{_table(bi("ต้องเผยแพร่", "To publish"), ["รหัส", "องค์ประกอบ", f"เอกสารปี {ka}", f"เหตุผลปี {kb}", "วิธีแก้ไข"], lacking,
        f"ปี {kb} ครอบคลุมทุกอย่างที่ปี {ka} มี / {kb} covers everything {ka} had")}</section>""")
    rows, whole = [], []
    for item in diff["items"]:
        if all(el["coverage"] == "both" for el in item["elements"]):
            whole.append(item)
            continue
        for el in item["elements"]:
            th, en = COVERAGE_LABELS[el["coverage"]]
            cells = []
            for k in (ka, kb):
                view = el["years"][k]
                if view is None:
                    cells.append("—")
                elif view["covered"]:
                    cells.append("✓ " + "<br>".join(_a(d["url"]) for d in view["documents"][:3]))
                else:
                    cells.append(f'<span class="muted">✗ {e(view.get("reason_th") or "")}</span>')
            rows.append([f'<span class="code">{e(item["id"])}</span>', e(el["label_th"]),
                         f'<span class="cov cov-{el["coverage"]}">{bi(th, en)}</span>', *cells])
    both = ", ".join(f'<span class="code">{e(i["id"])}</span>' for i in whole) or "—"
    parts.append(f"""<section class="block"><h2>{bi("รายข้อและองค์ประกอบ", "Per item and element")}</h2>
<p>{bi("ครบทั้งสองปี", "Covered in both years")}: {both}</p>
{_table(bi("ข้อที่ต่างกันระหว่างสองปี", "Items that differ between the years"),
        ["รหัส", "องค์ประกอบ", "ความครอบคลุม", f"ปี {ka}", f"ปี {kb}"], rows, "ไม่มี / none")}</section>""")
    for k in (ka, kb):
        docs = [[_a(d["url"]), e((d.get("format") or "").upper()), e(d.get("fiscal_year") or "—"),
                 e(", ".join(d["serves"]))] for d in diff["documents"][k]]
        parts.append(f"""<section class="block"><h2>{bi(f"เอกสารที่ใช้เป็นหลักฐานของปี {k}", f"Documents serving FY {k}")}</h2>
{_table(bi("เอกสาร", "Documents"), ["URL", "รูปแบบ", "ปีงบประมาณของเอกสาร", "ใช้เป็นหลักฐานของ"], docs, "ไม่มี / none")}</section>""")
    parts.append(_footer(diff))
    return _page(title, header, "\n".join(parts))


def _footer(diff: dict) -> str:
    return (f'<footer class="foot"><p class="muted">oit-crawler · {e(diff.get("kind"))} diff · schema '
            f'{e(diff.get("schema_version"))} · สร้างเมื่อ {e(thai_datetime(diff.get("generated_at")) or "—")}</p></footer>')


CSS = """
body{margin:0;background:#f3f5f8;color:#1c2733;line-height:1.6;font-size:16px;
font-family:"Noto Sans Thai","Leelawadee UI","Sarabun","Waree","Loma","Garuda",Tahoma,system-ui,sans-serif}
a{color:#1f4e8c}
.en{color:#5b6878;font-size:.82em;font-weight:400}
.muted{color:#5b6878}
.wrap{max-width:1080px;margin:0 auto;padding:0 16px}
.top{background:linear-gradient(135deg,#16325c,#1f4e8c);color:#fff;padding:22px 0}
.top .en{color:#c8d6ea}.top a{color:#fff}
.kicker{margin:0 0 4px;color:#dbe6f5}
.site{margin:2px 0 12px;word-break:break-all}
.facts{display:flex;flex-wrap:wrap;gap:8px 28px;margin:0}
.facts dt{font-size:.8em;opacity:.9}.facts dd{margin:0;font-weight:600}
main.wrap{padding:20px 16px 32px}
.block{background:#fff;border:1px solid #dde3ea;border-radius:14px;padding:18px 22px;margin:0 0 18px}
.block h2{font-size:1.3em;margin:0 0 10px;color:#16325c}
.banner{background:#fdecea;border:2px solid #b42318;border-radius:12px;padding:12px 18px;margin-bottom:18px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;padding:6px 0}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid #dde3ea;vertical-align:top;word-break:break-word}
thead th{font-size:.85em;color:#5b6878;white-space:nowrap}
.chg,.dir,.cov{white-space:nowrap}
td ul{margin:4px 0 0;padding-left:1.2em}
.code{display:inline-block;min-width:2.6em;text-align:center;font-weight:700;background:#e9eef6;color:#16325c;border-radius:8px;padding:1px 8px}
.badge{display:inline-flex;align-items:center;gap:5px;white-space:nowrap;border-radius:99px;padding:1px 9px 1px 4px;font-weight:600;font-size:.86em}
.badge .mark{display:inline-flex;justify-content:center;width:1.4em;height:1.4em;border-radius:50%;color:#fff;font-size:.85em}
.st-pass{background:#e7f5ec;color:#1e7d3a}.st-pass .mark{background:#1e7d3a}
.st-partial{background:#fff3d6;color:#8a5a00}.st-partial .mark{background:#e8a317}
.st-fail{background:#fdecea;color:#b42318}.st-fail .mark{background:#b42318}
.st-unreachable{background:#eceef1;color:#545b64}.st-unreachable .mark{background:#545b64}
.st-review{background:#e6effc;color:#1a56b0}.st-review .mark{background:#1a56b0}
.dir-worse,.chg-failing,.chg-removed,.cov-earlier_only{color:#b42318;font-weight:600}
.dir-better,.chg-added,.chg-recovered,.cov-later_only{color:#1e7d3a;font-weight:600}
.foot{max-width:1080px;margin:0 auto;padding:0 16px 24px}
"""


# --------------------------------------------------------------------------------------------------
# Excel

def _runs_sheets(diff: dict) -> list[tuple[str, list[dict]]]:
    a, b = diff["before"], diff["after"]
    summary = [
        {"หัวข้อ": "เว็บไซต์", "ค่า": diff["site"]["url"]},
        {"หัวข้อ": "สำนักงานเขต", "ค่า": diff["site"].get("name") or ""},
        {"หัวข้อ": "รอบก่อน", "ค่า": f"#{a['run_id']} {a['started_at']}"},
        {"หัวข้อ": "รอบหลัง", "ค่า": f"#{b['run_id']} {b['started_at']}"},
        {"หัวข้อ": "ปีงบประมาณ", "ค่า": b["fiscal_year"]},
        {"หัวข้อ": "คะแนน OIT รอบก่อน", "ค่า": a["oit_score"] if a["published"] else "ไม่เผยแพร่"},
        {"หัวข้อ": "คะแนน OIT รอบหลัง", "ค่า": b["oit_score"] if b["published"] else "ไม่เผยแพร่"},
        {"หัวข้อ": "หมายเหตุ", "ค่า": diff.get("note") or ""},
    ]
    for key, th in (("documents", "เอกสาร"), ("pages", "หน้าเว็บ")):
        for kind, (label, _) in CHANGE_LABELS.items():
            summary.append({"หัวข้อ": f"{th}: {label}", "ค่า": len(diff[key][kind])})
    items = [{"รหัส": i["id"], "ชื่อรายการ": i["title_th"],
              "สถานะก่อน": STATUS_LABELS.get(i["before"]["status"], ("",))[0], "คะแนนก่อน": i["before"]["score"],
              "สถานะหลัง": STATUS_LABELS.get(i["after"]["status"], ("",))[0], "คะแนนหลัง": i["after"]["score"],
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
    return [("Summary", summary), ("Items", items), ("Documents", resources(diff["documents"])),
            ("Pages", resources(diff["pages"])), ("Evidence moved", moved)]


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
    return [("Lacking", lacking), ("Coverage", coverage), ("Documents", documents)]


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
                sheet.set_column(col, col, 60 if title.startswith(("URL", "เอกสาร")) else 28, cell)
                if title == "URL":
                    for r, value in enumerate(frame[title].tolist(), start=1):
                        href = safe_url(value)
                        if href and len(href) < 2000:
                            sheet.write_url(r, col, href, url_fmt, string=str(value))
            sheet.freeze_panes(1, 0)
            if rows:
                sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    return path
