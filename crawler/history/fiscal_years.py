"""Fiscal-year coverage diff: what the site covers for one fiscal year and not the other.

    diff = diff_fiscal_years(store, 2567, 2568, runs=(7,))     # one crawl judged for both years
    diff = diff_fiscal_years(store, 2567, 2568, runs=(3, 7))   # FY 2567 from run 3, FY 2568 from run 7

Each year is audited with its own checklist (bma-district-<year>, else the nearest year's:
crawler.service.choose_checklist) as of the end of that fiscal year, or earlier when the run or --as-of
is earlier: a closed year is judged whole, the running year as far as it has gone. Items and elements are matched by id; for each element the diff says which
year covers it and with which documents. "lacking" is what the earlier year had that the later one still
lacks: the to-do list when a new fiscal year starts.
"""
from __future__ import annotations

from datetime import date

from crawler.text.dates import fiscal_year_bounds
from crawler.evidence.store import Store
from crawler.history.diff import DIFF_SCHEMA_VERSION, DiffError, readable
from crawler.service import Notify, run_date, stored_or_new_audit

COVERAGE = ("both", "earlier_only", "later_only", "neither", "only_in_one_checklist")


def year_as_of(fiscal_year: int, ceiling: date) -> date:
    """Judge a fiscal year as of its last day, or `ceiling` (the crawl date, --as-of) if that is earlier."""
    return min(fiscal_year_bounds(fiscal_year)[1], ceiling)


def _documents(element: dict) -> list[dict]:
    return [{"url": ev["url"], "format": ev.get("format"), "fiscal_year": ev.get("fiscal_year"),
             "link_text": ev.get("link_text") or ""}
            for ev in element.get("evidence") or [] if ev.get("url")]


def _year_view(element: dict | None) -> dict | None:
    if element is None:
        return None
    return {"covered": bool(element.get("satisfied")), "status": element.get("status"),
            "reason": element.get("reason"), "reason_th": element.get("reason_th"),
            "reason_en": element.get("reason_en"), "documents": _documents(element)}


def _coverage(early: dict | None, late: dict | None) -> str:
    if early is None or late is None:
        return "only_in_one_checklist"
    if early["covered"] and late["covered"]:
        return "both"
    if early["covered"]:
        return "earlier_only"
    return "later_only" if late["covered"] else "neither"


def diff_coverage(early_report: dict, late_report: dict, generated_at: str | None = None) -> dict:
    """The fiscal-year diff dict of two audits (pure)."""
    fy_a, fy_b = early_report["fiscal_year"], late_report["fiscal_year"]
    ka, kb = str(fy_a), str(fy_b)
    early_items = {i["id"]: i for i in early_report["items"]}
    late_items = {i["id"]: i for i in late_report["items"]}
    order = [i["id"] for i in late_report["items"]] + [i for i in early_items if i not in late_items]
    items, lacking, gained = [], [], []
    served: dict[str, dict[str, dict]] = {ka: {}, kb: {}}
    for item_id in order:
        ia, ib = early_items.get(item_id), late_items.get(item_id)
        shown = ib or ia
        els_a = {e["id"]: e for e in (ia or {}).get("elements", [])}
        els_b = {e["id"]: e for e in (ib or {}).get("elements", [])}
        elements = []
        for el_id in [*els_b, *(e for e in els_a if e not in els_b)]:
            ea, eb = _year_view(els_a.get(el_id)), _year_view(els_b.get(el_id))
            label = els_b.get(el_id) or els_a.get(el_id)
            coverage = _coverage(ea, eb)
            elements.append({"id": el_id, "label_th": label["label_th"], "label_en": label["label_en"],
                             "coverage": coverage, "years": {ka: ea, kb: eb}})
            ref = {"item": item_id, "element": el_id, "label_th": label["label_th"], "label_en": label["label_en"]}
            if coverage == "earlier_only":
                lacking.append({**ref, "earlier_documents": ea["documents"],
                                "reason_th": eb["reason_th"], "reason_en": eb["reason_en"],
                                "fix_th": els_b[el_id].get("fix_th")})
            elif coverage == "later_only":
                gained.append({**ref, "later_documents": eb["documents"]})
            for key, view in ((ka, ea), (kb, eb)):
                for doc in (view or {}).get("documents", []) if (view or {}).get("covered") else []:
                    entry = served[key].setdefault(doc["url"], {**doc, "serves": []})
                    entry["serves"].append(f"{item_id} {el_id}")
        items.append({
            "id": item_id, "title_th": shown["title_th"], "title_en": shown["title_en"],
            "years": {ka: {"status": ia["status"], "score": ia["score"]} if ia else None,
                      kb: {"status": ib["status"], "score": ib["score"]} if ib else None},
            "elements": elements,
        })

    def side(report: dict) -> dict:
        return {"run_id": report["crawl"]["run_id"], "as_of": report["as_of"],
                "checklist": report["checklist"]["id"], "oit_score": report.get("oit_score"),
                "published": bool(report.get("published")),
                "health_reasons": report["crawl"].get("health_reasons") or []}

    return {
        "kind": "fiscal_years", "schema_version": DIFF_SCHEMA_VERSION, "generated_at": generated_at,
        "site": {"url": late_report["site"]["url"],
                 "name": late_report["site"].get("name") or early_report["site"].get("name")},
        "years": [fy_a, fy_b], "audits": {ka: side(early_report), kb: side(late_report)},
        "items": items, "lacking": lacking, "gained": gained,
        "documents": {k: sorted(v.values(), key=lambda d: d["url"]) for k, v in served.items()},
    }


