"""Reads for the minutes: one meeting with all its report shows, the corrections of each
item, who may take the minutes and the meetings that may approve them."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from participation.accountability.models import LogEntry
from participation.accounts.models import User
from participation.extensions import db
from participation.groups.models import Seat
from participation.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingStatus,
)


def minutes_of(meeting_id: int) -> Meeting | None:
    """Return a meeting with its group, minutes taker, approving meeting, agenda items (with
    their proposal and decision) and attendance (with seats and attendees) loaded."""
    return db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            joinedload(Meeting.group),
            joinedload(Meeting.minutes_taker),
            joinedload(Meeting.approved_at_meeting),
            selectinload(Meeting.items).options(
                joinedload(AgendaItem.proposal), joinedload(AgendaItem.decision)
            ),
            selectinload(Meeting.attendance).options(
                joinedload(Attendance.seat), joinedload(Attendance.attendee)
            ),
        )
    ).first()


def corrections_by_item(meeting_id: int) -> dict[int, list[LogEntry]]:
    """The corrections recorded on a meeting's approved minutes, oldest first, by item id."""
    entries = db.session.scalars(
        sa.select(LogEntry)
        .where(
            LogEntry.subject_type == "meeting",
            LogEntry.subject_id == meeting_id,
            LogEntry.verb == "minutes.corrected",
        )
        # Joined, not a second query: the page costs the same with or without corrections.
        .options(joinedload(LogEntry.actor))
        .order_by(LogEntry.id)
    )
    found: dict[int, list[LogEntry]] = {}
    for entry in entries:
        item_id = entry.data.get("item_id") if isinstance(entry.data, dict) else None
        if isinstance(item_id, int):
            found.setdefault(item_id, []).append(entry)
    return found


def taker_choices(group_id: int) -> list[User]:
    """The people who hold or deputise a seat of the group, in the seats' order, each once."""
    users = db.session.scalars(
        sa.select(User)
        .join(Seat, sa.or_(Seat.holder_id == User.id, Seat.deputy_id == User.id))
        .where(Seat.group_id == group_id)
        .order_by(Seat.position, Seat.id, sa.case((Seat.holder_id == User.id, 0), else_=1))
    )
    seen: dict[int, User] = {}
    for user in users:
        seen.setdefault(user.id, user)
    return list(seen.values())


def later_held_meetings(meeting: Meeting) -> list[Meeting]:
    """The held meetings of the same group after this one, where its minutes may be approved."""
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.group_id == meeting.group_id,
                Meeting.id != meeting.id,
                Meeting.status == MeetingStatus.HELD,
                Meeting.starts_at > meeting.starts_at,
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


@dataclass
class AttendanceSheet:
    """Who came (ผู้มาประชุม) and who did not (ผู้ไม่มาประชุม), in the order of the seats."""

    present: list[Attendance] = field(default_factory=list)
    absent: list[Attendance] = field(default_factory=list)


def attendance_sheet(meeting: Meeting) -> AttendanceSheet:
    """Split a meeting's loaded attendance into those present (or represented) and the rest."""
    sheet = AttendanceSheet()
    for row in sorted(meeting.attendance, key=lambda row: (row.seat.position, row.seat_id)):
        (sheet.present if row.status.counts_for_quorum else sheet.absent).append(row)
    return sheet


def guests_of(meeting: Meeting) -> list[str]:
    """The invited people who hold no seat (ผู้เข้าร่วมประชุม), one per line of the text."""
    return [line.strip() for line in meeting.guests.splitlines() if line.strip()]

