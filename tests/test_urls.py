"""URL identity and scope."""
import pytest
from urllib.parse import quote

from crawler.text.urls import Scope, canonical, filename_from_disposition, looks_like_trap

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