def diff_fiscal_years(store: Store, year_a: int, year_b: int, runs: tuple[int, ...], *,
                      as_of: date | None = None, generated_at: str | None = None,
                      notify: Notify | None = None) -> dict:
    """Audit the run(s) for both years and diff the coverage; the earlier year first."""
    if year_a == year_b:
        raise DiffError(f"ระบุปีงบประมาณสองปีที่ต่างกัน / give two different fiscal years, not {year_a} twice",
                        hint="ระบุปีก่อนและปีหลัง เช่น oit diff --fiscal-years 2567 2568 / give the earlier and "
                             "the later year, e.g. oit diff --fiscal-years 2567 2568")
    if not 1 <= len(runs) <= 2:
        raise DiffError("ระบุ --run ได้หนึ่งหรือสองครั้ง / give --run once (one crawl) or twice (one per year)")
    years = sorted((year_a, year_b))
    by_year = dict(zip(years, runs if len(runs) == 2 else runs * 2))
    reports = []
    for fy in years:
        run_id = by_year[fy]
        ceiling = as_of or run_date(store, run_id)
        reports.append(stored_or_new_audit(store, run_id, fy, year_as_of(fy, ceiling), None, notify))
    return diff_coverage(reports[0], reports[1], generated_at)


# -- terminal ---------------------------------------------------------------------------------------

COVERAGE_MARKS = {"both": "✓✓", "earlier_only": "✓·", "later_only": "·✓", "neither": "··",
                  "only_in_one_checklist": "--"}


def print_coverage(diff: dict, out) -> None:
    w = lambda s="": print(s, file=out)  # noqa: E731
    ka, kb = (str(y) for y in diff["years"])
    audits = diff["audits"]
    w(f"{diff['site'].get('name') or diff['site']['url']}  —  ปีงบประมาณ/FY {ka} (run {audits[ka]['run_id']}, "
      f"as of {audits[ka]['as_of']}) เทียบกับ/vs {kb} (run {audits[kb]['run_id']}, as of {audits[kb]['as_of']})")
    w(f"  {'':<4} {'':<2}  {ka:>4} {kb:>4}")
    for item in diff["items"]:
        ya, yb = item["years"][ka], item["years"][kb]
        w(f"  {item['id']:<4}     {_score(ya):>4} {_score(yb):>4}  {item['title_th']}")
        for el in item["elements"]:
            if el["coverage"] != "both":
                w(f"        {COVERAGE_MARKS[el['coverage']]}  {el['id']}: {el['label_th']}")
    if diff["lacking"]:
        w(f"ปี {ka} มีแต่ปี {kb} ยังขาด / what {ka} had that {kb} still lacks:")
        for entry in diff["lacking"]:
            docs = ", ".join(readable(d["url"]) for d in entry["earlier_documents"][:2])
            w(f"  {entry['item']} {entry['label_th']}" + (f"  (ปี {ka}: {docs})" if docs else ""))
    else:
        w(f"ปี {kb} ครอบคลุมทุกอย่างที่ปี {ka} มี / {kb} covers everything {ka} had")
    for key in (ka, kb):
        w(f"เอกสารที่ใช้เป็นหลักฐานของปี {key} / documents serving FY {key}: {len(diff['documents'][key])}")


def _score(year: dict | None) -> str:
    if year is None:
        return "—"
    return "—" if year["score"] is None else f"{year['score']:g}"
