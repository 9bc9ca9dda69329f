"""The words of the admins' page of moderator accounts, in Vietnamese and English (merged
into service.ui.i18n's catalogs)."""

from __future__ import annotations

VI: dict[str, str] = {
    "nav.moderators": "Biên tập viên",
    "accounts.caption": "Tài khoản biên tập viên",
    "accounts.account_title": "Tài khoản {name}",
    "accounts.back": "← Mọi tài khoản",
    "accounts.role": "Vai trò",
    "accounts.role_moderator": "biên tập viên",
    "accounts.role_admin": "quản trị viên",
    "accounts.created_at": "Tạo lúc",
    "accounts.scope": "Phạm vi",
    "accounts.everything": "mọi trang, mọi chuyên mục",
    "accounts.scope_of": "trang {sites}; chuyên mục {sections}",
    "accounts.sign_in": "Đăng nhập",
    "accounts.not_locked": "bình thường",
    "accounts.locked_out": "bị khóa (sai mật khẩu nhiều lần) ở: {addresses}",
    "accounts.locked_unknown": "không rõ (Redis không trả lời)",
    "accounts.create": "Tạo tài khoản",
    "accounts.create_submit": "Tạo tài khoản",
    "accounts.username_hint": "Chữ, số và . _ @ -, không dấu cách, tối đa 100 ký tự.",
    "accounts.password_optional": "Mật khẩu (để trống: tạo ngẫu nhiên)",
    "accounts.password_hint": (
        "Ít nhất {least} ký tự. Để trống thì hệ thống tạo một mật khẩu và chỉ hiện một lần."
    ),
    "accounts.invalid": "Chưa hợp lệ, hãy sửa các ô được đánh dấu.",
    "accounts.username_invalid": (
        "Tên đăng nhập gồm 1 đến 100 chữ, số và . _ @ -, không có dấu cách."
    ),
    "accounts.username_taken": "Đã có tài khoản «{name}»; hãy chọn tên khác.",
    "accounts.role_invalid": "Hãy chọn vai trò biên tập viên hoặc quản trị viên.",
    "accounts.password_length": "Mật khẩu có từ {least} đến {most} ký tự.",
    "accounts.created": "Đã tạo tài khoản {name}.",
    "accounts.password_new": (
        "Mật khẩu của {name} — chỉ hiện một lần, hãy sao chép và gửi riêng cho người đó:"
    ),
    "accounts.password_reset_new": (
        "Mật khẩu mới của {name} — chỉ hiện một lần, hãy sao chép và gửi riêng cho người đó."
        " Các phiên đăng nhập của tài khoản đã kết thúc:"
    ),
    "accounts.scope_sites": "Trang được duyệt",
    "accounts.scope_sites_hint": "Không chọn trang nào: mọi trang.",
    "accounts.scope_sections": "Chuyên mục được duyệt",
    "accounts.sections_label": "Chuyên mục (mỗi dòng một chuyên mục; để trống: mọi chuyên mục)",
    "accounts.sections_hint": (
        "Khi giới hạn chuyên mục, bình luận ở bài viết không có chuyên mục sẽ không hiện."
    ),
    "accounts.sections_known": "Các chuyên mục đang có: {sections}.",
    "accounts.scope_save": "Lưu phạm vi",
    "accounts.unknown_sites": "Không có trang: {sites}.",
    "accounts.bad_section": "Tên chuyên mục có từ 1 đến 100 ký tự: «{name}».",
    "accounts.admin_sees_all": "Quản trị viên luôn thấy mọi trang và mọi chuyên mục.",
    "accounts.actions": "Quản lý tài khoản",
    "accounts.role_save": "Đổi vai trò",
    "accounts.password_reset": "Tạo mật khẩu mới cho {name}",
    "accounts.password_reset_hint": (
        "Mật khẩu cũ hết hiệu lực và tài khoản bị đăng xuất khỏi mọi nơi."
    ),
    "accounts.unlock": "Mở khóa đăng nhập cho {name}",
    "accounts.remove_confirm": "Tôi chắc chắn muốn xóa tài khoản {name}",
    "accounts.remove": "Xóa tài khoản {name}",
    "accounts.confirm_missing": "Hãy đánh dấu ô xác nhận trước khi xóa.",
    "accounts.not_yourself": (
        "Bạn không thể xóa hay hạ vai trò tài khoản của chính mình; hãy nhờ quản trị viên khác."
    ),
    "accounts.last_admin": (
        "Đây là quản trị viên cuối cùng: hãy cho một tài khoản khác làm quản trị viên trước."
    ),
    "accounts.done_scope": "Đã lưu phạm vi; có hiệu lực từ thao tác tiếp theo của người đó.",
    "accounts.done_role": "Đã đổi vai trò.",
    "accounts.done_unlocked": "Đã mở khóa: tài khoản đăng nhập lại được từ mọi nơi.",
    "accounts.done_removed": "Đã xóa tài khoản {name}; các phiên đăng nhập của họ đã kết thúc.",
    "accounts.audit_account": "tài khoản {name}",
}

