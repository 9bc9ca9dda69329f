"""Email a site's moderators when held comments have waited too long.

A provincial newsroom does not watch the desk all night; Prometheus alerts reach the
operator, not the editor on duty. Each sweep looks at every site with alert addresses in
its settings: when held comments have waited longer than the site's alert_after_minutes,
one email goes to those addresses, and no other for that site until as many minutes have
passed again (a Redis key, so several workers send one email between them). The email
counts comments and links to the queue; it carries no comment text, names or addresses,
since mail leaves the system. A failed send is logged and audited, and tried again at the
next sweep.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlencode, urlsplit

from redis import Redis
from redis.exceptions import RedisError

from service.metrics import MODERATOR_ALERTS
from service.models import utcnow
from service.settings import Settings
from service.store import Database
from service.store.backlog import AlertSite, Backlog, alert_sites, backlog, record_alert

log = logging.getLogger("duyet.alerts")

SMTP_TIMEOUT_SECONDS = 10.0
SENT_KEY = "duyet:alert:site:{site_id}"


def sweep_alerts(db: Database, redis: Redis, settings: Settings) -> int:
    """Send the alerts that are due; return how many were sent. Off without an SMTP server."""
    if not settings.smtp_url:
        return 0
    sent = 0
    now = utcnow()
    for site in alert_sites(db):
        waiting = backlog(db, site.id, now - timedelta(minutes=site.after_minutes))
        if not waiting.overdue or not _take_turn(redis, site):
            continue
        if _send(db, settings, site, waiting, now):
            sent += 1
        else:
            _give_back_turn(redis, site)  # the next sweep tries again
    return sent


def _take_turn(redis: Redis, site: AlertSite) -> bool:
    """Take the site's turn to be alerted: false if an alert went out within its period."""
    try:
        key = SENT_KEY.format(site_id=site.id)
        return bool(redis.set(key, "1", nx=True, ex=site.after_minutes * 60))
    except RedisError:
        return False  # no turn-taking without Redis: better no email than one per worker


def _give_back_turn(redis: Redis, site: AlertSite) -> None:
    with contextlib.suppress(RedisError):  # else the key expires by itself after the period
        redis.delete(SENT_KEY.format(site_id=site.id))


def _send(
    db: Database, settings: Settings, site: AlertSite, waiting: Backlog, now: datetime
) -> bool:
    message = alert_message(settings, site, waiting, now)
    detail: dict[str, object] = {
        "to": len(site.emails),
        "overdue": waiting.overdue,
        "held": waiting.held,
    }
    try:
        deliver(settings.smtp_url, message, settings.smtp_ca_file)
    except (OSError, smtplib.SMTPException) as exc:  # refused, unreachable, bad login, TLS...
        MODERATOR_ALERTS.labels(outcome="failed").inc()
        log.warning("moderator alert for site %s not sent: %s", site.slug, exc)
        record_alert(db, site.id, "alert_failed", {**detail, "error": str(exc)[:200]})
        return False
    MODERATOR_ALERTS.labels(outcome="sent").inc()
    log.info("moderator alert for site %s sent: %d held past its limit", site.slug, waiting.overdue)
    record_alert(db, site.id, "alert_sent", detail)
    return True


def alert_message(
    settings: Settings, site: AlertSite, waiting: Backlog, now: datetime
) -> EmailMessage:
    """The alert, Vietnamese first and English after: counts and a link, no comment text."""
    waited = _duration(now - waiting.oldest) if waiting.oldest else ("", "")
    link = queue_url(settings.public_url, site.slug)
    message = EmailMessage()
    message["Subject"] = (
        f"[duyet] {site.name}: {waiting.overdue} bình luận chờ duyệt quá {site.after_minutes} phút"
    )
    message["From"] = settings.mail_from
    message["To"] = ", ".join(site.emails)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    message.set_content(
        "\n".join(
            [
                f"{waiting.overdue} bình luận trên {site.name} ({site.slug}) đã chờ duyệt quá"
                f" {site.after_minutes} phút; bình luận chờ lâu nhất đã chờ {waited[0]}."
                f" Tổng số đang chờ: {waiting.held}.",
                f"Mở hàng đợi: {link}" if link else "Mở bàn duyệt, thẻ «Cần duyệt».",
                "",
                f"{waiting.overdue} comments on {site.name} ({site.slug}) have waited over"
                f" {site.after_minutes} minutes for a moderator; the oldest for {waited[1]}."
                f" {waiting.held} wait in all.",
                f"Open the queue: {link}" if link else "Open the desk's Needs review tab.",
                "",
                "--",
                "duyet: thư gửi tới các địa chỉ trong Cài đặt của trang; không gửi lại trước"
                f" {site.after_minutes} phút. / Sent to the addresses in the site's settings;"
                f" no other within {site.after_minutes} minutes.",
            ]
        )
    )
    return message


def queue_url(public_url: str, slug: str) -> str:
    """The desk's held queue of one site, or "" when the desk's address is not configured."""
    if not public_url:
        return ""
    return f"{public_url.rstrip('/')}/mod/queue?{urlencode({'site': slug})}"


def _duration(span: timedelta) -> tuple[str, str]:
    """A wait in words, (Vietnamese, English): "2 giờ 5 phút", "2 h 5 min"."""
    minutes = max(0, int(span.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} phút", f"{minutes} min"
    return f"{hours} giờ {minutes} phút", f"{hours} h {minutes} min"


def deliver(smtp_url: str, message: EmailMessage, ca_file: str = "") -> None:
    """Send one message through the configured server (service/settings.py names the schemes).

    TLS verifies the server's certificate and name against the system's authorities, or
    those of ca_file: a mail server nobody can vouch for gets no moderators' emails.
    """
    parts = urlsplit(smtp_url)
    host = parts.hostname or "localhost"
    context = ssl.create_default_context(cafile=ca_file or None)
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, parts.port or 465, timeout=SMTP_TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(host, parts.port or 25, timeout=SMTP_TIMEOUT_SECONDS)
    with client:
        if parts.scheme == "smtp+starttls":
            client.starttls(context=context)
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
