"""URL identity and scope."""
import unicodedata
from urllib.parse import quote

import pytest

from crawler.text.urls import Scope, canonical, display_url, filename_from_disposition, looks_like_trap

SLUG = "ข้อมูลพื้นฐาน"


def test_thai_slug_raw_encoded_and_double_encoded_are_one_url():
    raw = f"http://127.0.0.1:8000/samphanthawong/page/main/12/{SLUG}"
    encoded = f"http://127.0.0.1:8000/samphanthawong/page/main/12/{quote(SLUG)}"
    double = f"http://127.0.0.1:8000/samphanthawong/page/main/12/{quote(quote(SLUG))}"
    assert canonical(raw) == canonical(encoded) == canonical(double)


def test_query_order_repeats_and_fragment_do_not_make_new_urls():
    a = canonical("http://h/x/news?page=2&sort=date#top")
    b = canonical("http://h/x/news?sort=date&page=2&sort=date")
    assert a == b
    assert canonical("http://h/x/news?page=3") != a


def test_scope_is_host_and_path_prefix():
    scope = Scope.from_start_url("https://webportal.bangkok.go.th/samphanthawong")
    assert scope.prefix == "/samphanthawong/"
    assert scope.contains("https://webportal.bangkok.go.th/samphanthawong/page/main/1/x")
    assert not scope.contains("https://webportal.bangkok.go.th/bangrak/page/main/1/x")
    assert not scope.contains("https://www.bangkok.go.th/samphanthawong/")
    assert Scope.from_start_url("http://h/samphanthawong/index.php").prefix == "/samphanthawong/"


@pytest.mark.parametrize("start, prefix", [
    ("https://webportal.bangkok.go.th/samphanthawong/page/main/1/หน้าแรก", "/samphanthawong/"),
    ("http://h/district/coverpages", "/district/"),
    ("http://h/home.php", "/"),
    ("http://h/index.jsp?lang=th", "/"),
    ("http://h", "/"),
])
def test_scope_is_the_site_not_the_start_urls_path(start, prefix):
    assert Scope.from_start_url(start).prefix == prefix


def test_scope_follows_a_redirect_of_the_start_url():
    assert str(Scope.from_start_url("http://h/").moved_to("https://h/Home")) == "https://h/"
    assert str(Scope.from_start_url("http://h/d/").moved_to("https://h/d/index.php")) == "https://h/d/"
    assert str(Scope.from_start_url("http://h/d/").moved_to("http://h/e/home")) == "http://h/e/"
    assert str(Scope.from_prefix("http://h/d/x", "/d/sub")) == "http://h/d/sub/"


def test_content_disposition_rfc5987_and_plain():
    thai = "รายงานผล 2567.pdf"
    header = f"attachment; filename=\"report.pdf\"; filename*=UTF-8''{quote(thai)}"
    assert filename_from_disposition(header) == thai
    assert filename_from_disposition('attachment; filename="plan.xlsx"') == "plan.xlsx"
    assert filename_from_disposition(f'attachment; filename="{thai}"'.encode()) == thai
    assert filename_from_disposition(None) == ""
    assert filename_from_disposition('attachment; filename="../../etc/passwd"') == "passwd"


def test_trap_shapes():
    assert looks_like_trap("http://h/a/" + "x" * 2000)
    assert looks_like_trap("http://h/a/cal/cal/cal/cal/cal")
    assert looks_like_trap("http://h/a/page/main/1/x") is None


# -- display_url: what reports show of a URL (the link keeps the real one) ---------------------------

PORTAL = "https://webportal.bangkok.go.th/samphanthawong/public/user_files_editor/34/ITA/2567"


def test_display_url_decodes_thai_and_keeps_the_file_name_when_shortening():
    shown = display_url(f"{PORTAL}/O9/{quote('สถิติภาษี 2567.xlsx')}")
    assert shown == "webportal.bangkok.go.th/…/34/ITA/2567/O9/สถิติภาษี 2567.xlsx"
    shown = display_url(f"{PORTAL}/O9/{quote('สถิติการจัดเก็บภาษี ปีงบประมาณ 2567.xlsx')}")
    assert "%E0" not in shown and len(shown) <= 60
    assert shown.startswith("webportal.bangkok.go.th/…/") and shown.endswith("เก็บภาษี ปีงบประมาณ 2567.xlsx")
    assert display_url(f"http://127.0.0.1:8000/s/{quote(quote(SLUG))}") == f"127.0.0.1:8000/s/{SLUG}"
    assert display_url("https://webportal.bangkok.go.th/samphanthawong/") == "webportal.bangkok.go.th/samphanthawong"


