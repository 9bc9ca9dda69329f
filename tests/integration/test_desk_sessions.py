"""A desk session ends on the server when its moderator signs out, and the sign-in form's
`next` can only lead inside the desk."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.integration.conftest import MOD_PASSWORD
from tests.integration.test_desk import login, token

COOKIE = "duyet_desk"


def _copy_session(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of the client's session cookie (a shared computer)."""
    cookie = client.get_cookie(COOKIE, path="/mod")
    assert cookie is not None
    other = app.test_client()
    other.set_cookie(COOKIE, cookie.value, path="/mod")
    return other


def test_signing_out_ends_every_copy_of_the_session(app: Flask, client, moderator):
    assert login(client).status_code == 302
    copy = _copy_session(app, client)
    assert copy.get("/mod/queue").status_code == 200  # the copy works while signed in
    answer = client.post("/mod/logout", data={"csrf_token": token(client)})
    assert answer.status_code == 302
    page = copy.get("/mod/queue")
    assert page.status_code == 302 and page.headers["Location"].startswith("/mod/login")
    refused = copy.post("/mod/api/comments/1/decision", json={"action": "approve"})
    assert refused.status_code in (401, 403)
    assert login(client).status_code == 302  # signing in again works, the copy stays out
    assert client.get("/mod/queue").status_code == 200
    assert copy.get("/mod/queue").status_code == 302


@pytest.mark.parametrize(
    "target",
    ["/mod/\r\nX-Injected: 1", "/mod/\tqueue", "//evil.example/mod/", "/mod/\\\\evil.example"],
)
def test_a_next_with_control_characters_or_elsewhere_leads_to_the_queue(client, moderator, target):
    client.get("/mod/login")
    with client.session_transaction("/mod/") as session:
        csrf = session["csrf"]
    form = {"username": "bientap", "password": MOD_PASSWORD, "csrf_token": csrf, "next": target}
    answer = client.post("/mod/login", data=form)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/mod/queue"
    assert "X-Injected" not in answer.headers
