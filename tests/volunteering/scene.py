"""A commitment with its organisers and some would-be volunteers, shared by the volunteering
tests; tasks are offered through the service."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.accounts.models import User
from participation.commitments import services as commitments
from participation.commitments.models import Commitment
from participation.core.i18n import site_date
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import SeatRole, WorkingGroup
from participation.volunteering import services
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask


def in_days(days: float) -> datetime:
    return utcnow() + timedelta(days=days)


class Scene:
    """A working group (chair, secretary, member), a lead agency with its contact, another
    agency's contact, an adopted decision and its commitment."""

    group: WorkingGroup
    chair: User
    secretary: User
    member: User
    contact: User
    other_contact: User
    commitment: Commitment

    def __init__(self, make) -> None:
        self.make = make
        self.group = make.group()
        self.chair = make.member(self.group, role=SeatRole.CHAIR)
        self.member = make.member(self.group)
        self.secretary = make.member(self.group, role=SeatRole.SECRETARY)
        lead = make.organisation(name_en="Provincial Disaster Prevention Office")
        self.contact = make.agency_contact(lead)
        self.other_contact = make.agency_contact(make.organisation())
        decision = make.decision(group=self.group)
        today = site_date(utcnow())
        self.commitment = commitments.create_commitment(
            decision=decision, actor=self.secretary, title="Fire-watch network in Mae Moh",
            description="Villagers watch for fires in the dry season.", lead_organisation=lead,
            supporters=[], start_date=today, due_date=today + timedelta(days=200),
            milestones=[], now=utcnow(),
        )

    def task(self, **overrides: Any) -> VolunteerTask:
        """Offer a task through the service as the secretary: a week from now, 3 hours long,
        with 2 places unless told otherwise."""
        starts_at = overrides.pop("starts_at", in_days(7))
        ends_at = overrides.pop("ends_at", None) or starts_at + timedelta(hours=3)
        values: dict[str, Any] = {
            "commitment": self.commitment, "actor": self.secretary,
            "title": "Fire-watch shift", "description": "Bring **water** and a hat.",
            "place": "Ban Sop Pat, Mae Moh", "starts_at": starts_at,
            "ends_at": ends_at, "capacity": 2, "now": utcnow(),
        }
        values.update(overrides)
        return services.create_task(**values)

    def people(self, count: int) -> list[User]:
        return [self.make.user(display_name=f"Volunteer {n}") for n in range(1, count + 1)]


def sign_up(task: VolunteerTask, *users: User, now: datetime | None = None) -> None:
    for user in users:
        services.sign_up(task=task, user=user, now=now or utcnow())


def statuses(task: VolunteerTask) -> dict[int, SignupStatus]:
    """Map user id to sign-up status, read fresh from the database."""
    rows = db.session.execute(
        sa.select(Signup.user_id, Signup.status).where(Signup.task_id == task.id)
    )
    return {user_id: status for user_id, status in rows}


def waiting_order(task: VolunteerTask) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Signup.user_id)
            .where(Signup.task_id == task.id, Signup.status == SignupStatus.WAITING)
            .order_by(Signup.queued_at, Signup.id)
        )
    )


def confirmed_ids(task: VolunteerTask) -> set[int]:
    return {user_id for user_id, status in statuses(task).items()
            if status == SignupStatus.CONFIRMED}


def entries(verb: str) -> list[LogEntry]:
    return list(db.session.scalars(
        sa.select(LogEntry).where(LogEntry.verb == verb).order_by(LogEntry.id)
    ))
