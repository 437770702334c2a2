"""The audit: a pure function of (stored run, checklist, fiscal year, as-of date) -> report.json dict.

    report = audit(store.load_run(7), load_checklist("bma-district-2567"), 2567, date(2024, 6, 30))

No network and no clock: `as_of` is an argument and `generated_at` may be passed in. The element checks
are in crawler/audit/primitives.py, the weights in the checklist, the arithmetic in crawler/audit/scoring.py; this
module turns element verdicts into item verdicts and writes the report (docs/architecture.md).

Item status: pass (100); partial (0 < score < 100); fail (0); review (an element is under review and
none is missing); not_checked (what is missing could not be fetched, or the run was capped,
interrupted or lost writes: no score, never a 0, never "publish this" in the fix plan). A review
element counts as not satisfied in the predicted score. When the crawl is unhealthy nothing is
scored: `published` is false and every item is "unreachable" with a null score.
"""
from __future__ import annotations

import re
from datetime import date
from statistics import median
from typing import Any, Iterable

from crawler.audit.checklist import Checklist, Item, fill, load_checklist
from crawler.audit.primitives import (REASONS, ElementVerdict, Frame, Outcome, index_for, judge_element,
                            reason_text, snippet)
from crawler.evidence.model import Resource, RunEvidence
from crawler.extraction import SCRIPT_BUILT
from crawler.evidence.failures import FailureKind, failure_label
from crawler.evidence.walls import WALL_ADVICE, WALL_KINDS, is_gate_text
from crawler.audit.scoring import empty_indicators, score_oit
from crawler.audit.status import ItemStatus

__all__ = ["REASONS", "audit", "crawl_health", "item_verdict"]

SCHEMA_VERSION = "1.0"
MAX_EVIDENCE = 12
FAILED_SHARE_LIMIT = 0.5
PREVIOUS_SHARE_LIMIT = 0.5           # pages or documents under half of the earlier runs' median
MIN_USUAL_DOCUMENTS = 4               # below this the document count of a site is too small to judge by
ERROR_RATE_JUMP = 0.20                # error share this many points above the earlier runs' median
_DISTRICT_NAME = re.compile("สำนักงานเขต[\u0e01-\u0e4e]+")
NOT_CHECKED = ItemStatus.NOT_CHECKED
MIN_FIRST_RUN_PAGES = 5               # a first run with fewer pages did not see the site
# A page that is the ITA/OIT index (the assessor's entry point), in its title or opening text.
_ITA_INDEX = re.compile(r"\b(?:ITA|OIT)\b|การประเมินคุณธรรมและความโปร่งใส|การเปิดเผยข้อมูลสาธารณะ", re.IGNORECASE)
MAX_GATE_LINKS = 5
OFFLINE_REASON = ("ยังไม่ได้ตรวจ: ตรวจจากไฟล์ในโฟลเดอร์ ข้อนี้ต้องตรวจบนเว็บไซต์ (บริการออนไลน์/ลิงก์ที่ใช้งานได้)",
                  "Not checked: audited from a folder; this item needs the live website (e-service, working links)")
_GATE_REASON = "หน้าแรกเป็นหน้าเข้าสู่ระบบหรือหน้าตรวจสอบ"
# What staff can do about pages that scripts build (crawler/crawl/browser.py).
BROWSER_ADVICE = ("เก็บข้อมูลใหม่ด้วยโหมดเบราว์เซอร์ (เพิ่ม --browser) / crawl again in browser mode (add --browser): "
                  "some pages build their content with JavaScript")


# -- crawl health -----------------------------------------------------------------------------------

