"""Comment actions: post and reply, edit with history, delete to a placeholder."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.accounts import limits
from participation.accounts.verification import take_part_required
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
from participation.core.models import utcnow
from participation.core.views import me, require, unit_of_work
from participation.extensions import db
from participation.proposals.models import Proposal
from participation.proposals.views import render_detail, visible_or_404

bp = Blueprint("comments", __name__)


def _in_thread(comment: Comment, language: str | None = None) -> str:
    """The comment in its proposal's thread: the page that shows it, at its anchor."""
    page = queries.thread_page_of(comment)
    return url_for("proposals.detail", proposal_id=comment.proposal_id,
                   page=page if page > 1 else None, lang=language,
                   _anchor=f"comment-{comment.id}")


def _comment_and_proposal(comment_id: int) -> tuple[Comment, Proposal]:
    comment = db.get_or_404(Comment, comment_id)
    return comment, visible_or_404(comment.proposal_id)


@bp.post("/proposals/<int:proposal_id>/comments")
@login_required
@take_part_required
@limits.comment_limit
def add(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    if not comments_open(proposal):
        flash(closed_reason(proposal) or _("Comments are closed."), "error")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id, _anchor="comments"))
    form = CommentForm()
    if form.validate_on_submit():
        parent = None
        parent_id = form.parent_value()
        if form.parent_id.data:
            parent = db.session.get(Comment, parent_id) if parent_id else None
            if parent is None or parent.proposal_id != proposal.id:
                abort(404)
        with unit_of_work(form, fallback_field="body") as work:
            comment = services.add_comment(
                proposal=proposal, author=me(), body=form.body.data,
                stance=form.stance_value(), parent=parent, now=utcnow(),
            )
        if work.ok:
            flash(_("Your reply is posted.") if parent else _("Your comment is posted."))
            return redirect(_in_thread(comment))
    return render_detail(proposal, comment_form=form)


@bp.get("/comments/<int:comment_id>")
def permalink(comment_id: int):
    """A comment's lasting address: lists, notifications and the log link here, and it leads
    to the page of the thread that shows the comment today."""
    comment, _proposal = _comment_and_proposal(comment_id)
    # A link from an e-mail names the reader's language: the page keeps it.
    language = request.args.get("lang")
    return redirect(_in_thread(
        comment, language if language in current_app.config["LANGUAGES"] else None))


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    comment, proposal = _comment_and_proposal(comment_id)
    require(is_comment_author(current_user, comment))
    if not can_edit_comment(current_user, comment, proposal):
        if comment.is_deleted:
            flash(_("A deleted comment cannot be edited."), "error")
        elif comment.is_hidden:
            flash(_("A comment a moderator hid cannot be edited."), "error")
        else:
            flash(closed_reason(proposal) or _("Comments are closed."), "error")
        return redirect(_in_thread(comment))
    form = CommentForm()
    if request.method == "GET":
        form.body.data = comment.body
        form.stance.data = comment.stance.value if comment.stance else ""
    if form.validate_on_submit():
        with unit_of_work(form, fallback_field="body") as work:
            changed = services.edit_comment(
                comment=comment, editor=me(), body=form.body.data,
                stance=form.stance_value(), now=utcnow(),
            )
        if work.ok:
            flash(_("Your comment is updated; its earlier text stays in its history.") if changed
                  else _("Nothing was changed."))
            return redirect(_in_thread(comment))
    return render_template(
        "comments/edit.html", form=form, comment=comment, proposal=proposal
    )


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete(comment_id: int):
    comment, proposal = _comment_and_proposal(comment_id)
    require(is_comment_author(current_user, comment))
    if not can_delete_comment(current_user, comment):
        flash(_("This comment was already deleted."), "error")
        return redirect(_in_thread(comment))
    with unit_of_work() as work:
        services.delete_comment(comment=comment, actor=me(), now=utcnow())
    if work.ok:
        flash(_("Your comment was deleted. A note in the thread says so."))
    return redirect(_in_thread(comment))


@bp.get("/comments/<int:comment_id>/history")
def history(comment_id: int):
    comment, proposal = _comment_and_proposal(comment_id)
    if proposal.is_hidden:
        return render_template("moderation/hidden_proposal.html", proposal=proposal)
    return render_template(
        "comments/history.html", comment=comment, proposal=proposal,
        revisions=[] if comment.is_deleted or comment.is_hidden else queries.history(comment.id),
    )
