"""Following and unfollowing, the notifications page, what I follow, and the unread count."""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.routing import BuildError

from participation.core.models import utcnow
from participation.core.views import me, page_number, require, unit_of_work
from participation.extensions import db
from participation.notifications import queries, services
from participation.notifications.events import event_label
from participation.notifications.models import FollowedType, Notification
from participation.notifications.permissions import can_follow, can_unfollow, owns_notification
from participation.proposals.permissions import can_view

bp = Blueprint("notifications", __name__)
log = logging.getLogger(__name__)

KINDS = "any(proposal, commitment, kpi, group)"


def unread_notifications() -> int:
    """The reader's unread count for the header: nothing for visitors, one query at most for
    a signed-in reader, however often a page asks."""
    if not current_user.is_authenticated:
        return 0
    if "_unread_notifications" not in g:
        try:
            g._unread_notifications = queries.unread_count(current_user.id)
        except SQLAlchemyError:
            # An error page after a failed transaction still renders, without the count.
            log.warning("the unread notifications could not be counted", exc_info=True)
            g._unread_notifications = 0
    return g._unread_notifications


def follow_state(kind: str, subject_id: int) -> queries.FollowState:
    """What the follow button on a subject's page shows to the current reader."""
    user_id = current_user.id if current_user.is_authenticated else None
    return queries.follow_state(user_id, FollowedType(kind), subject_id)


def notification_link(notification: Notification) -> str | None:
    """Where a notification leads, or None when its page is not (or no longer) on the site."""
    try:
        return queries.subject_url(
            notification.subject_type, notification.subject_id, notification.data
        )
    except (KeyError, BuildError):
        return None


@bp.app_context_processor
def notification_helpers() -> dict[str, Any]:
    return {"unread_notifications": unread_notifications}


# Globals, so that the imported follow macro (templates/_macros/follow.html) can use them.
bp.add_app_template_global(follow_state)


def _subject_or_404(kind: FollowedType, subject_id: int, *, seen: bool = True) -> Any:
    """The subject; with `seen`, a draft proposal the reader may not see is not there."""
    subject = queries.load_subject(kind, subject_id)
    if subject is None:
        abort(404)
    if seen and kind == FollowedType.PROPOSAL and not can_view(current_user, subject):
        abort(404)
    return subject


def _back(kind: FollowedType, subject_id: int):
    # Only two places to go back to, so the address cannot send anyone elsewhere.
    if request.args.get("back") == "following":
        return redirect(url_for("notifications.following"))
    return redirect(queries.subject_url(kind.value, subject_id))


@bp.post(f"/follow/<{KINDS}:kind>/<int:subject_id>")
@login_required
def follow(kind: str, subject_id: int):
    kind = FollowedType(kind)
    subject = _subject_or_404(kind, subject_id)
    require(can_follow(current_user, kind, subject))
    with unit_of_work() as work:
        added = services.follow(user=me(), kind=kind, subject=subject, now=utcnow())
    if work.ok:
        if added:
            flash(_("You are following this now. New events about it appear under "
                    "Notifications."))
        else:
            flash(_("You already follow this. Nothing has changed."))
    return _back(kind, subject_id)


@bp.post(f"/unfollow/<{KINDS}:kind>/<int:subject_id>")
@login_required
def unfollow(kind: str, subject_id: int):
    kind = FollowedType(kind)
    # One may stop following a proposal one can no longer see (say, made a draft's reader).
    _subject_or_404(kind, subject_id, seen=False)
    require(can_unfollow(current_user))
    with unit_of_work() as work:
        removed = services.unfollow(user=me(), kind=kind, subject_id=subject_id)
    if work.ok:
        if removed:
            flash(_("You no longer follow this."))
        else:
            flash(_("You were not following this. Nothing has changed."))
    return _back(kind, subject_id)


@bp.get("/notifications")
@login_required
def index():
    page = queries.notifications_page(
        current_user.id, page=page_number(), per_page=current_app.config["PER_PAGE"]
    )
    hidden = queries.hidden_subjects(page.items)
    return render_template(
        "notifications/index.html",
        page=page,
        unread=unread_notifications(),
        event_label=event_label,
        event_detail=queries.event_detail,
        subject_title=queries.subject_title,
        shown_data=lambda notification: queries.shown_data(notification, hidden),
        link=notification_link,
    )


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    """Open a notification: mark it read, then go to what it is about."""
    notification = db.get_or_404(Notification, notification_id)
    require(owns_notification(current_user, notification))
    target = notification_link(notification) or url_for("notifications.index")
    with unit_of_work():
        services.mark_read(notification=notification, user=me(), now=utcnow())
    return redirect(target)


@bp.post("/notifications/read-all")
@login_required
def read_all():
    with unit_of_work() as work:
        count = services.mark_all_read(user=me(), now=utcnow())
    if work.ok:
        if count:
            flash(_("All notifications are marked as read."))
        else:
            flash(_("You have no unread notifications. Nothing has changed."))
    return redirect(url_for("notifications.index"))


@bp.get("/notifications/following")
@login_required
def following():
    return render_template(
        "notifications/following.html", items=queries.followed_by(current_user.id)
    )
