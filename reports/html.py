"""report.html: one self-contained page the ITA working group can open on a phone and forward.

Inline CSS and inline SVG only: no scripts, fonts, images or anything else fetched (the page carries a
Content-Security-Policy that forbids it). Everything that came from the crawled site is escaped, and
only http(s) URLs become links.
"""
from __future__ import annotations

import math
from collections import OrderedDict
from html import escape
from pathlib import Path
from typing import Any, Iterable

from reports.writer import (BASIS_LABELS, ELEMENT_STATUS_LABELS, FAILURE_KINDS, MATCHED_IN_LABELS,
                            STATUS_LABELS, STATUS_MARKS, SUB_INDICATORS, Report, ReportWriter, element_status,
                            fix_entries, fmt_num, is_published, item_fix_text, item_reason_text, items_to_fix,
                            open_elements, register, safe_url, site_name, thai_date, thai_datetime)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
MAX_FAILURES_SHOWN = 200
MAX_CANDIDATES_SHOWN = 5


def e(value: Any) -> str:
    """Escape anything for HTML text or a quoted attribute."""
    return escape("" if value is None else str(value), quote=True)


def link(url: Any, text: Any = None, cls: str = "") -> str:
    """An <a> for http(s) URLs; any other URL (javascript:, data:, relative) is shown as plain text."""
    label = e(text if text not in (None, "") else url)
    href = safe_url(url)
    if href is None:
        return (f'<span class="nolink{(" " + cls) if cls else ""}" '
                f'title="ไม่ใช่ลิงก์ http/https จึงไม่แสดงเป็นลิงก์">{label}</span>')
    cls_attr = f' class="{cls}"' if cls else ""
    return f'<a{cls_attr} href="{e(href)}" rel="noopener noreferrer" target="_blank">{label}</a>'


def bi(th: str, en: str) -> str:
    """Thai first, English secondary."""
    return f'{e(th)} <span class="en">{e(en)}</span>'


def badge(status: str) -> str:
    th, en = STATUS_LABELS.get(status, (status, status))
    mark = STATUS_MARKS.get(status, "•")
    return (f'<span class="badge st-{e(status)}"><span class="mark" aria-hidden="true">{mark}</span>'
            f'{e(th)} <span class="en">{e(en)}</span></span>')


def item_number(item: dict) -> int:
    try:
        return int(str(item.get("id", "O0"))[1:])
    except ValueError:
        return 10_000


# --------------------------------------------------------------------------------------------------
# Page


def render_html(report: Report) -> str:
    name = site_name(report)
    title = f"ผลคาดการณ์ OIT {name} ปีงบประมาณ พ.ศ. {report.get('fiscal_year', '')}"
    body = "\n".join(part for part in (
        _header(report, name),
        '<main class="wrap">',
        _summary(report),
        _overrides_section(report),
        _toc(report),
        _indicators_section(report),
        _fix_section(report),
        _plan_section(report),
        _items_section(report),
        _history_section(report),
        _crawl_section(report),
        "</main>",
        _footer(report),
    ) if part)
    return document(title, body)


def document(title: str, body: str, generator: str = "reports/html.py") -> str:
    """A self-contained page: no script, nothing fetched, readable on a phone (the report and the diffs)."""
    return f"""<!doctype html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="oit-crawler {generator}">
<title>{e(title)}</title>
<style>{CSS}</style>
</head>
<body>
{body}
</body>
</html>
"""


def _header(report: Report, name: str) -> str:
    site = report.get("site") or {}
    checklist = report.get("checklist") or {}
    crawl = report.get("crawl") or {}
    facts = [
        ("ปีงบประมาณ", "Fiscal year", f"พ.ศ. {e(report.get('fiscal_year'))}"),
        ("ข้อมูล ณ วันที่", "As of", e(thai_date(report.get("as_of")))),
        ("เกณฑ์ที่ใช้", "Checklist", f"{e(checklist.get('id'))} <span class=\"en\">v{e(checklist.get('version'))}</span>"),
        ("รอบการเก็บข้อมูล", "Crawl run", f"#{e(crawl.get('run_id'))}"),
    ]
    facts_html = "".join(f"<div><dt>{bi(th, en)}</dt><dd>{value}</dd></div>" for th, en, value in facts)
    return f"""<header class="top">
<div class="wrap">
<p class="kicker">รายงานคาดการณ์ผลการประเมินการเปิดเผยข้อมูลสาธารณะ (OIT) <span class="en">Predicted OIT score report</span></p>
<h1>{e(name)}</h1>
<p class="site">{link(site.get("url"))}</p>
<dl class="facts">{facts_html}</dl>
</div>
</header>"""


def _unpublished_banner(report: Report) -> str:
    reasons = (report.get("crawl") or {}).get("health_reasons") or []
    reasons_html = "".join(f"<li>{e(r)}</li>" for r in reasons) or "<li>ไม่ระบุสาเหตุ</li>"
    return f"""<div class="banner" role="alert">
<p class="banner-title"><span class="mark" aria-hidden="true">!</span> ไม่เผยแพร่คะแนน: การเก็บข้อมูลเว็บไซต์ไม่สมบูรณ์
<span class="en">No score published: the crawl was unhealthy</span></p>
<p>ผลรายข้อด้านล่างอาจไม่ครบถ้วน ควรตรวจสอบเว็บไซต์และเก็บข้อมูลใหม่อีกครั้ง สาเหตุ:</p>
<ul>{reasons_html}</ul>
</div>"""


def _summary(report: Report) -> str:
    published = is_published(report)
    ind = report.get("indicators") or {}
    parts = []
    if not published:
        parts.append(_unpublished_banner(report))
    score = report.get("oit_score") if published else None
    parts.append('<section class="summary" aria-label="สรุปคะแนน">')
    big = (f'<p class="big"><span class="num">{fmt_num(score)}</span><span class="of">/ 100</span></p>' if published
           else '<p class="big"><span class="num na">ไม่เผยแพร่</span></p>')
    parts.append(f"""<div class="hero-score">
<p class="label">{bi("คะแนน OIT ที่คาดการณ์", "Predicted OIT score")}</p>
{big}
<p class="sub">{bi("คะแนนที่ได้", "OIT points")} <strong>{fmt_num(report.get("oit_points") if published else None)}</strong> / 40</p>
</div>""")
    cards = []
    for code, th, en in (("9", "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", "Indicator 9: Disclosure"),
                         ("10", "ตัวชี้วัดที่ 10 การป้องกันการทุจริต", "Indicator 10: Corruption prevention")):
        data = ind.get(code) or {}
        value = data.get("score") if published else None
        cards.append(f"""<div class="card">
<p class="label">{bi(th, en)}</p>
<p class="mid">{fmt_num(value)}</p>
{_bar(value)}
<p class="sub">{fmt_num(data.get("points") if published else None)} / {fmt_num(data.get("max_points"))} คะแนน</p>
</div>""")
    ita = report.get("ita")
    if ita and published:
        cards.append(f"""<div class="card ita">
<p class="label">{bi("ITA รวม (รวมผลแบบสำรวจ)", "ITA total with survey")}</p>
<p class="mid">{fmt_num(ita.get("total"))}</p>
<p class="level">ระดับ <strong>{e(ita.get("level_th"))}</strong> <span class="en">{e(ita.get("level_en"))}</span></p>
<p class="sub">IIT {fmt_num(ita.get("iit"))}/30 · EIT {fmt_num(ita.get("eit"))}/30 · OIT {fmt_num(ita.get("oit"))}/40</p>
</div>""")
    parts.append(f'<div class="cards">{"".join(cards)}</div>')
    parts.append(_status_counts(report))
    parts.append("</section>")
    return "\n".join(parts)


