"""Signature headers of the form `sha256=HEX, sha256=HEX`: one HMAC-SHA256 of the raw body
per signing secret, several while a secret is being rolled (duyet's webhooks send them,
Coral's requests bring them)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence


def signature(body: bytes, secret: str) -> str:
    """Return one signature: sha256=HMAC-SHA256(body, secret) in hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_header(body: bytes, secrets: Sequence[str]) -> str:
    """Return the header value signing body with each secret, in the order given.

    With one secret it is exactly one `sha256=HEX`: a receiver written before rotation,
    comparing the whole header with its one expected value, keeps working.
    """
    return ", ".join(signature(body, secret) for secret in secrets)


def offered_signatures(header: str) -> list[str]:
    """Split a signature header into its `sha256=HEX` values."""
    return [part.strip() for part in header.split(",") if part.strip()]


def signature_matches(body: bytes, header: str, secrets: Sequence[str]) -> bool:
    """Tell whether any signature in the header is the HMAC of the body with any secret."""
    expected = [signature(body, secret) for secret in secrets]
    matched = False
    for candidate in offered_signatures(header):
        for wanted in expected:
            # No early exit: every pair is compared, so timing tells nothing about which matched.
            matched |= hmac.compare_digest(candidate.encode(), wanted.encode())
    return matched
