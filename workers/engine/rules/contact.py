"""Contact bait: phone numbers in any spelling, chat-app handles, invitations to message.

Verdicts: a mobile number on its own holds (a reader may quote a hotline from the
article); a number next to a chat-app or "liên hệ"-style word, a number spelled in words
to dodge filters, or a chat-app handle ("zalo: abc123", "tele @abc") is spam. "ib",
"inbox" without a number or handle hold.

"Next to" means within a few syllables: an advert puts the call and the number together
("liên hệ 0912...", "zalo 0912..."), while a reader who passes on a public hotline names
who answers it in between ("gọi ngay đường dây nóng công an tỉnh 0913...") and is held,
not marked spam. A date is never a number ("cúp điện 07/09/2024-09/09/2024" is not
0709202409). A handle is written in ASCII; an account named in Vietnamese after the app
("Zalo: Công an tỉnh", or "Zalo: lấy lại tiền Tuấn Minh") may be a public page or bait,
and holds.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from workers.engine.normalize import WORD_RE, DigitRun, Normalized, digit_runs
from workers.engine.rules.base import reason
from workers.engine.types import CommentInput, Context, Reason, Span, Verdict

# Vietnamese mobiles: 0 or +84 (sometimes "+84 0"), then 3/5/7/8/9 and eight digits.
_MOBILE_RE = re.compile(r"(?:840?|0)[35789]\d{8}")
_APPS = (
    r"zalo|zl|za lo|telegram|tele|tg|viber|wechat|skype|kakao|whatsapp|wa|fb|facebook|face|"
    r"messenger|mess|insta|instagram|tiktok|line"
)
# After the app's name: "@name", a name with digits or "_", or anything after ":" / "id".
# Bounded: handles are short, and an unbounded run before "[0-9_]" made "zalo.zalo.zalo..."
# quadratic (0.5 s for 20,000 characters).
_HANDLE = r"@[a-z0-9_.]{3,64}|(?=[a-z0-9_.]{4})[a-z0-9_.]{0,64}?[0-9_][a-z0-9_.]{0,64}"
_HANDLE_RE = re.compile(
    rf"\b(?:{_APPS})\b ?(?P<handle>(?:[:=]|id|nick) ?@?[a-z0-9_.]{{3,64}}|{_HANDLE})(?<![.])"
)
_KEYWORD_RE = re.compile(
    rf"\b(?:{_APPS}|ib|inbox|ibox|lien he|lh|sdt|dt|hotline|call|goi|alo|nhan tin|ket ban)\b"
)
# How far a call to contact may stand from its number: words that only address or point
# ("liên hệ em qua số 0912...", "gọi cho chị Lan theo số...") do not count, one other word
# may stand between (a name), and a call further off is part of a sentence ("gọi ngay
# đường dây nóng công an tỉnh 0913..."). After the number, two words of the same clause:
# "0912... (zalo)", "0912... gọi ngay".
_POINTING = frozenset((
    "em", "anh", "chi", "minh", "tui", "toi", "ban", "qua", "theo", "so", "sdt", "dt", "ngay",
    "cho", "voi", "nhe", "nha", "la", "o", "tai", "hoac", "hay", "lien", "he", "nhan", "tin",
    "ket",
))  # fmt: skip
_OTHER_WORDS_BETWEEN, _WORDS_BEFORE, _WORDS_AFTER = 1, 8, 2
_CLAUSE_END_RE = re.compile(r"[,;.!?]")  # "0905 115 115, tôi gọi rồi": the call is over
# dd/mm/yyyy (with "/", "." or "-"), or dd/mm with "/": read on the diacritics-free form.
_DATE_RE = re.compile(
    r"(?<![\d/.-])(?:[0-2]?\d|3[01])([/.-])(?:0?[1-9]|1[0-2])\1(?:19|20)\d\d(?!\d)"
    r"|(?<![\d/])(?:[0-2]?\d|3[01])/(?:0?[1-9]|1[0-2])(?![\d/])"
)
_INVITE_RE = re.compile(r"\b(?:ib|inbox|ibox|ib riêng|nhắn tin riêng|kết bạn zalo)\b")


@dataclass(frozen=True)
class Phone:
    """A mobile number found in a comment: its range of ``clean``, and whether some digit
    was written as a word."""

    start: int
    end: int
    spelled: bool


def find_phones(norm: Normalized) -> list[Phone]:
    """Return each mobile number in the comment, dates aside."""
    dates = [m.span() for m in _DATE_RE.finditer(norm.clean_plain)]
    found = []
    for run in digit_runs(norm):
        for first, end in _aligned_mobiles(run):
            a, b = run.clean_range(first, end)
            if any(a < d_end and d_start < b for d_start, d_end in dates):
                continue
            a -= a > 0 and norm.clean[a - 1] == "+"  # "+84": the plus belongs to the number
            tokens = run.tokens[_tokens(run, first, end)]
            spelled = any(not norm.clean_plain[s:e].isdigit() for s, e in tokens)
            found.append(Phone(a, b, spelled))
    return found


def _called(norm: Normalized, phones: list[Phone]) -> bool:
    """Whether a call to contact stands close to any of the numbers (see ``_POINTING``)."""
    plain = norm.clean_plain
    words = [m.span() for m in WORD_RE.finditer(plain)]  # once: a comment may hold many numbers
    starts = [a for a, _ in words]
    return any(_called_near(plain, words, starts, phone) for phone in phones)


def _called_near(plain: str, words: list[tuple[int, int]], starts: list[int], phone: Phone) -> bool:
    first_after = bisect.bisect_left(starts, phone.end)
    before = [w for w in words[max(0, first_after - 40) : first_after] if w[1] <= phone.start]
    after = words[first_after : first_after + _WORDS_AFTER]
    after = [w for w in after if not _CLAUSE_END_RE.search(plain, phone.end, w[0])]
    start, others = phone.start, 0
    for a, b in reversed(before[-_WORDS_BEFORE:]):
        others += plain[a:b] not in _POINTING and not _KEYWORD_RE.fullmatch(plain, a, b)
        if others > _OTHER_WORDS_BETWEEN:
            break
        start = a
    end = after[-1][1] if after else phone.end
    return _KEYWORD_RE.search(plain, start, end) is not None


def _tokens(run: DigitRun, first: int, end: int) -> slice:
    return slice(run.token_of[first], run.token_of[end - 1] + 1)


def _aligned_mobiles(run: DigitRun) -> list[tuple[int, int]]:
    """Find numbers that start and end on token edges, so "2024 0912..." is not read whole."""
    edges = {k for k in range(len(run.digits) + 1) if _is_edge(run, k)}
    found: list[tuple[int, int]] = []
    for start in sorted(edges):
        if found and start < found[-1][1]:  # inside the last number (found in order)
            continue
        m = _MOBILE_RE.match(run.digits, start)
        if m and m.end() in edges:
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
    if phones:
        reasons.append(_phone_reason(norm, phones))
    handles, accounts = _handles(norm)
    if handles:
        msg = "Mời liên hệ qua ứng dụng nhắn tin (Zalo/Telegram/Facebook...)"
        en = "Chat-app handle (contact bait)"
        reasons.append(reason("contact_handle", msg, Verdict.SPAM, en, handles))
    if accounts:
        msg = "Nêu tên một tài khoản ứng dụng nhắn tin (Zalo/Telegram/Facebook...)"
        en = "Names a chat-app account"
        reasons.append(reason("contact_account", msg, Verdict.HOLD, en, accounts))
    invites = _spans(norm, _INVITE_RE, norm.clean)
    if invites and not phones and not handles and not accounts:
        msg = "Mời nhắn tin riêng (ib/inbox)"
        en = "Invitation to message privately"
        reasons.append(reason("contact_invite", msg, Verdict.HOLD, en, invites))
    return reasons


def _handles(norm: Normalized) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """Chat-app handles (ASCII ids: spam), and accounts named in Vietnamese after the app
    ("Zalo: Công an tỉnh", "Zalo: lấy lại tiền Tuấn Minh"), which may be a public page or
    bait, so a human decides."""
    handles: list[Span] = []
    accounts: list[Span] = []
    for m in _HANDLE_RE.finditer(norm.clean_plain):
        named = not norm.clean[m.start("handle") : m.end("handle")].isascii()
        (accounts if named else handles).append(norm.clean_span(*m.span()))
    return tuple(handles), tuple(accounts)


def _phone_reason(norm: Normalized, phones: list[Phone]) -> Reason:
    spans = tuple(norm.clean_span(phone.start, phone.end) for phone in phones)
    if any(phone.spelled for phone in phones):
        msg, en = "Số điện thoại viết bằng chữ để né bộ lọc", "Phone number spelled out in words"
        return reason("contact_phone", msg, Verdict.SPAM, en, spans, spelled=True)
    if _called(norm, phones):
        msg, en = "Để lại số điện thoại kèm lời mời liên hệ", "Phone number with a call to contact"
        return reason("contact_phone", msg, Verdict.SPAM, en, spans, spelled=False)
    msg, en = "Chứa số điện thoại", "Contains a phone number"
    return reason("contact_phone", msg, Verdict.HOLD, en, spans, spelled=False)
