"""report.html: one self-contained page the ITA working group can open on a phone and forward.

Inline CSS and inline SVG only: no scripts, fonts, images or anything else fetched (the page carries a
Content-Security-Policy that forbids it). The markup lives in Jinja2 templates (reports/templates/, so
the district's staff can adjust the layout without Python); this module prepares what they show. The
templates autoescape everything that came from the crawled site, and only http(s) URLs become links.
"""
from __future__ import annotations

import math
from collections import OrderedDict
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from crawler.audit.status import ELEMENT_STATUS_LABELS, STATUS_LABELS, STATUS_MARKS, element_status
from crawler.evidence.failures import failure_label
from crawler.evidence.walls import SHARE_ADVICE
from crawler.text.format import fmt_num, safe_url, site_name, thai_date, thai_datetime
from crawler.text.urls import display_url
from reports.writer import (BASIS_LABELS, MATCHED_IN_LABELS, Report, ReportWriter, fix_entries, indicator_codes,
                            is_published, item_fix_text, item_reason_text, items_to_fix, open_elements,
                            partial_note, register, withheld_reasons)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
MAX_FAILURES_SHOWN = 200
MAX_CANDIDATES_SHOWN = 5

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=jinja2.select_autoescape(enabled_extensions=("html", "svg"), default_for_string=True),
    undefined=jinja2.StrictUndefined,
    finalize=lambda value: "" if value is None else value,   # a missing value prints as nothing, not "None"
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


# Set before any template is loaded: an imported macro module keeps the globals it was made with.
TEMPLATES.globals.update(CSP=Markup(CSP), STATUS_LABELS=STATUS_LABELS,
                         STATUS_MARKS=STATUS_MARKS, safe_url=safe_url, display_url=display_url)
CSS = TEMPLATES.loader.get_source(TEMPLATES, "style.css")[0]


def render(template: str, **view: Any) -> str:
    return TEMPLATES.get_template(template).render(**view)


def item_number(item: dict) -> int:
    try:
        return int(str(item.get("id", "O0"))[1:])
    except ValueError:
        return 10_000


# --------------------------------------------------------------------------------------------------
# Page


def render_html(report: Report) -> str:
    return render("audit_report.html", **report_view(report))


def document(title: str, body: str, generator: str = "reports/html.py") -> str:
    """A self-contained page: no script, nothing fetched, readable on a phone (`body` is trusted markup)."""
    return render("page.html", title=title, body=Markup(body), generator=generator)


def report_view(report: Report) -> dict[str, Any]:
    """Everything report.html shows, computed from the report: numbers formatted, labels looked up."""
    name = site_name(report)
    checklist = report.get("checklist") or {}
    crawl = report.get("crawl") or {}
    published = is_published(report)
    indicators = report.get("indicators") or {}
    codes = [c for c in indicator_codes(report) if "." in c]
    history = [h for h in report.get("history") or [] if isinstance(h, dict)]
    return {
        "title": f"ผลคาดการณ์ OIT {name} ปีงบประมาณ พ.ศ. {report.get('fiscal_year', '')}",
        "generator": "reports/html.py",
        "name": name,
        "site_url": (report.get("site") or {}).get("url"),
        "fiscal_year": report.get("fiscal_year"),
        "as_of": thai_date(report.get("as_of")),
        "checklist_id": checklist.get("id"),
        "checklist_version": checklist.get("version"),
        "run_id": crawl.get("run_id"),
        "published": published,
        "health_reasons": withheld_reasons(report) if not published else [],
        "partial_note": partial_note(report),
        "partial_reasons": (report.get("completeness") or {}).get("reasons") or [],
        "summary": _summary(report, published),
        "overrides": _overrides(report),
        "toc": _toc(report),
        "radar": radar_view(indicators, codes, published),
        "sub_indicators": [{
            "code": code, "title_th": indicators[code].get("title_th"),
            "bar": _bar(indicators[code].get("score") if published else None),
            "score": fmt_num(indicators[code].get("score") if published else None),
            "points": fmt_num(indicators[code].get("points") if published else None),
            "max_points": fmt_num(indicators[code].get("max_points"))} for code in codes],
        "fix": _fix(report, published),
        "plan": _plan(report),
        "statuses": list(STATUS_LABELS),
        "basis_labels": {"S": BASIS_LABELS["S"][0], "I": BASIS_LABELS["I"][0]},
        "item_groups": _item_groups(report, indicators, published),
        "history": bool(history),
        "chart": history_view(history) if history else None,
        "crawl": _crawl(crawl),
        "url_list": _url_list(report),
        "footer": {"checklist_title": checklist.get("title_th") or checklist.get("id"),
                   "schema_version": report.get("schema_version"),
                   "generated_at": thai_datetime(report.get("generated_at")) or "—"},
    }


