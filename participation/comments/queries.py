"""Reads about comments: a proposal's thread in one query, stance counts, edit history."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from participation.accounts.models import User
from participation.accounts.sectors import count_by_sector
from participation.comments.models import Comment, CommentRevision, Stance
from participation.extensions import db


def visible_comment() -> sa.ColumnElement[bool]:
    """A comment no moderator has hidden: searches and datasets keep to these (a hidden
    comment keeps its place in its thread, as the moderator's notice)."""
    return Comment.hidden_at.is_(None)


@dataclass
class ThreadEntry:
    """A top-level comment and its replies, oldest first."""

    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def thread(proposal_id: int) -> list[ThreadEntry]:
    """Load every comment of the proposal with its author in one query; nest in Python."""
    comments = db.session.scalars(
        sa.select(Comment)
        .where(Comment.proposal_id == proposal_id)
        .options(joinedload(Comment.author))
        .order_by(Comment.created_at, Comment.id)
    ).unique()
    entries: dict[int, ThreadEntry] = {}
    orphans: list[Comment] = []
    for comment in comments:
        if comment.parent_id is None:
            entries[comment.id] = ThreadEntry(comment)
        elif comment.parent_id in entries:
            entries[comment.parent_id].replies.append(comment)
        else:
            orphans.append(comment)
    # Replies are attached to top-level comments, which are always older; this only guards
    # against rows written by hand.
    for comment in orphans:
        entry = entries.get(comment.parent_id)
        if entry is not None:
            entry.replies.append(comment)
        else:
            entries[comment.id] = ThreadEntry(comment)
    return list(entries.values())


def stance_counts(proposal_id: int) -> dict[Stance, int]:
    """How many comments (not deleted nor hidden) take each stance, in one grouped query."""
    counts = {stance: 0 for stance in Stance}
    rows = db.session.execute(
        sa.select(Comment.stance, sa.func.count(Comment.id))
        .where(
            Comment.proposal_id == proposal_id,
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
            Comment.stance.is_not(None),
        )
        .group_by(Comment.stance)
    )
    for stance, number in rows:
        counts[stance] = number
    return counts


def stances_by_sector(proposal_id: int) -> dict[str, dict[str, int]]:
    """The stances taken in the proposal's comments (shown, with a stance) by the
    commenter's sector, {sector: {stance: n}}, in one grouped query."""
    rows = db.session.execute(
        sa.select(User.sector, Comment.stance, sa.func.count(Comment.id))
        .join(User, User.id == Comment.author_id)
        .where(
            Comment.proposal_id == proposal_id,
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
            Comment.stance.is_not(None),
        )
        .group_by(User.sector, Comment.stance)
    )
    return count_by_sector(rows)


def history(comment_id: int) -> list[CommentRevision]:
    """The earlier versions of a comment, newest first."""
    return list(db.session.scalars(
        sa.select(CommentRevision)
        .where(CommentRevision.comment_id == comment_id)
        .order_by(CommentRevision.created_at.desc(), CommentRevision.id.desc())
    ))