def crawl_health(evidence: RunEvidence, previous_runs: Iterable[dict] | None = None, *,
                 listed: bool = False) -> dict:
    """Is the run good enough to publish a score? Unhealthy when the start page failed, more than half of
    the fetches failed, or, against the site's earlier complete runs (`previous_runs`: store.counts()
    dicts, most recent last), the pages or documents found fell under half of the usual number or the
    error rate jumped. Then the site, not its content, was probably down: a score would be a false drop.
    The median of the earlier runs is the yardstick, so one odd run neither trips nor resets it, and a
    site that really shrank becomes the new normal after a few runs.

    `listed`: a run of `oit audit --urls`. Its dead URLs are findings about the list, not the crawl's
    health: it is unhealthy only when walls stopped most of it or nothing answered."""
    if listed:
        return _listed_health(evidence)
    reasons: list[str] = []
    warnings: list[str] = []
    start = _start_resource(evidence)
    if start is None:
        reasons.append("ไม่พบหน้าแรกของเว็บไซต์ในการเก็บข้อมูล / the start page was never fetched")
    elif start.error_kind in WALL_KINDS:
        reasons.append(f"หน้าแรกถูกกั้น: {failure_label(start.error_kind)} ({start.status or '-'}) / "
                       f"the start page is behind a wall: {start.error_kind} ({start.status or '-'})")
    elif not start.ok:
        reasons.append(f"เปิดหน้าแรกไม่ได้ ({start.error_kind or start.status}) / "
                       f"the start page failed: {start.error_kind or start.status}")
    attempted = [r for r in evidence.resources.values() if r.attempted]
    failed = _failed(attempted)
    share = len(failed) / len(attempted) if attempted else 1.0
    if attempted and share > FAILED_SHARE_LIMIT:
        reasons.append(f"ดึงข้อมูลไม่สำเร็จ {share:.0%} ของคำขอ (เกิน {FAILED_SHARE_LIMIT:.0%}) / "
                       f"{len(failed)} of {len(attempted)} fetches failed")
    if evidence.status == "failed":      # the disk or the store failed mid-crawl: what is stored is a torso
        why = (evidence.stats or {}).get("failed_reason") or "the store failed"
        reasons.append(f"การเก็บข้อมูลล้มเหลวกลางคัน / the crawl failed: {why}")
    elif evidence.status != "complete":
        warnings.append(f"การเก็บข้อมูลไม่เสร็จสมบูรณ์ ({evidence.status}) / the crawl is {evidence.status}")
    counts = _counts(evidence)
    if previous_runs is not None and not [p for p in previous_runs if (p.get("pages") or 0) > 0]:
        reasons += _first_run(evidence, start, counts)
    reasons += _against_previous(counts, len(evidence.resources), list(previous_runs or []))
    walled = [r for r in failed if r.error_kind in WALL_KINDS]
    gated = any(r.startswith(_GATE_REASON) for r in reasons)
    if walled and not reasons:
        warnings.append(f"{len(walled)} ลิงก์ถูกระบบป้องกันหรือหน้าเข้าสู่ระบบกั้น / "
                        f"{len(walled)} links were stopped by a bot or login wall")
    if reasons and (walled or gated):
        reasons.append(WALL_ADVICE)      # what staff can do: said once, after the reasons
    if reasons and script_built_pages(evidence):
        reasons.append(BROWSER_ADVICE)
    return {"healthy": not reasons, "reasons": reasons, "warnings": warnings, "attempted": len(attempted),
            "failed": len(failed), "walled": len(walled), "wall": bool(reasons and (walled or gated)), **counts}


def _failed(attempted: list[Resource]) -> list[Resource]:
    """The fetches that failed. A drive link that asks to sign in (not_public) answered: the share is
    private, a finding about that link (its item fails), not a sign that the crawl did not see the site."""
    return [r for r in attempted if not r.ok and r.error_kind != FailureKind.NOT_PUBLIC]


def _listed_health(evidence: RunEvidence) -> dict:
    attempted = [r for r in evidence.resources.values() if r.attempted]
    failed = _failed(attempted)
    walled = [r for r in failed if r.error_kind in WALL_KINDS]
    reasons = []
    if not attempted or len(failed) == len(attempted):
        reasons.append("ไม่มี URL ในรายการที่เปิดได้เลย / none of the listed URLs answered")
    if walled and len(walled) * 2 >= len(attempted):
        reasons.append(f"{len(walled)} จาก {len(attempted)} URL ถูกระบบป้องกันหรือหน้าเข้าสู่ระบบกั้น / "
                       f"{len(walled)} of {len(attempted)} URLs were stopped by a bot or login wall")
        reasons.append(WALL_ADVICE)
    return {"healthy": not reasons, "reasons": reasons, "warnings": [], "attempted": len(attempted),
            "failed": len(failed), "walled": len(walled), "wall": bool(walled and reasons),
            **_counts(evidence)}


