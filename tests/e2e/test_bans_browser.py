"""The desk's page of bans in a real browser: reached from the navigation, a ban lifted with
its button, and no serious accessibility violation (axe)."""

from __future__ import annotations

import pytest

from service.store.bans import add_ban, bans_for
from tests.e2e.conftest import AXE
from tests.e2e.test_desk_browser import _axe, _axe_context, _sign_in, _until


def test_a_ban_is_lifted_from_the_bans_page(browser, live, site, app, moderator):
    db = app.extensions["duyet"].db
    kept = add_ban(db, site.id, "ip", "203.0.113.5", "moderator:quantri").ban.id
    lifted = add_ban(db, site.id, "author", "u-77", "moderator:quantri", "rao vặt").ban.id
    context = _axe_context(browser, live)
    page = context.new_page()
    _sign_in(page)
    page.get_by_role("link", name="Lệnh chặn").click()
    page.get_by_role("heading", name="Lệnh chặn đang có hiệu lực").wait_for()
    page.locator(f'tr[data-ban="{lifted}"] button', has_text="Bỏ chặn").click()
    _until(page, f"!document.querySelector('tr[data-ban=\"{lifted}\"]')")
    assert page.locator(f'tr[data-ban="{lifted}"]').count() == 0
    assert page.locator(f'tr[data-ban="{kept}"]').count() == 1
    assert bans_for(db, site.id, [("author", "u-77")]) == []
    assert [b.id for b in bans_for(db, site.id, [("ip", "203.0.113.5")])] == [kept]
    if not AXE.exists():  # the lift is tested above either way; CI installs axe-core
        context.close()
        pytest.skip("axe-core is not installed (npm install --no-save axe-core)")
    assert _axe(page) == []
    context.close()
