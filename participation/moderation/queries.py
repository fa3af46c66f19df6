"""Reads for moderators: the queue of reported contributions and the hidden ones, each page in
a fixed number of queries whatever the number of reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from participation.comments.models import Comment
from participation.core.pagination import MAX_PAGE, Page
from participation.extensions import db
from participation.moderation.models import ContentKind, ModerationReason, Report
from participation.moderation.permissions import HIDE_REASONS
from participation.proposals.models import Proposal

Key = tuple[ContentKind, int]


@dataclass
class Contribution:
    """A proposal or comment as a moderator sees it, with the proposal it belongs to."""

    kind: ContentKind
    id: int
    content: Proposal | Comment | None  # None: the row is gone
    proposal: Proposal | None

    @property
    def author(self):
        return self.content.author if self.content is not None else None


@dataclass
class Note:
    reason: ModerationReason
    text: str
    created_at: datetime


@dataclass
class Case:
    """One reported contribution with its open reports: how many for each reason, the
    reporters' notes (never their names) and when the oldest came."""

    contribution: Contribution
    oldest: datetime
    total: int
    by_reason: list[tuple[ModerationReason, int]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def suggested_reason(self) -> ModerationReason | None:
        """The reason most reporters gave, among those a hidden contribution can show."""
        fitting = [(count, reason) for reason, count in self.by_reason if reason in HIDE_REASONS]
        return max(fitting, key=lambda pair: pair[0])[1] if fitting else None


def _page_of(total: int, page: int, per_page: int, items: list) -> Page:
    return Page(items=items, page=page, per_page=per_page, total=total)


def _offset(page: int, per_page: int) -> tuple[int, int]:
    page = min(max(1, page), MAX_PAGE)
    return page, (page - 1) * per_page


def contributions(keys: Iterable[Key]) -> dict[Key, Contribution]:
    """Load the proposals and comments named, with their authors and the comments' proposals,
    in two queries."""
    keys = list(keys)
    comment_ids = {content_id for kind, content_id in keys if kind == ContentKind.COMMENT}
    comments = {}
    if comment_ids:
        comments = {
            comment.id: comment
            for comment in db.session.scalars(
                sa.select(Comment).where(Comment.id.in_(comment_ids))
                .options(joinedload(Comment.author))
            )
        }
    proposal_ids = {content_id for kind, content_id in keys if kind == ContentKind.PROPOSAL}
    proposal_ids |= {comment.proposal_id for comment in comments.values()}
    proposals = {}
    if proposal_ids:
        proposals = {
            proposal.id: proposal
            for proposal in db.session.scalars(
                sa.select(Proposal).where(Proposal.id.in_(proposal_ids))
                .options(joinedload(Proposal.author))
            )
        }
    found = {}
    for kind, content_id in keys:
        if kind == ContentKind.PROPOSAL:
            content = proposals.get(content_id)
            proposal = content
        else:
            content = comments.get(content_id)
            proposal = proposals.get(content.proposal_id) if content is not None else None
        found[kind, content_id] = Contribution(kind, content_id, content, proposal)
    return found


def _open() -> sa.ColumnElement[bool]:
    return Report.resolved_at.is_(None)


def _of_keys(keys: list[Key]) -> sa.ColumnElement[bool]:
    by_kind: dict[ContentKind, list[int]] = {}
    for kind, content_id in keys:
        by_kind.setdefault(kind, []).append(content_id)
    return sa.or_(*(
        sa.and_(Report.content_kind == kind, Report.content_id.in_(ids))
        for kind, ids in by_kind.items()
    ))


def queue_page(*, page: int, per_page: int) -> Page:
    """The contributions with open reports, the longest waiting first, as Cases: five queries
    (the count, the page, its reports, comments, proposals)."""
    page, offset = _offset(page, per_page)
    grouped = (
        sa.select(
            Report.content_kind,
            Report.content_id,
            sa.func.min(Report.created_at).label("oldest"),
            sa.func.count(Report.id).label("total"),
        )
        .where(_open())
        .group_by(Report.content_kind, Report.content_id)
    )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(grouped.subquery())) or 0
    rows = db.session.execute(
        grouped.order_by(sa.text("oldest"), Report.content_kind, Report.content_id)
        .limit(per_page).offset(offset)
    ).all()
    keys = [(ContentKind(row.content_kind), row.content_id) for row in rows]
    if not keys:
        return _page_of(total, page, per_page, [])
    reports: dict[Key, list[Report]] = {}
    for row in db.session.scalars(
        sa.select(Report).where(_open(), _of_keys(keys)).order_by(Report.created_at, Report.id)
    ):
        reports.setdefault((row.content_kind, row.content_id), []).append(row)
    loaded = contributions(keys)
    cases = []
    for row, key in zip(rows, keys, strict=True):
        mine = reports.get(key, [])
        counts = Counter(report.reason for report in mine)
        cases.append(Case(
            contribution=loaded[key],
            oldest=row.oldest,
            total=row.total,
            by_reason=[(reason, counts[reason]) for reason in ModerationReason if counts[reason]],
            notes=[Note(report.reason, report.note, report.created_at)
                   for report in mine if report.note],
        ))
    return _page_of(total, page, per_page, cases)


def hidden_page(*, page: int, per_page: int) -> Page:
    """The hidden proposals and comments, the most recently hidden first, as Contributions:
    four queries (the count, the page, comments, proposals)."""
    page, offset = _offset(page, per_page)
    hidden = sa.union_all(
        sa.select(sa.literal(ContentKind.PROPOSAL.value).label("kind"),
                  Proposal.id.label("id"), Proposal.hidden_at.label("hidden_at"))
        .where(Proposal.hidden_at.is_not(None)),
        sa.select(sa.literal(ContentKind.COMMENT.value).label("kind"),
                  Comment.id.label("id"), Comment.hidden_at.label("hidden_at"))
        .where(Comment.hidden_at.is_not(None)),
    ).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(hidden)) or 0
    rows = db.session.execute(
        sa.select(hidden.c.kind, hidden.c.id)
        .order_by(hidden.c.hidden_at.desc(), hidden.c.kind, hidden.c.id.desc())
        .limit(per_page).offset(offset)
    ).all()
    keys = [(ContentKind(row.kind), row.id) for row in rows]
    loaded = contributions(keys)
    return _page_of(total, page, per_page, [loaded[key] for key in keys])