def _first_run(evidence: RunEvidence, start: Resource | None, counts: dict) -> list[str]:
    """A site's first run has no yardstick: judged on its own. A handful of pages, no page that
    looks like the ITA index, or a start page that is a login form or a bot challenge means the
    crawl did not see the site."""
    reasons = []
    if start is not None and start.ok and _is_gate(evidence, start):
        reasons.append(f"{_GATE_REASON} ({start.title or start.url}) / "
                       f"the start page is a login or challenge page: {start.title or start.url}")
    if counts["pages"] < MIN_FIRST_RUN_PAGES:
        reasons.append(f"พบหน้าเว็บเพียง {counts['pages']} หน้าในการเก็บข้อมูลครั้งแรก (ต้องมีอย่างน้อย "
                       f"{MIN_FIRST_RUN_PAGES}) / only {counts['pages']} pages in a first run "
                       f"(at least {MIN_FIRST_RUN_PAGES} expected)")
    pages = [r for r in evidence.resources.values() if r.ok and r.kind == "page"]
    if pages and not any(_ITA_INDEX.search(f"{r.title} {r.text[:3000]}") for r in pages):
        reasons.append("ไม่พบหน้าที่เป็นหน้ารวมข้อมูล ITA/OIT / no page looks like the ITA/OIT index")
    return reasons


def _is_gate(evidence: RunEvidence, start: Resource) -> bool:
    outgoing = sum(1 for link in evidence.links if link.source_url == start.url)
    return outgoing <= MAX_GATE_LINKS and is_gate_text(f"{start.title} {start.text[:500]}")


def script_built_pages(evidence: RunEvidence) -> list[Resource]:
    """The site's pages whose content a script builds, read without a browser: their links were not seen."""
    if evidence.browser:
        return []
    return [r for r in evidence.resources.values() if r.ok and r.kind == "page" and r.on_site
            and any(w.startswith(SCRIPT_BUILT) for w in r.warnings)]


def completeness(evidence: RunEvidence) -> list[str]:
    """Why the run may not have seen all of the site (empty when it did): interrupted, capped by a
    limit, pages whose content scripts build (read without a browser), or resources it could not store.
    Then any item not passed may have evidence unseen."""
    reasons = []
    scripted = script_built_pages(evidence)
    if scripted:
        reasons.append(f"หน้าเว็บ {len(scripted)} หน้าสร้างเนื้อหาด้วย JavaScript จึงไม่เห็นลิงก์ในหน้า (เช่น "
                       f"{scripted[0].url}) ให้เก็บข้อมูลใหม่ด้วย --browser / {len(scripted)} pages build their "
                       f"content with JavaScript, so their links were not seen (e.g. {scripted[0].url}): "
                       "crawl again with --browser")
    if evidence.status != "complete":
        reasons.append(f"การเก็บข้อมูลถูกหยุดก่อนเสร็จ ({evidence.status}) / the crawl was interrupted ({evidence.status})")
    limited = [r for r in evidence.resources.values() if r.error_kind == "limit"]
    if limited:
        reasons.append(f"มีหน้าเว็บ {len(limited)} หน้าเกินขีดจำกัดการเก็บข้อมูล ({limited[0].error}) / "
                       f"{len(limited)} pages beyond the crawl's limits were not fetched ({limited[0].error})")
    unread = [r for r in evidence.resources.values() if r.error_kind == FailureKind.CRAWLER_ERROR and r.kind == "page"]
    if unread:
        reasons.append(f"ระบบตรวจอ่านหน้าเว็บ {len(unread)} หน้าไม่สำเร็จ เนื้อหาและลิงก์ในหน้านั้นจึงไม่ได้ตรวจ ({unread[0].url}) / "
                       f"the crawler failed reading {len(unread)} pages, so their content and links were not checked "
                       f"({unread[0].url})")
    unlisted = [r for r in evidence.resources.values() if r.error_kind == FailureKind.FOLDER_UNLISTED]
    if unlisted:
        reasons.append(f"โฟลเดอร์ OneDrive/SharePoint {len(unlisted)} โฟลเดอร์เปิดดูรายการไฟล์ไม่ได้ ไฟล์ในนั้นจึงไม่ได้ตรวจ "
                       f"({unlisted[0].url}) / {len(unlisted)} shared OneDrive/SharePoint folders could not be "
                       f"listed, so their files were not checked ({unlisted[0].url})")
    lost = int((evidence.stats or {}).get("store_lost") or 0)
    if lost:
        reasons.append(f"บันทึกข้อมูลไม่ได้ {lost} รายการ (ฐานข้อมูลถูกล็อกหรือบันทึกผิดพลาด) / "
                       f"{lost} fetched resources could not be stored (the store was locked, or refused them)")
    return reasons


