"""Links: how many, to which domains, through shorteners, or spelled to dodge a filter.

Read on the ``clean`` form (case-folded, look-alikes folded, nothing rejoined), so
"WWW.NHACAI88.COM" and full-width dots are links too.

A link back to the page the comment sits on (``Context.page_urls``: the article's URL,
Akismet's permalink, Coral's story URL) is not promotion: readers paste it when they share
or quote the article, so it neither counts toward the limit nor reaches the classifier
(``drop_page_links``).

Verdicts: a blocked domain or a domain spelled to dodge detection ("nhacai88 . com",
"nhacai88[.]com", "nhacai88 chấm com") is spam: nobody does that by accident. A link to a
chat app (zalo.me, t.me, ...) is contact bait, also spam. A shortener hides where it
leads, which spammers want and readers rarely need, but a reader may paste a t.co link
from a tweet, so it holds for a human instead of deciding spam.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from workers.engine.normalize import Normalized
from workers.engine.rules.base import reason
from workers.engine.types import CommentInput, Context, Reason, Verdict

SHORTENERS = frozenset(
    {"bit.ly", "bitly.com", "tinyurl.com", "goo.gl", "t.co", "cutt.ly", "shorturl.at", "rb.gy"}
    | {"is.gd", "v.gd", "ow.ly", "tiny.cc", "s.id", "buff.ly", "rebrand.ly", "t.ly", "adf.ly"}
    | {"shorte.st", "bl.ink", "short.io", "tinu.be", "shorturl.asia", "link1s.com"}
)
MESSENGER_HOSTS = frozenset({"zalo.me", "t.me", "telegram.me", "m.me", "wa.me", "viber.click"})
_TLD = (
    r"com\.vn|net\.vn|org\.vn|edu\.vn|gov\.vn|com|net|org|info|biz|vn|io|co|me|xyz|top|club|"
    r"online|site|live|bet|vip|win|cc|tk|ly|gl|gd|tv|app|link|shop|store|asia|pro|fun|icu|us|"
    r"gy|at|id|st|ink|be"
)
_STRONG_TLD = r"com|net|org|info|vn|xyz|top|club|bet|vip|win|cc|me|io|co|site|online|live"
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]+")
_URL_ANY_CASE_RE = re.compile(_URL_RE.pattern, re.IGNORECASE)  # for text not yet case-folded
_BARE_RE = re.compile(
    rf"(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLD})(?![\w-])(?:/[^\s<>\"']*)?"
)
_HIDDEN_DOT = (
    r"(?: ?(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\[chấm\]|\(chấm\)) ?"
    r"| \. ?|\. | (?:chấm|cham|dot) )"
)
_OBFUSCATED_RE = re.compile(
    rf"(?<![\w.-])([a-z0-9][a-z0-9-]{{2,}}){_HIDDEN_DOT}({_STRONG_TLD})(?![\w])"
)
_TRAILING = ".,;:!?)]}>"
_TRACKING_PARAMS = ("utm_", "fbclid", "gclid")


@dataclass(frozen=True)
class Link:
    """A link found in a comment: its host, where it sits in ``clean``, how it was written."""

    host: str
    start: int
    end: int
    kind: str  # "url", "bare" or "obfuscated"


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    return host.removeprefix("www.").rstrip(".")


@dataclass(frozen=True)
class PageAddress:
    """A URL reduced to what names a page: host (no www./m.), path, non-tracking query."""

    host: str
    path: str
    query: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, url: str) -> PageAddress:
        try:
            parts = urlsplit(url if "://" in url else "http://" + url)
            host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
        except ValueError:  # a malformed host ("http://[x"): no page matches it
            return cls(url.casefold(), "", frozenset())
        query = frozenset(
            (k.casefold(), v.casefold())
            for k, v in parse_qsl(parts.query)
            if not k.casefold().startswith(_TRACKING_PARAMS)
        )
        return cls(host.casefold(), parts.path.rstrip("/").casefold(), query)

    def is_linked_by(self, url: str) -> bool:
        """True if url opens this page; extra query parameters (share=, t=) do not matter."""
        other = PageAddress.of(url)
        return (other.host, other.path) == (self.host, self.path) and self.query <= other.query


def page_addresses(page_urls: Sequence[str]) -> tuple[PageAddress, ...]:
    return tuple(PageAddress.of(url) for url in page_urls if url.strip())


def _links_to_page(url: str, pages: Sequence[PageAddress]) -> bool:
    return any(page.is_linked_by(url) for page in pages)


def drop_page_links(text: str, page_urls: Sequence[str]) -> str:
    """Blank out the explicit URLs in text that point back to one of page_urls."""
    pages = page_addresses(page_urls)
    if not pages:
        return text

    def blank(m: re.Match[str]) -> str:
        url = m.group().rstrip(_TRAILING)
        return " " + m.group()[len(url) :] if _links_to_page(url, pages) else m.group()

    return _URL_ANY_CASE_RE.sub(blank, text)


def find_links(clean: str) -> list[Link]:
    """Find explicit URLs, bare domains and dodged domains in a ``clean`` form."""
    links = []
    for m in _URL_RE.finditer(clean):
        url = m.group().rstrip(_TRAILING)
        links.append(Link(_host(url), m.start(), m.start() + len(url), "url"))
    taken = [(link.start, link.end) for link in links]
    for m in _BARE_RE.finditer(clean):
        if not any(a <= m.start() < b for a, b in taken):
            url = m.group().rstrip(_TRAILING)
            links.append(Link(_host(url), m.start(), m.start() + len(url), "bare"))
    for m in _OBFUSCATED_RE.finditer(clean):
        links.append(Link(f"{m.group(1)}.{m.group(2)}", m.start(), m.end(), "obfuscated"))
    return sorted(links, key=lambda link: link.start)


def _under(host: str, domains: frozenset[str] | tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def check_links(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Hold on too many links or shorteners; spam on blocked, chat-app or dodged domains."""
    pages = page_addresses(context.page_urls)
    links = [
        link
        for link in find_links(norm.clean)
        if link.kind == "obfuscated" or not _links_to_page(norm.clean[link.start : link.end], pages)
    ]
    if not links:
        return []
    blocked = tuple(d.strip().lower().removeprefix("www.") for d in context.rules.blocked_domains)
    spans = {link: norm.clean_span(link.start, link.end) for link in links}
    reasons = []
    if len(links) > context.rules.max_links:
        msg = f"Quá nhiều liên kết: {len(links)} (tối đa {context.rules.max_links})"
        en = f"Too many links: {len(links)} (limit {context.rules.max_links})"
        reasons.append(reason("too_many_links", msg, Verdict.HOLD, en, spans.values()))
    for code, verdict, test, message, en in _LINK_CHECKS:
        hits = [link for link in links if test(link, blocked)]
        if hits:
            hosts = ", ".join(sorted({link.host for link in hits}))
            found = [spans[link] for link in hits]
            reasons.append(reason(code, f"{message}: {hosts}", verdict, f"{en}: {hosts}", found))
    return reasons


_LINK_CHECKS = (
    (
        "blocked_domain",
        Verdict.SPAM,
        lambda link, blocked: _under(link.host, blocked),
        "Liên kết tới tên miền bị chặn",
        "Links to a blocked domain",
    ),
    (
        "messenger_link",
        Verdict.SPAM,
        lambda link, blocked: _under(link.host, MESSENGER_HOSTS),
        "Liên kết mời nhắn tin riêng",
        "Links to a private chat",
    ),
    (
        "obfuscated_link",
        Verdict.SPAM,
        lambda link, blocked: link.kind == "obfuscated",
        "Tên miền viết lách để né bộ lọc",
        "Domain spelled to dodge the filter",
    ),
    (
        "url_shortener",
        Verdict.HOLD,
        lambda link, blocked: _under(link.host, SHORTENERS),
        "Liên kết rút gọn (không rõ đích đến)",
        "Shortened link hides its target",
    ),
)
