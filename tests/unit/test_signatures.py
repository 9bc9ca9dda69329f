"""Signature headers of one or more `sha256=HEX` values: what duyet sends while a webhook
secret is rolled, and the receiver docs/integrate.md tells sites to write."""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path
from typing import Any

import pytest

from service.signatures import (
    offered_signatures,
    signature,
    signature_header,
    signature_matches,
)

BODY = b'{"event": "comment.published", "event_id": 7}'
NEW, OLD = "bí-mật-mới", "bí-mật-cũ"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "integrate.md"


def _docs_receiver(secret: str) -> Any:
    """The docs' Python `signature_ok`, run as a site would paste it."""
    found = re.search(r"\ndef signature_ok\(.*?\n(?=\n)", DOCS.read_text(), re.S)
    assert found, "docs/integrate.md shows signature_ok"
    scope: dict[str, Any] = {"hashlib": hashlib, "hmac": hmac, "WEBHOOK_SECRET": secret}
    exec(found.group(0), scope)
    return scope["signature_ok"]


def test_one_secret_signs_with_one_value_the_whole_header():
    """What a receiver written before rotation compares the header with."""
    expected = "sha256=" + hmac.new(NEW.encode(), BODY, hashlib.sha256).hexdigest()
    assert signature_header(BODY, [NEW]) == signature(BODY, NEW) == expected


def test_while_rolling_the_header_lists_the_new_then_the_old_signature():
    header = signature_header(BODY, [NEW, OLD])
    assert header == f"{signature(BODY, NEW)}, {signature(BODY, OLD)}"
    assert offered_signatures(header) == [signature(BODY, NEW), signature(BODY, OLD)]


@pytest.mark.parametrize(
    "header",
    [
        "{new}",
        "{new}, {old}",
        "{old},{new}",
        " {old} ,  {new} ,",
    ],
)
def test_any_value_matching_a_secret_is_enough(header):
    filled = header.format(new=signature(BODY, NEW), old=signature(BODY, OLD))
    assert signature_matches(BODY, filled, [NEW])
    assert _docs_receiver(NEW)(BODY, filled)


@pytest.mark.parametrize(
    "header",
    ["", ",", "sha256=", "{old}", "{new}x", "sha256=ù, {old}", "{new} {old}"],
)
def test_no_matching_value_is_refused_without_an_error(header):
    filled = header.format(new=signature(BODY, NEW), old=signature(BODY, OLD))
    assert not signature_matches(BODY, filled, [NEW])
    assert not _docs_receiver(NEW)(BODY, filled)


def test_a_changed_body_matches_no_signature():
    header = signature_header(BODY, [NEW, OLD])
    assert not signature_matches(BODY + b" ", header, [NEW, OLD])