def _against_previous(counts: dict, resources: int, previous: list[dict]) -> list[str]:
    """Reasons this run falls far below the site's earlier complete runs (the same store.counts() terms)."""
    earlier = [p for p in previous if (p.get("pages") or 0) > 0]
    if not earlier:
        return []
    reasons = []
    for key, th, minimum in (("pages", "หน้าเว็บ", 2), ("documents", "เอกสาร", MIN_USUAL_DOCUMENTS)):
        usual = median(p.get(key) or 0 for p in earlier)
        if usual >= minimum and counts[key] < usual * PREVIOUS_SHARE_LIMIT:
            reasons.append(f"พบ{th} {counts[key]} รายการ น้อยกว่าครึ่งของรอบก่อน ๆ (ปกติ {usual:g}) / "
                           f"{counts[key]} {key}, under half of the usual {usual:g} in earlier runs")
    rates = [(p.get("errors") or 0) / p["resources"] for p in earlier if p.get("resources")]
    if rates and resources:
        usual_rate, rate = median(rates), counts["errors"] / resources
        if rate > usual_rate + ERROR_RATE_JUMP:
            reasons.append(f"อัตราข้อผิดพลาดเพิ่มจาก {usual_rate:.0%} เป็น {rate:.0%} / "
                           f"the error rate jumped from the usual {usual_rate:.0%} to {rate:.0%}")
    return reasons


def _start_resource(evidence: RunEvidence) -> Resource | None:
    start = evidence.start_resource
    if start is not None:
        return start
    for resource in evidence.resources.values():
        if resource.final_url == evidence.site_url or resource.url.rstrip("/") == evidence.site_url.rstrip("/"):
            return resource
    return None


def _counts(evidence: RunEvidence) -> dict:
    pages = sum(1 for r in evidence.resources.values() if r.ok and r.kind == "page")
    documents = sum(1 for r in evidence.resources.values() if r.ok and r.kind != "page")
    errors = sum(1 for r in evidence.resources.values() if not r.ok)
    return {"pages": pages, "documents": documents, "errors": errors}


# -- items ------------------------------------------------------------------------------------------

def item_verdict(item: Item, verdicts: list[ElementVerdict]) -> tuple[float, str]:
    """(score, status) of an item from its element verdicts (docs/rubric.md section 3: all-or-nothing, or
    format_pair: the share of PDF / Excel-or-Word families present, e.g. 50 for PDF only)."""
    if all(v.satisfied for v in verdicts):
        return 100.0, "pass"
    score = 0.0
    unsatisfied = [v for v in verdicts if not v.satisfied]
    if item.scoring == "format_pair" and all(v.reason == "wrong_format" and v.share > 0 for v in unsatisfied):
        score = 100.0 * min(v.share for v in unsatisfied)
    missing = [v for v in unsatisfied if v.status == "missing" and not v.unreachable]
    if missing:
        return score, "partial" if score > 0 else "fail"
    if any(v.status == "review" for v in unsatisfied):
        return score, "review"
    return score, NOT_CHECKED       # only what could not be fetched stands in the way


def _evidence_entry(outcome: Outcome, fiscal_year_shown: bool = True) -> dict:
    candidate = outcome.candidate
    r = candidate.resource
    link = outcome.match.field.link if outcome.match and outcome.match.field.link is not None else None
    if link is None and candidate.links:
        link = candidate.links[0]
    entry = {
        "url": r.url,
        "link_text": link.text if link is not None else "",
        "source_page": link.source_url if link is not None else None,
        "matched_phrase": outcome.match.phrase.text if outcome.match else None,
        "matched_in": outcome.match.field.name if outcome.match else None,
        "snippet": snippet(outcome),
        "fiscal_year": outcome.year.fiscal_year if fiscal_year_shown else None,
        "fiscal_year_source": outcome.year.source if fiscal_year_shown else None,
        "format": r.format or candidate.family,
        "on_site": r.on_site,
        "text_layer": r.text_layer,
        "ocr": r.ocr is not None,
    }
    if outcome.months:
        entry["months"] = [f"{y:04d}-{m:02d}" for y, m in sorted(outcome.months)]
    if not outcome.passed or outcome.blank:
        code = outcome.reason or ("blank_column" if outcome.blank else None)
        entry["reason"] = code
        entry["detail"] = outcome.blank or outcome.detail
    return entry


