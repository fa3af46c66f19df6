"""The commitments tests' shared scene: a group with its managers, an adopted decision, a lead
agency with its contact person, another agency, and helpers to commit and report progress."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.commitments import services
from participation.commitments.models import Commitment, CommitmentStatus, Completion
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import SeatRole

START = date(2026, 1, 5)
DUE = date(2026, 9, 30)


class Scene:
    """An adopted decision of a group with a secretary, a chair and a member, a lead agency
    with its contact person, and another agency with its own contact."""

    def __init__(self, make):
        self.group = make.group()
        self.chair = make.member(self.group, role=SeatRole.CHAIR)
        self.member = make.member(self.group)
        self.secretary = make.member(self.group, role=SeatRole.SECRETARY)
        self.decision = make.decision(group=self.group)
        self.lead = make.organisation(name_en="Provincial Natural Resources Office")
        self.helper = make.organisation(name_en="GISTDA")
        self.contact = make.agency_contact(self.lead)
        self.other_contact = make.agency_contact(self.helper)
        self.lead_staff = make.user(organisation=self.lead)
        db.session.commit()

    def commit_to(self, **overrides) -> Commitment:
        arguments = dict(
            decision=self.decision, actor=self.secretary, title="Publish hourly PM2.5 data",
            description="Open data for every station.", lead_organisation=self.lead,
            supporters=[self.helper], start_date=START, due_date=DUE,
            milestones=[("Data portal online", date(2026, 3, 1)),
                        ("First monthly report", date(2026, 4, 1))],
            now=utcnow(),
        )
        arguments.update(overrides)
        commitment = services.create_commitment(**arguments)
        db.session.commit()
        return commitment


def progress(scene, commitment, **overrides):
    arguments = dict(
        commitment=commitment, author=scene.contact, reported_on=bangkok_today() - timedelta(days=1),
        completion=Completion.LIMITED, percent=30, status=CommitmentStatus.ON_TRACK,
        note="Two stations publish already.", reason="",
        evidence=["https://air4thai.pcd.go.th/", "http://example.org/report.pdf"], now=utcnow(),
    )
    arguments.update(overrides)
    return services.post_progress(**arguments)


def bangkok_today() -> date:
    return utcnow().astimezone(ZoneInfo("Asia/Bangkok")).date()


def entries(verb: str) -> list[LogEntry]:
    return list(db.session.scalars(
        sa.select(LogEntry).where(LogEntry.verb == verb).order_by(LogEntry.id)
    ))
