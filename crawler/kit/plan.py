"""What-if and fix plan: which items to fix first, and what each fix does to the OIT score and the ITA level.

    plan = build_plan(report, checklist, survey)      # JSON-ready; report["plan"] in report.json

From an audit report (with any overrides already applied):

- one fix per item that is short of 100: the OIT points it would recover (its points x (100 - score) /
  100; e.g. O5: +2.00 points = +5.00 on the OIT score), what is still missing (each open element: what to
  publish, in which format, for which year) and the unit responsible (checklist `unit_th`, from the
  founding document's table);
- fixes ranked by points recovered per element still missing (the least work for the most points
  first), then by points, then in item order;
- the OIT score and, with a survey, the ITA total and level after each fix in that order;
- for each level with a per-part condition (ผ่านดี: IIT, EIT and OIT each >= 85; ผ่านดีเยี่ยม: >= 95) the
  smallest set of fixes that reaches it, or a plain statement of what prevents it.

Every number is computed by crawler/audit/scoring.py (score_oit, ita, level) on whole item scores, so the
arithmetic is the rubric's (docs/rubric.md section 1), not an approximation.
"""
from __future__ import annotations

import sys
from datetime import date
from itertools import combinations
from math import comb
from typing import Any, Mapping

from crawler.audit.checklist import Checklist, Element, Level, Settings, fill
from crawler.audit.primitives import month_label, required_months
from crawler.audit.scoring import ita, score_oit
from crawler.audit.status import ElementStatus, element_status
from crawler.text.format import fmt_num, site_name, thai_date

MAX_COMBINATIONS = 50_000      # subsets examined per set size before falling back to the ranked order
FORMAT_TH = {"pdf": "PDF", "office": "Excel หรือ Word", "html": "หน้าเว็บ (HTML)", "image": "รูปภาพ"}
OFFICE_FORMATS = {"xlsx", "xls", "docx", "doc", "ods", "odt", "csv"}


# -- the fixes --------------------------------------------------------------------------------------

def build_plan(report: dict, checklist: Checklist, survey: Mapping[str, Any] | None = None) -> dict | None:
    """The plan for a published report, or None when the audit withheld the score."""
    if report.get("published") is False or report.get("oit_points") is None:
        return None
    fy = int(report["fiscal_year"])
    survey = survey if survey is not None else _survey_from_report(report, checklist)
    # Items not checked (a partial audit) count 0 here, as in the published lower bound, and get no
    # fix: their evidence may well be on the site.
    scores = {item["id"]: float(item["score"] or 0.0) for item in report["items"]}
    fixes = [_fix(item, checklist, fy, report.get("as_of")) for item in report["items"]
             if item.get("score") is not None and item["score"] < 100]
    fixes.sort(key=lambda f: (-f["points_per_element"], -f["points"], _number(f["item"])))

    now = _outcome(scores, checklist, survey)
    running = dict(scores)
    for rank, fix in enumerate(fixes, start=1):
        running[fix["item"]] = 100.0
        fix["rank"] = rank
        fix["after"] = _outcome(running, checklist, survey)

    targets = [_target(lvl, fixes, scores, checklist, survey)
               for lvl in sorted((lv for lv in checklist.weights.levels if lv.min_each_percent is not None),
                                 key=lambda lv: lv.min_total)]
    return {
        "survey": survey is not None,
        "overrides_included": bool(report.get("overrides")),
        "now": now,
        "max_points": sum(f["points"] for f in fixes),
        "fixes": fixes,
        "targets": targets,
    }


def _fix(item: dict, checklist: Checklist, fy: int, as_of: str | None) -> dict:
    points = float(item["points"]) * (100 - float(item["score"])) / 100
    spec = _checklist_item(checklist, item["id"])
    open_elements = [el for el in item.get("elements", []) if element_status(el) != ElementStatus.SATISFIED]
    elements = [_missing_element(el, spec, fy, as_of, checklist.settings) for el in open_elements]
    count = max(1, len(elements))
    return {
        "item": item["id"], "title_th": item.get("title_th"), "unit_th": item.get("unit_th") or "",
        "status": item.get("status"), "score": item.get("score"),
        "points": points, "oit_score_gain": points / checklist.weights.oit_max_points * 100,
        "missing_count": len(elements), "points_per_element": points / count,
        "fix_th": item.get("fix_th") or (fill(spec.fix_th, fy) if spec else None),
        "elements": elements,
        "override": bool(item.get("override")),
    }


