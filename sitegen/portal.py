"""The portal around the evidence: menu, home page, news, ITA index, traps, failures, filler.

Traps and failures every scenario has (none of them touches evidence):
- news list /<slug>/news?page=N: "next page" for any N; its sort link grows ?sort=date&sort=date…
- calendar /<slug>/calendar?month=YYYY-MM: previous/next month without end
- a windows-874 page without charset (O3, see oit_items.o3)
- a dead link (404), a page answering 500, robots.txt disallowing /<slug>/admin/ (linked)
- an external link to 127.0.0.3 where nothing listens (connection refused)
- an oversized PDF (pad_to bytes, streamed), /download?id=123 named only by Content-Disposition
- a page also linked under a mangled slug (same numeric id), absolute links to the site's own host
"""
from __future__ import annotations

import html
import multiprocessing
import os
import random
import threading
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from sitegen.district import (MenuEntry, SiteBuilder, news_date_text, png_image, route_template,
                                      slugify)
from sitegen.documents import DocContent, DocTable, Heading, Rendered, render
from sitegen.model import CONTENT_TYPES, Resource
from sitegen.oit_items import ITEM_NAMES, UNITS, Context, ItaLink
from sitegen.thaiforms import be_year, fiscal_months, month_name, thai_date

# -- planning ---------------------------------------------------------------------------------------

EVIDENCE_PAGES = [
    ("O2", "นโยบายผู้ว่าราชการกรุงเทพมหานคร"), ("O5", "แผนปฏิบัติราชการ"), ("O6", "คู่มือการปฏิบัติงาน"),
    ("O7", "คู่มือสำหรับประชาชน"), ("O8", "E-Service"), ("O9", "ข้อมูลสถิติการจัดเก็บภาษี"),
    ("O10", "ข้อมูลสถิติการจัดเก็บรายได้"), ("O11", "Checklist การพิจารณาออกใบอนุญาต"),
    ("O12", "ระบบติดตามสถานะการขอใบอนุญาต"), ("O13", "แผนการใช้จ่ายงบประมาณ"),
    ("O14", "ข้อมูลงบประมาณ"), ("O15.notices", "ประกาศจัดซื้อจัดจ้าง"),
    ("O15.monthly", "สรุปผลการจัดซื้อจัดจ้างรายเดือน"), ("O16", "หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล"),
    ("O17", "ช่องทางการร้องเรียนการทุจริต"), ("O18", "นโยบายต่อต้านการรับสินบน"),
    ("O19", "การประเมินความเสี่ยงต่อการรับสินบน"), ("O20", "แนวทางการใช้ดุลพินิจ"),
    ("O21", "การจัดการทรัพย์สินของราชการ"), ("O22", "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"),
]


def plan_paths(b: SiteBuilder) -> dict[str, str]:
    """Every page path the menu or other pages need before the pages themselves are written."""
    paths = {"home": b.prefix, "O3": f"{b.prefix}old/school.htm", "admin": f"{b.prefix}admin/login",
             "news_list": f"{b.prefix}news", "calendar": f"{b.prefix}calendar"}
    paths["basic"] = b.page_path("main", "ข้อมูลพื้นฐาน")
    for key, title in [("O1.structure", "โครงสร้างหน่วยงาน"), ("O1.executives", "ทำเนียบผู้บริหาร"),
                       ("O1.duties", "อำนาจหน้าที่"), ("O1.general", "ข้อมูลทั่วไป"), ("contact", "ติดต่อเรา"),
                       ("units", "หน่วยงานภายใน")]:
        paths[key] = b.page_path("sub", title)
    paths["news"] = b.page_path("main", "ข่าวประชาสัมพันธ์")
    paths["ita"] = b.page_path("sub", f"ITA-{b.fiscal_year}")
    for key, title in EVIDENCE_PAGES:
        paths[key] = b.page_path("sub", title)
    paths["misc"] = b.page_path("sub", "เอกสารเผยแพร่อื่น ๆ")
    paths["error"] = b.page_path("sub", "กระดานถาม-ตอบ")
    return paths


