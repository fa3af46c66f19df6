"""A working group with every kind of seat and a meeting scheduled through the services,
shared by the meetings tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from participation.accounts.models import Sector, User
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import Seat, SeatRole, WorkingGroup
from participation.meetings import services
from participation.meetings.models import AttendanceStatus, Meeting
from participation.proposals.models import Proposal, ProposalState
from tests.factories import Factories


def in_days(days: float) -> datetime:
    return utcnow() + timedelta(days=days)


class Scene:
    """A group: chair, secretary (non-voting), three voting members (one seat with a deputy)
    and a vacant voting seat; an outsider; a meeting a week from now."""

    group: WorkingGroup
    chair: User
    secretary: User
    member: User
    represented: User
    other_member: User
    deputy: User
    outsider: User
    vacant: Seat
    meeting: Meeting

    def __init__(self, make: Factories, *, starts_in_days: float = 7) -> None:
        self.make = make
        self.group = make.group()
        self.chair = make.member(self.group, role=SeatRole.CHAIR)
        self.secretary = make.member(self.group, role=SeatRole.SECRETARY)
        self.member = make.member(self.group)
        self.represented = make.member(self.group, sector=Sector.PRIVATE)
        self.other_member = make.member(self.group, sector=Sector.CIVIL_SOCIETY)
        self.deputy = make.user(display_name="Deputy of the private sector")
        self.seat(self.represented).deputy_id = self.deputy.id
        self.vacant = make.seat(self.group, sector=Sector.ACADEMIA)
        self.outsider = make.user()
        db.session.flush()
        self.scheduled_at = utcnow()
        self.meeting = self.schedule(starts_at=in_days(starts_in_days))

    def seat(self, user: User) -> Seat:
        return next(seat for seat in self.group.seats if seat.holder_id == user.id)

    def schedule(self, **overrides: Any) -> Meeting:
        fields: dict[str, Any] = {
            "title": "การประชุมคณะทำงาน ครั้งที่ 1/2569",
            "starts_at": in_days(7),
            "ends_at": None,
            "place": "ห้องประชุมศาลากลางจังหวัดลำปาง",
            "online_url": "",
            "guests": "",
        }
        fields.update(overrides)
        if fields["ends_at"] is None:
            fields["ends_at"] = fields["starts_at"] + timedelta(hours=3)
        return services.schedule_meeting(group=self.group, actor=self.secretary,
                                         now=utcnow(), **fields)

    def started(self, meeting: Meeting | None = None) -> datetime:
        """A moment one hour after the meeting started."""
        return (meeting or self.meeting).starts_at + timedelta(hours=1)

    def item(self, section: int, title: str, *, proposal: Proposal | None = None,
             meeting: Meeting | None = None):
        return services.add_item(meeting=meeting or self.meeting, actor=self.secretary,
                                 section=section, title=title, proposal=proposal, now=utcnow())

    def proposal(self, state: ProposalState = ProposalState.UNDER_CONSIDERATION,
                 **fields: Any) -> Proposal:
        return self.make.proposal(group=self.group, state=state, **fields)

    def marks(self, **by_seat: AttendanceStatus) -> list[services.AttendanceMark]:
        """Every seat absent except those named: chair, secretary, member, represented,
        other_member, vacant."""
        seats = {
            "chair": self.seat(self.chair), "secretary": self.seat(self.secretary),
            "member": self.seat(self.member), "represented": self.seat(self.represented),
            "other_member": self.seat(self.other_member), "vacant": self.vacant,
        }
        return [
            services.AttendanceMark(seat_id=seat.id,
                                    status=by_seat.get(name, AttendanceStatus.ABSENT))
            for name, seat in seats.items()
        ]


def security_meeting(group: WorkingGroup, *, secretary: User, considered: Proposal,
                     now: datetime) -> tuple[int, dict[str, int], list[int]]:
    """For the security tests' world: a planned meeting of the group that started an hour ago
    (so it can be marked held and its attendance taken), with items 2.1 and 2.2 and the
    proposal under consideration as item 3.1. Return its id, its items' ids and the group's
    seat ids in the order of the attendance form."""
    meeting = Meeting(
        group_id=group.id, created_by_id=secretary.id, title="การประชุมคณะทำงาน ครั้งที่ 4/2569",
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=2),
        place="ห้องประชุมศาลากลางจังหวัดลำปาง",
    )
    db.session.add(meeting)
    db.session.flush()
    items = {
        name: services.add_item(meeting=meeting, actor=secretary, section=section, title=title,
                                proposal=proposal, now=now)
        for name, section, title, proposal in (
            ("first", 2, "รายงานสถานการณ์ฝุ่น", None),
            ("second", 2, "ผลการดำเนินงานตามมติครั้งก่อน", None),
            ("considered", 3, considered.title, considered),
        )
    }
    seats = db.session.scalars(
        sa.select(Seat.id).where(Seat.group_id == group.id).order_by(Seat.position, Seat.id)
    )
    return meeting.id, {name: item.id for name, item in items.items()}, list(seats)
