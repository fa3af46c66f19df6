"""The end of a successful log-in: the session begins, or the second factor is asked for."""

from __future__ import annotations

import time
from typing import Any

from flask import flash, redirect, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from werkzeug.wrappers import Response

from participation.accounts.models import User
from participation.accounts.two_factor import is_enabled
from participation.core.i18n import with_names
from participation.core.security import safe_next
from participation.extensions import db

# The session key of a log-in whose password was right and whose second factor is awaited.
PENDING_KEY = "two_factor_login"
PENDING_SECONDS = 5 * 60


def finish_login(user: User, *, remember: bool, next_url: str) -> Response:
    """The password was right: log the person in and go on to `next_url` (a safe path), or,
    when they use two-factor authentication, ask for their code first."""
    db.session.commit()
    if is_enabled(user):
        session[PENDING_KEY] = {
            "user": user.id,
            "version": user.session_version,
            "remember": bool(remember),
            "next": next_url,
            "since": int(time.time()),
        }
        return redirect(url_for("accounts.two_factor_login"))
    session.pop(PENDING_KEY, None)
    return _begin_session(user, remember=remember, next_url=next_url)


def pending_login() -> dict[str, Any] | None:
    """The log-in waiting for its second factor, if there is one and it is recent; an old or
    malformed one is forgotten."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        session.pop(PENDING_KEY, None)
        return None
    since = pending.get("since")
    if (
        not isinstance(pending.get("user"), int)
        or not isinstance(since, int)
        or not 0 <= time.time() - since <= PENDING_SECONDS
    ):
        session.pop(PENDING_KEY, None)
        return None
    return pending


def pending_user(pending: dict[str, Any]) -> User | None:
    """The person of a pending log-in, unless their password changed since (sessions ended)."""
    user = db.session.get(User, pending["user"])
    if user is None or user.session_version != pending.get("version"):
        return None
    return user


def complete_pending_login(user: User, pending: dict[str, Any]) -> Response:
    """The second factor was right too: begin the session the pending log-in asked for."""
    session.pop(PENDING_KEY, None)
    return _begin_session(
        user,
        remember=bool(pending.get("remember")),
        next_url=safe_next(pending.get("next")) or url_for("home.index"),
    )


def _begin_session(user: User, *, remember: bool, next_url: str) -> Response:
    login_user(user, remember=remember)
    flash(with_names(_l("Welcome, %(name)s."), name=user.display_name))
    return redirect(next_url)
