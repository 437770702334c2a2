"""report.md: a summary to paste into a memo (บันทึกข้อความ) or a chat, in Markdown.

Every value is escaped so that text from the crawled site (a `|` in a title, `*stars*`, `<tags>`) stays
text and cannot break a table or become markup; only http(s) URLs become links.
"""
from __future__ import annotations

import re
from pathlib import Path

from crawler.audit.status import element_status, status_label, status_th
from crawler.evidence.failures import failure_label
from crawler.evidence.walls import SHARE_ADVICE
from crawler.text.format import fmt_num, safe_url, site_name, thai_date
from reports.writer import (Report, ReportWriter, basis_label, fix_entries, indicator_codes, is_published,
                            items_to_fix, partial_note, register, withheld_reasons)

# Characters that are markup inside a line (CommonMark/GFM): escaped with a backslash.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# Characters that are markup at the start of a line or list item: heading, quote, list, setext rule.
_LEADING_MARK = re.compile(r"^[#>+=-]")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")
_DEST_ESCAPES = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C", "`": "%60"}


def md(value: object) -> str:
    """Escape any value for use inside a line: a table cell or after other text (one line)."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _INLINE.sub(r"\\\1", text)


def md_start(value: object) -> str:
    """Escape a value that starts a list item or line, where '# ', '> ', '- ' or '1. ' would be markup."""
    text = _LEADING_MARK.sub(lambda m: "\\" + m.group(0), md(value))
    return _LEADING_NUMBER.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def md_link(url: object, text: object = None) -> str:
    href = safe_url(url)
    label = md(text if text not in (None, "") else url)
    if href is None:
        return label
    # Keep the destination one token: encode what would end or split it (Thai stays readable).
    href = "".join(_DEST_ESCAPES.get(ch, ch) for ch in href)
    return f"[{label}]({href})"


def render_markdown(report: Report) -> str:
    published = is_published(report)
    ind = report.get("indicators") or {}
    site = report.get("site") or {}
    checklist = report.get("checklist") or {}
    lines = [
        f"# ผลคาดการณ์คะแนน OIT: {md(site_name(report))}",
        "",
        f"- เว็บไซต์: {md_link(site.get('url'))}",
        f"- ปีงบประมาณ พ.ศ. {md(report.get('fiscal_year'))} · ข้อมูล ณ วันที่ {md(thai_date(report.get('as_of')))}",
        f"- เกณฑ์: {md(checklist.get('title_th') or checklist.get('id'))} ({md(checklist.get('id'))} "
        f"v{md(checklist.get('version'))}) · รอบการเก็บข้อมูล #{md((report.get('crawl') or {}).get('run_id'))}",
        "",
    ]
    if not published:
        reasons = withheld_reasons(report) or ["ไม่ระบุสาเหตุ"]
        lines += ["> **ไม่เผยแพร่คะแนน:** การเก็บข้อมูลเว็บไซต์ไม่สมบูรณ์ (no score published: the crawl was "
                  "unhealthy or incomplete)", ">"]
        lines += [f"> - {md_start(r)}" for r in reasons]
        lines.append("")
    elif partial_note(report):
        lines += [f"> **{md(partial_note(report))}**", ">"]
        lines += [f"> - {md_start(r)}" for r in (report.get("completeness") or {}).get("reasons") or []]
        lines.append("")

    def score(value: object) -> str:
        return fmt_num(value if published else None)

    lines += ["## สรุปคะแนน", "", "| รายการ | คะแนน |", "|---|---:|",
              f"| **คะแนน OIT ที่คาดการณ์ (เต็ม 100)** | **{score(report.get('oit_score'))}** |",
              f"| คะแนน OIT ที่ได้ (เต็ม 40) | {score(report.get('oit_points'))} |"]
    for code in indicator_codes(report):
        data = ind[code]
        if "." in code:
            lines.append(f"| {code} {md(data.get('title_th'))} | {score(data.get('score'))} |")
        else:
            lines.append(f"| **ตัวชี้วัดที่ {code} {md(data.get('title_th'))}** | **{score(data.get('score'))}** |")
    ita = report.get("ita")
    if ita and published:
        lines.append(f"| ITA รวม (รวมผลแบบสำรวจ) | {fmt_num(ita.get('total'))} ระดับ {md(ita.get('level_th'))} |")
    lines.append("")
    lines += _overrides_lines(report)
    lines += _url_list_lines(report)
    lines += _plan_lines(report)
    lines += _broken_lines(report)
    lines += _not_public_lines(report)

    todo = items_to_fix(report)
    lines += [f"## รายการที่ต้องแก้ไข ({len(todo)} รายการ)", ""]
    if not todo:
        lines += ["ทุกรายการผ่านเกณฑ์", ""]
    for item in todo:
        lines += [f"### {md(item.get('id'))} {md(item.get('title_th'))} — {md(status_label(item.get('status', '')))}",
                  "",
                  f"- หน่วยงานรับผิดชอบ: **{md(item.get('unit_th') or 'ไม่ระบุ')}** · คะแนน {fmt_num(item.get('score'))}/100"
                  f" · เสีย {fmt_num(item.get('points_lost'))} จาก {fmt_num(item.get('points'))} คะแนน"]
        for label, reason, fix in fix_entries(item):
            text = f"**{md(label)}**" if label else ""
            if reason:
                text += f": {md(reason)}" if text else md_start(reason)
            if fix:
                text += f" → ต้องทำ: {md(fix)}" if text else f"ต้องทำ: {md(fix)}"
            lines.append(f"- {text}")
        lines.append("")

    lines += ["## ผลรายข้อ", "",
              "| รหัส | รายการ | สถานะ | คะแนน | คะแนนที่เสีย | ฐานของเกณฑ์ | หน่วยงาน | หลักฐาน |",
              "|---|---|---|---:|---:|---|---|---|"]
    for item in report.get("items", []):
        evidence = [ev for el in item.get("elements", []) if element_status(el) == "satisfied"
                    for ev in el.get("evidence") or []]
        first = md_link(evidence[0].get("url"), evidence[0].get("link_text")) if evidence else ""
        more = f" (+{len(evidence) - 1})" if len(evidence) > 1 else ""
        mark = " (ปรับผลโดยคณะทำงาน)" if item.get("override") else ""
        lines.append(f"| {md(item.get('id'))} | {md(item.get('title_th'))} | {md(status_label(item.get('status', '')) + mark)} "
                     f"| {fmt_num(item.get('score'))} | {fmt_num(item.get('points_lost'))} "
                     f"| {md(basis_label(item.get('basis')))} | {md(item.get('unit_th'))} | {first}{more} |")
    lines += ["", "ฐานของเกณฑ์: S = มีแหล่งอ้างอิง, I = อนุมาน · คะแนนเป็นการคาดการณ์จากการตรวจเว็บไซต์โดยอัตโนมัติ "
              "ไม่ใช่ผลการประเมินอย่างเป็นทางการ", ""]
    return "\n".join(lines)


def _overrides_lines(report: Report) -> list[str]:
    overrides = report.get("overrides")
    if not overrides:
        return []
    without, with_ = overrides.get("without") or {}, overrides.get("with") or {}
    lines = [f"## การปรับผลโดยคณะทำงาน ({md(overrides.get('count'))} ข้อ)", "",
             f"> คะแนน OIT รวมการปรับผล **{fmt_num(with_.get('oit_score'))}** · ตามการตรวจอัตโนมัติ "
             f"(ไม่รวมการปรับผล) **{fmt_num(without.get('oit_score'))}**"
             + (f" · ITA {fmt_num(with_.get('ita_total'))} {md(with_.get('level_th'))} / ไม่รวม "
                f"{fmt_num(without.get('ita_total'))} {md(without.get('level_th'))}"
                if with_.get("ita_total") is not None else ""), ""]
    for item in report.get("items", []):
        record = item.get("override")
        if record:
            lines.append(f"- **{md(item.get('id'))}** {md(record.get('label_th'))}")
    lines.append("")
    return lines


def _url_list_lines(report: Report) -> list[str]:
    """`oit audit --urls`: each listed URL with its answer and its item's verdict, and the items with no URL."""
    found = report.get("url_list")
    if not found:
        return []
    title = "ผลตรวจไฟล์ในโฟลเดอร์" if found.get("folder") else "ผลตรวจรายการ URL"
    lines = [f"## {title} ({md(found.get('source') or '')})", "",
             "| ข้อ | URL | เปิดได้ | ผลของข้อ |", "|---|---|---|---|"]
    for row in found.get("rows") or []:
        opened = "✓" if row.get("ok") else f"✗ {md(row.get('failure_th') or row.get('failure') or 'ไม่ได้ดาวน์โหลด')}"
        verdict = md(status_th(row["item_status"])) if row.get("item_status") else ""
        if row.get("item_reason_th"):
            verdict += f": {md(row['item_reason_th'])}"
        lines.append(f"| {md(row.get('item_id') or '-')} | {md_link(row.get('url'))} | {opened} | {verdict} |")
    without = found.get("items_without_url") or []
    lines += ["", f"ข้อที่ยังไม่มี URL: {md(', '.join(without))}" if without else "ทุกข้อมี URL ในรายการ", ""]
    if found.get("folder"):
        web_only = ", ".join(found.get("web_only_items") or []) or "-"
        lines += [f"ตรวจจากไฟล์ในโฟลเดอร์ก่อนเผยแพร่: ข้อที่ต้องตรวจบนเว็บไซต์ (บริการออนไลน์ ลิงก์ที่ใช้งานได้) "
                  f"ไม่ได้ตรวจและไม่คิดคะแนน: {md(web_only)} / audited from a folder: web-only checks are not scored", ""]
    return lines


def _broken_lines(report: Report) -> list[str]:
    """Files the site serves broken (empty, truncated, encrypted, mojibake): never counted as evidence."""
    broken = [f for f in (report.get("crawl") or {}).get("failures") or [] if str(f.get("kind")).startswith("broken_")]
    if not broken:
        return []
    lines = ["## ไฟล์เสียที่ไม่นับเป็นหลักฐาน (broken files, not counted as evidence)", "",
             "| ไฟล์ | ปัญหา | รายละเอียด |", "|---|---|---|"]
    lines += [f"| {md_link(f.get('url'))} | {md(failure_label(f.get('kind')) or f.get('kind'))} "
              f"| {md(f.get('message'))} |" for f in broken]
    lines.append("")
    return lines


def _not_public_lines(report: Report) -> list[str]:
    """Google Drive / OneDrive links that ask to sign in: assessors cannot open them either."""
    private = [f for f in (report.get("crawl") or {}).get("failures") or [] if f.get("kind") == "not_public"]
    if not private:
        return []
    lines = [f"## {failure_label('not_public')} (shared files not public)", "", SHARE_ADVICE, "",
             "| ลิงก์ | รายละเอียด |", "|---|---|"]
    lines += [f"| {md_link(f.get('url'))} | {md(f.get('message'))} |" for f in private]
    lines.append("")
    return lines


def _plan_lines(report: Report) -> list[str]:
    plan = report.get("plan")
    if not plan or not plan.get("fixes"):
        return []
    lines = ["## แผนแก้ไข (เรียงตามคะแนนที่ได้คืนต่อองค์ประกอบที่ขาด)", "",
             "| ลำดับ | รหัส | หน่วยงาน | ได้คืน | OIT หลังแก้ไข | ITA หลังแก้ไข |", "|---:|---|---|---:|---:|---|"]
    for fix in plan["fixes"]:
        after = fix.get("after") or {}
        ita_text = (f"{fmt_num(after.get('ita_total'))} {md(after.get('level_th'))}"
                    if after.get("ita_total") is not None else "—")
        lines.append(f"| {md(fix.get('rank'))} | {md(fix.get('item'))} | {md(fix.get('unit_th'))} "
                     f"| +{fmt_num(fix.get('points'))} | {fmt_num(after.get('oit_score'))} | {ita_text} |")
    lines.append("")
    lines += [f"- **{md(t.get('level_th'))}**: {md(t.get('statement_th'))}" for t in plan.get("targets") or []]
    lines.append("")
    return lines


@register
class MarkdownWriter(ReportWriter):
    format = "md"
    filename = "report.md"

    def write(self, report: Report, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        path.write_text(render_markdown(report), encoding="utf-8")
        return path
