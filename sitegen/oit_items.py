"""What a district site publishes for each OIT item O1–O22: pages, documents, ITA index links.

One function per item. Each adds its pages and documents to the builder and returns the links the
ITA index page lists beside the item. `Defects` removes or spoils exactly one thing each; with no
defects every element of every item is satisfied per the rubric
(docs/rubric.md).

Labels follow real sites: descriptive titles in table rows, and link texts that are often only
"[PDF]", "[WORD]", "ดาวน์โหลด" or "คลิกที่นี่", so evidence must come from the row around the link
or from the document's own text.
"""
from __future__ import annotations

import html
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sitegen.district import SiteBuilder
from sitegen.documents import (DocContent, DocTable, Heading, procurement_rows,
                                       procurement_summary)
from sitegen.model import Resource
from sitegen.thaiforms import (baht, clamp, fiscal_months, month_abbr, month_name,
                                       month_year, required_months, thai_date, thai_digits)
from sitegen.wording import wording


@dataclass
class Defects:
    """Each flag spoils one element of one item (see scenarios.EXPECTED)."""
    o5_no_report: bool = False        # O5: no annual performance report of FY N-1
    o5_stale_plan: bool = False       # O5: action plan of FY N-1 only
    o6_menu_only: bool = False        # O6: "คู่มือการปฏิบัติงาน" only in the menu; its page is empty
    o8_dead: bool = False             # O8: every e-service link answers 404
    o9_pdf_only: bool = False         # O9: tax statistics of FY N as PDF only
    o15_blank: bool = False           # O15: one monthly summary has blank cells in a data row
    o15_missing_month: bool = False   # O15: one required month has no summary
    o18_absent: bool = False          # O18: nothing at all (only the menu / ITA index label)
    o18_no_english: bool = False      # O18: no English Anti-Bribery Policy
    o19_not_addressed: bool = False   # O19: risk report not addressed to the district director
    o22_not_addressed: bool = False   # O22: measures report not addressed to the district director
    # Scans (images only, no text layer): the audit needs OCR to read them.
    o18_scanned: bool = False         # O18: policy (TH and EN) and report published only as scans
    o19_scanned: bool = False         # O19: the risk report to the director only as a scanned memo
    o22_thai_digit_scan: bool = False  # O22: report a scan whose year and dates are in Thai digits,
                                       # linked with no year (OCR cannot read ๔ ๖ ๗ ๘ ๙: review)


@dataclass
class ItaLink:
    path: str
    label: str
    host: str = "main"
    description: str = ""      # plain text before the link in the same list item


@dataclass
class Row:
    """A row of a documents table on an evidence page."""
    title: str
    when: date | None
    links: list[str]


@dataclass
class Context:
    b: SiteBuilder
    defects: Defects
    paths: dict[str, str]                 # planned page paths by key ("home", "O5", ...)
    ita: dict[str, list[ItaLink]] = field(default_factory=dict)
    news: list[tuple[str, str, date, str]] = field(default_factory=list)   # (path, title, day, as printed)

    @property
    def news_paths(self) -> list[str]:
        return [path for path, *_ in self.news]

    @property
    def fy(self) -> int:
        return self.b.fiscal_year

    @property
    def name(self) -> str:
        return self.b.district.name

    @property
    def site_name(self) -> str:
        return self.b.district.site_name

    @property
    def director_title(self) -> str:
        return f"ผู้อำนวยการเขต{self.name}"

    def day(self, month: int, day: int, fiscal_year: int | None = None) -> date:
        """A day of fiscal year N (or the one given), never after the as-of date."""
        fy = fiscal_year or self.fy
        ce = fy - 543 - (1 if month >= 10 else 0)
        return clamp(date(ce, month, day), self.b.as_of) if fy == self.fy else date(ce, month, day)

    def folder(self, item: int, fiscal_year: int | None = None) -> str:
        return f"ITA/{fiscal_year or self.fy}/O{item:02d}"

    def doc(self, name: str, content: DocContent | None, fmt: str, variant: str = "", *, item: str,
            element: str, fiscal_year: int | None, folder: str = "", legacy: bool = False,
            opaque: bool = False, **kw) -> str:
        file_name = self.b.opaque_name(fmt) if opaque else f"{name}.{fmt}"
        path = self.b.file_path(file_name, folder, legacy=legacy)
        return self.b.add_document(path, content, fmt, variant, item=item, element=element,
                                   fiscal_year=fiscal_year, **kw)

    def a(self, path: str, label: str, host: str = "main") -> str:
        return self.b.link(path, label, host=host)

    def wording(self, item: str, element: str) -> str:
        """This site's wording of an element, one of several real ones (sitegen/wording.py)."""
        return wording(f"{self.b.district.slug}:{self.b.seed}", item, element)


# -- shared document shapes -------------------------------------------------------------------------

def fy_text(fy: int) -> str:
    return f"ประจำปีงบประมาณ พ.ศ. {fy}"


def signature(name: str, position: str) -> list[str]:
    return ["(ลงชื่อ) ...................................", f"({name})", position]


def announcement(ctx: Context, subject: str, body: list, issued: date) -> DocContent:
    """ประกาศสำนักงานเขต…: signed by the district director."""
    return DocContent(
        title=f"ประกาศ{ctx.site_name} เรื่อง {subject}",
        blocks=[Heading(f"ประกาศ{ctx.site_name}", center=True), Heading(f"เรื่อง {subject}", center=True),
                *body, f"ประกาศ ณ วันที่ {thai_date(issued, 'full_be', thai=True)}",
                *signature(ctx.b.district.director, ctx.director_title)],
        issued=issued, author=ctx.site_name,
    )


def thai_numerals(content: DocContent) -> DocContent:
    """The same document written with Thai digits only (years, dates, numbers, phone)."""
    def convert(block):
        if isinstance(block, Heading):
            return Heading(thai_digits(block.text), block.center)
        if isinstance(block, DocTable):
            return DocTable([thai_digits(c) for c in block.header], [[thai_digits(c) for c in row] for row in block.rows],
                            block.title, block.widths)
        return thai_digits(block)
    return replace(content, title=thai_digits(content.title), blocks=[convert(b) for b in content.blocks])


def memo(ctx: Context, subject: str, body: list, issued: date, *, unit: str = "ฝ่ายปกครอง",
         number: int = 100) -> DocContent:
    """บันทึกข้อความ addressed to the district director (เรียน ผู้อำนวยการเขต…)."""
    return DocContent(
        title=subject,
        blocks=[Heading("บันทึกข้อความ", center=True),
                f"ส่วนราชการ {unit} {ctx.site_name} โทร. {ctx.b.district.phone}",
                f"ที่ กท 6501/{number}   วันที่ {thai_date(issued, 'full')}",
                f"เรื่อง {subject}", f"เรียน {ctx.director_title}", *body,
                "จึงเรียนมาเพื่อโปรดทราบ",
                *signature("นายสุรชัย มั่นคงดี", f"หัวหน้า{unit}")],
        issued=issued, author=ctx.site_name,
    )


def unaddressed_report(ctx: Context, subject: str, body: list, issued: date, *,
                       unit: str = "ฝ่ายปกครอง") -> DocContent:
    """The same report as a bare form: no addressee, signed by the unit head only."""
    return DocContent(
        title=subject,
        blocks=[Heading(subject, center=True), Heading(f"{unit} {ctx.site_name}", center=True), *body,
                f"วันที่รายงาน {thai_date(issued, 'full')}",
                *signature("นายสุรชัย มั่นคงดี", f"หัวหน้า{unit} (ผู้รายงาน)")],
        issued=issued, author=ctx.site_name,
    )


def docs_table(ctx: Context, rows: list[Row], *, first: str = "เรื่อง") -> str:
    head = f"<tr><th>ลำดับ</th><th>{first}</th><th>วันที่เผยแพร่</th><th>ไฟล์</th></tr>"
    body = "".join(
        f"<tr><td>{n}</td><td>{html.escape(r.title)}</td>"
        f"<td>{thai_date(r.when, 'abbr', thai=True) if r.when else '-'}</td><td>{' '.join(r.links)}</td></tr>"
        for n, r in enumerate(rows, start=1))
    return f'<table class="table table-bordered">{head}{body}</table>'


def evidence_page(ctx: Context, key: str, title: str, intro: str, rows: list[Row], items: tuple[str, ...],
                  *, extra: str = "", first: str = "เรื่อง") -> str:
    content = f"<p>{html.escape(intro)}</p>\n{docs_table(ctx, rows, first=first) if rows else ''}\n{extra}"
    section = ctx.paths["ita"]
    return ctx.b.add_page(ctx.paths[key], title, content, kind="evidence", items=items,
                          breadcrumb=[(section, "ITA")])


# -- O1–O4: basic information ------------------------------------------------------------------------

UNITS = ["ฝ่ายปกครอง", "ฝ่ายทะเบียน", "ฝ่ายการคลัง", "ฝ่ายรายได้", "ฝ่ายโยธา",
         "ฝ่ายรักษาความสะอาดและสวนสาธารณะ", "ฝ่ายเทศกิจ", "ฝ่ายสิ่งแวดล้อมและสุขาภิบาล",
         "ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม", "ฝ่ายการศึกษา"]
SUBDISTRICTS = [("แขวงจักรวรรดิ", 2871, 3012), ("แขวงสัมพันธวงศ์", 3214, 3390), ("แขวงตลาดน้อย", 2605, 2802)]


