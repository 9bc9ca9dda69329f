"""The desk in a real browser: sign in, keyboard, bulk, ban, settings, XSS, screenshots, axe."""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.store import accounts, moderator_accounts
from service.store.bans import bans_for
from service.store.site_models import add_example, model_status
from tests.e2e.conftest import ARTIFACTS, AXE
from tests.integration.conftest import MOD_PASSWORD, SiteFixture, make_site, submit
from workers.site_training import retrain_due_sites

SUSPECT = "cá độ"
ADMIN_PASSWORD = "quản-trị-thử-456"
XSS = (
    f"Xem {SUSPECT} ở đây <script>window.__pwned=1</script>"
    '<img src=x onerror="window.__pwned=2;alert(2)">'
    ' <a href="javascript:window.__pwned=3">bấm</a> <b onmouseover="alert(4)">đậm</b>'
)
TEXTS = [
    f"Trang {SUSPECT} này uy tín lắm, mọi người thử xem.",
    f"Ai chơi {SUSPECT} bóng đá thì nhắn mình nhé các bạn.",
    f"Mùa giải này {SUSPECT} nhiều quá, báo nên viết thêm về chuyện này.",
    f"Chuyện {SUSPECT} ở quê tôi cũng có, chính quyền cần vào cuộc sớm.",
]


def _suspect(app: Flask, site: SiteFixture, **rules: object) -> None:
    db = app.extensions["duyet"].db
    accounts.update_site(db, site.id, config={"suspect_words": [SUSPECT], **rules})


def _held(client: FlaskClient, site: SiteFixture, work, texts: list[str], **fields) -> list[int]:  # type: ignore[no-untyped-def]
    ids = [submit(client, site, text, **fields)["id"] for text in texts]
    work()
    for comment_id in ids:
        assert _status(client, site, comment_id) == "held"
    return ids


def _status(client: FlaskClient, site: SiteFixture, comment_id: int) -> str:
    return client.get(f"/v1/comments/{comment_id}", headers=site.headers).json["status"]


