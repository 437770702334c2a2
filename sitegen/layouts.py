"""Small hand-laid sites for the ways a crawl can go wrong (issue 13), served like the generated ones.

    with serve(layout("redirect_home")) as server: ... server.url + "/"

- inside_district: the start URL is a page deep inside /district/ (/district/coverpages); another
  district /other/ on the same host must stay out of scope.
- redirect_home: `/` answers 302 to `/Home`, whose pages live at /page/N (not under /Home/).
- endpoints: a `?lang=th` start page, 300 documents behind /download?id=N (Content-Disposition, no
  extension in the URL) listed 100 per page, 20 behind a drive-like second host
  (/uc?export=download&id=N), and an endless calendar (/calendar?month=…).
- hostile: an index whose "ข้อมูลประชากร" (O1) links lead to a zero-byte, a truncated and an
  encrypted PDF; a page with invalid UTF-8; a redirect loop; a page that answers 503 with
  Retry-After once; the ITA index page.
- login: the start page is a login form.
- cloudflare: every page answers as a Cloudflare challenge does (403, cf-ray, cf-mitigated, "Just a moment...").
- central_login: the start page redirects to a central sign-in page (/login?next=/).
- scripted: the ITA page's item links (O5, O6) are written by a script after load (browser mode); its
  script also reads the second host's /secret, and /moved redirects there; /gone is a 404.
"""
from __future__ import annotations

import html
import threading
from datetime import date, datetime

from sitegen.district import ROUTE_KINDS
from sitegen.model import CONTENT_TYPES, Manifest, Resource, Route, Site

MODIFIED = datetime(2024, 5, 1, 9, 0)
ITA_TITLE = "การเปิดเผยข้อมูลสาธารณะ (Open Data Integrity and Transparency Assessment: OIT)"


def page(title: str, links: list[tuple[str, str]], text: str = "") -> Resource:
    items = "".join(f'<li><a href="{html.escape(href)}">{html.escape(label)}</a></li>' for href, label in links)
    body = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p><ul>{items}</ul></body></html>")
    return Resource(body.encode("utf-8"), CONTENT_TYPES["html"], last_modified=MODIFIED)


def redirect(location: str, status: int = 302) -> Resource:
    return Resource(b"", CONTENT_TYPES["html"], headers={"Location": location}, status=status)


def pdf(text: str, *, password: str | None = None) -> bytes:
    from fpdf import FPDF
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.multi_cell(0, 8, text)
    if password:
        doc.set_encryption(owner_password=password + "-owner", user_password=password)
    doc.set_creation_date(MODIFIED)
    return bytes(doc.output())


def _manifest(name: str, prefix: str, start_path: str) -> Manifest:
    return Manifest(scenario=name, district=prefix.strip("/") or name, site_name="สำนักงานเขตทดสอบ",
                    fiscal_year=2567, as_of=date(2024, 6, 30).isoformat(), prefix=prefix, start_path=start_path)


def _sections(prefix: str, n: int) -> dict[str, Resource]:
    """n plain pages under prefix, each linking to the next and back to the ITA index."""
    out = {}
    for i in range(1, n + 1):
        links = [(f"{prefix}page/{i + 1}", f"หน้า {i + 1}")] if i < n else []
        out[f"{prefix}page/{i}"] = page(f"ข้อมูลหน่วยงาน {i}", links + [(f"{prefix}ita", "ITA")],
                                        "สำนักงานเขตทดสอบ ข้อมูลทั่วไป")
    out[f"{prefix}ita"] = page(f"ITA 2567 {ITA_TITLE}", [(f"{prefix}page/1", "ข้อมูลหน่วยงาน")])
    return out