def _status_counts(report: Report) -> str:
    counts = OrderedDict((s, 0) for s in STATUS_LABELS)
    for item in report.get("items", []):
        counts[item.get("status")] = counts.get(item.get("status"), 0) + 1
    chips = "".join(f'<li>{badge(status)} <strong>{n}</strong> รายการ</li>'
                    for status, n in counts.items() if n)
    return f'<ul class="counts" aria-label="จำนวนรายการตามสถานะ">{chips}</ul>'


def _bar(value: Any, status: str | None = None) -> str:
    if value is None:
        return '<div class="bar"><span style="width:0"></span></div>'
    pct = max(0.0, min(100.0, float(value)))
    tone = status or ("pass" if pct >= 85 else "partial" if pct >= 50 else "fail")
    return f'<div class="bar" aria-hidden="true"><span class="st-{tone}" style="width:{pct:.2f}%"></span></div>'


def _toc(report: Report) -> str:
    links = [("#indicators", "ตัวชี้วัดย่อย"), ("#fix", "ต้องแก้ไข")]
    if report.get("plan"):
        links.append(("#plan", "แผนแก้ไข"))
    links.append(("#items", "ผลรายข้อ O1–O22"))
    if report.get("overrides"):
        links.append(("#overrides", "การปรับผลโดยคณะทำงาน"))
    if report.get("history"):
        links.append(("#history", "คะแนนย้อนหลัง"))
    links.append(("#crawl", "การเก็บข้อมูล"))
    return '<nav class="toc" aria-label="สารบัญ">' + "".join(
        f'<a href="{href}">{e(text)}</a>' for href, text in links) + "</nav>"


# --------------------------------------------------------------------------------------------------
# Sub-indicators: radar chart and table


def _indicators_section(report: Report) -> str:
    published = is_published(report)
    ind = report.get("indicators") or {}
    codes = [c for c in SUB_INDICATORS if c in ind]
    rows = []
    for code in codes:
        data = ind[code]
        value = data.get("score") if published else None
        rows.append(f"""<tr>
<th scope="row"><span class="code">{e(code)}</span></th>
<td class="name">{e(data.get("title_th"))}{_bar(value)}</td>
<td class="num">{fmt_num(value)}<div class="pts">{fmt_num(data.get("points") if published else None)}/{fmt_num(data.get("max_points"))} คะแนน</div></td>
</tr>""")
    table = f"""<table class="subind">
<thead><tr><th scope="col">ตัวชี้วัด</th><th scope="col">{bi("ชื่อตัวชี้วัดย่อย", "Sub-indicator")}</th>
<th scope="col" class="num">{bi("คะแนน", "Score")}</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>"""
    return f"""<section id="indicators" class="block">
<h2>{bi("คะแนนรายตัวชี้วัดย่อย", "Sub-indicator scores")}</h2>
<div class="twocol">
<figure class="radar">{radar_svg(ind, codes, published)}
<figcaption>กราฟใยแมงมุมคะแนนตัวชี้วัดย่อย 9.1–10.2 (เต็ม 100) <span class="en">Radar chart, 0–100</span></figcaption></figure>
{table}
</div>
</section>"""


def radar_svg(indicators: dict, codes: list[str], published: bool = True) -> str:
    """A spider chart of sub-indicator scores (0–100) as inline SVG, like the seed document's figure 1."""
    n = len(codes)
    if n < 3:
        return ""
    cx, cy, radius = 230.0, 200.0, 140.0
    width, height = 460, 400

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    def poly(values: Iterable[float]) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))

    out = [f'<svg class="radar-svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-labelledby="radar-title" xmlns="http://www.w3.org/2000/svg">',
           '<title id="radar-title">คะแนนตัวชี้วัดย่อย ' + e(", ".join(
               f"{c} {fmt_num((indicators[c] or {}).get('score') if published else None)}" for c in codes)) + "</title>"]
    for ring in (25, 50, 75, 100):
        out.append(f'<polygon points="{poly([ring] * n)}" fill="{"#f4f6fa" if ring == 100 else "none"}" '
                   f'stroke="#c9d1dc" stroke-width="1"/>')
        x, y = point(0, ring)
        out.append(f'<text x="{x - 5:.1f}" y="{y + 11:.1f}" text-anchor="end" class="tick">{ring}</text>')
    for i in range(n):
        x, y = point(i, 100)
        out.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#c9d1dc" stroke-width="1"/>')
    values = []
    for code in codes:
        score = (indicators[code] or {}).get("score") if published else None
        values.append(None if score is None else max(0.0, min(100.0, float(score))))
    if all(v is not None for v in values):
        out.append(f'<polygon points="{poly(values)}" fill="#1f4e8c" fill-opacity="0.22" '
                   f'stroke="#1f4e8c" stroke-width="2.5" stroke-linejoin="round"/>')
        for i, v in enumerate(values):
            x, y = point(i, v)
            tone = "#1e7d3a" if v >= 85 else "#b7791f" if v >= 50 else "#c0392b"
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{tone}" stroke="#fff" stroke-width="1.5"/>')
    else:
        out.append(f'<rect x="{cx - 75}" y="{cy - 30}" width="150" height="52" rx="8" fill="#fff" stroke="#c9d1dc"/>'
                   f'<text x="{cx}" y="{cy - 8}" text-anchor="middle" class="nodata">ไม่มีคะแนน</text>'
                   f'<text x="{cx}" y="{cy + 12}" text-anchor="middle" class="nodata en">no score published</text>')
    for i, code in enumerate(codes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        lx, ly = cx + (radius + 20) * math.cos(angle), cy + (radius + 20) * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.3 else "end" if math.cos(angle) < -0.3 else "middle"
        if math.sin(angle) < -0.9:
            ly -= 14
        elif math.sin(angle) > 0.3:
            ly += 6
        full = (indicators[code] or {}).get("title_th") or ""
        value = values[i]
        out.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" class="axis">'
                   f'<title>{e(code)} {e(full)}</title>'
                   f'<tspan class="axis-code">{e(code)}</tspan>'
                   f'<tspan x="{lx:.1f}" dy="17" class="axis-val">{fmt_num(value)}</tspan></text>')
    out.append("</svg>")
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# What to fix


