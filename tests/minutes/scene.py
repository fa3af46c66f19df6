"""Meetings, agenda items and attendance placed directly with the models (the meetings
services are tested on their own), for the minutes tests and the security world."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from participation.accounts.models import Sector, User
from participation.extensions import db
from participation.groups.models import Seat, SeatRole, WorkingGroup
from participation.meetings.models import (
    CONSIDERATION,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)
from tests.factories import Factories

# A Tuesday, 09:30 in Bangkok.
HELD_AT = datetime(2026, 3, 3, 2, 30, tzinfo=UTC)
_sessions = count(1)


def meeting(group: WorkingGroup, *, creator: User, starts_at: datetime = HELD_AT,
            status: MeetingStatus = MeetingStatus.HELD, title: str | None = None,
            hours: float | None = 2.5, **fields) -> Meeting:
    """A meeting of the group placed directly: held unless told, 2½ hours long."""
    row = Meeting(
        group_id=group.id, created_by_id=creator.id, starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours) if hours else None, status=status,
        title=title or f"การประชุมคณะทำงาน ครั้งที่ {next(_sessions)}/2569", **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def item(of: Meeting, section: int, title: str, *, position: int | None = None,
         **fields) -> AgendaItem:
    """An agenda item at the next free position of its section unless told."""
    if position is None:
        position = 1 + max((i.position for i in of.items if i.section == section), default=0)
    row = AgendaItem(meeting=of, section=section, position=position, title=title, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def attend(of: Meeting, seat: Seat, status: AttendanceStatus, *,
           attendee: User | None = None, note: str = "") -> Attendance:
    if attendee is None and status == AttendanceStatus.PRESENT:
        attendee = seat.holder
    if attendee is None and status == AttendanceStatus.DEPUTY:
        attendee = seat.deputy
    row = Attendance(meeting=of, seat_id=seat.id, status=status,
                     attendee_id=attendee.id if attendee else None, note=note)
    db.session.add(row)
    db.session.flush()
    return row


def seat_of(group: WorkingGroup, user: User) -> Seat:
    return next(seat for seat in group.seats if seat.holder_id == user.id)


class Scene:
    """A working group (chair, secretary, two members, one of whose seats has a deputy, and a
    member who is excused), a held meeting with a full Thai agenda, its attendance and guests,
    a later held meeting and a planned one."""

    def __init__(self, make: Factories) -> None:
        self.make = make
        self.group = make.group()
        self.chair = make.member(self.group, role=SeatRole.CHAIR)
        self.member = make.member(self.group)
        self.represented = make.member(self.group, sector=Sector.PRIVATE)
        self.excused = make.member(self.group, sector=Sector.CIVIL_SOCIETY)
        self.secretary = make.member(self.group, role=SeatRole.SECRETARY)
        self.deputy = make.user(display_name="Deputy Dee")
        seat_of(self.group, self.represented).deputy = self.deputy
        self.outsider = make.user()
        self.meeting = meeting(self.group, creator=self.secretary,
                               guests="Dr. Guest Speaker\n\n  Village headman  \n",
                               place="Lampang Provincial Hall, room 2")
        self.announcement = item(self.meeting, 1, "Haze season outlook")
        self.report = item(self.meeting, 2, "Hotspot report for February")
        self.budget = item(self.meeting, 2, "Budget report")
        self.decision = make.decision(group=self.group, yes=7, no=2, abstain=1)
        self.consideration = item(self.meeting, CONSIDERATION, "Burn permit app",
                                  proposal_id=self.decision.proposal_id,
                                  decision_id=self.decision.id,
                                  resolution="The meeting adopted the app.")
        self.other = item(self.meeting, 4, "Date of the next meeting")
        attend(self.meeting, seat_of(self.group, self.chair), AttendanceStatus.PRESENT)
        attend(self.meeting, seat_of(self.group, self.member), AttendanceStatus.PRESENT)
        attend(self.meeting, seat_of(self.group, self.represented), AttendanceStatus.DEPUTY)
        attend(self.meeting, seat_of(self.group, self.excused), AttendanceStatus.EXCUSED,
               note="On official travel")
        attend(self.meeting, seat_of(self.group, self.secretary), AttendanceStatus.ABSENT)
        self.later = meeting(self.group, creator=self.secretary,
                             starts_at=HELD_AT + timedelta(days=28))
        self.planned = meeting(self.group, creator=self.secretary,
                               starts_at=HELD_AT + timedelta(days=56),
                               status=MeetingStatus.PLANNED)
        db.session.flush()

    def publish(self, of: Meeting | None = None) -> Meeting:
        """Give the meeting's first item minutes and publish them, directly."""
        of = of or self.meeting
        of.items[0].minutes = of.items[0].minutes or "The chair opened the meeting."
        of.minutes_status = MinutesStatus.PUBLISHED
        of.minutes_published_at = of.starts_at + timedelta(days=2)
        db.session.flush()
        return of

    def approve(self, of: Meeting | None = None) -> Meeting:
        """Publish and approve the minutes at the later meeting, directly."""
        of = self.publish(of)
        # Read the later meeting first: loading it would flush a half-made approval.
        later_id, later_start = self.later.id, self.later.starts_at
        of.minutes_status = MinutesStatus.APPROVED
        of.approved_at_meeting_id = later_id
        of.minutes_approved_at = later_start
        db.session.flush()
        return of


def security_meetings(group: WorkingGroup, *, creator: User, chair: User,
                      now: datetime) -> tuple[dict[str, int], dict[str, int]]:
    """For the security tests' world: held meetings of the group whose minutes are in draft,
    published and approved, and the later held meeting that approves them; with one item
    each. Return the meetings' ids and their items' ids, by state."""
    chair_seat = seat_of(group, chair)
    made: dict[str, Meeting] = {}
    items: dict[str, AgendaItem] = {}
    for state, days in (("approved", 120), ("published", 90), ("draft", 60), ("later", 30)):
        made[state] = meeting(group, creator=creator, starts_at=now - timedelta(days=days),
                              title=f"Test meeting with {state} minutes", place="Room 2")
        items[state] = item(made[state], 1, "Opening", minutes="The chair opened it.")
        attend(made[state], chair_seat, AttendanceStatus.PRESENT)
    for state in ("published", "approved"):
        made[state].minutes_status = MinutesStatus.PUBLISHED
        made[state].minutes_published_at = made[state].starts_at + timedelta(days=1)
    made["approved"].minutes_status = MinutesStatus.APPROVED
    made["approved"].approved_at_meeting_id = made["later"].id
    made["approved"].minutes_approved_at = made["later"].starts_at
    db.session.flush()
    return ({state: row.id for state, row in made.items()},
            {state: row.id for state, row in items.items()})
