"""Reads about groups and seats: who holds which seat, the voting seats, default quorum."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, has_request_context

from participation.accounts.models import User
from participation.extensions import db
from participation.groups.models import Seat


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