def _fix_section(report: Report) -> str:
    todo = items_to_fix(report)
    if not todo:
        return f"""<section id="fix" class="block">
<h2>{bi("ต้องแก้ไข", "To fix")}</h2>
<p class="ok-note">{badge("pass")} ทุกรายการผ่านเกณฑ์ ไม่มีรายการที่ต้องแก้ไข</p>
</section>"""
    lost = sum(float(i.get("points_lost") or 0) for i in todo)
    published = is_published(report)
    gain = ""
    if published and lost:
        gain = (f'<p class="gain">ถ้าแก้ไขครบทุกรายการ คะแนน OIT จะเพิ่มได้สูงสุด <strong>{fmt_num(lost)}</strong> '
                f'คะแนน (จาก 40) หรือ <strong>{fmt_num(lost / 40 * 100)}</strong> คะแนนเต็ม 100 '
                f'<span class="en">Up to {fmt_num(lost)} of 40 points to regain</span></p>')
    cards = "\n".join(_fix_card(item) for item in todo)
    return f"""<section id="fix" class="block">
<h2>{bi("ต้องแก้ไข", "To fix")} <span class="count">{len(todo)} รายการ</span></h2>
<p class="intro">รายการที่ไม่ผ่านและได้บางส่วนอยู่ก่อน ตามด้วยรายการที่ต้องให้เจ้าหน้าที่ตรวจสอบ
แต่ละรายการบอกสิ่งที่ต้องเผยแพร่ รูปแบบไฟล์ ปีงบประมาณ และหน่วยงานที่รับผิดชอบ</p>
{gain}
{_units_table(todo)}
<div class="fixes">
{cards}
</div>
</section>"""


def _units_table(todo: list[dict]) -> str:
    units: OrderedDict[str, list[dict]] = OrderedDict()
    for item in todo:
        units.setdefault(item.get("unit_th") or "ไม่ระบุหน่วยงาน", []).append(item)
    rows = []
    for unit, items in units.items():
        ids = ", ".join(f'<a href="#item-{e(i.get("id"))}">{e(i.get("id"))}</a>' for i in items)
        lost = sum(float(i.get("points_lost") or 0) for i in items)
        rows.append(f'<tr><th scope="row">{e(unit)}</th><td>{ids}</td><td class="num">{fmt_num(lost)}</td></tr>')
    return f"""<div class="table-wrap"><table class="units">
<caption>{bi("สรุปตามหน่วยงานที่รับผิดชอบ", "By responsible unit")}</caption>
<thead><tr><th scope="col">หน่วยงาน</th><th scope="col">รายการ</th><th scope="col" class="num">คะแนนที่เสีย</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>"""


def _fix_card(item: dict) -> str:
    status = item.get("status", "")
    item_id = item.get("id", "")
    todo = []
    for label, reason, fix in fix_entries(item):
        todo.append("<li>" + (f'<span class="what">{e(label)}</span>' if label else "")
                    + (f'<span class="why">{e(reason)}</span>' if reason else "")
                    + (f'<p class="fixline"><span class="k">ต้องทำ</span> {e(fix)}</p>' if fix else "") + "</li>")
    return f"""<article class="fix st-{e(status)}" id="fix-{e(item_id)}" data-item="{e(item_id)}" data-status="{e(status)}">
<div class="fix-head"><span class="code">{e(item_id)}</span><h3>{e(item.get("title_th"))}</h3>{badge(status)}</div>
<p class="fix-meta"><span>หน่วยงานรับผิดชอบ <strong>{e(item.get("unit_th") or "ไม่ระบุ")}</strong></span>
<span>คะแนน {fmt_num(item.get("score"))}/100</span>
<span>เสีย <strong>{fmt_num(item.get("points_lost"))}</strong> จาก {fmt_num(item.get("points"))} คะแนน</span></p>
<ul class="todo">{"".join(todo)}</ul>
<p class="more"><a href="#item-{e(item_id)}">ดูรายละเอียดและหลักฐาน {e(item_id)} ↓</a></p>
</article>"""


# --------------------------------------------------------------------------------------------------
# Every item


def _items_section(report: Report) -> str:
    ind = report.get("indicators") or {}
    published = is_published(report)
    items = sorted(report.get("items", []), key=item_number)
    groups: OrderedDict[str, list[dict]] = OrderedDict()
    for item in items:
        groups.setdefault(item.get("sub_indicator") or "", []).append(item)
    parts = []
    for code, group in groups.items():
        data = ind.get(code) or {}
        heading = (f'<span class="code">{e(code)}</span> {e(data.get("title_th"))} '
                   f'<span class="grp-score">{fmt_num(data.get("score") if published else None)}</span>'
                   if code else "รายการอื่น")
        parts.append(f'<h3 class="group">{heading}</h3>')
        parts.extend(_item_card(item) for item in group)
    return f"""<section id="items" class="block">
<h2>{bi("ผลรายข้อ O1–O22", "All items")}</h2>
<p class="intro legend">สถานะ: {" ".join(badge(s) for s in STATUS_LABELS)}<br>
ฐานของเกณฑ์: <strong>S</strong> = {e(BASIS_LABELS["S"][0])} (มีที่มาจากเอกสารทางการ) ·
<strong>I</strong> = {e(BASIS_LABELS["I"][0])} (อนุมานจากแนวปฏิบัติ ยังไม่มีเอกสารยืนยัน)</p>
{"".join(parts)}
</section>"""