def make_menu(ctx: Context) -> list[MenuEntry]:
    p, fy = ctx.paths, ctx.fy
    anti_bribery = p["ita"] + "#O18" if ctx.defects.o18_absent else p["O18"]
    month = f"{be_year(ctx.b.as_of)}-{ctx.b.as_of.month:02d}"
    return [
        MenuEntry("หน้าหลัก", p["home"]),
        MenuEntry("ข้อมูลพื้นฐาน", p["basic"], [
            MenuEntry("โครงสร้างหน่วยงาน", p["O1.structure"]), MenuEntry("ทำเนียบผู้บริหาร", p["O1.executives"]),
            MenuEntry("อำนาจหน้าที่", p["O1.duties"]), MenuEntry("หน่วยงานภายใน", p["units"])]),
        MenuEntry("ข่าวประชาสัมพันธ์", p["news"]),
        MenuEntry("แผนปฏิบัติราชการ", p["O5"]),
        MenuEntry("คู่มือการปฏิบัติงาน", p["O6"]),
        MenuEntry("คู่มือสำหรับประชาชน", p["O7"]),
        MenuEntry("E-Service", p["O8"]),
        MenuEntry("ITA", p["ita"], [
            MenuEntry(f"การเปิดเผยข้อมูลสาธารณะ (OIT) ปี {fy}", p["ita"]),
            MenuEntry("นโยบายต่อต้านการรับสินบน (Anti-Bribery Policy)", anti_bribery),
            MenuEntry("มาตรการส่งเสริมคุณธรรมและความโปร่งใส", p["O22"])]),
        MenuEntry("ปฏิทินกิจกรรม", f"{p['calendar']}?month={month}"),
        MenuEntry("ติดต่อเรา", p["contact"]),
    ]


def footer_links(ctx: Context) -> list[tuple[str, str]]:
    return [(EXTERNAL_URL, "กรุงเทพมหานคร"), (ctx.paths["admin"], "ผู้ดูแลระบบ")]


EXTERNAL_URL = "http://{{EXTERNAL}}/"      # another host where nothing listens


# -- news -------------------------------------------------------------------------------------------

ACTIVITIES = [
    "ลงพื้นที่ตรวจความสะอาด", "จัดระเบียบผู้ค้าหาบเร่แผงลอย", "ฉีดพ่นหมอกควันกำจัดยุงลาย", "ขุดลอกท่อระบายน้ำ",
    "ประชุมคณะกรรมการชุมชน", "ตรวจสถานประกอบการด้านอาหาร", "ซ้อมแผนป้องกันและระงับอัคคีภัย",
    "จัดกิจกรรม Big Cleaning Day", "ปลูกต้นไม้เพิ่มพื้นที่สีเขียว", "ตรวจวัดฝุ่นละอองขนาดเล็ก PM2.5",
    "รณรงค์คัดแยกขยะต้นทาง", "มอบถุงยังชีพแก่ผู้ประสบอัคคีภัย", "ออกหน่วยบริการทำบัตรประจำตัวประชาชนเคลื่อนที่",
    "ประชาสัมพันธ์การชำระภาษีที่ดินและสิ่งปลูกสร้าง", "ตรวจความเรียบร้อยจุดผ่อนผันการค้า", "ตรวจซ่อมไฟฟ้าแสงสว่าง",
]
PLACES = ["ถนนเยาวราช", "ตลาดน้อย", "ชุมชนเจริญไชย", "คลองผดุงกรุงเกษม", "ถนนทรงวาด", "ย่านสำเพ็ง",
          "ชุมชนตรอกโรงโคม", "ถนนเจริญกรุง", "ถนนราชวงศ์", "ชุมชนสะพานหัน"]