def inside_district() -> Site:
    res = _sections("/district/", 8)
    res["/district/coverpages"] = page("สำนักงานเขตทดสอบ", [("/district/page/1", "ข้อมูลหน่วยงาน"),
                                                          ("/district/ita", "ITA"), ("/other/", "เขตอื่น")])
    res["/other/"] = page("สำนักงานเขตอื่น", [("/other/page/1", "ข้อมูลเขตอื่น")])
    res["/other/page/1"] = page("ข้อมูลเขตอื่น", [])
    return Site(res, _manifest("inside_district", "/district/", "/district/coverpages"))


def redirect_home() -> Site:
    res = _sections("/", 8)
    res["/"] = redirect("/Home")
    res["/Home"] = page("สำนักงานเขตทดสอบ", [("/page/1", "ข้อมูลหน่วยงาน"), ("/page/2", "ประวัติ"),
                                           ("/ita", "ITA"), ("/files/plan.pdf", "แผนปฏิบัติราชการ")])
    res["/files/plan.pdf"] = Resource(pdf("Action plan 2567"), CONTENT_TYPES["pdf"], last_modified=MODIFIED)
    return Site(res, _manifest("redirect_home", "/", "/"))


DOCUMENTS, DRIVE_DOCUMENTS, PER_PAGE = 300, 20, 100


