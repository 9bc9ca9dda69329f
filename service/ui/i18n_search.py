"""The words of the desk's search box, in Vietnamese and English (merged into
service.ui.i18n's catalogs)."""

from __future__ import annotations

VI: dict[str, str] = {
    "search.label": "Tìm bình luận",
    "search.by": "Tìm theo",
    "search.by.auto": "Tự nhận biết",
    "search.by.id": "Mã bình luận",
    "search.by.email": "Email tác giả",
    "search.by.author": "Mã tác giả",
    "search.by.ip": "Địa chỉ IP",
    "search.by.text": "Nội dung",
    "search.submit": "Tìm",
    "search.hint": (
        "Mã bình luận, email, mã tác giả hoặc IP mở trang tương ứng. Nội dung từ {min} ký tự trở"
        " lên được tìm trong mọi bình luận của thẻ (hoặc mọi trạng thái) theo các bộ lọc; ngắn"
        " hơn, hoặc ở thẻ «Chờ máy xét», thì mỗi lần trong {n} bình luận mới nhất. Nhấn Enter"
        " để tìm."
    ),
    "search.within": "Tìm trong",
    "search.within.tab": "Thẻ đang mở",
    "search.within.all": "Mọi trạng thái",
    "search.found": "Tìm thấy {count} có «{q}» trong thẻ «{tab}», mới nhất trước.",
    "search.found_everywhere": "Tìm thấy {count} có «{q}» ở mọi trạng thái, mới nhất trước.",
    "search.count": "{n} bình luận",
    "search.count.one": "1 bình luận",
    "search.count.more": "hơn {n} bình luận",
    "search.count.at_least": "ít nhất {n} bình luận",
    "search.stopped": (
        "Trang này dừng sau {n} bình luận chỉ giống khi bỏ dấu; bấm «Trang sau» để tìm tiếp."
    ),
    "search.too_short_everywhere": "Tìm ở mọi trạng thái cần ít nhất {n} ký tự.",
    "search.results": (
        "{n} bình luận có «{q}» trong {scanned} bình luận mới nhất đã xem của thẻ «{tab}»."
    ),
    "search.more": "Còn bình luận cũ hơn chưa xem: bấm «Tìm tiếp» ở cuối trang.",
    "search.done": "Đã xem hết thẻ này.",
    "search.further": "Tìm tiếp trong bình luận cũ hơn",
    "search.authors": "Tác giả có chi tiết này:",
    "search.clear": "Bỏ tìm kiếm",
    "search.no_comment": "Không có bình luận {id}.",
    "search.no_author": "Không có bình luận nào với {kind} «{value}».",
    "search.too_short": "Hãy gõ ít nhất {n} ký tự.",
}

EN: dict[str, str] = {
    "search.label": "Find a comment",
    "search.by": "Search by",
    "search.by.auto": "Guess from the text",
    "search.by.id": "Comment id",
    "search.by.email": "Author's email",
    "search.by.author": "Author id",
    "search.by.ip": "IP address",
    "search.by.text": "Text",
    "search.submit": "Search",
    "search.hint": (
        "A comment id, email, author id or IP opens its page. Text of {min} characters or more"
        " is searched in every comment of the tab (or of every status) under the filters;"
        " shorter text, or in the «Waiting for the worker» tab, in the {n} newest at a time."
        " Press Enter to search."
    ),
    "search.within": "Search in",
    "search.within.tab": "This tab",
    "search.within.all": "Every status",
    "search.found": "Found {count} with «{q}» in the «{tab}» tab, newest first.",
    "search.found_everywhere": "Found {count} with «{q}» in every status, newest first.",
    "search.count": "{n} comments",
    "search.count.one": "1 comment",
    "search.count.more": "more than {n} comments",
    "search.count.at_least": "at least {n} comments",
    "search.stopped": (
        "This page stopped after {n} comments that match only without the accents;"
        " «Next page» reads on."
    ),
    "search.too_short_everywhere": "Searching every status takes at least {n} characters.",
    "search.results": (
        "{n} comments with «{q}» among the {scanned} newest comments read of the «{tab}» tab."
    ),
    "search.more": "Older comments are not read yet: use «Search further» at the end of the page.",
    "search.done": "This tab has been read to its end.",
    "search.further": "Search further in older comments",
    "search.authors": "Authors with this detail:",
    "search.clear": "Clear the search",
    "search.no_comment": "No comment {id}.",
    "search.no_author": "No comment with {kind} «{value}».",
    "search.too_short": "Type at least {n} characters.",
}
