"""Blocks of accounts: a moderator stops a person from taking part for a number of days, or
lifts the block early; and the reads the block pages need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from participation.accountability.services import record
from participation.accounts.models import User
from participation.accounts.permissions import can_moderate, is_blocked
from participation.comments.models import Comment
from participation.core.errors import DomainError, NotAllowed
from participation.core.i18n import format_datetime
from participation.core.pagination import Page, paginate
from participation.extensions import db
from participation.moderation.models import Block, ModerationReason
from participation.proposals.models import Proposal

DAYS_MIN = 1
DAYS_MAX = 365
# "Another reason" says nothing to the person blocked nor to the public page: a block names
# one of the reasons a contribution can be hidden for.
BLOCK_REASONS = tuple(reason for reason in ModerationReason if reason != ModerationReason.OTHER)
RECENT_DAYS = 30


class CannotBlock(NotAllowed):
    """This account may not be blocked (now)."""


def why_not_blockable(*, moderator: User, user: User, now: datetime) -> str | None:
    """The translated reason the moderator may not block this person now, or None.

    A person already blocked is refused rather than given a longer block: the moderator lifts
    the block in force first, so each block keeps its own reason, length and log entry."""
    if user.id == moderator.id:
        return _("You cannot block yourself.")
    if user.erased_at is not None:
        return _("This account has been deleted.")
    if user.is_admin:
        return _("Administrators cannot be blocked.")
    if user.is_moderator:
        return _("Moderators cannot be blocked. An administrator can remove the moderator role "
                 "first.")
    if is_blocked(user, now):
        return _("%(name)s is already blocked until %(date)s. Lift that block first to set "
                 "another.", name=user.display_name, date=format_datetime(user.blocked_until))
    return None


def block(
    *, moderator: User, user: User, reason: ModerationReason, days: int, now: datetime
) -> Block:
    """Stop the person from taking part for `days` days; raise CannotBlock when they may not
    be blocked."""
    if not can_moderate(moderator):
        raise NotAllowed(_("Only moderators can block accounts."))
    refusal = why_not_blockable(moderator=moderator, user=user, now=now)
    if refusal is not None:
        raise CannotBlock(refusal)
    if reason not in BLOCK_REASONS:
        raise DomainError(_("Choose the reason for the block."), field="reason")
    if not DAYS_MIN <= days <= DAYS_MAX:
        raise DomainError(
            _("A block lasts from %(min)d to %(max)d days.", min=DAYS_MIN, max=DAYS_MAX),
            field="days",
        )
    starts_at = now.astimezone(UTC).replace(microsecond=0)
    entry = Block(
        user_id=user.id,
        reason=reason,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=days),
        blocked_by_id=moderator.id,
    )
    db.session.add(entry)
    user.blocked_until = entry.ends_at
    db.session.flush()
    record(
        actor=moderator,
        verb="user.blocked",
        subject_type="user",
        subject_id=user.id,
        data={"reason": reason.value, "until": entry.ends_at.isoformat()},
        now=now,
    )
    return entry


def unblock(*, moderator: User, user: User, now: datetime) -> Block:
    """Lift the block in force on the person; raise DomainError when there is none."""
    if not can_moderate(moderator):
        raise NotAllowed(_("Only moderators can lift blocks."))
    entry = block_in_force(user, now=now)
    if entry is None:
        raise DomainError(_("%(name)s is not blocked.", name=user.display_name))
    entry.lifted_at = now
    entry.lifted_by_id = moderator.id
    user.blocked_until = None
    db.session.flush()
    record(actor=moderator, verb="user.unblocked", subject_type="user", subject_id=user.id,
           now=now)
    return entry


# Reads.


def _in_force(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(Block.lifted_at.is_(None), Block.ends_at > now)


def block_in_force(user: User, *, now: datetime) -> Block | None:
    """The person's block in force, or None (a block whose end has passed no longer applies)."""
    if not is_blocked(user, now):
        return None
    return db.session.scalars(
        sa.select(Block)
        .where(Block.user_id == user.id, _in_force(now))
        .order_by(Block.ends_at.desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class BlockRow:
    """A block on the moderators' list, with who placed and who lifted it."""

    block: Block
    blocked_by: User | None
    lifted_by: User | None
    in_force: bool


def _with_moderators(blocks: list[Block], *, now: datetime) -> list[BlockRow]:
    """The blocks with their moderators, read in one query."""
    ids = {block.blocked_by_id for block in blocks} | {block.lifted_by_id for block in blocks}
    ids.discard(None)
    people = (
        {user.id: user for user in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}
        if ids else {}
    )
    return [
        BlockRow(
            block=block,
            blocked_by=people.get(block.blocked_by_id),
            lifted_by=people.get(block.lifted_by_id),
            in_force=block.lifted_at is None and block.ends_at > now,
        )
        for block in blocks
    ]


def blocks_page(*, now: datetime, page: int, per_page: int) -> tuple[Page, list[BlockRow]]:
    """Every block: those in force first (ending soonest first), then the past ones (latest
    first). Four queries whatever the number of blocks."""
    ended = sa.case((_in_force(now), 0), else_=1)
    statement = (
        sa.select(Block)
        .options(selectinload(Block.user))
        .order_by(
            ended,
            sa.case((_in_force(now), Block.ends_at), else_=None),
            Block.starts_at.desc(),
            Block.id.desc(),
        )
    )
    result = paginate(statement, page=page, per_page=per_page)
    return result, _with_moderators(result.items, now=now)


def blocks_of(user: User, *, now: datetime, limit: int = 20) -> list[BlockRow]:
    """The person's blocks, latest first."""
    blocks = list(db.session.scalars(
        sa.select(Block)
        .where(Block.user_id == user.id)
        .order_by(Block.starts_at.desc(), Block.id.desc())
        .limit(limit)
    ))
    return _with_moderators(blocks, now=now)


@dataclass(frozen=True)
class Contributions:
    """What a person wrote, overall and in the last RECENT_DAYS days, and how much of it a
    moderator hid."""

    proposals: int
    comments: int
    recent_proposals: int
    recent_comments: int
    hidden: int


def contributions_of(user: User, *, now: datetime) -> Contributions:
    """Count the person's proposals and comments in one query."""
    since = now - timedelta(days=RECENT_DAYS)

    def counted(model: type[Proposal] | type[Comment]) -> tuple[sa.ScalarSelect, ...]:
        mine = sa.select(sa.func.count(model.id)).where(model.author_id == user.id)
        return (
            mine.scalar_subquery(),
            mine.where(model.created_at >= since).scalar_subquery(),
            mine.where(model.hidden_at.is_not(None)).scalar_subquery(),
        )

    proposals, recent_proposals, hidden_proposals = counted(Proposal)
    comments, recent_comments, hidden_comments = counted(Comment)
    row = db.session.execute(sa.select(
        proposals, comments, recent_proposals, recent_comments, hidden_proposals,
        hidden_comments,
    )).one()
    return Contributions(
        proposals=row[0], comments=row[1], recent_proposals=row[2], recent_comments=row[3],
        hidden=row[4] + row[5],
    )
