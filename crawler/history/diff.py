"""Run-to-run diff: what changed on the site between two crawls, and which verdicts it changed.

    diff = diff_runs(store, 3, 5)              # both runs' stored audits (or audits made now)
    print_diff(diff); reports.diff.write_diff(diff, out)

Resources are compared by URL: documents added, removed, changed (by sha256), now failing (404,
timeout, …) or working again, and documents that moved (the same content at another URL). Pages are
compared the same way except for "changed": a page's HTML changes every week (news, counters), so only
its disappearance or failure is news. Items are compared on the two audits: status or score changed,
with the element that changed and the cause when the resource diff knows it (the evidence now fails,
is gone, was replaced).
"""
from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from crawler.audit.status import ItemStatus, status_th
from crawler.errors import HINT_RUNS, InputError
from crawler.evidence.model import Resource, RunEvidence
from crawler.evidence.store import Store
from crawler.service import Notify, stored_or_new_audit
from crawler.text.dates import bangkok_datetime_th
from crawler.text.urls import readable_url

DIFF_SCHEMA_VERSION = "1.0"
STATUS_RANK = {ItemStatus.PASS: 4, ItemStatus.PARTIAL: 3, ItemStatus.REVIEW: 2, ItemStatus.UNREACHABLE: 1,
               ItemStatus.NOT_CHECKED: 1, ItemStatus.FAIL: 0}     # better or worse between two runs
CHANGE_KINDS = ("added", "removed", "changed", "failing", "recovered", "moved")


class DiffError(InputError):
    """The two runs cannot be compared as asked (one line for the user)."""
    default_hint = HINT_RUNS


readable = readable_url      # the terminal diff shows whole URLs (to copy), decoded


# -- resources --------------------------------------------------------------------------------------

def _entry(r: Resource, before: Resource | None = None) -> dict:
    entry = {"url": r.url, "kind": r.kind, "format": r.format or None, "filename": r.filename or None,
             "title": r.title or None, "sha256": r.sha256 or None, "size": r.size, "on_site": r.on_site}
    if not r.ok:
        entry.update(status=r.status, error_kind=r.error_kind, error=r.error)
    if before is not None:
        entry.update(sha256_before=before.sha256 or None, size_before=before.size)
    return entry


def resource_changes(a: RunEvidence, b: RunEvidence) -> dict:
    """{"documents": {added, removed, changed, failing, recovered, moved, not_checked}, "pages": {…}}."""
    out = {group: {kind: [] for kind in (*CHANGE_KINDS, "not_checked")} for group in ("documents", "pages")}

    def group(r: Resource) -> dict:
        return out["pages" if r.kind == "page" else "documents"]

    # Which query variants of a trap path (pagination, calendar) fit under the crawl's cap depends on
    # the order answers arrive in: their coming and going between runs is the crawl's, not the site's.
    trapped = {urlsplit(r.url).path for run in (a, b) for r in run.resources.values()
               if r.error_kind == "trap_bound"}

    def noise(r: Resource) -> bool:
        return r.kind == "page" and urlsplit(r.url).path in trapped

    for url, old in a.resources.items():
        new = b.resources.get(url)
        if not old.attempted:
            continue
        if new is None:
            if old.ok and not noise(old):
                group(old)["removed"].append(_entry(old))
        elif not new.attempted:
            if old.ok and not noise(old):
                group(old)["not_checked"].append(_entry(new))
        elif old.ok and not new.ok:
            group(old)["failing"].append(_entry(new, old))
        elif not old.ok and new.ok:
            group(new)["recovered"].append(_entry(new))
        elif old.ok and new.ok and old.kind != "page" and new.kind != "page" and old.sha256 != new.sha256:
            group(new)["changed"].append(_entry(new, old))
    for url, new in b.resources.items():
        old = a.resources.get(url)
        if new.ok and (old is None or not old.attempted) and not noise(new):
            group(new)["added"].append(_entry(new))
    for g in out.values():
        _pair_moves(g)
    return out


