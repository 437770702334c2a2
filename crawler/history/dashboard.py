"""The fleet's dashboard data: one row per site, one column per item, from each site's report.json.

    data = build_dashboard(fleet_config, round_state)     # then reports/dashboard.py writes html + xlsx

Pure over what the round wrote: the state file's summary entries (score, change since the previous run,
health, error) and each site's own report.json (the item verdicts). A report.json left from an earlier
round is never shown as this round's: it must be of the run the entry names.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from crawler.audit.status import ItemStatus

PENDING = "pending"         # a site of this round not crawled yet (a stopped round): no verdicts
MOST_FAILING_SHOWN = 10


def _item_key(item_id: str) -> tuple:
    digits = "".join(c for c in item_id if c.isdigit())
    return (int(digits) if digits else 10_000, item_id)


def _report(entry: dict | None) -> dict | None:
    if not entry or entry.get("run_id") is None or not entry.get("out"):
        return None
    try:
        report = json.loads((Path(entry["out"]) / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if report.get("crawl", {}).get("run_id") == entry["run_id"] else None


def build_dashboard(config, round_: dict) -> dict:
    """`config`: a FleetConfig (its sites, its dashboard folder); `round_`: the state file's round."""
    titles: dict[str, str] = {}
    rows = []
    for site in config.sites:
        entry = round_["sites"].get(site.url)
        report = _report(entry)
        statuses: dict[str, str] = {}
        if report is not None:
            for item in report["items"]:
                titles.setdefault(item["id"], item.get("title_th") or item["id"])
                statuses[item["id"]] = item["status"]
        link = None
        if report is not None and (Path(entry["out"]) / "report.html").is_file():
            link = Path(os.path.relpath(Path(entry["out"]) / "report.html", config.dashboard)).as_posix()
        ita = (report or {}).get("ita") or {}
        rows.append({
            "name": (entry or {}).get("name") or site.name or (report or {}).get("site", {}).get("name") or site.url,
            "url": site.url, "fiscal_year": site.fiscal_year,
            "state": PENDING if entry is None else ("error" if entry.get("error") else "done"),
            "report": link, "statuses": statuses,
            "oit_score": (entry or {}).get("oit_score"), "previous_oit_score": (entry or {}).get("previous_oit_score"),
            "oit_change": (entry or {}).get("oit_change"),
            "level_th": ita.get("level_th"), "level_en": ita.get("level_en"),
            "published": bool((entry or {}).get("published")), "healthy": bool((entry or {}).get("healthy")),
            "health_reasons": (entry or {}).get("health_reasons") or [], "error": (entry or {}).get("error"),
            "run_id": (entry or {}).get("run_id"), "finished_at": (entry or {}).get("finished_at"),
        })
    items = [{"id": i, "title_th": titles[i]} for i in sorted(titles, key=_item_key)]
    for row in rows:       # a site crawled but not read (no report): every item unreachable
        if row["state"] != PENDING and not row["statuses"]:
            row["statuses"] = {i["id"]: ItemStatus.UNREACHABLE.value for i in items}
    judged = [r for r in rows if r["published"]]
    failing = Counter(i for r in judged for i, s in r["statuses"].items() if s == ItemStatus.FAIL)
    partial = Counter(i for r in judged for i, s in r["statuses"].items() if s == ItemStatus.PARTIAL)
    most_failing = [{"id": i, "title_th": titles[i], "fail": failing[i], "partial": partial[i],
                     "sites": [r["name"] for r in judged if r["statuses"].get(i) == ItemStatus.FAIL]}
                    for i in sorted(set(failing) | set(partial), key=lambda i: (-failing[i], -partial[i], _item_key(i)))]
    unhealthy = [r for r in rows if r["state"] != PENDING and (r["error"] or not r["healthy"])]
    return {"config": str(config.watch.path), "started_at": round_.get("started_at"),
            "finished_at": round_.get("finished_at"), "items": items, "sites": rows,
            "most_failing": most_failing[:MOST_FAILING_SHOWN], "unhealthy": unhealthy,
            "counts": {"sites": len(rows), "done": sum(r["state"] != PENDING for r in rows),
                       "published": len(judged), "unhealthy": len(unhealthy)}}
