"""Reads about meetings: the lists, one meeting with its agenda and attendance, the quorum,
the ballots opened from its items, the calendar, and the proposals a meeting can consider."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from participation.accounts.models import User
from participation.core.pagination import Page, paginate
from participation.extensions import db
from participation.groups.models import Seat, SeatRole, WorkingGroup
from participation.groups.queries import seats_of
from participation.meetings.models import (
    SECTIONS,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
)
from participation.meetings.services import PLACEABLE_STATES
from participation.proposals.models import Proposal, ProposalState
from participation.proposals.queries import visible_proposal
from participation.votes.models import Ballot, BallotStatus

CALENDAR_LIMIT = 200
UPCOMING_LIMIT = 50


@dataclass(frozen=True)
class Quorum:
    """The quorum line: voting seats present or represented, of all voting seats; a meeting
    has its quorum with at least half of them (ไม่น้อยกว่ากึ่งหนึ่ง)."""

    present: int
    voting: int

    @property
    def needed(self) -> int:
        return (self.voting + 1) // 2

    @property
    def met(self) -> bool:
        return self.voting > 0 and self.present >= self.needed


@dataclass(frozen=True)
class AttendanceRow:
    """A seat of the group with its attendance at the meeting (None: not recorded)."""

    seat: Seat
    attendance: Attendance | None


@dataclass(frozen=True)
class Section:
    """One of the four sections of the agenda with its items, in order."""

    number: int
    title: str
    items: list[AgendaItem]


def _ends() -> sa.ColumnElement:
    # A meeting without an end time is over once it has started.
    return sa.func.coalesce(Meeting.ends_at, Meeting.starts_at)


def upcoming(*, now: datetime, group_id: int | None = None,
             limit: int = UPCOMING_LIMIT) -> list[Meeting]:
    """Meetings not over yet, soonest first, with their groups."""
    statement = (
        sa.select(Meeting)
        .where(_ends() >= now)
        .options(joinedload(Meeting.group))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    )
    if group_id is not None:
        statement = statement.where(Meeting.group_id == group_id)
    return list(db.session.scalars(statement))


def past_page(*, now: datetime, page: int, per_page: int, group_id: int | None = None) -> Page:
    """Meetings that are over, latest first, with their groups, one page at a time."""
    statement = (
        sa.select(Meeting)
        .where(_ends() < now)
        .options(joinedload(Meeting.group))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    )
    if group_id is not None:
        statement = statement.where(Meeting.group_id == group_id)
    return paginate(statement, page=page, per_page=per_page)


def all_groups() -> list[WorkingGroup]:
    """Every working group, for the filter of the list, by Thai name."""
    return list(db.session.scalars(sa.select(WorkingGroup).order_by(WorkingGroup.name_th)))


def groups_scheduled_by(user: User | None) -> list[WorkingGroup]:
    """The groups whose meetings the user may schedule (as chair or secretariat)."""
    ids = [
        group_id for group_id, seat in seats_of(user).items()
        if seat.role.is_secretariat or seat.role == SeatRole.CHAIR
    ]
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(WorkingGroup).where(WorkingGroup.id.in_(ids)).order_by(WorkingGroup.name_th)
    ))


def get_meeting(meeting_id: int) -> Meeting | None:
    """A meeting with its group, its agenda (proposals and decisions) and its attendance
    (seats and who sat in them), in a fixed few queries."""
    return db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            joinedload(Meeting.group),
            selectinload(Meeting.items).options(
                joinedload(AgendaItem.proposal), joinedload(AgendaItem.decision)
            ),
            selectinload(Meeting.attendance).options(
                joinedload(Attendance.seat), joinedload(Attendance.attendee)
            ),
        )
    ).first()


def get_item(item_id: int) -> AgendaItem | None:
    """An agenda item with its meeting and the meeting's group."""
    return db.session.scalars(
        sa.select(AgendaItem)
        .where(AgendaItem.id == item_id)
        .options(joinedload(AgendaItem.meeting).joinedload(Meeting.group),
                 joinedload(AgendaItem.proposal))
    ).first()


def sections(meeting: Meeting) -> list[Section]:
    """The four sections in their fixed order, each with its items (loaded with the meeting)."""
    by_section: dict[int, list[AgendaItem]] = {number: [] for number in SECTIONS}
    for item in meeting.items:
        by_section[item.section].append(item)
    return [Section(number=number, title=str(title), items=by_section[number])
            for number, title in SECTIONS.items()]


def group_seats(group_id: int) -> list[Seat]:
    """The seats of the group in order, with organisations, holders and deputies."""
    return list(db.session.scalars(
        sa.select(Seat).where(Seat.group_id == group_id).order_by(Seat.position, Seat.id)
    ))


def attendance_rows(meeting: Meeting, seats: Sequence[Seat]) -> list[AttendanceRow]:
    """Every seat of the group with its attendance, then any seat that attended but has left
    the group since."""
    by_seat = {row.seat_id: row for row in meeting.attendance}
    rows = [AttendanceRow(seat=seat, attendance=by_seat.pop(seat.id, None)) for seat in seats]
    rows += [AttendanceRow(seat=row.seat, attendance=row) for row in by_seat.values()]
    return rows


def quorum(rows: Sequence[AttendanceRow]) -> Quorum:
    """Count the voting seats present or represented by their deputy."""
    voting = [row for row in rows if row.seat.voting]
    present = sum(
        1 for row in voting
        if row.attendance is not None and AttendanceStatus(row.attendance.status).counts_for_quorum
    )
    return Quorum(present=present, voting=len(voting))


def open_ballots(proposal_ids: Sequence[int]) -> dict[int, Ballot]:
    """The open ballot on each of these proposals, if any, in one query."""
    if not proposal_ids:
        return {}
    return {
        ballot.proposal_id: ballot
        for ballot in db.session.scalars(
            sa.select(Ballot).where(Ballot.proposal_id.in_(proposal_ids),
                                    Ballot.status == BallotStatus.OPEN)
        )
    }


def placeable_proposals(group_id: int) -> list[Proposal]:
    """The group's proposals a meeting can consider (not hidden ones): under consideration
    first, then the newest."""
    return list(db.session.scalars(
        sa.select(Proposal)
        .where(Proposal.group_id == group_id, Proposal.state.in_(PLACEABLE_STATES),
               visible_proposal())
        .order_by(
            sa.case((Proposal.state == ProposalState.UNDER_CONSIDERATION, 0), else_=1),
            Proposal.id.desc(),
        )
    ))


def calendar_meetings(group_id: int | None = None,
                      limit: int = CALENDAR_LIMIT) -> list[Meeting]:
    """The latest meetings by start, with their groups and agendas, for the calendar."""
    statement = (
        sa.select(Meeting)
        .options(joinedload(Meeting.group), selectinload(Meeting.items))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(limit)
    )
    if group_id is not None:
        statement = statement.where(Meeting.group_id == group_id)
    return list(db.session.scalars(statement).unique())


def item_of_decision(decision_id: int) -> AgendaItem | None:
    """The agenda item whose resolution the decision is, with its meeting."""
    return db.session.scalars(
        sa.select(AgendaItem)
        .where(AgendaItem.decision_id == decision_id)
        .options(joinedload(AgendaItem.meeting))
    ).first()
