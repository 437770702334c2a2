"""The weekly message to the working group's chat: a short Thai summary per site (score, change since the
last run, items newly failing) and a link to its report, sent through Apprise to any of the services
district offices use (LINE, Telegram, Google Chat, Microsoft Teams, e-mail, any JSON webhook).

Never a path on the server: the message names a site's report by the link the config gives
(`report_url`), or not at all.
"""
from __future__ import annotations

from typing import Any

from reports.writer import fmt_num

FAILING = ("fail", "unreachable")
MAX_ITEMS_NAMED = 8


def bad_notify_url(url: str) -> str | None:
    """Why Apprise cannot use this URL (None when it can): checked by `oit watch --check`, without sending."""
    import apprise

    if not isinstance(url, str) or not url.strip():
        return "ต้องเป็นข้อความ URL ของ Apprise เช่น tgram://… หรือ json://… (expected an Apprise URL)"
    if not apprise.Apprise().add(url.strip()):
        scheme = url.split("://", 1)[0] if "://" in url else url[:20]
        return (f"Apprise ไม่รู้จักหรือ URL ไม่ครบ: {scheme}://… ดูรูปแบบที่ https://github.com/caronc/apprise/wiki "
                f"(Apprise cannot use this URL)")
    return None


def site_message(entry: dict[str, Any], report_url: str | None) -> str:
    """A few Thai lines for one site of a watch round."""
    name = entry.get("name") or entry["url"]
    lines = [f"■ {name}"]
    if entry.get("error") or entry.get("run_id") is None:
        lines.append("เก็บข้อมูลไม่สำเร็จ: ดูบันทึกของเครื่องที่ตรวจ (journalctl -u oit-watch)")
    elif not entry.get("published"):
        reasons = "; ".join(entry.get("health_reasons") or []) or "ไม่ระบุ"
        lines.append(f"ไม่เผยแพร่คะแนน: การเก็บข้อมูลเว็บไซต์ไม่สมบูรณ์ ({reasons})")
    else:
        score = f"คะแนน OIT {fmt_num(entry.get('oit_score'))}"
        change = entry.get("oit_change")
        if change is not None:
            score += f" ({change:+.2f} จากรอบก่อน)" if change else " (เท่ารอบก่อน)"
        lines.append(score)
        newly = [i for i in entry.get("items_changed") or []
                 if (i.get("after") or {}).get("status") in FAILING
                 and (i.get("before") or {}).get("status") not in FAILING]
        if newly:
            named = ", ".join(f"{i['id']} {i.get('title_th') or ''}".strip() for i in newly[:MAX_ITEMS_NAMED])
            more = f" และอีก {len(newly) - MAX_ITEMS_NAMED} ข้อ" if len(newly) > MAX_ITEMS_NAMED else ""
            lines.append(f"ข้อที่ไม่ผ่านใหม่: {named}{more}")
        failing_docs = (entry.get("documents") or {}).get("failing")
        if failing_docs:
            lines.append(f"เอกสารที่เปิดไม่ได้แล้ว: {failing_docs} ไฟล์")
    if report_url:
        lines.append(f"รายงาน: {report_url}")
    return "\n".join(lines)


def round_message(entries: list[dict[str, Any]], report_urls: list[str | None], ok: bool) -> tuple[str, str]:
    """(title, body) of one watch round."""
    title = "ผลตรวจ OIT ประจำสัปดาห์" + ("" if ok else ": มีเว็บไซต์ที่ต้องดู")
    body = "\n\n".join(site_message(e, u) for e, u in zip(entries, report_urls))
    return title, body


def send(urls: list[str], title: str, body: str) -> list[str]:
    """Send through Apprise to every URL; the ones that failed (as their service name, never the token)."""
    import apprise

    failed = []
    for url in urls:
        sender = apprise.Apprise()
        sender.add(url)
        if not sender.notify(title=title, body=body):
            failed.append(url.split("://", 1)[0] + "://…")
    return failed
