"""The submission sheet: for every item O1–O22, the URL(s) to type into the ITA system's form.

    rows = submission_sheet(report, checklist)          # from report.json (overrides already applied)
    sheet_data(rows)                                    # plain data for reports/submit_sheet.py's writers

Chosen from the audit's evidence, per item:

1. a URL *covers* an element when it is evidence of that satisfied element, or when it is the district
   page that links to that evidence (the assessor clicks through). An element that needs several pieces
   (at least N documents, every month) is covered only by the page that lists them, never by one piece;
2. the first URL is the one covering the most elements; ties go to a working link, a page that is about
   this item (not a page shared by many items such as the ITA index or the home page), the district's
   own site, the right fiscal year, a text document over a scan, evidence over a linking page, and the
   audit's own evidence order;
3. further URLs are added, by the same order, until every satisfied element is covered; an element that
   is not satisfied but has partial evidence (PDF without its Excel twin) adds its best piece.

Warnings say where no URL satisfies the item (naming what is missing and the nearest miss), and where a
chosen URL is off-site, a scan, for the wrong fiscal year, shared by many items, or failed in the crawl.
An override's URL (crawler/kit/overrides.py) comes first and says who set it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from crawler.audit.checklist import Checklist, Element
from crawler.audit.primitives import REASONS
from crawler.audit.primitives import YEAR_RULES as AUDIT_YEAR_RULES
from crawler.audit.status import ElementStatus, ItemStatus, element_status

GENERIC_ITEMS = 3              # a URL serving this many items is a shared page (ITA index, home page)
LINK_FIELDS = ("link_text", "context")
# The fiscal years (offsets from the year judged) a chosen URL may belong to: the audit's own year rules,
# and the running year for the windows inside it.
YEAR_RULES = {**AUDIT_YEAR_RULES, "half_year": (0,), "monthly": (0,), "recent": (0,)}


@dataclass
class SheetLink:
    url: str
    covers: list[str] = field(default_factory=list)       # labels of the satisfied elements it covers
    satisfied: bool = True                                # False: partial evidence of an open element
    on_site: bool | None = None
    fiscal_year: int | None = None
    format: str | None = None
    working: bool = True
    warnings: list[str] = field(default_factory=list)
    by_override: bool = False


@dataclass
class SheetRow:
    item_id: str
    title_th: str
    status: str
    score: float | None
    unit_th: str
    links: list[SheetLink]
    warnings: list[str]
    override: str | None = None


@dataclass
class _Candidate:
    url: str
    order: int
    direct: set[str] = field(default_factory=set)        # element ids it is evidence of
    linked: set[str] = field(default_factory=set)        # element ids whose evidence it links to
    pieces: dict[str, int] = field(default_factory=dict)  # element id -> pieces of its evidence it links to
    entry: dict | None = None                            # its own evidence entry, when it is evidence
    on_site: bool | None = None


# -- choosing ---------------------------------------------------------------------------------------

def submission_sheet(report: dict, checklist: Checklist | None = None) -> list[SheetRow]:
    """One row per item of the report, in item order."""
    fy = int(report["fiscal_year"])
    failed = {f.get("url") for f in (report.get("crawl") or {}).get("failures") or []}
    usage = _usage(report)
    start = (report.get("site") or {}).get("url")
    rows = []
    for item in report.get("items", []):
        rules = _rules(checklist, item["id"])
        rows.append(_row(item, rules, fy, failed, usage, start))
    return rows


def _usage(report: dict) -> dict[str, set[str]]:
    """URL -> the items it is evidence of, or links evidence of."""
    used: dict[str, set[str]] = {}
    for item in report.get("items", []):
        for element in item.get("elements", []):
            for ev in element.get("evidence") or []:
                for url in (ev.get("url"), ev.get("source_page")):
                    if url:
                        used.setdefault(url, set()).add(item["id"])
    return used


def _rules(checklist: Checklist | None, item_id: str) -> dict[str, Element]:
    if checklist is None:
        return {}
    try:
        return {e.id: e for e in checklist.item(item_id).elements}
    except KeyError:
        return {}


def _row(item: dict, rules: dict[str, Element], fy: int, failed: set, usage: dict, start: str | None) -> SheetRow:
    elements = item.get("elements", [])
    labels = {el["id"]: el.get("label_th") or el["id"] for el in elements}
    satisfied = [el for el in elements if element_status(el) == ElementStatus.SATISFIED]
    candidates: dict[str, _Candidate] = {}

    def candidate(url: str) -> _Candidate:
        if url not in candidates:
            candidates[url] = _Candidate(url, len(candidates))
        return candidates[url]

    for el in satisfied:
        rule = rules.get(el["id"])
        several = rule is not None and (rule.min_count > 1 or rule.time == "monthly")
        pieces = [ev for ev in el.get("evidence") or [] if ev.get("url")]
        own = {ev["url"] for ev in pieces}
        sources: dict[str, list] = {}                  # page -> [pieces it links, does a link name it]
        for ev in pieces:
            c = candidate(ev["url"])
            c.entry = c.entry or ev
            c.on_site = ev.get("on_site") if c.on_site is None else c.on_site
            if not several:
                c.direct.add(el["id"])
            page = ev.get("source_page")
            if page and page != ev["url"] and _same_site(page, start):
                entry = sources.setdefault(page, [0, False])
                entry[0] += 1
                entry[1] = entry[1] or ev.get("matched_in") in LINK_FIELDS
        # A page shows the element when its link names it, or when it is evidence itself; a page that
        # merely links a document whose own text matched shows nothing of the element.
        showing = {p: n for p, (n, named) in sources.items() if named or p in own}
        for page, n in showing.items():
            candidate(page).pieces[el["id"]] = n
        if several and showing:
            page = max(showing, key=lambda p: showing[p])      # the page that lists the most pieces
            candidate(page).linked.add(el["id"])
        elif several:                                           # no listing page known: the pieces then
            for ev in pieces:
                candidate(ev["url"]).direct.add(el["id"])
        else:
            for page in showing:
                candidate(page).linked.add(el["id"])

    def rank(c: _Candidate, remaining: set[str]) -> tuple:
        covered = (c.direct | c.linked) & remaining
        # The page where the district publishes this element (it links several pieces, or is evidence
        # itself and links more) shows the assessor everything at once.
        hub = {e for e in covered if c.pieces.get(e, 0) >= 2 or (e in c.direct and e in c.linked)}
        return (not _working(c.url, failed), _generic(c.url, usage, start), -len(covered), -len(hub),
                c.on_site is False or (c.on_site is None and not _same_site(c.url, start)),
                not _year_ok(c, rules, fy), _scan(c.entry), not c.direct, c.order)

    links: list[SheetLink] = []
    remaining = {el["id"] for el in satisfied}
    while remaining:
        useful = [c for c in candidates.values() if (c.direct | c.linked) & remaining]
        if not useful:
            break
        best = min(useful, key=lambda c: rank(c, remaining))
        covered = (best.direct | best.linked) & remaining
        remaining -= covered
        links.append(_link(best, [labels[i] for i in labels if i in covered], True, rules, fy, failed, usage, start))

    warnings: list[str] = []
    for el in elements:
        if element_status(el) == ElementStatus.SATISFIED:
            continue
        pieces = [ev for ev in el.get("evidence") or [] if ev.get("url")]
        if pieces:
            c = _Candidate(pieces[0]["url"], 0, entry=pieces[0], on_site=pieces[0].get("on_site"))
            rule = rules.get(el["id"])
            if rule is not None and (rule.min_count > 1 or rule.time == "monthly"):
                listing = _listing_page(pieces, start)      # the page listing the months found so far
                if listing:
                    c = _Candidate(listing, 0, on_site=True)
            c.direct.add(el["id"])
            if not any(link.url == c.url for link in links):
                links.append(_link(c, [labels[el["id"]]], False, rules, fy, failed, usage, start))
        warnings.append(_missing_warning(el))

    override = item.get("override") or None
    if override and override.get("url"):
        links = [link for link in links if link.url != override["url"]]
        links.insert(0, SheetLink(url=override["url"], covers=["กำหนดโดยคณะทำงาน"], satisfied=True,
                                  on_site=_same_site(override["url"], start), by_override=True,
                                  warnings=[f"URL นี้กำหนดโดยคณะทำงาน ({override.get('who')}, "
                                            f"ตรวจเมื่อ {override.get('date')})"]))
    if item.get("status") == ItemStatus.PASS and not links:
        warnings.append("ผ่านตามการปรับผลของคณะทำงาน แต่ยังไม่มี URL ให้ผู้ประเมินเปิดดู: ใส่ url ในไฟล์ overrides"
                        if override else "ผ่านเกณฑ์แต่ไม่พบ URL หลักฐาน")
    return SheetRow(item_id=item["id"], title_th=item.get("title_th") or "", status=item.get("status") or "",
                    score=item.get("score"), unit_th=item.get("unit_th") or "", links=links, warnings=warnings,
                    override=(override or {}).get("label_th"))


def _link(c: _Candidate, covers: list[str], satisfied: bool, rules: dict, fy: int, failed: set, usage: dict,
          start: str | None) -> SheetLink:
    entry = c.entry or {}
    warnings = []
    off_site = c.on_site is False or (c.on_site is None and not _same_site(c.url, start))
    if not _working(c.url, failed):
        warnings.append("เปิดไม่ได้ในการเก็บข้อมูลครั้งนี้ ตรวจสอบลิงก์ก่อนส่ง")
    if off_site:
        warnings.append(f"อยู่นอกเว็บไซต์ของเขต ({urlsplit(c.url).netloc}) ผู้ประเมินอาจไม่นับ "
                        "ควรเผยแพร่ไว้บนเว็บไซต์ของเขตด้วย")
    if _scan(entry):
        warnings.append("เป็นไฟล์สแกน ค้นหาข้อความไม่ได้ ควรใช้ไฟล์ที่มีข้อความ")
    if not _year_ok(c, rules, fy):
        warnings.append(f"ปีงบประมาณไม่ตรง (พบ พ.ศ. {entry.get('fiscal_year')} เกณฑ์ต้องการ พ.ศ. {fy})")
    if _generic(c.url, usage, start):
        warnings.append("เป็นหน้ารวมของหลายข้อ ผู้ประเมินต้องค้นเอง ควรใช้หน้าหรือเอกสารเฉพาะของข้อนี้")
    if not satisfied:
        warnings.append("หลักฐานยังไม่ครบตามเกณฑ์ (ดูคำเตือนของข้อ)")
    return SheetLink(url=c.url, covers=covers, satisfied=satisfied, on_site=not off_site,
                     fiscal_year=entry.get("fiscal_year"), format=entry.get("format") or None,
                     working=_working(c.url, failed), warnings=warnings)


def _listing_page(pieces: list[dict], start: str | None) -> str | None:
    counts: dict[str, int] = {}
    for ev in pieces:
        page = ev.get("source_page")
        if page and page != ev["url"] and _same_site(page, start) and ev.get("matched_in") in LINK_FIELDS + ("title",):
            counts[page] = counts.get(page, 0) + 1
    return max(counts, key=lambda p: counts[p]) if counts else None


def _missing_warning(element: dict) -> str:
    label = element.get("label_th") or element.get("id")
    reason = element.get("reason_th") or element.get("reason") or "ไม่พบ"
    text = f"ยังไม่มี URL ที่ผ่านเกณฑ์: {label} — {reason}"
    near = next((c for c in element.get("candidates") or [] if c.get("url") and c.get("reason") != "only_in_navigation"),
                None)
    if near:
        why = REASONS.get(near.get("reason") or "", ("",))[0]
        text += f" (ใกล้เคียง: {near['url']}" + (f" — {why}" if why else "") + ")"
    return text


def _working(url: str, failed: set) -> bool:
    return url not in failed


def _generic(url: str, usage: dict, start: str | None) -> bool:
    return len(usage.get(url, ())) >= GENERIC_ITEMS or (start is not None and url.rstrip("/") == start.rstrip("/"))


def _scan(entry: dict | None) -> bool:
    return bool(entry) and (bool(entry.get("ocr")) or entry.get("text_layer") == "scan")


def _year_ok(c: _Candidate, rules: dict[str, Element], fy: int) -> bool:
    year = (c.entry or {}).get("fiscal_year")
    if year is None:
        return True
    for element_id in c.direct:
        rule = rules.get(element_id)
        offsets = YEAR_RULES.get(rule.time) if rule is not None else None
        if offsets and year not in {fy + k for k in offsets}:
            return False
    return True


def _same_site(url: str | None, start: str | None) -> bool:
    if not url or not start:
        return False
    a, b = urlsplit(url), urlsplit(start)
    return a.netloc.lower() == b.netloc.lower() and a.path.startswith(b.path.rsplit("/", 1)[0])


def sheet_data(rows: list[SheetRow]) -> list[dict]:
    """The rows as plain data, what the submit-sheet writers (reports/submit_sheet.py) render."""
    return [asdict(row) for row in rows]