def _until(page, condition: str, timeout: float = 10) -> None:  # type: ignore[no-untyped-def]
    """Wait for a condition in the page (wait_for_function's polling is refused by the CSP)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(condition) and time.monotonic() < deadline:
        page.wait_for_timeout(50)


def _sign_in(page, username: str = "bientap", password: str = MOD_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto("/mod/queue")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/mod/(queue|settings)"))


def test_held_comment_shows_its_reason_and_is_approved_by_keyboard(
    page, client, site, app, work, moderator
):
    _suspect(app, site)
    (comment_id,) = _held(client, site, work, TEXTS[:1])
    _sign_in(page)
    card = page.locator(f"#c-{comment_id}")
    assert card.locator("mark.hl").first.inner_text().startswith(SUSPECT)
    assert "Chứa từ cần xem xét" in card.locator(".reasons").inner_text()
    assert page.locator('[data-count="held"]').inner_text() == "1"
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == f"c-{comment_id}"
    page.keyboard.press("a")
    card.wait_for(state="hidden")
    assert page.locator('[data-count="held"]').inner_text() == "0"
    assert "Đã duyệt" in page.locator("#toast").inner_text()
    assert _status(client, site, comment_id) == "approved"
    thread = client.get("/v1/articles/bai-1/comments", headers=site.headers).json
    assert [c["id"] for c in thread["comments"]] == [comment_id]


def test_undo_by_keyboard_puts_the_comment_back(page, client, site, app, work, moderator):
    _suspect(app, site)
    (comment_id,) = _held(client, site, work, TEXTS[1:2])
    _sign_in(page)
    page.keyboard.press("j")
    page.keyboard.press("s")
    page.locator(f"#c-{comment_id}").wait_for(state="hidden")
    assert _status(client, site, comment_id) == "spam"
    page.keyboard.press("u")
    page.locator(f"#c-{comment_id}").wait_for(state="visible")
    _until(page, "document.querySelector('[data-count=\"held\"]').textContent === '1'")
    assert page.locator('[data-count="held"]').inner_text() == "1"
    assert _status(client, site, comment_id) == "held"
    assert page.locator("#toast").inner_text() == f"Đã hoàn tác #{comment_id}."


def test_undo_says_so_when_nothing_was_undone(page, client, site, app, work, moderator):
    _suspect(app, site)
    (comment_id,) = _held(client, site, work, TEXTS[1:2])
    moderator_accounts.create_moderator(app.extensions["duyet"].db, "bientap2", ADMIN_PASSWORD)
    _sign_in(page)
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.locator(f"#c-{comment_id}").wait_for(state="hidden")
    url = f"/v1/moderation/comments/{comment_id}/decision"  # another moderator, right after
    meanwhile = client.post(url, json={"action": "spam"}, auth=("bientap2", ADMIN_PASSWORD))
    assert meanwhile.status_code == 200
    page.keyboard.press("u")
    toast = page.locator("#toast")
    toast.get_by_text(f"Không hoàn tác được #{comment_id}").wait_for()
    assert "Đã hoàn tác" not in toast.inner_text()
    assert "đã có thao tác khác" in toast.inner_text()
    assert page.locator(f"#c-{comment_id}").is_hidden()
    assert _status(client, site, comment_id) == "spam"


def test_keys_act_on_the_card_scrolled_to_not_one_off_screen(
    page, client, site, app, work, moderator
):
    _suspect(app, site)
    texts = [f"{TEXTS[n % 4]} Lần thứ {n}.\n" + "Dòng thêm cho dài.\n" * 6 for n in range(10)]
    ids = _held(client, site, work, texts)
    _sign_in(page)
    assert page.locator(".card.current").get_attribute("id") == f"c-{ids[0]}"
    page.mouse.move(600, 400)
    page.mouse.wheel(0, 2400)  # the moderator scrolls with the mouse, far past the first card
    _until(page, "window.scrollY > 2000")
    # The current card, and the card nearest the top with most of it in view.
    which = """() => [document.querySelector('.card.current').id,
        [...document.querySelectorAll('#cards .card')].find(c => {
            const r = c.getBoundingClientRect();
            const seen = Math.min(r.bottom, window.innerHeight) - Math.max(r.top, 0);
            return seen >= r.height / 2; }).id]"""
    _until(page, f"({which})()[0] !== 'c-{ids[0]}'", timeout=2)
    current, shown = page.evaluate(which)
    assert current == shown, f"the current card is {current}, the one in view is {shown}"
    page.keyboard.press("a")
    page.locator(f"#{shown}").wait_for(state="hidden")
    chosen = int(shown.removeprefix("c-"))
    assert _status(client, site, chosen) == "approved"
    assert _status(client, site, ids[0]) == "held"
    page.keyboard.press("j")  # the keys still move from there
    assert page.locator(".card.current").get_attribute("id") != f"c-{ids[0]}"


def test_the_tab_counts_stay_those_of_the_filtered_page(page, client, site, app, work, moderator):
    _suspect(app, site)
    (comment_id,) = _held(client, site, work, TEXTS[:1])
    other = make_site(app, "baokhac")
    _suspect(app, other)
    _held(client, other, work, TEXTS[1:3])
    _sign_in(page)
    page.goto(f"/mod/queue?site={site.slug}")
    assert page.locator('[data-count="held"]').inner_text() == "1"
    page.locator(f"#c-{comment_id}").get_by_role("button", name="Duyệt").click()
    page.locator(f"#c-{comment_id}").wait_for(state="hidden")
    _until(page, "document.querySelector('[data-count=\"approved\"]').textContent === '1'")
    assert page.locator('[data-count="held"]').inner_text() == "0"  # not the other site's 2


def test_a_section_scoped_moderator_sees_and_clears_only_their_sections_queue(
    page, client, site, app, work, moderator
):
    _suspect(app, site)
    sports = _held(client, site, work, TEXTS[:2], article_id="bd-1", article_section="the-thao")
    news = _held(client, site, work, TEXTS[2:], article_id="ts-1", article_section="thoi-su")
    db = app.extensions["duyet"].db
    moderator_accounts.set_scope(db, "bientap", [site.slug], ["the-thao"], "test")
    _sign_in(page)
    assert page.locator("#scope").inner_text() == (
        f"Phạm vi của bạn: trang {site.slug}; chuyên mục the-thao"
    )
    shown = page.locator("article.card").evaluate_all("cards => cards.map(c => c.id)")
    assert shown == [f"c-{i}" for i in sports]
    assert page.locator("#f-section option").all_inner_texts() == ["Mọi chuyên mục", "the-thao"]
    assert page.locator('[data-count="held"]').inner_text() == "2"
    for comment_id in sports:
        page.locator(f"#c-{comment_id}").get_by_role("button", name="Duyệt").click()
        page.locator(f"#c-{comment_id}").wait_for(state="hidden")
    _until(page, "document.querySelector('[data-count=\"held\"]').textContent === '0'")
    assert page.locator('[data-count="held"]').inner_text() == "0"  # not the news desk's 2
    assert [_status(client, site, i) for i in news] == ["held", "held"]
    answer = page.goto(f"/mod/comments/{news[0]}")  # another section's: as if missing
    assert answer is not None and answer.status == 404
    assert page.get_by_role("alert").inner_text() == "Không tìm thấy."


def test_bulk_marks_three_comments_as_spam(page, client, site, app, work, moderator):
    _suspect(app, site)
    ids = _held(client, site, work, TEXTS[:4])
    _sign_in(page)
    for comment_id in ids[:3]:
        page.get_by_label(f"Chọn bình luận #{comment_id}").check()
    assert page.locator("#picked").inner_text() == "Đã chọn: 3"
    page.get_by_role("button", name="Đánh dấu spam các mục đã chọn").click()
    for comment_id in ids[:3]:
        page.locator(f"#c-{comment_id}").wait_for(state="hidden")
    assert [_status(client, site, i) for i in ids] == ["spam", "spam", "spam", "held"]
    assert page.locator('[data-count="spam"]').inner_text() == "3"


def test_a_page_emptied_by_bulk_says_so(page, client, site, app, work, moderator):
    _suspect(app, site)
    ids = _held(client, site, work, TEXTS[:2])
    _sign_in(page)
    assert page.get_by_text("Không còn bình luận nào ở đây.").is_hidden()
    page.get_by_label("Chọn tất cả").check()
    page.get_by_role("button", name="Duyệt các mục đã chọn").click()
    for comment_id in ids:
        page.locator(f"#c-{comment_id}").wait_for(state="hidden")
    page.get_by_text("Không còn bình luận nào ở đây.").wait_for()
    page.keyboard.press("u")  # undo brings the cards back, and the message goes
    page.locator(f"#c-{ids[0]}").wait_for()
    assert page.get_by_text("Không còn bình luận nào ở đây.").is_hidden()


def test_an_expired_session_is_said_in_the_desks_language(page, client, site, app, work, moderator):
    _suspect(app, site)
    (comment_id,) = _held(client, site, work, TEXTS[:1])
    _sign_in(page)
    page.context.clear_cookies()  # the session ends while the page stays open
    page.locator(f"#c-{comment_id}").get_by_role("button", name="Duyệt").click()
    page.get_by_text("Phiên làm việc đã hết hạn hoặc yêu cầu không hợp lệ").wait_for()
    assert "CSRF" not in page.locator("#toast").inner_text()
    assert _status(client, site, comment_id) == "held"


def test_banned_author_has_the_next_comment_rejected(page, client, site, app, work, moderator):
    _suspect(app, site)
    email = "quangcao@example.vn"
    (comment_id,) = _held(client, site, work, TEXTS[2:3], author_email=email)
    _sign_in(page)
    card = page.locator(f"#c-{comment_id}")
    card.locator("summary", has_text="Chặn tác giả").click()
    card.get_by_label("Email").check()
    card.get_by_label("Thời hạn").select_option("30")
    card.get_by_role("button", name="Chặn", exact=True).click()
    card.wait_for(state="hidden")  # "also reject this comment" is on by default
    assert _status(client, site, comment_id) == "rejected"
    following = submit(client, site, "Cảm ơn bài viết rất hay và bổ ích.", author_email=email)
    work()
    assert _status(client, site, following["id"]) == "rejected"
    other = submit(
        client, site, "Mong báo tiếp tục theo dõi vụ việc này.", author_email="x@example.vn"
    )
    work()
    assert _status(client, site, other["id"]) == "approved"


def test_undo_after_ban_and_reject_says_the_ban_stays(page, client, site, app, work, moderator):
    _suspect(app, site)
    (comment_id,) = _held(client, site, work, TEXTS[2:3], author_email="quangcao@example.vn")
    _sign_in(page)
    card = page.locator(f"#c-{comment_id}")
    card.locator("summary", has_text="Chặn tác giả").click()
    card.get_by_role("button", name="Chặn", exact=True).click()
    card.wait_for(state="hidden")
    page.locator("#toast").get_by_role("button", name="Hoàn tác").click()
    card.wait_for(state="visible")
    toast = page.locator("#toast")
    toast.get_by_text(f"Lệnh chặn tác giả của #{comment_id} vẫn còn").wait_for()
    link = toast.get_by_role("link", name="Tất cả bình luận của tác giả")
    assert link.get_attribute("href") == f"/mod/authors?comment={comment_id}"
    assert _status(client, site, comment_id) == "held"


def test_banning_a_banned_author_again_says_it_extends_the_ban(
    page, client, site, app, work, moderator
):
    _suspect(app, site)
    first, second = _held(
        client, site, work, TEXTS[:2], author_email="quangcao@example.vn", ip="198.51.100.3"
    )
    _sign_in(page)
    card = page.locator(f"#c-{first}")
    card.locator("summary", has_text="Chặn tác giả").click()
    card.get_by_label("Từ chối luôn bình luận này").uncheck()
    card.get_by_role("button", name="Chặn", exact=True).click()
    page.locator("#toast").get_by_text(f"Đã chặn tác giả của #{first}.").wait_for()
    card.locator(".banned", has_text="Tác giả đã bị chặn đến").wait_for()  # refreshed
    page.reload()
    other = page.locator(f"#c-{second}")
    assert "(theo Email)" in other.locator(".banned").inner_text()
    other.locator("summary", has_text="Gia hạn chặn tác giả").click()
    assert other.get_by_label("Email").is_checked()
    button = other.locator(".ban-form button[type=submit]")
    assert button.inner_text() == "Gia hạn chặn"
    other.get_by_label("Địa chỉ IP").check()  # not banned: a new ban
    assert button.inner_text() == "Chặn"
    other.get_by_label("Email").check()
    other.get_by_label("Thời hạn").select_option("30")
    other.get_by_label("Từ chối luôn bình luận này").uncheck()
    other.evaluate("card => card.setAttribute('data-before', '')")
    button.click()
    toast = page.locator("#toast")
    toast.get_by_text(f"Tác giả của #{second} đã bị chặn đến").wait_for()
    assert ", nay gia hạn đến " in toast.inner_text()
    _until(page, f"!document.querySelector('#c-{second}').hasAttribute('data-before')")
    other = page.locator(f"#c-{second}")
    other.locator("summary", has_text="Gia hạn chặn tác giả").click()
    other.get_by_label("Thời hạn").select_option("1")
    other.get_by_label("Từ chối luôn bình luận này").uncheck()
    other.locator(".ban-form button[type=submit]").click()
    toast.get_by_text("lệnh chặn giữ nguyên").wait_for()
    assert _status(client, site, second) == "held"


def test_a_new_banned_word_applies_to_the_next_comment(page, client, site, app, work):
    moderator_accounts.create_moderator(
        app.extensions["duyet"].db, "quantri", ADMIN_PASSWORD, "admin"
    )
    before = submit(client, site, "Nhà cái này trả thưởng nhanh thật đấy.")
    work()
    assert _status(client, site, before["id"]) != "rejected"
    _sign_in(page, "quantri", ADMIN_PASSWORD)
    page.goto(f"/mod/settings/{site.slug}")
    page.get_by_label("Từ cấm").fill("nhà cái")
    page.get_by_role("button", name="Lưu cài đặt").click()
    page.get_by_text("Đã lưu cài đặt.").wait_for()
    after = submit(client, site, "Nhà cái uy tín nhất, vào ngay kẻo lỡ.")
    work()
    assert _status(client, site, after["id"]) == "rejected"


def test_an_admin_sees_what_the_profanity_list_held_and_lets_a_word_through(
    browser, live, client, site, app, work
):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install --no-save axe-core)")
    moderator_accounts.create_moderator(
        app.extensions["duyet"].db, "quantri", ADMIN_PASSWORD, "admin"
    )
    _held(client, site, work, ["Trận này hay vl, đá quá đỉnh", "Thủ môn bắt hay vl luôn"])
    context = _axe_context(browser, live)
    page = context.new_page()
    _sign_in(page, "quantri", ADMIN_PASSWORD)
    assert _axe(page, f"/mod/settings/{site.slug}") == []  # with the words' table shown
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "settings-full.png"), full_page=True)
    row = page.locator('table[data-reason="common_profanity"] tr[data-word="vl"] td')
    assert row.all_inner_texts()[0] == "2"  # held twice
    page.get_by_label("Từ trong danh sách có sẵn mà trang này vẫn đăng").fill("vl")
    page.get_by_role("button", name="Lưu cài đặt").click()
    page.get_by_text("Đã lưu cài đặt.").wait_for()
    page.get_by_text("Cả danh sách có sẵn").click()  # the whole list, what the box covers
    assert page.locator(".builtin-list li.through").all_inner_texts() == ["vl vẫn đăng"]
    assert _axe(page) == []  # with the list open
    page.screenshot(path=str(ARTIFACTS / "settings-list.png"), full_page=True)
    context.close()
    after = submit(client, site, "Hậu vệ chạy nhanh vl, xem đã mắt")
    work()
    assert _status(client, site, after["id"]) == "approved"


def test_an_admin_has_the_site_model_retrained_from_the_settings_page(
    page, client, site, app, work, redis, settings
):
    db = app.extensions["duyet"].db
    moderator_accounts.create_moderator(db, "quantri", ADMIN_PASSWORD, "admin")
    add_example(db, site.id, "Tour Đà Lạt trọn gói 2 ngày giá 990k, ib em nhé", "spam", "desk")
    add_example(db, site.id, "Cảm ơn báo đã đưa tin về cây cầu mới", "ham", "desk")
    _sign_in(page, "quantri", ADMIN_PASSWORD)
    page.goto(f"/mod/settings/{site.slug}")
    page.get_by_role("button", name="Huấn luyện lại ngay").click()
    page.get_by_text("đang chờ worker nhận").wait_for()
    assert retrain_due_sites(db, redis, settings) == [site.id]  # what the next sweep does
    page.reload()
    version = model_status(db, site.id).version
    assert version and page.get_by_text(version).is_visible()
    assert page.get_by_role("button", name="Huấn luyện lại ngay").count() == 0  # nothing new


def test_an_xss_payload_shows_as_text_and_runs_nothing(page, client, site, app, work, moderator):
    _suspect(app, site)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    (comment_id,) = _held(client, site, work, [XSS])
    _sign_in(page)
    card = page.locator(f"#c-{comment_id}")
    body = card.locator(".body")
    body.hover()
    assert "<script>window.__pwned=1</script>" in body.inner_text()
    assert body.locator("script, img, a, b").count() == 0
    page.goto(f"/mod/comments/{comment_id}")
    page.locator(".body").hover()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []


@pytest.mark.parametrize(("name", "width", "height"), [("desk", 1366, 768), ("phone", 390, 844)])
def test_queue_screenshots_have_nothing_cut_off(
    page, client, site, app, work, moderator, name, width, height
):
    _suspect(app, site)
    first = _held(client, site, work, TEXTS[:1], author_email="an@example.vn", ip="203.0.113.5")
    submit(client, site, TEXTS[1], parent_id=first[0], author_id="reader-42")
    submit(client, site, XSS, author_name="Người thử XSS")
    work()
    _sign_in(page)
    page.set_viewport_size({"width": width, "height": height})
    page.reload()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"queue-{name}-{width}x{height}.png"))
    page.screenshot(path=str(ARTIFACTS / f"queue-{name}-full.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.card *')].filter(el => {
               const r = el.getBoundingClientRect();
               return r.width > 0 && r.right > window.innerWidth + 1;
           }).map(el => el.tagName + '.' + el.className)"""
    )
    assert clipped == []
    page.goto("/mod/overview")
    page.screenshot(path=str(ARTIFACTS / f"overview-{name}-full.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the overview scrolls sideways by {overflow}px at {width}px"


@pytest.mark.parametrize("width", [1280, 375])
def test_the_author_page_wraps_long_names_and_titles(
    page, client, site, app, work, moderator, width
):
    _suspect(app, site)
    name = "Nguyễn" + "Văn" * 40
    title = "Tiêu-đề-rất-dài-" * 20
    long = {"author_name": name, "author_id": "u-" + "9" * 150, "article_title": title}
    (comment_id,) = _held(client, site, work, TEXTS[:1], **long)
    _sign_in(page)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/mod/authors?comment={comment_id}")
    assert name in page.locator("h1").inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the author page scrolls sideways by {overflow}px at {width}px"


def test_an_admin_creates_a_section_moderator_on_a_page_that_passes_axe(
    browser, live, client, site, app, work
):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install --no-save axe-core)")
    moderator_accounts.create_moderator(
        app.extensions["duyet"].db, "quantri", ADMIN_PASSWORD, "admin"
    )
    _suspect(app, site)
    _held(client, site, work, TEXTS[:1], article_id="bai-bong-da", article_section="Thể thao")
    context = _axe_context(browser, live)
    page = context.new_page()
    _sign_in(page, "quantri", ADMIN_PASSWORD)
    page.get_by_role("link", name="Biên tập viên").click()
    page.get_by_label("Tên đăng nhập").fill("thethao")
    page.get_by_role("button", name="Tạo tài khoản").click()
    password = page.locator("#new-password").inner_text()
    assert len(password) >= 12
    assert _axe(page) == []  # with the password shown once
    page.get_by_role("link", name="thethao").click()
    page.get_by_label(site.slug, exact=False).check()
    page.get_by_label("Chuyên mục (mỗi dòng").fill("Thể thao")
    assert "Thể thao" in page.locator("#sections-hint").inner_text()  # suggested
    page.get_by_role("button", name="Lưu phạm vi").click()
    page.get_by_text("Đã lưu phạm vi").wait_for()
    assert page.locator("#scope-words").inner_text() == f"trang {site.slug}; chuyên mục Thể thao"
    assert _axe(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "moderator-account.png"), full_page=True)
    assert _axe(page, "/mod/moderators") == []
    context.close()
    db = app.extensions["duyet"].db
    assert moderator_accounts.verify_moderator(db, "thethao", password).scope == {  # type: ignore[union-attr]
        "sites": [site.slug],
        "sections": ["Thể thao"],
    }