def o1(ctx: Context) -> list[ItaLink]:
    b, d = ctx.b, ctx.b.district
    crumb = [(ctx.paths["basic"], "ข้อมูลพื้นฐาน")]
    chart = b.add_resource(b.file_path("แผนผังโครงสร้าง.png", "images"),
                           Resource(_chart_png(ctx), "image/png"))
    units = "".join(f"<li>{u}</li>" for u in UNITS)
    b.add_page(ctx.paths["O1.structure"], "โครงสร้างหน่วยงาน",
               f"<p>แผนผังโครงสร้างการแบ่งส่วนราชการของ{ctx.site_name} แบ่งออกเป็น {len(UNITS)} ฝ่าย ดังนี้</p>"
               f"<p><img src=\"{b.href(chart, form='percent')}\" alt=\"แผนผังโครงสร้าง{ctx.site_name}\"></p><ol>{units}</ol>",
               kind="evidence", items=("O1",), breadcrumb=crumb)
    heads = "".join(f"<tr><td>หัวหน้า{u}</td><td>{name}</td></tr>"
                    for u, name in zip(UNITS[:4], ["นายสุรชัย มั่นคงดี", "นางวิไลวรรณ ใจซื่อ",
                                                  "นางสาวกมลชนก แสงทอง", "นายประเสริฐ ทรัพย์มาก"]))
    b.add_page(ctx.paths["O1.executives"], ctx.wording("O1", "executives"),
               "<table class=\"table\"><tr><th>ตำแหน่ง</th><th>ชื่อ - สกุล</th></tr>"
               f"<tr><td>{ctx.director_title}</td><td>{d.director}</td></tr>"
               + "".join(f"<tr><td>ผู้ช่วยผู้อำนวยการเขต</td><td>{n}</td></tr>" for n in d.assistant_directors)
               + heads + "</table>", kind="evidence", items=("O1",), breadcrumb=crumb)
    b.add_page(ctx.paths["O1.duties"], "อำนาจหน้าที่",
               f"<p>อำนาจหน้าที่ของ{ctx.site_name} ตามประกาศกรุงเทพมหานคร เรื่อง การแบ่งส่วนราชการภายในสำนักงานเขต</p>"
               "<ol><li>ดูแลรักษาความสะอาดและความเป็นระเบียบเรียบร้อยในพื้นที่เขต</li>"
               "<li>จัดเก็บภาษีและรายได้ของกรุงเทพมหานครในพื้นที่</li><li>งานทะเบียนราษฎรและบัตรประจำตัวประชาชน</li>"
               "<li>อนุญาตและควบคุมอาคาร ตลอดจนการบำรุงรักษาถนน ทางเท้า และท่อระบายน้ำ</li>"
               "<li>ส่งเสริมการศึกษา การพัฒนาชุมชน และสวัสดิการสังคม</li></ol>",
               kind="evidence", items=("O1",), breadcrumb=crumb)
    as_at = ctx.day(12, 31)
    pop = "".join(f"<tr><td>{s}</td><td>{m:,}</td><td>{f:,}</td><td>{m + f:,}</td></tr>" for s, m, f in SUBDISTRICTS)
    total = sum(m + f for _, m, f in SUBDISTRICTS)
    b.add_page(ctx.paths["O1.general"], "ข้อมูลทั่วไป",
               f"<h2>สภาพทั่วไป</h2><p>เขต{ctx.name}ตั้งอยู่ในพื้นที่กรุงเทพมหานครชั้นใน มีพื้นที่ประมาณ 1.416 ตารางกิโลเมตร "
               "แบ่งการปกครองออกเป็น 3 แขวง เป็นย่านการค้าที่สำคัญ มีชุมชนชาวไทยเชื้อสายจีนอาศัยอยู่เป็นจำนวนมาก</p>"
               f"<h2>ข้อมูลประชากร</h2><table class=\"table\"><tr><th>แขวง</th><th>ชาย</th><th>หญิง</th><th>รวม</th></tr>{pop}"
               f"<tr><td>รวม</td><td colspan=\"3\">{total:,}</td></tr></table>"
               f"<p>จำนวนประชากร ข้อมูล ณ วันที่ {thai_date(as_at, 'full')} (ที่มา: ฝ่ายทะเบียน{ctx.site_name})</p>",
               kind="evidence", items=("O1",), breadcrumb=crumb)
    b.add_page(ctx.paths["contact"], "ติดต่อเรา",
               f"<p>ติดต่อ{ctx.site_name}</p><p>ที่อยู่ {d.address}</p><p>โทรศัพท์ {d.phone} โทรสาร {d.fax}</p>"
               f"<p>อีเมล <a href=\"mailto:{d.email}\">{d.email}</a></p>"
               "<p>เวลาทำการ วันจันทร์ - วันศุกร์ เวลา 08.00 - 16.00 น. (เว้นวันหยุดราชการ)</p>",
               kind="evidence", items=("O1",), breadcrumb=crumb)
    return [ItaLink(ctx.paths["O1.structure"], "โครงสร้างหน่วยงาน"),
            ItaLink(ctx.paths["O1.executives"], ctx.wording("O1", "executives")),
            ItaLink(ctx.paths["O1.duties"], "อำนาจหน้าที่"),
            ItaLink(ctx.paths["O1.general"], "ข้อมูลทั่วไปและจำนวนประชากร"),
            ItaLink(ctx.paths["contact"], "ข้อมูลการติดต่อ")]


def _chart_png(ctx: Context) -> bytes:
    from sitegen.district import png_image

    return png_image(720, 300, f"โครงสร้าง{ctx.site_name}", ctx.b.seed)


def o2(ctx: Context) -> list[ItaLink]:
    plan = ctx.doc("แผนพัฒนากรุงเทพมหานคร ระยะ 20 ปี", DocContent(
        title="แผนพัฒนากรุงเทพมหานคร ระยะ 20 ปี (พ.ศ. 2561 - 2580)",
        blocks=[Heading("แผนพัฒนากรุงเทพมหานคร ระยะ 20 ปี (พ.ศ. 2561 - 2580)", center=True),
                "แผนพัฒนากรุงเทพมหานคร ระยะ 20 ปี เป็นแผนยุทธศาสตร์หลักของกรุงเทพมหานคร ประกอบด้วยวิสัยทัศน์ "
                "\"กรุงเทพฯ มหานครแห่งเอเชีย\" และมิติการพัฒนา 7 ด้าน",
                DocTable(["มิติ", "ชื่อมิติ"], [["1", "มหานครปลอดภัย"], ["2", "มหานครสีเขียว สะดวกสบาย"],
                                                ["3", "มหานครสำหรับทุกคน"], ["4", "มหานครกะทัดรัด"],
                                                ["5", "มหานครประชาธิปไตย"], ["6", "มหานครแห่งเศรษฐกิจและการเรียนรู้"],
                                                ["7", "การบริหารจัดการเมืองมหานคร"]])],
        issued=date(2018, 10, 1), author="สำนักยุทธศาสตร์และประเมินผล"),
        "pdf", "text", item="O2", element="development_plan", fiscal_year=None, legacy=True)
    policies = ["ปลอดภัยดี", "โปร่งใสดี", "เดินทางดี", "สิ่งแวดล้อมดี", "สุขภาพดี", "เรียนดี",
                "เศรษฐกิจดี", "สังคมดี", "บริหารจัดการดี"]
    items = "".join(f"<li>{p}</li>" for p in policies)
    ctx.b.add_page(ctx.paths["O2"], "นโยบายผู้ว่าราชการกรุงเทพมหานคร",
                   f"<p>นโยบายผู้ว่าราชการกรุงเทพมหานคร (นโยบาย 9 ดี 9 ด้าน) ที่{ctx.site_name}นำมาขับเคลื่อนในพื้นที่</p>"
                   f"<ol>{items}</ol><h2>แผนที่เกี่ยวข้อง</h2><p>{ctx.a(plan, 'แผนพัฒนากรุงเทพมหานคร ระยะ 20 ปี (พ.ศ. 2561 - 2580)')}</p>",
                   kind="evidence", items=("O2",), breadcrumb=[(ctx.paths["ita"], "ITA")])
    return [ItaLink(ctx.paths["O2"], "นโยบายผู้ว่าราชการกรุงเทพมหานคร (นโยบาย 9 ดี)"),
            ItaLink(plan, "[PDF]")]


SCHOOLS = [("โรงเรียนวัดปทุมคงคา", "ถนนทรงวาด แขวงสัมพันธวงศ์", "0 2233 1234"),
           ("โรงเรียนวัดจักรวรรดิราชาวาส", "ถนนจักรวรรดิ แขวงจักรวรรดิ", "0 2221 5678"),
           ("โรงเรียนวัดสัมพันธวงศ์", "ถนนเยาวราช แขวงสัมพันธวงศ์", "0 2222 9012"),
           ("โรงเรียนวัดแก้วแจ่มฟ้า", "ถนนเจริญกรุง แขวงตลาดน้อย", "0 2234 3456")]


def o3(ctx: Context) -> list[ItaLink]:
    """An old static page served as windows-874 bytes, without any charset."""
    rows = "".join(f"<tr><td>{n}</td><td>{s}</td><td>{where}</td><td>{tel}</td></tr>"
                   for n, (s, where, tel) in enumerate(SCHOOLS, start=1))
    content = (f"<p>รายชื่อโรงเรียนสังกัดกรุงเทพมหานครในพื้นที่เขต{ctx.name} จำนวน {len(SCHOOLS)} โรงเรียน – "
               f"ข้อมูลจาก “ฝ่ายการศึกษา {ctx.site_name}”…</p>"
               f"<table border=\"1\" cellpadding=\"4\"><tr><th>ลำดับ</th><th>ชื่อโรงเรียน</th><th>ที่ตั้ง</th>"
               f"<th>โทรศัพท์</th></tr>{rows}</table>")
    path = ctx.paths["O3"]
    title = f"โรงเรียนสังกัดกรุงเทพมหานครในพื้นที่เขต{ctx.name}"
    ctx.b.add_page(path, title, content, kind="evidence", items=("O3",), legacy=True, encoding="cp874")
    ctx.b.special("tis620", path, "windows-874 bytes, no charset in the header or the page")
    return [ItaLink(path, "คลิกที่นี่")]


def o4(ctx: Context) -> list[ItaLink]:
    """News are made by portal.add_news; the ITA index points at the list and three posts."""
    return [ItaLink(ctx.paths["news"], "ข่าวประชาสัมพันธ์และข่าวกิจกรรม")] + [
        ItaLink(p, ctx.b.manifest.pages[p].title) for p in ctx.news_paths[:3]]


# -- O5–O12: administration ------------------------------------------------------------------------

