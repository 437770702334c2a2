"""report.html as a person sees it: rendered by headless Chromium, offline, with Thai fonts.

Chromium runs with the page's own Content-Security-Policy, so nothing in the report can run a script;
where a test must measure layout it loads the report inside a probe page of its own (an iframe at phone
width) instead of changing the report.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from reports.html import CSS, render_html
from crawler.text.format import safe_url
from reports.writer import write_reports
from test_reports import JS_URL, SCRIPT_TITLE, build_report, evidence_urls

CHROMIUM = "/usr/bin/chromium"
FAILED = ["O5", "O15", "O18", "O19", "O22"]
THAI_HEADINGS = ["สำนักงานเขตสัมพันธวงศ์", "ต้องแก้ไข", "ผลรายข้อ O1–O22", "ข้อมูลสถิติการจัดเก็บภาษี",
                 "ปีงบประมาณ", "หน่วยงานรับผิดชอบ"]

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason=f"{CHROMIUM} is not installed: the browser checks of report.html need it")


# --------------------------------------------------------------------------------------------------
# Static checks: no browser needed


def test_html_is_self_contained_and_safe():
    page = render_html(build_report(history=True))
    assert page.startswith("<!doctype html>\n<html lang=\"th\">")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert ('<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">") in page
    assert "<script" not in page.lower()
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", page, re.IGNORECASE), "inline event handler"
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page, re.IGNORECASE), "external resource"
    assert "@import" not in page and "url(" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page.lower()


def test_html_unpublished_report_has_a_banner_and_no_score():
    page = render_html(build_report(published=False))
    assert "ไม่เผยแพร่คะแนน: การเก็บข้อมูลเว็บไซต์ไม่สมบูรณ์" in page
    assert "หน้าเว็บตอบกลับด้วยข้อผิดพลาด 41% ของคำขอ (เกิน 20%)" in page
    assert "73.75" not in page and "29.50" not in page


def test_html_history_chart_only_when_there_is_history():
    assert 'id="history"' not in render_html(build_report())
    page = render_html(build_report(history=True))
    assert 'id="history"' in page and "<polyline" in page and "61.25" in page


def test_html_labels_every_status_in_words_and_lists_review_after_failures():
    report = build_report()
    report["items"][1].update(status="review", reason_th="ไฟล์สแกน อ่านไม่ชัด")          # O2
    report["items"][9].update(status="unreachable", reason_th="เปิดไฟล์ไม่ได้")          # O10
    index = DomIndex(render_html(report))
    fix_section = [i for i, _ in index.items][:8]
    assert fix_section == ["O5", "O9", "O15", "O18", "O19", "O22", "O2", "O10"]
    page = render_html(report)
    for label in ("ผ่าน", "ได้บางส่วน", "ไม่ผ่าน", "เข้าถึงไม่ได้", "ต้องตรวจสอบ"):
        assert f"{label} <span class=\"en\">" in page, label
    assert 'class="basis b-S">S</span> มีแหล่งอ้างอิง' in page
    assert 'class="basis b-I">I</span> อนุมาน' in page


# --------------------------------------------------------------------------------------------------
# Chromium


def chromium(*args: str, profile: Path, env: dict | None = None, timeout: int = 90) -> str:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    assert done.returncode == 0, f"chromium failed ({done.returncode}): {done.stderr[-2000:]}"
    return done.stdout


class DomIndex(HTMLParser):
    """Tags, hrefs and data-item/data-status in document order, from a dumped DOM."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.items: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "a" and attrs.get("href") is not None:
            self.hrefs.append(attrs["href"])
        if attrs.get("data-item"):
            self.items.append((attrs["data-item"], attrs.get("data-status", "")))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    root = tmp_path_factory.mktemp("browser")
    report = build_report(history=True)
    html_path = write_reports(report, root, formats=["html"])[0]
    url = html_path.resolve().as_uri()
    dom = chromium("--dump-dom", url, profile=root / "profile")
    shot = root / "report-1280.png"
    chromium("--window-size=1280,4000", f"--screenshot={shot}", url, profile=root / "profile")
    print(f"desktop screenshot: {shot}")
    return {"root": root, "report": report, "html": html_path, "dom": dom, "index": DomIndex(dom), "shot": shot}


