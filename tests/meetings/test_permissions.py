"""Who may schedule and run meetings, over every role and every state of a meeting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import SeatRole
from participation.meetings.models import Meeting, MeetingStatus, MinutesStatus
from participation.meetings.permissions import (
    can_cancel_meeting,
    can_edit_agenda,
    can_edit_meeting,
    can_mark_held,
    can_record_attendance,
    can_schedule_meeting,
)

ROLES = ("visitor", "outsider", "admin", "member", "vice_chair", "deputy", "chair", "secretary",
         "assistant_secretary")
MANAGERS = {"chair", "secretary", "assistant_secretary"}


def person(make, group, role: str):
    if role == "visitor":
        return None
    if role == "outsider":
        return make.user()
    if role == "admin":
        return make.user(is_admin=True)
    if role == "deputy":
        deputy = make.user()
        seat = make.seat(group, holder=make.user())
        seat.deputy_id = deputy.id
        db.session.flush()
        return deputy
    return make.member(group, role=SeatRole(role))


def meeting_of(make, group, *, status=MeetingStatus.PLANNED, minutes=MinutesStatus.DRAFT,
               starts_in_hours: float = -1) -> Meeting:
    starts_at = utcnow() + timedelta(hours=starts_in_hours)
    meeting = Meeting(group_id=group.id, created_by_id=make.user().id, title="Meeting",
                      starts_at=starts_at, place="Hall", status=status)
    db.session.add(meeting)
    db.session.flush()
    if minutes == MinutesStatus.APPROVED:
        later = Meeting(group_id=group.id, created_by_id=meeting.created_by_id, title="Later",
                        starts_at=starts_at + timedelta(days=30), place="Hall")
        db.session.add(later)
        db.session.flush()
        meeting.minutes_status, meeting.approved_at_meeting_id = minutes, later.id
        db.session.flush()
    return meeting


@pytest.mark.parametrize("role", ROLES)
def test_the_chair_and_secretariat_schedule_and_run_a_planned_meeting(make, role):
    group = make.group()
    user = person(make, group, role)
    meeting = meeting_of(make, group)
    allowed = role in MANAGERS
    now = utcnow()
    assert can_schedule_meeting(user, group.id) is allowed
    assert can_edit_meeting(user, meeting) is allowed
    assert can_edit_agenda(user, meeting) is allowed
    assert can_cancel_meeting(user, meeting) is allowed
    assert can_mark_held(user, meeting, now) is allowed
    assert can_record_attendance(user, meeting, now) is allowed


@pytest.mark.parametrize(
    ("status", "minutes", "starts_in_hours", "edit", "cancel", "held", "attendance"),
    [
        (MeetingStatus.PLANNED, MinutesStatus.DRAFT, 24, True, True, False, False),
        (MeetingStatus.PLANNED, MinutesStatus.DRAFT, -1, True, True, True, True),
        (MeetingStatus.HELD, MinutesStatus.DRAFT, -1, True, False, False, True),
        (MeetingStatus.HELD, MinutesStatus.PUBLISHED, -1, True, False, False, True),
        (MeetingStatus.HELD, MinutesStatus.APPROVED, -1, False, False, False, False),
        (MeetingStatus.CANCELLED, MinutesStatus.DRAFT, 24, False, False, False, False),
    ],
)
def test_what_a_manager_may_do_depends_on_the_meetings_state(
    make, status, minutes, starts_in_hours, edit, cancel, held, attendance
):
    group = make.group()
    chair = make.member(group, role=SeatRole.CHAIR)
    meeting = meeting_of(make, group, status=status, minutes=minutes,
                         starts_in_hours=starts_in_hours)
    now = utcnow()
    assert can_edit_meeting(chair, meeting) is edit
    assert can_edit_agenda(chair, meeting) is edit
    assert can_cancel_meeting(chair, meeting) is cancel
    assert can_mark_held(chair, meeting, now) is held
    assert can_record_attendance(chair, meeting, now) is attendance


def test_a_manager_of_another_group_runs_nothing_here(make):
    group, other = make.group(), make.group()
    chair = make.member(other, role=SeatRole.CHAIR)
    meeting = meeting_of(make, group)
    assert not can_schedule_meeting(chair, group.id)
    assert not can_edit_meeting(chair, meeting)
