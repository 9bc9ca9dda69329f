"""Links: count, blocked domains, shorteners, chat-app links and dodged bare domains."""

from __future__ import annotations

import pytest

from tests.unit.engine.helpers import check, codes, spans_of
from workers.engine.normalize import normalize
from workers.engine.rules.links import drop_page_links, find_links
from workers.engine.types import Context, SiteRules


def test_one_ordinary_link_is_fine() -> None:
    assert check("Nguồn: https://vnexpress.net/bai-viet-123.html") == []


def test_too_many_links_hold_with_every_link_highlighted() -> None:
    body = "a.com, https://b.net/x và www.c.org."
    reasons = check(body, Context(rules=SiteRules(max_links=2)))
    assert codes(reasons) == {"too_many_links": "hold"}
    assert spans_of(body, reasons, "too_many_links") == ["a.com", "https://b.net/x", "www.c.org"]


def test_blocked_domain_and_its_subdomains_are_spam() -> None:
    context = Context(rules=SiteRules(blocked_domains=("nhacai88.com",)))
    body = "Vào HTTPS://M.NhaCai88.com/khuyen-mai ngay"
    reasons = check(body, context)
    assert codes(reasons)["blocked_domain"] == "spam"
    assert spans_of(body, reasons, "blocked_domain") == ["HTTPS://M.NhaCai88.com/khuyen-mai"]
    assert check("Xem notnhacai88.com", context) == []


@pytest.mark.parametrize("url", ["bit.ly/3abc", "https://tinyurl.com/y2k", "t.co/x1", "rb.gy/q"])
def test_shorteners_hold(url: str) -> None:
    assert codes(check(f"xem {url} nhé")) == {"url_shortener": "hold"}


@pytest.mark.parametrize(
    "body",
    [
        "vào nhacai88 . com nhé",
        "vào nhacai88[.]com nhé",
        "vào nhacai88 chấm com nhé",
        "vào nhacai88 cham com nhé",
        "vào nhacai88 (dot) com nhé",
        "vào nhacai88. com nhé",
    ],
)
def test_dodged_bare_domains_are_spam(body: str) -> None:
    reasons = check(body)
    assert codes(reasons) == {"obfuscated_link": "spam"}
    assert spans_of(body, reasons, "obfuscated_link")[0].startswith("nhacai88")
    assert reasons[0].message.endswith("nhacai88.com")


def test_full_width_dot_still_makes_a_link() -> None:
    body = "nhacai88\uff0ecom"
    assert [link.host for link in find_links(normalize(body).clean)] == ["nhacai88.com"]
    context = Context(rules=SiteRules(blocked_domains=("nhacai88.com",)))
    assert codes(check(body, context)) == {"blocked_domain": "spam"}


def test_chat_app_links_are_spam() -> None:
    assert codes(check("kết bạn t.me/kiemtien99"))["messenger_link"] == "spam"


def test_prose_with_periods_is_not_a_link() -> None:
    assert check("Tôi đồng ý. Com lê thì đắt. TP.HCM mưa to, v.v.") == []


PAGE = "https://baotinh.example.vn/thoi-su/duong-xa-123.html"


@pytest.mark.parametrize(
    "link",
    [
        PAGE,
        "http://www.baotinh.example.vn/thoi-su/duong-xa-123.html/",
        "https://m.baotinh.example.vn/thoi-su/duong-xa-123.html?utm_source=facebook",
        "HTTPS://BAOTINH.EXAMPLE.VN/thoi-su/duong-xa-123.html#binh-luan",
    ],
)
def test_links_back_to_the_page_are_blanked_for_the_classifier(link: str) -> None:
    assert drop_page_links(f"Bài này: {link}. Đọc đi", (PAGE,)) == "Bài này:  . Đọc đi"


@pytest.mark.parametrize(
    "link",
    [
        "https://baotinh.example.vn/thoi-su/bai-khac-456.html",
        "https://nhacai88.com/thoi-su/duong-xa-123.html",
        "https://www.youtube.com/watch?v=other",
    ],
)
def test_links_elsewhere_are_kept(link: str) -> None:
    pages = (PAGE, "https://www.youtube.com/watch?v=CevxZvSJLk8")
    assert drop_page_links(f"xem {link} nhé", pages) == f"xem {link} nhé"


def test_a_page_named_by_its_query_matches_with_extra_parameters() -> None:
    page = ("https://www.youtube.com/watch?v=CevxZvSJLk8",)
    text = "Roar: https://youtube.com/watch?feature=share&v=CevxZvSJLk8 and http://[bad"
    assert drop_page_links(text, page) == "Roar:   and http://[bad"


def test_links_to_the_page_do_not_count_toward_the_limit() -> None:
    body = f"{PAGE} {PAGE}?utm_medium=zalo và {PAGE}"
    context = Context(rules=SiteRules(max_links=2), page_urls=(PAGE,))
    assert check(body, context) == []
    assert codes(check(body, Context(rules=SiteRules(max_links=2)))) == {"too_many_links": "hold"}
    assert codes(check(body + " a.com b.net c.org", context)) == {"too_many_links": "hold"}