PROJECTS = [
    ("โครงการรักษาความสะอาดและพัฒนาคูคลอง", "ร้อยละของคูคลองที่ได้รับการดูแล", 350000, "ฝ่ายรักษาความสะอาดและสวนสาธารณะ"),
    ("โครงการจัดระเบียบผู้ค้าหาบเร่แผงลอยย่านเยาวราช", "จำนวนจุดผ่อนผันที่จัดระเบียบแล้ว", 120000, "ฝ่ายเทศกิจ"),
    ("โครงการพัฒนาคุณภาพชีวิตผู้สูงอายุในชุมชน", "จำนวนผู้สูงอายุที่เข้าร่วมกิจกรรม", 95000, "ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม"),
    ("โครงการส่งเสริมการจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง", "ร้อยละของการจัดเก็บภาษีตามเป้าหมาย", 60000, "ฝ่ายรายได้"),
    ("โครงการซ่อมแซมทางเท้าและผิวจราจรในซอย", "ความยาวทางเท้าที่ได้รับการซ่อมแซม (เมตร)", 2400000, "ฝ่ายโยธา"),
    ("โครงการเฝ้าระวังและป้องกันโรคไข้เลือดออก", "จำนวนชุมชนที่ได้รับการพ่นหมอกควัน", 80000, "ฝ่ายสิ่งแวดล้อมและสุขาภิบาล"),
    ("โครงการบริการทะเบียนนอกเวลาราชการ", "จำนวนผู้รับบริการวันเสาร์", 30000, "ฝ่ายทะเบียน"),
    ("โครงการส่งเสริมคุณธรรมและความโปร่งใสในหน่วยงาน", "ผลคะแนนการประเมิน ITA", 40000, "ฝ่ายปกครอง"),
    ("โครงการพัฒนาศักยภาพบุคลากรด้านการให้บริการ", "จำนวนบุคลากรที่ผ่านการอบรม", 50000, "ฝ่ายปกครอง"),
    ("โครงการปลูกต้นไม้ล้านต้น", "จำนวนต้นไม้ที่ปลูกเพิ่ม", 150000, "ฝ่ายรักษาความสะอาดและสวนสาธารณะ"),
    ("โครงการส่งเสริมการอ่านในโรงเรียนสังกัดกรุงเทพมหานคร", "จำนวนนักเรียนที่เข้าร่วม", 70000, "ฝ่ายการศึกษา"),
    ("โครงการป้องกันอัคคีภัยในชุมชนแออัด", "จำนวนชุมชนที่ได้รับการฝึกซ้อม", 65000, "ฝ่ายปกครอง"),
]


def _action_plan(ctx: Context, fy: int) -> DocContent:
    period = f"ต.ค. {fy - 1} - ก.ย. {fy}"
    rows = [[str(n), p, k, baht(money), period, unit] for n, (p, k, money, unit) in enumerate(PROJECTS, start=1)]
    return DocContent(
        title=f"แผนปฏิบัติราชการประจำปี พ.ศ. {fy} {ctx.site_name}",
        blocks=[Heading(f"แผนปฏิบัติราชการประจำปี พ.ศ. {fy}", center=True), Heading(ctx.site_name, center=True),
                f"{ctx.site_name}ได้จัดทำแผนปฏิบัติราชการ{fy_text(fy)} เพื่อเป็นกรอบในการปฏิบัติงานของทุกฝ่าย "
                "ให้สอดคล้องกับแผนพัฒนากรุงเทพมหานคร ระยะ 20 ปี และนโยบายผู้ว่าราชการกรุงเทพมหานคร",
                "วัตถุประสงค์ของแผน เพื่อให้การดำเนินงานของสำนักงานเขตเป็นไปอย่างมีประสิทธิภาพ ประหยัด "
                "และตอบสนองความต้องการของประชาชนในพื้นที่ โดยมีการติดตามประเมินผลเป็นรายไตรมาส",
                DocTable(["ลำดับ", "โครงการ/กิจกรรม", "ตัวชี้วัด", "งบประมาณ (บาท)", "ระยะเวลาดำเนินการ", "ผู้รับผิดชอบ"],
                         rows, widths=[6, 30, 26, 14, 14, 22])],
        issued=ctx.day(10, 2, fy), author=ctx.site_name)


def _annual_report(ctx: Context, fy: int) -> DocContent:
    rows = [[str(n), p, k, "บรรลุเป้าหมาย", baht(money * 0.93)]
            for n, (p, k, money, _unit) in enumerate(PROJECTS, start=1)]
    return DocContent(
        title=f"รายงานผลการปฏิบัติราชการประจำปีงบประมาณ พ.ศ. {fy} {ctx.site_name}",
        blocks=[Heading(f"รายงานผลการปฏิบัติราชการประจำปี {fy_text(fy)}", center=True),
                Heading(ctx.site_name, center=True),
                f"{ctx.site_name}ได้ดำเนินการตามแผนปฏิบัติราชการ{fy_text(fy)} ครบทุกโครงการ "
                "โดยสรุปผลการดำเนินงานตามตัวชี้วัดและการใช้จ่ายงบประมาณได้ดังตารางต่อไปนี้",
                DocTable(["ลำดับ", "โครงการ/กิจกรรม", "ตัวชี้วัด", "ผลการดำเนินงาน", "ใช้จ่ายจริง (บาท)"],
                         rows, widths=[6, 32, 30, 16, 16]),
                f"ข้อมูล ณ วันที่ {thai_date(date(fy - 543, 9, 30), 'full')}"],
        issued=date(fy - 543, 9, 30), author=ctx.site_name)


def o5(ctx: Context) -> list[ItaLink]:
    fy, rows, links = ctx.fy, [], []
    if not ctx.defects.o5_stale_plan:
        plan = ctx.doc(f"แผนปฏิบัติราชการ {fy}", _action_plan(ctx, fy), "pdf", "text", item="O5",
                       element="action_plan", fiscal_year=fy, folder=ctx.folder(5))
        rows.append(Row(f"แผนปฏิบัติราชการประจำปี พ.ศ. {fy} {ctx.site_name}", ctx.day(10, 2),
                        [ctx.a(plan, "[PDF]")]))
        links.append(ItaLink(plan, f"แผนปฏิบัติราชการประจำปี พ.ศ. {fy}"))
    old_plan = ctx.doc(f"แผนปฏิบัติราชการ {fy - 1}", _action_plan(ctx, fy - 1), "pdf", "text", item="O5",
                       element="action_plan", fiscal_year=fy - 1, folder=ctx.folder(5, fy - 1))
    rows.append(Row(f"แผนปฏิบัติราชการประจำปี พ.ศ. {fy - 1} {ctx.site_name}", date(fy - 545, 10, 2),
                    [ctx.a(old_plan, "[PDF]")]))
    if ctx.defects.o5_stale_plan:
        links.append(ItaLink(old_plan, f"แผนปฏิบัติราชการประจำปี พ.ศ. {fy - 1}"))
    if not ctx.defects.o5_no_report:
        report = ctx.doc("รายงานผล", _annual_report(ctx, fy - 1), "pdf", "split_sara_am", item="O5",
                         element="annual_report", fiscal_year=fy - 1, opaque=True, folder=ctx.folder(5))
        rows.append(Row(f"รายงานผลการปฏิบัติราชการประจำปี พ.ศ. {fy - 1}", date(fy - 544, 9, 30),
                        [ctx.a(report, "[PDF]")]))
        links.append(ItaLink(report, "[PDF]"))
    evidence_page(ctx, "O5", "แผนปฏิบัติราชการ",
                  f"เอกสารด้านแผนงานของ{ctx.site_name}", rows, ("O5",))
    return links


MANUALS = [
    ("คู่มือการปฏิบัติงาน ฝ่ายทะเบียน (งานทะเบียนราษฎรและบัตรประจำตัวประชาชน)", "pdf", "text"),
    ("คู่มือการปฏิบัติงาน ฝ่ายโยธา (การพิจารณาอนุญาตก่อสร้างอาคาร)", "docx", ""),
    ("คู่มือการปฏิบัติหน้าที่ ฝ่ายรายได้ (การจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง)", "pdf", "split_sara_am"),
]


def _manual(ctx: Context, title: str, steps: list[str], issued: date) -> DocContent:
    return DocContent(
        title=title,
        blocks=[Heading(title, center=True), Heading(ctx.site_name, center=True),
                "วัตถุประสงค์ เพื่อให้เจ้าหน้าที่ปฏิบัติงานได้อย่างถูกต้อง เป็นมาตรฐานเดียวกัน และลดระยะเวลาการให้บริการ",
                DocTable(["ขั้นตอน", "รายละเอียดการดำเนินการ", "ระยะเวลา"],
                         [[str(n), s, f"{5 * n} นาที"] for n, s in enumerate(steps, start=1)], widths=[10, 70, 20]),
                "ทั้งนี้ ให้เจ้าหน้าที่ผู้ปฏิบัติงานยึดถือคู่มือฉบับนี้เป็นแนวทางในการปฏิบัติงาน"],
        issued=issued, author=ctx.site_name)


_STEPS = ["ตรวจสอบคำขอและเอกสารหลักฐานประกอบ", "บันทึกข้อมูลลงในระบบคอมพิวเตอร์", "พิจารณาและเสนอผู้มีอำนาจลงนาม",
          "แจ้งผลการพิจารณาให้ผู้ยื่นคำขอทราบ", "จัดเก็บเอกสารเข้าแฟ้ม"]


def o6(ctx: Context) -> list[ItaLink]:
    path = ctx.paths["O6"]
    if ctx.defects.o6_menu_only:
        # The menu says "คู่มือการปฏิบัติงาน"; the page it opens has nothing (and no such title).
        ctx.b.add_page(path, "", "<p>อยู่ระหว่างปรับปรุงข้อมูล</p>", kind="info", h1="อยู่ระหว่างปรับปรุงข้อมูล")
        return [ItaLink(path, "คลิกที่นี่")]
    rows = []
    for n, (title, fmt, variant) in enumerate(MANUALS, start=1):
        doc = ctx.doc(f"manual-{n}", _manual(ctx, title, _STEPS, ctx.day(11, 5 + n)), fmt, variant,
                      item="O6", element="operating_manual", fiscal_year=ctx.fy, folder=ctx.folder(6))
        rows.append(Row(title, ctx.day(11, 5 + n), [ctx.a(doc, "ดาวน์โหลด")]))
    evidence_page(ctx, "O6", "คู่มือการปฏิบัติงาน", f"คู่มือการปฏิบัติงานของเจ้าหน้าที่{ctx.site_name}", rows, ("O6",))
    return [ItaLink(path, "คลิกที่นี่")]


