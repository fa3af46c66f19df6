"""Reads about comments: a proposal's thread a page at a time, stance counts, edit history."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from participation.accounts.models import User
from participation.accounts.sectors import count_by_sector
from participation.comments.models import Comment, CommentRevision, Stance
from participation.core.pagination import Page, paginate_keys
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


# Top-level comments per page of a proposal's thread, each with all its replies: a proposal
# with hundreds of comments is read a page at a time, and every page costs about the same.
THREADS_PER_PAGE = 50


def _top_level(proposal_id: int) -> sa.Select[tuple[int]]:
    return (
        sa.select(Comment.id)
        .where(Comment.proposal_id == proposal_id, Comment.parent_id.is_(None))
        .order_by(Comment.created_at, Comment.id)
    )


def thread(proposal_id: int, *, page: int = 1, per_page: int = THREADS_PER_PAGE) -> Page:
    """One page of the proposal's thread, oldest first: `per_page` top-level comments with
    their replies (oldest first) as ThreadEntry items, in three queries whatever the thread's
    size (the page's keys, its comments with their authors, the count of top-level ones)."""
    keys = paginate_keys(_top_level(proposal_id), page=page, per_page=per_page)
    comments = db.session.scalars(
        sa.select(Comment)
        .where(
            Comment.proposal_id == proposal_id,
            sa.func.coalesce(Comment.parent_id, Comment.id).in_(keys.items),
        )
        .options(joinedload(Comment.author))
        .order_by(Comment.created_at, Comment.id)
    ).unique()
    entries: dict[int, ThreadEntry] = {}
    replies: list[Comment] = []
    for comment in comments:
        if comment.parent_id is None:
            entries[comment.id] = ThreadEntry(comment)
        else:
            replies.append(comment)
    for reply in replies:  # after their parents, should a row written by hand be older
        entries[reply.parent_id].replies.append(reply)
    return Page(items=list(entries.values()), page=keys.page, per_page=per_page,
                total=keys.total)


def thread_page_of(comment: Comment, *, per_page: int = THREADS_PER_PAGE) -> int:
    """The page of its proposal's thread that shows the comment (a reply is on its parent's)."""
    top = comment if comment.parent_id is None else db.session.get(Comment, comment.parent_id)
    earlier = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            _top_level(comment.proposal_id)
            .where(sa.tuple_(Comment.created_at, Comment.id) < (top.created_at, top.id))
            .order_by(None)
            .subquery()
        )
    )
    return (earlier or 0) // per_page + 1


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
