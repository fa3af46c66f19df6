"""Writes about working groups and their seats: create, edit, assign holders, remove."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from participation.accountability.services import record
from participation.accounts.models import Organisation, Sector, User
from participation.accounts.queries import normalise_name
from participation.core.errors import DomainError
from participation.core.models import apply_changes
from participation.extensions import db
from participation.groups.models import SETTING_LIMITS, Seat, SeatRole, WorkingGroup
from participation.groups.queries import (
    deputy_seat_in_group,
    next_position,
    seat_has_votes,
    seat_in_group,
)
from participation.meetings.models import Attendance

GROUP_NAME_MAX_LENGTH = 300


class InvalidGroupData(DomainError):
    """A name or description that the rules refuse."""


class GroupNameTaken(DomainError):
    """Another working group already has this Thai name."""


class HolderHasSeat(DomainError):
    """The person already holds another seat in this group."""


class SeatHasVotes(DomainError):
    """Votes were cast from this seat, so it stays on the record."""


class InvalidDeputy(DomainError):
    """The person cannot deputise this seat."""


def _check_group(
    name_th: str, name_en: str, description: str, *, excluding: int | None = None
) -> tuple[str, str, str]:
    name_th, name_en = normalise_name(name_th), normalise_name(name_en)
    description = (description or "").strip()
    if not name_th:
        raise InvalidGroupData(_("Enter the Thai name."), field="name_th")
    for field, value in (("name_th", name_th), ("name_en", name_en)):
        if len(value) > GROUP_NAME_MAX_LENGTH:
            raise InvalidGroupData(
                _("Use at most %(count)d characters.", count=GROUP_NAME_MAX_LENGTH), field=field
            )
    limit = current_app.config["MAX_BODY_LENGTH"]
    if len(description) > limit:
        raise InvalidGroupData(
            _("Use at most %(count)d characters.", count=limit), field="description"
        )
    statement = sa.select(WorkingGroup.id).where(
        sa.func.lower(WorkingGroup.name_th) == name_th.lower()
    )
    if excluding is not None:
        statement = statement.where(WorkingGroup.id != excluding)
    if db.session.scalar(statement) is not None:
        raise GroupNameTaken(_("Another working group already has this name."), field="name_th")
    return name_th, name_en, description


def _check_settings(settings: dict[str, int | None]) -> dict[str, int]:
    """Refuse deadlines outside their ranges; leave out the ones not given."""
    checked = {}
    for field, (low, high) in SETTING_LIMITS.items():
        value = settings.get(field)
        if value is None:
            continue
        if not low <= value <= high:
            raise InvalidGroupData(
                _("Enter a number between %(min)d and %(max)d.", min=low, max=high), field=field
            )
        checked[field] = value
    return checked


def create_group(
    *,
    name_th: str,
    name_en: str,
    description: str,
    answer_days: int = 30,
    dispute_days: int = 14,
    reminder_hours: int = 24,
    actor: User | None,
    now: datetime,
) -> WorkingGroup:
    """Create a working group (without seats), with its answer, dispute and reminder times."""
    name_th, name_en, description = _check_group(name_th, name_en, description)
    settings = _check_settings({"answer_days": answer_days, "dispute_days": dispute_days,
                                "reminder_hours": reminder_hours})
    group = WorkingGroup(name_th=name_th, name_en=name_en, description=description, created_at=now,
                         **settings)
    db.session.add(group)
    db.session.flush()
    record(actor=actor, verb="group.created", subject_type="group", subject_id=group.id, now=now)
    return group


def update_group(
    *,
    group: WorkingGroup,
    name_th: str,
    name_en: str,
    description: str,
    answer_days: int | None = None,
    dispute_days: int | None = None,
    reminder_hours: int | None = None,
    actor: User | None,
    now: datetime,
) -> WorkingGroup:
    """Rename a working group, change its description, or its answer, dispute and reminder
    times (None keeps a time as it is)."""
    name_th, name_en, description = _check_group(
        name_th, name_en, description, excluding=group.id
    )
    settings = _check_settings({"answer_days": answer_days, "dispute_days": dispute_days,
                                "reminder_hours": reminder_hours})
    changed = apply_changes(
        group, {"name_th": name_th, "name_en": name_en, "description": description, **settings}
    )
    if not changed:
        return group
    db.session.flush()
    record(
        actor=actor,
        verb="group.edited",
        subject_type="group",
        subject_id=group.id,
        data={"changed": changed},
        now=now,
    )
    return group


def _check_position(position: int | None) -> None:
    if position is not None and not 0 <= position <= 10_000:
        raise InvalidGroupData(
            _("Enter a number between %(min)d and %(max)d.", min=0, max=10_000), field="position"
        )


def add_seat(
    *,
    group: WorkingGroup,
    role: SeatRole,
    organisation: Organisation | None,
    sector: Sector,
    voting: bool,
    position: int | None = None,
    actor: User | None,
    now: datetime,
) -> Seat:
    """Add a vacant seat to a group, at the end unless a position is given."""
    _check_position(position)
    seat = Seat(
        group=group,
        role=SeatRole(role),
        organisation=organisation,
        sector=Sector(sector),
        voting=voting,
        position=next_position(group.id) if position is None else position,
    )
    db.session.add(seat)
    db.session.flush()
    record(
        actor=actor,
        verb="seat.added",
        subject_type="seat",
        subject_id=seat.id,
        data={
            "group_id": group.id,
            "role": seat.role.value,
            "sector": seat.sector.value,
            "organisation_id": seat.organisation_id,
            "voting": seat.voting,
        },
        now=now,
    )
    return seat


def update_seat(
    *,
    seat: Seat,
    role: SeatRole,
    organisation: Organisation | None,
    sector: Sector,
    voting: bool,
    position: int | None,
    actor: User | None,
    now: datetime,
) -> Seat:
    """Change a seat's role, organisation, sector, voting right or position."""
    _check_position(position)
    changed = apply_changes(seat, {
        "role": SeatRole(role),
        "organisation": organisation,
        "sector": Sector(sector),
        "voting": voting,
        "position": seat.position if position is None else position,
    })
    if not changed:
        return seat
    db.session.flush()
    record(
        actor=actor,
        verb="seat.edited",
        subject_type="seat",
        subject_id=seat.id,
        data={
            "group_id": seat.group_id,
            "changed": changed,
            "role": seat.role.value,
            "voting": seat.voting,
        },
        now=now,
    )
    return seat


