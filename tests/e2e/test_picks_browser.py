"""Editors' picks in a real browser: Feature on a published comment's card, then its badge."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import AXE
from tests.e2e.test_desk_browser import _axe, _axe_context, _sign_in, _until
from tests.integration.conftest import submit

CLEAN = "Cảm ơn báo đã đưa tin kịp thời về tình hình mưa lũ ở huyện mình."
THREAD = "/v1/articles/bai-1/comments"


def _picks(client, site) -> list[int]:  # type: ignore[no-untyped-def]
    thread = client.get(f"{THREAD}?featured=true", headers=site.headers).json
    return [c["id"] for c in thread["comments"]]


def test_a_moderator_features_a_comment_on_its_card_and_sees_the_badge(
    page, client, site, app, work, moderator
):
    comment_id = submit(client, site, CLEAN)["id"]
    work()  # the engine publishes it
    _sign_in(page)
    page.goto("/mod/queue?tab=approved")
    card = page.locator(f"#c-{comment_id}")
    assert card.locator(".featured-badge").count() == 0
    card.get_by_role("button", name="Chọn đăng nổi bật").click()
    page.wait_for_url(re.compile(rf"/mod/queue\?tab=approved#c-{comment_id}$"))
    card = page.locator(f"#c-{comment_id}")
    assert card.locator(".featured-badge").inner_text() == "Nổi bật"
    assert card.get_by_role("button", name="Bỏ nổi bật").is_visible()
    assert _picks(client, site) == [comment_id]
    # On its own page a reject takes the comment out of the thread, and its pick with it.
    page.goto(f"/mod/comments/{comment_id}")
    assert page.locator(f"#c-{comment_id} .featured-badge").inner_text() == "Nổi bật"
    page.locator(f"#c-{comment_id} button.reject").click()
    gone = f"document.querySelector('#c-{comment_id}[data-status=rejected] .featured-badge')"
    _until(page, f"document.querySelector('#c-{comment_id}[data-status=rejected]') && !{gone}")
    assert page.locator(f"#c-{comment_id} .feature-form").count() == 0
    assert _picks(client, site) == []


def test_the_approved_tab_with_a_pick_passes_axe(browser, live, client, site, app, work, moderator):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install --no-save axe-core)")
    comment_id = submit(client, site, CLEAN)["id"]
    work()
    context = _axe_context(browser, live)
    page = context.new_page()
    _sign_in(page)
    page.goto("/mod/queue?tab=approved")
    page.locator(f"#c-{comment_id}").get_by_role("button", name="Chọn đăng nổi bật").click()
    page.wait_for_url(re.compile(r"#c-\d+$"))
    found = _axe(page) + _axe(page, f"/mod/comments/{comment_id}")
    context.close()
    assert found == []
