"""Deliver a decision to the site's webhook, signed with the site's secret."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import httpx

from service.store.delivery import CommentTarget, load_target, log_delivery
from workers import runtime

SIGNATURE_HEADER = "X-Duyet-Signature"


class DeliveryFailed(Exception):
    """The receiver did not accept the event; RQ retries the job with backoff."""


def sign(body: bytes, secret: str) -> str:
    """Return the signature header value: sha256=HMAC-SHA256(body, secret) in hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(target: CommentTarget, event: str) -> dict[str, Any]:
    """Build the event body: what happened, to which comment, and its public fields."""
    comment = target.comment
    return {
        "event": event,
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
        },
    }


def deliver(comment_id: int, event: str) -> str:
    """POST one event; raise DeliveryFailed on any failure so RQ retries later."""
    target = load_target(runtime.database(), comment_id)
    if target is None or not target.site.webhook_url:
        return "no-webhook"
    body = json.dumps(payload(target, event), ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "duyet-webhook/1"}
    if target.site.webhook_secret:
        headers[SIGNATURE_HEADER] = sign(body, target.site.webhook_secret)
    try:
        response = httpx.post(
            target.site.webhook_url,
            content=body,
            headers=headers,
            timeout=runtime.settings().webhook_timeout,
        )
        ok, status = response.is_success, str(response.status_code)
    except httpx.HTTPError as exc:
        ok, status = False, exc.__class__.__name__
    log_delivery(runtime.database(), target, event, {"ok": ok, "status": status})
    if not ok:
        raise DeliveryFailed(f"webhook for comment {comment_id} answered {status}")
    return "delivered"