def _url_list(report: Report) -> dict[str, Any] | None:
    """`oit audit --urls` / `--dir`: each listed URL or file, its answer and its item's verdict."""
    found = report.get("url_list")
    if not found:
        return None
    rows = [{"item_id": r.get("item_id") or "-", "url": r.get("url"), "ok": r.get("ok"),
             "failure": r.get("failure_th") or r.get("failure") or "ไม่ได้ดาวน์โหลด",
             "status": STATUS_LABELS.get(r["item_status"], (r["item_status"],))[0] if r.get("item_status") else "",
             "reason": r.get("item_reason_th") or ""} for r in found.get("rows") or []]
    return {"source": found.get("source") or "", "folder": bool(found.get("folder")), "rows": rows,
            "without": ", ".join(found.get("items_without_url") or []),
            "web_only": ", ".join(found.get("web_only_items") or [])}


def _summary(report: Report, published: bool) -> dict[str, Any]:
    ind = report.get("indicators") or {}
    cards = []
    for code, th, en in (("9", "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", "Indicator 9: Disclosure"),
                         ("10", "ตัวชี้วัดที่ 10 การป้องกันการทุจริต", "Indicator 10: Corruption prevention")):
        data = ind.get(code) or {}
        value = data.get("score") if published else None
        cards.append({"th": th, "en": en, "score": fmt_num(value), "bar": _bar(value),
                      "points": fmt_num(data.get("points") if published else None),
                      "max_points": fmt_num(data.get("max_points"))})
    ita = report.get("ita")
    counts = OrderedDict((s, 0) for s in STATUS_LABELS)
    for item in report.get("items", []):
        counts[item.get("status")] = counts.get(item.get("status"), 0) + 1
    return {
        "oit_score": fmt_num(report.get("oit_score")),
        "oit_points": fmt_num(report.get("oit_points") if published else None),
        "cards": cards,
        "ita": {"total": fmt_num(ita.get("total")), "level_th": ita.get("level_th"), "level_en": ita.get("level_en"),
                "iit": fmt_num(ita.get("iit")), "eit": fmt_num(ita.get("eit")), "oit": fmt_num(ita.get("oit"))}
        if ita and published else None,
        "counts": [(status, n) for status, n in counts.items() if n],
    }


def _bar(value: Any, status: str | None = None) -> dict[str, str] | None:
    """A 0-100 bar's width and tone (None: no score to draw)."""
    if value is None:
        return None
    pct = max(0.0, min(100.0, float(value)))
    return {"pct": f"{pct:.2f}", "tone": status or ("pass" if pct >= 85 else "partial" if pct >= 50 else "fail")}


def _toc(report: Report) -> list[tuple[str, str]]:
    links = [("#indicators", "ตัวชี้วัดย่อย"), ("#fix", "ต้องแก้ไข")]
    if report.get("plan"):
        links.append(("#plan", "แผนแก้ไข"))
    links.append(("#items", "ผลรายข้อ O1–O22"))
    if report.get("overrides"):
        links.append(("#overrides", "การปรับผลโดยคณะทำงาน"))
    if report.get("history"):
        links.append(("#history", "คะแนนย้อนหลัง"))
    links.append(("#crawl", "การเก็บข้อมูล"))
    return links


# --------------------------------------------------------------------------------------------------
# Sub-indicators: the radar chart's geometry (templates/radar.svg draws it)