def _nav_entry(field) -> dict:
    link = field.link
    return {"url": link.target_url, "link_text": link.text, "source_page": link.source_url,
            "matched_phrase": None, "matched_in": "link_text", "snippet": link.text, "fiscal_year": None,
            "fiscal_year_source": None, "format": None, "on_site": None, "text_layer": None, "ocr": None,
            "reason": "only_in_navigation", "detail": "ลิงก์ในเมนูของเว็บไซต์ / site-wide menu link"}


def _element_entry(verdict: ElementVerdict, fiscal_year: int, item: Item) -> dict:
    element = verdict.element
    reason_th, reason_en = reason_text(verdict.reason)
    if reason_th and verdict.detail:
        reason_th = f"{reason_th}: {verdict.detail}"
    entry = {
        "id": element.id,
        "label_th": fill(element.label_th, fiscal_year),
        "label_en": fill(element.label_en, fiscal_year),
        "basis": element.basis,
        "satisfied": verdict.satisfied,
        "status": verdict.status,
        "reason": verdict.reason,
        "reason_th": reason_th,
        "reason_en": reason_en,
        "detail": verdict.detail or None,
        "fix_th": None if verdict.satisfied else fill(element.fix_th or item.fix_th, fiscal_year),
        "evidence": [_evidence_entry(o) for o in verdict.evidence[:MAX_EVIDENCE]],
        "candidates": [_evidence_entry(o) for o in verdict.near_misses]
                      + [_nav_entry(f) for f in verdict.nav],
    }
    if element.basis_note:
        entry["basis_note"] = element.basis_note
    if verdict.unreachable:
        entry["unreachable"] = True
    return entry


def _item_entry(item: Item, verdicts: list[ElementVerdict], score: float, status: str, fiscal_year: int) -> dict:
    unsatisfied = [v for v in verdicts if not v.satisfied]
    reason_th = "; ".join(
        f"{fill(v.element.label_th, fiscal_year)}: {REASONS[v.reason][0]}" + (f" ({v.detail})" if v.detail else "")
        for v in unsatisfied if v.reason) or None
    reason_en = "; ".join(f"{fill(v.element.label_en, fiscal_year)}: {REASONS[v.reason][1]}"
                          for v in unsatisfied if v.reason) or None
    return {
        "id": item.id, "title_th": item.title_th, "title_en": item.title_en, "sub_indicator": item.sub_indicator,
        "points": item.points, "score": score, "status": status,
        "points_lost": item.points * (100 - score) / 100,
        "basis": item.basis, "basis_note": item.basis_note, "unit_th": item.unit_th,
        "reason_th": reason_th, "reason_en": reason_en,
        "fix_th": fill(item.fix_th, fiscal_year) if status != "pass" else None,
        "elements": [_element_entry(v, fiscal_year, item) for v in verdicts],
    }


# -- the audit --------------------------------------------------------------------------------------