def _pair_moves(g: dict) -> None:
    """The same content gone from one URL and added at another has moved."""
    added_by_hash: dict[str, list[dict]] = {}
    for entry in g["added"]:
        if entry["sha256"]:
            added_by_hash.setdefault(entry["sha256"], []).append(entry)
    for entry in list(g["removed"]):
        targets = added_by_hash.get(entry["sha256"] or "")
        if targets:
            to = targets.pop(0)
            g["removed"].remove(entry)
            g["added"].remove(to)
            g["moved"].append({"from": entry["url"], "to": to["url"], "kind": to["kind"], "format": to["format"],
                               "filename": to["filename"], "title": to["title"], "sha256": to["sha256"]})
    for entry in g["failing"]:
        targets = added_by_hash.get(entry.get("sha256_before") or "")
        if targets:
            entry["content_now_at"] = targets[0]["url"]


# -- items ------------------------------------------------------------------------------------------

def _urls(element: dict) -> list[str]:
    return [ev["url"] for ev in element.get("evidence") or [] if ev.get("url")]


def _causes(before: dict, after: dict, changes: dict) -> list[dict]:
    """Why an element's verdict changed, as far as the resource diff tells."""
    index: dict[str, tuple[str, dict]] = {}
    for g in changes.values():
        for kind in ("removed", "changed", "failing", "added", "recovered"):
            for entry in g[kind]:
                index[entry["url"]] = (kind, entry)
        for move in g["moved"]:
            index[move["from"]] = ("moved", move)
            index[move["to"]] = ("moved", move)
    causes = []
    lost = not after.get("satisfied") and before.get("satisfied")
    urls = _urls(before) if lost else _urls(after)
    for url in urls:
        if url in index:
            kind, entry = index[url]
            causes.append({"change": kind, "url": url, "to": entry.get("to"),
                           "error_kind": entry.get("error_kind"), "status": entry.get("status")})
    return causes


CAUSE_TEXT = {
    "failing": ("หลักฐานเดิมเปิดไม่ได้", "the evidence now fails"),
    "removed": ("หลักฐานเดิมไม่มีลิงก์บนเว็บไซต์แล้ว", "the evidence is no longer linked"),
    "changed": ("เอกสารหลักฐานถูกแก้ไข", "the evidence document changed"),
    "moved": ("หลักฐานย้ายไปอยู่ที่อื่น", "the evidence moved"),
    "added": ("เพิ่มเอกสาร", "document added"),
    "recovered": ("หลักฐานกลับมาเปิดได้", "the evidence works again"),
}


def cause_text(cause: dict) -> tuple[str, str]:
    th, en = CAUSE_TEXT[cause["change"]]
    detail = readable(cause["url"])
    if cause["change"] == "failing":
        detail += f" ({cause.get('error_kind') or cause.get('status')})"
    if cause["change"] == "moved" and cause.get("to") and cause["to"] != cause["url"]:
        detail += f" → {readable(cause['to'])}"
    return f"{th}: {detail}", f"{en}: {detail}"


def _direction(before: dict, after: dict) -> str:
    if before.get("score") is not None and after.get("score") is not None and before["score"] != after["score"]:
        return "better" if after["score"] > before["score"] else "worse"
    rank_a, rank_b = STATUS_RANK.get(before.get("status"), 0), STATUS_RANK.get(after.get("status"), 0)
    return "better" if rank_b > rank_a else "worse" if rank_b < rank_a else "changed"


def item_changes(report_a: dict, report_b: dict, changes: dict) -> list[dict]:
    """Items whose status or score differs, each with the elements that changed and why."""
    before_items = {i["id"]: i for i in report_a["items"]}
    out = []
    for item in report_b["items"]:
        old = before_items.get(item["id"])
        if old is None or (old["status"], old["score"]) == (item["status"], item["score"]):
            continue
        old_elements = {e["id"]: e for e in old["elements"]}
        elements = []
        for el in item["elements"]:
            prev = old_elements.get(el["id"], {})
            if (prev.get("satisfied"), prev.get("status"), prev.get("reason")) == \
                    (el.get("satisfied"), el.get("status"), el.get("reason")):
                continue
            causes = _causes(prev, el, changes)
            elements.append({
                "id": el["id"], "label_th": el["label_th"], "label_en": el["label_en"],
                "before": {"satisfied": prev.get("satisfied"), "status": prev.get("status"),
                           "reason": prev.get("reason")},
                "after": {"satisfied": el.get("satisfied"), "status": el.get("status"), "reason": el.get("reason")},
                "reason_th": el.get("reason_th"), "reason_en": el.get("reason_en"),
                "causes": causes,
                "evidence_before": _urls(prev), "evidence_after": _urls(el),
            })
        before = {"status": old["status"], "score": old["score"]}
        after = {"status": item["status"], "score": item["score"]}
        # One document often served several elements: name each cause once, not once per element.
        why_th = list(dict.fromkeys(cause_text(c)[0] for e in elements for c in e["causes"]))
        why_en = list(dict.fromkeys(cause_text(c)[1] for e in elements for c in e["causes"]))
        out.append({
            "id": item["id"], "title_th": item["title_th"], "title_en": item["title_en"],
            "before": before, "after": after, "direction": _direction(before, after),
            "reason_th": "; ".join(why_th) or item.get("reason_th") or
                         "; ".join(f"{e['label_th']}: พบหลักฐาน" for e in elements if e["after"]["satisfied"]) or None,
            "reason_en": "; ".join(why_en) or item.get("reason_en") or
                         "; ".join(f"{e['label_en']}: found" for e in elements if e["after"]["satisfied"]) or None,
            "elements": elements,
        })
    return out


