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


def _seats_and_deputies(user: User | None) -> tuple[dict[int, Seat], dict[int, Seat]]:
    """The seats a user holds and the seats they deputise, each by group id; one query,
    loaded once per request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}, {}
    cache = g.setdefault("_seats_of", {}) if has_request_context() else {}
    if user.id not in cache:
        held: dict[int, Seat] = {}
        deputised: dict[int, Seat] = {}
        seats = db.session.scalars(
            sa.select(Seat).where(sa.or_(Seat.holder_id == user.id, Seat.deputy_id == user.id))
        )
        for seat in seats:
            (held if seat.holder_id == user.id else deputised)[seat.group_id] = seat
        cache[user.id] = (held, deputised)
    return cache[user.id]


def seats_of(user: User | None) -> dict[int, Seat]:
    """Map group id to the seat the user holds there; loaded once per request."""
    return _seats_and_deputies(user)[0]


def seat_of(user: User | None, group_id: int) -> Seat | None:
    return seats_of(user).get(group_id)


def deputy_seat_of(user: User | None, group_id: int) -> Seat | None:
    """The seat the user deputises (ผู้แทน) in the group, or None."""
    return _seats_and_deputies(user)[1].get(group_id)


def voting_seat_of(user: User | None, group_id: int) -> Seat | None:
    """The voting seat the user votes from in the group: the one they hold, else the one they
    deputise; None if neither votes."""
    for seat in (seat_of(user, group_id), deputy_seat_of(user, group_id)):
        if seat is not None and seat.voting:
            return seat
    return None


def loaded_voting_seats(user: User) -> list[Seat] | None:
    """Every voting seat the user holds or deputises, if this request has read their seats
    already (no query); else None."""
    cache = g.get("_seats_of", {}) if has_request_context() else {}
    if user.id not in cache:
        return None
    held, deputised = cache[user.id]
    return [seat for seat in (*held.values(), *deputised.values()) if seat.voting]


def voting_seat_in_group(group_id: int, user_id: int) -> Seat | None:
    """The voting seat a person holds in a group, else the one they deputise, read fresh from
    the database (no request cache)."""
    return db.session.scalars(
        sa.select(Seat)
        .where(
            Seat.group_id == group_id,
            Seat.voting.is_(True),
            sa.or_(Seat.holder_id == user_id, Seat.deputy_id == user_id),
        )
        # The seat held comes before the seat deputised.
        .order_by(sa.case((Seat.holder_id == user_id, 0), else_=1))
    ).first()


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


def deputy_seat_in_group(group_id: int, user_id: int) -> Seat | None:
    """The seat a person deputises in a group, read fresh from the database."""
    return db.session.scalar(
        sa.select(Seat).where(Seat.group_id == group_id, Seat.deputy_id == user_id)
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