def audit(evidence: RunEvidence, checklist: Checklist | str, fiscal_year: int, as_of: date, *,
          health: dict | None = None, generated_at: str | None = None, partial: bool = False,
          offline: bool = False) -> dict:
    """Judge every item of the checklist on the run's evidence; the report.json dict.

    An item whose evidence may lie where the crawl did not reach (an unfetched link, a trap bound, or
    any item not passed in a run that was capped, interrupted or lost writes) is not checked: it has
    no score. A report with items not checked publishes no score unless `partial` is asked; a partial
    report gives the score with those items at 0 and at 100 (the range the site's score lies in).
    `offline`: files read from a folder (`oit audit --dir`); what only the web can show (a live
    e-service, a link that works) is not checked there, never failed."""
    if not isinstance(checklist, Checklist):
        checklist = load_checklist(checklist)
    health = health if health is not None else crawl_health(evidence)
    index = index_for(evidence, checklist)
    frame = Frame(fiscal_year, as_of, checklist.settings.month_grace_days)
    incomplete = completeness(evidence)

    items: list[dict] = []
    scores: dict[str, float] = {}
    for item in checklist.items:
        verdicts = [judge_element(index, element, frame) for element in item.elements]
        score, status = item_verdict(item, verdicts)
        entry = _item_entry(item, verdicts, score, status, fiscal_year)
        if incomplete and status != "pass":
            status = NOT_CHECKED
            entry.update(status=status, reason_th="ยังไม่ได้ตรวจ: " + "; ".join(r.split(" / ")[0] for r in incomplete),
                         reason_en="Not checked: " + "; ".join(r.split(" / ")[-1] for r in incomplete))
        elif offline and status != "pass" and any(e.needs_live for e in item.elements):
            status = NOT_CHECKED
            entry.update(status=status, reason_th=OFFLINE_REASON[0], reason_en=OFFLINE_REASON[1])
        elif status == NOT_CHECKED:
            entry.update(reason_th="ยังไม่ได้ตรวจ: " + (entry["reason_th"] or ""),
                         reason_en="Not checked: " + (entry["reason_en"] or ""))
        if status == NOT_CHECKED:
            entry.update(score=None, points_lost=None, fix_th=None)
        scores[item.id] = score
        items.append(entry)

    not_checked = [i["id"] for i in items if i["status"] == NOT_CHECKED]
    healthy = bool(health.get("healthy", True))
    published = healthy and (not not_checked or partial)
    counts = _counts(evidence)
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "site": {"url": evidence.site_url, "name": _site_name(evidence)},
        "checklist": {"id": checklist.id, "version": checklist.version, "title_th": checklist.title_th},
        "fiscal_year": fiscal_year,
        "as_of": as_of.isoformat(),
        "generated_at": generated_at,
        "published": published,
    }
    if published:
        result = score_oit({k: (0.0 if k in not_checked else v) for k, v in scores.items()}, checklist)
        report.update(oit_points=result.oit_points, oit_score=result.oit_score, indicators=result.indicators)
    else:
        report.update(oit_points=None, oit_score=None, indicators=empty_indicators(checklist))
    if not healthy:
        for entry in items:
            entry.update(score=None, points_lost=None, status="unreachable",
                         reason_th="การเก็บข้อมูลไม่สมบูรณ์ จึงไม่ประเมินคะแนน", reason_en="Crawl unhealthy: not scored")
        not_checked = []
    elif not published:
        for entry in items:
            entry.update(score=None, points_lost=None)
    if healthy and not_checked:
        best = score_oit({k: (100.0 if k in not_checked else v) for k, v in scores.items()}, checklist)
        report["completeness"] = {
            "complete": False, "partial": published, "reasons": incomplete, "not_checked": not_checked,
            "oit_score_min": report["oit_score"] if published else None,
            "oit_score_max": best.oit_score if published else None,
        }
    report["items"] = items
    report["missing_items"] = [i["id"] for i in items if i["status"] == "fail"]
    report["partial_items"] = [i["id"] for i in items if i["status"] == "partial"]
    report["review_items"] = [i["id"] for i in items if i["status"] == "review"]
    report["unreachable_items"] = [i["id"] for i in items if i["status"] == "unreachable"]
    report["not_checked_items"] = not_checked
    report["crawl"] = {
        "run_id": evidence.run_id, "started_at": evidence.started_at, "finished_at": evidence.finished_at,
        "pages": counts["pages"], "documents": counts["documents"], "errors": counts["errors"],
        "healthy": healthy, "health_reasons": list(health.get("reasons", [])),
        "health_warnings": list(health.get("warnings", [])), "status": evidence.status,
        "failures": [{"url": r.url, "kind": r.error_kind or "error", "status": r.status, "message": r.error or "",
                      "referer": None} for r in evidence.resources.values() if not r.ok],
    }
    return report


def _site_name(evidence: RunEvidence) -> str:
    start = _start_resource(evidence)
    if start is not None:
        for text in (start.title, start.text[:2000]):
            found = _DISTRICT_NAME.search(text or "")
            if found:
                return found.group()
        if start.title:
            return start.title
    return ""