def evidence_moves(report_a: dict, report_b: dict) -> list[dict]:
    """Elements satisfied in both runs whose evidence now sits at other URLs (none in common)."""
    before = {(i["id"], e["id"]): e for i in report_a["items"] for e in i["elements"]}
    out = []
    for item in report_b["items"]:
        for el in item["elements"]:
            prev = before.get((item["id"], el["id"]))
            if not prev or not (prev.get("satisfied") and el.get("satisfied")):
                continue
            old, new = _urls(prev), _urls(el)
            if old and new and not set(old) & set(new):
                out.append({"item": item["id"], "element": el["id"], "label_th": el["label_th"],
                            "label_en": el["label_en"], "from": old, "to": new})
    return out


# -- the diff ---------------------------------------------------------------------------------------

def _side(report: dict, evidence: RunEvidence) -> dict:
    crawl = report["crawl"]
    return {"run_id": evidence.run_id, "started_at": evidence.started_at, "finished_at": evidence.finished_at,
            "fiscal_year": report["fiscal_year"], "as_of": report["as_of"], "checklist": report["checklist"]["id"],
            "oit_score": report.get("oit_score"), "published": bool(report.get("published")),
            "healthy": bool(crawl.get("healthy")), "health_reasons": crawl.get("health_reasons") or [],
            "pages": crawl["pages"], "documents": crawl["documents"], "errors": crawl["errors"]}


def diff_reports(report_a: dict, evidence_a: RunEvidence, report_b: dict, evidence_b: RunEvidence,
                 generated_at: str | None = None) -> dict:
    """The diff.json dict of two audited runs (pure: no store, no clock)."""
    changes = resource_changes(evidence_a, evidence_b)
    comparable = bool(report_a.get("published")) and bool(report_b.get("published"))
    before, after = _side(report_a, evidence_a), _side(report_b, evidence_b)
    note = None
    if not comparable:
        unhealthy = [str(s["run_id"]) for s in (before, after) if not s["published"]]
        note = (f"รอบ {', '.join(unhealthy)} เก็บข้อมูลไม่สมบูรณ์ จึงไม่เทียบผลรายข้อ / "
                f"run {', '.join(unhealthy)} unhealthy: item verdicts not compared")
    elif report_a["fiscal_year"] != report_b["fiscal_year"]:
        note = (f"เทียบผลต่างปีงบประมาณ ({report_a['fiscal_year']} กับ {report_b['fiscal_year']}) / "
                f"verdicts of different fiscal years compared")
    oit_change = (round(after["oit_score"] - before["oit_score"], 2) if comparable else None)
    return {
        "kind": "runs", "schema_version": DIFF_SCHEMA_VERSION, "generated_at": generated_at,
        "site": {"url": evidence_b.site_url, "name": report_b["site"].get("name") or report_a["site"].get("name")},
        "before": before, "after": after, "oit_change": oit_change,
        "items_compared": comparable, "note": note,
        "items": item_changes(report_a, report_b, changes) if comparable else [],
        "evidence_moved": evidence_moves(report_a, report_b),
        "documents": changes["documents"], "pages": changes["pages"],
    }


