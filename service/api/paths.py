"""What a URL path may carry: row ids, and the site's own article ids, slashes and all.

The API's and the desk's blueprints record `add_converters` before their first route, so
the app's URL map knows `<id:...>` and `<article:...>` when their rules are added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes

from flask import request
from marshmallow import ValidationError
from werkzeug.routing import IntegerConverter, Map, PathConverter
from werkzeug.routing import ValidationError as NoMatch

from service.errors import DuyetError
from service.ids import MAX_ID, parse_id
from service.schemas import CommentIn

if TYPE_CHECKING:
    from flask.blueprints import BlueprintSetupState

# Rules with an article id must not merge slashes: "/thoi-su/bai-1.html" is an id, and
# werkzeug would otherwise redirect `/v1/articles//thoi-su/...` to another article.
ARTICLE_RULE: dict[str, Any] = {"merge_slashes": False}
# The body's own field, so a path's article id obeys exactly the rules intake applies.
_ARTICLE_ID = CommentIn().fields["article_id"]


class IdConverter(IntegerConverter):
    """`<id:name>`: a row's id (service/ids.py); any other text matches no route, a 404."""

    regex = r"[0-9]{1,19}"  # werkzeug's `int` takes `\d`: every script's digits

    def __init__(self, map: Map) -> None:
        super().__init__(map, min=1, max=MAX_ID)  # min and max document the parameter

    def to_python(self, value: str) -> int:
        found = parse_id(value)
        if found is None:
            raise NoMatch()
        return found


class ArticleIdConverter(PathConverter):
    """`<article:name>`: a site's article id, which may hold slashes ("2024/11/slug")."""

    regex = r"[\s\S]+?"  # any character, a leading slash too; the view checks the rest
    part_isolating = False


def add_converters(state: BlueprintSetupState) -> None:
    """Teach the app's URL map the converters above."""
    state.app.url_map.converters.update(id=IdConverter, article=ArticleIdConverter)


def checked_article_id(article_id: str) -> str:
    """Return a path's article id if intake would take it in a body; else a 400 or a 422."""
    if not _path_is_utf8():
        # werkzeug decoded the broken bytes to U+FFFD, which would be stored as if sent.
        raise DuyetError("The URL's path is not valid UTF-8.")
    try:
        return str(_ARTICLE_ID.deserialize(article_id))
    except ValidationError as exc:
        raise ValidationError({"article_id": exc.messages}) from None


def _path_is_utf8() -> bool:
    # PATH_INFO carries the path's bytes as latin-1 (gunicorn), but werkzeug's own servers
    # and test client replace broken UTF-8 before the app sees it: the request line as sent
    # (RAW_URI, REQUEST_URI) still has the escapes.
    environ = request.environ
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    try:
        environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        unquote_to_bytes(target.partition("?")[0]).decode("utf-8")
    except UnicodeError:
        return False
    return True
