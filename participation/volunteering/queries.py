"""Reads about volunteer tasks: places taken and left, a person's place, the names organisers
see, a commitment's tasks and the upcoming tasks of every commitment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from participation.commitments.models import Commitment
from participation.core.pagination import Page, paginate
from participation.extensions import db
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask


@dataclass(frozen=True)
class TaskSummary:
    """A task with how many people are signed up and waiting."""

    task: VolunteerTask
    confirmed: int
    waiting: int

    @property
    def places_left(self) -> int:
        return max(0, self.task.capacity - self.confirmed)


@dataclass(frozen=True)
class Roster:
    """The people signed up and the waiting list in order, for the organisers."""

    confirmed: list[Signup]
    waiting: list[Signup]


def get_task(task_id: int) -> VolunteerTask | None:
    """One task with its commitment (and the commitment's group), for its page."""
    return db.session.scalars(
        sa.select(VolunteerTask)
        .where(VolunteerTask.id == task_id)
        .options(joinedload(VolunteerTask.commitment).joinedload(Commitment.group))
    ).first()


def counts(task_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Map task id to (signed up, waiting), in one query."""
    if not task_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            Signup.task_id,
            sa.func.count(Signup.id).filter(Signup.status == SignupStatus.CONFIRMED),
            sa.func.count(Signup.id).filter(Signup.status == SignupStatus.WAITING),
        )
        .where(Signup.task_id.in_(task_ids))
        .group_by(Signup.task_id)
    )
    return {task_id: (confirmed or 0, waiting or 0) for task_id, confirmed, waiting in rows}


def summarise(tasks: Sequence[VolunteerTask]) -> list[TaskSummary]:
    """Each task with its counts, read in one query."""
    by_task = counts([task.id for task in tasks])
    return [TaskSummary(task, *by_task.get(task.id, (0, 0))) for task in tasks]


def summary(task: VolunteerTask) -> TaskSummary:
    return summarise([task])[0]


def signup_of(task_id: int, user_id: int | None) -> Signup | None:
    """The person's sign-up for the task (withdrawn ones included), or None."""
    if user_id is None:
        return None
    return db.session.scalar(
        sa.select(Signup).where(Signup.task_id == task_id, Signup.user_id == user_id)
    )


def waiting_position(signup: Signup) -> int:
    """The place of a waiting person on the list: 1 moves up first."""
    ahead = db.session.scalar(
        sa.select(sa.func.count(Signup.id)).where(
            Signup.task_id == signup.task_id,
            Signup.status == SignupStatus.WAITING,
            sa.or_(
                Signup.queued_at < signup.queued_at,
                sa.and_(Signup.queued_at == signup.queued_at, Signup.id < signup.id),
            ),
        )
    )
    return (ahead or 0) + 1


def roster(task_id: int) -> Roster:
    """Who is signed up and who is waiting, each in the order they came, in one query."""
    signups = db.session.scalars(
        sa.select(Signup)
        .where(Signup.task_id == task_id, Signup.status != SignupStatus.WITHDRAWN)
        .options(joinedload(Signup.user))
        .order_by(Signup.queued_at, Signup.id)
    ).all()
    return Roster(
        confirmed=[s for s in signups if s.status == SignupStatus.CONFIRMED],
        waiting=[s for s in signups if s.status == SignupStatus.WAITING],
    )


def tasks_for_commitment(commitment_id: int) -> list[TaskSummary]:
    """A commitment's tasks, soonest first, with their counts, in one query."""
    confirmed = sa.func.count(Signup.id).filter(Signup.status == SignupStatus.CONFIRMED)
    waiting = sa.func.count(Signup.id).filter(Signup.status == SignupStatus.WAITING)
    rows = db.session.execute(
        sa.select(VolunteerTask, confirmed, waiting)
        .outerjoin(Signup, Signup.task_id == VolunteerTask.id)
        .where(VolunteerTask.commitment_id == commitment_id)
        .group_by(VolunteerTask.id)
        .order_by(VolunteerTask.starts_at, VolunteerTask.id)
    )
    return [TaskSummary(task, confirmed or 0, waiting or 0) for task, confirmed, waiting in rows]


def upcoming_page(*, now: datetime, page: int, per_page: int) -> Page:
    """One page of the tasks not yet started on every commitment, soonest first; its items
    are TaskSummary rows. Three queries whatever the page holds."""
    statement = (
        sa.select(VolunteerTask)
        .where(VolunteerTask.starts_at > now)
        .options(joinedload(VolunteerTask.commitment))
        .order_by(VolunteerTask.starts_at, VolunteerTask.id)
    )
    result = paginate(statement, page=page, per_page=per_page)
    result.items = summarise(result.items)
    return result