def test_the_desk_pages_pass_axe_with_no_serious_violations(
    browser, live, client, site, app, work, moderator
):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install --no-save axe-core)")
    _suspect(app, site)
    _held(client, site, work, TEXTS[:2], author_email="an@example.vn")
    context = _axe_context(browser, live)
    page = context.new_page()
    _sign_in(page)
    found = [v for path in ("/mod/queue", "/mod/overview", "/mod/login") for v in _axe(page, path)]
    context.close()
    assert found == []


def _axe_context(browser, live: str):  # type: ignore[no-untyped-def]
    # Only so axe's own script can be injected; the pages' CSP is tested elsewhere.
    return browser.new_context(base_url=live, bypass_csp=True)


def _axe(page, path: str | None = None) -> list[tuple[str, str, str, list[str]]]:  # type: ignore[no-untyped-def]
    """The serious and critical violations axe finds on one page (the open one: no path)."""
    if path:
        page.goto(path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        (page.url, v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_action_is_reachable_by_keyboard_with_visible_focus(
    page, client, site, app, work, moderator
):
    _suspect(app, site)
    (comment_id,) = _held(client, site, work, TEXTS[3:4], author_email="an@example.vn")
    _sign_in(page)
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const el = document.activeElement;
                 const style = getComputedStyle(el);
                 const ban = el.matches('details.ban > summary') ? 'ban' : null;
                 return [el.getAttribute('data-action') || ban || el.tagName.toLowerCase(),
                         style.outlineStyle, style.outlineWidth]; }"""
        )
        what, outline, width = info
        if what in ("approve", "reject", "spam", "ban"):
            reached.add(what)
            assert outline != "none" and width != "0px", f"no visible focus on {what}"
        if len(reached) == 4:
            break
    assert {"approve", "reject", "spam", "ban"} <= reached
    page.keyboard.press("Enter")  # on the ban summary: opens the form
    assert page.locator(f"#c-{comment_id} details.ban").get_attribute("open") is not None


def test_a_stale_card_is_not_overturned_and_is_refreshed(page, client, site, app, work, moderator):
    _suspect(app, site)
    (comment_id,) = _held(client, site, work, TEXTS[:1])
    moderator_accounts.create_moderator(app.extensions["duyet"].db, "bientap2", ADMIN_PASSWORD)
    _sign_in(page)
    card = page.locator(f"#c-{comment_id}")
    assert card.get_attribute("data-status") == "held"
    url = f"/v1/moderation/comments/{comment_id}/decision"  # another moderator, meanwhile
    meanwhile = client.post(url, json={"action": "reject"}, auth=("bientap2", ADMIN_PASSWORD))
    assert meanwhile.status_code == 200
    card.get_by_role("button", name="Duyệt").click()
    page.get_by_text("Biên tập viên khác vừa quyết định bình luận này").wait_for()
    assert "«Đã từ chối»" in page.locator("#toast").inner_text()
    _until(
        page,
        f"document.querySelector('#c-{comment_id}').getAttribute('data-status') === 'rejected'",
    )
    assert card.get_attribute("data-status") == "rejected"
    assert "bientap2" in card.locator(".latest").inner_text()
    assert card.locator("[data-status-label]").inner_text() == "Đã từ chối"
    assert _status(client, site, comment_id) == "rejected"
    card.get_by_role("button", name="Duyệt").click()  # seen as it is now: a deliberate overrule
    card.wait_for(state="hidden")
    assert _status(client, site, comment_id) == "approved"


def test_ban_and_reject_from_a_stale_card_bans_no_one_and_refreshes_it(
    page, client, site, app, work, moderator
):
    _suspect(app, site)
    email = "quangcao@example.vn"
    (comment_id,) = _held(client, site, work, TEXTS[:1], author_email=email)
    moderator_accounts.create_moderator(app.extensions["duyet"].db, "bientap2", ADMIN_PASSWORD)
    _sign_in(page)
    card = page.locator(f"#c-{comment_id}")
    url = f"/v1/moderation/comments/{comment_id}/decision"  # another moderator, meanwhile
    meanwhile = client.post(url, json={"action": "approve"}, auth=("bientap2", ADMIN_PASSWORD))
    assert meanwhile.status_code == 200
    card.locator("summary", has_text="Chặn tác giả").click()
    card.get_by_role("button", name="Chặn", exact=True).click()  # "also reject" is ticked
    page.get_by_text("Biên tập viên khác vừa quyết định bình luận này").wait_for()
    assert "«Đã duyệt»" in page.locator("#toast").inner_text()
    _until(
        page,
        f"document.querySelector('#c-{comment_id}').getAttribute('data-status') === 'approved'",
    )
    assert card.get_attribute("data-status") == "approved"
    assert _status(client, site, comment_id) == "approved"
    assert bans_for(app.extensions["duyet"].db, site.id, [("email", email)]) == []
    assert card.locator(".banned").count() == 0
