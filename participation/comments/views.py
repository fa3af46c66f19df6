"""Comment actions: post and reply, edit with history, delete to a placeholder."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.comments import queries, services
from participation.comments.forms import CommentForm
from participation.comments.models import Comment
from participation.comments.permissions import (
    can_delete_comment,
    can_edit_comment,
    closed_reason,
    comments_open,
    is_comment_author,
)
from participation.core.errors import DomainError
from participation.core.models import utcnow
from participation.extensions import db
from participation.proposals import permissions as proposal_permissions
from participation.proposals import queries as proposal_queries
from participation.proposals.models import Proposal
from participation.proposals.views import render_detail

bp = Blueprint("comments", __name__)


def _me():
    return current_user._get_current_object()


def _anchor(proposal_id: int, comment_id: int | None = None) -> str:
    url = url_for("proposals.detail", proposal_id=proposal_id)
    return f"{url}#comment-{comment_id}" if comment_id else f"{url}#comments"


def _comment_and_proposal(comment_id: int) -> tuple[Comment, Proposal]:
    comment = db.get_or_404(Comment, comment_id)
    proposal = proposal_queries.get_proposal_or_404(comment.proposal_id)
    if not proposal_permissions.can_view(current_user, proposal):
        abort(404)
    return comment, proposal


@bp.post("/proposals/<int:proposal_id>/comments")
@login_required
def add(proposal_id: int):
    proposal = proposal_queries.get_proposal_or_404(proposal_id)
    if not proposal_permissions.can_view(current_user, proposal):
        abort(404)
    if not comments_open(proposal):
        flash(closed_reason(proposal) or _("Comments are closed."), "error")
        return redirect(_anchor(proposal.id))
    form = CommentForm()
    if form.validate_on_submit():
        parent = None
        parent_id = form.parent_value()
        if form.parent_id.data:
            parent = db.session.get(Comment, parent_id) if parent_id else None
            if parent is None or parent.proposal_id != proposal.id:
                abort(404)
        try:
            comment = services.add_comment(
                proposal=proposal, author=_me(), body=form.body.data,
                stance=form.stance_value(), parent=parent, now=utcnow(),
            )
        except DomainError as error:
            db.session.rollback()
            form.body.errors = [*form.body.errors, error.message]
        else:
            db.session.commit()
            flash(_("Your reply is posted.") if parent else _("Your comment is posted."))
            return redirect(_anchor(proposal.id, comment.id))
    return render_detail(proposal, comment_form=form)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    comment, proposal = _comment_and_proposal(comment_id)
    if not is_comment_author(current_user, comment):
        abort(403)
    if not can_edit_comment(current_user, comment, proposal):
        flash(_("A deleted comment cannot be edited.") if comment.is_deleted
              else closed_reason(proposal) or _("Comments are closed."), "error")
        return redirect(_anchor(proposal.id, comment.id))
    form = CommentForm()
    if request.method == "GET":
        form.body.data = comment.body
        form.stance.data = comment.stance.value if comment.stance else ""
    if form.validate_on_submit():
        try:
            changed = services.edit_comment(
                comment=comment, editor=_me(), body=form.body.data,
                stance=form.stance_value(), now=utcnow(),
            )
        except DomainError as error:
            db.session.rollback()
            form.body.errors = [*form.body.errors, error.message]
        else:
            db.session.commit()
            flash(_("Your comment is updated; its earlier text stays in its history.") if changed
                  else _("Nothing was changed."))
            return redirect(_anchor(proposal.id, comment.id))
    return render_template(
        "comments/edit.html", form=form, comment=comment, proposal=proposal
    )


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete(comment_id: int):
    comment, proposal = _comment_and_proposal(comment_id)
    if not is_comment_author(current_user, comment):
        abort(403)
    if not can_delete_comment(current_user, comment):
        flash(_("This comment was already deleted."), "error")
        return redirect(_anchor(proposal.id, comment.id))
    try:
        services.delete_comment(comment=comment, actor=_me(), now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Your comment was deleted. A note in the thread says so."))
    return redirect(_anchor(proposal.id, comment.id))


@bp.get("/comments/<int:comment_id>/history")
def history(comment_id: int):
    comment, proposal = _comment_and_proposal(comment_id)
    return render_template(
        "comments/history.html", comment=comment, proposal=proposal,
        revisions=[] if comment.is_deleted else queries.history(comment.id),
    )
