"""Contact bait: phone numbers in any spelling, chat-app handles, invitations to message.

Verdicts: a mobile number on its own holds (a reader may quote a hotline from the
article); a number next to a chat-app or "liên hệ"-style word, a number spelled in words
to dodge filters, or a chat-app handle ("zalo: abc123", "tele @abc") is spam. "ib",
"inbox" without a number or handle hold.
"""

from __future__ import annotations

import re

from workers.engine.normalize import DigitRun, Normalized, digit_runs
from workers.engine.rules.base import reason
from workers.engine.types import CommentInput, Context, Reason, Span, Verdict

# Vietnamese mobiles: 0 or +84 (sometimes "+84 0"), then 3/5/7/8/9 and eight digits.
_MOBILE_RE = re.compile(r"(?:840?|0)[35789]\d{8}")
_APPS = (
    r"zalo|zl|za lo|telegram|tele|tg|viber|wechat|skype|kakao|whatsapp|wa|fb|facebook|face|"
    r"messenger|mess|insta|instagram|tiktok|line"
)
# After the app's name: "@name", a name with digits or "_", or anything after ":" / "id".
_HANDLE = r"@[a-z0-9_.]{3,}|(?=[a-z0-9_.]{4})[a-z0-9_.]*[0-9_][a-z0-9_.]*"
_HANDLE_RE = re.compile(
    rf"\b(?:{_APPS})\b ?(?:(?:[:=]|id|nick) ?@?[a-z0-9_.]{{3,}}|{_HANDLE})(?<![.])"
)
_KEYWORD_RE = re.compile(
    rf"\b(?:{_APPS}|ib|inbox|ibox|lien he|lh|sdt|dt|hotline|call|goi|alo|nhan tin|ket ban)\b"
)
_INVITE_RE = re.compile(r"\b(?:ib|inbox|ibox|ib riêng|nhắn tin riêng|kết bạn zalo)\b")


def find_phones(norm: Normalized) -> list[tuple[Span, bool]]:
    """Return each mobile number's span and whether some digit was written as a word."""
    found = []
    for run in digit_runs(norm):
        for first, end in _aligned_mobiles(run):
            a, b = run.clean_range(first, end)
            a -= a > 0 and norm.clean[a - 1] == "+"  # "+84": the plus belongs to the number
            tokens = run.tokens[_tokens(run, first, end)]
            spelled = any(not norm.clean_plain[s:e].isdigit() for s, e in tokens)
            found.append((norm.clean_span(a, b), spelled))
    return found


def _tokens(run: DigitRun, first: int, end: int) -> slice:
    return slice(run.token_of[first], run.token_of[end - 1] + 1)


def _aligned_mobiles(run: DigitRun) -> list[tuple[int, int]]:
    """Find numbers that start and end on token edges, so "2024 0912..." is not read whole."""
    edges = {k for k in range(len(run.digits) + 1) if _is_edge(run, k)}
    found: list[tuple[int, int]] = []
    for start in sorted(edges):
        m = _MOBILE_RE.match(run.digits, start)
        if m and m.end() in edges and not any(a <= start < b for a, b in found):
            found.append((start, m.end()))
    return found


def _is_edge(run: DigitRun, k: int) -> bool:
    n = len(run.token_of)
    return k in (0, n) or run.token_of[k - 1] != run.token_of[k]


def _spans(norm: Normalized, pattern: re.Pattern[str], text: str) -> tuple[Span, ...]:
    return tuple(norm.clean_span(*m.span()) for m in pattern.finditer(text))


def check_contact(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Flag phone numbers, chat-app handles and invitations to message privately."""
    reasons = []
    phones = find_phones(norm)
    keyword = _KEYWORD_RE.search(norm.clean_plain) is not None
    if phones:
        reasons.append(_phone_reason(phones, keyword))
    handles = _spans(norm, _HANDLE_RE, norm.clean_plain)
    if handles:
        msg = "Mời liên hệ qua ứng dụng nhắn tin (Zalo/Telegram/Facebook...)"
        en = "Chat-app handle (contact bait)"
        reasons.append(reason("contact_handle", msg, Verdict.SPAM, en, handles))
    invites = _spans(norm, _INVITE_RE, norm.clean)
    if invites and not phones and not handles:
        msg = "Mời nhắn tin riêng (ib/inbox)"
        en = "Invitation to message privately"
        reasons.append(reason("contact_invite", msg, Verdict.HOLD, en, invites))
    return reasons


def _phone_reason(phones: list[tuple[Span, bool]], keyword: bool) -> Reason:
    spans = tuple(span for span, _ in phones)
    if any(spelled for _, spelled in phones):
        msg, en = "Số điện thoại viết bằng chữ để né bộ lọc", "Phone number spelled out in words"
        return reason("contact_phone", msg, Verdict.SPAM, en, spans, spelled=True)
    if keyword:
        msg, en = "Để lại số điện thoại kèm lời mời liên hệ", "Phone number with a call to contact"
        return reason("contact_phone", msg, Verdict.SPAM, en, spans, spelled=False)
    msg, en = "Chứa số điện thoại", "Contains a phone number"
    return reason("contact_phone", msg, Verdict.HOLD, en, spans, spelled=False)
