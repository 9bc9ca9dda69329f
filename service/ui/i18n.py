"""The desk's words in Vietnamese (default) and English, and dates in the viewer's time zone.

A plain dict catalog: no compile step, and a test checks both languages have every key.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from service.notices import REASON_WORDS
from service.ui import i18n_accounts, i18n_bans, i18n_retention, i18n_search

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
TIMEZONES = (
    "Asia/Ho_Chi_Minh",
    "Asia/Bangkok",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
)
_FORMATS = {"vi": "%d/%m/%Y %H:%M", "en": "%d %b %Y, %H:%M"}

VI: dict[str, str] = {
    "app.name": "duyet — bàn kiểm duyệt",
    "app.short": "duyet",
    "nav.skip": "Chuyển đến nội dung chính",
    "nav.queue": "Hàng đợi",
    "nav.overview": "Tổng quan",
    "overview.title": "Tổng quan kiểm duyệt",
    "overview.caption": "Hệ thống và biên tập viên đã làm gì",
    "overview.figure": "Số liệu",
    "overview.period.day": "24 giờ qua",
    "overview.period.week": "7 ngày qua",
    "overview.waiting": "{count} bình luận đang chờ duyệt; lâu nhất từ {when}.",
    "overview.nothing_waiting": "Không có bình luận nào đang chờ duyệt.",
    "overview.received": "Bình luận nhận được",
    "overview.engine.approve": "Hệ thống đăng ngay",
    "overview.engine.hold": "Hệ thống giữ lại chờ duyệt",
    "overview.engine.spam": "Hệ thống chặn là spam",
    "overview.engine.reject": "Hệ thống từ chối",
    "overview.held_then_approved": "Bị giữ lại, biên tập viên duyệt (báo động nhầm)",
    "overview.held_then_kept_out": "Bị giữ lại, biên tập viên từ chối hoặc chặn",
    "overview.published_then_removed": "Hệ thống đã đăng, biên tập viên gỡ",
    "overview.kept_out_then_approved": "Hệ thống đã chặn, biên tập viên duyệt lại",
    "overview.explain": (
        "Mỗi tỉ lệ tính trên các bình luận hệ thống đã quyết định trong kỳ, theo tình trạng"
        " hiện giờ của chúng: trong số bị giữ lại, bao nhiêu đã được duyệt; trong số đã đăng,"
        " bao nhiêu bị gỡ. Quyết định đã hoàn tác không được tính."
    ),
    "overview.held_for.caption": "Vì sao bình luận bị giữ lại, 7 ngày qua",
    "overview.held_for.reason": "Lý do",
    "overview.held_for.held": "Giữ lại",
    "overview.held_for.approved": "BTV duyệt",
    "overview.held_for.kept_out": "BTV từ chối, chặn",
    "overview.held_for.explain": (
        "BTV: biên tập viên. Bình luận bị giữ lại vì hai lý do được tính ở cả hai dòng. Lý do"
        " nào hay được biên tập viên duyệt là lý do báo động nhầm: hãy xem lại quy tắc hoặc"
        " ngưỡng của nó."
    ),
    "nav.settings": "Cài đặt trang",
    "nav.main": "Điều hướng chính",
    "nav.signed_in_as": "Đăng nhập: {name}",
    "nav.logout": "Đăng xuất",
    "prefs.language": "Ngôn ngữ",
    "prefs.timezone": "Múi giờ",
    "prefs.save": "Áp dụng",
    "prefs.legend": "Tùy chọn hiển thị",
    "login.title": "Đăng nhập kiểm duyệt viên",
    "login.username": "Tên đăng nhập",
    "login.password": "Mật khẩu",
    "login.submit": "Đăng nhập",
    "login.failed": (
        "Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đang bị khóa (khóa 15 phút sau 5 lần sai)."
    ),
    "login.logged_out": "Bạn đã đăng xuất.",
    "error.title": "Có lỗi",
    "error.csrf": "Phiên làm việc đã hết hạn hoặc yêu cầu không hợp lệ. Hãy tải lại trang.",
    "error.forbidden": "Bạn không có quyền xem trang này.",
    "error.not_found": "Không tìm thấy.",
    "error.back": "Quay lại hàng đợi",
    "tab.held": "Chờ duyệt",
    "tab.reported": "Bị báo cáo",
    "tab.pending": "Chờ máy xét",
    "pending.read_only": (
        "Bình luận đang chờ worker xét: worker quyết định, ở đây chỉ để xem (không có nút)."
    ),
    "pending.oldest": "Bình luận chờ lâu nhất đã chờ {age}, từ",
    "pending.stalled": (
        "Quá lâu: worker có thể đang ngừng hoặc quá tải. Báo cho người vận hành (duyet worker)."
    ),
    "pending.none": "Không có bình luận nào đang chờ worker.",
    "pending.card": "Đang chờ worker xét: chưa thể quyết định.",
    "age.seconds": "{n} giây",
    "age.minutes": "{n} phút",
    "age.hours": "{n} giờ",
    "tab.approved": "Đã duyệt",
    "tab.spam": "Spam",
    "tab.rejected": "Đã từ chối",
    "tab.label": "Trạng thái",
    "queue.title": "Hàng đợi kiểm duyệt",
    "queue.filters": "Bộ lọc",
    "queue.site": "Trang",
    "queue.all_sites": "Tất cả các trang",
    "queue.article": "Mã bài viết",
    "queue.section": "Chuyên mục",
    "queue.all_sections": "Mọi chuyên mục",
    "scope.yours": "Phạm vi của bạn: trang {sites}; chuyên mục {sections}",
    "scope.all_sites": "mọi trang",
    "scope.all_sections": "mọi chuyên mục",
    "queue.reason": "Lý do",
    "queue.any_reason": "Mọi lý do",
    "queue.order": "Thứ tự",
    "queue.order.oldest": "Cũ nhất trước",
    "queue.order.newest": "Mới nhất trước",
    "queue.order.riskiest": "Rủi ro nhất trước",
    "queue.apply": "Lọc",
    "queue.reset": "Bỏ lọc",
    "queue.empty": "Không còn bình luận nào ở đây.",
    "queue.next": "Trang sau",
    "queue.first": "Về trang đầu",
    "queue.results": "Danh sách bình luận",
    "queue.shortcuts": "Phím tắt",
    "queue.shortcuts_text": (
        "j/k: chuyển bình luận · x: chọn · a: duyệt · r: từ chối · s: spam · "
        "b: chặn tác giả · u: hoàn tác (trong 10 giây) · ?: trợ giúp"
    ),
    "bulk.label": "Thao tác hàng loạt",
    "bulk.select_all": "Chọn tất cả trên trang",
    "bulk.selected": "Đã chọn: {n}",
    "bulk.approve": "Duyệt các mục đã chọn",
    "bulk.reject": "Từ chối các mục đã chọn",
    "bulk.spam": "Đánh dấu spam các mục đã chọn",
    "card.select": "Chọn bình luận #{id}",
    "card.article": "Bài viết",
    "card.author": "Tác giả",
    "card.anonymous": "(không rõ)",
    "card.time": "Thời gian",
    "card.ip": "IP",
    "card.email_hash": "Mã email",
    "card.no_email": "(không có email)",
    "card.author_id": "Mã tác giả",
    "card.reply_to": "Trả lời bình luận của {name}",
    "card.reasons": "Lý do",
    "card.no_reasons": "Không có lý do nào được ghi.",
    "card.scores": "Điểm",
    "card.score.spam": "Spam",
    "card.score.abuse": "Xúc phạm",
    "card.history": "Lịch sử tác giả",
    "card.history_counts": "{approved} đã duyệt · {rejected} bị từ chối/spam · {total} tổng",
    "card.recent": "Bình luận gần đây",
    "card.no_history": "Chưa có bình luận nào khác.",
    "card.reports": "{n} lượt báo cáo",
    "card.edited": "Đã sửa {n} lần",
    "pick.badge": "Nổi bật",
    "pick.by": "Chọn đăng nổi bật: {who}, {when}",
    "pick.feature": "Chọn đăng nổi bật",
    "pick.unfeature": "Bỏ nổi bật",
    "pick.not_published": (
        "Chỉ chọn đăng nổi bật được bình luận đang đăng: bình luận #{id} giờ ở trạng thái"
        " «{status}»."
    ),
    "card.report_reasons": "Độc giả báo cáo",
    "card.report_notes": "Ghi chú mới nhất của độc giả",
    "report.spam": "spam",
    "report.abuse": "xúc phạm",
    "report.off_topic": "lạc đề",
    "report.misinformation": "thông tin sai",
    "report.other": "lý do khác",
    "card.status": "Trạng thái: {status}",
    "card.decided_by": "Quyết định gần nhất: {verdict} bởi {who}, {when}",
    "card.open_history": "Lịch sử bình luận",
    "card.open_author": "Tất cả bình luận của tác giả",
    "card.highlight": "đoạn bị đánh dấu",
    "card.body": "Nội dung",
    "action.approve": "Duyệt",
    "action.reject": "Từ chối",
    "action.spam": "Spam",
    "action.ban": "Chặn tác giả",
    "action.ban_extend": "Gia hạn chặn tác giả",
    "action.undo": "Hoàn tác",
    "action.reject_reason": "Lý do từ chối",
    "action.note": "Ghi chú cho quyết định (tùy chọn)",
    "action.group": "Thao tác cho bình luận #{id}",
    "action.done.approve": "Đã duyệt #{id}.",
    "action.done.reject": "Đã từ chối #{id}.",
    "action.done.spam": "Đã đánh dấu spam #{id}.",
    "action.done.ban": "Đã chặn tác giả của #{id}.",
    "action.done.undo": "Đã hoàn tác.",
    "action.done.bulk": "Đã xử lý {n} bình luận.",
    "action.undo_hint": "Nhấn u hoặc nút Hoàn tác trong 10 giây.",
    "action.failed": "Không thực hiện được: {message}",
    "action.nothing_selected": "Chưa chọn bình luận nào.",
    "action.undo_expired": "Đã quá 10 giây, không thể hoàn tác.",
    "action.undone": "Đã hoàn tác {ids}.",
    "action.undo_failed": "Không hoàn tác được {message}",
    "undo.not_latest": "sau thao tác của bạn đã có thao tác khác trên bình luận này.",
    "undo.too_late": "đã quá thời gian hoàn tác.",
    "undo.changed": "bình luận vừa thay đổi.",
    "undo.ban_stays": (
        "Lệnh chặn tác giả của #{id} vẫn còn: hoàn tác không bỏ chặn. Bỏ chặn ở trang «{page}»."
    ),
    "action.stale": (
        "Biên tập viên khác vừa quyết định bình luận này: giờ nó ở trạng thái «{status}»."
        " Thẻ đã được cập nhật; hãy xem lại trước khi quyết định."
    ),
    "reject.rules": "Vi phạm quy định",
    "reject.abuse": "Xúc phạm, thô tục",
    "reject.off_topic": "Lạc đề",
    "reject.misinformation": "Thông tin sai lệch",
    "reject.personal_data": "Lộ thông tin cá nhân",
    "reject.advertising": "Quảng cáo",
    "ban.title": "Chặn tác giả",
    "ban.by": "Chặn theo",
    "ban.kind.email": "Email",
    "ban.kind.author": "Mã tác giả",
    "ban.kind.ip": "Địa chỉ IP",
    "ban.duration": "Thời hạn",
    "ban.days.1": "1 ngày",
    "ban.days.7": "7 ngày",
    "ban.days.30": "30 ngày",
    "ban.days.0": "Vĩnh viễn",
    "ban.reason": "Ghi chú",
    "ban.also_reject": "Từ chối luôn bình luận này",
    "ban.submit": "Chặn",
    "ban.submit_extend": "Gia hạn chặn",
    "ban.now_until": "đang bị chặn đến {when}: chặn lại sẽ gia hạn",
    "ban.now_forever": "đang bị chặn vĩnh viễn",
    "card.banned_until": "Tác giả đã bị chặn đến {when} (theo {kinds})",
    "card.banned_forever": "Tác giả đã bị chặn vĩnh viễn (theo {kinds})",
    "ban.active": "Đang bị chặn",
    "ban.until": "đến {when}",
    "ban.forever": "vĩnh viễn",
    "ban.lift": "Bỏ chặn",
    "ban.none": "Không có lệnh chặn nào.",
    "ban.extended": "Tác giả của #{id} đã bị chặn đến {before}, nay gia hạn đến {until}.",
    "ban.extended_forever": "Tác giả của #{id} đã bị chặn đến {before}, nay chặn vĩnh viễn.",
    "ban.kept": "Tác giả của #{id} đã bị chặn đến {until}: lệnh chặn giữ nguyên.",
    "ban.kept_forever": "Tác giả của #{id} đã bị chặn vĩnh viễn: lệnh chặn giữ nguyên.",
    "status.pending": "Đang chờ máy xét",
    "status.held": "Chờ duyệt",
    "status.approved": "Đã duyệt",
    "status.spam": "Spam",
    "status.rejected": "Đã từ chối",
    "status.deleted": "Đã xóa",
    "verdict.approve": "duyệt",
    "verdict.hold": "giữ lại",
    "verdict.spam": "spam",
    "verdict.reject": "từ chối",
    "who.system": "hệ thống",
    "history.comment_title": "Lịch sử bình luận #{id}",
    "history.author_title": "Bình luận của {name}",
    "history.decisions": "Các quyết định",
    "history.audit": "Nhật ký thao tác",
    "history.when": "Lúc",
    "history.who": "Ai",
    "history.what": "Việc",
    "history.verdict": "Kết luận",
    "history.note": "Ghi chú",
    "history.change": "Thay đổi",
    "history.none": "Chưa có gì.",
    "history.engine": "Phiên bản bộ lọc",
    "history.comments": "Các bình luận",
    "history.identity": "Nhận diện theo {kind}",
    "card.erased_author": "(đã xóa)",
    "history.reject_reason": "Lý do từ chối: {reason}",
    "history.previous_text": "Nội dung trước khi sửa",
    "audit.decide": "quyết định",
    "audit.approve": "duyệt",
    "audit.reject": "từ chối",
    "audit.spam": "đánh dấu spam",
    "audit.undo": "hoàn tác",
    "audit.report": "độc giả báo cáo",
    "audit.reports_threshold": "đủ số báo cáo, đưa về chờ duyệt",
    "audit.delete": "xóa theo yêu cầu của tác giả",
    "audit.ban": "chặn tác giả",
    "audit.unban": "bỏ chặn",
    "audit.ban_extend": "gia hạn chặn tác giả",
    "audit.webhook_delivered": "đã báo cho trang (webhook)",
    "audit.webhook_failed": "báo cho trang thất bại (webhook)",
    "audit.edit": "tác giả sửa bình luận, kiểm tra lại",
    "audit.moderator_scope": "đổi phạm vi của biên tập viên",
    "audit.moderator_create": "tạo tài khoản biên tập viên",
    "audit.moderator_password": "đặt mật khẩu mới cho biên tập viên",
    "audit.moderator_remove": "xóa tài khoản biên tập viên",
    "audit.moderator_role": "đổi vai trò của biên tập viên",
    "audit.moderator_unlock": "mở khóa đăng nhập cho biên tập viên",
    "audit.alert_sent": "đã gửi email báo bình luận chờ lâu",
    "audit.alert_failed": "gửi email báo bình luận chờ lâu thất bại",
    "audit.site_settings": "sửa cài đặt trang",
    "audit.key_create": "tạo khóa API",
    "audit.key_revoke": "thu hồi khóa API",
    "audit.model_retrain": "yêu cầu huấn luyện lại",
    "audit.webhook_secret_rotate": "đổi khóa bí mật webhook",
    "audit.webhook_secret_grace_end": "thôi ký bằng khóa bí mật webhook cũ",
    "audit.feature": "chọn đăng nổi bật",
    "audit.unfeature": "bỏ nổi bật",
    "settings.title": "Cài đặt trang {name}",
    "settings.choose_site": "Chọn trang",
    "settings.admins_only": "Chỉ quản trị viên được đổi cài đặt.",
    "settings.rules": "Quy tắc",
    "settings.banned_words": "Từ cấm (mỗi dòng một từ; từ chối)",
    "settings.suspect_words": "Từ đáng ngờ (mỗi dòng một từ; giữ lại chờ duyệt)",
    "settings.common_profanity": (
        "Giữ lại chờ duyệt các từ tục tĩu, miệt thị thường gặp (danh sách có sẵn)"
    ),
    "settings.profanity_allowed": (
        "Từ trong danh sách có sẵn mà trang này vẫn đăng (mỗi dòng một từ)"
    ),
    "settings.profanity_held": "Từ trong danh sách có sẵn đã giữ lại bình luận, {days} ngày qua",
    "settings.suspect_held": "Từ đáng ngờ đã giữ lại bình luận, {days} ngày qua",
    "settings.held_word": "Từ",
    "settings.profanity_hint": (
        "Từ nào biên tập viên hầu như luôn duyệt thì nên thêm vào ô trên: bình luận có nó sẽ"
        " không bị giữ lại vì nó nữa."
    ),
    "settings.profanity_queue": "Xem các bình luận đang bị giữ vì danh sách này.",
    "settings.profanity_list": "Cả danh sách có sẵn: {n} từ, trang này vẫn đăng {through} từ",
    "settings.let_through": "vẫn đăng",
    "settings.max_links": "Số liên kết tối đa",
    "settings.report_threshold": "Số báo cáo để đưa lại vào hàng đợi",
    "settings.premoderate_default": "Duyệt trước mọi bình luận ở bài viết mới",
    "settings.thresholds": "Ngưỡng của bộ phân loại (0–1)",
    "settings.spam_hold": "Spam: giữ lại từ",
    "settings.spam_reject": "Spam: từ chối từ",
    "settings.abuse_hold": "Xúc phạm: giữ lại từ",
    "settings.abuse_reject": "Xúc phạm: từ chối từ",
    "settings.alerts": "Báo cho ban biên tập qua email",
    "settings.alert_emails": "Gửi tới các địa chỉ (mỗi dòng một địa chỉ; để trống: không gửi)",
    "settings.alert_after_minutes": "Khi bình luận chờ duyệt quá (phút)",
    "settings.alerts_hint": (
        "Một thư báo số bình luận chờ quá lâu và đường dẫn tới hàng đợi, không kèm nội dung"
        " bình luận; không gửi lại trước số phút này."
    ),
    "settings.alerts_off": (
        "Máy chủ chưa cấu hình gửi thư (DUYET_SMTP_URL): địa chỉ được lưu nhưng chưa thư nào"
        " được gửi."
    ),
    "settings.webhook": "Webhook",
    "settings.webhook_url": "URL webhook",
    "settings.webhook_secret": "Khóa bí mật webhook (để trống: giữ nguyên)",
    "settings.webhook_secret_set": "Đã đặt khóa bí mật.",
    "settings.webhook_secret_clear": "Xóa khóa bí mật",
    "settings.save": "Lưu cài đặt",
    "settings.saved": "Đã lưu cài đặt.",
    "settings.saved_rotated": (
        "Đã lưu cài đặt. Sự kiện được ký bằng khóa bí mật mới, và bằng cả khóa cũ đến {when}."
    ),
    "settings.webhook_secret_hint": (
        "Lưu một khóa khác thì khóa cũ vẫn ký sự kiện thêm {hours} giờ, để bên nhận kịp đổi."
    ),
    "settings.webhook_signing": "Khóa ký webhook",
    "settings.webhook_grace": (
        "Đang đổi khóa: mỗi sự kiện mang hai chữ ký, bằng khóa mới và khóa cũ, đến {when}."
    ),
    "settings.webhook_grace_end": "Thôi dùng khóa cũ ngay",
    "settings.webhook_grace_ended": "Khóa cũ không còn ký sự kiện nào nữa.",
    "settings.webhook_grace_none": "Không có khóa cũ nào đang ký sự kiện.",
    "settings.webhook_rotate": "Tạo khóa bí mật mới",
    "settings.webhook_rotate_hint": (
        "Tạo một khóa ngẫu nhiên, chỉ hiện một lần; khóa đang dùng vẫn ký thêm {hours} giờ."
    ),
    "settings.webhook_secret_new": (
        "Khóa bí mật webhook mới — chỉ hiện một lần, hãy sao chép ngay."
        " Khóa cũ vẫn ký sự kiện đến {when}:"
    ),
    "settings.webhook_secret_new_alone": (
        "Khóa bí mật webhook mới — chỉ hiện một lần, hãy sao chép ngay:"
    ),
    "settings.invalid": "Cài đặt chưa hợp lệ, hãy sửa các ô được đánh dấu.",
    "settings.keys": "Khóa API",
    "settings.key_label": "Tên khóa",
    "settings.key_prefix": "Tiền tố",
    "settings.key_created": "Tạo lúc",
    "settings.key_state": "Tình trạng",
    "settings.key_active": "Đang dùng",
    "settings.key_revoked": "Đã thu hồi {when}",
    "settings.key_create": "Tạo khóa mới",
    "settings.key_revoke": "Thu hồi",
    "settings.key_new": "Khóa mới — chỉ hiện một lần, hãy sao chép ngay:",
    "settings.key_revoked_done": "Đã thu hồi khóa.",
    "settings.no_keys": "Chưa có khóa nào.",
    "settings.recent_changes": "Thay đổi gần đây",
    "settings.model": "Mô hình riêng của trang",
    "settings.model_trained": "Huấn luyện {when} trên {count} nhãn của biên tập viên:",
    "settings.model_report": (
        "Trên {held} quyết định để riêng: macro-F1 {own} (mô hình gốc: {shipped})."
    ),
    "settings.model_gain": (
        "Chênh lệch với mô hình gốc, khoảng tin cậy 95% trên chính các quyết định ấy: {low}"
        " đến {high} điểm."
    ),
    "settings.model_none": "Chưa có: bình luận của trang đang được chấm bằng mô hình gốc.",
    "settings.model_next": (
        "{count} nhãn mới từ lần huấn luyện trước; cứ {every} nhãn mới, worker huấn luyện lại."
    ),
    "settings.model_manual": (
        "{count} nhãn mới; chỉ huấn luyện lại khi quản trị yêu cầu (nút dưới đây hoặc lệnh"
        " duyet site retrain)."
    ),
    "settings.model_retrain": "Huấn luyện lại ngay",
    "settings.model_retrain_requested": (
        "Đã yêu cầu huấn luyện lại: worker bắt đầu trong vòng {seconds} giây, mô hình mới"
        " hiện ở đây khi xong (thường dưới hai phút)."
    ),
    "settings.model_retrain_nothing": "Không có nhãn mới nào từ lần huấn luyện trước.",
    "settings.model_state_requested": "Đã yêu cầu huấn luyện lại; đang chờ worker nhận.",
    "settings.model_state_training": "Worker đang huấn luyện lại mô hình của trang.",
    "settings.model_retrain_failed": "Không gửi được yêu cầu (Redis không trả lời); thử lại sau.",
    "reason.banned_word": "Chứa từ cấm",
    "reason.suspect_word": "Chứa từ đáng ngờ",
    "reason.common_profanity": "Từ tục tĩu, miệt thị",
    "reason.too_many_links": "Quá nhiều liên kết",
    "reason.blocked_domain": "Liên kết tới tên miền bị chặn",
    "reason.url_shortener": "Dùng dịch vụ rút gọn liên kết",
    "reason.messenger_link": "Liên kết nhắn tin",
    "reason.obfuscated_link": "Liên kết bị ngụy trang",
    "reason.contact_phone": "Số điện thoại",
    "reason.contact_handle": "Tài khoản Zalo/Telegram",
    "reason.contact_account": "Nêu tên tài khoản Zalo/Telegram",
    "reason.contact_invite": "Mời liên hệ riêng",
    "reason.self_promotion": "Tự quảng bá kênh, trang",
    "reason.check_failed": "Kiểm tra tự động thất bại, cần người duyệt",
    "reason.banned_sender": "Người gửi bị chặn",
    "reason.article_closed": "Bài viết đã khóa bình luận",
    "reason.article_premoderated": "Bài viết duyệt trước",
    "reason.flood": "Gửi quá dồn dập",
    "reason.near_duplicate": "Trùng lặp nội dung",
    "reason.author_rejected_before": "Tác giả từng bị từ chối",
    "reason.too_long": "Quá dài",
    "reason.shouting": "Viết hoa toàn bộ",
    "reason.emoji_only": "Chỉ có biểu tượng cảm xúc",
    "reason.char_flood": "Lặp ký tự",
    "reason.classifier_spam": "Điểm spam cao",
    "reason.classifier_abuse": "Điểm xúc phạm cao",
    "reason.feedback_spam": "Giống bình luận từng bị đánh dấu spam",
    "reason.feedback_abuse": "Giống bình luận từng bị từ chối",
    "reason.feedback_ham": "Giống bình luận từng được duyệt",
    "reason.remote_spam": "Bộ phân loại bên ngoài: spam",
    "reason.remote_abuse": "Bộ phân loại bên ngoài: xúc phạm",
    "reason.akismet_spam": "Akismet đánh giá là spam",
    "reason.model_unavailable": "Chưa có bộ phân loại: cần người xem",
    "reason.no_words": "Không có chữ để chấm điểm",
    "reason.empty": "Bình luận trống",
    "reason.trusted_author": "Tác giả tin cậy",
}

EN: dict[str, str] = {
    "app.name": "duyet — moderator's desk",
    "app.short": "duyet",
    "nav.skip": "Skip to main content",
    "nav.queue": "Queue",
    "nav.overview": "Overview",
    "overview.title": "Moderation overview",
    "overview.caption": "What the engine and the moderators did",
    "overview.figure": "Figure",
    "overview.period.day": "Last 24 hours",
    "overview.period.week": "Last 7 days",
    "overview.waiting": "{count} comments wait for a moderator; the oldest since {when}.",
    "overview.nothing_waiting": "No comment waits for a moderator.",
    "overview.received": "Comments received",
    "overview.engine.approve": "Published at once by the engine",
    "overview.engine.hold": "Held by the engine for a moderator",
    "overview.engine.spam": "Kept out by the engine as spam",
    "overview.engine.reject": "Rejected by the engine",
    "overview.held_then_approved": "Held, then approved by a moderator (false alarms)",
    "overview.held_then_kept_out": "Held, then rejected or marked spam by a moderator",
    "overview.published_then_removed": "Published by the engine, removed by a moderator",
    "overview.kept_out_then_approved": "Kept out by the engine, approved by a moderator",
    "overview.explain": (
        "Each share is of the comments the engine decided in the period, as they stand now:"
        " of those it held, how many a moderator approved; of those it published, how many"
        " were removed. An undone decision counts as nothing."
    ),
    "overview.held_for.caption": "Why comments were held, last 7 days",
    "overview.held_for.reason": "Reason",
    "overview.held_for.held": "Held",
    "overview.held_for.approved": "Approved",
    "overview.held_for.kept_out": "Rejected or spam",
    "overview.held_for.explain": (
        "Approved, rejected or spam: what moderators made of them. A comment held for two"
        " reasons counts in both rows. A reason whose comments moderators often approve is a"
        " source of false alarms: look again at its rule or threshold."
    ),
    "nav.settings": "Site settings",
    "nav.main": "Main navigation",
    "nav.signed_in_as": "Signed in: {name}",
    "nav.logout": "Sign out",
    "prefs.language": "Language",
    "prefs.timezone": "Time zone",
    "prefs.save": "Apply",
    "prefs.legend": "Display preferences",
    "login.title": "Moderator sign-in",
    "login.username": "Username",
    "login.password": "Password",
    "login.submit": "Sign in",
    "login.failed": (
        "Wrong username or password, or the account is locked (15 minutes after 5 failed attempts)."
    ),
    "login.logged_out": "You are signed out.",
    "error.title": "Something went wrong",
    "error.csrf": "Your session expired or the request was not valid. Reload the page.",
    "error.forbidden": "You may not see this page.",
    "error.not_found": "Not found.",
    "error.back": "Back to the queue",
    "tab.held": "Waiting",
    "tab.reported": "Reported",
    "tab.pending": "Waiting for the worker",
    "pending.read_only": (
        "Comments the worker has not decided yet: the worker decides them, so this tab is"
        " read-only (no buttons)."
    ),
    "pending.oldest": "The oldest has waited {age}, since",
    "pending.stalled": (
        "Too long: the worker may be down or overloaded. Tell whoever runs duyet (duyet worker)."
    ),
    "pending.none": "No comment is waiting for the worker.",
    "pending.card": "Waiting for the worker: it cannot be decided yet.",
    "age.seconds": "{n} seconds",
    "age.minutes": "{n} minutes",
    "age.hours": "{n} hours",
    "tab.approved": "Approved",
    "tab.spam": "Spam",
    "tab.rejected": "Rejected",
    "tab.label": "Status",
    "queue.title": "Moderation queue",
    "queue.filters": "Filters",
    "queue.site": "Site",
    "queue.all_sites": "All sites",
    "queue.article": "Article id",
    "queue.section": "Section",
    "queue.all_sections": "All sections",
    "scope.yours": "Your scope: sites {sites}; sections {sections}",
    "scope.all_sites": "all sites",
    "scope.all_sections": "all sections",
    "queue.reason": "Reason",
    "queue.any_reason": "Any reason",
    "queue.order": "Order",
    "queue.order.oldest": "Oldest first",
    "queue.order.newest": "Newest first",
    "queue.order.riskiest": "Riskiest first",
    "queue.apply": "Filter",
    "queue.reset": "Clear filters",
    "queue.empty": "Nothing left here.",
    "queue.next": "Next page",
    "queue.first": "First page",
    "queue.results": "Comments",
    "queue.shortcuts": "Keyboard shortcuts",
    "queue.shortcuts_text": (
        "j/k: move · x: select · a: approve · r: reject · s: spam · "
        "b: ban author · u: undo (within 10 seconds) · ?: help"
    ),
    "bulk.label": "Bulk actions",
    "bulk.select_all": "Select all on this page",
    "bulk.selected": "Selected: {n}",
    "bulk.approve": "Approve selected",
    "bulk.reject": "Reject selected",
    "bulk.spam": "Mark selected as spam",
    "card.select": "Select comment #{id}",
    "card.article": "Article",
    "card.author": "Author",
    "card.anonymous": "(unknown)",
    "card.time": "Time",
    "card.ip": "IP",
    "card.email_hash": "Email hash",
    "card.no_email": "(no email)",
    "card.author_id": "Author id",
    "card.reply_to": "Reply to a comment by {name}",
    "card.reasons": "Reasons",
    "card.no_reasons": "No reasons were recorded.",
    "card.scores": "Scores",
    "card.score.spam": "Spam",
    "card.score.abuse": "Abuse",
    "card.history": "Author's history",
    "card.history_counts": "{approved} approved · {rejected} rejected/spam · {total} in all",
    "card.recent": "Recent comments",
    "card.no_history": "No other comments yet.",
    "card.reports": "{n} reports",
    "card.edited": "Edited {n}×",
    "pick.badge": "Featured",
    "pick.by": "Featured by {who}, {when}",
    "pick.feature": "Feature",
    "pick.unfeature": "Unfeature",
    "pick.not_published": ("Only a published comment can be featured: #{id} is now “{status}”."),
    "card.report_reasons": "Readers reported",
    "card.report_notes": "Readers' latest notes",
    "report.spam": "spam",
    "report.abuse": "abuse",
    "report.off_topic": "off topic",
    "report.misinformation": "misinformation",
    "report.other": "other",
    "card.status": "Status: {status}",
    "card.decided_by": "Latest decision: {verdict} by {who}, {when}",
    "card.open_history": "Comment history",
    "card.open_author": "All comments by this author",
    "card.highlight": "highlighted passage",
    "card.body": "Text",
    "action.approve": "Approve",
    "action.reject": "Reject",
    "action.spam": "Spam",
    "action.ban": "Ban author",
    "action.ban_extend": "Extend the author's ban",
    "action.undo": "Undo",
    "action.reject_reason": "Reason to reject",
    "action.note": "Note on the decision (optional)",
    "action.group": "Actions for comment #{id}",
    "action.done.approve": "Approved #{id}.",
    "action.done.reject": "Rejected #{id}.",
    "action.done.spam": "Marked #{id} as spam.",
    "action.done.ban": "Banned the author of #{id}.",
    "action.done.undo": "Undone.",
    "action.done.bulk": "Handled {n} comments.",
    "action.undo_hint": "Press u or Undo within 10 seconds.",
    "action.failed": "Could not do that: {message}",
    "action.nothing_selected": "No comment is selected.",
    "action.undo_expired": "More than 10 seconds passed; cannot undo.",
    "action.undone": "Undone: {ids}.",
    "action.undo_failed": "Could not undo {message}",
    "undo.not_latest": "someone acted on this comment after you.",
    "undo.too_late": "the time to undo has passed.",
    "undo.changed": "the comment changed meanwhile.",
    "undo.ban_stays": (
        "The ban on the author of #{id} stays: undo does not lift it. Lift it on «{page}»."
    ),
    "action.stale": (
        "Another moderator decided this comment meanwhile: it is now “{status}”."
        " The card is up to date; look again before you decide."
    ),
    "reject.rules": "Breaks the rules",
    "reject.abuse": "Abusive or vulgar",
    "reject.off_topic": "Off topic",
    "reject.misinformation": "Misinformation",
    "reject.personal_data": "Exposes personal data",
    "reject.advertising": "Advertising",
    "ban.title": "Ban the author",
    "ban.by": "Ban by",
    "ban.kind.email": "Email",
    "ban.kind.author": "Author id",
    "ban.kind.ip": "IP address",
    "ban.duration": "Duration",
    "ban.days.1": "1 day",
    "ban.days.7": "7 days",
    "ban.days.30": "30 days",
    "ban.days.0": "For good",
    "ban.reason": "Note",
    "ban.also_reject": "Also reject this comment",
    "ban.submit": "Ban",
    "ban.submit_extend": "Extend ban",
    "ban.now_until": "banned until {when}: banning again extends it",
    "ban.now_forever": "banned for good",
    "card.banned_until": "Author banned until {when} (by {kinds})",
    "card.banned_forever": "Author banned for good (by {kinds})",
    "ban.active": "Banned",
    "ban.until": "until {when}",
    "ban.forever": "for good",
    "ban.lift": "Lift ban",
    "ban.none": "No bans.",
    "ban.extended": "The author of #{id} was already banned until {before}, extended to {until}.",
    "ban.extended_forever": (
        "The author of #{id} was already banned until {before}, now banned for good."
    ),
    "ban.kept": "The author of #{id} is already banned until {until}; the ban stays as it was.",
    "ban.kept_forever": "The author of #{id} is already banned for good.",
    "status.pending": "Waiting for the machine",
    "status.held": "Waiting",
    "status.approved": "Approved",
    "status.spam": "Spam",
    "status.rejected": "Rejected",
    "status.deleted": "Deleted",
    "verdict.approve": "approve",
    "verdict.hold": "hold",
    "verdict.spam": "spam",
    "verdict.reject": "reject",
    "who.system": "the system",
    "history.comment_title": "History of comment #{id}",
    "history.author_title": "Comments by {name}",
    "history.decisions": "Decisions",
    "history.audit": "Audit log",
    "history.when": "When",
    "history.who": "Who",
    "history.what": "What",
    "history.verdict": "Verdict",
    "history.note": "Note",
    "history.change": "Change",
    "history.none": "Nothing yet.",
    "history.engine": "Engine version",
    "history.comments": "Comments",
    "history.identity": "Identified by {kind}",
    "card.erased_author": "(erased)",
    "history.reject_reason": "Reason to reject: {reason}",
    "history.previous_text": "The text before the edit",
    "audit.decide": "decided",
    "audit.approve": "approved",
    "audit.reject": "rejected",
    "audit.spam": "marked as spam",
    "audit.undo": "undone",
    "audit.report": "reported by a reader",
    "audit.reports_threshold": "enough reports: back to review",
    "audit.delete": "erased at the author's request",
    "audit.ban": "banned the author",
    "audit.unban": "lifted a ban",
    "audit.ban_extend": "extended a ban",
    "audit.webhook_delivered": "site told (webhook)",
    "audit.webhook_failed": "site not told: webhook failed",
    "audit.edit": "edited by its author, checked again",
    "audit.moderator_scope": "changed a moderator's scope",
    "audit.moderator_create": "created a moderator account",
    "audit.moderator_password": "gave a moderator a new password",
    "audit.moderator_remove": "removed a moderator account",
    "audit.moderator_role": "changed a moderator's role",
    "audit.moderator_unlock": "let a locked-out moderator sign in again",
    "audit.alert_sent": "emailed moderators: comments waiting long",
    "audit.alert_failed": "email to moderators failed",
    "audit.site_settings": "changed the site's settings",
    "audit.key_create": "created an API key",
    "audit.key_revoke": "revoked an API key",
    "audit.model_retrain": "asked for a retrain",
    "audit.webhook_secret_rotate": "rotated the webhook secret",
    "audit.webhook_secret_grace_end": "stopped signing with the old webhook secret",
    "audit.feature": "featured (an editors' pick)",
    "audit.unfeature": "unfeatured",
    "settings.title": "Settings of {name}",
    "settings.choose_site": "Choose a site",
    "settings.admins_only": "Only admins may change settings.",
    "settings.rules": "Rules",
    "settings.banned_words": "Banned words (one per line; rejected)",
    "settings.suspect_words": "Suspect words (one per line; held for review)",
    "settings.common_profanity": "Hold common profanity and slurs for review (built-in list)",
    "settings.profanity_allowed": "Words of the built-in list this site publishes (one per line)",
    "settings.profanity_held": "Words of the built-in list that held comments, last {days} days",
    "settings.suspect_held": "Suspect words that held comments, last {days} days",
    "settings.held_word": "Word",
    "settings.profanity_hint": (
        "A word moderators nearly always approve belongs in the box above: comments with it"
        " are then no longer held for it."
    ),
    "settings.profanity_queue": "See the comments this list holds now.",
    "settings.profanity_list": "The whole built-in list: {n} words, {through} published here",
    "settings.let_through": "published here",
    "settings.max_links": "Most links allowed",
    "settings.report_threshold": "Reports that send a comment back to review",
    "settings.premoderate_default": "Pre-moderate every comment on new articles",
    "settings.thresholds": "Classifier thresholds (0–1)",
    "settings.spam_hold": "Spam: hold from",
    "settings.spam_reject": "Spam: reject from",
    "settings.abuse_hold": "Abuse: hold from",
    "settings.abuse_reject": "Abuse: reject from",
    "settings.alerts": "Email moderators",
    "settings.alert_emails": "Send to (one address per line; empty: none)",
    "settings.alert_after_minutes": "When comments have waited longer than (minutes)",
    "settings.alerts_hint": (
        "One email with how many comments wait too long and a link to the queue, no comment"
        " text; no other within as many minutes."
    ),
    "settings.alerts_off": (
        "This server has no mail server set (DUYET_SMTP_URL): the addresses are kept, but no"
        " email is sent yet."
    ),
    "settings.webhook": "Webhook",
    "settings.webhook_url": "Webhook URL",
    "settings.webhook_secret": "Webhook secret (leave empty to keep)",
    "settings.webhook_secret_set": "A secret is set.",
    "settings.webhook_secret_clear": "Remove the secret",
    "settings.save": "Save settings",
    "settings.saved": "Settings saved.",
    "settings.saved_rotated": (
        "Settings saved. Events are signed with the new secret, and with the old one too"
        " until {when}."
    ),
    "settings.webhook_secret_hint": (
        "Saving a different secret keeps the old one signing events for {hours} more hours,"
        " so the receiver has time to switch."
    ),
    "settings.webhook_signing": "Webhook signing secret",
    "settings.webhook_grace": (
        "Rotating: each event carries two signatures, with the new secret and the old one,"
        " until {when}."
    ),
    "settings.webhook_grace_end": "End the old secret now",
    "settings.webhook_grace_ended": "The old secret signs no more events.",
    "settings.webhook_grace_none": "No old secret was signing events.",
    "settings.webhook_rotate": "Rotate secret",
    "settings.webhook_rotate_hint": (
        "Makes a random secret, shown once; the one in use keeps signing for {hours} more hours."
    ),
    "settings.webhook_secret_new": (
        "New webhook secret — shown only once, copy it now."
        " The old one still signs events until {when}:"
    ),
    "settings.webhook_secret_new_alone": "New webhook secret — shown only once, copy it now:",
    "settings.invalid": "Some settings are not valid; fix the marked fields.",
    "settings.keys": "API keys",
    "settings.key_label": "Key name",
    "settings.key_prefix": "Prefix",
    "settings.key_created": "Created",
    "settings.key_state": "State",
    "settings.key_active": "In use",
    "settings.key_revoked": "Revoked {when}",
    "settings.key_create": "Create a key",
    "settings.key_revoke": "Revoke",
    "settings.key_new": "New key — shown only once, copy it now:",
    "settings.key_revoked_done": "Key revoked.",
    "settings.no_keys": "No keys yet.",
    "settings.recent_changes": "Recent changes",
    "settings.model": "This site's own model",
    "settings.model_trained": "Trained {when} on {count} moderator labels:",
    "settings.model_report": (
        "On {held} held-out decisions: macro-F1 {own} (the shipped model: {shipped})."
    ),
    "settings.model_gain": (
        "The difference from the shipped model, 95% interval over those decisions: {low} to"
        " {high} points."
    ),
    "settings.model_none": "None yet: this site's comments are scored by the shipped model.",
    "settings.model_next": (
        "{count} new labels since; the workers retrain every {every} new labels."
    ),
    "settings.model_manual": (
        "{count} new labels; retrained only when an admin asks (the button below, or"
        " duyet site retrain)."
    ),
    "settings.model_retrain": "Retrain now",
    "settings.model_retrain_requested": (
        "Retrain requested: a worker starts it within {seconds} seconds, and the new model"
        " shows here when it is done (usually under two minutes)."
    ),
    "settings.model_retrain_nothing": "No new labels since the last training.",
    "settings.model_state_requested": "Retrain requested; waiting for a worker to take it.",
    "settings.model_state_training": "A worker is retraining this site's model.",
    "settings.model_retrain_failed": (
        "The request could not be sent (Redis did not answer); try again."
    ),
    "reason.banned_word": "Banned word",
    "reason.suspect_word": "Suspect word",
    "reason.common_profanity": "Profanity or slur",
    "reason.too_many_links": "Too many links",
    "reason.blocked_domain": "Link to a blocked domain",
    "reason.url_shortener": "Link shortener",
    "reason.messenger_link": "Messenger link",
    "reason.obfuscated_link": "Disguised link",
    "reason.contact_phone": "Phone number",
    "reason.contact_handle": "Zalo/Telegram handle",
    "reason.contact_account": "Names a Zalo/Telegram account",
    "reason.contact_invite": "Invitation to private contact",
    "reason.self_promotion": "Self-promotion",
    "reason.check_failed": "The automatic check failed; a human decides",
    "reason.banned_sender": "Banned sender",
    "reason.article_closed": "Article closed for comments",
    "reason.article_premoderated": "Pre-moderated article",
    "reason.flood": "Posting too fast",
    "reason.near_duplicate": "Duplicate text",
    "reason.author_rejected_before": "Author rejected before",
    "reason.too_long": "Too long",
    "reason.shouting": "All capitals",
    "reason.emoji_only": "Emoji only",
    "reason.char_flood": "Repeated characters",
    "reason.classifier_spam": "High spam score",
    "reason.classifier_abuse": "High abuse score",
    "reason.feedback_spam": "Like a comment marked as spam before",
    "reason.feedback_abuse": "Like a comment rejected before",
    "reason.feedback_ham": "Like a comment approved before",
    "reason.remote_spam": "Remote classifier: spam",
    "reason.remote_abuse": "Remote classifier: abuse",
    "reason.akismet_spam": "Akismet says spam",
    "reason.model_unavailable": "No classifier loaded: needs a person",
    "reason.no_words": "No words to score",
    "reason.empty": "Empty comment",
    "reason.trusted_author": "Trusted author",
}

VI.update(i18n_accounts.VI)
EN.update(i18n_accounts.EN)
VI.update(i18n_bans.VI)
EN.update(i18n_bans.EN)
VI.update(i18n_retention.VI)
EN.update(i18n_retention.EN)
VI.update(i18n_search.VI)
EN.update(i18n_search.EN)
CATALOGS = {"vi": VI, "en": EN}
REJECT_REASONS = tuple(REASON_WORDS)  # the reader is told the reason, in these words
REASON_CODES = tuple(key.removeprefix("reason.") for key in VI if key.startswith("reason."))


def translate(language: str, key: str, **values: object) -> str:
    """Return the text for a key in a language, with {placeholders} filled in."""
    catalog = CATALOGS.get(language, VI)
    text = catalog.get(key) or VI.get(key) or key
    return text.format(**values) if values else text


def zone(name: str | None) -> ZoneInfo:
    """Return a time zone by name, falling back to Asia/Ho_Chi_Minh."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def format_time(moment: datetime | None, language: str, timezone: str | None) -> str:
    """Show a stored (UTC) moment in the viewer's time zone and language."""
    if moment is None:
        return ""
    local = moment.astimezone(zone(timezone))  # the store hands back aware UTC moments
    return local.strftime(_FORMATS.get(language, _FORMATS["vi"]))


def iso_time(moment: datetime | None) -> str:
    """Return a machine-readable UTC timestamp for <time datetime=...>."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).isoformat(timespec="seconds")