def test_display_url_cut_never_starts_on_a_thai_mark_and_keeps_a_query_start():
    name = "รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน พ.ศ. 2567.pdf"
    for width in range(30, 70):
        shown = display_url(f"https://x.test/a/{quote(name)}", width)
        assert len(shown) <= width, (width, shown)
        tail = shown.split("/…/")[1]
        assert tail.endswith(".pdf") and not unicodedata.combining(tail[0]) and unicodedata.category(tail[0]) != "Mn"
    drive = display_url("https://drive.google.com/drive/uc?export=download&id=1hGq7Xk2pQ0vS9aBcD3eF4gHxxxxxxx", 50)
    assert drive.startswith("drive.google.com/…/uc?export=download&id=1hGq") and drive.endswith("…")


def test_display_url_hides_credentials_controls_and_direction_overrides():
    assert display_url("https://user:secret@x.test/a.pdf") == "x.test/a.pdf"
    assert display_url("https://x.test/%E2%80%AEfdp.exe") == "x.test/�fdp.exe"     # not shown as exe.pdf
    assert "\n" not in display_url("https://x.test/a%0Ab.pdf")
    assert display_url("javascript:alert(1)") == "javascript:alert(1)"


@pytest.mark.parametrize("typed, url", [
    ("127.0.0.1:8701/x", "http://127.0.0.1:8701/x"),
    ("webportal.bangkok.go.th/samphanthawong/", "http://webportal.bangkok.go.th/samphanthawong/"),
    (" https://example.go.th/a ", "https://example.go.th/a"),
])
def test_an_address_typed_without_its_scheme_is_completed(typed, url):
    from crawler.text.urls import check_url
    assert check_url(typed) == url


@pytest.mark.parametrize("typed", ["ftp://x/", "samphanthawong", "not an address", "mailto:a@b.go.th"])
def test_what_is_not_a_web_address_is_refused_with_an_example(typed):
    from crawler.errors import InputError
    from crawler.text.urls import check_url
    with pytest.raises(InputError) as caught:
        check_url(typed)
    assert "ไม่ใช่ที่อยู่เว็บ" in str(caught.value) and "https://" in caught.value.hint


def test_unquote_gives_what_the_standard_library_gives():
    """crawler.text.urls.unquote decodes runs of escapes at once: on random mixes of escapes (valid
    UTF-8, cut sequences, lone bytes, bad hex, lower case), literal ASCII and Thai, it must give
    urllib.parse.unquote's string."""
    import random
    from urllib.parse import quote, unquote as stdlib_unquote
    from crawler.text.urls import unquote
    pieces = ["%", "%e0", "%B8", "%81", "%E0%B8%81%E0%B8%B2", "%41", "%2", "%zz", "%%", "%C3", "%A9", "%FF",
              "%80", "%F0%9F", "%98%80", "%25", "%00", "%2F", "a", "/", " ", "?", "ก", "ำ", "é", "\x7f",
              quote("ค่าใช้จ่าย"), quote(quote("แผน"))]
    rng = random.Random(16)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert unquote(text) == stdlib_unquote(text), text


def test_long_urls_are_canonicalised_alike_but_not_remembered():
    """A hostile page's long links are read every time: the caches of canonical() and extension()
    hold URLs of at most _REMEMBERED_URL_CHARS, so they stay bounded in memory as in entries."""
    from crawler.text import urls
    long = "http://127.0.0.1:8701/x/" + quote("ประกาศ" * 300) + ".pdf"
    short = "http://127.0.0.1:8701/x/" + quote("ประกาศ-test-long-urls") + ".pdf"     # met nowhere else
    before = [urls._remembered_canonical.cache_info().currsize, urls._remembered_canonicalized.cache_info().currsize,
              urls._remembered_extension.cache_info().currsize]
    assert canonical(long) == canonical(long.replace("%E0%B8%9B", "ป")) == urls._canonical(long)
    assert urls.extension(long) == "pdf"
    assert [urls._remembered_canonical.cache_info().currsize, urls._remembered_canonicalized.cache_info().currsize,
            urls._remembered_extension.cache_info().currsize] == before
    assert canonical(short) == urls._canonical(short) and urls.extension(short) == "pdf"
    assert urls._remembered_canonical.cache_info().currsize == before[0] + 1
