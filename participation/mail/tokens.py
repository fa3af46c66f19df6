"""The signed token in every e-mail's unsubscribe link, which stands for the recipient."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from participation.core.errors import valid_id

SALT = "unsubscribe"


def _serializer() -> URLSafeSerializer:
    # Its own salt, so no other signed value of the site (a session, a CSRF token) is ever
    # accepted as an unsubscribe token, nor the reverse.
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user_id: int) -> str:
    """Sign the user's id for the link; it does not expire, as an old e-mail's link must work."""
    return _serializer().dumps(user_id)


def user_id_from_token(token: str) -> int | None:
    """The user id the token was signed for, or None when it is not one of ours."""
    try:
        value = _serializer().loads(token)
    except (BadData, UnicodeError, ValueError):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return valid_id(value)
