"""The desk's text search in a real browser: every status in one search, acted on in place."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, AXE
from tests.e2e.test_desk_browser import (
    TEXTS,
    _axe,
    _axe_context,
    _held,
    _sign_in,
    _status,
    _suspect,
)
from tests.integration.conftest import submit


def test_a_search_of_every_status_keeps_each_card_in_place_and_passes_axe(
    browser, live, client, site, app, work, moderator
):
    _suspect(app, site)
    (held,) = _held(client, site, work, TEXTS[1:2])  # "... cá độ bóng đá ..."
    published = submit(client, site, "Đội bóng đá của tỉnh thắng lớn, chúc mừng các cầu thủ.")
    work()
    assert _status(client, site, published["id"]) == "approved"
    context = _axe_context(browser, live)
    page = context.new_page()
    _sign_in(page)
    page.get_by_role("searchbox", name="Tìm bình luận").fill("bong da")
    page.get_by_label("Tìm trong").select_option("all")
    page.keyboard.press("Enter")
    page.wait_for_url("**within=all**")
    assert "Tìm thấy 2 bình luận có «bong da» ở mọi trạng thái" in page.inner_text("main")
    cards = page.locator("#cards .card")
    assert cards.evaluate_all("cs => cs.map(c => c.id)") == [f"c-{published['id']}", f"c-{held}"]
    if AXE.exists():
        assert _axe(page) == []
    page.locator(f"#c-{held} button.approve").click()
    page.locator(f"#c-{held} .status.s-approved").wait_for()  # still listed, its new status
    assert page.locator(f"#c-{held}").is_visible()
    assert _status(client, site, held) == "approved"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-every-status.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(ARTIFACTS / "search-every-status-375.png"))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0, f"the results page scrolls sideways by {overflow}px at 375px"