def _item_card(item: dict) -> str:
    status = item.get("status", "")
    item_id = item.get("id", "")
    basis = item.get("basis") or ""
    basis_th = BASIS_LABELS.get(basis, (basis, basis))[0]
    note = item.get("basis_note")
    facts = [
        ("คะแนน", f"{fmt_num(item.get('score'))}<span class=\"muted\">/100</span>"),
        ("คะแนนที่เสีย", f"{fmt_num(item.get('points_lost'))}<span class=\"muted\">/{fmt_num(item.get('points'))}</span>"),
        ("ฐานของเกณฑ์", f'<span class="basis b-{e(basis)}">{e(basis)}</span> {e(basis_th)}'),
        ("หน่วยงาน", e(item.get("unit_th") or "—")),
    ]
    facts_html = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts)
    verdict = ""
    # The item's own reason and fix, unless its open elements already give theirs just below.
    if status != "pass" and not any(el.get("reason_th") or el.get("reason") or el.get("fix_th")
                                    for el in open_elements(item)):
        reason, fix = item_reason_text(item), item_fix_text(item)
        lines = []
        if reason:
            lines.append(f'<p><span class="k">เหตุผล</span> {e(reason)}</p>')
        if fix:
            lines.append(f'<p><span class="k">วิธีแก้ไข</span> {e(fix)}</p>')
        if lines:
            verdict = f'<div class="verdict">{"".join(lines)}</div>'
    note_html = f'<p class="basis-note">{e(note)}</p>' if note else ""
    if item.get("override"):
        verdict = (f'<p class="override-note"><span class="k">ปรับผล</span> {e(item["override"].get("label_th"))}'
                   f' <a href="#overrides">ดูการปรับผลทั้งหมด</a></p>') + verdict
    elements = item.get("elements", [])
    n_evidence = sum(len(el.get("evidence") or []) for el in elements)
    # Passing items fold their evidence away so the page stays scannable; the rest show it open.
    fold = (f'<details class="el-wrap"{"" if status == "pass" else " open"}><summary>'
            f'องค์ประกอบ {len(elements)} ข้อ · หลักฐาน {n_evidence} รายการ <span class="en">Elements and evidence</span>'
            f'</summary><ol class="elements">{"".join(_element(el) for el in elements)}</ol></details>')
    title_en = item.get("title_en")
    return f"""<article class="item st-{e(status)}" id="item-{e(item_id)}" data-item="{e(item_id)}" data-status="{e(status)}">
<div class="item-head"><span class="code">{e(item_id)}</span>
<div class="titles"><h4>{e(item.get("title_th"))}</h4>{f'<p class="en">{e(title_en)}</p>' if title_en else ""}</div>
{badge(status)}</div>
<dl class="item-facts">{facts_html}</dl>
{verdict}
{fold}
{note_html}
</article>"""


def _element(element: dict) -> str:
    status = element_status(element)
    th, en = ELEMENT_STATUS_LABELS[status]
    mark = {"satisfied": "✓", "missing": "✗", "review": "!"}[status]
    label = element.get("label_th") or element.get("id")
    basis = element.get("basis")
    head = (f'<div class="el-head"><span class="el-mark" aria-hidden="true">{mark}</span>'
            f'<span class="el-label">{e(label)}</span>'
            f'<span class="el-status">{e(th)} <span class="en">{e(en)}</span></span>'
            + (f'<span class="basis b-{e(basis)}" title="{e(BASIS_LABELS.get(basis, (basis,))[0])}">{e(basis)}</span>'
               if basis else "") + "</div>")
    body = []
    evidence = element.get("evidence") or []
    if evidence:
        body.append('<ul class="evidence">' + "".join(_evidence(ev) for ev in evidence) + "</ul>")
    if status != "satisfied":
        reason = element.get("reason_th") or element.get("reason")
        if reason:
            body.append(f'<p class="reason"><span class="k">เหตุผล</span> {e(reason)}</p>')
        if element.get("fix_th"):
            body.append(f'<p class="fixline"><span class="k">วิธีแก้ไข</span> {e(element["fix_th"])}</p>')
        candidates = element.get("candidates") or []
        if candidates:
            shown = candidates[:MAX_CANDIDATES_SHOWN]
            extra = len(candidates) - len(shown)
            body.append(f"""<details class="cands"><summary>สิ่งที่พบใกล้เคียงแต่ไม่นับ ({len(candidates)})
<span class="en">Near misses</span></summary><ul class="evidence">{"".join(_evidence(c) for c in shown)}</ul>
{f'<p class="muted">และอีก {extra} รายการ</p>' if extra > 0 else ""}</details>""")
    return f'<li class="el el-{status}">{head}{"".join(body)}</li>'


def _evidence(ev: dict) -> str:
    url = ev.get("url")
    text = ev.get("link_text") or url
    tags = []
    if ev.get("fiscal_year") is not None:
        tags.append(f'<span class="tag">ปีงบฯ {e(ev["fiscal_year"])}</span>')
    if ev.get("format"):
        tags.append(f'<span class="tag fmt">{e(str(ev["format"]).upper())}</span>')
    if ev.get("ocr") or ev.get("text_layer") == "scan":
        tags.append('<span class="tag warn">ไฟล์สแกน (OCR)</span>')
    if url and safe_url(url) is None:
        tags.append('<span class="tag warn">ไม่ใช่ลิงก์เว็บ (http/https)</span>')
    if ev.get("on_site") is False:
        tags.append('<span class="tag">นอกเว็บไซต์เขต</span>')
    detail = []
    if ev.get("matched_phrase"):
        where = MATCHED_IN_LABELS.get(ev.get("matched_in") or "", ev.get("matched_in") or "")
        detail.append(f'พบคำว่า “<mark>{e(ev["matched_phrase"])}</mark>”' + (f" ใน{e(where)}" if where else ""))
    if ev.get("snippet"):
        detail.append(f'<q class="snip">{e(ev["snippet"])}</q>')
    source = ev.get("source_page")
    src = f'<p class="ev-src">ลิงก์อยู่ที่หน้า {link(source, cls="quiet")}</p>' if source and source != url else ""
    return f"""<li class="ev">
<p class="ev-link">{link(url, text)}{" ".join(tags) and " " + " ".join(tags)}</p>
<p class="ev-url" title="{e(url)}">{e(url)}</p>
{f'<p class="ev-detail">{" · ".join(detail)}</p>' if detail else ""}{src}
</li>"""


# --------------------------------------------------------------------------------------------------
# Overrides and the fix plan (crawler/kit/overrides.py, crawler/kit/plan.py)