def radar_view(indicators: dict, codes: list[str], published: bool = True) -> dict[str, Any] | None:
    """A spider chart of sub-indicator scores (0–100), like the seed document's figure 1; None under 3 axes."""
    n = len(codes)
    if n < 3:
        return None
    cx, cy, radius = 230.0, 200.0, 140.0

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    def poly(values: list[float]) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))

    def tone(v: float) -> str:
        return "#1e7d3a" if v >= 85 else "#b7791f" if v >= 50 else "#c0392b"

    rings = []
    for ring in (25, 50, 75, 100):
        x, y = point(0, ring)
        rings.append({"points": poly([ring] * n), "fill": "#f4f6fa" if ring == 100 else "none",
                      "x": f"{x - 5:.1f}", "y": f"{y + 11:.1f}", "value": ring})
    spokes = [{"x": f"{x:.1f}", "y": f"{y:.1f}"} for x, y in (point(i, 100) for i in range(n))]
    values = []
    for code in codes:
        score = (indicators[code] or {}).get("score") if published else None
        values.append(None if score is None else max(0.0, min(100.0, float(score))))
    complete = all(v is not None for v in values)
    dots = [{"x": f"{x:.1f}", "y": f"{y:.1f}", "fill": tone(v)}
            for v, (x, y) in ((v, point(i, v)) for i, v in enumerate(values))] if complete else []
    labels = []
    for i, code in enumerate(codes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        lx, ly = cx + (radius + 20) * math.cos(angle), cy + (radius + 20) * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.3 else "end" if math.cos(angle) < -0.3 else "middle"
        if math.sin(angle) < -0.9:
            ly -= 14
        elif math.sin(angle) > 0.3:
            ly += 6
        labels.append({"x": f"{lx:.1f}", "y": f"{ly:.1f}", "anchor": anchor, "code": code,
                       "title": (indicators[code] or {}).get("title_th") or "", "value": fmt_num(values[i])})
    return {
        "width": 460, "height": 400, "cx": cx, "cy": cy,
        "title": ", ".join(f"{c} {fmt_num((indicators[c] or {}).get('score') if published else None)}"
                           for c in codes),
        "rings": rings, "spokes": spokes, "shape": poly(values) if complete else "", "dots": dots,
        "labels": labels,
    }


# --------------------------------------------------------------------------------------------------
# What to fix


def _fix(report: Report, published: bool) -> dict[str, Any]:
    todo = items_to_fix(report)
    lost = sum(float(i.get("points_lost") or 0) for i in todo)
    units: OrderedDict[str, list[dict]] = OrderedDict()
    for item in todo:
        units.setdefault(item.get("unit_th") or "ไม่ระบุหน่วยงาน", []).append(item)
    return {
        "gain": {"points": fmt_num(lost), "score": fmt_num(lost / 40 * 100)} if published and lost else None,
        "units": [{"name": unit, "item_ids": [i.get("id") for i in items],
                   "points_lost": fmt_num(sum(float(i.get("points_lost") or 0) for i in items))}
                  for unit, items in units.items()],
        "cards": [{"id": item.get("id", ""), "status": item.get("status", ""), "title_th": item.get("title_th"),
                   "unit_th": item.get("unit_th") or "ไม่ระบุ", "score": fmt_num(item.get("score")),
                   "points_lost": fmt_num(item.get("points_lost")), "points": fmt_num(item.get("points")),
                   "todo": fix_entries(item)} for item in todo],
    }


# --------------------------------------------------------------------------------------------------
# Every item


def _item_groups(report: Report, ind: dict, published: bool) -> list[dict[str, Any]]:
    groups: OrderedDict[str, list[dict]] = OrderedDict()
    for item in sorted(report.get("items", []), key=item_number):
        groups.setdefault(item.get("sub_indicator") or "", []).append(item)
    return [{"code": code, "title_th": (ind.get(code) or {}).get("title_th"),
             "score": fmt_num((ind.get(code) or {}).get("score") if published else None),
             "items": [_item(item) for item in group]} for code, group in groups.items()]


def _item(item: dict) -> dict[str, Any]:
    status = item.get("status", "")
    basis = item.get("basis") or ""
    verdict = None
    # The item's own reason and fix, unless its open elements already give theirs just below.
    if status != "pass" and not any(el.get("reason_th") or el.get("reason") or el.get("fix_th")
                                    for el in open_elements(item)):
        reason, fix = item_reason_text(item), item_fix_text(item)
        if reason or fix:
            verdict = {"reason": reason, "fix": fix}
    elements = item.get("elements", [])
    return {
        "id": item.get("id", ""), "status": status, "title_th": item.get("title_th"),
        "title_en": item.get("title_en"),
        "score": fmt_num(item.get("score")), "points_lost": fmt_num(item.get("points_lost")),
        "points": fmt_num(item.get("points")),
        "basis": basis, "basis_th": BASIS_LABELS.get(basis, (basis, basis))[0],
        "unit_th": item.get("unit_th") or "—",
        "override_label": item["override"].get("label_th") or "" if item.get("override") else None,
        "verdict": verdict,
        # Passing items fold their evidence away so the page stays scannable; the rest show it open.
        "open": status != "pass",
        "n_evidence": sum(len(el.get("evidence") or []) for el in elements),
        "elements": [_element(el) for el in elements],
        "basis_note": item.get("basis_note"),
    }


def _element(element: dict) -> dict[str, Any]:
    status = element_status(element)
    th, en = ELEMENT_STATUS_LABELS[status]
    basis = element.get("basis")
    view = {
        "status": status, "status_th": th, "status_en": en,
        "mark": {"satisfied": "✓", "missing": "✗", "review": "!"}[status],
        "label": element.get("label_th") or element.get("id"),
        "basis": basis, "basis_th": BASIS_LABELS.get(basis, (basis,))[0] if basis else None,
        "evidence": [_evidence(ev) for ev in element.get("evidence") or []],
        "reason": None, "fix": None, "candidates": [], "n_candidates": 0, "more_candidates": 0,
    }
    if status != "satisfied":
        candidates = element.get("candidates") or []
        view.update(reason=element.get("reason_th") or element.get("reason"), fix=element.get("fix_th"),
                    candidates=[_evidence(c) for c in candidates[:MAX_CANDIDATES_SHOWN]],
                    n_candidates=len(candidates), more_candidates=len(candidates) - MAX_CANDIDATES_SHOWN)
    return view


def _evidence(ev: dict) -> dict[str, Any]:
    url = ev.get("url")
    tags = []
    if ev.get("fiscal_year") is not None:
        tags.append({"cls": "", "text": f"ปีงบฯ {ev['fiscal_year']}"})
    if ev.get("format"):
        tags.append({"cls": " fmt", "text": str(ev["format"]).upper()})
    if ev.get("ocr") or ev.get("text_layer") == "scan":
        tags.append({"cls": " warn", "text": "ไฟล์สแกน (OCR)"})
    if url and safe_url(url) is None:
        tags.append({"cls": " warn", "text": "ไม่ใช่ลิงก์เว็บ (http/https)"})
    if ev.get("on_site") is False:
        tags.append({"cls": "", "text": "นอกเว็บไซต์เขต"})
    detail = []
    if ev.get("matched_phrase"):
        where = MATCHED_IN_LABELS.get(ev.get("matched_in") or "", ev.get("matched_in") or "")
        detail.append(("phrase", ev["matched_phrase"], where))
    if ev.get("snippet"):
        detail.append(("snippet", ev["snippet"], ""))
    source = ev.get("source_page")
    return {"url": url, "text": ev.get("link_text") or (display_url(url) if url else url), "tags": tags, "detail": detail,
            "source": source if source and source != url else None}


# --------------------------------------------------------------------------------------------------
# Overrides and the fix plan (crawler/kit/overrides.py, crawler/kit/plan.py)


def _overrides(report: Report) -> dict[str, Any] | None:
    overrides = report.get("overrides")
    if not overrides:
        return None
    without, with_ = overrides.get("without") or {}, overrides.get("with") or {}
    rows = []
    for item in report.get("items", []):
        record = item.get("override")
        if not record:
            continue
        rows.append({"item": item.get("id"), "status": record.get("status"), "score": fmt_num(record.get("score")),
                     "audit_status": record.get("audit_status"), "audit_score": fmt_num(record.get("audit_score")),
                     "who": record.get("who"), "date": thai_date(record.get("date")),
                     "note": record.get("note") or "", "url": record.get("url")})
    return {
        "count": overrides.get("count"), "source": overrides.get("source"),
        "with_score": fmt_num(with_.get("oit_score")), "without_score": fmt_num(without.get("oit_score")),
        "ita": {"with_total": fmt_num(with_.get("ita_total")), "with_level": with_.get("level_th"),
                "without_total": fmt_num(without.get("ita_total")), "without_level": without.get("level_th")}
        if with_.get("ita_total") is not None else None,
        "rows": rows,
    }


def _plan(report: Report) -> dict[str, Any] | None:
    plan = report.get("plan")
    if not plan:
        return None
    now = plan.get("now") or {}
    fixes = []
    for fix in plan.get("fixes") or []:
        after = fix.get("after") or {}
        fixes.append({"item": fix.get("item"), "rank": fix.get("rank"), "title_th": fix.get("title_th"),
                      "elements": fix.get("elements") or [], "fix_th": fix.get("fix_th") or "",
                      "unit_th": fix.get("unit_th") or "—", "points": fmt_num(fix.get("points")),
                      "oit_score_gain": fmt_num(fix.get("oit_score_gain")), "missing_count": fix.get("missing_count"),
                      "after_oit": fmt_num(after.get("oit_score")), "after_ita": fmt_num(after.get("ita_total")),
                      "after_level": after.get("level_th")})
    return {
        "survey": bool(plan.get("survey")), "overrides_included": bool(plan.get("overrides_included")),
        "now": {"oit_score": fmt_num(now.get("oit_score")), "ita_total": fmt_num(now.get("ita_total")),
                "level_th": now.get("level_th")},
        "targets": plan.get("targets") or [],
        "fixes": fixes,
    }


# --------------------------------------------------------------------------------------------------
# History and crawl


def history_view(history: list[dict]) -> dict[str, Any]:
    """The score-history line chart's geometry (templates/history.svg draws it)."""
    width, height, left, right, top, bottom = 640, 220, 40, 16, 24, 40
    inset = 44  # keeps the first and last point's labels inside the chart
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(history)

    def xy(i: int, score: float) -> tuple[float, float]:
        x = left + inset + ((plot_w - 2 * inset) / 2 if n == 1 else (plot_w - 2 * inset) * i / (n - 1))
        return x, top + plot_h * (1 - score / 100)

    ticks = []
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - tick / 100)
        ticks.append({"value": tick, "y": f"{y:.1f}", "label_y": f"{y + 4:.1f}"})
    scored = [(i, float(h["oit_score"])) for i, h in enumerate(history) if h.get("oit_score") is not None]
    points = [{"x": f"{x:.1f}", "y": f"{y:.1f}", "label_y": f"{y - 10:.1f}", "value": fmt_num(s)}
              for s, (x, y) in ((s, xy(i, s)) for i, s in scored)]
    return {
        "width": width, "height": height, "left": left, "right": width - right, "tick_x": left - 8,
        "date_y": height - 14,
        "title": ", ".join(f"{h.get('date')}: {fmt_num(h.get('oit_score'))}" for h in history),
        "ticks": ticks,
        "line": " ".join(f"{p['x']},{p['y']}" for p in points) if len(points) > 1 else "",
        "points": points,
        "dates": [{"x": f"{xy(i, 0)[0]:.1f}", "text": thai_date(h.get("date"), short=True)}
                  for i, h in enumerate(history)],
    }


def _crawl(crawl: dict) -> dict[str, Any]:
    failures = crawl.get("failures") or []
    return {
        "run_id": crawl.get("run_id"),
        "started_at": thai_datetime(crawl.get("started_at")) or "—",
        "finished_at": thai_datetime(crawl.get("finished_at")) or "—",
        "pages": crawl.get("pages"), "documents": crawl.get("documents"), "errors": crawl.get("errors"),
        "healthy": crawl.get("healthy"),
        "reasons": crawl.get("health_reasons") or [],
        "failures": [{"url": f.get("url"), "referer": f.get("referer"),
                      "kind_th": failure_label(f.get("kind")) or f.get("kind"), "kind": f.get("kind"),
                      "status": f.get("status") if f.get("status") is not None else "—",
                      "message": f.get("message") or ""} for f in failures[:MAX_FAILURES_SHOWN]],
        "failures_total": len(failures),
        # Drive links that ask to sign in: what staff do about them, once under the table.
        "share_advice": SHARE_ADVICE if any(f.get("kind") == "not_public" for f in failures) else "",
    }


@register
class HtmlWriter(ReportWriter):
    format = "html"
    filename = "report.html"

    def write(self, report: Report, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        path.write_text(render_html(report), encoding="utf-8")
        return path