def o7(ctx: Context) -> list[ItaLink]:
    manuals = [("คู่มือสำหรับประชาชน งานทะเบียนราษฎร (การแจ้งเกิด การแจ้งตาย การย้ายที่อยู่)", "pdf", "scan"),
               ("คู่มือสำหรับประชาชน การขออนุญาตก่อสร้าง ดัดแปลง หรือรื้อถอนอาคาร", "pdf", "text"),
               ("คู่มือการให้บริการประชาชน ฝ่ายรายได้ (การชำระภาษีที่ดินและสิ่งปลูกสร้าง)", "docx", "")]
    rows = []
    for n, (title, fmt, variant) in enumerate(manuals, start=1):
        content = _manual(ctx, title, ["ยื่นคำขอพร้อมเอกสารหลักฐาน ณ จุดบริการ", "เจ้าหน้าที่ตรวจสอบเอกสาร",
                                       "ชำระค่าธรรมเนียม (ถ้ามี)", "รับเอกสารหรือใบอนุญาต"], ctx.day(11, 20 + n))
        doc = ctx.doc(f"คู่มือประชาชน-{n}", content, fmt, variant, item="O7", element="service_manual",
                      fiscal_year=ctx.fy, folder=ctx.folder(7))
        rows.append(Row(title, ctx.day(11, 20 + n), [ctx.a(doc, "[PDF]" if fmt == "pdf" else "[WORD]")]))
    evidence_page(ctx, "O7", "คู่มือสำหรับประชาชน", "คู่มือการให้บริการประชาชนตามพระราชบัญญัติการอำนวยความสะดวก"
                  "ในการพิจารณาอนุญาตของทางราชการ พ.ศ. 2558", rows, ("O7",))
    return [ItaLink(ctx.paths["O7"], "คู่มือสำหรับประชาชน")]


ESERVICES = [("/bmaoss/", "ระบบ BMA OSS ยื่นคำขออนุญาตออนไลน์", "BMA OSS ระบบบริการออนไลน์ กรุงเทพมหานคร"),
             ("/traffy/", "Traffy Fondue แจ้งปัญหาเมืองออนไลน์", "Traffy Fondue ระบบแจ้งปัญหาเมือง"),
             ("/queue/", "ระบบจองคิวออนไลน์ งานทะเบียน", "ระบบจองคิวออนไลน์ สำนักงานเขต")]


def o8(ctx: Context) -> list[ItaLink]:
    """Links to the e-service systems on the second host (absent there when o8_dead)."""
    b = ctx.b
    for path, _label, title in ESERVICES:
        if ctx.defects.o8_dead:
            b.special("http_404", path, "dead e-service link", host="second")
            continue
        page = (f"<!DOCTYPE html><html lang=\"th\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
                f"<body><h1>{title}</h1><p>บริการออนไลน์ (E-Service) สำหรับประชาชน เปิดให้บริการตลอด 24 ชั่วโมง</p>"
                "<form method=\"post\"><label>เลขประจำตัวประชาชน <input name=\"pid\"></label>"
                "<button type=\"submit\">เข้าสู่ระบบ</button></form></body></html>")
        b.add_resource(path, Resource(page.encode("utf-8")), host="second")
        b.manifest.pages[path] = _second_page(path, title)
    items = "".join(f"<li>{ctx.a(p, label, 'second')}</li>" for p, label, _ in ESERVICES)
    b.add_page(ctx.paths["O8"], "E-Service",
               f"<p>บริการออนไลน์ (E-Service) ของ{ctx.site_name} ประชาชนสามารถใช้บริการได้ทุกวันตลอด 24 ชั่วโมง</p>"
               f"<ul>{items}</ul>", kind="evidence", items=("O8",), breadcrumb=[(ctx.paths["ita"], "ITA")])
    b.special("second_host", ESERVICES[0][0], "e-service system page", host="second")
    return [ItaLink(ctx.paths["O8"], "E-Service"), ItaLink(ESERVICES[0][0], "BMA OSS", "second")]


def _second_page(path: str, title: str):
    from sitegen.model import PageEntry

    return PageEntry(path=path, title=title, kind="eservice", items=["O8"], host="second")


TAXES = ["ภาษีที่ดินและสิ่งปลูกสร้าง", "ภาษีป้าย", "อากรการฆ่าสัตว์"]


def _tax_stats(ctx: Context, fy: int, months: list[tuple[int, int]]) -> DocContent:
    rng = ctx.b.rng
    rows, totals = [], [0.0] * len(TAXES)
    for y, m in months:
        amounts = [rng.randint(300, 4000) * 1000.0, rng.randint(20, 300) * 1000.0, rng.randint(1, 9) * 100.0]
        totals = [t + a for t, a in zip(totals, amounts)]
        rows.append([month_year(y, m), *map(baht, amounts), baht(sum(amounts))])
    rows.append(["รวมทั้งสิ้น", *map(baht, totals), baht(sum(totals))])
    last = months[-1]
    return DocContent(
        title=f"สถิติการจัดเก็บภาษี {fy_text(fy)} {ctx.site_name}",
        blocks=[Heading(f"สถิติการจัดเก็บภาษี {fy_text(fy)}", center=True),
                Heading(f"ฝ่ายรายได้ {ctx.site_name}", center=True),
                DocTable(["เดือน", *[f"{t} (บาท)" for t in TAXES], "รวม (บาท)"], rows, title=f"สถิติภาษี {fy}"),
                f"ข้อมูล ณ สิ้นเดือน{month_name(last[1])} {last[0] + 543}"],
        issued=clamp(date(last[0], last[1], 28) + timedelta(days=7), ctx.b.as_of) if fy == ctx.fy
        else date(fy - 543, 10, 10), author=ctx.site_name)


def _months_so_far(ctx: Context) -> list[tuple[int, int]]:
    return required_months(ctx.fy, ctx.b.as_of) or fiscal_months(ctx.fy)[:1]


def o9(ctx: Context) -> list[ItaLink]:
    """Stored in an ITA/<year>/O10 folder: the O-number in a path is not reliable."""
    fy, rows, links = ctx.fy, [], []
    current = _tax_stats(ctx, fy, _months_so_far(ctx))
    pdf = ctx.doc(f"สถิติภาษี {fy}", current, "pdf", "text", item="O9", element="tax_stats", fiscal_year=fy,
                  folder=ctx.folder(10))
    cells = [ctx.a(pdf, "[PDF]")]
    links.append(ItaLink(pdf, "[PDF]"))
    if not ctx.defects.o9_pdf_only:
        xlsx = ctx.doc(f"สถิติภาษี {fy}", current, "xlsx", item="O9", element="tax_stats", fiscal_year=fy,
                       folder=ctx.folder(10))
        cells.append(ctx.a(xlsx, "[EXCEL]"))
        links.append(ItaLink(xlsx, "[EXCEL]"))
    rows.append(Row(f"สถิติการจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง ภาษีป้าย และอากรการฆ่าสัตว์ {fy_text(fy)}",
                    current.issued, cells))
    previous = _tax_stats(ctx, fy - 1, fiscal_months(fy - 1))
    old_cells = [ctx.a(ctx.doc(f"สถิติภาษี {fy - 1}", previous, fmt, "text" if fmt == "pdf" else "", item="O9",
                               element="tax_stats", fiscal_year=fy - 1, folder=ctx.folder(10, fy - 1)), label)
                 for fmt, label in (("pdf", "[PDF]"), ("xlsx", "[EXCEL]"))]
    rows.append(Row(f"สถิติการจัดเก็บภาษี {fy_text(fy - 1)}", previous.issued, old_cells))
    evidence_page(ctx, "O9", "ข้อมูลสถิติการจัดเก็บภาษี", f"ข้อมูลสถิติการจัดเก็บภาษีของฝ่ายรายได้ {ctx.site_name}",
                  rows, ("O9",))
    return links


REVENUES = ["ค่าธรรมเนียมใบอนุญาต", "ค่าปรับ", "รายได้เบ็ดเตล็ด"]


def o10(ctx: Context) -> list[ItaLink]:
    fy, rng = ctx.fy, ctx.b.rng
    half = fiscal_months(fy)[:6]
    rows = []
    for y, m in half:
        amounts = [rng.randint(50, 400) * 1000.0, rng.randint(5, 80) * 1000.0, rng.randint(1, 30) * 1000.0]
        rows.append([month_year(y, m), *map(baht, amounts), baht(sum(amounts))])
    span = f"ตุลาคม {fy - 1} - มีนาคม {fy}"
    content = DocContent(
        title=f"สถิติการจัดเก็บรายได้ รอบ 6 เดือน ({span}) {fy_text(fy)}",
        blocks=[Heading(f"สถิติการจัดเก็บรายได้ รอบ 6 เดือน ({span})", center=True),
                Heading(f"{fy_text(fy)} {ctx.site_name}", center=True),
                DocTable(["เดือน", *[f"{r} (บาท)" for r in REVENUES], "รวม (บาท)"], rows, title="รอบ 6 เดือน")],
        issued=ctx.day(4, 10), author=ctx.site_name)
    covers = tuple(f"{y}-{m:02d}" for y, m in half)
    pdf = ctx.doc(f"สถิติรายได้ 6 เดือน {fy}", content, "pdf", "text", item="O10", element="revenue_stats",
                  fiscal_year=fy, covers=covers, folder=ctx.folder(10))
    xlsx = ctx.doc(f"สถิติรายได้ 6 เดือน {fy}", content, "xlsx", item="O10", element="revenue_stats",
                   fiscal_year=fy, covers=covers, folder=ctx.folder(10))
    evidence_page(ctx, "O10", "ข้อมูลสถิติการจัดเก็บรายได้", f"ข้อมูลสถิติการจัดเก็บรายได้ของ{ctx.site_name}",
                  [Row(f"สถิติการจัดเก็บรายได้ รอบ 6 เดือน ({span}) {fy_text(fy)}", content.issued,
                       [ctx.a(pdf, "[PDF]"), ctx.a(xlsx, "[EXCEL]")])], ("O10",))
    return [ItaLink(pdf, "[PDF]"), ItaLink(xlsx, "[EXCEL]")]


def _checklist(ctx: Context, title: str, documents: list[str], issued: date) -> DocContent:
    return DocContent(
        title=title,
        blocks=[Heading(title, center=True), Heading(ctx.site_name, center=True),
                DocTable(["ลำดับ", "รายการเอกสาร/หลักฐานที่ต้องตรวจสอบ", "มี", "ไม่มี", "หมายเหตุ"],
                         [[str(n), d, "[  ]", "[  ]", "-"] for n, d in enumerate(documents, start=1)],
                         widths=[8, 60, 8, 8, 16]),
                "ผู้ตรวจสอบ ................................ วันที่ ........................"],
        issued=issued, author=ctx.site_name)