def _overrides_section(report: Report) -> str:
    overrides = report.get("overrides")
    if not overrides:
        return ""
    without, with_ = overrides.get("without") or {}, overrides.get("with") or {}
    scores = (f"คะแนน OIT รวมการปรับผล <strong>{fmt_num(with_.get('oit_score'))}</strong> · "
              f"ตามการตรวจอัตโนมัติ (ไม่รวมการปรับผล) <strong>{fmt_num(without.get('oit_score'))}</strong>")
    if with_.get("ita_total") is not None:
        scores += (f" · ITA รวมการปรับผล {fmt_num(with_.get('ita_total'))} ระดับ{e(with_.get('level_th'))}"
                   f" / ไม่รวม {fmt_num(without.get('ita_total'))} ระดับ{e(without.get('level_th'))}")
    rows = []
    for item in report.get("items", []):
        record = item.get("override")
        if not record:
            continue
        now = badge(record["status"]) + f" {fmt_num(record.get('score'))}" if record.get("status") else "—"
        was = (badge(record["audit_status"]) + f" {fmt_num(record.get('audit_score'))}"
               if record.get("audit_status") else "—")
        url = link(record["url"]) if record.get("url") else ""
        rows.append(f"""<tr><th scope="row"><a href="#item-{e(item.get("id"))}" class="code">{e(item.get("id"))}</a></th>
<td>{now}</td><td>{was}</td><td>{e(record.get("who"))}</td><td>{e(thai_date(record.get("date")))}</td>
<td>{e(record.get("note") or "")}{f'<div class="small">{url}</div>' if url else ""}</td></tr>""")
    source = overrides.get("source")
    return f"""<section id="overrides" class="block overrides" aria-label="การปรับผลโดยคณะทำงาน">
<h2>{bi("การปรับผลโดยคณะทำงาน", "Overrides")} <span class="count">{e(overrides.get("count"))} ข้อ</span></h2>
<p class="intro">ผลบางข้อในรายงานนี้มาจากการตรวจสอบด้วยตนเองของคณะทำงาน ไม่ใช่จากการตรวจเว็บไซต์อัตโนมัติ
{f"(ไฟล์ {e(source)})" if source else ""} ลบไฟล์นี้แล้วสร้างรายงานใหม่ จะได้ผลตามการตรวจอัตโนมัติกลับมา
<span class="en">Some verdicts come from the working group's own checks; without the file the audit's verdicts return.</span></p>
<p class="gain">{scores}</p>
<div class="table-wrap"><table class="ovr">
<thead><tr><th scope="col">ข้อ</th><th scope="col">{bi("ผลที่ปรับ", "Override")}</th>
<th scope="col">{bi("ผลตรวจอัตโนมัติ", "Audit")}</th><th scope="col">{bi("ผู้ตรวจสอบ", "Who")}</th>
<th scope="col">{bi("วันที่ตรวจ", "Checked")}</th><th scope="col">{bi("หมายเหตุ", "Note")}</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>
</section>"""


def _plan_section(report: Report) -> str:
    plan = report.get("plan")
    if not plan:
        return ""
    survey = plan.get("survey")
    targets = "".join(
        f'<li><strong>{e(t.get("level_th"))}</strong> <span class="en">{e(t.get("level_en"))}</span>: '
        f'{e(t.get("statement_th"))}</li>' for t in plan.get("targets") or [])
    rows = []
    for fix in plan.get("fixes") or []:
        after = fix.get("after") or {}
        what = "".join(f'<li><span class="what">{e(el.get("publish_th"))}</span>'
                       f'<div class="small muted">รูปแบบ: {e(el.get("format_th"))} · ปี: {e(el.get("year_th"))}</div></li>'
                       for el in fix.get("elements") or []) or f'<li>{e(fix.get("fix_th") or "")}</li>'
        result = f"OIT {fmt_num(after.get('oit_score'))}"
        if survey:
            result += f'<div class="small">ITA {fmt_num(after.get("ita_total"))} {e(after.get("level_th"))}</div>'
        rows.append(f"""<tr data-item="{e(fix.get("item"))}"><td class="num">{e(fix.get("rank"))}</td>
<th scope="row"><a href="#item-{e(fix.get("item"))}" class="code">{e(fix.get("item"))}</a>
<div class="small">{e(fix.get("title_th"))}</div></th>
<td><ul class="todo">{what}</ul></td><td>{e(fix.get("unit_th") or "—")}</td>
<td class="num">+{fmt_num(fix.get("points"))}<div class="small">+{fmt_num(fix.get("oit_score_gain"))} บน OIT</div>
<div class="small">ขาด {e(fix.get("missing_count"))} องค์ประกอบ</div></td>
<td class="num">{result}</td></tr>""")
    now = plan.get("now") or {}
    now_text = f"ตอนนี้ OIT {fmt_num(now.get('oit_score'))}"
    if survey:
        now_text += f" · ITA {fmt_num(now.get('ita_total'))} ระดับ{e(now.get('level_th'))}"
    note = "" if survey else ('<p class="muted">ไม่มีผลแบบสำรวจ IIT/EIT (ใช้ --survey) จึงคำนวณเฉพาะคะแนน OIT '
                              '<span class="en">No survey given: OIT only</span></p>')
    table = (f"""<div class="table-wrap"><table class="plan">
<thead><tr><th scope="col" class="num">ลำดับ</th><th scope="col">ข้อ</th>
<th scope="col">{bi("สิ่งที่ต้องเผยแพร่ รูปแบบไฟล์ และปี", "What to publish, format, year")}</th>
<th scope="col">{bi("หน่วยงาน", "Unit")}</th><th scope="col" class="num">{bi("ได้คืน", "Points")}</th>
<th scope="col" class="num">{bi("หลังแก้ไข", "After")}</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>""" if rows else '<p class="ok-note">ทุกข้อได้คะแนนเต็มแล้ว</p>')
    return f"""<section id="plan" class="block">
<h2>{bi("แผนแก้ไขเพื่อเพิ่มคะแนน", "Fix plan")}</h2>
<p class="intro">เรียงตามคะแนนที่ได้คืนต่อองค์ประกอบที่ยังขาด (แก้น้อย ได้มาก ก่อน) คะแนนหลังแก้ไขเป็นผลสะสมตามลำดับ
{"รวมการปรับผลโดยคณะทำงานแล้ว" if plan.get("overrides_included") else ""}
<span class="en">Ranked by points recovered per missing element; scores are cumulative.</span></p>
<p class="gain">{now_text}</p>
<ul class="targets">{targets}</ul>
{note}
{table}
</section>"""


# --------------------------------------------------------------------------------------------------
# History and crawl


def _history_section(report: Report) -> str:
    history = [h for h in report.get("history") or [] if isinstance(h, dict)]
    if not history:
        return ""
    return f"""<section id="history" class="block">
<h2>{bi("คะแนนย้อนหลัง", "Score history")}</h2>
<figure class="history">{history_svg(history)}
<figcaption>คะแนน OIT ที่คาดการณ์ในแต่ละรอบการเก็บข้อมูล (เต็ม 100)</figcaption></figure>
</section>"""


