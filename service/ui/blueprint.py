"""The desk's blueprint and what every desk request shares: the signed-in moderator,
CSRF, language and time zone, a strict Content-Security-Policy, and HTML error pages."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Flask,
    Request,
    Response,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as NoRoute

from service.api.paths import add_converters
from service.context import services
from service.errors import DuyetError, Forbidden, Unauthorized, envelope
from service.scopes import EVERYTHING, Scope
from service.store import moderator_accounts
from service.ui import i18n

F = TypeVar("F", bound=Callable[..., Any])

bp = Blueprint(
    "desk",
    __name__,
    url_prefix="/mod",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
bp.record_once(add_converters)  # before the desk's routes: they use <id:...>

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class DeskUser:
    id: int
    username: str
    role: str
    scope: Scope = EVERYTHING  # read again on every request: a change applies at once

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class DeskSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie is Secure whenever the request came over TLS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        # The API's requests carry no desk cookie: an empty session needs no signer built.
        if self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def configure_sessions(app: Flask) -> None:
    """Set the session cookie: HttpOnly, SameSite=Lax, scoped to /mod, Secure behind TLS."""
    settings = services_settings(app)
    app.session_interface = DeskSessionInterface()
    app.config.update(
        SESSION_COOKIE_NAME="duyet_desk",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PATH="/mod",
        # Forced on when settings say the service sits behind TLS (a proxy may hide it).
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=12 * 3600,
    )


def services_settings(app: Flask) -> Any:
    return app.extensions["duyet"].settings


# --- language, time zone, text ----------------------------------------------------------------


def language() -> str:
    if "desk_lang" not in g:  # asked for by every piece of text: read the session once
        chosen = session.get("lang")
        g.desk_lang = chosen if chosen in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    return str(g.desk_lang)


def timezone() -> str:
    if "desk_tz" not in g:
        chosen = session.get("tz")
        g.desk_tz = chosen if chosen in i18n.TIMEZONES else i18n.DEFAULT_TIMEZONE
    return str(g.desk_tz)


def t(key: str, **values: object) -> str:
    """Translate a key into the viewer's language."""
    return i18n.translate(language(), key, **values)


def when(moment: Any) -> str:
    """Format a stored moment for the viewer."""
    return i18n.format_time(moment, language(), timezone())


@bp.context_processor
def _globals() -> dict[str, Any]:
    return {
        "t": t,
        "when": when,
        "iso_time": i18n.iso_time,
        "lang": language(),
        "tz": timezone(),
        "languages": i18n.LANGUAGES,
        "timezones": i18n.TIMEZONES,
        "csrf_token": csrf_token,
        "user": g.get("desk_user"),
        "scope_line": scope_line,
    }


def scope_line() -> str | None:
    """Say what a scoped moderator moderates, in the viewer's language; None for all."""
    user = g.get("desk_user")
    if user is None or user.scope.everything:
        return None
    return t("scope.yours", **scope_parts(user.scope.site_slugs, user.scope.sections or ()))


def scope_parts(sites: Sequence[str], sections: Sequence[str]) -> dict[str, str]:
    """A scope's sites and sections in words (none listed: all of them)."""
    return {
        "sites": ", ".join(sites) or t("scope.all_sites"),
        "sections": ", ".join(sections) or t("scope.all_sections"),
    }


# --- CSRF ---------------------------------------------------------------------------------------


def csrf_token() -> str:
    """Return this session's CSRF token, creating it on first use."""
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return str(token)


class CsrfFailed(Forbidden):
    code = "csrf_failed"


def _check_csrf() -> None:
    expected = session.get("csrf")
    given = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD, "")
    if not expected or not given or not hmac.compare_digest(str(expected), given):
        raise CsrfFailed("the CSRF token is missing or wrong; reload the page")


# --- who is signed in -------------------------------------------------------------------------


def _load_user() -> DeskUser | None:
    moderator_id = session.get("mid")
    if not isinstance(moderator_id, int):
        return None
    found = moderator_accounts.moderator_with_scope(services().db, moderator_id)
    account, scope = found if found is not None else (None, EVERYTHING)
    signed_in = account is not None and account.username == session.get("user")
    if account is None or not signed_in or account.session_epoch != session.get("epoch"):
        session.clear()  # a deleted or renamed account, or a session ended by signing out
        return None
    return DeskUser(account.id, account.username, account.role, scope)


def current_user() -> DeskUser:
    user = g.get("desk_user")
    if user is None:
        raise Unauthorized("sign in first")
    return user  # type: ignore[no-any-return]


def current_actor() -> str:
    """The signed-in moderator as the audit log names them."""
    return f"moderator:{current_user().username}"


def user_scope() -> Scope:
    """What the signed-in moderator may see and act on (service/scopes.py)."""
    return current_user().scope


def is_api() -> bool:
    return request.path.startswith("/mod/api/")


def login_required(view: F) -> F:
    """Let only a signed-in moderator through; pages redirect to the login form."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if g.get("desk_user") is None:
            if is_api():
                raise Unauthorized("sign in first")
            return redirect(url_for("desk.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def admin_required(view: F) -> F:
    """Let only a signed-in admin through."""

    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user().is_admin:
            raise Forbidden("only admins may do this")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@bp.before_request
def _before() -> None:
    g.desk_user = _load_user()
    if request.method in UNSAFE_METHODS:
        _check_csrf()


@bp.after_request
def _headers(response: Response) -> Response:
    # Set before the app's defaults (which only fill in what is missing).
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@bp.errorhandler(DuyetError)
def _desk_error(exc: DuyetError) -> Any:
    if is_api():
        return envelope(exc.status, exc.code, exc.message, exc.errors)
    key = {403: "error.forbidden", 404: "error.not_found"}.get(exc.status, "error.title")
    if isinstance(exc, CsrfFailed):
        key = "error.csrf"
    return render_template("error.html", message=t(key)), exc.status


@bp.errorhandler(HTTPException)
def _desk_http_error(exc: HTTPException) -> Any:
    status = exc.code or 500
    if is_api():
        code = (exc.name or "error").lower().replace(" ", "_")
        return envelope(status, code, exc.description or exc.name or "error")
    key = {403: "error.forbidden", 404: "error.not_found"}.get(status, "error.title")
    return render_template("error.html", message=t(key)), status


@bp.app_errorhandler(NoRoute)
def _no_such_page(exc: NoRoute) -> Any:
    """A desk address no route takes ("/mod/comments/abc", a stale link) gets the desk's own
    404 page; anywhere else, the API's one error envelope."""
    if not request.path.startswith("/mod/") or is_api():
        return envelope(404, "not_found", exc.description or "Not Found")
    # No desk view ran, so neither did the blueprint's hooks: give the page what they give.
    g.desk_user = _load_user()
    page = render_template("error.html", message=t("error.not_found"), **_globals())
    return _headers(Response(page, 404))


def safe_next(target: str | None) -> str:
    """Return a redirect target inside the desk, never another site."""
    if (
        target
        and target.startswith("/mod/")
        and target.isprintable()  # a CR/LF made the redirect's header invalid: a 500
        and "\\" not in target
    ):
        return target
    return url_for("desk.queue")
