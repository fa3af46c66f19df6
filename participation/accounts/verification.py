"""The guard on the views where people take part: a confirmed e-mail address, consent to the
current privacy notice, and no moderator's block in force."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from participation.accounts.permissions import (
    has_current_consent,
    is_blocked,
    is_signed_in,
    is_verified,
)


def take_part_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse a signed-in person who may not take part, saying why: an unconfirmed address
    (403, with a button to send the link again), consent missing to the current privacy notice
    (sent to give it, then back), or a block in force (403, with its reason and end). Goes
    below `login_required`."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if is_signed_in(current_user):
            if not is_verified(current_user):
                return render_template("accounts/verify_first.html"), 403
            if not has_current_consent(current_user):
                return redirect(url_for("privacy.consent", next=request.full_path.rstrip("?")))
            if is_blocked(current_user):
                return render_template("moderation/blocked.html"), 403
        return view(*args, **kwargs)

    return guarded