def history_svg(history: list[dict]) -> str:
    width, height, left, right, top, bottom = 640, 220, 40, 16, 24, 40
    inset = 44  # keeps the first and last point's labels inside the chart
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(history)

    def xy(i: int, score: float) -> tuple[float, float]:
        x = left + inset + ((plot_w - 2 * inset) / 2 if n == 1 else (plot_w - 2 * inset) * i / (n - 1))
        return x, top + plot_h * (1 - score / 100)

    out = [f'<svg class="history-svg" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">',
           "<title>" + e(", ".join(f"{h.get('date')}: {fmt_num(h.get('oit_score'))}" for h in history)) + "</title>"]
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - tick / 100)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e2e7ee"/>'
                   f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" class="tick">{tick}</text>')
    points = [(i, float(h["oit_score"])) for i, h in enumerate(history) if h.get("oit_score") is not None]
    if len(points) > 1:
        out.append('<polyline fill="none" stroke="#1f4e8c" stroke-width="2.5" points="'
                   + " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, s) for i, s in points)) + '"/>')
    for i, s in points:
        x, y = xy(i, s)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="#1f4e8c"/>'
                   f'<text x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle" class="val">{fmt_num(s)}</text>')
    for i, h in enumerate(history):
        x, _ = xy(i, 0)
        out.append(f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle" class="tick">'
                   f'{e(thai_date(h.get("date"), short=True))}</text>')
    out.append("</svg>")
    return "".join(out)


def _crawl_section(report: Report) -> str:
    crawl = report.get("crawl") or {}
    healthy = crawl.get("healthy")
    health = (bi("สมบูรณ์", "Healthy") if healthy else bi("ไม่สมบูรณ์", "Unhealthy"))
    facts = [
        ("รอบการเก็บข้อมูล", "Run", f"#{e(crawl.get('run_id'))}"),
        ("เริ่ม – สิ้นสุด", "Started – finished",
         f"{e(thai_datetime(crawl.get('started_at')) or '—')} – {e(thai_datetime(crawl.get('finished_at')) or '—')}"),
        ("หน้าเว็บ", "Pages", e(crawl.get("pages"))),
        ("เอกสาร", "Documents", e(crawl.get("documents"))),
        ("ข้อผิดพลาด", "Errors", e(crawl.get("errors"))),
        ("ผลการเก็บข้อมูล", "Health", f'<span class="health {"ok" if healthy else "bad"}">{health}</span>'),
    ]
    facts_html = "".join(f"<div><dt>{bi(th, en)}</dt><dd>{v}</dd></div>" for th, en, v in facts)
    reasons = crawl.get("health_reasons") or []
    reasons_html = ("<ul class=\"reasons\">" + "".join(f"<li>{e(r)}</li>" for r in reasons) + "</ul>") if reasons else ""
    failures = crawl.get("failures") or []
    if failures:
        shown = failures[:MAX_FAILURES_SHOWN]
        rows = "".join(
            f"""<tr><td class="url">{link(f.get("url"))}{_referer(f.get("referer"))}</td>
<td>{e(FAILURE_KINDS.get(f.get("kind"), f.get("kind")))}<div class="muted small">{e(f.get("kind"))}</div></td>
<td class="num">{e(f.get("status") if f.get("status") is not None else "—")}</td>
<td>{e(f.get("message") or "")}</td></tr>""" for f in shown)
        more = (f'<p class="muted">แสดง {len(shown)} จาก {len(failures)} รายการ ดูทั้งหมดในไฟล์ report.xlsx</p>'
                if len(failures) > len(shown) else "")
        table = f"""<div class="table-wrap"><table class="failures">
<caption>{bi("URL ที่เก็บข้อมูลไม่สำเร็จ", "Failed fetches")}</caption>
<thead><tr><th scope="col">URL</th><th scope="col">{bi("ประเภท", "Kind")}</th>
<th scope="col" class="num">{bi("สถานะ", "Status")}</th><th scope="col">{bi("ข้อความ", "Message")}</th></tr></thead>
<tbody>{rows}</tbody></table></div>{more}"""
    else:
        table = '<p class="muted">ไม่มี URL ที่เก็บข้อมูลไม่สำเร็จ</p>'
    return f"""<section id="crawl" class="block">
<h2>{bi("การเก็บข้อมูลเว็บไซต์", "Crawl")}</h2>
<dl class="facts crawl-facts">{facts_html}</dl>
{reasons_html}
{table}
</section>"""


def _referer(url: Any) -> str:
    return f'<div class="muted small">จากหน้า {link(url, cls="quiet")}</div>' if url else ""


def _footer(report: Report) -> str:
    checklist = report.get("checklist") or {}
    return f"""<footer class="foot"><div class="wrap">
<p>คะแนนในรายงานนี้เป็น<strong>การคาดการณ์</strong>จากการตรวจเว็บไซต์โดยอัตโนมัติ ไม่ใช่ผลการประเมินอย่างเป็นทางการ
ควรให้เจ้าหน้าที่ตรวจทานรายการที่มีฐานเกณฑ์ I (อนุมาน) และรายการที่ต้องตรวจสอบ
<span class="en">This is a prediction from an automated crawl, not an official ITA result.</span></p>
<p class="muted">{e(checklist.get("title_th") or checklist.get("id"))} · เกณฑ์ {e(checklist.get("id"))} v{e(checklist.get("version"))}
· schema {e(report.get("schema_version"))} · สร้างเมื่อ {e(thai_datetime(report.get("generated_at")) or "—")}</p>
</div></footer>"""


