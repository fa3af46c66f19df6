"""Reads about groups and seats: who holds which seat, the voting seats, default quorum, the
group lists and pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import joinedload, selectinload

from participation.accounts.models import User
from participation.extensions import db
from participation.groups.models import Seat, WorkingGroup
from participation.votes.models import Vote


def seats_of(user: User | None) -> dict[int, Seat]:
    """Map group id to the seat the user holds there; loaded once per request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    cache = g.setdefault("_seats_of", {}) if has_request_context() else {}
    if user.id not in cache:
        seats = db.session.scalars(sa.select(Seat).where(Seat.holder_id == user.id))
        cache[user.id] = {seat.group_id: seat for seat in seats}
    return cache[user.id]


def seat_of(user: User | None, group_id: int) -> Seat | None:
    return seats_of(user).get(group_id)


def voting_seats(group_id: int) -> list[Seat]:
    return list(
        db.session.scalars(
            sa.select(Seat).where(Seat.group_id == group_id, Seat.voting.is_(True))
            .order_by(Seat.position, Seat.id)
        )
    )


def default_quorum(group_id: int) -> int:
    """More than half of the group's voting seats."""
    count = db.session.scalar(
        sa.select(sa.func.count(Seat.id)).where(Seat.group_id == group_id, Seat.voting.is_(True))
    )
    return (count or 0) // 2 + 1


def seats_held_by(user_id: int) -> list[Seat]:
    """The seats a person holds, with their groups, for the account pages."""
    return list(
        db.session.scalars(
            sa.select(Seat)
            .where(Seat.holder_id == user_id)
            .options(joinedload(Seat.group))
            .order_by(Seat.group_id, Seat.position, Seat.id)
        )
    )


def seat_in_group(group_id: int, user_id: int) -> Seat | None:
    """The seat a person holds in a group, read fresh from the database (no request cache)."""
    return db.session.scalar(
        sa.select(Seat).where(Seat.group_id == group_id, Seat.holder_id == user_id)
    )


def list_groups() -> list[tuple[WorkingGroup, int, int]]:
    """Every working group with its number of seats and of voting seats, by Thai name."""
    seat_count = sa.func.count(Seat.id)
    voting_count = sa.func.count(Seat.id).filter(Seat.voting.is_(True))
    rows = db.session.execute(
        sa.select(WorkingGroup, seat_count, voting_count)
        .outerjoin(Seat, Seat.group_id == WorkingGroup.id)
        .group_by(WorkingGroup.id)
        .order_by(WorkingGroup.name_th)
    )
    return [(group, seats or 0, voting or 0) for group, seats, voting in rows]


def group_with_seats(group_id: int) -> WorkingGroup | None:
    """A group with its seats, their organisations and holders loaded in a fixed few queries."""
    return db.session.scalar(
        sa.select(WorkingGroup)
        .where(WorkingGroup.id == group_id)
        .options(selectinload(WorkingGroup.seats))
    )


def seat_has_votes(seat_id: int) -> bool:
    """Whether any vote was cast from this seat (such a seat is part of the record)."""
    return db.session.scalar(
        sa.select(sa.exists().where(Vote.seat_id == seat_id))
    )


def seat_ids_with_votes(group_id: int) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Vote.seat_id)
            .join(Seat, Seat.id == Vote.seat_id)
            .where(Seat.group_id == group_id)
            .distinct()
        )
    )


def next_position(group_id: int) -> int:
    """The position after the group's last seat."""
    last = db.session.scalar(
        sa.select(sa.func.max(Seat.position)).where(Seat.group_id == group_id)
    )
    return 0 if last is None else last + 1


def count_groups() -> int:
    return db.session.scalar(sa.select(sa.func.count(WorkingGroup.id))) or 0