def endpoints() -> Site:
    res = _sections("/", 6)
    lists = [(f"/list?p={n}", f"เอกสารเผยแพร่ ชุดที่ {n}") for n in range(1, DOCUMENTS // PER_PAGE + 1)]
    res["/index.php?lang=th"] = page("สำนักงานเขตทดสอบ", lists + [
        ("/page/1", "ข้อมูลหน่วยงาน"), ("/ita", "ITA"), ("/calendar?month=2567-06", "ปฏิทินกิจกรรม"),
        ("/drive", "เอกสารบนไดรฟ์")])
    for n in range(1, DOCUMENTS // PER_PAGE + 1):
        ids = range((n - 1) * PER_PAGE + 1, n * PER_PAGE + 1)
        res[f"/list?p={n}"] = page(f"เอกสารเผยแพร่ ชุดที่ {n}", [(f"/download?id={i}", f"รายงานฉบับที่ {i}")
                                                              for i in ids])
    for i in range(1, DOCUMENTS + 1):
        body = f"ลำดับ,รายการ\n{i},รายงานฉบับที่ {i}\n".encode("utf-8")
        res[f"/download?id={i}"] = Resource(body, "text/csv; charset=utf-8", last_modified=MODIFIED, headers={
            "Content-Disposition": f"attachment; filename=\"report-{i}.csv\""})
    res["/drive"] = page("เอกสารบนไดรฟ์", [(f"http://{{{{HOST2}}}}/uc?export=download&id=doc{i}", f"เอกสาร {i}")
                                          for i in range(1, DRIVE_DOCUMENTS + 1)])
    second = {f"/uc?export=download&id=doc{i}": Resource(
        pdf(f"Drive document {i}"), CONTENT_TYPES["pdf"], last_modified=MODIFIED,
        headers={"Content-Disposition": f"attachment; filename=\"drive-{i}.pdf\""})
        for i in range(1, DRIVE_DOCUMENTS + 1)}
    template = page("%%TITLE%%", [("/index.php?lang=th", "หน้าแรก")], "%%CONTENT%%").body.decode("utf-8")
    routes = {"/calendar": Route("calendar", {"default": "2567-06", "base": "/calendar", "events": {},
                                              "template": template, "last_modified": MODIFIED.isoformat()})}
    site = Site(res, _manifest("endpoints", "/", "/index.php?lang=th"), routes,
                second=Site(second, _manifest("endpoints-drive", "/", "/")))
    return site


# -- hostile resources ------------------------------------------------------------------------------

_answers: dict[str, int] = {}
_answers_lock = threading.Lock()


def _busy_once(params: dict, query) -> Resource:
    """503 with Retry-After the first time, the page after."""
    with _answers_lock:
        _answers[params["key"]] = _answers.get(params["key"], 0) + 1
        first = _answers[params["key"]] == 1
    if first:
        return Resource("<html><body>busy</body></html>".encode(), CONTENT_TYPES["html"], status=503,
                        headers={"Retry-After": str(params["retry_after"])})
    return page("ข่าวประชาสัมพันธ์", [], "ข่าวประชาสัมพันธ์ของสำนักงานเขต")


ROUTE_KINDS["busy_once"] = _busy_once


def hostile(retry_after: int = 2) -> Site:
    res = _sections("/", 6)
    good = pdf("Population data 2567")
    res["/"] = page("สำนักงานเขตทดสอบ", [
        ("/docs/empty.pdf", "ข้อมูลประชากร"), ("/docs/cut.pdf", "ข้อมูลประชากร (ฉบับย่อ)"),
        ("/docs/locked.pdf", "ข้อมูลประชากร (ฉบับเต็ม)"), ("/mojibake", "ประวัติเขต"),
        ("/loop/a", "เอกสารวนซ้ำ"), ("/busy", "ข่าวประชาสัมพันธ์"), ("/page/1", "ข้อมูลหน่วยงาน"),
        ("/ita", "ITA")])
    res["/docs/empty.pdf"] = Resource(b"", CONTENT_TYPES["pdf"], last_modified=MODIFIED)
    res["/docs/cut.pdf"] = Resource(good[: len(good) // 2], CONTENT_TYPES["pdf"], last_modified=MODIFIED)
    res["/docs/locked.pdf"] = Resource(pdf("Population data 2567", password="secret"), CONTENT_TYPES["pdf"],
                                       last_modified=MODIFIED)
    broken = ("<html><head><meta charset=\"utf-8\"><title>ประวัติเขต</title></head><body><p>".encode()
              + "ประวัติสำนักงานเขต".encode() + b"\xff\xfe\xe0\xb8" + "ก่อตั้งเมื่อ".encode()
              + b"\x80\x81\x82\x83\x84\x85" * 4 + b"</p></body></html>")
    res["/mojibake"] = Resource(broken, CONTENT_TYPES["html"], last_modified=MODIFIED)
    res["/loop/a"] = redirect("/loop/b")
    res["/loop/b"] = redirect("/loop/a")
    routes = {"/busy": Route("busy_once", {"key": f"busy-{id(res)}", "retry_after": retry_after})}
    return Site(res, _manifest("hostile", "/", "/"), routes)


def login_form(title: str) -> Resource:
    """A page that is only a sign-in form."""
    form = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head><body>"
            "<h1>เข้าสู่ระบบ</h1><form method=\"post\"><input name=\"user\"><input type=\"password\" name=\"pw\">"
            "<button>เข้าสู่ระบบ</button></form></body></html>")
    return Resource(form.encode("utf-8"), CONTENT_TYPES["html"], last_modified=MODIFIED)


def login() -> Site:
    res = _sections("/", 3)
    res["/"] = login_form("เข้าสู่ระบบ")
    return Site(res, _manifest("login", "/", "/"))


CHALLENGE = ("<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head><body>"
             "<div class=\"main-wrapper\"><h1>Checking your browser before accessing the site.</h1>"
             "<script src=\"/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1\"></script></div></body></html>")


def cloudflare() -> Site:
    res = _sections("/", 3)
    headers = {"Server": "cloudflare", "CF-RAY": "8f1d2c3b4a5e6f70-BKK", "cf-mitigated": "challenge"}
    wall = Resource(CHALLENGE.encode("utf-8"), CONTENT_TYPES["html"], headers=headers, status=403)
    return Site({path: wall for path in [*res, "/"]}, _manifest("cloudflare", "/", "/"))


def central_login() -> Site:
    res = _sections("/", 3)
    res["/login"] = login_form("BMA Single Sign-On")
    res["/"] = redirect("/login?next=/")
    return Site(res, _manifest("central_login", "/", "/"))


# The ITA page of `scripted`: its item list is written by a script once the page has loaded, as on
# sites built with Next.js or Google Sites; without JavaScript the page is a heading and a notice.
SCRIPTED_ITEMS = [("/files/action-plan-2567.docx", "O5 แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2567"),
                  ("/files/annual-report-2566.docx", "O5 รายงานผลการปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2566"),
                  ("/files/manual.docx", "O6 คู่มือการปฏิบัติงาน ฝ่ายทะเบียน")]
SCRIPTED_SECRET = "/secret"     # on the second host (127.0.0.2): the page's script tries to read it


def _scripted_index() -> Resource:
    items = ",".join(f"[{href!r}, {label!r}]" for href, label in SCRIPTED_ITEMS)
    script = ("window.addEventListener('load', function () {"
              f" var items = [{items}]; var list = document.createElement('ul');"
              " items.forEach(function (item) { var li = document.createElement('li');"
              " var a = document.createElement('a'); a.href = item[0]; a.textContent = item[1];"
              " li.appendChild(a); list.appendChild(li); });"
              " document.getElementById('app').appendChild(list);"
              " fetch('http://{{HOST2}}" + SCRIPTED_SECRET + "').catch(function () {}); });")
    body = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>ITA 2567 {html.escape(ITA_TITLE)}</title>"
            f"</head><body><h1>ITA 2567</h1><div id=\"app\"></div>"
            "<noscript>กรุณาเปิดใช้งาน JavaScript เพื่อดูหน้านี้</noscript>"
            f"<script>{script}</script></body></html>")
    return Resource(body.encode("utf-8"), CONTENT_TYPES["html"], last_modified=MODIFIED)


def _docx(title: str, text: str) -> Resource:
    from sitegen.documents import DocContent, Heading, render
    content = DocContent(title=title, blocks=[Heading(title, center=True), text], issued=date(2024, 1, 15),
                         author="สำนักงานเขตทดสอบ")
    return Resource(render(content, "docx").body, CONTENT_TYPES["docx"], last_modified=MODIFIED)


def scripted() -> Site:
    """A tiny district site whose ITA page writes its item links from JavaScript (see SCRIPTED_ITEMS)."""
    res = _sections("/", 5)
    res["/"] = page("สำนักงานเขตทดสอบ", [("/page/1", "ข้อมูลหน่วยงาน"), ("/page/2", "ประวัติ"), ("/ita", "ITA"),
                                           ("/gone", "ข่าวเก่า"), ("/moved", "บริการภายใน")])
    res["/ita"] = _scripted_index()
    res["/moved"] = redirect("http://{{HOST2}}" + SCRIPTED_SECRET)     # a redirect to the second host
    res["/files/action-plan-2567.docx"] = _docx(
        "แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2567 สำนักงานเขตทดสอบ",
        "สำนักงานเขตทดสอบจัดทำแผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2567 เพื่อเป็นกรอบการปฏิบัติงาน")
    res["/files/annual-report-2566.docx"] = _docx(
        "รายงานผลการปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2566 สำนักงานเขตทดสอบ",
        "สำนักงานเขตทดสอบรายงานผลการปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2566 ครบทุกโครงการ")
    res["/files/manual.docx"] = _docx(
        "คู่มือการปฏิบัติงาน ฝ่ายทะเบียน สำนักงานเขตทดสอบ",
        "ขั้นตอนการปฏิบัติงานทะเบียนราษฎร ตั้งแต่รับคำร้องจนถึงออกเอกสาร สำหรับเจ้าหน้าที่ฝ่ายทะเบียน")
    second = {SCRIPTED_SECRET: page("ข้อมูลภายใน", [], "internal service")}
    return Site(res, _manifest("scripted", "/", "/"), second=Site(second, _manifest("scripted-second", "/", "/")))


LAYOUTS = {"inside_district": inside_district, "scripted": scripted, "redirect_home": redirect_home, "endpoints": endpoints,
           "hostile": hostile, "login": login, "cloudflare": cloudflare, "central_login": central_login}


def layout(name: str, **kw) -> Site:
    return LAYOUTS[name](**kw)
