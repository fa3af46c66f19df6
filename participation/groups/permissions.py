"""Who may do what in a working group. Pure predicates over the seats a user holds."""

from __future__ import annotations

from participation.accounts.models import User
from participation.accounts.permissions import is_admin as _is_admin
from participation.groups.models import SeatRole
from participation.groups.queries import seat_of, voting_seat_of


def is_member(user: User | None, group_id: int) -> bool:
    return seat_of(user, group_id) is not None


def votes_in_group(user: User | None, group_id: int) -> bool:
    """The holder of a voting seat, or its deputy (ผู้แทน), votes in the seat's name."""
    return voting_seat_of(user, group_id) is not None


def is_secretariat(user: User | None, group_id: int) -> bool:
    seat = seat_of(user, group_id)
    return seat is not None and seat.role.is_secretariat


def can_manage_group(user: User | None, group_id: int) -> bool:
    """The secretariat and the chair open and close ballots, record decisions and manage the
    group's commitments."""
    seat = seat_of(user, group_id)
    return seat is not None and (seat.role.is_secretariat or seat.role == SeatRole.CHAIR)


def is_admin(user: User | None) -> bool:
    return _is_admin(user)


def can_administer_groups(user: User | None) -> bool:
    """Administrators create and edit working groups and their seats, and assign holders."""
    return is_admin(user)
