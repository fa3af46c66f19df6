"""Writes on comments: post, reply, edit with history, delete to a placeholder. Never commits."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from participation.accounts.models import User
from participation.comments.models import Comment, CommentRevision, Stance
from participation.comments.permissions import closed_reason, comments_open
from participation.core.errors import DomainError, NotAllowed
from participation.extensions import db
from participation.notifications import services as notifications
from participation.proposals.models import Proposal
from participation.proposals.services import lock_proposal


class CommentsClosed(DomainError):
    """The proposal's thread does not take comments in its current state."""


class InvalidComment(DomainError):
    """The text or the comment replied to cannot be accepted."""


class NotCommentAuthor(NotAllowed):
    """Only the author may change or delete a comment."""


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidComment(_("Write a comment."), field="body")
    limit = current_app.config["MAX_BODY_LENGTH"]
    if len(body) > limit:
        raise InvalidComment(
            _("The text may be at most %(max)d characters long.", max=limit), field="body"
        )
    return body


def _lock_open_thread(proposal: Proposal) -> None:
    # The row lock serialises writers of one thread, so the recount below sees them all.
    lock_proposal(proposal)
    if not comments_open(proposal):
        raise CommentsClosed(closed_reason(proposal) or _("Comments are closed."))


def recount_comments(proposal: Proposal) -> None:
    """Store the number of comments that are neither deleted nor hidden by a moderator,
    counted by the database."""
    db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(
            comment_count=sa.select(sa.func.count(Comment.id))
            .where(Comment.proposal_id == proposal.id, Comment.deleted_at.is_(None),
                   Comment.hidden_at.is_(None))
            .scalar_subquery()
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(proposal, ["comment_count", "updated_at"])


def add_comment(
    *, proposal: Proposal, author: User, body: str, stance: Stance | None,
    parent: Comment | None = None, now: datetime,
) -> Comment:
    """Post a comment or a reply; a reply to a reply joins the top-level comment's replies."""
    body = _check_body(body)
    _lock_open_thread(proposal)
    parent_id = None
    if parent is not None:
        if parent.proposal_id != proposal.id:
            raise InvalidComment(_("That comment belongs to another proposal."))
        if parent.parent_id is not None:
            parent = db.session.get(Comment, parent.parent_id)
        if parent.is_deleted:
            raise InvalidComment(_("You cannot reply to a deleted comment."))
        if parent.is_hidden:
            raise InvalidComment(_("You cannot reply to a comment a moderator hid."))
        parent_id = parent.id
    comment = Comment(
        proposal_id=proposal.id,
        author_id=author.id,
        parent_id=parent_id,
        body=body,
        stance=stance,
        created_at=now,
        updated_at=now,
    )
    db.session.add(comment)
    db.session.flush()
    recount_comments(proposal)
    notifications.comment_posted(comment=comment, proposal=proposal, author=author, now=now)
    return comment


def edit_comment(
    *, comment: Comment, editor: User, body: str, stance: Stance | None, now: datetime
) -> bool:
    """Replace the text of the author's comment, keeping the previous text; False if unchanged."""
    if editor is None or editor.id != comment.author_id:
        raise NotCommentAuthor(_("Only the author may edit this comment."))
    if comment.is_deleted:
        raise InvalidComment(_("A deleted comment cannot be edited."))
    if comment.is_hidden:
        raise InvalidComment(_("A comment a moderator hid cannot be edited."))
    body = _check_body(body)
    proposal = db.session.get(Proposal, comment.proposal_id)
    _lock_open_thread(proposal)
    if body == comment.body and stance == comment.stance:
        return False
    # The revision keeps the text as it was, dated when that text was written.
    db.session.add(CommentRevision(
        comment_id=comment.id, body=comment.body, stance=comment.stance,
        created_at=comment.updated_at,
    ))
    comment.body = body
    comment.stance = stance
    comment.revision_count = comment.revision_count + 1
    comment.updated_at = now
    db.session.flush()
    return True


def delete_comment(*, comment: Comment, actor: User, now: datetime) -> None:
    """Take the author's words down, leaving a placeholder so that replies keep their place.

    The text and its earlier versions are erased, not hidden: the author asked for them to go."""
    if actor is None or actor.id != comment.author_id:
        raise NotCommentAuthor(_("Only the author may delete this comment."))
    if comment.is_deleted:
        raise InvalidComment(_("This comment was already deleted."))
    proposal = db.session.get(Proposal, comment.proposal_id)
    lock_proposal(proposal)
    db.session.execute(
        sa.delete(CommentRevision)
        .where(CommentRevision.comment_id == comment.id)
        .execution_options(synchronize_session=False)
    )
    comment.body = ""
    comment.stance = None
    comment.deleted_at = now
    comment.updated_at = now
    db.session.flush()
    recount_comments(proposal)
