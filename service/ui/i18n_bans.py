"""The words of the desk's page of bans in force, in Vietnamese and English (merged into
service.ui.i18n's catalogs)."""

from __future__ import annotations

VI: dict[str, str] = {
    "nav.bans": "Lệnh chặn",
    "bans.title": "Lệnh chặn đang có hiệu lực",
    "bans.intro": (
        "Bình luận mới của tác giả bị chặn bị từ chối tự động. Email chỉ hiện dưới dạng mã"
        " băm, như trên thẻ bình luận."
    ),
    "bans.caption": "Mới nhất trước",
    "bans.any_kind": "Mọi loại",
    "bans.detail": "Tác giả",
    "bans.since": "Chặn lúc",
    "bans.banned_by": "Người chặn",
    "bans.older": "Các lệnh chặn cũ hơn →",
}

EN: dict[str, str] = {
    "nav.bans": "Bans",
    "bans.title": "Bans in force",
    "bans.intro": (
        "New comments from a banned author are rejected automatically. An email shows only"
        " as its hash, as on the comment cards."
    ),
    "bans.caption": "Newest first",
    "bans.any_kind": "Any kind",
    "bans.detail": "Author",
    "bans.since": "Banned at",
    "bans.banned_by": "Banned by",
    "bans.older": "Older bans →",
}
