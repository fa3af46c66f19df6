"""The end of a successful log-in: the session begins, or the second factor is asked for."""

from __future__ import annotations

from flask import flash, redirect
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from werkzeug.wrappers import Response

from participation.accounts.models import User
from participation.core.i18n import with_names
from participation.extensions import db


def finish_login(user: User, *, remember: bool, next_url: str) -> Response:
    """The password was right: log the person in and go on to `next_url` (a safe path)."""
    db.session.commit()
    login_user(user, remember=remember)
    flash(with_names(_l("Welcome, %(name)s."), name=user.display_name))
    return redirect(next_url)