@register
class HtmlWriter(ReportWriter):
    format = "html"
    filename = "report.html"

    def write(self, report: Report, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        path.write_text(render_html(report), encoding="utf-8")
        return path


CSS = """
:root{--ink:#1c2733;--muted:#5b6878;--line:#dde3ea;--bg:#f3f5f8;--card:#fff;--brand:#16325c;--brand2:#1f4e8c;
--pass:#1e7d3a;--pass-bg:#e7f5ec;--partial:#8a5a00;--partial-bg:#fff3d6;--partial-line:#e8a317;
--fail:#b42318;--fail-bg:#fdecea;--unreachable:#545b64;--unreachable-bg:#eceef1;--review:#1a56b0;--review-bg:#e6effc;
color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);line-height:1.6;font-size:16px;
font-family:"Noto Sans Thai","Noto Sans Thai UI","Leelawadee UI","Leelawadee","Thonburi","Sarabun","Waree","Loma","Garuda",Tahoma,system-ui,-apple-system,"Segoe UI",sans-serif;
font-variant-numeric:tabular-nums}
a{color:var(--brand2);text-underline-offset:2px}
a:hover{color:var(--brand)}
a:focus-visible{outline:3px solid #f0b429;outline-offset:2px}
h1,h2,h3,h4{line-height:1.35;margin:0}
.en{color:var(--muted);font-size:.82em;font-weight:400}
.muted{color:var(--muted)}
.small{font-size:.82em}
.wrap{max-width:1080px;margin:0 auto;padding:0 16px}
.top{background:linear-gradient(135deg,#16325c,#1f4e8c);color:#fff;padding:24px 0 22px}
.top .en{color:#c8d6ea}
.top a{color:#fff}
.kicker{margin:0 0 4px;font-size:.95em;color:#dbe6f5}
.top h1{font-size:2em;font-weight:700}
.site{margin:2px 0 14px;word-break:break-all;font-size:.95em}
.facts{display:flex;flex-wrap:wrap;gap:8px 28px;margin:0}
.facts div{min-width:0}
.facts dt{font-size:.8em;opacity:.9}
.facts dd{margin:0;font-weight:600}
main.wrap{padding-top:20px;padding-bottom:32px}
.banner{background:var(--fail-bg);border:2px solid var(--fail);border-radius:12px;padding:14px 18px;margin-bottom:18px}
.banner-title{font-weight:700;color:var(--fail);font-size:1.15em;margin:0 0 6px}
.banner .mark{display:inline-block;width:1.5em;height:1.5em;line-height:1.5em;text-align:center;border-radius:50%;background:var(--fail);color:#fff;margin-right:6px}
.banner ul{margin:6px 0 0;padding-left:1.3em}
.summary{display:grid;grid-template-columns:minmax(240px,1fr) 2fr;gap:16px;align-items:stretch}
.hero-score,.card,.block{background:var(--card);border:1px solid var(--line);border-radius:14px;box-shadow:0 1px 2px rgba(16,40,80,.05)}
.hero-score{padding:18px 22px;border-top:6px solid var(--brand2)}
.hero-score .label,.card .label{margin:0;font-weight:600;font-size:.95em}
.big{margin:4px 0;display:flex;align-items:baseline;gap:8px}
.big .num{font-size:3.6em;font-weight:700;color:var(--brand);line-height:1.1;letter-spacing:-.5px}
.big .of{font-size:1.2em;color:var(--muted)}
.big .num.na{font-size:2em;color:var(--fail)}
.sub{margin:0;color:var(--muted);font-size:.92em}
.sub strong{color:var(--ink);font-size:1.15em}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:16px}
.card{padding:16px 18px}
.card .mid{font-size:2.1em;font-weight:700;margin:2px 0 6px;color:var(--brand)}
.card.ita{border-top:6px solid var(--pass)}
.level{margin:0 0 4px}
.bar{height:8px;background:#e6ebf1;border-radius:99px;overflow:hidden;margin:4px 0 6px}
.bar span{display:block;height:100%;border-radius:99px;background:var(--brand2)}
.bar .st-pass{background:var(--pass)}.bar .st-partial{background:var(--partial-line)}.bar .st-fail{background:var(--fail)}
.counts{grid-column:1/-1;list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:8px 18px}
.counts li{display:flex;align-items:center;gap:6px}
.toc{display:flex;flex-wrap:wrap;gap:8px;margin:18px 0}
.toc a{background:var(--card);border:1px solid var(--line);border-radius:99px;padding:4px 14px;text-decoration:none;font-weight:600;font-size:.95em}
.block{padding:20px 22px;margin:0 0 18px}
.block h2{font-size:1.4em;margin-bottom:10px;color:var(--brand)}
.block h2 .count{font-size:.65em;background:var(--fail);color:#fff;border-radius:99px;padding:2px 10px;vertical-align:middle}
.intro{margin:0 0 12px;color:var(--muted)}
.twocol{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.1fr);gap:20px;align-items:center}
.radar{margin:0;text-align:center}
.radar-svg{width:100%;max-width:460px;height:auto;font-family:inherit}
.radar-svg .tick{font-size:10px;fill:#8a96a6}
.radar-svg .axis-code{font-size:15px;font-weight:700;fill:#1c2733}
.radar-svg .axis-val{font-size:13px;fill:#5b6878}
.radar-svg .nodata{font-size:16px;fill:#8a96a6}
figcaption{font-size:.85em;color:var(--muted);margin-top:4px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{font-size:.85em;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line)}
td.num,th.num{text-align:right;white-space:nowrap}
caption{text-align:left;font-weight:600;padding:6px 0}
.subind .name{min-width:0}
.subind .bar{margin:4px 0 0}
.subind .pts{font-size:.78em;color:var(--muted)}
.subind td.num{font-weight:600}
.code{display:inline-block;min-width:2.6em;text-align:center;font-weight:700;background:#e9eef6;color:var(--brand);border-radius:8px;padding:1px 8px;font-size:.95em}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:0 0 14px}
.badge{display:inline-flex;align-items:center;gap:5px;white-space:nowrap;border-radius:99px;padding:2px 10px 2px 4px;font-weight:600;font-size:.88em;border:1px solid transparent}
.badge .mark{display:inline-flex;justify-content:center;align-items:center;width:1.45em;height:1.45em;border-radius:50%;color:#fff;font-size:.85em;font-weight:700;font-family:"DejaVu Sans","Segoe UI Symbol",sans-serif}
.badge .en{font-size:.85em}
.badge.st-pass{background:var(--pass-bg);color:var(--pass);border-color:#b8dfc5}.badge.st-pass .mark{background:var(--pass)}
.badge.st-partial{background:var(--partial-bg);color:var(--partial);border-color:#f1d28a}.badge.st-partial .mark{background:var(--partial-line)}
.badge.st-fail{background:var(--fail-bg);color:var(--fail);border-color:#f3b8b1}.badge.st-fail .mark{background:var(--fail)}
.badge.st-unreachable{background:var(--unreachable-bg);color:var(--unreachable);border-color:#cfd4da}.badge.st-unreachable .mark{background:var(--unreachable)}
.badge.st-review{background:var(--review-bg);color:var(--review);border-color:#b5cdf2}.badge.st-review .mark{background:var(--review)}
.legend .badge{margin:2px 0}
.gain{background:#eef4fc;border-left:4px solid var(--brand2);padding:8px 12px;border-radius:6px;margin:0 0 14px}
.units{max-width:640px}
.fixes{display:grid;grid-template-columns:minmax(0,1fr);gap:12px}
.fix{border:1px solid var(--line);border-left:6px solid var(--unreachable);border-radius:10px;padding:12px 16px;background:#fff}
.fix.st-fail{border-left-color:var(--fail)}.fix.st-partial{border-left-color:var(--partial-line)}.fix.st-review{border-left-color:var(--review)}
.fix-head,.item-head{display:flex;align-items:flex-start;gap:10px;flex-wrap:wrap}
.fix-head h3{font-size:1.08em;flex:1 1 260px;min-width:0}
.fix-meta{display:flex;flex-wrap:wrap;gap:4px 18px;margin:6px 0;color:var(--muted);font-size:.92em}
.fix-meta strong{color:var(--ink)}
.todo{margin:6px 0 4px;padding-left:1.2em}
.todo li{margin:4px 0}
.what{font-weight:600}
.why{display:block;color:var(--fail)}
.st-partial .why{color:var(--partial)}
.fixline,.reason{margin:4px 0}
.k{display:inline-block;font-size:.78em;font-weight:700;border-radius:5px;padding:0 6px;margin-right:4px;background:#e9eef6;color:var(--brand);vertical-align:1px}
.fixline .k{background:var(--brand2);color:#fff}
.more{margin:4px 0 0;font-size:.92em}
h3.group{font-size:1.1em;margin:22px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--line);display:flex;align-items:center;gap:8px;flex-wrap:wrap}
h3.group .grp-score{margin-left:auto;color:var(--muted);font-weight:600}
.item{border:1px solid var(--line);border-left:6px solid var(--unreachable);border-radius:10px;padding:12px 16px;margin:0 0 12px;background:#fff}
.item.st-pass{border-left-color:var(--pass)}.item.st-partial{border-left-color:var(--partial-line);background:#fffdf6}
.item.st-fail{border-left-color:var(--fail);background:#fffafa}.item.st-review{border-left-color:var(--review)}
.titles{flex:1 1 260px;min-width:0}
.titles h4{font-size:1.05em}
.titles .en{margin:0}
.item-facts{display:flex;flex-wrap:wrap;gap:4px 22px;margin:8px 0}
.item-facts dt{font-size:.78em;color:var(--muted)}
.item-facts dd{margin:0;font-weight:600}
.basis{display:inline-block;font-size:.78em;font-weight:700;border-radius:5px;padding:0 6px;border:1px solid #c9d1dc;color:var(--muted);cursor:help}
.basis.b-S{border-color:#8fb3e6;color:var(--brand2)}
.basis-note{margin:6px 0 0;font-size:.82em;color:var(--muted)}
.verdict{background:#fff;border:1px dashed #e3b4ae;border-radius:8px;padding:6px 10px;margin:6px 0}
.st-partial .verdict{border-color:#ecc978}
.st-review .verdict{border-color:#b5cdf2}.st-unreachable .verdict{border-color:#cfd4da}
.st-review .why{color:var(--review)}.st-unreachable .why{color:var(--unreachable)}
.verdict p{margin:2px 0}
.elements{list-style:none;margin:8px 0 0;padding:0;display:grid;grid-template-columns:minmax(0,1fr);gap:8px}
.el{border-top:1px solid #edf0f4;padding-top:8px;min-width:0}
.el-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 8px}
.el-mark{font-weight:700;width:1.2em;text-align:center;font-family:"DejaVu Sans","Segoe UI Symbol",sans-serif}
.el-satisfied .el-mark{color:var(--pass)}.el-missing .el-mark{color:var(--fail)}.el-review .el-mark{color:var(--review)}
.el-label{font-weight:600}
.el-status{font-size:.85em;color:var(--muted)}
.el-missing .el-status{color:var(--fail);font-weight:600}
.el .reason,.el .fixline,.el .evidence,.el .cands{margin-left:1.7em}
.evidence{list-style:none;padding:0;margin:4px 0}
.ev{margin:4px 0;padding:6px 10px;background:#f7f9fc;border-radius:8px;min-width:0}
.ev p{margin:0}
.ev-link{font-weight:600;overflow-wrap:anywhere}
.ev-url{font-size:.78em;color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-family:"DejaVu Sans Mono",Consolas,monospace}
.ev-detail{font-size:.88em;color:#3c4856;overflow-wrap:anywhere}
.ev-src{font-size:.82em;color:var(--muted);overflow-wrap:anywhere}
.snip{font-style:normal;color:#3c4856}
mark{background:#fff1b8;padding:0 2px;border-radius:3px}
.tag{display:inline-block;font-size:.72em;font-weight:600;border-radius:5px;padding:0 6px;background:#e9eef6;color:var(--brand);margin-left:4px;vertical-align:1px}
.tag.fmt{background:#eef0f3;color:#3c4856}
.tag.warn{background:var(--partial-bg);color:var(--partial)}
.nolink{color:#8a3b12;background:#fbeee6;border-radius:4px;padding:0 4px;font-family:"DejaVu Sans Mono",Consolas,monospace;font-weight:400;font-size:.92em;overflow-wrap:anywhere}
a.quiet{color:var(--muted)}
.cands{margin-top:4px;font-size:.92em}
.el-wrap{margin-top:6px}
.el-wrap>summary{cursor:pointer;color:var(--brand2);font-weight:600;font-size:.92em;padding:2px 0}
.el-wrap[open]>summary{margin-bottom:2px}
.cands summary{cursor:pointer;color:var(--muted)}
.override-note{margin:6px 0;padding:6px 10px;background:var(--review-bg);border-radius:8px;color:var(--review)}
.overrides{border-left:6px solid var(--review)}
.plan td,.plan th{font-size:.92em}.plan .todo{margin:0;padding-left:1.1em}.plan th[scope=row]{min-width:9em;max-width:16em}
.overrides h2 .count{background:var(--review)}
.targets{margin:0 0 12px;padding-left:1.2em}
.history{margin:0}
.history-svg{width:100%;height:auto;max-width:680px}
.history-svg .tick{font-size:11px;fill:#8a96a6}
.history-svg .val{font-size:12px;font-weight:700;fill:#16325c}
.crawl-facts{color:var(--ink);margin-bottom:12px}
.crawl-facts dt{color:var(--muted)}
.health.ok{color:var(--pass)}.health.bad{color:var(--fail)}
.reasons{color:var(--fail)}
.failures td.url{overflow-wrap:anywhere;min-width:220px;max-width:460px}
.failures td{font-size:.92em}
.ok-note{margin:0}
.foot{padding:18px 0 40px;color:var(--muted);font-size:.88em;border-top:1px solid var(--line);background:#fff}
.foot p{margin:4px 0}
@media (max-width:760px){
 body{font-size:15px}
 .top h1{font-size:1.55em}
 .summary{grid-template-columns:minmax(0,1fr)}
 .twocol{grid-template-columns:minmax(0,1fr)}
 .big .num{font-size:3em}
 .block{padding:16px 14px;border-radius:12px}
 .wrap{padding:0 12px}
 .item,.fix{padding:10px 12px}
 .el .reason,.el .fixline,.el .evidence,.el .cands{margin-left:0}
 .failures td.url{min-width:180px}
 th,td{padding:7px 6px}
 thead .en{display:none}
}
@media print{
 body{background:#fff;font-size:12pt}
 .top{background:#fff;color:var(--ink);border-bottom:3px solid var(--brand)}
 .top .en,.kicker{color:var(--muted)} .top a{color:var(--brand2)}
 .toc{display:none}
 .item,.fix,.hero-score,.card{break-inside:avoid}
 .block{border:0;box-shadow:none;padding:0}
 .ev-url{white-space:normal}
 details.cands{display:none}
}
"""