def o11(ctx: Context) -> list[ItaLink]:
    health = _checklist(ctx, "รายการการตรวจ (Checklist) ในการพิจารณาออกใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ",
                        ["คำขอรับใบอนุญาต (แบบ อภ.1)", "สำเนาบัตรประจำตัวประชาชนของผู้ขออนุญาต",
                         "สำเนาทะเบียนบ้าน", "แผนที่ตั้งสถานประกอบการ", "ใบรับรองแพทย์ของผู้ปฏิบัติงาน"], ctx.day(12, 4))
    building = _checklist(ctx, "รายการตรวจสอบเอกสารประกอบการขออนุญาตก่อสร้างอาคาร (Checklist) ใบอนุญาตก่อสร้าง",
                          ["แบบคำขออนุญาต (แบบ ข.1)", "แผนผังบริเวณและแบบแปลน", "รายการคำนวณโครงสร้าง",
                           "สำเนาโฉนดที่ดิน", "หนังสือยินยอมของเจ้าของที่ดิน"], ctx.day(12, 6))
    h_pdf = ctx.doc("checklist-health", health, "pdf", "text", item="O11", element="licence_checklist",
                    fiscal_year=ctx.fy, folder=ctx.folder(11))
    h_doc = ctx.doc("checklist-health", health, "docx", item="O11", element="licence_checklist",
                    fiscal_year=ctx.fy, folder=ctx.folder(11))
    b_pdf = ctx.doc("checklist-building", building, "pdf", "split_sara_am", item="O11",
                    element="licence_checklist", fiscal_year=ctx.fy, folder=ctx.folder(11))
    evidence_page(ctx, "O11", "Checklist การพิจารณาออกใบอนุญาต",
                  "รายการการตรวจ (Checklist) ที่ใช้ในการพิจารณาการออกใบอนุญาต ตามแบบของสำนักงาน ก.ก.",
                  [Row(health.title, health.issued, [ctx.a(h_pdf, "[PDF]"), ctx.a(h_doc, "[WORD]")]),
                   Row(building.title, building.issued, [ctx.a(b_pdf, "[PDF]")])], ("O11",))
    return [ItaLink(ctx.paths["O11"], "คลิกที่นี่")]


def o12(ctx: Context) -> list[ItaLink]:
    statuses = ["รับคำขอ", "อยู่ระหว่างตรวจสอบเอกสาร", "อยู่ระหว่างตรวจสถานที่", "เสนอผู้มีอำนาจพิจารณา", "ออกใบอนุญาตแล้ว"]
    kinds = ["ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ", "ใบอนุญาตก่อสร้างอาคาร", "ใบอนุญาตจำหน่ายสินค้าในที่สาธารณะ"]
    rows = "".join(
        f"<tr><td>{n:03d}/{ctx.fy}</td><td>{kinds[n % 3]}</td><td>{thai_date(ctx.day(1, n + 3), 'abbr')}</td>"
        f"<td>{statuses[n % 5]}</td></tr>" for n in range(1, 13))
    ctx.b.add_page(ctx.paths["O12"], "ระบบติดตามสถานะการขอใบอนุญาต (Tracking System)",
                   "<p>ผู้ยื่นคำขอสามารถติดตามสถานะการขอใบอนุญาตได้จากเลขที่คำขอในตารางด้านล่าง "
                   "(ปรับปรุงข้อมูลทุกวันทำการ)</p><table class=\"table\"><tr><th>เลขที่คำขอ</th><th>ประเภทใบอนุญาต</th>"
                   f"<th>วันที่ยื่นคำขอ</th><th>สถานะ</th></tr>{rows}</table>",
                   kind="evidence", items=("O12",), breadcrumb=[(ctx.paths["ita"], "ITA")])
    return [ItaLink(ctx.paths["O12"], "ระบบติดตามสถานะการขอใบอนุญาต")]


# -- O13–O15: budget ---------------------------------------------------------------------------------

def _quarters(fy: int) -> list[str]:
    return [f"ไตรมาสที่ 1 (ต.ค. - ธ.ค. {fy - 1})", f"ไตรมาสที่ 2 (ม.ค. - มี.ค. {fy})",
            f"ไตรมาสที่ 3 (เม.ย. - มิ.ย. {fy})", f"ไตรมาสที่ 4 (ก.ค. - ก.ย. {fy})"]


def o13(ctx: Context) -> list[ItaLink]:
    fy, b = ctx.fy, ctx.b
    plan_name, report_name = ctx.wording("O13", "spending_plan"), ctx.wording("O13", "spending_report")
    amounts = [12_500_000.0, 18_300_000.0, 15_900_000.0, 9_800_000.0]
    plan = DocContent(
        title=f"{plan_name} {fy_text(fy)} {ctx.site_name}",
        blocks=[Heading(f"{plan_name} {fy_text(fy)}", center=True), Heading(ctx.site_name, center=True),
                DocTable(["ไตรมาส", "แผนการใช้จ่าย (บาท)", "ร้อยละ"],
                         [[q, baht(a), f"{a / sum(amounts) * 100:.2f}"] for q, a in zip(_quarters(fy), amounts)],
                         title=f"แผน {fy}")],
        issued=ctx.day(10, 20), author=ctx.site_name)
    report = DocContent(
        title=f"{report_name} {fy_text(fy - 1)} {ctx.site_name}",
        blocks=[Heading(f"{report_name} {fy_text(fy - 1)}", center=True),
                Heading(ctx.site_name, center=True),
                DocTable(["ไตรมาส", "แผน (บาท)", "ผลการเบิกจ่าย (บาท)", "ร้อยละ"],
                         [[q, baht(a), baht(a * 0.96), "96.00"] for q, a in zip(_quarters(fy - 1), amounts)]),
                f"ข้อมูล ณ วันที่ {thai_date(date(fy - 544, 9, 30), 'full')}"],
        issued=date(fy - 544, 9, 30), author=ctx.site_name)
    plan_pdf = ctx.doc(f"แผนการใช้จ่ายงบประมาณ {fy}", plan, "pdf", "text", item="O13", element="spending_plan",
                       fiscal_year=fy, folder=ctx.folder(13))
    plan_xlsx = ctx.doc(f"แผนการใช้จ่ายงบประมาณ {fy}", plan, "xlsx", item="O13", element="spending_plan",
                        fiscal_year=fy, folder=ctx.folder(13))
    # The previous year's report sits on a cloud drive: a second host, named by Content-Disposition.
    drive = "/drive/uc?export=download&id=1hGq7Xk2pQ0vS9aBcD3eF4gH"
    filename = f"รายงานผลการใช้จ่ายงบประมาณ ปี {fy - 1}.pdf"
    drive = b.add_document(drive, report, "pdf", "text", item="O13", element="spending_report", fiscal_year=fy - 1,
                           host="second", filename=filename,
                           headers={"Content-Disposition": _disposition("document.pdf", filename)})
    b.special("second_host", drive, "cloud-drive file", host="second")
    evidence_page(ctx, "O13", "แผนการใช้จ่ายงบประมาณ", f"แผนการใช้จ่ายงบประมาณประจำปีและรายงานผลของ{ctx.site_name}",
                  [Row(plan.title, plan.issued, [ctx.a(plan_pdf, "[PDF]"), ctx.a(plan_xlsx, "[EXCEL]")]),
                   Row(f"{report_name} {fy_text(fy - 1)}", report.issued,
                       [ctx.a(drive, "ดาวน์โหลด (Google Drive)", "second")])], ("O13",))
    return [ItaLink(plan_pdf, "[PDF]", description=f"{plan_name} {fy_text(fy)}"),
            ItaLink(drive, "ดาวน์โหลด", "second")]