def _busy(image: Image.Image) -> tuple[int, float]:
    """(distinct colours, share of pixels that are not the page background)."""
    rgb = image.convert("RGB")
    colours = rgb.getcolors(maxcolors=1 << 20) or []
    background = max(colours)[1] if colours else (255, 255, 255)
    other = sum(n for n, c in colours if c != background)
    return len(colours), other / (rgb.width * rgb.height)


@needs_chromium
def test_screenshot_is_a_rendered_page(rendered):
    image = Image.open(rendered["shot"])
    assert image.size == (1280, 4000)
    colours, ink = _busy(image.crop((0, 0, 1280, 1600)))
    assert colours > 200, "the screenshot looks blank"
    assert ink > 0.3


@needs_chromium
def test_dom_has_the_thai_text(rendered):
    for text in THAI_HEADINGS:
        assert text in rendered["dom"], text


PROBE = """<!doctype html><html lang="th"><head><meta charset="utf-8"><style>
span{{font-size:40px;font-family:{family}}}</style></head><body><div id="out"></div>{spans}
<script>
const w = [...document.querySelectorAll('span')].map(s => s.getBoundingClientRect().width.toFixed(2));
document.getElementById('out').setAttribute('data-w', w.join(','));
</script></body></html>"""
CONSONANTS = "กมฬฒบอ"


def _glyph_widths(tmp: Path, env: dict | None = None) -> list[float]:
    """Widths of single Thai consonants in the report's own font stack, as Chromium lays them out."""
    family = re.search(r"body\{[^}]*?font-family:([^;}]+)", CSS).group(1)
    probe = tmp / "thai-probe.html"
    probe.write_text(PROBE.format(family=family, spans="".join(f"<span>{c}</span>" for c in CONSONANTS)),
                     encoding="utf-8")
    dom = chromium("--dump-dom", probe.as_uri(), profile=tmp / "probe-profile", env=env)
    return [float(w) for w in re.search(r'data-w="([^"]+)"', dom).group(1).split(",")]


@needs_chromium
def test_thai_renders_with_real_glyphs(rendered, tmp_path):
    fonts = subprocess.run(["fc-list", ":lang=th", "family"], capture_output=True, text=True).stdout.split("\n")
    assert any(f.strip() for f in fonts), "no Thai font installed (apt-get install fonts-thai-tlwg)"
    # Without a Thai font every consonant is the same missing-glyph box; real glyphs differ in width.
    widths = _glyph_widths(tmp_path)
    assert len(set(widths)) >= 3, f"Thai consonants all render {widths[0]}px wide: tofu, not Thai"