def add_news(ctx: Context) -> None:
    """Dated posts from October of FY N-1 to two days before the as-of date, newest first."""
    b = ctx.b
    start = date(ctx.fy - 545, 10, 1)
    last = b.as_of - timedelta(days=2)
    span = (last - start).days
    count = max(span // 6, 12)
    days = sorted({start + timedelta(days=round(k * span / max(count - 1, 1))) for k in range(count)}, reverse=True)
    fy_start = fiscal_months(ctx.fy)[0]
    posts: list[tuple[str, str, date, str]] = []
    for n, d in enumerate(days):
        activity, place = ACTIVITIES[(n * 7 + d.day) % len(ACTIVITIES)], PLACES[(n * 3 + d.month) % len(PLACES)]
        category = "ข่าวกิจกรรม" if n % 3 else "ข่าวประชาสัมพันธ์"
        title = f"{ctx.site_name}{activity} {place}"
        if n == 0:
            # A hostile title, as a careless editor or an attacker may leave one: reports must show it as text.
            title += " <script>alert(1)</script>"
        path = f"{b.prefix}news/detail/{40_000 + len(days) - n}/{slugify(title)}"
        when = news_date_text(d, n)
        body = (f"<p class=\"news-date\">วันที่ {when}</p><p class=\"category\">หมวดหมู่: {category}</p>"
                f"<p>เมื่อวันที่ {thai_date(d, 'full')} {ctx.site_name} โดยฝ่ายที่เกี่ยวข้อง{activity} บริเวณ{place} "
                "เพื่อดูแลความเป็นระเบียบเรียบร้อยและคุณภาพชีวิตของประชาชนในพื้นที่ "
                "ทั้งนี้ ประชาชนสามารถแจ้งปัญหาได้ที่สายด่วน 1555</p>")
        in_fy = d >= date(*fy_start, 1)
        b.add_page(path, title, body, kind="news", items=("O4",) if in_fy else (),
                   breadcrumb=[(ctx.paths["news"], "ข่าวประชาสัมพันธ์")], updated=d)
        posts.append((path, title, d, when))
    ctx.news = posts

    # Month archives: every post reachable without a query string.
    by_month: dict[tuple[int, int], list] = {}
    for post in posts:
        by_month.setdefault((post[2].year, post[2].month), []).append(post)
    archive_links = []
    for (y, m), month_posts in by_month.items():
        label = f"ข่าวประชาสัมพันธ์ เดือน{month_name(m)} {y + 543}"
        path = b.page_path("sub", label)
        items = "".join(f"<li>{b.link(p, t)} ({w})</li>" for p, t, _d, w in month_posts)
        b.add_page(path, label, f"<ul>{items}</ul>", kind="news_archive",
                   breadcrumb=[(ctx.paths["news"], "ข่าวประชาสัมพันธ์")])
        archive_links.append(b.link(path, label))
    latest = "".join(f"<tr><td>{w}</td><td>{b.link(p, t)}</td></tr>" for p, t, _d, w in posts[:20])
    b.add_page(ctx.paths["news"], "ข่าวประชาสัมพันธ์",
               f"<table class=\"table\"><tr><th>วันที่</th><th>หัวข้อข่าว</th></tr>{latest}</table>"
               f"<p>{b.link(ctx.paths['news_list'] + '?page=1', 'ข่าวทั้งหมด')}</p>"
               f"<h2>ข่าวย้อนหลัง</h2><ul>{''.join(f'<li>{a}</li>' for a in archive_links)}</ul>",
               kind="section", items=("O4",))

    # The paginated list and the calendar: pages made per request, endless.
    stamp = b.as_of.isoformat() + "T09:00:00+07:00"
    crumb = [(ctx.paths["news"], "ข่าวประชาสัมพันธ์")]
    b.add_route(ctx.paths["news_list"], "news_list", {
        "template": route_template(b, crumb), "base": ctx.paths["news_list"], "per_page": 10,
        "posts": [[b.href(p, form="percent"), t, w] for p, t, _d, w in posts], "last_modified": stamp})
    b.special("trap_pagination", ctx.paths["news_list"] + "?page=1",
              f"{-(-len(posts) // 10)} pages of real posts, then empty pages with a next link forever")
    b.special("trap_query", ctx.paths["news_list"] + "?page=1&sort=date", "each sort link appends another sort=date")
    events: dict[str, list] = {}
    for p, t, d, w in posts:
        events.setdefault(f"{d.year + 543}-{d.month:02d}", []).append([b.href(p, form="percent"), t, w])
    b.add_route(ctx.paths["calendar"], "calendar", {
        "template": route_template(b, []), "base": ctx.paths["calendar"], "events": events,
        "default": f"{be_year(b.as_of)}-{b.as_of.month:02d}", "last_modified": stamp})
    b.special("trap_calendar", ctx.paths["calendar"] + f"?month={be_year(b.as_of)}-{b.as_of.month:02d}",
              "previous/next month links for any month")


# -- ITA index, home, misc -------------------------------------------------------------------------

SUB_INDICATORS = [
    ("ตัวชี้วัดย่อยที่ 9.1 ข้อมูลพื้นฐาน", 1, 4), ("ตัวชี้วัดย่อยที่ 9.2 การบริหารงาน", 5, 12),
    ("ตัวชี้วัดย่อยที่ 9.3 การบริหารเงินงบประมาณ", 13, 15),
    ("ตัวชี้วัดย่อยที่ 9.4 การบริหารและพัฒนาทรัพยากรบุคคล", 16, 16),
    ("ตัวชี้วัดย่อยที่ 9.5 การส่งเสริมความโปร่งใส", 17, 17),
    ("ตัวชี้วัดย่อยที่ 10.1 การดำเนินการเพื่อป้องกันการทุจริต", 18, 21),
    ("ตัวชี้วัดย่อยที่ 10.2 มาตรการภายในเพื่อป้องกันการทุจริต", 22, 22),
]


def add_ita_index(ctx: Context) -> None:
    """O1–O22, each with its Thai name and the links the district gives the assessor."""
    b = ctx.b
    rows = []
    for heading, first, last in SUB_INDICATORS:
        rows.append(f"<tr class=\"group\"><th colspan=\"3\">{heading}</th></tr>")
        for n in range(first, last + 1):
            item = f"O{n}"
            links = list(ctx.ita.get(item, []))
            linked = {l.path for l in links}
            # Every evidence page of the item is reachable from its row.
            links += [ItaLink(path, "รายละเอียดเพิ่มเติม") for key, path in ctx.paths.items()
                      if key.split(".")[0] == item and b.has_page(path) and path not in linked]
            cells = "".join(
                f"<li>{html.escape(l.description) + ' ' if l.description else ''}{b.link(l.path, l.label, host=l.host)}</li>"
                for l in links)
            rows.append(f"<tr id=\"{item}\"><td>{item}</td><td>{ITEM_NAMES[item]}</td>"
                        f"<td>{f'<ul>{cells}</ul>' if cells else '-'}</td></tr>")
    title = f"การเปิดเผยข้อมูลสาธารณะ (Open Data Integrity and Transparency Assessment: OIT) ปี {ctx.fy}"
    b.add_page(ctx.paths["ita"], "ITA " + str(ctx.fy),
               f"<p>{html.escape(title)}</p><table class=\"table table-bordered ita\">"
               "<tr><th>ข้อ</th><th>รายการ</th><th>ลิงก์ข้อมูล</th></tr>" + "".join(rows) + "</table>",
               kind="ita_index", h1=f"ITA {ctx.fy} การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ")


def add_home(ctx: Context) -> None:
    b = ctx.b
    latest = "".join(f"<li>{b.link(p, title)} <span class=\"date\">{thai_date(d, 'abbr', thai=True)}</span></li>"
                     for p, title, d, _printed in ctx.news[:8])
    services = " ".join(b.link(path, label, host="second") for path, label in
                        [("/bmaoss/", "BMA OSS"), ("/traffy/", "Traffy Fondue")])
    b.add_page(ctx.paths["home"], "หน้าหลัก",
               f"<p>ยินดีต้อนรับสู่เว็บไซต์{b.district.site_name}</p>"
               f"<h2>ข่าวล่าสุด</h2><ul class=\"news\">{latest}</ul>"
               f"<p>{b.link(ctx.paths['news_list'] + '?page=1', 'ดูข่าวทั้งหมด')}</p>"
               f"<h2>บริการประชาชน</h2><p>{services}</p>"
               f"<h2>ITA {ctx.fy}</h2><p>{b.link(ctx.paths['ita'], 'การประเมินคุณธรรมและความโปร่งใส (ITA)')}</p>"
               f"<p>{b.link(ctx.paths['misc'], 'เอกสารเผยแพร่อื่น ๆ')}</p>",
               kind="home", h1=b.district.site_name)
    b.add_page(ctx.paths["basic"], "ข้อมูลพื้นฐาน",
               "<ul>" + "".join(f"<li>{b.link(ctx.paths[k], t)}</li>" for k, t in [
                   ("O1.structure", "โครงสร้างหน่วยงาน"), ("O1.executives", "ทำเนียบผู้บริหาร"),
                   ("O1.duties", "อำนาจหน้าที่"), ("O1.general", "ข้อมูลทั่วไป"), ("O3", "โรงเรียนในพื้นที่"),
                   ("units", "หน่วยงานภายใน"), ("contact", "ติดต่อเรา")]) + "</ul>", kind="section")
    b.add_resource(f"{b.prefix}public/images/logo.png", Resource(png_image(120, 120, "กทม."), "image/png"))


def add_misc(ctx: Context, *, oversized_bytes: int, extra_files: dict[str, Path] | None) -> None:
    """A page of odds and ends carrying the failures the crawl must record."""
    b, d = ctx.b, ctx.b.district
    rows = []
    dead = b.file_path("ประกาศรับสมัครงาน-2562.pdf", "2562")
    rows.append(f"<li>ประกาศรับสมัครบุคคลเพื่อเลือกสรรเป็นพนักงานจ้าง (ปี 2562) {b.link(dead, 'ดาวน์โหลด')}</li>")
    b.special("http_404", dead, "dead link to a removed file")
    b.add_page(ctx.paths["error"], "กระดานถาม-ตอบ", "<p>Internal Server Error</p>", status=500)
    rows.append(f"<li>{b.link(ctx.paths['error'], 'กระดานถาม-ตอบ')}</li>")
    b.special("http_500", ctx.paths["error"], "the page answers 500")
    if oversized_bytes:
        content = DocContent("ภาพกิจกรรมความละเอียดสูง", [Heading("ภาพกิจกรรมความละเอียดสูง", center=True),
                                                        "อัลบั้มภาพกิจกรรมของสำนักงานเขต"], b.as_of - timedelta(days=20))
        big = b.add_document(b.file_path("ภาพกิจกรรม-ความละเอียดสูง.pdf", "photos"), content, "pdf", "text",
                             pad_to=oversized_bytes, defects=("oversized",))
        rows.append(f"<li>อัลบั้มภาพกิจกรรม (ไฟล์ขนาดใหญ่) {b.link(big, '[PDF]')}</li>")
        b.special("too_large", big, f"{oversized_bytes} bytes, streamed")
    external = EXTERNAL_URL
    rows.append(f"<li>{b.link(external, 'เว็บไซต์กรุงเทพมหานคร www.bangkok.go.th', host='external')}</li>")
    b.special("connection", external, "another host where nothing listens")
    self_url = "http://{{HOST1}}" + quote(ctx.paths["O2"])
    rows.append(f"<li><a href=\"{html.escape(self_url)}\">นโยบายผู้ว่าราชการกรุงเทพมหานคร (ลิงก์เต็ม)</a></li>")
    mangled = ctx.paths["O5"].rsplit("/", 1)[0] + "/แผนปฏิบัติ"
    rows.append(f"<li>{b.link(mangled, 'แผนปฏิบัติราชการ (ลิงก์เดิม)')}</li>")
    b.manifest.pages[ctx.paths["O5"]].aliases.append(mangled)
    b.special("slug_alias", mangled, f"same numeric id as {ctx.paths['O5']}")
    for name, source in sorted((extra_files or {}).items()):
        source = Path(source)
        if not source.is_file():
            continue
        fmt = source.suffix.lower().lstrip(".")
        path = b.add_document(b.file_path(name, "docs"), None, fmt, body=source.read_bytes(),
                              content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"), filename=name)
        rows.append(f"<li>{html.escape(Path(name).stem)} {b.link(path, 'ดาวน์โหลด')}</li>")
    rows.append(f"<li>{b.link(ctx.paths['admin'], 'เข้าสู่ระบบผู้ดูแลเว็บไซต์')}</li>")
    b.add_page(ctx.paths["misc"], "เอกสารเผยแพร่อื่น ๆ", "<ul>" + "".join(rows) + "</ul>", kind="info")

    b.add_page(ctx.paths["admin"], "เข้าสู่ระบบผู้ดูแลเว็บไซต์",
               "<form method=\"post\"><label>ชื่อผู้ใช้ <input name=\"u\"></label><label>รหัสผ่าน "
               "<input type=\"password\" name=\"p\"></label></form><p>คู่มือการปฏิบัติงานสำหรับผู้ดูแลระบบ</p>",
               kind="admin")
    b.special("robots", ctx.paths["admin"], f"robots.txt disallows {b.prefix}admin/")
    b.add_resource("/robots.txt", Resource(f"User-agent: *\nDisallow: {b.prefix}admin/\n".encode(), "text/plain"))
    b.add_resource("/robots.txt", Resource(b"User-agent: *\nAllow: /\n", "text/plain"), host="second")
    b.add_resource(b.prefix.rstrip("/"), Resource(b"", None, {"Location": b.prefix}, status=301))
    b.add_resource("/", Resource(b"", None, {"Location": b.prefix}, status=302))
    b.special("redirect", b.prefix.rstrip("/"), f"301 to {b.prefix}")
    units = "".join(f"<li>{u}</li>" for u in UNITS)
    if not b.has_page(ctx.paths["units"]):
        b.add_page(ctx.paths["units"], "หน่วยงานภายใน", f"<ul>{units}</ul><p>โทรศัพท์ {d.phone}</p>", kind="section")


# -- filler for the benchmark ------------------------------------------------------------------------

SENTENCES = [
    "สำนักงานเขตได้ดำเนินการตามภารกิจ อย่างต่อเนื่อง", "โดยมีผู้เข้าร่วมกิจกรรม จากชุมชนต่าง ๆ ในพื้นที่",
    "เพื่อส่งเสริมคุณภาพชีวิต ของประชาชน", "ทั้งนี้ ได้ประสานความร่วมมือ กับหน่วยงานที่เกี่ยวข้อง",
    "ผลการดำเนินงาน เป็นไปตามเป้าหมายที่กำหนด", "คณะกรรมการได้พิจารณา และมีมติเห็นชอบ",
    "ให้ฝ่ายที่เกี่ยวข้อง ดำเนินการต่อไป", "ประชาชนสามารถ สอบถามรายละเอียดเพิ่มเติมได้ ในวันและเวลาราชการ",
    "การดำเนินการดังกล่าว ช่วยลดปัญหาขยะ และน้ำท่วมขัง", "ที่ประชุมรับทราบ และไม่มีข้อเสนอแนะเพิ่มเติม",
    "เจ้าหน้าที่ได้ลงพื้นที่ สำรวจข้อมูล และรับฟังความคิดเห็น", "สรุปได้ว่า ควรขยายผลไปยังชุมชนอื่น",
    "ทั้งนี้ ให้เป็นไปตามระเบียบกรุงเทพมหานคร ที่เกี่ยวข้อง", "ประธานกล่าวปิดการประชุม เวลา 12.00 น.",
]
FILLER_SUBJECTS = ["โครงการ Big Cleaning Day", "การป้องกันอัคคีภัยในชุมชน", "การจัดงานเทศกาลตรุษจีนเยาวราช",
                   "การดูแลผู้สูงอายุในชุมชน", "การปลูกต้นไม้ริมคลอง", "การป้องกันโรคไข้เลือดออก",
                   "การจัดระเบียบทางเท้า", "การรณรงค์คัดแยกขยะ", "การลอกท่อระบายน้ำ", "การอบรมอาสาสมัครชุมชน"]
FILLER_KINDS = ["บันทึกการประชุมคณะทำงาน{s} ครั้งที่ {n}/{be}", "ประกาศสำนักงานเขต เรื่อง {s} (ฉบับที่ {n})",
                "คำสั่งสำนักงานเขต ที่ {n}/{be} เรื่อง แต่งตั้งคณะทำงาน{s}", "สรุปผลการดำเนินงาน{s} ครั้งที่ {n}"]


def _filler_paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(4, 7)))


