"""Deliver a webhook event (service/store/outbox.py) to its site, signed with the site's
secrets (service/store/webhook_secrets.py)."""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpcore
import httpx

from service.metrics import WEBHOOK_FAILURES, WEBHOOK_GIVEN_UP
from service.models import utcnow
from service.queue import WEBHOOK_JOB_MARGIN
from service.signatures import signature_header
from service.store import outbox, webhook_secrets
from service.store.delivery import CommentTarget
from service.store.reading import comment_notice
from workers import runtime

log = logging.getLogger("duyet.webhooks")

SIGNATURE_HEADER = "X-Duyet-Signature"
EVENT_ID_HEADER = "X-Duyet-Event-Id"

# The statuses a comment must still have at delivery for each event: the event is named
# when the job is queued, the comment is read when it runs (maybe a retry hours later),
# and a site must never hear "published" about a comment since rejected or deleted.
# No event announces a deletion, so a deleted comment is never delivered.
CURRENT_STATUSES: dict[str, frozenset[str]] = {
    "comment.published": frozenset({"approved"}),
    "comment.rejected": frozenset({"rejected", "spam"}),
    "comment.unpublished": frozenset({"pending", "held", "rejected", "spam"}),
}

# What a failed attempt can raise; these are retried. A refused address is not.
TRANSPORT_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    OSError,  # DNS failures (socket.gaierror) included
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedTarget(Exception):
    """The webhook URL names no public http(s) address; nothing was sent."""


def payload(
    target: CommentTarget, event: str, event_id: int, notice: dict[str, Any]
) -> dict[str, Any]:
    """Build the event body: what happened, to which comment, its public fields, and what
    to tell its author (service/notices.py).

    event_id is the same in every attempt of one event (a receiver's key to skip one seen
    already); sent_at is signed with the rest, so a receiver can refuse an old body replayed.
    """
    comment = target.comment
    return {
        "event": event,
        "event_id": event_id,
        "sent_at": datetime.now(UTC).isoformat(),
        "site": target.site.slug,
        "comment": {
            "id": comment.id,
            "article_id": target.article.external_id,
            "parent_id": comment.parent_id,
            "status": comment.status,
            "author_name": comment.author_name,
            "body": comment.body,
            "created_at": comment.created_at.isoformat(),
            "notice": notice,
        },
    }


def is_current(event: str, status: str) -> bool:
    """Tell whether an event still describes a comment with this status."""
    return status in CURRENT_STATUSES.get(event, frozenset())