def default_fiscal_year(store: Store, *run_ids: int) -> int:
    """The fiscal year the later run (else the earlier) was last audited for."""
    for run_id in reversed(run_ids):
        rows = store.audits(run_id=run_id)
        if rows:
            return max(rows, key=lambda a: (a["generated_at"] or "", a["id"]))["fiscal_year"]
    raise DiffError(f"ยังไม่มีผลการประเมินของรอบ {', '.join(map(str, run_ids))} — ระบุ --fiscal-year / "
                    f"no stored audit of run {' or '.join(map(str, run_ids))}: give --fiscal-year",
                    hint="ระบุปีงบประมาณที่จะใช้ตรวจ เช่น --fiscal-year 2568 / give the fiscal year to judge "
                         "by, e.g. --fiscal-year 2568")


def diff_runs(store: Store, run_a: int, run_b: int, *, fiscal_year: int | None = None, as_of: date | None = None,
              checklist: str | None = None, generated_at: str | None = None, notify: Notify | None = None) -> dict:
    """The diff of two stored runs, judged on their stored audits (or audits made now, not kept)."""
    if run_a == run_b:
        raise DiffError(f"เทียบรอบเดียวกันไม่ได้ / run {run_a} compared with itself")
    fy = fiscal_year or default_fiscal_year(store, run_a, run_b)
    evidence_a, evidence_b = store.load_run(run_a), store.load_run(run_b)
    report_a = stored_or_new_audit(store, run_a, fy, as_of, checklist, notify)
    report_b = stored_or_new_audit(store, run_b, fy, as_of, checklist, notify)
    return diff_reports(report_a, evidence_a, report_b, evidence_b, generated_at)


# -- terminal ---------------------------------------------------------------------------------------

def _score(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def count_line(group: dict) -> str:
    return ", ".join(f"{kind} {len(group[kind])}" for kind in CHANGE_KINDS if group[kind]) or "no change"


def print_diff(diff: dict, out, limit: int = 30) -> None:
    w = lambda s="": print(s, file=out)  # noqa: E731
    a, b = diff["before"], diff["after"]
    w(f"{diff['site'].get('name') or diff['site']['url']}  —  รอบ/run {a['run_id']} ({bangkok_datetime_th(a['started_at'])}) "
      f"→ รอบ/run {b['run_id']} ({bangkok_datetime_th(b['started_at'])}), ปีงบประมาณ/FY {b['fiscal_year']}")
    change = "" if diff["oit_change"] is None else f"  ({diff['oit_change']:+.2f})"
    w(f"คะแนน OIT/OIT score: {_score(a['oit_score'])} → {_score(b['oit_score'])}{change}")
    if diff.get("note"):
        w(f"  หมายเหตุ/note: {diff['note']}")
    for side in (a, b):
        for reason in side["health_reasons"]:
            w(f"  รอบ/run {side['run_id']}: {reason}")
    if diff["items"]:
        w("รายการที่ผลเปลี่ยน/items changed:")
        for item in diff["items"]:
            st_a, st_b = status_th(item["before"]["status"]), status_th(item["after"]["status"])
            w(f"  {item['id']:<4} {st_a} → {st_b}  {_num(item['before']['score'])} → {_num(item['after']['score'])}"
              f"  {item['title_th']}")
            if item.get("reason_th"):
                w(f"       {item['reason_th']}")
    elif diff["items_compared"]:
        w("ผลรายข้อไม่เปลี่ยน/no item verdict changed")
    for move in diff["evidence_moved"]:
        w(f"  หลักฐานย้าย/evidence moved: {move['item']} {move['label_th']}: {readable(move['from'][0])} → "
          f"{readable(move['to'][0])}")
    marks = {"added": "+", "removed": "-", "changed": "~", "failing": "✗", "recovered": "✓", "moved": "→"}
    for title, key in (("เอกสาร/documents", "documents"), ("หน้าเว็บ/pages", "pages")):
        group = diff[key]
        w(f"{title}: {count_line(group)}")
        shown = 0
        for kind in CHANGE_KINDS:
            for entry in group[kind]:
                if shown >= limit:
                    break
                shown += 1
                if kind == "moved":
                    w(f"  {marks[kind]} {readable(entry['from'])}  →  {readable(entry['to'])}")
                elif kind == "failing":
                    w(f"  {marks[kind]} {readable(entry['url'])}  ({entry.get('error_kind') or entry.get('status')})")
                else:
                    w(f"  {marks[kind]} {readable(entry['url'])}")
        total = sum(len(group[k]) for k in CHANGE_KINDS)
        if total > shown:
            w(f"  … และอีก/and {total - shown} more (diff.json)")


def _num(value) -> str:
    return "—" if value is None else f"{value:g}"