def _disposition(plain: str, name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"


def o14(ctx: Context) -> list[ItaLink]:
    fy = ctx.fy
    budget = DocContent(
        title=f"ข้อมูลงบประมาณที่ได้รับจัดสรร {fy_text(fy)}",
        blocks=[DocTable(["ปีงบประมาณ", "หมวดรายจ่าย", "งบประมาณที่ได้รับจัดสรร (บาท)", "หน่วยงาน"],
                         [[str(fy), cat, baht(money), ctx.site_name] for cat, money in
                          [("งบบุคลากร", 98_450_000.0), ("งบดำเนินงาน", 42_130_500.0), ("งบลงทุน", 15_800_000.0),
                           ("งบเงินอุดหนุน", 1_250_000.0), ("งบรายจ่ายอื่น", 640_000.0)]])],
        issued=ctx.day(10, 15), author=ctx.site_name)
    ordinance = DocContent(
        title=f"ข้อบัญญัติกรุงเทพมหานคร เรื่อง งบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. {fy}",
        blocks=[Heading(f"ข้อบัญญัติกรุงเทพมหานคร เรื่อง งบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. {fy}", center=True),
                f"รายละเอียดงบประมาณรายจ่าย ส่วนราชการ{ctx.site_name} {fy_text(fy)}",
                DocTable(["แผนงาน", "งบประมาณ (บาท)"],
                         [["แผนงานบริหารทั่วไป", baht(61_200_000)], ["แผนงานรักษาความสะอาด", baht(45_300_000)],
                          ["แผนงานโยธา", baht(28_720_500)], ["แผนงานพัฒนาชุมชน", baht(23_000_000)]])],
        issued=ctx.day(10, 1), author="กรุงเทพมหานคร")
    subsidy = DocContent(
        title=f"ข้อมูลเงินอุดหนุนชุมชน {fy_text(fy)}",
        blocks=[Heading(f"ข้อมูลเงินอุดหนุนชุมชน {fy_text(fy)} {ctx.site_name}"),
                DocTable(["ชุมชน", "โครงการ", "เงินอุดหนุน (บาท)", "วันที่อนุมัติ"],
                         [[c, p, baht(50000), thai_date(ctx.day(1, 10 + n), "full")]
                          for n, (c, p) in enumerate([("ชุมชนตรอกโรงโคม", "โครงการพัฒนาคุณภาพชีวิตชุมชน"),
                                                      ("ชุมชนเจริญไชย", "โครงการชุมชนปลอดขยะ"),
                                                      ("ชุมชนสะพานหัน", "โครงการส่งเสริมอาชีพ")])],
                         title=f"เงินอุดหนุน {fy}")],
        issued=ctx.day(1, 20), author=ctx.site_name)
    csv_path = ctx.doc(f"budget-{fy}", budget, "csv", item="O14", element="budget_data", fiscal_year=fy,
                       folder=ctx.folder(14))
    ord_path = ctx.doc(f"ข้อบัญญัติงบประมาณ {fy}", ordinance, "pdf", "text", item="O14", element="budget_ordinance",
                       fiscal_year=fy, folder=ctx.folder(14))
    ods_path = ctx.doc(f"เงินอุดหนุนชุมชน {fy}", subsidy, "ods", item="O14", element="community_subsidy",
                       fiscal_year=fy, folder=ctx.folder(14))
    evidence_page(ctx, "O14", "ข้อมูลงบประมาณ ข้อบัญญัติงบประมาณ และเงินอุดหนุนชุมชน",
                  f"ข้อมูลงบประมาณของ{ctx.site_name}",
                  [Row(budget.title, budget.issued, [ctx.a(csv_path, "[CSV]")]),
                   Row(ordinance.title, ordinance.issued, [ctx.a(ord_path, "[PDF]")]),
                   Row(subsidy.title, subsidy.issued, [ctx.a(ods_path, "[ODS]")])], ("O14",))
    return [ItaLink(ctx.paths["O14"], "ดาวน์โหลด")]


def o15(ctx: Context) -> list[ItaLink]:
    fy, b = ctx.fy, ctx.b
    notices = [
        ("ประกาศผู้ชนะการเสนอราคา จ้างซ่อมแซมผิวจราจรและทางเท้า ซอยวานิช 1 โดยวิธีเฉพาะเจาะจง", ctx.day(11, 14)),
        ("ประกวดราคาจ้างปรับปรุงอาคารสำนักงานเขต ด้วยวิธีประกวดราคาอิเล็กทรอนิกส์ (e-bidding)", ctx.day(1, 9)),
        ("ประกาศราคากลาง จ้างเหมาทำความสะอาดคูคลองและท่อระบายน้ำ", ctx.day(2, 2)),
        (f"เผยแพร่แผนการจัดซื้อจัดจ้าง {fy_text(fy)}", ctx.day(10, 25)),
    ]
    notice_rows = []
    for n, (subject, issued) in enumerate(notices, start=1):
        content = announcement(ctx, subject, [
            f"ด้วย{ctx.site_name}มีความประสงค์จะดำเนินการจัดซื้อจัดจ้างตามพระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ "
            "พ.ศ. 2560 จึงขอประกาศให้ทราบโดยทั่วกัน",
            f"วงเงินงบประมาณ {baht(480000 + n * 12000)} บาท ราคากลาง {baht(478500 + n * 12000)} บาท"], issued)
        variant = "split_sara_am" if n % 2 else "text"
        doc = ctx.doc(f"ประกาศจัดซื้อจัดจ้าง-{n}", content, "pdf", variant, item="O15", element="announcements",
                      fiscal_year=fy, folder=ctx.folder(15), opaque=n == 3)
        notice_rows.append(Row(f"ประกาศ{ctx.site_name} เรื่อง {subject}", issued, [ctx.a(doc, "[PDF]")]))
    evidence_page(ctx, "O15.notices", "ประกาศจัดซื้อจัดจ้าง", "ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้าง", notice_rows, ("O15",))

    months = required_months(fy, b.as_of)
    b.manifest.required_months = [f"{y}-{m:02d}" for y, m in months]
    middle = len(months) // 2
    summary_rows = []
    for k, (y, m) in enumerate(months):
        if ctx.defects.o15_missing_month and k == middle:
            continue
        blank = ctx.defects.o15_blank and k == middle
        rows = procurement_rows(random.Random(f"skr:{b.seed}:{y}-{m}"), y, m, 3 + (k % 4))
        cells = {(1, 3), (1, 8)} if blank else set()
        content = procurement_summary(ctx.site_name, y, m, rows, cells,
                                      issued=clamp(date(y, m, 28) + timedelta(days=7), b.as_of))
        fmt = "xlsx" if (blank or k % 3 == 2) else "pdf"
        variant = ("split_sara_am" if k % 4 == 1 else "text") if fmt == "pdf" else ""
        name = f"สขร.1 {month_abbr(m)}{(y + 543) % 100}"
        doc = ctx.doc(name, content, fmt, variant, item="O15", element="monthly_summaries", fiscal_year=fy,
                      covers=(f"{y}-{m:02d}",), defects=("blank_cells",) if blank else (), folder=ctx.folder(15))
        summary_rows.append(Row(f"สรุปผลการจัดซื้อจัดจ้างประจำเดือน {month_year(y, m)} (แบบ สขร.1)", content.issued,
                                [ctx.a(doc, "[PDF]" if fmt == "pdf" else "[EXCEL]")]))
    evidence_page(ctx, "O15.monthly", "สรุปผลการจัดซื้อจัดจ้างรายเดือน",
                  f"สรุปผลการดำเนินการจัดซื้อจัดจ้างรายเดือน (แบบ สขร.1) {fy_text(fy)}", summary_rows, ("O15",))
    return [ItaLink(ctx.paths["O15.notices"], "ประกาศจัดซื้อจัดจ้าง"),
            ItaLink(ctx.paths["O15.monthly"], "สรุปผลการจัดซื้อจัดจ้างรายเดือน (สขร.1)")]


# -- O16–O17 ----------------------------------------------------------------------------------------

def o16(ctx: Context) -> list[ItaLink]:
    b, fy = ctx.b, ctx.fy
    criteria = DocContent(
        title="หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล กรุงเทพมหานคร",
        blocks=[Heading("หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล", center=True),
                Heading(f"{ctx.site_name} {fy_text(fy)}", center=True),
                "1. หลักเกณฑ์การสรรหาและเลือกสรรบุคคล ให้เป็นไปตามประกาศคณะกรรมการข้าราชการกรุงเทพมหานคร (ก.ก.)",
                "2. หลักเกณฑ์การพัฒนาบุคลากร จัดให้มีการฝึกอบรมอย่างน้อยปีละ 1 ครั้ง ตามแผนพัฒนาบุคลากร",
                "3. หลักเกณฑ์การประเมินผลการปฏิบัติราชการและการเลื่อนเงินเดือน ปีละ 2 รอบ",
                "4. การให้คุณให้โทษและการสร้างขวัญกำลังใจ ยึดหลักคุณธรรมและความโปร่งใส"],
        issued=ctx.day(10, 30), author=ctx.site_name)
    filename = f"หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล {fy}.pdf"
    download = b.add_document(f"{b.prefix}download?id=123", criteria, "pdf", "text", item="O16",
                              element="hr_criteria", fiscal_year=fy, filename=filename,
                              content_type="application/octet-stream",
                              headers={"Content-Disposition": _disposition("download.pdf", filename)})
    b.special("content_disposition", download, "file name only in Content-Disposition filename*")
    salary = DocContent(
        title="หลักเกณฑ์และวิธีการเลื่อนเงินเดือนข้าราชการกรุงเทพมหานครสามัญ",
        blocks=[Heading("หลักเกณฑ์และวิธีการเลื่อนเงินเดือนข้าราชการกรุงเทพมหานครสามัญ", center=True),
                "การเลื่อนเงินเดือนให้เลื่อนปีละสองครั้ง ครั้งที่หนึ่ง วันที่ 1 เมษายน และครั้งที่สอง วันที่ 1 ตุลาคม "
                "โดยพิจารณาจากผลการประเมินผลการปฏิบัติราชการ ตามหลักเกณฑ์ที่ ก.ก. กำหนด และวงเงินที่ได้รับจัดสรร"],
        issued=date(2020, 3, 1), author="สำนักงาน ก.ก.")
    legacy = ctx.doc("salary", salary, "pdf", "split_sara_am", item="O16", element="hr_criteria",
                     fiscal_year=None, legacy=True)
    evidence_page(ctx, "O16", "หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล", "หลักเกณฑ์ด้านการบริหารงานบุคคล",
                  [Row(criteria.title, criteria.issued, [ctx.a(download, "ดาวน์โหลด")]),
                   Row(salary.title, None, [ctx.a(legacy, "ดาวน์โหลด")])], ("O16",))
    return [ItaLink(download, "ดาวน์โหลด")]


def o17(ctx: Context) -> list[ItaLink]:
    fy, d = ctx.fy, ctx.b.district
    quarters = [q for q, start in zip(_quarters(fy), [(10, 1), (1, 1), (4, 1), (7, 1)])
                if ctx.day(*start) < ctx.b.as_of - timedelta(days=1) or start == (10, 1)]
    stats_name, channel_name = ctx.wording("O17", "complaint_stats"), ctx.wording("O17", "complaint_channel")
    stats = DocContent(
        title=f"{stats_name} {fy_text(fy)}",
        blocks=[Heading(f"{stats_name} {fy_text(fy)}"), Heading(ctx.site_name),
                DocTable(["ช่วงเวลา", "จำนวนเรื่องร้องเรียน", "ผลการดำเนินการ"],
                         [[q, "0", "ไม่มีเรื่องร้องเรียน"] for q in quarters], title="สถิติ")],
        issued=clamp(ctx.b.as_of - timedelta(days=10), ctx.b.as_of), author=ctx.site_name)
    odt = ctx.doc(f"สถิติร้องเรียน {fy}", stats, "odt", item="O17", element="complaint_stats", fiscal_year=fy,
                  folder=ctx.folder(17))
    form = ("<form method=\"post\" class=\"complaint\"><h2>แจ้งเบาะแสการทุจริต</h2>"
            "<label>เรื่องที่ร้องเรียน <input name=\"subject\"></label>"
            "<label>รายละเอียด <textarea name=\"detail\"></textarea></label>"
            "<button type=\"submit\">ส่งเรื่อง</button></form>")
    channels = (f"<h2>{channel_name}</h2><ol><li>ด้วยตนเอง ณ ฝ่ายปกครอง {ctx.site_name}</li>"
                f"<li>โทรศัพท์ {d.phone} ต่อ 6107</li><li>อีเมล {d.email}</li>"
                "<li>สายด่วนกรุงเทพมหานคร 1555</li><li>แบบฟอร์มแจ้งเบาะแสด้านล่าง</li></ol>" + form)
    evidence_page(ctx, "O17", channel_name, "ประชาชนสามารถแจ้งเรื่องร้องเรียนการทุจริตได้หลายช่องทาง",
                  [Row(stats.title, stats.issued, [ctx.a(odt, "ดาวน์โหลด")])], ("O17",), extra=channels)
    return [ItaLink(ctx.paths["O17"], channel_name), ItaLink(odt, "ดาวน์โหลด")]


# -- O18–O22: corruption prevention -------------------------------------------------------------------

ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")


def o18(ctx: Context) -> list[ItaLink]:
    if ctx.defects.o18_absent:
        return []
    fy = ctx.fy
    issued = ctx.day(11, 1)
    policy = announcement(ctx, "นโยบายต่อต้านการรับสินบน (Anti-Bribery Policy)", [
        f"{ctx.site_name}มีความมุ่งมั่นที่จะดำเนินงานด้วยความซื่อสัตย์สุจริต โปร่งใส ตรวจสอบได้ "
        f"จึงประกาศนโยบายต่อต้านการรับสินบน (Anti-Bribery Policy) {fy_text(fy)} ดังนี้",
        "1. บุคลากรทุกคนต้องไม่เรียก ไม่รับ ไม่ให้ สินบน ไม่ว่าทางตรงหรือทางอ้อม",
        "2. ผู้บังคับบัญชาทุกระดับต้องกำกับดูแลและเป็นแบบอย่างที่ดี",
        "3. จัดให้มีช่องทางการแจ้งเบาะแสและคุ้มครองผู้แจ้งเบาะแส"], issued)
    no_gift = announcement(ctx, f"นโยบายไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ (No Gift Policy) {fy_text(fy)}", [
        "ให้ผู้บริหารและบุคลากรทุกคนงดการรับของขวัญ ของกำนัล หรือประโยชน์อื่นใดจากการปฏิบัติหน้าที่"], ctx.day(11, 1))
    report = memo(ctx, f"รายงานผลการดำเนินการตามนโยบายต่อต้านการรับสินบน (Anti-Bribery Policy) {fy_text(fy)} รอบ 6 เดือน", [
        "ตามที่สำนักงานเขตได้ประกาศนโยบายต่อต้านการรับสินบน ฝ่ายปกครองได้ดำเนินการเผยแพร่นโยบายให้บุคลากรทราบ "
        "จัดกิจกรรมสร้างความตระหนักรู้ และไม่พบการรับสินบนในรอบ 6 เดือนที่ผ่านมา"], ctx.day(4, 20), number=210)
    scanned = ctx.defects.o18_scanned
    files = [
        ("policy-th", policy, "pdf", "scan" if scanned else "text", "policy_th"),
        ("policy-th", policy, "docx", "", "policy_th"),
        ("no-gift", no_gift, "pdf", "text", "policy_th"),
        ("report", report, "pdf", "scan" if scanned else "split_sara_am", "implementation_report"),
    ]
    if scanned:      # the signed paper only: no Word file, no text PDF that would name the policy
        files = [f for f in files if f[2] == "pdf" and f[0] != "no-gift"]
    paths = {}
    for name, content, fmt, variant, element in files:
        paths[(name, fmt)] = ctx.doc(name, content, fmt, variant, item="O18", element=element, fiscal_year=fy,
                                     folder=ctx.folder(18))
    policy_links = [ctx.a(paths[("policy-th", fmt)], label) for fmt, label in (("pdf", "[PDF]"), ("docx", "[WORD]"))
                    if ("policy-th", fmt) in paths]
    rows = [Row(policy.title, issued, policy_links),
            Row(report.title, report.issued, [ctx.a(paths[("report", "pdf")], "[PDF]")])]
    links = [ItaLink(paths[("policy-th", fmt)], label) for fmt, label in (("pdf", "[PDF]"), ("docx", "[WORD]"))
             if ("policy-th", fmt) in paths]
    links.append(ItaLink(paths[("report", "pdf")], "[PDF]", description="รายงานผลการดำเนินการตามนโยบาย"))
    if ("no-gift", "pdf") in paths:
        rows.insert(1, Row(f"ประกาศนโยบาย No Gift Policy {fy_text(fy)}", issued, [ctx.a(paths[("no-gift", "pdf")], "[PDF]")]))
        links.insert(-1, ItaLink(paths[("no-gift", "pdf")], f"ประกาศนโยบาย No Gift Policy {fy_text(fy)}"))
    if not ctx.defects.o18_no_english:
        english = DocContent(
            title="Anti-Bribery Policy",
            blocks=[Heading(f"Announcement of {ctx.b.district.slug.title()} District Office", center=True),
                    Heading("Subject: Anti-Bribery Policy", center=True),
                    f"Fiscal Year B.E. {fy} ({fy - 543})",
                    f"{ctx.b.district.slug.title()} District Office is committed to performing its duties with "
                    "honesty, transparency and accountability. The Office therefore announces this Anti-Bribery "
                    "Policy as follows.",
                    "1. All personnel shall not demand, accept or offer any bribe, directly or indirectly.",
                    "2. Executives at every level shall supervise their staff and set a good example.",
                    "3. The Office provides channels to report bribery and protects whistleblowers.",
                    f"Announced on {issued.day} {ENGLISH_MONTHS[issued.month - 1]} {issued.year}",
                    "Director of the District Office"],
            issued=issued, author=ctx.site_name, language="en")
        en = ctx.doc("anti-bribery-policy-en", english, "pdf", "scan" if scanned else "text", item="O18",
                     element="policy_en", fiscal_year=fy, folder=ctx.folder(18))
        rows.insert(1, Row("Anti-Bribery Policy (English Version)", issued, [ctx.a(en, "[PDF]")]))
        links.insert(2, ItaLink(en, "Anti-Bribery Policy (English)"))
    evidence_page(ctx, "O18", "นโยบายต่อต้านการรับสินบน (Anti-Bribery Policy)",
                  f"ประกาศนโยบายต่อต้านการรับสินบนและการรายงานผลของ{ctx.site_name}", rows, ("O18",))
    return links


def o19(ctx: Context) -> list[ItaLink]:
    fy = ctx.fy
    assessment = DocContent(
        title=f"การประเมินความเสี่ยงต่อการรับสินบน {fy_text(fy)}",
        blocks=[Heading(f"การประเมินความเสี่ยงต่อการรับสินบน {fy_text(fy)}", center=True),
                Heading(ctx.site_name, center=True),
                DocTable(["กระบวนงาน", "ความเสี่ยงต่อการรับสินบน", "โอกาส", "ผลกระทบ", "ระดับความเสี่ยง", "มาตรการควบคุม"],
                         [["การอนุญาตก่อสร้างอาคาร", "เรียกรับผลประโยชน์เพื่อเร่งรัดการพิจารณา", "3", "4", "สูง",
                           "กำหนดระยะเวลาพิจารณาและเผยแพร่สถานะคำขอ"],
                          ["การจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง", "ประเมินภาษีต่ำกว่าความเป็นจริงเพื่อแลกผลประโยชน์", "2", "4",
                           "ปานกลาง", "สุ่มตรวจการประเมินโดยผู้บังคับบัญชา"],
                          ["การจัดระเบียบผู้ค้าหาบเร่แผงลอย", "รับเงินเพื่อผ่อนผันการทำการค้า", "3", "3", "ปานกลาง",
                           "หมุนเวียนเจ้าหน้าที่และเปิดช่องทางร้องเรียน"]],
                         widths=[18, 26, 8, 8, 12, 28], title="ประเมินความเสี่ยง")],
        issued=ctx.day(11, 15), author=ctx.site_name, landscape=True)
    subject = f"รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงต่อการรับสินบน {fy_text(fy)}"
    body = ["ฝ่ายปกครองได้ดำเนินการตามมาตรการควบคุมความเสี่ยงต่อการรับสินบนครบทุกกระบวนงาน "
            "ผลการดำเนินการไม่พบเหตุการณ์การรับสินบน และระดับความเสี่ยงลดลงจากต้นปีงบประมาณ",
            DocTable(["กระบวนงาน", "มาตรการ", "ผลการดำเนินการ"],
                     [["การอนุญาตก่อสร้างอาคาร", "เผยแพร่สถานะคำขอ", "ดำเนินการแล้ว"],
                      ["การจัดเก็บภาษี", "สุ่มตรวจการประเมิน", "ดำเนินการแล้ว"]])]
    issued = ctx.day(4, 25)
    if ctx.defects.o19_not_addressed:
        report, defects = unaddressed_report(ctx, subject, body, issued), ("not_addressed",)
    else:
        report, defects = memo(ctx, subject, body, issued, number=230), ()
    a_pdf = ctx.doc("risk-assessment", assessment, "pdf", "text", item="O19", element="risk_assessment",
                    fiscal_year=fy, folder=ctx.folder(19))
    r_pdf = ctx.doc("risk-report", report, "pdf", "scan" if ctx.defects.o19_scanned else "text", item="O19",
                    element="risk_report", fiscal_year=fy, defects=defects, folder=ctx.folder(19))
    evidence_page(ctx, "O19", "การประเมินความเสี่ยงต่อการรับสินบน", "การประเมินความเสี่ยงและการจัดการความเสี่ยง",
                  [Row(assessment.title, assessment.issued, [ctx.a(a_pdf, "[PDF]")]),
                   Row(subject, issued, [ctx.a(r_pdf, "[PDF]")])], ("O19",))
    return [ItaLink(a_pdf, "[PDF]"), ItaLink(r_pdf, "[PDF]")]


def o20(ctx: Context) -> list[ItaLink]:
    title = f"แนวทางการปฏิบัติในการใช้ดุลพินิจของเจ้าหน้าที่ {ctx.site_name}"
    content = DocContent(
        title=title,
        blocks=[Heading(title, center=True),
                "เพื่อให้การใช้ดุลพินิจของเจ้าหน้าที่เป็นไปอย่างโปร่งใส เป็นธรรม และตรวจสอบได้ จึงกำหนดแนวทางดังนี้",
                "1. การใช้ดุลพินิจต้องเป็นไปตามกฎหมาย ระเบียบ และหลักเกณฑ์ที่เกี่ยวข้อง",
                "2. ต้องบันทึกเหตุผลประกอบการใช้ดุลพินิจทุกครั้ง และเสนอผู้บังคับบัญชาตามลำดับชั้น",
                "3. เปิดเผยหลักเกณฑ์การพิจารณาให้ประชาชนทราบล่วงหน้า"],
        issued=ctx.day(12, 1), author=ctx.site_name)
    word = ctx.doc("ดุลพินิจ", content, "docx", item="O20", element="discretion_guideline", fiscal_year=ctx.fy,
                   folder=ctx.folder(20))
    pdf = ctx.doc("ดุลพินิจ", content, "pdf", "text", item="O20", element="discretion_guideline",
                  fiscal_year=ctx.fy, folder=ctx.folder(20))
    evidence_page(ctx, "O20", "แนวทางการปฏิบัติในการใช้ดุลพินิจ", "แนวทางการปฏิบัติสำหรับเจ้าหน้าที่",
                  [Row(title, content.issued, [ctx.a(word, "[WORD]"), ctx.a(pdf, "[PDF]")])], ("O20",))
    return [ItaLink(word, "[WORD]"), ItaLink(pdf, "[PDF]")]


def o21(ctx: Context) -> list[ItaLink]:
    docs = [
        ("แนวทางการใช้ทรัพย์สินของทางราชการ และขั้นตอนการยืม-คืนพัสดุ", "state_property", "split_sara_am",
         ["ห้ามนำทรัพย์สินของทางราชการไปใช้เพื่อประโยชน์ส่วนตน", "การยืม-คืนพัสดุต้องทำบันทึกขออนุญาตและส่งคืนภายในกำหนด"]),
        ("แนวทางการรับและบริหารจัดการของบริจาค", "donations",
         "text", ["ของบริจาคต้องลงทะเบียนรับและออกใบอนุโมทนาบัตร", "การนำของบริจาคไปใช้ต้องตรงตามวัตถุประสงค์ของผู้บริจาค"]),
        ("แนวทางการจัดเก็บและดูแลรักษาของกลาง", "seized_goods", "text",
         ["ของกลางต้องบันทึกในบัญชีของกลางและเก็บรักษาในสถานที่ที่กำหนด", "การคืนหรือทำลายของกลางต้องมีคณะกรรมการ"]),
    ]
    rows = []
    for n, (title, element, variant, points) in enumerate(docs, start=1):
        content = DocContent(title=title, blocks=[Heading(title, center=True), Heading(ctx.site_name, center=True),
                                                  *[f"{k}. {p}" for k, p in enumerate(points, start=1)],
                                                  "ให้เจ้าหน้าที่ถือปฏิบัติโดยเคร่งครัด หากฝ่าฝืนจะดำเนินการทางวินัย"],
                             issued=ctx.day(12, 10 + n), author=ctx.site_name)
        doc = ctx.doc(f"asset-{n}", content, "pdf", variant, item="O21", element=element, fiscal_year=ctx.fy,
                      folder=ctx.folder(21))
        rows.append(Row(title, content.issued, [ctx.a(doc, "[PDF]")]))
    evidence_page(ctx, "O21", "การจัดการทรัพย์สินของราชการ ของบริจาค และของกลาง",
                  "แนวทางการจัดการทรัพย์สินของทางราชการ", rows, ("O21",))
    return [ItaLink(ctx.paths["O21"], "การจัดการทรัพย์สินของราชการ ของบริจาค และการจัดเก็บของกลาง")]


def o22(ctx: Context) -> list[ItaLink]:
    fy = ctx.fy
    follow = "ประชุมติดตามคณะทำงาน ทุก 15 วัน"
    measures = DocContent(
        title=f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน {fy_text(fy)}",
        blocks=[Heading(f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน {fy_text(fy)}", center=True),
                Heading(f"{ctx.site_name} (การวิเคราะห์ผลการประเมิน ITA ปีที่ผ่านมา)", center=True),
                DocTable(["ผลการประเมิน", "การวิเคราะห์ข้อบกพร่อง/จุดอ่อน", "มาตรการ/กิจกรรมในการพัฒนาปรับปรุง",
                          "วิธีการสร้างการรับรู้", "ระยะเวลากำกับติดตามโดย ผอ.เขต", "ส่วนราชการที่รับผิดชอบ"],
                         [["ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่", "ต้องส่งเสริมการให้บริการอย่างเท่าเทียม",
                           "เสริมสร้างวัฒนธรรมการให้บริการด้วยใจ (Service mind)", "ประชุมชี้แจงเจ้าหน้าที่", follow, "ทุกฝ่าย"],
                          ["ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", "ข้อมูลบางรายการไม่ครบตามเงื่อนไข",
                           "ตรวจสอบความครบถ้วนของข้อมูลบนเว็บไซต์ทุกเดือน", "แจ้งผ่านกลุ่ม LINE ITA", follow, "ฝ่ายปกครอง"],
                          ["ตัวชี้วัดที่ 10 การป้องกันการทุจริต", "ต้องเผยแพร่มาตรการป้องกันการรับสินบน",
                           "จัดทำมาตรการป้องกันการรับสินบนและเผยแพร่ให้บุคลากรทราบ", "เผยแพร่ตามช่องทางต่าง ๆ", follow,
                           "ฝ่ายปกครอง"]],
                         widths=[16, 20, 22, 16, 14, 12], title="มาตรการ")],
        issued=ctx.day(12, 20), author=ctx.site_name, landscape=True)
    subject = f"รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน {fy_text(fy)} รอบ 6 เดือน"
    body = ["ฝ่ายปกครองได้ติดตามการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานครบทุกมาตรการ "
            "ทุกฝ่ายได้ดำเนินการตามแผนที่กำหนด รายละเอียดตามตารางแนบท้าย",
            DocTable(["มาตรการ", "ผลการดำเนินการ"],
                     [["เสริมสร้างวัฒนธรรมการให้บริการด้วยใจ", "ดำเนินการแล้ว"],
                      ["ตรวจสอบความครบถ้วนของข้อมูลบนเว็บไซต์", "ดำเนินการแล้ว"]])]
    issued = ctx.day(4, 28)
    if ctx.defects.o22_not_addressed:
        report, defects = unaddressed_report(ctx, subject, body, issued), ("not_addressed",)
    else:
        report, defects = memo(ctx, subject, body, issued, number=240), ()
    m_pdf = ctx.doc("ita-measures", measures, "pdf", "text", item="O22", element="integrity_measures",
                    fiscal_year=fy, folder=ctx.folder(22))
    report_row = Row(subject, issued, [])
    if ctx.defects.o22_thai_digit_scan:
        # The year is only inside the scan, in Thai digits: no year in the link, its row, the file
        # name or the folder.
        r_pdf = ctx.doc("", thai_numerals(report), "pdf", "scan", item="O22", element="measures_report",
                        fiscal_year=fy, defects=("thai_digits",), opaque=True)
        report_row = Row("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", None, [])
    else:
        r_pdf = ctx.doc("ita-measures-report", report, "pdf", "split_sara_am", item="O22",
                        element="measures_report", fiscal_year=fy, defects=defects, folder=ctx.folder(22))
    report_row.links.append(ctx.a(r_pdf, "[PDF]"))
    evidence_page(ctx, "O22", "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "มาตรการและการรายงานผล",
                  [Row(measures.title, measures.issued, [ctx.a(m_pdf, "[PDF]")]), report_row], ("O22",))
    if ctx.defects.o22_thai_digit_scan:   # the ITA index ("ITA 2567") links the page, not the scan
        return [ItaLink(m_pdf, "[PDF]"), ItaLink(ctx.paths["O22"], "รายงานผลการดำเนินการตามมาตรการ")]
    return [ItaLink(m_pdf, "[PDF]"), ItaLink(r_pdf, "[PDF]")]


ITEM_BUILDERS = [o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, o11, o12, o13, o14, o15, o16, o17, o18, o19, o20, o21, o22]

# The items' names as the ITA index (and the Samphanthawong analysis) print them.
ITEM_NAMES = {
    "O1": "ข้อมูลพื้นฐานของสำนักงานเขต",
    "O2": "นโยบายผู้ว่าราชการกรุงเทพมหานครและแผนที่เกี่ยวข้องกับการพัฒนากรุงเทพมหานคร",
    "O3": "โรงเรียนสังกัดกรุงเทพมหานคร ในพื้นที่เขต",
    "O4": "การประชาสัมพันธ์ข้อมูลผลการดำเนินงาน",
    "O5": "แผนปฏิบัติราชการประจำปี และรายงานผลการปฏิบัติราชการประจำปี",
    "O6": "คู่มือการปฏิบัติหน้าที่",
    "O7": "คู่มือการให้บริการประชาชน",
    "O8": "E-Service",
    "O9": "ข้อมูลสถิติการจัดเก็บภาษี",
    "O10": "ข้อมูลสถิติการจัดเก็บรายได้",
    "O11": "รายการการตรวจ (Checklist) ในการพิจารณาการออกใบอนุญาต",
    "O12": "ระบบติดตาม (Tracking System) สถานะการขอใบอนุญาต",
    "O13": "แผนการใช้จ่ายงบประมาณประจำปีและรายงานผลการใช้จ่ายงบประมาณประจำปี",
    "O14": "ข้อมูลงบประมาณ ข้อบัญญัติงบประมาณ ข้อมูลเงินอุดหนุนชุมชน",
    "O15": "ประกาศต่างๆ เกี่ยวกับการจัดซื้อจัดจ้าง และ สรุปผลการจัดซื้อจัดจ้างรายเดือน",
    "O16": "หลักเกณฑ์การบริหาร และพัฒนาทรัพยากรบุคคล",
    "O17": "ช่องทางการร้องเรียนการทุจริตและข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตประจำปี",
    "O18": "ประกาศนโยบายต่อต้านการรับสินบน (Anti-Bribery Policy) และการรายงานผลสู่การปฏิบัติ",
    "O19": "การประเมินความเสี่ยงต่อการรับสินบนและการรายงานผลการดำเนินการเพื่อจัดการความเสี่ยงต่อการรับสินบน",
    "O20": "แนวทางการปฏิบัติในการใช้ดุลยพินิจของเจ้าหน้าที่",
    "O21": "การจัดการทรัพย์สินของราชการ ของบริจาคและการจัดเก็บของกลาง",
    "O22": "มาตรการในการยกระดับคุณธรรมและความโปร่งใส และการรายงานผลการดำเนินงาน",
}
