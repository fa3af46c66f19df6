"""Blocking and unblocking accounts (moderators), and the list of blocks."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from participation.accounts.models import User
from participation.accounts.permissions import can_moderate
from participation.core.i18n import format_datetime, with_names
from participation.core.models import utcnow
from participation.core.views import me, page_number, require, unit_of_work
from participation.extensions import db
from participation.moderation import blocks
from participation.moderation.block_forms import BlockForm
from participation.moderation.models import Block, ModerationReason
from participation.moderation.views import bp


@bp.app_template_global()
def block_in_force(user: User) -> Block | None:
    """The person's block in force (for the page that tells a blocked person why)."""
    return blocks.block_in_force(user, now=utcnow())


@bp.route("/moderation/users/<int:user_id>/block", methods=["GET", "POST"])
@login_required
def block(user_id: int):
    require(can_moderate(current_user))
    user = db.get_or_404(User, user_id)
    form = BlockForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            placed = blocks.block(
                moderator=me(), user=user, reason=ModerationReason(form.reason.data),
                days=form.days.data, now=utcnow(),
            )
        if work.ok:
            flash(with_names(_l("%(name)s is blocked until %(date)s."), name=user.display_name,
                             date=format_datetime(placed.ends_at)))
            return redirect(url_for("moderation.block", user_id=user.id))
    now = utcnow()
    return render_template(
        "moderation/block.html",
        form=form,
        person=user,
        refusal=blocks.why_not_blockable(moderator=current_user, user=user, now=now),
        current=blocks.block_in_force(user, now=now),
        history=blocks.blocks_of(user, now=now),
        contributions=blocks.contributions_of(user, now=now),
        recent_days=blocks.RECENT_DAYS,
    )


@bp.post("/moderation/users/<int:user_id>/unblock")
@login_required
def unblock(user_id: int):
    require(can_moderate(current_user))
    user = db.get_or_404(User, user_id)
    with unit_of_work() as work:
        blocks.unblock(moderator=me(), user=user, now=utcnow())
    if work.ok:
        flash(with_names(_l("The block on %(name)s is lifted."), name=user.display_name))
    return redirect(url_for("moderation.block", user_id=user.id))


@bp.get("/moderation/blocks", endpoint="blocks")
@login_required
def blocks_list():
    require(can_moderate(current_user))
    page, rows = blocks.blocks_page(
        now=utcnow(), page=page_number(), per_page=current_app.config["PER_PAGE"]
    )
    return render_template("moderation/blocks.html", page=page, rows=rows)
