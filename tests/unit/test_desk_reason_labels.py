"""Every reason code the engine can emit, and every audit action, has words on the desk."""

from __future__ import annotations

import re
from pathlib import Path

from service.store.moderator_decisions import MODERATOR_ACTIONS
from service.ui import i18n
from workers.engine import policy
from workers.engine.plugins.remote import RemoteScores
from workers.engine.rules import behaviour, links, words
from workers.engine.types import Feedback, Thresholds

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "workers" / "engine"
# A literal code: Reason("code", ...) or the rules' reason("code", ...).
LITERAL = re.compile(r"""\b[Rr]eason\(\s*"([a-z_]+)\"""")
# A code built in place: Reason(f"prefix_{...}", ...); each family is run below.
FAMILY = re.compile(r"""\b[Rr]eason\(\s*f"([a-z_]+?)_\{""")
# A code passed by name: reason(code, ...), reason(TRUSTED_AUTHOR, ...).
NAMED = re.compile(r"""\breason\(\s*([A-Za-z_]+)\s*,""")


def _sources() -> str:
    return "\n".join(p.read_text() for p in sorted(ENGINE.rglob("*.py")))


def _families() -> set[str]:
    """Run each family of built codes: the scores, the feedback labels, the remote classes."""
    scores = {"spam": 1.0, "abuse": 1.0}
    built = {r.code for r in policy.score_reasons(scores, Thresholds(), trusted=False)}
    feedback = [Feedback(label, 1.0) for label in ("ham", "spam", "abuse")]
    built |= {r.code for r in policy.apply_feedback(scores, feedback)[1]}
    built |= {r.code for r in RemoteScores(spam=1.0, abuse=1.0).reasons(Thresholds())}
    return built


def _named() -> set[str]:
    """The codes handed to reason() by name: the word lists', the link checks', trusted."""
    found = {code for code, *_ in words._KINDS.values()}
    found |= {code for code, *_ in links._LINK_CHECKS}
    return found | {behaviour.TRUSTED_AUTHOR}


def engine_codes() -> set[str]:
    source = _sources()
    names = set(NAMED.findall(source)) - {"code"}
    assert names <= {"TRUSTED_AUTHOR"}, f"a code passed by a new name: {names}"
    families = {code.rsplit("_", 1)[0] for code in _families()}
    assert set(FAMILY.findall(source)) <= families, "a family of codes this test does not run"
    return set(LITERAL.findall(source)) | _families() | _named()


def test_every_reason_code_the_engine_can_emit_has_words_in_both_languages():
    codes = engine_codes()
    assert {"remote_spam", "remote_abuse", "contact_phone", "banned_word"} <= codes
    for language, catalog in i18n.CATALOGS.items():
        missing = sorted(code for code in codes if f"reason.{code}" not in catalog)
        assert not missing, f"{language}: no words for {missing}"


def test_every_audit_action_the_service_records_has_words_in_both_languages():
    source = "\n".join(
        p.read_text() for folder in ("service", "workers") for p in (ROOT / folder).rglob("*.py")
    )
    # audit(session, comment, actor, "action", ...), the moderators' own actions, and what
    # the webhook deliveries record (service/store/outbox.py).
    actions = set(re.findall(r"""\baudit\(\s*s,\s*[^,]+,\s*[^,]+,\s*"([a-z_]+)\"""", source))
    actions |= set(MODERATOR_ACTIONS) | set(
        re.findall(r'"(webhook_(?:delivered|failed)[a-z_]*)"', source)
    )
    assert {"report", "ban", "undo", "webhook_failed"} <= actions
    for language, catalog in i18n.CATALOGS.items():
        missing = sorted(a for a in actions if f"audit.{a}" not in catalog)
        assert not missing, f"{language}: no words for audit actions {missing}"