def _render_job(job: tuple[str, DocContent, str, str], seed: int) -> Rendered:
    _path, content, fmt, variant = job
    return render(content, fmt, variant, seed=seed)


def render_all(jobs: list[tuple[str, DocContent, str, str]], seed: int) -> list[Rendered]:
    """Render documents on every core (rendering is pure: same bytes in any process)."""
    if len(jobs) < 40 or (os.cpu_count() or 1) < 2:
        return [_render_job(job, seed) for job in jobs]
    # fork is fast but unsafe in a process with other threads running (e.g. a test's servers).
    can_fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    context = multiprocessing.get_context("fork" if can_fork else "spawn")
    with ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=context) as pool:
        return list(pool.map(partial(_render_job, seed=seed), jobs, chunksize=4))


def add_filler(ctx: Context, *, pages: int, pdfs: int, xlsx: int, docx: int) -> None:
    """Bulk pages and documents (for the benchmark) that neither add nor spoil any evidence."""
    b = ctx.b
    rng = random.Random(f"filler:{b.seed}")
    be = ctx.fy
    counts = {fmt: sum(1 for doc in b.manifest.documents.values() if doc.format == fmt) for fmt in ("pdf", "xlsx", "docx")}
    jobs: list[tuple[str, DocContent, str, str]] = []        # (path, content, format, variant)
    serial = 0
    for fmt, wanted in (("pdf", pdfs), ("xlsx", xlsx), ("docx", docx)):
        for _ in range(max(0, wanted - counts[fmt])):
            serial += 1
            subject = FILLER_SUBJECTS[serial % len(FILLER_SUBJECTS)]
            title = FILLER_KINDS[serial % len(FILLER_KINDS)].format(s=subject, n=serial % 40 + 1, be=be)
            issued = ctx.day(rng.choice([10, 11, 12, 1, 2, 3, 4, 5]), rng.randint(1, 28))
            variant = ""
            if fmt == "pdf":
                # Mostly LibreOffice-like text PDFs; some Word exports, scans and shaped text layers.
                variant = ("scan" if serial % 20 == 0 else "shaped" if serial % 40 == 7
                           else "split_sara_am" if serial % 5 == 2 else "text")
                n_pages = rng.randint(5, 20) if variant != "scan" else 5
                blocks = [Heading(title, center=True)] + [_filler_paragraph(rng) for _ in range(n_pages * 8)]
            elif fmt == "xlsx":
                blocks = [Heading(title), DocTable(["ลำดับ", "รายการ", "ชุมชน", "จำนวน", "หมายเหตุ"],
                                                   [[str(k), subject, rng.choice(["ชุมชนเจริญไชย", "ชุมชนตรอกโรงโคม"]),
                                                     str(rng.randint(1, 500)), "-"] for k in range(1, rng.randint(30, 120))],
                                                   title="ข้อมูล")]
            else:
                blocks = [Heading(title, center=True)] + [_filler_paragraph(rng) for _ in range(rng.randint(10, 40))]
            content = DocContent(title, blocks, issued, author=b.district.site_name)
            folder = f"docs/{issued.year + 543}/{issued.month:02d}"
            name = b.opaque_name(fmt) if serial % 3 == 0 else f"{slugify(title)}-{serial}.{fmt}"
            jobs.append((b.file_path(name, folder), content, fmt, variant))
    docs: list[tuple[str, str]] = []        # (path, title)
    for (path, content, fmt, variant), rendered in zip(jobs, render_all(jobs, b.seed)):
        docs.append((b.add_document(path, content, fmt, variant, body=rendered.body, pages=rendered.pages,
                                    fiscal_year=ctx.fy), content.title))

    existing = b.page_count + 1        # + the units page written below
    categories = [f"{unit} - {theme}" for unit in UNITS for theme in ("ข่าวสารและกิจกรรม", "เอกสารเผยแพร่")]
    n_sub = max(0, pages - existing - len(categories))
    sub_per_cat = [n_sub // len(categories) + (1 if k < n_sub % len(categories) else 0) for k in range(len(categories))]
    total, page_no, cat_links = len(docs), 0, []
    for cat, n_pages in zip(categories, sub_per_cat):
        cat_path = b.page_path("main", cat)
        links = []
        for k in range(1, n_pages + 1):
            title = f"{cat} เรื่องที่ {k}"
            share = total // n_sub + (1 if page_no < total % n_sub else 0)
            attached, docs = docs[:share], docs[share:]
            page_no += 1
            table = "".join(f"<tr><td>{html.escape(t)}</td><td>{b.link(p, 'ดาวน์โหลด')}</td></tr>" for p, t in attached)
            body = "".join(f"<p>{_filler_paragraph(rng)}</p>" for _ in range(rng.randint(2, 4)))
            path = b.page_path("sub", title)
            b.add_page(path, title, body + (f"<table class=\"table\">{table}</table>" if table else ""),
                       kind="filler", breadcrumb=[(cat_path, cat)])
            links.append(b.link(path, title))
        b.add_page(cat_path, cat, "<ul>" + "".join(f"<li>{a}</li>" for a in links) + "</ul>", kind="section",
                   breadcrumb=[(ctx.paths["units"], "หน่วยงานภายใน")])
        cat_links.append(b.link(cat_path, cat))
    for p, t in docs:          # documents left over when there are fewer pages than documents
        cat_links.append(f"{html.escape(t)} {b.link(p, 'ดาวน์โหลด')}")
    b.add_page(ctx.paths["units"], "หน่วยงานภายใน", "<ul>" + "".join(f"<li>{a}</li>" for a in cat_links) + "</ul>",
               kind="section")