def _missing_element(element: dict, spec, fy: int, as_of: str | None, settings: Settings) -> dict:
    rule: Element | None = None
    if spec is not None:
        rule = next((e for e in spec.elements if e.id == element.get("id")), None)
    return {
        "id": element.get("id"),
        "label_th": element.get("label_th") or element.get("id"),
        "reason": element.get("reason"),
        "reason_th": element.get("reason_th"),
        "publish_th": element.get("fix_th") or element.get("label_th") or "",
        "format_th": format_text(rule, element),
        "year_th": year_text(rule, fy, as_of, settings),
    }


def format_text(rule: Element | None, element: dict | None = None) -> str:
    """In which format to publish, in Thai ('เพิ่มไฟล์ Excel หรือ Word (มี PDF แล้ว)')."""
    if rule is None:
        return "—"
    parts = []
    if rule.formats_all:
        have = _families(element or {})
        lacking = [f for f in rule.formats_all if f not in have]
        if have and lacking and len(lacking) < len(rule.formats_all):
            parts.append(f"เพิ่มไฟล์ {' และ '.join(FORMAT_TH.get(f, f) for f in lacking)} "
                         f"(มี {' และ '.join(FORMAT_TH.get(f, f) for f in rule.formats_all if f in have)} แล้ว)")
        else:
            parts.append("ทั้ง " + " และ ".join(FORMAT_TH.get(f, f) for f in rule.formats_all))
    elif rule.formats:
        parts.append(" หรือ ".join(FORMAT_TH.get(f, f) for f in sorted(rule.formats)))
    else:
        parts.append("PDF, Word/Excel หรือหน้าเว็บ (รูปแบบใดก็ได้)")
    if rule.language == "en":
        parts.append("ฉบับภาษาอังกฤษ")
    if rule.table_filled:
        parts.append("ตารางกรอกครบทุกช่อง")
    if rule.addressed_to_director:
        parts.append("เป็นบันทึกเรียน/เสนอ ผู้อำนวยการเขต")
    if rule.needs_live:
        parts.append("ลิงก์ต้องเปิดใช้งานได้")
    return " · ".join(parts)


def _families(element: dict) -> set[str]:
    families = set()
    for ev in element.get("evidence") or []:
        fmt = (ev.get("format") or "").lower()
        families.add("office" if fmt in OFFICE_FORMATS else fmt)
    return families


def year_text(rule: Element | None, fy: int, as_of: str | None, settings: Settings) -> str:
    """For which year or period, in Thai."""
    time = rule.time if rule is not None else "none"
    if time == "current":
        return f"ปีงบประมาณ พ.ศ. {fy}"
    if time == "previous":
        return f"ปีงบประมาณ พ.ศ. {fy - 1} (ผลของปีที่ผ่านมา)"
    if time == "current_or_previous":
        return f"ปีงบประมาณ พ.ศ. {fy} หรือ {fy - 1}"
    if time == "half_year":
        return f"รอบ 6 เดือนแรกของปีงบประมาณ พ.ศ. {fy} (ต.ค. {fy - 1} – มี.ค. {fy})"
    if time == "monthly":
        months = _due_months(fy, as_of, settings.month_grace_days)
        if months:
            return f"ทุกเดือน {months[0]} – {months[-1]} (ปีงบประมาณ พ.ศ. {fy})"
        return f"ทุกเดือนของปีงบประมาณ พ.ศ. {fy}"
    if time == "recent":
        return f"ลงไว้ภายใน {settings.recent_days} วันก่อนวันตรวจ"
    if time == "live":
        return "ใช้งานได้ ณ วันตรวจ"
    return "ไม่กำหนดปี (ฉบับที่ใช้อยู่)"


def _due_months(fy: int, as_of: str | None, grace_days: int) -> list[str]:
    if not as_of:
        return []
    try:
        return [month_label(y, m) for y, m in required_months(fy, date.fromisoformat(as_of), grace_days)]
    except ValueError:
        return []


# -- what-if arithmetic -----------------------------------------------------------------------------

def _outcome(scores: Mapping[str, float], checklist: Checklist, survey) -> dict:
    result = score_oit(scores, checklist)
    out = {"oit_points": result.oit_points, "oit_score": result.oit_score,
           "ita_total": None, "level_th": None, "level_en": None, "percent": None}
    if survey is not None:
        total = ita(result.oit_points, survey, checklist)
        out.update(ita_total=total["total"], level_th=total["level_th"], level_en=total["level_en"],
                   percent=total["percent"])
    return out


