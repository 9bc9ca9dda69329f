"""Emails to moderators when held comments wait too long, through a real SMTP server
(aiosmtpd on a local port), with the real store and Redis."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from flask import Flask
from redis import Redis
from sqlalchemy import update

from service.models import AuditEntry, Comment, utcnow
from service.settings import Settings
from service.store import accounts
from tests.integration.conftest import SiteFixture
from tests.integration.test_desk import BODY, admin, hold, login, token  # noqa: F401
from workers.alerts import SENT_KEY, sweep_alerts

SENDER = "duyet@baotinh.example.vn"
EDITORS = ["truc.ban@baotinh.example.vn", "thu.ky@baotinh.example.vn"]


class Inbox:
    """What the SMTP server received: (envelope sender, recipients, parsed message)."""

    def __init__(self) -> None:
        self.mail: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        parsed = message_from_bytes(content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.mail.append((str(envelope.mail_from), list(envelope.rcpt_tos), parsed))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(inbox: Inbox, port: int, **options: object) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return controller


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    found, port = Inbox(), _free_port()
    controller = _serve(found, port)
    yield found, port
    controller.stop()


def _mail_settings(settings: Settings, port: int, scheme: str = "smtp") -> Settings:
    return settings.with_overrides(
        smtp_url=f"{scheme}://127.0.0.1:{port}",
        mail_from=SENDER,
        public_url="https://binhluan.baotinh.example.vn/",
    )


def _ask_for_alerts(app: Flask, site: SiteFixture, minutes: int = 30) -> None:
    config = {"alert_emails": EDITORS, "alert_after_minutes": minutes}
    accounts.update_site(app.extensions["duyet"].db, site.id, config=config)


def _held_for(app: Flask, client, site: SiteFixture, minutes: int) -> int:
    """A held comment posted `minutes` ago."""
    comment_id = hold(app, client, site)
    with app.extensions["duyet"].db.transaction() as s:
        posted = utcnow() - timedelta(minutes=minutes)
        s.execute(update(Comment).where(Comment.id == comment_id).values(created_at=posted))
    return comment_id


def _audit_actions(app: Flask, site: SiteFixture) -> list[tuple[str, dict]]:
    with app.extensions["duyet"].db.transaction() as s:
        rows = s.query(AuditEntry).filter_by(site_id=site.id, comment_id=None).all()
        return [(row.action, row.detail) for row in rows if row.action.startswith("alert_")]


def test_one_email_per_period_counts_the_wait_and_links_the_queue(
    app: Flask, client, site, redis: Redis, settings, inbox
):
    received, port = inbox
    _ask_for_alerts(app, site)
    for minutes in (125, 40, 5):  # two past the limit, one not yet
        _held_for(app, client, site, minutes)
    mail_settings = _mail_settings(settings, port)
    db = app.extensions["duyet"].db
    assert sweep_alerts(db, redis, mail_settings) == 1
    ((sender, recipients, message),) = received.mail
    assert sender == SENDER and recipients == EDITORS
    assert message["Subject"] == "[duyet] Baotinh: 2 bình luận chờ duyệt quá 30 phút"
    text = message.get_content()
    assert "đã chờ 2 giờ 5 phút" in text and "Tổng số đang chờ: 3" in text
    assert "the oldest for 2 h 5 min. 3 wait in all." in text
    assert "https://binhluan.baotinh.example.vn/mod/queue?site=baotinh" in text
    assert BODY not in text  # no comment text leaves the system by mail
    assert _audit_actions(app, site) == [("alert_sent", {"to": 2, "overdue": 2, "held": 3})]
    # Within the period nothing more, whichever worker sweeps.
    assert sweep_alerts(db, redis, mail_settings) == 0
    assert len(received.mail) == 1
    redis.delete(SENT_KEY.format(site_id=site.id))  # the period is over
    assert sweep_alerts(db, redis, mail_settings) == 1 and len(received.mail) == 2


def test_nothing_is_sent_before_the_limit_without_addresses_or_without_a_server(
    app: Flask, client, site, redis: Redis, settings, inbox
):
    received, port = inbox
    db = app.extensions["duyet"].db
    _held_for(app, client, site, 45)
    assert sweep_alerts(db, redis, _mail_settings(settings, port)) == 0  # no addresses
    _ask_for_alerts(app, site, minutes=60)
    assert sweep_alerts(db, redis, _mail_settings(settings, port)) == 0  # 45 < 60 minutes
    _ask_for_alerts(app, site, minutes=30)
    assert sweep_alerts(db, redis, settings) == 0  # the server has no SMTP_URL
    assert received.mail == []


def test_a_failed_send_is_audited_and_tried_again_at_the_next_sweep(
    app: Flask, client, site, redis: Redis, settings
):
    db = app.extensions["duyet"].db
    _ask_for_alerts(app, site)
    _held_for(app, client, site, 90)
    port = _free_port()  # nothing listens there yet
    mail_settings = _mail_settings(settings, port)
    assert sweep_alerts(db, redis, mail_settings) == 0
    ((action, detail),) = _audit_actions(app, site)
    assert action == "alert_failed" and detail["overdue"] == 1 and detail["error"]
    received = Inbox()
    controller = _serve(received, port)
    try:
        assert sweep_alerts(db, redis, mail_settings) == 1
    finally:
        controller.stop()
    assert len(received.mail) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_server_that_wants_a_login_gets_the_urls_user_and_password(
    app: Flask, client, site, redis: Redis, settings
):
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(server, session, envelope, mechanism, data) -> AuthResult:
        if isinstance(data, LoginPassword):
            logins.append((data.login, data.password))
        return AuthResult(success=data == LoginPassword(b"bot@baotinh", b"p@ss:w/rd"))

    received, port = Inbox(), _free_port()
    controller = _serve(
        received, port, authenticator=authenticate, auth_require_tls=False, auth_required=True
    )
    try:
        _ask_for_alerts(app, site)
        _held_for(app, client, site, 90)
        mail_settings = settings.with_overrides(
            smtp_url=f"smtp://bot%40baotinh:p%40ss%3Aw%2Frd@127.0.0.1:{port}", mail_from=SENDER
        )
        assert sweep_alerts(app.extensions["duyet"].db, redis, mail_settings) == 1
    finally:
        controller.stop()
    assert logins == [(b"bot@baotinh", b"p@ss:w/rd")]
    assert "Mở bàn duyệt" in received.mail[0][2].get_content()  # no public URL: no link


@pytest.fixture
def mail_ca(tmp_path: Path) -> tuple[ssl.SSLContext, str]:
    """A newsroom's own certificate authority: the mail server's TLS context, and the CA's
    PEM file for DUYET_SMTP_CA_FILE."""
    authority = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server)
    pem = tmp_path / "newsroom-ca.pem"
    authority.cert_pem.write_to_path(str(pem))
    return server, str(pem)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("scheme", ["smtp+starttls", "smtps"])
def test_tls_to_the_mail_server_verifies_its_certificate_by_the_configured_authority(
    app: Flask, client, site, redis: Redis, settings, mail_ca, scheme: str
):
    server_tls, ca_file = mail_ca
    logins: list[bytes] = []

    def authenticate(server, session, envelope, mechanism, data) -> AuthResult:
        logins.append(data.login)
        return AuthResult(success=data == LoginPassword(b"bot", b"secret"))

    tls: dict[str, object] = {"tls_context": server_tls, "require_starttls": True}
    if scheme == "smtps":  # aiosmtpd counts only STARTTLS as TLS for AUTH; this is TLS too
        tls = {"ssl_context": server_tls, "auth_require_tls": False}
    received, port = Inbox(), _free_port()
    controller = _serve(received, port, authenticator=authenticate, auth_required=True, **tls)
    db = app.extensions["duyet"].db
    try:
        _ask_for_alerts(app, site)
        _held_for(app, client, site, 90)
        mail_settings = settings.with_overrides(
            smtp_url=f"{scheme}://bot:secret@127.0.0.1:{port}", mail_from=SENDER
        )
        assert sweep_alerts(db, redis, mail_settings) == 0  # the system's CAs: not trusted
        ((action, detail),) = _audit_actions(app, site)
        assert action == "alert_failed" and "CERTIFICATE_VERIFY_FAILED" in detail["error"]
        assert logins == []  # the password never went to a server it could not verify
        trusted = mail_settings.with_overrides(smtp_ca_file=ca_file)
        assert sweep_alerts(db, redis, trusted) == 1
    finally:
        controller.stop()
    assert logins == [b"bot"] and len(received.mail) == 1


def test_a_ca_file_that_is_not_pem_certificates_stops_the_process_at_start(tmp_path: Path):
    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("không phải chứng chỉ")
    mail = {"DUYET_SMTP_URL": "smtps://mail.example.vn", "DUYET_MAIL_FROM": SENDER}
    for ca_file in (str(not_pem), str(tmp_path / "missing.pem")):
        with pytest.raises(ValueError, match="DUYET_SMTP_CA_FILE"):
            Settings.from_env({**mail, "DUYET_SMTP_CA_FILE": ca_file})


def test_the_settings_page_saves_addresses_and_names_a_bad_one(
    app: Flask,
    client,
    site,
    admin,  # noqa: F811 (the fixture imported above)
):
    assert login(client, *admin).status_code == 302
    page = client.get(f"/mod/settings/{site.slug}").get_data(as_text=True)
    assert 'name="alert_emails"' in page and "DUYET_SMTP_URL" in page  # no server here
    form = {
        "csrf_token": token(client),
        "max_links": "2",
        "report_threshold": "3",
        "alert_after_minutes": "20",
        "alert_emails": "Truc.Ban@baotinh.example.vn\nthu-ky@",
        "spam_hold": "0.5",
        "spam_reject": "0.9",
        "abuse_hold": "0.5",
        "abuse_reject": "0.92",
    }
    refused = client.post(f"/mod/settings/{site.slug}", data=form)
    assert refused.status_code == 422
    assert "«thu-ky@»: Not a valid email address." in refused.get_data(as_text=True)
    saved = client.post(
        f"/mod/settings/{site.slug}", data={**form, "alert_emails": "Truc.Ban@baotinh.example.vn"}
    )
    assert saved.status_code == 302
    stored = accounts.find_site(app.extensions["duyet"].db, site.slug).config
    assert stored["alert_emails"] == ["truc.ban@baotinh.example.vn"]
    assert stored["alert_after_minutes"] == 20