def assign_holder(*, seat: Seat, holder: User | None, actor: User | None, now: datetime) -> Seat:
    """Give the seat to a person, or leave it vacant with None. A person holds at most one seat
    per group: raise HolderHasSeat otherwise."""
    previous_id = seat.holder_id
    if holder is not None and holder.id == previous_id:
        return seat
    if holder is None and previous_id is None:
        return seat
    if holder is not None:
        other = seat_in_group(seat.group_id, holder.id)
        if other is not None and other.id != seat.id:
            raise HolderHasSeat(
                _(
                    "%(name)s already holds a seat in this group (%(role)s); "
                    "clear that seat first.",
                    name=holder.display_name,
                    role=other.role.label,
                ),
                field="email",
            )
        if deputy_seat_in_group(seat.group_id, holder.id) is not None:
            raise HolderHasSeat(
                _(
                    "%(name)s is the deputy of a seat in this group; "
                    "remove them as deputy first.",
                    name=holder.display_name,
                ),
                field="email",
            )
    try:
        with db.session.begin_nested():
            seat.holder = holder
            db.session.flush()
    except IntegrityError:
        # Another administrator gave this person a seat in the group at the same moment.
        db.session.refresh(seat)
        raise HolderHasSeat(
            _("This person already holds a seat in this group."), field="email"
        ) from None
    record(
        actor=actor,
        verb="seat.assigned" if holder is not None else "seat.vacated",
        subject_type="seat",
        subject_id=seat.id,
        data={
            "group_id": seat.group_id,
            "holder_id": holder.id if holder is not None else None,
            "previous_holder_id": previous_id,
        },
        now=now,
    )
    return seat


def name_deputy(*, seat: Seat, deputy: User | None, actor: User | None, now: datetime) -> Seat:
    """Name the seat's deputy (ผู้แทน), who votes in its name when the holder has not, or remove
    the deputy with None. The deputy holds no seat in the group, deputises no other seat in it
    and is not the holder: raise InvalidDeputy otherwise."""
    previous_id = seat.deputy_id
    if (deputy.id if deputy is not None else None) == previous_id:
        return seat
    if deputy is not None:
        if deputy.id == seat.holder_id:
            raise InvalidDeputy(
                _("The holder of the seat cannot also be its deputy."), field="email"
            )
        held = seat_in_group(seat.group_id, deputy.id)
        if held is not None:
            raise InvalidDeputy(
                _(
                    "%(name)s holds a seat in this group (%(role)s), so cannot deputise "
                    "another.",
                    name=deputy.display_name,
                    role=held.role.label,
                ),
                field="email",
            )
        other = deputy_seat_in_group(seat.group_id, deputy.id)
        if other is not None:
            raise InvalidDeputy(
                _(
                    "%(name)s is already the deputy of another seat in this group "
                    "(%(role)s).",
                    name=deputy.display_name,
                    role=other.role.label,
                ),
                field="email",
            )
    try:
        with db.session.begin_nested():
            seat.deputy = deputy
            db.session.flush()
    except IntegrityError:
        # Another administrator named this person in the group at the same moment.
        db.session.refresh(seat)
        raise InvalidDeputy(
            _("This person is already the deputy of a seat in this group."), field="email"
        ) from None
    record(
        actor=actor,
        verb="seat.deputy_named" if deputy is not None else "seat.deputy_removed",
        subject_type="seat",
        subject_id=seat.id,
        data={
            "group_id": seat.group_id,
            "deputy_id": deputy.id if deputy is not None else previous_id,
        },
        now=now,
    )
    return seat


def remove_seat(*, seat: Seat, actor: User | None, now: datetime) -> None:
    """Delete a seat that no vote was ever cast from; raise SeatHasVotes otherwise."""
    if seat_has_votes(seat.id):
        raise SeatHasVotes(
            _(
                "Votes were cast from this seat, so it stays on the record. "
                "Make it vacant or non-voting instead."
            )
        )
    # A seat whose attendance at a meeting is recorded is on the record too.
    if db.session.scalar(sa.select(sa.exists().where(Attendance.seat_id == seat.id))):
        raise SeatHasVotes(
            _(
                "This seat's attendance at meetings is recorded, so it stays on the record. "
                "Make it vacant or non-voting instead."
            )
        )
    seat_id, group = seat.id, seat.group
    data = {
        "group_id": group.id,
        "role": seat.role.value,
        "previous_holder_id": seat.holder_id,
    }
    group.seats.remove(seat)
    db.session.flush()
    record(
        actor=actor,
        verb="seat.removed",
        subject_type="seat",
        subject_id=seat_id,
        data=data,
        now=now,
    )