def _reaches(outcome: dict, target: Level, checklist: Checklist, survey) -> bool:
    """Does this outcome reach `target` (or a higher level)? Without a survey only the OIT part is judged."""
    if survey is None:
        return round(outcome["oit_score"], 2) >= target.min_each_percent
    levels = list(checklist.weights.levels)
    reached = next(i for i, lv in enumerate(levels) if lv.th == outcome["level_th"])
    return reached <= levels.index(target)


def _target(target: Level, fixes: list[dict], scores: dict, checklist: Checklist, survey) -> dict:
    entry = {"level_th": target.th, "level_en": target.en, "min_percent": target.min_each_percent,
             "min_total": target.min_total, "reachable": False, "already": False, "items": [],
             "outcome": None, "statement_th": "", "statement_en": ""}
    now = _outcome(scores, checklist, survey)
    scope_th = "" if survey is not None else " (ไม่มีผลแบบสำรวจ IIT/EIT จึงพิจารณาเฉพาะเงื่อนไข OIT)"
    scope_en = "" if survey is not None else " (no IIT/EIT survey given: only the OIT condition is judged)"
    if _reaches(now, target, checklist, survey):
        entry.update(reachable=True, already=True, outcome=now,
                     statement_th=f"ถึงระดับ{target.th}แล้วโดยไม่ต้องแก้ไขเพิ่ม{scope_th}",
                     statement_en=f"Already at {target.en} without further fixes{scope_en}")
        return entry
    blockers = _survey_blockers(target, survey, checklist)
    if blockers:
        th = ", ".join(f"{name} {pct:.2f}" for name, pct in blockers)
        entry.update(statement_th=f"ไม่สามารถถึงระดับ{target.th}ได้ด้วยการแก้ไข OIT เพราะคะแนนแบบสำรวจ {th} "
                                  f"ต่ำกว่า {target.min_each_percent:g} (ต้องได้ไม่น้อยกว่า {target.min_each_percent:g} "
                                  f"ทุกส่วน: IIT, EIT และ OIT)",
                     statement_en=f"{target.en} cannot be reached by fixing OIT items: the survey parts alone "
                                  f"prevent it ({th} below {target.min_each_percent:g})")
        return entry
    chosen = _smallest_set(target, fixes, scores, checklist, survey)
    if chosen is None:
        everything = dict(scores, **{f["item"]: 100.0 for f in fixes})
        best = _outcome(everything, checklist, survey)
        entry.update(outcome=best,
                     statement_th=f"แม้แก้ไขครบทุกรายการ (OIT {best['oit_points']:.2f}/40) ก็ยังไม่ถึงระดับ{target.th}"
                                  + (f" เพราะคะแนน ITA รวม {best['ita_total']:.2f} ต่ำกว่า {target.min_total:g}"
                                     if survey is not None else ""),
                     statement_en=f"Even with every fix {target.en} is out of reach")
        return entry
    items, outcome = chosen
    ids = ", ".join(items)
    points = sum(f["points"] for f in fixes if f["item"] in items)
    result_th = (f"ITA {outcome['ita_total']:.2f} ระดับ{outcome['level_th']}" if survey is not None
                 else f"OIT {outcome['oit_score']:.2f}")
    entry.update(reachable=True, items=items, outcome=outcome,
                 statement_th=f"แก้ไขอย่างน้อย {len(items)} ข้อ ได้แก่ {ids} (+{points:.2f} คะแนน OIT) "
                              f"จะได้ {result_th}{scope_th}",
                 statement_en=f"Fix at least {len(items)} item(s): {ids} (+{points:.2f} OIT points){scope_en}")
    return entry


def _survey_blockers(target: Level, survey, checklist: Checklist) -> list[tuple[str, float]]:
    if survey is None:
        return []
    shares = ita(0.0, survey, checklist)["percent"]
    return [(part.upper(), shares[part]) for part in ("iit", "eit")
            if round(shares[part], 2) < target.min_each_percent]