def refusal(address: IPAddress) -> str | None:
    """Say what this address is if a webhook may not connect to it; None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for kind in ("unspecified", "loopback", "link_local", "multicast", "private", "reserved"):
        if getattr(address, f"is_{kind}"):
            return f"a {kind.replace('_', '-')} address"
    if not address.is_global:
        return "not a public address"
    return None


def resolve(host: str, port: int, allow_private: bool) -> list[str]:
    """Resolve host; refuse it if any of its addresses is not public (unless allowed)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not allow_private:
        for address in addresses:
            reason = refusal(ipaddress.ip_address(address.split("%", 1)[0]))
            if reason and address == host:
                raise RefusedTarget(f"{address} is {reason}")
            if reason:
                raise RefusedTarget(f"{host} resolves to {address}, {reason}")
    return addresses


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by one deadline for the whole delivery.

    httpx's timeout bounds each read, so a receiver sending a byte every few seconds could
    hold a worker for as long as it liked; here the time left shrinks with every call.
    """

    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def _left(self, error: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise error("webhook delivery deadline passed")
        return left

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._left(httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._left(httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = self._left(httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, left), self._deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _CheckedBackend(httpcore.SyncBackend):
    """Connect only to the addresses resolved and checked before, never resolving again."""

    def __init__(self, addresses: list[str], deadline: float) -> None:
        self._addresses = addresses
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in self._addresses:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise httpcore.ConnectTimeout("webhook delivery deadline passed")
            try:
                stream = super().connect_tcp(address, port, left, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        raise error


def post(
    url: str, body: bytes, headers: dict[str, str], timeout: float, allow_private: bool
) -> int:
    """POST body to url within timeout seconds in all; return the answer's status code."""
    deadline = time.monotonic() + timeout
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.raw_host:
        raise RefusedTarget("the webhook URL is not an http(s) URL")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = resolve(parsed.raw_host.decode("ascii"), port, allow_private)
    backend = _CheckedBackend(addresses, deadline)
    limits = {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
    with (
        httpcore.ConnectionPool(network_backend=backend, max_connections=1) as pool,
        pool.stream(
            "POST",
            str(parsed),
            headers=list(headers.items()),
            content=body,
            extensions={"timeout": limits},
        ) as response,
    ):
        return response.status  # the body is never read: the status is the answer


def deliver(event_id: int) -> str:
    """Make one attempt to deliver a webhook event, and record how it went on the event.

    A failed attempt is not raised to RQ: the event's row says when to try again and the
    sweep queues it then (service/store/outbox.py), up to DUYET_WEBHOOK_RETRIES times.
    """
    settings = runtime.settings()
    db = runtime.database()
    hold = timedelta(seconds=settings.webhook_timeout + WEBHOOK_JOB_MARGIN)
    claimed = outbox.claim(db, event_id, hold, settings.webhook_retries)
    if claimed is None:
        return "not-due"  # delivered or given up already, or another worker has it now
    target, event = claimed.target, claimed.event
    if not target.site.webhook_url:
        outbox.drop(db, claimed, "the site has no webhook now")
        return "no-webhook"
    if not is_current(event, target.comment.status):
        log.info(
            "webhook %s for comment %s dropped: the comment is now %s",
            event,
            target.comment.id,
            target.comment.status,
        )
        outbox.drop(db, claimed, f"stale: the comment is now {target.comment.status}")
        return "stale"
    comment = target.comment
    notice = comment_notice(db, comment.id, comment.status, comment.body)
    body = json.dumps(payload(target, event, event_id, notice), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "duyet-webhook/1",
        EVENT_ID_HEADER: str(event_id),
    }
    # Signed when sent, a retry too: with the secrets in use at that moment.
    if signing := webhook_secrets.signing(target.site):
        headers[SIGNATURE_HEADER] = signature_header(body, signing)
    try:
        url = target.site.webhook_url
        code = post(url, body, headers, settings.webhook_timeout, settings.webhook_allow_private)
    except RefusedTarget as exc:
        log.warning("webhook %s for comment %s refused: %s", event, target.comment.id, exc)
        WEBHOOK_FAILURES.labels(event=event).inc()
        WEBHOOK_GIVEN_UP.labels(event=event).inc()
        detail = {"ok": False, "status": "refused", "reason": str(exc)}
        outbox.record_attempt(db, claimed, outbox.REFUSED, detail, None)
        return "refused"  # not retried: the address will not become public by waiting
    except TRANSPORT_ERRORS as exc:
        return _failed(claimed, exc.__class__.__name__, settings.webhook_retries)
    if not 200 <= code < 300:
        return _failed(claimed, str(code), settings.webhook_retries)
    outbox.record_attempt(db, claimed, outbox.DELIVERED, {"ok": True, "status": str(code)}, None)
    return "delivered"


def _failed(claimed: outbox.ClaimedEvent, status: str, retries: int) -> str:
    """Record a failed attempt: due again after its backoff, or given up after the last."""
    WEBHOOK_FAILURES.labels(event=claimed.event).inc()
    detail: dict[str, Any] = {"ok": False, "status": status}
    if claimed.attempt > retries:
        WEBHOOK_GIVEN_UP.labels(event=claimed.event).inc()
        outbox.record_attempt(runtime.database(), claimed, outbox.FAILED, detail, None)
        log.warning("webhook event %s given up after %d attempts", claimed.id, claimed.attempt)
        return "failed"
    retry_at = utcnow() + outbox.retry_delay(claimed.attempt)
    detail["retry_at"] = retry_at.isoformat()
    outbox.record_attempt(runtime.database(), claimed, outbox.WAITING, detail, retry_at)
    return "retry"
