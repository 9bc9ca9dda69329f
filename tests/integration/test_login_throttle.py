"""Failed sign-ins are throttled per client address, on the API and the desk alike.

Five failures for one account from one address lock that account for that address only, so
a stranger cannot lock a moderator out; twenty from one address, whatever the usernames,
stop that address. Each lock ends with its window (15 minutes from the first failure).
"""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import auth
from service.auth import clear_caches
from service.store import moderator_accounts
from tests.integration.conftest import MOD_PASSWORD
from tests.integration.test_desk import login
from workers.wsgi import create

ATTACKER, MODERATOR_IP = "203.0.113.66", "198.51.100.9"
WRONG = "sai-mat-khau"


def _from(app: Flask, ip: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def _queue(client: FlaskClient, username: str, password: str) -> int:
    return client.get("/v1/moderation/queue", auth=(username, password)).status_code


def test_a_strangers_failures_do_not_lock_the_moderator_out_elsewhere(app, moderator):
    attacker = _from(app, ATTACKER)
    for _ in range(10):
        assert _queue(attacker, "bientap", WRONG) == 401
    assert _queue(attacker, "bientap", MOD_PASSWORD) == 401  # locked for that address
    assert _queue(_from(app, MODERATOR_IP), "bientap", MOD_PASSWORD) == 200


def test_one_address_trying_many_usernames_is_stopped(app, moderator):
    attacker = _from(app, ATTACKER)
    for n in range(20):
        assert _queue(attacker, f"nguoi-{n}", WRONG) == 401
    assert _queue(attacker, "bientap", MOD_PASSWORD) == 401
    assert _queue(_from(app, MODERATOR_IP), "bientap", MOD_PASSWORD) == 200


def test_a_lock_ends_with_its_window(app, moderator, settings, monkeypatch: pytest.MonkeyPatch):
    if settings.database_url.startswith("postgresql"):
        pytest.skip("the counters live in Redis: one database shows it, and this test waits")
    window = 5  # seconds: room for six password checks (~0.13 s each) on a busy host
    monkeypatch.setattr(auth, "FAILURE_WINDOW_SECONDS", window)
    client = _from(app, ATTACKER)
    _queue(client, "bientap", WRONG)
    opened = time.monotonic()  # the window opened as that failure was counted, or before
    for _ in range(4):
        _queue(client, "bientap", WRONG)
    assert _queue(client, "bientap", MOD_PASSWORD) == 401
    # A second of margin: on a loaded host the requests themselves take that long.
    time.sleep(max(0.0, opened + window + 1.1 - time.monotonic()))
    assert _queue(client, "bientap", MOD_PASSWORD) == 200


def test_the_desk_sign_in_follows_the_same_rule(app, moderator):
    """Failures on the API and on the desk's form count together, per address."""
    attacker = _from(app, ATTACKER)
    for _ in range(3):
        assert _queue(attacker, "bientap", WRONG) == 401
    for _ in range(2):
        assert login(attacker, password=WRONG).status_code == 401
    assert login(attacker).status_code == 401
    assert _queue(attacker, "bientap", MOD_PASSWORD) == 401
    assert login(_from(app, MODERATOR_IP)).status_code == 302


PROXY = "10.0.0.2"  # every client's address as the app sees it behind a reverse proxy


def _through_proxy(app: Flask, client_ip: str) -> FlaskClient:
    """A client reaching duyet through one reverse proxy, which appends its address."""
    client = _from(app, PROXY)
    client.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.1, {client_ip}"  # first: forged
    return client


@pytest.mark.parametrize("trusted", [0, 1])
def test_behind_a_trusted_proxy_each_client_is_counted_apart(settings, trusted):
    """Without DUYET_TRUSTED_PROXIES everyone behind the proxy is one address: twenty wrong
    passwords from anyone locked every moderator out of sign-in."""
    clear_caches()
    app = create(settings.with_overrides(trusted_proxies=trusted))
    moderator_accounts.create_moderator(app.extensions["duyet"].db, "bientap", MOD_PASSWORD)
    attacker = _through_proxy(app, ATTACKER)
    for n in range(20):
        assert _queue(attacker, f"nguoi-{n}", WRONG) == 401
    moderator = _queue(_through_proxy(app, MODERATOR_IP), "bientap", MOD_PASSWORD)
    assert moderator == (200 if trusted else 401)
    app.extensions["duyet"].db.dispose()
