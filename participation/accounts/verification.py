"""The guard on the views where people take part: their e-mail address must be confirmed."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import render_template
from flask_login import current_user

from participation.accounts.permissions import is_signed_in, is_verified


def verified_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse (403) a signed-in person whose address is unconfirmed, with a page that says why
    and offers to send the link again. Goes below `login_required`."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if is_signed_in(current_user) and not is_verified(current_user):
            return render_template("accounts/verify_first.html"), 403
        return view(*args, **kwargs)

    return guarded