def _smallest_set(target: Level, fixes: list[dict], scores: dict, checklist: Checklist,
                  survey) -> tuple[list[str], dict] | None:
    """The fewest fixes reaching `target`; among those, fewest missing elements, then most points."""
    by_points = sorted(fixes, key=lambda f: -f["points"])
    for k in range(1, len(fixes) + 1):
        top = dict(scores, **{f["item"]: 100.0 for f in by_points[:k]})
        if not _reaches(_outcome(top, checklist, survey), target, checklist, survey):
            continue        # not even the k biggest fixes together are enough
        if comb(len(fixes), k) > MAX_COMBINATIONS:
            subsets = [tuple(fixes[:k]), tuple(by_points[:k])]
        else:
            subsets = combinations(fixes, k)
        best = None
        for subset in subsets:
            trial = dict(scores, **{f["item"]: 100.0 for f in subset})
            outcome = _outcome(trial, checklist, survey)
            if not _reaches(outcome, target, checklist, survey):
                continue
            key = (sum(f["missing_count"] for f in subset), -sum(f["points"] for f in subset),
                   [f["rank"] for f in subset])
            if best is None or key < best[0]:
                best = (key, [f["item"] for f in sorted(subset, key=lambda f: f["rank"])], outcome)
        if best is not None:
            return best[1], best[2]
    return None


# -- helpers ----------------------------------------------------------------------------------------

def _survey_from_report(report: dict, checklist: Checklist) -> dict | None:
    block = report.get("ita") or {}
    indicators = block.get("indicators") or {}
    weights = checklist.weights
    keys = list(weights.iit.indicators) + list(weights.eit.indicators)
    if not all(indicators.get(k) is not None for k in keys):
        return None
    return {"iit": {k: indicators[k] for k in weights.iit.indicators},
            "eit": {k: indicators[k] for k in weights.eit.indicators}}


def _checklist_item(checklist: Checklist, item_id: str):
    try:
        return checklist.item(item_id)
    except KeyError:
        return None


def _number(item_id: str) -> int:
    try:
        return int(item_id[1:])
    except ValueError:
        return 10_000


# -- the terminal ----------------------------------------------------------------------------------

def print_plan(plan: dict | None, report: dict, stream=None) -> None:
    """The plan as a working group reads it at its meeting: Thai first, English beside."""
    out = stream or sys.stdout
    w = lambda s="": print(s, file=out)  # noqa: E731
    w(f"แผนแก้ไขเพื่อเพิ่มคะแนน / Fix plan — {site_name(report)}  ปีงบประมาณ/FY {report['fiscal_year']}, "
      f"ณ วันที่/as of {thai_date(report.get('as_of'))}")
    if plan is None:
        w("ไม่มีคะแนน (การเก็บข้อมูลไม่สมบูรณ์) จึงวางแผนไม่ได้ / no score published: no plan")
        return
    now = plan["now"]
    line = f"ตอนนี้/now: OIT {fmt_num(now['oit_score'])} ({fmt_num(now['oit_points'])}/40)"
    if now["ita_total"] is not None:
        line += f"  ITA {fmt_num(now['ita_total'])} ระดับ/level {now['level_th']} ({now['level_en']})"
    w(line)
    if report.get("overrides"):
        w("  (รวมการปรับผลโดยคณะทำงานแล้ว / overrides included)")
    if not plan["fixes"]:
        w("ทุกข้อได้คะแนนเต็มแล้ว ไม่มีสิ่งที่ต้องแก้ไข / every item is at 100: nothing to fix")
    else:
        w("")
        w("ลำดับการแก้ไข (คะแนนที่ได้คืนต่อองค์ประกอบที่ขาด) / fixes ranked by points per missing element:")
        for fix in plan["fixes"]:
            after = fix["after"]
            result = f"OIT {fmt_num(after['oit_score'])}"
            if after["ita_total"] is not None:
                result += f", ITA {fmt_num(after['ita_total'])} {after['level_th']}"
            w(f"{fix['rank']:>2}. {fix['item']} {fix['title_th']}")
            w(f"    +{fmt_num(fix['points'])} คะแนน OIT = +{fmt_num(fix['oit_score_gain'])} บนคะแนน OIT · "
              f"ขาด {fix['missing_count']} องค์ประกอบ · หน่วยงาน {fix['unit_th'] or '—'} → หลังแก้ไข: {result}")
            for el in fix["elements"]:
                w(f"    - {el['publish_th']}")
                w(f"      รูปแบบ: {el['format_th']} · ปี: {el['year_th']}"
                  + (f" · เหตุผล: {el['reason_th']}" if el.get("reason_th") else ""))
    w("")
    for target in plan["targets"]:
        w(f"เป้าหมาย/target {target['level_th']} ({target['level_en']}, ทุกส่วน ≥ {target['min_percent']:g}): "
          f"{target['statement_th']}")