@needs_chromium
def test_thai_probe_would_catch_missing_fonts(tmp_path):
    """The control: the same probe with only DejaVu (no Thai glyphs) visible to fontconfig sees tofu."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not dejavu.is_dir():
        pytest.skip("DejaVu fonts not installed: no font without Thai to compare against")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<dir>{dejavu}</dir><cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>')
    widths = _glyph_widths(tmp_path, env={"FONTCONFIG_FILE": str(conf)})
    assert len(set(widths)) == 1, widths


@needs_chromium
def test_items_to_fix_come_before_any_passing_item(rendered):
    order = rendered["index"].items
    first_pass = next(n for n, (_, status) in enumerate(order) if status == "pass")
    positions = {item: next(n for n, (i, _) in enumerate(order) if i == item) for item in FAILED + ["O9"]}
    assert all(p < first_pass for p in positions.values()), (positions, first_pass)
    statuses = dict(order)
    assert all(statuses[i] == "fail" for i in FAILED) and statuses["O9"] == "partial"
    ids = [i for i, _ in order]
    assert ids[:6] == ["O5", "O9", "O15", "O18", "O19", "O22"]         # the "ต้องแก้ไข" section
    assert ids[6:] == [f"O{n}" for n in range(1, 23)]                   # then every item, in order


@needs_chromium
def test_every_evidence_url_is_a_link(rendered):
    hrefs = set(rendered["index"].hrefs)
    urls = evidence_urls(rendered["report"])
    linked = [u for u in urls if safe_url(u)]
    assert len(linked) == len(urls) - 1                     # all but the javascript: one
    missing = [u for u in linked if safe_url(u) not in hrefs]
    assert not missing, missing[:5]
    assert not [h for h in hrefs if not re.match(r"^(https?://|#)", h)], "a link that is not http(s)"
    assert JS_URL in rendered["dom"]                          # shown as text


@needs_chromium
def test_site_markup_stays_text(rendered):
    dom = rendered["dom"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "script" not in rendered["index"].tags
    assert not [h for h in rendered["index"].hrefs if h.lower().lstrip().startswith("javascript:")]
    assert SCRIPT_TITLE not in dom


PHONE_PROBE = """<!doctype html><html><head><meta charset="utf-8"><style>
body{{margin:0;background:#fff}} iframe{{border:0;width:{width}px;height:{height}px;display:block}}</style></head>
<body><iframe id="f" src="{src}"></iframe><div id="out"></div>
<script>
const f = document.getElementById('f');
window.addEventListener('load', () => {{  // fires after the frame has loaded
  const d = f.contentDocument, root = d.documentElement;
  const wide = [...d.querySelectorAll('body *')].filter(el => !el.closest('.table-wrap'))
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 0.5)
    .map(el => el.tagName.toLowerCase() + '.' + el.getAttribute('class'));
  document.getElementById('out').setAttribute('data-m', JSON.stringify(
    {{scroll: root.scrollWidth, client: root.clientWidth, height: root.scrollHeight, wide: wide.slice(0, 10)}}));
}});
</script></body></html>"""


@needs_chromium
def test_phone_width_has_no_horizontal_overflow(rendered):
    # Headless windows are at least 500px wide, so the report is laid out in a 390px iframe of a
    # probe page (file access lets the probe read the frame; the report itself stays script-free).
    root = rendered["root"]
    probe = root / "phone-probe.html"
    probe.write_text(PHONE_PROBE.format(width=390, height=30000, src=rendered["html"].name), encoding="utf-8")
    dom = chromium("--allow-file-access-from-files", "--dump-dom", probe.as_uri(), profile=root / "profile")
    measured = json.loads(re.search(r"data-m=\"([^\"]+)\"", dom).group(1).replace("&quot;", '"'))
    assert measured["client"] == 390
    assert measured["scroll"] <= measured["client"], measured
    assert not measured["wide"], measured

    shot_probe = root / "phone-shot.html"
    shot_probe.write_text(PHONE_PROBE.format(width=390, height=2400, src=rendered["html"].name), encoding="utf-8")
    shot = root / "report-390.png"
    chromium("--allow-file-access-from-files", "--window-size=500,2400", f"--screenshot={shot}",
             shot_probe.as_uri(), profile=root / "profile")
    print(f"phone screenshot: {shot}")
    colours, ink = _busy(Image.open(shot).crop((0, 0, 390, 2400)))
    assert colours > 100 and ink > 0.2


@needs_chromium
def test_unpublished_banner_renders(tmp_path):
    html_path = write_reports(build_report(published=False), tmp_path, formats=["html"])[0]
    dom = chromium("--dump-dom", html_path.resolve().as_uri(), profile=tmp_path / "profile")
    assert "ไม่เผยแพร่คะแนน" in dom and "เก็บหน้าเว็บได้เพียง 12 หน้า" in dom
    assert 'role="alert"' in dom

