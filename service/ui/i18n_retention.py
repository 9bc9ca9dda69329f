"""The words about forgetting readers' IP addresses and user agents after a site's days
(workers/retention.py), in Vietnamese and English (merged into service.ui.i18n's catalogs)."""

from __future__ import annotations

VI: dict[str, str] = {
    "card.ip_forgotten": "đã xóa sau {days} ngày",
    "ban.ip_forgotten": (
        "Địa chỉ IP của bình luận này đã được xóa sau {days} ngày theo cài đặt của trang,"
        " nên không thể chặn theo IP."
    ),
    "history.ip_forgotten": (
        "Trang chỉ giữ địa chỉ IP và trình duyệt của độc giả trong {days} ngày: của bình luận"
        " này đã được xóa, nên không tìm hay chặn được theo IP."
    ),
    "audit.reader_network_forgotten": "xóa IP và trình duyệt của độc giả ở các bình luận cũ",
    "settings.privacy": "Dữ liệu của độc giả",
    "settings.forget_reader_network_after_days": (
        "Xóa địa chỉ IP và trình duyệt (user agent) của độc giả sau (ngày)"
    ),
    "settings.forget_hint": (
        "Địa chỉ IP và trình duyệt giúp phát hiện spam dồn dập, chặn theo IP và nhận ra một"
        " người dùng nhiều tên, nhưng không nên giữ mãi (Nghị định 13/2023/NĐ-CP, GDPR)."
        " Quá số ngày này, tiến trình nền xóa chúng khỏi bình luận, mỗi giờ một lần;"
        " lệnh chặn theo IP vẫn giữ. Từ 1 đến 3650 ngày, mặc định 90."
    ),
    "settings.forget_last": "Lần xóa gần nhất: {when}, {count} bình luận đăng trước {cutoff}.",
    "settings.forget_never": "Chưa có bình luận nào cũ đến mức phải xóa.",
}

EN: dict[str, str] = {
    "card.ip_forgotten": "forgotten after {days} days",
    "ban.ip_forgotten": (
        "This comment's IP address was forgotten after {days} days, as the site's settings"
        " say, so it cannot be banned by IP."
    ),
    "history.ip_forgotten": (
        "The site keeps readers' IP addresses and browsers for {days} days: this comment's"
        " are gone, so nothing can be found or banned by its IP."
    ),
    "audit.reader_network_forgotten": "forgot readers' IPs and user agents on old comments",
    "settings.privacy": "Readers' data",
    "settings.forget_reader_network_after_days": (
        "Forget readers' IP addresses and user agents after (days)"
    ),
    "settings.forget_hint": (
        "IP addresses and user agents help catch floods, ban by IP and spot one person"
        " behind many names, but should not be kept for ever (Decree 13/2023/ND-CP, GDPR)."
        " Past this many days the workers clear them from comments, hourly; bans by IP"
        " stay. 1 to 3650 days, 90 by default."
    ),
    "settings.forget_last": "Last cleared: {when}, {count} comments posted before {cutoff}.",
    "settings.forget_never": "No comment has been old enough to clear yet.",
}
