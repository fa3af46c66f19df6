"""Offer and edit volunteer tasks; sign up and withdraw, the waiting list moving up by itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from participation.accountability.services import record
from participation.accounts.models import User
from participation.commitments.models import Commitment
from participation.core.errors import DomainError, NotAllowed
from participation.core.models import apply_changes
from participation.extensions import db
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask
from participation.volunteering.permissions import can_organise_tasks

TITLE_MAX = 200
PLACE_MAX = 300
CAPACITY_MIN = 1
CAPACITY_MAX = 10_000


class InvalidTask(DomainError):
    """A field of a volunteer task the rules refuse."""


class TaskStarted(DomainError):
    """Sign-ups and withdrawals end when the task starts."""


class NotSignedUp(DomainError):
    """Only someone signed up or waiting can withdraw."""


@dataclass(frozen=True)
class SignupOutcome:
    """A person's sign-up after asking; `changed` is False when they were already in."""

    signup: Signup
    changed: bool


def _text(value: str | None, *, field: str, limit: int, required: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise InvalidTask(required, field=field)
    if len(value) > limit:
        raise InvalidTask(_("Use at most %(count)d characters.", count=limit), field=field)
    return value


def _moment(value: Any, *, field: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidTask(_("Enter the date and time."), field=field)
    return value.astimezone(UTC)


def _fields(
    *,
    title: str,
    description: str,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
) -> dict[str, Any]:
    """Check every field of a task; return the column values to store."""
    description = (description or "").strip()
    if len(description) > current_app.config["MAX_BODY_LENGTH"]:
        raise InvalidTask(_("The text is too long."), field="description")
    starts_at = _moment(starts_at, field="starts_at")
    ends_at = _moment(ends_at, field="ends_at")
    if ends_at <= starts_at:
        raise InvalidTask(_("The task must end after it starts."), field="ends_at")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not (
        CAPACITY_MIN <= capacity <= CAPACITY_MAX
    ):
        raise InvalidTask(
            _("The number of places must be between %(min)d and %(max)d.",
              min=CAPACITY_MIN, max=CAPACITY_MAX),
            field="capacity",
        )
    return {
        "title": _text(title, field="title", limit=TITLE_MAX,
                       required=_("Give the task a title.")),
        "description": description,
        "place": _text(place, field="place", limit=PLACE_MAX,
                       required=_("Say where the task takes place.")),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": capacity,
    }


def _start_in_future() -> InvalidTask:
    return InvalidTask(_("The start must be in the future."), field="starts_at")


def _log(task: VolunteerTask, verb: str, *, actor: User, now: datetime) -> None:
    # Counts and times only: the log is public and never names the volunteers.
    record(
        actor=actor,
        verb=verb,
        subject_type="commitment",
        subject_id=task.commitment_id,
        data={
            "task_id": task.id,
            "capacity": task.capacity,
            "starts_at": task.starts_at.astimezone(UTC).isoformat(),
        },
        now=now,
    )


def _lock_task(task: VolunteerTask) -> VolunteerTask:
    """Re-read the task under a row lock (PostgreSQL; SQLite writers hold the database's write
    lock already), so that two sign-ups never take the same last place."""
    return db.session.scalars(
        sa.select(VolunteerTask)
        .where(VolunteerTask.id == task.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _confirmed_count(task_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Signup.id)).where(
            Signup.task_id == task_id, Signup.status == SignupStatus.CONFIRMED
        )
    ) or 0


def _move_up(task: VolunteerTask, *, now: datetime) -> list[Signup]:
    """Give the free places to the people waiting longest; return their sign-ups."""
    free = task.capacity - _confirmed_count(task.id)
    if free <= 0:
        return []
    waiting = list(
        db.session.scalars(
            sa.select(Signup)
            .where(Signup.task_id == task.id, Signup.status == SignupStatus.WAITING)
            .order_by(Signup.queued_at, Signup.id)
            .limit(free)
            .execution_options(populate_existing=True)
        )
    )
    for signup in waiting:
        signup.status = SignupStatus.CONFIRMED
        signup.updated_at = now
    db.session.flush()
    return waiting


def create_task(
    *,
    commitment: Commitment,
    actor: User,
    title: str,
    description: str,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    now: datetime,
) -> VolunteerTask:
    """Offer a volunteer task on a commitment; it must start in the future."""
    if not can_organise_tasks(actor, commitment):
        raise NotAllowed(
            _("Only the group's secretariat or chair, or a contact person of the lead agency, "
              "can offer volunteer tasks.")
        )
    values = _fields(title=title, description=description, place=place, starts_at=starts_at,
                     ends_at=ends_at, capacity=capacity)
    if values["starts_at"] <= now:
        raise _start_in_future()
    task = VolunteerTask(commitment_id=commitment.id, created_by_id=actor.id, created_at=now,
                         updated_at=now, **values)
    db.session.add(task)
    db.session.flush()
    _log(task, "task.created", actor=actor, now=now)
    return task


def edit_task(
    *,
    task: VolunteerTask,
    actor: User,
    title: str,
    description: str,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    now: datetime,
) -> VolunteerTask:
    """Change a task. More places move people up from the waiting list; fewer places than
    people already signed up is refused; a new start must be in the future; the places of a
    task that has started stay as they are."""
    if not can_organise_tasks(actor, task.commitment):
        raise NotAllowed(
            _("Only the group's secretariat or chair, or a contact person of the lead agency, "
              "can edit volunteer tasks.")
        )
    values = _fields(title=title, description=description, place=place, starts_at=starts_at,
                     ends_at=ends_at, capacity=capacity)
    task = _lock_task(task)
    if values["starts_at"] != task.starts_at and values["starts_at"] <= now:
        raise _start_in_future()
    # Sign-ups close when the task starts, so its places stop changing too.
    if values["capacity"] != task.capacity and task.starts_at <= now:
        raise InvalidTask(
            _("The task has started, so its number of places can no longer change."),
            field="capacity",
        )
    confirmed = _confirmed_count(task.id)
    if values["capacity"] < confirmed:
        raise InvalidTask(
            ngettext(
                "%(num)d person is already signed up, so the task needs at least %(num)d "
                "place. Ask someone to withdraw first.",
                "%(num)d people are already signed up, so the task needs at least %(num)d "
                "places. Ask people to withdraw first.",
                confirmed,
            ),
            field="capacity",
        )
    if not apply_changes(task, values):
        return task
    task.updated_at = now
    db.session.flush()
    _move_up(task, now=now)
    _log(task, "task.edited", actor=actor, now=now)
    return task


def _signup_of(task: VolunteerTask, user: User) -> Signup | None:
    return db.session.scalars(
        sa.select(Signup)
        .where(Signup.task_id == task.id, Signup.user_id == user.id)
        .execution_options(populate_existing=True)
    ).first()


def sign_up(*, task: VolunteerTask, user: User, now: datetime) -> SignupOutcome:
    """Sign a person up: confirmed while places remain, else on the waiting list. Asking
    again changes nothing; after withdrawing, the person joins again at the back."""
    task = _lock_task(task)
    if now >= task.starts_at:
        raise TaskStarted(_("This task has already started, so sign-ups are closed."))
    signup = _signup_of(task, user)
    if signup is not None and signup.status != SignupStatus.WITHDRAWN:
        return SignupOutcome(signup, changed=False)
    full = _confirmed_count(task.id) >= task.capacity
    status = SignupStatus.WAITING if full else SignupStatus.CONFIRMED
    if signup is None:
        signup = Signup(task_id=task.id, user_id=user.id, status=status, queued_at=now,
                        updated_at=now)
        db.session.add(signup)
    else:
        signup.status, signup.queued_at, signup.updated_at = status, now, now
    db.session.flush()
    return SignupOutcome(signup, changed=True)


def withdraw(*, task: VolunteerTask, user: User, now: datetime) -> list[Signup]:
    """Take a person off the task (or its waiting list); the first people waiting move up
    into any place this frees, in the same transaction. Return the sign-ups that moved up."""
    task = _lock_task(task)
    if now >= task.starts_at:
        raise TaskStarted(
            _("This task has already started. Tell the organisers if you cannot come.")
        )
    signup = _signup_of(task, user)
    if signup is None or signup.status == SignupStatus.WITHDRAWN:
        raise NotSignedUp(_("You are not signed up for this task."))
    signup.status = SignupStatus.WITHDRAWN
    signup.updated_at = now
    db.session.flush()
    return _move_up(task, now=now)