EN: dict[str, str] = {
    "nav.moderators": "Moderators",
    "accounts.caption": "Moderator accounts",
    "accounts.account_title": "Account {name}",
    "accounts.back": "← All accounts",
    "accounts.role": "Role",
    "accounts.role_moderator": "moderator",
    "accounts.role_admin": "admin",
    "accounts.created_at": "Created",
    "accounts.scope": "Scope",
    "accounts.everything": "everything",
    "accounts.scope_of": "sites {sites}; sections {sections}",
    "accounts.sign_in": "Sign-in",
    "accounts.not_locked": "normal",
    "accounts.locked_out": "locked out (too many wrong passwords) from: {addresses}",
    "accounts.locked_unknown": "unknown (Redis does not answer)",
    "accounts.create": "Create an account",
    "accounts.create_submit": "Create the account",
    "accounts.username_hint": "Letters, digits and . _ @ -, no spaces, at most 100.",
    "accounts.password_optional": "Password (leave empty for a random one)",
    "accounts.password_hint": (
        "At least {least} characters. Left empty, one is generated and shown only once."
    ),
    "accounts.invalid": "Not valid yet: correct the marked fields.",
    "accounts.username_invalid": "A username is 1 to 100 letters, digits and . _ @ -, no spaces.",
    "accounts.username_taken": "There is already an account «{name}»; choose another name.",
    "accounts.role_invalid": "Choose the role moderator or admin.",
    "accounts.password_length": "A password has {least} to {most} characters.",
    "accounts.created": "Created the account {name}.",
    "accounts.password_new": (
        "{name}'s password — shown only once: copy it now and send it to them privately:"
    ),
    "accounts.password_reset_new": (
        "{name}'s new password — shown only once: copy it now and send it to them privately."
        " The account's sessions have ended:"
    ),
    "accounts.scope_sites": "Sites moderated",
    "accounts.scope_sites_hint": "No site ticked: every site.",
    "accounts.scope_sections": "Sections moderated",
    "accounts.sections_label": "Sections (one per line; empty: every section)",
    "accounts.sections_hint": (
        "With sections restricted, comments on articles without a section are not shown."
    ),
    "accounts.sections_known": "Sections there are: {sections}.",
    "accounts.scope_save": "Save the scope",
    "accounts.unknown_sites": "No such site: {sites}.",
    "accounts.bad_section": "A section's name has 1 to 100 characters: «{name}».",
    "accounts.admin_sees_all": "An admin always sees every site and section.",
    "accounts.actions": "Manage the account",
    "accounts.role_save": "Change the role",
    "accounts.password_reset": "New password for {name}",
    "accounts.password_reset_hint": (
        "The old password stops working and the account is signed out everywhere."
    ),
    "accounts.unlock": "Let {name} sign in again",
    "accounts.remove_confirm": "I am sure I want to remove the account {name}",
    "accounts.remove": "Remove the account {name}",
    "accounts.confirm_missing": "Tick the confirmation before removing.",
    "accounts.not_yourself": ("You cannot remove or demote your own account; ask another admin."),
    "accounts.last_admin": "This is the last admin: make another account an admin first.",
    "accounts.done_scope": "Scope saved; it applies from that moderator's next action.",
    "accounts.done_role": "Role changed.",
    "accounts.done_unlocked": "Unlocked: the account may sign in again from anywhere.",
    "accounts.done_removed": "Removed the account {name}; their sessions have ended.",
    "accounts.audit_account": "account {name}",
}
